"""Bytes → text for an HTML page: which encoding a page is in, and the sniffing of what opens it.

Decides the encoding the way a browser does (byte order mark, a declared charset, ``<meta
charset>``, UTF-8, then a ranked guess with a warning) but never lossily: bytes a declared charset
cannot decode fall back to UTF-8 or fail with their position. WHATWG labels map to what Python
decodes the same (``gb2312`` → GB18030, ``big5`` → Big5-HKSCS, ``iso-8859-1`` → windows-1252).
Also: whether bytes open like an HTML document at all (:func:`looks_like_html`).
"""

from __future__ import annotations

import codecs
import re
import warnings

from ...errors import ParseError

__all__ = ["charset_codec", "decode_html", "looks_like_html", "sniff_head"]

#: WHATWG encoding labels that Python spells differently or decodes more narrowly. The web's
#: "gb2312"/"gbk" are GB18030 and its "big5" is Big5-HKSCS (the Encoding Standard says so), and
#: "iso-8859-1"/"ascii" mean windows-1252.
_LABELS = {
    **dict.fromkeys(("gb2312", "gbk", "x-gbk", "gb_2312-80", "chinese", "csgb2312", "iso-ir-58",
                     "gb18030", "csiso58gb231280"), "gb18030"),
    **dict.fromkeys(("big5", "big5-hkscs", "cn-big5", "x-x-big5", "csbig5"), "big5hkscs"),
    **dict.fromkeys(("iso-8859-1", "latin1", "l1", "us-ascii", "ascii", "windows-1252",
                     "cp1252", "iso_8859-1", "x-cp1252"), "cp1252"),
    # A page cannot really declare UTF-16 in a <meta> it can only read as ASCII: WHATWG → UTF-8.
    **dict.fromkeys(("utf-16", "utf-16le", "utf-16be"), "utf-8"),
}  # fmt: skip


_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.IGNORECASE
)


def charset_codec(label: str | None) -> str | None:
    """Python codec name for an encoding label, or None for an unknown one."""
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    if key in _LABELS:
        return _LABELS[key]
    try:
        return codecs.lookup(key).name
    except LookupError:
        return None


def decode_html(data: bytes, *, declared: str | None = None, path: str | None = None) -> str:
    """Decode an HTML document the way a browser picks its encoding, but never lossily.

    Order: byte order mark; ``declared`` (the charset an e-mail part or HTTP header gave);
    ``<meta charset>`` / ``http-equiv`` in the first 4 KiB; UTF-8; then the legacy encodings
    ranked by :func:`digestkit.textio.rank_encodings` (with a warning). A declared charset the
    bytes contradict falls back to UTF-8 when that decodes; otherwise the error names the file,
    the charset and the position — bytes are never replaced.
    """
    from ...textio import SINGLE_BYTE, decode, rank_encodings

    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):  # fmt: skip
        if data.startswith(bom):
            try:
                return _newlines(data[len(bom) :].decode(enc))
            except UnicodeDecodeError as exc:
                raise ParseError(f"not valid {enc} after its byte order mark: {exc.reason}",
                                 path=path) from None  # fmt: skip
    found = charset_codec(declared)
    if found is None:
        m = _META_CHARSET.search(data, 0, 4096)
        found = charset_codec(m.group(1).decode("ascii", "replace")) if m else None
    if found is not None and found != "utf-8":
        try:
            return _newlines(data.decode(found))
        except UnicodeDecodeError as exc:
            try:
                return _newlines(data.decode("utf-8"))
            except UnicodeDecodeError:
                line = data.count(b"\n", 0, exc.start) + 1
                col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
                raise ParseError(
                    f"declared charset {found} does not decode byte 0x{data[exc.start]:02x}",
                    path=path,
                    line=line,
                    column=col,
                ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        # UTF-16 without a byte order mark is valid UTF-8 when it is mostly ASCII: a NUL
        # every other byte, which no real page has.
        if text.count("\x00") * 10 < len(text):
            return _newlines(text)
    # The Encoding Standard's fallback for undeclared pages is windows-1252; the other
    # single-byte codecs browsers guess among compete with it and the CJK codecs on one score.
    ranked = rank_encodings(data, also=SINGLE_BYTE)
    if ranked and ranked[0][1] > 0:
        warnings.warn(
            f"{path or '<bytes>'}: no charset declared and not UTF-8; decoded as {ranked[0][0]}",
            stacklevel=2,
        )
        return _newlines(data.decode(ranked[0][0]))
    return decode(data, path=path)  # raises the usual UTF-8 error with its position


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)


_XHTML_START = re.compile(rb"^\s*<\?xml[^>]*\?>\s*(<!doctype\s+html|<html)", re.I | re.S)


def sniff_head(data: bytes, size: int = 4096) -> bytes:
    """The first bytes as UTF-8 for sniffing: a UTF-16 document (with its BOM) is transcoded."""
    for bom, enc in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[2 : 2 + 2 * size].decode(enc, "ignore").encode("utf-8")
    return data[:size].removeprefix(codecs.BOM_UTF8)


def looks_like_html(data: bytes) -> bool:
    """True when the bytes open like an HTML document (doctype, ``<html>``, an XHTML prolog)."""
    head = sniff_head(data, 2048)
    return bool(_HTML_START.match(head) or _XHTML_START.match(head))
