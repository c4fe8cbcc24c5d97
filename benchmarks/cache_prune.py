"""What keeping the cache under its cap costs: ``python -m benchmarks.cache_prune [--entries N,…]``.

For each size, a cache of N entries of 14 KiB (the mean entry of a 100-digest archive's weekly
EPUB) is written to a temporary folder; then the median time of a forced measure
(``prune(force=True)``: one ``stat`` per entry) and of the measure a re-run within the hour pays
(``prune()``: one small file read). Nothing is over the cap, so nothing is deleted: this is the
price every weekly run pays, not the rare prune itself.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from benchmarks.common import median_seconds
from digestkit.cache import DocumentCache, prune

__all__ = ["run"]


def run(entries: tuple[int, ...] = (300, 3000, 30000)) -> dict[str, dict[str, float]]:
    out = {}
    for n in entries:
        with tempfile.TemporaryDirectory() as tmp:
            store = DocumentCache(Path(tmp))
            blob = os.urandom(14 * 1024)
            for i in range(n):
                store.put(f"entry:{i}", blob)
            forced = median_seconds(lambda r=store.root: prune(r, force=True), repeat=5)
            prune(store.root, force=True)
            again = median_seconds(lambda r=store.root: prune(r), repeat=5)
            out[str(n)] = {"forced_ms": round(forced * 1000, 2), "rerun_ms": round(again * 1000, 3)}
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    p.add_argument("--entries", default="300,3000,30000")
    args = p.parse_args()
    sizes = tuple(int(x) for x in args.entries.split(","))
    print(json.dumps(run(sizes), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
