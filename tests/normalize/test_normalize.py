"""End-to-end normalize(): offsets, provenance, composition and robustness."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.normalize import normalize, normalize_text
from pipeline.normalize.width import normalize_width
from pipeline.records import NormalizedDocument, RawDocument

WEB_DUMP = """ date 2025-08-21 稀土新規上路 日企加速布局
記者陳怡君／東京報導
日本經產省21日表示，將再撥款3 億美元支援國內磁材廠 ，並與澳洲業者簽訂長期合約。
我是廣告 請繼續往下閱讀
官員指出,日本對中國稀土的依賴度已由９成降至約６成。
官員指出,日本對中國稀土的依賴度已由９成降至約６成。
（圖／翻攝自經產省官網）
※作者為本報駐日記者
其他人也在看
颱風假今晚公布
氣象署說明最新路徑 ・ 3 小時前 ・ 52
"""

PDF_DUMP = """# 關鍵礦物報告： 供應鏈的再平衡

◎許文傑／中華經濟研究院日本中心

**關鍵詞：**稀土、供應鏈

2023 年日本向澳洲業者注資 2 億澳幣，用於布局鐳（Dy）的分離產能<sup>3</sup>，預計在

2026 年投產。需求最大的仍是銻（Ce），主要進口品項為氧化銻與銻化合物。

## 結語

日本的分散策略已見成效。

## 附注

1. Someone (2024). A report.
"""


def _raw(text: str, fmt: str = "txt") -> RawDocument:
    """A raw document around ``text``."""
    return RawDocument("doc.txt", "c" * 64, "c" * 16, fmt, "utf-8", text)


def _check_invariants(raw: RawDocument, doc: NormalizedDocument) -> None:
    """Offsets and provenance hold for every record."""
    for r in doc.removed:
        assert raw.text[r.start : r.end] == r.text
        assert r.reason
    for r in doc.repairs:
        assert doc.text[r.start : r.end] == r.after
    for s, e in doc.paragraphs:
        assert 0 <= s < e <= len(doc.text)
        assert doc.text[s:e] == doc.text[s:e].strip()
    assert all(h in doc.paragraphs for h in doc.headings)
    assert normalize_width(doc.text) == doc.text or normalize_width(doc.text, True) == doc.text


def test_web_dump_end_to_end() -> None:
    raw = _raw(WEB_DUMP)
    doc = normalize(raw)
    _check_invariants(raw, doc)
    assert doc.title == "稀土新規上路 日企加速布局"
    assert doc.published == "2025-08-21"
    assert doc.authors == ["陳怡君"]
    assert doc.outlet == "Yahoo奇摩新聞"
    assert doc.text == (
        "日本經產省21日表示，將再撥款3億美元支援國內磁材廠，並與澳洲業者簽訂長期合約。\n"
        "官員指出，日本對中國稀土的依賴度已由9成降至約6成。"
    )
    assert len(doc.paragraphs) == 2
    assert doc.script == "traditional"


def test_pdf_dump_end_to_end() -> None:
    raw = _raw(PDF_DUMP)
    doc = normalize(raw)
    _check_invariants(raw, doc)
    assert doc.title == "關鍵礦物報告：供應鏈的再平衡"
    assert doc.authors == ["許文傑"]
    assert doc.outlet == "中華經濟研究院"
    assert doc.published is None and "published" in doc.missing
    assert (
        "2023年日本向澳洲業者注資2億澳幣，用於布局鏑（Dy）的分離產能，預計在2026年投產。"
        in doc.text
    )
    assert "氧化鈰與鈰化合物" in doc.text
    assert "關鍵詞" not in doc.text and "附注" not in doc.text and "<sup>" not in doc.text
    assert [doc.text[s:e] for s, e in doc.headings] == ["結語"]
    reasons = {r.reason for r in doc.removed}
    assert "PDF break inside a sentence" in reasons
    assert "footnote marker" in reasons
    assert any("glyph" in r.reason for r in doc.repairs)


def test_normalized_text_is_stable_under_a_second_pass() -> None:
    body = "日本經產省表示，將撥款3億美元支援國內磁材廠。\n官員指出，依賴度已降至約6成。"
    once = normalize_text(body)
    assert normalize_text(once) == once


def test_record_round_trip() -> None:
    doc = normalize(_raw(PDF_DUMP))
    again = NormalizedDocument.from_dict(doc.to_dict())
    assert again == doc


def test_empty_text() -> None:
    doc = normalize(_raw(""))
    assert doc.text == "" and doc.paragraphs == []
    assert doc.title is None


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_unicode_never_raises(text: str) -> None:
    raw = _raw(text)
    doc = normalize(raw)
    _check_invariants(raw, doc)


LINEISH = st.lists(
    st.sampled_from(
        [
            "稀土出口管制持續擴大，業者憂心。",
            "其他人也在看",
            "我是廣告 請繼續往下閱讀",
            "記者王大同／台北報導",
            " date 2024-01-02",
            "鐳（Dy）與釷（Sm）",
            "",
            "\u00a0",
            "（圖／本報資料照）",
            "2.5 億美元",
            "某標題 ・ 2 小時前 ・ 5",
        ]
    ),
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(LINEISH)
def test_structured_noise_never_raises(lines: list[str]) -> None:
    raw = _raw("\n".join(lines))
    _check_invariants(raw, normalize(raw))


def test_simplified_article_is_converted_including_its_title() -> None:
    text = " date 2025-05-06 中国稀土出口数据公布\n记者王大同／北京报导\n中国海关总署公布的数据显示，稀土出口量较去年同期减少两成。"
    doc = normalize(_raw(text))
    assert doc.title == "中國稀土出口數據公佈"
    assert doc.text == "中國海關總署公佈的數據顯示，稀土出口量較去年同期減少兩成。"
    assert doc.script == "simplified"
    assert doc.authors == ["王大同"]


def test_regression_entity_gt_alone_on_a_line_is_a_stray_symbol_in_one_pass() -> None:
    """'&GT;' (found by the idempotence property) decoded to '>' and only a second pass
    removed it as a stray symbol; the line is now judged as it will read."""
    body = "日本稀土進口約六成來自中國。"
    for raw in ("&GT;", f"&gt;\n{body}", f"&amp;gt;\n{body}"):
        first = normalize(_raw(raw))
        assert ">" not in first.text and first.removed
        assert normalize(_raw(first.text)).text == first.text
    kept = normalize(_raw(f"價格 &gt; 100 美元\n{body}"))
    assert "價格 > 100" in kept.text  # an entity inside a sentence is decoded, kept


def test_regression_colons_with_a_zero_width_space_are_a_stray_symbol_in_one_pass() -> None:
    """':::\u200b' (found by the idempotence property) read as four characters, too long
    for a stray symbol line; normalization then dropped the zero-width space and only a
    second pass removed ':::'."""
    body = "日本稀土進口約六成來自中國。"
    for raw in (":::\u200b", f"\u200b---\n{body}", f"&gt;\u200b\n{body}"):
        first = normalize(_raw(raw))
        assert first.removed and not any(c in first.text for c in ":->")
        assert normalize(_raw(first.text)).text == first.text
