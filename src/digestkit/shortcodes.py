"""Hugo shortcode tags: find and parse ``{{< name params >}}`` and ``{{% name params %}}``.

Neutral ground for the readers (which turn tags into ``Shortcode``/``ShortcodeInline`` nodes)
and the book writers (which render Hugo's built-ins). The grammar follows Hugo's page lexer:

- a tag opens with ``{{<`` or ``{{%`` and closes with the matching ``>}}`` / ``%}}``;
- ``{{</* … */>}}`` is a shortcode *comment* (documentation showing a tag): not a tag. Hugo
  prints it without the comment markers, ``{{< … >}}`` — in code blocks too, which is where
  documentation shows tags (:func:`comment_at`, :func:`uncomment`);
- the name comes first (``/name`` for a closing tag); a tag ending in ``/>}}`` closes itself;
- parameters are positional or ``key=value``, each a bare word, a ``"double-quoted"`` string
  (backslash escapes) or a ```raw``` string; quotes may hold ``>}}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ._records import fields
from ._records import record as dataclass  # dataclasses' classes, no exec
from .lazyre import lazy_compile

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from typing import Any

    from .ast import Meta

__all__ = [
    "COMMENT_NAME",
    "Tag",
    "comment_at",
    "find_close",
    "format_param",
    "lookup_param",
    "page_params",
    "parse_tag",
    "tag_at",
    "uncomment",
]

_NAME = lazy_compile(r"[\w./-]+")
#: the ``name`` a reader gives a shortcode comment (no tag can have it: ``*`` is not a name char)
COMMENT_NAME = "/*"
# Hugo's lexer: ``/*`` right after the opening delimiter, the first ``*/`` + closing one ends it.
_COMMENT = lazy_compile(r"\{\{<\/\*(.*?)\*\/>\}\}|\{\{%\/\*(.*?)\*\/%\}\}", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Tag:
    """One parsed tag; ``text`` is the tag exactly as written, ``end`` the index after it."""

    text: str
    name: str
    params: tuple[tuple[str, str], ...]
    closing: bool
    self_closing: bool
    markdown: bool  # ``{{% %}}``: Hugo renders the inner content as Markdown
    end: int


def tag_at(src: str, pos: int) -> Tag | None:
    """The tag starting exactly at ``src[pos]``, or None if there is no well-formed tag there."""
    if not src.startswith(("{{<", "{{%"), pos):
        return None
    delim = src[pos + 2]
    closer = (">" if delim == "<" else "%") + "}}"
    i = pos + 3
    n = len(src)
    while i < n and src[i] in " \t\n":
        i += 1
    if src.startswith("/*", i):
        return None  # a shortcode comment shows a tag; it is text
    closing = src.startswith("/", i)
    if closing:
        i += 1
        while i < n and src[i] in " \t":
            i += 1
    m = _NAME.match(src, i)
    if m is None or m.group() == "/":
        return None
    name = m.group().rstrip("/") if not closing else m.group()
    i = m.start() + len(name)
    params: list[tuple[str, str]] = []
    while i < n:
        while i < n and src[i] in " \t\n":
            i += 1
        if src.startswith(closer, i):
            return Tag(src[pos : i + 3], name, tuple(params), closing, False, delim == "%", i + 3)
        if src.startswith("/" + closer, i):
            return Tag(src[pos : i + 4], name, tuple(params), closing, True, delim == "%", i + 4)
        key = ""
        km = re.compile(r"([\w-]+)=").match(src, i)
        if km:
            key, i = km.group(1), km.end()
        value, i2 = _value(src, i, closer)
        if i2 == i:
            return None
        params.append((key, value))
        i = i2
    return None


def _value(src: str, i: int, closer: str) -> tuple[str, int]:
    n = len(src)
    if i < n and src[i] == '"':
        out, j = [], i + 1
        while j < n and src[j] != '"':
            if src[j] == "\\" and j + 1 < n:
                j += 1
            if src[j] == "\n":
                return "", i
            out.append(src[j])
            j += 1
        return ("".join(out), j + 1) if j < n else ("", i)
    if i < n and src[i] == "`":
        j = src.find("`", i + 1)
        return (src[i + 1 : j], j + 1) if j > 0 else ("", i)
    j = i
    while j < n and src[j] not in " \t\n" and not src.startswith(closer, j) \
            and not src.startswith("/" + closer, j):  # fmt: skip
        j += 1
    return src[i:j], j


def comment_at(src: str, pos: int, end: int | None = None) -> int | None:
    """The end of the shortcode comment starting exactly at ``src[pos]`` (before ``end``), or None."""
    m = _COMMENT.match(src, pos, len(src) if end is None else end)
    return m.end() if m else None


def uncomment(text: str) -> str:
    """``text`` as Hugo prints it: every ``{{</* x */>}}`` becomes ``{{< x >}}`` (``%`` alike)."""
    if "/*" not in text:
        return text
    return _COMMENT.sub(
        lambda m: (
            "{{<" + m.group(1) + ">}}" if m.group(1) is not None else "{{%" + m.group(2) + "%}}"
        ),
        text,
    )


def parse_tag(text: str) -> Tag | None:
    """``text`` parsed when it is exactly one tag (a link destination, say), else None."""
    tag = tag_at(text.strip(), 0)
    return tag if tag is not None and tag.end == len(text.strip()) else None


def find_close(src: str, start: int, name: str, end: int | None = None) -> tuple[int, Tag] | None:
    """Where the tag closing ``name`` begins after ``start`` (same-name tags nest), or None.

    Linear: an unclosed same-name tag inside (``{{< youtube a >}}`` twice) counts as an
    opening, so a shortcode around it is not paired — it stays a self-standing tag.
    """
    depth = 0
    limit = len(src) if end is None else end
    i = src.find("{{", start, limit)
    while 0 <= i < limit:
        tag = tag_at(src, i)
        if tag is not None and tag.name == name and tag.end <= limit:
            if tag.closing:
                if depth == 0:
                    return i, tag
                depth -= 1
            elif not tag.self_closing:
                depth += 1
            i = tag.end
        else:
            i += 2
        i = src.find("{{", i, limit)
    return None


# --------------------------------------------------------------------------- {{< param >}}


def page_params(meta: Meta, site: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """What Hugo's ``{{< param "key" >}}`` looks in: the page's front matter (every key, as
    ``.Params`` holds them), then its ``params`` table (Hugo ≥ 0.123 reads page parameters
    there), then the site's ``params`` — keys lower-cased at every level, as Hugo does."""
    out: dict[str, Any] = {}
    for source in (site or {}, meta.params, _front_matter(meta)):
        out.update((str(k).lower(), _lower(v)) for k, v in source.items())
    return out


def lookup_param(params: Mapping[str, Any], key: str) -> Any:
    """``params["a"]["b"]`` for ``"a.b"`` (case-insensitive), or None."""
    value: Any = params
    for part in key.lower().split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def format_param(value: Any) -> str:
    """A parameter value as Hugo prints it (Go's ``fmt``: ``true``, ``[a b]``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + " ".join(format_param(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "map[" + " ".join(f"{k}:{format_param(v)}" for k, v in sorted(value.items())) + "]"
    return str(value)


def _front_matter(meta: Meta) -> dict[str, Any]:
    """Front matter keys as written, with their values (a detected ``lang`` was not written)."""
    if meta.keys:
        out = {}
        for mk in meta.keys:
            if mk.form == "detected":
                continue
            out[mk.name] = meta.extra.get(mk.name) if mk.field == "extra" else getattr(
                meta, mk.field, None
            )  # fmt: skip
        return out
    skip = {"keys", "front_matter", "extra", "params"}
    found = {f.name: getattr(meta, f.name) for f in fields(meta) if f.name not in skip}
    return {**{k: v for k, v in found.items() if v not in (None, ())}, **meta.extra}


def _lower(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k).lower(): _lower(v) for k, v in value.items()}
    return value
