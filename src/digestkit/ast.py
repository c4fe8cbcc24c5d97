"""The digestkit document model: one typed tree that every reader produces and every writer consumes.

Modelled on pandoc-types' ``Definition.hs``: a closed set of node types, each an immutable,
slotted dataclass with tuple children, so documents compare structurally with ``==`` and can be
shared between threads and processes without copying. ``Block`` and ``Inline`` are plain unions;
dispatch on them with ``match``.

``Document.to_dict()`` gives JSON-ready data tagged with ``{"t": kind, ...}``; ``from_dict`` reads
it back exactly. That form is the ``json`` format, the fixture format and the debug view
(``digestkit inspect --json``).
"""

from __future__ import annotations

import datetime as _dt
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from types import MappingProxyType

from ._records import field, fields, replace
from ._records import record as dataclass  # dataclasses' classes, built without exec

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from typing import Any, Literal, TypeAlias

__all__ = [
    "Align",
    "Article",
    "ArticleMeta",
    "Block",
    "BlockQuote",
    "BulletList",
    "Caption",
    "Code",
    "CodeBlock",
    "Document",
    "Emphasis",
    "FrontMatter",
    "HardBreak",
    "Heading",
    "HtmlBlock",
    "HtmlInline",
    "Image",
    "Inline",
    "Link",
    "ListItem",
    "Meta",
    "MetaKey",
    "Node",
    "Note",
    "OrderedList",
    "Paragraph",
    "Raw",
    "Ruby",
    "Shortcode",
    "ShortcodeInline",
    "SoftBreak",
    "Strikethrough",
    "Strong",
    "Table",
    "TableCell",
    "Text",
    "ThematicBreak",
    "children_of",
    "plain_text",
    "walk",
]

_NODE = dict(frozen=True, slots=True, kw_only=True)


# --------------------------------------------------------------------------- inlines


@dataclass(**_NODE)
class Text:
    """A run of literal text, exactly as read (never NFKC-normalised)."""

    text: str


@dataclass(**_NODE)
class Emphasis:
    """Emphasised inlines (``*x*``, ``<em>``)."""

    children: tuple[Inline, ...]


@dataclass(**_NODE)
class Strong:
    """Strongly emphasised inlines (``**x**``, ``<strong>``)."""

    children: tuple[Inline, ...]


@dataclass(**_NODE)
class Strikethrough:
    """Struck-out inlines (GFM ``~~x~~``, ``<del>``)."""

    children: tuple[Inline, ...]


@dataclass(**_NODE)
class Code:
    """Inline code; ``text`` is never converted, escaped or re-spaced."""

    text: str


@dataclass(**_NODE)
class Link:
    """A hyperlink. ``url`` is kept as the author wrote it (after unescaping), not percent-encoded."""

    url: str
    children: tuple[Inline, ...]
    title: str | None = None


@dataclass(**_NODE)
class Image:
    """An image. ``alt`` keeps its inline structure so Markdown round trips are exact."""

    url: str
    alt: tuple[Inline, ...] = ()
    title: str | None = None


@dataclass(**_NODE)
class Ruby:
    """Ruby: ``base`` annotated with its reading (``<ruby>明月<rt>めいげつ</rt></ruby>``).

    ``annotation`` is the reading as plain text — furigana, zhuyin (ㄇㄧㄥˊ), pinyin — kept as
    written: script conversion converts the base only (a reading is not Chinese to convert),
    and :func:`plain_text` gives the base (the reading is shown above it, not inside the
    sentence). HTML-like writers give ``<ruby>base<rp>(</rp><rt>ann</rt><rp>)</rp></ruby>``:
    readers without ruby support show ``base(ann)``.
    """

    base: tuple[Inline, ...]
    annotation: str


@dataclass(**_NODE)
class SoftBreak:
    """A line break in the source that renders as a space (or nothing, between CJK characters)."""


@dataclass(**_NODE)
class HardBreak:
    """A forced line break (``\\`` or two spaces at the end of a line, ``<br>``)."""


