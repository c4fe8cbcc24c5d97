"""Markdown writer: seed round trips, byte-stable output, lossless front matter."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

import digestkit
from digestkit.ast import Document, Meta, Paragraph, Table, Text, ThematicBreak
from tests.conftest import FRONT_MATTER_SEEDS, SEEDS


@pytest.mark.parametrize("path", FRONT_MATTER_SEEDS, ids=lambda p: p.name[:3])
def test_seed_round_trip(path):
    doc = digestkit.load(path)
    first = digestkit.dumps(doc)
    assert digestkit.registry.detect_format(first) == "markdown"
    again = digestkit.loads(first)
    assert again == doc
    assert digestkit.dumps(again) == first


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_every_seed_writes_stable_markdown(path):
    first = digestkit.dumps(digestkit.load(path))
    assert digestkit.dumps(digestkit.loads(first, "markdown")) == first


def test_unchanged_front_matter_is_written_byte_for_byte():
    text = (
        '---\ntags: ["AI","AI 日报"]\ntitle:   spaced\n# a comment\ndate: 2026-02-26\n---\nbody\n'
    )
    assert digestkit.dumps(digestkit.loads(text)) == text


def test_changed_front_matter_keeps_order_and_types():
    text = '---\ncategory: AI 日报\ntitle: old\nanswer: "no"\nversion: "1.10"\ndate: 2026-02-26\n---\nbody\n'
    doc = digestkit.loads(text)
    doc = doc.replace(meta=dataclasses.replace(doc.meta, title="new"))
    out = digestkit.dumps(doc)
    assert out.startswith(
        "---\ncategory: AI 日报\ntitle: new\nanswer: 'no'\nversion: '1.10'\ndate: 2026-02-26\n---\n"
    )
    back = digestkit.loads(out)
    assert back.meta.extra["answer"] == "no" and back.meta.date == dt.date(2026, 2, 26)
    assert back == doc


def test_documents_built_in_code_get_canonical_keys():
    doc = Document(
        meta=Meta(title="标题", tags=("AI",), date=dt.date(2026, 3, 1)),
        blocks=(ThematicBreak(), Paragraph(children=(Text(text="*不是强调*"),))),
    )
    out = digestkit.dumps(doc)
    assert out.startswith("---\ntitle: 标题\ndate: 2026-03-01\ntags:\n- AI\n---\n")
    assert "\\*不是强调\\*" in out
    assert digestkit.loads(out, detect_lang=False) == doc


def test_thematic_break_first_without_front_matter_is_not_a_fence():
    doc = Document(blocks=(ThematicBreak(), Paragraph(children=(Text(text="x"),))))
    out = digestkit.dumps(doc)
    assert not out.startswith("---")
    assert digestkit.loads(out, "markdown") == doc


def test_multiline_strings_use_literal_blocks():
    doc = Document(meta=Meta(summary="- 一\n- 二"))
    out = digestkit.dumps(doc)
    assert "summary: |-\n  - 一\n  - 二\n" in out
    assert digestkit.loads(out).meta.summary == "- 一\n- 二"


def test_no_front_matter_in_none_out():
    # issue 14: a detected lang made an empty '---\n---\n' that CommonMark reads as two rules
    text = "你好世界，这是一段中文。\n"
    doc = digestkit.loads(text, "markdown")
    assert doc.meta.lang is not None
    assert digestkit.dumps(doc, "markdown") == text


def test_article_date_round_trips_through_markdown_and_hugo():
    """``ArticleMeta.date`` rides in the article marker (hidden by every renderer), so
    AST → Markdown → AST and AST → Hugo page → AST keep it verbatim, offset and all."""
    from digestkit.ast import Article, ArticleMeta, Document, Meta, Paragraph, Text
    from digestkit.registry import get_writer

    arts = tuple(
        Article(meta=ArticleMeta(title=f"第{i}篇", date=d, author="記者"),
                blocks=(Paragraph(children=(Text(text=f"正文{i}。"),)),))
        for i, d in enumerate(["2026-03-02T23:30:00-05:00", "2026-03-03", None])
    )  # fmt: skip
    doc = Document(meta=Meta(title="日報"), blocks=arts)
    md = digestkit.dumps(doc, "markdown")
    assert '"date":"2026-03-02T23:30:00-05:00"' in md
    assert digestkit.loads(md, "markdown", detect_lang=False).blocks == arts
    page = get_writer("hugo").render(doc)  # type: ignore[attr-defined]
    assert digestkit.loads(page, "hugo", detect_lang=False).blocks == arts


def test_no_break_spaces_at_table_cell_edges_survive_a_round_trip():
    # Written for this test, imitating a theme demo page that pads its table header with
    # &nbsp; ("| Inline&nbsp;&nbsp;&nbsp; | ..."): a cell's edges lose every Unicode space
    # when read back, so the writer must keep the edge one as a character reference.
    text = "| Inline&nbsp;&nbsp; | B |\n| --- | --- |\n| ~~x~~&nbsp; | y |\n"
    doc = digestkit.loads(text, "markdown")
    first = digestkit.dumps(doc, "markdown")
    again = digestkit.loads(first, "markdown")
    assert again == doc
    assert digestkit.dumps(again, "markdown") == first


def test_pipes_in_code_inside_table_cells_are_escaped():
    # Written for this test, imitating a Hexo feed of the fresh3 corpus whose code listings are
    # HTML tables (line numbers | code): a '|' of 'a || b' in a code span split the row into
    # more cells than the delimiter row has, so the table did not come back.
    html = (
        "<table><tr><td><code>1 2</code></td><td><code>if (a || b) x |= 1;</code></td></tr>"
        "<tr><td>x</td><td><code>a\\|b</code></td></tr></table>"
    )
    doc = digestkit.loads(html, "html")
    first = digestkit.dumps(doc, "markdown")
    again = digestkit.loads(first, "markdown")
    (table,), (back,) = doc.blocks, again.blocks
    assert isinstance(back, Table) and (back.header, back.rows) == (table.header, table.rows)
    assert digestkit.dumps(again, "markdown") == first


def test_an_empty_link_title_is_no_title():
    # HTML title="" (a Hugo theme's image links, fresh3 corpus) cannot be told from no title in
    # CommonMark: markdown-it drops an empty one, so the writer leaves it out.
    doc = digestkit.loads('<p><a href="/a.png" title=""><img src="/a.png" title="" alt="图"></a></p>',
                          "html")  # fmt: skip
    first = digestkit.dumps(doc, "markdown")
    assert '""' not in first
    assert digestkit.dumps(digestkit.loads(first, "markdown"), "markdown") == first
