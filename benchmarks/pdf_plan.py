"""The PDF cache's plan over many re-runs, simulated: chapters laid out per re-run, layouts drawn on.

A weekly PDF re-run lays out its new chapters, and more when the book would draw on more than
``SMALL_GROUPS`` layouts beyond its groups (each carries its own font subsets): the plan's
fold. How often, and how much, shows only over many re-runs — three rounds of
``benchmarks.weekly_changes`` start from a cold build, below the bound, and each tree's
content-defined groups (the layout keys hold its code) fall differently. This runs the real
``incremental.cut`` and ``incremental.plan`` of each source tree on synthetic chapter keys (no
layout: a chapter is its key and size, 11,132 characters like the benchmark's digests, or
±10 %), keeping what ``build_pdf`` keeps (each laid-out run a stored group, each chapter found
in the last layout it was laid out in), for ``--seeds`` books of 30 chapters and ``--runs``
changes each, the first ``--warmup`` not counted:

  bench   insert at the start, edit the middle, remove after the middle, append (in turn)
  daily   append one, the oldest dropped past 37 chapters
  random  any of insert, edit, remove, append or an insertion anywhere

    python -m benchmarks.pdf_plan [--changes bench,daily,random] [--seeds 20] [--runs 60]
        [--src BEFORE/src --src AFTER/src]

Per tree and scenario: chapters laid out per re-run (mean, median, 90th percentile, share of
re-runs laying out more than one), and layouts beyond the groups (mean, max: the bound).
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import os
import random
import statistics
import subprocess
import sys
from typing import Any

from benchmarks.common import ROOT

SCENARIOS = ("bench", "daily", "random")


def _key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def simulate(scenario: str, seeds: int, runs: int, warmup: int, vary: bool) -> dict[str, Any]:
    """The plan of the ``digestkit`` on ``sys.path`` over ``seeds`` × ``runs`` changes."""
    from digestkit.writers.pdf import constants
    from digestkit.writers.pdf.incremental import Group, Located, cut, plan
    from digestkit.writers.pdf.render import Rendered

    high = constants.GROUP_CHARS
    extra_args: tuple[int, ...] = ()
    if "slack" in inspect.signature(plan).parameters:
        extra_args = (getattr(constants, "FOLD_SLACK", 0),)
    laid_all: list[int] = []
    beyond: list[int] = []
    for seed in range(seeds):
        rng = random.Random(seed)
        made = iter(range(10**9))
        size: dict[str, int] = {}
        keys = [_key(f"{seed}-{next(made)}") for _ in range(30)]
        index: dict[str, tuple[str, int]] = {}
        stored: dict[str, Any] = {}

        def build(keys: list[str], size: dict[str, int], index: dict[str, tuple[str, int]],
                  stored: dict[str, Any], rng: random.Random) -> tuple[int, int]:  # fmt: skip
            for k in keys:
                size.setdefault(k, int(11_132 * rng.uniform(0.9, 1.1)) if vary else 11_132)
            chars = [size[k] for k in keys]
            located: list[Any] = []
            for k in keys:
                at = index.get(k)
                ok = at is not None and stored[at[0]].members[at[1]] == k
                located.append(Located(at[0], at[1], stored[at[0]]) if ok and at else None)
            groups = cut(keys, chars, high // 2, high)
            layouts = plan(groups, located, chars, high, constants.SMALL_GROUPS, *extra_args)
            now: dict[int, str] = {}
            for run in layouts:
                members = tuple(keys[i] for i in run)
                name = _key("\0".join(members))
                stored[name] = Group(members, tuple(chars[i] for i in run), (),
                                     tuple(range(len(run))), Rendered(b"", len(run), {}, []))  # fmt: skip
                for j, i in enumerate(run):
                    index[keys[i]] = (name, j)
                    now[i] = name
            drawn = {now[i] if i in now else located[i].name for i in range(len(keys))}
            return sum(map(len, layouts)), len(drawn) - len(groups)

        build(keys, size, index, stored, rng)  # the cold build, cache on
        turn = ("insert", "edit", "remove", "append")
        for r in range(runs):
            if scenario == "bench":
                kind = turn[r % 4]
            elif scenario == "daily":
                kind = "append"
            else:
                kind = rng.choice([*turn, "middle"])
            new = _key(f"{seed}-{next(made)}")
            if kind == "insert":
                keys.insert(0, new)
            elif kind == "append":
                keys.append(new)
            elif kind == "edit":
                keys[len(keys) // 2] = new
            elif kind == "remove":
                del keys[len(keys) // 2 + 1]
            else:
                keys.insert(rng.randrange(len(keys)), new)
            if scenario == "daily" and len(keys) > 37:
                del keys[0]
            laid, extra = build(keys, size, index, stored, rng)
            if r >= warmup:
                laid_all.append(laid)
                beyond.append(extra)
    ordered = sorted(laid_all)
    return {
        "reruns": len(laid_all),
        "laid_mean": round(statistics.mean(laid_all), 2),
        "laid_median": statistics.median(laid_all),
        "laid_p90": ordered[int(0.9 * len(ordered))],
        "share_more_than_one": round(sum(x > 1 for x in laid_all) / len(laid_all), 2),
        "beyond_groups_mean": round(statistics.mean(beyond), 2),
        "beyond_groups_max": max(beyond),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--changes", default=",".join(SCENARIOS))
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--runs", type=int, default=60)
    ap.add_argument("--warmup", type=int, default=8)
    ap.add_argument("--vary", action="store_true", help="chapter sizes ±10 %%")
    ap.add_argument("--src", action="append", default=None, help="a source tree (repeat)")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    scenarios = args.changes.split(",")
    if any(s not in SCENARIOS for s in scenarios):
        ap.error(f"--changes: choose from {', '.join(SCENARIOS)}")
    if args.child:
        out = {s: simulate(s, args.seeds, args.runs, args.warmup, args.vary) for s in scenarios}
        json.dump(out, sys.stdout)
        return 0
    result: dict[str, Any] = {}
    for src in args.src or [str(ROOT / "src")]:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([src, str(ROOT)]))
        cmd = [sys.executable, "-m", "benchmarks.pdf_plan", "--child", "--changes", args.changes,
               "--seeds", str(args.seeds), "--runs", str(args.runs), "--warmup",
               str(args.warmup), *(["--vary"] if args.vary else [])]  # fmt: skip
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
        result[src] = json.loads(done.stdout)
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
