"""The one XHTML renderer of the AST, shared by the EPUB, PDF and HTML (page, e-mail) writers.

Output is well-formed XHTML (EPUB content documents must be XML), safe, and offline:

- text and attributes are escaped; headings get the ids Hugo gives them (``links.heading_id``:
  ``## 中文標題`` → ``中文標題``, repeats ``-1``, ``-2`` …; ``h-`` before a leading digit, as XML
  ids need), so tables of contents, PDF bookmarks and the author's own ``#anchor`` links find
  them; an in-page link to an anchor that does not exist keeps its text only, with a warning;
- every ``href``/``src`` is percent-encoded (``links.encode_href``); relative and site-root
  links go through ``links.resolve`` (another chapter of the book, the site's base URL, or text
  with a warning — a link into nothing is an epubcheck error);
- footnotes (``Note``): EPUB 3 ``noteref`` links and ``footnote`` asides at the end of the
  document (``footnotes="aside"``), or in place as ``<span class="footnote">`` for WeasyPrint's
  ``float: footnote`` (``footnotes="inline"``, the PDF writer);
- Hugo shortcodes: the built-ins (figure, highlight, ref/relref, details, param, youtube,
  vimeo, x/tweet, instagram, gist) and the admonition family are rendered; any other keeps its
  content, loses its tags and is named once in a warning. No shortcode markup reaches the text
  but what Hugo prints too: a comment ``{{</* x */>}}`` (in text or code) shows as ``{{< x >}}``;
- raw HTML (``HtmlBlock``/``HtmlInline``) goes through nh3 (Ammonia) with an allow-list — no
  scripts, event handlers, forms, iframes, objects or styles survive — and is then re-serialised
  as XHTML (void elements closed, attributes quoted);
- link URLs with ``javascript:``, ``vbscript:``, ``file:`` or ``data:`` schemes are dropped (the
  link text stays); ``data:`` survives only as an image;
- images: remote ones are never fetched — without ``allow_network`` they become a link carrying
  their alt text, with a warning; local ones are resolved under ``base_dir`` and collected for
  embedding; paths that leave ``base_dir`` are refused (alt text, warning).
"""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, assert_never
from urllib.parse import unquote

from ..ast import (
    Article,
    Block,
    BlockQuote,
    BulletList,
    Caption,
    Code,
    CodeBlock,
    Emphasis,
    HardBreak,
    Heading,
    HtmlBlock,
    HtmlInline,
    Image,
    Inline,
    Link,
    Note,
    OrderedList,
    Paragraph,
    Raw,
    Ruby,
    Shortcode,
    ShortcodeInline,
    SoftBreak,
    Strikethrough,
    Strong,
    Table,
    Text,
    ThematicBreak,
    plain_text,
)
from ..links import BookLinks, UniqueIds, encode_href, resolve, unique_heading_id, xml_id
from ..shortcodes import COMMENT_NAME, comment_at, format_param, lookup_param, tag_at, uncomment

if TYPE_CHECKING:
    from .book import ChapterContent

__all__ = [
    "Asset",
    "RenderContext",
    "TocEntry",
    "render_blocks",
    "render_chapter",
    "render_inlines",
    "sanitize_html",
    "vertical_text",
]

