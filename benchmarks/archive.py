"""Generate realistic digest archives from the seeds: N files, three input formats, distinct dates.

Each generated digest is a real seed with its date moved and a line that makes its text unique
(so de-duplication keeps every copy): YAML Markdown (from 000), Hugo TOML (from 001) and prose
(from 002 and 004; 003 is left out because it holds a deliberate duplicate).

    python -m benchmarks.archive OUT_DIR --count 100 [--start 2026-01-05] [--only 000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path

from benchmarks.common import FIXTURES

_SEEDS = {
    "000": ("000_809134cfa5bf5e1a.txt", ".md"),
    "001": ("001_b56b55d7f0d190c3.txt", ".md"),
    "002": ("002_de1fd9c93946e42d.txt", ".txt"),
    "004": ("004_cd16f372d9efd364.txt", ".txt"),
}


def _variant(key: str, text: str, n: int, day: dt.date) -> str:
    tag = f"第{n}期"
    if key == "000":
        text = re.sub(r"^date: .*$", f"date: {day.isoformat()}", text, count=1, flags=re.M)
        text = re.sub(r"^title: (.*)$", rf"title: \1（{tag}）", text, count=1, flags=re.M)
        return text.replace("\n---\n", f"\n---\n{tag}：本期共收录以下内容。\n\n", 1)
    if key == "001":
        text = re.sub(
            r"^date = .*$", f"date = {day.isoformat()}T08:00:00+08:00", text, count=1, flags=re.M
        )
        text = re.sub(r'^title = "(.*)"$', rf'title = "\1（{tag}）"', text, count=1, flags=re.M)
        return text.replace("\n+++\n", f"\n+++\n{tag}：本期共收录以下内容。\n", 1)
    lines = text.split("\n")
    if key == "004":  # line-structured: a line of its own after the title
        return "\n".join([*lines[:2], f"{tag}，本期内容如下。", *lines[2:]])
    # run-on prose: make every article body unique
    return "\n".join(f"{tag}。{ln}" if len(ln) > 200 else ln for ln in lines)


def generate(
    out: Path, count: int, start: dt.date = dt.date(2026, 1, 5), only: str | None = None
) -> list[Path]:
    """Write ``count`` digests into ``out`` (created); returns their paths in date order."""
    out.mkdir(parents=True, exist_ok=True)
    keys = [only] if only else list(_SEEDS)
    sources = {k: (FIXTURES / _SEEDS[k][0]).read_text(encoding="utf-8") for k in keys}
    paths = []
    for n in range(count):
        key = keys[n % len(keys)]
        day = start + dt.timedelta(days=n)
        path = out / f"{day.isoformat()}-{n:04d}-{key}{_SEEDS[key][1]}"
        path.write_text(_variant(key, sources[key], n + 1, day), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--start", type=dt.date.fromisoformat, default=dt.date(2026, 1, 5))
    ap.add_argument("--only", choices=sorted(_SEEDS))
    args = ap.parse_args(argv)
    paths = generate(args.out, args.count, args.start, args.only)
    print(f"wrote {len(paths)} digests to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
