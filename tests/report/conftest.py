"""Hand-made corpus for the report tests: three short documents, claims, reconciled groups.

The phrasing is our own (no seed text). Offsets are computed with ``str.find`` so the
fixture stays correct when a sentence is edited.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from pipeline.report.common import sentence_spans

DOC_A_ID = "a1a1a1a1a1a1a1a1"
DOC_B_ID = "b2b2b2b2b2b2b2b2"
DOC_X_ID = "c3c3c3c3c3c3c3c3"

A_LINES = [
    "日本分散稀土來源的十五年",
    "記者林大同／東京報導",
    "日本經濟產業省10日發布供應鏈報告，稱日本進口稀土中來自中國的比例，已從2010年的90%降到2025年的60%左右。",
    "報告指出，東京過去十五年間透過投資澳洲礦商、建立國家儲備與研發減量技術，逐步分散採購來源。",
    "官員表示，政府的目標是在十年內把對單一國家的依賴降至50%以下。",
    "業界人士認為，重稀土仍是最脆弱的環節，因為幾乎所有的鏑與鋱都得經過中國的分離廠。",
    "日本經產省10日發表的報告也說，日本稀土進口來自中國的比例，已經從2010年的90%降到2025年的約60%。",
    "此外，報告預計2026年3月將與澳洲簽署新的合作備忘錄。",
    "國際能源總署估計，中國目前掌握全球約九成的稀土精煉產能。",
    "※本文作者為東京特派員",
    "更多新聞請訂閱本報電子報",
]
B_LINES = [
    "根據日本財務省的貿易統計，2025年日本稀土進口中約有六至七成仍來自中國。",
    "分析師指出，2010年中國對日本實施稀土禁運時，日本約九成的稀土都仰賴中國供應。",
    "日本經濟產業省於1月10日公布供應鏈報告，並宣布將在2026年3月與澳洲政府簽署合作備忘錄。",
    "另有研究機構估計，2025年日本對中國的依賴其實高達85%。",
    "這份報告也提到，日本計劃在南鳥島周邊海域試採稀土泥，以建立自有來源。",
    "市場人士說，中國在全球稀土精煉市場的占比超過85%，短期內難以撼動。",
]
HOSTILE = "<script>document.title='pwned'</script>"
X_LINES = [
    "稀土報導<img src=x onerror=\"document.title='img'\">測試",
    f"這篇關於澳洲稀土礦場擴產計畫的報導中，被人夾帶了一段惡意程式碼{HOSTILE}，"
    "但報告系統必須把它原樣顯示出來，而且絕對不能執行它。",
    "點選<a href=\"javascript:document.title='js'\">這個連結</a>也不應該有任何作用。",
    "文中提到2025年澳洲稀土產量成長了12%，主要來自西澳洲新礦區的投產與既有礦場的產能提升"
    "</span></div><script>document.title='x'</script>。",
    "澳洲政府也表示，將持續與日本和美國合作，擴大稀土分離與精煉的產能，降低對單一國家的依賴。",
]


def _doc(doc_id: str, lines: list[str], **meta: Any) -> dict[str, Any]:
    """A normalized-document dict (the fields the report reads)."""
    text = "\n".join(lines)
    return {
        "schema": "normalized/1",
        "doc_id": doc_id,
        "source_path": f"{doc_id}.txt",
        "title": meta.get("title"),
        "published": meta.get("published"),
        "outlet": meta.get("outlet"),
        "authors": meta.get("authors", []),
        "text": text,
        "paragraphs": [],
        "headings": meta.get("headings", []),
        "removed": [],
    }


def _at(text: str, surface: str, after: str = "") -> tuple[int, int]:
    """Offsets of ``surface`` (searched after the anchor string ``after``)."""
    base = text.find(after) if after else 0
    assert base >= 0, after
    start = text.find(surface, base)
    assert start >= 0, surface
    return start, start + len(surface)


def _claim(doc: dict[str, Any], cid: str, surface: str, after: str, **kw: Any) -> dict[str, Any]:
    """A claim dict with consistent offsets and its sentence."""
    text = doc["text"]
    start, end = _at(text, surface, after)
    spans = sentence_spans(text, None)
    ss, se = next((s, e) for s, e in spans if s <= start < e)
    claim = {
        "schema": "claim/1",
        "claim_id": cid,
        "doc_id": doc["doc_id"],
        "surface": surface,
        "start": start,
        "end": end,
        "sentence_start": ss,
        "sentence_end": se,
        "sentence": text[ss:se],
        "type": "percent",
        "value": None,
        "low": None,
        "high": None,
        "unit": "%",
        "qualifier": "exact",
        "metric": None,
        "subject": None,
        "object": None,
        "commodity": None,
        "period": None,
        "period_basis": "explicit",
        "modality": "estimate",
        "attribution": None,
        "equivalent_of": None,
        "source": {
            "title": doc["title"],
            "outlet": doc["outlet"],
            "published": doc["published"],
            "source_path": doc["source_path"],
        },
    }
    claim.update(kw)
    return claim


def _time(
    doc: dict[str, Any], surface: str, value: str, gran: str, after: str = ""
) -> dict[str, Any]:
    """A time dict."""
    s, e = _at(doc["text"], surface, after)
    return {
        "type": "time",
        "surface": surface,
        "start": s,
        "end": e,
        "value": value,
        "granularity": gran,
        "basis": "explicit",
    }


def _ent(
    doc: dict[str, Any], surface: str, eid: str, etype: str, after: str = ""
) -> dict[str, Any]:
    """An entity dict."""
    s, e = _at(doc["text"], surface, after)
    return {
        "type": etype,
        "surface": surface,
        "start": s,
        "end": e,
        "id": eid,
        "name": eid,
        "source": "gazetteer",
    }


JP = {
    "metric": "japan_re_import_share_from_china",
    "subject": "Japan",
    "object": "China",
    "commodity": "rare earths",
}
REF = {
    "metric": "china_share_global_refining",
    "subject": "China",
    "object": None,
    "commodity": "rare earths",
}


def build_corpus() -> dict[str, Any]:
    """docs, extracted, claims and reconciled of the hand-made corpus."""
    a = _doc(
        DOC_A_ID,
        A_LINES,
        title="日本分散稀土來源的十五年",
        outlet="甲報",
        published="2026-01-10",
        authors=["林大同"],
        headings=[[0, len(A_LINES[0])]],
    )
    b = _doc(DOC_B_ID, B_LINES, title="日本稀土進口依賴仍高", outlet="乙報", published="2026-01-12")
    x = _doc(
        DOC_X_ID,
        X_LINES,
        title=f"{HOSTILE}惡意標題",
        outlet="<b>丙報</b>",
        published="2026-01-15",
        authors=["<img src=x onerror=alert(1)>"],
    )
    s3, s7 = A_LINES[2], A_LINES[6]
    claims = [
        _claim(
            a,
            "a-c001",
            "90%",
            s3,
            value=90,
            low=90,
            high=90,
            period="2010",
            modality="historical",
            **JP,
        ),
        _claim(
            a,
            "a-c002",
            "60%左右",
            s3,
            value=60,
            low=60,
            high=60,
            qualifier="approx",
            period="2025",
            **JP,
        ),
        _claim(
            a,
            "a-c003",
            "50%以下",
            A_LINES[4],
            value=50,
            high=50,
            qualifier="at_most",
            period="2036",
            modality="target",
            **JP,
        ),
        _claim(
            a,
            "a-c004",
            "約九成",
            A_LINES[8],
            value=90,
            low=90,
            high=90,
            qualifier="approx",
            period="2026",
            **REF,
        ),
        _claim(
            a,
            "a-c005",
            "90%",
            s7,
            value=90,
            low=90,
            high=90,
            period="2010",
            modality="historical",
            **JP,
        ),
        _claim(
            b,
            "b-c001",
            "六至七成",
            B_LINES[0],
            low=60,
            high=70,
            qualifier="range",
            period="2025",
            **JP,
        ),
        _claim(
            b,
            "b-c002",
            "約九成",
            B_LINES[1],
            value=90,
            low=90,
            high=90,
            qualifier="approx",
            period="2010",
            modality="historical",
            **JP,
        ),
        _claim(b, "b-c003", "85%", B_LINES[3], value=85, low=85, high=85, period="2025", **JP),
        _claim(
            b,
            "b-c004",
            "超過85%",
            B_LINES[5],
            value=85,
            low=85,
            qualifier="more_than",
            period="2026",
            **REF,
        ),
        _claim(x, "x-c001", "12%", X_LINES[3], value=12, low=12, high=12, period="2025"),
    ]
    extracted = {}
    for d in (a, b, x):
        extracted[d["doc_id"]] = {
            "schema": "extracted/1",
            "doc_id": d["doc_id"],
            "sentences": [list(s) for s in sentence_spans(d["text"], None)],
            "quantities": [],
            "times": [],
            "entities": [],
        }
    extracted[DOC_A_ID]["times"] = [
        _time(a, "10日", "2026-01-10", "day", s3),
        _time(a, "2010年", "2010", "year", s3),
        _time(a, "2026年3月", "2026-03", "month", A_LINES[7]),
    ]
    extracted[DOC_B_ID]["times"] = [
        _time(b, "1月10日", "2026-01-10", "day", B_LINES[2]),
        _time(b, "2026年3月", "2026-03", "month", B_LINES[2]),
        _time(b, "2010年", "2010", "year", B_LINES[1]),
    ]
    extracted[DOC_X_ID]["times"] = [_time(x, "2025年", "2025", "year", X_LINES[3])]
    extracted[DOC_A_ID]["entities"] = [
        _ent(a, "日本", "Japan", "GPE", s3),
        _ent(a, "中國", "China", "GPE", s3),
        _ent(a, "澳洲", "Australia", "GPE", A_LINES[3]),
        _ent(a, "中國", "China", "GPE", A_LINES[5]),
        _ent(a, "日本經濟產業省", "METI", "ORG", s3),
    ]
    extracted[DOC_B_ID]["entities"] = [
        _ent(b, "日本", "Japan", "GPE", B_LINES[0]),
        _ent(b, "中國", "China", "GPE", B_LINES[0]),
        _ent(b, "日本經濟產業省", "METI", "ORG", B_LINES[2]),
        _ent(b, "澳洲", "Australia", "GPE", B_LINES[2]),
    ]
    extracted[DOC_X_ID]["entities"] = [_ent(x, "澳洲", "Australia", "GPE", X_LINES[3])]
    by_id = {c["claim_id"]: c for c in claims}

    def entry(cid: str, label: str, explanation: str = "") -> dict[str, Any]:
        """A reconciled.json entry for a claim (fields of reconciled.schema.json)."""
        c = by_id[cid]
        keep = (
            "claim_id",
            "doc_id",
            "surface",
            "value",
            "low",
            "high",
            "unit",
            "qualifier",
            "modality",
            "period",
            "period_basis",
            "attribution",
            "sentence",
        )
        return {
            **{k: c.get(k) for k in keep},
            "outlet": c["source"]["outlet"],
            "published": c["source"]["published"],
            "title": c["source"]["title"],
            "independent_source": c["doc_id"],
            "interval": [c["low"], c["high"]],
            "label": label,
            "explanation": explanation,
        }

    def period(
        p: str | None,
        low: float | None,
        high: float | None,
        sources: int,
        support: list[str],
        entries: list[dict[str, Any]],
    ) -> dict[str, Any]:
        return {
            "period": p,
            "consensus": {
                "low": low,
                "high": high,
                "unit": "%",
                "sources": sources,
                "claims": support,
            },
            "claims": entries,
        }

    ref_periods = [
        period(
            "2026",
            85,
            95,
            2,
            ["a-c004", "b-c004"],
            [
                entry("a-c004", "agree", "within rounding of the consensus"),
                entry("b-c004", "compatible", "hedge: open lower bound contains the consensus"),
            ],
        ),
    ]
    # Listed out of time order on purpose: the briefing sorts periods.
    jp_periods = [
        period(
            "2025",
            60,
            65,
            2,
            ["a-c002", "b-c001"],
            [
                entry("a-c002", "agree"),
                entry("b-c001", "agree"),
                entry("b-c003", "conflict", "different definition: share by value, not by volume"),
            ],
        ),
        period(
            "2010",
            89.5,
            90.5,
            2,
            ["a-c001", "a-c005", "b-c002"],
            [entry("a-c001", "agree"), entry("a-c005", "agree"), entry("b-c002", "agree")],
        ),
    ]
    jp_targets = [period("2036", 0, 50, 1, ["a-c003"], [entry("a-c003", "agree", "only figure")])]
    reconciled = {
        "schema": "reconciled/1",
        "n_claims": len(claims),
        "ungrouped_claims": 1,
        "groups": [
            {
                "key": dict(REF),
                "unit": "%",
                "n_claims": 2,
                "sources": 2,
                "periods": ref_periods,
                "targets": [],
                "scenarios": [],
                "series": [{"period": "2026", "low": 85, "high": 95}],
                "scope_variants": [],
            },
            {
                "key": dict(JP),
                "unit": "%",
                "n_claims": 7,
                "sources": 2,
                "periods": jp_periods,
                "targets": jp_targets,
                "scenarios": [],
                "series": [
                    {"period": "2010", "low": 89.5, "high": 90.5},
                    {"period": "2025", "low": 60, "high": 65},
                ],
                "scope_variants": [],
            },
        ],
    }
    return {
        "docs": {DOC_A_ID: a, DOC_B_ID: b, DOC_X_ID: x},
        "extracted": extracted,
        "claims": claims,
        "reconciled": reconciled,
    }


_CORPUS = build_corpus()


@pytest.fixture
def corpus() -> dict[str, Any]:
    """A fresh deep copy of the hand-made corpus (tests may mutate it)."""
    return copy.deepcopy(_CORPUS)


@pytest.fixture(scope="session")
def seed_run(seeds_dir: Path, gold: dict[str, Any]) -> dict[str, Any]:
    """Normalized, extracted and claims of each seed, built with the current stages."""
    try:
        from pipeline import stages
    except ImportError as exc:  # pragma: no cover - upstream not importable
        pytest.skip(f"pipeline stages not importable: {exc}")
    docs: dict[str, dict[str, Any]] = {}
    extracted: dict[str, dict[str, Any]] = {}
    claims: list[dict[str, Any]] = []
    gold_by_file: dict[str, dict[str, Any]] = {}
    for g in gold["docs"]:
        path = seeds_dir / g["file"]
        try:
            n = stages.ingest(path, g["file"], [g["file"]])
            ex = stages.extract(n)
        except Exception as exc:  # noqa: BLE001 - upstream still being built
            pytest.skip(f"upstream stages fail on {g['file']}: {exc}")
        try:
            cl = stages.claims(n, ex)
        except Exception:  # noqa: BLE001 - claims are optional for these checks
            cl = []
        docs[n["doc_id"]] = n
        extracted[n["doc_id"]] = ex
        claims.extend(cl)
        gold_by_file[n["doc_id"]] = g
    try:
        from pipeline.reconcile import reconcile

        reconciled = reconcile(claims)
    except Exception:  # noqa: BLE001 - reconcile may not exist yet
        reconciled = {"schema": "reconciled/1", "groups": []}
    return {
        "docs": docs,
        "extracted": extracted,
        "claims": claims,
        "gold": gold_by_file,
        "reconciled": reconciled,
    }
