"""A faster drop-in for pdfminer's content-stream parser (same objects, same order).

pdfminer tokenizes page content with a character-level state machine fed 4 KB at a
time and logs every token; on CJK PDFs that place each glyph with its own ``Tm``/``Tj``
this is most of the reading time. ``FastContentParser`` tokenizes each decoded stream
with one regular expression and builds the argument objects (arrays, dicts) up front,
then hands them out exactly as ``PSStackParser.nextobject`` would.

Anything whose result in pdfminer depends on buffering or error recovery (inline images,
``#`` escapes in names, procedures, unbalanced brackets, a token cut by a stream end,
octal escapes above 255, ``\\`` + CR) makes the fast path give up for that content
stream, and pdfminer's own parser runs instead, so the objects are always pdfminer's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, BinaryIO

from pdfminer import pdfinterp, settings
from pdfminer.cmapdb import CMapParser
from pdfminer.pdftypes import stream_value
from pdfminer.psparser import (
    ESC_STRING,
    HEX_PAIR,
    KWD,
    LIT,
    PSEOF,
    SPC,
    PSKeyword,
    keyword_name,
    literal_name,
)


class _Unsupported(Exception):
    """The stream needs pdfminer's own parser."""


# One match per token: the whitespace and comments before it, then one alternative per
# token kind, in the order pdfminer's ``_parse_main`` tests the first byte. A hex string
# stops before its terminator, which is read as the next token (so ``<AB>>`` is a
# string then ``>>``, as in pdfminer). Literal strings with nested parentheses take
# pdfminer's path (``open``). At the end of the data the token part may be empty.
_TOKEN = re.compile(
    rb"(?:[\s\x00]+|%[^\r\n]*)*"
    rb"(?:(?P<int>[-+]?[0-9]++)(?!\.)"
    rb"|(?P<num>[-+0-9][0-9]*\.[0-9]*|\.[0-9]*|[-+])"
    rb"|(?P<kw>[A-Za-z][^#/%\[\]()<>{}\s]*)"
    rb"|/(?P<lit>[^#/%\[\]()<>{}\s]*)(?P<hash>\#)?"
    rb"|\((?P<str>(?:[^()\\]|\\[\s\S])*)\)"
    rb"|(?P<open>\()"
    rb"|(?P<dopen><<)"
    rb"|<(?P<hex>[0-9A-Fa-f\s]*)"
    rb"|(?P<dclose>>>)"
    rb"|(?P<gt>>)"
    rb"|(?P<one>[\s\S]))?"
)
# Inside a literal string: an escape (octal code, or any one byte).
_ESCAPE = re.compile(rb"\\(?:([0-7]{1,3})|([\s\S]))")
_ESCAPES = {k[0]: bytes((v,)) for k, v in ESC_STRING.items()}
_TRUE, _FALSE = b"true", b"false"
_ARRAY_BEGIN, _ARRAY_END = KWD(b"["), KWD(b"]")
_DICT_BEGIN, _DICT_END = KWD(b"<<"), KWD(b">>")
_PROCS = (KWD(b"{"), KWD(b"}"))
# Inline images switch pdfminer into raw-data reading; ``ID`` alone is dropped by it.
_INLINE = (KWD(b"BI"), KWD(b"ID"))


def _unescape_one(m: re.Match[bytes]) -> bytes:
    """One backslash escape as pdfminer decodes it."""
    octal, other = m.group(1), m.group(2)
    if octal is not None:
        code = int(octal, 8)
        if code > 255:  # pdfminer asserts here
            raise _Unsupported("octal escape above 255")
        return bytes((code,))
    if other == b"\r":  # pdfminer's CR LF check depends on its buffering
        raise _Unsupported("backslash before CR")
    return _ESCAPES.get(other[0], b"")  # any other escaped byte is dropped


def _number(tok: bytes) -> int | float | None:
    """pdfminer's number conversion: int or float, None when it drops the token."""
    try:
        return float(tok) if b"." in tok else int(tok)
    except ValueError:
        return None


