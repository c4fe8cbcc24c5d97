"""What a re-run lays out again to keep the book within its bound of layouts (``plan``'s fold).

Each layout a book takes pages from embeds its own font subsets, so ``incremental.plan`` lets a
book draw on at most ``most`` layouts more than it has groups. A re-run that would pass that
bound lays something out again, and there are two ways to take a layout out of the book:

- **a changed group laid out whole** (its chapters then come from one new layout, and it is
  found whole by the next runs): it costs the group's stored chapters, and takes out every
  layout only that group drew on;
- **a stored layout's chapters laid out again with the run's new chapters** (*absorbed*): it
  costs just those chapters — one, for the layout a single new or edited chapter was laid out
  in by an earlier re-run — and takes that layout out.

Before, only the first was tried, so a re-run that reached the bound laid out a whole group of
three or four chapters (the "amortised fold": ~2.5 s instead of ~1.1 s at 30 digests), when
laying out one more chapter beside the new one would have kept the same bound. Now each step
takes what costs fewest characters per layout taken out (a group on ties: it is whole again
afterwards), until the book is within the bound. The choice is greedy with lazily updated
costs (a heap): a book whose every group changed costs a few walks over it, not one per step.
If no step helps any more, changed groups are laid out whole, as before, which always ends
within the bound.

Once a re-run must lay something out again, it goes on by the same cheapest steps to a
``target`` below the bound (``plan``'s slack, ``constants.FOLD_SLACK``): the same work per
layout taken out, done in one re-run instead of a little in each of the next ones — fewer
re-runs lay out more than their own chapters, and the book draws on fewer layouts on average
(``benchmarks.pdf_plan``, docs/benchmarks.md).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from typing import Protocol

__all__ = ["Stored", "fold"]


class Stored(Protocol):
    """Where a chapter's pages are stored (``incremental.Located``): the layout's name."""

    @property
    def name(self) -> str: ...


class _Book:
    """Which layouts the book draws on, as chapters move from stored layouts to this run's."""

    def __init__(
        self,
        groups: Sequence[tuple[int, int]],
        located: Sequence[Stored | None],
        chars: Sequence[int],
        high: int,
        relaid: set[int],
    ) -> None:
        self.groups, self.located, self.chars, self.high = groups, located, chars, high
        self.relaid = relaid
        self.absorbed: set[str] = set()
        self.users: dict[str, list[int]] = {}  # stored layout → chapters taking pages from it
        self.new_chars = self.new_count = 0  # chapters laid out now, outside relaid groups
        for k, (first, end) in enumerate(groups):
            if k in relaid:
                continue
            for i in range(first, end):
                at = located[i]
                if at is not None:
                    self.users.setdefault(at.name, []).append(i)
                else:
                    self.new_chars, self.new_count = self.new_chars + chars[i], self.new_count + 1

    def _patches(self, new_chars: int, new_count: int) -> int:
        """The layouts the new chapters take (as ``_by_size`` cuts them)."""
        if not new_count:
            return 0
        return max(1, min(new_count, math.ceil(new_chars / max(self.high, 1))))

    def drawn_on(self) -> int:
        """Layouts the book draws on: stored ones, relaid groups, the new chapters'."""
        return len(self.users) + len(self.relaid) + self._patches(self.new_chars, self.new_count)

    def _stored_in(self, k: int) -> dict[str, list[int]]:
        """Group ``k``'s chapters still taking pages from stored layouts, by layout."""
        out: dict[str, list[int]] = {}
        for i in range(*self.groups[k]):
            at = self.located[i]
            if at is not None and at.name in self.users:
                out.setdefault(at.name, []).append(i)
        return out

    def _fresh_in(self, k: int) -> tuple[int, int]:
        """Characters and count of group ``k``'s chapters laid out now outside it."""
        found = [
            i
            for i in range(*self.groups[k])
            if (at := self.located[i]) is None or at.name not in self.users
        ]
        return sum(self.chars[i] for i in found), len(found)

    def relay_gain(self, k: int) -> tuple[int, int]:
        """(layouts taken out, characters laid out again) if group ``k`` is laid out whole."""
        stored = self._stored_in(k)
        gone = sum(len(chapters) == len(self.users[n]) for n, chapters in stored.items())
        fresh_chars, fresh_count = self._fresh_in(k)
        before = self._patches(self.new_chars, self.new_count)
        after = self._patches(self.new_chars - fresh_chars, self.new_count - fresh_count)
        cost = sum(self.chars[i] for chapters in stored.values() for i in chapters)
        return gone + before - after - 1, cost

    def absorb_gain(self, name: str) -> tuple[int, int]:
        """(layouts taken out, characters laid out again) if ``name``'s chapters are laid out
        again with the new ones."""
        chapters = self.users[name]
        cost = sum(self.chars[i] for i in chapters)
        before = self._patches(self.new_chars, self.new_count)
        after = self._patches(self.new_chars + cost, self.new_count + len(chapters))
        return 1 + before - after, cost

    def relay(self, k: int) -> None:
        fresh_chars, fresh_count = self._fresh_in(k)  # before its chapters leave ``users``
        for name, chapters in self._stored_in(k).items():
            left = [i for i in self.users[name] if i not in chapters]
            if left:
                self.users[name] = left
            else:
                del self.users[name]
        self.new_chars, self.new_count = self.new_chars - fresh_chars, self.new_count - fresh_count
        self.relaid.add(k)

    def absorb(self, name: str) -> None:
        chapters = self.users.pop(name)
        self.new_chars += sum(self.chars[i] for i in chapters)
        self.new_count += len(chapters)
        self.absorbed.add(name)


