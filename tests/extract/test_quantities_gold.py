"""Quantity extraction scored against the hand-annotated seed articles.

``score_quantities`` is the reusable scorer (to move into pipeline/eval later).

Matching (recall): each gold claim is located in the normalized seed text (its
``surface_norm`` or ``surface``, searched from its ``sentence_hint`` to the end of that
sentence). A prediction matches a claim when its span equals the located span (strict;
"lenient" only asks for overlap), its value equals the gold value (a gold list [lo, hi]
is compared with low/high; for open bounds a null value may be carried by the bound),
its unit is equivalent (gold units as written are normalized through
pipeline/data/units.json: 公噸/噸 → t, 日圓 → JPY, 年 → year, …) and its qualifier is equal
(a gold note "reading X as Q is also acceptable" admits Q too). Two gold claims may share
one surface; one prediction then matches both.

Precision: a prediction is a true positive when it matches some gold claim (lenient
span). It is a false positive when it matches none and (a) overlaps a gold ``non_claims``
surface — except those whose ``why`` says "not required", which the notes call neutral —
or (b) overlaps a gold date surface, or (c) lies in a sentence (split on 。！？ and line
breaks) that holds a gold claim. Other predictions (sentences without gold claims) are
not judged. precision = TP / (TP + FP).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from pipeline.extract.quantities import extract_quantities_dicts

_WIDTH = str.maketrans("０１２３４５６７８９％．＞＜", "0123456789%.><")


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def normalize_for_matching(text: str) -> str:
    """Minimal normalization: ASCII digits/％/．, &gt;/&lt;, no spaces between digits and CJK."""
    text = text.translate(_WIDTH).replace("&gt;", ">").replace("&lt;", "<")
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in " \u00a0\u3000":
            j = i
            while j < n and text[j] in " \u00a0\u3000":
                j += 1
            left = out[-1] if out else ""
            right = text[j] if j < n else ""
            kinds = (
                "d" if left.isdigit() else "c" if _is_cjk(left) else "%" if left == "%" else ""
            ) + ("d" if right.isdigit() else "c" if _is_cjk(right) else "%" if right == "%" else "")
            if kinds in ("dc", "cd", "%c", "d%"):
                i = j
                continue
            out.append(text[i:j])
            i = j
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _units_table() -> dict[str, str]:
    data = json.loads(
        resources.files("pipeline").joinpath("data", "units.json").read_text(encoding="utf-8")
    )
    table = {k: v["unit"] for k, v in data["units"].items()}
    return {k: ("TWD" if v == "LOCAL" else v) for k, v in table.items()}


def _norm_unit(unit: str | None, table: Mapping[str, str]) -> str | None:
    if unit is None:
        return None
    return table.get(unit, unit)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def _value_ok(claim: Mapping[str, Any], pred: Mapping[str, Any]) -> bool:
    gv = claim["value"]
    if isinstance(gv, list):
        return _close(pred.get("low"), gv[0]) and _close(pred.get("high"), gv[1])
    pv = pred.get("value")
    if pv is None:
        pv = pred.get("low") if pred.get("low") is not None else pred.get("high")
    return _close(pv, float(gv))


def _qualifiers(claim: Mapping[str, Any]) -> set[str]:
    quals = {claim["qualifier"]}
    note = str(claim.get("note", ""))
    for m in re.finditer(r"as (\w+) is also acceptable", note):
        quals.add(m.group(1))
    return quals


def _sentence_end(text: str, pos: int) -> int:
    m = re.compile(r"[。！？]").search(text, pos)
    return m.end() if m else len(text)


def _locate(text: str, surface: str, hint: str) -> tuple[int, int] | None:
    """Span of ``surface`` in the sentence starting with ``hint``."""
    starts = [m.start() for m in re.finditer(re.escape(hint), text)] if hint else [0]
    for h in starts:
        end = _sentence_end(text, h + len(hint))
        k = text.find(surface, h, end + len(surface))
        while k >= 0:
            before = text[k - 1] if k > 0 else ""
            after = text[k + len(surface)] if k + len(surface) < len(text) else ""
            if not (surface[0].isdigit() and (before.isdigit() or before in ".,")) and not (
                surface[-1].isdigit() and after.isdigit()
            ):
                return k, k + len(surface)
            k = text.find(surface, k + 1, end + len(surface))
    return None


def _sentence_ids(text: str) -> list[int]:
    ids: list[int] = []
    sid = 0
    for ch in text:
        ids.append(sid)
        if ch in "。！？\n":
            sid += 1
    return ids


def _all_spans(text: str, surface: str) -> list[tuple[int, int]]:
    if not surface:
        return []
    return [(m.start(), m.end()) for m in re.finditer(re.escape(surface), text)]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_quantities(
    gold: dict[str, Any],
    extract: Callable[[str], list[dict[str, Any]]],
    *,
    seeds_dir: Path | None = None,
    texts: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Recall of gold claims and precision of predicted quantities over the gold docs."""
    units = _units_table()
    if seeds_dir is None:
        seeds_dir = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "seeds"
    total = required = hit = hit_req = hit_len = located = 0
    tp = fp = 0
    misses: list[dict[str, Any]] = []
    false_pos: list[dict[str, Any]] = []
    per_doc: dict[str, dict[str, Any]] = {}
    for doc in gold["docs"]:
        raw = (
            texts[doc["file"]]
            if texts is not None
            else (seeds_dir / doc["file"]).read_text(encoding="utf-8")
        )
        text = normalize_for_matching(raw)
        preds = extract(text)
        sent = _sentence_ids(text)
        claim_spans: list[tuple[dict[str, Any], tuple[int, int] | None]] = []
        for c in doc["claims"]:
            hint = normalize_for_matching(c.get("sentence_hint", ""))
            span = None
            for form in (c.get("surface_norm"), c["surface"]):
                if form and span is None:
                    span = _locate(text, normalize_for_matching(form), hint)
            claim_spans.append((c, span))
        claim_sents = {sent[sp[0]] for _, sp in claim_spans if sp is not None}
        matched_preds: set[int] = set()
        d_total = d_hit = 0
        for c, span in claim_spans:
            optional = bool(c.get("optional"))
            total += 1
            d_total += 1
            required += 0 if optional else 1
            if span is None:
                misses.append(
                    {
                        "doc": doc["file"][:3],
                        "id": c["id"],
                        "surface": c["surface"],
                        "why": "not located",
                    }
                )
                continue
            located += 1
            gunit = _norm_unit(c["unit"], units)
            strict = lenient = False
            for i, p in enumerate(preds):
                pspan = (p["start"], p["end"])
                if not _overlaps(pspan, span):
                    continue
                ok = (
                    _value_ok(c, p)
                    and _norm_unit(p.get("unit"), units) == gunit
                    and p.get("qualifier") in _qualifiers(c)
                )
                if ok:
                    lenient = True
                    matched_preds.add(i)
                    if pspan == span:
                        strict = True
            if strict:
                hit += 1
                d_hit += 1
                hit_req += 0 if optional else 1
            if lenient:
                hit_len += 1
            if not strict:
                near = [
                    {k: p.get(k) for k in ("surface", "value", "low", "high", "unit", "qualifier")}
                    for p in preds
                    if _overlaps((p["start"], p["end"]), span)
                ]
                misses.append(
                    {
                        "doc": doc["file"][:3],
                        "id": c["id"],
                        "surface": c["surface"],
                        "optional": optional,
                        "got": near,
                    }
                )
        forbidden: list[tuple[int, int]] = []
        for nc in doc.get("non_claims", []):
            if "not required" in str(nc.get("why", "")):
                continue
            forbidden.extend(_all_spans(text, normalize_for_matching(nc["surface"])))
        dates: list[tuple[int, int]] = []
        for d in doc.get("dates", []):
            dates.extend(_all_spans(text, normalize_for_matching(d["surface"])))
        d_tp = d_fp = 0
        for i, p in enumerate(preds):
            assert text[p["start"] : p["end"]] == p["surface"]
            if i in matched_preds:
                tp += 1
                d_tp += 1
                continue
            pspan = (p["start"], p["end"])
            why = None
            if any(_overlaps(pspan, f) for f in forbidden):
                why = "non_claim"
            elif any(_overlaps(pspan, d) for d in dates):
                why = "date"
            elif sent[p["start"]] in claim_sents:
                why = "unmatched in claim sentence"
            if why is not None:
                fp += 1
                d_fp += 1
                false_pos.append(
                    {
                        "doc": doc["file"][:3],
                        "surface": p["surface"],
                        "value": p.get("value"),
                        "unit": p.get("unit"),
                        "qualifier": p.get("qualifier"),
                        "why": why,
                    }
                )
        per_doc[doc["file"][:3]] = {"claims": d_total, "hit": d_hit, "tp": d_tp, "fp": d_fp}
    return {
        "claims": total,
        "required": required,
        "located": located,
        "recall": hit / total if total else 1.0,
        "recall_required": hit_req / required if required else 1.0,
        "recall_lenient": hit_len / total if total else 1.0,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "tp": tp,
        "fp": fp,
        "per_doc": per_doc,
        "misses": misses,
        "false_positives": false_pos,
    }


