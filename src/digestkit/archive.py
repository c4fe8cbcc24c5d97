"""The weekly job: an archive folder of daily digests → one book (EPUB, PDF, HTML page, e-mail).

(The module is `archive`, not `weekly`, so that `digestkit.weekly` stays the function.)

Files are judged by content, not extension (archives are full of ``.txt`` Markdown): every
regular, non-hidden file under the folder that decodes as text is read with the format its
content shows. A file that cannot be read stops the run with its ``file:line:col`` — a weekly
book silently missing a day is worse than no book.

In a Hugo site, the pages plain ``hugo`` would not publish (drafts, by their own ``draft``, a
section's ``cascade`` or a draft section above them) are left out with one warning
(:func:`hugo_drafts`), so the book holds what the site shows.

Each digest's date comes from its front matter, else from a ``YYYY-MM-DD``/``YYYYMMDD`` in its
file name, else it is *Undated* (kept, after the dated ones; left out when a week is chosen).
A feed (RSS, Atom, JSON Feed: sniffed by content) is not one digest: its entries are dated
one by one and each day's entries make a digest of their own (:func:`feed_items`).
``week="2026-W09"`` keeps the digests of that ISO week. Digests are ordered by date, one chapter
each, their news items the second level of the table of contents. The same article appearing
twice (same text once both are in one script) is kept once, with a warning. An empty selection is
an error and writes nothing; the book is written atomically, so a failure half way leaves no
partial file and never clobbers an existing one.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .ast import Article, Document, plain_text
from .cache import DocumentCache
from .errors import DigestkitError, ParseError
from .links import BookLinks, Target, WrittenIds
from .options import (
    BookOptions,
    EmlOptions,
    HtmlOptions,
    PdfOptions,
    ReadOptions,
    WeeklyOptions,
)
from .writers.book import (
    Book,
    Chapter,
    book_lang,
    chapter_key,
    links_key,
    site_key,
    specific_lang,
)

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from .archive_index import SummaryIndex

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

_NAME_DATE = re.compile(r"(20\d{2}|19\d{2})-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])")
_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
#: part of every cache key: a new tag whenever what a file parses to in the weekly job changes,
#: so an old entry is not found (before "weekly-feeds", a feed was read as prose text; before
#: "weekly-html-epub", an HTML page was read as Markdown text and an EPUB skipped as binary;
#: before "weekly-html-epub-h1", an untitled Markdown digest's summary had no title; before
#: "weekly-sniff-ruby", Markdown without front matter could be read as prose and ruby was lost)
_CACHE_TAG = "weekly-sniff-ruby"


@dataclass(frozen=True)
class Digest:
    """One readable document of the archive: where it came from, its date, and its summary.

    The document itself is ``doc`` when it is held in memory, else it waits in the cache under
    ``key`` and :meth:`load` fetches it — so a book of thousands of digests holds one at a time.
    ``drop`` lists articles left out as duplicates. A feed's entries of one day are one
    digest of their own (:func:`feed_items`): ``entries`` are their indices in the feed, in date
    order, and every other entry of the feed is in ``drop``.
    """

    path: Path
    doc: Document | None
    date: _dt.date | None
    summary: Summary
    key: str = ""
    drop: frozenset[int] = frozenset()
    entries: tuple[int, ...] = ()

    @property
    def prints(self) -> tuple[str, ...]:
        return self.summary.prints

    def load(self) -> Document:
        """The document, without the articles left out as duplicates."""
        doc = self.doc
        if doc is None:
            from .cache import DocumentCache

            cached = DocumentCache().get(self.key) if self.key else None
            doc = cached if isinstance(cached, Document) else None
        if doc is None:  # the cache entry went away: read the file again
            from . import load

            doc = load(self.path)
        if self.entries:  # one day of a feed: its entries, in date order
            arts = [b for b in doc.blocks if isinstance(b, Article)]
            picked = tuple(arts[i] for i in self.entries if i < len(arts) and i not in self.drop)
            return doc.replace(blocks=picked)
        if self.drop:
            arts = [b for b in doc.blocks if isinstance(b, Article)]
            gone = {id(arts[i]) for i in self.drop if i < len(arts)}
            doc = doc.replace(blocks=tuple(b for b in doc.blocks if id(b) not in gone))
        return doc


def iso_week(spec: str) -> tuple[int, int]:
    """``"2026-W09"`` → ``(2026, 9)``; anything else is a clear error."""
    m = _WEEK.match(spec.strip())
    if not m or not 1 <= int(m.group(2)) <= 53:
        raise DigestkitError(f"week must look like 2026-W09, not {spec!r}")
    return int(m.group(1)), int(m.group(2))


def _date_from_name(path: Path) -> _dt.date | None:
    m = _NAME_DATE.search(path.name)
    if m:
        try:
            return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return None


# Files that are never digests: the images, media, fonts and styles of Hugo page bundles and
# saved sites. Skipped without a warning (a real Hugo archive of 241 posts carried 137 of them,
# each once warned about as "binary"); any other binary file is still named in a warning.
_ASSET_SUFFIXES = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".ico", ".bmp", ".tif", ".tiff",
    ".heic", ".mp4", ".webm", ".mov", ".m4v", ".mp3", ".ogg", ".oga", ".wav", ".m4a", ".flac",
    ".pdf", ".woff", ".woff2", ".ttf", ".otf", ".eot", ".css", ".js", ".map",
})  # fmt: skip


def _files(root: Path) -> Iterator[Path]:
    """The archive's candidate digests, in name order.

    Hidden files and folders, symlinks and bundle assets are left out, and so is everything of a
    Hugo site but its content: in a folder that holds a ``content/`` folder beside a Hugo config
    file, only ``content/`` is read (not the config, themes, layouts or generated ``public/``).
    """
    paths = sorted(root.rglob("*"))
    sites = {p.parent for p in paths if p.name in _HUGO_CONFIGS and (p.parent / "content").is_dir()}
    unpublished: set[Path] = set()
    for site in sorted(sites):
        drafts = hugo_drafts([p for p in paths if p.is_relative_to(site / "content")], site)
        if drafts:
            warnings.warn(
                f"{site / 'content'}: {len(drafts)} draft page(s) left out, as hugo leaves them out"
                f" (first: {sorted(drafts)[0].relative_to(site / 'content')})",
                stacklevel=3,
            )
        unpublished |= drafts
    for path in paths:
        if path in unpublished:
            continue
        rel = path.relative_to(root)
        if (
            any(part.startswith(".") for part in rel.parts)
            or path.suffix.lower() in _ASSET_SUFFIXES
            or not path.is_file()
            or path.is_symlink()
        ):
            continue
        if sites and any(
            site in path.parents and not path.is_relative_to(site / "content") for site in sites
        ):
            continue
        yield path


def _hugo_lang(path: Path) -> str:
    """The language part of a content file's name (``x.zh-tw.md`` → ``zh-tw``), lower case, or
    ``""``: a section's ``_index.zh-tw.md`` speaks for the pages of that language only."""
    parts = path.name.split(".")
    return parts[-2].lower() if len(parts) > 2 else ""


