"""The corpus briefing (OUT/briefing.md): reconciled figures, timeline, entities, news.

``briefing_facts`` turns reconciled.json into structured statements; the Markdown is
rendered from those facts only, so a test can hold the two against each other.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from typing import Any

from pipeline import io
from pipeline.report.common import (
    ClaimSet,
    DateRowCache,
    claims_by_id,
    containing_sentence,
    entity_type_zh,
    figure_key,
    format_claim_value,
    format_interval,
    format_period,
    label_zh,
    metric_names,
    period_sort_key,
    report_text,
    sentence_spans,
)
from pipeline.report.summaries import _features

STATE_SCHEMA = "briefing_state/1"
_KEY_FIELDS = ("metric", "subject", "object", "commodity")


# ---------------------------------------------------------------- reconciled figures


def _num(x: Any) -> float | None:
    """A number or None (tolerates strings and missing keys)."""
    if isinstance(x, bool) or x is None:
        return None
    if isinstance(x, (int, float)):
        return float(x)
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def _group_unit(group: Mapping[str, Any], lookup: Mapping[str, Mapping[str, Any]]) -> str | None:
    """The unit of a group: declared on it, or the most common unit of its claims."""
    for where in (group, group.get("key") or {}):
        if where.get("unit"):
            return str(where["unit"])
    units: Counter[str] = Counter()
    for p in group.get("periods") or []:
        for c in p.get("claims") or []:
            full = {**lookup.get(str(c.get("claim_id")), {}), **c}
            if full.get("unit"):
                units[str(full["unit"])] += 1
    return units.most_common(1)[0][0] if units else None


def _scope(key: Mapping[str, Any]) -> str:
    """'Japan → China; rare earths' from a group key."""
    parts = []
    if key.get("subject") and key.get("object"):
        parts.append(f"{key['subject']} → {key['object']}")
    elif key.get("subject") or key.get("object"):
        parts.append(str(key.get("subject") or f"→ {key['object']}"))
    if key.get("commodity"):
        parts.append(str(key["commodity"]))
    return "; ".join(parts)


def _period_unit(
    entries: Sequence[Mapping[str, Any]], lookup: Mapping[str, Mapping[str, Any]]
) -> str | None:
    """The most common unit among a period's claims."""
    units: Counter[str] = Counter()
    for c in entries:
        full = {**lookup.get(str(c.get("claim_id")), {}), **c}
        if full.get("unit"):
            units[str(full["unit"])] += 1
    return sorted(units.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if units else None


def stated_value(support: Sequence[Mapping[str, Any]], unit: str | None) -> str | None:
    """What the supporting sources say, in their own terms: 約90%, 60–70%, 50%以下.

    The consensus interval is widened by rounding (90% and 約九成 → 89.5–90.5); a reader
    wants the stated figure, so points and ranges are merged as stated, and bounds are
    shown only when the sources give nothing firmer (the tightest bound wins).
    """
    points: list[float] = []
    approx = False
    lows: list[Mapping[str, Any]] = []
    highs: list[Mapping[str, Any]] = []
    for c in support:
        if unit is not None and c.get("unit") not in (None, unit):
            continue
        q = c.get("qualifier") or "exact"
        lo, hi, v = _num(c.get("low")), _num(c.get("high")), _num(c.get("value"))
        if q == "range" and lo is not None and hi is not None:
            points += [lo, hi]
        elif q in ("at_least", "more_than"):
            if lo is not None or v is not None:
                lows.append(c)
        elif q in ("at_most", "less_than", "nearly"):
            if hi is not None or v is not None:
                highs.append(c)
        elif v is not None:
            points.append(v)
            approx = approx or q == "approx"
        elif lo is not None and lo == hi:
            points.append(lo)
            approx = approx or q == "approx"
    if points:
        a, b = min(points), max(points)
        if a == b:
            return ("約" if approx else "") + format_interval(a, a, unit)
        return format_interval(a, b, unit)
    if lows and not highs:
        best = max(lows, key=lambda c: _num(c.get("low")) or _num(c.get("value")) or 0.0)
        return format_claim_value({**best, "unit": unit})
    if highs and not lows:
        best = min(highs, key=lambda c: _num(c.get("high")) or _num(c.get("value")) or 0.0)
        return format_claim_value({**best, "unit": unit})
    return None


def _period_fact(
    p: Mapping[str, Any], unit: str | None, lookup: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """One period of a group as a structured statement."""
    cons = p.get("consensus") or {}
    entries = list(p.get("claims") or [])
    # A period may carry its own unit (mixed units in one group must not share one).
    unit = cons.get("unit") or p.get("unit") or _period_unit(entries, lookup) or unit
    labels = Counter(str(c.get("label") or "unlabelled") for c in entries)
    conflicts = []
    for c in entries:
        if c.get("label") != "conflict":
            continue
        full = {**lookup.get(str(c.get("claim_id")), {}), **c}
        conflicts.append(
            {
                "claim_id": c.get("claim_id"),
                "doc_id": c.get("doc_id") or full.get("doc_id"),
                "value": format_claim_value(full)
                if full.get("surface")
                or full.get("low") is not None
                or full.get("value") is not None
                else None,
                "explanation": c.get("explanation") or "",
            }
        )
    sources = cons.get("sources")
    if not isinstance(sources, int):
        sources = len(
            {str(c.get("doc_id")) for c in entries if c.get("label") in ("agree", "compatible")}
        ) or len({str(c.get("doc_id")) for c in entries})
    low, high = _num(cons.get("low")), _num(cons.get("high"))
    period = p.get("period")
    support_ids = cons.get("claims")
    if not isinstance(support_ids, list):
        support_ids = [
            c.get("claim_id") for c in entries if c.get("label") in ("agree", "compatible")
        ]
    wanted = {str(i) for i in support_ids}
    support = [
        {**lookup.get(str(c.get("claim_id")), {}), **c}
        for c in entries
        if str(c.get("claim_id")) in wanted
    ]
    modalities = sorted({str(c.get("modality")) for c in support or entries})
    return {
        "period": period,
        "period_zh": format_period(period) if period else "時期不明",
        "low": low,
        "high": high,
        "unit": unit,
        "value_zh": stated_value(support, unit) or format_interval(low, high, unit),
        "consensus_zh": format_interval(low, high, unit),
        "modality": modalities[0] if len(modalities) == 1 else None,
        "sources": sources,
        "n_claims": len(entries),
        "labels": dict(sorted(labels.items())),
        "claim_ids": [str(c.get("claim_id")) for c in entries],
        "claim_labels": {str(c.get("claim_id")): str(c.get("label") or "") for c in entries},
        "explanations": {
            str(c.get("claim_id")): str(c["explanation"]) for c in entries if c.get("explanation")
        },
        "conflicts": conflicts,
    }


def _side_fact(
    item: Mapping[str, Any], unit: str | None, lookup: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """A target or scenario entry (one claim, or a period-like block) as a statement part."""
    if item.get("claims") or item.get("consensus"):
        pf = _period_fact(item, unit, lookup)
        return {
            "period": pf["period"],
            "value_zh": pf["value_zh"],
            "claim_ids": pf["claim_ids"],
            "conflicts": pf["conflicts"],
            "explanations": pf["explanations"],
            "claim_labels": pf["claim_labels"],
        }
    full = {**lookup.get(str(item.get("claim_id")), {}), **item}
    if not full.get("unit"):
        full["unit"] = unit
    return {
        "period": full.get("period"),
        "value_zh": format_claim_value(full),
        "claim_ids": [str(full["claim_id"])] if full.get("claim_id") is not None else [],
    }


def _sources_zh(pf: Mapping[str, Any]) -> str:
    """（3個來源一致） / （1個來源） / （4個來源，1項衝突）."""
    n = pf["sources"]
    k = len(pf["conflicts"])
    if k:
        return f"（{n}個來源，{k}項衝突）"
    if n > 1:
        return f"（{n}個來源一致）"
    return f"（{n}個來源）"


_PREFIX = {"target": "目標：", "scenario": "情境：", "forecast": "預測："}


def _join(period: str, value: str) -> str:
    """Period then value; a space when a day or month would run into the digits (6月 6.5萬)."""
    if period.endswith(("日", "月", "季")) and value[:1].isdigit():
        return f"{period} {value}"
    return period + value


def statement(fact: Mapping[str, Any]) -> str:
    """The plain-language line of one fact (Traditional Chinese, English key kept)."""
    head = f"{fact['metric_zh']} ({fact['metric']}"
    head += f"; {fact['scope']})" if fact.get("scope") else ")"
    parts = [
        _PREFIX.get(str(p.get("modality")), "")
        + f"{_join(p['period_zh'], p['value_zh'])}{_sources_zh(p)}"
        for p in fact["periods"]
    ]
    for t in fact.get("targets", []):
        when = format_period(t["period"]) if t.get("period") else ""
        parts.append("目標：" + _join(when, t["value_zh"]))
    for s in fact.get("scenarios", []):
        when = format_period(s["period"]) if s.get("period") else ""
        parts.append("情境：" + _join(when, s["value_zh"]))
    return head + "：" + "；".join(parts)


def briefing_facts(
    reconciled: Mapping[str, Any],
    claims: Sequence[Mapping[str, Any]] | None = None,
    fact_for: Callable[[Mapping[str, Any], Callable[[], dict[str, Any]]], dict[str, Any]]
    | None = None,
) -> list[dict[str, Any]]:
    """Structured statements, one per reconciled group; groups with conflicts first.

    ``fact_for(group, make)`` lets a caller serve unchanged groups' facts from a cache;
    ``make()`` computes the fact.
    """
    lookup = claims_by_id(claims or [])
    facts: list[dict[str, Any]] = []
    for g in reconciled.get("groups") or []:
        if fact_for is None:
            facts.append(group_fact(g, lookup))
        else:
            facts.append(fact_for(g, functools.partial(group_fact, g, lookup)))
    return sort_facts(facts)


# What readers of every fact need (ordering, links, one-line listings, label totals); the
# rest of a fact is read only for the few shown in full.
SUMMARY_KEYS = ("metric", "subject", "object", "commodity", "scope", "sources", "has_conflict",
                "statement")  # fmt: skip


def fact_summary(fact: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a fact every listing reads, with its claim count and label totals."""
    return {
        **{k: fact.get(k) for k in SUMMARY_KEYS},
        "n_listed": fact_claim_count(fact),
        "variant_commodities": fact_variant_commodities(fact),
        "label_totals": dict(fact_labels(fact)),
    }


def fact_variant_commodities(fact: Mapping[str, Any]) -> list[Any]:
    """The commodities of a fact's scope variants, in order."""
    if "variant_commodities" in fact:
        return list(fact["variant_commodities"])
    return [v.get("commodity") for v in fact.get("scope_variants", []) if isinstance(v, Mapping)]


def fact_claim_count(fact: Mapping[str, Any]) -> int:
    """How many claims a fact's observed periods list."""
    if "n_listed" in fact:
        return int(fact["n_listed"])
    return sum(len(p["claim_ids"]) for p in fact["periods"])


def fact_labels(fact: Mapping[str, Any]) -> Counter[str]:
    """Labels of a fact's observed claims, counted."""
    if "label_totals" in fact:
        return Counter(fact["label_totals"])
    totals: Counter[str] = Counter()
    for p in fact["periods"]:
        totals.update(p["labels"])
    return totals


def sort_facts(facts: list[Any]) -> list[Any]:
    """Facts in briefing order: conflicts first, then the best-sourced (sorted in place)."""
    facts.sort(key=lambda f: (not f["has_conflict"], -f["sources"], str(f["metric"]), f["scope"]))
    return facts


def group_fact(g: Mapping[str, Any], lookup: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The fact of one reconciled group."""
    key = g.get("key") or {k: g.get(k) for k in _KEY_FIELDS}
    metric = key.get("metric")
    zh, en = metric_names(metric, key.get("subject"), key.get("object"))
    unit = _group_unit(g, lookup)
    periods = sorted(
        (_period_fact(p, unit, lookup) for p in g.get("periods") or []),
        key=lambda pf: period_sort_key(pf["period"]),
    )
    fact: dict[str, Any] = {
        "metric": metric,
        "metric_zh": zh,
        "metric_en": en,
        "subject": key.get("subject"),
        "object": key.get("object"),
        "commodity": key.get("commodity"),
        "scope": _scope(key),
        "unit": unit,
        "periods": periods,
        "targets": [_side_fact(t, unit, lookup) for t in g.get("targets") or []],
        "scenarios": [_side_fact(s, unit, lookup) for s in g.get("scenarios") or []],
        "series_notes": [str(n) for n in g.get("series_notes") or []],
        "scope_variants": [
            {
                "commodity": v.get("commodity"),
                "note": v.get("note") or "",
                "claim_ids": [str(c.get("claim_id")) for c in v.get("claims") or []],
            }
            for v in g.get("scope_variants") or []
            if isinstance(v, Mapping)
        ],
        "sources": g["sources"]
        if isinstance(g.get("sources"), int)
        else len(
            {str(c.get("doc_id")) for p in g.get("periods") or [] for c in p.get("claims") or []}
        ),
    }
    fact["has_conflict"] = any(
        p.get("conflicts") for p in (*periods, *fact["targets"], *fact["scenarios"])
    )
    fact["statement"] = statement(fact)
    return fact


# ---------------------------------------------------------------- timeline


def _source_meta(doc_id: str, docs: Mapping[str, Mapping[str, Any]] | None) -> dict[str, Any]:
    """Outlet, title and date of a document, for source lists."""
    d = (docs or {}).get(doc_id) or {}
    return {
        "doc_id": doc_id,
        "outlet": d.get("outlet"),
        "title": d.get("title"),
        "published": d.get("published"),
    }


def doc_mentions(
    doc_id: str,
    text: str,
    times: Sequence[Mapping[str, Any]],
    sentences: Sequence[Sequence[int]] | None = None,
) -> list[dict[str, Any]]:
    """Dated mentions of one document, one per date and sentence (what the timeline needs).

    Kept per document in the corpus digest, so the timeline never re-reads old documents.
    """
    spans = sentence_spans(text, sentences) if text else []
    seen: set[tuple[str, int]] = set()
    out: list[dict[str, Any]] = []
    for t in times:
        value = t.get("value")
        if not value or t.get("basis") == "unresolved":
            continue
        start = int(t.get("start") or 0)
        hit = containing_sentence(spans, start, t.get("end")) if spans else None
        s_start, s_end = hit if hit else (start, int(t.get("end") or start))
        if (str(value), s_start) in seen:
            continue  # one mention per date and sentence
        seen.add((str(value), s_start))
        out.append(
            {
                "date": str(value),
                "granularity": t.get("granularity"),
                "doc_id": doc_id,
                "surface": t.get("surface"),
                "start": start,
                "end": t.get("end"),
                "sentence_start": s_start,
                "sentence_end": s_end,
                "sentence": text[s_start:s_end] if hit else str(t.get("surface") or ""),
            }
        )
    return out


class _Bucket:
    """Timeline rows of one date with a prefix index over their sentences' bigrams.

    Exact all-pairs pruning for cosine similarity: with tokens in a fixed order (rarest
    first), cut each unit vector into a prefix and a suffix whose norm is below the
    threshold t. Two vectors with cosine >= t must then share a token in both prefixes
    (otherwise their dot product is bounded by the suffix norm), so a mention is compared
    only with rows sharing a prefix token instead of every row of its date.
    """

    def __init__(self, threshold: float, rank: Mapping[str, int]) -> None:
        self.t2 = threshold * threshold * (1 - 1e-9)  # a hair lower: never prune a true match
        self.prune = threshold > 0
        self.rank = rank
        self.rows: list[tuple[dict[str, Any], set[str], Counter[str], float]] = []
        self.index: dict[str, list[int]] = {}
        self._prefixes: dict[str, list[str]] = {}

    def prefix(self, sentence: str, feats: Mapping[str, int], norm: float) -> list[str]:
        """The tokens of the prefix (every token when pruning is off), cached by sentence."""
        hit = self._prefixes.get(sentence)
        if hit is not None:
            return hit
        toks = sorted(feats, key=self.rank.__getitem__)
        out = toks
        if self.prune and norm:
            rest = 1.0
            n2 = norm * norm
            for i, t in enumerate(toks):
                if rest < self.t2:
                    out = toks[:i]
                    break
                rest -= feats[t] * feats[t] / n2
        self._prefixes[sentence] = out
        return out

    def candidates(self, toks: Sequence[str]) -> list[int]:
        """Rows sharing a prefix token, in creation order."""
        hits: set[int] = set()
        for t in toks:
            posting = self.index.get(t)
            if posting:
                hits.update(posting)
        return sorted(hits)

    def add(self, row: dict[str, Any], doc_id: str, feats: Counter[str], norm: float) -> None:
        """Index a new row by its prefix tokens."""
        i = len(self.rows)
        self.rows.append((row, {doc_id}, feats, norm))
        for t in self.prefix(row["sentence"], feats, norm):
            self.index.setdefault(t, []).append(i)


def _cosine(fa: Mapping[str, int], na: float, fb: Mapping[str, int], nb: float) -> float:
    """``summaries.similarity`` from cached features.

    The dot product of two integer count vectors is an exact integer in any summation
    order, so summing over the shared keys gives a bit-identical result.
    """
    if not na or not nb:
        return 0.0
    return sum(fa[t] * fb[t] for t in fa.keys() & fb.keys()) / (na * nb)


def timeline_rows(
    mentions: Sequence[Mapping[str, Any]],
    docs: Mapping[str, Mapping[str, Any]] | None = None,
    cache: MutableMapping[str, list[dict[str, Any]]] | None = None,
    doc_keys: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Group dated mentions into events: the same date in similar sentences is one row.

    Dates are independent of each other, so with a ``cache`` (and ``doc_keys``, a key per
    document that changes whenever its mentions or metadata can) the rows of a date are
    reused while the documents mentioning it are the same: adding one document redoes
    only the dates it mentions.
    """
    thresholds = report_text()["timeline"]["similarity"]
    by_date = _by_date(mentions, docs)
    rows: list[dict[str, Any]] = []
    # only a cached run keys its dates
    tokens = _doc_tokens(doc_keys) if cache is not None and doc_keys is not None else {}
    for date, group in by_date.items():
        key = None
        if cache is not None and doc_keys is not None:
            key = _date_key(date, {str(m["doc_id"]) for m in group}, tokens)
            hit = cache.get(key)
            if hit is not None:
                rows += hit
                continue
        done = _date_rows(date, group, thresholds, docs)
        if cache is not None and key is not None:
            cache[key] = done
        rows += done
    return _sort_rows(rows)


def timeline_rows_by_date(
    date_docs: Mapping[str, Iterable[str]],
    mentions_of: Callable[[Sequence[str]], Iterable[Mapping[str, Any]]],
    docs: Mapping[str, Mapping[str, Any]] | None,
    cache: MutableMapping[str, list[dict[str, Any]]],
    doc_keys: Mapping[str, str],
) -> list[dict[str, Any]]:
    """``timeline_rows`` when the documents mentioning each date are known without their
    mentions: ``mentions_of(doc_ids)`` is asked only for the dates the cache does not hold.

    ``date_docs`` may list a document under a date it does not mention (it only widens
    that date's cache key); the rows are the same as ``timeline_rows``'s.
    """
    rows: list[dict[str, Any]] = []
    missing: dict[str, str] = {}
    tokens = _doc_tokens(doc_keys)
    for date in sorted(date_docs):
        key = _date_key(date, date_docs[date], tokens)
        hit = cache.get(key)
        if hit is None:
            missing[date] = key
        else:
            rows += hit
    if not missing:
        return _sort_rows(rows)
    thresholds = report_text()["timeline"]["similarity"]
    listed = {date: sorted({str(d) for d in date_docs[date]}) for date in missing}

    def undated(d: str) -> bool:
        """Whether a document has no publication date (its mentions come last)."""
        return not ((docs or {}).get(d) or {}).get("published")

    # A date an earlier run grouped for some of these documents (unchanged since) is
    # continued with the others' mentions when they are dated and come after every dated
    # mention already grouped, as a newly published article's do: the grouping is greedy
    # in report order, so it goes on from the rows the dated mentions made (the
    # checkpoint) and replays the undated documents' mentions, which come last. Otherwise
    # the date is grouped again from scratch.
    grow: dict[str, tuple[list[dict[str, Any]], list[str]]] = {}
    if isinstance(cache, DateRowCache):
        for date in missing:
            for members, load in cache.bases(date):
                if members and all(doc_keys.get(d) == k for d, k in members.items()):
                    extra = [d for d in listed[date] if d not in members]
                    if not any(undated(d) for d in extra):
                        grow[date] = (load(), extra)
                    break
    need: set[str] = set()
    for date in missing:
        if date in grow:
            need.update(grow[date][1])
            need.update(d for d in listed[date] if undated(d))
        else:
            need.update(listed[date])
    found = _by_date((m for m in mentions_of(sorted(need)) if m["date"] in missing), docs)
    redo: list[str] = []
    for date in missing:
        group = found.get(date, [])
        if date in grow:
            base, extra = grow[date]
            new = [m for m in group if m["doc_id"] in set(extra)]
            last = max(
                (
                    (str(x.get("published") or "9999"), str(x["doc_id"]), x["sentence_start"])
                    for r in base
                    for x in r["sources"]
                ),
                default=None,
            )
            if last is not None and any(_order(m, docs)[1:] <= last for m in new):
                redo.append(date)  # a new mention would come before an old one
                continue
            tail = [m for m in group if undated(str(m["doc_id"]))]
            checkpoint = _date_rows(date, new, thresholds, docs, base) if new else base
        else:
            tail = [m for m in group if undated(str(m["doc_id"]))]
            dated = [m for m in group if not undated(str(m["doc_id"]))]
            checkpoint = _date_rows(date, dated, thresholds, docs) if dated else []
        done, text = _with_tail(date, checkpoint, tail, thresholds, docs)
        _store(cache, missing[date], date, done, listed[date], doc_keys, checkpoint, text)
        rows += done
    if redo:
        again = {d for date in redo for d in listed[date]}
        found = _by_date((m for m in mentions_of(sorted(again)) if m["date"] in set(redo)), docs)
        for date in redo:
            group = found.get(date, [])
            dated = [m for m in group if not undated(str(m["doc_id"]))]
            tail = [m for m in group if undated(str(m["doc_id"]))]
            checkpoint = _date_rows(date, dated, thresholds, docs) if dated else []
            done, text = _with_tail(date, checkpoint, tail, thresholds, docs)
            _store(cache, missing[date], date, done, listed[date], doc_keys, checkpoint, text)
            rows += done
    return _sort_rows(rows)


def _with_tail(
    date: str,
    checkpoint: list[dict[str, Any]],
    tail: Sequence[Mapping[str, Any]],
    thresholds: Mapping[str, Any],
    docs: Mapping[str, Mapping[str, Any]] | None,
) -> tuple[list[dict[str, Any]], str | None]:
    """(a date's rows: its checkpoint continued with the undated mentions, the checkpoint's
    JSON when there were any). The grouping goes on from a copy, so the checkpoint stays
    as it was: grouping only appends to a row's sources, so each row and its sources list
    are copied (the sources themselves are shared; the checkpoint's JSON is made first)."""
    if not tail:
        return checkpoint, None
    text = io.dumps(checkpoint)
    copy = [{**r, "sources": list(r["sources"])} for r in checkpoint]
    return _date_rows(date, tail, thresholds, docs, copy), text


def _store(
    cache: MutableMapping[str, list[dict[str, Any]]],
    key: str,
    date: str,
    rows: list[dict[str, Any]],
    listed: Sequence[str],
    doc_keys: Mapping[str, str],
    checkpoint: list[dict[str, Any]],
    text: str | None = None,
) -> None:
    """Cache a date's rows with the documents they were made from and the rows its dated
    mentions alone made (the same list when no undated document mentions the date; its
    JSON ``text`` when already made)."""
    cache[key] = rows
    if isinstance(cache, DateRowCache):
        cache.note(key, date, {d: doc_keys[d] for d in listed}, checkpoint, text)


def _order(
    m: Mapping[str, Any], docs: Mapping[str, Mapping[str, Any]] | None
) -> tuple[str, str, str, int]:
    """Report order of a mention: date, publication (undated last), document, position."""
    published = ((docs or {}).get(m["doc_id"]) or {}).get("published")
    return (m["date"], str(published or "9999"), str(m["doc_id"]), int(m["sentence_start"]))


def _doc_tokens(doc_keys: Mapping[str, str]) -> dict[str, str]:
    """A short hash of each document's id and key, for the date keys."""
    return {d: hashlib.sha256(f"{d}\0{k}".encode()).hexdigest()[:16] for d, k in doc_keys.items()}


def _date_key(date: str, doc_ids: Iterable[str], tokens: Mapping[str, str]) -> str:
    """Cache key of a date's rows: the date and the keys of the documents mentioning it.

    A document enters as its token (``_doc_tokens``), joined in C: a popular date lists
    thousands of documents, and their keys are long."""
    h = hashlib.sha256(date.encode())
    # sorted, then deduplicated in order: linear for the sorted lists the corpus stage gives
    h.update("".join(map(tokens.__getitem__, dict.fromkeys(sorted(doc_ids)))).encode())
    return h.hexdigest()[:32]


def _by_date(
    mentions: Iterable[Mapping[str, Any]], docs: Mapping[str, Mapping[str, Any]] | None
) -> dict[str, list[Mapping[str, Any]]]:
    """Mentions by date, dates ascending; earliest-published source first within a date,
    so a row's wording is the first report's."""
    ordered = sorted(mentions, key=lambda m: _order(m, docs))
    by_date: dict[str, list[Mapping[str, Any]]] = {}
    for m in ordered:
        by_date.setdefault(m["date"], []).append(m)
    return by_date


def _sort_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Timeline rows by date, best-corroborated first within a date (sorted in place)."""

    def key(r: Mapping[str, Any]) -> tuple[Any, ...]:
        date, n, doc, start = row_head(r)
        return date, -n, doc, start

    rows.sort(key=key)
    return rows


def _date_rows(
    date: str,
    group: Sequence[Mapping[str, Any]],
    thresholds: Mapping[str, Any],
    docs: Mapping[str, Mapping[str, Any]] | None,
    base: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """The rows of one date from its mentions, in order of first report.

    ``base``: the rows an earlier run made of this date from mentions that all come
    before ``group`` in report order; the greedy grouping then simply goes on from them
    (each mention joins the first earlier row it matches), which gives the same rows as
    grouping every mention again.
    """
    base = base or []
    feats_of: dict[str, tuple[Counter[str], float]] = {}
    for s in [*(m["sentence"] for m in group), *(r["sentence"] for r in base)]:
        if s not in feats_of:
            f = _features(s)
            feats_of[s] = (f, math.sqrt(sum(v * v for v in f.values())))
    rows: list[dict[str, Any]] = []
    # Token order for the prefixes: rarest within this date first (ties by token). The
    # pruning is exact in any order, so a continued date need not use its first order.
    df: Counter[str] = Counter()
    for s in feats_of:
        df.update(feats_of[s][0].keys())
    rank = {t: i for i, t in enumerate(sorted(df, key=lambda t: (df[t], t)))}
    thr_of = [float(thresholds.get(str(m["granularity"]), thresholds["default"])) for m in group]
    # the base rows' own mentions had thresholds too: prune below every one of them
    floor = min([*thr_of, *(float(v) for v in thresholds.values())]) if base else min(thr_of)
    bucket = _Bucket(floor, rank)
    for r in base:
        fr, nr = feats_of[r["sentence"]]
        rows.append(r)
        bucket.add(r, str(r["sources"][0]["doc_id"]), fr, nr)
        bucket.rows[-1][1].update(str(x["doc_id"]) for x in r["sources"])
    for m, thr in zip(group, thr_of, strict=True):
        fm, nm = feats_of[m["sentence"]]
        target = None
        for i in bucket.candidates(bucket.prefix(m["sentence"], fm, nm)):
            row, row_docs, fr, nr = bucket.rows[i]
            if m["doc_id"] in row_docs:
                continue  # one document does not corroborate itself
            if _cosine(fr, nr, fm, nm) >= thr:
                target = i
                break
        src = {
            **_source_meta(m["doc_id"], docs),
            **{k: m[k] for k in ("surface", "start", "end", "sentence_start", "sentence_end")},
        }
        if target is None:
            row = {
                "date": date,
                "date_zh": format_period(date),
                "granularity": m["granularity"],
                "sentence": m["sentence"],
                "sources": [src],
            }
            rows.append(row)
            bucket.add(row, m["doc_id"], fm, nm)
        else:
            bucket.rows[target][0]["sources"].append(src)
            bucket.rows[target][1].add(m["doc_id"])
    return rows


def build_timeline(
    times_by_doc: Mapping[str, Sequence[Mapping[str, Any]]],
    docs: Mapping[str, Mapping[str, Any]] | None = None,
    sentences_by_doc: Mapping[str, Sequence[Sequence[int]]] | None = None,
) -> list[dict[str, Any]]:
    """Dated events across documents; the same date in similar sentences is one row."""
    mentions: list[dict[str, Any]] = []
    for doc_id in sorted(times_by_doc):
        text = ((docs or {}).get(doc_id) or {}).get("text") or ""
        mentions += doc_mentions(
            doc_id, text, times_by_doc[doc_id], (sentences_by_doc or {}).get(doc_id)
        )
    return timeline_rows(mentions, docs)


def select_rows(rows: Sequence[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """At most ``limit`` timeline rows, in date order: the best corroborated, then the latest.

    With a few thousand documents the first rows by date are the oldest events, which is
    not what a reader of a briefing wants; small timelines are returned whole.
    """
    if len(rows) <= limit:
        return list(rows)
    ranked = sorted(range(len(rows)), key=lambda i: (-_n_sources(rows[i]), -i))[:limit]
    return [rows[i] for i in sorted(ranked)]


class CachedRow(dict[str, Any]):
    """A timeline row from a cache: ordered and ranked by its head alone; the rest of it
    is read on first use (a large timeline shows a few hundred of its rows)."""

    def __init__(self, head: Sequence[Any], load: Callable[[], Mapping[str, Any]]) -> None:
        super().__init__(date=head[0])
        self.head = list(head)
        self._load: Callable[[], Mapping[str, Any]] | None = load

    def __missing__(self, key: str) -> Any:
        if self._load is None:
            raise KeyError(key)
        self.update(self._load())
        self._load = None
        return dict.__getitem__(self, key)


def _n_sources(row: Mapping[str, Any]) -> int:
    """How many sources report a timeline row."""
    return int(row.head[1]) if isinstance(row, CachedRow) else len(row["sources"])


def row_head(row: Mapping[str, Any]) -> list[Any]:
    """[date, number of sources, first source's doc id, its sentence start]: what ordering
    and ranking rows read."""
    if isinstance(row, CachedRow):
        return row.head
    first = row["sources"][0]
    return [row["date"], len(row["sources"]), first["doc_id"], first["sentence_start"]]


# ---------------------------------------------------------------- entities and news


def entity_counts(entities: Sequence[Mapping[str, Any]]) -> list[list[Any]]:
    """[id, name, type, mentions] of one document's entities, in order of first mention."""
    counts: dict[str, list[Any]] = {}
    for e in entities:
        eid = str(e.get("id") or e.get("name") or e.get("surface"))
        if eid in counts:
            counts[eid][3] += 1
        else:
            counts[eid] = [eid, str(e.get("name") or eid), str(e.get("type") or ""), 1]
    return list(counts.values())


def rank_entities(
    counts_by_doc: Mapping[str, Sequence[Sequence[Any]]], limit: int | None = None
) -> list[dict[str, Any]]:
    """Entities ranked by the number of documents, then mentions, that name them."""
    mentions: dict[str, int] = {}
    docs: dict[str, list[str]] = {}
    info: dict[str, tuple[str, str]] = {}
    for doc_id in sorted(counts_by_doc):  # plain dicts: ~200,000 rows at 10,000 documents
        for eid, name, etype, n in counts_by_doc[doc_id]:
            if eid in docs:
                docs[eid].append(doc_id)
                mentions[eid] += n
            else:
                docs[eid] = [doc_id]
                mentions[eid] = n
                info[eid] = (name, etype)
    ranked = sorted(mentions, key=lambda i: (-len(docs[i]), -mentions[i], i))
    if limit is not None:
        ranked = ranked[:limit]
    return [
        {
            "id": i,
            "name": info[i][0],
            "type": info[i][1],
            "mentions": mentions[i],
            "documents": len(docs[i]),
            "doc_ids": docs[i],  # sorted: documents are visited in id order
        }
        for i in ranked
    ]


def top_entities(
    entities_by_doc: Mapping[str, Sequence[Mapping[str, Any]]], limit: int | None = None
) -> list[dict[str, Any]]:
    """Entities ranked by the number of documents, then mentions, that name them."""
    return rank_entities({d: entity_counts(e) for d, e in entities_by_doc.items()}, limit)


def _figure_key(c: Mapping[str, Any]) -> str:
    """metric|subject|object|commodity|period of a claim (what 'a new figure' means)."""
    return figure_key([c.get(k) for k in (*_KEY_FIELDS, "period")])


def briefing_state(
    doc_ids: Sequence[str],
    claims: Sequence[Mapping[str, Any]] | ClaimSet,
    docs: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """Compact state remembered between runs, to say what is new next time.

    ``titles`` (when ``docs`` is given) lets the next briefing name removed documents.
    """
    ids = sorted({str(d) for d in doc_ids})
    if isinstance(claims, ClaimSet):  # from its index: no claim is read
        claim_ids, figures = claims.state_keys()
    else:
        claim_ids = sorted({str(c["claim_id"]) for c in claims if c.get("claim_id") is not None})
        figures = sorted({_figure_key(c) for c in claims if c.get("metric")})
    state: dict[str, Any] = {
        "schema": STATE_SCHEMA,
        "doc_ids": ids,
        "claim_ids": claim_ids,
        "figures": figures,
    }
    if docs:
        state["titles"] = {d: str((docs.get(d) or {}).get("title") or "") for d in ids}
    return state


def whats_new(
    previous: Mapping[str, Any] | None,
    doc_ids: Sequence[str],
    claims: Sequence[Mapping[str, Any]],
    current: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """New and removed documents, new claims and new figures against the previous state.

    ``current``: ``briefing_state(doc_ids, claims)`` when the caller has it already.
    """
    cur = current if current is not None else briefing_state(doc_ids, claims)
    if not previous:
        return {
            "first_run": True,
            "new_docs": cur["doc_ids"],
            "removed_docs": [],
            "new_claims": cur["claim_ids"],
            "new_figures": cur["figures"],
        }
    prev_docs = set(previous.get("doc_ids") or [])
    prev_claims = set(previous.get("claim_ids") or [])
    prev_figs = set(previous.get("figures") or [])
    return {
        "first_run": False,
        "new_docs": [d for d in cur["doc_ids"] if d not in prev_docs],
        "removed_docs": sorted(prev_docs - set(cur["doc_ids"])),
        "new_claims": [c for c in cur["claim_ids"] if c not in prev_claims],
        "new_figures": [f for f in cur["figures"] if f not in prev_figs],
    }


# ---------------------------------------------------------------- Markdown


def _md(s: Any) -> str:
    """Text safe in a Markdown line or table cell (no pipes, newlines or raw HTML)."""
    out = str(s if s is not None else "")
    out = out.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return out.replace("|", "\\|").replace("\r", " ").replace("\n", " ").strip()


def _src_name(
    doc_id: str,
    docs: Mapping[str, Mapping[str, Any]] | None,
    claim: Mapping[str, Any] | None = None,
) -> str:
    """Outlet (or title, or doc id) naming a source."""
    src = (claim or {}).get("source") or {}
    d = (docs or {}).get(doc_id) or {}
    return str(src.get("outlet") or d.get("outlet") or src.get("title") or d.get("title") or doc_id)


def render_briefing(
    reconciled: Mapping[str, Any],
    claims: Sequence[Mapping[str, Any]],
    entities_by_doc: Mapping[str, Sequence[Mapping[str, Any]]],
    times_by_doc: Mapping[str, Sequence[Mapping[str, Any]]],
    previous: Mapping[str, Any] | None,
    docs: Mapping[str, Mapping[str, Any]] | None = None,
) -> str:
    """OUT/briefing.md: conflicts, key figures, timeline, entities, what is new."""
    doc_ids = sorted(
        set(entities_by_doc)
        | set(times_by_doc)
        | set(docs or {})
        | {str(c.get("doc_id")) for c in claims if c.get("doc_id")}
    )
    return render_briefing_parts(
        briefing_facts(reconciled, claims),
        claims,
        doc_ids,
        build_timeline(times_by_doc, docs),
        top_entities(entities_by_doc, int(report_text()["briefing"]["max_entities"])),
        previous,
        docs,
    )


# Caps that keep the briefing readable at thousands of documents (every figure stays in
# reconciled.md and claims.jsonl); a corpus of a few dozen documents never reaches them.
MAX_CONFLICT_FACTS = 50
MAX_CONFLICTS_PER_FACT = 10
MAX_KEY_FIGURES = 200
LARGE_CORPUS = 200  # documents
MAX_ROW_SOURCES = 12  # sources named in a timeline row


def render_briefing_parts(
    facts: Sequence[Mapping[str, Any]],
    claims: Sequence[Mapping[str, Any]] | ClaimSet,
    doc_ids: Sequence[str],
    rows: Sequence[dict[str, Any]],
    ents: Sequence[Mapping[str, Any]],
    previous: Mapping[str, Any] | None,
    docs: Mapping[str, Mapping[str, Any]] | None = None,
    current: Mapping[str, Any] | None = None,
) -> str:
    """The briefing from precomputed facts, timeline rows and entity ranking.

    ``current``: this corpus's ``briefing_state``, when the caller has computed it.
    """
    cfg = report_text()
    lookup = claims if isinstance(claims, ClaimSet) else claims_by_id(claims)
    lines = [
        "# 語料簡報 Corpus briefing",
        "",
        f"{len(doc_ids)} 篇文件、{len(claims)} 項數字主張、{len(facts)} 組彙整數字。",
        "",
    ]

    conflicted = [f for f in facts if f["has_conflict"]]
    lines += ["## 衝突 Conflicts", ""]
    if conflicted:
        for f in conflicted[:MAX_CONFLICT_FACTS]:
            scope = f"; {f['scope']}" if f.get("scope") else ""
            lines.append(f"- **{_md(f['metric_zh'])}** (`{_md(f['metric'])}`{_md(scope)})")
            listed = [(p, c) for p in f["periods"] for c in p["conflicts"]]
            for p, c in listed[:MAX_CONFLICTS_PER_FACT]:
                full = lookup.get(str(c["claim_id"]), {})
                who = _src_name(str(c.get("doc_id")), docs, full)
                val = c.get("value") or "—"
                lines.append(
                    f"  - {_md(p['period_zh'])}：{_md(who)} 稱 {_md(val)}，"
                    f"共識為 {_md(p['value_zh'])} — {_md(c['explanation'] or '（未說明）')}"
                )
            if len(listed) > MAX_CONFLICTS_PER_FACT:
                lines.append(
                    f"  - 另有 {len(listed) - MAX_CONFLICTS_PER_FACT} 項衝突，見 reconciled.md。"
                )
        if len(conflicted) > MAX_CONFLICT_FACTS:
            lines.append(
                f"- 另有 {len(conflicted) - MAX_CONFLICT_FACTS} 組有衝突的數字，見 reconciled.md。"
            )
    else:
        lines.append("（沒有衝突）")
    lines += ["", "## 關鍵數字 Key figures", ""]
    if facts:
        lines += [f"- {_md(f['statement'])}" for f in facts[:MAX_KEY_FIGURES]]
        if len(facts) > MAX_KEY_FIGURES:
            lines.append(
                f"- 另有 {len(facts) - MAX_KEY_FIGURES} 組數字（來源較少），見 reconciled.md 與 report.html。"
            )
    else:
        lines.append("（沒有彙整數字）")

    max_rows = int(cfg["timeline"]["max_rows"])
    lines += ["", "## 時間軸 Timeline", ""]
    if rows:
        lines += ["| 日期 | 事件（原文句子） | 來源 |", "|---|---|---|"]
        # A small corpus lists its earliest dates (as it always has); a large one would
        # then show only decades-old events, so it lists the best-corroborated ones.
        picked = select_rows(rows, max_rows) if len(doc_ids) > LARGE_CORPUS else rows[:max_rows]
        for r in picked:
            named = list(dict.fromkeys(_src_name(s["doc_id"], docs) for s in r["sources"]))
            names = "、".join(named[:MAX_ROW_SOURCES])
            if len(named) > MAX_ROW_SOURCES:
                names += f" 等 {len(named)} 家"
            lines.append(
                f"| {_md(r['date'])} | {_md(r['sentence'])} | {_md(names)}（{len(r['sources'])}） |"
            )
        if len(rows) > max_rows:
            lines += ["", f"另有 {len(rows) - max_rows} 個日期未列出。"]
    else:
        lines.append("（沒有日期事件）")

    lines += ["", "## 最常提及 Most mentioned entities", ""]
    if ents:
        lines += ["| 實體 | 類型 | 文件數 | 提及次數 |", "|---|---|---|---|"]
        for e in ents:
            lines.append(
                f"| {_md(e['name'])} (`{_md(e['id'])}`) | {_md(entity_type_zh(e['type']))} "
                f"| {e['documents']} | {e['mentions']} |"
            )
    else:
        lines.append("（沒有實體）")

    if current is None:
        current = briefing_state(doc_ids, claims)
    new = whats_new(previous, doc_ids, [], current)
    k = int(cfg["briefing"]["max_new_items"])
    lines += ["", "## 新增 What is new since the previous run", ""]
    if new["first_run"]:
        lines.append(f"首次執行：{len(new['new_docs'])} 篇文件、{len(new['new_claims'])} 項主張。")
    else:
        lines.append(
            f"新文件 {len(new['new_docs'])} 篇、移除 {len(new['removed_docs'])} 篇、"
            f"新主張 {len(new['new_claims'])} 項、新數字 {len(new['new_figures'])} 組。"
        )
        for d in new["new_docs"][:k]:
            title = ((docs or {}).get(d) or {}).get("title") or d
            lines.append(f"- 新文件：{_md(title)}（{_md(_src_name(d, docs))}，`{d}`）")
        old_titles = (previous or {}).get("titles") or {}
        for d in new["removed_docs"][:k]:
            title = old_titles.get(d)
            lines.append(f"- 已移除：{_md(title)}（`{d}`）" if title else f"- 已移除：`{d}`")
        for fk in new["new_figures"][:k]:
            metric, subject, obj, commodity, period = fk.split("|")
            zh, _ = metric_names(metric)
            scope = _scope({"subject": subject, "object": obj, "commodity": commodity})
            lines.append(
                f"- 新數字：{_md(zh)} (`{_md(metric)}`; {_md(scope)}) {_md(format_period(period or None))}"
            )
        if not any(new[x] for x in ("new_docs", "removed_docs", "new_claims")):
            lines.append("（與上次相同）")
    lines += ["", "---", "", "每個數字的原句與連結見 report.html。", ""]
    # Which labels the claims carry, for readers checking the counts.
    totals: Counter[str] = Counter()
    for f in facts:
        totals.update(fact_labels(f))
    if totals:
        lines[-1:-1] = [
            "標記統計：" + "、".join(f"{label_zh(k)} {v}" for k, v in sorted(totals.items())),
            "",
        ]
    return "\n".join(lines)
