"""GENERATED from the classes of :mod:`digestkit.ast` by ``python -m
tests.test_node_methods`` — do not edit. The methods ``dataclasses`` writes for a frozen,
slotted, keyword-only dataclass that depend on its fields, as plain source compiled once
into this module's ``.pyc`` instead of with ``exec`` at every import (see ``_nodes``)."""

# fmt: off
from __future__ import annotations

from collections.abc import Callable
from typing import Any

_set = object.__setattr__


class _Factory:
    """The default of a field made by a factory (``dataclasses``' ``<factory>``)."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY: Any = _Factory()

SPECS: dict[str, Any] = {
    'Text': ((('text', 'str', None, True),), False),
    'Emphasis': ((('children', 'tuple[Inline, ...]', None, True),), False),
    'Strong': ((('children', 'tuple[Inline, ...]', None, True),), False),
    'Strikethrough': ((('children', 'tuple[Inline, ...]', None, True),), False),
    'Code': ((('text', 'str', None, True),), False),
    'Link': ((('url', 'str', None, True), ('children', 'tuple[Inline, ...]', None, True), ('title', 'str | None', 'None', True)), False),
    'Image': ((('url', 'str', None, True), ('alt', 'tuple[Inline, ...]', '()', True), ('title', 'str | None', 'None', True)), False),
    'Ruby': ((('base', 'tuple[Inline, ...]', None, True), ('annotation', 'str', None, True)), False),
    'SoftBreak': ((), False),
    'HardBreak': ((), False),
    'HtmlInline': ((('text', 'str', None, True),), False),
    'Note': ((('blocks', 'tuple[Block, ...]', None, True), ('label', 'str', "''", True)), False),
    'ShortcodeInline': ((('name', 'str', None, True), ('params', 'tuple[tuple[str, str], ...]', '()', True), ('children', 'tuple[Inline, ...] | None', 'None', True), ('open', 'str', "''", True), ('close', 'str', "''", True)), False),
    'Paragraph': ((('children', 'tuple[Inline, ...]', None, True),), False),
    'Heading': ((('level', 'int', None, True), ('children', 'tuple[Inline, ...]', None, True), ('id', 'str | None', 'None', True)), False),
    'ListItem': ((('blocks', 'tuple[Block, ...]', None, True),), False),
    'BulletList': ((('items', 'tuple[ListItem, ...]', None, True), ('tight', 'bool', 'True', True)), False),
    'OrderedList': ((('items', 'tuple[ListItem, ...]', None, True), ('start', 'int', '1', True), ('tight', 'bool', 'True', True)), False),
    'BlockQuote': ((('blocks', 'tuple[Block, ...]', None, True),), False),
    'CodeBlock': ((('text', 'str', None, True), ('info', 'str', "''", True)), False),
    'ThematicBreak': ((), False),
    'HtmlBlock': ((('text', 'str', None, True),), False),
    'Raw': ((('format', 'str', None, True), ('text', 'str', None, True)), False),
    'Shortcode': ((('name', 'str', None, True), ('params', 'tuple[tuple[str, str], ...]', '()', True), ('blocks', 'tuple[Block, ...] | None', 'None', True), ('open', 'str', "''", True), ('close', 'str', "''", True)), False),
    'TableCell': ((('children', 'tuple[Inline, ...]', None, True),), False),
    'Table': ((('header', 'tuple[TableCell, ...]', None, True), ('rows', 'tuple[tuple[TableCell, ...], ...]', '()', True), ('aligns', 'tuple[Align, ...]', '()', True)), False),
    'Caption': ((('children', 'tuple[Inline, ...]', None, True),), False),
    'ArticleMeta': ((('title', 'str | None', 'None', True), ('source', 'str | None', 'None', True), ('author', 'str | None', 'None', True), ('tags', 'tuple[str, ...]', '()', True), ('lang', 'str | None', 'None', True), ('column', 'str | None', 'None', True), ('date', 'str | None', 'None', True)), False),
    'Article': ((('meta', 'ArticleMeta', None, True), ('blocks', 'tuple[Block, ...]', None, True)), False),
    'MetaKey': ((('name', 'str', None, True), ('field', 'str', None, True), ('form', "Literal['', 'scalar', 'string', 'inverted', 'detected']", "''", True)), False),
    'FrontMatter': ((('format', "Literal['yaml', 'toml', 'json']", None, True), ('text', 'str', None, True)), False),
    'Meta': ((('title', 'str | None', 'None', True), ('date', '_dt.datetime | _dt.date | None', 'None', True), ('tags', 'tuple[str, ...]', '()', True), ('categories', 'tuple[str, ...]', '()', True), ('summary', 'str | None', 'None', True), ('description', 'str | None', 'None', True), ('cover_image', 'str | None', 'None', True), ('source', 'str | None', 'None', True), ('author', 'str | None', 'None', True), ('draft', 'bool | None', 'None', True), ('lang', 'str | None', 'None', True), ('slug', 'str | None', 'None', True), ('weight', 'int | None', 'None', True), ('aliases', 'tuple[str, ...]', '()', True), ('lastmod', '_dt.datetime | _dt.date | None', 'None', True), ('publish_date', '_dt.datetime | _dt.date | None', 'None', True), ('params', 'Mapping[str, Any]', 'factory:dict', True), ('extra', 'Mapping[str, Any]', 'factory:dict', True), ('keys', 'tuple[MetaKey, ...]', '()', False), ('front_matter', 'FrontMatter | None', 'None', False)), True),
    'Document': ((('meta', 'Meta', 'factory:Meta', True), ('blocks', 'tuple[Block, ...]', '()', True)), False),
}


def Text(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, text: Any) -> None:
        _set(self, 'text', text)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.text,) == (other.text,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.text,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def Emphasis(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, children: Any) -> None:
        _set(self, 'children', children)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.children,) == (other.children,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.children,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def Strong(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, children: Any) -> None:
        _set(self, 'children', children)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.children,) == (other.children,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.children,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def Strikethrough(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, children: Any) -> None:
        _set(self, 'children', children)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.children,) == (other.children,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.children,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def Code(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, text: Any) -> None:
        _set(self, 'text', text)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.text,) == (other.text,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.text,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def Link(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, url: Any, children: Any, title: Any = None) -> None:
        _set(self, 'url', url)
        _set(self, 'children', children)
        _set(self, 'title', title)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.url,self.children,self.title,) == (other.url,other.children,other.title,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.url,self.children,self.title,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def Image(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, url: Any, alt: Any = (), title: Any = None) -> None:
        _set(self, 'url', url)
        _set(self, 'alt', alt)
        _set(self, 'title', title)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.url,self.alt,self.title,) == (other.url,other.alt,other.title,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.url,self.alt,self.title,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def Ruby(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, base: Any, annotation: Any) -> None:
        _set(self, 'base', base)
        _set(self, 'annotation', annotation)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.base,self.annotation,) == (other.base,other.annotation,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.base,self.annotation,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def SoftBreak(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any) -> None:
        pass

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return () == ()
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(())

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def HardBreak(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any) -> None:
        pass

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return () == ()
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(())

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def HtmlInline(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, text: Any) -> None:
        _set(self, 'text', text)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.text,) == (other.text,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.text,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def Note(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, blocks: Any, label: Any = '') -> None:
        _set(self, 'blocks', blocks)
        _set(self, 'label', label)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.blocks,self.label,) == (other.blocks,other.label,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.blocks,self.label,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def ShortcodeInline(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, name: Any, params: Any = (), children: Any = None, open: Any = '', close: Any = '') -> None:
        _set(self, 'name', name)
        _set(self, 'params', params)
        _set(self, 'children', children)
        _set(self, 'open', open)
        _set(self, 'close', close)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.name,self.params,self.children,self.open,self.close,) == (other.name,other.params,other.children,other.open,other.close,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.name,self.params,self.children,self.open,self.close,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def Paragraph(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, children: Any) -> None:
        _set(self, 'children', children)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.children,) == (other.children,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.children,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def Heading(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, level: Any, children: Any, id: Any = None) -> None:
        _set(self, 'level', level)
        _set(self, 'children', children)
        _set(self, 'id', id)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.level,self.children,self.id,) == (other.level,other.children,other.id,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.level,self.children,self.id,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def ListItem(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, blocks: Any) -> None:
        _set(self, 'blocks', blocks)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.blocks,) == (other.blocks,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.blocks,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def BulletList(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, items: Any, tight: Any = True) -> None:
        _set(self, 'items', items)
        _set(self, 'tight', tight)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.items,self.tight,) == (other.items,other.tight,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.items,self.tight,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def OrderedList(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, items: Any, start: Any = 1, tight: Any = True) -> None:
        _set(self, 'items', items)
        _set(self, 'start', start)
        _set(self, 'tight', tight)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.items,self.start,self.tight,) == (other.items,other.start,other.tight,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.items,self.start,self.tight,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def BlockQuote(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, blocks: Any) -> None:
        _set(self, 'blocks', blocks)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.blocks,) == (other.blocks,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.blocks,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def CodeBlock(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, text: Any, info: Any = '') -> None:
        _set(self, 'text', text)
        _set(self, 'info', info)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.text,self.info,) == (other.text,other.info,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.text,self.info,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def ThematicBreak(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any) -> None:
        pass

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return () == ()
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(())

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def HtmlBlock(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, text: Any) -> None:
        _set(self, 'text', text)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.text,) == (other.text,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.text,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def Raw(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, format: Any, text: Any) -> None:
        _set(self, 'format', format)
        _set(self, 'text', text)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.format,self.text,) == (other.format,other.text,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.format,self.text,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def Shortcode(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, name: Any, params: Any = (), blocks: Any = None, open: Any = '', close: Any = '') -> None:
        _set(self, 'name', name)
        _set(self, 'params', params)
        _set(self, 'blocks', blocks)
        _set(self, 'open', open)
        _set(self, 'close', close)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.name,self.params,self.blocks,self.open,self.close,) == (other.name,other.params,other.blocks,other.open,other.close,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.name,self.params,self.blocks,self.open,self.close,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def TableCell(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, children: Any) -> None:
        _set(self, 'children', children)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.children,) == (other.children,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.children,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def Table(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, header: Any, rows: Any = (), aligns: Any = ()) -> None:
        _set(self, 'header', header)
        _set(self, 'rows', rows)
        _set(self, 'aligns', aligns)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.header,self.rows,self.aligns,) == (other.header,other.rows,other.aligns,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.header,self.rows,self.aligns,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def Caption(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, children: Any) -> None:
        _set(self, 'children', children)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.children,) == (other.children,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.children,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def ArticleMeta(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, title: Any = None, source: Any = None, author: Any = None, tags: Any = (), lang: Any = None, column: Any = None, date: Any = None) -> None:
        _set(self, 'title', title)
        _set(self, 'source', source)
        _set(self, 'author', author)
        _set(self, 'tags', tags)
        _set(self, 'lang', lang)
        _set(self, 'column', column)
        _set(self, 'date', date)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.title,self.source,self.author,self.tags,self.lang,self.column,self.date,) == (other.title,other.source,other.author,other.tags,other.lang,other.column,other.date,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.title,self.source,self.author,self.tags,self.lang,self.column,self.date,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def Article(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, meta: Any, blocks: Any) -> None:
        _set(self, 'meta', meta)
        _set(self, 'blocks', blocks)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.meta,self.blocks,) == (other.meta,other.blocks,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.meta,self.blocks,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def MetaKey(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, name: Any, field: Any, form: Any = '') -> None:
        _set(self, 'name', name)
        _set(self, 'field', field)
        _set(self, 'form', form)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.name,self.field,self.form,) == (other.name,other.field,other.form,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.name,self.field,self.form,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def FrontMatter(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, format: Any, text: Any) -> None:
        _set(self, 'format', format)
        _set(self, 'text', text)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.format,self.text,) == (other.format,other.text,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.format,self.text,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def Meta(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, title: Any = None, date: Any = None, tags: Any = (), categories: Any = (), summary: Any = None, description: Any = None, cover_image: Any = None, source: Any = None, author: Any = None, draft: Any = None, lang: Any = None, slug: Any = None, weight: Any = None, aliases: Any = (), lastmod: Any = None, publish_date: Any = None, params: Any = _FACTORY, extra: Any = _FACTORY, keys: Any = (), front_matter: Any = None) -> None:
        _set(self, 'title', title)
        _set(self, 'date', date)
        _set(self, 'tags', tags)
        _set(self, 'categories', categories)
        _set(self, 'summary', summary)
        _set(self, 'description', description)
        _set(self, 'cover_image', cover_image)
        _set(self, 'source', source)
        _set(self, 'author', author)
        _set(self, 'draft', draft)
        _set(self, 'lang', lang)
        _set(self, 'slug', slug)
        _set(self, 'weight', weight)
        _set(self, 'aliases', aliases)
        _set(self, 'lastmod', lastmod)
        _set(self, 'publish_date', publish_date)
        _set(self, 'params', factories['params']() if params is _FACTORY else params)
        _set(self, 'extra', factories['extra']() if extra is _FACTORY else extra)
        _set(self, 'keys', keys)
        _set(self, 'front_matter', front_matter)
        self.__post_init__()

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.title,self.date,self.tags,self.categories,self.summary,self.description,self.cover_image,self.source,self.author,self.draft,self.lang,self.slug,self.weight,self.aliases,self.lastmod,self.publish_date,self.params,self.extra,) == (other.title,other.date,other.tags,other.categories,other.summary,other.description,other.cover_image,other.source,other.author,other.draft,other.lang,other.slug,other.weight,other.aliases,other.lastmod,other.publish_date,other.params,other.extra,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.title,self.date,self.tags,self.categories,self.summary,self.description,self.cover_image,self.source,self.author,self.draft,self.lang,self.slug,self.weight,self.aliases,self.lastmod,self.publish_date,self.params,self.extra,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}


def Document(cls: type, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    def __init__(self: Any, *, meta: Any = _FACTORY, blocks: Any = ()) -> None:
        _set(self, 'meta', factories['meta']() if meta is _FACTORY else meta)
        _set(self, 'blocks', blocks)

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return (self.meta,self.blocks,) == (other.meta,other.blocks,)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash((self.meta,self.blocks,))

    return {"__init__": __init__, "__eq__": __eq__, "__hash__": __hash__}
