"""read_document: dispatch by suffix, identity from the bytes, size limit, txt line endings."""

from __future__ import annotations

import hashlib

import pytest

from pipeline.ingest import read_document
from pipeline.ingest.errors import IngestError
from pipeline.ingest.txt import normalize_newlines
from pipeline.records import RawDocument

ARTICLE = (
    " date 2026-03-02\n"
    "澳洲萊納斯擴建馬來西亞廠 重稀土分離產能年增1500噸\n"
    "記者陳怡君／台北報導\n"
    "萊納斯表示，新產線預計明年第二季投產，屆時鏑、鋱分離能力可達每年1500噸。\n"
)


def test_txt_identity_and_fields(tmp_path):
    path = tmp_path / "lynas.txt"
    data = ARTICLE.encode("utf-8")
    path.write_bytes(data)
    doc = read_document(path)
    sha = hashlib.sha256(data).hexdigest()
    assert isinstance(doc, RawDocument)
    assert (doc.sha256, doc.doc_id, doc.format, doc.encoding) == (sha, sha[:16], "txt", "utf-8")
    assert doc.text == ARTICLE
    assert doc.source_path == str(path)
    assert doc.to_dict()["schema"] == "raw/1"


def test_same_bytes_same_doc_id_under_two_names(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.md"
    a.write_bytes(ARTICLE.encode("utf-8"))
    b.write_bytes(ARTICLE.encode("utf-8"))
    assert read_document(a).doc_id == read_document(b).doc_id
    assert read_document(b).format == "md"


LINE_ENDINGS = [
    ("crlf", "第一行\r\n第二行\r\n", "第一行\n第二行\n"),
    ("cr", "第一行\r第二行\r", "第一行\n第二行\n"),
    ("mixed", "甲\r\n乙\r丙\n丁\r\n\r\n戊", "甲\n乙\n丙\n丁\n\n戊"),
    ("unicode-separators", "甲\u2028乙\u2029丙", "甲\n乙\n丙"),
    ("lf-untouched", "甲\n\n乙  \n", "甲\n\n乙  \n"),
]


@pytest.mark.parametrize(
    ("raw", "expected"), [c[1:] for c in LINE_ENDINGS], ids=[c[0] for c in LINE_ENDINGS]
)
def test_line_endings_normalized(tmp_path, raw, expected):
    assert normalize_newlines(raw) == expected
    path = tmp_path / "x.txt"
    path.write_bytes(raw.encode("utf-8"))
    doc = read_document(path)
    assert doc.text == expected
    if "\r" in raw:
        assert any("line endings" in w for w in doc.warnings)


def test_big5_txt_file_is_detected(tmp_path):
    path = tmp_path / "big5.txt"
    path.write_bytes(ARTICLE.replace("\n", "\r\n").encode("cp950"))
    doc = read_document(path)
    assert doc.encoding == "cp950"
    assert doc.text == ARTICLE


def test_stray_bom_inside_text_removed(tmp_path):
    path = tmp_path / "cat.txt"
    path.write_bytes("甲段\n".encode() + "\ufeff乙段\n".encode())
    doc = read_document(path)
    assert doc.text == "甲段\n乙段\n"


ERRORS = [
    ("unsupported", "report.docx", b"PK\x03\x04", "unsupported file type .docx"),
    ("no-suffix", "README", b"text", "unsupported file type (no extension)"),
    ("empty-txt", "empty.txt", b"", "empty file"),
    ("empty-html", "empty.html", b"  \n", "empty file"),
    ("binary-txt", "junk.txt", bytes(range(256)) * 4, "binary"),
    ("pdf-not-pdf", "fake.pdf", "這不是PDF".encode(), "no %PDF header"),
]


@pytest.mark.parametrize(
    ("name", "data", "words"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS]
)
def test_unreadable_files_raise_plain_reasons(tmp_path, name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError) as err:
        read_document(path)
    assert words in str(err.value)


def test_size_limit_is_enforced_with_a_clear_message(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(("稀土" * 600).encode("utf-8"))
    with pytest.raises(IngestError) as err:
        read_document(path, max_bytes=1000)
    assert "too large" in str(err.value) and "3,600 bytes" in str(err.value)
    assert read_document(path, max_bytes=3600).text.startswith("稀土")


def test_missing_file_is_an_ingest_error(tmp_path):
    with pytest.raises(IngestError) as err:
        read_document(tmp_path / "gone.txt")
    assert "cannot read the file" in str(err.value)
