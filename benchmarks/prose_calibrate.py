"""Choose the run-on decoder's parameters on the dev split (never the seeds, never test).

The network's emissions of every dev case are computed once (and cached on disk, keyed by the
model file's hash), with each case's constraint masks; a decoder configuration is then scored in
seconds by decoding every case again (:func:`score`). The choice, in the order issue 24 gives:

1. the torn-sentence prices, jointly (:data:`TORN_GRID`): ``no_punct`` (a block start after a
   character that is not sentence or clause punctuation, after a paragraph), ``end`` and
   ``bare_end`` (a marked / unmarked heading's end with no punctuation before it), ``kind``
   (how much a long heading's inside costs, which decides whether an unsure heading runs on to
   punctuation) and ``end_sure`` (the span model's probability that makes a marked heading's
   end sure, :mod:`digestkit.readers.prose.heading_ends`): of the configurations
   whose worst source type has an upper bound (:func:`torn_upper`: the rate's own noise
   included) of at most :data:`TORN_GOAL` torn sentences per 10,000 characters on dev (a torn
   sentence is worse than a missed paragraph break; the goal on test is 1) the one with the
   best macro objective — if none reaches it, the bound
   becomes the least torn figure + 0.25;
2. the bare span model's thresholds (``bare_sure``, ``bare_start``), the other biases (after a
   bracket inside a sentence, paragraph start, heading start, heading after heading, price per
   heading character, price of an unmarked heading in a marked text), then the torn prices again, one at a time over a grid, each kept when it raises the
   macro objective (the mean over source types of the mean of block, marked-heading and
   bare-heading F1) within the torn bound.

``--f1-first`` is the other operating point (F1 first, torn sentences kept near the least the
no-punctuation price alone gives): ``--f1-first --write`` writes
``src/digestkit/readers/prose/decode_params_headings.json``, what ``prose_priority="headings"``
reads; docs/prose.md reports both.

``--frontier`` writes nothing: it scores :data:`FRONTIER_GRID` around the shipped parameters and
prints, for each bound of :data:`FRONTIER_BOUNDS`, the best configuration whose worst source type
stays under it — what heading and block F1 the shipped models can buy with torn sentences
(issue 24's two goals against each other; docs/prose.md, "The grown test split").

Writes ``src/digestkit/readers/prose/decode_params.json`` (with the command and dev figures).

    python -m benchmarks.prose_calibrate [CORPUS] [--write] [--show] [--f1-first] [--frontier]
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, emit_json
from benchmarks.prose_segmentation import Figures, case_script
from digestkit.readers.prose.decode import PARAMS_FILES

__all__ = ["Prepared", "prepare", "score"]

TORN_GOAL = 1.0  # per 10,000 characters, every source type: dev's upper bound (torn_upper)
#: where each operating point's parameters are written: the files the reader reads
#: (:data:`digestkit.readers.prose.decode.PARAMS_FILES`), torn-first and F1-first
PARAMS_FILE = ROOT / "src/digestkit/readers/prose" / PARAMS_FILES["sentences"]
HEADINGS_FILE = ROOT / "src/digestkit/readers/prose" / PARAMS_FILES["headings"]
CACHE = Path("/tmp/digestkit-prose-calibrate")
#: what the torn bound holds: the worst source type's upper bound (:func:`torn_upper`) of torn
#: sentences plus false starts after a bracket per 10k on dev
TORN_KEY = "torn_ucb"


@dataclass
class Prepared:
    case: Any
    source_type: str
    script: str
    marks: list[int]
    emissions: Any
    rules: Any


def _model_hash() -> str:
    from digestkit.readers.prose import network

    path = Path(network.__file__).with_name(network.MODEL_FILE)
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def prepare(corpus: Path, split: str = "dev") -> list[Prepared]:
    """Every case of ``split`` with its emissions (cached) and constraint masks."""
    import numpy as np

    from benchmarks.prose_cases import cases
    from benchmarks.prose_corpus import load_corpus
    from digestkit.readers.prose.constraints import forbidden
    from digestkit.readers.prose.network import emissions

    docs = load_corpus(corpus, splits=(split,))
    CACHE.mkdir(parents=True, exist_ok=True)
    cache = CACHE / f"{split}-{_model_hash()}.npz"
    stored: dict[str, Any] = dict(np.load(cache)) if cache.is_file() else {}
    out: list[Prepared] = []
    fresh = False
    for d in docs:
        for case in cases(d.doc, d.file):
            marks = [a for a, _ in case.headings] if case.marked else []
            key = hashlib.sha1(case.name.encode()).hexdigest()
            if key not in stored:
                stored[key] = emissions(case.text, marks).astype(np.float16)
                fresh = True
            out.append(Prepared(case, d.source_type, case_script(case, d), marks,
                                stored[key].astype(np.float32), forbidden(case.text)))  # fmt: skip
    if fresh:
        np.savez(cache, **stored)
    return out


def _blocks(text: str, blocks: Any) -> tuple[list[int], list[tuple[int, int]]]:
    """Block starts and heading spans as the reader shows them (each block stripped)."""
    bounds, heads = [], []
    for b in blocks:
        chunk = text[b.start : b.end]
        stripped = chunk.strip()
        if not stripped:
            continue
        a = b.start + (len(chunk) - len(chunk.lstrip()))
        bounds.append(a)
        if b.heading:
            heads.append((a, a + len(stripped)))
    return bounds, heads


def score(prepared: list[Prepared], params: Any) -> dict[str, dict[str, float]]:
    """Per source type, per script, "all" and "macro" (mean over source types): heading F1
    marked/bare, block F1, torn sentences per 10k, and ``objective`` (mean of the three F1)."""
    from digestkit.readers.prose.decode import decode

    figs: dict[str, Figures] = defaultdict(Figures)
    # per source type, per document: [torn sentences + false starts after a bracket, characters]
    docs: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for p in prepared:
        dec = decode(p.case.text, p.emissions, p.marks, params, rules=p.rules)
        b, h = _blocks(p.case.text, dec.blocks)
        before = figs[p.source_type].torn + figs[p.source_type].torn_bracket
        for g in (p.source_type, f"script {p.script}", "all"):
            figs[g].add(p.case, b, h)
        d = docs[p.source_type][p.case.name.split(":")[0]]
        d[0] += figs[p.source_type].torn + figs[p.source_type].torn_bracket - before
        d[1] += len(p.case.text)
    out = {g: f.report() for g, f in figs.items()}
    for r in out.values():
        r["objective"] = round((r["blocks"] + r["headings_marked"] + r["headings_bare"]) / 3, 4)
    types = [g for g in out if g != "all" and not g.startswith("script ")]
    out["macro"] = {k: round(sum(out[t][k] for t in types) / len(types), 4)
                    for k in ("headings_marked", "headings_bare", "blocks", "objective")}  # fmt: skip
    # the bound calibration holds: torn sentences as issue 24 measures them plus false starts
    # right after a bracket that ends no sentence (its seed 002 list counts those as torn too)
    out["macro"]["torn_max"] = max(
        out[t]["torn_per_10k"] + out[t]["torn_bracket_per_10k"] for t in types
    )
    out["macro"]["torn_ucb"] = max(torn_upper(figs[t].torn + figs[t].torn_bracket, figs[t].chars)
                                   for t in types)  # fmt: skip
    # reported, not the selection rule (torn_bootstrap says why)
    out["macro"]["torn_boot"] = max(torn_bootstrap(list(docs[t].values())) for t in types)
    return out


BOOTSTRAP = 2000  # document resamples per source type


def torn_bootstrap(docs: list[list[int]], seed: int = 24) -> float:
    """The 97.5th percentile of a source type's torn sentences per 10,000 characters over
    :data:`BOOTSTRAP` resamples of its documents (``docs``: ``[events, characters]`` each, all
    the cases of one document together).

    Why it is reported beside :func:`torn_upper` (tenth session): torn sentences are not
    independent events — one document's heading style gives many or none — so a Poisson bound
    understates how much the rate moves from one set of documents to another. Twice a
    configuration whose worst type passed the dev bound gave more than 1 per 10k on test's
    digests (ninth session under the rate bound, 1.3; tenth under the Poisson bound, 1.4 + 0.2
    after a bracket, the damage-trained network at ``end_sure`` 0.9). Why it is not the rule:
    with the larger of the two as the bound, that network was calibrated to ``end_sure`` 0.93
    and still gave 1.1 + 0.2 on test's digests, while the shipped configuration — 0.65 on dev,
    at most 0.8 on test — fails it (blog 1.09): dev's 20 digest documents do not say what
    test's 17 will do, however the bound is drawn. docs/prose.md has the figures.
    """
    import numpy as np

    if not docs:
        return 0.0
    arr = np.asarray(docs, dtype=np.float64)
    idx = np.random.default_rng(seed).integers(0, len(arr), size=(BOOTSTRAP, len(arr)))
    rates = arr[idx, 0].sum(axis=1) * 1e4 / np.maximum(1.0, arr[idx, 1].sum(axis=1))
    return round(float(np.quantile(rates, 0.975)), 2)


def torn_upper(events: int, chars: int) -> float:
    """An upper bound (about 97.5 %, one-sided, Poisson: k + 2√k + 1 events) of a source type's
    torn sentences per 10,000 characters, from ``events`` seen in ``chars`` characters.

    Why a bound and not the rate: dev's digests are 32 ten-thousands of characters with ~20
    torn sentences, so the rate's noise is as large as the margin a point bound keeps — the
    ninth session's network met 0.8 per 10k on dev's digests (0.72) and gave 1.3 on test's. The
    bound asks dev to show, with its own noise, that each type stays under the goal.
    """
    return round((events + 2 * events**0.5 + 1) * 1e4 / max(1, chars), 2)


GRIDS: dict[str, tuple[float, ...]] = {
    "no_punct": (0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0, 12.0, 15.0),
    "closer": (0.0, 1.0, 2.0, 4.0, 8.0),
    "end": (0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 12.0, 20.0),
    "bare_end": (0.0, 1.0, 2.0, 4.0, 8.0, 12.0, 20.0),
    "par": (-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0),
    "head": (-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0),
    "head_head": (-4.0, -2.0, -1.0, 0.0),
    "kind": (0.0, 0.25, 0.5, 0.75, 1.0),
    "head_char": (0.0, 0.02, 0.05, 0.1, 0.2),
    "unmarked": (0.0, 1.0, 2.0, 4.0, 8.0),
    "end_sure": (0.8, 0.85, 0.9, 0.93, 0.95, 0.98, 2.0),
    "bare_sure": (0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 2.0),
    "bare_start": (0.05, 0.1, 0.2, 0.3, 0.5),
}


#: the torn prices searched jointly first: a marked heading must end somewhere, and with a
#: model unsure of heading ends the no-punctuation price alone cannot reach the bound — the
#: heading-end price and the kind weight (how much a long heading's inside costs) can
TORN_GRID = {
    "end_sure": (0.9, 0.95, 2.0),
    "kind": (0.0, 0.25, 0.5, 1.0),
    "end": (1.0, 2.0, 4.0, 8.0),
    "bare_end": (2.0, 8.0),
    "no_punct": (2.0, 6.0),
}


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _descend(prepared: list[Prepared], p: Any, bound: float, names: tuple[str, ...]) -> Any:
    """One round of coordinate ascent of the macro objective over ``names``, every step keeping
    torn sentences (the worst source type) at most ``bound``."""
    best = score(prepared, p)
    for name in names:
        for v in GRIDS[name]:
            if v == getattr(p, name):
                continue
            q = dataclasses.replace(p, **{name: v})
            r = score(prepared, q)
            ok = r["macro"]["objective"] > best["macro"]["objective"] and (
                r["macro"][TORN_KEY] <= bound
            )
            _log(f"{name}={v}: objective {r['macro']['objective']} torn bound "
                 f"{r['macro'][TORN_KEY]}{' *' if ok else ''}")  # fmt: skip
            if ok:
                p, best = q, r
    return p


def calibrate(prepared: list[Prepared], start: Any) -> tuple[Any, float]:
    """Torn sentences first (issue 24): the best configuration of :data:`TORN_GRID` whose worst
    source type has an upper bound (:func:`torn_upper`) of at most :data:`TORN_GOAL` torn
    sentences per 10k on dev (if none has, the
    least torn one, and the bound becomes its figure + 0.25); then the other biases for the
    macro objective under that bound; returns the parameters and the bound used."""
    tried = []
    for es, kv, end, bare, npv in itertools.product(*TORN_GRID.values()):
        q = dataclasses.replace(start, end_sure=es, kind=kv, end=end, bare_end=bare, no_punct=npv)
        r = score(prepared, q)
        _log(f"end_sure={es} kind={kv} end={end} bare_end={bare} no_punct={npv}: objective "
             f"{r['macro']['objective']} torn bound {r['macro'][TORN_KEY]}")  # fmt: skip
        tried.append((r["macro"][TORN_KEY], r["macro"]["objective"], q))
    bound = TORN_GOAL
    if not any(t <= bound for t, _, _ in tried):
        bound = min(t for t, _, _ in tried) + 0.25
        _log(f"torn goal {TORN_GOAL} not reached on the grid: bound {bound:.2f}")
    p = max((x for x in tried if x[0] <= bound), key=lambda x: x[1])[2]
    names = ("bare_sure", "bare_start", "closer", "par", "head", "head_head", "head_char",
             "unmarked", "end_sure", "end", "bare_end", "kind", "no_punct", "bare_sure")  # fmt: skip
    p = _descend(prepared, p, bound, names)
    return p, bound


def calibrate_f1_first(prepared: list[Prepared], start: Any) -> tuple[Any, float]:
    """The other operating point, for comparison: macro F1 first, torn sentences only kept at
    most 0.25 above the least the no-punctuation price alone reaches (the first calibration of
    this branch; issue 24 ranks torn sentences first, so this is not what ships)."""
    tried = []
    for v in GRIDS["no_punct"]:
        r = score(prepared, dataclasses.replace(start, no_punct=v))
        tried.append((v, r["macro"][TORN_KEY]))
    bound = min(t for _, t in tried) + 0.25
    p = dataclasses.replace(start, no_punct=next(v for v, t in tried if t <= bound))
    names = (
        "closer",
        "end",
        "bare_end",
        "par",
        "head",
        "head_head",
        "kind",
        "head_char",
        "unmarked",
        "end_sure",
        "bare_sure",
        "bare_start",
    )
    for _ in range(2):
        p = _descend(prepared, p, bound, names)
    return p, bound


#: the prices that trade torn sentences for F1, around the shipped parameters (``--frontier``)
FRONTIER_GRID: dict[str, tuple[float, ...]] = {
    "end_sure": (0.8, 0.9, 0.95),
    "end": (1.0, 2.0, 4.0, 8.0),
    "no_punct": (1.0, 2.0, 4.0, 6.0),
    "bare_sure": (0.6, 0.7, 0.85),
}
FRONTIER_BOUNDS = (1.0, 1.5, 2.0, 4.0, 8.0, float("inf"))


def frontier(prepared: list[Prepared], start: Any) -> list[dict[str, Any]]:
    """For each bound of :data:`FRONTIER_BOUNDS` on the worst source type's torn upper bound, the
    configuration of :data:`FRONTIER_GRID` (the other parameters as ``start``) with the best
    macro objective, and its dev figures: how far F1 rises when more torn sentences are allowed."""
    scored = []
    for vals in itertools.product(*FRONTIER_GRID.values()):
        q = dataclasses.replace(start, **dict(zip(FRONTIER_GRID, vals, strict=True)))
        scored.append((q, score(prepared, q)))
    rows = []
    for bound in FRONTIER_BOUNDS:
        ok = [(q, r) for q, r in scored if r["macro"][TORN_KEY] <= bound]
        if not ok:
            continue
        q, r = max(ok, key=lambda x: x[1]["macro"]["objective"])
        rows.append({"bound": None if bound == float("inf") else bound,
                     "params": {k: getattr(q, k) for k in FRONTIER_GRID},
                     "worst_torn_upper": r["macro"][TORN_KEY], "all": r["all"],
                     "macro_objective": r["macro"]["objective"]})  # fmt: skip
    return rows


def main() -> int:
    from benchmarks.prose_corpus import corpus_dir
    from digestkit.readers.prose.decode import Params, load_params

    if {"-h", "--help"} & set(sys.argv[1:]):
        print(__doc__)
        return 0
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    corpus = corpus_dir(args[0] if args else None)
    t0 = time.perf_counter()
    prepared = prepare(corpus, "dev")
    _log(f"{len(prepared)} dev cases prepared in {time.perf_counter() - t0:.0f} s")
    if "--show" in sys.argv:
        t1 = time.perf_counter()
        report = score(prepared, load_params())
        _log(f"scored in {time.perf_counter() - t1:.1f} s")
        json.dump(report, sys.stdout, indent=1)
        print()
        return 0
    if "--frontier" in sys.argv:
        json.dump(frontier(prepared, load_params()), sys.stdout, indent=1)
        print()
        return 0
    f1_first = "--f1-first" in sys.argv
    params, bound = (calibrate_f1_first if f1_first else calibrate)(prepared, Params())
    cmd = "python -m benchmarks.prose_calibrate " + ("--f1-first" if f1_first else "--write")
    out = {**dataclasses.asdict(params), "torn_bound": round(bound, 2),
           "chosen_by": cmd + " (dev split only)", "model": _model_hash(),
           "dev": score(prepared, params)}  # fmt: skip
    emit_json(out, HEADINGS_FILE if f1_first else PARAMS_FILE, "--write" in sys.argv)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
