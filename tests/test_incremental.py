"""Issue 2, incremental runs: no change, add, change, delete, code/data change, force.

"Rewritten" is read from each file's (inode, mtime): every output is written by a temp
file and a rename, so a rewrite always gets a new inode, and an untouched file keeps both.

Code and data changes never touch the real tree: the ``frozen_pkg`` fixture copies the
package to a temp folder and points ``pipeline.fingerprint`` (``PKG``, ``DATA``) at the
copy, clearing the fingerprint cache; the test then edits the copy. The code that runs is
still the real one; only the fingerprints the runner compares come from the copy. This
also keeps the fingerprints steady while other people edit the real tree.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from pipeline import fingerprint, io, runner
from pipeline.runner import RunSummary, run
from tests.test_robustness import ARTICLES

ROOT = Path(__file__).resolve().parent.parent
STAGE_FILE = {"ingest": "normalized.json", "extract": "extracted.json",
              "claims": "claims.json", "summarize": "summary.json"}  # fmt: skip
CORPUS_FILES = ("claims.jsonl", "reconciled.json", "reconciled.md", "briefing.md", "report.html")


@pytest.fixture
def frozen_pkg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A private copy of the package that the stage fingerprints are computed from."""
    pkg = tmp_path / "pkgcopy"
    shutil.copytree(fingerprint.PKG, pkg, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    monkeypatch.setattr(fingerprint, "PKG", pkg)
    monkeypatch.setattr(fingerprint, "DATA", pkg / "data")
    fingerprint.stage_fingerprint.cache_clear()
    yield pkg
    fingerprint.stage_fingerprint.cache_clear()


@pytest.fixture
def corpus(tmp_path: Path, frozen_pkg: Path) -> Path:
    """A copy of the shipped sample corpus plus three of the team's test articles."""
    c = tmp_path / "corpus"
    c.mkdir()
    sample = ROOT / "corpus"
    if sample.is_dir():
        for f in sorted(sample.iterdir()):
            if f.is_file() and not f.name.startswith("."):
                shutil.copy2(f, c / f.name)
    for i in range(3):
        (c / f"article-{i}.txt").write_text(ARTICLES[i], encoding="utf-8")
    return c


def marks(out: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime_ns) of every per-document output file."""
    res = {}
    for sub in ("docs", "summaries"):
        for p in sorted((out / sub).rglob("*")):
            if p.is_file():
                st = p.stat()
                res[p.relative_to(out).as_posix()] = (st.st_ino, st.st_mtime_ns)
    return res


def corpus_marks(out: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime_ns) of the corpus-level outputs."""
    return {f: ((out / f).stat().st_ino, (out / f).stat().st_mtime_ns) for f in CORPUS_FILES}


def doc_ids(out: Path) -> dict[str, str]:
    """path -> doc_id from the manifest."""
    return {r["path"]: r["doc_id"] for r in io.read_jsonl(out / "manifest.jsonl")}


def rerun_stages(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]],
                 doc_id: str) -> list[str]:  # fmt: skip
    """The per-document stages whose output file of ``doc_id`` was rewritten."""
    return [s for s, f in STAGE_FILE.items()
            if before.get(f"docs/{doc_id}/{f}") != after.get(f"docs/{doc_id}/{f}")]  # fmt: skip


def first_run(corpus: Path, out: Path) -> RunSummary:
    """A clean full run that must succeed."""
    summary = run(corpus, out, jobs=1)
    assert not summary.errors, summary.errors
    assert summary.processed == summary.docs > 0
    assert summary.corpus_stages_ran
    return summary