def tokenize(data: bytes) -> list[tuple[int, Any]]:
    """The ``(position, token)`` pairs pdfminer's tokenizer yields for one whole stream."""
    out: list[tuple[int, Any]] = []
    append = out.append
    n = len(data)
    keywords: dict[bytes, Any] = {_TRUE: True, _FALSE: False}
    for m in _TOKEN.finditer(data):
        kind = m.lastgroup
        if kind is None:
            continue  # whitespace or comments at the end
        if kind == "int":  # sign and digits: int() always succeeds
            append((m.start(kind), int(m.group(kind))))
        elif kind == "num":  # a float, or a lone sign/dot that pdfminer drops
            value = _number(m.group(kind))
            if value is not None:
                append((m.start(kind), value))
        elif kind == "kw":
            word = m.group(kind)
            tok = keywords.get(word)
            if tok is None:
                tok = keywords[word] = KWD(word)
            append((m.start(kind), tok))
        elif kind == "lit" or kind == "hash":
            if kind == "hash":
                raise _Unsupported("name with # escape")
            raw = m.group(kind)
            if not raw and m.end() == n:  # a bare "/" at the end continues elsewhere
                raise _Unsupported("name cut by the stream end")
            try:
                name: str | bytes = str(raw, "utf-8")
            except UnicodeDecodeError:
                name = raw
            append((m.start("lit") - 1, LIT(name)))
        elif kind == "str":
            body = m.group(kind)
            if b"\\" in body:
                body = _ESCAPE.sub(_unescape_one, body)
            append((m.start(kind) - 1, body))
        elif kind == "dopen":
            append((m.start(kind), _DICT_BEGIN))
        elif kind == "hex":
            if m.end() >= n:  # pdfminer carries an open hex string into the next stream
                raise _Unsupported("unterminated hex string")
            body = SPC.sub(b"", m.group(kind))
            append((m.start(kind) - 1, HEX_PAIR.sub(lambda h: bytes((int(h.group(0), 16),)), body)))
        elif kind == "dclose":
            append((m.start(kind), _DICT_END))
        elif kind == "gt":
            if m.end() >= n:  # pdfminer would look for a second ">" in the next stream
                raise _Unsupported("'>' at the stream end")
        elif kind == "open":
            raise _Unsupported("string with nested parentheses or unterminated")
        else:  # "one": any other byte is a one-byte keyword
            append((m.start(kind), KWD(m.group(kind))))
    return out


def build_objects(tokens: list[tuple[int, Any]]) -> list[tuple[int, Any]]:
    """Assemble arrays and dicts as ``PSStackParser.nextobject`` does (top-level objects)."""
    top: list[tuple[int, Any]] = []
    items = top
    context: list[tuple[int, str, list[tuple[int, Any]]]] = []
    for pos, tok in tokens:
        if not isinstance(tok, PSKeyword):
            items.append((pos, tok))
        elif tok is _ARRAY_BEGIN or tok is _DICT_BEGIN:
            context.append((pos, "a" if tok is _ARRAY_BEGIN else "d", items))
            items = []
        elif tok is _ARRAY_END or tok is _DICT_END:
            want = "a" if tok is _ARRAY_END else "d"
            if not context or context[-1][1] != want:
                raise _Unsupported("unbalanced brackets")
            start, _, parent = context.pop()
            objs = [o for _, o in items]
            if want == "a":
                parent.append((start, objs))
            else:
                if len(objs) % 2:
                    raise _Unsupported("odd dictionary")
                keys, values = objs[0::2], objs[1::2]
                d = {literal_name(k): v for k, v in zip(keys, values, strict=True)}
                parent.append((start, d))
            items = parent
        elif tok in _PROCS or tok in _INLINE:
            raise _Unsupported("procedure or inline image")
        else:
            items.append((pos, tok))
    if context:
        raise _Unsupported("open array or dict at the end")
    return top


