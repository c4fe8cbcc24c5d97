"""Writer ``eml``: the book as a ready e-mail (RFC 5322 / MIME), built with the standard library.

``multipart/alternative``: a ``text/plain`` part first (the page's text, readable as is: Markdown-
like headings, lists and ``text <URL>`` links) and the e-mail-safe HTML page last, the part
clients prefer. Local images travel with the HTML as ``multipart/related`` parts named by
``cid:`` — ``data:`` URIs, which Gmail and Outlook refuse, are not used. Remote images are
links unless ``allow_network`` (then hot-linked: the reader's client loads them).

Headers: ``Subject`` is the book's title (RFC 2047-encoded when not ASCII), ``Date`` is
``book.source_date`` (``SOURCE_DATE_EPOCH``, else the newest digest's date) and ``Message-ID``
a hash of the content, so the same archive gives the same bytes; ``From``/``To`` when given.
Everything is UTF-8; lines end in CRLF as on the wire (``email.policy.SMTP``).
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from html.parser import HTMLParser
from pathlib import Path

from ..ast import Document
from ..errors import DigestkitError
from ..options import EmlOptions
from ..provenance import generator
from .book import Book, book_from_document, source_date
from .html import Page, build_page
from .html_email import email_html
from .xhtml import Asset

__all__ = ["WRITER", "EmlWriter", "build_eml", "page_text"]

_BLOCKS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "section", "header",
    "nav", "main", "div", "table", "tr", "figure", "figcaption", "aside", "hr", "ol", "ul",
    "details", "summary", "dl", "dt", "dd", "caption",
})  # fmt: skip


class _PlainText(HTMLParser):
    """The renderer's XHTML as plain text: one paragraph per block, blank lines between."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[tuple[str, bool]] = []  # (text, is a list item)
        self.buf: list[str] = []
        self.prefix = ""  # a list item's marker or a heading's hashes, for the next paragraph
        self.lists: list[list[int]] = []  # per open list: [next number] (0: bullets)
        self.quote = 0
        self.pre = 0
        self.links: list[str | None] = []
        self.cell = 0

    def _flush(self) -> None:
        text = "".join(self.buf)
        self.buf = []
        text = text.strip("\n") if self.pre else re.sub(r"[ \t\r\n]+", " ", text).strip()
        if not text:
            return
        item = bool(self.lists) and bool(self.prefix)
        text = self.prefix + text
        self.prefix = ""
        if self.quote:
            text = "\n".join("> " * self.quote + line for line in text.split("\n"))
        self.paragraphs.append((text, item))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in _BLOCKS:
            self._flush()
        if tag in ("ul", "ol"):
            self.lists.append([int(a.get("start") or 1) if tag == "ol" else 0])
        elif tag == "li" and self.lists:
            counter = self.lists[-1]
            marker = f"{counter[0]}. " if counter[0] else "- "
            counter[0] += 1 if counter[0] else 0
            self.prefix = "   " * (len(self.lists) - 1) + marker
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.prefix = "#" * int(tag[1]) + " "
        elif tag == "blockquote":
            self.quote += 1
        elif tag == "pre":
            self.pre += 1
        elif tag == "br":
            self.buf.append("\n" if self.pre else " ")
        elif tag == "hr":
            self.paragraphs.append(("* * *", False))
        elif tag in ("td", "th"):
            if self.cell:
                self.buf.append(" | ")
            self.cell += 1
        elif tag == "img":
            src = a.get("src") or ""
            alt = a.get("alt") or ""
            self.buf.append(f"[{alt}]" + (f" <{src}>" if src.startswith("http") else ""))
        elif tag == "a":
            href = a.get("href") or ""
            self.links.append(href if re.match(r"(https?|mailto):", href) else None)
            self.buf.append("\x00")  # where the link text starts
        elif tag == "sup":
            self.buf.append("[")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.links:
            href = self.links.pop()
            joined = "".join(self.buf)
            start = joined.rfind("\x00")
            text = joined[start + 1 :]
            shown = text if not href or href.removeprefix("mailto:") in (text, text.strip()) else (
                f"{text} <{href}>"
            )  # fmt: skip
            self.buf = [joined[:start], shown]
            return
        if tag == "sup":
            self.buf.append("]")
            return
        if tag in _BLOCKS:
            self._flush()
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "blockquote" and self.quote:
            self.quote -= 1
        elif tag == "pre" and self.pre:
            self.pre -= 1
        elif tag == "tr":
            self.cell = 0

    def handle_data(self, data: str) -> None:
        self.buf.append(data)

    def text(self) -> str:
        self._flush()
        out: list[str] = []
        last = False
        for text, item in self.paragraphs:
            if out:
                out.append("\n" if item and last else "\n\n")  # list items: one per line
            out.append(text)
            last = item
        return "".join(out) + "\n"


