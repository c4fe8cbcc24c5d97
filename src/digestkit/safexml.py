"""XML from strangers (feeds, EPUB packages and chapters): entity declarations refused first.

defusedxml parses the document once with every entity declaration and external reference
forbidden, so a "billion laughs" or an ``<!ENTITY x SYSTEM "file:///etc/passwd">`` is an error
before any parser that might expand it runs. Expat reads only UTF-8, UTF-16 and Latin-1: a
document declaring GB2312 or Big5 (old Chinese feeds do) is transcoded to UTF-8 for the check,
and one that cannot be decoded is checked for ``<!ENTITY`` as bytes (the keyword is ASCII in
every ASCII-compatible encoding).
"""

from __future__ import annotations

import re

from .errors import ParseError

__all__ = ["refuse_entities"]

_DECL = re.compile(
    rb"""^(\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:\-]+)["']"""
)
_ENTITY = re.compile(rb"<!ENTITY", re.I)


def _as_utf8(data: bytes) -> bytes | None:
    """``data`` re-encoded as UTF-8 with its declaration saying so, or None when undecodable."""
    m = _DECL.match(data)
    if m is None:
        return data
    label = m.group(2).decode("ascii").lower()
    if label in ("utf-8", "utf8", "us-ascii", "iso-8859-1", "latin1"):
        return data
    from .readers.html.decode import charset_codec

    name = charset_codec(label)
    if name is None:
        return None
    try:
        text = data.decode(name)
    except UnicodeDecodeError:
        return None
    text = text.replace(m.group(2).decode("ascii"), "utf-8", 1)
    return text.encode("utf-8")


def _position(data: bytes) -> tuple[int | None, int | None]:
    """Line and column (1-based, in bytes) of the first entity declaration, if any: where an
    editor should look."""
    m = _ENTITY.search(data)
    if m is None:
        return None, None
    line = data.count(b"\n", 0, m.start()) + 1
    return line, m.start() - (data.rfind(b"\n", 0, m.start()) + 1) + 1


def refuse_entities(data: bytes, *, path: str | None, member: str | None = None) -> None:
    """Raise :class:`ParseError` when ``data`` declares entities or external references.

    Not well-formed XML passes (lenient readers still read it, without a DTD); ``member`` names
    the file inside a container in the message.
    """
    import xml.etree.ElementTree as ET

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    where = f"{member} " if member else "the XML "
    # a position inside a container's member is not one in the file the error names
    line, column = _position(data) if member is None else (None, None)
    utf8 = _as_utf8(data)
    if utf8 is None:
        if _ENTITY.search(data):
            raise ParseError(
                f"refused: {where}declares XML entities", path=path, line=line, column=column
            )
        return
    try:
        fromstring(utf8, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ParseError(
            f"refused: {where}declares XML entities or external references "
            f"({type(exc).__name__}); digestkit never expands them",
            path=path,
            line=line,
            column=column,
        ) from None
    except (ET.ParseError, ValueError, LookupError):
        if _ENTITY.search(data) or _ENTITY.search(utf8):
            raise ParseError(
                f"refused: {where}declares XML entities", path=path, line=line, column=column
            ) from None
