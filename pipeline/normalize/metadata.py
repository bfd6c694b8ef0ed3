"""Document metadata (title, publication date, outlet, authors) from format meta and text.

Precedence for each field: the reader's ``meta`` (HTML ``<meta>``/JSON-LD, PDF info),
then what the text itself shows, never a guess:

* published: a byline date (``湯名暉 2025年06月15日 06:10:00``, ``2025-06-15 08:00``),
  else a leading crawl-date line (`` date 2026-01-14``), else null.
* title: a markdown ``# `` heading or the text after a leading date line, or a short
  first line directly followed by a byline; these lines leave the body (they are
  metadata). Fallback: the first heading-like line of the body (kept in the text, a
  warning says so). Else null.
* authors: bylines (``記者X／台北報導``, ``編譯X／綜合報導``, ``文／X``, ``◎X／機構``,
  ``●作者：X／…``, ``X 2025年…``) and a columnist prefix in the title (``X：標題``);
  a name is 2-4 Han characters starting with a known surname (data file).
* outlet: closing notices (``不代表《X》立場``, ``【X徵稿】``, ``X歡迎各界投書``,
  ``更多X報導``), else a known outlet named in the header lines (author affiliation),
  else a portal syndication footer (``其他人也在看`` → Yahoo奇摩新聞). Outlets quoted in
  the body are sources, not the publisher, and are ignored.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.normalize.spans import Span, line_spans, whole_line

DATA = Path(__file__).resolve().parent.parent / "data"
HAN = "\u4e00-\u9fff\u3400-\u4dbf"

_DATE_LINE = re.compile(r"\A\s*date\s+(\d{4})-(\d{2})-(\d{2})[ \t]*")
_H1 = re.compile(r"^#[ \t]+(\S.*)$")
_SENT_END = "。！？!?"
# Format metadata titles that are file names or editor defaults, not titles.
_JUNK_TITLE = re.compile(
    r"\.(?:docx?|pdf|indd|pptx?|txt)$|^(?:Microsoft Word|untitled|無標題|title)\b|^\s*$", re.I
)


@dataclass
class Metadata:
    """What the metadata pass found, plus the raw spans it consumed from the body."""

    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    authors: list[str] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)
    spans: list[Span] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    title_in_text: bool = False


@lru_cache(maxsize=1)
def _names() -> dict[str, Any]:
    """Surname data for byline parsing."""
    data: dict[str, Any] = json.loads((DATA / "normalize_names.json").read_text(encoding="utf-8"))
    return data


@lru_cache(maxsize=1)
def _outlets() -> dict[str, Any]:
    """Outlet recognition data."""
    data: dict[str, Any] = json.loads((DATA / "normalize_outlets.json").read_text(encoding="utf-8"))
    return data


@lru_cache(maxsize=1)
def name_pattern() -> str:
    """Regex source for one personal name (surname + 1-2 given-name characters)."""
    data = _names()
    compound = "|".join(sorted(data["compound_surnames"], key=len, reverse=True))
    single = "".join(sorted(set(data["surnames"]) | set(data.get("surnames_simplified", ""))))
    return rf"(?:(?:{compound})[{HAN}]{{1,2}}|[{single}][{HAN}]{{1,2}})"


@lru_cache(maxsize=1)
def _byline_res() -> list[tuple[str, re.Pattern[str]]]:
    """Byline regexes (kind, pattern); group 'names' holds one or more names."""
    n = name_pattern()
    names = rf"(?P<names>{n}(?:\s*[、,，]\s*{n})*)"
    date = r"(?P<y>\d{4})\s*[年/\-.]\s*(?P<m>\d{1,2})\s*[月/\-.]\s*(?P<d>\d{1,2})\s*日?"
    clock = r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
    # Traditional and Simplified spellings of the role words.
    role = (
        r"(?:中央社|本報|本报|本刊)?(?:實習記者|实习记者|特約記者|特约记者|特派記者|特派记者|"
        r"記者|记者|編譯|编译|撰稿|撰文|採訪|采访|整理|主筆|主笔)"
    )
    return [
        ("name_date", re.compile(rf"^{names}\s+{date}{clock}$")),
        ("date", re.compile(rf"^(?:發布時間|發佈時間|更新時間|日期)?[：:]?\s*{date}{clock}$")),
        ("role", re.compile(rf"^{role}\s*{names}\s*(?:[／/]\s*\S{{0,14}})?$")),
        ("wen", re.compile(rf"^(?:文|撰文|作者)\s*[／/：:]\s*{names}(?:\s*[／/]\s*\S.{{0,40}})?$")),
        ("affil", re.compile(rf"^[◎○●]\s*{names}\s*[／/]\s*(?P<affil>\S.{{0,60}})$")),
    ]


@lru_cache(maxsize=1)
def _inline_byline_res() -> list[re.Pattern[str]]:
    """Bracketed bylines opening the first paragraph (〔記者X／台北報導〕, （中央社記者X東京15日電）)."""
    names = rf"(?P<names>{name_pattern()}(?:\s*[、,，]\s*{name_pattern()})*)"
    opening = r"^[ \t\u3000]*[〔【［\[（(]\s*"
    closing = r"\s*[〕】］\]）)]"
    place = rf"[{HAN}0-9]{{0,12}}?"
    return [
        re.compile(
            rf"{opening}(?P<org>中央社|本報)?(?:實習記者|特約記者|特派記者|記者|记者|編譯|编译)"
            rf"\s*{names}\s*(?:[／/]\s*)?{place}"
            rf"(?:綜合外電報導|綜合報導|報導|报导|报道|專電|专电|電|电){closing}"
        ),
        re.compile(rf"{opening}(?P<org>中央社){place}(?:綜合外電報導|報導|專電|電){closing}"),
    ]


def _iso(y: str, m: str, d: str) -> str | None:
    """ISO date from parts, or None when the parts are not a calendar date."""
    try:
        return dt.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def _split_names(names: str) -> list[str]:
    """Individual names of a byline group, minus words that only look like names."""
    bad = set(_names()["not_names"])
    out = [p.strip() for p in re.split(r"[、,，]", names) if p.strip()]
    return [p for p in out if p not in bad]


def parse_byline(line: str) -> tuple[str, list[str], str | None, str | None] | None:
    """``(kind, authors, iso_date, affiliation)`` when ``line`` is a byline, else None."""
    s = line.strip()
    if not s or len(s) > 80:
        return None
    for kind, rx in _byline_res():
        m = rx.match(s)
        if not m:
            continue
        gd = m.groupdict()
        authors = _split_names(gd["names"]) if gd.get("names") else []
        iso = _iso(gd["y"], gd["m"], gd["d"]) if gd.get("y") else None
        if kind in ("role", "wen", "affil", "name_date") and not authors:
            continue
        if kind in ("name_date", "date") and iso is None:
            continue
        return kind, authors, iso, gd.get("affil")
    return None


def author_in_title(title: str) -> str | None:
    """Columnist prefix ``湯名暉：標題`` → the name."""
    m = re.match(rf"^({name_pattern()})\s*[：:]\s*\S", title)
    if m and m.group(1) not in set(_names()["not_names"]):
        return m.group(1)
    return None


def bio_authors(text: str) -> list[str]:
    """Names in author-bio notices anywhere (``●作者：X／駐日本東京記者``)."""
    rx = re.compile(rf"[●◎○※]?\s*作者\s*[：:]\s*({name_pattern()})\s*[／/，,。]")
    return _split_names("、".join(m.group(1) for m in rx.finditer(text)))


def clean_title(title: str) -> str:
    """Title text with width/punctuation normalized and markup stripped."""
    from pipeline.normalize.width import normalize_width

    title = re.sub(r"^#+\s*", "", title.strip())
    title = title.replace("**", "")
    return normalize_width(title)


def _title_like(s: str) -> bool:
    """A plausible title: short, not a sentence, not a date or symbol line."""
    s = s.strip()
    if not (4 <= len(s) <= 80) or s[-1] in "。":
        return False
    if not re.search(rf"[{HAN}A-Za-z]", s):
        return False
    return parse_byline(s) is None


def _heading_like(s: str) -> bool:
    """A body line that reads like a heading (used as the fallback title)."""
    s = s.strip().lstrip("#").strip()
    if s[:1] in "（(【〔［[「":
        return False
    return _title_like(s) and len(s) <= 40 and not re.search(f"[{_SENT_END}，,]$", s)


def _first_long_lines(text: str, skip: list[Span], n: int) -> list[tuple[int, int, str]]:
    """The first ``n`` non-empty lines not covered by ``skip`` (whatever their length)."""
    out: list[tuple[int, int, str]] = []
    for s, e in line_spans(text):
        if text[s:e].strip() and not _covered(s, min(e, s + 200), text, skip):
            out.append((s, e, text[s:e].strip()))
            if len(out) >= n:
                break
    return out


def _loose_key(s: str) -> str:
    """Comparison key: markup, spaces and punctuation width ignored."""
    return re.sub(r"\s+", "", clean_title(s))


def _covered(start: int, end: int, text: str, skip: list[Span]) -> bool:
    """True when every non-space character of ``text[start:end]`` is inside ``skip``."""
    for i in range(start, end):
        if text[i].isspace():
            continue
        if not any(sp.start <= i < sp.end for sp in skip):
            return False
    return True


def canonical_outlet(name: str) -> str:
    """Canonical outlet spelling (aliases from the data file)."""
    name = name.strip()
    aliases: dict[str, str] = _outlets()["aliases"]
    return aliases.get(name, name)


def find_outlet(text: str, header: list[str], tail_from: int) -> tuple[str | None, str]:
    """``(outlet, how)`` from closing notices, header lines, or a syndication footer."""
    tail = text[tail_from:]
    for pat in _outlets()["closing_patterns"]:
        m = re.search(pat, tail)
        if m:
            return canonical_outlet(m.group("outlet")), "closing notice"
    known = sorted(_outlets()["known"], key=len, reverse=True)
    for line in header:
        for k in known:
            if k in line:
                return canonical_outlet(k), "header line"
    from pipeline.normalize.boilerplate import syndication_outlet

    synd = syndication_outlet(tail)
    if synd:
        return synd, "syndication footer"
    return None, ""


def split_title_outlet(title: str) -> tuple[str, str | None]:
    """``標題 | 三立新聞網`` → (``標題``, ``三立新聞網``) when the suffix is a known outlet."""
    m = re.match(r"^(.*\S)\s*[|｜\-–—_]\s*([^|｜\-–—_]{2,24})$", title.strip())
    if not m:
        return title, None
    data = _outlets()
    name = canonical_outlet(m.group(2))
    if name in data["known"] or m.group(2).strip() in data["aliases"]:
        return m.group(1), name
    return title, None


def _meta_str(meta: dict[str, Any], key: str) -> str | None:
    """A non-empty string value of ``meta``."""
    v = meta.get(key)
    if isinstance(v, str) and v.strip():
        return v.strip()
    return None


def _meta_date(meta: dict[str, Any]) -> str | None:
    """ISO date (YYYY-MM-DD, or partial) from ``meta['published']``."""
    v = _meta_str(meta, "published")
    if not v:
        return None
    m = re.match(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})", v)
    if m:
        return _iso(*m.groups())
    m = re.match(r"(\d{4})(?:[-/](\d{1,2}))?$", v)
    if m:
        return m.group(1) + (f"-{int(m.group(2)):02d}" if m.group(2) else "")
    return None


def extract_metadata(text: str, meta: dict[str, Any], skip: list[Span]) -> Metadata:
    """Metadata of a raw text; ``skip`` are boilerplate spans (lines they cover are ignored)."""
    md = Metadata()
    header_lines: list[str] = []
    crawl_date: str | None = None
    byline_date: str | None = None
    authors: list[str] = []
    title: str | None = None

    # Leading crawl-date line; what follows it on the same line is the title.
    m = _DATE_LINE.match(text)
    first_line_end = text.find("\n") if "\n" in text else len(text)
    if m:
        crawl_date = _iso(*m.groups())
        md.spans.append(Span(m.start(), m.end(), "crawl date line (moved to metadata)"))
        rest_start = m.end()
        rest = text[rest_start:first_line_end]
        if rest.strip() and not _covered(rest_start, first_line_end, text, skip):
            cand = rest.strip()
            if _title_like(cand):
                title = cand
                md.spans.append(Span(rest_start, first_line_end, "title line (moved to metadata)"))

    # Header zone: the first few non-empty lines before the body starts.
    zone: list[tuple[int, int, str]] = []
    for s, e in line_spans(text):
        line = text[s:e]
        if not line.strip() or _covered(s, e, text, skip + md.spans):
            continue
        if len(line.strip()) > 100 or len(zone) >= 8:
            break
        zone.append((s, e, line.strip()))

    bylines: set[int] = set()
    for i, (s, e, line) in enumerate(zone):
        parsed = parse_byline(line)
        if parsed is None:
            continue
        kind, names, iso, affil = parsed
        bylines.add(i)
        authors.extend(names)
        if iso and byline_date is None:
            byline_date = iso
        header_lines.append(line if affil is None else affil)
        a, b = whole_line(text, s, e)
        md.spans.append(Span(a, b, "byline (moved to metadata)"))

    # Bracketed byline at the start of one of the first lines (often the first paragraph).
    for s, _e, _line in zone[:4] + _first_long_lines(text, skip + md.spans, 2):
        for rx in _inline_byline_res():
            bm = rx.match(text, s)
            if not bm:
                continue
            gd = bm.groupdict()
            if gd.get("names"):
                authors.extend(_split_names(gd["names"]))
            header_lines.append(bm.group(0))
            md.spans.append(Span(s, bm.end(), "byline (moved to metadata)"))
            break

    # Title: markdown h1, else a short line directly followed by a byline.
    if title is None:
        for i, (s, e, line) in enumerate(zone):
            h1 = _H1.match(line)
            if h1 and i not in bylines:
                title = h1.group(1)
                a, b = whole_line(text, s, e)
                md.spans.append(Span(a, b, "title line (moved to metadata)"))
                break
            if i in bylines:
                continue
            if _title_like(line) and (i + 1) in bylines:
                title = line
                a, b = whole_line(text, s, e)
                md.spans.append(Span(a, b, "title line (moved to metadata)"))
                break
    if title is None:
        for i, (_s, _e, line) in enumerate(zone):
            if i not in bylines and _heading_like(line):
                title = line
                md.title_in_text = True
                md.warnings.append("title: no title line; using the first heading of the body")
                break

    meta_title = _meta_str(meta, "title")
    if meta_title and _JUNK_TITLE.search(meta_title):
        md.warnings.append(f"title: ignored format metadata title {meta_title!r}")
        meta_title = None
    title_outlet: str | None = None
    if meta_title:
        title, title_outlet = split_title_outlet(meta_title)
        md.title_in_text = False
        # The page's own headline repeated as the first body line is metadata too.
        key = _loose_key(title)
        for s, e, line in zone[:3]:
            if _loose_key(line) in (key, _loose_key(meta_title)):
                md.spans.append(Span(*whole_line(text, s, e), "title line (moved to metadata)"))
                break
    md.title = clean_title(title) if title else None

    # Authors: meta first, then bylines, the title prefix and bio notices.
    meta_authors = meta.get("authors")
    if isinstance(meta_authors, str):
        meta_authors = [meta_authors]
    found: list[str] = [a.strip() for a in (meta_authors or []) if isinstance(a, str) and a.strip()]
    found += authors
    if md.title:
        prefix = author_in_title(md.title)
        if prefix:
            found.append(prefix)
    found += bio_authors(text)
    md.authors = list(dict.fromkeys(found))

    md.published = _meta_date(meta) or byline_date or crawl_date
    if md.published and md.published == crawl_date and not (_meta_date(meta) or byline_date):
        md.warnings.append("published: taken from the crawl date line")

    meta_outlet = _meta_str(meta, "outlet")
    if meta_outlet:
        md.outlet = canonical_outlet(meta_outlet)
    else:
        md.outlet, how = find_outlet(text, header_lines, int(len(text) * 0.2))
        if title_outlet and how in ("", "syndication footer"):
            md.outlet, how = title_outlet, "title suffix"
        if how == "syndication footer":
            md.warnings.append("outlet: only the syndicating portal is named")

    if md.title is None:
        md.missing["title"] = "no title in the format metadata and no title-like first line"
    if md.published is None:
        md.missing["published"] = "no date line, byline date or format metadata date"
    if md.outlet is None:
        md.missing["outlet"] = "no closing notice, known outlet in the header or syndication footer"
    if not md.authors:
        md.missing["authors"] = "no byline, author notice or format metadata author"
    return md
