"""Reconciliation: group claims about the same quantity and explain disagreements.

Pure core: ``reconcile(claims) -> dict`` (shape: pipeline/schemas/reconciled.schema.json).
Groups are keyed by (metric, subject, object, commodity); inside a group each period
is reconciled on its own (periods form a time series), and targets and scenarios are
kept in their own sections, never weighed against observations. Within one period every
value becomes an interval (rounding and hedge), the interval supported by the most
independent sources wins (sweep over endpoints), and each claim is labelled agree,
compatible or conflict with an explanation. Nothing is averaged away.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Protocol

from pipeline.claims.lexicon import cues, org_countries, slugs

SCHEMA = "reconciled/1"
_KEY = ("metric", "subject", "object", "commodity")
_SIDE = {"target": "targets", "scenario": "scenarios"}
_INF = math.inf


def _as_dict(c: Any) -> dict[str, Any]:
    """A claim as a plain dict (records and dicts alike)."""
    if hasattr(c, "to_dict"):
        d: dict[str, Any] = c.to_dict()
        return d
    return dict(c)


# ---------------------------------------------------------------- intervals


def _point(c: Mapping[str, Any]) -> float | None:
    """The figure's point: value, else its one known bound."""
    for k in ("value", "low", "high"):
        v = c.get(k)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return float(v)
    return None


def rounding(c: Mapping[str, Any]) -> float:
    """Half the step of the last significant digit: 60 → 5, 58 → 0.5, 2.5e8 → 5e6."""
    v = _point(c)
    if v is None or v == 0:
        return 0.0
    try:
        exp = Decimal(repr(abs(v))).normalize().as_tuple().exponent
    except InvalidOperation:
        return 0.0
    half = (10.0 ** int(exp)) / 2 if isinstance(exp, int) else 0.0
    if c.get("unit") in ("%", "pp"):
        return min(half, 5.0)  # a round percent means at most ±5 points (六成, 60%)
    return min(half, 0.05 * abs(v))  # 10億 is not ±5億


def _hedge(c: Mapping[str, Any]) -> float:
    """Extra width of 約/左右 beyond rounding: 1 point for percents, 2% otherwise."""
    v = _point(c) or 0.0
    return 1.0 if c.get("unit") in ("%", "pp") else 0.02 * abs(v)