_SAFE_SCHEMES = ("http:", "https:", "mailto:")
_BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|file|data):", re.IGNORECASE)
_REMOTE = re.compile(r"^(?:https?:)?//", re.IGNORECASE)
_VOID = {"br", "hr", "img", "col", "wbr", "area", "source", "track"}
_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp",
    "rt", "ruby", "s", "samp", "section", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var",
}  # fmt: skip
# Raw HTML inside a run of inlines may only keep phrasing tags: a ``<p>`` or ``<div>`` written
# inline in a Markdown paragraph (legal CommonMark, e.g. a TOML string quoted in a post) would
# otherwise put a block inside ``<p>``, which no XHTML reader accepts (epubcheck RSC-005). The
# tags go, their text stays.
_PHRASING_TAGS = _ALLOWED_TAGS - {
    "blockquote", "caption", "col", "colgroup", "dd", "details", "div", "dl", "dt", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
_ALLOWED_ATTRS = {
    # ``id`` anywhere and ``<a name>``: an author's anchors (the html reader keeps link targets
    # as ``<a id="x"></a>``); ``_XhtmlWriter._anchor`` claims them like heading ids
    "*": {"class", "lang", "title", "dir", "id"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "ol": {"start"},
    "time": {"datetime"},
}


@dataclass(frozen=True, slots=True)
class Asset:
    """An image to embed: a local file or fetched bytes, and its name inside the book."""

    source: Path | None
    name: str
    data: bytes | None = None

    def read(self) -> bytes:
        return self.data if self.data is not None else self.source.read_bytes()  # type: ignore[union-attr]


@dataclass(frozen=True, slots=True)
class TocEntry:
    """A heading the table of contents can point at."""

    level: int
    title: str
    anchor: str


@dataclass
class RenderContext:
    """Per-document rendering state: ids in use, headings seen, images to embed, policy."""

    base_dir: Path | None = None
    allow_network: bool = False
    image_prefix: str = "images/"
    ids: UniqueIds = field(default_factory=UniqueIds)
    toc: list[TocEntry] = field(default_factory=list)
    assets: dict[Path, Asset] = field(default_factory=dict)
    warned: set[str] = field(default_factory=set)
    #: the book's documents and base URL, for relative and site-root links (``links.resolve``)
    links: BookLinks = field(default_factory=BookLinks)
    #: this document's path as ``links.documents`` names it, for relative links
    source: str | None = None
    #: ``"aside"``: EPUB 3 noteref + footnote asides; ``"inline"``: in place, for ``float: footnote``
    footnotes: Literal["aside", "inline"] = "aside"
    #: the page's (and site's) parameters for Hugo's ``{{< param "x" >}}`` (``shortcodes.page_params``)
    page_params: Mapping[str, Any] = field(default_factory=dict)
    #: with ``allow_network``: write remote images as ``<img src=URL>`` for the reader's client to
    #: load (e-mail), instead of fetching and embedding them here (EPUB, PDF, the web page)
    hotlink: bool = False
    hugo_ids: UniqueIds = field(default_factory=UniqueIds)
    aliases: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    depth: int = 0
    in_link: int = 0
    #: vertical writing: numbers in CJK text are marked for upright setting (``vertical_text``)
    vertical: bool = False
    #: the document's own address (``ChapterContent.page_url``): its relative links resolve on it
    page_url: str | None = None
    #: links that led nowhere, in order: one warning per document (``warn_unresolved``), not one
    #: per link — a saved page can hold hundreds
    unresolved: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        if message not in self.warned:
            self.warned.add(message)
            warnings.warn(message, stacklevel=4)

    def warn_unresolved(self) -> None:
        """One warning for the links that led nowhere so far: how many, and the first."""
        if not self.unresolved:
            return
        count, first = len(self.unresolved), self.unresolved[0]
        links = "link leads" if count == 1 else f"{count} links lead"
        self.unresolved.clear()
        self.warn(
            f"{self.source or 'document'}: {links} to nothing in the book (first: {first!r}); "
            "text kept (give a base URL to link to the site)"
        )

    def unique_id(self, text: str) -> str:
        """Hugo's id for a heading of this text, unique in the document and a valid XML id."""
        return self._claim(unique_heading_id(text, self.hugo_ids))

    def given_id(self, ident: str) -> str:
        """A heading's own id (``{#id}``, Hugo's rendered ``id=``) as written: a valid XML id,
        and unique — a feed entry whose body repeats its title as a heading with an id would
        otherwise write the id twice, which epubcheck refuses."""
        return self._claim(ident)

    def _claim(self, hugo: str) -> str:
        anchor = self.ids.claim(xml_id(hugo), first=2)  # x, x-2, x-3 … (linear time)
        self.aliases.setdefault(hugo, anchor)
        return anchor


#: What XML 1.0 forbids in a document: C0 controls but TAB, LF and CR, and U+FFFE/U+FFFF. A
#: source can hold them (an ESC byte in a feed's CDATA, which feedparser reads leniently); one
#: in an EPUB chapter makes it ill-formed, so every escape below drops them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _esc(text: str) -> str:
    return html.escape(_NOT_XML.sub("", text), quote=False)


#: a number: digits, and digits joined by . , : (3.5, 3,000, 10:30)
_NUMBER = re.compile(r"(?<![0-9])[0-9]+(?:[.,:][0-9]+)*(?![0-9])")
#: what makes a number part of a Latin phrase (iPhone 16, GPT-4, COVID-19, a URL), which stays
#: sideways with its words
_LATIN_CONTEXT = re.compile(r"[A-Za-z/_@#&=+]")
#: curly quotes, which have no vertical form in CJK fonts (they lie on their side, at the wrong
#: corner); an apostrophe between Latin letters (Trump’s) is left alone
_CURLY = re.compile(r"[“”]|(?<![A-Za-z])[‘’]|[‘’](?![A-Za-z])")
_CORNER = {"“": "「", "”": "」", "‘": "『", "’": "』"}


def vertical_text(text: str) -> str:
    """Escaped ``text`` for vertical writing, its numbers marked for upright setting.

    - one or two digits (``3月12日``) → ``<span class="tcy">`` (``text-combine-upright``:
      tate-chu-yoko, the pair set across one em, as in printed vertical Chinese and Japanese);
    - longer numbers (years, ``3,000``, ``10:30``) → ``<span class="upright">``
      (``text-orientation: upright``): digit by digit down the column. Squeezed into one em,
      four digits are unreadable; left sideways (CSS's default for Latin in ``mixed``), they
      make the reader turn the book for every year. Upright digits keep the column's reading
      direction, as Taiwanese and Hong Kong vertical print sets Arabic numerals;
    - a number touching Latin words (``iPhone 16``, ``GPT-4``, ``COVID-19``, URLs) stays with
      them, sideways, so the phrase reads as one;
    - curly quotes become corner quotes (“” → 「」, ‘’ → 『』): vertical Chinese is quoted with
      corner brackets, which the font turns for the column (OpenType ``vert``), while “” have
      no vertical form and lie on their side at the wrong corner.
    """
    text = _CURLY.sub(lambda m: _CORNER[m.group()], text)
    out: list[str] = []
    pos = 0
    for m in _NUMBER.finditer(text):
        before = text[: m.start()].rstrip(" -")[-1:]
        after = text[m.end() :].lstrip(" -")[:1]
        if _LATIN_CONTEXT.match(before) or _LATIN_CONTEXT.match(after):
            continue
        token = m.group()
        cls = "tcy" if len(token) <= 2 else "upright"
        out.append(_esc(text[pos : m.start()]))
        out.append(f'<span class="{cls}">{token}</span>')
        pos = m.end()
    out.append(_esc(text[pos:]))
    return "".join(out)


def _text(text: str, ctx: RenderContext) -> str:
    """Escaped text, with numbers marked for vertical writing when the book is vertical."""
    return vertical_text(text) if ctx.vertical else _esc(text)


def _attr(text: str) -> str:
    return html.escape(_NOT_XML.sub("", text), quote=True)


def _safe_href(url: str, ctx: RenderContext | None = None) -> str | None:
    """The encoded href to write, or None to keep only the text (unsafe, or leads nowhere)."""
    if _BAD_SCHEME.match(url):
        return None
    if ctx is None:
        return encode_href(url)
    href = resolve(url, source=ctx.source, links=ctx.links, page_url=ctx.page_url)
    if href is None:
        ctx.unresolved.append(url)
    return href


_IMAGE_TYPES = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif",
                "image/webp": ".webp", "image/svg+xml": ".svg"}  # fmt: skip
MAX_IMAGE_BYTES = 20 * 1024 * 1024


def _fetch(url: str, ctx: RenderContext) -> Asset | None:
    """Download one image (only with allow_network): 20 s, 20 MiB, image types only."""
    import urllib.request

    key = Path("/__remote__") / url
    if key in ctx.assets:
        return ctx.assets[key]
    full = "https:" + url if url.startswith("//") else url
    try:
        with urllib.request.urlopen(full, timeout=20) as resp:
            kind = resp.headers.get_content_type()
            data = resp.read(MAX_IMAGE_BYTES + 1)
    except (OSError, ValueError) as exc:
        ctx.warn(f"could not fetch image {url}: {exc}")
        return None
    if kind not in _IMAGE_TYPES or len(data) > MAX_IMAGE_BYTES:
        ctx.warn(f"not embedding {url}: {kind}, {len(data)} bytes")
        return None
    asset = Asset(None, f"{ctx.image_prefix}{len(ctx.assets) + 1:04d}{_IMAGE_TYPES[kind]}", data)
    ctx.assets[key] = asset
    return asset


def _image(node: Image, ctx: RenderContext) -> str:
    alt = plain_text(node).replace("\n", " ")
    url = node.url
    if url.lower().startswith("data:image/"):
        return f'<img src="{_attr(url)}" alt="{_attr(alt)}"/>'
    if _BAD_SCHEME.match(url):
        ctx.warn(f"image with a {url.split(':', 1)[0]}: URL dropped (alt text kept)")
        return _esc(alt)
    if _REMOTE.match(url):
        if ctx.allow_network and ctx.hotlink:
            full = "https:" + url if url.startswith("//") else url
            return f'<img src="{_attr(encode_href(full))}" alt="{_attr(alt)}"/>'
        if ctx.allow_network:
            fetched = _fetch(url, ctx)
            if fetched is not None:
                return f'<img src="{_attr(fetched.name)}" alt="{_attr(alt)}"/>'
        else:
            ctx.warn(f"remote image not fetched (pass --allow-network to embed): {url}")
        if ctx.in_link:  # a link may not hold a link (epubcheck RSC-005)
            return f'<span class="remote-image">{_esc(alt or url)}</span>'
        return f'<a class="remote-image" href="{_attr(encode_href(url))}">{_esc(alt or url)}</a>'
    if ctx.base_dir is None:
        ctx.warn(f"local image {url!r} has no input folder to come from; alt text kept")
        return _esc(alt)
    base = ctx.base_dir.resolve()
    path = (base / url.split("#")[0].split("?")[0]).resolve()
    if base not in path.parents or not path.is_file():
        ctx.warn(f"image {url!r} is outside {base} or missing; refused (alt text kept)")
        return _esc(alt)
    asset = ctx.assets.get(path)
    if asset is None:
        asset = Asset(path, f"{ctx.image_prefix}{len(ctx.assets) + 1:04d}{path.suffix.lower()}")
        ctx.assets[path] = asset
    return f'<img src="{_attr(asset.name)}" alt="{_attr(alt)}"/>'


def _soft_break(nodes: Sequence[Inline], i: int) -> str:
    """Nothing between two CJK characters (CSS Text 3 segment breaks), else a newline.

    Browsers, e-readers and WeasyPrint show a newline in XHTML as a space, which splits a
    Chinese sentence (``中文段落第一行 中文段落第二行``); so the rule is applied here, on the
    characters either side of the break. An image or raw HTML beside it counts as no character.
    """
    from ..cjk import soft_break

    def edge(node: Inline, last: bool) -> str:
        if isinstance(node, (Image, HtmlInline)):
            return ""
        text = plain_text(node)
        return text[-1:] if last else text[:1]

    if (
        0 < i < len(nodes) - 1
        and soft_break(edge(nodes[i - 1], True), edge(nodes[i + 1], False)) == ""
    ):
        return ""
    return "\n"


def render_inlines(nodes: Sequence[Inline], ctx: RenderContext) -> str:
    """XHTML for inlines (raw inline HTML sanitised with the whole run)."""
    out: list[str] = []
    notes: list[str] = []
    raw = False
    for i, node in enumerate(nodes):
        match node:
            case Text(text=text):
                out.append(_text(text, ctx))
            case SoftBreak():
                out.append(_soft_break(nodes, i))
            case HardBreak():
                out.append("<br/>\n")
            case Code(text=text):
                out.append(f"<code>{_esc(uncomment(text))}</code>")
            case Emphasis(children=kids):
                out.append(f"<em>{render_inlines(kids, ctx)}</em>")
            case Strong(children=kids):
                out.append(f"<strong>{render_inlines(kids, ctx)}</strong>")
            case Strikethrough(children=kids):
                out.append(f"<del>{render_inlines(kids, ctx)}</del>")
            case Link(url=url, children=kids, title=title):
                ctx.in_link += 1
                try:
                    inner = render_inlines(kids, ctx)
                finally:
                    ctx.in_link -= 1
                href = _safe_href(url, ctx)
                if href is None:
                    out.append(inner)
                else:
                    t = f' title="{_attr(title)}"' if title else ""
                    out.append(f'<a href="{_attr(href)}"{t}>{inner}</a>')
            case Image():
                out.append(_image(node, ctx))
            case HtmlInline(text=text):
                raw = True
                out.append(text)
            case Note(blocks=blocks):
                # kept out of the sanitiser, which would strip epub:type and the ids
                notes.append(_note(blocks, ctx))
                out.append(f"\ue000{len(notes) - 1}\ue001")
            case ShortcodeInline():
                out.append(_shortcode_inline(node, ctx))
            case Ruby(base=base, annotation=annotation):
                # <rp> shows the reading in parentheses where ruby is not laid out
                out.append(
                    f"<ruby>{render_inlines(base, ctx)}<rp>(</rp><rt>{_esc(annotation)}</rt>"
                    "<rp>)</rp></ruby>"
                )
            case _:
                assert_never(node)
    result = "".join(out)
    result = sanitize_html(result, ctx, inline=True) if raw else result
    if notes:
        result = re.sub("\ue000(\\d+)\ue001", lambda m: notes[int(m.group(1))], result)
    return result


def _note(blocks: Sequence[Block], ctx: RenderContext) -> str:
    if ctx.footnotes == "inline":
        # WeasyPrint floats the span to the foot of the page and numbers it (float: footnote).
        parts = [
            render_inlines(b.children, ctx) if isinstance(b, Paragraph) else
            _esc(plain_text(b).replace("\n", " "))
            for b in blocks
        ]  # fmt: skip
        return f'<span class="footnote">{" ".join(parts)}</span>'
    n = len(ctx.notes) + 1
    ctx.notes.append("")  # reserve the number: notes inside this note come after it
    ctx.ids.update((f"fn-{n}", f"fnref-{n}"))
    ctx.depth += 1
    try:
        body = render_blocks(blocks, ctx)
    finally:
        ctx.depth -= 1
    ctx.notes[n - 1] = (
        f'<aside epub:type="footnote" class="footnote" id="fn-{n}">'
        f'<p class="note-number"><a href="#fnref-{n}">{n}</a></p>\n{body}</aside>'
    )
    return (
        f'<sup><a epub:type="noteref" class="noteref" id="fnref-{n}" href="#fn-{n}">{n}</a></sup>'
    )


# --------------------------------------------------------------------------- shortcodes

ADMONITIONS = frozenset({
    "admonition", "notice", "alert", "callout", "hint", "tip", "warning", "note", "info",
    "caution", "danger", "important", "success", "error", "question", "example", "quote",
})  # fmt: skip
_TYPED = frozenset({"admonition", "notice", "alert", "callout", "hint"})
_EMBEDS: dict[str, tuple[str, str]] = {
    "youtube": ("YouTube", "https://www.youtube.com/watch?v={id}"),
    "vimeo": ("Vimeo", "https://vimeo.com/{id}"),
    "instagram": ("Instagram", "https://www.instagram.com/p/{id}/"),
    "x": ("X", "https://x.com/{user}/status/{id}"),
    "tweet": ("X", "https://x.com/{user}/status/{id}"),
    "twitter": ("X", "https://x.com/{user}/status/{id}"),
    "gist": ("Gist", "https://gist.github.com/{user}/{id}"),
    "bilibili": ("Bilibili", "https://www.bilibili.com/video/{id}"),
}
_SILENT = frozenset({"toc", "readfile", "include"})


def _params(params: Sequence[tuple[str, str]]) -> tuple[list[str], dict[str, str]]:
    return [v for k, v in params if not k], {k.lower(): v for k, v in params if k}


def _embed(name: str, params: Sequence[tuple[str, str]]) -> tuple[str, str] | None:
    """(label, URL) for a video/post embed: YouTube, Vimeo, X, Instagram, Gist."""
    site, pattern = _EMBEDS[name]
    pos, named = _params(params)
    ident = named.get("id") or (pos[-1] if pos else "")
    user = named.get("user") or (pos[0] if len(pos) > 1 else "")
    if name == "gist" and len(pos) > 1:
        user, ident = pos[0], pos[1]
    if not ident:
        return None
    url = pattern.format(id=ident, user=user or "i")
    return named.get("title") or f"{site}: {ident}", url


def _admonition_title(name: str, params: Sequence[tuple[str, str]]) -> tuple[str, str]:
    """(kind, title) of an admonition-family shortcode, across the popular themes' signatures."""
    pos, named = _params(params)
    if name in _TYPED:
        kind = named.get("type") or named.get("theme") or named.get("context") or (
            pos[0] if pos else "note"
        )  # fmt: skip
        title = named.get("title") or (pos[1] if len(pos) > 1 else "") or kind.capitalize()
    else:
        kind = name
        title = named.get("title") or (pos[0] if pos else "") or name.capitalize()
    return re.sub(r"[^\w-]", "", kind.lower()) or "note", title


def _shortcode_block(node: Shortcode, ctx: RenderContext, shift: int) -> str:
    name, blocks = node.name, node.blocks or ()
    pos, named = _params(node.params)
    inner = render_blocks(blocks, ctx, shift) if blocks else ""
    if name in ADMONITIONS:
        kind, title = _admonition_title(name, node.params)
        return (
            f'<div class="admonition admonition-{_attr(kind)}">'
            f'<p class="admonition-title">{_esc(title)}</p>\n{inner}</div>'
        )
    if name == "details":
        summary = named.get("summary") or (pos[0] if pos else "") or "Details"
        return (
            f'<div class="admonition details"><p class="admonition-title">{_esc(summary)}</p>'
            f"\n{inner}</div>"
        )
    if name in ("figure", "img", "image"):
        src = named.get("src") or (pos[0] if pos else "")
        caption = named.get("caption") or named.get("title") or ""
        alt = named.get("alt") or caption
        img = _image(Image(url=src, alt=(Text(text=alt),) if alt else ()), ctx) if src else ""
        link = named.get("link")
        if link and img and (href := _safe_href(link, ctx)):
            img = f'<a href="{_attr(href)}">{img}</a>'
        cap = f"<figcaption>{_esc(caption)}</figcaption>" if caption else ""
        return f'<figure class="figure">{img}{cap}{inner}</figure>'
    if name in _EMBEDS:
        embed = _embed(name, node.params)
        if embed is not None:
            label, url = embed
            return f'<p class="embed"><a href="{_attr(encode_href(url))}">{_esc(label)}</a></p>'
    if name.startswith("highlight") and blocks:
        code = blocks[0]
        if isinstance(code, CodeBlock):
            return _block(CodeBlock(text=code.text.strip("\n") + "\n", info=code.info), ctx)
    inline = _shortcode_inline(
        ShortcodeInline(name=name, params=node.params, open=node.open, close=node.close), ctx
    ) if name in ("ref", "relref", "param") else ""  # fmt: skip
    if inline:
        return f"<p>{inline}</p>"
    _unknown(name, ctx)
    return inner


def _unknown(name: str, ctx: RenderContext) -> None:
    if name.startswith("/") or name in _SILENT:
        return
    ctx.warn(f"Hugo shortcode {name!r} is not known: its tags are dropped, its content kept")


def _shortcode_inline(node: ShortcodeInline, ctx: RenderContext) -> str:
    name = node.name
    if name == COMMENT_NAME:  # documentation showing a tag: Hugo prints the tag
        return _esc(uncomment(node.open))
    pos, named = _params(node.params)
    inner = render_inlines(node.children, ctx) if node.children else ""
    if name in ("ref", "relref"):
        url = node.open or "{{< " + name + ' "' + (pos[0] if pos else "") + '" >}}'
        href = _safe_href(url, ctx)
        text = inner or _esc(pos[0] if pos else named.get("path", ""))
        return f'<a href="{_attr(href)}">{text}</a>' if href else text
    if name == "param":
        key = pos[0] if pos else ""
        value = lookup_param(ctx.page_params, key)
        if value is None:
            ctx.warn(f"Hugo shortcode param {key!r}: no such page or site parameter; dropped")
            return ""
        return _esc(format_param(value))
    if name in _EMBEDS:
        embed = _embed(name, node.params)
        if embed is not None:
            label, url = embed
            return f'<a href="{_attr(encode_href(url))}">{_esc(label)}</a>'
    if name in ADMONITIONS or name == "details":
        return inner
    _unknown(name, ctx)
    return inner


def _html_shortcodes(text: str, ctx: RenderContext) -> str:
    """Shortcodes inside a raw HTML block (``<a href="{{< relref "x.md" >}}">``, a Docsy
    ``<div>`` holding ``{{% _param … %}}``): Hugo runs them before Markdown, HTML included, so
    they must not reach the text. There they may stand in an attribute, so each becomes text
    only: ``param`` its value, ``ref``/``relref`` the resolved URL, a comment the tag it shows;
    any other loses its tags (named once in a warning, as elsewhere)."""
    if "{{" not in text:
        return text
    out: list[str] = []
    i = 0
    while (j := text.find("{{", i)) >= 0:
        out.append(text[i:j])
        end = comment_at(text, j)
        if end is not None:
            out.append(_attr(uncomment(text[j:end])))
            i = end
            continue
        tag = tag_at(text, j)
        if tag is None:
            out.append("{{")
            i = j + 2
            continue
        i = tag.end
        if tag.closing:
            continue
        if tag.name == "param":
            out.append(_shortcode_inline(ShortcodeInline(name="param", params=tag.params,
                                                         open=tag.text), ctx))  # fmt: skip
        elif tag.name in ("ref", "relref"):
            out.append(_attr(_safe_href(tag.text, ctx) or ""))
        else:
            _unknown(tag.name, ctx)
    out.append(text[i:])
    return "".join(out)


def _heading(node: Heading, ctx: RenderContext, level_shift: int = 0) -> str:
    title = plain_text(node).replace("\n", " ").strip()
    anchor = ctx.given_id(node.id) if node.id else ctx.unique_id(title)
    level = min(6, node.level + level_shift)
    ctx.toc.append(TocEntry(level, title, anchor))
    return f'<h{level} id="{_attr(anchor)}">{render_inlines(node.children, ctx)}</h{level}>'


def _list_item(blocks: Sequence[Block], tight: bool, ctx: RenderContext, shift: int) -> str:
    if tight:
        parts = [
            render_inlines(b.children, ctx) if isinstance(b, Paragraph) else _block(b, ctx, shift)
            for b in blocks
        ]
        return "<li>" + "\n".join(parts) + "</li>"
    return "<li>" + render_blocks(blocks, ctx, shift) + "</li>"


def _block(node: Block, ctx: RenderContext, shift: int = 0) -> str:
    match node:
        case Paragraph(children=kids):
            return f"<p>{render_inlines(kids, ctx)}</p>"
        case Heading():
            return _heading(node, ctx, shift)
        case BulletList(items=items, tight=tight):
            inner = "\n".join(_list_item(i.blocks, tight, ctx, shift) for i in items)
            return f"<ul>\n{inner}\n</ul>"
        case OrderedList(items=items, tight=tight, start=start):
            inner = "\n".join(_list_item(i.blocks, tight, ctx, shift) for i in items)
            s = f' start="{start}"' if start != 1 else ""
            return f"<ol{s}>\n{inner}\n</ol>"
        case BlockQuote(blocks=blocks):
            return f"<blockquote>\n{render_blocks(blocks, ctx, shift)}\n</blockquote>"
        case CodeBlock(text=text, info=info):
            lang = info.split()[0] if info else ""
            cls = f' class="language-{_attr(lang)}"' if lang else ""
            return f"<pre><code{cls}>{_esc(uncomment(text))}</code></pre>"
        case ThematicBreak():
            return "<hr/>"
        case HtmlBlock(text=text):
            return sanitize_html(_html_shortcodes(text, ctx), ctx)
        case Raw(format=fmt, text=text):
            return sanitize_html(text, ctx) if fmt in ("html", "xhtml") else ""
        case Table(header=header, rows=rows, aligns=aligns):

            def cell(tag: str, c: object, i: int) -> str:
                a = aligns[i] if i < len(aligns) else ""
                cls = f' class="align-{a}"' if a else ""
                return f"<{tag}{cls}>{render_inlines(c.children, ctx)}</{tag}>"  # type: ignore[attr-defined]

            head = "".join(cell("th", c, i) for i, c in enumerate(header))
            body = "\n".join(
                "<tr>" + "".join(cell("td", c, i) for i, c in enumerate(r)) + "</tr>" for r in rows
            )
            return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"
        case Caption(children=kids):
            return f'<p class="caption">{render_inlines(kids, ctx)}</p>'
        case Shortcode():
            return _shortcode_block(node, ctx, shift)
        case Article(meta=meta, blocks=blocks):
            lang = f' lang="{_attr(meta.lang)}" xml:lang="{_attr(meta.lang)}"' if meta.lang else ""
            parts = [f'<section class="article"{lang}>']
            if meta.title:
                parts.append(
                    _heading(Heading(level=2, children=(Text(text=meta.title),)), ctx, shift)
                )
            bits = [_esc(x) for x in (meta.column, meta.author, meta.source) if x]
            if meta.date:
                bits.append(_article_date(meta.date))
            if bits:
                parts.append(f'<p class="byline">{" · ".join(bits)}</p>')
            parts.append(render_blocks(blocks, ctx, shift + 1))
            parts.append("</section>")
            return "\n".join(p for p in parts if p)
        case _:
            assert_never(node)


def render_blocks(blocks: Sequence[Block], ctx: RenderContext, level_shift: int = 0) -> str:
    """XHTML for blocks; ``level_shift`` demotes headings (chapter titles take ``h1``).

    Called for a whole document (not from inside this module), it also writes the footnotes
    at the end and checks every in-page ``#anchor`` link against the ids written.
    """
    top = ctx.depth == 0
    ctx.depth += 1
    try:
        out = "\n".join(_block(b, ctx, level_shift) for b in blocks)
    finally:
        ctx.depth -= 1
    if not top:
        return out
    if ctx.notes:
        notes = "\n".join(ctx.notes)
        out += f'\n<section class="footnotes" epub:type="footnotes">\n{notes}\n</section>'
        ctx.notes.clear()
    return _fix_fragments(out, ctx)


_IN_PAGE = re.compile(r'<a href="#([^"]*)"([^>]*)>(.*?)</a>', re.DOTALL)


def _fix_fragments(text: str, ctx: RenderContext) -> str:
    """``#anchor`` links: Hugo's id → the id written; to no id at all → the text alone."""

    def fix(m: re.Match[str]) -> str:
        anchor = unquote(html.unescape(m.group(1)))
        if anchor in ctx.ids:
            return m.group(0)
        if anchor in ctx.aliases:
            return (
                f'<a href="#{_attr(encode_href(ctx.aliases[anchor]))}"{m.group(2)}>{m.group(3)}</a>'
            )
        ctx.warn(f"{ctx.source or 'document'}: link to #{anchor} has no such anchor; text kept")
        return m.group(3)

    return _IN_PAGE.sub(fix, text)


# HTML's "valid date string" / "valid (local or global) date and time string": only these may
# stand in ``<time datetime>`` (epubcheck checks), so anything else is shown as plain text.
_HTML_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)


