"""The html reader: pandoc's HTML of the seeds reads back to the seeds' text; structure, metadata,
footnotes, articles, boilerplate, e-mail, charsets and hostile input.

HTML here is either produced by real tools (pandoc from pypandoc-binary, Hugo, Python's e-mail
generator) or small pages written for the test that imitate patterns seen on news sites.
"""

from __future__ import annotations

import json
import subprocess
import warnings
import zipfile
from email.message import EmailMessage
from email.utils import format_datetime

import pytest

import digestkit
from digestkit import frontmatter
from digestkit.ast import (
    Article,
    BlockQuote,
    BulletList,
    Caption,
    CodeBlock,
    Document,
    Emphasis,
    Heading,
    HtmlBlock,
    HtmlInline,
    Image,
    Link,
    Note,
    OrderedList,
    Paragraph,
    Table,
    plain_text,
    walk,
)
from digestkit.errors import DigestkitError, ParseError
from digestkit.readers.html import READER, html_to_blocks, read_html
from tests.conftest import SEEDS, need_module, require_tool

pypandoc = need_module("pypandoc")


def _visible(doc: Document) -> str:
    """The text a reader sees: article titles included, raw HTML blocks rendered as HTML shows."""

    def expand(node):
        if isinstance(node, HtmlBlock):
            inner = html_to_blocks(node.text)
            return BlockQuote(blocks=inner) if inner else node
        return node

    doc = walk(doc, expand)
    parts = []
    for b in doc.blocks:
        if isinstance(b, Article):
            if b.meta.title:
                parts.append(b.meta.title)
            parts.extend(plain_text(x) for x in b.blocks)
        else:
            parts.append(plain_text(b))
    return "\n".join(p for p in parts if p)


def _pandoc_html(markdown: str, *extra: str) -> bytes:
    html = pypandoc.convert_text(
        markdown,
        "html",
        format="commonmark+pipe_tables+strikeout",
        extra_args=["--wrap=preserve", *extra],
    )
    return html.encode("utf-8")


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_pandoc_html_of_each_seed_reads_to_the_seed_text(seed):
    """Oracle: pandoc's HTML writer. Markdown seeds go in as written; prose seeds go in as the
    Markdown digestkit writes for them (article titles become headings)."""
    text = seed.read_text(encoding="utf-8")
    doc = digestkit.loads(text, path=str(seed))
    markdown = (
        text if doc.meta.front_matter is not None else digestkit.dumps(doc, format="markdown")
    )
    if frontmatter.detect(markdown):
        markdown = frontmatter.split(markdown).body
    got = READER.read(_pandoc_html(markdown), path="seed.html")
    expected = _visible(doc)
    assert len(expected) > 1000
    assert _visible(got) == expected


def test_pandoc_structure_maps_node_for_node():
    md = (
        "# Title\n\nSome *emphasis* and **strong** and ~~gone~~ and `code` and a "
        '[link](https://example.org "t").\n\n- one\n- two\n\n3. three\n4. four\n\n'
        "> quoted\n\n```python\nx = 1\n```\n\n| a | b |\n|--:|:--|\n| 1 | 2 |\n\n"
        "![alt text](img.png)\n\n---\n"
    )
    got = READER.read(_pandoc_html(md), path="x.html")
    want = digestkit.loads(md, format="markdown")
    # Node for node the Markdown reader's tree.
    assert [type(b) for b in got.blocks] == [type(b) for b in want.blocks]
    assert got.blocks[1:] == want.blocks[1:]
    assert isinstance(got.blocks[0], Heading) and got.blocks[0] == want.blocks[0]


def test_pandoc_footnotes_become_notes():
    md = "Claim one[^a] and two[^b].\n\n[^a]: First *note*.\n[^b]: Second note.\n"
    html = pypandoc.convert_text(md, "html", format="markdown", extra_args=["--wrap=preserve"])
    doc = READER.read(html.encode(), path="x.html")
    assert len(doc.blocks) == 1  # the footnotes section is gone from the body
    notes = [c for c in doc.blocks[0].children if isinstance(c, Note)]
    assert [plain_text(n) for n in notes] == ["First note.", "Second note."]
    assert notes[0].blocks[0].children[1] == Emphasis(
        children=(notes[0].blocks[0].children[1].children)
    )
    assert "↩" not in plain_text(doc)


