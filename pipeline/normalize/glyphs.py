"""Element-name glyph repair for PDF font damage (鐳（Dy） → 鏑（Dy）).

Evidence, from strongest to weakest (all tables in ``pipeline/data/elements.json``):

1. symbol: an element character followed by a chemical symbol in parentheses that
   names a different element (鐳（Dy）, 銻（Ce）) is replaced by that symbol's name.
   A non-element character before the parentheses (元素（Nd）) is left alone.
2. context: in a paragraph where the symbols map a damaged glyph to exactly one element
   (銻 → 鈰 from 銻（Ce）) and never confirm the glyph's own symbol (銻（Sb）), its other
   occurrences in that paragraph are replaced too (氧化銻 → 氧化鈰, 銻化合物 → 鈰化合物).
3. enumeration: only in a document that already showed symbol-proven damage, a list
   of single element characters (鎳、鈷、鋳 / 鑛 / 鈾 / 鐳 / 釷等輕稀土) is repaired when
   its group is fixed by a cue (等輕稀土, 等重稀土: every item a known confusion, mapped
   in the group's order) or by its intact members (鎳、鈷 → battery metals: the one
   confusion candidate missing from the list).

Real uses of the confused elements (銻（Sb）, 銻金屬 in an antimony row, 濃縮鈾) have no
contrary evidence and are kept. Every replacement keeps the text length, so offsets of
earlier repairs stay valid; each is a ``Repair`` in final-text offsets.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.records import Repair

DATA = Path(__file__).resolve().parent.parent / "data"
HAN = "\u4e00-\u9fff\u3400-\u4dbf"


@dataclass(frozen=True)
class ElementTable:
    """Lookup tables derived from the element data file."""

    symbol_to_name: dict[str, str]
    name_to_symbol: dict[str, str]
    element_chars: frozenset[str]
    confusions: dict[str, tuple[str, ...]]
    groups: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]


@lru_cache(maxsize=1)
def table() -> ElementTable:
    """Element tables, loaded once."""
    data: dict[str, Any] = json.loads((DATA / "elements.json").read_text(encoding="utf-8"))
    sym: dict[str, str] = {}
    names: dict[str, str] = {}
    for el in data["rare_earths"] + data["others"]:
        for s in el["symbols"]:
            sym[s] = el["name"]
        names[el["name"]] = el["symbol"]
        for v in el.get("variants", []):
            names[v] = el["symbol"]
    conf = {k: tuple(v) for k, v in data["confusions"].items()}
    groups = {k: (tuple(g["members"]), tuple(g.get("cues", []))) for k, g in data["groups"].items()}
    chars = frozenset(names) | frozenset(conf)
    return ElementTable(sym, names, chars, conf, groups)


@lru_cache(maxsize=1)
def _symbol_re() -> re.Pattern[str]:
    """``X（Sym）`` with X any Han character and Sym a known symbol."""
    syms = "|".join(sorted(table().symbol_to_name, key=len, reverse=True))
    return re.compile(rf"([{HAN}])\s*[（(]\s*({syms})\s*[）)]")


@lru_cache(maxsize=1)
def _enum_re() -> re.Pattern[str]:
    """Runs of two or more single element characters separated by 、 or /."""
    cls = "".join(sorted(table().element_chars))
    return re.compile(rf"[{cls}](?:\s*[、/／]\s*[{cls}])+(?P<tail>等[{HAN}]{{0,6}})?")


def _symbol_pass(
    chars: list[str], offset: int, repairs: list[Repair]
) -> tuple[dict[str, set[str]], set[str]]:
    """Symbol repairs in one paragraph; returns (glyph → corrections, glyphs confirmed)."""
    tab = table()
    mapping: dict[str, set[str]] = {}
    confirmed: set[str] = set()
    line = "".join(chars)
    for m in _symbol_re().finditer(line):
        glyph, sym = m.group(1), m.group(2)
        right = tab.symbol_to_name[sym]
        if glyph == right or tab.name_to_symbol.get(glyph) == tab.name_to_symbol.get(right):
            confirmed.add(glyph)
            continue
        if glyph not in tab.element_chars:
            continue
        chars[m.start(1)] = right
        after = right + line[m.start(1) + 1 : m.end()]
        repairs.append(
            Repair(
                offset + m.start(1),
                offset + m.end(),
                m.group(0),
                after,
                f"glyph: symbol {sym} names {right}, not {glyph} (PDF font damage)",
            )
        )
        mapping.setdefault(glyph, set()).add(right)
    return mapping, confirmed


def _context_pass(
    chars: list[str],
    offset: int,
    mapping: dict[str, set[str]],
    confirmed: set[str],
    repairs: list[Repair],
) -> None:
    """Other occurrences of a glyph the paragraph's symbols map to exactly one element."""
    for glyph, rights in sorted(mapping.items()):
        if len(rights) != 1 or glyph in confirmed:
            continue
        right = next(iter(rights))
        for i, c in enumerate(chars):
            if c == glyph:
                chars[i] = right
                repairs.append(
                    Repair(
                        offset + i,
                        offset + i + 1,
                        glyph,
                        right,
                        f"glyph: paragraph symbols map {glyph} to {right} (context)",
                    )
                )


