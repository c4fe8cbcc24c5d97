"""Laid-out chapters kept by content hash, so a re-run lays out only the chapters that changed.

Why it works: a chapter's layout depends on nothing but the chapter. Every chapter starts a
page, its running header comes from its own title, and the page numbers, the contents'
numbers, the links between parts and the outline are all added when the parts are joined
(``join``) from what each part reported. Its ids and anchors carry a *tag* made from its own
key (:func:`chapter_tags`), not its number, and a link to another chapter names that chapter's
number only in the link (``n3-x``), resolved at the join. So a chapter laid out last week is
still right this week wherever it lands in the book, if its content, style, fonts, language
and engine are the same. And because every chapter starts a page, a laid-out group's pages
split into its chapters': the join can take any chapter's pages out of any stored layout.

What is kept (in digestkit's :class:`~digestkit.cache.DocumentCache`):

- per laid-out group, under a hash of its chapters' keys: a :class:`Group` — the member keys,
  each member's size, contents entry and first page, and the :class:`~.render.Rendered` part;
- per chapter, under its key: the group that laid it out last and its place there.

A chapter's key (:func:`chapter_keys`) is its ``render_key`` (the hash of its source, the
transforms, its title, date and links — made by the archive pipeline) plus everything of the
book its layout reads. Chapters without a ``render_key`` (a book not built from a cached
archive) are never cached, nor is a chapter that embeds images (the images could change under
an unchanged digest; the EPUB's chapter cache has the same rule).

**Groups are content-defined** (:func:`cut`, as content-defined chunking does for backups):
walking the chapters, a group ends after a chapter whose key's hash is even once the group
holds half of ``GROUP_CHARS``, and before a chapter that would take it past ``GROUP_CHARS``.
Where the boundaries fall depends on the chapters around them only, so an insertion, an edit or
a removal anywhere changes the groups around it and leaves the others — the same groups as the
run before, found whole in the cache.

**A re-run lays out only the new chapters** (:func:`plan`): a group found whole is reused; in a
group that changed, the chapters found in any stored layout keep their pages (taken from that
layout at the join) and the new ones are laid out — all of a run's new chapters together, in
as few layouts as ``GROUP_CHARS`` allows. Each layout a book takes pages from embeds its own
font subsets (the run's CJK faces, subset again by WeasyPrint to the glyphs the layout draws:
~0.2–0.3 MB each in the 30-digest benchmark), so the book may draw on at most
``SMALL_GROUPS`` (*K* = 3) layouts more than it has groups; past that, what costs fewest
characters per layout taken out is laid out again (``fold``): most often the one chapter an
earlier re-run laid out alone, laid out again beside the new one, else a changed group whole.
So daily re-runs lay out one chapter, now and then two (or a group), and the file stays within
*K* layouts of a cold build's (``docs/benchmarks.md``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..._records import record as dataclass  # dataclasses' classes, no exec
from ..book import Book
from .assemble import TocRow
from .render import Rendered

__all__ = [
    "Group",
    "GroupStore",
    "Located",
    "chapter_keys",
    "chapter_tags",
    "cut",
    "front_key",
    "plan",
    "probe_key",
]

#: Bumped when what a stored group means changes (its fields, or how a chapter is laid out
#: beyond what the keys below capture).
LAYOUT_VERSION = "2"
#: A group may end after a chapter whose key's hash is divisible by this (once it holds half
#: of ``GROUP_CHARS``): groups of ~3–5 digests of 10,000 characters.
CUT_ONE_IN = 2


@dataclass(frozen=True)
class Group:
    """One laid-out chapter group, as stored."""

    #: the chapter keys of its members, in order
    members: tuple[str, ...]
    #: each member's characters of chapter HTML (for the content-defined cut)
    chars: tuple[int, ...]
    #: each member's contents entry
    toc: tuple[TocRow, ...]
    #: each member's first page in ``rendered`` (a member ends where the next starts)
    starts: tuple[int, ...]
    rendered: Rendered

    def pages(self, index: int) -> tuple[int, int]:
        """Member ``index``'s pages in ``rendered``: first, and one past the last."""
        end = self.starts[index + 1] if index + 1 < len(self.starts) else self.rendered.pages
        return self.starts[index], end


@dataclass(frozen=True)
class Located:
    """Where a chapter's pages are stored: a group (by its cache name) and its place there."""

    name: str
    index: int
    group: Group


def _engine_version() -> str:
    from .engine import engine_version  # read, not imported: a re-run may lay nothing out

    return engine_version()


