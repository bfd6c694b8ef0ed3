"""Table-driven tests of the entity recognizer (own phrasing, no seed sentences)."""

from __future__ import annotations

import pytest

from pipeline.extract.entities import ALIAS, GAZETTEER, PATTERN, Entity, extract_entities


def _ents(text: str) -> list[Entity]:
    """Extract and check the offset invariant on every entity."""
    ents = extract_entities(text)
    for e in ents:
        assert text[e.start : e.end] == e.surface
    for a, b in zip(ents, ents[1:], strict=False):
        assert a.end <= b.start, "entities must not overlap"
    return ents


def _find(ents: list[Entity], surface: str) -> Entity:
    """The entity with this surface (fails the test when absent)."""
    hits = [e for e in ents if e.surface == surface]
    assert hits, f"{surface!r} not in {[e.surface for e in ents]}"
    return hits[0]


GAZETTEER_CASES = [
    # (text, surface, id, type)
    ("經濟產業省週二公布新的補助名單。", "經濟產業省", "METI", "ORG"),
    ("經產省官員拒絕評論。", "經產省", "METI", "ORG"),
    ("日本經濟產業省擬擴大儲備。", "日本經濟產業省", "METI", "ORG"),
    ("萊納斯上季營收成長。", "萊納斯", "Lynas Rare Earths", "ORG"),
    (
        "Lynas Rare Earths announced a plant upgrade in 馬來西亞。",
        "Lynas Rare Earths",
        "Lynas Rare Earths",
        "ORG",
    ),
    ("高市早苗在國會答詢時提到供應鏈。", "高市早苗", "Takaichi Sanae", "PERSON"),
    ("片山皋月出席財長會議。", "片山皋月", "Katayama Satsuki", "PERSON"),
    ("研究船前往南鳥島外海試採。", "南鳥島", "Minamitorishima", "LOC"),
    ("歐盟執委會提出新的採購機制。", "歐盟執委會", "European Commission", "ORG"),
    ("東協各國討論礦產合作。", "東協", "ASEAN", "ORG"),
    ("七國集團財長同意協調儲備。", "七國集團", "G7", "ORG"),
    ("G7峰會聚焦關鍵礦產。", "G7", "G7", "ORG"),
    ("釹鐵硼磁鐵的價格走高。", "釹鐵硼磁鐵", "NdFeB magnets", "MATERIAL"),
    ("重稀土的分離技術仍由少數國家掌握。", "重稀土", "heavy rare earths", "MATERIAL"),
    ("鏑與鋱都是重要的添加元素。", "鏑", "dysprosium", "MATERIAL"),
    ("镝的报价上涨。", "镝", "dysprosium", "MATERIAL"),
    ("鎵和鍺的出口受到限制。", "鍺", "germanium", "MATERIAL"),
    ("石墨負極材料需求增加。", "石墨", "graphite", "MATERIAL"),
    ("岩谷產業與雙日合組新公司。", "岩谷產業", "Iwatani Corporation", "ORG"),
    ("MP Materials在加州擴建磁鐵工廠。", "MP Materials", "MP Materials", "ORG"),
    ("美國地質調查局更新礦產年報。", "美國地質調查局", "USGS", "ORG"),
    ("兩用物項出口管制清單納入更多品項。", "兩用物項", "dual-use items", "MATERIAL"),
    ("關丹的工廠恢復運轉。", "關丹", "Kuantan", "GPE"),
    ("經濟部將邀集業者研商。", "經濟部", "MOEA", "ORG"),
    ("工研院投入回收技術研發。", "工研院", "ITRI", "ORG"),
]


@pytest.mark.parametrize(("text", "surface", "cid", "typ"), GAZETTEER_CASES)
def test_gazetteer_hits(text: str, surface: str, cid: str, typ: str) -> None:
    e = _find(_ents(text), surface)
    assert (e.id, e.type, e.source) == (cid, typ, GAZETTEER)


COUNTRY_ABSORBS = [
    ("中方回應稱將依法管理出口。", "中方", "China"),
    ("日方表示遺憾。", "日方", "Japan"),
    ("北京宣布暫停部分許可。", "北京", "China"),
    ("日本政府決定追加預算。", "日本政府", "Japan"),
    ("澳洲政府提供低利貸款。", "澳洲政府", "Australia"),
    ("中國官方媒體報導此事。", "中國官方", "China"),
]


@pytest.mark.parametrize(("text", "surface", "cid"), COUNTRY_ABSORBS)
def test_countries_absorb_metonyms_and_governments(text: str, surface: str, cid: str) -> None:
    e = _find(_ents(text), surface)
    assert e.id == cid and e.type == "GPE"