def interval(c: Mapping[str, Any]) -> tuple[float, float]:
    """The values a claim admits, widened by its rounding and hedge."""
    q = c.get("qualifier") or "exact"
    lo, hi, v = c.get("low"), c.get("high"), _point(c)
    # shares live in [0, 100]; growth rates and changes may be negative or exceed 100
    floor = 0.0 if v is None or v >= 0 else -_INF
    cap = 100.0 if c.get("unit") == "%" and (v is None or 0 <= v <= 100) else _INF
    h = rounding(c)
    if q == "range" and lo is not None and hi is not None:
        return min(float(lo), float(hi)), max(float(lo), float(hi))
    if v is None:
        return floor, cap
    if q in ("at_least", "more_than"):
        return v, cap
    if q in ("at_most", "less_than"):
        return floor, v
    if q == "nearly":
        return max(floor, v - max(h, _hedge(c))), v
    if q == "approx":
        w = max(h, _hedge(c))
        return max(floor, v - w), min(cap, v + w)
    return max(floor, v - h), min(cap, v + h)


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Positive-length intersection (touching ends do not agree: 90±5 vs [95, 100])."""
    lo, hi = max(a[0], b[0]), min(a[1], b[1])
    if a[0] == a[1] or b[0] == b[1]:
        return lo <= hi
    return lo < hi


def _covers(iv: tuple[float, float], seg: tuple[float, float]) -> bool:
    """Whether an interval contains a whole segment."""
    return iv[0] <= seg[0] and seg[1] <= iv[1] and _overlap(iv, seg)


# ---------------------------------------------------------------- sources


def normalized_sentence(s: str) -> str:
    """Comparison form of a sentence: NFKC, no spaces or punctuation."""
    s = unicodedata.normalize("NFKC", s or "")
    return "".join(filter(str.isalnum, s))


def independent_sources(claims: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """claim_id -> source key; the same sentence in two documents is one source (copying)."""
    # several claims share a sentence: normalize each distinct sentence once
    keys: dict[str, str] = {}
    for c in claims:
        sent = str(c.get("sentence") or "")
        if sent not in keys:
            keys[sent] = normalized_sentence(sent)
    first_doc: dict[str, str] = {}
    for c in sorted(claims, key=lambda c: (str(c.get("doc_id")), str(c.get("claim_id")))):
        key = keys[str(c.get("sentence") or "")]
        if len(key) >= 8:
            first_doc.setdefault(key, str(c.get("doc_id")))
    out = {}
    for c in claims:
        key = keys[str(c.get("sentence") or "")]
        out[str(c["claim_id"])] = first_doc.get(key, str(c.get("doc_id")))
    return out


# ---------------------------------------------------------------- one period


@dataclass
class _Vote:
    """A claim taking part in the consensus of one period."""

    claim: dict[str, Any]
    iv: tuple[float, float]
    source: str


def _consensus(votes: Sequence[_Vote]) -> tuple[tuple[float, float], list[_Vote]]:
    """The interval covered by the most independent sources (then most claims, then lowest)."""
    points = sorted({p for v in votes for p in v.iv})
    # point segments only for point claims: closed ends that merely touch do not agree
    segs: list[tuple[float, float]] = sorted({v.iv for v in votes if v.iv[0] == v.iv[1]})
    segs += [(a, b) for a, b in zip(points, points[1:], strict=False)]
    # every segment has a <= b, so _covers(iv, seg) reduces to iv[0] <= a and b <= iv[1];
    # each segment's cover is computed once and reused when widening
    covers: dict[tuple[float, float], list[int]] = {}
    for seg in segs:
        a, b = seg
        covers[seg] = [i for i, v in enumerate(votes) if v.iv[0] <= a and b <= v.iv[1]]
    best: tuple[tuple[int, int, float], tuple[float, float]] | None = None
    for seg in segs:
        idx = covers[seg]
        if not idx:
            continue
        score = (len({votes[i].source for i in idx}), len(idx), seg[1] - seg[0])
        if best is None or score > best[0]:
            best = (score, seg)
    if best is None:
        return (0.0, 0.0), []
    seg = best[1]
    ids = covers[seg]
    # widen to the neighbouring segments covered by exactly the same claims
    lo, hi = seg
    by_start = sorted(segs, key=lambda s: s[0])
    for a, b in by_start:
        if b == lo and a < b and covers[(a, b)] == ids:
            lo = a
    for a, b in by_start:
        if a == hi and a < b and covers[(a, b)] == ids:
            hi = b
    return (lo, hi), [votes[i] for i in ids]


def _words_in(sentence: str, table: Mapping[str, str]) -> set[str]:
    """Cue words of ``table`` present in a sentence."""
    return {w for w in table if w in sentence}


@lru_cache(maxsize=65536)
def _cue_words(sentence: str, table: str) -> frozenset[str]:
    """Cue words of claim_cues.json ``table`` in a sentence (memoized: sentences repeat)."""
    return frozenset(_words_in(sentence, cues()[table]))


def _fmt(x: float) -> str:
    """A bound for people: 60, 57.5, 6.6e+11 → 660000000000."""
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    return f"{x:.6g}" if abs(x) < 1e6 else f"{x:,.0f}"


def _fmt_iv(iv: tuple[float, float], unit: str | None) -> str:
    """[lo, hi] unit."""
    u = f" {unit}" if unit else ""
    return f"[{_fmt(iv[0])}, {_fmt(iv[1])}]{u}"


def _condition(sentence: str) -> str | None:
    """The condition of a scenario sentence: from 若/如果… up to the next clause break."""
    words = sorted(cues()["scenario"], key=len, reverse=True)
    hits = [(sentence.find(w), w) for w in words if w in sentence]
    if not hits:
        return None
    k = min(hits)[0]
    m = re.search(r"[，,；;。！？]", sentence[k:])
    return sentence[k : k + m.start()] if m else sentence[k:]


def _explain_conflict(
    c: Mapping[str, Any],
    iv: tuple[float, float],
    cons: tuple[float, float],
    support: Sequence[_Vote],
    unit: str | None,
    memo: dict[str, Any] | None = None,
) -> str:
    """The first explanation that fits, in the fixed order of the design.

    ``memo`` keeps what depends on the support only, shared by the conflicts of one period.
    """
    cc = cues()
    memo = {} if memo is None else memo
    others = [v.claim for v in support]
    # 1. different period (the figure's own date is inferred, the consensus is dated, or vice versa)
    if "bases" not in memo:
        memo["bases"] = {str(o.get("period_basis")) for o in others}
    bases = memo["bases"]
    mine = str(c.get("period_basis"))
    if (mine == "explicit") != ("explicit" in bases) and bases:
        return (
            f"different period: this figure's period is {mine}, the consensus figures' is "
            f"{', '.join(sorted(bases))}; they may not refer to the same time"
        )
    # 2. different scope (narrower commodity or stage named only in this sentence)
    sent = str(c.get("sentence") or "")
    # a scenario is its own assumption: 若限制三個月 and 若限制一年 are different scopes
    cond = _condition(sent) if c.get("modality") == "scenario" else None
    if cond and cond not in {_condition(str(o.get("sentence") or "")) for o in others}:
        return f"different scope: a different scenario, assuming {cond}"
    if "scope" not in memo:
        memo["scope"] = set().union(
            *(_cue_words(str(o.get("sentence") or ""), "scope_words") for o in others)
        )
    theirs = memo["scope"]
    extra = sorted(_cue_words(sent, "scope_words") - theirs)
    if extra:
        names = ", ".join(f"{w} ({cc['scope_words'][w]})" for w in extra)
        return f"different scope: this sentence narrows the figure to {names}"
    # a writer listing two values side by side in one sentence is naming two different items
    mates = [o for o in others if o.get("doc_id") == c.get("doc_id") and o.get("sentence") == sent]
    if mates and c.get("equivalent_of") is None:
        return (
            f"different scope: listed alongside {mates[0].get('surface')} in the same sentence; "
            "probably a different item of the same kind"
        )
    # 3. different definition (unit, or value vs volume, cumulative vs annual)
    if c.get("unit") != unit:
        return f"different definition: stated in {c.get('unit')}, the consensus in {unit}"
    if "definition" not in memo:
        memo["definition"] = set().union(
            *(_cue_words(str(o.get("sentence") or ""), "definition_words") for o in others)
        )
    theirs_d = memo["definition"]
    extra_d = sorted(_cue_words(sent, "definition_words") - theirs_d)
    if extra_d:
        names = ", ".join(f"{w} ({cc['definition_words'][w]})" for w in extra_d)
        return f"different definition: this sentence measures {names}"
    # 4. rounding or hedge: one more rounding step would make it agree
    step = max(rounding(c), _hedge(c))
    if _overlap((iv[0] - step, iv[1] + step), cons):
        return (
            f"rounding/hedge: {c.get('surface')} read as {_fmt_iv(iv, unit)} misses the consensus "
            f"{_fmt_iv(cons, unit)} by less than one rounding step"
        )
    # 5. a figure quoted as history
    if c.get("modality") == "historical" or _words_in(sent, dict.fromkeys(cc["historical"], "")):
        return "quoted as history: the sentence presents this figure as a past level"
    n = len({v.source for v in support})
    return (
        f"unexplained conflict: {c.get('surface')} ({_fmt_iv(iv, unit)}) disagrees with the "
        f"consensus {_fmt_iv(cons, unit)} supported by {n} independent source(s)"
    )


def _entry(c: Mapping[str, Any], source: str) -> dict[str, Any]:
    """The claim fields a reader of the reconciliation needs."""
    src = c.get("source") or {}
    return {
        "claim_id": c.get("claim_id"),
        "doc_id": c.get("doc_id"),
        "surface": c.get("surface"),
        "value": c.get("value"),
        "low": c.get("low"),
        "high": c.get("high"),
        "unit": c.get("unit"),
        "qualifier": c.get("qualifier"),
        "modality": c.get("modality"),
        "period": c.get("period"),
        "period_basis": c.get("period_basis"),
        "attribution": c.get("attribution"),
        "sentence": c.get("sentence"),
        "outlet": src.get("outlet"),
        "published": src.get("published"),
        "title": src.get("title"),
        "independent_source": source,
        "interval": None,
        "label": "agree",
        "explanation": "",
    }


def _bound(x: float) -> float | None:
    """JSON bound: infinite ends are open (null)."""
    return None if math.isinf(x) else x


def reconcile_period(
    period: str | None, claims: Sequence[Mapping[str, Any]], sources: Mapping[str, str]
) -> dict[str, Any]:
    """One period of one group: consensus interval, and a label and explanation per claim."""
    ids = {str(c["claim_id"]) for c in claims}
    entries = {
        str(c["claim_id"]): _entry(c, sources.get(str(c["claim_id"]), str(c.get("doc_id"))))
        for c in claims
    }
    voting = [c for c in claims if not (c.get("equivalent_of") and str(c["equivalent_of"]) in ids)]
    units = Counter(str(c.get("unit")) for c in voting)
    unit = min(units, key=lambda u: (-units[u], u)) if units else None
    unit = None if unit == "None" else unit
    votes = [
        _Vote(dict(c), interval(c), entries[str(c["claim_id"])]["independent_source"])
        for c in voting
        if c.get("unit") == unit
    ]
    cons, support = _consensus(votes)
    sup_ids = {str(v.claim["claim_id"]) for v in support}
    memo: dict[str, Any] = {}
    copies: dict[str, list[str]] = defaultdict(list)
    for v in votes:
        copies[v.source].append(str(v.claim.get("doc_id")))
    for v in votes:
        e = entries[str(v.claim["claim_id"])]
        e["interval"] = [_bound(v.iv[0]), _bound(v.iv[1])]
        docs = sorted(set(copies[v.source]) - {str(v.claim.get("doc_id"))})
        copy_note = (
            f"copied: the same sentence appears in {', '.join(docs)}; counted as one source"
            if docs
            else ""
        )
        if str(v.claim["claim_id"]) in sup_ids:
            width = v.iv[1] - v.iv[0]
            loose = math.isinf(width) or width > 2 * max(cons[1] - cons[0], 1e-9) + 1e-9
            if loose and len(votes) > 1:
                e["label"] = "compatible"
                e["explanation"] = (
                    f"hedge: {v.claim.get('surface')} ({v.claim.get('qualifier')}) admits "
                    f"{_fmt_iv(v.iv, unit)}, which contains the consensus"
                )
            else:
                e["label"] = "agree"
                e["explanation"] = copy_note or (
                    "only figure for this period"
                    if len(votes) == 1
                    else "within rounding of the consensus"
                )
            if copy_note and e["label"] == "compatible":
                e["explanation"] += "; " + copy_note
        else:
            e["label"] = "conflict"
            e["explanation"] = _explain_conflict(v.claim, v.iv, cons, support, unit, memo)
            if copy_note:
                e["explanation"] += "; " + copy_note
    for c in claims:
        e = entries[str(c["claim_id"])]
        if e["interval"] is not None:
            continue
        iv = interval(c)
        e["interval"] = [_bound(iv[0]), _bound(iv[1])]
        base = entries.get(str(c.get("equivalent_of")))
        if base is not None:
            e["label"] = base["label"]
            e["explanation"] = (
                f"conversion of {base['claim_id']} ({base['surface']}); not an independent figure"
            )
        else:
            e["label"] = "compatible"
            e["explanation"] = (
                f"different definition: stated in {c.get('unit')}, the consensus in {unit}; not compared"
            )
    order = sorted(entries.values(), key=lambda e: (str(e["doc_id"]), str(e["claim_id"])))
    return {
        "period": period,
        "consensus": {
            "low": _bound(cons[0]) if support else None,
            "high": _bound(cons[1]) if support else None,
            "unit": unit,
            "sources": len({v.source for v in support}),
            "claims": sorted(sup_ids),
        },
        "claims": order,
    }


# ---------------------------------------------------------------- groups


def period_sort_key(period: str | None) -> tuple[int, str]:
    """Chronological order of ISO periods; unknown last."""
    if not period:
        return (99999, "")
    m = re.match(r"(\d{4})", period)
    return (int(m.group(1)) if m else 99998, period)


def _sections(
    members: Sequence[Mapping[str, Any]], sources: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Claims bucketed by period, each bucket reconciled."""
    buckets: dict[str | None, list[Mapping[str, Any]]] = defaultdict(list)
    for c in members:
        buckets[c.get("period")].append(c)
    return [reconcile_period(p, buckets[p], sources) for p in sorted(buckets, key=period_sort_key)]


