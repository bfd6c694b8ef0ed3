"""PDF-break joining, paragraphs and headings."""

from __future__ import annotations

import pytest

from pipeline.normalize.layout import (
    find_pdf_breaks,
    heading_spans,
    looks_like_pdf,
    paragraph_spans,
)

JOIN = [
    # (text, joined result): a blank line inside a sentence goes
    (
        "歐洲多家磁材業者不滿低價傾銷的情況持續惡化因此隨即向歐盟執委會\n\n提出申訴。",
        "歐洲多家磁材業者不滿低價傾銷的情況持續惡化因此隨即向歐盟執委會提出申訴。",
    ),
    (
        "磁石廠商的成本壓力，導致非晶\n\n質材料的應用延後。",
        "磁石廠商的成本壓力，導致非晶質材料的應用延後。",
    ),
    (
        "相關技術已完成驗證；而\n\n\n\n \n在海外的專利也已布局。",
        "相關技術已完成驗證；而在海外的專利也已布局。",
    ),
    (
        "日本仍然高度依賴中國，\n\n這也說明了分散的必要。",
        "日本仍然高度依賴中國，這也說明了分散的必要。",
    ),
    (
        "早在多年前，日本企業便能向WTO\n\n申訴，但程序冗長。",
        "早在多年前，日本企業便能向WTO申訴，但程序冗長。",
    ),
    # regression "4、\n\n5 月": a digit after an enumeration comma continues the sentence
    (
        "受到新規定影響，企業在3、\n\n4月的出貨量明顯減少。",
        "受到新規定影響，企業在3、4月的出貨量明顯減少。",
    ),
    # regression "氧化鈰\n\n（見圖1）": a parenthesis after a word continues the sentence
    (
        "依據海關統計，主要進口品項包括金屬與化合物\n\n（見圖2）。其中化合物的來源較分散。",
        "依據海關統計，主要進口品項包括金屬與化合物（見圖2）。其中化合物的來源較分散。",
    ),
]

KEEP = [
    # sentence end, headings, captions, tables and lists are real breaks
    "政府已提出補助方案。\n\n下一階段將擴大到回收業。",
    "### 二、強化儲備制度\n\n政府將提供補助。",
    "一、強化儲備制度\n\n政府將提供補助。",
    "表3 各國稀土產量\n\n國別\t產量",
    "企業名\t金額\n\n資料來源：作者整理",
    "結語\n\n經過多年努力，成效逐漸顯現。",
    "Rare earth supply chains\n\nremain concentrated in China.",
    # a short fragment without punctuation reads as a heading, not a broken sentence
    "日本的稀土新戰略\n\n政府將提供補助。",
    # a numbered heading after a sentence stays a heading
    "政府已提出補助方案。\n\n（二）強化儲備制度",
    "政府已提出補助方案\n\n2. 強化儲備制度",
]


def _apply(text: str) -> str:
    """Delete the break spans."""
    out = text
    for sp in sorted(find_pdf_breaks(text), key=lambda s: -s.start):
        out = out[: sp.start] + out[sp.end :]
    return out


@pytest.mark.parametrize(("text", "expected"), JOIN)
def test_mid_sentence_breaks_are_joined(text: str, expected: str) -> None:
    assert _apply(text) == expected


@pytest.mark.parametrize("text", KEEP)
def test_real_paragraph_breaks_are_kept(text: str) -> None:
    assert find_pdf_breaks(text) == []


def test_looks_like_pdf() -> None:
    spaced = "2011 年出資 2.5 億美元，2023 年再投入 2 億澳幣，產量 6 萬噸，2024 年 3 月投產。"
    assert looks_like_pdf(spaced, "txt")
    assert looks_like_pdf("短文。", "pdf")
    assert not looks_like_pdf("政府已提出補助方案。\n\n下一階段將擴大到回收業。", "txt")


def test_paragraphs_are_nonempty_lines() -> None:
    text = "第一段。\n\n第二段。\n第三段。"
    paras = paragraph_spans(text)
    assert [text[s:e] for s, e in paras] == ["第一段。", "第二段。", "第三段。"]


def test_headings() -> None:
    text = "稀土戰略的轉向\n政府已提出補助方案，下一階段將擴大到回收業。\n結語\n未來仍待觀察。"
    paras = paragraph_spans(text)
    heads = [text[s:e] for s, e in heading_spans(text, paras)]
    assert heads == ["稀土戰略的轉向", "結語"]
