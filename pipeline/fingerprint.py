"""Code/data fingerprints that decide when a stage must re-run.

A stage's fingerprint hashes the source of its own modules, the data files it reads and
the fingerprint of the stage before it, so editing a lexicon re-runs exactly the stages
downstream of it and nothing upstream.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from pipeline import __version__

PKG = Path(__file__).resolve().parent
DATA = PKG / "data"

# Stage -> (package paths whose *.py it runs, data-file name prefixes it reads).
# Data files that match no prefix count for every stage: unknown data is assumed to matter.
STAGES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "ingest": (
        ("records.py", "io.py", "ingest", "normalize"),
        ("boilerplate", "elements", "normalize_", "outlets"),
    ),
    "extract": (
        ("nlp", "extract"),
        ("gazetteer", "units", "time_", "quantity_", "entity_", "userdict", "domain_words"),
    ),
    "claims": (("claims",), ("metrics", "claim_")),
    "summarize": (("report/summaries.py", "report/common.py"), ("report_",)),
    "reconcile": (("reconcile",), ()),
    "report": (("report", "corpus.py"), ("report_",)),
}
ORDER = ("ingest", "extract", "claims", "summarize", "reconcile", "report")
PER_DOC = ("ingest", "extract", "claims", "summarize")


def _files_for(paths: tuple[str, ...]) -> list[Path]:
    """All Python files under the given package-relative paths, sorted."""
    out: list[Path] = []
    for rel in paths:
        p = PKG / rel
        if p.is_file():
            out.append(p)
        elif p.is_dir():
            out.extend(sorted(p.rglob("*.py")))
    return out


def _data_files(prefixes: tuple[str, ...]) -> list[Path]:
    """Data files a stage reads: its prefixes plus any file no stage claims."""
    if not DATA.is_dir():
        return []
    claimed = tuple(p for _, (_, prefs) in STAGES.items() for p in prefs)
    out = []
    for f in sorted(DATA.iterdir()):
        if not f.is_file():
            continue
        if f.name.startswith(prefixes) or not f.name.startswith(claimed):
            out.append(f)
    return out


@cache
def stage_fingerprint(stage: str) -> str:
    """Hash of the stage's code, its data and the upstream stage's fingerprint."""
    h = hashlib.sha256()
    h.update(f"{stage}:{__version__}".encode())
    idx = ORDER.index(stage)
    if stage == "reconcile":
        upstream = stage_fingerprint("claims")
    elif stage == "report":
        upstream = stage_fingerprint("reconcile") + stage_fingerprint("summarize")
    elif idx > 0:
        upstream = stage_fingerprint(ORDER[idx - 1])
    else:
        upstream = ""
    h.update(upstream.encode())
    code, prefixes = STAGES[stage]
    for f in _files_for(code) + _data_files(prefixes):
        h.update(str(f.relative_to(PKG)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def own_code_fingerprint(stage: str) -> str:
    """Hash of the stage's own code and data only, not of the stages before it.

    For caches of values computed from stamped per-document outputs: the stamps already
    say which upstream code made those outputs.
    """
    h = hashlib.sha256(f"{stage}:{__version__}".encode())
    code, prefixes = STAGES[stage]
    for f in _files_for(code) + _data_files(prefixes):
        h.update(str(f.relative_to(PKG)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]
