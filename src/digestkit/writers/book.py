"""The book model shared by every book writer (EPUB, PDF, the HTML page and the e-mail).

Like pandoc's ``Text/Pandoc/Chunks.hs``: what a book *is* — its chapters, their languages, what
its tables of contents list, the label of the contents page, the fonts for each Chinese script
and the key a rendered chapter is cached under — lives here, in one neutral module, so no
writer has to import another writer's private names, and every writer lays out the same book.

Pure data and pure functions: a :class:`Book` and its :class:`Chapter` s are frozen, built once
(by :func:`book_from_document` or ``archive.make_book``) and only read by the writers. What a
writer needs to know about a chapter while it renders (its title, its language, its blocks
without a repeated title) comes from :func:`chapter_content`, never from changing the chapter.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from .. import keyhash
from .._records import field
from .._records import record as dataclass  # dataclasses' classes, no exec
from ..links import BookLinks

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:  # imported where a document is at hand: a re-run that renders nothing needs
    # no AST module (~16 ms of start-up: its 33 dataclasses)
    from typing import Any, Protocol, TypeVar

    from ..ast import Block, Document, Heading

    _T = TypeVar("_T")

    class _Entry(Protocol):
        """A rendered heading, as the contents see it (``xhtml.TocEntry``)."""

        @property
        def level(self) -> int: ...
        @property
        def title(self) -> str: ...

    _E = TypeVar("_E", bound=_Entry)

__all__ = [
    "DEFAULT_LANG",
    "FONTS",
    "Book",
    "Chapter",
    "ChapterContent",
    "ScriptFonts",
    "article_day",
    "book_from_document",
    "book_lang",
    "cache_key",
    "chapter_content",
    "chapter_key",
    "chapter_lang",
    "contents_label",
    "count_articles",
    "fonts_for",
    "links_key",
    "news_items",
    "script_of",
    "site_key",
    "source_date",
    "specific_lang",
    "toc_items",
]

#: The language of a book that says nothing about its script.
DEFAULT_LANG = "zh-Hans"


def specific_lang(lang: str | None, fallback: _T) -> str | _T:
    """``lang`` when it says which script the text is in, else ``fallback``.

    The one "zh ⇒ fallback" rule: a bare ``zh`` (or no ``lang`` at all) does not say whether the
    text is Simplified or Traditional, so fonts, labels and ``xml:lang`` cannot be chosen from
    it; the book's own language (or the caller's default) is used instead.
    """
    return lang if lang and lang != "zh" else fallback


def book_lang(langs: Iterable[tuple[str | None, int]]) -> str:
    """The language of a book from its chapters' ``(lang, characters)``: the Chinese variant
    with the most text; in a book with no Chinese chapter, the language with the most text (an
    archive of English or Japanese pages is not a ``zh-Hans`` book); else :data:`DEFAULT_LANG`."""
    counts: dict[str, int] = {}
    other: dict[str, int] = {}
    for lang, chars in langs:
        if lang and lang.startswith("zh-"):
            counts[lang] = counts.get(lang, 0) + chars
        elif lang and lang != "zh":
            other[lang] = other.get(lang, 0) + chars
    counts = counts or other
    return max(counts, key=lambda k: counts[k]) if counts else DEFAULT_LANG


def contents_label(lang: str) -> str:
    """The heading of a book's contents page in its language (EPUB nav and PDF)."""
    if lang.startswith("zh-Hant"):
        return "目錄"
    return "目录" if lang.startswith("zh") else "Contents"


@dataclass(frozen=True, slots=True)
class ScriptFonts:
    """The font stacks for one Chinese script. The first face of each stack is the Noto face
    the PDF writer lays out with (and checks is installed); the others are what e-readers and
    browsers on other systems have."""

    serif: tuple[str, ...]
    sans: tuple[str, ...]

    def stack(self, kind: str = "serif", first: Sequence[str] = ()) -> str:
        """A CSS ``font-family`` value: ``first`` (faces embedded in the book), then every face
        quoted, the generic family last."""
        faces = (*first, *(self.serif if kind == "serif" else self.sans))
        return ", ".join(f'"{f}"' for f in faces) + (
            ", serif" if kind == "serif" else ", sans-serif"
        )


