"""The ``pandoc-json`` reader on JSON that pandoc itself wrote.

pandoc's own reading of the CommonMark spec examples and of the seeds' Markdown, read by
digestkit, must equal digestkit's own reading of the same Markdown; every difference left is
listed in ``SPEC_EXCEPTIONS`` with its reason (strict xfails, so a fixed one is noticed).

pandoc runs as ``pandoc -p -f commonmark_x-gfm_auto_identifiers-smart-fancy_lists -t json``:
``-p`` keeps tabs as written (the pandoc *command* otherwise expands them before any reader
runs), and the three extensions switched off rewrite text that digestkit's CommonMark dialect
keeps as written — automatic heading ids, smart quotes and dashes, and ``fancy_lists``, which
in pandoc 3.x also reads ``- - -`` as three nested lists instead of a thematic break. Every
other ``commonmark_x`` extension stays on.
"""

from __future__ import annotations

import datetime as dt
import json
import warnings
from dataclasses import replace

import pytest

import digestkit
from digestkit import frontmatter
from digestkit.ast import (
    BulletList,
    Caption,
    Code,
    CodeBlock,
    Emphasis,
    HardBreak,
    HtmlInline,
    Image,
    Paragraph,
    Table,
    Text,
    plain_text,
    walk,
)
from digestkit.errors import ParseError
from digestkit.readers.json import READER as JSON_READER
from digestkit.readers.pandoc_json import READER, from_pandoc
from tests.conftest import PEER_TESTS, SEEDS, peer_file
from tests.writers.test_pandoc_json import pandoc

DIALECT = "commonmark_x-gfm_auto_identifiers-smart-fancy_lists"

#: Spec examples whose two readings differ for a reason that is not a reader bug.
SPEC_EXCEPTIONS = {
    13: "pandoc stores whitespace between words as one Space: the tab after '\\\\' becomes ' '",
    304: "pandoc collapses the two spaces in '14.  The' into one Space",
    652: "pandoc collapses 'Multiple     spaces' into one Space",
    24: "digestkit keeps a fence's info string as written ('foo\\\\+bar'); pandoc unescapes it",
    34: "digestkit keeps a fence's info string as written ('f&ouml;&ouml;'); pandoc decodes it",
    143: "pandoc keeps only the first word of an info string ('ruby'), the rest is gone",
    146: "pandoc keeps only the first word of an info string ('aa'), the rest is gone",
    127: "pandoc keeps the final newline of a fence left open at the end of the document "
    "(unlike a closed one), so the code reads back with one newline more",
    137: "as 127: a fence left open at the end of the document",
    139: "as 127: a fence left open at the end of the document",
    96: "a file opening with a '---' line is YAML front matter to digestkit; 'Foo' is no mapping",
}

_SPEC = PEER_TESTS / "commonmark" / "commonmark.json"
EXAMPLES = json.loads(_SPEC.read_text(encoding="utf-8")) if _SPEC.exists() else []


def pandoc_reading(markdown: str) -> digestkit.Document:
    out = pandoc("-p", "-f", DIALECT, "-t", "json", data=markdown)
    return digestkit.loads(out.decode("utf-8"), "pandoc-json", detect_lang=False)


def test_spec_is_there():
    peer_file("commonmark", "commonmark.json")
    assert len(EXAMPLES) == 652


@pytest.mark.tool
@pytest.mark.parametrize(
    "example",
    [
        pytest.param(
            e,
            id=f"example-{e['example']}",
            marks=[pytest.mark.xfail(reason=SPEC_EXCEPTIONS[e["example"]], strict=True)]
            if e["example"] in SPEC_EXCEPTIONS
            else [],
        )
        for e in EXAMPLES
    ],
)
def test_pandoc_reads_spec_example_as_digestkit_does(example):
    md = example["markdown"]
    mine = digestkit.loads(md, "markdown", detect_lang=False)
    assert pandoc_reading(md).blocks == mine.blocks


def test_exceptions_are_few():
    assert len(SPEC_EXCEPTIONS) <= 12


