"""Per-character inputs of the run-on sequence model (issue 24), shared by training and inference.

The network (:mod:`.network`) reads, for each character of the de-marked run-on text:

- ``chars``: the character's id in a vocabulary of the training set's most frequent characters,
  read through OpenCC's ``t2s`` character table (:mod:`digestkit.transforms._script_chars`), so
  that ``後`` and ``后`` are one id and Traditional text is read like Simplified (the corpus's
  Traditional cases are made from Simplified ones by ``s2twp``); a character outside the
  vocabulary gets the id of its class (below), so a rare Han character is still "a Han character";
- ``classes``: one of :data:`CLASSES` — Han, Latin, digit, space, and each kind of punctuation
  (sentence end, colon, comma, opening/closing bracket and quote…): what a block edge depends on
  most, also for characters the vocabulary has never seen;
- ``pos``: the part of speech (:data:`POS_TAGS`, jieba's tag set) of the word the character is in,
  from ``rjieba.tag`` over the ``t2s`` text — a noun phrase ends a heading, a verb rarely does;
- ``flags[:, 0]``: 1 where a word starts (:func:`.words.word_bounds`, the same boundaries the
  decoder's constraints use), ``flags[:, 1]``: 1 at the offsets a ``## `` marker gave.

Everything is computed with whole-array numpy operations (one table lookup per character, no
Python loop over characters): at ~3 M characters/s the inputs cost a tenth of the network.
numpy is imported inside the functions: ``import digestkit`` must not import it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from .words import simplified, word_bounds

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "CLASSES",
    "POS_TAGS",
    "CharVocab",
    "Inputs",
    "char_classes",
    "codepoints",
    "count_chars",
    "inputs",
]

#: Character classes; index 0 is never a character's class (the padding id of the tables).
CLASSES: tuple[str, ...] = (
    "pad", "han", "upper", "lower", "digit", "space", "end", "ellipsis", "semicolon", "colon",
    "comma", "enum", "dot", "open", "close", "open_quote", "close_quote", "quote", "dash",
    "bullet", "hash", "symbol", "letter", "other",
)  # fmt: skip
_CLS = {name: i for i, name in enumerate(CLASSES)}

#: jieba's part-of-speech tags (index 0: unknown, or a text whose words do not cover it).
POS_TAGS: tuple[str, ...] = (
    "?", "a", "ad", "ag", "an", "b", "c", "d", "df", "dg", "e", "eng", "f", "g", "h", "i", "j",
    "k", "l", "m", "mg", "mq", "n", "ng", "nr", "nrfg", "nrt", "ns", "nt", "nz", "o", "p", "q",
    "r", "rg", "rr", "rz", "s", "t", "tg", "u", "ud", "ug", "uj", "ul", "uv", "uz", "v", "vd",
    "vg", "vi", "vn", "vq", "x", "y", "z", "zg",
)  # fmt: skip
_POS = {t: i for i, t in enumerate(POS_TAGS)}

_PUNCT = {
    "end": "。！？!?｡",
    "ellipsis": "…⋯",
    "semicolon": "；;",
    "colon": "：:",
    "comma": "，,､",
    "enum": "、",
    "dot": ".．·・",
    "open": "（(【[〔〈《｛{〖",
    "close": "）)】]〕〉》｝}〗",
    "open_quote": "「『“‘",
    "close_quote": "」』”’",
    "quote": "\"'＂＇`",
    "dash": "—–-─～~_",
    "bullet": "•●○■□◆◇▪★☆►▶*",
    "hash": "#＃",
}


_GENERAL = {"L": "letter", "P": "symbol", "S": "symbol", "N": "digit", "Z": "space"}


@cache
def _class_table() -> npt.NDArray[np.uint8]:
    """The class of every BMP character (65,536 entries, built once in ~20 ms): the Unicode
    general category first, then Han, ASCII/full-width letters and digits, spaces and each
    punctuation kind over it. An astral character is Han in the CJK extension planes, else
    "other" (:func:`char_classes`)."""
    import numpy as np

    general = {k: _CLS[v] for k, v in _GENERAL.items()}
    other = _CLS["other"]
    cat = unicodedata.category
    table = np.array([general.get(cat(chr(o))[0], other) for o in range(0x10000)], np.uint8)
    for a, b in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)):
        table[a : b + 1] = _CLS["han"]
    for name, lo, hi in (("digit", "0", "9"), ("digit", "０", "９"), ("upper", "A", "Z"),
                       ("upper", "Ａ", "Ｚ"), ("lower", "a", "z"), ("lower", "ａ", "ｚ")):  # fmt: skip
        table[ord(lo) : ord(hi) + 1] = _CLS[name]
    table[[ord(c) for c in " \t\n\r\u3000\xa0"]] = _CLS["space"]
    for name, chars in reversed(_PUNCT.items()):  # the first kind listed wins
        table[[ord(c) for c in chars]] = _CLS[name]
    return table


def codepoints(text: str) -> npt.NDArray[np.uint32]:
    """The code points of ``text`` as one array (UTF-32 decoding at C speed)."""
    import numpy as np

    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def char_classes(cps: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint8]:
    """:data:`CLASSES` indices of code points (astral: Han up to U+3134F, else "other")."""
    import numpy as np

    table = _class_table()
    out = table[np.minimum(cps, 0xFFFF)]
    astral = cps > 0xFFFF
    if astral.any():
        han = (cps >= 0x20000) & (cps <= 0x3134F)
        out = np.where(astral, np.where(han, _CLS["han"], _CLS["other"]), out).astype(np.uint8)
    return out


@cache
def _t2s_pairs() -> tuple[str, str]:
    """OpenCC ``t2s``'s one-to-one character table (from, to), as shipped for script transforms."""
    from ...transforms.converters import t2s_char_table

    return t2s_char_table()


