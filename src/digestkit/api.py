"""The API core: read (``load``, ``loads``), write (``dump``, ``dumps``), convert scripts.

Lives below the package facade so that the modules which need ``load``/``loads`` (the weekly
job, the batch loader) import it from here, never from :mod:`digestkit` itself, which imports
them back: ``digestkit/__init__.py`` only re-exports these names. See :mod:`digestkit` for the
overview.

Heavy libraries (WeasyPrint, OpenCC, nh3) are imported only when a format needs them.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from . import registry
from .contexts import suppress
from .errors import DigestkitError, ParseError, UnknownFormatError

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from typing import Any

    from .ast import Document
    from .options import ReadOptions, WriterOptions

__all__ = [
    "MAX_SIZE",
    "PathLike",
    "build_read_options",
    "convert_script",
    "detect_script",
    "dump",
    "dumps",
    "fix_punctuation",
    "format_for_path",
    "formats",
    "load",
    "loads",
    "repair_script",
]

#: Largest document read in one piece (characters or bytes). Larger input is refused at once with a
#: clear error rather than parsed for minutes; pass ``max_size=`` (``--max-size``) to raise it.
MAX_SIZE = 16 * 1024 * 1024  # textio.MAX_SIZE, the default of check_size (not imported: start-up)

PathLike = str | os.PathLike[str]


def formats() -> list[registry.FormatInfo]:
    """Every registered format (built-in and plugins): name, read/write support, origin."""
    return registry.formats()


def _check_size(size: int, path: str | None, limit: int | None) -> None:
    from .textio import check_size

    check_size(size, path, limit)


def build_read_options(options: ReadOptions | None, given: dict[str, Any]) -> ReadOptions:
    """The reading options: ``options`` (checked to be a ``ReadOptions``) with the keywords
    ``given`` over it, each checked by name."""
    from .options import ReadOptions as _ReadOptions
    from .options import build

    if options is not None and not isinstance(options, _ReadOptions):
        raise DigestkitError(f"options must be ReadOptions, not {type(options).__name__}")
    return build(_ReadOptions, given, owner="reading", base=options)


def _finish(doc: Document, opts: ReadOptions) -> Document:
    """Detected ``lang`` and the transforms ``opts`` asks for."""
    if opts.detect_lang:
        from .transforms.detect import with_detected_lang

        doc = with_detected_lang(doc)
    if opts.transforms:
        from .transforms.pipeline import apply

        doc = apply(doc, opts)
    return doc


def _read(
    reader: registry.Reader, data: str | bytes, path: str | None, opts: ReadOptions
) -> Document:
    """``reader.read``; a reader that declares ``takes_options`` also gets the reading options
    (the prose reader's operating point; every other reader reads the same whatever they are)."""
    try:
        if getattr(reader, "takes_options", False):
            return reader.read(data, path=path, options=opts)  # type: ignore[call-arg]
        return reader.read(data, path=path)
    except RecursionError:
        raise ParseError("input nests too deeply", path=path) from None


def loads(
    text: str | bytes,
    format: str | None = None,
    *,
    path: str | None = None,
    options: ReadOptions | None = None,
    **kwargs: Any,
) -> Document:
    """Parse ``text`` (or bytes). Without ``format`` the content is sniffed.

    ``options`` (or the same names as keywords: ``detect_lang``, ``max_size``, ``script``,
    ``punctuation`` …) say how; see :class:`digestkit.options.ReadOptions`. When the source
    declares no ``lang``, it is detected from the text (``zh-Hans``, ``zh-Hant-TW`` …) and marked
    as detected, so writers use it for fonts and ``xml:lang`` without adding it to front matter.

    Text is used as given apart from a leading byte order mark and ``\\r\\n`` line endings,
    which are normalised exactly as :func:`load` does for files. Bytes go to a bytes reader
    (EPUB, HTML …) when one claims them, else are decoded as :func:`load` decodes files.
    """
    opts = build_read_options(options, kwargs)
    _check_size(len(text), path, opts.max_size)
    if isinstance(text, bytes):
        return _from_bytes(text, format, path, opts)
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    name = format or registry.detect_format(text, path)
    reader = registry.get_reader(name)
    if registry.reader_kind(reader) == "bytes":
        return _finish(_read(reader, text.encode("utf-8"), path, opts), opts)
    return _finish(_read(reader, text, path, opts), opts)


def _from_bytes(data: bytes, format: str | None, path: str | None, opts: ReadOptions) -> Document:
    from .textio import decode

    name = format or registry.detect_bytes_format(data, path)
    if name is not None:
        reader = registry.get_reader(name)
        if registry.reader_kind(reader) == "bytes":
            return _finish(_read(reader, data, path, opts), opts)
    text = decode(data, path=path, encoding=opts.encoding)
    name = name or registry.detect_format(text, path)
    return _finish(_read(registry.get_reader(name), text, path, opts), opts)


def load(
    path: PathLike,
    format: str | None = None,
    *,
    options: ReadOptions | None = None,
    **kwargs: Any,
) -> Document:
    """Read a file: bytes readers (EPUB, HTML …) get its bytes, text readers its decoded text.

    UTF-8 unless ``encoding`` says otherwise (``"auto"`` picks a legacy Chinese encoding).
    ``options``/keywords as for :func:`loads`.
    """
    from .textio import read_bytes

    opts = build_read_options(options, kwargs)
    with suppress(OSError):  # read_bytes reports a missing or unreadable file properly
        _check_size(Path(path).stat().st_size, str(path), opts.max_size)
    data = read_bytes(path)
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        # an empty EPUB, an empty page, a PDF titled "digest" without a word: say why
        warnings.warn(f"{path}: empty file: nothing to read", stacklevel=2)
    return _from_bytes(data, format, str(path), opts)


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
    from .transforms.detect import detect_script as _detect

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


def _writer_options(
    writer: registry.Writer, options: WriterOptions | None, given: dict[str, Any]
) -> WriterOptions:
    """The writer's own options record, from ``options`` and/or keywords, checked by name."""
    from .options import OptionError, build

    cls = registry.options_type(writer)
    if options is not None and not isinstance(options, cls):
        raise OptionError(
            f"the {writer.name} format takes {cls.__name__}, not {type(options).__name__}"
        )
    result: WriterOptions = build(cls, given, owner=f"the {writer.name} format", base=options)
    return result


def _format_and_options(
    format: str | WriterOptions | None, options: WriterOptions | None
) -> tuple[str | None, WriterOptions | None]:
    """``dump(doc, path, PdfOptions(...))``: a record where the format goes is the options (the
    record says what it is for; the format still comes from the path, or ``format=``)."""
    import dataclasses

    from .options import OptionError

    if format is None or isinstance(format, str):
        return format, options
    # any writer's record (a plugin's need not subclass WriterOptions): the writer checks its type
    if not dataclasses.is_dataclass(format) or isinstance(format, type):
        raise UnknownFormatError(f"a format is a name such as 'pdf', not {format!r}")
    if options is not None:
        raise OptionError(f"two option records given ({type(format).__name__} and "
                          f"{type(options).__name__}); pass one")  # fmt: skip
    return None, format


def dumps(
    doc: Document,
    format: str | WriterOptions = "markdown",
    options: WriterOptions | None = None,
    **kwargs: Any,
) -> str:
    """Render ``doc`` as text. Binary formats (epub, pdf) need :func:`dump` with a path.

    ``options`` is the writer's record (:class:`~digestkit.options.TextOptions`,
    :class:`~digestkit.options.JsonOptions` …), given by keyword or in the format's place
    (``dumps(doc, TextOptions(...))`` writes Markdown); keywords of the same names work too. An
    option the format does not have is an error, never ignored.
    """
    name, options = _format_and_options(format, options)
    format = name or "markdown"
    writer = registry.get_writer(format)
    if writer.kind != "text":
        raise UnknownFormatError(
            f"format {format!r} is {writer.kind}, not text: use digestkit.dump(doc, path)"
        )
    opts = _writer_options(writer, options, kwargs)
    try:
        result: str = writer.write(doc, opts)
    except RecursionError:
        raise DigestkitError("the document nests too deeply to write") from None
    return result


def dump(
    doc: Document,
    path: PathLike,
    format: str | WriterOptions | None = None,
    options: WriterOptions | None = None,
    **kwargs: Any,
) -> Path:
    """Write ``doc`` to ``path`` atomically (no partial file on failure); returns the path written.

    For folder writers (``hugo``) ``path`` is the output folder and nothing is written outside it.
    ``options``/keywords: the writer's record (:class:`~digestkit.options.EpubOptions`,
    :class:`~digestkit.options.PdfOptions`, :class:`~digestkit.options.HugoOptions` …), by
    keyword or in the format's place: ``dump(doc, "digest.pdf", PdfOptions(paper="A4"))``.
    """
    from .textio import atomic_write

    format, options = _format_and_options(format, options)
    name = format or format_for_path(path)
    writer = registry.get_writer(name)
    opts = _writer_options(writer, options, kwargs)
    target = Path(path)
    try:
        if writer.kind == "tree":
            result: Path = writer.write(doc, opts, outdir=target)
            return result
        data = writer.write(doc, opts)
    except RecursionError:
        raise DigestkitError("the document nests too deeply to write") from None
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_write(target) as fh:
        fh.write(payload)
    return target
