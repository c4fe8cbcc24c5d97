"""The book made of the selected digests: chapters, their titles and links, the book's title,
language, date span and author.

Decides each chapter's **title** (the digest's, else its one article's, else ``x 等 N 篇``,
else the file name), its **language** and the script conversion of both, its **render key**
(what the chapter cache keys a rendered chapter by), the **links between chapters** (a document
of the archive → ``chapter-NNN.xhtml``; a Hugo bundle's ``post/index.md`` also as ``post/``), and
the book's **title** (``每周摘要 2026-W09``), **language**, **subtitle** (the date span) and
**author** (the one the digests agree on, else :data:`DEFAULT_AUTHOR`). Chapters load lazily,
one at a time, converted on the way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from ..links import BookLinks, Target, WrittenIds
from ..options import ReadOptions
from ..writers.book import Book, Chapter, book_lang, chapter_key, links_key, site_key, specific_lang
from .digest import Digest
from .select import chapter_order, dedupe, in_week

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from typing import Any

    from ..ast import Document

__all__ = ["DEFAULT_AUTHOR", "book_author", "book_links", "make_book"]

#: the book's author when the digests name none, or different ones (``--author`` sets it)
DEFAULT_AUTHOR = "digestkit"


def book_author(digests: Iterable[Digest]) -> str:
    """The one author (or site name) the digests agree on — digests naming none do not count
    against it — else :data:`DEFAULT_AUTHOR`: a book of several people's digests is by none
    of them alone, and e-readers show "Unknown" for a book without a creator."""
    names = {str(d.summary.byline) for d in digests if getattr(d.summary, "byline", None)}
    return names.pop() if len(names) == 1 else DEFAULT_AUTHOR


def _title_for(d: Digest) -> str:
    if d.summary.title:
        return d.summary.title
    arts = [t for i, t in enumerate(d.summary.article_titles) if t and i not in d.drop]
    if arts:
        return arts[0] if len(arts) == 1 else f"{arts[0]} 等 {len(arts)} 篇"
    return d.path.stem


def _loader(d: Digest, transforms: ReadOptions) -> Callable[[], Document]:
    def load() -> Document:
        from ..transforms.pipeline import apply

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
    selected = in_week(digests, week, root)
    from ..transforms.pipeline import signature

    transforms = transforms or ReadOptions()
    script = None
    if transforms.script:  # OpenCC and the transforms are imported only when asked for
        from ..transforms.converters import check_profile, convert_text
        from ..transforms.script import converted_lang

        script = check_profile(transforms.script)
    selected = dedupe(sorted(selected, key=chapter_order))
    sources = _sources([d.path for d in selected], root)
    links = _links(sources, base_url)
    site = site_key(site_params or {})
    chapters = []
    for d, source in zip(selected, sources, strict=True):
        lang = specific_lang(d.summary.lang, None)
        heading = _title_for(d)
        if script:
            lang = converted_lang(lang, script)
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