#: Fonts per script, the one table for EPUB and PDF (keys are the ``:lang()`` selectors).
FONTS: dict[str, ScriptFonts] = {
    "zh-Hans": ScriptFonts(
        serif=("Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun"),
        sans=("Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei"),
    ),
    "zh-Hant": ScriptFonts(
        serif=("Noto Serif CJK TC", "Source Han Serif TC", "Songti TC", "PMingLiU"),
        sans=("Noto Sans CJK TC", "Source Han Sans TC", "PingFang TC", "Microsoft JhengHei"),
    ),
    "zh-Hant-HK": ScriptFonts(
        serif=("Noto Serif CJK HK", "Noto Serif CJK TC", "Source Han Serif HC", "MingLiU_HKSCS"),
        sans=("Noto Sans CJK HK", "Noto Sans CJK TC", "PingFang HK"),
    ),
    # Japanese and Korean quotations in a Chinese digest get their own glyph forms
    "ja": ScriptFonts(
        serif=("Noto Serif CJK JP", "Source Han Serif", "Hiragino Mincho ProN", "Yu Mincho"),
        sans=("Noto Sans CJK JP", "Source Han Sans", "Hiragino Sans", "Yu Gothic"),
    ),
    "ko": ScriptFonts(
        serif=("Noto Serif CJK KR", "Source Han Serif K", "AppleMyungjo", "Batang"),
        sans=("Noto Sans CJK KR", "Source Han Sans K", "Apple SD Gothic Neo", "Malgun Gothic"),
    ),
}


def script_of(lang: str) -> str:
    """The :data:`FONTS` key for a language tag (``zh-TW`` → ``zh-Hant``, ``ja-JP`` → ``ja``;
    anything else, including ``en``, → ``zh-Hans``, whose fonts also cover Latin text)."""
    low = lang.lower()
    if low.split("-")[0] in ("ja", "ko"):
        return low.split("-")[0]
    if low.startswith("zh-hant-hk") or low == "zh-hk":
        return "zh-Hant-HK"
    if low.startswith(("zh-hant", "zh-tw")):
        return "zh-Hant"
    return "zh-Hans"


def fonts_for(lang: str) -> ScriptFonts:
    """The fonts for text in ``lang``."""
    return FONTS[script_of(lang)]


@dataclass(frozen=True)
class Chapter:
    """One chapter: a document (or how to load it), the folder its images may come from, its date.

    A weekly book of thousands of digests gives each chapter a ``loader`` instead of a document,
    so only one document is in memory at a time; ``lang`` and ``articles`` are then known ahead.
    """

    doc: Document | None = None
    base_dir: Path | None = None
    date: _dt.date | None = None
    title: str | None = None
    loader: Callable[[], Document] | None = None
    #: the chapter's language when known ahead (never a bare ``zh``); else read from its document
    lang: str | None = None
    articles: int | None = None
    #: content key (see :func:`chapter_key`): the rendered chapter may be cached under it
    render_key: str | None = None
    #: the chapter's source path as ``Book.links.documents`` names it (for relative links)
    source: str | None = None

    def document(self) -> Document:
        """The chapter's document, loading it if needed (not kept: loaders are cheap to call)."""
        if self.doc is not None:
            return self.doc
        if self.loader is None:
            raise ValueError("a chapter needs a document or a loader")
        return self.loader()


@dataclass(frozen=True)
class Book:
    """What the book writers lay out. Frozen: writers read it, never change it."""

    title: str
    lang: str
    chapters: Sequence[Chapter] = field(default_factory=tuple)
    subtitle: str | None = None
    author: str | None = None
    #: where links between the book's documents, and to their site, lead (``links.resolve``);
    #: chapter names are the EPUB's ``chapter-NNN.xhtml`` (the PDF writer maps them to its anchors)
    links: BookLinks = field(default_factory=BookLinks)
    #: the Hugo site's ``params`` (its config file), for ``{{< param "x" >}}`` after the page's own
    site_params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "chapters", tuple(self.chapters))

    def article_count(self) -> int:
        return sum(ch.articles if ch.articles is not None else count_articles(ch.document())
                   for ch in self.chapters)  # fmt: skip

    def dates(self) -> list[_dt.date]:
        return [c.date for c in self.chapters if c.date]


