"""XML bytes made plain before anything parses them: UTF-16/32 to UTF-8, HTML entity names to numbers.

Why: the checks and sniffers that look at feed bytes (``<rss`` at the start, ``<!ENTITY`` for
:mod:`digestkit.safexml`) read ASCII-compatible bytes. A feed in UTF-16 or UTF-32 *without* a
byte order mark — XML 1.0 Appendix F tells them by the zero bytes around the first ``<`` — was
sniffed as UTF-8 and came out full of NUL characters, and a UTF-32 file *with* its mark was
taken for UTF-16 (``FF FE 00 00`` begins with UTF-16's ``FF FE``). :func:`utf8_xml` re-encodes
them as UTF-8 with the declaration saying so.

Real feeds write HTML's named entities (``&nbsp;`` ``&mdash;`` ``&copy;``) with no DTD to
declare them; feedparser reads them (its lenient parser knows HTML's names), but expat calls
them undefined, and a feed whose only content was such a title was refused whole.
:func:`numeric_entities` rewrites them as character references (``&#160;``), which every XML
parser reads, *after* entity declarations were refused: nothing here expands a declared entity.
"""

from __future__ import annotations

import codecs
import re
from html.entities import html5

__all__ = ["numeric_entities", "utf8_xml", "xml_encoding"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: FF FE 00 00 begins with FF FE
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: XML 1.0 Appendix F: the zero bytes around the first character (``<`` or white space).
_NO_BOM: dict[tuple[bool, bool, bool, bool], str] = {
    (True, False, False, False): "utf-32-le",
    (False, False, False, True): "utf-32-be",
    (True, False, True, False): "utf-16-le",
    (False, True, False, True): "utf-16-be",
}
_DECLARED = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)["'][^"']*["']""")


def xml_encoding(data: bytes) -> tuple[str, int] | None:
    """``(codec, BOM length)`` for UTF-16/32 bytes, with or without a BOM; None otherwise."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    if len(data) < 4:
        return None
    zeros = (data[0] != 0, data[1] != 0, data[2] != 0, data[3] != 0)
    guess = _NO_BOM.get(zeros)
    if guess is None:
        return None
    first = data[:4].decode(guess, "ignore")[:1]
    return (guess, 0) if first in ("<", " ", "\t", "\n", "\r") else None


def utf8_xml(data: bytes, *, strict: bool = True) -> bytes:
    """``data`` as UTF-8 (declaration rewritten) when it is UTF-16/32; else unchanged.

    ``strict=False`` (for sniffing a cut-off head) drops what does not decode; with
    ``strict=True`` bytes that do not decode are returned unchanged for the parser to report.
    """
    found = xml_encoding(data)
    if found is None:
        return data
    name, skip = found
    try:
        text = data[skip:].decode(name, "strict" if strict else "ignore")
    except UnicodeDecodeError:
        return data
    return _DECLARED.sub(r'\1"utf-8"', text, count=1).encode("utf-8")


_XML_NAMES = frozenset({"amp", "lt", "gt", "quot", "apos"})
#: A named reference, or a CDATA section / comment to step over (their ``&`` is literal).
_NAMED = re.compile(rb"<!\[CDATA\[.*?\]\]>|<!--.*?-->|&([A-Za-z][A-Za-z0-9]{1,31});", re.S)


def _numeric(m: re.Match[bytes]) -> bytes:
    name = m.group(1)
    if name is None or name.decode("ascii") in _XML_NAMES:
        return m.group(0)
    chars = html5.get(name.decode("ascii") + ";")
    if chars is None:
        return m.group(0)  # not HTML's either: left for the parser to report
    if len(chars) == 1:  # as long as the name where it fits (&#160; for &nbsp;): columns hold
        return f"&#{ord(chars):0{len(name) - 1}d};".encode("ascii")
    return "".join(f"&#{ord(c)};" for c in chars).encode("ascii")


def numeric_entities(data: bytes) -> bytes:
    """HTML's named entities outside CDATA and comments as numeric references (``&#160;``),
    zero-padded to the name's length where the digits fit, so an error's column still points
    where the file has it.

    For ASCII-compatible bytes (run :func:`utf8_xml` first); the five XML names stay.
    """
    if b"&" not in data:
        return data
    return _NAMED.sub(_numeric, data)
