"""Score normalized documents against the gold annotations of the seeds.

Figures per document and in total:

* boilerplate: gold ``boilerplate`` substrings that are gone from the text (higher is
  better; a leftover is a kept ad/notice);
* body: gold claim and date surfaces (``surface_norm``, else ``surface``, also accepted in
  our own width-normalized spelling) still present (a miss is lost body text, the worse
  error);
* glyphs: gold ``glyph_repairs`` applied (wrong form gone, right form present at least
  ``count`` times) and ``glyph_keep`` surfaces kept;
* pdf_breaks: gold mid-sentence breaks joined (the fragments meet without whitespace);
* fields: title (``title``/``title_norm``; when the title is not in the text, the first
  body heading is the accepted fallback), published (= ``pub_date``, null when the gold is
  null), outlet (the gold name before any parenthesis/comma note), authors (same set).
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any

from pipeline.normalize.width import normalize_width
from pipeline.records import NormalizedDocument

FIELDS = ("title", "published", "outlet", "authors")


def _forms(s: str) -> list[str]:
    """A gold string and the spellings our normalization gives it."""
    return list(dict.fromkeys([s, normalize_width(s), normalize_width(s, join_cjk=True)]))


def _present(text: str, item: dict[str, Any]) -> bool:
    """Whether a gold claim/date surface survives in the text."""
    forms: list[str] = []
    for key in ("surface_norm", "surface"):
        if item.get(key):
            forms += _forms(str(item[key]))
    return any(f and f in text for f in forms)


def _loose(s: str | None) -> str:
    """Comparison key for titles: width-normalized, without spaces."""
    return re.sub(r"\s+", "", normalize_width(s or "", join_cjk=True))


def outlet_core(gold_outlet: str | None) -> str | None:
    """The outlet name of a gold value, without its parenthetical or comma note."""
    if not gold_outlet:
        return None
    return re.split(r"\s*[(（,，]", gold_outlet)[0].strip() or None


def field_matches(g: dict[str, Any], doc: NormalizedDocument) -> dict[str, bool]:
    """Per-field agreement of one document with its gold entry."""
    titles = {_loose(g.get("title")), _loose(g.get("title_norm"))} - {""}
    if g.get("title_in_text") is False and g.get("headings"):
        titles.add(_loose(g["headings"][0]))
    return {
        "title": _loose(doc.title) in titles if doc.title else not titles,
        "published": (doc.published or None) == (g.get("pub_date") or None),
        "outlet": (doc.outlet or None) == outlet_core(g.get("outlet")),
        "authors": sorted(doc.authors) == sorted(g.get("authors") or []),
    }


def _find(g: dict[str, Any], docs: dict[str, NormalizedDocument]) -> NormalizedDocument | None:
    """The document for a gold entry, keyed by file name, doc number or source path."""
    for key in (g.get("file"), g.get("doc"), PurePath(str(g.get("file", ""))).stem):
        if key and key in docs:
            return docs[key]
    for doc in docs.values():
        if PurePath(doc.source_path).name == g.get("file"):
            return doc
    return None


def score_document(g: dict[str, Any], doc: NormalizedDocument) -> dict[str, Any]:
    """Counts and failures for one document."""
    text = doc.text
    bp = [b for b in g.get("boilerplate", []) if b]
    bp_left = [b for b in bp if any(f in text for f in _forms(b))]
    items = list(g.get("claims", [])) + list(g.get("dates", []))
    lost = [str(it.get("surface")) for it in items if not _present(text, it)]
    glyph_total = glyph_ok = 0
    glyph_fail: list[str] = []
    for rep in g.get("glyph_repairs", []):
        glyph_total += 1
        wrong = any(f in text for f in _forms(rep["surface"]))
        right = max(text.count(f) for f in _forms(rep["correct"]))
        if not wrong and right >= int(rep.get("count", 1)):
            glyph_ok += 1
        else:
            glyph_fail.append(f"{rep['surface']}→{rep['correct']}")
    keep = [k["surface"] for k in g.get("glyph_keep", [])]
    keep_lost = [k for k in keep if not any(f in text for f in _forms(k))]
    breaks = list(g.get("pdf_breaks", []))
    breaks_open = [b for b in breaks if re.sub(r"\s+", "", b) not in re.sub(r"[ \t]+", "", text)]
    fields = field_matches(g, doc)
    return {
        "boilerplate": {"total": len(bp), "removed": len(bp) - len(bp_left), "left": bp_left},
        "body": {"total": len(items), "kept": len(items) - len(lost), "lost": lost},
        "glyphs": {"total": glyph_total, "applied": glyph_ok, "failed": glyph_fail},
        "glyph_keep": {"total": len(keep), "kept": len(keep) - len(keep_lost), "lost": keep_lost},
        "pdf_breaks": {
            "total": len(breaks),
            "joined": len(breaks) - len(breaks_open),
            "open": breaks_open,
        },
        "fields": fields,
        "values": {f: getattr(doc, f) for f in FIELDS},
    }


def _rate(num: int, den: int) -> float:
    """num/den, 1.0 when there is nothing to count."""
    return num / den if den else 1.0


def score_normalization(
    gold: dict[str, Any], docs: dict[str, NormalizedDocument]
) -> dict[str, Any]:
    """Score all gold documents found in ``docs`` (see the module docstring)."""
    per_doc: dict[str, Any] = {}
    missing: list[str] = []
    for g in gold.get("docs", []):
        doc = _find(g, docs)
        name = str(g.get("doc") or g.get("file"))
        if doc is None:
            missing.append(name)
            continue
        per_doc[name] = score_document(g, doc)
    tot: dict[str, Any] = {}
    for key, num in (
        ("boilerplate", "removed"),
        ("body", "kept"),
        ("glyphs", "applied"),
        ("glyph_keep", "kept"),
        ("pdf_breaks", "joined"),
    ):
        n = sum(d[key][num] for d in per_doc.values())
        t = sum(d[key]["total"] for d in per_doc.values())
        tot[key] = {"total": t, num: n, "rate": _rate(n, t)}
    for f in FIELDS:
        n = sum(1 for d in per_doc.values() if d["fields"][f])
        tot[f] = {"total": len(per_doc), "correct": n, "rate": _rate(n, len(per_doc))}
    return {"docs": per_doc, "totals": tot, "missing_docs": missing}


def format_score(score: dict[str, Any]) -> str:
    """A plain-text table of a ``score_normalization`` result."""
    lines = ["doc   boilerplate  body      glyphs  keep  breaks  title pub outlet authors"]
    for name, d in score["docs"].items():
        f = d["fields"]
        lines.append(
            f"{name:<5} {d['boilerplate']['removed']:>3}/{d['boilerplate']['total']:<3}     "
            f"{d['body']['kept']:>3}/{d['body']['total']:<3}  "
            f"{d['glyphs']['applied']:>2}/{d['glyphs']['total']:<2}   "
            f"{d['glyph_keep']['kept']}/{d['glyph_keep']['total']}   "
            f"{d['pdf_breaks']['joined']}/{d['pdf_breaks']['total']}     "
            + "  ".join("ok" if f[k] else "--" for k in FIELDS)
        )
    t = score["totals"]
    lines.append(
        "total: boilerplate removed {:.1%}, body kept {:.1%}, glyph repairs {:.1%}, "
        "glyph keeps {:.1%}, pdf breaks {:.1%}".format(
            t["boilerplate"]["rate"],
            t["body"]["rate"],
            t["glyphs"]["rate"],
            t["glyph_keep"]["rate"],
            t["pdf_breaks"]["rate"],
        )
    )
    lines.append("fields: " + ", ".join(f"{k} {t[k]['correct']}/{t[k]['total']}" for k in FIELDS))
    for name, d in score["docs"].items():
        for key, lst in (
            ("boilerplate left", d["boilerplate"]["left"]),
            ("body lost", d["body"]["lost"]),
            ("glyph failed", d["glyphs"]["failed"]),
            ("keep lost", d["glyph_keep"]["lost"]),
            ("break open", d["pdf_breaks"]["open"]),
        ):
            if lst:
                lines.append(f"  {name} {key}: {lst}")
        for k in FIELDS:
            if not d["fields"][k]:
                lines.append(f"  {name} {k}: got {d['values'][k]!r}")
    return "\n".join(lines)
