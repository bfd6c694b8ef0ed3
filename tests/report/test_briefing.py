"""Briefing: statements match reconciled.json, conflicts first, timeline dedup, news."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.report.briefing import (
    briefing_facts,
    briefing_state,
    build_timeline,
    render_briefing,
    stated_value,
    top_entities,
    whats_new,
)
from pipeline.report.common import format_interval
from tests.report.conftest import DOC_A_ID, DOC_B_ID, DOC_X_ID


def _render(corpus: dict[str, Any], previous: dict[str, Any] | None = None) -> str:
    docs = corpus["docs"]
    return render_briefing(
        corpus["reconciled"],
        corpus["claims"],
        {d: corpus["extracted"][d]["entities"] for d in docs},
        {d: corpus["extracted"][d]["times"] for d in docs},
        previous,
        docs=docs,
    )


# What the supporting sources state, per (metric, period) of the fixture.
STATED = {
    ("china_share_global_refining", "2026"): "約90%",
    ("japan_re_import_share_from_china", "2025"): "60–70%",
    ("japan_re_import_share_from_china", "2010"): "約90%",
}


def test_facts_match_reconciled_values_and_source_counts(corpus: dict[str, Any]) -> None:
    rec = corpus["reconciled"]
    facts = briefing_facts(rec, corpus["claims"])
    assert len(facts) == len(rec["groups"])
    by_metric = {f["metric"]: f for f in facts}
    for g in rec["groups"]:
        f = by_metric[g["key"]["metric"]]
        for k in ("subject", "object", "commodity"):
            assert f[k] == g["key"][k]
        assert {p["period"] for p in f["periods"]} == {p["period"] for p in g["periods"]}
        for p in g["periods"]:
            fp = next(x for x in f["periods"] if x["period"] == p["period"])
            cons = p["consensus"]
            assert (fp["low"], fp["high"], fp["sources"]) == (
                cons["low"],
                cons["high"],
                cons["sources"],
            )
            assert fp["claim_ids"] == [c["claim_id"] for c in p["claims"]]
            assert fp["consensus_zh"] == format_interval(cons["low"], cons["high"], "%")
            assert fp["value_zh"] == STATED[(g["key"]["metric"], p["period"])]
            n_conf = sum(1 for c in p["claims"] if c["label"] == "conflict")
            assert len(fp["conflicts"]) == n_conf
            # The statement carries the value and the source count of every period.
            assert f"{fp['period_zh']}{fp['value_zh']}（{cons['sources']}個來源" in f["statement"]


def test_statement_text_for_the_dependence_group(corpus: dict[str, Any]) -> None:
    facts = briefing_facts(corpus["reconciled"], corpus["claims"])
    jp = next(f for f in facts if f["metric"] == "japan_re_import_share_from_china")
    assert jp["statement"] == (
        "日本稀土進口對中國依賴 (japan_re_import_share_from_china; Japan → China; rare earths)："
        "2010年約90%（2個來源一致）；2025年60–70%（2個來源，1項衝突）；目標：2036年50%以下"
    )
    # Periods in time order even when reconciled.json lists them otherwise.
    assert [p["period"] for p in jp["periods"]] == ["2010", "2025"]


def test_conflicts_come_first_with_explanations(corpus: dict[str, Any]) -> None:
    facts = briefing_facts(corpus["reconciled"], corpus["claims"])
    flags = [f["has_conflict"] for f in facts]
    assert flags == sorted(flags, reverse=True) and flags[0]
    md = _render(corpus)
    assert md.index("## 衝突") < md.index("## 關鍵數字")
    conflicts = md[md.index("## 衝突") : md.index("## 關鍵數字")]
    assert "different definition: share by value, not by volume" in conflicts
    assert "乙報" in conflicts and "85%" in conflicts and "60–70%" in conflicts
    key = md[md.index("## 關鍵數字") :]
    assert key.index("japan_re_import_share_from_china") < key.index("china_share_global_refining")


def test_every_fact_statement_is_in_the_briefing(corpus: dict[str, Any]) -> None:
    md = _render(corpus)
    for f in briefing_facts(corpus["reconciled"], corpus["claims"]):
        assert f"- {f['statement']}" in md


@pytest.mark.parametrize(
    "reconciled",
    [
        {},
        {"groups": []},
        {"groups": [{"key": {"metric": None}, "periods": []}]},
        # Optional keys missing: no consensus, no labels, no targets.
        {
            "groups": [
                {
                    "key": {"metric": "budget_amount", "subject": "Japan"},
                    "periods": [{"period": "2026", "claims": [{"claim_id": "z", "doc_id": "d"}]}],
                }
            ]
        },
    ],
)
def test_facts_tolerate_missing_optional_keys(reconciled: dict[str, Any]) -> None:
    facts = briefing_facts(reconciled)
    for f in facts:
        assert isinstance(f["statement"], str)


def test_timeline_dedups_same_date_similar_sentence_across_outlets(corpus: dict[str, Any]) -> None:
    docs = corpus["docs"]
    rows = build_timeline({d: corpus["extracted"][d]["times"] for d in docs}, docs)
    by_date: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_date.setdefault(r["date"], []).append(r)
    # The MoU in March 2026, reported by both outlets: one row, two sources.
    assert len(by_date["2026-03"]) == 1
    assert [s["doc_id"] for s in by_date["2026-03"][0]["sources"]] == [DOC_A_ID, DOC_B_ID]
    # 2010 in two unrelated sentences (the share, the embargo): two rows.
    assert len(by_date["2010"]) == 2
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    for r in rows:
        for s in r["sources"]:
            text = docs[s["doc_id"]]["text"]
            assert text[s["start"] : s["end"]] == s["surface"]
            assert s["sentence_start"] <= s["start"] < s["sentence_end"]


def test_timeline_one_document_does_not_corroborate_itself(corpus: dict[str, Any]) -> None:
    docs = corpus["docs"]
    a_times = corpus["extracted"][DOC_A_ID]["times"]
    twice = a_times + [dict(a_times[2])]  # the same mention listed twice
    rows = build_timeline({DOC_A_ID: twice}, docs)
    assert all(len(r["sources"]) == 1 for r in rows)
    assert len([r for r in rows if r["date"] == "2026-03"]) == 1


def test_timeline_skips_unresolved_times(corpus: dict[str, Any]) -> None:
    t = dict(corpus["extracted"][DOC_A_ID]["times"][0], value=None, basis="unresolved")
    assert build_timeline({DOC_A_ID: [t]}, corpus["docs"]) == []


def test_top_entities_ranked_by_documents_then_mentions(corpus: dict[str, Any]) -> None:
    ents = top_entities({d: corpus["extracted"][d]["entities"] for d in corpus["docs"]})
    assert [e["id"] for e in ents] == ["Australia", "China", "Japan", "METI"]
    china = ents[1]
    assert (china["documents"], china["mentions"]) == (2, 3)


def test_state_and_whats_new(corpus: dict[str, Any]) -> None:
    claims = corpus["claims"]
    prev = briefing_state([DOC_A_ID], [c for c in claims if c["doc_id"] == DOC_A_ID])
    assert prev["schema"] == "briefing_state/1"
    new = whats_new(prev, [DOC_A_ID, DOC_B_ID, DOC_X_ID], claims)
    assert new["first_run"] is False
    assert new["new_docs"] == [DOC_B_ID, DOC_X_ID]
    assert new["new_claims"] == ["b-c001", "b-c002", "b-c003", "b-c004", "x-c001"]
    # Doc B only adds claims to figures A already had.
    assert new["new_figures"] == []
    gone = whats_new(briefing_state([DOC_A_ID, "f" * 16], []), [DOC_A_ID], [])
    assert gone["removed_docs"] == ["f" * 16]
    # With titles remembered, the briefing names a removed document.
    docs = corpus["docs"]
    before = briefing_state(list(docs), claims, docs)
    after = {k: v for k, v in docs.items() if k != DOC_B_ID}
    kept = [c for c in claims if c["doc_id"] != DOC_B_ID]
    md = render_briefing(corpus["reconciled"], kept, {}, {}, before, docs=after)
    assert f"已移除：日本稀土進口依賴仍高（`{DOC_B_ID}`）" in md
    md = _render(corpus, prev)
    assert "新文件 2 篇" in md and "日本稀土進口依賴仍高" in md
    assert "首次執行" in _render(corpus, None)


def test_briefing_is_deterministic_and_escapes_html(corpus: dict[str, Any]) -> None:
    md = _render(corpus)
    assert md == _render(corpus)
    assert "<script" not in md and "<b>" not in md


def _c(
    q: str,
    value: float | None = None,
    low: float | None = None,
    high: float | None = None,
    unit: str = "%",
) -> dict[str, Any]:
    return {"qualifier": q, "value": value, "low": low, "high": high, "unit": unit}


@pytest.mark.parametrize(
    "support,expected",
    [
        ([_c("exact", 90, 90, 90), _c("approx", 90, 90, 90)], "約90%"),
        ([_c("exact", 58, 58, 58)], "58%"),
        ([_c("approx", 60, 60, 60), _c("range", None, 60, 70)], "60–70%"),
        ([_c("exact", 90, 90, 90), _c("at_least", 90, 90, None)], "90%"),  # bounds yield to points
        ([_c("more_than", 50, 50, None), _c("at_least", 60, 60, None)], "60%以上"),
        ([_c("at_most", 50, None, 50)], "50%以下"),
        ([_c("nearly", 100, None, 100), _c("less_than", 80, None, 80)], "不到80%"),
        ([_c("exact", 5, 5, 5, unit="t")], None),  # other unit: not this period's figure
        ([], None),
    ],
)
def test_stated_value(support: list[dict[str, Any]], expected: str | None) -> None:
    assert stated_value(support, "%") == expected


SCHEMAS = Path(__file__).resolve().parents[2] / "pipeline" / "schemas"


@pytest.mark.parametrize("name", ["reconciled", "claim"])
def test_fixture_follows_the_schemas(corpus: dict[str, Any], name: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    path = SCHEMAS / f"{name}.schema.json"
    if not path.is_file():
        pytest.skip(f"{path.name} not written yet")
    schema = json.loads(path.read_text(encoding="utf-8"))
    items = [corpus["reconciled"]] if name == "reconciled" else corpus["claims"]
    for item in items:
        jsonschema.validate(item, schema)


def test_briefing_matches_the_real_reconcile_output(corpus: dict[str, Any]) -> None:
    try:
        from pipeline.reconcile import reconcile
    except ImportError:
        pytest.skip("pipeline.reconcile not available")
    rec = reconcile(corpus["claims"])
    facts = briefing_facts(rec, corpus["claims"])
    md = render_briefing(rec, corpus["claims"], {}, {}, None, docs=corpus["docs"])
    assert len(facts) == len(rec["groups"])
    for f in facts:
        assert f"- {f['statement']}" in md
        g = next(
            g
            for g in rec["groups"]
            if g["key"]["metric"] == f["metric"] and g["key"]["commodity"] == f["commodity"]
        )
        for p in g["periods"]:
            fp = next(x for x in f["periods"] if x["period"] == p["period"])
            assert (fp["low"], fp["high"]) == (p["consensus"]["low"], p["consensus"]["high"])
            assert fp["sources"] == p["consensus"]["sources"]
            assert fp["claim_ids"] == [c["claim_id"] for c in p["claims"]]
    flags = [f["has_conflict"] for f in facts]
    assert flags == sorted(flags, reverse=True)
