"""Word boundaries of run-on text: where a block edge may fall without cutting a word.

Both sides of the prose reader need one answer to "is k between two words?": the network reads it
as an input (``features.py``) and the decoder forbids a boundary where it is 0 (``decode.py``).
Moved verbatim out of ``boundary.py`` (issue 24) so that neither depends on the other.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Sequence
from functools import cache
from itertools import accumulate, repeat

__all__ = ["simplified", "word_bounds"]

_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9_]{5,}")
_ALNUM_RUN = re.compile(r"[0-9A-Za-z]{2,}")
# the digit before a decimal point or a unit (matching the digit, not the sign after it behind
# a lookbehind: the search skips to digits instead of trying every position; the position after
# each match is the old match's)
_DECIMAL_POINT = re.compile(r"\d(?=[.,]\d)")
_UNIT_AFTER_DIGIT = re.compile(r"\d(?=[億亿萬万千百%％倍])")


@cache
def _t2s() -> object:
    from opencc import OpenCC

    return OpenCC("t2s")


class _Masks(dict[int, bytes]):
    """``self[n]``: a word of ``n`` characters as word-boundary bytes, ``0`` at its inner
    positions and ``1`` at its end (``b""`` for an empty word); made once per length."""

    def __missing__(self, n: int) -> bytes:
        self[n] = b"\x00" * (n - 1) + b"\x01" if n > 0 else b""
        return self[n]


#: Joining the words' masks marks every word end at C speed (a running sum of the word lengths,
#: then a store per end, was a fifth of :func:`word_bounds`).
_WORD_MASKS = _Masks()


def simplified(text: str) -> str:
    """``text`` read through OpenCC ``t2s`` (``text`` itself when the conversion changes its
    length: offsets must stay those of ``text``)."""
    simp: str = _t2s().convert(text)  # type: ignore[attr-defined]
    return simp if len(simp) == len(text) else text


def word_bounds(text: str, words: Sequence[str] | None = None) -> bytearray:
    """``out[k] == 1`` where a cut at ``k`` falls between two words (jieba's segmentation of the
    text, read through OpenCC ``t2s`` so that Traditional text is cut like Simplified), never
    inside a number or a Latin word, nor between a number and its unit (``1100|億``).

    ``words``: ``rjieba.cut(simplified(text), False)`` when the caller has it already (the
    network's inputs tag the same words with their parts of speech: one segmentation, not two).
    """
    import rjieba

    n = len(text)
    out = bytearray(n + 1)
    out[0] = out[n] = 1
    if words is None:
        words = rjieba.cut(simplified(text), False)
    mask = b"".join(map(_WORD_MASKS.__getitem__, map(len, words)))
    if len(mask) == n:  # the words cover the text (always): out[end of each word] = 1
        out[1:] = mask
        out[n] = 1
    else:
        ends = list(accumulate(map(len, words)))  # where each word ends
        if not ends or ends[-1] <= n:
            deque(map(out.__setitem__, ends, repeat(1)), maxlen=0)  # out[pos] = 1, at C speed
        else:
            for pos in ends:
                if pos <= n:
                    out[pos] = 1
    # never inside a Latin word or a number: every inner position of an ASCII letter/digit run
    # (one slice per run, not one regex match per position: the same cuts, at C speed)
    for m in _ALNUM_RUN.finditer(text):
        a, b = m.span()
        out[a + 1 : b] = bytes(b - a - 1)
    for m in _DECIMAL_POINT.finditer(text):  # 3|.|14, 1|,|000
        out[m.end()] = out[m.end() + 1] = 0
    for m in _UNIT_AFTER_DIGIT.finditer(text):
        out[m.end()] = 0
    # a name written twice with nothing between is two words: a heading naming an API, then the
    # paragraph opening with the same name ("UserInputAudioUserInputAudio 用於…", seen in
    # documentation in the corpus); the middle of such a doubled Latin run is a word boundary
    for m in _LATIN_RUN.finditer(text):
        a, b = m.span()
        if text.find(text[a : a + 3], a + 3, (a + b) // 2 + 3) < 0:
            continue  # a doubled prefix of length k - a ≥ 3 repeats the run's first three at k
        for k in range(a + 3, (a + b) // 2 + 1):
            if text[a:k] == text[k : 2 * k - a]:
                out[k] = 1
                break
    return out
