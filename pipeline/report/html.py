"""The self-contained HTML report (OUT/report.html).

One file, no network at view time: inline CSS, inline SVG charts, no JavaScript at all
(a Content-Security-Policy forbids scripts, so even a slip in escaping runs nothing).
Every piece of article text goes through ``html.escape``: articles are untrusted input.
Sentences carry anchors ``id="d-<doc_id>-s-<start>"`` that figure links point to; the
targeted sentence is highlighted with CSS ``:target``.
"""

from __future__ import annotations

import functools
import heapq
import html
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pipeline.report.briefing import briefing_facts as compute_facts
from pipeline.report.briefing import (
    doc_mentions,
    entity_counts,
    fact_claim_count,
    fact_variant_commodities,
    rank_entities,
    select_rows,
    timeline_rows,
)
from pipeline.report.charts import Band, Mark, group_chart
from pipeline.report.common import (
    ClaimSet,
    containing_sentence,
    entity_type_zh,
    format_claim_value,
    format_period,
    label_zh,
    metric_names,
    modality_zh,
    period_sort_key,
    sentence_spans,
)
from pipeline.report.summaries import summarize

# Bounds for large corpora (a corpus of a few dozen documents never reaches them): full
# text for the most recent documents and an index row for every other one; full figure
# sections for the most corroborated groups and a one-line statement for the rest. Every
# claim stays in claims.jsonl and reconciled.md.
FULL_DOCS = 200
MAX_FACT_SECTIONS = 150
MAX_FACT_ROWS = 60
MAX_ENTITIES = 40
MAX_STATEMENTS = 200
MAX_TIMELINE_ROWS = 400
MAX_ENTITY_LINKS = 30
MAX_ROW_SOURCES = 20  # source links in a timeline row

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

CSS = """
:root{--fg:#1f2328;--muted:#59636e;--line:#d0d7de;--accent:#0b5cad;--bad:#c92a2a;--ok:#2b8a3e}
*{box-sizing:border-box}
body{margin:0;color:var(--fg);background:#fff;line-height:1.7;
font-family:"Noto Sans CJK TC","Noto Sans TC","PingFang TC","Microsoft JhengHei",
"WenQuanYi Micro Hei","Heiti TC",system-ui,sans-serif;font-size:16px}
header.top{position:sticky;top:0;z-index:5;background:#f6f8fa;border-bottom:1px solid var(--line);
padding:.4em 1.2em}
header.top nav a{margin-right:1em;color:var(--accent);text-decoration:none}
main{max-width:1040px;margin:0 auto;padding:0 1.2em 4em}
h1{font-size:1.6em;margin:.8em 0 .3em}h2{border-bottom:2px solid var(--line);padding-bottom:.2em;
margin-top:2em}h3{font-size:1.1em;margin:1.4em 0 .4em}
table{border-collapse:collapse;width:100%;margin:.5em 0;font-size:.92em}
th,td{border:1px solid var(--line);padding:.25em .5em;vertical-align:top;text-align:left}
td.date,td.nw{white-space:nowrap}
th{background:#f6f8fa}
.muted{color:var(--muted);font-size:.9em}
.conflict,.label-conflict{color:var(--bad);font-weight:600}
.label-agree{color:var(--ok)}
.fact{border:1px solid var(--line);border-radius:6px;padding:.6em 1em;margin:1em 0}
.fact.has-conflict{border-color:var(--bad);border-left-width:5px}
.chart{max-width:100%;height:auto;display:block;margin:.4em 0}
.chart .grid{stroke:#eaeef2;stroke-width:1}.chart .axis{stroke:#8c959f;stroke-width:1}
.chart .tick,.chart .period{font-size:12px;fill:var(--muted)}
.chart .consensus{fill:#d3f9d8;stroke:#8ce99a;stroke-dasharray:3 2}
.chart .dot{fill:var(--accent);stroke:#fff;stroke-width:1.5}
.chart .dot.hollow{fill:#fff;stroke:var(--accent);stroke-width:2}
.chart .range{fill:var(--accent);fill-opacity:.55;stroke:var(--accent)}
.chart .bound{stroke:var(--accent);stroke-width:2}.chart .bound-head{fill:var(--accent)}
.chart .mark.conflict .dot,.chart .mark.conflict .range,.chart .mark.conflict .bound-head{fill:var(--bad)}
.chart .mark.conflict .dot.hollow{fill:#fff;stroke:var(--bad)}
.chart .mark.conflict .bound{stroke:var(--bad)}
.chart .flag{fill:var(--bad);font-weight:700;font-size:14px}
.chart a:hover .dot,.chart a:hover .range{stroke:#000}
.legend{font-size:.85em;color:var(--muted)}
.doc{border-top:1px solid var(--line);margin-top:2em}
.doctext{white-space:pre-wrap;word-break:break-word;background:#fcfcfd;border:1px solid var(--line);
border-radius:6px;padding:.8em 1em;max-height:40em;overflow:auto}
.s{scroll-margin-top:5em}
.s:target{background:#fff3bf;outline:2px solid #f59f00;border-radius:2px}
mark.q{background:#dbe4ff;padding:0 .1em;border-radius:2px}
.s:target mark.q{background:#ffd43b}
.summary li{margin:.2em 0}
.summary a{color:inherit;text-decoration:none;border-bottom:1px dotted var(--accent)}
details summary{cursor:pointer;color:var(--accent);margin:.4em 0}
a.src{font-size:.85em;white-space:nowrap}
"""


