"""Writer ``epub``: EPUB 3 (with an NCX for older readers), valid, reproducible, streamed.

- ``dc:language``, ``lang`` and ``xml:lang`` on every content document come from the AST's
  ``lang`` (never a default ``en``; Chinese is never labelled English); articles of another
  script carry their own ``lang``.
- Stable identifier: a UUID5 of the title and the rendered chapters, so the same book keeps its
  identity across rebuilds. Reproducible bytes: every zip timestamp and ``dcterms:modified`` come
  from ``SOURCE_DATE_EPOCH``, else from the newest document date.
- Streamed: chapters are rendered and written one at a time (``epub_package.py``, which says why
  it replaced ebooklib's writer), so a book of thousands of digests never holds them all.
- One XHTML renderer (``writers/xhtml.py``, shared with PDF): sanitised raw HTML, stable heading
  ids, no network unless ``allow_network``; local images under each chapter's folder embedded.
- CJK typography in the stylesheet: SC or TC font stacks chosen by ``:lang()``, justified text,
  strict line breaking; ``vertical=True`` sets ``writing-mode: vertical-rl`` and a right-to-left
  page progression.
- A cover drawn as SVG (title, date range, number of articles): offline, no image library.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

from ..ast import Article, Document, Heading, plain_text
from .epub_package import EpubPackage, NavPoint, xhtml_document
from .xhtml import RenderContext, TocEntry, render_blocks

__all__ = ["WRITER", "Book", "Chapter", "EpubWriter", "build_epub", "stylesheet"]


@dataclass
class Chapter:
    """One chapter: a document (or how to load it), the folder its images may come from, its date.

    A weekly book of thousands of digests gives each chapter a ``loader`` instead of a document,
    so only one document is in memory at a time; ``lang`` and ``articles`` are then known ahead.
    """

    doc: Document | None = None
    base_dir: Path | None = None
    date: _dt.date | None = None
    title: str | None = None
    loader: Callable[[], Document] | None = None
    lang: str | None = None
    articles: int | None = None
    render_key: str | None = None  # content key: the rendered chapter may be cached under it

    def document(self) -> Document:
        """The chapter's document, loading it if needed (not kept: loaders are cheap to call)."""
        if self.doc is not None:
            return self.doc
        if self.loader is None:
            raise ValueError("a chapter needs a document or a loader")
        return self.loader()


@dataclass
class Book:
    """What the EPUB and PDF writers lay out."""

    title: str
    lang: str
    chapters: list[Chapter] = field(default_factory=list)
    subtitle: str | None = None
    author: str | None = None

    def article_count(self) -> int:
        return sum(ch.articles if ch.articles is not None else count_articles(ch.document())
                   for ch in self.chapters)  # fmt: skip


_FONTS = {
    "zh-Hans": '"Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun", serif',
    "zh-Hant": '"Noto Serif CJK TC", "Source Han Serif TC", "Songti TC", "PMingLiU", serif',
    "zh-Hant-HK": '"Noto Serif CJK HK", "Noto Serif CJK TC", "Source Han Serif HC", "MingLiU_HKSCS", serif',
}
_SANS = {
    "zh-Hans": '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif',
    "zh-Hant": '"Noto Sans CJK TC", "Source Han Sans TC", "PingFang TC", "Microsoft JhengHei", sans-serif',
    "zh-Hant-HK": '"Noto Sans CJK HK", "Noto Sans CJK TC", "PingFang HK", sans-serif',
}


def stylesheet(*, vertical: bool = False) -> str:
    """The book's CSS: fonts by ``:lang()``, justified CJK text with strict line breaking."""
    rules = [
        "html { line-height: 1.75; }",
        "body { margin: 0 1em; text-align: justify; line-break: strict; -epub-line-break: strict;"
        " word-break: normal; overflow-wrap: break-word; hanging-punctuation: allow-end; }",
        "p { margin: 0.6em 0; }",
        "h1, h2, h3, h4 { line-height: 1.35; text-align: left; page-break-after: avoid; }",
        "h1 { font-size: 1.6em; } h2 { font-size: 1.3em; } h3 { font-size: 1.1em; }",
        "blockquote { margin: 0.8em 1.5em; color: #444; }",
        "pre { white-space: pre-wrap; font-size: 0.85em; background: #f5f5f5; padding: 0.5em; }",
        "code { font-family: monospace; }",
        "table { border-collapse: collapse; margin: 0.8em 0; }",
        "th, td { border: 1px solid #999; padding: 0.2em 0.5em; }",
        ".align-center { text-align: center; } .align-right { text-align: right; }",
        ".caption { font-size: 0.85em; color: #555; text-align: center; }",
        ".byline, .dateline { font-size: 0.85em; color: #666; }",
        "section.article { margin-top: 1.5em; }",
        "a.remote-image { font-style: italic; }",
        "a.noteref { text-decoration: none; } sup { line-height: 0; }",
        "section.footnotes { margin-top: 2em; border-top: 1px solid #999; font-size: 0.85em; }",
        "aside.footnote p.note-number { float: left; margin: 0 0.5em 0 0; }",
        ".admonition { border-left: 0.25em solid #888; background: #f4f4f4; padding: 0.2em 0.8em;"
        " margin: 0.8em 0; }",
        ".admonition-title { font-weight: bold; margin: 0.3em 0; }",
        ".admonition-warning, .admonition-danger, .admonition-caution { border-color: #c60; }",
        "figure { margin: 0.8em 0; text-align: center; } figcaption { font-size: 0.85em; color: #555; }",
        ".cover { text-align: center; } .cover img { max-width: 100%; max-height: 100%; }",
    ]
    for lang in ("zh-Hans", "zh-Hant", "zh-Hant-HK"):
        rules.append(f":lang({lang}) {{ font-family: {_FONTS[lang]}; }}")
        rules.append(
            f":lang({lang}) h1, :lang({lang}) h2, :lang({lang}) h3 {{ font-family: {_SANS[lang]}; }}"
        )
    if vertical:
        rules.append("html { writing-mode: vertical-rl; -epub-writing-mode: vertical-rl; }")
    return "\n".join(rules) + "\n"


