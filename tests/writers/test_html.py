"""The html writer: one self-contained page, checked in a real browser (Debian's chromium).

The weekly page of the fixtures is opened in headless Chromium (``tests/browser.py``, the
DevTools protocol over a pipe): no console errors, no request but the file itself, and its
visible text equals the EPUB's — the same archive's EPUB, its cover, contents and chapters
opened in the same browser. Without chromium these tests skip on a developer machine and fail
under ``CI=true`` (``conftest.require_tool``).

``DIGESTKIT_SCREENSHOTS=docs/img`` makes the weekly test write the screenshots shown in
``docs/weekly.md``.
"""

from __future__ import annotations

import os
import re
import threading
import warnings
import zipfile
from http.server import HTTPServer
from pathlib import Path

import pytest

import digestkit
from digestkit.ast import Document, Image, Meta, Paragraph, Text
from digestkit.cli import main
from digestkit.writers.book import FONTS
from digestkit.writers.html import page_stylesheet
from tests.browser import open_page, open_pages
from tests.conftest import FIXTURES, ROOT, require, require_tool

DATA = ROOT / "tests" / "data"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)  # fmt: skip


@pytest.fixture
def browser_ok():
    require_tool("chromium")


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def _norm(text: str) -> str:
    """Visible text with every run of white space as one space (line breaks differ between
    one page and separate files only in how many there are)."""
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def weekly_pair(tmp_path_factory):
    """The fixtures' weekly book as one HTML page and as EPUB (same archive, same epoch)."""
    out = tmp_path_factory.mktemp("weekly")
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1772000000"
    try:
        page = _quiet(digestkit.weekly, FIXTURES, out / "weekly.html", progress=False, cache=False)
        epub = _quiet(digestkit.weekly, FIXTURES, out / "weekly.epub", progress=False, cache=False)
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH")
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    return page, epub


_SECTIONS = (
    "Array.from(document.querySelectorAll('section.chapter')).map(s => s.innerText)"
)  # fmt: skip
_BROKEN_LINKS = (
    "Array.from(document.querySelectorAll('a[href^=\"#\"]'))"
    ".filter(a => !document.getElementById(decodeURIComponent(a.hash.slice(1))))"
    ".map(a => a.getAttribute('href'))"
)
_DUPLICATE_IDS = (
    "(() => { const seen = new Set(), dup = []; for (const e of document.querySelectorAll('[id]'))"
    " { if (seen.has(e.id)) dup.push(e.id); seen.add(e.id); } return dup; })()"
)


