"""A feed in the weekly book: its entries dated one by one, each day's entries one digest.

Decides which day an entry belongs to (its own date in its own UTC offset, else a date in the
feed's file name, else undated), the order of one day's entries (by time, UTC when no offset),
and the chapter title that tells a feed's days apart (``title · 2026-03-02``).
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from .._records import replace
from .digest import Digest, Summary, date_from_name

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from ..ast import Document

__all__ = ["feed_items"]


def feed_items(path: Path, doc: Document | None, summary: Summary, key: str) -> list[Digest]:
    """A feed as the weekly book wants it: one digest per day its entries were published.

    Each entry is dated by its own date (``ArticleMeta.date``, published else updated), on the
    day it names in its own UTC offset — the day its publisher gave it — else by a date in the
    feed's file name, else it is undated (left out when a week is chosen). The entries of one
    day become one chapter, the feed's title over them and the entries as its articles in time
    order, so a week of a feed reads like a week of daily digests: one chapter per day, its
    news items the second level of the contents (one chapter per entry would bury the daily
    digests among dozens of one-item chapters). Every day shares the feed's cached document
    (``key``): a day is the feed with the other days' entries dropped.
    """
    from ..writers.book import article_day

    dates = summary.entry_dates or ()
    fallback = date_from_name(path)
    days: dict[_dt.date | None, list[int]] = {}
    for i, value in enumerate(dates):
        days.setdefault(article_day(value) or fallback, []).append(i)
    everything = frozenset(range(len(dates)))
    out = []
    for day, picked in days.items():
        order = tuple(sorted(picked, key=lambda i: _moment(dates[i])))
        drop = everything - frozenset(picked)
        out.append(Digest(path, doc, day, _dated(summary, day), key, drop=drop, entries=order))
    return out


def _dated(summary: Summary, day: _dt.date | None) -> Summary:
    """The feed's title with the day, so the contents list tells a feed's days apart."""
    if not summary.title or day is None:
        return summary
    return replace(summary, title=f"{summary.title} · {day.isoformat()}", date=day)


def _moment(value: str | None) -> _dt.datetime:
    """An entry's date as an aware datetime to order one day's entries (a bare day, or a time
    without an offset, counts as UTC; no date sorts first)."""
    try:
        when = _dt.datetime.fromisoformat(value) if value else _dt.datetime.min
    except ValueError:
        when = _dt.datetime.min
    return when if when.tzinfo else when.replace(tzinfo=_dt.UTC)
