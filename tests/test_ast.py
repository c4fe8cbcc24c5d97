"""The AST: structural equality, immutability, exact to_dict/from_dict round trips."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

import digestkit
from digestkit.ast import (
    Article,
    ArticleMeta,
    Document,
    Emphasis,
    Meta,
    Paragraph,
    Table,
    TableCell,
    Text,
    plain_text,
    walk,
)
from tests.conftest import SEEDS


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seed_dict_round_trip_through_json(path):
    doc = digestkit.load(path)
    data = json.loads(json.dumps(doc.to_dict(), ensure_ascii=False))
    again = Document.from_dict(data)
    assert again == doc
    assert again.meta.front_matter == doc.meta.front_matter


def test_typed_values_survive_json():
    meta = Meta(
        title="標題",
        date=dt.datetime(2026, 2, 28, 8, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        extra={
            "when": dt.date(2026, 1, 2),
            "no": "no",
            "ratio": 1.5,
            "nested": {"1": [True, None]},
        },
    )
    doc = Document(meta=meta, blocks=(Paragraph(children=(Text(text="x"),)),))
    back = Document.from_dict(json.loads(json.dumps(doc.to_dict())))
    assert back == doc
    assert back.meta.date.utcoffset() == dt.timedelta(hours=8)
    assert back.meta.extra["when"] == dt.date(2026, 1, 2)
    assert back.meta.extra["no"] == "no"


def test_equality_is_structural_and_nodes_are_frozen():
    a = Paragraph(children=(Emphasis(children=(Text(text="x"),)),))
    b = Paragraph(children=(Emphasis(children=(Text(text="x"),)),))
    assert a == b and a is not b
    assert a != Paragraph(children=(Text(text="x"),))
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.children = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        Meta(extra={"k": 1}).extra["k"] = 2  # type: ignore[index]


def test_articles_tables_and_walk():
    art = Article(
        meta=ArticleMeta(title="一", source="新浪科技", tags=("AI",)),
        blocks=(Paragraph(children=(Text(text="正文"),)),),
    )
    table = Table(
        header=(TableCell(children=(Text(text="h"),)),),
        rows=((TableCell(children=(Text(text="c"),)),),),
        aligns=("center",),
    )
    doc = Document(blocks=(art, table))
    assert Document.from_dict(doc.to_dict()) == doc
    assert list(doc.articles()) == [art]
    upper = walk(
        doc, lambda n: Text(text=n.text.upper().replace("正", "本")) if isinstance(n, Text) else n
    )
    assert "H" in plain_text(upper) and "本文" in plain_text(upper)
    assert "正文" not in plain_text(upper) and "正文" in plain_text(doc)


def test_from_dict_rejects_garbage():
    with pytest.raises(ValueError):
        Document.from_dict({"t": "Nope"})
    with pytest.raises(ValueError):
        Document.from_dict({"t": "Paragraph", "children": []})


def test_plain_text_soft_breaks_follow_css_segment_break_rules():
    from digestkit.ast import HardBreak, SoftBreak

    def para(*kids):
        return plain_text(Paragraph(children=kids))

    cn, en = Text(text="中文"), Text(text="word")
    assert para(cn, SoftBreak(), cn) == "中文中文"
    assert para(en, SoftBreak(), en) == "word\nword"
    assert para(cn, SoftBreak(), en) == "中文\nword"
    assert para(cn, HardBreak(), cn) == "中文\n中文"  # a hard break stays a break
    assert plain_text(SoftBreak()) == "\n"
