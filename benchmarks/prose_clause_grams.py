"""Count where clauses break in the train split's clean text: the prose reader's gram table.

Every block and title of the train split (as written, and converted with OpenCC ``s2twp`` as the
run-on cases are) is stripped of its clause punctuation (``，,。！？!?；;：:、``) and spaces; each gap
the punctuation leaves, and each block's start and end, is a break. For every gram of 1–3
characters the counts of "a break right after it" and "right before it" over all its
occurrences give a smoothed log-odds (``(breaks + 2·prior) / (count + 2)``). Kept: grams seen at
least ``MIN_COUNT`` times whose log-odds differs from the shorter gram's it backs off to by at least
``MIN_GAIN`` (every single character is kept), stored as its 32-bit fingerprint
(:func:`digestkit.readers.prose.clause_grams.fingerprint`; on a shared fingerprint the more
frequent gram wins) and fp16 log-odds in ``src/digestkit/readers/prose/clause_grams.npz``.
(``MIN_COUNT`` 50 keeps ~145,000 grams a side; cross-validated on dev the span model does as well
with them as with the ~1.3 million seen at least 5 times.)

Only the train split is read: dev fits the span model that uses the table, test judges it.
Deterministic (the corpus order, counts, then the gram itself break ties); ~4 minutes, one core.

    python -m benchmarks.prose_clause_grams [CORPUS] [--write]
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from collections.abc import Iterable
from typing import Any

from benchmarks.common import ROOT

OUT = ROOT / "src/digestkit/readers/prose/clause_grams.npz"
CLAUSE = frozenset("，,。！？!?；;：:、")
MIN_COUNT = 50
MIN_GAIN = 0.25


def texts(corpus: Any) -> list[str]:
    """The train split's titles and blocks, as written, in ``s2twp`` Traditional and in ``t2s``
    Simplified (each script's cases then see the other script's sources too)."""
    from benchmarks.prose_corpus import load_corpus
    from digestkit.transforms.converters import convert_text

    out: list[str] = []
    for d in load_corpus(corpus, splits=("train",)):
        own = [t for _, t in d.doc.blocks] + ([d.doc.title] if d.doc.title else [])
        out += own
        out += [convert_text(t, "s2twp") for t in own]
        out += [convert_text(t, "t2s") for t in own]
    return out


def count(
    blocks: Iterable[str],
) -> tuple[Counter[str], Counter[str], Counter[str], Counter[str]]:
    """Occurrences and breaks of every gram, after (left) and before (right) a gap."""
    left: Counter[str] = Counter()
    left_b: Counter[str] = Counter()
    right: Counter[str] = Counter()
    right_b: Counter[str] = Counter()
    for t in blocks:
        chars: list[str] = []
        brk: list[bool] = []
        pending = True
        for ch in t:
            if ch in CLAUSE:
                pending = True
            elif not ch.isspace():
                chars.append(ch)
                brk.append(pending)
                pending = False
        brk.append(True)
        s = "".join(chars)
        n = len(s)
        for i in range(1, n):
            b = brk[i]
            for k in (1, 2, 3):
                if i >= k:
                    g = s[i - k : i]
                    left[g] += 1
                    if b:
                        left_b[g] += 1
                if i + k <= n:
                    g = s[i : i + k]
                    right[g] += 1
                    if b:
                        right_b[g] += 1
    return left, left_b, right, right_b


def table(
    seen: Counter[str], breaks: Counter[str], prior: float, is_left: bool
) -> dict[str, tuple[float, int]]:
    """The kept grams' ``(log-odds, count)``."""

    def lo(g: str) -> float:
        p = (breaks[g] + 2 * prior) / (seen[g] + 2)
        return math.log(p / (1 - p))

    def backed(g: str) -> float:  # what a lookup gives when ``g`` itself is not kept
        while g:
            g = g[1:] if is_left else g[:-1]
            if g in out:
                return out[g][0]
        return math.log(prior / (1 - prior))

    out: dict[str, tuple[float, int]] = {}
    for k in (1, 2, 3):  # shorter grams first: a longer one is kept only where it adds
        for g, c in seen.items():
            if len(g) != k or c < MIN_COUNT:
                continue
            v = lo(g)
            if k == 1 or abs(v - backed(g)) >= MIN_GAIN:
                out[g] = (v, c)
    return out


def stored(kept: dict[str, tuple[float, int]]) -> tuple[Any, Any]:
    """Sorted unique fingerprints and their fp16 log-odds (the more frequent gram on a tie)."""
    import numpy as np

    from digestkit.readers.prose.clause_grams import fingerprint, gram_hash

    best: dict[int, tuple[int, float]] = {}
    for k in (1, 2, 3):
        grams = sorted(g for g in kept if len(g) == k)
        if not grams:
            continue
        cps = np.array([ord(c) for g in grams for c in g], dtype=np.uint64)
        fps = fingerprint(gram_hash(cps, np.arange(len(grams), dtype=np.int64) * k, k))
        for g, fp in zip(grams, fps.tolist(), strict=True):
            v, c = kept[g]
            if fp not in best or c > best[fp][0]:
                best[fp] = (c, v)
    keys = sorted(best)
    return (np.array(keys, dtype=np.uint32),
            np.array([best[k][1] for k in keys], dtype=np.float16))  # fmt: skip


def build(corpus: Any) -> dict[str, Any]:
    import numpy as np

    left, left_b, right, right_b = count(texts(corpus))
    ones = [g for g in left if len(g) == 1]
    prior = sum(left_b[g] for g in ones) / sum(left[g] for g in ones)
    kl = table(left, left_b, prior, True)
    kr = table(right, right_b, prior, False)
    left_keys, left_vals = stored(kl)
    right_keys, right_vals = stored(kr)
    return {
        "left_keys": left_keys,
        "left": left_vals,
        "right_keys": right_keys,
        "right": right_vals,
        "prior": np.float64(math.log(prior / (1 - prior))),
        "kept": (len(kl), len(kr)),
    }


def main() -> int:
    import numpy as np

    from benchmarks.prose_corpus import corpus_dir

    if {"-h", "--help"} & set(sys.argv[1:]):
        print(__doc__)
        return 0
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    out = build(corpus_dir(args[0] if args else None))
    kept = out.pop("kept")
    stored_n = [len(out[s]) for s in ("left", "right")]
    print(f"kept grams left/right {kept}, fingerprints {stored_n}, "
          f"prior log-odds {float(out['prior']):.3f}")  # fmt: skip
    if "--write" in sys.argv:
        np.savez_compressed(OUT, **out)
        print(f"wrote {OUT} ({OUT.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
