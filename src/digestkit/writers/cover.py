"""The book's cover, drawn offline: a PNG for every reading system, an SVG where no font is found.

Why a raster cover: Kindle (Send to Kindle, KindleGen), older Kobo firmware and library apps
show no cover, or reject the book, when the only cover image is SVG (issue 18; Amazon's Kindle
Publishing Guidelines accept JPEG, PNG and GIF covers). So the cover is drawn with Pillow, in the
shape Amazon asks for — 1600 × 2560 pixels, a height/width ratio of 1.6 — with the installed Noto
CJK face for the book's script (SC, TC, HK, JP or KR: a Traditional title drawn with the SC face
gets mainland glyph forms). Title wrapped to the width (never breaking a Latin word, never
starting a line with closing punctuation), the week line below it.

What the weekly EPUB's cover shows is what stays the same while a week's digests arrive: the
title and the weeks the book covers (:func:`week_span`: Monday of the first digest's ISO week
to Sunday of the last's), not the day-to-day date span or the counts of articles and issues —
those are on the contents page (``nav.xhtml``), the PDF's title page and the HTML masthead. So
the cached cover is found again on the daily re-run (drawing it costs ~0.03–0.05 s and Pillow's
import ~0.02 s; before, every new digest changed the counts and the span, and the cover was
drawn anew each time). ``CoverText.counts`` is still drawn when given (``cover_text``).

Cheap and reproducible:

- Pillow is imported only when a cover is drawn, never by ``import digestkit``.
- The drawing is one 8-bit layer of ink coverage saved as a palette PNG (a gradient from paper
  to ink), zlib level 3: 40–60 kB and ~0.08 s to draw and compress (+0.06 s to import Pillow),
  where an RGB PNG is twice the size and level 6 three times slower for 40 % fewer bytes. Pillow writes no timestamp into a PNG, so the same text, font file and Pillow
  version give the same bytes (the EPUB's ``SOURCE_DATE_EPOCH`` test builds twice and compares).
- :func:`cover_png` takes a cache (``cache.DocumentCache``): the key is a hash of the text, the
  font file (path, size, mtime), the drawing code's version and digestkit's code
  (``cache.code_fingerprint``: an edit shows without ``cache clear``), so the weekly re-run reads ~40 kB
  instead of importing Pillow and drawing.

No CJK font installed (fontconfig finds none): :func:`cover_png` returns None and the EPUB keeps
the SVG cover, with a warning naming the package to install.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
import re
from collections.abc import Sequence
from pathlib import Path

from .. import keyhash
from .book import fonts_for
from .cover_text import CoverText, cover_text
from .xml_text import escape  # saxutils-equal, without importing xml.sax

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from typing import Protocol

    from PIL import ImageFont

    class _Store(Protocol):
        def get(self, key: str) -> object | None: ...
        def put(self, key: str, value: object) -> None: ...

    class _Measure(Protocol):
        def __call__(self, text: str, /) -> float: ...


__all__ = [
    "COVER_SIZE",
    "CoverText",
    "cover_face",
    "cover_png",
    "cover_svg",
    "cover_text",
    "week_span",
    "wrap_title",
]

#: Width × height in pixels: Amazon's ideal e-book cover (2560 × 1600, height/width 1.6).
COVER_SIZE = (1600, 2560)
#: Bumped whenever the drawing changes, so cached covers are redrawn.
_VERSION = 2
_PAPER = (0xF4, 0xEF, 0xE6)
_INK = (0x1D, 0x2B, 0x3A)
#: Ink coverage (0–255) of the secondary lines: a lighter shade of the same ink.
_SOFT = 150
#: Where distributions put Noto Sans CJK Bold, tried before asking fontconfig (a stat is
#: cheaper than running fc-match on every weekly run).
_KNOWN_DIRS = (
    "/usr/share/fonts/opentype/noto",  # Debian, Ubuntu (fonts-noto-cjk)
    "/usr/share/fonts/google-noto-sans-cjk-vf-fonts",  # Fedora
    "/usr/share/fonts/google-noto-cjk",  # Fedora (older)
    "/usr/share/fonts/noto-cjk",  # Arch
)
#: Closing punctuation that must not start a line (a simple kinsoku rule).
_NO_START = set("，。、；：！？）」』】》〉”’,.;:!?)]}…·%")
#: a Latin word, a run of spaces or one other character; compiled where a title is wrapped
#: (``re`` keeps it): only a cover being drawn needs it, and its class of Latin letters beyond
#: ASCII cost ~0.3 ms of every re-run's start-up (issue 26)
_TOKEN = r"[A-Za-z0-9\u00C0-\u024F'’\-_.]+|\s+|."


def week_span(dates: Sequence[_dt.date]) -> str | None:
    """``2026-02-23 – 2026-03-01``: Monday of the earliest date's ISO week to Sunday of the
    latest's (None without dates) — the same all week, whichever days have digests so far."""
    if not dates:
        return None
    first, last = min(dates), max(dates)
    monday = first - _dt.timedelta(days=first.weekday())
    sunday = last + _dt.timedelta(days=6 - last.weekday())
    return f"{monday.isoformat()} – {sunday.isoformat()}"


