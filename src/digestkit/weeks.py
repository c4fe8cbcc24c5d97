"""ISO week specifications (``"2026-W09"``) — a leaf module that imports only ``errors``.

Why a leaf: ``Options`` refuses a bad ``--week`` in ``__post_init__``, before the archive is
read, and the archive package imports ``options``; taking ``iso_week`` from the archive made
``options`` and ``archive`` import each other. Both now import it from here.
"""

from __future__ import annotations

import datetime as _dt
import re

from .errors import DigestkitError
from .lazyre import lazy_compile

__all__ = ["iso_week"]

_WEEK = lazy_compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


def iso_week(spec: str) -> tuple[int, int]:
    """``"2026-W09"`` (or ``2026-W9``) → ``(2026, 9)``; a week its year does not have, or any
    other text, is a clear error."""
    m = _WEEK.match(spec.strip())
    if not m or int(m.group(1)) < 1:
        raise DigestkitError(f"a week looks like 2026-W09 (ISO year, W, week), not {spec!r}")
    year, num = int(m.group(1)), int(m.group(2))
    last = _dt.date(year, 12, 28).isocalendar()[1]  # 28 December is always in the last week
    if not 1 <= num <= last:
        raise DigestkitError(f"{year} has ISO weeks 1 to {last}; there is no {year}-W{num:02d}")
    return year, num
