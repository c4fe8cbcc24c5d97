"""Script conversion throughput: digestkit on a whole archive's ASTs vs raw OpenCC on the same text.

"The same text" is exactly the text digestkit converts (every run of every document), handed to
one OpenCC converter as one string per document, which is the fastest raw OpenCC can do it.
Goal (issue 5): digestkit at >= 50% of raw throughput.

    python -m benchmarks.script_conversion [--copies 40] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import sys

import opencc

import digestkit
from benchmarks.common import median_seconds, seeds
from digestkit.transforms._runs import map_document_text


def run(copies: int = 40, repeat: int = 5) -> dict:
    """Both directions on the mixed archive, and t2s on its Traditional (s2twp) version."""
    archive = [digestkit.load(p) for p in seeds()] * copies
    traditional = [digestkit.convert_script(d, "s2twp") for d in archive]
    return {
        "mixed archive": _measure(archive, ("s2twp", "t2s")),
        "traditional archive": _measure(traditional, ("t2s", "tw2sp")),
    }


def _measure(docs: list, profiles: tuple[str, ...], repeat: int = 5) -> dict:
    texts: list[str] = []
    for doc in docs:
        runs: list[str] = []
        map_document_text(doc, lambda batch, runs=runs: runs.extend(batch) or batch)
        texts.append("\n".join(runs))
    chars = sum(len(t) for t in texts)
    results = {"documents": len(docs), "characters": chars, "profiles": {}}
    for profile in profiles:
        conv = opencc.OpenCC(f"{profile}.json")
        raw = median_seconds(lambda conv=conv: [conv.convert(t) for t in texts], repeat)
        ours = median_seconds(
            lambda p=profile: [digestkit.convert_script(d, p) for d in docs], repeat
        )
        results["profiles"][profile] = {
            "raw_opencc_s": round(raw, 4),
            "digestkit_s": round(ours, 4),
            "raw_chars_per_s": round(chars / raw),
            "digestkit_chars_per_s": round(chars / ours),
            "ratio": round(raw / ours, 3),
        }
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--copies", type=int, default=40, help="copies of the five seeds")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    json.dump(run(args.copies, args.repeat), sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
