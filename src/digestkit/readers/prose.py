"""Reader ``prose``: plain text with no markup, one paragraph per line.

This is the fallback for text that is neither Markdown nor Hugo. It keeps every character
(apart from line-end whitespace) and reads ``#tag`` lines as tags rather than headings.
Structure recovery for run-on Chinese prose (headings glued into paragraphs, several
articles per file) is tracked separately and builds on this reader.
"""

from __future__ import annotations

import re

from ..ast import Document, Meta, Paragraph, Text

__all__ = ["READER", "ProseReader"]

_HASHTAG_LINE = re.compile(r"^(?:#[^\s#]+\s*)+$")


class ProseReader:
    """Plain prose: lines are paragraphs; hashtag-only lines are tags."""

    name = "prose"
    description = "plain or run-on prose (Chinese-aware)"
    extensions = (".txt", ".text")

    def sniff(self, text: str, path: str | None) -> float:
        """Always a candidate, never a confident one: prose is what is left."""
        return 0.3 if path and path.lower().endswith(self.extensions) else 0.2

    def read(self, text: str, *, path: str | None = None) -> Document:
        """One paragraph per non-empty line."""
        tags: list[str] = []
        blocks: list[Paragraph] = []
        for raw in text.split("\n"):
            line = raw.strip()
            if not line:
                continue
            if _HASHTAG_LINE.match(line) and not blocks:
                tags += [t for t in line.replace("#", " ").split() if t]
                continue
            blocks.append(Paragraph(children=(Text(text=line),)))
        return Document(meta=Meta(tags=tuple(tags)), blocks=tuple(blocks))


READER = ProseReader()
