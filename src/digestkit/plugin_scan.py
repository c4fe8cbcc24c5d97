"""Which distributions on ``sys.path`` declare entry points in digestkit's groups — the
registry's scan of ``entry_points.txt`` files (:func:`own_entry_points`), and its memo.

Why a scan: see ``registry._own_entry_points`` (``importlib.metadata`` costs ~35 ms a run).

Why a memo: in a fresh process the scan lists ~600 folder entries and tries ~100 files, ~1.6 ms
of CPU — 2 % of a 30-digest HTML re-run (issue 26). With :func:`keep_memo_in` (the command
line's weekly job names its cache folder; a run without the cache keeps nothing), the answer for
each ``sys.path`` folder is kept in ``<cache>/entry-points`` and read back while the folder is
the same folder (device, inode) with the same modification time (ns), and each file that
mattered is unchanged (size, time): every ``entry_points.txt`` that mentions digestkit, and every
``*.egg-info`` folder's (a source tree's, which ``setup.py egg_info`` rewrites in place).
Installing, upgrading, reinstalling or removing a distribution creates or removes its
``*.dist-info`` folder, so its ``sys.path`` folder's time changes and that folder is read again.
A folder changed in the last two seconds is read again next time too, whatever its time says
(a file system's clock ticks are coarser than a nanosecond: a change in the same tick as the
one recorded would not show) — the working folder of ``python -m digestkit``, where the book is
written, is such a folder on every run, and small.
"""

from __future__ import annotations

import marshal
import os
import re
import stat
import sys
import time

from .memo_file import keep_whole

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from collections.abc import Sequence

    #: group → [(name, value)] of one ``entry_points.txt``
    Groups = dict[str, list[tuple[str, str]]]
    #: a file that matters: (index of its distribution, path, size, mtime ns, its groups or
    #: None when it does not mention digestkit)
    Watched = tuple[int, str, int, int, "Groups | None"]
    #: a folder read: (device, inode, mtime ns, distribution names in listing order, watched)
    Folder = tuple[int, int, int, tuple[str, ...], tuple[Watched, ...]]

__all__ = ["MEMO", "keep_memo_in", "own_entry_points", "parse_entry_points", "read_bytes"]

MEMO = "entry-points"  # the memo's file name in the cache folder
_FORMAT = 1  # the memo's layout; a memo of another layout (or Python) is not read
_SETTLED_NS = 2_000_000_000  # a folder younger than this is read again on the next run

#: the folder the memo is kept in; None (no cache in use): the scan reads and keeps nothing
_memo_root: str | None = None


def keep_memo_in(root: str | None) -> None:
    """Keep the scan's answer in ``root`` (the cache folder), or nowhere (None)."""
    global _memo_root
    _memo_root = root


class _NeedsMetadata(Exception):
    """An egg or a zip on ``sys.path``: only ``importlib.metadata`` reads those."""


def own_entry_points(groups: Sequence[str]) -> Groups | None:
    """digestkit's own entry points by group, when no other distribution on ``sys.path``
    declares any in ``groups``; None when one does, or when an egg or a zip is on the path.

    The same rule as ``importlib.metadata``: ``sys.path`` order, each ``*.dist-info`` and
    ``*.egg-info`` folder's ``entry_points.txt``, the first distribution of a name wins.
    """
    memo_path = None if _memo_root is None else os.path.join(_memo_root, MEMO)  # noqa: PTH118
    kept = _read_memo(memo_path) if memo_path else {}
    now = time.time_ns()
    fresh: dict[str, Folder] = {}
    changed = False
    own: Groups | None = {}
    seen: set[str] = set()
    for entry in sys.path:
        try:
            folder = _folder(entry, kept.get(entry))
        except _NeedsMetadata:
            return None
        if folder is None:
            continue
        if now - folder[2] > _SETTLED_NS:
            fresh[entry] = folder
            changed = changed or kept.get(entry) is not folder
        names, watched = folder[3], folder[4]
        hits = {i: g for i, _, _, _, g in watched if g is not None and any(k in g for k in groups)}
        for i, name in enumerate(names):
            if name in seen:
                continue  # importlib.metadata, too, keeps the first of a name on sys.path
            seen.add(name)
            found = hits.get(i)
            if found is None:
                continue
            if name != "digestkit":
                return None  # a plugin: importlib.metadata reads it (dist name, extras …)
            own = found
    if memo_path and (changed or fresh.keys() != kept.keys()):
        _write_memo(memo_path, fresh)
    return own


