"""Deterministic JSON and atomic file writes."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any


def dumps(obj: Any) -> str:
    """Canonical JSON: UTF-8 text, sorted keys off (records order their own keys), no NaN."""
    return json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def dumps_pretty(obj: Any) -> str:
    """Indented canonical JSON for human-facing files, newline-terminated."""
    return json.dumps(obj, ensure_ascii=False, allow_nan=False, indent=1) + "\n"


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` via a temp file in the same folder and a rename."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=target.suffix, dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


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
