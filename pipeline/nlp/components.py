"""Registered spaCy components wrapping the pure extractors.

Each component calls a pure core on ``doc.text`` and stores the results as a span
group (``doc.spans["quantities"|"times"|"entities"]``). Records keep their exact
character offsets; the spans are the token-expanded view
(``doc.char_span(start, end, alignment_mode="expand")``). ``span._.record`` returns the
record dict, ``span._.value`` its normalized value (the canonical id for entities).

Span extension values live in ``doc.user_data`` keyed by character offsets only, so a
time and a quantity expanding to the same tokens would share them; we therefore key the
records by ``span.id_`` ("<group>:<index>") and expose them through getters.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from typing import Any

import numpy
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.nlp.sentences import split_sentences

_RECORDS = "zh_records"
_INDEX = "zh_token_index"
_TEXT = "zh_text"
_GROUPS = "zh_group_records"


def _record(span: Span) -> dict[str, Any] | None:
    """The record behind a span of one of our groups."""
    records: dict[str, dict[str, Any]] = span.doc.user_data.get(_RECORDS, {})
    return records.get(span.id_)


def _value(span: Span) -> Any:
    """Normalized value: ``value`` for figures and times, the canonical ``id`` for entities."""
    rec = _record(span)
    if rec is None:
        return None
    return rec["id"] if rec.get("schema", "").startswith("entity/") else rec.get("value")


def ensure_extensions() -> None:
    """Register the Doc/Span extensions once (idempotent)."""
    for name, default in (
        ("paragraphs", None),
        ("reference_date", None),
        ("roc_years", False),
        ("sentences", None),
    ):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    if not Span.has_extension("record"):
        Span.set_extension("record", getter=_record)
    if not Span.has_extension("value"):
        Span.set_extension("value", getter=_value)


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per doc (spaCy rebuilds it from the tokens on every access)."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return str(text)


def remember_layout(doc: Doc, text: str, starts: list[int], ends: list[int]) -> None:
    """Store the doc's text and token character offsets, as known to the tokenizer."""
    doc.user_data[_TEXT] = text
    doc.user_data[_INDEX] = TokenIndex.from_offsets(starts, ends)


class TokenIndex:
    """Character -> token lookups for one doc (what ``char_span(..., "expand")`` does).

    ``doc.char_span`` rebuilds ``doc.text`` on every call, which made the pipeline
    quadratic on long articles; one bisect table per doc gives the same spans.
    """

    def __init__(self, doc: Doc) -> None:
        # One array call instead of a Token object per token (Token creation dominated).
        if len(doc):
            arr = doc.to_array([IDX, LENGTH])
            self.starts = arr[:, 0].tolist()
            self.ends = (arr[:, 0] + arr[:, 1]).tolist()
        else:
            self.starts, self.ends = [], []

    @classmethod
    def from_offsets(cls, starts: list[int], ends: list[int]) -> TokenIndex:
        """An index from token start/end offsets known beforehand."""
        index = cls.__new__(cls)
        index.starts, index.ends = starts, ends
        return index

    @classmethod
    def of(cls, doc: Doc) -> TokenIndex:
        """The doc's index, built once and shared by the components."""
        index = doc.user_data.get(_INDEX)
        if index is None:
            index = doc.user_data[_INDEX] = cls(doc)
        return index

    def expand(self, start: int, end: int) -> tuple[int, int] | None:
        """Token range covering characters ``[start, end)``, or None if empty."""
        if end <= start or not self.starts:
            return None
        i = bisect_right(self.ends, start)  # first token ending after ``start``
        j = bisect_left(self.starts, end)  # first token starting at or after ``end``
        return (i, j) if i < j else None


def set_group(doc: Doc, group: str, records: Iterable[dict[str, Any]]) -> Doc:
    """Store ``records`` (dicts with start/end/type) as span group ``group``."""
    store: dict[str, dict[str, Any]] = doc.user_data.setdefault(_RECORDS, {})
    for key in [k for k in store if k.startswith(group + ":")]:
        del store[key]
    index = TokenIndex.of(doc)
    spans = []
    kept: list[dict[str, Any]] = []
    for i, rec in enumerate(records):
        rng = index.expand(rec["start"], rec["end"])
        if rng is None:  # only possible for an empty or out-of-range record
            continue
        span = Span(doc, rng[0], rng[1], label=str(rec.get("type") or group))
        span.id_ = f"{group}:{i}"
        store[span.id_] = rec
        spans.append(span)
        kept.append(rec)
    doc.spans[group] = spans
    doc.user_data.setdefault(_GROUPS, {})[group] = kept
    return doc


