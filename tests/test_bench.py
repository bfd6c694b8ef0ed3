"""Smoke test of ``make bench``: it runs on a tiny corpus and writes every figure.

Only the shape of bench.json is checked, never a timing (timings belong to make bench).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.bench import main, paragraph_pool, synth_article, tree_rss_mb

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"


def test_synthetic_articles_are_deterministic_and_varied() -> None:
    pool = paragraph_pool(SEEDS if SEEDS.is_dir() else None)
    assert pool
    assert synth_article(3, pool) == synth_article(3, pool)
    assert synth_article(3, pool) != synth_article(4, pool)


def test_bench_writes_every_figure(tmp_path: Path, capsys: object) -> None:
    out = tmp_path / "bench"
    assert main(docs=8, out=out, jobs=1, seeds=SEEDS if SEEDS.is_dir() else tmp_path / "none") == 0
    data = json.loads((out / "bench.json").read_text(encoding="utf-8"))
    for key in ("docs", "jobs", "chars", "formats", "cold", "per_stage_seconds", "baselines",
                "ratios", "incremental", "peak_rss_mb", "slowest_stage", "command"):  # fmt: skip
        assert key in data, key
    assert data["docs"] == 8 and data["cold"]["docs"] == 8 and data["cold"]["errors"] == 0
    for key in ("wall_seconds", "chars_per_s", "docs_per_s", "chars_per_s_single_worker", "stages"):
        assert key in data["cold"], key
    for stage in ("ingest", "extract", "claims", "summarize", "corpus_stages"):
        assert stage in data["cold"]["stages"], stage
    for key in ("jieba_traditional_hmm_off", "json_read_write", "extractors_only"):
        assert data["baselines"][key]["chars_per_s"] >= 0, key
    # Exact counts are test_incremental's job (here an edit to the tree mid-run would re-run more).
    assert data["incremental"]["add_one"]["processed"] >= 1
    assert data["incremental"]["no_change"]["docs"] == 9
    for run in ("add_one", "no_change"):
        b = data["incremental"][run]["breakdown"]
        assert set(b) >= {"startup_seconds", "scan_seconds", "warm_seconds",
                          "per_doc_stage_seconds", "corpus_stage_seconds"}  # fmt: skip
    assert (out / "bench_profile.txt").read_text(encoding="utf-8").strip()
    add_profile = (out / "bench_profile_add_one.txt").read_text(encoding="utf-8")
    assert add_profile.startswith("cProfile of the corpus stages adding 1 document(s) to 8 ")
    assert "run_corpus_stages" in add_profile and data["profile_add_one"].endswith(".txt")
    assert not (out / "work" / "profile-out").exists()  # the scratch copy is removed
    # the sampled peak sees the run's process while it lives (0 only where /proc is absent)
    assert data["peak_rss_mb_sampled"] > 0 or not Path("/proc/self/stat").exists()


def test_tree_rss_counts_children_alive_at_the_same_time() -> None:
    """The sampled peak adds a child's memory to its parent's; a finished child adds none."""
    if not Path("/proc/self/stat").exists():
        pytest.skip("needs Linux /proc")
    alone = tree_rss_mb(os.getpid())
    code = (
        "import sys; b = bytearray(80 * 1024 * 1024); "
        "b[::4096] = b'x' * len(b[::4096]); sys.stdin.read()"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE)
    try:
        for _ in range(100):  # until the child has touched its 80 MB
            if tree_rss_mb(child.pid) > 80:
                break
            time.sleep(0.05)
        assert tree_rss_mb(child.pid) > 80
        assert tree_rss_mb(os.getpid()) > alone + 70
    finally:
        child.communicate(b"")
    assert tree_rss_mb(os.getpid()) < alone + 70


def test_the_added_article_is_published_after_the_corpus(tmp_path: Path) -> None:
    """The incremental run adds a new article: dated after every synthetic one, so it
    comes last in report order as fresh news does."""
    from pipeline.bench import NEW_ARTICLE_DATE, write_synthetic_corpus

    write_synthetic_corpus(tmp_path / "a", 3, None, start=10, date=NEW_ARTICLE_DATE)
    write_synthetic_corpus(tmp_path / "b", 3, None, start=10)
    fixed = sorted((tmp_path / "a").rglob("*.txt"))
    own = sorted((tmp_path / "b").rglob("*.txt"))
    assert fixed and len(fixed) == len(own)
    assert all(f"date {NEW_ARTICLE_DATE}" in p.read_text(encoding="utf-8") for p in fixed)
    assert not any(NEW_ARTICLE_DATE in p.read_text(encoding="utf-8") for p in own)
    assert all(synth_article(i, paragraph_pool(None))[1] < NEW_ARTICLE_DATE for i in range(500))
