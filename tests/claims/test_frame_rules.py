"""Frame rules: holders, counterparts, periods and domain metrics, one case per construction.

Every text here is the team's own phrasing; each case names the construction it guards.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.claims.records import build_checked as _build
from tests.claims.records import ent, qty, tm

# ---------------------------------------------------------------- holders and counterparts


def test_regression_europe_as_importer_is_not_the_documents_main_country() -> None:
    """日本… 歐洲…約九成五的重稀土由中國供應: the EU holds the share, not Japan."""
    text = (
        "日本近年努力分散稀土來源，日本企業也加快布局。"
        "歐洲同樣高度仰賴進口，約九成五的重稀土由中國供應。"
    )
    qs = [qty(text, "約九成五", value=95.0, qualifier="approx")]
    es = [
        ent(text, "日本", "GPE", "Japan"),
        ent(text, "日本", "GPE", "Japan", 1),
        ent(text, "稀土", "MATERIAL", "rare earths"),
        ent(text, "歐洲", "LOC", "Europe"),
        ent(text, "重稀土", "MATERIAL", "heavy rare earths"),
        ent(text, "中國", "GPE", "China"),
    ]
    (c,) = _build(text, qs, [], es)
    assert (c.subject, c.object) == ("EU", "China")
    assert c.metric == "eu_hree_import_share_from_china"


def test_regression_origin_country_before_a_material_is_not_the_importer() -> None:
    """其他來源如越南(8%)…中國稀土…再輸往韓國: Korea imports; 中國稀土 names an origin."""
    text = (
        "韓國貿易協會資料顯示，2020-2023年韓國稀土進口約65%仰賴中國。"
        "另外的供應國像越南（8%）、泰國（4%）等，不少其實是中國稀土在當地加工後再出口韓國。"
    )
    qs = [
        qty(text, "65%", value=65.0),
        qty(text, "8%", value=8.0),
        qty(text, "4%", value=4.0),
    ]
    ts = [tm(text, "2020-2023年", "2020/2023")]
    es = [
        ent(text, "韓國貿易協會", "ORG", "KITA"),
        ent(text, "韓國", "GPE", "South Korea", 1),
        ent(text, "稀土", "MATERIAL", "rare earths"),
        ent(text, "中國", "GPE", "China"),
        ent(text, "越南", "GPE", "Vietnam"),
        ent(text, "泰國", "GPE", "Thailand"),
        ent(text, "中國", "GPE", "China", 1),
        ent(text, "稀土", "MATERIAL", "rare earths", 1),
        ent(text, "韓國", "GPE", "South Korea", 2),
    ]
    _, vn, th = _build(text, qs, ts, es)
    assert (vn.subject, vn.object, vn.metric) == (
        "South Korea",
        "Vietnam",
        "korea_re_import_share_by_source",
    )
    assert th.object == "Thailand"
    # the list continues the dated statement before it
    assert (vn.period, vn.period_basis) == ("2020/2023", "inferred")


def test_regression_agency_and_trading_house_lending_count_as_their_country() -> None:
    """JOGMEC與雙日…向Lynas提供融資: the lender is Japan, the borrower the object."""
    text = "JOGMEC與雙日共同向Lynas提供2億美元融資，協助其擴大產能。"
    qs = [qty(text, "2億美元", type="money", unit="USD", value=2e8)]
    es = [
        ent(text, "JOGMEC", "ORG", "JOGMEC"),
        ent(text, "雙日", "ORG", "Sojitz"),
        ent(text, "Lynas", "ORG", "Lynas Rare Earths"),
    ]
    (c,) = _build(text, qs, [], es)
    assert (c.metric, c.subject, c.object) == ("loan_amount", "Japan", "Lynas Rare Earths")


def test_regression_pronoun_recipient_and_paragraph_agency_payer() -> None:
    """五角大樓…給MP公司…；2023年再撥款…支持其: the agency still pays, 其 is the company."""
    text = (
        "五角大樓持續投入國內稀土產業。2021年給MP Materials公司提供900萬美元，用於加州的分離廠。"
        "2023年再撥款4,000萬美元，支持其興建重稀土加工線。"
    )
    qs = [
        qty(text, "900萬美元", type="money", unit="USD", value=9e6),
        qty(text, "4,000萬美元", type="money", unit="USD", value=4e7),
    ]
    ts = [tm(text, "2021年", "2021"), tm(text, "2023年", "2023")]
    es = [
        ent(text, "五角大樓", "ORG", "US DoD"),
        ent(text, "MP Materials公司", "ORG", "MP Materials"),
        ent(text, "加州", "GPE", "California"),
        ent(text, "重稀土", "MATERIAL", "heavy rare earths"),
    ]
    _, later = _build(text, qs, ts, es)
    assert (later.subject, later.object, later.period) == ("US", "MP Materials", "2023")


@pytest.mark.parametrize(
    ("case", "text", "surface", "fields", "entities", "expected"),
    [
        (
            "company_share_of_national_output",
            "北方稀土集團掌握全國約六成的稀土總產量。",
            "約六成",
            {"value": 60.0, "qualifier": "approx"},
            [("北方稀土集團", "ORG", "China Northern Rare Earth")],
            ("china_share_output", "China Northern Rare Earth", "China"),
        ),
        (
            "supplier_share_of_a_countrys_demand",
            "萊納斯的稀土目前已能滿足日本約三成需求。",
            "約三成",
            {"value": 30.0, "qualifier": "approx"},
            [("萊納斯", "ORG", "Lynas Rare Earths"), ("日本", "GPE", "Japan")],
            ("lynas_share_japan_re_demand", "Lynas Rare Earths", "Japan"),
        ),
        (
            "company_output_as_share_of_a_countrys_output",
            "Neo公司在愛沙尼亞的工廠，產出僅為中國2023年產量的1.5%。",
            "1.5%",
            {"value": 1.5},
            [
                ("Neo公司", "ORG", "Neo Performance Materials"),
                ("愛沙尼亞", "GPE", "Estonia"),
                ("中國", "GPE", "China"),
            ],
            ("neo_share_of_china_output", "Neo Performance Materials", "China"),
        ),
        (
            "joint_parties_written_with_plus",
            "永磁材料方面，日本自越菲兩國的進口占比已近兩成。",
            "近兩成",
            {"value": 20.0, "qualifier": "nearly"},
            [("日本", "GPE", "Japan"), ("越菲", "GPE", "Vietnam+Philippines")],
            ("japan_re_import_share_by_source", "Japan", "Vietnam + Philippines"),
        ),
    ],
)
def test_holder_and_counterpart(
    case: str,
    text: str,
    surface: str,
    fields: dict[str, Any],
    entities: list[tuple[str, str, str]],
    expected: tuple[str, str, str],
) -> None:
    es = [ent(text, s, t, i) for s, t, i in entities]
    (c,) = _build(text, [qty(text, surface, **fields)], [], es)
    assert (c.metric, c.subject, c.object) == expected, case


# ---------------------------------------------------------------- periods


def test_regression_annual_total_after_a_month_is_the_year() -> None:
    """7月之後回升，全年出口5萬噸: the annual total is dated by the year, not July."""
    text = "2024年上半年出口量下滑，但7月之後出口回升，全年出口5萬噸稀土。"
    qs = [qty(text, "5萬噸", type="measure", unit="t", value=5e4)]
    ts = [tm(text, "2024年", "2024"), tm(text, "7月", "2024-07", granularity="month")]
    (c,) = _build(text, qs, ts, [ent(text, "稀土", "MATERIAL", "rare earths")])
    assert c.period == "2024"


@pytest.mark.parametrize(
    ("case", "text", "surface", "fields", "times", "published", "expected"),
    [
        (
            "effort_of_more_than_ten_years_runs_from_the_cited_year",
            "2010年的禁運讓日本警醒。經過十多年的布局，日本已明顯分散稀土來源。",
            "十多年",
            {"value": 10.0, "qualifier": "more_than"},
            [("2010年", "2010")],
            "2025-03-01",
            ("2010/2025", "inferred"),
        ),
        (
            "effort_of_ten_years_ends_at_the_sentences_year",
            "2011年起韓國開始分散來源。經過十年努力，2021年韓國的依賴已明顯下降。",
            "十年",
            {"value": 10.0},
            [("2011年", "2011"), ("2021年", "2021")],
            "2025-03-01",
            ("2011/2021", "inferred"),
        ),
        (
            "vague_decades_stay_current",
            "2010年的禁運震撼日本。幾十年的努力讓日本降低依賴。",
            "幾十年",
            {"value": None, "low": 20.0, "high": 90.0, "vague": True},
            [("2010年", "2010")],
            "2025-03-01",
            ("2025", "publication"),
        ),
    ],
)
def test_multi_year_effort_period(
    case: str,
    text: str,
    surface: str,
    fields: dict[str, Any],
    times: list[tuple[str, str]],
    published: str,
    expected: tuple[str, str],
) -> None:
    q = qty(text, surface, type="duration", unit="year", **fields)
    ts = [tm(text, s, v) for s, v in times]
    (c,) = _build(text, [q], ts, [ent(text, "日本" if "日本" in text else "韓國", "GPE", "X")])
    assert (c.period, c.period_basis) == expected, case


def test_regression_founding_date_is_skipped_and_the_decade_dates_the_figure() -> None:
    """1990年代，…。1992年成立的協會…實行13%的退稅: 1992 dates the founding, not the rate."""
    text = (
        "1990年代，中國開始扶持稀土產業。多位學者隨後投入分離技術研究。"
        "1992年成立的稀土協會推動政策，中國政府對稀土產品實行13%的出口退稅。"
    )
    qs = [qty(text, "13%", value=13.0)]
    ts = [tm(text, "1990年代", "1990/1999"), tm(text, "1992年", "1992")]
    es = [
        ent(text, "中國", "GPE", "China"),
        ent(text, "中國政府", "GPE", "China"),
        ent(text, "稀土產品", "MATERIAL", "rare earths"),
    ]
    (c,) = _build(text, qs, ts, es)
    assert (c.period, c.modality) == ("1990/1999", "historical")
    assert c.metric == "china_re_export_tax_rebate_rate"


def test_regression_scene_setting_date_carries_to_the_next_sentence() -> None:
    """2010年9月，…。隨後中國對日本實施了兩個月的禁運: the embargo is dated 2010."""
    text = "2010年9月，中日在東海爆發撞船事件。隨後中國對日本實施了長達兩個月的稀土禁運。"
    qs = [qty(text, "兩個月", type="duration", unit="month", value=2.0)]
    ts = [tm(text, "2010年9月", "2010-09", granularity="month")]
    es = [
        ent(text, "中國", "GPE", "China", 0),
        ent(text, "日本", "GPE", "Japan"),
        ent(text, "稀土", "MATERIAL", "rare earths"),
    ]
    (c,) = _build(text, qs, ts, es)
    assert (c.period, c.period_basis, c.modality) == ("2010", "inferred", "historical")


@pytest.mark.parametrize(
    ("case", "text", "surface", "fields"),
    [
        (
            "undated_plan",
            "澳洲礦商計畫每年生產300噸鋱。",
            "300噸",
            {"type": "measure", "unit": "t", "value": 300.0},
        ),
        (
            "contractual_commitment",
            "該廠未來產出的重稀土依約將提供一半給日本買家。",
            "一半",
            {"value": 50.0},
        ),
        (
            "unanchored_span_with_thousands_commas",
            "二十年間，全球需求從不到2,000噸增加到6,000噸以上。",
            "6,000噸以上",
            {"type": "measure", "unit": "t", "value": 6000.0, "qualifier": "at_least"},
        ),
    ],
)
def test_figures_without_a_date_get_no_guessed_period(
    case: str, text: str, surface: str, fields: dict[str, Any]
) -> None:
    (c,) = _build(text, [qty(text, surface, **fields)], [], [])
    assert (c.period, c.period_basis) == (None, "unresolved"), case


def test_regression_done_change_with_disposal_jiang_keeps_the_publication_year() -> None:
    """韓國已將對中國的依賴降至五成: 已將 reports a change made, so the figure is current."""
    text = "韓國已將對中國稀土的依賴降至五成左右。"
    qs = [qty(text, "五成左右", value=50.0, qualifier="approx")]
    es = [ent(text, "韓國", "GPE", "South Korea"), ent(text, "中國", "GPE", "China")]
    (c,) = _build(text, qs, [], es)
    assert (c.period, c.period_basis) == ("2025", "publication")


def test_current_state_and_scenarios_keep_the_publication_year() -> None:
    """若…將萎縮0.2%: a scenario is not an undated plan; 目前 keeps the publication year."""
    text = "若中國斷供半年，韓國GDP將萎縮0.2%。目前韓國已將庫存提高到三個月。"
    qs = [
        qty(text, "0.2%", value=0.2),
        qty(text, "三個月", type="duration", unit="month", value=3.0),
    ]
    es = [ent(text, "中國", "GPE", "China"), ent(text, "韓國", "GPE", "South Korea")]
    a, b = _build(text, qs, [], es)
    assert (a.period, a.modality) == ("2025", "scenario")
    assert b.period == "2025"


# ---------------------------------------------------------------- domain metrics


def test_eu_critical_raw_materials_act_benchmarks() -> None:
    """《關鍵原材料法》…開採10%、加工40%、回收25%…不得超過65%: four benchmarks, four keys."""
    text = (
        "歐盟《關鍵原材料法》設定2030年基準：本土開採10%、加工40%、回收25%，"
        "任一第三國供應占比不得超過65%。"
    )
    qs = [
        qty(text, "10%", value=10.0),
        qty(text, "40%", value=40.0),
        qty(text, "25%", value=25.0),
        qty(text, "不得超過65%", value=65.0, qualifier="at_most"),
    ]
    ts = [tm(text, "2030年", "2030")]
    es = [ent(text, "歐盟", "ORG", "EU")]
    claims = _build(text, qs, ts, es)
    assert [c.metric for c in claims] == [
        "eu_crma_extraction_target",
        "eu_crma_processing_target",
        "eu_crma_recycling_target",
        "eu_crma_single_supplier_cap",
    ]
    assert {(c.subject, c.period, c.modality) for c in claims} == {("EU", "2030", "target")}


@pytest.mark.parametrize(
    ("text", "surface", "unit", "platform"),
    [
        ("一架F-35戰鬥機約含有417公斤稀土。", "417公斤", "kg", "F-35"),
        ("每艘維吉尼亞級潛艦則需要約4.2噸稀土。", "約4.2噸", "t", "Virginia-class submarine"),
        ("伯克級驅逐艦大約需要2,360公斤。", "2,360公斤", "kg", "Arleigh Burke-class destroyer"),
    ],
)
def test_rare_earth_content_per_weapons_platform(
    text: str, surface: str, unit: str, platform: str
) -> None:
    (c,) = _build(text, [qty(text, surface, type="measure", unit=unit, value=1.0)], [], [])
    assert (c.metric, c.subject) == ("re_content_per_platform", platform)


@pytest.mark.parametrize(
    ("case", "text", "surface", "metric", "purpose"),
    [
        (
            "budget_for_recycling",
            "日本政府今年編列120億日圓預算，用於稀土回收。",
            "120億日圓",
            "budget_amount",
            "rare-earth recycling",
        ),
        (
            "funding_for_domestic_supply_chain",
            "美國能源部撥款逾2億美元，扶植國內稀土供應鏈。",
            "逾2億美元",
            "funding_amount",
            "domestic rare-earth supply chain",
        ),
        (
            "package_to_cut_vulnerability",
            "內閣推出價值約5億美元的方案，目標是降低稀土供應鏈的脆弱性。",
            "約5億美元",
            "budget_amount",
            "rare-earth supply-chain resilience package",
        ),
    ],
)
def test_budget_without_recipient_takes_its_purpose(
    case: str, text: str, surface: str, metric: str, purpose: str
) -> None:
    (c,) = _build(text, [qty(text, surface, type="money", unit="USD", value=1.0)], [], [])
    assert (c.metric, c.object) == (metric, purpose), case


@pytest.mark.parametrize(
    ("case", "text", "surface", "fields", "entities", "expected"),
    [
        (
            "partnership_member_count",
            "美國主導成立礦產安全夥伴（MSP），目前包括日本、韓國等14個成員參與。",
            "14個",
            {"type": "count", "unit": "個", "value": 14.0},
            [
                ("美國", "GPE", "US"),
                ("礦產安全夥伴", "ORG", "Minerals Security Partnership"),
                ("日本", "GPE", "Japan"),
                ("韓國", "GPE", "South Korea"),
            ],
            ("msp_member_count", "Minerals Security Partnership"),
        ),
        (
            "oxide_output_of_a_company",
            "Neo公司年產量3000噸氧化物，主要供應觸媒市場。",
            "3000噸",
            {"type": "measure", "unit": "t", "value": 3000.0},
            [("Neo公司", "ORG", "Neo Performance Materials")],
            ("neo_re_oxide_output", "Neo Performance Materials"),
        ),
        (
            "patents_held_are_not_applications",
            "日本某磁材大廠坐擁上千項稀土磁鐵專利。",
            "上千項",
            {"type": "count", "unit": "項", "value": 1000.0},
            [],
            ("re_magnet_patent_count", None),
        ),
        (
            "mine_development_cycle_has_no_holder",
            "Lynas指出，稀土礦從探勘到開發往往需要十年以上。",
            "十年以上",
            {"type": "duration", "unit": "year", "value": 10.0, "qualifier": "at_least"},
            [("Lynas", "ORG", "Lynas Rare Earths")],
            ("re_mine_development_cycle", None),
        ),
    ],
)
def test_domain_metric(
    case: str,
    text: str,
    surface: str,
    fields: dict[str, Any],
    entities: list[tuple[str, str, str]],
    expected: tuple[str, str | None],
) -> None:
    es = [ent(text, s, t, i) for s, t, i in entities]
    (c,) = _build(text, [qty(text, surface, **fields)], [], es)
    got = (c.metric, c.subject if expected[1] is not None else None)
    assert got == expected, case


def test_regression_offtake_share_and_spaced_recipient() -> None:
    """投資…給 Carester…，該廠產出…將提供三成給日本: investee after 給 (PDF space), buyer after 給."""
    text = "日本財團出資2億歐元給 Carester 興建精煉廠，未來該廠產出的重稀土依約將提供三成給日本。"
    qs = [
        qty(text, "2億歐元", type="money", unit="EUR", value=2e8),
        qty(text, "三成", value=30.0),
    ]
    es = [
        ent(text, "日本", "GPE", "Japan"),
        ent(text, "Carester", "ORG", "Carester"),
        ent(text, "重稀土", "MATERIAL", "heavy rare earths"),
        ent(text, "日本", "GPE", "Japan", 1),
    ]
    money, share = _build(text, qs, [], es)
    assert (money.metric, money.subject, money.object) == (
        "carester_investment_japan",
        "Japan",
        "Carester",
    )
    assert (share.metric, share.subject, share.object) == (
        "carester_output_share_to_japan",
        "Carester",
        "Japan",
    )
    assert (share.period, share.modality) == (None, "target")


@pytest.mark.parametrize(
    ("case", "text", "surface", "fields", "entities", "expected"),
    [
        (
            "loan_packaged_with_equity_is_an_investment",
            "日本政策銀行與商社向Lynas提供3億美元貸款與股權投資。",
            "3億美元",
            {"type": "money", "unit": "USD", "value": 3e8},
            [("日本", "GPE", "Japan"), ("Lynas", "ORG", "Lynas Rare Earths")],
            ("lynas_investment_japan", "Japan", "Lynas Rare Earths"),
        ),
        (
            "one_character_counterpart_after_dui",
            "2010年稀土戰期間，中方於數月後才恢復對日稀土出口。",
            "數月",
            {"type": "duration", "unit": "month", "value": None, "low": 2.0, "high": 9.0},
            [("中方", "GPE", "China")],
            ("china_re_embargo_japan_duration", "China", "Japan"),
        ),
        (
            "bracketed_abbreviation_names_the_key_not_the_id",
            "越南子公司(VNM)的磁鐵年產能達2,000噸。",
            "2,000噸",
            {"type": "measure", "unit": "t", "value": 2000.0},
            [("越南子公司(VNM)", "ORG", "Acme Magnetics Vietnam (VNM)")],
            ("vnm_magnet_capacity", "Acme Magnetics Vietnam", None),
        ),
    ],
)
def test_counterparts_and_ids(
    case: str,
    text: str,
    surface: str,
    fields: dict[str, Any],
    entities: list[tuple[str, str, str]],
    expected: tuple[str, str, str | None],
) -> None:
    es = [ent(text, s, t, i) for s, t, i in entities]
    (c,) = _build(text, [qty(text, surface, **fields)], [], es)
    assert (c.metric, c.subject, c.object) == expected, case


@pytest.mark.parametrize(
    ("case", "text", "surface", "entities", "expected"),
    [
        (
            "decades_spent_lowering_dependence",
            "近二十年下來，韓國已把對中國稀土的依賴，從八成多壓低到五成。",
            "近二十年",
            [("韓國", "GPE", "South Korea"), ("中國", "GPE", "China")],
            ("korea_re_diversification_duration", "South Korea", "China"),
        ),
        (
            "decades_of_investment_in_the_industry",
            "美國經過數十年投入，才重建起完整的稀土分離技術。",
            "數十年",
            [("美國", "GPE", "US")],
            ("us_re_investment_duration", "US", None),
        ),
    ],
)
def test_effort_duration_metrics(
    case: str,
    text: str,
    surface: str,
    entities: list[tuple[str, str, str]],
    expected: tuple[str, str, str | None],
) -> None:
    es = [ent(text, s, t, i) for s, t, i in entities]
    q = qty(text, surface, type="duration", unit="year", value=None, low=20.0, high=90.0)
    qs = [q] + [qty(text, w, value=v) for w, v in (("八成多", 80.0), ("五成", 50.0)) if w in text]
    c = _build(text, qs, [], es)[0]
    assert (c.metric, c.subject, c.object) == expected, case


def test_regression_table_row_recipients_are_the_first_cell_companies() -> None:
    """甲公司乙公司<TAB>日期<TAB>與澳洲Foo合作…<TAB>30億: the first cell holds the recipients."""
    text = (
        "表2 經產省補助的供應確保事業\n"
        "東邦化學株式會社北辰商事株式會社\t2024/05/10\t與澳洲公司Foo Minerals合作開發稀土礦\t30億\n"
    )
    qs = [qty(text, "30億", type="money", unit="JPY", value=3e9)]
    ts = [tm(text, "2024/05/10", "2024-05-10")]
    es = [
        ent(text, "經產省", "ORG", "METI"),
        ent(text, "東邦化學株式會社", "ORG", "Toho Chemical"),
        ent(text, "北辰商事株式會社", "ORG", "Hokushin Trading"),
        ent(text, "澳洲", "GPE", "Australia"),
        ent(text, "Foo Minerals", "ORG", "Foo Minerals"),
        ent(text, "稀土", "MATERIAL", "rare earths"),
    ]
    (c,) = _build(text, qs, ts, es)
    assert c.metric == "subsidy_amount"
    assert (c.subject, c.object) == ("Japan", "Toho Chemical + Hokushin Trading")


def test_regression_share_from_a_list_of_other_countries_is_the_non_china_share() -> None:
    """約三成已可從印度、越南等國取得，中國占比降至約七成: two metrics in one sentence."""
    text = "目前韓國稀土進口中約三成已可從印度、越南等國取得，中國供應占比則降至約七成。"
    qs = [
        qty(text, "約三成", value=30.0, qualifier="approx"),
        qty(text, "約七成", value=70.0, qualifier="approx"),
    ]
    es = [
        ent(text, "韓國", "GPE", "South Korea"),
        ent(text, "稀土", "MATERIAL", "rare earths"),
        ent(text, "印度", "GPE", "India"),
        ent(text, "越南", "GPE", "Vietnam"),
        ent(text, "中國", "GPE", "China"),
    ]
    others, china = _build(text, qs, [], es)
    assert (others.metric, others.subject, others.object) == (
        "non_china_share_korea_re_imports",
        "South Korea",
        None,
    )
    assert (china.metric, china.object) == ("korea_re_import_share_from_china", "China")


def test_regression_annual_capacity_word_after_a_magnet_plant() -> None:
    """第二座磁鐵廠投產…將800噸的年產能倍增: 年產能 of a magnet maker is magnet capacity."""
    text = "2019年，Acme的第二座稀土磁鐵廠投產，並於2021年將800噸的年產能倍增。"
    qs = [
        qty(text, "800噸", type="measure", unit="t", value=800.0),
        qty(text, "倍增", type="multiple", unit="x", value=2.0),
    ]
    ts = [tm(text, "2019年", "2019"), tm(text, "2021年", "2021")]
    es = [ent(text, "Acme", "ORG", "Acme Magnetics")]
    c, growth = _build(text, qs, ts, es)
    assert (c.metric, c.subject, c.period) == ("acme_magnet_capacity", "Acme Magnetics", "2021")
    assert (growth.metric, growth.subject) == ("acme_magnet_capacity_growth", "Acme Magnetics")


def test_supply_timeline_and_usage_reduction_plan() -> None:
    """只需兩年就能建立供應 / 研究把用量減半的方案: a timeline, and an undated plan with no holder."""
    text = "韓國產業部長表示，韓國只需兩年就能建立穩定的稀土供應。部分車廠也在評估把稀土用量減半的方案。"
    qs = [
        qty(text, "兩年", type="duration", unit="year", value=2.0),
        qty(text, "減半", value=50.0),
    ]
    es = [
        ent(text, "韓國", "GPE", "South Korea"),
        ent(text, "韓國", "GPE", "South Korea", 1),
        ent(text, "稀土", "MATERIAL", "rare earths"),
    ]
    timeline, cut = _build(text, qs, [], es)
    assert (timeline.metric, timeline.subject) == ("korea_re_supply_timeline", "South Korea")
    assert (cut.metric, cut.subject, cut.modality) == ("re_usage_reduction_target", None, "target")
    assert (cut.period, cut.period_basis) == (None, "unresolved")


def test_regression_two_suppliers_each_holding_a_share_give_two_claims() -> None:
    """中國與澳洲各占約三成: one figure, two claims (one per supplier), one surface."""
    text = "其中，氧化鑭的供應較分散，中國與澳洲各占約三成。"
    qs = [qty(text, "約三成", value=30.0, qualifier="approx")]
    es = [
        ent(text, "氧化鑭", "MATERIAL", "lanthanum oxide"),
        ent(text, "中國", "GPE", "China"),
        ent(text, "澳洲", "GPE", "Australia"),
    ]
    prev = "韓國的稀土化合物進口結構各有不同。"
    full = prev + text
    shift = len(prev)
    for rec in qs + es:
        rec["start"] += shift
        rec["end"] += shift
    claims = _build(full, qs, [], [ent(full, "韓國", "GPE", "South Korea"), *es])
    assert [(c.surface, c.object, c.metric) for c in claims] == [
        ("約三成", "China", "korea_re_import_share_from_china"),
        ("約三成", "Australia", "korea_re_import_share_by_source"),
    ]
    assert claims[0].claim_id != claims[1].claim_id


@pytest.mark.parametrize(
    ("case", "text", "metric", "obj", "commodity"),
    [
        (
            "government_money_into_seabed_trials_near_named_site",
            "東京大學團隊曾在南鳥島外海發現稀土泥。"
            "日本政府隨後投入約300億日圓資金，支持海洋研究機構（JAMSTEC）進行海底開採測試。",
            "budget_amount",
            "Minamitorishima development",
            "rare earths",
        ),
        (
            "site_named_in_the_next_sentence",
            "日本政府多年來投入約300億日圓資金，支持海洋研究機構（JAMSTEC）進行深海採礦試驗。"
            "今年探勘船將再度前往南鳥島海域。",
            "budget_amount",
            "Minamitorishima development",
            "rare earths",
        ),
        (
            "seabed_trials_without_a_site_keep_the_agency",
            "日本政府隨後投入約300億日圓資金，支持海洋研究機構（JAMSTEC）進行海底開採測試。",
            "budget_amount",
            "JAMSTEC",
            None,
        ),
        (
            "money_put_in_to_fund_a_recipient_is_funding",
            "日本政府投入約300億日圓資助海洋研究機構（JAMSTEC）。",
            "funding_amount",
            "JAMSTEC",
            None,
        ),
    ],
)
def test_government_money_put_into_a_programme_names_the_programme(
    case: str, text: str, metric: str, obj: str, commodity: str | None
) -> None:
    """政府投入…資金，支持X進行Y: a budget for Y; X only runs it (JAMSTEC's deep-sea trials)."""
    es = [ent(text, "日本", "GPE", "Japan"), ent(text, "JAMSTEC", "ORG", "JAMSTEC")]
    qs = [qty(text, "約300億日圓", type="money", unit="JPY", value=3e10, qualifier="approx")]
    (c,) = _build(text, qs, [], es)
    assert (c.metric, c.subject, c.object, c.commodity) == (metric, "Japan", obj, commodity), case


@pytest.mark.parametrize(
    ("case", "text", "when", "value", "period", "basis"),
    [
        (
            "budget_this_year_is_dated",
            "南韓政府今年編列約2,300億韓元預算，用於稀土回收。",
            "今年",
            "2025",
            "2025",
            "publication",
        ),
        (
            "budget_next_year_is_dated",
            "政府明年將編列約2,300億韓元預算，用於稀土回收。",
            "明年",
            "2026",
            "2026",
            "publication",
        ),
        (
            "undated_plan_stays_undated",
            "政府將編列約2,300億韓元預算，用於稀土回收。",
            None,
            None,
            None,
            "unresolved",
        ),
    ],
)
def test_regression_budget_planned_this_year_keeps_its_year(
    case: str,
    text: str,
    when: str | None,
    value: str | None,
    period: str | None,
    basis: str,
) -> None:
    """今年編列…預算: a plan dated by a deictic year word is that year's, not undated."""
    qs = [qty(text, "約2,300億韓元", type="money", unit="KRW", value=2.3e11, qualifier="approx")]
    ts = [tm(text, when, value, basis="publication", relative=True)] if when else []
    (c,) = _build(text, qs, ts, [])
    assert (c.metric, c.period, c.period_basis) == ("budget_amount", period, basis), case


@pytest.mark.parametrize(
    ("case", "text", "entities", "metric"),
    [
        (
            "output_loss_after_an_export_stop_is_no_export_growth",
            "若中國停止出口稀土超過半年，南韓製造業產值恐減少約1.5%。",
            [("中國", "GPE", "China"), ("南韓", "GPE", "South Korea")],
            "sector_output_impact",
        ),
        (
            "export_change_in_its_own_clause",
            "中國去年稀土出口量減少約1.5%，創五年新低。",
            [("中國", "GPE", "China")],
            "export_volume_growth_china",
        ),
        (
            "export_named_in_the_clause_before",
            "中國去年的稀土出口量為5.5萬噸，較前年減少約1.5%。",
            [("中國", "GPE", "China")],
            "export_volume_growth_china",
        ),
    ],
)
def test_regression_output_fall_after_an_export_stop_is_no_export_change(
    case: str, text: str, entities: list[tuple[str, str, str]], metric: str
) -> None:
    """若中國停止出口…，產值恐減少約1.5%: 出口 in the condition does not make 減少 an export change."""
    qs = [qty(text, "約1.5%", value=1.5, qualifier="approx")]
    es = [ent(text, s, t, i) for s, t, i in entities]
    (c,) = _build(text, qs, [], es)
    assert c.metric == metric, case
