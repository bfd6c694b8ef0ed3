"""Score the time extractor against the hand-annotated dates of the seed articles.

Definitions (kept deliberately simple so the numbers are easy to audit):

* Text: the raw seed file with a minimal normalization of the same length-changing kind the
  pipeline's normalizer does: full-width digits -> ASCII, and spaces/NBSP between a digit and a
  CJK character removed (the PDF spaces of doc 003: ``2025 年 10 月底`` -> ``2025年10月底``).
  Gold surfaces (``surface_norm`` when present) and sentence hints get the same treatment.
* Locating gold: each gold date is searched inside the sentence that starts with its
  ``sentence_hint`` (up to the next 。！？, or the end of the line for table rows); several
  gold items with the same surface in one sentence take successive occurrences.
* Reference date: the doc's ``pub_date``. Doc 003 has none: it is run with ``None`` and a
  gold date whose basis is not ``explicit`` counts as correct when the extractor returns it
  unresolved (value None, basis "unresolved"), which is what the contract asks for when the
  publication date is unknown. ``assume_pub`` can instead supply a date for such docs.
* Recall: a required gold date is hit when a predicted time overlaps its span and the
  predicted value equals the gold ``iso`` (or is the honest unresolved case above).
* Precision: predictions inside the body that overlap a gold date with the right value,
  over all non-vague predictions inside the body. The body is the lines from the first to
  the last line carrying a gold date, minus lines listed in ``duplicate_lines`` and minus
  boilerplate (a gold ``boilerplate`` string ending its line removes the whole line, e.g. a
  photo caption; one inside a line removes the rest of the line, e.g. an author bio).
  Vague adverbials (近年, 近年來) are excluded: the gold does not annotate them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.extract.times import extract_times

_FW = str.maketrans("０１２３４５６７８９", "0123456789")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_GAP = re.compile(rf"(?<=[0-9])[ \u00a0]+(?=[{_CJK}])|(?<=[{_CJK}])[ \u00a0]+(?=[0-9])")

Extract = Callable[[str, date | None], list[dict[str, Any]]]


def normalize(text: str) -> str:
    """Full-width digits to ASCII and digit/CJK spaces removed."""
    return _GAP.sub("", text.translate(_FW))


def _line_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of every line (without the newline)."""
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _locate(text: str, golds: list[dict[str, Any]]) -> list[tuple[int, int] | None]:
    """Span of each gold date in ``text`` (None when it cannot be found)."""
    used: set[int] = set()
    out: list[tuple[int, int] | None] = []
    for g in golds:
        surf = normalize(g.get("surface_norm") or g["surface"])
        hint = normalize(g.get("sentence_hint") or "").strip()
        found: tuple[int, int] | None = None
        regions: list[tuple[int, int]] = []
        if hint:
            for hm in re.finditer(re.escape(hint), text):
                stop = re.search(r"[。！？]", text[hm.start() :])
                end = hm.start() + stop.end() if stop else len(text)
                line_end = text.find("\n", hm.start())
                if "\t" in text[hm.start() : line_end if line_end >= 0 else len(text)]:
                    end = line_end  # a table row: the date is on the row's line
                regions.append((hm.start(), end))
        regions.append((0, len(text)))  # fallback: anywhere
        for a, b in regions:
            for sm in re.finditer(re.escape(surf), text[a:b]):
                pos = a + sm.start()
                if pos not in used:
                    found = (pos, pos + len(surf))
                    used.add(pos)
                    break
            if found:
                break
        out.append(found)
    return out


def _body_mask(text: str, doc: dict[str, Any], located: list[tuple[int, int] | None]) -> list[bool]:
    """Per-character flag: inside the scored body."""
    lines = _line_spans(text)
    starts = [a for a, _ in lines]
    mask = [False] * (len(text) + 1)
    pos = [p for p in located if p is not None]
    if not pos:
        return mask
    first = bisect.bisect_right(starts, min(a for a, _ in pos)) - 1
    last = bisect.bisect_right(starts, max(a for a, _ in pos)) - 1
    dup = {d["line"] - 1 for d in doc.get("duplicate_lines") or []}
    markers = [normalize(m) for m in doc.get("boilerplate") or [] if len(m.strip()) >= 3]
    for li in range(first, last + 1):
        if li in dup:
            continue
        a, b = lines[li]
        cut = b
        for mk in markers:
            k = text.find(mk, a, b)
            if k < 0:
                continue
            rest = text[k + len(mk) : b].strip(" \u00a0。．.")
            cut = min(cut, a if not rest else k)
        for i in range(a, cut):
            mask[i] = True
    return mask


