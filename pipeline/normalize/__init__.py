"""normalize stage: ``normalize(raw) -> NormalizedDocument``.

Order (each step a pure function of the previous text):

1. on the RAW text: boilerplate (``boilerplate.find_boilerplate``) and metadata lines
   (``metadata.extract_metadata``: crawl date, title line, bylines) are deleted;
2. duplicated lines / pull quotes, then (PDF-like text only) blank-line breaks inside
   sentences, then markup (footnote tags, ``#``, ``**``) are deleted. Steps 1-2 only
   delete characters, through ``TrackedText``, so every ``Removed`` has raw offsets;
3. entities, width, punctuation and whitespace (``width.normalize_width``);
4. Simplified paragraphs / isolated characters to Traditional (``script.convert_script``);
5. element glyph repair (``glyphs.repair_glyphs``: length-preserving, so the offsets of
   step-4 repairs stay valid);
6. paragraphs and headings are computed on the final text.

``repairs`` offsets refer to the final ``text``. Width/whitespace normalization is
idempotent; whole-document idempotence holds for text without header lines (a second
run would again read a first short line followed by a byline as the title).
"""

from __future__ import annotations

from pipeline.normalize.boilerplate import find_boilerplate, find_duplicate_lines, find_markup
from pipeline.normalize.glyphs import repair_glyphs
from pipeline.normalize.layout import (
    find_pdf_breaks,
    heading_spans,
    looks_like_pdf,
    paragraph_spans,
)
from pipeline.normalize.metadata import extract_metadata
from pipeline.normalize.script import convert_script
from pipeline.normalize.spans import TrackedText
from pipeline.normalize.width import normalize_width
from pipeline.records import NormalizedDocument, RawDocument, Removed

__all__ = ["normalize", "normalize_text"]


_LINE_BREAKS = {c: "\n" for c in (0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029)}


def normalize_text(text: str, fmt: str = "txt") -> str:
    """The normalized text alone (no metadata), for tools and tests."""
    return normalize(
        RawDocument(
            source_path="", sha256="0" * 64, doc_id="0" * 16, format=fmt, encoding=None, text=text
        )
    ).text


def normalize(raw: RawDocument) -> NormalizedDocument:
    """Clean one raw document into the normalized record (see the module docstring)."""
    # Vertical separators become plain line breaks before anything looks at lines, one
    # character for one so that raw offsets in ``removed`` stay valid; otherwise a later
    # pass would see lines the first pass did not (and normalization would not be idempotent).
    text = (raw.text or "").translate(_LINE_BREAKS)
    bp = find_boilerplate(text)
    md = extract_metadata(text, raw.meta or {}, bp)

    tracked = TrackedText(text)
    tracked.delete(bp + md.spans)
    tracked.delete(find_duplicate_lines(tracked.text))
    pdf_like = looks_like_pdf(tracked.text, raw.format)
    if pdf_like:
        tracked.delete(find_pdf_breaks(tracked.text))
    tracked.delete(find_markup(tracked.text))

    clean = normalize_width(tracked.text, join_cjk=pdf_like)
    clean, script_repairs, script_warnings, script = convert_script(clean)
    clean, glyph_repairs = repair_glyphs(clean)
    paragraphs = paragraph_spans(clean)
    headings = heading_spans(clean, paragraphs)

    # Metadata strings follow the text's script rule (a Simplified title is converted).
    title = convert_script(md.title)[0] if md.title else None
    authors = [convert_script(a)[0] for a in md.authors]
    outlet = convert_script(md.outlet)[0] if md.outlet else None

    warnings = list(raw.warnings) + md.warnings + script_warnings
    if pdf_like and raw.format != "pdf":
        warnings.append("layout: text looks like a PDF dump; mid-sentence breaks joined")
    repairs = sorted(script_repairs + glyph_repairs, key=lambda r: (r.start, r.end))
    return NormalizedDocument(
        doc_id=raw.doc_id,
        source_path=raw.source_path,
        sha256=raw.sha256,
        format=raw.format,
        encoding=raw.encoding,
        title=title,
        published=md.published,
        outlet=outlet,
        authors=authors,
        text=clean,
        paragraphs=paragraphs,
        missing=md.missing,
        headings=headings,
        script=script,
        tables=list(raw.tables),
        removed=list(raw.removed) + [_as_raw(r, raw.text) for r in tracked.removed_sorted()],
        repairs=repairs,
        warnings=warnings,
        source_paths=[raw.source_path] if raw.source_path else [],
    )


def _as_raw(r: Removed, raw_text: str) -> Removed:
    """The removed block quoted from the raw text (line separators as they were)."""
    r.text = raw_text[r.start : r.end]
    return r
