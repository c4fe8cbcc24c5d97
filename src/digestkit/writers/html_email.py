"""The e-mail-safe page: every style an inline ``style=`` attribute, 600 px wide, no ``<style>``.

Mail clients are not browsers: Gmail drops ``<style>`` in many cases, Outlook renders with Word
and ignores ``max-width`` on a ``div``, and most strip ``<head>``. So the e-mail variant keeps no
rule outside the elements themselves: each element gets the declarations its tag and classes
would have had (the web page's rules, flattened to fixed colours and pixel sizes), the font stack
of its ``lang`` (``book.FONTS``, single-quoted inside the attribute), and the whole message sits
in a 600 px presentation table, the one layout every client honours. What it loses: dark mode
(clients apply their own), print styles, ``:lang()`` fallbacks for elements without a ``lang``
of their own (they inherit their section's stack, as CSS inheritance does anyway).
"""

from __future__ import annotations

import html
import re

from ..provenance import generator
from .book import fonts_for
from .html_page import TAG, Page, rewrite_tags

__all__ = ["EMAIL_WIDTH", "email_html", "inline_styles"]

#: the width of the message's column (the common limit for e-mail layouts)
EMAIL_WIDTH = 600

_FG, _MUTED, _RULE, _SHADE, _LINK = "#1d2b3a", "#5f6368", "#c8c3b8", "#f3f0e8", "#1a5fb4"

_BY_TAG: dict[str, str] = {
    "h1": "font-size:26px;line-height:1.35;margin:28px 0 10px;text-align:left;",
    "h2": "font-size:21px;line-height:1.35;margin:24px 0 8px;text-align:left;",
    "h3": "font-size:18px;line-height:1.35;margin:20px 0 6px;text-align:left;",
    "h4": "font-size:16px;line-height:1.35;margin:16px 0 6px;text-align:left;",
    "h5": "font-size:15px;margin:14px 0 4px;",
    "h6": "font-size:15px;margin:14px 0 4px;",
    "p": "margin:10px 0;",
    "a": f"color:{_LINK};",
    "blockquote": f"margin:12px 0;padding:0 0 0 14px;border-left:3px solid {_RULE};color:{_MUTED};",
    "pre": f"white-space:pre-wrap;font-size:13px;line-height:1.5;background:{_SHADE};padding:8px;"
    "font-family:Menlo,Consolas,monospace;",
    "code": "font-family:Menlo,Consolas,monospace;",
    "table": "border-collapse:collapse;margin:12px 0;",
    "th": f"border:1px solid {_RULE};padding:3px 8px;",
    "td": f"border:1px solid {_RULE};padding:3px 8px;",
    "img": "max-width:100%;height:auto;border:0;",
    "figure": "margin:12px 0;text-align:center;",
    "figcaption": f"font-size:13px;color:{_MUTED};",
    "hr": f"border:0;border-top:1px solid {_RULE};margin:20px 0;",
    "sup": "line-height:0;",
    "ul": "margin:10px 0;padding-left:24px;",
    "ol": "margin:10px 0;padding-left:24px;",
    "li": "margin:4px 0;",
    "header": f"text-align:center;padding:24px 0 12px;border-bottom:2px solid {_FG};",
    "nav": "margin:20px 0 28px;",
}
_BY_CLASS: dict[str, str] = {
    "byline": f"font-size:13px;color:{_MUTED};",
    "dateline": f"font-size:13px;color:{_MUTED};",
    # after the h1 rule (left, like every heading): the book's title is centred like the lines
    # under it, as on the web page
    "masthead-title": "margin:0 0 8px;text-align:center;",
    "subtitle": f"font-size:13px;color:{_MUTED};text-align:center;",
    "count": f"font-size:13px;color:{_MUTED};text-align:center;",
    "caption": f"font-size:13px;color:{_MUTED};text-align:center;",
    "summary": "font-style:italic;",
    "chapter": f"border-top:1px solid {_RULE};margin-top:32px;padding-top:4px;",
    "article": "margin-top:20px;",
    "align-center": "text-align:center;",
    "align-right": "text-align:right;",
    "remote-image": "font-style:italic;",
    "noteref": "text-decoration:none;",
    "footnotes": f"margin-top:24px;border-top:1px solid {_RULE};font-size:13px;",
    "note-number": "margin:6px 0 0;font-weight:bold;",
    "admonition": f"border-left:4px solid {_MUTED};background:{_SHADE};padding:2px 12px;margin:12px 0;",
    "admonition-warning": "border-left-color:#cc6600;",
    "admonition-danger": "border-left-color:#cc6600;",
    "admonition-caution": "border-left-color:#cc6600;",
    "admonition-title": "font-weight:bold;margin:4px 0;",
}
#: HTML5 sectioning elements some mail clients (Outlook's Word engine) do not know: ``div``s
#: there, their classes and styles kept
_AS_DIV = {t: "div" for t in ("section", "header", "nav", "main", "aside", "figure", "figcaption")}
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_VOID = frozenset({"br", "hr", "img", "col", "wbr", "area", "source", "track", "meta"})
_END = re.compile(r"</([a-zA-Z][a-zA-Z0-9]*)\s*>")
_TOKEN = re.compile(f"{TAG.pattern}|{_END.pattern}")


