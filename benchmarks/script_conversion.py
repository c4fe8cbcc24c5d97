"""Script conversion throughput: digestkit on a whole archive's ASTs vs raw OpenCC on the same text.

"The same text" is exactly the text digestkit converts (every run of every document), handed to
one OpenCC converter as one string per document, which is the fastest raw OpenCC can do it.
Goal (issue 5): digestkit at >= 50% of raw throughput.

The two are timed in alternation (raw, digestkit, raw, digestkit …) and the ratio is taken per
pair, so a noisy shared machine slows both sides of a pair alike. Two ways of using the result:

* ``streamed``: each converted document is handed on and dropped, as the weekly job and
  ``digestkit convert`` do (convert, render, forget);
* ``kept``: all converted documents are kept in one list. The ~100 k new tree nodes then make
  CPython's cyclic garbage collector scan the whole live heap (a cost raw OpenCC, which makes
  only strings, never pays); ``gc_share`` says how much of digestkit's time that was.

    python -m benchmarks.script_conversion [--copies 60] [--repeat 7]
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

import opencc

import digestkit
from benchmarks.common import seeds
from digestkit.ast import Document
from digestkit.transforms._runs import map_document_text


def run(copies: int = 60, repeat: int = 7) -> dict[str, Any]:
    """Both directions on the mixed archive, and t2s/tw2sp on its Traditional (s2twp) version."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # seed 003's duplicate-article note
        archive = [digestkit.load(p) for p in seeds()] * copies
    traditional = [digestkit.convert_script(d, "s2twp") for d in archive]
    return {
        "mixed archive": _measure(archive, ("s2twp", "t2s"), repeat),
        "traditional archive": _measure(traditional, ("t2s", "tw2sp"), repeat),
    }


def convertible_text(doc: Document) -> str:
    """Exactly the runs digestkit hands to OpenCC for ``doc``, one string."""
    runs: list[str] = []

    def grab(batch: list[str]) -> list[str]:
        runs.extend(batch)
        return batch

    map_document_text(doc, grab)
    return "\n".join(runs)


class _GcClock:
    """Wall time spent inside CPython's cyclic garbage collector while installed."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._start


def _timed(fn: Callable[[], Any]) -> tuple[float, float]:
    clock = _GcClock()
    gc.callbacks.append(clock)
    try:
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start, clock.seconds
    finally:
        gc.callbacks.remove(clock)


def _measure(docs: list[Document], profiles: tuple[str, ...], repeat: int) -> dict[str, Any]:
    texts = [convertible_text(d) for d in docs]
    chars = sum(len(t) for t in texts)
    results: dict[str, Any] = {"documents": len(docs), "characters": chars, "profiles": {}}
    for profile in profiles:
        conv = opencc.OpenCC(f"{profile}.json")

        def raw(conv: opencc.OpenCC = conv) -> None:
            for t in texts:
                conv.convert(t)

        def streamed(p: str = profile) -> None:
            for d in docs:
                digestkit.convert_script(d, p)

        def kept(p: str = profile) -> list[Document]:
            return [digestkit.convert_script(d, p) for d in docs]

        raw(), streamed(), kept()  # warm-up: converters built, caches filled
        row: dict[str, Any] = {}
        for mode, ours in (("streamed", streamed), ("kept", kept)):
            raw_s, ours_s, ratios, gc_s = [], [], [], []
            for _ in range(repeat):
                r, _gc = _timed(raw)
                o, g = _timed(ours)
                raw_s.append(r)
                ours_s.append(o)
                gc_s.append(g)
                ratios.append(r / o)
            raw_med, ours_med = statistics.median(raw_s), statistics.median(ours_s)
            row[mode] = {
                "raw_opencc_s": round(raw_med, 4),
                "digestkit_s": round(ours_med, 4),
                "raw_chars_per_s": round(chars / raw_med),
                "digestkit_chars_per_s": round(chars / ours_med),
                "ratio": round(statistics.median(ratios), 3),
                "ratio_range": [round(min(ratios), 3), round(max(ratios), 3)],
                "gc_share": round(
                    statistics.median(g / o for g, o in zip(gc_s, ours_s, strict=True)), 3
                ),
            }
        results["profiles"][profile] = row
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--copies", type=int, default=60, help="copies of the five seeds")
    ap.add_argument("--repeat", type=int, default=7, help="timed pairs per measurement")
    args = ap.parse_args(argv)
    json.dump(run(args.copies, args.repeat), sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
