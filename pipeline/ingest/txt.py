"""Plain-text and Markdown reader: decode and unify line endings, nothing more.

Everything else (boilerplate, width, script) is the normalizer's job, so the raw text
stays as close to the file as possible.
"""

from __future__ import annotations

import re

from pipeline.ingest.encoding import decode_bytes

_LINE_END = re.compile(r"\r\n?|\u2028|\u2029|\x85")


def normalize_newlines(text: str) -> str:
    """Turn CRLF, CR and Unicode line/paragraph separators into LF."""
    return _LINE_END.sub("\n", text)


def read_txt(data: bytes) -> tuple[str, str, list[str]]:
    """Decode a .txt/.md file; returns (text, encoding, warnings)."""
    text, encoding = decode_bytes(data)
    warnings: list[str] = []
    if "\r" in text:
        kinds = sorted({m.group(0) for m in re.finditer(r"\r\n|\r(?!\n)", text)})
        names = {"\r\n": "CRLF", "\r": "CR"}
        warnings.append("line endings converted to LF from " + "+".join(names[k] for k in kinds))
    if "\ufeff" in text:
        # A BOM in the middle (files concatenated) is invisible noise.
        text = text.replace("\ufeff", "")
        warnings.append("stray byte-order marks removed")
    return normalize_newlines(text), encoding, warnings
