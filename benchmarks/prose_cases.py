"""Run-on test cases made from real structured documents: the document's own structure is the truth.

Issue 13's recipe, followed literally so that our figures mean what the project's hidden cases mean:
each file's headings and paragraphs (list items and quoted paragraphs included, each one block) are
converted to Traditional with OpenCC ``s2twp`` (and also left as written), glued into one line — once
with ``## `` before each heading, once bare — with and without the title on a line of its own.

Decisions (documented in docs/prose.md):

- the document is read by digestkit's own Markdown reader (front matter, CommonMark + GFM);
- the **title** is the front matter ``title``, else a first-block ``#`` heading (then removed from
  the body); every other heading, of any level, is a heading block;
- inline markup is reduced to its visible text (emphasis, links, inline code); images, raw HTML,
  footnote references and shortcodes are dropped; a soft or hard line break becomes nothing between
  two CJK characters and one space otherwise;
- code blocks, tables, HTML blocks, thematic breaks, footnote bodies and shortcode blocks are
  dropped (a run-on line has none); list items and block quotes give their paragraphs;
- blocks left empty are dropped; whitespace inside a block is collapsed to one space;
- ``spaces="cjk"`` also deletes spaces next to a CJK character (``OpenAI 宣布 1100 亿`` →
  ``OpenAI宣布1100亿``), the form the issue's examples show; the benchmark uses each form on half of
  the documents (chosen by a hash of the file name, so it is stable).

    python -m benchmarks.prose_cases DOC.md      # prints the cases made from one document
"""

from __future__ import annotations

import hashlib
import re
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

__all__ = ["Case", "Doc", "cases", "doc_blocks", "make_case", "read_doc"]

Kind = Literal["heading", "paragraph"]

_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\U00020000-\U0002ffff"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}])[ \t]+|[ \t]+(?=[{_CJK}])")


@dataclass(frozen=True)
class Doc:
    """A structured document reduced to what a run-on line can hold."""

    title: str | None
    blocks: tuple[tuple[Kind, str], ...]
    #: the front matter's author (for :mod:`benchmarks.prose_damage`'s bylines; cases ignore it)
    author: str | None = None
    #: image captions (alt texts) as ``(index, text)``: the caption stood before ``blocks[index]``
    #: — read by :mod:`benchmarks.prose_damage`, ignored by :func:`make_case` (the evaluation
    #: drops images, as the project's hidden sets do)
    captions: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Case:
    """One run-on input and its truth (offsets into ``text``, the input with markers removed)."""

    name: str
    source: str  # the whole input file: optional title line, then the run-on line
    line: str  # the run-on line
    text: str  # the run-on line with the ``## `` markers removed
    title: str | None
    headings: tuple[tuple[int, int], ...]
    paragraphs: tuple[int, ...]  # paragraph starts (0 excluded)
    bounds: tuple[int, ...]  # every block start, 0 included
    marked: bool


def _inline_text(nodes: tuple[object, ...]) -> str:
    from digestkit import ast

    out: list[str] = []
    for node in nodes:
        match node:
            case ast.Text(text=t) | ast.Code(text=t):
                out.append(t)
            case ast.Emphasis() | ast.Strong() | ast.Strikethrough() | ast.Link():
                out.append(_inline_text(node.children))
            case ast.SoftBreak() | ast.HardBreak():
                out.append("\n")
            case _:  # images, raw HTML, footnote references, shortcodes: not visible prose
                pass
    return "".join(out)


def _clean(text: str) -> str:
    text = re.sub(rf"(?<=[{_CJK}])\n+(?=[{_CJK}])", "", text)
    return re.sub(r"\s+", " ", text).strip()


#: alt texts that say nothing about the picture (editors' defaults): never a caption
_NO_CAPTION = frozenset({"在这里插入图片描述", "在這裡插入圖片描述", "图片", "圖片", "image", "img", "截图",
                         "截圖", "图片描述", "示意图", "示意圖"})  # fmt: skip


def _caption(para: object) -> list[str]:
    """The captions of a paragraph that holds nothing but images: each image's alt text when it
    reads like one (4–80 characters, some Han, not an editor's placeholder)."""
    from digestkit import ast
    from digestkit.cjk import han_re

    assert isinstance(para, ast.Paragraph)
    out = []
    for node in para.children:
        match node:
            case ast.Image(alt=alt):
                text = _clean(_inline_text(alt))
                if 4 <= len(text) <= 80 and han_re().search(text) and text not in _NO_CAPTION:
                    out.append(text)
            case ast.Link(children=kids) if all(isinstance(k, ast.Image) for k in kids):
                out.extend(_caption(ast.Paragraph(children=kids)))
            case ast.SoftBreak() | ast.HardBreak():
                pass
            case ast.Text(text=t) if not t.strip():
                pass
            case _:  # text beside the image: not a caption paragraph
                return []
    return out


