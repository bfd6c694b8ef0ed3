"""Scoring claims against the gold annotations (``make eval`` can call ``score_claims``).

Matching reuses pipeline/eval/score.py: a gold claim is found when a predicted claim
overlapping its located surface has the right value, unit and qualifier; frames are
compared on metric, subject, object and period for matched claims with a gold metric;
a gold reconciliation group is reproduced when all its by_period claims land in one of
our groups with the same (metric, subject, object) and the same period.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _doc_entry(predicted: Mapping[str, Any], gd: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """Our record for a gold document, keyed by gold doc id ('000') or file name."""
    for k in (gd.get("doc"), gd.get("file")):
        if isinstance(k, str) and k in predicted:
            entry: Mapping[str, Any] = predicted[k]
            return entry
    return None


def score_claims(
    gold: Mapping[str, Any],
    predicted_claims_by_doc: Mapping[str, Mapping[str, Any]],
    reconciled: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Claim F1 (value/unit/qualifier), frame accuracy and reconciliation groups reproduced.

    ``predicted_claims_by_doc`` maps the gold doc id ('000') or file name to
    ``{"text": normalized text, "claims": [claim dicts], "title": optional}``. When
    ``reconciled`` is None it is computed from all predicted claims.
    """
    from pipeline.eval.score import PR, score_figures, score_frames, score_reconciliation

    total = PR()
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = []
    per_doc: dict[str, Any] = {}
    every: list[dict[str, Any]] = []
    for gd in gold.get("docs", []):
        entry = _doc_entry(predicted_claims_by_doc, gd)
        if entry is None:
            per_doc[str(gd.get("doc"))] = {"error": "no prediction"}
            continue
        text = str(entry["text"])
        claims = [dict(c) for c in entry["claims"]]
        every += claims
        title = entry.get("title")
        excl = [(0, len(title))] if title and text.startswith(title) else []
        pr, doc_pairs = score_figures(
            list(gd.get("claims", [])), claims, text, excluded=excl, label=f"{gd.get('doc')}: "
        )
        total.add(pr)
        pairs += doc_pairs
        per_doc[str(gd.get("doc"))] = pr.to_dict()
    if reconciled is None:
        from pipeline.reconcile import reconcile

        reconciled = reconcile(every)
    claim_of_gold = {str(g["id"]): p for g, p in pairs}
    rec = score_reconciliation(
        list(gold.get("reconciliation", [])), claim_of_gold, dict(reconciled)
    )
    return {
        "claims": total.to_dict(),
        "docs": per_doc,
        "frames": score_frames(pairs),
        "reconciliation": rec,
    }
