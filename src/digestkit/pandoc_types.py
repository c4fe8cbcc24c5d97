"""The vocabulary the ``pandoc-json`` reader and writer share: API version, classes, keys, markers.

pandoc's AST has no articles, captions, shortcodes or footnote labels, so the writer carries them
as ``Div``/``Span`` elements with the classes and attributes named here, and the reader turns
exactly those back into digestkit nodes. Both sides import this one neutral module (a reader
never imports a writer), so the two cannot drift apart.

Attribute keys are chosen not to be HTML attribute names (``shortcode``, ``open-tag``), so
pandoc's HTML writer turns them into harmless ``data-…`` attributes; ``title`` and ``lang`` on
an article are kept as they are on purpose (a tooltip, and the language pandoc's HTML and docx
writers honour).
"""

from __future__ import annotations

from typing import Any, Final

__all__ = [
    "ALIGNS",
    "API_VERSION",
    "ARTICLE",
    "ARTICLE_TITLE",
    "CAPTION",
    "EMPTY_ID",
    "EMPTY_TITLE",
    "FINAL_NEWLINE",
    "INFO",
    "LOOSE_LIST",
    "META_KEY",
    "META_VERSION",
    "NOTE",
    "RAW",
    "RUBY",
    "SHORTCODE",
    "NodeJSON",
    "pointer",
]

#: pandoc-types API version written (pandoc 3.x reads any 1.23.x).
API_VERSION: Final = (1, 23, 1)

#: ``Div`` holding an :class:`~digestkit.ast.Article` (attributes: title, source, author, tags, lang, column).
ARTICLE: Final = "digestkit-article"
#: The visible title heading the writer puts first inside an article ``Div``; the reader drops it.
ARTICLE_TITLE: Final = "digestkit-article-title"
#: ``Div`` holding a :class:`~digestkit.ast.Caption` as one paragraph.
CAPTION: Final = "digestkit-caption"
#: ``Div``/``Span`` holding a Hugo shortcode (attributes: shortcode, params, open-tag, close-tag, content).
SHORTCODE: Final = "digestkit-shortcode"
#: ``Span`` around a ``Note`` whose label is kept (attribute: note-label).
NOTE: Final = "digestkit-note"
#: ``Span`` holding a :class:`~digestkit.ast.Ruby`: the base as content (attribute: annotation).
#: pandoc has no ruby; its HTML writer shows the base with a ``data-annotation`` attribute.
RUBY: Final = "digestkit-ruby"
#: ``Div`` around a ``RawBlock "html"`` that is a digestkit ``Raw`` rather than an ``HtmlBlock``.
RAW: Final = "digestkit-raw"
#: ``Div`` around a loose list whose looseness pandoc cannot show (no paragraph directly in an item).
LOOSE_LIST: Final = "digestkit-loose"

#: Top-level metadata key holding what pandoc's ``Meta`` cannot say: value types, key spellings,
#: the original front matter, and extra keys that collide with field names.
META_KEY: Final = "digestkit"
META_VERSION: Final = "1"

#: Flags on an element's own attributes for values pandoc cannot tell apart from defaults.
EMPTY_ID: Final = "digestkit-empty-id"  # Heading(id="") (pandoc: "" means no id)
EMPTY_TITLE: Final = "digestkit-empty-title"  # Link/Image(title="") (pandoc: "" means none)
FINAL_NEWLINE: Final = "final-newline"  # CodeBlock text whose last newline is not the usual one
INFO: Final = "info"  # CodeBlock info string that is not a single class name
ALIGNS: Final = "aligns"  # Table aligns when there is not one per column (JSON list)

#: A pandoc JSON element: ``{"t": "Str", "c": "x"}`` and friends.
NodeJSON = dict[str, Any]


def pointer(*parts: str | int) -> str:
    """A JSON pointer (RFC 6901) to a metadata value, used as the key of its type marker."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)