@dataclass(**_NODE)
class HtmlInline:
    """Raw inline HTML, kept verbatim; HTML writers sanitise it, text writers pass it through."""

    text: str


@dataclass(**_NODE)
class Note:
    """A footnote (pandoc's ``Note``): its blocks belong where the reference stands.

    ``label`` is the name the source gave it (``3`` for Markdown's ``[^3]``), kept so a Markdown
    round trip writes the same label; writers that number notes themselves ignore it.
    """

    blocks: tuple[Block, ...]
    label: str = ""


@dataclass(**_NODE)
class ShortcodeInline:
    """A Hugo shortcode inside a paragraph (``{{< relref "x.md" >}}``, ``{{< param "a" >}}``).

    ``open``/``close`` keep the tags exactly as written, so Markdown and Hugo output put them back
    byte for byte; ``name`` and ``params`` are the parsed form that book writers render.
    ``children`` is None when there is no closing tag, else the inlines between the tags.
    Positional parameters have the key ``""``.
    """

    name: str
    params: tuple[tuple[str, str], ...] = ()
    children: tuple[Inline, ...] | None = None
    open: str = ""
    close: str = ""


Inline: TypeAlias = (
    Text
    | Emphasis
    | Strong
    | Strikethrough
    | Code
    | Link
    | Image
    | Ruby
    | SoftBreak
    | HardBreak
    | HtmlInline
    | Note
    | ShortcodeInline
)

# --------------------------------------------------------------------------- blocks


@dataclass(**_NODE)
class Paragraph:
    """A paragraph of inlines."""

    children: tuple[Inline, ...]


@dataclass(**_NODE)
class Heading:
    """A section heading, level 1–6. ``id`` is an optional explicit anchor."""

    level: int
    children: tuple[Inline, ...]
    id: str | None = None


@dataclass(**_NODE)
class ListItem:
    """One item of a bullet or ordered list."""

    blocks: tuple[Block, ...]


@dataclass(**_NODE)
class BulletList:
    """An unordered list. ``tight`` lists render their paragraphs without ``<p>``."""

    items: tuple[ListItem, ...]
    tight: bool = True


@dataclass(**_NODE)
class OrderedList:
    """A numbered list starting at ``start``."""

    items: tuple[ListItem, ...]
    start: int = 1
    tight: bool = True


@dataclass(**_NODE)
class BlockQuote:
    """A quotation of blocks."""

    blocks: tuple[Block, ...]


@dataclass(**_NODE)
class CodeBlock:
    """Preformatted code. ``text`` keeps its final newline as read; ``info`` is the fence's info string."""

    text: str
    info: str = ""


@dataclass(**_NODE)
class ThematicBreak:
    """A horizontal rule / scene break."""


@dataclass(**_NODE)
class HtmlBlock:
    """A raw HTML block, kept verbatim (e.g. the Telegram card at the end of a digest)."""

    text: str


@dataclass(**_NODE)
class Raw:
    """Content for one target format only (e.g. ``Raw(format="hugo", text="{{< x >}}")``).

    Writers for ``format`` emit ``text`` as is; other writers drop it. This is the escape hatch
    that lets Hugo shortcodes survive a round trip.
    """

    format: str
    text: str


@dataclass(**_NODE)
class Shortcode:
    """A Hugo shortcode standing as a block: ``{{< name params >}}``, or wrapping ``blocks``.

    ``open``/``close`` keep the tags exactly as written (delimiters ``<``/``%``, spacing,
    quoting) so Markdown and Hugo output put them back byte for byte; ``name`` and ``params``
    (positional ones with the key ``""``) are the parsed form that EPUB, PDF and HTML render.
    ``blocks`` is None for a shortcode without a closing tag, else the content between the tags.
    """

    name: str
    params: tuple[tuple[str, str], ...] = ()
    blocks: tuple[Block, ...] | None = None
    open: str = ""
    close: str = ""


if TYPE_CHECKING:
    Align = Literal["left", "center", "right", ""]


