"""Script detection and conversion: only Simplified text changes."""

from __future__ import annotations

import pytest

from pipeline.normalize.script import char_script, convert_script, is_simplified

CHARS = [
    ("胁", "s"),
    ("脅", "t"),
    ("说", "s"),
    ("說", "t"),
    # characters both scripts use must count for neither
    ("干", ""),
    ("岩", ""),
    ("台", ""),
    ("里", ""),
    ("A", ""),
    ("，", ""),
]


@pytest.mark.parametrize(("char", "kind"), CHARS)
def test_char_script(char: str, kind: str) -> None:
    assert char_script(char) == kind


TRADITIONAL_UNCHANGED = [
    "岩谷產業宣布在澳洲興建氫氣設施。",
    "中方的管制干擾了日本廠商的生產排程。",
    "台灣的稀土回收技術仍在起步階段。",
    "里程碑式的協議於昨日簽署。",
    "乾燥的礦砂經過篩選後再送往精煉廠。",
]


@pytest.mark.parametrize("text", TRADITIONAL_UNCHANGED)
def test_traditional_text_is_never_rewritten(text: str) -> None:
    out, repairs, warnings, script = convert_script(text)
    assert out == text
    assert repairs == [] and warnings == []
    assert script == "traditional"
    assert not is_simplified(text)


SIMPLIFIED = [
    ("中国对稀土出口实施许可证管理。", "中國對稀土出口實施許可證管理。"),
    ("日本企业正在寻找新的供应来源。", "日本企業正在尋找新的供應來源。"),
]


@pytest.mark.parametrize(("simp", "trad"), SIMPLIFIED)
def test_simplified_paragraph_converted(simp: str, trad: str) -> None:
    out, repairs, warnings, script = convert_script(simp)
    assert out == trad
    assert script == "simplified"
    assert repairs
    for r in repairs:
        assert out[r.start : r.end] == r.after
    assert any("s2tw" in w for w in warnings)


def test_isolated_simplified_char_in_traditional_paragraph() -> None:
    text = "歐盟表達對經濟胁迫的關切，並與岩谷等企業會談以避免干擾。"
    out, repairs, warnings, script = convert_script(text)
    assert out == text.replace("胁", "脅")
    assert "岩谷" in out and "干擾" in out
    assert len(repairs) == 1 and repairs[0].before == "胁" and repairs[0].after == "脅"
    assert out[repairs[0].start : repairs[0].end] == "脅"
    assert script == "traditional"
    assert warnings


def test_mixed_document_converts_only_the_simplified_paragraph() -> None:
    trad = "岩谷產業的干擾因素已排除。"
    simp = "中国商务部发布公告。"
    out, repairs, _w, script = convert_script(f"{trad}\n{simp}")
    first, second = out.split("\n")
    assert first == trad
    assert second == "中國商務部發布公告。"
    assert script == "mixed"
    assert all(r.start > len(trad) for r in repairs)


def test_publisher_conversion_artefacts_are_flagged_not_changed() -> None:
    text = "美國對華髮起新一輪調查，並推動迴圈利用。"
    out, repairs, warnings, _ = convert_script(text)
    assert out == text and repairs == []
    assert any("髮起" in w for w in warnings) and any("迴圈利用" in w for w in warnings)
