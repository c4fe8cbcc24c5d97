"""Time per stage for 1k…64k ``## 標題`` sections, repeated and distinct headings side by side.

``python -m benchmarks.scaling [--sizes 1000,4000,16000,64000] [--stages read,markdown,…]``

Issue 25: 16,000 identical headings took 18.8 s to become an EPUB (8,000: 4.9 s; Markdown out:
0.9 s) — every repeat searched ``標題-1``, ``標題-2`` … for a free id. Each size runs the repeated
document and the distinct one alternately, so the machine's load falls on both alike; the
``x4`` columns are the time against the previous size's (linear: about 4). The stages are those
without PDF layout: reading Markdown, writing Markdown, JSON, the HTML page and the EPUB (ids,
contents, links), and the weekly job end to end (one archive file, no cache, one process).
``tests/test_scaling.py`` checks the same by counting executed lines. Figures go to
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import digestkit


def source(n: int, repeated: bool) -> str:
    return "".join(f"## 標題{'' if repeated else i}\n\n段落{i}。\n\n" for i in range(n))


def _weekly(text: str, out: Path) -> None:
    archive = out / "archive"
    shutil.rmtree(archive, ignore_errors=True)
    archive.mkdir()
    (archive / "2026-02-23.md").write_text(
        "---\ntitle: 週報\ndate: 2026-02-23\n---\n" + text, encoding="utf-8"
    )
    digestkit.weekly(archive, out / "w.epub", cache=False, jobs=1)


STAGES: dict[str, Callable[[str, Path], Any]] = {
    "read": lambda text, out: digestkit.loads(text, "markdown"),
    "markdown": lambda text, out: digestkit.dumps(digestkit.loads(text, "markdown")),
    "json": lambda text, out: digestkit.dumps(digestkit.loads(text, "markdown"), "json"),
    "html": lambda text, out: digestkit.dump(digestkit.loads(text, "markdown"), out / "b.html"),
    "epub": lambda text, out: digestkit.dump(digestkit.loads(text, "markdown"), out / "b.epub"),
    "weekly-epub": _weekly,
}


def _seconds(stage: str, text: str, out: Path) -> float:
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        STAGES[stage](text, out)
    return time.perf_counter() - start


def run(sizes: tuple[int, ...] = (1000, 4000, 16000, 64000), stages: tuple[str, ...] = tuple(STAGES)) -> dict[str, Any]:  # fmt: skip
    report: dict[str, Any] = {"sizes": list(sizes), "stages": {}}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        STAGES["epub"](source(10, True), out)  # imports and font discovery out of the timings
        for stage in stages:
            rows = []
            for n in sizes:
                rep_text, dist_text = source(n, True), source(n, False)
                rep = _seconds(stage, rep_text, out)
                dist = _seconds(stage, dist_text, out)
                rows.append({"n": n, "repeated": round(rep, 3), "distinct": round(dist, 3)})
            for prev, row in itertools.pairwise(rows):
                for kind in ("repeated", "distinct"):
                    row[f"{kind}_x"] = round(row[kind] / max(prev[kind], 1e-9), 2)
            report["stages"][stage] = rows
    return report


def _table(report: dict[str, Any]) -> str:
    lines = [
        "| stage | headings | repeated s | ×prev | distinct s | ×prev |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for stage, rows in report["stages"].items():
        for r in rows:
            lines.append(
                f"| {stage} | {r['n']:,} | {r['repeated']:.2f} | {r.get('repeated_x', '')} | "
                f"{r['distinct']:.2f} | {r.get('distinct_x', '')} |"
            )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--sizes", default="1000,4000,16000,64000")
    ap.add_argument("--stages", default=",".join(STAGES))
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table, not JSON")
    args = ap.parse_args(argv)
    report = run(tuple(int(s) for s in args.sizes.split(",")), tuple(args.stages.split(",")))
    if args.markdown:
        print(_table(report))
    else:
        json.dump(report, sys.stdout, indent=2)
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
