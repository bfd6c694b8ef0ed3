"""Encoding detection: UTF-8 (±BOM), UTF-16 with BOM, Big5/CP950, GB18030; junk is refused."""

from __future__ import annotations

import codecs

import pytest

from pipeline.ingest.encoding import decode_bytes
from pipeline.ingest.errors import IngestError

TRADITIONAL = (
    "經濟產業省指出，日本去年稀土進口對中國的依賴度約為六成，"
    "較十五年前的九成以上大幅下降；萊納斯的產量今年可望突破1.2萬噸。"
)
SIMPLIFIED = "中国商务部宣布对部分中重稀土物项实施出口管制，业内预计审批周期约为45个工作日。"
SHORT_TRADITIONAL = ["稀土", "萊納斯", "人們前往全國各地", "日本政府表示"]
SHORT_SIMPLIFIED = ["中国", "稀土出口", "这是一个测试"]

CASES = [
    # (case id, text, how to encode, expected encoding name)
    ("utf8", TRADITIONAL, lambda s: s.encode("utf-8"), "utf-8"),
    ("utf8-bom", TRADITIONAL, lambda s: codecs.BOM_UTF8 + s.encode("utf-8"), "utf-8-sig"),
    (
        "utf16le-bom",
        TRADITIONAL,
        lambda s: codecs.BOM_UTF16_LE + s.encode("utf-16-le"),
        "utf-16-le",
    ),
    (
        "utf16be-bom",
        TRADITIONAL,
        lambda s: codecs.BOM_UTF16_BE + s.encode("utf-16-be"),
        "utf-16-be",
    ),
    ("utf16-python", TRADITIONAL, lambda s: s.encode("utf-16"), "utf-16-le"),
    ("big5", TRADITIONAL, lambda s: s.encode("big5"), "cp950"),
    ("cp950", TRADITIONAL, lambda s: s.encode("cp950"), "cp950"),
    ("gb18030-traditional", TRADITIONAL, lambda s: s.encode("gb18030"), "gb18030"),
    ("gb18030-simplified", SIMPLIFIED, lambda s: s.encode("gb18030"), "gb18030"),
    ("gb2312-simplified", SIMPLIFIED, lambda s: s.encode("gb2312"), "gb18030"),
    ("ascii", "Lynas Rare Earths 2025 output: 10,500 t", lambda s: s.encode("ascii"), "utf-8"),
]


@pytest.mark.parametrize(
    ("text", "encode", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_decodes_each_encoding(text, encode, expected):
    decoded, name = decode_bytes(encode(text))
    assert decoded == text
    assert name == expected


@pytest.mark.parametrize("text", SHORT_TRADITIONAL)
def test_short_big5_is_not_mistaken_for_gb18030(text):
    assert decode_bytes(text.encode("cp950")) == (text, "cp950")


@pytest.mark.parametrize("text", SHORT_SIMPLIFIED)
def test_short_gb18030_is_not_mistaken_for_big5(text):
    assert decode_bytes(text.encode("gb18030")) == (text, "gb18030")


def test_big5_with_crlf_and_ascii_mixed():
    text = "日本 JOGMEC 出資 2.5 億美元\r\n支持澳洲萊納斯擴產。\r\n"
    assert decode_bytes(text.encode("cp950"))[0] == text


BAD = [
    ("empty", b"", "empty"),
    ("whitespace-only", b" \r\n\t\n", "empty"),
    ("bom-only", codecs.BOM_UTF8 + b"\n", "empty"),
    ("nul-bytes", b"\x00\x01\x02\x03binary\x00\x00\xff\xfe\x10\x11" * 20, "binary"),
    ("control-chars", bytes(range(1, 9)) * 50 + b"text", "binary"),
    ("png-named-txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "binary"),
    ("pdf-named-txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    ("latin1-junk", "café crème brûlée à la carte, déjà vu".encode("latin-1"), "cannot decode"),
    (
        "random-high-bytes",
        bytes((i * 73 + 41) % 94 + 0xA1 for i in range(400)),
        "cannot tell the text encoding",
    ),
]


@pytest.mark.parametrize(("data", "words"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_refuses_with_a_reason_in_plain_words(data, words):
    with pytest.raises(IngestError) as err:
        decode_bytes(data)
    assert words in str(err.value)
