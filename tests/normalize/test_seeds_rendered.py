"""Seeds rendered to PDF and HTML, read back by the ingest readers, then normalized.

The renderings carry the seed text line by line (so the PDF-dump breaks and all the
boilerplate are still there); the figures must match the plain-text run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.normalize import normalize
from pipeline.normalize.score import format_score, score_normalization
from pipeline.records import NormalizedDocument

PDF_SEEDS = ("001", "003")


def _paragraphs(path: Path) -> list[str]:
    """Non-empty lines of a seed file."""
    return [line.strip() for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


@pytest.fixture(scope="module")
def rendered(seeds_dir: Path, gold: dict[str, Any], tmp_path_factory: pytest.TempPathFactory):
    """(gold subset, pdf docs, html docs) normalized from the reader outputs."""
    pdfgen = pytest.importorskip("tests.ingest.pdfgen")
    ingest = pytest.importorskip("pipeline.ingest")
    if not pdfgen.font_available():
        pytest.skip("CJK font for PDF rendering not installed")
    tmp = tmp_path_factory.mktemp("rendered")
    pdf_docs: dict[str, NormalizedDocument] = {}
    html_docs: dict[str, NormalizedDocument] = {}
    for g in gold["docs"]:
        paras = _paragraphs(seeds_dir / g["file"])
        stem = g["file"][:-4]
        if g["doc"] in PDF_SEEDS:
            pdf = tmp / f"{stem}.pdf"
            pdfgen.render_pdf(paras, pdf)
            doc = normalize(ingest.read_document(pdf))
            doc.source_path = g["file"]
            pdf_docs[g["file"]] = doc
        page = tmp / f"{stem}.html"
        outlet = (g.get("outlet") or "").split(" (")[0] or "本站"
        page.write_text(
            pdfgen.render_html(
                g["title"],
                paras,
                published=g.get("pub_date") or "2026-02-10",
                outlet=outlet,
                author=(g.get("authors") or ["佚名"])[0],
            ),
            encoding="utf-8",
        )
        doc = normalize(ingest.read_document(page))
        doc.source_path = g["file"]
        html_docs[g["file"]] = doc
    return gold, pdf_docs, html_docs


def _subset(gold: dict[str, Any], docs: dict[str, NormalizedDocument]) -> dict[str, Any]:
    """Gold restricted to the rendered documents."""
    return {**gold, "docs": [g for g in gold["docs"] if g["file"] in docs]}


@pytest.mark.parametrize("kind", ["pdf", "html"])
def test_rendered_seeds(rendered: tuple[Any, ...], kind: str) -> None:
    gold, pdf_docs, html_docs = rendered
    docs = pdf_docs if kind == "pdf" else html_docs
    score = score_normalization(_subset(gold, docs), docs)
    print(f"\n{kind}:\n" + format_score(score))
    t = score["totals"]
    assert t["body"]["rate"] == 1.0, json.dumps(t, ensure_ascii=False)
    assert t["boilerplate"]["rate"] >= 0.95
    assert t["glyphs"]["rate"] >= 0.9
    assert t["pdf_breaks"]["rate"] == 1.0
    assert t["title"]["rate"] >= 0.8 and t["authors"]["rate"] >= 0.8