def _key_of(c: Mapping[str, Any]) -> tuple[str | None, ...]:
    """The group key of a claim: a state agency's figure joins its country's group when the
    metric key already names that country (JOGMEC's effort is japan_re_diversification_…)."""
    key = [c.get(k) for k in _KEY]
    key[1] = _group_subject(key[0], key[1])
    return tuple(key)


@lru_cache(maxsize=65536)
def _group_subject(metric: str | None, subject: str | None) -> str | None:
    """The subject a claim is grouped under (memoized: a corpus has few distinct pairs)."""
    country = org_countries().get(str(subject)) if subject else None
    if country and not country.startswith("_"):
        slug = slugs().get(country, country.lower())
        m = str(metric or "")
        if m.startswith(f"{slug}_") or f"_{slug}_" in m or m.endswith(f"_{slug}"):
            return country
    return subject


def _sort_key(key: tuple[str | None, ...]) -> tuple[str, ...]:
    """Deterministic order of group keys (None sorts first)."""
    return tuple("" if k is None else str(k) for k in key)


@dataclass
class GroupMemo:
    """Groups reconciled by earlier runs, by a fingerprint of their members.

    A group's reconciliation depends only on its members and their source keys, so a
    run that adds one document recomputes only the groups that document touches. The
    fingerprint names each member by claim id, the key of its document's claims
    (``doc_keys``: changes whenever the document's claims may have) and its source key.
    """

    code: str  # fingerprint of the reconcile code and data
    doc_keys: Mapping[str, str]
    lookup: Callable[[str], str | bytes | None]  # fingerprint -> group JSON stored by a run before
    put: Callable[[str, str], None] | None = None  # where to store new groups (else ``new``)
    new: dict[str, str] = field(default_factory=dict)
    fp_of: dict[tuple[str | None, ...], str] = field(default_factory=dict)

    def fingerprint(
        self,
        key: tuple[str | None, ...],
        members: Sequence[Mapping[str, Any]],
        sources: Mapping[str, str],
    ) -> str | None:
        """Hash of what the group's reconciliation reads; None if a document has no key."""
        return self.fingerprint_pairs(
            key, [(c["claim_id"], c.get("doc_id")) for c in members], sources
        )

    def fingerprint_pairs(
        self,
        key: tuple[str | None, ...],
        members: Sequence[Sequence[Any]],
        sources: Mapping[str, str],
    ) -> str | None:
        """``fingerprint`` of members given as (claim id, doc id) (index rows will do)."""
        doc_keys = [self.doc_keys.get(str(m[1])) for m in members]
        if None in doc_keys:
            return None
        # one update of the joined lines hashes what a line at a time did (same fingerprints)
        h = hashlib.sha256(f"{self.code}\n{json.dumps(key, ensure_ascii=False)}\n".encode())
        h.update(
            "".join(
                [
                    f"{m[0]}\t{k}\t{sources[str(m[0])]}\n"
                    for m, k in zip(members, doc_keys, strict=True)
                ]
            ).encode()
        )
        fp = h.hexdigest()[:24]
        self.fp_of[key] = fp
        return fp


