"""Writer ``pdf``: WeasyPrint with real CJK fonts, a book layout, and no network.

The same XHTML renderer as EPUB (``writers/xhtml.py``), laid out as a book: a title page, a table
of contents with page numbers (chapters; ``toc_depth=2`` adds their news items), chapters with running headers and page numbers, PDF bookmarks
from the headings, working internal and external links, and document metadata (title, author,
language, dates).

Speed: WeasyPrint's layout is single-threaded and is nearly all of the time, so the chapters are
laid out in groups in parallel processes (``render``), then the title page and contents
with the page numbers now known, and the parts are joined with pikepdf (``join``), which
stamps the page numbers and restores links and the outline across parts. Splitting also bounds
memory: a WeasyPrint layout holds every page of its document.

Fonts are chosen by ``lang``: Simplified text in Noto Serif/Sans CJK **SC**, Traditional in
**TC** (HK in **HK**), never the JP face fontconfig falls back to; Latin in the matching Noto
face. Each run first cuts the CJK faces down to its characters (``faces``: WeasyPrint would
otherwise copy each 20–27 MB collection whole into every layout process); WeasyPrint embeds
and subsets what it draws (fast with HarfBuzz's subsetter, Debian ``libharfbuzz-subset0``). If no CJK face is installed the writer stops with an error naming the
font and the package, instead of printing empty boxes. ``fonts=[...]`` adds your own files.

Safety: a custom URL fetcher serves only ``data:`` URLs, the images the renderer collected from
under each input folder, and the user's font files; everything else — remote URLs (unless
``allow_network``), ``file:`` paths, ``<link rel=attachment>`` — is refused. Rendering has a
time limit.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from ...ast import Document
from ...errors import DigestkitError
from ...options import PdfOptions
from ..book import Book, book_from_document, chapter_lang
from . import constants
from .assemble import TocRow, chapter_part, font_assets, front_html, groups, heads, probe_html
from .constants import DEFAULT_TIMEOUT, NUMBER_MARK, PAPERS
from .engine import engine_version, require_engine
from .faces import cut_faces, with_faces
from .incremental import (
    Group,
    GroupStore,
    chapter_keys,
    chapter_tags,
    cut,
    front_key,
    plan,
    probe_key,
)
from .join import Piece, join
from .render import Rendered, render_all
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
    toc_depth: int = 1,
) -> bytes:
    """Lay out ``book`` as PDF bytes, chapter groups in ``jobs`` processes (default: CPU count).

    Three steps: the chapter groups are laid out in parallel (with a sketch of the contents
    pages, to count them); then the title page and contents with every chapter's page number;
    then ``join`` joins the parts, stamps page numbers and restores links and the outline
    across them. The result is the book one WeasyPrint document would give.

    ``toc_depth``: 1 lists the chapters on the printed contents page, 2 their news items too
    (the outline has every heading either way).

    When the chapters carry cache keys (a weekly book made with the cache on), laid-out groups
    are kept and reused (``incremental``): a re-run lays out only the chapters that are new or
    changed (wherever they stand: an unchanged chapter's pages are taken from any stored
    layout), and the title page and contents when what they show changed.
    """
    engine_version()  # WeasyPrint is there (else the error naming it), not yet imported
    if paper not in PAPERS:
        raise DigestkitError(f"unknown paper {paper!r} (choose from: {', '.join(PAPERS)})")
    from ..fonts import face_file  # a collection's face picked (file.ttc#N, or by lang)

    font_paths = [face_file(f, book.lang) for f in fonts]
    check_fonts([book.lang, *(chapter_lang(c, book.lang) for c in book.chapters)], font_paths)
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    head_front, head_body = heads(book, paper, font_paths)
    keys: list[str | None] = [None] * len(book.chapters)
    store = None
    if any(ch.render_key for ch in book.chapters):
        keys = chapter_keys(book, head_body, allow_network=allow_network, fonts=font_paths)
        store = GroupStore()
    tags = chapter_tags(keys)
    located = store.locate(keys) if store is not None else [None] * len(keys)
    # the chapters found nowhere are rendered now: they are laid out, and the cut needs sizes
    parts = {i: chapter_part(book, i + 1, allow_network, tags[i])
             for i, at in enumerate(located) if at is None}  # fmt: skip
    chars = [len(parts[i].html) if at is None else at.group.chars[at.index]
             for i, at in enumerate(located)]  # fmt: skip
    high = constants.GROUP_CHARS  # read here: tests tune it
    if store is None:  # nothing is kept: groups of about equal size, one per worker at least
        layouts = groups(list(range(len(keys))), chars, high, workers)
    else:
        layouts = plan(cut(keys, chars, high // 2, high), located, chars, high,
                       constants.SMALL_GROUPS, constants.FOLD_SLACK)  # fmt: skip
    for i in (i for run in layouts for i in run if i not in parts):
        parts[i] = chapter_part(book, i + 1, allow_network, tags[i])  # in a group laid out again
    toc: list[TocRow] = [parts[i].toc if i in parts else at.group.toc[at.index]  # type: ignore[union-attr]
                         for i, at in enumerate(located)]  # fmt: skip
    assets = font_assets(font_paths)
    for run in layouts:
        for i in run:
            assets.update(parts[i].assets)
    probe = probe_html(book, paper, font_paths)
    pkey = probe_key(probe, font_paths)
    probe_pdf = store.get_bytes(pkey) if store is not None else None
    deadline = time.time() + timeout
    front_doc = front_html(book, head_front, toc, toc_depth)
    fkey = front_key(front_doc, font_paths)
    front = store.get_front(fkey) if store is not None else None
    bodies = ["".join(parts[i].html for i in run) for run in layouts]
    with tempfile.TemporaryDirectory(prefix="digestkit-faces-") as folder:
        rules = ""
        first_docs = [*([] if front else [front_doc]), *([] if probe_pdf else [probe])]
        if constants.PRESUBSET and (first_docs or bodies):  # read here: tests turn it off
            kept = store.cache if store is not None else None  # the last cuts, reused
            rules, faces = cut_faces([*first_docs, *bodies], book.lang, Path(folder), kept)
            assets.update(faces)
        head = with_faces(head_body, rules)
        if first_docs or bodies:  # imported only to lay out: a removal's re-run needs none
            require_engine()
        # A re-run with little to lay out (the new chapters under half a group: the daily
        # digest) lays out in this process: forking the pool and sending the parts back cost
        # more than running the contents beside ~0.6 s of chapter (measured: ~0.1 s of CPU
        # less, no slower; docs/benchmarks.md).
        reused = any(at is not None for at in located)
        small = reused and sum(map(len, bodies)) < high // 2
        # The title page and contents are laid out alongside the chapters: their length does
        # not depend on the page numbers, which are stamped into the places they reserve.
        rendered = render_all(
            [
                *(with_faces(doc, rules) for doc in first_docs),
                *(head + body + "</body></html>" for body in bodies),
            ],
            assets,
            jobs=1 if small else workers,
            deadline=deadline,
            limit=timeout,
            marks=[NUMBER_MARK] if front is None else [],
        )
    if front is None:
        front = rendered.pop(0)
        if store is not None:
            store.put_front(fkey, front)
    if probe_pdf is None:
        probe_pdf = rendered.pop(0).pdf
        if store is not None:
            store.put_bytes(pkey, probe_pdf)
    # where each chapter's pages are: laid out now, or in a stored group
    where: list[tuple[Rendered, int, int]] = []
    laid_now: dict[int, tuple[Rendered, int, int]] = {}
    for run, part in zip(layouts, rendered, strict=True):
        starts = [part.anchors.get(f"{tags[i]}-chapter-title", (-1, 0, 0))[0] for i in run]
        found = starts[0] == 0 and sorted(starts) == starts
        if not found:  # a chapter's start not found (never seen): the part whole, not kept
            starts = [0] + [part.pages] * (len(run) - 1)
        ends = [*starts[1:], part.pages]
        for i, a, b in zip(run, starts, ends, strict=True):
            laid_now[i] = (part, a, b)
        if store is not None and found:
            members = tuple(keys[i] or "" for i in run)
            reusable = [bool(keys[i]) and not parts[i].assets for i in run]
            if any(reusable):
                rows = tuple(parts[i].toc for i in run)
                kept = Group(members, tuple(chars[i] for i in run), rows, tuple(starts), part)
                store.put(kept, reusable)
    for i, at in enumerate(located):
        if i in laid_now:
            where.append(laid_now[i])
        elif at is not None:
            where.append((at.group.rendered, *at.group.pages(at.index)))
    pieces = _pieces(where)
    logging.getLogger(__name__).info(
        "PDF: %d of %d chapters laid out in %d layouts; pages from %d layouts in %d pieces",
        sum(map(len, layouts)), len(keys), len(layouts), len({id(p.part) for p in pieces}),
        len(pieces),
    )  # fmt: skip
    numbers: list[tuple[int, float, float, float, str]] = []  # page, right, top, bottom, label
    first = front.pages
    for piece in pieces:
        for name, (page, _x, _y) in piece.part.anchors.items():
            place = front.marks.get(NUMBER_MARK + name)
            if place is not None and piece.first <= page < piece.end:
                index, _left, top, right, bottom = place
                numbers.append((index, right, top, bottom, str(first + page - piece.first + 1)))
        first += piece.end - piece.first
    return join(front, pieces, lang=book.lang, probe_pdf=probe_pdf, contents=numbers, tags=tags)


def _pieces(where: Sequence[tuple[Rendered, int, int]]) -> list[Piece]:
    """Each chapter's pages, in book order, as runs of pages of one part (consecutive chapters
    laid out together, or still standing together in a stored group, are one piece)."""
    out: list[Piece] = []
    for part, first, end in where:
        if out and out[-1].part is part and out[-1].end == first:
            out[-1] = Piece(part, out[-1].first, end)
        else:
            out.append(Piece(part, first, end))
    return out


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
            toc_depth=o.toc_depth,
        )


WRITER = PdfWriter()
