"""PDF reader on generated PDFs: paragraphs rebuilt exactly, margins dropped, tables lifted."""

from __future__ import annotations

import re

import pytest

from pipeline.ingest import read_document
from pipeline.ingest.errors import IngestError
from pipeline.ingest.pdf import PAGE_NUMBER_RE, read_pdf
from tests.ingest.pdfgen import font_available, plain, render_pdf, render_scanned_pdf

pytestmark = pytest.mark.skipif(not font_available(), reason="CJK font wqy-microhei not installed")

LONG = [
    "日本經濟產業省今年公布的統計顯示，稀土進口對中國的依賴度已由2010年的九成以上降到約六成[^1]，但鏑、鋱等重稀土仍幾乎全數仰賴中國供應。官員表示，政府將透過JOGMEC擴大對海外礦山的出資，並與澳洲萊納斯（Lynas Rare Earths）簽訂長期承購合約，確保每年至少9,000噸的輕稀土氧化物。",
    "中國商務部12日宣布，對七種中重稀土及相關磁材技術實施出口許可制度，業界估計審批時間將延長至45個工作天。多家日本馬達廠商坦言，目前庫存大約只能支撐3到6個月，若審批遲遲未下，部分生產線恐怕必須減產；經產省則表示，將視情況釋出國家儲備，並協調業者互相調度原料。"
    * 2,
    "歐盟執委會估計，若供應中斷三個月，區域內汽車業損失恐達120億至180億歐元[^2]。為此，歐盟計畫在2030年前把單一國家的供應占比壓低到65%以下，並要求成員國每兩年進行一次壓力測試，檢視關鍵原料的庫存與替代來源。",
    "The European Commission estimates that a three-month disruption could cost the car industry between 12 and 18 billion euros, and wants no single supplier above 65 percent of any strategic raw material by 2030.",
    "台灣方面，經濟部表示國內稀土年需求約在數千噸之間，主要用於半導體研磨、面板與馬達產業，將研議把回收納入補助。",
]
FOOTNOTES = ["經濟產業省（2026年2月）公布的貿易統計。", "歐盟執委會內部評估報告。"]
TABLE = [
    ["項目", "2024年", "2025年"],
    ["進口量（噸）", "6,200", "5,800"],
    ["對中依賴度", "約63%", "約60%"],
]


def _paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


LAYOUTS = [
    # (id, kwargs for render_pdf)
    ("indent-dashes", {"indent": True, "footer_page_numbers": True}),
    ("no-indent-di-ye", {"indent": False, "footer_page_numbers": "第 {n} 頁"}),
    (
        "bare-number-small-page",
        {"footer_page_numbers": "{n}", "page_size": (420.0, 595.0), "margin": 50.0},
    ),
    ("page-of", {"footer_page_numbers": "Page {n} of 9", "font_size": 10.0}),
    ("no-header", {"header": None, "font_size": 12.0, "page_size": (420.0, 595.0), "margin": 60.0}),
]


@pytest.mark.parametrize("kwargs", [c[1] for c in LAYOUTS], ids=[c[0] for c in LAYOUTS])
def test_paragraphs_rebuilt_exactly_across_lines_and_pages(kwargs):
    paragraphs = LONG + LONG[::-1]  # long enough for two or more pages at any layout
    data = render_pdf(paragraphs, title="稀土供應鏈風險評估", footnotes=FOOTNOTES, **kwargs)
    text, meta, _tables, removed, _w = read_pdf(data)
    assert _paragraphs(text) == ["稀土供應鏈風險評估"] + [plain(p) for p in paragraphs]
    assert sum(r.reason == "page number" for r in removed) >= 2
    assert meta["title"] == "稀土供應鏈風險評估"
    # No page number or header survives, and the removals are recorded.
    assert "政策簡報" not in text and "頁" not in text and "Page" not in text
    reasons = [r.reason for r in removed]
    assert "page number" in reasons
    if kwargs.get("header", "x") is not None:
        assert "running header/footer" in reasons


def test_multi_page_document_really_spans_pages():
    data = render_pdf(LONG * 2, page_size=(420.0, 595.0), margin=50.0)
    text, _m, _t, removed, _w = read_pdf(data)
    pages = [r for r in removed if r.reason == "page number"]
    assert len(pages) >= 2
    # Every page break falls inside text that is rebuilt without a newline.
    assert "\n" not in text.replace("\n\n", "")


def test_no_sentence_broken_across_a_line_break():
    data = render_pdf(LONG * 2, page_size=(420.0, 595.0), margin=50.0, indent=False)
    text, *_ = read_pdf(data)
    for para in _paragraphs(text):
        assert "\n" not in para
        assert para[-1] in "。.", para[-20:]


