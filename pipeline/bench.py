"""Benchmark: throughput and incremental cost of the pipeline on a synthetic corpus.

``python -m pipeline bench --docs N`` (``make bench BENCH_DOCS=N``) writes, under OUT:

* ``corpus/``   N synthetic articles recombined from the sample corpus and the seeds
  (varied figures, dates and names; some HTML and PDF files),
* ``run/``      the pipeline's outputs for that corpus,
* ``bench.json`` the figures printed at the end, ``bench_profile.txt`` a cProfile of the
  slowest stage.

Each pipeline run is a separate ``python -m pipeline.bench _timed-run`` process, so it
pays the start-up a real ``make`` pays; inside it the stage functions are wrapped with
timers that append one line per call to a per-process file (forked workers included).
Nothing here is asserted by the test suite: timings belong to ``make bench`` only.
"""

from __future__ import annotations

import cProfile
import html
import io as stdio
import json
import os
import pstats
import random
import re
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CORPUS = ROOT / "corpus"
PER_DOC_STAGES = ("ingest", "extract", "claims", "summarize")
# Text sample for the baselines when the corpus is large: the ratios compare chars/s,
# so a fixed sample keeps a 10,000-document bench from spending minutes on baselines.
BASELINE_MAX_CHARS = 3_000_000
# Above this many documents the one-worker comparison run is skipped (it doubles the time).
SCALING_MAX_DOCS = 2000
# The corpus stages are profiled on at most this many documents (cProfile slows them ~2x).
PROFILE_CORPUS_DOCS = 10_000

# Name pools for varying the recombined articles; swapped within a class so sentences
# stay grammatical (a country for a country, a company for a company).
NAME_POOLS: tuple[tuple[str, ...], ...] = (
    ("日本", "中國", "美國", "澳洲", "越南", "印度", "韓國", "德國", "法國", "巴西", "加拿大"),
    ("萊納斯", "MP材料", "信越化學", "北方稀土", "中國稀土集團", "雙日", "豐田通商", "日立金屬"),
    ("經濟產業省", "商務部", "國防部", "能源部", "經濟部", "財政部"),
    ("釹", "鏑", "鋱", "鐠", "鈰", "鑭", "釔"),
)


# ---------------------------------------------------------------- synthetic corpus


def _is_cjk_rich(s: str) -> bool:
    """Whether a paragraph is mostly article text (enough CJK characters)."""
    cjk = sum(1 for ch in s if "\u4e00" <= ch <= "\u9fff")
    return cjk >= 15 and cjk >= len(s) * 0.4


def paragraph_pool(seeds: Path | None) -> list[str]:
    """Article paragraphs of the sample corpus and the seeds, deduplicated and sorted."""
    files: list[Path] = []
    for folder, patterns in ((SAMPLE_CORPUS, ("*.txt", "*.md")), (seeds, ("*.txt",))):
        if folder is not None and folder.is_dir():
            for pat in patterns:
                files.extend(sorted(folder.rglob(pat)))
    pool: set[str] = set()
    for f in files:
        try:
            text = f.read_text(encoding="utf-8-sig", errors="replace")
        except OSError:
            continue
        for line in re.split(r"\n\s*\n|\n", text):
            line = line.strip()
            # Sentences only (a comma or a full stop): titles, bylines, link lists are not.
            if _is_cjk_rich(line) and ("。" in line or "，" in line):
                pool.add(line)
    if not pool:
        pool.update(_FALLBACK_PARAGRAPHS)
    return sorted(pool)


# Used only when neither corpus/ nor the seeds have text (the team's own phrasing).
_FALLBACK_PARAGRAPHS = (
    "經濟部昨天表示，去年自中國進口的稀土化合物約為3200噸，比前年減少12%，"
    "官員指出，供應來源分散的成效逐步浮現。",
    "業界估計，全球稀土精煉產能有近九成集中在中國，歐盟與美國正以補貼吸引加工廠設立。",
    "日本政府計畫在2027年前投入約1500億日圓，支持深海稀土泥的試採與精煉技術開發。",
    "分析師認為，若出口管制延長至明年底，磁鐵製造商的成本可能上升兩成至三成。",
    "澳洲礦業公司本季出貨量達到6萬2千噸，創下歷史新高，營收年增超過四成。",
)