def group_records(doc: Doc, group: str) -> list[dict[str, Any]]:
    """The records of span group ``group`` in span order (``[sp._.record for sp in ...]``)."""
    groups: dict[str, list[dict[str, Any]]] = doc.user_data.get(_GROUPS, {})
    kept = groups.get(group)
    spans = doc.spans[group]
    if kept is None or len(kept) != len(spans):
        return [_record(sp) for sp in spans]  # type: ignore[misc]  # set some other way
    return list(kept)


def _exclusions(doc: Doc, groups: Iterable[str]) -> list[tuple[int, int]]:
    """Exact character spans of the records of ``groups`` already on the doc."""
    out = []
    for g in groups:
        if g in doc.spans:
            for rec in group_records(doc, g):
                if rec is not None:
                    out.append((rec["start"], rec["end"]))
    return sorted(out)


class SentenceSetter:
    """Sentence starts from ``split_sentences`` (exact offsets kept in ``doc._.sentences``)."""

    def __call__(self, doc: Doc) -> Doc:
        ensure_extensions()
        sents = split_sentences(doc_text(doc), doc._.paragraphs)
        doc._.sentences = [tuple(s) for s in sents]
        index = TokenIndex.of(doc)
        first = {0}
        for s, e in sents:
            rng = index.expand(s, e)
            if rng is not None:
                # A sentence start inside a token marks that token's start.
                first.add(rng[0])
        # Setting token.is_sent_start one by one re-checks the whole doc each time
        # (quadratic); one from_array call sets them all.
        values = numpy.full((len(doc), 1), -1, dtype="int64")
        for i in first:
            if i < len(doc):
                values[i, 0] = 1
        if len(doc):
            doc.from_array([SENT_START], values.astype("uint64"))  # type: ignore[arg-type]
        return doc


class RecordComponent:
    """Run a pure extractor on ``doc.text`` and store its records as a span group."""

    def __init__(
        self,
        group: str,
        run: Callable[[Doc, list[tuple[int, int]]], list[dict[str, Any]]],
        exclude_groups: Iterable[str] = (),
    ) -> None:
        self.group = group
        self.run = run
        self.exclude_groups = tuple(exclude_groups)

    def __call__(self, doc: Doc) -> Doc:
        ensure_extensions()
        records = self.run(doc, _exclusions(doc, self.exclude_groups))
        return set_group(doc, self.group, records)


def _run_quantities(doc: Doc, exclude: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """Quantities of the doc text (import lazily: the module may be absent)."""
    from pipeline.extract.quantities import extract_quantities

    return [q.to_dict() for q in extract_quantities(doc_text(doc), exclude=exclude)]


def _run_times(doc: Doc, exclude: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """Time expressions resolved against ``doc._.reference_date``."""
    from pipeline.extract.times import extract_times, extract_times_undated

    roc = bool(doc._.roc_years)
    if doc._.reference_date is None:
        # an undated document: 今年 resolves against its latest reported day (basis inferred)
        out, _ref = extract_times_undated(doc_text(doc), roc_years=roc)
    else:
        out = extract_times(doc_text(doc), doc._.reference_date, roc_years=roc)
    return [t.to_dict() for t in out]


def _run_entities(doc: Doc, exclude: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """Gazetteer and pattern entities."""
    from pipeline.extract.entities import extract_entities

    return [e.to_dict() for e in extract_entities(doc_text(doc))]


@Language.factory("zh_sentences")
def make_sentences(nlp: Language, name: str) -> SentenceSetter:
    """Factory: sentence boundaries."""
    return SentenceSetter()


@Language.factory("zh_quantities", default_config={"exclude_groups": ["entities"]})
def make_quantities(nlp: Language, name: str, exclude_groups: list[str]) -> RecordComponent:
    """Factory: quantities; numbers inside the ``exclude_groups`` spans (G7, F-35) are skipped."""
    return RecordComponent("quantities", _run_quantities, exclude_groups)


@Language.factory("zh_times")
def make_times(nlp: Language, name: str) -> RecordComponent:
    """Factory: time expressions."""
    return RecordComponent("times", _run_times)


@Language.factory("zh_entities")
def make_entities(nlp: Language, name: str) -> RecordComponent:
    """Factory: entities with canonical ids."""
    return RecordComponent("entities", _run_entities)