def _e(s: Any) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return html.escape("" if s is None else str(s), quote=True)


def sentence_id(doc_id: str, start: int) -> str:
    """Anchor id of the sentence starting at ``start`` in document ``doc_id``."""
    return f"d-{doc_id}-s-{start}"


def anchor_spans(text: str, sentences: Sequence[Sequence[int]] | None) -> list[tuple[int, int]]:
    """Sentence spans that can be anchors: sorted, overlapping ones dropped."""
    kept: list[tuple[int, int]] = []
    for s, e in sentence_spans(text, sentences):
        if kept and s < kept[-1][1]:
            continue  # overlapping spans cannot both be anchors
        kept.append((s, e))
    return kept


SectionCache = Callable[
    [Mapping[str, Any], int, list[int | None], set[str], Callable[[], tuple[str, list[str]]]], str
]
# (doc id, make the section) -> the section, from a cache or made
DocSectionCache = Callable[[str, Callable[[], str]], str]


class Anchors:
    """Sentence spans per document, to turn any offset into an existing anchor.

    Documents outside ``full`` (shown only as an index row in a large report) have no
    sentence anchors on the page: links to them go to their index row.
    """

    def __init__(
        self,
        docs: Mapping[str, Mapping[str, Any]] | None = None,
        extracted_by_doc: Mapping[str, Mapping[str, Any]] | None = None,
        *,
        spans: Mapping[str, Sequence[Sequence[int]]] | None = None,
        full: set[str] | None = None,
    ) -> None:
        self.spans: dict[str, list[tuple[int, int]]] = {
            d: [(int(x[0]), int(x[1])) for x in v] for d, v in (spans or {}).items()
        }
        for doc_id, doc in (docs or {}).items():
            self.spans[doc_id] = anchor_spans(
                doc.get("text") or "", ((extracted_by_doc or {}).get(doc_id) or {}).get("sentences")
            )
        self.full = full

    def href(self, doc_id: str | None, start: Any, end: Any = None) -> str:
        """Link to the sentence holding ``start`` (or to the document when none does)."""
        if doc_id is None or doc_id not in self.spans:
            return "#documents"
        if isinstance(start, int) and (self.full is None or doc_id in self.full):
            hit = containing_sentence(
                self.spans[doc_id], start, end if isinstance(end, int) else None
            )
            if hit:
                return "#" + sentence_id(doc_id, hit[0])
        return f"#doc-{doc_id}"


def _doc_name(doc: Mapping[str, Any] | None, doc_id: str) -> str:
    """Outlet or title of a document, for source labels."""
    d = doc or {}
    return str(d.get("outlet") or d.get("title") or doc_id)


def _claim_bounds(c: Mapping[str, Any]) -> tuple[float | None, float | None]:
    """(low, high) of a claim, the point value filling in both for exact figures."""
    low, high, value = c.get("low"), c.get("high"), c.get("value")
    q = c.get("qualifier") or "exact"
    if low is None and high is None and isinstance(value, (int, float)):
        if q in ("at_least", "more_than"):
            return float(value), None
        if q in ("at_most", "less_than", "nearly"):
            return None, float(value)
        return float(value), float(value)
    return (
        float(low) if isinstance(low, (int, float)) else None,
        float(high) if isinstance(high, (int, float)) else None,
    )


