"""Paragraph layout: PDF-dump break repair, paragraph and heading offsets.

PDF-break heuristic (``find_pdf_breaks``), for PDF text and text dumps of PDFs: a blank
line between two fragments is a page/column break inside a sentence, and is deleted,
when the fragment before it

* does not end with sentence-final punctuation (``。！？!?」』：:…``),
* is not a heading (markdown ``#``, ``一、``/``（二）``/``1.`` numbering, ``表N``/``圖N``
  captions), not a table row (tabs), and reads as running text (it contains CJK
  punctuation or is at least 30 characters long),

and the fragment after it starts with a Han character (or, after a CJK fragment, a
letter or digit) and is not itself a heading, caption, list item or table row. Two
Latin fragments are never joined (that would need a space, not a deletion).

A text counts as a PDF dump (``looks_like_pdf``) when the format is pdf, or it has many
spaces between digits and CJK (``2011 年``), or PDF-to-markdown footnote tags
(``<sup>``), or at least two such mid-sentence breaks.
Paragraphs are the non-empty lines of the normalized text.
"""

from __future__ import annotations

import re

from pipeline.normalize.spans import Span
from pipeline.normalize.width import CJK, CJK_PUNCT

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_BREAK = re.compile(r"\n[ \t\u00a0\u3000]*(?:\n[ \t\u00a0\u3000]*)+")
_TERMINAL = "。！？!?」』：:…"
_HEADING_START = re.compile(
    r"^(?:#|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]\s|"
    r"第[一二三四五六七八九十\d]+[章節部]|[表圖]\s*\d)"
)
_LIST_START = re.compile(r"^(?:\d+\.|[-*•・]\s|資料來源|[註注]\s*[0-9０-９：:])")
_TAG = re.compile(r"<[^<>]{1,200}>")
_SPACED_NUMBER = re.compile(rf"[{CJK}] [0-9]|[0-9] [{CJK}]")


def _prev_ok(prev: str) -> bool:
    """The fragment before a break can continue into the next one."""
    p = _TAG.sub("", prev).replace("**", "").strip()
    if not p or "\t" in p or _HEADING_START.match(p):
        return False
    if p[-1] in _TERMINAL:
        return False
    return bool(re.search(f"[{CJK_PUNCT}]", p)) or len(p) >= 30


def _next_ok(nxt: str, prev_last: str) -> bool:
    """The fragment after a break starts mid-sentence."""
    n = nxt.strip()
    if not n or "\t" in n or _HEADING_START.match(n) or _LIST_START.match(n):
        return False
    if re.match(f"[{HAN}]", n):
        return True
    after_han = bool(re.match(f"[{HAN}]", prev_last))
    # An opening bracket or quote after a word continues the sentence (…氧化鈰 / （見圖1）).
    if n[0] in "（(「『" and after_han:
        return True
    # Letters/digits continue a sentence after a CJK character (no space needed) or after
    # an enumeration comma or comma (4、 / 5月).
    return bool(re.match(r"[A-Za-z0-9]", n)) and (after_han or prev_last in "、，,")


def find_pdf_breaks(text: str) -> list[Span]:
    """Blank-line runs inside sentences (see the module docstring), as deletion spans."""
    out: list[Span] = []
    for m in _BREAK.finditer(text):
        ls = text.rfind("\n", 0, m.start()) + 1
        le = text.find("\n", m.end())
        prev = text[ls : m.start()]
        nxt = text[m.end() : le if le >= 0 else len(text)]
        if not _prev_ok(prev):
            continue
        p = _TAG.sub("", prev).rstrip()
        if _next_ok(nxt, p[-1] if p else ""):
            out.append(Span(m.start(), m.end(), "PDF break inside a sentence"))
    return out


def looks_like_pdf(text: str, fmt: str) -> bool:
    """Whether the text is PDF-derived (format, spaced numbers, or mid-sentence breaks)."""
    if fmt == "pdf":
        return True
    if len(_SPACED_NUMBER.findall(text)) >= 5 or "<sup>" in text:
        return True
    return len(find_pdf_breaks(text)) >= 2


def paragraph_spans(text: str) -> list[list[int]]:
    """``[start, end)`` of every non-empty line (lines are already stripped)."""
    out: list[list[int]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            out.append([pos + lead, pos + len(line.rstrip())])
        pos += len(line) + 1
    return out


def heading_spans(text: str, paragraphs: list[list[int]]) -> list[list[int]]:
    """Paragraphs that read as headings: short, no final or inner sentence punctuation."""
    out: list[list[int]] = []
    for i, (s, e) in enumerate(paragraphs):
        p = text[s:e]
        if len(p) > 40 or "\t" in p or i == len(paragraphs) - 1:
            continue
        if p[-1] in "。！？!?，,；;：:" or "。" in p or "，" in p:
            continue
        if not re.search(f"[{HAN}A-Za-z]", p):
            continue
        out.append([s, e])
    return out
