"""Weekly re-runs after any change against pandoc from scratch, as alternating pairs (issue 26).

An archive of ``count`` digests (seed ``000``, distinct dates and text) is built once with the
cache on (the cache is then warm). Each round then makes four changes, one after the other, and
after each re-runs digestkit (cache warm) and pandoc (from scratch, on the archive as it now
is), the order of the pair alternating:

  insert  a digest dated before all others (it lands before every chapter)
  edit    a sentence added to the digest in the middle
  remove  a digest in the middle deleted
  append  a digest dated after all others (the daily case)

pandoc, in its fastest correct configuration (``benchmarks/vs_pandoc.py``): ``--sandbox -f
commonmark_x+yaml_metadata_block`` and ``--pdf-engine=weasyprint`` (PDF), nothing more (EPUB),
``-s --toc`` (the HTML page: standalone, with a contents list as digestkit's page has). Each run
is a fresh child process timed from outside (start-up included); its CPU seconds (user + system,
children included) are kept too: on a shared machine they are the steadier figure. The report
gives, per format and change, the median of each side and the median of the pair ratios.

    python -m benchmarks.weekly_changes [--count 30] [--repeat 2] [--formats pdf,epub,html]
        [--changes insert,edit,remove,append] [--src BEFORE/src --src AFTER/src]

With several ``--src``, each tree races the same pandoc runs (its own archive copy and cache,
the same changes), the order of all sides rotating; ``speedup_vs_first`` is the median of the
first tree's time over each other's, change by change.
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
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.archive import generate

PY = sys.executable
READER = ["--sandbox", "-f", "commonmark_x+yaml_metadata_block"]
CHANGES = ("insert", "edit", "remove", "append")


def _pandoc_cmd(fmt: str, out: Path, files: Sequence[str]) -> list[str]:
    import pypandoc

    pandoc = str(pypandoc.get_pandoc_path())
    extra = {"pdf": [f"--pdf-engine={Path(PY).parent / 'weasyprint'}"], "epub": [],
             "html": ["-s", "--toc"]}[fmt]  # fmt: skip
    return [pandoc, *READER, *extra, "-o", str(out), *files]


def _time(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one child process."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, env=env, cwd=cwd, check=False)
    wall = time.perf_counter() - start
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[:5]} failed: {proc.stderr.decode()[-800:]}")
    cpu = (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)
    return wall, cpu


def _change(kind: str, arch: Path, pool: list[Path], count: int, repeat: int, r: int) -> None:
    present = sorted(arch.iterdir())
    if kind == "insert":  # the pool's digests before the archive's first are dated earlier
        new = pool[repeat - 1 - r]
        shutil.copy(new, arch / new.name)
    elif kind == "append":
        new = pool[repeat + count + r]
        shutil.copy(new, arch / new.name)
    elif kind == "edit":
        middle = present[len(present) // 2]
        text = middle.read_text(encoding="utf-8")
        middle.write_text(text + f"\n\n第{r + 1}次修订：补上一句。\n", encoding="utf-8")
    elif kind == "remove":
        present[len(present) // 2 + 1].unlink()
    else:
        raise ValueError(kind)


def _side_names(srcs: Sequence[str | None]) -> list[str]:
    """The name of each digestkit side of the race: ``dk`` alone, else ``dk:<src>``."""
    return ["dk"] if list(srcs) == [None] else [f"dk:{s}" for s in srcs]


def run(
    count: int,
    repeat: int,
    formats: Sequence[str],
    changes: Sequence[str],
    srcs: Sequence[str | None] = (None,),
) -> dict[str, Any]:
    """The race; with several ``srcs`` (source trees put first on ``PYTHONPATH``), each tree has
    its own archive and cache, every change is made to each, and all race the same pandoc run,
    the order of the sides rotating — before and after a change from one run."""
    out: dict[str, Any] = {"digests": count, "repeat": repeat, "cpus": os.cpu_count()}
    sides = _side_names(srcs)
    with tempfile.TemporaryDirectory(prefix="dk-changes-") as tmp:
        work = Path(tmp)
        pool = generate(work / "pool", count + 2 * repeat, only="000")
        for fmt in formats:
            archs: dict[str, Path] = {}
            cmds: dict[str, tuple[list[str], dict[str, str]]] = {}
            load = [float(Path("/proc/loadavg").read_text().split()[0])]
            colds: dict[str, float] = {}
            for n, (side, src) in enumerate(zip(sides, srcs, strict=True)):
                arch = archs[side] = work / f"arch-{fmt}-{n}"
                arch.mkdir()
                for p in pool[repeat : repeat + count]:
                    shutil.copy(p, arch / p.name)
                env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
                env["XDG_CACHE_HOME"] = str(work / f"cache-{fmt}-{n}")
                if src:
                    env["PYTHONPATH"] = src
                dk = [PY, "-m", "digestkit", "-q", "weekly", str(arch), "-o",
                      str(work / f"w{n}.{fmt}")]  # fmt: skip
                cmds[side] = (dk, env)
                colds[side] = _time(dk, env, work)[0]  # fills the cache
            pandoc_env = cmds[sides[0]][1]
            names = [*sides, "pandoc"]
            rows: dict[str, dict[str, list[float]]] = {
                c: {k: [] for n in names for k in (n, f"{n}_cpu")} for c in changes
            }
            turn = 0
            for r in range(repeat):
                for kind in changes:
                    for side in sides:
                        _change(kind, archs[side], pool, count, repeat, r)
                    files = sorted(str(p) for p in archs[sides[0]].iterdir())
                    theirs = _pandoc_cmd(fmt, work / f"p.{fmt}", files)
                    steps = [*((s, *cmds[s]) for s in sides), ("pandoc", theirs, pandoc_env)]
                    k = turn % len(steps)
                    turn += 1
                    for side, cmd, env in steps[k:] + steps[:k]:
                        wall, cpu = _time(cmd, env, work)
                        rows[kind][side].append(wall)
                        rows[kind][f"{side}_cpu"].append(cpu)
                    load.append(float(Path("/proc/loadavg").read_text().split()[0]))
            result: dict[str, Any] = {"cold_with_cache_s": {s: round(t, 2) for s, t in colds.items()},
                                      "load": [min(load), max(load)]}  # fmt: skip
            for kind, row in rows.items():
                entry: dict[str, Any] = {
                    "pandoc_median_s": round(statistics.median(row["pandoc"]), 3),
                    "pandoc_s": [round(x, 2) for x in row["pandoc"]],
                }
                for side in sides:
                    ratios = [t / o for o, t in zip(row[side], row["pandoc"], strict=True)]
                    cpu = [
                        t / o for o, t in zip(row[f"{side}_cpu"], row["pandoc_cpu"], strict=True)
                    ]
                    entry[side] = {
                        "median_s": round(statistics.median(row[side]), 3),
                        "median_cpu_s": round(statistics.median(row[f"{side}_cpu"]), 3),
                        "median_pair_ratio": round(statistics.median(ratios), 1),
                        "median_pair_cpu_ratio": round(statistics.median(cpu), 1),
                        "s": [round(x, 2) for x in row[side]],
                    }
                if len(sides) > 1:  # before / after: the first tree's time over each other's
                    entry["speedup_vs_first"] = {
                        side: round(statistics.median(
                            a / b for a, b in zip(row[sides[0]], row[side], strict=True)), 2)
                        for side in sides[1:]
                    }  # fmt: skip
                result[kind] = entry
            if fmt == "pdf":
                result["pdf_mb"] = round((work / "w0.pdf").stat().st_size / 1e6, 2)
            out[fmt] = result
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--count", type=int, default=30)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--formats", default="pdf,epub,html")
    ap.add_argument("--changes", default=",".join(CHANGES))
    ap.add_argument(
        "--src",
        action="append",
        default=None,
        help="a source tree to race (repeat: before and after, same run)",
    )
    args = ap.parse_args(argv)
    changes = args.changes.split(",")
    if any(c not in CHANGES for c in changes):
        ap.error(f"--changes: choose from {', '.join(CHANGES)}")
    result = run(args.count, args.repeat, args.formats.split(","), changes, args.src or [None])
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
