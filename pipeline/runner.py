"""Run the pipeline over a corpus folder: scan, per-document stages, corpus stages.

Incremental by content: a document is identified by the sha256 of its bytes, and each
per-document output carries a stamp of the stage fingerprints that produced it, so a
re-run does only the work whose inputs (file bytes, code, data) changed. All writes are
atomic, a lock keeps concurrent runs apart, and one bad file never stops the others.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import stat
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from pipeline import io
from pipeline.fingerprint import PER_DOC, stage_fingerprint
from pipeline.records import doc_id_for

SUPPORTED = {".txt", ".md", ".html", ".htm", ".pdf"}
DEFAULT_MAX_BYTES = 20_000_000


@dataclass
class FileEntry:
    """One file met while scanning the corpus."""

    rel: str
    path: Path
    sha256: str | None = None
    status: str = "ok"  # ok | duplicate | error | skipped
    error: str | None = None
    stage: str | None = None
    duplicate_of: str | None = None

    @property
    def doc_id(self) -> str | None:
        """Content-hash id, when the bytes could be read."""
        return doc_id_for(self.sha256) if self.sha256 else None


@dataclass
class DocTask:
    """Per-document work order sent to a worker."""

    doc_id: str
    sha256: str
    path: str
    rel: str
    paths: list[str]
    out: str
    force: bool
    until: str = "summarize"


@dataclass
class DocResult:
    """What a worker did for one document."""

    doc_id: str
    ran: list[str] = field(default_factory=list)
    error: tuple[str, str] | None = None  # (stage, reason)


@dataclass
class RunSummary:
    """Counts and failures of one run, printed at the end and used for the exit code."""

    files: int = 0
    docs: int = 0
    processed: int = 0
    unchanged: int = 0
    removed: int = 0
    corpus_stages_ran: bool = False
    errors: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """Human-readable run report."""
        out = [
            f"{self.files} file(s), {self.docs} document(s): {self.processed} processed, "
            f"{self.unchanged} unchanged, {self.removed} removed outputs"
        ]
        if self.processed == 0 and self.removed == 0:
            out.append("nothing changed: no per-document work done")
        if not self.corpus_stages_ran:
            out.append("corpus stages (reconcile, report) up to date")
        for e in self.errors:
            out.append(f"FAILED {e['file']} [{e['stage']}]: {e['reason']}")
        out.append(f"done in {self.seconds:.2f}s")
        return out


# ---------------------------------------------------------------- locking and scan


@contextmanager
def run_lock(out: Path, wait: bool = True) -> Iterator[None]:
    """Hold an exclusive lock on OUT for the whole run; wait (saying so) or refuse."""
    out.mkdir(parents=True, exist_ok=True)
    fh = open(out / ".lock", "a+")  # noqa: SIM115 - held for the whole run
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise RuntimeError(
                    f"another pipeline run is using {out}; try again when it finishes"
                ) from None
            print(
                f"another pipeline run is using {out}; waiting for it to finish…", file=sys.stderr
            )
            fcntl.flock(fh, fcntl.LOCK_EX)
        yield
    finally:
        fh.close()


def _sweep_temp_files(out: Path, deep: bool = True) -> None:
    """Remove temp files a killed run may have left behind.

    ``deep=False`` looks only in OUT's own folders (not in each document's): a document a
    run was writing to lost its cached stamp first, so the next run sweeps it on its own
    (``_sweep_dir``); walking 10,000 document folders would cost more than the whole
    no-change run may.
    """
    if deep:
        for p in out.rglob(".tmp-*"):
            _remove(p)
        return
    for d in (out, out / "state", out / "summaries", out / "docs"):
        _sweep_dir(d)


def _sweep_dir(d: Path) -> None:
    """Remove the temp files directly inside one folder."""
    try:
        with os.scandir(d) as it:
            names = [e.name for e in it if e.name.startswith(".tmp-")]
    except OSError:
        return
    for name in names:
        _remove(d / name)


def _sha256_file(path: Path) -> str:
    """sha256 of a file's bytes, streamed."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def display_name(rel: Path) -> str:
    """The path as printable UTF-8: bytes that are not UTF-8 shown as \\xNN escapes."""
    return os.fsencode(rel).decode("utf-8", "backslashreplace")


