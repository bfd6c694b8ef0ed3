"""Build claims from one document's quantities, times and entities.

Pure core: ``build_claims(doc_meta, text, sentences, quantities, times, entities)``.
Each figure that states something becomes a claim; its frame (metric, subject, object,
commodity, period, modality, attribution) is read from its clause, its sentence and,
where needed, the sentence before. Cue words live in ``pipeline/data/metrics.json`` and
``pipeline/data/claim_cues.json``.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline import __version__
from pipeline.claims.lexicon import (
    MetricRule,
    Purpose,
    commodity_slugs,
    cues,
    heavy_re,
    material_symbols,
    metric_rules,
    operators,
    org_countries,
    place_slug_drop,
    purposes,
    rare_earth_re,
    sectors,
    slugs,
    subject_lexicons,
    subsidiaries,
)
from pipeline.claims.model import Claim

_YEAR = re.compile(r"(\d{4})")
_LOOKBACK = 6  # sentences searched back for the date of a figure quoted as history
_COORD = ("和", "與", "及", "、", "跟")
_WORD = re.compile(r"[\u3400-\u9fffA-Za-z]+")


@dataclass
class _Ctx:
    """Everything about one document the frame readers need."""

    text: str
    sents: list[tuple[int, int]]
    starts: list[int]
    times: Sequence[Mapping[str, Any]]
    entities: Sequence[Mapping[str, Any]]
    pub_year: int | None
    quants: Sequence[Mapping[str, Any]] = ()
    # derived once per document: every figure asks the same questions of the same entities
    ent_starts: list[int] = dataclasses.field(default_factory=list)
    types_of: dict[str, str] = dataclasses.field(default_factory=dict)
    gpe_rank: list[str] = dataclasses.field(default_factory=list)
    by_start: dict[int, list[Mapping[str, Any]]] = dataclasses.field(default_factory=dict)
    countries: frozenset[str] = frozenset()
    memo: dict[Any, Any] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        """Indexes over the (start-sorted) entities."""
        self.ent_starts = [int(x["start"]) for x in self.entities]
        self.types_of = {str(x["id"]): str(x["type"]) for x in self.entities}
        for x in self.entities:
            self.by_start.setdefault(int(x["start"]), []).append(x)
        self.countries = frozenset(str(x["id"]) for x in self.entities if x["type"] == "GPE")
        counts: dict[str, int] = {}
        for x in self.entities:
            if x["type"] == "GPE" and "+" not in str(x["id"]):
                counts[str(x["id"])] = counts.get(str(x["id"]), 0) + 1
        self.gpe_rank = sorted(counts, key=lambda k: (-counts[k], k))


@dataclass
class _Frame:
    """The frame of one figure before the metric is chosen."""

    subject: str | None
    object: str | None
    commodity: str | None
    period: str | None
    period_basis: str
    modality: str
    attribution: str | None


def _sentences(text: str, sentences: Sequence[Sequence[int]] | None) -> list[tuple[int, int]]:
    """Given sentence spans, or a split on 。！？ and line breaks when none are given."""
    if sentences:
        return sorted((int(s[0]), int(s[1])) for s in sentences)
    out: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(r"[。！？!?]|\n", text):
        if text[start : m.end()].strip():
            out.append((start, m.end()))
        start = m.end()
    if start < len(text) and text[start:].strip():
        out.append((start, len(text)))
    return out


def _year_of(value: str | None, *, last: bool = False) -> int | None:
    """First (or last) four-digit year of an ISO period string."""
    if not value:
        return None
    years = _YEAR.findall(value)
    if not years:
        return None
    return int(years[-1] if last else years[0])


def _pub_year(published: str | None, times: Sequence[Mapping[str, Any]]) -> int | None:
    """The publication year; without a date, the year after the latest dated year-end."""
    y = _year_of(published)
    if y:
        return y
    best: tuple[int, int] | None = None
    for t in times:
        if t.get("basis") != "explicit" or not t.get("value"):
            continue
        v = str(t["value"])
        year = _year_of(v, last=True)
        if year is None:
            continue
        month = int(v[5:7]) if len(v) >= 7 and v[4] == "-" and v[5:7].isdigit() else 0
        if best is None or (year, month) > best:
            best = (year, month)
    if best is None:
        return None
    # an article citing figures "as of the end of 2025" was written after it
    return best[0] + 1 if best[1] == 12 else best[0]


def _sentence_of(ctx: _Ctx, pos: int) -> int:
    """Index of the sentence containing ``pos`` (-1 when none does)."""
    i = bisect.bisect_right(ctx.starts, pos) - 1
    if i >= 0 and ctx.sents[i][0] <= pos < ctx.sents[i][1]:
        return i
    return -1


def _clause(ctx: _Ctx, s: int, e: int, sent: tuple[int, int]) -> tuple[int, int]:
    """The clause around [s, e): between the nearest clause breaks inside the sentence."""
    breaks = cues()["clause_breaks"]
    text = ctx.text

    def is_break(i: int) -> bool:
        """A clause break, except the thousands comma of 4,000."""
        if text[i] not in breaks:
            return False
        return not (
            text[i] == ","
            and 0 < i < len(text) - 1
            and text[i - 1].isdigit()
            and text[i + 1].isdigit()
        )

    a = s
    while a > sent[0] and not is_break(a - 1):
        a -= 1
    b = e
    while b < sent[1] and not is_break(b):
        b += 1
    return a, b


def _find_all(hay: str, word: str, base: int) -> list[int]:
    """Absolute start offsets of ``word`` in ``hay`` (which starts at ``base``)."""
    out = []
    k = hay.find(word)
    while k >= 0:
        out.append(base + k)
        k = hay.find(word, k + 1)
    return out


def _gap(pos: int, length: int, s: int, e: int) -> int:
    """Characters between a cue at [pos, pos+length) and the value [s, e); cues after weigh more."""
    if pos + length <= s:
        return s - (pos + length)
    if pos >= e:
        return int((pos - e) * 1.5) + 1
    return 0


def _cue_distance(
    text: str,
    region: tuple[int, int],
    groups: Sequence[Sequence[str]],
    s: int,
    e: int,
    wide: tuple[int, int],
    others: Sequence[tuple[int, int]] = (),
    inside_ok: bool = False,
    before_only: bool = False,
) -> int | None:
    """Gap between the value and the nearest cue of the last (most specific) group.

    The last group must sit in ``region``; earlier groups (context such as 全球) only
    need to occur somewhere in ``wide``. None when a group is absent.
    """
    if not groups:
        return None
    for group in groups[:-1]:
        hay = text[wide[0] : wide[1]]
        if not any(w in hay for w in group):
            return None
    hay = text[region[0] : region[1]]
    best: int | None = None
    for w in groups[-1]:
        for p in _find_all(hay, w, region[0]):
            if p < e and p + len(w) > s:
                if inside_ok:  # 第二大來源: a rank's own noun names what is ranked
                    best = 0
                continue
            if before_only and p >= e:
                continue  # 比X時的九成明顯下降: a change word after the figure makes it the base
            lo, hi = (p + len(w), s) if p < s else (e, p)
            if p >= e and any(lo <= a and b <= hi for a, b in others):
                continue  # a later figure sits between: the cue names that figure (X的A和Y的B)
            d = _gap(p, len(w), s, e)
            if _has_any(text[lo:hi], _COORD):
                d += 10  # 的礦產品和92%: a cue across 和/與/、 belongs to the neighbour

            best = d if best is None or d < best else best
    return best


def _has_any(s: str, words: Sequence[str]) -> bool:
    """Whether any of ``words`` occurs in ``s``."""
    return any(w in s for w in words)


# ---------------------------------------------------------------- parties and commodity


def _ents_in(ctx: _Ctx, a: int, b: int, types: Sequence[str]) -> list[Mapping[str, Any]]:
    """Entities of the given types inside [a, b)."""
    lo = bisect.bisect_left(ctx.ent_starts, a)
    hi = bisect.bisect_left(ctx.ent_starts, b)
    return [x for x in ctx.entities[lo:hi] if x["end"] <= b and x["type"] in types]


def _marked(ctx: _Ctx, x: Mapping[str, Any], before: Sequence[str], after: Sequence[str]) -> bool:
    """Whether a role cue sits right before or right after the entity."""
    # PDF text keeps spaces around Latin names (給 Caremag SAS): look past them
    left = ctx.text[max(0, x["start"] - 4) : x["start"]].rstrip()
    right = ctx.text[x["end"] : x["end"] + 6].lstrip()
    return any(left.endswith(w) for w in before) or any(right.startswith(w) for w in after)


def _role_object(
    ctx: _Ctx,
    parties: Sequence[Mapping[str, Any]],
    s: int,
    before: Sequence[str],
    after: Sequence[str],
) -> Mapping[str, Any] | None:
    """The party marked as counterpart by a role cue, nearest to the value."""
    marked = [x for x in parties if _marked(ctx, x, before, after)]
    return min(marked, key=lambda x: abs(s - x["start"])) if marked else None


def _nearest_before(
    items: Sequence[Mapping[str, Any]], s: int, skip: set[str]
) -> Mapping[str, Any] | None:
    """The item ending nearest before ``s`` whose id is not in ``skip``."""
    cands = [x for x in items if x["end"] <= s and x["id"] not in skip]
    return max(cands, key=lambda x: x["end"]) if cands else None


def _nearest_after(
    items: Sequence[Mapping[str, Any]], e: int, skip: set[str]
) -> Mapping[str, Any] | None:
    """The item starting nearest after ``e`` whose id is not in ``skip``."""
    cands = [x for x in items if x["start"] >= e and x["id"] not in skip]
    return min(cands, key=lambda x: x["start"]) if cands else None


@dataclass
class _Where:
    """The spans one figure's frame is read from."""

    s: int
    e: int
    clause: tuple[int, int]
    sent: tuple[int, int]
    prev: tuple[int, int] | None
    quoted: list[tuple[int, int]]  # attribution spans: their entities are sources, not parties
    others: list[tuple[int, int]] = dataclasses.field(default_factory=list)  # other figures nearby


