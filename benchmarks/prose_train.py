"""Train the prose boundary model on the corpus's train split; pick thresholds on dev.

    python -m benchmarks.prose_train [CORPUS] [--no-tune | --tune-only]
    # CORPUS: default $DIGESTKIT_CORPUS or /work/corpora/zh

Writes ``src/digestkit/readers/prose/boundary_model.json.gz``. Deterministic: documents in
SOURCES.tsv order, a seeded shuffle per epoch, no other randomness; the same corpus gives the same
bytes. The seeds (fixtures/00*) are never read.

Learner: averaged perceptron (Collins 2002). Boundary candidates after a ``## `` marker are trained
as a ranking (the true heading end against the best-scoring wrong one); every other candidate as a
binary decision. The heading table is a binary averaged perceptron over true blocks of bare cases.
"""

from __future__ import annotations

import gzip
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

from benchmarks.prose_cases import Case, cases
from benchmarks.prose_corpus import corpus_dir, load_corpus
from digestkit.readers.prose import boundary as bm

OUT = Path(bm.__file__).with_name(bm.MODEL_FILE)
EPOCHS = 5
MAX_CHARS = 12_000  # long manuals add little: their first 12,000 characters are used


class Perceptron:
    """Averaged perceptron over string features (lazy averaging)."""

    def __init__(self) -> None:
        self.w: dict[str, float] = defaultdict(float)
        self.u: dict[str, float] = defaultdict(float)
        self.c = 1

    def score(self, feats: list[str]) -> float:
        w = self.w
        return sum(w.get(f, 0.0) for f in feats)

    def update(self, feats: list[str], delta: float) -> None:
        for f in feats:
            self.w[f] += delta
            self.u[f] += self.c * delta

    def tick(self) -> None:
        self.c += 1

    def averaged(self) -> dict[str, float]:
        out = {}
        for f, v in self.w.items():
            a = v - self.u[f] / self.c
            if abs(a) >= 1e-4:
                out[f] = round(a, 4)
        return out


def _expand(kind: str, feats: list[str]) -> list[str]:
    # the model's key format: shared features as they are, kind-specific ones as "kind\0feature"
    return [kind + "\x00\x00bias", *feats, *(kind + "\x00" + f for f in feats)]


Example = tuple[str, list[list[str]], list[int]]  # ("rank" | "binary", feature lists, labels)


def examples(case: Case) -> tuple[list[Example], list[tuple[list[str], int]]]:
    text = case.text
    marks = [a for a, _ in case.headings] if case.marked else []
    wb = bm.word_bounds(text)
    cl = bm.classes(text)
    c = bm.candidates(text, marks, wb=wb)
    truth = set(case.bounds)
    feats = c.features  # built once: the property concatenates every list
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    out: list[Example] = []
    for i, (pos, kind, origin) in enumerate(zip(c.positions, c.kinds, c.origins, strict=True)):
        if kind in ("head", "window", "label"):
            groups[kind, origin].append(i)
        else:
            out.append(("binary", [_expand(kind, feats[i])], [int(pos in truth)]))
    for (kind, _), idxs in groups.items():
        labels = [int(c.positions[i] in truth) for i in idxs]
        if kind == "head" and not any(labels):
            continue
        mode = "rank" if kind == "head" else "group"
        out.append((mode, [_expand(kind, feats[i]) for i in idxs], labels))
    heads: list[tuple[list[str], int]] = []
    if not case.marked:
        starts = {a for a, _ in case.headings}
        bounds = [*case.bounds, len(text)]
        for j in range(len(bounds) - 1):
            nxt = bounds[j + 2] if j + 2 < len(bounds) else bounds[j + 1]
            f = bm.heading_features(text, cl, bounds[j], bounds[j + 1], nxt, wb)
            heads.append((["bias", *f], int(bounds[j] in starts)))
    return out, heads


def _truncate(case: Case) -> Case:
    if len(case.text) <= MAX_CHARS:
        return case
    cut = max(b for b in case.bounds if b <= MAX_CHARS) or MAX_CHARS
    from dataclasses import replace

    return replace(
        case,
        text=case.text[:cut],
        headings=tuple(h for h in case.headings if h[1] <= cut),
        paragraphs=tuple(p for p in case.paragraphs if p < cut),
        bounds=tuple(b for b in case.bounds if b < cut),
    )