def _draft_settings(path: Path) -> tuple[bool | None, bool | None]:
    """(the page's own ``draft``, the ``draft`` its ``cascade`` hands down), None where unset.

    Only a file whose text names ``draft`` has its front matter parsed: the weekly job lists the
    folder on every run, and most pages say nothing about drafts. Front matter that does not
    parse says nothing here (the real read reports it).
    """
    try:
        raw = path.read_bytes()
    except OSError:
        return None, None
    if b"draft" not in raw.lower():
        return None, None
    from . import frontmatter

    try:
        text = raw.decode("utf-8-sig")
        data = frontmatter.load(frontmatter.split(text, path=str(path)), warn=False)
    except (UnicodeDecodeError, DigestkitError, ValueError):
        return None, None
    keys = {k.lower(): v for k, v in data.items()}  # Hugo's keys are case-blind
    own = keys.get("draft")
    cascade = keys.get("cascade")
    handed = None
    for table in cascade if isinstance(cascade, list) else [cascade]:
        # a cascade entry aimed at some pages only (``_target``) is not followed here
        if isinstance(table, dict) and "_target" not in table:
            value = {k.lower(): v for k, v in table.items()}.get("draft")
            handed = value if isinstance(value, bool) else handed
    return (own if isinstance(own, bool) else None), handed


