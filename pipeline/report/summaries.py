"""Per-document extractive summary and its Markdown page.

Sentences are scored by centrality (TextRank over TF-IDF vectors of character bigrams,
no model) plus a boost for sentences that carry the article's claims, then picked with
MMR so near-duplicates are not chosen twice, and returned in reading order with their
offsets into the normalized text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import add
from typing import Any, ClassVar

from pipeline.records import Record
from pipeline.report.common import (
    cjk_ratio,
    containing_sentence,
    format_claim_value,
    format_period,
    metric_names,
    modality_zh,
    report_text,
    sentence_spans,
)

SCHEMA = "summary/1"
METHOD = "textrank(tfidf char bigrams) + claim boost + MMR"


@dataclass
class SummarySentence(Record):
    """One chosen sentence: ``text == doc.text[start:end]``."""

    SCHEMA: ClassVar[str] = "summary_sentence/1"
    start: int
    end: int
    text: str
    score: float
    claim_ids: list[str] = field(default_factory=list)


@dataclass
class Summary(Record):
    """The extractive summary of one document, sentences in reading order."""

    SCHEMA: ClassVar[str] = SCHEMA
    doc_id: str | None
    method: str = METHOD
    sentences: list[SummarySentence] = field(default_factory=list)


_TOKEN = re.compile(r"[A-Za-z]+|\d+(?:[.,]\d+)*|[\u3400-\u9fff\uf900-\ufaff]")


def _features(s: str) -> Counter[str]:
    """Character bigrams over CJK characters; Latin words and numbers count as one token."""
    toks = _TOKEN.findall(s.lower())
    # Counting the bigrams in one call keeps their first-seen order and counts.
    feats: Counter[str] = Counter(map(add, toks, toks[1:]))
    if len(toks) == 1:
        feats[toks[0]] += 1
    return feats


def _tfidf(bags: list[Counter[str]]) -> list[dict[str, float]]:
    """L2-normalized TF-IDF vectors (smoothed IDF over the document's sentences)."""
    n = len(bags)
    df: Counter[str] = Counter()
    for b in bags:
        df.update(b.keys())
    # The same expressions as per term and sentence, evaluated once per term / count.
    by_df = {d: math.log((1 + n) / (1 + d)) + 1 for d in set(df.values())}
    idf = {t: by_df[d] for t, d in df.items()}
    tf: dict[int, float] = {}
    vecs: list[dict[str, float]] = []
    for b in bags:
        for c in b.values():
            if c not in tf:
                tf[c] = 1 + math.log(c)
        v = {t: tf[c] * idf[t] for t, c in b.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vecs.append({t: x / norm for t, x in v.items()})
    return vecs


def _cos(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine of two normalized sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(t, 0.0) for t, x in a.items())


class _PairCos:
    """``_cos(vecs[i], vecs[j])``, bit for bit, without walking every term of a vector.

    ``_cos`` sums the products of the shared terms in the smaller vector's order (the
    other terms add exact zeros: every weight is positive). Here the shared terms come
    from a C-level key intersection and are summed in that same order, and each ordered
    pair is computed once (TextRank and MMR ask for the same pairs).
    """

    def __init__(self, vecs: list[dict[str, float]]) -> None:
        self.vecs = vecs
        self.order: list[dict[str, int] | None] = [None] * len(vecs)
        self.memo: dict[tuple[int, int], float] = {}

    def __call__(self, i: int, j: int) -> float:
        """The cosine of vectors i and j, as ``_cos(vecs[i], vecs[j])`` computes it."""
        got = self.memo.get((i, j))
        if got is None:
            got = self.memo[(i, j)] = self._compute(i, j)
        return got

    def _compute(self, i: int, j: int) -> float:
        """One cosine, summing in the smaller vector's term order."""
        a, b = self.vecs[i], self.vecs[j]
        if len(a) > len(b):
            a, b, i = b, a, j
        common = a.keys() & b.keys()
        if not common:
            return 0.0 if a else 0  # sum() of zeros, or of nothing
        if len(common) == 1:
            (t,) = common
            return 0 + a[t] * b[t]
        order = self.order[i]
        if order is None:
            order = self.order[i] = {t: k for k, t in enumerate(a)}
        total: float = 0
        for t in sorted(common, key=order.__getitem__):
            total += a[t] * b[t]
        return total


def similarity(a: str, b: str) -> float:
    """Bigram cosine similarity of two strings (used by the briefing's timeline too)."""
    # Plain term frequencies: with two texts, IDF would only penalize what they share.
    fa, fb = _features(a), _features(b)
    na = math.sqrt(sum(v * v for v in fa.values()))
    nb = math.sqrt(sum(v * v for v in fb.values()))
    if not na or not nb:
        return 0.0
    return sum(v * fb.get(t, 0) for t, v in fa.items()) / (na * nb)


def _textrank(sim: list[list[float]], damping: float = 0.85, iters: int = 40) -> list[float]:
    """PageRank over the weighted sentence-similarity graph."""
    n = len(sim)
    if n == 0:
        return []
    # numpy is imported here: the briefing imports this module, and a run with nothing
    # to summarize should not pay numpy's import.
    import numpy

    out_w = [sum(row) for row in sim]
    # w[i, j]: the weight of edge j -> i, sim[j][i] / out_w[j] (0 where there is none).
    # Each product below is the same float multiplication as in a per-edge loop, and
    # ``cumsum`` adds left to right like ``sum`` over node i's incoming edges in source
    # order (the products of absent edges are +0.0 and change no partial sum), so every
    # iteration gives exactly the values of the straightforward loop, without a Python
    # step per edge.
    sim_t = numpy.array(sim, dtype=float).T
    out = numpy.array(out_w, dtype=float)[None, :]
    w = numpy.zeros((n, n))
    numpy.divide(sim_t, out, out=w, where=(sim_t != 0) & (out != 0))
    base = (1 - damping) / n
    v = numpy.full(n, 1.0 / n)
    for _ in range(iters):
        v = base + damping * numpy.cumsum(w * v, axis=1)[:, -1]
    return [float(x) for x in v]


@lru_cache(maxsize=4)
def _any_cue(cues: tuple[str, ...]) -> re.Pattern[str]:
    """One regex finding any of ``cues`` (a match exactly when some cue is a substring)."""
    return re.compile("|".join(re.escape(c) for c in cues) if cues else "(?!)")


def is_boilerplate_sentence(s: str) -> bool:
    """Whether a sentence looks like a byline, heading, notice, caption, link or table row."""
    cfg = report_text()
    opts = cfg["summary"]
    body = s.strip()
    if "\t" in body or body.count("|") >= 2:
        return True  # a table row flattened into the text, not prose
    if _any_cue(tuple(cfg["boilerplate_cues"])).search(body):
        return True
    if body.startswith(tuple(cfg["boilerplate_prefixes"])):
        return True
    core = re.sub(r"\s", "", body)
    if len(core) < opts["min_chars"]:
        return True
    if body[-1:] not in opts["terminators"] and len(core) < opts["min_chars_unterminated"]:
        return True  # headings and bylines have no sentence-final punctuation
    return cjk_ratio(body) < opts["min_cjk_ratio"]


def _heading_spans(doc: Mapping[str, Any]) -> list[tuple[int, int]]:
    """Heading spans of the normalized document (never summary material)."""
    return [(int(h[0]), int(h[1])) for h in doc.get("headings") or [] if len(h) >= 2]


def summarize(
    doc: Mapping[str, Any],
    extracted: Mapping[str, Any],
    claims: Sequence[Mapping[str, Any]],
    k: int = 4,
) -> dict[str, Any]:
    """A k-sentence (clamped to 3–5) extractive summary with offsets into ``doc['text']``.

    Returns ``Summary.to_dict()`` (JSON-ready, ``schema`` "summary/1").
    """
    text: str = doc.get("text") or ""
    opts = report_text()["summary"]
    k = max(3, min(5, k))
    spans = sentence_spans(text, extracted.get("sentences"))
    headings = _heading_spans(doc)
    cands: list[tuple[int, int]] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e <= s or any(hs < e and s < he for hs, he in headings):
            continue
        if is_boilerplate_sentence(text[s:e]):
            continue
        cands.append((s, e))
    result = Summary(doc_id=doc.get("doc_id"))
    if not cands:
        return result.to_dict()

    vecs = _tfidf([_features(text[s:e]) for s, e in cands])
    pair_cos = _PairCos(vecs)
    n = len(cands)
    if n <= opts["textrank_max_sentences"]:
        sim = [[0.0] * n for _ in range(n)]
        for i in range(n):
            for j in range(i + 1, n):
                sim[i][j] = sim[j][i] = pair_cos(i, j)
        rank = _textrank(sim)
    else:
        # Long documents: similarity to the centroid is linear where TextRank is quadratic.
        centroid: Counter[str] = Counter()
        for v in vecs:
            centroid.update(v)
        norm = math.sqrt(sum(x * x for x in centroid.values())) or 1.0
        unit_centroid = {t: x / norm for t, x in centroid.items()}
        rank = [max(_cos(v, unit_centroid), 0.0) for v in vecs]
    top = max(rank) or 1.0

    # Claims boost the sentence that holds their value; metric-bearing claims count most.
    boost = [0.0] * n
    claim_ids: list[list[str]] = [[] for _ in range(n)]
    for c in claims:
        start = c.get("start")
        if not isinstance(start, int):
            continue
        hit = containing_sentence(cands, start, c.get("end"))
        if hit is None:
            continue
        i = cands.index(hit)
        boost[i] += opts["metric_claim_boost"] if c.get("metric") else opts["other_claim_boost"]
        if c.get("claim_id") is not None:
            claim_ids[i].append(str(c["claim_id"]))
    bmax = max(boost) or 1.0
    w = opts["weights"]
    score = [
        w["centrality"] * rank[i] / top
        + w["claims"] * min(boost[i], bmax) / bmax
        + w["position"] / (1 + i / 5)  # news puts the gist first
        for i in range(n)
    ]

    chosen: list[int] = []
    lam = opts["mmr_lambda"]
    while len(chosen) < min(k, n):
        best, best_val = -1, -math.inf
        for i in range(n):
            if i in chosen:
                continue
            red = max((pair_cos(i, j) for j in chosen), default=0.0)
            if red >= opts["near_duplicate"]:
                continue  # a near-duplicate adds nothing, whatever its score
            val = lam * score[i] - (1 - lam) * red
            if val > best_val:
                best, best_val = i, val
        if best < 0:
            break
        chosen.append(best)
    for i in sorted(chosen, key=lambda i: cands[i][0]):
        s, e = cands[i]
        result.sentences.append(
            SummarySentence(s, e, text[s:e], round(score[i], 4), sorted(claim_ids[i]))
        )
    return result.to_dict()


def _md(s: Any) -> str:
    """Text safe inside a Markdown table cell or line (no pipes, newlines or raw HTML)."""
    out = str(s if s is not None else "")
    out = out.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return out.replace("|", "\\|").replace("\r", " ").replace("\n", " ").strip()


def _clip(s: str, n: int = 60) -> str:
    """Shorten a sentence for a table cell."""
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def render_summary_md(
    doc: Mapping[str, Any],
    summary: Mapping[str, Any],
    claims: Sequence[Mapping[str, Any]],
    times: Sequence[Mapping[str, Any]],
    max_claims: int = 12,
    max_times: int = 12,
) -> str:
    """The Markdown page of one document: metadata, summary, key figures, dated events."""
    text: str = doc.get("text") or ""
    title = doc.get("title") or "（無標題）"
    lines = [f"# {_md(title)}", ""]
    authors = "、".join(doc.get("authors") or []) or "—"
    lines += [
        f"- 媒體 Outlet：{_md(doc.get('outlet') or '—')}",
        f"- 日期 Date：{_md(doc.get('published') or '—')}",
        f"- 作者 Authors：{_md(authors)}",
        f"- 來源檔案 Source：`{_md(doc.get('source_path') or '—')}`",
        f"- doc_id：`{_md(doc.get('doc_id') or '—')}`",
        "",
        "## 摘要 Summary",
        "",
    ]
    sents = summary.get("sentences") or []
    if sents:
        lines += [f"- {_md(s['text'])} `[{s['start']}:{s['end']}]`" for s in sents]
    else:
        lines.append("（沒有可用的句子）")
    lines += ["", "## 關鍵數字 Key figures", ""]
    ranked = sorted(
        claims, key=lambda c: (c.get("metric") is None, c.get("start") or 0, c.get("claim_id"))
    )
    shown = ranked[:max_claims]
    if shown:
        lines += ["| 數值 | 原文 | 指標 metric | 時期 | 性質 |", "|---|---|---|---|---|"]
        for c in shown:
            zh, _ = metric_names(c.get("metric"))
            metric = f"{zh} (`{c['metric']}`)" if c.get("metric") else zh
            lines.append(
                "| "
                + " | ".join(
                    _md(x)
                    for x in (
                        format_claim_value(c),
                        c.get("surface"),
                        metric,
                        format_period(c.get("period")) if c.get("period") else "—",
                        modality_zh(c.get("modality")) or "—",
                    )
                )
                + " |"
            )
        if len(ranked) > len(shown):
            lines += ["", f"另有 {len(ranked) - len(shown)} 項數字未列出。"]
    else:
        lines.append("（未擷取到數字）")
    lines += ["", "## 日期事件 Dated events", ""]
    spans = sentence_spans(text, None)
    dated = [t for t in times if t.get("value")]
    dated.sort(key=lambda t: (str(t["value"]), t.get("start") or 0))
    if dated:
        lines += ["| 日期 | 原文 | 句子 |", "|---|---|---|"]
        for t in dated[:max_times]:
            hit = containing_sentence(spans, int(t.get("start") or 0), t.get("end"))
            sent = text[hit[0] : hit[1]] if hit else ""
            lines.append(f"| {_md(t['value'])} | {_md(t.get('surface'))} | {_md(_clip(sent))} |")
        if len(dated) > max_times:
            lines += ["", f"另有 {len(dated) - max_times} 個日期未列出。"]
    else:
        lines.append("（未擷取到日期）")
    return "\n".join(lines) + "\n"