def __getattr__(name: str) -> object:
    """``Align``, made the first time it is asked for (PEP 562): a ``Literal`` needs
    ``typing``, which a weekly re-run does not otherwise import (~2 ms, issue 26); every
    annotation that names it is a string."""
    if name == "Align":
        from typing import Literal

        align = Literal["left", "center", "right", ""]
        globals()["Align"] = align
        return align
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(**_NODE)
class TableCell:
    """One table cell of inlines."""

    children: tuple[Inline, ...]


@dataclass(**_NODE)
class Table:
    """A GFM table: one header row, body rows and a column alignment each."""

    header: tuple[TableCell, ...]
    rows: tuple[tuple[TableCell, ...], ...] = ()
    aligns: tuple[Align, ...] = ()


@dataclass(**_NODE)
class Caption:
    """A figure or image caption recovered from prose, e.g. ``（圖源：whitehouse.gov）``.

    Kept as typed data rather than body text so writers can style it and tools can drop it.
    """

    children: tuple[Inline, ...]


@dataclass(**_NODE)
class ArticleMeta:
    """Per-article metadata when one document holds several articles (prose digests)."""

    title: str | None = None
    source: str | None = None
    author: str | None = None
    tags: tuple[str, ...] = ()
    lang: str | None = None
    column: str | None = None
    #: when the article was published, as ISO 8601 text (``2026-03-02`` or
    #: ``2026-03-02T08:00:00+08:00``): a string like the other article fields, so every writer
    #: carries it verbatim, with the source's own UTC offset (the weekly job dates a feed
    #: entry by the day it names). Script conversion never touches it.
    date: str | None = None


@dataclass(**_NODE)
class Article:
    """One article inside a multi-article document, with its own metadata."""

    meta: ArticleMeta
    blocks: tuple[Block, ...]


Block: TypeAlias = (
    Paragraph
    | Heading
    | BulletList
    | OrderedList
    | BlockQuote
    | CodeBlock
    | ThematicBreak
    | HtmlBlock
    | Raw
    | Table
    | Caption
    | Article
    | Shortcode
)

# --------------------------------------------------------------------------- metadata


@dataclass(**_NODE)
class MetaKey:
    """Where one front matter key came from, so writers can put it back as it was.

    ``name`` is the key as written (``coverImage``), ``field`` the :class:`Meta` field it fills
    (``cover_image``, or ``extra``), and ``form`` how the value was spelled when that differs from
    the field's type: ``"scalar"`` for a one-element list written as a bare value
    (``category: AI``), ``"string"`` for a date written as a quoted string, ``"inverted"`` for a
    boolean that says the opposite of its field (``published: false`` filling ``draft``),
    ``"detected"`` for a value digestkit inferred (``lang`` from the text) that was not in the
    source and is not written back to front matter.
    """

    name: str
    field: str
    form: Literal["", "scalar", "string", "inverted", "detected"] = ""


@dataclass(**_NODE)
class FrontMatter:
    """The front matter text exactly as read, so an unchanged document is written back byte for byte.

    Not part of equality: two documents with the same metadata are equal whatever their
    front matter looked like.
    """

    format: Literal["yaml", "toml", "json"]
    text: str


Scalar: TypeAlias = _dt.datetime | _dt.date


def _frozen_mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(value or {}))


