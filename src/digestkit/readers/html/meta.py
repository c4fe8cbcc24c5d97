"""A page's metadata: ``<title>``, ``<html lang>``, ``<meta>``, Open Graph, JSON-LD, its address,
and the dates of its articles.

Decides which claim wins for each field (Open Graph over JSON-LD over ``<title>``; a language tag
only when it is one), the address a saved page's relative links are relative to (``<base>``,
canonical link, ``og:url``), an article's own publication date (never a comment's), and how a
page that is one ``<article>`` becomes that article.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ...ast import Article, Document, Heading, Meta, Text
from ...metadata import parse_web_date
from .dom import attr

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = ["article_date", "iso_date", "lang_tag", "merge_meta", "page_meta", "single_article"]

_ARTICLE_TYPES = {"Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle",
                  "AnalysisNewsArticle", "OpinionNewsArticle", "TechArticle", "Report"}  # fmt: skip


def _json_ld(tree: LexborHTMLParser) -> dict[str, Any]:
    """The first JSON-LD object typed as an article (``NewsArticle``, ``BlogPosting`` …)."""
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(node.text(deep=True) or "null")
        except ValueError:
            continue
        stack: list[Any] = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                kind = item.get("@type")
                kinds = set(kind) if isinstance(kind, list) else {kind}
                if kinds & _ARTICLE_TYPES:
                    return item
                if isinstance(item.get("@graph"), list):
                    stack.extend(item["@graph"])
    return {}


def _ld_name(value: Any) -> str | None:
    """A JSON-LD person/organisation (or list of them) as display text."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        name = value.get("name")
        return name.strip() if isinstance(name, str) and name.strip() else None
    if isinstance(value, list):
        names = [n for n in (_ld_name(v) for v in value) if n]
        return ", ".join(names) or None
    return None


def _split_keywords(value: str) -> tuple[str, ...]:
    return tuple(k.strip() for k in re.split(r"[,，、;；]", value) if k.strip())


def page_meta(tree: LexborHTMLParser) -> Meta:
    """Document metadata from ``<title>``, ``<html lang>``, ``<meta>``, Open Graph and JSON-LD."""
    named: dict[str, str] = {}
    props: dict[str, list[str]] = {}
    for node in tree.css("meta"):
        content = attr(node, "content")
        if content is None or not content.strip():
            continue
        name = attr(node, "name") or attr(node, "http-equiv")
        prop_name = attr(node, "property")
        if name:
            named.setdefault(name.strip().lower(), content.strip())
        if prop_name:
            props.setdefault(prop_name.strip().lower(), []).append(content.strip())
        elif name and ":" in name:  # twitter:* and some og:* are written with name=
            props.setdefault(name.strip().lower(), []).append(content.strip())

    def prop(key: str) -> str | None:
        values = props.get(key)
        return values[0] if values else None

    ld = _json_ld(tree)
    title_node = tree.css_first("title")
    html = tree.css_first("html")
    lang = (attr(html, "lang") or attr(html, "xml:lang")) if html is not None else None
    lang = lang_tag(lang) or lang_tag(named.get("content-language") or named.get("language"))
    title = (prop("og:title") or (ld.get("headline") if isinstance(ld.get("headline"), str) else None)
             or (title_node.text(deep=True).strip() if title_node is not None else None))  # fmt: skip
    author = named.get("author") or _ld_name(ld.get("author"))
    if author is None:
        article_author = prop("article:author")
        if article_author and not article_author.startswith(("http:", "https:")):
            author = article_author
    tags = _split_keywords(named.get("keywords", "")) + tuple(props.get("article:tag", ()))
    if not tags and isinstance(ld.get("keywords"), (str, list)):
        kw = ld["keywords"]
        tags = _split_keywords(kw) if isinstance(kw, str) else tuple(str(k) for k in kw)
    date = parse_web_date(prop("article:published_time") or _str(ld.get("datePublished"))
                 or named.get("date") or named.get("dc.date"))  # fmt: skip
    lastmod = parse_web_date(prop("article:modified_time") or _str(ld.get("dateModified")))
    canonical = tree.css_first('link[rel="canonical"]')
    source = prop("og:url") or (attr(canonical, "href") if canonical is not None else None)
    image = prop("og:image") or _ld_image(ld.get("image"))
    extra: dict[str, Any] = {}
    address = _page_address(tree, canonical, prop("og:url"))
    if address:
        extra["base_url"] = address
    for key in ("og:site_name", "og:type", "article:section"):
        if prop(key):
            extra[key] = prop(key)
    return Meta(
        title=title or None,
        lang=lang.strip() if lang and lang.strip() else None,
        description=named.get("description") or prop("og:description"),
        author=author,
        tags=tuple(dict.fromkeys(tags)),
        date=date,
        lastmod=lastmod,
        source=source,
        cover_image=image,
        extra=extra,
    )