def fact_key(fact: Mapping[str, Any], commodity: Any = ...) -> tuple[Any, ...]:
    """(metric, subject, object, commodity) of a fact, optionally with another commodity."""
    c = fact.get("commodity") if commodity is ... else commodity
    return (fact.get("metric"), fact.get("subject"), fact.get("object"), c)


def _variants(fact: Mapping[str, Any], siblings: Mapping[tuple[Any, ...], int]) -> str:
    """Links to the same figure for other commodity scopes (listed, never merged)."""
    links = []
    for v in fact.get("scope_variants", []):
        i = siblings.get(fact_key(fact, v.get("commodity")))
        label = f"{v.get('commodity') or '未指明'}（{len(v.get('claim_ids', []))}）"
        links.append(f'<a href="#fig-{i}">{_e(label)}</a>' if i is not None else _e(label))
    if not links:
        return ""
    return f'<p class="muted">其他範圍 other scopes：{"、".join(links)}</p>'


def fact_section(
    fact: Mapping[str, Any],
    lookup: Mapping[str, Mapping[str, Any]],
    docs: Mapping[str, Mapping[str, Any]],
    anchors: Anchors,
    index: int,
    siblings: Mapping[tuple[Any, ...], int] | None = None,
) -> tuple[str, list[str]]:
    """A fact's section and the documents its rows link to.

    Besides the fact (and the claims and documents it names), the section depends only
    on its position, its scope variants' positions and which of those documents are shown
    in full: what a caller caching it must key and check.
    """
    blocks = [*fact["periods"], *fact.get("targets", []), *fact.get("scenarios", [])]
    conflict_ids = {str(c["claim_id"]) for p in blocks for c in p.get("conflicts", [])}
    explanations = {cid: text for p in blocks for cid, text in p.get("explanations", {}).items()}
    labels = {cid: lab for p in blocks for cid, lab in p.get("claim_labels", {}).items()}

    def claim(cid: str) -> Mapping[str, Any]:
        """A claim by id (a stub when it is unknown)."""
        return lookup.get(cid, {"claim_id": cid})

    # (period, kind, claim id); a large group's claims are read only for the rows shown
    ids: list[tuple[str, str, str]] = []
    for p in fact["periods"]:
        for cid in p["claim_ids"]:
            ids.append((str(p["period"] or ""), "", cid))
    for kind, items in (
        ("target", fact.get("targets", [])),
        ("scenario", fact.get("scenarios", [])),
    ):
        for t in items:
            for cid in t.get("claim_ids", []):
                ids.append((str(t.get("period") or claim(cid).get("period") or ""), kind, cid))
    hidden = len(ids) - MAX_FACT_ROWS
    if hidden > 0:
        # Conflicts first, then the latest reports; the table keeps its period order.
        def published(i: int) -> str:
            cid = ids[i][2]
            doc = lookup.doc_of(cid) if isinstance(lookup, ClaimSet) else claim(cid).get("doc_id")
            meta = docs.get(str(doc or "")) or {}
            if meta.get("published"):
                return str(meta["published"])
            return str((claim(cid).get("source") or {}).get("published") or "")

        rank = sorted(range(len(ids)), key=published, reverse=True)
        rank.sort(key=lambda i: ids[i][2] not in conflict_ids)
        keep = set(rank[:MAX_FACT_ROWS])
        ids = [r for i, r in enumerate(ids) if i in keep]
    if isinstance(lookup, ClaimSet):
        lookup.prefetch(cid for _, _, cid in ids)
    rows = [(period, kind, claim(cid)) for period, kind, cid in ids]
    periods = sorted(
        {r[0] for r in rows} | {str(p["period"] or "") for p in fact["periods"]},
        key=lambda p: period_sort_key(p or None),
    )
    marks = []
    for period, _kind, c in rows:
        low, high = _claim_bounds(c)
        cid = str(c.get("claim_id"))
        doc_id = str(c.get("doc_id") or "")
        marks.append(
            Mark(
                period=period,
                low=low,
                high=high,
                qualifier=str(c.get("qualifier") or "exact"),
                conflict=cid in conflict_ids,
                href=anchors.href(doc_id, c.get("start"), c.get("end")),
                title=f"{c.get('surface') or format_claim_value(c)} — {_doc_name(docs.get(doc_id), doc_id)}",
            )
        )
    bands = [Band(str(p["period"] or ""), p["low"], p["high"]) for p in fact["periods"]]
    chart = group_chart(
        periods,
        [format_period(p or None) for p in periods],
        marks,
        bands,
        unit=fact.get("unit")
        or next((str(c.get("unit")) for _, _, c in rows if c.get("unit")), None),
        title=f"{fact['metric_zh']} ({fact['metric']})",
    )
    cls = "fact has-conflict" if fact.get("has_conflict") else "fact"
    out = [
        f'<section class="{cls}" id="fig-{index}">',
        f'<h3>{_e(fact["metric_zh"])} <span class="muted">{_e(fact["metric"])}'
        f"{' · ' + _e(fact['metric_en']) if fact.get('metric_en') else ''}</span></h3>",
        f"<p>{_e(fact['statement'])}</p>",
        _variants(fact, siblings or {}),
        "".join(f'<p class="muted">{_e(n)}</p>' for n in fact.get("series_notes", [])),
        chart,
        "<table><thead><tr><th>時期</th><th>數值</th><th>原文</th><th>來源</th><th>標記</th>"
        "<th>說明</th><th>原句</th></tr></thead><tbody>",
    ]
    for period, kind, c in rows:
        cid = str(c.get("claim_id"))
        doc_id = str(c.get("doc_id") or "")
        label = "conflict" if cid in conflict_ids else (labels.get(cid) or c.get("label") or "")
        tag = modality_zh(kind) if kind else ""
        out.append(
            "<tr>"
            f"<td class='nw'>{_e(format_period(period or None))}{(' ' + _e(tag)) if tag else ''}</td>"
            f"<td class='nw'>{_e(format_claim_value(c))}</td>"
            f"<td>{_e(c.get('surface'))}</td>"
            f"<td>{_e(_doc_name(docs.get(doc_id), doc_id))}</td>"
            f'<td class="nw label-{_e(label)}">{_e(label_zh(label))}</td>'
            f"<td>{_e(explanations.get(cid, ''))}</td>"
            f'<td><a class="src" href="{_e(anchors.href(doc_id, c.get("start"), c.get("end")))}">原句 →</a></td>'
            "</tr>"
        )
    out.append("</tbody></table>")
    if hidden > 0:
        out.append(
            f'<p class="muted">另有 {hidden} 項主張未列出 more claims not listed'
            "（完整清單見 reconciled.md 與 claims.jsonl）</p>"
        )
    out.append("</section>")
    return "".join(out), sorted({str(c.get("doc_id") or "") for _, _, c in rows})


