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
a gzipped JSON table inside the package, read on first use.
"""

from __future__ import annotations

import gzip
import json
import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, reduce
from importlib import resources
from itertools import repeat
from operator import add
from typing import TypeVar

from ...cjk import HAN
from .text import CONTINUATION_CUES, NOT_IN_HEADING, PARAGRAPH_CUES, SENTENCE_START_CUES

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
_HAN_PAIR = re.compile(r"(?<=[HLD])(?=[HL])")
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9_]{5,}")
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


def classes(text: str) -> str:
    """One class character per character of ``text`` (same length): H(an), D(igit), L(atin),
    S(pace), or the punctuation itself with half-width forms folded to full width. Built with
    ``re.sub`` and ``str.translate`` so that it runs at C speed.
    """
    return _HAN_SUB.sub("H", text.translate(_CLS_TABLE))


def _cls(ch: str) -> str:
    """The class of one character (see :func:`classes`); ``^`` for none."""
    return classes(ch) if ch else "^"


_LIMITS = (2, 4, 6, 8, 11, 14, 18, 24, 32, 45, 64, 100, 160, 250)
_BUCKETS = [str(next(x for x in _LIMITS if n <= x)) for n in range(_LIMITS[-1] + 1)]


def _bucket(n: int) -> str:
    return _BUCKETS[n] if 0 <= n <= _LIMITS[-1] else ("max" if n > 0 else "0")


_ALNUM_RUN = re.compile(r"[0-9A-Za-z]{2,}")
_DECIMAL_POINT = re.compile(r"(?<=\d)[.,](?=\d)")
_UNIT_AFTER_DIGIT = re.compile(r"(?<=\d)[億亿萬万千百%％倍]")


@cache
def _t2s() -> object:
    from opencc import OpenCC

    return OpenCC("t2s")


def word_bounds(text: str) -> bytearray:
    """``out[k] == 1`` where a cut at ``k`` falls between two words (jieba's segmentation of the
    text, read through OpenCC ``t2s`` so that Traditional text is cut like Simplified), never
    inside a number or a Latin word, nor between a number and its unit (``1100|億``).
    """
    import rjieba

    n = len(text)
    out = bytearray(n + 1)
    out[0] = out[n] = 1
    simp: str = _t2s().convert(text)  # type: ignore[attr-defined]
    if len(simp) != n:
        simp = text
    pos = 0
    for w in rjieba.cut(simp, False):
        pos += len(w)
        if pos <= n:
            out[pos] = 1
    # never inside a Latin word or a number: every inner position of an ASCII letter/digit run
    # (one slice per run, not one regex match per position: the same cuts, at C speed)
    for m in _ALNUM_RUN.finditer(text):
        a, b = m.span()
        out[a + 1 : b] = bytes(b - a - 1)
    for m in _DECIMAL_POINT.finditer(text):  # 3|.|14, 1|,|000
        out[m.start()] = out[m.start() + 1] = 0
    for m in _UNIT_AFTER_DIGIT.finditer(text):
        out[m.start()] = 0
    # a name written twice with nothing between is two words: a heading naming an API, then the
    # paragraph opening with the same name ("UserInputAudioUserInputAudio 用於…", seen in
    # documentation in the corpus); the middle of such a doubled Latin run is a word boundary
    for m in _LATIN_RUN.finditer(text):
        a, b = m.span()
        for k in range(a + 3, (a + b) // 2 + 1):
            if text[a:k] == text[k : 2 * k - a]:
                out[k] = 1
                break
    return out


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

    @property
    def features(self) -> list[list[str]]:
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
    f = [
        "l1=" + sh[k - 1 : k],
        "r1=" + sh[k : k + 1],
        "cls=" + cl[k - 1 : k + 1],
        "r2=" + sh[k : k + 2],
        "l2=" + sh[max(0, k - 2) : k],
        "lw=" + _word_at(text, cl, wb, k, -1),
        "rw=" + _word_at(text, cl, wb, k, 1),
        "next=" + _bucket(next_stop - k),
        "l1r1=" + sh[k - 1 : k + 1],
    ]
    if k + 2 <= len(text) and text.find(text[k : k + 2], max(0, k - 40), k) >= 0:
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


_STAT_MIN = 20  # a bigram seen fewer times says nothing reliable (and would bloat the model)
GLUE_MIN = 2.0  # a Han|Han word boundary this likely to end/start a block is a "glue" candidate


def _fb(x: float, lim: int = 5) -> str:
    """A statistic as a coarse feature value (rounded, clamped)."""
    return str(max(-lim, min(lim, round(x))))


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
        self.prefix: list[float] = []
        if self.on:
            from itertools import accumulate

            hr, sh_ = self.hr, self.sh
            self.prefix = [
                0.0,
                *accumulate(hr.get(sh_[k : k + 2], 0.0) for k in range(len(sh_) - 1)),
            ]

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


def candidates(
    text: str,
    marks: Iterable[int] = (),
    *,
    wb: bytearray | None = None,
    model: Model | None = None,
    keep: int = PRUNE_KEEP,
    cl: str | None = None,
    stats: TextStats | None = None,
) -> Candidates:
    """Every position where a block may start in ``text`` (the run-on line without markers);
    ``marks`` are the offsets where a ``## `` marker stood (known heading starts).

    With a ``model``, each group of window/label candidates (one heading start, one colon) is
    first ranked by a cheap partial score (the group's own features and the character pair
    around the cut) and only its ``keep`` best are described in full: the decision takes the
    best of a group anyway, and describing every position is what costs time. Training passes
    no model, and sees every candidate. ``cl`` is :func:`classes` of ``text`` when the caller
    has it already.
    """
    n = len(text)
    wb = word_bounds(text) if wb is None else wb
    st = TextStats(text, model) if stats is None else stats
    sh = st.sh
    cl = _HAN_SUB.sub("H", sh) if cl is None else cl
    label_matches = _label_matches(text)
    labels = _labels(text, label_matches)
    strong: dict[int, str] = {}
    for m in _STRONG.finditer(text):
        if 0 < m.end() < n:
            strong[m.end()] = text[m.end() - 1]
    for m in _LIST_MARK.finditer(text):
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
    marks = sorted({m for m in marks if 0 <= m < n})
    ends = [m.end() for m in _STOP_MARKED.finditer(text)] + [n]
    positions: list[int] = []
    kinds: list[str] = []
    origins: list[int] = []
    commons: list[list[str]] = []
    extras: list[list[str]] = []
    memo: dict[tuple[int, int], list[str]] = {}  # the same position seen from several origins

    def common(k: int, next_stop: int) -> list[str]:
        f = memo.get((k, next_stop))
        if f is None:
            f = memo[k, next_stop] = _common(text, sh, cl, wb, k, labels, next_stop)
        return f

    stops_i = 0
    prev = 0
    order = sorted(set(strong) | {0} | set(marks))
    mark_set = set(marks)
    ends_i = 0

    grouped: set[int] = set()  # every window/label position, pruned or not (glue never takes one)

    def add(kind: str, origin: int, group: list[tuple[int, list[str], int]]) -> None:
        grouped.update(g[0] for g in group)
        if model is not None and len(group) > keep and kind != "head":
            # the cheap score: the group's own features, then the character pair around the cut
            # (summed in this order, so the ranking is the same to the last bit)
            w = model._table(kind)
            get = w.get
            ranked = []
            for i, (k, extra, _) in enumerate(group):
                sc = 0.0
                for f in extra:
                    sc += get(f, 0.0)
                sc = (sc + get("l1r1=" + sh[k - 1 : k + 1], 0.0) + get("r1=" + sh[k : k + 1], 0.0)
                      + get("cls=" + cl[k - 1 : k + 1], 0.0))  # fmt: skip
                ranked.append((-sc, i))
            ranked.sort()  # best first; a tie keeps text order (as a stable sort on -score does)
            group = [group[i] for i in sorted(i for _, i in ranked[:keep])]
        for k, extra, next_stop in group:
            positions.append(k)
            kinds.append(kind)
            origins.append(origin)
            commons.append(common(k, next_stop))
            extras.append(extra)

    by_colon: dict[int, list[tuple[int, list[str], int]]] = {}
    for k, c in sorted(label_starts.items()):
        if k in mark_set:
            continue
        while ends[ends_i] <= k:
            ends_i += 1
        by_colon.setdefault(c, []).append(
            (k, ["llen=" + _bucket(c - k), "lprev=" + cl[k - 1]], ends[ends_i])
        )
    for c, colon_group in by_colon.items():
        add("label", c, colon_group)
    for s in order:
        while ends[stops_i] <= s:
            stops_i += 1
        next_stop = ends[stops_i]
        if s > 0 and s not in mark_set:
            positions.append(s)
            kinds.append("strong")
            origins.append(-1)
            commons.append(common(s, next_stop))
            extra = ["dist=" + _bucket(s - prev), "via=" + strong[s].translate(_PUNCT_NORM)]
            if strong[s] in "：:":  # after a colon: a short label ("影響：") stays with its text
                run = _RUN_BEFORE.search(text, max(0, s - 14), s - 1)
                lab = run.group() if run else ""
                extra.append("lablen=" + _bucket(len(lab)))
                if any(lab[j:] in labels for j in range(max(0, len(lab) - 12), len(lab) - 1)):
                    extra.append("reclabel")
            if s in mark_set or strong[s] in "）)】」』”》":
                extra.append("close")
            extras.append(extra)
        marked = s in mark_set
        # window candidates: where a heading starting at s could end
        if marked:
            stop = _STOP_MARKED.search(text, s, min(n, s + MARKED_WINDOW))
            limit = stop.end() if stop else min(n, s + MARKED_WINDOW)
        else:
            stop = _STOP_BARE.search(text, s, min(n, s + WINDOW))
            limit = stop.start() if stop else min(n, s + WINDOW)
        kind = "head" if marked else "window"
        lo = s + (1 if marked else 2)
        bad = _HEADING_BAD.search(text, s, limit + 1)
        bad_end = bad.end() if bad else n + 1
        comma = _COMMA.search(text, s, limit + 1)
        comma_at = comma.start() if comma else n + 1
        opening = text[s : s + 4]
        hstart = "hstart=" + sh[s : s + 1]
        # a heading is more than its list marker ("1)" alone would cut "1)OpenAI…")
        lm = _LIST_MARK.match(text, s)
        mark_end = lm.end() if lm else s
        cands_here: list[tuple[int, list[str], int]] = []
        hi = min(n, limit + 1 if marked else limit)
        k = wb.find(1, max(lo, mark_end + 1), hi) if hi > lo else -1  # word boundaries only
        while k >= 0:
            if not marked and k in strong:
                k = wb.find(1, k + 1, hi)
                continue
            f = ["hlen=" + _bucket(k - s), "hend=" + sh[k - 1], hstart, "hr1=" + cl[k : k + 1]]
            if k >= bad_end:
                f.append("hverb")
            if k > comma_at:
                f.append("hcomma")
            if k - s >= 2 and text.startswith(opening[: k - s], k):
                f.append("repeat")
            if (la := _LABEL_AHEAD.match(text, k)) is not None:
                f.append("labahead=" + _bucket(la.end() - k))  # "服務條款|生效日期：…"
            two = text[k : k + 2]
            if len(two) == 2 and two in text[s:k]:
                f.append("hecho")  # the next words repeat the heading's: "…核心邏輯|檢索的核心…"
            if st.on:
                f += st.span_features(s, k)
            cands_here.append((k, f, next_stop))
            k = wb.find(1, k + 1, hi)
        add(kind, s, cands_here)
        if s > 0:
            prev = s
    if st.on:  # glue: Han|Han word boundaries the bigram statistics call a likely block edge
        taken = grouped.union(positions)  # the same set with or without pruning
        starts_sorted = sorted(strong)
        en, stt = st.en, st.st
        for m in _HAN_PAIR.finditer(cl):
            k = m.start()
            if not wb[k] or k in taken or k in mark_set:
                continue
            e = en.get(sh[k - 2 : k], 0.0)
            g = e + stt.get(sh[k : k + 2], 0.0)
            if g < GLUE_MIN:
                continue
            j = bisect_right(ends, k)
            last = (
                starts_sorted[bisect_right(starts_sorted, k) - 1]
                if starts_sorted and starts_sorted[0] < k
                else 0
            )
            positions.append(k)
            kinds.append("glue")
            origins.append(-1)
            commons.append(common(k, ends[j] if j < len(ends) else n))
            extras.append(["g=" + _fb(g, 8), "ge=" + _fb(e), "dist=" + _bucket(k - last)])
    return Candidates(positions, kinds, origins, commons, extras)


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
    if stats is not None and stats.on:
        f.append("hlm=" + _fb(2 * stats.heading_like(start, start + len(block)), 6))
        if end < len(text):
            f.append("nst=" + _fb(stats.start(end)))
    return f


class Model:
    """Two weight tables (feature → weight): ``boundary`` and ``heading``, plus their thresholds."""

    def __init__(self, boundary: dict[str, float], heading: dict[str, float],
                 thresholds: dict[str, float] | None = None,
                 stats: dict[str, dict[str, float]] | None = None) -> None:  # fmt: skip
        self.boundary = boundary
        self.heading = heading
        self.thresholds = thresholds or {"boundary": 0.0, "heading": 0.0}
        self.stats = stats or {}

        self._tables: dict[str, dict[str, float]] = {}

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

    def score(self, kind: str, feats: list[str]) -> float:
        # reduce(add) sums left to right like a loop (sum() may not: Python 3.12 compensates),
        # so every score is the same float whichever way it is computed
        w = self._table(kind)
        return reduce(add, map(w.get, feats, repeat(0.0)), w["\x00bias"])

    def partial(self, kind: str, feats: list[str]) -> float:
        """The weights of ``feats`` without the bias (to add to a cached :meth:`score`)."""
        w = self._table(kind)
        return reduce(add, map(w.get, feats, repeat(0.0)), 0.0)

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


def segment(text: str, marks: Sequence[int] = (), model: Model | None = None) -> Segmentation:
    """Segment ``text`` (a run-on line with its ``## `` markers removed, their offsets ``marks``)."""
    model = model or load_model()
    n = len(text)
    if n == 0:
        return Segmentation([], [], {})
    wb = word_bounds(text)
    cl = classes(text)
    st = TextStats(text, model)
    cands = candidates(text, marks, wb=wb, model=model, keep=PRUNE_KEEP, cl=cl, stats=st)
    mark_set = set(marks)
    chosen: dict[int, Boundary] = {}
    source: dict[int, int] = {}  # boundary position -> the candidate that chose it
    best_head: dict[int, tuple[float, int]] = {}
    best_window: dict[int, tuple[float, int]] = {}
    th = model.thresholds.get("boundary", 0.0)
    thw = model.thresholds.get("window", th)
    part: dict[tuple[str, int], float] = {}
    for i, (pos, kind, origin, com, extra) in enumerate(
        zip(cands.positions, cands.kinds, cands.origins, cands.commons, cands.extras, strict=True)
    ):
        key = (kind, id(com))
        base = part.get(key)
        if base is None:
            base = part[key] = model.score(kind, com)
        sc = base + model.partial(kind, extra)
        if kind == "head":
            if origin not in best_head or sc > best_head[origin][0]:
                best_head[origin] = (sc, i)
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
    # a ``## `` heading: its start is certain, its end the best candidate in its window
    heading_spans: dict[int, int] = {}
    heads: list[tuple[int, int, Boundary]] = []
    for origin, (sc, i) in best_head.items():
        end = cands.positions[i]
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
        feats = (
            cands.commons[ci] + cands.extras[ci] if ci is not None and bd.kind != "marker" else []
        )
        kind = cands.kinds[ci] if ci is not None else bd.kind
        explained.append(Boundary(p, bd.score, bd.kind, tuple(model.explain(kind, feats))))
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
            hs = model.heading_score(heading_features(text, cl, a, b, nxt, wb, st))
            hscores[a] = hs
            is_head = hs > hth
        blocks.append((a, b, is_head))
    return Segmentation(blocks, explained, hscores)
