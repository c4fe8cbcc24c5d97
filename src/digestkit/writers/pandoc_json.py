"""Writer ``pandoc-json``: the AST as pandoc's JSON AST (pandoc-types API 1.23).

The output feeds ``pandoc -f json`` (docx, ODT, LaTeX … and every pandoc writer) and pandoc
filters (panflute, Lua). Where the two models agree the mapping is one constructor to one
constructor; digestkit-only structure travels as ``Div``/``Span`` elements with ``digestkit-…``
classes (see :mod:`digestkit.pandoc_types`), which pandoc renders as plain containers, so every
visible word reaches the output while the ``pandoc-json`` reader still gets the exact AST back.

Text is split into ``Str``/``Space`` at each U+0020 space, as pandoc's own readers do, so filters
see the usual token stream; other whitespace (newlines, no-break spaces) stays inside ``Str``.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, assert_never

from .. import pandoc_types as pt
from .._records import fields
from ..ast import (
    Article,
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
from ..errors import DigestkitError
from ..options import TextOptions

__all__ = ["WRITER", "PandocJsonWriter", "to_pandoc"]

J = pt.NodeJSON
Attr = list[Any]

_SPACE = re.compile(r"( )")
_ALIGN = {"": "AlignDefault", "left": "AlignLeft", "center": "AlignCenter", "right": "AlignRight"}
#: Meta fields written under their own names (``params`` and ``extra`` are handled apart).
_FIELDS = tuple(
    f.name for f in fields(Meta) if f.name not in ("params", "extra", "keys", "front_matter")
)
_RESERVED = frozenset(_FIELDS) | {"params", pt.META_KEY}


def _attr(
    ident: str = "", classes: Sequence[str] = (), kvs: Iterable[tuple[str, str]] = ()
) -> Attr:
    return [ident, list(classes), [[k, v] for k, v in kvs]]


def _node(tag: str, content: Any = None) -> J:
    return {"t": tag} if content is None else {"t": tag, "c": content}


# --------------------------------------------------------------------------- inlines


def _text(text: str) -> list[J]:
    return [_node("Space") if part == " " else _node("Str", part)
            for part in _SPACE.split(text) if part]  # fmt: skip


def _inlines(nodes: Iterable[Inline]) -> list[J]:
    out: list[J] = []
    for node in nodes:
        out.extend(_inline(node))
    return out


def _target(url: str, title: str | None) -> tuple[list[str], Attr]:
    flags = [(pt.EMPTY_TITLE, "")] if title == "" else []
    return [url, title or ""], _attr(kvs=flags)


def _shortcode_attr(
    name: str, params: tuple[tuple[str, str], ...], open_: str, close: str, empty: bool
) -> Attr:
    kvs = [("shortcode", name)]
    if params:
        kvs.append(("params", json.dumps([list(p) for p in params], ensure_ascii=False)))
    if open_:
        kvs.append(("open-tag", open_))
    if close:
        kvs.append(("close-tag", close))
    if empty:
        kvs.append(("content", "none"))
    return _attr("", [pt.SHORTCODE], kvs)


def _inline(node: Inline) -> list[J]:
    match node:
        case Text(text=text):
            return _text(text)
        case Emphasis(children=children):
            return [_node("Emph", _inlines(children))]
        case Strong(children=children):
            return [_node("Strong", _inlines(children))]
        case Strikethrough(children=children):
            return [_node("Strikeout", _inlines(children))]
        case Code(text=text):
            return [_node("Code", [_attr(), text])]
        case Link(url=url, children=children, title=title):
            target, attr = _target(url, title)
            return [_node("Link", [attr, _inlines(children), target])]
        case Image(url=url, alt=alt, title=title):
            target, attr = _target(url, title)
            return [_node("Image", [attr, _inlines(alt), target])]
        case SoftBreak():
            return [_node("SoftBreak")]
        case HardBreak():
            return [_node("LineBreak")]
        case HtmlInline(text=text):
            return [_node("RawInline", ["html", text])]
        case Note(blocks=blocks, label=label):
            note = _node("Note", _blocks(blocks))
            if not label:
                return [note]
            return [_node("Span", [_attr("", [pt.NOTE], [("note-label", label)]), [note]])]
        case ShortcodeInline(name=name, params=params, children=children, open=o, close=c):
            attr = _shortcode_attr(name, params, o, c, children is None)
            return [_node("Span", [attr, _inlines(children or ())])]
        case Ruby(base=base, annotation=annotation):
            attr = _attr("", [pt.RUBY], [("annotation", annotation)])
            return [_node("Span", [attr, _inlines(base)])]
        case _:
            assert_never(node)


# --------------------------------------------------------------------------- blocks


def _has_paragraph(items: Sequence[ListItem]) -> bool:
    return any(isinstance(b, Paragraph) for item in items for b in item.blocks)


def _items(items: Sequence[ListItem], tight: bool) -> list[list[J]]:
    return [_blocks(item.blocks, plain=tight) for item in items]


def _list(node: BulletList | OrderedList, body: J) -> J:
    # pandoc shows looseness only by Para (not Plain) in items; without any paragraph a loose
    # list would read back as tight, so it is marked.
    if node.tight or _has_paragraph(node.items):
        return body
    return _node("Div", [_attr("", [pt.LOOSE_LIST]), [body]])


def _code_block(text: str, info: str) -> J:
    kvs: list[tuple[str, str]] = []
    # pandoc's CodeBlock has no final newline; digestkit's keeps the one the source had.
    body = text[:-1] if text.endswith("\n") else text
    if (body + "\n" if body else "") != text:
        kvs.append((pt.FINAL_NEWLINE, "yes" if text.endswith("\n") else "no"))
    classes: list[str] = []
    if info:
        classes = [info.split()[0]] if info.split() else []
        if classes != [info]:
            kvs.append((pt.INFO, info))
    return _node("CodeBlock", [_attr("", classes, kvs), body])


def _cell(cell: TableCell) -> list[Any]:
    content = [_node("Plain", _inlines(cell.children))] if cell.children else []
    return [_attr(), _node("AlignDefault"), 1, 1, content]


def _table(node: Table) -> J:
    ncols = max([len(node.header), *(len(r) for r in node.rows)])
    kvs: list[tuple[str, str]] = []
    aligns = list(node.aligns)
    if len(aligns) != ncols:
        kvs.append((pt.ALIGNS, json.dumps(aligns)))
        aligns = (aligns + [""] * ncols)[:ncols]
    colspecs = [[_node(_ALIGN[a]), _node("ColWidthDefault")] for a in aligns]
    head_rows = [[_attr(), [_cell(c) for c in node.header]]] if node.header else []
    body_rows = [[_attr(), [_cell(c) for c in row]] for row in node.rows]
    return _node(
        "Table",
        [
            _attr(kvs=kvs),
            [None, []],
            colspecs,
            [_attr(), head_rows],
            [[_attr(), 0, [], body_rows]],
            [_attr(), []],
        ],
    )


def _article(node: Article) -> J:
    m = node.meta
    kvs: list[tuple[str, str]] = []
    for key in ("title", "source", "author", "lang", "column", "date"):
        value = getattr(m, key)
        if value is not None:
            kvs.append((key, value))
    if m.tags:
        kvs.append(("tags", json.dumps(list(m.tags), ensure_ascii=False)))
    body = _blocks(node.blocks)
    if m.title:
        # the title is visible in every pandoc output; the attribute is what reads back
        body.insert(0, _node("Header", [1, _attr("", [pt.ARTICLE_TITLE]), _text(m.title)]))
    return _node("Div", [_attr("", [pt.ARTICLE], kvs), body])


def _blocks(nodes: Iterable[Block], *, plain: bool = False) -> list[J]:
    return [_block(n, plain=plain) for n in nodes]


def _block(node: Block, *, plain: bool = False) -> J:
    match node:
        case Paragraph(children=children):
            return _node("Plain" if plain else "Para", _inlines(children))
        case Heading(level=level, children=children, id=ident):
            flags = [(pt.EMPTY_ID, "")] if ident == "" else []
            return _node("Header", [level, _attr(ident or "", (), flags), _inlines(children)])
        case BulletList(items=items, tight=tight):
            return _list(node, _node("BulletList", _items(items, tight)))
        case OrderedList(items=items, start=start, tight=tight):
            style = [start, _node("Decimal"), _node("Period")]
            return _list(node, _node("OrderedList", [style, _items(items, tight)]))
        case BlockQuote(blocks=blocks):
            return _node("BlockQuote", _blocks(blocks))
        case CodeBlock(text=text, info=info):
            return _code_block(text, info)
        case ThematicBreak():
            return _node("HorizontalRule")
        case HtmlBlock(text=text):
            # pandoc's raw HTML blocks end with a newline; digestkit's do not, and one that does
            # (built in code) is marked, because the reader strips final newlines
            raw = _node("RawBlock", ["html", text + "\n"])
            if not text.endswith("\n"):
                return raw
            return _node(
                "Div",
                [_attr("", [pt.RAW], [("node", "HtmlBlock")]), [_node("RawBlock", ["html", text])]],
            )
        case Raw(format=fmt, text=text):
            raw = _node("RawBlock", [fmt, text])
            return _node("Div", [_attr("", [pt.RAW]), [raw]]) if fmt == "html" else raw
        case Table():
            return _table(node)
        case Caption(children=children):
            return _node("Div", [_attr("", [pt.CAPTION]), [_node("Para", _inlines(children))]])
        case Article():
            return _article(node)
        case Shortcode(name=name, params=params, blocks=blocks, open=o, close=c):
            attr = _shortcode_attr(name, params, o, c, blocks is None)
            return _node("Div", [attr, _blocks(blocks or ())])
        case _:
            assert_never(node)


# --------------------------------------------------------------------------- metadata


class _MetaEncoder:
    """Python values → pandoc ``MetaValue``s, noting every type pandoc's Meta cannot hold."""

    def __init__(self) -> None:
        self.types: dict[str, str] = {}

    def value(self, value: Any, *path: str | int) -> J:
        if isinstance(value, bool):
            return _node("MetaBool", value)
        if isinstance(value, str):
            return _node("MetaString", value)
        scalar = self._scalar(value)
        if scalar is not None:
            kind, text = scalar
            self.types[pt.pointer(*path)] = kind
            return _node("MetaString", text)
        if isinstance(value, (list, tuple)):
            if isinstance(value, tuple):
                self.types[pt.pointer(*path)] = "tuple"
            return _node("MetaList", [self.value(v, *path, i) for i, v in enumerate(value)])
        if isinstance(value, Mapping):
            if all(isinstance(k, str) for k in value):
                return _node("MetaMap", {k: self.value(v, *path, k) for k, v in value.items()})
            self.types[pt.pointer(*path)] = "pairs"
            return _node(
                "MetaList",
                [self.value([k, v], *path, i) for i, (k, v) in enumerate(value.items())],
            )
        where = "/".join(str(p) for p in path)
        raise DigestkitError(
            f"pandoc-json: metadata value {where!r} of type {type(value).__name__} has no pandoc form"
        )

    @staticmethod
    def _scalar(value: Any) -> tuple[str, str] | None:
        if value is None:
            return "null", ""
        if isinstance(value, int):
            return "int", str(value)
        if isinstance(value, float):
            return "float", repr(value)
        if isinstance(value, _dt.datetime):
            return "datetime", value.isoformat()
        if isinstance(value, _dt.date):
            return "date", value.isoformat()
        if isinstance(value, _dt.time):
            return "time", value.isoformat()
        return None