def page_text(page: Page) -> str:
    """The page's text for the ``text/plain`` part: masthead, contents, chapters."""
    parser = _PlainText()
    parser.feed(f"{page.masthead}\n{page.contents}\n" + "\n".join(page.chapters))
    parser.close()
    return parser.text()


def _cid(name: str, asset: Asset) -> str:
    digest = hashlib.sha256(asset.read()).hexdigest()[:24]
    return f"{digest}.{Path(name).name}@digestkit.invalid"


def _address(value: str, header: str) -> str:
    """``value`` checked as an address list (the parser's defects are an error, not a guess)."""
    msg = EmailMessage(policy=policy.SMTP)
    try:
        msg[header] = value
        parsed = msg[header]
        defects = list(getattr(parsed, "defects", ()))
        addresses = getattr(parsed, "addresses", ())
    except (ValueError, IndexError, TypeError) as exc:
        defects, addresses = [exc], ()
    if defects or not addresses or any("@" not in a.addr_spec for a in addresses):
        why = f": {defects[0]}" if defects else ""
        raise DigestkitError(f"{header} address {value!r} is not a valid address{why}")
    return str(parsed)


def build_eml(
    book: Book,
    *,
    allow_network: bool = False,
    mail_from: str | None = None,
    mail_to: str | None = None,
) -> bytes:
    """The book as an e-mail message's bytes (CRLF line ends, UTF-8 parts)."""
    cids: dict[str, str] = {}

    def src(name: str, asset: Asset) -> str:
        cids[name] = _cid(name, asset)
        return f"cid:{cids[name]}"

    page = build_page(book, allow_network=allow_network, email=True, image_src=src)
    body = email_html(page)
    msg = EmailMessage(policy=policy.SMTP)
    msg["Subject"] = book.title
    msg["Date"] = format_datetime(source_date(book))
    if mail_from:
        msg["From"] = _address(mail_from, "From")
    if mail_to:
        msg["To"] = _address(mail_to, "To")
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]
    msg["Message-ID"] = f"<{digest}@digestkit.invalid>"
    msg["X-Mailer"] = generator()  # the weekly job knows its own messages by it (provenance)
    # base64: quoted-printable would triple every CJK character
    msg.set_content(page_text(page), subtype="plain", charset="utf-8", cte="base64")
    msg.add_alternative(body, subtype="html", charset="utf-8", cte="base64")
    # after the content: set_content clears every Content-* header
    msg["Content-Language"] = book.lang  # RFC 3282: clients pick fonts and spell-checkers by it
    if cids:
        html_part = msg.get_payload()[1]  # type: ignore[index]
        assert isinstance(html_part, EmailMessage)
        for name, asset in page.images.items():
            if name in cids:
                kind = (mimetypes.guess_type(name)[0] or "application/octet-stream").split("/")
                html_part.add_related(asset.read(), kind[0], kind[1], cid=f"<{cids[name]}>",
                                      filename=Path(name).name, disposition="inline")  # fmt: skip
    # multipart boundaries are random by default: derive them from the content instead
    for n, part in enumerate(msg.walk()):
        if part.is_multipart():
            part.set_boundary(f"==digestkit-{digest[:16]}-{n}==")
    return msg.as_bytes()


class EmlWriter:
    """An e-mail message from one document or a whole book (``weekly -o weekly.eml``)."""

    name = "eml"
    description = "e-mail message: text/plain + e-mail-safe text/html (multipart/alternative)"
    extensions = (".eml",)
    kind = "binary"
    options_type = EmlOptions

    def write(self, doc: Document, options: EmlOptions | None = None) -> bytes:
        """The message's bytes for ``doc``."""
        o = options or EmlOptions()
        book = book_from_document(
            doc, base_dir=Path(o.base_dir) if o.base_dir else None, base_url=o.base_url
        )
        return build_eml(book, allow_network=o.allow_network, mail_from=o.mail_from,
                         mail_to=o.mail_to)  # fmt: skip


WRITER = EmlWriter()
