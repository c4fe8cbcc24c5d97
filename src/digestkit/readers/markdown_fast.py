"""An accelerated parse path for the ``markdown`` reader: markdown-it-pyrs (the Rust port of
markdown-it), mapped to the same AST as the reference path (markdown-it-py, ``markdown.py``).

Why: parsing was ~60 % of a cold weekly EPUB (issue 16); markdown-it.rs parses the same
CommonMark + tables + strikethrough grammar about ten times faster. Why it is only a fast path:
markdown-it-py stays the reference, and the fallback, whenever this module cannot *prove* it gives
the same AST. :func:`fast_blocks` returns ``None`` (and the reference parses) when

- markdown-it-pyrs is not installed (it is an optional accelerator; wheels are per platform);
- the text could use a rule the Rust port lacks or does differently: footnotes (``[^``), Hugo
  shortcodes (``{{``), schemes markdown-it refuses to link (``javascript:``, ``vbscript:``,
  ``file:``, ``data:`` — the reference accepts every scheme; see ``markdown.parser``), carriage
  returns or NUL characters (normalised by the reference before parsing);
- a link or image URL cannot be given back exactly as written: markdown-it.rs percent-encodes
  URLs (the reference keeps them as written), so the URL is decoded, and that is exact only when
  the text holds no percent-escape of its own and the decoded URL occurs verbatim in the text
  (no entity or backslash escape in it, no host rewritten);
- the tree nests deeper than :data:`MAX_DEPTH` (markdown-it-py stops nesting at 20 levels);
- the tree holds a node this mapping does not know.

The equality is checked by ``tests/readers/test_markdown_fast.py`` on the CommonMark spec's 652
examples, the seeds, the property tests' documents and a corpus of real Hugo Markdown, node for
node against the reference. ``DIGESTKIT_MARKDOWN=reference`` turns the fast path off.
"""

from __future__ import annotations

import functools
import os
import re
from urllib.parse import unquote

from ..ast import (
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    Emphasis,
    HardBreak,
    Heading,
    HtmlBlock,
    HtmlInline,
    Image,
    Inline,
    Link,
    ListItem,
    OrderedList,
    Paragraph,
    SoftBreak,
    Strikethrough,
    Strong,
    Table,
    TableCell,
    Text,
    ThematicBreak,
)
from ..lazyre import lazy_compile
from ..markers import code_text, fold_html, merge_text

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from typing import Any

    from ..ast import Align  # a Literal: made only when asked for (ast.__getattr__)

__all__ = ["MAX_DEPTH", "available", "fast_blocks"]

#: Deeper trees go to the reference, whose nesting limit (20) decides what they become.
MAX_DEPTH = 12

# Anything that may need a rule or a behaviour only the reference has (see the module docstring).
_NEEDS_REFERENCE = ("[^", "{{", "\r", "\x00")
_REFUSED_SCHEMES = ("javascript:", "vbscript:", "file:", "data:")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
#: an emphasis or strikethrough delimiter (see :func:`_symbol_flanked`)
_DELIMITER = re.compile(r"[*_~]")
#: what Python's ``str.strip`` removes beyond ASCII (markdown-it-py strips paragraph, heading and
#: cell content with it; markdown-it.rs does not): the ``isspace`` characters from U+0080 to
#: U+3000, written out rather than found by testing 12,000 characters at every start (0.8 ms;
#: ``tests/readers/test_markdown_fast.py`` checks the list), and ASCII's separators
_UNICODE_SPACE = frozenset(
    "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
    "\x1c\x1d\x1e\x1f\x0b\x0c"
)


_DELIMITER_ROW = lazy_compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-*:?[ \t]*)*\|?[ \t]*")
#: an empty list item (may not interrupt a paragraph; the two parsers disagree on when it ends
#: one), ``<!x`` with a lower-case letter (an HTML block in CommonMark 0.31 only), three tildes
#: (strikethrough runs), a tab in a line's indentation or container markers (tab stops), and
#: an ordered-list marker other than 1 right after a quote's line (``> 1. a`` / ``2. b``: it may
#: not interrupt a paragraph, so markdown-it.rs reads a lazy continuation line, markdown-it-py a
#: new list after the quote — found on the whole corpus by benchmarks/markdown_corpus.py)
_EDGE_CASES = re.compile(
    r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]*$|<![a-z]|~~~|^[ >*+\-0-9.)]*\t"
    r"|^ {0,3}>.*\n {0,3}(?!1[.)])\d{1,9}[.)]",
    re.MULTILINE,
)


