"""Domain metrics with place, commodity and sector slots, and the party modes they use.

Every text here is the team's own phrasing; each case names the construction it guards.
"""

from __future__ import annotations

import pytest

from pipeline.claims.build import _commodity_slug, _place_slug
from tests.claims.records import build_checked as _build
from tests.claims.records import ent, qty, tm

# ---------------------------------------------------------------- slugs


@pytest.mark.parametrize(
    ("ident", "slug"),
    [
        ("Mountain Pass mine", "mountain_pass"),
        ("Browns Range heavy rare-earth project", "browns_range"),
        ("Chikyu (deep-sea drilling vessel)", "chikyu"),
        ("Minamitorishima", "minamitorishima"),
        ("Bayan Obo mine", "bayan_obo"),
    ],
)
def test_place_slug_drops_generic_words(ident: str, slug: str) -> None:
    assert _place_slug(ident) == slug


@pytest.mark.parametrize(
    ("commodity", "slug"),
    [
        ("dysprosium", "dy"),
        ("Nd and Pr", "ndpr"),
        ("Ni, Co and Li", "nicoli"),
        ("rare earths", "re"),
        ("amorphous alloy", None),
        (None, None),
    ],
)
def test_commodity_slug(commodity: str | None, slug: str | None) -> None:
    assert _commodity_slug(commodity) == slug


# ---------------------------------------------------------------- coordinated elements


@pytest.mark.parametrize(
    ("text", "mats", "commodity"),
    [
        (
            "南韓電動車產業對釹（Nd）與鏑（Dy）的年需求量約3,000噸。",
            [("釹", "neodymium"), ("鏑", "dysprosium")],
            "Nd and Dy",
        ),
        (
            "這座新廠從廢電池回收鎳、鈷、鋰，年處理量約8,000噸。",
            [("鎳", "nickel"), ("鈷", "cobalt"), ("鋰", "lithium")],
            "Ni, Co and Li",
        ),
        # not coordinated: a verb sits between the two elements
        (
            "工廠以釹取代部分鏑，年產量約3,000噸。",
            [("釹", "neodymium"), ("鏑", "dysprosium")],
            "dysprosium",
        ),
    ],
)
def test_coordinated_elements_are_one_scope(
    text: str, mats: list[tuple[str, str]], commodity: str
) -> None:
    surface = next(s for s in ("約3,000噸", "約8,000噸") if s in text)
    qs = [qty(text, surface, type="measure", unit="t", value=3000.0, qualifier="approx")]
    (c,) = _build(text, qs, (), [ent(text, s, "MATERIAL", i) for s, i in mats])
    assert c.commodity == commodity


# ---------------------------------------------------------------- demand with sector


@pytest.mark.parametrize(
    ("text", "ents", "metric"),
    [
        (
            "南韓電動車產業對釹（Nd）與鏑（Dy）的年需求量約3,000噸。",
            [
                ("南韓", "GPE", "South Korea"),
                ("釹", "MATERIAL", "neodymium"),
                ("鏑", "MATERIAL", "dysprosium"),
            ],
            "korea_ev_nddy_demand",
        ),
        # no industry named: the country-wide demand key
        (
            "台灣每年對鋱的需求量約3,000噸，幾乎全數仰賴進口。",
            [("台灣", "GPE", "Taiwan"), ("鋱", "MATERIAL", "terbium")],
            "taiwan_tb_demand",
        ),
        # no commodity with a slug: neither demand key applies
        (
            "台灣每年對非晶質合金的需求量約3,000噸。",
            [("台灣", "GPE", "Taiwan"), ("非晶質合金", "MATERIAL", "amorphous alloy")],
            None,
        ),
    ],
)
def test_demand_keyed_by_sector_and_commodity(
    text: str, ents: list[tuple[str, str, str]], metric: str | None
) -> None:
    qs = [qty(text, "約3,000噸", type="measure", unit="t", value=3000.0, qualifier="approx")]
    (c,) = _build(text, qs, (), [ent(text, *e) for e in ents])
    assert c.metric == metric


# ---------------------------------------------------------------- sites


def test_planned_output_of_a_named_site() -> None:
    text = "加拿大也在開發北部的Nechalacho稀土礦，計畫每年生產500噸鋱。"
    qs = [qty(text, "500噸", type="measure", unit="t", value=500.0, per="year")]
    es = [
        ent(text, "加拿大", "GPE", "Canada"),
        ent(text, "Nechalacho稀土礦", "FACILITY", "Nechalacho rare-earth project"),
        ent(text, "鋱", "MATERIAL", "terbium"),
    ]
    (c,) = _build(text, qs, (), es)
    assert (c.metric, c.subject, c.modality) == ("nechalacho_tb_output_target", "Canada", "target")
    assert c.period is None  # an undated plan is not about the publication year