def test_hugo_footnotes_become_notes(tmp_path):
    hugo = require_tool("hugo")
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "t"\n')
    (site / "layouts" / "_default" / "single.html").write_text(
        '<!doctype html><html lang="zh-Hans"><head><title>{{ .Title }}</title></head>'
        "<body><article>{{ .Content }}</article></body></html>"
    )
    (site / "content" / "post.md").write_text(
        "+++\ntitle = '新闻'\n+++\n正文有注释[^1]。\n\n[^1]: 来源：新华社。\n", encoding="utf-8"
    )
    subprocess.run([hugo, "--quiet", "-s", str(site)], check=True, capture_output=True)
    page = site / "public" / "post" / "index.html"
    doc = READER.read(page.read_bytes(), path=str(page))
    assert doc.meta.title == "新闻" and doc.meta.lang == "zh-Hans"
    para = doc.blocks[0]
    assert isinstance(para, Paragraph)
    note = next(c for c in para.children if isinstance(c, Note))
    assert plain_text(note) == "来源：新华社。" and note.label == "1"
    rest = [c for c in para.children if not isinstance(c, Note)]
    assert "".join(plain_text(c) for c in rest) == "正文有注释。"
    assert "footnote" not in plain_text(doc) and "↩" not in plain_text(doc)


PAGE = """<!doctype html>
<html lang="zh-Hant"><head><meta charset="utf-8">
<title>晶片出口管制 - 範例新聞網</title>
<meta name="description" content="美國放寬晶片出口。">
<meta name="author" content="王小明">
<meta name="keywords" content="AI, 晶片，出口管制">
<meta property="og:title" content="晶片出口管制">
<meta property="og:image" content="https://example.org/cover.jpg">
<meta property="og:site_name" content="範例新聞網">
<meta property="article:published_time" content="2026-02-26T08:00:00+08:00">
<link rel="canonical" href="https://example.org/news/1">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
 {"@type":"WebSite","name":"x"},
 {"@type":"NewsArticle","headline":"LD 標題","author":[{"@type":"Person","name":"LD 作者"}],
  "dateModified":"2026-02-27T09:30:00Z"}]}</script>
<style>p{color:red}</style>
</head>
<body onload="steal()">
<header class="site-header"><a href="/">首頁</a><a href="/tech">科技</a></header>
<nav><ul><li><a href="/a">政治</a></li><li><a href="/b">財經</a></li></ul></nav>
<main>
<article>
<h1>晶片出口管制</h1>
<p>美國政府本週宣布<strong>放寬</strong>對中國的晶片出口限制<a href="javascript:alert(1)">（詳情）</a>。</p>
<p onclick="evil()">Nvidia 與 AMD 將可出口部分產品。<img src="x.png" onerror="evil()" alt="圖表"></p>
<figure><img src="chip.jpg" alt="晶片"><figcaption>（圖源：example.org）</figcaption></figure>
<script>document.write("不應出現")</script>
<p style="display:none">隱藏的預覽文字</p>
</article>
</main>
<aside>熱門文章</aside>
<footer><a href="/about">關於我們</a> © 2026</footer>
</body></html>
"""


def test_page_metadata_from_meta_open_graph_and_json_ld():
    doc = read_html(PAGE, path="p.html", strategy="page")
    m = doc.meta
    assert m.title == "晶片出口管制"  # og:title over <title> (which carries the site name)
    assert m.lang == "zh-Hant" and m.author == "王小明" and m.description == "美國放寬晶片出口。"
    assert m.tags == ("AI", "晶片", "出口管制")
    assert m.date.isoformat() == "2026-02-26T08:00:00+08:00"
    assert m.lastmod.isoformat() == "2026-02-27T09:30:00+00:00"
    assert (
        m.source == "https://example.org/news/1"
        and m.cover_image == "https://example.org/cover.jpg"
    )
    assert m.extra["og:site_name"] == "範例新聞網"


def test_json_ld_fills_what_meta_tags_lack():
    html = PAGE.replace('<meta name="author" content="王小明">', "").replace(
        '<meta property="og:title" content="晶片出口管制">', ""
    )
    m = read_html(html, strategy="page").meta
    assert m.author == "LD 作者" and m.title == "LD 標題"