def _doc_text(
    text: str, doc_id: str, spans: Sequence[tuple[int, int]], marks: Sequence[tuple[int, int, str]]
) -> str:
    """The document text, escaped, with sentence anchors and claim highlights."""
    out: list[str] = []
    pos = 0
    marks = sorted(marks)
    for s, e in spans:
        out.append(_e(text[pos:s]))
        out.append(f'<span class="s" id="{_e(sentence_id(doc_id, s))}">')
        cur = s
        for ms, me, cid in marks:
            if ms < cur or me > e or ms < s:
                continue  # overlapping or crossing a sentence boundary: not highlighted
            out.append(_e(text[cur:ms]))
            out.append(f'<mark class="q" id="{_e("c-" + cid)}">{_e(text[ms:me])}</mark>')
            cur = me
        out.append(_e(text[cur:e]))
        out.append("</span>")
        pos = e
    out.append(_e(text[pos:]))
    return "".join(out)


def _doc_section(
    doc_id: str,
    doc: Mapping[str, Any],
    extracted: Mapping[str, Any],
    claims: Sequence[Mapping[str, Any]],
    anchors: Anchors,
    summary: Mapping[str, Any] | None = None,
) -> str:
    """One document: metadata, summary, figures with links, and the anchored text."""
    text = doc.get("text") or ""
    if summary is None:  # the runner passes the stored summary; recompute only without it
        summary = summarize(doc, extracted, claims)
    out = [
        f'<section class="doc" id="doc-{_e(doc_id)}">',
        f"<h3>{_e(doc.get('title') or '（無標題）')}</h3>",
        f'<p class="muted">{_e(doc.get("outlet") or "—")} · {_e(doc.get("published") or "日期不明")}'
        f" · {_e('、'.join(doc.get('authors') or []) or '作者不明')} · "
        f"<code>{_e(doc.get('source_path') or '')}</code> · <code>{_e(doc_id)}</code></p>",
    ]
    if summary["sentences"]:
        out.append('<ol class="summary">')
        for s in summary["sentences"]:
            out.append(
                f'<li><a href="#{_e(sentence_id(doc_id, s["start"]))}">{_e(s["text"])}</a></li>'
            )
        out.append("</ol>")
    if claims:
        # Long figure lists fold away (no script needed: <details>); short ones stay open.
        is_open = " open" if len(claims) <= 8 else ""
        out.append(f"<details{is_open}><summary>數字 figures（{len(claims)}）</summary>")
        out.append(
            "<table><thead><tr><th>數值</th><th>原文</th><th>指標</th><th>時期</th><th>性質</th>"
            "<th>原句</th></tr></thead><tbody>"
        )
        for c in sorted(claims, key=lambda c: (c.get("start") or 0, str(c.get("claim_id")))):
            zh, _ = metric_names(c.get("metric"))
            out.append(
                "<tr>"
                f"<td class='nw'>{_e(format_claim_value(c))}</td><td>{_e(c.get('surface'))}</td>"
                f"<td>{_e(zh)}{' <span class=muted>' + _e(c['metric']) + '</span>' if c.get('metric') else ''}</td>"
                f"<td>{_e(format_period(c.get('period')) if c.get('period') else '—')}</td>"
                f"<td>{_e(modality_zh(c.get('modality')))}</td>"
                f'<td><a class="src" href="{_e(anchors.href(doc_id, c.get("start"), c.get("end")))}">原句 →</a></td>'
                "</tr>"
            )
        out.append("</tbody></table></details>")
    marks = [
        (int(c["start"]), int(c["end"]), str(c.get("claim_id")))
        for c in claims
        if isinstance(c.get("start"), int) and isinstance(c.get("end"), int)
    ]
    out.append(
        f'<div class="doctext">{_doc_text(text, doc_id, anchors.spans.get(doc_id, []), marks)}</div>'
    )
    out.append("</section>")
    return "".join(out)