def hugo_drafts(paths: Iterable[Path], site: Path) -> set[Path]:
    """The files of ``paths`` (under ``site/content``) that ``hugo`` without ``-D`` leaves out.

    Checked against Hugo 0.111: a page is a draft by its own ``draft``, else by the nearest
    ``cascade: {draft: …}`` of the sections above it (a section's cascade applies to the
    section's own ``_index.md`` too); and every file under a section that is a draft is left out,
    a page saying ``draft: false`` included (Hugo drops the section's whole subtree,
    gohugoio/hugo#6312). The lanke blog's ``post/_index.md`` is such a draft: plain ``hugo``
    publishes none of its posts. Languages are kept apart by file name (``_index.zh-tw.md``).
    """
    content = site / "content"
    files = [p for p in paths if p.suffix.lower() in (".md", ".markdown")]
    settings = {p: _draft_settings(p) for p in files}
    sections = {(p.parent, _hugo_lang(p)): p for p in files if p.name.startswith("_index.")}

    def draft(page: Path) -> bool:
        own, _ = settings[page]
        if own is not None:
            return own
        folder, lang = page.parent, _hugo_lang(page)
        while folder.is_relative_to(content):
            section = sections.get((folder, lang))
            if section is not None and (handed := settings[section][1]) is not None:
                return handed
            folder = folder.parent
        return False

    # (folder, language) of every draft section: Hugo leaves out its whole subtree
    dropped = {key for key, index in sections.items() if draft(index)}
    out = set()
    for p in paths:
        lang = _hugo_lang(p) if p in settings else ""
        if (p in settings and draft(p)) or any((f, lang) in dropped for f in p.parents):
            out.add(p)
    return out


@dataclass(frozen=True)
class Summary:
    """What the weekly book needs to know about a digest without holding its document."""

    prints: tuple[str, ...]
    messages: tuple[str, ...]
    title: str | None
    article_titles: tuple[str | None, ...]
    lang: str | None
    chars: int
    articles: int
    date: _dt.date | None
    #: whether the digest links into the site or the book (relative, site-root, ref/relref):
    #: only then does its rendered chapter depend on the book's link map and base URL
    local_links: bool = True
    #: a feed's entry dates (``ArticleMeta.date``, ISO text), one per article in the feed's
    #: order; None for any other document. Set, the feed is split by day (:func:`feed_items`).
    entry_dates: tuple[str | None, ...] | None = None
    #: who the digest is by: its author, else its site's name (an HTML page's ``og:site_name``,
    #: a feed's title); the book's author when every digest that names one names the same
    byline: str | None = None


def summarize(
    doc: Document, messages: Iterable[str] = (), *, feed: bool = False, text: str | None = None
) -> Summary:
    """The summary of a parsed digest (computed where it was parsed); ``feed`` when it was read
    as a feed, whose entries are then dated one by one; ``text`` is ``plain_text(doc)`` when the
    caller has it already (one walk per document, not three)."""
    from .writers.book import count_articles

    d = doc.meta.date
    day = d.date() if isinstance(d, _dt.datetime) else d
    arts = list(doc.articles())
    if text is None:
        text = plain_text(doc)
    return Summary(
        prints=fingerprints(doc, text=text),
        messages=tuple(messages),
        title=doc.meta.title or (_first_h1(doc) if not arts else None),
        article_titles=tuple(a.meta.title for a in arts),
        lang=doc.meta.lang,
        chars=len(text),
        articles=count_articles(doc),
        date=day,
        local_links=_has_local_links(doc),
        entry_dates=tuple(a.meta.date for a in arts) if feed else None,
        byline=_byline(doc, feed),
    )


def _first_h1(doc: Document) -> str | None:
    """The text of a level-1 heading opening a document without a title: Markdown digests
    without front matter name themselves so (``# 《HelloGitHub》第 98 期``), and the chapter
    was titled after the file name (the book leaves out the heading that repeats the title)."""
    from .ast import Heading

    first = doc.blocks[0] if doc.blocks else None
    if isinstance(first, Heading) and first.level == 1:
        return plain_text(first).replace("\n", " ").strip() or None
    return None


def _byline(doc: Document, feed: bool) -> str | None:
    meta = doc.meta
    site = meta.extra.get("og:site_name")
    for name in (
        meta.author,
        site if isinstance(site, str) else None,
        meta.title if feed else None,
    ):
        if name and name.strip():
            return name.strip()
    return None


#: the book's author when the digests name none, or different ones (``--author`` sets it)
DEFAULT_AUTHOR = "digestkit"


