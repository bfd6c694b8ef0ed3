"""Check two pipeline output trees hold byte-identical per-document files.

Usage: python tools/compare_outputs.py REF/docs NEW/docs [file ...]
(default files: normalized.json extracted.json). Exit status 1 on any difference.
Used to prove a speed-up changed no output.
"""

from __future__ import annotations

import sys
from pathlib import Path

DEFAULT_FILES = ("normalized.json", "extracted.json")


def compare(ref: Path, new: Path, files: tuple[str, ...] = DEFAULT_FILES) -> list[str]:
    """Problems found: missing documents or files, and files whose bytes differ."""
    problems: list[str] = []
    ref_ids = {d.name for d in ref.iterdir() if d.is_dir()}
    new_ids = {d.name for d in new.iterdir() if d.is_dir()}
    for doc_id in sorted(ref_ids ^ new_ids):
        problems.append(f"{doc_id}: only in {'reference' if doc_id in ref_ids else 'new'}")
    for doc_id in sorted(ref_ids & new_ids):
        for name in files:
            a, b = ref / doc_id / name, new / doc_id / name
            if a.exists() != b.exists():
                problems.append(f"{doc_id}/{name}: present in one tree only")
            elif a.exists() and a.read_bytes() != b.read_bytes():
                problems.append(f"{doc_id}/{name}: differs")
    return problems


def main(argv: list[str]) -> int:
    """Print a one-line verdict and the problems; 1 when anything differs."""
    if len(argv) < 2:
        print(__doc__)
        return 2
    ref, new = Path(argv[0]), Path(argv[1])
    files = tuple(argv[2:]) or DEFAULT_FILES
    problems = compare(ref, new, files)
    n = sum(1 for d in ref.iterdir() if d.is_dir())
    print(f"{ref} vs {new}: {n} documents, {len(problems)} difference(s)")
    for p in problems[:50]:
        print("  " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
