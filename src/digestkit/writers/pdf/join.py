"""Join separately laid-out PDF parts into one book with pikepdf (qpdf).

The front matter and the chapter groups are laid out as separate WeasyPrint documents (in
parallel, see ``render``). What a single document would have had across the parts is
restored here:

- **page numbers**: stamped on every chapter page with the page-number font's own digits, taken
  from a tiny WeasyPrint probe page (so the font is embedded and subset like every other);
- **links**: internal links were written as ``digestkit-goto:ANCHOR`` URIs; each becomes a real
  PDF destination (page + position) from the anchors every part reported;
- **outline**: rebuilt from every part's bookmarks with global page numbers;
- **metadata**: title, author and dates come with the front part; ``/Lang`` is set from the book.

pikepdf (qpdf, C++) rather than pypdf (pure Python, used by the tests to read PDFs): it copies
pages between files, keeps the annotations and writes object streams natively; joining,
stamping and writing a 1,306-page book takes ~1.5 s of the 45 s.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote

from ..._records import record as dataclass  # dataclasses' classes, no exec
from .constants import CHAPTER_REF, GOTO, LINE_HEIGHT, NUMBER_BASELINE, NUMBER_SIZE
from .render import Rendered

__all__ = ["Piece", "join"]

_BY_NUMBER = re.compile(rf"^{CHAPTER_REF}(\d+)-(.*)$", re.S)


def _digits(probe: Any) -> tuple[Any, dict[str, bytes], dict[str, float]]:
    """From the probe page ("0123456789" in the page-number font): the font object, each digit's
    glyph code and each digit's advance (in text-space units / 1000)."""
    import pikepdf

    page = probe.pages[0]
    font_name: Any = None
    codes = b""
    for instruction in pikepdf.parse_content_stream(page):
        operands, op = instruction.operands, str(instruction.operator)
        if op == "Tf":
            font_name = operands[0]
        elif op == "Tj":
            codes += bytes(operands[0])
        elif op == "TJ":
            codes += b"".join(bytes(x) for x in operands[0] if isinstance(x, pikepdf.String))
    if font_name is None or len(codes) % 10:
        raise ValueError("page-number probe: unexpected content")
    width = len(codes) // 10  # bytes per glyph: 2 for WeasyPrint's Identity-H fonts
    font = page.obj.Resources.Font[font_name]
    glyphs = {str(d): codes[d * width : (d + 1) * width] for d in range(10)}
    widths = _widths(font)
    default = (
        float(font.DescendantFonts[0].get("/DW", 1000)) if "/DescendantFonts" in font else 1000.0
    )
    advance = {d: widths.get(int.from_bytes(g, "big"), default) for d, g in glyphs.items()}
    return font, glyphs, advance


def _widths(font: Any) -> dict[int, float]:
    """CID → width from a CID font's ``/W`` array (``c [w1 w2 …]`` and ``c1 c2 w`` forms)."""
    out: dict[int, float] = {}
    if "/DescendantFonts" not in font:
        return out
    w = list(font.DescendantFonts[0].get("/W", []))
    i = 0
    while i < len(w):
        first = int(w[i])
        nxt = w[i + 1]
        if isinstance(nxt, int) or not hasattr(nxt, "__len__"):
            last, value = int(nxt), float(w[i + 2])
            for c in range(first, last + 1):
                out[c] = value
            i += 3
        else:
            for k, value in enumerate(nxt):
                out[first + k] = float(value)
            i += 2
    return out


class _Stamper:
    """Writes digits into pages with the page-number font's own glyphs (from the probe)."""

    def __init__(self, pdf: Any, probe_pdf: bytes) -> None:
        import pikepdf

        probe = pikepdf.open(io.BytesIO(probe_pdf))
        font, self.glyphs, self.advance = _digits(probe)
        # the font's ascent and descent (em), as WeasyPrint laid it out (from Pango's metrics)
        described = font.DescendantFonts[0] if "/DescendantFonts" in font else font
        descriptor = described.get("/FontDescriptor")
        self.ascent = float(descriptor.Ascent) / 1000 if descriptor is not None else 0.8
        self.descent = -float(descriptor.Descent) / 1000 if descriptor is not None else 0.2
        self.font = pdf.copy_foreign(font)
        self.pdf = pdf
        self.pending: dict[int, list[str]] = {}

    def width(self, label: str, size: float) -> float:
        return sum(self.advance[d] for d in label) / 1000 * size

    def baseline(self, top: float, bottom: float) -> tuple[float, float]:
        """The baseline and font size of one line of digits in a box from ``top`` to ``bottom``
        (one ``LINE_HEIGHT`` high): the half-leading above the ascent, as CSS lays it out."""
        size = (top - bottom) / LINE_HEIGHT
        leading = (LINE_HEIGHT - self.ascent - self.descent) * size
        return top - leading / 2 - self.ascent * size, size

    def add(self, index: int, x: float, y: float, size: float, label: str) -> None:
        """Queue ``label`` (digits) on page ``index`` with its baseline starting at (x, y)."""
        code = b"".join(self.glyphs[d] for d in label).hex()
        self.pending.setdefault(index, []).append(
            f"{size:g} Tf 1 0 0 1 {x:.2f} {y:.2f} Tm <{code}> Tj"
        )

    def write(self) -> None:
        """Each page's digits in a stream of its own after the page's content, which is fenced
        in ``q`` … ``Q`` (it may leave the graphics state changed).

        WeasyPrint gives all pages of a part one resource dictionary, so the number font is
        named in it once, not once a page (pikepdf's ``add_resource`` would add a fresh name
        per page: 400 entries for one font in a 400-page book); the opening ``q`` is one
        stream every page shares."""
        import pikepdf

        opening = self.pdf.make_stream(b"q\n")
        names: dict[tuple[int, int], pikepdf.Name] = {}  # shared resource dict → the font's name
        for index, texts in self.pending.items():
            page = self.pdf.pages[index]
            resources = page.obj.get("/Resources")
            shared = resources is not None and resources.is_indirect
            name = names.get(resources.objgen) if shared else None
            if name is None:
                name = page.add_resource(self.font, pikepdf.Name.Font, prefix="DkPn")
                if shared:
                    names[resources.objgen] = name
            body = "\n".join(f"{name} {t}" for t in texts)
            stream = f"q BT 0 g\n{body}\nET Q"
            page.contents_add(opening, prepend=True)
            page.contents_add(self.pdf.make_stream(b"\nQ\n" + stream.encode()), prepend=False)