def test_nothing_changed_does_no_work_and_says_so(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    s1 = first_run(corpus, out)
    before, before_corpus = marks(out), corpus_marks(out)

    def no_read(path: Path) -> str:
        raise AssertionError(f"an unchanged file was re-read: {path}")

    monkeypatch.setattr(runner, "_sha256_file", no_read)
    s2 = run(corpus, out, jobs=1)
    assert (s2.processed, s2.removed, s2.unchanged, s2.errors) == (0, 0, s1.docs, [])
    assert not s2.corpus_stages_ran
    lines = s2.lines()
    assert any("nothing changed" in line for line in lines), lines
    assert any("up to date" in line for line in lines), lines
    assert marks(out) == before
    assert corpus_marks(out) == before_corpus


def test_added_file_is_the_only_one_processed(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    s1 = first_run(corpus, out)
    before = marks(out)
    (corpus / "added.txt").write_text(ARTICLES[3], encoding="utf-8")
    s2 = run(corpus, out, jobs=1)
    assert (s2.processed, s2.removed, s2.unchanged) == (1, 0, s1.docs)
    assert s2.docs == s1.docs + 1 and s2.corpus_stages_ran
    after = marks(out)
    assert {k: v for k, v in after.items() if k in before} == before  # old docs untouched
    new_id = doc_ids(out)["added.txt"]
    assert (out / "docs" / new_id / "summary.json").is_file()
    assert new_id in {c["doc_id"] for c in io.read_jsonl(out / "claims.jsonl")}


def test_changed_file_is_reprocessed_and_its_old_outputs_removed(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first_run(corpus, out)
    old_id = doc_ids(out)["article-1.txt"]
    before = marks(out)
    (corpus / "article-1.txt").write_text(ARTICLES[1].replace("90天", "120天"), encoding="utf-8")
    s2 = run(corpus, out, jobs=1)
    assert (s2.processed, s2.removed, s2.errors) == (1, 1, [])
    new_id = doc_ids(out)["article-1.txt"]
    assert new_id != old_id
    assert not (out / "docs" / old_id).exists()
    assert not (out / "summaries" / f"{old_id}.md").exists()
    assert "120天" in io.read_json(out / "docs" / new_id / "normalized.json")["text"]
    assert old_id not in {c["doc_id"] for c in io.read_jsonl(out / "claims.jsonl")}
    after = marks(out)
    assert {k: v for k, v in after.items() if k in before} == {
        k: v for k, v in before.items() if old_id not in k
    }


def test_deleted_file_outputs_are_removed(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    s1 = first_run(corpus, out)
    gone = doc_ids(out)["article-2.txt"]
    (corpus / "article-2.txt").unlink()
    s2 = run(corpus, out, jobs=1)
    assert (s2.processed, s2.removed, s2.docs) == (0, 1, s1.docs - 1)
    assert s2.corpus_stages_ran
    assert not (out / "docs" / gone).exists()
    assert not (out / "summaries" / f"{gone}.md").exists()
    assert "article-2.txt" not in doc_ids(out)
    assert gone not in {c["doc_id"] for c in io.read_jsonl(out / "claims.jsonl")}
    assert gone not in (out / "report.html").read_text(encoding="utf-8")


def _append(path: Path, text: str) -> None:
    """Append to (or create) a file of the package copy."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(text)


# (file of the package copy to edit, per-document stages that must re-run, corpus stages re-run?)
CODE_CHANGES = [
    ("claims/__init__.py", ["claims", "summarize"], True),
    ("extract/quantities.py", ["extract", "claims", "summarize"], True),
    ("normalize/__init__.py", ["ingest", "extract", "claims", "summarize"], True),
    ("data/metrics_zz_test.json", ["claims", "summarize"], True),
    ("data/zz_unclaimed_test.json", ["ingest", "extract", "claims", "summarize"], True),
    ("report/summaries.py", ["summarize"], True),
    ("report/html.py", [], True),
    ("reconcile/__init__.py", [], True),
    ("eval/score.py", [], False),
]


@pytest.mark.parametrize(
    "rel, stages, corpus_rerun", CODE_CHANGES, ids=[c[0] for c in CODE_CHANGES]
)
def test_code_or_data_change_reruns_that_stage_and_later_ones(
    corpus: Path, tmp_path: Path, frozen_pkg: Path, rel: str, stages: list[str], corpus_rerun: bool
) -> None:
    out = tmp_path / "out"
    s1 = first_run(corpus, out)
    before, before_corpus = marks(out), corpus_marks(out)
    snap = {k: (out / k).read_bytes() for k in before if not k.endswith("stamp.json")}

    _append(frozen_pkg / rel, "{}\n" if rel.endswith(".json") else "\n# edited by the test\n")
    if rel.endswith(".json"):
        (frozen_pkg / rel).write_text("{}\n", encoding="utf-8")
    fingerprint.stage_fingerprint.cache_clear()

    s2 = run(corpus, out, jobs=1)
    assert s2.errors == []
    assert s2.processed == (s1.docs if stages else 0)
    after = marks(out)
    for doc_id in sorted(set(doc_ids(out).values())):
        assert rerun_stages(before, after, doc_id) == stages, doc_id
        stamp = io.read_json(out / "docs" / doc_id / "stamp.json")
        assert stamp == {s: fingerprint.stage_fingerprint(s) for s in STAGE_FILE}
    assert s2.corpus_stages_ran == corpus_rerun
    assert (corpus_marks(out) != before_corpus) == corpus_rerun
    # The code that ran did not change, so neither did the outputs' bytes.
    assert {k: (out / k).read_bytes() for k in snap} == snap

    s3 = run(corpus, out, jobs=1)  # and after that, nothing to do
    assert (s3.processed, s3.corpus_stages_ran) == (0, False)


def test_force_redoes_everything_with_the_same_bytes(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    s1 = first_run(corpus, out)
    before, before_corpus = marks(out), corpus_marks(out)
    snap = {k: (out / k).read_bytes() for k in [*before, *CORPUS_FILES]}
    s2 = run(corpus, out, jobs=1, force=True)
    assert (s2.processed, s2.errors, s2.corpus_stages_ran) == (s1.docs, [], True)
    after = marks(out)
    for doc_id in set(doc_ids(out).values()):
        assert rerun_stages(before, after, doc_id) == list(STAGE_FILE)
    assert all(corpus_marks(out)[f] != before_corpus[f] for f in CORPUS_FILES)
    assert {k: (out / k).read_bytes() for k in snap} == snap


def test_extract_only_then_full_run_continues_where_it_stopped(
    corpus: Path, tmp_path: Path
) -> None:
    """``make extract`` then ``make``: the second run does only claims, summaries, corpus stages."""
    out = tmp_path / "out"
    s1 = run(corpus, out, jobs=1, until="extract")
    assert not s1.errors and not s1.corpus_stages_ran
    assert not (out / "claims.jsonl").exists()
    before = marks(out)
    s2 = run(corpus, out, jobs=1)
    assert s2.processed == s1.docs and s2.corpus_stages_ran
    for doc_id in set(doc_ids(out).values()):
        assert rerun_stages(before, marks(out), doc_id) == ["claims", "summarize"]
