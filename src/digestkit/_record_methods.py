"""GENERATED from the classes built by :func:`digestkit._records.record` (``python -m
tests.test_records``) — do not edit. The ``__init__`` ``dataclasses`` writes for each,
as plain source compiled once into this module's ``.pyc`` instead of with ``exec`` at
every import (see ``_records``)."""

# fmt: off
from __future__ import annotations

from collections.abc import Callable

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from typing import Any

_set = object.__setattr__


class _Factory:
    """The default of a field made by a factory (``dataclasses``' ``<factory>``)."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY: Any = _Factory()
#: each class's default factories by field, filled as the classes are built
FACTORIES: dict[str, dict[str, Callable[[], Any]]] = {}

SPECS: dict[str, Any] = {
    'digestkit.archive.digest:Digest': (True, False, (('path', '', False), ('doc', '', False), ('date', '', False), ('summary', '', False), ('key', 'value', False), ('drop', 'value', False), ('entries', 'value', False))),
    'digestkit.archive.digest:Summary': (True, False, (('prints', '', False), ('messages', '', False), ('title', '', False), ('article_titles', '', False), ('lang', '', False), ('chars', '', False), ('articles', '', False), ('date', '', False), ('local_links', 'value', False), ('entry_dates', 'value', False), ('byline', 'value', False))),
    'digestkit.archive:WeeklyResult': (True, False, (('path', '', False), ('skipped', 'value', False))),
    'digestkit.ast:Article': (True, False, (('meta', '', True), ('blocks', '', True))),
    'digestkit.ast:ArticleMeta': (True, False, (('title', 'value', True), ('source', 'value', True), ('author', 'value', True), ('tags', 'value', True), ('lang', 'value', True), ('column', 'value', True), ('date', 'value', True))),
    'digestkit.ast:BlockQuote': (True, False, (('blocks', '', True),)),
    'digestkit.ast:BulletList': (True, False, (('items', '', True), ('tight', 'value', True))),
    'digestkit.ast:Caption': (True, False, (('children', '', True),)),
    'digestkit.ast:Code': (True, False, (('text', '', True),)),
    'digestkit.ast:CodeBlock': (True, False, (('text', '', True), ('info', 'value', True))),
    'digestkit.ast:Document': (True, False, (('meta', 'factory', True), ('blocks', 'value', True))),
    'digestkit.ast:Emphasis': (True, False, (('children', '', True),)),
    'digestkit.ast:FrontMatter': (True, False, (('format', '', True), ('text', '', True))),
    'digestkit.ast:HardBreak': (True, False, ()),
    'digestkit.ast:Heading': (True, False, (('level', '', True), ('children', '', True), ('id', 'value', True))),
    'digestkit.ast:HtmlBlock': (True, False, (('text', '', True),)),
    'digestkit.ast:HtmlInline': (True, False, (('text', '', True),)),
    'digestkit.ast:Image': (True, False, (('url', '', True), ('alt', 'value', True), ('title', 'value', True))),
    'digestkit.ast:Link': (True, False, (('url', '', True), ('children', '', True), ('title', 'value', True))),
    'digestkit.ast:ListItem': (True, False, (('blocks', '', True),)),
    'digestkit.ast:Meta': (True, True, (('title', 'value', True), ('date', 'value', True), ('tags', 'value', True), ('categories', 'value', True), ('summary', 'value', True), ('description', 'value', True), ('cover_image', 'value', True), ('source', 'value', True), ('author', 'value', True), ('draft', 'value', True), ('lang', 'value', True), ('slug', 'value', True), ('weight', 'value', True), ('aliases', 'value', True), ('lastmod', 'value', True), ('publish_date', 'value', True), ('params', 'factory', True), ('extra', 'factory', True), ('keys', 'value', True), ('front_matter', 'value', True))),
    'digestkit.ast:MetaKey': (True, False, (('name', '', True), ('field', '', True), ('form', 'value', True))),
    'digestkit.ast:Note': (True, False, (('blocks', '', True), ('label', 'value', True))),
    'digestkit.ast:OrderedList': (True, False, (('items', '', True), ('start', 'value', True), ('tight', 'value', True))),
    'digestkit.ast:Paragraph': (True, False, (('children', '', True),)),
    'digestkit.ast:Raw': (True, False, (('format', '', True), ('text', '', True))),
    'digestkit.ast:Ruby': (True, False, (('base', '', True), ('annotation', '', True))),
    'digestkit.ast:Shortcode': (True, False, (('name', '', True), ('params', 'value', True), ('blocks', 'value', True), ('open', 'value', True), ('close', 'value', True))),
    'digestkit.ast:ShortcodeInline': (True, False, (('name', '', True), ('params', 'value', True), ('children', 'value', True), ('open', 'value', True), ('close', 'value', True))),
    'digestkit.ast:SoftBreak': (True, False, ()),
    'digestkit.ast:Strikethrough': (True, False, (('children', '', True),)),
    'digestkit.ast:Strong': (True, False, (('children', '', True),)),
    'digestkit.ast:Table': (True, False, (('header', '', True), ('rows', 'value', True), ('aligns', 'value', True))),
    'digestkit.ast:TableCell': (True, False, (('children', '', True),)),
    'digestkit.ast:Text': (True, False, (('text', '', True),)),
    'digestkit.ast:ThematicBreak': (True, False, ()),
    'digestkit.cache:CacheStats': (True, False, (('root', '', False), ('entries', '', False), ('size', '', False), ('cap', '', False))),
    'digestkit.frontmatter:Split': (True, False, (('format', '', False), ('text', '', False), ('body', '', False), ('line', 'value', False), ('body_line', 'value', False))),
    'digestkit.links:BookLinks': (True, False, (('documents', 'factory', False), ('base_url', 'value', False))),
    'digestkit.links:Target': (True, False, (('chapter', '', False), ('anchors', 'factory', False))),
    'digestkit.options:BookOptions': (True, True, (('allow_network', 'value', True), ('base_dir', 'value', True), ('base_url', 'value', True), ('fonts', 'value', True))),
    'digestkit.options:EmlOptions': (True, True, (('allow_network', 'value', True), ('base_dir', 'value', True), ('base_url', 'value', True), ('fonts', 'value', True), ('mail_from', 'value', True), ('mail_to', 'value', True))),
    'digestkit.options:EpubOptions': (True, True, (('allow_network', 'value', True), ('base_dir', 'value', True), ('base_url', 'value', True), ('fonts', 'value', True), ('vertical', 'value', True), ('embed_fonts', 'value', True))),
    'digestkit.options:HtmlOptions': (True, True, (('allow_network', 'value', True), ('base_dir', 'value', True), ('base_url', 'value', True), ('fonts', 'value', True), ('email', 'value', True))),
    'digestkit.options:HugoOptions': (True, True, (('front_matter', 'value', True), ('section', 'value', True), ('base_dir', 'value', True))),
    'digestkit.options:JsonOptions': (True, False, (('indent', 'value', True),)),
    'digestkit.options:PdfOptions': (True, True, (('allow_network', 'value', True), ('base_dir', 'value', True), ('base_url', 'value', True), ('fonts', 'value', True), ('paper', 'value', True), ('jobs', 'value', True), ('timeout', 'value', True), ('toc_depth', 'value', True))),
    'digestkit.options:ReadOptions': (True, True, (('encoding', 'value', True), ('max_size', 'value', True), ('detect_lang', 'value', True), ('script', 'value', True), ('repair_script', 'value', True), ('punctuation', 'value', True), ('spacing', 'value', True), ('corner_quotes', 'value', True), ('prose_priority', 'value', True))),
    'digestkit.options:TextOptions': (True, False, ()),
    'digestkit.options:WeeklyOptions': (True, True, (('week', 'value', True), ('title', 'value', True), ('author', 'value', True), ('jobs', 'value', True), ('cache', 'value', True), ('cache_max', 'value', True), ('progress', 'value', True), ('keep_going', 'value', True))),
    'digestkit.options:WriterOptions': (True, False, ()),
    'digestkit.parallel:Outcome': (True, False, (('value', '', False), ('error', '', False), ('messages', '', False))),
    'digestkit.registry:FormatInfo': (True, False, (('name', '', False), ('can_read', '', False), ('can_write', '', False), ('origin', '', False), ('extensions', 'value', False))),
    'digestkit.shortcodes:Tag': (True, False, (('text', '', False), ('name', '', False), ('params', '', False), ('closing', '', False), ('self_closing', '', False), ('markdown', '', False), ('end', '', False))),
    'digestkit.transforms.repair:RepairTables': (True, False, (('readings', '', False), ('variant', '', False), ('family', '', False), ('hidden', '', False))),
    'digestkit.transforms.repair:_Evidence': (False, False, (('phrase_positions', 'value', False), ('phrase_agreed', 'value', False), ('unusual_positions', 'value', False), ('unusual_agreed', 'value', False), ('findings', 'factory', False))),
    'digestkit.transforms.repair:_Finding': (True, False, (('run', '', False), ('pos', '', False), ('written', '', False), ('wanted', '', False), ('by_phrase', '', False))),
    'digestkit.writers.asset:Asset': (True, False, (('source', '', False), ('name', '', False), ('data', 'value', False))),
    'digestkit.writers.book:Book': (True, True, (('title', '', False), ('lang', '', False), ('chapters', 'factory', False), ('subtitle', 'value', False), ('author', 'value', False), ('links', 'factory', False), ('site_params', 'factory', False))),
    'digestkit.writers.book:Chapter': (True, False, (('doc', 'value', False), ('base_dir', 'value', False), ('date', 'value', False), ('title', 'value', False), ('loader', 'value', False), ('lang', 'value', False), ('articles', 'value', False), ('render_key', 'value', False), ('source', 'value', False))),
    'digestkit.writers.book:ChapterContent': (True, False, (('title', '', False), ('heading', '', False), ('lang', '', False), ('date', '', False), ('summary', '', False), ('blocks', '', False), ('level_shift', '', False), ('toc_wanted', '', False), ('toc_levels', '', False), ('page_url', 'value', False))),
    'digestkit.writers.book:ScriptFonts': (True, False, (('serif', '', False), ('sans', '', False))),
    'digestkit.writers.cover_text:CoverText': (True, False, (('title', '', False), ('subtitle', '', False), ('counts', '', False), ('lang', '', False))),
    'digestkit.writers.epub_package:Landmark': (True, False, (('type', '', False), ('href', '', False), ('title', '', False))),
    'digestkit.writers.epub_package:NavPoint': (False, False, (('title', '', False), ('href', '', False), ('children', 'factory', False))),
    'digestkit.writers.epub_package:_Item': (False, False, (('id', '', False), ('href', '', False), ('media_type', '', False), ('properties', 'value', False))),
    'digestkit.writers.fonts:EmbeddedFont': (True, False, (('href', '', False), ('family', '', False), ('data', '', False), ('bold', 'value', False), ('source', 'value', False), ('script', 'value', False), ('kind', 'value', False), ('chars', 'factory', False))),
    'digestkit.writers.fonts:FontFace': (True, False, (('path', '', False), ('index', '', False), ('name', '', False), ('bold', 'value', False))),
    'digestkit.writers.html_page:Page': (False, False, (('title', '', False), ('lang', '', False), ('masthead', '', False), ('contents', '', False), ('chapters_utf8', '', False), ('images', 'factory', False), ('author', 'value', False))),
    'digestkit.writers.markdown:_Ctx': (False, False, (('in_table', 'value', False), ('list_markers', 'factory', False), ('at_start', 'value', False), ('notes', 'factory', False))),
    'digestkit.writers.pdf.assemble:ChapterPart': (True, False, (('html', '', False), ('toc', '', False), ('assets', '', False))),
    'digestkit.writers.pdf.assemble:Parts': (False, False, (('lang', '', False), ('head_front', '', False), ('head_body', '', False), ('chapters', '', False), ('toc', '', False), ('assets', '', False))),
    'digestkit.writers.pdf.engine:Laid': (True, False, (('pdf', '', False), ('pages', '', False), ('anchors', '', False), ('bookmarks', '', False))),
    'digestkit.writers.pdf.incremental:Group': (True, False, (('members', '', False), ('chars', '', False), ('toc', '', False), ('starts', '', False), ('rendered', '', False))),
    'digestkit.writers.pdf.incremental:Located': (True, False, (('name', '', False), ('index', '', False), ('group', '', False))),
    'digestkit.writers.pdf.join:Piece': (True, False, (('part', '', False), ('first', '', False), ('end', '', False))),
    'digestkit.writers.pdf.render:Rendered': (True, False, (('pdf', '', False), ('pages', '', False), ('anchors', '', False), ('bookmarks', '', False), ('marks', 'factory', False))),
    'digestkit.writers.raw_html:_Open': (False, False, (('tag', '', False), ('emitted', '', False), ('at', '', False), ('kids', 'value', False), ('synthetic', 'value', False), ('caption', 'value', False), ('caption_first', 'value', False), ('last', 'value', False))),
    'digestkit.writers.xhtml_context:RenderContext': (False, False, (('base_dir', 'value', False), ('allow_network', 'value', False), ('image_prefix', 'value', False), ('ids', 'factory', False), ('toc', 'factory', False), ('assets', 'factory', False), ('warned', 'factory', False), ('links', 'factory', False), ('source', 'value', False), ('footnotes', 'value', False), ('page_params', 'factory', False), ('hotlink', 'value', False), ('hugo_ids', 'factory', False), ('aliases', 'factory', False), ('notes', 'factory', False), ('depth', 'value', False), ('in_link', 'value', False), ('vertical', 'value', False), ('page_url', 'value', False), ('unresolved', 'factory', False))),
    'digestkit.writers.xhtml_context:TocEntry': (True, False, (('level', '', False), ('title', '', False), ('anchor', '', False))),
}


def _digestkit_archive_digest__Digest(self: Any, path: Any, doc: Any, date: Any, summary: Any, key: Any = _FACTORY, drop: Any = _FACTORY, entries: Any = _FACTORY) -> None:
    _set(self, 'path', path)
    _set(self, 'doc', doc)
    _set(self, 'date', date)
    _set(self, 'summary', summary)
    _set(self, 'key', key)
    _set(self, 'drop', drop)
    _set(self, 'entries', entries)


def _digestkit_archive_digest__Summary(self: Any, prints: Any, messages: Any, title: Any, article_titles: Any, lang: Any, chars: Any, articles: Any, date: Any, local_links: Any = _FACTORY, entry_dates: Any = _FACTORY, byline: Any = _FACTORY) -> None:
    _set(self, 'prints', prints)
    _set(self, 'messages', messages)
    _set(self, 'title', title)
    _set(self, 'article_titles', article_titles)
    _set(self, 'lang', lang)
    _set(self, 'chars', chars)
    _set(self, 'articles', articles)
    _set(self, 'date', date)
    _set(self, 'local_links', local_links)
    _set(self, 'entry_dates', entry_dates)
    _set(self, 'byline', byline)


def _digestkit_archive__WeeklyResult(self: Any, path: Any, skipped: Any = _FACTORY) -> None:
    _set(self, 'path', path)
    _set(self, 'skipped', skipped)


def _digestkit_ast__Article(self: Any, *, meta: Any, blocks: Any) -> None:
    _set(self, 'meta', meta)
    _set(self, 'blocks', blocks)


def _digestkit_ast__ArticleMeta(self: Any, *, title: Any = _FACTORY, source: Any = _FACTORY, author: Any = _FACTORY, tags: Any = _FACTORY, lang: Any = _FACTORY, column: Any = _FACTORY, date: Any = _FACTORY) -> None:
    _set(self, 'title', title)
    _set(self, 'source', source)
    _set(self, 'author', author)
    _set(self, 'tags', tags)
    _set(self, 'lang', lang)
    _set(self, 'column', column)
    _set(self, 'date', date)


def _digestkit_ast__BlockQuote(self: Any, *, blocks: Any) -> None:
    _set(self, 'blocks', blocks)


def _digestkit_ast__BulletList(self: Any, *, items: Any, tight: Any = _FACTORY) -> None:
    _set(self, 'items', items)
    _set(self, 'tight', tight)


def _digestkit_ast__Caption(self: Any, *, children: Any) -> None:
    _set(self, 'children', children)


def _digestkit_ast__Code(self: Any, *, text: Any) -> None:
    _set(self, 'text', text)


def _digestkit_ast__CodeBlock(self: Any, *, text: Any, info: Any = _FACTORY) -> None:
    _set(self, 'text', text)
    _set(self, 'info', info)


def _digestkit_ast__Document(self: Any, *, meta: Any = _FACTORY, blocks: Any = _FACTORY) -> None:
    _set(self, 'meta', FACTORIES['digestkit.ast:Document']['meta']() if meta is _FACTORY else meta)
    _set(self, 'blocks', blocks)


def _digestkit_ast__Emphasis(self: Any, *, children: Any) -> None:
    _set(self, 'children', children)


def _digestkit_ast__FrontMatter(self: Any, *, format: Any, text: Any) -> None:
    _set(self, 'format', format)
    _set(self, 'text', text)


def _digestkit_ast__HardBreak(self: Any) -> None:
    pass


def _digestkit_ast__Heading(self: Any, *, level: Any, children: Any, id: Any = _FACTORY) -> None:
    _set(self, 'level', level)
    _set(self, 'children', children)
    _set(self, 'id', id)


def _digestkit_ast__HtmlBlock(self: Any, *, text: Any) -> None:
    _set(self, 'text', text)


def _digestkit_ast__HtmlInline(self: Any, *, text: Any) -> None:
    _set(self, 'text', text)


def _digestkit_ast__Image(self: Any, *, url: Any, alt: Any = _FACTORY, title: Any = _FACTORY) -> None:
    _set(self, 'url', url)
    _set(self, 'alt', alt)
    _set(self, 'title', title)


def _digestkit_ast__Link(self: Any, *, url: Any, children: Any, title: Any = _FACTORY) -> None:
    _set(self, 'url', url)
    _set(self, 'children', children)
    _set(self, 'title', title)


def _digestkit_ast__ListItem(self: Any, *, blocks: Any) -> None:
    _set(self, 'blocks', blocks)


def _digestkit_ast__Meta(self: Any, *, title: Any = _FACTORY, date: Any = _FACTORY, tags: Any = _FACTORY, categories: Any = _FACTORY, summary: Any = _FACTORY, description: Any = _FACTORY, cover_image: Any = _FACTORY, source: Any = _FACTORY, author: Any = _FACTORY, draft: Any = _FACTORY, lang: Any = _FACTORY, slug: Any = _FACTORY, weight: Any = _FACTORY, aliases: Any = _FACTORY, lastmod: Any = _FACTORY, publish_date: Any = _FACTORY, params: Any = _FACTORY, extra: Any = _FACTORY, keys: Any = _FACTORY, front_matter: Any = _FACTORY) -> None:
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
    _set(self, 'params', FACTORIES['digestkit.ast:Meta']['params']() if params is _FACTORY else params)
    _set(self, 'extra', FACTORIES['digestkit.ast:Meta']['extra']() if extra is _FACTORY else extra)
    _set(self, 'keys', keys)
    _set(self, 'front_matter', front_matter)
    self.__post_init__()


def _digestkit_ast__MetaKey(self: Any, *, name: Any, field: Any, form: Any = _FACTORY) -> None:
    _set(self, 'name', name)
    _set(self, 'field', field)
    _set(self, 'form', form)


def _digestkit_ast__Note(self: Any, *, blocks: Any, label: Any = _FACTORY) -> None:
    _set(self, 'blocks', blocks)
    _set(self, 'label', label)


def _digestkit_ast__OrderedList(self: Any, *, items: Any, start: Any = _FACTORY, tight: Any = _FACTORY) -> None:
    _set(self, 'items', items)
    _set(self, 'start', start)
    _set(self, 'tight', tight)


def _digestkit_ast__Paragraph(self: Any, *, children: Any) -> None:
    _set(self, 'children', children)


def _digestkit_ast__Raw(self: Any, *, format: Any, text: Any) -> None:
    _set(self, 'format', format)
    _set(self, 'text', text)


def _digestkit_ast__Ruby(self: Any, *, base: Any, annotation: Any) -> None:
    _set(self, 'base', base)
    _set(self, 'annotation', annotation)


def _digestkit_ast__Shortcode(self: Any, *, name: Any, params: Any = _FACTORY, blocks: Any = _FACTORY, open: Any = _FACTORY, close: Any = _FACTORY) -> None:
    _set(self, 'name', name)
    _set(self, 'params', params)
    _set(self, 'blocks', blocks)
    _set(self, 'open', open)
    _set(self, 'close', close)


def _digestkit_ast__ShortcodeInline(self: Any, *, name: Any, params: Any = _FACTORY, children: Any = _FACTORY, open: Any = _FACTORY, close: Any = _FACTORY) -> None:
    _set(self, 'name', name)
    _set(self, 'params', params)
    _set(self, 'children', children)
    _set(self, 'open', open)
    _set(self, 'close', close)


def _digestkit_ast__SoftBreak(self: Any) -> None:
    pass


def _digestkit_ast__Strikethrough(self: Any, *, children: Any) -> None:
    _set(self, 'children', children)


def _digestkit_ast__Strong(self: Any, *, children: Any) -> None:
    _set(self, 'children', children)


def _digestkit_ast__Table(self: Any, *, header: Any, rows: Any = _FACTORY, aligns: Any = _FACTORY) -> None:
    _set(self, 'header', header)
    _set(self, 'rows', rows)
    _set(self, 'aligns', aligns)


def _digestkit_ast__TableCell(self: Any, *, children: Any) -> None:
    _set(self, 'children', children)


def _digestkit_ast__Text(self: Any, *, text: Any) -> None:
    _set(self, 'text', text)


def _digestkit_ast__ThematicBreak(self: Any) -> None:
    pass


def _digestkit_cache__CacheStats(self: Any, root: Any, entries: Any, size: Any, cap: Any) -> None:
    _set(self, 'root', root)
    _set(self, 'entries', entries)
    _set(self, 'size', size)
    _set(self, 'cap', cap)


def _digestkit_frontmatter__Split(self: Any, format: Any, text: Any, body: Any, line: Any = _FACTORY, body_line: Any = _FACTORY) -> None:
    _set(self, 'format', format)
    _set(self, 'text', text)
    _set(self, 'body', body)
    _set(self, 'line', line)
    _set(self, 'body_line', body_line)


def _digestkit_links__BookLinks(self: Any, documents: Any = _FACTORY, base_url: Any = _FACTORY) -> None:
    _set(self, 'documents', FACTORIES['digestkit.links:BookLinks']['documents']() if documents is _FACTORY else documents)
    _set(self, 'base_url', base_url)


def _digestkit_links__Target(self: Any, chapter: Any, anchors: Any = _FACTORY) -> None:
    _set(self, 'chapter', chapter)
    _set(self, 'anchors', FACTORIES['digestkit.links:Target']['anchors']() if anchors is _FACTORY else anchors)


def _digestkit_options__BookOptions(self: Any, *, allow_network: Any = _FACTORY, base_dir: Any = _FACTORY, base_url: Any = _FACTORY, fonts: Any = _FACTORY) -> None:
    _set(self, 'allow_network', allow_network)
    _set(self, 'base_dir', base_dir)
    _set(self, 'base_url', base_url)
    _set(self, 'fonts', fonts)
    self.__post_init__()


def _digestkit_options__EmlOptions(self: Any, *, allow_network: Any = _FACTORY, base_dir: Any = _FACTORY, base_url: Any = _FACTORY, fonts: Any = _FACTORY, mail_from: Any = _FACTORY, mail_to: Any = _FACTORY) -> None:
    _set(self, 'allow_network', allow_network)
    _set(self, 'base_dir', base_dir)
    _set(self, 'base_url', base_url)
    _set(self, 'fonts', fonts)
    _set(self, 'mail_from', mail_from)
    _set(self, 'mail_to', mail_to)
    self.__post_init__()


def _digestkit_options__EpubOptions(self: Any, *, allow_network: Any = _FACTORY, base_dir: Any = _FACTORY, base_url: Any = _FACTORY, fonts: Any = _FACTORY, vertical: Any = _FACTORY, embed_fonts: Any = _FACTORY) -> None:
    _set(self, 'allow_network', allow_network)
    _set(self, 'base_dir', base_dir)
    _set(self, 'base_url', base_url)
    _set(self, 'fonts', fonts)
    _set(self, 'vertical', vertical)
    _set(self, 'embed_fonts', embed_fonts)
    self.__post_init__()


def _digestkit_options__HtmlOptions(self: Any, *, allow_network: Any = _FACTORY, base_dir: Any = _FACTORY, base_url: Any = _FACTORY, fonts: Any = _FACTORY, email: Any = _FACTORY) -> None:
    _set(self, 'allow_network', allow_network)
    _set(self, 'base_dir', base_dir)
    _set(self, 'base_url', base_url)
    _set(self, 'fonts', fonts)
    _set(self, 'email', email)
    self.__post_init__()


def _digestkit_options__HugoOptions(self: Any, *, front_matter: Any = _FACTORY, section: Any = _FACTORY, base_dir: Any = _FACTORY) -> None:
    _set(self, 'front_matter', front_matter)
    _set(self, 'section', section)
    _set(self, 'base_dir', base_dir)
    self.__post_init__()


def _digestkit_options__JsonOptions(self: Any, *, indent: Any = _FACTORY) -> None:
    _set(self, 'indent', indent)


def _digestkit_options__PdfOptions(self: Any, *, allow_network: Any = _FACTORY, base_dir: Any = _FACTORY, base_url: Any = _FACTORY, fonts: Any = _FACTORY, paper: Any = _FACTORY, jobs: Any = _FACTORY, timeout: Any = _FACTORY, toc_depth: Any = _FACTORY) -> None:
    _set(self, 'allow_network', allow_network)
    _set(self, 'base_dir', base_dir)
    _set(self, 'base_url', base_url)
    _set(self, 'fonts', fonts)
    _set(self, 'paper', paper)
    _set(self, 'jobs', jobs)
    _set(self, 'timeout', timeout)
    _set(self, 'toc_depth', toc_depth)
    self.__post_init__()


def _digestkit_options__ReadOptions(self: Any, *, encoding: Any = _FACTORY, max_size: Any = _FACTORY, detect_lang: Any = _FACTORY, script: Any = _FACTORY, repair_script: Any = _FACTORY, punctuation: Any = _FACTORY, spacing: Any = _FACTORY, corner_quotes: Any = _FACTORY, prose_priority: Any = _FACTORY) -> None:
    _set(self, 'encoding', encoding)
    _set(self, 'max_size', max_size)
    _set(self, 'detect_lang', detect_lang)
    _set(self, 'script', script)
    _set(self, 'repair_script', repair_script)
    _set(self, 'punctuation', punctuation)
    _set(self, 'spacing', spacing)
    _set(self, 'corner_quotes', corner_quotes)
    _set(self, 'prose_priority', prose_priority)
    self.__post_init__()


def _digestkit_options__TextOptions(self: Any) -> None:
    pass


def _digestkit_options__WeeklyOptions(self: Any, *, week: Any = _FACTORY, title: Any = _FACTORY, author: Any = _FACTORY, jobs: Any = _FACTORY, cache: Any = _FACTORY, cache_max: Any = _FACTORY, progress: Any = _FACTORY, keep_going: Any = _FACTORY) -> None:
    _set(self, 'week', week)
    _set(self, 'title', title)
    _set(self, 'author', author)
    _set(self, 'jobs', jobs)
    _set(self, 'cache', cache)
    _set(self, 'cache_max', cache_max)
    _set(self, 'progress', progress)
    _set(self, 'keep_going', keep_going)
    self.__post_init__()


def _digestkit_options__WriterOptions(self: Any) -> None:
    pass


def _digestkit_parallel__Outcome(self: Any, value: Any, error: Any, messages: Any) -> None:
    _set(self, 'value', value)
    _set(self, 'error', error)
    _set(self, 'messages', messages)


def _digestkit_registry__FormatInfo(self: Any, name: Any, can_read: Any, can_write: Any, origin: Any, extensions: Any = _FACTORY) -> None:
    _set(self, 'name', name)
    _set(self, 'can_read', can_read)
    _set(self, 'can_write', can_write)
    _set(self, 'origin', origin)
    _set(self, 'extensions', extensions)


def _digestkit_shortcodes__Tag(self: Any, text: Any, name: Any, params: Any, closing: Any, self_closing: Any, markdown: Any, end: Any) -> None:
    _set(self, 'text', text)
    _set(self, 'name', name)
    _set(self, 'params', params)
    _set(self, 'closing', closing)
    _set(self, 'self_closing', self_closing)
    _set(self, 'markdown', markdown)
    _set(self, 'end', end)


def _digestkit_transforms_repair__RepairTables(self: Any, readings: Any, variant: Any, family: Any, hidden: Any) -> None:
    _set(self, 'readings', readings)
    _set(self, 'variant', variant)
    _set(self, 'family', family)
    _set(self, 'hidden', hidden)


def _digestkit_transforms_repair___Evidence(self: Any, phrase_positions: Any = _FACTORY, phrase_agreed: Any = _FACTORY, unusual_positions: Any = _FACTORY, unusual_agreed: Any = _FACTORY, findings: Any = _FACTORY) -> None:
    self.phrase_positions = phrase_positions
    self.phrase_agreed = phrase_agreed
    self.unusual_positions = unusual_positions
    self.unusual_agreed = unusual_agreed
    self.findings = FACTORIES['digestkit.transforms.repair:_Evidence']['findings']() if findings is _FACTORY else findings


def _digestkit_transforms_repair___Finding(self: Any, run: Any, pos: Any, written: Any, wanted: Any, by_phrase: Any) -> None:
    _set(self, 'run', run)
    _set(self, 'pos', pos)
    _set(self, 'written', written)
    _set(self, 'wanted', wanted)
    _set(self, 'by_phrase', by_phrase)


def _digestkit_writers_asset__Asset(self: Any, source: Any, name: Any, data: Any = _FACTORY) -> None:
    _set(self, 'source', source)
    _set(self, 'name', name)
    _set(self, 'data', data)


def _digestkit_writers_book__Book(self: Any, title: Any, lang: Any, chapters: Any = _FACTORY, subtitle: Any = _FACTORY, author: Any = _FACTORY, links: Any = _FACTORY, site_params: Any = _FACTORY) -> None:
    _set(self, 'title', title)
    _set(self, 'lang', lang)
    _set(self, 'chapters', FACTORIES['digestkit.writers.book:Book']['chapters']() if chapters is _FACTORY else chapters)
    _set(self, 'subtitle', subtitle)
    _set(self, 'author', author)
    _set(self, 'links', FACTORIES['digestkit.writers.book:Book']['links']() if links is _FACTORY else links)
    _set(self, 'site_params', FACTORIES['digestkit.writers.book:Book']['site_params']() if site_params is _FACTORY else site_params)
    self.__post_init__()


def _digestkit_writers_book__Chapter(self: Any, doc: Any = _FACTORY, base_dir: Any = _FACTORY, date: Any = _FACTORY, title: Any = _FACTORY, loader: Any = _FACTORY, lang: Any = _FACTORY, articles: Any = _FACTORY, render_key: Any = _FACTORY, source: Any = _FACTORY) -> None:
    _set(self, 'doc', doc)
    _set(self, 'base_dir', base_dir)
    _set(self, 'date', date)
    _set(self, 'title', title)
    _set(self, 'loader', loader)
    _set(self, 'lang', lang)
    _set(self, 'articles', articles)
    _set(self, 'render_key', render_key)
    _set(self, 'source', source)


def _digestkit_writers_book__ChapterContent(self: Any, title: Any, heading: Any, lang: Any, date: Any, summary: Any, blocks: Any, level_shift: Any, toc_wanted: Any, toc_levels: Any, page_url: Any = _FACTORY) -> None:
    _set(self, 'title', title)
    _set(self, 'heading', heading)
    _set(self, 'lang', lang)
    _set(self, 'date', date)
    _set(self, 'summary', summary)
    _set(self, 'blocks', blocks)
    _set(self, 'level_shift', level_shift)
    _set(self, 'toc_wanted', toc_wanted)
    _set(self, 'toc_levels', toc_levels)
    _set(self, 'page_url', page_url)


def _digestkit_writers_book__ScriptFonts(self: Any, serif: Any, sans: Any) -> None:
    _set(self, 'serif', serif)
    _set(self, 'sans', sans)


def _digestkit_writers_cover_text__CoverText(self: Any, title: Any, subtitle: Any, counts: Any, lang: Any) -> None:
    _set(self, 'title', title)
    _set(self, 'subtitle', subtitle)
    _set(self, 'counts', counts)
    _set(self, 'lang', lang)


def _digestkit_writers_epub_package__Landmark(self: Any, type: Any, href: Any, title: Any) -> None:
    _set(self, 'type', type)
    _set(self, 'href', href)
    _set(self, 'title', title)


def _digestkit_writers_epub_package__NavPoint(self: Any, title: Any, href: Any, children: Any = _FACTORY) -> None:
    self.title = title
    self.href = href
    self.children = FACTORIES['digestkit.writers.epub_package:NavPoint']['children']() if children is _FACTORY else children


def _digestkit_writers_epub_package___Item(self: Any, id: Any, href: Any, media_type: Any, properties: Any = _FACTORY) -> None:
    self.id = id
    self.href = href
    self.media_type = media_type
    self.properties = properties


def _digestkit_writers_fonts__EmbeddedFont(self: Any, href: Any, family: Any, data: Any, bold: Any = _FACTORY, source: Any = _FACTORY, script: Any = _FACTORY, kind: Any = _FACTORY, chars: Any = _FACTORY) -> None:
    _set(self, 'href', href)
    _set(self, 'family', family)
    _set(self, 'data', data)
    _set(self, 'bold', bold)
    _set(self, 'source', source)
    _set(self, 'script', script)
    _set(self, 'kind', kind)
    _set(self, 'chars', FACTORIES['digestkit.writers.fonts:EmbeddedFont']['chars']() if chars is _FACTORY else chars)


def _digestkit_writers_fonts__FontFace(self: Any, path: Any, index: Any, name: Any, bold: Any = _FACTORY) -> None:
    _set(self, 'path', path)
    _set(self, 'index', index)
    _set(self, 'name', name)
    _set(self, 'bold', bold)


def _digestkit_writers_html_page__Page(self: Any, title: Any, lang: Any, masthead: Any, contents: Any, chapters_utf8: Any, images: Any = _FACTORY, author: Any = _FACTORY) -> None:
    self.title = title
    self.lang = lang
    self.masthead = masthead
    self.contents = contents
    self.chapters_utf8 = chapters_utf8
    self.images = FACTORIES['digestkit.writers.html_page:Page']['images']() if images is _FACTORY else images
    self.author = author


def _digestkit_writers_markdown___Ctx(self: Any, in_table: Any = _FACTORY, list_markers: Any = _FACTORY, at_start: Any = _FACTORY, notes: Any = _FACTORY) -> None:
    self.in_table = in_table
    self.list_markers = FACTORIES['digestkit.writers.markdown:_Ctx']['list_markers']() if list_markers is _FACTORY else list_markers
    self.at_start = at_start
    self.notes = FACTORIES['digestkit.writers.markdown:_Ctx']['notes']() if notes is _FACTORY else notes


def _digestkit_writers_pdf_assemble__ChapterPart(self: Any, html: Any, toc: Any, assets: Any) -> None:
    _set(self, 'html', html)
    _set(self, 'toc', toc)
    _set(self, 'assets', assets)


def _digestkit_writers_pdf_assemble__Parts(self: Any, lang: Any, head_front: Any, head_body: Any, chapters: Any, toc: Any, assets: Any) -> None:
    self.lang = lang
    self.head_front = head_front
    self.head_body = head_body
    self.chapters = chapters
    self.toc = toc
    self.assets = assets


def _digestkit_writers_pdf_engine__Laid(self: Any, pdf: Any, pages: Any, anchors: Any, bookmarks: Any) -> None:
    _set(self, 'pdf', pdf)
    _set(self, 'pages', pages)
    _set(self, 'anchors', anchors)
    _set(self, 'bookmarks', bookmarks)


def _digestkit_writers_pdf_incremental__Group(self: Any, members: Any, chars: Any, toc: Any, starts: Any, rendered: Any) -> None:
    _set(self, 'members', members)
    _set(self, 'chars', chars)
    _set(self, 'toc', toc)
    _set(self, 'starts', starts)
    _set(self, 'rendered', rendered)


def _digestkit_writers_pdf_incremental__Located(self: Any, name: Any, index: Any, group: Any) -> None:
    _set(self, 'name', name)
    _set(self, 'index', index)
    _set(self, 'group', group)


def _digestkit_writers_pdf_join__Piece(self: Any, part: Any, first: Any, end: Any) -> None:
    _set(self, 'part', part)
    _set(self, 'first', first)
    _set(self, 'end', end)


def _digestkit_writers_pdf_render__Rendered(self: Any, pdf: Any, pages: Any, anchors: Any, bookmarks: Any, marks: Any = _FACTORY) -> None:
    _set(self, 'pdf', pdf)
    _set(self, 'pages', pages)
    _set(self, 'anchors', anchors)
    _set(self, 'bookmarks', bookmarks)
    _set(self, 'marks', FACTORIES['digestkit.writers.pdf.render:Rendered']['marks']() if marks is _FACTORY else marks)


def _digestkit_writers_raw_html___Open(self: Any, tag: Any, emitted: Any, at: Any, kids: Any = _FACTORY, synthetic: Any = _FACTORY, caption: Any = _FACTORY, caption_first: Any = _FACTORY, last: Any = _FACTORY) -> None:
    self.tag = tag
    self.emitted = emitted
    self.at = at
    self.kids = kids
    self.synthetic = synthetic
    self.caption = caption
    self.caption_first = caption_first
    self.last = last


def _digestkit_writers_xhtml_context__RenderContext(self: Any, base_dir: Any = _FACTORY, allow_network: Any = _FACTORY, image_prefix: Any = _FACTORY, ids: Any = _FACTORY, toc: Any = _FACTORY, assets: Any = _FACTORY, warned: Any = _FACTORY, links: Any = _FACTORY, source: Any = _FACTORY, footnotes: Any = _FACTORY, page_params: Any = _FACTORY, hotlink: Any = _FACTORY, hugo_ids: Any = _FACTORY, aliases: Any = _FACTORY, notes: Any = _FACTORY, depth: Any = _FACTORY, in_link: Any = _FACTORY, vertical: Any = _FACTORY, page_url: Any = _FACTORY, unresolved: Any = _FACTORY) -> None:
    self.base_dir = base_dir
    self.allow_network = allow_network
    self.image_prefix = image_prefix
    self.ids = FACTORIES['digestkit.writers.xhtml_context:RenderContext']['ids']() if ids is _FACTORY else ids
    self.toc = FACTORIES['digestkit.writers.xhtml_context:RenderContext']['toc']() if toc is _FACTORY else toc
    self.assets = FACTORIES['digestkit.writers.xhtml_context:RenderContext']['assets']() if assets is _FACTORY else assets
    self.warned = FACTORIES['digestkit.writers.xhtml_context:RenderContext']['warned']() if warned is _FACTORY else warned
    self.links = FACTORIES['digestkit.writers.xhtml_context:RenderContext']['links']() if links is _FACTORY else links
    self.source = source
    self.footnotes = footnotes
    self.page_params = FACTORIES['digestkit.writers.xhtml_context:RenderContext']['page_params']() if page_params is _FACTORY else page_params
    self.hotlink = hotlink
    self.hugo_ids = FACTORIES['digestkit.writers.xhtml_context:RenderContext']['hugo_ids']() if hugo_ids is _FACTORY else hugo_ids
    self.aliases = FACTORIES['digestkit.writers.xhtml_context:RenderContext']['aliases']() if aliases is _FACTORY else aliases
    self.notes = FACTORIES['digestkit.writers.xhtml_context:RenderContext']['notes']() if notes is _FACTORY else notes
    self.depth = depth
    self.in_link = in_link
    self.vertical = vertical
    self.page_url = page_url
    self.unresolved = FACTORIES['digestkit.writers.xhtml_context:RenderContext']['unresolved']() if unresolved is _FACTORY else unresolved


def _digestkit_writers_xhtml_context__TocEntry(self: Any, level: Any, title: Any, anchor: Any) -> None:
    _set(self, 'level', level)
    _set(self, 'title', title)
    _set(self, 'anchor', anchor)
