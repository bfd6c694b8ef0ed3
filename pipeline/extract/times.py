"""Time expressions in Traditional-Chinese news text, resolved to ISO values.

``extract_times(text, reference_date)`` finds absolute dates (2026年1月12日, 2026/01/12,
二〇一〇年, 民國113年), partial dates (1月6日, 12日, 2月中, 年底, 第三季), periods
(2019-2022年, 11月至12月, 1990年代, 20世紀80年代, 冷戰時期) and relative expressions
(今年, 去年, 15年前, 過去15年, 未來十年, 同年) and resolves them against the reference
(publication) date or an antecedent in the text.

Value conventions (ISO 8601 style strings, ``None`` when unresolved):

* day ``2026-01-12``; month ``2025-10``; year ``2010``; quarter ``2025-Q3``; half
  ``2025-H1``; ISO week ``2026-W02``; intervals ``A/B`` (``2019/2022``,
  ``2025-11/2025-12``); decades ``1990/1999``.
* 年底/年末 -> ``YYYY-12``, 年初 -> ``YYYY-01``, 年中 -> ``YYYY-06`` (``part`` says which);
  月底/月中/上旬… -> ``YYYY-MM`` with ``part``.
* Century N spans (N-1)*100+1 .. N*100; 世紀初 = first decade (二十一世紀初 -> 2001/2010),
  世紀末 = last decade written as the "(N-1)90s" (20世紀末 -> 1990/1999), 世紀中 ->
  (N-1)*100+41 .. (N-1)*100+60; N世紀以來 -> century start .. reference year.
* 近年/近年來 -> the last five years up to the reference year, flagged ``vague``.

``granularity`` is one of: day, part-of-month, month, week, quarter, half, part-of-year,
year, decade, part-of-century, century, interval, era.
``basis``: explicit (fully written), publication (needs the reference date), inferred
(year or month taken from context or an antecedent, or the year of a month-day guessed
from the reference date), unresolved (needed context that is missing: value is None).
``kind``: point (a calendar unit) or period (an interval, decade, century or era).
``relative`` marks deictic or anaphoric expressions (今年, 15年前, 同年, bare 12日).

Bare month-days and months take the year that puts them between ten months before and two
months after the reference month (11月7日 read on 2026-01-14 is 2025-11-07, 2月中 is
2026-02); a bare day is in the reference month when it is not after the reference day,
else in the previous month. An explicit year (or 今年) earlier in the same sentence wins
over both; a deictic 今年 that only anchors a later month is folded into it (not emitted).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from pipeline.extract.numerals import parse_number
from pipeline.extract.prefilter import with_first_char_guard
from pipeline.records import Record

_DATA = Path(__file__).resolve().parent.parent / "data" / "time_lexicon.json"

GRANULARITIES = (
    "day",
    "part-of-month",
    "month",
    "week",
    "quarter",
    "half",
    "part-of-year",
    "year",
    "decade",
    "part-of-century",
    "century",
    "interval",
    "era",
)
BASES = ("explicit", "publication", "inferred", "unresolved")
MIN_YEAR, MAX_YEAR = 1000, 2200


@dataclass(kw_only=True)
class TimeExpr(Record):
    """One time expression with its resolved ISO value."""

    SCHEMA: ClassVar[str] = "time/1"
    type: str = "time"
    surface: str
    start: int
    end: int
    value: str | None
    granularity: str
    basis: str
    kind: str = "point"
    relative: bool = False
    # what a relative value was resolved against: the reference date or the antecedent value
    anchor: str | None = None
    clock: str | None = None
    fiscal: bool = False
    part: str | None = None  # early / mid / late for 年初, 月底, 世紀末 ...
    modifier: str | None = None  # since / after / before / until / approx (text around it)
    approximate: bool = False
    vague: bool = False


# --------------------------------------------------------------------------- lexicon


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    """The time lexicon (data file), loaded once."""
    data: dict[str, Any] = json.loads(_DATA.read_text(encoding="utf-8"))
    return data


def _alt(words: Any) -> str:
    """Regex alternation of words, longest first so 大前年 wins over 前年."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


# --------------------------------------------------------------------------- patterns

_SP = r"[ \u00a0\u3000]?"
_YNUM = r"[12][0-9]{3}"
_YCN = r"[〇○零一二三四五六七八九]{4}"
_MON = r"(?:1[0-2]|0?[1-9]|十[一二]|十|[一二三四五六七八九]|元)"
_DAY = (
    r"(?:3[01]|[12][0-9]|0?[1-9]|三十一|三十|二十[一二三四五六七八九]?"
    r"|十[一二三四五六七八九]?|[一二三四五六七八九])"
)
_NUM = r"(?:[0-9]{1,3}|[一二三四五六七八九十兩百]{1,4})"
_QN = r"[1-4一二三四]"
# a number run must not continue a longer number or a code (2,025 · 12.5 · 2805.30)
_NB = r"(?<![0-9.])(?<![0-9][,:/\-])"
_CLOCK = rf"(?:{_SP}(?P<clock>[0-2]?[0-9][:：][0-5][0-9](?:[:：][0-5][0-9])?))?"
_MPART = r"(?P<mpart>底|末|下旬|初|上旬|中旬|中)"
_YSUFFIX = (
    rf"(?P<ysuf>年底|年末|年初|年中|底|末|初|中|上半年|下半年|上半|下半"
    rf"|第{_SP}(?P<q>{_QN}){_SP}季度?|[Qq](?P<q2>[1-4])|前{_SP}(?P<qn>[2-4二三四]){_SP}季度?"
    rf"|前{_SP}(?P<fm>1[01]|[2-9]|十一|十|[二三四五六七八九]){_SP}個?月|度|前後)"
)


