"""DOM → AST: one cleaned HTML tree mapped to blocks and inlines.

Decides what each element becomes (headings, lists, quotes, code with its language, tables —
layout tables are unwrapped, data tables padded to a header's width — figures, articles with
their title, author and tags), how white space collapses (CSS ``white-space: normal``; a run
holding a newline is a soft break), and which element ids survive as anchors for the page's own
``#links`` (:func:`mark_anchors`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import unquote

from ...ast import (
    Align,
    Article,
    ArticleMeta,
    Block,
    BlockQuote,
    BulletList,
    Caption,
    Code,
    CodeBlock,
    Emphasis,
    HardBreak,
    Heading,
    HtmlInline,
    Image,
    Inline,
    Link,
    ListItem,
    Note,
    OrderedList,
    Paragraph,
    Ruby,
    SoftBreak,
    Strikethrough,
    Strong,
    Table,
    TableCell,
    Text,
    ThematicBreak,
    plain_text,
)
from .clean import UNSAFE_URL
from .dom import WS, attr, nearest
from .meta import article_date, lang_tag

if TYPE_CHECKING:
    from selectolax.lexbor import LexborNode

__all__ = ["Builder", "mark_anchors"]

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


_BLOCK_TAGS = frozenset({
    "p", *_HEADINGS, "ul", "ol", "dl", "dt", "dd", "li", "blockquote", "pre", "hr", "table",
    "figure", "figcaption", "article", "section", "div", "main", "header", "footer", "nav",
    "aside", "address", "details", "summary", "fieldset", "form", "center", "hgroup", "menu",
    "search", "body", "html", "tbody", "thead", "tfoot", "tr", "td", "th", "caption", "legend",
    "listing", "xmp", "plaintext",
})  # fmt: skip


_EMPHASIS = frozenset({"em", "i", "cite", "var", "dfn"})


_STRONG = frozenset({"strong", "b"})


_STRIKE = frozenset({"del", "s", "strike"})


_CODE = frozenset({"code", "kbd", "samp", "tt"})


_ALIGN_STYLE = re.compile(r"text-align\s*:\s*(left|center|right)", re.I)


class Builder:
    """Maps one parsed (and cleaned) HTML tree to AST blocks.

    Inline whitespace follows CSS ``white-space: normal``: runs collapse to one space, and a run
    holding a newline becomes a :class:`SoftBreak` (so a page made from Markdown gives back the
    Markdown reader's soft breaks, and CJK writers can drop them between Han characters).
    """

    def __init__(self, notes: dict[str, tuple[str, tuple[Block, ...]]]) -> None:
        self.notes = notes
        self.used_notes: set[str] = set()

    # ---- inlines

    def inlines(self, node: LexborNode) -> list[Inline]:
        out: list[Inline] = []
        for child in node.iter(include_text=True):
            out.extend(self.inline(child))
        return out

    def inline(self, node: LexborNode) -> list[Inline]:
        tag = node.tag
        if tag == "-text":
            return _text_inlines(node.text_content or "")
        if tag is None or tag.startswith("-") or tag.startswith("!"):
            return []
        if tag == "br":
            return [HardBreak()]
        if tag in ("wbr", "rt", "rp", "rtc"):  # a reading outside <ruby> is not text
            return []
        if tag == "ruby":
            return self.ruby(node)
        if tag in _EMPHASIS:
            return [Emphasis(children=tuple(self.inlines(node)))]
        if tag in _STRONG:
            return [Strong(children=tuple(self.inlines(node)))]
        if tag in _STRIKE:
            return [Strikethrough(children=tuple(self.inlines(node)))]
        if tag in _CODE:
            if node.parent is not None and node.parent.tag == "pre":
                return [Text(text=node.text(deep=True))]
            return [Code(text=node.text(deep=True).replace("\n", " "))]
        if tag == "math":
            return _math(node)
        if tag == "img":
            image = _image(node)
            return [image] if image is not None else []
        if tag == "a":
            return self.link(node)
        if tag in _BLOCK_TAGS:
            # Block content inside inline context (a <div> in an <a>, a layout cell …):
            # keep its text, separated like the lines it was laid out on.
            inner = self.inlines(node)
            return [SoftBreak(), *inner, SoftBreak()] if inner else []
        return self.inlines(node)  # span, sup, sub, u, mark, small, abbr, time, font, q …

    def ruby(self, node: LexborNode) -> list[Inline]:
        """``<ruby>base<rp>(</rp><rt>reading</rt><rp>)</rp></ruby>`` → one :class:`Ruby` per
        ``<rt>`` (``<rb>`` bases too; ``<rp>`` is for browsers without ruby and is dropped); a
        base with no reading after it stays plain text, a reading with no base is dropped."""
        out: list[Inline] = []
        base: list[Inline] = []
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag in ("rt", "rtc"):
                reading = " ".join(child.text(deep=True).split())
                kids = _tidy(base)
                if kids:
                    out.append(Ruby(base=kids, annotation=reading))
                base = []
            elif tag == "rb":
                base.extend(self.inlines(child))
            elif tag != "rp":
                base.extend(self.inline(child))
        return out + base

    def link(self, node: LexborNode) -> list[Inline]:
        href = attr(node, "href")
        target = href[1:] if href and href.startswith("#") else None
        if target is not None and target in self.notes:
            label, blocks = self.notes[target]
            self.used_notes.add(target)
            return [Note(blocks=blocks, label=label)]
        children = self.inlines(node)
        if href is None or UNSAFE_URL.match(href):
            return children
        return [Link(url=href.strip(), children=tuple(children), title=attr(node, "title"))]

    def paragraph(self, inlines: list[Inline]) -> Paragraph | None:
        children = _tidy(inlines)
        return Paragraph(children=children) if children else None

    # ---- blocks

    def blocks(self, node: LexborNode, *, top: bool = False) -> list[Block]:
        out: list[Block] = []
        run: list[Inline] = []

        def flush() -> None:
            para = self.paragraph(run)
            if para is not None:
                out.append(para)
            run.clear()

        for child in node.iter(include_text=True):
            tag = child.tag
            if tag in _BLOCK_TAGS:
                flush()
                out.extend(self.block(child, top=top))
            else:
                run.extend(self.inline(child))
        flush()
        return out

    def block(self, node: LexborNode, *, top: bool) -> list[Block]:
        tag = node.tag
        if tag == "p" and _is_dateline(node):
            return []
        if tag == "p" or tag == "address" or tag == "summary" or tag == "legend":
            para = self.paragraph(self.inlines(node))
            return [para] if para is not None else []
        if tag in _HEADINGS:
            children = _tidy(self.inlines(node))
            ident = attr(node, "id")
            anchors = [c for c in children if _anchor_id(c) is not None]
            if anchors:  # a heading is its own anchor: it takes the id mark_anchors kept
                ident = ident or _anchor_id(anchors[0])
                children = _tidy([c for c in children if c is not anchors[0]])
            if not children:
                return []
            return [Heading(level=_HEADINGS[tag], children=children, id=ident)]
        if tag in ("ul", "ol", "menu"):
            return self.a_list(node)
        if tag == "li":  # a stray <li> outside any list
            return self.blocks(node)
        if tag == "blockquote":
            inner = self.blocks(node)
            return [BlockQuote(blocks=tuple(inner))] if inner else []
        if tag in ("pre", "listing", "xmp", "plaintext"):
            return [_code_block(node)]
        if tag == "hr":
            return [ThematicBreak()]
        if tag == "table":
            return self.table(node, top=top)
        if tag == "figure":
            return self.figure(node)
        if tag == "figcaption" or tag == "caption":
            children = _tidy(self.inlines(node))
            return [Caption(children=children)] if children else []
        if tag == "dt":
            children = _tidy(self.inlines(node))
            return [Paragraph(children=(Strong(children=children),))] if children else []
        if tag == "article" and top:
            return [self.article(node)]
        if tag == "section" and top and "article" in (attr(node, "class") or "").split():
            return [self.article(node)]  # digestkit's own XHTML (EPUB chapters)
        if tag in ("tr", "td", "th", "tbody", "thead", "tfoot"):
            return self.blocks(node, top=top)
        # div, section, main, header, footer, dd, details, form, center, body …: transparent
        return self.blocks(node, top=top)

    def a_list(self, node: LexborNode) -> list[Block]:
        items: list[ListItem] = []
        tight = True
        for child in node.iter(include_text=True):
            if child.tag == "li":
                if child.css_first("p") is not None:
                    tight = False
                items.append(ListItem(blocks=tuple(self.blocks(child))))
            elif child.tag in ("ul", "ol") and items:  # a list nested without its <li>
                last = items[-1]
                items[-1] = ListItem(blocks=(*last.blocks, *self.a_list(child)))
            elif child.tag != "-text" or (child.text_content or "").strip():
                inner = self.blocks(child) if child.tag in _BLOCK_TAGS else []
                para = None if inner else self.paragraph(self.inline(child))
                extra = inner or ([para] if para else [])
                if extra:
                    items.append(ListItem(blocks=tuple(extra)))
        if not items:
            return []
        if node.tag == "ol":
            start = _int(attr(node, "start"), 1)
            return [OrderedList(items=tuple(items), start=start, tight=tight)]
        return [BulletList(items=tuple(items), tight=tight)]

    def figure(self, node: LexborNode) -> list[Block]:
        out: list[Block] = []
        images = [_image(i) for i in node.css("img")]
        alts = {plain_text(img.alt[0]) for img in images if img is not None and img.alt}
        for b in self.blocks(node):
            # pandoc repeats an image's alt text as a hidden caption (implicit figures)
            if isinstance(b, Caption) and plain_text(b) in alts:
                cap = node.css_first("figcaption")
                if cap is not None and attr(cap, "aria-hidden") == "true":
                    continue
            out.append(b)
        return out

    def table(self, node: LexborNode, *, top: bool) -> list[Block]:
        rows = [tr for tr in node.css("tr") if nearest(tr, "table") == node]
        if _is_layout_table(node, rows):
            return self.blocks(node, top=top)
        head: list[LexborNode] | None = None
        body: list[list[LexborNode]] = []
        for tr in rows:
            cells = [c for c in tr.iter() if c.tag in ("td", "th")]
            in_head = tr.parent is not None and tr.parent.tag == "thead"
            if head is None and (in_head or (not body and all(c.tag == "th" for c in cells))):
                head = cells
            else:
                body.append(cells)
        if head is None:  # no header row: the first row stands in (GFM tables need one)
            head = body.pop(0) if body else []
        out: list[Block] = []
        caption = node.css_first("caption")
        if caption is not None and nearest(caption, "table") == node:
            children = _tidy(self.inlines(caption))
            if children:
                out.append(Caption(children=children))
        # Rows of a GFM table are as wide as its header: pad short rows (and a short header)
        # with empty cells rather than drop the text of a long one. Spans are not kept.
        width = max([len(head), *(len(r) for r in body)])
        empty = TableCell(children=())
        header = [self.cell(c) for c in head] + [empty] * (width - len(head))
        grid = [[self.cell(c) for c in r] + [empty] * (width - len(r)) for r in body]
        no_align: Align = ""
        aligns = tuple(_align(c) for c in head) + (no_align,) * (width - len(head))
        out.insert(
            0,
            Table(
                header=tuple(header),
                rows=tuple(tuple(r) for r in grid),
                aligns=aligns if any(aligns) else (),
            ),
        )
        return out

    def cell(self, node: LexborNode) -> TableCell:
        parts: list[Inline] = []
        for b in self.blocks(node):
            text = _tidy(_block_inlines(b))
            if text:
                if parts:
                    parts.append(HardBreak())
                parts.extend(text)
        return TableCell(children=tuple(parts))

    def article(self, node: LexborNode) -> Article:
        # digestkit's own XHTML writes "column · author · source" as <p class="byline">: it is
        # metadata there, so it leaves the body (and fills ``author`` below).
        own_byline = node.tag == "section" and node.css_first("p.byline") is not None
        date = article_date(node)  # before the byline (which may hold it) leaves the tree
        if own_byline:
            byline = node.css_first("p.byline")
            if byline is not None:
                for t in byline.css("time"):  # the date is metadata, not part of the author
                    t.decompose()
            author_text = WS.sub(" ", byline.text(deep=True)).strip() if byline else ""
            if byline is not None:
                byline.decompose()
        blocks = self.blocks(node)
        title: str | None = None
        for i, b in enumerate(blocks[:4]):
            # the title is the first heading, after at most a few images, captions or dates
            if isinstance(b, Heading):
                title = plain_text(b).strip() or None
                del blocks[i]
                break
            if not (
                isinstance(b, Caption) or (isinstance(b, Paragraph) and len(plain_text(b)) < 40)
            ):
                break
        author = author_text.strip(" ·") or None if own_byline else None
        for selector in (
            ()
            if author
            else ('[rel="author"]', '[itemprop="author"]', ".author", ".byline", "address")
        ):
            found = node.css_first(selector)
            if found is not None and found.text(deep=True).strip():
                text = found.text(deep=True)
                for t in found.css("time"):  # "甲 · <time>3月2日</time>": the date is ``date``
                    text = text.replace(t.text(deep=True), " ", 1)
                author = WS.sub(" ", text).strip(" \t\n·|,，、—-") or None
                if author:
                    break
        tags = tuple(dict.fromkeys(
            t.text(deep=True).strip() for t in node.css('a[rel="tag"]') if t.text(deep=True).strip()
        ))  # fmt: skip
        lang = lang_tag(attr(node, "lang") or attr(node, "xml:lang"))
        return Article(
            meta=ArticleMeta(title=title, author=author, tags=tags, lang=lang or None, date=date),
            blocks=tuple(blocks),
        )


def _math(node: LexborNode) -> list[Inline]:
    """MathML as text a reader can follow: its TeX annotation (pandoc writes one) as code, else
    ``alttext``, else the symbols in order."""
    for ann in node.css("annotation"):
        if (attr(ann, "encoding") or "").lower() in ("application/x-tex", "tex", "latex"):
            tex = ann.text(deep=True).strip()
            if tex:
                return [Code(text=tex)]
    alt = attr(node, "alttext")
    if alt and alt.strip():
        return [Code(text=alt.strip())]
    for ann in node.css("annotation, annotation-xml"):
        ann.decompose()
    text = WS.sub(" ", node.text(deep=True, separator=" ")).strip()
    return [Text(text=text)] if text else []


def _is_dateline(node: LexborNode) -> bool:
    """digestkit's own ``<p class="dateline"><time …>`` under a chapter title: metadata."""
    if "dateline" not in (attr(node, "class") or "").split():
        return False
    kids = [
        c
        for c in node.iter(include_text=True)
        if c.tag != "-text" or (c.text_content or "").strip()
    ]
    return len(kids) == 1 and kids[0].tag == "time"


def _is_layout_table(node: LexborNode, rows: list[LexborNode]) -> bool:
    """Tables used for page layout (newsletters are built of them), not for data.

    Layout: ``role="presentation"``, a table holding another table, a cell with headings,
    paragraphs, lists or quotes, a single column, or a table nested in a layout cell without
    header cells. A nested table with ``<th>`` cells (an order summary in a newsletter) is data.
    """
    if attr(node, "role") in ("presentation", "none"):
        return True
    if len(node.css("table")) > 1:  # css() matches the node itself too
        return True
    if node.css_first("td p, td div, td h1, td h2, td h3, td ul, td ol, td blockquote") is not None:
        return True
    widths = {sum(1 for c in tr.iter() if c.tag in ("td", "th")) for tr in rows}
    if not rows or max(widths, default=0) < 2:
        return True
    nested = nearest(node, "td") is not None or nearest(node, "th") is not None
    return nested and node.css_first("th") is None


def _align(node: LexborNode) -> Align:
    m = _ALIGN_STYLE.search(attr(node, "style") or "")
    value = (m.group(1) if m else attr(node, "align") or "").lower()
    return value if value in ("left", "center", "right") else ""  # type: ignore[return-value]


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _image(node: LexborNode) -> Image | None:
    src = attr(node, "src") or attr(node, "data-src") or attr(node, "data-original")
    if not src:
        srcset = attr(node, "srcset") or attr(node, "data-srcset") or ""
        src = srcset.strip().split(" ")[0].rstrip(",") if srcset.strip() else None
    if not src or UNSAFE_URL.match(src):
        return None
    alt = attr(node, "alt")
    return Image(url=src.strip(), alt=(Text(text=alt),) if alt else (), title=attr(node, "title"))


_LANG_CLASS = re.compile(r"^(?:language-|lang-)(.+)$")


_NOT_LANGUAGES = frozenset({"sourcecode", "chroma", "highlight", "numbersource", "hljs", "code"})


def _code_block(node: LexborNode) -> CodeBlock:
    """``<pre>`` → CodeBlock; the language from ``language-x``/``lang-x`` classes (CommonMark,
    Hugo), ``data-lang``, or pandoc's bare class on ``<pre>`` (``<pre class="python">``)."""
    text = node.text(deep=True)
    code = node.css_first("code")
    code_classes = ((attr(code, "class") if code is not None else "") or "").split()
    pre_classes = (attr(node, "class") or "").split()
    info = ""
    for cls in code_classes + pre_classes:
        m = _LANG_CLASS.match(cls)
        if m:
            info = m.group(1)
            break
    else:
        lang = attr(code, "data-lang") if code is not None else None
        bare = [c for c in pre_classes if c.lower() not in _NOT_LANGUAGES]
        info = lang or (bare[0] if bare else "")
    if text and not text.endswith("\n"):
        text += "\n"
    return CodeBlock(text=text, info=info)


#: An anchor :func:`mark_anchors` put into the text: private-use brackets around the id.
_ANCHOR = re.compile("\ue020([^\ue020\ue021]*)\ue021")


#: Containers whose text is never a run of inlines: their anchor goes just before them.
_ANCHOR_BEFORE = frozenset(("ul", "ol", "dl", "menu", "table", "thead", "tbody", "tfoot", "tr"))


def mark_anchors(root: LexborNode, skip: Iterable[str]) -> None:
    """Keep the element ids this page's own ``#links`` point to, through extraction too.

    The AST has ids on headings only, and trafilatura's output has none: a saved Wikipedia
    page's ``#cite_note-2`` (an ``<li id>``), a ``<a name>`` or ``<p id>`` target was lost and
    every link to it became text with a warning. Each target gets its id as text at its start
    (private-use brackets, which no page writes), which extraction keeps with the words around
    it; :func:`_text_inlines` turns it into an ``<a id="…"></a>`` anchor, and a heading takes it
    as its own id. ``skip``: the footnotes' ids (their links become ``Note``s).
    """
    wanted = {
        unquote(href[1:].strip())
        for a in root.css("a[href]")
        if (href := attr(a, "href") or "").startswith("#") and len(href) > 1
    }
    wanted.difference_update(skip)
    if not wanted:
        return
    done: set[str] = set()
    for node in root.css("[id], a[name]"):
        ident = attr(node, "id") or attr(node, "name") or ""
        if ident not in wanted or ident in done or not ident.strip():
            continue
        done.add(ident)
        marker = f"\ue020{ident}\ue021"
        if node.tag in _ANCHOR_BEFORE or node is root:
            if node is not root:
                node.insert_before(marker)
        elif node.child is not None:
            node.child.insert_before(marker)
        else:
            node.insert_child(marker)


def _text_inlines(text: str) -> list[Inline]:
    if "\ue020" in text:  # an anchor mark_anchors put there
        out: list[Inline] = []
        pos = 0
        for m in _ANCHOR.finditer(text):
            out.extend(_text_inlines(text[pos : m.start()]))
            out.append(HtmlInline(text=f'<a id="{html.escape(m.group(1), quote=True)}"></a>'))
            pos = m.end()
        out.extend(_text_inlines(text[pos:]))
        return out
    out = []
    pos = 0
    for m in WS.finditer(text):
        if m.start() > pos:
            out.append(Text(text=text[pos : m.start()]))
        out.append(SoftBreak() if "\n" in m.group() else Text(text=" "))
        pos = m.end()
    if pos < len(text):
        out.append(Text(text=text[pos:]))
    return out


def _anchor_id(node: Inline) -> str | None:
    """The id of an anchor :func:`_text_inlines` made, else None."""
    if (
        isinstance(node, HtmlInline)
        and node.text.startswith('<a id="')
        and node.text.endswith('"></a>')
    ):
        return html.unescape(node.text[7:-6])
    return None


def _is_space(node: Inline) -> bool:
    return isinstance(node, SoftBreak) or (isinstance(node, Text) and node.text == " ")


def _tidy(inlines: list[Inline]) -> tuple[Inline, ...]:
    """Collapse whitespace across element edges, trim both ends, merge adjacent text.

    Browsers render ``a<em> b </em>c`` as "a *b* c": a space at the edge of an inline element
    belongs between the words. So edge spaces are moved out of containers first, then runs are
    collapsed (a newline wins over a space) and the ends trimmed.
    """
    flat: list[Inline] = []
    for node in inlines:
        flat.extend(_hoist_spaces(node))
    out: list[Inline] = []
    for node in flat:
        if _is_space(node):
            if not out or isinstance(out[-1], HardBreak):
                continue
            if _is_space(out[-1]):
                if isinstance(node, SoftBreak):
                    out[-1] = node
                continue
        elif isinstance(node, HardBreak):
            while out and _is_space(out[-1]):
                out.pop()
        elif isinstance(node, (Emphasis, Strong, Strikethrough, Link)) and not node.children:
            continue
        out.append(node)
    while out and (_is_space(out[-1]) or isinstance(out[-1], HardBreak)):
        out.pop()
    while out and isinstance(out[0], HardBreak):
        out.pop(0)
    merged: list[Inline] = []
    for node in out:
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(text=merged[-1].text + node.text)
        else:
            merged.append(node)
    return tuple(merged)


def _hoist_spaces(node: Inline) -> list[Inline]:
    """``<em> b </em>`` → space, ``Emphasis(b)``, space (children tidied)."""
    if not isinstance(node, (Emphasis, Strong, Strikethrough, Link)):
        return [node]
    inner: list[Inline] = []
    for child in node.children:
        inner.extend(_hoist_spaces(child))
    before = [inner[0]] if inner and _is_space(inner[0]) else []
    after = [inner[-1]] if len(inner) > 1 and _is_space(inner[-1]) else []
    return [*before, replace(node, children=_tidy(inner)), *after]


def _block_inlines(block: Block) -> list[Inline]:
    match block:
        case Paragraph(children=c) | Heading(children=c) | Caption(children=c):
            return list(c)
        case CodeBlock(text=t):
            return [Code(text=t.rstrip("\n"))]
    return [Text(text=plain_text(block))] if plain_text(block).strip() else []
