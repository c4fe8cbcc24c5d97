"""Line breaks inside a paragraph, on every writer (issue 18 point 1).

Between two CJK characters a soft break is nothing in what a reader sees (EPUB's XHTML, the
PDF's text, plain-text extraction), a space elsewhere; Markdown and Hugo keep the line break
as written. The PDF is read back with the real pdftotext, the EPUB is unzipped.
"""

from __future__ import annotations

import subprocess
import warnings

import pytest

import digestkit
from digestkit.ast import Document, Emphasis, Paragraph, SoftBreak, Text, plain_text
from digestkit.writers.hugo import WRITER as HUGO
from digestkit.writers.xhtml import RenderContext, render_blocks
from tests.conftest import epub_texts, epubcheck, require_tool

SOURCE = """---
title: 換行
lang: zh-Hant
---

中文段落第一行
中文段落第二行

Latin line one
Latin line two

中文結尾
English start

日本語の
かな、「引用」
」的下一行
"""


@pytest.fixture(scope="module")
def doc() -> Document:
    return digestkit.loads(SOURCE, "markdown")


def test_the_reader_keeps_soft_breaks(doc):
    # the rule is the writers' business: the AST says where the source broke its lines
    assert any(isinstance(c, SoftBreak) for c in doc.blocks[0].children)


def test_plain_text(doc):
    text = plain_text(doc)
    assert "中文段落第一行中文段落第二行" in text
    assert "Latin line one\nLatin line two" in text
    assert "中文結尾\nEnglish start" in text
    assert "日本語のかな、「引用」」的下一行" in text


def test_xhtml(doc):
    out = render_blocks(doc.blocks, RenderContext())
    assert "<p>中文段落第一行中文段落第二行</p>" in out
    assert "<p>Latin line one\nLatin line two</p>" in out
    assert "<p>中文結尾\nEnglish start</p>" in out
    assert "日本語のかな、「引用」」的下一行" in out


def test_xhtml_across_emphasis_and_links():
    para = Paragraph(
        children=(Emphasis(children=(Text(text="強調"),)), SoftBreak(), Text(text="之後"))
    )
    assert render_blocks([para], RenderContext()) == "<p><em>強調</em>之後</p>"


def test_epub(doc, tmp_path):
    path = digestkit.dump(doc, tmp_path / "b.epub")
    assert epubcheck(path) == []
    text = "".join(epub_texts(path).values())
    assert "中文段落第一行中文段落第二行" in text
    assert "Latin line one\nLatin line two" in text
    assert "中文結尾\nEnglish start" in text


def test_pdf(doc, tmp_path):
    exe = require_tool("pdftotext")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        path = digestkit.dump(doc, tmp_path / "b.pdf")
    proc = subprocess.run([exe, "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, timeout=300, check=True)  # fmt: skip
    text = proc.stdout
    assert "中文段落第一行中文段落第二行" in text
    assert "中文段落第一行 中文段落第二行" not in text
    assert "Latin line one Latin line two" in text.replace("\n", " ")


def test_markdown_keeps_the_line_break(doc):
    out = digestkit.dumps(doc, "markdown")
    assert "中文段落第一行\n中文段落第二行\n" in out
    assert "Latin line one\nLatin line two\n" in out
    assert digestkit.loads(out, "markdown").blocks == doc.blocks


def test_hugo_keeps_the_line_break(doc):
    out = HUGO.render(doc)
    assert "中文段落第一行\n中文段落第二行\n" in out
    assert digestkit.loads(out, "hugo").blocks == doc.blocks