def count_articles(doc: Document) -> int:
    """How many articles (or news items) a digest holds, for the cover."""
    arts = list(doc.articles())
    return len(arts) if arts else max(1, len(_items(doc, 1)))


def _items(doc: Document, base_level: int) -> list[Heading]:
    """The news items of a digest: the deepest heading level (≤ 3) that occurs at least twice."""
    heads = [b for b in doc.blocks if isinstance(b, Heading) and b.level > base_level]
    for level in (3, 2):
        found = [h for h in heads if h.level == level]
        if len(found) >= 2:
            return found
    return heads


def contents_label(lang: str) -> str:
    """The heading of a book's contents page in its language (EPUB nav and PDF)."""
    if lang.startswith("zh-Hant"):
        return "目錄"
    return "目录" if lang.startswith("zh") else "Contents"


def _lang_of(doc: Document, fallback: str) -> str:
    return doc.meta.lang if doc.meta.lang and doc.meta.lang != "zh" else fallback


def _epoch(book: Book) -> _dt.datetime:
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if env and env.strip().isdigit():
        return _dt.datetime.fromtimestamp(int(env), tz=_dt.UTC)
    dates = [c.date for c in book.chapters if c.date]
    day = max(dates) if dates else _dt.date(2000, 1, 1)
    return _dt.datetime(day.year, day.month, day.day, tzinfo=_dt.UTC)


def _cover_svg(book: Book) -> str:
    lines = [book.title[i : i + 14] for i in range(0, len(book.title), 14)][:4]
    font = _SANS.get(book.lang if book.lang in _SANS else "zh-Hans")
    text = "".join(
        f'<text x="300" y="{300 + 70 * k}" font-size="52" text-anchor="middle" '
        f'font-weight="bold" fill="#1d2b3a">{escape(line)}</text>'
        for k, line in enumerate(lines)
    )
    sub = escape(book.subtitle or "")
    count = book.article_count()
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="600" height="900" '
        f"viewBox=\"0 0 600 900\" font-family='{font}'>"
        '<rect width="600" height="900" fill="#f4efe6"/>'
        '<rect x="40" y="40" width="520" height="820" fill="none" stroke="#1d2b3a" stroke-width="4"/>'
        f"{text}"
        f'<text x="300" y="{420 + 70 * len(lines)}" font-size="30" text-anchor="middle" fill="#444">{sub}</text>'
        f'<text x="300" y="800" font-size="26" text-anchor="middle" fill="#444">{count} 篇 · {len(book.chapters)} 期</text>'
        "</svg>\n"
    )


def _chapter_xhtml(
    ch: Chapter, ctx: RenderContext, doc: Document
) -> tuple[str, list[TocEntry], int]:
    blocks = list(doc.blocks)
    title = ch.title or doc.meta.title or "(untitled)"
    if (
        blocks
        and isinstance(blocks[0], Heading)
        and blocks[0].level == 1
        and plain_text(blocks[0]) == title
    ):
        blocks = blocks[1:]  # the digest repeats its title as a first heading
    anchor = ctx.unique_id("chapter-title")
    parts = [f'<h1 id="{anchor}">{escape(title)}</h1>']
    if ch.date:
        parts.append(
            f'<p class="dateline"><time datetime="{ch.date.isoformat()}">{ch.date.isoformat()}</time></p>'
        )
    if doc.meta.summary:
        parts.append(f'<p class="summary">{escape(doc.meta.summary).replace(chr(10), "<br/>")}</p>')
    start = len(ctx.toc)
    # the chapter title is the h1: other level-1 headings move down one level
    shift = 1 if any(isinstance(b, Heading) and b.level == 1 for b in blocks) else 0
    parts.append(render_blocks(blocks, ctx, level_shift=shift))
    return "\n".join(parts), ctx.toc[start:], shift


