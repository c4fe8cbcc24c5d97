"""Small timing helpers shared by the benchmarks: medians over repetitions, no timed asserts."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def median_seconds(fn: Callable[[], Any], repeat: int = 5, warmup: int = 1) -> float:
    """Median wall time of ``fn()`` over ``repeat`` runs after ``warmup`` untimed runs."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def seeds() -> list[Path]:
    return sorted(FIXTURES.glob("[0-9][0-9][0-9]_*.txt"))


def emit_json(obj: object, path: Path, write: bool) -> None:
    """Print ``obj`` as indented JSON (non-ASCII kept) and, with ``write``, store the same text
    at ``path``: the calibration and fitting scripts' output, shown and optionally shipped."""
    import json

    text = json.dumps(obj, indent=1, ensure_ascii=False) + "\n"
    if write:
        path.write_text(text, encoding="utf-8")
    print(text)
