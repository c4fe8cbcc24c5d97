"""Writer ``pdf``: WeasyPrint with real CJK fonts, a book layout, and no network.

The same XHTML renderer as EPUB (``writers/xhtml.py``), laid out as a book: a title page, a table
of contents with page numbers, chapters with running headers and page numbers, PDF bookmarks
from the headings, working internal and external links, and document metadata (title, author,
language, dates).

Speed: WeasyPrint's layout is single-threaded and is nearly all of the time, so the chapters are
laid out in groups in parallel processes (``pdf_render``), then the title page and contents
with the page numbers now known, and the parts are joined with pikepdf (``pdf_join``), which
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

import math
import os
import re
import shutil
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from ..ast import Document
from ..errors import DigestkitError, MissingDependencyError
from .epub import (
    Book,
    _chapter_xhtml,
    _lang_of,
    _toc_items,
    book_from_document,
    contents_label,
)
from .pdf_join import GOTO, join
from .pdf_render import ASSET_SCHEME, render_all
from .xhtml import Asset, RenderContext

__all__ = ["PAPERS", "WRITER", "PdfWriter", "build_pdf", "check_fonts"]

PAPERS = {"A5": "A5", "A4": "A4", "B5": "B5", "letter": "letter"}
DEFAULT_TIMEOUT = 900
PAGE_MARGINS = "18mm 15mm 20mm 15mm"  # pdf_join centres the page numbers in the bottom one
#: Chapter HTML per layout group, at most (about 65 A5 pages of digest text). Smaller groups
#: share the work out more evenly and need less memory; each costs a font subset of its own.
GROUP_CHARS = 50_000
NUMBER_MARK = "pn-"  # id prefix of the contents' page-number places
#: Up to this many chapters (a month of dailies) the printed contents list every news item;
#: a longer book lists its chapters only (100 digests would need ~100 pages of contents, and
#: the largest single layout). The PDF outline always has every heading.
CONTENTS_DETAIL_MAX = 31

_FAMILIES = {
    "zh-Hans": ("Noto Serif CJK SC", "Noto Sans CJK SC"),
    "zh-Hant": ("Noto Serif CJK TC", "Noto Sans CJK TC"),
    "zh-Hant-HK": ("Noto Serif CJK HK", "Noto Sans CJK HK"),
}


def _family_key(lang: str) -> str:
    if lang.lower().startswith("zh-hant-hk") or lang.lower() == "zh-hk":
        return "zh-Hant-HK"
    if lang.lower().startswith(("zh-hant", "zh-tw")):
        return "zh-Hant"
    return "zh-Hans"


def check_fonts(langs: Sequence[str], extra_fonts: Sequence[Path] = ()) -> None:
    """Fail early, naming the font and the package, when a needed CJK face is missing."""
    if extra_fonts:
        return
    fc = shutil.which("fc-list")
    if fc is None:
        raise MissingDependencyError("fontconfig's fc-list is missing: apt-get install fontconfig")
    installed = subprocess.run(
        [fc, ":", "family"], capture_output=True, text=True, timeout=60
    ).stdout
    for lang in sorted({_family_key(x) for x in langs}):
        serif, _ = _FAMILIES[lang]
        if serif not in installed:
            raise MissingDependencyError(
                f"no CJK font for {lang}: {serif!r} is not installed "
                "(apt-get install fonts-noto-cjk), or pass your own font files with --font"
            )


def _font_faces(fonts: Sequence[Path]) -> str:
    rules = []
    for n in range(len(fonts)):
        rules.append(
            f'@font-face {{ font-family: "digestkit-user-{n}"; src: url("{ASSET_SCHEME}font-{n}"); }}'
        )
    return "\n".join(rules)


def stylesheet(book: Book, paper: str, fonts: Sequence[Path], part: str = "body") -> str:
    """Print CSS: page boxes, CJK fonts by ``:lang()``, book typography.

    ``part`` is ``"front"`` (title page and contents: no running header, no page number) or
    ``"body"`` (chapters: the chapter title as running header). Page numbers are not laid out
    by WeasyPrint: chapters are laid out in separate documents, so the numbers are stamped on
    when the parts are joined (``pdf_join``). Margin boxes never change the page area, so the
    text is laid out exactly as in one document.
    """
    user = ", ".join(f'"digestkit-user-{n}"' for n in range(len(fonts)))
    user = user + ", " if user else ""
    size = PAPERS.get(paper, "A5")
    if part == "front":
        page = f"@page {{ size: {size}; margin: {PAGE_MARGINS}; }}"
    else:
        page = (
            f"@page {{ size: {size}; margin: {PAGE_MARGINS};"
            " @top-center { content: string(chapter); font-size: 8pt; color: #666; } }"
        )
    rules = [
        _font_faces(fonts),
        page,
        f'html {{ font-family: {user}"Noto Serif", "Noto Serif CJK SC", serif; font-size: 10.5pt; line-height: 1.7; }}',
        "body { text-align: justify; line-break: strict; word-break: normal; overflow-wrap: break-word; }",
        "h1, h2, h3, h4 { line-height: 1.35; text-align: left; break-after: avoid; }",
        "h1 { string-set: chapter content(); break-before: page; font-size: 18pt; bookmark-level: 1; }",
        "h2 { font-size: 14pt; bookmark-level: 2; } h3 { font-size: 12pt; bookmark-level: 3; }",
        "h4, h5, h6 { bookmark-level: none; }",
        ".footnote { float: footnote; font-size: 8pt; line-height: 1.4; text-align: left; }",
        "::footnote-call { content: counter(footnote); font-size: 0.7em; vertical-align: super;"
        " line-height: 0; }",
        "::footnote-marker { content: counter(footnote) '. '; }",
        ".admonition { border-left: 3pt solid #888; background: #f4f4f4; padding: 0.2em 0.8em;"
        " margin: 0.8em 0; break-inside: avoid; }",
        ".admonition-title { font-weight: bold; margin: 0.3em 0; }",
        ".admonition-warning, .admonition-danger, .admonition-caution { border-color: #c60; }",
        "figure { margin: 0.8em 0; text-align: center; } figcaption { font-size: 0.85em; color: #555; }",
        ".titlepage { text-align: center; padding-top: 35%; }",
        ".titlepage h1 { break-before: auto; string-set: none; bookmark-level: none; font-size: 24pt; }",
        ".toc { break-before: page; } .toc h1 { bookmark-level: none; string-set: none; }",
        ".toc ol { list-style: none; padding: 0; } .toc li { margin: 0.25em 0; }",
        ".toc ol ol { padding-left: 1.5em; font-size: 0.92em; }",
        ".toc a { color: inherit; text-decoration: none; }",
        # The page number's place: at the right margin, on the entry's last line. It is laid
        # out hidden and the number is stamped in when known (build_pdf), so the contents are
        # laid out once, alongside the chapters. No dot leaders: WeasyPrint's leader() made a
        # 2,500-entry contents take 28 s instead of 8 s.
        ".toc .e { position: relative; padding-right: 2.6em; }",
        ".toc .pn { position: absolute; right: 0; bottom: 0; visibility: hidden; }",
        "p { margin: 0.45em 0; orphans: 2; widows: 2; }",
        "a { color: #1a4d8f; }",
        "blockquote { margin: 0.6em 1.2em; color: #444; }",
        "pre { white-space: pre-wrap; font-size: 8.5pt; background: #f5f5f5; padding: 0.5em; }",
        'code { font-family: "Noto Sans Mono CJK SC", monospace; font-size: 0.9em; }',
        "table { border-collapse: collapse; margin: 0.6em 0; } th, td { border: 0.5pt solid #999; padding: 0.15em 0.4em; }",
        ".caption, .byline, .dateline { font-size: 0.85em; color: #555; }",
        ".caption { text-align: center; } img { max-width: 100%; }",
    ]
    for lang, (serif, sans) in _FAMILIES.items():
        rules.append(f':lang({lang}) {{ font-family: {user}"Noto Serif", "{serif}", serif; }}')
        rules.append(
            f':lang({lang}) h1, :lang({lang}) h2, :lang({lang}) h3 {{ font-family: {user}"Noto Sans", "{sans}", sans-serif; }}'
        )
    return "\n".join(rules)


_HREF = re.compile(r'href="#([^"]*)"')


def _chapter_html(n: int, body: str) -> str:
    """Ids unique across the whole PDF (``c<n>-`` prefix), internal links made joinable.

    Chapters are laid out in separate documents, so an internal link cannot be resolved by
    WeasyPrint; it is written as a ``digestkit-goto:`` URI and turned into a real PDF
    destination when the parts are joined (``pdf_join._fix_links``).
    """
    body = re.sub(r'id="([^"]+)"', lambda m: f'id="c{n}-{m.group(1)}"', body)
    return _HREF.sub(lambda m: f'href="{GOTO}c{n}-{m.group(1)}"', body)


@dataclass
class _Parts:
    """The book as HTML pieces: head, chapters and what the contents page needs."""

    lang: str
    head_front: str
    head_body: str
    chapters: list[str]
    toc: list[tuple[int, str, list[tuple[str, str]]]]  # chapter n, title, [(title, anchor)]
    assets: dict[str, Asset]


def _parts(book: Book, paper: str, fonts: Sequence[Path], allow_network: bool) -> _Parts:
    assets: dict[str, Asset] = {}
    chapters: list[str] = []
    toc: list[tuple[int, str, list[tuple[str, str]]]] = []
    for n, ch in enumerate(book.chapters, 1):
        ctx = RenderContext(
            base_dir=ch.base_dir,
            allow_network=allow_network,
            image_prefix=f"{ASSET_SCHEME}c{n:03d}-",
            footnotes="inline",  # notes stay in place: WeasyPrint floats them to the page foot
        )
        doc = ch.document()
        body, entries, shift = _chapter_xhtml(ch, ctx, doc)
        lang = ch.lang or _lang_of(doc, book.lang)
        chapters.append(f'<article lang="{lang}">{_chapter_html(n, body)}</article>')
        title = ch.title or doc.meta.title or f"({n})"
        items = [(e.title, f"c{n}-{e.anchor}") for e in _toc_items(doc, entries, shift)]
        toc.append((n, title, items))
        for asset in ctx.assets.values():
            assets[asset.name.removeprefix(ASSET_SCHEME)] = asset
    for k, path in enumerate(fonts):
        assets[f"font-{k}"] = Asset(Path(path), f"font-{k}")
    dates = [c.date for c in book.chapters if c.date]
    meta = [f'<meta name="author" content="{escape(book.author or "digestkit")}"/>',
            '<meta name="generator" content="digestkit"/>']  # fmt: skip
    if dates:
        meta.append(f'<meta name="dcterms.created" content="{min(dates).isoformat()}"/>')
        meta.append(f'<meta name="dcterms.modified" content="{max(dates).isoformat()}"/>')

    def head(part: str) -> str:
        return (
            f'<!DOCTYPE html><html lang="{book.lang}"><head><meta charset="utf-8"/>'
            f"<title>{escape(book.title)}</title>{''.join(meta)}"
            f"<style>{stylesheet(book, paper, fonts, part)}</style></head><body>"
        )

    return _Parts(book.lang, head("front"), head("body"), chapters, toc, assets)


def _front_html(book: Book, parts: _Parts) -> str:
    """Title page and contents; each entry has a hidden ``pn-<anchor>`` box for its number.

    The news items of each chapter are listed too, up to ``CONTENTS_DETAIL_MAX`` chapters.
    """
    label = contents_label(book.lang)
    out = [
        parts.head_front,
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

    detailed = len(parts.toc) <= CONTENTS_DETAIL_MAX
    for n, title, items in parts.toc:
        sub = "".join(f"<li>{link(t, a)}</li>" for t, a in items) if detailed else ""
        out.append(
            f"<li>{link(title, f'c{n}-chapter-title')}{f'<ol>{sub}</ol>' if sub else ''}</li>"
        )
    out.append("</ol></nav></body></html>")
    return "".join(out)


def _groups(chapters: Sequence[str], jobs: int) -> list[list[str]]:
    """Consecutive chapters in groups of about equal size: at least one per worker, and none
    much above ``GROUP_CHARS`` (a layout's memory grows with its length)."""
    if not chapters:
        return []
    total = sum(len(c) for c in chapters)
    count = max(jobs, math.ceil(total / GROUP_CHARS))
    count = max(1, min(len(chapters), count))
    groups: list[list[str]] = [[] for _ in range(count)]
    done = 0
    for chapter in chapters:
        # the group this chapter's middle falls in, never going back
        k = min(count - 1, int((done + len(chapter) / 2) * count / max(total, 1)))
        groups[k].append(chapter)
        done += len(chapter)
    return [g for g in groups if g]


def _probe_html(book: Book, paper: str, fonts: Sequence[Path]) -> str:
    """The ten digits in the page-number font (the page's font for the book's ``lang``, at
    the number's size), for ``pdf_join`` to stamp page numbers with."""
    return (
        f'<!DOCTYPE html><html lang="{book.lang}"><head><meta charset="utf-8"/>'
        f"<style>{stylesheet(book, paper, fonts, 'front')}</style></head>"
        '<body><p style="font-size: 9pt">0123456789</p></body></html>'
    )


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
    then ``pdf_join`` joins the parts, stamps page numbers and restores links and the outline
    across them. The result is the book one WeasyPrint document would give.
    """
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        raise MissingDependencyError(
            "PDF output needs WeasyPrint and Pango: pip install weasyprint; apt-get install libpango-1.0-0 libpangoft2-1.0-0"
        ) from exc
    if paper not in PAPERS:
        raise DigestkitError(f"unknown paper {paper!r} (choose from: {', '.join(PAPERS)})")
    font_paths = [Path(f) for f in fonts]
    for f in font_paths:
        if not f.is_file():
            raise MissingDependencyError(f"font file not found: {f}")
    check_fonts(
        [book.lang, *(c.lang or _lang_of(c.document(), book.lang) for c in book.chapters)],
        font_paths,
    )
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    parts = _parts(book, paper, font_paths, allow_network)
    htmls = [
        parts.head_body + "".join(g) + "</body></html>" for g in _groups(parts.chapters, workers)
    ]
    deadline = time.time() + timeout
    # The title page and contents are laid out alongside the chapters: their length does not
    # depend on the page numbers, which are stamped into the places they reserve.
    front, probe, *groups = render_all(
        [_front_html(book, parts), _probe_html(book, paper, font_paths), *htmls],
        parts.assets,
        jobs=workers,
        deadline=deadline,
        limit=timeout,
        marks=[NUMBER_MARK],
    )
    numbers: list[tuple[int, float, float, float, str]] = []
    first = front.pages
    for g in groups:
        for name, (page, _x, _y) in g.anchors.items():
            place = front.marks.get(NUMBER_MARK + name)
            if place is not None:
                index, right, baseline, size = place
                numbers.append((index, right, baseline, size, str(first + page + 1)))
        first += g.pages
    return join(front, groups, lang=book.lang, probe_pdf=probe.pdf, contents=numbers)


class PdfWriter:
    """PDF from one document (``dump``) or a whole book (``digestkit.weekly``)."""

    name = "pdf"
    description = "PDF via WeasyPrint: CJK fonts by lang, TOC, bookmarks, page numbers"
    extensions = (".pdf",)
    kind = "binary"

    def write(self, doc: Document, **options: Any) -> bytes:
        """PDF bytes (options: allow_network, paper, fonts, base_dir, timeout, jobs)."""
        base = options.get("base_dir")
        book = book_from_document(doc, base_dir=Path(base) if base else None)
        return build_pdf(
            book,
            allow_network=bool(options.get("allow_network")),
            paper=str(options.get("paper") or "A5"),
            fonts=tuple(options.get("fonts") or ()),
            timeout=int(options.get("timeout") or DEFAULT_TIMEOUT),
            jobs=options.get("jobs"),
        )


WRITER = PdfWriter()
