"""Entities against the gold ``entities`` of the seed articles.

Scoring (``score_entities``), per document, over DISTINCT canonical ids:
- a gold entity is found when some extracted entity has its canonical id (whatever
  surface it was found on: any alias counts);
- recall = gold ids found / gold ids;
- precision = predicted distinct ids that are gold ids / all predicted distinct ids
  (document-local ids of unknown names count as predictions, so they cost precision).
Extraction runs on the raw seed text with minimal normalization: the title line and the
gold boilerplate (bylines, captions, related-article tails) are blanked out with spaces
so offsets stay put and only the article body is scored, as in the gold.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipeline.extract.entities import extract_entities

FLOOR = 0.75


def body_text(raw: str, doc: dict[str, Any]) -> str:
    """The raw text with the title and gold boilerplate blanked (same length)."""
    text = raw
    note = doc.get("boilerplate_note") or ""
    # "Cut from X to end of file" in the note marks where the article body stops.
    cuts = [b for b in doc.get("boilerplate", []) if f"from {b}" in note]
    cuts += re.findall(r"from 「([^」]+)」", note)

    def blank(s: int, e: int) -> None:
        nonlocal text
        text = text[:s] + "".join(ch if ch == "\n" else " " for ch in text[s:e]) + text[e:]

    for marker in cuts:
        pos = text.find(marker)
        if pos >= 0:
            blank(pos, len(text))
    for b in doc.get("boilerplate", []):
        for m in re.finditer(re.escape(b), text):
            s = text.rfind("\n", 0, m.start()) + 1
            e = text.find("\n", m.start())
            e = e if e >= 0 else len(text)
            # Blank the whole line for caption/byline lines, else only the string.
            if e - s <= 2 * len(b) + 40:
                blank(s, e)
            else:
                blank(m.start(), m.end())
    title = doc.get("title")
    if title and doc.get("title_in_text"):
        pos = text.find(title)
        if pos >= 0:
            blank(pos, pos + len(title))
    return text


def score_entities(
    gold: list[dict[str, Any]], extract: Callable[[], list[dict[str, Any]]]
) -> dict[str, Any]:
    """Recall/precision over distinct canonical ids of one document."""
    gold_ids = {g["canonical"] for g in gold}
    pred_ids = {p["id"] for p in extract()}
    tp = len(gold_ids & pred_ids)
    return {
        "gold": len(gold_ids),
        "pred": len(pred_ids),
        "tp": tp,
        "recall": tp / len(gold_ids) if gold_ids else 1.0,
        "precision": tp / len(pred_ids) if pred_ids else 1.0,
        "missed": sorted(gold_ids - pred_ids),
        "spurious": sorted(pred_ids - gold_ids),
    }


def test_entities_against_gold(seeds_dir: Path, gold: dict[str, Any]) -> None:
    """Micro-averaged recall and precision over the five seeds, with a floor."""
    tot = {"gold": 0, "pred": 0, "tp": 0}
    for doc in gold["docs"]:
        raw = (seeds_dir / doc["file"]).read_text(encoding="utf-8")
        text = body_text(raw, doc)
        ents = extract_entities(text)
        for e in ents:
            assert text[e.start : e.end] == e.surface
        res = score_entities(doc["entities"], lambda ents=ents: [e.to_dict() for e in ents])
        for k in tot:
            tot[k] += res[k]
        print(
            f"{doc['file']}: recall {res['recall']:.3f} precision {res['precision']:.3f}"
            f"\n  missed: {res['missed']}\n  spurious: {res['spurious']}"
        )
    recall = tot["tp"] / tot["gold"]
    precision = tot["tp"] / tot["pred"]
    print(f"ALL: recall {recall:.3f} precision {precision:.3f} ({tot})")
    assert recall >= FLOOR
    assert precision >= FLOOR


@pytest.mark.parametrize("case", ["gold-surfaces"])
def test_every_gold_surface_is_an_exact_substring(case: str, seeds_dir: Path, gold: dict) -> None:
    """Sanity: the gold aliases are exact substrings of the raw seed text."""
    for doc in gold["docs"]:
        raw = (seeds_dir / doc["file"]).read_text(encoding="utf-8")
        for ent in doc["entities"]:
            assert any(a in raw for a in ent["aliases"]), (doc["file"], ent["canonical"])
