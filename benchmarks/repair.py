"""How well ``--repair-script`` undoes one-to-one conversion damage, on clean Traditional text.

For every clean Traditional text: convert it to Simplified with OpenCC (``tw2s``/``hk2s``/``t2s``
by its detected region), convert that back **character by character** with hanziconv and with
zhconv (each character on its own, as a one-to-one converter does), then repair the result.

Per Han character position, comparing the damaged text with the clean original:

* ``variant``: differs only as orthographic variants (爲/為, 臺/台) — not damage;
* ``accepted``: differs, but it is what one of OpenCC's regional phrase conversions of the
  same Simplified text gives there (計劃 for 計畫) — a legitimate reading, not damage;
* ``damaged``: every other difference (庫剋, 頭發, 颱灣, 為瞭).

Reported: the share of damaged characters the repair restores (to the original or a variant of
it; goal >= 90 %), the undamaged characters of the damaged text it changes, and the characters
of the *clean* text it changes when run on it directly (goal <= 0.05 %).

    python -m benchmarks.repair CORPUS_DIR_OR_FILES... [--json] [--examples N]

A corpus folder with a ``SOURCES.tsv`` uses its rows whose ``script`` column is ``Hant`` (the
file named by its ``file`` column, relative to the folder or its ``docs/``; ``--split`` keeps one ``split``); any other folder is read
for ``*.md``/``*.txt`` files, and texts that do not read as Traditional are skipped.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from digestkit import detect_script, loads
from digestkit.ast import plain_text
from digestkit.cjk import is_han
from digestkit.errors import DigestkitError
from digestkit.transforms.repair import _tables, repair_text
from digestkit.transforms.script import convert_text

_TO_SIMPLIFIED = {"zh-Hant-TW": "tw2s", "zh-Hant-HK": "hk2s"}
_REFS = ("s2t", "s2tw", "s2twp", "s2hk")


def _texts(paths: list[Path], split: str | None = None) -> Iterator[tuple[str, str]]:
    for path in paths:
        if path.is_dir():
            sources = path / "SOURCES.tsv"
            if sources.exists():
                with sources.open(encoding="utf-8", newline="") as fh:
                    for row in csv.DictReader(fh, delimiter="\t"):
                        if row.get("script", "").lower() not in ("hant", "zh-hant"):
                            continue
                        if split is not None and row.get("split") != split:
                            continue
                        name = row.get("file") or row.get("path") or ""
                        f = path / name
                        if not f.is_file():
                            f = path / "docs" / name
                        if f.is_file():
                            yield str(f), f.read_text(encoding="utf-8", errors="replace")
                continue
            for f in sorted(path.rglob("*")):
                if f.suffix in (".md", ".txt", ".markdown") and f.is_file():
                    yield str(f), f.read_text(encoding="utf-8", errors="replace")
        else:
            yield str(path), path.read_text(encoding="utf-8", errors="replace")


def _readable(name: str, text: str) -> str:
    try:
        return plain_text(loads(text, path=name, detect_lang=False))
    except DigestkitError:
        return text


def _hanziconv(text: str) -> str:
    from hanziconv import HanziConv  # type: ignore[import-untyped]

    return "".join(HanziConv.toTraditional(c) for c in text)


def _zhconv(text: str) -> str:
    import zhconv  # type: ignore[import-untyped]

    return "".join(zhconv.convert(c, "zh-hant") for c in text)


DAMAGERS: dict[str, Callable[[str], str]] = {"hanziconv": _hanziconv, "zhconv": _zhconv}


def measure(texts: list[tuple[str, str]], examples: int = 0) -> dict[str, Any]:
    """The figures for every damager over ``texts`` ((name, clean Traditional text) pairs)."""
    t = _tables()
    report: dict[str, Any] = {"texts": 0, "han": 0, "clean_changed": 0, "clean_examples": []}
    per: dict[str, Counter[str]] = {d: Counter() for d in DAMAGERS}
    missed: dict[str, Counter[str]] = {d: Counter() for d in DAMAGERS}
    broke: dict[str, Counter[str]] = {d: Counter() for d in DAMAGERS}
    for name, raw in texts:
        clean = _readable(name, raw)
        lang = detect_script(clean)
        if lang is None or not lang.startswith("zh-Hant"):
            continue
        simp = convert_text(clean, _TO_SIMPLIFIED.get(lang, "t2s"))
        if len(simp) != len(clean):
            continue
        refs = [convert_text(simp, p) for p in _REFS]
        refs = [r for r in refs if len(r) == len(clean)]
        report["texts"] += 1
        han = [i for i, c in enumerate(clean) if is_han(c)]
        report["han"] += len(han)
        fixed_clean = repair_text(clean, lang)
        for i in han:
            if fixed_clean[i] != clean[i]:
                report["clean_changed"] += 1
                if len(report["clean_examples"]) < max(examples, 0):
                    ctx = clean[max(0, i - 4) : i + 5]
                    report["clean_examples"].append(f"{ctx}: {clean[i]}→{fixed_clean[i]}")
        for dname, damage in DAMAGERS.items():
            bad = damage(simp)
            if len(bad) != len(clean):
                per[dname]["skipped_texts"] += 1
                continue
            fixed = repair_text(bad, lang)
            c = per[dname]
            for i in han:
                orig, got, rep = clean[i], bad[i], fixed[i]
                if got == orig or t.same(got, orig):
                    kind = "identical" if got == orig else "variant"
                    c[kind] += 1
                    if not t.same(rep, got) and not any(t.same(rep, r[i]) for r in refs):
                        c["undamaged_broken"] += 1
                        broke[dname][f"{clean[max(0, i - 2) : i + 3]} {got}→{rep}"] += 1
                    elif rep != got:
                        c["undamaged_changed_to_accepted"] += 1
                    continue
                if any(t.same(got, r[i]) for r in refs):
                    c["accepted"] += 1
                    continue
                c["damaged"] += 1
                if t.same(rep, orig):
                    c["repaired"] += 1
                elif any(t.same(rep, r[i]) for r in refs):
                    c["repaired_to_accepted"] += 1
                else:
                    missed[dname][f"{orig}←{got} ({clean[max(0, i - 2) : i + 3]})"] += 1
    out: dict[str, Any] = dict(report)
    han_total = max(report["han"], 1)
    out["clean_changed_share"] = report["clean_changed"] / han_total
    for dname, c in per.items():
        damaged = max(c["damaged"], 1)
        undamaged = max(c["identical"] + c["variant"], 1)
        out[dname] = {
            **dict(c),
            "repaired_share": c["repaired"] / damaged,
            "repaired_or_accepted_share": (c["repaired"] + c["repaired_to_accepted"]) / damaged,
            "undamaged_broken_share": c["undamaged_broken"] / undamaged,
            "missed_top": missed[dname].most_common(examples),
            "broken_top": broke[dname].most_common(examples),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    p.add_argument("paths", nargs="+", type=Path, help="corpus folders or files")
    p.add_argument("--split", help="only SOURCES.tsv rows of this split (train, dev, test)")
    p.add_argument("--examples", type=int, default=15, help="show this many misses/changes")
    args = p.parse_args(argv)
    report = measure(list(_texts(args.paths, args.split)), examples=args.examples)
    json.dump(report, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