def test_page_keeps_main_content_and_drops_furniture_scripts_and_hidden_text():
    doc = read_html(PAGE, path="p.html", strategy="page")
    text = plain_text(doc)
    for kept in (
        "美國政府本週宣布放寬對中國的晶片出口限制（詳情）。",
        "Nvidia 與 AMD",
        "（圖源：example.org）",
    ):
        assert kept in text
    for dropped in (
        "首頁",
        "政治",
        "熱門文章",
        "關於我們",
        "不應出現",
        "隱藏的預覽文字",
        "color:red",
    ):
        assert dropped not in text
    dumped = json.dumps(doc.to_dict(), ensure_ascii=False)
    assert "evil" not in dumped and "steal" not in dumped and "javascript" not in dumped
    assert Caption in {type(b) for b in doc.blocks}
    images = [
        c
        for b in doc.blocks
        if isinstance(b, Paragraph)
        for c in b.children
        if isinstance(c, Image)
    ]
    assert [i.url for i in images] == ["x.png", "chip.jpg"]


def test_reader_auto_strategy_on_a_furnished_page():
    doc = READER.read(PAGE.encode("utf-8"), path="p.html")
    text = plain_text(doc)
    assert "Nvidia 與 AMD" in text and "政治" not in text and "關於我們" not in text


def test_several_articles_become_articles_a_lone_article_fills_the_document():
    body = "".join(
        f'<article lang="{lang}"><header><h2>{title}</h2><p class="byline">'
        f'<a rel="author" href="/u">{author}</a></p></header><p>{text * 20}</p>'
        f'<a rel="tag" href="/t/ai">AI</a></article>'
        for lang, title, author, text in (
            ("zh-Hans", "第一篇", "甲", "内容一。"),
            ("zh-Hant", "第二篇", "乙", "內容二。"),
        )
    )
    doc = READER.read(f"<!doctype html><html><body>{body}</body></html>".encode(), path="d.html")
    arts = list(doc.articles())
    assert [a.meta.title for a in arts] == ["第一篇", "第二篇"]
    assert [a.meta.author for a in arts] == ["甲", "乙"]
    assert [a.meta.lang for a in arts] == ["zh-Hans", "zh-Hant"]
    assert arts[0].meta.tags == ("AI",)
    assert "內容二。" in plain_text(arts[1]) and "第二篇" not in plain_text(arts[1])

    one = READER.read(
        b"<!doctype html><html><body><article><h1>Only</h1><p>text</p></article></body></html>",
        path="one.html",
    )
    assert one.meta.title == "Only" and not list(one.articles())
    assert one.blocks == (Paragraph(children=(digestkit.ast.Text(text="text"),)),)


MALFORMED = {
    "<p><b>1<i>2</b>3</i>4</p>": "1234",
    "<p>one<p>two": "one\ntwo",
    "<ul><li>a<li>b</ul><p>c": "a\nb\nc",
    "<table><tr><td>a</td></tr>x</table>": "x\na",
    "<p>a<div>b</div>c</p>": "a\nb\nc",
    "<h1>a<h2>b</h2></h1>": "a\nb",
    "<table><tr><td>a<td>b<tr><td>c<td>d</table>": "a\nb\nc\nd",
}


@pytest.mark.parametrize("markup", MALFORMED, ids=range(len(MALFORMED)))
def test_malformed_markup_reads_as_a_browser_shows_it(markup):
    doc = READER.read(f"<!doctype html><body>{markup}".encode(), path="m.html")
    assert plain_text(doc) == MALFORMED[markup]


def test_lists_tables_code_and_quotes():
    html = (
        "<ol start=3><li><p>x</p><ul><li>y</li></ul></li></ol>"
        "<table><tr><th align=center>k</th><th>v</th></tr><tr><td>1</td><td><b>2</b></td></tr></table>"
        "<pre>  keep   spaces\n</pre><blockquote>q <em>e</em></blockquote>"
    )
    blocks = html_to_blocks(html)
    ol, table, code, quote = blocks
    assert isinstance(ol, OrderedList) and ol.start == 3 and not ol.tight
    assert isinstance(ol.items[0].blocks[1], BulletList)
    assert isinstance(table, Table) and table.aligns == ("center", "")
    assert plain_text(table.rows[0][1]) == "2"
    assert code == CodeBlock(text="  keep   spaces\n")
    assert isinstance(quote, BlockQuote) and plain_text(quote) == "q e"