class _Varier:
    """Deterministic per-document variation of figures, dates and names."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names: dict[str, str] = {}
        for pool in NAME_POOLS:
            shuffled = list(pool)
            rng.shuffle(shuffled)
            self.names.update(zip(pool, shuffled, strict=True))
        self.names_re = re.compile(
            "|".join(re.escape(n) for n in sorted(self.names, key=lambda n: (-len(n), n)))
        )

    def _number(self, m: re.Match[str]) -> str:
        """A different number of the same shape (years stay plausible years)."""
        s = m.group(0)
        whole, _, frac = s.partition(".")
        if len(whole) == 4 and whole[:2] in ("19", "20") and not frac:
            return str(min(2030, max(1990, int(whole) + self.rng.randint(-4, 3))))
        digits = "".join(str(self.rng.randint(0, 9)) for _ in whole)
        if len(whole) > 1 and digits[0] == "0":
            digits = str(self.rng.randint(1, 9)) + digits[1:]
        if frac:
            digits += "." + "".join(str(self.rng.randint(0, 9)) for _ in frac)
        return digits

    def _date(self, m: re.Match[str]) -> str:
        """A valid month and day."""
        return f"{self.rng.randint(1, 12)}月{self.rng.randint(1, 28)}日"

    def vary(self, text: str) -> str:
        """Text with new dates, numbers and names."""
        text = re.sub(r"\d{1,2}月\d{1,2}日", self._date, text)
        text = re.sub(r"\d+(?:\.\d+)?", self._number, text)
        return self.names_re.sub(lambda m: self.names[m.group(0)], text)


def synth_article(i: int, pool: list[str]) -> tuple[str, str, list[str]]:
    """(title, ISO date, paragraphs) of synthetic article ``i``; same i, same article."""
    rng = random.Random(i * 7919 + 17)
    varier = _Varier(rng)
    k = min(len(pool), rng.randint(6, 16))
    paras = [varier.vary(p) for p in rng.sample(pool, k)]
    head = re.split(r"[，。；：！？]", paras[0])[0][:24]
    title = f"{head}（第{i}號綜合報導）"
    date = f"{rng.randint(2019, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return title, date, paras


def _txt(title: str, date: str, paras: list[str]) -> str:
    """A plain-text web dump: date line, title, paragraphs."""
    return f" date {date}\n\n{title}\n\n" + "\n\n".join(paras) + "\n"


def _html(title: str, date: str, paras: list[str]) -> str:
    """A small saved news page, via the ingest tests' helper when it exists."""
    try:
        from tests.ingest.pdfgen import render_html

        outlet = ("經濟日報", "資源週刊", "產業觀察網")[len(title) % 3]
        return render_html(title, paras, published=date, outlet=outlet, author="編輯部")
    except ImportError:  # running outside a source checkout
        pass
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)
    return (
        "<!DOCTYPE html><html lang='zh-Hant'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title>"
        f"<meta property='article:published_time' content='{date}T08:00:00+08:00'>"
        "</head><body><nav><a href='/'>首頁</a> <a href='/news'>新聞</a></nav>"
        f"<article><h1>{html.escape(title)}</h1><time datetime='{date}'>{date}</time>"
        f"{body}</article><footer>版權所有</footer></body></html>\n"
    )


def _pdf(title: str, date: str, paras: list[str]) -> bytes | None:
    """A PDF brief, via the ingest tests' helper when it exists; None without a CJK font."""
    try:
        from tests.ingest.pdfgen import font_available, render_pdf

        if not font_available():
            return None
        return render_pdf([date, *paras], title=title, author="研究部")
    except ImportError:  # running outside a source checkout
        pass
    return _reportlab_pdf(title, date, paras)


def _reportlab_pdf(title: str, date: str, paras: list[str]) -> bytes | None:
    """Minimal reportlab rendering with an embedded CJK TrueType font."""
    font_path = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
    if not font_path.exists():
        return None
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "BenchCJK" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("BenchCJK", str(font_path), subfontIndex=0))
    buf = stdio.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)  # invariant: same bytes every run
    width, height = A4
    y = height - 72
    per_line = 34
    lines = [title, date, ""]
    for p in paras:
        lines.extend(p[j : j + per_line] for j in range(0, len(p), per_line))
        lines.append("")
    for line in lines:
        if y < 72:
            c.showPage()
            y = height - 72
        c.setFont("BenchCJK", 12)
        c.drawString(60, y, line)
        y -= 18
    c.showPage()
    c.save()
    return buf.getvalue()


# The date of the article the incremental run adds: after every synthetic date, as a
# newly published article is (the corpus spans 2019-2026).
NEW_ARTICLE_DATE = "2027-01-15"