def _extract(text: str) -> list[dict[str, Any]]:
    return extract_quantities_dicts(text)


def test_quantities_against_gold(gold: dict[str, Any], seeds_dir: Path) -> None:
    result = score_quantities(gold, _extract, seeds_dir=seeds_dir)
    print(
        f"\nquantities vs gold: recall={result['recall']:.3f} "
        f"recall_required={result['recall_required']:.3f} "
        f"recall_lenient={result['recall_lenient']:.3f} precision={result['precision']:.3f} "
        f"(claims={result['claims']} required={result['required']} located={result['located']} "
        f"tp={result['tp']} fp={result['fp']})"
    )
    for miss in result["misses"]:
        print("MISS", json.dumps(miss, ensure_ascii=False))
    for f in result["false_positives"]:
        print("FP  ", json.dumps(f, ensure_ascii=False))
    assert result["located"] == result["claims"]
    assert result["recall"] >= 0.9
    assert result["recall_required"] >= 0.95
    assert result["precision"] >= 0.9


def test_normalize_for_matching_examples() -> None:
    assert normalize_for_matching("2.5 億美元") == "2.5億美元"
    assert normalize_for_matching("6 萬 2,474 噸") == "6萬2,474噸"
    assert normalize_for_matching("&gt;8成") == ">8成"
    assert normalize_for_matching("５８％") == "58%"
    assert normalize_for_matching("Lynas 2.5億") == "Lynas 2.5億"