def test_layout_tables_of_newsletters_are_read_as_blocks():
    html = (
        '<table role="presentation"><tr><td><h2>本期要聞</h2><p>第一段。</p></td></tr>'
        "<tr><td><table><tr><td><p>第二段。</p></td></tr></table></td></tr></table>"
    )
    blocks = html_to_blocks(html)
    assert [type(b) for b in blocks] == [Heading, Paragraph, Paragraph]
    # an order summary with header cells inside a layout cell is data
    summary = (
        "<table><tr><td><table><tr><th>日期</th><th>數量</th></tr>"
        "<tr><td>9月29日</td><td>2,760</td></tr></table></td></tr></table>"
    )
    (table,) = html_to_blocks(summary)
    assert isinstance(table, Table) and plain_text(table.rows[0][1]) == "2,760"


def test_whitespace_collapses_like_a_browser_and_newlines_become_soft_breaks():
    (para,) = html_to_blocks("<p>  a  <em> b </em>  c\n   d<a href='u'>e </a>f</p>")
    assert plain_text(para) == "a b c\nde f"
    assert isinstance(para.children[-2], Link)


def _mail(html: str | None, plain: str | None, charset: str) -> bytes:
    msg = EmailMessage()
    msg["Subject"] = "每週 AI 通訊 第 12 期"
    msg["From"] = "編輯部 <news@example.org>"
    msg["Date"] = format_datetime(
        digestkit.ast._dt.datetime(2026, 2, 26, 8, 0, tzinfo=digestkit.ast._dt.timezone.utc)
    )
    if plain is not None:
        msg.set_content(plain, charset=charset)
    if html is not None:
        if plain is None:
            msg.set_content(html, subtype="html", charset=charset)
        else:
            msg.add_alternative(html, subtype="html", charset=charset)
    return msg.as_bytes()


@pytest.mark.parametrize("charset", ["utf-8", "big5", "gb18030"])
def test_eml_reads_the_html_part_with_its_charset_and_headers(charset):
    html = "<html><body><p>本期重點：晶片與模型。</p></body></html>"
    data = _mail(html, "純文字版本", charset)
    doc = READER.read(data, path="n.eml")
    assert plain_text(doc) == "本期重點：晶片與模型。"
    assert doc.meta.title == "每週 AI 通訊 第 12 期" and doc.meta.author == "編輯部"
    assert doc.meta.date.isoformat() == "2026-02-26T08:00:00+00:00"
    assert READER.sniff(data, None) > 0.9


def test_eml_without_html_reads_the_plain_part():
    doc = READER.read(_mail(None, "第一段\n第二行\n\n第二段\n", "utf-8"), path="n.eml")
    # the line break inside the first paragraph is a soft break: nothing between CJK characters
    assert [plain_text(b) for b in doc.blocks] == ["第一段第二行", "第二段"]


def test_mhtml_snapshot_reads_the_page():
    msg = EmailMessage()
    msg["From"] = "<Saved by Blink>"
    msg["Snapshot-Content-Location"] = "https://example.org/news/1"
    msg["Subject"] = "晶片新聞"
    msg["MIME-Version"] = "1.0"
    msg.set_content(PAGE, subtype="html", charset="utf-8")
    msg.make_related()
    msg.add_related(b"\x89PNG-chip", maintype="image", subtype="png", cid="<img1>")
    msg.get_payload()[-1]["Content-Location"] = "chip.jpg"
    doc = READER.read(msg.as_bytes(), path="page.mhtml")
    assert "Nvidia 與 AMD" in plain_text(doc)
    assert doc.meta.source == "https://example.org/news/1"
    images = {}
    walk(
        doc, lambda n: images.setdefault(plain_text(n), n.url) and n if isinstance(n, Image) else n
    )
    assert images["晶片"] == "data:image/png;base64,iVBORy1jaGlw"  # the part's bytes
    assert images["圖表"] == "x.png"  # not in the snapshot: stays a URL


def test_declared_meta_charset_is_honoured():
    html = '<html><head><meta charset="big5"></head><body><p>臺灣晶片產業。</p></body></html>'
    assert plain_text(READER.read(html.encode("big5"), path="b.html")) == "臺灣晶片產業。"
    gbk = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>国家新闻。</p>'
    assert plain_text(READER.read(gbk.encode("gb18030"), path="g.html")) == "国家新闻。"


def test_undeclared_big5_is_ranked_not_read_as_gb18030():
    text = "<html><body><p>臺灣半導體產業持續擴張，晶圓代工廠商宣布興建新廠。</p></body></html>"
    with pytest.warns(UserWarning, match="big5"):
        doc = READER.read(text.encode("big5"), path="b.html")
    assert plain_text(doc) == "臺灣半導體產業持續擴張，晶圓代工廠商宣布興建新廠。"


