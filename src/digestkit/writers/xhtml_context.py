"""What every XHTML rendering step shares: the per-document state and the safety rules.

Decides what a rendered document may hold — the tag and attribute allow-lists raw HTML is cut
to, which URL schemes are refused, how text and attributes are escaped (XML 1.0's forbidden
characters dropped), where a link leads (``safe_href``) and how an image is written or embedded
(``render_image``: remote ones fetched only with ``allow_network``, local ones kept under
``base_dir``) — and holds ``RenderContext``, the per-document state (ids, headings, assets,
warnings).

Why separate: both the AST renderer (``xhtml``) and the raw-HTML re-serialiser (``raw_html``)
apply these rules, and the renderer calls the re-serialiser; kept here, below both, the two
share one set of rules without importing each other.
"""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Mapping
from pathlib import Path

from .._records import field
from .._records import record as dataclass  # dataclasses' classes, no exec
from ..ast import Image, plain_text
from ..links import BookLinks, UniqueIds, encode_href, resolve, unique_heading_id, xml_id
from .asset import Asset
from .xml_text import xml_chars  # what XML 1.0 forbids, dropped by every escape below

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from typing import Any, Literal

__all__ = [
    "ALLOWED_ATTRS",
    "ALLOWED_TAGS",
    "BAD_SCHEME",
    "MAX_IMAGE_BYTES",
    "PHRASING_TAGS",
    "REMOTE",
    "VOID_TAGS",
    "Asset",
    "RenderContext",
    "TocEntry",
    "escape_attr",
    "escape_text",
    "fetch_image",
    "render_image",
    "safe_href",
]

