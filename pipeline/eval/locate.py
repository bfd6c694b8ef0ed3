"""Find gold surfaces (quoted from the raw seed files) in our normalized text.

Gold surfaces keep the raw file's spaces, widths and broken glyphs; our text is
normalized. Both sides are compared on a squeezed key (no whitespace, ASCII digits and
punctuation), and a match is mapped back to normalized-text offsets.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

_WIDTH = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９％．，：；（）！？＞＜～－"}
_WIDTH.update({ord("　"): ord(" ")})


def _key_char(c: str) -> str:
    """Comparison form of one character ('' for whitespace)."""
    if c.isspace():
        return ""
    c = c.translate(_WIDTH)
    return {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"}.get(c, c)


@dataclass
class Squeezed:
    """A text's comparison key and, for each key position, its offset in the text."""

    key: str
    index: list[int]

    @classmethod
    def of(cls, text: str) -> Squeezed:
        """Build the key of ``text``."""
        chars: list[str] = []
        index: list[int] = []
        for i, c in enumerate(text):
            k = _key_char(c)
            for kc in k:
                chars.append(kc)
                index.append(i)
        return cls("".join(chars), index)


def squeeze(s: str) -> str:
    """Comparison key of a short string (gold surface or hint)."""
    return "".join(_key_char(c) for c in html.unescape(s))


def locate(
    sq: Squeezed,
    surfaces: list[str],
    hint: str | None = None,
    taken: set[tuple[int, int]] | None = None,
) -> tuple[int, int] | None:
    """Offsets of the first of ``surfaces`` found at or after the sentence ``hint``.

    Falls back to the first occurrence anywhere; occurrences already in ``taken`` are
    skipped so repeated surfaces map to successive places.
    """
    anchor = 0
    if hint:
        h = squeeze(hint)
        pos = sq.key.find(h) if h else -1
        if pos < 0 and len(h) > 6:
            pos = sq.key.find(h[:6])
        anchor = max(pos, 0)
    taken = taken or set()
    for surface in surfaces:
        s = squeeze(surface)
        if not s:
            continue
        for start_at in (anchor, 0):
            pos = sq.key.find(s, start_at)
            while pos >= 0:
                span = (sq.index[pos], sq.index[pos + len(s) - 1] + 1)
                if span not in taken:
                    return span
                pos = sq.key.find(s, pos + 1)
    return None


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two half-open spans share a character."""
    return a[0] < b[1] and b[0] < a[1]
