"""Train the run-on prose reader's sequence model (issue 24) and export it for numpy inference.

    python -m benchmarks.prose_train [CORPUS] [--minutes M] [--epochs N] [--limit N]
                                     [--channels C] [--out FILE] [--cache DIR]
    # CORPUS: default $DIGESTKIT_CORPUS or /work/corpora/zh
    # --minutes M: a safety stop after the epoch that passes M minutes of training (default 28)
    # --epochs N: N epochs (default 2); the learning rate decays over them
    # --limit N: train on a deterministic N-document subset (quick models, same recipe)
    # --channels C: width of the network (default 64)
    # --out FILE: where to write the arrays (default src/digestkit/readers/prose/seqmodel.npz)
    # --cache DIR: keep the built examples there (experiments re-read them instead of the corpus)
    # --damage none|replace|extra: real damage in the training text (DAMAGE; default none)
    # --dilations D1,D2,...: the layers' dilations (default 1,2,4,8,16,32)

One command: reads the corpus (train split for training, dev for choosing the epoch, never test,
never the seeds), builds the run-on cases and their per-character tags
(:mod:`benchmarks.prose_seq_data`), trains the network of
:mod:`digestkit.readers.prose.network` in torch (the ``train`` extra; never imported by the
package), keeps the epoch with the lowest dev loss, writes its arrays as fp16 and prints dev tag
accuracy, per-tag F1, block-start F1 from the argmax alone, and the time.

Deterministic: documents in SOURCES.tsv order, cases chosen by a stable hash, batches from a
seeded RNG, torch seeded and on :data:`THREADS` threads; the same corpus gives the same arrays.

The mix (recipe ``capped``, from the linear model's experiments): at most REPO_CAP documents per
repository, two run-on cases per document (Traditional or as written, picked by a hash of the
file name, once ``## `` marked and once bare), each document's first MAX_CHARS characters.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import pickle
import random
import sys
import time
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from benchmarks.prose_cases import Case, cases
from benchmarks.prose_corpus import CorpusDoc, corpus_dir, load_corpus
from benchmarks.prose_damage import damage
from benchmarks.prose_seq_data import BH, BP, Example, build_vocab, examples
from digestkit.readers.prose import features as ft
from digestkit.readers.prose import network as nw

if TYPE_CHECKING:
    import torch

OUT = Path(nw.__file__).with_name(nw.MODEL_FILE)
MAX_CHARS = 4_000  # each document's first 4,000 characters: many documents beat long ones
# The training mix. The train split is mostly documentation from a few large repositories, and
# digests got worse when it grew (bare headings 0.13 -> 0.04 on test). Recipe "capped" (the
# default): at most REPO_CAP documents per repository (a stable hash picks them), so that no
# source (130 or 200 files) outweighs the 100-odd smaller ones. Tried on dev with 900-document
# subsets (docs/prose.md) and not kept as the default: "weighted"/"balanced" — TYPE_CASES cases
# (more variants) per digest/news document: a second variant of the same text taught less than
# another document did (macro block F1 0.540 / 0.542 against 0.548 capped, 0.549 flat).
REPO_CAP = 100
#: real damage in the training text (issue 24, point 3; :mod:`benchmarks.prose_damage`:
#: half-width punctuation on a quarter of the documents, captions and bylines on half of those
#: that have them). "none": the glued cases alone; "replace": both cases of a document carry its
#: damage; "extra": a third case, the damaged text with the other marking. Tenth session, on dev
#: (docs/prose.md): "replace" gave the best calibrated objective but failed the torn goal on
#: test's digests at the operating point dev chose; "extra" a lower objective — neither ships
#: yet, so the default reproduces the shipped arrays.
DAMAGE_MODES = ("none", "replace", "extra")
DAMAGE = "none"
TYPE_CASES = {"digest": 3, "news": 2, "blog": 1, "docs": 1}

SEED = 13
THREADS = 1  # fixed: the same arithmetic order every run (and one core of a shared machine)
CHANNELS = 64
DILATIONS = (1, 2, 4, 8, 16, 32)  # 63 characters of context each side
BATCH_CHARS = 4_096  # characters per batch (cases of similar length padded together)
LR = 3e-3
EPOCHS = 2  # two cases per document: two epochs see each text four times
MINUTES = 28.0


# ---------------------------------------------------------------------------------- the mix


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


def _hash(name: str) -> bytes:
    return hashlib.sha256(name.encode()).digest()


def select_docs(
    docs: list[CorpusDoc], recipe: str = "capped", limit: int | None = None
) -> list[CorpusDoc]:
    """The training documents of ``recipe``: all of them ("flat"), or at most REPO_CAP per
    repository ("capped", "balanced"), in SOURCES.tsv order; ``limit`` keeps a deterministic subset (the
    documents whose file-name hash is smallest) for cheap experiments.
    """
    if recipe in ("balanced", "capped"):
        by_repo: dict[str, list[CorpusDoc]] = defaultdict(list)
        for d in docs:
            by_repo[d.repo].append(d)
        keep = {
            d.file
            for ds in by_repo.values()
            for d in sorted(ds, key=lambda d: _hash(d.file))[:REPO_CAP]
        }
        docs = [d for d in docs if d.file in keep]
    if limit is not None and limit < len(docs):
        keep = {d.file for d in sorted(docs, key=lambda d: _hash("limit" + d.file))[:limit]}
        docs = [d for d in docs if d.file in keep]
    return docs


def train_cases(docs: list[CorpusDoc], recipe: str = "capped") -> list[Case]:
    """Run-on cases of the training documents (their first MAX_CHARS characters). "capped": the
    variant a stable hash of the file name picks (Traditional or as written, ``## `` marked or
    bare) and the same text with the other marking (:func:`_other_marking`) — two cases per
    document; "weighted", "balanced": TYPE_CASES[source type] variants taken in turn.

    Why both markings (ninth session): the marked copy teaches where a heading that *starts*
    surely ends, the bare one where headings start at all, from the same words — on dev the
    span model over this network's scores decides more heading ends at the same precision
    (p >= 0.9: 39.3 % of marked headings, 97.8 % right, against 37.5 %, 97.3 %) than over one
    case per document, and the network's dev loss is lower (0.133 against 0.135). A second
    *script* of the same text taught less than another document did (the recipes below).
    """
    out = []
    for d in docs:
        hurt, kinds = damage(d.doc, d.file) if DAMAGE != "none" else (d.doc, ())
        doc = hurt if DAMAGE == "replace" else d.doc
        variants = list(cases(doc, d.file, all_variants=False))
        if DAMAGE == "extra" and kinds and variants:
            extra = list(cases(hurt, d.file, all_variants=False))
            k = _hash(d.file)[1] % len(variants)
            out.extend(_truncate(c) for c in _other_marking(extra, variants[k]))
        if variants:
            pick = _hash(d.file)[1] % len(variants)
            if recipe in ("balanced", "weighted"):
                k = TYPE_CASES.get(d.source_type, 1)
                picked = [
                    variants[(pick + j) % len(variants)] for j in range(min(k, len(variants)))
                ]
            else:
                picked = [variants[pick], *_other_marking(variants, variants[pick])]
            out.extend(_truncate(c) for c in picked)
    return out


def _other_marking(variants: list[Case], case: Case) -> list[Case]:
    """The variant with the same script as ``case`` and the other marking (at most one)."""
    script = case.name.split(":")[1]
    return [v for v in variants if v.marked != case.marked and v.name.split(":")[1] == script][:1]


def dev_cases(docs: list[CorpusDoc]) -> list[Case]:
    """Every evaluation variant of the dev documents (the cases benchmarks.prose_segmentation
    scores: Traditional and as written, marked and bare), whole."""
    return [c for d in docs for c in cases(d.doc, d.file)]


# ---------------------------------------------------------------------------------- the data


def _build(
    corpus: Path, limit: int | None, cache: Path | None
) -> tuple[list[int], list[Example], list[Example], dict[str, str]]:
    """(vocabulary, train examples, dev examples, source type of each dev case's document)."""
    key = hashlib.sha256(
        f"{corpus.resolve()}|{limit}|{MAX_CHARS}|{REPO_CAP}|both|damage={DAMAGE}".encode()
    ).hexdigest()[:12]
    path = cache / f"prose_seq_{key}.pkl" if cache else None
    if path is not None and path.is_file():
        with path.open("rb") as fh:
            out: tuple[list[int], list[Example], list[Example], dict[str, str]] = pickle.load(fh)
        return out
    docs = select_docs(load_corpus(corpus, splits=("train",)), "capped", limit)
    tcases = train_cases(docs)
    ddocs = load_corpus(corpus, splits=("dev",))
    dcases = dev_cases(ddocs)
    types = {c.name: d.source_type for d in ddocs for c in cases(d.doc, d.file)}
    # one text per document: its two markings share the text, and the vocabulary's "seen at
    # least VOCAB_MIN times" counts documents' words, not cases
    chars = build_vocab(list({c.name.split(":")[0]: c for c in tcases}.values()))
    vocab = ft.CharVocab(chars)
    out = (chars, examples(tcases, vocab), examples(dcases, vocab), types)
    _log(f"{len(docs)} train documents, {len(tcases)} cases, {sum(len(c.text) for c in tcases):,} "
         f"characters; dev {len(ddocs)} documents, {len(dcases)} cases, "
         f"{sum(len(c.text) for c in dcases):,} characters; vocabulary {len(chars)}")  # fmt: skip
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            pickle.dump(out, fh)
    return out


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------- the network


def _torch_net(vocab_size: int, channels: int) -> torch.nn.Module:
    import torch
    from torch import nn

    class Net(nn.Module):
        """network.Network's forward pass in torch (the same arithmetic; see its docstring)."""

        def __init__(self) -> None:
            super().__init__()
            self.emb_char = nn.Embedding(vocab_size, channels)
            self.emb_class = nn.Embedding(len(ft.CLASSES), channels)
            self.emb_pos = nn.Embedding(len(ft.POS_TAGS), channels)
            self.flags = nn.Linear(2, channels)
            for e in (self.emb_char, self.emb_class, self.emb_pos):
                nn.init.normal_(e.weight, std=0.5)
            self.convs = nn.ModuleList(
                nn.Conv1d(channels, channels, 3, dilation=d, padding=d) for d in DILATIONS
            )
            self.out = nn.Linear(channels, len(nw.TAGS))
            self.drop = nn.Dropout(0.2)

        def forward(self, chars: torch.Tensor, classes: torch.Tensor, pos: torch.Tensor,
                    flags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:  # fmt: skip
            # (B, L) ids, (B, L, 2) flags, (B, L) mask -> (B, L, 4) logits. The padding is
            # zeroed after every layer: a padded case scores exactly as it does alone (the
            # numpy pass pads each text with zeros at every layer)
            x = (
                self.emb_char(chars)
                + self.emb_class(classes)
                + self.emb_pos(pos)
                + self.flags(flags)
            )
            m = mask.unsqueeze(1)
            x = self.drop(x).transpose(1, 2) * m
            for conv in self.convs:
                x = (x + conv(torch.relu(x))) * m
            out: torch.Tensor = self.out(torch.relu(x).transpose(1, 2))
            return out

    torch.manual_seed(SEED)
    return Net()


def _batches(data: Sequence[Example], rng: random.Random | None) -> list[list[int]]:
    """Indices of ``data`` in batches of similar length (at most BATCH_CHARS padded characters);
    with ``rng``, lengths are jittered before sorting and the batch order shuffled."""
    key = [len(e.tags) + (rng.random() * 300 if rng else 0.0) for e in data]
    order = sorted(range(len(data)), key=lambda i: (key[i], i))
    out: list[list[int]] = []
    cur: list[int] = []
    longest = 0
    for i in order:
        n = len(data[i].tags)
        if cur and max(longest, n) * (len(cur) + 1) > BATCH_CHARS:
            out.append(cur)
            cur, longest = [], 0
        cur.append(i)
        longest = max(longest, n)
    if cur:
        out.append(cur)
    if rng:
        rng.shuffle(out)
    return out


def _tensors(batch: Sequence[Example]) -> tuple[torch.Tensor, ...]:
    import torch

    n = max(len(e.tags) for e in batch)
    b = len(batch)
    chars = np.zeros((b, n), np.int64)
    classes = np.zeros((b, n), np.int64)
    pos = np.zeros((b, n), np.int64)
    flags = np.zeros((b, n, 2), np.float32)
    mask = np.zeros((b, n), np.float32)
    tags = np.full((b, n), -100, np.int64)
    for i, e in enumerate(batch):
        k = len(e.tags)
        chars[i, :k], classes[i, :k], pos[i, :k] = e.inputs.chars, e.inputs.classes, e.inputs.pos
        flags[i, :k], mask[i, :k], tags[i, :k] = e.inputs.flags, 1.0, e.tags
    return tuple(torch.from_numpy(a) for a in (chars, classes, pos, flags, mask, tags))


def _predict(net: torch.nn.Module, data: Sequence[Example]) -> list[npt.NDArray[np.float32]]:
    """Log-probabilities per example (eval mode, no dropout)."""
    import torch

    net.eval()
    out: list[npt.NDArray[np.float32]] = [np.zeros((0, 4), np.float32)] * len(data)
    with torch.no_grad():
        for idx in _batches(data, None):
            chars, classes, pos, flags, mask, _ = _tensors([data[i] for i in idx])
            logp = torch.log_softmax(net(chars, classes, pos, flags, mask), -1).numpy()
            for j, i in enumerate(idx):
                out[i] = logp[j, : len(data[i].tags)]
    net.train()
    return out


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / max(1, 2 * tp + fp + fn)


def scores(data: Sequence[Example], logps: Sequence[npt.NDArray[np.float32]],
           types: dict[str, str] | None = None) -> dict[str, Any]:  # fmt: skip
    """Dev figures from the argmax alone: mean loss, tag accuracy, per-tag F1, block-start F1
    (a B* where the truth has one, the first character excluded) — all, and per source type."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, e in enumerate(data):
        groups["all"].append(i)
        if types is not None:
            groups[types.get(e.name, "?")].append(i)
            groups[e.name.split(":")[1]].append(i)  # Hant / Hans
            groups[e.name.split(":")[2]].append(i)  # marked / bare
    out: dict[str, Any] = {}
    for g, idx in sorted(groups.items()):
        y = np.concatenate([data[i].tags for i in idx])
        lp = np.concatenate([logps[i] for i in idx])
        p = lp.argmax(1)
        r: dict[str, Any] = {"chars": len(y), "loss": round(float(-lp[np.arange(len(y)), y].mean()), 4),
                             "accuracy": round(float((p == y).mean()), 4)}  # fmt: skip
        for t, name in enumerate(nw.TAGS):
            tp = int(((p == t) & (y == t)).sum())
            r[f"F1_{name}"] = round(
                _f1(tp, int(((p == t) & (y != t)).sum()), int(((p != t) & (y == t)).sum())), 4
            )
        tp = fp = fn = 0
        for i in idx:
            yb = np.isin(data[i].tags[1:], (BP, BH))
            pb = np.isin(logps[i][1:].argmax(1), (BP, BH))
            tp += int((yb & pb).sum())
            fp += int((pb & ~yb).sum())
            fn += int((yb & ~pb).sum())
        r["block_F1"] = round(_f1(tp, fp, fn), 4)
        out[g] = r
    return out


def train(train_data: Sequence[Example], dev_data: Sequence[Example], vocab_size: int, *,
          channels: int = CHANNELS, epochs: int = EPOCHS, minutes: float = MINUTES,
          types: dict[str, str] | None = None) -> tuple[torch.nn.Module, dict[str, Any]]:  # fmt: skip
    """The network trained on ``train_data``, the epoch of lowest dev loss kept."""
    import torch

    torch.set_num_threads(THREADS)
    torch.use_deterministic_algorithms(True)
    net = _torch_net(vocab_size, channels)
    opt = torch.optim.AdamW(net.parameters(), lr=LR, weight_decay=1e-4)
    rng = random.Random(SEED)
    total = epochs * len(_batches(train_data, None))  # about: jittered batches vary by a few
    warm = max(1, total // 20)
    step = 0
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100)
    n_chars = sum(len(e.tags) for e in train_data)
    t0 = time.perf_counter()
    best: tuple[float, int, dict[str, Any], dict[str, torch.Tensor]] | None = None
    for epoch in range(epochs):
        te = time.perf_counter()
        total_loss = 0.0
        for idx in _batches(train_data, rng):
            chars, classes, pos, flags, mask, tags = _tensors([train_data[i] for i in idx])
            logits = net(chars, classes, pos, flags, mask)
            loss = loss_fn(logits.reshape(-1, len(nw.TAGS)), tags.reshape(-1))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            step += 1  # linear warm-up, then cosine decay to a tenth (per step)
            frac = min(1.0, step / total)
            for g in opt.param_groups:
                g["lr"] = LR * min(1.0, step / warm) * (0.1 + 0.45 * (1 + math.cos(math.pi * frac)))
            opt.step()
            total_loss += float(loss.detach()) * int(mask.sum())
        dt = time.perf_counter() - te
        dev = scores(dev_data, _predict(net, dev_data))["all"]
        _log(f"epoch {epoch}: train loss {total_loss / n_chars:.4f} ({n_chars / dt:,.0f} chars/s), "
             f"dev {json.dumps(dev)} ({(time.perf_counter() - t0) / 60:.1f} min)")  # fmt: skip
        if best is None or dev["loss"] < best[0]:
            state = {k: v.detach().clone() for k, v in net.state_dict().items()}
            best = (dev["loss"], epoch, dev, state)
        if time.perf_counter() - t0 > minutes * 60:
            _log(f"time budget of {minutes} min reached after epoch {epoch}")
            break
    assert best is not None
    net.load_state_dict(best[3])
    info = {"epoch": best[1], "epochs_run": epoch + 1, "minutes": round((time.perf_counter() - t0) / 60, 1),
            "train_chars": n_chars}  # fmt: skip
    return net, info


# ---------------------------------------------------------------------------------- export


def arrays(net: torch.nn.Module, vocab: Sequence[int]) -> dict[str, npt.NDArray[Any]]:
    """The trained network as network.Network's arrays (fp16 weights)."""
    sd = {k: v.detach().numpy().astype(np.float32) for k, v in net.state_dict().items()}
    out: dict[str, npt.NDArray[Any]] = {
        "vocab": np.asarray(vocab, dtype=np.int32),
        "dilations": np.asarray(DILATIONS, dtype=np.int32),
        "emb_char": sd["emb_char.weight"],
        "emb_class": sd["emb_class.weight"],
        "emb_pos": sd["emb_pos.weight"],
        "w_flags": sd["flags.weight"].T,
        "b_in": sd["flags.bias"],
        "out_w": sd["out.weight"].T,
        "out_b": sd["out.bias"],
    }
    for i in range(len(DILATIONS)):
        w = sd[f"convs.{i}.weight"]  # (C_out, C_in, 3): tap k reads t + (k - 1) d
        out[f"conv{i}_w"] = np.concatenate([w[:, :, k].T for k in range(3)], axis=0)
        out[f"conv{i}_b"] = sd[f"convs.{i}.bias"]
    return {k: (v.astype(np.float16) if v.dtype == np.float32 else v) for k, v in out.items()}


def write_npz(path: Path, arrs: dict[str, npt.NDArray[Any]]) -> None:
    """``np.savez_compressed`` with fixed zip timestamps: the same arrays give the same bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(arrs):
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            data = io.BytesIO()
            np.lib.format.write_array(data, np.ascontiguousarray(arrs[name]), allow_pickle=False)
            zf.writestr(info, data.getvalue())
    path.write_bytes(buf.getvalue())


def _check(model: nw.Network, arrs: dict[str, npt.NDArray[Any]], data: Sequence[Example]) -> None:
    """Fail when the numpy forward pass differs from torch's (the same fp16 weights)."""
    import torch

    net = _torch_net(model.vocab.size, model.channels)
    sd = {"emb_char.weight": arrs["emb_char"], "emb_class.weight": arrs["emb_class"],
          "emb_pos.weight": arrs["emb_pos"], "flags.weight": arrs["w_flags"].T,
          "flags.bias": arrs["b_in"], "out.weight": arrs["out_w"].T, "out.bias": arrs["out_b"]}  # fmt: skip
    c = model.channels
    for i in range(len(DILATIONS)):
        w = arrs[f"conv{i}_w"]
        sd[f"convs.{i}.weight"] = np.stack([w[k * c : (k + 1) * c].T for k in range(3)], axis=2)
        sd[f"convs.{i}.bias"] = arrs[f"conv{i}_b"]
    net.load_state_dict({k: torch.from_numpy(np.asarray(v, np.float32)) for k, v in sd.items()})
    ref = _predict(net, data)
    worst = max(
        float(np.abs(nw.log_softmax(model.logits(e.inputs)) - r).max())
        for e, r in zip(data, ref, strict=True)
    )
    _log(f"numpy forward pass against torch: max |difference| {worst:.2e}")
    if worst > 1e-3:
        raise SystemExit(f"error: the numpy forward pass differs from torch by {worst}")


# ---------------------------------------------------------------------------------- command


def _option(name: str) -> str | None:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else None


def main() -> int:
    if {"-h", "--help"} & set(sys.argv):  # not a training run by mistake
        print(__doc__)
        return 0
    opts = {
        "--limit",
        "--out",
        "--minutes",
        "--epochs",
        "--channels",
        "--cache",
        "--damage",
        "--dilations",
    }
    args, skip = [], False
    for a in sys.argv[1:]:
        if skip:
            skip = False
        elif a in opts:
            skip = True
        elif not a.startswith("--"):
            args.append(a)
    corpus = corpus_dir(args[0] if args else None)
    limit = int(_option("--limit") or 0) or None
    out = Path(_option("--out") or OUT)
    cache = Path(c) if (c := _option("--cache")) else None
    t0 = time.perf_counter()
    global DAMAGE, DILATIONS
    DAMAGE = _option("--damage") or DAMAGE
    if d := _option("--dilations"):  # e.g. 1,2,4,8,16,32,64: a wider view, one layer more
        DILATIONS = tuple(int(x) for x in d.split(","))
    if DAMAGE not in DAMAGE_MODES:
        raise SystemExit(f"error: --damage {DAMAGE}: one of {', '.join(DAMAGE_MODES)}")
    vocab, tr, dv, types = _build(corpus, limit, cache)
    t_data = time.perf_counter() - t0
    net, info = train(tr, dv, len(ft.CLASSES) + len(vocab),
                      channels=int(_option("--channels") or CHANNELS),
                      epochs=int(_option("--epochs") or EPOCHS),
                      minutes=float(_option("--minutes") or MINUTES), types=types)  # fmt: skip
    arrs = arrays(net, vocab)
    write_npz(out, arrs)
    # the figures of the shipped arrays, read back through the numpy pass (fp16 and all)
    model = nw.Network(dict(np.load(out)))
    # the numpy pass against torch on the same (fp16-rounded) arrays: a few dev cases
    _check(model, arrs, dv[:20])
    t1 = time.perf_counter()
    logps = [nw.log_softmax(model.logits(e.inputs)) for e in dv]
    speed = sum(len(e.tags) for e in dv) / (time.perf_counter() - t1)
    figures = scores(dv, logps, types)
    params = sum(int(np.prod(v.shape)) for k, v in arrs.items() if k not in ("vocab", "dilations"))
    print(json.dumps({"out": str(out), "bytes": out.stat().st_size, "parameters": params,
                      "data_minutes": round(t_data / 60, 1), **info,
                      "numpy_chars_per_s": round(speed), "dev": figures}, indent=1))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
