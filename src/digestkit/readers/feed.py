"""Reader ``feed``: RSS 0.9x/1.0/2.0, Atom and JSON Feed files → one document, an article per entry.

XML feeds are parsed by feedparser, which copes with the dialects' many date formats, author
forms and broken markup, and sanitises entry HTML; JSON Feed (1.0 and 1.1), which feedparser does
not read, is read here from its specification. Each entry's HTML goes through the ``html``
reader (everything visible kept), its plain text becomes paragraphs.

Before feedparser sees XML, defusedxml checks it: any entity declaration (the "billion laughs"
expansion) or external entity is refused with an error naming the file. Nothing is fetched:
feedparser is only ever given bytes, never a URL.

:meth:`FeedReader.read` gives an :class:`~digestkit.ast.Article` per entry, in the feed's order,
its ``date`` the entry's published date (else its updated date) as ISO text with the entry's own
UTC offset; the weekly job dates each entry by it (:func:`digestkit.archive.feed_items`).
:func:`read_entries` gives one :class:`~digestkit.ast.Document` per entry instead, with the
typed ``Meta.date`` and ``lastmod``.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import time
import warnings
from typing import Any, Literal

from ..ast import Article, ArticleMeta, Block, Document, Meta, Paragraph, SoftBreak, Text
from ..errors import ParseError

__all__ = ["READER", "FeedReader", "read_entries", "read_feed"]

_XML_FEED = re.compile(
    rb"^(\xef\xbb\xbf)?\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*|<\?xml-stylesheet[^>]*>\s*|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>\s*)*"
    rb"<(?:[A-Za-z_][\w.-]*:)?(rss|feed|RDF)\b",  # a prefixed root too: <r:rss>, <atom:feed>
    re.S | re.I,
)
# PHP's json_encode writes "https:\/\/jsonfeed.org\/version\/1" (NPR's feeds do): both forms
_JSON_FEED = re.compile(
    rb'^\s*\{.{0,2000}?"version"\s*:\s*"https?:\\?/\\?/jsonfeed\.org\\?/version\\?/', re.S
)


def _is_json_feed(data: bytes) -> bool:
    return bool(_JSON_FEED.match(data[:4096]))


def _check_xml(data: bytes, path: str | None) -> None:
    """Refuse entity declarations and external entities before any parser expands them."""
    from ..safexml import refuse_entities

    refuse_entities(data, path=path)


def _when(raw: str | None, parsed: time.struct_time | None) -> _dt.datetime | _dt.date | None:
    """The entry's date with its own UTC offset when the text has one (feedparser's parsed form
    is converted to UTC and loses it)."""
    if raw:
        from ..metadata import parse_web_date

        found = parse_web_date(raw)
        if found is not None:
            return found
    if parsed is not None:
        return _dt.datetime(*parsed[:6], tzinfo=_dt.UTC)
    return None


def _body(value: str, kind: str, path: str | None) -> tuple[Block, ...]:
    if not value.strip():
        return ()
    if "html" in kind or re.search(
        r"<(p|div|br|a|img|ul|ol|h\d|table|pre|blockquote)\b", value, re.I
    ):
        from .html import html_to_blocks

        return html_to_blocks(value, path=path)
    out: list[Block] = []
    for chunk in re.split(r"\n\s*\n", value.strip()):
        inlines: list[Any] = []
        for i, line in enumerate(chunk.split("\n")):
            if i:
                inlines.append(SoftBreak())
            if line.strip():
                inlines.append(Text(text=line.strip()))
        if inlines:
            out.append(Paragraph(children=tuple(inlines)))
    return tuple(out)


def _names(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_names(v) for v in value) if n]
        return ", ".join(names) or None
    return None


def _json_feed(data: bytes, path: str | None) -> tuple[Meta, list[Document]]:
    try:
        feed = json.loads(data.decode("utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"not a valid JSON Feed: {exc.msg}", path=path, line=exc.lineno, column=exc.colno
        ) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ParseError(f"not a valid JSON Feed: {exc}", path=path) from None
    if not isinstance(feed, dict) or not isinstance(feed.get("items", []), list):
        raise ParseError("not a valid JSON Feed: no items list", path=path)
    lang = feed.get("language") if isinstance(feed.get("language"), str) else None
    meta = Meta(
        title=_str(feed.get("title")),
        description=_str(feed.get("description")),
        source=_str(feed.get("home_page_url")) or _str(feed.get("feed_url")),
        author=_names(feed.get("authors") or feed.get("author")),
        lang=lang,
    )
    entries = []
    for item in feed["items"]:
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("content_html"), str):
            blocks = _body(item["content_html"], "html", path)
        else:
            blocks = _body(
                _str(item.get("content_text")) or _str(item.get("summary")) or "", "text", path
            )
        tags = item.get("tags")
        entries.append(
            Document(
                meta=Meta(
                    title=_str(item.get("title")),
                    source=_str(item.get("url")) or _str(item.get("external_url")),
                    date=_when(_str(item.get("date_published")), None),
                    lastmod=_when(_str(item.get("date_modified")), None),
                    author=_names(item.get("authors") or item.get("author")) or meta.author,
                    tags=tuple(str(t) for t in tags) if isinstance(tags, list) else (),
                    summary=_str(item.get("summary")),
                    cover_image=_str(item.get("image")),
                    lang=_str(item.get("language")) or lang,
                ),
                blocks=blocks,
            )
        )
    return meta, entries


_TAG = re.compile(r"</?[A-Za-z][^>]*>|<!--.*?-->", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SPACES = re.compile(r"[ \t\n\r\f\v]+")


def _title(item: Any) -> str | None:
    """The item's title as readers see it. feedparser hands an Atom ``type="html"``/``"xhtml"``
    title (and an RSS title that looks like markup) over as HTML — ``&amp;``, ``<em>`` — which
    a title field would show literally; its tags and comments go and its entities are decoded.
    A whole ``<!-- … -->`` goes from a plain-text title too: an escaped comment there is a
    publishing tool's leftover, never words to read."""
    value = item.get("title")
    if not isinstance(value, str):
        return None
    if "html" in (item.get("title_detail") or {}).get("type", ""):
        import html

        value = html.unescape(_TAG.sub("", value))
    else:
        value = _COMMENT.sub("", value)
    # runs of ASCII white space are one space; a no-break space (&nbsp;) is the author's
    return _SPACES.sub(" ", value).strip() or None


