"""Footnotes: which containers hold a page's notes (pandoc, Hugo/goldmark, EPUB ``epub:type``),
their labels, and their bodies, taken out of the text so that links to them become ``Note``s."""

from __future__ import annotations

import contextlib
import re
from typing import TYPE_CHECKING

from ...ast import Block, Paragraph, Text
from .build import Builder
from .clean import decompose_all
from .dom import attr

if TYPE_CHECKING:
    from selectolax.lexbor import LexborNode

__all__ = ["collect_notes"]

_NOTE_CONTAINERS = (
    "section.footnotes", "div.footnotes", "section.footnote", '[role="doc-endnotes"]',
    'aside[role="doc-footnote"]', "ol.footnotes", 'aside[epub\\:type="footnote"]',
    'aside[epub\\:type="endnote"]', 'section[epub\\:type="footnotes"]',
    'section[epub\\:type="endnotes"]',
)  # fmt: skip


_BACKLINKS = ("a.footnote-back", "a.footnote-backref", 'a[role="doc-backlink"]',
              'a[href^="#fnref"]', 'a[href^="#ref-"]')  # fmt: skip


_NOTE_ID = re.compile(r"^(fn|footnote|note|en)[-_:]?", re.I)


def _note_label(note_id: str) -> str:
    return _NOTE_ID.sub("", note_id) or note_id


def collect_notes(builder: Builder, root: LexborNode) -> None:
    """Footnote bodies by id (pandoc, Hugo/goldmark, EPUB ``epub:type`` markup), then removed."""
    for selector in _NOTE_CONTAINERS:
        for container in root.css(selector):
            items = [n for n in container.css("li[id], aside[id], div[id]") if n is not container]
            items = [n for n in items if attr(n, "id") != attr(container, "id")]
            if not items and container.tag == "aside" and attr(container, "id"):
                items = [container]  # a lone EPUB <aside epub:type="footnote" id=…>
            for item in items:
                decompose_all(item, _BACKLINKS)
                note_id = attr(item, "id")
                if note_id is None:
                    continue
                blocks = _strip_note_end(builder.blocks(item))
                builder.notes[note_id] = (_note_label(note_id), tuple(blocks))
            with contextlib.suppress(Exception):
                container.decompose()


def _strip_note_end(blocks: list[Block]) -> list[Block]:
    """Drop the no-break space goldmark leaves before its removed back-link."""
    if blocks and isinstance(blocks[-1], Paragraph):
        kids = list(blocks[-1].children)
        if kids and isinstance(kids[-1], Text):
            text = kids[-1].text.rstrip(" \xa0")
            kids[-1:] = [Text(text=text)] if text else []
        blocks[-1] = Paragraph(children=tuple(kids))
    return blocks