def reconcile(claims: Iterable[Any], memo: GroupMemo | None = None) -> dict[str, Any]:
    """Group claims by (metric, subject, object, commodity) and reconcile each period."""
    rows = [_as_dict(c) for c in claims]
    rows = [r for r in rows if r.get("claim_id") is not None]
    sources = independent_sources(rows)
    grouped: dict[tuple[str | None, ...], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if r.get("metric"):
            grouped[_key_of(r)].append(r)
    groups: list[dict[str, Any]] = []
    for key in sorted(grouped, key=_sort_key):
        fp = memo.fingerprint(key, grouped[key], sources) if memo is not None else None
        stored = memo.lookup(fp) if memo is not None and fp is not None else None
        if stored is not None:
            g: dict[str, Any] = json.loads(stored)
        else:
            g = _group(key, grouped[key], sources)
            if memo is not None and fp is not None:
                # stored before linking: scope variants and related groups depend on others
                text = json.dumps(g, ensure_ascii=False, separators=(",", ":"))
                if memo.put is not None:
                    memo.put(fp, text)
                else:
                    memo.new[fp] = text
        groups.append(g)
    _link_scope_variants(groups)
    _link_related(groups)
    # most corroborated quantities first; ties by key, so the order is stable
    groups.sort(
        key=lambda g: (-g["sources"], -g["n_claims"], _sort_key(tuple(g["key"][k] for k in _KEY)))
    )
    ungrouped = sum(1 for r in rows if not r.get("metric"))
    return {
        "schema": SCHEMA,
        "groups": groups,
        "n_claims": len(rows),
        "ungrouped_claims": ungrouped,
    }


# ---------------------------------------------------------------- from a compact index
#
# At scale the corpus stage keeps one short row per claim (``index_row``) and the output
# of every group by fingerprint, so adding a document reparses only the claims of the
# groups it touches and re-serializes only those groups and their linked siblings.

INDEX_FIELDS = ("claim_id", "doc_id", *_KEY, "period", "sentence_key")


def index_row(c: Mapping[str, Any]) -> list[Any]:
    """What grouping, source keys and the briefing state read of a claim (INDEX_FIELDS)."""
    norm = normalized_sentence(str(c.get("sentence") or ""))
    # a sentence too short to identify copying is its own source (as in independent_sources)
    skey = hashlib.sha256(norm.encode()).hexdigest()[:20] if len(norm) >= 8 else ""
    doc = c.get("doc_id")
    return [
        c.get("claim_id"),
        None if doc is None else str(doc),
        *(c.get(k) for k in _KEY),
        c.get("period"),
        skey,
    ]


def index_sources(rows: Sequence[Sequence[Any]]) -> dict[str, str]:
    """``independent_sources`` from index rows: a copied sentence counts for its first document."""
    first: dict[str, str] = {}
    for r in rows:
        if r[7]:
            doc = str(r[1])
            if r[7] not in first or doc < first[r[7]]:
                first[r[7]] = doc
    return {str(r[0]): first.get(r[7], str(r[1])) if r[7] else str(r[1]) for r in rows}


class TextStore(Protocol):
    """Strings by fingerprint (the corpus stage's SQLite memo; a dict wrapper in tests)."""

    def get(self, fp: str) -> str | bytes | None: ...

    def put(self, fp: str, value: str) -> None: ...

    def keep(self, fp: str) -> None: ...


@dataclass
class GroupLine:
    """One reconciled group as its final JSON line, with what ordering and caching need."""

    key: tuple[str | None, ...]
    fp: str | None  # fingerprint of the group's members (None: not cacheable)
    line_fp: str | None  # fingerprint of the line: the group's and its linked siblings'
    line: str | bytes  # UTF-8 bytes when the line store keeps them so
    sources: int
    n_claims: int


def _fp(*parts: str) -> str:
    """Fingerprint of some strings."""
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode())
        h.update(b"\0")
    return h.hexdigest()[:24]