def _folder(entry: str, kept: Folder | None) -> Folder | None:
    """What ``entry`` holds: ``kept`` while it still holds, else read; None when unreadable."""
    base = entry or "."
    if base.lower().rstrip("/\\").endswith(".egg"):
        raise _NeedsMetadata
    try:
        st = os.stat(base)  # noqa: PTH116 - a str path: one per sys.path folder
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode):
        if stat.S_ISREG(st.st_mode):
            raise _NeedsMetadata
        return None
    if (
        kept is not None
        and kept[:3] == (st.st_dev, st.st_ino, st.st_mtime_ns)
        and all(_stamp(path) == (size, mtime) for _, path, size, mtime, _ in kept[4])
    ):
        return kept
    try:
        children = os.scandir(base)  # names only: no Path per file
    except OSError:
        return None
    with children:
        listing = [c.name for c in children]
    names: list[str] = []
    watched: list[Watched] = []
    for child in listing:
        low = child.lower()
        if not low.endswith((".dist-info", ".egg-info")):
            continue
        names.append(re.sub(r"[-_.]+", "_", low.rpartition(".")[0].partition("-")[0]))
        path = os.path.join(base, child, "entry_points.txt")  # noqa: PTH118
        data, size, mtime = _read_stamped(path)
        if data is not None and b"digestkit." in data:
            watched.append((len(names) - 1, path, size, mtime, parse_entry_points(data.decode())))
        elif low.endswith(".egg-info"):
            watched.append((len(names) - 1, path, size, mtime, None))
    return (st.st_dev, st.st_ino, st.st_mtime_ns, tuple(names), tuple(watched))


def _stamp(path: str) -> tuple[int, int]:
    """(size, mtime ns) of a file, (-1, -1) when it is not there."""
    try:
        st = os.stat(path)  # noqa: PTH116
    except OSError:
        return (-1, -1)
    return (st.st_size, st.st_mtime_ns)


def _read_stamped(path: str) -> tuple[bytes | None, int, int]:
    """:func:`read_bytes` of ``path`` with its :func:`_stamp` (by the open descriptor)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None, -1, -1
    try:
        st = os.fstat(fd)
        data = _read_all(fd)
    except OSError:
        return None, -1, -1
    finally:
        os.close(fd)
    return data, st.st_size, st.st_mtime_ns


def read_bytes(path: str) -> bytes | None:
    """The whole file, or None when it cannot be read (most distributions have no
    ``entry_points.txt``). ``os.open``/``os.read``, not ``open()``: no file objects and no
    decoding for ~100 attempts, most of them misses — the scan 1.2 → 0.65 ms (issue 26)."""
    return _read_stamped(path)[0]


def _read_all(fd: int) -> bytes:
    chunks: list[bytes] = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def parse_entry_points(text: str) -> Groups:
    """``entry_points.txt`` (an INI file) → group → [(name, value)], in file order, as
    ``importlib.metadata`` reads it (stripped lines; ``#`` and ``;`` comments skipped)."""
    groups: Groups = {}
    section: list[tuple[str, str]] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = groups.setdefault(line[1:-1].strip(), [])
        elif section is not None:
            name, _, value = line.partition("=")
            section.append((name.strip(), value.strip()))
    return groups


def _read_memo(path: str) -> dict[str, Folder]:
    """The kept folders, or none when the memo is missing, unreadable or of another layout."""
    try:
        with open(path, "rb") as fh:  # noqa: PTH123 - a str path, one small file
            kept = marshal.loads(fh.read())  # only what this module wrote
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not (isinstance(kept, tuple) and len(kept) == 3 and kept[:2] == (_FORMAT, sys.version)):
        return {}
    folders = kept[2]
    if not isinstance(folders, dict) or not all(_is_folder(f) for f in folders.values()):
        return {}
    return folders


def _is_folder(f: object) -> bool:
    """Whether a memo's record has a folder's shape (a damaged memo is only a miss)."""
    return (
        isinstance(f, tuple)
        and len(f) == 5
        and all(isinstance(x, int) for x in f[:3])
        and isinstance(f[3], tuple)
        and all(isinstance(n, str) for n in f[3])
        and isinstance(f[4], tuple)
        and all(_is_watched(w, len(f[3])) for w in f[4])
    )


def _is_watched(w: object, names: int) -> bool:
    return (
        isinstance(w, tuple)
        and len(w) == 5
        and isinstance(w[0], int)
        and 0 <= w[0] < names
        and isinstance(w[1], str)
        and isinstance(w[2], int)
        and isinstance(w[3], int)
        and (w[4] is None or isinstance(w[4], dict))
    )


def _write_memo(path: str, folders: dict[str, Folder]) -> None:
    """Keep the scan's folders (best effort: only a later run's speed depends on it)."""
    keep_whole(path, marshal.dumps((_FORMAT, sys.version, folders)))