def cover_face(lang: str) -> tuple[str, Path] | None:
    """The Noto Sans CJK Bold family for ``lang`` and the file holding it, or None.

    The family is the first sans face of the book's font table (``book.FONTS``, the headings'
    face in the EPUB and PDF), so the cover and the headings agree on the script's glyphs.
    Where a distribution puts the collection is tried first (one ``stat`` on every weekly run);
    anywhere else, the face is found by :func:`digestkit.writers.fonts.find_face`, the one
    look-up of an installed face (fontconfig, then the usual folders; found faces cached).
    """
    family = fonts_for(lang).sans[0]
    for folder in _KNOWN_DIRS:
        path = Path(folder) / "NotoSansCJK-Bold.ttc"
        if path.is_file():
            return family, path
    from .fonts import find_face  # name tables only when no known folder has the face

    face = find_face(family, "Bold")
    return (family, face.path) if face is not None else None


def _font(path: Path, family: str, size: int) -> ImageFont.FreeTypeFont:
    """``family`` at ``size`` from ``path`` (a collection: find the face by its name)."""
    from PIL import ImageFont

    index = 0
    while True:
        try:
            font = ImageFont.truetype(str(path), size, index=index)
        except OSError:
            return ImageFont.truetype(str(path), size)  # a single-face file, or not found
        if font.getname()[0] == family:
            return font
        index += 1


def wrap_title(text: str, width: float, measure: _Measure) -> list[str]:
    """``text`` broken into lines no wider than ``width``: between any two CJK characters,
    between Latin words (never inside one unless it alone is too wide), and never before
    closing punctuation (it stays at the end of the line before, as CJK typesetting does)."""
    lines: list[str] = []
    line = ""
    for tok in re.findall(_TOKEN, " ".join(text.split()), re.S):
        if not line and tok.isspace():
            continue
        if measure(line + tok) <= width or not line or tok in _NO_START:
            line += tok
            continue
        lines.append(line.rstrip())
        line = "" if tok.isspace() else tok
    if line.strip():
        lines.append(line.rstrip())
    out: list[str] = []
    for ln in lines:  # a single Latin word wider than the line: cut it by characters
        while measure(ln) > width and len(ln) > 1:
            cut = len(ln) - 1
            while cut > 1 and measure(ln[:cut]) > width:
                cut -= 1
            out.append(ln[:cut])
            ln = ln[cut:]
        out.append(ln)
    return out


