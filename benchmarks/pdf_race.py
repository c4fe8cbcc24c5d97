"""Weekly PDF race with pandoc, cold and warm, in alternating pairs (issue 16, points 4 and 5).

An archive of ``count + rounds`` digests is generated from seed ``000`` (distinct dates and text);
the book starts with the first ``count``. Each round, in this order:

1. pandoc makes the PDF from scratch: ``pandoc --sandbox -f commonmark_x+yaml_metadata_block
   --pdf-engine=weasyprint`` (the reader that reads these files right, see ``vs_pandoc``);
2. digestkit makes it cold (``--no-cache``);
3. one more digest is added to the archive and digestkit re-runs with its cache warm (the cache
   was filled by a run before the first round and by every re-run since): the daily re-run.

Every run is a fresh process timed by ``/usr/bin/time -v``: wall seconds and the maximum resident
set size of the largest process (GNU time reports the largest of the process and the children
it waited for), and the CPU seconds (user + system, children included): on a shared machine the
wall time says as much about the neighbours as about the tools. The 1-minute load average is
recorded at each start.

    python -m benchmarks.pdf_race [--count 30] [--rounds 3] [--skip-cold | --skip-rerun]
        [--src BEFORE/src --src AFTER/src]

With ``--src`` (repeatable) each source tree is timed with its own archive and cache, in
alternating order within each round: before/after pairs from one run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.archive import generate

PY = sys.executable


def _timed(cmd: list[str], env: dict[str, str] | None = None, *, cwd: Path) -> dict[str, float]:
    load = float(Path("/proc/loadavg").read_text().split()[0])
    # in the scratch folder: pandoc writes its intermediate HTML into the working directory
    proc = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, env=env,
                          check=False, cwd=cwd)  # fmt: skip
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[:5]} failed: {proc.stderr[-800:]}")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", proc.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    user = re.search(r"User time \(seconds\): (\S+)", proc.stderr)
    system = re.search(r"System time \(seconds\): (\S+)", proc.stderr)
    assert wall and rss and user and system
    seconds = 0.0
    for part in wall.group(1).split(":"):
        seconds = seconds * 60 + float(part)
    return {"seconds": round(seconds, 2), "max_rss_mib": round(int(rss.group(1)) / 1024),
            "cpu_seconds": round(float(user.group(1)) + float(system.group(1)), 2),
            "load": load}  # fmt: skip


def _mb(path: Path) -> float:
    return round(path.stat().st_size / 1e6, 2)


def _summary(rows: list[dict[str, float]]) -> dict[str, Any]:
    return {
        "median_seconds": round(statistics.median(r["seconds"] for r in rows), 2),
        "median_cpu_seconds": round(statistics.median(r["cpu_seconds"] for r in rows), 2),
        "max_rss_mib": max(r["max_rss_mib"] for r in rows),
        "runs": rows,
    }


def run(
    count: int = 30,
    rounds: int = 3,
    cold: bool = True,
    rerun: bool = True,
    srcs: Sequence[str] = (),
) -> dict[str, Any]:
    """The race; ``srcs``: digestkit source trees to time side by side (``PYTHONPATH``; a
    ``git archive`` of a commit's ``src/``, so edits made while it runs cannot leak in), each
    with its own archive and cache, in alternating order; none: the installed digestkit."""
    import pypandoc  # type: ignore[import-untyped]

    pandoc = str(pypandoc.get_pandoc_path())
    weasy = str(Path(PY).parent / "weasyprint")
    trees: list[str | None] = [str(Path(s).resolve()) for s in srcs] or [None]
    labels = ["digestkit"] if trees == [None] else [f"digestkit[{s}]" for s in srcs]
    with tempfile.TemporaryDirectory(prefix="dk-race-") as tmp:
        work = Path(tmp)
        files = generate(work / "all", count + rounds, only="000")
        archs, envs = [], []
        for k, tree in enumerate(trees):
            arch = work / f"arch{k}"
            arch.mkdir()
            for f in files[:count]:
                shutil.copy(f, arch / f.name)
            env = {**os.environ, "XDG_CACHE_HOME": str(work / f"cache{k}")}
            env.pop("PYTHONDONTWRITEBYTECODE", None)  # as a user's machine: byte code kept
            if tree:
                env["PYTHONPATH"] = tree
            archs.append(arch)
            envs.append(env)
        dk = [PY, "-m", "digestkit", "-q", "weekly"]
        if rerun:
            for arch, env in zip(archs, envs, strict=True):  # fill the cache
                _timed([*dk, str(arch), "-o", str(work / "prime.pdf")], env, cwd=work)
        runs: dict[str, list[dict[str, float]]] = {"pandoc": []}
        for label in labels:
            runs[f"{label} cold"] = []
            runs[f"{label} re-run"] = []
        for r in range(rounds):
            names = sorted(str(p) for p in archs[0].iterdir())[: count + r]
            runs["pandoc"].append(_timed([pandoc, "--sandbox", "-f", "commonmark_x+yaml_metadata_block",
                                          f"--pdf-engine={weasy}", "-o", str(work / "p.pdf"),
                                          *names], cwd=work))  # fmt: skip
            order = list(range(len(trees)))
            if r % 2:
                order.reverse()
            if cold:
                for k in order:
                    runs[f"{labels[k]} cold"].append(_timed(
                        [*dk, str(archs[k]), "-o", str(work / "c.pdf"), "--no-cache"], envs[k],
                        cwd=work))  # fmt: skip
                    runs[f"{labels[k]} cold"][-1]["pdf_mb"] = _mb(work / "c.pdf")
            if rerun:
                new = files[count + r]
                for k in order:
                    shutil.copy(new, archs[k] / new.name)
                    runs[f"{labels[k]} re-run"].append(
                        _timed([*dk, str(archs[k]), "-o", str(work / "w.pdf")], envs[k], cwd=work)
                    )
                    # the file carries one font subset per group: its size shows the grouping
                    runs[f"{labels[k]} re-run"][-1]["pdf_mb"] = _mb(work / "w.pdf")
        out: dict[str, Any] = {"digests": count, "rounds": rounds, "cpus": os.cpu_count()}
        out.update({name: _summary(rows) for name, rows in runs.items() if rows})
        ref = out["pandoc"]
        for name in runs:
            if name != "pandoc" and name in out:
                mine = out[name]
                mine["time_vs_pandoc"] = round(mine["median_seconds"] / ref["median_seconds"], 3)
                mine["cpu_vs_pandoc"] = round(
                    mine["median_cpu_seconds"] / ref["median_cpu_seconds"], 3
                )
                mine["memory_vs_pandoc"] = round(mine["max_rss_mib"] / ref["max_rss_mib"], 2)
        return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--count", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--skip-cold", action="store_true", help="time only pandoc and the re-run")
    ap.add_argument("--skip-rerun", action="store_true", help="time only pandoc and cold")
    ap.add_argument("--src", action="append", default=[],
                    help="digestkit source tree to time (PYTHONPATH; repeatable: side by side)")  # fmt: skip
    args = ap.parse_args(argv)
    json.dump(run(args.count, args.rounds, not args.skip_cold, not args.skip_rerun, args.src),
              sys.stdout, indent=2)  # fmt: skip
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