def chapter_key(
    content: str,
    *,
    transforms: str,
    dropped: Iterable[int],
    title: str,
    date: _dt.date | None,
    base_dir: Path,
    links: str = "",
    site: str = "",
) -> str:
    """The cache key of a rendered chapter: everything its rendering depends on — the content
    (``content``, a hash of the source), the transforms (``pipeline.signature``), dropped articles, and the chapter's own
    title and date (two copies of one file can differ in date), and ``links`` (:func:`links_key`:
    where its links lead), and ``site`` (:func:`site_key`: the site parameters ``param`` may
    print). A writer adds its own policy (``cache_key``)."""
    return f"{content}:{transforms}:{sorted(dropped)}:{title}:{date}:{base_dir}:{links}:{site}"


def site_key(site_params: Mapping[str, Any]) -> str:
    """A short hash of the site's parameters ("" for none), for :func:`chapter_key`."""
    if not site_params:
        return ""
    return keyhash.hexdigest(repr(sorted(site_params.items(), key=str)).encode())[:16]


def links_key(links: BookLinks, source: str | None) -> str:
    """What a chapter's links depend on: its own source path, the base URL and the whole map.

    The whole map, not just the documents this chapter links to: which those are is only known
    once the chapter is loaded, and the key must be known before. So a document added to or
    moved in the book re-renders every chapter — correct, if not minimal.
    """
    h = keyhash.new(f"{source}\0{links.base_url}".encode())
    for path in sorted(links.documents):
        target = links.documents[path]
        h.update(f"\0{path}\0{target.chapter}\0{type(target.anchors).__name__}".encode())
        for k in sorted(target.anchors):
            h.update(f"\0{k}={target.anchors[k]}".encode())
    return h.hexdigest()[:32]


def cache_key(ch: Chapter, *, allow_network: bool, vertical: bool = False) -> str | None:
    """The key a writer caches ``ch``'s rendered XHTML under, or None (not cacheable); vertical
    chapters mark their numbers for upright setting, so they are cached apart."""
    if not ch.render_key:
        return None
    return f"xhtml:{ch.render_key}:{allow_network}" + (":vertical" if vertical else "")


def count_articles(doc: Document) -> int:
    """How many articles (or news items) a digest holds, for the cover."""
    arts = list(doc.articles())
    return len(arts) if arts else max(1, len(news_items(doc, 1)))


def news_items(doc: Document, base_level: int) -> list[Heading]:
    """The news items of a digest: the deepest heading level (≤ 3) that occurs at least twice."""
    from ..ast import Heading

    heads = [b for b in doc.blocks if isinstance(b, Heading) and b.level > base_level]
    for level in (3, 2):
        found = [h for h in heads if h.level == level]
        if len(found) >= 2:
            return found
    return heads


@dataclass(frozen=True)
class ChapterContent:
    """What a writer renders for one chapter, decided once for every writer."""

    #: the chapter's name in the contents and the navigation
    title: str
    #: the chapter's heading (its h1)
    heading: str
    lang: str
    date: _dt.date | None
    summary: str | None
    #: the document's blocks, without a first heading that repeats the chapter title
    blocks: tuple[Block, ...]
    #: 1 when the document has level-1 headings of its own: they move down one level under
    #: the chapter title (the chapter's only h1)
    level_shift: int
    #: which rendered headings the contents list: ``(title, level before the shift)``; None
    #: for documents of articles, whose article titles are listed at level 2
    toc_wanted: frozenset[str]
    toc_levels: frozenset[int] | None
    #: the address the document's relative links are relative to (a saved page's ``<base
    #: href>``/canonical/``og:url``, read into ``meta.extra["base_url"]``), for ``links.resolve``
    page_url: str | None = None


def chapter_lang(ch: Chapter, book_lang: str, doc: Document | None = None) -> str:
    """The language chapter ``ch`` is written in: known ahead, or read from its document
    (``doc``, else loaded — only when the chapter does not know it)."""
    if ch.lang:
        return ch.lang
    lang: str = specific_lang((doc or ch.document()).meta.lang, book_lang)
    return lang


