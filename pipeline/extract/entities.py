"""Named entities with canonical ids: gazetteer matches first, then patterns.

Pure core (no spaCy, no jieba): ``extract_entities(text)`` scans the text with the
gazetteer (``data/gazetteer.jsonl``: id, type, display name, aliases in Traditional,
Simplified, English and Japanese forms) and with the patterns of
``data/entity_patterns.json``:

- element names followed by their symbol in brackets (鏑（Dy）) — the symbol decides,
  which also survives broken glyphs in PDF text (鐳（Dy） is still dysprosium);
- 《…》 titles ending in a law-like word → LAW;
- organisation suffixes after a plausible name (…株式會社, …研究所, Latin name + 公司);
- people after a role word (部長 + 2–4 characters + a speech verb or punctuation);
- Latin-script names (Capitalised words, acronyms) → ORG with the name as id;
- aliases defined in brackets (北星稀土株式會社（NSRM）): both forms share
  one id for the whole document, later bare uses get ``source="alias"``;
- joint-actor abbreviations (美日歐, 越、菲) → compound ids "US+Japan+EU";
- ambiguous bare agency names (國防部, 商務部, 國會) resolved by the country named
  nearest before them, or by a fuller form seen earlier in the document.

Countries absorb 中方/日方, metonymic 北京 and "X政府"; relational compounds (中日, 美中)
and generic references (日媒) are not entities. Longest match wins; entities never
overlap; output is sorted by offset. Unknown names get the id ``"local:" + surface``,
except Latin-script names, whose id is the name itself (the gold convention).

Gazetteer line fields: ``id`` (canonical, English as in the gold), ``type``, ``name``
(display form), ``aliases`` (every surface form; Simplified forms are also derived with
OpenCC at load time), optional ``country`` (agencies and laws also match with the
country in front: 日本 + 經濟產業省), ``bare`` (ambiguous forms such as 國防部, resolved
in context), ``gov`` (a country: X政府/X官方/X當局 are added), ``abbr`` (its one-character
abbreviation for compounds), ``symbol`` (element symbol), ``short`` (surname form of a
person, used only before a speech verb or after a role), ``note``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from pipeline.records import Record

DATA_DIR = Path(__file__).resolve().parents[1] / "data"

GAZETTEER = "gazetteer"
PATTERN = "pattern"
ALIAS = "alias"

_CJK = r"\u4e00-\u9fff"
_LATIN_NAME = re.compile(
    r"(?<![A-Za-z0-9])"
    r"(?:[A-Z][A-Za-z0-9&'\-]*\.?)"
    r"(?:[ \u00a0](?:[A-Z][A-Za-z0-9&'\-]*\.?|of|and|&|de|du|la))*"
    r"(?![A-Za-z0-9])"
)
_ELEMENT_SYMBOL = re.compile(r"([" + _CJK + r"])\s?[（(]\s?([A-Z][a-z]?)\s?[)）]")
_TITLE = re.compile(r"《([^《》\n]{2,40})》")
_PAREN = re.compile(r"[（(]([^（）()\n]{2,60})[)）]")


@dataclass
class Entity(Record):
    """A named entity mention with its canonical id and how it was found."""

    SCHEMA: ClassVar[str] = "entity/1"
    type: str
    surface: str
    start: int
    end: int
    id: str
    name: str
    source: str


@dataclass(frozen=True)
class _Entry:
    """One gazetteer entity."""

    id: str
    type: str
    name: str
    country: str | None
    members: tuple[str, ...] = ()


@dataclass
class _Gaz:
    """Gazetteer indexes built once per process."""

    entries: dict[str, _Entry] = field(default_factory=dict)
    surfaces: dict[str, str] = field(default_factory=dict)  # surface -> id
    bare: dict[str, list[str]] = field(default_factory=dict)  # ambiguous surface -> ids
    by_first: dict[str, list[str]] = field(default_factory=dict)  # first char -> surfaces
    symbols: dict[str, str] = field(default_factory=dict)  # element symbol -> id
    abbr: dict[str, str] = field(default_factory=dict)  # single-char country -> id
    full_forms: dict[str, set[str]] = field(default_factory=dict)  # id -> unambiguous forms
    shorts: dict[str, str] = field(default_factory=dict)  # person short form -> id


@dataclass
class _Cand:
    """A candidate mention before overlap resolution."""

    start: int
    end: int
    id: str
    type: str
    name: str
    source: str
    rank: int  # tie-break after length: higher wins


def _load_jsonl(path: Path) -> list[dict[str, Any]]:
    """Records of a JSON-lines file, skipping blanks and # comments."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(json.loads(line))
    return out


