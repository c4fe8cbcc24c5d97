"""Zip containers from strangers (EPUB, and any zip-based format): checked before anything inflates.

A zip's central directory declares every member's name, compressed and uncompressed size before
a byte is inflated, and Python's ``zipfile`` never inflates past the declared size (a member
whose header lies fails its CRC check instead). So the limits are enforced on the directory
alone, in microseconds, whatever the archive holds — a 300 MB member of zeros (about 300 KB
compressed) is refused by its ratio without being inflated:

- member names must be relative and stay inside the container (no ``..``, no absolute or drive
  paths, no backslashes, no NUL);
- at most :attr:`ZipLimits.members` members, each at most :attr:`ZipLimits.member` bytes
  uncompressed, :attr:`ZipLimits.total` in all, and no member over 1 MiB compressed more than
  :attr:`ZipLimits.ratio` to one (text deflates about 3–10:1, images not at all; bombs 1000:1).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from .errors import ParseError

__all__ = ["ZipLimits", "check_zip", "open_zip"]


@dataclass(frozen=True, slots=True)
class ZipLimits:
    """Limits for one archive (defaults fit any real e-book; bombs exceed them by far)."""

    members: int = 10_000
    member: int = 128 * 1024 * 1024
    total: int = 512 * 1024 * 1024
    ratio: int = 100
    ratio_floor: int = 1024 * 1024  # small members may compress well (a page of spaces)


def _unsafe_name(name: str) -> str | None:
    if "\x00" in name:
        return "a NUL byte"
    if "\\" in name:
        return "a backslash"
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "an absolute path"
    if ".." in PurePosixPath(name).parts:
        return "'..'"
    return None


def check_zip(zf: zipfile.ZipFile, *, path: str | None, limits: ZipLimits = ZipLimits()) -> None:
    """Raise :class:`ParseError` naming ``path`` and the member when the archive breaks a limit."""
    infos = zf.infolist()
    if len(infos) > limits.members:
        raise ParseError(f"refused: {len(infos)} zip members (limit {limits.members})", path=path)
    total = 0
    for info in infos:
        why = _unsafe_name(info.filename)
        if why is not None:
            raise ParseError(f"refused: zip member {info.filename!r} has {why}", path=path)
        if info.file_size > limits.member:
            raise ParseError(
                f"refused: zip member {info.filename!r} inflates to {info.file_size:,} bytes "
                f"(limit {limits.member:,})",
                path=path,
            )
        if info.file_size > limits.ratio_floor and info.file_size > limits.ratio * max(
            1, info.compress_size
        ):
            raise ParseError(
                f"refused: zip member {info.filename!r} compresses "
                f"{info.file_size // max(1, info.compress_size):,}:1 (a zip bomb; limit "
                f"{limits.ratio}:1)",
                path=path,
            )
        total += info.file_size
        if total > limits.total:
            raise ParseError(
                f"refused: zip members inflate to over {limits.total:,} bytes in all", path=path
            )


def open_zip(data: bytes, *, path: str | None, limits: ZipLimits = ZipLimits()) -> zipfile.ZipFile:
    """A checked :class:`zipfile.ZipFile` over ``data`` (not a zip → :class:`ParseError`)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as exc:
        raise ParseError(f"not a valid zip container: {exc}", path=path) from None
    check_zip(zf, path=path, limits=limits)
    return zf
