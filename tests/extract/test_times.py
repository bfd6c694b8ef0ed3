"""Table-driven tests of the time-expression extractor (pipeline/extract/times.py)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.times import GRANULARITIES, TimeExpr, extract_times, extract_times_undated
from pipeline.nlp.segment import analyze

REF = date(2026, 1, 14)  # a mid-January publication date
REF_DEC = date(2025, 12, 9)
REF_JAN3 = date(2026, 1, 3)


def _check_offsets(text: str, got: list[TimeExpr]) -> None:
    """Every record points at its own surface, records are sorted and do not overlap."""
    for t in got:
        assert text[t.start : t.end] == t.surface
        assert t.granularity in GRANULARITIES
        assert t.basis in ("explicit", "publication", "inferred", "unresolved")
        assert t.kind in ("point", "period")
        assert (t.value is None) == (t.basis == "unresolved")
    for a, b in zip(got, got[1:], strict=False):
        assert a.end <= b.start


def _pairs(text: str, ref: date | None = None, **kw: bool) -> list[tuple[str, str | None]]:
    """(surface, value) of every time found."""
    got = extract_times(text, ref, **kw)
    _check_offsets(text, got)
    return [(t.surface, t.value) for t in got]


# --------------------------------------------------------------------------- explicit forms

EXPLICIT = [
    # full dates
    ("經產省於2026年1月12日公布新補助", "2026年1月12日", "2026-01-12", "day"),
    ("該法自2026年元月1日起生效", "2026年元月1日", "2026-01-01", "day"),
    ("協議於2023年12月6日簽署", "2023年12月6日", "2023-12-06", "day"),
    ("契約日期為2024/03/29，金額未公開", "2024/03/29", "2024-03-29", "day"),
    ("統計截至2025-07-15止", "2025-07-15", "2025-07-15", "day"),
    ("報告日期2024.09.10發布", "2024.09.10", "2024-09-10", "day"),
    ("二〇一〇年九月七日，漁船與巡邏船相撞", "二〇一〇年九月七日", "2010-09-07", "day"),
    ("二〇二五年十二月三十一日公告清單", "二〇二五年十二月三十一日", "2025-12-31", "day"),
    ("２０２６年１月６日起實施管制", "２０２６年１月６日", "2026-01-06", "day"),
    ("在 2025 年 3 月 17 日的聲明中", "2025 年 3 月 17 日", "2025-03-17", "day"),
    ("2026年的1月6日起，北京擴大管制", "2026年的1月6日", "2026-01-06", "day"),
    ("公告於2025年10月30號發出", "2025年10月30號", "2025-10-30", "day"),
    # months
    ("澳洲礦場於2025年10月擴產", "2025年10月", "2025-10", "month"),
    ("2010年9月，撞船事件爆發", "2010年9月", "2010-09", "month"),
    ("2010年9 月的禁運", "2010年9 月", "2010-09", "month"),
    ("稅率自2024年6月份調整", "2024年6月份", "2024-06", "month"),
    ("二〇一二年七月提告", "二〇一二年七月", "2012-07", "month"),
    ("2025 年 3 月開始進口重稀土", "2025 年 3 月", "2025-03", "month"),
    ("2025年10月中國宣布新措施", "2025年10月", "2025-10", "month"),
    # parts of months and years
    ("2025年10月底推出無稀土馬達", "2025年10月底", "2025-10", "part-of-month"),
    ("2026年2月中旬返港", "2026年2月中旬", "2026-02", "part-of-month"),
    ("2024年5月初公布", "2024年5月初", "2024-05", "part-of-month"),
    ("2025年12月下旬", "2025年12月下旬", "2025-12", "part-of-month"),
    ("2024年底完工", "2024年底", "2024-12", "part-of-year"),
    ("2024 年年底正式投產", "2024 年年底", "2024-12", "part-of-year"),
    ("2026年初召開峰會", "2026年初", "2026-01", "part-of-year"),
    ("2023年末的庫存", "2023年末", "2023-12", "part-of-year"),
    ("2025年上半年出口下滑", "2025年上半年", "2025-H1", "half"),
    ("2025年下半年回升", "2025年下半年", "2025-H2", "half"),
    ("2025年第三季營收", "2025年第三季", "2025-Q3", "quarter"),
    ("2025年第4季度", "2025年第4季度", "2025-Q4", "quarter"),
    ("2024年Q2財報", "2024年Q2", "2024-Q2", "quarter"),
    ("2025年前三季累計出口", "2025年前三季", "2025-Q1/2025-Q3", "interval"),
    # years
    ("鄧小平在1992年南巡", "1992年", "1992", "year"),
    ("1927年首次發現稀土礦", "1927年", "1927", "year"),
    ("二〇一〇年的禁運", "二〇一〇年", "2010", "year"),
    ("根據統計，2022年美國產量回升", "2022年", "2022", "year"),
    ("前科：2022年裴洛西訪台後", "2022年", "2022", "year"),
    ("施嚴格管制,2006年起徵收出口稅", "2006年", "2006", "year"),
    ("2000年前後，中國產量已居首位", "2000年前後", "2000", "year"),
    ("1985年生，曾任記者", "1985年", "1985", "year"),
    ("2030年目標是自給一成", "2030年", "2030", "year"),
    # periods
    ("2019-2022年美國進口來源", "2019-2022年", "2019/2022", "interval"),
    ("2019至2022年的平均值", "2019至2022年", "2019/2022", "interval"),
    ("1950-2019年間的專利申請", "1950-2019年", "1950/2019", "interval"),
    ("預計要到2026/2027年才投產", "2026/2027年", "2026/2027", "interval"),
    ("2019年至2022年間的資料", "2019年至2022年", "2019/2022", "interval"),
    ("2025年10月至2026年3月的配額", "2025年10月至2026年3月", "2025-10/2026-03", "interval"),
    ("2025年4、5月出口驟降", "2025年4、5月", "2025-04/2025-05", "interval"),
    ("2025年1至3月出口量", "2025年1至3月", "2025-01/2025-03", "interval"),
    ("2024年7-9月進口", "2024年7-9月", "2024-07/2024-09", "interval"),
    ("2026年3月5日-8日舉行展覽", "2026年3月5日-8日", "2026-03-05/2026-03-08", "interval"),
    ("2026年3月5至8日", "2026年3月5至8日", "2026-03-05/2026-03-08", "interval"),
    ("1990年代，中國產量暴增", "1990年代", "1990/1999", "decade"),
    ("1950年代開始小規模生產", "1950年代", "1950/1959", "decade"),
    ("2000年代初期", "2000年代初期", "2000/2009", "decade"),
    ("直到1980年代中期才建立儲備", "1980年代中期", "1980/1989", "decade"),
    ("20世紀80年代中國開始重視稀土", "20世紀80年代", "1980/1989", "decade"),
    ("二十世紀七十年代", "二十世紀七十年代", "1970/1979", "decade"),
    ("上世紀90年代", "上世紀90年代", "1990/1999", "decade"),
    ("二十一世紀初，中國主導精煉", "二十一世紀初", "2001/2010", "part-of-century"),
    ("自20世紀末起供應版圖轉移", "20世紀末", "1990/1999", "part-of-century"),
    ("19世紀中葉的工業革命", "19世紀中葉", "1841/1860", "part-of-century"),
    ("整個20世紀", "20世紀", "1901/2000", "century"),
    ("冷戰時期美國曾大量生產", "冷戰時期", "1947/1991", "era"),
    ("二次大戰後的秩序", "二次大戰", "1939/1945", "era"),
    ("在川普第一任期時曾推動合作", "第一任期", "2017/2021", "era"),
    # fiscal years and ROC years
    ("2011年度起推動替代材料研發", "2011年度", "2011", "year"),
    ("美軍2021財年撥款", "2021財年", "2021", "year"),
    ("FY2025預算", "FY2025", "2025", "year"),
    ("民國113年進口量創新高", "民國113年", "2024", "year"),
    ("民國一一三年", "民國一一三年", "2024", "year"),
    ("民國112年3月1日起施行", "民國112年3月1日", "2023-03-01", "day"),
]


@pytest.mark.parametrize("text,surface,value,granularity", EXPLICIT)
def test_explicit_forms(text: str, surface: str, value: str, granularity: str) -> None:
    got = extract_times(text, None)
    _check_offsets(text, got)
    hits = [t for t in got if t.surface == surface]
    assert len(hits) == 1, [(t.surface, t.value) for t in got]
    t = hits[0]
    assert (t.value, t.granularity) == (value, granularity)
    assert t.basis in ("explicit", "inferred")  # eras and 上世紀 are inferred readings


# --------------------------------------------------------------------------- relative forms

RELATIVE = [
    # deictic years
    ("今年稀土出口創新高", REF, "今年", "2026", "publication"),
    ("去年日本進口稀土約六成來自中國", REF, "去年", "2025", "publication"),
    ("明年將完工", REF, "明年", "2027", "publication"),
    ("前年的數據", REF, "前年", "2024", "publication"),
    ("後年才會量產", REF, "後年", "2028", "publication"),
    ("今年底前完成", REF, "今年底", "2026-12", "publication"),
    ("去年年底的庫存", REF, "去年年底", "2025-12", "publication"),
    ("明年初啟用", REF, "明年初", "2027-01", "publication"),
    ("今年上半年進口下滑", REF, "今年上半年", "2026-H1", "publication"),
    ("去年第三季", REF, "去年第三季", "2025-Q3", "publication"),
    ("今年度預算", REF, "今年度", "2026", "publication"),
    ("今年1月6日北京宣布", REF, "今年1月6日", "2026-01-06", "publication"),
    ("去年12月5日起", REF, "去年12月5日", "2025-12-05", "publication"),
    ("去年10月", REF, "去年10月", "2025-10", "publication"),
    # bare month-days and months: the -9..+2 month window around the reference
    ("高市在11月7日發言", REF, "11月7日", "2025-11-07", "inferred"),
    ("預定1月26日舉行", REF, "1月26日", "2026-01-26", "inferred"),
    ("船隻將於2月中返港", REF, "2月中", "2026-02", "inferred"),
    ("3月底前提交報告", REF, "3月底", "2026-03", "inferred"),
    ("4月時曾一度暫停", REF, "4月", "2025-04", "inferred"),
    ("4月與10月兩度擴大管制", REF_DEC, "4月", "2025-04", "inferred"),
    ("10月的限制", REF_DEC, "10月", "2025-10", "inferred"),
    ("11月與美方休戰", REF_DEC, "11月", "2025-11", "inferred"),
    ("元月起實施", REF, "元月", "2026-01", "inferred"),
    ("今年1至11月累計", REF_DEC, "今年1至11月", "2025-01/2025-11", "publication"),
    ("今年前11個月進口", REF_DEC, "今年前11個月", "2025-01/2025-11", "publication"),
    ("10月至11月間", REF_DEC, "10月至11月", "2025-10/2025-11", "inferred"),
    ("12月8日", REF_DEC, "12月8日", "2025-12-08", "inferred"),
    # bare days: this month when not after the reference day, else the previous month
    ("12日華府召開部長會議", REF, "12日", "2026-01-12", "publication"),
    ("業者9日起陸續接獲通知", REF, "9日", "2026-01-09", "publication"),
    ("《華爾街日報》8日報導", REF_DEC, "8日", "2025-12-08", "publication"),
    ("財長28日表示", REF_JAN3, "28日", "2025-12-28", "publication"),
    ("31日公布數據", REF_JAN3, "31日", "2025-12-31", "publication"),
    ("3日公布數據", REF_JAN3, "3日", "2026-01-03", "publication"),
    ("14日晚間", REF, "14日", "2026-01-14", "publication"),
    ("15日晚間", REF, "15日", "2025-12-15", "publication"),
    ("會議預計20日召開", REF, "20日", "2026-01-20", "publication"),
    ("下週一（19日）降雨", date(2026, 1, 18), "19日", "2026-01-19", "publication"),
    # other deictic units
    ("本月稀土價格上漲", REF, "本月", "2026-01", "publication"),
    ("上月出口量", REF, "上月", "2025-12", "publication"),
    ("上個月", REF, "上個月", "2025-12", "publication"),
    ("下個月起", REF, "下個月", "2026-02", "publication"),
    ("本月底前", REF, "本月底", "2026-01", "publication"),
    ("上週宣布", REF, "上週", "2026-W02", "publication"),
    ("本週召開", REF, "本週", "2026-W03", "publication"),
    ("下週五交貨", REF, "下週五", "2026-01-23", "publication"),
    ("今日收盤", REF, "今日", "2026-01-14", "publication"),
    ("昨日表示", REF, "昨日", "2026-01-13", "publication"),
    ("昨天宣布", REF, "昨天", "2026-01-13", "publication"),
    ("明天出發", REF, "明天", "2026-01-15", "publication"),
    ("經濟部今（14）日公布", REF, "今（14）日", "2026-01-14", "publication"),
    ("部長昨(13)日表示", REF, "昨(13)日", "2026-01-13", "publication"),
    ("上季營收", REF, "上季", "2025-Q4", "publication"),
    ("本季度出貨", REF, "本季度", "2026-Q1", "publication"),
    ("年底前完成", REF, "年底", "2026-12", "publication"),
    ("年初的高點", REF, "年初", "2026-01", "publication"),
    ("下半年可望回溫", REF, "下半年", "2026-H2", "publication"),
    ("第三季營收", REF, "第三季", "2026-Q3", "publication"),
    ("月底前", REF, "月底", "2026-01", "publication"),
    # ago and spans
    ("早在15年前就吃過虧", REF_DEC, "15年前", "2010", "publication"),
    ("兩年前爆發弊案", REF, "兩年前", "2024", "publication"),
    ("十五年前", REF_DEC, "十五年前", "2010", "publication"),
    ("3個月前", REF, "3個月前", "2025-10", "publication"),
    ("5天前", REF, "5天前", "2026-01-09", "publication"),
    ("十多年來日本持續分散", REF, "十多年來", "2016/2026", "publication"),
    ("15年來首見", REF_DEC, "15年來", "2010/2025", "publication"),
    ("過去15年來無法克服", REF_DEC, "過去15年來", "2010/2025", "publication"),
    ("過去10年", REF, "過去10年", "2016/2026", "publication"),
    ("為什麼過去15年沒有成功", REF_DEC, "過去15年", "2010/2025", "publication"),
    ("近10年來", REF, "近10年來", "2016/2026", "publication"),
    ("未來十年要降到五成以下", REF, "未來十年", "2026/2036", "publication"),
    ("未來5年內", REF, "未來5年內", "2026/2031", "publication"),
    ("過去6個月", REF, "過去6個月", "2025-07/2026-01", "publication"),
    ("21世紀以來管制漸嚴", date(2025, 6, 15), "21世紀以來", "2001/2025", "publication"),
    ("近年來美中角力", REF, "近年來", "2021/2026", "publication"),
]


@pytest.mark.parametrize("text,ref,surface,value,basis", RELATIVE)
def test_relative_forms(text: str, ref: date, surface: str, value: str, basis: str) -> None:
    got = extract_times(text, ref)
    _check_offsets(text, got)
    hits = [t for t in got if t.surface == surface]
    assert len(hits) == 1, [(t.surface, t.value) for t in got]
    assert (hits[0].value, hits[0].basis) == (value, basis)
    assert hits[0].anchor is not None


# Without a reference date nothing relative is guessed.
UNRESOLVED = [
    ("今年稀土出口創新高", "今年"),
    ("去年年底的庫存", "去年年底"),
    ("今年1月6日北京宣布", "今年1月6日"),
    ("高市在11月7日發言", "11月7日"),
    ("船隻將於2月中返港", "2月中"),
    ("12日華府召開部長會議", "12日"),
    ("本月稀土價格上漲", "本月"),
    ("上週宣布", "上週"),
    ("昨日表示", "昨日"),
    ("年底前完成", "年底"),
    ("第三季營收", "第三季"),
    ("早在15年前就吃過虧", "15年前"),
    ("十多年來日本持續分散", "十多年來"),
    ("過去15年來無法克服", "過去15年來"),
    ("未來十年要降到五成以下", "未來十年"),
    ("21世紀以來管制漸嚴", "21世紀以來"),
    ("同年7月宣布", "同年7月"),
    ("當年日本九成仰賴中國", "當年"),
    ("11月至12月審批放緩", "11月至12月"),
    ("4、5月的出口", "4、5月"),
]


@pytest.mark.parametrize("text,surface", UNRESOLVED)
def test_unresolved_without_reference(text: str, surface: str) -> None:
    got = extract_times(text, None)
    _check_offsets(text, got)
    hits = [t for t in got if t.surface == surface]
    assert len(hits) == 1, [(t.surface, t.value) for t in got]
    assert hits[0].value is None and hits[0].basis == "unresolved"


# --------------------------------------------------------------------------- context

CONTEXT = [
    # anaphora: 同年/當年/那一年 take the most recent explicit year
    ("2021年工信部發布草案。同年，官方組建集團。", REF, [("2021年", "2021"), ("同年", "2021")]),
    ("2023年中國管制鎵鍺。同年7月再擴大範圍。", REF, [("2023年", "2023"), ("同年7月", "2023-07")]),
    ("2010年稀土戰爆發，當年日本九成仰賴中國。", REF, [("2010年", "2010"), ("當年", "2010")]),
    ("2011年注資萊納斯。那一年也遇到危機。", REF, [("2011年", "2011"), ("那一年", "2011")]),
    ("2019年簽約，翌年完工。", REF, [("2019年", "2019"), ("翌年", "2020")]),
    ("2024年5月簽約，同月動工。", REF, [("2024年5月", "2024-05"), ("同月", "2024-05")]),
    # a year earlier in the same sentence fixes a bare month
    (
        "2025年中國擴大管制，導致4、5月出口驟降，但6月後回升。",
        None,
        [("2025年", "2025"), ("4、5月", "2025-04/2025-05"), ("6月", "2025-06")],
    ),
    ("2024年3月5日至8日舉行", None, [("2024年3月5日至8日", "2024-03-05/2024-03-08")]),
    ("1月6日公告，9日生效", REF, [("1月6日", "2026-01-06"), ("9日", "2026-01-09")]),
    # a 今年 that only anchors a later month is folded into it
    ("今年中國先後在4月與10月擴大管制", REF_DEC, [("4月", "2025-04"), ("10月", "2025-10")]),
    ("直到今年為止，該廠仍是唯一", REF_DEC, [("今年", "2025")]),
    # ranges
    ("中國在11月至12月放緩審批", date(2026, 1, 18), [("11月至12月", "2025-11/2025-12")]),
    ("2019年到2022年", None, [("2019年到2022年", "2019/2022")]),
    ("自2025年12月起，中方逐步制裁", REF, [("2025年12月", "2025-12")]),
    # a new sentence does not inherit the year (the next 1月 is the publication's)
    (
        "自2025年12月起逐步制裁。商務部亦於1月6日公告。",
        REF,
        [("2025年12月", "2025-12"), ("1月6日", "2026-01-06")],
    ),
    # weekday context does not leak a year into a month-day
    ("上週六(12月6日)起", date(2026, 1, 18), [("上週六", "2026-01-10"), ("12月6日", "2025-12-06")]),
]


@pytest.mark.parametrize("text,ref,expected", CONTEXT)
def test_context_resolution(text: str, ref: date | None, expected: list[tuple[str, str]]) -> None:
    assert _pairs(text, ref) == expected


# --------------------------------------------------------------------------- traps

TRAPS = [
    "耗時3年才完成",  # duration
    "歷經三週的開採",
    "禁運持續兩個月",
    "投入十餘年研發",
    "需要十年時間",
    "出口量為2,025噸",
    "年產2025噸氧化物",
    "一日千里的進展",
    "投資1000億日圓",
    "補助12日圓",
    "七大工業國（G7）",
    "F-35戰鬥機",
    "Model 3改用永磁馬達",
    "Lynas 2025 計畫",
    "《2021財年國防授權法》",
    "《2022基礎設施法案》",
    "HS 2805.30-000",
    "第二次稀土戰",
    "第一島鏈",
    "統一戰線",
    "這幾年來",
    "之後數年",
    "幾週後",
    "未來若干年",
    "數十年投入",
    "幾十年下來",
    "殺敵一千、自損七百",
    "3,500萬美元",
    "每日產量",
    "長達1000年的歷史",
    "第3日",
    "8月票",  # not followed by a date-ish word, still must not crash
    "12.5日",
    "5000年",
    "0年",
    "7日內完成審查",
    "今日美國報導",
    "同年齡的學生",
    "3日遊",
]


@pytest.mark.parametrize("text", TRAPS)
def test_traps_yield_no_time(text: str) -> None:
    if text == "8月票":
        # a bare month is still read as a month; what matters is no crash and valid offsets
        _pairs(text, REF)
        return
    assert _pairs(text, REF) == []


# --------------------------------------------------------------------------- attributes


def test_clock_is_kept_in_surface() -> None:
    text = "記者 2025年06月15日 06:10:00 報導"
    (t,) = extract_times(text)
    assert t.surface == "2025年06月15日 06:10:00"
    assert (t.value, t.clock) == ("2025-06-15", "06:10:00")


def test_clock_on_numeric_date() -> None:
    (t,) = extract_times("更新於2026/01/12 09:30")
    assert (t.value, t.clock) == ("2026-01-12", "09:30:00")


@pytest.mark.parametrize(
    "text,surface",
    [
        ("2011年度起", "2011年度"),
        ("2021財年", "2021財年"),
        ("113年度預算", "113年度"),
        ("FY 2024", "FY 2024"),
    ],
)
def test_fiscal_flag(text: str, surface: str) -> None:
    (t,) = extract_times(text, roc_years=True)
    assert t.surface == surface and t.fiscal


@pytest.mark.parametrize(
    "text,part",
    [
        ("2025年10月底", "late"),
        ("2026年初", "early"),
        ("2026年2月中旬", "mid"),
        ("二十一世紀初", "early"),
        ("1980年代中期", "mid"),
    ],
)
def test_part(text: str, part: str) -> None:
    (t,) = extract_times(text)
    assert t.part == part


@pytest.mark.parametrize(
    "text,modifier",
    [
        ("自2020年以來", "since"),
        ("2016年起", "since"),
        ("2010年後", "after"),
        ("2026年前仍需依賴", "before"),
        ("直到2025年為止", "until"),
        ("2000年前後", "approx"),
        ("2010年後3年", None),
        ("1992年開發", None),
    ],
)
def test_modifier(text: str, modifier: str | None) -> None:
    (t,) = extract_times(text)
    assert t.modifier == modifier


def test_approximate_and_vague_flags() -> None:
    (a,) = extract_times("十多年來", REF)
    assert a.approximate and not a.vague
    (b,) = extract_times("近年來", REF)
    assert b.vague and b.kind == "period"


def test_roc_years_only_when_asked() -> None:
    assert _pairs("113年進口量", None) == []
    assert _pairs("113年進口量", None, roc_years=True) == [("113年", "2024")]
    assert _pairs("預算於112年12月通過", None, roc_years=True) == [("112年12月", "2023-12")]
    # small numbers of years are durations even in government text
    assert _pairs("計畫為期15年", None, roc_years=True) == []


def test_kind_and_relative() -> None:
    got = {t.surface: t for t in extract_times("2010年與去年及1990年代", REF)}
    assert got["2010年"].kind == "point" and not got["2010年"].relative
    assert got["去年"].relative
    assert got["1990年代"].kind == "period"


def test_record_round_trip() -> None:
    (t,) = extract_times("2025年第三季", None)
    d = t.to_dict()
    assert d["schema"] == "time/1" and d["type"] == "time"
    assert {"surface", "start", "end", "value", "granularity", "basis", "kind"} <= d.keys()
    assert TimeExpr.from_dict(d) == t


def test_sorted_by_start() -> None:
    text = "2010年禁運，2012年提告，2014年敗訴，去年又管制。"
    got = extract_times(text, REF)
    assert [t.start for t in got] == sorted(t.start for t in got)
    assert [t.value for t in got] == ["2010", "2012", "2014", "2025"]


# --------------------------------------------------------------------------- regressions


def test_mid_month_is_not_china() -> None:
    """2025年10月中國宣布: 中 belongs to 中國, so this is a plain month."""
    (t,) = extract_times("2025年10月中國宣布")
    assert (t.surface, t.granularity, t.part) == ("2025年10月", "month", None)


def test_year_after_halfwidth_comma() -> None:
    """出口管制,2006年起 (half-width comma between CJK) is still a year."""
    assert _pairs("出口管制,2006年起") == [("2006年", "2006")]


def test_year_after_colon() -> None:
    """前科：2022年 (full-width colon) is still a year."""
    assert _pairs("前科：2022年") == [("2022年", "2022")]


def test_title_in_book_quotes_is_not_a_date() -> None:
    """《2026年度兩用物項清單》 names a document, not a date."""
    assert _pairs("公布《2026年度兩用物項清單》") == []


def test_holder_bound_era_needs_holder() -> None:
    """第一任期 alone is nobody's term."""
    assert _pairs("在其第一任期") == []


