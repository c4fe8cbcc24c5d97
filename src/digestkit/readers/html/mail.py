"""E-mails and MHTML archives: which part of a message is read, its header metadata, and its
images.

Decides whether bytes are a message (a whole RFC 5322 header block, not a digest opening with
"From: 新华社"), which part is the body (HTML, else plain text, with its declared charset), what
Subject, From, Date and the snapshot location give the metadata, and which images sent with the
message (``cid:`` and ``Content-Location``, up to 16 MB each) become ``data:`` URLs.
"""

from __future__ import annotations

import contextlib
import email
import email.message
import email.policy
import email.utils
import re
from dataclasses import dataclass, field
from typing import Any

from ...ast import Block, Document, Image, Inline, Paragraph, SoftBreak, Text
from ...errors import ParseError
from .decode import sniff_head

__all__ = ["embed_images", "looks_like_email", "plain_blocks", "read_mail"]

_HEADER_LINE = re.compile(rb"^([A-Za-z0-9][A-Za-z0-9-]*):[ \t]|^[ \t]")


def looks_like_email(data: bytes) -> bool:
    """True when the bytes open with an RFC 5322 header block, not just a "From:" line.

    Every line up to the first blank one must be a header (or a folded continuation), and the
    names must include ``MIME-Version``, or ``From`` with ``Date``, ``Subject``, ``To``,
    ``Message-ID`` or ``Received`` — a digest that opens with "From: 新华社" is prose.
    """
    head = sniff_head(data).replace(b"\r\n", b"\n")
    block = head.split(b"\n\n", 1)[0]
    names: set[bytes] = set()
    for line in block.split(b"\n"):
        m = _HEADER_LINE.match(line)
        if m is None:
            return False
        if m.group(1):
            names.add(m.group(1).lower())
    if len(names) < 2:
        return False
    return b"mime-version" in names or (
        b"from" in names and bool(names & {b"date", b"subject", b"to", b"message-id", b"received"})
    )


@dataclass(slots=True)
class _Mail:
    body: bytes
    charset: str | None
    subtype: str
    meta: dict[str, Any] = field(default_factory=dict)
    #: images sent with the message (MHTML parts, ``cid:`` e-mail images): URL → (type, bytes)
    images: dict[str, tuple[str, bytes]] = field(default_factory=dict)


_MAIL_IMAGE_LIMIT = 16 * 1024 * 1024


def _mail_images(msg: email.message.Message) -> dict[str, tuple[str, bytes]]:
    """Image parts by the URLs the HTML uses for them: ``Content-Location`` and ``cid:``."""
    found: dict[str, tuple[str, bytes]] = {}
    for part in msg.walk():
        if part.get_content_maintype() != "image":
            continue
        try:
            payload = part.get_payload(decode=True)
        except Exception:  # a broken transfer encoding: the image stays a URL
            continue
        if not isinstance(payload, bytes) or len(payload) > _MAIL_IMAGE_LIMIT:
            continue
        image = (part.get_content_type(), payload)
        location = part.get("content-location")
        if location:
            found[str(location).strip()] = image
        cid = part.get("content-id")
        if cid:
            found["cid:" + str(cid).strip().strip("<>")] = image
    return found


def embed_images(doc: Document, images: dict[str, tuple[str, bytes]]) -> Document:
    """Images the message carries become ``data:`` URLs, which the EPUB/PDF writers embed."""
    if not images:
        return doc
    import base64

    from ...ast import walk

    def swap(node: Any) -> Any:
        if isinstance(node, Image) and node.url in images:
            kind, payload = images[node.url]
            url = f"data:{kind};base64,{base64.b64encode(payload).decode('ascii')}"
            return Image(url=url, alt=node.alt, title=node.title)
        return node

    result = walk(doc, swap)
    assert isinstance(result, Document)
    return result


def read_mail(data: bytes, path: str | None) -> _Mail:
    """The HTML (else plain) part of a message, its charset and header metadata."""
    msg = email.message_from_bytes(data, policy=email.policy.default)
    part = msg.get_body(preferencelist=("html", "plain"))
    if part is None:
        raise ParseError("the message has no HTML or plain-text part", path=path)
    try:
        body = part.get_payload(decode=True)
    except Exception as exc:  # a broken transfer encoding
        raise ParseError(f"cannot decode the message body: {exc}", path=path) from None
    if not isinstance(body, bytes):
        raise ParseError("the message body is not text", path=path)
    meta: dict[str, Any] = {}
    subject = msg.get("subject")
    if subject:
        meta["title"] = str(subject).strip()
    sender = msg.get("from")
    if sender:
        addresses = getattr(sender, "addresses", ())
        names = [a.display_name or a.addr_spec for a in addresses] or [str(sender)]
        meta["author"] = ", ".join(n for n in names if n)
    date = msg.get("date")
    if date:
        with contextlib.suppress(TypeError, ValueError, AttributeError):
            meta["date"] = getattr(date, "datetime", None) or email.utils.parsedate_to_datetime(
                str(date)
            )
    location = msg.get("snapshot-content-location") or part.get("content-location")
    if location:
        meta["source"] = str(location).strip()
    return _Mail(
        body, part.get_content_charset(), part.get_content_subtype(), meta, _mail_images(msg)
    )


def plain_blocks(text: str) -> tuple[Block, ...]:
    """A plain-text e-mail body: paragraphs at blank lines, line breaks kept as soft breaks."""
    out: list[Block] = []
    for chunk in re.split(r"\n[ \t]*\n", text.strip("\n")):
        lines = [line.rstrip() for line in chunk.split("\n")]
        inlines: list[Inline] = []
        for i, line in enumerate(lines):
            if i:
                inlines.append(SoftBreak())
            if line:
                inlines.append(Text(text=line))
        if any(isinstance(x, Text) and x.text.strip() for x in inlines):
            out.append(Paragraph(children=tuple(inlines)))
    return tuple(out)