def train(corpus: Path) -> bm.Model:
    docs = load_corpus(corpus, splits=("train",))
    data: list[Example] = []
    heads: list[tuple[list[str], int]] = []
    t0 = time.perf_counter()
    for d in docs:
        for case in cases(d.doc, d.file, all_variants=False):
            ex, hx = examples(_truncate(case))
            data += ex
            heads += hx
    print(f"{len(docs)} train documents, {len(data)} examples, {len(heads)} blocks "
          f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr)  # fmt: skip
    rng = random.Random(13)
    bp = Perceptron()
    for epoch in range(EPOCHS):
        order = list(range(len(data)))
        rng.shuffle(order)
        mistakes = 0
        for i in order:
            mode, feats, labels = data[i]
            if mode == "binary":
                y = 1 if labels[0] else -1
                if y * bp.score(feats[0]) <= 0.5:
                    bp.update(feats[0], y)
                    mistakes += 1
            elif mode == "group":  # a glued heading's end: the best candidate, if any is good
                scores = [bp.score(f) for f in feats]
                pred = max(range(len(feats)), key=lambda k: scores[k])
                if any(labels):
                    gold = max((k for k in range(len(feats)) if labels[k]), key=lambda k: scores[k])
                    if pred != gold and not labels[pred]:
                        bp.update(feats[gold], 1)
                        bp.update(feats[pred], -1)
                        mistakes += 1
                    elif scores[gold] <= 0.5:
                        bp.update(feats[gold], 1)
                        mistakes += 1
                elif scores[pred] > -0.5:
                    bp.update(feats[pred], -1)
                    mistakes += 1
            else:
                scores = [bp.score(f) for f in feats]
                pred = max(range(len(feats)), key=lambda k: scores[k])
                gold = max((k for k in range(len(feats)) if labels[k]), key=lambda k: scores[k])
                if not labels[pred]:
                    bp.update(feats[gold], 1)
                    bp.update(feats[pred], -1)
                    mistakes += 1
            bp.tick()
        print(f"boundary epoch {epoch}: {mistakes} updates", file=sys.stderr)
    hp = Perceptron()
    for _epoch in range(EPOCHS):
        order = list(range(len(heads)))
        rng.shuffle(order)
        for i in order:
            f, y = heads[i]
            yy = 1 if y else -1
            if yy * hp.score(f) <= 0.5:
                hp.update(f, yy)
            hp.tick()
    return bm.Model(bp.averaged(), hp.averaged(), {"boundary": 0.0, "heading": 0.0})


def tune(model: bm.Model, corpus: Path) -> bm.Model:
    """Thresholds that maximise block-boundary F1 (boundary) and bare heading F1 on dev."""
    from benchmarks.prose_segmentation import evaluate_model

    docs = load_corpus(corpus, splits=("dev",))[::2]  # half of dev: each pass is a full reading
    # coordinate search, one threshold at a time (each evaluation is a full pass over dev)
    th = {"boundary": -4.0, "window": -1.0, "heading": 0.0}
    best = -1.0
    grid = {"boundary": (-8.0, -6.0, -4.0, -2.0, 0.0), "window": (-2.0, -1.0, 0.0),
            "heading": (-1.0, -0.5, 0.0, 0.5)}  # fmt: skip
    for name in ("boundary", "window", "heading"):
        for value in grid[name]:
            model.thresholds = {**th, name: value}
            r = evaluate_model(docs, model)
            score = r["blocks"] + r["bare_headings"]
            print(f"dev {model.thresholds}: {r}", file=sys.stderr)
            if score > best:
                best, th = score, dict(model.thresholds)
    model.thresholds = th
    return model


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    corpus = corpus_dir(args[0] if args else None)
    # --tune-only: keep the shipped weights, choose the thresholds again
    model = bm.load_model() if "--tune-only" in sys.argv else train(corpus)
    if "--no-tune" not in sys.argv:
        model = tune(model, corpus)
    raw = json.dumps(model.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    OUT.write_bytes(gzip.compress(raw.encode(), mtime=0))
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e6:.2f} MB, "
          f"{len(model.boundary)} + {len(model.heading)} weights)", file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
