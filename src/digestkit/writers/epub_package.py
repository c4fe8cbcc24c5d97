"""A streaming EPUB 3 packager: chapters go into the zip as they are rendered.

Why not ebooklib for this part: ebooklib keeps every chapter in memory until it writes the book,
re-parses each one with lxml on the way out, and stamps zip entries with the current time (so its
output had to be re-packed to be reproducible). For a weekly book of thousands of digests that
made memory grow with the archive and cost ~0.5 s per 100 chapters. The container is small and
fully specified (OCF 3: ``mimetype`` first and stored, ``META-INF/container.xml``, an OPF package
document, an XHTML navigation document, and ``toc.ncx`` for EPUB 2 readers), so it is written
here directly; every EPUB the tests build is checked by the real epubcheck.

Reproducible: every entry carries the same timestamp (from ``SOURCE_DATE_EPOCH`` or the newest
document date) and the order of entries is the order of calls.

The ZIP container itself is written here too (:class:`_Zip`), byte for byte what ``zipfile``
writes for these entries (level-6 deflate, no ZIP64, ``0644``, Unix), for one reason: an entry
can then be added already compressed (:meth:`EpubPackage.add_packed`), so a weekly re-run copies
each unchanged chapter's deflated bytes from the cache instead of compressing them again
(``zipfile`` has no way to add raw compressed data). ``tests/writers/test_epub_package.py``
checks the bytes against ``zipfile``'s.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import struct
import zlib
from collections.abc import Iterator, Sequence

from .._records import field
from .._records import record as dataclass  # dataclasses' classes, no exec
from ..provenance import generator
from .xml_text import escape  # here for the package's documents and its importers

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from typing import IO, NamedTuple

__all__ = ["EpubPackage", "Landmark", "NavPoint", "Packed", "escape", "quoteattr", "uuid5_url"]


#: ``uuid.NAMESPACE_URL``'s bytes (RFC 4122, appendix C)
_NAMESPACE_URL = bytes.fromhex("6ba7b8119dad11d180b400c04fd430c8")


def uuid5_url(name: str) -> str:
    """``str(uuid.uuid5(uuid.NAMESPACE_URL, name))`` without importing ``uuid``, which imports
    ``platform`` (~2 ms of every EPUB run's start-up): the SHA-1 of namespace and name, its
    version and variant bits set (RFC 4122 §4.3)."""
    b = bytearray(hashlib.sha1(_NAMESPACE_URL + name.encode()).digest()[:16])  # RFC 4122's hash
    b[6] = (b[6] & 0x0F) | 0x50
    b[8] = (b[8] & 0x3F) | 0x80
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def quoteattr(text: str) -> str:
    """``xml.sax.saxutils.quoteattr``: an escaped attribute value with its quotes."""
    text = escape(text)
    if "\n" in text or "\r" in text or "\t" in text:
        text = text.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' in text:
        if "'" in text:
            return '"' + text.replace('"', "&quot;") + '"'
        return "'" + text + "'"
    return '"' + text + '"'


if TYPE_CHECKING:

    class Packed(NamedTuple):
        """One file's deflated bytes with what its ZIP entry records: a chapter cached this way
        goes into the next book without being compressed again."""

        data: bytes
        crc: int
        size: int

else:  # the same class made by collections.namedtuple, as typing.NamedTuple makes it: no typing
    # (~2 ms of a re-run's start-up, issue 26)
    import collections

    Packed = collections.namedtuple("Packed", ("data", "crc", "size"))
    Packed.__doc__ = """One file's deflated bytes with what its ZIP entry records: a chapter
    cached this way goes into the next book without being compressed again."""


def pack(data: bytes) -> Packed:
    """``data`` deflated as ``zipfile`` does it (raw deflate, level 6)."""
    z = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Packed(z.compress(data) + z.flush(), zlib.crc32(data), len(data))


#: the table of contents is kept in memory up to this many bytes (nav and NCX each), then on disk
_SPOOL = 8 << 20
_LIMIT = (1 << 31) - 1  # zipfile switches to ZIP64 above this; no EPUB entry comes near it


class _Spool:
    """``tempfile.SpooledTemporaryFile(limit)`` for what the package does with one (write, then
    ``seek(0)``, read, close): in memory until it holds more than ``limit`` bytes, then in an
    unnamed temporary file. ``tempfile`` (with ``random``, ``weakref``, ``shutil``: ~4 ms of a
    ~0.1 s weekly re-run) is imported only when a contents list passes the limit, which a
    weekly book does not come near (issue 26)."""

    def __init__(self, limit: int) -> None:
        self._file: IO[bytes] = io.BytesIO()
        self._limit = limit
        self._on_disk = False

    def write(self, data: bytes) -> int:
        n = self._file.write(data)
        if not self._on_disk and self._file.tell() > self._limit:
            import tempfile

            disk = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
            disk.write(self._file.getvalue())  # type: ignore[attr-defined]
            self._file, self._on_disk = disk, True
        return n

    def seek(self, pos: int) -> int:
        return self._file.seek(pos)

    def read(self, size: int = -1) -> bytes:
        return self._file.read(size)

    def close(self) -> None:
        self._file.close()


class _Zip:
    """A write-only ZIP archive: local headers as entries come, the central directory at the end."""

    def __init__(self, fh: IO[bytes], stamp: tuple[int, int, int, int, int, int]) -> None:
        self.fh = fh
        try:
            self.pos = fh.tell()
        except (OSError, AttributeError):
            self.pos = 0
        year, month, day, hour, minute, second = stamp
        self.date = (year - 1980) << 9 | month << 5 | day
        self.time = hour << 11 | minute << 5 | (second // 2)
        self.central: list[bytes] = []

    def add(self, name: str, packed: Packed, *, stored: bool = False) -> None:
        data, crc, size = packed
        if size * 1.05 > _LIMIT or len(data) > _LIMIT or len(self.central) >= 0xFFFF:
            raise ValueError(f"{name}: too large for an EPUB entry")
        try:
            fname, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            fname, flags = name.encode("utf-8"), 0x800
        method = 0 if stored else 8
        header = struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, flags, method, self.time,
                             self.date, crc, len(data), size, len(fname), 0)  # fmt: skip
        self.fh.write(header + fname)
        self.fh.write(data)
        entry = struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 3, 20, 0, flags, method,
                            self.time, self.date, crc, len(data), size, len(fname), 0, 0, 0, 0,
                            0o644 << 16, self.pos)  # fmt: skip
        self.central.append(entry + fname)
        self.pos += len(header) + len(fname) + len(data)

    def close(self) -> None:
        directory = b"".join(self.central)
        n = len(self.central)
        self.fh.write(directory)
        self.fh.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, n, n, len(directory),
                                  self.pos, 0))  # fmt: skip
        self.fh.flush()


_CONTAINER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
    "  <rootfiles>\n"
    '    <rootfile full-path="EPUB/content.opf" media-type="application/oebps-package+xml"/>\n'
    "  </rootfiles>\n"
    "</container>\n"
)
MEDIA_TYPES = {
    ".xhtml": "application/xhtml+xml",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    # EPUB 3 core media types for fonts (the embedded subsets are .otf)
    ".otf": "font/otf",
    ".ttf": "font/ttf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}


@dataclass
class NavPoint:
    """One entry of the table of contents, with its children."""

    title: str
    href: str
    children: list[NavPoint] = field(default_factory=list)


@dataclass(frozen=True)
class Landmark:
    """A landmark of the book: its ``epub:type`` (``cover``, ``toc``, ``bodymatter``), where it
    is, and its name in the book's language."""

    type: str
    href: str
    title: str


#: EPUB 3 landmark type → EPUB 2 guide reference type.
_GUIDE = {"bodymatter": "text"}


@dataclass
class _Item:
    """One manifest entry (a docstring of its own also spares ``dataclasses`` from writing one)."""

    id: str
    href: str
    media_type: str
    properties: str = ""


def xhtml_document(title: str, lang: str, body: str, css: str | None = "style/book.css") -> str:
    """A complete XHTML content document around ``body``."""
    link = f'<link rel="stylesheet" type="text/css" href="{css}"/>' if css else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
        f'lang="{lang}" xml:lang="{lang}">\n<head>\n<meta charset="utf-8"/>\n'
        f"<title>{escape(title)}</title>\n{link}\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


class EpubPackage:
    """Write an EPUB entry by entry; :meth:`finish` adds the navigation and package documents."""

    def __init__(self, fh: IO[bytes], when: _dt.datetime) -> None:
        self.stamp = (
            max(when.year, 1980),
            when.month,
            when.day,
            when.hour,
            when.minute,
            when.second,
        )
        self.when = when
        self.zip = _Zip(fh, self.stamp)
        self.items: list[_Item] = []
        self.spine: list[str] = []
        # Table-of-contents fragments are spooled as chapters arrive, encoded once, to disk
        # past a few MiB, so a book of thousands of chapters never holds its whole contents in
        # memory (and a book of a hundred neither writes nor reads a temporary file).
        self._nav = _Spool(_SPOOL)
        self._ncx = _Spool(_SPOOL)
        self._order = 0
        self._depth = 1
        self._write("mimetype", b"application/epub+zip", stored=True)
        self._write("META-INF/container.xml", _CONTAINER.encode())

    def _write(self, name: str, data: bytes, *, stored: bool = False) -> Packed:
        packed = Packed(data, zlib.crc32(data), len(data)) if stored else pack(data)
        self.zip.add(name, packed, stored=stored)
        return packed

    def add(
        self, href: str, data: bytes, *, id: str, spine: bool = False, properties: str = ""
    ) -> Packed:
        """Add a file under ``EPUB/``; ``spine`` puts it in reading order. Returns the entry's
        compressed form, which :meth:`add_packed` takes back in a later book."""
        self._item(href, id, spine, properties)
        return self._write(f"EPUB/{href}", data)

    def add_packed(
        self, href: str, packed: Packed, *, id: str, spine: bool = False, properties: str = ""
    ) -> None:
        """:meth:`add` for a file already compressed by :meth:`add` (same bytes in the book)."""
        self._item(href, id, spine, properties)
        self.zip.add(f"EPUB/{href}", packed)

    def _item(self, href: str, id: str, spine: bool, properties: str) -> None:
        suffix = href[href.rfind(".") :].lower()
        self.items.append(
            _Item(id, href, MEDIA_TYPES.get(suffix, "application/octet-stream"), properties)
        )
        if spine:
            self.spine.append(id)

    def add_toc(self, point: NavPoint) -> None:
        """Add one top-level entry (with its children) to the table of contents."""
        nav: list[str] = []
        ncx: list[str] = []
        self._toc(point, nav, ncx)
        self._nav.write("".join(nav).encode())
        self._ncx.write("".join(ncx).encode())
        if point.children:
            self._depth = 2

    def _toc(self, p: NavPoint, nav: list[str], ncx: list[str]) -> None:
        """``p`` as a ``nav.xhtml`` list item and an NCX ``navPoint`` (numbered in reading
        order), its title and link escaped once for both (a weekly book has thousands)."""
        self._order += 1
        n = self._order
        title = escape(p.title)
        href = quoteattr(p.href)
        nav.append(f"<li><a href={href}>{title}</a>")
        ncx.append(f'<navPoint id="np-{n}" playOrder="{n}"><navLabel><text>{title}</text>'
                   f"</navLabel><content src={href}/>")  # fmt: skip
        if p.children:
            nav.append("<ol>")
            for c in p.children:
                self._toc(c, nav, ncx)
            nav.append("</ol>")
        nav.append("</li>\n")
        ncx.append("</navPoint>\n")

    def _stream(self, name: str, head: str, spool: _Spool, tail: str) -> None:
        """One entry from a spooled file, compressed piece by piece (only the compressed
        bytes are held)."""
        z = zlib.compressobj(6, zlib.DEFLATED, -15)
        parts: list[bytes] = []
        crc = size = 0
        spool.seek(0)

        def pieces() -> Iterator[bytes]:
            yield head.encode()
            while chunk := spool.read(1 << 20):
                yield chunk
            yield tail.encode()

        for data in pieces():
            crc = zlib.crc32(data, crc)
            size += len(data)
            parts.append(z.compress(data))
        spool.close()
        parts.append(z.flush())
        self.zip.add(name, Packed(b"".join(parts), crc, size))

    def finish(
        self,
        *,
        identifier: str,
        title: str,
        lang: str,
        author: str | None = None,
        date: _dt.date | None = None,
        rtl: bool = False,
        nav_title: str = "目录",
        nav_css: str | None = None,
        landmarks: Sequence[Landmark] = (),
        nav_intro: str = "",
    ) -> None:
        """Write ``nav.xhtml`` (styled by ``nav_css`` when given: the contents page is in the
        reading order, so it needs the book's fonts too), ``toc.ncx`` and ``content.opf``, and
        close the zip. ``nav_intro`` (XHTML, already escaped) goes on the contents page before
        the contents (the weekly book's date span and counts).

        ``landmarks`` (cover, contents, start of the text) go into the navigation document's
        hidden ``landmarks`` nav (EPUB 3) and the OPF ``<guide>`` (EPUB 2, and Amazon's
        guidelines: the HTML contents page referenced as a guide item).
        """
        marker = "<!--toc-->"
        marks = "".join(
            f'<li><a epub:type="{m.type}" href={quoteattr(m.href)}>{escape(m.title)}</a></li>'
            for m in landmarks
        )
        nav = (
            nav_intro
            + f'<nav epub:type="toc" id="toc" role="doc-toc"><h1>{escape(nav_title)}</h1><ol>\n{marker}</ol></nav>'
        )
        if marks:
            nav += f'\n<nav epub:type="landmarks" id="landmarks" hidden="hidden"><ol>{marks}</ol></nav>'
        head, tail = xhtml_document(title, lang, nav, css=nav_css).split(marker)
        self._stream("EPUB/nav.xhtml", head, self._nav, tail)
        ncx_head = (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">\n'
            f'<head><meta name="dtb:uid" content={quoteattr(identifier)}/>'
            f'<meta name="dtb:depth" content="{self._depth}"/>'
            '<meta name="dtb:totalPageCount" content="0"/><meta name="dtb:maxPageNumber" content="0"/></head>\n'
            f"<docTitle><text>{escape(title)}</text></docTitle>\n<navMap>\n"
        )
        self._stream("EPUB/toc.ncx", ncx_head, self._ncx, "</navMap>\n</ncx>\n")
        self._write(
            "EPUB/content.opf",
            self._opf(identifier, title, lang, author, date, rtl, landmarks).encode(),
        )
        self.zip.close()

    def _opf(
        self,
        identifier: str,
        title: str,
        lang: str,
        author: str | None,
        date: _dt.date | None,
        rtl: bool,
        landmarks: Sequence[Landmark] = (),
    ) -> str:
        meta = [
            f'<dc:identifier id="bookid">{escape(identifier)}</dc:identifier>',
            f"<dc:title>{escape(title)}</dc:title>",
            f"<dc:language>{escape(lang)}</dc:language>",
            "<dc:publisher>digestkit</dc:publisher>",
            # the weekly job knows its own books by it (provenance.written_by_digestkit)
            f'<meta name="generator" content="{escape(generator())}"/>',
            f'<meta property="dcterms:modified">{self.when.strftime("%Y-%m-%dT%H:%M:%SZ")}</meta>',
            '<meta name="cover" content="cover-img"/>',
        ]
        if author:
            meta.insert(3, f"<dc:creator>{escape(author)}</dc:creator>")
        if date:
            meta.insert(4, f"<dc:date>{date.isoformat()}</dc:date>")
        items = [
            _Item("nav", "nav.xhtml", "application/xhtml+xml", "nav"),
            _Item("ncx", "toc.ncx", "application/x-dtbncx+xml"),
            *self.items,
        ]
        manifest = "\n".join(
            f'<item id="{i.id}" href={quoteattr(i.href)} media-type="{i.media_type}"'
            + (f' properties="{i.properties}"' if i.properties else "")
            + "/>"
            for i in items
        )
        order = [*self.spine[:1], "nav", *self.spine[1:]]
        spine = "\n".join(f'<itemref idref="{i}"/>' for i in order)
        direction = ' page-progression-direction="rtl"' if rtl else ""
        guide = "".join(
            f'<reference type="{_GUIDE.get(m.type, m.type)}" title={quoteattr(m.title)} '
            f"href={quoteattr(m.href.split('#')[0])}/>"
            for m in landmarks
        )
        guide = f"<guide>{guide}</guide>\n" if guide else ""
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="bookid" xml:lang="{lang}">\n'
            f'<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n{chr(10).join(meta)}\n</metadata>\n'
            f"<manifest>\n{manifest}\n</manifest>\n"
            f'<spine toc="ncx"{direction}>\n{spine}\n</spine>\n{guide}</package>\n'
        )
