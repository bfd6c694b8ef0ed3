"""The report at thousands of documents: an exact, fast timeline and a bounded page.

The timeline is checked against the plain pairwise algorithm (every mention against
every row of its date), which the indexed one must reproduce exactly.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Mapping, Sequence
from html.parser import HTMLParser
from typing import Any

import pytest

from pipeline.reconcile import reconcile
from pipeline.report import briefing as briefing_mod
from pipeline.report import html as html_mod
from pipeline.report.briefing import briefing_facts, select_rows, timeline_rows
from pipeline.report.common import format_period, report_text
from pipeline.report.summaries import similarity

# Phrases of our own, recombined into sentences that share more or fewer bigrams.
WORDS = ["稀土", "出口", "管制", "日本", "澳洲", "精煉", "產能", "磁鐵", "供應鏈", "價格",
         "上漲", "協議", "簽署", "儲備", "回收", "礦場", "投產", "政府", "宣布", "限制"]  # fmt: skip


def reference_rows(
    mentions: Sequence[Mapping[str, Any]], docs: Mapping[str, Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The pairwise grouping the timeline used before it was indexed."""
    thresholds = report_text()["timeline"]["similarity"]
    ordered = sorted(
        mentions,
        key=lambda m: (
            m["date"],
            str((docs.get(m["doc_id"]) or {}).get("published") or "9999"),
            m["doc_id"],
            m["sentence_start"],
        ),
    )
    rows: list[dict[str, Any]] = []
    by_date: dict[str, list[dict[str, Any]]] = {}
    for m in ordered:
        thr = thresholds.get(str(m["granularity"]), thresholds["default"])
        target = None
        for r in by_date.get(m["date"], []):
            if m["doc_id"] in {s["doc_id"] for s in r["sources"]}:
                continue
            if similarity(r["sentence"], m["sentence"]) >= thr:
                target = r
                break
        d = docs.get(m["doc_id"]) or {}
        src = {
            "doc_id": m["doc_id"],
            "outlet": d.get("outlet"),
            "title": d.get("title"),
            "published": d.get("published"),
            **{k: m[k] for k in ("surface", "start", "end", "sentence_start", "sentence_end")},
        }
        if target is None:
            row = {
                "date": m["date"],
                "date_zh": format_period(m["date"]),
                "granularity": m["granularity"],
                "sentence": m["sentence"],
                "sources": [src],
            }
            rows.append(row)
            by_date.setdefault(m["date"], []).append(row)
        else:
            target["sources"].append(src)
    rows.sort(
        key=lambda r: (
            r["date"],
            -len(r["sources"]),
            r["sources"][0]["doc_id"],
            r["sources"][0]["sentence_start"],
        )
    )
    return rows