def _year_part(roc_years: bool) -> str:
    """Regex for the year part: 2026年, 二〇一〇年, 民國113年, 今年, 同年 (and 113年 for ROC text)."""
    lex = _lexicon()
    rel = _alt(list(lex["deictic_years"]) + list(lex["anaphoric_years"]))
    roc_bare = (
        rf"|{_NB}(?<![0-9])(?P<rocb>[0-9]{{2,3}}){_SP}年(?![代前來間內多餘])" if roc_years else ""
    )
    return (
        rf"(?:{_NB}(?<![0-9])(?P<y>{_YNUM}|{_YCN}){_SP}年(?!代)"
        rf"|(?P<roc>民國|民国){_SP}(?P<rocn>[0-9]{{1,3}}|[一二三四五六七八九十百〇零]{{1,5}}){_SP}年"
        rf"{roc_bare}"
        rf"|(?P<ry>{rel})(?![齡紀級]))"
    )


@lru_cache(maxsize=2)
def _patterns(roc_years: bool) -> list[tuple[str, re.Pattern[str]]]:
    """Compiled (form, regex) pairs, in priority order for equal-length ties."""
    lex = _lexicon()
    yp = _year_part(roc_years)
    mpre = r"(?<![0-9.,〇一二三四五六七八九十百千萬億兩個每第數幾上下本])"
    day_block = _alt(lex["day_blockers"])
    rel_month = _alt(list(lex["deictic_months"]) + list(lex["anaphoric_months"]))
    rel_week = _alt(lex["deictic_weeks"])
    rel_day = _alt(lex["deictic_days"])
    vague = _alt(lex["vague_recent"])
    era_terms: list[str] = []
    for era in lex["eras"]:
        era_terms.extend(era["terms"])
    holders = sorted({h for era in lex["eras"] for h in era.get("holders", [])})
    pats = [
        ("ymd", rf"{yp}{_SP}(?:的{_SP})?(?P<m>{_MON}){_SP}月{_SP}(?P<d>{_DAY}){_SP}[日號]{_CLOCK}"),
        (
            "ymd_num",
            rf"{_NB}(?<![0-9])(?P<y>{_YNUM})(?P<sep>[/.\-])(?P<m>1[0-2]|0?[1-9])(?P=sep)"
            rf"(?P<d>3[01]|[12][0-9]|0?[1-9])(?![0-9./\-]){_CLOCK}",
        ),
        (
            "ym_list",
            rf"(?:{yp}{_SP}(?:的{_SP})?)?{mpre}(?P<m>{_MON}){_SP}(?P<msep>[、和與及至到~～\-–]){_SP}"
            rf"(?P<m2>{_MON}){_SP}月",
        ),
        (
            "md_range",
            rf"(?:{yp}{_SP}(?:的{_SP})?)?{mpre}(?P<m>{_MON}){_SP}月{_SP}(?P<d>{_DAY}){_SP}(?:日{_SP})?"
            rf"[至到~～\-–、]{_SP}(?P<d2>{_DAY}){_SP}日",
        ),
        ("ym", rf"{yp}{_SP}(?:的{_SP})?(?P<m>{_MON}){_SP}月(?:份)?{_MPART}?"),
        ("md", rf"{mpre}(?P<m>{_MON}){_SP}月{_SP}(?P<d>{_DAY}){_SP}[日號]{_CLOCK}"),
        ("m", rf"{mpre}(?P<m>{_MON}){_SP}月(?:份)?{_MPART}?"),
        (
            "d",
            rf"(?<![0-9.第每數幾個約近逾])(?<![0-9][,:/\-])(?P<d>3[01]|[12][0-9]|0?[1-9]){_SP}日(?!{day_block})",
        ),
        (
            "yrange",
            rf"{_NB}(?<![0-9])(?P<y1>{_YNUM})(?:{_SP}年)?{_SP}(?:[-–—~～至到/]|、){_SP}"
            rf"(?P<y2>{_YNUM}){_SP}年(?!代)",
        ),
        ("y", rf"{yp}(?:{_SP}{_YSUFFIX})?"),
        ("fiscal", rf"{_NB}(?<![0-9])(?P<y>{_YNUM}){_SP}財年|(?<![A-Za-z])FY{_SP}(?P<fy>{_YNUM})"),
        (
            "decade",
            rf"(?:(?:(?P<c>[0-9]{{1,2}}|[一二]?十[一二三四五六七八九]?|[一二三四五六七八九]){_SP}世紀{_SP}"
            rf"|(?P<prev>上){_SP}世紀{_SP})?{_NB}(?<![0-9])(?P<dd>[1-9]0|[一二三四五六七八九]十){_SP}年代"
            rf"|{_NB}(?<![0-9])(?P<y>[12][0-9]{{2}}0){_SP}年代)"
            rf"(?P<dpart>初期|初|中期|中葉|末期|末|後期)?",
        ),
        (
            "century",
            rf"(?<![0-9])(?P<c>[0-9]{{1,2}}|[一二]?十[一二三四五六七八九]?|[一二三四五六七八九]){_SP}世紀"
            r"(?P<cpart>初期|初|末期|末|中葉|中期|以來)?",
        ),
        (
            "ago",
            rf"{_NB}(?<![0-9])(?P<n>{_NUM})(?P<more>多|餘)?{_SP}(?P<unit>年|個月|週|周|天|日){_SP}前(?!夕|後)",
        ),
        (
            "past",
            rf"(?:過去|近|最近|這){_SP}(?P<n>{_NUM})(?P<more>多|餘)?{_SP}(?P<unit>年|個月)(?P<suf>以來|來|間)?",
        ),
        ("since_n", rf"{_NB}(?<![0-9])(?P<n>{_NUM})(?P<more>多|餘)?{_SP}年(?:以來|來)"),
        ("future", rf"未來{_SP}(?P<n>{_NUM}){_SP}(?P<unit>年|個月)(?:內|間)?"),
        ("rmonth", rf"(?P<rm>{rel_month}){_MPART}?"),
        ("rweek", rf"(?P<rw>{rel_week})(?P<wd>[一二三四五六日天](?![0-9一二三四五六七八九十]))?"),
        ("rday", rf"(?P<rd>{rel_day})(?!{_alt(lex['day_word_blockers'])})"),
        # news-agency style 今（18）日 / 昨(17)日: the day number is written out
        ("pday", r"(?:今|昨|前|明)[（(](?P<d>3[01]|[12][0-9]|0?[1-9])[）)]日"),
        ("rquarter", rf"(?P<rq>{_alt(lex['deictic_quarters'])})度?"),
        ("vague", rf"(?P<vg>{vague})"),
        (
            "bare_part",
            rf"(?<![0-9〇一二三四五六七八九十年月今去明前後本同當該])(?P<bp>年底|年末|年初|上半年|下半年|月底|月初|月中|上旬|中旬|下旬"
            rf"|第{_SP}(?P<q>{_QN}){_SP}季度?|前{_SP}(?P<qn>[2-4二三四]){_SP}季度?)",
        ),
        (
            "era",
            rf"(?<![{lex['era_blockers']['before']}])(?:(?P<holder>{_alt(holders)})(?:的)?)?"
            rf"(?P<era>{_alt(era_terms)})(?![{lex['era_blockers']['after']}])",
        ),
    ]
    # The guard makes the scan skip positions no match can start at (same matches).
    return [(name, with_first_char_guard(re.compile(p))) for name, p in pats]


