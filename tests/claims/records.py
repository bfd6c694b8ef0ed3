"""Hand-made layer records for claim tests: located by substring so tests read naturally."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from pipeline.claims import Claim, build_claims

QDEFAULT: dict[str, Any] = {
    "type": "percent",
    "value": None,
    "low": None,
    "high": None,
    "unit": "%",
    "qualifier": "exact",
    "vague": False,
    "per": None,
    "equivalent_of": None,
    "list_id": None,
}


def at(text: str, surface: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the nth occurrence of ``surface``."""
    k = -1
    for _ in range(nth + 1):
        k = text.index(surface, k + 1)
    return k, k + len(surface)


def qty(text: str, surface: str, nth: int = 0, **fields: Any) -> dict[str, Any]:
    """A quantity record; value/low/high default to the point for exact/approx figures."""
    s, e = at(text, surface, nth)
    rec = {**QDEFAULT, **fields, "surface": surface, "start": s, "end": e}
    v = rec["value"]
    q = rec["qualifier"]
    if v is not None and rec["low"] is None and q in ("exact", "approx", "at_least", "more_than"):
        rec["low"] = v
    if (
        v is not None
        and rec["high"] is None
        and q in ("exact", "approx", "nearly", "at_most", "less_than")
    ):
        rec["high"] = v
    return rec


def tm(text: str, surface: str, value: str | None, nth: int = 0, **fields: Any) -> dict[str, Any]:
    """A time record."""
    s, e = at(text, surface, nth)
    return {
        "type": "time",
        "surface": surface,
        "start": s,
        "end": e,
        "value": value,
        "granularity": "year",
        "basis": "explicit",
        "modifier": None,
        **fields,
    }


def ent(text: str, surface: str, etype: str, ident: str, nth: int = 0) -> dict[str, Any]:
    """An entity record."""
    s, e = at(text, surface, nth)
    return {
        "type": etype,
        "surface": surface,
        "start": s,
        "end": e,
        "id": ident,
        "name": surface,
        "source": "gazetteer",
    }


def meta(
    doc_id: str = "d1", published: str | None = "2025-03-01", outlet: str = "測試日報"
) -> dict[str, Any]:
    """Document metadata."""
    return {
        "doc_id": doc_id,
        "title": "測試標題",
        "outlet": outlet,
        "published": published,
        "source_path": f"{doc_id}.txt",
    }


SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "pipeline" / "schemas" / "claim.schema.json").read_text(
        encoding="utf-8"
    )
)


def build_checked(
    text: str,
    quantities: list[dict[str, Any]],
    times: list[dict[str, Any]] | tuple[()] = (),
    entities: list[dict[str, Any]] | tuple[()] = (),
    published: str | None = "2025-03-01",
) -> list[Claim]:
    """build_claims on a test sentence, checking offsets and the JSON Schema of every claim."""
    claims = build_claims(
        meta(published=published), text, None, quantities, list(times), list(entities)
    )
    for c in claims:
        assert text[c.start : c.end] == c.surface
        assert text[c.sentence_start : c.sentence_end] == c.sentence
        jsonschema.validate(c.to_dict(), SCHEMA)
    return claims
