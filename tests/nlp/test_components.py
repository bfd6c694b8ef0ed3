"""The spaCy wrapper: tokenizer fidelity, registered components, span groups."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language

from pipeline.nlp.components import TokenIndex
from pipeline.nlp.segment import PIPES, analyze, build_nlp, make_doc

TEXT = (
    "日本經濟產業省與石油天然氣金屬礦物資源機構(JOGMEC)今年1月宣布，"
    "對萊納斯追加出資，約六至七成的重稀土將供應日本。\n"
    "首相高市早苗表示：「南鳥島的試採很重要！」 MP Materials股價上漲3.5%。"
)


@pytest.fixture(scope="module")
def doc():  # type: ignore[no-untyped-def]
    return make_doc(TEXT, reference_date=dt.date(2026, 1, 20))


def test_pipeline_has_the_registered_components() -> None:
    nlp = build_nlp()
    assert nlp.pipe_names == list(PIPES)
    for name in PIPES:
        assert Language.has_factory(name)
    assert build_nlp() is nlp


@pytest.mark.parametrize(
    "text",
    [TEXT, "", " ", "  兩個空白  ", "A B  C\n\n段落\t定位", "價格&gt;8成", "全形　空白"],
)
def test_doc_text_is_exactly_the_input(text: str) -> None:
    d = build_nlp().make_doc(text)
    assert d.text == text


def test_domain_words_are_tokens(doc) -> None:  # type: ignore[no-untyped-def]
    tokens = [t.text for t in doc]
    for w in ("石油天然氣金屬礦物資源機構", "萊納斯", "高市早苗", "南鳥島"):
        assert w in tokens


def test_six_to_seven_tenths_is_one_quantity_span(doc) -> None:  # type: ignore[no-untyped-def]
    spans = [sp for sp in doc.spans["quantities"] if "六至七成" in sp.text]
    assert len(spans) == 1
    rec = spans[0]._.record
    assert rec["surface"].endswith("六至七成")
    assert (rec["low"], rec["high"]) == (60, 70)


@pytest.mark.parametrize("group", ["quantities", "times", "entities"])
def test_records_keep_exact_offsets(doc, group: str) -> None:  # type: ignore[no-untyped-def]
    assert len(doc.spans[group]) > 0
    for sp in doc.spans[group]:
        rec = sp._.record
        assert TEXT[rec["start"] : rec["end"]] == rec["surface"]
        # the span is the token-expanded view of the record
        assert sp.start_char <= rec["start"] and rec["end"] <= sp.end_char


def test_entity_extension_values(doc) -> None:  # type: ignore[no-untyped-def]
    got = {sp._.record["surface"]: sp._.value for sp in doc.spans["entities"]}
    assert got["日本經濟產業省"] == "METI"
    assert got["JOGMEC"] == "JOGMEC"
    assert got["萊納斯"] == "Lynas Rare Earths"
    assert got["MP Materials"] == "MP Materials"
    labels = {sp.text: sp.label_ for sp in doc.spans["entities"]}
    assert labels["高市早苗"] == "PERSON"


def test_time_resolved_against_reference_date(doc) -> None:  # type: ignore[no-untyped-def]
    values = [sp._.value for sp in doc.spans["times"]]
    assert "2026-01" in values


def test_unaligned_record_is_expanded_but_keeps_offsets() -> None:
    """稀土礦 is one token; the entity 稀土 inside it gets the expanded span."""
    d = make_doc("緬甸的稀土礦停產。")
    (sp,) = [s for s in d.spans["entities"] if s._.value == "rare earths"]
    assert sp._.record["surface"] == "稀土" and sp._.record["start"] == 3
    assert sp.text == "稀土礦"


def test_numbers_are_single_tokens() -> None:
    d = make_doc("股價上漲3.5%，產量6,600噸。")
    assert {"3.5%", "6,600"} <= {t.text for t in d}
    (q,) = [s for s in d.spans["quantities"] if s._.record["surface"] == "3.5%"]
    assert q.text == "3.5%" and q._.value == 3.5


def test_sentence_starts(doc) -> None:  # type: ignore[no-untyped-def]
    sents = [s.text.strip() for s in doc.sents]
    assert sents[0].startswith("日本經濟產業省") and sents[0].endswith("日本。")
    assert sents[1].endswith("！」")
    assert [TEXT[s:e] for s, e in doc._.sentences][
        1
    ] == "首相高市早苗表示：「南鳥島的試採很重要！」"


def test_analyze_returns_json_ready_lists() -> None:
    out = analyze(TEXT, paragraphs=None, reference_date=dt.date(2026, 1, 20))
    assert set(out) >= {"sentences", "quantities", "times", "entities"}
    for rec in out["entities"] + out["quantities"] + out["times"]:
        assert TEXT[rec["start"] : rec["end"]] == rec["surface"]
    assert all(isinstance(s, list) and len(s) == 2 for s in out["sentences"])


def test_token_index_matches_char_span_expand() -> None:
    d = build_nlp().make_doc("美國 MP Materials公司\n在加州 擴產。")
    idx = TokenIndex(d)
    n = len(d.text)
    for s in range(n):
        for e in range(s + 1, n + 1):
            sp = d.char_span(s, e, alignment_mode="expand")
            if sp is not None and len(sp):
                assert idx.expand(s, e) == (sp.start, sp.end)


def test_analyze_output_matches_the_extracted_schema() -> None:
    import json
    from pathlib import Path

    jsonschema = pytest.importorskip("jsonschema")
    schema_path = Path(__file__).resolve().parents[2] / "pipeline/schemas/extracted.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    out = analyze(TEXT, reference_date=dt.date(2026, 1, 20))
    jsonschema.validate({"schema": "extracted/1", "doc_id": "0123456789abcdef", **out}, schema)
