"""The claim record: one figure with its frame (metric, parties, period, modality, source)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from pipeline.records import Record


@dataclass
class Claim(Record):
    """A figure that states something, with the frame read from its sentence.

    ``start``/``end`` are the value's offsets and ``sentence_start``/``sentence_end``
    the sentence's, both half-open into the normalized text.
    """

    SCHEMA: ClassVar[str] = "claim/1"
    claim_id: str
    doc_id: str
    surface: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    sentence: str
    type: str
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    qualifier: str
    vague: bool = False
    unit_surface: str | None = None
    per: str | None = None
    metric: str | None = None
    context: list[str] = field(default_factory=list)
    subject: str | None = None
    object: str | None = None
    commodity: str | None = None
    period: str | None = None
    period_basis: str = "unresolved"
    modality: str = "estimate"
    attribution: str | None = None
    equivalent_of: str | None = None
    source: dict[str, Any] = field(default_factory=dict)
    pipeline_version: str = ""
