"""Segmentation quality and speed reports (the functions ``make eval``/``bench`` call)."""

from __future__ import annotations

from pipeline.nlp.quality import segmentation_report, speed_report

TEXTS = [
    "經濟產業省與萊納斯簽約，南鳥島的試採由石油天然氣金屬礦物資源機構主導。",
    "首相高市早苗與財務大臣片山皋月討論釹鐵硼供應，行政法人的預算也將增加。",
]
WORDS = [
    "經濟產業省",
    "萊納斯",
    "南鳥島",
    "石油天然氣金屬礦物資源機構",
    "高市早苗",
    "片山皋月",
    "釹鐵硼",
    "行政法人",
]


def test_traditional_dictionary_beats_base_jieba() -> None:
    r = segmentation_report(TEXTS, WORDS)
    assert r["traditional"]["occurrences"] == len(WORDS)
    assert r["traditional"]["whole"] == 1.0
    assert r["base_jieba"]["whole"] < r["traditional"]["whole"]


def test_words_inside_longer_listed_words_are_not_counted_twice() -> None:
    r = segmentation_report(["日本政府表示。"], ["日本", "日本政府"])
    assert r["traditional"]["occurrences"] == 1


def test_speed_report_shape() -> None:
    r = speed_report(TEXTS)
    assert r["chars"] == sum(map(len, TEXTS))
    for k in (
        "bare_jieba_chars_per_s",
        "traditional_jieba_chars_per_s",
        "nlp_pipeline_chars_per_s",
    ):
        assert r[k] > 0


def test_gold_entity_words() -> None:
    from pipeline.nlp.quality import gold_entity_words

    gold = {"docs": [{"entities": [{"aliases": ["日本", "日方"]}, {"aliases": ["稀土"]}]}]}
    assert gold_entity_words(gold) == ["日方", "日本", "稀土"]