def write_synthetic_corpus(
    folder: Path, docs: int, seeds: Path | None, start: int = 0, date: str | None = None
) -> dict[str, int]:
    """Write articles ``start .. start+docs-1`` into ``folder``; return counts by format.

    ``date``: one publication date for all of them (else each its own).
    """
    pool = paragraph_pool(seeds)
    counts = {"txt": 0, "html": 0, "pdf": 0}
    pdf_cap = 200  # PDF rendering is slow; a few hundred exercise the reader enough
    for i in range(start, start + docs):
        title, published, paras = synth_article(i, pool)
        published = date or published
        sub = folder / f"{i // 1000:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        if i % 25 == 7 and counts["pdf"] < pdf_cap:
            data = _pdf(title, published, paras)
            if data is not None:
                (sub / f"doc{i:05d}.pdf").write_bytes(data)
                counts["pdf"] += 1
                continue
        if i % 10 == 3:
            (sub / f"doc{i:05d}.html").write_text(_html(title, published, paras), encoding="utf-8")
            counts["html"] += 1
        else:
            (sub / f"doc{i:05d}.txt").write_text(_txt(title, published, paras), encoding="utf-8")
            counts["txt"] += 1
    return counts


# ---------------------------------------------------------------- timing hooks


def _timed(fn: Callable[..., Any], name: str, timing_dir: Path) -> Callable[..., Any]:
    """Wrap ``fn`` to append "name<TAB>seconds" to this process's timing file."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            dt = time.perf_counter() - t0
            with open(timing_dir / f"{os.getpid()}.tsv", "a", encoding="utf-8") as fh:
                fh.write(f"{name}\t{dt:.6f}\n")

    wrapper.__wrapped__ = fn  # type: ignore[attr-defined]
    return wrapper


# (module, attribute, timer name): the runner looks every one of these up at call time.
HOOKS: tuple[tuple[str, str, str], ...] = (
    ("pipeline.runner", "scan", "scan"),
    ("pipeline.runner", "_warm_worker", "warm"),
    ("pipeline.stages", "ingest", "ingest"),
    ("pipeline.stages", "extract", "extract"),
    ("pipeline.stages", "claims", "claims"),
    ("pipeline.stages", "summarize", "summarize"),
    ("pipeline.corpus", "run_corpus_stages", "corpus_stages"),
    ("pipeline.reconcile", "reconcile", "corpus.reconcile"),
    ("pipeline.reconcile", "markdown_pieces", "corpus.reconcile_md"),
    ("pipeline.report.briefing", "render_briefing", "corpus.briefing"),
    ("pipeline.report.briefing", "briefing_facts", "corpus.briefing_facts"),
    ("pipeline.report.html", "render_report", "corpus.report_html"),
)


@contextmanager
def instrumented(timing_dir: Path) -> Iterator[None]:
    """Install the stage timers for the duration of a run, then restore the originals."""
    import importlib

    timing_dir.mkdir(parents=True, exist_ok=True)
    saved: list[tuple[Any, str, Any]] = []
    for mod_name, attr, name in HOOKS:
        try:
            mod = importlib.import_module(mod_name)
        except Exception:  # noqa: BLE001 - a broken stage fails in the run, with its reason
            continue
        fn = getattr(mod, attr, None)
        if fn is None:
            continue
        saved.append((mod, attr, fn))
        setattr(mod, attr, _timed(fn, name, timing_dir))
    try:
        yield
    finally:
        for mod, attr, fn in saved:
            setattr(mod, attr, fn)


def read_timings(timing_dir: Path) -> dict[str, dict[str, float]]:
    """Sum the per-process timing files: name -> {seconds, calls}."""
    totals: dict[str, dict[str, float]] = {}
    for f in sorted(timing_dir.glob("*.tsv")):
        for line in f.read_text(encoding="utf-8").splitlines():
            name, _, secs = line.partition("\t")
            t = totals.setdefault(name, {"seconds": 0.0, "calls": 0})
            t["seconds"] += float(secs)
            t["calls"] += 1
    return {
        k: {"seconds": round(v["seconds"], 4), "calls": int(v["calls"])}
        for k, v in sorted(totals.items())
    }


def _timed_run(corpus: Path, out: Path, jobs: int, timing_dir: Path, result: Path) -> int:
    """Child-process entry: one instrumented pipeline run; figures to ``result``."""
    from pipeline.runner import run

    t0 = time.perf_counter()
    with instrumented(timing_dir):
        summary = run(corpus, out, jobs=jobs)
    seconds = time.perf_counter() - t0
    self_ru = resource.getrusage(resource.RUSAGE_SELF)
    kids_ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    data = {
        "run_seconds": round(seconds, 4),
        "files": summary.files,
        "docs": summary.docs,
        "processed": summary.processed,
        "unchanged": summary.unchanged,
        "errors": len(summary.errors),
        "corpus_stages_ran": summary.corpus_stages_ran,
        "peak_rss_mb_self": round(self_ru.ru_maxrss / 1024, 1),
        "peak_rss_mb_workers": round(kids_ru.ru_maxrss / 1024, 1),
        "cpu_seconds": round(
            self_ru.ru_utime + self_ru.ru_stime + kids_ru.ru_utime + kids_ru.ru_stime, 3
        ),
    }
    result.write_text(json.dumps(data), encoding="utf-8")
    return 0


RSS_SAMPLE_SECONDS = 0.1


def tree_rss_mb(root: int) -> float:
    """Summed resident memory of a process and all its descendants (Linux ``/proc``; 0 elsewhere)."""
    children: dict[int, list[int]] = {}
    pages: dict[int, int] = {}
    try:
        entries = [p for p in Path("/proc").iterdir() if p.name.isdigit()]
    except OSError:
        return 0.0
    for p in entries:
        try:
            stat = (p / "stat").read_text()
        except OSError:
            continue  # the process ended meanwhile
        # fields after "pid (comm) ": state ppid ... ; rss is field 24 of the whole line
        rest = stat[stat.rindex(")") + 2 :].split()
        children.setdefault(int(rest[1]), []).append(int(p.name))
        pages[int(p.name)] = int(rest[21])
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += pages.get(pid, 0)
        stack += children.get(pid, [])
    return total * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


class _Drain:
    """Reads a child's stdout and stderr in threads, so a chatty child never blocks."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        import threading

        self.out: list[str] = []
        self.err: list[str] = []
        self.threads = [
            threading.Thread(target=self._read, args=(proc.stdout, self.out), daemon=True),
            threading.Thread(target=self._read, args=(proc.stderr, self.err), daemon=True),
        ]
        for t in self.threads:
            t.start()

    @staticmethod
    def _read(stream: Any, sink: list[str]) -> None:
        """Collect a stream until it closes."""
        if stream is not None:
            sink.append(stream.read())

    def result(self) -> tuple[str, str]:
        """(stdout, stderr) once the child has closed them."""
        for t in self.threads:
            t.join()
        return "".join(self.out), "".join(self.err)


