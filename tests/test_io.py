"""Atomic writes: whole files or none, in pieces, and from a background thread."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from pipeline import io


def test_pieces_are_written_as_their_concatenation(tmp_path: Path) -> None:
    pieces = ["{", '"稀土":', "[1,", "2]", "}\n"]
    io.atomic_write_text(tmp_path / "a.json", pieces)
    assert (tmp_path / "a.json").read_text(encoding="utf-8") == "".join(pieces)
    assert not list(tmp_path.glob(".tmp-*"))


def test_bytes_pieces_are_written_as_they_are(tmp_path: Path) -> None:
    pieces: list[str | bytes] = ["鏑（Dy）", b"\n", "稀土".encode(), "\n"]
    io.atomic_write_text(tmp_path / "m.jsonl", pieces)
    assert (tmp_path / "m.jsonl").read_text(encoding="utf-8") == "鏑（Dy）\n稀土\n"


def test_text_is_encoded_in_the_callers_thread(tmp_path: Path) -> None:
    """The writer thread must not hold the GIL to encode (the caller's SQLite reads
    would wait on it), so bad text fails at ``write``, not later."""
    with io.BackgroundWriter() as w:
        with pytest.raises(UnicodeEncodeError):
            w.write(tmp_path / "bad.txt", ["ok", "\ud800"])
    assert not (tmp_path / "bad.txt").exists()


def test_background_writes_land_in_order_before_the_block_ends(tmp_path: Path) -> None:
    seen: list[str] = []
    real = io.atomic_write_text
    gate = threading.Event()

    def slow(path: Path, text: str) -> None:
        gate.wait(5)  # the caller has queued everything before the first write ends
        seen.append(Path(path).name)
        real(path, text)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(io, "atomic_write_text", slow)
        with io.BackgroundWriter() as w:
            for name in ("claims.jsonl", "reconciled.json", "report.html"):
                w.write(tmp_path / name, [name, "\n"])
            assert seen == []
            gate.set()
    assert seen == ["claims.jsonl", "reconciled.json", "report.html"]
    for name in seen:
        assert (tmp_path / name).read_text(encoding="utf-8") == name + "\n"


def test_a_failed_background_write_is_raised_and_later_writes_are_dropped(
    tmp_path: Path,
) -> None:
    (tmp_path / "blocker").write_text("a file, not a folder", encoding="utf-8")
    with pytest.raises(OSError):
        with io.BackgroundWriter() as w:
            w.write(tmp_path / "blocker" / "x.json", "{}")
            w._thread.join(0.5)  # let it fail; the next write may then raise at once
            try:
                w.write(tmp_path / "after.json", "{}")
            except OSError:
                pass
    assert not (tmp_path / "after.json").exists()
    assert not list(tmp_path.rglob(".tmp-*"))


def test_the_blocks_own_error_wins_and_queued_writes_still_finish(tmp_path: Path) -> None:
    with pytest.raises(KeyError):
        with io.BackgroundWriter() as w:
            w.write(tmp_path / "done.txt", "whole")
            raise KeyError("boom")
    assert (tmp_path / "done.txt").read_text(encoding="utf-8") == "whole"