NOT_ENTITIES = [
    # relational compounds and generic references are not entities
    ("中日關係因稀土問題再度緊張。", "中日"),
    ("美中貿易戰延燒到礦產。", "美中"),
    ("台日合作開發回收技術。", "台日"),
    ("據日媒報導，政府將設立基金。", "日媒"),
    ("日中兩國在談判桌上交鋒。", "日中"),
]


@pytest.mark.parametrize(("text", "surface"), NOT_ENTITIES)
def test_relational_and_generic_are_not_entities(text: str, surface: str) -> None:
    ents = _ents(text)
    assert all(surface not in e.surface for e in ents), ents


COMPOUNDS = [
    ("美日歐聯手向世貿組織提告。", "美日歐", "US+Japan+EU"),
    ("鎳礦主要從越、菲兩地進口。", "越、菲", "Vietnam+Philippines"),
    ("美日等國正在建立儲備。", "美日", "US+Japan"),
]


@pytest.mark.parametrize(("text", "surface", "cid"), COMPOUNDS)
def test_joint_actor_compounds(text: str, surface: str, cid: str) -> None:
    e = _find(_ents(text), surface)
    assert e.id == cid and e.type == "GPE"


def test_bare_ministry_resolved_by_nearby_country() -> None:
    text = "美國國防部去年簽約。國防部並表示將擴大採購。"
    ents = _ents(text)
    assert [e.id for e in ents if e.surface.endswith("國防部")] == ["US DoD", "US DoD"]


def test_bare_ministry_follows_country_in_sentence() -> None:
    ents = _ents("中國商務部與海關總署聯合公告，商務部也將審查許可。")
    bare = [e for e in ents if e.surface == "商務部"]
    assert bare and bare[0].id == "MOFCOM"


def test_ministry_title_keeps_the_country() -> None:
    """美國財政部長 is a person's title: the country is the entity, not the ministry."""
    ents = _ents("美國財政部長在會後受訪。")
    assert [e.id for e in ents] == ["US"]


def test_element_symbol_decides_even_with_a_broken_glyph() -> None:
    """A PDF glyph error (鐳 for 鏑) is still dysprosium because of (Dy)."""
    ents = _ents("添加鐳（Dy）可以提高耐熱性，釹（Nd）則是主成分。")
    assert [(e.surface, e.id, e.source) for e in ents] == [
        ("鐳（Dy）", "dysprosium", PATTERN),
        ("釹（Nd）", "neodymium", PATTERN),
    ]


def test_paren_alias_links_both_forms_for_the_document() -> None:
    text = "能源金屬礦物資源機構（JOGMEC）將出資。之後JOGMEC再追加一筆。"
    ents = _ents(text)
    ids = {e.id for e in ents if "JOGMEC" in e.surface or e.surface.endswith("機構")}
    assert ids == {"JOGMEC"}


def test_paren_alias_for_an_unknown_organisation() -> None:
    """An unknown long name defined with a Latin short form shares one local id."""
    text = "北星稀土材料株式會社（NSRM）宣布擴產，NSRM預計明年量產。"
    ents = _ents(text)
    long_form = _find(ents, "北星稀土材料株式會社")
    later = [e for e in ents if e.surface == "NSRM"]
    assert len(later) == 2
    assert all(e.id == long_form.id for e in later)
    assert later[-1].source == ALIAS


def test_latin_gloss_of_a_known_name_becomes_an_alias() -> None:
    ents = _ents("萊納斯（Lynas）是澳洲最大的稀土業者。")
    assert [e.id for e in ents[:2]] == ["Lynas Rare Earths", "Lynas Rare Earths"]


def test_latin_gloss_of_an_ordinary_term_is_not_an_entity() -> None:
    ents = _ents("這種做法被稱為「隱形封鎖」（Silent Blockade）。")
    assert ents == []


def test_latin_name_not_in_gazetteer() -> None:
    e = _find(_ents("新創公司Quantum Magnetix宣布完成募資。"), "Quantum Magnetix")
    assert (e.id, e.type, e.source) == ("Quantum Magnetix", "ORG", PATTERN)


def test_known_company_plus_suffix_keeps_its_id() -> None:
    e = _find(_ents("Lynas公司表示產能已滿載。"), "Lynas公司")
    assert e.id == "Lynas Rare Earths"


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("雙方協議由東海精密株式會社負責加工。", "東海精密株式會社"),
        ("株式會社北陸金屬，將在當地設廠。", "株式會社北陸金屬"),
        ("日本井田工業公司也參與投標。", "日本井田工業公司"),
    ],
)
def test_organisation_suffix_patterns(text: str, surface: str) -> None:
    e = _find(_ents(text), surface)
    assert e.type == "ORG" and e.id == "local:" + surface and e.source == PATTERN


