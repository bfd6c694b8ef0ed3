"""Issue 7, bad input: every odd file gets a correct result or a plain-words error, never a crash.

One corpus holds the whole matrix next to good articles; a single run over it must
process the good files, record each failure in ``errors.jsonl`` and the manifest, and
report the failures (non-zero exit through the CLI). Files deleted or changed while the
run is going are simulated by wrapping ``pipeline.runner.scan``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pipeline import io, runner
from pipeline.runner import RunSummary, run

ROOT = Path(__file__).resolve().parent.parent

# Short articles in the team's own words (never copied from the seeds).
ARTICLES: list[str] = [
    "澳洲礦商擴大海外精煉產能\n\n2025年11月3日\n\n"
    "澳洲礦業公司萊納斯週一宣布，將在2026年底前把馬來西亞工廠的氧化鐠釹年產能提高到1.2萬噸，"
    "比目前增加約三成。\n\n"
    "公司執行長表示，擴建所需投資約為5億澳幣，其中兩成來自日本政府支持的融資。\n\n"
    "分析師指出，中國目前仍掌握全球約九成的稀土精煉能力，各國分散供應鏈的努力短期內難以改變格局。\n",
    "日本擴充稀有金屬國家儲備\n\n2025年9月18日\n\n"
    "日本經濟產業省計畫把鎵、鍺與重稀土的國家儲備天數由60天延長到90天，"
    "明年度預算要求約為120億日圓。\n\n"
    "官員坦言，日本去年自中國進口的稀土化合物仍占總進口量的六成左右，"
    "若供應中斷，汽車馬達與家電產業首當其衝。\n",
    "歐盟關鍵原料法上路一年\n\n2025年5月20日\n\n"
    "歐盟執委會表示，關鍵原料法要求到2030年時，單一第三國供應的戰略原料不得超過年消費量的65%。\n\n"
    "布魯塞爾智庫估計，歐洲目前約98%的稀土永久磁鐵仍需進口，"
    "區內回收比例不到1%，距離目標仍有很大落差。\n",
    "臺灣廠商布局稀土回收\n\n2024年12月2日\n\n"
    "經濟部統計顯示，臺灣去年稀土金屬與化合物進口值約新臺幣38億元，較前一年成長14.5%。\n\n"
    "國內一家材料公司說，已在南部設立試驗線，每年可從廢馬達中回收約200噸釹鐵硼磁粉，"
    "預計三年內擴大到1,000噸。\n",
    "美國國防部加碼補助磁鐵供應鏈\n\n2025年7月10日\n\n"
    "美國國防部宣布提供4億美元，協助本土業者興建年產1萬噸的燒結釹鐵硼磁鐵工廠。\n\n"
    "業界人士估算，美國目前的磁鐵需求有超過八成仰賴亞洲進口，新廠投產後可滿足約兩成需求。\n",
    "越南稀土出口計畫受阻\n\n2025年3月28日\n\n"
    "越南工商部指出，當地稀土蘊藏量估計約2,200萬噸，居全球第二，"
    "但去年實際出口量僅約數百噸。\n\n"
    "外資礦商表示，環評與電力不足使開發進度落後至少兩年。\n",
]

# A Simplified-Chinese article: what GB18030 files usually hold.
SIMPLIFIED = (
    "中国商务部宣布扩大稀土出口管制\n\n2025年10月9日\n\n"
    "商务部表示，自12月1日起，含有中国稀土成分且价值占比达0.1%以上的境外产品，出口前须申请许可。\n\n"
    "分析人士认为，新规可能影响全球约七成的永磁材料贸易。\n"
)

SCRIPTED_HTML = """<!DOCTYPE html>
<html lang="zh-Hant"><head><meta charset="utf-8">
<title>印尼限制鎳礦出口 電池業者另尋料源</title>
<meta property="article:published_time" content="2025-08-14T09:30:00+08:00">
<script>window.__head = 1;</script>
<style>.ad{display:none}</style>
</head>
<body onload="window.__bodyload = 1">
<nav><a href="/">首頁</a><a href="/world" onclick="track('nav')">國際</a></nav>
<article>
<h1>印尼限制鎳礦出口 電池業者另尋料源</h1>
<p onclick="window.__p1 = 1">印尼政府宣布，明年起鎳礦出口配額將再削減25%，以鼓勵外資在當地設立冶煉廠。</p>
<script>document.write('<p>廣告插入文字不應出現在正文</p>'); window.__inline = 1;</script>
<img src="x.jpg" onerror="window.__img = 1" alt="">
<p onmouseover="steal()">韓國電池業者表示，已與菲律賓礦商簽約，每年採購約3萬噸鎳中間品，占其需求的四成。</p>
<noscript>請啟用JavaScript</noscript>
<a href="javascript:alert(1)">點我</a>
</article>
<footer>版權所有 © 本站</footer>
<script>(function(){ var s = document.createElement('script'); s.src = 'https://ads.example/x.js'; })();</script>
</body></html>
"""

NUMBER_TABLE = "\n".join(
    "\t".join(str((r * 37 + c * 11) % 997 + r / 10) for c in range(6)) for r in range(40)
)
LINK_LIST = "\n".join(
    f"https://news.example.com/world/2025/{m:02d}/{d:02d}/article-{m * 100 + d}.html"
    for m in range(1, 7)
    for d in (3, 11, 19)
)

# A distinctive phrase only the file outside the corpus carries.
OUTSIDE_MARKER = "語料夾之外的檔案內容不得被讀取"


@dataclass
class Case:
    """One row of the matrix: how to build the file, and what counts as correct."""

    name: str
    build: Callable[[Path], None]
    expect: str  # "ok" | "error" | "ok_or_error"
    keywords: tuple[str, ...] = ()  # one of them must be in the error reason
    stage: str | None = None


def _w(name: str, data: bytes) -> Callable[[Path], None]:
    """Builder writing ``data`` to ``corpus/name``."""

    def build(corpus: Path) -> None:
        p = corpus / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)

    return build


def _pdfgen() -> Any:
    """The ingest tests' PDF renderer, or skip when the CJK font is missing."""
    from tests.ingest import pdfgen

    if not pdfgen.font_available():
        pytest.skip("CJK font for PDF rendering not installed")
    return pdfgen