def book_author(digests: Iterable[Digest]) -> str:
    """The one author (or site name) the digests agree on — digests naming none do not count
    against it — else :data:`DEFAULT_AUTHOR`: a book of several people's digests is by none
    of them alone, and e-readers show "Unknown" for a book without a creator."""
    names = {str(d.summary.byline) for d in digests if getattr(d.summary, "byline", None)}
    return names.pop() if len(names) == 1 else DEFAULT_AUTHOR


_ABSOLUTE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//|#)")


def _has_local_links(doc: Document) -> bool:
    """Any link the book's link map or base URL could change (see :mod:`digestkit.links`).

    A plain traversal that stops at the first one (``ast.walk`` would rebuild the whole tree)."""
    from .ast import Link, ShortcodeInline, _children_of

    stack: list[Any] = [doc]
    while stack:
        node = stack.pop()
        if (isinstance(node, Link) and not _ABSOLUTE.match(node.url.strip())) or (
            isinstance(node, ShortcodeInline) and node.name in ("ref", "relref")
        ):
            return True
        stack.extend(_children_of(node))
    return False


_Result = tuple[str, Document | None, Summary | None, str]


def _parse_one(encoding: str | None, cache_root: str | None, path: str) -> _Result:
    """Parse one file (in a worker). With a cache, the document stays there and only the summary
    travels back; without one, the document travels back too. Warnings raised here reach the
    caller through :func:`digestkit.parallel.pmap`; a bad file raises its ``ParseError``."""
    from . import loads
    from .cache import DocumentCache

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = Path(path).read_bytes()
        if _is_feed(data, path):  # its XML or JSON says its encoding: read as bytes
            doc = loads(data, "feed", path=path)
            summary = summarize(doc, [str(w.message) for w in caught], feed=True)
        elif (fmt := _bytes_format(data, path)) is not None:  # EPUB, HTML page, e-mail
            from .transforms.script import with_detected_lang

            doc = loads(data, fmt, path=path, detect_lang=False)
            full = plain_text(doc)
            doc = with_detected_lang(doc, text=full)
            summary = summarize(doc, [str(w.message) for w in caught], text=full)
        elif b"\x00" in data[:8192]:
            note = f"{path}: skipped (binary)"
            return path, None, Summary((), (note,), None, (), None, 0, 0, None), ""
        else:
            text = _decode(data, path, encoding)
            if not text.strip():
                note = f"{path}: empty file; left out"
                return path, None, Summary((), (note,), None, (), None, 0, 0, None), ""
            from .transforms.script import with_detected_lang

            # as loads(text, path=path) reads it, with the one plain_text walk shared by the
            # language detection and the summary
            doc = loads(text, path=path, detect_lang=False)
            full = plain_text(doc)
            doc = with_detected_lang(doc, text=full)
            summary = summarize(doc, [str(w.message) for w in caught], text=full)
    if cache_root:
        cache = DocumentCache(Path(cache_root))
        key = cache.key(data, _CACHE_TAG, encoding)
        cache.put(key, doc)
        cache.put(key + "-summary", summary)
        return path, None, summary, key
    return path, doc, summary, ""


def _decode(data: bytes, path: str, encoding: str | None) -> str:
    """The file's text. Not UTF-8 and no ``--encoding``: Big5 or GB18030 when the bytes say so
    clearly (:func:`digestkit.textio.clear_encoding`), with a warning; anything else raises the
    UTF-8 error at its ``file:line:col``, which stops the run (or skips the file with
    ``--keep-going``) — a book silently missing a day is worse than no book."""
    from .textio import clear_encoding, decode

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


def _is_feed(data: bytes, path: str) -> bool:
    """An RSS/Atom/RDF root or a JSON Feed version URL (whatever the extension): the archive's
    other files are read as text, as before."""
    head = data[:8192]
    low = head.lower()
    if not any(mark in low for mark in _FEED_MARKS):
        return False  # most files: no need to import the feed and html readers to know
    from .readers.feed import READER

    return READER.sniff(head, path) >= 0.9


_FEED_MARKS = (b"<rss", b"<feed", b"<rdf:rdf", b"jsonfeed.org")
# what an HTML page or an e-mail opens with (a BOM, spaces, then markup; or a header line):
# only such files make the HTML reader be imported to look closer
_MARKUP_OR_HEADER = re.compile(
    rb"\A(?:\xef\xbb\xbf|\xff\xfe|\xfe\xff)|\A\s*<|\A[A-Za-z0-9][A-Za-z0-9-]*:[ \t]"
)


