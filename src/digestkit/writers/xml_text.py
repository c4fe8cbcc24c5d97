"""Text made safe for XML: the characters XML 1.0 forbids dropped, and ``&``, ``<``, ``>`` escaped.

One place for the EPUB's package documents (:mod:`.epub_package`), the chapters' escapes
(:mod:`.xhtml_context`) and the cover's SVG (:mod:`.cover`). A source can hold a forbidden
character (an ESC byte in a feed's CDATA, which feedparser reads leniently), and one in an EPUB
document makes it ill-formed. A leaf module (only ``re``): the HTML page's writer needs these
without the EPUB's package, and ``xml.sax.saxutils`` would pull in ``urllib.request``,
``http.client`` and ``email`` (~15 ms at start-up).
"""

from __future__ import annotations

import re

__all__ = ["escape", "xml_chars"]

#: the C0 controls XML 1.0 forbids (all but TAB, LF and CR). Its two forbidden non-characters,
#: U+FFFE and U+FFFF, are removed by ``str.replace`` in :func:`xml_chars`: a class holding them
#: compiles a 64K-entry map (~0.3 ms of every re-run's start-up, issue 26).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_chars(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    text = _NOT_XML.sub("", text)
    if text.isascii():  # a flag of the string: no search
        return text
    return text.replace("\ufffe", "").replace("\uffff", "")


def escape(text: str) -> str:
    """``xml.sax.saxutils.escape`` (``&``, ``<``, ``>``) of :func:`xml_chars`' text."""
    return xml_chars(text).replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
