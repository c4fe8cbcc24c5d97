"""Reader ``html``: HTML pages, newsletters and e-mails (``.html``, ``.xhtml``, ``.eml``, ``.mhtml``).

The parser is selectolax's Lexbor engine, a full WHATWG HTML5 tree builder. Measured on 60 real
web pages (6.3 MB, trafilatura's test pages) and 14 classic malformed-markup cases (misnested
``<b><i>``, foster-parented table text, ``<div>`` in ``<p>``, headings in headings …), with
html5lib — the reference implementation of the spec — as the oracle:

=====================  ===========  ============================
parser                 60 pages     same tree as html5lib (of 14)
=====================  ===========  ============================
selectolax (Lexbor)    0.07 s       14
lxml.html (libxml2)    0.11 s       7  (libxml2 is an HTML4 parser)
html5lib               3.25 s       (the oracle)
=====================  ===========  ============================

so Lexbor gives browser-identical trees at the fastest speed (``benchmarks/html_readers.py``).

What reaches the AST is only what a reader of the page sees: ``script``, ``style``, ``template``,
form controls, ``iframe``/``object``/``embed``, hidden elements (``hidden``, ``aria-hidden``,
``display:none`` — newsletters hide their preheaders that way) never do, and no attribute is
kept except link/image URLs and titles (so no event handler can survive); ``javascript:`` and
``vbscript:`` links keep only their text. Nothing is fetched.

Whole web pages keep their main content: ``<main>`` (or ``role=main``) when present, and
navigation, page headers and footers, asides and ARIA landmarks for them are dropped. A page
with no such structure goes through trafilatura when it is installed (``digestkit[web]``); see
``docs/formats.md`` for the measured share of article text each strategy keeps.

``.eml`` and ``.mhtml`` files are read with the standard library's ``email`` package: the HTML
part (else the plain-text part), decoded with its declared charset; Subject, From and Date fill
the metadata.

The reader is a package by stage, each module answering one question:

===========  ===================================================================================
module       decides
===========  ===================================================================================
``decode``   bytes → text: the page's encoding (BOM, declared charset, ``<meta>``, UTF-8, a guess)
``mail``     whether bytes are an e-mail, which part is read, its headers and ``cid:`` images
``meta``     metadata: ``<title>``, ``<meta>``, Open Graph, JSON-LD, the page address, dates
``clean``    what never reaches the AST, and a web page's furniture
``notes``    footnote containers and bodies
``build``    the DOM → AST mapping, white space, in-page anchors
``extract``  trafilatura's main-content extraction and whether its result is enough
``dom``      node helpers the stages share
===========  ===================================================================================

:func:`read_html` here runs them in order for a page, and :class:`HtmlReader` adds the e-mail
and charset handling in front.
"""

from __future__ import annotations

import re
import sys
from typing import Literal

from ...ast import Block, Document, Meta
from ...errors import MissingDependencyError, ParseError
from .build import Builder, mark_anchors
from .clean import clean_tree, is_web_page, prune_named_furniture, several_articles
from .decode import charset_codec, decode_html, looks_like_html, sniff_head
from .extract import enough, extract_main, has_trafilatura
from .mail import embed_images, looks_like_email, plain_blocks, read_mail
from .meta import iso_date, merge_meta, page_meta, single_article
from .notes import collect_notes

__all__ = [
    "READER",
    "HtmlReader",
    "decode_html",
    "html_to_blocks",
    "iso_date",
    "looks_like_email",
    "looks_like_html",
    "read_html",
    "sniff_head",
]

Strategy = Literal["auto", "page", "all", "extract"]


