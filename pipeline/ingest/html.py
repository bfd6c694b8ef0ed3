"""HTML reader for saved news pages: main article text, metadata and tables.

The main path is an lxml extractor tuned on Chinese portal markup (Yahoo奇摩, 上報,
三立, NOWnews-like pages): it drops scripts, styles, event handlers and page chrome
(nav, ads, share bars, related lists), scores containers by the Chinese text of their
paragraphs (readability-style) and emits the best container's blocks as paragraphs
separated by a blank line. Metadata comes from og:/article: meta tags, JSON-LD
NewsArticle, ``<meta name=author>``, ``<time>`` and bylines. trafilatura is used only
as a fallback when the container search finds nothing, because in this environment it
cannot even be imported without ``lxml_html_clean`` and because, measured on portal
markup, it keeps bylines, share buttons, ad markers and table cells in the text.
Everything dropped that carried text is recorded with the position it had.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from pipeline.ingest.encoding import decode_bytes
from pipeline.ingest.errors import IngestError
from pipeline.records import Removed, Table

DROP_TAGS = {
    "script", "style", "noscript", "iframe", "svg", "form", "button", "input", "select",
    "textarea", "template", "object", "embed", "canvas", "video", "audio", "map", "head",
    "link", "meta",
}  # fmt: skip
CHROME_TAGS = {"nav", "header", "footer", "aside", "menu"}
BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd",
    "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "figure", "figcaption",
    "table", "tr", "td", "th", "br", "hr", "header", "footer", "aside", "nav",
}  # fmt: skip
# class/id tokens of page chrome (matched as whole tokens, so "header" ≠ "head" ≠ "ad").
CHROME_TOKENS = {
    "ad", "ads", "adv", "advert", "advertisement", "adsbygoogle", "ad-slot", "banner",
    "sponsor", "sponsored", "promo", "share", "sharing", "social", "sns", "related",
    "recommend", "recommended", "recommendation", "comment", "comments", "footer", "nav",
    "navbar", "menu", "sidebar", "breadcrumb", "breadcrumbs", "subscribe", "newsletter",
    "popup", "modal", "cookie", "consent", "toolbar", "hot", "popular", "most",
    "trending", "outbrain", "taboola", "dfp", "gpt", "byline", "author", "tags", "tag",
    "keyword", "keywords", "copyright", "more", "readmore", "also", "login", "da", "sda",
    "gemini", "gotop", "backtop", "print",
}  # fmt: skip
# Blocks whose whole text is an ad slot label (portals print them inside the body).
AD_MARKER_RE = re.compile(
    r"^(?:我是廣告\s*請繼續往下閱讀|我是廣告|廣告\s*請繼續往下閱讀|請繼續往下閱讀|廣告|贊助廣告|"
    r"Advertisement|ADVERTISEMENT|Sponsored)$"
)
BYLINE_TOKENS = {
    "byline",
    "author",
    "authors",
    "writer",
    "reporter",
    "source",
    "info",
    "meta",
    "time",
    "date",
    "publish",
}
DATE_TOKENS = {"date", "time", "pubdate", "publish", "published", "byline", "author", "info"}
TAIPEI = timezone(timedelta(hours=8))
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
BYLINE_RE = re.compile(
    r"(?:記者|編譯|撰文|文／|文/|作者[:：]?)\s*([\u4e00-\u9fff]{2,4}(?:[、，,][\u4e00-\u9fff]{2,4})*)\s*[／/]"
)


@dataclass
class _Out:
    """Paragraph accumulator that also records dropped text at its position."""

    paragraphs: list[str] = field(default_factory=list)
    # (index of the paragraph it preceded, text, reason)
    removed: list[tuple[int, str, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    buf: list[str] = field(default_factory=list)
    link_blocks: set[Any] = field(default_factory=set)

    def flush(self) -> None:
        """End the current paragraph."""
        text = _clean_inline("".join(self.buf))
        if text:
            self.paragraphs.append(text)
        self.buf = []

    def drop(self, text: str, reason: str, *, raw: bool = False) -> None:
        """Record dropped text before the paragraph currently being built."""
        text = text.strip() if raw else _clean_inline(text)
        if text:
            self.removed.append((len(self.paragraphs), text, reason))


def _clean_inline(text: str) -> str:
    """Collapse HTML whitespace; a line break between CJK characters is no space at all."""
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    text = re.sub(
        r"(?<=[\u3000-\u9fff\uff00-\uffef])\s*\n\s*(?=[\u3000-\u9fff\uff00-\uffef])", "", text
    )
    text = re.sub(r"[ \t\r\n\f\v]+", " ", text)
    return text.strip()


def _decode(data: bytes) -> tuple[str, str]:
    """Decode using a declared charset if it works, else detect."""
    head = data[:4096].decode("ascii", errors="replace")
    m = re.search(r"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", head, re.IGNORECASE)
    if m and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        declared = m.group(1).lower()
        aliases = {"big5": "cp950", "gb2312": "gb18030", "gbk": "gb18030", "utf8": "utf-8"}
        enc = aliases.get(declared, declared)
        try:
            return data.decode(enc), enc
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; fall back to detection
    return decode_bytes(data)


def _tokens(el: Any) -> set[str]:
    """class and id of an element split into lower-case tokens (and their hyphen joins)."""
    raw = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    parts = [p for p in re.split(r"\s+", raw) if p]
    out: set[str] = set(parts)
    for p in parts:
        out.update(t for t in re.split(r"[-_]", p) if t)
    return out


def _is_chrome(el: Any) -> bool:
    """Navigation, ads, share bars, related lists and other page furniture."""
    if el.tag in CHROME_TAGS:
        return True
    toks = _tokens(el)
    if toks & CHROME_TOKENS and not toks & {"article", "content", "body", "story", "main", "text"}:
        return True
    if (el.get("role") or "").lower() in {"navigation", "banner", "contentinfo", "complementary"}:
        return True
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or el.get("hidden") is not None


def _text_len(el: Any) -> int:
    """Number of CJK characters (plus Latin words) in an element's text."""
    text = el.text_content()
    return len(CJK_RE.findall(text)) + len(re.findall(r"[A-Za-z0-9]+", text))


