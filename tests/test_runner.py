"""Runner regressions: non-regular files, and outputs left behind by a failing stage."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline import io, stages
from pipeline.runner import run

ARTICLE = "日本經濟產業省表示，今年對中國稀土的依賴已降到約六成，政府目標是在十年內降至五成以下。\n"


def _corpus(tmp_path: Path) -> Path:
    """A one-article corpus."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(ARTICLE, encoding="utf-8")
    return corpus


def test_fifo_named_txt_is_an_error_not_a_hang(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    os.mkfifo(corpus / "pipe.txt")
    summary = run(corpus, tmp_path / "out", jobs=1)
    errors = {e["file"]: e["reason"] for e in summary.errors}
    assert "not a regular file" in errors["pipe.txt"]
    assert summary.docs == 1


def test_failing_claims_stage_drops_stale_claims_and_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, out = _corpus(tmp_path), tmp_path / "out"
    assert not run(corpus, out, jobs=1).errors
    (doc_id,) = [p.name for p in (out / "docs").iterdir()]
    d = out / "docs" / doc_id
    assert (d / "claims.json").exists() and (out / "summaries" / f"{doc_id}.md").exists()

    def boom(*args: object) -> list[dict[str, object]]:
        raise RuntimeError("claims broke")

    monkeypatch.setattr(stages, "claims", boom)
    summary = run(corpus, out, jobs=1, force=True)
    assert [(e["stage"], "claims broke" in e["reason"]) for e in summary.errors] == [
        ("claims", True)
    ]
    assert not (d / "claims.json").exists()
    assert not (d / "summary.json").exists()
    assert not (out / "summaries" / f"{doc_id}.md").exists()
    stamp = io.read_json(d / "stamp.json")
    assert set(stamp) == {"ingest", "extract"}
    # The earlier stages' outputs are kept, and a good run restores everything.
    monkeypatch.undo()
    assert not run(corpus, out, jobs=1).errors
    assert (d / "claims.json").exists()
