"""A trained boundary model for run-on text: where blocks start, which blocks are headings.

Hand-tuned cut rules held on the text they were tuned on and failed elsewhere (issue 13), so the
decisions are made by two linear models trained on run-on cases generated from real structured
documents (``benchmarks/prose_train.py``; the corpus and its provenance: ``benchmarks/corpus/``).

Grammar of the candidates (a block can only start at one of these positions)::

    strong    = after a sentence end 。！？!?… or ；;  (with its closing quotes/brackets)
              | after a colon ：:   | after a closing bracket ）)】」』”》
              | before a list marker 1) （二） 第三， 四、 ①   | before a recurring "label："
    window    = a word boundary 2–40 characters after a strong candidate (or a ``## `` marker),
                before the next comma/full stop: where a glued heading may end
    never     = inside a word (rjieba's segmentation) or a number/Latin word (1100|億, Open|AI)

Every candidate is described by sparse string features (characters and punctuation around it,
the words on either side, distance since the last strong candidate, the length and shape of the
heading it would close, whether the text after it is a label that recurs in the document, list
markers, cue words that open or continue a sentence). One averaged-perceptron weight table scores
them: a ``## `` heading ends at its best-scoring window candidate (trained as a ranking), any
other candidate is a boundary when its score is positive. A second table decides which of the
resulting blocks are headings when no marker says so.

Inference is pure Python plus rjieba (a Rust wheel: word boundaries at ~13 MB/s); the weights are
a gzipped JSON table inside the package, read on first use. Training and ``--explain`` read the
candidates as feature strings (:func:`candidates` without a model, ``Candidates.describe``);
inference sums the same weights in the same order without writing the strings (:func:`_scored`),
so both give bit-identical scores (docs/prose.md, "Speed"; tests/readers/test_prose_boundary.py).
"""

from __future__ import annotations

import gzip
import json
import re
from array import array
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, reduce
from importlib import resources
from itertools import accumulate, compress, repeat
from operator import add as _plus
from typing import NamedTuple, TypeVar

from ...cjk import HAN
from .text import CONTINUATION_CUES, NOT_IN_HEADING, PARAGRAPH_CUES, SENTENCE_START_CUES
from .words import _t2s as _t2s  # re-exported: tests of the old model read it here
from .words import word_bounds

__all__ = [
    "Boundary",
    "Candidates",
    "Model",
    "Segmentation",
    "TextStats",
    "candidates",
    "heading_features",
    "learn_stats",
    "load_model",
    "segment",
    "word_bounds",
]

WINDOW = 40  # characters: the longest glued heading looked for after a strong candidate
MARKED_WINDOW = 64  # a ``## `` heading may be longer and may hold a comma
MODEL_FILE = "boundary_model.json.gz"
PRUNE_KEEP = 2  # window/label candidates of one group described in full (see candidates())
# a ``## `` heading's end candidates scored in full: the best HEAD_KEEP by the cheap score. On
# dev the end the full score picks is among the cheap score's best 10 for 99.9 % of the headings
# (a mean of 28 candidates each); dev figures unchanged (docs/prose.md, "Speed")
HEAD_KEEP = 10
# character pairs (bigrams) whose weights are kept per kind, ~12 MB at most: 20,000 made the
# window kind's cache thrash on the test split (29,000 distinct pairs around its candidates)
PAIR_CACHE = 60_000

_STRONG = re.compile(
    r"(?:[。！？；;]|…+|(?<=[^\x00-\x7f])[!?]|[!?](?=[^\x00-\x7f])|[：:](?!//)|(?<=[^\d\s])\.(?=[^\x00-\x7f]))"
    r"[”」』）)’》】\"]*"
    r"|[）)】」』”》](?![。！？；;，,：:、）)」』”》】])"
)
_LIST_MARK = re.compile(
    r"(?:(?<!\d)\d{1,2}[)）](?!\d)|(?<![\d.])\d{1,2}[.．、](?![\d.])|[（(][一二三四五六七八九十\d]{1,3}[)）]"
    r"|第[一二三四五六七八九十]{1,3}[，,、：:]|[一二三四五六七八九十]{1,3}、|[①-⑳])"
)
_LABEL = re.compile(rf"([{HAN}A-Za-z0-9 &/·]{{1,12}}?)[：:]")
_LABEL_BEFORE = re.compile(rf"[{HAN}A-Za-z0-9 &/·]{{1,12}}\Z")  # with endpos = a colon
_ANY_COLON = re.compile(r"[：:]")
_RUN_BEFORE = re.compile(r"[^。！？；;!?，,、：:\s]*$")
_COMMA = re.compile(r"[，,]")
_COLON = re.compile(r"[：:](?!//)")
_NO_LABEL = re.compile(r"[。！？；;!?，,、：:()（）「」“”\s]")
_STOP_BARE = re.compile(r"[，,。！？；;!?：:]")
_STOP_MARKED = re.compile(r"[。！？；;!?]")
_JOIN = re.compile(r"[0-9A-Za-z]")
_UNIT = set("億亿萬万千百%％元年月日號号個个倍度份名家位歲岁nk")
_HAN_RE = re.compile(f"[{HAN}]")
_HAN_SUB = re.compile(f"[{HAN}]")
_LABEL_AHEAD = re.compile(rf"[{HAN}A-Za-z0-9 ]{{1,10}}[：:](?!//)")
_PUNCT_NORM = str.maketrans(
    {
        ",": "，",
        ":": "：",
        ";": "；",
        "!": "！",
        "?": "？",
        "(": "（",
        ")": "）",
        "“": "「",
        "”": "」",
    }
)
_HEADING_BAD = re.compile(r"[了著着過过是將将被把會会說说]|表示|認為|认为|指出")


_CLS_TABLE = str.maketrans(
    {**{c: "D" for c in "0123456789"}, **{c: "L" for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"},
     " ": "S", "\t": "S", "\u3000": "S", "\n": "S", ",": "，", ":": "：", ";": "；", "!": "！", "?": "？",
     "(": "（", ")": "）", "“": "「", "”": "」"}
)  # fmt: skip


_HAN_RUN = re.compile(f"[{HAN}]+")


def _han_as_h(sh: str) -> str:
    """``_HAN_SUB.sub("H", sh)``, a run of Han characters at a time (one replacement per run
    instead of one per character: a quarter less time on run-on digests)."""
    return _HAN_RUN.sub(lambda m: "H" * (m.end() - m.start()), sh)


def classes(text: str) -> str:
    """One class character per character of ``text`` (same length): H(an), D(igit), L(atin),
    S(pace), or the punctuation itself with half-width forms folded to full width. Built with
    ``re.sub`` and ``str.translate`` so that it runs at C speed.
    """
    return _han_as_h(text.translate(_CLS_TABLE))


def _cls(ch: str) -> str:
    """The class of one character (see :func:`classes`); ``^`` for none."""
    return classes(ch) if ch else "^"


_LIMITS = (2, 4, 6, 8, 11, 14, 18, 24, 32, 45, 64, 100, 160, 250)
_BUCKETS = [str(next(x for x in _LIMITS if n <= x)) for n in range(_LIMITS[-1] + 1)]


def _bucket(n: int) -> str:
    return _BUCKETS[n] if 0 <= n <= _LIMITS[-1] else ("max" if n > 0 else "0")


# whole feature strings for the common distances (built once: one lookup instead of a call and
# a concatenation per candidate)
_NEXT = ["next=" + b for b in _BUCKETS]
_HLEN = ["hlen=" + b for b in _BUCKETS]


@dataclass(frozen=True, slots=True)
class Candidates:
    """The candidate positions of one text, with their kinds and features."""

    positions: list[int]
    kinds: list[
        str
    ]  # "strong", "label", "window" (after a strong candidate), "head" (after ``## ``)
    origins: list[int]  # the heading start (window/head), the colon (label), -1 (strong)
    commons: list[list[str]]  # features of the position itself (lists shared between candidates)
    extras: list[list[str]]  # features of the candidate's kind (heading shape, label length…)
    # with a model: each candidate's score, model.score(kind, common) + model.partial(kind, extra)
    scores: list[float] | None = None
    # when commons/extras were not written (scored from the weights): candidate i's features
    describe: Callable[[int], list[str]] | None = None

    @property
    def features(self) -> list[list[str]]:
        if self.describe is not None:
            return [self.describe(i) for i in range(len(self.positions))]
        return [c + e for c, e in zip(self.commons, self.extras, strict=True)]


def _label_matches(text: str) -> list[tuple[int, str]]:
    """``(m.start(), m.group(1))`` for every ``m`` in ``_LABEL.finditer(text)``, found from the
    colons: a label is the run of label characters (at most 12) just before a colon, so looking
    back from each colon gives the same matches without trying the pattern at every position
    (which cost as much as the rest of the preprocessing together).
    """
    out = []
    for m in _ANY_COLON.finditer(text):
        c = m.start()
        if r := _LABEL_BEFORE.search(text, max(0, c - 12), c):
            out.append((r.start(), r.group()))
    return out


def _labels(text: str, matches: list[tuple[int, str]] | None = None) -> set[str]:
    """Labels (``影響：``, ``建議：``) written two or more times in the text."""
    seen: dict[str, int] = {}
    for _, label in _label_matches(text) if matches is None else matches:
        seen[label] = seen.get(label, 0) + 1
    return {k for k, v in seen.items() if v >= 2 and len(k) >= 2}


def _alternation(cues: Sequence[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True)))