@dataclass(**_NODE)
class Meta:
    """Typed document metadata.

    The common digest fields are typed; every other front matter key lives in ``extra`` in its
    original order with its original type. ``keys`` records the original key names and order
    (see :class:`MetaKey`); it is empty for documents built in code, and writers then use the
    canonical names. ``keys`` and ``front_matter`` are presentation, not content: they are kept
    by ``to_dict`` but ignored by ``==``, so the same metadata compares equal whether it came
    from YAML, TOML or code.
    """

    title: str | None = None
    date: _dt.datetime | _dt.date | None = None
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    summary: str | None = None
    description: str | None = None
    cover_image: str | None = None
    source: str | None = None
    author: str | None = None
    draft: bool | None = None
    lang: str | None = None
    slug: str | None = None
    weight: int | None = None
    aliases: tuple[str, ...] = ()
    lastmod: _dt.datetime | _dt.date | None = None
    publish_date: _dt.datetime | _dt.date | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)
    keys: tuple[MetaKey, ...] = field(default=(), compare=False)
    front_matter: FrontMatter | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        # Mappings are frozen views so a Meta cannot change under a writer's feet.
        object.__setattr__(self, "params", _frozen_mapping(self.params))
        object.__setattr__(self, "extra", _frozen_mapping(self.extra))

    def __reduce__(self) -> tuple[Any, ...]:
        # Mapping proxies cannot be pickled; documents cross process pools and the cache.
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["params"], values["extra"] = dict(self.params), dict(self.extra)
        return (_meta_from_state, (values,))

    def replace(self, **changes: Any) -> Meta:
        """A copy with some fields changed (``dataclasses.replace``), as :meth:`Document.replace`."""
        return replace(self, **changes)

    def is_empty(self) -> bool:
        """True when there is no metadata at all (no front matter should be written)."""
        return self == Meta() and not self.keys


def _meta_from_state(values: dict[str, Any]) -> Meta:
    return Meta(**values)


