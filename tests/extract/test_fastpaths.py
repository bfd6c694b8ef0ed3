"""Speed-ups in the extractors give exactly the results of the straightforward code."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract import quantities as q
from pipeline.extract.prefilter import first_chars, with_first_char_guard
from pipeline.extract.times import _patterns


def _reference_view(text: str) -> tuple[str, list[int], list[int]]:
    """The per-character view builder the fast one replaced (kept as the oracle)."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    n = len(text)
    while i < n:
        if text[i] == "&":
            for ent, rep in q._ENTITIES:
                if text.startswith(ent, i):
                    out.append(rep)
                    starts.append(i)
                    ends.append(i + len(ent))
                    i += len(ent)
                    break
            else:
                out.append("&")
                starts.append(i)
                ends.append(i + 1)
                i += 1
            continue
        ch = text[i]
        if ch in q._SPACES:
            j = i
            while j < n and text[j] in q._SPACES:
                j += 1
            left = out[-1] if out else ""
            right = text[j].translate(q._WIDTH) if j < n else ""
            if q._drop_space(left, right):
                i = j
                continue
            for k in range(i, j):
                out.append(text[k])
                starts.append(k)
                ends.append(k + 1)
            i = j
            continue
        mapped = ch.translate(q._WIDTH)
        if (
            ch == "．"
            and out
            and q._is_digit(out[-1])
            and i + 1 < n
            and q._is_digit(text[i + 1].translate(q._WIDTH))
        ):
            mapped = "."
        if ch == "－" and out and q._is_digit(out[-1]):
            mapped = "-"
        if (
            ch == "，"
            and out
            and q._is_digit(out[-1])
            and re.match(r"[0-9０-９]{3}(?![0-9０-９])", text[i + 1 : i + 5])
        ):
            mapped = ","
        out.append(mapped)
        starts.append(i)
        ends.append(i + 1)
        i += 1
    return "".join(out), starts, ends


VIEW_CASES = [
    "",
    "稀土",
    "產量達 2.5 億美元，年增 12 %。",
    "１，０００噸與１２．５％及３－５成",
    "5 萬 2,474 噸 &gt; 3 &lt;4 &amp; &nbsp;5 &x;",
    "價格\u3000\u3000 上漲\u00a05\u2009%\u202f以上 ",
    "１，２３４５ 與 1，234 與 1，23",
    "．5 與 5．與 5．x 與 －3 與 3－",
    "  開頭空白與結尾空白  ",
    "A 1 B 萬 2 億 %  c",
]
ALPHABET = (
    "0123456789０１２３４５６７８９．－，,.&gt;l;amp nbs\u3000\u00a0\u2009\u202f萬億%％噸稀土A"
)


