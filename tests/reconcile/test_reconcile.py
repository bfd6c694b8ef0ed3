"""Reconciliation: grouping, time series, consensus, labels and explanations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.reconcile import interval, reconcile, render_markdown, rounding
from pipeline.reconcile.core import independent_sources

SCHEMA = json.loads(
    (
        Path(__file__).resolve().parents[2] / "pipeline" / "schemas" / "reconciled.schema.json"
    ).read_text(encoding="utf-8")
)
_N = 0


def claim(
    doc: str,
    surface: str,
    value: float | None,
    *,
    qualifier: str = "exact",
    low: float | None = None,
    high: float | None = None,
    period: str | None = "2025",
    basis: str = "explicit",
    modality: str = "estimate",
    metric: str | None = "japan_re_import_share_from_china",
    subject: str | None = "Japan",
    obj: str | None = "China",
    commodity: str | None = "rare earths",
    unit: str = "%",
    sentence: str | None = None,
    equivalent_of: str | None = None,
) -> dict[str, Any]:
    """A claim dict as build_claims would produce it."""
    global _N
    _N += 1
    if (
        value is not None
        and low is None
        and qualifier in ("exact", "approx", "at_least", "more_than")
    ):
        low = value
    if (
        value is not None
        and high is None
        and qualifier in ("exact", "approx", "nearly", "at_most", "less_than")
    ):
        high = value
    return {
        "schema": "claim/1",
        "claim_id": f"{doc}-c{_N:03d}",
        "doc_id": doc,
        "surface": surface,
        "start": 0,
        "end": len(surface),
        "sentence": sentence if sentence is not None else f"{doc}報導第{_N}句提到{surface}。",
        "type": "percent" if unit in ("%", "pp") else "money",
        "value": value,
        "low": low,
        "high": high,
        "unit": unit,
        "qualifier": qualifier,
        "metric": metric,
        "subject": subject,
        "object": obj,
        "commodity": commodity,
        "period": period,
        "period_basis": basis,
        "modality": modality,
        "attribution": None,
        "equivalent_of": equivalent_of,
        "source": {
            "title": f"{doc} 標題",
            "outlet": f"{doc}報",
            "published": "2026-01-10",
            "source_path": f"{doc}.txt",
        },
    }


def _valid(rec: dict[str, Any]) -> dict[str, Any]:
    jsonschema.validate(rec, SCHEMA)
    return rec


def _period(group: dict[str, Any], period: str, section: str = "periods") -> dict[str, Any]:
    return next(p for p in group[section] if p["period"] == period)


def _labels(p: dict[str, Any]) -> dict[str, str]:
    return {e["surface"]: e["label"] for e in p["claims"]}


def _why(p: dict[str, Any], surface: str) -> str:
    return next(e["explanation"] for e in p["claims"] if e["surface"] == surface)


@pytest.mark.parametrize(
    ("surface", "value", "unit", "half"),
    [
        ("60%", 60.0, "%", 5.0),
        ("六成", 60.0, "%", 5.0),
        ("58%", 58.0, "%", 0.5),
        ("0.11%", 0.11, "%", 0.005),
        ("2.5億美元", 2.5e8, "USD", 5e6),
        ("10億美元", 1e9, "USD", 5e7),
    ],
)
def test_rounding(surface: str, value: float, unit: str, half: float) -> None:
    assert rounding({"surface": surface, "value": value, "unit": unit}) == pytest.approx(half)


@pytest.mark.parametrize(
    ("qualifier", "value", "low", "high", "expected"),
    [
        ("exact", 58.0, 58.0, 58.0, (57.5, 58.5)),
        ("exact", 90.0, 90.0, 90.0, (85.0, 95.0)),
        ("approx", 60.0, 60.0, 60.0, (55.0, 65.0)),
        ("at_least", 90.0, 90.0, None, (90.0, 100.0)),
        ("more_than", 50.0, 50.0, None, (50.0, 100.0)),
        ("range", None, 60.0, 70.0, (60.0, 70.0)),
        ("nearly", 100.0, None, 100.0, (95.0, 100.0)),
        ("less_than", 60.0, None, 60.0, (0.0, 60.0)),
        ("at_most", 50.0, None, 50.0, (0.0, 50.0)),
    ],
)
def test_interval(
    qualifier: str,
    value: float | None,
    low: float | None,
    high: float | None,
    expected: tuple[float, float],
) -> None:
    c = {
        "surface": "x",
        "value": value,
        "low": low,
        "high": high,
        "unit": "%",
        "qualifier": qualifier,
    }
    assert interval(c) == pytest.approx(expected)


def test_dependence_time_series_with_target_apart() -> None:
    """Japan-style dependence: several sources for 2010, one for 2018, two for now, a target."""
    claims = [
        claim("docA", "約九成", 90.0, qualifier="approx", period="2010", modality="historical"),
        claim("docB", "90%以上", 90.0, qualifier="at_least", period="2010", modality="historical"),
        claim("docC", "九成", 90.0, period="2010", modality="historical"),
        claim("docD", "近100%", 100.0, qualifier="nearly", period="2010", modality="historical"),
        claim("docD", "58%", 58.0, period="2018", modality="historical"),
        claim("docB", "約60%至70%", None, qualifier="range", low=60.0, high=70.0, period="2025"),
        claim("docC", "約六成", 60.0, qualifier="approx", period="2025", basis="publication"),
        claim("docA", "5成以下", 50.0, qualifier="at_most", period="2035", modality="target"),
    ]
    rec = _valid(reconcile(claims))
    (g,) = rec["groups"]
    assert [p["period"] for p in g["periods"]] == ["2010", "2018", "2025"]
    p2010 = _period(g, "2010")
    assert (p2010["consensus"]["low"], p2010["consensus"]["high"]) == (90.0, 95.0)
    assert p2010["consensus"]["sources"] == 3
    labels = _labels(p2010)
    assert labels["約九成"] == labels["九成"] == labels["90%以上"] == "agree"
    assert labels["近100%"] == "conflict"
    assert _why(p2010, "近100%").startswith("rounding/hedge")
    assert _labels(_period(g, "2018")) == {"58%": "agree"}
    p2025 = _period(g, "2025")
    assert set(_labels(p2025).values()) <= {"agree", "compatible"}
    assert p2025["consensus"]["sources"] == 2
    # the target is kept apart, never weighed against observations
    assert [t["period"] for t in g["targets"]] == ["2035"]
    assert all(e["surface"] != "5成以下" for p in g["periods"] for e in p["claims"])
    assert [s["period"] for s in g["series"]] == ["2010", "2018", "2025"]
    assert g["series_notes"][0].startswith("2010 → 2018: fell")
    assert g["series_notes"][1] == "2018 → 2025: rose from [57.5, 58.5] % to [60, 65] %"
    assert (p2025["consensus"]["low"], p2025["consensus"]["high"]) == (60.0, 65.0)


def test_refining_share_91_vs_92_differs_by_period() -> None:
    claims = [
        claim(
            "docA",
            "約91%",
            91.0,
            qualifier="approx",
            period="2025",
            metric="china_share_global_refining",
            subject="China",
            obj=None,
        ),
        claim(
            "docB",
            "92%",
            92.0,
            period="2023",
            metric="china_share_global_refining",
            subject="China",
            obj=None,
            modality="historical",
        ),
    ]
    (g,) = _valid(reconcile(claims))["groups"]
    assert [p["period"] for p in g["periods"]] == ["2023", "2025"]
    assert all(e["label"] == "agree" for p in g["periods"] for e in p["claims"])
    assert g["series_notes"] == [
        "2023 → 2025: same level within rounding; a time series, not a conflict"
    ]


def test_related_metrics_are_cross_listed() -> None:
    claims = [
        claim(
            "docA",
            "約91%",
            91.0,
            qualifier="approx",
            metric="china_share_global_refining",
            subject="China",
            obj=None,
        ),
        claim(
            "docB",
            "92%",
            92.0,
            period="2023",
            metric="china_share_global_processing",
            subject="China",
            obj=None,
        ),
    ]
    rec = _valid(reconcile(claims))
    by = {g["key"]["metric"]: g for g in rec["groups"]}
    assert (
        by["china_share_global_refining"]["related"][0]["metric"] == "china_share_global_processing"
    )
    assert "Related (same parties" in render_markdown(rec)


def test_copying_counts_one_source() -> None:
    same = "業界估計中國的稀土精煉產能佔全球八成五。"
    claims = [
        claim("docA", "八成五", 85.0, sentence=same),
        claim(
            "docB", "八成五", 85.0, sentence=same.replace("。", "").replace("業界", "業界 ") + "。"
        ),
        claim("docC", "約六成", 60.0, qualifier="approx"),
        claim("docD", "六成", 60.0),
    ]
    (g,) = _valid(reconcile(claims))["groups"]
    p = _period(g, "2025")
    # two independent sources (C, D) beat one source quoted twice (A, B)
    assert (p["consensus"]["low"], p["consensus"]["high"], p["consensus"]["sources"]) == (
        55.0,
        65.0,
        2,
    )
    assert {e["doc_id"]: e["independent_source"] for e in p["claims"]}["docB"] == "docA"
    assert "copied" in _why(p, "八成五")
    assert _labels(p)["八成五"] == "conflict"


def test_scope_variants_are_listed_not_merged() -> None:
    claims = [
        claim("docA", "約六成", 60.0, qualifier="approx"),
        claim("docB", "九成", 90.0, commodity="rare-earth oxides"),
    ]
    rec = _valid(reconcile(claims))
    assert len(rec["groups"]) == 2
    by = {g["key"]["commodity"]: g for g in rec["groups"]}
    assert by["rare earths"]["scope_variants"][0]["commodity"] == "rare-earth oxides"
    assert by["rare-earth oxides"]["scope_variants"][0]["claims"][0]["surface"] == "約六成"
    assert all(
        e["label"] == "agree" for g in rec["groups"] for p in g["periods"] for e in p["claims"]
    )


def test_percent_vs_percentage_points_is_a_definition_difference() -> None:
    claims = [
        claim("docA", "12%", 12.0, metric="export_volume_growth_china", subject="China", obj=None),
        claim("docB", "12%", 12.0, metric="export_volume_growth_china", subject="China", obj=None),
        claim(
            "docC",
            "3個百分點",
            3.0,
            unit="pp",
            metric="export_volume_growth_china",
            subject="China",
            obj=None,
        ),
    ]
    (g,) = _valid(reconcile(claims))["groups"]
    p = _period(g, "2025")
    assert _why(p, "3個百分點").startswith("different definition")


def test_unexplained_conflict_is_stated_plainly() -> None:
    claims = [
        claim("docA", "三成", 30.0),
        claim("docB", "約三成", 30.0, qualifier="approx"),
        claim("docC", "八成", 80.0),
    ]
    (g,) = _valid(reconcile(claims))["groups"]
    p = _period(g, "2025")
    assert _labels(p)["八成"] == "conflict"
    assert _why(p, "八成").startswith("unexplained conflict")


@pytest.mark.parametrize(
    ("sentence", "start"),
    [
        ("日本的重稀土進口有八成來自中國。", "different scope"),
        ("日本以進口額計算有八成來自中國。", "different definition"),
        ("日本過去曾有八成稀土來自中國。", "quoted as history"),
    ],
)
def test_explanations_in_order(sentence: str, start: str) -> None:
    claims = [
        claim("docA", "三成", 30.0),
        claim("docB", "約三成", 30.0, qualifier="approx"),
        claim("docC", "八成", 80.0, sentence=sentence),
    ]
    (g,) = reconcile(claims)["groups"]
    assert _why(_period(g, "2025"), "八成").startswith(start)


def test_different_period_basis_is_explained_first() -> None:
    claims = [
        claim("docA", "三成", 30.0),
        claim("docB", "約三成", 30.0, qualifier="approx"),
        claim(
            "docC", "八成", 80.0, basis="publication", sentence="日本的重稀土進口有八成來自中國。"
        ),
    ]
    (g,) = reconcile(claims)["groups"]
    assert _why(_period(g, "2025"), "八成").startswith("different period")


def test_scenarios_apart_and_conversions_not_independent() -> None:
    a = claim(
        "docA",
        "6000億日圓",
        6e11,
        unit="JPY",
        metric="sanction_loss_estimate",
        modality="scenario",
        period="2026",
    )
    b = claim(
        "docA",
        "約1300億台幣",
        1.3e11,
        qualifier="approx",
        unit="TWD",
        metric="sanction_loss_estimate",
        modality="scenario",
        period="2026",
        equivalent_of=a["claim_id"],
    )
    c = claim(
        "docB",
        "約6000億日圓",
        6e11,
        qualifier="approx",
        unit="JPY",
        metric="sanction_loss_estimate",
        modality="scenario",
        period="2026",
    )
    (g,) = _valid(reconcile([a, b, c]))["groups"]
    assert g["periods"] == [] and len(g["scenarios"]) == 1
    s = g["scenarios"][0]
    assert s["consensus"]["unit"] == "JPY" and s["consensus"]["sources"] == 2
    assert _why(s, "約1300億台幣").startswith("conversion of")


def test_unmetric_claims_are_not_grouped_and_order_is_deterministic() -> None:
    claims = [
        claim("docB", "五成", 50.0, metric="b_metric"),
        claim("docA", "四成", 40.0, metric="a_metric"),
        claim("docC", "三成", 30.0, metric=None),
    ]
    one = reconcile(claims)
    two = reconcile(list(reversed(claims)))
    assert one == two
    assert [g["key"]["metric"] for g in one["groups"]] == ["a_metric", "b_metric"]
    assert one["ungrouped_claims"] == 1


def test_markdown_shows_every_claim_with_source_and_explanation() -> None:
    claims = [
        claim("docA", "三成", 30.0, sentence="甲報說三成。"),
        claim("docB", "約三成", 30.0, qualifier="approx"),
        claim("docC", "八成", 80.0),
        claim("docA", "兩成以下", 20.0, qualifier="at_most", modality="target", period="2030"),
    ]
    rec = reconcile(claims)
    md = render_markdown(rec)
    for c in claims:
        assert c["claim_id"] in md
    assert "甲報說三成。" in md and "docA報" in md and "unexplained conflict" in md
    assert "### Targets" in md and "| conflict |" in md


@given(
    value=st.one_of(st.none(), st.floats(-1e12, 1e12, allow_nan=False)),
    low=st.one_of(st.none(), st.floats(-1e12, 1e12, allow_nan=False)),
    high=st.one_of(st.none(), st.floats(-1e12, 1e12, allow_nan=False)),
    qualifier=st.sampled_from(
        ["exact", "approx", "range", "at_least", "more_than", "nearly", "at_most", "less_than"]
    ),
    unit=st.sampled_from(["%", "pp", "USD", "t", None]),
)
def test_interval_is_never_inverted(value, low, high, qualifier, unit) -> None:  # type: ignore[no-untyped-def]
    lo, hi = interval(
        {
            "value": value,
            "low": low,
            "high": high,
            "qualifier": qualifier,
            "unit": unit,
            "surface": "x",
        }
    )
    assert lo <= hi


def test_negative_growth_keeps_its_sign() -> None:
    assert interval(
        {"value": -12.5, "low": -12.5, "high": -12.5, "qualifier": "exact", "unit": "%"}
    ) == (-12.55, -12.45)


def test_regression_scenarios_with_different_assumptions_are_not_unexplained() -> None:
    """若斷供三個月…0.1% vs 若斷供一年…1.2%: two assumptions, not a conflict left unexplained."""
    kw: dict[str, Any] = {
        "metric": "gdp_impact",
        "modality": "scenario",
        "period": "2026",
        "obj": "China",
    }
    claims = [
        claim("docA", "0.1%", 0.1, sentence="若中國斷供三個月，韓國GDP將減少0.1%。", **kw),
        claim("docB", "1.2%", 1.2, sentence="若中國斷供一年，韓國GDP恐減少1.2%。", **kw),
        claim(
            "docC",
            "約1.2%",
            1.2,
            qualifier="approx",
            sentence="若中國斷供一年，韓國GDP恐減少約1.2%。",
            **kw,
        ),
    ]
    (g,) = _valid(reconcile(claims))["groups"]
    (s,) = g["scenarios"]
    assert _why(s, "0.1%").startswith("different scope: a different scenario")


def test_agency_joins_its_country_group_when_the_key_names_the_country() -> None:
    """JOGMEC's 十餘年 effort is filed as japan_…: it joins Japan's group; JAMSTEC's depth stays."""
    claims = [
        claim(
            "docA",
            "十多年",
            10.0,
            qualifier="more_than",
            metric="japan_re_diversification_duration",
            subject="Japan",
            unit="year",
            period="2010/2026",
        ),
        claim(
            "docB",
            "十餘年",
            10.0,
            qualifier="more_than",
            metric="japan_re_diversification_duration",
            subject="JOGMEC",
            unit="year",
            period="2010/2026",
        ),
        claim(
            "docC",
            "約5000公尺",
            5000.0,
            qualifier="approx",
            metric="seabed_sampling_water_depth",
            subject="JAMSTEC",
            obj=None,
            unit="m",
            period="2026-01",
        ),
    ]
    rec = _valid(reconcile(claims))
    keys = {(g["key"]["metric"], g["key"]["subject"]): g["n_claims"] for g in rec["groups"]}
    assert keys == {
        ("japan_re_diversification_duration", "Japan"): 2,
        ("seabed_sampling_water_depth", "JAMSTEC"): 1,
    }
    japan = next(g for g in rec["groups"] if g["key"]["subject"] == "Japan")
    assert {e["surface"] for e in _period(japan, "2010/2026")["claims"]} == {"十多年", "十餘年"}


