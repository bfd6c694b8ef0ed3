"""Ingest stage: turn one file into a ``RawDocument`` (text, metadata, tables, what was dropped).

``read_document`` is the only entry point the runner needs; it reads the file once,
identifies it by the sha256 of its bytes and dispatches on the suffix. Readers raise
``IngestError`` with a reason in plain words for anything they cannot read.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline.ingest.errors import IngestError
from pipeline.records import RawDocument, doc_id_for

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf")
DEFAULT_MAX_BYTES = 20_000_000

__all__ = [
    "DEFAULT_MAX_BYTES",
    "IngestError",
    "SUPPORTED_SUFFIXES",
    "read_bytes",
    "read_document",
]


def read_document(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """Read one file into a RawDocument; raises IngestError with a plain-words reason."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(
            f"unsupported file type {suffix or '(no extension)'}; "
            f"supported: {' '.join(SUPPORTED_SUFFIXES)}"
        )
    try:
        size = path.stat().st_size
    except OSError as err:
        raise IngestError(f"cannot read the file: {err.strerror or err}") from err
    if size > max_bytes:
        raise IngestError(
            f"file too large: {size:,} bytes, the limit is {max_bytes:,} "
            "(raise it with --max-bytes / MAX_BYTES)"
        )
    try:
        data = path.read_bytes()
    except OSError as err:
        raise IngestError(f"cannot read the file: {err.strerror or err}") from err
    return read_bytes(data, str(path), max_bytes=max_bytes)


def read_bytes(data: bytes, source_path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """The pure core of read_document: bytes plus their file name in, RawDocument out."""
    if len(data) > max_bytes:
        raise IngestError(f"file too large: {len(data):,} bytes, the limit is {max_bytes:,}")
    suffix = Path(source_path).suffix.lower()
    sha = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise IngestError("empty file (no text)")
    if suffix in (".txt", ".md"):
        from pipeline.ingest.txt import read_txt

        text, encoding, warnings = read_txt(data)
        return RawDocument(
            source_path=source_path,
            sha256=sha,
            doc_id=doc_id_for(sha),
            format="md" if suffix == ".md" else "txt",
            encoding=encoding,
            text=text,
            warnings=warnings,
        )
    if suffix in (".html", ".htm"):
        from pipeline.ingest.html import read_html_with_encoding

        text, encoding, meta, tables, removed, warnings = read_html_with_encoding(data)
        return RawDocument(
            source_path=source_path,
            sha256=sha,
            doc_id=doc_id_for(sha),
            format="html",
            encoding=encoding,
            text=text,
            meta=meta,
            tables=tables,
            removed=removed,
            warnings=warnings,
        )
    if suffix == ".pdf":
        from pipeline.ingest.pdf import read_pdf

        if not data.lstrip()[:5] == b"%PDF-":
            raise IngestError("PDF is damaged or truncated: no %PDF header (not a PDF file?)")
        text, meta, tables, removed, warnings = read_pdf(data)
        return RawDocument(
            source_path=source_path,
            sha256=sha,
            doc_id=doc_id_for(sha),
            format="pdf",
            encoding=None,
            text=text,
            meta=meta,
            tables=tables,
            removed=removed,
            warnings=warnings,
        )
    raise IngestError(f"unsupported file type {suffix or '(no extension)'}")
