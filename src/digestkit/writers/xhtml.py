"""The one XHTML renderer of the AST, shared by the EPUB and PDF writers.

Output is well-formed XHTML (EPUB content documents must be XML), safe, and offline:

- text and attributes are escaped; headings get stable, unique ids (slug of their text, then
  ``-2``, ``-3`` …) so tables of contents and PDF bookmarks can link to them;
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
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, assert_never

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
_ALLOWED_ATTRS = {
    "*": {"class", "lang", "title", "dir"},
    "a": {"href"},
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
    ids: set[str] = field(default_factory=set)
    toc: list[TocEntry] = field(default_factory=list)
    assets: dict[Path, Asset] = field(default_factory=dict)
    warned: set[str] = field(default_factory=set)

    def warn(self, message: str) -> None:
        if message not in self.warned:
            self.warned.add(message)
            warnings.warn(message, stacklevel=4)

    def unique_id(self, text: str) -> str:
        base = re.sub(r"[^\w-]+", "-", text.lower(), flags=re.UNICODE).strip("-")[:48] or "section"
        if not (base[0].isalpha() or base[0] == "_"):
            base = "h-" + base
        anchor, n = base, 1
        while anchor in self.ids:
            n += 1
            anchor = f"{base}-{n}"
        self.ids.add(anchor)
        return anchor


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def _safe_href(url: str) -> str | None:
    if _BAD_SCHEME.match(url):
        return None
    return url


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
        if ctx.allow_network:
            fetched = _fetch(url, ctx)
            if fetched is not None:
                return f'<img src="{_attr(fetched.name)}" alt="{_attr(alt)}"/>'
        else:
            ctx.warn(f"remote image not fetched (pass --allow-network to embed): {url}")
        return f'<a class="remote-image" href="{_attr(url)}">{_esc(alt or url)}</a>'
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
    raw = False
    for i, node in enumerate(nodes):
        match node:
            case Text(text=text):
                out.append(_esc(text))
            case SoftBreak():
                out.append(_soft_break(nodes, i))
            case HardBreak():
                out.append("<br/>\n")
            case Code(text=text):
                out.append(f"<code>{_esc(text)}</code>")
            case Emphasis(children=kids):
                out.append(f"<em>{render_inlines(kids, ctx)}</em>")
            case Strong(children=kids):
                out.append(f"<strong>{render_inlines(kids, ctx)}</strong>")
            case Strikethrough(children=kids):
                out.append(f"<del>{render_inlines(kids, ctx)}</del>")
            case Link(url=url, children=kids, title=title):
                inner = render_inlines(kids, ctx)
                href = _safe_href(url)
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
                out.append(f'<span class="note">{render_blocks(blocks, ctx)}</span>')
            case ShortcodeInline(children=kids):
                out.append("" if kids is None else render_inlines(kids, ctx))
            case _:
                assert_never(node)
    result = "".join(out)
    return sanitize_html(result, ctx) if raw else result


def _heading(node: Heading, ctx: RenderContext, level_shift: int = 0) -> str:
    title = plain_text(node).replace("\n", " ").strip()
    anchor = node.id or ctx.unique_id(title)
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
            return f"<pre><code{cls}>{_esc(text)}</code></pre>"
        case ThematicBreak():
            return "<hr/>"
        case HtmlBlock(text=text):
            return sanitize_html(text, ctx)
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
        case Article(meta=meta, blocks=blocks):
            lang = f' lang="{_attr(meta.lang)}" xml:lang="{_attr(meta.lang)}"' if meta.lang else ""
            parts = [f'<section class="article"{lang}>']
            if meta.title:
                parts.append(
                    _heading(Heading(level=2, children=(Text(text=meta.title),)), ctx, shift)
                )
            byline = " · ".join(x for x in (meta.column, meta.author, meta.source) if x)
            if byline:
                parts.append(f'<p class="byline">{_esc(byline)}</p>')
            parts.append(render_blocks(blocks, ctx, shift + 1))
            parts.append("</section>")
            return "\n".join(p for p in parts if p)
        case Shortcode(blocks=blocks):
            return "" if blocks is None else render_blocks(blocks, ctx, shift)
        case _:
            assert_never(node)


def render_blocks(blocks: Sequence[Block], ctx: RenderContext, level_shift: int = 0) -> str:
    """XHTML for blocks; ``level_shift`` demotes headings (chapter titles take ``h1``)."""
    return "\n".join(_block(b, ctx, level_shift) for b in blocks)


def render_chapter(content: ChapterContent, ctx: RenderContext) -> tuple[str, list[TocEntry]]:
    """A book chapter's XHTML body (title, dateline, summary, blocks) and the headings its
    contents list (``book.toc_items``); the same for every book writer."""
    from .book import toc_items

    anchor = ctx.unique_id("chapter-title")
    parts = [f'<h1 id="{anchor}">{_esc(content.heading)}</h1>']
    if content.date:
        day = content.date.isoformat()
        parts.append(f'<p class="dateline"><time datetime="{day}">{day}</time></p>')
    if content.summary:
        parts.append(f'<p class="summary">{_esc(content.summary).replace(chr(10), "<br/>")}</p>')
    start = len(ctx.toc)
    parts.append(render_blocks(content.blocks, ctx, level_shift=content.level_shift))
    return "\n".join(parts), toc_items(content, ctx.toc[start:])


class _XhtmlWriter(HTMLParser):
    """Re-serialise sanitised HTML as XHTML; remote or unsafe images become their alt text."""

    def __init__(self, ctx: RenderContext) -> None:
        super().__init__(convert_charrefs=True)
        self.ctx = ctx
        self.out: list[str] = []
        self.stack: list[str] = []

    def _attrs(self, attrs: list[tuple[str, str | None]]) -> str:
        return "".join(f' {k}="{_attr(v or "")}"' for k, v in attrs)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            src = dict(attrs).get("src") or ""
            alt = dict(attrs).get("alt") or ""
            self.out.append(_image(Image(url=src, alt=(Text(text=alt),)), self.ctx))
            return
        if tag in _VOID:
            self.out.append(f"<{tag}{self._attrs(attrs)}/>")
            return
        self.stack.append(tag)
        self.out.append(f"<{tag}{self._attrs(attrs)}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack and self.stack[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in self.stack:
            return
        while self.stack:
            open_tag = self.stack.pop()
            self.out.append(f"</{open_tag}>")
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        self.out.append(_esc(data))

    def result(self) -> str:
        while self.stack:
            self.out.append(f"</{self.stack.pop()}>")
        return "".join(self.out)


def sanitize_html(text: str, ctx: RenderContext) -> str:
    """Allow-listed, well-formed XHTML from untrusted HTML (nh3, then re-serialised)."""
    import nh3

    clean = nh3.clean(
        text,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRS,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )
    writer = _XhtmlWriter(ctx)
    writer.feed(clean)
    writer.close()
    return writer.result()