def score_times(
    gold: dict[str, Any],
    extract: Extract,
    *,
    seeds_dir: Path | None = None,
    assume_pub: dict[str, date] | None = None,
) -> dict[str, Any]:
    """Recall and precision of ``extract`` on the gold ``dates`` of every seed doc."""
    if seeds_dir is None:
        seeds_dir = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "seeds"
    totals = {"required": 0, "hit": 0, "all": 0, "hit_all": 0, "pred": 0, "tp": 0}
    per_doc: dict[str, Any] = {}
    for doc in gold["docs"]:
        text = normalize((seeds_dir / doc["file"]).read_text(encoding="utf-8"))
        pub = doc.get("pub_date")
        ref = date.fromisoformat(pub) if pub else (assume_pub or {}).get(doc["file"])
        preds = extract(text, ref)
        golds = doc["dates"]
        located = _locate(text, golds)
        body = _body_mask(text, doc, located)

        def ok(p: dict[str, Any], g: dict[str, Any], ref: date | None = ref) -> bool:
            """A prediction carries the gold value (or is honestly unresolved)."""
            if p.get("value") == g.get("iso"):
                return True
            return (
                ref is None
                and g.get("basis") != "explicit"
                and p.get("value") is None
                and p.get("basis") == "unresolved"
            )

        misses, wrong = [], []
        hit = hit_all = required = 0
        for g, span in zip(golds, located, strict=True):
            over = [] if span is None else [p for p in preds if _overlaps(p, span)]
            good = any(ok(p, g) for p in over)
            hit_all += good
            if not g.get("optional"):
                required += 1
                hit += good
                if not good:
                    misses.append((g["id"], g["surface"], g["iso"], [p.get("value") for p in over]))
        n_pred = tp = 0
        for p in preds:
            if p.get("vague") or not body[p["start"]]:
                continue
            n_pred += 1
            matched = any(
                span is not None and _overlaps(p, span) and ok(p, g)
                for g, span in zip(golds, located, strict=True)
            )
            tp += matched
            if not matched:
                wrong.append((p["surface"], p.get("value")))
        totals["required"] += required
        totals["hit"] += hit
        totals["all"] += len(golds)
        totals["hit_all"] += hit_all
        totals["pred"] += n_pred
        totals["tp"] += tp
        per_doc[doc["file"]] = {
            "required": required,
            "hit": hit,
            "pred": n_pred,
            "tp": tp,
            "misses": misses,
            "false_positives": wrong,
            "unlocated": [g["id"] for g, s in zip(golds, located, strict=True) if s is None],
        }
    return {
        "recall": totals["hit"] / max(1, totals["required"]),
        "recall_all": totals["hit_all"] / max(1, totals["all"]),
        "precision": totals["tp"] / max(1, totals["pred"]),
        "totals": totals,
        "docs": per_doc,
    }


def _overlaps(p: dict[str, Any], span: tuple[int, int]) -> bool:
    """Half-open overlap of a prediction with a gold span."""
    return bool(p["start"] < span[1] and span[0] < p["end"])


def _extract(text: str, ref: date | None) -> list[dict[str, Any]]:
    """The extractor under test, as plain dicts."""
    out = [t.to_dict() for t in extract_times(text, ref)]
    for t in out:
        assert text[t["start"] : t["end"]] == t["surface"]
    return out


def test_gold_dates_are_located(gold: dict[str, Any], seeds_dir: Path) -> None:
    """The scorer itself finds every gold date in the normalized seed text."""
    for doc in gold["docs"]:
        text = normalize((seeds_dir / doc["file"]).read_text(encoding="utf-8"))
        located = _locate(text, doc["dates"])
        assert all(s is not None for s in located), doc["file"]


def test_times_against_gold(gold: dict[str, Any], seeds_dir: Path) -> None:
    """Recall floor on the required gold dates; numbers printed for the report."""
    result = score_times(gold, _extract, seeds_dir=seeds_dir)
    t = result["totals"]
    print(
        f"\ntimes gold: recall {result['recall']:.3f} ({t['hit']}/{t['required']}), "
        f"recall incl. optional {result['recall_all']:.3f}, "
        f"precision {result['precision']:.3f} ({t['tp']}/{t['pred']})"
    )
    for name, d in result["docs"].items():
        print(
            f"  {name}: {d['hit']}/{d['required']} misses={d['misses']} fp={d['false_positives']}"
        )
    assert result["recall"] >= 0.85
    assert result["precision"] >= 0.85


def test_times_against_gold_with_assumed_publication(gold: dict[str, Any], seeds_dir: Path) -> None:
    """With 003's publication assumed in January 2026 (the gold's reading), values resolve too."""
    assume = {d["file"]: date(2026, 1, 15) for d in gold["docs"] if not d.get("pub_date")}
    result = score_times(gold, _extract, seeds_dir=seeds_dir, assume_pub=assume)
    t = result["totals"]
    print(
        f"\ntimes gold (003 assumed 2026-01-15): recall {result['recall']:.3f} "
        f"({t['hit']}/{t['required']}), precision {result['precision']:.3f} ({t['tp']}/{t['pred']})"
    )
    assert result["recall"] >= 0.85