def _odd_table(text: str) -> bool:
    """A table that is not written the plain way: header row, delimiter row and body rows each
    starting with ``|``, a blank line (or nothing) before and after. The GFM table rules of the
    two parsers differ elsewhere (a table interrupting a paragraph or a quote's lazy line, a
    one-column table without pipes, where the body ends)."""
    if ("|" not in text and ":-" not in text and "-:" not in text) or "-" not in text:
        return False
    lines = text.split("\n")
    n = len(lines)
    for i, line in enumerate(lines):
        if "-" not in line or not _DELIMITER_ROW.fullmatch(line):
            continue
        if "|" not in line and ":" not in line and (i == 0 or "|" not in lines[i - 1]):
            continue  # a setext underline or a thematic break, read alike
        if (
            i == 0
            or not line.lstrip(" ").startswith("|")
            or not lines[i - 1].lstrip(" ").startswith("|")
        ):
            return True
        if i >= 2 and lines[i - 2].strip():
            return True
        j = i + 1
        while j < n and lines[j].lstrip(" ").startswith("|"):
            j += 1
        if j < n and lines[j].strip():
            return True
    return False


def _refused_scheme(text: str) -> bool:
    """A scheme markdown-it refuses to link (the reference accepts every scheme)."""
    if ":" not in text:
        return False
    low = text.lower()
    return any(x in low for x in _REFUSED_SCHEMES)


def _symbol_flanked(text: str) -> bool:
    """A ``*``/``_``/``~`` next to a non-ASCII symbol (``£``, ``€``, emoji…): CommonMark 0.31
    (markdown-it-py) counts symbols as punctuation when deciding emphasis, markdown-it.rs does not."""
    import unicodedata

    # The characters beside each delimiter, tested in Python: a pattern for "a non-ASCII
    # character beside a delimiter" has to leave out the Han ranges (CJK ideographs, the
    # commonest neighbours, are letters), and compiling such a class costs ~2 ms of every start
    # (re fills a 64K map one code point at a time; issue 26). A digest has a few hundred
    # delimiters at most.
    for m in _DELIMITER.finditer(text):
        i = m.start()
        for c in (text[i - 1 : i] if i else "", text[i + 1 : i + 2]):
            if (
                c > "\x7f"
                and not ("\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf")
                and unicodedata.category(c)[0] == "S"
            ):
                return True
    return False


_BACKTICKS = lazy_compile(r"`+")


def _unclosed_code_after_bracket(text: str) -> bool:
    """A ``[`` and a backtick run with no later run of the same length: markdown-it.rs (0.6)
    panics on it (``[`x``, ``[`](u)``; three documents of the real corpus). The panic is caught,
    but Rust prints it to stderr first, so such text goes to the reference without trying."""
    if "[" not in text or "`" not in text:
        return False
    runs = [len(m.group()) for m in _BACKTICKS.finditer(text)]
    following: dict[int, int] = {}  # run length → how many such runs are still ahead
    for n in runs:
        following[n] = following.get(n, 0) + 1
    open_len = 0  # the length of the run that opened a code span, 0 outside one
    for n in runs:
        following[n] -= 1
        if open_len:
            if n == open_len:
                open_len = 0
        elif following[n]:
            open_len = n
        else:
            return True
    return False


def _new_comment(text: str) -> bool:
    """An HTML comment that CommonMark 0.31 (markdown-it-py) and the older rule of markdown-it.rs
    read differently: ``<!-->``, ``<!--->``, or ``--`` inside, or a ``-`` before ``-->``."""
    i = text.find("<!--")
    while i >= 0:
        if text.startswith((">", "->"), i + 4):
            return True
        end = text.find("-->", i + 4)
        if end < 0:
            return False
        body = text[i + 4 : end]
        if "--" in body or body.endswith("-"):
            return True
        i = text.find("<!--", end + 3)
    return False


class _Fallback(Exception):
    """The fast path cannot vouch for this text: parse it with the reference."""


@functools.cache
def _parser() -> Any:
    if os.environ.get("DIGESTKIT_MARKDOWN", "").lower() == "reference":
        return None
    try:
        import markdown_it_pyrs
    except ImportError:
        return None
    return markdown_it_pyrs.MarkdownIt("commonmark").enable_many(["table", "strikethrough"])


