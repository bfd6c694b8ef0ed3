"""Quantity extraction: numbers, percents, money, measures, counts, durations, ranges, hedges.

The extractor scans a *view* of the text in which full-width digits and ％ are ASCII,
``&gt;``/``&lt;`` are single characters and spaces between digits and CJK characters
(PDF artefacts such as ``2.5 億美元``) are dropped; every view character remembers its
original offsets, so surfaces and offsets always refer to the input text.

Values follow the design table "a hedged figure is an interval":

* ``value`` is the stated number (58% → 58, 九成 → 90, 6600億日圓 → 6.6e11) for every
  qualifier except ranges, where it is null (a range has no single point). Open bounds
  keep the stated number in ``value`` too, so a reader never has to guess which bound
  carries it; ``low``/``high`` hold the interval (null when open).
* exact/approx: low = high = value (approx is widened later, in reconciliation);
  more_than/at_least: low = value; nearly/at_most/less_than: high = value; range and
  vague (數百 → [200, 900], qualifier range, vague true) fill both bounds.
* Emphatic words (高達, 長達, 達, 一度高達, 多達, 僅) are exact and stay outside the surface;
  a hedge a few characters before the number (約需要5200磅, 最高實行17%) or before
  "X的N%" (不到中國2018年產量的1%) is part of the surface.

Dates are not quantities: a 4-digit year (1000–2199) or a Chinese digit-by-digit year
followed by 年 is a date (2025年, 二〇二五年, also 1950-2019年); so are N年代/N年度/N年底,
N年 followed by a month (113年1月), N月 and N日 (day of month), slash dates, clock
times, 民國/西元 years, and spans the time extractor owns: N年前/後/間/來 (15年前,
十年間), and durations after 過去/未來/近/這/最近 (未來十年). 3年, 十多年, 兩個月, 三週,
3年內 (at_most) stay durations; vague ones (數月後) stay unless they are a vague
window (之後數年, 短短數年, 數百年以來).

Counts written with a small Chinese numeral (< 10, no hedge) are enumerative or
relational (三家企業, 兩國, 兩大危機) and are not emitted, nor is 一 + classifier (一艘,
an indefinite article); Arabic counts (13國) and counts ≥ 10 are. Unitless numbers are
emitted only with a 萬/億 multiplier or thousands separators (type "number"), or as
money in a table whose header declares a currency (補助金額（日圓）).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from itertools import accumulate
from typing import Any, ClassVar

from pipeline.extract.numerals import NUMBER_PATTERN, parse_decimal
from pipeline.extract.prefilter import with_first_char_guard
from pipeline.records import Record


@dataclass
class Quantity(Record):
    """One figure found in the text, with its interval reading."""

    SCHEMA: ClassVar[str] = "quantity/1"
    type: str
    surface: str
    start: int
    end: int
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    unit_surface: str | None
    qualifier: str
    vague: bool = False
    per: str | None = None
    equivalent_of: int | None = None
    list_id: int | None = None


# --------------------------------------------------------------------------- lexicons


@dataclass(frozen=True)
class _Unit:
    surface: str
    unit: str
    type: str
    mult: Decimal
    arabic_only: bool
    vague_only: bool


@dataclass(frozen=True)
class _Lex:
    units: dict[str, _Unit]
    unit_blocked_next: dict[str, str]
    unit_keys: tuple[str, ...]  # longest first
    local_currency: dict[str, str]
    currency_prefixes: tuple[tuple[str, str], ...]
    table_currency: tuple[tuple[str, str], ...]
    raw: dict[str, Any]
    prefix_hedges: tuple[tuple[str, str], ...]
    suffix_hedges: tuple[tuple[str, str], ...]
    emphatic: tuple[str, ...]
    specials: dict[str, tuple[str, Decimal, str, str]]
    idiom_re: re.Pattern[str] | None
    per_triggers: tuple[tuple[str, str], ...]
    per_after: tuple[tuple[str, str], ...]


def _load_json(name: str) -> dict[str, Any]:
    """Read one JSON data file shipped in pipeline/data."""
    data = resources.files("pipeline").joinpath("data", name).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(data)
    return loaded


def _by_length(words: Sequence[str]) -> tuple[str, ...]:
    """Longest first, ties in lexical order, for deterministic longest-match."""
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=1)
def _lex() -> _Lex:
    """Units, currencies and hedge lexicons, loaded once."""
    u = _load_json("units.json")
    q = _load_json("quantity_lexicon.json")
    units = {
        s: _Unit(
            surface=s,
            unit=e["unit"],
            type=e["type"],
            mult=Decimal(str(e.get("mult", 1))),
            arabic_only=bool(e.get("arabic_only", False)),
            vague_only=bool(e.get("vague_only", False)),
        )
        for s, e in u["units"].items()
    }
    prefixes = q["prefix_hedges"]
    suffixes = q["suffix_hedges"]
    idioms = _by_length(q["idioms"])
    return _Lex(
        units=units,
        unit_blocked_next=u.get("unit_blocked_next", {}),
        unit_keys=_by_length(list(units)),
        local_currency=u["local_currency"],
        currency_prefixes=tuple(
            (k, u["currency_prefixes"][k]) for k in _by_length(list(u["currency_prefixes"]))
        ),
        table_currency=tuple(
            (k, u["table_currency_headers"][k])
            for k in _by_length(list(u["table_currency_headers"]))
        ),
        raw=q,
        prefix_hedges=tuple((k, prefixes[k]) for k in _by_length(list(prefixes))),
        suffix_hedges=tuple((k, suffixes[k]) for k in _by_length(list(suffixes))),
        emphatic=_by_length(q["emphatic"]),
        specials={k: (v[0], Decimal(str(v[1])), v[2], v[3]) for k, v in q["specials"].items()},
        idiom_re=re.compile("|".join(re.escape(i) for i in idioms)) if idioms else None,
        per_triggers=tuple(
            (w, per) for per, words in sorted(q["per_triggers"].items()) for w in _by_length(words)
        ),
        per_after=tuple(
            (w, per) for per, words in sorted(q["per_after"].items()) for w in _by_length(words)
        ),
    )


@lru_cache(maxsize=1)
def _token_re() -> re.Pattern[str]:
    """Master token regex: special words, 百分之X, X分之Y, vague 數/幾, CN pairs, numerals."""
    lex = _lex()
    specials = "|".join(re.escape(s) for s in _by_length(list(lex.specials)))
    cn_pairs = "一兩|一二|兩三|二三|三四|四五|五六|六七|七八|八九|三五"
    return with_first_char_guard(
        re.compile(
            rf"(?P<special>{specials})"
            rf"|百分之(?P<pct>{NUMBER_PATTERN})"
            rf"|千分之(?P<permille>{NUMBER_PATTERN})"
            rf"|(?P<den>{NUMBER_PATTERN})分之(?P<nom>{NUMBER_PATTERN})"
            rf"|(?P<vague>[數幾])(?P<vmag>[十百千萬億兆]*)"
            rf"|(?P<pair>{cn_pairs})(?![〇○零一二三四五六七八九])(?P<pmag>[十百千萬億兆]*)"
            # 百餘家, 逾百家, 上千名: a bare 百/千 counts only next to a hedge or 餘/多
            r"|(?P<bare>(?:(?<=[逾近約上])(?:[百千萬][萬億]?)|[百千萬](?=[餘多]))(?![十百千萬億兆〇○零一二三四五六七八九兩]))"
            rf"|(?P<num>{NUMBER_PATTERN})"
        )
    )


_NUM_RE = re.compile(NUMBER_PATTERN)
_CN_NUM_CHARS = set("〇○零一二三四五六七八九十百千萬万億亿兆兩两廿卅壹貳贰參叁肆伍陸柒捌玖拾佰仟")
_CN_DIGIT_ONLY = set("〇○零一二三四五六七八九兩两")
_LARGE = {
    "萬": Decimal(10**4),
    "万": Decimal(10**4),
    "億": Decimal(10**8),
    "亿": Decimal(10**8),
    "兆": Decimal(10**12),
}
_SMALL = {"十": Decimal(10), "百": Decimal(100), "千": Decimal(1000)}
_CN_VAL = {"一": 1, "二": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SENT_END = "。！？；!?;\n"
_YEAR_TAIL = re.compile(r"(?:[\-–~至到](?:\d{4}|[〇○零一二三四五六七八九]{4}))?年")
_SENT_END_RE = re.compile("[" + re.escape(_SENT_END) + "]")
_CLAUSE_PUNCT = "，,。！？；;：:、\n\t（）()「」『』《》"
_SPACES = " \u00a0\u3000\u2009\u202f"
_WIDTH = str.maketrans("０１２３４５６７８９％＞＜～", "0123456789%><~")
_ENTITIES = (("&gt;", ">"), ("&lt;", "<"), ("&amp;", "&"), ("&nbsp;", " "))


# --------------------------------------------------------------------------- view


@dataclass
class _View:
    text: str
    starts: list[int]
    ends: list[int]

    def span(self, s: int, e: int) -> tuple[int, int]:
        """Original [start, end) of view span [s, e)."""
        return self.starts[s], self.ends[e - 1]


def _is_cjk(ch: str) -> bool:
    """CJK ideograph (not punctuation)."""
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ch in "〇○"


def _is_digit(ch: str) -> bool:
    """ASCII digit."""
    return "0" <= ch <= "9"


# Characters whose view form depends on their neighbours: entities, spaces, and a
# full-width ．/－/， right after a digit. Everything between them maps one to one.
_VIEW_SPECIAL = re.compile(r"&|[ \u00a0\u3000\u2009\u202f]+|(?<=[0-9０-９])[．－，]")


def _build_view(text: str) -> _View:
    """Compact view of ``text`` with per-character original offsets.

    Runs of ordinary characters are translated in one call with identity offsets; only
    the special characters go through the per-character rules.
    """
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    n = len(text)
    i = 0
    last = ""  # the view's last character so far
    while i < n:
        m = _VIEW_SPECIAL.search(text, i)
        stop = m.start() if m is not None else n
        if stop > i:
            chunk = text[i:stop].translate(_WIDTH)
            out.append(chunk)
            starts.extend(range(i, stop))
            ends.extend(range(i + 1, stop + 1))
            last = chunk[-1]
            i = stop
        if m is None:
            break
        ch = text[i]
        if ch == "&":
            for ent, rep in _ENTITIES:
                if text.startswith(ent, i):
                    out.append(rep)
                    starts.append(i)
                    ends.append(i + len(ent))
                    i += len(ent)
                    last = rep
                    break
            else:
                out.append("&")
                starts.append(i)
                ends.append(i + 1)
                i += 1
                last = "&"
            continue
        if ch in _SPACES:
            j = m.end()
            right = text[j].translate(_WIDTH) if j < n else ""
            if not _drop_space(last, right):
                out.append(text[i:j])
                starts.extend(range(i, j))
                ends.extend(range(i + 1, j + 1))
                last = text[j - 1]
            i = j
            continue
        # ．/－/， preceded by a digit (the view's last character is that digit).
        mapped = ch
        if ch == "．" and i + 1 < n and _is_digit(text[i + 1].translate(_WIDTH)):
            mapped = "."
        elif ch == "－":
            mapped = "-"
        elif ch == "，" and re.match(r"[0-9０-９]{3}(?![0-9０-９])", text[i + 1 : i + 5]):
            mapped = ","  # １，０００: a full-width thousands separator
        out.append(mapped)
        starts.append(i)
        ends.append(i + 1)
        last = mapped
        i += 1
    return _View("".join(out), starts, ends)


def _drop_space(left: str, right: str) -> bool:
    """Spaces between a digit and a CJK character (either order) are layout, not text."""
    if not left or not right:
        return False
    # 12 萬 噸: a 萬/億 right after a number behaves like a digit
    lk = (
        "d"
        if _is_digit(left) or left in "萬万億亿兆"
        else "c"
        if _is_cjk(left)
        else "%"
        if left == "%"
        else ""
    )
    rk = "d" if _is_digit(right) else "c" if _is_cjk(right) else "%" if right == "%" else ""
    pair = lk + rk
    if left in "萬万億亿兆" and rk == "d":
        return True  # 6 萬 2,474
    return pair in ("dc", "cd", "%c", "d%")


# --------------------------------------------------------------------------- helpers


@dataclass
class _Cand:
    """A quantity under construction, in view coordinates."""

    type: str
    s: int
    e: int
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    unit: str | None
    unit_surface: str | None
    qualifier: str
    vague: bool = False
    per: str | None = None
    prefix_hedged: bool = False
    list_id: int | None = None
    equivalent_of: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _unit_keys_by_first() -> dict[str, tuple[str, ...]]:
    """Unit surfaces grouped by first character, each group longest first."""
    groups: dict[str, list[str]] = {}
    for key in _lex().unit_keys:
        if key:
            groups.setdefault(key[0], []).append(key)
    return {k: tuple(v) for k, v in groups.items()}


def _match_unit(vt: str, j: int, *, arabic: bool, vague: bool) -> _Unit | None:
    """Longest unit surface at view position j that fits the number before it."""
    lex = _lex()
    if j >= len(vt):
        return None
    # Only keys starting with vt[j] can match; they keep the longest-first order.
    for key in _unit_keys_by_first().get(vt[j], ()):
        if not vt.startswith(key, j):
            continue
        unit = lex.units[key]
        if unit.arabic_only and not arabic:
            continue
        if unit.vague_only and not vague:
            continue
        end = j + len(key)
        if (
            key[-1].isascii()
            and key[-1].isalpha()
            and end < len(vt)
            and vt[end].isascii()
            and vt[end].isalnum()
        ):
            continue  # 5GWh vs 5G: ASCII units need a word boundary
        if key == "成" and _startswith_any(vt, end, lex.raw["cheng_blocked_next"]):
            continue
        if end < len(vt) and vt[end] in lex.unit_blocked_next.get(key, ""):
            continue  # 100台北市, 17元素: the unit character starts another word
        return unit
    return None


@lru_cache(maxsize=1)
def _hedges_by_last() -> dict[str, tuple[tuple[str, str], ...]] | None:
    """Prefix hedges grouped by last character, longest-first order kept (None if a
    hedge is empty: it would end anywhere)."""
    acc: dict[str, list[tuple[str, str]]] = {}
    if any(not word for word, _ in _lex().prefix_hedges):
        return None
    for word, qual in _lex().prefix_hedges:
        acc.setdefault(word[-1], []).append((word, qual))
    return {c: tuple(v) for c, v in acc.items()}


@lru_cache(maxsize=1)
def _lexicon_lists() -> dict[int, Sequence[str]]:
    """The lexicon's word lists by id: long-lived, so they can be indexed once."""
    lex = _lex()
    lists: list[Sequence[str]] = [v for v in lex.raw.values() if isinstance(v, list)]
    lists.append(lex.emphatic)
    return {id(v): v for v in lists if all(isinstance(w, str) and w for w in v)}


