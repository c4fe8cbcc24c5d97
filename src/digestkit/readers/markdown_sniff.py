"""How much a text looks like Markdown: evidence weighed, not a share of marked lines.

Why a module of its own: ``digestkit.loads(data)`` with no format hint and every ``.txt`` file in
a digest archive go by this score alone, and the old rule — Markdown marks on one line in twenty
— read long real Markdown as prose (issue 25: a weekly newsletter issue of 400 lines with a
dozen headings and a hundred links but few *line-start* marks became prose, its ``# title`` a
heading ``# # …`` and its links ``\\[…\\](…)``).

The evidence, each counted in the first 200,000 characters:

- *line-start structure* (CommonMark's block starts, up to three spaces of indent): ATX
  headings (``#`` … ``######`` then a space: ``#AI部署``, a hashtag, is not one), fences (three
  backticks or tildes), list items (``-``/``*``/``+`` or ``1.``/``1)`` then a space), block
  quotes (``>``), table rows (``|…|``), setext underlines under a line of text, link reference
  definitions (``[x]: url``), HTML blocks (a line opening with ``<div>``, ``<p>``, ``<table>``,
  ``<script>``, a comment …: CommonMark passes them through, where the prose reader would
  show the tags as text);
- *inline structure*: links and images (``[text](url)``, ``![alt](src)``), autolinks
  (``<https://…>``), code spans, ``**strong**``, backslash escapes of ASCII punctuation (the
  Markdown writer's own ``\\[`` ``\\*`` ``\\#``);
- *blank-line paragraphs*: blocks separated by empty lines.

Prose — a newspaper article pasted as lines, a run-on page — has none of the structure and, in
the archives this tool reads, no blank lines either (the seeds 002–004). Markdown has blank
lines between its blocks and some structure. So: structure *with* blank-line paragraphs is
Markdown (one heading or one link among paragraphs is enough); structure alone counts when it
is dense (the old rule, one marked line in twenty); blank-line paragraphs alone, where every
line break is a paragraph break, are Markdown too (what the Markdown writer writes for a
document of paragraphs — and the prose reader would rejoin or re-cut them). A text with single
line breaks and no structure stays prose.
"""

from __future__ import annotations

import itertools
import re

__all__ = ["markdown_score"]

_WINDOW = 200_000

#: Line-start block structure (CommonMark block starts after up to three spaces).
_BLOCK = re.compile(
    r"^ {0,3}(?:"
    r"#{1,6}[ \t]+\S"  # ATX heading
    r"|(?:```|~~~)"  # fence
    r"|(?:[-*+]|\d{1,9}[.)])[ \t]+\S"  # list item
    r"|>"  # block quote
    r"|\|.*\|[ \t]*$"  # table row
    r"|\[[^\]\n]+\]:[ \t]*\S"  # link reference definition
    r"|<(?:script|pre|style|textarea)[\s>]|<!--"  # HTML blocks (CommonMark kinds 1, 2, 6)
    r"|</?(?:address|article|aside|blockquote|body|center|details|div|dl|fieldset|figcaption"
    r"|figure|footer|form|h[1-6]|header|hr|html|iframe|li|main|nav|ol|p|section|table|td|th"
    r"|tr|ul)(?:[\s/>]|$)"
    r")",
    re.MULTILINE,
)
#: A setext underline below a line of text (``Title`` / ``=====``).
_SETEXT = re.compile(r"^[^\s].*\n {0,3}(?:=+|-{3,})[ \t]*$", re.MULTILINE)
#: Inline structure: links and images, autolinks, code spans, strong emphasis, escapes.
_INLINE = re.compile(
    r"!?\[[^\]\n]{0,500}\]\([^)\s]{0,2000}(?:[ \t]+\"[^\"\n]*\")?\)"
    r"|<(?:https?|mailto):[^>\s]+>"
    r"|`[^`\n]+`"
    r"|(\*\*|__)\S[^\n]*?\S\1"
    r"|\\[!-/:-@\[-`{-~]"
)
_BLANK = re.compile(r"\n[ \t]*\n")


def markdown_score(text: str) -> float:
    """0.55 when the evidence says Markdown, 0.4 for blank-line paragraphs alone, else 0.0.

    0.55 beats the prose reader's 0.2–0.3 and a ``.md`` name's 0.6 still wins a tie-break in
    the caller; 0.4 beats prose but nothing else.
    """
    head = text[:_WINDOW]
    rows = head.strip("\n").split("\n")
    breaks = len(_BLANK.findall(head))
    block = len(_BLOCK.findall(head)) + len(_SETEXT.findall(head))
    inline = len(_INLINE.findall(head))
    if breaks and block + inline:
        return 0.55
    if block + inline >= max(2 - (len(rows) == 1), len(rows) // 20):
        return 0.55  # dense structure: a list, a table, one line with a link
    joined = sum(1 for a, b in itertools.pairwise(rows) if a.strip() and b.strip())
    if breaks and not joined:
        return 0.4
    return 0.0
