"""Quantities and time expressions of one text, as the pipeline stores them.

Times are found first; quantities may not start inside a time expression, so a year
is never also read as a count (2025年 is a date, not 2025 years).
"""

from __future__ import annotations

import datetime as dt
from typing import Any


def extract_figures(
    text: str, reference_date: dt.date | None = None, *, roc_years: bool = False
) -> list[dict[str, Any]]:
    """Time and quantity records of ``text``, sorted by offset (times before quantities on ties)."""
    from pipeline.extract.quantities import extract_quantities
    from pipeline.extract.times import extract_times

    times = extract_times(text, reference_date, roc_years=roc_years)
    spans = [(t.start, t.end) for t in times]
    quantities = extract_quantities(text, exclude=spans)
    records = [t.to_dict() for t in times] + [q.to_dict() for q in quantities]
    records.sort(key=lambda r: (r["start"], r["end"], r["type"] != "time"))
    return records