# ---------------------------------------------------------------- memo (issue 8)


def _memo_corpus() -> list[dict[str, Any]]:
    """Three documents, two groups; doc b's sentence is copied by doc c."""
    copied = "日本稀土進口約六成來自中國，比十年前明顯下降。"
    return [
        claim("a", "58%", 58.0, period="2018"),
        claim("b", "約六成", 60.0, qualifier="approx", sentence=copied),
        claim("c", "約六成", 60.0, qualifier="approx", sentence=copied),
        claim("a", "91%", 91.0, metric="china_share_global_refining", subject="China", obj=None),
        claim("c", "92%", 92.0, metric="china_share_global_refining", subject="China", obj=None),
    ]


def _memo(stored: dict[str, str], keys: dict[str, str]) -> Any:
    """A GroupMemo reading from ``stored``."""
    from pipeline.reconcile import GroupMemo

    return GroupMemo("code-1", keys, stored.get)


def test_memoized_groups_give_the_same_output_and_are_not_recomputed() -> None:
    claims = _memo_corpus()
    plain = json.dumps(reconcile(claims), ensure_ascii=False)
    keys = {"a": "k1", "b": "k1", "c": "k1"}
    first = _memo({}, keys)
    assert json.dumps(reconcile(claims, first), ensure_ascii=False) == plain
    assert len(first.new) == 2
    second = _memo(dict(first.new), keys)
    assert json.dumps(reconcile(claims, second), ensure_ascii=False) == plain
    assert second.new == {}


