"""Writer ``markdown``: CommonMark (+ GFM tables and strikethrough) with YAML front matter.

The output is meant to be read back to the *same* AST (``loads(dumps(doc)) == doc``) and to be
stable (``dumps`` of that is byte-identical). The escaping rules follow mdformat's renderer
(executablebooks/mdformat, MIT), adapted in two ways: text is never re-spaced or wrapped
(Chinese text has no spaces to spare), and the writer works from the typed AST rather than
markdown-it tokens, so it has no source to consult and must escape from context alone.

Style: ATX headings (setext only when a heading holds a line break), ``-`` bullets alternating
with ``*`` for adjacent lists, ``1.``/``1)`` likewise, fenced code, ``---`` rules where that
cannot be misread, inline links, ``<url>`` autolinks where the text is the URL.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any, assert_never

from .. import frontmatter, markers
from .._records import field, replace
from .._records import record as dataclass  # dataclasses' classes, no exec
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
from ..metadata import meta_from_mapping, meta_to_mapping, source_keys
from ..options import TextOptions
from ..readers.markdown import RAW_INNER
from ..shortcodes import parse_tag

__all__ = ["WRITER", "MarkdownWriter", "format_tag", "render_blocks", "render_front_matter"]

_ASCII_PUNCT = re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_CHAR_REF = re.compile(r"&(?:#[0-9]{1,7};|#[Xx][0-9A-Fa-f]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
_UNICODE_WS = frozenset(" \t\n\r\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                        "\u2007\u2008\u2009\u200a\u202f\u205f\u3000")  # fmt: skip
_AUTOLINK_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\x00-\x20]*")
_AUTOLINK_EMAIL = re.compile(
    r"[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*"
)
# HTML block starts that can interrupt a paragraph (CommonMark kinds 1–6).
_HTML_INTERRUPT = re.compile(
    r"<(?:script|pre|style|textarea)(?:\s|>|$)|<!--|<\?|<![A-Za-z]|<!\[CDATA\[|"
    r"</?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|"
    r"details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|"
    r"head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|"
    r"option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)"
    r"(?:\s|/?>|$)",
    re.IGNORECASE,
)
_TABLE_DELIM = re.compile(r"^[\s|:-]*-[\s|:-]*$")


@dataclass
class _Ctx:
    """Rendering state: where we are, so escapes and markers can depend on it."""

    in_table: bool = False
    list_markers: list[str] = field(default_factory=list)
    at_start: bool = True
    #: footnote label → its blocks, in order of first reference; written after the body.
    notes: dict[str, tuple[Block, ...]] = field(default_factory=dict)


# --------------------------------------------------------------------------- inline escaping


def _escape_emphasis_char(text: str, char: str) -> str:
    if char not in text:
        return text
    out = []
    n = len(text)
    for i, c in enumerate(text):
        if c != char:
            out.append(c)
            continue
        prev = text[i - 1] if i else None
        nxt = text[i + 1] if i + 1 < n else None
        if prev in _UNICODE_WS and nxt in _UNICODE_WS:
            out.append(c)
        elif char == "_" and _word(prev) and _word(nxt):
            out.append(c)  # intraword underscores never delimit emphasis
        else:
            out.append("\\" + c)
    return "".join(out)


def _word(c: str | None) -> bool:
    return (
        c is not None and c not in _UNICODE_WS and (c.isalnum() or (ord(c) > 0x7F and c.isalpha()))
    )


def _escape_brackets(text: str) -> str:
    """Escape ``[``/``]`` unless they form a harmless pair (mdformat's heuristic, no references)."""
    if "[" not in text and "]" not in text:
        return text
    escape_at: list[int] = []
    start: int | None = None
    for m in re.finditer(r"[\[\]]", text):
        pos = m.start()
        if m.group() == "[":
            if start is not None:
                escape_at.append(start)
            start = pos
        elif start is None:
            escape_at.append(pos)
        else:
            if text[pos + 1 : pos + 2] in (":", "(", "["):
                escape_at += [start, pos]
            start = None
    if start is not None:
        escape_at.append(start)
    if not escape_at:
        return text
    out, prev = [], 0
    for pos in sorted(escape_at):
        out.append(text[prev:pos])
        out.append("\\")
        prev = pos
    out.append(text[prev:])
    return "".join(out)


def _escape_tildes(text: str, first: bool, last: bool) -> str:
    if "~" not in text:
        return text
    out = []
    n = len(text)
    for i, c in enumerate(text):
        if c == "~" and (
            (i > 0 and text[i - 1] == "~")
            or (i + 1 < n and text[i + 1] == "~")
            or (i == 0 and not first)
            or (i == n - 1 and not last)
        ):
            out.append("\\~")
        else:
            out.append(c)
    return "".join(out)


def _escape_text(text: str, ctx: _Ctx, *, first: bool, last: bool, next_node: Any) -> str:
    text = text.replace("\\", "\\\\")
    text = _escape_emphasis_char(text, "*")
    text = _escape_emphasis_char(text, "_")
    text = _escape_brackets(text)
    text = re.sub(r"<(?=[^ ]|$)", r"\\<", text)
    text = text.replace("`", "\\`")
    text = _CHAR_REF.sub(lambda m: "\\" + m.group(), text)
    text = _escape_tildes(text, first, last)
    # A newline inside a text run (from ``&#10;``) is not a line break: keep it as a reference.
    text = text.replace("\n", "&#10;")
    if ctx.in_table:
        text = text.replace("|", "\\|")
    if text.endswith("!") and isinstance(next_node, Link):
        text = text[:-1] + "\\!"
    return text


def _code_span(code: str) -> str:
    if not code:
        return ""
    longest = max((len(m) for m in re.findall(r"`+", code)), default=0)
    fence = "`" * (longest + 1)
    pad = ""
    if longest or (code.startswith(" ") and code.endswith(" ") and code.strip(" ")):
        pad = " "
    if code.startswith("`") or code.endswith("`"):
        pad = " "
    return f"{fence}{pad}{code}{pad}{fence}"


def format_tag(name: str, params: Sequence[tuple[str, str]]) -> str:
    """A ``{{< name params >}}`` tag for a shortcode built in code (no tag text kept)."""
    parts = [name]
    for key, value in params:
        quoted = (
            value if re.fullmatch(r"[^\s\"`>%/]+", value) else '"' + value.replace('"', '\\"') + '"'
        )
        parts.append(f"{key}={quoted}" if key else quoted)
    return "{{< " + " ".join(parts) + " >}}"


def _destination(url: str) -> str:
    if url == "":
        return "<>"
    if parse_tag(url) is not None:
        return url  # [x]({{< relref "a.md" >}}): the tag as written (see shortcode_rules)
    dest = re.sub(rf"\\(?=[{_ASCII_PUNCT}])", r"\\\\", url)
    dest = _CHAR_REF.sub(lambda m: "\\" + m.group(), dest)
    depth, balanced = 0, True
    for c in url:
        depth += c == "("
        depth -= c == ")"
        if depth < 0:
            balanced = False
    balanced = balanced and depth == 0
    if not balanced or url.startswith("<") or any(c <= " " for c in url):
        inner = dest.replace("<", "\\<").replace(">", "\\>").replace("\n", "%0A")
        return f"<{inner}>"
    return dest


def _title(title: str) -> str:
    t = re.sub(rf"\\(?=[{_ASCII_PUNCT}])", r"\\\\", title)
    t = _CHAR_REF.sub(lambda m: "\\" + m.group(), t)
    return ' "' + t.replace('"', '\\"') + '"'


def _autolink(node: Link) -> str | None:
    if node.title is not None or len(node.children) != 1:
        return None
    child = node.children[0]
    if not isinstance(child, Text):
        return None
    if child.text == node.url and _AUTOLINK_URI.fullmatch(node.url):
        return f"<{node.url}>"
    if node.url == "mailto:" + child.text and _AUTOLINK_EMAIL.fullmatch(child.text):
        return f"<{child.text}>"
    return None


def _delims(node: Inline, touching: bool, outer: frozenset[str] = frozenset()) -> str:
    """Delimiters for an emphasis-like node.

    ``*`` everywhere (it works inside words, ``_`` does not), except an Emphasis that touches the
    ``*`` delimiter of an enclosing Emphasis or Strong: ``***x***`` would read back as
    <em><strong>, and ``**x**`` as <strong>, so that one uses ``_``; and a node inside one of its
    own kind written with ``*`` (``outer``: the enclosing delimiters): inside a word its ``*`` can
    close the outer one instead (``*使用 匯*入* 封裝*`` read back as two emphases), so it takes
    ``_``/``__`` — or ``<em>``/``<strong>`` where those cannot open or close (inside a word).
    """
    if isinstance(node, Strikethrough):
        return "~~"
    if isinstance(node, Strong):
        return "__" if "**" in outer else "**"
    return "_" if touching or "*" in outer else "*"


def render_inlines(
    nodes: Sequence[Inline],
    ctx: _Ctx,
    in_emphasis: bool = False,
    outer: frozenset[str] = frozenset(),
) -> str:
    """Markdown source for a run of inlines (``in_emphasis``: right inside ``*`` or ``**``;
    ``outer``: the delimiters of every enclosing emphasis)."""
    out: list[str] = []
    delimited: list[tuple[int, str, str, Inline]] = []
    n = len(nodes)
    for i, node in enumerate(nodes):
        nxt = nodes[i + 1] if i + 1 < n else None
        match node:
            case Text(text=text):
                out.append(_escape_text(text, ctx, first=i == 0, last=i == n - 1, next_node=nxt))
            case SoftBreak():
                out.append("\n")
            case HardBreak():
                out.append("\\\n")
            case Code(text=text):
                # a table row is cut at every unescaped '|', code spans too; '\|' reads as '|'
                out.append(_code_span(text.replace("|", "\\|") if ctx.in_table else text))
            case HtmlInline(text=text):
                out.append(text)
            case Emphasis(children=kids) | Strong(children=kids) | Strikethrough(children=kids):
                d = _delims(node, in_emphasis and (i == 0 or i == n - 1), outer)
                inner = render_inlines(kids, ctx, d[0] == "*", outer | {d})
                delimited.append((len(out), d, inner, node))
                out.append(f"{d}{inner}{d}")
            case Link():
                auto = _autolink(node)
                if auto is not None:
                    out.append(auto)
                else:
                    # an empty title is no title: markdown-it drops ``[a](u "")``'s
                    title = _title(node.title) if node.title else ""
                    text = render_inlines(node.children, ctx)
                    out.append(f"[{text}]({_destination(node.url)}{title})")
            case Image():
                title = _title(node.title) if node.title else ""
                out.append(f"![{render_inlines(node.alt, ctx)}]({_destination(node.url)}{title})")
            case Note():
                out.append(f"[^{_note_label(node, ctx)}]")
            case Ruby(base=base, annotation=annotation):
                # raw HTML the Markdown reader folds back (markers.fold_html); the reading is
                # Markdown text between the tags, escaped as any text
                ann = _escape_text(annotation, ctx, first=False, last=False, next_node=None)
                out.append(
                    f"<ruby>{render_inlines(base, ctx)}<rp>(</rp><rt>{ann}</rt><rp>)</rp></ruby>"
                )
            case ShortcodeInline(children=kids):
                open_tag = node.open or format_tag(node.name, node.params)
                if kids is None:
                    out.append(open_tag)
                else:
                    close = node.close or format_tag("/" + node.name, ())
                    out.append(f"{open_tag}{render_inlines(kids, ctx)}{close}")
            case _:
                assert_never(node)
    for k, d, inner, node in delimited:
        before = "".join(out[:k])[-1:]
        after = "".join(out[k + 1 :])[:1]
        # delimiters touching the same character on either side would merge into one run
        if not _flanks(d, before, inner, after) or d[0] in (before, after):
            tag = _HTML_TAG[type(node).__name__]
            out[k] = f"<{tag}>{inner}</{tag}>"
    return "".join(out)


_LABEL = re.compile(r"[^\s\[\]\\^]+")


def _note_label(node: Note, ctx: _Ctx) -> str:
    """The note's own label when it is free (or names these same blocks), else the next number."""
    label = node.label if _LABEL.fullmatch(node.label) else ""
    if label and ctx.notes.get(label, node.blocks) == node.blocks:
        ctx.notes[label] = node.blocks
        return label
    n = len(ctx.notes) + 1
    while str(n) in ctx.notes:
        n += 1
    ctx.notes[str(n)] = node.blocks
    return str(n)


def _note_definitions(ctx: _Ctx) -> str:
    """``[^label]: …`` for every note referenced so far (notes inside notes included)."""
    parts: list[str] = []
    done: set[str] = set()
    while len(done) < len(ctx.notes):
        label = next(k for k in ctx.notes if k not in done)
        done.add(label)
        body = render_blocks(ctx.notes[label], ctx, "\n\n") or ""
        parts.append(_indent(body, f"[^{label}]: ", "    "))
    return "\n\n".join(parts)


_HTML_TAG = {"Emphasis": "em", "Strong": "strong", "Strikethrough": "s"}


def _kind(c: str) -> str:
    """'s' whitespace (or a line edge), 'p' punctuation or symbol, 'w' anything else."""
    if not c or c in _UNICODE_WS:
        return "s"
    return "p" if unicodedata.category(c)[0] in "PS" else "w"


def _flanks(d: str, before: str, inner: str, after: str) -> bool:
    """Would ``d…d`` around ``inner`` open and close here (CommonMark's flanking rules)?

    Where it would not — emphasis that starts or ends with punctuation right next to a letter,
    as in ``**「芯片」**的`` — the writer uses ``<strong>`` instead, and the reader folds that back.
    """
    if not inner:
        return False
    b, first, last, a = _kind(before), _kind(inner[0]), _kind(inner[-1]), _kind(after)
    left_open = first != "s" and (first != "p" or b in "sp")
    right_open = b != "s" and (b != "p" or first in "sp")
    right_close = last != "s" and (last != "p" or a in "sp")
    left_close = a != "s" and (a != "p" or last in "sp")
    if d[0] == "_":
        return (
            left_open
            and (not right_open or b == "p")
            and right_close
            and (not left_close or a == "p")
        )
    return left_open and right_close


# --------------------------------------------------------------------------- blocks


def _decimalify_edges(text: str) -> str:
    if text and text[0] in _UNICODE_WS:
        text = f"&#{ord(text[0])};{text[1:]}"
    if text and text[-1] in _UNICODE_WS:
        text = f"{text[:-1]}&#{ord(text[-1])};"
    return text


def _escape_line_start(line: str, index: int) -> str:
    """Escape what would make a paragraph line start another block (mdformat's rules)."""
    if re.match(r"#{1,6}( |\t|$)", line):
        return "\\" + line
    if line.startswith(">"):
        return "\\" + line
    if re.match(r"[-*+]( |\t|$)", line):
        return "\\" + line
    if m := re.match(r"[0-9]+([.)])( |\t|$)", line):
        return line[: m.start(1)] + "\\" + line[m.start(1) :]
    compact = line.replace(" ", "").replace("\t", "")
    if len(compact) >= 3 and len(set(compact)) == 1 and compact[0] in "*-_":
        return line.replace(compact[0], "\\" + compact[0], 1)
    if line and set(line.strip(" \t")) <= {"="}:
        return line.replace("=", "\\=", 1)
    if line and set(line.strip(" \t")) <= {"-"}:
        return line.replace("-", "\\-", 1)
    if "|" in line and _TABLE_DELIM.match(line):
        return line.replace("|", "\\|")
    if index > 0 and _HTML_INTERRUPT.match(line):
        return "    " + line
    return line


def _line_edges(line: str, last: bool) -> str:
    """A paragraph line without the spaces around it — but a line (not the last) whose text ends
    in a backslash and a space keeps them as written, ``\\ ``: markdown-it reads a backslash
    that escapes nothing, then a space, at a line's end as text ending in both, and the escaped
    ``\\\\`` the writer would make reads back without the space (found on the real corpus,
    ``docs/benchmarks.md``, issue 25)."""
    if line.endswith("\\"):
        return line.lstrip(" \t")  # a hard break
    kept = line.strip(" \t")
    tail = line[len(line.rstrip(" \t")) :]
    backslashes = len(kept) - len(kept.rstrip("\\"))
    if not last and tail.startswith(" ") and backslashes and backslashes % 2 == 0:
        return kept[:-1] + " "  # the last escaped backslash written bare: ``\\ `` is no escape
    return kept


def _paragraph_text(children: Sequence[Inline], ctx: _Ctx) -> str:
    text = _decimalify_edges(render_inlines(children, ctx))
    lines = text.split("\n")
    last = len(lines) - 1
    return "\n".join(
        _escape_line_start(_line_edges(line, i == last), i) for i, line in enumerate(lines)
    )


def _has_break(nodes: Sequence[Inline]) -> bool:
    for c in nodes:
        if isinstance(c, (SoftBreak, HardBreak)):
            return True
        if isinstance(c, (Emphasis, Strong, Strikethrough, Link)) and _has_break(c.children):
            return True
    return False


def _heading(node: Heading, ctx: _Ctx) -> str:
    has_break = _has_break(node.children)
    if has_break and node.level <= 2:
        body = _paragraph_text(node.children, ctx)
        return body + "\n" + ("===" if node.level == 1 else "---")
    kids = tuple(
        Text(text=" ") if isinstance(c, (SoftBreak, HardBreak)) else c for c in node.children
    )
    text = _decimalify_edges(render_inlines(kids, ctx))
    if text.endswith("#"):
        text = text[:-1] + "\\#"
    return "#" * node.level + (" " + text if text else "")


def _fence(node: CodeBlock) -> str:
    info = node.info
    char = "~" if "`" in info else "`"
    longest = max((len(m) for m in re.findall(re.escape(char) + "+", node.text)), default=0)
    fence = char * max(3, longest + 1)
    code = node.text if not node.text or node.text.endswith("\n") else node.text + "\n"
    return f"{fence}{info}\n{code}{fence}"


def _thematic_break(ctx: _Ctx) -> str:
    if ctx.list_markers:
        return "___" if ctx.list_markers[-1] == "*" else "***"
    return "***" if ctx.at_start else "---"


def _table(node: Table, ctx: _Ctx) -> str:
    ctx.in_table = True
    try:
        width = len(node.header)

        def row(cells: Sequence[TableCell]) -> str:
            # a cell's edges are trimmed of all Unicode whitespace when read back (no-break
            # spaces padding a header, as a real theme's demo page does): keep them as &#160;
            texts = [
                _decimalify_edges(render_inlines(c.children, ctx).replace("\n", " "))
                for c in cells[:width]
            ]
            texts += [""] * (width - len(texts))
            return "| " + " | ".join(texts) + " |"

        aligns = list(node.aligns) + [""] * (width - len(node.aligns))
        delim = {"left": ":--", "center": ":-:", "right": "--:", "": "---"}
        lines = [row(node.header), "| " + " | ".join(delim[a] for a in aligns) + " |"]
        lines += [row(r) for r in node.rows]
        return "\n".join(lines)
    finally:
        ctx.in_table = False


def _indent(text: str, first: str, rest: str) -> str:
    lines = text.split("\n")
    out = [first + lines[0] if lines[0] else first.rstrip()]
    out += [rest + line if line else "" for line in lines[1:]]
    return "\n".join(out)


def _list(node: BulletList | OrderedList, marker: str, ctx: _Ctx) -> str:
    sep = "\n" if node.tight else "\n\n"
    items = []
    ctx.list_markers.append(marker)
    try:
        for i, item in enumerate(node.items):
            prefix = marker if isinstance(node, BulletList) else f"{node.start + i}{marker}"
            body = render_blocks(item.blocks, ctx, sep)
            pad = " " * (len(prefix) + 1)
            if body.startswith(" "):
                # spaces after the marker are its padding, not content: an item whose first
                # block starts with spaces (raw HTML indented in its source) opens on the next
                # line instead, where they are kept
                items.append(prefix + "\n" + _indent(body, pad, pad))
            else:
                items.append(_indent(body, prefix + " ", pad))
    finally:
        ctx.list_markers.pop()
    return sep.join(items)


def _block(node: Block, ctx: _Ctx, marker: str) -> str:
    match node:
        case Paragraph(children=kids):
            return _paragraph_text(kids, ctx)
        case Heading():
            return _heading(node, ctx)
        case BulletList() | OrderedList():
            return _list(node, marker, ctx)
        case BlockQuote(blocks=blocks):
            inner = render_blocks(blocks, ctx, "\n\n")
            if not inner:
                return ">"
            return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
        case CodeBlock():
            return _fence(node)
        case ThematicBreak():
            return _thematic_break(ctx)
        case HtmlBlock(text=text):
            return text.rstrip("\n")
        case Raw(format=fmt, text=text):
            return text.rstrip("\n") if fmt in ("markdown", "commonmark") else ""
        case Table():
            return _table(node, ctx)
        case Shortcode(blocks=blocks):
            open_tag = node.open or format_tag(node.name, node.params)
            if blocks is None:
                return open_tag
            close = node.close or format_tag("/" + node.name, ())
            if node.name in RAW_INNER and len(blocks) == 1 and isinstance(blocks[0], CodeBlock):
                return f"{open_tag}{blocks[0].text}{close}"  # code or data: byte for byte
            inner = render_blocks(blocks, ctx, "\n\n")
            return f"{open_tag}\n{inner}\n{close}" if inner else f"{open_tag}\n{close}"
        case Caption(children=kids):
            return f"{markers.CAPTION}\n{_paragraph_text(kids, ctx)}"
        case Article(meta=meta, blocks=blocks):
            parts = [markers.article_start(meta)]
            if meta.title is not None:
                parts.append(_heading(Heading(level=1, children=(Text(text=meta.title),)), ctx))
            if blocks:
                parts.append(render_blocks(blocks, ctx, "\n\n"))
            parts.append(markers.ARTICLE_END)
            return "\n\n".join(parts)
        case _:
            assert_never(node)


def render_blocks(blocks: Sequence[Block], ctx: _Ctx | None = None, sep: str = "\n\n") -> str:
    """Markdown source for a sequence of blocks (no front matter); footnotes at the end."""
    top = ctx is None
    ctx = ctx or _Ctx()
    parts: list[str] = []
    prev: Block | None = None
    bullet, ordered = 0, 0
    for node in blocks:
        # Adjacent lists of one kind alternate markers, or they would merge into one list.
        bullet = bullet + 1 if isinstance(node, BulletList) and isinstance(prev, BulletList) else 0
        ordered = (
            ordered + 1 if isinstance(node, OrderedList) and isinstance(prev, OrderedList) else 0
        )
        marker = ("-", "*")[bullet % 2] if isinstance(node, BulletList) else (".", ")")[ordered % 2]
        text = _block(node, ctx, marker)
        if isinstance(node, HtmlBlock) and isinstance(prev, (BulletList, OrderedList)):
            # raw HTML indented as far as the last item's content (2 after "- ", at least 3
            # after "1. ") would be read as that item's content; up to three spaces before a tag
            # mean nothing to HTML, so those go — fewer stay, or the next read's HTML would
            # differ from this one's (` <div>` after a list in real posts)
            inside = 2 if isinstance(prev, BulletList) else 3
            if len(text) - len(text.lstrip(" ")) >= inside:
                text = text.lstrip(" ")
        ctx.at_start = False
        # a Raw for another format, or an empty paragraph (from any reader, or built by hand),
        # leaves no blank lines behind: they would be gone on the next read, and the second
        # Markdown output would differ from the first
        if text or not isinstance(node, (Raw, Paragraph)):
            parts.append(text)
        prev = node
    if top and ctx.notes:
        parts.append(_note_definitions(ctx))
    return sep.join(parts)


def _unchanged(meta: Meta, fmt: str) -> bool:
    fm = meta.front_matter
    if fm is None or fm.format != fmt:
        return False
    try:
        data = frontmatter.load(frontmatter.Split(fm.format, fm.text, ""), warn=False)
    except Exception:
        return False
    fresh = meta_from_mapping(data)
    if fresh.keys != source_keys(meta):
        return False
    detected = {k.field for k in meta.keys if k.form == "detected"}
    return replace(fresh, **{f: getattr(meta, f) for f in detected}) == meta


def render_front_matter(meta: Meta, fmt: frontmatter.FrontMatterFormat = "yaml") -> str:
    """The front matter block for ``meta``: the original text when unchanged, else fresh."""
    if meta.front_matter is None:
        # A detected value (``lang`` from the text) was never in the source: no front matter
        # in, none out — an empty ``---`` pair would render as two rules elsewhere.
        detected: dict[str, Any] = {k.field: None for k in meta.keys if k.form == "detected"}
        detected["keys"] = tuple(k for k in meta.keys if k.form != "detected")
        bare = replace(meta, **detected)
        if bare.is_empty():
            return ""
    if _unchanged(meta, fmt):
        assert meta.front_matter is not None
        text = meta.front_matter.text
        fence = {"yaml": "---", "toml": "+++"}.get(fmt)
        return f"{fence}\n{text}{fence}\n" if fence else text + "\n"
    return frontmatter.dump(meta_to_mapping(meta), fmt)


class MarkdownWriter:
    """CommonMark with YAML front matter."""

    name = "markdown"
    description = "CommonMark + GFM tables/strikethrough, YAML front matter"
    extensions = (".md", ".markdown")
    kind = "text"
    options_type = TextOptions

    def write(self, doc: Document, options: TextOptions | None = None) -> str:
        """Render ``doc``; ``loads(write(doc)) == doc`` for documents the readers produce."""
        front = render_front_matter(doc.meta)
        ctx = _Ctx(at_start=not front)
        body = render_blocks(doc.blocks, ctx)
        if ctx.notes:
            body += "\n\n" + _note_definitions(ctx)
        return front + (body + "\n" if body else "")


WRITER = MarkdownWriter()