def _enumeration_pass(chars: list[str], offset: int, repairs: list[Repair]) -> None:
    """Repair damaged members of element enumerations (see the module docstring)."""
    tab = table()
    line = "".join(chars)
    for m in _enum_re().finditer(line):
        items = [(m.start() + k.start(), k.group(0)) for k in re.finditer(f"[{HAN}]", m.group(0))]
        items = [(i, c) for i, c in items if c in tab.element_chars]
        tail = m.group("tail") or ""
        glyphs = [c for _, c in items]
        plan: dict[int, str] = {}
        cued = [g for g, (_mem, cues) in sorted(tab.groups.items()) if any(q in tail for q in cues)]
        if cued:
            members = tab.groups[cued[0]][0]
            ok = len(items) <= len(members) and all(
                g in tab.confusions and g not in members and members[k] in tab.confusions[g]
                for k, g in enumerate(glyphs)
            )
            if ok:
                plan = {pos: members[k] for k, (pos, _g) in enumerate(items)}
        else:
            intact = [g for g in glyphs if g not in tab.confusions]
            for _name, (members, _cues) in sorted(tab.groups.items()):
                if len(intact) < 2 or not all(g in members for g in intact):
                    continue
                for pos, g in items:
                    if g not in tab.confusions:
                        continue
                    cands = [c for c in tab.confusions[g] if c in members and c not in glyphs]
                    if len(cands) == 1:
                        plan[pos] = cands[0]
                break
        for pos, right in sorted(plan.items()):
            before = chars[pos]
            chars[pos] = right
            repairs.append(
                Repair(
                    offset + pos,
                    offset + pos + 1,
                    before,
                    right,
                    f"glyph: enumeration of {''.join(glyphs)} read as {right} (inferred)",
                )
            )


def repair_glyphs(text: str) -> tuple[str, list[Repair]]:
    """Repair damaged element glyphs paragraph by paragraph; returns (text, repairs)."""
    lines = text.split("\n")
    repairs: list[Repair] = []
    out: list[str] = []
    pos = 0
    damaged = False
    states: list[tuple[list[str], int]] = []
    for line in lines:
        chars = list(line)
        mapping, confirmed = _symbol_pass(chars, pos, repairs)
        _context_pass(chars, pos, mapping, confirmed, repairs)
        damaged = damaged or bool(mapping)
        states.append((chars, pos))
        pos += len(line) + 1
    if damaged:
        for chars, start in states:
            _enumeration_pass(chars, start, repairs)
    for chars, _start in states:
        out.append("".join(chars))
    repairs.sort(key=lambda r: (r.start, r.end))
    return "\n".join(out), repairs
