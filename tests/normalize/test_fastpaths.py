"""Faster normalization helpers give the results of the per-character code."""

from __future__ import annotations

import random
import re

import pytest

from pipeline.ingest import encoding
from pipeline.ingest.errors import IngestError
from pipeline.normalize import width
from pipeline.normalize.script import char_script, script_counts


@pytest.mark.parametrize("text", ["", "稀土产业链與供應鏈", "经济發展 abc 123", "歐盟欧盟" * 20])
def test_script_counts_equal_per_character_loop(text: str) -> None:
    s = sum(1 for c in text if char_script(c) == "s")
    t = sum(1 for c in text if char_script(c) == "t")
    assert script_counts(text) == (s, t)


def test_control_byte_count_equals_per_byte_loop() -> None:
    rng = random.Random(0)
    for _ in range(500):
        data = bytes(rng.randrange(256) for _ in range(rng.randint(0, 200)))
        want = sum(1 for b in data if b < 0x20 and b not in (9, 10, 12, 13) or b == 0x7F)
        assert len(data.translate(None, encoding._NOT_CONTROL)) == want


def test_binary_data_still_rejected() -> None:
    with pytest.raises(IngestError):
        encoding.check_not_binary(b"abc\x01\x02\x03\x04\x05\x06" * 10)
    encoding.check_not_binary("稀土\t價格\r\n".encode())


def _unguarded(rx: re.Pattern[str]) -> re.Pattern[str]:
    """The pattern without its first-character guard."""
    m = re.match(r"\(\?=\[(?:\\.|[^\]])*\]\)\(\?:", rx.pattern)
    return re.compile(rx.pattern[m.end() : -1], rx.flags) if m else rx


@pytest.mark.parametrize(
    "name",
    [
        "_FULLWIDTH_DOT",
        "_COMMA_LIKE",
        "_COLON",
        "_SPACE_NEAR_PUNCT",
        "_SPACE_DIGIT_CJK",
        "_SPACE_CJK_CJK",
    ],
)
def test_guarded_width_patterns_match_the_same(name: str) -> None:
    rx = getattr(width, name)
    plain = _unguarded(rx)
    assert plain is not rx  # the guard is in place
    rng = random.Random(name)
    alphabet = " 　,;:!?()（），。1２3稀土ABa%．\t\n://"
    for _ in range(400):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert [m.span() for m in rx.finditer(text)] == [m.span() for m in plain.finditer(text)]
        assert rx.sub("#", text) == plain.sub("#", text)
