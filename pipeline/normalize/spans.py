"""Deletions with provenance: a text that remembers where each character came from.

The normalizer removes boilerplate, metadata lines, markup and PDF breaks in several
passes. Each pass works on the current text; ``TrackedText`` maps its deletions back to
offsets in the RAW text, so every ``Removed`` record points at the original characters.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.records import Removed


@dataclass(frozen=True)
class Span:
    """A half-open ``[start, end)`` range of the current text with the reason to drop it."""

    start: int
    end: int
    reason: str


def merge_spans(spans: list[Span]) -> list[Span]:
    """Sort spans and resolve overlaps: an earlier (or longer) span wins the shared part."""
    out: list[Span] = []
    for sp in sorted(spans, key=lambda s: (s.start, -s.end, s.reason)):
        if sp.end <= sp.start:
            continue
        if out and sp.start < out[-1].end:
            if sp.end <= out[-1].end:
                continue
            sp = Span(out[-1].end, sp.end, sp.reason)
        out.append(sp)
    return out


class TrackedText:
    """Text plus, for each character, its offset in the raw text it was cut from."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.text = raw
        self.index = list(range(len(raw)))
        self.removed: list[Removed] = []

    def delete(self, spans: list[Span]) -> None:
        """Delete spans of the current text, recording each as ``Removed`` in raw offsets."""
        merged = merge_spans(spans)
        if not merged:
            return
        keep_text: list[str] = []
        keep_index: list[int] = []
        pos = 0
        for sp in merged:
            keep_text.append(self.text[pos : sp.start])
            keep_index.extend(self.index[pos : sp.start])
            self._record(self.index[sp.start : sp.end], sp.reason)
            pos = sp.end
        keep_text.append(self.text[pos:])
        keep_index.extend(self.index[pos:])
        self.text = "".join(keep_text)
        self.index = keep_index

    def _record(self, raw_positions: list[int], reason: str) -> None:
        """Record deleted raw positions as contiguous raw blocks."""
        if not raw_positions:
            return
        start = prev = raw_positions[0]
        for p in raw_positions[1:]:
            if p != prev + 1:
                self.removed.append(Removed(start, prev + 1, self.raw[start : prev + 1], reason))
                start = p
            prev = p
        self.removed.append(Removed(start, prev + 1, self.raw[start : prev + 1], reason))

    def removed_sorted(self) -> list[Removed]:
        """All removals so far, in raw order."""
        return sorted(self.removed, key=lambda r: (r.start, r.end))


def line_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every line, ``end`` excluding the newline."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def whole_line(text: str, start: int, end: int) -> tuple[int, int]:
    """Extend a line span to swallow its line break (so no empty line is left behind)."""
    if end < len(text) and text[end] == "\n":
        return start, end + 1
    if start > 0 and text[start - 1] == "\n":
        return start - 1, end
    return start, end