class FastContentParser(pdfinterp.PDFContentParser):
    """``PDFContentParser`` whose ``nextobject`` reads a list built in one pass."""

    def __init__(self, streams: Sequence[object]) -> None:
        self._objects: list[tuple[int, Any]] | None = None
        self._next = 0
        if streams:
            try:
                tokens: list[tuple[int, Any]] = []
                for s in streams:
                    tokens.extend(tokenize(stream_value(s).get_data()))
                self._objects = build_objects(tokens)
            except _Unsupported:
                self._objects = None
        if self._objects is None:
            super().__init__(streams)
        else:
            self.streams = streams

    def objects(self) -> Iterator[Any]:
        """The top-level objects in order, as ``nextobject`` returns them until PSEOF."""
        if self._objects is None:
            while True:
                try:
                    yield super().nextobject()[1]
                except PSEOF:
                    return
        else:
            objs, self._objects = self._objects, []
            for _, obj in objs:
                yield obj

    def nextobject(self) -> Any:
        """The next top-level object, or PSEOF after the last one."""
        if self._objects is None:
            return super().nextobject()
        if self._next >= len(self._objects):
            raise PSEOF("Unexpected EOF")
        obj = self._objects[self._next]
        self._next += 1
        return obj


class FastCMapParser(CMapParser):
    """pdfminer's ToUnicode CMap parser reading tokens from one ``tokenize`` pass.

    The CMap stack machine (``nextobject``/``do_keyword``) is pdfminer's own; only the
    byte-level tokenizer is replaced, and data it cannot match exactly is read by
    pdfminer's tokenizer instead.
    """

    def __init__(self, cmap: Any, fp: BinaryIO) -> None:
        super().__init__(cmap, fp)
        self._fast_tokens: list[tuple[int, Any]] | None
        self._fast_next = 0
        try:
            self._fast_tokens = tokenize(fp.read())
        except _Unsupported:
            self._fast_tokens = None
        self.seek(0)  # pdfminer's own reading state, as after its __init__

    def nexttoken(self) -> tuple[int, Any]:
        """The next ``(position, token)``, or PSEOF after the last one."""
        if self._fast_tokens is None:
            return super().nexttoken()
        if self._fast_next >= len(self._fast_tokens):
            raise PSEOF("Unexpected EOF")
        tok = self._fast_tokens[self._fast_next]
        self._fast_next += 1
        return tok


# (interpreter class, keyword) -> (method name or None, number of operands).
_DISPATCH: dict[tuple[type, PSKeyword], tuple[str | None, int]] = {}


class FastPageInterpreter(pdfinterp.PDFPageInterpreter):
    """``PDFPageInterpreter`` with the operator lookup cached per keyword.

    pdfminer's ``execute`` rebuilds the method name (three ``str.replace``), looks it up
    and reads its argument count for every operator of the page; here that is done
    once per operator and interpreter class. The stream checks, argument popping and
    calls are pdfminer's, in the same order.
    """

    def execute(self, streams: Sequence[object]) -> None:
        """Run the content streams (same semantics as pdfminer's ``execute``)."""
        valid_streams: list[Any] = []
        self.stream_ids.clear()
        for obj in streams:
            stream = stream_value(obj)
            if stream.objid is None:
                pdfinterp.log.warning(
                    "Execute called on non-indirect object (inline image?) %r", stream
                )
                continue
            if stream.objid in self.parent_stream_ids:
                pdfinterp.log.warning(
                    "Refusing to execute circular reference to content stream %d",
                    stream.objid,
                )
            else:
                valid_streams.append(stream)
                self.stream_ids.add(stream.objid)
        try:
            parser = FastContentParser(valid_streams)
        except PSEOF:
            return  # empty page
        cls = type(self)
        bound: dict[PSKeyword, Any] = {}
        for obj in parser.objects():
            if not isinstance(obj, PSKeyword):
                self.push(obj)
                continue
            entry = _DISPATCH.get((cls, obj))
            if entry is None:
                entry = _DISPATCH[(cls, obj)] = _lookup(self, obj)
            method, nargs = entry
            if method is None:
                if settings.STRICT:
                    raise pdfinterp.PDFInterpreterError(f"Unknown operator: {keyword_name(obj)!r}")
                continue
            func = bound.get(obj)
            if func is None:
                func = bound[obj] = getattr(self, method)
            if nargs:
                args = self.pop(nargs)
                if len(args) == nargs:
                    func(*args)
            else:
                func()


def _lookup(interp: pdfinterp.PDFPageInterpreter, kw: PSKeyword) -> tuple[str | None, int]:
    """pdfminer's operator lookup: method name and operand count (None if unknown)."""
    name = keyword_name(kw)
    method = "do_{}".format(name.replace("*", "_a").replace('"', "_w").replace("'", "_q"))
    if not hasattr(interp, method):
        return None, 0
    return method, getattr(interp, method).__code__.co_argcount - 1