def test_table_lifted_with_page_and_caption_and_kept_out_of_text():
    data = render_pdf(
        LONG[:2], table=TABLE, table_after=0, table_caption="表1 日本稀土進口概況", header=None
    )
    text, _m, tables, removed, _w = read_pdf(data)
    assert len(tables) == 1
    assert tables[0].rows == TABLE
    assert tables[0].page == 1
    assert tables[0].caption == "表1 日本稀土進口概況"
    assert "6,200" not in text and "表1 日本" not in text
    assert _paragraphs(text) == [plain(p) for p in LONG[:2]]
    table_removed = [r for r in removed if r.reason.startswith("table (")]
    assert table_removed and "約63%" in table_removed[0].text


def test_table_on_a_later_page_gets_that_page_number():
    data = render_pdf(LONG, table=TABLE, table_after=3, page_size=(420.0, 595.0), margin=50.0)
    _text, _m, tables, _r, _w = read_pdf(data)
    assert len(tables) == 1 and tables[0].page is not None and tables[0].page > 1


def test_footnote_markers_dropped_inline_and_recorded():
    data = render_pdf(LONG[:1] + LONG[2:3], footnotes=FOOTNOTES)
    text, meta, _t, removed, _w = read_pdf(data)
    assert "約六成，" in text and "六成1" not in text
    assert "歐元。" in text and "歐元2" not in text
    markers = [r for r in removed if r.reason == "footnote marker"]
    assert [m.text for m in markers] == ["1", "2"]
    assert text[: markers[0].start].endswith("降到約六成")
    assert text[: markers[1].start].endswith("180億歐元")
    assert meta["footnotes"] == [f"1 {FOOTNOTES[0]}", f"2 {FOOTNOTES[1]}"]
    assert "內部評估報告" not in text


def test_unicode_superscript_marker_after_cjk_is_dropped_but_km2_kept():
    data = render_pdf(
        ["南鳥島周邊海域面積約43萬km²，稀土泥蘊藏量估計超過1600萬噸¹，足以供應數百年。"],
        header=None,
    )
    text, _m, _t, removed, _w = read_pdf(data)
    assert text == "南鳥島周邊海域面積約43萬km²，稀土泥蘊藏量估計超過1600萬噸，足以供應數百年。"
    assert [r.text for r in removed if r.reason == "footnote marker"] == ["¹"]


def test_removed_offsets_are_zero_width_and_in_range():
    data = render_pdf(LONG, footnotes=FOOTNOTES, table=TABLE, table_after=1)
    text, _m, _t, removed, _w = read_pdf(data)
    assert removed
    for r in removed:
        assert r.start == r.end and 0 <= r.start <= len(text)


def test_render_pdf_is_byte_deterministic(tmp_path):
    a = render_pdf(LONG[:2], tmp_path / "a.pdf", table=TABLE)
    b = render_pdf(LONG[:2], tmp_path / "b.pdf", table=TABLE)
    assert a == b == (tmp_path / "a.pdf").read_bytes()


def _truncated() -> bytes:
    return render_pdf(LONG)[:2500]


def _garbled() -> bytes:
    data = bytearray(render_pdf(LONG))
    # Smash the cross-reference table and trailer: the file can no longer be parsed.
    cut = data.rfind(b"xref")
    return bytes(data[:cut]) + b"\x00garbage\x00" * 10


BROKEN = [
    (
        "encrypted",
        lambda: render_pdf(LONG[:1], encrypt="secret"),
        "encrypted PDF, cannot read without the password",
    ),
    ("scanned", render_scanned_pdf, "no text layer (scanned PDF?), OCR needed"),
    ("truncated", _truncated, "PDF is damaged or truncated"),
    ("garbled-trailer", _garbled, "PDF is damaged or truncated"),
    ("header-only", lambda: b"%PDF-1.7\n", "PDF is damaged or truncated"),
]