def timed_run(corpus: Path, out: Path, jobs: int, work: Path, label: str) -> dict[str, Any]:
    """Run the pipeline in a fresh process, as ``make`` does; wall time, stage timings, RSS."""
    timing_dir = work / f"timings-{label}"
    shutil.rmtree(timing_dir, ignore_errors=True)
    timing_dir.mkdir(parents=True)
    result = work / f"result-{label}.json"
    cmd = [
        sys.executable, "-m", "pipeline.bench", "_timed-run",
        str(corpus), str(out), str(jobs), str(timing_dir), str(result),
    ]  # fmt: skip
    t0 = time.perf_counter()
    with subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        # RSS of the run and its workers *at the same moment*, sampled: the per-process
        # peaks from getrusage may come from different phases (workers exit before the
        # corpus stages), so their sum only bounds the real peak from above.
        peak_tree = 0.0
        reader = _Drain(proc)
        while proc.poll() is None:
            peak_tree = max(peak_tree, tree_rss_mb(proc.pid))
            time.sleep(RSS_SAMPLE_SECONDS)
        stdout, stderr = reader.result()
    wall = time.perf_counter() - t0
    if proc.returncode != 0 or not result.exists():
        raise RuntimeError(f"benchmark run '{label}' failed:\n{stdout}\n{stderr}")
    data: dict[str, Any] = json.loads(result.read_text(encoding="utf-8"))
    data["wall_seconds"] = round(wall, 4)
    data["peak_rss_mb_sampled"] = round(peak_tree, 1)
    data["stages"] = read_timings(timing_dir)
    per_doc = sum(data["stages"].get(s, {}).get("seconds", 0.0) for s in PER_DOC_STAGES)
    data["per_doc_stage_seconds"] = round(per_doc, 4)
    data["corpus_stage_seconds"] = data["stages"].get("corpus_stages", {}).get("seconds", 0.0)
    # Where the rest of the wall time goes: interpreter start and imports, the corpus
    # scan, the one-off dictionary/spaCy load, and the runner's own bookkeeping.
    scan_s = data["stages"].get("scan", {}).get("seconds", 0.0)
    warm_s = data["stages"].get("warm", {}).get("seconds", 0.0)
    data["breakdown"] = {
        "startup_seconds": round(wall - data["run_seconds"], 4),
        "scan_seconds": scan_s,
        "warm_seconds": warm_s,
        "per_doc_stage_seconds": data["per_doc_stage_seconds"],
        "corpus_stage_seconds": data["corpus_stage_seconds"],
        "other_seconds": round(
            data["run_seconds"]
            - scan_s
            - warm_s
            - data["corpus_stage_seconds"]
            - (per_doc if data["processed"] <= 1 else 0.0),
            4,
        ),  # fmt: skip
    }
    return data


