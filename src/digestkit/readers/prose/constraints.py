"""The rules a run-on segmentation must never break, whatever the network scores.

Issue 24 asks for one model, one decoder and *a small file of constraints*: the network
(:mod:`.network`) scores every character, the decoder (:mod:`.decode`) finds the best blocks, and
this module says where a block may not start at all — so that a cut inside a word, a number or
a quotation is impossible rather than unlikely (a reader forgives a long paragraph, not a
sentence cut in two). Each rule is a mask over the text, computed with regexes and slice
assignments (linear time, no Python step per character):

- ``word``: inside a word (rjieba over OpenCC ``t2s``, :func:`.words.word_bounds`);
- ``number``: inside a number (``3|.14``, ``1|,000``), between a number and its unit (``1100|億``,
  ``2024|年``, ``30|%``);
- ``latin``: inside a run of Latin letters and digits (``Open|AI``);
- ``bracket``: inside a bracket pair or a quotation that closes in the same sentence (the block
  may start *at* the opening bracket: ``“創世計畫”對中國…`` is a heading);
- ``punct``: before punctuation that can only follow something (``，。、；：！？`` and closers):
  no block starts with them.

And the decoder's fixed facts: a ``## `` offset is a sure heading start (:func:`marks`), a
heading is at most :data:`HEADING_CAP` characters (:data:`MARKED_HEADING_CAP` after a marker).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "CLOSERS",
    "HEADING_CAP",
    "MARKED_HEADING_CAP",
    "RULES",
    "Forbidden",
    "forbidden",
    "no_punctuation_before",
]

#: Sentence or clause punctuation (issue 24): a block boundary after any other character leaves
#: a torn sentence unless the text really breaks there — the decoder prices such boundaries.
CLOSERS = "。！？!?…；;：:」』”）)】》"

#: The longest bare heading, in characters (dev: 99.6 % of bare headings are at most this long).
HEADING_CAP = 64
#: The longest heading after a ``## `` marker (news and digest item titles run longer).
MARKED_HEADING_CAP = 120

#: The rule names, in the order :class:`Forbidden` codes them (``code = index + 1``).
RULES = ("word", "number", "latin", "bracket", "punct")

_ALNUM_RUN = re.compile(r"[0-9A-Za-z]{2,}")
_DECIMAL = re.compile(r"\d[.,](?=\d)")
_UNIT = re.compile(r"\d(?=[億亿萬万千百%％倍元年月日號号個个度份名家位歲岁])")
_NO_START = re.compile(r"[，,。、；;：:！!？?）)」』”’】》〉…—]+")
_PAIRS = tuple(
    (p[0], p[1]) for p in ("（）", "()", "「」", "『』", "“”", "【】", "《》", "‘’", "〈〉")
)
_SENTENCE_END = "。！？!?"
#: a pair that closes within the same sentence (a sentence end is allowed only right before the
#: closer: “好。”), at most 300 characters: a longer or unclosed one constrains nothing
_PAIR = re.compile(
    "|".join(
        f"{re.escape(o)}[^{re.escape(o + c)}{_SENTENCE_END}\n]{{0,300}}[{_SENTENCE_END}…]*{re.escape(c)}"
        for o, c in _PAIRS
    )
    + r'|"[^"。！？\n]{1,300}"'
)
_PUNCT_BEFORE = re.compile(rf"(?<=[{re.escape(CLOSERS)}])\s*")
_BRACKETS = "」』”）)】》"
#: a run of closing brackets/quotes after a character that ends no sentence, and the spaces after
_BARE_CLOSE = re.compile(rf"[^{re.escape(CLOSERS)}\s][{re.escape(_BRACKETS)}]+\s*")


@dataclass(frozen=True, slots=True)
class Forbidden:
    """Where no block may start: ``code[k]`` is 0 where a block may start before ``text[k]``,
    else ``1 + RULES.index(rule)`` of the first rule that forbids it (for ``--explain``)."""

    code: bytearray

    def rule(self, k: int) -> str | None:
        c = self.code[k]
        return RULES[c - 1] if c else None


def forbidden(text: str, wb: bytearray | None = None) -> Forbidden:
    """The rule masks of ``text`` (``wb``: its word boundaries, when the caller has them)."""
    n = len(text)
    code = bytearray(n)
    # later rules overwrite earlier ones: the most specific rule is the one --explain names
    if wb is None:
        from .words import word_bounds

        wb = word_bounds(text)
    word = bytes(wb[:n]).translate(_NOT)  # 1 inside a word, 0 at a word boundary
    code[:] = word
    num = RULES.index("number") + 1
    for m in _DECIMAL.finditer(text):
        code[m.start() + 1 : m.end() + 1] = bytes((num,)) * (m.end() - m.start())
    for m in _UNIT.finditer(text):
        code[m.end()] = num
    lat = bytes([0] + [RULES.index("latin") + 1] * 255)
    for m in _ALNUM_RUN.finditer(text):  # keeps the word cut of a doubled name (words.py)
        a, b = m.span()
        code[a + 1 : b] = code[a + 1 : b].translate(lat)
    br = RULES.index("bracket") + 1
    for m in _PAIR.finditer(text):
        a, b = m.span()
        code[a + 1 : b] = bytes((br,)) * (b - a - 1)
    pu = RULES.index("punct") + 1
    for m in _NO_START.finditer(text):
        a, b = m.span()
        code[a:b] = bytes((pu,)) * (b - a)
    if n:
        code[0] = 0  # the text starts a block, whatever it starts with
    return Forbidden(code)


_NOT = bytes([1] + [0] * 255)  # translate: word-boundary byte 0 → 1 (inside), anything else → 0


def no_punctuation_before(text: str) -> bytearray:
    """What stands before each position, for the decoder's prices: ``0`` sentence or clause
    punctuation (:data:`CLOSERS`, spaces skipped), ``1`` none — a boundary there is a torn
    sentence unless the text breaks there — and ``2`` a closing bracket or quotation mark that
    ends no sentence (``PCG(平台與內容事業群)|調整至``, ``對華“長期科技戰”|“供應鏈…``: issue 24's
    measure counts these as punctuation, a reader still sees a sentence cut in two).
    ``out[0] == 0``."""
    n = len(text)
    out = bytearray(b"\x01") * n
    for m in _PUNCT_BEFORE.finditer(text):
        a, b = m.span()
        out[a : b + 1 if b < n else b] = bytes(min(b + 1, n) - a)
    for m in _BARE_CLOSE.finditer(text):
        a, b = m.span()
        out[a + 2 : b + 1] = b"\x02" * (min(b + 1, n) - a - 2)
    if n:
        out[0] = 0
    return out


def marks(marked: Sequence[int], n: int) -> list[int]:
    """The ``## `` offsets inside the text, sorted, each once: the sure heading starts."""
    return sorted({k for k in marked if 0 <= k < n})