@pytest.mark.parametrize(
    "text",
    [
        "該公司拒絕回應。",
        "母公司將承擔損失。",
        "成立特殊目的公司處理投資。",
        "多家企業和研究機構參與。",
    ],
)
def test_descriptions_with_org_suffix_are_not_names(text: str) -> None:
    assert [e for e in _ents(text) if e.type == "ORG"] == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("部長林健吾表示，將研議對策。", "林健吾"),
        ("經濟產業省官員佐藤明美說，補助會延續。", "佐藤明美"),
        ("執行長陳立文指出，訂單已排到明年。", "陳立文"),
    ],
)
def test_people_from_roles(text: str, name: str) -> None:
    e = _find(_ents(text), name)
    assert e.type == "PERSON" and e.id == "local:" + name


def test_pattern_person_later_mentions_share_the_id() -> None:
    text = "部長林健吾表示將研議。林健吾也提到預算。"
    ents = [e for e in _ents(text) if e.surface == "林健吾"]
    assert len(ents) == 2 and ents[1].source == ALIAS and ents[0].id == ents[1].id


@pytest.mark.parametrize("text", ["部長表示，將研議對策。", "官員指出，目前沒有時間表。"])
def test_role_without_a_name_is_not_a_person(text: str) -> None:
    assert [e for e in _ents(text) if e.type == "PERSON"] == []


def test_law_title_pattern_and_known_title() -> None:
    ents = _ents("依據《礦產資源安全保障條例》與《出口管制法》辦理。")
    unknown = _find(ents, "礦產資源安全保障條例")
    assert (unknown.type, unknown.id) == ("LAW", "local:礦產資源安全保障條例")
    assert _find(ents, "出口管制法").id == "PRC Export Control Law"


def test_non_law_title_is_not_an_entity() -> None:
    assert _ents("他在《深夜談話》節目中發言。") == []


def test_longest_match_wins() -> None:
    ents = _ents("中國稀土集團與中國北方稀土集團合併傳聞。")
    assert [e.id for e in ents] == ["China Rare Earth Group", "China Northern Rare Earth Group"]


def test_record_round_trip_and_schema() -> None:
    e = _ents("南鳥島")[0]
    d = e.to_dict()
    assert d["schema"] == "entity/1"
    assert Entity.from_dict(d) == e


def test_empty_text() -> None:
    assert extract_entities("") == []


TRAPS = [
    # (text, surface that must NOT be an entity)
    ("各國都想提高市場占有率。", "高市"),
    ("在立法方面仍有爭議。", "法方"),
    ("其中方案一較為可行。", "中方"),
    ("車隊沿著大馬路前進。", "大馬"),
    ("北大西洋的航線受影響。", "北大"),
    ("南京大學的研究團隊發表論文。", "京大"),
    ("平台電商的銷售額成長。", "台電"),
    ("國際市場中油價走弱。", "中油"),
    ("這在道德方面說不過去。", "德方"),
]


@pytest.mark.parametrize(("text", "surface"), TRAPS)
def test_short_surfaces_inside_other_words(text: str, surface: str) -> None:
    assert all(e.surface != surface for e in _ents(text)), _ents(text)


@pytest.mark.parametrize(
    ("text", "short"),
    [
        ("首相高市早苗出訪。高市表示將加強合作。", "高市"),
        ("石破茂卸任後，石破也提到稀土問題。", "石破"),
        ("官員佐藤明美表示會出席。佐藤說預算充足。", "佐藤"),
    ],
)
def test_surname_mentions_after_the_full_name(text: str, short: str) -> None:
    ents = [e for e in _ents(text) if e.type == "PERSON"]
    full, later = ents[0], [e for e in ents if e.surface == short]
    assert later and later[0].id == full.id and later[0].source == ALIAS


def test_surname_alone_is_not_a_person_without_the_full_name() -> None:
    assert [e for e in _ents("高市表示將加強合作。") if e.type == "PERSON"] == []


@pytest.mark.parametrize(
    ("text", "surface", "cid"),
    [
        ("中国商务部宣布新的管制措施。", "中国商务部", "MOFCOM"),
        ("日本经济产业省将提供补助。", "日本经济产业省", "METI"),
        ("莱纳斯扩大产能。", "莱纳斯", "Lynas Rare Earths"),
        ("経済産業省が発表した。", "経済産業省", "METI"),
    ],
)
def test_simplified_and_japanese_forms(text: str, surface: str, cid: str) -> None:
    assert _find(_ents(text), surface).id == cid