def doc_blocks(markdown: str) -> Doc:
    """Title and (kind, text) blocks of one Markdown document, as the generator sees it (and its
    author and image captions, which only :mod:`benchmarks.prose_damage` uses)."""
    import digestkit
    from digestkit import ast

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        doc = digestkit.loads(markdown, "markdown")
    out: list[tuple[Kind, str]] = []
    caps: list[tuple[int, str]] = []  # (index into out, caption)

    def walk(blocks: tuple[object, ...]) -> None:
        for b in blocks:
            match b:
                case ast.Heading():
                    out.append(("heading", _clean(_inline_text(b.children))))
                case ast.Paragraph():
                    caps.extend((len(out), c) for c in _caption(b))
                    out.append(("paragraph", _clean(_inline_text(b.children))))
                case ast.BulletList() | ast.OrderedList():
                    for item in b.items:
                        walk(item.blocks)
                case ast.BlockQuote() | ast.ListItem():
                    walk(b.blocks)
                case ast.Article():
                    walk(b.blocks)
                case _:  # code, tables, HTML, breaks, notes, shortcodes
                    pass

    walk(doc.blocks)
    index = [0] * (len(out) + 1)  # out's index -> index among the non-empty blocks
    for i, (_, t) in enumerate(out):
        index[i + 1] = index[i] + bool(t)
    blocks = [(k, t) for k, t in out if t]
    captions = [(index[i], c) for i, c in caps]
    title = doc.meta.title.strip() if isinstance(doc.meta.title, str) else None
    first = doc.blocks[0] if doc.blocks else None
    if isinstance(first, ast.Heading) and first.level == 1 and blocks:
        if title is None:
            title = blocks[0][1]
        if blocks[0][1] == title or title is None:
            blocks.pop(0)
            captions = [(max(0, i - 1), c) for i, c in captions]
    author = doc.meta.author.strip() if isinstance(doc.meta.author, str) else None
    return Doc(title or None, tuple(blocks), author or None, tuple(captions))


@cache
def _s2twp() -> object:
    from opencc import OpenCC

    return OpenCC("s2twp")


def _convert(text: str, script: str) -> str:
    if script != "Hant" or not text:
        return text
    out: str = _s2twp().convert(text)  # type: ignore[attr-defined]
    return out


def make_case(
    doc: Doc,
    name: str,
    *,
    script: str = "Hant",
    marked: bool = True,
    titled: bool = False,
    spaces: str = "kept",
) -> Case | None:
    """The run-on case for one variant of ``doc`` (None when the document has no block)."""
    blocks = [(k, _convert(t, script)) for k, t in doc.blocks]
    title = _convert(doc.title, script) if doc.title else None
    if spaces == "cjk":
        blocks = [(k, _CJK_SPACE.sub("", t)) for k, t in blocks]
        title = _CJK_SPACE.sub("", title) if title else None
    blocks = [(k, t) for k, t in blocks if t]
    if not blocks:
        return None
    text, line = "", ""
    headings, paras, bounds = [], [], []
    for kind, chunk in blocks:
        start = len(text)
        bounds.append(start)
        text += chunk
        line += ("## " if kind == "heading" and marked else "") + chunk
        if kind == "heading":
            headings.append((start, len(text)))
        elif start:
            paras.append(start)
    titled = titled and bool(title)
    source = (f"{title}\n" if titled else "") + line + "\n"
    return Case(name, source, line, text, title if titled else None, tuple(headings),
                tuple(paras), tuple(bounds), marked)  # fmt: skip


def read_doc(path: Path) -> Doc:
    return doc_blocks(path.read_text(encoding="utf-8", errors="replace"))


def stable_bit(name: str, salt: str = "") -> bool:
    """A stable pseudo-random choice per document (no global RNG: the benchmark is reproducible)."""
    return hashlib.sha256((salt + name).encode()).digest()[0] % 2 == 1


def cases(doc: Doc, name: str, *, all_variants: bool = False) -> Iterator[Case]:
    """The variants of one document: marked/bare x Traditional/as written x titled/untitled.

    With ``all_variants`` both space forms are made too (training); otherwise each document gets
    one space form, chosen by :func:`stable_bit` (evaluation).
    """
    spaces_forms = ("kept", "cjk") if all_variants else ("cjk" if stable_bit(name) else "kept",)
    for script in ("Hant", "Hans"):
        for marked in (True, False):
            for spaces in spaces_forms:
                titled = stable_bit(name, f"{script}{marked}{spaces}")
                c = make_case(doc, f"{name}:{script}:{'marked' if marked else 'bare'}:{spaces}",
                              script=script, marked=marked, titled=titled, spaces=spaces)  # fmt: skip
                if c is not None:
                    yield c


def main() -> int:
    for arg in sys.argv[1:]:
        doc = read_doc(Path(arg))
        for c in cases(doc, arg):
            print(f"=== {c.name} ({len(c.headings)} headings, {len(c.bounds)} blocks)")
            print(c.source[:600])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
