"""The PDF writer's shared constants, in one place (layout, joining and the page boxes agree
on them)."""

from __future__ import annotations

__all__ = [
    "ASSET_SCHEME",
    "CHAPTER_REF",
    "DEFAULT_TIMEOUT",
    "FOLD_SLACK",
    "GOTO",
    "GROUP_CHARS",
    "LINE_HEIGHT",
    "NUMBER_BASELINE",
    "NUMBER_MARK",
    "NUMBER_SIZE",
    "PAGE_MARGINS",
    "PAPERS",
    "PRESUBSET",
    "PX_TO_PT",
    "SMALL_GROUPS",
]

#: Paper sizes the user may choose (``--paper``), as CSS ``@page`` sizes.
PAPERS = {"A5": "A5", "A4": "A4", "B5": "B5", "letter": "letter"}
#: Seconds a whole layout may take (``--timeout``).
DEFAULT_TIMEOUT = 900
#: Page margins (top right bottom left). The page numbers are stamped centred in the bottom one.
PAGE_MARGINS = "18mm 15mm 20mm 15mm"
#: Page-number size (pt), as the page-number margin box of the single-document layout had.
NUMBER_SIZE = 9.0
#: Page-number baseline, pt from the page's bottom edge: centred in the 20 mm bottom margin.
NUMBER_BASELINE = 25.5
#: The book's line height (a CSS number). The contents' page numbers are stamped on the
#: baseline of a line this high: ``join`` computes it from the number's box and the font.
LINE_HEIGHT = 1.7
#: Chapter HTML per layout group, at most (about 65 A5 pages of digest text); a cached book's
#: groups hold at least half of it (``incremental.cut``) unless the book is shorter. Smaller
#: groups share the work out more evenly and need less memory; each costs a font subset of its own.
GROUP_CHARS = 50_000
#: Layouts a cached book may draw its pages from beyond its groups (``incremental.plan``): most
#: re-runs lay out only the new or changed chapters, their pages joined with the stored
#: groups' pages, and the file carries at most this many extra font subsets (~0.2–0.3 MB each
#: for the 30-digest book); past it, changed groups are laid out again whole.
SMALL_GROUPS = 3
#: When a re-run must lay something out again to keep that bound, it goes this many layouts
#: below it (the cheapest steps, as for the bound itself): the same work per layout taken
#: out, done in one re-run of several instead of a little in each.
FOLD_SLACK = 2
#: Cut the CJK faces down to the characters of the run before WeasyPrint loads them
#: (``faces``): the same book with far less memory. Tests turn it off to compare.
PRESUBSET = True
#: Id prefix of the contents' page-number places.
NUMBER_MARK = "pn-"
#: URL scheme of the images and fonts the layout may load (collected by the renderer).
ASSET_SCHEME = "digestkit-asset:"
#: URL scheme of internal links across separately laid-out parts (resolved when joining).
GOTO = "digestkit-goto:"
#: Anchor prefix of a link to another chapter by its number (``n3-x``: chapter 3's ``x``),
#: resolved to that chapter's tag when the parts are joined.
CHAPTER_REF = "n"
#: CSS px → PDF points.
PX_TO_PT = 0.75