def random_mentions(seed: int, n_docs: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Mentions over a few dates with near-duplicate and unrelated sentences."""
    rng = random.Random(seed)
    bases = [[rng.choice(WORDS) for _ in range(rng.randint(3, 9))] for _ in range(12)]
    dates = [("2025", "year"), ("2025-03", "month"), ("2025-03-10", "day"), ("2024", "year")]
    docs: dict[str, Any] = {}
    mentions: list[dict[str, Any]] = []
    for i in range(n_docs):
        doc_id = f"{i:016x}"
        docs[doc_id] = {"published": f"2025-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                        "outlet": f"報{i % 5}", "title": f"題{i}"}  # fmt: skip
        for k in range(rng.randint(1, 4)):
            words = list(rng.choice(bases))
            for _ in range(rng.randint(0, 3)):  # a few edits: similar, not equal
                words[rng.randrange(len(words))] = rng.choice(WORDS)
            date, gran = rng.choice(dates)
            sentence = "".join(words) + "。"
            mentions.append({"date": date, "granularity": gran, "doc_id": doc_id,
                             "surface": date, "start": k * 40, "end": k * 40 + 4,
                             "sentence_start": k * 40, "sentence_end": k * 40 + len(sentence),
                             "sentence": sentence})  # fmt: skip
    return mentions, docs


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_indexed_timeline_equals_pairwise_grouping(seed: int) -> None:
    mentions, docs = random_mentions(seed, 120)
    rows = timeline_rows(mentions, docs)
    assert rows == reference_rows(mentions, docs)
    assert any(len(r["sources"]) > 1 for r in rows)  # the test data does group


def test_timeline_cache_redoes_only_the_dates_a_new_document_mentions() -> None:
    mentions, docs = random_mentions(7, 80)
    keys = {d: "k1" for d in docs}
    cache: dict[str, list[dict[str, Any]]] = {}
    first = timeline_rows(mentions, docs, cache, keys)
    assert first == reference_rows(mentions, docs)
    n_dates = len({m["date"] for m in mentions})
    assert len(cache) == n_dates

    class Counting(dict[str, list[dict[str, Any]]]):
        misses = 0

        def get(self, key: str, default: Any = None) -> Any:
            if key not in self:
                Counting.misses += 1
            return super().get(key, default)

    counting = Counting(copy.deepcopy(cache))
    assert timeline_rows(mentions, docs, counting, keys) == first
    assert Counting.misses == 0
    new_id = "f" * 16
    docs[new_id] = {"published": "2025-01-01", "outlet": "新報", "title": "新"}
    keys[new_id] = "k1"
    added = [{**mentions[0], "doc_id": new_id, "date": "2024", "granularity": "year"}]
    again = timeline_rows(mentions + added, docs, counting, keys)
    assert Counting.misses == 1  # only the date "2024"
    assert again == reference_rows(mentions + added, docs)


def test_timeline_by_date_reads_mentions_only_for_dates_the_cache_lacks() -> None:
    from pipeline.report.briefing import timeline_rows_by_date

    mentions, docs = random_mentions(11, 90)
    keys = {d: "k1" for d in docs}
    date_docs: dict[str, list[str]] = {}
    for m in mentions:
        date_docs.setdefault(m["date"], [])
        if m["doc_id"] not in date_docs[m["date"]]:
            date_docs[m["date"]].append(m["doc_id"])
    asked: list[list[str]] = []

    def mentions_of(ids: Sequence[str]) -> list[dict[str, Any]]:
        asked.append(list(ids))
        return [m for m in mentions if m["doc_id"] in ids]

    cache: dict[str, list[dict[str, Any]]] = {}
    rows = timeline_rows_by_date(date_docs, mentions_of, docs, cache, keys)
    assert rows == reference_rows(mentions, docs) and len(asked) == 1
    # the plain function fills and reads the same cache keys
    assert timeline_rows(mentions, docs, copy.deepcopy(cache), keys) == rows
    asked.clear()
    assert timeline_rows_by_date(date_docs, mentions_of, docs, copy.deepcopy(cache), keys) == rows
    assert asked == []
    # a new document with one date: only that date's documents are read
    new_id = "e" * 16
    docs[new_id] = {"published": "2025-01-01", "outlet": "新報", "title": "新"}
    keys[new_id] = "k1"
    added = {**mentions[0], "doc_id": new_id}
    mentions.append(added)
    date_docs[added["date"]].append(new_id)
    # a document listed under a date it does not mention changes nothing but the key
    date_docs[added["date"]].append(mentions[-2]["doc_id"])
    again = timeline_rows_by_date(date_docs, mentions_of, docs, cache, keys)
    assert again == reference_rows(mentions, docs)
    assert asked == [sorted(set(date_docs[added["date"]]))]


def test_select_rows_keeps_best_corroborated_in_date_order() -> None:
    rows = [{"date": str(2000 + i), "sources": [{}] * (1 + i % 3)} for i in range(10)]
    picked = select_rows(rows, 4)
    assert [r["date"] for r in picked] == ["2002", "2005", "2007", "2008"]
    assert select_rows(rows, 20) == rows


# ---------------------------------------------------------------- a large report


def _many(corpus: dict[str, Any], copies: int) -> dict[str, Any]:
    """The hand-made corpus repeated under new document ids and dates."""
    docs: dict[str, Any] = {}
    extracted: dict[str, Any] = {}
    claims: list[dict[str, Any]] = []
    for k in range(copies):
        for old_id, doc in corpus["docs"].items():
            new_id = f"{k:04x}{old_id[4:]}"
            docs[new_id] = {
                **doc,
                "doc_id": new_id,
                "published": f"20{10 + k % 16}-01-0{1 + k % 9}",
            }
            extracted[new_id] = corpus["extracted"][old_id]
            for c in corpus["claims"]:
                if c["doc_id"] == old_id:
                    claims.append({**c, "doc_id": new_id, "claim_id": f"{new_id}-{c['claim_id']}"})
    return {"docs": docs, "extracted": extracted, "claims": claims}


class _Page(HTMLParser):
    """ids, local hrefs and full document sections of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: set[str] = set()
        self.doc_sections = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if (a.get("href") or "").startswith("#"):
            self.hrefs.add(str(a["href"])[1:])
        if tag == "section" and a.get("class") == "doc":
            self.doc_sections += 1


def test_large_report_is_bounded_and_links_every_document(
    corpus: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    big = _many(corpus, 40)  # 120 documents; caps lowered so they bind
    for name, value in (("FULL_DOCS", 10), ("MAX_FACT_SECTIONS", 1), ("MAX_FACT_ROWS", 5),
                        ("MAX_STATEMENTS", 1), ("MAX_TIMELINE_ROWS", 3),
                        ("MAX_ENTITY_LINKS", 4), ("MAX_ROW_SOURCES", 3)):  # fmt: skip
        monkeypatch.setattr(html_mod, name, value)
    rec = reconcile(big["claims"])
    summaries = {d: {"sentences": []} for d in big["docs"]}
    out = html_mod.render_report(
        big["docs"], big["extracted"], big["claims"], rec, briefing_facts(rec), summaries
    )
    page = _Page()
    page.feed(out)
    assert page.doc_sections == 10
    assert {f"doc-{d}" for d in big["docs"]} <= page.ids  # every document has an anchor
    assert page.hrefs <= page.ids  # and every link lands
    # The ten full documents are the latest ones.
    latest = sorted(big["docs"], key=lambda d: (big["docs"][d]["published"], d))[-10:]
    assert all(f'<section class="doc" id="doc-{d}">' in out for d in latest)
    assert "另有" in out and "個來源" in out  # capped lists say how much is left out
    # Bounded: many more documents add index rows, not full sections.
    bigger = _many(corpus, 120)
    rec2 = reconcile(bigger["claims"])
    out2 = html_mod.render_report(
        bigger["docs"], bigger["extracted"], bigger["claims"], rec2, None,
        {d: {"sentences": []} for d in bigger["docs"]},
    )  # fmt: skip
    per_doc = (len(out2) - len(out)) / (len(bigger["docs"]) - len(big["docs"]))
    assert per_doc < 600, per_doc  # an index row, not a document's text


def test_large_briefing_is_bounded(corpus: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    big = _many(corpus, 40)
    monkeypatch.setattr(briefing_mod, "MAX_KEY_FIGURES", 1)
    monkeypatch.setattr(briefing_mod, "LARGE_CORPUS", 10)
    monkeypatch.setattr(briefing_mod, "MAX_ROW_SOURCES", 1)
    rec = reconcile(big["claims"])
    md = briefing_mod.render_briefing(
        rec,
        big["claims"],
        {d: e["entities"] for d, e in big["extracted"].items()},
        {d: e["times"] for d, e in big["extracted"].items()},
        None,
        docs=big["docs"],
    )
    facts = briefing_facts(rec, big["claims"])
    assert f"- {briefing_mod._md(facts[0]['statement'])}" in md
    assert f"另有 {len(facts) - 1} 組數字" in md
    timeline = md.split("## 時間軸")[1].split("## ")[0]
    assert " 等 " in timeline  # a row corroborated by many outlets names one and counts


def test_cached_timeline_rows_are_read_only_when_shown() -> None:
    from pipeline import io
    from pipeline.corpus import RowCache, dump_rows
    from pipeline.report.briefing import CachedRow, row_head, timeline_rows_by_date

    mentions, docs = random_mentions(5, 150)
    keys = {d: "k1" for d in docs}
    plain: dict[str, list[dict[str, Any]]] = {}
    rows = timeline_rows(mentions, docs, plain, keys)
    read: list[str] = []

    def rows_of(key: str) -> str:
        read.append(key)
        return dump_rows(plain[key])

    stored = RowCache({k: io.dumps([row_head(r) for r in v]) for k, v in plain.items()}, rows_of)
    date_docs: dict[str, set[str]] = {}
    for m in mentions:
        date_docs.setdefault(m["date"], set()).add(m["doc_id"])

    def no_mentions(ids: Sequence[str]) -> list[dict[str, Any]]:
        raise AssertionError("every date is cached")

    lazy = timeline_rows_by_date(date_docs, no_mentions, docs, stored, keys)
    assert all(isinstance(r, CachedRow) for r in lazy)
    assert [row_head(r) for r in lazy] == [row_head(r) for r in rows]
    picked = select_rows(lazy, 5)
    shown = [(r["date"], r["sentence"], r["sources"]) for r in picked]
    assert shown == [(r["date"], r["sentence"], r["sources"]) for r in select_rows(rows, 5)]
    assert sum(1 for r in lazy if len(r) > 1) == 5  # only the rows shown were read
    assert len(read) == len({r["date"] for r in picked})  # of their dates alone
    assert [dict(r) for r in lazy if r["sources"]] == rows  # and every row reads back whole


def _date_cache() -> Any:
    from pipeline.report.common import DateRowCache

    class Cache(DateRowCache):
        def __init__(self) -> None:
            self.data: dict[str, list[dict[str, Any]]] = {}
            self.made: dict[str, tuple[str, dict[str, str], list[dict[str, Any]]]] = {}

        def __getitem__(self, key: str) -> list[dict[str, Any]]:
            return copy.deepcopy(self.data[key])

        def __setitem__(self, key: str, rows: list[dict[str, Any]]) -> None:
            self.data[key] = copy.deepcopy(rows)

        def __delitem__(self, key: str) -> None:
            del self.data[key]

        def __iter__(self) -> Any:
            return iter(self.data)

        def __len__(self) -> int:
            return len(self.data)

        def bases(self, date: str) -> list[Any]:
            return [
                (dict(m), lambda cp=cp: copy.deepcopy(cp))
                for k, (d, m, cp) in self.made.items()
                if d == date and k in self.data
            ]

        def note(
            self, key: str, date: str, members: Any, checkpoint: Any, text: Any = None
        ) -> None:
            assert text is None or json.loads(text) == checkpoint
            self.made[key] = (date, dict(members), copy.deepcopy(checkpoint))

    return Cache()


@pytest.mark.parametrize(("newest", "n_undated"), [(True, 0), (False, 0), (True, 4)])
def test_a_new_documents_dates_continue_the_earlier_grouping(newest: bool, n_undated: int) -> None:
    """The newest article's mentions continue each date's grouping (only its mentions and
    the undated documents', which come last, are read); an article dated earlier than
    others makes its dates grouped again. Either way the rows equal a grouping from
    scratch."""
    from pipeline.report.briefing import timeline_rows_by_date

    mentions, docs = random_mentions(21, 120)
    undated = sorted(docs)[7 : 7 + n_undated]
    for d in undated:
        docs[d]["published"] = None
    new_id = "f" * 16
    docs[new_id] = {"published": "2026-01-01" if newest else "2025-01-01", "outlet": "新報"}
    added = [
        {**m, "doc_id": new_id, "sentence_start": m["sentence_start"] + 1000}
        for m in mentions[:3] + mentions[40:42]
    ]
    keys = {d: "k1" for d in docs}

    def date_docs(ms: list[dict[str, Any]]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for m in ms:
            out.setdefault(m["date"], set()).add(m["doc_id"])
        return out

    asked: list[list[str]] = []
    everything = mentions + added

    def mentions_of(ids: Sequence[str]) -> list[dict[str, Any]]:
        asked.append(sorted(ids))
        return [m for m in everything if m["doc_id"] in ids]

    cache = _date_cache()
    before = timeline_rows_by_date(date_docs(mentions), mentions_of, docs, cache, keys)
    assert before == reference_rows(mentions, docs)
    asked.clear()
    after = timeline_rows_by_date(date_docs(everything), mentions_of, docs, cache, keys)
    assert after == reference_rows(everything, docs)
    assert any(len(r["sources"]) > 1 and new_id in {s["doc_id"] for s in r["sources"]}
               for r in after)  # fmt: skip
    if newest:
        # one read: the new article and the undated documents of its dates
        assert len(asked) == 1 and new_id in asked[0]
        assert set(asked[0]) - {new_id} <= set(undated)
        assert bool(set(asked[0]) & set(undated)) == bool(undated)
    else:
        assert asked[0] == [new_id] and len(asked) == 2 and len(asked[1]) > 1
    # a changed old document invalidates the continuation: grouped again, still exact
    keys[sorted(docs)[0]] = "k2"
    asked.clear()
    again = timeline_rows_by_date(date_docs(everything), mentions_of, docs, cache, keys)
    assert again == after and len(asked[-1]) > 1
