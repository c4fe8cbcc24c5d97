"""The PDF's print stylesheet and its fonts: page boxes, CJK faces by ``:lang()``, book
typography — and the check that the CJK faces it names are installed."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from ...errors import MissingDependencyError
from ..book import FONTS, script_of
from .constants import ASSET_SCHEME, LINE_HEIGHT, PAGE_MARGINS, PAPERS
from .faces import subset_family

__all__ = ["check_fonts", "stylesheet"]


def check_fonts(langs: Sequence[str], extra_fonts: Sequence[Path] = ()) -> None:
    """Fail early, naming the font and the package, when a needed CJK face is missing."""
    if extra_fonts:
        return
    fc = shutil.which("fc-list")
    if fc is None:
        raise MissingDependencyError("fontconfig's fc-list is missing: apt-get install fontconfig")
    installed = subprocess.run(
        [fc, ":", "family"], capture_output=True, text=True, timeout=60
    ).stdout
    for script in sorted({script_of(x) for x in langs}):
        serif = FONTS[script].serif[0]
        if serif not in installed:
            raise MissingDependencyError(
                f"no CJK font for {script}: {serif!r} is not installed "
                "(apt-get install fonts-noto-cjk), or pass your own font files with --font"
            )


def _font_faces(fonts: Sequence[Path]) -> str:
    rules = []
    for n in range(len(fonts)):
        rules.append(
            f'@font-face {{ font-family: "digestkit-user-{n}"; src: url("{ASSET_SCHEME}font-{n}"); }}'
        )
    return "\n".join(rules)


def _cut(family: str) -> str:
    """``family`` in a font stack, after its subset (``faces``): the subset draws what it has,
    the installed family the rest; where no subset is declared, fontconfig skips the name."""
    return f'"{subset_family(family)}", "{family}"'


def stylesheet(paper: str, fonts: Sequence[Path], part: str = "body") -> str:
    """Print CSS: page boxes, CJK fonts by ``:lang()``, book typography.

    ``part`` is ``"front"`` (title page and contents: no running header, no page number) or
    ``"body"`` (chapters: the chapter title as running header). Page numbers are not laid out
    by WeasyPrint: chapters are laid out in separate documents, so the numbers are stamped on
    when the parts are joined (``join``). Margin boxes never change the page area, so the
    text is laid out exactly as in one document.

    Every CJK family is named after its subset (``faces``), whose ``@font-face`` rules are
    added per run, outside this stylesheet (see ``faces``).
    """
    user = ", ".join(f'"digestkit-user-{n}"' for n in range(len(fonts)))
    user = user + ", " if user else ""
    size = PAPERS.get(paper, "A5")
    if part == "front":
        page = f"@page {{ size: {size}; margin: {PAGE_MARGINS}; }}"
    else:
        page = (
            f"@page {{ size: {size}; margin: {PAGE_MARGINS};"
            " @top-center { content: string(chapter); font-size: 8pt; color: #666; } }"
        )
    rules = [
        _font_faces(fonts),
        page,
        f'html {{ font-family: {user}"Noto Serif", {_cut("Noto Serif CJK SC")}, serif; font-size: 10.5pt; line-height: {LINE_HEIGHT}; }}',
        "body { text-align: justify; word-break: normal; overflow-wrap: break-word; }",
        "h1, h2, h3, h4 { line-height: 1.35; text-align: left; break-after: avoid; }",
        "h1 { string-set: chapter content(); break-before: page; font-size: 18pt; bookmark-level: 1; }",
        "h2 { font-size: 14pt; bookmark-level: 2; } h3 { font-size: 12pt; bookmark-level: 3; }",
        "h4, h5, h6 { bookmark-level: none; }",
        ".footnote { float: footnote; font-size: 8pt; line-height: 1.4; text-align: left; }",
        "::footnote-call { content: counter(footnote); font-size: 0.7em; vertical-align: super;"
        " line-height: 0; }",
        "::footnote-marker { content: counter(footnote) '. '; }",
        ".admonition { border-left: 3pt solid #888; background: #f4f4f4; padding: 0.2em 0.8em;"
        " margin: 0.8em 0; break-inside: avoid; }",
        ".admonition-title { font-weight: bold; margin: 0.3em 0; }",
        ".admonition-warning, .admonition-danger, .admonition-caution { border-color: #c60; }",
        "figure { margin: 0.8em 0; text-align: center; } figcaption { font-size: 0.85em; color: #555; }",
        ".titlepage { text-align: center; padding-top: 35%; }",
        # centred like the page's dateline and count (the h1 rule above sets headings left)
        ".titlepage h1 { break-before: auto; string-set: none; bookmark-level: none; font-size: 24pt;"
        " text-align: center; }",
        ".toc { break-before: page; } .toc h1 { bookmark-level: none; string-set: none; }",
        ".toc ol { list-style: none; padding: 0; } .toc li { margin: 0.25em 0; }",
        ".toc ol ol { padding-left: 1.5em; font-size: 0.92em; }",
        ".toc a { color: inherit; text-decoration: none; }",
        # The page number's place: at the right margin, on the entry's last line. It is laid
        # out hidden and the number is stamped in when known (build_pdf), so the contents are
        # laid out once, alongside the chapters. No dot leaders: WeasyPrint's leader() made a
        # 2,500-entry contents take 28 s instead of 8 s.
        ".toc .e { position: relative; padding-right: 2.6em; }",
        ".toc .pn { position: absolute; right: 0; bottom: 0; visibility: hidden; }",
        "p { margin: 0.45em 0; orphans: 2; widows: 2; }",
        "a { color: #1a4d8f; }",
        "blockquote { margin: 0.6em 1.2em; color: #444; }",
        "pre { white-space: pre-wrap; font-size: 8.5pt; background: #f5f5f5; padding: 0.5em; }",
        'code { font-family: "Noto Sans Mono CJK SC", monospace; font-size: 0.9em; }',
        "table { border-collapse: collapse; margin: 0.6em 0; } th, td { border: 0.5pt solid #999; padding: 0.15em 0.4em; }",
        ".caption, .byline, .dateline { font-size: 0.85em; color: #555; }",
        ".caption { text-align: center; } img { max-width: 100%; }",
        # WeasyPrint lays out no ruby: the reading follows its base, smaller, in the <rp>
        # parentheses its UA sheet would hide — 明月(めいげつ), never 明月めいげつ
        "rp { display: inline; } rt { font-size: 0.6em; }",
    ]
    for lang, faces in FONTS.items():
        serif, sans = faces.serif[0], faces.sans[0]
        rules.append(f':lang({lang}) {{ font-family: {user}"Noto Serif", {_cut(serif)}, serif; }}')
        rules.append(
            f':lang({lang}) h1, :lang({lang}) h2, :lang({lang}) h3 {{ font-family: {user}"Noto Sans", {_cut(sans)}, sans-serif; }}'
        )
    return "\n".join(rules)
