"""Filtering claims by metric, subject, period and commodity (``python -m pipeline claims``)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any


def _bounds(period: str) -> tuple[str, str]:
    """The first and last ISO strings covered by a period ('2024/2026' -> ('2024', '2026'))."""
    a, _, b = period.partition("/")
    return a, (b or a)


def _covers(lo: str, hi: str, other: str) -> bool:
    """Whether ISO prefix ranges overlap: '2025' meets '2025-10' and '2024/2026'."""
    olo, ohi = _bounds(other)

    # compare on the common granularity: truncate both sides to the shorter length
    def le(x: str, y: str) -> bool:
        n = min(len(x), len(y))
        return x[:n] <= y[:n]

    return le(lo, ohi) and le(olo, hi)


def period_matches(query: str, period: str | None) -> bool:
    """Prefix/overlap match of a query period against a claim's period."""
    if not period:
        return False
    if not re.match(r"^\d{4}", query):
        return query == period
    lo, hi = _bounds(query)
    return _covers(lo, hi, period)


def _eq(want: str | None, have: Any) -> bool:
    """Case-insensitive equality (None = no filter)."""
    return want is None or (have is not None and str(have).casefold() == want.casefold())


def query_claims(
    claims: Iterable[Mapping[str, Any]],
    *,
    metric: str | None = None,
    subject: str | None = None,
    period: str | None = None,
    commodity: str | None = None,
) -> list[dict[str, Any]]:
    """Claims matching every given filter, in their original order."""
    out = []
    for c in claims:
        if not (_eq(metric, c.get("metric")) and _eq(subject, c.get("subject"))):
            continue
        if not _eq(commodity, c.get("commodity")):
            continue
        if period is not None and not period_matches(period, c.get("period")):
            continue
        out.append(dict(c))
    return out
