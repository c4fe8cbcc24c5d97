"""Reader ``pandoc-json``: pandoc's JSON AST (pandoc-types API 1.21–1.23) → the digestkit AST.

Two jobs in one mapping:

- **Exact** for what the ``pandoc-json`` writer produced: the ``digestkit-…`` ``Div``/``Span``
  elements and attribute flags (:mod:`digestkit.pandoc_types`) turn back into articles,
  captions, shortcodes, labelled notes and typed metadata, so digestkit → pandoc JSON →
  digestkit gives the same document (``==``, and the same ``to_dict()``).
- **Nearest node, never dropped text** for anything pandoc made: constructs digestkit has no
  node for keep their text (``Quoted`` gets its quote marks, ``Math`` becomes code,
  ``Superscript`` becomes ``<sup>`` raw HTML, a ``DefinitionList`` a bullet list, a ``Figure``
  its blocks plus a ``Caption``). Each loss is listed in ``docs/formats.md``.

Metadata written by digestkit carries a ``digestkit`` map (types, key spellings, front matter);
metadata from elsewhere is turned into a plain mapping and typed exactly as front matter is
(``meta_from_mapping``), so ``date: 2026-02-26`` becomes a date here as in YAML.
"""

from __future__ import annotations

import datetime as _dt
import json
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields, replace
from typing import Any

from .. import pandoc_types as pt
from ..ast import (
    Align,
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
    FrontMatter,
    HardBreak,
    Heading,
    HtmlBlock,
    HtmlInline,
    Image,
    Inline,
    Link,
    ListItem,
    Meta,
    MetaKey,
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
    plain_text,
)
from ..errors import ParseError
from ..markers import fold, fold_html, merge_text  # one rule for every reader
from ..metadata import meta_from_mapping, parse_date

__all__ = ["READER", "PandocJsonReader", "from_pandoc"]

J = pt.NodeJSON

_ALIGN: dict[str, Align] = {
    "AlignDefault": "", "AlignLeft": "left", "AlignCenter": "center", "AlignRight": "right",
}  # fmt: skip
#: Inline pandoc constructors digestkit has no node for, kept as the HTML tags that show them.
_HTML_WRAP = {"Underline": "u", "Superscript": "sup", "Subscript": "sub"}
_QUOTES = {"SingleQuote": ("‘", "’"), "DoubleQuote": ("“", "”")}

_STR_FIELDS = {"title", "summary", "description", "cover_image", "source", "author", "lang", "slug"}
_LIST_FIELDS = {"tags", "categories", "aliases"}
_DATE_FIELDS = {"date", "lastmod", "publish_date"}
_FIELDS = tuple(
    f.name for f in fields(Meta) if f.name not in ("params", "extra", "keys", "front_matter")
)


class _Bad(ValueError):
    """Malformed pandoc JSON (caught once at the top and reported as a ParseError)."""


def _content(el: J) -> Any:
    """An element's ``c`` (absent for ``Space``, ``SoftBreak`` …); typed Any on purpose: the
    shapes differ per constructor and a malformed one raises, caught once in :func:`from_pandoc`."""
    return el.get("c")


def _attr(attr: Any) -> tuple[str, list[str], dict[str, str]]:
    ident, classes, kvs = attr
    return str(ident), [str(c) for c in classes], {str(k): str(v) for k, v in kvs}


# --------------------------------------------------------------------------- inlines


