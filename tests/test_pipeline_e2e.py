"""End to end on the shipped sample corpus: every output exists, validates and keeps provenance."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from pipeline import io
from pipeline.runner import run

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "pipeline" / "schemas"


def _schema(name: str) -> dict:
    """Load one of the project's JSON Schemas."""
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run the whole pipeline once on a copy of corpus/."""
    base = tmp_path_factory.mktemp("e2e")
    corpus = base / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    out = base / "out"
    summary = run(corpus, out, jobs=2)
    assert not summary.errors, summary.errors
    return out


def test_every_sample_file_is_ok_in_the_manifest(sample_out: Path) -> None:
    rows = list(io.read_jsonl(sample_out / "manifest.jsonl"))
    assert rows, "empty manifest"
    assert {r["status"] for r in rows} <= {"ok", "duplicate", "skipped"}
    formats = {
        io.read_json(sample_out / "docs" / r["doc_id"] / "normalized.json")["format"]
        for r in rows
        if r["status"] == "ok"
    }
    assert {"txt", "html", "pdf"} <= formats


def test_corpus_outputs_exist(sample_out: Path) -> None:
    for name in (
        "claims.jsonl",
        "reconciled.json",
        "reconciled.md",
        "briefing.md",
        "report.html",
        "errors.jsonl",
        "manifest.jsonl",
    ):
        assert (sample_out / name).is_file(), name
    assert (sample_out / "errors.jsonl").read_text() == ""


def test_per_document_outputs_validate_against_schemas(sample_out: Path) -> None:
    norm_schema, ext_schema = _schema("normalized.schema.json"), _schema("extracted.schema.json")
    for d in sorted((sample_out / "docs").iterdir()):
        jsonschema.validate(io.read_json(d / "normalized.json"), norm_schema)
        jsonschema.validate(io.read_json(d / "extracted.json"), ext_schema)
        assert (sample_out / "summaries" / f"{d.name}.md").is_file()


def test_claims_and_reconciled_validate_against_schemas(sample_out: Path) -> None:
    claim_schema = _schema("claim.schema.json")
    claims = list(io.read_jsonl(sample_out / "claims.jsonl"))
    assert claims
    for c in claims:
        jsonschema.validate(c, claim_schema)
    jsonschema.validate(
        io.read_json(sample_out / "reconciled.json"), _schema("reconciled.schema.json")
    )


def test_every_offset_points_at_its_surface(sample_out: Path) -> None:
    texts = {}
    for d in sorted((sample_out / "docs").iterdir()):
        doc = io.read_json(d / "normalized.json")
        text = doc["text"]
        texts[doc["doc_id"]] = text
        ext = io.read_json(d / "extracted.json")
        for layer in ("quantities", "times", "entities"):
            for item in ext[layer]:
                assert text[item["start"] : item["end"]] == item["surface"], (layer, item)
        for s, e in ext["sentences"]:
            assert 0 <= s < e <= len(text)
        for p in doc["paragraphs"]:
            assert 0 <= p[0] <= p[1] <= len(text)
    for c in io.read_jsonl(sample_out / "claims.jsonl"):
        text = texts[c["doc_id"]]
        assert text[c["start"] : c["end"]] == c["surface"], c
        assert text[c["sentence_start"] : c["sentence_end"]] == c["sentence"], c


def test_sample_corpus_has_a_cross_source_group(sample_out: Path) -> None:
    rec = io.read_json(sample_out / "reconciled.json")
    multi = [
        g
        for g in rec["groups"]
        if len({c["doc_id"] for p in g.get("periods", []) for c in p["claims"]}) > 1
    ]
    assert multi, "the sample corpus should show figures reconciled across documents"
