"""Raw HTML (``HtmlBlock``/``HtmlInline``) made safe, valid XHTML: ``sanitize_html``.

Decides what an author's own HTML becomes in the book: nh3 (Ammonia) cuts it to the allow-lists
of ``xhtml_context`` (no scripts, event handlers, forms, iframes, objects or styles), then
``_XhtmlWriter`` re-serialises it as XHTML — void elements closed, attributes quoted, anchors
claimed like heading ids, links resolved and images handled like Markdown ones, and every
element moved, wrapped or re-tagged to land where the XHTML content models allow it, so
epubcheck accepts whatever the author wrote.

Why separate: it is an HTML parser with its own nesting rules, a job apart from rendering the
AST (``xhtml``), which calls it; it needs only the shared rules of ``xhtml_context``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from .._records import record as dataclass  # dataclasses' classes, no exec
from ..ast import Image, Text
from .xhtml_context import (
    ALLOWED_ATTRS,
    ALLOWED_TAGS,
    PHRASING_TAGS,
    VOID_TAGS,
    RenderContext,
    escape_attr,
    escape_text,
    render_image,
    safe_href,
)

__all__ = ["sanitize_html"]


#: Elements valid only inside certain parents (the HTML content models epubcheck enforces). One
#: outside them — a ``<figcaption>`` after a Markdown image, an ``<li>`` or ``<dd>`` on its own,
#: an ``<rt>`` without its ``<ruby>`` — becomes a ``div`` (or a ``span`` where only phrasing may
#: stand) of that class, so its text and look stay. The HTML parser inside nh3 already unwraps
#: lone table parts, options, legends, sources and tracks.
_PARENTS: dict[str, frozenset[str]] = {
    "li": frozenset({"ul", "ol"}),
    "dt": frozenset({"dl"}),
    "dd": frozenset({"dl"}),
    "figcaption": frozenset({"figure"}),
    "summary": frozenset({"details"}),
    "rt": frozenset({"ruby"}),
    "rp": frozenset({"ruby"}),
    "caption": frozenset({"table"}),
    "colgroup": frozenset({"table"}),
    "col": frozenset({"colgroup", "table"}),
    "thead": frozenset({"table"}),
    "tbody": frozenset({"table"}),
    "tfoot": frozenset({"table"}),
    "tr": frozenset({"table", "thead", "tbody", "tfoot"}),
    "td": frozenset({"tr"}),
    "th": frozenset({"tr"}),
}
#: the class a displaced element keeps (a figcaption looks like the book's other captions)
_DISPLACED_CLASS = {"figcaption": "caption", "caption": "caption"}
#: parents whose children must be one kind: anything else is wrapped in a synthetic one
_ONLY_CHILD = {"ul": "li", "ol": "li", "dl": "dd"}
_ALSO_ALLOWED = {"ul": {"li"}, "ol": {"li"}, "dl": {"dt", "dd", "div"}}
#: elements whose content is phrasing only: a displaced element inside them is a ``span``
_PHRASING_ONLY = (PHRASING_TAGS - {"a", "del", "ins"}) | {"p", "h1", "h2", "h3", "h4", "h5", "h6",
                                                          "pre", "summary", "dt", "caption"}  # fmt: skip


@dataclass
class _Open:
    """One open element: its source tag, the tag written, where its start tag is in the output,
    how many children it has had, and (a figure) its figcaption's place in the output."""

    tag: str
    emitted: str
    at: int
    kids: int = 0
    synthetic: bool = False
    caption: tuple[int, int] | None = None  # a figure's figcaption (start, end) in ``out``
    caption_first: bool = False  # … and whether it was the figure's first child
    last: str = ""  # the tag written for its latest child element (a ``dl``'s dt/dd order)


