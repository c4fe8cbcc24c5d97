"""The book as HTML documents for the layout: chapters (ids made unique across the book,
internal links made joinable), the title page and contents, the page-number probe, and the
chapter groups laid out in parallel."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import partial
from html import escape as _html_escape
from pathlib import Path

from ..._records import record as dataclass  # dataclasses' classes, no exec
from ...shortcodes import page_params
from ..book import Book, chapter_content, contents_label
from ..xhtml import Asset, RenderContext, render_chapter
from .constants import ASSET_SCHEME, CHAPTER_REF, GOTO, NUMBER_MARK
from .style import stylesheet

#: ``xml.sax.saxutils.escape`` (``&``, ``<``, ``>``; the same bytes), without importing
#: ``xml.sax``: its ``saxutils`` pulls in ``urllib.request``, ``http.client`` and ``email``
#: (~15 ms of a re-run's start-up)
escape = partial(_html_escape, quote=False)

__all__ = [
    "ChapterPart",
    "Parts",
    "TocRow",
    "chapter_html",
    "chapter_part",
    "font_assets",
    "front_html",
    "groups",
    "heads",
    "parts",
    "probe_html",
]


_HREF = re.compile(r'href="#([^"]*)"')
_ID = re.compile(r'(\s)id="([^"]+)"')
#: a start tag with an id or href (text between tags has no ``<``/``>``: they are escaped)
_TAG = re.compile(r'<[^<>/][^<>]*\s(?:id|href)="[^<>]*>')
#: a link to another chapter, as ``links.resolve`` writes it for the book (EPUB file names)
_CHAPTER_HREF = re.compile(r'href="chapter-(\d+)\.xhtml(?:#([^"]*))?"')


def chapter_html(tag: str, body: str) -> str:
    """Ids unique across the whole PDF (``<tag>-`` prefix), internal links made joinable.

    Chapters are laid out in separate documents, so an internal link cannot be resolved by
    WeasyPrint; it is written as a ``digestkit-goto:`` URI and turned into a real PDF
    destination when the parts are joined (``join._fix_links``). The tag is the chapter's own
    (``incremental.chapter_tags``: from its key, not its number), so its layout is the same
    wherever it lands. A link to another chapter (``chapter-003.xhtml#x``, the book's neutral
    name for it) becomes ``n3-x``: the join finds chapter 3's tag.
    """

    def fix(m: re.Match[str]) -> str:
        tag_ = _ID.sub(lambda m: f'{m.group(1)}id="{tag}-{m.group(2)}"', m.group())
        tag_ = _CHAPTER_HREF.sub(
            lambda m: (
                f'href="{GOTO}{CHAPTER_REF}{int(m.group(1))}-{m.group(2) or "chapter-title"}"'
            ),
            tag_,
        )
        return _HREF.sub(lambda m: f'href="{GOTO}{tag}-{m.group(1)}"', tag_)

    # inside tags only: text may hold id="…" too (a code block showing {{< music id="1" >}})
    return _TAG.sub(fix, body)


#: one chapter's contents entry: its tag, its title, [(news item title, anchor)]
TocRow = tuple[str, str, list[tuple[str, str]]]


@dataclass
class Parts:
    """The book as HTML pieces: head, chapters and what the contents page needs."""

    lang: str
    head_front: str
    head_body: str
    chapters: list[str]
    toc: list[TocRow]
    assets: dict[str, Asset]


@dataclass(frozen=True)
class ChapterPart:
    """One chapter as the layout gets it: its HTML, its contents entry and its images."""

    html: str
    toc: TocRow
    #: name (without the asset scheme) → image; empty for most digests
    assets: dict[str, Asset]


def chapter_part(book: Book, n: int, allow_network: bool, tag: str = "") -> ChapterPart:
    """Chapter ``n`` (1-based) rendered for the layout (its document is loaded here); ``tag``
    prefixes its ids (default ``c<n>``)."""
    tag = tag or f"c{n}"
    ch = book.chapters[n - 1]
    doc = ch.document()
    ctx = RenderContext(
        base_dir=ch.base_dir,
        allow_network=allow_network,
        image_prefix=f"{ASSET_SCHEME}{tag}-",
        footnotes="inline",  # notes stay in place: WeasyPrint floats them to the page foot
        links=book.links,
        source=ch.source,
        page_params=page_params(doc.meta, book.site_params),
    )
    content = chapter_content(ch, doc, book.lang, n)
    body, entries = render_chapter(content, ctx)
    html = f'<article lang="{content.lang}">{chapter_html(tag, body)}</article>'
    items = [(e.title, f"{tag}-{e.anchor}") for e in entries]
    assets = {a.name.removeprefix(ASSET_SCHEME): a for a in ctx.assets.values()}
    return ChapterPart(html, (tag, content.title, items), assets)


def font_assets(fonts: Sequence[Path]) -> dict[str, Asset]:
    """The user's font files as the stylesheet names them (``font-<k>``)."""
    return {f"font-{k}": Asset(Path(path), f"font-{k}") for k, path in enumerate(fonts)}


