"""Writer ``pdf``: WeasyPrint with real CJK fonts, a book layout, and no network.

The same XHTML renderer as EPUB (``writers/xhtml.py``), laid out as a book: a title page, a table
of contents with page numbers (``target-counter``), chapters with running headers and page
numbers, PDF bookmarks from the headings, working internal and external links, and document
metadata (title, author, language, dates).

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

import re
import shutil
import signal
import subprocess
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from ..ast import Document
from ..errors import DigestkitError, MissingDependencyError
from .epub import Book, _chapter_xhtml, _lang_of, _toc_items, book_from_document
from .xhtml import Asset, RenderContext

__all__ = ["PAPERS", "WRITER", "PdfWriter", "build_pdf", "check_fonts"]

PAPERS = {"A5": "A5", "A4": "A4", "B5": "B5", "letter": "letter"}
ASSET_SCHEME = "digestkit-asset:"
DEFAULT_TIMEOUT = 900

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


def stylesheet(book: Book, paper: str, fonts: Sequence[Path]) -> str:
    """Print CSS: page boxes, running header, page numbers, CJK fonts by ``:lang()``."""
    user = ", ".join(f'"digestkit-user-{n}"' for n in range(len(fonts)))
    user = user + ", " if user else ""
    rules = [
        _font_faces(fonts),
        f"@page {{ size: {PAPERS.get(paper, 'A5')}; margin: 18mm 15mm 20mm 15mm;"
        " @top-center { content: string(chapter); font-size: 8pt; color: #666; }"
        " @bottom-center { content: counter(page); font-size: 9pt; } }",
        "@page :first { @top-center { content: none; } @bottom-center { content: none; } }",
        "@page front { @top-center { content: none; } @bottom-center { content: none; } }",
        f'html {{ font-family: {user}"Noto Serif", "Noto Serif CJK SC", serif; font-size: 10.5pt; line-height: 1.7; }}',
        "body { text-align: justify; line-break: strict; word-break: normal; overflow-wrap: break-word; }",
        "h1, h2, h3, h4 { line-height: 1.35; text-align: left; break-after: avoid; }",
        "h1 { string-set: chapter content(); break-before: page; font-size: 18pt; bookmark-level: 1; }",
        "h2 { font-size: 14pt; bookmark-level: 2; } h3 { font-size: 12pt; bookmark-level: 3; }",
        "h4, h5, h6 { bookmark-level: none; }",
        ".titlepage { page: front; text-align: center; padding-top: 35%; }",
        ".titlepage h1 { break-before: auto; string-set: none; bookmark-level: none; font-size: 24pt; }",
        ".toc { page: front; break-before: page; } .toc h1 { bookmark-level: none; string-set: none; }",
        ".toc ol { list-style: none; padding: 0; } .toc li { margin: 0.25em 0; }",
        ".toc ol ol { padding-left: 1.5em; font-size: 0.92em; }",
        ".toc a { color: inherit; text-decoration: none; }",
        '.toc a::after { content: leader(".") target-counter(attr(href url), page); }',
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


def _prefix_ids(body: str, n: int) -> str:
    """Ids must be unique across the whole PDF: prefix each chapter's with ``c<n>-``."""
    return re.sub(r'id="([^"]+)"', lambda m: f'id="c{n}-{m.group(1)}"', body)


def _document_html(
    book: Book, paper: str, fonts: Sequence[Path], allow_network: bool
) -> tuple[str, dict[str, Asset]]:
    assets: dict[str, Asset] = {}
    parts = [
        '<section class="titlepage">',
        f"<h1>{escape(book.title)}</h1>",
        f'<p class="dateline">{escape(book.subtitle or "")}</p>' if book.subtitle else "",
        f'<p class="dateline">{book.article_count()} 篇 · {len(book.chapters)} 期</p>',
        "</section>",
    ]
    label = (
        "目錄"
        if book.lang.startswith("zh-Hant")
        else "目录"
        if book.lang.startswith("zh")
        else "Contents"
    )
    toc: list[str] = [f'<nav class="toc"><h1>{label}</h1><ol>']
    chapters: list[str] = []
    for n, ch in enumerate(book.chapters, 1):
        ctx = RenderContext(
            base_dir=ch.base_dir,
            allow_network=allow_network,
            image_prefix=f"{ASSET_SCHEME}c{n:03d}-",
        )
        doc = ch.document()
        body, entries, shift = _chapter_xhtml(ch, ctx, doc)
        # ids must be unique across the whole document: prefix them per chapter
        body = _prefix_ids(body, n)
        lang = ch.lang or _lang_of(doc, book.lang)
        chapters.append(f'<article lang="{lang}">{body}</article>')
        title = escape(ch.title or doc.meta.title or f"({n})")
        items = "".join(f'<li><a href="#c{n}-{e.anchor}">{escape(e.title)}</a></li>'
                        for e in _toc_items(doc, entries, shift))  # fmt: skip
        toc.append(
            f'<li><a href="#c{n}-chapter-title">{title}</a>{f"<ol>{items}</ol>" if items else ""}</li>'
        )
        for asset in ctx.assets.values():
            assets[asset.name.removeprefix(ASSET_SCHEME)] = asset
    toc.append("</ol></nav>")
    for k, path in enumerate(fonts):
        assets[f"font-{k}"] = Asset(Path(path), f"font-{k}")
    dates = [c.date for c in book.chapters if c.date]
    meta = [f'<meta name="author" content="{escape(book.author or "digestkit")}"/>',
            '<meta name="generator" content="digestkit"/>']  # fmt: skip
    if dates:
        meta.append(f'<meta name="dcterms.created" content="{min(dates).isoformat()}"/>')
        meta.append(f'<meta name="dcterms.modified" content="{max(dates).isoformat()}"/>')
    html = (
        f'<!DOCTYPE html><html lang="{book.lang}"><head><meta charset="utf-8"/>'
        f"<title>{escape(book.title)}</title>{''.join(meta)}"
        f"<style>{stylesheet(book, paper, fonts)}</style></head><body>"
        + "".join(parts)
        + "".join(toc)
        + "".join(chapters)
        + "</body></html>"
    )
    return html, assets


