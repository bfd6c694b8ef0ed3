"""``make eval``: run the pipeline on the seed articles and score it against the gold."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline import io
from pipeline.eval.score import (
    PR,
    score_entities,
    score_figures,
    score_frames,
    score_reconciliation,
    score_times,
)


def _title_region(doc: dict[str, Any]) -> list[tuple[int, int]]:
    """The title line when the text starts with it: gold annotates bodies only."""
    title = doc.get("title")
    text = doc["text"]
    if title and text.startswith(title):
        return [(0, len(title))]
    return []


def evaluate(gold: dict[str, Any], out: Path) -> dict[str, Any]:
    """Score the outputs in ``out`` (already produced from the seeds) against ``gold``."""
    manifest = {Path(r["path"]).name: r for r in io.read_jsonl(out / "manifest.jsonl")}
    report: dict[str, Any] = {"docs": {}}
    totals = {k: PR() for k in ("quantities", "claims", "claims_required", "times", "entities")}
    all_pairs = []
    claim_of_gold: dict[str, dict[str, Any]] = {}
    normalized_docs = {}
    for gd in gold["docs"]:
        row = manifest.get(gd["file"])
        if not row or row["status"] not in ("ok", "duplicate"):
            report["docs"][gd["doc"]] = {"error": (row or {}).get("error", "not in manifest")}
            continue
        d = out / "docs" / row["doc_id"]
        doc = io.read_json(d / "normalized.json")
        normalized_docs[gd["doc"]] = doc
        ext = io.read_json(d / "extracted.json")
        claims = io.read_json(d / "claims.json")
        text = doc["text"]
        excl = _title_region(doc)
        lab = f"{gd['doc']}: "
        q, _ = score_figures(gd["claims"], ext["quantities"], text, excluded=excl, label=lab)
        c, pairs = score_figures(gd["claims"], claims, text, excluded=excl, label=lab)
        t = score_times(gd["dates"], ext["times"], text, excluded=excl, label=lab)
        e = score_entities(gd["entities"], ext["entities"], label=lab)
        for g, p in pairs:
            claim_of_gold[g["id"]] = p
        all_pairs += [(g, p) for g, p in pairs]
        for k, v in (("quantities", q), ("claims", c), ("times", t), ("entities", e)):
            totals[k].add(v)
        report["docs"][gd["doc"]] = {
            "quantities": q.to_dict(),
            "claims": c.to_dict(),
            "times": t.to_dict(),
            "entities": e.to_dict(),
        }
    report["totals"] = {k: v.to_dict() for k, v in totals.items() if v.gold or v.pred}
    report["frames"] = score_frames(all_pairs)
    try:
        reconciled = io.read_json(out / "reconciled.json")
        report["reconciliation"] = score_reconciliation(
            gold.get("reconciliation", []), claim_of_gold, reconciled
        )
    except (OSError, ValueError):
        report["reconciliation"] = {"error": "no reconciled.json"}
    from pipeline.nlp.quality import gold_entity_words, segmentation_report

    report["segmentation"] = segmentation_report(
        [d["text"] for d in normalized_docs.values()], gold_entity_words(gold)
    )
    try:
        from pipeline.normalize.score import score_normalization

        report["normalization"] = score_normalization(
            gold, {k: _as_doc(v) for k, v in normalized_docs.items()}
        )
    except ImportError:
        report["normalization"] = {"error": "normalize scoring not available"}
    return report


def _as_doc(d: dict[str, Any]) -> Any:
    """NormalizedDocument from its dict (the normalize scorer takes records)."""
    from pipeline.records import NormalizedDocument

    return NormalizedDocument.from_dict(d)


def print_report(report: dict[str, Any]) -> None:
    """The figures a person reads after ``make eval``."""
    print("\n== make eval: seeds against ../shared/gold/seeds_gold.json ==")
    print(f"{'layer':<14}{'precision':>10}{'recall':>9}{'F1':>8}{'gold':>7}{'pred':>7}")
    for k, v in report["totals"].items():
        print(
            f"{k:<14}{v['precision']:>10.3f}{v['recall']:>9.3f}{v['f1']:>8.3f}{v['gold']:>7}{v['predicted']:>7}"
        )
    print(
        "(quantities/claims: value+unit+qualifier right; times: ISO value right; entities: distinct canonical ids per doc)"
    )
    fr = report["frames"]
    if fr.get("matched_with_metric"):
        print(
            f"claim frames ({fr['matched_with_metric']} matched claims with a gold metric): all fields "
            f"{fr['all_fields']:.3f}; metric {fr['metric']:.3f}, subject {fr['subject']:.3f}, "
            f"object {fr['object']:.3f}, period {fr['period']:.3f}"
        )
    rec = report.get("reconciliation", {})
    if "groups" in rec:
        print(
            f"reconciliation: {rec['reproduced']}/{rec['groups']} gold groups fully reproduced, "
            f"{rec['placed']}/{rec['claims']} of their claims in the right group and period"
        )
        for r in rec["detail"]:
            print(f"  {r['key']}: {r['placed']}/{r['claims']} claims placed")
    seg = report.get("segmentation")
    if seg:
        print(
            f"segmentation: of {seg['traditional']['occurrences']} occurrences of gold entity names, "
            "share kept as one token / token-aligned:"
        )
        for k in ("base_jieba", "base_jieba_hmm", "traditional", "traditional_hmm"):
            print(f"  {k:<16} whole {seg[k]['whole']:.3f}  aligned {seg[k]['aligned']:.3f}")
        print(
            "  (the pipeline uses 'traditional': jieba dict converted with OpenCC + domain words, HMM off)"
        )
    norm = report.get("normalization")
    if isinstance(norm, dict) and "error" not in norm:
        from pipeline.normalize.score import format_score

        print("normalization (seeds as delivered):")
        print(format_score(norm))
    for k, v in report["totals"].items():
        if v["misses"]:
            print(f"\n{k} misses (first {min(len(v['misses']), 15)}):")
            for m in v["misses"][:15]:
                print("  " + m)


def main(gold_path: Path, seeds: Path, out: Path, jobs: int | None = None) -> int:
    """Run the seeds through the pipeline into ``out`` and print the scores."""
    if not gold_path.is_file() or not seeds.is_dir():
        print(f"gold ({gold_path}) or seeds ({seeds}) not present: nothing to evaluate")
        return 0
    from pipeline.runner import run

    summary = run(seeds, out, jobs=jobs)
    for line in summary.lines():
        print(line)
    gold = io.read_json(gold_path)
    report = evaluate(gold, out)
    io.write_json(out / "eval.json", report)
    print_report(report)
    print(f"\nfull report with every miss and false positive: {out / 'eval.json'}")
    return 0
