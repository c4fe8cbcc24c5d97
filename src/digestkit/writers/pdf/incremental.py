"""Laid-out chapter groups kept by content hash, so a re-run lays out only what changed.

Why it works: a chapter group's layout does not depend on where it lands in the book. Every
chapter starts a page, its running header comes from its own title, and the page numbers, the
contents' numbers, the links between parts and the outline are all added when the parts are
joined (``join``) from what each part reported. So a group laid out last week is still right
this week if its chapters are the same — the same content, the same chapter numbers (the ids
and internal links carry them), the same style, fonts, language and engine.

What is kept (in digestkit's :class:`~digestkit.cache.DocumentCache`):

- per group, under a hash of its chapters' keys: the member keys, its size, each chapter's
  contents entry and the :class:`~.render.Rendered` part (PDF bytes, pages, anchors, bookmarks);
- per group, under its *first* chapter's key: the group's key (the index a run looks it up by).

A chapter's key (:func:`chapter_keys`) is its ``render_key`` (the hash of its source, the
transforms, its title, date and links — made by the archive pipeline) plus its number and
everything of the book its layout reads. Chapters without a ``render_key`` (a book not built
from a cached archive) are never cached, and a group is stored only when all its chapters have
a key and none embeds images (the images could change under an unchanged digest; the EPUB's
chapter cache has the same rule).

A run walks the chapters: where a stored group starts and all its members follow in the same
order, the group is reused; the other chapters are rendered and laid out in new groups.

Appending one digest a day, the policy is amortised (``constants.SMALL_GROUPS``, *K* = 3): the
new chapter is laid out alone, as a group of its own, while fewer than *K* small stored groups
(less than half of ``GROUP_CHARS`` each) stand right before it; when *K* stand there, they are
laid out again together with it as one group. So daily re-runs lay out 1, 1, 1, 4 chapters, 1,
1, 1, 4… (mean 1.75, median 1), and the book never carries more than *K* small groups beyond
its compact grouping. That bound is what keeps the file from growing: each group embeds its
own font subsets (the run's CJK faces, subset again by WeasyPrint to the glyphs the group
draws), so a book of 30 one-chapter groups is 8.97 MB where 6 groups make 2.69 MB — each extra
small group costs ~0.2–0.3 MB (``docs/benchmarks.md``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..book import Book
from .assemble import TocRow
from .render import Rendered

__all__ = ["Group", "GroupStore", "Segment", "chapter_keys", "plan", "probe_key"]

#: Bumped when what a stored group means changes (its fields, or how a chapter is laid out
#: beyond what the keys below capture).
LAYOUT_VERSION = "1"


@dataclass(frozen=True)
class Group:
    """One laid-out chapter group, as stored."""

    #: the chapter keys of its members, in order
    members: tuple[str, ...]
    #: characters of chapter HTML it was laid out from (to tell small groups)
    chars: int
    #: each member's contents entry
    toc: tuple[TocRow, ...]
    rendered: Rendered


@dataclass(frozen=True)
class Segment:
    """A run of consecutive chapters: ``first``..``first + count - 1`` (0-based), either a
    stored group (``group``) or chapters to render and lay out now (``group`` is None)."""

    first: int
    count: int
    group: Group | None = None


def _engine_version() -> str:
    import weasyprint

    return str(weasyprint.__version__)


def chapter_keys(
    book: Book, head_body: str, *, allow_network: bool, fonts: Sequence[Path]
) -> list[str | None]:
    """Each chapter's layout key, or None when it cannot be cached (no ``render_key``).

    Besides the chapter's own ``render_key``: its number (ids and internal links carry it), its
    title and language, the book's language (the fallback for text without one), the network
    policy, the chapter groups' HTML head (the whole stylesheet: paper, fonts named), the user
    font files (path, size, modification time), and the digestkit, WeasyPrint and layout
    versions.
    """
    from ..._version import __version__

    common = hashlib.sha256()
    for part in (LAYOUT_VERSION, __version__, _engine_version(), book.lang, str(allow_network),
                 head_body):  # fmt: skip
        common.update(part.encode() + b"\0")
    common.update(_fonts_identity(fonts).encode())
    out: list[str | None] = []
    for n, ch in enumerate(book.chapters, 1):
        if not ch.render_key:
            out.append(None)
            continue
        h = common.copy()
        h.update(f"{n}\0{ch.render_key}\0{ch.title}\0{ch.lang}".encode())
        out.append(h.hexdigest())
    return out


def _fonts_identity(fonts: Sequence[Path]) -> str:
    """The user's font files as far as a layout can tell: path, size, modification time."""
    out = []
    for f in fonts:
        st = f.stat()
        out.append(f"{f.resolve()}\0{st.st_size}\0{st.st_mtime_ns}\0")
    return "".join(out)