def reconcile_index(
    rows: Sequence[Sequence[Any]],
    fetch: Callable[[Sequence[str]], Iterable[Mapping[str, Any]]],
    *,
    code: str,
    doc_keys: Mapping[str, str],
    groups: TextStore,
    metas: TextStore,
    lines: TextStore,
) -> tuple[dict[str, Any], list[GroupLine]]:
    """``reconcile`` from index rows: (the header of reconciled.json, its groups as lines).

    ``fetch(doc_ids)`` returns the full claims of those documents; it is called only for
    groups no earlier run reconciled. The lines equal ``io.dumps`` of ``reconcile``'s
    groups, in the same order.
    """
    rows = [r for r in rows if r[0] is not None]
    sources = index_sources(rows)
    memo = GroupMemo(code, doc_keys, groups.get)
    grouped: dict[tuple[str | None, ...], list[Sequence[Any]]] = defaultdict(list)
    for r in rows:
        if r[2]:
            grouped[(r[2], _group_subject(r[2], r[3]), r[4], r[5])].append(r)
    keys = sorted(grouped, key=_sort_key)
    fps: dict[tuple[str | None, ...], str | None] = {}
    meta: dict[tuple[str | None, ...], dict[str, Any]] = {}
    texts: dict[tuple[str | None, ...], str | bytes] = {}  # pre-link group JSON made or read now
    for key in keys:
        fp = fps[key] = memo.fingerprint_pairs(key, grouped[key], sources)
        stored = metas.get(fp) if fp is not None else None
        if stored is not None:
            meta[key] = json.loads(stored)
    todo = [k for k in keys if k not in meta]
    if todo:
        by_id = {
            str(c["claim_id"]): _as_dict(c)
            for c in fetch(sorted({str(r[1]) for k in todo for r in grouped[k]}))
        }
        for key in todo:
            g = _group(key, [by_id[str(r[0])] for r in grouped[key]], sources)
            text = texts[key] = json.dumps(g, ensure_ascii=False, separators=(",", ":"))
            meta[key] = {"unit": g["unit"], "sources": g["sources"], "n_claims": g["n_claims"]}
            fp = fps[key]
            if fp is not None:
                groups.put(fp, text)
                metas.put(fp, json.dumps(meta[key], ensure_ascii=False))

    def pre_link(key: tuple[str | None, ...]) -> dict[str, Any]:
        """A fresh copy of a group before linking (linking mutates it)."""
        fp = fps[key]
        if key not in texts:
            stored = groups.get(fp) if fp is not None else None
            if stored is None:  # the memo lost it: reconcile the group again
                by_id = {
                    str(c["claim_id"]): _as_dict(c)
                    for c in fetch(sorted({str(r[1]) for r in grouped[key]}))
                }
                g = _group(key, [by_id[str(r[0])] for r in grouped[key]], sources)
                stored = json.dumps(g, ensure_ascii=False, separators=(",", ":"))
                if fp is not None:
                    groups.put(fp, stored)
            texts[key] = stored
        out: dict[str, Any] = json.loads(texts[key])
        return out

    # the siblings each link reads, as _link_scope_variants and _link_related bucket them
    scope: dict[tuple[Any, ...], list[tuple[str | None, ...]]] = defaultdict(list)
    related: dict[tuple[Any, ...], list[tuple[str | None, ...]]] = defaultdict(list)
    for key in keys:
        scope[key[:3]].append(key)
        related[(*key[1:4], meta[key]["unit"])].append(key)
    out: list[GroupLine] = []
    for key in keys:
        sibs = [k for k in scope[key[:3]] if k != key]
        rel = [k for k in related[(*key[1:4], meta[key]["unit"])] if k != key]
        fp = fps[key]
        parts = [fps[k] for k in (key, *sibs, *rel)]
        lfp = (
            None
            if any(p is None for p in parts)
            else _fp(
                str(fp), "|".join(str(fps[k]) for k in sibs), "|".join(str(fps[k]) for k in rel)
            )
        )
        line = lines.get(lfp) if lfp is not None else None
        if line is None:
            linked = {k: pre_link(k) for k in sorted({key, *sibs, *rel}, key=_sort_key)}
            _link_scope_variants(list(linked.values()))
            _link_related(list(linked.values()))
            line = json.dumps(linked[key], ensure_ascii=False, separators=(",", ":"))
            if lfp is not None:
                lines.put(lfp, line)
        elif fp is not None:
            groups.keep(fp)  # still current: a later run may need it to relink
        m = meta[key]
        out.append(GroupLine(key, fp, lfp, line, int(m["sources"]), int(m["n_claims"])))
    out.sort(key=lambda g: (-g.sources, -g.n_claims, _sort_key(g.key)))
    header = {
        "schema": SCHEMA,
        "groups": [],
        "n_claims": len(rows),
        "ungrouped_claims": sum(1 for r in rows if not r[2]),
    }
    return header, out


