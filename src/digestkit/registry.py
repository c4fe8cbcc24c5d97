"""The format table: readers, writers and transforms by name, built-in or from plugins.

Built-in formats are declared as entry points in digestkit's own ``pyproject.toml`` (groups
``digestkit.readers`` and ``digestkit.writers``), exactly as a third-party plugin declares its
own. A static table of the same built-ins (pygments' ``_mapping.py`` idea) is the fallback when
digestkit runs from a source tree without installed metadata. Nothing is imported until a format
is used, so ``import digestkit`` stays cheap: no WeasyPrint, OpenCC or nh3 at start-up.

Writing a plugin: see ``docs/architecture.md``. A reader is any object with ``name``,
``extensions``, ``kind`` (``"text"``, the default, or ``"bytes"``), ``sniff(data, path) -> float``
and ``read(data, *, path) -> Document``, where ``data`` is decoded text for a text reader and the
file's bytes for a bytes reader (EPUB zips, HTML that declares its own charset). A writer has
``name``, ``extensions``, ``kind``, ``options_type`` (a record from :mod:`digestkit.options`) and
``write(doc, options)``.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module, metadata
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

from .errors import DigestkitError, UnknownFormatError

if TYPE_CHECKING:
    from .ast import Document

__all__ = [
    "FormatInfo",
    "Reader",
    "Writer",
    "detect_bytes_format",
    "detect_format",
    "formats",
    "get_reader",
    "get_writer",
    "options_type",
    "reader_kind",
    "refresh",
]

log = logging.getLogger(__name__)

READER_GROUP = "digestkit.readers"
WRITER_GROUP = "digestkit.writers"
TRANSFORM_GROUP = "digestkit.transforms"

WriterKind = Literal["text", "binary", "tree"]
ReaderKind = Literal["text", "bytes"]


@runtime_checkable
class Reader(Protocol):
    """What a reader plugin provides.

    ``kind`` (default ``"text"`` when a plugin does not say) tells :func:`digestkit.load` what
    ``sniff`` and ``read`` receive: decoded text (BOM removed, ``\\n`` line endings) for a text
    reader, the file's bytes for a bytes reader.
    """

    name: str
    extensions: tuple[str, ...]

    def sniff(self, data: Any, path: str | None) -> float:
        """How sure (0.0–1.0) this reader is that it should read ``data``."""
        ...

    def read(self, data: Any, *, path: str | None = None) -> Document:
        """Parse ``data`` into a Document."""
        ...


@runtime_checkable
class Writer(Protocol):
    """What a writer plugin provides.

    ``kind`` tells callers what ``write`` returns: ``"text"`` a ``str``, ``"binary"`` ``bytes``,
    ``"tree"`` writes a folder itself (``write(doc, outdir=..., **options)``).
    """

    name: str
    extensions: tuple[str, ...]
    kind: WriterKind

    def write(self, doc: Document, options: Any, /, **target: Any) -> Any:
        """Render ``doc`` with ``options``, an instance of the writer's ``options_type``.

        Tree writers also get ``outdir=`` (and ``taken=``, the folders a batch already used).
        """
        ...


def reader_kind(reader: Reader) -> ReaderKind:
    """``"bytes"`` for a reader that declares it, else ``"text"``."""
    return "bytes" if getattr(reader, "kind", "text") == "bytes" else "text"


def options_type(writer: Writer) -> type[Any]:
    """The options record ``writer`` declares (:class:`~digestkit.options.WriterOptions`: none)."""
    from .options import WriterOptions

    cls = getattr(writer, "options_type", None)
    return cls if isinstance(cls, type) else WriterOptions


_BUILTIN_READERS: dict[str, str] = {
    "markdown": "digestkit.readers.markdown:READER",
    "hugo": "digestkit.readers.hugo:READER",
    "prose": "digestkit.readers.prose:READER",
    "json": "digestkit.readers.json:READER",
    "html": "digestkit.readers.html:READER",
    "feed": "digestkit.readers.feed:READER",
    "epub": "digestkit.readers.epub:READER",
    "pandoc-json": "digestkit.readers.pandoc_json:READER",
}
_BUILTIN_WRITERS: dict[str, str] = {
    "markdown": "digestkit.writers.markdown:WRITER",
    "hugo": "digestkit.writers.hugo:WRITER",
    "epub": "digestkit.writers.epub:WRITER",
    "pdf": "digestkit.writers.pdf:WRITER",
    "json": "digestkit.writers.json:WRITER",
    "pandoc-json": "digestkit.writers.pandoc_json:WRITER",
    "html": "digestkit.writers.html:WRITER",
    "eml": "digestkit.writers.eml:WRITER",
}


@dataclass(frozen=True, slots=True)
class FormatInfo:
    """One row of :func:`formats`."""

    name: str
    can_read: bool
    can_write: bool
    origin: str
    extensions: tuple[str, ...] = ()


def _load_target(target: str) -> Any:
    module, _, attr = target.partition(":")
    obj: Any = import_module(module)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj() if isinstance(obj, type) else obj


@functools.cache
def _table(group: str) -> dict[str, tuple[str, Callable[[], Any]]]:
    """name → (origin, loader). Entry points first, then built-ins missing from metadata."""
    builtin = _BUILTIN_READERS if group == READER_GROUP else _BUILTIN_WRITERS
    table: dict[str, tuple[str, Callable[[], Any]]] = {}
    for ep in metadata.entry_points(group=group):
        dist = ep.dist.name if ep.dist is not None else "?"
        if ep.name in table:
            log.warning("format %r is registered twice (%s); keeping the first", ep.name, dist)
            continue
        origin = "built-in" if dist == "digestkit" else dist
        table[ep.name] = (origin, ep.load if origin != "built-in" else
                          functools.partial(_load_target, ep.value))  # fmt: skip
    for name, target in builtin.items():
        table.setdefault(name, ("built-in", functools.partial(_load_target, target)))
    return table


@functools.cache
def _instance(group: str, name: str) -> Any:
    entry = _table(group).get(name)
    if entry is None:
        kind = "reader" if group == READER_GROUP else "writer"
        known = ", ".join(sorted(_table(group)))
        raise UnknownFormatError(f"no {kind} for format {name!r} (known: {known})")
    try:
        obj = entry[1]()
    except DigestkitError:
        raise
    except Exception as exc:
        raise UnknownFormatError(f"format {name!r} from {entry[0]} failed to load: {exc}") from exc
    if isinstance(obj, type):
        obj = obj()
    return obj


def refresh() -> None:
    """Forget cached plugin tables (after installing a plugin in a running process)."""
    _table.cache_clear()
    _instance.cache_clear()


def get_reader(name: str) -> Reader:
    """The reader registered as ``name``."""
    return _instance(READER_GROUP, name)  # type: ignore[no-any-return]


def get_writer(name: str) -> Writer:
    """The writer registered as ``name``."""
    return _instance(WRITER_GROUP, name)  # type: ignore[no-any-return]


def formats(*, load: bool = True) -> list[FormatInfo]:
    """Every known format, with what it can do and where it comes from.

    ``load=False`` leaves the extensions out and imports no reader or writer (start-up paths).
    """
    readers, writers = _table(READER_GROUP), _table(WRITER_GROUP)
    out = []
    for name in sorted(set(readers) | set(writers)):
        origin = (readers.get(name) or writers[name])[0]
        exts: tuple[str, ...] = ()
        for group, table in ((READER_GROUP, readers), (WRITER_GROUP, writers)):
            if not load:
                break
            if name in table:  # a name that reads and writes (html) lists both's extensions
                with contextlib.suppress(UnknownFormatError):
                    more = tuple(getattr(_instance(group, name), "extensions", ()))
                    exts = exts + tuple(e for e in more if e not in exts)
        out.append(FormatInfo(name, name in readers, name in writers, origin, exts))
    return out


def detect_bytes_format(data: bytes, path: str | None = None) -> str | None:
    """The bytes reader that scores ``data`` at least 0.5, highest first; None when none does.

    Bytes readers look first (zip magic, a declared charset, markup), so a text reader never
    sees an EPUB as mojibake; text readers are asked only when no bytes reader claims the file.
    """
    return _best(data, path, "bytes", floor=0.5)


def detect_format(text: str, path: str | None = None) -> str:
    """The text reader that scores ``text`` highest (ties go to the earlier name, built-ins first).

    Each reader's ``sniff`` sees the content and the file name; content decides, the extension
    only breaks ties, because digest archives are full of ``.txt`` files holding Markdown.
    """
    best = _best(text, path, "text", floor=0.0)
    if best is None:
        where = f" {PurePath(path).name}" if path else ""
        raise UnknownFormatError(f"cannot tell the format of{where}; pass format=")
    return best


def _best(data: str | bytes, path: str | None, kind: ReaderKind, floor: float) -> str | None:
    best, best_score = None, floor
    for name in _table(READER_GROUP):
        try:
            reader = get_reader(name)
            if reader_kind(reader) != kind:
                continue
            score = float(reader.sniff(data, path))
        except Exception as exc:  # a broken plugin must not stop detection
            log.warning("reader %r failed to sniff: %s", name, exc)
            continue
        if score > best_score or (floor and score == floor and best is None):
            best, best_score = name, score
    return best
