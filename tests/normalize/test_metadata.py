"""Metadata: bylines, titles, dates, outlets; missing fields stay null with a reason."""

from __future__ import annotations

import pytest

from pipeline.normalize import normalize
from pipeline.normalize.metadata import author_in_title, parse_byline
from pipeline.records import NormalizedDocument, RawDocument

BODY = "經濟部官員指出，國內磁材廠去年自越南進口的氧化釹大幅增加，價格也較前年上漲兩成。"
BODY2 = "業者估計，若供應再度中斷，汽車零件廠的庫存僅能支撐約三個月的生產需求。"


def _doc(text: str, meta: dict | None = None, fmt: str = "txt") -> NormalizedDocument:
    """Normalize a synthetic raw text."""
    raw = RawDocument("t.txt", "b" * 64, "b" * 16, fmt, "utf-8", text, meta=meta or {})
    return normalize(raw)


BYLINES = [
    # (line, kind, authors, date)
    ("林志明 2024年03月02日 18:45:10", "name_date", ["林志明"], "2024-03-02"),
    ("記者陳怡君／台北報導", "role", ["陳怡君"], None),
    ("記者王大同、李小芬／綜合報導", "role", ["王大同", "李小芬"], None),
    ("編譯黃家豪／綜合報導", "role", ["黃家豪"], None),
    ("记者陈晓东／北京报道", "role", ["陈晓东"], None),
    ("中央社記者吳宗翰東京15日專電", None, [], None),
    ("文／蔡美玲", "wen", ["蔡美玲"], None),
    ("◎許文傑／台灣經濟研究院 副研究員", "affil", ["許文傑"], None),
    ("2023-11-05 09:30", "date", [], "2023-11-05"),
    ("發布時間：2022/07/19", "date", [], "2022-07-19"),
    ("日本 2024年13月40日", None, [], None),
    ("稀土供應鏈的下一步", None, [], None),
]


@pytest.mark.parametrize(("line", "kind", "authors", "date"), BYLINES)
def test_parse_byline(line: str, kind: str | None, authors: list[str], date: str | None) -> None:
    got = parse_byline(line)
    if kind is None:
        assert got is None
        return
    assert got is not None
    assert got[0] == kind
    assert got[1] == authors
    assert got[2] == date


@pytest.mark.parametrize(
    ("title", "author"),
    [
        ("林志明：稀土戰爭的第二回合", "林志明"),
        ("日本：稀土戰略轉向", None),
        ("稀土戰略轉向", None),
    ],
)
def test_author_in_title(title: str, author: str | None) -> None:
    assert author_in_title(title) == author


def test_crawl_date_line_with_title() -> None:
    d = _doc(f" date 2025-03-04 記取教訓！日本分散稀土來源\n編譯黃家豪／綜合報導\n{BODY}\n{BODY2}")
    assert d.title == "記取教訓！日本分散稀土來源"
    assert d.published == "2025-03-04"
    assert d.authors == ["黃家豪"]
    assert "date" not in d.text and "綜合報導" not in d.text
    assert d.text.startswith(BODY)
    reasons = {r.reason for r in d.removed}
    assert "crawl date line (moved to metadata)" in reasons
    assert "byline (moved to metadata)" in reasons


def test_title_line_followed_by_byline_and_date() -> None:
    d = _doc(f"︿\n\n林志明:稀土牌怎麼打\n\n林志明 2024年03月02日 18:45:10\n{BODY}\n{BODY2}")
    assert d.title == "林志明：稀土牌怎麼打"
    assert d.published == "2024-03-02"
    assert d.authors == ["林志明"]
    assert d.text.startswith(BODY)


def test_markdown_title_and_affiliation_lines() -> None:
    d = _doc(
        f"# 關鍵礦物的新局： 供應鏈重組\n\n◎許文傑／中華經濟研究院日本中心\n\n"
        f"◎蔡美玲／中華經濟研究院\n\n{BODY}\n\n{BODY2}"
    )
    assert d.title == "關鍵礦物的新局：供應鏈重組"
    assert d.authors == ["許文傑", "蔡美玲"]
    assert d.outlet == "中華經濟研究院"
    assert d.published is None
    assert "published" in d.missing


def test_fallback_title_is_first_heading_and_stays_in_text() -> None:
    d = _doc(f"稀土禁令再起\n\n{BODY}\n\n{BODY2}")
    assert d.title == "稀土禁令再起"
    assert d.text.startswith("稀土禁令再起")
    assert any("title" in w for w in d.warnings)


