"""Fonts that travel with a book: the Noto CJK face of each script, subset to what the book uses.

A reader without CJK fonts (many e-ink devices, library apps, a fresh Linux) shows boxes where
the Chinese should be. ``epub --embed-fonts`` puts in the book the face its ``:lang()`` rules
name first — Noto Serif CJK SC/TC/HK (JP, KR) for the text, Noto Sans CJK Bold for headings —
subset to exactly the characters each one shows, and ``--font FILE`` does the same with the
user's own font files, as the PDF writer's ``--font`` does.

Why these choices:

- **Which text gets which face** is read back from the rendered XHTML with the stylesheet's own
  rules (:func:`css_script`: the last :data:`~digestkit.writers.book.FONTS` key whose ``:lang()``
  matches, else inherited), so a zh-Hant chapter's characters go to the TC face and an article
  in zh-Hans inside it to the SC face — the subset covers exactly what the reader will draw.
- **Collections**: fonts-noto-cjk ships ``.ttc`` files holding JP, KR, SC, TC and HK faces (and
  Mono in the Sans files); the face is found by its name with fontTools' ``TTCollection`` (read
  lazily: ~0.1 s for the name tables of a 26 MB collection), never by a hard-coded index.
- **HarfBuzz's subsetter** (uharfbuzz), not fontTools': on the weekly fixture book's 1,700
  characters, one Noto Serif CJK face took 0.05 s with hb-subset and 14.7 s with
  ``fontTools.subset`` (same output size, 1.2 MB). It keeps the vertical tables (``vmtx``,
  ``vhea``, ``VORG``) and the ``vert``/``vrt2`` substitutions by default, so vertical
  punctuation and corner quotes keep their vertical forms, and the copyright, trademark and
  licence names (IDs 0–7, 13, 14) the SIL Open Font License asks to travel with the font.
  The Noto faces lose ``locl`` (see :func:`subset_font`): half their glyphs, none ever drawn.
- **OpenType (CFF, ``.otf``)**, not WOFF2: OpenType is the one font format every EPUB reading
  system supports (Adobe RMSDK readers, older Kobo and Kindle conversion take no WOFF2), and
  the zip already deflates it: 1.00 MB stored vs 0.88 MB as WOFF2 for the face above, and
  0.92 MB once the CFF is desubroutinized (which is also what makes the subsetter faster).
- **Cached** by (font file, size, mtime, face, character set): a warm re-run of an unchanged
  week copies the subsets from the cache instead of subsetting again.
- **``--font`` with a collection** (:func:`user_face`): ``file.ttc#2`` takes face 2,
  ``file.ttc#Noto Sans CJK TC`` the face of that name (family, full or PostScript name); a bare
  ``file.ttc`` takes the face whose family names the book's region — ``SC``/``CN`` for zh-Hans,
  ``TC``/``TW`` for zh-Hant, ``HK``/``HC`` (then ``TC``) for Hong Kong, ``JP``/``J``, ``KR``/``K``
  (Noto's and Source Han's names), a non-Mono face first — else its first face. Always the
  same face for a book: what the user names wins over the book's language. The PDF writer
  hands WeasyPrint a file, which loads a collection's first face only: the chosen face is
  copied out whole (its tables byte for byte, :func:`face_file`) once, into the cache folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import struct
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

from .._records import field
from .._records import record as dataclass  # dataclasses' classes, no exec
from ..errors import DigestkitError, MissingDependencyError
from .book import FONTS, script_of

__all__ = [
    "EmbeddedFont",
    "FontError",
    "FontFace",
    "TextCollector",
    "css_script",
    "embed_fonts",
    "face_file",
    "find_face",
    "font_face_rules",
    "subset_font",
    "user_face",
]

#: Where fonts live when fontconfig cannot say (macOS, Windows, a minimal container).
FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "~/Library/Fonts",
    "C:/Windows/Fonts",
)
#: The name records kept in a subset: copyright, family, style, unique id, full name, version,
#: PostScript name, trademark, licence and licence URL (what the OFL asks to travel along).
NAME_IDS = (0, 1, 2, 3, 4, 5, 6, 7, 13, 14)
#: Weight of each kind of face: body text in the serif Regular, headings (bold) in the sans Bold.
KIND_STYLE = {"serif": "Regular", "sans": "Bold"}
#: Bump when the subsetting recipe changes (part of the cache key).
RECIPE = "3"


class FontError(DigestkitError):
    """A font file that cannot be embedded (missing, not OpenType/TrueType, unreadable)."""


@dataclass(frozen=True, slots=True)
class FontFace:
    """One face of an installed font file (``index``: its place in a ``.ttc`` collection)."""

    path: Path
    index: int
    name: str
    bold: bool = False


@dataclass(frozen=True, slots=True)
class EmbeddedFont:
    """A subset ready to go into the book, and how the stylesheet names it."""

    #: where it goes in the book, relative to the package document: ``fonts/serif-zh-Hant.otf``
    href: str
    #: the CSS family the stylesheet declares and puts first (``dk-serif-zh-Hant``, ``dk-user-0``)
    family: str
    data: bytes
    bold: bool = False
    #: the font it was cut from (for messages and the docs)
    source: str = ""
    #: the FONTS key (``zh-Hant``) whose stacks it heads, or None for the user's fonts (all)
    script: str | None = None
    kind: str = "serif"
    chars: frozenset[str] = field(default_factory=frozenset)


def css_script(lang: str | None) -> str | None:
    """The :data:`FONTS` key whose ``:lang()`` rule the stylesheet applies to an element of
    ``lang`` (the last one that matches wins, as in the stylesheet), or None: the element
    inherits its parent's fonts."""
    if not lang:
        return None
    low = lang.lower()
    found = None
    for key in FONTS:
        k = key.lower()
        if low == k or low.startswith(k + "-"):
            found = key
    return found


