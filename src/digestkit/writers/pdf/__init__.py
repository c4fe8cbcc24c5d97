"""Writer ``pdf``: WeasyPrint with real CJK fonts, a book layout, and no network.

The same XHTML renderer as EPUB (``writers/xhtml.py``), laid out as a book: a title page, a table
of contents with page numbers, chapters with running headers and page numbers, PDF bookmarks
from the headings, working internal and external links, and document metadata (title, author,
language, dates).

Speed: WeasyPrint's layout is single-threaded and is nearly all of the time, so the chapters are
laid out in groups in parallel processes (``render``), then the title page and contents
with the page numbers now known, and the parts are joined with pikepdf (``join``), which
stamps the page numbers and restores links and the outline across parts. Splitting also bounds
memory: a WeasyPrint layout holds every page of its document.

Fonts are chosen by ``lang``: Simplified text in Noto Serif/Sans CJK **SC**, Traditional in
**TC** (HK in **HK**), never the JP face fontconfig falls back to; Latin in the matching Noto
face. WeasyPrint embeds and subsets them (fast with HarfBuzz's subsetter, Debian
``libharfbuzz-subset0``). If no CJK face is installed the writer stops with an error naming the
font and the package, instead of printing empty boxes. ``fonts=[...]`` adds your own files.

Safety: a custom URL fetcher serves only ``data:`` URLs, the images the renderer collected from
under each input folder, and the user's font files; everything else — remote URLs (unless
``allow_network``), ``file:`` paths, ``<link rel=attachment>`` — is refused. Rendering has a
time limit.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path

from ...ast import Document
from ...errors import DigestkitError, MissingDependencyError
from ...options import PdfOptions
from ..book import Book, book_from_document, chapter_lang
from .assemble import front_html, groups, parts, probe_html
from .constants import DEFAULT_TIMEOUT, NUMBER_MARK, PAPERS
from .engine import require_engine
from .join import join
from .render import render_all
from .style import check_fonts

__all__ = ["DEFAULT_TIMEOUT", "PAPERS", "WRITER", "PdfWriter", "build_pdf", "check_fonts"]


def build_pdf(
    book: Book,
    *,
    allow_network: bool = False,
    paper: str = "A5",
    fonts: Sequence[str | Path] = (),
    timeout: int = DEFAULT_TIMEOUT,
    jobs: int | None = None,
) -> bytes:
    """Lay out ``book`` as PDF bytes, chapter groups in ``jobs`` processes (default: CPU count).

    Three steps: the chapter groups are laid out in parallel (with a sketch of the contents
    pages, to count them); then the title page and contents with every chapter's page number;
    then ``join`` joins the parts, stamps page numbers and restores links and the outline
    across them. The result is the book one WeasyPrint document would give.
    """
    require_engine()
    if paper not in PAPERS:
        raise DigestkitError(f"unknown paper {paper!r} (choose from: {', '.join(PAPERS)})")
    font_paths = [Path(f) for f in fonts]
    for f in font_paths:
        if not f.is_file():
            raise MissingDependencyError(f"font file not found: {f}")
    check_fonts([book.lang, *(chapter_lang(c, book.lang) for c in book.chapters)], font_paths)
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    laid = parts(book, paper, font_paths, allow_network)
    htmls = [laid.head_body + "".join(g) + "</body></html>" for g in groups(laid.chapters, workers)]
    deadline = time.time() + timeout
    # The title page and contents are laid out alongside the chapters: their length does not
    # depend on the page numbers, which are stamped into the places they reserve.
    front, probe, *rendered = render_all(
        [front_html(book, laid), probe_html(book, paper, font_paths), *htmls],
        laid.assets,
        jobs=workers,
        deadline=deadline,
        limit=timeout,
        marks=[NUMBER_MARK],
    )
    numbers: list[tuple[int, float, float, float, str]] = []  # page, right, top, bottom, label
    first = front.pages
    for g in rendered:
        for name, (page, _x, _y) in g.anchors.items():
            place = front.marks.get(NUMBER_MARK + name)
            if place is not None:
                index, _left, top, right, bottom = place
                numbers.append((index, right, top, bottom, str(first + page + 1)))
        first += g.pages
    return join(front, rendered, lang=book.lang, probe_pdf=probe.pdf, contents=numbers)


class PdfWriter:
    """PDF from one document (``dump``) or a whole book (``digestkit.weekly``)."""

    name = "pdf"
    description = "PDF via WeasyPrint: CJK fonts by lang, TOC, bookmarks, page numbers"
    extensions = (".pdf",)
    kind = "binary"
    options_type = PdfOptions

    def write(self, doc: Document, options: PdfOptions | None = None) -> bytes:
        """PDF bytes for ``doc``."""
        o = options or PdfOptions()
        book = book_from_document(
            doc, base_dir=Path(o.base_dir) if o.base_dir else None, base_url=o.base_url
        )
        return build_pdf(
            book,
            allow_network=o.allow_network,
            paper=o.paper,
            fonts=o.fonts,
            timeout=o.timeout or DEFAULT_TIMEOUT,
            jobs=o.jobs,
        )


WRITER = PdfWriter()
