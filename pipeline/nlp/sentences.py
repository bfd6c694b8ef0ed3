"""Sentence boundaries as character offsets (pure, no spaCy).

A sentence ends after 。！？； (and ASCII ! ? ;), after any closing quotes or brackets
that directly follow the mark (」』）” stay with their sentence), at a line break and at
a paragraph end. Spans are trimmed of surrounding whitespace and never empty.
"""

from __future__ import annotations

_ENDERS = frozenset("。！？；!?;…")
_CLOSERS = frozenset("」』）)”’】〉》\"'")
_SPACE = frozenset(" \t\r\n\u3000\u00a0\f\v")


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Shrink ``[start, end)`` past whitespace; None when nothing is left."""
    while start < end and text[start] in _SPACE:
        start += 1
    while end > start and text[end - 1] in _SPACE:
        end -= 1
    return (start, end) if start < end else None


def _split_block(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    """Append the sentences of ``text[start:end]`` (one paragraph or line) to ``out``."""
    i = start
    sent_start = start
    while i < end:
        ch = text[i]
        if ch == "\n":
            span = _trim(text, sent_start, i)
            if span:
                out.append(span)
            sent_start = i + 1
            i += 1
            continue
        if ch in _ENDERS:
            j = i + 1
            # A run of marks (？！, ……) and the closers right after them end together.
            while j < end and (text[j] in _ENDERS or text[j] in _CLOSERS):
                j += 1
            # ASCII ! ? ; glued to a following letter or digit (Yahoo!奇摩, URLs,
            # &gt;8成) is part of a token, not a sentence end.
            if ch in "!?;" and j < end and text[j].isascii() and text[j].isalnum():
                i = j
                continue
            span = _trim(text, sent_start, j)
            if span:
                out.append(span)
            sent_start = j
            i = j
            continue
        i += 1
    span = _trim(text, sent_start, end)
    if span:
        out.append(span)


def split_sentences(text: str, paragraphs: list[list[int]] | None = None) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``, in order, non-empty and trimmed.

    ``paragraphs`` (``[[start, end], ...]`` offsets, as in the normalized document)
    adds paragraph ends as hard boundaries; text outside them is still split.
    """
    if not text:
        return []
    blocks: list[tuple[int, int]] = []
    if paragraphs:
        pos = 0
        for para in sorted((int(p[0]), int(p[1])) for p in paragraphs):
            s, e = max(para[0], pos), min(para[1], len(text))
            if s > pos:
                blocks.append((pos, s))
            if e > s:
                blocks.append((s, e))
                pos = e
        if pos < len(text):
            blocks.append((pos, len(text)))
    else:
        blocks = [(0, len(text))]
    out: list[tuple[int, int]] = []
    for s, e in blocks:
        _split_block(text, s, e, out)
    return out