# ---------------------------------------------------------------- baselines


def _texts(run_out: Path, limit: int) -> list[str]:
    """Normalized texts of the run (a prefix of the sorted documents up to ``limit`` chars)."""
    texts: list[str] = []
    total = 0
    for d in sorted((run_out / "docs").iterdir()):
        try:
            text = json.loads((d / "normalized.json").read_text(encoding="utf-8"))["text"]
        except (OSError, ValueError, KeyError):
            continue
        texts.append(text)
        total += len(text)
        if total >= limit:
            break
    return texts


def _rate(chars: int, seconds: float) -> float:
    """chars/s, rounded."""
    return round(chars / seconds, 1) if seconds > 0 else 0.0


def jieba_baseline(texts: list[str]) -> dict[str, Any]:
    """Bare jieba (Traditional dictionary, HMM off) over ``texts``: chars/s, load excluded."""
    import jieba

    from pipeline.nlp import dictionary

    tok: jieba.Tokenizer = dictionary.get_tokenizer()
    tok.lcut("稀土", HMM=False)
    t0 = time.perf_counter()
    words = 0
    for t in texts:
        words += len(tok.lcut(t, HMM=False))
    dt = time.perf_counter() - t0
    chars = sum(map(len, texts))
    return {"seconds": round(dt, 4), "chars_per_s": _rate(chars, dt), "words": words}


def json_baseline(run_out: Path, texts_docs: int, scratch: Path) -> dict[str, Any]:
    """Reading and writing each document's normalized.json and extracted.json."""
    scratch.mkdir(parents=True, exist_ok=True)
    chars = 0
    t0 = time.perf_counter()
    for n, d in enumerate(sorted((run_out / "docs").iterdir())):
        if n >= texts_docs:
            break
        for name in ("normalized.json", "extracted.json"):
            p = d / name
            if not p.exists():
                continue
            with open(p, encoding="utf-8") as fh:
                obj = json.load(fh)
            if name == "normalized.json":
                chars += len(obj.get("text", ""))
            with open(scratch / f"{d.name}-{name}", "w", encoding="utf-8") as fh:
                json.dump(obj, fh, ensure_ascii=False, indent=1)
    dt = time.perf_counter() - t0
    shutil.rmtree(scratch, ignore_errors=True)
    return {"seconds": round(dt, 4), "chars_per_s": _rate(chars, dt)}


def extractor_baseline(texts: list[str]) -> dict[str, Any]:
    """Quantities, times and entities alone on ``texts`` (no segmentation, no I/O)."""
    from pipeline.extract.quantities import extract_quantities
    from pipeline.extract.times import extract_times

    entities: Callable[[str], Any] | None = None
    try:
        from pipeline.extract.entities import extract_entities

        entities = extract_entities
    except ImportError:
        pass
    if entities is not None:
        entities("日本經濟產業省")  # load the gazetteer outside the timed loop
    extract_quantities("約六成")
    extract_times("2025年1月")
    t0 = time.perf_counter()
    for t in texts:
        times = extract_times(t)
        extract_quantities(t, exclude=[(x.start, x.end) for x in times])
        if entities is not None:
            entities(t)
    dt = time.perf_counter() - t0
    chars = sum(map(len, texts))
    return {
        "seconds": round(dt, 4),
        "chars_per_s": _rate(chars, dt),
        "includes_entities": entities is not None,
    }


# ---------------------------------------------------------------- profile


