"""detect_script's table fast path against OpenCC's own answer on a real corpus (issue 16).

For every document of the corpus (``SOURCES.tsv``'s ``file`` column, under ``docs/``), the first
``_SAMPLE`` Han characters go through ``detect._bounded_order`` (the table) and
``detect._opencc_order`` (s2t/t2s, the exact rule). Any document where the table answers and
differs is a bug and makes the exit status 1; the report also says how many documents the table
decided alone (the more, the fewer runs load OpenCC).

    python -m benchmarks.script_detect [--corpus /work/corpora/zh]
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from digestkit.cjk import HAN_RE
from digestkit.transforms import detect

__all__ = ["compare"]


def compare(corpus: Path) -> tuple[int, int, list[str]]:
    """(documents, decided by the table, files where the table disagrees with OpenCC)."""
    with (corpus / "SOURCES.tsv").open(encoding="utf-8", newline="") as f:
        files = [row["file"] for row in csv.DictReader(f, delimiter="\t")]
    total = decided = 0
    wrong: list[str] = []
    for name in files:
        text = (corpus / "docs" / name).read_text(encoding="utf-8", errors="replace")
        han = "".join(HAN_RE.findall(text))[: detect._SAMPLE]
        if not han:
            continue
        total += 1
        fast = detect._bounded_order(han)
        if fast is None:
            continue
        decided += 1
        if fast != detect._opencc_order(han):
            wrong.append(name)
    return total, decided, wrong


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("/work/corpora/zh"))
    args = parser.parse_args(argv)
    total, decided, wrong = compare(args.corpus)
    print(f"{total} documents with Han text; table decided {decided}; disagreements {len(wrong)}")
    for name in wrong:
        print(f"  DISAGREES: {name}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