def _str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _xml_feed(data: bytes, path: str | None) -> tuple[Meta, list[Document]]:
    import feedparser

    from ..xmlbytes import numeric_entities, utf8_xml

    data = utf8_xml(data)  # UTF-16/32, with or without a BOM, checked and parsed as UTF-8
    _check_xml(data, path)
    data = numeric_entities(data)  # &nbsp; as feedparser reads it, declarations refused above
    # Bytes, never a str: feedparser fetches a string that looks like a URL.
    parsed = feedparser.parse(data, resolve_relative_uris=False, sanitize_html=True)
    reason = parsed.get("bozo_exception")
    line, column = _xml_position(reason, data)
    # No entries and broken XML (or no feed at all) is a broken file, not an empty feed.
    if not parsed.entries and (not parsed.get("version") or line is not None):
        message = getattr(reason, "getMessage", lambda: reason)() if reason else None
        raise ParseError(f"not an RSS or Atom feed{f': {message}' if message else ''}", path=path,
                         line=line, column=column)  # fmt: skip
    if line is not None:
        # feedparser's lenient parser read on past it: say where, since entries may be lost
        where = ParseError(f"feed is not well-formed XML ({reason.getMessage()}); read leniently",
                           path=path, line=line, column=column)  # fmt: skip
        warnings.warn(str(where), stacklevel=4)
    feed = parsed.feed
    lang = feed.get("language") or None
    meta = Meta(
        title=_title(feed),
        description=feed.get("subtitle") or None,
        source=feed.get("link") or None,
        author=_person(feed),
        lang=lang,
        date=_when(
            dict.get(feed, "updated") or dict.get(feed, "published"),
            dict.get(feed, "updated_parsed") or dict.get(feed, "published_parsed"),
        ),
    )
    # dict.get, not .get, for the dates: FeedParserDict maps a missing "updated" to "published"
    # with a DeprecationWarning, and the two mean different things here.
    entries = []
    for entry in parsed.entries:
        contents = entry.get("content") or []
        if contents:
            # one entry may carry the same text twice (text/plain and text/html): take the HTML
            best = next((c for c in contents if "html" in c.get("type", "")), contents[0])
            value = best.get("value", "")
            kind = best.get("type", "text/html")
        else:
            detail = entry.get("summary_detail") or {}
            value = entry.get("summary", "")
            kind = detail.get("type", "text/html")
        summary = entry.get("summary") if contents else None
        entries.append(
            Document(
                meta=Meta(
                    title=_title(entry),
                    source=entry.get("link") or None,
                    date=_when(
                        dict.get(entry, "published") or dict.get(entry, "updated"),
                        dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed"),
                    ),
                    lastmod=_when(dict.get(entry, "updated"), dict.get(entry, "updated_parsed"))
                    if dict.get(entry, "published")
                    else None,
                    author=_person(entry) or meta.author,
                    tags=tuple(t.get("term") for t in entry.get("tags", []) if t.get("term")),
                    summary=summary or None,
                    lang=(entry.get("content") or [{}])[0].get("language") or lang,
                ),
                blocks=_body(value, kind, path),
            )
        )
    return meta, entries