def _party_list(
    ctx: _Ctx, span: tuple[int, int], w: _Where, places: bool = False
) -> list[Mapping[str, Any]]:
    """Parties (GPE/ORG) inside ``span`` that are not part of an attribution."""
    memo_key = ("parties", span, places, tuple(w.quoted))
    if memo_key not in ctx.memo:
        ctx.memo[memo_key] = _party_list_uncached(ctx, span, w, places)
    out: list[Mapping[str, Any]] = ctx.memo[memo_key]
    return out


def _party_list_uncached(
    ctx: _Ctx, span: tuple[int, int], w: _Where, places: bool
) -> list[Mapping[str, Any]]:
    """_party_list without the per-document memo."""
    kinds = cues()["roles"]["party_types"]
    alias = {k: v for k, v in cues().get("party_alias", {}).items() if not k.startswith("_")}
    blocs = set(cues().get("country_like", []))
    out: list[Mapping[str, Any]] = []
    founders = _founder_spans(ctx, span)
    for x in _ents_in(ctx, span[0], span[1], (*kinds, "LOC")):
        if any(a <= x["start"] and x["end"] <= b for a, b in w.quoted):
            continue
        if any(a <= x["start"] and x["end"] <= b for a, b in founders):
            continue  # 由A、B合資成立的X: the parents are not parties to X's figures
        if x["type"] == "LOC" and (not places or x["id"] not in alias):
            continue  # 歐洲 is a party only as an importer (supplier mode), not as a location
        ident = alias.get(str(x["id"]), str(x["id"]))
        if ident in blocs or x["id"] in alias:
            x = {**x, "id": ident, "type": "GPE"}  # 歐洲/歐盟 hold figures as a country does
        out.append(x)
    return out


def _founder_spans(ctx: _Ctx, span: tuple[int, int]) -> list[tuple[int, int]]:
    """Spans listing the founders of a joint venture (由A、B、C三家企業合資成立)."""
    pattern = cues().get("founders", {}).get("pattern")
    if not pattern:
        return []
    return [m.span(1) for m in _founders_re(pattern).finditer(ctx.text, span[0], span[1])]


@functools.lru_cache(maxsize=4)
def _founders_re(pattern: str) -> re.Pattern[str]:
    """The compiled founders pattern."""
    return re.compile(pattern)


def _id(x: Mapping[str, Any] | None) -> str | None:
    """The canonical id of an entity, or None."""
    return str(x["id"]) if x else None


def _in(x: Mapping[str, Any], span: tuple[int, int]) -> bool:
    """Whether the entity lies inside ``span``."""
    return span[0] <= x["start"] and x["end"] <= span[1]


def _parties(ctx: _Ctx, w: _Where, mode: str) -> tuple[str | None, str | None]:
    """(subject, object) read according to the metric's role mode ('mode:TYPE,…' prefers types)."""
    if ":" in mode and not mode.startswith("holder:"):
        base, kinds = mode.split(":", 1)
        subj, obj = _parties(ctx, w, base)
        typed = ctx.types_of
        if subj is not None and typed.get(subj) not in kinds.split(","):
            pick = [
                x
                for x in _party_list(ctx, w.sent, w)
                if x["type"] in kinds.split(",") and x["id"] != obj
            ]
            hit = _nearest_before(pick, w.s, set()) or _nearest_after(pick, w.e, set())
            subj = _id(hit) or subj
        return subj, obj
    return _parties_in_mode(ctx, w, mode)


