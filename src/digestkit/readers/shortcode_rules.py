"""markdown-it rules for Hugo shortcodes (the tag grammar is in :mod:`digestkit.shortcodes`).

- **block**: a tag first on a line (indented < 4), with nothing after it on the line — or after
  its matching closing tag ``{{< /name >}}`` when one follows — is a ``hugo_shortcode`` token
  holding the tags verbatim and the inner text. It may interrupt a paragraph, because Hugo
  replaces shortcodes before Markdown sees the text. Inside another shortcode (:data:`NESTED`)
  any indentation will do: themes indent nested tags by depth (``filetree/folder`` in
  ``filetree/container``, ``tab`` in ``tabs``), and Hugo's lexer finds tags at any indentation,
  so a tag indented four spaces is still a tag there, not an indented code block.
- **inline**: a tag inside a paragraph is a ``hugo_shortcode_inline`` token; paired when its
  closing tag follows in the same paragraph. A closing tag with no opening one is kept too (as
  a tag of its own), so no markup is lost and none is shown.
- **comment**: ``{{</* x */>}}`` (Hugo's way to show a tag) is one ``hugo_shortcode_inline``
  token named :data:`~digestkit.shortcodes.COMMENT_NAME`, so its ``*`` never starts emphasis
  and the Markdown writer puts it back byte for byte; book writers print ``{{< x >}}`` as Hugo
  does. In code spans and code blocks, tags and comments are code: the code rules own them.
- **link**: ``[text]({{< relref "a.md" >}})`` — a destination that is one tag — is a link whose
  ``href`` is the tag verbatim (CommonMark would not read it as a link: it has spaces). The
  Markdown writer writes it back as it was; book writers resolve it (:mod:`digestkit.links`).
"""

from __future__ import annotations

import contextvars
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkLabel
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

from ..shortcodes import COMMENT_NAME, comment_at, find_close, tag_at

__all__ = ["NESTED", "shortcode_plugin"]

#: True while the inner text of a shortcode is parsed (set by the Markdown reader).
NESTED: contextvars.ContextVar[bool] = contextvars.ContextVar("NESTED", default=False)


def _meta(tag: Any, close: Any, inner: str | None) -> dict[str, Any]:
    return {"name": tag.name, "params": tag.params, "open": tag.text,
            "close": close.text if close is not None else "", "inner": inner,
            "closing": tag.closing}  # fmt: skip


def _block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4 and not NESTED.get():
        return False
    pos = state.bMarks[start] + state.tShift[start]
    if not state.src.startswith(("{{<", "{{%"), pos):
        return False
    text = state.getLines(start, end, state.blkIndent, False)
    first = len(text) - len(text.lstrip(" \t"))
    tag = tag_at(text, first)
    if tag is None or tag.closing:
        return False
    close = None if tag.self_closing else find_close(text, tag.end, tag.name)
    stop = close[1].end if close else tag.end
    eol = text.find("\n", stop)
    eol = len(text) if eol < 0 else eol
    if text[stop:eol].strip(" \t"):
        return False
    if silent:
        return True
    token = state.push("hugo_shortcode", "", 0)
    token.meta = _meta(
        tag, close[1] if close else None, text[tag.end : close[0]] if close else None
    )
    lines = text.count("\n", 0, stop) + 1
    token.map = [start, start + lines]
    state.line = start + lines
    return True


def _inline(state: StateInline, silent: bool) -> bool:
    pos = state.pos
    if not state.src.startswith(("{{<", "{{%"), pos):
        return False
    tag = tag_at(state.src, pos)
    if tag is None:
        end = comment_at(state.src, pos, state.posMax)
        if end is None:
            return False
        if not silent:
            token = state.push("hugo_shortcode_inline", "", 0)
            text = state.src[pos:end]
            token.meta = {"name": COMMENT_NAME, "params": (("", text[5:-5]),), "open": text,
                          "close": "", "inner": None, "closing": False}  # fmt: skip
        state.pos = end
        return True
    if tag.end > state.posMax:
        return False
    close = None
    if not tag.closing and not tag.self_closing:
        close = find_close(state.src, tag.end, tag.name, state.posMax)
    if not silent:
        token = state.push("hugo_shortcode_inline", "", 0)
        inner = state.src[tag.end : close[0]] if close else None
        token.meta = _meta(tag, close[1] if close else None, inner)
    state.pos = close[1].end if close else tag.end
    return True


def _link(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if state.src[start] != "[":
        return False
    label_end = parseLinkLabel(state, start, True)
    if label_end < 0 or state.src[label_end + 1 : label_end + 2] != "(":
        return False
    p = label_end + 2
    while p < state.posMax and state.src[p] in " \t\n":
        p += 1
    tag = tag_at(state.src, p)
    if tag is None or tag.closing:
        return False
    q = tag.end
    while q < state.posMax and state.src[q] in " \t\n":
        q += 1
    if q >= state.posMax or state.src[q] != ")":
        return False
    if not silent:
        old_max = state.posMax
        state.pos, state.posMax = start + 1, label_end
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": tag.text}
        state.linkLevel += 1
        state.md.inline.tokenize(state)
        state.linkLevel -= 1
        state.push("link_close", "a", -1)
        state.posMax = old_max
    state.pos = q + 1
    return True


def shortcode_plugin(md: MarkdownIt) -> None:
    """Add the three rules to ``md``."""
    md.block.ruler.before(
        "code", "hugo_shortcode", _block, {"alt": ["paragraph", "reference", "blockquote", "list"]}
    )
    md.inline.ruler.before("text", "hugo_shortcode_inline", _inline)
    md.inline.ruler.before("link", "hugo_shortcode_link", _link)