def test_changed_document_recomputes_only_its_groups() -> None:
    claims = _memo_corpus()
    first = _memo({}, {"a": "k1", "b": "k1", "c": "k1"})
    reconcile(claims, first)
    # b took part in the dependence group only: the refining group is served from the memo
    again = _memo(dict(first.new), {"a": "k1", "b": "k2", "c": "k1"})
    reconcile(claims, again)
    assert len(again.new) == 1
    (value,) = again.new.values()
    assert json.loads(value)["key"]["metric"] == "japan_re_import_share_from_china"


def test_a_stored_group_is_served_only_for_its_own_fingerprint() -> None:
    """A poisoned memo row shows that hits are used, and that new inputs never hit it."""
    claims = _memo_corpus()
    first = _memo({}, {"a": "k1", "b": "k1", "c": "k1"})
    reconcile(claims, first)
    poisoned = {fp: json.dumps({**json.loads(v), "n_claims": -1}) for fp, v in first.new.items()}
    hit = reconcile(claims, _memo(poisoned, {"a": "k1", "b": "k1", "c": "k1"}))
    assert {g["n_claims"] for g in hit["groups"]} == {-1}
    fresh = reconcile(claims, _memo(poisoned, {"a": "k9", "b": "k9", "c": "k9"}))
    assert -1 not in {g["n_claims"] for g in fresh["groups"]}
    # a group with a member whose document has no key is never memoized
    nokey = _memo({}, {"a": "k1"})
    assert json.dumps(reconcile(claims, nokey)) == json.dumps(reconcile(claims))
    assert nokey.new == {}


