"""Inline clean-ups shared by the Markdown reader's two parse paths (``markdown.py``, the
reference, and ``markdown_fast.py``) and the pandoc JSON reader: one rule, so the paths agree."""

from __future__ import annotations

from ..ast import Emphasis, HtmlInline, Inline, Strikethrough, Strong, Text

__all__ = ["fold_html", "merge_text"]


# markdown-it renders ~~x~~ as <s>, so <s> (not <del>) is what round-trips to Strikethrough.
_FOLD: dict[str, tuple[str, type[Emphasis] | type[Strong] | type[Strikethrough]]] = {
    "<em>": ("</em>", Emphasis),
    "<strong>": ("</strong>", Strong),
    "<s>": ("</s>", Strikethrough),
}


def fold_html(inlines: list[Inline]) -> list[Inline]:
    """``<em>…</em>``, ``<strong>…</strong>``, ``<s>…</s>`` (bare tags, one run) → nodes.

    The Markdown writer uses these tags where CommonMark delimiters cannot flank (CJK text next
    to punctuation); folding them keeps the round trip exact. HTML output is the same either way.
    """
    if not any(isinstance(x, HtmlInline) and x.text in _FOLD for x in inlines):
        return inlines
    out: list[Inline] = []
    i = 0
    while i < len(inlines):
        node = inlines[i]
        if isinstance(node, HtmlInline) and node.text in _FOLD:
            close, cls = _FOLD[node.text]
            depth, j = 0, i + 1
            while j < len(inlines):
                x = inlines[j]
                if isinstance(x, HtmlInline) and x.text == node.text:
                    depth += 1
                elif isinstance(x, HtmlInline) and x.text == close:
                    if depth == 0:
                        break
                    depth -= 1
                j += 1
            if j < len(inlines):
                out.append(cls(children=merge_text(fold_html(inlines[i + 1 : j]))))
                i = j + 1
                continue
        out.append(node)
        i += 1
    return out


def merge_text(inlines: list[Inline]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(text=out[-1].text + node.text)
        elif not (isinstance(node, Text) and not node.text):
            out.append(node)
    return tuple(out)
