"""Character width, punctuation and whitespace normalization (pure, idempotent).

Rules, applied until nothing changes (so ``normalize_width(normalize_width(t)) ==
normalize_width(t)``):

* HTML entities left by the reader (``&gt;``, ``&amp;``, ``&nbsp;``) are decoded.
* Full-width digits and Latin letters and ``％`` become ASCII; ``．`` between digits
  becomes ``.``.
* Half-width ``, ; : ! ?`` next to CJK text become ``，；：！？``; a ``( )`` pair next to
  CJK text becomes ``（ ）``. Digit groups (``1,100``), times (``06:10``) and URLs stay.
* Whitespace: NBSP/ideographic spaces become spaces, runs collapse, spaces next to
  full-width punctuation and between digits and CJK (``2011 年``, ``6 萬 2,474 噸``) are
  removed; with ``join_cjk=True`` (PDF-derived text) spaces between two CJK characters
  are removed too, while web text keeps them because headlines use them as separators.
  Spaces between Latin words always stay. Lines are stripped, blank runs collapse to one
  blank line.
"""

from __future__ import annotations

import html
import re

from pipeline.extract.prefilter import with_first_char_guard

# Han ideographs (BMP, extension A, compatibility, astral planes) and kana.
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Full-width and CJK punctuation (not curly quotes, which Latin text also uses).
CJK_PUNCT = "\u3001-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
CJKISH = CJK + CJK_PUNCT

_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u2060\ufeff\u00ad]")
_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_FULLWIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff05]")
_FULLWIDTH_DOT = re.compile("(?<=[0-9])\uff0e(?=[0-9])")

_PAREN_PAIR = re.compile(r"\(([^()\n]{0,120})\)")
_COMMA_LIKE = re.compile(rf"(?:(?<=[{CJKISH}]) *([,;!?]) *)|(?: *([,;!?]) *(?=[{CJK}]))")
_COLON = re.compile(rf"(?:(?<=[{CJKISH}]) *: *(?!//))|(?:(?<![0-9A-Za-z]) *: *(?=[{CJK}]))")
_FULL = {",": "，", ";": "；", "!": "！", "?": "？", ":": "："}

_SPACE_RUN = re.compile(r" {2,}")
_SPACE_TAB = re.compile(r" *\t *")
_SPACE_NEAR_PUNCT = re.compile(rf" +(?=[{CJK_PUNCT}])|(?<=[{CJK_PUNCT}]) +")
_SPACE_DIGIT_CJK = re.compile(rf"(?<=[0-9%]) +(?=[{CJK}])|(?<=[{CJK}]) +(?=[0-9])")
_SPACE_CJK_CJK = re.compile(rf"(?<=[{CJK}]) +(?=[{CJK}])")
_BLANK_RUN = re.compile(r"\n{3,}")
# These start with lookbehinds or optional spaces, so ``re`` tries them at every
# position; a first-character guard skips the rest (same matches, see prefilter).
_FULLWIDTH_DOT, _COMMA_LIKE, _COLON, _SPACE_NEAR_PUNCT, _SPACE_DIGIT_CJK, _SPACE_CJK_CJK = (
    with_first_char_guard(rx)
    for rx in (
        _FULLWIDTH_DOT,
        _COMMA_LIKE,
        _COLON,
        _SPACE_NEAR_PUNCT,
        _SPACE_DIGIT_CJK,
        _SPACE_CJK_CJK,
    )
)


def decode_entities(text: str) -> str:
    """Decode HTML entities (repeatedly, so ``&amp;gt;`` also ends as ``>``)."""
    for _ in range(4):
        new = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
        if new == text:
            break
        text = new
    return text


def fullwidth_to_ascii(text: str) -> str:
    """Full-width digits, Latin letters and ％ to ASCII; ． between digits to a dot."""
    text = _FULLWIDTH_ALNUM.sub(lambda m: chr(ord(m.group(0)) - 0xFEE0), text)
    return _FULLWIDTH_DOT.sub(".", text)


def _paren(m: re.Match[str]) -> str:
    """Turn a half-width paren pair into full-width when it touches CJK text."""
    s, e = m.start(), m.end()
    text = m.string
    before = text[s - 1] if s > 0 else ""
    after = text[e] if e < len(text) else ""
    inner = m.group(1)
    touches = (
        (before and re.match(f"[{CJKISH}]", before))
        or (after and re.match(f"[{CJKISH}]", after))
        or (inner and re.match(f"[{CJK}]", inner.strip()[:1] or "x"))
    )
    if not touches:
        return m.group(0)
    return "（" + inner.strip(" ") + "）"


def cjk_punctuation(text: str) -> str:
    """Half-width ``, ; : ! ? ( )`` next to CJK characters become full-width."""
    text = _PAREN_PAIR.sub(_paren, text)
    text = _COMMA_LIKE.sub(lambda m: _FULL[m.group(1) or m.group(2)], text)
    return _COLON.sub("：", text)


def remove_zero_width(text: str) -> str:
    """The text without zero-width characters and soft hyphens (normalization drops them)."""
    return _ZERO_WIDTH.sub("", text)


def normalize_space(text: str, join_cjk: bool = False) -> str:
    """Normalize spaces, line ends and blank lines (see the module docstring)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\v", "\n").replace("\f", "\n")
    text = remove_zero_width(text)
    text = _SPACES.sub(" ", text)
    text = _SPACE_TAB.sub("\t", text)
    text = _SPACE_RUN.sub(" ", text)
    text = _SPACE_NEAR_PUNCT.sub("", text)
    text = _SPACE_DIGIT_CJK.sub("", text)
    if join_cjk:
        text = _SPACE_CJK_CJK.sub("", text)
    lines = [line.lstrip(" ").rstrip(" \t") for line in text.split("\n")]
    text = "\n".join(lines)
    text = _BLANK_RUN.sub("\n\n", text)
    return text.strip("\n")


def normalize_width(text: str, join_cjk: bool = False) -> str:
    """Entities, width, punctuation and whitespace, iterated to a fixed point."""
    for _ in range(6):
        new = decode_entities(text)
        new = fullwidth_to_ascii(new)
        new = cjk_punctuation(new)
        new = normalize_space(new, join_cjk=join_cjk)
        if new == text:
            break
        text = new
    return text