def _parties_in_mode(ctx: _Ctx, w: _Where, mode: str) -> tuple[str | None, str | None]:
    """(subject, object) for one base mode."""
    roles = cues()["roles"]
    places = mode == "supplier"
    parties = _party_list(ctx, w.sent, w, places)
    row = "\t" in ctx.text[w.sent[0] : w.sent[1]]
    # the row before a table row is another record: read the text before the table instead
    head = _table_head(ctx, w.sent) if row else None
    if head is not None:
        caption_end = ctx.text.find("\n", head[0])
        caption_end = head[1] if caption_end < 0 else min(caption_end, head[1])
        # the text before the table and its caption line, not the rows above
        prev = _party_list(ctx, (max(0, head[0] - 400), caption_end), w, places)
    else:
        prev = _party_list(ctx, w.prev, w, places) if w.prev and not row else []
    end = len(ctx.text)
    if mode.startswith("holder:"):
        kinds = mode.split(":", 1)[1].split(",")
        pick = [x for x in parties if x["type"] in kinds]
        hit = _nearest_before(pick, w.s, set()) or _nearest_before(
            [x for x in prev if x["type"] in kinds], end, set()
        )
        if hit is not None:
            return _id(hit), None
        mode = "holder"
    if mode == "holder":
        in_clause = [x for x in parties if _in(x, w.clause)]
        hit = (
            _nearest_before(in_clause, w.s, set())
            or _nearest_after(in_clause, w.e, set())
            or _nearest_before(parties, w.s, set())
            or _nearest_before(prev, end, set())
        )
        return _id(hit), None
    if mode == "supplier":
        before, after = roles["object_before_entity"], roles["supplier_after_entity"]
        marked = [x for x in parties if _in(x, w.clause) and _marked(ctx, x, before, after)]
        marked = sorted(
            marked + [x for x in _coordinated(ctx, parties, marked) if _in(x, w.clause)],
            key=lambda x: x["start"],
        )
        earlier = [x for x in parties if x["end"] <= w.clause[0]]
        obj = marked[0] if marked else _role_object(ctx, earlier, w.s, before, after)
        paren = [x for x in parties if x["end"] == w.s - 1 and ctx.text[w.s - 1] in "(（"]
        if paren:
            obj = paren[0]  # 愛沙尼亞(5%): the share belongs to the country before the bracket
        if obj is None:
            # 重稀土的對中依賴度: a one-character country after 對 names the supplier
            abbr = _abbr_target(ctx, w.clause, set())
            if abbr is not None:
                obj = {"id": abbr, "type": "GPE", "start": w.clause[0], "end": w.clause[0]}
        skip = {obj["id"]} if obj else set()
        subj = _topic(ctx, parties, skip, before, after) or _topic(ctx, prev, skip, before, after)
        if subj is None and head is not None:
            # 中國對日…出口管制 (a table caption): the country after 對 is the importer
            span = (max(0, head[0] - 400), caption_end)
            target = _abbr_target(ctx, span, skip)
            where = ctx.text.rfind("對", span[0], span[1])
            if target is not None and not _acts_on(ctx, where):
                target = None
            if target is not None:
                return target, _id(obj)
        return (_id(subj) or _dominant(ctx, skip)), _id(obj)
    if mode == "recipient":
        orgs = [x for x in parties if x["type"] == "ORG"]
        # outside tables, an unmarked agency of a named country before the figure pays (五角大樓投入)
        payers = [] if row else [x for x in orgs if x["end"] <= w.s and _org_country(ctx, x)]
        takers = [x for x in orgs if x not in payers]
        obj = _role_object(ctx, takers, w.s, roles["recipient_before_entity"], ()) or (
            _nearest_before(takers, w.s, set()) or _nearest_after(takers, w.e, set())
        )
        if row:
            # a table of funded projects names the recipients in the row's first cell
            line = ctx.text.rfind("\n", 0, w.sent[0] + 1) + 1
            tab = ctx.text.find("\t", line)
            first = [x for x in takers if line <= x["start"] and x["end"] <= tab]
            if first and tab < w.s:
                ids: list[str] = []
                for x in first:
                    if str(x["id"]) not in ids:
                        ids.append(str(x["id"]))
                obj = {**first[0], "id": " + ".join(ids)}
        gpes = [x for x in parties if x["type"] == "GPE"]
        payer: str | None = _org_country(ctx, payers[-1]) if payers else None
        if payer is None and not row:
            payer = _id(_nearest_before(gpes, w.s, set()))
        if payer is None and not row:
            prev_payers = [x for x in prev if x["type"] == "ORG" and _org_country(ctx, x)]
            payer = _org_country(ctx, prev_payers[-1]) if prev_payers else None
        if payer is None and not row:
            # 2022年再撥款…: the agency that opened the paragraph still pays
            para = ctx.text.rfind("\n", 0, w.sent[0]) + 1
            agencies = [
                x
                for x in _party_list(ctx, (para, w.sent[0]), w)
                if x["type"] == "ORG" and _org_country(ctx, x)
            ]
            payer = _org_country(ctx, agencies[-1]) if agencies else None
        if payer is None and row:
            # 經產省補助的事業 (the table caption): the agency funding every row pays
            heads = [x for x in prev if x["type"] == "ORG" and _org_country(ctx, x)]
            payer = _org_country(ctx, heads[-1]) if heads else None
        if payer is None:
            payer = _id(_nearest_before([x for x in prev if x["type"] == "GPE"], end, set()))
        if obj is None and not row and "其" in ctx.text[w.sent[0] : w.sent[1]]:
            # 支持其建立…: 其 points back to the company named just before
            firms = [x for x in prev if x["type"] == "ORG" and not _org_country(ctx, x)]
            obj = _nearest_before(firms, end, set())
        return (payer or _dominant(ctx, set())), _id(obj)
    if mode in ("sanction", "sanction_actor"):
        actor = _sanction_actor(ctx, parties) or _sanction_actor(ctx, prev)
        skip = {actor["id"]} if actor else set()
        gpes = [x for x in parties if x["type"] == "GPE" and x["id"] not in skip]
        hit = _nearest_before(gpes, w.s, skip) or _nearest_after(gpes, w.e, skip)
        affected = _id(hit) or _dominant(ctx, skip)
        if mode == "sanction":
            return affected, _id(actor)
        return _id(actor), affected
    if mode == "share_of":
        # 僅為中國2022年產量的1.3%: the country before 產量 is the whole, the named company the part
        # the whole may sit inside the figure's own surface (不到中國2018年產量的1%)
        gpes = [x for x in parties if x["type"] == "GPE" and _in(x, w.clause) and x["start"] < w.e]
        whole = max(gpes, key=lambda x: x["start"]) if gpes else None
        skip = {whole["id"]} if whole else set()
        orgs = [x for x in parties if x["type"] == "ORG"]
        part = (
            _nearest_before(orgs, w.s, skip)
            or _nearest_before([x for x in prev if x["type"] == "ORG"], end, skip)
            or _nearest_before(parties, w.s, skip)
        )
        return _id(part), _id(whole)
    if mode == "offtake":
        # 該廠產出…將提供一半給日本: the producer before the figure, the buyer after 給/予/向
        orgs = [x for x in parties if x["type"] == "ORG" and x["end"] <= w.s]
        buyers = [
            x
            for x in parties
            if x["start"] >= w.e and _in(x, w.clause) and ctx.text[x["start"] - 1] in "給予向"
        ]
        return _id(orgs[-1] if orgs else None), _id(buyers[0] if buyers else None)
    if mode == "none":
        return None, None
    if mode == "counted":
        # 兩艘日本海上保安廳船隻: the party named right after a count owns what is counted
        owner = [x for x in parties if w.e <= x["start"] <= w.e + 1]
        if owner:
            return _id(max(owner, key=lambda x: x["end"])), None
        return _parties_in_mode(ctx, w, "holder")
    if mode == "operator":
        # 該礦產精礦4.3萬噸: the company running the site named here or just before
        site = _place(ctx, w)
        if site is not None and site in operators():
            return operators()[site], None
        return _parties_in_mode(ctx, w, "holder")
    if mode == "national":
        # 該集團控制全國約70%: the company (here or just before) holds a share of its own country
        orgs = [x for x in parties if x["type"] == "ORG" and x["end"] <= w.s]
        org = _nearest_before(orgs, w.s, set()) or _nearest_before(
            [x for x in prev if x["type"] == "ORG"], end, set()
        )
        if org is None:
            return _parties_in_mode(ctx, w, "holder")
        home = cues().get("company_home", {}).get(str(org["id"])) or _org_country(ctx, org)
        if home is None:
            gpes = [x for x in parties + prev if x["type"] == "GPE"]
            home = _id(gpes[0]) if gpes else None
        return _id(org), home
    if mode == "group":
        # 礦產安全夥伴(MSP)，包括歐盟、日本…等13國: the body named outside the member list
        orgs = [x for x in parties if x["type"] == "ORG"]
        outside = [x for x in orgs if not _in(x, w.clause)]
        pool = outside or orgs
        return (_id(pool[0]) if pool else None), None
    # a counterpart named in a later clause belongs to another statement
    reach = [x for x in parties if x["end"] <= w.clause[1]]
    obj = _role_object(ctx, reach, w.s, roles["object_before_entity"], roles["object_after_entity"])
    skip = {obj["id"]} if obj else set()
    subj = _nearest_before(parties, w.s, skip) or _nearest_after(parties, w.e, skip)
    if subj is None:
        # 對日本出口… then 對美國出口…: a counterpart of the sentence before is no holder
        unmarked = [x for x in prev if not _marked(ctx, x, roles["object_before_entity"], ())]
        subj = _nearest_before(unmarked, end, skip)
    if obj is None:
        # 恢復對日稀土供應: a one-character country after 對 is no entity but names the counterpart
        clause = ctx.text[w.clause[0] : w.clause[1]]
        for abbr, ident in sorted(roles.get("abbr_objects", {}).items()):
            if abbr in clause and ident != _id(subj):
                return _id(subj), ident
    return _id(subj), _id(obj)


def _coordinated(
    ctx: _Ctx, parties: Sequence[Mapping[str, Any]], marked: Sequence[Mapping[str, Any]]
) -> list[Mapping[str, Any]]:
    """Parties joined to a marked one by 與/和/及/、 (中國與法國各佔 marks both)."""
    starts = {x["start"] for x in marked}
    out = []
    for x in parties:
        if x in marked:
            continue
        nxt = ctx.text[x["end"] : x["end"] + 1]
        if nxt in ("與", "和", "及", "、") and x["end"] + 1 in starts:
            out.append(x)
    return out


def _topic(
    ctx: _Ctx,
    parties: Sequence[Mapping[str, Any]],
    skip: set[str],
    before: Sequence[str],
    after: Sequence[str],
) -> Mapping[str, Any] | None:
    """The first single country not marked as a supplier (the importer the sentence is about)."""
    for x in parties:
        if x["type"] != "GPE" or x["id"] in skip or "+" in str(x["id"]):
            continue
        if _origin_qualifier(ctx, x):
            continue
        if ctx.text[x["end"] : x["end"] + 1] == "對" and _acts_on(ctx, x["end"]):
            continue  # 中國對日本出口: the exporter acting on another country is no importer
        if any(o["type"] == "ORG" for o in ctx.by_start.get(int(x["end"]), ())):
            continue  # 澳洲萊納斯: a country naming a company's nationality is no importer
        if not _marked(ctx, x, before, after) and ctx.text[x["end"] : x["end"] + 1] not in (
            "(",
            "（",
        ):
            return x
    return None


def _abbr_target(ctx: _Ctx, span: tuple[int, int], skip: set[str]) -> str | None:
    """The country a 對日/對華 abbreviation in ``span`` names (the last one), unless skipped."""
    text = ctx.text[span[0] : span[1]]
    best: tuple[int, str] | None = None
    for abbr, ident in sorted(cues()["roles"].get("abbr_objects", {}).items()):
        k = text.rfind(abbr)
        if k >= 0 and ident not in skip and (best is None or k > best[0]):
            best = (k, ident)
    return best[1] if best else None


def _acts_on(ctx: _Ctx, pos: int) -> bool:
    """對 at ``pos`` starts an action on another country (出口管制), not a dependence (依賴)."""
    conf = cues()["roles"].get("acts_on", {})
    tail = ctx.text[pos : pos + int(conf.get("window", 16))]
    cut = min([tail.find(b) for b in cues()["clause_breaks"] if b in tail] or [len(tail)])
    tail = tail[:cut]
    return _has_any(tail, conf.get("words", [])) and not _has_any(tail, conf.get("not", []))


