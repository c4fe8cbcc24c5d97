"""What the weekly book knows of one document of the archive, without holding it.

Decides a digest's **date** (its front matter, else a ``YYYY-MM-DD``/``YYYYMMDD`` in its file
name, else undated: kept after the dated ones, left out when a week is chosen), its **title**
(the document's, else a level-1 heading opening it), its **byline** (author, else site name),
whether it has **links the book rewrites**, and the **fingerprints** that find the same article
twice (its text without white space, in Simplified, hashed). :class:`Summary` holds these, small
enough to travel back from a worker and to sit in the folder's summary index; :class:`Digest`
adds where the document is (in memory, or in the cache under its key) and which of its articles
the book leaves out.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable
from pathlib import Path

from .. import keyhash
from .._records import record as dataclass  # dataclasses' classes, no exec
from ..lazyre import lazy_compile

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from typing import Any

if TYPE_CHECKING:  # imported where a document is at hand: a re-run whose digests are all
    # in the cache needs no AST module (~16 ms of start-up: its 33 dataclasses)
    from ..ast import Document

__all__ = ["Digest", "Summary", "date_from_name", "fingerprints", "summarize"]

_NAME_DATE = lazy_compile(r"(20\d{2}|19\d{2})-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])")


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
        from ..ast import Article, Document

        doc = self.doc
        if doc is None:
            from ..cache import DocumentCache

            cached = DocumentCache().get(self.key) if self.key else None
            doc = cached if isinstance(cached, Document) else None
        if doc is None:  # the cache entry went away: read the file again
            from ..api import load

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


def date_from_name(path: Path) -> _dt.date | None:
    m = _NAME_DATE.search(path.name)
    if m:
        try:
            return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return None


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
    from ..ast import plain_text
    from ..writers.book import count_articles

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
    from ..ast import Heading, plain_text

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


_ABSOLUTE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//|#)")


def _has_local_links(doc: Document) -> bool:
    """Any link the book's link map or base URL could change (see :mod:`digestkit.links`).

    A plain traversal that stops at the first one (``ast.walk`` would rebuild the whole tree)."""
    from ..ast import Link, ShortcodeInline, children_of

    stack: list[Any] = [doc]
    while stack:
        node = stack.pop()
        if (isinstance(node, Link) and not _ABSOLUTE.match(node.url.strip())) or (
            isinstance(node, ShortcodeInline) and node.name in ("ref", "relref")
        ):
            return True
        stack.extend(children_of(node))
    return False


def fingerprints(doc: Document, *, text: str | None = None) -> tuple[str, ...]:
    """De-duplication fingerprints: one per article, or one for the whole document
    (``text``: its ``plain_text`` when known)."""
    from ..ast import plain_text

    arts = list(doc.articles())
    return (
        tuple(_fingerprint(plain_text(a)) for a in arts)
        if arts
        else (_fingerprint(plain_text(doc) if text is None else text),)
    )


def _fingerprint(text: str) -> str:
    from ..transforms.script import to_simplified  # OpenCC's t2s, by table when it can

    flat = re.sub(r"\s+", "", text)
    return keyhash.hexdigest(to_simplified(flat).encode()) if flat else ""
