"""Which digests and articles the book keeps, and in what order.

Decides the **week** (``week="2026-W09"``: the digests dated in that ISO week; undated ones are
left out with one warning; an empty selection is an error and writes nothing), the **order**
(by date, undated last, then by path) and the **duplicates**: an article (or an article-less
digest) whose text appeared earlier in that order — the same text once both are in one script —
is left out with a warning naming where it appeared first.
"""

from __future__ import annotations

import datetime as _dt
import warnings
from pathlib import Path

from .._records import replace
from ..errors import DigestkitError
from ..weeks import iso_week
from .digest import Digest

__all__ = ["chapter_order", "dedupe", "in_week", "iso_week"]


def in_week(digests: list[Digest], week: str | None, root: Path | None) -> list[Digest]:
    """The digests of ``week`` (all of them without one); none is an error naming ``root``."""
    selected = digests
    if week:
        year, num = iso_week(week)
        week = f"{year}-W{num:02d}"  # messages say the week as ISO writes it (2026-W9 → 2026-W09)
        undated = [d for d in digests if d.date is None]
        if undated:
            # stacklevel: the caller of make_book (in_week ← make_book ← caller)
            warnings.warn(f"{len(undated)} undated document(s) left out of {week}", stacklevel=3)
        selected = [d for d in digests if d.date and d.date.isocalendar()[:2] == (year, num)]
    if not selected:
        where = f" for {week}" if week else ""
        raise DigestkitError(f"no documents{where} under {root or 'the archive'}; nothing written")
    return selected


def chapter_order(d: Digest) -> tuple[int, _dt.date, str]:
    return (d.date is None, d.date or _dt.date.min, str(d.path))


def dedupe(digests: list[Digest]) -> list[Digest]:
    """Leave out articles (or whole digests) whose text appeared earlier; warn for each."""
    seen: dict[str, str] = {}
    out = []
    for d in digests:
        titles = d.summary.article_titles
        if titles and len(d.prints) == len(titles):
            drop = set(d.drop)  # a feed's other days are already out
            for i, (title, fp) in enumerate(zip(titles, d.prints, strict=True)):
                if i in d.drop:
                    continue
                if fp and fp in seen:
                    warnings.warn(f"{d.path}: article {title!r} repeats one in {seen[fp]}; left out",
                                  stacklevel=3)  # fmt: skip
                    drop.add(i)
                    continue
                seen.setdefault(fp, str(d.path))
            if len(drop) < len(titles):
                out.append(replace(d, drop=frozenset(drop)))
        else:
            fp = d.prints[0] if d.prints else ""
            if fp and fp in seen:
                warnings.warn(f"{d.path}: repeats {seen[fp]}; left out", stacklevel=3)
                continue
            seen.setdefault(fp, str(d.path))
            out.append(d)
    return out