# ---------------------------------------------------------------- from the index (issue 8)


class _Store:
    """A dict-backed TextStore that counts writes."""

    def __init__(self, data: dict[str, str] | None = None) -> None:
        self.data = dict(data or {})
        self.puts = 0

    def get(self, fp: str) -> str | None:
        return self.data.get(fp)

    def put(self, fp: str, value: str) -> None:
        self.puts += 1
        self.data[fp] = value

    def keep(self, fp: str) -> None:
        pass


def _linked_corpus() -> list[dict[str, Any]]:
    """Groups that link: a commodity scope variant, a related metric, a target, a copy,
    and a claim with no metric."""
    copied = "日本稀土進口約六成來自中國，比十年前明顯下降。"
    return [
        *_memo_corpus(),
        claim("b", "逾九成", 90.0, qualifier="more_than", commodity="heavy rare earths"),
        claim("c", "近100%", 100.0, qualifier="nearly", commodity="heavy rare earths"),
        claim("a", "5成以下", 50.0, qualifier="less_than", modality="target", period="2030"),
        claim("b", "七成", 70.0, metric="japan_re_consumption_share_from_china", sentence=copied),
        claim("d", "3成", 30.0, metric=None),
    ]


def _index_run(
    claims: list[dict[str, Any]], keys: dict[str, str], stores: tuple[_Store, _Store, _Store]
) -> tuple[dict[str, Any], list[Any], list[list[str]]]:
    """reconcile_index over ``claims`` with a fetch that records what it was asked for."""
    from pipeline.reconcile.core import index_row, reconcile_index

    fetched: list[list[str]] = []

    def fetch(ids: Any) -> list[dict[str, Any]]:
        fetched.append(list(ids))
        return [c for c in claims if c["doc_id"] in ids]

    header, lines = reconcile_index(
        [index_row(c) for c in claims],
        fetch,
        code="code-1",
        doc_keys=keys,
        groups=stores[0],
        metas=stores[1],
        lines=stores[2],
    )
    return header, lines, fetched


