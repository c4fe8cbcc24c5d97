"""A content-hash cache of parsed documents and rendered chapters, so re-running the weekly job
only parses and lays out what changed — and a cache that stays healthy while it does.

Keys: whatever the caller builds (:meth:`DocumentCache.key` gives the hash — :mod:`.keyhash`, BLAKE2b — of digestkit's
version, its code (:func:`code_fingerprint`), the reader options and the file's bytes; writers
add their own, e.g. ``xhtml:<hash>:False``, over a document's key). Any change to what a key
covers is a miss, so a stale entry can never be returned — an edited reader or renderer
included, which a version number alone would not see during development. A key is never used as a file name as it is: ``:`` is invalid on Windows (where such
entries once silently failed to write), and a key may be longer than a name may be. Every entry is
stored as ``<root>/<h[:2]>/<h>.pickle`` where ``h`` is the key's hash (:mod:`.keyhash`) — 73 characters of
``[0-9a-f.]``, valid on every file system.

Location: ``$XDG_CACHE_HOME/digestkit`` when that variable is set (on every OS, so one variable
moves it everywhere), else where the OS keeps caches (``platformdirs``: ``~/.cache/digestkit``
on Linux, ``~/Library/Caches/digestkit`` on macOS, ``%LOCALAPPDATA%\\digestkit\\Cache`` on
Windows).

Health: nothing would ever be evicted otherwise, and every weekly run adds entries. A hit touches
its entry's modification time (a reused face copy in ``faces/`` too), so mtime is the time of
last use; :func:`prune` — run once at
the end of a weekly job — deletes the least recently used entries while the cache is over its
cap (``DIGESTKIT_CACHE_MAX``, default 1 GiB), down to 90 % of it, so a cache at its cap is not
pruned again on every run. Measuring costs one ``stat`` per entry, so it is skipped for an hour
after a measure found the cache under half its cap (see :func:`prune`; figures in
docs/benchmarks.md). Pruning never runs while a book is being made, so an entry a run still needs
is never taken from under it (and a missing entry is only a miss).

Entries are written atomically and a corrupt or unreadable entry is treated as a miss. The cache
only ever holds what digestkit itself wrote, under the user's own cache folder, and
:func:`clear`/:func:`prune` only ever delete such files.
"""

from __future__ import annotations

import functools
import os
import re
import time
from pathlib import Path

from . import keyhash
from .contexts import suppress
from .lazyre import lazy_compile
from .memo_file import keep_whole

try:  # pickle's C half, what pickle.load and pickle.dump are: without pickle.py's ~1 ms of import
    from _pickle import UnpicklingError, dump, load
except ImportError:  # pragma: no cover - a Python without the accelerator
    from pickle import UnpicklingError, dump, load
from ._records import record as dataclass  # dataclasses' classes, no exec
from .errors import DigestkitError

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "DEFAULT_MAX_BYTES",
    "CacheStats",
    "DocumentCache",
    "cache_dir",
    "clear",
    "code_fingerprint",
    "entry_name",
    "format_size",
    "max_bytes",
    "parse_size",
    "prune",
    "stats",
]

DEFAULT_MAX_BYTES = 1024**3  # 1 GiB; a 100-digest archive's weekly EPUB takes ~4.3 MiB
_LOW_WATER = 0.9  # prune down to this fraction of the cap
_STALE_PART = 3600.0  # a half-written entry older than this is left over from a crash
_REMEASURE = 3600.0  # see prune()
_STAMP = "measured"  # the cache's size at the last measure; its mtime says when
_MEMO = "code-fingerprint"  # code_fingerprint's last answer
_SUBDIR = lazy_compile(r"^[0-9a-f]{2}$")
_ENTRY = lazy_compile(r"^[0-9a-f]{64}\.(pickle|part)$|^tmp\w+\.part$")
#: ``fonts.face_file``'s copies of collection faces (and their half-written ``atomic_write`` files)
_FACE = lazy_compile(r"^[0-9a-f]{32}\.otf$|^\.[0-9a-f]{32}\.otf\.[0-9a-f]+\.part$")
_SIZE = lazy_compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/digestkit`` if that is set, else the OS's user cache folder."""
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg) / "digestkit"
    import platformdirs  # small, but only the commands that use the cache need it

    return Path(platformdirs.user_cache_dir("digestkit", appauthor=False))


