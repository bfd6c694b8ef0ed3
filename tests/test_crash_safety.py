"""Issue 7, crashes and concurrent runs: a killed run plus a re-run equals a clean run.

Kill points are deterministic: ``tools/crashrun.py`` counts the pipeline's atomic
writes and SIGKILLs the run right after write N (or mid-write, leaving a half-written
temp file). The clean run, logged in-process, gives the list of writes to pick from:
the scan cache, each per-document stage, the manifest, every corpus output, the state.
One extra kill is time-based, as a user's Ctrl-\\ would be.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipeline import io
from pipeline.runner import run
from tests.test_robustness import ARTICLES

ROOT = Path(__file__).resolve().parent.parent
CRASHRUN = ROOT / "tools" / "crashrun.py"
TIMEOUT = 600


def make_corpus(folder: Path) -> Path:
    """The shipped sample corpus plus the team's test articles and an edited copy (~6-10 docs)."""
    folder.mkdir(parents=True)
    sample = ROOT / "corpus"
    if sample.is_dir():
        for f in sorted(sample.iterdir()):
            if f.is_file() and not f.name.startswith("."):
                shutil.copy2(f, folder / f.name)
    for i, text in enumerate(ARTICLES[:3]):
        (folder / f"article-{i}.txt").write_text(text, encoding="utf-8")
    # A copy with edits: same story, other figures (a near-duplicate, not a duplicate).
    edited = ARTICLES[0].replace("1.2萬噸", "1.5萬噸").replace("約三成", "約四成")
    (folder / "sub").mkdir()
    (folder / "sub" / "article-0-edited.txt").write_text(edited, encoding="utf-8")
    return folder


def snapshot(out: Path) -> dict[str, bytes]:
    """Every output file's bytes; bookkeeping (state/, .lock, per-document stamps) excluded.

    Stamps hold code fingerprints, which differ between two runs whenever the tree is
    edited in between; ``assert_well_formed`` checks them for consistency instead.
    """
    snap: dict[str, bytes] = {}
    for p in sorted(out.rglob("*")):
        rel = p.relative_to(out).as_posix()
        if p.is_dir() or rel == ".lock" or rel.startswith("state/") or p.name == "stamp.json":
            continue
        snap[rel] = p.read_bytes()
    return snap


def assert_well_formed(out: Path) -> None:
    """No temp file left, every JSON and JSON Lines file parses, every stamp complete."""
    for p in out.rglob("*"):
        assert not p.name.startswith(".tmp-"), p
        if p.suffix == ".json":
            json.loads(p.read_text(encoding="utf-8"))
        elif p.suffix == ".jsonl":
            for line in p.read_text(encoding="utf-8").splitlines():
                json.loads(line)
    # Every document was finished by the same code: complete, identical stamps.
    stamps = [io.read_json(d / "stamp.json") for d in sorted((out / "docs").iterdir())]
    assert stamps and all(set(s) == {"ingest", "extract", "claims", "summarize"} for s in stamps)
    assert all(s == stamps[0] for s in stamps), stamps


def assert_same(a: dict[str, bytes], b: dict[str, bytes]) -> None:
    """Byte-identical snapshots, with a readable diff of the file lists."""
    assert sorted(a) == sorted(b)
    differing = [k for k in a if a[k] != b[k]]
    assert differing == [], f"files differ: {differing}"


def cli(corpus: Path, out: Path, *extra: str) -> list[str]:
    """The pipeline command line."""
    return [sys.executable, "-m", "pipeline", "run", "--corpus", str(corpus), "--out", str(out),
            "--jobs", "1", *extra]  # fmt: skip


