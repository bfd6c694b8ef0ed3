"""Fast segmentation paths give exactly jieba's tokens and the old tokenizer's Doc."""

from __future__ import annotations

import os
from pathlib import Path

import jieba
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.nlp import dictionary
from pipeline.nlp.components import TokenIndex
from pipeline.nlp.dictionary import get_tokenizer, merge_numbers, segment
from pipeline.nlp.fastcut import FastCutter, cutter_for, load_prefix_cache
from pipeline.nlp.segment import build_nlp


def _jieba_offsets(tk: jieba.Tokenizer, text: str) -> list[tuple[int, int]]:
    """Offsets of jieba's own cut (HMM off), the oracle."""
    out, pos = [], 0
    for piece in tk.cut(text, HMM=False):
        if piece:
            out.append((pos, pos + len(piece)))
            pos += len(piece)
    return out


def _reference_merge(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The token-by-token number merge the bisecting one replaced."""
    out: list[tuple[int, int]] = []
    numbers = [
        (m.start(), m.end()) for m in dictionary._NUMBER.finditer(text) if m.end() - m.start() > 1
    ]
    k = 0
    for s, e in spans:
        while k < len(numbers) and numbers[k][1] <= s:
            k += 1
        inside = k < len(numbers) and numbers[k][0] <= s and e <= numbers[k][1]
        if inside and out and numbers[k][0] <= out[-1][0] and out[-1][1] == s:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


MIXED = [
    "",
    "稀土",
    "共6,600噸，上漲3.5%，約１２．５％，1,234,567.89美元",
    "MP Materials與Lynas Rare Earths在2025年擴產",
    "ＭＰ　Ｍａｔｅｒｉａｌｓ公司１０月",
    "A股T恤卡拉OK與AA制",
    "第1季\r\n第2季\r\r\n\n\t結束",
    "F-35、G7、H200、DS431與5G+網路&通訊_測試#1",
    "  前後空白  與\u3000全形空白\u00a0",
    "https://example.com/a_b-c.html?x=1&y=2",
    "日本經濟產業省與石油天然氣金屬礦物資源機構(JOGMEC)今年1月宣布",
    "αβγ ß ü 𠀀𠀁 〇○ 一二三",
]


@pytest.mark.parametrize("text", MIXED)
def test_fast_cut_equals_jieba(text: str) -> None:
    tk = get_tokenizer()
    assert cutter_for(tk).cut(text) == _jieba_offsets(tk, text)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet="稀土經濟部中國日本美國產業鏈供應年月億元噸%％．.,-+#&_ AaZz0123456789０１\r\n\t，。",
        max_size=40,
    )
)
def test_fast_cut_equals_jieba_on_random_text(text: str) -> None:
    tk = get_tokenizer()
    assert cutter_for(tk).cut(text) == _jieba_offsets(tk, text)


@pytest.mark.parametrize("text", MIXED)
def test_merge_numbers_equals_reference(text: str) -> None:
    spans = cutter_for(get_tokenizer()).cut(text)
    assert merge_numbers(text, spans) == _reference_merge(text, spans)
    singles = [(i, i + 1) for i in range(len(text))]  # every character its own token
    assert merge_numbers(text, singles) == _reference_merge(text, singles)


@pytest.mark.parametrize("text", [*MIXED, " ", "A  B", " A", "A \n B", "稀土 ", "  \t "])
def test_tokenizer_words_and_spaces_as_before(text: str) -> None:
    words: list[str] = []
    spaces: list[bool] = []
    for start, end in segment(text):
        piece = text[start:end]
        if piece == " " and words and not spaces[-1] and not words[-1].isspace():
            spaces[-1] = True
            continue
        words.append(piece)
        spaces.append(False)
    doc = build_nlp().make_doc(text)
    assert [t.text for t in doc] == words
    assert [bool(t.whitespace_) for t in doc] == spaces
    assert doc.text == text
    # The index the tokenizer stored equals the one read back from the doc.
    stored, rebuilt = TokenIndex.of(doc), TokenIndex(doc)
    assert (stored.starts, stored.ends) == (rebuilt.starts, rebuilt.ends)


def test_cutter_is_rebuilt_when_words_are_added(tmp_path: Path) -> None:
    dict_file = tmp_path / "dict.txt"
    dict_file.write_text("稀土 100 n\n經濟 50 n\n", encoding="utf-8")
    tk = jieba.Tokenizer(dictionary=str(dict_file))
    tk.tmp_dir, tk.cache_file = str(tmp_path), "t.cache"
    tk.initialize()
    first = cutter_for(tk)
    assert cutter_for(tk) is first
    assert first.cut("鐠釹稀土") == _jieba_offsets(tk, "鐠釹稀土")
    tk.add_word("鐠釹", freq=1000)
    assert cutter_for(tk) is not first
    assert cutter_for(tk).cut("鐠釹稀土") == _jieba_offsets(tk, "鐠釹稀土") == [(0, 2), (2, 4)]
    assert isinstance(cutter_for(tk), FastCutter)


def test_prefix_cache_loads_what_jieba_builds(tmp_path: Path) -> None:
    dict_file = tmp_path / "dict.txt"
    dict_file.write_text("稀土 100 n\n稀土礦 30 n\n經濟 50 n\n", encoding="utf-8")

    def fresh() -> jieba.Tokenizer:
        tk = jieba.Tokenizer(dictionary=str(dict_file))
        tk.tmp_dir, tk.cache_file = str(tmp_path), "t.cache"
        return tk

    assert not load_prefix_cache(fresh())  # no cache yet: jieba must build it
    built = fresh()
    built.initialize()  # writes t.cache
    loaded = fresh()
    assert load_prefix_cache(loaded) and loaded.initialized
    assert (loaded.FREQ, loaded.total) == (built.FREQ, built.total)
    # A dictionary newer than its cache is not read from the stale cache.
    later = os.path.getmtime(tmp_path / "t.cache") + 10
    os.utime(dict_file, (later, later))
    assert not load_prefix_cache(fresh())
