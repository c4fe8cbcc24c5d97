"""Fit the marked-heading end model (:mod:`digestkit.readers.prose.heading_ends`) on dev.

The network was trained on the train split, so its scores on train are over-confident; the span
model that reads them is fitted where the network is honest — the dev split (its cached
emissions, :func:`benchmarks.prose_calibrate.prepare`), each ``## ``-marked heading one example:
its candidate ends, the true one (the heading's end, spaces after it skipped) the label. A
conditional logit (softmax over one heading's candidates) fitted by full-batch Adam with a little
L2, in numpy: fifteen weights, seconds.

Reported first, cross-validated by source (each dev source folder held out in turn, the model
fitted on the others): top-1 accuracy of the end, and at each threshold the share of headings
whose end is taken as sure, how many of those are right, and how many wrong ends have no
punctuation before them (each one a torn sentence). The threshold itself is chosen with the
decoder's other prices by ``python -m benchmarks.prose_calibrate --write`` (``end_sure``).

    python -m benchmarks.prose_heading_ends [CORPUS] [--write]
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from benchmarks.common import ROOT, emit_json

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

OUT = ROOT / "src/digestkit/readers/prose/heading_ends.json"
THRESHOLDS = (0.5, 0.7, 0.8, 0.85, 0.9, 0.95)
L2 = 1e-3
STEPS = 600


@dataclass
class Row:
    group: str
    feats: npt.NDArray[np.float64]
    label: int  # index of the true end among the candidates
    safe: npt.NDArray[
        np.bool_
    ]  # punctuation before each candidate (a wrong end there tears nothing)


#: an unmarked start is a candidate when the network gives it at least this heading-start
#: probability (the decoder's ``bare_start`` may only be higher)
BARE_FLOOR = 0.05


def rows(prepared: list[Any], marked: bool = True) -> list[Row]:
    """One row per heading of the marked cases whose true end is a candidate (the others
    cannot be learnt: a rule forbids the true end, or it is past the cap); for the bare cases,
    one per candidate start (after punctuation, heading-start probability ≥ BARE_FLOOR, or a
    true heading start), with the null candidate — the label when no heading starts there."""
    import numpy as np

    from digestkit.readers.prose.constraints import (
        HEADING_CAP,
        MARKED_HEADING_CAP,
        no_punctuation_before,
    )
    from digestkit.readers.prose.heading_ends import SpanText, span_features, with_null

    out = []
    for p in prepared:
        if p.case.marked != marked:
            continue
        text = p.case.text
        n = len(text)
        nopunct = np.frombuffer(bytes(no_punctuation_before(text)), dtype=np.uint8)
        allowed = np.frombuffer(bytes(p.rules.code), dtype=np.uint8) == 0
        truth = {}
        for a, b in p.case.headings:
            while b < n and text[b] == " ":
                b += 1
            truth[a] = b
        group = p.case.name.split("/")[0]
        starts = list(truth)
        if not marked:
            cand = allowed & (nopunct == 0) & (p.emissions[:, 2] >= np.log(BARE_FLOOR))
            starts = sorted(set(starts) | set(np.flatnonzero(cand).tolist()))
        cap = MARKED_HEADING_CAP if marked else HEADING_CAP
        spans = SpanText(text, p.emissions, nopunct, allowed)
        for s, c, f in span_features(spans, starts, cap, marked):
            safe = np.array([k >= n or nopunct[k] == 0 for k in c.tolist()] + [True])
            hit = np.flatnonzero(c == truth[s]) if s in truth else np.array([len(c)])
            if not marked:
                f = with_null(f)
            if len(hit) and hit[0] < len(f):
                out.append(Row(group, f, int(hit[0]), safe))
    return out


def fit(train: list[Row]) -> tuple[list[float], list[float], list[float]]:
    """Weights, feature means and scales of the conditional logit fitted on ``train``."""
    import numpy as np

    X = np.concatenate([r.feats for r in train])
    mean = X.mean(axis=0)
    scale = X.std(axis=0) + 1e-6
    X = (X - mean) / scale
    lens = np.array([len(r.feats) for r in train])
    offs = np.concatenate(([0], np.cumsum(lens)[:-1]))
    gold = offs + np.array([r.label for r in train])
    seg = np.repeat(np.arange(len(train)), lens)
    w = np.zeros(X.shape[1])
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for step in range(1, STEPS + 1):
        z = X @ w
        zmax = np.maximum.reduceat(z, offs)
        ez = np.exp(z - zmax[seg])
        p = ez / np.add.reduceat(ez, offs)[seg]
        # gradient of the mean negative log-likelihood: expected features minus the gold ones
        grad = (p @ X - X[gold].sum(axis=0)) / len(train) + 2 * L2 * w
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        w -= 0.05 * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return w.tolist(), mean.tolist(), scale.tolist()


def cross_validated(all_rows: list[Row]) -> dict[str, Any]:
    """Top-1 and, per threshold, coverage / precision / torn ends, each source held out in turn."""
    import numpy as np

    from digestkit.readers.prose.heading_ends import EndModel

    conf, right, torn = [], [], []
    for g in sorted({r.group for r in all_rows}):
        w, mu, sd = fit([r for r in all_rows if r.group != g])
        model = EndModel(tuple(w), tuple(mu), tuple(sd))
        for r in (r for r in all_rows if r.group == g):
            p = model.probabilities(r.feats)
            k = int(p.argmax())
            if k == len(r.feats) - 1 and r.feats[k, -1] == 1.0:
                continue  # "no heading here" (bare): no heading made, nothing to score
            conf.append(float(p[k]))
            right.append(k == r.label)
            torn.append(k != r.label and not r.safe[k])
    c, ok, tn = np.array(conf), np.array(right), np.array(torn)
    out: dict[str, Any] = {"headings": len(c), "top1": round(float(ok.mean()), 3)}
    for t in THRESHOLDS:
        sel = c >= t
        out[f"p>={t}"] = {"sure": round(float(sel.mean()), 3),
                          "right": round(float(ok[sel].mean()), 3) if sel.any() else None,
                          "torn": int(tn[sel].sum())}  # fmt: skip
    return out


def _grams_hash() -> str:
    """The shipped clause-break table's hash: the weights were fitted with its features."""
    import hashlib

    from digestkit.readers.prose import clause_grams

    path = ROOT / "src/digestkit/readers/prose" / clause_grams.FILE
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def main() -> int:
    from benchmarks.prose_calibrate import _model_hash, prepare
    from benchmarks.prose_corpus import corpus_dir
    from digestkit.readers.prose.heading_ends import FEATURES

    if {"-h", "--help"} & set(sys.argv[1:]):
        print(__doc__)
        return 0
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    prepared = prepare(corpus_dir(args[0] if args else None), "dev")
    out: dict[str, Any] = {"features": list(FEATURES), "model": _model_hash(),
                           "grams": _grams_hash(),
                           "fitted_by": "python -m benchmarks.prose_heading_ends --write (dev split)"}  # fmt: skip
    for kind in ("marked", "bare"):
        data = rows(prepared, kind == "marked")
        w, mu, sd = fit(data)
        out[kind] = {"weights": w, "mean": mu, "scale": sd,
                     "cross_validated_by_source": cross_validated(data)}  # fmt: skip
    emit_json(out, OUT, "--write" in sys.argv)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