def _font(lang: str, heading: bool) -> str:
    stack = fonts_for(lang).stack("sans" if heading else "serif").replace('"', "'")
    return f"font-family:{stack};"  # letters, spaces, commas, quotes: safe in "…"


def _styled(start_tag: str, here: str) -> tuple[str, str]:
    """One start tag with its ``style=``, and the ``lang`` in force inside it."""
    inside = here

    def change(tag: str, attrs: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
        nonlocal inside
        own = dict(attrs)
        inside = own.get("lang") or here
        style = _BY_TAG.get(tag.lower(), "")
        for cls in (own.get("class") or "").split():
            style += _BY_CLASS.get(cls, "")
        if own.get("lang"):
            style = _font(inside, False) + style
        if tag.lower() in _HEADINGS:
            style = _font(inside, True) + style
        kept = [(k, v) for k, v in attrs if k != "style"]
        return [*kept, ("style", style)] if style else kept

    return rewrite_tags(start_tag, change), inside


def inline_styles(body: str, lang: str) -> str:
    """``body`` with each element's rules as its ``style=`` attribute (and fonts by ``lang``).

    The renderer's XHTML is well formed, so a stack of open elements tracks the ``lang`` in
    force: an element that sets its own ``lang`` (a chapter, an article) gets that script's
    font stack, a heading the sans-serif stack of the ``lang`` around it.
    """
    langs: list[tuple[str, str]] = []  # (tag, lang in force inside it)
    out: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(body):
        out.append(body[pos : m.start()])
        pos = m.end()
        if m.group(4):  # an end tag
            tag = m.group(4).lower()
            while langs:
                if langs.pop()[0] == tag:
                    break
            out.append(f"</{_AS_DIV.get(tag, tag)}>")
            continue
        tag = m.group(1).lower()
        here = langs[-1][1] if langs else lang
        styled, inside = _styled(m.group(0), here)
        if tag in _AS_DIV:
            styled = f"<{_AS_DIV[tag]}" + styled[1 + len(tag) :]
        out.append(styled)
        if tag not in _VOID and not m.group(3):
            langs.append((tag, inside))
    out.append(body[pos:])
    return "".join(out)


def email_html(page: Page) -> str:
    """The e-mail-safe document: the page's parts in a 600 px column, styles inline."""
    esc = html.escape
    inner = inline_styles(
        f"{page.masthead}\n{page.contents}\n" + "\n".join(page.chapters), page.lang
    )
    font = _font(page.lang, False)
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(page.lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="{esc(generator())}">\n'
        + (f'<meta name="author" content="{esc(page.author)}">\n' if page.author else "")
        + f"<title>{esc(page.title)}</title>\n</head>\n"
        f'<body style="margin:0;padding:0;background:#ffffff;">\n'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"'
        ' style="border-collapse:collapse;"><tr><td align="center" style="padding:0 8px;">\n'
        f'<table role="presentation" width="{EMAIL_WIDTH}" cellpadding="0" cellspacing="0"'
        f' border="0" style="width:100%;max-width:{EMAIL_WIDTH}px;border-collapse:collapse;">'
        f'<tr><td lang="{esc(page.lang)}" style="{font}font-size:16px;line-height:1.75;'
        f'color:{_FG};text-align:left;word-break:normal;overflow-wrap:break-word;">\n'
        f"{inner}\n</td></tr></table>\n</td></tr></table>\n</body>\n</html>\n"
    )
