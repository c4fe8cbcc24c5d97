"""Reader ``html``: HTML pages, newsletters and e-mails (``.html``, ``.xhtml``, ``.eml``, ``.mhtml``).

The parser is selectolax's Lexbor engine, a full WHATWG HTML5 tree builder. Measured on 60 real
web pages (6.3 MB, trafilatura's test pages) and 14 classic malformed-markup cases (misnested
``<b><i>``, foster-parented table text, ``<div>`` in ``<p>``, headings in headings …), with
html5lib — the reference implementation of the spec — as the oracle:

=====================  ===========  ============================
parser                 60 pages     same tree as html5lib (of 14)
=====================  ===========  ============================
selectolax (Lexbor)    0.07 s       14
lxml.html (libxml2)    0.11 s       7  (libxml2 is an HTML4 parser)
html5lib               3.25 s       (the oracle)
=====================  ===========  ============================

so Lexbor gives browser-identical trees at the fastest speed (``benchmarks/html_readers.py``).

What reaches the AST is only what a reader of the page sees: ``script``, ``style``, ``template``,
form controls, ``iframe``/``object``/``embed``, hidden elements (``hidden``, ``aria-hidden``,
``display:none`` — newsletters hide their preheaders that way) never do, and no attribute is
kept except link/image URLs and titles (so no event handler can survive); ``javascript:`` and
``vbscript:`` links keep only their text. Nothing is fetched.

Whole web pages keep their main content: ``<main>`` (or ``role=main``) when present, and
navigation, page headers and footers, asides and ARIA landmarks for them are dropped. A page
with no such structure goes through trafilatura when it is installed (``digestkit[web]``); see
``docs/formats.md`` for the measured share of article text each strategy keeps.

``.eml`` and ``.mhtml`` files are read with the standard library's ``email`` package: the HTML
part (else the plain-text part), decoded with its declared charset; Subject, From and Date fill
the metadata.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as _dt
import email
import email.message
import email.policy
import email.utils
import functools
import html
import json
import re
import sys
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import unquote

from ..ast import (
    Align,
    Article,
    ArticleMeta,
    Block,
    BlockQuote,
    BulletList,
    Caption,
    Code,
    CodeBlock,
    Document,
    Emphasis,
    HardBreak,
    Heading,
    HtmlInline,
    Image,
    Inline,
    Link,
    ListItem,
    Meta,
    Note,
    OrderedList,
    Paragraph,
    Ruby,
    SoftBreak,
    Strikethrough,
    Strong,
    Table,
    TableCell,
    Text,
    ThematicBreak,
    plain_text,
)
from ..errors import MissingDependencyError, ParseError
from ..metadata import parse_web_date

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = [
    "READER",
    "HtmlReader",
    "decode_html",
    "html_to_blocks",
    "iso_date",
    "looks_like_email",
    "looks_like_html",
    "read_html",
    "sniff_head",
]

# --------------------------------------------------------------------------- decoding

#: WHATWG encoding labels that Python spells differently or decodes more narrowly. The web's
#: "gb2312"/"gbk" are GB18030 and its "big5" is Big5-HKSCS (the Encoding Standard says so), and
#: "iso-8859-1"/"ascii" mean windows-1252.
_LABELS = {
    **dict.fromkeys(("gb2312", "gbk", "x-gbk", "gb_2312-80", "chinese", "csgb2312", "iso-ir-58",
                     "gb18030", "csiso58gb231280"), "gb18030"),
    **dict.fromkeys(("big5", "big5-hkscs", "cn-big5", "x-x-big5", "csbig5"), "big5hkscs"),
    **dict.fromkeys(("iso-8859-1", "latin1", "l1", "us-ascii", "ascii", "windows-1252",
                     "cp1252", "iso_8859-1", "x-cp1252"), "cp1252"),
    # A page cannot really declare UTF-16 in a <meta> it can only read as ASCII: WHATWG → UTF-8.
    **dict.fromkeys(("utf-16", "utf-16le", "utf-16be"), "utf-8"),
}  # fmt: skip

_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.IGNORECASE
)


def _codec(label: str | None) -> str | None:
    """Python codec name for an encoding label, or None for an unknown one."""
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    if key in _LABELS:
        return _LABELS[key]
    try:
        return codecs.lookup(key).name
    except LookupError:
        return None


def decode_html(data: bytes, *, declared: str | None = None, path: str | None = None) -> str:
    """Decode an HTML document the way a browser picks its encoding, but never lossily.

    Order: byte order mark; ``declared`` (the charset an e-mail part or HTTP header gave);
    ``<meta charset>`` / ``http-equiv`` in the first 4 KiB; UTF-8; then the legacy encodings
    ranked by :func:`digestkit.textio.rank_encodings` (with a warning). A declared charset the
    bytes contradict falls back to UTF-8 when that decodes; otherwise the error names the file,
    the charset and the position — bytes are never replaced.
    """
    from ..textio import SINGLE_BYTE, decode, rank_encodings

    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):  # fmt: skip
        if data.startswith(bom):
            try:
                return _newlines(data[len(bom) :].decode(enc))
            except UnicodeDecodeError as exc:
                raise ParseError(f"not valid {enc} after its byte order mark: {exc.reason}",
                                 path=path) from None  # fmt: skip
    found = _codec(declared)
    if found is None:
        m = _META_CHARSET.search(data, 0, 4096)
        found = _codec(m.group(1).decode("ascii", "replace")) if m else None
    if found is not None and found != "utf-8":
        try:
            return _newlines(data.decode(found))
        except UnicodeDecodeError as exc:
            try:
                return _newlines(data.decode("utf-8"))
            except UnicodeDecodeError:
                line = data.count(b"\n", 0, exc.start) + 1
                col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
                raise ParseError(
                    f"declared charset {found} does not decode byte 0x{data[exc.start]:02x}",
                    path=path,
                    line=line,
                    column=col,
                ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        # UTF-16 without a byte order mark is valid UTF-8 when it is mostly ASCII: a NUL
        # every other byte, which no real page has.
        if text.count("\x00") * 10 < len(text):
            return _newlines(text)
    # The Encoding Standard's fallback for undeclared pages is windows-1252; the other
    # single-byte codecs browsers guess among compete with it and the CJK codecs on one score.
    ranked = rank_encodings(data, also=SINGLE_BYTE)
    if ranked and ranked[0][1] > 0:
        warnings.warn(
            f"{path or '<bytes>'}: no charset declared and not UTF-8; decoded as {ranked[0][0]}",
            stacklevel=2,
        )
        return _newlines(data.decode(ranked[0][0]))
    return decode(data, path=path)  # raises the usual UTF-8 error with its position


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


# --------------------------------------------------------------------------- sniffing

_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)
_XHTML_START = re.compile(rb"^\s*<\?xml[^>]*\?>\s*(<!doctype\s+html|<html)", re.I | re.S)


def sniff_head(data: bytes, size: int = 4096) -> bytes:
    """The first bytes as UTF-8 for sniffing: a UTF-16 document (with its BOM) is transcoded."""
    for bom, enc in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[2 : 2 + 2 * size].decode(enc, "ignore").encode("utf-8")
    return data[:size].removeprefix(codecs.BOM_UTF8)


def looks_like_html(data: bytes) -> bool:
    """True when the bytes open like an HTML document (doctype, ``<html>``, an XHTML prolog)."""
    head = sniff_head(data, 2048)
    return bool(_HTML_START.match(head) or _XHTML_START.match(head))


_HEADER_LINE = re.compile(rb"^([A-Za-z0-9][A-Za-z0-9-]*):[ \t]|^[ \t]")


def looks_like_email(data: bytes) -> bool:
    """True when the bytes open with an RFC 5322 header block, not just a "From:" line.

    Every line up to the first blank one must be a header (or a folded continuation), and the
    names must include ``MIME-Version``, or ``From`` with ``Date``, ``Subject``, ``To``,
    ``Message-ID`` or ``Received`` — a digest that opens with "From: 新华社" is prose.
    """
    head = sniff_head(data).replace(b"\r\n", b"\n")
    block = head.split(b"\n\n", 1)[0]
    names: set[bytes] = set()
    for line in block.split(b"\n"):
        m = _HEADER_LINE.match(line)
        if m is None:
            return False
        if m.group(1):
            names.add(m.group(1).lower())
    if len(names) < 2:
        return False
    return b"mime-version" in names or (
        b"from" in names and bool(names & {b"date", b"subject", b"to", b"message-id", b"received"})
    )


# --------------------------------------------------------------------------- e-mail


@dataclass(slots=True)
class _Mail:
    body: bytes
    charset: str | None
    subtype: str
    meta: dict[str, Any] = field(default_factory=dict)
    #: images sent with the message (MHTML parts, ``cid:`` e-mail images): URL → (type, bytes)
    images: dict[str, tuple[str, bytes]] = field(default_factory=dict)


_MAIL_IMAGE_LIMIT = 16 * 1024 * 1024


def _mail_images(msg: email.message.Message) -> dict[str, tuple[str, bytes]]:
    """Image parts by the URLs the HTML uses for them: ``Content-Location`` and ``cid:``."""
    found: dict[str, tuple[str, bytes]] = {}
    for part in msg.walk():
        if part.get_content_maintype() != "image":
            continue
        try:
            payload = part.get_payload(decode=True)
        except Exception:  # a broken transfer encoding: the image stays a URL
            continue
        if not isinstance(payload, bytes) or len(payload) > _MAIL_IMAGE_LIMIT:
            continue
        image = (part.get_content_type(), payload)
        location = part.get("content-location")
        if location:
            found[str(location).strip()] = image
        cid = part.get("content-id")
        if cid:
            found["cid:" + str(cid).strip().strip("<>")] = image
    return found


def _embed_images(doc: Document, images: dict[str, tuple[str, bytes]]) -> Document:
    """Images the message carries become ``data:`` URLs, which the EPUB/PDF writers embed."""
    if not images:
        return doc
    import base64

    from ..ast import walk

    def swap(node: Any) -> Any:
        if isinstance(node, Image) and node.url in images:
            kind, payload = images[node.url]
            url = f"data:{kind};base64,{base64.b64encode(payload).decode('ascii')}"
            return Image(url=url, alt=node.alt, title=node.title)
        return node

    result = walk(doc, swap)
    assert isinstance(result, Document)
    return result


def _mail(data: bytes, path: str | None) -> _Mail:
    """The HTML (else plain) part of a message, its charset and header metadata."""
    msg = email.message_from_bytes(data, policy=email.policy.default)
    part = msg.get_body(preferencelist=("html", "plain"))
    if part is None:
        raise ParseError("the message has no HTML or plain-text part", path=path)
    try:
        body = part.get_payload(decode=True)
    except Exception as exc:  # a broken transfer encoding
        raise ParseError(f"cannot decode the message body: {exc}", path=path) from None
    if not isinstance(body, bytes):
        raise ParseError("the message body is not text", path=path)
    meta: dict[str, Any] = {}
    subject = msg.get("subject")
    if subject:
        meta["title"] = str(subject).strip()
    sender = msg.get("from")
    if sender:
        addresses = getattr(sender, "addresses", ())
        names = [a.display_name or a.addr_spec for a in addresses] or [str(sender)]
        meta["author"] = ", ".join(n for n in names if n)
    date = msg.get("date")
    if date:
        with contextlib.suppress(TypeError, ValueError, AttributeError):
            meta["date"] = getattr(date, "datetime", None) or email.utils.parsedate_to_datetime(
                str(date)
            )
    location = msg.get("snapshot-content-location") or part.get("content-location")
    if location:
        meta["source"] = str(location).strip()
    return _Mail(
        body, part.get_content_charset(), part.get_content_subtype(), meta, _mail_images(msg)
    )


# --------------------------------------------------------------------------- metadata

_ARTICLE_TYPES = {"Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle",
                  "AnalysisNewsArticle", "OpinionNewsArticle", "TechArticle", "Report"}  # fmt: skip


def _attr(node: LexborNode, name: str) -> str | None:
    value = node.attributes.get(name)
    return value if isinstance(value, str) else None


def _json_ld(tree: LexborHTMLParser) -> dict[str, Any]:
    """The first JSON-LD object typed as an article (``NewsArticle``, ``BlogPosting`` …)."""
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(node.text(deep=True) or "null")
        except ValueError:
            continue
        stack: list[Any] = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                kind = item.get("@type")
                kinds = set(kind) if isinstance(kind, list) else {kind}
                if kinds & _ARTICLE_TYPES:
                    return item
                if isinstance(item.get("@graph"), list):
                    stack.extend(item["@graph"])
    return {}


def _ld_name(value: Any) -> str | None:
    """A JSON-LD person/organisation (or list of them) as display text."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        name = value.get("name")
        return name.strip() if isinstance(name, str) and name.strip() else None
    if isinstance(value, list):
        names = [n for n in (_ld_name(v) for v in value) if n]
        return ", ".join(names) or None
    return None