def _same_as_reconcile(claims: list[dict[str, Any]], header: dict[str, Any], lines: Any) -> None:
    """The index path gives reconcile's groups, byte for byte, in its order."""
    plain = reconcile(claims)
    assert [g.line for g in lines] == [
        json.dumps(g, ensure_ascii=False, separators=(",", ":")) for g in plain["groups"]
    ]
    assert {k: v for k, v in header.items() if k != "groups"} == {
        k: v for k, v in plain.items() if k != "groups"
    }


def test_index_path_gives_reconciles_lines_cold_and_warm() -> None:
    claims = _linked_corpus()
    keys = {d: "k1" for d in "abcd"}
    stores = (_Store(), _Store(), _Store())
    header, lines, fetched = _index_run(claims, keys, stores)
    _same_as_reconcile(claims, header, lines)
    assert any(json.loads(g.line)["scope_variants"] for g in lines)
    assert any(json.loads(g.line)["related"] for g in lines)
    assert fetched and stores[2].puts == len(lines)
    # warm: nothing is fetched, reconciled or written again
    warm = tuple(_Store(s.data) for s in stores)
    header, again, fetched = _index_run(claims, keys, warm)  # type: ignore[arg-type]
    assert [g.line for g in again] == [g.line for g in lines] and header["n_claims"] == 10
    assert fetched == [] and sum(s.puts for s in warm) == 0


