"""HTML report: self-contained, escaped, every figure links to an existing sentence anchor."""

from __future__ import annotations

import copy
import html as htmllib
from html.parser import HTMLParser
from typing import Any

import pytest

from pipeline.report.briefing import briefing_facts
from pipeline.report.charts import Band, Mark, group_chart, nice_ticks
from pipeline.report.common import sentence_spans
from pipeline.report.html import render_report, sentence_id
from tests.report.conftest import DOC_X_ID, HOSTILE


class _Collect(HTMLParser):
    """Tags, ids, hrefs and the text inside each sentence span."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.span_text: dict[str, str] = {}
        self._open: list[str | None] = []  # id of each open <span>, to collect its text
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if a.get("href") is not None:
            self.hrefs.append(str(a["href"]))
        if tag == "span":
            sid = a.get("id") if (a.get("class") == "s") else None
            self._open.append(sid)
            if sid:
                self.span_text[sid] = ""
        self._in_title = tag == "title" and not self.title

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._open:
            self._open.pop()
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        for sid in self._open:
            if sid:
                self.span_text[sid] += data
        if self._in_title:
            self.title += data


def _report(corpus: dict[str, Any]) -> str:
    return render_report(
        corpus["docs"],
        corpus["extracted"],
        corpus["claims"],
        corpus["reconciled"],
        briefing_facts(corpus["reconciled"]),
    )


@pytest.fixture
def page(corpus: dict[str, Any]) -> tuple[str, _Collect]:
    out = _report(corpus)
    p = _Collect()
    p.feed(out)
    return out, p


def test_every_internal_link_target_exists(page: tuple[str, _Collect]) -> None:
    _, p = page
    internal = [h for h in p.hrefs if h.startswith("#")]
    assert len(internal) > 20
    missing = sorted({h for h in internal if h[1:] not in p.ids})
    assert missing == []


def test_every_claim_links_to_its_sentence(
    corpus: dict[str, Any], page: tuple[str, _Collect]
) -> None:
    _, p = page
    hrefs = set(p.hrefs)
    for c in corpus["claims"]:
        text = corpus["docs"][c["doc_id"]]["text"]
        s, e = next(
            (s, e)
            for s, e in sentence_spans(text, corpus["extracted"][c["doc_id"]]["sentences"])
            if s <= c["start"] < e
        )
        anchor = sentence_id(c["doc_id"], s)
        assert "#" + anchor in hrefs, c["claim_id"]
        assert anchor in p.ids
        assert text[c["start"] : c["end"]] == c["surface"]
        # The anchored span shows exactly the sentence, and it holds the claim's surface.
        assert p.span_text[anchor] == text[s:e]
        assert c["surface"] in p.span_text[anchor]


def test_chart_marks_link_to_sentences(corpus: dict[str, Any], page: tuple[str, _Collect]) -> None:
    out, p = page
    assert out.count("<svg") == len(corpus["reconciled"]["groups"])
    marks = [a for t, a in p.tags if t == "a" and (a.get("class") or "").startswith("mark")]
    grouped = {
        c["claim_id"]
        for g in corpus["reconciled"]["groups"]
        for part in (*g["periods"], *g["targets"])
        for c in part["claims"]
    }
    assert len(marks) == len(grouped)
    assert sum(1 for a in marks if a.get("class") == "mark conflict") == 1
    assert all(str(a["href"]).startswith("#d-") for a in marks)


def test_article_text_is_escaped(corpus: dict[str, Any], page: tuple[str, _Collect]) -> None:
    out, p = page
    # The page has no script element, no event handlers, no javascript: URLs of its own...
    assert not [t for t, _ in p.tags if t in ("script", "img", "iframe", "object", "embed")]
    for _, attrs in p.tags:
        assert not [k for k in attrs if k.startswith("on")]
        for v in attrs.values():
            assert not str(v or "").strip().lower().startswith("javascript:")
    # ...and the hostile strings are there, as text.
    assert htmllib.escape(HOSTILE) in out
    assert "<script" not in out.lower()
    assert p.title.startswith("稀土與關鍵礦產")
    doc_text = corpus["docs"][DOC_X_ID]["text"]
    spans = sentence_spans(doc_text, corpus["extracted"][DOC_X_ID]["sentences"])
    shown = "".join(p.span_text[sentence_id(DOC_X_ID, s)] for s, _ in spans)
    assert HOSTILE in shown  # visible verbatim to the reader


def test_page_is_self_contained(page: tuple[str, _Collect]) -> None:
    out, p = page
    for tag, attrs in p.tags:
        assert "src" not in attrs, tag
        if tag == "link":
            pytest.fail("external stylesheet")
        href = str(attrs.get("href") or "")
        assert not href.startswith(("http:", "https:", "//")), href
    csp = [a for t, a in p.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in str(csp[0]["content"])
    assert "script-src" not in str(csp[0]["content"])  # scripts fall back to 'none'
    assert '"Noto Sans CJK TC"' in out and "Microsoft JhengHei" in out
    assert ":target" in out
    assert 'lang="zh-Hant"' in out


def test_report_sections_and_determinism(
    corpus: dict[str, Any], page: tuple[str, _Collect]
) -> None:
    out, p = page
    for sec in ("overview", "figures", "timeline", "entities", "documents"):
        assert sec in p.ids
    for d in corpus["docs"]:
        assert f"doc-{d}" in p.ids
    assert out == _report(corpus)


def test_report_without_reconciled_groups_or_claims(corpus: dict[str, Any]) -> None:
    out = render_report(corpus["docs"], corpus["extracted"], [], {"groups": []}, None)
    assert "（沒有彙整數字）" in out and "<svg" not in out


@pytest.mark.parametrize(
    "mark,expect",
    [
        (Mark("2025", 58, 58, "exact", False, "#a", "t"), '<circle class="dot"'),
        (Mark("2025", 60, 60, "approx", False, "#a", "t"), "dot hollow"),
        (Mark("2025", 60, 70, "range", False, "#a", "t"), '<rect class="range"'),
        (Mark("2025", 90, None, "at_least", False, "#a", "t"), "bound-head"),
        (Mark("2025", None, 50, "at_most", False, "#a", "t"), "bound-head"),
        (Mark("2025", 85, 85, "exact", True, "#a", "t"), 'class="mark conflict"'),
    ],
)
def test_chart_mark_shapes(mark: Mark, expect: str) -> None:
    svg = group_chart(["2025"], ["2025年"], [mark], [Band("2025", 60, 70)], unit="%", title="x")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert expect in svg
    assert 'href="#a"' in svg


def test_chart_escapes_titles_and_handles_no_values() -> None:
    svg = group_chart(
        ["2025"],
        ["<b>"],
        [Mark("2025", 1, 1, "exact", False, "#a", HOSTILE)],
        unit=None,
        title="<i>",
    )
    assert "<script" not in svg and "<b>" not in svg and "<i>" not in svg
    assert (
        group_chart(["2025"], ["2025"], [Mark("2025", None, None, "exact", False, "#a", "t")]) == ""
    )


@pytest.mark.parametrize(
    "lo,hi,first,last",
    [(0, 100, 0, 100), (0, 87, 0, 100), (0, 6.6e11, 0, 8e11), (12, 13, 12, 13)],
)
def test_nice_ticks_cover_the_range(lo: float, hi: float, first: float, last: float) -> None:
    t = nice_ticks(lo, hi)
    assert t[0] <= lo and t[-1] >= hi
    assert (t[0], t[-1]) == (first, last)


def test_scope_variants_link_to_the_sibling_group(corpus: dict[str, Any]) -> None:
    rec = corpus["reconciled"]
    jp = rec["groups"][1]
    heavy = copy.deepcopy(jp)
    heavy["key"]["commodity"] = "heavy rare earths"
    heavy["periods"] = [copy.deepcopy(jp["periods"][0])]
    heavy["targets"] = []
    jp["scope_variants"] = [
        {
            "commodity": "heavy rare earths",
            "note": "different commodity scope",
            "claims": [{"claim_id": "b-c003", "doc_id": "x", "period": "2025"}],
        }
    ]
    rec["groups"].append(heavy)
    out = render_report(corpus["docs"], corpus["extracted"], corpus["claims"], rec, None)
    p = _Collect()
    p.feed(out)
    facts = briefing_facts(rec, corpus["claims"])
    target = next(i for i, f in enumerate(facts) if f["commodity"] == "heavy rare earths")
    assert f'<a href="#fig-{target}">heavy rare earths（1）</a>' in out
    assert f"fig-{target}" in p.ids


def test_series_notes_are_shown_escaped(corpus: dict[str, Any]) -> None:
    corpus["reconciled"]["groups"][1]["series_notes"] = ["2010 → 2025: fell <b>sharply</b>"]
    out = render_report(corpus["docs"], corpus["extracted"], corpus["claims"], corpus["reconciled"])
    assert "2010 → 2025: fell &lt;b&gt;sharply&lt;/b&gt;" in out