@pytest.mark.parametrize(
    ("claim", "pred", "ok"),
    [
        (
            {"value": [60, 70], "qualifier": "range"},
            {"value": None, "low": 60.0, "high": 70.0},
            True,
        ),
        ({"value": 50, "qualifier": "more_than"}, {"value": None, "low": 50.0, "high": None}, True),
        ({"value": 50, "qualifier": "more_than"}, {"value": 50.0, "low": 50.0, "high": None}, True),
        ({"value": 90, "qualifier": "exact"}, {"value": 9.0, "low": 9.0, "high": 9.0}, False),
    ],
)
def test_value_comparison(claim: dict[str, Any], pred: dict[str, Any], ok: bool) -> None:
    assert _value_ok(claim, pred) is ok


_SYNTHETIC = {
    "docs": [
        {
            "file": "synthetic.txt",
            "claims": [
                {
                    "id": "s-1",
                    "surface": "約六成",
                    "value": 60,
                    "unit": "%",
                    "qualifier": "approx",
                    "sentence_hint": "日本的鎵",
                },
                {
                    "id": "s-2",
                    "surface": "2 億澳幣",
                    "surface_norm": "2億澳幣",
                    "value": 200000000,
                    "unit": "澳幣",
                    "qualifier": "exact",
                    "sentence_hint": "政府注資",
                },
                {
                    "id": "s-3",
                    "surface": "第二大來源",
                    "value": 2,
                    "unit": "rank",
                    "qualifier": "exact",
                    "sentence_hint": "越南是",
                    "optional": True,
                },
            ],
            "non_claims": [{"surface": "G7", "why": "group name"}],
            "dates": [{"surface": "2024年"}],
        }
    ]
}
_SYNTHETIC_TEXT = (
    "日本的鎵約六成來自中國。政府注資 2 億澳幣給G7夥伴。越南是第二大來源。2024年出口回升。"
)


def test_score_quantities_on_synthetic_gold() -> None:
    result = score_quantities(_SYNTHETIC, _extract, texts={"synthetic.txt": _SYNTHETIC_TEXT})
    assert result["located"] == 3
    assert result["recall"] == 1.0
    assert result["precision"] == 1.0


def test_score_quantities_counts_false_positives_and_misses() -> None:
    def sloppy(text: str) -> list[dict[str, Any]]:
        out = _extract(text)
        k = text.index("G7")
        out.append(
            {
                "surface": "7",
                "start": k + 1,
                "end": k + 2,
                "value": 7.0,
                "unit": None,
                "qualifier": "exact",
            }
        )
        return [d for d in out if d["surface"] != "約六成"]

    result = score_quantities(_SYNTHETIC, sloppy, texts={"synthetic.txt": _SYNTHETIC_TEXT})
    assert result["recall"] == pytest.approx(2 / 3)
    assert result["recall_required"] == pytest.approx(1 / 2)
    assert result["fp"] == 1
    assert result["false_positives"][0]["why"] == "non_claim"
