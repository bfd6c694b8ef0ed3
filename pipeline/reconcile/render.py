"""``OUT/reconciled.md``: the reconciliation as tables a person reads."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

_SECTIONS = (("periods", "Observed"), ("targets", "Targets"), ("scenarios", "Scenarios"))


def _cell(x: Any) -> str:
    """A table cell: no pipes or line breaks."""
    s = "" if x is None else str(x)
    return s.replace("|", "\\|").replace("\n", " ").replace("\t", " ").strip()


def _num(x: Any) -> str:
    """A bound for people; open bounds as …"""
    if x is None:
        return "…"
    x = float(x)
    if math.isinf(x):
        return "…"
    return f"{x:.6g}" if abs(x) < 1e6 else f"{x:,.0f}"


def _consensus(c: Mapping[str, Any]) -> str:
    """[lo, hi] unit (n sources)."""
    if c.get("low") is None and c.get("high") is None:
        return "none"
    unit = f" {c['unit']}" if c.get("unit") else ""
    return f"[{_num(c.get('low'))}, {_num(c.get('high'))}]{unit} ({c.get('sources', 0)} source(s))"


def _source(e: Mapping[str, Any]) -> str:
    """outlet, date, doc_id."""
    parts = [p for p in (e.get("outlet"), e.get("published")) if p]
    return ", ".join([*map(str, parts), f"doc {e.get('doc_id')}"])


def render_markdown(
    reconciled: Mapping[str, Any],
    render_group: Callable[[Any], str] | None = None,
) -> str:
    """Every group, period, consensus and claim with its source, sentence, label and explanation.

    ``render_group`` (default: :func:`group_markdown`) lets a caller serve unchanged
    groups from a cache; it is given the items of ``groups`` (which it may keep in any
    form, e.g. the corpus stage's cached lines).
    """
    return "".join(
        p if isinstance(p, str) else p.decode() for p in markdown_pieces(reconciled, render_group)
    )


def markdown_pieces(
    reconciled: Mapping[str, Any],
    render_group: Callable[[Any], str | bytes] | None = None,
) -> list[str | bytes]:
    """``render_markdown`` in pieces, never joined (~40 MB at 10,000 documents); a group's
    piece may be UTF-8 bytes, as a cache stores it."""
    groups = reconciled.get("groups") or []
    head = [
        "# Reconciled figures",
        "",
        f"{len(groups)} group(s) of claims about the same quantity (metric, subject, object, "
        "commodity). Periods form a time series; targets and scenarios are listed apart and "
        "never weighed against observations. Every claim is shown; nothing is averaged away.",
        "",
    ]
    pieces: list[str | bytes] = ["\n".join(head)]
    one = render_group or group_markdown
    for g in groups:
        pieces += ("\n", one(g))
    # the text ends in one newline: trailing whitespace is stripped from the last pieces
    while pieces:
        last = pieces.pop()
        text = (last if isinstance(last, str) else last.decode()).rstrip()
        if text:
            pieces.append(text + "\n")
            return pieces
    return ["\n"]


def group_markdown(g: Mapping[str, Any]) -> str:
    """One group's section (lines joined by newlines; never empty)."""
    out: list[str] = []
    k = g.get("key") or {}
    who = f"{k.get('subject') or '—'} → {k.get('object') or '—'}"
    out.append(f"## {k.get('metric')} · {who} · {k.get('commodity') or 'unspecified commodity'}")
    out.append("")
    series = [
        f"{s.get('period') or 'undated'}: [{_num(s.get('low'))}, {_num(s.get('high'))}]"
        for s in g.get("series") or []
    ]
    if series:
        out.append(f"Series ({g.get('unit') or 'no unit'}): " + "; ".join(series))
        out.append("")
    for note in g.get("series_notes") or []:
        out.append(f"- {note}")
    if g.get("series_notes"):
        out.append("")
    for part, title in _SECTIONS:
        sections = g.get(part) or []
        if not sections:
            continue
        out.append(f"### {title}")
        out.append("")
        out.append(
            "| period | consensus | claim | figure | modality | source | label | explanation | sentence |"
        )
        out.append("|---|---|---|---|---|---|---|---|---|")
        for sec in sections:
            cons = _consensus(sec.get("consensus") or {})
            for e in sec.get("claims") or []:
                figure = e.get("surface")
                if e.get("attribution"):
                    figure = f"{figure} (per {e['attribution']})"
                out.append(
                    "| "
                    + " | ".join(
                        _cell(x)
                        for x in (
                            sec.get("period") or "undated",
                            cons,
                            e.get("claim_id"),
                            figure,
                            e.get("modality"),
                            _source(e),
                            e.get("label"),
                            e.get("explanation"),
                            e.get("sentence"),
                        )
                    )
                    + " |"
                )
        out.append("")
    related = g.get("related") or []
    if related:
        out.append("Related (same parties and commodity, another metric):")
        out.append("")
        for r in related:
            ser = "; ".join(
                f"{x.get('period') or 'undated'}: [{_num(x.get('low'))}, {_num(x.get('high'))}]"
                for x in r.get("series") or []
            )
            out.append(f"- {r.get('metric')}: {ser or 'targets/scenarios only'}")
        out.append("")
    variants = g.get("scope_variants") or []
    if variants:
        out.append("Scope variants (same metric and parties, another commodity; not merged):")
        out.append("")
        for v in variants:
            ids = ", ".join(
                f"{c.get('claim_id')} {c.get('surface')} @{c.get('period') or 'undated'}"
                for c in v.get("claims") or []
            )
            out.append(f"- {v.get('commodity') or 'unspecified'}: {ids}")
        out.append("")
    return "\n".join(out)