def _xml_position(reason: Any, data: bytes) -> tuple[int | None, int | None]:
    """Where expat stopped (a ``SAXParseException``'s line and 1-based column), if it did, in
    the file's own lines: feedparser puts an XML declaration and a newline in front of a feed
    that has none, one line expat counts."""
    try:
        line, column = int(reason.getLineNumber()), int(reason.getColumnNumber()) + 1
    except (AttributeError, TypeError, ValueError):
        return None, None
    if not _DECLARED.match(data):
        line = max(1, line - 1)
    return line, column


_DECLARED = re.compile(rb"^(\xef\xbb\xbf)?<\?xml")


def _person(item: Any) -> str | None:
    """A display name: feedparser's ``author_detail.name`` over its "email (name)" string."""
    detail = item.get("author_detail") or {}
    name = detail.get("name") or item.get("author")
    return name.strip() or None if isinstance(name, str) else None


_XML_ENCODING = re.compile(r"""^(\ufeff?\s*<\?xml[^>]*?encoding\s*=\s*)["'][^"']*["']""")


def read_feed(data: bytes, *, path: str | None = None) -> tuple[Meta, list[Document]]:
    """The feed's own metadata, and one Document per entry (``Meta.date`` = the entry's date)."""
    if isinstance(data, str):  # decoded by a text-only caller: re-encode, and say so in the prolog
        data = _XML_ENCODING.sub(r'\1"utf-8"', data).encode("utf-8")
    if _is_json_feed(data):
        return _json_feed(data, path)
    return _xml_feed(data, path)


def read_entries(data: bytes, *, path: str | None = None) -> list[Document]:
    """One Document per entry, each dated by its own date — what the weekly job needs."""
    return read_feed(data, path=path)[1]


def _without_title(blocks: tuple[Block, ...], title: str | None) -> tuple[Block, ...]:
    """An entry's body without a first heading that only repeats the entry's title (Hugo's
    full-content feeds begin so): the article shows its title once."""
    from ..ast import Heading, plain_text

    first = blocks[0] if blocks else None
    if title and isinstance(first, Heading) and plain_text(first).strip() == title.strip():
        return blocks[1:]
    return blocks


class FeedReader:
    """RSS / Atom / JSON Feed: the feed is the document, each entry an :class:`Article`."""

    name: str = "feed"
    description: str = "RSS 0.9x/1.0/2.0, Atom and JSON Feed; an article per entry"
    extensions: tuple[str, ...] = (".rss", ".atom", ".rdf", ".feed")
    kind: Literal["text", "bytes"] = "bytes"

    def sniff(self, data: bytes, path: str | None) -> float:
        """Sure for an ``<rss>``/``<feed>``/``<rdf:RDF>`` root or a JSON Feed version URL."""
        if isinstance(data, str):  # a caller still passing decoded text (text-only registries)
            data = data[:8192].encode("utf-8", "surrogatepass")
        from ..xmlbytes import utf8_xml
        from .html import sniff_head

        head = sniff_head(utf8_xml(data[:16384], strict=False))
        if _XML_FEED.match(head) or _is_json_feed(head):
            return 0.95
        if path and path.lower().endswith(self.extensions):
            return 0.6
        return 0.0

    def read(self, data: bytes, *, path: str | None = None) -> Document:
        """The whole feed, an article per entry dated by the entry's own date."""
        from .html import iso_date

        meta, entries = read_feed(data, path=path)
        articles: list[Block] = [
            Article(
                meta=ArticleMeta(
                    title=e.meta.title,
                    source=e.meta.source,
                    author=e.meta.author,
                    tags=e.meta.tags,
                    lang=e.meta.lang if e.meta.lang != meta.lang else None,
                    date=iso_date(e.meta.date),
                ),
                blocks=_without_title(e.blocks, e.meta.title),
            )
            for e in entries
        ]
        return Document(meta=meta, blocks=tuple(articles))


READER = FeedReader()