def _group_key(members: Sequence[str]) -> str:
    return hashlib.sha256("\0".join(members).encode()).hexdigest() + "-pdfgroup"


def _index_key(first: str) -> str:
    return first + "-pdffirst"


class GroupStore:
    """Laid-out groups in a :class:`~digestkit.cache.DocumentCache` (default: the user's)."""

    def __init__(self, cache: Any = None) -> None:
        if cache is None:
            from ...cache import DocumentCache

            cache = DocumentCache()
        self.cache = cache

    def starting_at(self, keys: Sequence[str | None], i: int) -> Group | None:
        """The stored group whose members are ``keys[i:i + n]``, if any."""
        first = keys[i]
        if first is None:
            return None
        name = self.cache.get(_index_key(first))
        if not isinstance(name, str):
            return None
        group = self.cache.get(name)
        if not isinstance(group, Group) or tuple(keys[i : i + len(group.members)]) != group.members:
            return None
        return group

    def put(self, group: Group) -> None:
        """Keep ``group``, findable by its first member."""
        name = _group_key(group.members)
        self.cache.put(name, group)
        self.cache.put(_index_key(group.members[0]), name)

    def get_probe(self, key: str) -> bytes | None:
        got = self.cache.get(key)
        return got if isinstance(got, bytes) else None

    def put_probe(self, key: str, pdf: bytes) -> None:
        self.cache.put(key, pdf)


def probe_key(probe_html: str, fonts: Sequence[Path] = ()) -> str:
    """The page-number probe's key: its HTML (style, fonts named, language), the user's font
    files, the versions and digestkit's code (:func:`~digestkit.cache.code_fingerprint`: an
    edited writer must not reuse a probe laid out by the old one)."""
    from ..._version import __version__
    from ...cache import code_fingerprint

    text = (
        f"{LAYOUT_VERSION}\0{__version__}\0{code_fingerprint()}\0{_engine_version()}\0{probe_html}"
    )
    text += _fonts_identity(fonts)
    return hashlib.sha256(text.encode()).hexdigest() + "-pdfprobe"


def plan(
    keys: Sequence[str | None], store: GroupStore | None, small: int, most: int = 0
) -> list[Segment]:
    """Chapters in order as segments: stored groups to reuse, runs of chapters to lay out.

    ``small`` (characters) tells a small stored group. A run of chapters to lay out is laid out
    alone unless ``most`` small stored groups already stand right before it: then they are laid
    out again together with it, so no more than ``most`` small groups ever stand in a row (see
    the module's docstring). ``most=0``: a small group is always laid out again with the
    chapters after it.
    """
    out: list[Segment] = []
    i = 0
    while i < len(keys):
        group = store.starting_at(keys, i) if store is not None else None
        if group is not None:
            out.append(Segment(i, len(group.members), group))
            i += len(group.members)
            continue
        if out and out[-1].group is None:
            last = out[-1]
            out[-1] = Segment(last.first, last.count + 1)
        else:
            out.append(Segment(i, 1))
        i += 1
    merged: list[Segment] = []
    for seg in out:
        if seg.group is None:
            before = 0  # the small stored groups standing right before this run
            while before < len(merged):
                prev = merged[-1 - before].group
                if prev is None or prev.chars >= small:
                    break
                before += 1
            if before >= most and before:
                start = merged[-before].first
                del merged[-before:]
                seg = Segment(start, seg.first + seg.count - start)
        merged.append(seg)
    return merged
