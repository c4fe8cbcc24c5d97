"""The raster cover (writers/cover.py): drawn with the real Noto CJK faces, reproducible, cached,
declared as the EPUB's cover image and shown on its cover page; SVG only without a CJK font."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import warnings
import zipfile

import pytest

import digestkit
from digestkit.ast import Document, Meta, Paragraph, Text
from digestkit.cache import DocumentCache
from digestkit.writers import cover, fonts
from digestkit.writers.cover import (
    COVER_SIZE,
    cover_face,
    cover_png,
    cover_text,
    week_span,
    wrap_title,
)

from ..conftest import FIXTURES, epubcheck, need_module, require

PIL = need_module("PIL.Image")  # a runtime dependency: always there after ./run setup


def _face(lang: str) -> None:
    require(cover_face(lang) is not None, "Noto Sans CJK (apt-get install fonts-noto-cjk)")


def _image(data: bytes):
    img = PIL.open(io.BytesIO(data))
    img.load()
    return img


def _weekly(out, env_epoch="1700000000"):
    import os

    os.environ["SOURCE_DATE_EPOCH"] = env_epoch
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return digestkit.weekly(FIXTURES, out, progress=False)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def test_weekly_cover_is_a_declared_png_shown_on_the_cover_page(tmp_path):
    _face("zh-Hans")
    out = _weekly(tmp_path / "w.epub")
    with zipfile.ZipFile(out) as zf:
        opf = zf.read("EPUB/content.opf").decode()
        page = zf.read("EPUB/cover.xhtml").decode()
        png = zf.read("EPUB/cover.png")
        names = zf.namelist()
    item = re.search(r'<item id="cover-img" href="cover.png" media-type="image/png" '
                     r'properties="cover-image"/>', opf)  # fmt: skip
    assert item, opf
    assert '<meta name="cover" content="cover-img"/>' in opf  # EPUB 2 readers, Kindle
    assert '<img src="cover.png"' in page
    assert "EPUB/cover.svg" not in names  # the SVG is only the no-font fallback
    img = _image(png)
    assert img.format == "PNG" and img.size == COVER_SIZE
    # the cover carries ink: title, rule and lines are drawn (not a blank page)
    assert len(img.getcolors(256) or []) > 20
    assert epubcheck(out) == []


def test_cover_bytes_are_reproducible(tmp_path, monkeypatch):
    _face("zh-Hans")
    a = _weekly(tmp_path / "a.epub").read_bytes()
    # a cold second build (fresh cache): the cover is drawn again, byte for byte the same
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cold"))
    b = _weekly(tmp_path / "b.epub").read_bytes()
    assert a == b
    text = cover_text("每周摘要 2026-W09", "2026-02-23 – 2026-03-01", 48, 5, "zh-Hans")
    assert cover_png(text) == cover_png(text)


def test_face_follows_the_script():
    _face("zh-Hans")
    assert cover_face("zh-Hans")[0] == "Noto Sans CJK SC"
    assert cover_face("zh-Hant-TW")[0] == "Noto Sans CJK TC"
    assert cover_face("zh-Hant-HK")[0] == "Noto Sans CJK HK"
    assert cover_face("ja")[0] == "Noto Sans CJK JP"
    # and the glyphs really differ: 骨 has a mainland and a Taiwan form
    sc = _image(cover_png(cover_text("骨", None, 1, 1, "zh-Hans")))
    tc = _image(cover_png(cover_text("骨", None, 1, 1, "zh-Hant-TW")))
    assert sc.tobytes() != tc.tobytes()
    same = _image(cover_png(cover_text("骨", None, 1, 1, "zh-Hant")))
    assert same.tobytes() == tc.tobytes()


def _width(s: str) -> float:
    return float(len(s))


def test_wrap_keeps_every_character_and_the_rules():
    title = "美國總統宣布對進口商品加徵關稅，全球股市應聲下跌 Apple Microsoft Nvidia earnings"
    lines = wrap_title(title, 12, _width)
    assert len(lines) > 2
    assert "".join(lines).replace(" ", "") == title.replace(" ", "")
    assert all(len(ln) <= 13 for ln in lines)  # 12, plus a closing mark hung at the end
    assert not any(ln[0] in "，。、）」" for ln in lines)
    words = [w for ln in lines for w in ln.split()]
    assert {"Apple", "Microsoft", "Nvidia", "earnings"} <= set(words)  # no word cut
    assert wrap_title("Supercalifragilistic", 8, _width) == ["Supercal", "ifragili", "stic"]


def test_long_titles_fit_in_four_lines_with_an_ellipsis():
    _face("zh-Hans")
    font, lines = cover._layout_title("很长的标题" * 40, *reversed(cover_face("zh-Hans")))
    assert len(lines) == 4 and lines[-1].endswith("…")
    assert all(font.getlength(ln) <= COVER_SIZE[0] - 480 for ln in lines)
    font, lines = cover._layout_title("每周摘要", *reversed(cover_face("zh-Hans")))
    assert lines == ["每周摘要"] and font.size == 160


def test_cached_cover_is_read_back_without_drawing(tmp_path):
    _face("zh-Hans")
    store = DocumentCache(tmp_path)
    text = cover_text("缓存", "2026-W09", 3, 1, "zh-Hans")
    first = cover_png(text, store)
    assert store.misses == 1 and store.hits == 0
    assert cover_png(text, store) == first and store.hits == 1
    other = cover_png(cover_text("缓存", "2026-W10", 3, 1, "zh-Hans"), store)
    assert other != first and store.misses == 2  # another week: another key


def test_edited_code_does_not_reuse_a_cached_cover(tmp_path, monkeypatch):
    from digestkit import cache

    _face("zh-Hans")
    store = DocumentCache(tmp_path)
    text = cover_text("缓存", "2026-W09", 3, 1, "zh-Hans")
    cover_png(text, store)
    monkeypatch.setattr(cache, "code_fingerprint", lambda root=None: "edited code")
    cover_png(text, store)
    assert store.hits == 0 and store.misses == 2  # drawn again by the edited code


def test_warm_weekly_run_does_not_import_pillow(tmp_path):
    """The weekly re-run reads the cached cover: Pillow is never imported."""
    _face("zh-Hans")
    code = (
        "import sys, warnings, digestkit\n"
        "warnings.simplefilter('ignore')\n"
        f"digestkit.weekly({str(FIXTURES)!r}, {str(tmp_path / 'w.epub')!r}, progress=False)\n"
        "print('PIL' in sys.modules)\n"
    )
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env=env, check=True).stdout.strip() for _ in range(2)]  # fmt: skip
    assert runs == ["True", "False"]


def test_without_a_cjk_font_the_cover_is_svg(tmp_path, monkeypatch):
    # the real fontconfig, told to know no fonts at all
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><fontconfig><cachedir>'
                    f"{tmp_path}/fc</cachedir></fontconfig>")  # fmt: skip
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    monkeypatch.setattr(cover, "_KNOWN_DIRS", ())
    monkeypatch.setattr(fonts, "FONT_DIRS", ())  # the one face look-up's folders: none either
    assert cover_face("zh-Hans") is None
    doc = Document(meta=Meta(title="无字体", lang="zh-Hans"),
                   blocks=(Paragraph(children=(Text(text="正文"),)),))  # fmt: skip
    with pytest.warns(UserWarning, match="fonts-noto-cjk"):
        out = digestkit.dump(doc, tmp_path / "svg.epub")
    with zipfile.ZipFile(out) as zf:
        opf = zf.read("EPUB/content.opf").decode()
        svg = zf.read("EPUB/cover.svg").decode()
        page = zf.read("EPUB/cover.xhtml").decode()
        nav = zf.read("EPUB/nav.xhtml").decode()
    assert 'href="cover.svg" media-type="image/svg+xml" properties="cover-image"' in opf
    assert "无字体" in svg and '<img src="cover.svg"' in page
    # the counts are on the contents page, not on the cover (see test_cover_stays_all_week)
    assert "篇" not in svg and '<p class="dateline">1 篇 · 1 期</p>' in nav
    assert epubcheck(out) == []


def test_importing_the_epub_writer_does_not_import_pillow():
    code = "import sys, digestkit, digestkit.writers.epub, digestkit.writers.cover\nprint('PIL' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _digest(folder, day: str, n: int) -> None:
    (folder / f"{day}.md").write_text(
        f"---\ntitle: 第{n}期\ndate: {day}\nlang: zh-Hans\n---\n\n## 新闻{n}\n\n正文第{n}条。\n",
        encoding="utf-8",
    )


def test_week_span_runs_monday_to_sunday():
    import datetime as dt

    assert week_span([dt.date(2026, 2, 25)]) == "2026-02-23 – 2026-03-01"
    assert week_span([dt.date(2026, 3, 1), dt.date(2026, 2, 23)]) == "2026-02-23 – 2026-03-01"
    assert week_span([dt.date(2026, 2, 23), dt.date(2026, 3, 2)]) == "2026-02-23 – 2026-03-08"
    assert week_span([]) is None


def test_cover_stays_all_week_and_the_counts_move_to_the_contents(tmp_path):
    """The daily re-run of a week's book finds its cover in the cache: the cover shows the
    title and the week, not the day span or the counts, which change with every digest (they
    are on the contents page). A digest of the next week changes the cover."""
    _face("zh-Hans")
    arch = tmp_path / "arch"
    arch.mkdir()
    _digest(arch, "2026-02-23", 1)
    _digest(arch, "2026-02-25", 2)
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin",
           "SOURCE_DATE_EPOCH": "1700000000"}  # fmt: skip
    code = (
        "import sys, warnings, digestkit\n"
        "warnings.simplefilter('ignore')\n"
        f"digestkit.weekly({str(arch)!r}, sys.argv[1], progress=False)\n"
        "print('PIL' in sys.modules)\n"
    )

    def build(name: str) -> tuple[str, bytes, str]:
        out = tmp_path / name
        run = subprocess.run([sys.executable, "-c", code, str(out)], capture_output=True,
                             text=True, env=env, check=True)  # fmt: skip
        with zipfile.ZipFile(out) as zf:
            png = zf.read("EPUB/cover.png")
            nav = zf.read("EPUB/nav.xhtml").decode()
        return run.stdout.strip(), png, nav

    drew, first, nav = build("a.epub")
    assert drew == "True"
    assert '<p class="dateline">2026-02-23 – 2026-02-25 · 2 篇 · 2 期</p>' in nav
    _digest(arch, "2026-03-01", 3)  # Sunday of the same ISO week
    drew, second, nav = build("b.epub")
    assert drew == "False" and second == first  # read back from the cache, not drawn
    assert '<p class="dateline">2026-02-23 – 2026-03-01 · 3 篇 · 3 期</p>' in nav
    _digest(arch, "2026-03-02", 4)  # the next week: the cover says so
    drew, third, _ = build("c.epub")
    assert drew == "True" and third != first
    assert epubcheck(tmp_path / "c.epub") == []