def _group(
    key: tuple[str | None, ...], members: Sequence[dict[str, Any]], sources: Mapping[str, str]
) -> dict[str, Any]:
    """One group: its periods reconciled, targets and scenarios apart, its series."""
    side: dict[str, list[dict[str, Any]]] = {"targets": [], "scenarios": []}
    observed: list[dict[str, Any]] = []
    for c in members:
        sec = _SIDE.get(str(c.get("modality")))
        (side[sec] if sec else observed).append(c)
    periods = _sections(observed, sources)
    return {
        "key": dict(zip(_KEY, key, strict=True)),
        "unit": next((p["consensus"]["unit"] for p in periods if p["consensus"]["unit"]), None)
        or _first_unit(members),
        "n_claims": len(members),
        "sources": len({sources[str(c["claim_id"])] for c in members}),
        "periods": periods,
        "targets": _sections(side["targets"], sources),
        "scenarios": _sections(side["scenarios"], sources),
        "series": [
            {
                "period": p["period"],
                "low": p["consensus"]["low"],
                "high": p["consensus"]["high"],
            }
            for p in periods
        ],
        "scope_variants": [],
        "series_notes": _series_notes(periods),
    }


def _series_notes(periods: Sequence[Mapping[str, Any]]) -> list[str]:
    """How consecutive periods relate: the same level within rounding, or a change."""
    notes = []
    for a, b in zip(periods, periods[1:], strict=False):
        ca, cb = a["consensus"], b["consensus"]
        if None in (ca["low"], ca["high"], cb["low"], cb["high"]) or not (
            ca["claims"] and cb["claims"]
        ):
            continue
        ia, ib = (ca["low"], ca["high"]), (cb["low"], cb["high"])
        if _overlap(ia, ib):
            notes.append(
                f"{a['period']} → {b['period']}: same level within rounding; a time series, not a conflict"
            )
        else:
            way = "rose" if ib[0] >= ia[1] else "fell"
            notes.append(
                f"{a['period']} → {b['period']}: {way} from {_fmt_iv(ia, ca['unit'])} to {_fmt_iv(ib, cb['unit'])}"
            )
    return notes


