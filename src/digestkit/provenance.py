"""digestkit's own mark in what it writes, and how the weekly job recognises its own books.

Every page and book digestkit writes names it as the generator, as other tools do (pandoc,
Hugo and calibre name themselves the same way), so a reader can tell where a file came from:

- HTML pages (``html`` writer, its e-mail variant): ``<meta name="generator" content="digestkit
  0.1.0">``, in the first few hundred bytes of the head;
- EPUB: ``<meta name="generator" content="digestkit 0.1.0"/>`` in the package document (OPF);
- e-mail (``eml``): an ``X-Mailer: digestkit 0.1.0`` header (and the HTML part's meta);
- PDF: the generator meta of its HTML source, which WeasyPrint keeps as the PDF's Creator.

The weekly job reads HTML pages and EPUB books found in the archive, but not these: last week's
book written into the archive would otherwise come back as a chapter of this week's.
:func:`written_by_digestkit` decides from the file's first bytes, and for an EPUB from its
package document alone (read through the zip's central directory: the chapters, fonts and
images of a large book are never inflated), so a warm re-run pays microseconds per book.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["GENERATOR", "HEAD_BYTES", "generator", "written_by_digestkit"]

#: how much of a file's start :func:`written_by_digestkit` looks at (the writers put the mark
#: well inside it)
HEAD_BYTES = 8192
#: the OPF's metadata comes first; no more of the package document is inflated than this
_OPF_BYTES = 16384
#: the product name every mark starts with (the version follows it)
GENERATOR = "digestkit"

# The marks' patterns are compiled where a page, message or book is looked at (``re`` keeps
# them): a weekly re-run of Markdown digests meets none, and compiling them cost ~0.7 ms of its
# start-up (issue 26). Only the header test, asked of every text file, is compiled here.
_HTML_MARK = (
    rb"<meta\s[^>]*?(?:name\s*=\s*[\"']?generator[\"']?\s[^>]*?content\s*=\s*[\"']digestkit\b"
    rb"|content\s*=\s*[\"']digestkit\b[^>]*?name\s*=\s*[\"']?generator\b)"
)
# ``dc:publisher`` digestkit: books written before the generator meta existed
_OPF_MARK = _HTML_MARK + rb"|<dc:publisher>digestkit</dc:publisher>"
_MAIL_MARK = rb"^X-Mailer:[ \t]*digestkit\b"
_HEADER = re.compile(rb"[A-Za-z0-9][A-Za-z0-9-]*:[ \t]")
_EPUB_MAGIC = b"application/epub+zip"
_ROOTFILE = rb"<rootfile\b[^>]*?full-path\s*=\s*[\"']([^\"']+)[\"']"


def generator() -> str:
    """``digestkit <version>``: the text of the mark."""
    from ._version import __version__

    return f"{GENERATOR} {__version__}"


def written_by_digestkit(path: str | Path, head: bytes) -> bool:
    """Whether the file at ``path``, whose first bytes are ``head`` (up to :data:`HEAD_BYTES`),
    is a page, book or message digestkit wrote: its generator mark is there.

    Only the head is looked at, except for an EPUB, whose package document is read from the
    zip (no other member). A zip that cannot be opened is not digestkit's (its reader will say
    what is wrong with it).
    """
    if head[:4] == b"PK\x03\x04" and _EPUB_MAGIC in head[30:90]:
        return _epub_marked(Path(path))
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<"):  # a page: the mark is in its head
        head_part = re.split(rb"</head|<body", text, maxsplit=1, flags=re.I)[0]
        return bool(re.search(_HTML_MARK, head_part, re.I))
    if _HEADER.match(text):  # a message: the mark is a header
        headers = re.split(rb"\r?\n\r?\n", text, maxsplit=1)[0]
        return bool(re.search(_MAIL_MARK, headers, re.I | re.M))
    return False  # anything else (Markdown, prose, UTF-16 …): digestkit writes no mark into it


def _epub_marked(path: Path) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if n.lower().endswith(".opf")]
            if len(names) != 1:  # the container names the package document
                with zf.open("META-INF/container.xml") as fh:
                    m = re.search(_ROOTFILE, fh.read(4096), re.I)
                names = [m.group(1).decode("utf-8", "replace")] if m else []
            if not names:
                return False
            with zf.open(names[0]) as fh:
                return bool(re.search(_OPF_MARK, fh.read(_OPF_BYTES), re.I))
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError, EOFError):
        return False
