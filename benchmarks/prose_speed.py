"""Throughput of the prose reader's run-on model, old code against new in the same run.

The machine is shared (2 cores, many jobs), so wall time says more about the neighbours than about
the code: each side runs in its own process, the two alternate for ``--rounds`` rounds, and the
figure is CPU time of this process (``time.process_time``), the best and the median of all runs.
Two figures per side, on the same input:

- ``model``: the network's emissions and the decoder on each case's de-marked text
  (:func:`digestkit.readers.prose.network.emissions`, :func:`digestkit.readers.prose.decode.decode`
  with the shipped parameters): issue 24's model, constraints included;
- ``reader``: ``digestkit.loads(source, "prose")``, the whole reader (articles, titles, captions,
  sources, duplicates, language detection) on the same cases.

The input is every 4th case of the test split (what ``benchmarks/prose_segmentation.py``'s
throughput reads), or ``--cases FILE`` (a case file of ``benchmarks/prose_equivalence.py``), or
``--big N``: the cases' run-on lines glued into one line of about N MB.

Each side runs with BLAS on one thread (``OPENBLAS_NUM_THREADS=1`` etc.: the goal is stated on one
core). ``--default-threads`` leaves BLAS's thread count to the library, as a user's process has
it, and ``--busy N`` keeps N processes spinning on the CPU for the whole run (a busy machine: the
weekly job's parsing workers, a server); with either, the wall time of each run is reported too.

    python -m benchmarks.prose_speed [CORPUS] [--ref REF] [--rounds 3] [--cases FILE] [--big N]
                                     [--default-threads] [--busy N]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT

__all__ = ["main", "measure"]


def _select(path: Path, big: float) -> list[dict[str, Any]]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    rows = [r for r in rows if r.get("text") is not None]
    if big:
        glued, size = [], 0
        for r in rows:
            if size >= big * 1e6:
                break
            glued.append(r["source"].split("\n")[-2])  # a case is [title line], run-on line, "\n"
            size += len(glued[-1].encode())
        line = "".join(glued)
        return [{"name": "big", "source": line + "\n", "text": None, "marks": [], "line": line}]
    test = [r for r in rows if ":test:" in r.get("name", "") or r.get("split") == "test"]
    return (test or rows)[::4]


def measure(cases_path: str, big: float, repeat: int) -> dict[str, Any]:
    """CPU seconds of the model and of the whole reader on the cases (run in a subprocess)."""
    import digestkit
    from digestkit.readers.prose.runon import segment_runon

    rows = _select(Path(cases_path), big)
    try:
        from digestkit.readers.prose.decode import decode, load_params
        from digestkit.readers.prose.network import emissions

        params = load_params()

        def run_model(text: str, marks: list[int]) -> object:
            return decode(text, emissions(text, marks), marks, params)
    except ImportError:  # a --ref before issue 24: the linear boundary model
        from digestkit.readers.prose.boundary import (  # type: ignore[import-not-found]
            segment as run_model,
        )
    size = sum(len(r["source"].encode()) for r in rows)

    def model() -> None:
        for r in rows:
            if r["text"] is None:
                segment_runon(r["line"])
            else:
                run_model(r["text"], r["marks"])

    def reader() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for r in rows:
                digestkit.loads(r["source"], "prose")

    out: dict[str, Any] = {"bytes": size, "cases": len(rows), "code": digestkit.__file__}
    for name, fn in (("model", model), ("reader", reader)):
        fn()  # warm-up: the model is read, caches filled
        times, walls = [], []
        for _ in range(repeat):
            t0, w0 = time.process_time(), time.perf_counter()
            fn()
            times.append(time.process_time() - t0)
            walls.append(time.perf_counter() - w0)
        out[name] = times
        out[f"{name}_wall"] = walls
    return out


def _cases_for_test_split(corpus: Path, dest: Path) -> None:
    from benchmarks.prose_cases import cases
    from benchmarks.prose_corpus import load_corpus

    rows = [{"name": c.name, "split": d.split, "source": c.source, "text": c.text,
             "marks": [a for a, _ in c.headings] if c.marked else []}
            for d in load_corpus(corpus, splits=("test",)) for c in cases(d.doc, d.file)]  # fmt: skip
    dest.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")


def _run(
    src: Path, cases: Path, big: float, repeat: int, one_thread: bool = True
) -> dict[str, Any]:
    # one core, as the goal is stated: numpy's BLAS would otherwise start a thread per core, and
    # CPU time counts every thread's (spinning included)
    one = {k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    env = dict(os.environ, PYTHONPATH=f"{src}{os.pathsep}{ROOT}")
    if one_thread:
        env.update(one)
    else:
        for k in one:
            env.pop(k, None)
    proc = subprocess.run([sys.executable, "-m", "benchmarks.prose_speed", "--measure", str(cases),
                           str(big), str(repeat)], check=True, env=env, cwd=ROOT,
                          capture_output=True, text=True)  # fmt: skip
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def main() -> int:
    argv = sys.argv[1:]
    if argv[:1] == ["--measure"]:
        json.dump(measure(argv[1], float(argv[2]), int(argv[3])), sys.stdout)
        return 0

    def option(name: str, default: str | None) -> str | None:
        if name in argv:
            value = argv.pop(argv.index(name) + 1)
            argv.remove(name)
            return value
        return default

    ref = option("--ref", None)
    rounds = int(option("--rounds", "3") or 3)
    big = float(option("--big", "0") or 0)
    cases_arg = option("--cases", None)
    one_thread = "--default-threads" not in argv
    if not one_thread:
        argv.remove("--default-threads")
    busy = int(option("--busy", "0") or 0)
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(busy)]
    try:
        runs = _rounds(argv, ref, rounds, big, cases_arg, one_thread)
    finally:
        for proc in spinners:
            proc.kill()
            proc.wait()
    report: dict[str, Any] = {"blas_threads": "one" if one_thread else "default", "busy": busy}
    for name, rs in runs.items():
        size = rs[0]["bytes"]
        report[name] = {"bytes": size, "cases": rs[0]["cases"]}
        for part in ("model", "reader"):
            times = [t for r in rs for t in r[part]]
            walls = [t for r in rs for t in r[f"{part}_wall"]]
            report[name][part] = {
                "cpu_s_best": round(min(times), 3),
                "cpu_s_median": round(statistics.median(times), 3),
                "mb_per_s_best": round(size / min(times) / 1e6, 2),
                "mb_per_s_median": round(size / statistics.median(times) / 1e6, 2),
                "wall_s_median": round(statistics.median(walls), 3),
            }
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


def _rounds(argv: list[str], ref: str | None, rounds: int, big: float, cases_arg: str | None,
            one_thread: bool) -> dict[str, list[dict[str, Any]]]:  # fmt: skip
    """Each side's runs, the sides alternating round by round."""
    with tempfile.TemporaryDirectory() as tmp:
        if cases_arg:
            cases = Path(cases_arg)
        else:
            from benchmarks.prose_corpus import corpus_dir

            cases = Path(tmp) / "cases.json"
            _cases_for_test_split(corpus_dir(argv[0] if argv else None), cases)
        sides: dict[str, Path] = {"new": ROOT / "src"}
        if ref:
            from benchmarks.prose_equivalence import _tree

            _tree(ref, Path(tmp) / "ref", keep_model=True)
            sides = {"old": Path(tmp) / "ref" / "src", **sides}
        runs: dict[str, list[dict[str, Any]]] = {k: [] for k in sides}
        for _ in range(rounds):
            for name, src in sides.items():
                runs[name].append(_run(src, cases, big, 1 if big else 2, one_thread))
    return runs


if __name__ == "__main__":
    raise SystemExit(main())