def _good_pdf() -> bytes:
    """A valid text PDF of one article."""
    paras = [p for p in ARTICLES[2].split("\n\n")[2:] if p.strip()]
    return bytes(_pdfgen().render_pdf(paras, title="歐盟關鍵原料法上路一年"))


def _truncated_pdf(corpus: Path) -> None:
    data = _good_pdf()
    (corpus / "truncated.pdf").write_bytes(data[: len(data) // 2])


def _encrypted_pdf(corpus: Path) -> None:
    paras = [p for p in ARTICLES[3].split("\n\n")[2:] if p.strip()]
    (corpus / "encrypted.pdf").write_bytes(_pdfgen().render_pdf(paras, encrypt="s3cret"))


def _scanned_pdf(corpus: Path) -> None:
    (corpus / "scanned.pdf").write_bytes(_pdfgen().render_scanned_pdf())


def _symlink_outside(corpus: Path) -> None:
    outside = corpus.parent / "outside.txt"
    outside.write_text(f"外部檔案\n\n{OUTSIDE_MARKER}，共有3項。\n", encoding="utf-8")
    (corpus / "link-outside.txt").symlink_to(outside)


def _mixed_endings(corpus: Path) -> None:
    # Blank-line paragraph breaks written in Windows, old-Mac and Unix styles, mixed.
    paras = [p for p in ARTICLES[3].split("\n\n") if p.strip()]
    seps = ["\r\n\r\n", "\r\r", "\n\n", "\r\n\n"]
    text = "".join(p.strip("\n") + seps[i % len(seps)] for i, p in enumerate(paras))
    (corpus / "mixed-endings.txt").write_bytes(text.encode("utf-8"))


# The size limit used by the matrix run: above the PDFs, below the oversized file.
MAX_BYTES = 300_000
JUNK = bytes((i * 131 + 7) % 256 for i in range(4096)) + b"\x00\x00\xff\xfe" * 64

CASES: list[Case] = [
    Case("good.txt", _w("good.txt", ARTICLES[0].encode()), "ok"),
    Case("empty.txt", _w("empty.txt", b""), "error", ("empty", "no text", "0 bytes")),
    Case(
        "junk.txt",
        _w("junk.txt", JUNK),
        "error",
        ("binary", "not text", "not a text", "not readable text", "decode"),
    ),
    Case(
        "truncated.pdf",
        _truncated_pdf,
        "error",
        ("damaged", "truncated", "corrupt", "incomplete", "broken", "not a valid", "cannot"),
    ),
    Case("encrypted.pdf", _encrypted_pdf, "error", ("encrypted", "password")),
    Case("scanned.pdf", _scanned_pdf, "error", ("OCR",)),
    Case(
        "oversized.txt",
        _w("oversized.txt", (ARTICLES[1] * 1000).encode()[: MAX_BYTES + 5000]),
        "error",
        ("size limit",),
        stage="scan",
    ),
    Case("big5.txt", _w("big5.txt", ARTICLES[1].encode("cp950")), "ok"),
    Case("gb18030.txt", _w("gb18030.txt", SIMPLIFIED.encode("gb18030")), "ok"),
    Case("utf16.txt", _w("utf16.txt", ARTICLES[2].encode("utf-16")), "ok"),
    Case("mixed-endings.txt", _mixed_endings, "ok"),
    Case("scripted.html", _w("scripted.html", SCRIPTED_HTML.encode()), "ok"),
    Case("with space.txt", _w("with space.txt", ARTICLES[4].encode()), "ok"),
    Case("稀土報導.txt", _w("稀土報導.txt", ARTICLES[5].encode()), "ok"),
    Case(
        "-leading-dash.txt",
        _w("-leading-dash.txt", ARTICLES[0].replace("週一", "週二").encode()),
        "ok",
    ),
    Case("new\nline.txt", _w("new\nline.txt", ARTICLES[4].replace("宣布", "表示").encode()), "ok"),
    Case("link-outside.txt", _symlink_outside, "error", ("symbolic link",), stage="scan"),
    Case("dup-a.txt", _w("dup-a.txt", ARTICLES[5].replace("越南", "寮國").encode()), "ok"),
    Case("sub/dup-b.txt", _w("sub/dup-b.txt", ARTICLES[5].replace("越南", "寮國").encode()), "ok"),
    Case("numbers.txt", _w("numbers.txt", NUMBER_TABLE.encode()), "ok_or_error"),
    Case("links.txt", _w("links.txt", LINK_LIST.encode()), "ok_or_error"),
]
BY_NAME = {c.name: c for c in CASES}


@dataclass
class MatrixRun:
    """The matrix corpus, its output folder and what the run returned."""

    corpus: Path
    out: Path
    summary: RunSummary
    manifest: dict[str, dict[str, Any]]
    errors: dict[str, dict[str, str]]


def build_corpus(corpus: Path, cases: list[Case]) -> list[str]:
    """Build every case it can; return the names skipped (missing PDF font)."""
    corpus.mkdir(parents=True, exist_ok=True)
    skipped = []
    for case in cases:
        try:
            case.build(corpus)
        except pytest.skip.Exception:
            skipped.append(case.name)
    return skipped


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> MatrixRun:
    """One in-process run over the whole bad-input matrix."""
    base = tmp_path_factory.mktemp("matrix")
    corpus, out = base / "corpus", base / "out"
    build_corpus(corpus, CASES)
    summary = run(corpus, out, jobs=1, max_bytes=MAX_BYTES)
    manifest = {r["path"]: r for r in io.read_jsonl(out / "manifest.jsonl")}
    errors = {r["file"]: r for r in io.read_jsonl(out / "errors.jsonl")}
    return MatrixRun(corpus, out, summary, manifest, errors)


def _normalized(m: MatrixRun, name: str) -> dict[str, Any]:
    """normalized.json of a processed case."""
    row = m.manifest[name]
    data: dict[str, Any] = io.read_json(m.out / "docs" / row["doc_id"] / "normalized.json")
    return data


def assert_plain_reason(reason: str) -> None:
    """A reason a user can act on: one short line, no traceback, no bare internal error."""
    assert reason and reason.strip() == reason, reason
    assert "\n" not in reason and len(reason) < 300, reason
    assert "Traceback" not in reason and not reason.startswith("internal error"), reason


@pytest.mark.parametrize("case", CASES, ids=[c.name.replace("\n", "\\n") for c in CASES])
def test_each_case_has_a_correct_result_or_a_plain_error(matrix: MatrixRun, case: Case) -> None:
    if case.name not in matrix.manifest:
        pytest.skip(f"{case.name!r} not built (PDF font missing)")
    row = matrix.manifest[case.name]
    if case.expect == "ok" or (case.expect == "ok_or_error" and row["status"] != "error"):
        assert row["status"] in ("ok", "duplicate"), row
        assert row["error"] is None
        assert case.name not in matrix.errors
        d = matrix.out / "docs" / row["doc_id"]
        for f in ("normalized.json", "extracted.json", "claims.json", "summary.json"):
            assert (d / f).is_file(), (case.name, f)
        assert (matrix.out / "summaries" / f"{row['doc_id']}.md").is_file()
        return
    assert row["status"] == "error", row
    err = matrix.errors[case.name]
    assert err["reason"] == row["error"]
    assert_plain_reason(err["reason"])
    if case.keywords:
        assert any(k.lower() in err["reason"].lower() for k in case.keywords), err
    if case.stage:
        assert err["stage"] == case.stage, err
    # A failed file leaves no half-made document behind.
    if row["doc_id"]:
        assert not (matrix.out / "docs" / row["doc_id"] / "normalized.json").exists()


def test_errors_jsonl_lists_exactly_the_failed_files(matrix: MatrixRun) -> None:
    failed = {p for p, r in matrix.manifest.items() if r["status"] == "error"}
    assert set(matrix.errors) == failed
    assert [e["file"] for e in matrix.summary.errors] == sorted(matrix.errors)
    for e in matrix.summary.errors:
        assert set(e) == {"file", "stage", "reason"}
    # Every file of the corpus (symlink included) is in the manifest, sorted by path.
    assert list(matrix.manifest) == sorted(matrix.manifest)
    built = {
        c.name
        for c in CASES
        if (matrix.corpus / c.name).is_symlink() or (matrix.corpus / c.name).exists()
    }
    assert built <= set(matrix.manifest)


def test_run_summary_prints_the_failures(matrix: MatrixRun) -> None:
    lines = matrix.summary.lines()
    for e in matrix.summary.errors:
        assert f"FAILED {e['file']} [{e['stage']}]: {e['reason']}" in lines


def test_good_files_next_to_bad_ones_produce_claims(matrix: MatrixRun) -> None:
    claims = list(io.read_jsonl(matrix.out / "claims.jsonl"))
    by_doc = {c["doc_id"] for c in claims}
    for name in ("good.txt", "big5.txt", "utf16.txt", "with space.txt"):
        assert matrix.manifest[name]["doc_id"] in by_doc, name
    for name in ("reconciled.json", "briefing.md", "report.html"):
        assert (matrix.out / name).is_file()


@pytest.mark.parametrize(
    "name, source",
    [("big5.txt", ARTICLES[1]), ("utf16.txt", ARTICLES[2]), ("mixed-endings.txt", ARTICLES[3])],
)
def test_encodings_decode_to_the_written_sentences(
    matrix: MatrixRun, name: str, source: str
) -> None:
    text = _normalized(matrix, name)["text"]
    # The body sentences survive decoding (metadata lines may move into fields).
    for para in source.split("\n\n")[2:]:
        first = para.strip().split("，")[0]
        assert first in text, (name, first)
    assert "\r" not in text
    assert "\ufffd" not in text


def test_gb18030_simplified_text_is_decoded_and_converted(matrix: MatrixRun) -> None:
    doc = _normalized(matrix, "gb18030.txt")
    text = doc["text"]
    assert "\ufffd" not in text
    assert "0.1%" in text and "七成" in text
    assert "商務部" in text and "商务部" not in text  # Simplified input becomes Traditional


def test_mixed_line_endings_keep_paragraphs(matrix: MatrixRun) -> None:
    doc = _normalized(matrix, "mixed-endings.txt")
    ref = _normalized(matrix, "good.txt")
    assert "\r" not in doc["text"]
    assert len(doc["paragraphs"]) >= 2 and len(ref["paragraphs"]) >= 2


def test_html_scripts_and_handlers_never_reach_the_text(matrix: MatrixRun) -> None:
    text = _normalized(matrix, "scripted.html")["text"]
    assert "鎳礦出口配額將再削減25%" in text
    assert "每年採購約3萬噸鎳中間品" in text
    for bad in (
        "window.",
        "onclick",
        "onerror",
        "onmouseover",
        "javascript:",
        "googletag",
        "document.write",
        "廣告插入文字",
        "請啟用JavaScript",
        "function(",
    ):
        assert bad not in text, bad


def test_symlink_outside_the_corpus_is_not_followed(matrix: MatrixRun) -> None:
    row = matrix.manifest["link-outside.txt"]
    assert row["status"] == "error" and row["sha256"] is None
    for p in matrix.out.rglob("*"):
        if p.is_file() and p.name != ".lock":
            assert OUTSIDE_MARKER not in p.read_text(encoding="utf-8", errors="replace"), p


def test_same_bytes_under_two_names_are_processed_once(matrix: MatrixRun) -> None:
    a, b = matrix.manifest["dup-a.txt"], matrix.manifest["sub/dup-b.txt"]
    assert a["doc_id"] == b["doc_id"]
    assert a["status"] == "ok" and b["status"] == "duplicate"
    assert b["duplicate_of"] == "dup-a.txt"
    assert _normalized(matrix, "dup-a.txt")["source_paths"] == ["dup-a.txt", "sub/dup-b.txt"]
    claims = [c for c in io.read_jsonl(matrix.out / "claims.jsonl") if c["doc_id"] == a["doc_id"]]
    assert len({json.dumps(c, sort_keys=True) for c in claims}) == len(claims)


@pytest.mark.parametrize(
    "name", ["with space.txt", "稀土報導.txt", "-leading-dash.txt", "new\nline.txt"]
)
def test_odd_file_names_round_trip(matrix: MatrixRun, name: str) -> None:
    row = matrix.manifest[name]
    assert row["status"] == "ok"
    doc = _normalized(matrix, name)
    assert doc["source_path"] == name
    # The manifest is JSON Lines: a newline in a name must not split a row.
    raw = (matrix.out / "manifest.jsonl").read_text(encoding="utf-8")
    assert all(line.startswith("{") for line in raw.splitlines())


def test_links_list_is_not_read_as_figures(matrix: MatrixRun) -> None:
    """A list of links is not an article: no claim about any known metric comes out of it."""
    row = matrix.manifest["links.txt"]
    if row["status"] == "error":
        assert_plain_reason(row["error"])
        return
    claims = [c for c in io.read_jsonl(matrix.out / "claims.jsonl") if c["doc_id"] == row["doc_id"]]
    assert [c for c in claims if c.get("metric")] == []


def test_number_table_does_not_flood_the_claims(matrix: MatrixRun) -> None:
    """A bare table of numbers has no sentences with a frame: few or no metric claims."""
    row = matrix.manifest["numbers.txt"]
    if row["status"] == "error":
        assert_plain_reason(row["error"])
        return
    claims = [c for c in io.read_jsonl(matrix.out / "claims.jsonl") if c["doc_id"] == row["doc_id"]]
    assert len([c for c in claims if c.get("metric")]) <= 2


# ---------------------------------------------------------------- HTML report escaping

SCRIPT_ARTICLE = (
    "稀土報告網頁測試\n\n2025年6月6日\n\n"
    "研究機構估計，<script>window.__pwned=1</script>中國稀土冶煉產能約占全球85%，"
    '<img src=x onerror="window.__pwned=2">日本進口依賴約六成。\n'
)


def test_report_escapes_script_bearing_article_text(tmp_path: Path) -> None:
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    (corpus / "script.txt").write_text(SCRIPT_ARTICLE, encoding="utf-8")
    (corpus / "good.txt").write_text(ARTICLES[0], encoding="utf-8")
    summary = run(corpus, out, jobs=1)
    assert not summary.errors, summary.errors
    for name in ("report.html",):
        page = (out / name).read_text(encoding="utf-8")
        assert "<script>window.__pwned" not in page
        assert "<img src=x onerror" not in page
        assert 'onerror="window.__pwned' not in page


# ---------------------------------------------------------------- files that move under us


def _two_file_corpus(base: Path) -> Path:
    corpus = base / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(ARTICLES[0], encoding="utf-8")
    (corpus / "b.txt").write_text(ARTICLES[1], encoding="utf-8")
    return corpus


def _scan_then(monkeypatch: pytest.MonkeyPatch, action: Callable[[], None]) -> None:
    """Make ``run`` call ``action`` right after the scan hashed the files."""
    real_scan = runner.scan

    def scan_then_act(*args: Any, **kwargs: Any) -> list[runner.FileEntry]:
        entries = real_scan(*args, **kwargs)
        action()
        return entries

    monkeypatch.setattr(runner, "scan", scan_then_act)


def test_file_deleted_during_the_run_is_reported_and_rerun_recovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, out = _two_file_corpus(tmp_path), tmp_path / "out"
    _scan_then(monkeypatch, lambda: (corpus / "b.txt").unlink())
    summary = run(corpus, out, jobs=1)
    assert [e["file"] for e in summary.errors] == ["b.txt"]
    reason = summary.errors[0]["reason"]
    assert_plain_reason(reason)
    assert any(
        k in reason
        for k in (
            "disappeared",
            "deleted",
            "no longer",
            "not found",
            "does not exist",
            "No such file",
        )
    )
    a_id = next(r["doc_id"] for r in io.read_jsonl(out / "manifest.jsonl") if r["path"] == "a.txt")
    assert (out / "docs" / a_id / "summary.json").is_file()

    monkeypatch.undo()
    again = run(corpus, out, jobs=1)
    assert again.errors == []
    assert [r["path"] for r in io.read_jsonl(out / "manifest.jsonl")] == ["a.txt"]
    assert (out / "errors.jsonl").read_text() == ""
    assert sorted(p.name for p in (out / "docs").iterdir()) == [a_id]


def test_file_changed_during_the_run_is_reported_and_rerun_recovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, out = _two_file_corpus(tmp_path), tmp_path / "out"
    extra = "\n記者補充：部分業者預估明年價格將再上漲一成。\n"

    def append() -> None:
        with open(corpus / "b.txt", "a", encoding="utf-8") as fh:
            fh.write(extra)

    _scan_then(monkeypatch, append)
    summary = run(corpus, out, jobs=1)
    assert [e["file"] for e in summary.errors] == ["b.txt"]
    assert_plain_reason(summary.errors[0]["reason"])
    assert "changed" in summary.errors[0]["reason"]

    monkeypatch.undo()
    again = run(corpus, out, jobs=1)
    assert again.errors == []
    row = next(r for r in io.read_jsonl(out / "manifest.jsonl") if r["path"] == "b.txt")
    assert row["status"] == "ok"
    text = io.read_json(out / "docs" / row["doc_id"] / "normalized.json")["text"]
    assert "價格將再上漲一成" in text


# ---------------------------------------------------------------- through the CLI


def test_cli_exit_code_and_failure_list(tmp_path: Path) -> None:
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    (corpus / "good.txt").write_text(ARTICLES[0], encoding="utf-8")
    (corpus / "-dash.txt").write_text(ARTICLES[2], encoding="utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "huge.txt").write_bytes((ARTICLES[1] * 40).encode())
    cmd = [sys.executable, "-m", "pipeline", "run", "--corpus", str(corpus), "--out", str(out),
           "--jobs", "1", "--max-bytes", "5000"]  # fmt: skip
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONHASHSEED": "0"})  # fmt: skip
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    failed = [line for line in proc.stdout.splitlines() if line.startswith("FAILED ")]
    assert [line.split(" [")[0] for line in failed] == ["FAILED empty.txt", "FAILED huge.txt"]
    assert "FAILED huge.txt [scan]: file is" in proc.stdout and "size limit of 5,000" in proc.stdout
    assert "2 file(s) failed" in proc.stderr
    statuses = {r["path"]: r["status"] for r in io.read_jsonl(out / "manifest.jsonl")}
    assert statuses == {
        "-dash.txt": "ok",
        "empty.txt": "error",
        "good.txt": "ok",
        "huge.txt": "error",
    }


def test_file_name_that_is_not_utf8_does_not_stop_the_run(tmp_path: Path) -> None:
    """A Big5-encoded file name (unzipped from an old archive) is reported, not fatal."""
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    (corpus / "good.txt").write_text(ARTICLES[0], encoding="utf-8")
    bad_name = os.fsencode(corpus) + b"/" + "稀土報導".encode("big5") + b".txt"
    with open(bad_name, "wb") as fh:
        fh.write(ARTICLES[1].encode("utf-8"))
    summary = run(corpus, out, jobs=1)
    rows = list(io.read_jsonl(out / "manifest.jsonl"))  # the manifest is valid UTF-8 JSON
    assert len(rows) == 2
    good = next(r for r in rows if r["path"] == "good.txt")
    assert good["status"] == "ok"
    other = next(r for r in rows if r["path"] != "good.txt")
    # Either read under a displayable name, or a plain error asking to rename it.
    if other["status"] == "error":
        assert_plain_reason(other["error"])
        assert [e["file"] for e in summary.errors] == [other["path"]]
    else:
        assert other["status"] == "ok"
    other["path"].encode("utf-8")  # displayable
