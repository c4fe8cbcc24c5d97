"""Structured decoding of run-on text: the best blocks under the network's scores and the rules.

The network (:mod:`.network`) gives each character log-probabilities of four tags — ``BP`` begins
a paragraph, ``IP`` inside one, ``BH`` begins a heading, ``IH`` inside one. Scored alone, a
character's tag can make a heading with no end or a cut inside a word; this decoder finds the
labelling of the whole text that maximises

    sum of the tags' emissions
    + a bias per paragraph start / heading start / heading after a heading
    − a price per heading character (the length prior) and a heading length cap
    − a price per block start whose previous character is not sentence or clause punctuation
      (``no_punct``: calibrated on dev so that torn sentences stay under 1 per 10,000 characters),
      and one after a closing bracket or quote that ends no sentence (``closer``)
    − a price per unmarked heading start in a text that has ``## `` markers,

subject to the constraints (:mod:`.constraints`: no block starts where a rule forbids it; a ``## ``
offset is a sure heading start; the first character starts a block).

**Sure heading ends** (:mod:`.heading_ends`): the end price is one number for every heading, so
with the torn bound an unsure heading runs on to punctuation and a sure one pays as much. A span
model scores each marked heading's candidate ends as whole spans; when it gives one end at least
``end_sure`` probability, that end is the heading's only end and pays no end price. In a text
with no marker, starts after punctuation that the network gives at least ``bare_start`` are
offered to the bare span model (which also weighs "no heading here"); a start whose best end has
at least ``bare_sure`` is offered to the search as one more heading, its end free of the price.

**Exact search, made fast.** Between two positions where a block may start every character is
``IP`` or ``IH`` of the block already open, so the Viterbi recursion only needs the positions
where a start is allowed; the inside runs between them are differences of cumulative sums. The
candidates are further *pruned*: a position is kept only when its best start log-probability,
prices included, is above :attr:`Params.prune` (``## `` offsets, the text's start and, after a
``## `` offset, every allowed end within the cap are always kept). The search is exact over this
pruned lattice — the best labelling among those whose block starts are all candidates — which is
the exact optimum whenever the optimum starts no block where the network gives a start less
than e^prune (checked against brute force in ``tests/readers/test_prose_decode.py``). Headings
are semi-Markov segments (a start and an end within the cap); paragraphs are Markov (no length
to remember), so the Python loop is one step per candidate plus one per (heading start, end)
pair within the cap.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from .constraints import (
    HEADING_CAP,
    MARKED_HEADING_CAP,
    Forbidden,
    forbidden,
    marks,
    no_punctuation_before,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Emissions = npt.NDArray[np.float32]

__all__ = ["Block", "Boundary", "Decoded", "Params", "decode", "load_params"]

BP, IP, BH, IH = 0, 1, 2, 3
_NEG = -1e30


@dataclass(frozen=True, slots=True)
class Params:
    """The decoder's parameters (chosen on dev by ``benchmarks/prose_calibrate.py``; the shipped
    values are in ``decode_params.json``)."""

    no_punct: float = 4.0  # price of a block start after a character that is not punctuation
    closer: float = 2.0  # price of a start after a closing bracket/quote that ends no sentence
    end: float = 0.0  # price of a marked heading's end with no punctuation before it
    bare_end: float = 0.0  # the same for an unmarked heading
    par: float = 0.0  # bias of every paragraph start (but the first block)
    head: float = 0.0  # bias of every unmarked heading start
    head_head: float = -2.0  # bias of a heading right after a heading
    head_char: float = 0.05  # price per heading character (the length prior)
    kind: float = 1.0  # weight of the inside characters' paragraph/heading scores (see _inside)
    unmarked: float = 2.0  # price of an unmarked heading start when the text has `## ` markers
    prune: float = -9.0  # candidates: best start log-probability + prices above this
    #: a marked heading's end is taken as sure when the span model (:mod:`.heading_ends`) gives
    #: it at least this probability (above 1: never)
    end_sure: float = 2.0
    #: an unmarked heading is offered with its end when the network gives its start (after
    #: punctuation) at least ``bare_start`` and the bare span model its end at least ``bare_sure``
    bare_start: float = 0.05
    bare_sure: float = 2.0
    cap: int = HEADING_CAP
    marked_cap: int = MARKED_HEADING_CAP


@dataclass(frozen=True, slots=True)
class Boundary:
    """Why a block starts here, for ``--explain``: the network's probability that a block starts
    at ``pos`` (paragraph and heading starts summed), and what decided it."""

    pos: int
    prob: float
    heading: bool
    reason: str


@dataclass(frozen=True, slots=True)
class Block:
    start: int
    end: int
    heading: bool


@dataclass
class Decoded:
    """The blocks (covering the text, in order) and, per block start, why."""

    blocks: list[Block] = field(default_factory=list)
    boundaries: list[Boundary] = field(default_factory=list)
    #: likely starts (network probability ≥ 0.5) that were not made, with the rule or price
    #: that stopped them
    vetoed: list[Boundary] = field(default_factory=list)
    #: marked headings whose end the span model was sure of: ``{start: (end, probability)}``
    sure_ends: dict[int, tuple[int, float]] = field(default_factory=dict)


#: the parameter file of each operating point (``ReadOptions.prose_priority``), next to this
#: module: ``sentences`` is the torn-first calibration (``prose_calibrate --write``), issue 24's
#: order and the default; ``headings`` the F1-first one (``prose_calibrate --f1-first --write``),
#: for text whose headings matter more than the rare sentence cut in two
PARAMS_FILES = {"sentences": "decode_params.json", "headings": "decode_params_headings.json"}


@cache
def load_params(priority: str = "sentences") -> Params:
    """The shipped parameters of the operating point ``priority`` (:data:`PARAMS_FILES`)."""
    import json
    from importlib import resources

    name = PARAMS_FILES[priority]
    raw = json.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))
    return Params(**{k: v for k, v in raw.items() if k in Params.__dataclass_fields__})


def decode(
    text: str,
    emissions: Emissions,
    marked: Sequence[int] = (),
    params: Params | None = None,
    *,
    wb: bytearray | None = None,
    rules: Forbidden | None = None,
    free: Sequence[int] = (),
    explain: bool = False,
) -> Decoded:
    """The best blocks of ``text`` under ``emissions`` (shape ``(len(text), 4)``, log-probabilities
    of BP/IP/BH/IH), the ``## `` offsets ``marked`` and the constraints (``rules``: the text's
    :func:`.constraints.forbidden`, when the caller has it — calibration decodes each text many
    times; ``wb``: its word boundaries; ``free``: positions where a block start pays no
    torn-sentence price, e.g. right after an image caption's credit, which ends its block)."""
    import numpy as np

    p = params or Params()
    n = len(text)
    if n == 0:
        return Decoded()
    E = np.asarray(emissions, dtype=np.float32)  # sums below are float64
    forced = marks(marked, n)
    forbid = rules if rules is not None else forbidden(text, wb)
    nopunct = np.frombuffer(bytes(no_punctuation_before(text)), dtype=np.uint8)
    allowed = np.frombuffer(bytes(forbid.code), dtype=np.uint8) == 0
    # a start's price depends on what stands before it and on the block it ends: after a
    # paragraph, a start with no punctuation before it tears a sentence unless the text breaks
    # there (``no_punct``, ``closer``); after a heading it is the heading's end (``end``)
    pr_p = np.array([0.0, -p.no_punct, -p.closer])[nopunct]
    end_m = np.array([0.0, -p.end, -p.end])[nopunct]  # ending a marked heading here
    end_b = np.array([0.0, -p.bare_end, -p.bare_end])[nopunct]  # ending a bare heading here
    if free:
        fr = np.asarray([k for k in free if 0 < k < n], dtype=np.int64)
        pr_p[fr] = end_m[fr] = end_b[fr] = 0.0
    sure: dict[int, tuple[int, float]] = {}  # marked headings' sure ends
    bsure: dict[int, tuple[int, float]] = {}  # unmarked headings offered with a sure end
    if (p.end_sure if forced else p.bare_sure) <= 1.0:  # the span model is in use
        from .heading_ends import SpanText, sure_ends

        spans = SpanText(text, E, nopunct, allowed)
        if forced:
            sure = sure_ends(spans, forced, p.marked_cap, p.end_sure)
            for e, _ in sure.values():
                if e < n:
                    end_m[e] = 0.0  # the sure end of its heading pays no end price
        else:
            bare = allowed & (nopunct == 0) & (E[:, BH] >= math.log(p.bare_start))
            bsure = sure_ends(spans, np.flatnonzero(bare).tolist(), p.cap, p.bare_sure,
                              "bare", bounded=False)  # fmt: skip
    pr_h = np.maximum(end_m, end_b)
    sp = E[:, BP].astype(np.float64) + p.par
    sh = E[:, BH].astype(np.float64) + p.head - (p.unmarked if forced else 0.0) - p.head_char
    sp[0] = E[0, BP]
    sh[0] = E[0, BH] - (p.unmarked if forced else 0.0) - p.head_char
    keep = allowed & (np.maximum(sp, sh) + np.maximum(pr_p, pr_h) > p.prune)
    keep[0] = True
    is_forced = np.zeros(n, dtype=bool)
    if forced:
        fa = np.asarray(forced)
        is_forced[fa] = True
        keep[fa] = True
        sh[fa] = E[fa, BH] - p.head_char  # a sure heading start: no prices
        sp[fa] = _NEG
        pr_p[fa] = pr_h[fa] = end_m[fa] = end_b[fa] = 0.0
        # a marked heading's every allowed end within its cap is a candidate (it must end)
        win = np.zeros(n + 1, dtype=np.int64)
        np.add.at(win, fa + 1, 1)
        np.add.at(win, np.minimum(fa + 1 + p.marked_cap, n), -1)
        keep |= (np.cumsum(win)[:n] > 0) & allowed
        for e, _ in sure.values():
            if e < n:
                keep[e] = True
    for s0, (e, _) in bsure.items():
        keep[s0] = True
        if e < n:
            keep[e] = True
    cand = np.flatnonzero(keep)
    heads_ok = (sh[cand] + np.maximum(pr_p, pr_h)[cand] > p.prune) | is_forced[cand]
    heads_ok |= np.isin(cand, list(bsure))
    # inside runs: cumulative sums so that sum(E[a:b, IP]) = cip[b] - cip[a]
    inside_p, inside_h = _inside(E, p.kind)
    cip = np.concatenate(([0.0], np.cumsum(inside_p)))
    cih = np.concatenate(([0.0], np.cumsum(inside_h - p.head_char)))
    ks = cand.tolist()
    m = len(ks)
    ks.append(n)
    cip_k = cip[np.append(cand, n)].tolist()
    cih_k = cih[np.append(cand, n)].tolist()
    cip_k1 = cip[np.append(cand + 1, n)].tolist()  # after the start character itself
    cih_k1 = cih[np.append(cand + 1, n)].tolist()
    sp_k = sp[cand].tolist()
    sh_k = sh[cand].tolist()
    prp_k = pr_p[cand].tolist()
    endm_k = [*end_m[cand].tolist(), 0.0]  # the text's end costs nothing
    endb_k = [*end_b[cand].tolist(), 0.0]
    hok = heads_ok.tolist()
    frc = is_forced[cand].tolist()
    # a sure bare heading's end, as a candidate index (built only when there is one)
    index = {k: j for j, k in enumerate(ks)} if bsure else {}
    # the next forced start after each candidate: no block may run across it
    nxt_forced = [m] * (m + 1)
    last = m
    for j in range(m - 1, -1, -1):
        nxt_forced[j] = last
        if frc[j]:
            last = j
    # A*[j]: best score of text[:ks[j]] with a block ending right before ks[j] whose kind is P/H
    ap = [_NEG] * (m + 1)
    ah = [_NEG] * (m + 1)
    ah_from = [-1] * (m + 1)  # the candidate index where that heading started
    ah_prev = [0] * (m + 1)  # kind before that heading (0 = P, 1 = H, -1 = none)
    po_prev = [0] * (m + 1)  # the start of the paragraph open through each candidate
    po_kind = [-1] * (m + 1)  # for a paragraph started at j: kind of the block before it
    hh = p.head_head
    half = _NEG / 2
    po = _NEG  # best score of text[:ks[j] + 1] with ks[j] inside a paragraph
    po_start = -1  # the candidate index where that paragraph started
    # open bare headings, best first: (score without its inside run, start index, kind before);
    # the best heading ending before ks[j] is a sliding-window maximum over the starts within
    # the cap — amortised one step per candidate, not one per (start, end) pair
    window: deque[tuple[float, int, int]] = deque()
    cap = p.cap
    for j in range(m + 1):
        k = ks[j]
        while window and ks[window[0][1]] < k - cap:
            window.popleft()
        if window:
            hs0, s0, kind0 = window[0]
            v = hs0 + cih_k[j] + endb_k[j]
            if v > ah[j]:
                ah[j], ah_from[j], ah_prev[j] = v, s0, kind0
        if j == m:
            break
        if frc[j]:
            window.clear()  # no heading runs across a sure heading start
        if j == 0:
            bp_base = bh_base = 0.0
            bp_kind = bh_kind = -1
        else:
            a_p, a_h = ap[j] + prp_k[j], ah[j]  # ah includes the heading's end price
            bp_base, bp_kind = (a_p, 0) if a_p >= a_h else (a_h, 1)
            bh_base, bh_kind = (a_p, 0) if a_p >= a_h + hh else (a_h + hh, 1)
        # a paragraph starts here, or the open one runs on through ks[j]
        if frc[j]:
            po, po_start = _NEG, -1
        else:
            start_p = bp_base + sp_k[j] if bp_base > half else _NEG
            cont = po + (cip_k1[j] - cip_k1[j - 1]) if po > half else _NEG
            if start_p >= cont and start_p > half:
                po, po_start = start_p, j
                po_kind[j] = bp_kind
            else:
                po = cont
        po_prev[j] = po_start
        if po > half:  # the open paragraph ends right before the next candidate
            ap[j + 1] = po + (cip_k[j + 1] - cip_k1[j])
        if not hok[j] or bh_base <= half:
            continue
        hs = bh_base + sh_k[j] - cih_k1[j]
        if not frc[j]:  # a bare heading: into the window
            while window and window[-1][0] <= hs:
                window.pop()
            window.append((hs, j, bh_kind))
            if k in bsure:  # and the span model's sure end, with no end price
                t = index[bsure[k][0]]
                v = hs + cih_k[t]
                if v > ah[t]:
                    ah[t], ah_from[t], ah_prev[t] = v, j, bh_kind
            continue
        # a marked heading: every end within its (longer) cap, up to the next sure start
        limit = k + p.marked_cap
        stop = nxt_forced[j]
        t = j + 1
        only = sure[k][0] if k in sure else -1  # the span model's sure end, if any
        while t <= stop and ks[t] <= limit:
            if only >= 0 and ks[t] != only:
                t += 1
                continue
            v = hs + cih_k[t] + endm_k[t]
            if v > ah[t]:
                ah[t], ah_from[t], ah_prev[t] = v, j, bh_kind
            t += 1
        if t == j + 1:  # no allowed end within the cap: the next one
            v = hs + cih_k[t] + endm_k[t]
            if v > ah[t]:
                ah[t], ah_from[t], ah_prev[t] = v, j, bh_kind
    # back-tracking from the end
    starts: list[tuple[int, bool]] = []
    j = m
    kind = 0 if ap[m] >= ah[m] else 1
    while j > 0:
        if kind == 1:
            s = ah_from[j]
            starts.append((s, True))
            kind = ah_prev[j]
            j = s
        else:
            s = po_prev[j - 1]
            starts.append((s, False))
            kind = po_kind[s]
            j = s
        if kind < 0:
            break
    starts.reverse()
    out = Decoded(sure_ends={**sure, **bsure})
    pos = [ks[s] for s, _ in starts]
    for i, (s, h) in enumerate(starts):
        end = pos[i + 1] if i + 1 < len(starts) else n
        out.blocks.append(Block(ks[s], end, h))
    if explain:
        _explain(out, text, E, forbid, nopunct, is_forced, p, set(free))
    return out