class _XhtmlWriter(HTMLParser):
    """Re-serialise sanitised HTML as XHTML; remote or unsafe images become their alt text.

    Every element lands where XHTML allows it (``_PARENTS``, ``_ONLY_CHILD``, a ``summary``
    first in its ``details``, one ``figcaption`` first or last in its ``figure``, a ``caption``
    first in its table): displaced elements are converted, stray children of lists wrapped, a
    late table caption moved up — epubcheck accepts what comes out, whatever the author wrote.
    """

    def __init__(self, ctx: RenderContext, *, inline: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.ctx = ctx
        self.inline = inline
        self.out: list[str] = []
        self.open: list[_Open] = []

    # -- bookkeeping

    @property
    def stack(self) -> list[str]:
        return [o.tag for o in self.open]

    def _parent(self) -> _Open | None:
        return self.open[-1] if self.open else None

    def _phrasing(self) -> bool:
        return self.inline or any(o.emitted in _PHRASING_ONLY for o in self.open)

    def _push(self, tag: str, emitted: str, attrs: str, *, synthetic: bool = False) -> None:
        parent = self._parent()
        if parent is not None and parent.emitted == "dl":
            # a dl holds groups of dt then dd: a dd with no dt before it gets an empty one
            if emitted == "dd" and parent.last not in ("dt", "dd"):
                self.out.append("<dt></dt>")
            parent.last = emitted
        self.open.append(_Open(tag, emitted, len(self.out), synthetic=synthetic))
        self.out.append(f"<{emitted}{attrs}>")

    def _close(self) -> str:
        o = self.open.pop()
        self.ctx.in_link -= o.tag == "a"
        if o.emitted == "dl" and o.last == "dt":
            self.out.append("<dd></dd>")  # … and a dt with no dd after it an empty dd
        self.out.append(f"</{o.emitted}>")
        parent = self._parent()
        if o.emitted == "figcaption" and parent is not None and parent.tag == "figure":
            parent.caption = (o.at, len(self.out) - 1)
        if o.emitted == "caption" and parent is not None and parent.kids > 1:
            # a caption after rows: its place is first in the table (nothing inside the table
            # is open now, and whatever was recorded lies before the table's start tag)
            moved = self.out[o.at :]
            del self.out[o.at :]
            self.out[parent.at + 1 : parent.at + 1] = moved
        return o.tag

    def _retag(self, o: _Open | tuple[int, int], tag: str, cls: str) -> None:
        """Rewrite an element already written (its start and, when closed, end tag)."""
        start, end = (o.at, None) if isinstance(o, _Open) else o
        rest = re.sub(r' class="[^"]*"', "", re.sub(r"^<[a-z0-9]+", "", self.out[start]))
        self.out[start] = f'<{tag} class="{cls}"{rest}'
        if end is not None:
            self.out[end] = f"</{tag}>"
        if isinstance(o, _Open):
            o.emitted = tag

    def _child(self, tag: str | None) -> None:
        """A child (an element ``tag``, or text when None) is about to start in the open element:
        make room for it where its parent accepts only certain children."""
        parent = self._parent()
        if parent is None:
            return
        if parent.synthetic and tag in _ALSO_ALLOWED.get(self.open[-2].tag, ()):
            self._close()  # a real item ends the synthetic one around the stray content
            parent = self._parent()
            assert parent is not None
        if parent.tag in _ONLY_CHILD and tag not in _ALSO_ALLOWED[parent.tag]:
            parent.kids += 1
            wrapper = _ONLY_CHILD[parent.tag]
            self._push(wrapper, wrapper, "", synthetic=True)
            parent = self._parent()
            assert parent is not None
        if parent.emitted == "details" and parent.kids == 0 and tag != "summary":
            self._retag(parent, "div", "details")  # no summary first: not a details any more
        if parent.tag == "figure" and parent.caption is not None and not parent.caption_first:
            # the figcaption is neither first nor (now) last: an ordinary caption block
            self._retag(parent.caption, "div", "caption")
            parent.caption = None
        parent.kids += 1

    def _placed(self, tag: str) -> str:
        """The tag to write for ``tag`` here: itself where it may stand, else a div or span."""
        parent = self._parent()
        allowed = _PARENTS.get(tag)
        ok = allowed is None or (parent is not None and parent.emitted in allowed)
        if ok and parent is not None:
            first = parent.kids == 1  # counted already by ``_child``
            if tag == "summary" and not first:
                ok = False
            if tag == "figcaption" and parent.caption is not None:
                ok = False  # a second one
            if tag == "caption" and any(o.emitted == "caption" for o in self.open):
                ok = False
        if ok:
            return tag
        return "span" if self._phrasing() or tag in ("rt", "rp") else "div"

    # -- the parser's events

    def _attrs(self, attrs: list[tuple[str, str | None]]) -> str:
        return "".join(f' {k}="{escape_attr(v or "")}"' for k, v in attrs)

    def _anchor(
        self, tag: str, attrs: list[tuple[str, str | None]]
    ) -> list[tuple[str, str | None]]:
        """An author's own anchor (``id``, or ``<a name>``, which XHTML no longer has) becomes
        one unique ``id``, claimed like a heading's so ``#links`` to it resolve: contents lists
        of real posts link to ``<a name="x"></a>`` lines above their headings."""
        names = [
            v for k, v in attrs if v and v.strip() and (k == "id" or (k, tag) == ("name", "a"))
        ]
        rest = [(k, v) for k, v in attrs if k not in ("id", "name")]
        if not names:
            return rest
        ident = self.ctx.given_id(re.sub(r"\s+", "-", names[0].strip()))
        for other in names[1:]:  # <a id="x" name="y">: both name this place
            self.ctx.aliases.setdefault(other.strip(), ident)
        self.ctx.aliases.setdefault(names[0].strip(), ident)
        return [("id", ident), *rest]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "col" and self._placed(tag) != tag:
            return  # a column outside its table means nothing
        self._child(tag)
        if tag == "img":
            src = dict(attrs).get("src") or ""
            alt = dict(attrs).get("alt") or ""
            self.out.append(render_image(Image(url=src, alt=(Text(text=alt),)), self.ctx))
            return
        if tag in VOID_TAGS:
            self.out.append(f"<{tag}{self._attrs(attrs)}/>")
            return
        attrs = self._anchor(tag, attrs)
        if tag == "a":
            # raw HTML links resolve like Markdown ones; one into nothing loses its href (the
            # anchor's id was claimed by ``_anchor`` above, like a heading's)
            attrs = [(k, safe_href(v or "", self.ctx) if k == "href" else v) for k, v in attrs]
            attrs = [(k, v) for k, v in attrs if v is not None]
            self.ctx.in_link += 1
        emitted = self._placed(tag)
        if emitted != tag:  # displaced (an item outside a list, a caption outside a figure …)
            cls = _DISPLACED_CLASS.get(tag, tag)
            attrs = [("class", cls), *((k, v) for k, v in attrs if k != "class")]
        parent = self._parent()
        if emitted == "figcaption" and parent is not None:
            parent.caption_first = parent.kids == 1
        self._push(tag, emitted, self._attrs(attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS and self.open and self.open[-1].tag == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS or tag not in self.stack:
            return
        while self.open:  # a synthetic wrapper, or anything left open, closes on the way
            if self._close() == tag:
                break

    def handle_data(self, data: str) -> None:
        if data.strip():
            self._child(None)
        self.out.append(escape_text(data))

    def result(self) -> str:
        while self.open:
            self._close()
        return "".join(self.out)


def sanitize_html(text: str, ctx: RenderContext, *, inline: bool = False) -> str:
    """Allow-listed, well-formed XHTML from untrusted HTML (nh3, then re-serialised).

    ``inline``: the HTML sits inside a paragraph or heading, so only phrasing tags are kept.
    """
    import nh3

    clean = nh3.clean(
        text,
        tags=PHRASING_TAGS if inline else ALLOWED_TAGS,
        attributes=ALLOWED_ATTRS,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )
    writer = _XhtmlWriter(ctx, inline=inline)
    writer.feed(clean)
    writer.close()
    return writer.result()