def available() -> bool:
    """Whether the accelerated parser is installed (and not turned off)."""
    return _parser() is not None


def fast_blocks(text: str) -> tuple[Block, ...] | None:
    """The blocks of a Markdown body as the reference would read them (markers not yet folded),
    or ``None`` when only the reference can say (see the module docstring)."""
    md = _parser()
    if (
        md is None
        or any(x in text for x in _NEEDS_REFERENCE)
        or _refused_scheme(text)
        or _symbol_flanked(text)
        or _new_comment(text)
        or _EDGE_CASES.search(text)
        or _odd_table(text)
        or _unclosed_code_after_bracket(text)
    ):
        return None
    try:
        tree = md.tree(text)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # a Rust panic (pyo3's PanicException derives from BaseException)
        return None
    try:
        return _Mapper(text).blocks(tree.children, 1)
    except _Fallback:
        return None


_ALIGNS: dict[str, Align] = {"left": "left", "center": "center", "right": "right"}
_INLINE_NAMES = frozenset({
    "text", "text_special", "softbreak", "hardbreak", "code_inline", "html_inline", "em",
    "strong", "strikethrough", "link", "image", "autolink",
})  # fmt: skip


class _Mapper:
    """One document's tree → AST (the text is kept to check URLs against)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.has_percent = _PERCENT.search(text) is not None
        self.raw: bytes | None = None

    def source(self, node: Any) -> str:
        """The source text of ``node`` (markdown-it.rs maps nodes to byte offsets)."""
        if self.raw is None:
            self.raw = self.text.encode()
        start, end = node.srcmap
        return self.raw[start:end].decode()

    def spans_lines(self, node: Any) -> bool:
        return "\n" in self.source(node)

    def closed(self, node: Any, marker: str, length: int) -> None:
        """Fall back unless the fence is closed: the two parsers end an unclosed fence's
        content differently at the end of the document."""
        source = self.source(node)
        assert self.raw is not None
        if self.raw[node.srcmap[1] :].strip():
            return  # not at the end of the document, where the two parsers differ
        lines = source.rstrip("\n").split("\n")
        last = lines[-1].strip(" \t").lstrip(" \t>")
        if len(lines) < 2 or len(last) < length or last.strip(marker):
            raise _Fallback

    def url(self, encoded: str) -> str:
        """The URL as written, from markdown-it.rs's percent-encoded one (or fall back)."""
        if "%" not in encoded:
            written = encoded
        else:
            if self.has_percent:
                raise _Fallback  # a %XX of the author's own cannot be told from an encoded one
            written = unquote(encoded, errors="strict")
        if written not in self.text:
            raise _Fallback  # an entity, an escape or a rewritten host: not as written
        return written

    def content(self, nodes: list[Any], depth: int) -> tuple[Inline, ...]:
        """The inlines of a paragraph, heading or table cell, whose source markdown-it-py strips
        with ``str.strip`` (Unicode spaces too): one at either edge goes to the reference."""
        out = self.inlines(nodes, depth)
        if out:
            first, last = out[0], out[-1]
            if (isinstance(first, Text) and first.text[:1] in _UNICODE_SPACE) or (
                isinstance(last, Text) and last.text[-1:] in _UNICODE_SPACE
            ):
                raise _Fallback
        return out

    def inlines(self, nodes: list[Any], depth: int) -> tuple[Inline, ...]:
        if depth > MAX_DEPTH:
            raise _Fallback
        out: list[Inline] = []
        add = out.append
        has_html = False
        for node in nodes:
            name = node.name
            if name == "text" or name == "text_special":
                add(Text(text=node.meta["content"]))
            elif name == "softbreak":
                add(SoftBreak())
            elif name == "strong":
                add(Strong(children=self.inlines(node.children, depth + 1)))
            elif name == "link" or name == "image":
                meta = node.meta
                # markdown-it(-py) drops an empty title ([a](u "")); markdown-it.rs keeps ""
                title = meta.get("title") or None
                url = self.url(meta["url"])
                kids = self.inlines(node.children, depth + 1)
                if name == "link":
                    add(Link(url=url, title=title, children=kids))
                else:
                    add(Image(url=url, title=title, alt=kids))
            elif name == "em":
                add(Emphasis(children=self.inlines(node.children, depth + 1)))
            elif name == "code_inline":
                code = "".join(c.meta["content"] for c in node.children)
                if not code.strip(" ") or (" " in code and self.spans_lines(node)):
                    raise _Fallback  # line endings in code are read differently
                add(Code(text=code))
            elif name == "hardbreak":
                add(HardBreak())
            elif name == "html_inline":
                has_html = True
                add(HtmlInline(text=node.meta["content"]))
            elif name == "strikethrough":
                add(Strikethrough(children=self.inlines(node.children, depth + 1)))
            elif name == "autolink":
                written = "".join(c.meta["content"] for c in node.children)
                encoded = node.meta["url"]
                url = written if not encoded.startswith("mailto:") or written.startswith(
                    ("mailto:", "MAILTO:")) else "mailto:" + written  # fmt: skip
                if not url.lower().startswith(encoded[:6].lower()):
                    raise _Fallback
                add(Link(url=url, title=None, children=(Text(text=written),)))
            else:
                raise _Fallback
        return merge_text(fold_html(out)) if has_html else merge_text(out)

    def blocks(self, nodes: list[Any], depth: int) -> tuple[Block, ...]:
        if depth > MAX_DEPTH:
            raise _Fallback
        out: list[Block] = []
        run: list[Any] = []  # inline nodes straight under a list item: a tight paragraph
        for node in nodes:
            name = node.name
            if name in _INLINE_NAMES:
                run.append(node)
                continue
            if run:
                out.append(Paragraph(children=self.content(run, depth + 1)))
                run = []
            if name == "paragraph":
                out.append(Paragraph(children=self.content(node.children, depth + 1)))
            elif name == "heading" or name == "lheading":
                out.append(Heading(level=int(node.meta["level"]),
                                   children=self.content(node.children, depth + 1)))  # fmt: skip
            elif name == "bullet_list":
                out.append(BulletList(items=self.items(node, depth), tight=_tight(node)))
            elif name == "ordered_list":
                start = int(node.meta.get("start", 1))
                out.append(OrderedList(items=self.items(node, depth), start=start,
                                       tight=_tight(node)))  # fmt: skip
            elif name == "blockquote":
                out.append(BlockQuote(blocks=self.blocks(node.children, depth + 1)))
            elif name == "fence":
                meta = node.meta
                self.closed(node, str(meta.get("marker", "`")), int(meta.get("marker_len", 3)))
                out.append(
                    CodeBlock(
                        text=code_text(meta["content"]), info=str(meta.get("info", "")).strip()
                    )
                )
            elif name == "code_block":
                out.append(CodeBlock(text=code_text(node.meta["content"])))
            elif name == "hr":
                out.append(ThematicBreak())
            elif name == "html_block":
                out.append(HtmlBlock(text=node.meta["content"].rstrip("\n")))
            elif name == "table":
                out.append(self.table(node, depth))
            elif name == "definition":
                pass  # link reference definitions: already applied to the links
            else:
                raise _Fallback
        if run:
            out.append(Paragraph(children=self.content(run, depth + 1)))
        return tuple(out)

    def items(self, node: Any, depth: int) -> tuple[ListItem, ...]:
        items = []
        for item in node.children:
            if item.name != "list_item":
                raise _Fallback
            items.append(ListItem(blocks=self.blocks(item.children, depth + 2)))
        return tuple(items)

    def table(self, node: Any, depth: int) -> Table:
        aligns = tuple(_ALIGNS.get(str(a), "") for a in node.meta.get("alignments", ()))
        header: tuple[TableCell, ...] = ()
        rows: list[tuple[TableCell, ...]] = []
        for section in node.children:
            for tr in section.children:
                cells = tuple(TableCell(children=self.content(c.children, depth + 3))
                              for c in tr.children)  # fmt: skip
                if section.name == "thead":
                    header = cells
                elif section.name == "tbody":
                    rows.append(cells)
                else:
                    raise _Fallback
        return Table(header=header, rows=tuple(rows), aligns=aligns[: len(header)])


def _tight(node: Any) -> bool:
    """As the reference decides: by the first paragraph of any item (hidden ⇔ tight)."""
    for item in node.children:
        for child in item.children:
            if child.name == "paragraph":
                return False
            if child.name in _INLINE_NAMES:
                return True
    return True