@pytest.mark.tool
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_pandoc_reads_seed_markdown_as_digestkit_does(seed):
    """Markdown seeds as they are; prose seeds as the Markdown digestkit writes for them."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        doc = digestkit.load(seed, detect_lang=False)
    text = seed.read_text(encoding="utf-8")
    md = (
        text
        if digestkit.registry.detect_format(text, str(seed)) != "prose"
        else digestkit.dumps(doc)
    )
    if frontmatter.detect(md) == "toml":  # pandoc reads only YAML front matter
        md = frontmatter.split(md).body
    mine = digestkit.loads(md, "markdown", detect_lang=False)
    theirs = pandoc_reading(md)
    assert theirs.blocks == mine.blocks
    if mine.meta.summary and "\n" in mine.meta.summary:
        # pandoc parses front matter strings as Markdown and flattens a multi-line one (seed
        # 000's "- a\n- b" summary) into one run of inlines: its line breaks and list markers
        # are not in pandoc's JSON at all, so they cannot come back.
        assert theirs.meta.summary == "".join(
            line.removeprefix("- ") for line in mine.meta.summary.splitlines()
        )
        theirs = theirs.replace(meta=replace(theirs.meta, summary=mine.meta.summary))
    assert theirs.meta == mine.meta


# --------------------------------------------------------------------------- pandoc-only constructs

PANDOC_MARKDOWN = """\
---
title: "*Weekly* 周报"
date: 2026-02-26
author: [甲, 乙]
weight: 3
---

Term 术语
:   Definition 定义

| line one 第一行
|   line two

H~2~O and 2^10^ and [under]{.underline} and [Small]{.smallcaps} and "quoted 引用" and
$E = mc^2$ and [@doe99, p. 3] and `\\LaTeX`{=latex} and [span]{#s .c k=v}.

![A figure 图](fig.png "t")

::: {.note lang=zh}
Inside a div 在块里.
:::

| Right | Left |
|------:|:-----|
| 1     | 2    |

: Table caption 表题

Text[^1].

[^1]: A note 注释.
"""


@pytest.fixture(scope="module")
def foreign():
    out = pandoc("-f", "markdown", "-t", "json", data=PANDOC_MARKDOWN).decode("utf-8")
    return READER.read(out), json.loads(out)


def _pandoc_texts(node):
    """Every piece of text in pandoc's JSON: Str, Code, Math, raw and code block contents."""
    if isinstance(node, dict):
        t, c = node.get("t"), node.get("c")
        if t == "Str":
            yield c
        elif t in ("Code", "Math", "RawInline", "RawBlock", "CodeBlock"):
            yield c[1]
        else:
            yield from _pandoc_texts(c)
    elif isinstance(node, list):
        for x in node:
            yield from _pandoc_texts(x)


def _our_texts(doc):
    found = []
    walk(doc, lambda n: found.append(getattr(n, "text", "")) or n)
    return "".join(found)


@pytest.mark.tool
def test_no_text_is_dropped(foreign):
    """Every text pandoc's reading holds (body, not metadata) is in digestkit's reading."""
    doc, data = foreign
    ours = _our_texts(doc)
    texts = [t for t in _pandoc_texts(data["blocks"]) if t.strip()]
    assert len(texts) > 40
    for text in texts:
        assert text.rstrip("\n") in ours, text


def _all(doc, cls):
    found = []
    walk(doc, lambda n: (found.append(n) if isinstance(n, cls) else None) or n)
    return found


@pytest.mark.tool
def test_nearest_nodes(foreign):
    doc, _ = foreign
    # DefinitionList → a bullet item holding the term, then the definition
    lists = _all(doc, BulletList)
    assert any(plain_text(b.items[0]) == "Term 术语\nDefinition 定义" for b in lists)
    # LineBlock → one paragraph with hard breaks (the indent stays as no-break spaces)
    line = next(p for p in _all(doc, Paragraph) if "line one" in plain_text(p))
    assert isinstance(line.children[1], HardBreak) and "\u00a0\u00a0line two" in plain_text(line)
    html = [h.text for h in _all(doc, HtmlInline)]
    assert {"<sub>", "</sub>", "<sup>", "</sup>", "<u>", "</u>"} <= set(html)
    codes = {c.text for c in _all(doc, Code)}
    assert {"E = mc^2", "\\LaTeX"} <= codes  # Math and a LaTeX RawInline keep their source
    texts = "".join(t.text for t in _all(doc, Text))
    assert "“quoted 引用”" in texts and "[@doe99, p. 3]" in texts and "Small" in texts
    # Figure → the image, then its caption; Table caption → a Caption after the table
    captions = [plain_text(c) for c in _all(doc, Caption)]
    assert captions == ["A figure 图", "Table caption 表题"]
    assert [i.url for i in _all(doc, Image)] == ["fig.png"]
    table = _all(doc, Table)[0]
    assert table.aligns == ("right", "left") and plain_text(table.header[0]) == "Right"
    assert doc.blocks[-1] == Paragraph(
        children=(Text(text="Text"), doc.blocks[-1].children[1], Text(text="."))
    )


@pytest.mark.tool
def test_pandoc_metadata_is_typed_like_front_matter(foreign):
    meta = foreign[0].meta
    assert meta.title == "Weekly 周报"  # MetaInlines → its text (the emphasis is lost)
    assert meta.date == dt.date(2026, 2, 26)  # a date, as the same YAML gives digestkit
    assert meta.extra["author"] == ["甲", "乙"]  # a list does not fit `author`: kept in extra
    assert meta.extra["weight"] == "3"  # pandoc's YAML reader has no numbers, only text


def test_emphasis_inside_quotes_and_spans_is_kept():
    data = {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": [
        {"t": "Para", "c": [{"t": "Quoted", "c": [{"t": "SingleQuote"}, [
            {"t": "Emph", "c": [{"t": "Str", "c": "a"}]}]]},
            {"t": "SmallCaps", "c": [{"t": "Str", "c": "b"}]}, {"t": "Str", "c": "c"}]},
        {"t": "Null"},
        {"t": "CodeBlock", "c": [["", ["py", "x"], []], "print()"]},
    ]}  # fmt: skip
    doc = from_pandoc(data)
    assert doc.blocks == (
        Paragraph(
            children=(Text(text="‘"), Emphasis(children=(Text(text="a"),)), Text(text="’bc"))
        ),
        CodeBlock(text="print()\n", info="py x"),
    )


