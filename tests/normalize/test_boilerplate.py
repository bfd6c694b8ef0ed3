"""Boilerplate finders: each kind removed, body text kept."""

from __future__ import annotations

import pytest

from pipeline.normalize import normalize_text
from pipeline.normalize.boilerplate import (
    find_boilerplate,
    find_duplicate_lines,
    find_markup,
    syndication_outlet,
)

BODY = "經濟部官員指出，國內磁材廠去年自越南進口的氧化釹大幅增加，價格也較前年上漲兩成。"
BODY2 = "業者估計，若供應再度中斷，汽車零件廠的庫存僅能支撐約三個月的生產需求。"
LONG_BODY = "\n".join([BODY, BODY2] * 6)


def _removed(text: str) -> str:
    """Normalized text of a synthetic document."""
    return normalize_text(text)


# (kind, document, boilerplate substring that must go)
CASES = [
    ("ad marker", f"{BODY}\n我是廣告 請繼續往下閱讀\n{BODY2}", "我是廣告"),
    ("ad marker inline", f"{BODY}我是廣告 請繼續往下閱讀{BODY2}", "請繼續往下閱讀"),
    (
        "related list",
        f"{LONG_BODY}\n其他人也在看\n颱風假今晚公布\n氣象署說明路徑 ・ 3 小時前 ・ 52",
        "颱風假",
    ),
    ("more reports", f"{LONG_BODY}\n更多中時新聞網報導\n球季開打首戰告捷", "球季開打"),
    (
        "teaser without header",
        f"{BODY}\n某球星宣布退休\n球迷不捨紛紛留言送上祝福。某報 ・ 5 小時前 ・ 31\n{BODY2}",
        "某球星宣布退休",
    ),
    ("author bio line", f"{BODY}\n※作者為某大學政治學系副教授\n{BODY2}", "※作者為"),
    (
        "bio to end on the same line",
        f"{LONG_BODY}●作者：林小華／駐首爾特派員。曾任財經記者●本文不代表本報立場",
        "●作者",
    ),
    ("submission notice", f"{LONG_BODY}\n【論壇徵稿】\n來稿請寄信箱", "【論壇徵稿】"),
    ("opinion notice", f"{BODY}\n本文為作者個人意見，不代表本站立場\n{BODY2}", "本文為作者"),
    ("subscription", f"{BODY}\n想看更多深度分析，訂閱本報電子報\n{BODY2}", "訂閱本報"),
    ("line join", f"{BODY}\n加入LINE好友搶先看\n{BODY2}", "LINE"),
    ("copyright", f"{BODY}\n版權所有 © 2025 某某媒體\n{BODY2}", "版權所有"),
    ("back to top", f"{LONG_BODY}\n回頂端", "回頂端"),
    ("stray symbol", f"︿\n{BODY}", "︿"),
    ("photo credit line", f"{BODY}\n（圖／翻攝自官方臉書）\n{BODY2}", "翻攝"),
    ("caption with credit", f"{BODY}\n稀土礦場一景。(路透)\n{BODY2}", "礦場一景"),
    ("photo source", f"{BODY}\n照片來源：經濟部\n{BODY2}", "照片來源"),
    ("keywords", f"{BODY}\n**關鍵詞：**稀土、供應鏈\n{BODY2}", "關鍵詞"),
    ("keywords en", f"{BODY}\nKeywords: rare earth, supply chain\n{BODY2}", "Keywords"),
    ("source note", f"{BODY}\n資料來源：作者整理\n{BODY2}", "資料來源"),
    ("figure caption", f"{BODY}\n圖4 歷年氧化鏑價格走勢\n{BODY2}", "歷年氧化鏑價格"),
    ("reference list", f"{LONG_BODY}\n## 參考文獻\n1. Smith (2020). Rare earths.", "Smith"),
    ("editor credit", f"{BODY}\n責任編輯：陳小美\n{BODY2}", "責任編輯"),
    ("reporter photo", f"{BODY}\n工人在礦區作業。（記者王大明攝）\n{BODY2}", "王大明攝"),
    ("triangle caption", f"{BODY}\n▲精煉廠外觀。\n{BODY2}", "精煉廠外觀"),
    ("hashtags", f"{BODY}\n#稀土 #供應鏈 #日本\n{BODY2}", "#稀土"),
    ("share buttons", f"{BODY}\n分享 Facebook LINE\n{BODY2}", "Facebook"),
    ("bracketed related", f"{LONG_BODY}\n【延伸閱讀】\n球季開打首戰告捷", "球季開打"),
]


@pytest.mark.parametrize(("kind", "doc", "gone"), CASES, ids=[c[0] for c in CASES])
def test_boilerplate_removed_body_kept(kind: str, doc: str, gone: str) -> None:
    out = _removed(doc)
    assert gone not in out, kind
    assert BODY in out
    if BODY2 in doc:
        assert BODY2 in out


def test_tail_rule_ignores_marker_near_the_top() -> None:
    # A "related list" header in the first fifth of the text must not cut the article.
    doc = f"其他人也在看\n{LONG_BODY}"
    out = _removed(doc)
    assert BODY2 in out


def test_line_rule_never_removes_long_body_line() -> None:
    long_line = "資料來源：" + "經濟部統計顯示，稀土磁鐵出口持續成長。" * 30
    spans = find_boilerplate(long_line)
    assert spans == []


def test_regression_caption_repeated_before_body() -> None:
    caption = "風力發電機需要大量永久磁鐵，每座約用兩噸稀土。(取自網路)"
    doc = f"{caption}\n\n{caption}\n\n{BODY}"
    out = _removed(doc)
    assert "取自網路" not in out and "每座約用兩噸" not in out
    assert BODY in out


def test_pull_quote_is_dropped_once() -> None:
    quote = "日本企業早已分散採購來源，對單一國家的依賴明顯下降。"
    doc = f"{BODY}\n{quote}業界普遍認為此趨勢將延續。\n{BODY2}\n{quote}"
    spans = find_duplicate_lines(doc)
    assert len(spans) == 1
    assert doc[spans[0].start : spans[0].end].strip() == quote
    out = _removed(doc)
    assert out.count(quote) == 1


def test_short_repeated_heading_is_not_a_duplicate() -> None:
    doc = f"結論\n{BODY}\n結論\n{BODY2}"
    assert find_duplicate_lines(doc) == []


def test_markup_spans() -> None:
    doc = "## 小標\n稀土<sup>3</sup>供應**穩定**，網址a\\_b\n<ul><li>• 項目</li></ul>"
    reasons = sorted({s.reason for s in find_markup(doc)})
    assert reasons == [
        "HTML tag",
        "footnote marker",
        "markdown bold marker",
        "markdown escape",
        "markdown heading marker",
    ]
    assert _removed(doc) == "小標\n稀土供應穩定，網址a_b\n• 項目"


def test_syndication_outlet() -> None:
    assert syndication_outlet(f"{BODY}\n其他人也在看\n") == "Yahoo奇摩新聞"
    assert syndication_outlet(BODY) is None


def test_removed_records_point_into_raw_text() -> None:
    from pipeline.normalize import normalize
    from pipeline.records import RawDocument

    raw_text = f"︿\n{BODY}\n我是廣告 請繼續往下閱讀\n{BODY2}\n※作者為研究員"
    raw = RawDocument("x.txt", "a" * 64, "a" * 16, "txt", "utf-8", raw_text)
    doc = normalize(raw)
    assert doc.removed
    for r in doc.removed:
        assert raw_text[r.start : r.end] == r.text
        assert r.reason