def scan(corpus: Path, out: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> list[FileEntry]:
    """List corpus files (sorted, no hidden files, no symlinks leaving the corpus) with hashes.

    Hashes are cached by (size, mtime_ns) in ``OUT/state/scan.json`` so an unchanged
    corpus is not re-read.
    """
    corpus = corpus.resolve()
    cache_path = out / "state" / "scan.json"
    try:
        cache: dict[str, list[Any]] = io.read_json(cache_path)
    except (OSError, ValueError):
        cache = {}
    new_cache: dict[str, list[Any]] = {}
    entries: list[FileEntry] = []
    # Plain strings and one lstat per file: at 10,000 files, pathlib's per-call cost is
    # most of a no-change run.
    for dirpath, dirnames, filenames in os.walk(corpus, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel_dir = os.path.relpath(dirpath, corpus)
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            full = os.path.join(dirpath, name)
            path = Path(full)
            rel = display_name(Path(name if rel_dir == "." else os.path.join(rel_dir, name)))
            entry = FileEntry(rel=rel, path=path)
            entries.append(entry)
            st_or_none: os.stat_result | None
            try:
                st_or_none = os.lstat(full)
            except OSError:
                st_or_none = None
            if st_or_none is not None and stat.S_ISLNK(st_or_none.st_mode):
                target = path.resolve()
                if not target.is_relative_to(corpus):
                    entry.status, entry.stage = "error", "scan"
                    entry.error = "symbolic link pointing outside the corpus; not followed"
                    continue
                try:
                    st_or_none = os.stat(full)
                except OSError:
                    st_or_none = None
            if st_or_none is None or not stat.S_ISREG(st_or_none.st_mode):
                # FIFOs, sockets and devices would block or never end when read.
                entry.status, entry.stage = "error", "scan"
                entry.error = "not a regular file (pipe, device or broken link); not read"
                continue
            suffix = os.path.splitext(name)[1]
            if suffix.lower() not in SUPPORTED:
                entry.status = "skipped"
                entry.error = f"unsupported file type {path.suffix or '(none)'}; not read"
                continue
            st = st_or_none
            if st.st_size > max_bytes:
                entry.status, entry.stage = "error", "scan"
                entry.error = (
                    f"file is {st.st_size:,} bytes, over the size limit of {max_bytes:,} bytes "
                    "(raise it with MAX_BYTES=…)"
                )
                continue
            key = [st.st_size, st.st_mtime_ns]
            cached = cache.get(rel)
            if cached and cached[:2] == key:
                entry.sha256 = cached[2]
            else:
                try:
                    entry.sha256 = _sha256_file(path)
                except OSError as exc:
                    entry.status, entry.stage = "error", "scan"
                    entry.error = f"cannot read the file: {exc.strerror or exc}"
                    continue
            new_cache[rel] = [*key, entry.sha256]
    entries.sort(key=lambda e: e.rel)
    if new_cache != cache or not cache_path.exists():
        io.write_json(cache_path, new_cache)
    return entries


# ---------------------------------------------------------------- per-document work


def doc_dir(out: Path, doc_id: str) -> Path:
    """Folder of one document's outputs."""
    return out / "docs" / doc_id


def _read_stamp(d: Path) -> dict[str, str]:
    """Stage fingerprints that produced the outputs in ``d``."""
    try:
        stamp: dict[str, str] = io.read_json(d / "stamp.json")
        return stamp
    except (OSError, ValueError):
        return {}


STAGE_FILES = {
    "ingest": "normalized.json",
    "extract": "extracted.json",
    "claims": "claims.json",
    "summarize": "summary.json",
}


def stale_stages(
    out: Path, doc_id: str, force: bool = False, until: str = "summarize"
) -> list[str]:
    """Per-document stages (up to ``until``) whose output is missing or was made by other code."""
    wanted = list(PER_DOC[: PER_DOC.index(until) + 1])
    if force:
        return wanted
    d = doc_dir(out, doc_id)
    stamp = _read_stamp(d)
    for i, stage in enumerate(wanted):
        if stamp.get(stage) != stage_fingerprint(stage) or not (d / STAGE_FILES[stage]).exists():
            return wanted[i:]
    return []


def stale_by_stamp(stamp: dict[str, str], force: bool = False, until: str = "summarize") -> bool:
    """Whether a cached stamp leaves a stage (up to ``until``) to do."""
    wanted = PER_DOC[: PER_DOC.index(until) + 1]
    return force or any(stamp.get(s) != stage_fingerprint(s) for s in wanted)


# ---------------------------------------------------------------- stamp cache

STAMPS_FILE = Path("state") / "stamps.json"


def load_stamps(out: Path) -> dict[str, dict[str, str]] | None:
    """Every document's stamp as the last run left it, from one file (None when absent).

    A document's entry is dropped (and the file rewritten) before a run touches that
    document, so an entry never vouches for outputs a killed run left half-done.
    """
    try:
        data = io.read_json(out / STAMPS_FILE)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("schema") != "stamps/1":
        return None
    stamps = data.get("stamps")
    return stamps if isinstance(stamps, dict) else None


def save_stamps(out: Path, stamps: dict[str, dict[str, str]]) -> None:
    """Write the stamp cache (compact JSON: it is read on every run)."""
    data = {"schema": "stamps/1", "stamps": dict(sorted(stamps.items()))}
    io.atomic_write_text(out / STAMPS_FILE, io.dumps(data) + "\n")


def _write_if_changed(path: Path, text: str) -> None:
    """Atomically write ``text`` unless the file already holds exactly it."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    io.atomic_write_text(path, text)


def process_doc(task: DocTask) -> DocResult:
    """Run the stale per-document stages of one document and persist each atomically."""
    from pipeline import stages

    out = Path(task.out)
    d = doc_dir(out, task.doc_id)
    result = DocResult(task.doc_id)
    todo = stale_stages(out, task.doc_id, task.force, task.until)
    if not todo:
        return result
    stamp = {k: v for k, v in _read_stamp(d).items() if k not in todo}
    stage = todo[0]
    try:
        normalized: dict[str, Any]
        if "ingest" in todo:
            stage = "ingest"
            if d.exists():
                shutil.rmtree(d)
            normalized = stages.ingest(Path(task.path), task.rel, task.paths)
            if normalized["sha256"] != task.sha256:
                raise _ChangedDuringRun()
            io.write_json(d / "normalized.json", normalized)
            stamp["ingest"] = stage_fingerprint("ingest")
        else:
            normalized = io.read_json(d / "normalized.json")
        if task.until == "ingest":
            result.ran = todo
            return result
        if "extract" in todo:
            stage = "extract"
            extracted = stages.extract(normalized)
            io.write_json(d / "extracted.json", extracted)
            stamp["extract"] = stage_fingerprint("extract")
        else:
            extracted = io.read_json(d / "extracted.json")
        if task.until == "extract":
            result.ran = todo
            return result
        if "claims" in todo:
            stage = "claims"
            doc_claims = stages.claims(normalized, extracted)
            io.write_json(d / "claims.json", doc_claims)
            stamp["claims"] = stage_fingerprint("claims")
        else:
            doc_claims = io.read_json(d / "claims.json")
        if task.until == "claims":
            result.ran = todo
            return result
        stage = "summarize"
        summary, md = stages.summarize(normalized, extracted, doc_claims)
        io.write_json(d / "summary.json", summary)
        io.atomic_write_text(out / "summaries" / f"{task.doc_id}.md", md)
        stamp["summarize"] = stage_fingerprint("summarize")
    except _ChangedDuringRun:
        result.error = (stage, "the file changed while the run was going; run again")
        shutil.rmtree(d, ignore_errors=True)
        return result
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others
        result.error = (stage, _plain_reason(exc))
        if stage == "ingest":
            shutil.rmtree(d, ignore_errors=True)
        else:
            # Outputs of the failed stage and after it came from older inputs: drop them.
            for later in PER_DOC[PER_DOC.index(stage) :]:
                _remove(d / STAGE_FILES[later])
                stamp.pop(later, None)
        _remove(out / "summaries" / f"{task.doc_id}.md")
    finally:
        if d.exists():
            io.write_json(d / "stamp.json", stamp)
    result.ran = todo if result.error is None else todo[: todo.index(stage)]
    return result


class _ChangedDuringRun(Exception):
    """The file's bytes differ from what the scan hashed."""


def _plain_reason(exc: BaseException) -> str:
    """A one-line reason for a failure, in plain words when the stage gave them."""
    from pipeline.ingest.errors import IngestError

    if isinstance(exc, IngestError):
        return str(exc)
    if isinstance(exc, FileNotFoundError):
        return "the file disappeared while the run was going"
    if isinstance(exc, MemoryError):
        return "ran out of memory on this file"
    return f"internal error ({type(exc).__name__}: {exc})"


def _remove(p: Path) -> None:
    """Delete a file if it exists."""
    try:
        p.unlink()
    except FileNotFoundError:
        pass


def _warm_worker(need_nlp: bool) -> None:
    """Pay start-up costs (dictionary, spaCy pipeline) once per worker process."""
    if need_nlp:
        from pipeline.stages import warm

        warm()


def run_docs(tasks: list[DocTask], jobs: int) -> list[DocResult]:
    """Process documents, in parallel when there is more than one to do."""
    need_nlp = any(
        "extract" in stale_stages(Path(t.out), t.doc_id, t.force, t.until) for t in tasks
    )
    if jobs <= 1 or len(tasks) <= 1:
        if tasks:
            _warm_worker(need_nlp)
        return [process_doc(t) for t in tasks]
    # fork: workers inherit the warmed dictionary and spaCy pipeline copy-on-write.
    _warm_worker(need_nlp)
    results: dict[str, DocResult] = {}
    try:
        with ProcessPoolExecutor(
            max_workers=min(jobs, len(tasks)), mp_context=get_context("fork")
        ) as ex:
            for res in ex.map(process_doc, tasks, chunksize=max(1, len(tasks) // (jobs * 8))):
                results[res.doc_id] = res
    except BrokenProcessPool:
        for t in tasks:
            results.setdefault(
                t.doc_id,
                DocResult(t.doc_id, error=("extract", "worker process died (out of memory?)")),
            )
    return [results[t.doc_id] for t in tasks]


# ---------------------------------------------------------------- the run


def run(
    corpus: Path,
    out: Path,
    *,
    force: bool = False,
    jobs: int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    until: str = "summarize",
    wait: bool = True,
) -> RunSummary:
    """Bring OUT up to date with CORPUS and return what happened."""
    t0 = time.perf_counter()
    if not corpus.is_dir():
        raise FileNotFoundError(f"corpus folder {corpus} does not exist")
    corpus_real, out_real = corpus.resolve(), out.resolve()
    if out_real == corpus_real or out_real.is_relative_to(corpus_real):
        raise ValueError("OUT must not be inside CORPUS (the pipeline never writes there)")
    jobs = jobs or os.cpu_count() or 1
    summary = RunSummary()
    with run_lock(out, wait=wait):
        if force:  # every document is redone: no cached stamp may vouch for one meanwhile
            _remove(out / STAMPS_FILE)
        cached = load_stamps(out)
        _sweep_temp_files(out, deep=cached is None)
        entries = scan(corpus, out, max_bytes)
        summary.files = len(entries)
        by_sha: dict[str, list[FileEntry]] = {}
        for e in entries:
            if e.status == "ok" and e.sha256:
                by_sha.setdefault(e.sha256, []).append(e)
        tasks: list[DocTask] = []
        for sha, group in sorted(by_sha.items(), key=lambda kv: kv[1][0].rel):
            first = group[0]
            for dup in group[1:]:
                dup.status, dup.duplicate_of = "duplicate", first.rel
            tasks.append(
                DocTask(
                    doc_id=doc_id_for(sha),
                    sha256=sha,
                    path=str(first.path),
                    rel=first.rel,
                    paths=[g.rel for g in group],
                    out=str(out),
                    force=force,
                    until=until,
                )
            )
        summary.docs = len(tasks)
        stamps, todo = _plan(out, tasks, cached, force, until)
        summary.unchanged = len(tasks) - len(todo)
        redo = {t.doc_id for t in todo}
        if cached is not None and redo & set(cached):
            # Forget the stamps of the documents about to be redone first (see load_stamps).
            save_stamps(out, {d: v for d, v in cached.items() if d in stamps and d not in redo})
        results = {r.doc_id: r for r in run_docs(todo, jobs)}
        for t in todo:
            stamps[t.doc_id] = _read_stamp(doc_dir(out, t.doc_id))
        summary.processed = sum(1 for r in results.values() if r.ran or r.error)

        # Map failures back to files.
        failed_docs: set[str] = set()
        for e in entries:
            err = results[e.doc_id].error if e.doc_id in results else None
            if e.status == "ok" and e.doc_id and err:
                e.status, e.stage, e.error = "error", err[0], err[1]
                failed_docs.add(e.doc_id)
            elif e.status == "duplicate" and e.doc_id in failed_docs:
                e.status = "error"
        live = {
            t.doc_id for t in tasks if t.doc_id not in failed_docs or _has_outputs(out, t.doc_id)
        }
        summary.removed = _remove_stale_outputs(out, live)

        errors = [
            {"file": e.rel, "stage": e.stage or "ingest", "reason": e.error or ""}
            for e in entries
            if e.status == "error"
        ]
        summary.errors = errors
        _write_if_changed(out / "errors.jsonl", "".join(io.dumps(r) + "\n" for r in errors))
        _write_if_changed(
            out / "manifest.jsonl", "".join(io.dumps(_manifest_row(e)) + "\n" for e in entries)
        )
        kept = {d: stamps[d] for d in sorted(live) if stamps.get(d)}
        if kept != cached:
            save_stamps(out, kept)

        if until == "summarize":
            from pipeline.corpus import run_corpus_stages

            ok_docs = sorted(d for d in live if "claims" in stamps.get(d, {}))
            summary.corpus_stages_ran = run_corpus_stages(out, ok_docs, force=force, stamps=stamps)
    summary.seconds = time.perf_counter() - t0
    return summary


def _plan(
    out: Path,
    tasks: list[DocTask],
    cached: dict[str, dict[str, str]] | None,
    force: bool,
    until: str,
) -> tuple[dict[str, dict[str, str]], list[DocTask]]:
    """Each document's stamp and the documents with work to do.

    Stamps come from the cache, without opening any per-document file; a document the
    cache does not know (or whose folder is gone) is checked on disk, as is every
    document when there is no cache.
    """
    try:
        present = set(os.listdir(out / "docs"))
    except OSError:
        present = set()
    stamps: dict[str, dict[str, str]] = {}
    todo: list[DocTask] = []
    for t in tasks:
        d = t.doc_id
        if cached is not None and d in cached and d in present:
            stamps[d] = cached[d]
            stale = stale_by_stamp(cached[d], force, until)
        else:
            stamps[d] = _read_stamp(doc_dir(out, d)) if d in present else {}
            stale = bool(stale_stages(out, d, force, until))
            if cached is not None and d in present:
                _sweep_dir(doc_dir(out, d))  # a killed run may have been writing here
        if stale:
            todo.append(t)
            if cached is not None and d in present:
                _sweep_dir(doc_dir(out, d))
    return stamps, todo


def _has_outputs(out: Path, doc_id: str) -> bool:
    """Whether a document kept outputs from an earlier successful stage."""
    return (doc_dir(out, doc_id) / "normalized.json").exists()


def _manifest_row(e: FileEntry) -> dict[str, Any]:
    """One manifest line."""
    row: dict[str, Any] = {
        "path": e.rel,
        "sha256": e.sha256,
        "doc_id": e.doc_id,
        "status": e.status,
        "error": e.error if e.status in ("error", "skipped") else None,
    }
    if e.duplicate_of:
        row["duplicate_of"] = e.duplicate_of
    return row


def _remove_stale_outputs(out: Path, live: set[str]) -> int:
    """Delete outputs of documents no longer in the corpus (deleted or changed files)."""
    removed = 0
    docs = out / "docs"
    # Names, not Path objects: this runs on every run, over every document.
    for name in sorted(_names(docs)):
        if name not in live and (docs / name).is_dir():
            shutil.rmtree(docs / name, ignore_errors=True)
            removed += 1
    summaries = out / "summaries"
    for name in sorted(_names(summaries)):
        stem, ext = os.path.splitext(name)
        if ext == ".md" and not name.startswith(".") and stem not in live:
            _remove(summaries / name)
    return removed


def _names(folder: Path) -> list[str]:
    """Entry names of a folder (none when it does not exist)."""
    try:
        return os.listdir(folder)
    except OSError:
        return []
