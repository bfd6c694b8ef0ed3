"""Render test documents: multi-page CJK PDFs (reportlab) and realistic Chinese portal HTML.

Used by the ingest tests, by tools/make_sample_corpus.py and by the integration tests
that render the seeds into PDF and HTML. Paragraph text may carry footnote markers
written ``[^1]``; ``plain()`` strips them, giving the text a reader should rebuild.
"""

from __future__ import annotations

import html as htmllib
import json
import re
from collections.abc import Sequence
from pathlib import Path

CJK_FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
FONT_NAME = "WQYMicroHei"
MARKER_RE = re.compile(r"\[\^(\d+)\]")
# Characters that must not start a line (kinsoku): they are pulled onto the line before.
NO_LINE_START = set("，。、；：！？」』）》〉％,.;:!?)%")


def font_available() -> bool:
    """Whether the CJK TrueType font the PDF renderer needs is installed."""
    return CJK_FONT_PATH.is_file()


def plain(paragraph: str) -> str:
    """The paragraph without ``[^n]`` footnote markers: what a reader should rebuild."""
    return MARKER_RE.sub("", paragraph)


def _register_font() -> None:
    """Register the CJK TrueType font once (reportlab keeps a global registry)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(CJK_FONT_PATH), subfontIndex=0))


def _tokens(text: str) -> list[tuple[str, bool]]:
    """Split text into unbreakable tokens: Latin words/numbers, single CJK chars, markers.

    The flag is True for footnote-marker tokens.
    """
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in re.finditer(r"\[\^\d+\]|[A-Za-z0-9][A-Za-z0-9.,%'/-]*|\s+|.", text):
        if m.start() != pos:  # pragma: no cover - the pattern matches every char
            raise AssertionError("tokenizer gap")
        tok = m.group(0)
        mm = MARKER_RE.fullmatch(tok)
        out.append((mm.group(1), True) if mm else (tok, False))
        pos = m.end()
    return out


def _wrap(
    text: str, width: float, size: float, marker_size: float, first_width: float | None = None
) -> list[list[tuple[str, bool]]]:
    """Greedy line wrap at a fixed width, so lines break mid-sentence like a real PDF.

    ``first_width`` is the (indented) first line's width. A space where a line breaks
    is dropped, as typesetters do.
    """
    from reportlab.pdfbase import pdfmetrics

    lines: list[list[tuple[str, bool]]] = []
    cur: list[tuple[str, bool]] = []
    cur_w = 0.0
    limit = width if first_width is None else first_width
    for tok, is_marker in _tokens(text):
        w = pdfmetrics.stringWidth(tok, FONT_NAME, marker_size if is_marker else size)
        fits = cur_w + w <= limit
        if cur and not fits and not is_marker and tok[0] not in NO_LINE_START:
            while cur and cur[-1][0].isspace():
                cur.pop()
            lines.append(cur)
            cur, cur_w = [], 0.0
            limit = width
            if tok.isspace():
                continue
        cur.append((tok, is_marker))
        cur_w += w
    while cur and cur[-1][0].isspace():
        cur.pop()
    if cur:
        lines.append(cur)
    return lines


def render_pdf(
    paragraphs: Sequence[str],
    path: Path | str | None = None,
    *,
    title: str | None = None,
    header: str | None = "中華資源政策研究中心　政策簡報",
    footer_page_numbers: bool | str = True,
    table: Sequence[Sequence[str]] | None = None,
    table_after: int = 0,
    table_caption: str | None = None,
    footnotes: Sequence[str] = (),
    indent: bool = True,
    font_size: float = 11.0,
    page_size: tuple[float, float] = (595.0, 842.0),
    margin: float = 72.0,
    encrypt: str | None = None,
    author: str | None = None,
    columns: int = 1,
    gutter: float = 24.0,
) -> bytes:
    """Lay out paragraphs over lines and pages; return the PDF bytes (also written to path).

    ``footer_page_numbers``: True → "- n -", or a format string such as "第 {n} 頁".
    ``table`` rows are drawn as a ruled grid after paragraph ``table_after``.
    ``footnotes[i]`` is the body of marker ``[^i+1]``, printed small at the foot of the
    page where the marker appears. ``columns=2`` sets the body in two columns (the title
    spans both). Output is byte-deterministic (``invariant=1``).
    """
    import io

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfgen import canvas

    _register_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=page_size, invariant=1, encrypt=encrypt)
    if title:
        c.setTitle(title)
    if author:
        c.setAuthor(author)
    pw, ph = page_size
    text_w = (pw - 2 * margin - gutter * (columns - 1)) / columns
    leading = font_size * 1.6
    marker_size = font_size * 0.55
    note_size = font_size * 0.75
    page_no = 1
    y = ph - margin
    col = 0
    col_top = y
    pending_notes: list[int] = []

    def left() -> float:
        """x of the current column's left edge."""
        return margin + col * (text_w + gutter)

    def reserve() -> float:
        """Space kept at the page foot for the footnotes already due on this page."""
        # With columns, a later column may add notes below an earlier, already full one:
        # keep room for every footnote on every page instead.
        n = len(footnotes) if columns > 1 else len(pending_notes)
        return n * note_size * 1.5 + (note_size * 2 if n else 0)

    def finish_page() -> None:
        nonlocal page_no, y, col, col_top
        if header:
            c.setFont(FONT_NAME, 9)
            c.drawString(margin, ph - 40, header)
            c.setLineWidth(0.5)
            c.line(margin, ph - 46, pw - margin, ph - 46)
        if pending_notes:
            ny = 60 + len(pending_notes) * note_size * 1.5
            c.setLineWidth(0.5)
            c.line(margin, ny + note_size, margin + 120, ny + note_size)
            c.setFont(FONT_NAME, note_size)
            for n in pending_notes:
                c.drawString(margin, ny, f"{n} {footnotes[n - 1]}")
                ny -= note_size * 1.5
            pending_notes.clear()
        if footer_page_numbers:
            fmt = "- {n} -" if footer_page_numbers is True else str(footer_page_numbers)
            c.setFont(FONT_NAME, 9)
            c.drawCentredString(pw / 2, 36, fmt.format(n=page_no))
        c.showPage()
        page_no += 1
        y = ph - margin
        col = 0
        col_top = y

    def need(height: float) -> None:
        nonlocal y, col
        if y - height < margin + reserve():
            if col < columns - 1:
                col += 1
                y = col_top
            else:
                finish_page()

    if title:
        c.setFont(FONT_NAME, font_size * 1.6)
        c.drawString(margin, y - font_size * 1.6, title)
        y -= font_size * 1.6 * 2.2
        col_top = y

    def draw_table() -> None:
        nonlocal y
        assert table is not None
        ncols = max(len(r) for r in table)
        col_w = text_w / ncols
        row_h = font_size * 2
        # Keep the caption on the same page as its table.
        need(row_h * len(table) + leading * (2 if table_caption else 1))
        if table_caption:
            c.setFont(FONT_NAME, font_size)
            c.drawString(left(), y - font_size, table_caption)
            y -= leading
        top = y
        c.setLineWidth(0.8)
        for i, row in enumerate(table):
            for j, cell in enumerate(row):
                c.setFont(FONT_NAME, font_size * 0.9)
                c.drawString(left() + j * col_w + 4, top - (i + 1) * row_h + row_h * 0.35, cell)
        for i in range(len(table) + 1):
            c.line(left(), top - i * row_h, left() + ncols * col_w, top - i * row_h)
        for j in range(ncols + 1):
            x = left() + j * col_w
            c.line(x, top, x, top - len(table) * row_h)
        y = top - len(table) * row_h - leading

    for idx, para in enumerate(paragraphs):
        indent_w = font_size * 2 if indent else 0
        lines = _wrap(para, text_w, font_size, marker_size, text_w - indent_w)
        for k, line in enumerate(lines):
            markers = [int(t) for t, m in line if m and int(t) <= len(footnotes)]
            # The line must fit together with the footnotes its markers add to this page.
            extra = (
                len(markers) * note_size * 1.5
                + (note_size * 2 if markers and not pending_notes else 0)
                if columns == 1
                else 0.0
            )
            need(leading + extra)
            pending_notes.extend(n for n in markers if n not in pending_notes)
            x = left() + (indent_w if k == 0 else 0)
            base = y - font_size
            for tok, is_marker in line:
                if is_marker:
                    c.setFont(FONT_NAME, marker_size)
                    c.drawString(x, base + font_size * 0.45, tok)
                    x += pdfmetrics.stringWidth(tok, FONT_NAME, marker_size)
                else:
                    c.setFont(FONT_NAME, font_size)
                    c.drawString(x, base, tok)
                    x += pdfmetrics.stringWidth(tok, FONT_NAME, font_size)
            y -= leading
        y -= leading * 0.6
        if table is not None and idx == table_after:
            draw_table()
    finish_page()
    c.save()
    data = buf.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data