def test_index_path_relinks_the_siblings_of_a_changed_group() -> None:
    claims = _linked_corpus()
    stores = (_Store(), _Store(), _Store())
    _index_run(claims, {d: "k1" for d in "abcd"}, stores)
    # c now says 96%: its heavy-rare-earth group changes, so the all-rare-earth group that
    # lists it as a scope variant gets a new line; the refining group (c too) is redone
    changed = [
        {**x, "value": 96.0, "low": 96.0, "high": 96.0, "surface": "96%", "qualifier": "exact"}
        if x["surface"] == "近100%"
        else x
        for x in claims
    ]
    warm = tuple(_Store(s.data) for s in stores)
    header, lines, fetched = _index_run(changed, {"a": "k1", "b": "k1", "c": "k2", "d": "k1"}, warm)  # type: ignore[arg-type]
    _same_as_reconcile(changed, header, lines)
    assert fetched == [["a", "b", "c"]]  # the documents of the groups c is in, once
    new_groups = {json.loads(v)["key"]["commodity"] for v in warm[0].data.values()}
    assert "heavy rare earths" in new_groups
    # the group c is not in is not reconciled again; its line is redone (it lists the
    # changed dependence series as related), the others' lines too
    assert warm[1].puts == 3  # c's groups: dependence (rare earths, heavy), refining
    untouched = next(g for g in lines if g.key[0] == "japan_re_consumption_share_from_china")
    assert untouched.fp in stores[1].data and untouched.line_fp not in stores[2].data