def test_weekly_page_in_chromium_equals_the_epub(weekly_pair, tmp_path, browser_ok):
    page, epub = weekly_pair
    shots = os.environ.get("DIGESTKIT_SCREENSHOTS")
    report = open_page(page, evaluate={"chapters": _SECTIONS, "broken": _BROKEN_LINKS,
                       "dups": _DUPLICATE_IDS, "toc": "document.querySelector('nav.toc').innerText",
                       "masthead": "document.querySelector('header').innerText"},
                       screenshot=bool(shots))  # fmt: skip
    assert report.errors == []
    assert report.requests == [report.url]  # nothing fetched but the page itself
    assert report.values["broken"] == [] and report.values["dups"] == []

    # the EPUB, unpacked, in the same browser: cover (SVG text), contents (nav) and chapters
    folder = tmp_path / "epub"
    with zipfile.ZipFile(epub) as zf:
        zf.extractall(folder)
        spine = sorted(n for n in zf.namelist() if re.search(r"chapter-\d+\.xhtml$", n))
        opf = zf.read("EPUB/content.opf").decode()
        svg = zf.read("EPUB/cover.svg").decode() if "EPUB/cover.svg" in zf.namelist() else None
        dateline = re.search(r'<p class="dateline">([^<]*)</p>',
                             zf.read("EPUB/nav.xhtml").decode()).group(1)  # fmt: skip
    reports = open_pages([folder / "EPUB" / "nav.xhtml", *(folder / n for n in spine)])
    assert all(r.errors == [] for r in reports)
    nav, chapters = reports[0].text, [r.text for r in reports[1:]]

    assert len(report.values["chapters"]) == len(chapters) == 5
    for got, want in zip(report.values["chapters"], chapters, strict=True):
        assert _norm(got) == _norm(want)
    # the EPUB's contents page opens with the dateline (dates · N 篇 · M 期), then the contents
    assert _norm(nav).startswith(_norm(dateline) + " ")
    nav = _norm(nav).removeprefix(_norm(dateline))
    assert _norm(report.values["toc"]) == _norm(nav)
    # the masthead says what the EPUB's contents page opens with, under the title; the cover
    # shows the title and the weeks covered. The cover is a PNG when a CJK font is installed
    # (its text unreadable here), else an SVG (compared whole)
    masthead = report.values["masthead"]
    title = re.search(r"<dc:title[^>]*>([^<]*)</dc:title>", opf).group(1)
    assert masthead.startswith(title) and _norm(masthead).endswith(f" · {len(chapters)} 期")
    assert _norm(masthead) == _norm(f"{title} {dateline.replace(' · ', ' ', 1)}")
    if svg is not None:
        svg_text = _norm(" ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg)))
        assert svg_text.startswith(title) and "期" not in svg_text
    # the whole visible page is exactly masthead + contents + chapters: nothing else shows
    whole = " ".join([masthead, nav, *chapters])
    assert _norm(report.text) == _norm(whole)

    if shots:
        Path(shots, "weekly-html.png").write_bytes(report.screenshot or b"")
        dark = open_page(page, screenshot=True, dark=True, scroll_to="#c3")
        Path(shots, "weekly-html-dark.png").write_bytes(dark.screenshot or b"")


def test_the_browser_check_sees_errors_and_requests(tmp_path, browser_ok):
    """The harness itself can fail: a page with a script error and a remote image is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><p>正文</p><img src="http://example.invalid/x.png">'
                   '<script>console.error("boom"); undefinedCall();</script>', encoding="utf-8")  # fmt: skip
    report = open_page(bad)
    assert "http://example.invalid/x.png" in report.requests
    assert any("boom" in e for e in report.errors)
    assert any("undefinedCall" in e or "exception" in e for e in report.errors)
    assert report.text.strip() == "正文"


HOSTILE = (
    "# 标题\n\n"
    '<div onclick="steal()">卡片<script>alert(1)</script><iframe src="https://x.org"></iframe>'
    '<form action="/x"><input name="a"></form><a href="javascript:alert(1)">坏链接</a>'
    '<img src="https://example.org/remote.png" alt="远程图" onerror="alert(3)">'
    "<style>body{display:none}</style></div>\n\n"
    "[文件](file:///etc/passwd) [脚本](javascript:alert(2)) [数据](data:text/html,<b>x</b>)\n\n"
    "![本地图](pic.png) ![越界图](../secret.png)\n"
)


def test_sanitised_and_offline_like_the_epub(tmp_path, browser_ok):
    inside = tmp_path / "in"
    inside.mkdir()
    (inside / "pic.png").write_bytes(PNG)
    (tmp_path / "secret.png").write_bytes(b"not for you")
    doc = digestkit.loads(HOSTILE, "markdown")
    with pytest.warns(UserWarning):
        out = digestkit.dump(doc, tmp_path / "h.html", base_dir=inside)
    body = out.read_text(encoding="utf-8")
    body = body[body.index("<body>") :]
    for bad in ("<script", "onclick", "onerror", "<iframe", "<form", "<input", "javascript:",
                "file:", "data:text", "<style", "secret", 'src="https://example.org'):  # fmt: skip
        assert bad not in body, bad
    assert "data:image/png;base64," in body  # the local image travels inside the page
    report = open_page(out, evaluate={"img": "document.querySelector('img').naturalWidth"})
    assert report.errors == [] and report.requests == [report.url]
    assert report.values["img"] == 1  # the embedded image decodes
    assert "卡片" in report.text and "坏链接" in report.text and "远程图" in report.text


def test_footnotes_shortcodes_and_links_on_one_page(tmp_path, browser_ok):
    src = DATA / "notes_and_shortcodes.md"
    doc = _quiet(digestkit.load, src)
    out = _quiet(digestkit.dump, doc, tmp_path / "n.html", base_dir=src.parent)
    html = out.read_text(encoding="utf-8")
    assert 'role="doc-noteref"' in html and 'role="doc-footnote"' in html
    assert "epub:type" not in html and "xml:lang" not in html and "{{<" not in html
    assert 'class="admonition' in html
    report = open_page(out, evaluate={"broken": _BROKEN_LINKS, "dups": _DUPLICATE_IDS})
    assert report.errors == [] and report.requests == [report.url]
    assert report.values == {"broken": [], "dups": []}


def test_links_between_digests_stay_on_the_page(tmp_path, browser_ok):
    from tests.test_weekly_links import _archive

    archive = _archive(tmp_path / "site")
    out = _quiet(digestkit.weekly, archive, tmp_path / "w.html", progress=False, cache=False)
    html = out.read_text(encoding="utf-8")
    assert ".xhtml" not in html
    assert 'href="#c2-chapter-title"' in html and 'href="#c2-第二節"' in html
    report = open_page(out, evaluate={"broken": _BROKEN_LINKS, "dups": _DUPLICATE_IDS})
    assert report.errors == [] and report.values == {"broken": [], "dups": []}


_FONT = "getComputedStyle(document.querySelector('{}')).fontFamily"


def test_fonts_by_lang_dark_mode_and_print(weekly_pair, browser_ok):
    page, _ = weekly_pair
    probes = {
        "hans": _FONT.format('section.chapter[lang="zh-Hans"] p'),
        "hant": _FONT.format('section.chapter[lang^="zh-Hant"] p'),
        "head": _FONT.format('section.chapter[lang^="zh-Hant"] h1'),
        "bg": "getComputedStyle(document.documentElement).backgroundColor",
        "toc_break": "getComputedStyle(document.querySelector('nav.toc')).breakAfter",
    }
    light, dark, printed = (
        open_page(page, evaluate=probes),
        open_page(page, evaluate=probes, dark=True),
        open_page(page, evaluate=probes, media="print"),
    )
    assert light.values["hans"].startswith('"Noto Serif CJK SC"')
    assert light.values["hant"].startswith('"Noto Serif CJK TC"')
    assert light.values["head"].startswith('"Noto Sans CJK TC"')
    assert light.values["bg"] != dark.values["bg"]
    assert light.values["toc_break"] != "page" and printed.values["toc_break"] == "page"


def test_an_article_in_another_script_gets_its_own_lang_and_fonts(tmp_path, browser_ok):
    """One digest (one chapter, as the weekly book makes of a prose digest) holding articles in
    two scripts and English: each article section carries its ``lang`` and gets its fonts."""
    from digestkit.ast import Article, ArticleMeta
    from digestkit.writers.book import Book, Chapter
    from digestkit.writers.html import build_html

    def para(text):
        return Paragraph(children=(Text(text=text),))

    doc = Document(meta=Meta(title="合集", lang="zh-Hans"), blocks=(
        Article(meta=ArticleMeta(title="简体文章"), blocks=(para("这是简体中文的正文。"),)),
        Article(meta=ArticleMeta(title="繁體文章", lang="zh-Hant-HK"), blocks=(para("這是香港繁體。"),)),
        Article(meta=ArticleMeta(title="English", lang="en"), blocks=(para("Plain English."),)),
    ))  # fmt: skip
    out = tmp_path / "a.html"
    out.write_text(build_html(Book(title="合集", lang="zh-Hans", chapters=[Chapter(doc=doc)])),
                   encoding="utf-8")  # fmt: skip
    probes = {
        "langs": "Array.from(document.querySelectorAll('section.article p'))"
        ".map(p => p.closest('[lang]').lang)",
        "fonts": "Array.from(document.querySelectorAll('section.article p'))"
        ".map(p => getComputedStyle(p).fontFamily.split(',')[0])",
    }
    report = open_page(out, evaluate=probes)
    assert report.errors == [] and len(report.values["langs"]) == 3
    assert report.values["langs"] == ["zh-Hans", "zh-Hant-HK", "en"]
    # English falls back to the book's stack (whose CJK faces carry Latin), as in the EPUB
    assert report.values["fonts"] == ['"Noto Serif CJK SC"', '"Noto Serif CJK HK"',
                                      '"Noto Serif CJK SC"']  # fmt: skip


FONT_FILE = Path(
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
)  # fonts-dejavu-core (fontconfig)


def test_user_fonts_travel_inside_the_page(tmp_path, capsys, browser_ok):
    from digestkit.errors import DigestkitError

    require(FONT_FILE.is_file(), str(FONT_FILE))
    doc = Document(meta=Meta(title="字体 Fonts", lang="zh-Hans"),
                   blocks=(Paragraph(children=(Text(text="Latin text 和中文。"),)),))  # fmt: skip
    out = digestkit.dump(doc, tmp_path / "f.html", fonts=(str(FONT_FILE),))
    html = out.read_text(encoding="utf-8")
    assert "@font-face" in html and "data:font/ttf;base64," in html
    assert len(html) < FONT_FILE.stat().st_size / 4  # a subset, not the 700 KB font
    probes = {
        "family": "getComputedStyle(document.querySelector('main p')).fontFamily",
        "loaded": "document.fonts.ready.then(() => Array.from(document.fonts)"
        ".map(f => f.family + ':' + f.status))",
    }
    report = open_page(out, evaluate=probes)
    assert report.errors == [] and report.requests == [report.url]  # the CSP lets data: fonts in
    assert re.match(r'"?dk-user-0"?, "Noto Serif CJK SC"', report.values["family"])
    assert "dk-user-0:loaded" in report.values["loaded"]
    # not in e-mail: clients load no fonts, so the option is refused, not dropped
    with pytest.raises(DigestkitError, match="mail clients load no fonts"):
        digestkit.dumps(doc, "html", email=True, fonts=(str(FONT_FILE),))
    with pytest.raises(DigestkitError, match="not an option of the eml format"):
        digestkit.dump(doc, tmp_path / "f.eml", fonts=(str(FONT_FILE),))
    assert main(["convert", str(DATA / "notes_and_shortcodes.md"), "-o", str(tmp_path / "g.eml"),
                 "--font", str(FONT_FILE)]) == 2  # fmt: skip
    assert "eml format" in capsys.readouterr().err and not (tmp_path / "g.eml").exists()


def test_stylesheet_covers_every_script_of_the_book_model():
    css = page_stylesheet()
    for fonts in FONTS.values():
        assert fonts.stack("serif") in css and fonts.stack("sans") in css
    assert ":lang(zh-TW)" in css and "prefers-color-scheme: dark" in css and "@media print" in css


def test_remote_images_embedded_only_with_allow_network(tmp_path):
    from tests.writers.test_epub import _Counter as _EpubCounter

    class _Counter(_EpubCounter):  # its own count: the EPUB test counts from zero
        hits = 0

    server = HTTPServer(("127.0.0.1", 0), _Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/a.png"
        doc = Document(meta=Meta(title="图", lang="zh-Hans"),
                       blocks=(Paragraph(children=(Image(url=url, alt=(Text(text="远程"),)),)),))  # fmt: skip
        with pytest.warns(UserWarning, match="remote image not fetched"):
            off = digestkit.dumps(doc, "html")
        assert _Counter.hits == 0 and f'href="{url}"' in off and "<img" not in off
        on = digestkit.dumps(doc, "html", allow_network=True)
        assert _Counter.hits == 1
        assert '<img src="data:image/png;base64,' in on and url not in on  # fetched, then inside
    finally:
        server.shutdown()


# --------------------------------------------------------------------------- e-mail variant


def test_email_variant_has_no_style_element_and_is_600px(weekly_pair, tmp_path, browser_ok):
    page, _ = weekly_pair
    out = _quiet(digestkit.weekly, FIXTURES, tmp_path / "mail.html", email=True,
                 progress=False, cache=False)  # fmt: skip
    html = out.read_text(encoding="utf-8")
    assert "<style" not in html and "<link" not in html
    body = html[html.index("<body") :]
    # every element the page styles by class carries its style itself
    for m in re.finditer(r'<(\w+)[^>]*class="(byline|dateline|chapter|footnotes)"[^>]*>', body):
        assert 'style="' in m.group(0), m.group(0)
    assert not re.search(r"<(section|nav|header|main|aside)\b", body)
    assert re.search(r"<img[^>]*https?://", body) is None  # remote images are links
    assert "Noto Serif CJK TC" in body and "Noto Serif CJK SC" in body  # both scripts' fonts
    probes = {
        "width": "document.querySelector('td[lang]').getBoundingClientRect().width",
        "font": _FONT.format('div.chapter[lang^="zh-Hant"] p'),
    }
    report = open_page(out, evaluate=probes, width=1200)
    assert report.errors == [] and report.requests == [report.url]
    assert report.values["width"] <= 600
    assert report.values["font"].startswith('"Noto Serif CJK TC"')
    # the same words as the web page
    web = open_page(page)
    assert _norm(report.text) == _norm(web.text)


def test_email_hotlinks_remote_images_only_with_allow_network(tmp_path):
    url = "http://127.0.0.1:9/never.png"  # nothing listens: a fetch would warn
    doc = Document(meta=Meta(title="图", lang="zh-Hans"),
                   blocks=(Paragraph(children=(Image(url=url, alt=(Text(text="远程"),)),)),))  # fmt: skip
    with pytest.warns(UserWarning, match="remote image not fetched"):
        off = digestkit.dumps(doc, "html", email=True)
    assert f'<a class="remote-image" href="{url}"' in off and "<img" not in off
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "could not fetch": nothing was fetched
        on = digestkit.dumps(doc, "html", email=True, allow_network=True)
    assert re.search(f'<img src="{re.escape(url)}" alt="远程" style="[^"]*max-width:100%', on)


# --------------------------------------------------------------------------- command line


def test_convert_and_formats_on_the_command_line(tmp_path, capsys):
    src = FIXTURES / "000_809134cfa5bf5e1a.txt"
    out = tmp_path / "x.html"
    assert main(["-q", "convert", str(src), "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html
    assert main(["-q", "convert", str(src), "-o", str(tmp_path / "m.html"), "--email"]) == 0
    assert "<style" not in (tmp_path / "m.html").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["convert", str(src), "-o", str(tmp_path / "x.epub"), "--email"]) == 2
    assert "--email is not an option of the epub format" in capsys.readouterr().err
    assert main(["weekly", str(FIXTURES), "-o", str(tmp_path / "w.txt")]) == 2
    assert ".html or .eml" in capsys.readouterr().err
    assert main(["formats"]) == 0
    rows = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert "write" in rows["html"] and "read" in rows["html"] and ".html" in rows["html"]
    assert "write" in rows["eml"] and ".eml" in rows["eml"] and "read" not in rows["eml"]


def test_the_html_reader_reads_the_page_back(tmp_path):
    doc = _quiet(digestkit.load, FIXTURES / "002_de1fd9c93946e42d.txt")
    out = _quiet(digestkit.dump, doc, tmp_path / "r.html")
    back = _quiet(digestkit.load, out)
    from digestkit.ast import plain_text

    def words(text: str) -> str:
        return re.sub(r"\s+", "", text)

    for para in re.findall(r"<p>([^<]{12,})</p>", out.read_text(encoding="utf-8"))[:20]:
        import html as _html

        assert words(_html.unescape(para)) in words(plain_text(back))
