"""Script detection (Simplified vs Traditional) and conversion of Simplified text only.

A character is *Simplified-only* when OpenCC ``s2t`` changes it and it does not exist in
Big5 (so no Traditional text uses it: 胁, 说); it is *Traditional-only* when ``t2s``
changes it and it does not exist in GB2312 (脅, 說). Characters in both repertoires
(干, 岩, 台, 里) count for neither, which is what keeps Traditional text safe: ``s2tw``
on Traditional text would turn 岩谷 into 巖谷 and 干擾 into 幹擾.

Per paragraph: with at least two Simplified-only characters and more of them than
Traditional-only ones, the paragraph is Simplified and converted with OpenCC ``s2tw``
(characters plus Taiwan variant forms, but no vocabulary rewriting as ``s2twp`` would do:
the author's words are kept, only the script changes). Otherwise only the isolated
Simplified-only characters are converted one by one (經濟胁迫 → 經濟脅迫). Every change is
a ``Repair``. Artefacts of a conversion the publisher already ran (對華髮起 for 對華發起,
迴圈利用 for 循環利用; list in ``pipeline/data/normalize_script.json``) are only warned about.
"""

from __future__ import annotations

import difflib
import json
from collections import Counter
from functools import lru_cache
from pathlib import Path

from pipeline.records import Repair

HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
DATA = Path(__file__).resolve().parent.parent / "data"


@lru_cache(maxsize=1)
def artefacts() -> dict[str, str]:
    """Known artefacts of earlier S→T conversion (wrong form → intended form)."""
    data = json.loads((DATA / "normalize_script.json").read_text(encoding="utf-8"))
    return dict(sorted(data["artefacts"].items()))


def artefact_warnings(text: str) -> list[str]:
    """Warnings for conversion artefacts in the text (the text itself is kept)."""
    return [
        f"script: {wrong!r} looks like a conversion artefact of {right!r} (kept as written)"
        for wrong, right in artefacts().items()
        if wrong in text
    ]


@lru_cache(maxsize=4)
def converter(config: str) -> object:
    """An OpenCC converter, built once per process."""
    import opencc

    return opencc.OpenCC(config)


def convert(text: str, config: str) -> str:
    """Convert ``text`` with the OpenCC ``config``."""
    conv = converter(config)
    out: str = conv.convert(text)  # type: ignore[attr-defined]
    return out


def _is_han(c: str) -> bool:
    """A CJK ideograph."""
    o = ord(c)
    return any(a <= o <= b for a, b in HAN_RANGES)


def _encodable(c: str, codec: str) -> bool:
    """Whether ``c`` exists in a legacy character set."""
    try:
        c.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


@lru_cache(maxsize=65536)
def char_script(c: str) -> str:
    """'s' (Simplified-only), 't' (Traditional-only) or '' (shared or not Han)."""
    if len(c) != 1 or not _is_han(c):
        return ""
    if convert(c, "s2t") != c and not _encodable(c, "big5"):
        return "s"
    if convert(c, "t2s") != c and not _encodable(c, "gb2312"):
        return "t"
    return ""


def script_counts(text: str) -> tuple[int, int]:
    """(Simplified-only, Traditional-only) character counts."""
    s = t = 0
    # Each distinct character is classified once; its count comes from one C pass.
    for c, n in Counter(text).items():
        k = char_script(c)
        if k == "s":
            s += n
        elif k == "t":
            t += n
    return s, t


def is_simplified(text: str) -> bool:
    """A paragraph written in Simplified characters."""
    s, t = script_counts(text)
    return s >= 2 and s > t


def _diff_repairs(old: str, new: str, offset: int, reason: str) -> list[Repair]:
    """Repairs for the changed runs between ``old`` and ``new`` (offsets into ``new``)."""
    out: list[Repair] = []
    sm = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag != "equal":
            out.append(Repair(offset + j1, offset + j2, old[i1:i2], new[j1:j2], reason))
    return out


def convert_script(text: str) -> tuple[str, list[Repair], list[str], str]:
    """``(text, repairs, warnings, script)``; script is traditional/simplified/mixed."""
    lines = text.split("\n")
    out_lines: list[str] = []
    repairs: list[Repair] = []
    warnings: list[str] = []
    pos = 0
    simp = trad = 0
    for line in lines:
        new = line
        s_count, t_count = script_counts(line)
        if s_count >= 2 and s_count > t_count:
            new = convert(line, "s2tw")
            repairs.extend(_diff_repairs(line, new, pos, "Simplified paragraph converted (s2tw)"))
            simp += 1
        else:
            if s_count:
                chars = [convert(c, "s2t") if char_script(c) == "s" else c for c in line]
                new = "".join(chars)
                reason = "isolated Simplified character in Traditional text (s2t)"
                found = _diff_repairs(line, new, pos, reason)
                repairs.extend(found)
                warnings.extend(f"script: converted {r.before}→{r.after}" for r in found)
            if any(_is_han(c) for c in line):
                trad += 1
        out_lines.append(new)
        pos += len(new) + 1
    script = "traditional"
    if simp and not trad:
        script = "simplified"
    elif simp:
        script = "mixed"
    if simp:
        warnings.append(f"script: {simp} Simplified paragraph(s) converted to Traditional (s2tw)")
    out = "\n".join(out_lines)
    return out, repairs, warnings + artefact_warnings(out), script