@pytest.mark.parametrize(("make", "reason"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_unreadable_pdfs_raise_plain_reasons(tmp_path, make, reason):
    path = tmp_path / "broken.pdf"
    path.write_bytes(make())
    with pytest.raises(IngestError) as err:
        read_document(path)
    assert str(err.value).startswith(reason)


def test_read_document_on_pdf(tmp_path):
    path = tmp_path / "brief.pdf"
    render_pdf(LONG[:2], path, title="簡報", author="林書妤", header=None)
    doc = read_document(path)
    assert doc.format == "pdf" and doc.encoding is None
    assert doc.meta["authors"] == ["林書妤"]
    assert "published" not in doc.meta  # a file date is not a publication date
    assert _paragraphs(doc.text) == ["簡報"] + [plain(p) for p in LONG[:2]]


@pytest.mark.parametrize(
    ("line", "is_page_number"),
    [
        ("3", True),
        ("- 3 -", True),
        ("— 12 —", True),
        ("第 3 頁", True),
        ("第3頁，共10頁", True),
        ("Page 3 of 10", True),
        ("3 / 10", True),
        ("2025年", False),
        ("約六成", False),
        ("表1 日本稀土進口概況", False),
    ],
)
def test_page_number_patterns(line, is_page_number):
    assert bool(PAGE_NUMBER_RE.match(line)) is is_page_number


def test_seed_articles_rendered_to_pdf_rebuild_their_lines(seeds_dir, tmp_path):
    """Each non-empty seed line becomes a PDF paragraph; the reader must give it back."""
    for seed in sorted(seeds_dir.glob("*.txt")):
        lines = [re.sub(r"\s+", " ", ln).strip() for ln in seed.read_text("utf-8").split("\n")]
        lines = [ln for ln in lines if ln and not re.fullmatch(r"[\s\d\-–—]+", ln)][:25]
        data = render_pdf(lines, tmp_path / f"{seed.stem}.pdf", header=None)
        text, *_ = read_pdf(data)
        got = [re.sub(r"\s+", " ", p).strip() for p in text.split("\n\n")]
        # A space that fell on a line break cannot be seen in a PDF (and "<sup>" + "2"
        # broken over two lines gets one): compare paragraphs without spaces.
        assert [p.replace(" ", "") for p in got] == [p.replace(" ", "") for p in lines], seed.name


def test_page_break_inside_a_paragraph_is_joined():
    data = render_pdf(LONG * 2, page_size=(420.0, 595.0), margin=50.0)
    text, _m, _t, removed, _w = read_pdf(data)
    inside = [
        r
        for r in removed
        if r.reason == "page number"
        and 0 < r.start < len(text)
        and text[r.start - 1] != "\n"
        and text[r.start : r.start + 1] != "\n"
    ]
    assert inside, "expected at least one page break in the middle of a paragraph"


def test_regression_repeated_sentence_opening_two_pages_is_not_a_running_header():
    # "損失恐達120億至180億歐元。為此…" opened pages 2 and 3 at the same height and was
    # taken for a running header; body lines at normal pitch are never headers.
    paragraphs = LONG + LONG[::-1]
    data = render_pdf(
        paragraphs, title="稀土供應鏈風險評估", footnotes=FOOTNOTES, header=None,
        font_size=12.0, page_size=(420.0, 595.0), margin=60.0,
    )  # fmt: skip
    text, _m, _t, removed, _w = read_pdf(data)
    assert text.count("損失恐達120億至180億歐元。為此") == 2
    assert not [r for r in removed if r.reason == "running header/footer"]


def test_path_and_bytes_give_the_same_result(tmp_path):
    path = tmp_path / "same.pdf"
    data = render_pdf(LONG[:2], path, table=TABLE)
    assert read_pdf(path) == read_pdf(data)


TWO_COLUMN = [
    ("table-in-left-column", {"table": TABLE, "table_after": 2}),
    (
        "table-with-caption-right-column",
        {"table": TABLE, "table_after": 6, "table_caption": "表1 測試"},
    ),
    ("no-indent", {"indent": False}),
    ("small-page", {"page_size": (500.0, 700.0), "margin": 50.0, "gutter": 20.0}),
]


@pytest.mark.parametrize("kwargs", [c[1] for c in TWO_COLUMN], ids=[c[0] for c in TWO_COLUMN])
def test_two_column_pages_are_read_column_by_column(kwargs):
    paragraphs = LONG * 2
    data = render_pdf(paragraphs, title="兩欄版面測試", columns=2, footnotes=FOOTNOTES, **kwargs)
    text, _m, tables, removed, _w = read_pdf(data)
    assert _paragraphs(text) == ["兩欄版面測試"] + [plain(p) for p in paragraphs]
    assert [r.text for r in removed if r.reason == "footnote marker"] == ["1", "2", "1", "2"]
    if "table" in kwargs:
        assert tables[0].rows == TABLE and tables[0].page is not None
        assert tables[0].caption == kwargs.get("table_caption")


def test_pdf_with_only_page_furniture_says_so():
    data = render_pdf([], header=None, footer_page_numbers="第 {n} 頁")
    with pytest.raises(IngestError) as err:
        read_pdf(data)
    assert "no running text" in str(err.value)
