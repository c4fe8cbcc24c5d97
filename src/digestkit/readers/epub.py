"""Reader ``epub``: EPUB 2 and 3 books → one document, a chapter per ``Article``.

ebooklib reads the package (metadata, manifest, spine, nav/NCX); it is AGPL-3.0 while digestkit
is MIT, so it is an optional extra (``pip install "digestkit[epub]"``) imported only here, and a
missing ebooklib is a :class:`MissingDependencyError` naming the extra.

Before ebooklib sees the file, :mod:`digestkit.safezip` checks the container (member names,
sizes, compression ratios: nothing inflates first) and defusedxml checks every XML member for
entity declarations and external entities. Then ebooklib's known traps are stepped around:

- ``book.language`` stays ``"en"`` after reading a Chinese book, and ``EpubHtml.get_content()``
  re-wraps chapters in a template with ``lang="en"``: the language comes from ``dc:language``
  and each chapter's own ``lang``, and chapters are read from their raw bytes (``item.content``);
- a file listed in the manifest but missing from the zip raises a bare ``KeyError``, and a nav
  document without ``epub:type="toc"`` an ``IndexError``. A missing document (XHTML, NCX, SMIL)
  is a :class:`ParseError` naming the member; a missing image, audio, video, font or style
  sheet — real books list such files and leave them out — is one warning naming them, and an
  image pointing at one gives way to its alt text. A nav without a toc falls back to the NCX
  or the chapters' own headings.

Each spine document (linear or not, in reading order) goes through the ``html`` reader with
everything visible kept; the nav/NCX title of a document names its chapter. Images become
``data:`` URLs, which the EPUB and PDF writers embed again.
"""

from __future__ import annotations

import base64
import contextlib
import io
import posixpath
import re
import warnings
import zipfile
from dataclasses import replace
from typing import Any, Literal
from urllib.parse import unquote, urldefrag

from ..ast import (
    Article,
    ArticleMeta,
    Block,
    Document,
    Heading,
    Image,
    Inline,
    Link,
    Meta,
    Text,
    plain_text,
    walk,
)
from ..errors import MissingDependencyError, ParseError
from ..markers import merge_text
from ..safezip import open_zip

__all__ = ["READER", "EpubReader"]

_XML_MEMBER = re.compile(r"\.(opf|ncx|xhtml|html|htm|xml|svg)$", re.I)
_IMAGE_LIMIT = 16 * 1024 * 1024  # larger images keep their path instead of a data: URL


def _ebooklib() -> Any:
    try:
        from ebooklib import epub
    except ImportError:
        raise MissingDependencyError(
            'reading EPUB needs ebooklib (AGPL-3.0, an optional extra): pip install "digestkit[epub]"'
        ) from None
    return epub


def _check_xml(zf: zipfile.ZipFile, path: str | None) -> None:
    from ..safexml import refuse_entities

    for info in zf.infolist():
        if _XML_MEMBER.search(info.filename):
            refuse_entities(zf.read(info), path=path, member=info.filename)


def _utf8_names(zf: zipfile.ZipFile, data: bytes) -> bytes:
    """``data`` with its member names read as UTF-8, as OCF says they are.

    The zip "UTF-8 names" flag is often left unset by zip tools (Info-ZIP's ``zip`` on Linux,
    which the IDPF samples' Japanese book was packed with), and Python then reads the names as
    CP437 (``表紙.xhtml`` → ``陦ｨ邏吶.xhtml``), so the package's ``href`` misses its file and a valid
    book was refused. Such names are re-read as UTF-8 (when they decode) and the container
    rewritten in memory; other books pass through untouched.
    """
    infos = zf.infolist()
    fixed: dict[str, str] = {}
    for info in infos:
        if info.flag_bits & 0x800 or info.filename.isascii():
            continue
        try:
            fixed[info.filename] = info.filename.encode("cp437").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return data  # really CP437 (or something else): leave the names alone
    if not fixed:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as new:
        for info in infos:
            copy = zipfile.ZipInfo(fixed.get(info.filename, info.filename), info.date_time)
            copy.compress_type = info.compress_type
            copy.external_attr = info.external_attr
            new.writestr(copy, zf.read(info))
    return out.getvalue()


#: Manifest media types that carry no text: a book whose zip lacks one is still readable.
_MEDIA = ("image/", "audio/", "video/", "font/", "application/font", "application/x-font",
          "application/vnd.ms-opentype", "text/css")  # fmt: skip