def _link_density(el: Any) -> float:
    """Share of the element's text that sits inside links."""
    total = len(_clean_inline(el.text_content())) or 1
    linked = sum(len(_clean_inline(a.text_content())) for a in el.iter("a"))
    return linked / total


def _best_container(root: Any) -> Any | None:
    """The element whose paragraphs hold the most article text (readability-style)."""
    explicit = root.xpath(
        "//*[@itemprop='articleBody' or contains(concat(' ', normalize-space(@class), ' '), ' article-body ')"
        " or contains(concat(' ', normalize-space(@class), ' '), ' article-content ')]"
    )
    scores: dict[Any, float] = {}
    for p in root.iter("p", "br", "div", "section", "li", "td"):
        if p.tag in ("div", "section", "td", "li"):
            # Only blocks with their own text (portals that skip <p>).
            own = (p.text or "") + "".join((c.tail or "") for c in p)
            n = len(CJK_RE.findall(own))
        elif p.tag == "br":
            continue
        else:
            n = _text_len(p)
        if n < 10:
            continue
        weight = n * (1 - _link_density(p))
        parent = p.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0.0) + weight
            grand = parent.getparent()
            if grand is not None:
                scores[grand] = scores.get(grand, 0.0) + weight / 2
    for el in explicit:
        if _text_len(el) >= 20:
            scores[el] = scores.get(el, 0.0) * 1.5 + 50
    if not scores:
        return None
    return max(scores.items(), key=lambda kv: kv[1])[0]


