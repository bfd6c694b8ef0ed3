"""Formatting of values, periods and metric names; the fallback sentence splitter."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pipeline.report.common import (
    containing_sentence,
    format_claim_value,
    format_interval,
    format_period,
    metric_names,
    number,
    sentence_spans,
)


@pytest.mark.parametrize(
    "x,unit,expected",
    [
        (58, "%", "58"),
        (33.333333, "%", "33.3333"),
        (660000000000, "JPY", "6600億"),
        (439000000, "USD", "4.39億"),
        (13900, "項", "1.39萬"),
        (62474, "t", "62,474"),  # 6.2474萬 would be harder to read
        (65000, "t", "6.5萬"),
        (0.43, "%", "0.43"),
        (2026, "year", "2026"),
        (12000, None, "12,000"),
    ],
)
def test_number(x: float, unit: str | None, expected: str) -> None:
    assert number(x, unit) == expected


@pytest.mark.parametrize(
    "claim,expected",
    [
        ({"value": 58, "low": 58, "high": 58, "unit": "%", "qualifier": "exact"}, "58%"),
        ({"value": 60, "low": 60, "high": 60, "unit": "%", "qualifier": "approx"}, "約60%"),
        ({"value": None, "low": 60, "high": 70, "unit": "%", "qualifier": "range"}, "60–70%"),
        ({"value": 90, "low": 90, "high": None, "unit": "%", "qualifier": "at_least"}, "90%以上"),
        ({"value": 4.39e8, "low": 4.39e8, "unit": "USD", "qualifier": "more_than"}, "逾4.39億美元"),
        ({"value": 100, "high": 100, "unit": "%", "qualifier": "nearly"}, "近100%"),
        ({"value": 60, "high": 60, "unit": "%", "qualifier": "less_than"}, "不到60%"),
        ({"value": 50, "high": 50, "unit": "%", "qualifier": "at_most"}, "50%以下"),
        ({"value": 1.31e11, "unit": "TWD", "qualifier": "approx"}, "約新臺幣1310億元"),
        ({"value": 5200, "unit": "lb", "qualifier": "approx"}, "約5200磅"),
        ({"value": 3, "unit": "艘", "qualifier": "exact"}, "3艘"),
        ({"value": 450, "unit": "tSWU", "qualifier": "exact"}, "450 tSWU"),
        ({"surface": "數百", "value": None, "unit": None, "qualifier": "exact"}, "數百"),
    ],
)
def test_format_claim_value(claim: dict[str, Any], expected: str) -> None:
    assert format_claim_value(claim) == expected


@pytest.mark.parametrize(
    "low,high,unit,expected",
    [
        (58, 58, "%", "58%"),
        (60, 70, "%", "60–70%"),
        (90, None, "%", "90%以上"),
        (None, 50, "%", "50%以下"),
        (None, None, "%", "—"),
        (164e8, 1319e8, "JPY", "164億–1319億日圓"),
    ],
)
def test_format_interval(low: float | None, high: float | None, unit: str, expected: str) -> None:
    assert format_interval(low, high, unit) == expected


@pytest.mark.parametrize(
    "period,expected",
    [
        ("2025", "2025年"),
        ("2025-10", "2025年10月"),
        ("2026-01-12", "2026年1月12日"),
        ("2025-Q3", "2025年第3季"),
        ("1990/1999", "1990年代"),
        ("2019/2022", "2019–2022年"),
        ("2025-H1", "2025年上半年"),
        # regression "2026-01/2026-0952萬": month and quarter intervals were printed raw
        ("2026-01/2026-09", "2026年1月至2026年9月"),
        ("2026-Q1/2026-Q3", "2026年第1季至2026年第3季"),
        (None, "時期不明"),
        ("someday", "someday"),
    ],
)
def test_format_period(period: str | None, expected: str) -> None:
    assert format_period(period) == expected


@pytest.mark.parametrize(
    "metric,zh,en_part",
    [
        ("japan_re_import_share_from_china", "日本稀土進口對中國依賴", "Japan"),
        # Templated lexicon keys get a Chinese name with the slug filled in.
        ("us_re_import_share_from_china", "美國稀土進口對中國依賴", "China"),
        ("taiwan_re_import_volume", "臺灣稀土進口量", ""),
        ("export_quota_china", "中國稀土出口配額", ""),
        ("brandnew_metric_key", "brandnew metric key", "brandnew metric key"),
        (None, "未歸類數字", "unclassified"),
    ],
)
def test_metric_names(metric: str | None, zh: str, en_part: str) -> None:
    got_zh, got_en = metric_names(metric)
    assert got_zh == zh
    assert en_part in got_en


@pytest.mark.parametrize(
    "text,expected",
    [
        ("第一句。第二句！第三句？", ["第一句。", "第二句！", "第三句？"]),
        ("標題\n  正文一句。  \n\n尾巴", ["標題", "正文一句。", "尾巴"]),
        ("", []),
    ],
)
def test_fallback_sentence_spans(text: str, expected: list[str]) -> None:
    spans = sentence_spans(text, None)
    assert [text[s:e] for s, e in spans] == expected
    for s, e in spans:
        assert containing_sentence(spans, s) == (s, e)


# ---------------------------------------------------------------- ClaimSet (issue 8)


def _claims_fixture() -> list[dict[str, Any]]:
    """Three documents' claims; one has no metric."""
    rows = []
    for doc, n in (("d1", 2), ("d2", 3), ("d3", 1)):
        for i in range(n):
            rows.append(
                {
                    "claim_id": f"{doc}-c{i + 1:03d}",
                    "doc_id": doc,
                    "surface": f"{i + 1}成",
                    "sentence": f"第{i}句，稀土進口約{i + 1}成來自中國。",
                    "metric": None if (doc, i) == ("d2", 1) else "japan_re_import_share_from_china",
                    "subject": "Japan",
                    "object": "China",
                    "commodity": "rare earths",
                    "period": str(2020 + i),
                }
            )
    return rows