@lru_cache(maxsize=1)
def _patterns() -> dict[str, Any]:
    """The pattern word lists."""
    data: dict[str, Any] = json.loads(
        (DATA_DIR / "entity_patterns.json").read_text(encoding="utf-8")
    )
    return data


@lru_cache(maxsize=1)
def _gaz() -> _Gaz:
    """Load the gazetteer and index every surface form."""
    pats = _patterns()
    g = _Gaz()
    for rec in _load_jsonl(DATA_DIR / "gazetteer.jsonl"):
        e = _Entry(rec["id"], rec["type"], rec["name"], rec.get("country"))
        g.entries[e.id] = e
        forms = list(dict.fromkeys([rec["name"], *rec.get("aliases", [])]))
        if rec.get("gov"):
            # Countries absorb "X政府"/"X官方"/"X當局" (the government acting for the country).
            for f in list(forms):
                if _is_cjk_word(f) and len(f) >= 2 and not f.endswith(("方", "府", "局")):
                    forms.extend(f + s for s in pats["gov_suffixes"])
        if e.type in ("LAW", "ORG") and e.country:
            # Agencies and laws are often cited with their country in front
            # (日本經濟產業省, 中華人民共和國出口管制法); bare ambiguous forms too.
            prefixes = pats["country_prefixes"].get(e.country, [])
            base = [f for f in [*forms, *rec.get("bare", [])] if _is_cjk_word(f)]
            forms.extend(p + f for f in base for p in prefixes if not f.startswith(p))
        for f in forms:
            if f and f not in g.surfaces:
                g.surfaces[f] = e.id
                g.full_forms.setdefault(e.id, set()).add(f)
        for f in rec.get("bare", []):
            g.bare.setdefault(f, []).append(e.id)
        for f in rec.get("short", []):
            g.shorts[f] = e.id
        if rec.get("symbol"):
            g.symbols[rec["symbol"]] = e.id
        if rec.get("abbr"):
            g.abbr[rec["abbr"]] = e.id
    _add_simplified(g)
    # A bare form listed for several entities is ambiguous: never a direct surface.
    for f in g.bare:
        g.surfaces.pop(f, None)
    for s in g.surfaces:
        g.by_first.setdefault(s[0], []).append(s)
    for lst in g.by_first.values():
        lst.sort(key=lambda s: (-len(s), s))
    return g


def _add_simplified(g: _Gaz) -> None:
    """Simplified forms of every Chinese surface (mainland quotes, unconverted input)."""
    try:
        import opencc
    except ImportError:  # the converter is optional for this step
        return
    forms = sorted(f for f in g.surfaces if any(_is_cjk(ch) for ch in f))
    # One conversion call for all forms (line i of the output is form i).
    converted = opencc.OpenCC("t2s").convert("\n".join(forms)).split("\n")
    if len(converted) != len(forms):
        return
    for f, simp in zip(forms, converted, strict=True):
        if simp != f and simp not in g.surfaces:
            g.surfaces[simp] = g.surfaces[f]
    for form in list(g.bare):
        simp = opencc.OpenCC("t2s").convert(form)
        if simp != form:
            g.bare.setdefault(simp, list(g.bare[form]))


def _is_cjk_word(s: str) -> bool:
    """True when every character is a CJK ideograph."""
    return bool(s) and all("\u4e00" <= ch <= "\u9fff" for ch in s)


def _is_cjk(ch: str) -> bool:
    """True for a CJK ideograph."""
    return "\u4e00" <= ch <= "\u9fff"


def _is_latin(ch: str) -> bool:
    """True for an ASCII letter or digit (Latin-name boundary check)."""
    return ch.isascii() and ch.isalnum()


