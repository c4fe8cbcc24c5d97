"""Bytes in, text out: decoding, byte order marks and line endings, safely.

UTF-8 is assumed. Bytes that are not UTF-8 are never silently replaced: the error names the
file and the position of the first bad byte, and suggests the legacy Chinese encoding
(GB18030 or Big5) that decodes the whole file, which the caller can then pass explicitly
(``encoding="gb18030"``) or let digestkit pick (``encoding="auto"``, with a warning).

Writing goes through :func:`atomic_write`: a temporary file next to the target, renamed over it
only when complete, so a failure never leaves a partial file or clobbers an existing one.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import OutputError, ParseError

__all__ = ["atomic_write", "decode", "read_bytes", "read_path"]

_LEGACY = ("gb18030", "big5")


def _legacy_candidates(data: bytes) -> list[str]:
    found = []
    for enc in _LEGACY:
        try:
            data.decode(enc)
        except UnicodeDecodeError:
            continue
        found.append(enc)
    return found


def decode(data: bytes, *, path: str | None = None, encoding: str | None = None) -> str:
    """Decode ``data`` to text with ``\\n`` line endings and no byte order mark."""
    if encoding in (None, "auto", "utf-8", "utf8"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            candidates = _legacy_candidates(data)
            if encoding == "auto" and candidates:
                warnings.warn(
                    f"{path or '<bytes>'}: not UTF-8, decoded as {candidates[0]}",
                    stacklevel=2,
                )
                text = data.decode(candidates[0])
            else:
                line = data.count(b"\n", 0, exc.start) + 1
                col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
                hint = (
                    f"; it decodes as {' and '.join(candidates)}: pass --encoding {candidates[0]}"
                    if candidates
                    else ""
                )
                raise ParseError(
                    f"not valid UTF-8 (byte 0x{data[exc.start]:02x}){hint}",
                    path=path,
                    line=line,
                    column=col,
                ) from None
    else:
        try:
            text = data.decode(encoding).removeprefix("\ufeff")
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(f"cannot decode as {encoding}: {exc}", path=path) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """A file's bytes; a missing or unreadable file is a :class:`ParseError` naming it."""
    p = Path(path)
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise ParseError("no such file", path=str(p)) from None
    except IsADirectoryError:
        raise ParseError("is a folder, not a file", path=str(p)) from None
    except OSError as exc:
        raise ParseError(f"cannot read: {exc.strerror}", path=str(p)) from None


def read_path(path: str | os.PathLike[str], *, encoding: str | None = None) -> str:
    """Read and decode a file; a missing or unreadable file is a :class:`ParseError`."""
    return decode(read_bytes(path), path=str(path), encoding=encoding)


def _create_beside(target: Path) -> tuple[int, Path]:
    """Create a new, empty temporary file beside ``target``, with the mode the file should get.

    Not ``tempfile.mkstemp``: it creates files with mode 0600 whatever the umask, so every book
    and page came out readable by its owner only. ``os.open(..., 0o666)`` lets the kernel apply
    the umask, as any program writing a file does; a file being replaced keeps its own mode.
    """
    try:
        keep: int | None = stat.S_IMODE(target.stat().st_mode)
    except OSError:
        keep = None
    for _ in range(100):
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")
        try:
            fd = os.open(
                tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666
            )
        except FileExistsError:
            continue
        if keep is not None:
            with contextlib.suppress(OSError):  # e.g. a file system without modes
                os.fchmod(fd, keep)
        return fd, tmp
    raise FileExistsError(f"no free temporary name beside {target}")


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "wb") -> Iterator[IO[bytes]]:
    """Open a temporary file beside ``path``; rename it over ``path`` only on success.

    The file gets the mode any new file gets (``0o666`` less the umask) or, when it replaces
    one, that file's mode. Its bytes are flushed to disk (``fsync``) before the rename, so a
    crash leaves the old file or the new one, never an empty one.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _create_beside(target)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, mode) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _sync_dir(target.parent)


def _sync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX: fsync the folder); best effort elsewhere."""
    try:
        dfd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(dfd)
    finally:
        os.close(dfd)
