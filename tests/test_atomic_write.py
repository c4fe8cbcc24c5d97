"""Atomic writes: the outputs digestkit writes get the user's permissions, never a partial file."""

from __future__ import annotations

import os
import stat

import pytest

import digestkit
from digestkit.ast import Document, Meta, Paragraph, Text
from digestkit.textio import atomic_write


@pytest.fixture
def umask():
    """Set the process umask for one test, and put the old one back."""
    old = os.umask(0o022)
    try:
        yield lambda value: os.umask(value)
    finally:
        os.umask(old)


def _doc() -> Document:
    return Document(
        meta=Meta(title="權限", lang="zh-Hant"),
        blocks=(Paragraph(children=(Text(text="正文。"),)),),
    )


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# mkstemp made every output 0600 whatever the umask: a book nobody else could read
@pytest.mark.parametrize(("fmt", "mask", "expected"), [
    ("epub", 0o022, 0o644), ("epub", 0o027, 0o640), ("pdf", 0o022, 0o644), ("hugo", 0o002, 0o664),
])  # fmt: skip
def test_outputs_honour_the_umask(tmp_path, umask, fmt, mask, expected):
    umask(mask)
    target = tmp_path / ("site" if fmt == "hugo" else f"out.{fmt}")
    written = digestkit.dump(_doc(), target, format=fmt)
    assert written.name == ("index.md" if fmt == "hugo" else f"out.{fmt}")
    assert _mode(written) == expected
    assert [p.name for p in written.parent.iterdir() if p.name.endswith(".part")] == []


@pytest.mark.parametrize("fmt", ["epub", "pdf"])
def test_a_replaced_file_keeps_its_mode(tmp_path, umask, fmt):
    target = tmp_path / f"book.{fmt}"
    target.write_bytes(b"old")
    target.chmod(0o664)  # group-writable, wider than the umask allows for a new file
    digestkit.dump(_doc(), target)
    assert target.read_bytes() != b"old" and _mode(target) == 0o664


def test_hugo_page_rewritten_keeps_its_mode(tmp_path, umask):
    page = digestkit.dump(_doc(), tmp_path, format="hugo")
    page.chmod(0o600)  # the user made it private
    again = digestkit.dump(_doc(), tmp_path, format="hugo")
    assert again == page and _mode(page) == 0o600


def test_failure_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "x.bin"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_write(target) as fh:
        fh.write(b"half")
        raise RuntimeError("disk on fire")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.bin"]


def test_success_replaces_the_file_after_fsync_and_syncs_the_folder(tmp_path, monkeypatch):
    """The steps in order: the bytes flushed and fsynced, the temporary closed and renamed over
    the target, then the folder fsynced; an unwritable folder is an ``OutputError``."""
    import os

    from digestkit.errors import OutputError

    target = tmp_path / "x.bin"
    target.write_bytes(b"old")
    steps: list[str] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: steps.append("fsync") or real_fsync(fd))
    with atomic_write(target) as fh:
        fh.write(b"new")
        assert target.read_bytes() == b"old"  # not yet
        (part,) = [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
    assert target.read_bytes() == b"new" and not part.exists() and fh.closed
    assert steps == ["fsync", "fsync"]  # the file, then its folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.bin"]
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    with pytest.raises(OutputError), atomic_write(blocker / "x.bin"):
        pass


def test_a_failed_fsync_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    import os

    target = tmp_path / "x.bin"
    target.write_bytes(b"old")

    def broken(fd: int) -> None:
        raise OSError(5, "I/O error")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(OSError, match="I/O error"), atomic_write(target) as fh:
        fh.write(b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.bin"]