def _latin_ok(text: str, start: int, end: int) -> bool:
    """A Latin surface must not sit inside a longer Latin word."""
    if _is_latin(text[start]) and start > 0 and _is_latin(text[start - 1]):
        return False
    if _is_latin(text[end - 1]) and end < len(text) and _is_latin(text[end]):
        return False
    return True


def _scan(
    text: str, surfaces: dict[str, str], by_first: dict[str, list[str]]
) -> Iterable[tuple[int, int, str]]:
    """Every surface match at every position: (start, end, id), longest first."""
    lengths = _gaz_lengths() if by_first is _gaz().by_first else _lengths(by_first)
    n = len(text)
    for i in range(n):
        for k in lengths.get(text[i], ()):
            if i + k > n:
                continue
            s = text[i : i + k]
            if s in surfaces and _latin_ok(text, i, i + k):
                yield i, i + k, surfaces[s]


@lru_cache(maxsize=1)
def _gaz_lengths() -> dict[str, list[int]]:
    """Surface lengths per first character of the gazetteer (computed once)."""
    return _lengths(_gaz().by_first)


def _lengths(by_first: dict[str, list[str]]) -> dict[str, list[int]]:
    """Distinct surface lengths per first character, longest first."""
    return {ch: sorted({len(s) for s in lst}, reverse=True) for ch, lst in by_first.items()}


def _gazetteer_cands(text: str, g: _Gaz) -> list[_Cand]:
    """Every gazetteer hit (overlaps resolved later)."""
    block = _patterns()["context_block"]
    out = []
    for s, e, cid in _scan(text, g.surfaces, g.by_first):
        ent = g.entries[cid]
        ctx = block.get(text[s:e])
        if ctx and (
            (s > 0 and text[s - 1] in ctx["before"]) or (e < len(text) and text[e] in ctx["after"])
        ):
            continue  # 其中方案, 立法方面: the surface is part of another word
        if (
            ent.type == "ORG"
            and e < len(text)
            and text[e] in "長門"
            and text[e - 1] in "部省廳局署院"
        ):
            continue  # 財政部長 is a title, 外交部門 a department: not the ministry itself
        out.append(_Cand(s, e, cid, ent.type, ent.name, GAZETTEER, 2))
    return out


def _country_before(text: str, pos: int, g: _Gaz, found: list[_Cand]) -> str | None:
    """The country id named nearest before ``pos`` in the same paragraph (or None)."""
    floor = text.rfind("\n", 0, pos)
    best: _Cand | None = None
    for c in found:
        if c.end <= pos and c.start > floor and g.entries.get(c.id, None) is not None:
            ent = g.entries[c.id]
            if ent.type == "GPE" and (best is None or c.end > best.end):
                best = c
        country = g.entries[c.id].country if c.id in g.entries else None
        if country and c.end <= pos and c.start > floor and (best is None or c.end > best.end):
            best = _Cand(c.start, c.end, country, "GPE", country, GAZETTEER, 0)
    return best.id if best else None


def _bare_cands(text: str, g: _Gaz, found: list[_Cand]) -> list[_Cand]:
    """Ambiguous agency names resolved by nearby country or an earlier fuller form."""
    out = []
    for form, ids in g.bare.items():
        for m in re.finditer(re.escape(form), text):
            s, e = m.start(), m.end()
            if e < len(text) and text[e] in "長門":
                continue  # 財政部長, 外交部門: a title or a department, not the ministry
            country = _country_before(text, s, g, found)
            pick = None
            for cid in ids:
                if country and g.entries[cid].country == country:
                    pick = cid
            if pick is None:
                seen = [c for c in found if c.id in ids and c.end <= s]
                if seen:
                    pick = max(seen, key=lambda c: c.end).id
            if pick is None and len(ids) == 1:
                pick = ids[0]
            if pick is not None:
                ent = g.entries[pick]
                out.append(_Cand(s, e, pick, ent.type, ent.name, GAZETTEER, 1))
    return out


def _symbol_cands(text: str, g: _Gaz) -> list[_Cand]:
    """元素（Sym）: the symbol names the element even when the glyph is broken."""
    out = []
    for m in _ELEMENT_SYMBOL.finditer(text):
        cid = g.symbols.get(m.group(2))
        if cid:
            ent = g.entries[cid]
            out.append(_Cand(m.start(), m.end(), cid, ent.type, ent.name, PATTERN, 3))
    return out


