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

This module renders the AST; the rules every step shares (``RenderContext``, allow-lists,
escaping, links, images) live in ``xhtml_context`` and raw HTML is re-serialised by
``raw_html``. ``Asset``, ``RenderContext``, ``TocEntry`` and ``sanitize_html`` are re-exported
here, where the writers and tests have always taken them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
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
from ..lazyre import lazy_compile
from ..links import encode_href
from ..shortcodes import COMMENT_NAME, comment_at, format_param, lookup_param, tag_at, uncomment
from .raw_html import sanitize_html
from .xhtml_context import (
    Asset,
    RenderContext,
    TocEntry,
    escape_attr,
    escape_text,
    render_image,
    safe_href,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
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

#: a number: digits, and digits joined by . , : (3.5, 3,000, 10:30)
_NUMBER = lazy_compile(r"(?<![0-9])[0-9]+(?:[.,:][0-9]+)*(?![0-9])")
#: what makes a number part of a Latin phrase (iPhone 16, GPT-4, COVID-19, a URL), which stays
#: sideways with its words
_LATIN_CONTEXT = lazy_compile(r"[A-Za-z/_@#&=+]")
#: curly quotes, which have no vertical form in CJK fonts (they lie on their side, at the wrong
#: corner); an apostrophe between Latin letters (Trump’s) is left alone
_CURLY = lazy_compile(r"[“”]|(?<![A-Za-z])[‘’]|[‘’](?![A-Za-z])")
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
        out.append(escape_text(text[pos : m.start()]))
        out.append(f'<span class="{cls}">{token}</span>')
        pos = m.end()
    out.append(escape_text(text[pos:]))
    return "".join(out)


def _text(text: str, ctx: RenderContext) -> str:
    """Escaped text, with numbers marked for vertical writing when the book is vertical."""
    return vertical_text(text) if ctx.vertical else escape_text(text)


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
                out.append(f"<code>{escape_text(uncomment(text))}</code>")
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
                href = safe_href(url, ctx)
                if href is None:
                    out.append(inner)
                else:
                    t = f' title="{escape_attr(title)}"' if title else ""
                    out.append(f'<a href="{escape_attr(href)}"{t}>{inner}</a>')
            case Image():
                out.append(render_image(node, ctx))
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
                    f"<ruby>{render_inlines(base, ctx)}<rp>(</rp><rt>{escape_text(annotation)}</rt>"
                    "<rp>)</rp></ruby>"
                )
            case _:
                from typing import assert_never  # never reached: for the type check only

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
            escape_text(plain_text(b).replace("\n", " "))
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
            f'<div class="admonition admonition-{escape_attr(kind)}">'
            f'<p class="admonition-title">{escape_text(title)}</p>\n{inner}</div>'
        )
    if name == "details":
        summary = named.get("summary") or (pos[0] if pos else "") or "Details"
        return (
            f'<div class="admonition details"><p class="admonition-title">{escape_text(summary)}</p>'
            f"\n{inner}</div>"
        )
    if name in ("figure", "img", "image"):
        src = named.get("src") or (pos[0] if pos else "")
        caption = named.get("caption") or named.get("title") or ""
        alt = named.get("alt") or caption
        img = render_image(Image(url=src, alt=(Text(text=alt),) if alt else ()), ctx) if src else ""
        link = named.get("link")
        if link and img and (href := safe_href(link, ctx)):
            img = f'<a href="{escape_attr(href)}">{img}</a>'
        cap = f"<figcaption>{escape_text(caption)}</figcaption>" if caption else ""
        return f'<figure class="figure">{img}{cap}{inner}</figure>'
    if name in _EMBEDS:
        embed = _embed(name, node.params)
        if embed is not None:
            label, url = embed
            return f'<p class="embed"><a href="{escape_attr(encode_href(url))}">{escape_text(label)}</a></p>'
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
        return escape_text(uncomment(node.open))
    pos, named = _params(node.params)
    inner = render_inlines(node.children, ctx) if node.children else ""
    if name in ("ref", "relref"):
        url = node.open or "{{< " + name + ' "' + (pos[0] if pos else "") + '" >}}'
        href = safe_href(url, ctx)
        text = inner or escape_text(pos[0] if pos else named.get("path", ""))
        return f'<a href="{escape_attr(href)}">{text}</a>' if href else text
    if name == "param":
        key = pos[0] if pos else ""
        value = lookup_param(ctx.page_params, key)
        if value is None:
            ctx.warn(f"Hugo shortcode param {key!r}: no such page or site parameter; dropped")
            return ""
        return escape_text(format_param(value))
    if name in _EMBEDS:
        embed = _embed(name, node.params)
        if embed is not None:
            label, url = embed
            return f'<a href="{escape_attr(encode_href(url))}">{escape_text(label)}</a>'
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
            out.append(escape_attr(uncomment(text[j:end])))
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
            out.append(escape_attr(safe_href(tag.text, ctx) or ""))
        else:
            _unknown(tag.name, ctx)
    out.append(text[i:])
    return "".join(out)


def _heading(node: Heading, ctx: RenderContext, level_shift: int = 0) -> str:
    title = plain_text(node).replace("\n", " ").strip()
    anchor = ctx.given_id(node.id) if node.id else ctx.unique_id(title)
    level = min(6, node.level + level_shift)
    ctx.toc.append(TocEntry(level, title, anchor))
    return f'<h{level} id="{escape_attr(anchor)}">{render_inlines(node.children, ctx)}</h{level}>'


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
            cls = f' class="language-{escape_attr(lang)}"' if lang else ""
            return f"<pre><code{cls}>{escape_text(uncomment(text))}</code></pre>"
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
            lang = (
                f' lang="{escape_attr(meta.lang)}" xml:lang="{escape_attr(meta.lang)}"'
                if meta.lang
                else ""
            )
            parts = [f'<section class="article"{lang}>']
            if meta.title:
                parts.append(
                    _heading(Heading(level=2, children=(Text(text=meta.title),)), ctx, shift)
                )
            bits = [escape_text(x) for x in (meta.column, meta.author, meta.source) if x]
            if meta.date:
                bits.append(_article_date(meta.date))
            if bits:
                parts.append(f'<p class="byline">{" · ".join(bits)}</p>')
            parts.append(render_blocks(blocks, ctx, shift + 1))
            parts.append("</section>")
            return "\n".join(p for p in parts if p)
        case _:
            from typing import assert_never  # never reached: for the type check only

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
            return f'<a href="#{escape_attr(encode_href(ctx.aliases[anchor]))}"{m.group(2)}>{m.group(3)}</a>'
        ctx.warn(f"{ctx.source or 'document'}: link to #{anchor} has no such anchor; text kept")
        return m.group(3)

    return _IN_PAGE.sub(fix, text)


# HTML's "valid date string" / "valid (local or global) date and time string": only these may
# stand in ``<time datetime>`` (epubcheck checks), so anything else is shown as plain text.
_HTML_DATETIME = lazy_compile(
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
        return escape_text(value)
    return f'<time datetime="{escape_attr(value)}">{escape_text(shown)}</time>'


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