# --------------------------------------------------------------------------- sniffing and errors


def test_sniff_takes_pandoc_json_and_leaves_digestkit_json_alone():
    doc = digestkit.loads("# 标题\n\n正文。\n", "markdown")
    ours = digestkit.dumps(doc, "json")
    theirs = digestkit.dumps(doc, "pandoc-json")
    assert READER.sniff(theirs, "x.json") == 1.0
    assert READER.sniff(ours, "x.json") == 0.0 and JSON_READER.sniff(theirs, None) == 0.0
    assert digestkit.registry.detect_format(ours, "x.json") == "json"
    assert digestkit.registry.detect_format(theirs, "x.json") == "pandoc-json"
    late = json.dumps({"blocks": [], "meta": {"k": {"t": "MetaString", "c": "x" * 300}},
                       "pandoc-api-version": [1, 23, 1]})  # fmt: skip
    assert READER.sniff(late, None) > 0.5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"pandoc-api-version": [1,23,1], "meta": {}, "blocks": [', "JSON:"),
        ('{"pandoc-api-version": [1,20], "meta": {}, "blocks": []}', "too old"),
        ('{"pandoc-api-version": "x", "blocks": []}', "unknown pandoc-api-version"),
        ('{"blocks": []}', "no pandoc-api-version"),
        ('{"pandoc-api-version": [1,23], "blocks": [{"t": "Blink", "c": []}]}', "'Blink'"),
        ('{"pandoc-api-version": [1,23], "blocks": [{"t": "Para", "c": 3}]}', "malformed"),
    ],
)
def test_bad_input_is_a_parse_error(text, message):
    with pytest.raises(ParseError, match=message) as info:
        READER.read(text, path="in.json")
    assert str(info.value).startswith("in.json")
    assert "\n" not in str(info.value)


def test_newer_api_is_read_with_a_warning():
    with pytest.warns(UserWarning, match="1.24 is newer"):
        doc = READER.read('{"pandoc-api-version": [1,24], "meta": {}, "blocks": []}')
    assert doc.blocks == ()