def _title_cands(text: str, g: _Gaz) -> list[_Cand]:
    """《…》 titles that end like a law or regulation and are not in the gazetteer."""
    suffixes = tuple(_patterns()["title_law_suffixes"])
    out = []
    for m in _TITLE.finditer(text):
        inner = m.group(1).strip()
        if inner in g.surfaces or not inner.endswith(suffixes):
            continue
        s = m.start(1) + m.group(1).index(inner)
        # 《2021財年國防授權法》: a known law at the end names the title.
        known = next((inner[k:] for k in range(1, len(inner) - 1) if inner[k:] in g.surfaces), None)
        if known is not None and g.entries[g.surfaces[known]].type == "LAW":
            ent = g.entries[g.surfaces[known]]
            out.append(_Cand(s, s + len(inner), ent.id, "LAW", ent.name, PATTERN, 1))
            continue
        out.append(_Cand(s, s + len(inner), "local:" + inner, "LAW", inner, PATTERN, 1))
    return out


def _run_back(text: str, end: int, limit: int) -> int:
    """Start of the CJK run ending at ``end`` (at most ``limit`` characters)."""
    s = end
    while s > 0 and end - s < limit and _is_cjk(text[s - 1]):
        s -= 1
    return s


def _org_cands(text: str, g: _Gaz, found: list[_Cand]) -> list[_Cand]:
    """Unknown organisations in the two shapes that are reliable without a dictionary.

    Japanese corporate names (株式會社X / X株式會社) and a known country or place followed
    by a 2–4 character name and a strong suffix (日本 + 井上 + 公司). A free-standing
    "…公司" is too often a description (母公司, 特殊目的公司) to call it a name.
    """
    pats = _patterns()
    strong = sorted(pats["org_suffixes_strong"], key=len, reverse=True)
    generic = tuple(pats["org_generic_words"])
    stop = set(pats["org_prefix_stop"])
    out = []
    for m in re.finditer(
        r"(?<![" + _CJK + r"])株式會社([A-Za-z" + _CJK + r"]{2,8}?)(?=[，。、；）」\s與和及的]|$)",
        text,
    ):
        out.append(_org(text, m.start(), m.end()))
    breaks = set(pats["name_breaks"])
    for m in re.finditer("株式會社", text):
        s0 = m.start()
        gap = 1 if s0 > 0 and text[s0 - 1] == " " else 0  # PDF text: 日本重化學工業 株式會社
        start = _run_back(text, s0 - gap, 9)
        cut = max((k for k in range(start, s0 - gap) if text[k] in breaks), default=None)
        if cut is not None:
            start = cut + 1
        elif s0 - gap - start >= 9:
            continue  # no visible start of the name
        if "株式會社" in text[start:s0]:
            continue  # two company names in a row: 甲株式會社 株式會社乙
        if s0 - gap - start >= 2 and text[start] not in stop:
            out.append(_org(text, start, m.end()))
    starts = {c.start for c in found}
    for c in found:
        if c.type not in ("GPE", "LOC") or c.end in starts:
            continue
        for n in (2, 3, 4):
            name = text[c.end : c.end + n]
            if len(name) < n or not _is_cjk_word(name) or name[0] in stop:
                break
            suf = next((x for x in strong if text.startswith(x, c.end + n)), None)
            if suf is None:
                continue
            if name.startswith(generic) or name.endswith(generic):
                break
            out.append(_org(text, c.start, c.end + n + len(suf)))
            break
    return out


def _org(text: str, start: int, end: int) -> _Cand:
    """A pattern-found organisation with a document-local id."""
    surface = text[start:end]
    return _Cand(start, end, "local:" + surface, "ORG", surface, PATTERN, 1)


def _extend_known(text: str, cands: list[_Cand], g: _Gaz) -> None:
    """Known name + 公司/集團/實驗室 …: the surface grows, the id stays (Lynas公司)."""
    suffixes = sorted(_patterns()["org_suffix_extends_known"], key=len, reverse=True)
    for c in cands:
        if c.type not in ("ORG",) or c.source == ALIAS:
            continue
        for suf in suffixes:
            if text.startswith(suf, c.end):
                c.end += len(suf)
                break


