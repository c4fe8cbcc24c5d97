"""Writer ``html``: the book as one self-contained web page (or an e-mail-safe variant).

The same book as the EPUB and the PDF (``writers/book.py``: chapters, languages, contents,
fonts) rendered by the same XHTML renderer (``writers/xhtml.py``: sanitised raw HTML, Hugo
heading ids, footnotes, shortcodes, links resolved by ``links.py``), so the page says exactly
what the EPUB says. What is particular to one page:

- **One file.** CSS is inline in a ``<style>``; local images are embedded as ``data:`` URIs;
  remote images are never fetched unless ``allow_network`` (then embedded too) — without it they
  become links carrying their alt text, as in the EPUB. A Content-Security-Policy ``<meta>``
  forbids scripts and every fetch but ``data:`` images, a second wall behind the sanitiser: a
  page that opens in a browser makes no request but its own.
- **One id space.** The EPUB's chapters are separate files, each with its own ids; on one page
  they would collide, so every id is prefixed with its chapter (``c3-``) and in-page links
  follow, as the PDF does for its parts; links to another chapter (``chapter-003.xhtml#x``, the
  book's neutral name) become ``#c3-x``. EPUB-only markup becomes HTML: ``epub:type`` noteref /
  footnote / footnotes → ARIA ``doc-noteref`` / ``doc-footnote`` / ``doc-endnotes``.
- **Typography by ``lang``.** The page, each chapter and each article carry their ``lang``; the
  CJK font stacks come from ``book.FONTS`` (the EPUB's and the PDF's table) through ``:lang()``
  (``zh-TW``/``zh-HK``/``zh-CN`` tags included); dark mode through ``prefers-color-scheme``;
  print styles (chapters on new pages, no contents links' colour, URLs after external links).
- **E-mail** (``email=True``, :mod:`digestkit.writers.html_email`): no ``<style>`` at all, every
  rule written into ``style=`` attributes, 600 px wide, remote images as links unless
  ``allow_network`` (then hot-linked for the mail client to load, never fetched here).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from ..options import HtmlOptions, OptionError
from ..provenance import generator
from .asset import Asset
from .book import FONTS, Book, book_from_document, cache_key, chapter_content, contents_label
from .cover_text import cover_text
from .html_page import Page, rewrite_tags

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from typing import Any

    from ..ast import Document
    from .book import ChapterContent
    from .fonts import EmbeddedFont
    from .xhtml import RenderContext, TocEntry

__all__ = [
    "WRITER",
    "HtmlWriter",
    "Page",
    "build_html",
    "build_html_utf8",
    "build_page",
    "page_stylesheet",
    "rewrite_tags",
]

#: ``:lang()`` selectors per ``FONTS`` key: the script subtags, and the region-only tags
#: (``zh-TW``) that mean the same script. More specific scripts come later and win.
_LANG_SELECTORS: dict[str, tuple[str, ...]] = {
    "zh-Hans": ("zh-Hans", "zh-CN", "zh-SG"),
    "zh-Hant": ("zh-Hant", "zh-TW"),
    "zh-Hant-HK": ("zh-Hant-HK", "zh-HK", "zh-MO"),
}

_CHAPTER_HREF = re.compile(r"^chapter-(\d+)\.xhtml(?:#(.*))?$")
_ROLES = {"noteref": "doc-noteref", "footnote": "doc-footnote", "footnotes": "doc-endnotes"}

#: Nothing runs and nothing is fetched but the page itself and its ``data:`` images and fonts.
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:;"
    " base-uri 'none'; form-action 'none'"
)


def page_stylesheet(fonts: Sequence[EmbeddedFont] = ()) -> str:
    """The page's CSS: book typography (as in the EPUB), fonts by ``:lang()``, dark mode, print.

    ``fonts``: the user's fonts (``--font``), subset and embedded as ``data:`` URIs, first in
    every stack.
    """
    user = "".join(f'"{f.family}", ' for f in fonts)
    rules = [
        *_font_faces(fonts),
        ":root { color-scheme: light dark; --fg: #1d2b3a; --bg: #fdfcf8; --muted: #5f6368;"
        " --rule: #c8c3b8; --shade: #f3f0e8; --link: #1a5fb4; --warn: #c60; }",
        "@media (prefers-color-scheme: dark) { :root { --fg: #e4e0d6; --bg: #16191d;"
        " --muted: #a3a7ad; --rule: #4a4f57; --shade: #22262c; --link: #8db4ff; --warn: #f0a35e; } }",
        "html { line-height: 1.75; background: var(--bg); color: var(--fg); }",
        "body { max-width: 42em; margin: 0 auto; padding: 1em 1.25em 4em; text-align: justify;"
        " line-break: strict; word-break: normal; overflow-wrap: break-word;"
        " hanging-punctuation: allow-end; }",
        "a { color: var(--link); }",
        "p { margin: 0.6em 0; }",
        "h1, h2, h3, h4 { line-height: 1.35; text-align: left; }",
        "h1 { font-size: 1.6em; } h2 { font-size: 1.3em; } h3 { font-size: 1.1em; }",
        "header.masthead { text-align: center; padding: 2em 0 1em; border-bottom: 2px solid var(--fg); }",
        "header.masthead h1 { font-size: 2em; margin: 0 0 0.3em; text-align: center; }",
        "nav.toc { margin: 1.5em 0 2.5em; } nav.toc ol { padding-left: 1.5em; }",
        "nav.toc > ol > li { margin: 0.4em 0; } nav.toc ol ol { font-size: 0.9em; }",
        "section.chapter { border-top: 1px solid var(--rule); margin-top: 2.5em; padding-top: 0.5em; }",
        "blockquote { margin: 0.8em 1.5em; color: var(--muted); }",
        "pre { white-space: pre-wrap; font-size: 0.85em; background: var(--shade); padding: 0.5em; }",
        "code { font-family: ui-monospace, monospace; }",
        "table { border-collapse: collapse; margin: 0.8em 0; }",
        "th, td { border: 1px solid var(--rule); padding: 0.2em 0.5em; }",
        "img { max-width: 100%; height: auto; }",
        ".align-center { text-align: center; } .align-right { text-align: right; }",
        ".caption, figcaption { font-size: 0.85em; color: var(--muted); text-align: center; }",
        ".byline, .dateline, .subtitle, .count { font-size: 0.85em; color: var(--muted); }",
        "section.article { margin-top: 1.5em; }",
        "a.remote-image { font-style: italic; }",
        "a.noteref { text-decoration: none; } sup { line-height: 0; }",
        "section.footnotes { margin-top: 2em; border-top: 1px solid var(--rule); font-size: 0.85em; }",
        "aside.footnote p.note-number { float: left; margin: 0 0.5em 0 0; }",
        ".admonition { border-left: 0.25em solid var(--muted); background: var(--shade);"
        " padding: 0.2em 0.8em; margin: 0.8em 0; }",
        ".admonition-title { font-weight: bold; margin: 0.3em 0; }",
        ".admonition-warning, .admonition-danger, .admonition-caution { border-color: var(--warn); }",
        "figure { margin: 0.8em 0; text-align: center; }",
    ]
    for key, faces in FONTS.items():
        langs = _LANG_SELECTORS.get(key, (key,))
        selectors = ", ".join(f":lang({x})" for x in langs)
        rules.append(f"{selectors} {{ font-family: {user}{faces.stack('serif')}; }}")
        heads = ", ".join(f":lang({x}) {h}" for x in langs for h in ("h1", "h2", "h3", "h4"))
        rules.append(f"{heads} {{ font-family: {user}{faces.stack('sans')}; }}")
    rules.append(
        "@media print { :root { --fg: #000; --bg: #fff; --muted: #444; --link: #000; }"
        " body { max-width: none; padding: 0; font-size: 10.5pt; }"
        " nav.toc { break-after: page; } nav.toc a { text-decoration: none; }"
        " section.chapter { break-before: page; border-top: 0; }"
        " h1, h2, h3, h4 { break-after: avoid; } figure, .admonition, pre { break-inside: avoid; }"
        ' a[href^="http"]::after { content: " <" attr(href) ">"; font-size: 0.8em; word-break: break-all; } }'
    )
    rules.append("@page { margin: 18mm 16mm; }")
    return "\n".join(rules) + "\n"


def _font_faces(fonts: Sequence[EmbeddedFont]) -> list[str]:
    """``@font-face`` rules with the subsets inside the page (``data:`` URIs).

    ``base64`` here and in :func:`data_uri`, ``mimetypes`` there: only a page with embedded
    fonts or images needs them (~0.8 ms of a ~0.1 s re-run's imports, issue 26)."""
    if not fonts:
        return []
    import base64

    rules = []
    for f in fonts:
        otf = f.href.endswith(".otf")
        data = base64.b64encode(f.data).decode("ascii")
        rules.append(
            f'@font-face {{ font-family: "{f.family}"; font-weight: {"bold" if f.bold else "normal"};'
            f' src: url("data:font/{"otf" if otf else "ttf"};base64,{data}")'
            f' format("{"opentype" if otf else "truetype"}"); }}'
        )
    return rules


#: stands for the chapter's number in a kept chapter (a control character: never in the XHTML)
_NUMBER = "\x01"
_NUMBER_UTF8 = _NUMBER.encode()  # one byte: in UTF-8 no other character holds it


def _one_page(n: int | str, body: str, images: Mapping[str, str]) -> str:
    """Chapter ``n``'s XHTML made part of one HTML page: ids and links in the page's id space,
    ARIA roles for EPUB's ``epub:type``, no ``xml:lang``, images at their page addresses.
    (``n`` may be :data:`_NUMBER`, replaced by the number when the chapter is placed.)"""

    def change(tag: str, attrs: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
        out: list[tuple[str, str | None]] = []
        for k, v in attrs:
            if k == "id" and v is not None:
                v = f"c{n}-{v}"
            elif k == "href" and v:
                if v.startswith("#"):
                    v = f"#c{n}-{v[1:]}"
                elif m := _CHAPTER_HREF.match(v):
                    v = f"#c{int(m.group(1))}-{m.group(2) or 'chapter-title'}"
            elif k == "src" and v is not None and v in images:
                v = images[v]
            elif k == "epub:type":
                if v in _ROLES:
                    out.append(("role", _ROLES[v]))
                continue
            elif k == "xml:lang":
                continue
            out.append((k, v))
        return out

    return rewrite_tags(body, change)


def data_uri(asset: Asset) -> str:
    """An embedded image: ``data:<type>;base64,…``."""
    import base64
    import mimetypes

    kind = mimetypes.guess_type(asset.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(asset.read()).decode('ascii')}"


def render_chapter(content: ChapterContent, ctx: RenderContext) -> tuple[str, list[TocEntry]]:
    """:func:`digestkit.writers.xhtml.render_chapter`, the renderer (and the AST, ~20 ms of
    start-up) imported when the first chapter is rendered: a re-run that finds every chapter
    in the cache renders none."""
    from .xhtml import render_chapter as render

    return render(content, ctx)


def build_page(
    book: Book, *, allow_network: bool = False, email: bool = False,
    image_src: Callable[[str, Asset], str] | None = None,
) -> Page:  # fmt: skip
    """Render every chapter of ``book`` into one page's parts.

    ``image_src(name, asset)`` gives the ``src`` written for an embedded image (default: a
    ``data:`` URI). With ``email`` and ``allow_network`` remote images are hot-linked, not fetched.

    Chapters with a cache key (a weekly book made with the cache on) are kept rendered, as the
    EPUB keeps its chapters (``book.cache_key``; never one that embeds images): a re-run loads
    and renders only the digests that changed. What is kept leaves the chapter's number open
    (filled in when the page is put together), so a digest inserted before it leaves it valid.
    """
    esc = html.escape
    chapters: list[bytes] = []
    toc: list[str] = []
    images: dict[str, Asset] = {}
    store = _chapter_cache() if any(ch.render_key for ch in book.chapters) else None
    for n, ch in enumerate(book.chapters, 1):
        key = cache_key(ch, allow_network=allow_network) if store is not None else None
        # email: remote images hot-linked; the book's language: a chapter's without its own
        key = f"page:{email}:{book.lang}:{key}" if key else None
        hit = store.get(key) if store is not None and key else None
        if isinstance(hit, tuple) and len(hit) == 4 and isinstance(hit[0], bytes):
            page, title, lang, anchors = hit  # an unchanged digest: no loading, no rendering
        else:
            from .xhtml import RenderContext

            content = chapter_content(ch, ch.document(), book.lang, n)
            ctx = RenderContext(base_dir=ch.base_dir, allow_network=allow_network, hotlink=email,
                                image_prefix=f"images/c{n:03d}-", links=book.links,
                                source=ch.source)  # fmt: skip
            body, entries = render_chapter(content, ctx)
            title, lang = content.title, content.lang
            anchors = [(e.title, e.anchor) for e in entries]
            srcs: dict[str, str] = {}
            for asset in ctx.assets.values():
                images[asset.name] = asset
                srcs[asset.name] = image_src(asset.name, asset) if image_src else data_uri(asset)
            # kept with its number left open (a digest inserted before it leaves it valid), as
            # UTF-8: the page is written as it is kept
            page = _one_page(_NUMBER, body, srcs).encode("utf-8")
            if store is not None and key and not ctx.assets:  # images could change under it
                store.put(key, (page, title, lang, anchors))
        chapters.append(
            f'<section class="chapter" id="c{n}" lang="{esc(lang)}">\n'.encode()
            + page.replace(_NUMBER_UTF8, str(n).encode())
            + b"\n</section>"
        )
        sub = "".join(f'<li><a href="#c{n}-{esc(a)}">{esc(t)}</a></li>' for t, a in anchors)
        toc.append(
            f'<li><a href="#c{n}-chapter-title">{esc(title)}</a>'
            f"{f'<ol>{sub}</ol>' if sub else ''}</li>"
        )
    label = contents_label(book.lang)
    contents = (
        f'<nav class="toc" role="doc-toc" aria-labelledby="toc-title">'
        f'<h2 id="toc-title">{esc(label)}</h2>\n<ol>\n' + "\n".join(toc) + "\n</ol></nav>"
    )
    # what the EPUB's cover says (``cover.cover_text``), as text
    cover = cover_text(book.title, book.subtitle, book.article_count(), len(book.chapters),
                       book.lang)  # fmt: skip
    lines = [f'<h1 class="masthead-title">{esc(cover.title)}</h1>']
    if cover.subtitle:
        lines.append(f'<p class="subtitle">{esc(cover.subtitle)}</p>')
    lines.append(f'<p class="count">{esc(cover.counts)}</p>')
    masthead = '<header class="masthead">' + "".join(lines) + "</header>"
    return Page(book.title, book.lang, masthead, contents, chapters, images, author=book.author)


def _chapter_cache() -> Any:
    """The cache the page keeps its rendered chapters in (the user's; tests point it away)."""
    from ..cache import DocumentCache

    return DocumentCache()


def build_html(
    book: Book, *, allow_network: bool = False, email: bool = False,
    fonts: Sequence[str | Path] = (),
) -> str:  # fmt: skip
    """The whole book as one HTML page (``email``: the e-mail-safe variant).

    ``fonts``: the user's font files, subset to the page's characters (``writers/fonts.py``,
    as the EPUB does) and embedded; not with ``email`` (mail clients load no fonts).
    """
    return build_html_utf8(book, allow_network=allow_network, email=email, fonts=fonts).decode(
        "utf-8"
    )


def build_html_utf8(
    book: Book, *, allow_network: bool = False, email: bool = False,
    fonts: Sequence[str | Path] = (),
) -> bytes:  # fmt: skip
    """:func:`build_html` as the bytes of the file: what the weekly job writes."""
    if email and fonts:
        raise OptionError("fonts cannot go with --email: mail clients load no fonts from a message")
    page = build_page(book, allow_network=allow_network, email=email)
    if email:
        from .html_email import email_html

        return email_html(page).encode("utf-8")
    return page_utf8(page, _subsets(page, fonts) if fonts else ())


def _subsets(page: Page, fonts: Sequence[str | Path]) -> list[EmbeddedFont]:
    """The user's fonts cut down to every character the page shows."""
    from .fonts import TextCollector, embed_fonts

    collect = TextCollector()
    collect.feed_document(page.masthead + page.contents, page.lang)
    for chapter in page.chapters:
        collect.feed_document(chapter, page.lang)
    return embed_fonts(collect.chars, noto=False, user_fonts=fonts, lang=page.lang)


def page_utf8(page: Page, fonts: Sequence[EmbeddedFont] = ()) -> bytes:
    """The web page around ``page``'s parts (head with CSS and CSP, masthead, contents,
    chapters), as the UTF-8 the file holds: the chapters are UTF-8 already."""
    esc = html.escape
    head = (
        f'<!DOCTYPE html>\n<html lang="{esc(page.lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        f'<meta name="generator" content="{esc(generator())}">\n'
        + (f'<meta name="author" content="{esc(page.author)}">\n' if page.author else "")
        + f"<title>{esc(page.title)}</title>\n<style>\n{page_stylesheet(fonts)}</style>\n</head>\n<body>\n"
        f"{page.masthead}\n{page.contents}\n<main>\n"
    )
    # one join of every part: the chapters (~0.56 MB at 30 digests) are copied once, not once
    # more for each ``+`` after them (~1 ms of a re-run, issue 26)
    parts = [head.encode("utf-8")]
    for n, chapter in enumerate(page.chapters_utf8):
        parts += (b"\n", chapter) if n else (chapter,)
    parts.append(b"\n</main>\n</body>\n</html>\n")
    return b"".join(parts)


class HtmlWriter:
    """One HTML page from one document (``dump``/``convert``) or a whole book (``weekly``)."""

    name = "html"
    description = "one self-contained HTML page (or --email: inline styles for mail)"
    extensions = (".html", ".htm")
    kind = "text"
    options_type = HtmlOptions

    def write(self, doc: Document, options: HtmlOptions | None = None) -> str:
        """The page for ``doc``."""
        o = options or HtmlOptions()
        book = book_from_document(
            doc, base_dir=Path(o.base_dir) if o.base_dir else None, base_url=o.base_url
        )
        return build_html(book, allow_network=o.allow_network, email=o.email, fonts=o.fonts)


WRITER = HtmlWriter()
