"""The weekly job: an archive folder of daily digests → one book (EPUB, PDF, HTML page, e-mail).

(The package is ``archive``, not ``weekly``, so that ``digestkit.weekly`` stays the function.)

One module per stage, each answering one question a user asks:

==================  ==========================================================================
module              decides
==================  ==========================================================================
``discover``        which files are read, with which reader, and why every other one is left
                    out (hidden, asset, outside a Hugo site's content, draft, binary …)
``hugo_site``       what plain ``hugo`` would publish (drafts, cascade, draft sections) and the
                    site's config: ``baseURL``, ``params``
``parse``           each file parsed once, in parallel, through the cache and the folder's
                    summary index
``digest``          what the book knows of a document without holding it: date, title, byline,
                    fingerprints (:class:`~digestkit.archive.digest.Summary`)
``feeds``           a feed's entries dated one by one, each day's entries one digest
``select``          the week, the order, the duplicates left out
``assemble``        chapters (titles, languages, render keys), the links between them, the book
``__init__``        :func:`weekly`: options shared out, progress, the book written atomically
==================  ==========================================================================

A file that cannot be read stops the run with its ``file:line:col`` — a weekly book silently
missing a day is worse than no book — unless ``keep_going`` (then it is named in
:attr:`WeeklyResult.skipped`). An empty selection is an error and writes nothing; the book is
written atomically, so a failure half way leaves no partial file and never clobbers an existing
one.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .._records import record as dataclass  # dataclasses' classes, no exec
from ..contexts import nullcontext
from ..options import BookOptions, EmlOptions, HtmlOptions, PdfOptions, ReadOptions, WeeklyOptions
from .assemble import DEFAULT_AUTHOR, book_author, book_links, make_book
from .feeds import feed_items
from .hugo_site import hugo_base_url, hugo_drafts, hugo_site_params
from .parse import collect
from .select import iso_week

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from concurrent.futures import Executor
    from contextlib import AbstractContextManager
    from typing import Any

__all__ = [
    "BOOK_FORMATS",
    "DEFAULT_AUTHOR",
    "WeeklyResult",
    "book_author",
    "book_format",
    "book_links",
    "collect",
    "feed_items",
    "hugo_base_url",
    "hugo_drafts",
    "hugo_site_params",
    "iso_week",
    "make_book",
    "weekly",
    "weekly_result",
]

BOOK_FORMATS = ("epub", "pdf", "html", "eml")


_BY_SUFFIX = {".pdf": "pdf", ".html": "html", ".htm": "html", ".eml": "eml", ".epub": "epub"}


def book_format(output: str | os.PathLike[str]) -> str:
    """The book format an output path asks for by its extension (``epub`` when it says none
    of ``.epub``, ``.pdf``, ``.html``/``.htm``, ``.eml``; an unknown one is returned as is)."""
    suffix = Path(output).suffix.lower()
    if not suffix:
        return "epub"
    return _BY_SUFFIX.get(suffix, suffix.lstrip("."))


@dataclass(frozen=True)
class WeeklyResult:
    """The book written, and the files left out because they could not be read."""

    path: Path
    skipped: tuple[str, ...] = ()


def _progress(enabled: bool) -> AbstractContextManager[Any]:
    if not enabled:
        return nullcontext()
    from rich.progress import Progress

    return Progress(transient=True)


def weekly(
    archive: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    format: str | None = None,
    executor: Executor | None = None,
    weekly_options: WeeklyOptions | None = None,
    read_options: ReadOptions | None = None,
    write_options: BookOptions | None = None,
    **given: Any,
) -> Path:
    """Build the weekly book from ``archive`` into ``output``; see :func:`digestkit.weekly`."""
    return weekly_result(
        archive, output, format=format, executor=executor, weekly_options=weekly_options,
        read_options=read_options, write_options=write_options, **given,
    ).path  # fmt: skip


def weekly_result(
    archive: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    format: str | None = None,
    executor: Executor | None = None,
    weekly_options: WeeklyOptions | None = None,
    read_options: ReadOptions | None = None,
    write_options: BookOptions | None = None,
    **given: Any,
) -> WeeklyResult:
    """:func:`weekly`, also saying which files were skipped (with ``keep_going``)."""
    from .. import registry
    from ..options import OptionError, build, split
    from ..textio import atomic_write

    out = Path(output)
    fmt = format or book_format(out)
    if fmt not in BOOK_FORMATS:
        raise OptionError(f"weekly writes a book ({', '.join(BOOK_FORMATS)}), not {fmt!r}")
    writer = registry.get_writer(fmt)
    book_cls = registry.options_type(writer)
    w_given, r_given, b_given = split(
        given,
        (WeeklyOptions, "the weekly job"),
        (ReadOptions, "reading"),
        (book_cls, f"the {fmt} format"),
    )
    wopts = build(WeeklyOptions, w_given, owner="the weekly job", base=weekly_options)
    ropts = build(ReadOptions, r_given, owner="reading", base=read_options)
    if write_options is not None and not isinstance(write_options, book_cls):
        raise OptionError(f"the {fmt} format takes {book_cls.__name__}, not "
                          f"{type(write_options).__name__}")  # fmt: skip
    bopts = build(book_cls, b_given, owner=f"the {fmt} format", base=write_options)
    show = sys.stdout.isatty() if wopts.progress is None else wopts.progress
    skipped: list[str] | None = [] if wopts.keep_going else None
    with _progress(show) as bar:
        task = bar.add_task("reading digests", total=None) if bar else None
        digests = collect(archive, encoding=ropts.encoding, jobs=wopts.jobs, executor=executor,
                          cache=wopts.cache, skipped=skipped, exclude=(out,),
                          max_size=ropts.max_size,
                          prose_priority=ropts.prose_priority)  # fmt: skip
        if bar:
            bar.update(task, description=f"laying out {len(digests)} digests")
        base_url = bopts.base_url or hugo_base_url(Path(archive))
        book = make_book(digests, week=wopts.week, title=wopts.title, transforms=ropts,
                         root=Path(archive), base_url=base_url,
                         site_params=hugo_site_params(Path(archive)),
                         author=wopts.author)  # fmt: skip
        if bar:
            bar.update(task, description=f"writing {out.name}")
        with atomic_write(out) as fh:
            if isinstance(bopts, PdfOptions):
                from ..writers.pdf import DEFAULT_TIMEOUT, build_pdf

                fh.write(
                    build_pdf(
                        book,
                        allow_network=bopts.allow_network,
                        paper=bopts.paper,
                        fonts=bopts.fonts,
                        jobs=bopts.jobs or wopts.jobs,
                        timeout=bopts.timeout or DEFAULT_TIMEOUT,
                        toc_depth=bopts.toc_depth,
                    )
                )
            elif isinstance(bopts, HtmlOptions):
                from ..writers.html import build_html_utf8

                fh.write(build_html_utf8(book, allow_network=bopts.allow_network,
                                         email=bopts.email, fonts=bopts.fonts))  # fmt: skip
            elif isinstance(bopts, EmlOptions):
                from ..writers.eml import build_eml

                fh.write(build_eml(book, allow_network=bopts.allow_network,
                                   mail_from=bopts.mail_from, mail_to=bopts.mail_to))  # fmt: skip
            else:
                from ..writers.epub import prerender, write_epub

                vertical = bool(getattr(bopts, "vertical", False))
                # chapters not in the chapter cache are rendered on every core first
                prerender(book, allow_network=bopts.allow_network, vertical=vertical,
                          jobs=wopts.jobs)  # fmt: skip
                write_epub(book, fh, allow_network=bopts.allow_network, vertical=vertical,
                           embed_fonts=bool(getattr(bopts, "embed_fonts", False)),
                           fonts=bopts.fonts)  # fmt: skip
    if wopts.cache:  # once per run, after the book is written: no entry goes while in use
        from ..cache import prune

        prune(cap=wopts.cache_max)
    return WeeklyResult(out, tuple(skipped or ()))
