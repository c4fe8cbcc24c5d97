"""The book's Noto CJK faces cut down to the characters of this run's layout, before WeasyPrint
sees them.

Why: WeasyPrint reads the whole font file of every face it draws with into memory (a Noto CJK
``.ttc`` collection is 20–27 MB: Serif Regular and Bold plus Sans Bold are 73 MB), in every
layout process, and subsets that copy again when it writes the PDF. A one-page document in the
book's three faces peaked at 215 MiB; the same page with the faces below peaks at 69 MiB, and
a 65-page chapter group at 104 MiB instead of 252 MiB, with ``write_pdf`` 0.65 s instead of
1.17 s of CPU (``benchmarks.pdf_features --sizes``, docs/benchmarks.md). The same subsetter the
EPUB's ``--embed-fonts`` uses (HarfBuzz, ~0.02 s of CPU a face) cuts each face once per run, in
the main process, into a temporary folder; every layout process gets them through its URL
fetcher (``digestkit-asset:``), never from the network or a ``file:`` URL.

How the output stays the same as with the system fonts:

- **The same glyphs**: each subset is a face of the installed file fontconfig would pick for the
  family and weight (one ``fc-list``), cut to every character of the HTML laid out in this run
  (tags and attributes too, which only adds characters) plus what CSS generates (list markers,
  ASCII digits and punctuation), with every OpenType layout feature and the vertical tables
  kept, so shaping, metrics and line breaks do not change (tested: page images and text equal
  with and without, ``tests/writers/pdf/test_faces.py``).
- **The same choice of face**: the stylesheet names ``"<family> digestkit"`` right before the
  system family in every stack (``style``), by ``:lang()`` as before — SC, TC, HK, JP, KR; a
  character not in the subset (none should be) falls on to the system family and the rest of
  the stack exactly as before. Without these rules (``PRESUBSET`` off, or a family not
  installed) the unknown names are skipped by fontconfig and nothing changes.
- **Regular and bold**: both weights of the serif and sans families are declared; a weight the
  system does not have (or only as a variable font) is left to the system family, which then
  synthesises it as before.

The rules are added to each document when it is laid out, not to the stylesheet in the chapter
groups' head, so the layout cache keys do not depend on which characters this run has: a
group laid out with last week's subsets has the same glyphs.

**Kept cuts** (a weekly book with the cache on): each face's last :data:`KEPT_CUTS` cuts are
kept in the cache (named by the face's file, index and HarfBuzz's build, and the characters),
with a list of them per face; a run whose documents have exactly the characters of one of them
takes the kept bytes instead of cutting again (~15 ms of CPU a face, ~0.06 s a run: a
twentieth of a re-run that lays out one chapter). The same input gives HarfBuzz's same bytes,
so nothing else changes; the oldest cut is deleted when a new one is kept, so the cache does
not fill with a cut per run. A run that brings new characters (a new digest's text, mostly)
cuts anew: the kept cuts serve re-runs whose characters repeat a recent run's.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..book import FONTS
from ..fonts import css_script
from ..xhtml import Asset
from .constants import ASSET_SCHEME

if TYPE_CHECKING:
    from ...cache import DocumentCache

__all__ = ["SUFFIX", "cut_faces", "installed_faces", "subset_family", "with_faces"]

#: Bumped when how a face is cut changes (the flags, the sets kept): kept cuts are then unused.
CUT_VERSION = "1"
#: How many cuts of each face are kept (a run's characters often repeat one of the last few
#: runs': a removal's contents alone, an insertion's contents and chapter).
KEPT_CUTS = 4
#: Appended to a family's name to name its subset (``"Noto Serif CJK SC digestkit"``; shown
#: as ``Noto-Serif-CJK-SC-digestkit`` by ``pdffonts``).
SUFFIX = " digestkit"
#: CSS weight → fontconfig weight of the face cut for it.
WEIGHTS = (("normal", 80), ("bold", 200))
#: What CSS may draw that is not in the HTML's text: list markers (disc, circle, square),
#: counters and footnote markers (ASCII digits, letters, ". ").
GENERATED = frozenset("•◦▪" + "".join(chr(c) for c in range(0x20, 0x7F)))

_ENTITY = re.compile(r"&#?\w+;")
_LANG = re.compile(r'\slang="([^"]+)"')


def subset_family(family: str) -> str:
    """The CSS family name of ``family``'s subset."""
    return family + SUFFIX