def _meta(meta: Meta) -> dict[str, J]:
    enc = _MetaEncoder()
    out: dict[str, J] = {}
    for name in _FIELDS:
        value = getattr(meta, name)
        if value is None or value == ():
            continue
        # typed fields: the field says the type, except date versus date-time
        out[name] = enc.value(list(value) if isinstance(value, tuple) else value, name)
    if meta.params:
        out["params"] = enc.value(dict(meta.params), "params")
    moved: dict[str, Any] = {}
    for key, value in meta.extra.items():
        if key in _RESERVED:
            moved[key] = value  # an extra key named like a field ("title: 2024") goes aside
        else:
            out[key] = enc.value(value, key)
    own: dict[str, J] = {"version": _node("MetaString", pt.META_VERSION)}
    if moved:
        own["extra"] = enc.value(moved, pt.META_KEY, "extra")
    if meta.keys:
        own["keys"] = _node(
            "MetaList",
            [
                _node("MetaList", [_node("MetaString", s) for s in (k.name, k.field, k.form)])
                for k in meta.keys
            ],
        )
    if meta.front_matter is not None:
        own["front-matter"] = _node(
            "MetaMap",
            {
                "format": _node("MetaString", meta.front_matter.format),
                "text": _node("MetaString", meta.front_matter.text),
            },
        )
    if enc.types:
        own["types"] = _node("MetaMap", {k: _node("MetaString", v) for k, v in enc.types.items()})
    out[pt.META_KEY] = _node("MetaMap", own)
    return out


def to_pandoc(doc: Document) -> dict[str, Any]:
    """The pandoc JSON document (a dict ready for ``json.dumps``)."""
    return {
        "pandoc-api-version": list(pt.API_VERSION),
        "meta": _meta(doc.meta),
        "blocks": _blocks(doc.blocks),
    }


class PandocJsonWriter:
    """Compact JSON, UTF-8 text kept readable (not ``\\u`` escaped), ending in a newline."""

    name = "pandoc-json"
    description = "pandoc's JSON AST (API 1.23), for pandoc -f json and pandoc filters"
    extensions = (".json",)
    kind = "text"
    options_type = TextOptions

    def write(self, doc: Document, options: TextOptions | None = None) -> str:
        """Render ``doc``; this writer has no options (any option given is refused upstream)."""
        return json.dumps(to_pandoc(doc), ensure_ascii=False, separators=(",", ":")) + "\n"


WRITER = PandocJsonWriter()