def doc_digest(
    doc_id: str,
    doc: Mapping[str, Any],
    extracted: Mapping[str, Any],
    claims: Sequence[Mapping[str, Any]],
    summary: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """What the corpus outputs need of one document besides its claims and text.

    Compact (no tokens, quantities or full entity records) and a pure function of the
    document's stage outputs, so the corpus stage can keep it between runs instead of
    re-reading every document.
    """
    text = doc.get("text") or ""
    spans = anchor_spans(text, extracted.get("sentences"))
    times = extracted.get("times") or []
    mentions = doc_mentions(doc_id, text, times, [list(x) for x in spans])
    plain = doc_mentions(doc_id, text, times)  # the briefing splits sentences itself
    if summary is None:  # summarizing this document failed; try again, else no summary
        try:
            summary = summarize(doc, extracted, claims)
        except Exception:  # noqa: BLE001 - a summary is optional in the report
            summary = {"sentences": []}
    return {
        "meta": {k: doc.get(k) for k in ("title", "outlet", "published", "authors", "source_path")},
        "spans": [list(x) for x in spans],
        "mentions": mentions,
        "mentions_plain": None if plain == mentions else plain,
        "entities": entity_counts(extracted.get("entities") or []),
        "summary": [
            {"start": x["start"], "text": x["text"]} for x in summary.get("sentences") or []
        ],
    }


def render_report(
    docs: Mapping[str, Mapping[str, Any]],
    extracted_by_doc: Mapping[str, Mapping[str, Any]],
    claims: Sequence[Mapping[str, Any]],
    reconciled: Mapping[str, Any],
    briefing_facts: Sequence[Mapping[str, Any]] | None = None,
    summaries: Mapping[str, Mapping[str, Any]] | None = None,
) -> str:
    """The whole report as one HTML string (``summaries``: stored per-document summaries)."""
    # Facts computed with the claims at hand know units and target values even when
    # reconciled.json does not repeat them; the given facts are used when there are no claims.
    facts: list[Mapping[str, Any]]
    if claims or briefing_facts is None:
        facts = list(compute_facts(reconciled, claims))
    else:
        facts = list(briefing_facts)
    claims_by_doc: dict[str, list[Mapping[str, Any]]] = {}
    for c in claims:
        claims_by_doc.setdefault(str(c.get("doc_id")), []).append(c)
    digests = {
        d: doc_digest(
            d,
            doc,
            extracted_by_doc.get(d) or {},
            claims_by_doc.get(d, []),
            (summaries or {}).get(d),
        )
        for d, doc in docs.items()
    }
    return render_report_digests(
        digests,
        claims,
        facts,
        lambda ids: {d: str(docs[d].get("text") or "") for d in ids},
    )


def render_report_digests(
    digests: Mapping[str, Mapping[str, Any]],
    claims: Sequence[Mapping[str, Any]] | ClaimSet,
    facts: Sequence[Mapping[str, Any]],
    texts: Callable[[list[str]], Mapping[str, str]],
    timeline: Sequence[dict[str, Any]] | None = None,
    entities: Sequence[Mapping[str, Any]] | None = None,
    sections: SectionCache | None = None,
    doc_sections: DocSectionCache | None = None,
) -> str:
    """The report from per-document digests; ``texts`` fetches the shown documents' text.

    ``doc_sections(doc_id, make)`` lets a caller serve a document's section (it shows the
    document in full and depends on nothing else) from a cache; its text and claims are
    read only when ``make()`` runs.

    ``entities``: ``rank_entities`` of the digests with a limit of at least
    MAX_ENTITIES, when the caller has it. ``sections(fact, index, variant positions,
    documents shown in full, make)`` lets a caller serve unchanged fact sections from a
    cache; ``make()`` returns the section and the documents it links to.
    ``timeline``: the rows of the digests' mentions when the caller has them (cached).
    ``digests`` may load lazily: only the documents shown in full are asked for their
    sentence spans and summaries; ``claims`` may be a lazy :class:`ClaimSet`.
    """
    meta = {d: g["meta"] for d, g in digests.items()}
    lookup = claims if isinstance(claims, ClaimSet) else ClaimSet(claims)
    doc_ids = sorted(digests, key=lambda d: (str(meta[d].get("published") or ""), d))
    full = set(doc_ids[max(0, len(doc_ids) - FULL_DOCS) :])  # the latest published
    # links into a document not shown in full go to its index row: no spans needed
    anchors = Anchors(
        spans={d: digests[d]["spans"] if d in full else [] for d in doc_ids}, full=full
    )
    n_conf = sum(1 for f in facts if f.get("has_conflict"))
    n_unmetric = lookup.n_unmetric
    shown = [d for d in doc_ids if d in full]

    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-Hant"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>稀土與關鍵礦產 數字報告 Figures report</title>",
        f"<style>{CSS}</style></head><body>",
        '<header class="top"><nav><a href="#overview">總覽</a><a href="#figures">數字</a>'
        '<a href="#timeline">時間軸</a><a href="#entities">實體</a><a href="#documents">文件</a></nav></header>',
        "<main>",
        '<section id="overview"><h1>數字報告 Figures report</h1>',
        f"<p>{len(digests)} 篇文件 documents · {len(lookup)} 項主張 claims · {len(facts)} 組彙整數字 "
        f'reconciled groups · <span class="{"conflict" if n_conf else ""}">{n_conf} 組有衝突 with conflicts</span>'
        f" · {n_unmetric} 項未歸類數字 figures without a metric</p>",
        "<table><thead><tr><th>文件</th><th>媒體</th><th>日期</th><th>主張</th></tr></thead><tbody>",
    ]
    for d in shown:
        doc = meta[d]
        parts.append(
            f'<tr><td><a href="#doc-{_e(d)}">{_e(doc.get("title") or d)}</a></td>'
            f"<td>{_e(doc.get('outlet') or '—')}</td><td>{_e(doc.get('published') or '—')}</td>"
            f"<td>{lookup.count(d)}</td></tr>"
        )
    parts.append("</tbody></table>")
    if len(shown) < len(doc_ids):
        parts.append(
            f'<p class="muted">以上為最近的 {len(shown)} 篇；另有 {len(doc_ids) - len(shown)} 篇'
            f'較早的文件列於<a href="#doc-index">文件索引 document index</a>。</p>'
        )
    if facts:
        parts.append("<h3>重點 Key statements</h3><ul>")
        for i, f in enumerate(facts[:MAX_STATEMENTS]):
            cls = ' class="conflict"' if f.get("has_conflict") else ""
            parts.append(f'<li{cls}><a href="#fig-{i}">{_e(f["statement"])}</a></li>')
        parts.append("</ul>")
        if len(facts) > MAX_STATEMENTS:
            parts.append(
                f'<p class="muted">另有 {len(facts) - MAX_STATEMENTS} 組，見'
                '<a href="#more-figures">其他數字 more figures</a>。</p>'
            )
    parts.append("</section>")

    parts.append('<section id="figures"><h2>彙整數字 Reconciled figures</h2>')
    parts.append(
        '<p class="legend">● 單一數值（空心＝約數）▮ 區間 ↑ 下限（以上/逾）↓ 上限（以下/不到/近）'
        '<span class="conflict">紅色＋! ＝衝突</span>；綠色帶＝共識區間。點選標記可跳到原句。</p>'
    )
    if not facts:
        parts.append("<p>（沒有彙整數字）</p>")
    siblings = {fact_key(f): i for i, f in enumerate(facts)}
    for i, f in enumerate(facts[:MAX_FACT_SECTIONS]):
        make = functools.partial(fact_section, f, lookup, meta, anchors, i, siblings)
        if sections is None:
            parts.append(make()[0])
        else:
            positions = [siblings.get(fact_key(f, c)) for c in fact_variant_commodities(f)]
            parts.append(sections(f, i, positions, full, make))
    if len(facts) > MAX_FACT_SECTIONS:
        # The rest as one line each (statement and claim count); anchors stay linkable.
        parts.append('<section id="more-figures"><h3>其他數字 More figures</h3><ul>')
        for i, f in enumerate(facts[MAX_FACT_SECTIONS:], MAX_FACT_SECTIONS):
            n = fact_claim_count(f)
            cls = "conflict" if f.get("has_conflict") else ""
            parts.append(f'<li id="fig-{i}" class="{cls}">{_e(f["statement"])}（{n}）</li>')
        parts.append("</ul></section>")
    parts.append("</section>")

    rows = timeline
    if rows is None:
        rows = timeline_rows([m for d in sorted(digests) for m in digests[d]["mentions"]], meta)
    parts.append('<section id="timeline"><h2>時間軸 Timeline</h2>')
    if rows:
        parts.append(
            "<table><thead><tr><th>日期</th><th>事件（原文句子）</th><th>來源</th></tr></thead><tbody>"
        )
        for r in select_rows(rows, MAX_TIMELINE_ROWS):
            links = "、".join(
                f'<a class="src" href="{_e(anchors.href(s["doc_id"], s["start"], s["end"]))}">'
                f"{_e(_doc_name(meta.get(s['doc_id']), s['doc_id']))}</a>"
                for s in r["sources"][:MAX_ROW_SOURCES]
            )
            if len(r["sources"]) > MAX_ROW_SOURCES:  # earliest reports first
                links += f" 等 {len(r['sources'])} 個來源"
            parts.append(
                f"<tr><td class='date'>{_e(r['date_zh'])}</td><td>{_e(r['sentence'])}</td><td>{links}</td></tr>"
            )
        parts.append("</tbody></table>")
        if len(rows) > MAX_TIMELINE_ROWS:
            parts.append(
                f'<p class="muted">列出來源最多的 {MAX_TIMELINE_ROWS} 個事件；另有 '
                f"{len(rows) - MAX_TIMELINE_ROWS} 個未列出。</p>"
            )
    else:
        parts.append("<p>（沒有日期事件）</p>")
    parts.append("</section>")

    ents = (
        list(entities[:MAX_ENTITIES])
        if entities is not None
        else rank_entities({d: g["entities"] for d, g in digests.items()}, MAX_ENTITIES)
    )
    recent: dict[str, int] = {}  # doc id -> rank, latest first (made when first needed)
    parts.append('<section id="entities"><h2>實體 Entities</h2>')
    if ents:
        parts.append(
            "<table><thead><tr><th>實體</th><th>類型</th><th>文件數</th><th>提及次數</th><th>文件</th></tr></thead><tbody>"
        )
        for e in ents:
            linked = e["doc_ids"]
            if len(linked) > MAX_ENTITY_LINKS:
                if not recent:
                    recent.update((d, i) for i, d in enumerate(reversed(doc_ids)))
                linked = sorted(heapq.nsmallest(MAX_ENTITY_LINKS, linked, key=recent.__getitem__))
            links = " ".join(
                f'<a class="src" href="#doc-{_e(d)}">{_e(_doc_name(meta.get(d), d))}</a>'
                for d in linked
            )
            # a caller may pass only the latest MAX_ENTITY_LINKS ids; "documents" counts all
            if len(linked) < int(e["documents"]):
                links += f" 等 {e['documents']} 篇（列出最近的 {len(linked)} 篇）"
            parts.append(
                f'<tr><td>{_e(e["name"])} <span class="muted">{_e(e["id"])}</span></td>'
                f"<td>{_e(entity_type_zh(e['type']))}</td><td>{e['documents']}</td><td>{e['mentions']}</td><td>{links}</td></tr>"
            )
        parts.append("</tbody></table>")
    else:
        parts.append("<p>（沒有實體）</p>")
    parts.append("</section>")

    parts.append('<section id="documents"><h2>文件 Documents</h2>')

    # without a cache every shown text is needed: one read; with one, a read per miss
    bodies = texts(shown) if doc_sections is None else None

    def doc_section(d: str) -> str:
        """A document's section."""
        return _doc_section(
            d,
            {**meta[d], "text": (bodies if bodies is not None else texts([d])).get(d, "")},
            {},
            lookup.of_doc(d),
            anchors,
            {"sentences": digests[d]["summary"]},
        )

    for d in shown:
        make_doc = functools.partial(doc_section, d)
        parts.append(doc_sections(d, make_doc) if doc_sections is not None else make_doc())
    if len(shown) < len(doc_ids):
        parts.append(_doc_index([d for d in doc_ids if d not in full], digests, lookup))
    parts.append("</section></main></body></html>")
    return "\n".join(parts) + "\n"


