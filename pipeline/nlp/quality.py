"""Segmentation quality and speed measurements (for ``make eval`` / ``make bench``).

``segmentation_report`` counts, for every occurrence of each word in the texts, whether
a tokenizer returns it as one whole token, or at least token-aligned (a token boundary
at both ends), comparing jieba's shipped dictionary with our Traditional + domain one
(HMM off, the setting we use, and HMM on for reference). ``speed_report`` times bare
jieba against our tokenizer and the full spaCy pipeline on the same texts.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

import jieba

from pipeline.nlp.dictionary import get_base_tokenizer, get_tokenizer


def _offsets(tk: jieba.Tokenizer, text: str, hmm: bool) -> list[tuple[int, int]]:
    """Token offsets of ``text`` under ``tk``."""
    out = []
    pos = 0
    for piece in tk.cut(text, HMM=hmm):
        out.append((pos, pos + len(piece)))
        pos += len(piece)
    return out


def _maximal_occurrences(text: str, words: Sequence[str]) -> list[tuple[int, int]]:
    """Occurrences of the words not contained in an occurrence of a longer listed word.

    日本 inside 日本政府 is judged as part of 日本政府, not as a broken 日本.
    """
    occ = []
    for w in words:
        i = text.find(w)
        while i >= 0:
            occ.append((i, i + len(w)))
            i = text.find(w, i + 1)
    occ.sort(key=lambda se: (se[0], -(se[1] - se[0])))
    out: list[tuple[int, int]] = []
    for s, e in sorted(occ, key=lambda se: (-(se[1] - se[0]), se[0])):
        if not any(a <= s and e <= b for a, b in out):
            out.append((s, e))
    return sorted(out)


def _score(
    tk: jieba.Tokenizer, texts: Sequence[str], words: Sequence[str], hmm: bool
) -> dict[str, Any]:
    """Whole-token and aligned shares of word occurrences, plus the words that failed."""
    total = whole = aligned = 0
    broken: dict[str, int] = {}
    for text in texts:
        toks = _offsets(tk, text, hmm)
        spans = set(toks)
        starts = {s for s, _ in toks}
        ends = {e for _, e in toks}
        for i, j in _maximal_occurrences(text, words):
            w = text[i:j]
            total += 1
            if (i, j) in spans:
                whole += 1
                aligned += 1
            elif i in starts and j in ends:
                aligned += 1
            else:
                broken[w] = broken.get(w, 0) + 1
    return {
        "occurrences": total,
        "whole": round(whole / total, 4) if total else None,
        "aligned": round(aligned / total, 4) if total else None,
        "broken": dict(sorted(broken.items(), key=lambda kv: (-kv[1], kv[0]))[:20]),
    }


def segmentation_report(texts: Iterable[str], words: Iterable[str]) -> dict[str, Any]:
    """Share of word occurrences kept whole/aligned: base jieba vs Traditional + domain."""
    texts = list(texts)
    words = sorted({w for w in words if w})
    return {
        "words": len(words),
        "base_jieba": _score(get_base_tokenizer(), texts, words, hmm=False),
        "base_jieba_hmm": _score(get_base_tokenizer(), texts, words, hmm=True),
        "traditional": _score(get_tokenizer(), texts, words, hmm=False),
        "traditional_hmm": _score(get_tokenizer(), texts, words, hmm=True),
    }


def speed_report(texts: Iterable[str], repeat: int = 1) -> dict[str, Any]:
    """Characters per second: bare jieba, our tokenizer, and the full nlp pipeline."""
    from pipeline.nlp.segment import make_doc

    texts = list(texts)
    chars = sum(len(t) for t in texts) * repeat
    base, trad = get_base_tokenizer(), get_tokenizer()
    make_doc("預熱")  # load everything before timing

    def timed(fn: Any) -> float:
        t0 = time.perf_counter()
        for _ in range(repeat):
            for t in texts:
                fn(t)
        return time.perf_counter() - t0

    t_base = timed(lambda t: list(base.cut(t, HMM=True)))
    t_trad = timed(lambda t: list(trad.cut(t, HMM=False)))
    t_nlp = timed(make_doc)
    return {
        "chars": chars,
        "bare_jieba_chars_per_s": round(chars / t_base) if t_base else None,
        "traditional_jieba_chars_per_s": round(chars / t_trad) if t_trad else None,
        "nlp_pipeline_chars_per_s": round(chars / t_nlp) if t_nlp else None,
    }


def gold_entity_words(gold: dict[str, Any]) -> list[str]:
    """Every entity alias of a gold file (``seeds_gold.json`` layout), for the report."""
    words = {
        a for doc in gold.get("docs", []) for ent in doc.get("entities", []) for a in ent["aliases"]
    }
    return sorted(words)