def _load(data: bytes, path: str | None, missing: dict[str, str]) -> Any:
    """The ebooklib book; the manifest's media files absent from the zip go into ``missing``
    (member name → name relative to the package, as chapters link it) and read as empty; any
    other absent file is a :class:`ParseError`."""
    epub = _ebooklib()

    class _Reader(epub.EpubReader):  # type: ignore[misc,name-defined]
        def _parse_nav(self, data: bytes, base_path: str, navtype: str = "toc") -> None:
            # a nav without epub:type="toc" raises IndexError: the NCX or the headings serve
            with contextlib.suppress(IndexError):
                super()._parse_nav(data, base_path, navtype)

        def _load_manifest(self) -> None:
            self.media_names = {
                posixpath.normpath(posixpath.join(self.opf_dir, unquote(item.get("href", ""))))
                for item in self.container.iter("{http://www.idpf.org/2007/opf}item")
                if (item.get("media-type") or "").startswith(_MEDIA)
            }
            super()._load_manifest()

        def read_file(self, name: str) -> bytes:
            try:
                return bytes(super().read_file(name))
            except KeyError:
                if posixpath.normpath(name) not in self.media_names:
                    raise
                member = posixpath.normpath(name)
                missing[member] = posixpath.relpath(member, self.opf_dir or ".")
                return b""

    reader = _Reader(io.BytesIO(data), {"ignore_ncx": False})
    try:
        return reader.load()
    except KeyError as exc:
        name = exc.args[0] if exc.args else "?"
        raise ParseError(
            f"a file the package lists is missing from the EPUB: {name}", path=path
        ) from None
    except epub.EpubException as exc:
        raise ParseError(f"not a readable EPUB: {exc.msg}", path=path) from None
    except (AttributeError, TypeError, ValueError) as exc:  # a package document ebooklib chokes on
        raise ParseError(f"not a readable EPUB package: {exc}", path=path) from None


def _dc(book: Any, name: str) -> list[str]:
    return [str(v).strip() for v, _attrs in book.get_metadata("DC", name) if v and str(v).strip()]


def _toc_titles(book: Any) -> dict[str, str]:
    """First nav/NCX title for each content file (fragment removed)."""
    titles: dict[str, str] = {}

    def visit(entries: Any) -> None:
        for entry in entries:
            if isinstance(entry, tuple) and len(entry) == 2:
                section, children = entry
                href = getattr(section, "href", None)
                if href:
                    titles.setdefault(unquote(urldefrag(href)[0]), str(section.title))
                visit(children)
            elif hasattr(entry, "href"):
                titles.setdefault(unquote(urldefrag(entry.href)[0]), str(entry.title))

    visit(book.toc)
    return titles


def _images(book: Any, gone: frozenset[str]) -> dict[str, tuple[str, bytes]]:
    out = {}
    for item in book.get_items():
        media = getattr(item, "media_type", "") or ""
        if media.startswith("image/") and item.file_name not in gone:
            out[item.file_name] = (media, item.content)
    return out


def _inline_images(
    blocks: tuple[Block, ...],
    base: str,
    images: dict[str, tuple[str, bytes]],
    gone: frozenset[str] = frozenset(),
) -> tuple[Block, ...]:
    """Images of the book as ``data:`` URLs; an image whose file ``gone`` names (listed but
    missing from the zip) gives way to its alt text."""

    def target(node: Image) -> str | None:
        if ":" in node.url.split("/")[0]:
            return None
        return posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(node.url)))

    def fix(node: Any) -> Any:
        kids = getattr(node, "children", None)
        if (
            gone
            and isinstance(kids, tuple)
            and any(isinstance(k, Image) and target(k) in gone for k in kids)
        ):
            out: list[Any] = []
            for k in kids:
                out.extend(k.alt if isinstance(k, Image) and target(k) in gone else (k,))
            return replace(node, children=tuple(out))
        if isinstance(node, Image) and (where := target(node)) is not None:
            found = images.get(where)
            if found is not None and len(found[1]) <= _IMAGE_LIMIT:
                encoded = base64.b64encode(found[1]).decode("ascii")
                return Image(
                    url=f"data:{found[0]};base64,{encoded}", alt=node.alt, title=node.title
                )
        return node

    return tuple(walk(b, fix) for b in blocks)