_HEADINGS = {"h1", "h2", "h3"}  # the stylesheet's sans-serif headings
_VOID = {"br", "hr", "img", "col", "wbr", "area", "source", "track", "meta", "link"}


class TextCollector(HTMLParser):
    """The characters of rendered XHTML, by the (script, kind) of the face that will draw them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chars: dict[tuple[str, str], set[str]] = {}
        self._stack: list[tuple[str, str, bool]] = []

    def feed_document(self, body: str, lang: str) -> None:
        """Collect one content document's body, written in ``lang``."""
        self._stack = [("", css_script(lang) or script_of(lang), False)]
        self.feed(body)
        self.close()
        self.reset()

    def add(self, text: str, lang: str, kind: str = "serif") -> None:
        """Text shown outside the chapters (the contents page)."""
        self.chars.setdefault((css_script(lang) or script_of(lang), kind), set()).update(
            c for c in text if not c.isspace()
        )

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        _, script, heading = self._stack[-1] if self._stack else ("", "zh-Hans", False)
        lang = dict(attrs).get("lang") or dict(attrs).get("xml:lang")
        self._stack.append((tag, css_script(lang) or script, heading or tag in _HEADINGS))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._stack) - 1, 0, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                return

    def handle_data(self, data: str) -> None:
        _, script, heading = self._stack[-1] if self._stack else ("", "zh-Hans", False)
        kind = "sans" if heading else "serif"
        self.chars.setdefault((script, kind), set()).update(c for c in data if not c.isspace())


def _candidates(family: str) -> list[Path]:
    """Font files that may hold ``family``: what fontconfig lists, else the usual folders."""
    fc = shutil.which("fc-list")
    if fc:
        try:
            out = subprocess.run([fc, "--format", "%{file}\n", f":family={family}"],
                                 capture_output=True, text=True, timeout=60).stdout  # fmt: skip
        except (OSError, subprocess.SubprocessError):
            out = ""
        found = sorted({Path(line) for line in out.splitlines() if line.strip()})
        if found:
            return found
    squeezed = family.replace(" ", "")  # NotoSerifCJKSC → files NotoSerifCJK-Regular.ttc …
    stem = squeezed[: squeezed.find("CJK") + 3] if "CJK" in squeezed else squeezed
    paths: set[Path] = set()
    for d in FONT_DIRS:
        root = Path(d).expanduser()
        if root.is_dir():
            paths.update(p for p in root.rglob(f"{stem}*") if p.suffix.lower() in
                         (".ttc", ".otc", ".otf", ".ttf"))  # fmt: skip
    return sorted(paths)


class _Names(NamedTuple):
    number: int
    family: str
    style: str
    full: str = ""
    postscript: str = ""


def _faces(path: Path) -> list[_Names]:
    """The names of every face in a font file or collection (names only)."""
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    try:
        with path.open("rb") as fh:
            tag = fh.read(4)
        if tag == b"ttcf":
            fonts = list(TTCollection(str(path), lazy=True).fonts)
        else:
            fonts = [TTFont(str(path), lazy=True)]
        out = []
        for i, font in enumerate(fonts):
            name = font["name"]
            family = name.getDebugName(16) or name.getDebugName(1) or ""
            style = name.getDebugName(17) or name.getDebugName(2) or ""
            out.append(_Names(i, family, style, name.getDebugName(4) or "",
                              name.getDebugName(6) or ""))  # fmt: skip
        return out
    except (OSError, TTLibError, KeyError, AssertionError) as exc:
        raise FontError(f"{path}: not a font file fontTools can read ({exc})") from None


