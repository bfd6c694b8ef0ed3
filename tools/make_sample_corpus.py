#!/usr/bin/env python3
"""Regenerate the shipped sample corpus in corpus/ (deterministic, byte for byte).

Four short articles the team wrote (not real reporting): a web-page text dump with ad
markers and related-article lists, a saved portal HTML page, a think-tank PDF brief with
a table, running header, page numbers and a footnote, and a Simplified-Chinese note in
GB18030. Japan's 2025 dependence on Chinese rare earths is 約七成 in the text dump but
約六成 in the PDF (a conflict to reconcile); China's share of refining is 約九成 in two
documents (an agreement). Usage: ``python tools/make_sample_corpus.py [OUT_DIR]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.ingest.pdfgen import font_available, render_html, render_pdf  # noqa: E402

TXT_NAME = "2026-10-15_japan_rare_earth_dependence.txt"
HTML_NAME = "2026-10-28_taiwan_rare_earth_inventory.html"
PDF_NAME = "2026-10_rare_earth_resilience_brief.pdf"
SIMPLIFIED_NAME = "2026-11-03_china_export_data_gb18030.txt"

TXT_ARTICLE = """\
 date 2026-10-15
日本稀土仍有七成靠中國 經產省加碼南鳥島深海試採
記者王小明／台北報導
中國商務部本月12日宣布，將對鏑、鋱等七種中重稀土及相關磁材技術實施出口許可管理，消息傳出後，日本產業界再度繃緊神經。根據日本媒體引述業界估計，日本去年（2025年）稀土進口對中國的依賴度仍約七成，雖然比2010年稀土風波時的九成以上明顯下降，但距離政府設定的目標還有一段距離。
日本經濟產業省官員表示，中國目前掌握全球約九成的稀土精煉產能，即使日本透過日本金屬礦物資源機構（JOGMEC）投資澳洲萊納斯（Lynas Rare Earths），取得部分輕稀土的穩定來源，鏑、鋱等重稀土仍幾乎全數仰賴中國。經產省已在明年度預算中編列約1200億日圓（約新台幣250億元），用於南鳥島周邊海域的深海稀土泥試採與精煉技術開發。
我是廣告 請繼續往下閱讀
據了解，日本政府希望在2028年前建立每日處理350噸稀土泥的試驗體制，並計畫在2030年代初期評估商業化的可行性。業界人士指出，深海開採成本可能是陸上礦場的3至5倍，若國際稀土價格沒有回升，民間企業的投入意願恐怕有限。
另一方面，日本汽車與電機業者也加速開發減少稀土用量的馬達。一家大型馬達廠商透露，新一代產品的鏑用量已比五年前減少約40%，部分車款甚至完全不用重稀土。不過分析師提醒，技術替代需要時間，短期內若中國收緊出口審批，日本企業的庫存大約只能支撐3到6個月。
台灣方面，經濟部官員表示，國內稀土年需求量約在數千噸之間，主要用於半導體研磨、面板與馬達產業，政府將持續與日本、美國及澳洲交換供應鏈資訊，並鼓勵業者建立回收體系。
更多中央社報導
・台積電高雄廠第二期工程啟動 預計明年量產
・立法院三讀通過能源轉型條例修正案
其他人也在看
周末東北季風增強 北台灣低溫下探18度
氣象署表示，本周末起東北季風增強，北部及東北部天氣轉涼，山區有零星降雨。中天新聞網 ・ 3 小時前 ・ 24
美股收盤道瓊漲逾300點 科技股強勢反彈
美國聯準會官員談話偏向鴿派，帶動科技股走高，費城半導體指數上漲2.1%。三立新聞網 setn.com ・ 5 小時前 ・ 發表留言
"""

HTML_TITLE = "中國擴大稀土出口管制 台灣業者盤點庫存 專家：加速多元採購"
HTML_PARAGRAPHS = [
    "中國商務部本月中旬擴大稀土出口管制範圍後，台灣下游業者紛紛盤點庫存。據經濟部統計，台灣2025年稀土相關產品進口值約2.1億美元，其中來自中國的比重約58%，其餘主要來自日本、越南與愛沙尼亞。",
    "工研院產業分析師指出，中國在全球稀土開採約占六至七成，在分離與精煉環節則接近九成，燒結釹鐵硼磁鐵的產量更超過90%，因此任何出口審批的延長，都會迅速傳導到馬達、風機與電動車供應鏈。",
    "業者透露，部分氧化鐠釹報價在管制消息公布後一周內上漲約15%，每公斤突破新台幣2,000元。若管制持續到明年上半年，中小型馬達廠的材料成本可能增加一成以上，獲利將明顯受壓。",
    "專家建議，台灣可參考日本經驗，由政府與民間合資設立儲備機制。日本目前的稀土國家儲備目標約為60天用量，並透過JOGMEC協助企業取得海外礦山權益；台灣若要建立類似制度，初期估計需要新台幣30億至50億元。",
    "不過也有業者認為衝擊可控。一家上市磁材廠主管表示，公司去年已把越南與日本料源的比重拉高到四成左右，現有庫存可支應約五個月的生產；真正的風險在於鏑、鋱等重稀土，這些材料目前幾乎找不到中國以外的穩定來源，價格也最容易受到審批進度影響。",
    "經濟部表示，已邀集國內約20家主要用料廠商召開會議，將優先協助高度依賴單一來源的業者，並研議把稀土回收納入循環經濟補助項目，預計今年底前提出具體方案。",
]
HTML_TABLE = [
    ["來源", "占比"],
    ["中國", "約58%"],
    ["日本", "約17%"],
    ["越南", "約11%"],
    ["其他", "約14%"],
]

PDF_TITLE = "稀土供應鏈韌性：日本經驗與台灣的政策選項"
PDF_PARAGRAPHS = [
    "◎林書妤／台灣資源安全研究中心 助理研究員",
    "發布時間：2026年10月20日",
    "2010年釣魚台撞船事件後，中國對日本的稀土出口一度停滯近兩個月，日本隨即啟動供應多元化政策。十五年後，中國自2025年起陸續把多種中重稀土及磁材製造技術納入出口許可，加上中國仍握有全球約九成的精煉產能，再次凸顯資源武器化的風險。",
    "根據日本經濟產業省的統計，日本稀土進口對中國的依賴度，已從2010年的九成以上降到2025年的約六成[^1]。主要原因是JOGMEC與雙日公司自2011年起合計出資約2.5億美元支持澳洲萊納斯，使其成為中國以外最大的輕稀土供應商。不過，鏑與鋱等重稀土的對中依賴度仍接近100%，顯示多元化的成果集中在輕稀土。",
    "表1整理了日本稀土進口來源比重的變化。",
    "日本政府的政策工具可分為三類：一是對海外礦山與精煉廠的出資與債務保證；二是國家儲備，目前的目標約為國內消費量的60天；三是減量與回收技術的研發，每年投入約數百億日圓。其中，經濟產業省2026年度預算案編列約1200億日圓推動深海稀土泥開發，金額為前一年度的兩倍以上。",
    "對台灣而言，稀土需求規模雖小，卻集中在半導體、面板與國防相關產業，替代彈性有限。本文建議：第一，建立跨部會的關鍵礦物盤點機制，按季公布主要料源的進口集中度；第二，比照日本設立約30天用量的初期儲備；第三，透過與日本、澳洲的合作，參與中國以外的精煉產能投資，分散單一來源的風險。",
]
PDF_TABLE = [
    ["來源", "2010年", "2020年", "2025年"],
    ["中國", "約92", "約58", "約60"],
    ["越南", "—", "約15", "約12"],
    ["法國", "約2", "約10", "約9"],
    ["其他", "約6", "約17", "約19"],
]
PDF_FOOTNOTES = ["經濟產業省資源能源廳，2026年2月公布的2025年貿易統計。"]

SIMPLIFIED_ARTICLE = """\
 date 2026-11-03
