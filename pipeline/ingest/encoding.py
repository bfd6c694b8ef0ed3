"""Detect the text encoding of a file's bytes (UTF-8/16, Big5/CP950, GB18030) and decode it.

Strict UTF-8 is tried first (it almost never decodes non-UTF-8 CJK text by accident).
Otherwise every candidate legacy encoding is decoded strictly and scored by how
*common* its Chinese characters are: a wrong decoding of Big5 as GB18030 (or back)
still succeeds but yields a spray of rare characters. Character frequencies come from
jieba's dictionary (Simplified) mapped to Traditional with OpenCC, built once a process.
charset-normalizer is not used for the decision: on short Big5 vs GB18030 samples it
answers cp949 or the wrong Chinese encoding.
"""

from __future__ import annotations

import codecs
import math
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

from pipeline.ingest.errors import IngestError

# Order matters only for ties: Big5 first, because the corpus is Traditional Chinese.
LEGACY_CANDIDATES = ("cp950", "gb18030")
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Sniffed file signatures of common binary formats handed in under a text name.
BINARY_MAGIC = (
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP/Office file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "an executable"),
    (b"\x1f\x8b", "a gzip archive"),
)
# Mean log10 frequency per Chinese character below which a decoding is rejected: real
# text scores 4-6, misdecoded text 1-3.
MIN_PLAUSIBLE_SCORE = 3.0


def _is_han(ch: str) -> bool:
    """CJK unified ideograph (basic, extension A/B+, compatibility)."""
    o = ord(ch)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF


@lru_cache(maxsize=1)
def han_frequencies() -> dict[str, float]:
    """log10 frequency of each Chinese character, for both scripts (built once a process)."""
    import jieba  # local import: only needed for non-UTF-8 files

    counts: Counter[str] = Counter()
    dict_path = Path(jieba.__file__).with_name("dict.txt")
    with dict_path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split(" ")
            if len(parts) < 2 or not parts[1].isdigit():
                continue
            freq = int(parts[1])
            for ch in parts[0]:
                if _is_han(ch):
                    counts[ch] += freq
    chars = [ch for ch, _ in counts.most_common()]
    freqs = {ch: math.log10(n + 1) for ch, n in counts.items()}
    try:
        import opencc

        trad = opencc.OpenCC("s2t").convert("\n".join(chars)).split("\n")
    except Exception:  # noqa: BLE001 - without OpenCC the Simplified table still works
        trad = []
    if len(trad) == len(chars):
        for s, t in zip(chars, trad, strict=True):
            if len(t) == 1 and t != s:
                freqs[t] = max(freqs.get(t, 0.0), freqs[s])
    return freqs


def plausibility(text: str) -> float:
    """Mean log10 frequency of the Chinese characters, minus penalties for junk characters."""
    freqs = han_frequencies()
    han = [ch for ch in text if _is_han(ch)]
    weird = sum(1 for ch in text if _is_weird(ch))
    if not han:
        return 0.0 if weird else 5.0
    score = sum(freqs.get(ch, 0.0) for ch in han) / len(han)
    return score - 10.0 * weird / max(len(text), 1)


def _is_weird(ch: str) -> bool:
    """Characters a misdecoding produces: private use, controls, unexpected Hangul/kana."""
    if ch in "\n\r\t\f":
        return False
    cat = unicodedata.category(ch)
    if cat in ("Co", "Cc", "Cs", "Cn"):
        return True
    o = ord(ch)
    return 0xAC00 <= o <= 0xD7AF or 0x3040 <= o <= 0x30FF


# Every byte value except the controls that mark binary data (C0 without tab, LF, FF,
# CR; and DEL).
_NOT_CONTROL = bytes(
    b for b in range(256) if not (b < 0x20 and b not in (9, 10, 12, 13) or b == 0x7F)
)


def check_not_binary(data: bytes) -> None:
    """Raise IngestError for empty files and for data that is clearly not text."""
    if not data.strip(b" \t\r\n\x00"):
        raise IngestError("empty file (no text)")
    for magic, what in BINARY_MAGIC:
        if data.startswith(magic):
            raise IngestError(f"binary data: the file is {what}, not text")
    sample = data[:65536]
    # Count the control bytes by deleting every other byte (one C pass).
    controls = len(sample.translate(None, _NOT_CONTROL))
    if b"\x00" in sample or controls / len(sample) > 0.05:
        raise IngestError(
            f"binary data, not text ({controls} control bytes in the first {len(sample)})"
        )


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM shows NULs on one parity for ASCII-heavy text."""
    if len(data) < 4 or len(data) % 2:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    half = len(data) // 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes; returns (text, encoding name). Raises IngestError."""
    if not data.strip(b" \t\r\n\x00"):
        raise IngestError("empty file (no text)")
    for bom, name in BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(name.replace("-sig", ""))
            except UnicodeDecodeError as err:
                raise IngestError(
                    f"starts with a {name} byte-order mark but does not decode as {name}: {err.reason} at byte {err.start + len(bom)}"
                ) from err
            if not text.strip():
                raise IngestError("empty file (only a byte-order mark and whitespace)")
            return text, name
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    check_not_binary(data)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        utf8_error = err
    scored: list[tuple[float, int, str, str]] = []
    for rank, enc in enumerate(LEGACY_CANDIDATES):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        scored.append((plausibility(text), -rank, enc, text))
    if not scored:
        raise IngestError(
            "cannot decode the text: not valid UTF-8 "
            f"({utf8_error.reason} at byte {utf8_error.start}), Big5 or GB18030"
        )
    scored.sort(reverse=True)
    score, _, enc, text = scored[0]
    if score < MIN_PLAUSIBLE_SCORE:
        raise IngestError(
            "cannot tell the text encoding: it is not UTF-8, and decoding it as "
            f"{enc} gives implausible characters (score {score:.1f})"
        )
    return text, enc
