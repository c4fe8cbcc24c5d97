"""Sniffing by content: the reader whose ``sniff`` scores highest is the right one, whatever the
file is called (bytes readers are asked directly until the registry dispatches bytes)."""

from __future__ import annotations

import io
import zipfile

import pytest

from digestkit.readers import epub, feed, html

READERS = {"html": html.READER, "feed": feed.READER, "epub": epub.READER}


def _zip(first: str, content: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(first, content)
        zf.writestr("x.txt", b"x")
    return buf.getvalue()


SAMPLES = {
    "html doctype": (b"<!DOCTYPE html>\n<html><body><p>x</p></body></html>", "html"),
    "html after a comment": (b"<!-- saved from url=(0014)about:internet -->\n<html>", "html"),
    "xhtml prolog": (
        b'<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">',
        "html",
    ),
    "e-mail": (
        b"From: a@example.org\nSubject: x\nMIME-Version: 1.0\nContent-Type: text/html\n\n<p>x</p>",
        "html",
    ),
    "mhtml": (
        b"From: <Saved by Blink>\nSnapshot-Content-Location: https://x.org/\nMIME-Version: 1.0\n\n",
        "html",
    ),
    "rss": (
        b'<?xml version="1.0"?>\n<?xml-stylesheet href="s.xsl"?>\n<rss version="2.0"><channel>',
        "feed",
    ),
    "atom": (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>', "feed"),
    "rdf": (
        b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
        "feed",
    ),
    "json feed": (b'{\n "version": "https://jsonfeed.org/version/1.1",\n "title": "x"}', "feed"),
    "epub": (_zip("mimetype", b"application/epub+zip"), "epub"),
    "utf-16 html": ("<!DOCTYPE html><html><p>中文</p>".encode("utf-16"), "html"),
    "utf-16 rss": (
        '<?xml version="1.0" encoding="utf-16"?><rss version="2.0">'.encode("utf-16"),
        "feed",
    ),
}


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("path", [None, "download.bin", "notes.txt"])
def test_content_decides_whatever_the_name(name, path):
    data, want = SAMPLES[name]
    scores = {n: r.sniff(data, path) for n, r in READERS.items()}
    assert max(scores, key=lambda n: scores[n]) == want and scores[want] >= 0.95, scores


@pytest.mark.parametrize(
    "data",
    [b"# Title\n\nMarkdown text.\n", "正文。".encode(), b'{"t": "Document", "blocks": []}',
     _zip("word/document.xml", b"<w/>"), b"---\ntitle: x\n---\n",
     "From: 新华社\n正文第一段。".encode(), "Date: 2026-02-26\nFrom: 本报\n国家统计局发布数据。\n".encode()],
    ids=["markdown", "prose", "digestkit-json", "docx", "yaml", "from-line", "headers-then-prose"],
)  # fmt: skip
def test_other_formats_are_left_to_their_readers(data):
    assert all(r.sniff(data, None) == 0.0 for r in READERS.values())


def test_extensions_only_break_ties():
    assert html.READER.sniff(b"plain words", "page.html") == 0.6
    assert feed.READER.sniff(b"plain words", "news.rss") == 0.6
    assert epub.READER.sniff(b"plain words", "book.epub") == 0.0  # not even a zip
