"""PDF reader: running text with paragraphs rebuilt from line geometry, plus tables.

pdfplumber gives characters with positions. Lines are rebuilt from the characters,
then each line is classified: running header/footer or page number (dropped, recorded),
footnote body at the foot of a page (moved out, recorded), table cell (lifted into a
``Table``), or body. Body lines are joined into paragraphs: a paragraph ends where a line
stops short of the right margin, the next line is indented, the vertical gap grows or
the font size changes; a page break alone never ends a paragraph. CJK lines join with
nothing, Latin lines with a space. Small raised digits right after a word are footnote
markers: dropped from the text (so 約六成¹ stays 約六成) and recorded.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.ingest.errors import IngestError
from pipeline.ingest.pdfcontent import fast_content_parser
from pipeline.records import Removed, Table

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# Page-number lines: "3", "- 3 -", "— 3 —", "第 3 頁", "第3頁，共10頁", "Page 3 of 10", "3 / 10".
PAGE_NUMBER_RE = re.compile(
    r"^\s*(?:[-–—~･・]?\s*\d{1,4}\s*[-–—~･・]?"
    r"|第\s*\d{1,4}\s*頁(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*頁)?"
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"
    r"|\d{1,4}\s*/\s*\d{1,4})\s*$",
    re.IGNORECASE,
)
# A footnote body starts with its number (not a year such as 2026年) or a symbol.
FOOTNOTE_START_RE = re.compile(r"^\s*(?:\d{1,3}(?![\d年月日%.,])|[*†‡＊※]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)")
MARGIN_ZONE = 0.12  # top/bottom share of the page height where headers/footers live


@dataclass
class _Line:
    """One printed line rebuilt from characters."""

    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    first_token_width: float
    markers: list[tuple[int, str]] = field(default_factory=list)  # (index in text, digits)
    kind: str = "body"
    column: int = 0  # 0 = full width / single column, 1 = left, 2 = right
    order: int = 0  # reading order on the page


def _is_cjk(ch: str) -> bool:
    """CJK ideographs, kana and full-width punctuation: joined without spaces."""
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFF00 <= o <= 0xFFEF
        or 0x3000 <= o <= 0x303F
        or 0x20000 <= o <= 0x3FFFF
    )


def _open(src: Path | bytes) -> Any:
    """Open with pdfplumber, translating pdfminer failures into plain-words errors."""
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        return pdfplumber.open(io.BytesIO(src) if isinstance(src, bytes) else src)
    except PdfminerException as err:
        raise _translate(err) from err
    except Exception as err:  # noqa: BLE001 - any parser failure means a damaged file
        raise IngestError(f"PDF is damaged or truncated: {type(err).__name__}: {err}") from err


def _translate(err: BaseException) -> IngestError:
    """Map a pdfminer exception to an IngestError with a readable reason."""
    inner = err.args[0] if err.args and isinstance(err.args[0], BaseException) else err
    name = type(inner).__name__
    if "Password" in name or "Encrypt" in name:
        return IngestError("encrypted PDF, cannot read without the password")
    detail = str(inner) or name
    return IngestError(f"PDF is damaged or truncated: {name}: {detail}")


def _group_rows(chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Group characters into printed rows by vertical overlap (raised markers included)."""
    groups: list[list[dict[str, Any]]] = []
    spans: list[list[float]] = []  # [top, bottom] of each group, kept up to date
    for ch in sorted(chars, key=lambda c: (round(c["bottom"], 1), c["x0"])):
        placed = False
        for gi in range(len(groups) - 1, max(len(groups) - 4, -1), -1):
            top, bottom = spans[gi]
            overlap = min(bottom, ch["bottom"]) - max(top, ch["top"])
            if overlap > 0.5 * min(bottom - top, ch["bottom"] - ch["top"]):
                groups[gi].append(ch)
                spans[gi] = [min(top, ch["top"]), max(bottom, ch["bottom"])]
                placed = True
                break
        if not placed:
            groups.append([ch])
            spans.append([ch["top"], ch["bottom"]])
    return groups


