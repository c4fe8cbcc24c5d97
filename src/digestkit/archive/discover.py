"""Which files of an archive folder the weekly job reads, how, and why every other one is left out.

This module is the one place that answers "why was this file left out of my book?". A file under
the archive folder is left out when it is

- hidden (a part of its path starts with ``.``), a symlink, or not a regular file — quietly
  (:func:`archive_files`);
- a bundle asset: an image, media, font, style or script by its extension — quietly
  (``_ASSET_SUFFIXES``: a real Hugo archive of 241 posts carried 137 of them);
- in a Hugo site (a folder holding a Hugo config beside ``content/``), anything but
  ``content/``: the config, themes, layouts, generated ``public/`` — quietly;
- a page plain ``hugo`` does not publish (a draft by its own flag, a section's ``cascade`` or a
  draft section above it) — one warning per site (:func:`~digestkit.archive.hugo_site.hugo_drafts`);
- at or under the book being written (``exclude``) — quietly (:func:`candidates`);
- written by digestkit itself (its generator mark) — a warning (:func:`candidates`);
- larger than ``--max-size`` (16 MiB, as for ``convert``) — not left out but an error that
  stops the run, or a skip with ``keep_going`` (:func:`candidates`: never read, not even from
  the cache);
- binary (a NUL in its first 8 KiB, and not an EPUB, a feed or an HTML page or e-mail) — a
  warning (:func:`read_as`);
- only white space — a warning naming it (found while reading, in
  :mod:`digestkit.archive.parse`). Text that is not UTF-8 is read as Big5 or GB18030 when its
  bytes say so clearly (with a warning), else it stops the run at its ``file:line:col`` like
  any file that does not parse.

Every other file is read, judged by content rather than extension (archives are full of ``.txt``
Markdown): a feed (RSS, Atom, JSON Feed) by the feed reader, an EPUB, a whole HTML page or an
e-mail by their bytes readers (which honour the declared charset), everything else as text in the
format its content shows (:func:`read_as`). A file that is read but does not parse stops the run
with its ``file:line:col`` (``keep_going`` skips it with a warning): a weekly book silently missing
a day is worse than no book. After reading, an article or digest can still be left out of the
book as a duplicate or for being outside the chosen week (:mod:`~digestkit.archive.select`).
"""

from __future__ import annotations

import os
import stat
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import ParseError
from ..lazyre import lazy_compile
from .hugo_site import HUGO_CONFIGS, hugo_drafts

__all__ = ["archive_files", "bytes_format", "candidates", "is_feed", "read_as"]

# Files that are never digests: the images, media, fonts and styles of Hugo page bundles and
# saved sites. Skipped without a warning (a real Hugo archive of 241 posts carried 137 of them,
# each once warned about as "binary"); any other binary file is still named in a warning.
_ASSET_SUFFIXES = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".ico", ".bmp", ".tif", ".tiff",
    ".heic", ".mp4", ".webm", ".mov", ".m4v", ".mp3", ".ogg", ".oga", ".wav", ".m4a", ".flac",
    ".pdf", ".woff", ".woff2", ".ttf", ".otf", ".eot", ".css", ".js", ".map",
})  # fmt: skip


def archive_files(root: Path) -> Iterator[Path]:
    """The archive's candidate digests, in name order.

    Hidden files and folders, symlinks and bundle assets are left out, and so is everything of a
    Hugo site but its content: in a folder that holds a ``content/`` folder beside a Hugo config
    file, only ``content/`` is read (not the config, themes, layouts or generated ``public/``).
    """
    paths = sorted(root.rglob("*"))
    sites = {p.parent for p in paths if p.name in HUGO_CONFIGS and (p.parent / "content").is_dir()}
    unpublished: set[Path] = set()
    for site in sorted(sites):
        drafts = hugo_drafts([p for p in paths if p.is_relative_to(site / "content")], site)
        if drafts:
            warnings.warn(
                f"{site / 'content'}: {len(drafts)} draft page(s) left out, as hugo leaves them out"
                f" (first: {sorted(drafts)[0].relative_to(site / 'content')})",
                stacklevel=4,  # the caller of collect (archive_files ← candidates ← collect)
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


def is_feed(data: bytes, path: str) -> bool:
    """An RSS/Atom/RDF root or a JSON Feed version URL (whatever the extension): the archive's
    other files are read as text, as before."""
    head = data[:8192]
    low = head.lower()
    if not any(mark in low for mark in _FEED_MARKS):
        return False  # most files: no need to import the feed and html readers to know
    from ..readers.feed import READER

    return READER.sniff(head, path) >= 0.9


_FEED_MARKS = (b"<rss", b"<feed", b"<rdf:rdf", b"jsonfeed.org")


# what an HTML page or an e-mail opens with (a BOM, spaces, then markup; or a header line):
# only such files make the HTML reader be imported to look closer
_MARKUP_OR_HEADER = lazy_compile(
    rb"\A(?:\xef\xbb\xbf|\xff\xfe|\xfe\xff)|\A\s*<|\A[A-Za-z0-9][A-Za-z0-9-]*:[ \t]"
)


def bytes_format(data: bytes, path: str) -> str | None:
    """``epub`` for an EPUB, ``html`` for a whole HTML page (doctype, ``<html>``), an e-mail
    (RFC 5322 headers) or any file named ``.html``/``.htm``/``.xhtml``/``.eml``/``.mhtml`` (a
    UTF-16 page without a BOM opens with no readable markup), read as bytes by their readers,
    which honour the declared charset; None for everything else (read as text, as before): a
    ``.txt`` or ``.md`` file holding a fragment such as ``<p>…</p>`` stays Markdown.
    """
    head = data[:8192]
    if head[:4] == b"PK\x03\x04":
        from ..readers.epub import READER as EPUB

        return "epub" if EPUB.sniff(head, path) >= 0.8 else None
    if head.removeprefix(b"\xef\xbb\xbf").startswith((b"---", b"+++")):
        return None  # front matter: Hugo's .html content pages are Markdown's business
    if not (_MARKUP_OR_HEADER.match(head) or path.lower().endswith(_HTML_SUFFIXES)):
        return None
    from ..readers.html import READER as HTML

    return "html" if HTML.sniff(head, path) >= 0.5 else None


_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".xht", ".eml", ".mhtml", ".mht")


