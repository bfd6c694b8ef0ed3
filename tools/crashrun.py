"""Run ``python -m pipeline ...`` and SIGKILL it at a chosen file write (crash-safety tests).

    python tools/crashrun.py --kill-at N [--mid-write] -- run --corpus C --out O --jobs 1

Every output file goes through ``pipeline.io.atomic_write_text``; this wrapper counts
those calls and kills the process right after write N (``--mid-write``: instead, after
leaving a half-written temp file next to the target, before the rename). With
``--jobs 1`` all writes happen in this process, so the kill points are deterministic and
together they reach every on-disk state a crash can leave. ``--log FILE`` appends the
path of every write (to count them and pick kill points).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def install(kill_at: int, mid_write: bool, log: Path | None) -> None:
    """Wrap the pipeline's atomic writer with the counter and the kill."""
    from pipeline import io

    real = io.atomic_write_text
    count = 0

    def counted(path: str | os.PathLike[str], text: str | Sequence[str | bytes]) -> None:
        nonlocal count
        count += 1
        if log is not None:
            with open(log, "a", encoding="utf-8") as fh:
                fh.write(f"{count}\t{path}\n")
        if count == kill_at:
            if mid_write:
                target = Path(path)
                target.parent.mkdir(parents=True, exist_ok=True)
                fd, _ = tempfile.mkstemp(prefix=".tmp-", suffix=target.suffix, dir=target.parent)
                pieces = [text] if isinstance(text, str) else text
                data = b"".join(p.encode("utf-8") if isinstance(p, str) else p for p in pieces)
                os.write(fd, data[: len(data) // 2])
                os.kill(os.getpid(), signal.SIGKILL)
            real(path, text)
            os.kill(os.getpid(), signal.SIGKILL)
        real(path, text)

    io.atomic_write_text = counted


def main(argv: list[str]) -> int:
    """Parse the wrapper's options, install the hook, hand the rest to the pipeline CLI."""
    if "--" not in argv:
        print(__doc__, file=sys.stderr)
        return 2
    split = argv.index("--")
    p = argparse.ArgumentParser(prog="crashrun")
    p.add_argument("--kill-at", type=int, default=0, help="SIGKILL at this write (0: never)")
    p.add_argument("--mid-write", action="store_true", help="kill with a half-written temp file")
    p.add_argument("--log", type=Path, help="append every write's index and path here")
    opts = p.parse_args(argv[:split])
    sys.path.insert(0, str(ROOT))
    install(opts.kill_at, opts.mid_write, opts.log)
    from pipeline.cli import main as cli_main

    return cli_main(argv[split + 1 :])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
