"""digestkit: heterogeneous news digests → one typed document tree → Markdown, Hugo, EPUB, PDF.

The public API is small and stable::

    doc = digestkit.load("fixtures/000_809134cfa5bf5e1a.txt")   # format sniffed from content
    text = digestkit.dumps(doc, "markdown")
    digestkit.dump(doc, "out/digest.md")

Heavy libraries (WeasyPrint, OpenCC, nh3) are imported only when a format needs them, so
``import digestkit`` is cheap.

This module is the facade only: the functions live in :mod:`digestkit.api` (read, write,
convert), :mod:`digestkit.archive` (the weekly job) and :mod:`digestkit.batch` (parallel
loading), and the version in :mod:`digestkit._version`. No module of the package imports this
one; :func:`weekly` and :func:`load_many` stay here as lazy wrappers so that ``import digestkit``
does not import the weekly job or the process pool.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from . import registry as registry  # digestkit.registry after a plain import digestkit
from ._version import __version__
from .api import MAX_SIZE as MAX_SIZE  # digestkit.MAX_SIZE, as before the move
from .api import (
    PathLike,
    build_read_options,
    convert_script,
    detect_script,
    dump,
    dumps,
    fix_punctuation,
    format_for_path,
    formats,
    load,
    loads,
    repair_script,
)
from .errors import (
    DigestkitError,
    MissingDependencyError,
    OutputError,
    ParseError,
    UnknownFormatError,
    UnsafePathError,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from concurrent.futures import Executor
    from typing import Any

    from .ast import Document
    from .options import ReadOptions

__all__ = [
    "DigestkitError",
    "MissingDependencyError",
    "OutputError",
    "ParseError",
    "UnknownFormatError",
    "UnsafePathError",
    "__version__",
    "convert_script",
    "detect_script",
    "dump",
    "dumps",
    "fix_punctuation",
    "format_for_path",
    "formats",
    "load",
    "load_many",
    "loads",
    "repair_script",
    "weekly",
]


def weekly(archive: PathLike, output: PathLike, **options: Any) -> Path:
    """Build the weekly book from an archive folder: EPUB, or by the output's extension PDF
    (``.pdf``), one HTML page (``.html``) or an e-mail message (``.eml``).

    Keywords are shared out by name between three records, and any other name is an error:
    :class:`~digestkit.options.WeeklyOptions` (``week="2026-W09"``, ``title``, ``jobs``,
    ``cache``, ``progress``, ``keep_going``), :class:`~digestkit.options.ReadOptions`
    (``encoding``, ``script``, ``punctuation``, ``spacing``, ``corner_quotes`` …) and the book
    writer's record (:class:`~digestkit.options.EpubOptions`: ``vertical``, ``allow_network``;
    :class:`~digestkit.options.PdfOptions`: ``paper``, ``fonts``, ``timeout`` …;
    :class:`~digestkit.options.HtmlOptions`: ``email``; :class:`~digestkit.options.EmlOptions`:
    ``mail_from``, ``mail_to``). The records
    themselves can be passed as ``weekly_options=``, ``read_options=``, ``write_options=``;
    ``format=`` (``epub``/``pdf``/``html``/``eml``, default from the extension) and ``executor=`` (any
    ``concurrent.futures.Executor``) too. See ``docs/weekly.md``.
    """
    from .archive import weekly as _weekly

    return _weekly(archive, output, **options)


def load_many(
    paths: Sequence[PathLike],
    format: str | None = None,
    *,
    jobs: int | None = None,
    executor: Executor | None = None,
    options: ReadOptions | None = None,
    **kwargs: Any,
) -> list[Document]:
    """Load many files in parallel; the result is the same, in the same order, as a plain loop.

    ``executor``: any ``concurrent.futures.Executor`` (a process pool, a Dask
    ``Client.get_executor()``, a Ray executor …); else a process pool of ``jobs`` workers
    (default: CPU count; ``jobs=1`` loads here). ``options``/keywords as for :func:`load`
    (``script``/``punctuation`` … convert each document where it was loaded).
    """
    from .batch import load_many as _load_many

    opts = build_read_options(options, kwargs)
    return _load_many(paths, format, jobs=jobs, executor=executor, options=opts)
