"""Issue 8, corpus stages at scale: what a run reads, and outputs equal to a clean run.

Reads are counted by wrapping ``open`` (every JSON read goes through it), never timed:
adding one document must read that document's files only, and a run with nothing
changed must open no per-document file at all.
"""

from __future__ import annotations

import builtins
import random
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from pipeline import corpus as corpus_mod
from pipeline import io
from pipeline.runner import STAMPS_FILE, run
from tests.test_robustness import ARTICLES

ROOT = Path(__file__).resolve().parent.parent
CORPUS_FILES = ("claims.jsonl", "reconciled.json", "reconciled.md", "briefing.md", "report.html")


def _corpus(folder: Path, n: int = 4) -> Path:
    """A few of the team's test articles."""
    folder.mkdir(parents=True)
    for i in range(n):
        (folder / f"a{i}.txt").write_text(ARTICLES[i], encoding="utf-8")
    return folder


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """Paths passed to ``open`` while the test runs."""
    seen: list[Path] = []
    real = builtins.open

    def spy(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, (str, Path)):
            seen.append(Path(file))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    yield seen


def _doc_files(paths: list[Path], out: Path) -> dict[str, set[str]]:
    """doc id -> names of its files under OUT/docs that were opened."""
    res: dict[str, set[str]] = {}
    docs = (out / "docs").resolve()
    for p in paths:
        p = p.resolve()
        if p.is_relative_to(docs):
            doc_id, *rest = p.relative_to(docs).parts
            res.setdefault(doc_id, set()).add("/".join(rest))
    return res


def _snap(out: Path) -> dict[str, bytes]:
    """The corpus-level outputs' bytes."""
    return {f: (out / f).read_bytes() for f in CORPUS_FILES}


def test_adding_one_document_reads_only_that_document(tmp_path: Path, opened: list[Path]) -> None:
    corpus, out = _corpus(tmp_path / "corpus"), tmp_path / "out"
    assert not run(corpus, out, jobs=1).errors
    (corpus / "new.txt").write_text(ARTICLES[4], encoding="utf-8")
    opened.clear()
    s = run(corpus, out, jobs=1)
    assert s.processed == 1 and s.corpus_stages_ran and not s.errors
    new_id = next(
        r["doc_id"] for r in io.read_jsonl(out / "manifest.jsonl") if r["path"] == "new.txt"
    )
    touched = _doc_files(opened, out)
    assert set(touched) == {new_id}, touched
    # ... and the outputs equal those of a clean run on the same corpus (but for the
    # briefing's "what is new", which differs by design: the clean run is a first run).
    clean = tmp_path / "clean"
    assert not run(corpus, clean, jobs=1).errors
    a, b = _snap(out), _snap(clean)
    new_section = "## 新增".encode()
    a["briefing.md"] = a["briefing.md"].split(new_section)[0]
    b["briefing.md"] = b["briefing.md"].split(new_section)[0]
    assert a == b


def test_nothing_changed_opens_no_per_document_file(tmp_path: Path, opened: list[Path]) -> None:
    corpus, out = _corpus(tmp_path / "corpus"), tmp_path / "out"
    assert not run(corpus, out, jobs=1).errors
    opened.clear()
    s = run(corpus, out, jobs=1)
    assert (s.processed, s.corpus_stages_ran) == (0, False)
    assert _doc_files(opened, out) == {}
    assert not any(p.name == "digests.sqlite" for p in opened)


def test_corpus_stages_rerun_without_stamp_reads(tmp_path: Path, opened: list[Path]) -> None:
    """Forced corpus stages take stamps and digests from the state, not from documents."""
    corpus, out = _corpus(tmp_path / "corpus"), tmp_path / "out"
    assert not run(corpus, out, jobs=1).errors
    before = _snap(out)
    stamps = io.read_json(out / STAMPS_FILE)["stamps"]
    opened.clear()
    assert corpus_mod.run_corpus_stages(out, sorted(stamps), force=True, stamps=stamps)
    assert _doc_files(opened, out) == {}
    assert _snap(out) == before


