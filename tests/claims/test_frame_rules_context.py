"""Frame rules read from context: table captions, subsidiaries, own estimates, 當時 and scenes.

Every text here is the team's own phrasing; each case names the construction it guards.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.claims.records import build_checked as _build
from tests.claims.records import ent, qty, tm

Ents = list[tuple[str, str, str]]


def _ents(text: str, spec: Ents) -> list[dict[str, Any]]:
    """Entity records for (surface, type, id) triples, each at its first occurrence."""
    return [ent(text, s, t, i) for s, t, i in spec]


# ---------------------------------------------------------------- supplier frame


@pytest.mark.parametrize(
    ("case", "text", "surface", "fields", "entities", "expected"),
    [
        (
            "caption_abbr_dui_ri_names_japan_as_importer",
            "表三：中國對日稀土出口管制後的替代來源\n項目\t數值\n越、菲進口占比\t近三成\n",
            "近三成",
            {"value": 30.0, "qualifier": "nearly"},
            [("中國", "GPE", "China"), ("越、菲", "GPE", "Vietnam+Philippines")],
            ("japan_re_import_share_by_source", "Japan", "Vietnam + Philippines"),
        ),
        (
            "caption_abbr_dui_han_names_korea_as_importer",
            "附表：北京對韓稀土出口管制一覽\n來源\t比重\n澳洲進口占比\t約15%\n",
            "約15%",
            {"value": 15.0, "qualifier": "approx"},
            [("北京", "GPE", "China"), ("澳洲", "GPE", "Australia")],
            ("korea_re_import_share_by_source", "South Korea", "Australia"),
        ),
        (
            "origin_marker_yuanchandiwei_names_the_supplier",
            "原產地為中國的稀土磁鐵，約占美國同類進口的七成。",
            "七成",
            {"value": 70.0},
            [("中國", "GPE", "China"), ("美國", "GPE", "US")],
            ("us_re_import_share_from_china", "US", "China"),
        ),
        (
            "negative_origin_marker_on_another_country_leaves_china_importer",
            "中國每年進口的稀土礦料裡，原產於緬甸的約占四成。",
            "約占四成",
            {"value": 40.0, "qualifier": "approx"},
            [("中國", "GPE", "China"), ("緬甸", "GPE", "Myanmar")],
            ("china_re_import_share_by_source", "China", "Myanmar"),
        ),
    ],
)
def test_supplier_frame(
    case: str,
    text: str,
    surface: str,
    fields: dict[str, Any],
    entities: Ents,
    expected: tuple[str, str, str],
) -> None:
    (c,) = _build(text, [qty(text, surface, **fields)], [], _ents(text, entities))
    assert (c.metric, c.subject, c.object) == expected, case


def test_negative_caption_dependence_on_china_is_not_an_export_control() -> None:
    """日本對中稀土依賴 caption: 對中 names the supplier, Japan stays the importer."""
    text = "圖表：日本對中稀土依賴的變化\n來源\t比重\n越南進口占比\t約一成\n"
    qs = [qty(text, "約一成", value=10.0, qualifier="approx")]
    es = _ents(text, [("日本", "GPE", "Japan"), ("越南", "GPE", "Vietnam")])
    (c,) = _build(text, qs, [], es)
    assert (c.subject, c.object) == ("Japan", "Vietnam")


# ---------------------------------------------------------------- subsidiaries


@pytest.mark.parametrize(
    ("case", "text", "surface", "fields", "entities", "expected"),
    [
        (
            "parent_in_country_with_zigongsi_is_the_subsidiary",
            "澳洲萊納斯（Lynas）公司在美國子公司，2022年獲得美國國防部1.2億美元資助，"
            "用於德州的重稀土分離設施。",
            "1.2億美元",
            {"type": "money", "unit": "USD", "value": 1.2e8},
            [
                ("澳洲", "GPE", "Australia"),
                ("萊納斯", "ORG", "Lynas Rare Earths"),
                ("美國", "GPE", "US"),
                ("美國國防部", "ORG", "US DoD"),
            ],
            ("US", "Lynas USA"),
        ),
        (
            "parent_yu_country_de_zigongsi_is_the_subsidiary",
            "萊納斯於美國的子公司去年再獲華府撥款2,600萬美元，擴充磁材原料產線。",
            "2,600萬美元",
            {"type": "money", "unit": "USD", "value": 2.6e7},
            [
                ("萊納斯", "ORG", "Lynas Rare Earths"),
                ("美國", "GPE", "US"),
                ("華府", "GPE", "US"),
            ],
            ("US", "Lynas USA"),
        ),
        (
            "negative_parent_without_zigongsi_stays_the_parent",
            "澳洲萊納斯公司2023年獲得美國國防部1.2億美元資助，在德州興建分離廠。",
            "1.2億美元",
            {"type": "money", "unit": "USD", "value": 1.2e8},
            [
                ("澳洲", "GPE", "Australia"),
                ("萊納斯公司", "ORG", "Lynas Rare Earths"),
                ("美國國防部", "ORG", "US DoD"),
            ],
            ("US", "Lynas Rare Earths"),
        ),
        (
            "negative_country_without_a_subsidiary_row_keeps_the_parent",
            "萊納斯在馬來西亞子公司，2019年獲得日本政府5,000萬美元資助。",
            "5,000萬美元",
            {"type": "money", "unit": "USD", "value": 5e7},
            [
                ("萊納斯", "ORG", "Lynas Rare Earths"),
                ("馬來西亞", "GPE", "Malaysia"),
                ("日本政府", "GPE", "Japan"),
            ],
            ("Japan", "Lynas Rare Earths"),
        ),
    ],
)
def test_subsidiary(
    case: str,
    text: str,
    surface: str,
    fields: dict[str, Any],
    entities: Ents,
    expected: tuple[str, str],
) -> None:
    (c,) = _build(text, [qty(text, surface, **fields)], [], _ents(text, entities))
    assert (c.subject, c.object) == expected, case


# ---------------------------------------------------------------- own estimate


@pytest.mark.parametrize(
    ("case", "text", "surface", "fields", "times", "expected"),
    [
        (
            "tuisuan_clause_after_a_past_discovery_is_dated_by_publication",
            "早在2012年，東京一所大學的研究團隊就在南鳥島周邊海底找到富含稀土的泥層，"
            "推算可供應日本好幾百年所需。",
            "好幾百年",
            {"type": "duration", "unit": "year", "low": 200.0, "high": 900.0, "vague": True},
            [("2012年", "2012")],
            ("2025", "publication"),
        ),
        (
            "tuigu_clause_with_a_tonnage_is_dated_by_publication",
            "2013年一艘調查船在太平洋海床採得樣本，推估該海域稀土蘊藏約1,450萬噸。",
            "約1,450萬噸",
            {"type": "measure", "unit": "t", "value": 1.45e7, "qualifier": "approx"},
            [("2013年", "2013")],
            ("2025", "publication"),
        ),
        (
            "negative_guji_without_own_estimate_verb_keeps_the_year",
            "該礦區2015年估計產量為3,500噸。",
            "3,500噸",
            {"type": "measure", "unit": "t", "value": 3500.0},
            [("2015年", "2015")],
            ("2015", "explicit"),
        ),
        (
            "negative_date_inside_the_estimate_clause_keeps_the_year",
            "研究人員推估2016年當地精礦產量約2,800噸。",
            "約2,800噸",
            {"type": "measure", "unit": "t", "value": 2800.0, "qualifier": "approx"},
            [("2016年", "2016")],
            ("2016", "explicit"),
        ),
    ],
)
def test_own_estimate(
    case: str,
    text: str,
    surface: str,
    fields: dict[str, Any],
    times: list[tuple[str, str]],
    expected: tuple[str, str],
) -> None:
    ts = [tm(text, s, v) for s, v in times]
    (c,) = _build(text, [qty(text, surface, **fields)], ts)
    assert (c.period, c.period_basis) == expected, case


# ---------------------------------------------------------------- 當時 anchor

_MONEY: dict[str, Any] = {"type": "money", "unit": "USD", "value": 5e8, "qualifier": "approx"}


@pytest.mark.parametrize(
    ("case", "text", "times", "expected"),
    [
        (
            "houlai_after_dangshi_inherits_the_past_year",
            "2011年3月，強震重創日本東北的零件供應鏈。當時多家磁材廠被迫停工，稀土庫存告急。"
            "後來經產省提出一項約5億美元的緊急採購方案。",
            [("2011年3月", "2011-03", "month")],
            ("2011", "inferred"),
        ),
        (
            "zhihou_two_sentences_after_natshi_inherits_the_past_year",
            "2012年8月，印尼突然收緊鎳礦出口許可。那時韓國電池廠措手不及。"
            "業者只能轉向菲律賓詢價。之後韓方與馬尼拉簽下約5億美元的長約。",
            [("2012年8月", "2012-08", "month")],
            ("2012", "inferred"),
        ),
        (
            "negative_dated_sentence_in_between_starts_another_episode",
            "2011年3月，強震重創日本東北的零件供應鏈。當時多家磁材廠被迫停工。"
            "2013年日本修訂資源安全戰略。後來日本商社向澳洲礦商追加約5億美元投資。",
            [("2011年3月", "2011-03", "month"), ("2013年", "2013", "year")],
            ("2013", "inferred"),
        ),
        (
            "negative_date_in_the_publication_year_is_not_inherited",
            "2025年1月，寒流導致華南數座分離廠減產。當時市場報價急漲。"
            "之後幾家歐洲買家合組約5億美元的聯合採購基金。",
            [("2025年1月", "2025-01", "month")],
            ("2025", "publication"),
        ),
    ],
)
def test_then_anchor(
    case: str, text: str, times: list[tuple[str, str, str]], expected: tuple[str, str]
) -> None:
    ts = [tm(text, s, v, granularity=g) for s, v, g in times]
    (c,) = _build(text, [qty(text, "約5億美元", **_MONEY)], ts)
    assert (c.period, c.period_basis) == expected, case


# ---------------------------------------------------------------- forecast in a scene


_DEPTH: dict[str, Any] = {"type": "measure", "unit": "m", "value": 5700.0, "qualifier": "approx"}


@pytest.mark.parametrize(
    ("case", "text", "times", "expected"),
    [
        (
            "yuji_after_a_scene_of_the_publication_year_takes_its_month",
            "2026年3月5日這天，研究船「海嶺號」自靜岡的清水港啟航。"
            "該船預計在南方外海水深約5,700公尺處試採海底泥。",
            [("2026年3月5日", "2026-03-05", "day")],
            ("2026-03", "inferred"),
        ),
        (
            "yugu_two_sentences_after_the_scene_takes_its_month",
            "2026年2月20日這天，一支日韓聯合探勘隊在橫濱碼頭集結。船上載著新研發的抽泥管。"
            "團隊預估此行可下探至水深約5,700公尺。",
            [("2026年2月20日", "2026-02-20", "day")],
            ("2026-02", "inferred"),
        ),
        (
            "negative_scene_in_a_past_year_stays_publication",
            "2024年11月2日這天，研究船「海嶺號」自清水港啟航。"
            "該船預計在南方外海水深約5,700公尺處試採海底泥。",
            [("2024年11月2日", "2024-11-02", "day")],
            ("2026", "publication"),
        ),
        (
            "negative_no_forecast_word_stays_publication",
            "2026年3月5日這天，研究船「海嶺號」自清水港啟航。"
            "該船的作業區位於南方外海水深約5,700公尺處。",
            [("2026年3月5日", "2026-03-05", "day")],
            ("2026", "publication"),
        ),
    ],
)
def test_forecast_in_a_scene(
    case: str, text: str, times: list[tuple[str, str, str]], expected: tuple[str, str]
) -> None:
    ts = [tm(text, s, v, granularity=g) for s, v, g in times]
    (c,) = _build(text, [qty(text, "約5,700公尺", **_DEPTH)], ts, published="2026-03-08")
    assert (c.period, c.period_basis) == expected, case