def profile_stage(stage: str, run_out: Path, sample_docs: int = 40) -> str:
    """cProfile of one stage (top 15 by cumulative time) on a sample of documents."""
    from pipeline import io as pio
    from pipeline import stages

    prof = cProfile.Profile()
    if stage == "corpus_stages" or stage.startswith("corpus."):
        from pipeline.corpus import run_corpus_stages
        from pipeline.runner import load_stamps

        # A scratch OUT sharing the documents and a copy of the run's state (stamps,
        # digests): the corpus stages as an incremental run pays them, while the run's
        # own outputs stay as they are.
        scratch = _scratch_out(run_out)
        stamps = load_stamps(scratch)
        if stamps is None:
            ids = sorted(d.name for d in (run_out / "docs").iterdir())
            doc_ids = [d for d in ids if (run_out / "docs" / d / "claims.json").exists()]
        else:
            doc_ids = sorted(d for d, st in stamps.items() if "claims" in st)
        doc_ids = doc_ids[:PROFILE_CORPUS_DOCS]
        prof.runcall(run_corpus_stages, scratch, doc_ids, force=True, stamps=stamps)
        shutil.rmtree(scratch, ignore_errors=True)
        what = f"run_corpus_stages (forced, cached digests) on {len(doc_ids)} documents"
    else:
        dirs = sorted(d for d in (run_out / "docs").iterdir() if (d / "summary.json").exists())
        dirs = dirs[:sample_docs]
        if stage == "extract":
            _warm()  # start-up cost is not the stage's per-document cost
        for d in dirs:
            norm = pio.read_json(d / "normalized.json")
            if stage == "ingest":
                src = _source_of(norm, run_out)
                if src is not None:
                    prof.runcall(stages.ingest, src, norm["source_path"], [norm["source_path"]])
                continue
            ext = pio.read_json(d / "extracted.json")
            if stage == "extract":
                prof.runcall(stages.extract, norm)
            elif stage == "claims":
                prof.runcall(stages.claims, norm, ext)
            elif stage == "summarize":
                prof.runcall(stages.summarize, norm, ext, pio.read_json(d / "claims.json"))
        what = f"stage {stage} on {len(dirs)} documents"
    buf = stdio.StringIO()
    buf.write(f"cProfile of {what}, top 15 by cumulative time\n\n")
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(15)
    return buf.getvalue()


def _scratch_out(run_out: Path) -> Path:
    """An OUT sharing the run's documents, with a copy of its state (stamps, digests)."""
    scratch = run_out.parent / "work" / "profile-out"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    (scratch / "docs").symlink_to(run_out / "docs")
    if (run_out / "state").is_dir():
        shutil.copytree(run_out / "state", scratch / "state")
    return scratch


def profile_add_one(run_out: Path, new_ids: set[str], top: int = 30) -> str:
    """cProfile of the corpus stages adding ``new_ids`` to the rest of the run's documents.

    On a scratch copy of the run's state: the stages first run without the new documents
    (unprofiled), then with them, as the incremental run did. cProfile makes Python-heavy
    code ~1.4x slower; the shares, not the seconds, are what to read.
    """
    from pipeline.corpus import run_corpus_stages
    from pipeline.runner import load_stamps

    scratch = _scratch_out(run_out)
    try:
        stamps = load_stamps(scratch) or {}
        ids = sorted(d for d, st in stamps.items() if "claims" in st)
        run_corpus_stages(scratch, [d for d in ids if d not in new_ids], force=True, stamps=stamps)
        prof = cProfile.Profile()
        start = time.perf_counter()
        prof.runcall(run_corpus_stages, scratch, ids, force=True, stamps=stamps)
        wall = time.perf_counter() - start
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    buf = stdio.StringIO()
    buf.write(
        f"cProfile of the corpus stages adding {len(new_ids)} document(s) to "
        f"{len(ids) - len(new_ids)} ({wall:.2f} s profiled), top {top} by cumulative time\n\n"
    )
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(top)
    return buf.getvalue()


def _warm() -> None:
    """Load the segmenter's dictionary and pipeline, when the module provides a warm-up."""
    import importlib

    warm = getattr(importlib.import_module("pipeline.nlp.segment"), "warm", None)
    if warm is not None:
        warm()


def _source_of(norm: dict[str, Any], run_out: Path) -> Path | None:
    """The corpus file a normalized document came from (bench layout: OUT/corpus)."""
    p = run_out.parent / "corpus" / norm.get("source_path", "")
    return p if p.is_file() else None


# ---------------------------------------------------------------- main


def _fmt_rate(x: float) -> str:
    """Human chars/s."""
    return f"{x / 1000:,.0f}k chars/s" if x >= 1000 else f"{x:,.0f} chars/s"


