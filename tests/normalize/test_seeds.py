"""The five real seed articles against the gold annotations (skips without ../shared)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from pipeline.normalize import normalize
from pipeline.normalize.score import format_score, score_normalization
from pipeline.records import NormalizedDocument, RawDocument, doc_id_for


@pytest.fixture(scope="module")
def seed_docs(seeds_dir: Path) -> dict[str, NormalizedDocument]:
    """Every seed file read as UTF-8 text and normalized, keyed by file name."""
    docs: dict[str, NormalizedDocument] = {}
    for path in sorted(seeds_dir.glob("*.txt")):
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        raw = RawDocument(str(path), sha, doc_id_for(sha), "txt", "utf-8", data.decode("utf-8"))
        docs[path.name] = normalize(raw)
    if not docs:
        pytest.skip("no seed files")
    return docs


@pytest.fixture(scope="module")
def score(gold: dict[str, Any], seed_docs: dict[str, NormalizedDocument]) -> dict[str, Any]:
    """The normalization score of the seeds."""
    result = score_normalization(gold, seed_docs)
    print("\n" + format_score(result))
    return result


def test_all_gold_docs_found(score: dict[str, Any]) -> None:
    assert score["missing_docs"] == []


def test_boilerplate_removed(score: dict[str, Any]) -> None:
    assert score["totals"]["boilerplate"]["rate"] >= 0.95


def test_no_body_text_lost(score: dict[str, Any]) -> None:
    # Losing a claim or date is the worse error: no tolerance.
    lost = {k: d["body"]["lost"] for k, d in score["docs"].items() if d["body"]["lost"]}
    assert lost == {}


def test_glyph_repairs_and_keeps(score: dict[str, Any]) -> None:
    assert score["totals"]["glyphs"]["rate"] >= 0.9
    assert score["totals"]["glyph_keep"]["rate"] == 1.0


def test_pdf_breaks_joined(score: dict[str, Any]) -> None:
    assert score["totals"]["pdf_breaks"]["rate"] == 1.0


@pytest.mark.parametrize("field", ["title", "published", "outlet", "authors"])
def test_metadata_fields(score: dict[str, Any], field: str) -> None:
    assert score["totals"][field]["rate"] >= 0.8, format_score(score)


def test_offsets_hold(seed_docs: dict[str, NormalizedDocument], seeds_dir: Path) -> None:
    for name, doc in seed_docs.items():
        raw = (seeds_dir / name).read_text(encoding="utf-8")
        for r in doc.removed:
            assert raw[r.start : r.end] == r.text
        for r in doc.repairs:
            assert doc.text[r.start : r.end] == r.after
        for s, e in doc.paragraphs:
            assert doc.text[s:e].strip() == doc.text[s:e] != ""


def test_no_sentence_broken_in_pdf_dump(seed_docs: dict[str, NormalizedDocument]) -> None:
    # In the PDF-derived seed every running-text paragraph ends a sentence.
    for doc in seed_docs.values():
        if not any("PDF" in w for w in doc.warnings):
            continue
        heads = {tuple(h) for h in doc.headings}
        for s, e in doc.paragraphs:
            p = doc.text[s:e]
            if (s, e) in heads or "\t" in p:
                continue
            assert p[-1] in "。！？」）", p[-30:]


def test_glyph_counts_after_repair(
    gold: dict[str, Any], seed_docs: dict[str, NormalizedDocument]
) -> None:
    # Damaged glyphs that only ever stood for rare earths are gone; real antimony and
    # uranium uses (glyph_keep) remain.
    for g in gold["docs"]:
        if not g.get("glyph_repairs"):
            continue
        doc = seed_docs[g["file"]]
        keep_text = "".join(k["surface"] for k in g.get("glyph_keep", []))
        for char in g.get("glyph_counts", {}):
            if len(char) == 1 and char not in keep_text:
                assert doc.text.count(char) == 0, char
