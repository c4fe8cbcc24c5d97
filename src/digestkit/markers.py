"""HTML-comment markers that carry digestkit-only structure through CommonMark.

Markdown has no article boundaries or figure captions, yet prose → Markdown → AST must give the
prose AST back. The Markdown writer therefore emits::

    <!-- digestkit:article {"title": "…", "source": "…", …} -->
    # Title
    …blocks…
    <!-- digestkit:end-article -->

    <!-- digestkit:caption -->
    （圖源：whitehouse.gov）

Every Markdown renderer hides the comments and shows the title and caption as ordinary text;
the Markdown reader folds them back into ``Article`` and ``Caption`` nodes.

Inline, the writer marks emphasis with bare ``<em>``/``<strong>``/``<s>`` tags where CommonMark
delimiters cannot flank (CJK text next to punctuation); :func:`fold_html` turns them back into
nodes, for both Markdown parse paths and the pandoc JSON reader (pandoc keeps them as raw HTML).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ._records import asdict, fields
from .ast import (
    Article,
    ArticleMeta,
    Block,
    Caption,
    Emphasis,
    Heading,
    HtmlBlock,
    HtmlInline,
    Inline,
    Paragraph,
    Ruby,
    Strikethrough,
    Strong,
    Text,
    plain_text,
)
from .lazyre import lazy_compile

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "ARTICLE_END",
    "CAPTION",
    "article_start",
    "code_text",
    "fold",
    "fold_html",
    "merge_text",
]

CAPTION = "<!-- digestkit:caption -->"
ARTICLE_END = "<!-- digestkit:end-article -->"
_ARTICLE = lazy_compile(r"^<!-- digestkit:article (\{.*\}) -->$", re.DOTALL)
_META_FIELDS = {f.name for f in fields(ArticleMeta)}


def article_start(meta: ArticleMeta) -> str:
    """The opening marker for an article, its metadata as JSON (safe inside a comment)."""
    data = {
        k: list(v) if isinstance(v, tuple) else v
        for k, v in asdict(meta).items()
        if v not in (None, ())
    }
    import json  # only where markers are written or read (~1.4 ms a re-run need not pay)

    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("--", "-\\u002d")  # '--' may not appear inside an HTML comment
    return f"<!-- digestkit:article {text} -->"


def _meta(data: dict[str, Any]) -> ArticleMeta:
    kwargs: dict[str, Any] = {
        k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in _META_FIELDS
    }
    return ArticleMeta(**kwargs)


def _fold_captions(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if isinstance(b, HtmlBlock) and b.text.strip() == CAPTION and isinstance(nxt, Paragraph):
            out.append(Caption(children=nxt.children))
            i += 2
            continue
        out.append(b)
        i += 1
    return out


def _is_end(block: Block) -> bool:
    return isinstance(block, HtmlBlock) and block.text.strip() == ARTICLE_END


def fold(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Turn marker comments back into ``Article`` and ``Caption`` nodes (top level)."""
    if not any(isinstance(b, HtmlBlock) and "digestkit:" in b.text for b in blocks):
        return blocks
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        m = _ARTICLE.match(b.text.strip()) if isinstance(b, HtmlBlock) else None
        if m is None:
            out.append(b)
            i += 1
            continue
        import json

        try:
            meta = _meta(json.loads(m.group(1)))
        except (ValueError, TypeError):
            out.append(b)
            i += 1
            continue
        j = i + 1
        inner: list[Block] = []
        while j < len(blocks) and not _is_end(blocks[j]):
            inner.append(blocks[j])
            j += 1
        first = inner[0] if inner else None
        if (
            meta.title is not None
            and isinstance(first, Heading)
            and first.level == 1
            and plain_text(first) == meta.title
        ):
            inner = inner[1:]
        out.append(Article(meta=meta, blocks=tuple(_fold_captions(inner))))
        i = j + 1
    return tuple(_fold_captions(out))


# markdown-it renders ~~x~~ as <s>, so <s> (not <del>) is what round-trips to Strikethrough.
_FOLD: dict[str, tuple[str, type[Emphasis] | type[Strong] | type[Strikethrough]]] = {
    "<em>": ("</em>", Emphasis),
    "<strong>": ("</strong>", Strong),
    "<s>": ("</s>", Strikethrough),
}