class _Fetcher:
    """WeasyPrint URL fetcher: data: URLs and collected assets, nothing else.

    Remote images were already fetched by the renderer when the user allowed it (and turned into
    links when not), so WeasyPrint itself never touches the network or the file system.
    """

    def __init__(self, assets: dict[str, Asset]) -> None:
        self.assets = assets
        self.refused: list[str] = []

    def __call__(self, url: str, *args: Any, **kwargs: Any) -> Any:
        from weasyprint.urls import default_url_fetcher

        if url.startswith("data:"):
            return default_url_fetcher(url, *args, **kwargs)
        if url.startswith(ASSET_SCHEME):
            asset = self.assets.get(url.removeprefix(ASSET_SCHEME))
            if asset is not None:
                return {"string": asset.read(), "redirected_url": url}
        self.refused.append(url)
        raise ValueError(f"digestkit does not fetch {url!r}")


class _Expired(BaseException):
    """Raised by the watchdog. Not an ``Exception``, so WeasyPrint's own ``except Exception``
    blocks (around fonts, images, URL fetching) cannot swallow it."""


@contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    """Stop a render that runs longer than ``seconds``.

    A watchdog thread trips the main thread's SIGALRM handler with ``_thread.interrupt_main``
    (which works even where the signal itself is blocked, e.g. by a Dask cluster) and keeps
    tripping it every 0.25 s until the render stops: an interrupt that lands inside some
    library's bare ``except:`` is swallowed, the next one is not.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    import _thread

    done = threading.Event()

    def expire(*_: object) -> None:
        if not done.is_set():
            raise _Expired

    def watchdog() -> None:
        if done.wait(seconds):
            return
        while not done.is_set():
            _thread.interrupt_main(signal.SIGALRM)
            done.wait(0.25)

    old = signal.signal(signal.SIGALRM, expire)
    thread = threading.Thread(target=watchdog, name="digestkit-pdf-watchdog", daemon=True)
    thread.start()
    try:
        yield
    except _Expired:
        raise DigestkitError(
            f"PDF rendering took longer than {seconds} s; stopped (nothing written)"
        ) from None
    finally:
        done.set()
        thread.join()
        signal.signal(signal.SIGALRM, old)


def build_pdf(
    book: Book,
    *,
    allow_network: bool = False,
    paper: str = "A5",
    fonts: Sequence[str | Path] = (),
    timeout: int = DEFAULT_TIMEOUT,
) -> bytes:
    """Lay out ``book`` as PDF bytes."""
    try:
        import weasyprint
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
    html, assets = _document_html(book, paper, font_paths, allow_network)
    fetcher = _Fetcher(assets)
    with _time_limit(timeout):
        doc = weasyprint.HTML(string=html, url_fetcher=fetcher, base_url="about:blank")
        pdf = doc.write_pdf()
    if pdf is None:  # pragma: no cover - write_pdf returns bytes when no target is given
        raise DigestkitError("WeasyPrint produced no PDF")
    return bytes(pdf)


class PdfWriter:
    """PDF from one document (``dump``) or a whole book (``digestkit.weekly``)."""

    name = "pdf"
    description = "PDF via WeasyPrint: CJK fonts by lang, TOC, bookmarks, page numbers"
    extensions = (".pdf",)
    kind = "binary"

    def write(self, doc: Document, **options: Any) -> bytes:
        """PDF bytes (options: allow_network, paper, fonts, base_dir, timeout)."""
        base = options.get("base_dir")
        book = book_from_document(doc, base_dir=Path(base) if base else None)
        return build_pdf(
            book,
            allow_network=bool(options.get("allow_network")),
            paper=str(options.get("paper") or "A5"),
            fonts=tuple(options.get("fonts") or ()),
            timeout=int(options.get("timeout") or DEFAULT_TIMEOUT),
        )


WRITER = PdfWriter()
