"""Real damage for run-on training text: what natively run-on prose has that glued blocks lack.

``benchmarks/prose_cases.py`` glues a structured document's headings and paragraphs into one
line — the project's hidden sets are made that way, so the evaluation keeps it. Text that arrives
run-on in the wild (seed 002: a news site's articles copied through a converter) differs from
gluing in ways the network never saw (issue 24, point 3). The kinds this module makes, each
from the document's own data (nothing invented but the byline's label):

- ``halfwidth``: full-width clause punctuation turned half-width, ``，：；？！（）`` → ``,:;?!()``
  (``。、“”`` kept) — what seed 002's converter did to every sentence (``劉津瑞:美國加速AI部署,``);
- ``captions``: each image's caption (its alt text, when it reads like one) kept where the image
  stood, as a paragraph of its own with no punctuation after it — a copied page keeps captions
  (``…(圖源:whitehouse.gov)“創世計畫”:…``), and the next block follows it glued;
- ``byline``: the front matter's author as the first paragraph (``作者：…``, ``文／…``,
  ``撰文：…``), glued to the first sentence as bylines are on copied news pages.

Which kinds a document gets is a stable hash of its file name (:func:`pick`), so training is
reproducible; ``every=True`` applies every kind the document allows (the damaged evaluation set
of ``benchmarks/prose_segmentation.py --damage``).

    python -m benchmarks.prose_damage DOC.md      # prints the damaged blocks of one document
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import replace
from pathlib import Path

from benchmarks.prose_cases import Doc, Kind, read_doc

__all__ = ["KINDS", "damage", "pick"]

KINDS = ("halfwidth", "captions", "byline")
#: the share of training documents each kind is applied to (when the document allows it)
SHARE = {"halfwidth": 0.25, "captions": 0.5, "byline": 0.5}
_HALF = str.maketrans("，：；？！（）", ",:;?!()")
_BYLINES = ("作者：{}", "文／{}", "撰文：{}")


def _unit(name: str, salt: str) -> float:
    """A stable number in [0, 1) per document and purpose."""
    return int.from_bytes(hashlib.sha256(f"{salt}|{name}".encode()).digest()[:4], "big") / 2**32


def pick(doc: Doc, name: str, *, every: bool = False) -> tuple[str, ...]:
    """The kinds of damage document ``name`` gets: those it allows (captions need a caption,
    bylines an author), each on its :data:`SHARE` of documents — or all of them with ``every``."""
    allowed = {"halfwidth": True, "captions": bool(doc.captions), "byline": bool(doc.author)}
    return tuple(k for k in KINDS
                 if allowed[k] and (every or _unit(name, k) < SHARE[k]))  # fmt: skip


def damage(doc: Doc, name: str, *, every: bool = False) -> tuple[Doc, tuple[str, ...]]:
    """``doc`` as run-on text in the wild has it, and the kinds applied (:func:`pick`)."""
    kinds = pick(doc, name, every=every)
    blocks: list[tuple[Kind, str]] = list(doc.blocks)
    title = doc.title
    if "captions" in kinds:  # from the last, so that the earlier indices still hold
        for i, text in sorted(doc.captions, reverse=True):
            blocks.insert(min(i, len(blocks)), ("paragraph", text))
    if "byline" in kinds and doc.author:
        form = _BYLINES[int(_unit(name, "byline-form") * len(_BYLINES))]
        blocks.insert(0, ("paragraph", form.format(doc.author)))
    if "halfwidth" in kinds:
        blocks = [(k, t.translate(_HALF)) for k, t in blocks]
        title = title.translate(_HALF) if title else title
    return replace(doc, title=title, blocks=tuple(blocks), captions=()), kinds


def main() -> int:
    for arg in sys.argv[1:]:
        doc, kinds = damage(read_doc(Path(arg)), arg, every=True)
        print(f"=== {arg}: {', '.join(kinds) or 'no damage applies'}")
        for kind, text in doc.blocks:
            print(f"[{kind}] {text[:120]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
