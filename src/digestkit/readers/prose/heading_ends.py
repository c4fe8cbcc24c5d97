"""Where a ``## ``-marked heading ends: a span model over the network's scores, with a confidence.

A ``## `` marker makes a heading's *start* sure; its *end* is the hard part of run-on text (issue
24): the heading and the paragraph after it are glued with no punctuation between them, so an
end one word off is a sentence cut in two. The network (:mod:`.network`) scores characters, not
spans, and the decoder's price for an end without punctuation is one number for every heading —
so an unsure heading ran on to the next full stop and a sure one paid the same price.

This module scores every allowed end of one marked heading as a whole span (a conditional logit
over the candidates, :data:`FEATURES`): the network's start score at the end, how heading-like
the inside and how paragraph-like the 20 characters after it are, the length, punctuation in
and before the span, how far the body's first clause runs. The softmax over the candidates is a
probability that *this* end is the heading's end; the decoder takes an end as sure when that
probability is at least ``Params.end_sure`` (chosen on dev with the other prices, torn sentences
first), and otherwise decides as before.

Weights (``heading_ends.json``) are fitted on the dev split's network scores by
``python -m benchmarks.prose_heading_ends`` (the network never saw dev; cross-validated by
source, the figures are in docs/prose.md). numpy only, imported inside the functions.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from .clause_grams import log_odds
from .features import codepoints

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["FEATURES", "EndModel", "SpanText", "load", "span_features", "sure_ends", "with_null"]

#: What each span feature is (the order of the weights).
FEATURES = (
    "start score at the end",
    "mean heading share inside",
    "sum of heading share inside",
    "sum of continue score inside",
    "paragraph share of the 20 characters after",
    "decoder-like span score, minus the best candidate's",
    "log length",
    "log length squared",
    "at most 4 characters",
    "punctuation before the end",
    "a bracket or quote that ends no sentence before the end",
    "sentence ends inside (capped at 3)",
    "commas inside (capped at 3)",
    "log distance from the end to the next clause punctuation",
    "the end of the text",
    "heading-start log-probability at the start",
    "paragraph-start log-probability at the start",
    "clause-break log-odds after the last characters (real text's punctuation, clause_grams)",
    "clause-break log-odds before the next characters",
    "the next two characters recur inside the heading",
    "a two-character gram of the next ten recurs inside the heading",
    "the heading's last two characters recur in the next thirty",
    "no heading starts here (the null candidate of an unmarked start)",
)

_CLAUSE = "，,。！？!?；;：:"
_SENT = "。！？!?"
_COMMA = "，,"
_AFTER = 20
_NEXT = 10  # the characters after an end whose two-character grams may repeat the heading's
_ECHO = 30  # how far after an end the heading's last two characters may recur


@dataclass(frozen=True, slots=True)
class EndModel:
    """A conditional logit over a heading's candidate ends: ``weights · (features - mean) / scale``."""

    weights: tuple[float, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]

    def probabilities(self, feats: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """The softmax over the candidates (rows of ``feats``)."""
        import numpy as np

        z = ((feats - np.asarray(self.mean)) / np.asarray(self.scale)) @ np.asarray(self.weights)
        z = z - z.max()
        p: npt.NDArray[np.float64] = np.exp(z)
        out: npt.NDArray[np.float64] = p / p.sum()
        return out


@cache
def _shipped() -> dict[str, Any]:
    """``heading_ends.json``, read once for both weight sets."""
    raw: dict[str, Any] = json.loads(
        resources.files(__package__).joinpath("heading_ends.json").read_text()
    )
    return raw


@cache
def load(kind: str = "marked") -> EndModel | None:
    """The shipped weights of ``kind`` (``"marked"``: headings after a ``## `` marker;
    ``"bare"``: headings of unmarked text, whose network scores differ) from
    ``heading_ends.json``, or None when the file holds none."""
    part = _shipped().get(kind) or {}
    if not part.get("weights"):
        return None
    return EndModel(tuple(part["weights"]), tuple(part["mean"]), tuple(part["scale"]))


def _cum(a: npt.NDArray[np.float64] | npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    """Cumulative sums with a leading 0: ``sum(a[i:j]) == c[j] - c[i]``."""
    import numpy as np

    return np.concatenate(([0.0], np.cumsum(a, dtype=np.float64)))


def _isin(cps: npt.NDArray[np.uint32], chars: str) -> npt.NDArray[np.bool_]:
    import numpy as np

    return np.isin(cps, np.array([ord(c) for c in chars], dtype=np.uint32))


class SpanText:
    """Per-text arrays every heading of the text shares: the network's scores as cumulative
    sums, punctuation, and the decoder's own masks (``nopunct``: its
    :func:`.constraints.no_punctuation_before` as a uint8 array; ``allowed``: where a block may
    start) — built once per text by the caller that has them."""

    def __init__(
        self,
        text: str,
        E: npt.NDArray[np.float32],
        nopunct: npt.NDArray[np.uint8],
        allowed: npt.NDArray[np.bool_],
    ) -> None:
        import numpy as np

        n = len(text)
        self.allowed = allowed
        P = np.exp(E.astype(np.float64))
        self.n = n
        self.start = np.log(P[:, 0] + P[:, 2] + 1e-9)
        both = np.log(P[:, 1] + P[:, 3] + 1e-9)
        self.c_head = _cum(np.log(P[:, 3] + 1e-9) - both)
        self.c_both = _cum(both)
        self.c_par = _cum(np.log(P[:, 1] + 1e-9) - both)
        cps = codepoints(text)
        clause = _isin(cps, _CLAUSE)
        self.c_sent = _cum(_isin(cps, _SENT))
        self.c_comma = _cum(_isin(cps, _COMMA))
        # the next clause punctuation at or after each position (n when none)
        idx = np.where(clause, np.arange(n), n)
        self.next_clause = np.concatenate((np.minimum.accumulate(idx[::-1])[::-1], [n]))
        self.nopunct = nopunct
        self.bh = E[:, 2].astype(np.float64)
        self.bp = E[:, 0].astype(np.float64)
        self.cps = cps.astype(np.uint64)  # what the gram hash multiplies in
        self.prev, self.next = _repeats(self.cps)


def _repeats(cps: npt.NDArray[np.uint64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """For the two-character gram at each position: where the same gram last occurred before
    it and next occurs after it (-1 / ``n`` when never; both padded to ``n + 1`` entries) —
    what a heading's words echoed by the paragraph after it are read from."""
    import numpy as np

    n = len(cps)
    prev = np.full(n + 1, -1, dtype=np.int64)
    nxt = np.full(n + 1, n, dtype=np.int64)
    if n >= 2:
        big = (cps[:-1] << np.uint64(21)) | cps[1:]
        order = np.argsort(big, kind="stable")
        same = big[order][1:] == big[order][:-1]
        prev[order[1:][same]] = order[:-1][same]
        nxt[order[:-1][same]] = order[1:][same]
    return prev, nxt


def _grid(
    t: SpanText,
    starts: npt.NDArray[np.int64],
    limits: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Every start's candidate ends as one ``(starts, width)`` grid and which cells are real:
    ends where a block may start, at least two characters in, at most the start's limit (the
    cap, the next sure start, the text's end — always a candidate when within reach)."""
    import numpy as np

    n = t.n
    width = max(1, int((limits - starts).max()) - 1)
    ends = starts[:, None] + 2 + np.arange(width)[None, :]
    ok = ends <= limits[:, None]
    inner = np.minimum(ends, n - 1)
    ok &= (ends == n) | ((ends < n) & t.allowed[inner])
    return np.minimum(ends, n), ok


def _features(
    t: SpanText,
    starts: npt.NDArray[np.int64],
    ends: npt.NDArray[np.int64],
    ok: npt.NDArray[np.bool_],
) -> npt.NDArray[np.float64]:
    """The :data:`FEATURES` of every (start, end) cell of the grid: ``(starts, width, features)``,
    whole-array arithmetic (one pass for all the text's headings, no loop per heading)."""
    import numpy as np

    n = t.n
    s = starts[:, None]
    L = np.maximum(ends - s, 1).astype(np.float64)
    inner = np.minimum(ends, n - 1)
    st = np.where(ends < n, t.start[inner], 0.0)
    A = t.c_head[ends] - t.c_head[s + 1]
    B = t.c_both[ends] - t.c_both[s + 1]
    C = t.c_par[np.minimum(ends + _AFTER, n)] - t.c_par[ends]
    dec = st + A + B + C
    best = np.where(ok, dec, -np.inf).max(axis=1, keepdims=True)  # over the real candidates
    lL = np.log(L)
    # the clause-break log-odds, looked up once per distinct real candidate end (0 elsewhere:
    # a cell that is no candidate is never scored)
    where, back = np.unique(ends[ok], return_inverse=True)
    lo_left, lo_right = np.zeros(ends.shape), np.zeros(ends.shape)
    if len(where):
        found = log_odds(t.cps, where)
        lo_left[ok], lo_right[ok] = found[0][back], found[1][back]
    # the next two characters, and any two of the next _NEXT, recur inside [start, end - 1)
    # (an occurrence at end - 1 overlaps the end: its predecessor is taken)
    occ = t.prev[inner]
    occ = np.where((occ == ends - 1) & (occ >= 0), t.prev[np.maximum(occ, 0)], occ)
    echo_next = (ends < n - 1) & (occ >= s)
    echo_any = np.zeros(ends.shape, dtype=bool)
    for d in range(_NEXT - 1):
        q = np.minimum(ends + d, n)
        o = t.prev[q]
        echo_any |= (ends + d < n - 1) & (o >= s) & (o <= ends - 2)
    # the heading's last two characters recur soon after the end
    tail = np.maximum(ends - 2, 0)
    nx = t.next[tail]
    nx = np.where(nx == ends - 1, t.next[np.minimum(nx, n)], nx)
    echo_tail = (ends - 2 >= s) & (nx >= ends) & (nx <= ends + _ECHO - 2)
    before = np.where(ends < n, t.nopunct[inner], 0)
    full = np.ones_like(L)
    cols = (
        st, A / L, A, B, C, np.where(ok, dec - best, 0.0), lL, lL**2,
        (L <= 4).astype(np.float64), (before == 0).astype(np.float64),
        (before == 2).astype(np.float64), np.minimum(t.c_sent[ends] - t.c_sent[s], 3),
        np.minimum(t.c_comma[ends] - t.c_comma[s], 3), np.log1p(t.next_clause[ends] - ends),
        (ends == n).astype(np.float64), full * t.bh[s], full * t.bp[s], lo_left,
        lo_right, echo_next.astype(np.float64), echo_any.astype(np.float64),
        echo_tail.astype(np.float64), np.zeros_like(L),
    )  # fmt: skip
    return np.stack(cols, axis=2)


def _limits(
    starts: npt.NDArray[np.int64], n: int, cap: int, bounded: bool
) -> npt.NDArray[np.int64]:
    import numpy as np

    nxt = np.append(starts[1:], n) if bounded else np.full(len(starts), n)
    out: npt.NDArray[np.int64] = np.minimum(np.minimum(starts + cap, nxt), n)
    return out


def _grid_of(
    t: SpanText, starts: Sequence[int], cap: int, bounded: bool
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.bool_]] | None:
    """The sorted starts that have an allowed end, their grid of ends and which are real —
    what :func:`span_features` and :func:`sure_ends` both start from."""
    import numpy as np

    st = np.asarray(sorted(set(starts)), dtype=np.int64)
    st = st[st + 2 <= t.n]
    if not len(st):
        return None
    ends, ok = _grid(t, st, _limits(st, t.n, cap, bounded))
    some = ok.any(axis=1)  # a start with no allowed end has nothing to choose
    if not some.any():
        return None
    return st[some], ends[some], ok[some]


def span_features(
    t: SpanText, starts: Sequence[int], cap: int, bounded: bool = True
) -> list[tuple[int, npt.NDArray[np.int64], npt.NDArray[np.float64]]]:
    """For each start (sorted; ``bounded``: a heading runs across none of them — with
    ``bounded=False`` the starts are only candidates), its candidate ends and their features:
    the training script's rows (the same arithmetic as :func:`sure_ends`)."""
    grid = _grid_of(t, starts, cap, bounded)
    if grid is None:
        return []
    st, ends, ok = grid
    F = _features(t, st, ends, ok)
    return [(int(s), ends[i][ok[i]], F[i][ok[i]]) for i, s in enumerate(st.tolist())]


def with_null(feats: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """``feats`` and a last row for "no heading starts here" (all zero but its indicator): an
    unmarked start is only a candidate, and the model says how likely it is none."""
    import numpy as np

    null = np.zeros((1, feats.shape[1]))
    null[0, -1] = 1.0
    return np.concatenate((feats, null))


def sure_ends(
    t: SpanText,
    starts: Sequence[int],
    cap: int,
    threshold: float,
    kind: str = "marked",
    bounded: bool = True,
) -> dict[int, tuple[int, float]]:
    """``{start: (end, probability)}`` for each heading start whose most likely end has at
    least ``threshold`` probability under the ``kind`` model (none when no model is shipped or
    ``threshold`` > 1). The ``"bare"`` model also weighs "no heading here" (:func:`with_null`)."""
    import numpy as np

    model = load(kind)
    if model is None or threshold > 1.0:
        return {}
    grid = _grid_of(t, starts, cap, bounded)
    if grid is None:
        return {}
    st, ends, ok = grid
    w = np.asarray(model.weights) / np.asarray(model.scale)
    bias = float(np.asarray(model.mean) @ w)
    z = np.where(ok, _features(t, st, ends, ok) @ w - bias, -np.inf)
    if kind != "marked":  # the null candidate: all features 0 but its indicator
        z = np.concatenate((z, np.full((len(st), 1), w[-1] - bias)), axis=1)
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    best = p.argmax(axis=1)
    prob = p[np.arange(len(st)), best]
    out = {}
    for i in np.flatnonzero((prob >= threshold) & (best < ends.shape[1])).tolist():
        out[int(st[i])] = (int(ends[i, best[i]]), float(prob[i]))
    return out
