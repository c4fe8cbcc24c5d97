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
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, fields
from typing import Any

from .ast import Article, ArticleMeta, Block, Caption, Heading, HtmlBlock, Paragraph, plain_text

__all__ = ["ARTICLE_END", "CAPTION", "article_start", "fold"]

CAPTION = "<!-- digestkit:caption -->"
ARTICLE_END = "<!-- digestkit:end-article -->"
_ARTICLE = re.compile(r"^<!-- digestkit:article (\{.*\}) -->$", re.DOTALL)
_META_FIELDS = {f.name for f in fields(ArticleMeta)}


def article_start(meta: ArticleMeta) -> str:
    """The opening marker for an article, its metadata as JSON (safe inside a comment)."""
    data = {
        k: list(v) if isinstance(v, tuple) else v
        for k, v in asdict(meta).items()
        if v not in (None, ())
    }
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
