"""How well the prose reader recovers structure from run-on text: boundary P/R/F1, Pk, WindowDiff.

Data sets (each: one run-on line in, the true block structure known):

- ``003-runon``: seed 003's first line (run-on, with glued ``## `` markers); the truth is the
  cleanly split copy that follows it in the same file.
- ``gold-marked`` / ``gold-unmarked``: real structured articles, seeds 000 and 001 (Markdown),
  converted to Traditional with s2twp, their headings and paragraphs joined into one line, with
  and without ``## `` before each heading. (Lists, quotes, code and HTML are left out: a run-on
  line has none.)

Metrics over character offsets of the de-marked text:

- headings: a predicted heading counts when its span matches a true heading exactly;
- paragraphs: the start offsets of paragraphs (after the first block);
- Pk and WindowDiff (Beeferman et al.; Pevzner & Hearst) over all block boundaries, window k =
  half the mean true block length. Lower is better.

    python -m benchmarks.prose_segmentation
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass

import digestkit
from benchmarks.common import FIXTURES
from digestkit.ast import Heading, Paragraph, plain_text
from digestkit.readers.prose.runon import segment_runon


@dataclass
class Case:
    name: str
    line: str  # the run-on input
    text: str  # the same text with markers removed
    headings: list[tuple[int, int]]
    paragraphs: list[int]  # paragraph starts
    bounds: list[int]  # every block start, 0 included


def _spans(
    blocks: list[tuple[str, str]],
) -> tuple[str, list[tuple[int, int]], list[int], list[int]]:
    text, headings, paras, bounds = "", [], [], []
    for kind, chunk in blocks:
        start = len(text)
        bounds.append(start)
        text += chunk
        if kind == "heading":
            headings.append((start, len(text)))
        elif start:
            paras.append(start)
    return text, headings, paras, bounds


def case_003() -> Case:
    lines = (FIXTURES / "003_558d658436faa8a6.txt").read_text(encoding="utf-8").split("\n")
    clean = [x.strip() for x in lines[2:] if x.strip()]
    blocks = [
        ("heading" if not x.endswith(("。", "？", "！", "”")) and len(x) < 40 else "paragraph", x)
        for x in clean
    ]
    text, headings, paras, bounds = _spans(blocks)
    return Case("003-runon", lines[0].strip(), text, headings, paras, bounds)


def gold_cases() -> list[Case]:
    blocks: list[tuple[str, str]] = []
    for name in ("000_809134cfa5bf5e1a.txt", "001_b56b55d7f0d190c3.txt"):
        doc = digestkit.convert_script(digestkit.load(FIXTURES / name), "s2twp")
        for b in doc.blocks:
            t = plain_text(b).replace("\n", "")
            if isinstance(b, Heading) and b.level > 1 and t:
                blocks.append(("heading", t))
            elif isinstance(b, Paragraph) and t:
                blocks.append(("paragraph", t))
    text, headings, paras, bounds = _spans(blocks)
    marked = "".join(("## " if k == "heading" else "") + t for k, t in blocks)
    return [
        Case("gold-marked", marked, text, headings, paras, bounds),
        Case("gold-unmarked", text, text, headings, paras, bounds),
    ]


def _predict(case: Case) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    result = segment_runon(case.line, first_is_lead=False)
    headings, paras, bounds = [], [], []
    pos = 0
    for b in result.blocks:
        chunk = plain_text(b)
        start = case.text.find(chunk, pos)
        if start < 0:
            continue
        bounds.append(start)
        if isinstance(b, Heading):
            headings.append((start, start + len(chunk)))
        elif start:
            paras.append(start)
        pos = start + len(chunk)
    return headings, paras, bounds


def _prf(pred: set, true: set) -> dict[str, float]:
    tp = len(pred & true)
    p = tp / len(pred) if pred else 1.0
    r = tp / len(true) if true else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


def _labels(bounds: list[int], n: int) -> list[int]:
    seg, out, marks = 0, [], set(bounds)
    for i in range(n):
        if i in marks and i:
            seg += 1
        out.append(seg)
    return out


def pk_windowdiff(ref: list[int], hyp: list[int], n: int) -> tuple[float, float]:
    """Pk and WindowDiff over ``n`` characters, boundaries given as start offsets."""
    k = max(1, round(n / max(1, len(ref)) / 2))
    r, h = _labels(ref, n), _labels(hyp, n)
    rb, hb = set(ref) - {0}, set(hyp) - {0}
    pk = wd = 0
    windows = n - k
    for i in range(windows):
        pk += (r[i] == r[i + k]) != (h[i] == h[i + k])
        wd += sum(1 for b in rb if i < b <= i + k) != sum(1 for b in hb if i < b <= i + k)
    return pk / windows, wd / windows


def evaluate(case: Case) -> dict:
    headings, paras, bounds = _predict(case)
    pk, wd = pk_windowdiff(case.bounds, bounds, len(case.text))
    return {
        "characters": len(case.text),
        "true headings": len(case.headings),
        "true paragraph starts": len(case.paragraphs),
        "headings": _prf(set(headings), set(case.headings)),
        "paragraphs": _prf(set(paras), set(case.paragraphs)),
        "pk": round(pk, 3),
        "windowdiff": round(wd, 3),
    }


def run() -> dict:
    return {c.name: evaluate(c) for c in [case_003(), *gold_cases()]}


def main() -> int:
    json.dump(run(), sys.stdout, indent=2, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
