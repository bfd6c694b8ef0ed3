"""spaCy entry points: the jieba-with-Traditional-dictionary tokenizer and ``analyze``.

spaCy's own ChineseTokenizer with segmenter "jieba" drives the global jieba with its
Simplified dictionary, so we plug in a tokenizer that cuts with our private
``jieba.Tokenizer`` (``pipeline.nlp.dictionary``). Every character of the input ends up
in exactly one token (whitespace included), so ``doc.text == text`` always holds and
character offsets of the pure extractors carry over unchanged.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from pipeline.nlp.components import group_records, remember_layout
from pipeline.nlp.dictionary import segment

PIPES = ("zh_sentences", "zh_entities", "zh_times", "zh_quantities")


class JiebaTradTokenizer:
    """Callable spaCy tokenizer: jieba cut with the Traditional + domain dictionary."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        """Tokenize ``text`` into a Doc whose text is exactly ``text``."""
        spans = segment(text)
        words = [text[s:e] for s, e in spans]
        starts = [s for s, _ in spans]
        spaces = [False] * len(words)
        # spaCy stores one trailing space per token as a flag: a lone space token right
        # after a token that is not whitespace becomes that token's flag (the token
        # before it cannot already have one: only the token right after sets it); any
        # other whitespace stays a token of its own. Folded spaces are never adjacent,
        # so deleting from the end keeps the earlier indices valid.
        folds = [k for k, w in enumerate(words) if w == " " and k and not words[k - 1].isspace()]
        for k in reversed(folds):
            spaces[k - 1] = True
            del words[k], starts[k], spaces[k]
        doc = Doc(self.vocab, words=words, spaces=spaces)
        # The components need the text and token offsets; we know both already, while
        # spaCy would rebuild them from Token objects (see components.doc_text).
        remember_layout(doc, text, starts, [s + len(w) for s, w in zip(starts, words, strict=True)])
        return doc

    def to_bytes(self, **kwargs: Any) -> bytes:
        """Nothing to serialise: the dictionary is rebuilt from the cache."""
        return b""

    def from_bytes(self, data: bytes, **kwargs: Any) -> JiebaTradTokenizer:
        """Nothing to restore."""
        return self

    def to_disk(self, path: Any, **kwargs: Any) -> None:
        """Nothing to write."""

    def from_disk(self, path: Any, **kwargs: Any) -> JiebaTradTokenizer:
        """Nothing to read."""
        return self


@lru_cache(maxsize=1)
def build_nlp() -> Language:
    """``spacy.blank("zh")`` with our tokenizer and the four components (once per process)."""
    import spacy

    from pipeline.nlp import components  # noqa: F401  (registers the factories)

    nlp = spacy.blank("zh")
    nlp.tokenizer = JiebaTradTokenizer(nlp.vocab)
    for name in PIPES:
        nlp.add_pipe(name)
    return nlp


def make_doc(
    text: str,
    *,
    paragraphs: list[list[int]] | None = None,
    reference_date: dt.date | None = None,
    roc_years: bool = False,
) -> Doc:
    """Run the whole pipeline on ``text`` with document context set first."""
    from pipeline.nlp.components import ensure_extensions

    ensure_extensions()
    nlp = build_nlp()
    doc = nlp.make_doc(text)
    doc._.paragraphs = paragraphs
    doc._.reference_date = reference_date
    doc._.roc_years = roc_years
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def analyze(
    text: str,
    *,
    paragraphs: list[list[int]] | None = None,
    reference_date: dt.date | None = None,
    roc_years: bool = False,
) -> dict[str, Any]:
    """Sentences, quantities, times and entities of ``text`` as JSON-ready lists.

    Offsets are exact character offsets into ``text`` (not token-aligned).
    """
    doc = make_doc(text, paragraphs=paragraphs, reference_date=reference_date, roc_years=roc_years)
    return {
        "sentences": [list(s) for s in doc._.sentences],
        "quantities": group_records(doc, "quantities"),
        "times": group_records(doc, "times"),
        "entities": group_records(doc, "entities"),
    }
