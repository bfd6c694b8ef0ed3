"""Summaries, briefing and report over the real seed articles (skips without ../shared).

Runs the upstream stages (ingest, extract, claims) as they are today; checks only what
the report layer guarantees: verbatim sentences, no boilerplate, valid links, escaping.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from pipeline.report.briefing import _md, briefing_facts, briefing_state, render_briefing
from pipeline.report.html import render_report
from pipeline.report.summaries import render_summary_md, summarize


def test_seed_summaries_are_verbatim_and_free_of_boilerplate(seed_run: dict[str, Any]) -> None:
    for doc_id, doc in seed_run["docs"].items():
        g = seed_run["gold"][doc_id]
        doc_claims = [c for c in seed_run["claims"] if c.get("doc_id") == doc_id]
        s = summarize(doc, seed_run["extracted"][doc_id], doc_claims)
        sents = s["sentences"]
        assert 3 <= len(sents) <= 5, g["file"]
        assert [x["start"] for x in sents] == sorted(x["start"] for x in sents)
        for x in sents:
            assert doc["text"][x["start"] : x["end"]] == x["text"]
            assert "\t" not in x["text"], "table row chosen"
            for b in g["boilerplate"]:
                assert b not in x["text"], (g["file"], b)
            for h in g.get("headings", []):
                assert x["text"] != h
        md = render_summary_md(doc, s, doc_claims, seed_run["extracted"][doc_id].get("times", []))
        assert md.startswith("# ")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.add(tag)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if a.get("href"):
            self.hrefs.append(str(a["href"]))


def test_seed_report_links_resolve_and_briefing_renders(seed_run: dict[str, Any]) -> None:
    docs, ex, claims, rec = (seed_run[k] for k in ("docs", "extracted", "claims", "reconciled"))
    out = render_report(docs, ex, claims, rec, briefing_facts(rec))
    p = _Links()
    p.feed(out)
    assert "script" not in p.tags
    missing = {h for h in p.hrefs if h.startswith("#") and h[1:] not in p.ids}
    assert not missing
    for c in claims:
        assert any(h.startswith(f"#d-{c['doc_id']}-s-") for h in p.hrefs)
    md = render_briefing(
        rec,
        claims,
        {d: e.get("entities", []) for d, e in ex.items()},
        {d: e.get("times", []) for d, e in ex.items()},
        briefing_state(list(docs)[:2], []),
        docs=docs,
    )
    for f in briefing_facts(rec, claims):
        assert f"- {_md(f['statement'])}" in md