def fold(
    groups: Sequence[tuple[int, int]],
    located: Sequence[Stored | None],
    chars: Sequence[int],
    high: int,
    bound: int,
    target: int,
    changed: Sequence[int],
    relaid: set[int],
    fallback: Sequence[int],
) -> tuple[set[int], set[str]]:
    """The groups to lay out whole and the stored layouts to absorb so that the book draws on
    at most ``bound`` layouts — and, once something must be laid out again, at most ``target``
    (≤ ``bound``) if the cheap steps get there.

    ``changed``: the groups not found whole; ``relaid``: those laid out whole already (nothing
    of them stored); ``fallback``: the order in which changed groups are laid out whole when no
    cheaper step is left. A layout that a group found whole draws on is never absorbed.
    """
    book = _Book(groups, located, chars, high, set(relaid))
    if book.drawn_on() <= bound:
        return book.relaid, book.absorbed
    open_groups = [k for k in changed if k not in book.relaid]
    in_changed = {i for k in open_groups for i in range(*groups[k])}
    absorbable = [n for n, users in book.users.items() if all(i in in_changed for i in users)]
    heap: list[tuple[float, int, int, str]] = []

    def push(kind: int, k: int, name: str) -> None:
        gain, cost = book.relay_gain(k) if kind == 0 else book.absorb_gain(name)
        if gain > 0:
            heapq.heappush(heap, (cost / gain, kind, k, name))

    for k in open_groups:
        push(0, k, "")
    for name in sorted(absorbable):
        push(1, -1, name)
    while heap and book.drawn_on() > target:
        value, kind, k, name = heapq.heappop(heap)
        if (kind == 0 and k in book.relaid) or (kind == 1 and name not in book.users):
            continue
        gain, cost = book.relay_gain(k) if kind == 0 else book.absorb_gain(name)
        if gain <= 0:
            continue
        if cost / gain > value:  # dearer than when pushed: back in its place
            heapq.heappush(heap, (cost / gain, kind, k, name))
            continue
        if kind == 0:
            book.relay(k)
        else:
            book.absorb(name)
    for k in fallback:
        if book.drawn_on() <= bound:
            break
        if k not in book.relaid:
            book.relay(k)
    return book.relaid, book.absorbed
