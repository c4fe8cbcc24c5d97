"""The neutral book model: one language rule, one font table, frozen books, no cross-writer
imports."""

from __future__ import annotations

import ast as pyast
import dataclasses
import datetime as dt
from pathlib import Path

import pytest

import digestkit
from digestkit.ast import Article, ArticleMeta, Document, Heading, Meta, Paragraph, Text
from digestkit.writers.book import (
    FONTS,
    Book,
    Chapter,
    book_from_document,
    book_lang,
    chapter_content,
    contents_label,
    fonts_for,
    script_of,
    specific_lang,
)

WRITERS = Path(digestkit.__file__).parent / "writers"


@pytest.mark.parametrize(("lang", "expected"), [
    (None, "FB"), ("", "FB"), ("zh", "FB"), ("zh-Hant", "zh-Hant"), ("en", "en"), ("zh-CN", "zh-CN"),
])  # fmt: skip
def test_a_bare_zh_says_no_script(lang, expected):
    assert specific_lang(lang, "FB") == expected


@pytest.mark.parametrize(("lang", "script"), [
    ("zh-Hant-TW", "zh-Hant"), ("zh-TW", "zh-Hant"), ("zh-HK", "zh-Hant-HK"),
    ("zh-Hant-HK", "zh-Hant-HK"), ("zh-Hans-CN", "zh-Hans"), ("en", "zh-Hans"),
])  # fmt: skip
def test_script_of_a_language(lang, script):
    assert script_of(lang) == script
    assert fonts_for(lang) is FONTS[script]


def test_contents_label_and_book_language():
    assert [contents_label(x) for x in ("zh-Hant-TW", "zh-Hans", "en")] == [
        "目錄",
        "目录",
        "Contents",
    ]
    assert book_lang([("zh-Hant", 10), ("zh-Hans", 30), ("zh-Hant", 25), ("zh", 99)]) == "zh-Hant"
    assert book_lang([(None, 5), ("en", 9), ("zh-Hans", 1)]) == "zh-Hans"  # Chinese first
    # a book with no Chinese chapter takes its own languages (an all-English archive was
    # labelled zh-Hans); nothing known at all is the default
    assert book_lang([(None, 5), ("en", 9), ("ja", 4)]) == "en"
    assert book_lang([(None, 5), ("zh", 9)]) == "zh-Hans"


def test_one_font_table_for_epub_and_pdf():
    from digestkit.writers.epub import stylesheet as epub_css
    from digestkit.writers.pdf.style import stylesheet as pdf_css

    epub, pdf = epub_css(), pdf_css("A5", [], "body")
    for script, fonts in FONTS.items():
        assert f":lang({script}) {{ font-family: {fonts.stack('serif')}; }}" in epub
        assert f'"{fonts.serif[0]}"' in pdf and f'"{fonts.sans[0]}"' in pdf


def test_book_and_chapters_are_frozen_and_writers_leave_them_alone(tmp_path):
    doc = Document(
        meta=Meta(title="題", lang="zh"), blocks=(Paragraph(children=(Text(text="字"),)),)
    )
    ch = Chapter(doc=doc, date=dt.date(2026, 3, 2))
    book = Book(title="書", lang="zh-Hant", chapters=[ch])
    assert isinstance(book.chapters, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ch.lang = "zh-Hans"  # type: ignore[misc]
    from digestkit.writers.epub import build_epub

    before = dict(vars(ch))
    build_epub(book)
    assert vars(ch) == before and ch.lang is None
    # the language the chapter is written in comes from chapter_content instead
    assert chapter_content(ch, doc, book.lang, 1).lang == "zh-Hant"


def test_repeated_title_and_toc_levels():
    doc = Document(meta=Meta(title="日報"), blocks=(
        Heading(level=1, children=(Text(text="日報"),)),
        Heading(level=2, children=(Text(text="甲"),)), Paragraph(children=(Text(text="x"),)),
        Heading(level=2, children=(Text(text="乙"),)),
    ))  # fmt: skip
    content = chapter_content(Chapter(doc=doc), doc, "zh-Hans", 3)
    assert content.heading == "日報" and content.blocks == doc.blocks[1:]
    assert content.toc_wanted == {"甲", "乙"} and content.toc_levels == {2}
    assert content.level_shift == 0
    untitled = chapter_content(
        Chapter(doc=Document(meta=Meta())), Document(meta=Meta()), "zh-Hans", 3
    )
    assert (untitled.title, untitled.heading) == ("(3)", "(untitled)")


def test_book_from_a_document_of_articles():
    doc = Document(meta=Meta(title="合輯", lang="zh"), blocks=(
        Article(meta=ArticleMeta(title="一", lang="zh-Hant"), blocks=()),
        Article(meta=ArticleMeta(title="二"), blocks=()),
    ))  # fmt: skip
    book = book_from_document(doc)
    assert book.lang == "zh-Hans"  # a bare zh falls back like everywhere else
    assert [c.title for c in book.chapters] == ["一", "二"]
    assert [c.document().meta.lang for c in book.chapters] == ["zh-Hant", "zh"]


def test_no_writer_imports_another_writers_private_names():
    found = []
    for path in sorted(WRITERS.rglob("*.py")):
        for node in pyast.walk(pyast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, pyast.ImportFrom) and node.level:
                found += [f"{path.name}: {node.module}.{a.name}" for a in node.names
                          if a.name.startswith("_") and not a.name.endswith("__")]  # fmt: skip
    assert found == []