def _page_numbers(stamper: _Stamper, first: int) -> None:
    """1-based page numbers, counting the front pages, centred at the foot of each page from
    index ``first`` on (where the single-document layout had its bottom-centre margin box)."""
    for i in range(first, len(stamper.pdf.pages)):
        box = [float(v) for v in stamper.pdf.pages[i].mediabox]
        label = str(i + 1)
        x = (box[0] + box[2]) / 2 - stamper.width(label, NUMBER_SIZE) / 2
        stamper.add(i, x, box[1] + NUMBER_BASELINE, NUMBER_SIZE, label)


def _fix_links(pdf: Any, anchors: dict[str, tuple[int, float, float]], tags: Sequence[str]) -> None:
    """``digestkit-goto:`` URI links → destinations; links to unknown anchors are dropped.

    A link to another chapter by number (``n3-x``) goes to chapter 3's ``<tag>-x``."""
    import pikepdf

    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if annots is None:
            continue
        keep = pikepdf.Array()
        for annot in annots:
            action = annot.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if not uri.startswith(GOTO):
                keep.append(annot)
                continue
            # WeasyPrint percent-encodes the (often Chinese) anchor name in the URI
            name = unquote(uri.removeprefix(GOTO))
            if m := _BY_NUMBER.match(name):
                n = int(m.group(1))
                name = f"{tags[n - 1]}-{m.group(2)}" if 0 < n <= len(tags) else ""
            target = anchors.get(name)
            if target is None:
                continue  # as WeasyPrint does with a link to a missing anchor
            index, x, y = target
            annot.Dest = pikepdf.Array([pdf.pages[index].obj, pikepdf.Name.XYZ, x, y, 0])
            del annot["/A"]
            keep.append(annot)
        page.obj.Annots = keep


def _outline(pdf: Any, bookmarks: Sequence[tuple[int, str, int, float, float]]) -> None:
    import pikepdf

    with pdf.open_outline() as outline:
        outline.root.clear()
        stack: list[tuple[int, list[Any]]] = [(0, outline.root)]
        for level, label, page, x, y in bookmarks:
            item = pikepdf.OutlineItem(label, page, pikepdf.PageLocation.XYZ, left=x, top=y)
            while stack[-1][0] >= level:
                stack.pop()
            stack[-1][1].append(item)
            stack.append((level, item.children))


@dataclass(frozen=True)
class Piece:
    """Pages ``first`` up to ``end`` of a laid-out part (whole chapters: a stored group's
    chapters are taken out of it one by one when the book no longer has them all)."""

    part: Rendered
    first: int
    end: int


def join(
    front: Rendered,
    pieces: Sequence[Piece | Rendered],
    *,
    lang: str,
    probe_pdf: bytes,
    contents: Sequence[tuple[int, float, float, float, str]] = (),
    tags: Sequence[str] = (),
) -> bytes:
    """One PDF: the front part, then every piece; numbers, links and outline across them.

    ``contents``: page numbers for the contents pages, as (front page index, right edge x,
    top y, bottom y, number): the box of the number's place, one line high. ``tags``: each
    chapter's id prefix, in book order (for links to a chapter by its number).
    """
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(front.pdf))
    anchors = dict(front.anchors)
    bookmarks = list(front.bookmarks)
    opened: dict[int, Any] = {}  # one open file per part: qpdf copies its shared objects once
    for piece in pieces:
        if isinstance(piece, Rendered):
            piece = Piece(piece, 0, piece.pages)
        part, first, end = piece.part, piece.first, piece.end
        offset = len(pdf.pages) - first
        src = opened.get(id(part))
        if src is None:
            # qpdf copies lazily: keep the source open until saved
            src = opened[id(part)] = pikepdf.open(io.BytesIO(part.pdf))
        pdf.pages.extend(src.pages[first:end])
        for name, (p, x, y) in part.anchors.items():
            if first <= p < end:
                anchors.setdefault(name, (p + offset, x, y))
        bookmarks.extend((lv, label, p + offset, x, y) for lv, label, p, x, y in part.bookmarks
                         if first <= p < end)  # fmt: skip
    if "/Names" in pdf.Root and "/Dests" in pdf.Root.Names:
        del pdf.Root.Names["/Dests"]  # the front part's named destinations: not used any more
    stamper = _Stamper(pdf, probe_pdf)
    _page_numbers(stamper, front.pages)
    for index, right, top, bottom, label in contents:  # right-aligned, as laid out
        baseline, size = stamper.baseline(top, bottom)
        stamper.add(index, right - stamper.width(label, size), baseline, size, label)
    stamper.write()
    _fix_links(pdf, anchors, tags)
    _outline(pdf, bookmarks)
    pdf.Root.Lang = pikepdf.String(lang)
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    for src in opened.values():
        src.close()
    return out.getvalue()
