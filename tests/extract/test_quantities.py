"""Table-driven tests for the quantity extractor (own news-style phrasing).

Each case lists *every* quantity the sentence must yield, as
(surface, value, unit, qualifier); a value tuple (lo, hi) means a range. Sentences
without expectations are traps that must yield nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.quantities import Quantity, extract_quantities, extract_quantities_dicts

Expected = tuple[str, Any, str | None, str]


@dataclass(frozen=True)
class C:
    """One sentence and the quantities it must yield."""

    text: str
    expected: tuple[Expected, ...]

    def __init__(self, text: str, *expected: Expected) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "expected", expected)


# ---- percents
PERCENT = [
    C("澳洲礦商的氧化鐠釹產量今年成長58%。", ("58%", 58, "%", "exact")),
    C("該國稀土出口量年減3.5%，創下新低。", ("3.5%", 3.5, "%", "exact")),
    C("日本磁鐵廠的毛利率為０．８％。", ("０．８％", 0.8, "%", "exact")),
    C("越南供應比重升至１２％。", ("１２％", 12, "%", "exact")),
    C("韓國電池業者對石墨的依賴度達97%。", ("97%", 97, "%", "exact")),
    C("歐盟要求回收料占比 25 %，以降低風險。", ("25 %", 25, "%", "exact")),
    C("去化率為百分之三十五。", ("百分之三十五", 35, "%", "exact")),
    C("鈰的價格僅上漲百分之○點三。", ("百分之○點三", 0.3, "%", "exact")),
    C("其中百分之12.5來自回收。", ("百分之12.5", 12.5, "%", "exact")),
    C("非洲礦場供應九成的鈷原料。", ("九成", 90, "%", "exact")),
    C("美國進口的鎵有7成來自中國。", ("7成", 70, "%", "exact")),
    C("加拿大的精煉產能約占兩成。", ("約占兩成", 20, "%", "approx")),
    C("氧化鏑的庫存減少了一成。", ("一成", 10, "%", "exact")),
    C("全球釹鐵硼磁鐵產能三分之一在江西。", ("三分之一", 100 / 3, "%", "exact")),
    C("政府補貼上限為四分之三。", ("上限為四分之三", 75, "%", "at_most")),
    C("這家冶煉廠供應了二分之一的需求。", ("二分之一", 50, "%", "exact")),
    C("電動車用量占總需求的五分之二。", ("五分之二", 40, "%", "exact")),
    C("印尼的鎳產量占全球一半。", ("一半", 50, "%", "exact")),
    C("全球鎢礦產量過半來自中國。", ("過半", 50, "%", "more_than")),
    C("逾半數受訪企業擔心斷鏈。", ("逾半數", 50, "%", "more_than")),
    C("近半數廠商已建立安全庫存。", ("近半數", 50, "%", "nearly")),
    C("超過半數的鋰電池回收廠位於亞洲。", ("超過半數", 50, "%", "more_than")),
    C("豐田計畫把新馬達的釹用量減半。", ("減半", 50, "%", "exact")),
    C("失業率上升0.4個百分點。", ("0.4個百分點", 0.4, "pp", "exact")),
    C("市占率下滑3百分點。", ("3百分點", 3, "pp", "exact")),
    C("出口退稅率最高為13%。", ("最高為13%", 13, "%", "at_most")),
    C("該國的鈷自給率達到一成五。", ("一成五", 15, "%", "exact")),
    C("市占率約3成5。", ("約3成5", 35, "%", "approx")),
    C("不良率為千分之五。", ("千分之五", 0.5, "%", "exact")),
    C("出口中斷的機率不下於三成。", ("不下於三成", 30, "%", "at_least")),
]

# ---- money
MONEY = [
    C("經產省編列379億日圓的回收補助。", ("379億日圓", 3.79e10, "JPY", "exact")),
    C("這項計畫耗資1,200億日元。", ("1,200億日元", 1.2e11, "JPY", "exact")),
    C("五角大樓撥款4.39億美元支持分離廠。", ("4.39億美元", 4.39e8, "USD", "exact")),
    C("國防部提供3500萬美元給磁鐵廠。", ("3500萬美元", 3.5e7, "USD", "exact")),
    C("基金規模為2.5 億美元。", ("2.5 億美元", 2.5e8, "USD", "exact")),
    C("日方注資 2 億澳幣開發重稀土。", ("2 億澳幣", 2e8, "AUD", "exact")),
    C("澳洲政府提供12億澳元低利貸款。", ("12億澳元", 1.2e9, "AUD", "exact")),
    C("歐盟將投入30億歐元建立儲備。", ("30億歐元", 3e9, "EUR", "exact")),
    C("經濟部補助新創公司3000萬元。", ("3000萬元", 3e7, "TWD", "exact")),
    C("這座回收廠投資約312億元台幣。", ("約312億元台幣", 3.12e10, "TWD", "approx")),
    C("工研院獲得新台幣5億元經費。", ("新台幣5億元", 5e8, "TWD", "exact")),
    C("台電將花費1.5億台幣更新設備。", ("1.5億台幣", 1.5e8, "TWD", "exact")),
    C("中國稀土集團去年營收達人民幣600億元。", ("人民幣600億元", 6e10, "CNY", "exact")),
    C("江西礦企獲補貼8億人民幣。", ("8億人民幣", 8e8, "CNY", "exact")),
    C("韓國浦項投入2兆韓元興建鋰廠。", ("2兆韓元", 2e12, "KRW", "exact")),
    C("港商以50億港元收購礦權。", ("50億港元", 5e9, "HKD", "exact")),
    C("倫敦金屬交易所的鎳價跌至每噸1.6萬美元。", ("1.6萬美元", 1.6e4, "USD", "exact")),
    C("該國財政部撥出3.2萬億日圓的預算。", ("3.2萬億日圓", 3.2e12, "JPY", "exact")),
    C("交易金額為6萬2,474美元。", ("6萬2,474美元", 62474, "USD", "exact")),
    C("日本政府今年編列一千五百億日圓。", ("一千五百億日圓", 1.5e11, "JPY", "exact")),
    C("這筆貸款為US$300萬。", ("US$300萬", 3e6, "USD", "exact")),
]

# ---- measures
MEASURE = [
    C("礦區稀土氧化物儲量為1600萬噸。", ("1600萬噸", 1.6e7, "t", "exact")),
    C("去年進口了6,648公噸稀土。", ("6,648公噸", 6648, "t", "exact")),
    C("大陸廠商出貨3万吨镨钕。", ("3万吨", 3e4, "t", "exact")),
    C("這台設備每次可熔煉2公斤合金。", ("2公斤", 2, "kg", "exact")),
    C("每輛電動車約用1.5kg的釹。", ("約用1.5kg", 1.5, "kg", "approx")),
    C("一架戰機含有920磅稀土。", ("920磅", 920, "lb", "exact")),
    C("鑽探船在水深6,000公尺處取樣。", ("6,000公尺", 6000, "m", "exact")),
    C("採樣點離島150公里。", ("150公里", 150, "km", "exact")),
    C("管線全長300km。", ("300km", 300, "km", "exact")),
    C("新廠區面積12公頃。", ("12公頃", 12, "ha", "exact")),
    C("濃縮鈾能力提升至450tSWU。", ("450tSWU", 450, "tSWU", "exact")),
    C("風場裝置容量為500MW。", ("500MW", 500, "MW", "exact")),
    C("晶片製程已進入3奈米。", ("3奈米", 3, "nm", "exact")),
    C("該礦區年處理礦石80萬噸。", ("80萬噸", 8e5, "t", "exact")),
    C("尾礦堆高達45英尺。", ("45英尺", 45, "ft", "exact")),
    C("巴西擁有2100萬噸的稀土資源量。", ("2100萬噸", 2.1e7, "t", "exact")),
]

# ---- counts
COUNT = [
    C("商務部的管制清單多達800餘項。", ("800餘項", 800, "item", "more_than")),
    C("全球共有120家磁鐵製造商。", ("120家", 120, "company", "exact")),
    C("聯盟包括13國和地區。", ("13國", 13, "country", "exact")),
    C("共有25個國家簽署協議。", ("25個國家", 25, "country", "exact")),
    C("中國累計申請專利近2.6萬項。", ("近2.6萬項", 26000, "item", "nearly")),
    C("日本累計取得1.39萬項專利。", ("1.39萬項", 13900, "item", "exact")),
    C("約3000人參加了展覽。", ("約3000人", 3000, "person", "approx")),
    C("海巡署派出兩艘巡邏艇。", ("兩艘", 2, "vessel", "exact")),
    C("美軍部署12架戰機。", ("12架", 12, "aircraft", "exact")),
    C("該公司在海內外擁有數百項磁鐵專利。", ("數百項", (200, 900), "item", "range")),
    C("共有20餘家企業申請補助。", ("20餘家", 20, "company", "more_than")),
    C("工廠聘用了500名員工。", ("500名", 500, "person", "exact")),
    C("去年發生了3起礦災。", ("3起", 3, "case", "exact")),
    C("十多家車廠表態支持。", ("十多家", 10, "company", "more_than")),
    C("這次會議有上百名代表。", ("上百名", 100, "person", "at_least")),
    C("全國有百餘家回收廠。", ("百餘家", 100, "company", "more_than")),
    C("港口囤積逾百萬噸礦砂。", ("逾百萬噸", 1e6, "t", "more_than")),
    C("這個產業聚落有近千名工程師。", ("近千名", 1000, "person", "nearly")),
    C("百年大計不能急。"),
    C("好幾家車廠與數個研究機構加入聯盟。"),
    C("兩三家企業掌握分離技術。"),
    C("總有一天會用完。"),
]

# ---- durations
DURATION = [
    C("礦山從探勘到量產需要10年。", ("10年", 10, "year", "exact")),
    C("日方尋求替代來源已經十多年。", ("十多年", 10, "year", "more_than")),
    C("資源外交持續了十餘年。", ("十餘年", 10, "year", "more_than")),
    C("禁運長達兩個月。", ("兩個月", 2, "month", "exact")),
    C("制裁若超過三個月，損失將擴大。", ("超過三個月", 3, "month", "more_than")),
    C("預計耗時約三週完成取樣。", ("約三週", 3, "week", "approx")),
    C("試運轉為期5天。", ("5天", 5, "day", "exact")),
    C("新廠建設需時18個月。", ("18個月", 18, "month", "exact")),
    C("若限制延長至一年，損失將翻倍。", ("一年", 1, "year", "exact"), ("翻倍", 2, "x", "exact")),
    C("美國可能只需大約一年就能補足缺口。", ("大約一年", 1, "year", "approx")),
    C("庫存可支撐國內產業數月需求。", ("數月", (2, 9), "month", "range")),
    C("經過數十年投入，技術已成熟。", ("數十年", (20, 90), "year", "range")),
    C("幾十年下來，依賴度大幅下降。", ("幾十年", (20, 90), "year", "range")),
    C("海底泥的蘊藏可用上數百年以上。", ("數百年以上", 200, "year", "at_least")),
    C("談判拖了一年半才結束。", ("一年半", 1.5, "year", "exact")),
    C("工程延宕了兩個多月。", ("兩個多月", 2, "month", "more_than")),
    C("他在礦業界工作了三十年。", ("三十年", 30, "year", "exact")),
    C("交期縮短為48小時。", ("48小時", 48, "hour", "exact")),
    C("每次停機約30分鐘。", ("約30分鐘", 30, "minute", "approx")),
    C("船隊將在海上停留六週。", ("六週", 6, "week", "exact")),
    C("該廠計畫用3年時間擴產。", ("3年", 3, "year", "exact")),
    C("經過十年努力，依賴度顯著下降。", ("十年", 10, "year", "exact")),
    C("合約期限為5年半。", ("5年半", 5.5, "year", "exact")),
    C("若管制持續半年以上，車廠將停工。", ("半年以上", 0.5, "year", "at_least")),
    C("港口壅塞超過半年。", ("超過半年", 0.5, "year", "more_than")),
    C("上半年出口成長。"),
    C("過去半年價格翻漲。"),
    C("試產期約半個月。", ("約半個月", 0.5, "month", "approx")),
    C("回收廠建設需要5-7年。", ("5-7年", (5, 7), "year", "range")),
    C("政府要在3年內建立替代供應鏈。", ("3年內", 3, "year", "at_most")),
    C("新礦須於18個月之內投產。", ("18個月之內", 18, "month", "at_most")),
]
# ---- prefix and suffix hedges
HEDGES = [
    C("中國控制全球約91%的精煉產能。", ("約91%", 91, "%", "approx")),
    C("緬甸供應量大約三成。", ("大約三成", 30, "%", "approx")),
    C("澳洲的份額為40%左右。", ("40%左右", 40, "%", "approx")),
    C("配額壓縮到3萬噸左右。", ("3萬噸左右", 3e4, "t", "approx")),
    C("回收率在15%上下。", ("15%上下", 15, "%", "approx")),
    C("高性能磁鐵產能接近95%集中於中國。", ("接近95%", 95, "%", "nearly")),
    C("進口依賴一度近100%。", ("近100%", 100, "%", "nearly")),
    C("氧化鈰仍有近八成仰賴單一來源。", ("近八成", 80, "%", "nearly")),
    C("鋰輝石出口將近六成流向中國。", ("將近六成", 60, "%", "nearly")),
    C("美國幾乎100%依賴進口鎵。", ("幾乎100%", 100, "%", "nearly")),
    C("國防部已撥款逾4.39億美元。", ("逾4.39億美元", 4.39e8, "USD", "more_than")),
    C("儲量估計超過1600萬噸。", ("超過1600萬噸", 1.6e7, "t", "more_than")),
    C("需求年增率高於8%。", ("高於8%", 8, "%", "more_than")),
    C("四氯化鍺進口中國占比>8成。", (">8成", 80, "%", "more_than")),
    C("四氯化鍺進口中國占比&gt;8成。", ("&gt;8成", 80, "%", "more_than")),
    C("銻金屬的中國占比3成多。", ("3成多", 30, "%", "more_than")),
    C("新能源車滲透率已達三成以上。", ("三成以上", 30, "%", "at_least")),
    C("2010年依賴度在90%以上。", ("90%以上", 90, "%", "at_least")),
    C("產能需達5,000 噸以上才具規模。", ("5,000 噸以上", 5000, "t", "at_least")),
    C("至少20%的原料須來自盟國。", ("至少20%", 20, "%", "at_least")),
    C("日本目標是把依賴度降到5成以下。", ("5成以下", 50, "%", "at_most")),
    C("任一外國來源占比不超過65%。", ("不超過65%", 65, "%", "at_most")),
    C("日法合資公司投資最多 1.1 億歐元。", ("最多 1.1 億歐元", 1.1e8, "EUR", "at_most")),
    C("政府將提供最高二分之一的補助。", ("最高二分之一", 50, "%", "at_most")),
    C("對出口產品最高實行17%的退稅。", ("最高實行17%", 17, "%", "at_most")),
    C(
        "中國占比從九成降至不到六成。",
        ("九成", 90, "%", "exact"),
        ("不到六成", 60, "%", "less_than"),
    ),
    C("年需求量原本不到 4,000 噸。", ("不到 4,000 噸", 4000, "t", "less_than")),
    C("新廠的良率低於70%。", ("低於70%", 70, "%", "less_than")),
    C("庫存未滿三個月的用量。", ("未滿三個月", 3, "month", "less_than")),
    C("依賴度一度高達90%。", ("90%", 90, "%", "exact")),
    C("部門產值恐萎縮高達17.6%。", ("17.6%", 17.6, "%", "exact")),
    C("關稅率達15%。", ("15%", 15, "%", "exact")),
    C("法國工廠的產量僅為中國的1.3%。", ("1.3%", 1.3, "%", "exact")),
    C("清單多達800項。", ("800項", 800, "item", "exact")),
    C("驅逐艦約需要5200磅稀土。", ("約需要5200磅", 5200, "lb", "approx")),
    C("產能不到中國2018年產量的1%。", ("不到中國2018年產量的1%", 1, "%", "less_than")),
    C("這批訂單超過全球需求的一半。", ("超過全球需求的一半", 50, "%", "more_than")),
    C("美國約有80%的稀土直接來自中國。", ("約有80%", 80, "%", "approx")),
    C("條約中規定5年的過渡期。", ("5年", 5, "year", "exact")),
    C("依約將提供一半產量給日本。", ("一半", 50, "%", "exact")),
    C("該國僅有2%的重稀土分離能力。", ("2%", 2, "%", "exact")),
    C("約60%左右的產能在內蒙古。", ("約60%左右", 60, "%", "approx")),
    C("至少三成以上的設備需要更新。", ("至少三成以上", 30, "%", "at_least")),
    C("附近3公里內都是礦區。", ("3公里", 3, "km", "exact")),
    C("最近三成的新車使用無重稀土馬達。", ("三成", 30, "%", "exact")),
    C("日本的產量約達2萬噸。", ("約達2萬噸", 2e4, "t", "approx")),
]

# ---- ranges
RANGES = [
    C("日本的依賴度降至約60%至70%。", ("約60%至70%", (60, 70), "%", "range")),
    C("如今降至六至七成之間。", ("六至七成之間", (60, 70), "%", "range")),
    C("部分氧化物關稅率達15-25%。", ("15-25%", (15, 25), "%", "range")),
    C("毛利率落在4% 至 6%。", ("4% 至 6%", (4, 6), "%", "range")),
    C("價格上漲10至20%。", ("10至20%", (10, 20), "%", "range")),
    C("每台馬達需三至五公斤磁材。", ("三至五公斤", (3, 5), "kg", "range")),
    C("僅有2、3家企業具備分離技術。", ("2、3家", (2, 3), "company", "range")),
    C("產量可達2至3萬噸。", ("2至3萬噸", (2e4, 3e4), "t", "range")),
    C("建廠需要3到5年。", ("3到5年", (3, 5), "year", "range")),
    C("投資額為5億~8億美元。", ("5億~8億美元", (5e8, 8e8), "USD", "range")),
    C("比例介於20%與30%之間。", ("20%與30%之間", (20, 30), "%", "range")),
    C("進口價格上升1.5–2.0%。", ("1.5–2.0%", (1.5, 2.0), "%", "range")),
    C("回收率約在5〜8成。", ("5〜8成", (50, 80), "%", "range")),
    C("需要兩三年才能投產。", ("兩三年", (2, 3), "year", "range")),
    C(
        "資本支出為520億美元到560億美元。",
        ("520億美元到560億美元", (5.2e10, 5.6e10), "USD", "range"),
    ),
    C("這類磁鐵需要四五成的鏑。", ("四五成", (40, 50), "%", "range")),
]

# ---- vague
VAGUE = [
    C("礦區可供應全球數百年的需求。", ("數百年", (200, 900), "year", "range")),
    C("探勘周期動輒數年。", ("數年", (2, 9), "year", "range")),
    C("這項技術節省數十億美元。", ("數十億美元", (2e9, 9e9), "USD", "range")),
    C("全國有數千家回收業者。", ("數千家", (2000, 9000), "company", "range")),
    C("港口堆放了數萬噸礦砂。", ("數萬噸", (2e4, 9e4), "t", "range")),
    C("談判持續了好幾個月。", ("幾個月", (2, 9), "month", "range")),
    C("他研究稀土已十幾年。", ("十幾年", (11, 19), "year", "range")),
    C("中方於數月後恢復供應。", ("數月", (2, 9), "month", "range")),
    C("產能擴張了數十萬噸。", ("數十萬噸", (2e5, 9e5), "t", "range")),
]

# ---- multiples
MULTIPLE = [
    C("SMMV在2018年將年產能翻倍。", ("翻倍", 2, "x", "exact")),
    C("鏑價上漲3倍。", ("3倍", 3, "x", "exact")),
    C("產量增加為原本的兩倍。", ("兩倍", 2, "x", "exact")),
    C("出口量翻了一番。", ("翻了一番", 2, "x", "exact")),
    C("價格是五年前的1.5倍。", ("1.5倍", 1.5, "x", "exact")),
]

# ---- ordinals (ranks)
ORDINAL = [
    C("南鳥島為世界第三高含量場所。", ("世界第三高", 3, "rank", "exact")),
    C("越南成為日本的第二大來源。", ("第二大來源", 2, "rank", "exact")),
    C(
        "日本排名第二，美國排名第三。",
        ("排名第二", 2, "rank", "exact"),
        ("排名第三", 3, "rank", "exact"),
    ),
    C(
        "中國專利最多，排名第二的日本和第三的美國差距大。",
        ("排名第二", 2, "rank", "exact"),
        ("第三", 3, "rank", "exact"),
    ),
    C("澳洲位居全球第二。", ("位居全球第二", 2, "rank", "exact")),
    C("中國是全球第一大稀土生產國。", ("全球第一大稀土生產國", 1, "rank", "exact")),
    C("緬甸與澳洲分列第三、第四。", ("分列第三", 3, "rank", "exact"), ("第四", 4, "rank", "exact")),
    C("該市是全國第二大城市，也是重要產地。"),
    C("該市是全國第二大城。"),
    C("第二次稀土戰爆發後，日本加速布局。"),
    C("這是第一座海外分離廠。"),
    C("第三，政府必須擴大儲備。"),
    C("依照第二十條（g）款主張例外。"),
    C("日本打破第一島鏈的封鎖。"),
    C("雙方舉行第二輪談判。"),
]
# ---- traps: dates and time spans are the time extractor's
DATE_TRAPS = [
    C("2025年，中國收緊出口管制。"),
    C("2025年10月，商務部發布公告。"),
    C("今年1月6日，北京宣布禁令。"),
    C("12日，日本鑽探船出港。"),
    C("記者會於06:10:00開始。"),
    C("公告日期為2026/01/12。"),
    C("1990年代中國開始主導市場。"),
    C("民國113年的進口量創高。"),
    C("二〇二五年的配額尚未公布。"),
    C("1950-2019年間累計申請專利。"),
    C("2019-2022年美國進口來源分散。"),
    C("2011年度預算已經通過。"),
    C("15年前北京就學會這一課。"),
    C("過去15年來依賴度持續下降。"),
    C("未來十年將稀土依賴降低。"),
    C("十年間需求翻倍。", ("翻倍", 2, "x", "exact")),
    C("兩年前雙方曾經談判。"),
    C("那一年稀土價格暴漲。"),
    C("同年7月再度調整關稅。"),
    C("20世紀80年代開始大規模開採。"),
    C("2026/2027年的預算已提出。"),
    C("2月中返回日本本土。"),
    C("2010年9 月爆發撞船事件。"),
    C("2025 年 10 月底公布新規。"),
    C("4、5 月出口驟降。"),
    C("113年1月起實施新制。"),
    C("2000年前後中國佔據主導地位。"),
    C("之後數年配額持續縮減。"),
    C("短短數年內局勢丕變。"),
    C("這幾年來供應鏈重組。"),
    C("近十年來價格波動劇烈。"),
    C("西元2030年的目標尚未達成。"),
    C("中國2018年永磁產量創新高。"),
    C("二○一○年的禁運讓日本警覺。"),
    C("每年的3月公布統計。"),
    C("本月3日公告名單。"),
]

# ---- traps: codes, names, labels
NAME_TRAPS = [
    C("七大工業國（G7）的峰會聚焦關鍵礦產。"),
    C("G7成員同意建立價格下限。"),
    C("美國向WTO提出DS431爭端案。"),
    C("每架F-35需要大量稀土。"),
    C("輝達H200晶片獲准出口。"),
    C("特斯拉Model 3改用新馬達。"),
    C("Model S與Model 3的銷量下滑。"),
    C("金屬態稀土（HS 2805.30-000）進口集中。"),
    C("稀土化合物（HS 2846.90-290）另計。"),
    C("依照第18號公告實施。"),
    C("表 1 列出受補助的企業。"),
    C("如圖 2 所示，進口來源分散。"),
    C("Lynas 2025 計畫進展順利。"),
    C("《2022基礎設施法案》撥出經費。"),
    C("2021財年國防授權法要求調查。"),
    C("認證依據ISO 9001標準。"),
    C("美國5G網路建設需要稀土。"),
    C("日本三五族半導體具有優勢。"),
    C("這是新冠疫情COVID-19後的首次會議。"),
    C("三菱綜合材料與三井物產合作。"),
    C("四川與內蒙古是主要產區。"),
    C("五角大樓強化供應鏈。"),
    C("一帶一路沿線國家受惠。"),
    C("條文見註3說明。"),
    C("稀土出口增加<sup>11</sup>。"),
    C("網址為https://example.com/rare-earth-china-%E2%80%93-2025。"),
    C("公司地址為100台北市中正區。"),
    C("稀土包含17元素中的15種。", ("15種", 15, "kind", "exact")),
    C("第十四個五年計畫提到資源安全。"),
    C("估值漲幅達1.5-2.0%。", ("1.5-2.0%", (1.5, 2.0), "%", "range")),
]

# ---- traps: idioms, indefinite articles, enumerations, votes
IDIOM_TRAPS = [
    C("一艘中國漁船與巡邏艇相撞。"),
    C("一般社團法人發表報告。"),
    C("兩國關係急轉直下。"),
    C("雙方一同出席記者會。"),
    C("股價一度重挫。"),
    C("殺敵一千、自損七百的策略並不划算。"),
    C("兩大危機同時爆發。"),
    C("三家企業獲得補助。"),
    C("上述兩種材料都屬管制品項。"),
    C("前三大主力品項為鎢、鎵、鍺。"),
    C("決議以52比48通過。"),
    C("比分為3:1。"),
    C("這是唯一一間分離廠。"),
    C("雙方一拍即合。"),
    C("外界對此一無所知。"),
    C("這是一攬子協議。"),
    C("一條鞭式的管理制度。"),
    C("首次在海外設廠。"),
    C("下一輪談判將在東京舉行。"),
    C("一年一度的礦業大會開幕。"),
    C("一場海上擦撞引發外交風波。"),
    C("兩次稀土戰的教訓不同。"),
    C("一、投資開拓新礦源"),
    C("政策一成不變。"),
    C("日本隊以2比1獲勝。"),
    C("萬一供應中斷，後果嚴重。"),
    C("千萬不要低估風險。"),
    C("這是一項重大突破。"),
    C("數據顯示出口回升。"),
    C("多數國家仍依賴中國。"),
    C("少數企業掌握技術。"),
    C("兩岸關係影響供應鏈。"),
    C("三方會談在首爾舉行。"),
    C("他一直強調自主供應。"),
    C("這項材料的百分比並未公開。"),
    C("越南成為半導體重鎮。"),
    C("國際社會通過半導體出口規範。"),
]
# ---- several figures in one sentence
MULTI = [
    C(
        "日本對中國的依賴從過去的90%、努力降到60%左右，仍有過半掌握在對方手上。",
        ("90%", 90, "%", "exact"),
        ("60%左右", 60, "%", "approx"),
        ("過半", 50, "%", "more_than"),
    ),
    C(
        "配額從2005年的6.5萬噸減少到2010年的3萬噸左右。",
        ("6.5萬噸", 6.5e4, "t", "exact"),
        ("3萬噸左右", 3e4, "t", "approx"),
    ),
    C(
        "該集團控制全國約70%的重稀土產能，以及40%左右的總產量。",
        ("約70%", 70, "%", "approx"),
        ("40%左右", 40, "%", "approx"),
    ),
    C(
        "其他來源如愛沙尼亞(5%)、日本(6%)、馬來西亞(11%)等。",
        ("5%", 5, "%", "exact"),
        ("6%", 6, "%", "exact"),
        ("11%", 11, "%", "exact"),
    ),
    C(
        "歐盟設定目標：自給10%開採、40%加工、25%回收。",
        ("10%", 10, "%", "exact"),
        ("40%", 40, "%", "exact"),
        ("25%", 25, "%", "exact"),
    ),
    C(
        "GDP損失將擴大至0.43%甚至1.3%。",
        ("0.43%", 0.43, "%", "exact"),
        ("1.3%", 1.3, "%", "exact"),
    ),
    C(
        "中國與法國各佔約四成；氧化鈰仍有近八成仰賴中國。",
        ("約四成", 40, "%", "approx"),
        ("近八成", 80, "%", "nearly"),
    ),
    C(
        "2020年給MP公司960萬美元，2022年再撥款3,500萬美元。",
        ("960萬美元", 9.6e6, "USD", "exact"),
        ("3,500萬美元", 3.5e7, "USD", "exact"),
    ),
    C(
        "中國占日本進口量從2010年的近100%降至58%，澳洲份額升至38%。",
        ("近100%", 100, "%", "nearly"),
        ("58%", 58, "%", "exact"),
        ("38%", 38, "%", "exact"),
    ),
    C(
        "年產1,000噸磁材，不到中國2018年產量的1%，中國2018年產量約13.8萬噸。",
        ("1,000噸", 1000, "t", "exact"),
        ("不到中國2018年產量的1%", 1, "%", "less_than"),
        ("約13.8萬噸", 1.38e5, "t", "approx"),
    ),
    C(
        "預算中379億日圓用於回收，164億日圓用於南鳥島，1319億日圓用於礦物確保。",
        ("379億日圓", 3.79e10, "JPY", "exact"),
        ("164億日圓", 1.64e10, "JPY", "exact"),
        ("1319億日圓", 1.319e11, "JPY", "exact"),
    ),
    C(
        "稀土氧化物占比約9成，合金靶材約4成，永磁材料約33%，越、菲占近三成。",
        ("約9成", 90, "%", "approx"),
        ("約4成", 40, "%", "approx"),
        ("約33%", 33, "%", "approx"),
        ("近三成", 30, "%", "nearly"),
    ),
    C(
        "2023年中國提供全球約63%的礦產品和92%的加工品。",
        ("約63%", 63, "%", "approx"),
        ("92%", 92, "%", "approx"),
    ),
    C(
        "全年出口 6 萬 2,474 噸稀土（年增 12.9%），為近年最多。",
        ("6 萬 2,474 噸", 62474, "t", "exact"),
        ("12.9%", 12.9, "%", "exact"),
    ),
    C(
        "戰機每架含約920磅稀土，潛艦需要9200磅，驅逐艦約需要5200磅。",
        ("約920磅", 920, "lb", "approx"),
        ("9200磅", 9200, "lb", "exact"),
        ("約需要5200磅", 5200, "lb", "approx"),
    ),
]

# ---- list scope of a hedge
LISTS = [
    C(
        "日本約八成的氧化鏑及五成的氧化鋱來自中國。",
        ("約八成", 80, "%", "approx"),
        ("五成", 50, "%", "approx"),
    ),
    C(
        "近七成的鎵和六成的鍺仍依賴進口。",
        ("近七成", 70, "%", "nearly"),
        ("六成", 60, "%", "nearly"),
    ),
    C(
        "逾3萬噸的精礦與2萬噸的氧化物。",
        ("逾3萬噸", 3e4, "t", "more_than"),
        ("2萬噸", 2e4, "t", "more_than"),
    ),
    C(
        "約40%來自澳洲，中國降至約六成。",
        ("約40%", 40, "%", "approx"),
        ("約六成", 60, "%", "approx"),
    ),
    C("比重從約九成降至70%。", ("約九成", 90, "%", "approx"), ("70%", 70, "%", "exact")),
]

# ---- parenthetical conversions
EQUIV = [
    C(
        "損失達6600億日圓（約1310億台幣）。",
        ("6600億日圓", 6.6e11, "JPY", "exact"),
        ("約1310億台幣", 1.31e11, "TWD", "approx"),
    ),
    C(
        "提出約10億美元（約312億元台幣）的方案。",
        ("約10億美元", 1e9, "USD", "approx"),
        ("約312億元台幣", 3.12e10, "TWD", "approx"),
    ),
    C(
        "實質GDP將萎縮0.11%（約6,600億日圓）。",
        ("0.11%", 0.11, "%", "exact"),
        ("約6,600億日圓", 6.6e11, "JPY", "approx"),
    ),
    C(
        "補助5億歐元(約175億台幣)給當地廠商。",
        ("5億歐元", 5e8, "EUR", "exact"),
        ("約175億台幣", 1.75e10, "TWD", "approx"),
    ),
]

# ---- per-year rates
PER = [
    C("工廠年產1,000噸釹鐵硼。", ("1,000噸", 1000, "t", "exact")),
    C("計畫每年生產279噸鏑。", ("279噸", 279, "t", "exact")),
    C("公司的年產量4000噸氧化物。", ("4000噸", 4000, "t", "exact")),
    C(
        "並完成將 1,100 噸的年產能翻倍。",
        ("1,100 噸", 1100, "t", "exact"),
        ("翻倍", 2, "x", "exact"),
    ),
    C("全年出口5萬噸稀土。", ("5萬噸", 5e4, "t", "exact")),
]

# ---- spacing, width and punctuation variants
FORMS = [
    C("出口量為１，０００噸。", ("１，０００噸", 1000, "t", "exact")),
    C("出口量為1 900噸。", ("1 900噸", 1900, "t", "exact")),
    C("庫存為 12 萬 噸。", ("12 萬 噸", 1.2e5, "t", "exact")),
    C("比重為 ３０ ％。", ("３０ ％", 30, "%", "exact")),
    C("投資額\u00a02.5\u00a0億美元。", ("2.5\u00a0億美元", 2.5e8, "USD", "exact")),
    C("增幅為三點五%。", ("三點五%", 3.5, "%", "exact")),
    C("售價約 1,200 美元。", ("約 1,200 美元", 1200, "USD", "approx")),
    C("總額為3千萬美元。", ("3千萬美元", 3e7, "USD", "exact")),
    C("投資2万3000美元。", ("2万3000美元", 23000, "USD", "exact")),
    C("出口量增加一萬兩千噸。", ("一萬兩千噸", 12000, "t", "exact")),
    C("中國出口了4.39億美元的稀土磁鐵。", ("4.39億美元", 4.39e8, "USD", "exact")),
    C("補助總額為664億。", ("664億", 6.64e10, None, "exact")),
    C("總數為1,234。", ("1,234", 1234, None, "exact")),
]

GROUPS = {
    "percent": PERCENT,
    "money": MONEY,
    "measure": MEASURE,
    "count": COUNT,
    "duration": DURATION,
    "hedge": HEDGES,
    "range": RANGES,
    "vague": VAGUE,
    "multiple": MULTIPLE,
    "ordinal": ORDINAL,
    "date_trap": DATE_TRAPS,
    "name_trap": NAME_TRAPS,
    "idiom_trap": IDIOM_TRAPS,
    "multi": MULTI,
    "list": LISTS,
    "equiv": EQUIV,
    "per": PER,
    "forms": FORMS,
}
ALL_CASES = [
    (f"{name}-{i:02d}", case) for name, cases in GROUPS.items() for i, case in enumerate(cases)
]


def _bounds(value: Any, qualifier: str) -> tuple[float | None, float | None, float | None]:
    """Expected (value, low, high) for a stated value and qualifier."""
    if isinstance(value, tuple):
        return None, float(value[0]), float(value[1])
    v = float(value)
    if qualifier in ("exact", "approx"):
        return v, v, v
    if qualifier in ("more_than", "at_least"):
        return v, v, None
    return v, None, v


def _approx(x: float | None) -> Any:
    return None if x is None else pytest.approx(x, rel=1e-9)


def test_case_table_is_large_enough() -> None:
    assert len(ALL_CASES) >= 300
    assert sum(1 for _, c in ALL_CASES if not c.expected) >= 80


@pytest.mark.parametrize(("case_id", "case"), ALL_CASES, ids=[cid for cid, _ in ALL_CASES])
def test_quantity_table(case_id: str, case: C) -> None:
    got = extract_quantities(case.text)
    for q in got:
        assert case.text[q.start : q.end] == q.surface
    assert [q.surface for q in got] == [e[0] for e in case.expected], case_id
    for q, (surface, value, unit, qualifier) in zip(got, case.expected, strict=True):
        v, lo, hi = _bounds(value, qualifier)
        assert (q.value, q.low, q.high) == (_approx(v), _approx(lo), _approx(hi)), surface
        assert q.unit == unit, surface
        assert q.qualifier == qualifier, surface


TYPE_CASES = [
    ("出口成長58%。", "percent"),
    ("投資5億美元。", "money"),
    ("運來200噸礦砂。", "measure"),
    ("清單有800餘項。", "count"),
    ("工期3年。", "duration"),
    ("價格漲了3倍。", "multiple"),
    ("日本排名第二。", "ordinal"),
    ("總額為3.2萬億。", "number"),
]


@pytest.mark.parametrize(("text", "typ"), TYPE_CASES)
def test_types(text: str, typ: str) -> None:
    (q,) = extract_quantities(text)
    assert q.type == typ


def test_vague_flag_only_on_vague_figures() -> None:
    got = extract_quantities("數百年以來有數十家企業投入，共120家。")
    assert [(q.surface, q.vague) for q in got] == [("數十家", True), ("120家", False)]


@pytest.mark.parametrize(
    ("text", "per"),
    [
        ("工廠年產1,000噸釹鐵硼。", "year"),
        ("計畫每年生產279噸鏑。", "year"),
        ("公司的年產量4000噸氧化物。", "year"),
        ("將 1,100 噸的年產能翻倍。", "year"),
        ("年需求量，十年間從不到4,000噸增加。", "year"),
        ("礦場每月出貨300噸。", "month"),
        ("全年出口5萬噸稀土。", None),
        ("中國2018年產量約13.8萬噸。", None),
        ("該礦去年產出4.3萬噸精礦。", None),
    ],
)
def test_per_rates(text: str, per: str | None) -> None:
    measures = [q for q in extract_quantities(text) if q.type == "measure"]
    assert measures and measures[0].per == per


def test_percent_never_gets_per() -> None:
    (q,) = extract_quantities("年增率為12.9%。")
    assert q.per is None


@pytest.mark.parametrize(
    "text",
    [
        "損失達6600億日圓（約1310億台幣）。",
        "提出約10億美元(約312億元台幣)的方案。",
        "實質GDP將萎縮0.11%（約6,600億日圓）。",
    ],
)
def test_equivalent_of_links_parenthetical_conversion(text: str) -> None:
    got = extract_quantities(text)
    assert len(got) == 2
    assert got[0].equivalent_of is None
    assert got[1].equivalent_of == 0


def test_parenthesis_after_a_name_is_not_a_conversion() -> None:
    got = extract_quantities("遠超日本(1.39萬項)和美國(0.98萬項)。")
    assert [q.equivalent_of for q in got] == [None, None]


def test_list_scope_shares_list_id() -> None:
    got = extract_quantities("日本約八成的氧化鏑及五成的氧化鋱、三成的氧化鐠來自中國。")
    assert [q.qualifier for q in got] == ["approx"] * 3
    assert got[0].list_id is not None
    assert {q.list_id for q in got} == {got[0].list_id}


def test_list_scope_does_not_cross_a_change_verb() -> None:
    got = extract_quantities("比重從約九成降至70%。")
    assert [q.list_id for q in got] == [None, None]
    assert got[1].qualifier == "exact"


def test_exclude_spans_block_quantities_starting_inside() -> None:
    text = "三個月後，出口恢復到5萬噸。"
    assert [q.surface for q in extract_quantities(text)] == ["5萬噸"]
    text2 = "制裁持續兩個月，出口恢復到5萬噸。"
    assert [q.surface for q in extract_quantities(text2, exclude=[(4, 7)])] == ["5萬噸"]
    assert [q.surface for q in extract_quantities(text2, exclude=[(0, 2)])] == ["兩個月", "5萬噸"]


def test_taiwan_flag_resolves_yuan() -> None:
    text = "補助3000萬元。"
    assert extract_quantities(text)[0].unit == "TWD"
    assert extract_quantities(text, taiwan=False)[0].unit == "CNY"
    assert extract_quantities("補助3000萬美元。", taiwan=False)[0].unit == "USD"


@pytest.mark.parametrize(
    ("text", "unit_surface"),
    [
        ("進口6,648公噸稀土。", "公噸"),
        ("出口3萬噸。", "噸"),
        ("拘留兩個月。", "個月"),
        ("投資2億澳幣。", "澳幣"),
    ],
)
def test_unit_surface_keeps_written_form(text: str, unit_surface: str) -> None:
    assert extract_quantities(text)[0].unit_surface == unit_surface


def test_dicts_carry_schema_and_roundtrip() -> None:
    (d,) = extract_quantities_dicts("投資約4.39億美元。")
    assert d["schema"] == "quantity/1"
    for key in ("type", "surface", "start", "end", "value", "low", "high", "unit", "qualifier"):
        assert key in d
    assert Quantity.from_dict(d) == extract_quantities("投資約4.39億美元。")[0]


def test_results_are_sorted_and_offsets_hold() -> None:
    text = "2025年中國出口6萬噸（年增 5%），日本進口約四成，價格上漲3倍，資本支出10至20億美元。"
    got = extract_quantities(text)
    assert [q.start for q in got] == sorted(q.start for q in got)
    for q in got:
        assert text[q.start : q.end] == q.surface


def test_empty_text() -> None:
    assert extract_quantities("") == []


def test_deterministic() -> None:
    text = "約八成的鎵及五成的鍺，與逾4.39億美元（約140億台幣）的補助。"
    assert extract_quantities_dicts(text) == extract_quantities_dicts(text)


# ---- regressions (named after the text that broke)


def test_regression_wei_qi_san_ge_yue_is_not_a_label() -> None:
    # 期 was once a label prefix (期刊), which dropped 為期三個月
    assert [q.surface for q in extract_quantities("實施為期三個月的限制。")] == ["三個月"]


def test_regression_6600_yi_ri_yuan_is_not_a_day_of_month() -> None:
    # 日 after a numeral looked like a date (12日) before the unit 日圓 was tried
    assert [q.unit for q in extract_quantities("損失6600億日圓。")] == ["JPY"]


def test_regression_wei_yi_yi_jian_is_not_eleven() -> None:
    assert extract_quantities("這是唯一一間分離廠。") == []


def test_regression_3_bai_fen_dian_is_not_300() -> None:
    (q,) = extract_quantities("市占率下滑3百分點。")
    assert (q.value, q.unit) == (3.0, "pp")


def test_regression_san_wu_zu_is_not_a_range() -> None:
    assert extract_quantities("三五族化合物半導體。") == []


def test_regression_url_percent_encoding() -> None:
    assert extract_quantities("見 https://x.org/a-%E2%80%93-b 一文。") == []


def test_regression_quan_guo_di_er_da_cheng() -> None:
    assert extract_quantities("該市是全國第二大城。") == []


def test_regression_6_wan_space_2474_dun() -> None:
    (q,) = extract_quantities("出口 6 萬 2,474 噸。")
    assert (q.surface, q.value) == ("6 萬 2,474 噸", 62474.0)


# ---- robustness: any text, offsets always hold

_ALPHABET = list(
    "0123456789０１２３,.．%％ 　\u00a0\t\n-~至到、與之間約近逾超過不到以上下左右多餘數幾十百千萬億兩一二三五九成倍噸公斤美元日圓台幣年個月週第大排名&gt;（）()。，的G"
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ALPHABET), max_size=40).map("".join))
def test_offsets_hold_on_arbitrary_text(text: str) -> None:
    for q in extract_quantities(text):
        assert text[q.start : q.end] == q.surface
        assert q.start < q.end
        if q.low is not None and q.high is not None:
            assert q.low <= q.high
        if q.equivalent_of is not None:
            assert 0 <= q.equivalent_of < len(extract_quantities(text))