def crash_cmd(corpus: Path, out: Path, kill_at: int, mid_write: bool) -> list[str]:
    """The pipeline under the crash harness."""
    opts = ["--kill-at", str(kill_at)] + (["--mid-write"] if mid_write else [])
    return [sys.executable, str(CRASHRUN), *opts, "--", *cli(corpus, out)[3:]]


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, **extra}


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A clean in-process run of the test corpus, with the ordered list of its writes."""
    base = tmp_path_factory.mktemp("clean")
    corpus = make_corpus(base / "corpus")
    out = base / "out"
    writes: list[str] = []
    real = io.atomic_write_text

    def logged(path: str | os.PathLike[str], text: str) -> None:
        writes.append(Path(path).relative_to(out).as_posix())
        real(path, text)

    mp = pytest.MonkeyPatch()
    mp.setattr(io, "atomic_write_text", logged)
    try:
        summary = run(corpus, out, jobs=1)
    finally:
        mp.undo()
    assert not summary.errors, summary.errors
    return {"corpus": corpus, "out": out, "snap": snapshot(out), "writes": writes}


# (id, which write, n-th such write, kill mid-write?): one kill point per kind of write.
KILL_POINTS: list[tuple[str, Callable[[str], bool], int, bool]] = [
    ("after-scan-cache", lambda w: w == "state/scan.json", 0, False),
    ("mid-first-normalized", lambda w: w.endswith("/normalized.json"), 0, True),
    ("after-second-extracted", lambda w: w.endswith("/extracted.json"), 1, False),
    ("after-summary-page-before-stamp", lambda w: w.startswith("summaries/"), 0, False),
    ("mid-claims-jsonl", lambda w: w == "claims.jsonl", 0, True),
    ("after-reconciled", lambda w: w == "reconciled.json", 0, False),
    ("mid-report-html", lambda w: w == "report.html", 0, True),
]


def write_index(writes: list[str], pred: Callable[[str], bool], nth: int) -> int:
    """1-based index of the n-th write matching ``pred``."""
    hits = [i for i, w in enumerate(writes, 1) if pred(w)]
    assert len(hits) > nth, f"the clean run has no such write: {writes}"
    return hits[nth]


def test_clean_run_is_well_formed(clean: dict[str, Any]) -> None:
    assert_well_formed(clean["out"])
    assert clean["writes"][-1] == "state/corpus.json", clean["writes"]


@pytest.mark.parametrize("point", KILL_POINTS, ids=[k[0] for k in KILL_POINTS])
def test_kill_at_a_write_then_rerun_equals_clean_run(
    clean: dict[str, Any], tmp_path: Path, point: tuple[str, Callable[[str], bool], int, bool]
) -> None:
    label, pred, nth, mid = point
    idx = write_index(clean["writes"], pred, nth)
    out = tmp_path / "out"
    proc = subprocess.run(crash_cmd(clean["corpus"], out, idx, mid), cwd=ROOT,
                          capture_output=True, text=True, timeout=TIMEOUT)  # fmt: skip
    assert proc.returncode == -signal.SIGKILL, (label, proc.returncode, proc.stderr[-2000:])
    if mid:
        assert list(out.rglob(".tmp-*")), "the mid-write kill should leave a temp file"
    summary = run(clean["corpus"], out, jobs=1)
    assert not summary.errors, summary.errors
    assert_well_formed(out)
    assert_same(snapshot(out), clean["snap"])


def test_time_based_kill_then_cli_rerun_equals_clean_run(
    clean: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    for delay in (0.5, 2.0):
        p = subprocess.Popen(cli(clean["corpus"], out), cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
        p.wait(timeout=TIMEOUT)
    proc = subprocess.run(cli(clean["corpus"], out), cwd=ROOT, capture_output=True, text=True,
                          timeout=TIMEOUT)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert_well_formed(out)
    assert_same(snapshot(out), clean["snap"])


def test_kill_during_an_incremental_run(tmp_path: Path) -> None:
    """Crash while adding and changing files: re-run equals the uninterrupted sequence."""
    corpus = make_corpus(tmp_path / "corpus")
    ref_out, out = tmp_path / "ref", tmp_path / "out"
    assert not run(corpus, ref_out, jobs=1).errors
    shutil.copytree(ref_out, out)

    (corpus / "new.txt").write_text(ARTICLES[5], encoding="utf-8")
    (corpus / "article-1.txt").write_text(ARTICLES[1].replace("60天", "75天"), encoding="utf-8")
    writes: list[str] = []
    real = io.atomic_write_text

    def logged(path: str | os.PathLike[str], text: str) -> None:
        writes.append(Path(path).relative_to(ref_out).as_posix())
        real(path, text)

    mp = pytest.MonkeyPatch()
    mp.setattr(io, "atomic_write_text", logged)
    try:
        assert not run(corpus, ref_out, jobs=1).errors
    finally:
        mp.undo()
    ref = snapshot(ref_out)
    points = [
        i for i, w in enumerate(writes, 1) if w.endswith("extracted.json") or w == "briefing.md"
    ]
    assert points, writes
    for idx in points[:1] + points[-1:]:
        work = tmp_path / f"out-{idx}"
        shutil.copytree(out, work)
        proc = subprocess.run(crash_cmd(corpus, work, idx, False), cwd=ROOT,
                              capture_output=True, text=True, timeout=TIMEOUT)  # fmt: skip
        assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
        assert not run(corpus, work, jobs=1).errors
        assert_well_formed(work)
        assert_same(snapshot(work), ref)


# ---------------------------------------------------------------- concurrent runs


def test_two_runs_at_once_on_the_same_out(clean: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "out"
    procs = [
        subprocess.Popen(
            cli(clean["corpus"], out),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(2)
    ]
    results = [p.communicate(timeout=TIMEOUT) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert_well_formed(out)
    assert_same(snapshot(out), clean["snap"])
    # The second one found OUT locked and said it was waiting (the first holds the lock
    # for seconds while the second reaches it within milliseconds of start-up).
    assert any("waiting" in err for _, err in results), results


def test_lock_makes_the_second_run_wait_or_stop(clean: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    holder = open(out / ".lock", "a+")  # noqa: SIM115 - held across the subprocess calls
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        refused = subprocess.run(cli(clean["corpus"], out, "--no-wait"), cwd=ROOT,
                                 capture_output=True, text=True, timeout=TIMEOUT)  # fmt: skip
        assert refused.returncode == 2, refused
        assert "another pipeline run is using" in refused.stderr
        assert "Traceback" not in refused.stderr
        assert not (out / "manifest.jsonl").exists()

        err_path = tmp_path / "waiter.err"
        with open(err_path, "w") as err:
            waiter = subprocess.Popen(cli(clean["corpus"], out), cwd=ROOT,
                                      stdout=subprocess.DEVNULL, stderr=err)  # fmt: skip
            deadline = time.monotonic() + 120
            while "waiting" not in err_path.read_text() and time.monotonic() < deadline:
                assert waiter.poll() is None, "the second run must wait, not exit"
                time.sleep(0.1)
            assert "waiting" in err_path.read_text()
            assert waiter.poll() is None
            assert not (out / "manifest.jsonl").exists(), "a waiting run must not write"
    finally:
        holder.close()
    assert waiter.wait(timeout=TIMEOUT) == 0, err_path.read_text()
    assert_same(snapshot(out), clean["snap"])


# ---------------------------------------------------------------- determinism and isolation


def test_two_clean_runs_are_byte_identical(clean: dict[str, Any], tmp_path: Path) -> None:
    """Other folder names, other hash seeds, two workers: same bytes."""
    corpus = tmp_path / "elsewhere" / "my corpus"
    shutil.copytree(clean["corpus"], corpus)
    outs = []
    for seed, jobs in (("1", "1"), ("2", "2")):
        out = tmp_path / f"out-{seed}"
        cmd = cli(corpus, out)
        cmd[cmd.index("--jobs") + 1] = jobs
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT,
                              env=_env(PYTHONHASHSEED=seed))  # fmt: skip
        assert proc.returncode == 0, proc.stdout + proc.stderr
        outs.append(snapshot(out))
    assert_same(outs[0], outs[1])
    assert_same(outs[0], clean["snap"])


def _tree_state(folder: Path) -> dict[str, tuple[int, int, str]]:
    """(size, mtime_ns, sha256) of every entry under ``folder``."""
    state = {}
    for p in sorted(folder.rglob("*")):
        st = p.lstat()
        digest = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else ""
        state[p.relative_to(folder).as_posix()] = (st.st_size, st.st_mtime_ns, digest)
    return state


def test_nothing_is_written_outside_out(clean: dict[str, Any], tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(clean["corpus"], corpus)
    tmpdir, home = tmp_path / "tmpdir", tmp_path / "home"
    tmpdir.mkdir()
    home.mkdir()
    before = _tree_state(corpus)
    siblings = sorted(p.name for p in tmp_path.iterdir())
    proc = subprocess.run(cli(corpus, tmp_path / "out"), cwd=ROOT, capture_output=True, text=True,
                          timeout=TIMEOUT, env=_env(TMPDIR=str(tmpdir), HOME=str(home)))  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert _tree_state(corpus) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*siblings, "out"])
    assert list(tmpdir.iterdir()) == [] and list(home.iterdir()) == []


def test_out_inside_corpus_is_refused(clean: dict[str, Any], tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(clean["corpus"], corpus)
    proc = subprocess.run(cli(corpus, corpus / "out"), cwd=ROOT, capture_output=True, text=True,
                          timeout=TIMEOUT)  # fmt: skip
    assert proc.returncode == 2 and "must not be inside CORPUS" in proc.stderr
    assert not (corpus / "out").exists()


def test_no_network_access_during_a_run(clean: dict[str, Any], tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    summary = run(clean["corpus"], tmp_path / "out", jobs=1, force=True)
    assert not summary.errors, summary.errors
    assert_same(snapshot(tmp_path / "out"), clean["snap"])