def _toc_items(doc: Document, entries: list[TocEntry], shift: int) -> list[TocEntry]:
    if any(isinstance(b, Article) for b in doc.blocks):
        titles = {b.meta.title for b in doc.articles() if b.meta.title}
        return [e for e in entries if e.title in titles and e.level == 2]
    items = _items(doc, 1)
    wanted = {plain_text(h).replace("\n", " ").strip() for h in items}
    levels = {h.level for h in items}
    return [e for e in entries if e.title in wanted and (e.level - shift) in levels]


def write_epub(
    book: Book, fh: IO[bytes], *, allow_network: bool = False, vertical: bool = False
) -> None:
    """Lay out ``book`` as EPUB 3 into ``fh``, one chapter at a time (memory stays flat)."""
    digest = hashlib.sha256(book.title.encode())  # the identifier: title + rendered chapters
    pkg = EpubPackage(fh, _epoch(book))
    pkg.add("style/book.css", stylesheet(vertical=vertical).encode(), id="style")
    pkg.add("cover.svg", _cover_svg(book).encode(), id="cover-img", properties="cover-image")
    alt = escape(book.title, {'"': "&quot;"})
    cover = f'<div class="cover"><img src="cover.svg" alt="{alt}"/></div>'
    pkg.add(
        "cover.xhtml", xhtml_document(book.title, book.lang, cover).encode(), id="cover", spine=True
    )
    store = _chapter_cache() if any(ch.render_key for ch in book.chapters) else None
    for n, ch in enumerate(book.chapters, 1):
        name = f"chapter-{n:03d}.xhtml"
        key = f"xhtml:{ch.render_key}:{allow_network}" if ch.render_key and store else None
        hit = store.get(key) if store and key else None
        if isinstance(hit, tuple) and len(hit) == 3:
            body, title, anchors = hit  # an unchanged digest: no loading, no rendering
        else:
            doc = ch.document()
            ctx = RenderContext(base_dir=ch.base_dir, allow_network=allow_network,
                                image_prefix=f"images/c{n:03d}-")  # fmt: skip
            body, entries, shift = _chapter_xhtml(ch, ctx, doc)
            title = ch.title or doc.meta.title or f"({n})"
            anchors = [(e.title, e.anchor) for e in _toc_items(doc, entries, shift)]
            for k, asset in enumerate(ctx.assets.values(), 1):
                pkg.add(asset.name, asset.read(), id=f"img-{n:03d}-{k:03d}")
            if store and key and not ctx.assets:  # embedded files could change under it
                store.put(key, (body, title, anchors))
            if ch.lang is None:
                ch.lang = _lang_of(doc, book.lang)
        digest.update(body.encode())
        lang = ch.lang or book.lang
        pkg.add(name, xhtml_document(title, lang, body).encode(), id=f"chapter-{n:03d}", spine=True)
        pkg.add_toc(NavPoint(title, name, [NavPoint(t, f"{name}#{a}") for t, a in anchors]))
    dates = [c.date for c in book.chapters if c.date]
    ident = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'digestkit:' + digest.hexdigest())}"
    label = contents_label(book.lang)
    pkg.finish(identifier=ident, title=book.title, lang=book.lang, author=book.author,
               date=max(dates) if dates else None, rtl=vertical, nav_title=label)  # fmt: skip


def _chapter_cache() -> Any:
    from ..cache import DocumentCache

    return DocumentCache()


def build_epub(book: Book, *, allow_network: bool = False, vertical: bool = False) -> bytes:
    """Lay out ``book`` as EPUB 3 bytes."""
    buf = io.BytesIO()
    write_epub(book, buf, allow_network=allow_network, vertical=vertical)
    return buf.getvalue()


def book_from_document(doc: Document, *, base_dir: Path | None = None) -> Book:
    """A one-document book: its articles as chapters, or the document as the one chapter."""
    lang = doc.meta.lang if doc.meta.lang and doc.meta.lang != "zh" else "zh-Hans"
    date = doc.meta.date.date() if isinstance(doc.meta.date, _dt.datetime) else doc.meta.date
    arts = list(doc.articles())
    if arts:
        chapters = [
            Chapter(
                Document(
                    meta=doc.meta.__class__(title=a.meta.title, lang=a.meta.lang or doc.meta.lang),
                    blocks=a.blocks,
                ),
                base_dir,
                date,
                a.meta.title,
            )
            for a in arts
        ]
    else:
        chapters = [Chapter(doc, base_dir, date)]
    title = doc.meta.title or (arts[0].meta.title if arts and arts[0].meta.title else "digest")
    return Book(title=title, lang=lang, chapters=chapters, author=doc.meta.author)


class EpubWriter:
    """EPUB 3 from one document (``dump``) or a whole book (``digestkit.weekly``)."""

    name = "epub"
    description = "EPUB 3 (nav + NCX), CJK typography, reproducible"
    extensions = (".epub",)
    kind = "binary"

    def write(self, doc: Document, **options: Any) -> bytes:
        """EPUB bytes for ``doc`` (options: allow_network, vertical, base_dir)."""
        base = options.get("base_dir")
        book = book_from_document(doc, base_dir=Path(base) if base else None)
        return build_epub(book, allow_network=bool(options.get("allow_network")),
                          vertical=bool(options.get("vertical")))  # fmt: skip


WRITER = EpubWriter()
