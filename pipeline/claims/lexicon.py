"""Loading the metric lexicon and the claim cue words (data files, loaded once)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class MetricRule:
    """One entry of ``pipeline/data/metrics.json``."""

    key: str
    label: str
    types: tuple[str, ...]
    units: tuple[str, ...]
    all: tuple[tuple[str, ...], ...]
    none: tuple[str, ...]
    object: str | None
    commodity: str | None
    modality: str | None
    roles: str | None
    clear_object: bool
    clause: bool
    defaults: dict[str, str]
    subject_types: tuple[str, ...]
    place: bool
    order: int
    lexicon_subject: str | None = None
    purpose: bool = False
    inside: bool = False
    place_types: tuple[str, ...] = ()
    cue_before: bool = False
    purpose_first: bool = False  # 政府投入…資金，支持X進行Y: the object is Y, not the executor X


def _read(name: str) -> dict[str, Any]:
    """A JSON data file of the package."""
    text = resources.files("pipeline").joinpath("data", name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@lru_cache(maxsize=1)
def metric_rules() -> tuple[MetricRule, ...]:
    """The metric entries in file order."""
    data = _read("metrics.json")
    rules = []
    for i, m in enumerate(data["metrics"]):
        rules.append(
            MetricRule(
                key=m["key"],
                label=m.get("label", ""),
                types=tuple(m.get("types", ())),
                units=tuple(m.get("units", ())),
                all=tuple(tuple(g) for g in m.get("all", ())),
                none=tuple(m.get("none", ())),
                object=m.get("object"),
                commodity=m.get("commodity"),
                modality=m.get("modality"),
                roles=m.get("roles"),
                clear_object=bool(m.get("clear_object", False)),
                clause=bool(m.get("clause", False)),
                defaults=dict(m.get("defaults", {})),
                subject_types=tuple(m.get("subject_types", ())),
                place=bool(m.get("place", False)),
                order=i,
                lexicon_subject=m.get("lexicon_subject"),
                purpose=bool(m.get("purpose", False)),  # true or "first"
                inside=bool(m.get("inside", False)),
                place_types=tuple(m.get("place_types", ())),
                cue_before=bool(m.get("cue_before", False)),
                purpose_first=m.get("purpose") == "first",
            )
        )
    return tuple(rules)


@lru_cache(maxsize=1)
def metric_labels() -> dict[str, str]:
    """Metric key template -> description."""
    return {r.key: r.label for r in metric_rules()}


@lru_cache(maxsize=1)
def slugs() -> dict[str, str]:
    """Canonical id -> slug overrides used in metric key templates."""
    return dict(_read("metrics.json").get("slugs", {}))


@lru_cache(maxsize=1)
def commodity_slugs() -> dict[str, str]:
    """Commodity id -> slug for {commodity} (element symbols come from the gazetteer)."""
    return dict(_read("metrics.json").get("commodity_slugs", {}))


@lru_cache(maxsize=1)
def place_slug_drop() -> frozenset[str]:
    """Generic words left out of a place's slug ('Mountain Pass mine' -> mountain_pass)."""
    return frozenset(_read("metrics.json").get("place_slug_drop", []))


@lru_cache(maxsize=1)
def material_symbols() -> dict[str, str]:
    """Material id -> element symbol (gazetteer ``symbol`` fields)."""
    return {str(r["id"]): str(r["symbol"]) for r in _gazetteer() if r.get("symbol")}


@lru_cache(maxsize=1)
def sectors() -> tuple[tuple[str, str], ...]:
    """(word, sector slug) pairs of claim_cues.json 'sectors', longest word first."""
    table = {k: v for k, v in cues().get("sectors", {}).items() if not k.startswith("_")}
    return tuple(sorted(table.items(), key=lambda kv: (-len(kv[0]), kv[0])))


@lru_cache(maxsize=1)
def rare_earth_re() -> re.Pattern[str]:
    """Commodity ids that count as rare-earth scopes."""
    return re.compile(_read("metrics.json")["rare_earth_pattern"], re.I)


@lru_cache(maxsize=1)
def cues() -> dict[str, Any]:
    """The cue words of ``pipeline/data/claim_cues.json``."""
    return _read("claim_cues.json")


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, Any], ...]:
    """The rows of ``pipeline/data/gazetteer.jsonl``."""
    text = (
        resources.files("pipeline").joinpath("data", "gazetteer.jsonl").read_text(encoding="utf-8")
    )
    return tuple(json.loads(line) for line in text.splitlines() if line.strip())


@lru_cache(maxsize=1)
def org_countries() -> dict[str, str]:
    """Organization id -> its country: gazetteer ``country`` fields, then claim_cues overrides."""
    out: dict[str, str] = {}
    for row in _gazetteer():
        if row.get("country") and row.get("id"):
            out[str(row["id"])] = str(row["country"])
    out.update(cues().get("org_country", {}))
    return out


@lru_cache(maxsize=1)
def subsidiaries() -> dict[tuple[str, str], str]:
    """(parent id, country id) -> subsidiary id, from gazetteer ``parent``/``based_in`` fields."""
    return {
        (str(row["parent"]), str(row["based_in"])): str(row["id"])
        for row in _gazetteer()
        if row.get("parent") and row.get("based_in")
    }


@lru_cache(maxsize=1)
def operators() -> dict[str, str]:
    """Facility id -> the company operating it (gazetteer ``operator`` fields)."""
    return {str(row["id"]): str(row["operator"]) for row in _gazetteer() if row.get("operator")}


@dataclass(frozen=True)
class Purpose:
    """A phrase naming what a budget or subsidy pays for (``claim_cues.json`` ``purposes``)."""

    pattern: re.Pattern[str]
    label: str
    # a generic phrase (深海採礦試驗) names the programme only when its site is named nearby
    context: re.Pattern[str] | None = None
    commodity: str | None = None


@lru_cache(maxsize=1)
def purposes() -> tuple[Purpose, ...]:
    """The purpose phrases in file order; entries are [pattern, label] or [pattern, label, {options}]."""
    out = []
    for entry in cues().get("purposes", []):
        opts: dict[str, Any] = entry[2] if len(entry) > 2 else {}
        ctx = opts.get("context")
        out.append(
            Purpose(
                re.compile(entry[0]),
                str(entry[1]),
                re.compile(ctx) if ctx else None,
                opts.get("commodity"),
            )
        )
    return tuple(out)


@lru_cache(maxsize=1)
def subject_lexicons() -> dict[str, tuple[tuple[str, str], ...]]:
    """Named lexicons of subjects read from text (e.g. weapons platforms), longest surface first."""
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for name, table in cues().get("subject_lexicons", {}).items():
        out[name] = tuple(sorted(table.items(), key=lambda kv: -len(kv[0])))
    return out


@lru_cache(maxsize=1)
def heavy_re() -> re.Pattern[str]:
    """Commodity ids that count as heavy rare-earth scopes."""
    return re.compile(_read("metrics.json").get("heavy_pattern", "heavy"), re.I)
