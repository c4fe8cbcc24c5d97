"""One summary index per archive folder, so a weekly re-run opens one cache file, not one per digest.

The weekly job needs each digest's :class:`~digestkit.archive.Summary` (date, title, language,
fingerprints …) before it can lay out the book. They used to be read from one pickle per digest
(``<key>-summary``): a hundred opens and unpicklings on every re-run. The index keeps them all in
one file per archive folder (and reading option), ``index/<hash of folder and encoding>.pickle``
under the cache folder, keyed by the same content keys as the documents — so an entry can only
ever answer for the exact bytes it was made from, and a stale index is at worst a miss.

Entries of files no longer in the folder are dropped when the index is saved; the file is
rewritten (atomically) only when something changed. The per-digest summaries are still written
by the workers, so a digest moved to another folder is still found without parsing.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["SummaryIndex"]


class SummaryIndex:
    """Content key → summary, for the digests of one archive folder."""

    def __init__(self, cache_root: Path, archive: Path, encoding: str | None) -> None:
        name = hashlib.sha256(f"{archive.resolve()}\0{encoding}".encode()).hexdigest()[:32]
        self.path = cache_root / "index" / f"{name}.pickle"
        self.entries: dict[str, Any] = {}
        self.changed = False
        try:
            with self.path.open("rb") as fh:
                data = pickle.load(fh)  # only files digestkit wrote, in the user's cache
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            return
        if isinstance(data, dict):
            self.entries = data

    def get(self, key: str) -> Any:
        return self.entries.get(key)

    def put(self, key: str, summary: Any) -> None:
        if self.entries.get(key) != summary:
            self.entries[key] = summary
            self.changed = True

    def save(self, keep: set[str]) -> None:
        """Keep only the entries of ``keep`` (the folder's files now); write if anything changed."""
        gone = self.entries.keys() - keep
        for key in gone:
            del self.entries[key]
        if not (self.changed or gone):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".part")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(self.entries, fh, protocol=pickle.HIGHEST_PROTOCOL)
            Path(tmp).replace(self.path)
        except OSError:
            pass  # an index that cannot be written is only slower, never wrong