def parse_size(text: str | int) -> int:
    """``"500M"``, ``"2 GiB"``, ``"1g"``, ``"1048576"`` → bytes (binary units; ``0``: entries
    last only for the run that wrote them)."""
    if isinstance(text, int) and not isinstance(text, bool):
        if text < 0:
            raise DigestkitError(f"cache size must not be negative, not {text}")
        return text
    m = _SIZE.match(str(text))
    if not m:
        raise DigestkitError(f"cache size must look like 500M, 2G or 1048576, not {text!r}")
    return int(float(m.group(1)) * _UNITS[m.group(2).lower()])


def max_bytes(given: str | int | None = None) -> int:
    """The cap: ``given`` (a flag or option), else ``$DIGESTKIT_CACHE_MAX``, else 1 GiB."""
    if given is not None:
        return parse_size(given)
    env = os.environ.get("DIGESTKIT_CACHE_MAX")
    if env:
        try:
            return parse_size(env)
        except DigestkitError as exc:
            raise DigestkitError(f"DIGESTKIT_CACHE_MAX: {exc}") from None
    return DEFAULT_MAX_BYTES


def format_size(n: int) -> str:
    """Bytes for people: ``1.5 MiB``."""
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


@functools.cache
def code_fingerprint(root: Path | None = None) -> str:
    """A hash of digestkit's own code: every ``.py`` file of the package (path and bytes) and
    the name, size and time of its data files (the prose model, 0.9 MB, is not read).

    Part of every :meth:`DocumentCache.key`, so parsed documents, rendered chapters (their key
    holds their document's), laid-out PDF groups and font subsets made by other code are never
    served: a developer's edited renderer shows at once, without ``digestkit cache clear``.
    Content, not times, for the code: a checkout or ``touch`` that leaves the code as it was
    keeps the cache warm. Computed once per process, when a key is first needed.

    Reading and hashing the ~70 modules (~1 MB) cost ~2 ms of every run (~0.1 s for a weekly
    re-run, issue 26), so the answer is kept beside the cache (``code-fingerprint``) with the
    folder, name, size and modification time (ns) of every file it covered — the test Python
    itself uses to trust a module's ``.pyc`` — and read back while they are all the same:
    ~0.3 ms of ``stat`` calls. Any change to them (an edit, a ``touch``, a checkout, another
    copy of the package) hashes the code again; the hash itself is as before.
    """
    base = os.fspath(root or Path(__file__).parent)
    found: list[tuple[str, str, int, int]] = []  # (path relative to the package, POSIX; path; …)
    stack = [""]
    while stack:  # os.scandir, not os.walk or Path.rglob: ~3x less time on 67 files
        rel = stack.pop()
        with os.scandir(os.path.join(base, rel)) as it:  # noqa: PTH118
            for e in it:
                name = f"{rel}/{e.name}" if rel else e.name
                if e.is_dir(follow_symlinks=False):
                    if e.name != "__pycache__" and not e.name.startswith("."):
                        stack.append(name)
                elif not e.name.endswith((".pyc", ".pyo")):
                    try:
                        st = e.stat()
                    except OSError:
                        found.append((name, e.path, -1, -1))
                    else:
                        found.append((name, e.path, st.st_size, st.st_mtime_ns))
    found.sort()
    stamp = keyhash.hexdigest(
        "\0".join([base, *(f"{r}\0{n}\0{t}" for r, _, n, t in found)]).encode()
    )
    memo = _fingerprint_memo()
    try:
        if memo is not None:
            with open(memo, encoding="utf-8") as fh:  # noqa: PTH123 - one small file
                kept_stamp, kept = fh.read().split()
            if kept_stamp == stamp:
                return kept
    except (OSError, ValueError, UnicodeDecodeError):
        pass
    h = keyhash.new()
    for rel, path, _size, _time in found:
        h.update(f"\0{rel}\0".encode())
        try:
            if path.endswith(".py"):
                with open(path, "rb") as fh2:  # noqa: PTH123 - the fast path, 67 times
                    h.update(fh2.read())
            else:
                st = os.stat(path)  # noqa: PTH116
                h.update(f"{st.st_size}\0{st.st_mtime_ns}".encode())
        except OSError:
            h.update(b"?")
    fingerprint = h.hexdigest()[:32]
    if memo is not None and -1 not in (t for *_, t in found):  # every stamp known: keep it
        keep_whole(memo, f"{stamp} {fingerprint}\n".encode())
    return fingerprint


