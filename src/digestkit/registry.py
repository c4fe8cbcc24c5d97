"""The format table: readers, writers and transforms by name, built-in or from plugins.

Built-in formats are declared as entry points in digestkit's own ``pyproject.toml`` (groups
``digestkit.readers`` and ``digestkit.writers``), exactly as a third-party plugin declares its
own. A static table of the same built-ins (pygments' ``_mapping.py`` idea) is the fallback when
digestkit runs from a source tree without installed metadata. Nothing is imported until a format
is used, so ``import digestkit`` stays cheap: no WeasyPrint, OpenCC or nh3 at start-up.

Writing a plugin: see ``docs/architecture.md``. A reader is any object with ``name``,
``extensions``, ``kind`` (``"text"``, the default, or ``"bytes"``), ``sniff(data, path) -> float``
and ``read(data, *, path) -> Document``, where ``data`` is decoded text for a text reader and the
file's bytes for a bytes reader (EPUB zips, HTML that declares its own charset); a reader that
sets ``takes_options = True`` is called ``read(data, path=..., options=ReadOptions)`` (the prose
reader's operating point). A writer has
``name``, ``extensions``, ``kind``, ``options_type`` (a record from :mod:`digestkit.options`) and
``write(doc, options)``.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from importlib import import_module
from pathlib import PurePath

from ._records import record as dataclass  # dataclasses' classes, no exec
from .contexts import suppress
from .errors import DigestkitError, UnknownFormatError
from .plugin_scan import keep_memo_in, own_entry_points

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from typing import Any

    from .plugin_types import Reader as Reader
    from .plugin_types import ReaderKind as ReaderKind
    from .plugin_types import Writer as Writer
    from .plugin_types import WriterKind as WriterKind

__all__ = [
    "FormatInfo",
    "Reader",
    "Writer",
    "detect_bytes_format",
    "detect_format",
    "formats",
    "get_reader",
    "get_writer",
    "keep_scan_in",
    "options_type",
    "reader_kind",
    "refresh",
]


def _warn(message: str, *args: object) -> None:
    """A warning on this module's logger. ``logging`` is imported here, when something is wrong
    (a plugin registered twice, a reader that fails to sniff), not with the module: every
    command imports the registry, and ``logging`` (with ``traceback``, ``tokenize``,
    ``threading`` …) is ~6 ms of a ~0.1 s weekly re-run (issue 26)."""
    import logging

    logging.getLogger(__name__).warning(message, *args)


READER_GROUP = "digestkit.readers"
WRITER_GROUP = "digestkit.writers"
TRANSFORM_GROUP = "digestkit.transforms"


def __getattr__(name: str) -> object:
    """``Reader``, ``Writer``, ``ReaderKind``, ``WriterKind`` (:mod:`digestkit.plugin_types`),
    imported the first time one is asked for (PEP 562): protocols and ``Literal`` need
    ``typing``, which a weekly re-run does not otherwise import (~2 ms, issue 26); this
    module's annotations that name them are strings."""
    if name in ("Reader", "Writer", "ReaderKind", "WriterKind"):
        from . import plugin_types

        value = getattr(plugin_types, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


_GROUPS = (READER_GROUP, WRITER_GROUP, TRANSFORM_GROUP)


@functools.cache
def _own_entry_points() -> dict[str, list[tuple[str, str]]] | None:
    """digestkit's own entry points by group, read from its installed ``entry_points.txt``,
    when no other distribution declares any in digestkit's groups; None when one does (or when
    ``sys.path`` holds what only ``importlib.metadata`` can read: a zip, an egg, a finder of its
    own distributions), and then :mod:`importlib.metadata` answers.

    Why: every command looks up the plugin table, and ``importlib.metadata`` costs ~25 ms to
    import (it pulls in ``email``, ``zipfile``, ``csv`` …) plus ~10 ms per group to parse every
    installed distribution's metadata — a tenth of a weekly re-run (issue 16). This reads the
    same files the same way (``sys.path`` order, the first distribution of a name wins, each
    ``*.dist-info``/``*.egg-info`` folder's ``entry_points.txt``), and answers only the common
    case itself: no third-party plugin installed (:mod:`.plugin_scan`, with its memo).
    """
    from importlib.machinery import PathFinder

    if any(
        hasattr(f, "find_distributions") and f is not PathFinder and not _path_metadata_finder(f)
        for f in sys.meta_path
    ):
        return None
    return own_entry_points(_GROUPS)


def _path_metadata_finder(finder: object) -> bool:
    """The ``importlib_metadata`` backport's ``MetadataPathFinder`` (installed on ``sys.meta_path``
    when anything imports the backport — dask does): it reads the same ``sys.path`` folders as
    :class:`PathFinder`, so it finds nothing the scan above does not."""
    kind = type(finder) if not isinstance(finder, type) else finder
    return kind.__module__ == "importlib_metadata" and kind.__name__ == "MetadataPathFinder"


def _entry_points(group: str) -> list[tuple[str, str, Callable[[], Any]]]:
    """(name, distribution, loader) of every entry point in ``group``, in metadata order."""
    own = _own_entry_points()
    if own is not None:
        return [(name, "digestkit", functools.partial(_load_target, value))
                for name, value in own.get(group, [])]  # fmt: skip
    from importlib import metadata

    out: list[tuple[str, str, Callable[[], Any]]] = []
    for ep in metadata.entry_points(group=group):
        dist = ep.dist.name if ep.dist is not None else "?"
        out.append((ep.name, dist, ep.load if dist != "digestkit" else
                    functools.partial(_load_target, ep.value)))  # fmt: skip
    return out


@functools.cache
def _table(group: str) -> dict[str, tuple[str, Callable[[], Any]]]:
    """name → (origin, loader). Entry points first, then built-ins missing from metadata."""
    builtin = _BUILTIN_READERS if group == READER_GROUP else _BUILTIN_WRITERS
    table: dict[str, tuple[str, Callable[[], Any]]] = {}
    for name, dist, loader in _entry_points(group):
        if name in table:
            _warn("format %r is registered twice (%s); keeping the first", name, dist)
            continue
        table[name] = ("built-in" if dist == "digestkit" else dist, loader)
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


def keep_scan_in(folder: str | None) -> None:
    """Keep the plugin scan's answer in ``folder`` (the cache folder; None: nowhere), read back
    while ``sys.path``'s folders are unchanged (:mod:`.plugin_scan`)."""
    keep_memo_in(folder)


def refresh() -> None:
    """Forget cached plugin tables (after installing a plugin in a running process)."""
    _own_entry_points.cache_clear()
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
                with suppress(UnknownFormatError):
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


#: The built-in bytes readers, known without importing them, so sniffing text never imports
#: them (the EPUB reader alone costs ~30 ms of start-up); every other built-in reads text.
#: ``tests/test_registry.py`` checks this against the readers' own ``kind``.
BUILTIN_BYTES_READERS = frozenset({"epub", "html", "feed"})


def _best(data: str | bytes, path: str | None, kind: ReaderKind, floor: float) -> str | None:
    best, best_score = None, floor
    table = _table(READER_GROUP)
    names = list(table)
    for i, name in enumerate(names):
        if best_score >= 1.0 and all(table[n][0] == "built-in" for n in names[i:]):
            break  # built-ins score at most 1.0 and ties go to the earlier name: none can win
        if table[name][0] == "built-in" and (name in BUILTIN_BYTES_READERS) != (kind == "bytes"):
            continue  # a built-in of the other kind: no need to import it to know
        try:
            reader = get_reader(name)
            if reader_kind(reader) != kind:
                continue
            score = float(reader.sniff(data, path))
        except Exception as exc:  # a broken plugin must not stop detection
            _warn("reader %r failed to sniff: %s", name, exc)
            continue
        if score > best_score or (floor and score == floor and best is None):
            best, best_score = name, score
    return best