def test_nothing_known_gives_nulls_with_reasons() -> None:
    d = _doc(f"{BODY}\n{BODY2}")
    assert d.title is None and d.published is None and d.outlet is None and d.authors == []
    assert set(d.missing) == {"title", "published", "outlet", "authors"}
    assert all(d.missing.values())


def test_format_meta_wins() -> None:
    meta = {
        "title": "稀土出口新制上路",
        "published": "2025-10-09T08:00:00+08:00",
        "outlet": "今日新聞",
        "authors": ["陳怡君"],
    }
    d = _doc(f"{BODY}\n\n{BODY2}", meta=meta, fmt="html")
    assert d.title == "稀土出口新制上路"
    assert d.published == "2025-10-09"
    assert d.outlet == "NOWnews今日新聞"
    assert d.authors == ["陳怡君"]
    assert d.missing == {}


OUTLET_TAILS = [
    ("●本文不代表《新新日報》立場", "新新日報"),
    ("【天天論壇徵稿】", "天天論壇"),
    ("某某報歡迎各界投書，來稿請附真實姓名", "某某報"),
    ("更多三立新聞網報導\n稀土股大漲", "三立新聞網"),
    ("其他人也在看\n某標題\n摘要一句 ・ 2 小時前 ・ 8", "Yahoo奇摩新聞"),
]


@pytest.mark.parametrize(("tail", "outlet"), OUTLET_TAILS)
def test_outlet_from_closing_notices(tail: str, outlet: str) -> None:
    d = _doc("\n".join([BODY, BODY2] * 3) + "\n" + tail)
    assert d.outlet == outlet


def test_outlet_quoted_in_body_is_not_the_publisher() -> None:
    d = _doc(f"《紐約時報》報導，{BODY}\n{BODY2}")
    assert d.outlet is None


def test_bio_author_at_the_end() -> None:
    body = "\n".join([BODY, BODY2] * 3)
    d = _doc(f"{body}●作者：林小華／駐首爾特派員。●本文不代表《新新日報》立場")
    assert d.authors == ["林小華"]
    assert d.outlet == "新新日報"
    assert "駐首爾" not in d.text


INLINE_BYLINES = [
    (f"〔記者王大明／台北報導〕{BODY}", ["王大明"], None),
    (f"【記者林小華／綜合報導】{BODY}", ["林小華"], None),
    (f"（中央社記者吳宗翰東京15日專電）{BODY}", ["吳宗翰"], "中央社"),
    (f"（中央社東京15日綜合外電報導）{BODY}", [], "中央社"),
]


@pytest.mark.parametrize(("first", "authors", "outlet"), INLINE_BYLINES)
def test_bracketed_byline_opening_the_first_paragraph(
    first: str, authors: list[str], outlet: str | None
) -> None:
    d = _doc(f"{first}\n{BODY2}")
    assert d.authors == authors
    assert d.outlet == outlet
    assert d.text.startswith(BODY)
    assert d.title is None


@pytest.mark.parametrize(
    ("meta_title", "title", "outlet"),
    [
        ("稀土出口新制上路 | 三立新聞網", "稀土出口新制上路", "三立新聞網"),
        ("稀土出口新制上路 - Yahoo奇摩新聞", "稀土出口新制上路", "Yahoo奇摩新聞"),
        ("稀土出口新制上路 - 專家解讀", "稀土出口新制上路 - 專家解讀", None),
    ],
)
def test_meta_title_site_suffix(meta_title: str, title: str, outlet: str | None) -> None:
    d = _doc(f"{BODY}\n\n{BODY2}", meta={"title": meta_title}, fmt="html")
    assert d.title == title
    assert d.outlet == outlet


def test_headline_repeated_in_html_body_is_removed() -> None:
    d = _doc(
        f"稀土出口新制上路\n\n{BODY}\n\n{BODY2}", meta={"title": "稀土出口新制上路"}, fmt="html"
    )
    assert d.title == "稀土出口新制上路"
    assert d.text.startswith(BODY)


@pytest.mark.parametrize("junk", ["Microsoft Word - 報告初稿.docx", "report_final.pdf", "Untitled"])
def test_file_name_meta_titles_are_ignored(junk: str) -> None:
    d = _doc(f"{BODY}\n\n{BODY2}", meta={"title": junk}, fmt="pdf")
    assert d.title is None
    assert "title" in d.missing


def test_outlet_word_inside_title_is_not_the_outlet() -> None:
    # 上報 is also an outlet name; inside a headline it is an ordinary verb.
    d = _doc(f" date 2025-03-04 地方政府上報稀土產量\n{BODY}\n{BODY2}")
    assert d.title == "地方政府上報稀土產量"
    assert d.outlet is None
