"""An image a writer embeds: a leaf module, so that the writers that only pass assets around
(the HTML page's assembly, the PDF's fetcher) need not import the renderer and the AST
(~20 ms of a re-run's start-up) on a run that renders nothing."""

from __future__ import annotations

from pathlib import Path

from .._records import record as dataclass  # dataclasses' classes, no exec

__all__ = ["Asset"]


@dataclass(frozen=True, slots=True)
class Asset:
    """An image to embed: a local file or fetched bytes, and its name inside the book."""

    source: Path | None
    name: str
    data: bytes | None = None

    def read(self) -> bytes:
        return self.data if self.data is not None else self.source.read_bytes()  # type: ignore[union-attr]
