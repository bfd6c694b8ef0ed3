"""Per-document stage functions: thin glue between the pure cores and the runner.

Each takes the previous stage's JSON-ready dicts and returns the next one's, so the
runner can persist, skip and parallelise them without knowing what they do.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pipeline import __version__


def reference_date(published: str | None) -> dt.date | None:
    """The publication date as a ``date``, or None when unknown or partial."""
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


def warm() -> None:
    """Load the dictionary and build the spaCy pipeline now (once per process)."""
    from pipeline.nlp.segment import build_nlp

    build_nlp()("稀土")


def ingest(path: Path, display_path: str, paths: list[str]) -> dict[str, Any]:
    """Read and normalize one file into the ``normalized.json`` dict."""
    from pipeline.ingest import read_document
    from pipeline.normalize import normalize

    raw = read_document(path)
    raw.source_path = display_path
    doc = normalize(raw)
    doc.source_paths = list(paths)
    doc.pipeline_version = __version__
    return doc.to_dict()


def extract(normalized: dict[str, Any]) -> dict[str, Any]:
    """Sentences, quantities, times and entities of one normalized document."""
    from pipeline.nlp.segment import analyze

    text = normalized["text"]
    result = analyze(
        text,
        paragraphs=normalized.get("paragraphs"),
        reference_date=reference_date(normalized.get("published")),
    )
    return {
        "schema": "extracted/1",
        "doc_id": normalized["doc_id"],
        "pipeline_version": __version__,
        **result,
    }


def claims(normalized: dict[str, Any], extracted: dict[str, Any]) -> list[dict[str, Any]]:
    """Claims of one document, as dicts."""
    from pipeline.claims import build_claims

    meta = {
        "doc_id": normalized["doc_id"],
        "title": normalized.get("title"),
        "outlet": normalized.get("outlet"),
        "published": normalized.get("published"),
        "source_path": normalized.get("source_path"),
    }
    built = build_claims(
        meta,
        normalized["text"],
        extracted["sentences"],
        extracted["quantities"],
        extracted["times"],
        extracted["entities"],
    )
    return [c.to_dict() for c in built]


def summarize(
    normalized: dict[str, Any], extracted: dict[str, Any], doc_claims: list[dict[str, Any]]
) -> tuple[dict[str, Any], str]:
    """Extractive summary of one document and its Markdown page."""
    from pipeline.report.summaries import render_summary_md
    from pipeline.report.summaries import summarize as summarize_doc

    summary = summarize_doc(normalized, extracted, doc_claims)
    md = render_summary_md(normalized, summary, doc_claims, extracted.get("times", []))
    return summary, md