def count_chars(texts: Iterable[str]) -> dict[int, int]:
    """How often each code point occurs in ``texts`` after the ``t2s`` character mapping (what
    :class:`CharVocab` is built from)."""
    import numpy as np

    table = str.maketrans(*_t2s_pairs())
    total = np.zeros(0x110000, dtype=np.int64)
    for text in texts:
        total += np.bincount(codepoints(text.translate(table)), minlength=0x110000)
    nz = np.flatnonzero(total)
    return {int(c): int(total[c]) for c in nz}


class CharVocab:
    """Code point -> input id. Ids ``0 .. len(CLASSES)-1`` are the class buckets of characters
    outside the vocabulary; the vocabulary's characters follow, in the order given (most frequent
    first, as built by training). A Traditional character whose ``t2s`` form is in the
    vocabulary gets that form's id."""

    def __init__(self, chars: Sequence[int]) -> None:
        import numpy as np

        self.chars = np.asarray(chars, dtype=np.int64)
        self.size = len(CLASSES) + len(self.chars)
        table = _class_table().astype(np.int32)  # the class bucket of every BMP character
        bmp = self.chars[self.chars < 0x10000]
        ids = np.arange(len(CLASSES), self.size, dtype=np.int32)[self.chars < 0x10000]
        table[bmp] = ids
        src, dst = _t2s_pairs()
        trad = codepoints(src).astype(np.int64)
        simp = codepoints(dst).astype(np.int64)
        known = np.isin(simp, bmp) & (trad < 0x10000) & (simp < 0x10000) & ~np.isin(trad, bmp)
        table[trad[known]] = table[simp[known]]
        self.table = table

    def id_classes(self) -> npt.NDArray[np.int64]:
        """The class of each id (a bucket's own class; a vocabulary character's class)."""
        import numpy as np

        own = np.arange(len(CLASSES), dtype=np.int64)
        return np.concatenate([own, char_classes(self.chars.astype(np.uint32)).astype(np.int64)])

    def ids(
        self, cps: npt.NDArray[np.uint32], classes: npt.NDArray[np.uint8]
    ) -> npt.NDArray[np.int32]:
        """Input ids of code points whose classes are ``classes`` (astral: the class bucket)."""
        import numpy as np

        out = self.table[np.minimum(cps, 0xFFFF)]
        astral = cps > 0xFFFF
        if astral.any():
            out = np.where(astral, classes.astype(np.int32), out)
        return out


@dataclass(frozen=True, slots=True)
class Inputs:
    """The network's inputs for one text of ``n`` characters (see the module docstring)."""

    chars: npt.NDArray[np.int32]  # (n,)
    classes: npt.NDArray[np.uint8]  # (n,)
    pos: npt.NDArray[np.uint8]  # (n,)
    flags: npt.NDArray[np.float32]  # (n, 2): word start, ``## `` marker


class _PosIds(dict[str, int]):
    """Tag -> index in :data:`POS_TAGS`; 0 for a tag not listed (one C-level lookup per word)."""

    def __missing__(self, key: str) -> int:
        return 0


_POS_IDS = _PosIds(_POS)


def _words(text: str) -> tuple[list[str], npt.NDArray[np.uint8]]:
    """jieba's words of ``text`` (read through ``t2s``) and the part-of-speech index of the
    word each character is in (all 0 if the words do not cover the text)."""
    import numpy as np
    import rjieba

    n = len(text)
    tagged = rjieba.tag(simplified(text), False)  # the words of rjieba.cut(…, False), tagged
    if not tagged:
        return [], np.zeros(n, dtype=np.uint8)
    words, tags = zip(*tagged, strict=True)
    lengths = np.fromiter(map(len, words), np.int64, len(words))
    if int(lengths.sum()) != n:
        return list(words), np.zeros(n, dtype=np.uint8)
    ids = np.fromiter(map(_POS_IDS.__getitem__, tags), np.uint8, len(tags))
    return list(words), np.repeat(ids, lengths)


def inputs(text: str, marked: Sequence[int], vocab: CharVocab) -> Inputs:
    """The inputs of ``text`` (the run-on text, ``## `` markers removed) with heading starts
    ``marked`` (offsets into ``text``; out-of-range offsets are ignored)."""
    import numpy as np

    n = len(text)
    cps = codepoints(text)
    cls = char_classes(cps)
    flags = np.zeros((n, 2), dtype=np.float32)
    words, pos = _words(text) if n else ([], np.zeros(0, np.uint8))
    if n:
        flags[:, 0] = np.frombuffer(word_bounds(text, words), dtype=np.uint8, count=n)
    marks = np.asarray([m for m in marked if 0 <= m < n], dtype=np.int64)
    flags[marks, 1] = 1.0
    return Inputs(vocab.ids(cps, cls), cls, pos, flags)