def render_scanned_pdf(path: Path | str | None = None) -> bytes:
    """A PDF whose only page content is an image (no text layer), like a scan."""
    import io

    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    # A tiny grey PPM built in memory avoids depending on PIL-created files on disk.
    w, h = 40, 20
    ppm = b"P6 %d %d 255\n" % (w, h) + bytes([200, 200, 200]) * (w * h)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.drawImage(ImageReader(io.BytesIO(ppm)), 72, 600, width=400, height=200)
    c.showPage()
    c.save()
    data = buf.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data


def render_html(
    title: str,
    paragraphs: Sequence[str],
    *,
    published: str,
    outlet: str,
    author: str,
    ads: bool = True,
    related: bool = True,
    table: Sequence[Sequence[str]] | None = None,
    table_after: int = 0,
    subheads: dict[int, str] | None = None,
) -> str:
    """A realistic saved Chinese news-portal page around the given article text.

    ``published`` is ISO (``2026-01-14`` or ``2026-01-14T08:30:00+08:00``). The page has
    nav, ad slots, inline scripts and handlers, og/article meta tags, JSON-LD NewsArticle,
    a byline, a related-article list and a footer. Paragraph text is HTML-escaped, so
    ``>8成`` is written ``&gt;8成`` as portals do.
    """
    e = htmllib.escape
    date_only = published[:10]
    ts = published if "T" in published else f"{published}T08:00:00+08:00"
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "datePublished": ts,
        "author": [{"@type": "Person", "name": author}],
        "publisher": {"@type": "Organization", "name": outlet},
    }
    body: list[str] = []
    subheads = subheads or {}
    for i, p in enumerate(paragraphs):
        if i in subheads:
            body.append(f"<h2>{e(subheads[i])}</h2>")
        body.append(f"<p>{e(plain(p))}</p>")
        if ads and i == 1:
            body.append(
                '<div class="ad-slot" id="ad-inarticle"><span>我是廣告 請繼續往下閱讀</span>'
                '<script>googletag.cmd.push(function(){googletag.display("ad-1");});</script>'
                '<img src="https://ads.example/px.gif" onerror="window.__adfail=1" alt=""></div>'
            )
        if table is not None and i == table_after:
            rows = "".join(
                "<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in table
            )
            body.append(f'<table class="data"><tbody>{rows}</tbody></table>')
    related_html = ""
    if related:
        items = [
            ("氣象署：週末東北季風增強 北台灣轉涼", "2 小時前"),
            ("台股收盤上漲112點 半導體族群領軍", "5 小時前"),
            ("超商推出冬季限定甜點 網友搶先開箱", "1 天前"),
        ]
        lis = "".join(
            f'<li><a href="/news/{k}">{e(t)}</a><span>{e(outlet)} ・ {e(ago)} ・ </span></li>'
            for k, (t, ago) in enumerate(items)
        )
        related_html = (
            f'<aside class="related"><h3>其他人也在看</h3><ul>{lis}</ul></aside>'
            f'<section class="more"><h3>更多{e(outlet)}報導</h3><ul>'
            '<li><a href="/a">電價審議會下月召開 工業用電恐再調整</a></li>'
            '<li><a href="/b">離岸風電第三階段區塊開發 進度落後</a></li></ul></section>'
        )
    ad_top = (
        '<div class="ad" id="ad-top"><script src="https://ads.example/loader.js"></script>'
        '<iframe src="https://ads.example/frame"></iframe></div>'
        if ads
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="zh-Hant-TW">
<head>
<meta charset="utf-8">
<title>{e(title)} - {e(outlet)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{e(plain(paragraphs[0])[:60])}">
<meta name="author" content="{e(author)}">
<meta property="og:title" content="{e(title)}">
<meta property="og:site_name" content="{e(outlet)}">
<meta property="og:type" content="article">
<meta property="article:published_time" content="{e(ts)}">
<link rel="stylesheet" href="/static/site.css">
<style>.ad-slot{{min-height:250px}} body{{font-family:sans-serif}}</style>
<script>window.dataLayer=window.dataLayer||[];dataLayer.push({{"event":"pageview"}});</script>
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
</head>
<body onload="initPage()">
<header class="site-header"><a class="logo" href="/">{e(outlet)}</a>
<nav><ul><li><a href="/politics">政治</a></li><li><a href="/finance">財經</a></li>
<li><a href="/world">國際</a></li><li><a href="/tech">科技</a></li><li><a href="/life">生活</a></li></ul></nav>
</header>
{ad_top}
<main>
<article class="article-content">
<h1 class="article-title">{e(title)}</h1>
<div class="byline"><span class="author">記者{e(author)}／台北報導</span>
<time datetime="{e(ts)}">{e(date_only.replace("-", "/"))}</time></div>
<div class="share"><button onclick="share('fb')">分享</button><button onclick="share('line')">LINE</button></div>
<div class="article-body">
{chr(10).join(body)}
</div>
</article>
{related_html}
</main>
<footer class="site-footer"><p>© 2026 {e(outlet)} 版權所有，禁止轉載</p>
<p><a href="/privacy">隱私權政策</a> | <a href="/contact">聯絡我們</a> | 回頂端</p></footer>
<script>function initPage(){{document.body.classList.add("ready");}}</script>
</body>
</html>
"""