# (id of a lexicon list, by last char?) -> words grouped by their first or last character.
_BY_CHAR: dict[tuple[int, bool], dict[str, tuple[str, ...]]] = {}


def _by_char(words: Sequence[str], last: bool) -> dict[str, tuple[str, ...]] | None:
    """``words`` grouped by first (or last) character, list order kept; None if not a
    lexicon list (those are scanned whole)."""
    key = (id(words), last)
    groups = _BY_CHAR.get(key)
    if groups is None:
        if _lexicon_lists().get(id(words)) is not words:
            return None
        acc: dict[str, list[str]] = {}
        for w in words:
            acc.setdefault(w[-1] if last else w[0], []).append(w)
        groups = _BY_CHAR[key] = {c: tuple(ws) for c, ws in acc.items()}
    return groups


def _startswith_any(vt: str, j: int, words: Sequence[str]) -> str | None:
    """The longest of ``words`` starting at j, if any."""
    # Only words whose first character is vt[j] can start there.
    groups = _by_char(words, False) if 0 <= j < len(vt) else None
    best: str | None = None
    for w in words if groups is None else groups.get(vt[j], ()):
        if vt.startswith(w, j) and (best is None or len(w) > len(best)):
            best = w
    return best


def _endswith_any(vt: str, j: int, words: Sequence[str]) -> str | None:
    """The longest of ``words`` ending at j, if any."""
    # Only words whose last character is vt[j - 1] can end there.
    groups = _by_char(words, True) if 0 < j <= len(vt) else None
    best: str | None = None
    for w in words if groups is None else groups.get(vt[j - 1], ()):
        if (
            j - len(w) >= 0
            and vt.startswith(w, j - len(w))
            and (best is None or len(w) > len(best))
        ):
            best = w
    return best


