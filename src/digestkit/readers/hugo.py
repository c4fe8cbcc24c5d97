"""Reader ``hugo``: Hugo content files, front matter in TOML (``+++``), JSON (``{``) or YAML.

The body is CommonMark, read exactly as the ``markdown`` reader does; the front matter maps onto
the typed metadata with Hugo's meaning (``title``, ``date``, ``draft``, ``summary``,
``description``, ``tags``, ``categories``, ``slug``, ``weight``, ``aliases``, ``lastmod``,
``publishDate``, ``params``); everything else lands in ``Meta.extra`` with order and type kept.
The ``<!--more-->`` summary divider stays where it is, as an ``HtmlBlock`` (or ``HtmlInline``),
so it survives every round trip; :func:`summary_divider_index` finds it.

A language code before the extension (``post.ja.md``, ``_index.zh-cn.md``: Hugo's translation by
file name) is the page's ``lang`` when the front matter gives none
(:func:`digestkit.metadata.file_lang`).

Values Hugo itself would reject (``draft = "yes"``, ``date = "soon"``) are kept untouched in
``extra`` and reported in a warning naming the file, rather than coerced or dropped. An empty
value (YAML ``date:``) is unset for Hugo: kept in ``extra`` too, without a warning.
"""

from __future__ import annotations

import re
import warnings

from .. import frontmatter
from ..ast import Document, HtmlBlock
from ..errors import ParseError
from ..lazyre import lazy_compile
from .markdown import read_with_front_matter

__all__ = ["READER", "HugoReader", "summary_divider_index"]

MORE = lazy_compile(r"^<!--\s*more\s*-->$")
_HUGO_TYPED = {
    "title": "a string",
    "date": "a date",
    "draft": "true or false",
    "summary": "a string",
    "description": "a string",
    "tags": "a list of strings",
    "categories": "a list of strings",
    "slug": "a string",
    "weight": "an integer",
    "aliases": "a list of strings",
    "lastmod": "a date",
    "publishdate": "a date",
    "params": "a table",
}
_YAML_LINE = lazy_compile(r"^[A-Za-z_][\w-]*:\s", re.MULTILINE)


def summary_divider_index(doc: Document) -> int | None:
    """Index of the top-level ``<!--more-->`` block, or None (Hugo's manual summary split)."""
    for i, block in enumerate(doc.blocks):
        if isinstance(block, HtmlBlock) and MORE.match(block.text.strip()):
            return i
    return None


class HugoReader:
    """Hugo content: Markdown with TOML, JSON or YAML front matter."""

    name = "hugo"
    description = "Hugo content: TOML (+++), JSON or YAML front matter"
    extensions = (".md",)

    def sniff(self, text: str, path: str | None) -> float:
        """Sure for ``+++`` front matter, likely for a JSON object that is not a digestkit AST."""
        kind = frontmatter.detect(text)
        if kind == "toml":
            return 1.0
        if kind == "json":
            return 0.9
        return 0.5 if kind == "yaml" else 0.0

    def read(self, text: str, *, path: str | None = None) -> Document:
        """Parse ``text``; TOML errors carry ``file:line:col``."""
        try:
            meta, blocks = read_with_front_matter(text, path=path, formats=("toml", "json", "yaml"))
        except ParseError as exc:
            s = frontmatter.split(text, path=path) if frontmatter.detect(text) == "toml" else None
            if s is not None and _YAML_LINE.search(s.text):
                raise ParseError(
                    exc.message
                    + " (this looks like YAML: YAML front matter goes between '---' lines)",
                    path=exc.path,
                    line=exc.line,
                    column=exc.column,
                ) from None
            raise
        for key in meta.keys:
            want = _HUGO_TYPED.get(key.name.lower())
            # an empty value (``date:``) is unset for Hugo, not wrong: kept, nothing to say
            if key.field == "extra" and want is not None and meta.extra[key.name] is not None:
                value = meta.extra[key.name]
                warnings.warn(
                    f"{path or '<string>'}: front matter {key.name!r} should be {want} for Hugo, "
                    f"got {type(value).__name__} {value!r:.40}; kept as is",
                    stacklevel=2,
                )
        return Document(meta=meta, blocks=blocks)


READER = HugoReader()