# News sentences written for these tests, one per script; each page declares no charset. Before,
# every one came out as windows-1252 mojibake (``Ïðàâèòåëüñòâî``): the score counted any
# Latin-1 letter as real writing and no other single-byte codec was tried.
_UNDECLARED = [
    ("Правительство объявило о новой реформе пенсионной системы, которую профсоюзы считают "
     "недостаточной.", "cp1251"),
    ("Правительство объявило о новой реформе пенсионной системы, которую профсоюзы считают "
     "недостаточной.", "koi8_r"),
    ("Η κυβέρνηση ανακοίνωσε τη Δευτέρα μια νέα μεταρρύθμιση του συνταξιοδοτικού συστήματος.",
     "iso8859_7"),
    ("הממשלה הודיעה ביום שני על רפורמה חדשה במערכת הפנסיה, שהאיגודים רואים בה צעד לא מספיק.",
     "cp1255"),
    ("أعلنت الحكومة يوم الاثنين عن إصلاح جديد لنظام التقاعد، تعتبره النقابات غير كاف.",
     "cp1256"),
    ("รัฐบาลประกาศการปฏิรูประบบบำนาญใหม่เมื่อวันจันทร์ ซึ่งสหภาพแรงงานมองว่ายังไม่เพียงพอ",
     "cp874"),
    ("臺灣半導體產業持續擴張，晶圓代工廠商宣布興建新廠，預計明年量產，業界表示電力將是挑戰。",
     "big5"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "codec"), _UNDECLARED, ids=[c for _, c in _UNDECLARED])
def test_an_undeclared_page_in_a_single_byte_codec_is_decoded_right(text, codec):
    page = f"<html><head><title>x</title></head><body><p>{text}</p></body></html>"
    with pytest.warns(UserWarning, match="no charset declared"):
        doc = READER.read(page.encode(codec), path="p.html")
    assert plain_text(doc) == text


def test_utf16_without_a_byte_order_mark_is_not_read_as_utf8_with_nuls():
    page = "<html><body><p>Plain English news, no byte order mark.</p></body></html>"
    with pytest.warns(UserWarning, match="utf-16-le"):
        doc = READER.read(page.encode("utf-16-le"), path="p.html")
    assert plain_text(doc) == "Plain English news, no byte order mark."


def test_a_charset_the_bytes_contradict_is_an_error_naming_the_file():
    data = b'<meta charset="big5"><p>ok</p>\xff\xfe\xfd bad'
    with pytest.raises(ParseError) as exc:
        READER.read(data, path="bad.html")
    assert "bad.html" in str(exc.value) and "big5" in str(exc.value)


def test_absurd_nesting_is_refused_quickly():
    data = b"<html><body>" + b"<div>" * 100_000 + b"x" + b"</div>" * 100_000
    with pytest.raises(DigestkitError, match="deep"):
        READER.read(data, path="deep.html")
    ok = READER.read(b"<html><body>" + b"<div>" * 1500 + b"x" + b"</div>" * 1500, path="d.html")
    assert plain_text(ok) == "x"