# --------------------------------------------------------------------------- candidates


@dataclass
class _Cand:
    """A matched span before resolution."""

    start: int
    end: int
    form: str
    prio: int
    y: int | None = None
    yrel: tuple[str, int] | None = None  # ("deictic" | "anaphoric", offset in years)
    m: int | None = None
    m2: int | None = None
    d: int | None = None
    mrel: tuple[str, int] | None = None
    part: str | None = None
    ypart_month: int | None = None
    mpart: bool = False
    quarter: int | None = None
    quarters_to: int | None = None  # 前三季 -> Q1..Q3
    half: int | None = None
    fiscal: bool = False
    clock: str | None = None
    fixed: tuple[str | None, str, str] | None = None  # value, granularity, basis
    rel_span: tuple[str, int, int] | None = None  # unit, lo, hi offsets from the reference
    ago: tuple[str, int] | None = None
    week: int | None = None
    day_offset: int | None = None
    approximate: bool = False
    vague: bool = False
    relative: bool = False
    kind: str = "point"
    extra: dict[str, Any] = field(default_factory=dict)


_FW = str.maketrans("０１２３４５６７８９：／－．", "0123456789:/-.")


def _int(s: str | None) -> int | None:
    """Integer value of a numeral (Arabic or Chinese); 元 (元月) is 1."""
    if s is None:
        return None
    s = s.strip()
    if s == "元":
        return 1
    v = parse_number(s)
    if v is None or v != int(v):
        return None
    return int(v)


def _month(s: str | None) -> int | None:
    """Month number 1-12, else None."""
    v = _int(s)
    return v if v is not None and 1 <= v <= 12 else None


def _day(s: str | None) -> int | None:
    """Day number 1-31, else None."""
    v = _int(s)
    return v if v is not None and 1 <= v <= 31 else None


def _year_of(g: dict[str, str | None], c: _Cand, text: str) -> bool:
    """Fill the year of ``c`` from a year-part match; False when the year is implausible."""
    lex = _lexicon()
    if g.get("y"):
        y = _int(g["y"])
        if y is None or not MIN_YEAR <= y <= MAX_YEAR:
            return False
        c.y = y
    elif g.get("rocn") or g.get("rocb"):
        n = _int(g.get("rocn") or g.get("rocb"))
        if n is None or not 1 <= n <= 200:
            return False
        # a bare 15年 is a duration even in government text; ROC years there are 50+ (1961+)
        if g.get("rocb") and (n < 50 or _duration_before(text, c.start)):
            return False
        c.y = n + 1911
    elif g.get("ry"):
        word = g["ry"] or ""
        if word in lex["deictic_years"]:
            c.yrel = ("deictic", int(lex["deictic_years"][word]))
        else:
            c.yrel = ("anaphoric", int(lex["anaphoric_years"][word]))
        c.relative = True
    return True


def _quarter_or_part(g: dict[str, str | None], c: _Cand, suffix: str | None) -> None:
    """Apply a year suffix (年底, 上半年, 第三季, 度, 前後) to ``c``."""
    lex = _lexicon()
    if not suffix:
        return
    suffix = suffix.replace(" ", "").replace("\u00a0", "").replace("\u3000", "")
    if suffix in ("度",):
        c.fiscal = True
    elif suffix == "前後":
        c.approximate = True
        c.extra["modifier"] = "approx"
    elif suffix in ("上半年", "上半"):
        c.half = 1
    elif suffix in ("下半年", "下半"):
        c.half = 2
    elif g.get("q") or g.get("q2"):
        c.quarter = _int(g.get("q") or g.get("q2"))
    elif g.get("fm"):
        c.m, c.m2 = 1, _month(g["fm"])
        c.kind = "period"
    elif g.get("qn"):
        c.quarter = 1
        c.quarters_to = _int(g["qn"])
    else:
        key = suffix if suffix.startswith("年") else "年" + suffix
        part, month = lex["year_parts"][key]
        c.part = part
        c.ypart_month = int(month)


