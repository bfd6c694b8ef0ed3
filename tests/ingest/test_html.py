"""HTML reader on Chinese portal markup: main text, metadata, tables, nothing of scripts."""

from __future__ import annotations

import pytest

from pipeline.ingest import read_document
from pipeline.ingest.html import read_html
from tests.ingest.pdfgen import render_html

P1 = "日本經濟產業省今年公布的統計顯示，稀土進口對中國的依賴度已降到約六成，重稀土則仍幾乎全數來自中國。"
P2 = "官員說明，政府將透過JOGMEC擴大對海外礦山的出資，並與澳洲萊納斯簽訂為期十年的承購合約。"
P3 = "業界估計，若中國延長出口審批，日本馬達廠的庫存大約只能撐三到六個月。"

YAHOO_LIKE = f"""<!DOCTYPE html><html lang="zh-Hant-TW"><head><meta charset="utf-8">
<title>日本稀土依賴降至六成 - Yahoo奇摩新聞</title>
<meta property="og:title" content="日本稀土依賴降至六成 重稀土仍是弱點">
<meta property="og:site_name" content="Yahoo奇摩新聞">
<script type="application/ld+json">{{"@context":"https://schema.org","@graph":[
 {{"@type":"WebPage","name":"x"}},
 {{"@type":"NewsArticle","headline":"日本稀土依賴降至六成 重稀土仍是弱點",
   "datePublished":"2026-01-20T10:15:00+08:00",
   "author":{{"@type":"Person","name":"林志豪"}},
   "publisher":{{"@type":"Organization","name":"Yahoo奇摩新聞"}}}}]}}</script>
</head><body>
<div id="ybar"><a href="/">首頁</a><a href="/mail">信箱</a></div>
<div class="caas-container"><header class="caas-header"><h1>日本稀土依賴降至六成 重稀土仍是弱點</h1>
<div class="caas-attr-meta">林志豪 2026年1月20日 週二 上午10:15</div></header>
<div class="caas-body">
<p>{P1}</p>
<div class="caas-da"><span>我是廣告 請繼續往下閱讀</span><div id="sda-INARTICLE"></div></div>
<p>{P2}</p>
<p>{P3}</p>
<p><strong>更多中央社報導</strong></p>
<ul><li><a href="/n1">電價費率審議會下月登場</a></li><li><a href="/n2">離岸風電區塊開發進度落後</a></li><li><a href="/n3">半導體設備出口年增兩成</a></li></ul>
</div></div>
<div class="stream"><h3>其他人也在看</h3><ul>
<li><a href="/s1">週末東北季風增強</a><span>中天新聞網 ・ 3 小時前 ・ 24</span></li>
<li><a href="/s2">美股收盤道瓊漲逾300點</a><span>三立新聞網 setn.com ・ 5 小時前 ・ 發表留言</span></li>
</ul></div>
</body></html>"""