def _find_gutter(
    chars: list[dict[str, Any]], width: float, body_size: float
) -> tuple[float, float] | None:
    """The blank vertical band between two text columns, if the page has two columns."""
    body = [c for c in chars if c["text"].strip() and abs(c["size"] - body_size) < 0.15 * body_size]
    if len(body) < 40:
        return None
    bins = [0] * (int(width) + 2)
    for c in body:
        for x in range(max(int(c["x0"]), 0), min(int(c["x1"]) + 1, len(bins))):
            bins[x] += 1
    lo, hi = int(0.3 * width), int(0.7 * width)
    # A punctuation mark hanging into the gutter now and then must not hide it.
    tolerance = max(1, len({round(c["top"]) for c in body}) // 20)
    best: tuple[int, int] | None = None
    start = None
    for x in range(lo, hi + 1):
        blank = bins[x] <= tolerance
        if blank and start is None:
            start = x
        if (not blank or x == hi) and start is not None:
            end = x if not blank else x + 1
            if best is None or end - start > best[1] - best[0]:
                best = (start, end)
            start = None
    if best is None or best[1] - best[0] < max(0.8 * body_size, 8):
        return None
    g0, g1 = float(best[0]), float(best[1])
    left_rows = {round(c["top"]) for c in body if c["x1"] <= g0 + 1}
    right_rows = {round(c["top"]) for c in body if c["x0"] >= g1 - 1}
    left_n = sum(1 for c in body if c["x1"] <= g0 + 1)
    if len(left_rows) < 3 or len(right_rows) < 3 or not 0.15 < left_n / len(body) < 0.85:
        return None
    return g0, g1


def _crosses(row: list[dict[str, Any]], mid: float, body_size: float) -> bool:
    """Whether a row's text runs across the gutter's middle (a full-width line)."""
    visible = sorted((c for c in row if c["text"].strip()), key=lambda c: c["x0"])
    for a, b in zip(visible, visible[1:], strict=False):
        if a["x0"] < mid < a["x1"]:
            return True
        if a["x1"] <= mid <= b["x0"] and b["x0"] - a["x1"] < 0.5 * body_size:
            return True
    return any(c["x0"] < mid < c["x1"] for c in visible[-1:])


def _chars_to_lines(
    chars: list[dict[str, Any]], page_no: int, body_size: float, width: float = 0.0
) -> list[_Line]:
    """Build the page's lines in reading order (column by column on two-column pages)."""
    rows = _group_rows(chars)
    gutter = _find_gutter(chars, width, body_size) if width else None
    if gutter is None:
        lines = [_build_line(sorted(g, key=lambda c: c["x0"]), page_no, body_size) for g in rows]
        lines = [ln for ln in lines if ln.text.strip()]
        lines.sort(key=lambda ln: (ln.top, ln.x0))
        for i, ln in enumerate(lines):
            ln.order = i
        return lines
    g0, g1 = gutter
    mid = (g0 + g1) / 2
    # Rows crossing the gutter (titles, footers) span the page and cut it into bands;
    # inside a band the left column is read before the right one. Column rows are
    # regrouped per column so a raised footnote marker joins its own column's line.
    tagged: list[tuple[float, int, _Line]] = []
    column_chars: dict[int, list[dict[str, Any]]] = {1: [], 2: []}
    for g in rows:
        if _crosses(g, mid, body_size):
            ln = _build_line(sorted(g, key=lambda c: c["x0"]), page_no, body_size)
            if ln.text.strip():
                tagged.append((ln.top, 0, ln))
        else:
            for c in g:
                column_chars[1 if (c["x0"] + c["x1"]) / 2 < mid else 2].append(c)
    for column, cchars in column_chars.items():
        for g in _group_rows(cchars):
            ln = _build_line(sorted(g, key=lambda c: c["x0"]), page_no, body_size)
            if ln.text.strip():
                ln.column = column
                tagged.append((ln.top, column, ln))
    tagged.sort(key=lambda t: (t[0], t[1]))
    ordered: list[_Line] = []
    band: list[_Line] = []
    for _top, column, ln in tagged:
        if column == 0:
            ordered.extend(sorted(band, key=lambda x: (x.column, x.top)))
            band = []
            ordered.append(ln)
        else:
            band.append(ln)
    ordered.extend(sorted(band, key=lambda x: (x.column, x.top)))
    for i, ln in enumerate(ordered):
        ln.order = i
    return ordered


def _build_line(chars: list[dict[str, Any]], page_no: int, body_size: float) -> _Line:
    """Text of one line: spaces from gaps between Latin glyphs, markers pulled out."""
    visible = [c for c in chars if c["text"].strip()]
    sizes = [c["size"] for c in visible] or [body_size]
    size = max(Counter(round(s, 1) for s in sizes).items(), key=lambda kv: (kv[1], kv[0]))[0]
    out: list[str] = []
    markers: list[tuple[int, str]] = []
    prev: dict[str, Any] | None = None
    pending_space = False
    real_space = ""
    for c in chars:
        t = c["text"]
        if not t.strip():
            # A real space glyph is the author's space (even between CJK); keep one.
            if prev is not None and not real_space:
                real_space = t if t == "\u3000" else " "
            continue
        is_small_digit = t.isdigit() and c["size"] < 0.8 * size and prev is not None
        raised = prev is not None and c["bottom"] < prev["bottom"] - 0.15 * size
        if (is_small_digit and raised) or (
            t in SUPERSCRIPT_DIGITS and prev is not None and _is_cjk(prev["text"][-1])
        ):
            if markers and markers[-1][0] == len(out) and prev is not None and prev.get("_marker"):
                markers[-1] = (markers[-1][0], markers[-1][1] + t)
            else:
                markers.append((len(out), t))
            c = dict(c, _marker=True)
            prev = c
            continue
        if prev is not None and not prev.get("_marker") and c["x0"] - prev["x1"] > 0.25 * size:
            pending_space = True
        if real_space and out:
            out.append(real_space)
        elif pending_space and out:
            # A gap without a space glyph: justified CJK spreads glyphs, so no space there.
            if not (_is_cjk(out[-1][-1]) and _is_cjk(t[0])):
                out.append(" ")
        pending_space = False
        real_space = ""
        out.append(t)
        prev = c
    # Index markers by character offset, not by list position.
    text = ""
    offsets: list[int] = []
    for piece in out:
        offsets.append(len(text))
        text += piece
    offsets.append(len(text))
    markers = [(offsets[i], d) for i, d in markers]
    first = visible[0] if visible else chars[0]
    width_first = first["x1"] - first["x0"]
    if visible and not _is_cjk(first["text"]):
        # A Latin first word: its full width decides whether it would have fit above.
        end = first["x1"]
        for c in visible[1:]:
            if _is_cjk(c["text"]) or c["x0"] - end > 0.25 * size:
                break
            end = c["x1"]
        width_first = end - first["x0"]
    return _Line(
        page=page_no,
        text=text,
        x0=min(c["x0"] for c in visible) if visible else 0.0,
        x1=max(c["x1"] for c in visible) if visible else 0.0,
        top=min(c["top"] for c in visible) if visible else 0.0,
        bottom=max(c["bottom"] for c in visible) if visible else 0.0,
        size=size,
        first_token_width=width_first,
        markers=markers,
    )


def _clean_cell(cell: str | None) -> str:
    """A table cell's text on one line (CJK line breaks inside cells vanish)."""
    if not cell:
        return ""
    parts = [p.strip() for p in cell.split("\n") if p.strip()]
    out = ""
    for p in parts:
        if out and not (_is_cjk(out[-1]) or _is_cjk(p[0])):
            out += " "
        out += p
    return out


def _mode(values: list[float], default: float) -> float:
    """Most common value after rounding to 0.5pt (geometry is noisy)."""
    if not values:
        return default
    counts = Counter(round(v * 2) / 2 for v in values)
    return max(counts.items(), key=lambda kv: (kv[1], -kv[0]))[0]


def _set_apart(lines: list[_Line], i: int, body_size: float) -> bool:
    """Whether line i sits apart from the body: its own size, or a wide gap to its neighbour.

    Running headers/footers live in the page margin; body lines follow each other at the
    normal line pitch. This keeps a repeated sentence that happens to open two pages.
    """
    ln = lines[i]
    if abs(ln.size - body_size) > 0.1 * body_size:
        return True
    gaps = []
    if i + 1 < len(lines):
        gaps.append(lines[i + 1].top - ln.bottom)
    if i > 0:
        gaps.append(ln.top - lines[i - 1].bottom)
    return not gaps or max(gaps) > 1.0 * body_size


def _right_edge(x1s: list[float], size: float) -> float:
    """Typical right end of full lines: the median over lines near the longest one.

    The median, not the maximum, so punctuation hanging past the margin does not move it.
    """
    if not x1s:
        return 0.0
    top = max(x1s)
    full = sorted(x for x in x1s if x >= top - 3 * size)
    return full[len(full) // 2]


def _smallest_repeated(values: list[float], default: float) -> float:
    """Smallest value (rounded to 0.5pt) occurring at least twice, else the smallest."""
    if not values:
        return default
    counts = Counter(round(v * 2) / 2 for v in values)
    repeated = [v for v, n in counts.items() if n >= 2]
    return min(repeated) if repeated else min(counts)


def _mark_margins(pages: list[list[_Line]], heights: list[float], body_size: float) -> None:
    """Mark running headers/footers (same text shape at the same place on many pages)."""
    n = len(pages)
    keyed: dict[tuple[str, int], set[int]] = defaultdict(set)
    for i, lines in enumerate(pages):
        h = heights[i]
        for ln in lines:
            if ln.top < MARGIN_ZONE * h or ln.bottom > (1 - MARGIN_ZONE) * h:
                keyed[(re.sub(r"\d+", "#", ln.text.replace(" ", "")), round(ln.top / 6))].add(i)
    need = max(2, (n + 1) // 2)
    for i, lines in enumerate(pages):
        h = heights[i]
        for j, ln in enumerate(lines):
            in_zone = ln.top < MARGIN_ZONE * h or ln.bottom > (1 - MARGIN_ZONE) * h
            if not in_zone or ln.kind != "body" or not _set_apart(lines, j, body_size):
                continue
            key = (re.sub(r"\d+", "#", ln.text.replace(" ", "")), round(ln.top / 6))
            if PAGE_NUMBER_RE.match(ln.text):
                ln.kind = "page number"
            elif n >= 2 and len(keyed[key]) >= need:
                ln.kind = "running header/footer"


def _mark_footnotes(lines: list[_Line], height: float, body_size: float) -> None:
    """Small-font lines below the last body line of a page, starting with a number."""
    body = [
        ln
        for ln in lines
        if ln.kind == "body" and ln.size >= 0.95 * body_size and not PAGE_NUMBER_RE.match(ln.text)
    ]
    last_body = max((ln.bottom for ln in body), default=0.0)
    in_note = False
    for ln in lines:
        if ln.kind != "body" or ln.top < last_body or ln.top < 0.5 * height:
            continue
        small = ln.size < 0.9 * body_size
        if PAGE_NUMBER_RE.match(ln.text):
            in_note = False
            continue
        if small and FOOTNOTE_START_RE.match(ln.text):
            in_note = True
        if small and in_note:
            ln.kind = "footnote"
        else:
            in_note = False


def read_pdf(
    src: Path | bytes,
) -> tuple[str, dict[str, Any], list[Table], list[Removed], list[str]]:
    """Read a PDF; returns (text, meta, tables, removed, warnings). Raises IngestError."""
    warnings: list[str] = []
    tables: list[Table] = []
    pages: list[list[_Line]] = []
    heights: list[float] = []
    page_widths: list[float] = []
    table_spans: list[tuple[int, float, str]] = []  # (page index, top, flattened text)
    table_x: list[tuple[float, float]] = []  # (x0, x1) of each table
    pdf = _open(src)
    try:
        meta = _pdf_meta(pdf.metadata or {})
        raw_chars = 0
        images = 0
        page_chars: list[list[dict[str, Any]]] = []
        try:
            # One pass over each content stream instead of pdfminer's byte-level parser.
            with fast_content_parser():
                for pi, page in enumerate(pdf.pages):
                    heights.append(float(page.height))
                    page_widths.append(float(page.width))
                    images += len(page.images)
                    found = page.find_tables()
                    work = page
                    for t in found:
                        rows = [[_clean_cell(c) for c in row] for row in t.extract()]
                        rows = [r for r in rows if any(r)]
                        if not rows:
                            continue
                        tables.append(Table(page=page.page_number, rows=rows))
                        flat = "\n".join("\t".join(r) for r in rows)
                        table_spans.append((pi, float(t.bbox[1]), flat))
                        table_x.append((float(t.bbox[0]), float(t.bbox[2])))
                        work = work.outside_bbox(t.bbox)
                    chars = [
                        {k: c[k] for k in ("text", "x0", "x1", "top", "bottom", "size")}
                        for c in work.chars
                    ]
                    raw_chars += sum(1 for c in chars if c["text"].strip())
                    page_chars.append(chars)
                    page.close()
        except IngestError:
            raise
        except Exception as err:  # noqa: BLE001 - damaged content streams surface here
            raise IngestError(f"PDF is damaged or truncated: {type(err).__name__}: {err}") from err
    finally:
        pdf.close()
    if raw_chars == 0:
        if tables:
            warnings.append("PDF has tables but no running text")
        elif images:
            raise IngestError("no text layer (scanned PDF?), OCR needed")
        else:
            raise IngestError("PDF contains no text")
    body_size = _mode([c["size"] for cs in page_chars for c in cs if c["text"].strip()], 10.0)
    for pi, chars in enumerate(page_chars):
        pages.append(_chars_to_lines(chars, pi + 1, body_size, page_widths[pi]))
    for pi, lines in enumerate(pages):
        _mark_footnotes(lines, heights[pi], body_size)
    _mark_margins(pages, heights, body_size)
    _attach_captions(pages, tables, table_spans)
    unmapped = sum(ln.text.count("(cid:") for lines in pages for ln in lines)
    if unmapped:
        # pdfminer prints glyphs without a Unicode mapping as "(cid:123)": font damage.
        warnings.append(f"{unmapped} glyphs have no Unicode mapping and appear as (cid:N)")
    text, removed = _assemble(pages, body_size, table_spans, table_x, page_widths, meta)
    if not text.strip() and not tables:
        raise IngestError("PDF has no running text (only headers, footers or page numbers)")
    return text, meta, tables, removed, warnings


def _attach_captions(
    pages: list[list[_Line]], tables: list[Table], spans: list[tuple[int, float, str]]
) -> None:
    """A short line starting with 表/Table right above a table becomes its caption."""
    for table, (pi, top, _flat) in zip(tables, spans, strict=True):
        above = [ln for ln in pages[pi] if ln.kind == "body" and ln.bottom <= top + 1]
        if not above:
            continue
        ln = max(above, key=lambda x: x.bottom)
        if top - ln.bottom < 3 * ln.size and re.match(r"^\s*(?:表|Table\b|圖表)", ln.text):
            ln.kind = "table caption"
            table.caption = ln.text.strip()


def _table_order(lines: list[_Line], top: float, x0: float, x1: float, width: float) -> float:
    """Reading-order slot of a table: before the first later line of its own column."""
    two_columns = any(ln.column for ln in lines)
    column = 0
    if two_columns:
        column = 1 if x1 <= width / 2 + 1 else 2 if x0 >= width / 2 - 1 else 0
    for ln in lines:
        if ln.top > top and (column == 0 or ln.column in (0, column)):
            return ln.order - 0.5
    return float(len(lines))


def _assemble(
    pages: list[list[_Line]],
    body_size: float,
    table_spans: list[tuple[int, float, str]],
    table_x: list[tuple[float, float]],
    page_widths: list[float],
    meta: dict[str, Any],
) -> tuple[str, list[Removed]]:
    """Join body lines into paragraphs and record everything left out, at its position."""
    body = [ln for lines in pages for ln in lines if ln.kind == "body"]
    main = [ln for ln in body if abs(ln.size - body_size) < 0.15 * body_size] or body
    # The text block's left edge and line pitch: the smallest values seen on at least two
    # lines (a mode would pick the indent or the paragraph gap in short documents).
    # Each column (0 = single/full width, 1 = left, 2 = right) has its own edges.
    lefts: dict[int, float] = {}
    rights: dict[int, float] = {}
    for column in sorted({ln.column for ln in main}):
        in_col = [ln for ln in main if ln.column == column]
        lefts[column] = _smallest_repeated([ln.x0 for ln in in_col], 0.0)
        rights[column] = _right_edge([ln.x1 for ln in in_col], body_size)
    all_left = _smallest_repeated([ln.x0 for ln in main], 0.0)
    all_right = _right_edge([ln.x1 for ln in main], body_size)
    pitches = [
        b.top - a.top
        for a, b in zip(main, main[1:], strict=False)
        if a.page == b.page and 0 < b.top - a.top < 4 * body_size
    ]
    pitch = _smallest_repeated(pitches, body_size * 1.5)

    def breaks(a: _Line, b: _Line) -> bool:
        """Whether a paragraph ends between line a and the next body line b."""
        if abs(a.size - b.size) > 0.15 * max(a.size, b.size):
            return True
        if b.x0 > lefts.get(b.column, all_left) + 0.8 * b.size:  # first-line indent
            return True
        if a.x1 + b.first_token_width + 0.5 * a.size < rights.get(a.column, all_right):
            return True  # a stopped short of the right edge
        if a.page == b.page and b.top - a.top > 1.35 * pitch:  # blank space between
            return True
        return False

    # Events in reading order: body lines and the things dropped between them.
    events: list[tuple[int, float, str, _Line | None, str]] = []
    for lines in pages:
        for one in lines:
            events.append((one.page - 1, float(one.order), one.kind, one, one.text))
    for (pi, top, flat), (x0, x1) in zip(table_spans, table_x, strict=True):
        events.append(
            (pi, _table_order(pages[pi], top, x0, x1, page_widths[pi]), "table", None, flat)
        )
    events.sort(key=lambda e: (e[0], e[1]))

    text = ""
    removed: list[Removed] = []
    footnotes: list[str] = []
    prev: _Line | None = None
    for _pi, _top, kind, cur, raw in events:
        if kind != "body" or cur is None:
            reason = {
                "table": "table (lifted into tables)",
                "table caption": "table caption (kept as the table's caption)",
                "footnote": "footnote text at the page foot",
                "page number": "page number",
                "running header/footer": "running header/footer",
            }.get(kind, kind)
            if kind == "footnote":
                if footnotes and cur is not None and not re.match(r"^\s*\d", raw):
                    footnotes[-1] += raw.strip()
                else:
                    footnotes.append(raw.strip())
            removed.append(Removed(start=len(text), end=len(text), text=raw, reason=reason))
            continue
        if prev is None:
            sep = ""
        elif breaks(prev, cur):
            sep = "\n\n"
        elif text and (_is_cjk(text[-1]) or _is_cjk(cur.text[0])):
            sep = ""
        elif text.endswith("-") and cur.text[:1].islower():
            sep = ""  # a word hyphenated at the line end keeps its hyphen
        else:
            sep = " "
        if sep == "" and text.endswith(" "):
            text = text.rstrip(" ")
        line_text = cur.text.strip() if prev is None or sep else cur.text.lstrip()
        lead = len(cur.text) - len(cur.text.lstrip())
        base = len(text) + len(sep)
        text += sep + line_text.rstrip()
        for idx, digits in cur.markers:
            pos = min(base + max(idx - lead, 0), len(text))
            removed.append(Removed(start=pos, end=pos, text=digits, reason="footnote marker"))
        prev = cur
    if footnotes:
        meta["footnotes"] = footnotes
    return text, removed


def _pdf_meta(info: dict[str, Any]) -> dict[str, Any]:
    """Title/authors from the PDF info dictionary, ignoring generator placeholders."""
    meta: dict[str, Any] = {}
    title = _info_str(info.get("Title"))
    if title and title.lower() not in {"untitled", "microsoft word", "document"}:
        meta["title"] = title
    author = _info_str(info.get("Author"))
    if author and author.lower() not in {"anonymous", "unknown", "user", "admin"}:
        meta["authors"] = [a.strip() for a in re.split(r"[;；,，、]", author) if a.strip()]
    created = _info_str(info.get("CreationDate"))
    m = re.match(r"D?:?(\d{4})(\d{2})(\d{2})", created or "")
    # The creation date is when the file was made, not when the text was published;
    # it is kept under its own name so nothing mistakes it for a publication date.
    if m and m.group(1) != "2000":
        meta["pdf_created"] = f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    return meta


def _info_str(value: Any) -> str | None:
    """PDF info values may be bytes (PDFDocEncoding/UTF-16) or str."""
    if value is None:
        return None
    if isinstance(value, bytes):
        if value.startswith(b"\xfe\xff"):
            value = value[2:].decode("utf-16-be", errors="replace")
        else:
            value = value.decode("latin-1", errors="replace")
    text = unicodedata.normalize("NFC", str(value)).strip()
    return text or None


__all__ = ["PAGE_NUMBER_RE", "read_pdf"]