def lead_sentence(digest: Mapping[str, Any]) -> str:
    """The first summary sentence of a document (stored apart as ``lead`` by the corpus stage)."""
    if "lead" in digest:
        return str(digest["lead"])
    summary = digest["summary"]
    return str(summary[0]["text"]) if summary else ""


def _doc_index(
    ids: Sequence[str],
    digests: Mapping[str, Mapping[str, Any]],
    claims: ClaimSet,
) -> str:
    """One row per document not shown in full: metadata, claim count, lead summary sentence."""
    out = [
        '<section id="doc-index"><h3>文件索引 Document index</h3>',
        f'<p class="muted">{len(ids)} 篇較早的文件：全文與原句見各自的 summaries/&lt;id&gt;.md；'
        "每項主張都在 claims.jsonl。</p>",
        "<table><thead><tr><th>日期</th><th>文件</th><th>媒體</th><th>主張</th><th>摘要</th>"
        "<th>來源檔</th></tr></thead><tbody>",
    ]
    for d in ids:
        # the corpus stage makes each document's row once, with its digest
        row = digests[d].get("index_html")
        if row is None:
            row = doc_index_row(d, digests[d]["meta"], lead_sentence(digests[d]), claims.count(d))
        out.append(str(row))
    out.append("</tbody></table></section>")
    return "".join(out)


def doc_index_row(doc_id: str, meta: Mapping[str, Any], lead: str, n_claims: int) -> str:
    """A document's row in the document index."""
    m = meta
    return (
        f'<tr id="doc-{_e(doc_id)}"><td class="nw">{_e(m.get("published") or "—")}</td>'
        f"<td>{_e(m.get('title') or doc_id)}</td><td>{_e(m.get('outlet') or '—')}</td>"
        f"<td>{n_claims}</td><td>{_e(lead)}</td>"
        f"<td><code>{_e(m.get('source_path') or '')}</code> <code>{_e(doc_id)}</code></td></tr>"
    )