_SCUE = _alternation(SENTENCE_START_CUES)
_PCUE = _alternation(PARAGRAPH_CUES)
_CCUE = _alternation(CONTINUATION_CUES)
# the characters each pattern can start with (``\d`` is any decimal digit: str.isdecimal)
_SCUE_FIRST = frozenset(c[0] for c in SENTENCE_START_CUES)
_PCUE_FIRST = frozenset(c[0] for c in PARAGRAPH_CUES)
_CCUE_FIRST = frozenset(c[0] for c in CONTINUATION_CUES)
_LIST_FIRST = frozenset(
    "（(第一二三四五六七八九十" + "".join(map(chr, range(ord("①"), ord("⑳") + 1)))
)


def _word_at(text: str, cl: str, wb: bytearray, k: int, step: int) -> str:
    """The word starting at ``k`` (step 1) or ending at ``k`` (step -1), at most 4 characters;
    Latin and digit words by their classes only (``LL``, ``DD``).
    """
    if step > 0:
        j = wb.find(1, k + 1, k + 5)
        w = text[k : (j if j > 0 else k + 4)]
        c = cl[k : (j if j > 0 else k + 4)]
    else:
        j = wb.rfind(1, max(0, k - 4), k)
        a = j if j >= 0 else max(0, k - 4)
        w, c = text[a:k], cl[a:k]
    if "L" in c or "D" in c:
        return c[0] + c[-1]
    return w


def shown(text: str) -> str:
    """``text`` with Han characters as themselves and ASCII letters, digits, spaces as their class
    (punctuation folded to full width): what the character features see.
    """
    return text.translate(_CLS_TABLE)


def _common(
    text: str, sh: str, cl: str, wb: bytearray, k: int, labels: set[str], next_stop: int
) -> list[str]:
    # the words ending and starting at k: _word_at(…, -1) and _word_at(…, 1), inlined (hot)
    a = wb.rfind(1, k - 4 if k > 4 else 0, k)
    if a < 0:
        a = k - 4 if k > 4 else 0
    c = cl[a:k]
    lw = c[0] + c[-1] if "L" in c or "D" in c else text[a:k]
    j = wb.find(1, k + 1, k + 5)
    b = j if j > 0 else k + 4
    c = cl[k:b]
    rw = c[0] + c[-1] if "L" in c or "D" in c else text[k:b]
    d = next_stop - k
    f = [
        "l1=" + sh[k - 1 : k],
        "r1=" + sh[k : k + 1],
        "cls=" + cl[k - 1 : k + 1],
        "r2=" + sh[k : k + 2],
        "l2=" + sh[k - 2 if k > 2 else 0 : k],
        "lw=" + lw,
        "rw=" + rw,
        _NEXT[d] if 0 <= d < len(_NEXT) else "next=" + _bucket(d),
        "l1r1=" + sh[k - 1 : k + 1],
    ]
    if k + 2 <= len(text) and text.find(text[k : k + 2], k - 40 if k > 40 else 0, k) >= 0:
        f.append("echo")  # the next words were just written: a heading, then its first sentence
    if labels and (m := _LABEL.match(text, k)) and m.group(1) in labels:
        f.append("label")
    # each pattern is tried only where its first character stands (the same matches, fewer calls)
    ch = text[k : k + 1]
    if (ch in _LIST_FIRST or ch.isdecimal()) and _LIST_MARK.match(text, k):
        f.append("listmark")
    if ch in _SCUE_FIRST and (m := _SCUE.match(text, k)):
        f.append("scue=" + m.group())
    if ch in _PCUE_FIRST and (m := _PCUE.match(text, k)):
        f.append("pcue=" + m.group())
    if ch in _CCUE_FIRST and _CCUE.match(text, k):
        f.append("ccue")
    return f


# the characters a match of _STRONG / _LIST_MARK can start with (lookbehinds consume nothing)
_STRONG_FIRST = re.compile(r"[。！？；;…!?：:.）)】」』”》]")
_LIST_MARK_FIRST = re.compile(r"[\d（(第一二三四五六七八九十①-⑳]")


