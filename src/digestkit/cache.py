"""A content-hash cache of parsed documents, so re-running the weekly job only parses what changed.

Key: SHA-256 of digestkit's version, the reader options (format, encoding, lang detection) and the
file's bytes — any change to any of them is a miss, so a stale entry can never be returned.
Value: the pickled ``Document`` (with what the caller derived from it, e.g. fingerprints). Location: ``$XDG_CACHE_HOME/digestkit`` (``~/.cache/digestkit``);
entries are written atomically and a corrupt or unreadable entry is treated as a miss. The cache
only ever holds what digestkit itself wrote, under the user's own cache folder.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

__all__ = ["DocumentCache", "cache_dir"]


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/digestkit``, else ``~/.cache/digestkit``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "digestkit"


class DocumentCache:
    """Parsed documents (and what was derived from them) by content hash."""

    def __init__(self, root: Path | None = None) -> None:
        from . import __version__

        self.root = root or cache_dir()
        self.version = __version__
        self.hits = 0
        self.misses = 0

    def key(self, data: bytes, *options: object) -> str:
        h = hashlib.sha256()
        h.update(f"digestkit {self.version} {options!r}".encode())
        h.update(data)
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.pickle"

    def has(self, key: str) -> bool:
        """Whether an entry exists (without reading it; it may still turn out unreadable)."""
        return self._path(key).exists()

    def get(self, key: str) -> object | None:
        try:
            with self._path(key).open("rb") as fh:
                doc: object = pickle.load(fh)  # only files this class wrote, in the user's cache
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return doc

    def put(self, key: str, doc: object) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(doc, fh, protocol=pickle.HIGHEST_PROTOCOL)
            Path(tmp).replace(path)
        except OSError:
            pass  # a cache that cannot be written is only slower, never wrong