@functools.lru_cache(maxsize=1)
def installed_faces() -> dict[tuple[str, int], tuple[Path, int]]:
    """(family, fontconfig weight) → (file, face index) of the installed upright, normal-width,
    static faces, from one ``fc-list`` (empty without fontconfig: then nothing is cut and the
    system faces are used).

    Left out: variable fonts and their named instances (an index above 0xFFFF) — cutting one
    weight out of them is not what a subset does — and any (family, weight) that two files
    offer, since which one fontconfig would pick is then its own business.
    """
    fc = shutil.which("fc-list")
    if fc is None:
        return {}
    fmt = "%{file}\t%{index}\t%{weight}\t%{slant}\t%{width}\t%{variable}\t%{family}\n"
    try:
        out = subprocess.run([fc, "--format", fmt, ":"], capture_output=True, text=True,
                             timeout=60).stdout  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return {}
    faces: dict[tuple[str, int], tuple[Path, int] | None] = {}
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) != 7 or not all(p.isdigit() for p in parts[1:5]):
            continue
        path, index, weight, slant, width, variable, families = parts
        if int(index) > 0xFFFF or slant != "0" or width != "100" or variable != "False":
            continue
        for family in families.split(","):
            key, face = (family.strip(), int(weight)), (Path(path), int(index))
            faces[key] = face if faces.get(key, face) == face else None
    return {k: v for k, v in faces.items() if v is not None}


def _chars(htmls: Iterable[str]) -> str:
    """Every character of the documents (markup included: that only adds characters), their
    character references decoded, and what CSS generates."""
    found: set[str] = set(GENERATED)
    for h in htmls:
        found.update(h)
        if "&" in h:
            found.update(html.unescape("".join(set(_ENTITY.findall(h)))))
    return "".join(sorted(c for c in found if c >= " "))  # U+3000, U+00A0 are drawn


def _scripts(htmls: Iterable[str], lang: str) -> list[str]:
    """The ``FONTS`` keys whose faces the stylesheet may use for these documents: those of
    every ``lang`` in them (and the book's), SC for a language no ``:lang()`` rule names (the
    root's default stack)."""
    langs = {lang}
    for h in htmls:
        langs.update(_LANG.findall(h))
    return sorted({css_script(x) or "zh-Hans" for x in langs})


def _subset(path: Path, index: int, text: str) -> bytes | None:
    """Face ``index`` of ``path`` cut to ``text``, every layout feature kept (None if HarfBuzz
    cannot)."""
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(str(path)), index)
    inp = hb.SubsetInput()
    inp.sets(hb.SubsetInputSets.UNICODE).update(ord(c) for c in text)
    features = inp.sets(hb.SubsetInputSets.LAYOUT_FEATURE_TAG)
    features.clear()
    features.invert()  # all of them: shaping must not change (halt, palt, locl, vert …)
    inp.flags = hb.SubsetFlags.DESUBROUTINIZE | hb.SubsetFlags.NOTDEF_OUTLINE
    out = hb.subset(face, inp)
    data = bytes(out.blob.data) if out is not None else b""
    return data or None


@functools.lru_cache(maxsize=1)
def _subsetter_identity() -> str:
    """HarfBuzz's build as a kept cut's name holds it: the compiled module's file, size and
    modification time (``uharfbuzz`` bundles HarfBuzz), found without importing it (a run whose
    cuts are all kept needs it for nothing else)."""
    from importlib.util import find_spec

    try:
        spec = find_spec("uharfbuzz")
    except (ImportError, ValueError):
        spec = None
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        try:
            found = sorted(p for p in Path(folder).iterdir() if p.name.startswith("_harfbuzz"))
            st = found[0].stat() if found else None
        except OSError:
            continue
        if st is not None:
            return f"{found[0]}\0{st.st_size}\0{st.st_mtime_ns}"
    import uharfbuzz as hb  # another layout: its version, however it is installed

    return f"uharfbuzz {hb.__version__}"


