"""The HTML report in a real headless Chromium (driven over the DevTools protocol).

Skips cleanly when no Chromium is installed (Debian: ``apt-get install chromium``).
Checks: no console errors, the charts render with size, a figure link scrolls to its
highlighted sentence, and the script-bearing article runs nothing. Screenshots go to the
test's tmp dir; their paths are printed (``pytest -s`` to see them).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.report.briefing import briefing_facts
from pipeline.report.html import render_report
from tests.report.cdp import Browser, find_chromium

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium installed (apt-get install chromium)"
)
TITLE = "稀土與關鍵礦產 數字報告 Figures report"


@pytest.fixture
def loaded(corpus: dict[str, Any], tmp_path: Path) -> Iterator[tuple[Browser, Path]]:
    """The fixture corpus' report, loaded in a fresh headless Chromium."""
    assert CHROMIUM is not None
    report = tmp_path / "report.html"
    report.write_text(
        render_report(
            corpus["docs"],
            corpus["extracted"],
            corpus["claims"],
            corpus["reconciled"],
            briefing_facts(corpus["reconciled"]),
        ),
        encoding="utf-8",
    )
    profile = tmp_path / "profile"
    profile.mkdir()
    b = Browser(CHROMIUM, profile, tmp_path / "chromium.log")
    try:
        for domain in ("Page", "Runtime", "Log"):
            b.call(f"{domain}.enable")
        b.call("Page.navigate", url=report.as_uri())
        b.wait_event("Page.loadEventFired")
        yield b, tmp_path
    finally:
        b.close()


def test_page_loads_without_console_errors_and_charts_render(loaded: tuple[Browser, Path]) -> None:
    b, tmp = loaded
    assert b.evaluate("document.readyState") == "complete"
    charts = b.evaluate(
        "[...document.querySelectorAll('svg.chart')].map(s => {"
        " const r = s.getBoundingClientRect();"
        " return [r.width, r.height, s.querySelectorAll('a.mark').length]; })"
    )
    assert len(charts) == 2
    for w, h, n in charts:
        assert w > 200 and h > 80 and n >= 1
    # Marks are drawn (non-empty boxes), conflicts included.
    assert b.evaluate("document.querySelectorAll('svg.chart a.mark.conflict circle').length") == 1
    assert b.evaluate(
        "[...document.querySelectorAll('svg.chart a.mark')].every(a => a.getBBox().height > 0)"
    )
    # CJK text is laid out (a Chinese heading has width).
    assert b.evaluate("document.querySelector('#figures h2').getBoundingClientRect().width") > 50
    shot = b.screenshot(tmp / "report-top.png")
    print(f"\nscreenshot: {shot}")
    assert shot.stat().st_size > 5000
    assert b.errors() == []


def test_figure_link_scrolls_to_highlighted_sentence(loaded: tuple[Browser, Path]) -> None:
    b, tmp = loaded
    href = b.evaluate("document.querySelector('#figures a.src').getAttribute('href')")
    assert href.startswith("#d-")
    # A real mouse click on the link, at its on-screen position.
    b.evaluate("document.querySelector('#figures a.src').scrollIntoView({block: 'center'})")
    x, y = b.evaluate(
        "(() => { const r = document.querySelector('#figures a.src').getBoundingClientRect();"
        " return [r.left + r.width / 2, r.top + r.height / 2]; })()"
    )
    for kind in ("mousePressed", "mouseReleased"):
        b.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)
    for _ in range(50):
        if b.evaluate("location.hash") == href:
            break
        b.call("Runtime.evaluate", expression="0")
    assert b.evaluate("location.hash") == href
    state = json.loads(
        b.evaluate(
            "JSON.stringify((() => { const t = document.querySelector(':target');"
            " const r = t.getBoundingClientRect();"
            " return {id: t.id, top: r.top, bottom: r.bottom, vh: innerHeight,"
            " bg: getComputedStyle(t).backgroundColor}; })())"
        )
    )
    assert "#" + state["id"] == href
    # The sentence is scrolled into view (its box in the viewport)...
    assert 0 <= state["top"] < state["vh"] and state["bottom"] > 0
    # ...and highlighted by the :target rule.
    assert state["bg"] not in ("rgba(0, 0, 0, 0)", "transparent")
    shot = b.screenshot(tmp / "report-target.png")
    print(f"\nscreenshot: {shot}")
    assert b.errors() == []


def test_script_bearing_article_executes_nothing(loaded: tuple[Browser, Path]) -> None:
    b, _ = loaded
    assert b.evaluate("document.title") == TITLE
    assert b.evaluate("document.scripts.length") == 0
    assert b.evaluate("document.querySelectorAll('img,iframe,object,embed').length") == 0
    # The hostile markup is visible as text in the document section.
    assert "<script>document.title='pwned'</script>" in b.evaluate("document.body.innerText")
    # Clicking the hostile javascript: "link" text does nothing: it is text, not a link.
    assert b.evaluate("[...document.links].filter(a => a.protocol === 'javascript:').length") == 0
    assert b.errors() == []


def test_seed_report_loads_cleanly(seed_run: dict[str, Any], tmp_path: Path) -> None:
    """The report over the real seed articles: no console errors, one chart per group."""
    assert CHROMIUM is not None
    rec = seed_run["reconciled"]
    report = tmp_path / "seeds-report.html"
    page = render_report(seed_run["docs"], seed_run["extracted"], seed_run["claims"], rec, None)
    report.write_text(page, encoding="utf-8")
    profile = tmp_path / "profile"
    profile.mkdir()
    b = Browser(CHROMIUM, profile, tmp_path / "chromium.log")
    try:
        for domain in ("Page", "Runtime", "Log"):
            b.call(f"{domain}.enable")
        b.call("Page.navigate", url=report.as_uri())
        b.wait_event("Page.loadEventFired")
        n_charts = b.evaluate("document.querySelectorAll('svg.chart').length")
        assert n_charts == page.count('<svg class="chart"')
        assert n_charts >= sum(1 for g in rec.get("groups", []) if g.get("periods"))
        # Every chart is laid out with a size and holds at least one linked mark.
        assert b.evaluate(
            "[...document.querySelectorAll('svg.chart')].every(s =>"
            " s.getBoundingClientRect().width > 200 && s.querySelector('a.mark'))"
        )
        broken = b.evaluate(
            "[...document.querySelectorAll('a[href^=\"#\"]')]"
            ".filter(a => !document.getElementById(a.getAttribute('href').slice(1))).length"
        )
        assert broken == 0
        assert b.evaluate("document.scripts.length") == 0
        shot = b.screenshot(tmp_path / "seeds-report.png")
        print(f"\nscreenshot: {shot}")
        assert b.errors() == []
    finally:
        b.close()