def _origin_qualifier(ctx: _Ctx, x: Mapping[str, Any]) -> bool:
    """中國稀土經過他國加工: a country naming where a material comes from, not who imports it."""
    mat = [m for m in ctx.by_start.get(int(x["end"]), ()) if m["type"] == "MATERIAL"]
    if not mat:
        return False
    right = ctx.text[mat[0]["end"] : mat[0]["end"] + 4]
    return not _has_any(right, cues().get("origin_material_uses", []))


def _sanction_actor(ctx: _Ctx, parties: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The party imposing a restriction: 若X…, or the country just before 限制/斷供 in its clause."""
    roles = cues()["roles"]
    win = int(roles["sanction_after_window"])
    breaks = cues()["clause_breaks"]
    for x in parties:
        if x["type"] != "GPE":
            continue
        left = ctx.text[max(0, x["start"] - 2) : x["start"]]
        if left.endswith(("對", "向")):
            continue  # 對日本: the target of the restriction, not its author
        if any(left.endswith(c) for c in roles["sanction_before_entity"]):
            return x
        right = ctx.text[x["end"] : x["end"] + win]
        cut = min([right.find(b) for b in breaks if b in right] or [len(right)])
        right = right[:cut]
        if not _has_any(right, roles["sanction_words"]):
            continue
        between = [
            y for y in parties if x["end"] <= y["start"] < x["end"] + cut and y["type"] == "GPE"
        ]
        if not between:
            return x
    return None


def _org_country(ctx: _Ctx, org: Mapping[str, Any]) -> str | None:
    """The country an organization id names first ('US DoD' -> 'US'), if it is a known country."""
    known = org_countries().get(str(org["id"]))
    if known and not known.startswith("_"):
        return known
    first = str(org["id"]).split(" ")[0]
    return first if first in ctx.countries and first != str(org["id"]) else None


def _dominant(ctx: _Ctx, skip: set[str]) -> str | None:
    """The document's most mentioned country (the default holder of unattributed figures)."""
    return next((k for k in ctx.gpe_rank if k not in skip), None)


def _commodity(
    ctx: _Ctx, q: Mapping[str, Any], clause: tuple[int, int], sent: tuple[int, int]
) -> str | None:
    """Nearest material: preceding in the clause, following in the clause, preceding in the sentence."""
    mats = _ents_in(ctx, sent[0], sent[1], ("MATERIAL",))
    in_clause = [x for x in mats if clause[0] <= x["start"] and x["end"] <= clause[1]]
    hit = (
        _nearest_before(in_clause, q["start"], set())
        or _nearest_after(in_clause, q["end"], set())
        or _nearest_before(mats, q["start"], set())
    )
    if hit is None:
        return None
    return _joint_elements(ctx, hit, mats) or str(hit["id"])


_JOIN = re.compile(r"\s*(?:[（(][A-Za-z]{1,3}[）)])?\s*(?:、|與|和|及|跟|/)\s*$")


def _joint_elements(
    ctx: _Ctx, hit: Mapping[str, Any], mats: Sequence[Mapping[str, Any]]
) -> str | None:
    """釹（Nd）、鐠（Pr）的需求: coordinated elements are one scope ('Nd and Pr', 'Ni, Co and Li')."""
    symbols = material_symbols()
    if str(hit["id"]) not in symbols:
        return None
    chain = [hit]
    for x in reversed([m for m in mats if m["end"] <= hit["start"]]):
        if str(x["id"]) not in symbols or not _JOIN.fullmatch(
            ctx.text[x["end"] : chain[0]["start"]]
        ):
            break
        chain.insert(0, x)
    for x in (m for m in mats if m["start"] >= hit["end"]):
        if str(x["id"]) not in symbols or not _JOIN.fullmatch(
            ctx.text[chain[-1]["end"] : x["start"]]
        ):
            break
        chain.append(x)
    names = list(dict.fromkeys(symbols[str(x["id"])] for x in chain))
    if len(names) < 2:
        return None
    return ", ".join(names[:-1]) + " and " + names[-1]


# ---------------------------------------------------------------- period and modality


def _is_current(t: Mapping[str, Any]) -> bool:
    """A time word meaning 'now' (目前, 如今, 近年): the figure is dated by publication."""
    return _has_any(str(t.get("surface", "")), cues()["current"])


def _dates_the_from_value(ctx: _Ctx, t: Mapping[str, Any], s: int) -> bool:
    """Whether time ``t`` is the 從-date of a change whose 'to' value starts at ``s``."""
    fc = cues()["from_change"]
    left = ctx.text[max(0, t["start"] - 2) : t["start"]]
    if not any(left.endswith(w) for w in fc["from"]):
        return False
    between = ctx.text[t["end"] : s]
    strong = [w for w in fc["to"] if len(w) > 1]
    return any(w in between for w in strong) and bool(
        re.search(r"\d|[一二三四五六七八九十]", between)
    )


def _quoted_as_past(head: str) -> bool:
    """一度/曾/過去 before the figure, not followed by a change to a new level (過去的90%、降到60%)."""
    c = cues()
    pos = max((head.rfind(w) for w in c["historical"]), default=-1)
    if pos < 0:
        return False
    strong = [w for w in c["from_change"]["to"] if len(w) > 1]
    return not _has_any(head[pos:], strong)


def _founding(ctx: _Ctx, t: Mapping[str, Any]) -> bool:
    """1980年成立的學會: a date naming when something was founded, not when a figure held."""
    right = ctx.text[t["end"] : t["end"] + 4]
    return any(right.startswith(w) for w in cues().get("founding_after_time", []))


def _comparison_base(ctx: _Ctx, t: Mapping[str, Any], s: int) -> bool:
    """比去年同期減少12%: the date is the base of a change stated by the figure at ``s``."""
    conf = cues().get("comparison_base", {})
    if t["end"] > s:
        return False
    left = ctx.text[max(0, t["start"] - 3) : t["start"]]
    if not any(left.endswith(w) for w in conf.get("before_time", [])):
        return False
    between = ctx.text[t["end"] : s]
    return _has_any(between, conf.get("change", [])) and not between.endswith("的")


def _year_only(value: str) -> str:
    """'2010-09' -> '2010'; intervals and plain years unchanged."""
    return value[:4] if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", value) else value


def _since_start(ctx: _Ctx, q: Mapping[str, Any], end: int) -> int | None:
    """The start year of an effort lasting N years up to ``end``: the year the document cites most."""
    conf = cues().get("since_duration", {})
    n = q.get("value") if q.get("value") is not None else q.get("low")
    if n is None:
        return None
    n, tol = float(n), int(conf.get("tolerance", 2))
    long = q.get("qualifier") in ("more_than", "at_least")  # 十多年: 10 to 19 years
    lo, hi = end - (2 * n if long else n) - tol, end - n + tol
    counts: dict[int, int] = {}
    for t in ctx.times:
        v = str(t.get("value") or "")
        if t.get("basis") != "explicit" or not re.fullmatch(r"\d{4}(-\d{2})?(-\d{2})?", v):
            continue
        y = int(v[:4])
        if lo <= y <= hi and not _founding(ctx, t):
            counts[y] = counts.get(y, 0) + 1
    if not counts:
        return None
    return min(counts, key=lambda y: (-counts[y], abs(end - n - y), y))


def _since_duration(
    ctx: _Ctx, q: Mapping[str, Any], sent: tuple[int, int], clause: tuple[int, int]
) -> str | None:
    """經過十多年的布局: a multi-year effort running up to now (or the sentence's latest year)."""
    conf = cues().get("since_duration", {})
    if q.get("type") != "duration" or q.get("unit") != "year" or q.get("vague"):
        return None
    n = q.get("value") if q.get("value") is not None else q.get("low")
    if n is None or float(n) < float(conf.get("min_years", 5)) or ctx.pub_year is None:
        return None
    if _has_any(ctx.text[clause[0] : clause[1]], conf.get("blockers", [])):
        return None
    years = [
        int(str(t["value"])[:4])
        for t in ctx.times
        if sent[0] <= t["start"] < sent[1]
        and t.get("basis") == "explicit"
        and re.fullmatch(r"\d{4}", str(t.get("value") or ""))
    ]
    end = max([y for y in years if y <= ctx.pub_year], default=ctx.pub_year)
    start = _since_start(ctx, q, end)
    return f"{start}/{end}" if start is not None and start < end else None


def _paragraph_date(ctx: _Ctx, si: int, *, this_year: bool = False) -> str | None:
    """The latest past date of the earlier sentences of the same paragraph (a narrative goes on).

    With ``this_year``, only a scene date of the publication year counts, kept to its month
    (2026年1月12日這天，… then 該船預計…: the voyage under way belongs to that month).
    """
    if si < 0 or ctx.pub_year is None:
        return None
    para = ctx.text.rfind("\n", 0, ctx.sents[si][0]) + 1
    for k in range(si - 1, max(si - (6 if this_year else 4), -1), -1):
        ps = ctx.sents[k]
        if ps[1] <= para:
            break
        # only a scene-setting date opening an earlier sentence of the paragraph
        # (2010年9月，… / 1980年代，…) carries over, and only across undated sentences
        found = [t for t in ctx.times if ps[0] <= t["start"] < ps[1] and not _founding(ctx, t)]
        dated = [
            t
            for t in found
            if t["start"] < ps[0] + 6
            and t.get("value")
            and t.get("basis") in (None, "explicit")
            and not _is_current(t)
        ]
        if found and not dated:
            return None
        if dated:
            value = str(dated[-1]["value"])
            year = _year_of(value, last=True)
            if this_year:
                month = re.fullmatch(r"(\d{4}-\d{2})(-\d{2})?", value)
                return month.group(1) if month and year == ctx.pub_year else None
            return _year_only(value) if year is not None and year < ctx.pub_year else None
    return None


def _then_date(ctx: _Ctx, si: int, pos: int) -> str | None:
    """當時… (this sentence or one of the three before): the latest past date told before it."""
    conf = cues().get("then_anchor", {})
    words = conf.get("words", [])
    if si < 0 or ctx.pub_year is None or not words:
        return None
    for k in range(si, max(si - int(conf.get("reach", 3)) - 1, -1), -1):
        a, b = ctx.sents[k]
        hay = ctx.text[a : min(b, pos)]
        if any(a <= t["start"] < b and t["start"] < pos for t in ctx.times):
            return None  # a dated sentence in between starts another episode
        hits = [hay.rfind(w) for w in words if w in hay]
        if not hits:
            continue
        cut = a + max(hits)
        for j in range(k, max(k - int(conf.get("lookback", 8)) - 1, -1), -1):
            ja, jb = ctx.sents[j]
            dated = [
                t
                for t in ctx.times
                if ja <= t["start"] < min(jb, cut)
                and t.get("value")
                and t.get("basis") in (None, "explicit")
                and not _founding(ctx, t)
                and not _is_current(t)
            ]
            if dated:
                value = str(dated[-1]["value"])
                year = _year_of(value, last=True)
                return _year_only(value) if year is not None and year < ctx.pub_year else None
        return None
    return None


def _listed_after(ctx: _Ctx, q: Mapping[str, Any], si: int) -> str | None:
    """其他來源如A(5%)…: undated figures of the same kind continue the one dated just before."""
    if si <= 0 or ctx.pub_year is None:
        return None
    ps = ctx.sents[si - 1]
    para = ctx.text.rfind("\n", 0, ctx.sents[si][0]) + 1
    if ps[1] <= para:
        return None
    same = [
        o
        for o in ctx.quants
        if ps[0] <= o["start"] < ps[1]
        and (o.get("type"), o.get("unit")) == (q.get("type"), q.get("unit"))
    ]
    values = {
        str(t["value"])
        for t in ctx.times
        if ps[0] <= t["start"] < ps[1]
        and t.get("value")
        and t.get("basis") in (None, "explicit")
        and not _founding(ctx, t)
    }
    if not same or len(values) != 1:
        return None
    value = values.pop()
    year = _year_of(value, last=True)
    return _year_only(value) if year is not None and year < ctx.pub_year else None


def _period(
    ctx: _Ctx, q: Mapping[str, Any], sent: tuple[int, int], clause: tuple[int, int], prev_sent: int
) -> tuple[str | None, str]:
    """(period, basis): the dates around the figure, then rules for undated figures."""
    c = cues()
    period, basis = _period_near(ctx, q, sent, clause, prev_sent)
    head = ctx.text[clause[0] : q["start"]]
    if period and basis != "publication" and _has_any(head, c.get("full_year", [])):
        return _year_only(period), basis  # 6月之後…全年出口: the annual total is for the year
    if basis != "publication":
        return period, basis
    since = _since_duration(ctx, q, sent, clause)
    if since is not None:
        return since, "inferred"
    sent_head = ctx.text[sent[0] : q["start"]]
    if re.search(c.get("unanchored_span", "$^"), sent_head):
        return None, "unresolved"  # 十年間從A增加到B: an interval with no anchor
    if _has_any(sent_head, c["current"]):
        return period, basis
    whole = ctx.text[sent[0] : sent[1]]
    # 將 is also the disposal marker: 已將依賴降至六成 reports a done change, not a plan
    jiang = head.rfind("將")
    done = jiang >= 0 and _has_any(head[max(0, jiang - 4) : jiang], c.get("done_before_jiang", []))
    clause_text = ctx.text[clause[0] : clause[1]]
    aimed = _has_any(clause_text, c["target"]) and not _has_any(
        clause_text, c.get("done_before_jiang", [])
    )  # 研究用量減半的方案: the plan word may follow the figure
    planned = (jiang >= 0 and not done) or aimed
    dated_here = [t for t in ctx.times if sent[0] <= t["start"] < sent[1] and not _founding(ctx, t)]
    strong_forecast = [w for w in c["forecast"] if w != "將"]
    if not dated_here and not planned and _has_any(sent_head, strong_forecast):
        scene = _paragraph_date(ctx, prev_sent + 1, this_year=True)
        if scene is not None:
            return scene, "inferred"
    if not dated_here and _has_any(whole, c.get("narrative_past", [])):
        then = _then_date(ctx, prev_sent + 1, q["start"])
        if then is not None:
            return then, "inferred"  # 當時…之後他提出方案: the plan was made back then
    # 今年編列…預算: a plan dated by a deictic word (今年, 明年) is dated, not undated
    current_here = any(
        t.get("value") == period and t.get("basis") == "publication" for t in dated_here
    )
    if (
        planned
        and not current_here
        and not _has_any(whole, c["current"])
        and not _has_any(sent_head, c["scenario"])
    ):
        return None, "unresolved"  # an undated plan or commitment is not about the publication year
    strong_to = [w for w in c["from_change"]["to"] if len(w) > 1]
    contrast = _has_any(sent_head, strong_to) or _has_any(whole, c["historical"])
    if not dated_here and not contrast:  # a change to a new level (降到六成) is not the old date's
        founded = any(sent[0] <= t["start"] < sent[1] for t in ctx.times)  # only founding dates
        narrative = founded or _has_any(whole, c.get("narrative_past", []))
        inherited = (_paragraph_date(ctx, prev_sent + 1) if narrative else None) or _listed_after(
            ctx, q, prev_sent + 1
        )
        if inherited is not None:
            return inherited, "inferred"
    return period, basis


def _period_near(
    ctx: _Ctx, q: Mapping[str, Any], sent: tuple[int, int], clause: tuple[int, int], prev_sent: int
) -> tuple[str | None, str]:
    """(period, basis) from the dates around the figure, current-time words or publication."""
    s, e = q["start"], q["end"]
    pub = str(ctx.pub_year) if ctx.pub_year else None
    in_sent = [
        t
        for t in ctx.times
        if sent[0] <= t["start"]
        and t["end"] <= sent[1]
        and not _founding(ctx, t)
        and not _comparison_base(ctx, t, s)
    ]
    before = [t for t in in_sent if t["end"] <= s]
    after = [t for t in in_sent if t["start"] >= e and t["end"] <= clause[1]]
    c = cues()
    before = sorted(before, key=lambda t: -t["end"])
    if len(before) > 1 and _dates_the_from_value(ctx, before[0], s):
        before = before[1:]  # 2018年…從2010年的近100%降至58%: 58% belongs to 2018
    if before and _has_any(ctx.text[clause[0] : s], c.get("own_estimate", [])):
        # 2013年發現…，推算可供數百年: the clause is an estimate of its own, not the event's date
        before = [t for t in before if t["end"] > clause[0]]
    for t in before[:1] + after[:1]:
        if _is_current(t):
            return pub, "publication"
        if t["end"] <= s and _has_any(ctx.text[t["end"] : s], c["current"]):
            return pub, "publication"  # 從2010年的九成，如今降至六成: 如今 dates the later figure
        if not t.get("value"):
            continue
        value = str(t["value"])
        tail = ctx.text[t["end"] : t["end"] + 4]
        lead = ctx.text[max(0, t["start"] - 1) : t["start"]]
        since = _has_any(tail, c["since_after_time"]) or (
            tail.startswith("起") and lead in ("自", "從")
        )
        if pub and "/" not in value and since:
            return f"{value[:4]}/{pub}", "inferred"  # 自2020年以來, 自2018年起: up to now
        if t.get("part") in ("early", "late") and len(value) == 7:
            value = value[:4]  # 2025年底: a figure for the year, not for December
        if "/" in value and _has_any(str(t.get("surface", "")), c["future_words"]):
            return value.split("/")[-1], "inferred"  # 未來十年 → its end
        basis = "explicit" if t.get("basis") in (None, "explicit") else str(t.get("basis"))
        return value, basis
    text_before = ctx.text[sent[0] : s]
    if _has_any(text_before, c["current"]):
        return pub, "publication"
    if _quoted_as_past(ctx.text[clause[0] : s]) and prev_sent >= 0:
        for k in range(prev_sent, max(prev_sent - _LOOKBACK, -1), -1):
            ps = ctx.sents[k]
            dated = [t for t in ctx.times if ps[0] <= t["start"] < ps[1] and t.get("value")]
            if ctx.pub_year:  # an earlier level: only past dates qualify
                dated = [
                    t for t in dated if (_year_of(str(t["value"]), last=True) or 0) < ctx.pub_year
                ]
            if dated:
                return str(dated[-1]["value"]), "inferred"
    if pub:
        return pub, "publication"
    return None, "unresolved"


def _is_from_value(
    ctx: _Ctx, q: Mapping[str, Any], clause: tuple[int, int], sent: tuple[int, int]
) -> bool:
    """The 'from' figure of a 從X…降至Y change."""
    fc = cues()["from_change"]
    head = ctx.text[clause[0] : q["start"]]
    if not any(w in head for w in fc["from"]):
        return False
    tail = ctx.text[q["end"] : sent[1]]
    return any(w in tail for w in fc["to"])


def _modality(
    ctx: _Ctx,
    q: Mapping[str, Any],
    sent: tuple[int, int],
    clause: tuple[int, int],
    period: str | None,
    basis: str,
) -> str:
    """scenario > target > forecast > historical > estimate (see gold notes)."""
    c = cues()
    s = q["start"]
    head = ctx.text[sent[0] : s]
    around = ctx.text[sent[0] : clause[1]]
    start_y, end_y = _year_of(period), _year_of(period, last=True)
    pub = ctx.pub_year
    if _has_any(head, c["scenario"]):
        return "scenario"
    past = end_y is not None and pub is not None and end_y < pub
    if _has_any(around, c["target"]) and not past:
        return "target"
    future = start_y is not None and pub is not None and start_y >= pub
    strong = [w for w in c["forecast"] if w != "將"]
    if future and (
        _has_any(head, strong)
        or ("將" in head and start_y is not None and pub is not None and start_y > pub)
    ):
        return "forecast"
    if past or _is_from_value(ctx, q, clause, sent):
        return "historical"
    if _has_any(ctx.text[clause[0] : clause[1]], ("一度", "曾經", "曾")):
        return "historical"
    return "estimate"


# ---------------------------------------------------------------- attribution


def _attribution(
    ctx: _Ctx, q: Mapping[str, Any], sent: tuple[int, int]
) -> tuple[str | None, list[tuple[int, int]]]:
    """(source, its span): who the article says stated the figure (據X報導, 根據X的調查, X指出)."""
    a = cues()["attribution"]
    head = ctx.text[sent[0] : q["start"]]
    base = sent[0]
    prefix = "|".join(sorted(map(re.escape, a["prefix"]), key=len, reverse=True))
    ends = "|".join(sorted(map(re.escape, a["prefix_end"]), key=len, reverse=True))
    matches = list(re.finditer(rf"(?:{prefix})(.{{1,{a['max_len']}}}?)(?:{ends}|，|,)", head))
    m = matches[-1] if matches else None
    if m is not None:
        span = (base + m.start(1), base + m.end(1))
        # an entity may run past the lazy match (美國地質|調查局): take every one it touches
        named = [
            x
            for x in ctx.entities
            if x["start"] < span[1] and x["end"] > span[0] and x["type"] in ("ORG", "PERSON", "GPE")
        ]
        if named:
            span = (
                min(span[0], min(x["start"] for x in named)),
                max(span[1], max(x["end"] for x in named)),
            )
        if named:
            ids: list[str] = []
            for x in named:
                if x["id"] not in ids:
                    ids.append(str(x["id"]))
            return " & ".join(ids), [span]
        return m.group(1).strip("的 "), [span]
    verbs = "|".join(sorted(map(re.escape, a["verbs"]), key=len, reverse=True))
    hits = list(re.finditer(verbs, head))
    last = hits[-1] if hits else None
    if last is not None:
        vpos = base + last.start()
        speakers = [
            x
            for x in ctx.entities
            if x["type"] in ("ORG", "PERSON")
            and 0 <= vpos - x["end"] <= 6
            and x["start"] >= sent[0]
        ]
        if speakers:
            who = max(speakers, key=lambda x: x["end"])
            return str(who["id"]), [(int(who["start"]), int(who["end"]))]
    return None, []


# ---------------------------------------------------------------- metric


def _slug(ident: str | None) -> str | None:
    """Template slug of a canonical id: 'Lynas Rare Earths' -> 'lynas', 'US' -> 'us'."""
    if not ident:
        return None
    table = slugs()
    if ident in table:
        return table[ident]
    abbr = re.search(r"\(([A-Z][A-Z0-9&.\-]+)\)$", ident)
    if abbr:  # 'Shin-Etsu Magnetic Materials Vietnam (SMMV)' -> 'smmv'
        return re.sub(r"[^0-9a-z]", "", abbr.group(1).lower()) or None
    word = re.split(r"[\s+&(/,]", ident.strip())[0]
    return re.sub(r"[^0-9a-z]", "", word.lower()) or None


def _rule_fits(rule: MetricRule, q: Mapping[str, Any], frame: _Frame) -> bool:
    """Type, unit, object, commodity and modality constraints of one rule."""
    if rule.types and q.get("type") not in rule.types:
        return False
    if rule.units and q.get("unit") not in rule.units:
        return False
    if rule.modality and frame.modality != rule.modality:
        return False
    obj = frame.object
    if rule.object == "China" and obj != "China":
        return False
    if rule.object == "!China" and (obj is None or obj == "China"):
        return False
    if rule.object == "none" and obj is not None:
        return False
    if rule.object == "named" and obj is None:
        return False
    com = frame.commodity
    is_re = com is None or bool(rare_earth_re().search(com))
    if rule.commodity == "re" and not is_re:
        return False
    if rule.commodity == "non_re" and is_re:
        return False
    if rule.commodity == "hree" and not (com and heavy_re().search(com)):
        return False
    return True


def _slots_filled(rule: MetricRule, frame: _Frame, ctx: _Ctx) -> bool:
    """Whether the parties a key template names are read (or defaulted) in this frame."""
    if "{subject}" in rule.key and frame.subject is None and not rule.defaults.get("subject"):
        if _dominant(ctx, {frame.object} if frame.object else set()) is None:
            return False
    return not ("{object}" in rule.key and frame.object is None and not rule.defaults.get("object"))


def _table_head(ctx: _Ctx, sent: tuple[int, int]) -> tuple[int, int] | None:
    """For a tab-separated table row: the span from the line before the table to the row."""
    line_start = ctx.text.rfind("\n", 0, sent[0] + 1) + 1
    if "\t" not in ctx.text[line_start : sent[1]]:
        return None
    k = line_start
    while k > 0:
        prev_start = ctx.text.rfind("\n", 0, k - 1) + 1
        line = ctx.text[prev_start : k - 1]
        if line.strip() and "\t" not in line:
            return prev_start, sent[0]
        k = prev_start
    return None


def _match_metric(
    ctx: _Ctx, q: Mapping[str, Any], w: _Where, frame_for: Callable[[str], _Frame]
) -> MetricRule | None:
    """The rule whose cues sit nearest the figure: clause first, then sentence, then the one before."""
    s, e = q["start"], q["end"]
    clause, sent, prev = w.clause, w.sent, w.prev
    regions: list[tuple[int, int]] = [clause, sent]
    # durations and counts are framed in their own sentence; shares and amounts may lean back
    if prev is not None and q.get("type") not in ("duration", "count", "ordinal"):
        regions.append((prev[0], sent[1]))
    head = _table_head(ctx, sent)
    if head is not None:
        regions.append((head[0], sent[1]))  # a table row: the caption and header name the measure
    wide = (min(r[0] for r in regions), sent[1])
    best: tuple[int, int, int, MetricRule] | None = None
    qtype, unit = q.get("type"), q.get("unit")
    for rule in metric_rules():
        # cheap tests first: type, unit and cue distance need no parties; the party-reading
        # constraints below only run for a rule that could still win (rules are in file order)
        if (rule.types and qtype not in rule.types) or (rule.units and unit not in rule.units):
            continue
        found: tuple[int, int] | None = None
        for level, region in enumerate(regions):
            if rule.clause and level > 0:
                break
            d = _cue_distance(
                ctx.text,
                region,
                rule.all,
                s,
                e,
                clause if rule.clause else wide,  # clause rules: every cue in the clause
                w.others,
                q.get("type") == "ordinal" or rule.inside,
                rule.cue_before,
            )
            if d is not None:
                found = (level, d)
                break
        if found is None or (best is not None and found >= best[:2]):
            continue
        if not _rule_fits(rule, q, frame_for(_mode(rule))):
            continue
        if rule.none and _has_any(ctx.text[clause[0] : clause[1]], rule.none):
            continue
        if rule.place and _place(ctx, w, rule.place_types or ("LOC", "FACILITY")) is None:
            continue
        if "{commodity}" in rule.key and _commodity_slug(frame_for("default").commodity) is None:
            continue
        if not _slots_filled(rule, frame_for(_mode(rule)), ctx):
            continue  # a key that cannot name its parties would leave the figure unfiled
        if "{sector}" in rule.key and _sector(ctx, w) is None:
            continue
        if rule.lexicon_subject and _lexicon_subject(ctx, w, rule.lexicon_subject) is None:
            continue
        if rule.commodity == "hree" and not any(
            heavy_re().search(str(x["id"])) for x in _ents_in(ctx, *clause, ("MATERIAL",))
        ):
            continue  # a narrower scope must be named in the figure's own clause
        best = (found[0], found[1], rule.order, rule)
    return best[3] if best else None


class _Frames:
    """The frame of one figure with parties read in each role mode (memoized)."""

    def __init__(self, ctx: _Ctx, where: _Where, base: _Frame) -> None:
        self.ctx, self.where, self.base = ctx, where, base
        self.cache: dict[str, _Frame] = {}

    def __call__(self, mode: str) -> _Frame:
        """The frame for ``mode``."""
        if mode not in self.cache:
            subj, obj = _parties(self.ctx, self.where, mode)
            self.cache[mode] = dataclasses.replace(self.base, subject=subj, object=obj)
        return self.cache[mode]


def _ranked_party(ctx: _Ctx, q: Mapping[str, Any], sent: tuple[int, int]) -> str | None:
    """排名第二的日本: a rank written before 的 + a party ranks that party."""
    if q.get("type") != "ordinal" or ctx.text[q["end"] : q["end"] + 1] != "的":
        return None
    for x in _ents_in(ctx, sent[0], sent[1], cues()["roles"]["party_types"]):
        if x["start"] == q["end"] + 1:
            return str(x["id"])
    return None


def _mode(rule: MetricRule) -> str:
    """The party-reading mode of a rule ('holder:ORG' when it prefers some subject types)."""
    mode = rule.roles or "default"
    if rule.subject_types:
        return f"{mode}:{','.join(rule.subject_types)}"
    return mode


def _place(ctx: _Ctx, w: _Where, kinds: Sequence[str] = ("LOC", "FACILITY")) -> str | None:
    """The nearest named site (LOC/FACILITY) in the sentence, else in the sentence before."""
    here = _ents_in(ctx, w.sent[0], w.sent[1], kinds)
    hit = _nearest_before(here, w.s, set()) or _nearest_after(here, w.e, set())
    if hit is None and w.prev is not None:
        hit = _nearest_before(_ents_in(ctx, w.prev[0], w.prev[1], kinds), w.prev[1], set())
    return _id(hit)


def _lexicon_subject(ctx: _Ctx, w: _Where, name: str) -> str | None:
    """A subject named by a word list (F-35戰鬥機每架含有…): nearest before the value in its sentence."""
    head = ctx.text[w.sent[0] : w.s]
    best: tuple[int, str] | None = None
    for surface, ident in subject_lexicons().get(name, ()):
        k = head.rfind(surface)
        if k >= 0 and (best is None or k + len(surface) > best[0]):
            best = (k + len(surface), ident)
    return best[1] if best else None


def _purpose(ctx: _Ctx, w: _Where) -> Purpose | None:
    """What a budget or subsidy pays for (回收補貼, 南鳥島開發): nearest purpose phrase, clause first."""
    near: tuple[int, int] | None = None
    for region in (w.clause, w.sent):
        best: tuple[int, Purpose] | None = None
        for purpose in purposes():
            for m in purpose.pattern.finditer(ctx.text, region[0], region[1]):
                a, b = m.start(), m.end()
                if a < w.e and b > w.s:
                    continue
                lo, hi = (b, w.s) if b <= w.s else (w.e, a)
                if a >= w.e and any(lo <= x and y <= hi for x, y in w.others):
                    continue  # a later figure sits between: the phrase names that figure
                if purpose.context is not None:
                    near = near or _neighbourhood(ctx, w)
                    if not purpose.context.search(ctx.text, near[0], near[1]):
                        continue  # 深海採礦試驗 is 南鳥島開發 only where the site is named
                d = _gap(a, b - a, w.s, w.e)
                if best is None or d < best[0]:
                    best = (d, purpose)
        if best is not None:
            return best[1]
    return None


def _neighbourhood(ctx: _Ctx, w: _Where) -> tuple[int, int]:
    """The figure's sentence with the one before and the one after (a paragraph's topic)."""
    si = _sentence_of(ctx, w.s)
    nxt = ctx.sents[si + 1] if 0 <= si < len(ctx.sents) - 1 else w.sent
    return (w.prev[0] if w.prev else w.sent[0], max(nxt[1], w.sent[1]))


def _place_slug(ident: str) -> str | None:
    """Slug of a site: its words without generic ones ('Mountain Pass mine' -> mountain_pass)."""
    table = slugs()
    if ident in table:
        return table[ident]
    bare = re.sub(r"\s*\([^)]*\)", "", ident).lower()
    words = [w for w in re.split(r"[\s/,]+", bare) if w and w not in place_slug_drop()]
    slug = re.sub(r"[^0-9a-z_]", "", "_".join(words))
    return slug or None


def _commodity_slug(commodity: str | None) -> str | None:
    """Slug of a commodity: element symbols ('Nd and Pr' -> ndpr), else the commodity_slugs table."""
    if not commodity:
        return None
    symbols = material_symbols()
    if commodity in symbols:
        return symbols[commodity].lower()
    parts = re.split(r", | and ", commodity)
    if len(parts) > 1 and all(p in symbols.values() for p in parts):
        return "".join(p.lower() for p in parts)
    return commodity_slugs().get(commodity)


def _sector(ctx: _Ctx, w: _Where) -> str | None:
    """The industry named nearest before the figure in its sentence (汽車產業 -> auto)."""
    head = ctx.text[w.sent[0] : w.s]
    best: tuple[int, str] | None = None
    for word, slug in sectors():
        k = head.rfind(word)
        if k >= 0 and (best is None or k + len(word) > best[0]):
            best = (k + len(word), slug)
    return best[1] if best else None


def _render_key(
    rule: MetricRule,
    subject: str | None,
    obj: str | None,
    place: str | None = None,
    commodity: str | None = None,
    sector: str | None = None,
) -> str | None:
    """Fill the key template; None when a needed slot is empty."""
    key = rule.key
    if "{place}" in key:
        sl = _place_slug(place) if place else _slug(subject)
        if sl is None:
            return None
        key = key.replace("{place}", sl)
    for slot, value in (("{commodity}", _commodity_slug(commodity)), ("{sector}", sector)):
        if slot in key:
            if value is None:
                return None
            key = key.replace(slot, value)
    if "{subject}" in key:
        # an agency's figure is filed under its country (JOGMEC's effort -> japan_…)
        agency = org_countries().get(subject or "")
        sl = _slug(agency if agency and not agency.startswith("_") else subject)
        if sl is None:
            return None
        key = key.replace("{subject}", sl)
    if "{object}" in key:
        ol = _slug(obj)
        if ol is None:
            return None
        key = key.replace("{object}", ol)
    return key


def _subsidiary(ctx: _Ctx, ident: str | None, w: _Where) -> str | None:
    """萊納斯公司在美國子公司: a parent company read as party stands for its subsidiary there."""
    table = subsidiaries()
    if ident is None or not any(parent == ident for parent, _ in table):
        return ident
    conf = cues().get("subsidiary", {})
    lead, tail = re.compile(conf["lead"]), re.compile(conf["tail"])
    span = (w.prev[0] if w.prev else w.sent[0], w.sent[1])
    gpes = _ents_in(ctx, span[0], span[1], ("GPE",))
    for x in _ents_in(ctx, span[0], span[1], ("ORG",)):
        if x["id"] != ident:
            continue
        for g in gpes:
            if g["start"] < x["end"] or not lead.match(ctx.text[x["end"] : g["start"]]):
                continue
            if tail.match(ctx.text[g["end"] : g["end"] + 6]):
                return table.get((ident, str(g["id"])), ident)
    return ident


def _context(ctx: _Ctx, q: Mapping[str, Any], clause: tuple[int, int]) -> list[str]:
    """Content words of the clause around an unknown figure."""
    left = ctx.text[clause[0] : q["start"]]
    right = ctx.text[q["end"] : clause[1]]
    words = [w for w in _WORD.findall(left)][-3:] + [w for w in _WORD.findall(right)][:3]
    return words


def _compound(ident: str | None) -> str | None:
    """Party ids as reports write them: joint parties 'A + B', no trailing '(ABBR)'."""
    if ident is None:
        return None
    # 'Shin-Etsu Magnetic Materials Vietnam (SMMV)': the bracketed abbreviation is an alias
    ident = re.sub(r"\s*\([A-Z0-9&.\-]{2,}\)$", "", ident) or ident
    if "+" not in ident:
        return ident
    return " + ".join(p.strip() for p in ident.split("+"))


def _states_something(q: Mapping[str, Any]) -> bool:
    """Ordinal labels (第二次) are not claims; ranks (排名第二) are."""
    if q.get("type") == "ordinal" and q.get("unit") != "rank":
        return False
    return not (q.get("value") is None and q.get("low") is None and q.get("high") is None)


# ---------------------------------------------------------------- entry point


def build_claims(
    doc_meta: Mapping[str, Any],
    text: str,
    sentences: Sequence[Sequence[int]] | None,
    quantities: Sequence[Mapping[str, Any]],
    times: Sequence[Mapping[str, Any]],
    entities: Sequence[Mapping[str, Any]],
) -> list[Claim]:
    """One claim per figure that states something, with its frame."""
    doc_id = str(doc_meta.get("doc_id") or "doc")
    sents = _sentences(text, sentences)
    tms = sorted((dict(t) for t in times), key=lambda t: (t["start"], t["end"]))
    ctx = _Ctx(
        text=text,
        sents=sents,
        starts=[s for s, _ in sents],
        times=tms,
        entities=sorted((dict(x) for x in entities), key=lambda x: (x["start"], x["end"])),
        pub_year=_pub_year(doc_meta.get("published"), tms),
        quants=list(quantities),
    )
    source = {k: doc_meta.get(k) for k in ("title", "outlet", "published", "source_path")}
    claims: list[Claim] = []
    by_quantity: dict[int, Claim] = {}
    for qi, q in enumerate(quantities):
        if not _states_something(q):
            continue
        qs, qe = int(q["start"]), int(q["end"])
        si = _sentence_of(ctx, qs)
        sent = ctx.sents[si] if si >= 0 else (qs, qe)
        prev = ctx.sents[si - 1] if si > 0 else None
        clause = _clause(ctx, qs, qe, sent)
        attribution, quoted = _attribution(ctx, q, sent)
        near = (prev[0] if prev else sent[0], sent[1])
        others = [
            (int(o["start"]), int(o["end"]))
            for o in quantities
            if near[0] <= o["start"] < near[1]
            and (o["start"], o["end"]) != (qs, qe)
            and o.get("equivalent_of") is None  # a bracketed conversion is part of its figure
        ]
        w = _Where(qs, qe, clause, sent, prev, quoted, others)
        period, basis = _period(ctx, q, sent, clause, si - 1)
        modality = _modality(ctx, q, sent, clause, period, basis)
        commodity = _commodity(ctx, q, clause, sent)
        frame_for = _Frames(
            ctx, w, _Frame(None, None, commodity, period, basis, modality, attribution)
        )
        rule = _match_metric(ctx, q, w, frame_for)
        frame = frame_for(_mode(rule) if rule else "default")
        ranked = _ranked_party(ctx, q, sent)
        if ranked is not None:
            frame.subject = ranked
        metric = None
        if rule is not None:
            if rule.clear_object:
                frame.object = None
            if rule.lexicon_subject:
                frame.subject = _lexicon_subject(ctx, w, rule.lexicon_subject)
            if rule.purpose and (frame.object is None or rule.purpose_first):
                purpose = _purpose(ctx, w)
                if purpose is not None:
                    frame.object = purpose.label
                    if frame.commodity is None:
                        frame.commodity = purpose.commodity
            for k, v in rule.defaults.items():
                if getattr(frame, k) is None:
                    setattr(frame, k, v)
            if "{subject}" in rule.key and frame.subject is None:
                # 對美國出口約6800噸 in a report on China's exports: the document's main country
                frame.subject = _dominant(ctx, {frame.object} if frame.object else set())
            if rule.commodity == "re" and frame.commodity is None:
                frame.commodity = "rare earths"
            metric = _render_key(
                rule,
                frame.subject,
                frame.object,
                _place(ctx, w, rule.place_types or ("LOC", "FACILITY")),
                frame.commodity,
                _sector(ctx, w),
            )
        frame.subject = _subsidiary(ctx, frame.subject, w)
        frame.object = _subsidiary(ctx, frame.object, w)
        frame.subject, frame.object = _compound(frame.subject), _compound(frame.object)
        claim = Claim(
            claim_id=f"{doc_id}-c{len(claims) + 1:03d}",
            doc_id=doc_id,
            surface=str(q["surface"]),
            start=qs,
            end=qe,
            sentence_start=sent[0],
            sentence_end=sent[1],
            sentence=text[sent[0] : sent[1]],
            type=str(q.get("type")),
            value=q.get("value"),
            low=q.get("low"),
            high=q.get("high"),
            unit=q.get("unit"),
            qualifier=str(q.get("qualifier") or "exact"),
            vague=bool(q.get("vague", False)),
            unit_surface=q.get("unit_surface"),
            per=q.get("per"),
            metric=metric,
            context=[] if metric else _context(ctx, q, clause),
            subject=frame.subject,
            object=frame.object,
            commodity=frame.commodity,
            period=frame.period,
            period_basis=frame.period_basis,
            modality=frame.modality,
            attribution=frame.attribution,
            source=dict(source),
            pipeline_version=__version__,
        )
        eq = q.get("equivalent_of")
        base_q = quantities[eq] if isinstance(eq, int) and 0 <= eq < len(quantities) else None
        if base_q is not None and eq in by_quantity and base_q.get("type") == q.get("type"):
            base = by_quantity[eq]
            claim.equivalent_of = base.claim_id
            for k in (
                "metric",
                "subject",
                "object",
                "commodity",
                "period",
                "period_basis",
                "modality",
            ):
                setattr(claim, k, getattr(base, k))
            claim.context = list(base.context)
        by_quantity[qi] = claim
        claims.append(claim)
        if rule is not None and rule.roles == "supplier" and claim.equivalent_of is None:
            for other in _each_share_parties(ctx, w, claim.subject, claim.object):
                twin = _twin_claim(ctx, q, w, frame_for, claim, other)
                twin.claim_id = f"{doc_id}-c{len(claims) + 1:03d}"
                claims.append(twin)
    return claims


def _each_share_parties(ctx: _Ctx, w: _Where, subject: str | None, obj: str | None) -> list[str]:
    """中國與法國各佔約四成: the other parties that each hold the same share."""
    head = ctx.text[max(w.clause[0], w.s - 3) : w.s]
    if obj is None or "各" not in head:
        return []
    kinds = cues()["roles"]["party_types"]
    named = [x for x in _ents_in(ctx, w.clause[0], w.s, kinds) if x["type"] == "GPE"]
    out: list[str] = []
    for x in named:
        ident = str(x["id"])
        if ident not in (subject, obj) and ident not in out and "+" not in ident:
            out.append(ident)
    return out if any(str(x["id"]) == obj for x in named) else []


def _twin_claim(
    ctx: _Ctx,
    q: Mapping[str, Any],
    w: _Where,
    frame_for: Callable[[str], _Frame],
    claim: Claim,
    other: str,
) -> Claim:
    """A copy of ``claim`` for another party holding the same share, with its own metric."""

    def with_other(mode: str) -> _Frame:
        """The frame with the counterpart replaced."""
        return dataclasses.replace(frame_for(mode), object=other)

    rule = _match_metric(ctx, q, w, with_other)
    metric = _render_key(rule, claim.subject, other, _place(ctx, w)) if rule else None
    return dataclasses.replace(
        claim, object=other, metric=metric, context=[] if metric else list(claim.context)
    )
