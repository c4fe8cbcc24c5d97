"""The EPUB container writer: the same bytes as ``zipfile``, raw copies of packed entries, escaping
as ``xml.sax.saxutils`` does it."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
import zlib
from xml.sax import saxutils

from hypothesis import given
from hypothesis import strategies as st

from digestkit.writers.epub_package import Packed, _Zip, escape, pack, quoteattr

STAMP = (2026, 2, 27, 13, 45, 31)
ENTRIES = [
    ("mimetype", b"application/epub+zip", True),
    ("META-INF/container.xml", b"<container/>\n" * 20, False),
    ("EPUB/chapter-001.xhtml", "中文内容，繁體與簡體。\n".encode() * 500, False),
    ("EPUB/images/c001-图.png", bytes(range(256)) * 9, False),  # a non-ASCII name
    ("EPUB/empty.css", b"", False),
]


def _zipfile_bytes() -> bytes:
    """What the EPUB writer wrote with ``zipfile`` before it had its own container writer."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data, stored in ENTRIES:
            info = zipfile.ZipInfo(name, date_time=STAMP)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, data, compresslevel=6)
    return buf.getvalue()


def test_container_bytes_equal_zipfiles():
    buf = io.BytesIO()
    z = _Zip(buf, STAMP)
    for name, data, stored in ENTRIES:
        z.add(name, Packed(data, zlib.crc32(data), len(data)) if stored else pack(data),
              stored=stored)  # fmt: skip
    z.close()
    assert buf.getvalue() == _zipfile_bytes()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
        assert zf.testzip() is None
        assert [zf.read(n) for n, _, _ in ENTRIES] == [d for _, d, _ in ENTRIES]


def test_packed_entry_is_copied_as_is():
    from digestkit.writers.epub_package import EpubPackage

    data = "<p>段落</p>\n".encode() * 300
    first, second = io.BytesIO(), io.BytesIO()
    when = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    pkg = EpubPackage(first, when)
    packed = pkg.add("chapter-001.xhtml", data, id="c1", spine=True)
    pkg.finish(identifier="urn:x", title="t", lang="zh-Hans")
    pkg = EpubPackage(second, when)
    pkg.add_packed("chapter-001.xhtml", packed, id="c1", spine=True)
    pkg.finish(identifier="urn:x", title="t", lang="zh-Hans")
    assert first.getvalue() == second.getvalue()
    with zipfile.ZipFile(second) as zf:
        assert zf.read("EPUB/chapter-001.xhtml") == data


@given(st.text(alphabet="ab中&<>\"'\n\r\t ", max_size=30))
def test_escaping_is_saxutils(text):
    assert escape(text) == saxutils.escape(text)
    assert quoteattr(text) == saxutils.quoteattr(text)