class EpubReader:
    """EPUB 2/3 (needs the ``epub`` extra): metadata, chapters in reading order, images."""

    name: str = "epub"
    description: str = "EPUB 2 and 3 books (needs digestkit[epub]); a chapter per article"
    extensions: tuple[str, ...] = (".epub",)
    kind: Literal["text", "bytes"] = "bytes"

    def sniff(self, data: bytes, path: str | None) -> float:
        """Sure for a zip whose first member is ``mimetype`` = ``application/epub+zip``."""
        if isinstance(data, str):
            return 0.0
        if (
            data[:4] == b"PK\x03\x04"
            and data[30:38] == b"mimetype"
            and b"application/epub+zip" in data[38:90]
        ):
            return 1.0
        if data[:4] == b"PK\x03\x04" and path and path.lower().endswith(".epub"):
            return 0.8
        return 0.0

    def read(self, data: bytes, *, path: str | None = None) -> Document:
        """Read the book; hostile containers and XML are refused before anything is parsed."""
        from .html import decode_html, iso_date, read_html

        epub = _ebooklib()

        if isinstance(data, str):
            raise ParseError("an EPUB is binary: read it as bytes", path=path)
        with open_zip(data, path=path) as zf:
            _check_xml(zf, path)
            data = _utf8_names(zf, data)
        missing: dict[str, str] = {}
        book = _load(data, path, missing)
        gone = frozenset(missing.values())
        if missing:
            warnings.warn(
                f"{path or '<bytes>'}: files the package lists are missing from the EPUB, "
                f"left out (images keep their alt text): {', '.join(sorted(missing))}",
                stacklevel=2,
            )
        langs = _dc(book, "language")
        lang = langs[0] if langs else None
        dates = [d for d in (_date(v) for v in _dc(book, "date")) if d is not None]
        titles = _dc(book, "title")
        meta = Meta(
            title=titles[0] if titles else None,
            lang=lang,
            author=", ".join(_dc(book, "creator")) or None,
            date=dates[0] if dates else None,
            tags=tuple(dict.fromkeys(_dc(book, "subject"))),
            description=next(iter(_dc(book, "description")), None),
            source=next(iter(_dc(book, "source")), None),
        )
        toc = _toc_titles(book)
        # the book's files as its chapters name them (relative to the package document)
        members = frozenset(str(it.file_name) for it in book.get_items())
        images = _images(book, gone)
        chapters: list[Article] = []
        for idref, _linear in book.spine:
            item = book.get_item_with_id(idref)
            if (
                item is None
                or isinstance(item, epub.EpubNav)
                or "nav" in (getattr(item, "properties", None) or [])
            ):
                continue
            raw = item.content
            if not isinstance(raw, bytes) or not raw.strip():
                continue
            doc = read_html(decode_html(raw, path=path), path=path, strategy="all")
            blocks = _inline_images(doc.blocks, item.file_name, images, gone)
            blocks = _unlink_internal(blocks, item.file_name, members)
            if not any(_text_beyond_images(b) for b in blocks):
                continue  # a cover page (an image and its alt text) or a blank separator
            title = toc.get(item.file_name) or doc.meta.title
            first = blocks[0] if blocks else None
            if isinstance(first, Heading) and (title is None or plain_text(first).strip() == title):
                title = plain_text(first).strip()
                blocks = blocks[1:]
            chapter_lang = doc.meta.lang if doc.meta.lang and doc.meta.lang != lang else None
            # the chapter's own date: digestkit's dateline under the title, else the page's meta
            m = _DATELINE.search(raw)
            day = iso_date(_date(m.group(1).decode("utf-8", "replace")) if m else doc.meta.date)
            chapters.append(
                Article(meta=ArticleMeta(title=title, lang=chapter_lang, date=day), blocks=blocks)
            )
        if len(chapters) == 1:
            only = chapters[0]
            blocks = only.blocks
            heading = only.meta.title
            if heading and meta.title is None:
                meta = replace(meta, title=heading)
            elif heading and heading != meta.title:
                # the chapter's own title (its first heading, taken off above) is text the
                # book shows: a one-chapter book titled 書 whose chapter is 草枕 lost 草枕
                blocks = (Heading(level=1, children=(Text(text=heading),)), *blocks)
            return Document(meta=meta, blocks=blocks)
        return Document(meta=meta, blocks=tuple(chapters))


# digestkit's chapters open with <p class="dateline"><time datetime="2026-03-02">…</time></p>
_DATELINE = re.compile(rb'<p class="dateline">\s*<time datetime="([^"]+)"')


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")


def _unlink_internal(
    blocks: tuple[Block, ...], base: str, members: frozenset[str]
) -> tuple[Block, ...]:
    """Links from one chapter of the book to another (``Chapter2.html#x``) keep their text but
    not the link: the chapters become one document's articles, so no file they name exists
    any more — every writer would keep the text anyway, and the weekly job would warn about
    each one (27 times for one real book). Links out of the book, and ``#anchors``, stay."""

    def internal(node: object) -> bool:
        if not isinstance(node, Link) or _SCHEME.match(node.url) or node.url.startswith("#"):
            return False
        target = unquote(urldefrag(node.url)[0])
        if not target:
            return False
        return posixpath.normpath(posixpath.join(posixpath.dirname(base), target)) in members

    def fix(node: Any) -> Any:
        kids = getattr(node, "children", None)
        if isinstance(kids, tuple) and any(internal(k) for k in kids):
            spliced: list[Inline] = []
            for k in kids:
                spliced.extend(k.children if internal(k) else (k,))
            return replace(node, children=merge_text(spliced))
        return node

    return tuple(walk(b, fix) for b in blocks)


def _text_beyond_images(block: Block) -> bool:
    """True when the block shows text other than image alt text."""
    return bool(
        plain_text(walk(block, lambda n: Image(url=n.url) if isinstance(n, Image) else n)).strip()
    )


def _date(value: str) -> Any:
    from ..metadata import parse_web_date

    return parse_web_date(value)


READER = EpubReader()