def test_index_path_survives_a_memo_that_lost_its_groups() -> None:
    claims = _linked_corpus()
    keys = {d: "k1" for d in "abcd"}
    stores = (_Store(), _Store(), _Store())
    _index_run(claims, keys, stores)
    # metadata kept, pre-link groups and lines lost: everything is rebuilt from the claims
    header, lines, fetched = _index_run(claims, keys, (_Store(), _Store(stores[1].data), _Store()))
    _same_as_reconcile(claims, header, lines)
    assert fetched


def test_index_sources_count_a_copied_sentence_once() -> None:
    from pipeline.reconcile.core import index_row, index_sources

    claims = _linked_corpus()
    assert index_sources([index_row(c) for c in claims]) == independent_sources(claims)


@pytest.mark.parametrize(
    "tails",
    [
        ["## a\n- x", "## b\n- y"],
        ["## a\n- x", "## b\n- y\n\n"],
        ["## a\n- x", "## b\n- y\u3000\n"],  # an ideographic space: str.rstrip, not bytes'
        [],
    ],
)
def test_markdown_pieces_with_cached_bytes_join_to_render_markdown(tails: list[str]) -> None:
    """A cache's group pieces as UTF-8 bytes give render_markdown's text, byte for byte."""
    from pipeline.reconcile import markdown_pieces

    rec = {"groups": tails}
    got = markdown_pieces(rec, lambda g: str(g).encode())
    head = str(got[0])
    # what render_markdown made before it was built on the pieces: a join, then one rstrip
    want = (head + "".join("\n" + t for t in tails)).rstrip() + "\n"
    assert render_markdown(rec, str) == want
    assert b"".join(p if isinstance(p, bytes) else p.encode() for p in got) == want.encode()
    assert want.endswith("\n") and not want.endswith("\n\n") and not want.endswith("\u3000\n")