def _latin_cands(text: str, g: _Gaz) -> list[_Cand]:
    """Latin-script names not in the gazetteer: id is the name itself."""
    stop = set(_patterns()["latin_stop"])
    out = []
    for m in _LATIN_NAME.finditer(text):
        s, e = m.start(), m.end()
        surface = m.group(0).rstrip(".").rstrip()
        e = s + len(surface)
        if len(surface) < 3 or surface in stop or surface in g.surfaces:
            continue
        if surface in g.symbols or re.fullmatch(r"[A-Z][a-z]?", surface):
            continue
        if re.fullmatch(r"[A-Z]{1,3}[-]?\d+[A-Za-z]*", surface):  # model numbers F-35, DS431
            continue
        # A Latin gloss in brackets after a Chinese term is a translation, not a name
        # (known terms get their gloss linked as an alias instead).
        if _in_gloss(text, s):
            continue
        if surface.split(" ")[0] in stop:
            continue
        if s > 0 and text[s - 1] in "@#/._":
            continue  # handles, hashtags, URLs and file names
        line_start = text.rfind("\n", 0, s) + 1
        if re.match(r"\W*(Keywords|Key words|Source|Sources)\b", text[line_start : s + 20]):
            continue
        # A line that is mostly Latin text is an English passage, not a mention.
        line_end = text.find("\n", s)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        if sum(_is_cjk(ch) for ch in line) < 0.2 * len(line.strip() or "x"):
            continue
        typ = "ORG"
        out.append(_Cand(s, e, surface, typ, surface, PATTERN, 1))
    return out


def _speaker_cands(text: str, g: _Gaz) -> list[_Cand]:
    """Name + speech verb (王大明表示, 佐藤健一說) after a clause boundary.

    Only names that look like names: a common Chinese surname + 2 characters, or a
    Japanese surname + 2 characters, with no function or organisation characters.
    """
    pats = _patterns()
    cn = set(pats["chinese_surnames"])
    jp = tuple(sorted(pats["japanese_surnames"], key=len, reverse=True))
    bad = set(pats["name_bad_chars"])
    verbs = sorted(pats["speech_verbs"], key=len, reverse=True)
    verb_re = re.compile("|".join(map(re.escape, verbs)))
    out = []
    for m in verb_re.finditer(text):
        v = m.start()
        for n in (4, 3):
            s = v - n
            if s < 0:
                continue
            name = text[s:v]
            if not _is_cjk_word(name) or any(ch in bad for ch in name[1:]):
                continue
            if s > 0 and _is_cjk(text[s - 1]):
                continue  # must start a clause: after punctuation, a quote or a line start
            if name in g.surfaces:
                break
            looks = (n == 3 and name[0] in cn) or (
                n == 4
                and name.startswith(jp)
                and len(next(j for j in jp if name.startswith(j))) == 2
            )
            if looks:
                out.append(_Cand(s, v, "local:" + name, "PERSON", name, PATTERN, 1))
                break
    return out


def _in_gloss(text: str, pos: int) -> bool:
    """True when ``pos`` sits inside a bracket that directly follows CJK text or a quote."""
    line_start = text.rfind("\n", 0, pos) + 1
    seg = text[line_start:pos]
    opened = max(seg.rfind("（"), seg.rfind("("))
    if opened < 0 or max(seg.rfind("）"), seg.rfind(")")) > opened:
        return False
    before = seg[:opened].rstrip()
    return bool(before) and (_is_cjk(before[-1]) or before[-1] in "」』”")


def _person_cands(text: str, g: _Gaz) -> list[_Cand]:
    """Role word + 2–4 character name + speech verb / punctuation."""
    pats = _patterns()
    roles = sorted(pats["roles"], key=len, reverse=True)
    followers = sorted(pats["name_followers"], key=len, reverse=True)
    first_stop = set(pats["name_first_char_stop"])
    stopwords = set(pats["name_stopwords"])
    role_re = re.compile("|".join(map(re.escape, roles)))
    out = []
    for m in role_re.finditer(text):
        s = m.end()
        for n in (2, 3, 4):
            name = text[s : s + n]
            if len(name) < n or not _is_cjk_word(name):
                break
            if not any(text.startswith(f, s + n) for f in followers):
                continue
            if name[0] in first_stop or name in stopwords or name in g.surfaces:
                break
            if any(name.startswith(r) or name.endswith(r) for r in roles):
                break
            out.append(_Cand(s, s + n, "local:" + name, "PERSON", name, PATTERN, 1))
            break
    return out