UPMEDIA_LIKE = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>湯志明：稀土這張牌怎麼接｜上報</title>
<meta property="og:site_name" content="上報">
</head><body>
<div id="news-info">
<h2 class="title">湯志明：稀土這張牌怎麼接</h2>
<div class="author">湯志明 <span class="date">2025年06月15日 06:10:00</span></div>
<div class="editor">
{P1}<br><br>
&nbsp;<br><br>
{P2}<br><br>
{P3}
</div></div>
<div class="gotop">回頂端</div>
</body></html>"""

NOWNEWS_LIKE = f"""<html><head><meta charset="utf-8">
<meta name="pubdate" content="2026-01-14 08:00">
<meta name="author" content="鄭仲明">
<meta property="og:site_name" content="NOWnews今日新聞">
<meta property="og:title" content="名家》鄭仲明／日本聯手盟國建稀土供應鏈">
</head><body>
<nav class="menu"><a href="/">首頁</a></nav>
<article><div id="articleContent" class="articleContent">
<p>{P1}</p><p>{P2}</p>
<p>報告指出，&gt;8成企業已準備備援料源&amp;庫存；&#x7A00;&#22303;價格上漲15%。</p>
<p>延伸閱讀</p>
<p><a href="/n/1">電價審議會下月登場 工業電價恐再漲</a></p>
<p><a href="/n/2">半導體設備出口前三季年增兩成</a></p>
</div></article>
<footer>© NOWnews</footer></body></html>"""

HOSTILE = f"""<html><head><meta charset="utf-8"><title>測試</title>
<style>.x::after{{content:"樣式裡的文字"}}</style>
<script>document.write("惡意腳本文字"); var s = "<p>假段落</p>";</script>
</head><body onload="steal()">
<div class="article-body">
<p onclick="steal()">{P1}</p>
<img src="x.png" onerror="alert('駭客攻擊')">
<p>{P2}<script>alert("內嵌腳本")</script></p>
<noscript>請開啟JavaScript才能閱讀</noscript>
<p><a href="javascript:alert(1)" onmouseover="steal()">{P3}</a></p>
<iframe src="https://ads.example/frame">廣告框架</iframe>
<template><p>模板文字</p></template>
</div></body></html>"""

CASES = [
    # (id, page, expected paragraphs, meta subset)
    (
        "yahoo",
        YAHOO_LIKE,
        [P1, P2, P3, "更多中央社報導"],
        {
            "title": "日本稀土依賴降至六成 重稀土仍是弱點",
            "published": "2026-01-20",
            "outlet": "Yahoo奇摩新聞",
            "authors": ["林志豪"],
        },
    ),
    (
        "upmedia",
        UPMEDIA_LIKE,
        [P1, P2, P3],
        {"title": "湯志明：稀土這張牌怎麼接", "published": "2025-06-15", "outlet": "上報"},
    ),
    (
        "nownews",
        NOWNEWS_LIKE,
        [P1, P2, "報告指出，>8成企業已準備備援料源&庫存；稀土價格上漲15%。", "延伸閱讀"],
        {
            "published": "2026-01-14",
            "outlet": "NOWnews今日新聞",
            "authors": ["鄭仲明"],
            "title": "名家》鄭仲明／日本聯手盟國建稀土供應鏈",
        },
    ),
    ("hostile", HOSTILE, [P1, P2, P3], {"title": "測試"}),
]


@pytest.mark.parametrize(
    ("page", "paragraphs", "meta"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_portal_pages(page, paragraphs, meta):
    text, got_meta, tables, removed, _warnings = read_html(page.encode("utf-8"))
    assert text.split("\n\n") == paragraphs
    for key, value in meta.items():
        assert got_meta.get(key) == value, key
    for r in removed:
        assert 0 <= r.start == r.end <= len(text)


@pytest.mark.parametrize(
    "needle",
    [
        "樣式",
        "惡意",
        "假段落",
        "駭客",
        "內嵌腳本",
        "alert",
        "steal",
        "onerror",
        "JavaScript",
        "廣告框架",
        "模板",
    ],
)
def test_scripts_styles_and_handlers_never_reach_text(needle):
    text, meta, _t, removed, _w = read_html(HOSTILE.encode("utf-8"))
    assert needle not in text
    assert all(needle not in r.text for r in removed)
    assert all(needle not in str(v) for v in meta.values())


def test_related_lists_and_ad_markers_are_recorded_not_kept():
    text, _m, _t, removed, _w = read_html(YAHOO_LIKE.encode("utf-8"))
    assert "其他人也在看" not in text and "小時前" not in text
    assert "我是廣告" not in text
    assert "電價費率審議會" not in text
    reasons = " ".join(r.reason for r in removed)
    assert "related-link list" in reasons and "page furniture" in reasons
    assert any("我是廣告" in r.text for r in removed)


def test_table_is_lifted_out_of_text():
    page = render_html(
        "標題",
        [P1, P2],
        published="2026-02-01",
        outlet="測試新聞網",
        author="王大同",
        table=[["來源", "占比"], ["中國", "約58%"], ["越南", "約11%"]],
        table_after=0,
    )
    text, _m, tables, removed, _w = read_html(page.encode("utf-8"))
    assert [t.rows for t in tables] == [[["來源", "占比"], ["中國", "約58%"], ["越南", "約11%"]]]
    assert tables[0].page is None
    assert "約58%" not in text
    assert text.split("\n\n") == [P1, P2]
    assert any(r.reason.startswith("table") for r in removed)


def test_render_html_round_trip_with_metadata():
    paras = [P1, "報告指出>8成企業已備妥替代料源。", P3]
    page = render_html(
        "日本稀土新戰略",
        paras,
        published="2026-01-14T09:30:00+08:00",
        outlet="三立新聞網",
        author="王小明",
        subheads={2: "庫存只夠半年"},
    )
    assert "&gt;8成" in page  # portals escape it; the reader must decode it
    text, meta, _t, _r, _w = read_html(page.encode("utf-8"))
    assert text.split("\n\n") == [P1, paras[1], "庫存只夠半年", P3]
    assert meta["title"] == "日本稀土新戰略"
    assert meta["published"] == "2026-01-14"
    assert meta["outlet"] == "三立新聞網"
    assert meta["authors"] == ["王小明"]
    for junk in (
        "其他人也在看",
        "更多三立新聞網報導",
        "小時前",
        "版權所有",
        "政治",
        "分享",
        "記者王小明",
    ):
        assert junk not in text


ENCODED = [
    ("big5-declared", '<meta charset="big5">', "cp950", "cp950"),
    ("gb2312-declared", '<meta charset="gb2312">', "gb18030", "gb18030"),
    ("undeclared-big5", "", "cp950", "cp950"),
    ("wrong-declaration", '<meta charset="big5">', "utf-8", "utf-8"),
]


@pytest.mark.parametrize(
    ("head", "codec", "expected"), [e[1:] for e in ENCODED], ids=[e[0] for e in ENCODED]
)
def test_page_encodings(tmp_path, head, codec, expected):
    page = f"<html><head>{head}<title>稀土</title></head><body><div class='content'><p>{P1}</p><p>{P2}</p></div></body></html>"
    path = tmp_path / "page.html"
    path.write_bytes(page.encode(codec))
    doc = read_document(path)
    assert doc.encoding == expected
    assert doc.text == f"{P1}\n\n{P2}"
    assert doc.format == "html"


def test_page_without_article_container_keeps_body_text_with_warning():
    text, _m, _t, _r, warnings = read_html("<html><body>稀土短訊</body></html>".encode())
    assert text == "稀土短訊"
    assert warnings


def test_cjk_source_line_breaks_do_not_become_spaces():
    page = "<html><body><div class='article-body'><p>日本稀土進口\n    依賴度降到約六成，\n  較去年下降。</p><p>English words\n stay apart</p></div></body></html>"
    text, *_ = read_html(page.encode())
    assert text == "日本稀土進口依賴度降到約六成，較去年下降。\n\nEnglish words stay apart"


@pytest.mark.parametrize(
    ("stamp", "date"),
    [
        ("2026-01-14T09:30:00+08:00", "2026-01-14"),
        ("2026-01-13T16:30:00Z", "2026-01-14"),  # UTC evening is the next Taipei morning
        ("2026-01-13T15:59:59.000Z", "2026-01-13"),
        ("2026-01-14", "2026-01-14"),
        ("2026/1/4 10:00", "2026-01-04"),
        ("not a date", None),
    ],
)
def test_published_dates_in_taipei_time(stamp, date):
    page = f'<html><head><meta property="article:published_time" content="{stamp}"></head><body><div class="article-body"><p>{P1}</p></div></body></html>'
    _text, meta, _t, _r, _w = read_html(page.encode())
    assert meta.get("published") == date


def test_layout_table_wrapping_the_article_is_walked_not_lifted():
    page = f"""<html><head><meta charset="utf-8"><title>舊版入口網站</title></head><body>
<table width="100%"><tr><td class="menu"><a href="/">首頁</a></td></tr>
<tr><td><table><tr><td class="news">
<p>{P1}</p><p>{P2}</p><p>{P3}</p>
<table class="data"><tr><td>年份</td><td>依賴度</td></tr><tr><td>2025</td><td>約六成</td></tr></table>
</td></tr></table></td></tr></table></body></html>"""
    text, _m, tables, _r, _w = read_html(page.encode("utf-8"))
    assert text.split("\n\n") == [P1, P2, P3]
    assert [t.rows for t in tables] == [[["年份", "依賴度"], ["2025", "約六成"]]]