def candidates(
    base: Path,
    exclude: Iterable[str | os.PathLike[str]],
    *,
    whole: bool,
    max_size: int | None = None,
) -> Iterator[tuple[str, bytes | ParseError | None]]:
    """Each file of :func:`archive_files` to read, with its bytes when ``whole`` (the cache key
    is made of them; None when it cannot be read: the parse says what is wrong with it), or
    the :class:`ParseError` of a file over ``max_size`` (None: 16 MiB; 0: no limit), unread.

    Nothing at or under a path in ``exclude`` (the book being written) is looked at, and pages,
    books and messages digestkit wrote itself (its generator mark in the file's head) are
    skipped with a one-line warning: a book of our own never comes back as a chapter.
    """
    from ..provenance import HEAD_BYTES, written_by_digestkit
    from ..textio import check_size

    excluded = [Path(x).resolve() for x in exclude]
    same, folders = _excluded_ids(excluded)
    for file in archive_files(base):
        try:
            st: os.stat_result | None = file.stat()
        except OSError:
            st = None  # the parse says what is wrong with it
        # only a file that may be one of them is resolved (~30 µs each: a lstat per component)
        maybe = st is None or folders or (st.st_dev, st.st_ino) in same
        if maybe and any(file.resolve().is_relative_to(x) for x in excluded):
            continue
        p = str(file)
        data = None
        if st is not None:
            try:
                check_size(st.st_size, p, max_size)  # the rule convert applies
            except ParseError as exc:
                yield p, exc
                continue
        try:
            with file.open("rb") as fh:  # the head decides; a book of our own is not read further
                head = fh.read(HEAD_BYTES)
                if written_by_digestkit(p, head):
                    # stacklevel: the caller of collect (candidates ← collect ← caller)
                    warnings.warn(f"{p}: skipped (written by digestkit)", stacklevel=3)
                    continue
                if whole:
                    data = head + fh.read()
        except OSError:
            pass  # the parse says what is wrong with it
        yield p, data


def _excluded_ids(excluded: list[Path]) -> tuple[set[tuple[int, int]], bool]:
    """(device, inode) of each excluded path that is an existing file, and whether one is a
    folder. A file of the archive that exists resolves to an excluded file only if it is that
    file, and to a path at or under a missing one never; so only such files, those that cannot
    be looked at, and every file when a folder is excluded, need :meth:`Path.resolve`."""
    same: set[tuple[int, int]] = set()
    folders = False
    for x in excluded:
        try:
            st = x.stat()
        except OSError:
            continue
        if stat.S_ISDIR(st.st_mode):
            folders = True
        else:
            same.add((st.st_dev, st.st_ino))
    return same, folders


def read_as(data: bytes, path: str) -> tuple[str | None, str | None]:
    """How the weekly job reads a file, by its content: ``(format, None)`` with ``feed``,
    ``epub`` or ``html`` (read as bytes by that reader) or ``text`` (decoded, then read in the
    format its text shows), else ``(None, note)``: the file is skipped and ``note`` says why.

    A feed is asked first: its XML or JSON says its encoding, and a UTF-16 feed holds NULs.
    """
    if is_feed(data, path):
        return "feed", None
    fmt = bytes_format(data, path)
    if fmt is not None:
        return fmt, None
    if b"\x00" in data[:8192]:
        return None, f"{path}: skipped (binary)"
    return "text", None