def _article_date(value: str) -> str:
    """An article's date for its byline: ``<time datetime="…">2026-03-02 08:00</time>``.

    The machine-readable form is the date exactly as stored (the html reader reads it back);
    the visible one is the day and, when given, the hour and minute in the source's own offset
    — what a reader of a news digest wants, without seconds or a UTC offset.
    """
    shown = value[:10] + (" " + value[11:16] if len(value) >= 16 and value[10] in "T " else "")
    if not _HTML_DATETIME.match(value):
        return _esc(value)
    return f'<time datetime="{_attr(value)}">{_esc(shown)}</time>'


def render_chapter(content: ChapterContent, ctx: RenderContext) -> tuple[str, list[TocEntry]]:
    """A book chapter's XHTML body (title, dateline, summary, blocks) and the headings its
    contents list (``book.toc_items``); the same for every book writer."""
    from .book import toc_items

    ctx.page_url = ctx.page_url or content.page_url
    anchor = ctx.unique_id("chapter-title")
    parts = [f'<h1 id="{anchor}">{_text(content.heading, ctx)}</h1>']
    if content.date:
        day = content.date.isoformat()
        parts.append(f'<p class="dateline"><time datetime="{day}">{day}</time></p>')
    if content.summary:
        summary = _text(content.summary, ctx).replace(chr(10), "<br/>")
        parts.append(f'<p class="summary">{summary}</p>')
    start = len(ctx.toc)
    parts.append(render_blocks(content.blocks, ctx, level_shift=content.level_shift))
    ctx.warn_unresolved()
    return "\n".join(parts), toc_items(content, ctx.toc[start:])


