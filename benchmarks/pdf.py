"""Weekly PDF of a 100-digest archive: digestkit against ``pandoc --pdf-engine=weasyprint``.

Same files (100 dated copies of seed ``000``, the issue's workload), same run, each tool in a
fresh child process. Memory is measured two ways, for both tools alike:

* ``peak_tree_mib``: the highest *sum* over the whole process tree of each process's PSS
  (proportional set size: pages shared after a fork are split between the sharers, not counted
  twice), sampled every 250 ms — what the machine must have free. digestkit lays out in several
  processes; pandoc runs pandoc + WeasyPrint;
* ``peak_process_mib``: the largest single process (``ru_maxrss``), the older measure.

    python -m benchmarks.pdf [--count 100] [--jobs N] [--paper A5]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.archive import generate

PY = sys.executable


def _pss(pid: int) -> int:
    try:
        with Path(f"/proc/{pid}/smaps_rollup").open(encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text(encoding="ascii", errors="replace")
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, stack = [], [root]
    while stack:
        pid = stack.pop()
        out.append(pid)
        stack.extend(children.get(pid, []))
    return out


def measure(cmd: list[str]) -> dict[str, Any]:
    """Wall seconds, peak process-tree PSS and largest process of one run of ``cmd``."""
    code = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True, check=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    start = time.perf_counter()
    proc = subprocess.Popen([PY, "-c", code, *cmd], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, sum(_pss(p) for p in _tree(proc.pid)))
        time.sleep(0.25)
    seconds = time.perf_counter() - start
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[:4]} failed: {err.decode()[-500:]}")
    return {
        "seconds": round(seconds, 1),
        "peak_tree_mib": round(peak / 2**20),
        "peak_process_mib": round(int(out.decode().split()[-1]) / 1024),
    }


def _pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    match = re.search(r"Pages:\s+(\d+)", info.stdout)
    return int(match.group(1)) if match else 0


def run(
    count: int = 100, jobs: int | None = None, papers: tuple[str, ...] = ("A5", "A4")
) -> dict[str, Any]:
    import pypandoc

    pandoc = str(pypandoc.get_pandoc_path())
    weasy = str(Path(PY).parent / "weasyprint")
    with tempfile.TemporaryDirectory(prefix="dk-pdf-") as tmp:
        work = Path(tmp)
        files = generate(work / "arch", count, only="000")
        result: dict[str, Any] = {"digests": count, "cpus": os.cpu_count(), "runs": {}}
        for paper in papers:
            out = work / f"dk-{paper}.pdf"
            cmd = [PY, "-m", "digestkit", "-q", "weekly", str(work / "arch"), "-o", str(out),
                   "--no-cache", "--paper", paper]  # fmt: skip
            if jobs:
                cmd += ["--jobs", str(jobs)]
            row = measure(cmd)
            row["pages"] = _pages(out)
            result["runs"][f"digestkit {paper}" + (f" --jobs {jobs}" if jobs else "")] = row
        out = work / "pandoc.pdf"
        row = measure([pandoc, "--sandbox", "-f", "markdown", f"--pdf-engine={weasy}", "-o",
                       str(out), *map(str, files)])  # fmt: skip
        row["pages"] = _pages(out)
        result["runs"]["pandoc + WeasyPrint"] = row
        ref = result["runs"]["pandoc + WeasyPrint"]
        for name, r in result["runs"].items():
            if name.startswith("digestkit"):
                r["time_vs_pandoc"] = round(r["seconds"] / ref["seconds"], 2)
                r["tree_memory_vs_pandoc"] = round(r["peak_tree_mib"] / ref["peak_tree_mib"], 2)
        return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--jobs", type=int, default=None, help="digestkit --jobs (default: CPU count)")
    ap.add_argument("--paper", action="append", help="paper(s) for digestkit (default A5 and A4)")
    args = ap.parse_args(argv)
    papers = tuple(args.paper) if args.paper else ("A5", "A4")
    json.dump(run(args.count, args.jobs, papers), sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
