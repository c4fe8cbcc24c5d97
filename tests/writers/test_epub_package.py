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


def test_a_contents_list_past_the_spool_limit_goes_to_disk_and_the_book_is_the_same(monkeypatch):
    """The contents are spooled in memory, then (past ``_SPOOL`` bytes) in a temporary file, as
    ``tempfile.SpooledTemporaryFile`` did: the book is the same either way."""
    import sys

    from digestkit.writers import epub_package
    from digestkit.writers.epub_package import EpubPackage, NavPoint

    def book() -> tuple[bytes, bool]:
        out = io.BytesIO()
        pkg = EpubPackage(out, dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
        for n in range(40):
            pkg.add(f"c{n}.xhtml", b"<p>x</p>", id=f"c{n}", spine=True)
            pkg.add_toc(NavPoint(f"第{n}章", f"c{n}.xhtml", [NavPoint("节", f"c{n}.xhtml#s")]))
        on_disk = pkg._nav._on_disk
        pkg.finish(identifier="urn:x", title="t", lang="zh-Hans")
        return out.getvalue(), on_disk

    in_memory, spilled = book()
    assert not spilled
    monkeypatch.setattr(epub_package, "_SPOOL", 500)
    on_disk, spilled = book()
    assert spilled and "tempfile" in sys.modules
    assert on_disk == in_memory
    with zipfile.ZipFile(io.BytesIO(on_disk)) as zf:
        assert "第39章" in zf.read("EPUB/nav.xhtml").decode()


@given(st.text(alphabet="ab中&<>\"'\n\r\t ", max_size=30))
def test_escaping_is_saxutils(text):
    assert escape(text) == saxutils.escape(text)
    assert quoteattr(text) == saxutils.quoteattr(text)


def test_uuid5_url_is_uuids_own():
    """The book identifier is ``uuid.uuid5(NAMESPACE_URL, name)`` to the character, without the
    ``uuid`` module (it imports ``platform``: start-up time)."""
    import random
    import uuid

    from digestkit.writers.epub_package import uuid5_url

    rng = random.Random(5)
    names = ["", "digestkit:", "digestkit:" + "0" * 64, "中文", *(
        "".join(chr(rng.randint(32, 0x4FFF)) for _ in range(rng.randint(1, 40))) for _ in range(200)
    )]  # fmt: skip
    for name in names:
        assert uuid5_url(name) == str(uuid.uuid5(uuid.NAMESPACE_URL, name)), name


def test_an_epub_rerun_imports_neither_uuid_nor_the_pool(tmp_path):
    """A weekly EPUB re-run with nothing new, in a fresh interpreter, imports no ``uuid`` and no
    ``digestkit.parallel``; the cold build before it does import the pool (the check can fail)."""
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from benchmarks.archive import generate

    arch = tmp_path / "archive"
    arch.mkdir()
    for f in generate(tmp_path / "all", 3):
        shutil.copy(f, arch / f.name)
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg"),
           "PYTHONPATH": os.pathsep.join([str(root / "src"), str(root)])}  # fmt: skip
    code = ("import sys, digestkit; digestkit.weekly(sys.argv[1], sys.argv[2], progress=False, "
            "jobs=2); print(sorted(m for m in ('uuid', 'digestkit.parallel') if m in sys.modules))")  # fmt: skip
    runs = [subprocess.run([sys.executable, "-W", "ignore", "-c", code, str(arch), str(tmp_path / f"w{k}.epub")],
                           capture_output=True, text=True, env=env, check=True, timeout=300).stdout.strip()
            for k in range(2)]  # fmt: skip
    assert runs == ["['digestkit.parallel']", "[]"]
    assert (tmp_path / "w0.epub").read_bytes() == (tmp_path / "w1.epub").read_bytes()
