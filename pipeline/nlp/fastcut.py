"""jieba's exact cut (HMM off) as offsets, computed in one pass per block.

``jieba.Tokenizer.cut(text, HMM=False)`` builds a DAG of dictionary words per block,
then a route by dynamic programming (``calc``: ``max((log(freq) - log(total) +
route[x + 1][0], x))``), then walks it joining single ASCII letters/digits. It spends
most of its time in generators, in ``log`` for every candidate and in building the DAG
dict. ``FastCutter`` does the same arithmetic on the same floats (``log(freq) -
log(total)`` is computed once per distinct frequency, then the route score is added
exactly as jieba adds it) while scanning the dictionary prefixes, and returns
``(start, end)`` offsets directly: the tokens are jieba's, tie-breaks included.

It also loads jieba's prefix-dictionary cache from bytes: ``marshal.load`` on a file
object reads it in small pieces and takes ~3 s, ``marshal.loads`` on the bytes ~0.6 s.
"""

from __future__ import annotations

import marshal
import os
import weakref
from math import log
from pathlib import Path

import jieba

# jieba's own block and whitespace patterns (module globals of jieba 0.42.1).
_RE_HAN = jieba.re_han_default
_RE_SKIP = jieba.re_skip_default
# Single characters jieba's ``re_eng`` matches: buffered into one token when consecutive.
# Memo markers: a fragment that is only a prefix of longer words; not looked up yet.
_PREFIX = object()
_MISS = object()
_MEMO_MAX = 1_000_000
_ENG = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def load_prefix_cache(tk: jieba.Tokenizer) -> bool:
    """Fill ``tk`` from its marshal cache as ``initialize`` would; False if not usable.

    Uses the same freshness rule as jieba (cache newer than the dictionary file), so a
    stale or missing cache still goes through ``tk.initialize()`` and gets rebuilt.
    """
    if tk.initialized or not tk.cache_file:
        return tk.initialized
    cache = Path(tk.tmp_dir or "") / tk.cache_file
    try:
        if not cache.is_file() or os.path.getmtime(cache) <= os.path.getmtime(tk.dictionary):
            return False
        freq, total = marshal.loads(cache.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return False
    tk.FREQ, tk.total = freq, total
    tk.initialized = True
    return True


class FastCutter:
    """Offsets of ``tk.cut(text, HMM=False)`` for one initialized tokenizer."""

    def __init__(self, tk: jieba.Tokenizer) -> None:
        self.freq: dict[str, int] = tk.FREQ
        self.snapshot = (len(tk.FREQ), tk.total)
        logtotal = log(tk.total)
        # jieba: log(FREQ.get(word) or 1) - logtotal, per candidate; here per frequency.
        self.lp = {f: log(f) - logtotal for f in set(tk.FREQ.values()) if f}
        # A character with no word of its own: log(1) - logtotal.
        self.single = log(1) - logtotal
        self.memo: dict[str, float | object | None] = {}

    def fresh(self, tk: jieba.Tokenizer) -> bool:
        """Whether the tokenizer's dictionary is unchanged since this cutter was built."""
        return tk.FREQ is self.freq and self.snapshot == (len(tk.FREQ), tk.total)

    def cut(self, text: str) -> list[tuple[int, int]]:
        """Token offsets tiling ``text``, identical to jieba's cut with HMM off."""
        out: list[tuple[int, int]] = []
        pos = 0
        han = _RE_HAN.match
        for blk in _RE_HAN.split(text):
            n = len(blk)
            if not n:
                continue
            if han(blk):
                self._block(blk, pos, out)
            elif "\r\n" in blk:
                # jieba yields each whitespace match (\r\n as one) and every other char.
                p = pos
                for x in _RE_SKIP.split(blk):
                    if _RE_SKIP.match(x):
                        out.append((p, p + len(x)))
                    else:
                        out.extend((q, q + 1) for q in range(p, p + len(x)))
                    p += len(x)
            else:
                out.extend((q, q + 1) for q in range(pos, pos + n))
            pos += n
        return out

    def _learn(self, frag: str) -> float | object | None:
        """What the dictionary says about ``frag``: its log-probability as a word,
        ``_PREFIX`` for a prefix of longer words only, None when absent (memoized)."""
        f = self.freq.get(frag)
        v: float | object | None = None if f is None else self.lp[f] if f else _PREFIX
        if len(self.memo) >= _MEMO_MAX:  # bound the memory on long runs; results unchanged
            self.memo.clear()
        self.memo[frag] = v
        return v

    def _block(self, s: str, base: int, out: list[tuple[int, int]]) -> None:
        """Cut one jieba block (CJK, ASCII letters/digits and +#&._%-) into ``out``."""
        memo_get = self.memo.get
        learn = self._learn
        n = len(s)
        score = [0.0] * (n + 1)
        nxt = [0] * (n + 1)
        for k in range(n - 1, -1, -1):
            best = 0.0
            best_x = -1
            j = k + 1  # end of the current fragment s[k:j]
            frag = s[k]
            while True:
                v = memo_get(frag, _MISS)
                if v is _MISS:
                    v = learn(frag)
                if v is None:
                    break
                if v is not _PREFIX:
                    sc = v + score[j]  # type: ignore[operator]
                    # jieba takes max over (score, x) with x ascending: ties go to later x.
                    if best_x < 0 or sc >= best:
                        best = sc
                        best_x = j - 1
                if j >= n:
                    break
                j += 1
                frag = s[k:j]
            if best_x < 0:
                best = self.single + score[k + 1]
                best_x = k
            score[k] = best
            nxt[k] = best_x + 1
        eng = _ENG
        x = 0
        buf_start = -1
        while x < n:
            y = nxt[x]
            if y == x + 1 and s[x] in eng:
                if buf_start < 0:
                    buf_start = x
            else:
                if buf_start >= 0:
                    out.append((base + buf_start, base + x))
                    buf_start = -1
                out.append((base + x, base + y))
            x = y
        if buf_start >= 0:
            out.append((base + buf_start, base + n))


_CUTTERS: weakref.WeakKeyDictionary[jieba.Tokenizer, FastCutter] = weakref.WeakKeyDictionary()


def cutter_for(tk: jieba.Tokenizer) -> FastCutter:
    """The tokenizer's cutter, rebuilt when the dictionary's size or total changed.

    ``add_word`` of a new word changes both; a change that keeps them (``del_word``,
    which sets a frequency to 0) is not seen: the pipeline adds its words before use.
    """
    tk.check_initialized()
    cutter = _CUTTERS.get(tk)
    if cutter is None or not cutter.fresh(tk):
        cutter = _CUTTERS[tk] = FastCutter(tk)
    return cutter
