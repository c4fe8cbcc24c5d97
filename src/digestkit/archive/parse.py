"""Reading the archive: each file parsed once, in parallel, and kept in the cache by content.

Decides nothing about *which* files are read (:mod:`~digestkit.archive.discover` does) nor what the
book keeps of them (:mod:`~digestkit.archive.select`): it turns each file into a
:class:`~digestkit.archive.digest.Digest` — a feed into one digest per day
(:mod:`~digestkit.archive.feeds`) — holding a small :class:`~digestkit.archive.digest.Summary`
while the document itself waits in the cache. An unchanged file is found in the folder's summary
index (:mod:`digestkit.archive_index`) and never parsed again; a new one is parsed in a worker,
which sends back only its summary. The result is the same whatever the parallelism or the cache.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from pathlib import Path

from ..cache import DocumentCache
from ..errors import ParseError
from .digest import Digest, Summary, date_from_name, summarize
from .discover import candidates, read_as
from .feeds import feed_items

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from concurrent.futures import Executor
    from typing import TypeAlias

    from ..archive_index import SummaryIndex
    from ..ast import Document

__all__ = ["collect"]

#: part of every cache key: a new tag whenever what a file parses to in the weekly job changes,
#: so an old entry is not found (before "weekly-feeds", a feed was read as prose text; before
#: "weekly-html-epub", an HTML page was read as Markdown text and an EPUB skipped as binary;
#: before "weekly-html-epub-h1", an untitled Markdown digest's summary had no title; before
#: "weekly-sniff-ruby", Markdown without front matter could be read as prose and ruby was lost)
_CACHE_TAG = "weekly-sniff-ruby"


def _tag(priority: str) -> str:
    """The cache tag for the prose reader's operating point ``priority``: the default's is
    :data:`_CACHE_TAG` itself (every cache written before the option existed stays valid), any
    other's names it — a run-on digest parses to other blocks under another point."""
    return _CACHE_TAG if priority == "sentences" else f"{_CACHE_TAG}-prose-{priority}"


_Result: TypeAlias = "tuple[str, Document | None, Summary | None, str]"


def _parse_one(
    encoding: str | None,
    cache_root: str | None,
    path: str,
    *,
    keep_doc: bool = False,
    priority: str = "sentences",
) -> _Result:
    """Parse one file (in a worker). With a cache, the document stays there and only the summary
    travels back (``keep_doc``: it comes back too, for a parse in this process, where nothing
    travels); without one, the document travels back too. Warnings raised here reach the
    caller through :func:`digestkit.parallel.pmap`; a bad file raises its ``ParseError``."""
    from ..api import loads
    from ..ast import plain_text
    from ..cache import DocumentCache

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = Path(path).read_bytes()
        fmt, note = read_as(data, path)
        if note is not None:  # binary
            return path, None, Summary((), (note,), None, (), None, 0, 0, None), ""
        if fmt == "feed":  # its XML or JSON says its encoding: read as bytes
            doc = loads(data, "feed", path=path)
            summary = summarize(doc, [str(w.message) for w in caught], feed=True)
        elif fmt != "text":  # EPUB, HTML page, e-mail
            from ..transforms.detect import with_detected_lang

            doc = loads(data, fmt, path=path, detect_lang=False)
            full = plain_text(doc)
            doc = with_detected_lang(doc, text=full)
            summary = summarize(doc, [str(w.message) for w in caught], text=full)
        else:
            text = _decode(data, path, encoding)
            if not text.strip():
                note = f"{path}: empty file; left out"
                return path, None, Summary((), (note,), None, (), None, 0, 0, None), ""
            from ..transforms.detect import with_detected_lang

            # as loads(text, path=path) reads it, with the one plain_text walk shared by the
            # language detection and the summary
            doc = loads(text, path=path, detect_lang=False, prose_priority=priority)
            full = plain_text(doc)
            doc = with_detected_lang(doc, text=full)
            summary = summarize(doc, [str(w.message) for w in caught], text=full)
    if cache_root:
        cache = DocumentCache(Path(cache_root))
        key = cache.key(data, _tag(priority), encoding)
        cache.put(key, doc)
        cache.put(key + "-summary", summary)
        return path, doc if keep_doc else None, summary, key
    return path, doc, summary, ""


def _decode(data: bytes, path: str, encoding: str | None) -> str:
    """The file's text. Not UTF-8 and no ``--encoding``: Big5 or GB18030 when the bytes say so
    clearly (:func:`digestkit.textio.clear_encoding`), with a warning; anything else raises the
    UTF-8 error at its ``file:line:col``, which stops the run (or skips the file with
    ``--keep-going``) — a book silently missing a day is worse than no book."""
    from ..textio import clear_encoding, decode

    try:
        return decode(data, path=path, encoding=encoding)
    except ParseError:
        if encoding is not None:
            raise
        found = clear_encoding(data)
        if found is None:
            raise
    warnings.warn(f"{path}: not UTF-8, read as {found} (the bytes say so clearly)", stacklevel=3)
    return decode(data, path=path, encoding=found)