def test_regression_output_without_a_plan_is_not_a_target() -> None:
    """該礦去年生產500噸鋱: an output report, not the site's output target."""
    text = "加拿大北部的Nechalacho稀土礦去年生產500噸鋱。"
    qs = [qty(text, "500噸", type="measure", unit="t", value=500.0)]
    es = [
        ent(text, "加拿大", "GPE", "Canada"),
        ent(text, "Nechalacho稀土礦", "FACILITY", "Nechalacho rare-earth project"),
        ent(text, "鋱", "MATERIAL", "terbium"),
    ]
    (c,) = _build(text, qs, (), es)
    assert c.metric is not None and not c.metric.endswith("_output_target")


def test_concentrate_output_of_the_mine_named_before_goes_to_its_operator() -> None:
    """芒廷帕斯… then 該礦場…精礦: the site from the sentence before, the operator from the gazetteer."""
    text = "芒廷帕斯在上世紀末曾因環保問題停工。該礦場2023年開採出的稀土精礦約4.1萬噸。"
    qs = [qty(text, "約4.1萬噸", type="measure", unit="t", value=41000.0, qualifier="approx")]
    ts = [tm(text, "2023年", "2023")]
    es = [
        ent(text, "芒廷帕斯", "FACILITY", "Mountain Pass mine"),
        ent(text, "稀土精礦", "MATERIAL", "rare-earth concentrate"),
    ]
    (c,) = _build(text, qs, ts, es)
    assert (c.metric, c.subject, c.period) == (
        "mountain_pass_concentrate_output",
        "MP Materials",
        "2023",
    )


def test_seabed_distance_is_keyed_by_the_island_and_held_by_the_agency() -> None:
    """該船將在距離該礁200公里…: the island before, the operating agency in the sentence before."""
    text = (
        "一艘由海洋研究開發機構營運的探測船昨天啟航。"
        "該船將前往沖之鳥礁，在距離該礁200公里、水深約5000公尺的海底採集稀土泥。"
    )
    qs = [
        qty(text, "200公里", type="measure", unit="km", value=200.0),
        qty(text, "約5000公尺", type="measure", unit="m", value=5000.0, qualifier="approx"),
    ]
    es = [
        ent(text, "海洋研究開發機構", "ORG", "JAMSTEC"),
        ent(text, "沖之鳥礁", "LOC", "Okinotorishima"),
    ]
    far, deep = _build(text, qs, (), es)
    assert (far.metric, far.subject) == ("seabed_sampling_distance_from_okinotorishima", "JAMSTEC")
    assert (deep.metric, deep.subject) == ("seabed_sampling_water_depth", "JAMSTEC")


def test_regression_distance_on_land_is_no_seabed_figure() -> None:
    """新廠距離港口30公里: a distance without seabed words keeps another (or no) key."""
    text = "這座分離廠位於高雄，距離港口約30公里。"
    qs = [qty(text, "約30公里", type="measure", unit="km", value=30.0, qualifier="approx")]
    (c,) = _build(text, qs, (), [ent(text, "高雄", "GPE", "Kaohsiung")])
    assert c.metric is None or not c.metric.startswith("seabed_")


# ---------------------------------------------------------------- counts and capacities


@pytest.mark.parametrize(
    ("text", "surface", "ents", "subject"),
    [
        (
            "2012年9月，三艘中國海警船與一艘日本巡邏船在釣魚台海域對峙。",
            "三艘",
            [("中國海警", "ORG", "China Coast Guard"), ("日本", "GPE", "Japan")],
            "China Coast Guard",
        ),
        (
            "去年兩艘菲律賓補給船與中國船隻在仁愛礁附近碰撞。",
            "兩艘",
            [("菲律賓", "GPE", "Philippines"), ("中國", "GPE", "China")],
            "Philippines",
        ),
    ],
)
def test_vessel_count_belongs_to_the_party_after_the_count(
    text: str, surface: str, ents: list[tuple[str, str, str]], subject: str
) -> None:
    qs = [qty(text, surface, type="count", unit="艘", value=2.0)]
    (c,) = _build(text, qs, (), [ent(text, *e) for e in ents])
    assert (c.metric, c.subject) == ("collision_vessel_count", subject)


def test_can_make_per_year_is_a_magnet_capacity() -> None:
    """新廠完工後能年產2,000噸釹鐵硼磁鐵: what a plant can make a year is its capacity."""
    text = "Noveon Magnetics位於德州的新廠完工後能年產2,000噸釹鐵硼磁鐵。"
    qs = [qty(text, "2,000噸", type="measure", unit="t", value=2000.0, per="year")]
    es = [
        ent(text, "Noveon Magnetics", "ORG", "Noveon Magnetics"),
        ent(text, "釹鐵硼磁鐵", "MATERIAL", "NdFeB magnets"),
    ]
    (c,) = _build(text, qs, (), es)
    assert (c.metric, c.subject) == ("noveon_magnet_capacity", "Noveon Magnetics")


