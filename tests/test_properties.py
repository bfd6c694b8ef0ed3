"""Issue 7, property tests (hypothesis) for normalization and the extractors.

For any Unicode input: no exception; every item's offsets satisfy
``text[start:end] == surface``; sentences tile the text in order; normalization is
idempotent. Inputs mix arbitrary Unicode with fragments of the domain (numerals, hedges,
units, dates, entity names, boilerplate markers, odd whitespace and line endings), so
the extractors' interesting paths are hit, not only the "no digit at all" path.

The number of inputs each property tried is printed at the end of the module (and
shown without ``-s``, through the terminal reporter).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

TRIED: Counter[str] = Counter()

FRAGMENTS = [
    # numerals, hedges, ranges, units
    "約", "近", "逾", "超過", "不到", "以上", "以下", "左右", "多", "餘", "高達", "至", "到", "-", "～", "~",
    "%", "％", "成", "萬", "億", "千", "百", "十", "一", "二", "兩", "三", "六", "九", "〇", "零", "點",
    "分之", "倍", "噸", "公噸", "磅", "公尺", "美元", "日圓", "台幣", "新臺幣", "億美元", "元", "項", "家",
    "1", "2", "9", "0", "12", "58", "6,600", "1.39", "2025", "2026", "1990", "113",
    "１", "２", "０", "．", ".", ",", "/",
    # time words
    "年", "月", "日", "今年", "去年", "明年", "上半年", "年底", "年初", "年代", "世紀", "民國", "西元",
    "第", "季", "週", "前", "後", "以來", "至今", "目前",
    # punctuation, quotes, whitespace, line endings
    "，", "。", "！", "？", "；", "：", "、", "「", "」", "『", "』", "（", "）", "(", ")", "《", "》",
    "\n", "\n\n", "\r\n", "\r", " ", "\u3000", "\t", "\u00a0", "\u200b", "\ufeff",
    # entities, glyphs, markup, boilerplate
    "日本", "中國", "中方", "美國", "歐盟", "台灣", "稀土", "重稀土", "鏑", "鐳（Dy）", "（Dy）", "釹鐵硼",
    "經濟產業省", "萊納斯", "Lynas", "JOGMEC", "G7", "F-35", "首相", "表示", "說", "據報導",
    "&gt;", "&amp;", ">", "<", "<script>", "我是廣告 請繼續往下閱讀", " date 2026-01-14", "其他人也在看",
    "・ 3 小時前 ・", "http://example.com/a?b=1", "中国", "进口",
    # odd code points
    "\u0301", "𠀀", "😀", "👍🏽", "ﬁ", "Ⅻ", "²", "٣", "৩", "\U000e0041", "\x00", "\x1b",
]  # fmt: skip

TEXT = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)), max_size=40).map("".join),
)
REF_DATES = st.one_of(
    st.none(), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31))
)

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module", autouse=True)
def report_counts(request: pytest.FixtureRequest) -> Iterator[None]:
    """Print how many inputs each property tried."""
    yield
    lines = [f"  {name}: {n} inputs" for name, n in sorted(TRIED.items())]
    text = f"hypothesis inputs tried (total {sum(TRIED.values())}):\n" + "\n".join(lines)
    reporter = request.config.pluginmanager.getplugin("terminalreporter")
    capman = request.config.pluginmanager.getplugin("capturemanager")
    if reporter is not None and capman is not None:
        with capman.global_and_fixture_disabled():  # show it without -s
            reporter.write_line("")
            reporter.write_line(text)
    else:  # pragma: no cover - run without the terminal plugin
        print(text)


def assert_spans(text: str, items: list[Any], what: str) -> None:
    """Offsets in range, half-open, pointing at their surface."""
    for it in items:
        d = it.to_dict() if hasattr(it, "to_dict") else it
        s, e = d["start"], d["end"]
        assert 0 <= s < e <= len(text), (what, d)
        assert text[s:e] == d["surface"], (what, d)


def _optional(module: str, name: str) -> Callable[..., Any]:
    """A function another part provides; skip the property while it has not landed."""
    mod = pytest.importorskip(module)
    fn = getattr(mod, name, None)
    if fn is None:
        pytest.skip(f"{module}.{name} not available yet")
    return fn  # type: ignore[no-any-return]


# ---------------------------------------------------------------- extractors


@FAST
@given(text=TEXT)
def test_quantities_never_raise_and_offsets_hold(text: str) -> None:
    from pipeline.extract.quantities import extract_quantities

    TRIED["extract_quantities"] += 1
    items = extract_quantities(text)
    assert_spans(text, items, "quantity")
    assert [q.start for q in items] == sorted(q.start for q in items)
    for q in items:
        if q.low is not None and q.high is not None:
            assert q.low <= q.high, q


@FAST
@given(text=TEXT, ref=REF_DATES, roc=st.booleans())
def test_times_never_raise_and_offsets_hold(text: str, ref: dt.date | None, roc: bool) -> None:
    from pipeline.extract.times import extract_times

    TRIED["extract_times"] += 1
    items = extract_times(text, ref, roc_years=roc)
    assert_spans(text, items, "time")
    assert [t.start for t in items] == sorted(t.start for t in items)


@FAST
@given(text=TEXT, ref=REF_DATES)
def test_figures_never_overlap_a_time_with_a_quantity_start(text: str, ref: dt.date | None) -> None:
    from pipeline.extract.figures import extract_figures

    TRIED["extract_figures"] += 1
    records = extract_figures(text, ref)
    assert_spans(text, records, "figure")
    times = [(r["start"], r["end"]) for r in records if r["type"] == "time"]
    for r in records:
        if r["type"] != "time":
            assert not any(s <= r["start"] < e for s, e in times), r


@FAST
@given(text=TEXT)
def test_entities_never_raise_and_offsets_hold(text: str) -> None:
    extract_entities = _optional("pipeline.extract.entities", "extract_entities")
    TRIED["extract_entities"] += 1
    items = extract_entities(text)
    assert_spans(text, items, "entity")
    for it in items:
        d = it.to_dict() if hasattr(it, "to_dict") else it
        assert d["id"] and d["type"], d


@FAST
@given(text=TEXT)
def test_sentences_tile_the_text_in_order(text: str) -> None:
    split_sentences = _optional("pipeline.nlp.sentences", "split_sentences")
    TRIED["split_sentences"] += 1
    spans = [tuple(s) for s in split_sentences(text)]
    prev = 0
    for s, e in spans:
        assert prev <= s < e <= len(text), spans
        prev = e
    # Nothing but whitespace is left outside the sentences.
    covered = set()
    for s, e in spans:
        covered.update(range(s, e))
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered), spans


@SLOW
@given(text=TEXT, ref=REF_DATES)
def test_analyze_never_raises_and_every_layer_keeps_offsets(text: str, ref: dt.date | None) -> None:
    analyze = _optional("pipeline.nlp.segment", "analyze")
    TRIED["analyze"] += 1
    result = analyze(text, paragraphs=None, reference_date=ref)
    for layer in ("quantities", "times", "entities"):
        assert_spans(text, result[layer], layer)
    for s, e in result["sentences"]:
        assert 0 <= s < e <= len(text)


# ---------------------------------------------------------------- normalization


def _raw(text: str, fmt: str = "txt") -> Any:
    """A RawDocument around ``text``, as a reader would hand it over."""
    from pipeline.records import RawDocument

    return RawDocument(source_path="prop.txt", sha256="0" * 64, doc_id="0" * 16, format=fmt,
                       encoding="utf-8", text=text)  # fmt: skip


def _normalized_or_plain_error(normalize: Callable[..., Any], raw: Any) -> Any:
    """Normalize; a plain-words IngestError (nothing left to read) is allowed, nothing else."""
    from pipeline.ingest.errors import IngestError

    try:
        return normalize(raw)
    except IngestError as exc:
        assert str(exc) and "\n" not in str(exc)
        return None


@SLOW
@given(text=TEXT, fmt=st.sampled_from(["txt", "html", "pdf"]))
def test_normalize_never_raises_and_records_consistent_offsets(text: str, fmt: str) -> None:
    normalize = _optional("pipeline.normalize", "normalize")
    TRIED["normalize"] += 1
    raw = _raw(text, fmt)
    doc = _normalized_or_plain_error(normalize, raw)
    if doc is None:
        return
    out = doc.text
    for s, e in doc.paragraphs:
        assert 0 <= s <= e <= len(out), doc.paragraphs
    for r in doc.removed:
        r = r.to_dict() if hasattr(r, "to_dict") else r
        assert text[r["start"] : r["end"]] == r["text"], r
    for rep in doc.repairs:
        rep = rep.to_dict() if hasattr(rep, "to_dict") else rep
        assert out[rep["start"] : rep["end"]] == rep["after"], rep
    assert "\r" not in out


@SLOW
@given(text=TEXT)
def test_character_normalization_is_idempotent(text: str) -> None:
    """Width, punctuation, whitespace, script and glyph repair: a second pass changes nothing."""
    from pipeline.normalize.glyphs import repair_glyphs
    from pipeline.normalize.script import convert_script
    from pipeline.normalize.width import normalize_width

    TRIED["normalize characters (idempotence)"] += 1
    text = text.replace("\r\n", "\n").replace("\r", "\n")

    def once(t: str) -> str:
        """One pass of the character-level steps, in the order normalize() runs them."""
        t = normalize_width(t)
        t = convert_script(t)[0]
        return repair_glyphs(t)[0]

    first = once(text)
    assert once(first) == first


@SLOW
@given(text=TEXT)
def test_normalization_is_idempotent_when_nothing_was_cut(text: str) -> None:
    """Whole documents: when the first pass removed no block, a second pass is a no-op.

    (Boilerplate and metadata removal is not idempotent by nature: the line after a
    removed title can itself read as a title on a second pass, so the property is only
    asked of documents where the first pass cut nothing.)
    """
    normalize = _optional("pipeline.normalize", "normalize")
    TRIED["normalize (idempotence)"] += 1
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first = _normalized_or_plain_error(normalize, _raw(text))
    if first is None or first.removed:
        return
    second = _normalized_or_plain_error(normalize, _raw(first.text))
    assert second is not None, first.text
    assert second.text == first.text
    assert second.paragraphs == first.paragraphs


# ---------------------------------------------------------------- readers

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp950", "gb18030"]


@SLOW
@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.tuples(TEXT, st.sampled_from(ENCODINGS)).map(
            lambda t: t[0].encode(t[1], errors="ignore")
        ),
    ),
    suffix=st.sampled_from([".txt", ".md", ".html", ".htm", ".pdf"]),
)
def test_readers_turn_any_bytes_into_text_or_a_plain_error(data: bytes, suffix: str) -> None:
    """Whatever bytes a saved file holds: a RawDocument, or an IngestError in plain words."""
    read_bytes = _optional("pipeline.ingest", "read_bytes")
    from pipeline.ingest.errors import IngestError

    TRIED["ingest.read_bytes"] += 1
    try:
        raw = read_bytes(data, f"prop{suffix}")
    except IngestError as exc:
        reason = str(exc)
        assert reason and "\n" not in reason and "Traceback" not in reason
        return
    assert isinstance(raw.text, str) and raw.text.strip()