def _mpart(c: _Cand, s: str | None) -> None:
    """Apply a month part (底, 中旬, 初) to ``c``."""
    if s:
        c.part = _lexicon()["month_parts"][s]
        c.mpart = True


def _bad_mid(text: str, end: int) -> bool:
    """月中/年中 followed by 國, 方, 日 ... is 月 + 中國 etc., not 'mid-month'."""
    return end < len(text) and text[end] in _lexicon()["mid_blockers"]


def _in_quote_title(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """True inside a 《book/law title》 (2021財年國防授權法 names a law, not a date)."""
    return any(a < start and end <= b for a, b in spans)


def _duration_before(text: str, start: int) -> bool:
    """A duration verb or hedge right before a number (耗時, 長達, 約 ...)."""
    head = text[max(0, start - 3) : start]
    return any(head.endswith(p) for p in _lexicon()["duration_prefixes"])


def _candidates(text: str, roc_years: bool) -> Iterator[_Cand]:
    """All pattern matches turned into candidates (overlapping; selection comes later)."""
    lex = _lexicon()
    titles = [(m.start(), m.end()) for m in re.finditer(r"[《〈][^《》〈〉\n]{1,80}[》〉]", text)]
    for prio, (form, rx) in enumerate(_patterns(roc_years)):
        for mt in rx.finditer(text):
            if mt.end() == mt.start():
                continue
            c = _Cand(mt.start(), mt.end(), form, prio)
            if _in_quote_title(titles, c.start, c.end):
                continue
            g = mt.groupdict()
            if not _fill(form, g, c, text, lex):
                continue
            yield c


def _fill(form: str, g: dict[str, Any], c: _Cand, text: str, lex: dict[str, Any]) -> bool:
    """Interpret one match; False rejects it."""
    if form in ("ymd", "ymd_num", "md"):
        if form != "md" and not _year_of(g, c, text):
            return False
        if form == "ymd_num":
            c.y = _int(g["y"])
            if c.y is None or not MIN_YEAR <= c.y <= MAX_YEAR:
                return False
        c.m, c.d = _month(g["m"]), _day(g["d"])
        if c.m is None or c.d is None:
            return False
        if g.get("clock"):
            c.clock = _clock(g["clock"])
        if form == "md":
            c.relative = True
        return True
    if form == "md_range":
        if (g.get("y") or g.get("ry") or g.get("rocn")) and not _year_of(g, c, text):
            return False
        c.m, c.d, d2 = _month(g["m"]), _day(g["d"]), _day(g["d2"])
        if c.m is None or c.d is None or d2 is None or d2 <= c.d:
            return False
        c.extra["d2"] = d2
        c.kind = "period"
        c.relative = c.y is None
        return True
    if form == "ym_list":
        if (g.get("y") or g.get("ry") or g.get("rocn")) and not _year_of(g, c, text):
            return False
        c.m, c.m2 = _month(g["m"]), _month(g["m2"])
        if c.m is None or c.m2 is None or c.m2 <= c.m:
            return False
        if g["msep"] in "、和與及" and c.m2 != c.m + 1:
            return False  # 1、3月 lists two months; only neighbours read as one span
        c.kind = "period"
        return True
    if form in ("ym", "m"):
        if form == "ym" and not _year_of(g, c, text):
            return False
        c.m = _month(g["m"])
        if c.m is None:
            return False
        if g.get("mpart") == "中" and _bad_mid(text, c.end):
            c.end -= 1
            g["mpart"] = None
        _mpart(c, g.get("mpart"))
        if form == "m":
            c.relative = True
            # a Chinese-numeral month alone is too ambiguous (一月一次, 十月懷胎) unless 元月
            if not re.match(r"[0-9元]", g["m"]) and g["m"] not in ("十一", "十二"):
                if _duration_before(text, c.start):
                    return False
        return True
    if form == "d":
        c.d = _day(g["d"])
        c.relative = True
        head = text[max(0, c.start - 8) : c.start]
        head = re.split(r"[。！？!?\n，,；;]", head)[-1]
        c.extra["future"] = any(cue in head for cue in lex["future_cues"])
        return c.d is not None and not _duration_before(text, c.start)
    if form == "yrange":
        y1, y2 = _int(g["y1"]), _int(g["y2"])
        if y1 is None or y2 is None or not (MIN_YEAR <= y1 < y2 <= MAX_YEAR):
            return False
        c.fixed = (f"{y1}/{y2}", "interval", "explicit")
        c.kind = "period"
        return True
    if form == "y":
        if not _year_of(g, c, text):
            return False
        suffix = g.get("ysuf")
        if suffix and suffix.endswith("中") and suffix in ("中", "年中") and _bad_mid(text, c.end):
            c.end -= len(suffix)
            suffix = None
        if c.y is not None and c.y < 1900 and _duration_before(text, c.start):
            return False
        _quarter_or_part(g, c, suffix)
        return True
    if form == "fiscal":
        c.y = _int(g.get("y") or g.get("fy"))
        c.fiscal = True
        return c.y is not None and MIN_YEAR <= c.y <= MAX_YEAR
    if form == "decade":
        return _fill_decade(g, c)
    if form == "century":
        return _fill_century(g, c)
    if form in ("ago", "past", "since_n", "future"):
        return _fill_relspan(form, g, c, text)
    if form == "rmonth":
        word = g["rm"]
        if word in lex["deictic_months"]:
            c.mrel = ("deictic", int(lex["deictic_months"][word]))
        else:
            c.mrel = ("anaphoric", int(lex["anaphoric_months"][word]))
        if g.get("mpart") == "中" and _bad_mid(text, c.end):
            c.end -= 1
            g["mpart"] = None
        _mpart(c, g.get("mpart"))
        c.relative = True
        return True
    if form == "rweek":
        c.week = int(lex["deictic_weeks"][g["rw"]])
        if g.get("wd"):
            c.extra["weekday"] = "一二三四五六".find(g["wd"]) + 1 or 7
        c.relative = True
        return True
    if form == "pday":
        c.d = _day(g["d"])
        c.relative = True
        c.extra["future"] = text[c.start] == "明"
        return c.d is not None
    if form == "rquarter":
        c.extra["qrel"] = int(lex["deictic_quarters"][g["rq"]])
        c.relative = True
        return True
    if form == "rday":
        c.day_offset = int(lex["deictic_days"][g["rd"]])
        c.relative = True
        return True
    if form == "vague":
        span = int(lex["vague_recent_span_years"])
        c.rel_span = ("year", -span, 0)
        c.vague = c.relative = True
        c.kind = "period"
        return True
    if form == "bare_part":
        bp = g["bp"].replace(" ", "")
        if bp.startswith("月"):
            c.part = lex["month_parts"][bp[1:]]
            c.mpart = True
            c.mrel = ("context", 0)
        elif bp in ("上旬", "中旬", "下旬"):
            c.part = lex["month_parts"][bp]
            c.mpart = True
            c.mrel = ("context", 0)
        else:
            _quarter_or_part(g, c, bp)
        c.relative = True
        return True
    if form == "era":
        return _fill_era(g, c, lex)
    return False


def _clock(s: str) -> str:
    """Normalise a clock time to HH:MM:SS."""
    parts = [int(p) for p in re.split(r"[:：]", s)]
    while len(parts) < 3:
        parts.append(0)
    return "{:02d}:{:02d}:{:02d}".format(*parts)


def _fill_decade(g: dict[str, Any], c: _Cand) -> bool:
    """1990年代, 20世紀80年代, 上世紀80年代, bare 80年代 (read as the 1900s)."""
    c.kind = "period"
    part = (g.get("dpart") or "").rstrip("期葉")
    # 1980年代中期: the value stays the decade; ``part`` narrows it
    c.part = {"初": "early", "中": "mid", "末": "late", "後": "late"}.get(part)
    if g.get("y"):
        y = _int(g["y"])
        if y is None or not MIN_YEAR <= y <= MAX_YEAR:
            return False
        c.fixed = (f"{y}/{y + 9}", "decade", "explicit")
        return True
    dd = _int(g.get("dd"))
    if dd is None or dd % 10 or not 10 <= dd <= 90:
        return False
    if g.get("c"):
        cent = _int(g["c"])
        if cent is None or not 11 <= cent <= 22:
            return False
        base, basis = (cent - 1) * 100, "explicit"
    else:
        # 上世紀 / a bare 80年代: the twentieth century is the only sensible reading today
        base, basis = 1900, "inferred"
    c.fixed = (f"{base + dd}/{base + dd + 9}", "decade", basis)
    return True


def _fill_century(g: dict[str, Any], c: _Cand) -> bool:
    """N世紀 with 初/末/中葉/以來."""
    cent = _int(g["c"])
    if cent is None or not 11 <= cent <= 22:
        return False
    base = (cent - 1) * 100
    part = (g.get("cpart") or "").rstrip("期")
    c.kind = "period"
    if part == "初":
        c.fixed = (f"{base + 1}/{base + 10}", "part-of-century", "explicit")
        c.part = "early"
    elif part == "末":
        c.fixed = (f"{base + 90}/{base + 99}", "part-of-century", "explicit")
        c.part = "late"
    elif part in ("中葉", "中"):
        c.fixed = (f"{base + 41}/{base + 60}", "part-of-century", "explicit")
        c.part = "mid"
    elif part == "以來":
        c.extra["century_since"] = base + 1
        c.extra["modifier"] = "since"
    else:
        c.fixed = (f"{base + 1}/{base + 100}", "century", "explicit")
    return True


def _fill_relspan(form: str, g: dict[str, Any], c: _Cand, text: str) -> bool:
    """15年前, 過去15年(來), 十多年來, 未來十年."""
    n = _int(g["n"])
    if n is None or n <= 0 or n >= 200:
        return False
    unit = "month" if g.get("unit") == "個月" else g.get("unit") or "年"
    unit = {"年": "year", "週": "week", "周": "week", "天": "day", "日": "day"}.get(unit, unit)
    c.relative = True
    c.approximate = bool(g.get("more"))
    if form == "ago":
        if _duration_before(text, c.start):
            return False
        c.ago = (unit, n)
        return True
    if form == "past" and text[c.start] == "近" and _duration_before(text, c.start):
        return False
    c.kind = "period"
    if form == "future":
        c.rel_span = (unit, 0, n)
    else:
        if form == "past" and text[c.start] == "這" and not g.get("suf"):
            return False  # 這3年 without 來 is a duration
        c.rel_span = (unit, -n, 0)
    return True


def _fill_era(g: dict[str, Any], c: _Cand, lex: dict[str, Any]) -> bool:
    """Named eras from the lexicon; holder-bound ones (第一任期) need their holder."""
    term, holder = g["era"], g.get("holder")
    for era in lex["eras"]:
        if term not in era["terms"]:
            continue
        if era.get("holders"):
            if holder not in era["holders"]:
                continue
            # the surface is the term itself; the holder only selects the era
            c.start = c.end - len(term)
        elif holder:
            c.start = c.end - len(term)
        c.fixed = (era["value"], "era", "inferred")
        c.kind = "period"
        return True
    return False


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Longest non-overlapping candidates (ties: pattern priority, then leftmost)."""
    order = sorted(cands, key=lambda c: (-(c.end - c.start), c.prio, c.start))
    taken: list[_Cand] = []
    for c in order:
        if all(c.end <= t.start or c.start >= t.end for t in taken):
            taken.append(c)
    return sorted(taken, key=lambda c: c.start)


# --------------------------------------------------------------------------- resolution


def _shift_month(y: int, m: int, k: int) -> tuple[int, int]:
    """(year, month) moved by k months."""
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


def _window_year(ref: date, m: int, d: int | None) -> int:
    """Year for a month(-day) without year: from 9 months before to 2 months after the reference."""
    for y in (ref.year + 1, ref.year, ref.year - 1):
        diff = (y * 12 + m) - (ref.year * 12 + ref.month)
        if -9 <= diff <= 2 and not (diff == 2 and d is not None and d > ref.day):
            return y
    return ref.year - 1


def _fmt_ym(y: int, m: int) -> str:
    """YYYY-MM."""
    return f"{y:04d}-{m:02d}"


@dataclass
class _Ctx:
    """What the resolver knows while walking the text left to right."""

    ref: date | None
    sent_of: list[int]
    # sentence id -> (year, month or None, candidate index, from a deictic year word?)
    sent_year: dict[int, tuple[int, int | None, int, bool]] = field(default_factory=dict)
    last_year: int | None = None
    last_month: tuple[int, int] | None = None
    folded: set[int] = field(default_factory=set)


def _resolve_all(text: str, cands: list[_Cand], ref: date | None) -> list[TimeExpr]:
    """Resolve every candidate in text order, carrying sentence and antecedent context."""
    sent_of = _sentence_ids(text)
    ctx = _Ctx(ref, sent_of)
    out: list[tuple[int, TimeExpr]] = []
    for i, c in enumerate(cands):
        te = _resolve_one(text, c, i, ctx)
        out.append((i, te))
    exprs = [te for i, te in out if i not in ctx.folded]
    return _merge_ranges(text, exprs)


_SENTENCE_END = re.compile("[。！？!?\n；;]")


def _sentence_ids(text: str) -> list[int]:
    """Sentence number of each character (boundaries: 。！？!? and newlines)."""
    # Runs of equal ids between boundary characters (a boundary keeps the old id).
    ids: list[int] = []
    prev = 0
    sid = 0
    for m in _SENTENCE_END.finditer(text):
        ids.extend([sid] * (m.end() - prev))
        prev = m.end()
        sid += 1
    ids.extend([sid] * (len(text) - prev + 1))
    return ids


def _resolve_one(text: str, c: _Cand, i: int, ctx: _Ctx) -> TimeExpr:
    """Value, granularity and basis of one candidate."""
    ref = ctx.ref
    sid = ctx.sent_of[c.start]
    value: str | None = None
    gran = "year"
    basis = "explicit"
    anchor: str | None = None
    ctx_year = ctx.sent_year.get(sid)

    if c.fixed is not None:
        value, gran, basis = c.fixed
    elif "century_since" in c.extra:
        gran = "interval"
        if ref is not None:
            value, basis, anchor = (
                f"{c.extra['century_since']}/{ref.year}",
                "publication",
                ref.isoformat(),
            )
        else:
            basis = "unresolved"
    elif c.rel_span is not None or c.ago is not None:
        value, gran, basis, anchor = _resolve_relspan(c, ref)
    elif c.week is not None:
        gran = "week"
        if ref is not None and c.extra.get("weekday"):
            monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=c.week)
            value = (monday + timedelta(days=c.extra["weekday"] - 1)).isoformat()
            gran, basis, anchor = "day", "publication", ref.isoformat()
        elif ref is not None:
            iso = (ref + timedelta(weeks=c.week)).isocalendar()
            value, basis, anchor = f"{iso[0]}-W{iso[1]:02d}", "publication", ref.isoformat()
        else:
            basis = "unresolved"
    elif c.day_offset is not None:
        gran = "day"
        if ref is not None:
            value = (ref + timedelta(days=c.day_offset)).isoformat()
            basis, anchor = "publication", ref.isoformat()
        else:
            basis = "unresolved"
    elif "qrel" in c.extra:
        gran = "quarter"
        if ref is not None:
            q_idx = ref.year * 4 + (ref.month - 1) // 3 + c.extra["qrel"]
            value, basis, anchor = f"{q_idx // 4}-Q{q_idx % 4 + 1}", "publication", ref.isoformat()
        else:
            basis = "unresolved"
    elif c.mrel is not None:
        value, gran, basis, anchor = _resolve_mrel(c, ctx, ctx_year)
    else:
        value, gran, basis, anchor = _resolve_calendar(c, i, ctx, ctx_year)

    # remember context for later expressions
    # only expressions that name a year or a month set context (not 上週六, 3天前, bare 12日)
    sets_ctx = c.y is not None or c.yrel is not None or c.m is not None
    sets_ctx = sets_ctx or (c.ago is not None and c.ago[0] == "year")
    year_val = _leading_year(value) if c.kind == "point" and sets_ctx else None
    if year_val is not None:
        month_val = _leading_month(value)
        deictic_only = c.yrel is not None and c.yrel[0] == "deictic" and c.m is None
        deictic_only = deictic_only and c.part is None and c.quarter is None and c.half is None
        ctx.sent_year[sid] = (year_val, month_val, i, deictic_only and not c.fiscal)
        ctx.last_year = year_val
        if month_val is not None:
            ctx.last_month = (year_val, month_val)

    return TimeExpr(
        surface=text[c.start : c.end],
        start=c.start,
        end=c.end,
        value=value,
        granularity=gran,
        basis=basis,
        kind=c.kind
        if gran not in ("interval", "decade", "century", "era", "part-of-century")
        else "period",
        relative=c.relative,
        anchor=anchor,
        clock=c.clock,
        fiscal=c.fiscal,
        part=c.part,
        modifier=c.extra.get("modifier") or _modifier(text, c.start, c.end),
        approximate=c.approximate,
        vague=c.vague,
    )


def _leading_year(value: str | None) -> int | None:
    """The year of a point value (2025, 2025-10, 2025-Q3 ...)."""
    if value is None or "/" in value:
        return None
    m = re.match(r"(\d{4})", value)
    return int(m.group(1)) if m else None


def _leading_month(value: str | None) -> int | None:
    """The month of a YYYY-MM[-DD] value."""
    if value is None:
        return None
    m = re.match(r"\d{4}-(\d{2})(?:-|$)", value)
    return int(m.group(1)) if m else None


def _resolve_relspan(c: _Cand, ref: date | None) -> tuple[str | None, str, str, str | None]:
    """15年前 -> a year; 過去15年 -> an interval ending at the reference."""
    if ref is None:
        return None, "year" if c.ago and c.ago[0] == "year" else "interval", "unresolved", None
    anchor = ref.isoformat()
    if c.ago is not None:
        unit, n = c.ago
        if unit == "year":
            return str(ref.year - n), "year", "publication", anchor
        if unit == "month":
            y, m = _shift_month(ref.year, ref.month, -n)
            return _fmt_ym(y, m), "month", "publication", anchor
        days = n * 7 if unit == "week" else n
        return (ref - timedelta(days=days)).isoformat(), "day", "publication", anchor
    assert c.rel_span is not None
    unit, lo, hi = c.rel_span
    if unit == "month":
        y1, m1 = _shift_month(ref.year, ref.month, lo)
        y2, m2 = _shift_month(ref.year, ref.month, hi)
        return f"{_fmt_ym(y1, m1)}/{_fmt_ym(y2, m2)}", "interval", "publication", anchor
    return f"{ref.year + lo}/{ref.year + hi}", "interval", "publication", anchor


def _resolve_mrel(
    c: _Cand, ctx: _Ctx, ctx_year: tuple[int, int | None, int, bool] | None
) -> tuple[str | None, str, str, str | None]:
    """本月, 上個月, 同月, bare 月底 / 下旬."""
    assert c.mrel is not None
    gran = "part-of-month" if c.mpart else "month"
    how, k = c.mrel
    if how == "anaphoric" or (how == "context" and ctx_year is not None and ctx_year[1]):
        if how == "context" and ctx_year is not None and ctx_year[1] is not None:
            return (
                _fmt_ym(ctx_year[0], ctx_year[1]),
                gran,
                "inferred",
                _fmt_ym(ctx_year[0], ctx_year[1]),
            )
        if ctx.last_month is None:
            return None, gran, "unresolved", None
        y, m = _shift_month(*ctx.last_month, k)
        return _fmt_ym(y, m), gran, "inferred", _fmt_ym(*ctx.last_month)
    if ctx.ref is None:
        return None, gran, "unresolved", None
    y, m = _shift_month(ctx.ref.year, ctx.ref.month, k)
    return _fmt_ym(y, m), gran, "publication", ctx.ref.isoformat()


def _resolve_calendar(
    c: _Cand, i: int, ctx: _Ctx, ctx_year: tuple[int, int | None, int, bool] | None
) -> tuple[str | None, str, str, str | None]:
    """Dates with an explicit, deictic, anaphoric, contextual or missing year."""
    ref = ctx.ref
    gran = _granularity(c)
    basis = "explicit"
    anchor: str | None = None
    y: int | None = c.y
    m: int | None = c.m
    if y is None and c.yrel is not None:
        how, k = c.yrel
        if how == "deictic":
            if ref is None:
                return None, gran, "unresolved", None
            y, basis, anchor = ref.year + k, "publication", ref.isoformat()
        else:
            if ctx.last_year is None:
                return None, gran, "unresolved", None
            y, basis, anchor = ctx.last_year + k, "inferred", str(ctx.last_year)
    elif y is None and m is not None:
        if ctx_year is not None:
            y, basis, anchor = ctx_year[0], "inferred", str(ctx_year[0])
            if ctx_year[3]:
                ctx.folded.add(ctx_year[2])  # 今年 ... 4月: the 今年 only anchors the month
                basis, anchor = "publication", ref.isoformat() if ref else anchor
        elif ref is not None:
            y, basis, anchor = _window_year(ref, m, c.d), "inferred", ref.isoformat()
        else:
            return None, gran, "unresolved", None
    elif y is None and c.d is not None:
        if ctx_year is not None and ctx_year[1] is not None:
            y, m, basis = ctx_year[0], ctx_year[1], "inferred"
            anchor = _fmt_ym(y, m)
        elif ref is not None:
            y, m = ref.year, ref.month
            if c.extra.get("future"):
                # 下週一（19日）, 預計5日: an upcoming day, this month or the next
                if c.d < ref.day:
                    y, m = _shift_month(y, m, 1)
            elif c.d > ref.day:
                y, m = _shift_month(y, m, -1)
            basis, anchor = "publication", ref.isoformat()
        else:
            return None, gran, "unresolved", None
    elif y is None:
        # bare 年底, 上半年, 第三季
        if ctx_year is not None:
            y, basis, anchor = ctx_year[0], "inferred", str(ctx_year[0])
        elif ref is not None:
            y, basis, anchor = ref.year, "publication", ref.isoformat()
        else:
            return None, gran, "unresolved", None
    assert y is not None
    return _compose(c, y, m), gran, basis, anchor


def _granularity(c: _Cand) -> str:
    """Granularity of a calendar candidate."""
    if c.m2 is not None or c.quarters_to is not None or "d2" in c.extra:
        return "interval"
    if c.d is not None:
        return "day"
    if c.m is not None:
        return "part-of-month" if c.mpart else "month"
    if c.quarter is not None:
        return "quarter"
    if c.half is not None:
        return "half"
    if c.ypart_month is not None:
        return "part-of-year"
    return "year"


def _compose(c: _Cand, y: int, m: int | None) -> str | None:
    """ISO value from the resolved year and the candidate's fields."""
    if "d2" in c.extra and c.d is not None and m is not None:
        try:
            return f"{date(y, m, c.d).isoformat()}/{date(y, m, c.extra['d2']).isoformat()}"
        except ValueError:
            return None
    if c.m2 is not None and m is not None:
        return f"{_fmt_ym(y, m)}/{_fmt_ym(y, c.m2)}"
    if c.d is not None and m is not None:
        try:
            return date(y, m, c.d).isoformat()
        except ValueError:
            return None
    if m is not None:
        return _fmt_ym(y, m)
    if c.quarters_to is not None:
        return f"{y}-Q1/{y}-Q{c.quarters_to}"
    if c.quarter is not None:
        return f"{y}-Q{c.quarter}"
    if c.half is not None:
        return f"{y}-H{c.half}"
    if c.ypart_month is not None:
        return _fmt_ym(y, c.ypart_month)
    return str(y)


_MOD_AFTER = (
    ("以來", "since"),
    ("至今", "since"),
    ("起", "since"),
    ("來", "since"),
    ("之後", "after"),
    ("以後", "after"),
    ("後", "after"),
    ("之前", "before"),
    ("以前", "before"),
    ("前", "before"),
    ("為止", "until"),
)


def _modifier(text: str, start: int, end: int) -> str | None:
    """since/after/before/until from the words right around an expression."""
    tail = text[end : end + 2]
    for word, mod in _MOD_AFTER:
        if tail.startswith(word):
            nxt = text[end + len(word) : end + len(word) + 1]
            if word in ("前", "後") and nxt and nxt in "0123456789一二三四五六七八九十兩半":
                return None  # 今年前11個月, 2010年後3年: not before/after the date itself
            return mod
    head = text[max(0, start - 2) : start]
    if head.endswith(("自從", "自", "從")):
        return "since"
    if head.endswith(("直到", "到", "至")):
        return "until"
    return None


_CONNECT = re.compile(r"[ \u00a0\u3000]?(?:至|到|~|～|-|–|—|－)[ \u00a0\u3000]?")


def _merge_ranges(text: str, exprs: list[TimeExpr]) -> list[TimeExpr]:
    """Join 'A至B' of two points of one granularity into one interval (11月至12月)."""
    out: list[TimeExpr] = []
    for te in exprs:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == "point"
            and te.kind == "point"
            and prev.granularity == te.granularity
            and prev.granularity in ("day", "month", "year", "quarter")
            and _CONNECT.fullmatch(text[prev.end : te.start])
        ):
            both = prev.value is not None and te.value is not None
            value = f"{prev.value}/{te.value}" if both else None
            bases = {prev.basis, te.basis}
            basis = next(
                b for b in ("unresolved", "publication", "inferred", "explicit") if b in bases
            )
            if not both:
                basis = "unresolved"
            out[-1] = TimeExpr(
                surface=text[prev.start : te.end],
                start=prev.start,
                end=te.end,
                value=value,
                granularity="interval",
                basis=basis,
                kind="period",
                relative=prev.relative or te.relative,
                anchor=prev.anchor or te.anchor,
                fiscal=prev.fiscal or te.fiscal,
                modifier=None,
            )
            continue
        out.append(te)
    return out


