"""How often real text breaks a clause after (or before) these characters: a heading end's prior.

A ``## ``-marked heading's end has no punctuation before it, so the span model
(:mod:`.heading_ends`) must tell ``語音語調準則|各種讀者…`` from ``語音語調|準則各種讀者…`` from
the characters alone. The network was trained on about two million characters of run-on text;
every punctuated sentence of the corpus, though, is a free example of where clauses break: drop
the punctuation and the gap it leaves is a break. Counted over the train split's ~43 million
characters (both scripts), the log-odds that a clause breaks *after* a 1–3-character gram (a
heading's last characters look like a clause's last ones: ``準則`` ends clauses, ``語調`` rarely)
and *before* one (``各種``, ``我們`` begin them) is a feature the small network cannot learn from its
own data. (Issue 24, eleventh session: cross-validated on dev, it lifts the marked end model's
top-1 from 0.735 to 0.759 and halves the wrong sure ends at 0.95.)

The table (``clause_grams.npz``, written by ``python -m benchmarks.prose_clause_grams``) holds,
per side, the kept grams' 32-bit fingerprints (sorted) and their fp16 log-odds; a lookup is a
binary search, backing off from three characters to one, then to the prior. Fingerprints, not
buckets: a hashed array the same size lost a third of the grams to shared buckets and most of
the gain with them, while a fingerprint only errs when a gram that is *not* kept shares one with
a kept gram (~150,000 of 4.3 billion). The hash is fixed (a multiply-xor over code points, not
Python's salted ``hash``), so the trainer and the reader agree. numpy only, imported inside the
functions.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["FILE", "ORDER", "Table", "fingerprint", "gram_hash", "load", "log_odds"]

FILE = "clause_grams.npz"
#: the longest gram counted
ORDER = 3
_MUL = 0x9E3779B97F4A7C15  # 2^64 / golden ratio: a multiplicative hash's usual odd constant
_SEED = 0x2545F4914F6CDD1D


class Table(NamedTuple):
    """Per side, sorted fingerprints and their log-odds (``left``: of a clause break right after
    the gram; ``right``: right before it); ``prior``: the log-odds at an arbitrary gap."""

    left_keys: npt.NDArray[np.uint32]
    left: npt.NDArray[np.float32]
    right_keys: npt.NDArray[np.uint32]
    right: npt.NDArray[np.float32]
    prior: float


def gram_hash(
    cps: npt.NDArray[np.uint64], start: npt.NDArray[np.int64], k: int
) -> npt.NDArray[np.uint64]:
    """The 64-bit hash of each gram ``cps[start : start + k]`` (every ``start`` in range): the
    length first, then each code point xor-ed in and multiplied (wrapping, as uint64 does)."""
    import numpy as np

    h = np.full(len(start), np.uint64(_SEED) ^ np.uint64(k), dtype=np.uint64)
    mul = np.uint64(_MUL)
    for j in range(k):
        h = (h ^ cps[start + j]) * mul
        h ^= h >> np.uint64(29)
    return h


def fingerprint(h: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint32]:
    """A hash's 32-bit fingerprint: its top bits (the best-mixed ones)."""
    import numpy as np

    out: npt.NDArray[np.uint32] = (h >> np.uint64(32)).astype(np.uint32)
    return out


@cache
def load() -> Table:
    """The shipped table (read once). It ships with the package like the network's arrays, and
    the span weights were fitted with it: a missing file is an error, not a quiet default."""
    import numpy as np

    ref = resources.files(__package__).joinpath(FILE)
    with ref.open("rb") as f, np.load(f, allow_pickle=False) as z:
        return Table(z["left_keys"], z["left"].astype(np.float32), z["right_keys"],
                     z["right"].astype(np.float32), float(z["prior"]))  # fmt: skip


def _side(
    keys: npt.NDArray[np.uint32], values: npt.NDArray[np.float32], prior: float,
    cps: npt.NDArray[np.uint64], gaps: npt.NDArray[np.int64], left: bool,
) -> npt.NDArray[np.float64]:  # fmt: skip
    """Backed-off log-odds at each gap: the longest gram (``ORDER`` down to 1) that has a value."""
    import numpy as np

    n = len(cps)
    out = np.full(len(gaps), prior, dtype=np.float64)
    todo = np.ones(len(gaps), dtype=bool)
    for k in range(ORDER, 0, -1):
        start = gaps - k if left else gaps
        ok = todo & (start >= 0) & (start + k <= n)
        if not ok.any():
            continue
        idx = np.flatnonzero(ok)
        fp = fingerprint(gram_hash(cps, start[idx], k))
        at = np.minimum(np.searchsorted(keys, fp), len(keys) - 1)
        have = keys[at] == fp
        out[idx[have]] = values[at[have]]
        todo[idx[have]] = False
    return out


def log_odds(
    cps: npt.NDArray[np.uint64], gaps: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """At each of ``gaps`` (positions ``0..len(cps)`` of a text's code points): the log-odds of a
    clause break after the characters before it and before the characters after it (the prior
    where nothing is known). Only the gaps asked for are looked up — a heading's candidate
    ends, not every character of the text."""
    table = load()
    return (
        _side(table.left_keys, table.left, table.prior, cps, gaps, True),
        _side(table.right_keys, table.right, table.prior, cps, gaps, False),
    )
