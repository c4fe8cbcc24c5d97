"""digestkit: heterogeneous news digests → one typed document tree → Markdown, Hugo, EPUB, PDF.

The public API is small and stable::

    doc = digestkit.load("fixtures/000_809134cfa5bf5e1a.txt")   # format sniffed from content
    text = digestkit.dumps(doc, "markdown")
    digestkit.dump(doc, "out/digest.md")

Heavy libraries (WeasyPrint, OpenCC, nh3) are imported only when a format needs them, so
``import digestkit`` is cheap.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import registry
from .errors import (
    DigestkitError,
    MissingDependencyError,
    OutputError,
    ParseError,
    UnknownFormatError,
    UnsafePathError,
)

if TYPE_CHECKING:
    from .ast import Document

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

__version__ = "0.1.0"

#: Largest document read in one piece (characters or bytes). Larger input is refused at once with a
#: clear error rather than parsed for minutes; pass ``max_size=`` (``--max-size``) to raise it.
MAX_SIZE = 16 * 1024 * 1024

PathLike = str | os.PathLike[str]


def formats() -> list[registry.FormatInfo]:
    """Every registered format (built-in and plugins): name, read/write support, origin."""
    return registry.formats()


def _check_size(size: int, path: str | None, limit: int | None) -> None:
    limit = MAX_SIZE if limit is None else limit
    if limit and size > limit:
        raise ParseError(
            f"{size / 1e6:.1f} MB is over the {limit / 1e6:.1f} MB limit for one document "
            "(split it, or raise the limit with max_size= / --max-size)",
            path=path,
        )


def loads(
    text: str,
    format: str | None = None,
    *,
    path: str | None = None,
    detect_lang: bool = True,
    max_size: int | None = None,
) -> Document:
    """Parse ``text``. Without ``format`` the content is sniffed (front matter fences, JSON, prose).

    When the source declares no ``lang``, it is detected from the text (``zh-Hans``,
    ``zh-Hant-TW`` …; see :func:`detect_script`) and marked as detected, so writers use it
    for fonts and ``xml:lang`` without adding it to the front matter.

    ``text`` is used as given apart from a leading byte order mark and ``\\r\\n`` line endings,
    which are normalised exactly as :func:`load` does for files.
    """
    _check_size(len(text), path, max_size)
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    name = format or registry.detect_format(text, path)
    reader = registry.get_reader(name)
    try:
        doc = reader.read(text, path=path)
        if detect_lang:
            from .transforms.script import with_detected_lang

            doc = with_detected_lang(doc)
    except RecursionError:
        raise ParseError("input nests too deeply", path=path) from None
    return doc


def load(
    path: PathLike,
    format: str | None = None,
    *,
    encoding: str | None = None,
    detect_lang: bool = True,
    max_size: int | None = None,
) -> Document:
    """Read a file. UTF-8 unless ``encoding`` says otherwise (``"auto"`` tries GB18030/Big5)."""
    from .textio import read_path

    with contextlib.suppress(OSError):  # read_path reports a missing or unreadable file properly
        _check_size(Path(path).stat().st_size, str(path), max_size)
    text = read_path(path, encoding=encoding)
    return loads(text, format, path=str(path), detect_lang=detect_lang, max_size=max_size)


def convert_script(doc: Document, profile: str, *, repair: bool = False) -> Document:
    """Convert Simplified ⇄ Traditional with an OpenCC profile (``s2twp``, ``t2s`` …).

    Converts all readable text and the title, summary, description, tags, categories, author,
    source and per-article metadata; never URLs, code, HTML tags or attributes, keys or dates.
    ``lang`` follows the result (``s2twp`` → ``zh-Hant-TW``). Unknown profiles raise an error
    listing the valid ones. ``repair=True`` first repairs one-to-one conversion damage in
    Traditional text (``庫剋`` → ``庫克``; see :func:`repair_script`).
    """
    from .transforms.script import convert_script as _convert

    return _convert(doc, profile, repair=repair)


def repair_script(doc: Document) -> Document:
    """Repair characters a one-to-one converter picked wrongly in Traditional text (``庫剋`` → ``庫克``).

    Regional variants stay (計畫/計劃, 台/臺, 為/爲); Simplified text is left alone.
    """
    from .transforms.repair import repair_script as _repair

    return _repair(doc)


def fix_punctuation(
    doc: Document, *, spacing: bool = False, corner_quotes: bool = False
) -> Document:
    """Half-width ``, : ; ? ! ( )`` next to Han → full-width; optional CJK–Latin spacing and 「」."""
    from .transforms.punctuation import fix_punctuation as _fix

    return _fix(doc, spacing=spacing, corner_quotes=corner_quotes)


def detect_script(text: str) -> str | None:
    """``zh-Hans``, ``zh-Hant``, ``zh-Hant-TW``, ``zh-Hant-HK``, ``zh`` (unclear) or None (no Han)."""
    from .transforms.script import detect_script as _detect

    return _detect(text)


def format_for_path(path: PathLike) -> str:
    """The writer whose extensions match ``path`` (``.md`` → markdown, ``.epub`` → epub …)."""
    suffix = Path(path).suffix.lower()
    for info in registry.formats():
        if info.can_write and suffix and suffix in registry.get_writer(info.name).extensions:
            return info.name
    raise UnknownFormatError(
        f"cannot tell the output format from {Path(path).name!r}; pass format="
    )


def dumps(doc: Document, format: str = "markdown", **options: Any) -> str:
    """Render ``doc`` as text. Binary formats (epub, pdf) need :func:`dump` with a path."""
    writer = registry.get_writer(format)
    if writer.kind != "text":
        raise UnknownFormatError(
            f"format {format!r} is {writer.kind}, not text: use digestkit.dump(doc, path)"
        )
    try:
        result: str = writer.write(doc, **options)
    except RecursionError:
        raise DigestkitError("the document nests too deeply to write") from None
    return result


def dump(doc: Document, path: PathLike, format: str | None = None, **options: Any) -> Path:
    """Write ``doc`` to ``path`` atomically (no partial file on failure); returns the path written.

    For folder writers (``hugo``) ``path`` is the output folder and nothing is written outside it.
    """
    from .textio import atomic_write

    name = format or format_for_path(path)
    writer = registry.get_writer(name)
    target = Path(path)
    try:
        if writer.kind == "tree":
            result: Path = writer.write(doc, outdir=target, **options)
            return result
        data = writer.write(doc, **options)
    except RecursionError:
        raise DigestkitError("the document nests too deeply to write") from None
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_write(target) as fh:
        fh.write(payload)
    return target


def weekly(archive: PathLike, output: PathLike, **options: Any) -> Path:
    """Build the weekly book (EPUB, or PDF for a ``.pdf`` output) from an archive folder.

    Options: ``week="2026-W09"``, ``title``, ``script`` (OpenCC profile), ``punctuation``,
    ``allow_network``, ``vertical``, ``progress``, ``encoding``. See ``docs/weekly.md``.
    """
    from .archive import weekly as _weekly

    return _weekly(archive, output, **options)


def load_many(
    paths: Sequence[PathLike],
    format: str | None = None,
    *,
    jobs: int | None = None,
    executor: Executor | None = None,
    **options: Any,
) -> list[Document]:
    """Load many files in parallel; the result is the same, in the same order, as a plain loop.

    ``executor``: any ``concurrent.futures.Executor`` (a process pool, a Dask
    ``Client.get_executor()``, a Ray executor …); else a process pool of ``jobs`` workers
    (default: CPU count; ``jobs=1`` loads here). ``options`` go to :func:`load`, plus
    ``script``/``punctuation`` to convert each document where it was loaded.
    """
    from .batch import load_many as _load_many

    return _load_many(paths, format, jobs=jobs, executor=executor, **options)