# --------------------------------------------------------------------------- public API


def infer_reference(text: str, exprs: list[TimeExpr]) -> date | None:
    """A stand-in publication date for an undated document: its latest explicit full date.

    A text is written no earlier than the last day it reports (經產省2026年2月4日公布, a
    law in force from 2026年元月1日), so 今年 and 兩年前 resolve against that day's year.
    Dates announced as still to come (將於, 預計 just before) are not reports and are skipped.
    """
    cues = _lexicon()["future_cues"]
    best: date | None = None
    for te in exprs:
        if te.basis != "explicit" or te.granularity != "day" or te.relative or te.value is None:
            continue
        head = re.split(r"[。！？!?\n，,；;]", text[max(0, te.start - 8) : te.start])[-1]
        if any(cue in head for cue in cues):
            continue
        try:
            day = date.fromisoformat(te.value)
        except ValueError:
            continue
        if best is None or day > best:
            best = day
    return best


def extract_times_undated(
    text: str, *, roc_years: bool = False
) -> tuple[list[TimeExpr], date | None]:
    """Times of a document without a publication date, and the reference inferred for them.

    Relative expressions are resolved against :func:`infer_reference`; their basis says
    ``inferred`` (not ``publication``) so a reader knows the anchor is an estimate.
    """
    exprs = extract_times(text, None, roc_years=roc_years)
    ref = infer_reference(text, exprs)
    if ref is None:
        return exprs, None
    exprs = extract_times(text, ref, roc_years=roc_years)
    for te in exprs:
        if te.basis == "publication":
            te.basis = "inferred"
    return exprs, ref


def extract_times(
    text: str, reference_date: date | None = None, *, roc_years: bool = False
) -> list[TimeExpr]:
    """Time expressions of ``text`` sorted by start; relative ones resolved against ``reference_date``.

    ``roc_years`` reads bare 113年 as a Republic-of-China year (government text).
    """
    work = text.translate(_FW)  # same length, so offsets carry over to ``text``
    cands = _select(list(_candidates(work, roc_years)))
    exprs = _resolve_all(work, cands, reference_date)
    for te in exprs:
        te.surface = text[te.start : te.end]
    return exprs
