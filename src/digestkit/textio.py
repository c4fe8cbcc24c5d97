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
import functools
import os
import secrets
import stat
import unicodedata
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import OutputError, ParseError

__all__ = ["atomic_write", "decode", "plausibility", "rank_encodings", "read_bytes", "read_path"]

#: Legacy encodings tried when bytes are not UTF-8, in the order a tie is broken.
_LEGACY = ("gb18030", "big5", "big5hkscs", "utf-16-le", "utf-16-be")
_SAMPLE = 20_000  # characters scored per candidate: enough to separate codecs, bounded cost


@functools.cache
def _common_han() -> frozenset[str]:
    """The everyday Han characters of both scripts: GB2312's 6,763 and Big5's 5,401 level-1.

    Text decoded with the right codec is almost all everyday characters; Big5 bytes read as
    GB18030 (or the reverse) land on rare ones — GB18030 assigns a character to every byte pair,
    so "it decodes" says nothing, but "it decodes to common characters" does. Built from the
    codecs themselves, so no frequency table has to be shipped or tuned.
    """
    chars: set[str] = set()
    for lead in range(0xB0, 0xF8):  # GB2312 levels 1 and 2 (hanzi only)
        for trail in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes((lead, trail)).decode("gb2312"))
    for lead in range(0xA4, 0xC7):  # Big5 level 1 (frequent hanzi): A440–C67E
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            if (lead, trail) > (0xC6, 0x7E):
                break
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes((lead, trail)).decode("big5"))
    return frozenset(chars)


def plausibility(text: str) -> float:
    """How much ``text`` looks like real writing (0–1): everyday Han, clean ASCII, no junk.

    Common Han characters, printable ASCII, punctuation and Latin-1 letters count 1; control
    characters, private-use and unassigned code points count -1 (UTF-16 read with the wrong byte
    order yields these, and NULs betray UTF-16 read as a byte codec); anything else — rare Han,
    and the Hangul that 2-byte codec text turns into when read as UTF-16 — counts 0.
    """
    common = _common_han()
    good = bad = total = 0
    for ch in text[:_SAMPLE]:
        total += 1
        o = ord(ch)
        if ch in common or 0x20 <= o < 0x7F or ch in "\n\r\t":
            good += 1
        elif (
            0x3000 <= o <= 0x303F
            or 0xFF00 <= o <= 0xFFEF
            or 0x2000 <= o <= 0x206F
            or 0xA0 <= o < 0x250
        ):
            good += 1  # CJK and general punctuation, full-width forms, Latin-1 letters
        elif o < 0x20 or 0x7F <= o < 0xA0 or unicodedata.category(ch) in ("Cn", "Co", "Cs"):
            bad += 1  # controls, unassigned, private use: no real text has many
        # anything else (rare Han, Hangul, other scripts) is no evidence either way
    return (good - bad) / total if total else 0.0


def rank_encodings(data: bytes) -> list[tuple[str, float]]:
    """Legacy encodings that decode ``data`` strictly, best first, with their plausibility.

    A byte order mark settles UTF-16 at once. Otherwise every candidate that decodes without
    error is scored by :func:`plausibility` on what it decoded to; ties keep ``_LEGACY``
    order. (Measured on real files: ``benchmarks/encodings.py``; docs/formats.md.)
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        enc = "utf-16-le" if data[:2] == b"\xff\xfe" else "utf-16-be"
        try:
            data[2:].decode(enc)
        except UnicodeDecodeError:
            pass
        else:
            return [(enc, 1.0)]
    found: list[tuple[str, float]] = []
    seen: set[str] = set()
    for enc in _LEGACY:
        if enc.startswith("utf-16") and len(data) % 2:
            continue
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if text in seen:  # big5hkscs agrees with big5 on plain Big5 text: report big5
            continue
        seen.add(text)
        found.append((enc, plausibility(text)))
    found.sort(key=lambda c: -c[1])
    return found


def _legacy_candidates(data: bytes) -> list[str]:
    """Plausible legacy encodings (score above zero), best first."""
    return [enc for enc, score in rank_encodings(data) if score > 0]


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
                if text.startswith("\ufeff"):
                    text = text[1:]
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
