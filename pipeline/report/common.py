"""Shared helpers of the report stage: display strings, value/period formatting, sentences.

Pure functions; the only file read is the package's own data (loaded once).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "data"

# Sentence ends used when a layer gives no sentence list (fallback splitter).
_SENT_END = "。！？!?"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=1)
def report_text() -> dict[str, Any]:
    """The report display strings and cue lists (pipeline/data/report_text.json)."""
    data: dict[str, Any] = json.loads((DATA / "report_text.json").read_text(encoding="utf-8"))
    return data


def _template_re(key: str) -> re.Pattern[str] | None:
    """A regex for a lexicon key with {subject}/{object} slots (None for plain keys)."""
    if "{" not in key:
        return None
    pat = re.escape(key)
    for slot in ("subject", "object"):
        pat = pat.replace(re.escape("{" + slot + "}"), f"(?P<{slot}>[a-z0-9]+)")
    return re.compile(pat)


@lru_cache(maxsize=1)
def _lexicon_entries() -> list[tuple[str, re.Pattern[str] | None, dict[str, str]]]:
    """(key, key regex, names) of the metric lexicon's entries that carry display names."""
    try:
        raw = json.loads((DATA / "metrics.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    entries: Any = raw.get("metrics", raw) if isinstance(raw, dict) else raw
    items: Iterable[tuple[str, Any]]
    if isinstance(entries, dict):
        items = entries.items()
    elif isinstance(entries, list):
        items = (
            (str(e.get("key") or e.get("id") or "") if isinstance(e, dict) else "", e)
            for e in entries
        )
    else:
        return []
    out: list[tuple[str, re.Pattern[str] | None, dict[str, str]]] = []
    for key, e in items:
        if not key or not isinstance(e, dict):
            continue
        names: dict[str, str] = {}
        for lang in ("zh", "en"):
            for k in (f"name_{lang}", f"label_{lang}", f"display_{lang}", lang):
                if isinstance(e.get(k), str) and e[k]:
                    names[lang] = e[k]
                    break
        for k in ("label", "description"):
            if "en" not in names and isinstance(e.get(k), str) and e[k]:
                names["en"] = e[k]
        if names:
            out.append((key, _template_re(key), names))
    return out


@lru_cache(maxsize=1)
def _own_templates() -> list[tuple[re.Pattern[str], str]]:
    """Our Chinese names for templated lexicon keys."""
    out = []
    for key, zh in report_text().get("metric_templates_zh", {}).items():
        rx = _template_re(key)
        if rx is not None and isinstance(zh, str):
            out.append((rx, zh))
    return out


def _fill(template: str, slots: Mapping[str, str], ids: Mapping[str, str | None]) -> str:
    """Put names into a template's {subject}/{object} slots.

    A slug takes its Chinese name when we have one, else the group's canonical id when
    the slug was made from it (mp → MP Materials), else the slug itself.
    """
    names = report_text().get("slug_names", {})
    filled = {}
    for k, slug in slots.items():
        canon = ids.get(k)
        if slug in names:
            filled[k] = names[slug]
        elif canon and re.sub(r"[^a-z0-9]", "", canon.lower()).startswith(slug):
            filled[k] = canon
        else:
            filled[k] = slug
    return template.format(**filled)


@lru_cache(maxsize=512)
def metric_names(
    metric: str | None, subject: str | None = None, obj: str | None = None
) -> tuple[str, str]:
    """(Traditional Chinese name, English name) of a metric key; the key itself as fallback.

    Exact keys first (our file, then the lexicon's), then the lexicon's templated keys
    such as ``{subject}_re_import_share_from_china``.
    """
    if not metric:
        return ("未歸類數字", "unclassified figure")
    own = report_text().get("metric_names", {}).get(metric, {})
    zh: str | None = own.get("zh")
    en: str | None = own.get("en")
    for key, rx, names in _lexicon_entries():
        if key == metric or (rx is not None and rx.fullmatch(metric)):
            zh = zh or names.get("zh")
            en = en or names.get("en")
            break
    if zh is None:
        for rx, tpl in _own_templates():
            m = rx.fullmatch(metric)
            if m:
                slots = {k: v for k, v in m.groupdict().items() if v}
                zh = _fill(tpl, slots, {"subject": subject, "object": obj})
                break
    pretty = metric.replace("_", " ")
    return zh or pretty, en or pretty


def number(x: float, unit: str | None = None) -> str:
    """A number the way a Chinese report writes it: 4.39億, 13.8萬, 62,474, 0.43."""
    a = abs(x)
    if unit != "%" and unit not in _NO_MYRIAD:
        # 萬/億 only when the scaled figure stays short (4.39億, 6.5萬); else plain digits.
        for scale, name in ((1e8, "億"), (1e4, "萬")):
            if a >= scale and _short(x / scale):
                return _trim(x / scale) + name
    if a >= 1e4 and float(x).is_integer():
        return f"{int(x):,d}"
    return _trim(x)


_NO_MYRIAD = frozenset({None, "year", "years", "年", "month", "months", "day", "days"})


def _short(x: float) -> bool:
    """At most two decimals."""
    return abs(round(x, 2) - x) < 1e-9


def _trim(x: float) -> str:
    """Up to four decimals, trailing zeros removed."""
    if float(x).is_integer():
        return f"{int(x):d}"
    return f"{x:.4f}".rstrip("0").rstrip(".")


def with_unit(n: str, unit: str | None) -> str:
    """Attach a unit to a formatted number with the template of report_text.json."""
    if not unit:
        return n
    tpl = report_text().get("units", {}).get(unit)
    if tpl:
        return str(tpl).format(n=n)
    sep = " " if unit[:1].isascii() and unit[:1].isalpha() else ""
    return f"{n}{sep}{unit}"


def format_interval(low: float | None, high: float | None, unit: str | None) -> str:
    """A consensus interval: 58%, 60–70%, 90%以上, 50%以下."""
    if low is not None and high is not None:
        if low == high:
            return with_unit(number(low, unit), unit)
        return with_unit(f"{number(low, unit)}–{number(high, unit)}", unit)
    if low is not None:
        return with_unit(number(low, unit), unit) + "以上"
    if high is not None:
        return with_unit(number(high, unit), unit) + "以下"
    return "—"


def format_claim_value(claim: Mapping[str, Any]) -> str:
    """A claim's value with its hedge, e.g. 約60%, 60–70%, 逾4.39億美元."""
    unit = claim.get("unit")
    q = claim.get("qualifier") or "exact"
    low, high, value = claim.get("low"), claim.get("high"), claim.get("value")
    tpls = report_text().get("qualifiers", {})
    if q == "range" and low is not None and high is not None:
        return with_unit(
            tpls.get("range", "{lo}–{hi}").format(lo=number(low, unit), hi=number(high, unit)),
            unit,
        )
    point = value
    if point is None:
        point = low if low is not None else high
    if point is None:
        return str(claim.get("surface") or "—")
    tpl = tpls.get(q, "{v}")
    # The hedge wraps the number-with-unit: 約60%, 60%以上, 逾4.39億美元.
    return str(tpl).format(v=with_unit(number(point, unit), unit))


def format_period(period: str | None) -> str:
    """An ISO-ish period in Chinese: 2025年, 2025年10月, 2026年1月12日, 1990年代, 2019–2022年."""
    if not period:
        return "時期不明"
    m = re.fullmatch(r"(\d{4})/(\d{4})", period)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        if a % 10 == 0 and b == a + 9:
            return f"{a}年代"
        return f"{a}–{b}年"
    if "/" in period:  # month, quarter or day intervals: 2026-01/2026-09
        a_s, _, b_s = period.partition("/")
        return f"{format_period(a_s)}至{format_period(b_s)}"
    m = re.fullmatch(r"(\d{4})-Q([1-4])", period)
    if m:
        return f"{m.group(1)}年第{m.group(2)}季"
    m = re.fullmatch(r"(\d{4})-H([12])", period)
    if m:
        return f"{m.group(1)}年{'上' if m.group(2) == '1' else '下'}半年"
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", period)
    if m:
        out = f"{m.group(1)}年"
        if m.group(2):
            out += f"{int(m.group(2))}月"
        if m.group(3):
            out += f"{int(m.group(3))}日"
        return out
    return period


def period_sort_key(period: str | None) -> tuple[int, str]:
    """Order periods chronologically; unknown periods last."""
    if not period:
        return (1, "")
    return (0, period)


def modality_zh(modality: str | None) -> str:
    """Chinese label of a claim modality."""
    return str(report_text().get("modalities", {}).get(modality or "", modality or ""))


def label_zh(label: str | None) -> str:
    """Chinese label of a reconciliation label."""
    return str(report_text().get("labels", {}).get(label or "", label or ""))


def entity_type_zh(etype: str | None) -> str:
    """Chinese label of an entity type."""
    return str(report_text().get("entity_types", {}).get(etype or "", etype or ""))


def sentence_spans(text: str, sentences: Sequence[Sequence[int]] | None) -> list[tuple[int, int]]:
    """Sentence spans from the extract layer, or a plain 。！？/newline split when absent."""
    spans = [(int(s[0]), int(s[1])) for s in sentences or [] if len(s) >= 2 and s[1] > s[0]]
    if spans:
        return sorted(spans)
    out: list[tuple[int, int]] = []
    start = 0
    for i, ch in enumerate(text):
        if ch in _SENT_END or ch == "\n":
            end = i + 1 if ch != "\n" else i
            out.extend(_stripped(text, start, end))
            start = i + 1
    out.extend(_stripped(text, start, len(text)))
    return out


def _stripped(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The span without surrounding whitespace (empty list when nothing is left)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [(start, end)] if end > start else []


def containing_sentence(
    spans: Sequence[tuple[int, int]], start: int, end: int | None = None
) -> tuple[int, int] | None:
    """The sentence span that contains offset ``start`` (first one that overlaps otherwise)."""
    end = start + 1 if end is None else end
    for s, e in spans:
        if s <= start < e:
            return (s, e)
    for s, e in spans:
        if s < end and start < e:
            return (s, e)
    return None


def cjk_ratio(s: str) -> float:
    """Share of CJK characters among the non-space characters."""
    chars = [c for c in s if not c.isspace()]
    if not chars:
        return 0.0
    return sum(1 for c in chars if _CJK.match(c)) / len(chars)


def claims_by_id(claims: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """Index claims by claim_id."""
    return {str(c["claim_id"]): c for c in claims if c.get("claim_id") is not None}


class ClaimSet(Mapping[str, Mapping[str, Any]]):
    """A corpus's claims by claim id: held in memory, or read a claim at a time.

    The corpus stage builds it from compact index rows ([claim_id, doc_id, metric, subject,
    object, commodity, period, ...], in each document's claim order) and ``texts(doc_ids)``,
    which returns those documents' claims as JSON Lines: a report that shows a few thousand
    claims parses those claims only, not the corpus's.
    """

    def __init__(
        self,
        claims: Iterable[Mapping[str, Any]] = (),
        *,
        index: Sequence[Sequence[Any]] | None = None,
        texts: Callable[[Sequence[str]], Mapping[str, str]] | None = None,
        figures: Iterable[str] | None = None,
    ) -> None:
        self._texts = texts
        # figure keys precomputed per document (the corpus stage keeps them with its index)
        self._figures = None if figures is None else set(figures)
        self._index = index
        self._lines: dict[str, list[str]] = {}
        self._by_id: dict[str, Mapping[str, Any]] = {}
        self._where: dict[str, tuple[str, int]] = {}  # claim id -> (doc id, line)
        self._count: dict[str, int] = {}
        if index is None:
            rows = list(claims)
            self._by_doc: dict[str, list[Mapping[str, Any]]] = {}
            for c in rows:
                self._by_doc.setdefault(str(c.get("doc_id")), []).append(c)
            self._by_id = claims_by_id(rows)
            self._n = len(rows)
            self.n_unmetric = sum(1 for c in rows if not c.get("metric"))
            self._count = {d: len(v) for d, v in self._by_doc.items()}
        else:
            self._by_doc = {}
            for r in index:
                d = str(r[1])
                n = self._count.get(d, 0)
                self._count[d] = n + 1
                if r[0] is not None:
                    self._where[str(r[0])] = (d, n)
            self._n = len(index)
            self.n_unmetric = sum(1 for r in index if not r[2])

    def prefetch(self, claim_ids: Iterable[str]) -> None:
        """Read the documents of these claims in one go (they are parsed when asked for)."""
        docs = {self._where[c][0] for c in claim_ids if c in self._where}
        self._read(sorted(d for d in docs if d not in self._lines))

    def _read(self, doc_ids: Sequence[str]) -> None:
        """Fetch some documents' claim lines."""
        if doc_ids and self._texts is not None:
            got = self._texts(doc_ids)
            for d in doc_ids:
                self._lines[d] = got.get(d, "").splitlines()

    def forget(self) -> None:
        """Drop the claims read so far (a cold run reads every claim once for the facts;
        keeping them all would double the stage's peak memory)."""
        if self._index is not None:
            self._lines.clear()
            self._by_id.clear()
            self._by_doc.clear()

    def doc_of(self, claim_id: str) -> str | None:
        """The document a claim is from, without reading the claim."""
        if claim_id in self._where:
            return self._where[claim_id][0]
        c = self._by_id.get(claim_id)
        return None if c is None else str(c.get("doc_id"))

    def of_doc(self, doc_id: str) -> list[Mapping[str, Any]]:
        """The claims of one document, in file order."""
        if doc_id not in self._by_doc:
            if doc_id not in self._lines:
                self._read([doc_id] if doc_id in self._count else [])
            rows = [json.loads(x) for x in self._lines.get(doc_id, [])]
            for c in rows:
                self._by_id.setdefault(str(c.get("claim_id")), c)
            self._by_doc[doc_id] = [self._by_id.get(str(c.get("claim_id")), c) for c in rows]
        return self._by_doc[doc_id]

    def count(self, doc_id: str) -> int:
        """How many claims a document has."""
        return self._count.get(doc_id, 0)

    def state_keys(self) -> tuple[list[str], list[str]]:
        """(sorted claim ids, sorted figure keys metric|subject|object|commodity|period)."""
        rows: Sequence[Sequence[Any]]
        if self._index is None:
            rows = [
                [c.get("claim_id"), c.get("doc_id"), *(c.get(k) for k in _FIGURE_FIELDS)]
                for d in sorted(self._by_doc)
                for c in self._by_doc[d]
            ]
        else:
            rows = self._index
        ids = sorted({str(r[0]) for r in rows if r[0] is not None})
        if self._figures is not None:
            return ids, sorted(self._figures)
        figures = sorted({figure_key(r[2:7]) for r in rows if r[2]})
        return ids, figures

    def __getitem__(self, claim_id: str) -> Mapping[str, Any]:
        if claim_id not in self._by_id and claim_id in self._where:
            doc, line = self._where[claim_id]
            if doc not in self._lines:
                self._read([doc])
            self._by_id[claim_id] = json.loads(self._lines[doc][line])
        return self._by_id[claim_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._where if self._index is not None else self._by_id)

    def __len__(self) -> int:
        """Every claim, with or without an id (what the report counts)."""
        return self._n


_FIGURE_FIELDS = ("metric", "subject", "object", "commodity", "period")


def figure_key(values: Sequence[Any]) -> str:
    """metric|subject|object|commodity|period (what "a new figure" means in the briefing)."""
    return "|".join(str(x or "") for x in values)


class DateRowCache(MutableMapping[str, list[dict[str, Any]]]):
    """A timeline cache that also finds the rows earlier runs made of a date.

    ``bases(date)``: (documents and their keys, a loader of the checkpoint: the rows the
    dated mentions made) for each stored grouping of the date; ``note(key, date,
    members, checkpoint)`` records what a new entry was made from. Plain mappings work as
    caches too, without continuation.
    """

    def bases(self, date: str) -> list[tuple[dict[str, str], Callable[[], list[dict[str, Any]]]]]:
        """Stored groupings of a date (none by default)."""
        return []

    def note(
        self,
        key: str,
        date: str,
        members: Mapping[str, str],
        checkpoint: list[dict[str, Any]],
        text: str | None = None,
    ) -> None:
        """Remember what an entry was made from (nothing by default); ``text``: the
        checkpoint's JSON, when the caller already made it."""