def _first_unit(members: Sequence[Mapping[str, Any]]) -> str | None:
    """Most common unit of a group's claims."""
    units = Counter(str(c.get("unit")) for c in members if c.get("unit"))
    return min(units, key=lambda u: (-units[u], u)) if units else None


def _link_related(groups: list[dict[str, Any]]) -> None:
    """List groups about the same parties and commodity in the same unit under another metric."""
    by_base: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for g in groups:
        k = g["key"]
        by_base[(k["subject"], k["object"], k["commodity"], g["unit"])].append(g)
    for sibs in by_base.values():
        for g in sibs:
            g["related"] = [
                {"metric": o["key"]["metric"], "series": o["series"]}
                for o in sibs
                if o is not g and o["key"]["metric"] != g["key"]["metric"]
            ]


def _link_scope_variants(groups: list[dict[str, Any]]) -> None:
    """List, under each group, the groups with the same metric/subject/object but another commodity."""
    by_base: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for g in groups:
        k = g["key"]
        by_base[(k["metric"], k["subject"], k["object"])].append(g)
    for sibs in by_base.values():
        for g in sibs:
            g["scope_variants"] = [
                {
                    "commodity": o["key"]["commodity"],
                    "claims": [
                        {
                            "claim_id": c["claim_id"],
                            "doc_id": c["doc_id"],
                            "period": sec["period"],
                            "surface": c["surface"],
                            "label": c["label"],
                        }
                        for part in ("periods", "targets", "scenarios")
                        for sec in o[part]
                        for c in sec["claims"]
                    ],
                    "note": "different commodity scope: listed, not merged",
                }
                for o in sibs
                if o is not g
            ]