_SAFE_SCHEMES = ("http:", "https:", "mailto:")
BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|file|data):", re.IGNORECASE)
REMOTE = re.compile(r"^(?:https?:)?//", re.IGNORECASE)
VOID_TAGS = {"br", "hr", "img", "col", "wbr", "area", "source", "track"}
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp",
    "rt", "ruby", "s", "samp", "section", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var",
}  # fmt: skip
# Raw HTML inside a run of inlines may only keep phrasing tags: a ``<p>`` or ``<div>`` written
# inline in a Markdown paragraph (legal CommonMark, e.g. a TOML string quoted in a post) would
# otherwise put a block inside ``<p>``, which no XHTML reader accepts (epubcheck RSC-005). The
# tags go, their text stays.
PHRASING_TAGS = ALLOWED_TAGS - {
    "blockquote", "caption", "col", "colgroup", "dd", "details", "div", "dl", "dt", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRS = {
    # ``id`` anywhere and ``<a name>``: an author's anchors (the html reader keeps link targets
    # as ``<a id="x"></a>``); ``_XhtmlWriter._anchor`` claims them like heading ids
    "*": {"class", "lang", "title", "dir", "id"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "ol": {"start"},
    "time": {"datetime"},
}


@dataclass(frozen=True, slots=True)
class TocEntry:
    """A heading the table of contents can point at."""

    level: int
    title: str
    anchor: str


@dataclass
class RenderContext:
    """Per-document rendering state: ids in use, headings seen, images to embed, policy."""

    base_dir: Path | None = None
    allow_network: bool = False
    image_prefix: str = "images/"
    ids: UniqueIds = field(default_factory=UniqueIds)
    toc: list[TocEntry] = field(default_factory=list)
    assets: dict[Path, Asset] = field(default_factory=dict)
    warned: set[str] = field(default_factory=set)
    #: the book's documents and base URL, for relative and site-root links (``links.resolve``)
    links: BookLinks = field(default_factory=BookLinks)
    #: this document's path as ``links.documents`` names it, for relative links
    source: str | None = None
    #: ``"aside"``: EPUB 3 noteref + footnote asides; ``"inline"``: in place, for ``float: footnote``
    footnotes: Literal["aside", "inline"] = "aside"
    #: the page's (and site's) parameters for Hugo's ``{{< param "x" >}}`` (``shortcodes.page_params``)
    page_params: Mapping[str, Any] = field(default_factory=dict)
    #: with ``allow_network``: write remote images as ``<img src=URL>`` for the reader's client to
    #: load (e-mail), instead of fetching and embedding them here (EPUB, PDF, the web page)
    hotlink: bool = False
    hugo_ids: UniqueIds = field(default_factory=UniqueIds)
    aliases: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    depth: int = 0
    in_link: int = 0
    #: vertical writing: numbers in CJK text are marked for upright setting (``vertical_text``)
    vertical: bool = False
    #: the document's own address (``ChapterContent.page_url``): its relative links resolve on it
    page_url: str | None = None
    #: links that led nowhere, in order: one warning per document (``warn_unresolved``), not one
    #: per link — a saved page can hold hundreds
    unresolved: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        if message not in self.warned:
            self.warned.add(message)
            warnings.warn(message, stacklevel=4)

    def warn_unresolved(self) -> None:
        """One warning for the links that led nowhere so far: how many, and the first."""
        if not self.unresolved:
            return
        count, first = len(self.unresolved), self.unresolved[0]
        links = "link leads" if count == 1 else f"{count} links lead"
        self.unresolved.clear()
        self.warn(
            f"{self.source or 'document'}: {links} to nothing in the book (first: {first!r}); "
            "text kept (give a base URL to link to the site)"
        )

    def unique_id(self, text: str) -> str:
        """Hugo's id for a heading of this text, unique in the document and a valid XML id."""
        return self._claim(unique_heading_id(text, self.hugo_ids))

    def given_id(self, ident: str) -> str:
        """A heading's own id (``{#id}``, Hugo's rendered ``id=``) as written: a valid XML id,
        and unique — a feed entry whose body repeats its title as a heading with an id would
        otherwise write the id twice, which epubcheck refuses."""
        return self._claim(ident)

    def _claim(self, hugo: str) -> str:
        anchor = self.ids.claim(xml_id(hugo), first=2)  # x, x-2, x-3 … (linear time)
        self.aliases.setdefault(hugo, anchor)
        return anchor


def escape_text(text: str) -> str:
    return html.escape(xml_chars(text), quote=False)


def escape_attr(text: str) -> str:
    return html.escape(xml_chars(text), quote=True)


def safe_href(url: str, ctx: RenderContext | None = None) -> str | None:
    """The encoded href to write, or None to keep only the text (unsafe, or leads nowhere)."""
    if BAD_SCHEME.match(url):
        return None
    if ctx is None:
        return encode_href(url)
    href = resolve(url, source=ctx.source, links=ctx.links, page_url=ctx.page_url)
    if href is None:
        ctx.unresolved.append(url)
    return href


_IMAGE_TYPES = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif",
                "image/webp": ".webp", "image/svg+xml": ".svg"}  # fmt: skip
MAX_IMAGE_BYTES = 20 * 1024 * 1024


def fetch_image(url: str, ctx: RenderContext) -> Asset | None:
    """Download one image (only with allow_network): 20 s, 20 MiB, image types only."""
    import urllib.request

    key = Path("/__remote__") / url
    if key in ctx.assets:
        return ctx.assets[key]
    full = "https:" + url if url.startswith("//") else url
    try:
        with urllib.request.urlopen(full, timeout=20) as resp:
            kind = resp.headers.get_content_type()
            data = resp.read(MAX_IMAGE_BYTES + 1)
    except (OSError, ValueError) as exc:
        ctx.warn(f"could not fetch image {url}: {exc}")
        return None
    if kind not in _IMAGE_TYPES or len(data) > MAX_IMAGE_BYTES:
        ctx.warn(f"not embedding {url}: {kind}, {len(data)} bytes")
        return None
    asset = Asset(None, f"{ctx.image_prefix}{len(ctx.assets) + 1:04d}{_IMAGE_TYPES[kind]}", data)
    ctx.assets[key] = asset
    return asset


def render_image(node: Image, ctx: RenderContext) -> str:
    alt = plain_text(node).replace("\n", " ")
    url = node.url
    if url.lower().startswith("data:image/"):
        return f'<img src="{escape_attr(url)}" alt="{escape_attr(alt)}"/>'
    if BAD_SCHEME.match(url):
        ctx.warn(f"image with a {url.split(':', 1)[0]}: URL dropped (alt text kept)")
        return escape_text(alt)
    if REMOTE.match(url):
        if ctx.allow_network and ctx.hotlink:
            full = "https:" + url if url.startswith("//") else url
            return f'<img src="{escape_attr(encode_href(full))}" alt="{escape_attr(alt)}"/>'
        if ctx.allow_network:
            fetched = fetch_image(url, ctx)
            if fetched is not None:
                return f'<img src="{escape_attr(fetched.name)}" alt="{escape_attr(alt)}"/>'
        else:
            ctx.warn(f"remote image not fetched (pass --allow-network to embed): {url}")
        if ctx.in_link:  # a link may not hold a link (epubcheck RSC-005)
            return f'<span class="remote-image">{escape_text(alt or url)}</span>'
        return f'<a class="remote-image" href="{escape_attr(encode_href(url))}">{escape_text(alt or url)}</a>'
    if ctx.base_dir is None:
        ctx.warn(f"local image {url!r} has no input folder to come from; alt text kept")
        return escape_text(alt)
    base = ctx.base_dir.resolve()
    path = (base / url.split("#")[0].split("?")[0]).resolve()
    if base not in path.parents or not path.is_file():
        ctx.warn(f"image {url!r} is outside {base} or missing; refused (alt text kept)")
        return escape_text(alt)
    asset = ctx.assets.get(path)
    if asset is None:
        asset = Asset(path, f"{ctx.image_prefix}{len(ctx.assets) + 1:04d}{path.suffix.lower()}")
        ctx.assets[path] = asset
    return f'<img src="{escape_attr(asset.name)}" alt="{escape_attr(alt)}"/>'