def _page_address(
    tree: LexborHTMLParser, canonical: LexborNode | None, og_url: str | None
) -> str | None:
    """The address a saved page's relative links (``/about``, ``page2.html``) are relative to.

    A saved page has lost the URL it was served from, so its relative links lead nowhere in a
    book; the page often still states its address. In the order a browser and the page's own
    claims rank them: ``<base href>`` (what the browser resolves against), ``<link
    rel="canonical">``, ``<meta property="og:url">``. Only an absolute ``http(s)`` address
    counts (a relative ``<base href>`` is taken against the next one). Kept in
    ``Meta.extra["base_url"]`` for the renderer (``links.resolve``); the AST's URLs stay as written.
    """
    from urllib.parse import urljoin

    base_node = tree.css_first("base[href]")
    base = (attr(base_node, "href") or "").strip() if base_node is not None else ""
    claims = [(attr(canonical, "href") or "").strip() if canonical is not None else "",
              (og_url or "").strip()]  # fmt: skip
    absolute = [c for c in claims if _HTTP_URL.match(c)]
    if base and not _HTTP_URL.match(base) and absolute:
        base = urljoin(absolute[0], base)
    for candidate in (base, *absolute):
        if _HTTP_URL.match(candidate):
            return candidate
    return None


_HTTP_URL = re.compile(r"^https?://[^/\s]", re.I)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _ld_image(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _str(value.get("url"))
    if isinstance(value, list) and value:
        return _ld_image(value[0])
    return None


_PUBLISHED = ('[itemprop="datePublished"]', "time.dt-published", "time[pubdate]", "time.published",
              "time[datetime]")  # fmt: skip


def article_date(node: LexborNode) -> str | None:
    """The article's own date: the ``<time datetime>`` (or ``itemprop="datePublished"``) that
    says it was published, else its first ``<time datetime>`` — never one of a nested article
    (a comment), and only a value that parses as a date."""
    for selector in _PUBLISHED:
        for found in node.css(selector):
            if _in_nested_article(found, node):
                continue
            value = iso_date(parse_web_date(attr(found, "datetime") or attr(found, "content")))
            if value:
                return value
    return None


def _in_nested_article(found: LexborNode, article: LexborNode) -> bool:
    owner = found.parent
    while owner is not None and owner != article:
        if owner.tag == "article" or (
            owner.tag == "section" and "article" in (attr(owner, "class") or "").split()
        ):
            return True
        owner = owner.parent
    return False


_LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


def lang_tag(value: str | None) -> str | None:
    """A language tag the page gives, as writers can put it in ``lang``/``xml:lang``: the
    first of a list (``Content-Language: DE, AT, CH`` — a real saved page — is ``DE``); None
    for anything that is no tag (``lang="中文"``), which the language detection then fills."""
    if not value:
        return None
    first = re.split(r"[,;\s]+", value.strip(), maxsplit=1)[0].replace("_", "-")
    return first if _LANG_TAG.match(first) else None


def iso_date(value: _dt.datetime | _dt.date | None) -> str | None:
    """A parsed date as the ISO text :class:`~digestkit.ast.ArticleMeta` keeps: the day, or the
    date and time with the source's own offset, to the second (milliseconds when present —
    HTML's ``<time>`` takes no more)."""
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.isoformat(timespec="milliseconds" if value.microsecond else "seconds")
    return value.isoformat()


def merge_meta(first: Meta, second: Meta) -> Meta:
    """``first``'s fields win; ``second`` fills the gaps (e-mail headers over page tags)."""
    changes = {
        name: getattr(second, name)
        for name in ("title", "date", "author", "source", "lang", "description", "tags",
                     "cover_image", "lastmod")
        if getattr(first, name) in (None, ()) and getattr(second, name) not in (None, ())
    }  # fmt: skip
    return replace(first, **changes)


def single_article(doc: Document) -> Document:
    """A page that is one ``<article>`` is that article: its title and author fill the metadata.

    ``Article`` nodes are for documents holding several; wrapping a lone blog post in one would
    only add a level every writer then has to look through.
    """
    if len(doc.blocks) != 1 or not isinstance(doc.blocks[0], Article):
        return doc
    art = doc.blocks[0]
    meta = doc.meta
    meta = replace(
        meta,
        title=meta.title or art.meta.title,
        author=meta.author or art.meta.author,
        tags=meta.tags or art.meta.tags,
        lang=meta.lang or art.meta.lang,
        date=meta.date or parse_web_date(art.meta.date),
    )
    blocks = art.blocks
    if art.meta.title and art.meta.title != meta.title:
        blocks = (Heading(level=1, children=(Text(text=art.meta.title),)), *blocks)
    return Document(meta=meta, blocks=blocks)