# Values pdfplumber's ``resolve_all`` returns unchanged (exact types).
_PLAIN = frozenset((str, float, int, bool, type(None)))
_DECODED: dict[str, Any] = {}


def _plain_tuple(v: Any) -> bool:
    """A tuple of plain values (a text matrix): ``resolve_all`` would copy it unchanged."""
    return type(v) is tuple and all(type(x) in _PLAIN for x in v)


def _char_object(page: Any, obj: Any, original: Any) -> dict[str, Any]:
    """pdfplumber's ``Page.process_object`` with a fast path for characters.

    For an ``LTChar`` this is the same code specialised: the attributes are filtered in
    one comprehension (plain values skip ``resolve_all``, which returns them unchanged)
    and the colour-space name is decoded once per name. The dict has the same keys in
    the same order and the same values. Other objects go to pdfplumber itself.
    """
    from pdfminer.layout import LTChar
    from pdfplumber.page import ALL_ATTRS, fix_fontname_bytes, normalize_unicode
    from pdfplumber.utils.pdfinternals import resolve_all, resolve_and_decode

    if type(obj) is not LTChar:
        return original(page, obj)
    plain = _PLAIN
    attr = {
        k: (v if type(v) in plain or _plain_tuple(v) else resolve_all(v))
        for k, v in obj.__dict__.items()
        if k in ALL_ATTRS
    }
    attr["object_type"] = "char"
    attr["page_number"] = page.page_number
    for cs in ("ncs", "scs"):
        if hasattr(obj, cs):
            name = getattr(obj, cs).name
            if type(name) is str:
                decoded = _DECODED.get(name)
                if decoded is None:
                    decoded = _DECODED[name] = resolve_and_decode(name)
                attr[cs] = decoded
            else:
                attr[cs] = resolve_and_decode(name)
    text = obj.get_text()
    norm = page.pdf.unicode_norm
    attr["text"] = normalize_unicode(norm, text) if norm is not None else text
    gs = obj.graphicstate
    attr["stroking_color"] = gs.scolor if isinstance(gs.scolor, tuple) else (gs.scolor,)
    attr["non_stroking_color"] = gs.ncolor if isinstance(gs.ncolor, tuple) else (gs.ncolor,)
    if isinstance(attr["fontname"], bytes):
        attr["fontname"] = fix_fontname_bytes(attr["fontname"])
    mb_x0, mb_top = page.mediabox[:2]
    if "y0" in attr:
        attr["top"] = (page.height - attr["y1"]) + mb_top
        attr["bottom"] = (page.height - attr["y0"]) + mb_top
        attr["doctop"] = page.initial_doctop + attr["top"]
    if "x0" in attr and mb_x0 != 0:
        attr["x0"] = attr["x0"] + mb_x0
        attr["x1"] = attr["x1"] + mb_x0
    return attr


@contextmanager
def fast_content_parser() -> Iterator[None]:
    """Inside the block, pdfplumber's pages use ``FastPageInterpreter`` and the fast
    character path (both give pdfminer's and pdfplumber's own results)."""
    import pdfplumber.page
    from pdfminer import pdffont

    page_cls = pdfplumber.page.Page
    saved_cmap = pdffont.CMapParser
    saved_parser = pdfinterp.PDFContentParser
    saved_interp = pdfplumber.page.PDFPageInterpreter
    saved_process = page_cls.process_object

    def process_object(self: Any, obj: Any) -> Any:
        return _char_object(self, obj, saved_process)

    pdfinterp.PDFContentParser = FastContentParser  # type: ignore[misc]
    pdfplumber.page.PDFPageInterpreter = FastPageInterpreter  # type: ignore[misc]
    page_cls.process_object = process_object  # type: ignore[method-assign]
    pdffont.CMapParser = FastCMapParser  # type: ignore[misc]
    try:
        yield
    finally:
        pdffont.CMapParser = saved_cmap  # type: ignore[misc]
        pdfinterp.PDFContentParser = saved_parser  # type: ignore[misc]
        pdfplumber.page.PDFPageInterpreter = saved_interp  # type: ignore[misc]
        page_cls.process_object = saved_process  # type: ignore[method-assign]
