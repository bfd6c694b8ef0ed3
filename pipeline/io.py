"""Deterministic JSON and atomic file writes."""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any


def dumps(obj: Any) -> str:
    """Canonical JSON: UTF-8 text, sorted keys off (records order their own keys), no NaN."""
    return json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def dumps_pretty(obj: Any) -> str:
    """Indented canonical JSON for human-facing files, newline-terminated.

    Byte-identical to ``json.dumps(obj, ensure_ascii=False, allow_nan=False, indent=1)``:
    with ``indent`` set, the standard library encodes in Python through generators;
    ``_pretty`` builds the same text with joins (strings still go through json's C
    escaper). Anything beyond plain JSON types goes to ``json.dumps`` itself.
    """
    try:
        parts: list[str] = []
        _pretty(obj, parts, "\n")
        return "".join(parts) + "\n"
    except _NotPlain:
        return json.dumps(obj, ensure_ascii=False, allow_nan=False, indent=1) + "\n"


class _NotPlain(Exception):
    """A value ``_pretty`` leaves to ``json.dumps`` (subclasses, other key types...)."""


_escape = json.encoder.encode_basestring
_float_repr = float.__repr__
_INF = float("inf")


def _scalar(v: Any) -> str:
    """A JSON scalar exactly as json encodes it; raises _NotPlain for anything else."""
    t = type(v)
    if t is str:
        return str(_escape(v))
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if t is int:
        return int.__repr__(v)
    if t is float:
        if v != v or v in (_INF, -_INF):
            raise _NotPlain  # json.dumps raises its own error (allow_nan=False)
        return _float_repr(v)
    raise _NotPlain


def _pretty(obj: Any, out: list[str], nl: str) -> None:
    """Append the ``indent=1`` encoding of ``obj``; ``nl`` is newline + current indent."""
    t = type(obj)
    if t is dict:
        if not obj:
            out.append("{}")
            return
        inner = nl + " "
        out.append("{")
        first = True
        for k, v in obj.items():
            if type(k) is not str:
                raise _NotPlain
            out.append(inner if first else "," + inner)
            first = False
            out.append(_escape(k))
            out.append(": ")
            tv = type(v)
            if tv is dict or tv is list or tv is tuple:
                _pretty(v, out, inner)
            else:
                out.append(_scalar(v))
        out.append(nl + "}")
    elif t is list or t is tuple:
        if not obj:
            out.append("[]")
            return
        inner = nl + " "
        if all(type(v) in _FLAT for v in obj):
            out.append("[" + inner + ("," + inner).join(map(_scalar, obj)) + nl + "]")
            return
        out.append("[")
        first = True
        for v in obj:
            out.append(inner if first else "," + inner)
            first = False
            tv = type(v)
            if tv is dict or tv is list or tv is tuple:
                _pretty(v, out, inner)
            else:
                out.append(_scalar(v))
        out.append(nl + "]")
    else:
        out.append(_scalar(obj))


_FLAT = frozenset((str, int, float, bool, type(None)))


def atomic_write_text(path: str | os.PathLike[str], text: str | Sequence[str | bytes]) -> None:
    """Write ``text`` (or the concatenation of its pieces, UTF-8 text or bytes of it: large
    outputs are never joined into one string) to ``path`` via a temp file in the same
    folder and a rename."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=target.suffix, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            for piece in [text] if isinstance(text, str) else text:
                fh.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


class BackgroundWriter:
    """Atomic writes done by one thread, in order, while the caller goes on computing.

    Writing and syncing the corpus outputs (~200 MB at 10,000 documents) is mostly time
    the GIL is released in, so it overlaps with making the next output. Leaving the
    ``with`` block waits for every write; the first error is raised then (or the
    block's own error, the writes still finished or cleaned up first).
    """

    def __init__(self) -> None:
        self._queue: list[tuple[Path, list[bytes]]] = []
        self._cond = threading.Condition()
        self._closed = False
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="atomic-writer", daemon=True)

    def __enter__(self) -> BackgroundWriter:
        self._thread.start()
        return self

    def write(self, path: str | os.PathLike[str], text: str | Sequence[str | bytes]) -> None:
        """Queue one atomic write (raises at once if an earlier write failed).

        Text is encoded here, in the caller's thread: the writer then holds the GIL only
        briefly, while a thread that encodes would make every GIL release of the caller
        (each SQLite row it fetches) wait for a switch interval.
        """
        pieces = [text] if isinstance(text, str) else text
        data = [p.encode("utf-8") if isinstance(p, str) else p for p in pieces]
        with self._cond:
            if self._error is not None:
                raise self._error
            self._queue.append((Path(path), data))
            self._cond.notify()

    def _run(self) -> None:
        """Write queued texts until closed; after an error, drop the rest."""
        while True:
            with self._cond:
                while not self._queue and not self._closed:
                    self._cond.wait()
                if not self._queue:
                    return
                path, data = self._queue.pop(0)
                failed = self._error is not None
            if failed:
                continue
            try:
                atomic_write_text(path, data)
            except BaseException as exc:  # handed to the caller at close
                with self._cond:
                    self._error = exc
            del data

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify()
        self._thread.join()
        if exc is None and self._error is not None:
            raise self._error


def write_json(path: str | os.PathLike[str], obj: Any) -> None:
    """Atomically write one pretty JSON document."""
    atomic_write_text(path, dumps_pretty(obj))


def write_jsonl(path: str | os.PathLike[str], rows: Iterable[Any]) -> None:
    """Atomically write JSON Lines, one compact object a line."""
    atomic_write_text(path, "".join(dumps(r) + "\n" for r in rows))


def read_json(path: str | os.PathLike[str]) -> Any:
    """Read one JSON document."""
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def read_jsonl(path: str | os.PathLike[str]) -> Iterator[Any]:
    """Yield the objects of a JSON Lines file, skipping blank lines."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)