#: Elements valid only inside certain parents (the HTML content models epubcheck enforces). One
#: outside them — a ``<figcaption>`` after a Markdown image, an ``<li>`` or ``<dd>`` on its own,
#: an ``<rt>`` without its ``<ruby>`` — becomes a ``div`` (or a ``span`` where only phrasing may
#: stand) of that class, so its text and look stay. The HTML parser inside nh3 already unwraps
#: lone table parts, options, legends, sources and tracks.
_PARENTS: dict[str, frozenset[str]] = {
    "li": frozenset({"ul", "ol"}),
    "dt": frozenset({"dl"}),
    "dd": frozenset({"dl"}),
    "figcaption": frozenset({"figure"}),
    "summary": frozenset({"details"}),
    "rt": frozenset({"ruby"}),
    "rp": frozenset({"ruby"}),
    "caption": frozenset({"table"}),
    "colgroup": frozenset({"table"}),
    "col": frozenset({"colgroup", "table"}),
    "thead": frozenset({"table"}),
    "tbody": frozenset({"table"}),
    "tfoot": frozenset({"table"}),
    "tr": frozenset({"table", "thead", "tbody", "tfoot"}),
    "td": frozenset({"tr"}),
    "th": frozenset({"tr"}),
}
#: the class a displaced element keeps (a figcaption looks like the book's other captions)
_DISPLACED_CLASS = {"figcaption": "caption", "caption": "caption"}
#: parents whose children must be one kind: anything else is wrapped in a synthetic one
_ONLY_CHILD = {"ul": "li", "ol": "li", "dl": "dd"}
_ALSO_ALLOWED = {"ul": {"li"}, "ol": {"li"}, "dl": {"dt", "dd", "div"}}
#: elements whose content is phrasing only: a displaced element inside them is a ``span``
_PHRASING_ONLY = (_PHRASING_TAGS - {"a", "del", "ins"}) | {"p", "h1", "h2", "h3", "h4", "h5", "h6",
                                                          "pre", "summary", "dt", "caption"}  # fmt: skip


