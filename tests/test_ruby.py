"""The ``Ruby`` inline node (issue 25, point 3): readings (furigana, zhuyin, pinyin) kept through
every format — JSON, pandoc JSON (a Span with a class, also through the real pandoc), Markdown
(raw ``<ruby>`` read back as Ruby, with or without a hint), XHTML/EPUB/HTML, PDF text, Hugo —
and script conversion converts the base only."""

from __future__ import annotations

import json
import subprocess

import pytest

import digestkit
from digestkit.ast import Document, HtmlInline, Meta, Paragraph, Ruby, Strong, Text, plain_text
from digestkit.markers import fold_html
from digestkit.writers.xhtml import RenderContext, render_blocks

FURIGANA = Ruby(base=(Text(text="明月"),), annotation="めいげつ")
ZHUYIN = Ruby(base=(Text(text="软件"),), annotation="ㄖㄨㄢˇ ㄐㄧㄢˋ")
# a reading holding Markdown and HTML specials, a base with markup
ODD = Ruby(base=(Strong(children=(Text(text="疑"),)),), annotation="*yí* <b> & [x]")
DOC = Document(
    meta=Meta(title="静夜思", lang="zh-Hans"),
    blocks=(Paragraph(children=(Text(text="床前"), FURIGANA, Text(text="光，"), ODD,
                                Text(text="是"), ZHUYIN, Text(text="。"))),),
)  # fmt: skip


@pytest.mark.parametrize("fmt", ["json", "pandoc-json", "markdown"])
def test_round_trips_keep_the_reading(fmt):
    out = digestkit.dumps(DOC, fmt)
    back = digestkit.loads(out, fmt, detect_lang=False)
    assert back.blocks == DOC.blocks


def test_markdown_is_raw_ruby_and_reads_back_without_a_hint():
    md = digestkit.dumps(DOC, "markdown")
    assert "<ruby>明月<rp>(</rp><rt>めいげつ</rt><rp>)</rp></ruby>" in md
    assert digestkit.loads(md, detect_lang=False).blocks == DOC.blocks


def test_hand_written_ruby_in_markdown():
    md = "<ruby>明<rt>míng</rt>月<rt>yuè</rt></ruby>光\n"
    (para,) = digestkit.loads(md, "markdown").blocks
    assert para.children == (
        Ruby(base=(Text(text="明"),), annotation="míng"),
        Ruby(base=(Text(text="月"),), annotation="yuè"),
        Text(text="光"),
    )
    # not the simple shape (markup in the reading): kept as raw HTML, nothing lost
    odd = "<ruby>明<rt><b>míng</b></rt></ruby>\n"
    assert "<b>míng</b>" in digestkit.dumps(digestkit.loads(odd, "markdown"), "markdown")


def test_fold_leaves_an_unclosed_ruby_alone():
    items = [HtmlInline(text="<ruby>"), Text(text="明"), HtmlInline(text="<rt>")]
    assert fold_html(list(items)) == items


def test_pandoc_json_is_a_span_with_a_class_and_survives_real_pandoc():
    from tests.writers.test_pandoc_json import pandoc_path

    out = digestkit.dumps(DOC, "pandoc-json")
    spans = [el for el in json.loads(out)["blocks"][0]["c"] if el["t"] == "Span"]
    assert spans[0]["c"][0] == ["", ["digestkit-ruby"], [["annotation", "めいげつ"]]]
    again = subprocess.run([pandoc_path(), "-f", "json", "-t", "json"], input=out.encode(),
                           capture_output=True, check=True).stdout  # fmt: skip
    assert digestkit.loads(again, "pandoc-json", detect_lang=False).blocks == DOC.blocks


def test_xhtml_has_rt_and_rp():
    html = render_blocks(DOC.blocks, RenderContext())
    assert "<ruby>明月<rp>(</rp><rt>めいげつ</rt><rp>)</rp></ruby>" in html
    assert "<rt>*yí* &lt;b&gt; &amp; [x]</rt>" in html
    assert "<ruby><strong>疑</strong>" in html


