"""Score pipeline outputs against the seed gold annotations.

Everything here reads the pipeline's own outputs (normalized text, extracted records,
claims, reconciled groups), so the figures printed by ``make eval`` are end-to-end.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.eval.locate import Squeezed, locate, overlaps

# Gold units are as written; ours are normalized.
GOLD_UNITS = {
    "%": "%",
    "日圓": "JPY",
    "日元": "JPY",
    "噸": "t",
    "公噸": "t",
    "年": "year",
    "美元": "USD",
    "個月": "month",
    "月": "month",
    "項": "item",
    "rank": "rank",
    "磅": "lb",
    "公尺": "m",
    "台幣": "TWD",
    "新台幣": "TWD",
    "公里": "km",
    "週": "week",
    "艘": "ship",
    "歐元": "EUR",
    "澳幣": "AUD",
    "tSWU": "tSWU",
    "公斤": "kg",
    "倍": "x",
    "國": "country",
    "天": "day",
    "家": "company",
    "人": "person",
}


@dataclass
class PR:
    """Counts behind a precision/recall/F1 line."""

    tp_gold: int = 0
    gold: int = 0
    tp_pred: int = 0
    pred: int = 0
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        """Share of gold items found."""
        return self.tp_gold / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        """Share of predicted items that are right."""
        return self.tp_pred / self.pred if self.pred else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: PR) -> None:
        """Accumulate another document's counts."""
        self.tp_gold += other.tp_gold
        self.gold += other.gold
        self.tp_pred += other.tp_pred
        self.pred += other.pred
        self.misses += other.misses
        self.false_positives += other.false_positives

    def to_dict(self) -> dict[str, Any]:
        """Rounded figures plus the first misses, for eval.json."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "gold": self.gold,
            "found": self.tp_gold,
            "predicted": self.pred,
            "correct": self.tp_pred,
            "misses": self.misses[:60],
            "false_positives": self.false_positives[:60],
        }


def _close(a: float | None, b: float | None) -> bool:
    """Equal within a relative 1e-6 (or both None)."""
    if a is None or b is None:
        return a is b
    return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)


def value_matches(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    """Gold value (point, or [lo, hi]) against a predicted record's value/low/high."""
    gv = gold["value"]
    if isinstance(gv, list):
        return _close(gv[0], pred.get("low")) and _close(gv[1], pred.get("high"))
    if pred.get("value") is not None:
        return _close(gv, pred["value"])
    q = pred.get("qualifier")
    bound = pred.get("low") if q in ("more_than", "at_least") else pred.get("high")
    return _close(gv, bound)