def _split_keywords(value: str) -> tuple[str, ...]:
    return tuple(k.strip() for k in re.split(r"[,，、;；]", value) if k.strip())


def _page_meta(tree: LexborHTMLParser) -> Meta:
    """Document metadata from ``<title>``, ``<html lang>``, ``<meta>``, Open Graph and JSON-LD."""
    named: dict[str, str] = {}
    props: dict[str, list[str]] = {}
    for node in tree.css("meta"):
        content = _attr(node, "content")
        if content is None or not content.strip():
            continue
        name = _attr(node, "name") or _attr(node, "http-equiv")
        prop_name = _attr(node, "property")
        if name:
            named.setdefault(name.strip().lower(), content.strip())
        if prop_name:
            props.setdefault(prop_name.strip().lower(), []).append(content.strip())
        elif name and ":" in name:  # twitter:* and some og:* are written with name=
            props.setdefault(name.strip().lower(), []).append(content.strip())

    def prop(key: str) -> str | None:
        values = props.get(key)
        return values[0] if values else None

    ld = _json_ld(tree)
    title_node = tree.css_first("title")
    html = tree.css_first("html")
    lang = (_attr(html, "lang") or _attr(html, "xml:lang")) if html is not None else None
    lang = _lang_tag(lang) or _lang_tag(named.get("content-language") or named.get("language"))
    title = (prop("og:title") or (ld.get("headline") if isinstance(ld.get("headline"), str) else None)
             or (title_node.text(deep=True).strip() if title_node is not None else None))  # fmt: skip
    author = named.get("author") or _ld_name(ld.get("author"))
    if author is None:
        article_author = prop("article:author")
        if article_author and not article_author.startswith(("http:", "https:")):
            author = article_author
    tags = _split_keywords(named.get("keywords", "")) + tuple(props.get("article:tag", ()))
    if not tags and isinstance(ld.get("keywords"), (str, list)):
        kw = ld["keywords"]
        tags = _split_keywords(kw) if isinstance(kw, str) else tuple(str(k) for k in kw)
    date = parse_web_date(prop("article:published_time") or _str(ld.get("datePublished"))
                 or named.get("date") or named.get("dc.date"))  # fmt: skip
    lastmod = parse_web_date(prop("article:modified_time") or _str(ld.get("dateModified")))
    canonical = tree.css_first('link[rel="canonical"]')
    source = prop("og:url") or (_attr(canonical, "href") if canonical is not None else None)
    image = prop("og:image") or _ld_image(ld.get("image"))
    extra: dict[str, Any] = {}
    address = _page_address(tree, canonical, prop("og:url"))
    if address:
        extra["base_url"] = address
    for key in ("og:site_name", "og:type", "article:section"):
        if prop(key):
            extra[key] = prop(key)
    return Meta(
        title=title or None,
        lang=lang.strip() if lang and lang.strip() else None,
        description=named.get("description") or prop("og:description"),
        author=author,
        tags=tuple(dict.fromkeys(tags)),
        date=date,
        lastmod=lastmod,
        source=source,
        cover_image=image,
        extra=extra,
    )


