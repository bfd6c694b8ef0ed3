"""Extractive summaries: verbatim sentences, offsets, no boilerplate, reading order, MMR."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.report.summaries import (
    is_boilerplate_sentence,
    render_summary_md,
    similarity,
    summarize,
)
from tests.report.conftest import A_LINES, DOC_A_ID, DOC_B_ID, DOC_X_ID


def _doc_claims(corpus: dict[str, Any], doc_id: str) -> list[dict[str, Any]]:
    return [c for c in corpus["claims"] if c["doc_id"] == doc_id]


@pytest.mark.parametrize("doc_id", [DOC_A_ID, DOC_B_ID, DOC_X_ID])
def test_summary_sentences_are_verbatim_with_offsets(corpus: dict[str, Any], doc_id: str) -> None:
    doc = corpus["docs"][doc_id]
    s = summarize(doc, corpus["extracted"][doc_id], _doc_claims(corpus, doc_id))
    sents = s["sentences"]
    assert s["doc_id"] == doc_id
    assert 1 <= len(sents) <= 5
    for x in sents:
        assert doc["text"][x["start"] : x["end"]] == x["text"]
        assert x["text"] == x["text"].strip()
        # A whole extract-layer sentence, not a fragment.
        assert [x["start"], x["end"]] in corpus["extracted"][doc_id]["sentences"]
    starts = [x["start"] for x in sents]
    assert starts == sorted(starts), "reading order"


@pytest.mark.parametrize("k,expected", [(1, 3), (3, 3), (4, 4), (9, 5)])
def test_summary_length_is_clamped_to_3_to_5(corpus: dict[str, Any], k: int, expected: int) -> None:
    doc = corpus["docs"][DOC_A_ID]
    s = summarize(doc, corpus["extracted"][DOC_A_ID], _doc_claims(corpus, DOC_A_ID), k=k)
    assert len(s["sentences"]) == expected


def test_summary_never_picks_boilerplate_heading_or_byline(corpus: dict[str, Any]) -> None:
    doc = corpus["docs"][DOC_A_ID]
    s = summarize(doc, corpus["extracted"][DOC_A_ID], _doc_claims(corpus, DOC_A_ID), k=5)
    chosen = {x["text"] for x in s["sentences"]}
    for line in (A_LINES[0], A_LINES[1], A_LINES[9], A_LINES[10]):
        assert line not in chosen


def test_mmr_drops_the_near_duplicate_restatement(corpus: dict[str, Any]) -> None:
    # A_LINES[6] restates A_LINES[2] with the same figures; only one of them may be chosen.
    assert similarity(A_LINES[2], A_LINES[6]) > 0.5
    doc = corpus["docs"][DOC_A_ID]
    for k in (3, 4, 5):
        s = summarize(doc, corpus["extracted"][DOC_A_ID], _doc_claims(corpus, DOC_A_ID), k=k)
        chosen = [x["text"] for x in s["sentences"]]
        assert not (A_LINES[2] in chosen and A_LINES[6] in chosen), chosen
        assert A_LINES[2] in chosen or A_LINES[6] in chosen


def test_claim_bearing_sentences_are_preferred(corpus: dict[str, Any]) -> None:
    doc = corpus["docs"][DOC_A_ID]
    s = summarize(doc, corpus["extracted"][DOC_A_ID], _doc_claims(corpus, DOC_A_ID), k=3)
    with_claims = [x for x in s["sentences"] if x["claim_ids"]]
    assert len(with_claims) >= 2
    # Without claims the target sentence has no special pull; with them it is chosen.
    assert any("a-c003" in x["claim_ids"] for x in s["sentences"])


def test_summary_without_extract_sentences_uses_fallback_split(corpus: dict[str, Any]) -> None:
    doc = corpus["docs"][DOC_B_ID]
    s = summarize(doc, {"sentences": []}, [])
    assert len(s["sentences"]) >= 3
    for x in s["sentences"]:
        assert doc["text"][x["start"] : x["end"]] == x["text"]


def test_summary_of_empty_document_is_empty() -> None:
    s = summarize({"doc_id": "0" * 16, "text": ""}, {"sentences": []}, [])
    assert s["sentences"] == []


@pytest.mark.parametrize(
    "sentence,boiler",
    [
        ("※本文作者為東京特派員，文章不代表本報立場。", True),
        ("●作者：某某／駐東京記者", True),
        ("更多新聞請訂閱本報電子報", True),
        ("記者王小明／台北報導", True),  # short, unterminated byline
        ("稀土供應鏈的下一步", True),  # short heading
        ("延伸閱讀：中國再度收緊稀土出口", True),
        ("圖／路透社資料照片", True),
        ("https://example.com/news/123", True),
        ("經濟部表示，今年將補助國內廠商建立稀土磁鐵回收產線，目標是降低對進口的依賴。", False),
        ("「我們不能只靠單一來源，必須及早分散風險。」", False),
    ],
)
def test_boilerplate_sentence_cues(sentence: str, boiler: bool) -> None:
    assert is_boilerplate_sentence(sentence) is boiler


def test_render_summary_md_has_metadata_summary_figures_and_dates(corpus: dict[str, Any]) -> None:
    doc = corpus["docs"][DOC_A_ID]
    claims = _doc_claims(corpus, DOC_A_ID)
    s = summarize(doc, corpus["extracted"][DOC_A_ID], claims)
    md = render_summary_md(doc, s, claims, corpus["extracted"][DOC_A_ID]["times"])
    assert md.startswith("# 日本分散稀土來源的十五年\n")
    for needle in (
        "甲報",
        "2026-01-10",
        "林大同",
        f"{DOC_A_ID}.txt",
        "## 摘要",
        "## 關鍵數字",
        "## 日期事件",
    ):
        assert needle in md
    for x in s["sentences"]:
        assert x["text"] in md
    assert "japan_re_import_share_from_china" in md
    assert "| 2026-03 | 2026年3月 |" in md
    assert "約60%" in md  # a hedged value is shown with its hedge


def test_render_summary_md_escapes_html_and_pipes(corpus: dict[str, Any]) -> None:
    doc = corpus["docs"][DOC_X_ID]
    claims = _doc_claims(corpus, DOC_X_ID)
    s = summarize(doc, corpus["extracted"][DOC_X_ID], claims)
    md = render_summary_md(doc, s, claims, corpus["extracted"][DOC_X_ID]["times"])
    assert "<script" not in md and "<img" not in md
    doc2 = dict(doc, title="A|B")
    assert "A\\|B" in render_summary_md(doc2, s, claims, [])


def test_summary_skips_flattened_pdf_table_row() -> None:
    # Regression: a PDF table row (cells joined by tabs) was picked as a central sentence.
    rows = [
        "某某材料公司\t2024/05/01\t開發低稀土用量馬達的製程技術與量產設備\t3億",
        "另一家磁材廠\t2024/06/12\t建置重稀土回收與再利用的示範產線設備\t5億",
    ]
    body = [
        "經濟部今年擴大補助國內業者開發不依賴重稀土的馬達與磁鐵技術，希望降低供應風險。",
        "官員指出，補助對象包括材料、零組件與回收業者，審查重點放在量產可行性與成本。",
        "業界認為，補助有助於縮短研發時程，但關鍵仍在於能否取得穩定的原料來源。",
        "補助名單顯示，獲選業者多半已有與日本或歐洲廠商合作開發磁材的經驗。",
    ]
    text = "\n".join(body[:2] + rows + body[2:])
    s = summarize({"doc_id": "t" * 16, "text": text}, {"sentences": []}, [], k=5)
    assert len(s["sentences"]) == 4
    assert all("\t" not in x["text"] for x in s["sentences"])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(A_LINES + ["", "  ", "\t", "<b>標記</b>", "。。", "！？"]),
        min_size=0,
        max_size=25,
    ),
    st.sampled_from(["\n", "\n\n", " ", ""]),
)
def test_summary_offsets_hold_for_any_arrangement(lines: list[str], sep: str) -> None:
    text = sep.join(lines)
    s = summarize({"doc_id": "h" * 16, "text": text}, {"sentences": []}, [])
    assert len(s["sentences"]) <= 5
    prev = -1
    for x in s["sentences"]:
        assert text[x["start"] : x["end"]] == x["text"]
        assert x["start"] > prev
        prev = x["start"]
        assert not is_boilerplate_sentence(x["text"])