def test_lost_or_corrupt_caches_give_the_same_outputs(tmp_path: Path) -> None:
    corpus, out = _corpus(tmp_path / "corpus"), tmp_path / "out"
    assert not run(corpus, out, jobs=1).errors
    before = _snap(out)
    db = out / corpus_mod.DIGEST_DB
    db.write_bytes(b"not a database at all" * 100)
    Path(f"{db}-wal").write_bytes(b"a stale log" * 100)  # removed with the file it belonged to
    (out / STAMPS_FILE).write_text("{", encoding="utf-8")
    assert not run(corpus, out, jobs=1, force=True).errors
    assert _snap(out) == before
    (out / STAMPS_FILE).unlink()
    db.unlink()
    s = run(corpus, out, jobs=1)
    assert s.processed == 0 and not s.errors
    assert _snap(out) == before


def test_stale_digest_rows_are_rebuilt_and_removed_ones_dropped(tmp_path: Path) -> None:
    corpus, out = _corpus(tmp_path / "corpus"), tmp_path / "out"
    assert not run(corpus, out, jobs=1).errors
    before = _snap(out)
    with sqlite3.connect(out / corpus_mod.DIGEST_DB) as con:
        # A row from other code: a wrong key must not be trusted.
        con.execute("UPDATE digests SET key = 'old', claims = ''")
        con.execute("UPDATE compact SET compact = '{}'")
    stamps = io.read_json(out / STAMPS_FILE)["stamps"]
    assert corpus_mod.run_corpus_stages(out, sorted(stamps), force=True, stamps=stamps)
    assert _snap(out) == before
    with sqlite3.connect(out / corpus_mod.DIGEST_DB) as con:
        # a compact row lost (its digest row still current) is rebuilt too
        con.execute("DELETE FROM compact WHERE doc_id = (SELECT MIN(doc_id) FROM compact)")
    assert corpus_mod.run_corpus_stages(out, sorted(stamps), force=True, stamps=stamps)
    assert _snap(out) == before
    (corpus / "a0.txt").unlink()
    assert not run(corpus, out, jobs=1).errors
    with sqlite3.connect(out / corpus_mod.DIGEST_DB) as con:
        n = con.execute("SELECT COUNT(*) FROM digests").fetchone()[0]
        m = con.execute("SELECT COUNT(*) FROM compact").fetchone()[0]
    assert n == m == 3


def test_digest_store_of_an_older_layout_is_rebuilt(tmp_path: Path) -> None:
    """A state file from code before the compact index (other columns, no version)."""
    corpus, out = _corpus(tmp_path / "corpus"), tmp_path / "out"
    assert not run(corpus, out, jobs=1).errors
    before = _snap(out)
    db = out / corpus_mod.DIGEST_DB
    db.unlink()
    with sqlite3.connect(db) as con:
        con.execute(
            "CREATE TABLE digests (doc_id TEXT PRIMARY KEY, key TEXT NOT NULL, "
            "claims TEXT NOT NULL, digest TEXT NOT NULL, body TEXT NOT NULL)"
        )
        con.execute("INSERT INTO digests VALUES ('x', 'k', '', '{}', '')")
    stamps = io.read_json(out / STAMPS_FILE)["stamps"]
    assert corpus_mod.run_corpus_stages(out, sorted(stamps), force=True, stamps=stamps)
    assert _snap(out) == before
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == corpus_mod.DIGEST_VERSION
        assert con.execute("SELECT COUNT(*) FROM digests").fetchone()[0] == 4