def _short_person_cands(text: str, g: _Gaz, found: list[_Cand]) -> list[_Cand]:
    """Surname-only mentions (高市表示, 首相石破) of people named in full in the document.

    Short forms are only taken before a speech verb or punctuation, or after a role
    word, because as bare strings they hide inside ordinary words (提高市場).
    """
    pats = _patterns()
    shorts: dict[str, tuple[str, str]] = {}
    for c in found:
        if c.type != "PERSON":
            continue
        surface = text[c.start : c.end]
        for short, cid in g.shorts.items():
            if cid == c.id:
                shorts[short] = (c.id, c.name)
        if len(surface) == 4 and _is_cjk_word(surface):  # Japanese names: 2 + 2
            shorts.setdefault(surface[:2], (c.id, c.name))
    if not shorts:
        return []
    after = tuple(pats["speech_verbs"]) + tuple(pats["short_name_followers"])
    roles = tuple(pats["roles"])
    out = []
    for short, (cid, name) in sorted(shorts.items()):
        for m in re.finditer(re.escape(short), text):
            s, e = m.start(), m.end()
            if text.startswith(after, e) or text[:s].endswith(roles):
                out.append(_Cand(s, e, cid, "PERSON", name, ALIAS, 2))
    return out


def _compound_cands(text: str, g: _Gaz) -> list[_Cand]:
    """Joint-actor abbreviations (美日歐, 越、菲): compound ids, relational pairs skipped."""
    pats = _patterns()
    followers = tuple(pats["compound_followers"])
    relational = tuple(pats["relational_after"])
    abbr = g.abbr
    out = []
    n = len(text)
    i = 0
    while i < n:
        if text[i] not in abbr:
            i += 1
            continue
        glued = i > 0 and _is_cjk(text[i - 1])
        j, members, sep = i, [], False
        while j < n and text[j] in abbr:
            members.append(abbr[text[j]])
            j += 1
            if j < n - 1 and text[j] == "、" and text[j + 1] in abbr:
                sep = True
                j += 1
        after = text[j:]
        ok = len(members) >= 2 and len(set(members)) == len(members)
        if glued and not sep and not after.startswith(followers):
            ok = False  # inside a word: 在日美軍, 英美法系 …
        elif ok and not after.startswith(relational):
            # Two glued abbreviations are a relation (中日, 美中) unless listed as actors.
            if len(members) == 2 and not sep and not after.startswith(followers):
                ok = False
        else:
            ok = False
        if ok:
            cid = "+".join(members)
            out.append(_Cand(i, j, cid, "GPE", text[i:j], PATTERN, 1))
            i = j
        else:
            i += 1
    return out


def _paren_aliases(text: str, cands: list[_Cand], g: _Gaz) -> dict[str, tuple[str, str, str]]:
    """Aliases defined in brackets: surface -> (id, type, name) for the whole document."""
    by_end: dict[int, _Cand] = {}
    for c in cands:
        if c.end not in by_end or by_end[c.end].end - by_end[c.end].start < c.end - c.start:
            by_end[c.end] = c
    out: dict[str, tuple[str, str, str]] = {}
    for m in _PAREN.finditer(text):
        inner = m.group(1).strip()
        open_at = m.start()
        left = by_end.get(open_at)
        inner_id = g.surfaces.get(inner)
        if left is not None and left.source != ALIAS:
            if inner_id is None and re.fullmatch(r"[A-Za-z][A-Za-z0-9&.\- ]{1,40}", inner):
                out.setdefault(inner, (left.id, left.type, left.name))
            continue
        if inner_id is not None:
            # Unknown long form defined by a known abbreviation: link it to that id.
            start = _run_back(text, open_at, 20)
            while start < open_at and text[start] in "的與和及在由對為是從將":
                start += 1
            long_form = text[start:open_at]
            if len(long_form) >= 4 and long_form.endswith(
                tuple(_patterns()["org_suffixes_strong"]) + ("省", "廳", "局", "署", "部")
            ):
                ent = g.entries[inner_id]
                out.setdefault(long_form, (inner_id, ent.type, ent.name))
    return out


