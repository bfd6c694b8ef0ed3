"""Width, punctuation and whitespace normalization."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.normalize.width import normalize_width

CASES = [
    # (input, join_cjk, expected)
    ("產能達１２０萬噸，佔全球６８％", False, "產能達120萬噸，佔全球68%"),
    ("稀土價格上漲３．５倍", False, "稀土價格上漲3.5倍"),
    ("由ＪＯＧＭＥＣ出資", False, "由JOGMEC出資"),
    ("礦場產量增加,出口卻減少", False, "礦場產量增加，出口卻減少"),
    ("部長表示:「供應無虞」", False, "部長表示：「供應無虞」"),
    ("韓國(12%)與越南(7%)", False, "韓國（12%）與越南（7%）"),
    ("澳洲企業( Iluka )擴產", False, "澳洲企業（Iluka）擴產"),
    ("真的嗎?日本不擔心!", False, "真的嗎？日本不擔心！"),
    ("比率降至15-25%,並持續", False, "比率降至15-25%，並持續"),
    # digit groups, times, URLs and Latin text keep their ASCII punctuation
    ("出口1,250噸", False, "出口1,250噸"),
    ("更新於 08:30:15", False, "更新於08:30:15"),
    ("https://example.org/a?b=1", False, "https://example.org/a?b=1"),
    ("Mountain Pass (California), USA", False, "Mountain Pass (California), USA"),
    # entities
    ("進口占比&gt;7成 &amp; 上升", False, "進口占比>7成 & 上升"),
    ("A&nbsp;&nbsp;B", False, "A B"),
    ("&amp;lt;", False, "<"),
    # spaces: digits and CJK, CJK punctuation, PDF joins
    ("貸款 3.2 億美元", False, "貸款3.2億美元"),
    ("年產 7 萬 1,530 噸", False, "年產7萬1,530噸"),
    ("2019 年 4 月", False, "2019年4月"),
    ("貿易戰 開打", False, "貿易戰 開打"),
    ("貿易戰 開打", True, "貿易戰開打"),
    ("供應鏈 。", False, "供應鏈。"),
    ("結論： 稀土", False, "結論：稀土"),
    ("向 Lynas 注資", True, "向 Lynas 注資"),
    ("rare  earth\u3000magnets", False, "rare earth magnets"),
    # lines and blank runs
    ("第一段   \n\n\n\n第二段\t \n", False, "第一段\n\n第二段"),
    ("\u00a0\n段落\n\u00a0\n\n段落二", False, "段落\n\n段落二"),
    ("甲\r\n乙", False, "甲\n乙"),
    ("欄一 \t 欄二", False, "欄一\t欄二"),
]


@pytest.mark.parametrize(("raw", "join", "expected"), CASES)
def test_normalize_width_cases(raw: str, join: bool, expected: str) -> None:
    assert normalize_width(raw, join_cjk=join) == expected


@pytest.mark.parametrize(("raw", "join", "expected"), CASES)
def test_normalize_width_is_idempotent_on_cases(raw: str, join: bool, expected: str) -> None:
    once = normalize_width(raw, join_cjk=join)
    assert normalize_width(once, join_cjk=join) == once


CJKISH_TEXT = st.text(
    alphabet=st.sampled_from(
        list(
            "稀土日本中國鏑，。、：；（）「」 \n\t\u00a0\u3000,.:;()!?%&#x;gtamp0123456789ＡＢ１２％．"
        )
    ),
    max_size=80,
)


@settings(max_examples=300, deadline=None)
@given(CJKISH_TEXT, st.booleans())
def test_width_idempotent_property(text: str, join: bool) -> None:
    once = normalize_width(text, join_cjk=join)
    assert normalize_width(once, join_cjk=join) == once


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200), st.booleans())
def test_width_arbitrary_unicode(text: str, join: bool) -> None:
    once = normalize_width(text, join_cjk=join)
    assert normalize_width(once, join_cjk=join) == once
