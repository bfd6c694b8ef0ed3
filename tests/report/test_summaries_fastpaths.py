"""The summary's faster similarity and TextRank give bit-identical numbers."""

from __future__ import annotations

import random

from pipeline.report.summaries import _cos, _features, _PairCos, _textrank, _tfidf


def _reference_textrank(
    sim: list[list[float]], damping: float = 0.85, iters: int = 40
) -> list[float]:
    """The per-edge PageRank loop the vectorized one replaced (the oracle)."""
    n = len(sim)
    if n == 0:
        return []
    out_w = [sum(row) for row in sim]
    inc = [
        [(j, sim[j][i] / out_w[j]) for j in range(n) if sim[j][i] and out_w[j]] for i in range(n)
    ]
    r = [1.0 / n] * n
    for _ in range(iters):
        r = [(1 - damping) / n + damping * sum(w * r[j] for j, w in inc[i]) for i in range(n)]
    return r


def _random_vectors(rng: random.Random, n: int) -> list[dict[str, float]]:
    """TF-IDF vectors of random bigram bags (some empty, some of equal length)."""
    vocab = [chr(0x4E00 + k) for k in range(30)]
    bags = []
    for _ in range(n):
        toks = [rng.choice(vocab) for _ in range(rng.randint(0, 25))]
        bags.append(_features("".join(toks)))
    return _tfidf(bags)


def test_pair_cos_is_bit_identical() -> None:
    rng = random.Random(7)
    for _ in range(30):
        vecs = _random_vectors(rng, 12)
        pc = _PairCos(vecs)
        for i in range(len(vecs)):
            for j in range(len(vecs)):
                got, want = pc(i, j), _cos(vecs[i], vecs[j])
                assert got == want and type(got) is type(want), (i, j)


def test_textrank_is_bit_identical() -> None:
    rng = random.Random(11)
    for n in (0, 1, 2, 5, 17, 40):
        vecs = _random_vectors(rng, n)
        sim = [[0.0] * n for _ in range(n)]
        for i in range(n):
            for j in range(i + 1, n):
                sim[i][j] = sim[j][i] = _cos(vecs[i], vecs[j])
        assert _textrank(sim) == _reference_textrank(sim)
    lonely = [[0.0, 0.0], [0.0, 0.0]]  # no edges at all
    assert _textrank(lonely) == _reference_textrank(lonely)


def test_features_keep_first_seen_order() -> None:
    feats = _features("稀土稀土價格 MP 2025")
    assert list(feats) == ["稀土", "土稀", "土價", "價格", "格mp", "mp2025"]
    assert feats["稀土"] == 2
    assert _features("稀") == {"稀": 1}