@pytest.mark.parametrize("text", VIEW_CASES)
def test_view_matches_reference(text: str) -> None:
    view = q._build_view(text)
    assert (view.text, view.starts, view.ends) == _reference_view(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_view_matches_reference_on_random_text(text: str) -> None:
    view = q._build_view(text)
    assert (view.text, view.starts, view.ends) == _reference_view(text)


def _reference_match_unit(vt: str, j: int, *, arabic: bool, vague: bool) -> q._Unit | None:
    """The unit matcher scanning every unit key (oracle for the first-character index)."""
    lex = q._lex()
    for key in lex.unit_keys:
        if not vt.startswith(key, j):
            continue
        unit = lex.units[key]
        if unit.arabic_only and not arabic:
            continue
        if unit.vague_only and not vague:
            continue
        end = j + len(key)
        if (
            key[-1].isascii()
            and key[-1].isalpha()
            and end < len(vt)
            and vt[end].isascii()
            and vt[end].isalnum()
        ):
            continue
        if key == "成" and q._startswith_any(vt, end, lex.raw["cheng_blocked_next"]):
            continue
        if end < len(vt) and vt[end] in lex.unit_blocked_next.get(key, ""):
            continue
        return unit
    return None


def test_unit_index_matches_full_scan() -> None:
    keys = list(q._lex().unit_keys)
    tails = ["", "x", "5", "台北", "元素", "GWh", "噸以上"]
    for key in keys:
        for tail in tails:
            vt = "約" + key + tail
            for arabic in (True, False):
                for vague in (True, False):
                    got = q._match_unit(vt, 1, arabic=arabic, vague=vague)
                    want = _reference_match_unit(vt, 1, arabic=arabic, vague=vague)
                    assert got == want, (vt, arabic, vague)
    assert q._match_unit("噸", 1, arabic=True, vague=False) is None


GUARD_TEXTS = [
    "2026年1月12日、2025/03/29、民國113年、今年第三季、去年底、15年前、過去十年來。",
    "1990年代中期至20世紀末，上世紀80年代，二〇一〇年，FY2024與2025財年。",
    "今（18）日、昨(17)日，本週三，明年上半年，1、3月，11月至12月，5月1日至3日。",
    "約六至七成、百分之五十、三分之一、數百家、逾百家、6,600億日圓、3.5%、１２．５％。",
    "",
]


@pytest.mark.parametrize("text", GUARD_TEXTS)
def test_guarded_time_patterns_find_the_same_matches(text: str) -> None:
    for _form, rx in _patterns(False) + _patterns(True):
        plain = _unguarded(rx)
        got = [(m.span(), m.groupdict()) for m in rx.finditer(text)]
        assert got == [(m.span(), m.groupdict()) for m in plain.finditer(text)]


def _guard_prefix(rx: re.Pattern[str]) -> str:
    """The ``(?=[...])(?:`` prefix a guarded pattern starts with ('' when unguarded)."""
    m = re.match(r"\(\?=\[(?:\\.|[^\]])*\]\)\(\?:", rx.pattern)
    return m.group(0) if m else ""


def _unguarded(rx: re.Pattern[str]) -> re.Pattern[str]:
    """The pattern without its guard (itself when it has none)."""
    prefix = _guard_prefix(rx)
    return re.compile(rx.pattern[len(prefix) : -1], rx.flags) if prefix else rx


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet="0123456789年月日至第季度今去明前後上下半初中底末世紀代財FY民國一二三十、/.-（）()約成%",
        max_size=30,
    )
)
def test_guarded_patterns_on_random_text(text: str) -> None:
    pats = [rx for _f, rx in _patterns(False)] + [q._token_re()]
    for rx in pats:
        plain = _unguarded(rx)
        got = [(m.span(), m.groupdict()) for m in rx.finditer(text)]
        assert got == [(m.span(), m.groupdict()) for m in plain.finditer(text)]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"abc", {"a"}),
        (r"(?<![0-9])(?:x|yz)?q", {"x", "y", "q"}),
        (r"[0-2]?(?P<n>[ab])", {"0", "1", "2", "a", "b"}),
        (r"a*", None),  # may match empty
        (r".x", None),  # any character
        (r"\dx", None),  # category: not bounded here
        (r"[^a]x", None),
    ],
)
def test_first_chars(pattern: str, expected: set[str] | None) -> None:
    assert first_chars(pattern) == expected


def test_guard_keeps_groups_and_skips_fast_patterns() -> None:
    rx = re.compile(r"(?<![0-9])(?P<y>[12][0-9]{3})年")
    guarded = with_first_char_guard(rx)
    assert guarded is not rx and guarded.groupindex == rx.groupindex
    literal = re.compile(r"年(?P<m>[0-9])")
    assert with_first_char_guard(literal) is literal


def _scan_starts(vt: str, j: int, words: list[str] | tuple[str, ...]) -> str | None:
    """Longest word starting at j, by scanning every word (oracle)."""
    best = None
    for w in words:
        if vt.startswith(w, j) and (best is None or len(w) > len(best)):
            best = w
    return best


def _scan_ends(vt: str, j: int, words: list[str] | tuple[str, ...]) -> str | None:
    """Longest word ending at j, by scanning every word (oracle)."""
    best = None
    for w in words:
        if (
            j - len(w) >= 0
            and vt.startswith(w, j - len(w))
            and (best is None or len(w) > len(best))
        ):
            best = w
    return best


def test_grouped_word_lookups_match_full_scans() -> None:
    lists = list(q._lexicon_lists().values())
    assert lists
    for words in lists:
        for w in list(words)[:40]:
            vt = "約" + w + "以上"
            for j in range(-1, len(vt) + 2):
                assert q._startswith_any(vt, j, words) == _scan_starts(vt, j, words)
                assert q._endswith_any(vt, j, words) == _scan_ends(vt, j, words)


def test_guards_are_in_place() -> None:
    assert any(_guard_prefix(rx) for _f, rx in _patterns(False))
    assert _guard_prefix(q._token_re())


def test_protected_lookup_matches_linear_scan() -> None:
    import random
    from itertools import accumulate

    ex = q._Extractor("稀土價格2026/01/12上漲", [], False)
    rng = random.Random(4)
    for _ in range(2000):
        spans = sorted(
            (a, a + rng.randint(0, 6))
            for a in (rng.randint(0, 30) for _ in range(rng.randint(0, 8)))
        )
        ex.protected = spans
        ex._prot_starts = [a for a, _ in spans]
        ex._prot_max_end = list(accumulate((b for _, b in spans), max))
        for pos in range(-1, 40):
            want = None
            for a, b in spans:
                if a <= pos < b:
                    want = (a, b)
                    break
                if a > pos:
                    break
            assert ex._in_protected(pos) == want