中国前三季度稀土出口量同比增长 海外需求回升
新华社北京11月2日电
据中国海关总署公布的数据，2026年前三季度中国稀土出口量约为4.6万吨，同比增长约8%，出口额约为3.9亿美元。其中，对日本出口约1.1万吨，占出口总量的两成以上；对美国出口约6800吨，比去年同期减少约12%。
商务部新闻发言人在例行记者会上表示，相关出口管制措施并非针对特定国家，符合规定的民用出口申请将依法予以许可。业内人士指出，目前审批周期一般为30至45个工作日，部分企业反映时间有所延长，希望主管部门进一步公开审批标准。
分析人士认为，随着欧美加快建设本土供应链，中国稀土在全球供应中的占比可能逐步下降。但由于分离提纯技术和环保处理能力需要较长时间积累，预计到2030年，中国仍将占据全球稀土精炼产能的八成以上。
从出口结构看，稀土永磁材料仍是主要增长来源。海关数据显示，前三季度钕铁硼磁体出口约5.2万吨，同比增长约11%，其中对欧盟出口增幅最大，约为19%。业内人士表示，海外电动汽车和风电项目的订单回暖，是推动出口增长的主要原因，但部分海外客户也在加快寻找替代供应来源。
另据行业协会统计，今年前九个月国内氧化镨钕平均价格约为每吨52万元人民币，较去年全年均价上涨约18%。协会预计，第四季度价格将在每吨50万至56万元之间波动，下游磁材企业的订单总体保持稳定。
"""


def build(out_dir: Path) -> list[Path]:
    """Write the four sample files into out_dir; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    txt = out_dir / TXT_NAME
    txt.write_bytes(TXT_ARTICLE.encode("utf-8"))
    written.append(txt)
    page = render_html(
        HTML_TITLE,
        HTML_PARAGRAPHS,
        published="2026-10-28T14:20:00+08:00",
        outlet="三立新聞網",
        author="李佳穎",
        table=HTML_TABLE,
        table_after=0,
        subheads={3: "供應多元化 日本經驗受關注"},
    )
    html = out_dir / HTML_NAME
    html.write_bytes(page.encode("utf-8"))
    written.append(html)
    if not font_available():
        raise SystemExit("the CJK font for the PDF is missing: apt-get install fonts-wqy-microhei")
    pdf = out_dir / PDF_NAME
    render_pdf(
        PDF_PARAGRAPHS,
        pdf,
        title=PDF_TITLE,
        header="台灣資源安全研究中心　政策簡報　2026年10月",
        footer_page_numbers="第 {n} 頁",
        table=PDF_TABLE,
        table_after=6,
        table_caption="表1 日本稀土進口來源比重（%）",
        footnotes=PDF_FOOTNOTES,
        font_size=11.0,
        page_size=(420.0, 595.0),
        margin=56.0,
    )
    written.append(pdf)
    simplified = out_dir / SIMPLIFIED_NAME
    simplified.write_bytes(SIMPLIFIED_ARTICLE.encode("gb18030"))
    written.append(simplified)
    return written


def main(argv: list[str]) -> int:
    """Entry point: regenerate the corpus (default: corpus/ next to this script)."""
    out_dir = Path(argv[1]) if len(argv) > 1 else ROOT / "corpus"
    for path in build(out_dir):
        print(path.relative_to(out_dir.parent) if path.is_relative_to(out_dir.parent) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
