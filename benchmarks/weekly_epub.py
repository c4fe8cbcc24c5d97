"""The weekly EPUB against pandoc, cold and warm, as alternating pairs in one run (issue 16).

Timings on a shared 2-core machine are noisy, so every figure here is a *pair*: digestkit and
pandoc (or two digestkit sources) run one right after the other, the order alternating, and the
ratio of each pair is kept; the report gives the median time of each side and the median of the
pair ratios. Each run is a fresh child process timed from outside (start-up included).

pandoc reads the same Markdown files with ``-f commonmark_x+yaml_metadata_block --sandbox`` — the
reader that reads them right (its default ``markdown`` reader merges seed 000's lists into
paragraphs); the default reader's figure is kept, labelled, with ``--markdown-reader``.

  cold   fresh cache folder, ``digestkit weekly ARCHIVE -o w.epub`` (default jobs) vs pandoc
  warm   after a cold build, each repetition adds one new digest and re-runs (pandoc: from scratch)

  With several ``--src`` (e.g. a ``git archive`` of main's ``src/`` and this tree's), cold and
  warm run every source tree and pandoc in each repetition (the order reversed every other
  time), so the before/after figures come from the same run; the report gives each side
  against pandoc and the first side against the last.
  rerun  issue 12's measurement: for each source tree (``--src``), a fresh archive of ``count``
         digests, a cold build with ``--jobs 2``, then digest ``count+1`` added and the re-run timed

    python -m benchmarks.weekly_epub [--count 100] [--repeat 9] [--workload cold,warm]
        [--markdown-reader] [--src /work/wt/baseline/src --src src]

Set nothing else: ``PYTHONDONTWRITEBYTECODE`` is removed for the children (with it every run
recompiles every module, which is not what a user's installed digestkit does).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.archive import generate

PY = sys.executable
COMMONMARK_X = ["-f", "commonmark_x+yaml_metadata_block", "--sandbox"]
MARKDOWN = ["-f", "markdown", "--sandbox"]


def _pandoc() -> str:
    import pypandoc

    return str(pypandoc.get_pandoc_path())


def _env(cache: Path, src: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["XDG_CACHE_HOME"] = str(cache)
    if src:
        env["PYTHONPATH"] = src
    return env


#: CPU seconds (user + system, the process and its children) of every run, by the run's wall
#: time: on a loaded machine the CPU time is the steadier figure, so both are reported
CPU: dict[float, float] = {}


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _time(cmd: list[str], env: dict[str, str] | None = None) -> float:
    """Wall seconds of one child process (start-up included); its CPU seconds go to ``CPU``."""
    cpu = _cpu()
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[:5]} failed: {proc.stderr.decode()[-500:]}")
    CPU[elapsed] = _cpu() - cpu
    return elapsed


def _summary(ours: list[float], theirs: list[float], label: str) -> dict[str, object]:
    ratios = [t / o for o, t in zip(ours, theirs, strict=True)]
    cpu_ours, cpu_theirs = [CPU[x] for x in ours], [CPU[x] for x in theirs]
    cpu_ratios = [t / o for o, t in zip(cpu_ours, cpu_theirs, strict=True)]
    return {
        "digestkit_cpu_median_s": round(statistics.median(cpu_ours), 3),
        f"{label}_cpu_median_s": round(statistics.median(cpu_theirs), 3),
        "median_pair_cpu_ratio": round(statistics.median(cpu_ratios), 2),
        "digestkit_median_s": round(statistics.median(ours), 3),
        f"{label}_median_s": round(statistics.median(theirs), 3),
        "median_pair_ratio": round(statistics.median(ratios), 2),
        "pairs": len(ratios),
        "digestkit_s": [round(x, 3) for x in ours],
        f"{label}_s": [round(x, 3) for x in theirs],
    }


def _sides(srcs: list[str | None]) -> list[str]:
    """The name of each digestkit side of the race: ``dk`` alone, else ``dk:<src>``."""
    return ["dk"] if srcs == [None] else [f"dk:{s}" for s in srcs]


def _race(
    ours: dict[str, list[float]], theirs: list[float], srcs: list[str | None]
) -> dict[str, object]:
    """Each digestkit side against pandoc (same repetitions), and the first side against the
    last when there are two or more (``before / after`` ratios, wall and CPU)."""
    out: dict[str, object] = {}
    sides = _sides(srcs)
    for side in sides:
        out[side] = _summary(ours[side], theirs, "pandoc")
    if len(sides) > 1:
        a, b = ours[sides[0]], ours[sides[-1]]
        out[f"median ratio {sides[0]} / {sides[-1]}"] = round(
            statistics.median(x / y for x, y in zip(a, b, strict=True)), 3
        )
        out[f"median cpu ratio {sides[0]} / {sides[-1]}"] = round(
            statistics.median(CPU[x] / CPU[y] for x, y in zip(a, b, strict=True)), 3
        )
    return out


def cold(
    work: Path, count: int, repeat: int, reader: list[str], srcs: list[str | None]
) -> dict[str, object]:
    """Fresh cache each run; every digestkit source tree and pandoc once per repetition, the
    order reversed on every other repetition."""
    arch = work / "cold"
    files = [str(p) for p in generate(arch, count, only="000")]
    pandoc = [_pandoc(), *reader, "-o", str(work / "p.epub"), *files]
    sides = _sides(srcs)
    ours: dict[str, list[float]] = {side: [] for side in sides}
    theirs: list[float] = []
    for k in range(repeat):
        steps: list[tuple[str, str | None]] = [("pandoc", None), *zip(sides, srcs, strict=True)]
        for name, src in steps if k % 2 == 0 else steps[::-1]:
            cache = work / f"cache-cold-{k}-{name.replace('/', '_')}"
            dk = [PY, "-m", "digestkit", "-q", "weekly", str(arch), "-o", str(work / "w.epub")]
            if name == "pandoc":
                theirs.append(_time(pandoc, _env(cache)))
            else:
                ours[name].append(_time(dk, _env(cache, src)))
            shutil.rmtree(cache, ignore_errors=True)
    return _race(ours, theirs, srcs)


def warm(
    work: Path, count: int, repeat: int, reader: list[str], srcs: list[str | None]
) -> dict[str, object]:
    """After one cold build per source tree (its own archive copy and cache), each repetition
    adds the same new digest to every copy and re-runs each; pandoc builds from scratch."""
    pool = generate(work / "pool", count + repeat, only="000")
    sides = _sides(srcs)
    archs = {side: work / f"warm-{i}" for i, side in enumerate(sides)}

    def dk(side: str) -> list[str]:
        return [PY, "-m", "digestkit", "-q", "weekly", str(archs[side]), "-o",
                str(work / f"w-{sides.index(side)}.epub")]  # fmt: skip

    for side, src in zip(sides, srcs, strict=True):
        archs[side].mkdir()
        for p in pool[:count]:
            shutil.copy(p, archs[side])
        _time(dk(side), _env(work / f"cache-warm-{side.replace('/', '_')}", src))  # fills it
    ours: dict[str, list[float]] = {side: [] for side in sides}
    theirs: list[float] = []
    for k in range(repeat):
        for side in sides:
            shutil.copy(pool[count + k], archs[side])  # one new digest
        files = sorted(str(p) for p in archs[sides[0]].iterdir())
        pandoc = [_pandoc(), *reader, "-o", str(work / "p.epub"), *files]
        steps: list[tuple[str, str | None]] = [("pandoc", None), *zip(sides, srcs, strict=True)]
        for name, src in steps if k % 2 == 0 else steps[::-1]:
            if name == "pandoc":
                theirs.append(_time(pandoc, _env(work / "cache-pandoc")))
            else:
                cache = work / f"cache-warm-{name.replace('/', '_')}"
                ours[name].append(_time(dk(name), _env(cache, src)))
    return _race(ours, theirs, srcs)


def rerun(work: Path, count: int, repeat: int, srcs: list[str]) -> dict[str, object]:
    """Issue 12: each source tree's re-run after adding digest ``count+1`` to a cold-built archive."""
    pool = generate(work / "pool12", count + 1, only="000")
    times: dict[str, list[float]] = {s: [] for s in srcs}
    for k in range(repeat):
        for src in srcs if k % 2 == 0 else srcs[::-1]:
            arch = work / f"a12-{k}-{srcs.index(src)}"
            arch.mkdir()
            for p in pool[:count]:
                shutil.copy(p, arch)
            cache = work / f"c12-{k}-{srcs.index(src)}"
            dk = [PY, "-m", "digestkit", "-q", "weekly", str(arch), "-o", str(work / "w12.epub"),
                  "--jobs", "2"]  # fmt: skip
            _time(dk, _env(cache, src))
            shutil.copy(pool[count], arch)
            times[src].append(_time(dk, _env(cache, src)))
            shutil.rmtree(arch)
            shutil.rmtree(cache, ignore_errors=True)
    first, second = srcs[0], srcs[-1]
    ratios = [a / b for a, b in zip(times[first], times[second], strict=True)]
    cpu_ratios = [CPU[a] / CPU[b] for a, b in zip(times[first], times[second], strict=True)]
    return {
        **{
            f"{s} cpu_median_s": round(statistics.median([CPU[x] for x in v]), 3)
            for s, v in times.items()
        },
        f"median cpu ratio {first} / {second}": round(statistics.median(cpu_ratios), 3),
        **{f"{s} median_s": round(statistics.median(v), 3) for s, v in times.items()},
        f"median ratio {first} / {second}": round(statistics.median(ratios), 3),
        **{f"{s} s": [round(x, 3) for x in v] for s, v in times.items()},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("--workload", default="cold,warm")
    ap.add_argument("--markdown-reader", action="store_true",
                    help="pandoc with its default markdown reader instead of commonmark_x")  # fmt: skip
    ap.add_argument("--src", action="append", default=[],
                    help="source trees to compare in the rerun workload (PYTHONPATH)")  # fmt: skip
    args = ap.parse_args(argv)
    reader = MARKDOWN if args.markdown_reader else COMMONMARK_X
    work = Path(tempfile.mkdtemp(prefix="dk-weekly-"))
    out: dict[str, object] = {"digests": args.count, "pandoc_reader": " ".join(reader)}
    # cold and warm race every --src (else the installed digestkit) against the same pandoc runs
    every: list[str | None] = [str(Path(s).resolve()) for s in args.src] or [None]
    try:
        for name in args.workload.split(","):
            if name == "cold":
                out["cold"] = cold(work, args.count, args.repeat, reader, every)
            elif name == "warm":
                out["warm"] = warm(work, args.count, args.repeat, reader, every)
            elif name == "rerun":
                srcs = [str(Path(s).resolve()) for s in args.src] or [str(Path("src").resolve())]
                out["rerun"] = rerun(work, args.count, args.repeat, srcs)
            else:
                ap.error(f"unknown workload {name!r}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    json.dump(out, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