def _layout_title(title: str, path: Path, family: str) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest title size (160 px down to 72) at which the title fits in four lines."""
    width = COVER_SIZE[0] - 2 * 240
    for size in (160, 140, 120, 104, 88, 72):
        font = _font(path, family, size)
        lines = wrap_title(title, width, font.getlength)
        if len(lines) <= 4:
            return font, lines
    lines = lines[:4]
    last = lines[3]
    while last and font.getlength(last + "…") > width:
        last = last[:-1]
    lines[3] = last + "…"
    return font, lines


def _draw(text: CoverText, path: Path, family: str) -> bytes:
    from PIL import Image, ImageDraw

    w, h = COVER_SIZE
    ink = Image.new("L", COVER_SIZE, 0)  # ink coverage; the palette turns it into colour
    draw = ImageDraw.Draw(ink)
    draw.rectangle((0, 0, w - 1, h - 1), outline=90, width=4)  # Amazon: edge light covers
    draw.rectangle((107, 107, w - 108, h - 108), outline=255, width=11)
    title_font, lines = _layout_title(text.title, path, family)
    step = round(title_font.size * 1.3)
    top = 1000 - step * len(lines) // 2
    for k, line in enumerate(lines):
        draw.text((w // 2, top + step * k), line, font=title_font, fill=255, anchor="mm")
    rule_y = top + step * len(lines)
    draw.line((w // 2 - 160, rule_y, w // 2 + 160, rule_y), fill=255, width=6)
    small = _font(path, family, 68)
    if text.subtitle:
        for k, line in enumerate(wrap_title(text.subtitle, w - 480, small.getlength)[:2]):
            draw.text((w // 2, rule_y + 130 + 100 * k), line, font=small, fill=_SOFT, anchor="mm")
    if text.counts:
        draw.text((w // 2, h - 380), text.counts, font=small, fill=_SOFT, anchor="mm")
    page = Image.frombytes("P", COVER_SIZE, ink.tobytes())
    palette: list[int] = []
    for level in range(256):
        a = level / 255
        palette += [round(p * (1 - a) + i * a) for p, i in zip(_PAPER, _INK, strict=True)]
    page.putpalette(palette)
    out = io.BytesIO()
    page.save(out, "PNG", compress_level=3)  # no tIME/pHYs chunks: reproducible bytes
    return out.getvalue()


def cover_png(text: CoverText, cache: _Store | None = None) -> bytes | None:
    """The cover as PNG bytes (``COVER_SIZE``), or None when no CJK font is installed.

    With ``cache``, a cover drawn before for the same text and font file is read back instead
    of drawn again (Pillow is then not even imported).
    """
    face = cover_face(text.lang)
    if face is None:
        return None
    family, path = face
    try:
        st = path.stat()
    except OSError:
        return None
    from ..cache import code_fingerprint  # an edited drawing code must not reuse old covers

    key = keyhash.hexdigest(
        repr(
            (_VERSION, code_fingerprint(), text, family, os.fspath(path), st.st_size,
             st.st_mtime_ns)
        ).encode()
    )  # fmt: skip
    key = f"cover-{key}"
    if cache is not None:
        hit = cache.get(key)
        if isinstance(hit, bytes):
            return hit
    data = _draw(text, path, family)
    if cache is not None:
        cache.put(key, data)
    return data


def cover_svg(text: CoverText, font_stack: str) -> str:
    """The cover as SVG (600 × 960, the PNG's shape): no fonts or image library needed, so it
    is the fallback when the PNG cannot be drawn. Lines are cut by character count."""
    lines = [text.title[i : i + 14] for i in range(0, len(text.title), 14)][:4]
    title = "".join(
        f'<text x="300" y="{330 + 70 * k}" font-size="52" text-anchor="middle" '
        f'font-weight="bold" fill="#1d2b3a">{escape(line)}</text>'
        for k, line in enumerate(lines)
    )
    sub = escape(text.subtitle or "")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="600" height="960" '
        f"viewBox=\"0 0 600 960\" font-family='{font_stack}'>"
        '<rect width="600" height="960" fill="#f4efe6"/>'
        '<rect x="40" y="40" width="520" height="880" fill="none" stroke="#1d2b3a" stroke-width="4"/>'
        f"{title}"
        f'<text x="300" y="{450 + 70 * len(lines)}" font-size="30" text-anchor="middle" fill="#444">{sub}</text>'
        + (
            f'<text x="300" y="830" font-size="26" text-anchor="middle" fill="#444">{escape(text.counts)}</text>'
            if text.counts
            else ""
        )
        + "</svg>\n"
    )
