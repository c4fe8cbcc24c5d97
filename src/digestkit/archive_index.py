"""One summary index per archive folder, so a weekly re-run reads one cache entry, not one per digest.

The weekly job needs each digest's :class:`~digestkit.archive.digest.Summary` (date, title, language,
fingerprints …) before it can lay out the book. They used to be read from one cache entry per
digest (``<key>-summary``): a hundred opens and unpicklings on every re-run. The index keeps them
all in one entry of the document cache per archive folder and reading option (so it is pruned
and cleared with the rest of the cache), keyed by the same content keys as the documents — an
entry can only ever answer for the exact bytes it was made from, and a stale index is at worst a
miss. Entries of files no longer in the folder are dropped when the index is saved; it is
written only when something changed. The per-digest summaries are still written by the workers,
so a digest moved to another folder is still found without parsing.
"""

from __future__ import annotations

from pathlib import Path

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from typing import Any

    from .cache import DocumentCache

__all__ = ["SummaryIndex"]


class SummaryIndex:
    """Content key → summary, for the digests of one archive folder."""

    def __init__(self, cache: DocumentCache, archive: Path, encoding: str | None) -> None:
        self.cache = cache
        self.key = f"summary-index:{archive.resolve()}:{encoding}"
        data = cache.get(self.key)
        self.entries: dict[str, Any] = data if isinstance(data, dict) else {}
        self.changed = False

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
        if self.changed or gone:
            self.cache.put(self.key, self.entries)