def _finditer(
    pattern: re.Pattern[str], first: re.Pattern[str], text: str
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern whose matches are never empty and start with a
    character of ``first``: the pattern is tried only there (its lookbehinds and alternatives
    tried at every position cost more than the rest of the preprocessing)."""
    pos = 0
    search, match = first.search, pattern.match
    while f := search(text, pos):
        if m := match(text, f.start()):
            yield m
            pos = m.end()
        else:
            pos = f.start() + 1


class _Starts(NamedTuple):
    """Where candidates come from in one text (shared by the described and the scored paths)."""

    n: int
    wb: bytearray
    sh: str
    cl: str
    labels: set[str]
    strong: dict[int, str]  # strong candidate -> the character that made it (or "list"/"label")
    label_starts: dict[int, int]  # label candidate -> its colon
    mark_set: set[int]
    order: list[int]  # every heading start looked at: 0, the strong candidates, the marks
    ends: list[int]  # sentence ends (for next=), then n


def _starts(
    text: str, marks: Iterable[int], wb: bytearray | None, cl: str | None, sh: str | None
) -> _Starts:
    n = len(text)
    wb = word_bounds(text) if wb is None else wb
    sh = shown(text) if sh is None else sh
    cl = _han_as_h(sh) if cl is None else cl
    label_matches = _label_matches(text)
    labels = _labels(text, label_matches)
    strong: dict[int, str] = {}
    for m in _finditer(_STRONG, _STRONG_FIRST, text):
        if 0 < m.end() < n:
            strong[m.end()] = text[m.end() - 1]
    for m in _finditer(_LIST_MARK, _LIST_MARK_FIRST, text):
        if m.start() > 0:
            strong.setdefault(m.start(), "list")
    if labels:
        for start, label in label_matches:
            if start > 0 and label in labels:
                strong.setdefault(start, "label")
    # before a short label: "…暴力內容等|保護敏感資訊：自動識別…" (a list item glued to the last)
    label_starts: dict[int, int] = {}
    for m in _COLON.finditer(text):
        c = m.start()
        lo = max(1, c - 12)
        # no _NO_LABEL character between k and the colon: k is past the last one before it
        for nl in _NO_LABEL.finditer(text, lo, c):
            lo = max(lo, nl.start() + 1)
        for k in range(lo, c - 1):
            if wb[k] and k not in strong:
                label_starts.setdefault(k, c)
    mark_list = sorted({m for m in marks if 0 <= m < n})
    ends = [m.end() for m in _STOP_MARKED.finditer(text)] + [n]
    order = sorted(set(strong) | {0} | set(mark_list))
    return _Starts(n, wb, sh, cl, labels, strong, label_starts, set(mark_list), order, ends)


def _strong_extra(text: str, s: int, prev: int, via: str, labels: set[str]) -> list[str]:
    """Features of the strong candidate at ``s`` (``prev``: the strong candidate before it)."""
    extra = ["dist=" + _bucket(s - prev), "via=" + via.translate(_PUNCT_NORM)]
    if via in "：:":  # after a colon: a short label ("影響：") stays with its text
        run = _RUN_BEFORE.search(text, max(0, s - 14), s - 1)
        lab = run.group() if run else ""
        extra.append("lablen=" + _bucket(len(lab)))
        if any(lab[j:] in labels for j in range(max(0, len(lab) - 12), len(lab) - 1)):
            extra.append("reclabel")
    if via in "）)】」』”》":
        extra.append("close")
    return extra


def _window(text: str, s: int, marked: bool, n: int) -> tuple[int, int, int, int]:
    """Where a heading starting at ``s`` may end: ``(first, stop, bad_end, comma_at)`` — window
    candidates are the word boundaries ``first <= k < stop``; a verb ends at ``bad_end``, the
    first comma is at ``comma_at``."""
    if marked:
        stop = _STOP_MARKED.search(text, s, min(n, s + MARKED_WINDOW))
        limit = stop.end() if stop else min(n, s + MARKED_WINDOW)
    else:
        stop = _STOP_BARE.search(text, s, min(n, s + WINDOW))
        limit = stop.start() if stop else min(n, s + WINDOW)
    bad = _HEADING_BAD.search(text, s, limit + 1)
    comma = _COMMA.search(text, s, limit + 1)
    # a heading is more than its list marker ("1)" alone would cut "1)OpenAI…")
    lm = _LIST_MARK.match(text, s)
    first = max(s + (1 if marked else 2), (lm.end() if lm else s) + 1)
    return (first, min(n, limit + 1 if marked else limit), bad.end() if bad else n + 1,
            comma.start() if comma else n + 1)  # fmt: skip


def _window_extra(
    text: str,
    sh: str,
    cl: str,
    s: int,
    k: int,
    bad_end: int,
    comma_at: int,
    stats: TextStats | None = None,
) -> list[str]:
    """Features of the window candidate ``k``: the heading ``text[s:k]`` would end there."""
    f = [_HLEN[k - s], "hend=" + sh[k - 1], "hstart=" + sh[s : s + 1], "hr1=" + cl[k : k + 1]]
    if k >= bad_end:
        f.append("hverb")
    if k > comma_at:
        f.append("hcomma")
    if k - s >= 2 and text.startswith(text[s : s + 4][: k - s], k):
        f.append("repeat")
    if (la := _LABEL_AHEAD.match(text, k)) is not None:
        f.append("labahead=" + _bucket(la.end() - k))  # "服務條款|生效日期：…"
    two = text[k : k + 2]
    if len(two) == 2 and two in text[s:k]:
        f.append("hecho")  # the next words repeat the heading's: "…核心邏輯|檢索的核心…"
    if stats is not None and stats.on:
        f += stats.span_features(s, k)
    return f


_NEXT_PUNCT = re.compile(r"[，,。！？；;!?：:、]")
_LABEL_RUN_END = re.compile(rf"[{HAN}A-Za-z0-9 ]{{1,10}}\Z")  # with endpos = a colon


def _labels_ahead(text: str) -> dict[int, int]:
    """``{k: _LABEL_AHEAD.match(text, k).end()}`` for every ``k`` where it matches, found from
    the colons: the pattern's run of label characters cannot hold a colon, so it matches at
    ``k`` exactly when the first character after the run is a colon at most 10 characters on;
    looking back from each colon (few) replaces a regex call per window candidate (many)."""
    out: dict[int, int] = {}
    for m in _COLON.finditer(text):
        c = m.start()
        if r := _LABEL_RUN_END.search(text, max(0, c - 10), c):
            out.update(dict.fromkeys(range(r.start(), c), c + 1))
    return out


_STAT_MIN = 20  # a bigram seen fewer times says nothing reliable (and would bloat the model)
GLUE_MIN = 2.0  # a Han|Han word boundary this likely to end/start a block is a "glue" candidate


_FB_STR = {i: str(i) for i in range(-8, 9)}


def _fb(x: float, lim: int = 5) -> str:
    """A statistic as a coarse feature value (rounded, clamped); the strings of the few possible
    values are made once (this runs for every window candidate)."""
    r = round(x)
    return _FB_STR[r if -lim <= r <= lim else (lim if r > 0 else -lim)]


class _StatWeight(dict[str, float]):
    """The weight of one statistic's feature (``pst=…``/``pen=…``) by the bigram it reads,
    filled on demand: the same sum as looking the statistic up, making its feature string and
    looking that up, done once per distinct bigram of a text instead of once per candidate."""

    def __init__(self, stat: dict[str, float], weights: dict[str, float]) -> None:
        super().__init__()
        self.stat, self.weights = stat, weights

    def __missing__(self, bigram: str) -> float:
        if len(self) >= PAIR_CACHE:
            self.clear()
        value = self[bigram] = self.weights.get(_fb(self.stat.get(bigram, 0.0)), 0.0)
        return value


def learn_stats(
    items: Iterable[tuple[str, Sequence[int], Sequence[tuple[int, int]]]],
) -> dict[str, dict[str, float]]:
    """Character-bigram statistics of training cases (text, block starts, heading spans), over
    the shown text (:func:`shown`: Latin and digits as classes, punctuation folded):

    - ``st``: log-odds that a block starts before this bigram (``text[k:k+2]``),
    - ``en``: log-odds that a block ends after this bigram (``text[k-2:k]``),
    - ``hr``: log-ratio of the bigram's frequency inside headings to inside paragraphs,

    each relative to its base rate, kept for bigrams seen at least ``_STAT_MIN`` times. They let
    a linear model see how heading-like a whole span is and how paragraph-start-like the text
    after a cut is, which one character on either side cannot show, and they find block starts
    glued Han-to-Han with no punctuation between (``…步驟首先運行…``).
    """
    import math

    occ: dict[str, int] = {}
    st: dict[str, int] = {}
    en: dict[str, int] = {}
    hc: dict[str, int] = {}
    pc: dict[str, int] = {}
    positions = starts = 0
    for text, bounds, headings in items:
        sh = shown(text)
        n = len(sh)
        for k in range(n - 1):
            bg = sh[k : k + 2]
            occ[bg] = occ.get(bg, 0) + 1
        positions += max(0, n - 1)
        bset = [b for b in bounds if 0 < b < n]
        starts += len(bset)
        for b in bset:
            if b + 2 <= n:
                bg = sh[b : b + 2]
                st[bg] = st.get(bg, 0) + 1
            if b >= 2:
                bg = sh[b - 2 : b]
                en[bg] = en.get(bg, 0) + 1
        hspans = sorted(headings)
        ends = [*sorted(bounds), n]
        hstarts = {a for a, _ in hspans}
        for j in range(len(ends) - 1):
            a, b = ends[j], ends[j + 1]
            table = hc if a in hstarts else pc
            for k in range(a, b - 1):
                bg = sh[k : k + 2]
                table[bg] = table.get(bg, 0) + 1
    base = math.log((starts + 1) / (positions - starts + 1))
    out: dict[str, dict[str, float]] = {"st": {}, "en": {}, "hr": {}}
    for name, counts in (("st", st), ("en", en)):
        for bg, pos in counts.items():
            total = occ.get(bg, 0)
            if total >= _STAT_MIN:
                v = math.log((pos + 0.5) / (total - pos + 0.5)) - base
                if abs(v) >= 0.5:
                    out[name][bg] = round(v, 1)
    h_all = sum(hc.values()) + 1
    p_all = sum(pc.values()) + 1
    for bg in set(hc) | set(pc):
        h, p = hc.get(bg, 0), pc.get(bg, 0)
        if h + p >= _STAT_MIN:
            v = math.log((h + 0.5) / h_all) - math.log((p + 0.5) / p_all)
            if abs(v) >= 0.3:
                out["hr"][bg] = round(v, 1)
    return {k: dict(sorted(v.items())) for k, v in out.items()}


class TextStats:
    """The model's bigram statistics looked up for one text (see :func:`learn_stats`)."""

    __slots__ = ("en", "hr", "on", "prefix", "sh", "st")

    def __init__(self, text: str, model: Model | None, sh: str | None = None) -> None:
        stats = model.stats if model is not None else {}
        self.on = bool(stats)
        self.sh = shown(text) if sh is None else sh
        self.st = stats.get("st", {})
        self.en = stats.get("en", {})
        self.hr = stats.get("hr", {})
        # prefix[j]: hr summed over the bigrams sh[i : i + 2], i < j, left to right; doubles in an
        # array (a list of float objects took four times the memory: ~300 MB for a 10 MB line)
        self.prefix = array("d", [0.0])
        if self.on:
            hr, sh_ = self.hr, self.sh
            # sh_[k] + sh_[k + 1] is sh_[k : k + 2]: every bigram made and looked up in C
            bigrams = map(_plus, sh_[:-1], sh_[1:])
            self.prefix.extend(accumulate(map(hr.get, bigrams, repeat(0.0))))

    def start(self, k: int) -> float:
        return self.st.get(self.sh[k : k + 2], 0.0)

    def end(self, k: int) -> float:
        return self.en.get(self.sh[max(0, k - 2) : k], 0.0)

    def heading_like(self, a: int, b: int) -> float:
        """Mean heading-vs-paragraph log-ratio of the bigrams of ``text[a:b]``."""
        if b - a < 2:
            return 0.0
        return (self.prefix[b - 1] - self.prefix[a]) / (b - 1 - a)

    def span_features(self, a: int, b: int) -> list[str]:
        """A heading ``text[a:b]`` followed by a block: how heading-like, how well it ends."""
        if not self.on:
            return []
        return [
            "hlm=" + _fb(2 * self.heading_like(a, b), 6),
            "pst=" + _fb(self.start(b)),
            "pen=" + _fb(self.end(b)),
        ]


def _glue(
    cl: str,
    sh: str,
    wb: bytearray,
    taken: set[int],
    strong: Iterable[int],
    ends: Sequence[int],
    n: int,
    ts: TextStats,
    bounds: list[int] | None = None,
) -> Iterator[tuple[int, list[str], int]]:
    """Glue candidates, for both the described and the scored path: unpunctuated word boundaries
    between letters (not in ``taken``) whose bigram statistics call them a likely block edge
    (end + start log-odds ≥ :data:`GLUE_MIN`); each with its extra features and the end of its
    sentence. ``bounds``: the word boundaries in order, when the caller has them.

    The letter pairs (``(?<=[HLD])(?=[HL])`` in the classes: a position is one exactly when it
    lies in a run ``(?<=[HLD])[HL]+``) are taken a run at a time, their word boundaries by
    bisection, instead of a regex match at every letter pair.
    """
    starts_sorted = sorted(strong)
    en, stt = ts.en, ts.st
    if bounds is None:
        bounds = list(compress(range(n + 1), wb))
    at: list[int] = []
    for m in _LETTER_RUN.finditer(cl):
        at += bounds[bisect_left(bounds, m.start()) : bisect_left(bounds, m.end())]
    for k in at:
        if k in taken:
            continue
        e = en.get(sh[k - 2 : k], 0.0)
        g = e + stt.get(sh[k : k + 2], 0.0)
        if g < GLUE_MIN:
            continue
        j = bisect_right(ends, k)
        i = bisect_right(starts_sorted, k) - 1
        last = starts_sorted[i] if i >= 0 and starts_sorted[i] < k else 0
        extra = ["g=" + _fb(g, 8), "ge=" + _fb(e), "dist=" + _bucket(k - last)]
        yield k, extra, ends[j] if j < len(ends) else n


_LETTER_RUN = re.compile(r"(?<=[HLD])[HL]+")


def candidates(
    text: str,
    marks: Iterable[int] = (),
    *,
    wb: bytearray | None = None,
    model: Model | None = None,
    keep: int = PRUNE_KEEP,
    cl: str | None = None,
    sh: str | None = None,
    stats: TextStats | None = None,
) -> Candidates:
    """Every position where a block may start in ``text`` (the run-on line without markers);
    ``marks`` are the offsets where a ``## `` marker stood (known heading starts).

    With a ``model``, each group of window/label candidates (one heading start, one colon) is
    first ranked by a cheap partial score (the group's own features and the character pair
    around the cut) and only its ``keep`` best are kept (a ``## `` heading's: its
    :data:`HEAD_KEEP` best); every candidate kept is scored
    (``Candidates.scores``): the decision takes the best of a group anyway, and describing every
    position is what costs time. When the model's features are all ones :class:`_Split` knows,
    the scores are summed from the weights without writing the feature strings (:func:`_scored`,
    the same sums in the same order) and ``Candidates.describe`` writes them for the few that
    ``--explain`` shows. Training passes no model, and sees every candidate described. ``cl``
    and ``sh`` are :func:`classes` and :func:`shown` of ``text`` when the caller has them.
    """
    st = _starts(text, marks, wb, cl, sh)
    # the model's bigram statistics (none without a model: training passes them in)
    ts = TextStats(text, model, st.sh) if stats is None else stats
    if model is not None and (splits := model._splits()) is not None:
        return _scored(text, st, splits, keep, ts)
    n, wb, sh, cl, labels, strong = st.n, st.wb, st.sh, st.cl, st.labels, st.strong
    mark_set, ends = st.mark_set, st.ends
    positions: list[int] = []
    kinds: list[str] = []
    origins: list[int] = []
    commons: list[list[str]] = []
    extras: list[list[str]] = []
    memo: dict[int, list[str]] = {}  # the same position seen from several origins
    span = n + 2  # memo key: k * span + next_stop (an int hashes faster than a tuple)

    def common(k: int, next_stop: int) -> list[str]:
        f = memo.get(k * span + next_stop)
        if f is None:
            f = memo[k * span + next_stop] = _common(text, sh, cl, wb, k, labels, next_stop)
        return f

    stops_i = 0
    prev = 0
    ends_i = 0
    scores: list[float] = []
    zero = repeat(0.0)

    grouped: set[int] = set()  # every window/label position, pruned or not (glue never takes one)

    def add(kind: str, origin: int, group: list[tuple[int, list[str], int]]) -> None:
        grouped.update(g[0] for g in group)
        if model is None:
            for k, extra, next_stop in group:
                positions.append(k)
                kinds.append(kind)
                origins.append(origin)
                commons.append(common(k, next_stop))
                extras.append(extra)
            return
        w = model._table(kind)
        get = w.get
        bias = w["\x00bias"]
        # model.partial(kind, extra) of each (the same sum: reduce adds left to right from 0.0)
        parts = [reduce(_plus, map(get, extra, zero), 0.0) for _, extra, _ in group]
        chosen: Iterable[int] = range(len(group))
        limit = HEAD_KEEP if kind == "head" else keep
        if len(group) > limit:
            # the cheap score: the group's own features, then the character pair around the cut
            # (summed in this order, so the ranking is the same to the last bit)
            ranked = []
            for i, (k, _, _) in enumerate(group):
                sc = (parts[i] + get("l1r1=" + sh[k - 1 : k + 1], 0.0)
                      + get("r1=" + sh[k : k + 1], 0.0) + get("cls=" + cl[k - 1 : k + 1], 0.0))  # fmt: skip
                ranked.append((-sc, i))
            ranked.sort()  # best first; a tie keeps text order (as a stable sort on -score does)
            chosen = sorted(i for _, i in ranked[:limit])
        for i in chosen:
            k, extra, next_stop = group[i]
            com = common(k, next_stop)
            positions.append(k)
            kinds.append(kind)
            origins.append(origin)
            commons.append(com)
            extras.append(extra)
            # model.score(kind, com) + model.partial(kind, extra)
            scores.append(reduce(_plus, map(get, com, zero), bias) + parts[i])

    by_colon: dict[int, list[tuple[int, list[str], int]]] = {}
    for k, c in sorted(st.label_starts.items()):
        if k in mark_set:
            continue
        while ends[ends_i] <= k:
            ends_i += 1
        by_colon.setdefault(c, []).append(
            (k, ["llen=" + _bucket(c - k), "lprev=" + cl[k - 1]], ends[ends_i])
        )
    for c, colon_group in by_colon.items():
        add("label", c, colon_group)
    for s in st.order:
        while ends[stops_i] <= s:
            stops_i += 1
        next_stop = ends[stops_i]
        if s > 0 and s not in mark_set:
            positions.append(s)
            kinds.append("strong")
            origins.append(-1)
            commons.append(com := common(s, next_stop))
            extras.append(extra := _strong_extra(text, s, prev, strong[s], labels))
            if model is not None:
                scores.append(model.score("strong", com) + model.partial("strong", extra))
        marked = s in mark_set
        # window candidates: where a heading starting at s could end
        first, stop, bad_end, comma_at = _window(text, s, marked, n)
        cands_here: list[tuple[int, list[str], int]] = []
        k = wb.find(1, first, stop) if stop > first else -1  # word boundaries only
        while k >= 0:
            if marked or k not in strong:
                f = _window_extra(text, sh, cl, s, k, bad_end, comma_at, ts)
                cands_here.append((k, f, next_stop))
            k = wb.find(1, k + 1, stop)
        add("head" if marked else "window", s, cands_here)
        if s > 0:
            prev = s
    if ts.on:  # glue: unpunctuated word boundaries the bigram statistics call a likely block edge
        taken = grouped.union(positions)  # the same set with or without pruning
        for k, extra, end in _glue(cl, sh, wb, taken | mark_set, strong, ends, n, ts):
            com = common(k, end)
            positions.append(k)
            kinds.append("glue")
            origins.append(-1)
            commons.append(com)
            extras.append(extra)
            if model is not None:
                scores.append(model.score("glue", com) + model.partial("glue", extra))
    return Candidates(positions, kinds, origins, commons, extras,
                      scores if model is not None else None)  # fmt: skip


class _Split:
    """One kind's weight table split by feature template: ``l1["。"]`` is the weight of
    ``l1=。``. :func:`_scored` sums a candidate's weights from these without writing its
    feature strings (a string per feature per candidate is what cost the time).

    ``known`` is False when the table holds a feature this class does not know (a model trained
    with a new feature): then the described path scores it, exactly, only slower.
    """

    VALUED = ("l1", "r1", "cls", "r2", "l2", "lw", "rw", "next", "l1r1", "scue", "pcue", "dist",
              "via", "lablen", "hlen", "hend", "hstart", "hr1", "llen", "lprev", "labahead",
              "hlm", "pst", "pen", "g", "ge")  # fmt: skip
    FLAGS = ("echo", "label", "listmark", "ccue", "reclabel", "close", "hverb", "hcomma",
             "repeat", "hecho")  # fmt: skip

    def __init__(self, table: dict[str, float]) -> None:
        by: dict[str, dict[str, float]] = {}
        flags: dict[str, float] = {}
        for f, v in table.items():
            name, eq, value = f.partition("=")
            if eq:
                by.setdefault(name, {})[value] = v
            else:
                flags[name] = v
        self.known = set(by) <= set(self.VALUED) and set(flags) <= {*self.FLAGS, "\x00bias"}
        self.bias = table["\x00bias"]
        vd = {name: by.get(name, {}) for name in self.VALUED}
        self.l1, self.r1, self.cls, self.r2, self.l2 = (
            vd["l1"],
            vd["r1"],
            vd["cls"],
            vd["r2"],
            vd["l2"],
        )
        self.lw, self.rw, self.l1r1, self.scue, self.pcue = (vd["lw"], vd["rw"], vd["l1r1"],
                                                             vd["scue"], vd["pcue"])  # fmt: skip
        self.dist, self.via, self.lablen = vd["dist"], vd["via"], vd["lablen"]
        self.hend, self.hstart, self.hr1 = vd["hend"], vd["hstart"], vd["hr1"]
        self.llen, self.lprev = vd["llen"], vd["lprev"]
        self.next_by = vd["next"]  # by bucket name; next_w[d]: by distance, for the usual ones
        self.next_w = [vd["next"].get(b, 0.0) for b in _BUCKETS]
        self.hlen_w = [vd["hlen"].get(b, 0.0) for b in _BUCKETS]
        fl = {name: flags.get(name, 0.0) for name in self.FLAGS}
        self.echo, self.label, self.listmark, self.ccue = (fl["echo"], fl["label"], fl["listmark"],
                                                           fl["ccue"])  # fmt: skip
        self.reclabel, self.close = fl["reclabel"], fl["close"]
        self.hverb, self.hcomma, self.repeat = fl["hverb"], fl["hcomma"], fl["repeat"]
        self.labahead, self.hecho = vd["labahead"], fl["hecho"]
        self.hlm, self.pst, self.pen = vd["hlm"], vd["pst"], vd["pen"]
        self.g, self.ge = vd["g"], vd["ge"]
        self.pairs = _Pairs(self)
        # hlm's weight by round(2 * heading_like) for -6 … 6 (_fb clamps beyond, to ±6)
        self.hlm_by_round = [self.hlm.get(_FB_STR[r], 0.0) for r in range(-6, 7)]
        self.stat_weights: tuple[_StatWeight, _StatWeight] | None = None  # kept across texts

    def stat_weight(self, ts: TextStats) -> tuple[_StatWeight, _StatWeight]:
        """The ``pst``/``pen`` weights by bigram for the model's statistics (one per model)."""
        sw = self.stat_weights
        if sw is None or sw[0].stat is not ts.st or sw[1].stat is not ts.en:
            sw = self.stat_weights = (_StatWeight(ts.st, self.pst), _StatWeight(ts.en, self.pen))
        return sw


class _Pairs(dict[str, tuple[float, float, float, float, float, float]]):
    """The weights of ``l1``, ``r1``, ``cls``, ``l1r1``, ``hend`` and ``hr1`` of a cut, by the two
    characters around it (``sh[k - 1 : k + 1]``; ``cls`` is their classes, ``hr1`` the class
    after the cut): six lookups in big tables made one in a small one. Filled on demand, emptied
    when it grows past :data:`PAIR_CACHE`."""

    def __init__(self, w: _Split) -> None:
        super().__init__()
        self.w = w

    def __missing__(self, key: str) -> tuple[float, float, float, float, float, float]:
        if len(self) >= PAIR_CACHE:
            self.clear()
        w = self.w
        c = _HAN_SUB.sub("H", key)  # the classes of the two characters, one for one
        value = self[key] = (w.l1.get(key[:1], 0.0), w.r1.get(key[1:], 0.0), w.cls.get(c, 0.0),
                             w.l1r1.get(key, 0.0), w.hend.get(key[:1], 0.0),
                             w.hr1.get(c[1:], 0.0))  # fmt: skip
        return value


def _common_scores(
    text: str, sh: str, cl: str, wb: bytearray, labels: set[str], ks: list[int],
    stops: list[int], w: _Split,
) -> list[float]:  # fmt: skip
    """``model.score(kind, _common(text, sh, cl, wb, k, labels, next_stop))`` for each ``k`` of
    ``ks`` (``next_stop`` from ``stops``): the same weights added in the same order — the bias,
    then each feature of :func:`_common` in its order, the flags where they fire — read from the
    split tables without writing the feature strings; ``l1``, ``r1``, ``cls`` and ``l1r1`` come
    from one lookup by the two characters around the cut (:class:`_Pairs`)."""
    pairs, r2, l2, lwt, rwt = w.pairs, w.r2.get, w.l2.get, w.lw.get, w.rw.get
    scue, pcue = w.scue.get, w.pcue.get
    bias, echo, label, listmark, ccue = w.bias, w.echo, w.label, w.listmark, w.ccue
    nw, nb, top = w.next_w, w.next_by, len(w.next_w)
    n = len(text)
    out: list[float] = []
    for k, stop in zip(ks, stops, strict=True):
        l1, r1, cls, l1r1, _, _ = pairs[sh[k - 1 : k + 1]]  # k > 0
        t = bias + l1
        t += r1
        t += cls
        t += r2(sh[k : k + 2], 0.0)
        t += l2(sh[k - 2 if k > 2 else 0 : k], 0.0)
        # the words ending and starting at k: _word_at(…, -1) and _word_at(…, 1)
        a = wb.rfind(1, k - 4 if k > 4 else 0, k)
        if a < 0:
            a = k - 4 if k > 4 else 0
        c = cl[a:k]
        t += lwt(c[0] + c[-1] if "L" in c or "D" in c else text[a:k], 0.0)
        j = wb.find(1, k + 1, k + 5)
        b = j if j > 0 else k + 4
        c = cl[k:b]
        t += rwt(c[0] + c[-1] if "L" in c or "D" in c else text[k:b], 0.0)
        d = stop - k
        t += nw[d] if 0 <= d < top else nb.get(_bucket(d), 0.0)
        t += l1r1
        # the flags, in _common's order, added where they fire (a flag that does not adds nothing)
        if k + 2 <= n and text.find(text[k : k + 2], k - 40 if k > 40 else 0, k) >= 0:
            t += echo
        if labels and (m := _LABEL.match(text, k)) and m.group(1) in labels:
            t += label
        ch = text[k : k + 1]
        if (ch in _LIST_FIRST or ch.isdecimal()) and _LIST_MARK.match(text, k):
            t += listmark
        if ch in _SCUE_FIRST and (m := _SCUE.match(text, k)):
            t += scue(m.group(), 0.0)
        if ch in _PCUE_FIRST and (m := _PCUE.match(text, k)):
            t += pcue(m.group(), 0.0)
        if ch in _CCUE_FIRST and _CCUE.match(text, k):
            t += ccue
        out.append(t)
    return out


class _Members:
    """The window (or head) candidates of every heading start of one text, in flat lists, scored
    in one pass per text: ``parts[i]`` is ``model.partial(kind, _window_extra(…))``, ``cheap[i]``
    the ranking score ``parts[i] + l1r1 + r1 + cls`` — each the same additions in the same order
    as :func:`_window_extra`'s features, so the floats are the same to the last bit. What depends
    only on the heading start (its first character's weight, its first four characters, the
    statistics' prefix sum at it) is looked up once per group, and the weights read from the two
    characters around the cut once per distinct pair (:class:`_Pairs`)."""

    def __init__(self) -> None:
        self.ks: list[int] = []
        self.groups: list[tuple[int, int, int, int, int]] = []  # (s, bad_end, comma_at, i0, i1)
        self.parts: list[float] = []
        self.cheap: list[float] = []

    def add(self, ks: list[int], s: int, bad_end: int, comma_at: int) -> None:
        i0 = len(self.ks)
        self.ks += ks
        self.groups.append((s, bad_end, comma_at, i0, len(self.ks)))

    def score(
        self,
        text: str,
        sh: str,
        cl: str,
        w: _Split,
        ts: TextStats,
        ahead: dict[int, int],
        *,
        with_cheap: bool,
    ) -> None:
        ks = self.ks
        parts: list[float] = []
        cheap: list[float] = []
        hlen_w, hstart, pairs = w.hlen_w, w.hstart.get, w.pairs
        hverb, hcomma, rep, hecho = w.hverb, w.hcomma, w.repeat, w.hecho
        lab_end = ahead.get
        lab_get = w.labahead.get
        on = ts.on
        if on:
            hlm_w = w.hlm_by_round
            sw, ew = w.stat_weight(ts)
            prefix = ts.prefix
        tsh = ts.sh
        for s, bad_end, comma_at, i0, i1 in self.groups:
            hs = hstart(sh[s : s + 1], 0.0)
            head, t0 = text[s : s + 4], text[s : s + 1]
            ps = prefix[s] if on else 0.0
            for k in ks[i0:i1]:
                # _window_extra's features in its order: hlen, hend, hstart, hr1, hverb, hcomma,
                # repeat, labahead, hecho, then the statistics hlm, pst, pen
                _, r1, cls, l1r1, hend, hr1 = pairs[sh[k - 1 : k + 1]]
                p = 0.0 + hlen_w[k - s]
                p += hend
                p += hs
                p += hr1
                if k >= bad_end:
                    p += hverb
                if k > comma_at:
                    p += hcomma
                # repeat: the text at k opens as the heading did (first characters compared first)
                if k - s >= 2 and text[k] == t0 and text.startswith(head[: k - s], k):
                    p += rep
                if (e := lab_end(k)) is not None:
                    p += lab_get(_bucket(e - k), 0.0)
                if k + 2 <= len(text) and text.find(text[k : k + 2], s, k) >= 0:
                    p += hecho
                if on:
                    r = round(2 * ((prefix[k - 1] - ps) / (k - 1 - s))) if k - s >= 2 else 0
                    p += hlm_w[r + 6 if -6 <= r <= 6 else (12 if r > 0 else 0)]
                    p += sw[tsh[k : k + 2]]
                    p += ew[tsh[k - 2 if k > 2 else 0 : k]]
                parts.append(p)
                if with_cheap:  # ((part + l1r1) + r1) + cls
                    cheap.append(p + l1r1 + r1 + cls)
        self.parts = parts
        self.cheap = cheap


def _scored(
    text: str, st: _Starts, splits: dict[str, _Split], keep: int, ts: TextStats
) -> Candidates:
    """:func:`candidates` with a model whose features :class:`_Split` knows: the same candidates
    and scores as the described path, each feature's weight read without writing the feature.

    Each sum below mirrors a feature list: :func:`_common` (:func:`_common_scores`),
    :func:`_strong_extra`, :func:`_window_extra` and the label features; the features of a
    candidate are written only on demand (``Candidates.describe``, for ``--explain``).
    ``tests/readers/test_prose_boundary.py`` checks both paths give the same scores.
    """
    n, wb, sh, cl, labels, strong = st.n, st.wb, st.sh, st.cl, st.labels, st.strong
    mark_set, ends = st.mark_set, st.ends
    positions: list[int] = []
    kinds: list[str] = []
    origins: list[int] = []
    parts: list[float] = []  # the kind's own features' weights (model.partial)
    recipes: list[tuple[int, int, int]] = []  # (next_stop, a, b) to write the features again

    def pick(
        kind: str, origin: int, group: list[tuple[int, float, int, int, int]], w: _Split
    ) -> None:
        # group: (k, partial score of the kind's own features, next_stop, a, b)
        if len(group) > keep and kind != "head":
            # the cheap score: the group's own features, then the character pair around the cut
            ranked = []
            for i, (k, part, _, _, _) in enumerate(group):
                sc = (part + w.l1r1.get(sh[k - 1 : k + 1], 0.0) + w.r1.get(sh[k : k + 1], 0.0)
                      + w.cls.get(cl[k - 1 : k + 1], 0.0))  # fmt: skip
                ranked.append((-sc, i))
            ranked.sort()  # best first; a tie keeps text order (as a stable sort on -score does)
            group = [group[i] for i in sorted(i for _, i in ranked[:keep])]
        for k, part, next_stop, a, b in group:
            positions.append(k)
            kinds.append(kind)
            origins.append(origin)
            parts.append(part)
            recipes.append((next_stop, a, b))

    wl = splits["label"]
    by_colon: dict[int, list[tuple[int, float, int, int, int]]] = {}
    ends_i = 0
    for k, c in sorted(st.label_starts.items()):
        if k in mark_set:
            continue
        while ends[ends_i] <= k:
            ends_i += 1
        d = c - k
        part = 0.0  # llen=, lprev=
        part += wl.llen.get(_bucket(d), 0.0)
        part += wl.lprev.get(cl[k - 1], 0.0)
        by_colon.setdefault(c, []).append((k, part, ends[ends_i], 0, 0))
    for c, colon_group in by_colon.items():
        pick("label", c, colon_group, wl)
    ws = splits["strong"]
    bounds = list(compress(range(len(wb)), wb))  # every word boundary, in order
    # the window/head groups, gathered first and scored a kind at a time (below)
    members: dict[str, _Members] = {"window": _Members(), "head": _Members()}
    # in text order: ("strong", s, prev, 0, next_stop, part, 0, 0)
    #              | (kind, s, first, count, next_stop, 0.0, bad_end, comma_at)
    events: list[tuple[str, int, int, int, int, float, int, int]] = []
    stops_i = 0
    prev = 0
    for s in st.order:
        while ends[stops_i] <= s:
            stops_i += 1
        next_stop = ends[stops_i]
        if s > 0 and s not in mark_set:
            via = strong[s]
            part = 0.0  # _strong_extra's features, in its order
            part += ws.dist.get(_bucket(s - prev), 0.0)
            part += ws.via.get(via.translate(_PUNCT_NORM), 0.0)
            if via in "：:":
                run = _RUN_BEFORE.search(text, max(0, s - 14), s - 1)
                lab = run.group() if run else ""
                part += ws.lablen.get(_bucket(len(lab)), 0.0)
                if any(lab[j:] in labels for j in range(max(0, len(lab) - 12), len(lab) - 1)):
                    part += ws.reclabel
            if via in "）)】」』”》":
                part += ws.close
            events.append(("strong", s, prev, 0, next_stop, part, 0, 0))
        marked = s in mark_set
        kind = "head" if marked else "window"
        first, stop, bad_end, comma_at = _window(text, s, marked, n)
        mem = bounds[bisect_left(bounds, first) : bisect_left(bounds, stop)] if stop > first else []
        if not marked:
            mem = [k for k in mem if k not in strong]
        g = members[kind]
        events.append((kind, s, len(g.ks), len(mem), next_stop, 0.0, bad_end, comma_at))
        g.add(mem, s, bad_end, comma_at)
        if s > 0:
            prev = s
    ahead = _labels_ahead(text)
    for kind, g in members.items():
        g.score(text, sh, cl, splits[kind], ts, ahead, with_cheap=True)
    for ev, s, i0, count, next_stop, part, bad_end, comma_at in events:
        if ev == "strong":
            positions.append(s)
            kinds.append("strong")
            origins.append(-1)
            parts.append(part)
            recipes.append((next_stop, i0, 0))  # i0: prev
            continue
        g = members[ev]
        chosen: Iterable[int] = range(i0, i0 + count)
        limit = HEAD_KEEP if ev == "head" else keep
        if count > limit:
            # the cheap score ranks the group; its best ``limit`` are kept, in text order
            ranked = sorted((-g.cheap[i], i) for i in chosen)  # a tie keeps text order
            chosen = sorted(i for _, i in ranked[:limit])
        for i in chosen:
            positions.append(g.ks[i])
            kinds.append(ev)
            origins.append(s)
            parts.append(g.parts[i])
            recipes.append((next_stop, bad_end, comma_at))

    glue_extra: dict[int, list[str]] = {}
    if ts.on:  # glue candidates, as candidates() finds them (after every other candidate)
        taken = set(members["window"].ks).union(members["head"].ks, positions)
        for colon_group in by_colon.values():
            taken.update(g[0] for g in colon_group)
        wg = splits["glue"]
        for k, extra, end in _glue(cl, sh, wb, taken | mark_set, strong, ends, n, ts, bounds):
            part = 0.0  # g=, ge=, dist=
            part += wg.g.get(extra[0][2:], 0.0)
            part += wg.ge.get(extra[1][3:], 0.0)
            part += wg.dist.get(extra[2][5:], 0.0)
            glue_extra[len(positions)] = extra
            positions.append(k)
            kinds.append("glue")
            origins.append(-1)
            parts.append(part)
            recipes.append((end, 0, 0))
    # model.score(kind, common) + model.partial(kind, extra), the common part a kind at a time
    scores = [0.0] * len(positions)
    by_kind: dict[str, list[int]] = {}
    for i, kd in enumerate(kinds):
        by_kind.setdefault(kd, []).append(i)
    for kind, idx in by_kind.items():
        w = splits[kind]
        ks = [positions[i] for i in idx]
        base = _common_scores(text, sh, cl, wb, labels, ks, [recipes[i][0] for i in idx], w)
        for i, sc in zip(idx, base, strict=True):
            scores[i] = sc + parts[i]

    def describe(i: int) -> list[str]:
        k, kind, origin = positions[i], kinds[i], origins[i]
        next_stop, a, b = recipes[i]
        common = _common(text, sh, cl, wb, k, labels, next_stop)
        if kind == "strong":
            return common + _strong_extra(text, k, a, strong[k], labels)
        if kind == "label":
            return [*common, "llen=" + _bucket(origin - k), "lprev=" + cl[k - 1]]
        if kind == "glue":
            return common + glue_extra[i]
        return common + _window_extra(text, sh, cl, origin, k, a, b, ts)

    return Candidates(positions, kinds, origins, [], [], scores, describe)


def heading_features(
    text: str,
    cl: str,
    start: int,
    end: int,
    next_end: int,
    wb: bytearray,
    stats: TextStats | None = None,
) -> list[str]:
    """Features of the block ``text[start:end]`` for the heading-or-not decision."""
    block = text[start:end].rstrip()
    if not block:
        return ["empty"]
    last, first = block[-1], block[0]
    # classes of single characters read from ``cl`` (classes() maps each character on its own)
    c_last, c_first = cl[start + len(block) - 1], cl[start]
    f = [
        "len=" + _bucket(len(block)),
        "last=" + (last if c_last == "H" else c_last),
        "first=" + (first if c_first == "H" else c_first),
        "fw=" + _word_at(text, cl, wb, start, 1),
        "lw=" + _word_at(text, cl, wb, start + len(block), -1),
        "prev=" + (cl[start - 1] if start > 0 else "^"),
        "nlen=" + _bucket(next_end - end),
        "nfirst=" + (cl[end] if end < len(text) else "^"),
    ]
    if _STOP_MARKED.search(block):
        f.append("has-stop")
    if "，" in block or "," in block:
        f.append("has-comma")
    if NOT_IN_HEADING.search(block):
        f.append("verb")
    if _LIST_MARK.match(block):
        f.append("listmark")
    if block.endswith(("：", ":")):
        f.append("colon")
    if end < len(text) and text[end - 1 : end] not in "。！？；;!?：:，,":
        f.append("glued")
    lb = _bucket(len(block))
    # conjunctions a linear model cannot make itself: a short block is a heading when it ends
    # like one; what the next block opens with (a word, a short "label：", a clause)
    f.append("lenlast=" + lb + "|" + f[1][5:])
    if end < len(text):
        f.append("nfw=" + _word_at(text, cl, wb, end, 1))
        m = _NEXT_PUNCT.search(text, end, end + 24)
        f.append("nnp=" + (m.group().translate(_PUNCT_NORM) + _BUCKETS[m.start() - end]
                           if m else "none"))  # fmt: skip
    if stats is not None and stats.on:
        hl = _fb(2 * stats.heading_like(start, start + len(block)), 6)
        f.append("hlm=" + hl)
        f.append("hlmlen=" + hl + "|" + lb)
        if end < len(text):
            f.append("nst=" + _fb(stats.start(end)))
    return f


class Model:
    """Two weight tables (feature → weight): ``boundary`` and ``heading``, plus their thresholds
    (``boundary``, ``window``, ``heading``, and ``head_len``: the price per character in the
    ranking of a ``## `` heading's ends, see :func:`segment`)."""

    def __init__(self, boundary: dict[str, float], heading: dict[str, float],
                 thresholds: dict[str, float] | None = None,
                 stats: dict[str, dict[str, float]] | None = None) -> None:  # fmt: skip
        self.boundary = boundary
        self.heading = heading
        self.thresholds = thresholds or {"boundary": 0.0, "heading": 0.0}
        self.stats = stats or {}

        self._tables: dict[str, dict[str, float]] = {}
        self._split: dict[str, _Split] | None = None

    def _table(self, kind: str) -> dict[str, float]:
        """Feature → weight for one kind of candidate (shared and kind-specific weights summed)."""
        table = self._tables.get(kind)
        if table is None:
            table = {f: v for f, v in self.boundary.items() if "\x00" not in f}
            prefix = kind + "\x00"
            for f, v in self.boundary.items():
                if f.startswith(prefix):
                    table[f[len(prefix) :]] = table.get(f[len(prefix) :], 0.0) + v
            table["\x00bias"] = self.boundary.get(prefix + "\x00bias", 0.0)
            self._tables[kind] = table
        return table

    def _splits(self) -> dict[str, _Split] | None:
        """Each kind's table split by template (for :func:`_scored`); None when a table holds a
        feature :class:`_Split` does not know (then candidates are described, then scored)."""
        if self._split is None:
            kinds = ("strong", "window", "label", "head", "glue")
            self._split = {k: _Split(self._table(k)) for k in kinds}
        return self._split if all(w.known for w in self._split.values()) else None

    def score(self, kind: str, feats: list[str]) -> float:
        # reduce(add) sums left to right like a loop (sum() may not: Python 3.12 compensates),
        # so every score is the same float whichever way it is computed
        w = self._table(kind)
        return reduce(_plus, map(w.get, feats, repeat(0.0)), w["\x00bias"])

    def partial(self, kind: str, feats: list[str]) -> float:
        """The weights of ``feats`` without the bias (to add to a cached :meth:`score`)."""
        w = self._table(kind)
        return reduce(_plus, map(w.get, feats, repeat(0.0)), 0.0)

    def explain(self, kind: str, feats: list[str], top: int = 3) -> list[tuple[str, float]]:
        t = self._table(kind)
        parts = [(f, t.get(f, 0.0)) for f in feats]
        parts.sort(key=lambda p: -abs(p[1]))
        return [p for p in parts[:top] if p[1]]

    def heading_score(self, feats: list[str]) -> float:
        w = self.heading
        return w.get("bias", 0.0) + sum(w.get(f, 0.0) for f in feats)

    def to_json(self) -> dict[str, object]:
        return {"boundary": self.boundary, "heading": self.heading, "thresholds": self.thresholds,
                "stats": self.stats}  # fmt: skip


@cache
def load_model() -> Model:
    """The shipped model (read once, on first use)."""
    data = resources.files(__package__).joinpath(MODEL_FILE).read_bytes()
    obj = json.loads(gzip.decompress(data))
    return Model(obj["boundary"], obj["heading"], obj.get("thresholds"), obj.get("stats"))


@dataclass(frozen=True, slots=True)
class Boundary:
    """One block start chosen by the model, with why (for ``--explain``)."""

    pos: int
    score: float
    kind: str
    features: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class Segmentation:
    """Blocks as (start, end, is_heading) spans covering the text, and the chosen boundaries."""

    blocks: list[tuple[int, int, bool]]
    boundaries: list[Boundary]
    heading_scores: dict[int, float]


_T = TypeVar("_T")


def _close_headings(kept: dict[int, _T], heads: list[tuple[int, int, _T]]) -> dict[int, _T]:
    """A copy of ``kept`` after, for each ``(start, end, boundary)`` of ``heads`` in order, every
    boundary strictly inside ``start < p < end`` is dropped and ``end`` set to ``boundary``.

    The same as rebuilding the dict once per heading, found by bisection instead: one pass over
    every boundary per heading made a 10 MB line with thousands of ``## `` headings quadratic.
    """
    out = dict(kept)
    before = sorted(out)
    ends: list[int] = []  # heading ends set so far, sorted
    for start, end, bd in heads:
        for inside in (before, ends):
            for p in inside[bisect_right(inside, start) : bisect_left(inside, end)]:
                out.pop(p, None)
        out[end] = bd
        insort(ends, end)
    return out


def segment(
    text: str, marks: Sequence[int] = (), model: Model | None = None, *, explain: bool = True
) -> Segmentation:
    """Segment ``text`` (a run-on line with its ``## `` markers removed, their offsets ``marks``).

    ``explain=False`` leaves each boundary's strongest features out (``Boundary.features`` is
    empty): writing them costs a tenth of the time, and reading a document never shows them.
    The blocks, boundaries and scores are the same either way."""
    model = model or load_model()
    n = len(text)
    if n == 0:
        return Segmentation([], [], {})
    wb = word_bounds(text)
    sh = shown(text)
    cl = _han_as_h(sh)  # classes(text), from sh
    ts = TextStats(text, model, sh)
    cands = candidates(text, marks, wb=wb, model=model, keep=PRUNE_KEEP, cl=cl, sh=sh, stats=ts)
    mark_set = set(marks)
    chosen: dict[int, Boundary] = {}
    source: dict[int, int] = {}  # boundary position -> the candidate that chose it
    best_head: dict[int, tuple[float, int]] = {}
    best_window: dict[int, tuple[float, int]] = {}
    th = model.thresholds.get("boundary", 0.0)
    thw = model.thresholds.get("window", th)
    # a ``## `` heading's end is ranked by its score less ``head_len`` per character: the ranking
    # learnt ends too late far more often than too early (dev: 998 late, 410 early of 3,732
    # marked headings), and one length price chosen on dev evens that (0.62 -> 0.66 F1)
    lam = model.thresholds.get("head_len", 0.0)
    assert cands.scores is not None  # candidates() scored them: model.score + model.partial
    plain: dict[int, tuple[float, int]] = {}  # the same, without the length price
    for i, (pos, kind, origin, sc) in enumerate(
        zip(cands.positions, cands.kinds, cands.origins, cands.scores, strict=True)
    ):
        if kind == "head":
            ranked = sc - lam * (pos - origin)
            if origin not in best_head or ranked > best_head[origin][0]:
                best_head[origin] = (ranked, i)
            if origin not in plain or sc > plain[origin][0]:
                plain[origin] = (sc, i)
        elif kind in ("window", "label"):
            group = origin if kind == "window" else -1 - origin
            if group not in best_window or sc > best_window[group][0]:
                best_window[group] = (sc, i)
        elif sc > th:
            chosen[pos] = Boundary(pos, sc, kind, ())
            source[pos] = i
    # a glued heading: at most one end per origin, its best candidate, when good enough
    for sc, i in best_window.values():
        pos = cands.positions[i]
        if sc > thw and (pos not in chosen or chosen[pos].score < sc):
            chosen[pos] = Boundary(pos, sc, cands.kinds[i], ())
            source[pos] = i
    # a document writes its headings alike: when its headings, ranked without the length price,
    # are long (news titles, ``head_long`` characters and more at the median), the price would
    # cut each of them short, so they keep the plain ranking
    if plain and lam:
        lengths = sorted(cands.positions[i] - o for o, (_, i) in plain.items())
        if lengths[len(lengths) // 2] >= model.thresholds.get("head_long", float("inf")):
            best_head = plain
    # a ``## `` heading: its start is certain, its end the best-scoring candidate in its window
    # (of the HEAD_KEEP the cheap score ranks first)
    heading_spans: dict[int, int] = {}
    heads: list[tuple[int, int, Boundary]] = []
    for origin, (_, i) in best_head.items():
        end, sc = cands.positions[i], cands.scores[i]
        heading_spans[origin] = end
        heads.append((origin, end, Boundary(end, sc, "head", ())))
        source[end] = i
    kept = _close_headings(chosen, heads)
    for m in mark_set:
        if 0 < m < n:
            kept[m] = Boundary(m, float("inf"), "marker", ())
        heading_spans.setdefault(m, n)
    starts = sorted(p for p in kept if 0 < p < n)
    explained: list[Boundary] = []
    for p in starts:
        bd = kept[p]
        ci = source.get(p)
        feats = []
        if explain and ci is not None and bd.kind != "marker":
            feats = (cands.describe(ci) if cands.describe is not None
                     else cands.commons[ci] + cands.extras[ci])  # fmt: skip
        kind = cands.kinds[ci] if ci is not None else bd.kind
        explained.append(Boundary(p, bd.score, bd.kind,
                                  tuple(model.explain(kind, feats)) if feats else ()))  # fmt: skip
    bounds = [0, *starts, n]
    blocks: list[tuple[int, int, bool]] = []
    hscores: dict[int, float] = {}
    hth = model.thresholds.get("heading", 0.0)
    for j in range(len(bounds) - 1):
        a, b = bounds[j], bounds[j + 1]
        if mark_set:
            is_head = a in mark_set
        else:
            nxt = bounds[j + 2] if j + 2 < len(bounds) else b
            hs = model.heading_score(heading_features(text, cl, a, b, nxt, wb, ts))
            hscores[a] = hs
            is_head = hs > hth
        blocks.append((a, b, is_head))
    return Segmentation(blocks, explained, hscores)
