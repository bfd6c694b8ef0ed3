"""The Traditional jieba dictionary: building, caching, and segmentation of domain words."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.nlp import dictionary
from pipeline.nlp.dictionary import build_dictionary_text, get_tokenizer, segment

DOMAIN_WORDS = [
    "南鳥島",
    "萊納斯",
    "高市早苗",
    "片山皋月",
    "經濟產業省",
    "釹鐵硼",
    "石油天然氣金屬礦物資源機構",
    "行政法人",
]

SENTENCES = [
    ("探勘船昨天駛向南鳥島外海。", "南鳥島"),
    ("萊納斯宣布在德州設廠。", "萊納斯"),
    ("首相高市早苗出席記者會。", "高市早苗"),
    ("財務大臣片山皋月與美方會談。", "片山皋月"),
    ("經濟產業省公布補助結果。", "經濟產業省"),
    ("釹鐵硼是馬達的關鍵材料。", "釹鐵硼"),
    ("日本的石油天然氣金屬礦物資源機構決定出資。", "石油天然氣金屬礦物資源機構"),
    ("該機構屬於行政法人，預算由國會審議。", "行政法人"),
    ("從靜岡縣出發的船隊抵達。", "靜岡縣"),
]


@pytest.mark.parametrize(("text", "word"), SENTENCES)
def test_domain_words_come_out_whole(text: str, word: str) -> None:
    tokens = list(get_tokenizer().cut(text, HMM=dictionary.USE_HMM))
    assert word in tokens, tokens


@pytest.mark.parametrize("word", DOMAIN_WORDS)
def test_domain_words_alone_are_one_token(word: str) -> None:
    assert [word[s:e] for s, e in segment(word)] == [word]


def test_traditional_words_are_not_split_into_characters() -> None:
    """The shipped Simplified dictionary cuts 經濟 into 經|濟; ours keeps it."""
    assert "經濟" in list(get_tokenizer().cut("經濟成長放緩", HMM=False))


@pytest.mark.parametrize(
    "text", ["", "稀土。", "MP Materials 在 2025 年\n\n擴產 50%", "  前後空白  ", "A\tB\u3000C"]
)
def test_segment_offsets_tile_the_text(text: str) -> None:
    spans = segment(text)
    assert "".join(text[s:e] for s, e in spans) == text
    assert all(s < e for s, e in spans)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_get_tokenizer_is_a_private_singleton() -> None:
    import jieba

    tk = get_tokenizer()
    assert tk is get_tokenizer()
    assert tk is not jieba.dt


def test_build_text_merges_traditional_forms() -> None:
    source = "经济 100 n\n产业 50 n\n稀土 30 n\n台湾 20 ns\n"
    lines = build_dictionary_text(source).splitlines()
    words = {ln.split(" ")[0]: ln for ln in lines}
    for w in ("经济", "經濟", "产业", "產業", "稀土", "台湾", "臺灣", "台灣"):
        assert w in words
    assert words["經濟"] == "經濟 100 n"
    assert len(lines) == len(set(words))  # no duplicate entries


def test_cache_is_keyed_and_written_atomically(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIPELINE_CACHE", str(tmp_path))
    path = dictionary.build_cache()
    assert path.parent == tmp_path
    assert dictionary.cache_key() in path.name
    assert not list(tmp_path.glob("*.tmp"))
    n = sum(1 for _ in path.open(encoding="utf-8"))
    assert n > 500_000  # about 350k original entries plus their Traditional forms
    mtime = path.stat().st_mtime_ns
    assert dictionary.build_cache() == path and path.stat().st_mtime_ns == mtime


def test_cache_key_changes_with_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    key = dictionary.cache_key()
    monkeypatch.setattr(dictionary, "_version", lambda dist: "0.0.0-test")
    assert dictionary.cache_key() != key


def test_domain_words_come_from_gazetteer_and_word_list() -> None:
    words = set(dictionary.domain_words())
    assert {"經濟產業省", "萊納斯", "行政法人"} <= words
    assert all(len(w) >= 2 and " " not in w for w in words)


def test_every_domain_word_is_one_token_alone() -> None:
    words = [w for w in dictionary.domain_words() if w.isalnum()]
    broken = [w for w in words if len(segment(w)) != 1]
    assert broken == []


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("上漲3.5%。", ["上漲", "3.5%", "。"]),
        ("共6,600噸", ["共", "6,600", "噸"]),
        ("約１２．５％", ["約", "１２．５％"]),
    ],
)
def test_written_numbers_stay_whole(text: str, tokens: list[str]) -> None:
    assert [text[s:e] for s, e in segment(text)] == tokens