def main(docs: int, out: Path, jobs: int | None, seeds: Path) -> int:
    """Build the synthetic corpus, time cold / add-one / no-change runs, write bench.json."""
    jobs = jobs or os.cpu_count() or 1
    out = out.resolve()
    corpus, run_out, work = out / "corpus", out / "run", out / "work"
    for p in (corpus, run_out, work):
        shutil.rmtree(p, ignore_errors=True)
    work.mkdir(parents=True)
    seeds_dir = seeds if seeds.is_dir() else None

    t0 = time.perf_counter()
    formats = write_synthetic_corpus(corpus, docs, seeds_dir)
    gen_seconds = time.perf_counter() - t0
    print(f"synthetic corpus: {docs} documents {formats} in {gen_seconds:.1f}s -> {corpus}")

    cold = timed_run(corpus, run_out, jobs, work, "cold")
    chars = sum(map(len, _texts(run_out, 10**12)))
    scaling: dict[str, Any] | None = None
    if jobs > 1 and docs <= SCALING_MAX_DOCS:
        # The same cold run on one worker, for the speed-up of ``jobs`` workers.
        one = timed_run(corpus, out / "run-1job", 1, work, "cold-1job")
        shutil.rmtree(out / "run-1job", ignore_errors=True)
        scaling = {
            "jobs": jobs,
            "wall_seconds_1_job": one["wall_seconds"],
            "wall_seconds_n_jobs": cold["wall_seconds"],
            "speedup": round(one["wall_seconds"] / cold["wall_seconds"], 2),
        }

    # Add one article (a new index, so new bytes; published after all the others), run
    # again; then nothing changed.
    before = {d.name for d in (run_out / "docs").iterdir()}
    write_synthetic_corpus(corpus, 1, seeds_dir, start=docs, date=NEW_ARTICLE_DATE)
    add_one = timed_run(corpus, run_out, jobs, work, "add-one")
    added = {d.name for d in (run_out / "docs").iterdir()} - before
    unchanged = timed_run(corpus, run_out, jobs, work, "no-change")

    sample = _texts(run_out, BASELINE_MAX_CHARS)
    sample_chars = sum(map(len, sample))
    jieba_b = jieba_baseline(sample)
    json_b = json_baseline(run_out, len(sample), work / "json-scratch")
    extract_b = extractor_baseline(sample)
    del sample

    stage_secs = {k: v["seconds"] for k, v in cold["stages"].items() if k != "corpus_stages"}
    # Single-worker equivalent: every second spent in a stage, summed over workers, plus
    # the corpus stages (which run in the main process).
    busy = cold["per_doc_stage_seconds"] + cold["corpus_stage_seconds"]
    pipeline_rate_wall = _rate(chars, cold["wall_seconds"])
    pipeline_rate_worker = _rate(chars, busy)
    slowest = max(
        [s for s in PER_DOC_STAGES if s in stage_secs] + ["corpus_stages"],
        key=lambda s: cold["stages"].get(s, {}).get("seconds", 0.0),
    )
    profile_text = profile_stage(slowest, run_out)
    (out / "bench_profile.txt").write_text(profile_text, encoding="utf-8")
    (out / "bench_profile_add_one.txt").write_text(
        profile_add_one(run_out, added), encoding="utf-8"
    )

    self_ru = resource.getrusage(resource.RUSAGE_SELF)
    report: dict[str, Any] = {
        "docs": docs,
        "jobs": jobs,
        "formats": formats,
        "chars": chars,
        "generate_seconds": round(gen_seconds, 3),
        "cold": {
            **cold,
            "docs_per_s": round(docs / cold["wall_seconds"], 2),
            "chars_per_s": pipeline_rate_wall,
            "chars_per_s_single_worker": pipeline_rate_worker,
        },
        "per_stage_seconds": stage_secs,
        "baselines": {
            "sample_chars": sample_chars,
            "jieba_traditional_hmm_off": jieba_b,
            "json_read_write": json_b,
            "extractors_only": extract_b,
        },
        "ratios": {
            "pipeline_single_worker_vs_jieba": round(
                pipeline_rate_worker / jieba_b["chars_per_s"], 3
            )
            if jieba_b["chars_per_s"]
            else None,
            "pipeline_wall_vs_jieba": round(pipeline_rate_wall / jieba_b["chars_per_s"], 3)
            if jieba_b["chars_per_s"]
            else None,
            "pipeline_single_worker_vs_json": round(pipeline_rate_worker / json_b["chars_per_s"], 4)
            if json_b["chars_per_s"]
            else None,
        },
        "incremental": {
            "add_one": add_one,
            "no_change": unchanged,
        },
        "scaling": scaling,
        # Main process plus its largest worker; with ``jobs`` workers alive at once the
        # upper bound counts that worker ``jobs`` times (copy-on-write pages counted twice).
        "peak_rss_mb": max(
            cold["peak_rss_mb_self"] + cold["peak_rss_mb_workers"],
            add_one["peak_rss_mb_self"] + add_one["peak_rss_mb_workers"],
        ),
        "peak_rss_mb_upper_bound": round(
            cold["peak_rss_mb_self"] + jobs * cold["peak_rss_mb_workers"], 1
        ),
        # the run and its workers summed at each 0.1 s sample: what the machine held
        "peak_rss_mb_sampled": max(cold["peak_rss_mb_sampled"], add_one["peak_rss_mb_sampled"]),
        "peak_rss_mb_bench_process": round(self_ru.ru_maxrss / 1024, 1),
        "slowest_stage": slowest,
        "profile": str(out / "bench_profile.txt"),
        "profile_add_one": str(out / "bench_profile_add_one.txt"),
        "command": f"python -m pipeline bench --docs {docs} --jobs {jobs} --out {out}",
    }
    (out / "bench.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    _print_report(report)
    return 0


def _print_report(r: dict[str, Any]) -> None:
    """The human summary of bench.json."""
    c = r["cold"]
    b = r["baselines"]
    print(f"\ncold run: {r['docs']} docs, {r['chars']:,} chars, jobs={r['jobs']}")
    print(
        f"  wall {c['wall_seconds']:.2f}s (in-process {c['run_seconds']:.2f}s), "
        f"{c['docs_per_s']:.1f} docs/s, {_fmt_rate(c['chars_per_s'])}; "
        f"single-worker equivalent {_fmt_rate(c['chars_per_s_single_worker'])}"
    )
    print("  per stage (seconds summed over workers):")
    for name, v in c["stages"].items():
        print(f"    {name:<24} {v['seconds']:>9.3f}s  {v['calls']:>6} call(s)")
    print(
        f"  peak RSS: main {c['peak_rss_mb_self']} MB, largest worker "
        f"{c['peak_rss_mb_workers']} MB (upper bound {r['peak_rss_mb_upper_bound']} MB); "
        f"sampled, main and workers together: {r['peak_rss_mb_sampled']} MB"
    )
    if r["scaling"]:
        sc = r["scaling"]
        print(
            f"  scaling: 1 job {sc['wall_seconds_1_job']:.2f}s, {sc['jobs']} jobs "
            f"{sc['wall_seconds_n_jobs']:.2f}s, speed-up {sc['speedup']}x"
        )
    print(f"baselines on {b['sample_chars']:,} chars of the same text:")
    print(
        f"  bare jieba (Traditional dict, HMM off): {_fmt_rate(b['jieba_traditional_hmm_off']['chars_per_s'])}"
    )
    print(
        f"  JSON read+write:                        {_fmt_rate(b['json_read_write']['chars_per_s'])}"
    )
    print(
        f"  extractors alone:                       {_fmt_rate(b['extractors_only']['chars_per_s'])}"
    )
    ra = r["ratios"]
    print(
        f"  pipeline / jieba: {ra['pipeline_single_worker_vs_jieba']} (single worker), "
        f"{ra['pipeline_wall_vs_jieba']} (wall, {r['jobs']} jobs); "
        f"pipeline / JSON: {ra['pipeline_single_worker_vs_json']}"
    )
    a, n = r["incremental"]["add_one"], r["incremental"]["no_change"]
    print(
        f"add one article to {r['docs']}: wall {a['wall_seconds']:.2f}s, per-document stages "
        f"{a['per_doc_stage_seconds']:.2f}s, corpus stages {a['corpus_stage_seconds']:.2f}s "
        f"(processed {a['processed']})"
    )
    for label, run_ in (("  add one", a), ("  no change", n)):
        b = run_.get("breakdown") or {}
        if b:
            print(
                f"{label}: start-up {b['startup_seconds']:.2f}s, scan {b['scan_seconds']:.2f}s, "
                f"model load {b['warm_seconds']:.2f}s, per-document {b['per_doc_stage_seconds']:.2f}s, "
                f"corpus {b['corpus_stage_seconds']:.2f}s, other {b['other_seconds']:.2f}s"
            )
    print(f"nothing changed: wall {n['wall_seconds']:.2f}s (in-process {n['run_seconds']:.2f}s)")
    print(f"slowest stage: {r['slowest_stage']} (profile: {r['profile']})")
    print(f"corpus stages adding one article: profile {r['profile_add_one']}")


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "_timed-run":
        _, _, c_, o_, j_, t_, r_ = sys.argv
        sys.exit(_timed_run(Path(c_), Path(o_), int(j_), Path(t_), Path(r_)))
    print("usage: python -m pipeline bench --docs N (this module's own entry is internal)")
    sys.exit(2)
