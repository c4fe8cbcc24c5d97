"""What never reaches the AST, and the furniture a web page is stripped of.

Decides which elements are never text for a reader (scripts, styles, forms, embeds, hidden
elements), which are page furniture (navigation, landmarks, asides, page
headers and footers outside articles; boxes named as share bars, related links, comments or ads
holding under a third of the text), which links are unsafe (``javascript:``), and whether a page
is a furnished web page or a digest of several articles — what the ``auto`` strategy asks.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .dom import WS, attr, inside

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = [
    "UNSAFE_URL",
    "clean_tree",
    "decompose_all",
    "is_web_page",
    "prune_named_furniture",
    "several_articles",
]

#: Elements whose content is never text for a reader: dropped with everything inside.
_DROP = ("script", "style", "noscript", "template", "iframe", "object", "embed", "applet",
         "input", "button", "select", "textarea", "option", "datalist", "output", "canvas",
         "svg", "audio", "video", "source", "track", "map", "dialog", "link", "meta",
         "base", "title", "head")  # fmt: skip
# <rt> and <rp> are not dropped here: the builder reads a reading into a Ruby node (issue 25;
# dropping it lost an EPUB's furigana), and drops <rp> and any reading outside <ruby>.


#: Page furniture: navigation, landmarks, asides (page-level headers/footers are handled apart).
_BOILERPLATE = ("nav", "aside", '[role="navigation"]', '[role="banner"]', '[role="contentinfo"]',
                '[role="complementary"]', '[role="search"]', "[hidden]", '[aria-hidden="true"]')  # fmt: skip


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


UNSAFE_URL = re.compile(r"^\s*(javascript|vbscript)\s*:", re.I)


def decompose_all(root: LexborNode, selectors: Iterable[str]) -> None:
    for selector in selectors:
        for node in root.css(selector):
            with contextlib.suppress(Exception):  # already gone with an ancestor
                node.decompose()


def clean_tree(tree: LexborHTMLParser, *, page: bool) -> None:
    """Drop what is never content; with ``page``, also drop page furniture outside articles."""
    root = tree.root
    if root is None:
        return
    decompose_all(root, _DROP)
    for node in root.css("[style]"):
        if _HIDDEN_STYLE.search(attr(node, "style") or ""):
            with contextlib.suppress(Exception):
                node.decompose()
    if page:
        decompose_all(root, _BOILERPLATE)
        for tag in ("header", "footer"):
            for node in root.css(tag):
                if not inside(node, {"article", "section", "blockquote", "figure"}):
                    with contextlib.suppress(Exception):
                        node.decompose()


_FURNITURE_NAME = re.compile(
    r"(?:^|[\s_-])(menu|nav|navbar|navigation|sidebar|footer|header|breadcrumbs?|cookies?|share|"
    r"sharing|social|comments?|related|widget|banner|masthead|subscribe|newsletter|ads?|advert)"
    r"(?:$|[\s_-])",
    re.I,
)


_INNER_FURNITURE = re.compile(
    r"(?:^|[\s_-])(share|sharing|social|related|comments?|newsletter|subscribe|ads?|advert\w*|"
    r"breadcrumbs?|cookies?|widget|banner|sidebar|promo\w*|recommend\w*|sponsor\w*|popular|"
    r"trending|paywall|signup|outbrain|taboola)(?:$|[\s_-])",
    re.I,
)


def prune_named_furniture(root: LexborNode) -> None:
    """Drop boxes named as furniture (share bars, related links, comments, ads) inside the
    content, when they hold under a third of its text — a box holding most of it is content
    whatever its class says."""
    total = len(WS.sub("", root.text(deep=True))) or 1
    for node in root.css("[class], [id]"):
        if node.tag in ("body", "main", "html"):
            continue
        name = f"{attr(node, 'class') or ''} {attr(node, 'id') or ''}"
        if not _INNER_FURNITURE.search(name):
            continue
        with contextlib.suppress(Exception):  # gone with an ancestor already
            if len(WS.sub("", node.text(deep=True))) * 3 < total:
                node.decompose()


def is_web_page(tree: LexborHTMLParser) -> bool:
    """A page with site furniture (navigation, landmarks, menus, sidebars), not a bare document.

    pandoc's standalone ``<header id="title-block-header">`` has no links, so it does not count.
    """
    if tree.css_first('nav, aside, [role="navigation"], [role="banner"], [role="contentinfo"], '
                      "body > header a, body > footer a") is not None:  # fmt: skip
        return True
    named = 0
    for node in tree.css("[class], [id]"):
        if _FURNITURE_NAME.search(f"{attr(node, 'class') or ''} {attr(node, 'id') or ''}"):
            named += 1
            if named >= 2:
                return True
    return False


def several_articles(tree: LexborHTMLParser) -> bool:
    """Two or more top-level ``<article>`` elements of real length, none dominating.

    Sites mark up teasers in "related" boxes as articles too. A digest page holds several
    full articles (300+ characters each) of which no single one has 70 % of the text; a blog
    post with teasers beside it has one that does, and goes to main-content extraction.
    """
    sizes = [
        size
        for node in tree.css("article")
        if not inside(node, {"article"}) and (size := len(WS.sub("", node.text(deep=True)))) >= 300
    ]
    return len(sizes) > 1 and max(sizes) < 0.7 * sum(sizes)