def test_mp_materials_slug_is_its_full_name() -> None:
    text = "MP Materials預計明年底前能年產1,000噸永磁材料。"
    qs = [qty(text, "1,000噸", type="measure", unit="t", value=1000.0, per="year")]
    es = [ent(text, "MP Materials", "ORG", "MP Materials")]
    (c,) = _build(text, qs, (), es)
    assert c.metric == "mp_materials_magnet_capacity"


def test_regression_joint_venture_founders_are_not_its_parties() -> None:
    """由A、B兩家企業合資成立的X…: X holds the figure; the founders are neither side."""
    text = "大阪一家名為Magtech Labs的新創，由住友化學、三菱商事兩家企業合資成立，已開發出年處理50噸廢磁鐵的回收設備。"
    qs = [qty(text, "50噸", type="measure", unit="t", value=50.0, per="year")]
    es = [
        ent(text, "Magtech Labs", "ORG", "Magtech Labs"),
        ent(text, "住友化學", "ORG", "Sumitomo Chemical"),
        ent(text, "三菱商事", "ORG", "Mitsubishi Corporation"),
    ]
    (c,) = _build(text, qs, (), es)
    assert (c.subject, c.object) == ("Magtech Labs", None)


# ---------------------------------------------------------------- trade-report constructions


@pytest.mark.parametrize(
    ("text", "surface", "qfields", "times", "period"),
    [
        # 比去年同期減少: last year is the base of the change, not the figure's period
        (
            "南韓對美國出口約2,300噸，比去年同期減少約9%。",
            "約9%",
            {"value": 9.0, "qualifier": "approx"},
            [("去年", "2025")],
            "2026",
        ),
        (
            "今年前八個月氧化鏑均價約每公斤260美元，較去年全年均價上漲約21%。",
            "約21%",
            {"value": 21.0, "qualifier": "approx"},
            [("今年前八個月", "2026-01/2026-08"), ("去年", "2025")],
            "2026-01/2026-08",
        ),
        # 比去年同期的5萬噸: the base level itself belongs to last year
        (
            "出口量為4.2萬噸，比去年同期的5萬噸減少16%。",
            "5萬噸",
            {"type": "measure", "unit": "t", "value": 50000.0},
            [("去年", "2025")],
            "2025",
        ),
    ],
)
def test_comparison_base_date_is_not_the_figures_period(
    text: str, surface: str, qfields: dict, times: list[tuple[str, str]], period: str
) -> None:
    qs = [qty(text, surface, **qfields)]
    cs = _build(text, qs, [tm(text, s, v) for s, v in times], (), published="2026-09-20")
    assert cs[0].period == period


def test_regression_capacity_share_of_the_world_is_not_a_share_of_a_country() -> None:
    """佔據全球稀土精煉產能的八成以上: 產能的 + 全球 is the world share, not share_of a country."""
    text = "分析師預計到2030年，中國仍將佔據全球稀土精煉產能的八成以上。"
    qs = [qty(text, "八成以上", value=80.0, qualifier="at_least")]
    es = [ent(text, "中國", "GPE", "China"), ent(text, "稀土", "MATERIAL", "rare earths")]
    (c,) = _build(text, qs, [tm(text, "2030年", "2030")], es)
    assert (c.metric, c.subject, c.object) == ("china_share_global_refining", "China", None)


def test_regression_magnet_output_share_is_not_a_mining_share() -> None:
    """中國在全球…燒結釹鐵硼磁鐵的產量超過九成: 產量 of magnets is the magnet share."""
    text = "中國在全球稀土開採約占六成，燒結釹鐵硼磁鐵的產量更超過九成。"
    qs = [
        qty(text, "約占六成", value=60.0, qualifier="approx"),
        qty(text, "超過九成", value=90.0, qualifier="more_than"),
    ]
    es = [
        ent(text, "中國", "GPE", "China"),
        ent(text, "稀土", "MATERIAL", "rare earths"),
        ent(text, "燒結釹鐵硼磁鐵", "MATERIAL", "sintered NdFeB magnets"),
    ]
    mining, magnets = _build(text, qs, (), es)
    assert mining.metric == "china_share_global_mining"
    assert magnets.metric == "china_share_magnet_production"