def _face_name(path: Path, index: int) -> str | None:
    """The name of face ``index`` of ``path`` as its kept cuts' entries hold it: the file
    (path, size, modification time), the face and HarfBuzz's build (None: no such file)."""
    try:
        st = path.stat()
        where = path.resolve()
    except OSError:
        return None
    text = (
        f"{CUT_VERSION}\0{_subsetter_identity()}\0{where}\0{st.st_size}\0{st.st_mtime_ns}\0{index}"
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _cut(path: Path, index: int, text: str, cache: DocumentCache | None) -> bytes | None:
    """Face ``index`` of ``path`` cut to ``text``: a kept cut to exactly ``text``, else cut now
    (and kept, when there is a ``cache``: the face's last :data:`KEPT_CUTS` cuts, the oldest
    dropped)."""
    face = _face_name(path, index) if cache is not None else None
    if cache is None or face is None:
        return _subset(path, index, text)
    name = hashlib.sha256(f"{face}\0{text}".encode()).hexdigest() + "-pdfface"
    listed = cache.get(face + "-pdffaces")
    names = [n for n in listed if isinstance(n, str)] if isinstance(listed, tuple) else []
    kept = cache.get(name) if name in names else None
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == text:
        data: object = kept[1]
        if isinstance(data, bytes) and data:
            if names[0] != name:  # the most recently used first
                cache.put(face + "-pdffaces", (name, *(n for n in names if n != name)))
            return data
    cut = _subset(path, index, text)
    if cut is not None:
        cache.put(name, (text, cut))
        names = [name, *(n for n in names if n != name)]
        for old in names[KEPT_CUTS:]:
            with contextlib.suppress(OSError):  # a cache that cannot be written: only slower
                cache.path(old).unlink(missing_ok=True)
        cache.put(face + "-pdffaces", tuple(names[:KEPT_CUTS]))
    return cut


def cut_faces(
    htmls: Sequence[str], lang: str, folder: Path, cache: DocumentCache | None = None
) -> tuple[str, dict[str, Asset]]:
    """``@font-face`` rules naming the subsets, and the subsets (files in ``folder``) as assets.

    One subset per script the documents use × serif/sans × regular/bold, each cut to every
    character of ``htmls`` (all the documents of this run's layout). With a ``cache`` (a
    :class:`~digestkit.cache.DocumentCache`), each face's last :data:`KEPT_CUTS` cuts are kept
    and one is taken again when the characters are the same.
    """
    installed = installed_faces()
    if not installed:
        return "", {}
    text = _chars(htmls)
    rules: list[str] = []
    assets: dict[str, Asset] = {}
    for script in _scripts(htmls, lang):
        faces = FONTS[script]
        for kind, family in (("serif", faces.serif[0]), ("sans", faces.sans[0])):
            for css_weight, fc_weight in WEIGHTS:
                found = installed.get((family, fc_weight))
                if found is None:
                    continue
                try:
                    data = _cut(*found, text, cache)
                except (OSError, RuntimeError):  # unreadable file: the system face serves
                    data = None
                if data is None:
                    continue
                name = f"face-{script}-{kind}-{css_weight}"
                path = folder / f"{name}.otf"
                path.write_bytes(data)
                assets[name] = Asset(path, name)
                rules.append(
                    f'@font-face {{ font-family: "{subset_family(family)}";'
                    f' font-weight: {css_weight}; src: url("{ASSET_SCHEME}{name}"); }}'
                )
    return "\n".join(rules), assets


def with_faces(document: str, rules: str) -> str:
    """``document`` with ``rules`` at the start of its first stylesheet."""
    if not rules:
        return document
    return document.replace("<style>", f"<style>{rules}\n", 1)