def fold_html(inlines: list[Inline]) -> list[Inline]:
    """``<em>…</em>``, ``<strong>…</strong>``, ``<s>…</s>`` (bare tags, one run) → nodes, and
    ``<ruby>base<rp>(</rp><rt>reading</rt><rp>)</rp></ruby>`` → :class:`Ruby`.

    The Markdown writer uses these tags where CommonMark delimiters cannot flank (CJK text next
    to punctuation); folding them keeps the round trip exact. HTML output is the same either way.
    """
    if not any(isinstance(x, HtmlInline) and (x.text in _FOLD or x.text == "<ruby>")
               for x in inlines):  # fmt: skip
        return inlines
    out: list[Inline] = []
    i = 0
    while i < len(inlines):
        node = inlines[i]
        if isinstance(node, HtmlInline) and node.text == "<ruby>":
            end = _ruby_end(inlines, i)
            rubies = _ruby(inlines[i + 1 : end]) if end is not None else None
            if end is not None and rubies is not None:
                out += rubies
                i = end + 1
                continue
        if isinstance(node, HtmlInline) and node.text in _FOLD:
            close, cls = _FOLD[node.text]
            depth, j = 0, i + 1
            while j < len(inlines):
                x = inlines[j]
                if isinstance(x, HtmlInline) and x.text == node.text:
                    depth += 1
                elif isinstance(x, HtmlInline) and x.text == close:
                    if depth == 0:
                        break
                    depth -= 1
                j += 1
            if j < len(inlines):
                out.append(cls(children=merge_text(fold_html(inlines[i + 1 : j]))))
                i = j + 1
                continue
        out.append(node)
        i += 1
    return out


def _ruby_end(inlines: list[Inline], start: int) -> int | None:
    """The index of the ``</ruby>`` closing the ``<ruby>`` at ``start`` (none nest)."""
    for j in range(start + 1, len(inlines)):
        x = inlines[j]
        if isinstance(x, HtmlInline) and x.text in ("<ruby>", "</ruby>"):
            return j if x.text == "</ruby>" else None
    return None


_RUBY_TAGS = frozenset({"<rt>", "</rt>", "<rp>", "</rp>"})


def _ruby(inside: list[Inline]) -> list[Inline] | None:
    """``base <rp>(</rp><rt>reading</rt><rp>)</rp>`` … (bare tags) as Ruby nodes, one per
    ``<rt>``; a base after the last reading stays plain. None when the run is not that shape
    (a reading holding markup, an unclosed tag): it is then kept as raw HTML."""
    out: list[Inline] = []
    base: list[Inline] = []
    i = 0
    while i < len(inside):
        x = inside[i]
        tag = x.text if isinstance(x, HtmlInline) and x.text in _RUBY_TAGS else None
        if tag is None:
            if isinstance(x, HtmlInline) and x.text.startswith("<r"):
                return None  # <rb>, <rtc>, a tag with attributes: not the simple shape
            base.append(x)
            i += 1
            continue
        if tag not in ("<rt>", "<rp>"):
            return None
        close = "</rt>" if tag == "<rt>" else "</rp>"
        j = i + 1
        while j < len(inside) and isinstance(inside[j], Text):
            j += 1
        end = inside[j] if j < len(inside) else None
        if not (isinstance(end, HtmlInline) and end.text == close):
            return None
        if tag == "<rt>":
            reading = "".join(t.text for t in inside[i + 1 : j] if isinstance(t, Text))
            out.append(Ruby(base=merge_text(fold_html(base)), annotation=reading))
            base = []
        i = j + 1
    if not any(isinstance(x, Ruby) for x in out):
        return None
    return out + list(merge_text(fold_html(base)))


def merge_text(inlines: Iterable[Inline]) -> tuple[Inline, ...]:
    """Adjacent text runs merged and empty ones dropped: the form every digestkit reader gives."""
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(text=out[-1].text + node.text)
        elif not (isinstance(node, Text) and not node.text):
            out.append(node)
    return tuple(out)


def code_text(content: str) -> str:
    """A code block's text as both Markdown parse paths give it: ending in a newline.

    markdown-it gives every code line with its line ending, but a fence left open at the end of
    a file with no final newline ends without one; written back, the block is closed, and the
    next read's text has the newline — the second read differed from the first (two real posts
    of issue 25's corpus). The same text with the newline is the same code.
    """
    return content if not content or content.endswith("\n") else content + "\n"