def _unify_compounds(cands: list[_Cand]) -> None:
    """美日 and 日美 in one document are one compound: the first order seen names it."""
    seen: dict[frozenset[str], str] = {}
    for c in cands:
        if c.source == PATTERN and c.type == "GPE" and "+" in c.id:
            key = frozenset(c.id.split("+"))
            c.id = seen.setdefault(key, c.id)
            c.name = c.id


def _resolve(cands: list[_Cand]) -> list[_Cand]:
    """Longest first, then rank, then leftmost; keep non-overlapping."""
    order = sorted(cands, key=lambda c: (-(c.end - c.start), -c.rank, c.start, c.id))
    taken: set[int] = set()
    keep = []
    for c in order:
        cover = range(c.start, c.end)
        if any(i in taken for i in cover):
            continue
        taken.update(cover)
        keep.append(c)
    keep.sort(key=lambda c: (c.start, c.end))
    return keep


def _drop_generic(text: str, cands: list[_Cand]) -> list[_Cand]:
    """Drop candidates inside generic references (日媒, 中日 …)."""
    spans = []
    for w in _patterns()["generic_refs"]:
        for m in re.finditer(re.escape(w), text):
            spans.append((m.start(), m.end()))
    return [
        c
        for c in cands
        if not any(s <= c.start and c.end <= e and (c.end - c.start) < (e - s) for s, e in spans)
    ]


def extract_entities(text: str) -> list[Entity]:
    """Entities of ``text`` sorted by offset; offsets index ``text`` exactly."""
    if not text:
        return []
    g = _gaz()
    cands = _gazetteer_cands(text, g)
    cands += _bare_cands(text, g, cands)
    cands += _symbol_cands(text, g)
    cands += _title_cands(text, g)
    cands += _latin_cands(text, g)
    cands += _compound_cands(text, g)
    _extend_known(text, cands, g)
    cands += _person_cands(text, g)
    cands += _speaker_cands(text, g)
    cands += _org_cands(text, g, cands)
    cands = _drop_generic(text, cands)
    first = _resolve(cands)
    # Document-level aliases: bracket definitions, and every pattern-found name, so a
    # later bare mention gets the same id.
    doc_alias = _paren_aliases(text, first, g)
    for c in first:
        if c.source == PATTERN and c.id.startswith("local:"):
            doc_alias.setdefault(text[c.start : c.end], (c.id, c.type, c.name))
    if doc_alias:
        surfaces = {w: w for w in doc_alias if w not in g.surfaces}
        by_first: dict[str, list[str]] = {}
        for w in surfaces:
            by_first.setdefault(w[0], []).append(w)
        seen_spans = {(c.start, c.end) for c in first}
        for start, end, surf in _scan(text, surfaces, by_first):
            if (start, end) in seen_spans:
                continue
            cid, typ, name = doc_alias[surf]
            cands.append(_Cand(start, end, cid, typ, name, ALIAS, 2))
        # The bracketed definition itself links a known id to a new surface.
        for c in cands:
            surf = text[c.start : c.end]
            if c.source == PATTERN and surf in doc_alias and doc_alias[surf][0] != c.id:
                cid, typ, name = doc_alias[surf]
                c.id, c.type, c.name, c.source = cid, typ, name, ALIAS
        first = _resolve(cands)
    shorts = _short_person_cands(text, g, first)
    if shorts:
        cands += shorts
        first = _resolve(cands)
    _unify_compounds(first)
    return [
        Entity(
            type=c.type,
            surface=text[c.start : c.end],
            start=c.start,
            end=c.end,
            id=c.id,
            name=c.name,
            source=c.source,
        )
        for c in first
    ]


def extract_entities_dicts(text: str) -> list[dict[str, Any]]:
    """``extract_entities`` as plain dicts."""
    return [e.to_dict() for e in extract_entities(text)]