def heads(book: Book, paper: str, fonts: Sequence[Path]) -> tuple[str, str]:
    """The HTML heads (up to ``<body>``) of the front part and of the chapter groups.

    Only the front part carries the book's title and metadata: the joined PDF keeps the front
    part's, so the chapter groups' head depends on nothing but the style and the book's
    language — adding a digest (which moves the dates) leaves laid-out groups valid (their
    cache key includes this head).
    """
    dates = [c.date for c in book.chapters if c.date]
    meta = [f'<meta name="author" content="{escape(book.author or "digestkit")}"/>',
            '<meta name="generator" content="digestkit"/>']  # fmt: skip
    if dates:
        meta.append(f'<meta name="dcterms.created" content="{min(dates).isoformat()}"/>')
        meta.append(f'<meta name="dcterms.modified" content="{max(dates).isoformat()}"/>')
    front = (
        f'<!DOCTYPE html><html lang="{book.lang}"><head><meta charset="utf-8"/>'
        f"<title>{escape(book.title)}</title>{''.join(meta)}"
        f"<style>{stylesheet(paper, fonts, 'front')}</style></head><body>"
    )
    body = (
        f'<!DOCTYPE html><html lang="{book.lang}"><head><meta charset="utf-8"/>'
        f"<style>{stylesheet(paper, fonts, 'body')}</style></head><body>"
    )
    return front, body


def parts(book: Book, paper: str, fonts: Sequence[Path], allow_network: bool) -> Parts:
    """Every chapter rendered, with the heads (the whole book's layout input at once)."""
    assets = font_assets(fonts)
    chapters: list[str] = []
    toc: list[TocRow] = []
    for n in range(1, len(book.chapters) + 1):
        part = chapter_part(book, n, allow_network)
        chapters.append(part.html)
        toc.append(part.toc)
        assets.update(part.assets)
    head_front, head_body = heads(book, paper, fonts)
    return Parts(book.lang, head_front, head_body, chapters, toc, assets)


def front_html(book: Book, head_front: str, toc: Sequence[TocRow], depth: int = 1) -> str:
    """Title page and contents; each entry has a hidden ``pn-<anchor>`` box for its number.

    ``depth`` 1 lists the chapters (one line per digest), 2 their news items too. Chapters only
    is the default: the front part is laid out on every run, cached chapters or not, and a
    month of dailies lists ~800 news items (32 A5 pages, 3.3 s of CPU) — more than a re-run
    that reuses every chapter costs otherwise. The outline (bookmarks) has every heading either
    way, and viewers show it as a tree.
    """
    label = contents_label(book.lang)
    out = [
        head_front,
        '<section class="titlepage">',
        f"<h1>{escape(book.title)}</h1>",
        f'<p class="dateline">{escape(book.subtitle or "")}</p>' if book.subtitle else "",
        f'<p class="dateline">{book.article_count()} 篇 · {len(book.chapters)} 期</p>',
        "</section>",
        f'<nav class="toc"><h1>{label}</h1><ol>',
    ]

    def link(title: str, anchor: str) -> str:
        return (
            f'<div class="e"><a href="{GOTO}{anchor}">{escape(title)}</a>'
            f'<span class="pn" id="{NUMBER_MARK}{anchor}">0</span></div>'
        )

    for tag, title, items in toc:
        sub = "".join(f"<li>{link(t, a)}</li>" for t, a in items) if depth >= 2 else ""
        out.append(
            f"<li>{link(title, f'{tag}-chapter-title')}{f'<ol>{sub}</ol>' if sub else ''}</li>"
        )
    out.append("</ol></nav></body></html>")
    return "".join(out)


def groups(chapters: Sequence[int], chars: Sequence[int], high: int, jobs: int) -> list[list[int]]:
    """Consecutive chapters (indices; ``chars[i]`` is chapter ``i``'s size) in groups of about
    equal size: at least one per worker, and none much above ``high`` (a layout's memory
    grows with its length)."""
    if not chapters:
        return []
    total = sum(chars[i] for i in chapters)
    count = max(jobs, math.ceil(total / max(high, 1)))
    count = max(1, min(len(chapters), count))
    out: list[list[int]] = [[] for _ in range(count)]
    done = 0
    for i in chapters:
        # the group this chapter's middle falls in, never going back
        k = min(count - 1, int((done + chars[i] / 2) * count / max(total, 1)))
        out[k].append(i)
        done += chars[i]
    return [g for g in out if g]


def probe_html(book: Book, paper: str, fonts: Sequence[Path]) -> str:
    """The ten digits in the page-number font (the page's font for the book's ``lang``, at
    the number's size), for ``join`` to stamp page numbers with."""
    return (
        f'<!DOCTYPE html><html lang="{book.lang}"><head><meta charset="utf-8"/>'
        f"<style>{stylesheet(paper, fonts, 'front')}</style></head>"
        '<body><p style="font-size: 9pt">0123456789</p></body></html>'
    )
