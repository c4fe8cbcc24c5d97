"""Hugo shortcode tags: find and parse ``{{< name params >}}`` and ``{{% name params %}}``.

Neutral ground for the readers (which turn tags into ``Shortcode``/``ShortcodeInline`` nodes)
and the book writers (which render Hugo's built-ins). The grammar follows Hugo's page lexer:

- a tag opens with ``{{<`` or ``{{%`` and closes with the matching ``>}}`` / ``%}}``;
- ``{{</* … */>}}`` is a shortcode *comment* (documentation showing a tag): not a tag;
- the name comes first (``/name`` for a closing tag); a tag ending in ``/>}}`` closes itself;
- parameters are positional or ``key=value``, each a bare word, a ``"double-quoted"`` string
  (backslash escapes) or a ```raw``` string; quotes may hold ``>}}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Tag", "find_close", "parse_tag", "tag_at"]

_NAME = re.compile(r"[\w./-]+")


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
