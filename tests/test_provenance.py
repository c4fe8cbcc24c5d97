"""provenance.py: every book format digestkit writes carries its mark, and the check finds it
from a file's head (an EPUB: its package document alone)."""

from __future__ import annotations

import io
import time
import warnings
import zipfile
import zlib
from pathlib import Path

import pytest

import digestkit
from digestkit.provenance import HEAD_BYTES, generator, written_by_digestkit
from tests.conftest import SEEDS

CORPUS_EPUB = Path("/work/corpora/epub")


def _doc():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return digestkit.load(SEEDS[0])


def _dump(path: Path, **kw: object) -> Path:
    """The seed written by digestkit to ``path`` (its warnings are not what these tests check)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        digestkit.dump(_doc(), path, **kw)
    return path


def _copy_zip(src_path: Path, dst: zipfile.ZipFile) -> None:
    with zipfile.ZipFile(src_path) as src:
        for info in src.infolist():
            dst.writestr(info, src.read(info))


def _check(path: Path) -> bool:
    with path.open("rb") as fh:
        return written_by_digestkit(path, fh.read(HEAD_BYTES))


@pytest.mark.parametrize("fmt", ["epub", "html", "eml"])
def test_every_book_format_is_known_as_ours(tmp_path, fmt):
    out = _dump(tmp_path / f"x.{fmt}")
    assert _check(out)
    assert generator().startswith("digestkit ") and generator() != "digestkit "


def test_html_email_variant_is_known_as_ours(tmp_path):
    out = _dump(tmp_path / "mail.html", email=True)
    assert _check(out)


def test_an_epub_is_judged_by_its_package_document_alone(tmp_path):
    ours = _dump(tmp_path / "ours.epub")
    # break every member but the package document and the mimetype: were any of them
    # inflated, the check would fail on its CRC or stream
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(broken, "w") as dst:
        _copy_zip(ours, dst)
    raw = bytearray(broken.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as zf:
        for info in zf.infolist():
            if info.filename in ("mimetype", "EPUB/content.opf") or info.compress_size < 8:
                continue
            start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
            raw[start : start + 4] = b"\xff\xff\xff\xff"
    broken.write_bytes(bytes(raw))
    with zipfile.ZipFile(broken) as zf, pytest.raises((zipfile.BadZipFile, zlib.error)):
        zf.read("EPUB/chapter-001.xhtml")  # it really is broken
    assert _check(broken)


def test_other_tools_books_and_pages_are_not_ours(tmp_path):
    pandoc_like = tmp_path / "p.html"
    pandoc_like.write_text(
        '<!DOCTYPE html>\n<html><head><meta name="generator" content="pandoc" />'
        "<title>x</title></head><body><p>digestkit</p></body></html>",
        "utf-8",
    )
    assert not _check(pandoc_like)
    # the mark in a page's body (an article about digestkit) is not a generator mark
    body = tmp_path / "b.html"
    body.write_text('<!DOCTYPE html><html><head><title>x</title></head><body>'
                    '<pre>&lt;meta name="generator" content="digestkit"&gt;</pre>'
                    '<meta name="generator" content="digestkit 0.1.0"></body></html>', "utf-8")  # fmt: skip
    assert not _check(body)
    mail = tmp_path / "m.eml"
    mail.write_bytes(b"From: a@example.com\r\nX-Mailer: Thunderbird\r\nSubject: x\r\n\r\n"
                     b"X-Mailer: digestkit 0.1.0\r\n")  # fmt: skip
    assert not _check(mail)
    books = sorted(CORPUS_EPUB.glob("*.epub")) if CORPUS_EPUB.is_dir() else []
    for book in books:  # real EPUBs from pandoc, calibre, epub.js … (when the corpus is here)
        assert not _check(book), book.name


def test_the_check_of_a_large_book_is_cheap(tmp_path):
    ours = _dump(tmp_path / "big.epub")
    big = tmp_path / "bigger.epub"
    with zipfile.ZipFile(big, "w") as dst:
        _copy_zip(ours, dst)
        # 64 MB of fonts and images a real book may carry (stored: as big on disk)
        dst.writestr("EPUB/fonts/big.otf", b"\x00" * (64 << 20), zipfile.ZIP_STORED)
    best = min(_timed(big) for _ in range(5))
    assert best < 0.01, best  # the whole file would take ~30 ms just to read


def _timed(path: Path) -> float:
    t = time.perf_counter()
    assert _check(path)
    return time.perf_counter() - t