#: the cache folder in use in this process (the last whose :meth:`DocumentCache.key` was asked
#: for), where :func:`code_fingerprint` keeps its answer; None until a cache makes a key, so a
#: run without the cache (``--no-cache``) reads and writes nothing there
_memo_root: str | None = None


def _keep_fingerprint_in(root: str) -> None:
    global _memo_root
    _memo_root = root


def _fingerprint_memo() -> str | None:
    """Where :func:`code_fingerprint` keeps its last answer: ``code-fingerprint`` in the cache
    folder in use, beside the entries' folders (:func:`prune` leaves it, :func:`clear` removes
    it); None when no cache is in use."""
    return None if _memo_root is None else os.path.join(_memo_root, _MEMO)  # noqa: PTH118


def entry_name(key: str) -> str:
    """The file an entry lives in, relative to the cache root: ``ab/ab…(64 hex).pickle``.

    Any key maps to a name valid on Windows, macOS and Linux (no ``<>:"/\\|?*``, no trailing
    dot or space, far below 255 characters), and two keys never share a file.
    """
    h = keyhash.hexdigest(key.encode("utf-8", "surrogatepass"))
    return f"{h[:2]}/{h}.pickle"


class DocumentCache:
    """Parsed documents (and what was derived from them) by content hash."""

    def __init__(self, root: Path | None = None) -> None:
        from ._version import __version__

        self.root = root or cache_dir()
        self._root = os.fspath(self.root)
        self._prefixes: dict[tuple[object, ...], Any] = {}
        self.version = __version__
        #: :func:`code_fingerprint`, computed when the first key is made
        self.code: str | None = None
        self.hits = 0
        self.misses = 0

    def key(self, data: bytes, *options: object) -> str:
        prefix = self._prefixes.get(options)
        if prefix is None:  # the same options for every file of a run: hashed once
            if self.code is None:
                _keep_fingerprint_in(self._root)
                self.code = code_fingerprint()
            prefix = self._prefixes[options] = keyhash.new(
                f"digestkit {self.version} {self.code} {options!r}".encode()
            )
        h = prefix.copy()
        h.update(data)
        return h.hexdigest()

    def path(self, key: str) -> Path:
        """Where the entry for ``key`` is (or would be) stored."""
        return self.root / entry_name(key)

    def _file(self, key: str) -> str:
        """:meth:`path` as a string (a weekly run looks up every digest: no ``Path`` each)."""
        return f"{self._root}/{entry_name(key)}"  # "/" separates on every OS

    def __contains__(self, key: str) -> bool:
        """Whether an entry is stored for ``key`` (without reading or touching it)."""
        return self.path(key).is_file()

    def touch(self, key: str) -> bool:
        """Mark the entry for ``key`` as used now (without reading it); whether it exists.

        For an entry a run relies on without reading, e.g. a document behind its summary, so
        pruning does not take it before what depends on it."""
        try:
            os.utime(self._file(key))
        except OSError:
            return False
        return True

    def get(self, key: str) -> object | None:
        path = self._file(key)
        try:
            with open(path, "rb") as fh:  # noqa: PTH123 - a str path: one lookup per digest
                doc: object = load(fh)  # only files this class wrote, in the user's cache
        except (OSError, UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        with suppress(OSError):  # mtime = last use: pruning drops the oldest first
            os.utime(path)
        return doc

    def put(self, key: str, doc: object) -> None:
        path = self.path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = _create_part(os.fspath(path.parent))
            try:
                with os.fdopen(fd, "wb") as fh:
                    dump(doc, fh, protocol=-1)  # pickle.HIGHEST_PROTOCOL
                Path(tmp).replace(path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            pass  # a cache that cannot be written is only slower, never wrong


#: how :func:`_create_part` opens a new entry: as ``tempfile.mkstemp`` does
_PART_FLAGS = (
    os.O_RDWR
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def _create_part(folder: str) -> tuple[int, str]:
    """A new file ``tmp<random>.part`` in ``folder``, opened for writing, mode 0600: what
    ``tempfile.mkstemp(dir=folder, suffix=".part")`` makes (the name :data:`_ENTRY` knows, the
    flags, the mode), without importing ``tempfile`` — with ``random``, ``weakref`` and
    ``shutil`` ~4 ms of a ~0.1 s weekly re-run, which writes a few entries (issue 26)."""
    for _ in range(100):
        tmp = f"{folder}/tmp{os.urandom(6).hex()}.part"
        try:
            return os.open(tmp, _PART_FLAGS, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


@dataclass(frozen=True)
class CacheStats:
    """What ``digestkit cache info`` shows."""

    root: Path
    entries: int
    size: int
    cap: int


def _entries(root: Path) -> list[tuple[float, int, str]]:
    """(mtime, size, path) of every file digestkit wrote under ``root``; nothing else: the
    entries, and the faces ``fonts.face_file`` copies into ``faces/`` (~17 MB each, so the cap
    must count them and pruning may take them; a pruned face is copied again when needed)."""
    found = []
    try:
        subdirs = [(d, _SUBDIR.match(d.name) is None) for d in os.scandir(root)
                   if d.is_dir(follow_symlinks=False)
                   and (_SUBDIR.match(d.name) or d.name == "faces")]  # fmt: skip
    except OSError:
        return []
    for d, faces in subdirs:
        pattern = _FACE if faces else _ENTRY
        try:
            with os.scandir(d.path) as it:
                for e in it:
                    if pattern.match(e.name) and e.is_file(follow_symlinks=False):
                        try:
                            st = e.stat(follow_symlinks=False)
                        except OSError:
                            continue
                        found.append((st.st_mtime, st.st_size, e.path))
        except OSError:
            continue
    return found


def stats(root: Path | None = None, cap: str | int | None = None) -> CacheStats:
    """Location, number of entries, bytes used and the cap."""
    base = root or cache_dir()
    found = [e for e in _entries(base) if e[2].endswith((".pickle", ".otf"))]
    return CacheStats(base, len(found), sum(size for _, size, _ in found), max_bytes(cap))


def prune(
    root: Path | None = None, cap: str | int | None = None, *, force: bool = False
) -> tuple[int, int]:
    """Delete least-recently-used entries while the cache is over ``cap``, down to 90 % of it,
    and half-written files left by a crash. Returns (entries removed, bytes freed).

    Under the cap only leftovers of crashes go; the entries themselves are kept. Measuring the
    cache means one ``stat`` per entry (~5 ms for a 100-digest archive's 300 entries, ~0.5 s for
    30 000), so unless ``force`` the measure is skipped when the last one, less than an hour ago,
    found the cache under half its cap: repeated runs pay one small file read, and the cap can
    only be overshot by what an hour of runs writes beyond half of it.
    """
    limit = max_bytes(cap)
    base = root or cache_dir()
    now = time.time()
    stamp = base / _STAMP
    if not force:
        try:
            last = stamp.stat().st_mtime
            # UTF-8, not ASCII: the same digits, and no codec to import (every run reads it)
            measured = int(stamp.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
        else:
            if 0 <= now - last < _REMEASURE and measured < limit // 2:
                return 0, 0
    removed = freed = 0
    live = []
    for mtime, size, path in _entries(root or cache_dir()):
        if path.endswith(".part"):
            if now - mtime > _STALE_PART and _unlink(path):
                removed, freed = removed + 1, freed + size
        else:
            live.append((mtime, size, path))
    total = sum(size for _, size, _ in live)
    if total > limit:
        target = int(limit * _LOW_WATER)
        for _mtime, size, path in sorted(live):  # oldest use first
            if total <= target:
                break
            if _unlink(path):
                total -= size
                removed, freed = removed + 1, freed + size
    with suppress(OSError):  # a folder that cannot be written has nothing to prune
        stamp.write_text(str(total), encoding="utf-8")
    return removed, freed


def clear(root: Path | None = None) -> tuple[int, int]:
    """Delete every entry (and empty entry folder). Returns (entries removed, bytes freed)."""
    base = root or cache_dir()
    removed = freed = 0
    for _mtime, size, path in _entries(base):
        if _unlink(path):
            removed, freed = removed + 1, freed + size
    from .plugin_scan import MEMO as SCAN_MEMO  # the plugin table's scan, kept by the CLI here

    _unlink(str(base / _STAMP))
    _unlink(str(base / _MEMO))
    _unlink(str(base / SCAN_MEMO))
    with suppress(OSError):
        (base / "faces").rmdir()
    for d in list(base.glob("??")):
        if _SUBDIR.match(d.name):
            with suppress(OSError):  # only when empty: only our own files go
                d.rmdir()
    return removed, freed


def _unlink(path: str) -> bool:
    try:
        Path(path).unlink()
    except OSError:
        return False
    return True