def chapter_content(ch: Chapter, doc: Document, book_lang: str, n: int) -> ChapterContent:
    """The rendering inputs of chapter ``n`` (1-based) of a book in ``book_lang``."""
    from ..ast import Article, Heading, plain_text

    blocks = doc.blocks
    shown = ch.title or doc.meta.title or "(untitled)"
    if (
        blocks
        and isinstance(blocks[0], Heading)
        and blocks[0].level == 1
        and plain_text(blocks[0]) == shown
    ):
        blocks = blocks[1:]  # the digest repeats its title as a first heading
    shift = 1 if any(isinstance(b, Heading) and b.level == 1 for b in blocks) else 0
    if any(isinstance(b, Article) for b in doc.blocks):
        wanted = frozenset(b.meta.title for b in doc.articles() if b.meta.title)
        levels = None
    else:
        items = news_items(doc, 1)
        # a heading with no text (``## <!--more-->`` in a real theme's sample post) has nothing
        # to list: an empty contents entry is an epubcheck error (RSC-005)
        wanted = frozenset(t for h in items if (t := plain_text(h).replace("\n", " ").strip()))
        levels = frozenset(h.level for h in items)
    return ChapterContent(
        title=ch.title or doc.meta.title or f"({n})",
        heading=shown,
        lang=chapter_lang(ch, book_lang, doc),
        date=ch.date,
        summary=doc.meta.summary,
        blocks=tuple(blocks),
        level_shift=shift,
        toc_wanted=wanted,
        toc_levels=levels,
        page_url=page_url if isinstance(page_url := doc.meta.extra.get("base_url"), str) else None,
    )


def toc_items(content: ChapterContent, entries: Sequence[_E]) -> list[_E]:
    """The rendered headings (``entries``: level after the shift, title) the contents list."""
    if content.toc_levels is None:
        return [e for e in entries if e.title in content.toc_wanted and e.level == 2]
    return [
        e
        for e in entries
        if e.title in content.toc_wanted and (e.level - content.level_shift) in content.toc_levels
    ]


def article_day(value: str | None) -> _dt.date | None:
    """The day an article's ISO date names, in its own offset (``2026-03-02T23:30:00-05:00``
    is the 2nd, as its publisher dated it), or None when it has none or it does not parse."""
    if not value:
        return None
    try:
        return _dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def book_from_document(
    doc: Document, *, base_dir: Path | None = None, base_url: str | None = None
) -> Book:
    """A one-document book: its articles as chapters, or the document as the one chapter."""
    from ..ast import Document, Meta

    lang = specific_lang(doc.meta.lang, DEFAULT_LANG)
    date = doc.meta.date.date() if isinstance(doc.meta.date, _dt.datetime) else doc.meta.date
    arts = list(doc.articles())
    if arts:
        chapters = [
            Chapter(
                doc=Document(
                    meta=Meta(title=a.meta.title, lang=a.meta.lang or doc.meta.lang),
                    blocks=a.blocks,
                ),
                base_dir=base_dir,
                date=article_day(a.meta.date) or date,
                title=a.meta.title,
            )
            for a in arts
        ]
    else:
        chapters = [Chapter(doc=doc, base_dir=base_dir, date=date)]
    title = doc.meta.title or (arts[0].meta.title if arts and arts[0].meta.title else "digest")
    return Book(title=title, lang=lang, chapters=chapters, author=doc.meta.author,
                links=BookLinks(base_url=base_url))  # fmt: skip


def source_date(book: Book) -> _dt.datetime:
    """When the book was "made", for reproducible output (EPUB timestamps, an e-mail's
    ``Date``): ``SOURCE_DATE_EPOCH`` when set, else midnight UTC of the newest chapter's date
    (2000-01-01 for a book without dates), never the clock."""
    import os

    env = os.environ.get("SOURCE_DATE_EPOCH")
    if env and env.strip().isdigit():
        return _dt.datetime.fromtimestamp(int(env), tz=_dt.UTC)
    dates = book.dates()
    day = max(dates) if dates else _dt.date(2000, 1, 1)
    return _dt.datetime(day.year, day.month, day.day, tzinfo=_dt.UTC)
