"""The real seed articles and the shipped sample corpus go through read_document intact."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from pipeline.ingest import read_document
from pipeline.ingest.encoding import decode_bytes
from pipeline.ingest.html import read_html
from tests.ingest.pdfgen import font_available, render_html

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"


def test_each_seed_reads_and_decodes_exactly(seeds_dir):
    seeds = sorted(seeds_dir.glob("*.txt"))
    assert seeds
    for path in seeds:
        data = path.read_bytes()
        doc = read_document(path)
        assert doc.encoding == "utf-8", path.name
        assert doc.text == data.decode("utf-8").replace("\r\n", "\n"), path.name
        assert doc.doc_id == hashlib.sha256(data).hexdigest()[:16]
        assert doc.format == "txt"


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "gb18030", "cp950"])
def test_seed_text_reencoded_is_detected(seeds_dir, codec):
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        try:
            data = text.encode(codec)
        except UnicodeEncodeError:
            # Big5 lacks some characters the seeds use; keep the lines it can encode.
            kept = [ln for ln in text.split("\n") if _encodable(ln, codec)]
            text = "\n".join(kept)
            data = text.encode(codec)
        decoded, _name = decode_bytes(data)
        # Compare with the codec's own round trip (cp950 maps • to ‧, a codec quirk).
        assert decoded == data.decode(codec), (path.name, codec)


def _encodable(line: str, codec: str) -> bool:
    try:
        line.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def test_seed_articles_rendered_as_portal_html_keep_their_paragraphs(seeds_dir):
    for path in sorted(seeds_dir.glob("*.txt")):
        lines = [re.sub(r"\s+", " ", ln).strip() for ln in path.read_text("utf-8").split("\n")]
        lines = [ln for ln in lines if ln]
        title, paras = lines[0], lines[1:]
        page = render_html(
            title, paras, published="2026-01-14", outlet="測試新聞網", author="王小明"
        )
        text, meta, _t, _r, _w = read_html(page.encode("utf-8"))
        assert meta["title"] == title
        got = text.split("\n\n")
        # render_html inserts one ad slot after the second paragraph; it must be gone.
        assert got == paras, path.name


CORPUS_FILES = {
    "2026-10-15_japan_rare_earth_dependence.txt": ("txt", "utf-8"),
    "2026-10-28_taiwan_rare_earth_inventory.html": ("html", "utf-8"),
    "2026-10_rare_earth_resilience_brief.pdf": ("pdf", None),
    "2026-11-03_china_export_data_gb18030.txt": ("txt", "gb18030"),
}


@pytest.mark.parametrize("name", sorted(CORPUS_FILES))
def test_sample_corpus_files_read(name):
    doc = read_document(CORPUS / name)
    fmt, encoding = CORPUS_FILES[name]
    assert (doc.format, doc.encoding) == (fmt, encoding)
    body = re.sub(r"\s", "", doc.text)
    assert 500 <= len(body) <= 1600, len(body)


def test_sample_corpus_has_the_promised_structure():
    txt = read_document(CORPUS / "2026-10-15_japan_rare_earth_dependence.txt").text
    assert txt.startswith(" date 2026-10-15\n")
    for marker in (
        "記者王小明／台北報導",
        "我是廣告 請繼續往下閱讀",
        "其他人也在看",
        "・ 3 小時前 ・",
        "更多中央社報導",
    ):
        assert marker in txt
    html = read_document(CORPUS / "2026-10-28_taiwan_rare_earth_inventory.html")
    assert html.meta["published"] == "2026-10-28" and html.meta["outlet"] == "三立新聞網"
    assert html.tables and "我是廣告" not in html.text
    pdf = read_document(CORPUS / "2026-10_rare_earth_resilience_brief.pdf")
    assert pdf.tables[0].caption.startswith("表1") and pdf.tables[0].page == 2
    assert {r.reason for r in pdf.removed} >= {
        "page number",
        "running header/footer",
        "footnote marker",
    }
    assert pdf.meta["footnotes"]
    # Reconciliation material: a conflict (Japan 2025: 約七成 vs 約六成) and an agreement.
    assert "2025年）稀土進口對中國的依賴度仍約七成" in txt
    assert "2025年的約六成" in pdf.text
    assert "約九成的稀土精煉產能" in txt and "約九成的精煉產能" in pdf.text
    simplified = read_document(CORPUS / "2026-11-03_china_export_data_gb18030.txt").text
    assert "稀土出口量约为4.6万吨" in simplified


@pytest.mark.skipif(not font_available(), reason="CJK font wqy-microhei not installed")
def test_sample_corpus_regenerates_byte_for_byte(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_sample_corpus", ROOT / "tools" / "make_sample_corpus.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.build(tmp_path)
    assert sorted(p.name for p in written) == sorted(CORPUS_FILES)
    for path in written:
        assert path.read_bytes() == (CORPUS / path.name).read_bytes(), path.name