def test_killed_document_loses_its_cached_stamp_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a document is redone, the stamp cache no longer vouches for it."""
    from pipeline import runner

    corpus, out = _corpus(tmp_path / "corpus"), tmp_path / "out"
    assert not run(corpus, out, jobs=1).errors
    (corpus / "a1.txt").write_text(ARTICLES[1] + "\n補充：另有新數字約三成。\n", encoding="utf-8")
    seen: list[set[str]] = []
    real = runner.process_doc

    def spy(task: runner.DocTask) -> runner.DocResult:
        seen.append(set(io.read_json(out / STAMPS_FILE)["stamps"]))
        assert task.doc_id not in seen[-1]
        return real(task)

    monkeypatch.setattr(runner, "process_doc", spy)
    assert not run(corpus, out, jobs=1).errors
    assert len(seen) == 1


def test_reconciled_json_parses_to_the_same_object(tmp_path: Path) -> None:
    rec = {"schema": "x/1", "groups": [{"a": 1}, {"b": [1, 2]}], "n_claims": 2}
    text = corpus_mod.dumps_groups(rec)
    assert io.read_json(_write(tmp_path / "r.json", text)) == rec
    assert '{"a":1},\n{"b":[1,2]}\n' in text  # one group a line
    empty = {"schema": "x/1", "groups": [], "n_claims": 0}
    assert io.read_json(_write(tmp_path / "e.json", corpus_mod.dumps_groups(empty))) == empty


def _write(p: Path, text: str) -> Path:
    """Write and return the path."""
    p.write_text(text, encoding="utf-8")
    return p


def test_old_out_without_state_files_still_works(tmp_path: Path) -> None:
    """An OUT made before the stamp cache and digests existed is brought up to date."""
    corpus, out = _corpus(tmp_path / "corpus"), tmp_path / "out"
    assert not run(corpus, out, jobs=1).errors
    before = _snap(out)
    shutil.rmtree(out / "state")
    s = run(corpus, out, jobs=1)
    assert s.processed == 0 and not s.errors
    assert _snap(out) == before


def test_adding_one_document_reconciles_only_the_groups_it_touches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reconciled groups, their lines, markdown and facts come from the memo unless their
    members changed; the memo keeps one row of each kind per current group."""
    from pipeline.reconcile import core

    corpus, out = _corpus(tmp_path / "corpus"), tmp_path / "out"
    assert not run(corpus, out, jobs=1).errors
    calls: list[tuple[Any, ...]] = []
    real = core._group

    def spy(key: tuple[Any, ...], *args: Any) -> dict[str, Any]:
        calls.append(key)
        return real(key, *args)

    monkeypatch.setattr(core, "_group", spy)
    (corpus / "new.txt").write_text(ARTICLES[4], encoding="utf-8")
    assert not run(corpus, out, jobs=1).errors
    rec = io.read_json(out / "reconciled.json")
    new_id = next(
        r["doc_id"] for r in io.read_jsonl(out / "manifest.jsonl") if r["path"] == "new.txt"
    )
    touched = {
        tuple(g["key"][k] for k in ("metric", "subject", "object", "commodity"))
        for g in rec["groups"]
        if any(
            c["doc_id"] == new_id
            for part in ("periods", "targets", "scenarios")
            for sec in g[part]
            for c in sec["claims"]
        )
    }
    assert touched and set(calls) == touched
    assert len(calls) < len(rec["groups"])
    with sqlite3.connect(out / corpus_mod.DIGEST_DB) as con:
        rows = dict(con.execute("SELECT kind, COUNT(*) FROM memo GROUP BY kind").fetchall())
    kinds = ("fact", "factsum", "group", "gmeta", "line", "markdown", "section")
    assert rows == {**{k: len(rec["groups"]) for k in kinds}, "docsec": len(stamps_of(out))}


def stamps_of(out: Path) -> dict[str, Any]:
    """The runner's stamps of every document."""
    stamps: dict[str, Any] = io.read_json(out / STAMPS_FILE)["stamps"]
    return stamps


def test_document_sections_are_made_only_for_new_or_changed_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document shown in full keeps its section from the memo; only a new or edited
    one is rendered (and only its text is read), and the report equals a clean run's."""
    from pipeline.report import html as html_mod

    made: list[str] = []
    real = html_mod._doc_section

    def spy(doc_id: str, *args: Any) -> str:
        made.append(doc_id)
        return real(doc_id, *args)

    monkeypatch.setattr(html_mod, "_doc_section", spy)
    corpus, out = _corpus(tmp_path / "corpus"), tmp_path / "out"
    assert not run(corpus, out, jobs=1).errors
    assert len(made) == len(stamps_of(out))
    made.clear()
    stamps = stamps_of(out)
    assert corpus_mod.run_corpus_stages(out, sorted(stamps), force=True, stamps=stamps)
    assert made == []
    (corpus / "a1.txt").write_text(ARTICLES[1] + "\n補充：另有新數字約三成。\n", encoding="utf-8")
    (corpus / "new.txt").write_text(ARTICLES[4], encoding="utf-8")
    assert not run(corpus, out, jobs=1).errors
    manifest = {r["path"]: r["doc_id"] for r in io.read_jsonl(out / "manifest.jsonl")}
    assert sorted(made) == sorted({manifest["a1.txt"], manifest["new.txt"]})
    clean = tmp_path / "clean"
    assert not run(corpus, clean, jobs=1).errors
    assert (out / "report.html").read_bytes() == (clean / "report.html").read_bytes()