@dataclass
class _Open:
    """One open element: its source tag, the tag written, where its start tag is in the output,
    how many children it has had, and (a figure) its figcaption's place in the output."""

    tag: str
    emitted: str
    at: int
    kids: int = 0
    synthetic: bool = False
    caption: tuple[int, int] | None = None  # a figure's figcaption (start, end) in ``out``
    caption_first: bool = False  # … and whether it was the figure's first child
    last: str = ""  # the tag written for its latest child element (a ``dl``'s dt/dd order)


class _XhtmlWriter(HTMLParser):
    """Re-serialise sanitised HTML as XHTML; remote or unsafe images become their alt text.

    Every element lands where XHTML allows it (``_PARENTS``, ``_ONLY_CHILD``, a ``summary``
    first in its ``details``, one ``figcaption`` first or last in its ``figure``, a ``caption``
    first in its table): displaced elements are converted, stray children of lists wrapped, a
    late table caption moved up — epubcheck accepts what comes out, whatever the author wrote.
    """

    def __init__(self, ctx: RenderContext, *, inline: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.ctx = ctx
        self.inline = inline
        self.out: list[str] = []
        self.open: list[_Open] = []

    # -- bookkeeping

    @property
    def stack(self) -> list[str]:
        return [o.tag for o in self.open]

    def _parent(self) -> _Open | None:
        return self.open[-1] if self.open else None

    def _phrasing(self) -> bool:
        return self.inline or any(o.emitted in _PHRASING_ONLY for o in self.open)

    def _push(self, tag: str, emitted: str, attrs: str, *, synthetic: bool = False) -> None:
        parent = self._parent()
        if parent is not None and parent.emitted == "dl":
            # a dl holds groups of dt then dd: a dd with no dt before it gets an empty one
            if emitted == "dd" and parent.last not in ("dt", "dd"):
                self.out.append("<dt></dt>")
            parent.last = emitted
        self.open.append(_Open(tag, emitted, len(self.out), synthetic=synthetic))
        self.out.append(f"<{emitted}{attrs}>")

    def _close(self) -> str:
        o = self.open.pop()
        self.ctx.in_link -= o.tag == "a"
        if o.emitted == "dl" and o.last == "dt":
            self.out.append("<dd></dd>")  # … and a dt with no dd after it an empty dd
        self.out.append(f"</{o.emitted}>")
        parent = self._parent()
        if o.emitted == "figcaption" and parent is not None and parent.tag == "figure":
            parent.caption = (o.at, len(self.out) - 1)
        if o.emitted == "caption" and parent is not None and parent.kids > 1:
            # a caption after rows: its place is first in the table (nothing inside the table
            # is open now, and whatever was recorded lies before the table's start tag)
            moved = self.out[o.at :]
            del self.out[o.at :]
            self.out[parent.at + 1 : parent.at + 1] = moved
        return o.tag

    def _retag(self, o: _Open | tuple[int, int], tag: str, cls: str) -> None:
        """Rewrite an element already written (its start and, when closed, end tag)."""
        start, end = (o.at, None) if isinstance(o, _Open) else o
        rest = re.sub(r' class="[^"]*"', "", re.sub(r"^<[a-z0-9]+", "", self.out[start]))
        self.out[start] = f'<{tag} class="{cls}"{rest}'
        if end is not None:
            self.out[end] = f"</{tag}>"
        if isinstance(o, _Open):
            o.emitted = tag

    def _child(self, tag: str | None) -> None:
        """A child (an element ``tag``, or text when None) is about to start in the open element:
        make room for it where its parent accepts only certain children."""
        parent = self._parent()
        if parent is None:
            return
        if parent.synthetic and tag in _ALSO_ALLOWED.get(self.open[-2].tag, ()):
            self._close()  # a real item ends the synthetic one around the stray content
            parent = self._parent()
            assert parent is not None
        if parent.tag in _ONLY_CHILD and tag not in _ALSO_ALLOWED[parent.tag]:
            parent.kids += 1
            wrapper = _ONLY_CHILD[parent.tag]
            self._push(wrapper, wrapper, "", synthetic=True)
            parent = self._parent()
            assert parent is not None
        if parent.emitted == "details" and parent.kids == 0 and tag != "summary":
            self._retag(parent, "div", "details")  # no summary first: not a details any more
        if parent.tag == "figure" and parent.caption is not None and not parent.caption_first:
            # the figcaption is neither first nor (now) last: an ordinary caption block
            self._retag(parent.caption, "div", "caption")
            parent.caption = None
        parent.kids += 1

    def _placed(self, tag: str) -> str:
        """The tag to write for ``tag`` here: itself where it may stand, else a div or span."""
        parent = self._parent()
        allowed = _PARENTS.get(tag)
        ok = allowed is None or (parent is not None and parent.emitted in allowed)
        if ok and parent is not None:
            first = parent.kids == 1  # counted already by ``_child``
            if tag == "summary" and not first:
                ok = False
            if tag == "figcaption" and parent.caption is not None:
                ok = False  # a second one
            if tag == "caption" and any(o.emitted == "caption" for o in self.open):
                ok = False
        if ok:
            return tag
        return "span" if self._phrasing() or tag in ("rt", "rp") else "div"

    # -- the parser's events

    def _attrs(self, attrs: list[tuple[str, str | None]]) -> str:
        return "".join(f' {k}="{_attr(v or "")}"' for k, v in attrs)

    def _anchor(
        self, tag: str, attrs: list[tuple[str, str | None]]
    ) -> list[tuple[str, str | None]]:
        """An author's own anchor (``id``, or ``<a name>``, which XHTML no longer has) becomes
        one unique ``id``, claimed like a heading's so ``#links`` to it resolve: contents lists
        of real posts link to ``<a name="x"></a>`` lines above their headings."""
        names = [
            v for k, v in attrs if v and v.strip() and (k == "id" or (k, tag) == ("name", "a"))
        ]
        rest = [(k, v) for k, v in attrs if k not in ("id", "name")]
        if not names:
            return rest
        ident = self.ctx.given_id(re.sub(r"\s+", "-", names[0].strip()))
        for other in names[1:]:  # <a id="x" name="y">: both name this place
            self.ctx.aliases.setdefault(other.strip(), ident)
        self.ctx.aliases.setdefault(names[0].strip(), ident)
        return [("id", ident), *rest]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "col" and self._placed(tag) != tag:
            return  # a column outside its table means nothing
        self._child(tag)
        if tag == "img":
            src = dict(attrs).get("src") or ""
            alt = dict(attrs).get("alt") or ""
            self.out.append(_image(Image(url=src, alt=(Text(text=alt),)), self.ctx))
            return
        if tag in _VOID:
            self.out.append(f"<{tag}{self._attrs(attrs)}/>")
            return
        attrs = self._anchor(tag, attrs)
        if tag == "a":
            # raw HTML links resolve like Markdown ones; one into nothing loses its href (the
            # anchor's id was claimed by ``_anchor`` above, like a heading's)
            attrs = [(k, _safe_href(v or "", self.ctx) if k == "href" else v) for k, v in attrs]
            attrs = [(k, v) for k, v in attrs if v is not None]
            self.ctx.in_link += 1
        emitted = self._placed(tag)
        if emitted != tag:  # displaced (an item outside a list, a caption outside a figure …)
            cls = _DISPLACED_CLASS.get(tag, tag)
            attrs = [("class", cls), *((k, v) for k, v in attrs if k != "class")]
        parent = self._parent()
        if emitted == "figcaption" and parent is not None:
            parent.caption_first = parent.kids == 1
        self._push(tag, emitted, self._attrs(attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.open and self.open[-1].tag == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in self.stack:
            return
        while self.open:  # a synthetic wrapper, or anything left open, closes on the way
            if self._close() == tag:
                break

    def handle_data(self, data: str) -> None:
        if data.strip():
            self._child(None)
        self.out.append(_esc(data))

    def result(self) -> str:
        while self.open:
            self._close()
        return "".join(self.out)


def sanitize_html(text: str, ctx: RenderContext, *, inline: bool = False) -> str:
    """Allow-listed, well-formed XHTML from untrusted HTML (nh3, then re-serialised).

    ``inline``: the HTML sits inside a paragraph or heading, so only phrasing tags are kept.
    """
    import nh3

    clean = nh3.clean(
        text,
        tags=_PHRASING_TAGS if inline else _ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRS,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )
    writer = _XhtmlWriter(ctx, inline=inline)
    writer.feed(clean)
    writer.close()
    return writer.result()
