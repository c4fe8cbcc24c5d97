"""Run every benchmark and print one JSON report: ``./run bench`` or ``python -m benchmarks``.

Takes about ten minutes on the 2-core CI machine (pandoc is measured in the same run). Figures are
recorded by hand in docs/benchmarks.md and docs/prose.md with the machine they came from;
benchmarks never assert on time (tests do not time things). ``--pdf`` adds the slow PDF workload.
"""

from __future__ import annotations

import json
import platform
import sys

from benchmarks import prose_segmentation, scaling, script_conversion, vs_pandoc


def main() -> int:
    pdf = "--pdf" in sys.argv[1:]
    report = {
        "machine": {
            "python": platform.python_version(),
            "cpu": platform.processor() or platform.machine(),
        },
        "vs_pandoc": vs_pandoc.run(count=100, repeat=3, pdf=pdf, scale=(100, 500, 2000)),
        "script_conversion": script_conversion.run(),
        "prose_segmentation": prose_segmentation.run(),
        # 1k…64k repeated vs distinct headings, per stage (issue 25: ids were quadratic)
        "scaling": scaling.run(),
    }
    json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