#: faces found in this process. Only found faces are kept: a face that was missing (fonts not
#: installed yet, or hidden by FONTCONFIG_FILE) is looked up again next time — through the disk
#: cache, so that costs one stat per candidate — instead of staying missing for the process.
_FOUND: dict[tuple[str, str], FontFace] = {}


def find_face(family: str, style: str = "Regular") -> FontFace | None:
    """The installed face of ``family`` in ``style`` (else its Regular), or None.

    Reading the name tables costs ~0.1 s a collection, so what was found is cached by the
    candidate files' paths, sizes and times (a warm weekly run then opens no font file but the
    subsets' cache entries).
    """
    if (family, style) in _FOUND:
        return _FOUND[family, style]
    found = _find_face_cached(family, style)
    if found is not None:
        _FOUND[family, style] = found
    return found


def _find_face_cached(family: str, style: str) -> FontFace | None:
    from ..cache import DocumentCache

    candidates = _candidates(family)
    stamp = []
    for path in candidates:
        try:
            st = path.stat()
        except OSError:
            continue
        stamp.append((str(path), st.st_size, st.st_mtime_ns))
    cache = DocumentCache()
    key = cache.key(repr(stamp).encode(), "font-face", RECIPE, family, style)
    hit = cache.get(key)
    if isinstance(hit, FontFace) or hit == "none":
        return hit if isinstance(hit, FontFace) else None
    found = _find_face(candidates, family, style)
    cache.put(key, found or "none")
    return found


def _find_face(candidates: Sequence[Path], family: str, style: str) -> FontFace | None:
    for want in dict.fromkeys((style, "Regular")):
        for path in candidates:
            try:
                faces = _faces(path)
            except FontError:
                continue
            for index, fam, sty, *_ in faces:
                if fam == family and sty.lower() == want.lower():
                    return FontFace(path, index, f"{fam} {sty}", bold=want == "Bold")
    return None


#: FONTS key → the region tags collections name their faces with (Noto: ``Noto Sans CJK SC``;
#: Source Han: ``Source Han Sans HC``, ``… K``), best first
_REGIONS = {
    "zh-Hans": ("SC", "CN"),
    "zh-Hant": ("TC", "TW"),
    "zh-Hant-HK": ("HK", "HC", "TC"),
    "ja": ("JP", "J"),
    "ko": ("KR", "K"),
}


def _split_spec(spec: str | os.PathLike[str]) -> tuple[Path, str | None]:
    """``file.ttc#2`` / ``file.ttc#Face Name`` → (file, pick); a file whose name has a ``#``
    is taken whole when it exists."""
    text = os.fspath(spec)
    path = Path(text)
    if "#" in text and not path.is_file():
        file, _, pick = text.rpartition("#")
        return Path(file), pick.strip() or None
    return path, None


