"""Claim construction: metric, parties, period, modality, attribution, conversions."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.claims import build_claims
from tests.claims.records import build_checked as _build
from tests.claims.records import ent, meta, qty, tm


def test_from_to_change_gives_two_claims_with_two_periods() -> None:
    text = "韓國對中國稀土的依賴程度，從2012年的八成以上，降到2024年的約五成。"
    qs = [
        qty(text, "八成以上", value=80.0, qualifier="at_least"),
        qty(text, "約五成", value=50.0, qualifier="approx"),
    ]
    ts = [tm(text, "2012年", "2012"), tm(text, "2024年", "2024")]
    es = [
        ent(text, "韓國", "GPE", "South Korea"),
        ent(text, "中國", "GPE", "China"),
        ent(text, "稀土", "MATERIAL", "rare earths"),
    ]
    a, b = _build(text, qs, ts, es)
    assert (a.period, b.period) == ("2012", "2024")
    assert a.modality == b.modality == "historical"  # both end before the 2025 publication
    for c in (a, b):
        assert c.metric == "korea_re_import_share_from_china"
        assert (c.subject, c.object, c.commodity) == ("South Korea", "China", "rare earths")


def test_from_value_is_historical_even_in_the_publication_year() -> None:
    text = "日本對中國稀土的依賴，從2010年的九成，降到今年的約六成。"
    qs = [qty(text, "九成", value=90.0), qty(text, "約六成", value=60.0, qualifier="approx")]
    ts = [tm(text, "2010年", "2010"), tm(text, "今年", "2025", basis="publication")]
    es = [
        ent(text, "日本", "GPE", "Japan"),
        ent(text, "中國", "GPE", "China"),
        ent(text, "稀土", "MATERIAL", "rare earths"),
    ]
    a, b = _build(text, qs, ts, es)
    assert (a.modality, b.modality) == ("historical", "estimate")
    assert (b.period, b.period_basis) == ("2025", "publication")


@pytest.mark.parametrize("word", ["目前", "如今", "現在", "近年"])
def test_current_words_date_by_publication(word: str) -> None:
    text = f"{word}台灣的稀土進口約有七成來自中國。"
    qs = [qty(text, "約有七成", value=70.0, qualifier="approx")]
    es = [
        ent(text, "台灣", "GPE", "Taiwan"),
        ent(text, "稀土", "MATERIAL", "rare earths"),
        ent(text, "中國", "GPE", "China"),
    ]
    (c,) = _build(text, qs, (), es)
    assert (c.period, c.period_basis, c.modality) == ("2025", "publication", "estimate")
    assert c.metric == "taiwan_re_import_share_from_china"
    assert (c.subject, c.object) == ("Taiwan", "China")


def test_undated_figure_takes_publication_year() -> None:
    text = "中國掌握全球約九成的稀土精煉產能。"
    qs = [qty(text, "約九成", value=90.0, qualifier="approx")]
    es = [ent(text, "中國", "GPE", "China"), ent(text, "稀土", "MATERIAL", "rare earths")]
    (c,) = _build(text, qs, (), es, published="2024-07-09")
    assert (c.metric, c.subject, c.object) == ("china_share_global_refining", "China", None)
    assert (c.period, c.period_basis, c.modality) == ("2024", "publication", "estimate")


def test_once_reads_the_period_from_the_sentence_before() -> None:
    text = "2011年稀土價格暴漲。當時日本企業一度有九成原料仰賴中國供應。"
    qs = [qty(text, "九成", value=90.0)]
    ts = [tm(text, "2011年", "2011")]
    es = [
        ent(text, "稀土", "MATERIAL", "rare earths"),
        ent(text, "日本", "GPE", "Japan"),
        ent(text, "中國", "GPE", "China"),
    ]
    (c,) = _build(text, qs, ts, es)
    assert (c.period, c.period_basis, c.modality) == ("2011", "inferred", "historical")


@pytest.mark.parametrize(
    ("text", "surface", "qfields", "times", "modality"),
    [
        ("若中國停止供應稀土半年，德國工業產值恐減少3%。", "3%", {"value": 3.0}, [], "scenario"),
        (
            "歐盟的目標是在2030年前把對單一國家的依賴壓到65%以下。",
            "65%以下",
            {"value": 65.0, "qualifier": "at_most"},
            [("2030年", "2030")],
            "target",
        ),
        (
            "預計2028年澳洲的稀土產量將達到3萬噸。",
            "3萬噸",
            {"type": "measure", "unit": "t", "value": 30000.0},
            [("2028年", "2028")],
            "forecast",
        ),
        (
            "2019年澳洲的稀土產量為2萬噸。",
            "2萬噸",
            {"type": "measure", "unit": "t", "value": 20000.0},
            [("2019年", "2019")],
            "historical",
        ),
        (
            "澳洲的稀土產量約為2萬噸。",
            "約為2萬噸",
            {"type": "measure", "unit": "t", "value": 20000.0, "qualifier": "approx"},
            [],
            "estimate",
        ),
    ],
)
def test_modality(
    text: str, surface: str, qfields: dict[str, Any], times: list[tuple[str, str]], modality: str
) -> None:
    qs = [qty(text, surface, **qfields)]
    ts = [tm(text, s, v) for s, v in times]
    (c,) = _build(text, qs, ts, [])
    assert c.modality == modality


def test_scenario_loss_parties() -> None:
    text = "若中國停止供應稀土半年，德國的損失恐達500億歐元。"
    qs = [qty(text, "500億歐元", type="money", unit="EUR", value=5e10)]
    es = [
        ent(text, "中國", "GPE", "China"),
        ent(text, "稀土", "MATERIAL", "rare earths"),
        ent(text, "德國", "GPE", "Germany"),
    ]
    (c,) = _build(text, qs, (), es)
    assert (c.metric, c.subject, c.object, c.modality) == (
        "sanction_loss_estimate",
        "Germany",
        "China",
        "scenario",
    )


@pytest.mark.parametrize(
    ("text", "ents", "who"),
    [
        (
            "據路透社報導，越南的稀土儲量約2200萬噸。",
            [("路透社", "ORG", "Reuters"), ("越南", "GPE", "Vietnam")],
            "Reuters",
        ),
        (
            "根據美國地質調查局的資料，越南的稀土儲量約2200萬噸。",
            [("美國地質調查局", "ORG", "USGS"), ("越南", "GPE", "Vietnam")],
            "USGS",
        ),
        ("業界人士估計，越南的稀土儲量約2200萬噸。", [("越南", "GPE", "Vietnam")], None),
        ("據業界估計，越南的稀土儲量約2200萬噸。", [("越南", "GPE", "Vietnam")], "業界"),
    ],
)
def test_attribution(text: str, ents: list[tuple[str, str, str]], who: str | None) -> None:
    qs = [qty(text, "約2200萬噸", type="measure", unit="t", value=2.2e7, qualifier="approx")]
    es = [ent(text, s, t, i) for s, t, i in ents]
    (c,) = _build(text, qs, (), es)
    assert c.attribution == who
    assert c.subject == "Vietnam"  # the source is not the holder of the figure
    assert c.metric == "vietnam_re_reserve"


def test_parenthetical_conversion_is_linked() -> None:
    text = "日本將提供300億日圓（約65億台幣）補助國內回收業者。"
    qs = [
        qty(text, "300億日圓", type="money", unit="JPY", value=3e10),
        qty(
            text,
            "約65億台幣",
            type="money",
            unit="TWD",
            value=6.5e9,
            qualifier="approx",
            equivalent_of=0,
        ),
    ]
    es = [ent(text, "日本", "GPE", "Japan")]
    a, b = _build(text, qs, (), es)
    assert b.equivalent_of == a.claim_id
    assert a.metric == b.metric == "subsidy_amount"
    assert (b.subject, b.period) == (a.subject, a.period)


def test_ordinal_labels_are_not_claims_but_ranks_are() -> None:
    text = "這是第二次管制，日本的專利申請量排名第三。"
    qs = [
        qty(text, "第二次", type="ordinal", unit=None, value=2.0),
        qty(text, "排名第三", type="ordinal", unit="rank", value=3.0),
    ]
    claims = _build(text, qs, (), [ent(text, "日本", "GPE", "Japan")])
    assert [c.surface for c in claims] == ["排名第三"]
    assert claims[0].metric == "re_patent_rank"


def test_unknown_figure_keeps_context_words() -> None:
    text = "展覽吸引了約3000名觀眾到場參觀。"
    qs = [qty(text, "約3000名", type="count", unit="person", value=3000.0, qualifier="approx")]
    (c,) = _build(text, qs)
    assert c.metric is None
    assert "展覽吸引了" in c.context and "觀眾到場參觀" in c.context


def test_claim_ids_are_stable_and_ordered() -> None:
    text = "中國掌握全球約九成的稀土精煉產能，以及約七成的開採量。"
    qs = [
        qty(text, "約九成", value=90.0, qualifier="approx"),
        qty(text, "約七成", value=70.0, qualifier="approx"),
    ]
    one = [c.to_dict() for c in _build(text, qs, (), [ent(text, "中國", "GPE", "China")])]
    two = [c.to_dict() for c in _build(text, qs, (), [ent(text, "中國", "GPE", "China")])]
    assert one == two
    assert [c["claim_id"] for c in one] == ["d1-c001", "d1-c002"]
    assert one[0]["source"]["outlet"] == "測試日報"


def test_global_shares_pick_the_nearest_stage() -> None:
    text = "2023年中國提供全球約六成的稀土開採量和九成的加工品。"
    qs = [qty(text, "約六成", value=60.0, qualifier="approx"), qty(text, "九成", value=90.0)]
    ts = [tm(text, "2023年", "2023")]
    a, b = _build(text, qs, ts, [ent(text, "中國", "GPE", "China")])
    assert a.metric == "china_share_global_mining"
    assert b.metric == "china_share_global_processing"


def test_supplier_named_with_share_marks_the_object() -> None:
    text = "日本的永磁材料進口中，越南所佔份額約三成。"
    qs = [qty(text, "約三成", value=30.0, qualifier="approx")]
    es = [
        ent(text, "日本", "GPE", "Japan"),
        ent(text, "永磁材料", "MATERIAL", "permanent magnet materials"),
        ent(text, "越南", "GPE", "Vietnam"),
    ]
    (c,) = _build(text, qs, (), es)
    assert (c.metric, c.subject, c.object) == (
        "japan_re_import_share_by_source",
        "Japan",
        "Vietnam",
    )
    assert c.commodity == "permanent magnet materials"


def test_since_gives_an_interval_up_to_publication() -> None:
    text = "自2020年以來，美國國防部已投入逾4億美元資助本土業者。"
    qs = [qty(text, "逾4億美元", type="money", unit="USD", value=4e8, qualifier="more_than")]
    ts = [tm(text, "2020年", "2020", modifier="since")]
    (c,) = _build(text, qs, ts, [ent(text, "美國", "GPE", "US")])
    assert (c.period, c.period_basis) == ("2020/2025", "inferred")
    assert c.metric == "funding_amount"


def test_regression_past_level_before_a_change_takes_the_earlier_date() -> None:
    """過去的九成、降到六成左右: 九成 is dated by the last past date before, 六成 by publication."""
    text = "2011年韓國對中國稀土的依賴曾高達九成。多年來，韓國把對中國稀土的依賴從過去的九成、降到六成左右。"
    qs = [
        qty(text, "九成", value=90.0),
        qty(text, "九成", 1, value=90.0),
        qty(text, "六成左右", value=60.0, qualifier="approx"),
    ]
    ts = [tm(text, "2011年", "2011")]
    es = [
        ent(text, "韓國", "GPE", "South Korea"),
        ent(text, "中國", "GPE", "China"),
        ent(text, "韓國", "GPE", "South Korea", 1),
        ent(text, "中國", "GPE", "China", 1),
    ]
    first, past, now = _build(text, qs, ts, es)
    assert (first.period, first.modality) == ("2011", "historical")
    assert (past.period, past.period_basis, past.modality) == ("2011", "inferred", "historical")
    assert (now.period, now.period_basis, now.modality) == ("2025", "publication", "estimate")
    assert past.metric == now.metric == "korea_re_import_share_from_china"


def test_regression_bracketed_conversion_does_not_hide_the_cue() -> None:
    """對韓國造成800億韓元（約20億台幣）損失: the conversion sits between figure and cue."""
    text = "如果出口管制持續半年，預計對韓國造成800億韓元（約20億台幣）損失。"
    qs = [
        qty(text, "800億韓元", type="money", unit="KRW", value=8e10),
        qty(
            text,
            "約20億台幣",
            type="money",
            unit="TWD",
            value=2e9,
            qualifier="approx",
            equivalent_of=0,
        ),
    ]
    a, b = _build(text, qs, (), [ent(text, "韓國", "GPE", "South Korea")])
    assert a.metric == b.metric == "sanction_loss_estimate"
    assert (a.subject, a.modality) == ("South Korea", "scenario")


def test_regression_table_row_takes_measure_from_caption() -> None:
    """A tab-separated row has no cue of its own: the caption and header name the measure."""
    text = (
        "德國經濟部去年公布新一輪補助名單。\n\n"
        "表2 關鍵原料供應計畫補助一覽\n\n"
        "企業名\t日期\t補助金額（歐元）\n"
        "某某金屬公司\t2024/03/01\t3億\n"
    )
    qs = [qty(text, "3億", type="money", unit="EUR", value=3e8)]
    es = [ent(text, "德國", "GPE", "Germany"), ent(text, "某某金屬公司", "ORG", "Mouleme Metals")]
    (c,) = build_claims(meta(), text, None, qs, [], es)
    assert c.sentence == "某某金屬公司\t2024/03/01\t3億\n"
    assert (c.metric, c.subject, c.object) == ("subsidy_amount", "Germany", "Mouleme Metals")


@pytest.mark.parametrize(
    ("text", "tsurface", "tvalue", "tfields", "period", "basis"),
    [
        ("澳洲政府自2019年起累計投入約30億澳幣。", "2019年", "2019", {}, "2019/2025", "inferred"),
        (
            "預計到2027年底澳洲的產能將達到1萬噸。",
            "2027年底",
            "2027-12",
            {"part": "late", "granularity": "month"},
            "2027",
            "explicit",
        ),
        (
            "2027年12月澳洲的產能將達到1萬噸。",
            "2027年12月",
            "2027-12",
            {"granularity": "month"},
            "2027-12",
            "explicit",
        ),
    ],
)
def test_period_constructions(
    text: str, tsurface: str, tvalue: str, tfields: dict[str, Any], period: str, basis: str
) -> None:
    unit = "AUD" if "澳幣" in text else "t"
    surface = "約30億澳幣" if unit == "AUD" else "1萬噸"
    qs = [qty(text, surface, type="money" if unit == "AUD" else "measure", unit=unit, value=1.0)]
    (c,) = _build(
        text, qs, [tm(text, tsurface, tvalue, **tfields)], [ent(text, "澳洲", "GPE", "Australia")]
    )
    assert (c.period, c.period_basis) == (period, basis)


def test_reserve_is_keyed_by_the_named_site() -> None:
    text = "據估計，格陵蘭南部的克瓦內灣礦床蘊藏約100萬噸稀土氧化物。"
    qs = [qty(text, "約100萬噸", type="measure", unit="t", value=1e6, qualifier="approx")]
    es = [
        ent(text, "格陵蘭", "GPE", "Greenland"),
        ent(text, "克瓦內灣礦床", "FACILITY", "Kvanefjeld deposit"),
    ]
    (c,) = _build(text, qs, (), es)
    assert (c.metric, c.subject) == ("kvanefjeld_re_reserve", "Greenland")


@pytest.mark.parametrize(
    ("text", "surface", "qfields", "ents", "frame"),
    [
        (
            "越南已成為日本稀土的第二大來源。",
            "第二大來源",
            {"type": "ordinal", "unit": "rank", "value": 2.0},
            [
                ("越南", "GPE", "Vietnam"),
                ("日本", "GPE", "Japan"),
                ("稀土", "MATERIAL", "rare earths"),
            ],
            ("japan_re_import_source_rank", "Japan", "Vietnam"),
        ),
        (
            "氧化鐠釹的價格一度漲到每公斤120美元。",
            "120美元",
            {"type": "money", "unit": "USD", "value": 120.0, "per": "kg"},
            [],
            ("price", None, None),
        ),
        (
            "中國去年的稀土出口量為5.5萬噸，較前年成長7%。",
            "7%",
            {"value": 7.0},
            [("中國", "GPE", "China")],
            ("export_volume_growth_china", "China", None),
        ),
    ],
)
def test_more_metrics(
    text: str, surface: str, qfields: dict[str, Any], ents: list[tuple[str, str, str]], frame: tuple
) -> None:
    (c,) = _build(text, [qty(text, surface, **qfields)], (), [ent(text, *e) for e in ents])
    assert (c.metric, c.subject, c.object) == frame


def test_rank_before_de_ranks_the_following_party() -> None:
    text = "德國的稀土專利申請量遠超排名第二的法國和第三的英國。"
    qs = [
        qty(text, "排名第二", type="ordinal", unit="rank", value=2.0),
        qty(text, "第三", type="ordinal", unit="rank", value=3.0),
    ]
    es = [
        ent(text, "德國", "GPE", "Germany"),
        ent(text, "法國", "GPE", "France"),
        ent(text, "英國", "GPE", "UK"),
    ]
    a, b = _build(text, qs, (), es)
    assert (a.subject, b.subject) == ("France", "UK")
    assert a.metric == b.metric == "re_patent_rank"


def test_price_change_carries_the_commodity() -> None:
    text = "受出口管制影響，氧化鏑價格上個月上漲三成。"
    qs = [qty(text, "三成", value=30.0)]
    (c,) = _build(text, qs, (), [ent(text, "氧化鏑", "MATERIAL", "dysprosium oxide")])
    assert (c.metric, c.commodity) == ("price_change", "dysprosium oxide")
