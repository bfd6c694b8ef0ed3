"""Corpus-wide stages: claims.jsonl, reconciliation, briefing and HTML report.

They re-run only when the set of documents or the code of these stages changed; the
key that decides it is derived from per-document stamps, so an unchanged corpus costs
a few small reads.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pipeline import io
from pipeline.fingerprint import stage_fingerprint


def _corpus_key(out: Path, doc_ids: list[str]) -> str:
    """Hash of what the corpus stages read: document ids, their stamps, stage code."""
    h = hashlib.sha256()
    h.update(stage_fingerprint("reconcile").encode())
    h.update(stage_fingerprint("report").encode())
    for d in doc_ids:
        stamp = io.read_json(out / "docs" / d / "stamp.json")
        h.update(f"{d}:{stamp.get('claims')}:{stamp.get('summarize')}\n".encode())
    return h.hexdigest()[:16]


OUTPUTS = ("claims.jsonl", "reconciled.json", "reconciled.md", "briefing.md", "report.html")


def run_corpus_stages(out: Path, doc_ids: list[str], *, force: bool = False) -> bool:
    """Rebuild the corpus-level outputs if their inputs changed; return whether it ran."""
    from pipeline.reconcile import reconcile, render_markdown
    from pipeline.report.briefing import briefing_facts, briefing_state, render_briefing
    from pipeline.report.html import render_report

    state_path = out / "state" / "corpus.json"
    key = _corpus_key(out, doc_ids)
    try:
        state: dict[str, Any] = io.read_json(state_path)
    except (OSError, ValueError):
        state = {}
    if not force and state.get("key") == key and all((out / f).exists() for f in OUTPUTS):
        return False

    docs: dict[str, dict[str, Any]] = {}
    extracted: dict[str, dict[str, Any]] = {}
    summaries: dict[str, dict[str, Any]] = {}
    claims: list[dict[str, Any]] = []
    for d in doc_ids:
        ddir = out / "docs" / d
        docs[d] = io.read_json(ddir / "normalized.json")
        extracted[d] = io.read_json(ddir / "extracted.json")
        claims.extend(io.read_json(ddir / "claims.json"))
        if (ddir / "summary.json").exists():  # absent only when summarizing this doc failed
            summaries[d] = io.read_json(ddir / "summary.json")
    io.write_jsonl(out / "claims.jsonl", claims)

    reconciled = reconcile(claims)
    io.write_json(out / "reconciled.json", reconciled)
    io.atomic_write_text(out / "reconciled.md", render_markdown(reconciled))

    # "New since the previous run" compares against the last *different* corpus, so a
    # re-run of the same corpus (after a crash, say) reproduces the same briefing.
    current = briefing_state(doc_ids, claims, docs)
    history = state.get("history", {})
    if history.get("current") == current:
        previous = history.get("previous")
    else:
        previous = history.get("current")
    facts = briefing_facts(reconciled, claims)
    entities_by_doc = {d: extracted[d].get("entities", []) for d in doc_ids}
    times_by_doc = {d: extracted[d].get("times", []) for d in doc_ids}
    io.atomic_write_text(
        out / "briefing.md",
        render_briefing(reconciled, claims, entities_by_doc, times_by_doc, previous, docs=docs),
    )
    io.atomic_write_text(
        out / "report.html", render_report(docs, extracted, claims, reconciled, facts, summaries)
    )
    io.write_json(state_path, {"key": key, "history": {"current": current, "previous": previous}})
    return True