def _inside(
    E: npt.NDArray[np.float32], kind: float
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The inside scores of a paragraph and of a heading per character: ``log(IP + IH)`` (the
    character continues a block) plus ``kind`` times the log-share of the block's own kind. The
    network tells a block edge from its inside better than a heading's inside from a paragraph's
    (a character in a heading's last words is often scored as a paragraph's), and over a whole
    span those per-character kind scores add up: ``kind`` < 1 lets the edges weigh more."""
    import numpy as np

    ip = E[:, IP].astype(np.float64)
    ih = E[:, IH].astype(np.float64)
    if kind == 1.0:
        return ip, ih
    both = np.logaddexp(ip, ih)
    return both + kind * (ip - both), both + kind * (ih - both)


def _explain(
    out: Decoded,
    text: str,
    E: npt.NDArray[np.float32],
    forbid: Forbidden,
    npn: npt.NDArray[np.uint8],
    isf: npt.NDArray[np.bool_],
    p: Params,
    free: set[int],
) -> None:
    """Each block start's probability and what decided it; the likely starts not made."""
    import numpy as np

    prob = np.exp(E[:, BP]) + np.exp(E[:, BH])
    made = set()
    prev: Block | None = None
    for b in out.blocks:
        k = b.start
        made.add(k)
        pr = float(prob[k])
        if k == 0:
            why = "start of the text"
        elif isf[k]:
            why = "'## ' marker: a sure heading start"
        elif k in free:
            why = "after an image caption's credit (no price)"
        elif prev is not None and out.sure_ends.get(prev.start, (-1, 0.0))[0] == k:
            sp = out.sure_ends[prev.start][1]
            why = f"the heading's end ({k - prev.start} characters): span model {sp:.2f}"
        elif prev is not None and prev.heading and npn[k]:
            paid = p.end if isf[prev.start] else p.bare_end
            why = f"the heading's end ({prev.end - prev.start} characters): paid {paid:.1f}"
        else:
            why = _price(text, int(npn[k]), k, p, "paid") or f"after {text[k - 1]!r}"
        out.boundaries.append(Boundary(k, pr, b.heading, why))
        prev = b
    starts = [b.start for b in out.blocks]
    for k in np.flatnonzero(prob >= 0.5).tolist():
        if k in made:
            continue
        inside = out.blocks[bisect_right(starts, k) - 1]
        rule = forbid.rule(k)
        if rule is not None:
            why = f"forbidden: {rule}"
        elif inside.heading:
            why = f"inside a heading: its end fits better at {inside.end - inside.start} characters"
        else:
            why = _price(text, int(npn[k]), k, p, "price") or (
                "a better segmentation around it (biases, heading length)"
            )
        out.vetoed.append(Boundary(k, float(prob[k]), bool(E[k, BH] > E[k, BP]), why))


def _price(text: str, before: int, k: int, p: Params, verb: str) -> str | None:
    """The torn-sentence price a start at ``k`` after a paragraph pays, said for --explain."""
    if before == 1:
        return f"no punctuation before: {verb} {p.no_punct:.1f}"
    if before == 2:
        return f"after {text[k - 1]!r} inside a sentence: {verb} {p.closer:.1f}"
    return None


def brute_force(
    text: str, emissions: Emissions, marked: Sequence[int] = (), params: Params | None = None
) -> tuple[float, list[Block]]:
    """The best blocks by trying every segmentation (tiny texts only): the decoder's definition,
    for the tests. Scores a labelling exactly as :func:`decode` does, with no pruning."""
    import itertools

    import numpy as np

    p = params or Params()
    n = len(text)
    E = np.asarray(emissions, dtype=np.float64)
    forced = set(marks(marked, n))
    forbid = forbidden(text)
    nopunct = no_punctuation_before(text)
    inside_p, inside_h = _inside(E.astype(np.float32), p.kind)
    best: tuple[float, list[Block]] = (-math.inf, [])
    for bits in itertools.product((0, 1, 2), repeat=n - 1):  # 0 inside, 1 BP, 2 BH
        kinds = [None, *bits]
        starts = [0] + [k for k in range(1, n) if kinds[k]]
        if any(forbid.code[k] and kinds[k] and k not in forced for k in range(1, n)):
            continue
        if any(kinds[k] != 2 for k in forced if k > 0):
            continue
        for first in (1, 2):
            if 0 in forced and first != 2:
                continue
            kinds[0] = first
            total = 0.0
            ok = True
            blocks = []
            prev = -1
            prev_forced = False
            for i, s in enumerate(starts):
                e = starts[i + 1] if i + 1 < len(starts) else n
                h = kinds[s] == 2
                if h and e - s > (p.marked_cap if s in forced else p.cap):
                    ok = False
                    break
                if s and s not in forced:  # the start's price: what it follows, what it ends
                    e_h = p.end if prev_forced else p.bare_end
                    ends = (e_h, e_h) if prev == 1 else (p.no_punct, p.closer)
                    total -= (0.0, *ends)[nopunct[s]]
                if h:
                    total += E[s, BH] - p.head_char
                    total += float(np.sum(inside_h[s + 1 : e] - p.head_char))
                    if s not in forced:
                        total += (p.head if s else 0.0) - (p.unmarked if forced else 0.0)
                    if prev == 1:
                        total += p.head_head
                else:
                    total += E[s, BP] + float(np.sum(inside_p[s + 1 : e]))
                    if s:
                        total += p.par
                prev = int(h)
                prev_forced = s in forced
                blocks.append(Block(s, e, h))
            if ok and total > best[0] + 1e-9:
                best = (total, blocks)
    return best