def _bytes_format(data: bytes, path: str) -> str | None:
    """``epub`` for an EPUB, ``html`` for a whole HTML page (doctype, ``<html>``), an e-mail
    (RFC 5322 headers) or any file named ``.html``/``.htm``/``.xhtml``/``.eml``/``.mhtml`` (a
    UTF-16 page without a BOM opens with no readable markup), read as bytes by their readers,
    which honour the declared charset; None for everything else (read as text, as before): a
    ``.txt`` or ``.md`` file holding a fragment such as ``<p>…</p>`` stays Markdown.
    """
    head = data[:8192]
    if head[:4] == b"PK\x03\x04":
        from .readers.epub import READER as EPUB

        return "epub" if EPUB.sniff(head, path) >= 0.8 else None
    if head.removeprefix(b"\xef\xbb\xbf").startswith((b"---", b"+++")):
        return None  # front matter: Hugo's .html content pages are Markdown's business
    if not (_MARKUP_OR_HEADER.match(head) or path.lower().endswith(_HTML_SUFFIXES)):
        return None
    from .readers.html import READER as HTML

    return "html" if HTML.sniff(head, path) >= 0.5 else None


_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".xht", ".eml", ".mhtml", ".mht")


def fingerprints(doc: Document, *, text: str | None = None) -> tuple[str, ...]:
    """De-duplication fingerprints: one per article, or one for the whole document
    (``text``: its ``plain_text`` when known)."""
    arts = list(doc.articles())
    return (
        tuple(_fingerprint(plain_text(a)) for a in arts)
        if arts
        else (_fingerprint(plain_text(doc) if text is None else text),)
    )


