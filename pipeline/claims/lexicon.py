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
                purpose=bool(m.get("purpose", False)),
                inside=bool(m.get("inside", False)),
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
def rare_earth_re() -> re.Pattern[str]:
    """Commodity ids that count as rare-earth scopes."""
    return re.compile(_read("metrics.json")["rare_earth_pattern"], re.I)


@lru_cache(maxsize=1)
def cues() -> dict[str, Any]:
    """The cue words of ``pipeline/data/claim_cues.json``."""
    return _read("claim_cues.json")


@lru_cache(maxsize=1)
def org_countries() -> dict[str, str]:
    """Organization id -> its country: gazetteer ``country`` fields, then claim_cues overrides."""
    out: dict[str, str] = {}
    text = (
        resources.files("pipeline").joinpath("data", "gazetteer.jsonl").read_text(encoding="utf-8")
    )
    for line in text.splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("country") and row.get("id"):
            out[str(row["id"])] = str(row["country"])
    out.update(cues().get("org_country", {}))
    return out


@lru_cache(maxsize=1)
def purposes() -> tuple[tuple[re.Pattern[str], str], ...]:
    """(pattern, purpose label) pairs naming what a budget or subsidy pays for."""
    return tuple((re.compile(p), label) for p, label in cues().get("purposes", []))


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
