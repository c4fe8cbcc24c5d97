"""Vertical EPUB (``--vertical``): prefixed properties, numbers set upright (tate-chu-yoko for
one or two digits, digit by digit for longer ones), corner quotes — and what Chromium lays out."""

from __future__ import annotations

import json
import re
import subprocess
import warnings
import zipfile
from html import unescape
from pathlib import Path

import digestkit
from digestkit.ast import Document, Heading, Meta, Paragraph, Text
from digestkit.writers.epub import stylesheet
from digestkit.writers.xhtml import vertical_text
from tests.conftest import FIXTURES, epubcheck, require_tool


def test_short_numbers_combine_long_ones_stand_upright():
    assert vertical_text("2026年3月12日") == (
        '<span class="upright">2026</span>年<span class="tcy">3</span>月'
        '<span class="tcy">12</span>日'
    )
    assert vertical_text("約3,000人，10:30開會") == (
        '約<span class="upright">3,000</span>人，<span class="upright">10:30</span>開會'
    )


def test_numbers_in_latin_phrases_stay_with_them():
    for text in ("iPhone 16發表", "GPT-4與COVID-19", "https://a.example/2026/01", "A1 B22"):
        assert "<span" not in vertical_text(text), text


def test_corner_quotes_and_escaping():
    assert vertical_text("“創世計畫”與‘長期’") == "「創世計畫」與『長期』"
    assert vertical_text("Trump’s plan") == "Trump’s plan"  # an apostrophe is no quote
    assert vertical_text("<b>與5") == '&lt;b&gt;與<span class="tcy">5</span>'


def test_vertical_stylesheet_has_every_prefix():
    css = stylesheet(vertical=True)
    for prop in ("-epub-writing-mode: vertical-rl", "-webkit-writing-mode: vertical-rl",
                 "writing-mode: vertical-rl", "-webkit-text-orientation: mixed",
                 "text-orientation: mixed", "text-combine-upright: all",
                 "-webkit-text-combine: horizontal", "-epub-text-combine: horizontal",
                 "-webkit-text-orientation: upright", "text-orientation: upright"):  # fmt: skip
        assert prop in css, prop
    flat = stylesheet()
    assert "writing-mode" not in flat and ".tcy" not in flat
    assert "-webkit-line-break: strict" in flat


def _doc() -> Document:
    text = "2026年3月12日，美國發表“創世計畫”，投入約3,000億美元。iPhone 16同日上市。"
    return Document(
        meta=Meta(title="直排測試", lang="zh-Hant-TW"),
        blocks=(
            Heading(level=2, children=(Text(text="第12屆會議"),)),
            *(Paragraph(children=(Text(text=text),)) for _ in range(6)),
        ),
    )


def test_numbers_are_marked_in_vertical_books_only(tmp_path):
    doc = _doc()
    flat = digestkit.dump(doc, tmp_path / "h.epub")
    tall = digestkit.dump(doc, tmp_path / "v.epub", vertical=True)
    with zipfile.ZipFile(flat) as zf:
        h = zf.read("EPUB/chapter-001.xhtml").decode()
    with zipfile.ZipFile(tall) as zf:
        v = zf.read("EPUB/chapter-001.xhtml").decode()
    assert "<span" not in h and "“創世計畫”" in h
    assert '<span class="tcy">12</span>' in v and "「創世計畫」" in v and "“" not in v
    assert epubcheck(tall) == []


def test_cached_chapters_are_not_shared_between_horizontal_and_vertical(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        digestkit.weekly(FIXTURES, tmp_path / "h.epub", progress=False)
        digestkit.weekly(FIXTURES, tmp_path / "v.epub", progress=False, vertical=True)
    with zipfile.ZipFile(tmp_path / "v.epub") as zf:
        v = "".join(zf.read(n).decode() for n in zf.namelist() if "chapter-" in n)
    assert v.count('class="tcy"') > 10 and v.count('class="upright"') > 5


_PROBE = """<script>
//<![CDATA[
document.fonts.ready.then(function () {
  function box(sel) {
    var e = document.querySelector(sel), r = e.getBoundingClientRect(), cs = getComputedStyle(e);
    return {text: e.textContent, left: r.left, right: r.right, width: r.width, height: r.height,
            em: parseFloat(cs.fontSize), combine: cs.textCombineUpright,
            orientation: cs.textOrientation};
  }
  var faces = {};
  document.fonts.forEach(function (f) { faces[f.family.replace(/"/g, "")] = f.status; });
  var root = document.documentElement;
  document.body.setAttribute("data-probe", JSON.stringify({
    mode: getComputedStyle(root).writingMode, width: root.clientWidth,
    p: box("p:not(.dateline)"), tcy: box("p .tcy"), upright: box("p .upright"), faces: faces
  }));
});
//]]>
</script>"""


def _chromium_probe(page: Path) -> dict:
    """Lay ``page`` out in headless Chromium and return what the probe script measured."""
    exe = require_tool("chromium")
    probe = page.with_name("probe.xhtml")
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", _PROBE + "</body>"),
                     encoding="utf-8")  # fmt: skip
    dom = subprocess.run(
        [exe, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=10000",
         "--window-size=800,1000", "--dump-dom", probe.as_uri()],
        capture_output=True, text=True, timeout=180,
    ).stdout  # fmt: skip
    found = re.search(r'data-probe="([^"]*)"', dom)
    assert found, dom[-2000:]
    result: dict = json.loads(unescape(found.group(1)))
    return result


def test_chromium_lays_the_chapter_out_in_columns(tmp_path):
    """Real layout: right-to-left columns, one-em tate-chu-yoko, upright years, and the
    embedded TC subset is the face Chromium loads."""
    book = digestkit.dump(_doc(), tmp_path / "v.epub", vertical=True, embed_fonts=True)
    with zipfile.ZipFile(book) as zf:
        zf.extractall(tmp_path / "book")
    got = _chromium_probe(tmp_path / "book" / "EPUB" / "chapter-001.xhtml")
    assert got["mode"] == "vertical-rl"
    p = got["p"]
    assert p["height"] > 8 * p["width"]  # a column, not a line
    assert p["right"] > got["width"] / 2  # the first column stands on the right
    tcy = got["tcy"]
    assert tcy["text"] == "3" and tcy["combine"] == "all"
    two = got["upright"]
    assert two["text"] == "2026" and two["orientation"] == "upright"
    assert two["height"] > 3.5 * two["em"]  # four digits down the column (sideways: ~2.2 em)
    assert got["faces"].get("dk-serif-zh-Hant") == "loaded"