def _is_collection(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(4) == b"ttcf"


def user_face(spec: str | os.PathLike[str], lang: str | None = None) -> FontFace:
    """The face ``--font spec`` names: ``file``, ``file.ttc#N`` or ``file.ttc#Face Name``; a
    bare collection gives the face of ``lang``'s region, else its first (see the module doc).

    A collection's names are read once per (file, size, time, pick, region) and cached.
    """
    path, pick = _split_spec(spec)
    if not path.is_file():
        raise FontError(f"font file not found: {path}")
    try:
        collection = _is_collection(path)
    except OSError as exc:
        raise FontError(f"{path}: cannot be read ({exc.strerror})") from None
    if not collection and pick is None:  # one face: nothing to choose (no name table read)
        return FontFace(path, 0, path.name)
    from ..cache import DocumentCache

    region = _REGIONS[script_of(lang or "zh-Hans")]
    st = path.stat()
    cache = DocumentCache()
    key = cache.key(b"", "user-face", RECIPE, str(path.resolve()), st.st_size, st.st_mtime_ns,
                    pick or "", region)  # fmt: skip
    hit = cache.get(key)
    if isinstance(hit, FontFace):
        return hit
    faces = _faces(path)
    face = _pick_face(path, faces, pick, region)
    cache.put(key, face)
    return face


def _pick_face(
    path: Path, faces: list[_Names], pick: str | None, region: Sequence[str]
) -> FontFace:
    def face(n: _Names) -> FontFace:
        return FontFace(path, n.number, f"{n.family} {n.style}".strip() or path.name,
                        bold=n.style.lower() == "bold")  # fmt: skip

    if pick is None:
        for tag in region:  # the book's region, a text face (not Mono) first
            found = [n for n in faces if tag in re.split(r"[\s_-]+", n.family)]
            found.sort(key=lambda n: "Mono" in n.family)
            if found:
                return face(found[0])
        return face(faces[0])
    if pick.isdigit():
        if int(pick) < len(faces):
            return face(faces[int(pick)])
    else:
        want = pick.casefold()
        for n in faces:
            if want in {x.casefold() for x in (n.family, n.full, n.postscript,
                                                f"{n.family} {n.style}") if x}:  # fmt: skip
                return face(n)
    listed = "; ".join(f"#{n.number} {n.family} {n.style}".strip() for n in faces)
    raise FontError(f"{path}: no face {pick!r} (it has: {listed})")


def face_file(spec: str | os.PathLike[str], lang: str | None = None) -> Path:
    """A file holding just the face ``spec`` names (:func:`user_face`), for a layout engine
    that takes files (WeasyPrint loads a collection's first face): the file itself for a
    single face or a collection's first, else the face copied out of the collection once into
    ``<cache folder>/faces/`` (its tables byte for byte; ~17 MB for a Noto CJK face; counted by
    the cache's size cap and pruned least recently used first, like its entries)."""
    face = user_face(spec, lang)
    if face.index == 0:
        return face.path
    from ..cache import cache_dir

    st = face.path.stat()
    ident = f"{face.path.resolve()}\0{st.st_size}\0{st.st_mtime_ns}\0{face.index}"
    target = cache_dir() / "faces" / (hashlib.sha256(ident.encode()).hexdigest()[:32] + ".otf")
    if target.is_file():
        with contextlib.suppress(OSError):  # mtime = last use, as for the cache's entries
            os.utime(target)
        return target
    from ..textio import atomic_write

    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(target) as fh:
        fh.write(_extract(face.path, face.index))
    return target


def _extract(path: Path, index: int) -> bytes:
    """Face ``index`` of a collection as a standalone OpenType file (an sfnt of its tables)."""
    import uharfbuzz as hb

    hb_face = hb.Face(hb.Blob.from_file_path(str(path)), index)
    tables = {tag: bytes(hb_face.reference_table(tag).data) for tag in hb_face.table_tags}
    if not tables:
        raise FontError(f"{path}: face {index} has no tables")
    flavor = b"OTTO" if "CFF " in tables or "CFF2" in tables else b"\x00\x01\x00\x00"
    if "head" in tables:  # its whole-file checksum is computed again below
        tables["head"] = tables["head"][:8] + b"\0\0\0\0" + tables["head"][12:]
    n = len(tables)
    power = 1 << (n.bit_length() - 1)
    header = flavor + struct.pack(
        ">HHHH", n, power * 16, power.bit_length() - 1, n * 16 - power * 16
    )
    offset = 12 + 16 * n
    entries, body = [], []
    head_at = -1
    for tag in sorted(tables):
        data = tables[tag]
        padded = data + b"\0" * (-len(data) % 4)
        entries.append(struct.pack(">4sIII", tag.encode("latin-1"), _checksum(padded), offset,
                                   len(data)))  # fmt: skip
        body.append(padded)
        head_at = offset if tag == "head" else head_at
        offset += len(padded)
    out = bytearray(header + b"".join(entries) + b"".join(body))
    if head_at >= 0:
        struct.pack_into(">I", out, head_at + 8, (0xB1B0AFBA - _checksum(bytes(out))) & 0xFFFFFFFF)
    return bytes(out)


def _checksum(data: bytes) -> int:
    """The sfnt checksum: the sum of big-endian 32-bit words, modulo 2**32."""
    import array
    import sys

    words = array.array("I")
    assert words.itemsize == 4
    words.frombytes(data + b"\0" * (-len(data) % 4))
    if sys.byteorder == "little":
        words.byteswap()
    return sum(words) & 0xFFFFFFFF


def subset_font(path: Path, index: int, chars: Iterable[str], *, locl: bool = True) -> bytes:
    """Face ``index`` of ``path`` cut down to ``chars`` (and what shaping them needs), cached.

    ``locl=False`` drops the localised forms: a Noto CJK face already maps each character to
    its own region's glyph, and its ``locl`` lookups only lead to the other regions' (JP, KR,
    SC … forms of the same characters), which the subsetter would otherwise keep — half the
    glyphs of the weekly book's TC face (2,619 → 1,319 glyphs, 775 → 374 KB deflated).
    """
    text = "".join(sorted(set(chars)))
    try:
        st = path.stat()
    except OSError as exc:
        raise FontError(f"font file not found: {path} ({exc.strerror})") from None
    from ..cache import DocumentCache

    cache = DocumentCache()
    key = cache.key(text.encode(), "font-subset", RECIPE, str(path.resolve()), st.st_size,
                    st.st_mtime_ns, index, locl)  # fmt: skip
    hit = cache.get(key)
    if isinstance(hit, bytes):
        return hit
    data = _hb_subset(path, index, text, locl)
    cache.put(key, data)
    return data


def _hb_subset(path: Path, index: int, text: str, locl: bool = True) -> bytes:
    try:
        import uharfbuzz as hb
    except ImportError:  # pragma: no cover - a dependency of digestkit
        raise MissingDependencyError(
            "embedding fonts needs HarfBuzz's subsetter: pip install uharfbuzz"
        ) from None
    with path.open("rb") as fh:
        head = fh.read(4)
    if head not in (b"ttcf", b"OTTO", b"\x00\x01\x00\x00", b"true"):
        raise FontError(f"{path}: not an OpenType or TrueType font (WOFF cannot be subset here)")
    face = hb.Face(hb.Blob.from_file_path(str(path)), index)
    inp = hb.SubsetInput()
    inp.sets(hb.SubsetInputSets.UNICODE).update(ord(c) for c in text)
    names = inp.sets(hb.SubsetInputSets.NAME_ID)
    names.clear()
    names.update(NAME_IDS)
    # Subroutines shared across the whole CJK face save little in a small subset, and their
    # indirection hides repeats from deflate: desubroutinized, the weekly book's TC face zips to
    # 780 KB instead of 845 KB (hinting kept: it matters on low-resolution screens).
    inp.flags = hb.SubsetFlags.DESUBROUTINIZE
    if not locl:
        inp.sets(hb.SubsetInputSets.LAYOUT_FEATURE_TAG).discard(int.from_bytes(b"locl", "big"))
    out = hb.subset(face, inp)
    if out is None:
        raise FontError(f"{path}: HarfBuzz could not subset face {index}")
    data = bytes(out.blob.data)
    if not data:
        raise FontError(f"{path}: face {index} is empty after subsetting")
    return data


def _suffix(data: bytes) -> str:
    return ".otf" if data[:4] == b"OTTO" else ".ttf"


def embed_fonts(
    chars: Mapping[tuple[str, str], set[str]],
    *,
    noto: bool = True,
    user_fonts: Sequence[str | Path] = (),
    lang: str | None = None,
) -> list[EmbeddedFont]:
    """The subsets a book needs: the user's fonts (every character of the book; a collection's
    face picked by :func:`user_face` for the book's ``lang``), then one Noto face per (script,
    kind) that has text (``chars`` from :class:`TextCollector`)."""
    out: list[EmbeddedFont] = []
    everything = set().union(*chars.values()) if chars else set()
    for n, f in enumerate(user_fonts):
        mine = user_face(f, lang)
        data = subset_font(mine.path, mine.index, everything)
        out.append(EmbeddedFont(f"fonts/user-{n}{_suffix(data)}", f"dk-user-{n}", data,
                                source=f"{mine.path}#{mine.index} ({mine.name})",
                                chars=frozenset(everything)))  # fmt: skip
    if not noto:
        return out
    for script, kind in sorted(chars):
        used = chars[(script, kind)]
        if not used:
            continue
        faces = FONTS[script]
        family = (faces.serif if kind == "serif" else faces.sans)[0]
        face = find_face(family, KIND_STYLE[kind])
        if face is None:
            raise MissingDependencyError(
                f"cannot embed {family!r}: it is not installed (apt-get install fonts-noto-cjk), "
                "or pass your own font files with --font"
            )
        data = subset_font(face.path, face.index, used, locl=False)
        out.append(EmbeddedFont(
            f"fonts/{kind}-{script}{_suffix(data)}", f"dk-{kind}-{script}", data,
            bold=face.bold, source=f"{face.path}#{face.index} ({face.name})",
            script=script, kind=kind, chars=frozenset(used),
        ))  # fmt: skip
    return out


def font_face_rules(fonts: Sequence[EmbeddedFont], prefix: str = "../") -> list[str]:
    """``@font-face`` rules for ``fonts`` (``prefix``: from the stylesheet to the package)."""
    rules = []
    for f in fonts:
        fmt = "opentype" if f.href.endswith(".otf") else "truetype"
        weight = "bold" if f.bold else "normal"
        rules.append(
            f'@font-face {{ font-family: "{f.family}"; font-style: normal; font-weight: {weight};'
            f' src: url("{prefix}{f.href}") format("{fmt}"); }}'
        )
    return rules