def test_sniffing_by_content():
    assert READER.sniff(b"<!DOCTYPE html><html>", "a.txt") > 0.9
    assert (
        READER.sniff(b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">', None)
        > 0.9
    )
    assert READER.sniff(b"MIME-Version: 1.0\nFrom: a@b\n\nbody", None) > 0.9
    assert READER.sniff(b"# Markdown\n\ntext", "a.md") == 0.0
    assert READER.sniff(b"<rss version='2.0'>", "feed.xml") == 0.0


def test_xhtml_entity_declarations_are_never_expanded():
    """An HTML5 parser ignores a DOCTYPE's internal subset: no billion laughs, no file reads."""
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    data = (
        '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY l0 "lol">' + lol
        + '<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&l9;&ext;</p></body></html>'
    ).encode()  # fmt: skip
    doc = READER.read(data, path="lol.xhtml")
    assert plain_text(doc) == "&l9;&ext;"


def test_ragged_tables_are_padded_and_unreferenced_notes_kept():
    (table,) = html_to_blocks("<table><tr><th>a</th><th>b</th></tr><tr><td>1</td></tr>"
                              "<tr><td>2</td><td>3</td><td>4</td></tr></table>")  # fmt: skip
    assert [len(table.header)] + [len(r) for r in table.rows] == [3, 3, 3]
    assert plain_text(table.rows[1][2]) == "4"
    doc = READER.read(
        b'<p>text</p><section class="footnotes"><ol><li id="fn1"><p>orphan note</p></li></ol></section>',
        path="n.html",
    )
    assert [plain_text(b) for b in doc.blocks] == ["text", "orphan note"]


def test_mathml_becomes_its_tex_or_its_symbols():
    html = pypandoc.convert_text(
        "Energy $E = mc^2$ here.", "html", format="markdown", extra_args=["--mathml", "--wrap=none"]
    )
    (para,) = html_to_blocks(html)
    assert plain_text(para) == "Energy E = mc^2 here."
    (bare,) = html_to_blocks("<p>x <math><mi>a</mi><mo>+</mo><mn>1</mn></math></p>")
    assert plain_text(bare) == "x a + 1"


def test_ruby_annotations_do_not_run_into_the_text():
    (para,) = html_to_blocks(
        "<p><ruby>漢<rp>(</rp><rt>hàn</rt><rp>)</rp>字<rt>zì</rt></ruby>很難</p>"
    )
    assert plain_text(para) == "漢字很難"


def test_a_digest_of_links_in_main_is_kept_whole_on_a_furnished_page():
    """Link lists are what a digest is made of; extraction heuristics drop them as navigation."""
    items = "".join(
        f'<li><a href="https://example.org/{i}">項目 {i} | 開源工具</a></li>' for i in range(30)
    )
    page = (
        '<!doctype html><html lang="zh-Hant"><body><header><nav><a href="/">首頁</a>'
        '<a href="/tags">標籤</a></nav></header>'
        f"<main><h1>開源週報</h1><h2>開源項目</h2><ul>{items}</ul>"
        '<div class="share-bar"><a href="https://x.example/share">分享</a></div></main>'
        '<footer class="site-footer"><a href="/about">關於</a></footer></body></html>'
    )
    doc = READER.read(page.encode(), path="weekly.html")
    links = []
    walk(doc, lambda n: links.append(n.url) or n if isinstance(n, Link) else n)
    assert links == [f"https://example.org/{i}" for i in range(30)]
    assert doc.meta.lang == "zh-Hant" and "首頁" not in plain_text(doc)


def test_articles_take_their_own_published_time():
    """Each ``<article>``'s date: its ``datePublished``/``<time pubdate>`` over any other
    ``<time>``, never a nested comment's; a lone article's date fills the document's."""
    page = (
        "<!doctype html><html><body>"
        '<article><h2>一</h2><p class="byline">記者甲 · <time datetime="2026-03-02">3月2日</time></p>'
        '<p>更新於 <time datetime="2026-03-05">3月5日</time>，'
        '發表於 <time itemprop="datePublished" datetime="2026-03-02T08:00:00+08:00">3月2日</time>'
        "</p><p>第一篇。</p></article>"
        "<article><h2>二</h2><p>第二篇。</p>"
        '<article class="comment"><p>留言 <time datetime="2026-03-09">9日</time></p></article>'
        "</article>"
        '<article><h2>三</h2><p><time datetime="3月">不是日期</time> 第三篇。</p></article>'
        "</body></html>"
    )
    arts = list(READER.read(page.encode(), path="p.html").articles())
    assert [a.meta.date for a in arts] == ["2026-03-02T08:00:00+08:00", None, None]
    assert arts[0].meta.author == "記者甲"  # the byline's date is not part of the author
    assert "3月2日" in plain_text(arts[0])  # the visible date stays in the text
    one = READER.read(
        '<!doctype html><html><body><article><h1>獨篇</h1><time datetime="2026-03-04T09:30:00Z">'
        "4日</time><p>文。</p></article></body></html>".encode(),
        path="one.html",
    )
    assert str(one.meta.date) == "2026-03-04 09:30:00+00:00"


@pytest.mark.parametrize(
    ("head", "lang"),
    [
        # a real saved page (cdu-fraktion-erfurt.de) names three countries: the first is a tag
        ('<meta name="content-language" content="DE, AT, CH">', "DE"),
        ('<meta http-equiv="content-language" content="zh_TW">', "zh-TW"),
        ("", None),
    ],
)
def test_page_language_is_a_tag_writers_can_use(head, lang):
    page = f"<!DOCTYPE html><html><head>{head}<title>t</title></head><body><p>x</p></body></html>"
    doc = READER.read(page.encode(), path="p.html")
    assert doc.meta.lang == lang


def test_a_lang_that_is_no_tag_is_left_to_detection():
    page = '<!DOCTYPE html><html lang="中文"><head><title>t</title></head><body><p>这是简体中文的新闻正文。</p></body></html>'
    doc = digestkit.loads(page.encode(), path="p.html")
    assert doc.meta.lang == "zh-Hans"  # detected, not the invalid "中文"


# Imitates a saved Wikipedia-style page (written for this test): a citation link to an <li id>,
# an old-style <a name> target, a <p id>, a heading whose id extraction drops, and a link to
# navigation the reader drops. Before, the AST kept heading ids only, so every link but the
# heading's lost its target (211 warnings for the saved pages of one archive).
_ANCHORED_PAGE = """<!DOCTYPE html><html lang="en"><head><title>t-SNE</title></head><body>
<nav id="mw-head"><a href="/wiki/Main">Main page</a></nav>
<main><h1>t-SNE</h1>
<p>t-distributed stochastic neighbor embedding is a statistical method<a href="#cite_note-1">[1]</a>
for visualizing data; see <a href="#details">details</a> and <a href="#old">the old anchor</a>,
or to the <a href="#refs">references</a> or <a href="#mw-head">the menu</a>.</p>
<p id="details">The details paragraph explains the perplexity parameter.</p>
<p><a name="old"></a>An old-style named anchor starts this paragraph.</p>
<h2 id="refs">References</h2>
<ol class="references"><li id="cite_note-1">van der Maaten and Hinton, 2008.</li></ol>
</main></body></html>"""


def _anchors(doc) -> list[str]:
    found: list[str] = []

    def visit(node):
        if isinstance(node, HtmlInline) and node.text.startswith("<a id="):
            found.append(node.text)
        elif isinstance(node, Heading) and node.id:
            found.append(f"heading {node.id}")
        return node

    walk(doc, visit)
    return found


def test_the_targets_of_a_pages_own_links_keep_their_ids():
    doc = READER.read(_ANCHORED_PAGE.encode(), path="tsne.html")
    assert sorted(_anchors(doc)) == [
        '<a id="cite_note-1"></a>',
        '<a id="details"></a>',
        '<a id="old"></a>',
        "heading refs",
    ]
    # untouched text: the anchors sit before it, nothing else changes
    assert "The details paragraph explains the perplexity parameter." in plain_text(doc)


def test_a_weekly_book_of_saved_pages_resolves_their_internal_links(tmp_path):
    arch = tmp_path / "arch"
    arch.mkdir()
    (arch / "tsne.html").write_text(_ANCHORED_PAGE, encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = digestkit.weekly(arch, tmp_path / "w.epub", cache=False)
    anchor_warnings = [str(w.message) for w in caught if "no such anchor" in str(w.message)]
    # only the menu's: the navigation it points to is not part of the article
    assert anchor_warnings == ["tsne.html: link to #mw-head has no such anchor; text kept"]
    with zipfile.ZipFile(out) as zf:
        pages = [zf.read(n).decode() for n in zf.namelist() if n.endswith(".xhtml")]
    (xhtml,) = [p for p in pages if "perplexity" in p]
    for target in ("cite_note-1", "details", "old", "refs"):
        assert f'id="{target}"' in xhtml and f'href="#{target}"' in xhtml


_ADDRESSED = """<!doctype html><html><head>{head}</head><body><p>x</p></body></html>"""
_CANON = '<link rel="canonical" href="https://example.org/news/1">'
_OG = '<meta property="og:url" content="https://og.example.net/n/1">'


@pytest.mark.parametrize(
    ("head", "address"),
    [
        ('<base href="https://cdn.example.com/base/">' + _CANON + _OG,
         "https://cdn.example.com/base/"),
        (_OG + _CANON, "https://example.org/news/1"),
        (_OG, "https://og.example.net/n/1"),
        # a relative <base href> is taken against the page's stated address
        ('<base href="/section/">' + _CANON, "https://example.org/section/"),
        ('<link rel="canonical" href="/news/1">', None),  # no absolute address stated
        ("", None),
    ],
)  # fmt: skip
def test_a_saved_pages_address_for_its_relative_links(head, address):
    doc = read_html(_ADDRESSED.format(head=head), path="p.html", strategy="page")
    assert doc.meta.extra.get("base_url") == address
