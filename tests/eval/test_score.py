"""The gold scorer: locating raw surfaces in normalized text, and the P/R it reports."""

from __future__ import annotations

import pytest

from pipeline.eval.locate import Squeezed, locate
from pipeline.eval.score import score_entities, score_figures, score_frames, score_times

TEXT = "日本對中國稀土的依賴降到約六成。\n2025年出口6萬2,474噸，較去年增加12.9%。"


@pytest.mark.parametrize(
    ("surfaces", "hint", "expected"),
    [
        (["約六成"], None, "約六成"),
        # PDF spaces and full-width digits in the raw surface still find the normalized text
        (["6 萬 2,474 噸"], "2025 年出口", "6萬2,474噸"),
        (["１２．９％"], None, "12.9%"),
        (["不存在"], None, None),
    ],
)
def test_locate_maps_raw_surfaces_to_normalized_offsets(
    surfaces: list[str], hint: str | None, expected: str | None
) -> None:
    span = locate(Squeezed.of(TEXT), surfaces, hint)
    assert (TEXT[span[0] : span[1]] if span else None) == expected


def test_repeated_surface_maps_to_successive_places() -> None:
    text = "第一季約六成，第二季也是約六成。"
    sq = Squeezed.of(text)
    first = locate(sq, ["約六成"])
    assert first is not None
    second = locate(sq, ["約六成"], taken={first})
    assert second is not None and second[0] > first[0]


def _q(surface: str, **kw: object) -> dict:
    """A predicted quantity located in TEXT."""
    s = TEXT.index(surface)
    return {"surface": surface, "start": s, "end": s + len(surface), **kw}


GOLD = [
    {
        "id": "g1",
        "surface": "約六成",
        "value": 60,
        "unit": "%",
        "qualifier": "approx",
        "sentence_hint": "日本對中國",
    },
    {"id": "g2", "surface": "6 萬 2,474 噸", "value": 62474, "unit": "噸", "qualifier": "exact"},
    {
        "id": "g3",
        "surface": "12.9%",
        "value": 12.9,
        "unit": "%",
        "qualifier": "exact",
        "optional": True,
    },
]


def test_figures_need_value_unit_and_qualifier() -> None:
    preds = [
        _q("約六成", value=60.0, low=60.0, high=60.0, unit="%", qualifier="approx"),
        _q("6萬2,474噸", value=62474.0, unit="t", qualifier="approx"),  # wrong qualifier
        _q("12.9%", value=12.9, unit="%", qualifier="exact"),
        _q("2025", value=2025.0, unit=None, qualifier="exact"),  # a false positive
    ]
    pr, pairs = score_figures(GOLD, preds, TEXT)
    assert (pr.tp_gold, pr.gold) == (1, 2)  # the optional g3 never counts against recall
    assert (pr.tp_pred, pr.pred) == (2, 4)  # ... but a match of it counts for precision
    assert [g["id"] for g, _ in pairs] == ["g1", "g3"]
    assert pr.misses and "g2" in pr.misses[0]


def test_ranges_compare_bounds_and_open_bounds_compare_the_stated_number() -> None:
    gold = [{"id": "r", "surface": "約六成", "value": [55, 65], "unit": "%", "qualifier": "range"}]
    ok = [_q("約六成", value=None, low=55.0, high=65.0, unit="%", qualifier="range")]
    assert score_figures(gold, ok, TEXT)[0].recall == 1.0
    gold = [{"id": "m", "surface": "約六成", "value": 60, "unit": "%", "qualifier": "more_than"}]
    ok = [_q("約六成", value=None, low=60.0, high=None, unit="%", qualifier="more_than")]
    assert score_figures(gold, ok, TEXT)[0].recall == 1.0


def test_times_need_the_iso_value() -> None:
    gold = [
        {"id": "d1", "surface": "2025年", "iso": "2025"},
        {"id": "d2", "surface": "去年", "iso": "2024"},
    ]
    preds = [_q("2025年", value="2025"), _q("去年", value="2023")]
    pr = score_times(gold, preds, TEXT)
    assert (pr.tp_gold, pr.gold, pr.tp_pred, pr.pred) == (1, 2, 1, 2)


def test_entities_compare_distinct_canonical_ids() -> None:
    gold = [{"canonical": "Japan"}, {"canonical": "China"}]
    pr = score_entities(gold, [{"id": "Japan"}, {"id": "Japan"}, {"id": "local:稀土"}])
    assert (pr.recall, pr.precision) == (0.5, 0.5)


def test_frames_count_only_claims_with_a_gold_metric() -> None:
    g = {
        "id": "g",
        "surface": "x",
        "metric": "m",
        "subject": "Japan",
        "object": "China",
        "period": "2025",
    }
    right = {"metric": "m", "subject": "Japan", "object": "China", "period": "2025"}
    wrong = {**right, "period": "2026"}
    res = score_frames([(g, right), (g, wrong), ({**g, "metric": None}, wrong)])
    assert res["matched_with_metric"] == 2
    assert res["all_fields"] == 0.5 and res["metric"] == 1.0 and res["period"] == 0.5