def _cached(
    path: str,
    data: bytes | None,
    encoding: str | None,
    cache: DocumentCache | None,
    index: SummaryIndex | None,
) -> _Result | None:
    if cache is None or index is None or data is None:
        return None
    key = cache.key(data, _CACHE_TAG, encoding)
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
    file over ``max_size`` bytes (None: 16 MiB, as ``convert``; 0: no limit).
    """
    from .cache import DocumentCache, cache_dir
    from .textio import check_size

    base = Path(root)
    if not base.is_dir():
        raise ParseError("not a folder", path=str(base))
    from .archive_index import SummaryIndex

    store = DocumentCache(cache_dir()) if cache else None
    cache_root = str(store.root) if store else None
    index = SummaryIndex(store, base, encoding) if store else None
    results: dict[str, _Result] = {}
    misses: list[str] = []
    from .provenance import HEAD_BYTES, written_by_digestkit

    excluded = [Path(x).resolve() for x in exclude]
    for file in _files(base):
        if excluded and any(file.resolve().is_relative_to(x) for x in excluded):
            continue
        p = str(file)
        data = None
        try:
            check_size(file.stat().st_size, p, max_size)
        except OSError:
            pass  # the parse says what is wrong with it
        except ParseError as exc:  # over the limit: never read, not even from the cache
            if skipped is None:
                raise
            skipped.append(str(exc))
            warnings.warn(f"{exc} — skipped (--keep-going)", stacklevel=2)
            continue
        try:
            with file.open("rb") as fh:  # the head decides; a book of our own is not read further
                head = fh.read(HEAD_BYTES)
                if written_by_digestkit(p, head):
                    warnings.warn(f"{p}: skipped (written by digestkit)", stacklevel=2)
                    continue
                if store is not None:
                    data = head + fh.read()
        except OSError:
            pass  # the parse says what is wrong with it
        hit = _cached(p, data, encoding, store, index)
        if hit is None:
            misses.append(p)
        else:
            results[p] = hit
    import functools

    work = functools.partial(_parse_one, encoding, cache_root)
    parsed = []
    if misses:  # nothing to parse (a re-run with nothing new): no pool, no pool imports
        from .parallel import pmap
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
            date = summary.date or _date_from_name(Path(path))
            found.append(Digest(Path(path), doc, date, summary, key))
    return found


def feed_items(path: Path, doc: Document | None, summary: Summary, key: str) -> list[Digest]:
    """A feed as the weekly book wants it: one digest per day its entries were published.

    Each entry is dated by its own date (``ArticleMeta.date``, published else updated), on the
    day it names in its own UTC offset — the day its publisher gave it — else by a date in the
    feed's file name, else it is undated (left out when a week is chosen). The entries of one
    day become one chapter, the feed's title over them and the entries as its articles in time
    order, so a week of a feed reads like a week of daily digests: one chapter per day, its
    news items the second level of the contents (one chapter per entry would bury the daily
    digests among dozens of one-item chapters). Every day shares the feed's cached document
    (``key``): a day is the feed with the other days' entries dropped.
    """
    from .writers.book import article_day

    dates = summary.entry_dates or ()
    fallback = _date_from_name(path)
    days: dict[_dt.date | None, list[int]] = {}
    for i, value in enumerate(dates):
        days.setdefault(article_day(value) or fallback, []).append(i)
    everything = frozenset(range(len(dates)))
    out = []
    for day, picked in days.items():
        order = tuple(sorted(picked, key=lambda i: _moment(dates[i])))
        drop = everything - frozenset(picked)
        out.append(Digest(path, doc, day, _dated(summary, day), key, drop=drop, entries=order))
    return out


def _dated(summary: Summary, day: _dt.date | None) -> Summary:
    """The feed's title with the day, so the contents list tells a feed's days apart."""
    if not summary.title or day is None:
        return summary
    return replace(summary, title=f"{summary.title} · {day.isoformat()}", date=day)


def _moment(value: str | None) -> _dt.datetime:
    """An entry's date as an aware datetime to order one day's entries (a bare day, or a time
    without an offset, counts as UTC; no date sorts first)."""
    try:
        when = _dt.datetime.fromisoformat(value) if value else _dt.datetime.min
    except ValueError:
        when = _dt.datetime.min
    return when if when.tzinfo else when.replace(tzinfo=_dt.UTC)


def _fingerprint(text: str) -> str:
    from .transforms.script import to_simplified  # OpenCC's t2s, by table when it can

    flat = re.sub(r"\s+", "", text)
    return hashlib.sha256(to_simplified(flat).encode()).hexdigest() if flat else ""


def _dedupe(digests: list[Digest]) -> list[Digest]:
    """Leave out articles (or whole digests) whose text appeared earlier; warn for each."""
    seen: dict[str, str] = {}
    out = []
    for d in digests:
        titles = d.summary.article_titles
        if titles and len(d.prints) == len(titles):
            drop = set(d.drop)  # a feed's other days are already out
            for i, (title, fp) in enumerate(zip(titles, d.prints, strict=True)):
                if i in d.drop:
                    continue
                if fp and fp in seen:
                    warnings.warn(f"{d.path}: article {title!r} repeats one in {seen[fp]}; left out",
                                  stacklevel=3)  # fmt: skip
                    drop.add(i)
                    continue
                seen.setdefault(fp, str(d.path))
            if len(drop) < len(titles):
                out.append(replace(d, drop=frozenset(drop)))
        else:
            fp = d.prints[0] if d.prints else ""
            if fp and fp in seen:
                warnings.warn(f"{d.path}: repeats {seen[fp]}; left out", stacklevel=3)
                continue
            seen.setdefault(fp, str(d.path))
            out.append(d)
    return out


def _title_for(d: Digest) -> str:
    if d.summary.title:
        return d.summary.title
    arts = [t for i, t in enumerate(d.summary.article_titles) if t and i not in d.drop]
    if arts:
        return arts[0] if len(arts) == 1 else f"{arts[0]} 等 {len(arts)} 篇"
    return d.path.stem


def _loader(d: Digest, transforms: ReadOptions) -> Callable[[], Document]:
    def load() -> Document:
        from .transforms.pipeline import apply

        return apply(d.load(), transforms)

    return load


def make_book(
    digests: list[Digest],
    *,
    week: str | None = None,
    title: str | None = None,
    transforms: ReadOptions | None = None,
    root: Path | None = None,
    base_url: str | None = None,
    site_params: Mapping[str, Any] | None = None,
    author: str | None = None,
) -> Book:
    """Select, de-duplicate and order digests into a :class:`Book` whose chapters load lazily
    (converted on the way, one at a time).

    Links between the book's documents (relative, site-root, ``relref``) lead to their chapters
    (:func:`book_links`); links to other pages of the site lead to ``base_url`` when given.
    ``site_params`` are what ``{{< param "x" >}}`` finds when the page has no ``x``.
    ``author`` is the book's (default: :func:`book_author` of the selected digests).
    """

    selected = digests
    if week:
        year, num = iso_week(week)
        undated = [d for d in digests if d.date is None]
        if undated:
            warnings.warn(f"{len(undated)} undated document(s) left out of {week}", stacklevel=2)
        selected = [d for d in digests if d.date and d.date.isocalendar()[:2] == (year, num)]
    if not selected:
        where = f" for {week}" if week else ""
        raise DigestkitError(f"no documents{where} under {root or 'the archive'}; nothing written")
    from .transforms.pipeline import signature

    transforms = transforms or ReadOptions()
    script = None
    if transforms.script:  # OpenCC and the transforms are imported only when asked for
        from .transforms.script import _check, _new_lang, convert_text

        script = _check(transforms.script)
    selected = _dedupe(sorted(selected, key=_order))
    sources = _sources([d.path for d in selected], root)
    links = _links(sources, base_url)
    site = site_key(site_params or {})
    chapters = []
    for d, source in zip(selected, sources, strict=True):
        lang = specific_lang(d.summary.lang, None)
        heading = _title_for(d)
        if script:
            lang = _new_lang(lang, script)
            heading = convert_text(heading, script)
        render_key = None
        if d.key:
            render_key = chapter_key(d.key, transforms=signature(transforms),
                                     dropped=d.drop, title=heading, date=d.date,
                                     base_dir=d.path.parent,
                                     links=links_key(links, source)
                                     if getattr(d.summary, "local_links", True) else "",
                                     site=site)  # fmt: skip
        chapters.append(Chapter(base_dir=d.path.parent, date=d.date, title=heading,
                                loader=_loader(d, transforms), lang=lang,
                                articles=d.summary.articles - len(d.drop),
                                render_key=render_key, source=source))  # fmt: skip
    dates = [d.date for d in selected if d.date]
    lang = book_lang((c.lang, d.summary.chars) for c, d in zip(chapters, selected, strict=True))
    span = f"{min(dates).isoformat()} – {max(dates).isoformat()}" if dates else None
    if title is None:
        label = "每週摘要" if lang.startswith("zh-Hant") else "每周摘要"
        title = f"{label} {week}" if week else label
    return Book(title=title, lang=lang, chapters=chapters, subtitle=span, links=links,
                site_params=dict(site_params or {}),
                author=author or book_author(selected))  # fmt: skip


def _sources(paths: Sequence[Path], root: Path | None) -> list[str]:
    """Each path as the book's link map names it: relative to the archive root, POSIX (else
    its name), resolving each folder once: a path whose last part is
    not a symlink resolves to its resolved folder and its name (what ``Path.resolve`` gives,
    one ``lstat`` instead of one per part of the path; a weekly re-run resolved every digest's
    full path twice, ~0.01 s for 100 digests)."""
    if root is None:
        return [p.name for p in paths]
    base = root.resolve()
    folders: dict[Path, Path] = {}
    out = []
    for path in paths:
        if path.name in ("", ".", "..") or path.is_symlink():
            real = path.resolve()
        else:
            folder = folders.get(path.parent)
            if folder is None:
                folder = folders[path.parent] = path.parent.resolve()
            real = folder / path.name
        try:
            out.append(real.relative_to(base).as_posix())
        except ValueError:
            out.append(path.name)
    return out


def book_links(paths: Iterable[Path], root: Path | None, base_url: str | None) -> BookLinks:
    """Each document (in chapter order) → its chapter file, ``chapter-NNN.xhtml``.

    A Hugo page bundle's ``post/index.md`` also answers to ``post/`` and ``post`` (its URL);
    ``links.resolve`` tries ``x.md`` and ``x/index.md`` itself, so those are the only aliases.
    Anchors are the ids the renderer will write (:class:`~digestkit.links.WrittenIds`).
    """
    return _links(_sources(list(paths), root), base_url)


def _links(sources: Sequence[str], base_url: str | None) -> BookLinks:
    """:func:`book_links` of the documents named (in chapter order) by :func:`_sources`."""
    documents: dict[str, Target] = {}
    for n, source in enumerate(sources, 1):
        target = Target(f"chapter-{n:03d}.xhtml", WrittenIds())
        documents.setdefault(source, target)
        stem, _, name = source.rpartition("/")
        if stem and name in ("index.md", "_index.md"):
            documents.setdefault(stem + "/", target)
            documents.setdefault(stem, target)
    return BookLinks(documents=documents, base_url=base_url)


_HUGO_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml",
                 "config.yaml", "config.yml", "config.json")  # fmt: skip


def hugo_base_url(archive: Path, *, levels: int = 4) -> str | None:
    """The ``baseURL`` of the Hugo site ``archive`` lies in (its config in ``archive`` or up to
    ``levels`` parents, ``config/_default/`` included), or None.

    A config that does not parse, or whose ``baseURL`` is not an absolute http(s) URL, is
    warned about and ignored: the book can be made without it.
    """
    for path in _hugo_configs(archive, levels):
        data = _read_config(path)
        if data is not None:
            url = _config_base_url(path, data)
            if url is not None:
                return url
    return None


def hugo_site_params(archive: Path, *, levels: int = 4) -> dict[str, Any]:
    """The ``params`` of the Hugo site ``archive`` lies in (found as :func:`hugo_base_url` finds
    its config, or a ``params.*`` file beside it in ``config/_default/``), for
    ``{{< param "x" >}}``; empty when there is none. Configs that do not parse were warned
    about by :func:`hugo_base_url` and are skipped quietly here."""
    for path in _hugo_configs(archive, levels, extra=("params.toml", "params.yaml", "params.yml",
                                                      "params.json")):  # fmt: skip
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = _read_config(path)
        if data is None:
            continue
        if path.stem == "params":
            return data
        params = next((v for k, v in data.items() if str(k).lower() == "params"), None)
        if isinstance(params, dict) and params:
            return params
    return {}


def _hugo_configs(archive: Path, levels: int, extra: tuple[str, ...] = ()) -> Iterator[Path]:
    folder = archive.resolve()
    for _ in range(levels + 1):
        for where in (folder, folder / "config" / "_default"):
            for name in _HUGO_CONFIGS + (extra if where.name == "_default" else ()):
                path = where / name
                if path.is_file():
                    yield path
        if folder.parent == folder:
            break
        folder = folder.parent


def _read_config(path: Path) -> dict[str, Any] | None:
    try:
        text = path.read_text(encoding="utf-8-sig")
        data: Any
        if path.suffix == ".toml":
            import tomllib

            data = tomllib.loads(text)
        elif path.suffix == ".json":
            import json

            data = json.loads(text)
        else:
            import yaml

            data = yaml.safe_load(text)
    except Exception as exc:  # any parse error: the config is only a hint
        warnings.warn(f"{path}: not read ({type(exc).__name__}); its baseURL ignored", stacklevel=4)
        return None
    return data if isinstance(data, dict) else None


def _config_base_url(path: Path, data: dict[str, Any]) -> str | None:
    url = next((v for k, v in data.items() if str(k).lower() == "baseurl"), None)
    if url is None:
        return None
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        warnings.warn(f"{path}: baseURL {url!r} is not an absolute URL; ignored", stacklevel=3)
        return None
    return url


def _order(d: Digest) -> tuple[int, _dt.date, str]:
    return (d.date is None, d.date or _dt.date.min, str(d.path))


def _progress(enabled: bool) -> AbstractContextManager[Any]:
    if not enabled:
        return nullcontext()
    from rich.progress import Progress

    return Progress(transient=True)


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
    from . import registry
    from .options import OptionError, build, split
    from .textio import atomic_write

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
                          max_size=ropts.max_size)  # fmt: skip
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
                from .writers.pdf import DEFAULT_TIMEOUT, build_pdf

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
                from .writers.html import build_html

                page = build_html(book, allow_network=bopts.allow_network, email=bopts.email,
                                  fonts=bopts.fonts)  # fmt: skip
                fh.write(page.encode("utf-8"))
            elif isinstance(bopts, EmlOptions):
                from .writers.eml import build_eml

                fh.write(build_eml(book, allow_network=bopts.allow_network,
                                   mail_from=bopts.mail_from, mail_to=bopts.mail_to))  # fmt: skip
            else:
                from .writers.epub import prerender, write_epub

                vertical = bool(getattr(bopts, "vertical", False))
                # chapters not in the chapter cache are rendered on every core first
                prerender(book, allow_network=bopts.allow_network, vertical=vertical,
                          jobs=wopts.jobs)  # fmt: skip
                write_epub(book, fh, allow_network=bopts.allow_network, vertical=vertical,
                           embed_fonts=bool(getattr(bopts, "embed_fonts", False)),
                           fonts=bopts.fonts)  # fmt: skip
    if wopts.cache:  # once per run, after the book is written: no entry goes while in use
        from .cache import prune

        prune(cap=wopts.cache_max)
    return WeeklyResult(out, tuple(skipped or ()))