def test_claim_set_from_the_index_reads_only_the_documents_asked_for() -> None:
    from pipeline.reconcile.core import index_row
    from pipeline.report.briefing import briefing_state
    from pipeline.report.common import ClaimSet

    claims = _claims_fixture()
    text = {
        d: "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in claims if c["doc_id"] == d)
        for d in ("d1", "d2", "d3")
    }
    asked: list[list[str]] = []

    def texts(ids: Any) -> dict[str, str]:
        asked.append(list(ids))
        return {d: text[d] for d in ids}

    lazy = ClaimSet(index=[index_row(c) for c in claims], texts=texts)
    eager = ClaimSet(claims)
    assert len(lazy) == len(eager) == 6 and lazy.n_unmetric == eager.n_unmetric == 1
    assert [lazy.count(d) for d in ("d1", "d2", "d3", "dx")] == [2, 3, 1, 0]
    assert asked == []  # counting needs no claim
    assert lazy.doc_of("d2-c003") == "d2" and asked == []
    assert lazy["d2-c003"] == claims[4] and asked == [["d2"]]
    lazy.prefetch(["d1-c001", "d3-c001", "d2-c001"])
    assert asked == [["d2"], ["d1", "d3"]]  # one read for the documents not yet read
    assert lazy.of_doc("d1") == eager.of_doc("d1") == claims[:2]
    assert lazy.get("nope") is None and lazy.of_doc("dx") == []
    assert len(asked) == 2
    # the briefing state from the index equals the one from the claims
    assert briefing_state(["d1", "d2", "d3"], lazy) == briefing_state(["d1", "d2", "d3"], claims)
    assert len(asked) == 2
    # ... and from figure keys the corpus stage keeps per document
    from pipeline.report.common import figure_key

    per_doc = [figure_key(index_row(c)[2:7]) for c in claims if c["metric"]]
    kept = ClaimSet(index=[index_row(c) for c in claims], texts=texts, figures=per_doc)
    assert briefing_state(["d1"], kept)["figures"] == briefing_state(["d1"], claims)["figures"]
    assert len(briefing_state(["d1"], kept)["figures"]) == 3  # periods 2020-2022
