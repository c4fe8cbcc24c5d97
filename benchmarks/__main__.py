"""Run every benchmark and print one JSON report: ``./run bench`` or ``python -m benchmarks``.

Figures are recorded by hand in docs/benchmarks.md with the machine they came from; benchmarks
never assert on time (tests do not time things).
"""

from __future__ import annotations

import json
import platform
import sys

from benchmarks import script_conversion


def main() -> int:
    report = {
        "machine": {
            "python": platform.python_version(),
            "cpu": platform.processor() or platform.machine(),
        },
        "script_conversion": script_conversion.run(),
    }
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
