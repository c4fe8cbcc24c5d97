"""digestkit against pandoc on the same generated archive, in the same run.

Each measurement runs in a fresh child process, timed from outside (wall clock, including start-up)
and its peak memory read from the child's resource usage, so the two tools are measured alike.
pandoc comes from ``pypandoc-binary`` (a dev-only dependency).

pandoc reads the Markdown with ``-f commonmark_x+yaml_metadata_block`` (issue 16): the reader that
reads these digests right and its fastest; its default ``markdown`` reader merges seed 000's lists
into paragraphs and is slower, so its figures are kept only as labelled extras
(``… (pandoc markdown reader)``). ``benchmarks/weekly_epub.py`` measures the weekly EPUB as
alternating pairs, which is what the README quotes.

Workloads (issue 8):
  parse      all files → AST             (pandoc: ``-t json`` of all files)
  epub       archive → weekly EPUB, a fresh cache folder each run (pandoc: all files → one EPUB,
             ``--sandbox``)
  epub-rerun the same after adding one digest, digestkit's cache warm (pandoc: from scratch)
  hugo       archive → Hugo content tree  (pandoc: each file → Markdown)
  pdf        archive → weekly PDF         (pandoc: ``--pdf-engine=weasyprint``; slow: --pdf;
             see ``benchmarks/pdf.py``)
  script     s2twp and t2s conversion of the archive (no pandoc equivalent: digestkit only)

    python -m benchmarks.vs_pandoc [--count 100] [--repeat 3] [--pdf] [--scale 100,500,2000]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.archive import generate

PY = sys.executable
DK = [PY, "-m", "digestkit", "-q"]
#: pandoc's reader for these files (see the module docstring) and its default one
CMX = ["-f", "commonmark_x+yaml_metadata_block"]
MD = ["-f", "markdown"]


def _pandoc() -> str:
    import pypandoc

    return str(pypandoc.get_pandoc_path())


def _measure(cmd: list[str], env: dict[str, str] | None = None) -> float:
    """Wall seconds of one child process (start-up included)."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[:4]} failed: {proc.stderr[-500:]}")
    return elapsed


def _child_peak(cmd: list[str], env: dict[str, str] | None) -> int:
    """ru_maxrss of RUSAGE_CHILDREN is a running maximum; re-run under a wrapper to read this one."""
    code = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True, check=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [PY, "-c", code, *cmd], capture_output=True, text=True, env=env, check=True
    )
    return int(out.stdout.strip())


def _median(
    cmd: list[str], repeat: int, env: dict[str, str] | None = None, setup=None
) -> dict[str, float]:
    times, peaks = [], []
    for _ in range(repeat):
        if setup:
            setup()
        times.append(_measure(cmd, env))
        if setup:
            setup()
        peaks.append(_child_peak(cmd, env))
    return {"seconds": round(statistics.median(times), 3), "peak_mib": round(max(peaks) / 1024, 1)}


def _ratio(pandoc: dict, ours: dict) -> dict:
    return {"time_ratio": round(pandoc["seconds"] / ours["seconds"], 2),
            "memory_ratio": round(pandoc["peak_mib"] / ours["peak_mib"], 2)}  # fmt: skip


