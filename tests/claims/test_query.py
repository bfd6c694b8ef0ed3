"""query_claims: filters and period prefix/overlap matching."""

from __future__ import annotations

import pytest

from pipeline.claims.query import period_matches, query_claims


@pytest.mark.parametrize(
    ("query", "period", "ok"),
    [
        ("2025", "2025", True),
        ("2025", "2025-10", True),
        ("2025", "2024/2026", True),
        ("2025", "2026", False),
        ("2025-10", "2025", True),
        ("2025-10", "2025-11-02", False),
        ("2010/2012", "2011-05", True),
        ("2010/2012", "2013", False),
        ("2025", None, False),
    ],
)
def test_period_matches(query: str, period: str | None, ok: bool) -> None:
    assert period_matches(query, period) is ok


def test_filters_combine() -> None:
    rows = [
        {
            "claim_id": "a",
            "metric": "m1",
            "subject": "Japan",
            "period": "2025",
            "commodity": "rare earths",
        },
        {
            "claim_id": "b",
            "metric": "m1",
            "subject": "China",
            "period": "2025",
            "commodity": "rare earths",
        },
        {"claim_id": "c", "metric": "m2", "subject": "Japan", "period": "2010", "commodity": None},
    ]
    assert [r["claim_id"] for r in query_claims(rows, metric="m1")] == ["a", "b"]
    assert [r["claim_id"] for r in query_claims(rows, subject="japan", period="2025")] == ["a"]
    assert [
        r["claim_id"] for r in query_claims(rows, commodity="rare earths", subject="China")
    ] == ["b"]
    assert query_claims(rows) == rows