def test_epub_is_valid_with_ruby(tmp_path):
    import zipfile

    from tests.conftest import epubcheck

    path = digestkit.dump(DOC, tmp_path / "ruby.epub")
    with zipfile.ZipFile(path) as zf:
        xhtml = "".join(zf.read(n).decode() for n in zf.namelist() if n.endswith(".xhtml"))
    assert "<ruby>明月<rp>(</rp><rt>めいげつ</rt><rp>)</rp></ruby>" in xhtml
    assert epubcheck(path) == []


def test_pdf_shows_the_reading_in_parentheses(tmp_path):
    from tests.conftest import require_tool

    require_tool("pdftotext")
    path = digestkit.dump(DOC, tmp_path / "ruby.pdf")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "明月(めいげつ)" in text.replace("\n", "")


def test_hugo_page_keeps_the_ruby(tmp_path):
    page = digestkit.registry.get_writer("hugo").render(DOC)  # type: ignore[attr-defined]
    assert "<ruby>明月<rp>(</rp><rt>めいげつ</rt><rp>)</rp></ruby>" in page


def test_script_conversion_converts_the_base_only():
    converted = digestkit.convert_script(DOC, "s2twp")
    rubies = [c for c in converted.blocks[0].children if isinstance(c, Ruby)]
    assert rubies[2] == Ruby(base=(Text(text="軟體"),), annotation="ㄖㄨㄢˇ ㄐㄧㄢˋ")
    han_reading = Ruby(base=(Text(text="软件"),), annotation="软件")  # a reading is never converted
    doc = Document(blocks=(Paragraph(children=(han_reading,)),))
    (para,) = digestkit.convert_script(doc, "s2twp").blocks
    assert para.children == (Ruby(base=(Text(text="軟體"),), annotation="软件"),)


def test_plain_text_is_the_base():
    assert plain_text(DOC.blocks[0]) == "床前明月光，疑是软件。"


def _html(body: str) -> bytes:
    return f'<!DOCTYPE html><html lang="ja"><body><p>{body}</p></body></html>'.encode()


@pytest.mark.parametrize(
    ("body", "want"),
    [
        ("床前<ruby>明月<rp>(</rp><rt>めいげつ</rt><rp>)</rp></ruby>光",
         (Text(text="床前"), FURIGANA, Text(text="光"))),
        ("<ruby>明<rt>míng</rt>月<rt>yuè</rt></ruby>",
         (Ruby(base=(Text(text="明"),), annotation="míng"),
          Ruby(base=(Text(text="月"),), annotation="yuè"))),
        ("<ruby><rb>漢字</rb><rt> かん じ </rt></ruby>",
         (Ruby(base=(Text(text="漢字"),), annotation="かん じ"),)),
        ("<ruby><b>疑</b><rt>yí</rt></ruby>",
         (Ruby(base=(Strong(children=(Text(text="疑"),)),), annotation="yí"),)),
        ("<ruby>无注音</ruby>", (Text(text="无注音"),)),  # no reading: the base alone
        ("孤立<rt>x</rt><rp>(</rp>", (Text(text="孤立"),)),  # rt/rp outside ruby: not text
    ],
    ids=["rp", "pairs", "rb", "markup", "no-rt", "stray-rt"],
)  # fmt: skip
def test_the_html_reader_reads_ruby(body, want):
    (para,) = digestkit.loads(_html(body), "html", detect_lang=False).blocks
    assert para.children == want


def test_an_epub_keeps_its_readings(tmp_path):
    """The EPUB reader used to keep 明月 and lose めいげつ."""
    path = digestkit.dump(DOC, tmp_path / "ruby.epub")
    back = digestkit.load(path, detect_lang=False)
    rubies = [n for b in back.blocks for n in _inlines_of(b) if isinstance(n, Ruby)]
    assert rubies == [FURIGANA, ODD, ZHUYIN]


def _inlines_of(block):
    from digestkit.ast import Article

    if isinstance(block, Article):
        return [n for b in block.blocks for n in _inlines_of(b)]
    return list(getattr(block, "children", ()))