def test_next_week_day_is_future() -> None:
    """下週一（19日） read on the 18th is tomorrow, not last month."""
    got = _pairs("預計下週一（19日）轉涼", date(2026, 1, 18))
    assert got == [("下週一", "2026-01-19"), ("19日", "2026-01-19")]


def test_twelve_days_is_not_a_date_after_duration_word() -> None:
    """連續12日 is a duration."""
    assert _pairs("連續12日下跌", REF) == []


# --------------------------------------------------------------------------- properties

_FRAGMENTS = [
    "2026年1月12日",
    "今年",
    "12日",
    "，",
    "。",
    "稀土",
    "2019-2022年",
    "11月至12月",
    "15年前",
    "同年",
    "1990年代",
    "近年",
    "出口",
    " ",
    "2,025噸",
    "二〇一〇年",
    "年底",
    "\n",
    "《2021財年》",
    "第三季",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=12), st.sampled_from([None, REF, REF_JAN3]))
def test_offsets_always_hold(parts: list[str], ref: date | None) -> None:
    text = "".join(parts)
    _check_offsets(text, extract_times(text, ref))


# ---------------------------------------------------------------- undated documents


@pytest.mark.parametrize(
    ("case", "text", "ref", "expected"),
    [
        (
            "latest_reported_day_anchors_this_year",
            "經濟部於2025年11月3日公布新措施。今年3月起補助擴大，兩年前的計畫已結束。",
            date(2025, 11, 3),
            {"今年3月": "2025-03", "兩年前": "2023"},
        ),
        (
            "a_date_still_to_come_is_no_report",
            "經濟部2025年5月2日表示，新法將於2027年1月1日施行。去年出口量大減。",
            date(2025, 5, 2),
            {"去年": "2024"},
        ),
        (
            "effective_date_without_a_future_cue_is_reported",
            "2026年元月1日起修訂後的礦業法生效。今年1月6日，主管機關宣布新的管制。",
            date(2026, 1, 1),
            {"今年1月6日": "2026-01-06"},
        ),
    ],
)
def test_undated_document_resolves_against_its_latest_reported_day(
    case: str, text: str, ref: date, expected: dict[str, str]
) -> None:
    exprs, got_ref = extract_times_undated(text)
    assert got_ref == ref, case
    by_surface = {t.surface: t for t in exprs}
    for surface, value in expected.items():
        assert by_surface[surface].value == value, (case, surface)
        assert by_surface[surface].basis == "inferred", (case, surface)


def test_undated_document_without_a_full_date_leaves_relative_times_unresolved() -> None:
    exprs, ref = extract_times_undated("2025年出口量大減，今年仍未回升。")
    assert ref is None
    by_surface = {t.surface: t for t in exprs}
    assert by_surface["2025年"].value == "2025"
    assert by_surface["今年"].value is None


def test_dated_document_keeps_publication_basis() -> None:
    """The inference is only for undated documents: a publication date always wins."""
    text = "經濟部於2025年11月3日公布新措施。今年3月起補助擴大。"
    times = {t["surface"]: t for t in analyze(text, reference_date=date(2026, 2, 1))["times"]}
    assert (times["今年3月"]["value"], times["今年3月"]["basis"]) == ("2026-03", "publication")
    undated = {t["surface"]: t for t in analyze(text)["times"]}
    assert (undated["今年3月"]["value"], undated["今年3月"]["basis"]) == ("2025-03", "inferred")