@dataclass(**_NODE)
class Document:
    """A whole document: metadata and blocks. Multi-article files hold :class:`Article` blocks."""

    meta: Meta = field(default_factory=Meta)
    blocks: tuple[Block, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data; ``Document.from_dict(d.to_dict()) == d`` always holds."""
        return _encode_node(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Document:
        """Rebuild a document from :meth:`to_dict` output (raises ``ValueError`` on bad data)."""
        node = _decode_node(data)
        if not isinstance(node, Document):
            raise ValueError(f"expected a Document, got {type(node).__name__}")
        return node

    def articles(self) -> Iterator[Article]:
        """The articles of a multi-article document (none for a plain one)."""
        return (b for b in self.blocks if isinstance(b, Article))

    def replace(self, **changes: Any) -> Document:
        """A copy with some fields changed (``dataclasses.replace``)."""
        return replace(self, **changes)


# --------------------------------------------------------------------------- helpers

_NODE_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        Text, Emphasis, Strong, Strikethrough, Code, Link, Image, Ruby, SoftBreak, HardBreak,
        HtmlInline, Note, ShortcodeInline, Shortcode, Paragraph, Heading, ListItem, BulletList,
        OrderedList, BlockQuote, CodeBlock,
        ThematicBreak, HtmlBlock, Raw, TableCell, Table, Caption, ArticleMeta, Article, MetaKey,
        FrontMatter, Meta, Document,
    )
}  # fmt: skip


#: Meta fields holding free-form values (dates, mappings) rather than nodes.
_META_VALUES = frozenset({"params", "extra", "date", "lastmod", "publish_date"})


def _encode_value(value: Any) -> Any:
    """Encode a metadata value; dates and times get ``$``-tagged objects so types survive JSON."""
    if isinstance(value, _dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, _dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, _dt.time):
        return {"$time": value.isoformat()}
    if isinstance(value, (list, tuple)):
        return [_encode_value(v) for v in value]
    if isinstance(value, Mapping):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: _encode_value(v) for k, v in value.items()}
        return {"$map": [[_encode_value(k), _encode_value(v)] for k, v in value.items()]}
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    raise TypeError(f"cannot encode metadata value of type {type(value).__name__}")


def _decode_value(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode_value(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1:
            ((tag, payload),) = value.items()
            if tag == "$datetime":
                return _dt.datetime.fromisoformat(payload)
            if tag == "$date":
                return _dt.date.fromisoformat(payload)
            if tag == "$time":
                return _dt.time.fromisoformat(payload)
            if tag == "$map":
                return {_decode_value(k): _decode_value(v) for k, v in payload}
        return {k: _decode_value(v) for k, v in value.items()}
    return value


def _encode_node(node: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"t": type(node).__name__}
    for f in fields(node):
        value = getattr(node, f.name)
        if isinstance(node, Meta) and f.name in _META_VALUES:
            out[f.name] = _encode_value(value)
        elif isinstance(value, tuple):
            out[f.name] = [
                _encode_node(v)
                if type(v).__name__ in _NODE_TYPES
                else [_encode_node(c) if type(c).__name__ in _NODE_TYPES else c for c in v]
                if isinstance(v, tuple)
                else v
                for v in value
            ]
        elif type(value).__name__ in _NODE_TYPES:
            out[f.name] = _encode_node(value)
        else:
            out[f.name] = value
    return out


def _decode_node(data: Any) -> Any:
    if not isinstance(data, Mapping) or "t" not in data:
        raise ValueError(f"expected a tagged node object, got {data!r:.80}")
    cls = _NODE_TYPES.get(data["t"])
    if cls is None:
        raise ValueError(f"unknown node type {data['t']!r}")
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        if cls is Meta and f.name in _META_VALUES:
            kwargs[f.name] = _decode_value(value)
        elif isinstance(value, list):
            kwargs[f.name] = tuple(
                _decode_node(v)
                if isinstance(v, Mapping)
                else tuple(_decode_node(c) if isinstance(c, Mapping) else c for c in v)
                if isinstance(v, list)
                else v
                for v in value
            )
        elif isinstance(value, Mapping):
            kwargs[f.name] = _decode_node(value)
        else:
            kwargs[f.name] = value
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise ValueError(f"bad {data['t']} node: {exc}") from None


#: Every node that can stand in a document tree (metadata records aside).
Node: TypeAlias = Block | Inline | ListItem | TableCell | Document


def children_of(node: Node) -> tuple[Node, ...]:
    """The child nodes of ``node`` in reading order (none for leaves)."""
    match node:
        case Document(blocks=blocks) | Article(blocks=blocks) | BlockQuote(blocks=blocks):
            return blocks
        case ListItem(blocks=blocks) | Note(blocks=blocks):
            return blocks
        case Shortcode(blocks=blocks):
            return blocks or ()
        case ShortcodeInline(children=children):
            return children or ()
        case BulletList(items=items) | OrderedList(items=items):
            return items
        case Table(header=header, rows=rows):
            return header + tuple(c for row in rows for c in row)
        case Image(alt=alt):
            return alt
        case Ruby(base=base):
            return base
        case (
            Paragraph(children=kids) | Heading(children=kids) | Caption(children=kids)
            | TableCell(children=kids) | Emphasis(children=kids) | Strong(children=kids)
            | Strikethrough(children=kids) | Link(children=kids)
        ):  # fmt: skip
            return kids
        case (
            Text() | Code() | SoftBreak() | HardBreak() | HtmlInline() | CodeBlock()
            | ThematicBreak() | HtmlBlock() | Raw()
        ):  # fmt: skip
            return ()
        case _:
            from typing import assert_never  # never reached: for the type check only

            assert_never(node)


def walk(node: Any, action: Callable[[Any], Any]) -> Any:
    """Rebuild ``node`` bottom-up, replacing each node by ``action(node)`` (panflute-style).

    ``action`` returns the node to keep (the same object to leave it alone). Children are
    visited before their parent, so the parent sees already transformed children.
    """
    new: Any
    match node:
        case Document() | Article() | BlockQuote() | ListItem() | Note():
            new = replace(node, blocks=tuple(walk(b, action) for b in node.blocks))
        case Shortcode(blocks=blocks):
            new = (
                node
                if blocks is None
                else replace(node, blocks=tuple(walk(b, action) for b in blocks))
            )
        case ShortcodeInline(children=children):
            new = (
                node
                if children is None
                else replace(node, children=tuple(walk(c, action) for c in children))
            )
        case BulletList() | OrderedList():
            new = replace(node, items=tuple(walk(i, action) for i in node.items))
        case Table():
            new = replace(
                node,
                header=tuple(walk(c, action) for c in node.header),
                rows=tuple(tuple(walk(c, action) for c in row) for row in node.rows),
            )
        case Image():
            new = replace(node, alt=tuple(walk(c, action) for c in node.alt))
        case Ruby():
            new = replace(node, base=tuple(walk(c, action) for c in node.base))
        case (
            Paragraph() | Heading() | Emphasis() | Strong() | Strikethrough() | Link()
            | TableCell() | Caption()
        ):  # fmt: skip
            new = replace(node, children=tuple(walk(c, action) for c in node.children))
        case (
            Text() | Code() | SoftBreak() | HardBreak() | HtmlInline() | CodeBlock()
            | ThematicBreak() | HtmlBlock() | Raw()
        ):  # fmt: skip
            new = node
        case _:
            from typing import assert_never  # never reached: for the type check only

            assert_never(node)
    return action(new)


def _inline_text(kids: tuple[Node, ...]) -> str:
    """Inline children's text; a soft break between CJK characters is nothing (CSS Text 3)."""
    parts = [plain_text(c) for c in kids]
    if any(type(c) is SoftBreak for c in kids):
        from .cjk import soft_break

        for i, c in enumerate(kids):
            if (
                type(c) is SoftBreak
                and 0 < i < len(kids) - 1
                and soft_break(parts[i - 1][-1:], parts[i + 1][:1]) == ""
            ):
                parts[i] = ""
    return "".join(parts)


def plain_text(node: Node) -> str:
    """The visible text of a node and its children, for search and checks.

    Breaks are newlines, except a soft break between two CJK characters, which is nothing
    (``中文⏎中文`` reads ``中文中文``: see :func:`digestkit.cjk.soft_break`), as a reader sees it.
    """
    match node:
        case Text(text=text) | Code(text=text) | CodeBlock(text=text):
            return text
        case SoftBreak() | HardBreak():
            return "\n"
        case HtmlInline() | HtmlBlock() | Raw() | ThematicBreak():
            return ""
        case (
            Document() | Article() | BlockQuote() | ListItem() | Note() | Shortcode()
            | BulletList() | OrderedList() | Table()
        ):  # fmt: skip
            return "\n".join(p for p in (plain_text(c) for c in children_of(node)) if p)
        case (
            Paragraph() | Heading() | Caption() | TableCell() | Emphasis() | Strong()
            | Strikethrough() | Link() | Image() | Ruby() | ShortcodeInline()
        ):  # fmt: skip
            return _inline_text(children_of(node))
        case _:
            from typing import assert_never  # never reached: for the type check only

            assert_never(node)


def _fast_pickling(cls: type) -> None:
    """Give a node class C-speed pickle state (the slots dataclass default calls ``fields()``
    for every node: a third of a cold weekly book's time went to pickling documents into and
    out of the cache). Same state as the default — the field values in order — so either
    reads the other's pickles."""
    names = tuple(f.name for f in fields(cls))
    setters = tuple(cls.__dict__[n].__set__ for n in names)  # slot descriptors: no frozen check
    if len(names) == 1:
        name = names[0]

        def getstate(self: Any) -> tuple[Any, ...]:
            return (getattr(self, name),)

    else:
        get = operator.attrgetter(*names) if names else (lambda self: ())

        def getstate(self: Any) -> tuple[Any, ...]:
            return get(self)

    def setstate(self: Any, state: Sequence[Any]) -> None:
        for put, value in zip(setters, state, strict=True):
            put(self, value)

    setattr(cls, "__getstate__", getstate)  # noqa: B010 - replacing a method of the class
    setattr(cls, "__setstate__", setstate)  # noqa: B010


for _cls in (
    Text,
    Emphasis,
    Strong,
    Strikethrough,
    Code,
    Link,
    Image,
    Ruby,
    SoftBreak,
    HardBreak,
    HtmlInline,
    Note,
    ShortcodeInline,
    Paragraph,
    Heading,
    ListItem,
    BulletList,
    OrderedList,
    BlockQuote,
    CodeBlock,
    ThematicBreak,
    HtmlBlock,
    Raw,
    Shortcode,
    TableCell,
    Table,
    Caption,
    ArticleMeta,
    Article,
    MetaKey,
    FrontMatter,
    Document,
):  # fmt: skip  (Meta pickles through its own __reduce__)
    _fast_pickling(_cls)
del _cls
