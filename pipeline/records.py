"""Small versioned record dataclasses shared by the stages.

Every record serialises to a plain dict with a ``schema`` key (``"<kind>/<version>"``);
``from_dict`` ignores unknown keys so older readers survive added fields.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

T = TypeVar("T", bound="Record")


@dataclass
class Record:
    """Base class: ``SCHEMA`` names the record kind and version."""

    SCHEMA: ClassVar[str] = "record/1"

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON dict with the schema tag first."""
        out: dict[str, Any] = {"schema": self.SCHEMA}
        for name in _field_names(type(self)):
            out[name] = _plain(getattr(self, name))
        return out

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        """Build from a dict, ignoring keys this version does not know."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


# Field names per dataclass: ``dataclasses.fields`` rebuilds its tuple on every call,
# and records are serialised by the ten thousand.
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
# Values returned as they are (exact types only: subclasses take the general path).
_SCALARS = frozenset((str, int, float, bool, type(None)))


def _field_names(cls: type) -> tuple[str, ...]:
    """Names of the dataclass fields of ``cls``, in declaration order."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def _plain(value: Any) -> Any:
    """Recursively turn records, tuples and dataclasses into JSON-ready values."""
    if type(value) in _SCALARS:
        return value
    if isinstance(value, Record):
        return value.to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _plain(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


@dataclass
class Table(Record):
    """A table lifted out of the running text (PDF or HTML), rows of cell strings."""

    SCHEMA: ClassVar[str] = "table/1"
    page: int | None
    rows: list[list[str]]
    caption: str | None = None


@dataclass
class Removed(Record):
    """A block removed from the raw text, with offsets into ``RawDocument.text``."""

    SCHEMA: ClassVar[str] = "removed/1"
    start: int
    end: int
    text: str
    reason: str


@dataclass
class Repair(Record):
    """A glyph or term repair, with offsets into the normalized text (after the repair)."""

    SCHEMA: ClassVar[str] = "repair/1"
    start: int
    end: int
    before: str
    after: str
    reason: str


@dataclass
class RawDocument(Record):
    """What a reader gets out of one file before normalization.

    ``text`` is the decoded article text (for HTML the extracted main text, for PDF the
    text with paragraphs rebuilt); ``meta`` holds metadata the format itself carries
    (HTML ``<meta>``/JSON-LD, PDF info) as ``title``/``published``/``outlet``/``authors``.
    ``removed`` lists what the reader already dropped (PDF running headers, page numbers).
    """

    SCHEMA: ClassVar[str] = "raw/1"
    source_path: str
    sha256: str
    doc_id: str
    format: str
    encoding: str | None
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    tables: list[Table] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class NormalizedDocument(Record):
    """One clean document; every later offset refers to ``text``."""

    SCHEMA: ClassVar[str] = "normalized/1"
    doc_id: str
    source_path: str
    sha256: str
    format: str
    encoding: str | None
    title: str | None
    published: str | None
    outlet: str | None
    authors: list[str]
    text: str
    paragraphs: list[list[int]]
    # field -> why it is null (e.g. {"published": "no date line or byline found"})
    missing: dict[str, str] = field(default_factory=dict)
    headings: list[list[int]] = field(default_factory=list)
    script: str = "traditional"
    tables: list[Table] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    source_paths: list[str] = field(default_factory=list)
    pipeline_version: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NormalizedDocument:
        """Rebuild nested records too."""
        doc = super().from_dict(data)
        doc.tables = [t if isinstance(t, Table) else Table.from_dict(t) for t in doc.tables]
        doc.removed = [r if isinstance(r, Removed) else Removed.from_dict(r) for r in doc.removed]
        doc.repairs = [r if isinstance(r, Repair) else Repair.from_dict(r) for r in doc.repairs]
        return doc


def doc_id_for(sha256_hex: str) -> str:
    """Document id: the first 16 hex chars of the file's sha256."""
    return sha256_hex[:16]