def unit_matches(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    """Gold unit as written against our normalized unit (or its surface)."""
    gu = gold.get("unit")
    pu = pred.get("unit")
    return pu == GOLD_UNITS.get(str(gu), gu) or pu == gu or pred.get("unit_surface") == gu


def figure_correct(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    """Value, unit and qualifier all right."""
    return (
        value_matches(gold, pred)
        and unit_matches(gold, pred)
        and gold.get("qualifier") == pred.get("qualifier")
    )


def _surfaces(item: dict[str, Any]) -> list[str]:
    """Normalized surface first, then the raw one."""
    return [s for s in (item.get("surface_norm"), item.get("surface")) if s]


def _excluded(span: tuple[int, int], regions: Iterable[tuple[int, int]]) -> bool:
    """Whether a predicted span lies in a region gold does not annotate (the title line)."""
    return any(overlaps(span, r) for r in regions)


def _count_predictions(
    pr: PR,
    preds: list[dict[str, Any]],
    used: set[int],
    excluded: Sequence[tuple[int, int]],
    describe: Callable[[dict[str, Any]], str],
) -> None:
    """Precision side: every prediction outside ``excluded``, right when it was matched."""
    for i, p in enumerate(preds):
        if _excluded((p["start"], p["end"]), excluded):
            continue
        pr.pred += 1
        if i in used:
            pr.tp_pred += 1
        else:
            pr.false_positives.append(describe(p))


def score_figures(
    gold_items: list[dict[str, Any]],
    preds: list[dict[str, Any]],
    text: str,
    *,
    excluded: Sequence[tuple[int, int]] = (),
    required_only: bool = False,
    label: str = "",
) -> tuple[PR, list[tuple[dict[str, Any], dict[str, Any]]]]:
    """Match gold claims to predicted quantities/claims; return counts and matched pairs.

    A gold item is found when a predicted record overlapping its located surface has the
    right value, unit and qualifier. Precision counts every predicted record outside the
    excluded regions; it is correct when it is the match of some gold item (optional
    gold items count for precision, never against recall).
    """
    sq = Squeezed.of(text)
    pr = PR()
    taken: set[tuple[int, int]] = set()
    used: set[int] = set()
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for g in gold_items:
        optional = bool(g.get("optional"))
        counts = not (required_only and optional)
        shared = bool(g.get("shared_surface"))  # one surface, two claims (e.g. two subjects)
        span = locate(sq, _surfaces(g), g.get("sentence_hint"), set() if shared else taken)
        if counts and not optional:
            pr.gold += 1
        hit = None
        if span:
            taken.add(span)
            cands = [
                (i, p)
                for i, p in enumerate(preds)
                if overlaps(span, (p["start"], p["end"])) and figure_correct(g, p)
            ]
            fresh = [c for c in cands if c[0] not in used]
            if fresh:
                hit = fresh[0]
            elif shared and cands:
                hit = cands[0]
        if hit:
            used.add(hit[0])
            pairs.append((g, hit[1]))
            if counts and not optional:
                pr.tp_gold += 1
        elif counts and not optional:
            pr.misses.append(
                f"{label}{g.get('id', '')} {g.get('surface')} {g.get('value')} {g.get('unit')} {g.get('qualifier')}"
                + ("" if span else " (surface not in text)")
            )
    _count_predictions(
        pr,
        preds,
        used,
        excluded,
        lambda p: (
            f"{label}{p.get('surface')} {p.get('value', p.get('low'))} {p.get('unit')} {p.get('qualifier')}"
        ),
    )
    return pr, pairs


def score_times(
    gold_dates: list[dict[str, Any]],
    preds: list[dict[str, Any]],
    text: str,
    *,
    excluded: Sequence[tuple[int, int]] = (),
    label: str = "",
) -> PR:
    """Gold dates found with the right ISO value; precision over predicted times."""
    sq = Squeezed.of(text)
    pr = PR()
    taken: set[tuple[int, int]] = set()
    used: set[int] = set()
    for g in gold_dates:
        optional = bool(g.get("optional"))
        span = locate(sq, _surfaces(g), g.get("sentence_hint"), taken)
        if not optional:
            pr.gold += 1
        hit = None
        if span:
            taken.add(span)
            for i, p in enumerate(preds):
                if (
                    i not in used
                    and overlaps(span, (p["start"], p["end"]))
                    and p.get("value") == g.get("iso")
                ):
                    hit = i
                    break
        if hit is not None:
            used.add(hit)
            if not optional:
                pr.tp_gold += 1
        elif not optional:
            pr.misses.append(
                f"{label}{g.get('id')} {g.get('surface')} → {g.get('iso')}"
                + ("" if span else " (surface not in text)")
            )
    _count_predictions(
        pr, preds, used, excluded, lambda p: f"{label}{p.get('surface')} → {p.get('value')}"
    )
    return pr


def score_entities(
    gold_entities: list[dict[str, Any]], preds: list[dict[str, Any]], *, label: str = ""
) -> PR:
    """Distinct canonical ids per document: gold set against predicted set."""
    gold_ids = {g["canonical"] for g in gold_entities if g.get("canonical")}
    pred_ids = {p["id"] for p in preds if p.get("id")}
    pr = PR(
        tp_gold=len(gold_ids & pred_ids),
        gold=len(gold_ids),
        tp_pred=len(pred_ids & gold_ids),
        pred=len(pred_ids),
    )
    pr.misses = [f"{label}{i}" for i in sorted(gold_ids - pred_ids)]
    pr.false_positives = [f"{label}{i}" for i in sorted(pred_ids - gold_ids)]
    return pr


FRAME_FIELDS = ("metric", "subject", "object", "period")


def score_frames(
    pairs: list[tuple[dict[str, Any], dict[str, Any]]], *, label: str = ""
) -> dict[str, Any]:
    """For matched claims with a gold metric: per-field and all-fields accuracy."""
    n = 0
    per_field = dict.fromkeys(FRAME_FIELDS, 0)
    all_right = 0
    wrong: list[str] = []
    for g, p in pairs:
        if not g.get("metric"):
            continue
        n += 1
        ok = True
        for f in FRAME_FIELDS:
            if g.get(f) == p.get(f):
                per_field[f] += 1
            else:
                ok = False
        if ok:
            all_right += 1
        else:
            diffs = ", ".join(
                f"{f}: {p.get(f)!r}≠{g.get(f)!r}" for f in FRAME_FIELDS if g.get(f) != p.get(f)
            )
            wrong.append(f"{label}{g.get('id')} {g.get('surface')}: {diffs}")
    return {
        "matched_with_metric": n,
        "all_fields": round(all_right / n, 4) if n else None,
        **{f: round(per_field[f] / n, 4) if n else None for f in FRAME_FIELDS},
        "wrong": wrong[:80],
    }


def score_reconciliation(
    gold_groups: list[dict[str, Any]],
    claim_of_gold: dict[str, dict[str, Any]],
    reconciled: dict[str, Any],
) -> dict[str, Any]:
    """For each gold group, the share of its by_period claims that our reconciliation
    places in a group with the same key and the same period."""
    placed: dict[str, tuple[tuple[Any, ...], str | None]] = {}
    for grp in reconciled.get("groups", []):
        k = grp.get("key", {})
        key = (k.get("metric"), k.get("subject"), k.get("object"), k.get("commodity"))
        for section in ("periods", "targets", "scenarios"):
            for per in grp.get(section, []) or []:
                for c in per.get("claims", []):
                    placed[c.get("claim_id")] = (key, per.get("period"))
    rows: list[dict[str, Any]] = []
    for gg in gold_groups:
        key = (gg.get("metric"), gg.get("subject"), gg.get("object"), gg.get("commodity"))
        total = ok = 0
        missing = []
        for period, items in (gg.get("by_period") or {}).items():
            for it in items:
                if it.get("metric") not in (None, gg.get("metric")):
                    continue
                total += 1
                ours = claim_of_gold.get(it["claim"])
                where = placed.get(ours["claim_id"]) if ours else None
                if where and where[0][:3] == key[:3] and str(where[1]) == period:
                    ok += 1
                else:
                    missing.append(
                        f"{it['claim']} {it['surface']} @{period}: "
                        + ("claim not matched" if not ours else f"placed {where}")
                    )
        if total:  # date-type gold groups (by_event) hold no figure claims
            rows.append({"key": list(key), "claims": total, "placed": ok, "missing": missing})
    complete = sum(1 for r in rows if r["placed"] == r["claims"])
    n_claims = sum(r["claims"] for r in rows)
    n_placed = sum(r["placed"] for r in rows)
    return {
        "groups": len(rows),
        "reproduced": complete,
        "claims": n_claims,
        "placed": n_placed,
        "detail": rows,
    }