def chapter_keys(
    book: Book, head_body: str, *, allow_network: bool, fonts: Sequence[Path]
) -> list[str | None]:
    """Each chapter's layout key, or None when it cannot be cached (no ``render_key``).

    Besides the chapter's own ``render_key``: its title and language, the book's language (the
    fallback for text without one), the network policy, the chapter groups' HTML head (the
    whole stylesheet: paper, fonts named), the user font files (path, size, modification
    time), and the digestkit, WeasyPrint and layout versions. Not its number: nothing of its
    layout carries it (the tag of its ids is made from this key). Only a chapter without a
    title (shown as "(n)") and the second of two identical chapters (their tags must differ)
    add their place.
    """
    from ..._version import __version__

    common = hashlib.sha256()
    for part in (LAYOUT_VERSION, __version__, _engine_version(), book.lang, str(allow_network),
                 head_body):  # fmt: skip
        common.update(part.encode() + b"\0")
    common.update(_fonts_identity(fonts).encode())
    out: list[str | None] = []
    seen: dict[str, int] = {}
    for n, ch in enumerate(book.chapters, 1):
        if not ch.render_key:
            out.append(None)
            continue
        h = common.copy()
        h.update(f"{ch.render_key}\0{ch.title}\0{ch.lang}".encode())
        if not ch.title:
            h.update(f"\0{n}".encode())
        key = h.hexdigest()
        again = seen.get(key, 0)
        seen[key] = again + 1
        if again:
            key = hashlib.sha256(f"{key}\0{again}".encode()).hexdigest()
        out.append(key)
    return out


def chapter_tags(keys: Sequence[str | None]) -> list[str]:
    """The prefix of each chapter's ids and anchors: ``k`` + its key's first 16 hex digits for
    a cached chapter (the same wherever it lands), ``c<n>`` for one that is never cached."""
    return [f"k{key[:16]}" if key else f"c{n}" for n, key in enumerate(keys, 1)]


def _fonts_identity(fonts: Sequence[Path]) -> str:
    """The user's font files as far as a layout can tell: path, size, modification time."""
    out = []
    for f in fonts:
        st = f.stat()
        out.append(f"{f.resolve()}\0{st.st_size}\0{st.st_mtime_ns}\0")
    return "".join(out)


def _group_key(members: Sequence[str]) -> str:
    return hashlib.sha256("\0".join(members).encode()).hexdigest() + "-pdfgroup"


def _chapter_index(key: str) -> str:
    return key + "-pdfchapter"


class GroupStore:
    """Laid-out groups in a :class:`~digestkit.cache.DocumentCache` (default: the user's)."""

    def __init__(self, cache: Any = None) -> None:
        if cache is None:
            from ...cache import DocumentCache

            cache = DocumentCache()
        self.cache = cache

    def locate(self, keys: Sequence[str | None]) -> list[Located | None]:
        """Where each chapter was laid out last (None: nowhere, or not cacheable); each stored
        group is read once."""
        groups: dict[str, Group | None] = {}
        out: list[Located | None] = []
        for key in keys:
            found = self.cache.get(_chapter_index(key)) if key else None
            if not (isinstance(found, tuple) and len(found) == 2):
                out.append(None)
                continue
            name, index = found
            if name not in groups:
                got = self.cache.get(name)
                groups[name] = got if isinstance(got, Group) else None
            group = groups[name]
            if group is None or not 0 <= index < len(group.members) or group.members[index] != key:
                out.append(None)
            else:
                out.append(Located(name, index, group))
        return out

    def put(self, group: Group, reusable: Sequence[bool]) -> None:
        """Keep ``group``; its ``reusable`` members are found in it from now on."""
        name = _group_key(group.members)
        self.cache.put(name, group)
        for index, (key, ok) in enumerate(zip(group.members, reusable, strict=True)):
            if ok:
                self.cache.put(_chapter_index(key), (name, index))

    def get_bytes(self, key: str) -> bytes | None:
        got = self.cache.get(key)
        return got if isinstance(got, bytes) else None

    def put_bytes(self, key: str, pdf: bytes) -> None:
        self.cache.put(key, pdf)

    def get_front(self, key: str) -> Rendered | None:
        got = self.cache.get(key)
        return got if isinstance(got, Rendered) else None

    def put_front(self, key: str, front: Rendered) -> None:
        self.cache.put(key, front)


def _code_key(kind: str, html: str, fonts: Sequence[Path]) -> str:
    from ..._version import __version__
    from ...cache import code_fingerprint

    text = f"{LAYOUT_VERSION}\0{__version__}\0{code_fingerprint()}\0{_engine_version()}\0{html}"
    text += _fonts_identity(fonts)
    return hashlib.sha256(text.encode()).hexdigest() + kind


