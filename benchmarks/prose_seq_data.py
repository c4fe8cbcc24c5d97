"""Run-on cases as per-character training data for the prose sequence model (issue 24).

Each :class:`benchmarks.prose_cases.Case` (the de-marked run-on text, its block starts, its
heading spans, whether ``## `` markers were written) becomes one tag per character of ``text``
(:data:`digestkit.readers.prose.network.TAGS`):

    BP  the first character of a paragraph        IP  any other character of a paragraph
    BH  the first character of a heading          IH  any other character of a heading

so a block starts exactly at each ``B*`` and a heading ends where the next ``B*`` starts (the
first character is always a ``B*``). The network's inputs are :func:`features.inputs` of the
same text with the ``## `` offsets (the heading starts of a marked case, none of a bare one) —
the very function the reader calls, so training and inference cannot read a text differently.

    python -m benchmarks.prose_seq_data [CORPUS]   # tag counts of the train and dev cases
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from benchmarks.prose_cases import Case
from digestkit.readers.prose import features as ft
from digestkit.readers.prose.network import TAGS

__all__ = ["Example", "build_vocab", "case_marks", "case_tags", "examples"]

BP, IP, BH, IH = (TAGS.index(t) for t in ("BP", "IP", "BH", "IH"))
VOCAB_SIZE = 7000  # characters with their own id; the rest share their class's id
VOCAB_MIN = 3  # a character seen fewer times in training than this has no id of its own


def case_tags(case: Case) -> npt.NDArray[np.uint8]:
    """The tag of every character of ``case.text`` (see the module docstring)."""
    n = len(case.text)
    tags = np.full(n, IP, dtype=np.uint8)
    for a, b in case.headings:
        tags[a:b] = IH
    starts = np.asarray([b for b in case.bounds if 0 <= b < n], dtype=np.int64)
    heads = np.asarray([a for a, _ in case.headings if 0 <= a < n], dtype=np.int64)
    tags[starts] = BP
    tags[heads] = BH
    if n and tags[0] not in (BP, BH):  # the first character starts a block, whatever the truth says
        tags[0] = BP
    return tags


def case_marks(case: Case) -> list[int]:
    """The offsets the ``## `` markers gave (the heading starts of a marked case)."""
    return [a for a, _ in case.headings] if case.marked else []


@dataclass(frozen=True, slots=True)
class Example:
    """One case as arrays: the network's inputs and the tags to learn."""

    name: str
    inputs: ft.Inputs
    tags: npt.NDArray[np.uint8]


def build_vocab(cases: Iterable[Case], size: int = VOCAB_SIZE) -> list[int]:
    """The ``size`` most frequent code points of the training texts (after ``t2s``), seen at
    least VOCAB_MIN times, most frequent first (ties by code point: deterministic)."""
    counts = ft.count_chars(c.text for c in cases)
    ranked = sorted((c for c, k in counts.items() if k >= VOCAB_MIN), key=lambda c: (-counts[c], c))
    return ranked[:size]


def examples(cases: Sequence[Case], vocab: ft.CharVocab) -> list[Example]:
    """Every case with text, as :class:`Example` (inputs computed by :func:`features.inputs`)."""
    return [
        Example(c.name, ft.inputs(c.text, case_marks(c), vocab), case_tags(c))
        for c in cases
        if c.text
    ]


def main() -> int:
    from benchmarks.prose_corpus import corpus_dir, load_corpus
    from benchmarks.prose_train import dev_cases, select_docs, train_cases

    if {"-h", "--help"} & set(sys.argv):
        print(__doc__)
        return 0
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    corpus = corpus_dir(args[0] if args else None)
    train = train_cases(select_docs(load_corpus(corpus, splits=("train",))))
    dev = dev_cases(load_corpus(corpus, splits=("dev",)))
    for name, cs in (("train", train), ("dev", dev)):
        counts = np.zeros(len(TAGS), dtype=np.int64)
        for c in cs:
            counts += np.bincount(case_tags(c), minlength=len(TAGS))
        shares = ", ".join(
            f"{t} {k} ({k / counts.sum():.2%})" for t, k in zip(TAGS, counts, strict=True)
        )
        print(f"{name}: {len(cs)} cases, {counts.sum()} characters: {shares}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
