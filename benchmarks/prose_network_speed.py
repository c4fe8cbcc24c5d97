"""Speed of the run-on sequence model on one core: inputs (features.py) and network (network.py).

    python -m benchmarks.prose_network_speed [CORPUS] [--split dev] [--repeat 3]

Reads the run-on cases of a corpus split (benchmarks.prose_cases, the evaluation's variants),
computes ``features.inputs`` and the network's forward pass on each, and prints characters and
UTF-8 megabytes per second of CPU time (``time.process_time``: the machine is shared, and CPU
time is what a quiet core would take; wall time is printed beside it). BLAS is held to one
thread (``OPENBLAS_NUM_THREADS=1`` etc., set before numpy is imported) so the figures are one
core's. Best of ``--repeat`` passes.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from benchmarks.prose_cases import cases  # noqa: E402
from benchmarks.prose_corpus import corpus_dir, load_corpus  # noqa: E402
from benchmarks.prose_seq_data import case_marks  # noqa: E402
from digestkit.readers.prose import features as ft  # noqa: E402
from digestkit.readers.prose import network as nw  # noqa: E402


def main() -> int:
    if {"-h", "--help"} & set(sys.argv):
        print(__doc__)
        return 0
    argv = sys.argv[1:]
    split = argv[argv.index("--split") + 1] if "--split" in argv else "dev"
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 3
    args = [
        a
        for i, a in enumerate(argv)
        if not a.startswith("--") and (i == 0 or argv[i - 1] not in ("--split", "--repeat"))
    ]
    docs = load_corpus(corpus_dir(args[0] if args else None), splits=(split,))
    work = [(c.text, case_marks(c)) for d in docs for c in cases(d.doc, d.file) if c.text]
    chars = sum(len(t) for t, _ in work)
    mb = sum(len(t.encode()) for t, _ in work) / 1e6
    net = nw.load()
    xs = [ft.inputs(t, m, net.vocab) for t, m in work]  # warm: tables, jieba's dictionary
    best: dict[str, tuple[float, float]] = {}
    for _ in range(repeat):
        for name, fn in (
            ("inputs", lambda: [ft.inputs(t, m, net.vocab) for t, m in work]),
            ("network", lambda: [net.logits(x) for x in xs]),
            ("emissions", lambda: [net.emissions(t, m) for t, m in work]),
        ):
            c0, w0 = time.process_time(), time.perf_counter()
            fn()
            cpu, wall = time.process_time() - c0, time.perf_counter() - w0
            if name not in best or cpu < best[name][0]:
                best[name] = (cpu, wall)
    out = {"split": split, "cases": len(work), "chars": chars, "MB": round(mb, 2)}
    for name, (cpu, wall) in best.items():
        out[name] = {"chars_per_cpu_s": round(chars / cpu), "MB_per_cpu_s": round(mb / cpu, 2),
                     "chars_per_wall_s": round(chars / wall)}  # fmt: skip
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
