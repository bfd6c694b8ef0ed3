"""Command line: ``python -m pipeline <command> ...`` (the Makefile calls these)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline.runner import DEFAULT_MAX_BYTES


def _add_run_args(p: argparse.ArgumentParser) -> None:
    """Options shared by the commands that run stages over a corpus."""
    p.add_argument(
        "--corpus", type=Path, default=Path("corpus"), help="drop folder of articles (read only)"
    )
    p.add_argument("--out", type=Path, default=Path("outputs"), help="output folder")
    p.add_argument("--force", action="store_true", help="redo every stage for every document")
    p.add_argument("--jobs", type=int, default=0, help="worker processes (default: all cores)")
    p.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="per-file size limit")
    p.add_argument(
        "--no-wait", action="store_true", help="stop instead of waiting when OUT is locked"
    )


def cmd_run(args: argparse.Namespace, until: str = "summarize") -> int:
    """Run the per-document stages (up to ``until``) and, for a full run, the corpus stages."""
    from pipeline.runner import run

    try:
        summary = run(
            args.corpus,
            args.out,
            force=args.force,
            jobs=args.jobs or None,
            max_bytes=args.max_bytes,
            until=until,
            wait=not args.no_wait,
        )
    except (FileNotFoundError, ValueError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for line in summary.lines():
        print(line)
    if summary.errors:
        print(
            f"{len(summary.errors)} file(s) failed; see {args.out / 'errors.jsonl'}",
            file=sys.stderr,
        )
        return 1
    return 0


def cmd_figures(args: argparse.Namespace) -> int:
    """Read JSON lines {"text", "reference_date"} on stdin; write the records found, one line each."""
    import datetime as dt

    from pipeline.extract.figures import extract_figures

    for n, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            text = item["text"] if isinstance(item, dict) else str(item)
            ref = item.get("reference_date") if isinstance(item, dict) else None
            ref_date = dt.date.fromisoformat(ref) if ref else None
        except (ValueError, KeyError, TypeError) as exc:
            print(f"line {n}: not a JSON object with a 'text' field ({exc})", file=sys.stderr)
            sys.stdout.write("[]\n")
            continue
        records = extract_figures(text, ref_date)
        sys.stdout.write(json.dumps(records, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 0


def cmd_claims(args: argparse.Namespace) -> int:
    """Print the claims in OUT/claims.jsonl that match the filters."""
    from pipeline.claims.query import query_claims
    from pipeline.io import read_jsonl

    path = args.out / "claims.jsonl"
    if not path.exists():
        print(f"error: {path} does not exist; run `make` first", file=sys.stderr)
        return 2
    rows = query_claims(
        read_jsonl(path),
        metric=args.metric,
        subject=args.subject,
        period=args.period,
        commodity=args.commodity,
    )
    for r in rows:
        print(json.dumps(r, ensure_ascii=False))
    print(f"{len(rows)} claim(s)", file=sys.stderr)
    return 0


def cmd_setup(args: argparse.Namespace) -> int:
    """Build the Traditional-Chinese jieba dictionary cache."""
    from pipeline.nlp.dictionary import build_cache

    path = build_cache()
    print(f"dictionary cache ready: {path}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    """Score the pipeline against the gold annotations and print precision/recall."""
    from pipeline.eval.run import main as eval_main

    return eval_main(args.gold, args.seeds, args.out, jobs=args.jobs or None)


def cmd_bench(args: argparse.Namespace) -> int:
    """Benchmark throughput and incremental costs on a synthetic corpus."""
    from pipeline.bench import main as bench_main

    return bench_main(docs=args.docs, out=args.out, jobs=args.jobs or None, seeds=args.seeds)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per stage or tool."""
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Extract figures, dates, entities and claims from Traditional-Chinese articles, "
        "and reconcile figures across sources.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="run every stage on a corpus folder (incremental)")
    _add_run_args(p)
    p.set_defaults(func=cmd_run)
    for stage in ("ingest", "extract"):
        p = sub.add_parser(stage, help=f"run the per-document stages up to {stage}")
        _add_run_args(p)
        p.set_defaults(func=lambda a, s=stage: cmd_run(a, until=s))

    p = sub.add_parser(
        "figures", help="extract quantities and time expressions from JSON lines on stdin"
    )
    p.set_defaults(func=cmd_figures)

    p = sub.add_parser(
        "claims",
        help="print the claims in OUT/claims.jsonl matching --metric/--subject/--period/--commodity",
    )
    p.add_argument("--out", type=Path, default=Path("outputs"))
    p.add_argument("--metric")
    p.add_argument("--subject")
    p.add_argument("--period")
    p.add_argument("--commodity")
    p.set_defaults(func=cmd_claims)

    p = sub.add_parser("setup", help="build the Traditional-Chinese dictionary cache")
    p.set_defaults(func=cmd_setup)

    p = sub.add_parser("eval", help="score against ../shared/gold/seeds_gold.json")
    p.add_argument("--gold", type=Path, default=Path("../shared/gold/seeds_gold.json"))
    p.add_argument("--seeds", type=Path, default=Path("../shared/corpus/seeds"))
    p.add_argument("--out", type=Path, default=Path("outputs/eval"))
    p.add_argument("--jobs", type=int, default=0)
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("bench", help="benchmark on a synthetic corpus")
    p.add_argument("--docs", type=int, default=300)
    p.add_argument("--out", type=Path, default=Path("outputs/bench"))
    p.add_argument("--jobs", type=int, default=0)
    p.add_argument("--seeds", type=Path, default=Path("../shared/corpus/seeds"))
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    args = build_parser().parse_args(argv)
    return int(args.func(args))
