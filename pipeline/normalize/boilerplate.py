"""Boilerplate detection: ads, related-article lists, notices, captions, credits, markup.

Every finder is pure: it takes the current text and returns ``Span``s (offsets into that
text, with a reason); ``TrackedText.delete`` turns them into ``Removed`` records in raw
offsets. The patterns live in ``pipeline/data/boilerplate.json``:

* ``inline`` rules remove each match (ad markers inside a line);
* ``line`` rules remove a whole line whose stripped text fully matches and is short
  enough (``max_len``): long lines are body text and are never removed by a line rule;
* ``tail`` rules cut from the match to the end of the document, but only when the match
  starts after ``min_fraction`` of the text, so a stray marker near the top cannot
  swallow the article (keeping an ad is a smaller error than losing body text).

Duplicated lines (pull quotes, repeated captions) and portal teasers are found in code.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.normalize.spans import Span, line_spans, whole_line
from pipeline.normalize.width import decode_entities, remove_zero_width

DATA = Path(__file__).resolve().parent.parent / "data"


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    """The boilerplate pattern file."""
    data: dict[str, Any] = json.loads((DATA / "boilerplate.json").read_text(encoding="utf-8"))
    return data


@lru_cache(maxsize=1)
def _rules() -> list[tuple[str, re.Pattern[str], str, dict[str, Any]]]:
    """Compiled rules: (kind, regex, reason, raw rule)."""
    out = []
    for r in _data()["rules"]:
        flags = re.MULTILINE if r["kind"] == "tail" else 0
        out.append((r["kind"], re.compile(r["pattern"], flags), r["reason"], r))
    return out


@lru_cache(maxsize=1)
def _markup() -> list[tuple[re.Pattern[str], str]]:
    """Compiled markup patterns."""
    return [(re.compile(m["pattern"]), m["reason"]) for m in _data()["markup"]]


def find_tail(text: str) -> Span | None:
    """The earliest tail block (related lists, bios, reference lists) after its threshold."""
    best: Span | None = None
    for kind, rx, reason, rule in _rules():
        if kind != "tail":
            continue
        floor = int(len(text) * float(rule.get("min_fraction", 0.3)))
        for m in rx.finditer(text):
            if m.start() < floor:
                continue
            start = m.start()
            if best is None or start < best.start:
                best = Span(start, len(text), reason)
            break
    return best


def find_inline(text: str) -> list[Span]:
    """Inline boilerplate (ad markers) anywhere."""
    out: list[Span] = []
    for kind, rx, reason, _rule in _rules():
        if kind != "inline":
            continue
        for m in rx.finditer(text):
            if not m.group(0):
                continue
            ls = text.rfind("\n", 0, m.start()) + 1
            le = text.find("\n", m.end())
            le = len(text) if le < 0 else le
            if not text[ls : m.start()].strip() and not text[m.end() : le].strip():
                # The marker is the whole line: drop the line break too.
                out.append(Span(*whole_line(text, ls, le), reason))
            else:
                out.append(Span(m.start(), m.end(), reason))
    return out


def find_lines(text: str) -> list[Span]:
    """Whole lines matching a line rule (credits, notices, keyword and source lines)."""
    out: list[Span] = []
    line_rules = [(rx, reason, rule) for kind, rx, reason, rule in _rules() if kind == "line"]
    for s, e in line_spans(text):
        stripped = text[s:e].strip()
        if not stripped:
            continue
        # a line is judged as it will read: "&gt;" alone, or ":::" with a zero-width
        # space, is a stray symbol too (else a second normalization would remove what the
        # first decoded or cleaned)
        forms = {stripped, remove_zero_width(decode_entities(stripped)).strip()}
        for rx, reason, rule in line_rules:
            cap = int(rule.get("max_len", 200))
            if any(len(f) <= cap and rx.fullmatch(f) for f in forms):
                a, b = whole_line(text, s, e)
                out.append(Span(a, b, reason))
                break
    return out


def find_teasers(text: str) -> list[Span]:
    """Portal teasers: a summary line ending ``・ N 小時前 ・`` plus its headline line."""
    cfg = _data()["teaser"]
    rx = re.compile(cfg["pattern"])
    spans = line_spans(text)
    out: list[Span] = []
    for i, (s, e) in enumerate(spans):
        if not rx.search(text[s:e]):
            continue
        out.append(Span(*whole_line(text, s, e), cfg["reason"]))
        j = i - 1
        while j >= 0 and not text[spans[j][0] : spans[j][1]].strip():
            j -= 1
        if j >= 0:
            hs, he = spans[j]
            head = text[hs:he].strip()
            if len(head) <= int(cfg["headline_max_len"]) and not head.endswith("。"):
                out.append(Span(*whole_line(text, hs, he), cfg["reason"]))
    return out


def find_boilerplate(text: str) -> list[Span]:
    """All boilerplate spans of a raw text (unmerged; overlaps are resolved on delete)."""
    spans = find_inline(text) + find_lines(text) + find_teasers(text)
    tail = find_tail(text)
    if tail is not None:
        spans.append(tail)
    return spans


def _dup_key(line: str) -> str:
    """Comparison key of a line: width-normalized, without spaces or markup."""
    from pipeline.normalize.width import normalize_width

    line = re.sub(r"<[^<>]{1,200}>", "", line)
    return re.sub(r"\s+", "", normalize_width(line, join_cjk=True))


def find_duplicate_lines(text: str, min_len: int = 15) -> list[Span]:
    """Lines repeating an earlier line, or contained in a longer line (pull quotes)."""
    spans = line_spans(text)
    keys = [_dup_key(text[s:e]) if "\t" not in text[s:e] else "" for s, e in spans]
    out: list[Span] = []
    seen: set[str] = set()
    for i, (s, e) in enumerate(spans):
        k = keys[i]
        if len(k) < min_len:
            continue
        if k in seen:
            out.append(Span(*whole_line(text, s, e), "duplicated line"))
            continue
        seen.add(k)
        # A contained line is a pull quote only when it reads as a sentence (not a heading).
        sentence = k[-1] in "。！？」』" or len(k) >= 30
        if sentence and any(len(o) > len(k) and k in o for o in keys):
            out.append(Span(*whole_line(text, s, e), "pull quote repeating body text"))
    return out


def find_markup(text: str) -> list[Span]:
    """Markdown/HTML markup left in text dumps (tags, footnote markers, heading hashes)."""
    out: list[Span] = []
    for rx, reason in _markup():
        out.extend(Span(m.start(), m.end(), reason) for m in rx.finditer(text) if m.group(0))
    return out


def syndication_outlet(text: str) -> str | None:
    """The portal named by a syndication footer (``其他人也在看`` → Yahoo奇摩新聞)."""
    for s in _data()["syndication"]:
        if re.search(s["pattern"], text, re.MULTILINE):
            return str(s["outlet"])
    return None
