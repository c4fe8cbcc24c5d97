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

import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ...ast import Document
from ...errors import DigestkitError
from ...options import PdfOptions
from ..book import Book, book_from_document, chapter_lang
from ..xhtml import Asset
from . import constants
from .assemble import TocRow, chapter_part, font_assets, front_html, groups, heads, probe_html
from .constants import DEFAULT_TIMEOUT, NUMBER_MARK, PAPERS
from .engine import require_engine
from .faces import cut_faces, with_faces
from .incremental import Group, GroupStore, Segment, chapter_keys, plan, probe_key
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
    are kept and reused (``incremental``): a re-run lays out only the chapters that changed, the
    title page and the contents.
    """
    require_engine()
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
    segments = plan(keys, store, constants.GROUP_CHARS // 2)  # read here: tests tune it
    toc, todo, assets = _to_lay_out(book, segments, keys, allow_network, workers)
    assets.update(font_assets(font_paths))
    probe = probe_html(book, paper, font_paths)
    pkey = probe_key(probe, font_paths)
    probe_pdf = store.get_probe(pkey) if store is not None else None
    deadline = time.time() + timeout
    front_doc = front_html(book, head_front, toc, toc_depth)
    bodies = ["".join(t.htmls) for t in todo]
    with tempfile.TemporaryDirectory(prefix="digestkit-faces-") as folder:
        rules = ""
        if constants.PRESUBSET:  # read here: tests turn it off
            rules, faces = cut_faces([front_doc, probe, *bodies], book.lang, Path(folder))
            assets.update(faces)
        head = with_faces(head_body, rules)
        # The title page and contents are laid out alongside the chapters: their length does
        # not depend on the page numbers, which are stamped into the places they reserve.
        front, *rendered = render_all(
            [
                with_faces(front_doc, rules),
                *([] if probe_pdf else [with_faces(probe, rules)]),
                *(head + body + "</body></html>" for body in bodies),
            ],
            assets,
            jobs=workers,
            deadline=deadline,
            limit=timeout,
            marks=[NUMBER_MARK],
        )
    if probe_pdf is None:
        probe_pdf = rendered.pop(0).pdf
        if store is not None:
            store.put_probe(pkey, probe_pdf)
    # the parts in chapter order: groups laid out now and groups reused
    at = {t.first: part for t, part in zip(todo, rendered, strict=True)}
    at.update((s.first, s.group.rendered) for s in segments if s.group is not None)
    in_order = [at[i] for i in sorted(at)]
    if store is not None:
        for t, part in zip(todo, rendered, strict=True):
            members = keys[t.first : t.first + len(t.htmls)]
            if t.storable and all(members):
                chars = sum(len(h) for h in t.htmls)
                rows = tuple(toc[t.first : t.first + len(t.htmls)])
                store.put(Group(tuple(k for k in members if k), chars, rows, part))
    numbers: list[tuple[int, float, float, float, str]] = []  # page, right, top, bottom, label
    first = front.pages
    for g in in_order:
        for name, (page, _x, _y) in g.anchors.items():
            place = front.marks.get(NUMBER_MARK + name)
            if place is not None:
                index, _left, top, right, bottom = place
                numbers.append((index, right, top, bottom, str(first + page + 1)))
        first += g.pages
    return join(front, in_order, lang=book.lang, probe_pdf=probe_pdf, contents=numbers)


@dataclass(frozen=True)
class _Todo:
    """A chapter group to lay out now: its first chapter (0-based), its chapters' HTML, and
    whether it may be kept (no images)."""

    first: int
    htmls: list[str]
    storable: bool


def _to_lay_out(
    book: Book,
    segments: Sequence[Segment],
    keys: Sequence[str | None],
    allow_network: bool,
    workers: int,
) -> tuple[list[TocRow], list[_Todo], dict[str, Asset]]:
    """Every chapter's contents entry, the groups to lay out now, and their images.

    Only the chapters of segments not reused are loaded and rendered. On a re-run (some group
    reused), new groups are split by size only, not into one per worker: many small groups
    would each carry their own font subsets.
    """
    reused = any(seg.group is not None for seg in segments)
    toc: list[TocRow] = []
    todo: list[_Todo] = []
    assets: dict[str, Asset] = {}
    for seg in segments:
        if seg.group is not None:
            toc.extend(seg.group.toc)
            continue
        run = [
            chapter_part(book, i + 1, allow_network)
            for i in range(seg.first, seg.first + seg.count)
        ]
        toc.extend(c.toc for c in run)
        first = seg.first
        for htmls in groups([c.html for c in run], 1 if reused else workers):
            members = run[first - seg.first : first - seg.first + len(htmls)]
            for c in members:
                assets.update(c.assets)
            todo.append(_Todo(first, htmls, not any(c.assets for c in members)))
            first += len(htmls)
    return toc, todo, assets


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
