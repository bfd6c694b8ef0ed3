"""Property tests: offsets stay exact whatever the input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.entities import extract_entities
from pipeline.nlp.sentences import split_sentences

ALPHABET = st.sampled_from(
    list("稀土日本中國美方政府經濟產業省萊納斯鏑（Dy）。！？；」』）\n 　，、《》法公司")
    + ["MP Materials", "G7", "株式會社", "部長", "表示", "美日歐"]
)
TEXTS = st.lists(ALPHABET, max_size=40).map("".join)


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_sentence_spans_are_trimmed_ordered_and_non_empty(text: str) -> None:
    spans = split_sentences(text)
    for s, e in spans:
        assert 0 <= s < e <= len(text)
        assert text[s:e].strip() == text[s:e]
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
    # every non-space character belongs to some sentence
    covered = {i for s, e in spans for i in range(s, e)}
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_entity_offsets_are_exact_and_disjoint(text: str) -> None:
    ents = extract_entities(text)
    for e in ents:
        assert text[e.start : e.end] == e.surface and e.surface
        assert e.id and e.source in ("gazetteer", "pattern", "alias")
    assert all(a.end <= b.start for a, b in zip(ents, ents[1:], strict=False))