def test_two_company_names_in_a_row() -> None:
    """Regression: 'X株式會社 株式會社Y' once produced one entity spanning both."""
    ents = _ents("北陸精工株式會社 株式會社ABC電子")
    assert [e.surface for e in ents] == ["北陸精工株式會社", "株式會社ABC電子"]


def test_social_handle_is_not_an_organisation() -> None:
    """Regression: a photo credit '@SecSomebody' became an ORG."""
    assert _ents("（圖取自X／@SecJaneDoe）") == []


def test_country_prefixed_agency_and_law() -> None:
    ents = _ents("日本文部科學省與中華人民共和國出口管制法")
    assert [(e.surface, e.id) for e in ents] == [
        ("日本文部科學省", "MEXT"),
        ("中華人民共和國出口管制法", "PRC Export Control Law"),
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("分析師看法分歧，王大明表示價格將反彈。", "王大明"),
        ("「庫存足夠。」佐藤健一說。", "佐藤健一"),
        ("林志豪指出，回收率仍低。", "林志豪"),
    ],
)
def test_people_from_speech_verbs(text: str, name: str) -> None:
    e = _find(_ents(text), name)
    assert (e.type, e.id, e.source) == ("PERSON", "local:" + name, PATTERN)


@pytest.mark.parametrize(
    "text",
    [
        "業者表示，訂單減少。",
        "對方曾多次表示不會禁運。",
        "，安全部表示將調查。",
        "，林姓官員表示無法證實。",
        "他表示同意。",
        "，高層指出問題所在。",
    ],
)
def test_speech_verb_without_a_name(text: str) -> None:
    assert [e for e in _ents(text) if e.type == "PERSON"] == []


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("公司今日立即停工。", "日立"),
        ("發言人李強調這不是制裁。", "李強"),
        ("他王毅然決定退出。", "王毅"),
        ("世貿中心舉辦展覽。", "世貿"),
        ("美國中東部出現暴雪。", "中東"),
        ("浙江西部的工廠停電。", "江西"),
        ("古巴西部受颶風影響。", "巴西"),
    ],
)
def test_context_blocked_surfaces(text: str, surface: str) -> None:
    assert all(e.surface != surface for e in _ents(text)), _ents(text)


DOCUMENT = (
    "【記者綜合報導】中國商務部上週宣布，自12月起對部分中重稀土及相關技術實施出口許可管理，日方隨即表達關切。\n"
    "經濟產業大臣赤澤亮正表示，日本將與澳洲、美國合作，透過能源金屬礦物資源機構（JOGMEC）擴大對萊納斯的出資。JOGMEC也計畫參與越南的礦區開發。\n"
    "據路透報導，美國國防部已與MP Materials簽訂長期採購合約，五角大樓將保障釹鐵硼磁鐵的最低價格。\n"
    "歐盟執委會則依《關鍵原材料法》挑選戰略計畫，法國索爾維（Solvay）的拉羅歇爾工廠獲選。\n"
    "台灣經濟部指出，國內鏑、鋱等重稀土幾乎全數仰賴進口，工研院正研發回收技術。\n"
    "北京方面強調，管制措施符合國際慣例；美中、中日關係因此再添變數。\n"
)


def test_document_level_ids() -> None:
    """A whole article: the set of canonical ids, and nothing from 美中/中日."""
    ids = {e.id for e in _ents(DOCUMENT)}
    assert ids == {
        "MOFCOM",
        "heavy rare earths",
        "Japan",
        "Akazawa Ryosei",
        "Australia",
        "US",
        "JOGMEC",
        "Lynas Rare Earths",
        "Vietnam",
        "Reuters",
        "US DoD",
        "MP Materials",
        "NdFeB magnets",
        "European Commission",
        "EU Critical Raw Materials Act",
        "France",
        "Solvay",
        "La Rochelle",
        "MOEA",
        "dysprosium",
        "terbium",
        "ITRI",
        "China",
    }


@pytest.mark.parametrize(
    ("text", "surface", "cid"),
    [
        ("作者為台灣大學研究生。", "台灣大學", "National Taiwan University"),
        ("日本自衛隊參與演習。", "日本自衛隊", "Japan Self-Defense Forces"),
    ],
)
def test_names_that_start_with_a_country(text: str, surface: str, cid: str) -> None:
    """Regression: 台灣大學 was read as Taiwan."""
    assert [e.id for e in _ents(text)] == [cid]


def test_department_is_not_the_ministry() -> None:
    """Regression: 外交部門 (a diplomatic department) was read as a foreign ministry."""
    assert [e.id for e in _ents("美國外交部門人士透露。")] == ["US"]
