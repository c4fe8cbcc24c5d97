"""What the book's cover says: :class:`CoverText` and :func:`cover_text`.

Its own module because the HTML page's masthead shows the same lines as text and needs nothing
else of :mod:`.cover` — the drawing, the faces, the SVG — whose import was ~0.4 ms of every
re-run of the page (issue 26). :mod:`.cover` re-exports both.
"""

from __future__ import annotations

from .._records import record as dataclass  # dataclasses' classes, no exec

__all__ = ["CoverText", "cover_text"]


@dataclass(frozen=True, slots=True)
class CoverText:
    """What the cover says, and in which language (which picks the face)."""

    title: str
    #: the week or date line, e.g. ``2026-02-23 – 2026-03-01``
    subtitle: str | None
    #: ``12 篇 · 5 期``; empty: no counts line (the weekly EPUB's cover)
    counts: str
    lang: str


def cover_text(
    title: str, subtitle: str | None, articles: int, issues: int, lang: str
) -> CoverText:
    """The cover's lines for a book of ``articles`` articles in ``issues`` digests."""
    return CoverText(
        title=title, subtitle=subtitle, counts=f"{articles} 篇 · {issues} 期", lang=lang
    )
