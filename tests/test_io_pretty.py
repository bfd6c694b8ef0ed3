"""``dumps_pretty`` writes exactly what ``json.dumps(indent=1)`` writes."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.io import dumps_pretty


def _reference(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, allow_nan=False, indent=1) + "\n"


CASES: list[Any] = [
    {},
    [],
    "",
    0,
    -1.5e-300,
    None,
    True,
    {"a": [], "b": {}, "c": [[1, 2], [3, 4]], "d": [{"x": None}], "e": (1, "二")},
    {"text": '稀土\n"引號"\\反斜線\t\u0000\u2028控制', "value": 6.6e11, "ok": False},
    [1, 2.0, "3", None, True, [], {}, [[]], [{}]],
    {1: "int key", "b": 2},  # non-str key: json converts it
    {"n": 10**30, "f": 0.1 + 0.2},
]


@pytest.mark.parametrize("obj", CASES)
def test_same_text_as_json(obj: Any) -> None:
    assert dumps_pretty(obj) == _reference(obj)


def test_nan_still_rejected() -> None:
    with pytest.raises(ValueError):
        dumps_pretty({"x": math.nan})


class _Tag(str):
    """A str subclass: handed to json.dumps."""


def test_subclasses_fall_back_to_json() -> None:
    obj = {"t": _Tag("x"), "l": [_Tag("y")]}
    assert dumps_pretty(obj) == _reference(obj)


_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_json)
def test_random_json_values(obj: Any) -> None:
    assert dumps_pretty(obj) == _reference(obj)