def _trailing_magnitude(tok: str) -> Decimal:
    """Multiplier of the trailing 萬/億 run of a numeral (3萬 → 1e4, 6萬2,474 → 1)."""
    mag = Decimal(1)
    k = len(tok)
    while k > 0 and tok[k - 1] in _LARGE:
        mag *= _LARGE[tok[k - 1]]
        k -= 1
    return mag


def _mag_of(s: str) -> Decimal:
    """Multiplier of a run of 十百千萬億 characters (empty → 1)."""
    mag = Decimal(1)
    for ch in s:
        mag *= _SMALL.get(ch, _LARGE.get(ch, Decimal(1)))
    return mag


def _is_arabic(tok: str) -> bool:
    """True when the numeral starts with an Arabic digit."""
    return bool(tok) and _is_digit(tok[0])


def _year_like(tok: str, value: Decimal) -> bool:
    """A 4-digit year written in Arabic or Chinese digit-by-digit form."""
    if re.fullmatch(r"\d{4}", tok):
        return 1000 <= value <= 2199
    return len(tok) == 4 and all(ch in _CN_DIGIT_ONLY for ch in tok)


def _sentence_bounds(vt: str) -> list[int]:
    """Sorted positions just after each sentence end in the view."""
    return [m.end() for m in _SENT_END_RE.finditer(vt)]


def _sentence_start(bounds: list[int], pos: int) -> int:
    """Start of the sentence containing pos."""
    import bisect

    k = bisect.bisect_right(bounds, pos)
    return bounds[k - 1] if k > 0 else 0


# --------------------------------------------------------------------------- extractor


