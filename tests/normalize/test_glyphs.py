"""Element glyph repair: symbol evidence, paragraph context, enumerations, keep-cases."""

from __future__ import annotations

import pytest

from pipeline.normalize.glyphs import repair_glyphs, table

SYMBOL_CASES = [
    ("法國新廠將產出鐳（Dy）供應日本。", "法國新廠將產出鏑（Dy）供應日本。"),
    ("耐熱磁鐵需添加鐳（Tb）。", "耐熱磁鐵需添加鋱（Tb）。"),
    ("觸媒使用大量銻（Ce）。", "觸媒使用大量鈰（Ce）。"),
    ("黏結磁石含釷（Sm）元素。", "黏結磁石含釤（Sm）元素。"),
    ("顯影劑以釷（Gd）為原料。", "顯影劑以釓（Gd）為原料。"),
    ("鐑（Pr）與釹（Nd）合稱鐠釹。", "鐠（Pr）與釹（Nd）合稱鐠釹。"),
    ("雷射晶體摻雜釷（Yt）。", "雷射晶體摻雜釔（Yt）。"),
    ("half-width: 鐳(Lu) 樣品", "half-width: 鎦(Lu) 樣品"),
]


@pytest.mark.parametrize(("text", "expected"), SYMBOL_CASES)
def test_symbol_repair(text: str, expected: str) -> None:
    out, repairs = repair_glyphs(text)
    assert out == expected
    assert len(repairs) == 1
    r = repairs[0]
    assert out[r.start : r.end] == r.after
    assert "symbol" in r.reason


KEEP_CASES = [
    "阻燃劑使用銻（Sb）與其化合物。",
    "濃縮鈾的產能提升至每年數百噸。",
    "紅外線元件需要銻化銦。",
    "主要元素（Nd）與其他添加物。",
    "鏑（Dy）與鋱（Tb）都屬於重稀土。",
    "新法將鎢、銻等戰略金屬納入管理。",
    "氧化銻是常見的阻燃助劑。",
]


@pytest.mark.parametrize("text", KEEP_CASES)
def test_correct_text_is_kept(text: str) -> None:
    out, repairs = repair_glyphs(text)
    assert out == text
    assert repairs == []


def test_context_repair_in_paragraph_about_cerium() -> None:
    text = "需求最大的是銻（Ce），主要進口品項為銻化合物與氧化銻，其中氧化銻多來自中國。"
    out, repairs = repair_glyphs(text)
    assert "銻" not in out
    assert out.count("鈰化合物") == 1 and out.count("氧化鈰") == 2
    assert len(repairs) == 4
    assert sum("context" in r.reason for r in repairs) == 3
    for r in repairs:
        assert out[r.start : r.end] == r.after


def test_context_does_not_cross_paragraphs() -> None:
    text = "需求最大的是銻（Ce）。\n阻燃劑常用氧化銻。"
    out, _ = repair_glyphs(text)
    assert out.split("\n")[1] == "阻燃劑常用氧化銻。"


def test_context_skipped_when_symbol_confirms_the_glyph() -> None:
    text = "表中列出銻（Sb）及銻（Ce）兩項，銻金屬另計。"
    out, _ = repair_glyphs(text)
    assert out == "表中列出銻（Sb）及鈰（Ce）兩項，銻金屬另計。"


def test_ambiguous_glyph_is_not_spread() -> None:
    text = "新廠產出鐳（Dy）和鐳（Tb），鐳的產量未公布。"
    out, _ = repair_glyphs(text)
    assert out == "新廠產出鏑（Dy）和鋱（Tb），鐳的產量未公布。"


def test_enumeration_repairs_need_document_damage() -> None:
    damaged = (
        "耐熱磁鐵添加鐳（Dy）。\n礦區富含鑛 / 鈾 / 鐳 / 釷等輕稀土元素。\n回收料精煉鎳、鈷、鋳。"
    )
    out, repairs = repair_glyphs(damaged)
    lines = out.split("\n")
    assert lines[1] == "礦區富含鑭 / 鈰 / 鐠 / 釹等輕稀土元素。"
    assert lines[2] == "回收料精煉鎳、鈷、鋰。"
    assert sum("inferred" in r.reason for r in repairs) == 5
    # the same lines in an undamaged document are left alone
    clean = "\n".join(damaged.split("\n")[1:])
    assert repair_glyphs(clean) == (clean, [])


def test_heavy_rare_earth_enumeration() -> None:
    text = "輕稀土為鐑（Pr）。\n而鐳、鉕等重稀土可提高矯頑力。"
    out, _ = repair_glyphs(text)
    assert out.split("\n")[1] == "而鏑、鋱等重稀土可提高矯頑力。"


def test_element_table_has_the_17_rare_earths() -> None:
    data = table()
    rare = ["Sc", "Y", "La", "Ce", "Pr", "Nd", "Pm", "Sm", "Eu", "Gd"]
    rare += ["Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu"]
    assert all(s in data.symbol_to_name for s in rare)
    assert data.symbol_to_name["Dy"] == "鏑" and data.symbol_to_name["Ce"] == "鈰"


def test_repairs_keep_length() -> None:
    text = "產出鐳（Dy）。\n富含鑛 / 鈾 / 鐳 / 釷等輕稀土。"
    out, _ = repair_glyphs(text)
    assert len(out) == len(text)
