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
- A cover drawn offline (``cover.py``): a 1600 × 2560 PNG with the title and the weeks the
  book covers in the Noto CJK face of the book's script (the date span and the counts of
  articles and issues are on the contents page), declared as ``cover-image`` (and with the
  EPUB 2 ``<meta name="cover">``), shown alone on the cover page; cached by content. Without a
  CJK font, an SVG cover instead (with a warning).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import os
import warnings
from collections.abc import Sequence
from pathlib import Path

from ..options import EpubOptions
from ..shortcodes import page_params
from .book import (
    DEFAULT_LANG,
    FONTS,
    Book,
    Chapter,
    book_from_document,
    cache_key,
    chapter_content,
    contents_label,
    fonts_for,
    script_of,
    source_date,
)
from .cover import CoverText, cover_png, cover_svg, cover_text, week_span
from .epub_package import (
    EpubPackage,
    Landmark,
    NavPoint,
    Packed,
    escape,
    pack,
    uuid5_url,
    xhtml_document,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from typing import IO, Any

if TYPE_CHECKING:  # the fonts module (fontTools, fontconfig, html.parser) only when embedding
    from ..ast import Document
    from .fonts import EmbeddedFont, TextCollector

__all__ = ["WRITER", "EpubWriter", "build_epub", "prerender", "stylesheet", "write_epub"]


def stylesheet(
    *, vertical: bool = False, fonts: Sequence[EmbeddedFont] = (), lang: str = DEFAULT_LANG
) -> str:
    """The book's CSS: fonts by ``:lang()`` (embedded ones first), justified CJK text with
    strict line breaking, and the vertical rules when ``vertical``.

    Every property that reading systems know only by a prefix is written with it too:
    ``-epub-`` (EPUB 3.0.1, Adobe RMSDK, Readium) and ``-webkit-`` (Apple Books, Kobo,
    older WebKit/Blink readers), each before the standard name, so the standard one wins where
    both are known.
    """
    user = [f.family for f in fonts if f.script is None]
    rules = [
        *(_font_face_rules(fonts) if fonts else ()),
        "html { line-height: 1.75; }",
        "body { margin: 0 1em; text-align: justify; line-break: strict; -epub-line-break: strict;"
        " -webkit-line-break: strict; word-break: normal; overflow-wrap: break-word;"
        " hanging-punctuation: allow-end; }",
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

    def first(script: str, kind: str) -> list[str]:
        own = [f.family for f in fonts if f.script == script and f.kind == kind]
        return [*user, *own]

    base = script_of(lang)
    rules.append(f"html {{ font-family: {FONTS[base].stack('serif', first(base, 'serif'))}; }}")
    # Text in the serif stack of its language; headings and everything inside them (a link, an
    # emphasis, a number marked for vertical setting) in the sans one. All serif rules come
    # first, and within each group the FONTS order, so where two languages match (zh-Hant and
    # zh-Hant-HK) the later one wins in both, as ``fonts.css_script`` assumes.
    for key, faces in FONTS.items():
        rules.append(
            f":lang({key}) {{ font-family: {faces.stack('serif', first(key, 'serif'))}; }}"
        )
    for key, faces in FONTS.items():
        heads = ", ".join(f"{h}:lang({key}), {h} *:lang({key})" for h in ("h1", "h2", "h3"))
        rules.append(f"{heads} {{ font-family: {faces.stack('sans', first(key, 'sans'))}; }}")
    if vertical:
        rules += VERTICAL_RULES
    return "\n".join(rules) + "\n"


#: Vertical writing (``vertical=True``). ``text-orientation: mixed`` sets CJK characters
#: upright and turns Latin words sideways; CJK punctuation and the corner quotes 「」『』 take
#: the font's vertical forms (OpenType ``vert``/``vrt2``, which the embedded subsets keep) and
#: sit in the column's right half, as vertical print sets them. Numbers come marked from the
#: renderer (``xhtml.vertical_text``): ``.tcy`` for one or two digits, ``.upright`` for longer.
VERTICAL_RULES = [
    "html { -epub-writing-mode: vertical-rl; -webkit-writing-mode: vertical-rl;"
    " writing-mode: vertical-rl; -epub-text-orientation: vertical-right;"
    " -webkit-text-orientation: mixed; text-orientation: mixed; }",
    ".tcy { -epub-text-combine: horizontal; -webkit-text-combine: horizontal;"
    " text-combine-upright: all; }",
    ".upright { -epub-text-orientation: upright; -webkit-text-orientation: upright;"
    " text-orientation: upright; }",
    "img { max-height: 90vh; }",
]


def _epoch(book: Book) -> _dt.datetime:
    return source_date(book)


def _cover_text(book: Book) -> CoverText:
    """What the cover shows: the title and, for a weekly book (whose subtitle is the span of
    its chapters' dates), the weeks it covers — what stays the same while a week's digests
    arrive, so the cached cover is found again on the daily re-run (see ``cover.py``). The
    span and the counts are on the contents page (:func:`_nav_intro`)."""
    dates = [c.date for c in book.chapters if c.date]
    sub = book.subtitle
    if dates and sub == f"{min(dates).isoformat()} – {max(dates).isoformat()}":
        sub = week_span(dates)
    return CoverText(title=book.title, subtitle=sub, counts="", lang=book.lang)


def _nav_intro(book: Book) -> str:
    """The line before the contents: the book's date span (when it has one) and its counts
    (``cover.cover_text``'s, as the PDF's title page and the HTML masthead show them)."""
    text = cover_text(book.title, book.subtitle, book.article_count(), len(book.chapters),
                      book.lang)  # fmt: skip
    line = " · ".join(x for x in (text.subtitle, text.counts) if x)
    return f'<p class="dateline">{escape(line)}</p>'


def _add_cover(pkg: EpubPackage, book: Book, store: Any) -> None:
    """The cover image (PNG, or SVG without a CJK font) and the cover page that shows it."""
    text = _cover_text(book)
    png = cover_png(text, cache=store)
    if png is not None:
        name = "cover.png"
        pkg.add(name, png, id="cover-img", properties="cover-image")
    else:
        warnings.warn("no CJK font for the raster cover (apt-get install fonts-noto-cjk): "
                      "the EPUB has an SVG cover only, which Kindle does not show", stacklevel=3)  # fmt: skip
        name = "cover.svg"
        svg = cover_svg(text, fonts_for(book.lang).stack("sans"))
        pkg.add(name, svg.encode(), id="cover-img", properties="cover-image")
    alt = escape(book.title).replace('"', "&quot;")
    # Only the image on the cover page: Kindle then drops the page and shows the cover image
    # itself (a cover page with text would be moved to the end of the book).
    cover = f'<div class="cover"><img src="{name}" alt="{alt}"/></div>'
    pkg.add(
        "cover.xhtml", xhtml_document(book.title, book.lang, cover).encode(), id="cover", spine=True
    )


def _render(
    book: Book, ch: Chapter, n: int, allow_network: bool, vertical: bool
) -> tuple[Any, ...]:
    """Chapter ``n`` rendered: ``(body, title, lang, anchors, assets)``."""
    from .xhtml import RenderContext, render_chapter  # not needed when all are cached

    doc = ch.document()
    content = chapter_content(ch, doc, book.lang, n)
    ctx = RenderContext(base_dir=ch.base_dir, allow_network=allow_network,
                        image_prefix=f"images/c{n:03d}-", links=book.links,
                        source=ch.source, vertical=vertical,
                        page_params=page_params(doc.meta, book.site_params))  # fmt: skip
    body, entries = render_chapter(content, ctx)
    anchors = [(e.title, e.anchor) for e in entries]
    return body, content.title, content.lang, anchors, ctx.assets


def _cache_entry(
    body: str, title: str, lang: str, anchors: list[tuple[str, str]]
) -> tuple[Any, ...]:
    """What the chapter cache keeps: the body (for the book's identifier and font subsets) and
    the compressed content document, copied into the next book as is."""
    return body.encode(), title, lang, anchors, pack(xhtml_document(title, lang, body).encode())


#: the book being pre-rendered, inherited by forked workers (see :func:`prerender`)
_PRERENDER: tuple[Book, bool, bool] | None = None


def _prerender_one(n: int) -> tuple[str, ...] | None:
    """In a worker: render chapter ``n`` into the chapter cache; its warnings come back (None:
    not cached, so the writer renders it itself and warns then)."""
    if _PRERENDER is None:  # a spawned (not forked) worker has no book: the writer renders
        return None
    book, allow_network, vertical = _PRERENDER
    ch = book.chapters[n - 1]
    key = cache_key(ch, allow_network=allow_network, vertical=vertical)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        body, title, lang, anchors, assets = _render(book, ch, n, allow_network, vertical)
    if assets or key is None:  # embedded files could change under it: never cached
        return None
    _chapter_cache().put(key, _cache_entry(body, title, lang, anchors))
    return tuple(str(w.message) for w in caught)


def prerender(
    book: Book, *, allow_network: bool = False, vertical: bool = False, jobs: int | None = None
) -> None:
    """Render the chapters missing from the chapter cache in a pool of worker processes, so
    :func:`write_epub` only copies them (a cold weekly book rendered on every core).

    Only where workers are forked (Linux): they inherit ``book``, whose chapters load their
    documents from the cache. Warnings are raised here in chapter order, as the writer would.
    A chapter that fails or embeds files is left to the writer, which renders it (and raises)
    in the usual way, so the book is the same as one written without this step.
    """
    global _PRERENDER
    import sys

    workers = jobs or os.cpu_count() or 1
    if workers < 2 or not sys.platform.startswith("linux"):
        return
    store = _chapter_cache()
    todo = []
    for n, ch in enumerate(book.chapters, 1):
        key = cache_key(ch, allow_network=allow_network, vertical=vertical)
        if key is not None and key not in store:
            todo.append(n)
    if not todo:  # nothing new: not even the pool's module is imported
        return
    from ..parallel import PARALLEL_MIN

    if len(todo) < PARALLEL_MIN:
        return  # a re-run with a few new digests: the writer renders them
    import multiprocessing

    from ..parallel import pmap

    if multiprocessing.get_start_method(allow_none=True) not in (None, "fork"):
        return
    _PRERENDER = (book, allow_network, vertical)
    try:
        outcomes = pmap(_prerender_one, todo, jobs=workers)
    finally:
        _PRERENDER = None
    for outcome in outcomes:
        if outcome.error is None and outcome.value:
            for message in outcome.value:
                warnings.warn(message, stacklevel=2)


def write_epub(
    book: Book,
    fh: IO[bytes],
    *,
    allow_network: bool = False,
    vertical: bool = False,
    embed_fonts: bool = False,
    fonts: Sequence[str | Path] = (),
) -> None:
    """Lay out ``book`` as EPUB 3 into ``fh``, one chapter at a time (memory stays flat).

    ``embed_fonts``: the Noto CJK face of each script the book shows, subset to its characters
    (``writers/fonts.py``); ``fonts``: the user's font files, embedded and subset the same way,
    first in every font stack. The characters are gathered while the chapters stream past, so
    the stylesheet and the fonts are written after the last chapter.
    """
    digest = hashlib.sha256(book.title.encode())  # the identifier: title + rendered chapters
    pkg = EpubPackage(fh, _epoch(book))
    collect = None
    if embed_fonts or fonts:
        from .fonts import TextCollector

        collect = TextCollector()
    store = _chapter_cache() if any(ch.render_key for ch in book.chapters) else None
    _add_cover(pkg, book, store)
    label = contents_label(book.lang)
    for n, ch in enumerate(book.chapters, 1):
        name = f"chapter-{n:03d}.xhtml"
        key = cache_key(ch, allow_network=allow_network, vertical=vertical) if store else None
        hit = store.get(key) if store and key else None
        if isinstance(hit, tuple) and len(hit) == 5 and isinstance(hit[4], Packed):
            # an unchanged digest: no loading, no rendering, no compressing
            body_bytes, title, lang, anchors, packed = hit
            digest.update(body_bytes)
            if collect is not None:
                collect.feed_document(body_bytes.decode(), lang)
            pkg.add_packed(name, packed, id=f"chapter-{n:03d}", spine=True)
        else:
            body, title, lang, anchors, assets = _render(book, ch, n, allow_network, vertical)
            for k, asset in enumerate(assets.values(), 1):
                pkg.add(asset.name, asset.read(), id=f"img-{n:03d}-{k:03d}")
            body_bytes = body.encode()
            digest.update(body_bytes)
            if collect is not None:
                collect.feed_document(body, lang)
            document = xhtml_document(title, lang, body).encode()
            packed = pkg.add(name, document, id=f"chapter-{n:03d}", spine=True)
            if store and key and not assets:  # embedded files could change under it
                store.put(key, (body_bytes, title, lang, anchors, packed))
        if collect is not None:
            collect.add(" ".join([title, *(t for t, _ in anchors)]), book.lang)
        pkg.add_toc(NavPoint(title, name, [NavPoint(t, f"{name}#{a}") for t, a in anchors]))
    embedded: list[EmbeddedFont] = []
    if collect is not None:
        collect.add(label, book.lang, kind="sans")
        embedded = _embed(collect, embed_fonts, fonts, book.lang)
        for k, font in enumerate(embedded, 1):
            pkg.add(font.href, font.data, id=f"font-{k:02d}")
    css = stylesheet(vertical=vertical, fonts=embedded, lang=book.lang)
    pkg.add("style/book.css", css.encode(), id="style")
    dates = [c.date for c in book.chapters if c.date]
    ident = f"urn:uuid:{uuid5_url('digestkit:' + digest.hexdigest())}"
    zh = book.lang.startswith("zh")
    marks = [Landmark("cover", "cover.xhtml", "封面" if zh else "Cover"),
             Landmark("toc", "nav.xhtml#toc", label)]  # fmt: skip
    if book.chapters:
        marks.append(Landmark("bodymatter", "chapter-001.xhtml", "正文" if zh else "Start"))
    pkg.finish(identifier=ident, title=book.title, lang=book.lang, author=book.author,
               date=max(dates) if dates else None, rtl=vertical, nav_title=label,
               nav_css="style/book.css", landmarks=marks,
               nav_intro=_nav_intro(book))  # fmt: skip


def _embed(
    collect: TextCollector, noto: bool, fonts: Sequence[str | Path], lang: str
) -> list[EmbeddedFont]:
    """The subsets for the characters ``collect`` saw (timed in the log: it is the slow part)."""
    import logging
    import time

    from .fonts import embed_fonts

    start = time.perf_counter()
    out = embed_fonts(collect.chars, noto=noto, user_fonts=fonts, lang=lang)
    logging.getLogger(__name__).info(
        "embedded %d font subsets, %d bytes, in %.2f s", len(out),
        sum(len(f.data) for f in out), time.perf_counter() - start,
    )  # fmt: skip
    return out


def _font_face_rules(fonts: Sequence[EmbeddedFont]) -> list[str]:
    from .fonts import font_face_rules

    return list(font_face_rules(fonts))


def _chapter_cache() -> Any:
    from ..cache import DocumentCache

    return DocumentCache()


def build_epub(
    book: Book,
    *,
    allow_network: bool = False,
    vertical: bool = False,
    embed_fonts: bool = False,
    fonts: Sequence[str | Path] = (),
) -> bytes:
    """Lay out ``book`` as EPUB 3 bytes (the options of :func:`write_epub`)."""
    buf = io.BytesIO()
    write_epub(book, buf, allow_network=allow_network, vertical=vertical,
               embed_fonts=embed_fonts, fonts=fonts)  # fmt: skip
    return buf.getvalue()


class EpubWriter:
    """EPUB 3 from one document (``dump``) or a whole book (``digestkit.weekly``)."""

    name = "epub"
    description = "EPUB 3 (nav + NCX), CJK typography, reproducible"
    extensions = (".epub",)
    kind = "binary"
    options_type = EpubOptions

    def write(self, doc: Document, options: EpubOptions | None = None) -> bytes:
        """EPUB bytes for ``doc``."""
        o = options or EpubOptions()
        book = book_from_document(
            doc, base_dir=Path(o.base_dir) if o.base_dir else None, base_url=o.base_url
        )
        return build_epub(book, allow_network=o.allow_network, vertical=o.vertical,
                          embed_fonts=o.embed_fonts, fonts=o.fonts)  # fmt: skip


WRITER = EpubWriter()