def _cached(
    path: str,
    data: bytes | None,
    encoding: str | None,
    cache: DocumentCache | None,
    index: SummaryIndex | None,
    priority: str = "sentences",
) -> _Result | None:
    if cache is None or index is None or data is None:
        return None
    key = cache.key(data, _tag(priority), encoding)
    summary = index.get(key)
    if not isinstance(summary, Summary):  # not in this folder's index: the digest's own entry
        summary = cache.get(key + "-summary")
    else:  # its own entry stays marked as used (the cache prunes the least recently used)
        cache.touch(key + "-summary")
    if not isinstance(summary, Summary) or not cache.touch(key):
        return None
    index.put(key, summary)
    return path, None, summary, key


def collect(
    root: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    jobs: int | None = None,
    executor: Executor | None = None,
    cache: bool = True,
    skipped: list[str] | None = None,
    exclude: Iterable[str | os.PathLike[str]] = (),
    max_size: int | None = None,
    prose_priority: str = "sentences",
) -> list[Digest]:
    """Every readable document under ``root`` (binary and non-text files skipped with a warning).

    Pages, books and messages digestkit wrote itself (its generator mark:
    :func:`digestkit.provenance.written_by_digestkit`) are skipped with a one-line warning, and
    nothing at or under a path in ``exclude`` (the book being written) is looked at.

    Files are parsed in parallel: in ``executor`` when given (any ``concurrent.futures.Executor``,
    e.g. a Dask ``Client.get_executor()``), else in a process pool of ``jobs`` workers (default:
    the CPU count; ``jobs=1`` parses in this process). With ``cache`` (default), parsed documents
    are kept by content hash in the XDG cache folder (``$XDG_CACHE_HOME/digestkit``), looked up
    here first, so an unchanged file is never parsed twice. The result is the same whatever the
    parallelism or the cache. A file that cannot be read stops the run with its error, unless
    ``skipped`` is a list: then the error is appended there and the file left out. So does a
    file over ``max_size`` bytes (None: 16 MiB, as ``convert``; 0: no limit). ``prose_priority``:
    the prose reader's operating point for run-on text files (``ReadOptions.prose_priority``;
    part of the cache key when not the default).
    """
    from ..cache import DocumentCache, cache_dir

    base = Path(root)
    if not base.is_dir():
        raise ParseError("not a folder" if base.exists() else "no such folder", path=str(base))
    from ..archive_index import SummaryIndex

    store = DocumentCache(cache_dir()) if cache else None
    cache_root = str(store.root) if store else None
    index = SummaryIndex(store, base, encoding) if store else None
    results: dict[str, _Result] = {}
    misses: list[str] = []
    for p, data in candidates(base, exclude, whole=store is not None, max_size=max_size):
        if isinstance(data, ParseError):  # over the size limit: never read
            if skipped is None:
                raise data
            skipped.append(str(data))
            warnings.warn(f"{data} — skipped (--keep-going)", stacklevel=2)
            continue
        hit = _cached(p, data, encoding, store, index, prose_priority)
        if hit is None:
            misses.append(p)
        else:
            results[p] = hit
    import functools

    parsed = []
    here = False  # parsed in this process: each new document kept, not loaded back from the cache
    if misses:  # nothing to parse (a re-run with nothing new): no pool, no pool imports
        from .. import ast as _before_the_fork  # noqa: F401 - imported once, shared by the workers
        from ..parallel import pmap, runs_here

        here = runs_here(len(misses), jobs=jobs, executor=executor)
    work = functools.partial(
        _parse_one, encoding, cache_root, keep_doc=here, priority=prose_priority
    )
    for outcome in pmap(work, misses, jobs=jobs, executor=executor) if misses else ():
        if outcome.error is None:
            parsed.append(outcome.unwrap())
        elif skipped is None:
            raise outcome.error
        else:
            skipped.append(str(outcome.error))
            warnings.warn(f"{outcome.error} — skipped (--keep-going)", stacklevel=2)
    results.update((r[0], r) for r in parsed)
    if index is not None:
        for _, _, summary, key in parsed:
            if key and summary is not None:
                index.put(key, summary)
        index.save({r[3] for r in results.values() if r[3]})
    found = []
    for path, doc, summary, key in (results[p] for p in sorted(results)):
        if summary is None:
            continue
        for message in summary.messages:
            warnings.warn(message, stacklevel=2)
        if doc is not None or key:
            if summary.entry_dates is not None:
                found.extend(feed_items(Path(path), doc, summary, key))
                continue
            date = summary.date or date_from_name(Path(path))
            found.append(Digest(Path(path), doc, date, summary, key))
    return found