def _inlines(items: Iterable[J]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for el in items:
        _inline(el, out)
    # ``<strong>…</strong>`` (and em, s) are how digestkit's Markdown writes emphasis that
    # CommonMark delimiters cannot express; pandoc reads them as raw HTML, the markdown reader
    # folds them into nodes, and so must this reader for the two readings to agree.
    return merge_text(fold_html(out))


def _title(kvs: Mapping[str, str], title: str) -> str | None:
    return title or ("" if pt.EMPTY_TITLE in kvs else None)


def _params(kvs: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    if "params" not in kvs:
        return ()
    return tuple((str(k), str(v)) for k, v in json.loads(kvs["params"]))


def _span(attr: Any, content: list[J], out: list[Inline]) -> None:
    _, classes, kvs = _attr(attr)
    children = _inlines(content)
    if pt.NOTE in classes and len(children) == 1 and isinstance(children[0], Note):
        out.append(replace(children[0], label=kvs.get("note-label", "")))
    elif pt.RUBY in classes and "annotation" in kvs:
        out.append(Ruby(base=children, annotation=kvs["annotation"]))
    elif pt.SHORTCODE in classes:
        out.append(
            ShortcodeInline(
                name=kvs.get("shortcode", ""),
                params=_params(kvs),
                children=None if kvs.get("content") == "none" else children,
                open=kvs.get("open-tag", ""),
                close=kvs.get("close-tag", ""),
            )
        )
    else:
        out.extend(children)  # a plain Span: its attributes are lost, its text is kept


def _inline(el: J, out: list[Inline]) -> None:
    t, c = el["t"], _content(el)
    match t:
        case "Str":
            out.append(Text(text=str(c)))
        case "Space":
            out.append(Text(text=" "))
        case "SoftBreak":
            out.append(SoftBreak())
        case "LineBreak":
            out.append(HardBreak())
        case "Emph":
            out.append(Emphasis(children=_inlines(c)))
        case "Strong":
            out.append(Strong(children=_inlines(c)))
        case "Strikeout":
            out.append(Strikethrough(children=_inlines(c)))
        case "Underline" | "Superscript" | "Subscript":
            tag = _HTML_WRAP[t]
            out += [HtmlInline(text=f"<{tag}>"), *_inlines(c), HtmlInline(text=f"</{tag}>")]
        case "SmallCaps":
            out.extend(_inlines(c))
        case "Quoted":
            left, right = _QUOTES.get(c[0]["t"], ("“", "”"))
            out += [Text(text=left), *_inlines(c[1]), Text(text=right)]
        case "Cite":
            out.extend(_inlines(c[1]))  # the citation as written (“[@doe, p. 3]”)
        case "Code":
            out.append(Code(text=str(c[1])))
        case "Math":
            out.append(Code(text=str(c[1])))  # TeX source, kept verbatim
        case "RawInline":
            fmt, text = c
            out.append(HtmlInline(text=text) if fmt == "html" else Code(text=str(text)))
        case "Link":
            attr, content, (url, title) = c
            kvs = _attr(attr)[2]
            out.append(Link(url=url, children=_inlines(content), title=_title(kvs, title)))
        case "Image":
            attr, content, (url, title) = c
            kvs = _attr(attr)[2]
            out.append(Image(url=url, alt=_inlines(content), title=_title(kvs, title)))
        case "Note":
            out.append(Note(blocks=_blocks(c)))
        case "Span":
            _span(c[0], c[1], out)
        case _:
            raise _Bad(f"unknown inline element {t!r}")


# --------------------------------------------------------------------------- blocks


def _flatten(blocks: list[J]) -> tuple[Inline, ...]:
    """Blocks → one run of inlines (table cells, captions): paragraphs joined by line breaks."""
    out: list[Inline] = []
    for el in blocks:
        if out:
            out.append(HardBreak())
        if el["t"] in ("Plain", "Para"):
            out.extend(_inlines(el["c"]))
        else:
            out.append(Text(text=plain_text(Document(blocks=_blocks([el])))))
    return merge_text(out)


def _tight(items: list[list[J]]) -> bool:
    """pandoc's tight lists hold ``Plain``, loose ones ``Para``: the first one found decides."""
    for item in items:
        for el in item:
            if el["t"] in ("Plain", "Para"):
                return bool(el["t"] == "Plain")
    return True


def _items(items: list[list[J]]) -> tuple[ListItem, ...]:
    return tuple(ListItem(blocks=_blocks(item)) for item in items)


def _code_block(attr: Any, text: str) -> CodeBlock:
    _, classes, kvs = _attr(attr)
    info = kvs[pt.INFO] if pt.INFO in kvs else " ".join(classes)
    final = kvs.get(pt.FINAL_NEWLINE)
    if final is None:
        final = "yes" if text else "no"
    return CodeBlock(text=text + "\n" if final == "yes" else text, info=info)


def _row_cells(row: Any) -> tuple[TableCell, ...]:
    # Cell = [Attr, Alignment, RowSpan, ColSpan, [Block]]; spans are lost (each cell once)
    return tuple(TableCell(children=_flatten(cell[4])) for cell in row[1])


def _table(c: list[Any], out: list[Block]) -> None:
    attr, caption, colspecs, head, bodies, foot = c
    kvs = _attr(attr)[2]
    head_rows = [_row_cells(r) for r in head[1]]
    rows: list[tuple[TableCell, ...]] = head_rows[1:]
    for body in bodies:  # TableBody = [Attr, RowHeadColumns, [Row] (head), [Row]]
        rows += [_row_cells(r) for r in body[2]] + [_row_cells(r) for r in body[3]]
    rows += [_row_cells(r) for r in foot[1]]
    if pt.ALIGNS in kvs:
        aligns: tuple[Align, ...] = tuple(json.loads(kvs[pt.ALIGNS]))
    else:
        aligns = tuple(_ALIGN.get(spec[0]["t"], "") for spec in colspecs)
    out.append(Table(header=head_rows[0] if head_rows else (), rows=tuple(rows), aligns=aligns))
    _caption(caption, out)


def _caption(caption: Any, out: list[Block]) -> None:
    # Caption = [ShortCaption | null, [Block]]
    if caption[1]:
        out.append(Caption(children=_flatten(caption[1])))


def _article(kvs: Mapping[str, str], content: list[J]) -> Article:
    meta = ArticleMeta(
        title=kvs.get("title"),
        source=kvs.get("source"),
        author=kvs.get("author"),
        tags=tuple(json.loads(kvs["tags"])) if "tags" in kvs else (),
        lang=kvs.get("lang"),
        column=kvs.get("column"),
        date=kvs.get("date"),
    )
    if content and content[0]["t"] == "Header" and pt.ARTICLE_TITLE in _attr(content[0]["c"][1])[1]:
        content = content[1:]  # the visible title the writer added; the attribute is the truth
    return Article(meta=meta, blocks=_blocks(content))


def _div(attr: Any, content: list[J], out: list[Block]) -> None:
    _, classes, kvs = _attr(attr)
    if pt.ARTICLE in classes:
        out.append(_article(kvs, content))
    elif pt.CAPTION in classes:
        out.append(Caption(children=_flatten(content)))
    elif pt.SHORTCODE in classes:
        out.append(
            Shortcode(
                name=kvs.get("shortcode", ""),
                params=_params(kvs),
                blocks=None if kvs.get("content") == "none" else _blocks(content),
                open=kvs.get("open-tag", ""),
                close=kvs.get("close-tag", ""),
            )
        )
    elif pt.RAW in classes and len(content) == 1 and content[0]["t"] == "RawBlock":
        fmt, text = content[0]["c"]
        if kvs.get("node") == "HtmlBlock":
            out.append(HtmlBlock(text=str(text)))
        else:
            out.append(Raw(format=str(fmt), text=str(text)))
    elif pt.LOOSE_LIST in classes and len(content) == 1:
        inner = _blocks(content)
        out.extend(replace(b, tight=False) if isinstance(b, (BulletList, OrderedList)) else b
                   for b in inner)  # fmt: skip
    else:
        out.extend(_blocks(content))  # a plain Div: attributes lost, blocks kept


def _block(el: J, out: list[Block]) -> None:
    t, c = el["t"], _content(el)
    match t:
        case "Plain" | "Para":
            out.append(Paragraph(children=_inlines(c)))
        case "LineBlock":
            lines: list[Inline] = []
            for line in c:
                if lines:
                    lines.append(HardBreak())
                lines.extend(_inlines(line))
            out.append(Paragraph(children=merge_text(lines)))
        case "CodeBlock":
            out.append(_code_block(c[0], c[1]))
        case "RawBlock":
            fmt, text = c
            if fmt == "html":
                # pandoc ends raw HTML blocks with newlines; digestkit's HtmlBlock never does
                out.append(HtmlBlock(text=text.rstrip("\n")))
            else:
                out.append(Raw(format=str(fmt), text=str(text)))
        case "BlockQuote":
            out.append(BlockQuote(blocks=_blocks(c)))
        case "OrderedList":
            (start, _style, _delim), items = c
            out.append(OrderedList(items=_items(items), start=int(start), tight=_tight(items)))
        case "BulletList":
            out.append(BulletList(items=_items(c), tight=_tight(c)))
        case "DefinitionList":
            # each term with its definitions becomes one item: the term, then its blocks
            items = [[{"t": "Plain", "c": term}, *(b for d in defs for b in d)] for term, defs in c]
            tight = all(d and d[0]["t"] == "Plain" for _, defs in c for d in defs)
            out.append(BulletList(items=_items(items), tight=tight))
        case "Header":
            level, attr, content = c
            ident, _, kvs = _attr(attr)
            out.append(
                Heading(
                    level=min(max(int(level), 1), 6),
                    children=_inlines(content),
                    id=ident or ("" if pt.EMPTY_ID in kvs else None),
                )
            )
        case "HorizontalRule":
            out.append(ThematicBreak())
        case "Table":
            _table(c, out)
        case "Figure":
            _, caption, content = c
            out.extend(_blocks(content))
            _caption(caption, out)
        case "Div":
            _div(c[0], c[1], out)
        case "Null":
            pass  # pandoc-types < 1.23: an empty block
        case _:
            raise _Bad(f"unknown block element {t!r}")


def _blocks(items: Iterable[J]) -> tuple[Block, ...]:
    out: list[Block] = []
    for el in items:
        _block(el, out)
    return tuple(out)


# --------------------------------------------------------------------------- metadata


def _typed(kind: str, text: str) -> Any:
    convert: dict[str, Callable[[str], Any]] = {
        "null": lambda _: None,
        "int": int,
        "float": float,
        "date": _dt.date.fromisoformat,
        "datetime": _dt.datetime.fromisoformat,
        "time": _dt.time.fromisoformat,
    }
    try:
        return convert[kind](text) if kind in convert else text
    except ValueError:
        return text  # a filter changed the value: keep what it says


class _MetaDecoder:
    def __init__(self, types: Mapping[str, str]) -> None:
        self.types = types

    def value(self, mv: J, *path: str | int) -> Any:
        t, c = mv["t"], _content(mv)
        kind = self.types.get(pt.pointer(*path), "")
        match t:
            case "MetaString":
                return _typed(kind, str(c))
            case "MetaBool":
                return bool(c)
            case "MetaInlines":
                return _typed(kind, plain_text(Paragraph(children=_inlines(c))))
            case "MetaBlocks":
                return _typed(kind, plain_text(Document(blocks=_blocks(c))))
            case "MetaList":
                values = [self.value(v, *path, i) for i, v in enumerate(c)]
                if kind == "pairs":
                    return {k: v for k, v in values}
                return tuple(values) if kind == "tuple" else values
            case "MetaMap":
                return {str(k): self.value(v, *path, k) for k, v in c.items()}
            case _:
                raise _Bad(f"unknown metadata value {t!r}")


def _fits(name: str, value: Any) -> Any:
    """The field value for ``value``, or a sentinel when it does not fit (then it goes to extra)."""
    if name in _STR_FIELDS:
        return value if isinstance(value, str) else _NO
    if name in _LIST_FIELDS:
        ok = isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)
        return tuple(value) if ok else _NO
    if name in _DATE_FIELDS:
        if isinstance(value, str):
            value = parse_date(value)
        return value if isinstance(value, (_dt.date, _dt.datetime)) else _NO
    if name == "draft":
        return value if isinstance(value, bool) else _NO
    if name == "weight":
        return value if isinstance(value, int) and not isinstance(value, bool) else _NO
    raise AssertionError(name)


_NO = object()


def _exact_meta(meta: Mapping[str, J], own: Mapping[str, J]) -> Meta:
    """Metadata the pandoc-json writer produced (possibly edited by a filter)."""
    raw_types = own.get("types", {"c": {}})["c"]
    dec = _MetaDecoder({k: str(v["c"]) for k, v in raw_types.items()})
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    params: dict[str, Any] = {}
    for key, mv in meta.items():
        if key == pt.META_KEY:
            continue
        value = dec.value(mv, key)
        if key == "params" and isinstance(value, dict):
            params = value
        elif key in _FIELDS and (typed := _fits(key, value)) is not _NO:
            values[key] = typed
        else:
            extra[key] = value
    if "extra" in own:
        extra.update(dec.value(own["extra"], pt.META_KEY, "extra"))
    keys = tuple(
        MetaKey(name=k["c"][0]["c"], field=k["c"][1]["c"], form=k["c"][2]["c"])
        for k in own.get("keys", {"c": []})["c"]
    )
    front = None
    if "front-matter" in own:
        fm = own["front-matter"]["c"]
        front = FrontMatter(format=fm["format"]["c"], text=fm["text"]["c"])
    return Meta(**values, params=params, extra=extra, keys=keys, front_matter=front)


def _meta(meta: Mapping[str, J]) -> Meta:
    own = meta.get(pt.META_KEY)
    if own is not None and own.get("t") == "MetaMap" and "version" in own["c"]:
        return _exact_meta(meta, own["c"])
    # pandoc's own metadata: a plain mapping, typed exactly as front matter is
    dec = _MetaDecoder({})
    return meta_from_mapping({str(k): dec.value(v, k) for k, v in meta.items()})


# --------------------------------------------------------------------------- entry points


def _check_version(version: Any, path: str | None) -> None:
    if not (isinstance(version, list) and len(version) >= 2 and version[0] == 1):
        raise ParseError(f"unknown pandoc-api-version {version!r} (1.23 expected)", path=path)
    if version[1] < 21:
        raise ParseError(
            f"pandoc JSON API {version[0]}.{version[1]} is too old (1.21–1.23 supported); "
            "convert it with pandoc 2.11 or newer (pandoc -f json -t json)",
            path=path,
        )
    if version[1] > 23:
        warnings.warn(
            f"{path or '<string>'}: pandoc JSON API {version[0]}.{version[1]} is newer than 1.23; "
            "reading it as 1.23",
            stacklevel=3,
        )


def from_pandoc(data: Any, *, path: str | None = None) -> Document:
    """The Document for already parsed pandoc JSON (``json.loads`` output or panflute's)."""
    if not isinstance(data, dict) or "pandoc-api-version" not in data:
        raise ParseError("not pandoc JSON: no pandoc-api-version", path=path)
    _check_version(data["pandoc-api-version"], path)
    try:
        # Markdown that digestkit wrote keeps articles and captions in comment markers; pandoc
        # reads them as raw HTML, and they fold back exactly as the markdown reader folds them.
        blocks = fold(_blocks(data["blocks"]))
        return Document(meta=_meta(data.get("meta", {})), blocks=blocks)
    except (_Bad, KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        detail = str(exc) if isinstance(exc, _Bad) else f"{type(exc).__name__}: {exc}"
        raise ParseError(f"malformed pandoc JSON ({detail})", path=path) from None


class PandocJsonReader:
    """pandoc's JSON AST, as ``pandoc -t json`` or the ``pandoc-json`` writer gives it."""

    name = "pandoc-json"
    description = "pandoc's JSON AST (API 1.21–1.23)"
    extensions = (".json",)

    def sniff(self, text: str, path: str | None) -> float:
        """Sure for a JSON object naming a ``pandoc-api-version``; never digestkit's own JSON."""
        head = text[:200].replace(" ", "").replace("\n", "")
        if not head.startswith("{") or head.startswith('{"t":"Document"'):
            return 0.0
        if '"pandoc-api-version"' in head:
            return 1.0
        # other tools may put "meta" (which can be long) or "blocks" first
        return 0.9 if '"pandoc-api-version"' in text else 0.0

    def read(self, text: str, *, path: str | None = None) -> Document:
        """Parse the JSON and map it; malformed input is a ParseError naming the file."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ParseError(
                f"JSON: {exc.msg}", path=path, line=exc.lineno, column=exc.colno
            ) from None
        return from_pandoc(data, path=path)


READER = PandocJsonReader()
