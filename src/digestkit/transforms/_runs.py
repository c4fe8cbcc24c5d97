"""Map a text function over the *readable* text of a document, in runs as long as possible.

Script conversion and punctuation clean-up must see whole phrases: ``软<strong>件</strong>`` is
one word. So text is gathered into **runs**: the Text of one paragraph (heading, table cell,
caption …), straight through emphasis, strong, strikethrough and link text, with soft breaks
kept as ``\\n``. A run ends at what must not change or cannot join a phrase: inline code, raw
HTML, images (whose alt text is a run of its own) and hard breaks.

Never touched: URLs, code spans, code blocks, ``Raw`` content, HTML tags and attributes,
front matter keys, dates, and front matter values without Han characters (identifiers, URLs,
numbers). String values in ``Meta.extra`` and ``Meta.params`` that hold Han text are prose
(``seo`` keywords, a newsletter blurb) and are converted. Text between tags in raw HTML *is* a run (it is what a
reader sees), except inside ``<script>``/``<style>`` and comments.

All runs of a document go through the function in **one batch** (``fn(list[str]) -> list[str]``),
so a converter's per-call cost is paid once per document. The converted run is cut back into its
segments by position when its length is unchanged (phrase conversions that straddle a boundary
stay converted); when a conversion changes the length (``U盘`` → ``隨身碟``), the run's segments
are converted one by one instead, in a second batch.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from ..ast import (
    Article,
    ArticleMeta,
    BlockQuote,
    BulletList,
    Caption,
    Document,
    Emphasis,
    Heading,
    HtmlBlock,
    Image,
    Link,
    ListItem,
    Meta,
    OrderedList,
    Paragraph,
    SoftBreak,
    Strikethrough,
    Strong,
    Table,
    TableCell,
    Text,
)
from ..cjk import HAN_RE as _HAN

__all__ = ["BatchFn", "map_document_text"]

BatchFn = Callable[[list[str]], list[str]]

_HTML_TOKEN = re.compile(
    r"(<!--.*?-->|<(script|style)\b.*?</\2\s*>|<[^>]*>)", re.DOTALL | re.IGNORECASE
)
_SOFT = "\n"


class _Collector:
    """First pass: record every run as a list of segments, in traversal order."""

    collect = True

    def __init__(self) -> None:
        self.runs: list[list[str]] = []
        self._open: list[str] | None = None

    def seg(self, text: str) -> str:
        if self._open is None:
            self._open = []
            self.runs.append(self._open)
        self._open.append(text)
        return text

    def end(self) -> None:
        self._open = None


class _Replayer:
    """Second pass: hand out converted segments in the same order."""

    collect = False

    def __init__(self, segments: Iterator[str]) -> None:
        self._segments = segments

    def seg(self, text: str) -> str:
        return next(self._segments)

    def end(self) -> None:
        pass


_Pass = _Collector | _Replayer


def _same(new: Sequence[Any], old: Sequence[Any]) -> bool:
    return all(a is b for a, b in zip(new, old, strict=True))


def _inlines(nodes: tuple[Any, ...], p: _Pass) -> tuple[Any, ...]:
    """Visit inlines; when replaying, rebuild only what changed (unchanged nodes are reused)."""
    out: list[Any] = []
    append = out.append
    for node in nodes:
        cls = type(node)
        if cls is Text:
            text = p.seg(node.text)
            append(node if text == node.text else Text(text=text))
        elif cls is SoftBreak:
            p.seg(_SOFT)
            out.append(node)
        elif cls is Emphasis or cls is Strong or cls is Strikethrough:
            kids = _inlines(node.children, p)
            out.append(node if kids is node.children else cls(children=kids))
        elif cls is Link:
            kids = _inlines(node.children, p)
            title = node.title
            if title is not None:
                p.end()
                title = p.seg(title)
                p.end()
            same = kids is node.children and title == node.title
            out.append(node if same else Link(url=node.url, children=kids, title=title))
        elif cls is Image:
            p.end()
            alt = _inlines(node.alt, p)
            p.end()
            title = node.title
            if title is not None:
                title = p.seg(title)
                p.end()
            same = alt is node.alt and title == node.title
            out.append(node if same else Image(url=node.url, alt=alt, title=title))
        else:  # Code, HtmlInline, HardBreak: never converted, and they break phrases
            p.end()
            out.append(node)
    p.end()
    if p.collect:
        return nodes
    for a, b in zip(out, nodes, strict=True):
        if a is not b:
            return tuple(out)
    return nodes


def _html(text: str, p: _Pass) -> str:
    parts = _HTML_TOKEN.split(text)
    out = []
    i = 0
    while i < len(parts):
        chunk = parts[i]
        if i % 3 == 0:
            if chunk.strip():
                chunk = p.seg(chunk)
                p.end()
            out.append(chunk)
            i += 1
        else:
            out.append(chunk)  # a tag, comment or script/style element, verbatim
            i += 2  # skip the inner (script|style) group
    return "".join(out)


def _cell(cell: TableCell, p: _Pass) -> TableCell:
    kids = _inlines(cell.children, p)
    return cell if kids is cell.children else TableCell(children=kids)


def _block(b: Any, p: _Pass) -> Any:
    cls = type(b)
    if cls is Paragraph and len(b.children) == 1 and type(b.children[0]) is Text:
        # The common case, kept cheap: a paragraph that is one run of plain text.
        old = b.children[0].text
        new = p.seg(old)
        p.end()
        return b if new == old else Paragraph(children=(Text(text=new),))
    if cls is Paragraph or cls is Caption:
        kids = _inlines(b.children, p)
        return b if kids is b.children else cls(children=kids)
    if cls is Heading:
        kids = _inlines(b.children, p)
        return b if kids is b.children else Heading(level=b.level, children=kids, id=b.id)
    if cls is BulletList or cls is OrderedList:
        items = tuple(_item(i, p) for i in b.items)
        return b if _same(items, b.items) else replace(b, items=items)
    if cls is BlockQuote:
        blocks = _blocks(b.blocks, p)
        return b if blocks is b.blocks else BlockQuote(blocks=blocks)
    if cls is Table:
        header = tuple(_cell(c, p) for c in b.header)
        rows = tuple(tuple(_cell(c, p) for c in row) for row in b.rows)
        return replace(b, header=header, rows=rows)
    if cls is HtmlBlock:
        text = _html(b.text, p)
        return b if text == b.text else HtmlBlock(text=text)
    if cls is Article:
        return Article(meta=_article_meta(b.meta, p), blocks=_blocks(b.blocks, p))
    return b  # CodeBlock, Raw, ThematicBreak


def _item(item: ListItem, p: _Pass) -> ListItem:
    blocks = _blocks(item.blocks, p)
    return item if blocks is item.blocks else ListItem(blocks=blocks)


def _blocks(blocks: tuple[Any, ...], p: _Pass) -> tuple[Any, ...]:
    out = [_block(b, p) for b in blocks]
    if p.collect:
        return blocks
    for a, b in zip(out, blocks, strict=True):
        if a is not b:
            return tuple(out)
    return blocks


def _opt(value: str | None, p: _Pass) -> str | None:
    if value is None:
        return None
    value = p.seg(value)
    p.end()
    return value


def _strs(values: tuple[str, ...], p: _Pass) -> tuple[str, ...]:
    return tuple(_opt(v, p) or "" for v in values)


def _article_meta(m: ArticleMeta, p: _Pass) -> ArticleMeta:
    return replace(
        m,
        title=_opt(m.title, p),
        source=_opt(m.source, p),
        author=_opt(m.author, p),
        column=_opt(m.column, p),
        tags=_strs(m.tags, p),
    )


def _value(v: Any, p: _Pass) -> Any:
    """Front matter values: strings holding Han text are prose; everything else is left alone."""
    if isinstance(v, str):
        return _opt(v, p) if _HAN.search(v) else v
    if isinstance(v, list):
        return [_value(x, p) for x in v]
    if isinstance(v, dict):
        return {k: _value(x, p) for k, x in v.items()}
    return v


def _mapping(m: Any, p: _Pass) -> dict[str, Any]:
    return {k: _value(v, p) for k, v in m.items()}


def _meta(m: Meta, p: _Pass) -> Meta:
    # The same order as _meta_collect: the replay hands segments out in collection order.
    title, summary, description = _opt(m.title, p), _opt(m.summary, p), _opt(m.description, p)
    author, source = _opt(m.author, p), _opt(m.source, p)
    tags, categories = _strs(m.tags, p), _strs(m.categories, p)
    extra, params = _mapping(m.extra, p), _mapping(m.params, p)
    return replace(m, title=title, summary=summary, description=description, author=author,
                   source=source, tags=tags, categories=categories, extra=extra, params=params)  # fmt: skip


def _document(doc: Document, p: _Pass) -> Document:
    if p.collect:
        _meta_collect(doc.meta, p)
        _blocks(doc.blocks, p)
        return doc
    return Document(meta=_meta(doc.meta, p), blocks=_blocks(doc.blocks, p))


def _meta_collect(m: Meta, p: _Pass) -> None:
    for v in (m.title, m.summary, m.description, m.author, m.source, *m.tags, *m.categories):
        _opt(v, p)
    _mapping(m.extra, p)
    _mapping(m.params, p)


def map_document_text(doc: Document, fn: BatchFn) -> Document:
    """``doc`` with ``fn`` applied to all its readable text, run by run, in one batch."""
    collector = _Collector()
    _document(doc, collector)
    runs = collector.runs
    joined = ["".join(r) for r in runs]
    converted = fn(joined) if joined else []
    if len(converted) != len(joined):
        raise ValueError("text function returned a different number of runs")
    segments: list[str] = []
    retry: list[tuple[int, list[str]]] = []
    changed = False
    for run, src, dst in zip(runs, joined, converted, strict=True):
        if dst == src:
            segments.extend(run)
        elif len(run) == 1:
            changed = True
            segments.append(dst)  # one segment: nothing to cut, whatever the length
        elif len(dst) == len(src):
            changed = True
            pos = 0
            for seg in run:
                segments.append(dst[pos : pos + len(seg)])
                pos += len(seg)
        else:
            changed = True
            retry.append((len(segments), run))
            segments.extend(run)  # placeholders, replaced below
    if retry:
        flat = [seg for _, run in retry for seg in run]
        again = iter(fn(flat))
        for start, run in retry:
            for k in range(len(run)):
                segments[start + k] = next(again)
    if not changed:
        return doc  # nothing changed (e.g. t2s on Simplified text): no rebuilding at all
    # Soft breaks must stay soft breaks; the replayer ignores their segment.
    return _document(doc, _Replayer(iter(segments)))