def test_report_sections_are_redone_when_their_documents_leave_the_full_view(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cached fact section links into documents shown in full; when a newer document
    pushes one of them into the index, the sections linking to it are made again."""
    from pipeline.report import html as html_mod

    monkeypatch.setattr(html_mod, "FULL_DOCS", 2)
    made: list[str] = []
    real = html_mod.fact_section

    def spy(fact: Any, *args: Any) -> tuple[str, list[str]]:
        text, docs = real(fact, *args)
        made.append(str(fact["metric"]))
        return text, docs

    monkeypatch.setattr(html_mod, "fact_section", spy)
    corpus, out = _corpus(tmp_path / "corpus"), tmp_path / "out"
    assert not run(corpus, out, jobs=1).errors
    n_sections = len(made)
    assert n_sections > 2
    made.clear()
    stamps = io.read_json(out / STAMPS_FILE)["stamps"]
    assert corpus_mod.run_corpus_stages(out, sorted(stamps), force=True, stamps=stamps)
    assert made == []  # nothing changed: every section from the memo
    # a newer copy of the 2025-05-20 article: it is shown in full, the 2025-09-18 one not
    newer = ARTICLES[2].replace("2025年5月20日", "2026年1月5日")
    (corpus / "newer.txt").write_text(newer, encoding="utf-8")
    assert not run(corpus, out, jobs=1).errors
    assert 0 < len(made) < n_sections + 2
    clean = tmp_path / "clean"
    assert not run(corpus, clean, jobs=1).errors
    assert (out / "report.html").read_bytes() == (clean / "report.html").read_bytes()


def test_stored_entity_ranking_equals_rank_entities(tmp_path: Path) -> None:
    """The SQL ranking gives rank_entities' order, names and counts, and the latest
    documents the report links to (ties, undated documents and CJK ids included)."""
    from pipeline.report.briefing import rank_entities

    rng = random.Random(8)
    ids = ["rare earths", "China", "中國", "日本", "Japan", "稀土", "鏑", "Dy", "a", "b"]
    counts: dict[str, list[list[Any]]] = {}
    published: dict[str, str] = {}
    for i in range(80):
        d = f"{rng.randrange(16**6):06x}{i:02d}"
        published[d] = rng.choice(["", "2025-01-02", "2025-03", "2026-05-01", "2026-05-01"])
        picked = rng.sample(ids, rng.randrange(0, len(ids)))
        # the same id under another name in another document: the first by id names it
        counts[d] = [
            [e, f"{e}-{d[:2]}", rng.choice(["GPE", "ORG"]), rng.randrange(1, 4)] for e in picked
        ]
    with closing(corpus_mod.DigestStore(tmp_path)) as store, store.db:
        store.db.executemany(
            "INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?)",
            [(d, *e, published[d]) for d, es in counts.items() for e in es],
        )
        got = store.rank_entities(7, 5)
    want = rank_entities(counts, 7)
    latest = sorted(counts, key=lambda d: (published[d], d), reverse=True)
    assert [g["id"] for g in got] == [w["id"] for w in want]
    for g, w in zip(got, want, strict=True):
        assert {k: g[k] for k in ("name", "type", "mentions", "documents")} == {
            k: w[k] for k in ("name", "type", "mentions", "documents")
        }
        assert g["doc_ids"] == sorted([d for d in latest if d in set(w["doc_ids"])][:5])
    assert any(w["documents"] > 5 for w in want)  # the links are cut for some