def _page_address(
    tree: LexborHTMLParser, canonical: LexborNode | None, og_url: str | None
) -> str | None:
    """The address a saved page's relative links (``/about``, ``page2.html``) are relative to.

    A saved page has lost the URL it was served from, so its relative links lead nowhere in a
    book; the page often still states its address. In the order a browser and the page's own
    claims rank them: ``<base href>`` (what the browser resolves against), ``<link
    rel="canonical">``, ``<meta property="og:url">``. Only an absolute ``http(s)`` address
    counts (a relative ``<base href>`` is taken against the next one). Kept in
    ``Meta.extra["base_url"]`` for the renderer (``links.resolve``); the AST's URLs stay as written.
    """
    from urllib.parse import urljoin

    base_node = tree.css_first("base[href]")
    base = (_attr(base_node, "href") or "").strip() if base_node is not None else ""
    claims = [(_attr(canonical, "href") or "").strip() if canonical is not None else "",
              (og_url or "").strip()]  # fmt: skip
    absolute = [c for c in claims if _HTTP_URL.match(c)]
    if base and not _HTTP_URL.match(base) and absolute:
        base = urljoin(absolute[0], base)
    for candidate in (base, *absolute):
        if _HTTP_URL.match(candidate):
            return candidate
    return None


_HTTP_URL = re.compile(r"^https?://[^/\s]", re.I)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _ld_image(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _str(value.get("url"))
    if isinstance(value, list) and value:
        return _ld_image(value[0])
    return None


# --------------------------------------------------------------------------- cleaning

#: Elements whose content is never text for a reader: dropped with everything inside.
_DROP = ("script", "style", "noscript", "template", "iframe", "object", "embed", "applet",
         "input", "button", "select", "textarea", "option", "datalist", "output", "canvas",
         "svg", "audio", "video", "source", "track", "map", "dialog", "link", "meta",
         "base", "title", "head")  # fmt: skip
# <rt> and <rp> are not dropped here: _Builder.ruby reads a reading into a Ruby node (issue 25;
# it used to be dropped, and an EPUB's furigana with it), and drops <rp> and any stray <rt>.

#: Page furniture: navigation, landmarks, asides (page-level headers/footers are handled apart).
_BOILERPLATE = ("nav", "aside", '[role="navigation"]', '[role="banner"]', '[role="contentinfo"]',
                '[role="complementary"]', '[role="search"]', "[hidden]", '[aria-hidden="true"]')  # fmt: skip
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_UNSAFE_URL = re.compile(r"^\s*(javascript|vbscript)\s*:", re.I)


def _decompose_all(root: LexborNode, selectors: Iterable[str]) -> None:
    for selector in selectors:
        for node in root.css(selector):
            with contextlib.suppress(Exception):  # already gone with an ancestor
                node.decompose()


def _clean(tree: LexborHTMLParser, *, page: bool) -> None:
    """Drop what is never content; with ``page``, also drop page furniture outside articles."""
    root = tree.root
    if root is None:
        return
    _decompose_all(root, _DROP)
    for node in root.css("[style]"):
        if _HIDDEN_STYLE.search(_attr(node, "style") or ""):
            with contextlib.suppress(Exception):
                node.decompose()
    if page:
        _decompose_all(root, _BOILERPLATE)
        for tag in ("header", "footer"):
            for node in root.css(tag):
                if not _inside(node, {"article", "section", "blockquote", "figure"}):
                    with contextlib.suppress(Exception):
                        node.decompose()


def _inside(node: LexborNode, tags: set[str]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.parent
    return False


# --------------------------------------------------------------------------- footnotes

_NOTE_CONTAINERS = (
    "section.footnotes", "div.footnotes", "section.footnote", '[role="doc-endnotes"]',
    'aside[role="doc-footnote"]', "ol.footnotes", 'aside[epub\\:type="footnote"]',
    'aside[epub\\:type="endnote"]', 'section[epub\\:type="footnotes"]',
    'section[epub\\:type="endnotes"]',
)  # fmt: skip
_BACKLINKS = ("a.footnote-back", "a.footnote-backref", 'a[role="doc-backlink"]',
              'a[href^="#fnref"]', 'a[href^="#ref-"]')  # fmt: skip
_NOTE_ID = re.compile(r"^(fn|footnote|note|en)[-_:]?", re.I)


def _note_label(note_id: str) -> str:
    return _NOTE_ID.sub("", note_id) or note_id


# --------------------------------------------------------------------------- blocks

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCK_TAGS = frozenset({
    "p", *_HEADINGS, "ul", "ol", "dl", "dt", "dd", "li", "blockquote", "pre", "hr", "table",
    "figure", "figcaption", "article", "section", "div", "main", "header", "footer", "nav",
    "aside", "address", "details", "summary", "fieldset", "form", "center", "hgroup", "menu",
    "search", "body", "html", "tbody", "thead", "tfoot", "tr", "td", "th", "caption", "legend",
    "listing", "xmp", "plaintext",
})  # fmt: skip
_EMPHASIS = frozenset({"em", "i", "cite", "var", "dfn"})
_STRONG = frozenset({"strong", "b"})
_STRIKE = frozenset({"del", "s", "strike"})
_CODE = frozenset({"code", "kbd", "samp", "tt"})
_WS = re.compile(r"[ \t\n\r\f]+")
_ALIGN_STYLE = re.compile(r"text-align\s*:\s*(left|center|right)", re.I)


class _Builder:
    """Maps one parsed (and cleaned) HTML tree to AST blocks.

    Inline whitespace follows CSS ``white-space: normal``: runs collapse to one space, and a run
    holding a newline becomes a :class:`SoftBreak` (so a page made from Markdown gives back the
    Markdown reader's soft breaks, and CJK writers can drop them between Han characters).
    """

    def __init__(self, notes: dict[str, tuple[str, tuple[Block, ...]]]) -> None:
        self.notes = notes
        self.used_notes: set[str] = set()

    # ---- inlines

    def inlines(self, node: LexborNode) -> list[Inline]:
        out: list[Inline] = []
        for child in node.iter(include_text=True):
            out.extend(self.inline(child))
        return out

    def inline(self, node: LexborNode) -> list[Inline]:
        tag = node.tag
        if tag == "-text":
            return _text_inlines(node.text_content or "")
        if tag is None or tag.startswith("-") or tag.startswith("!"):
            return []
        if tag == "br":
            return [HardBreak()]
        if tag in ("wbr", "rt", "rp", "rtc"):  # a reading outside <ruby> is not text
            return []
        if tag == "ruby":
            return self.ruby(node)
        if tag in _EMPHASIS:
            return [Emphasis(children=tuple(self.inlines(node)))]
        if tag in _STRONG:
            return [Strong(children=tuple(self.inlines(node)))]
        if tag in _STRIKE:
            return [Strikethrough(children=tuple(self.inlines(node)))]
        if tag in _CODE:
            if node.parent is not None and node.parent.tag == "pre":
                return [Text(text=node.text(deep=True))]
            return [Code(text=node.text(deep=True).replace("\n", " "))]
        if tag == "math":
            return _math(node)
        if tag == "img":
            image = _image(node)
            return [image] if image is not None else []
        if tag == "a":
            return self.link(node)
        if tag in _BLOCK_TAGS:
            # Block content inside inline context (a <div> in an <a>, a layout cell …):
            # keep its text, separated like the lines it was laid out on.
            inner = self.inlines(node)
            return [SoftBreak(), *inner, SoftBreak()] if inner else []
        return self.inlines(node)  # span, sup, sub, u, mark, small, abbr, time, font, q …

    def ruby(self, node: LexborNode) -> list[Inline]:
        """``<ruby>base<rp>(</rp><rt>reading</rt><rp>)</rp></ruby>`` → one :class:`Ruby` per
        ``<rt>`` (``<rb>`` bases too; ``<rp>`` is for browsers without ruby and is dropped); a
        base with no reading after it stays plain text, a reading with no base is dropped."""
        out: list[Inline] = []
        base: list[Inline] = []
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag in ("rt", "rtc"):
                reading = " ".join(child.text(deep=True).split())
                kids = _tidy(base)
                if kids:
                    out.append(Ruby(base=kids, annotation=reading))
                base = []
            elif tag == "rb":
                base.extend(self.inlines(child))
            elif tag != "rp":
                base.extend(self.inline(child))
        return out + base

    def link(self, node: LexborNode) -> list[Inline]:
        href = _attr(node, "href")
        target = href[1:] if href and href.startswith("#") else None
        if target is not None and target in self.notes:
            label, blocks = self.notes[target]
            self.used_notes.add(target)
            return [Note(blocks=blocks, label=label)]
        children = self.inlines(node)
        if href is None or _UNSAFE_URL.match(href):
            return children
        return [Link(url=href.strip(), children=tuple(children), title=_attr(node, "title"))]

    def paragraph(self, inlines: list[Inline]) -> Paragraph | None:
        children = _tidy(inlines)
        return Paragraph(children=children) if children else None

    # ---- blocks

    def blocks(self, node: LexborNode, *, top: bool = False) -> list[Block]:
        out: list[Block] = []
        run: list[Inline] = []

        def flush() -> None:
            para = self.paragraph(run)
            if para is not None:
                out.append(para)
            run.clear()

        for child in node.iter(include_text=True):
            tag = child.tag
            if tag in _BLOCK_TAGS:
                flush()
                out.extend(self.block(child, top=top))
            else:
                run.extend(self.inline(child))
        flush()
        return out

    def block(self, node: LexborNode, *, top: bool) -> list[Block]:
        tag = node.tag
        if tag == "p" and _is_dateline(node):
            return []
        if tag == "p" or tag == "address" or tag == "summary" or tag == "legend":
            para = self.paragraph(self.inlines(node))
            return [para] if para is not None else []
        if tag in _HEADINGS:
            children = _tidy(self.inlines(node))
            ident = _attr(node, "id")
            anchors = [c for c in children if _anchor_id(c) is not None]
            if anchors:  # a heading is its own anchor: it takes the id _mark_anchors kept
                ident = ident or _anchor_id(anchors[0])
                children = _tidy([c for c in children if c is not anchors[0]])
            if not children:
                return []
            return [Heading(level=_HEADINGS[tag], children=children, id=ident)]
        if tag in ("ul", "ol", "menu"):
            return self.a_list(node)
        if tag == "li":  # a stray <li> outside any list
            return self.blocks(node)
        if tag == "blockquote":
            inner = self.blocks(node)
            return [BlockQuote(blocks=tuple(inner))] if inner else []
        if tag in ("pre", "listing", "xmp", "plaintext"):
            return [_code_block(node)]
        if tag == "hr":
            return [ThematicBreak()]
        if tag == "table":
            return self.table(node, top=top)
        if tag == "figure":
            return self.figure(node)
        if tag == "figcaption" or tag == "caption":
            children = _tidy(self.inlines(node))
            return [Caption(children=children)] if children else []
        if tag == "dt":
            children = _tidy(self.inlines(node))
            return [Paragraph(children=(Strong(children=children),))] if children else []
        if tag == "article" and top:
            return [self.article(node)]
        if tag == "section" and top and "article" in (_attr(node, "class") or "").split():
            return [self.article(node)]  # digestkit's own XHTML (EPUB chapters)
        if tag in ("tr", "td", "th", "tbody", "thead", "tfoot"):
            return self.blocks(node, top=top)
        # div, section, main, header, footer, dd, details, form, center, body …: transparent
        return self.blocks(node, top=top)

    def a_list(self, node: LexborNode) -> list[Block]:
        items: list[ListItem] = []
        tight = True
        for child in node.iter(include_text=True):
            if child.tag == "li":
                if child.css_first("p") is not None:
                    tight = False
                items.append(ListItem(blocks=tuple(self.blocks(child))))
            elif child.tag in ("ul", "ol") and items:  # a list nested without its <li>
                last = items[-1]
                items[-1] = ListItem(blocks=(*last.blocks, *self.a_list(child)))
            elif child.tag != "-text" or (child.text_content or "").strip():
                inner = self.blocks(child) if child.tag in _BLOCK_TAGS else []
                para = None if inner else self.paragraph(self.inline(child))
                extra = inner or ([para] if para else [])
                if extra:
                    items.append(ListItem(blocks=tuple(extra)))
        if not items:
            return []
        if node.tag == "ol":
            start = _int(_attr(node, "start"), 1)
            return [OrderedList(items=tuple(items), start=start, tight=tight)]
        return [BulletList(items=tuple(items), tight=tight)]

    def figure(self, node: LexborNode) -> list[Block]:
        out: list[Block] = []
        images = [_image(i) for i in node.css("img")]
        alts = {plain_text(img.alt[0]) for img in images if img is not None and img.alt}
        for b in self.blocks(node):
            # pandoc repeats an image's alt text as a hidden caption (implicit figures)
            if isinstance(b, Caption) and plain_text(b) in alts:
                cap = node.css_first("figcaption")
                if cap is not None and _attr(cap, "aria-hidden") == "true":
                    continue
            out.append(b)
        return out

    def table(self, node: LexborNode, *, top: bool) -> list[Block]:
        rows = [tr for tr in node.css("tr") if _nearest(tr, "table") == node]
        if _is_layout_table(node, rows):
            return self.blocks(node, top=top)
        head: list[LexborNode] | None = None
        body: list[list[LexborNode]] = []
        for tr in rows:
            cells = [c for c in tr.iter() if c.tag in ("td", "th")]
            in_head = tr.parent is not None and tr.parent.tag == "thead"
            if head is None and (in_head or (not body and all(c.tag == "th" for c in cells))):
                head = cells
            else:
                body.append(cells)
        if head is None:  # no header row: the first row stands in (GFM tables need one)
            head = body.pop(0) if body else []
        out: list[Block] = []
        caption = node.css_first("caption")
        if caption is not None and _nearest(caption, "table") == node:
            children = _tidy(self.inlines(caption))
            if children:
                out.append(Caption(children=children))
        # Rows of a GFM table are as wide as its header: pad short rows (and a short header)
        # with empty cells rather than drop the text of a long one. Spans are not kept.
        width = max([len(head), *(len(r) for r in body)])
        empty = TableCell(children=())
        header = [self.cell(c) for c in head] + [empty] * (width - len(head))
        grid = [[self.cell(c) for c in r] + [empty] * (width - len(r)) for r in body]
        no_align: Align = ""
        aligns = tuple(_align(c) for c in head) + (no_align,) * (width - len(head))
        out.insert(
            0,
            Table(
                header=tuple(header),
                rows=tuple(tuple(r) for r in grid),
                aligns=aligns if any(aligns) else (),
            ),
        )
        return out

    def cell(self, node: LexborNode) -> TableCell:
        parts: list[Inline] = []
        for b in self.blocks(node):
            text = _tidy(_block_inlines(b))
            if text:
                if parts:
                    parts.append(HardBreak())
                parts.extend(text)
        return TableCell(children=tuple(parts))

    def article(self, node: LexborNode) -> Article:
        # digestkit's own XHTML writes "column · author · source" as <p class="byline">: it is
        # metadata there, so it leaves the body (and fills ``author`` below).
        own_byline = node.tag == "section" and node.css_first("p.byline") is not None
        date = _article_date(node)  # before the byline (which may hold it) leaves the tree
        if own_byline:
            byline = node.css_first("p.byline")
            if byline is not None:
                for t in byline.css("time"):  # the date is metadata, not part of the author
                    t.decompose()
            author_text = _WS.sub(" ", byline.text(deep=True)).strip() if byline else ""
            if byline is not None:
                byline.decompose()
        blocks = self.blocks(node)
        title: str | None = None
        for i, b in enumerate(blocks[:4]):
            # the title is the first heading, after at most a few images, captions or dates
            if isinstance(b, Heading):
                title = plain_text(b).strip() or None
                del blocks[i]
                break
            if not (
                isinstance(b, Caption) or (isinstance(b, Paragraph) and len(plain_text(b)) < 40)
            ):
                break
        author = author_text.strip(" ·") or None if own_byline else None
        for selector in (
            ()
            if author
            else ('[rel="author"]', '[itemprop="author"]', ".author", ".byline", "address")
        ):
            found = node.css_first(selector)
            if found is not None and found.text(deep=True).strip():
                text = found.text(deep=True)
                for t in found.css("time"):  # "甲 · <time>3月2日</time>": the date is ``date``
                    text = text.replace(t.text(deep=True), " ", 1)
                author = _WS.sub(" ", text).strip(" \t\n·|,，、—-") or None
                if author:
                    break
        tags = tuple(dict.fromkeys(
            t.text(deep=True).strip() for t in node.css('a[rel="tag"]') if t.text(deep=True).strip()
        ))  # fmt: skip
        lang = _lang_tag(_attr(node, "lang") or _attr(node, "xml:lang"))
        return Article(
            meta=ArticleMeta(title=title, author=author, tags=tags, lang=lang or None, date=date),
            blocks=tuple(blocks),
        )


_PUBLISHED = ('[itemprop="datePublished"]', "time.dt-published", "time[pubdate]", "time.published",
              "time[datetime]")  # fmt: skip


def _article_date(node: LexborNode) -> str | None:
    """The article's own date: the ``<time datetime>`` (or ``itemprop="datePublished"``) that
    says it was published, else its first ``<time datetime>`` — never one of a nested article
    (a comment), and only a value that parses as a date."""
    for selector in _PUBLISHED:
        for found in node.css(selector):
            if _in_nested_article(found, node):
                continue
            value = iso_date(parse_web_date(_attr(found, "datetime") or _attr(found, "content")))
            if value:
                return value
    return None


def _in_nested_article(found: LexborNode, article: LexborNode) -> bool:
    owner = found.parent
    while owner is not None and owner != article:
        if owner.tag == "article" or (
            owner.tag == "section" and "article" in (_attr(owner, "class") or "").split()
        ):
            return True
        owner = owner.parent
    return False


_LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


def _lang_tag(value: str | None) -> str | None:
    """A language tag the page gives, as writers can put it in ``lang``/``xml:lang``: the
    first of a list (``Content-Language: DE, AT, CH`` — a real saved page — is ``DE``); None
    for anything that is no tag (``lang="中文"``), which the language detection then fills."""
    if not value:
        return None
    first = re.split(r"[,;\s]+", value.strip(), maxsplit=1)[0].replace("_", "-")
    return first if _LANG_TAG.match(first) else None


def iso_date(value: _dt.datetime | _dt.date | None) -> str | None:
    """A parsed date as the ISO text :class:`~digestkit.ast.ArticleMeta` keeps: the day, or the
    date and time with the source's own offset, to the second (milliseconds when present —
    HTML's ``<time>`` takes no more)."""
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.isoformat(timespec="milliseconds" if value.microsecond else "seconds")
    return value.isoformat()


def _math(node: LexborNode) -> list[Inline]:
    """MathML as text a reader can follow: its TeX annotation (pandoc writes one) as code, else
    ``alttext``, else the symbols in order."""
    for ann in node.css("annotation"):
        if (_attr(ann, "encoding") or "").lower() in ("application/x-tex", "tex", "latex"):
            tex = ann.text(deep=True).strip()
            if tex:
                return [Code(text=tex)]
    alt = _attr(node, "alttext")
    if alt and alt.strip():
        return [Code(text=alt.strip())]
    for ann in node.css("annotation, annotation-xml"):
        ann.decompose()
    text = _WS.sub(" ", node.text(deep=True, separator=" ")).strip()
    return [Text(text=text)] if text else []


def _is_dateline(node: LexborNode) -> bool:
    """digestkit's own ``<p class="dateline"><time …>`` under a chapter title: metadata."""
    if "dateline" not in (_attr(node, "class") or "").split():
        return False
    kids = [
        c
        for c in node.iter(include_text=True)
        if c.tag != "-text" or (c.text_content or "").strip()
    ]
    return len(kids) == 1 and kids[0].tag == "time"


def _nearest(node: LexborNode, tag: str) -> LexborNode | None:
    parent = node.parent
    while parent is not None and parent.tag != tag:
        parent = parent.parent
    return parent


def _is_layout_table(node: LexborNode, rows: list[LexborNode]) -> bool:
    """Tables used for page layout (newsletters are built of them), not for data.

    Layout: ``role="presentation"``, a table holding another table, a cell with headings,
    paragraphs, lists or quotes, a single column, or a table nested in a layout cell without
    header cells. A nested table with ``<th>`` cells (an order summary in a newsletter) is data.
    """
    if _attr(node, "role") in ("presentation", "none"):
        return True
    if len(node.css("table")) > 1:  # css() matches the node itself too
        return True
    if node.css_first("td p, td div, td h1, td h2, td h3, td ul, td ol, td blockquote") is not None:
        return True
    widths = {sum(1 for c in tr.iter() if c.tag in ("td", "th")) for tr in rows}
    if not rows or max(widths, default=0) < 2:
        return True
    nested = _nearest(node, "td") is not None or _nearest(node, "th") is not None
    return nested and node.css_first("th") is None


def _align(node: LexborNode) -> Align:
    m = _ALIGN_STYLE.search(_attr(node, "style") or "")
    value = (m.group(1) if m else _attr(node, "align") or "").lower()
    return value if value in ("left", "center", "right") else ""  # type: ignore[return-value]


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _image(node: LexborNode) -> Image | None:
    src = _attr(node, "src") or _attr(node, "data-src") or _attr(node, "data-original")
    if not src:
        srcset = _attr(node, "srcset") or _attr(node, "data-srcset") or ""
        src = srcset.strip().split(" ")[0].rstrip(",") if srcset.strip() else None
    if not src or _UNSAFE_URL.match(src):
        return None
    alt = _attr(node, "alt")
    return Image(url=src.strip(), alt=(Text(text=alt),) if alt else (), title=_attr(node, "title"))


_LANG_CLASS = re.compile(r"^(?:language-|lang-)(.+)$")


_NOT_LANGUAGES = frozenset({"sourcecode", "chroma", "highlight", "numbersource", "hljs", "code"})


def _code_block(node: LexborNode) -> CodeBlock:
    """``<pre>`` → CodeBlock; the language from ``language-x``/``lang-x`` classes (CommonMark,
    Hugo), ``data-lang``, or pandoc's bare class on ``<pre>`` (``<pre class="python">``)."""
    text = node.text(deep=True)
    code = node.css_first("code")
    code_classes = ((_attr(code, "class") if code is not None else "") or "").split()
    pre_classes = (_attr(node, "class") or "").split()
    info = ""
    for cls in code_classes + pre_classes:
        m = _LANG_CLASS.match(cls)
        if m:
            info = m.group(1)
            break
    else:
        lang = _attr(code, "data-lang") if code is not None else None
        bare = [c for c in pre_classes if c.lower() not in _NOT_LANGUAGES]
        info = lang or (bare[0] if bare else "")
    if text and not text.endswith("\n"):
        text += "\n"
    return CodeBlock(text=text, info=info)


#: An anchor :func:`_mark_anchors` put into the text: private-use brackets around the id.
_ANCHOR = re.compile("\ue020([^\ue020\ue021]*)\ue021")
#: Containers whose text is never a run of inlines: their anchor goes just before them.
_ANCHOR_BEFORE = frozenset(("ul", "ol", "dl", "menu", "table", "thead", "tbody", "tfoot", "tr"))


def _mark_anchors(root: LexborNode, skip: Iterable[str]) -> None:
    """Keep the element ids this page's own ``#links`` point to, through extraction too.

    The AST has ids on headings only, and trafilatura's output has none: a saved Wikipedia
    page's ``#cite_note-2`` (an ``<li id>``), a ``<a name>`` or ``<p id>`` target was lost and
    every link to it became text with a warning. Each target gets its id as text at its start
    (private-use brackets, which no page writes), which extraction keeps with the words around
    it; :func:`_text_inlines` turns it into an ``<a id="…"></a>`` anchor, and a heading takes it
    as its own id. ``skip``: the footnotes' ids (their links become ``Note``s).
    """
    wanted = {
        unquote(href[1:].strip())
        for a in root.css("a[href]")
        if (href := _attr(a, "href") or "").startswith("#") and len(href) > 1
    }
    wanted.difference_update(skip)
    if not wanted:
        return
    done: set[str] = set()
    for node in root.css("[id], a[name]"):
        ident = _attr(node, "id") or _attr(node, "name") or ""
        if ident not in wanted or ident in done or not ident.strip():
            continue
        done.add(ident)
        marker = f"\ue020{ident}\ue021"
        if node.tag in _ANCHOR_BEFORE or node is root:
            if node is not root:
                node.insert_before(marker)
        elif node.child is not None:
            node.child.insert_before(marker)
        else:
            node.insert_child(marker)


def _text_inlines(text: str) -> list[Inline]:
    if "\ue020" in text:  # an anchor _mark_anchors put there
        out: list[Inline] = []
        pos = 0
        for m in _ANCHOR.finditer(text):
            out.extend(_text_inlines(text[pos : m.start()]))
            out.append(HtmlInline(text=f'<a id="{html.escape(m.group(1), quote=True)}"></a>'))
            pos = m.end()
        out.extend(_text_inlines(text[pos:]))
        return out
    out = []
    pos = 0
    for m in _WS.finditer(text):
        if m.start() > pos:
            out.append(Text(text=text[pos : m.start()]))
        out.append(SoftBreak() if "\n" in m.group() else Text(text=" "))
        pos = m.end()
    if pos < len(text):
        out.append(Text(text=text[pos:]))
    return out


def _anchor_id(node: Inline) -> str | None:
    """The id of an anchor :func:`_text_inlines` made, else None."""
    if (
        isinstance(node, HtmlInline)
        and node.text.startswith('<a id="')
        and node.text.endswith('"></a>')
    ):
        return html.unescape(node.text[7:-6])
    return None


def _is_space(node: Inline) -> bool:
    return isinstance(node, SoftBreak) or (isinstance(node, Text) and node.text == " ")


def _tidy(inlines: list[Inline]) -> tuple[Inline, ...]:
    """Collapse whitespace across element edges, trim both ends, merge adjacent text.

    Browsers render ``a<em> b </em>c`` as "a *b* c": a space at the edge of an inline element
    belongs between the words. So edge spaces are moved out of containers first, then runs are
    collapsed (a newline wins over a space) and the ends trimmed.
    """
    flat: list[Inline] = []
    for node in inlines:
        flat.extend(_hoist_spaces(node))
    out: list[Inline] = []
    for node in flat:
        if _is_space(node):
            if not out or isinstance(out[-1], HardBreak):
                continue
            if _is_space(out[-1]):
                if isinstance(node, SoftBreak):
                    out[-1] = node
                continue
        elif isinstance(node, HardBreak):
            while out and _is_space(out[-1]):
                out.pop()
        elif isinstance(node, (Emphasis, Strong, Strikethrough, Link)) and not node.children:
            continue
        out.append(node)
    while out and (_is_space(out[-1]) or isinstance(out[-1], HardBreak)):
        out.pop()
    while out and isinstance(out[0], HardBreak):
        out.pop(0)
    merged: list[Inline] = []
    for node in out:
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(text=merged[-1].text + node.text)
        else:
            merged.append(node)
    return tuple(merged)


def _hoist_spaces(node: Inline) -> list[Inline]:
    """``<em> b </em>`` → space, ``Emphasis(b)``, space (children tidied)."""
    if not isinstance(node, (Emphasis, Strong, Strikethrough, Link)):
        return [node]
    inner: list[Inline] = []
    for child in node.children:
        inner.extend(_hoist_spaces(child))
    before = [inner[0]] if inner and _is_space(inner[0]) else []
    after = [inner[-1]] if len(inner) > 1 and _is_space(inner[-1]) else []
    return [*before, replace(node, children=_tidy(inner)), *after]


def _block_inlines(block: Block) -> list[Inline]:
    match block:
        case Paragraph(children=c) | Heading(children=c) | Caption(children=c):
            return list(c)
        case CodeBlock(text=t):
            return [Code(text=t.rstrip("\n"))]
    return [Text(text=plain_text(block))] if plain_text(block).strip() else []


def _collect_notes(builder: _Builder, root: LexborNode) -> None:
    """Footnote bodies by id (pandoc, Hugo/goldmark, EPUB ``epub:type`` markup), then removed."""
    for selector in _NOTE_CONTAINERS:
        for container in root.css(selector):
            items = [n for n in container.css("li[id], aside[id], div[id]") if n is not container]
            items = [n for n in items if _attr(n, "id") != _attr(container, "id")]
            if not items and container.tag == "aside" and _attr(container, "id"):
                items = [container]  # a lone EPUB <aside epub:type="footnote" id=…>
            for item in items:
                _decompose_all(item, _BACKLINKS)
                note_id = _attr(item, "id")
                if note_id is None:
                    continue
                blocks = _strip_note_end(builder.blocks(item))
                builder.notes[note_id] = (_note_label(note_id), tuple(blocks))
            with contextlib.suppress(Exception):
                container.decompose()


def _strip_note_end(blocks: list[Block]) -> list[Block]:
    """Drop the no-break space goldmark leaves before its removed back-link."""
    if blocks and isinstance(blocks[-1], Paragraph):
        kids = list(blocks[-1].children)
        if kids and isinstance(kids[-1], Text):
            text = kids[-1].text.rstrip(" \xa0")
            kids[-1:] = [Text(text=text)] if text else []
        blocks[-1] = Paragraph(children=tuple(kids))
    return blocks


# --------------------------------------------------------------------------- main content

Strategy = Literal["auto", "page", "all", "extract"]


_FURNITURE_NAME = re.compile(
    r"(?:^|[\s_-])(menu|nav|navbar|navigation|sidebar|footer|header|breadcrumbs?|cookies?|share|"
    r"sharing|social|comments?|related|widget|banner|masthead|subscribe|newsletter|ads?|advert)"
    r"(?:$|[\s_-])",
    re.I,
)


_INNER_FURNITURE = re.compile(
    r"(?:^|[\s_-])(share|sharing|social|related|comments?|newsletter|subscribe|ads?|advert\w*|"
    r"breadcrumbs?|cookies?|widget|banner|sidebar|promo\w*|recommend\w*|sponsor\w*|popular|"
    r"trending|paywall|signup|outbrain|taboola)(?:$|[\s_-])",
    re.I,
)


def _prune_named_furniture(root: LexborNode) -> None:
    """Drop boxes named as furniture (share bars, related links, comments, ads) inside the
    content, when they hold under a third of its text — a box holding most of it is content
    whatever its class says."""
    total = len(_WS.sub("", root.text(deep=True))) or 1
    for node in root.css("[class], [id]"):
        if node.tag in ("body", "main", "html"):
            continue
        name = f"{_attr(node, 'class') or ''} {_attr(node, 'id') or ''}"
        if not _INNER_FURNITURE.search(name):
            continue
        with contextlib.suppress(Exception):  # gone with an ancestor already
            if len(_WS.sub("", node.text(deep=True))) * 3 < total:
                node.decompose()


def _is_web_page(tree: LexborHTMLParser) -> bool:
    """A page with site furniture (navigation, landmarks, menus, sidebars), not a bare document.

    pandoc's standalone ``<header id="title-block-header">`` has no links, so it does not count.
    """
    if tree.css_first('nav, aside, [role="navigation"], [role="banner"], [role="contentinfo"], '
                      "body > header a, body > footer a") is not None:  # fmt: skip
        return True
    named = 0
    for node in tree.css("[class], [id]"):
        if _FURNITURE_NAME.search(f"{_attr(node, 'class') or ''} {_attr(node, 'id') or ''}"):
            named += 1
            if named >= 2:
                return True
    return False


@functools.cache
def _trafilatura_config() -> Any:
    """trafilatura's settings, with its "baseline" fallback for short results switched off.

    Below 250 characters trafilatura replaces its result by all the page's text run together
    in one paragraph (headings, lists and images gone); :func:`_enough` decides instead, and
    falls back to the built-in rules, which keep the structure.
    """
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    return config


def _extract(text: str, path: str | None) -> str | None:
    """trafilatura's main-content HTML, or None when it is not installed or finds nothing."""
    try:
        import trafilatura
    except ImportError:
        return None
    import logging

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    try:
        out = trafilatura.extract(
            text, output_format="html", include_links=True, include_images=True,
            include_tables=True, include_formatting=True, include_comments=False,
            with_metadata=False, config=_trafilatura_config(),
        )  # fmt: skip
    except Exception:  # trafilatura fails on some odd pages; the built-in rules still apply
        return None
    return out if isinstance(out, str) and out.strip() else None


def read_html(
    text: str,
    *,
    path: str | None = None,
    strategy: Strategy = "auto",
    base_meta: Meta | None = None,
) -> Document:
    """Parse HTML text into a Document (see the module docstring for what is kept).

    ``strategy``: ``"all"`` keeps everything visible; ``"page"`` drops page furniture
    (navigation, landmarks, page header/footer) and keeps ``<main>`` when there is one;
    ``"extract"`` uses trafilatura (``digestkit[web]``) to find the article; ``"auto"`` is
    ``"page"`` for pages with ``<main>``/``<article>`` or no furniture, and ``"extract"`` for
    furnished pages without them when trafilatura is installed.
    """
    from selectolax.lexbor import LexborHTMLParser

    _check_depth(text, path)
    # An XHTML internal DTD subset is never expanded (an HTML5 parser ignores DTDs: no entity
    # bombs, no external entities); drop it so its "]>" does not show as text either.
    text = _DTD_SUBSET.sub(r"\1<!DOCTYPE html>", text, count=1)
    tree = LexborHTMLParser(text)
    meta = _page_meta(tree)
    if base_meta is not None:
        meta = _merge_meta(base_meta, meta)
    if strategy == "auto":
        # One <main> is the author's own word on what the content is; extraction would second-
        # guess it (trafilatura drops link lists, which are what a digest is made of).
        marked = len(tree.css('main, [role="main"]')) == 1
        furnished = _is_web_page(tree) and not marked and not _several_articles(tree)
        strategy = "extract" if furnished and _has_trafilatura() else "page"
    if strategy == "extract" and not _has_trafilatura():
        raise MissingDependencyError(
            'main-content extraction needs trafilatura: pip install "digestkit[web]"'
        )
    # Furniture the markup names is dropped first, even when trafilatura decides the rest:
    # it then never sees navigation, hidden preheaders or scripts.
    _clean(tree, page=strategy != "all")
    body = tree.body
    if body is None:
        return Document(meta=meta)
    root = body
    if strategy != "all":
        mains = body.css('main, [role="main"]')
        if len(mains) == 1:
            root = mains[0]
        if strategy == "page":
            _prune_named_furniture(root)
    builder = _Builder({})
    limit = sys.getrecursionlimit()
    try:
        # Three frames per nesting level; _check_depth bounds the nesting, so this is bounded.
        sys.setrecursionlimit(max(limit, 4 * _MAX_DEPTH + 1000))
        _collect_notes(builder, root)
        _mark_anchors(root, builder.notes)
        if strategy == "extract":
            extracted = _extract(f"<html><body>{root.html}</body></html>", path)
            if extracted is not None and _enough(extracted, root):
                found = LexborHTMLParser(extracted).body
                root = found if found is not None else root
        blocks = builder.blocks(root, top=True)
        # Notes nobody references (a dangling back-link section) still hold text: keep it.
        for note_id, (_label, note_blocks) in builder.notes.items():
            if note_id not in builder.used_notes:
                blocks.extend(note_blocks)
    except RecursionError:
        raise ParseError("HTML nests too deeply to read", path=path) from None
    finally:
        sys.setrecursionlimit(limit)
    return _single_article(Document(meta=meta, blocks=tuple(blocks)))


_MAX_DEPTH = 2000
_DTD_SUBSET = re.compile(
    r"^(\ufeff?\s*(?:<\?xml[^>]*\?>\s*)?)<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.S | re.I
)
_CONTAINER_TAG = re.compile(
    r"<(/?)(div|section|article|blockquote|span|table|ul|ol|dl|main|aside|nav|figure|em|strong|b|i|a)\b",
    re.I,
)


def _check_depth(text: str, path: str | None) -> None:
    """Refuse absurd nesting before parsing: Lexbor's tree building slows down quadratically
    with depth (100,000 nested ``<div>`` take 19 s), and no real page nests 2,000 deep.

    The estimate counts container open/close tags, which real pages close; a page leaving
    thousands of them open is refused too, which is fine.
    """
    if text.count("<") < _MAX_DEPTH:
        return
    depth = 0
    for m in _CONTAINER_TAG.finditer(text):
        depth += -1 if m.group(1) else 1
        if depth > _MAX_DEPTH:
            raise ParseError(f"HTML nests more than {_MAX_DEPTH} elements deep", path=path)


def _several_articles(tree: LexborHTMLParser) -> bool:
    """Two or more top-level ``<article>`` elements of real length, none dominating.

    Sites mark up teasers in "related" boxes as articles too. A digest page holds several
    full articles (300+ characters each) of which no single one has 70 % of the text; a blog
    post with teasers beside it has one that does, and goes to main-content extraction.
    """
    sizes = [
        size
        for node in tree.css("article")
        if not _inside(node, {"article"})
        and (size := len(_WS.sub("", node.text(deep=True)))) >= 300
    ]
    return len(sizes) > 1 and max(sizes) < 0.7 * sum(sizes)


def _enough(extracted: str, root: LexborNode) -> bool:
    """False when trafilatura kept a sliver of a long page (it sometimes keeps one caption):
    under a tenth of the content's text and under 1,000 characters. The built-in rules then
    apply.
    """
    from selectolax.lexbor import LexborHTMLParser

    total = len(_WS.sub("", root.text(deep=True)))
    kept_body = LexborHTMLParser(extracted).body
    kept = len(_WS.sub("", kept_body.text(deep=True))) if kept_body is not None else 0
    return kept >= 1000 or kept * 10 >= total


def _has_trafilatura() -> bool:
    import importlib.util

    return importlib.util.find_spec("trafilatura") is not None


def _merge_meta(first: Meta, second: Meta) -> Meta:
    """``first``'s fields win; ``second`` fills the gaps (e-mail headers over page tags)."""
    changes = {
        name: getattr(second, name)
        for name in ("title", "date", "author", "source", "lang", "description", "tags",
                     "cover_image", "lastmod")
        if getattr(first, name) in (None, ()) and getattr(second, name) not in (None, ())
    }  # fmt: skip
    return replace(first, **changes)


def _single_article(doc: Document) -> Document:
    """A page that is one ``<article>`` is that article: its title and author fill the metadata.

    ``Article`` nodes are for documents holding several; wrapping a lone blog post in one would
    only add a level every writer then has to look through.
    """
    if len(doc.blocks) != 1 or not isinstance(doc.blocks[0], Article):
        return doc
    art = doc.blocks[0]
    meta = doc.meta
    meta = replace(
        meta,
        title=meta.title or art.meta.title,
        author=meta.author or art.meta.author,
        tags=meta.tags or art.meta.tags,
        lang=meta.lang or art.meta.lang,
        date=meta.date or parse_web_date(art.meta.date),
    )
    blocks = art.blocks
    if art.meta.title and art.meta.title != meta.title:
        blocks = (Heading(level=1, children=(Text(text=art.meta.title),)), *blocks)
    return Document(meta=meta, blocks=blocks)


def html_to_blocks(text: str, *, path: str | None = None) -> tuple[Block, ...]:
    """Blocks of an HTML fragment, everything visible kept (feed entries, EPUB chapters)."""
    return read_html(text, path=path, strategy="all").blocks


def _plain_blocks(text: str) -> tuple[Block, ...]:
    """A plain-text e-mail body: paragraphs at blank lines, line breaks kept as soft breaks."""
    out: list[Block] = []
    for chunk in re.split(r"\n[ \t]*\n", text.strip("\n")):
        lines = [line.rstrip() for line in chunk.split("\n")]
        inlines: list[Inline] = []
        for i, line in enumerate(lines):
            if i:
                inlines.append(SoftBreak())
            if line:
                inlines.append(Text(text=line))
        if any(isinstance(x, Text) and x.text.strip() for x in inlines):
            out.append(Paragraph(children=tuple(inlines)))
    return tuple(out)


# --------------------------------------------------------------------------- reader


class HtmlReader:
    """HTML5 documents and web pages, and e-mails/MHTML archives holding HTML."""

    name: str = "html"
    description: str = "HTML pages and newsletters (.html, .xhtml, .eml, .mhtml); main content kept"
    extensions: tuple[str, ...] = (".html", ".htm", ".xhtml", ".xht", ".eml", ".mhtml", ".mht")
    kind: Literal["text", "bytes"] = "bytes"

    def sniff(self, data: bytes, path: str | None) -> float:
        """Sure for an HTML opening or mail headers; likely for the extensions."""
        if isinstance(data, str):  # a caller still passing decoded text (text-only registries)
            data = data[:8192].encode("utf-8", "surrogatepass")
        if looks_like_html(data) or looks_like_email(data):
            return 0.95
        if path and path.lower().endswith(self.extensions):
            return 0.6
        head = data[:4096].lower()
        if b"<p>" in head and b"</p>" in head and head.count(b"<") > 10:
            return 0.3  # a fragment
        return 0.0

    def read(self, data: bytes, *, path: str | None = None) -> Document:
        """Parse HTML (or a message holding HTML) into a Document."""
        if isinstance(data, str):  # already decoded by a text-only caller: no charset to honour
            if not looks_like_email(data[:4096].encode("utf-8", "surrogatepass")):
                return read_html(data, path=path)
            data = data.encode("utf-8")
        is_mail = looks_like_email(data) or (
            path is not None and path.lower().endswith((".eml", ".mhtml", ".mht"))
            and not looks_like_html(data)
        )  # fmt: skip
        if not is_mail:
            return read_html(decode_html(data, path=path), path=path)
        mail = _mail(data, path)
        base = Meta(**mail.meta)
        if mail.subtype == "html":
            doc = read_html(decode_html(mail.body, declared=mail.charset, path=path),
                            path=path, base_meta=base)  # fmt: skip
            return _embed_images(doc, mail.images)
        from ..textio import decode

        charset = _codec(mail.charset)
        text = decode(mail.body, path=path, encoding=charset if charset != "utf-8" else None)
        return Document(meta=base, blocks=_plain_blocks(text))


READER = HtmlReader()
