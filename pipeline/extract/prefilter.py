"""Faster regex scanning with identical matches: a first-character lookahead.

Python's ``re`` skips quickly to plausible start positions only when a pattern begins
with a literal or a character class. Our date and figure patterns begin with
lookbehinds (``(?<![0-9.])``) or optional groups, so the engine runs the whole pattern
at every position of the text. ``with_first_char_guard`` computes, from the parsed
pattern, the set of characters any match can start with and prepends ``(?=[...])``:
positions that cannot start a match now fail on one class test. The lookahead only
rejects positions where the pattern itself cannot match, so ``finditer``/``search``
return exactly the same matches (same spans, same groups).
"""

from __future__ import annotations

import re
from re import _constants as sre_c  # type: ignore[attr-defined]
from re import _parser as sre_p  # type: ignore[attr-defined]
from typing import Any

# Above this many possible first characters the guard would not filter much.
_MAX_FIRST = 2000


class _Unknown(Exception):
    """The first-character set cannot be bounded (any char, categories, negation...)."""


def _first_seq(items: Any) -> tuple[set[str], bool]:
    """(possible first chars, can match empty) of a sequence of parsed items."""
    out: set[str] = set()
    for op, av in items:
        chars, nullable = _first_op(op, av)
        out |= chars
        if not nullable:
            return out, False
    return out, True


def _first_op(op: Any, av: Any) -> tuple[set[str], bool]:
    """(possible first chars, can match empty) of one parsed item."""
    if op is sre_c.LITERAL:
        return {chr(av)}, False
    if op is sre_c.IN:
        chars: set[str] = set()
        for o, a in av:
            if o is sre_c.LITERAL:
                chars.add(chr(a))
            elif o is sre_c.RANGE and a[1] - a[0] <= _MAX_FIRST:
                chars.update(chr(c) for c in range(a[0], a[1] + 1))
            else:  # NEGATE, CATEGORY (\d, \s ...), huge ranges
                raise _Unknown
        return chars, False
    if op is sre_c.BRANCH:
        chars, nullable = set(), False
        for alt in av[1]:
            c, n = _first_seq(alt.data)
            chars |= c
            nullable = nullable or n
        return chars, nullable
    if op is sre_c.SUBPATTERN:
        if av[1] & re.IGNORECASE:  # (?i:...): first characters of either case
            raise _Unknown
        return _first_seq(av[-1].data)
    if op is sre_c.ATOMIC_GROUP:
        return _first_seq(av.data)
    if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT):
        chars, nullable = _first_seq(av[2].data)
        return chars, nullable or av[0] == 0
    if op in (sre_c.ASSERT, sre_c.ASSERT_NOT, sre_c.AT):
        return set(), True  # zero-width: the first character comes after it
    raise _Unknown  # ANY, NOT_LITERAL, GROUPREF, conditionals ...


def first_chars(pattern: str, flags: int = 0) -> set[str] | None:
    """Characters a match of ``pattern`` can start with; None when not boundable."""
    if flags & (re.IGNORECASE | re.VERBOSE):
        return None
    try:
        chars, nullable = _first_seq(sre_p.parse(pattern, flags).data)
    except (_Unknown, re.error, AttributeError, TypeError, ValueError):
        return None
    if nullable or not chars or len(chars) > _MAX_FIRST:
        return None
    return chars


def _starts_fast(pattern: str, flags: int) -> bool:
    """Whether ``re`` already skips ahead: the pattern starts with a literal or a class."""
    try:
        items = sre_p.parse(pattern, flags).data
    except re.error:
        return True
    while items and items[0][0] is sre_c.SUBPATTERN:
        items = items[0][1][-1].data
    if not items:
        return False
    op, av = items[0]
    if op in (sre_c.LITERAL, sre_c.IN, sre_c.AT):  # AT: anchored (^, \A), tried rarely
        return True
    if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT) and av[0] >= 1:
        sub = av[2].data
        return bool(sub) and sub[0][0] in (sre_c.LITERAL, sre_c.IN)
    if op is sre_c.BRANCH:
        return all(alt.data and alt.data[0][0] is sre_c.LITERAL for alt in av[1])
    return False


def with_first_char_guard(rx: re.Pattern[str]) -> re.Pattern[str]:
    """``rx`` with a ``(?=[first chars])`` guard when that helps; same matches either way."""
    if _starts_fast(rx.pattern, rx.flags):
        return rx
    chars = first_chars(rx.pattern, rx.flags)
    if chars is None:
        return rx
    cls = "".join(re.escape(c) for c in sorted(chars))
    try:
        guarded = re.compile(f"(?=[{cls}])(?:{rx.pattern})", rx.flags)
    except re.error:
        return rx
    return guarded if guarded.groupindex == rx.groupindex else rx