def read_html(
    text: str,
    *,
    path: str | None = None,
    strategy: Strategy = "auto",
    base_meta: Meta | None = None,
) -> Document:
    """Parse HTML text into a Document (see the module docstring for what is kept).

    ``strategy``: ``"all"`` keeps everything visible; ``"page"`` drops page furniture
    (navigation, landmarks, page header/footer) and keeps ``<main>`` when there is one;
    ``"extract"`` uses trafilatura (``digestkit[web]``) to find the article; ``"auto"`` is
    ``"page"`` for pages with ``<main>``/``<article>`` or no furniture, and ``"extract"`` for
    furnished pages without them when trafilatura is installed.
    """
    from selectolax.lexbor import LexborHTMLParser

    _check_depth(text, path)
    # An XHTML internal DTD subset is never expanded (an HTML5 parser ignores DTDs: no entity
    # bombs, no external entities); drop it so its "]>" does not show as text either.
    text = _DTD_SUBSET.sub(r"\1<!DOCTYPE html>", text, count=1)
    tree = LexborHTMLParser(text)
    meta = page_meta(tree)
    if base_meta is not None:
        meta = merge_meta(base_meta, meta)
    if strategy == "auto":
        # One <main> is the author's own word on what the content is; extraction would second-
        # guess it (trafilatura drops link lists, which are what a digest is made of).
        marked = len(tree.css('main, [role="main"]')) == 1
        furnished = is_web_page(tree) and not marked and not several_articles(tree)
        strategy = "extract" if furnished and has_trafilatura() else "page"
    if strategy == "extract" and not has_trafilatura():
        raise MissingDependencyError(
            'main-content extraction needs trafilatura: pip install "digestkit[web]"'
        )
    # Furniture the markup names is dropped first, even when trafilatura decides the rest:
    # it then never sees navigation, hidden preheaders or scripts.
    clean_tree(tree, page=strategy != "all")
    body = tree.body
    if body is None:
        return Document(meta=meta)
    root = body
    if strategy != "all":
        mains = body.css('main, [role="main"]')
        if len(mains) == 1:
            root = mains[0]
        if strategy == "page":
            prune_named_furniture(root)
    builder = Builder({})
    limit = sys.getrecursionlimit()
    try:
        # Three frames per nesting level; _check_depth bounds the nesting, so this is bounded.
        sys.setrecursionlimit(max(limit, 4 * _MAX_DEPTH + 1000))
        collect_notes(builder, root)
        mark_anchors(root, builder.notes)
        if strategy == "extract":
            extracted = extract_main(f"<html><body>{root.html}</body></html>", path)
            if extracted is not None and enough(extracted, root):
                found = LexborHTMLParser(extracted).body
                root = found if found is not None else root
        blocks = builder.blocks(root, top=True)
        # Notes nobody references (a dangling back-link section) still hold text: keep it.
        for note_id, (_label, note_blocks) in builder.notes.items():
            if note_id not in builder.used_notes:
                blocks.extend(note_blocks)
    except RecursionError:
        raise ParseError("HTML nests too deeply to read", path=path) from None
    finally:
        sys.setrecursionlimit(limit)
    return single_article(Document(meta=meta, blocks=tuple(blocks)))


_MAX_DEPTH = 2000


_DTD_SUBSET = re.compile(
    r"^(\ufeff?\s*(?:<\?xml[^>]*\?>\s*)?)<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.S | re.I
)


_CONTAINER_TAG = re.compile(
    r"<(/?)(div|section|article|blockquote|span|table|ul|ol|dl|main|aside|nav|figure|em|strong|b|i|a)\b",
    re.I,
)


def _check_depth(text: str, path: str | None) -> None:
    """Refuse absurd nesting before parsing: Lexbor's tree building slows down quadratically
    with depth (100,000 nested ``<div>`` take 19 s), and no real page nests 2,000 deep.

    The estimate counts container open/close tags, which real pages close; a page leaving
    thousands of them open is refused too, which is fine.
    """
    if text.count("<") < _MAX_DEPTH:
        return
    depth = 0
    for m in _CONTAINER_TAG.finditer(text):
        depth += -1 if m.group(1) else 1
        if depth > _MAX_DEPTH:
            raise ParseError(f"HTML nests more than {_MAX_DEPTH} elements deep", path=path)


def html_to_blocks(text: str, *, path: str | None = None) -> tuple[Block, ...]:
    """Blocks of an HTML fragment, everything visible kept (feed entries, EPUB chapters)."""
    return read_html(text, path=path, strategy="all").blocks


class HtmlReader:
    """HTML5 documents and web pages, and e-mails/MHTML archives holding HTML."""

    name: str = "html"
    description: str = "HTML pages and newsletters (.html, .xhtml, .eml, .mhtml); main content kept"
    extensions: tuple[str, ...] = (".html", ".htm", ".xhtml", ".xht", ".eml", ".mhtml", ".mht")
    kind: Literal["text", "bytes"] = "bytes"

    def sniff(self, data: bytes, path: str | None) -> float:
        """Sure for an HTML opening or mail headers; likely for the extensions."""
        if isinstance(data, str):  # a caller still passing decoded text (text-only registries)
            data = data[:8192].encode("utf-8", "surrogatepass")
        if looks_like_html(data) or looks_like_email(data):
            return 0.95
        if path and path.lower().endswith(self.extensions):
            return 0.6
        head = data[:4096].lower()
        if b"<p>" in head and b"</p>" in head and head.count(b"<") > 10:
            return 0.3  # a fragment
        return 0.0

    def read(self, data: bytes, *, path: str | None = None) -> Document:
        """Parse HTML (or a message holding HTML) into a Document."""
        if isinstance(data, str):  # already decoded by a text-only caller: no charset to honour
            if not looks_like_email(data[:4096].encode("utf-8", "surrogatepass")):
                return read_html(data, path=path)
            data = data.encode("utf-8")
        is_mail = looks_like_email(data) or (
            path is not None and path.lower().endswith((".eml", ".mhtml", ".mht"))
            and not looks_like_html(data)
        )  # fmt: skip
        if not is_mail:
            return read_html(decode_html(data, path=path), path=path)
        mail = read_mail(data, path)
        base = Meta(**mail.meta)
        if mail.subtype == "html":
            doc = read_html(decode_html(mail.body, declared=mail.charset, path=path),
                            path=path, base_meta=base)  # fmt: skip
            return embed_images(doc, mail.images)
        from ...textio import decode

        charset = charset_codec(mail.charset)
        text = decode(mail.body, path=path, encoding=charset if charset != "utf-8" else None)
        return Document(meta=base, blocks=plain_blocks(text))


READER = HtmlReader()
