"""Table-driven tests of the pure sentence splitter."""

from __future__ import annotations

import pytest

from pipeline.nlp.sentences import split_sentences


def _texts(text: str, paragraphs: list[list[int]] | None = None) -> list[str]:
    spans = split_sentences(text, paragraphs)
    for s, e in spans:
        assert 0 <= s < e <= len(text)
        assert text[s:e] == text[s:e].strip()
    return [text[s:e] for s, e in spans]


CASES = [
    ("稀土價格上漲。業者擔心缺貨。", ["稀土價格上漲。", "業者擔心缺貨。"]),
    ("真的會禁運嗎？官員沒有回答！", ["真的會禁運嗎？", "官員沒有回答！"]),
    ("第一點是儲備；第二點是回收。", ["第一點是儲備；", "第二點是回收。"]),
    ("He said no! Then left? OK; done", ["He said no!", "Then left?", "OK;", "done"]),
    ("他說：「供應不會中斷。」市場仍然緊張。", ["他說：「供應不會中斷。」", "市場仍然緊張。"]),
    ("報告寫道『需求翻倍！』』之後", ["報告寫道『需求翻倍！』』", "之後"]),
    ("（這是附註。）正文繼續。", ["（這是附註。）", "正文繼續。"]),
    ("“引文結束。”下一句", ["“引文結束。”", "下一句"]),
    ("什麼？！真的嗎", ["什麼？！", "真的嗎"]),
    ("標題沒有句號\n內文第一句。", ["標題沒有句號", "內文第一句。"]),
    ("  前後有空白。  \n\n  第二段。 ", ["前後有空白。", "第二段。"]),
    ("。。。", ["。。。"]),
    ("", []),
    ("\n\n  \n", []),
    ("價格&gt;8成。下一句", ["價格&gt;8成。", "下一句"]),
    ("網址 example.com/a?b=1 仍在句中。", ["網址 example.com/a?b=1 仍在句中。"]),
    ("成長3.5%。接著", ["成長3.5%。", "接著"]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert _texts(text) == expected


def test_paragraph_end_is_a_boundary() -> None:
    text = "第一段沒有句號第二段也沒有"
    assert _texts(text, [[0, 7], [7, 13]]) == ["第一段沒有句號", "第二段也沒有"]


def test_text_outside_paragraphs_is_still_split() -> None:
    text = "標題。正文一。正文二。"
    assert _texts(text, [[3, 11]]) == ["標題。", "正文一。", "正文二。"]


def test_spans_are_ordered_and_disjoint() -> None:
    text = "甲。乙！丙？\n丁；戊"
    spans = split_sentences(text)
    assert spans == sorted(spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