def run(count: int = 100, repeat: int = 3, pdf: bool = False, scale: tuple[int, ...] = ()) -> dict:
    pandoc = _pandoc()
    work = Path(tempfile.mkdtemp(prefix="dk-bench-"))
    cache = work / "cache"
    env_cold = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    try:
        arch = work / "arch"
        files = generate(arch, count, only="000")  # pandoc reads Markdown: compare on Markdown
        mixed = work / "mixed"
        generate(mixed, count)
        md = [str(p) for p in files]
        out = work / "out"
        out.mkdir()
        r: dict = {"digests": count, "bytes": sum(p.stat().st_size for p in files), "workloads": {}}

        def clear_cache():
            shutil.rmtree(cache, ignore_errors=True)

        # parse
        ours = _median([PY, "-c", "import sys, digestkit; from digestkit.archive import collect;"
                        f"collect({str(arch)!r}, cache=False)"], repeat)  # fmt: skip
        for label, reader in (("", CMX), (" (pandoc markdown reader)", MD)):
            theirs = _median(
                [pandoc, *reader, "-t", "json", "-o", str(out / "p.json"), *md], repeat
            )
            r["workloads"]["parse" + label] = {"digestkit": ours, "pandoc": theirs,
                                               **_ratio(theirs, ours)}  # fmt: skip
        # weekly EPUB, cold: an empty cache folder each run
        ours = _median([*DK, "weekly", str(arch), "-o", str(out / "w.epub")], repeat,
                       env=env_cold, setup=clear_cache)  # fmt: skip
        for label, reader in (("", CMX), (" (pandoc markdown reader)", MD)):
            theirs = _median([pandoc, "--sandbox", *reader, "-o", str(out / "p.epub"), *md], repeat)
            r["workloads"]["epub" + label] = {"digestkit": ours, "pandoc": theirs,
                                              **_ratio(theirs, ours)}  # fmt: skip
        # re-run after adding one digest: digestkit with a warm cache
        subprocess.run([*DK, "weekly", str(arch), "-o", str(out / "w.epub")], env=env_cold, check=True,
                       capture_output=True)  # fmt: skip
        extra = generate(work / "one", 1, only="000")[0]
        shutil.copy(extra, arch / ("9999-" + extra.name))
        ours = _median([*DK, "weekly", str(arch), "-o", str(out / "w2.epub")], repeat, env=env_cold)
        md2 = [*md, str(arch / ("9999-" + extra.name))]
        theirs = _median([pandoc, "--sandbox", *CMX, "-o", str(out / "p2.epub"), *md2], repeat)
        r["workloads"]["epub-rerun"] = {"digestkit": ours, "pandoc": theirs, **_ratio(theirs, ours)}
        (arch / ("9999-" + extra.name)).unlink()
        # Hugo site
        ours = _median([*DK, "convert", *md, "-o", str(out / "site"), "--to", "hugo"], repeat,
                       setup=lambda: shutil.rmtree(out / "site", ignore_errors=True))  # fmt: skip
        script = "; ".join(
            f"{pandoc} {' '.join(CMX)} -t markdown -o {out}/h{i}.md {p}" for i, p in enumerate(md)
        )
        theirs = _median(["sh", "-c", script], repeat)
        r["workloads"]["hugo"] = {
            "digestkit": ours,
            "pandoc (per-file Markdown)": theirs,
            **_ratio(theirs, ours),
        }
        # script conversion of the mixed archive (parsing included: one process does both)
        for profile in ("s2twp", "t2s"):
            code = ("import warnings; warnings.simplefilter('ignore'); import digestkit;"
                    "from digestkit.archive import collect;"
                    f"[digestkit.convert_script(d.load(), {profile!r}) for d in collect({str(mixed)!r}, cache=False)]")  # fmt: skip
            name = f"script-{profile} (mixed archive, parse included)"
            r["workloads"][name] = {"digestkit": _median([PY, "-c", code], repeat)}
        if pdf:  # its own module: several processes, so memory is measured over the tree
            from benchmarks import pdf as pdf_bench

            r["workloads"]["pdf"] = pdf_bench.run(count, papers=("A5",))
        if scale:
            r["scale (weekly EPUB, cold)"] = {}
            for n in scale:
                d = work / f"s{n}"
                generate(d, n, only="000")
                # cold: an empty cache folder each time (the default mode, which streams chapters)
                fresh = {**os.environ, "XDG_CACHE_HOME": str(work / f"cache-{n}")}
                r["scale (weekly EPUB, cold)"][n] = _median([*DK, "weekly", str(d), "-o", str(out / f"s{n}.epub")],
                                                            1, env=fresh, setup=lambda n=n: shutil.rmtree(work / f"cache-{n}", ignore_errors=True))  # fmt: skip
                shutil.rmtree(d)
        return r
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pdf", action="store_true", help="include the (slow) PDF workload")
    ap.add_argument("--scale", default="", help="comma-separated archive sizes for the scaling run")
    args = ap.parse_args(argv)
    sizes = tuple(int(x) for x in args.scale.split(",") if x)
    json.dump(
        run(args.count, args.repeat, args.pdf, sizes), sys.stdout, indent=2, ensure_ascii=False
    )
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
