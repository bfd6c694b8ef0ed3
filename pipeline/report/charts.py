"""Inline SVG charts for the HTML report (no JavaScript, no external assets).

One chart per reconciled group: periods along x, values along y; each claim is a mark
linked to its sentence — a dot for a point value, a bar for a range, a dot with an
arrow for an open bound — conflicts drawn in red, the consensus as a shaded band.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

W, H = 660, 250
PERIOD_W = 84
ML, MR, MT, MB = 64, 16, 14, 42
ARROW = 22


@dataclass
class Mark:
    """One claim drawn in a chart."""

    period: str
    low: float | None
    high: float | None
    qualifier: str
    conflict: bool
    href: str
    title: str


@dataclass
class Band:
    """The consensus interval of one period (None bounds are open)."""

    period: str
    low: float | None
    high: float | None


def _esc(s: str) -> str:
    """Escape for SVG text and attributes."""
    return html.escape(s, quote=True)


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """Round tick values covering [lo, hi]."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.floor(lo / step + 1e-9)
    last = math.ceil(hi / step - 1e-9)
    return [round(i * step, 10) for i in range(first, last + 1)]


def _tick_label(v: float) -> str:
    """Compact axis label (萬/億 for large values)."""
    a = abs(v)
    if a >= 1e8:
        return f"{v / 1e8:g}億"
    if a >= 1e4:
        return f"{v / 1e4:g}萬"
    return f"{v:g}"


def group_chart(
    periods: Sequence[str],
    period_labels: Sequence[str],
    marks: Sequence[Mark],
    bands: Sequence[Band] = (),
    unit: str | None = None,
    title: str = "",
) -> str:
    """An SVG chart of one reconciled group."""
    vals = [v for m in marks for v in (m.low, m.high) if v is not None]
    vals += [v for b in bands for v in (b.low, b.high) if v is not None]
    if not periods or not vals:
        return ""
    lo, hi = min(vals), max(vals)
    if unit == "%":
        lo, hi = min(0.0, lo), max(hi, 10.0)
    else:
        lo = min(0.0, lo)
    ticks = nice_ticks(lo, hi if hi > lo else lo + 1)
    y0, y1 = ticks[0], ticks[-1]
    ph = H - MT - MB
    # Wide enough for every period label (about 80px each); CSS scales it down to fit.
    width = max(W, ML + MR + PERIOD_W * len(periods))
    pw = width - ML - MR

    def y(v: float) -> float:
        return MT + ph * (1 - (v - y0) / (y1 - y0 or 1))

    bw = pw / len(periods)
    xi = {p: i for i, p in enumerate(periods)}
    out = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {H}" '
        f'width="{width}" height="{H}" role="img" aria-label="{_esc(title)}">',
        f"<title>{_esc(title)}</title>",
    ]
    for t in ticks:
        yy = y(t)
        out.append(
            f'<line class="grid" x1="{ML}" x2="{width - MR}" y1="{yy:.1f}" y2="{yy:.1f}"/>'
            f'<text class="tick" x="{ML - 6}" y="{yy + 4:.1f}" text-anchor="end">'
            f"{_esc(_tick_label(t))}{_esc(unit or '') if unit == '%' else ''}</text>"
        )
    for p, label in zip(periods, period_labels, strict=False):
        cx = ML + bw * (xi[p] + 0.5)
        out.append(
            f'<text class="period" x="{cx:.1f}" y="{H - MB + 18}" text-anchor="middle">'
            f"{_esc(label)}</text>"
        )
    for b in bands:
        if b.period not in xi or (b.low is None and b.high is None):
            continue
        top = y(b.high) if b.high is not None else MT
        bot = y(b.low) if b.low is not None else MT + ph
        x = ML + bw * xi[b.period] + 4
        out.append(
            f'<rect class="consensus" x="{x:.1f}" y="{top - 2:.1f}" width="{bw - 8:.1f}" '
            f'height="{max(bot - top, 0) + 4:.1f}"><title>共識 consensus</title></rect>'
        )
    by_period: dict[str, list[Mark]] = {}
    for m in marks:
        by_period.setdefault(m.period, []).append(m)
    for p, ms in by_period.items():
        if p not in xi:
            continue
        for j, m in enumerate(ms):
            cx = ML + bw * xi[p] + bw * (j + 1) / (len(ms) + 1)
            out.append(_mark(m, cx, y, MT, MT + ph))
    out.append(
        f'<line class="axis" x1="{ML}" x2="{ML}" y1="{MT}" y2="{MT + ph}"/>'
        f'<line class="axis" x1="{ML}" x2="{width - MR}" y1="{MT + ph}" y2="{MT + ph}"/>'
    )
    out.append("</svg>")
    return "".join(out)


def _mark(m: Mark, cx: float, y: Callable[[float], float], top: float, bottom: float) -> str:
    """One linked mark: dot, range bar, or dot with an arrow for an open bound."""
    cls = "mark conflict" if m.conflict else "mark"
    body: list[str] = [f"<title>{_esc(m.title)}</title>"]
    if m.low is not None and m.high is not None and m.low != m.high:
        ya, yb = y(m.high), y(m.low)
        body.append(
            f'<rect class="range" x="{cx - 4:.1f}" y="{ya:.1f}" width="8" '
            f'height="{max(yb - ya, 1.5):.1f}" rx="2"/>'
        )
    elif m.low is not None and m.high is not None:
        yy = y(m.low)
        hollow = " hollow" if m.qualifier == "approx" else ""
        body.append(f'<circle class="dot{hollow}" cx="{cx:.1f}" cy="{yy:.1f}" r="5"/>')
    elif m.low is not None:  # at least / more than: arrow upwards
        yy = y(m.low)
        tip = max(top, yy - ARROW)
        body.append(_arrow(cx, yy, tip))
        body.append(f'<circle class="dot" cx="{cx:.1f}" cy="{yy:.1f}" r="4.5"/>')
    elif m.high is not None:  # at most / less than / nearly: arrow downwards
        yy = y(m.high)
        tip = min(bottom, yy + ARROW)
        body.append(_arrow(cx, yy, tip))
        body.append(f'<circle class="dot" cx="{cx:.1f}" cy="{yy:.1f}" r="4.5"/>')
    else:
        return ""
    top_value = m.high if m.high is not None else m.low
    if m.conflict and top_value is not None:
        yy = y(top_value)
        body.append(f'<text class="flag" x="{cx + 7:.1f}" y="{yy - 6:.1f}">!</text>')
    return f'<a class="{cls}" href="{_esc(m.href)}">{"".join(body)}</a>'


def _arrow(x: float, y_from: float, y_tip: float) -> str:
    """A vertical arrow from y_from to y_tip (head at the tip)."""
    d = 1 if y_tip > y_from else -1
    return (
        f'<line class="bound" x1="{x:.1f}" x2="{x:.1f}" y1="{y_from:.1f}" y2="{y_tip:.1f}"/>'
        f'<polygon class="bound-head" points="{x - 4:.1f},{y_tip - 6 * d:.1f} '
        f'{x + 4:.1f},{y_tip - 6 * d:.1f} {x:.1f},{y_tip:.1f}"/>'
    )