@pytest.mark.parametrize(
    ("text", "surface", "qfields", "ents", "frame"),
    [
        (
            "越南今年稀土出口額約為1.2億美元。",
            "約為1.2億美元",
            {"type": "money", "unit": "USD", "value": 1.2e8, "qualifier": "approx"},
            [("越南", "GPE", "Vietnam"), ("稀土", "MATERIAL", "rare earths")],
            ("export_value_vietnam", "Vietnam", None),
        ),
        (
            "台灣去年稀土相關產品進口值約3.4億美元。",
            "約3.4億美元",
            {"type": "money", "unit": "USD", "value": 3.4e8, "qualifier": "approx"},
            [("台灣", "GPE", "Taiwan"), ("稀土", "MATERIAL", "rare earths")],
            ("taiwan_re_import_value", "Taiwan", None),
        ),
        (
            "緬甸的稀土礦砂對中國出口約8,000噸，佔其出口總量的九成以上。",
            "九成以上",
            {"value": 90.0, "qualifier": "at_least"},
            [("緬甸", "GPE", "Myanmar"), ("中國", "GPE", "China")],
            ("export_share_myanmar_to_china", "Myanmar", "China"),
        ),
    ],
)
def test_trade_value_and_destination_share(
    text: str, surface: str, qfields: dict, ents: list[tuple[str, str, str]], frame: tuple
) -> None:
    cs = _build(text, [qty(text, surface, **qfields)], (), [ent(text, *e) for e in ents])
    assert (cs[0].metric, cs[0].subject, cs[0].object) == frame


def test_regression_base_level_before_a_fall_is_not_export_growth() -> None:
    """出口…比2010年時的九成以上明顯下降: the figure is the old level, not a change in exports."""
    text = (
        "中國對日本的稀土出口近年持續萎縮。"
        "日本稀土進口對中國的依賴度約六成，比2010年時的九成以上明顯下降。"
    )
    qs = [
        qty(text, "約六成", value=60.0, qualifier="approx"),
        qty(text, "九成以上", value=90.0, qualifier="at_least"),
    ]
    es = [
        ent(text, "中國", "GPE", "China"),
        ent(text, "日本", "GPE", "Japan"),
        ent(text, "稀土", "MATERIAL", "rare earths"),
        ent(text, "日本", "GPE", "Japan", 1),
        ent(text, "稀土", "MATERIAL", "rare earths", 1),
        ent(text, "中國", "GPE", "China", 1),
    ]
    now, then = _build(text, qs, [tm(text, "2010年", "2010")], es)
    assert then.metric == now.metric == "japan_re_import_share_from_china"
    assert then.period == "2010"


def test_one_character_counterpart_in_a_supplier_share() -> None:
    """重稀土的對中依賴度: 對中 names China as the supplier; the company's country is no importer."""
    text = "日本企業多年來出資支持澳洲萊納斯擴產。不過，鏑與鋱等重稀土的對中依賴度仍接近100%。"
    qs = [qty(text, "接近100%", value=100.0, qualifier="nearly")]
    es = [
        ent(text, "日本", "GPE", "Japan"),
        ent(text, "澳洲", "GPE", "Australia"),
        ent(text, "萊納斯", "ORG", "Lynas Rare Earths"),
        ent(text, "鏑", "MATERIAL", "dysprosium"),
        ent(text, "鋱", "MATERIAL", "terbium"),
        ent(text, "重稀土", "MATERIAL", "heavy rare earths"),
    ]
    (c,) = _build(text, qs, (), es)
    assert (c.metric, c.subject, c.object) == (
        "japan_hree_import_share_from_china",
        "Japan",
        "China",
    )


def test_counterpart_of_the_sentence_before_is_not_the_holder() -> None:
    """對日本出口… then 對美國出口約6800噸: the exporter is the report's country, not Japan."""
    text = (
        "中國前三季稀土出口量約5萬噸，同比增長約6%。"
        "其中，對日本出口約1萬噸。"
        "對美國出口約6,800噸，比去年同期減少約12%。"
    )
    qs = [
        qty(text, "約5萬噸", type="measure", unit="t", value=5e4, qualifier="approx"),
        qty(text, "約6%", value=6.0, qualifier="approx"),
        qty(text, "約1萬噸", type="measure", unit="t", value=1e4, qualifier="approx"),
        qty(text, "約6,800噸", type="measure", unit="t", value=6800.0, qualifier="approx"),
        qty(text, "約12%", value=12.0, qualifier="approx"),
    ]
    es = [
        ent(text, "中國", "GPE", "China"),
        ent(text, "稀土", "MATERIAL", "rare earths"),
        ent(text, "日本", "GPE", "Japan"),
        ent(text, "美國", "GPE", "US"),
    ]
    cs = _build(text, qs, (), es)
    assert [(c.metric, c.subject) for c in cs[3:]] == [
        ("export_volume_china", "China"),
        ("export_volume_growth_china", "China"),
    ]
