"""The fast content-stream parser yields exactly pdfminer's objects, or steps aside."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pdfminer.pdfinterp import PDFContentParser
from pdfminer.pdftypes import PDFStream
from pdfminer.psparser import PSEOF

from pipeline.ingest.pdfcontent import FastContentParser, _Unsupported, build_objects, tokenize


def _stream(data: bytes) -> PDFStream:
    """An unfiltered stream object holding ``data``."""
    return PDFStream({}, data)


def _drain(parser: Any) -> list[Any]:
    """Every object ``nextobject`` returns until PSEOF."""
    out = []
    while True:
        try:
            out.append(parser.nextobject())
        except PSEOF:
            return out


def _pdfminer(chunks: list[bytes]) -> str:
    """repr of pdfminer's own objects (repr tells 1 from 1.0)."""
    return repr(_drain(PDFContentParser([_stream(c) for c in chunks])))


def _fast(chunks: list[bytes]) -> str | None:
    """repr of the fast path's objects, or None when it steps aside."""
    try:
        tokens = [t for c in chunks for t in tokenize(c)]
        return repr(build_objects(tokens))
    except _Unsupported:
        return None


CASES = [
    b"BT /F1 12 Tf 72 712 Td (Hello) Tj ET",
    b"1 0 0 1 0 0 cm  BT /F2+0 17.6 Tf 21.12 TL (\\001\\002\\0307) Tj T* ET\n",
    b"[(A) -120 (B) 3.5 (C\\)d) .5 -.25 5. +7 -] TJ",
    b"(nested (paren) string \\( \\\\ \\n \\q \\\n end) Tj",
    b"<48656C6C6F> Tj <4 8 6> Tj <> Tj <AB>> ",
    b"/OC <</MCID 3 /Type /Span /Alt (x)>> BDC EMC",
    b"q 0.5 0 0 0.5 10 10 cm /Im1 Do Q % a comment\n 1 g",
    b"true false null 1..2 1.2.3 -- +- 12abc abc12 ' \" * ;",
    b"\x00 BT\x00 ET",
    b"/A/B/C 0 0 m 10 10 l S",
    b"(\\0777) Tj (\\101\\102C) Tj",
    b"/Na#6De 1 Tf",  # '#' escape: pdfminer's path
    b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI Q",  # inline image: pdfminer's path
    b"{ 1 2 } ] >> [ 1",  # broken brackets: pdfminer's path
]


@pytest.mark.parametrize("data", CASES)
def test_single_stream_same_as_pdfminer(data: bytes) -> None:
    fast = _fast([data])
    if fast is not None:
        assert fast == _pdfminer([data])
    parser = FastContentParser([_stream(data)])
    assert repr(_drain(parser)) == _pdfminer([data])


@pytest.mark.parametrize(
    "chunks",
    [
        [b"BT /F1 12 Tf", b"(a) Tj ET"],
        [b"1 2 3", b"4 5 re f"],
        [b"[(a) 1", b"(b)] TJ"],
        [b"/F1", b" 9 Tf"],
        [b"q -", b"5 0 Td"],
        [b"", b"BT ET", b""],
        [b"(open", b" string) Tj"],
        [b"<41", b"42> Tj"],
        [b"<< /A 1 >", b"> BDC"],
        [b"/", b"F1 2 Tf"],
    ],
)
def test_streams_joined_as_pdfminer(chunks: list[bytes]) -> None:
    parser = FastContentParser([_stream(c) for c in chunks])
    assert repr(_drain(parser)) == _pdfminer(chunks)


ALPHABET = [
    b" ", b"\n", b"\r", b"\r\n", b"\x00", b"BT", b"ET", b"Tj", b"TJ", b"Tf", b"true", b"ID",
    b"/F1", b"/", b"#", b"#41", b"(", b")", b"\\", b"\\101", b"\\400", b"\\n", b"<", b">",
    b"<<", b">>", b"[", b"]", b"{", b"}", b"1", b"-", b"+", b".", b"0.5", b"12", b"%c",
    b"AB", b"f", b"'", b'"', b"\xe4\xb8\xad", b"*",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from(ALPHABET), max_size=25), min_size=1, max_size=3))
def test_random_streams_same_as_pdfminer(parts: list[list[bytes]]) -> None:
    chunks = [b"".join(p) for p in parts]
    try:
        expected = _pdfminer(chunks)
    except Exception:  # noqa: BLE001 - pdfminer fails on this input: fast path must too
        with pytest.raises(Exception):  # noqa: B017
            _drain(FastContentParser([_stream(c) for c in chunks]))
        return
    assert repr(_drain(FastContentParser([_stream(c) for c in chunks]))) == expected


def _page_objects(data: bytes) -> list[Any]:
    """Every page's pdfplumber objects and tables (as ``read_pdf`` asks for them)."""
    import io

    import pdfplumber

    out = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            objs = page.objects
            tables = [t.extract() for t in page.find_tables()]
            # Same keys in the same order, same values, for every object kind.
            out.append(([(k, [list(o.items()) for o in v]) for k, v in objs.items()], tables))
    return out


def test_fast_pages_equal_pdfplumber_pages() -> None:
    from pipeline.ingest.pdfcontent import fast_content_parser
    from tests.ingest.pdfgen import font_available, render_pdf

    if not font_available():
        pytest.skip("no CJK font for the PDF generator")
    paragraphs = ["稀土供應鏈風險評估，" * 30, "日本經濟產業省（METI）去年補助3.5億日圓。" * 12]
    data = render_pdf(
        paragraphs,
        title="稀土",
        table=[["項目", "金額"], ["補助", "1,200"]],
        table_after=1,
        footnotes=["1 資料來源：經濟部。"],
        columns=2,
    )
    expected = _page_objects(data)
    with fast_content_parser():
        got = _page_objects(data)
    assert got == expected
    assert sum(len(dict(p[0]).get("char", [])) for p in got) > 100
    assert any(p[1] for p in got)  # the table was found both ways


CMAP = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
2 beginbfchar
<0003> <7A00>
<0004> <571F>
endbfchar
1 beginbfrange
<0010> <0012> [<0041> <0042> <0043>]
endbfrange
1 beginbfrange
<0020> <0022> <0061>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


@pytest.mark.parametrize("data", [CMAP, CMAP.replace(b"<0003>", b"<0003")])
def test_fast_cmap_parser_builds_the_same_map(data: bytes) -> None:
    import io

    from pdfminer.cmapdb import CMapParser, FileUnicodeMap

    from pipeline.ingest.pdfcontent import FastCMapParser

    want, got = FileUnicodeMap(), FileUnicodeMap()
    CMapParser(want, io.BytesIO(data)).run()
    FastCMapParser(got, io.BytesIO(data)).run()
    assert got.cid2unichr == want.cid2unichr
    assert got.attrs == want.attrs


@pytest.mark.parametrize("data", CASES)
def test_objects_iterator_same_as_nextobject(data: bytes) -> None:
    expected = [obj for _pos, obj in _drain(PDFContentParser([_stream(data)]))]
    got = list(FastContentParser([_stream(data)]).objects())
    assert repr(got) == repr(expected)
