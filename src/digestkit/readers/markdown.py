"""Reader ``markdown``: CommonMark (plus GFM tables and strikethrough) with YAML front matter.

Parsing is markdown-it-py's ``commonmark`` preset with the ``table`` and ``strikethrough`` rules;
its syntax tree is mapped one node to one AST node. Two deliberate differences from markdown-it's
HTML output:

- link and image URLs are kept as written (after backslash and entity unescaping) instead of
  percent-encoded, so ``https://zh.wikipedia.org/wiki/中文`` stays readable and round-trips, and
  links with any scheme stay links (HTML writers drop unsafe ones, keeping the text);
- adjacent text runs are merged, so equal documents compare equal however they were tokenised.

A list directly after a paragraph (no blank line) is a list, as CommonMark says; seed ``000_…``
relies on it.
"""

from __future__ import annotations

import contextvars
import functools

from .. import frontmatter
from ..ast import (
    Block,
    BlockQuote,
    BulletList,
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
from ..errors import ParseError
from ..lazyre import lazy_compile
from ..markers import code_text, fold_html, merge_text
from ..metadata import file_lang, meta_from_mapping

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:  # markdown-it-py is imported when the reference path first runs
    from typing import Any

    from markdown_it import MarkdownIt
    from markdown_it.tree import SyntaxTreeNode

    from ..ast import Align  # a Literal: made only when asked for (ast.__getattr__)

__all__ = ["READER", "MarkdownReader", "parse_blocks", "parser", "reference_blocks"]


def _identity(url: str) -> str:
    return url


def _accept(url: str) -> bool:
    return True


@functools.cache
def parser() -> MarkdownIt:
    """The shared markdown-it instance (CommonMark + tables + strikethrough, URLs kept as written)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    # Footnotes as goldmark (Hugo) and GFM read them: ``[^label]`` and ``[^label]: …`` blocks;
    # no inline ``^[…]`` notes, which neither supports.
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.use(footnote_plugin, inline=False)
    from .shortcode_rules import shortcode_plugin

    # Hugo shortcodes ({{< x >}}, {{% x %}}) as nodes, tags kept verbatim (shortcode_rules.py).
    md.use(shortcode_plugin)
    md.normalizeLink = _identity  # type: ignore[method-assign]
    # Keep every link as a link, whatever its scheme: the AST records what the author wrote,
    # and each writer decides what is safe (the XHTML renderer drops javascript:, file: …).
    md.validateLink = _accept  # type: ignore[method-assign]
    md.normalizeLinkText = _identity  # type: ignore[method-assign,assignment]
    return md


#: Footnote definitions of the document being read: markdown-it's footnote id → blocks.
_NOTES: contextvars.ContextVar[dict[int, tuple[Block, ...]]] = contextvars.ContextVar("_NOTES")


def _inlines(nodes: list[SyntaxTreeNode]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in nodes:
        match node.type:
            case "text":
                out.append(Text(text=node.content))
            case "softbreak":
                out.append(SoftBreak())
            case "hardbreak":
                out.append(HardBreak())
            case "code_inline":
                out.append(Code(text=node.content))
            case "html_inline":
                out.append(HtmlInline(text=node.content))
            case "em":
                out.append(Emphasis(children=_inlines(node.children)))
            case "strong":
                out.append(Strong(children=_inlines(node.children)))
            case "s":
                out.append(Strikethrough(children=_inlines(node.children)))
            case "link":
                title = node.attrs.get("title")
                out.append(
                    Link(
                        url=str(node.attrs["href"]),
                        title=None if title is None else str(title),
                        children=_inlines(node.children),
                    )
                )
            case "image":
                title = node.attrs.get("title")
                out.append(
                    Image(
                        url=str(node.attrs["src"]),
                        title=None if title is None else str(title),
                        alt=_inlines(node.children),
                    )
                )
            case "footnote_ref":
                # Each reference carries the note's blocks, as pandoc's Note does; a label
                # referenced twice gives two equal notes, written back as one definition.
                blocks = _NOTES.get({}).get(int(node.meta["id"]), ())
                out.append(Note(blocks=blocks, label=str(node.meta.get("label") or "")))
            case "footnote_anchor":
                pass
            case "hugo_shortcode_inline":
                m = node.meta
                kids = None
                if m["inner"] is not None:
                    from markdown_it.tree import SyntaxTreeNode

                    nodes = SyntaxTreeNode(parser().parseInline(m["inner"])).children
                    if len(nodes) == 1 and nodes[0].type == "inline":
                        nodes = nodes[0].children
                    kids = _inlines(nodes)
                name = ("/" if m["closing"] else "") + m["name"]
                out.append(ShortcodeInline(name=name, params=tuple(m["params"]), children=kids,
                                           open=m["open"], close=m["close"]))  # fmt: skip
            case other:  # pragma: no cover - markdown-it emits nothing else with our rules
                raise AssertionError(f"unexpected inline token {other}")
    return merge_text(fold_html(out))


def _inline_children(node: SyntaxTreeNode) -> tuple[Inline, ...]:
    return _inlines(node.children[0].children) if node.children else ()


_ALIGN = lazy_compile(r"text-align:(left|center|right)")


def _cell(node: SyntaxTreeNode) -> tuple[TableCell, Align]:
    m = _ALIGN.search(str(node.attrs.get("style", "")))
    align: Align = m.group(1) if m else ""  # type: ignore[assignment]
    return TableCell(children=_inline_children(node)), align


def _table(node: SyntaxTreeNode) -> Table:
    header: tuple[TableCell, ...] = ()
    aligns: tuple[Align, ...] = ()
    rows: list[tuple[TableCell, ...]] = []
    for section in node.children:
        for tr in section.children:
            cells = [_cell(c) for c in tr.children]
            if section.type == "thead":
                header = tuple(c for c, _ in cells)
                aligns = tuple(a for _, a in cells)
            else:
                rows.append(tuple(c for c, _ in cells))
    return Table(header=header, rows=tuple(rows), aligns=aligns)


def _is_tight(node: SyntaxTreeNode) -> bool:
    for item in node.children:
        for child in item.children:
            # an empty paragraph (only Unicode spaces) is dropped below: it says nothing here
            if child.type == "paragraph" and _inline_children(child):
                return bool(child.hidden)
    return True


def _blocks(nodes: list[SyntaxTreeNode]) -> tuple[Block, ...]:
    out: list[Block] = []
    for node in nodes:
        match node.type:
            case "paragraph":
                # a line of only Unicode spaces (U+00A0, U+3000) is a paragraph whose text
                # markdown-it-py strips to nothing; an empty paragraph says nothing, and written
                # back it became blank lines that the next read dropped (issue 25: round trips)
                if kids := _inline_children(node):
                    out.append(Paragraph(children=kids))
            case "heading":
                out.append(Heading(level=int(node.tag[1]), children=_inline_children(node)))
            case "bullet_list":
                items = tuple(ListItem(blocks=_blocks(i.children)) for i in node.children)
                out.append(BulletList(items=items, tight=_is_tight(node)))
            case "ordered_list":
                items = tuple(ListItem(blocks=_blocks(i.children)) for i in node.children)
                start = int(node.attrs.get("start", 1))
                out.append(OrderedList(items=items, start=start, tight=_is_tight(node)))
            case "blockquote":
                out.append(BlockQuote(blocks=_blocks(node.children)))
            case "fence":
                # The info string stays as written (escapes and entities included), as
                # markdown-it keeps it; it is metadata for code, not prose.
                out.append(CodeBlock(text=code_text(node.content), info=node.info.strip()))
            case "code_block":
                out.append(CodeBlock(text=code_text(node.content)))
            case "hr":
                out.append(ThematicBreak())
            case "html_block":
                out.append(HtmlBlock(text=node.content.rstrip("\n")))
            case "table":
                out.append(_table(node))
            case "hugo_shortcode":
                out.append(_shortcode(node.meta))
            case "footnote_block" | "footnote_anchor":
                pass  # definitions were read first, into the references (see parse_blocks)
            case other:  # pragma: no cover
                raise AssertionError(f"unexpected block token {other}")
    return tuple(out)


#: Shortcodes whose inner text is code or data, not Markdown: kept as one CodeBlock.
RAW_INNER = frozenset({
    "highlight", "highlightEx", "mermaid", "katex", "math", "echarts", "chart", "raw", "html",
    "code", "code-toggle", "plantuml", "style", "script", "asciinema", "tabs-code",
    "codeblock", "tabbed-codeblock",
})  # fmt: skip


def _shortcode(m: dict[str, Any]) -> Shortcode:
    name, inner = str(m["name"]), m["inner"]
    params: tuple[tuple[str, str], ...] = tuple(m["params"])
    blocks: tuple[Block, ...] | None = None
    if isinstance(inner, str):
        if name in RAW_INNER:
            positional = [v for k, v in params if not k]
            lang = (positional[0] if positional else dict(params).get("lang", "")) \
                if name.startswith("highlight") else name  # fmt: skip
            blocks = (CodeBlock(text=inner, info=lang),)
        else:
            from .shortcode_rules import NESTED

            token = NESTED.set(True)
            try:
                blocks = parse_blocks(inner)
            finally:
                NESTED.reset(token)
    return Shortcode(name=name, params=params, blocks=blocks, open=str(m["open"]),
                     close=str(m["close"]))  # fmt: skip


def _footnotes(root: SyntaxTreeNode) -> dict[int, tuple[Block, ...]]:
    """The footnote definitions (markdown-it puts them in one block at the end), by id.

    A definition may itself hold references to earlier ones, so they are read in order
    with the notes read so far visible.
    """
    notes: dict[int, tuple[Block, ...]] = {}
    token = _NOTES.set(notes)
    try:
        for block in root.children:
            if block.type == "footnote_block":
                for note in block.children:
                    notes[int(note.meta["id"])] = _blocks(note.children)
    finally:
        _NOTES.reset(token)
    return notes


def parse_blocks(text: str, *, path: str | None = None, line: int = 1) -> tuple[Block, ...]:
    """Parse a Markdown body (no front matter) into blocks (article/caption markers folded)."""
    from ..markers import fold
    from .markdown_fast import fast_blocks

    try:
        blocks = fast_blocks(text)
        return fold(reference_blocks(text) if blocks is None else blocks)
    except RecursionError:
        raise ParseError("Markdown nests too deeply", path=path, line=line) from None


def reference_blocks(text: str) -> tuple[Block, ...]:
    """The blocks of a Markdown body as markdown-it-py reads them (markers not yet folded): the
    reference the accelerated path (``markdown_fast.py``) must equal, and its fallback."""
    from markdown_it.tree import SyntaxTreeNode

    root = SyntaxTreeNode(parser().parse(text))
    token = _NOTES.set(_footnotes(root))
    try:
        return _blocks(root.children)
    finally:
        _NOTES.reset(token)


def read_with_front_matter(
    text: str, *, path: str | None, formats: tuple[str, ...], fenceless: bool = False
) -> tuple[Meta, tuple[Block, ...]]:
    """Split off front matter of one of ``formats``, type it, and parse the body.

    ``fenceless``: also Hexo's YAML front matter with no opening ``---``
    (:func:`digestkit.frontmatter.split_fenceless`); Hugo does not read it, Hexo does.

    Without a ``lang`` key, a language in the file name (``post.ja.md``, Hugo's translations)
    is the document's, inferred (not written back to front matter: the name keeps it).
    """
    fenceless_split = frontmatter.split_fenceless(text, path=path) if fenceless else None
    if frontmatter.detect(text) not in formats and fenceless_split is None:
        meta, blocks = Meta(), parse_blocks(text, path=path)
    else:
        s = fenceless_split or frontmatter.split(text, path=path)
        assert s.format is not None
        data = frontmatter.load(s, path=path)
        meta = meta_from_mapping(data, FrontMatter(format=s.format, text=s.text))
        blocks = parse_blocks(s.body, path=path, line=s.body_line)
    if meta.lang is None and path and (lang := file_lang(path)) is not None:
        key = MetaKey(name="lang", field="lang", form="detected")
        meta = meta.replace(lang=lang, keys=(*meta.keys, key))
    return meta, blocks


class MarkdownReader:
    """CommonMark with YAML front matter (``---`` fences)."""

    name = "markdown"
    description = "CommonMark + GFM tables/strikethrough, YAML front matter"
    extensions = (".md", ".markdown", ".mdown", ".mkd")

    def sniff(self, text: str, path: str | None) -> float:
        """Sure for ``---`` front matter; likely for Markdown evidence (see :mod:`.markdown_sniff`)
        or a ``.md`` name."""
        if frontmatter.detect(text) == "yaml":
            return 1.0
        # imported here: its patterns (~1 ms to compile) are not needed for front matter
        from .markdown_sniff import markdown_score

        score = 0.0
        if path and path.lower().endswith(self.extensions):
            score = 0.6
        return max(score, markdown_score(text))

    def read(self, text: str, *, path: str | None = None) -> Document:
        """Parse ``text``; broken front matter raises :class:`ParseError` with its position."""
        meta, blocks = read_with_front_matter(text, path=path, formats=("yaml",), fenceless=True)
        return Document(meta=meta, blocks=blocks)


READER = MarkdownReader()