def _json_ld(root: Any) -> list[dict[str, Any]]:
    """NewsArticle-like objects from every JSON-LD block (graphs and lists flattened)."""
    out: list[dict[str, Any]] = []
    for node in root.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(node.text or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.append(item["@graph"])
                kind = item.get("@type")
                kinds = kind if isinstance(kind, list) else [kind]
                if any(isinstance(k, str) and ("Article" in k or k == "WebPage") for k in kinds):
                    out.append(item)
    # Articles before plain WebPage objects.
    out.sort(key=lambda d: 0 if "Article" in json.dumps(d.get("@type")) else 1)
    return out


def _names(value: Any) -> list[str]:
    """Person names from a JSON-LD author value (string, object or list)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        name = value.get("name")
        return [name] if isinstance(name, str) else []
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def _iso_date(value: str | None) -> str | None:
    """YYYY-MM-DD from an ISO timestamp or a 2026/01/14-like date, else None.

    A timestamp with a UTC offset is read in Taipei time (UTC+8): the outlets are
    Taiwanese and print the local date, so 2026-01-13T16:30:00Z is 2026-01-14.
    """
    if not value:
        return None
    stamp = value.strip()
    if re.fullmatch(
        r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})", stamp
    ):
        try:
            moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is not None:
            return moment.astimezone(TAIPEI).date().isoformat()
    m = re.search(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})", value)
    if not m:
        return None
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1900 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _meta(root: Any) -> dict[str, Any]:
    """Title, publication date, outlet, authors, description from tags and JSON-LD."""

    def tag(*keys: str) -> str | None:
        for key in keys:
            for attr in ("property", "name", "itemprop"):
                for node in root.xpath(f"//meta[@{attr}=$k]", k=key):
                    content = (node.get("content") or "").strip()
                    if content:
                        return content
        return None

    ld = _json_ld(root)
    meta: dict[str, Any] = {}
    sources: dict[str, str] = {}
    outlet = tag("og:site_name", "application-name", "twitter:site")
    if not outlet:
        for d in ld:
            pub = d.get("publisher")
            if isinstance(pub, dict) and isinstance(pub.get("name"), str):
                outlet = pub["name"]
                sources["outlet"] = "json-ld"
                break
    elif outlet:
        sources["outlet"] = "meta"
    title = tag("og:title", "twitter:title")
    sources["title"] = "meta"
    if not title:
        title = next((d["headline"] for d in ld if isinstance(d.get("headline"), str)), None)
        sources["title"] = "json-ld"
    if not title:
        h1 = root.xpath("//h1")
        title = _clean_inline(h1[0].text_content()) if h1 else None
        sources["title"] = "h1"
    if not title:
        t = root.xpath("//title")
        title = _clean_inline(t[0].text_content()) if t else None
        sources["title"] = "title"
    if title and outlet:
        # "標題 - 三立新聞網" / "標題 | Yahoo奇摩新聞": the outlet suffix is not the title.
        title = re.sub(rf"\s*[-|｜–—_]\s*{re.escape(outlet)}.*$", "", title).strip() or title
    if title:
        meta["title"] = _clean_inline(title)
    published_raw = tag(
        "article:published_time", "og:published_time", "datePublished", "pubdate",
        "publishdate", "publish-date", "parsely-pub-date", "date", "dc.date", "DC.date.issued",
    )  # fmt: skip
    if not published_raw:
        published_raw = next(
            (d["datePublished"] for d in ld if isinstance(d.get("datePublished"), str)), None
        )
    if not published_raw:
        times = root.xpath("//time[@datetime]")
        published_raw = times[0].get("datetime") if times else None
    if not published_raw:
        # Portals such as 上報 print the date only in a visible byline/date element.
        for node in root.iter():
            if isinstance(node.tag, str) and _tokens(node) & DATE_TOKENS:
                text = _clean_inline(node.text_content())
                if len(text) <= 80 and _iso_date(text):
                    published_raw = text
                    break
    published = _iso_date(published_raw)
    if published:
        meta["published"] = published
        meta["published_raw"] = published_raw
    authors: list[str] = []
    for d in ld:
        authors = [n.strip() for n in _names(d.get("author")) if n.strip()]
        if authors:
            break
    if not authors:
        author = tag("author", "article:author", "dc.creator", "parsely-author")
        if author and not author.startswith("http"):
            authors = [a.strip() for a in re.split(r"[,，、;；]", author) if a.strip()]
    if not authors:
        for node in root.iter():
            if isinstance(node.tag, str) and _tokens(node) & {"byline", "author", "reporter"}:
                m = BYLINE_RE.search(node.text_content())
                if m:
                    authors = re.split(r"[、，,]", m.group(1))
                    break
    if authors:
        meta["authors"] = authors
    if outlet:
        meta["outlet"] = _clean_inline(outlet)
    desc = tag("og:description", "description")
    if desc:
        meta["description"] = _clean_inline(desc)
    return meta


def _table_rows(table: Any) -> list[list[str]]:
    """Rows of cell texts (nested tables flattened into their cell)."""
    rows: list[list[str]] = []
    for tr in table.iter("tr"):
        cells = [_clean_inline(c.text_content()) for c in tr if c.tag in ("td", "th")]
        if any(cells):
            rows.append(cells)
    return rows


def _is_data_table(table: Any) -> bool:
    """A table of figures, not a layout table wrapping the article (old portals do that)."""
    if table.xpath(".//table|.//p|.//div//p|.//h1|.//h2|.//h3"):
        return False
    cells = table.xpath(".//td|.//th")
    return bool(cells) and all(len(_clean_inline(c.text_content())) <= 150 for c in cells)


def _walk(el: Any, out: _Out, title: str | None) -> None:
    """Emit the container's blocks as paragraphs, recording what is dropped."""
    tag = el.tag if isinstance(el.tag, str) else ""
    if not tag:  # comments, processing instructions
        if el.tail:
            out.buf.append(el.tail)
        return
    if tag in DROP_TAGS:
        pass
    elif el in out.link_blocks:
        out.flush()
        out.drop(el.text_content(), "related-link list")
    elif _is_chrome(el):
        out.flush()
        out.drop(
            el.text_content(), "page furniture (" + (el.get("class") or el.get("id") or tag) + ")"
        )
    elif tag == "table" and _is_data_table(el):
        out.flush()
        rows = _table_rows(el)
        if rows:
            cap = el.find(".//caption")
            out.tables.append(
                Table(
                    page=None,
                    rows=rows,
                    caption=_clean_inline(cap.text_content()) if cap is not None else None,
                )
            )
            out.drop("\n".join("\t".join(r) for r in rows), "table (lifted into tables)", raw=True)
    elif tag == "figcaption":
        out.flush()
        out.drop(el.text_content(), "image caption")
    elif tag == "sup" and re.fullmatch(r"\s*\[?\d{1,3}\]?\s*", el.text_content() or ""):
        out.drop(el.text_content(), "footnote marker")
    elif tag in HEADINGS and title and _clean_inline(el.text_content()) == title:
        out.flush()
        out.drop(el.text_content(), "title (kept as metadata)")
    elif tag in BLOCK_TAGS and AD_MARKER_RE.match(_clean_inline(el.text_content())):
        out.flush()
        out.drop(el.text_content(), "ad marker")
    elif tag == "br":
        out.flush()
    else:
        is_block = tag in BLOCK_TAGS
        if is_block:
            out.flush()
        if el.text:
            out.buf.append(el.text)
        for child in el:
            _walk(child, out, title)
        if is_block:
            out.flush()
    if el.tail:
        out.buf.append(el.tail)


def read_html(data: bytes) -> tuple[str, dict[str, Any], list[Table], list[Removed], list[str]]:
    """Read a saved news page; returns (text, meta, tables, removed, warnings)."""
    text, _encoding, meta, tables, removed, warnings = read_html_with_encoding(data)
    return text, meta, tables, removed, warnings


def read_html_with_encoding(
    data: bytes,
) -> tuple[str, str, dict[str, Any], list[Table], list[Removed], list[str]]:
    """Like read_html, also returning the encoding the page was decoded with."""
    source, encoding = _decode(data)
    # lxml refuses str input that still carries an XML encoding declaration.
    source = re.sub(r"^\s*<\?xml[^>]*\?>", "", source)
    if not source.strip():
        raise IngestError("empty file (no text)")
    try:
        root = lxml_html.document_fromstring(source)
    except (etree.ParserError, ValueError) as err:
        raise IngestError(f"cannot parse the HTML: {err}") from err
    warnings: list[str] = []
    meta = _meta(root)
    for bad in root.xpath("//script|//style|//noscript|//template"):
        # Remove outright (keeping the tail text) so nothing of them can leak into text.
        bad.drop_tree()
    container = _best_container(root)
    out = _Out()
    if container is not None:
        out.link_blocks = _link_blocks(container)
        if container.text:
            out.buf.append(container.text)
        for child in container:
            _walk(child, out, meta.get("title"))
        out.flush()
    if sum(len(p) for p in out.paragraphs) < 20:
        fallback = _trafilatura_text(source)
        if fallback:
            warnings.append("article container not found; text taken from trafilatura")
            out = _Out(paragraphs=[p for p in fallback.split("\n") if p.strip()])
        elif container is None:
            body = root.find("body")
            text = _clean_inline(body.text_content()) if body is not None else ""
            if not text:
                raise IngestError("HTML page has no readable text")
            warnings.append("article container not found; whole page text kept")
            out = _Out(paragraphs=[text])
    text = ""
    removed: list[Removed] = []
    drops = sorted(out.removed, key=lambda r: r[0])
    di = 0
    for i, para in enumerate(out.paragraphs):
        while di < len(drops) and drops[di][0] <= i:
            removed.append(
                Removed(start=len(text), end=len(text), text=drops[di][1], reason=drops[di][2])
            )
            di += 1
        if text:
            text += "\n\n"
        text += para
    for _, dropped, reason in drops[di:]:
        removed.append(Removed(start=len(text), end=len(text), text=dropped, reason=reason))
    if not text.strip():
        raise IngestError("HTML page has no article text")
    return text, encoding, meta, out.tables, removed, warnings


def _link_blocks(container: Any) -> set[Any]:
    """Link lists inside the article (related stories): mostly links, little own text."""
    found: set[Any] = set()
    singles: set[Any] = set()
    for el in container.iter("ul", "ol", "div", "section", "p", "dl", "li"):
        if el is container:
            continue
        text = _clean_inline(el.text_content())
        density = _link_density(el)
        if len(text) >= 4 and density > 0.6 and len(el.xpath(".//a")) >= 2:
            found.add(el)
        elif el.tag in ("p", "li") and 0 < len(text) < 80 and density > 0.9:
            singles.add(el)
    # One headline link a line (延伸閱讀 lists written as <p><a>): dropped only in runs of
    # two or more, since a lone linked sentence may be body text.
    for el in singles:
        if el.getprevious() in singles or el.getnext() in singles:
            found.add(el)
    return found


def _trafilatura_text(source: str) -> str | None:
    """trafilatura's main text, or None when it is unavailable or finds nothing."""
    try:
        import trafilatura
    except ImportError:
        return None
    try:
        result = trafilatura.extract(source, include_tables=False, include_comments=False)
    except Exception:  # noqa: BLE001 - a fallback must never fail the read
        return None
    return result or None
