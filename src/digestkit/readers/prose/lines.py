"""Structure recovery for line-structured prose: one paragraph, heading or list item per line.

Plain-text digests (seed ``004_…``, the clean copy in ``003_…``) have no markup but their lines
mean something. Each line is classified, and every classification is logged:

- **intro** — ends with a colon (``知情人士表示:``): a paragraph that announces what follows;
- after an intro: lines opening with a quotation mark, or a single complete sentence, are a
  **quote** (``BlockQuote``); otherwise the run of short lines is a **list** (a ``；``-list may
  close with one ``。`` line);
- **list** — two or more consecutive short lines without sentence punctuation;
- **heading** — a single short line without sentence punctuation between paragraphs;
- **paragraph** — everything else.

``**bold**`` inside a line becomes ``Strong`` (digest authors type it even in plain text).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ...ast import Block, BlockQuote, BulletList, Inline, ListItem, Paragraph, Strong, Text

__all__ = ["inlines", "structure_lines"]

_SENTENCE_END = ("。", "！", "？", "!", "?", "…", "”", "」", "』", ".", "；", ";", "：", ":")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
SHORT = 60


def inlines(text: str) -> tuple[Inline, ...]:
    """Plain text with ``**bold**`` recognised, CJK-friendly: ``**20%+**的`` is bold here
    (CommonMark's flanking rules would leave it literal; the Markdown writer then uses
    ``<strong>`` so the round trip stays exact).
    """
    out: list[Inline] = []
    pos = 0
    for m in _STRONG.finditer(text):
        if m.start() > pos:
            out.append(Text(text=text[pos : m.start()]))
        out.append(Strong(children=(Text(text=m.group(1)),)))
        pos = m.end()
    if pos < len(text):
        out.append(Text(text=text[pos:]))
    return tuple(out)


def _para(text: str) -> Paragraph:
    return Paragraph(children=inlines(text))


def _is_intro(line: str) -> bool:
    return line.endswith((":", "："))


def _unpunctuated(line: str) -> bool:
    return not line.endswith(_SENTENCE_END)


def _complete(line: str) -> bool:
    return line.endswith(("。", "！", "？", "!", "?", "…", "”", "」"))


def structure_lines(
    lines: list[tuple[int, str]], note: Callable[[str, int, str, str], None]
) -> list[Block]:
    """Blocks for an article body given as (line number, text) pairs."""
    blocks: list[Block] = []
    i, n = 0, len(lines)
    while i < n:
        lineno, line = lines[i]
        if _is_intro(line):
            blocks.append(_para(line))
            note("paragraph", lineno, line, "ends with a colon: introduces what follows")
            i += 1
            if i >= n:
                break
            nxt_no, nxt = lines[i]
            if nxt.startswith(("“", "「", '"', "『")) or (_complete(nxt) and not _is_intro(nxt)):
                quote = [nxt]
                i += 1
                if nxt.startswith(("“", "「")) and not nxt.endswith(("”", "」", "。”", "。」")):
                    while i < n and not _is_intro(lines[i][1]):
                        quote.append(lines[i][1])
                        i += 1
                        if quote[-1].endswith(("”", "」")):
                            break
                while (
                    i < n
                    and quote[-1].endswith(("”", "」"))
                    and lines[i][1].startswith(("“", "「"))
                ):
                    quote.append(lines[i][1])  # the same speaker goes on
                    i += 1
                blocks.append(BlockQuote(blocks=tuple(_para(q) for q in quote)))
                note("quote", nxt_no, nxt, "what the introducing line announces")
                continue
            items: list[str] = []
            semicolons = False
            while i < n and not _is_intro(lines[i][1]):
                text = lines[i][1]
                if _complete(text):
                    if semicolons and items:
                        items.append(text)  # a ；-list closes with its 。 line
                        i += 1
                    break
                if len(text) > SHORT * 2:
                    break
                semicolons = semicolons or text.endswith(("；", ";"))
                items.append(text)
                i += 1
            if items:
                blocks.append(BulletList(items=tuple(ListItem(blocks=(_para(t),)) for t in items)))
                note("list", nxt_no, nxt, f"{len(items)} short line(s) after an introducing line")
            continue
        if _unpunctuated(line) and len(line) <= SHORT:
            run = i
            while run < n and _unpunctuated(lines[run][1]) and len(lines[run][1]) <= SHORT:
                if _is_intro(lines[run][1]):
                    break
                run += 1
            if run - i >= 2:
                items = [t for _, t in lines[i:run]]
                blocks.append(BulletList(items=tuple(ListItem(blocks=(_para(t),)) for t in items)))
                note(
                    "list",
                    lineno,
                    line,
                    f"{run - i} consecutive short lines without sentence punctuation",
                )
                i = run
                continue
            if i + 1 < n:
                from ...ast import Heading

                blocks.append(Heading(level=2, children=inlines(line)))
                note("heading", lineno, line, "a single short line without sentence punctuation")
                i += 1
                continue
        blocks.append(_para(line))
        i += 1
    return blocks
