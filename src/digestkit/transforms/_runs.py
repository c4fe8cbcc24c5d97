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

Speed (issue 5 asks for at least half of raw OpenCC's throughput) shapes the code: the tree is
walked twice by two specialised walkers (collect, then rebuild) instead of one generic visitor,
unchanged subtrees are reused by identity, and rebuilt nodes are made with a bare
``object.__new__`` + slot assignment, which costs half a frozen dataclass ``__init__``. The
converters see exactly the text they would see otherwise; only the Python around them is leaner.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from .._records import replace
from ..ast import (
    Article,
    ArticleMeta,
    Block,
    BlockQuote,
    BulletList,
    Caption,
    Code,
    CodeBlock,
    Document,
    Emphasis,
    HardBreak,
    Heading,
    HtmlBlock,
    HtmlInline,
    Image,
    Inline,
    Link,
    ListItem,
    Meta,
    Note,
    OrderedList,
    Paragraph,
    Raw,
    Ruby,
    Shortcode,
    ShortcodeInline,
    SoftBreak,
    Strikethrough,
    Strong,
    Table,
    TableCell,
    Text,
    ThematicBreak,
)
from ..cjk import han_re
from ..lazyre import lazy_compile

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["BLOCK_SHAPES", "INLINE_SHAPES", "SEPARATOR", "BatchFn", "StringFn", "map_document_text"]

BatchFn = Callable[[list[str]], list[str]]
StringFn = Callable[[str], str]
#: Between runs in the one string given to a ``whole`` function. ASCII unit separator: OpenCC
#: passes it through, no phrase contains it, and being one byte it is cheap for OpenCC (measured).
SEPARATOR = "\x1f"
_Next = Callable[[], str]

_HTML_TOKEN = lazy_compile(
    r"(<!--.*?-->|<(script|style)\b.*?</\2\s*>|<[^>]*>)", re.DOTALL | re.IGNORECASE
)
_SOFT = "\n"
_END: None = None  # in the collected list: "the current run ends here"
_new = object.__new__
_set = object.__setattr__

# ----------------------------------------------------------------- the shape tables
# What each node type holds of readable text, as one small number. Both passes dispatch on these
# tables and nothing else, so they cannot drift apart; a node type missing from a table is an
# import-time error (and a test walks ``typing.get_args(Block)``/``get_args(Inline)``), so a node
# added to the AST tomorrow cannot be silently skipped by script conversion.

# inline shapes
I_TEXT = 0  # a segment of the current run
I_SOFT = 1  # a soft break: "\n" inside the run, always written back as a soft break
I_SPAN = 2  # ``children`` continue the run (emphasis and friends)
I_LINK = 3  # ``children`` continue the run; ``title`` is a run of its own
I_IMAGE = 4  # ends the run; ``alt`` and ``title`` are runs of their own
I_STOP = 5  # never converted, and ends the run (code, raw HTML, hard breaks)
I_NOTE = 6  # ends the run; its ``blocks`` are read like any blocks
I_SHORTCODE = 7  # ends the run; its ``children`` (if any) are a run of their own; tags verbatim
I_RUBY = 8  # ``base`` continues the run; ``annotation`` (a reading: kana, zhuyin) is never touched

INLINE_SHAPES: dict[type, int] = {
    Text: I_TEXT,
    SoftBreak: I_SOFT,
    Emphasis: I_SPAN,
    Strong: I_SPAN,
    Strikethrough: I_SPAN,
    Link: I_LINK,
    Image: I_IMAGE,
    Code: I_STOP,
    HtmlInline: I_STOP,
    HardBreak: I_STOP,
    Note: I_NOTE,
    ShortcodeInline: I_SHORTCODE,
    Ruby: I_RUBY,
}

# block shapes
B_RUN = 0  # ``children`` are one run (paragraph, heading, caption)
B_LIST = 1  # ``items``, each a ListItem of blocks
B_BLOCKS = 2  # ``blocks`` (None for a shortcode without content)
B_TABLE = 3  # header and rows of cells, each cell a run
B_HTML = 4  # text between tags is read; tags, comments, scripts and styles are not
B_ARTICLE = 5  # per-article metadata strings, then ``blocks``
B_OPAQUE = 6  # nothing to read (code blocks, raw content, rules)

BLOCK_SHAPES: dict[type, int] = {
    Paragraph: B_RUN,
    Heading: B_RUN,
    Caption: B_RUN,
    BulletList: B_LIST,
    OrderedList: B_LIST,
    BlockQuote: B_BLOCKS,
    Shortcode: B_BLOCKS,
    Table: B_TABLE,
    HtmlBlock: B_HTML,
    Article: B_ARTICLE,
    CodeBlock: B_OPAQUE,
    Raw: B_OPAQUE,
    ThematicBreak: B_OPAQUE,
}


def _check_tables() -> None:
    for table, union in ((INLINE_SHAPES, Inline), (BLOCK_SHAPES, Block)):
        missing = set(union.__args__) - set(table)  # typing.get_args of an X | Y union
        if missing:  # pragma: no cover - fails at import, on purpose
            names = ", ".join(sorted(c.__name__ for c in missing))
            raise TypeError(f"transforms._runs: no shape for node type(s) {names}")


_check_tables()

_INL = INLINE_SHAPES.__getitem__
_BLK = BLOCK_SHAPES.__getitem__


# ----------------------------------------------------------------- fast node construction
# The node classes are frozen, slotted dataclasses with no __post_init__, so setting their
# slots directly makes exactly the object their __init__ would make.


def _with_children(cls: type[Any], children: tuple[Any, ...]) -> Any:
    node = _new(cls)
    _set(node, "children", children)
    return node


def _copy_with(node: Any, name: str, value: Any) -> Any:
    """``node`` with one slot replaced, other slots copied as they are."""
    cls = type(node)
    new = _new(cls)
    for slot in cls.__slots__:
        _set(new, slot, value if slot == name else getattr(node, slot))
    return new


# ----------------------------------------------------------------- pass 1: collect


def _c_inlines(nodes: tuple[Any, ...], out: list[str | None]) -> None:
    append = out.append
    for node in nodes:
        shape = _INL(type(node))
        if shape == I_TEXT:
            append(node.text)
        elif shape == I_SOFT:
            append(_SOFT)
        elif shape == I_SPAN:
            kids = node.children
            if len(kids) == 1 and type(kids[0]) is Text:
                append(kids[0].text)
            else:
                _c_inlines(kids, out)
        elif shape == I_LINK:
            _c_inlines(node.children, out)
            if node.title is not None:
                out += (_END, node.title, _END)
        elif shape == I_IMAGE:
            append(_END)
            _c_run(node.alt, out)
            if node.title is not None:
                out += (node.title, _END)
        elif shape == I_NOTE:
            append(_END)
            _c_blocks(node.blocks, out)
        elif shape == I_SHORTCODE:
            append(_END)
            if node.children is not None:
                _c_run(node.children, out)
        elif shape == I_RUBY:
            _c_inlines(node.base, out)
        else:  # I_STOP
            append(_END)


def _c_run(nodes: tuple[Any, ...], out: list[str | None]) -> None:
    """A paragraph's (heading's, cell's, alt text's) inlines: one run, broken only inside."""
    kids = nodes
    if len(kids) == 1 and type(kids[0]) is Text:  # the common case
        out += (kids[0].text, _END)
    else:
        _c_inlines(kids, out)
        out.append(_END)


def _c_html(text: str, out: list[str | None]) -> None:
    parts = _HTML_TOKEN.split(text)
    for i in range(0, len(parts), 3):  # text, tag, (script|style) group, text, …
        if parts[i].strip():
            out += (parts[i], _END)


def _c_blocks(blocks: tuple[Any, ...], out: list[str | None]) -> None:
    for b in blocks:
        shape = _BLK(type(b))
        if shape == B_RUN:
            _c_run(b.children, out)
        elif shape == B_LIST:
            for item in b.items:
                inner = item.blocks
                if len(inner) == 1 and type(inner[0]) is Paragraph:  # the common item
                    _c_run(inner[0].children, out)
                else:
                    _c_blocks(inner, out)
        elif shape == B_BLOCKS:
            if b.blocks is not None:
                _c_blocks(b.blocks, out)
        elif shape == B_TABLE:
            for cell in b.header:
                _c_run(cell.children, out)
            for row in b.rows:
                for cell in row:
                    _c_run(cell.children, out)
        elif shape == B_HTML:
            _c_html(b.text, out)
        elif shape == B_ARTICLE:
            m = b.meta
            _c_strings((m.title, m.source, m.author, m.column, *m.tags), out)
            _c_blocks(b.blocks, out)
        # B_OPAQUE: nothing to read


def _c_strings(values: tuple[str | None, ...], out: list[str | None]) -> None:
    for v in values:
        if v is not None:
            out += (v, _END)


def _c_value(v: Any, out: list[str | None]) -> None:
    """Front matter values: strings holding Han text are prose; everything else is left alone."""
    if isinstance(v, str):
        if han_re().search(v):
            out += (v, _END)
    elif isinstance(v, list):
        for x in v:
            _c_value(x, out)
    elif isinstance(v, dict):
        for x in v.values():
            _c_value(x, out)


def _c_meta(m: Meta, out: list[str | None]) -> None:
    _c_strings((m.title, m.summary, m.description, m.author, m.source), out)
    _c_strings((*m.tags, *m.categories), out)
    for v in m.extra.values():
        _c_value(v, out)
    for v in m.params.values():
        _c_value(v, out)


# ----------------------------------------------------------------- pass 2: rebuild
# Each function consumes converted segments with ``nxt`` in exactly the order pass 1 collected
# them, and returns the very same object when nothing under it changed. This pass makes a new
# node for nearly every node of a converted document, so the commonest shapes (a run that is one
# Text, a list item that is one paragraph) take a short path: a function call saved per node is
# a measurable share of the whole conversion.


def _r_text(node: Any, nxt: _Next) -> Any:
    text = nxt()
    if text == node.text:
        return node
    new = _new(Text)
    _set(new, "text", text)
    return new


def _r_inlines(nodes: tuple[Any, ...], nxt: _Next) -> tuple[Any, ...]:
    out: list[Any] = []
    append = out.append
    changed = False
    for node in nodes:
        shape = _INL(type(node))
        new = node
        if shape == I_TEXT:
            new = _r_text(node, nxt)
        elif shape == I_SOFT:
            nxt()  # soft breaks stay soft breaks whatever the converter made of "\n"
        elif shape == I_SPAN:
            kids = node.children
            if len(kids) == 1 and type(kids[0]) is Text:
                inner = _r_text(kids[0], nxt)
                if inner is not kids[0]:
                    new = _with_children(type(node), (inner,))
            else:
                kids = _r_inlines(kids, nxt)
                if kids is not node.children:
                    new = _with_children(type(node), kids)
        elif shape == I_LINK:
            kids = _r_inlines(node.children, nxt)
            title = node.title if node.title is None else nxt()
            if kids is not node.children or title != node.title:
                new = Link(url=node.url, children=kids, title=title)
        elif shape == I_IMAGE:
            alt = _r_run(node.alt, nxt)
            title = node.title if node.title is None else nxt()
            if alt is not node.alt or title != node.title:
                new = Image(url=node.url, alt=alt, title=title)
        elif shape == I_NOTE:
            blocks = _r_blocks(node.blocks, nxt)
            if blocks is not node.blocks:
                new = _copy_with(node, "blocks", blocks)
        elif shape == I_SHORTCODE and node.children is not None:
            kids = _r_run(node.children, nxt)
            if kids is not node.children:
                new = _copy_with(node, "children", kids)
        elif shape == I_RUBY:
            kids = _r_inlines(node.base, nxt)
            if kids is not node.base:
                new = _copy_with(node, "base", kids)
        # I_STOP: kept as it is
        if new is not node:
            changed = True
        append(new)
    return tuple(out) if changed else nodes


def _r_run(nodes: tuple[Any, ...], nxt: _Next) -> tuple[Any, ...]:
    """The rebuilt inlines of one run (see :func:`_c_run`)."""
    if len(nodes) == 1 and type(nodes[0]) is Text:  # the common case
        new = _r_text(nodes[0], nxt)
        return nodes if new is nodes[0] else (new,)
    return _r_inlines(nodes, nxt)


def _r_html(text: str, nxt: _Next) -> str:
    parts = _HTML_TOKEN.split(text)
    out = []
    for i in range(0, len(parts), 3):
        chunk = parts[i]
        out.append(nxt() if chunk.strip() else chunk)
        if i + 1 < len(parts):
            out.append(parts[i + 1])  # a tag, comment or script/style element, verbatim
    return "".join(out)


def _r_cell(cell: TableCell, nxt: _Next) -> TableCell:
    kids = _r_run(cell.children, nxt)
    return cell if kids is cell.children else TableCell(children=kids)


def _r_paragraph(b: Any, nxt: _Next) -> Any:
    kids = _r_run(b.children, nxt)
    if kids is b.children:
        return b
    if type(b) is Paragraph:  # the commonest block: one slot, set directly
        return _with_children(Paragraph, kids)
    return _copy_with(b, "children", kids)


def _r_blocks(blocks: tuple[Any, ...], nxt: _Next) -> tuple[Any, ...]:
    out: list[Any] = []
    append = out.append
    changed = False
    for b in blocks:
        new = _r_block(b, nxt)
        if new is not b:
            changed = True
        append(new)
    return tuple(out) if changed else blocks


def _r_block(b: Any, nxt: _Next) -> Any:
    shape = _BLK(type(b))
    if shape == B_RUN:
        return _r_paragraph(b, nxt)
    if shape == B_LIST:
        items: list[ListItem] = []
        changed = False
        for item in b.items:
            blocks = item.blocks
            if len(blocks) == 1 and type(blocks[0]) is Paragraph:  # the common item
                para = blocks[0]
                new_para = _r_paragraph(para, nxt)
                if new_para is not para:
                    blocks = (new_para,)
            else:
                blocks = _r_blocks(blocks, nxt)
            if blocks is not item.blocks:
                item = _new(ListItem)
                _set(item, "blocks", blocks)
                changed = True
            items.append(item)
        return _copy_with(b, "items", tuple(items)) if changed else b
    if shape == B_BLOCKS:
        if b.blocks is None:
            return b
        blocks = _r_blocks(b.blocks, nxt)
        return b if blocks is b.blocks else _copy_with(b, "blocks", blocks)
    if shape == B_TABLE:
        header = tuple(_r_cell(c, nxt) for c in b.header)
        rows = tuple(tuple(_r_cell(c, nxt) for c in row) for row in b.rows)
        return replace(b, header=header, rows=rows)
    if shape == B_HTML:
        text = _r_html(b.text, nxt)
        return b if text == b.text else HtmlBlock(text=text)
    if shape == B_ARTICLE:
        return Article(meta=_r_article_meta(b.meta, nxt), blocks=_r_blocks(b.blocks, nxt))
    return b  # B_OPAQUE


def _r_opt(value: str | None, nxt: _Next) -> str | None:
    return None if value is None else nxt()


def _r_strs(values: tuple[str, ...], nxt: _Next) -> tuple[str, ...]:
    return tuple(nxt() for _ in values)


def _r_article_meta(m: ArticleMeta, nxt: _Next) -> ArticleMeta:
    # ``lang`` and ``date`` are not text a reader reads: kept as they are by ``replace``
    return replace(
        m,
        title=_r_opt(m.title, nxt),
        source=_r_opt(m.source, nxt),
        author=_r_opt(m.author, nxt),
        column=_r_opt(m.column, nxt),
        tags=_r_strs(m.tags, nxt),
    )


def _r_value(v: Any, nxt: _Next) -> Any:
    if isinstance(v, str):
        return nxt() if han_re().search(v) else v
    if isinstance(v, list):
        return [_r_value(x, nxt) for x in v]
    if isinstance(v, dict):
        return {k: _r_value(x, nxt) for k, x in v.items()}
    return v


def _r_meta(m: Meta, nxt: _Next) -> dict[str, Any]:
    """The converted metadata fields that differ from ``m`` (in the order of ``_c_meta``)."""
    new: dict[str, Any] = {
        "title": _r_opt(m.title, nxt),
        "summary": _r_opt(m.summary, nxt),
        "description": _r_opt(m.description, nxt),
        "author": _r_opt(m.author, nxt),
        "source": _r_opt(m.source, nxt),
        "tags": _r_strs(m.tags, nxt),
        "categories": _r_strs(m.categories, nxt),
    }
    if m.extra:
        new["extra"] = {k: _r_value(v, nxt) for k, v in m.extra.items()}
    if m.params:
        new["params"] = {k: _r_value(v, nxt) for k, v in m.params.items()}
    return {k: v for k, v in new.items() if v != getattr(m, k)}


# ----------------------------------------------------------------- the whole round


def _groups(collected: list[str | None]) -> list[list[str]]:
    """The segments between one marker and the next: one list per marker, possibly empty.

    Every segment is followed by a marker (each collector ends its run), so nothing trails.
    """
    groups: list[list[str]] = []
    current: list[str] = []
    for s in collected:
        if s is None:
            groups.append(current)
            current = []
        else:
            current.append(s)
    return groups


def _cut(
    runs: list[list[str]], sources: list[str], converted: list[str], fn: BatchFn
) -> list[str] | None:
    """Cut each converted run back into its segments; None when nothing changed.

    A run whose length changed cannot be cut by position: its segments are converted one by
    one instead (with ``fn``, in one batch).
    """
    segments: list[str] = []
    retry: list[tuple[int, list[str]]] = []
    changed = False
    for run, src, dst in zip(runs, sources, converted, strict=True):
        if dst == src:
            segments += run
        elif len(run) == 1:
            changed = True
            segments.append(dst)  # one segment: nothing to cut, whatever the length
        elif len(dst) == len(src):
            changed = True
            pos = 0
            for seg in run:
                end = pos + len(seg)
                segments.append(dst[pos:end])
                pos = end
        else:
            changed = True
            retry.append((len(segments), run))
            segments += run  # placeholders, replaced below
    if retry:
        flat = [seg for _, run in retry for seg in run]
        again = iter(fn(flat))
        for start, run in retry:
            for k in range(len(run)):
                segments[start + k] = next(again)
    return segments if changed else None


def _by_run(collected: list[str | None], fn: BatchFn) -> list[str] | None:
    """Converted segments via ``fn`` over the list of runs; None when nothing changed."""
    runs = [g for g in _groups(collected) if g]
    sources = [r[0] if len(r) == 1 else "".join(r) for r in runs]
    converted = fn(sources) if sources else []
    if len(converted) != len(sources):
        raise ValueError("text function returned a different number of runs")
    return _cut(runs, sources, converted, fn)


_NOT_APPLICABLE: list[str] = []


def _by_string(collected: list[str | None], whole: StringFn, fn: BatchFn) -> list[str] | None:
    """Converted segments via ``whole`` over one string; None when nothing changed.

    Returns ``_NOT_APPLICABLE`` when the text itself holds a separator or the converter did not
    keep the separators; the caller then uses ``_by_run``.
    """
    markers = collected.count(None)
    text = "".join([SEPARATOR if s is None else s for s in collected])
    if text.count(SEPARATOR) != markers:
        return _NOT_APPLICABLE
    out = whole(text)
    if out == text:
        return None
    if len(out) == len(text):  # the common case: cut by position, no per-run bookkeeping
        segments: list[str] = []
        append = segments.append
        pos = 0
        for s in collected:
            if s is None:
                if out[pos] != SEPARATOR:  # runs shifted: one grew as another shrank
                    break
                pos += 1
            else:
                end = pos + len(s)
                append(out[pos:end])
                pos = end
        else:
            return segments
    pieces = out.split(SEPARATOR)
    if len(pieces) != markers + 1:
        return _NOT_APPLICABLE
    runs, sources, converted = [], [], []
    for group, piece in zip(_groups(collected), pieces, strict=False):
        if group:
            runs.append(group)
            sources.append(group[0] if len(group) == 1 else "".join(group))
            converted.append(piece)
    return _cut(runs, sources, converted, fn)


def map_document_text(
    doc: Document,
    fn: BatchFn,
    meta_changes: Mapping[str, Any] | None = None,
    *,
    whole: StringFn | None = None,
) -> Document:
    """``doc`` with ``fn`` applied to all its readable text, run by run, in one batch.

    ``meta_changes`` (e.g. the new ``lang``) are applied in the same step, so the metadata is
    rebuilt once, not twice.

    ``whole`` is an optional shortcut for converters like OpenCC: a function over one string
    whose runs are separated by :data:`SEPARATOR`, which it must pass through and never convert
    across. When every run keeps its length (nearly always for character-level profiles), the
    segments are cut straight out of its result; otherwise ``fn`` does the work as usual.
    Both give the same document; the shortcut only saves the per-run bookkeeping.
    """
    collected: list[str | None] = []
    _c_meta(doc.meta, collected)
    _c_blocks(doc.blocks, collected)
    segments: list[str] | None = _NOT_APPLICABLE
    if whole is not None:
        segments = _by_string(collected, whole, fn)
    if segments is _NOT_APPLICABLE:
        segments = _by_run(collected, fn)
    updates = dict(meta_changes or {})
    blocks = doc.blocks
    if segments is not None:  # else (e.g. t2s on Simplified text) there is nothing to rebuild
        nxt = iter(segments).__next__
        updates.update(_r_meta(doc.meta, nxt))
        blocks = _r_blocks(doc.blocks, nxt)
    updates = {k: v for k, v in updates.items() if v != getattr(doc.meta, k)}
    if not updates and blocks is doc.blocks:
        return doc
    meta = replace(doc.meta, **updates) if updates else doc.meta
    return Document(meta=meta, blocks=blocks)