class _Extractor:
    """One pass over one text."""

    def __init__(self, text: str, exclude: Sequence[tuple[int, int]], taiwan: bool) -> None:
        self.text = text
        self.view = _build_view(text)
        self.vt = self.view.text
        self.lex = _lex()
        self.raw = self.lex.raw
        self.taiwan = taiwan
        self.exclude = sorted((int(a), int(b)) for a, b in exclude)
        # Starts of excluded spans for a bisect lookup (a linear scan per character was
        # the extractor's hottest line on long documents).
        self._excl_starts = [a for a, _ in self.exclude]
        self._excl_max_end = list(accumulate((b for _, b in self.exclude), max))
        self.bounds = _sentence_bounds(self.vt)
        self.protected = self._protected_spans()
        self._prot_starts = [a for a, _ in self.protected]
        self._prot_max_end = list(accumulate((b for _, b in self.protected), max))
        self.out: list[_Cand] = []

    # ---- protected zones

    def _protected_spans(self) -> list[tuple[int, int]]:
        """View spans where no figure may start: footnote markers, codes, dates, idioms."""
        vt = self.vt
        spans: list[tuple[int, int]] = []
        for pat in (
            r"<sup>.*?</sup>",
            r"(?:https?://|www\.)[^\s\u3000，。、）)」]+",  # URLs
            r"(?:%[0-9A-Fa-f]{2}){2,}",  # percent-encoded bytes
            r"\[\d{1,3}\]",
            r"\d{4}\.\d{2}(?:[.\-]\d{2,4})+",  # HS codes 2805.30-000
            r"\d{4}([/／.\-])\d{1,2}\1\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}",  # 2026/01/12, 2024-03-29
            r"\d{4}[/／]\d{1,4}",  # 2026/2027
            r"\d{1,2}:\d{2}(?::\d{2})?",  # clock time
            r"\d+(?:\.\d+)?\s*比\s*\d+(?:\.\d+)?",  # votes and scores 52比48
            r"[A-Za-z][A-Za-z\-]*\d[A-Za-z0-9\-.]*",  # DS431, F-35, H200, G7
        ):
            spans.extend(m.span() for m in re.finditer(pat, vt))
        if self.lex.idiom_re is not None:
            spans.extend(m.span() for m in self.lex.idiom_re.finditer(vt))
        return sorted(spans)

    def _in_protected(self, pos: int) -> tuple[int, int] | None:
        """The protected span containing pos, if any."""
        # The first span (in sorted order) with a <= pos < b: spans starting at or before
        # pos are the first i; the first of all with b > pos is where the running max of
        # the ends first exceeds pos (the scan this replaces was linear per token).
        i = bisect_right(self._prot_starts, pos)
        j = bisect_right(self._prot_max_end, pos)
        return self.protected[j] if j < i else None

    def _excluded(self, vpos: int) -> bool:
        """Caller-supplied spans (time expressions) where no quantity may start."""
        o = self.view.starts[vpos]
        i = bisect_right(self._excl_starts, o)  # spans starting at or before o
        return i > 0 and self._excl_max_end[i - 1] > o

    # ---- main loop

    def run(self) -> list[Quantity]:
        """Scan the text; return quantities sorted by start."""
        vt = self.vt
        pos = 0
        token_re = _token_re()
        while True:
            m = token_re.search(vt, pos)
            if m is None:
                break
            cand, nxt = self._build(m)
            if cand is not None:
                self.out.append(cand)
            pos = max(nxt, m.start() + 1)
        self._post()
        return self._finish()

    def _build(self, m: re.Match[str]) -> tuple[_Cand | None, int]:
        """Build a candidate from a token match; also return where scanning resumes."""
        vt = self.vt
        s = m.start()
        prot = self._in_protected(s)
        if prot is not None:
            return None, prot[1]
        if self._excluded(s):
            return None, m.end()
        if s > 0 and (vt[s - 1].isascii() and vt[s - 1].isalpha()):
            return None, m.end()
        if m.group("special"):
            special = self._build_special(m)
            return special, (m.end() if special is not None else m.start() + 1)
        # labels: 第N, 表1, 圖 2 (ordinal ranks are handled separately)
        label = _endswith_any(vt, s, self.raw["label_prefixes"])
        if label is not None:
            if label == "第":
                return self._build_ordinal(m)
            return None, m.end()
        if s > 0 and vt[s - 1] in "/／:：." and s > 1 and _is_digit(vt[s - 2]):
            return None, m.end()
        return self._build_number(m)

    # ---- specials: 過半, 一半, 減半, 翻倍

    def _build_special(self, m: re.Match[str]) -> _Cand | None:
        """過半/一半/減半/翻倍 style words with a fixed value."""
        vt = self.vt
        word = m.group("special")
        s, e = m.span()
        typ, val, qual, unit = self.lex.specials[word]
        for key, chars in self.raw["special_blocked_before"].items():
            if word.startswith(key) and s > 0 and vt[s - 1] in chars:
                return None
        for key, chars in self.raw["special_blocked_next"].items():
            if word.startswith(key) and e < len(vt) and vt[e] in chars:
                return None
        cand = _Cand(typ, s, e, val, None, None, unit, None, qual)
        if qual == "exact":
            hs, hq = self._prefix_hedge(s, percent=typ == "percent")
            if hq is not None:
                cand.s, cand.qualifier, cand.prefix_hedged = hs, hq, True
        suf = _startswith_any(vt, cand.e, [k for k, _ in self.lex.suffix_hedges])
        if suf is not None and cand.qualifier == "exact":
            cand.qualifier = dict(self.lex.suffix_hedges)[suf]
            cand.e += len(suf)
        _set_bounds(cand)
        return cand

    # ---- ordinals

    def _build_ordinal(self, m: re.Match[str]) -> tuple[_Cand | None, int]:
        """第N as a rank only in ranking contexts (排名第二, 世界第三高, 第二大來源)."""
        vt = self.vt
        tok = m.group("num")
        if not tok:
            return None, m.end()
        value = parse_decimal(tok)
        if value is None:
            return None, m.end()
        s = m.start() - 1  # the 第
        e = m.end()
        pre = _endswith_any(vt, s, self.raw["rank_prefixes"])
        start = s - len(pre) if pre else s
        end = e
        ok = pre is not None
        if e < len(vt) and vt[e] in self.raw["rank_suffix_chars"]:
            end = e + 1
            ok = True
        elif e < len(vt) and vt[e] == "大":
            # 第二大來源, 第二大稀土生產國 are ranks; 第二大城 is a descriptor of a place
            noun_end = self._rank_noun_end(e + 1)
            if noun_end is None:
                return None, m.end()
            end = noun_end
            ok = True
        if not ok and _endswith_any(vt, s, self.raw["list_conjunctions"]) is not None:
            # 排名第二的日本(…)和第三的美國: a rank continuing a list of ranks
            for prev in reversed(self.out[-4:]):
                between = vt[prev.e : s]
                if (
                    prev.type == "ordinal"
                    and len(between) <= 40
                    and not any(ch in "。！？；\n" for ch in between)
                ):
                    ok = True
                    break
        if not ok:
            return None, m.end()
        cand = _Cand("ordinal", start, end, value, value, value, "rank", "第", "exact")
        return cand, end

    def _rank_noun_end(self, k: int) -> int | None:
        """End of a rank noun (來源, 生產國, …) within a few characters after 第N大."""
        vt = self.vt
        for off in range(0, 6):
            pos = k + off
            if pos >= len(vt) or vt[pos] in _CLAUSE_PUNCT or not _is_cjk(vt[pos]):
                return None
            noun = _startswith_any(vt, pos, self.raw["rank_nouns"])
            if noun is not None:
                return pos + len(noun)
        return None

    # ---- numbers

    def _build_number(self, m: re.Match[str]) -> tuple[_Cand | None, int]:
        """Everything that starts with a numeral, 百分之, a fraction or 數/幾."""
        vt = self.vt
        s, j = m.span()
        arabic = False
        vague = False
        vlow = vhigh = None
        pair: tuple[Decimal, Decimal] | None = None
        fixed_unit: _Unit | None = None
        tok = ""
        value: Decimal | None = None
        if m.group("pct") is not None:
            value = parse_decimal(m.group("pct"))
            fixed_unit = self.lex.units["%"]
            arabic = _is_arabic(m.group("pct"))
        elif m.group("permille") is not None:
            pm = parse_decimal(m.group("permille"))
            if pm is None:
                return None, m.end()
            value = pm / 10  # 千分之五 = 0.5%
            fixed_unit = self.lex.units["%"]
            arabic = _is_arabic(m.group("permille"))
        elif m.group("den") is not None:
            den = parse_decimal(m.group("den"))
            nom = parse_decimal(m.group("nom"))
            if den is None or nom is None or den == 0:
                return None, m.end()
            value = nom * 100 / den  # 三分之一 → 33.33…, 二分之一 → 50
            fixed_unit = self.lex.units["%"]
        elif m.group("vague") is not None:
            if s > 0 and vt[s - 1] in self.raw["vague_blocked_before"]:
                return None, m.start() + 1
            mag = _mag_of(m.group("vmag"))
            vague = True
            vlow, vhigh = 2 * mag, 9 * mag
        elif m.group("pair") is not None:
            p = m.group("pair")
            mag = _mag_of(m.group("pmag"))
            pair = (Decimal(_CN_VAL[p[0]]) * mag, Decimal(_CN_VAL[p[1]]) * mag)
        elif m.group("bare") is not None:
            tok = m.group("bare")
            value = _mag_of(tok)
        else:
            tok = m.group("num")
            value = parse_decimal(tok)
            if value is None:
                return None, m.end()
            arabic = _is_arabic(tok)
            if 2 <= len(tok) <= 3 and all(ch in _CN_DIGIT_ONLY for ch in tok):
                return None, m.end()  # 一一, 三五: not a numeral (pairs are matched above)
            # 數 after the number: 十幾年 → [11, 19]
            if j < len(vt) and vt[j] == "幾" and value % 10 == 0 and value > 0:
                vague = True
                step = Decimal(1) if value < 100 else value / 10
                vlow, vhigh = value + step, value + 9 * step
                value = None
                j += 1

        if self._excluded(s):
            return None, m.end()
        more = False
        half = False
        # 多/餘 before the unit: 十多年, 800餘項, 1萬多噸, 兩個多月
        if not vague and pair is None and fixed_unit is None and j < len(vt) and vt[j] in "多餘":
            u = self._unit_after_more(j + 1, arabic)
            if u is not None:
                more = True
                j += 1
                if j < len(vt) and vt[j] in _LARGE and value is not None:
                    value *= _LARGE[vt[j]]
                    j += 1
        unit: _Unit | None = fixed_unit
        unit_start = j
        if unit is None:
            if vt.startswith("個半", j) or vt.startswith("個多", j):
                u2 = self._match_unit_str("個" + vt[j + 2 : j + 8], arabic=arabic)
                if u2 is not None and u2.type == "duration":
                    if vt[j + 1] == "半":
                        half = True
                    else:
                        more = True
                    unit = u2
                    j += 1 + len(u2.surface)
                    unit_start = j - len(u2.surface) - 1
            if unit is None:
                unit = _match_unit(vt, j, arabic=arabic, vague=vague)
                if unit is not None:
                    j += len(unit.surface)
        if unit is None and j < len(vt) and vt[j].isascii() and vt[j].isalpha():
            return None, j  # the numeral runs on into Latin letters (5G, 3C): a name
        unit_surface = vt[unit_start:j] if unit is not None and fixed_unit is None else None
        if fixed_unit is not None:
            unit_surface = "分之" if m.group("den") is not None else "%"
        # 一成五 = 15%: a digit after 成 is the tenth
        if (
            unit is not None
            and unit.surface == "成"
            and value is not None
            and j < len(vt)
            and (vt[j] in _CN_VAL or vt[j] in "123456789")
            and (
                j + 1 >= len(vt)
                or (
                    vt[j + 1] not in _CN_NUM_CHARS
                    and not vt[j + 1].isdigit()
                    and vt[j + 1] not in ".%,"
                    and _match_unit(vt, j + 1, arabic=vt[j].isdigit(), vague=False) is None
                )
            )
        ):
            value += Decimal(_CN_VAL.get(vt[j]) or int(vt[j])) / 10
            j += 1
        # N年半, 一個半月 add a half
        if (
            unit is not None
            and unit.type == "duration"
            and not half
            and vt.startswith("半", j)
            and not _startswith_any(vt, j + 1, ["導", "島"])
        ):
            half = True
            j += 1
        if half and value is not None:
            value += Decimal("0.5")
        # 多/餘 after the unit: 3成多, 一年多
        if unit is not None and not more and not vague and j < len(vt) and vt[j] in "多餘":
            if not _startswith_any(vt, j + 1, self.raw["more_blocked_next"]) and not vt.startswith(
                "多數", j
            ):
                more = True
                j += 1

        # ranges: 六至七成, 15-25%, 10至20%, 2、3家, 60%與70%之間
        range_end: int | None = None
        low = high = None
        if not vague and pair is None and value is not None:
            r = self._range_tail(j, value, tok, unit, arabic)
            if r is not None:
                low, high, unit, range_end, unit_surface = r
                j = range_end
        if pair is not None:
            low, high = pair
        if pair is not None and unit is None:
            return None, j
        # dates and time spans are the time extractor's
        skip = self._time_rule(m, s, j, tok, value, unit, vague, arabic)
        if skip is not None:
            return None, skip
        # suffix hedges
        suffix_q: str | None = None
        suf = _startswith_any(vt, j, [k for k, _ in self.lex.suffix_hedges])
        if suf in self.raw["duration_only_suffixes"] and (unit is None or unit.type != "duration"):
            suf = None  # 3年內 is "within 3 years"; 3公里內 is a distance, not a bound
        if suf is not None and unit is not None and not (suf == "強" and unit.type != "percent"):
            suffix_q = dict(self.lex.suffix_hedges)[suf]
            j += len(suf)
        if low is not None and high is not None and vt.startswith("之間", j):
            j += 2
        # unitless numbers: only big round amounts (3.2萬億, 1,900) or table money cells
        if unit is None and low is None:
            if vague:
                return None, j
            table_cur = self._table_currency(s)
            if table_cur is not None and tok and any(ch in _LARGE for ch in tok):
                unit = _Unit(
                    surface="",
                    unit=table_cur,
                    type="money",
                    mult=Decimal(1),
                    arabic_only=False,
                    vague_only=False,
                )
            elif (
                tok and (any(ch in _LARGE for ch in tok) or re.search(r"\d,\d{3}", tok)) and arabic
            ):
                if re.fullmatch(r"\d{4}", tok):
                    return None, j
            else:
                return None, j

        typ = unit.type if unit is not None else "number"
        unit_norm = unit.unit if unit is not None else None
        if unit_norm == "LOCAL":
            unit_norm = self.lex.local_currency["taiwan" if self.taiwan else "other"]
        mult = unit.mult if unit is not None else Decimal(1)

        # prefix: currency words (新台幣10億元) then hedges
        start = s
        cur = self._currency_prefix(s)
        if cur is not None and (
            typ == "number"
            or unit_norm in ("TWD", "CNY", "USD")
            and unit is not None
            and unit.surface in ("元", "")
        ):
            word, code = cur
            start = s - len(word)
            typ, unit_norm = "money", code
            if unit_surface is None or unit_surface == "":
                unit_surface = word
        hs, prefix_q = self._prefix_hedge(start, percent=typ == "percent")
        if m.group("bare") is not None and prefix_q is None and s > 0 and vt[s - 1] == "上":
            hs, prefix_q = s - 1, "at_least"  # 上百家: "hundreds of", at least 100
        if prefix_q is not None:
            start = hs
            if self._excluded(start):
                return None, j
        cand = _Cand(typ, start, j, None, None, None, unit_norm, unit_surface, "exact")
        cand.prefix_hedged = prefix_q is not None
        cand.extra["arabic"] = arabic
        cand.extra["tok"] = tok
        if vague:
            assert vlow is not None and vhigh is not None
            cand.vague = True
            lo, hi = vlow * mult, vhigh * mult
            if suffix_q in ("at_least", "more_than"):
                cand.qualifier, cand.value, cand.low, cand.high = suffix_q, lo, lo, None
            else:
                cand.qualifier, cand.value, cand.low, cand.high = "range", None, lo, hi
            return self._accept(cand), j
        if low is not None and high is not None:
            cand.qualifier, cand.value, cand.low, cand.high = "range", None, low * mult, high * mult
            return self._accept(cand), j
        assert value is not None
        cand.value = value * mult
        quals = [q for q in (prefix_q, "more_than" if more else None, suffix_q) if q is not None]
        non_approx = [q for q in quals if q != "approx"]
        cand.qualifier = non_approx[0] if non_approx else ("approx" if quals else "exact")
        _set_bounds(cand)
        return self._accept(cand), j

    def _accept(self, cand: _Cand) -> _Cand | None:
        """Final trap filters on a finished candidate."""
        vt = self.vt
        tok = str(cand.extra.get("tok", ""))
        arabic = bool(cand.extra.get("arabic"))
        if cand.type == "count" and cand.qualifier == "range" and cand.high is not None:
            if (cand.vague or tok == "") and cand.high < 10:
                return None  # 幾家, 數個, 兩三家: "a few", as enumerative as 三家
        if cand.type == "count" and not cand.vague and cand.qualifier != "range":
            cn = tok != "" and not arabic
            if cn and cand.value == 1:
                return None  # 一艘, 一家: indefinite article
            if (
                cn
                and cand.value is not None
                and cand.value < 10
                and cand.qualifier == "exact"
                and cand.unit not in self.raw["small_count_exempt_units"]
            ):
                return None  # 三家企業, 兩大危機, 兩國: enumerative or relational
            surface = vt[cand.s : cand.e]
            if surface in self.raw["relational_counts"]:
                return None
        return cand

    def _unit_after_more(self, j: int, arabic: bool) -> _Unit | None:
        """Unit (or 萬/億 then unit) after a 多/餘 marker."""
        vt = self.vt
        k = j
        while k < len(vt) and vt[k] in _LARGE:
            k += 1
        if vt.startswith("個", k):
            u = self._match_unit_str(vt[k : k + 8], arabic=arabic)
            if u is not None:
                return u
        return _match_unit(vt, k, arabic=arabic, vague=True)

    def _match_unit_str(self, s: str, *, arabic: bool) -> _Unit | None:
        """Unit at the start of s (vague units allowed: used after 個)."""
        return _match_unit(s, 0, arabic=arabic, vague=True)

    def _range_tail(
        self, j: int, value: Decimal, tok: str, unit: _Unit | None, arabic: bool
    ) -> tuple[Decimal, Decimal, _Unit | None, int, str | None] | None:
        """Second half of a range starting at j, if there is one."""
        vt = self.vt
        seps = (
            list(self.raw["range_separators"]) + ["、"] + list(self.raw["range_between_separators"])
        )
        sep = _startswith_any(vt, j, seps)
        if sep is None:
            return None
        k = j + len(sep)
        hedge = _startswith_any(vt, k, ["約", "大約"])
        if hedge is not None:
            k += len(hedge)
        m2 = _NUM_RE.match(vt, k)
        if m2 is None:
            return None
        tok2 = m2.group()
        v2 = parse_decimal(tok2)
        if v2 is None:
            return None
        arabic2 = _is_arabic(tok2)
        k2 = m2.end()
        unit2 = _match_unit(vt, k2, arabic=arabic2, vague=False)
        unit_surface: str | None = None
        if unit2 is not None:
            k2 += len(unit2.surface)
            unit_surface = unit2.surface
        if unit is not None and unit2 is not None and unit.unit != unit2.unit:
            return None
        if unit is None and unit2 is None:
            return None
        if sep in self.raw["range_between_separators"] and not vt.startswith("之間", k2):
            return None
        if sep == "、" and (unit is not None or not (0 < v2 - value <= 2)):
            return None
        lo = value
        if tok and not any(ch in _LARGE for ch in tok):
            mag = _trailing_magnitude(tok2)
            if mag > 1 and value * mag <= v2:
                lo = value * mag  # 2至3萬噸 → 20000–30000
        if lo >= v2:
            return None
        u = unit if unit is not None else unit2
        if unit is not None:
            unit_surface = unit.surface if unit_surface is None else unit_surface
        if (
            u is not None
            and u.type == "duration"
            and (_year_like(tok, value) or _year_like(tok2, v2))
        ):
            return None
        return lo, v2, u, k2, unit_surface

    def _time_rule(
        self,
        m: re.Match[str],
        s: int,
        j: int,
        tok: str,
        value: Decimal | None,
        unit: _Unit | None,
        vague: bool,
        arabic: bool,
    ) -> int | None:
        """Where to resume if this is a date or a time span, else None."""
        vt = self.vt
        # any 4-digit year followed (possibly after a range) by 年 is a date
        if tok and value is not None and _year_like(tok, value):
            k = m.end()
            # Matched in place: slicing vt[k:] copied the rest of the text on every year.
            r = _YEAR_TAIL.match(vt, k)
            if r is not None:
                return r.end()
            if unit is None:
                return None
        if unit is None or unit.type != "duration":
            if (
                unit is None
                and tok
                and re.match(r"[月日]", vt[m.end() : m.end() + 1])
                and not vague
            ):
                return m.end() + 1
            return None
        prefix = _endswith_any(vt, s, self.raw["time_prefixes"])
        if prefix is None and tok in ("一", "1"):
            # 上一年, 下一季: "the previous/next", not a length of time
            prefix = _endswith_any(vt, s, self.raw["time_prefixes_before_one"])
        if prefix is not None:
            # 近 is also a hedge, but 近十年 is a time span (the last ten years)
            return j
        if _endswith_any(vt, s, self.raw["date_prefixes"]) is not None:
            return j
        if vague:
            if _endswith_any(vt, s, self.raw["vague_time_prefixes"]) is not None:
                return j  # 之後數年, 短短數年: a vague time window, not a figure
            if _startswith_any(vt, j, ["以來", "來"]) is not None:
                return j  # 數百年以來: "for centuries", a time span
            return None
        if unit.unit == "year":
            if _startswith_any(vt, j, self.raw["time_suffixes_after_year"]) is not None:
                return j
            if re.match(r"\d{1,2}月|[一二三四五六七八九十]{1,2}月", vt[j : j + 3]):
                return j
            if (
                self.taiwan
                and arabic
                and value is not None
                and 60 <= value <= 150
                and re.match(r"[度底初]", vt[j : j + 1])
            ):
                return j
        elif _startswith_any(vt, j, self.raw["time_suffixes_after_other"]) is not None:
            return j
        return None

    def _prefix_hedge(self, s: int, *, percent: bool) -> tuple[int, str | None]:
        """Hedge before view position s: adjacent, after a filler (約需要), or 不到…的N%."""
        vt = self.vt
        k = s
        emph = _endswith_any(vt, k, self.lex.emphatic)
        cands = [k] if emph is None else [k, k - len(emph)]
        for pos in cands:
            h = self._hedge_ending_at(pos)
            if h is not None:
                return h
        for filler in self.raw["gap_fillers"]:
            if k - len(filler) < 0 or not vt.startswith(filler, k - len(filler)):
                continue
            pos = k - len(filler)
            w = _endswith_any(vt, pos, self.raw["gap_hedges"])
            if w is not None:
                h = self._hedge_ending_at(pos)
                if h is not None:
                    return h
        if percent and k > 0 and vt[k - 1] == "的":
            sent = _sentence_start(self.bounds, k)
            lo = max(sent, k - int(self.raw["of_gap_max"]))
            seg = vt[lo:k]
            best: tuple[int, str] | None = None
            for w in self.raw["of_hedges"]:
                idx = seg.rfind(w)
                if idx < 0:
                    continue
                between = seg[idx + len(w) : -1]
                if not between or any(ch in _CLAUSE_PUNCT or ch == "%" for ch in between):
                    continue
                if re.search(r"至|到|的.*的", between):
                    continue
                pos = lo + idx
                if best is None or pos > best[0]:
                    best = (pos, self.raw["prefix_hedges"].get(w, "more_than"))
            if best is not None:
                return best
        return s, None

    def _hedge_ending_at(self, k: int) -> tuple[int, str] | None:
        """A prefix hedge word ending exactly at k (word-boundary checks for 約 and 近)."""
        vt = self.vt
        hedges = self.lex.prefix_hedges
        by_last = _hedges_by_last()
        if by_last is not None and 0 < k <= len(vt):
            # Only hedges ending with vt[k - 1] can end at k (same order as the lexicon).
            hedges = by_last.get(vt[k - 1], ())
        for word, qual in hedges:
            b = k - len(word)
            if b < 0 or not vt.startswith(word, b):
                continue
            if word == "約" and b > 0 and vt[b - 1] in self.raw["approx_blocked_before"]:
                continue
            if word == "近" and b > 0 and vt[b - 1] in self.raw["near_blocked_before"]:
                continue
            if word in (">", "<") and b > 0 and vt[b - 1] in ">-=<":
                continue
            return b, qual
        return None

    def _currency_prefix(self, s: int) -> tuple[str, str] | None:
        """Currency word or symbol right before the number (新台幣 10億元, US$5)."""
        for word, code in self.lex.currency_prefixes:
            if s - len(word) >= 0 and self.vt.startswith(word, s - len(word)):
                return word, code
        return None

    def _table_currency(self, s: int) -> str | None:
        """Currency declared in the header of the tab-separated table holding s."""
        vt = self.vt
        line_start = vt.rfind("\n", 0, s) + 1
        line_end = vt.find("\n", s)
        line = vt[line_start : line_end if line_end >= 0 else len(vt)]
        if "\t" not in line:
            return None
        header = line
        pos = line_start
        while pos > 0:
            prev_start = vt.rfind("\n", 0, pos - 1) + 1
            prev = vt[prev_start : pos - 1]
            if "\t" not in prev:
                break
            header, pos = prev, prev_start
        for m in re.finditer(r"[（(]([^（()）]{1,12})[）)]|單位[：:]\s*(\S{1,8})", header):
            inner = m.group(1) or m.group(2) or ""
            for word, code in self.lex.table_currency:
                if word in inner:
                    return code
        return None

    # ---- post-processing

    def _post(self) -> None:
        """Per-rates, list scopes of hedges and parenthetical equivalents."""
        vt = self.vt
        cands = sorted(self.out, key=lambda c: (c.s, c.e))
        self.out = cands
        for c in cands:
            if c.type in ("measure", "money", "count"):
                c.per = self._per(c)
        next_list = 0
        for a, b in zip(cands, cands[1:], strict=False):
            between = vt[a.e : b.s]
            # parenthetical conversion: 6600億日圓（約1310億台幣）
            if (
                between in ("(", "（")
                and b.e < len(vt)
                and vt[b.e] in ")）"
                and a.type not in ("ordinal", "duration")
                and b.type not in ("ordinal", "duration")
            ):
                b.equivalent_of = -1 - cands.index(a)  # resolved to a list index in _finish
                continue
            # a prefix hedge scoping over a list: 約八成的A及五成的B
            if (
                (a.prefix_hedged or a.list_id is not None)
                and a.qualifier not in ("range", "exact")
                and not a.vague
                and b.qualifier == "exact"
                and b.type == a.type
                and b.unit == a.unit
                and len(between) <= int(self.raw["list_gap_max"])
                and not any(ch in _CLAUSE_PUNCT.replace("、", "") for ch in between)
                and not re.search(r"\d", between)
                and any(w in between for w in self.raw["list_conjunctions"])
                and not any(w in between for w in self.raw["list_blockers"])
            ):
                if a.list_id is None:
                    a.list_id = next_list
                    next_list += 1
                b.list_id = a.list_id
                b.qualifier = a.qualifier
                _set_bounds(b)

    def _per(self, c: _Cand) -> str | None:
        """'year' for annual rates (每年, 年產, 的年產能), likewise month/day."""
        vt = self.vt
        sent = _sentence_start(self.bounds, c.s)
        lo = max(sent, c.s - int(self.raw["per_lookback"]))
        window = vt[lo : c.s]
        blocked = self.raw["per_year_blocked_before"]
        best: tuple[int, str] | None = None
        for word, per in self.lex.per_triggers:
            if word not in window:  # most triggers are absent: skip building a regex
                continue
            for m in re.finditer(re.escape(word), window):
                if word[0] in "年月日" and m.start() > 0 and window[m.start() - 1] in blocked:
                    continue
                if word[0] in "年月日" and m.start() == 0 and lo > 0 and vt[lo - 1] in blocked:
                    continue
                if best is None or m.start() > best[0]:
                    best = (m.start(), per)
        if best is not None:
            return best[1]
        for word, per in self.lex.per_after:
            if vt.startswith(word, c.e):
                return per
        return None

    def _finish(self) -> list[Quantity]:
        """Map to original offsets, resolve equivalent_of indices, sort."""
        out: list[Quantity] = []
        index_of: dict[int, int] = {}
        for i, c in enumerate(self.out):
            a, b = self.view.span(c.s, c.e)
            index_of[i] = len(out)
            out.append(
                Quantity(
                    type=c.type,
                    surface=self.text[a:b],
                    start=a,
                    end=b,
                    value=_f(c.value),
                    low=_f(c.low),
                    high=_f(c.high),
                    unit=c.unit,
                    unit_surface=c.unit_surface,
                    qualifier=c.qualifier,
                    vague=c.vague,
                    per=c.per,
                    equivalent_of=c.equivalent_of,
                    list_id=c.list_id,
                )
            )
        for q in out:
            if q.equivalent_of is not None and q.equivalent_of < 0:
                q.equivalent_of = index_of[-1 - q.equivalent_of]
        return out


def _f(x: Decimal | None) -> float | None:
    """Decimal to float (None stays None)."""
    return None if x is None else float(x)


def _set_bounds(c: _Cand) -> None:
    """Interval implied by the qualifier around the stated value."""
    v = c.value
    q = c.qualifier
    if q in ("exact", "approx"):
        c.low, c.high = v, v
    elif q in ("more_than", "at_least"):
        c.low, c.high = v, None
    elif q in ("nearly", "at_most", "less_than"):
        c.low, c.high = None, v


def extract_quantities(
    text: str, *, exclude: Sequence[tuple[int, int]] = (), taiwan: bool = True
) -> list[Quantity]:
    """All quantities of ``text`` sorted by start; none may start inside ``exclude`` spans."""
    if not text:
        return []
    return _Extractor(text, exclude, taiwan).run()


def extract_quantities_dicts(
    text: str, *, exclude: Sequence[tuple[int, int]] = (), taiwan: bool = True
) -> list[dict[str, Any]]:
    """``extract_quantities`` as plain dicts."""
    return [q.to_dict() for q in extract_quantities(text, exclude=exclude, taiwan=taiwan)]
