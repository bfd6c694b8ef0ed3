"""The corpus briefing (OUT/briefing.md): reconciled figures, timeline, entities, news.

``briefing_facts`` turns reconciled.json into structured statements; the Markdown is
rendered from those facts only, so a test can hold the two against each other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from pipeline.report.common import (
    claims_by_id,
    containing_sentence,
    entity_type_zh,
    format_claim_value,
    format_interval,
    format_period,
    label_zh,
    metric_names,
    period_sort_key,
    report_text,
    sentence_spans,
)
from pipeline.report.summaries import similarity

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
    reconciled: Mapping[str, Any], claims: Sequence[Mapping[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """Structured statements, one per reconciled group; groups with conflicts first."""
    lookup = claims_by_id(claims or [])
    facts: list[dict[str, Any]] = []
    for g in reconciled.get("groups") or []:
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
                {
                    str(c.get("doc_id"))
                    for p in g.get("periods") or []
                    for c in p.get("claims") or []
                }
            ),
        }
        fact["has_conflict"] = any(
            p.get("conflicts") for p in (*periods, *fact["targets"], *fact["scenarios"])
        )
        fact["statement"] = statement(fact)
        facts.append(fact)
    facts.sort(key=lambda f: (not f["has_conflict"], -f["sources"], str(f["metric"]), f["scope"]))
    return facts


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


def build_timeline(
    times_by_doc: Mapping[str, Sequence[Mapping[str, Any]]],
    docs: Mapping[str, Mapping[str, Any]] | None = None,
    sentences_by_doc: Mapping[str, Sequence[Sequence[int]]] | None = None,
) -> list[dict[str, Any]]:
    """Dated events across documents; the same date in similar sentences is one row."""
    thresholds = report_text()["timeline"]["similarity"]
    mentions: list[dict[str, Any]] = []
    for doc_id in sorted(times_by_doc):
        text = ((docs or {}).get(doc_id) or {}).get("text") or ""
        spans = sentence_spans(text, (sentences_by_doc or {}).get(doc_id)) if text else []
        seen: set[tuple[str, int]] = set()
        for t in times_by_doc[doc_id]:
            value = t.get("value")
            if not value or t.get("basis") == "unresolved":
                continue
            start = int(t.get("start") or 0)
            hit = containing_sentence(spans, start, t.get("end")) if spans else None
            s_start, s_end = hit if hit else (start, int(t.get("end") or start))
            if (str(value), s_start) in seen:
                continue  # one mention per date and sentence
            seen.add((str(value), s_start))
            mentions.append(
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
    # Earliest-published source first, so a row's wording is the first report's.
    mentions.sort(
        key=lambda m: (
            m["date"],
            str(((docs or {}).get(m["doc_id"]) or {}).get("published") or "9999"),
            m["doc_id"],
            m["sentence_start"],
        )
    )
    rows: list[dict[str, Any]] = []
    by_date: dict[str, list[dict[str, Any]]] = {}
    for m in mentions:
        thr = thresholds.get(str(m["granularity"]), thresholds["default"])
        target = None
        for r in by_date.get(m["date"], []):
            if m["doc_id"] in {s["doc_id"] for s in r["sources"]}:
                continue  # one document does not corroborate itself
            if similarity(r["sentence"], m["sentence"]) >= thr:
                target = r
                break
        src = {
            **_source_meta(m["doc_id"], docs),
            **{k: m[k] for k in ("surface", "start", "end", "sentence_start", "sentence_end")},
        }
        if target is None:
            row = {
                "date": m["date"],
                "date_zh": format_period(m["date"]),
                "granularity": m["granularity"],
                "sentence": m["sentence"],
                "sources": [src],
            }
            rows.append(row)
            by_date.setdefault(m["date"], []).append(row)
        else:
            target["sources"].append(src)
    rows.sort(
        key=lambda r: (
            r["date"],
            -len(r["sources"]),
            r["sources"][0]["doc_id"],
            r["sources"][0]["sentence_start"],
        )
    )
    return rows


# ---------------------------------------------------------------- entities and news


def top_entities(
    entities_by_doc: Mapping[str, Sequence[Mapping[str, Any]]], limit: int | None = None
) -> list[dict[str, Any]]:
    """Entities ranked by the number of documents, then mentions, that name them."""
    mentions: Counter[str] = Counter()
    docs: dict[str, set[str]] = {}
    info: dict[str, tuple[str, str]] = {}
    for doc_id in sorted(entities_by_doc):
        for e in entities_by_doc[doc_id]:
            eid = str(e.get("id") or e.get("name") or e.get("surface"))
            mentions[eid] += 1
            docs.setdefault(eid, set()).add(doc_id)
            info.setdefault(eid, (str(e.get("name") or eid), str(e.get("type") or "")))
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
            "doc_ids": sorted(docs[i]),
        }
        for i in ranked
    ]


def _figure_key(c: Mapping[str, Any]) -> str:
    """metric|subject|object|commodity|period of a claim (what 'a new figure' means)."""
    return "|".join(str(c.get(k) or "") for k in (*_KEY_FIELDS, "period"))


def briefing_state(
    doc_ids: Sequence[str],
    claims: Sequence[Mapping[str, Any]],
    docs: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """Compact state remembered between runs, to say what is new next time.

    ``titles`` (when ``docs`` is given) lets the next briefing name removed documents.
    """
    ids = sorted({str(d) for d in doc_ids})
    state: dict[str, Any] = {
        "schema": STATE_SCHEMA,
        "doc_ids": ids,
        "claim_ids": sorted({str(c["claim_id"]) for c in claims if c.get("claim_id") is not None}),
        "figures": sorted({_figure_key(c) for c in claims if c.get("metric")}),
    }
    if docs:
        state["titles"] = {d: str((docs.get(d) or {}).get("title") or "") for d in ids}
    return state


def whats_new(
    previous: Mapping[str, Any] | None,
    doc_ids: Sequence[str],
    claims: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """New and removed documents, new claims and new figures against the previous state."""
    cur = briefing_state(doc_ids, claims)
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
        "removed_docs": sorted(d for d in prev_docs if d not in set(cur["doc_ids"])),
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
    cfg = report_text()
    lookup = claims_by_id(claims)
    facts = briefing_facts(reconciled, claims)
    doc_ids = sorted(
        set(entities_by_doc)
        | set(times_by_doc)
        | set(docs or {})
        | {str(c.get("doc_id")) for c in claims if c.get("doc_id")}
    )
    lines = [
        "# 語料簡報 Corpus briefing",
        "",
        f"{len(doc_ids)} 篇文件、{len(claims)} 項數字主張、{len(facts)} 組彙整數字。",
        "",
    ]

    conflicted = [f for f in facts if f["has_conflict"]]
    lines += ["## 衝突 Conflicts", ""]
    if conflicted:
        for f in conflicted:
            scope = f"; {f['scope']}" if f.get("scope") else ""
            lines.append(f"- **{_md(f['metric_zh'])}** (`{_md(f['metric'])}`{_md(scope)})")
            for p in f["periods"]:
                for c in p["conflicts"]:
                    full = lookup.get(str(c["claim_id"]), {})
                    who = _src_name(str(c.get("doc_id")), docs, full)
                    val = c.get("value") or "—"
                    lines.append(
                        f"  - {_md(p['period_zh'])}：{_md(who)} 稱 {_md(val)}，"
                        f"共識為 {_md(p['value_zh'])} — {_md(c['explanation'] or '（未說明）')}"
                    )
    else:
        lines.append("（沒有衝突）")
    lines += ["", "## 關鍵數字 Key figures", ""]
    if facts:
        lines += [f"- {_md(f['statement'])}" for f in facts]
    else:
        lines.append("（沒有彙整數字）")

    rows = build_timeline(times_by_doc, docs)
    max_rows = int(cfg["timeline"]["max_rows"])
    lines += ["", "## 時間軸 Timeline", ""]
    if rows:
        lines += ["| 日期 | 事件（原文句子） | 來源 |", "|---|---|---|"]
        for r in rows[:max_rows]:
            names = "、".join(dict.fromkeys(_src_name(s["doc_id"], docs) for s in r["sources"]))
            lines.append(
                f"| {_md(r['date'])} | {_md(r['sentence'])} | {_md(names)}（{len(r['sources'])}） |"
            )
        if len(rows) > max_rows:
            lines += ["", f"另有 {len(rows) - max_rows} 個日期未列出。"]
    else:
        lines.append("（沒有日期事件）")

    ents = top_entities(entities_by_doc, int(cfg["briefing"]["max_entities"]))
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

    new = whats_new(previous, doc_ids, claims)
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
        for p in f["periods"]:
            totals.update(p["labels"])
    if totals:
        lines[-1:-1] = [
            "標記統計：" + "、".join(f"{label_zh(k)} {v}" for k, v in sorted(totals.items())),
            "",
        ]
    return "\n".join(lines)