def probe_key(probe_html: str, fonts: Sequence[Path] = ()) -> str:
    """The page-number probe's key: its HTML (style, fonts named, language), the user's font
    files, the versions and digestkit's code (:func:`~digestkit.cache.code_fingerprint`: an
    edited writer must not reuse a probe laid out by the old one)."""
    return _code_key("-pdfprobe", probe_html, fonts)


def front_key(front_html: str, fonts: Sequence[Path] = ()) -> str:
    """The title page and contents' key, as :func:`probe_key`: their HTML says everything
    they show (an edit that leaves every title and count as it was lays them out again not)."""
    return _code_key("-pdffront", front_html, fonts)


def cut(
    keys: Sequence[str | None], chars: Sequence[int], low: int, high: int
) -> list[tuple[int, int]]:
    """Content-defined groups: ``(first, end)`` ranges of chapters, in order.

    A group ends after a chapter whose key's hash is divisible by :data:`CUT_ONE_IN` once it
    holds ``low`` characters, and before a chapter that would take it past ``high``. Where a
    boundary falls depends on the chapters since the one before, so a change moves the
    boundaries up to the next one both versions of the book agree on, and no further.
    """
    out: list[tuple[int, int]] = []
    first = held = 0
    for i, (key, size) in enumerate(zip(keys, chars, strict=True)):
        if held and held + size > high:
            out.append((first, i))
            first, held = i, 0
        held += size
        if held >= low and key and int(key[-8:], 16) % CUT_ONE_IN == 0:
            out.append((first, i + 1))
            first, held = i + 1, 0
    if first < len(keys):
        out.append((first, len(keys)))
    return out


def plan(
    groups: Sequence[tuple[int, int]],
    located: Sequence[Located | None],
    chars: Sequence[int],
    high: int,
    most: int,
    slack: int = 0,
) -> list[list[int]]:
    """The layouts to run now, each a list of chapters (0-based, in order); every other
    chapter's pages come from where it is ``located``.

    A group found whole (its chapters the members of one stored group, in order) is reused.
    In a changed group, chapters found anywhere keep their pages and the new ones are laid out
    — all of them together, cut at ``high`` characters — unless nothing of the group is
    stored (a cold build: it is laid out as it is). While the book would draw on more than
    ``len(groups) + most`` layouts, what costs fewest characters per layout taken out is laid
    out again (``fold``): a stored layout's few chapters with the new ones, or a changed group
    whole — the latter, in the old order (those drawing on the most layouts, then the
    smallest, then the first), when nothing cheaper helps. Once it must, it goes on to
    ``slack`` layouts below the bound (never below ``len(groups)``), so the next re-runs need
    not.
    """
    from .fold import fold

    changed = [k for k, g in enumerate(groups) if not _is_whole(g, located)]
    relaid = {k for k in changed if all(located[i] is None for i in range(*groups[k]))}

    def sources(k: int) -> int:
        first, end = groups[k]
        names = {at.name for i in range(first, end) if (at := located[i]) is not None}
        return len(names) + any(located[i] is None for i in range(first, end))

    order = sorted((k for k in changed if k not in relaid),
                   key=lambda k: (-sources(k), _size(groups[k], chars), k))  # fmt: skip
    bound = len(groups) + most
    target = len(groups) + max(0, most - slack)  # never below a cold build's layouts
    relaid, absorbed = fold(groups, located, chars, high, bound, target, changed, relaid,
                            order)  # fmt: skip
    new = [i for k, (first, end) in enumerate(groups) if k not in relaid
           for i in range(first, end)
           if (at := located[i]) is None or at.name in absorbed]  # fmt: skip
    return [list(range(*groups[k])) for k in sorted(relaid)] + _by_size(new, chars, high)


def _is_whole(group: tuple[int, int], located: Sequence[Located | None]) -> bool:
    first, end = group
    head = located[first]
    if head is None or head.index != 0 or len(head.group.members) != end - first:
        return False
    return all(
        (at := located[i]) is not None and at.name == head.name and at.index == i - first
        for i in range(first, end)
    )


def _size(group: tuple[int, int], chars: Sequence[int]) -> int:
    return sum(chars[group[0] : group[1]])


def _by_size(chapters: Sequence[int], chars: Sequence[int], high: int) -> list[list[int]]:
    """``chapters`` cut into as few runs of at most about ``high`` characters as their sizes
    allow (about equal: one big and one tiny layout would wait on the big one)."""
    from .assemble import groups

    return groups(chapters, chars, high, 1)
