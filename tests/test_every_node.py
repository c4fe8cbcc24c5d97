"""Every node type of the AST goes through every writer and transform (issue 12).

The list of types comes from ``typing.get_args(Block)``/``get_args(Inline)``, so a node type
added to the model without an example here fails ``test_every_type_has_an_example``, and one a
writer or transform forgot fails the rendering tests (the writers' ``match`` statements end in
``assert_never`` too, which mypy checks).
"""

from __future__ import annotations

from typing import get_args

import pytest

import digestkit
from digestkit import ast
from digestkit.ast import (
    Article,
    ArticleMeta,
    Block,
    BlockQuote,
    BulletList,
    Caption,
    Code,
    CodeBlock,
    Document,
    Emphasis,
    HardBreak,
    Heading,
    HtmlBlock,
    HtmlInline,
    Image,
    Inline,
    Link,
    ListItem,
    Meta,
    Note,
    OrderedList,
    Paragraph,
    Raw,
    Ruby,
    Shortcode,
    ShortcodeInline,
    SoftBreak,
    Strikethrough,
    Strong,
    Table,
    TableCell,
    Text,
    ThematicBreak,
    plain_text,
)
from digestkit.writers.xhtml import RenderContext, render_blocks

WORD = "软件质量"  # Simplified: s2twp makes it 軟體品質, so conversion is visible
T = (Text(text=WORD),)

INLINES: dict[type, Inline] = {
    Text: Text(text=WORD),
    Emphasis: Emphasis(children=T),
    Strong: Strong(children=T),
    Strikethrough: Strikethrough(children=T),
    Code: Code(text="x = 1"),
    Link: Link(url="https://example.org/", children=T),
    Image: Image(url="https://example.org/a.png", alt=T),
    Ruby: Ruby(base=T, annotation="ruǎn jiàn zhì liàng"),
    SoftBreak: SoftBreak(),
    HardBreak: HardBreak(),
    HtmlInline: HtmlInline(text="<span>"),
    Note: Note(blocks=(Paragraph(children=T),), label="1"),
    ShortcodeInline: ShortcodeInline(
        name="abbr", params=(("", "x"),), children=T, open='{{< abbr "x" >}}',
        close="{{< /abbr >}}",
    ),
}  # fmt: skip
BLOCKS: dict[type, Block] = {
    Paragraph: Paragraph(children=T),
    Heading: Heading(level=2, children=T),
    BulletList: BulletList(items=(ListItem(blocks=(Paragraph(children=T),)),)),
    OrderedList: OrderedList(items=(ListItem(blocks=(Paragraph(children=T),)),), start=3),
    BlockQuote: BlockQuote(blocks=(Paragraph(children=T),)),
    CodeBlock: CodeBlock(text="print(1)\n", info="python"),
    ThematicBreak: ThematicBreak(),
    HtmlBlock: HtmlBlock(text=f"<div>{WORD}</div>"),
    Raw: Raw(format="html", text=f"<p>{WORD}</p>"),
    Table: Table(header=(TableCell(children=T),), rows=((TableCell(children=T),),)),
    Caption: Caption(children=T),
    Article: Article(meta=ArticleMeta(title="标题", date="2026-03-02T08:00:00+08:00"),
                     blocks=(Paragraph(children=T),)),
    Shortcode: Shortcode(
        name="notice", params=(("", "tip"),), blocks=(Paragraph(children=T),),
        open="{{% notice tip %}}", close="{{% /notice %}}",
    ),
}  # fmt: skip


def test_every_type_has_an_example():
    assert set(INLINES) == set(get_args(Inline))
    assert set(BLOCKS) == set(get_args(Block))


def _docs() -> list[tuple[str, Document]]:
    out = [(f"inline-{cls.__name__}", Document(blocks=(Paragraph(children=(node,) if cls is Text
            else (Text(text="前"), node, Text(text="后"))),))) for cls, node in INLINES.items()]  # fmt: skip
    out += [(f"block-{cls.__name__}", Document(blocks=(node,))) for cls, node in BLOCKS.items()]
    return out


DOCS = _docs()


def _has_text(doc: Document) -> bool:
    return WORD in plain_text(doc)


@pytest.mark.parametrize(("name", "doc"), DOCS, ids=[n for n, _ in DOCS])
@pytest.mark.parametrize("fmt", ["markdown", "json", "pandoc-json"])
def test_text_writers_keep_every_node(name, doc, fmt):
    out = digestkit.dumps(doc, fmt)
    if _has_text(doc) and fmt == "markdown":
        assert WORD in out
    back = digestkit.loads(out, fmt, detect_lang=False)
    if fmt != "markdown":  # the two JSON forms are exact
        assert back == doc


@pytest.mark.parametrize(("name", "doc"), DOCS, ids=[n for n, _ in DOCS])
def test_xhtml_renders_every_node(name, doc):
    ctx = RenderContext()
    html = render_blocks(doc.blocks, ctx)
    if _has_text(doc) and "Raw" not in name:
        assert WORD in html


@pytest.mark.parametrize(("name", "doc"), DOCS, ids=[n for n, _ in DOCS])
def test_hugo_renders_every_node(name, doc):
    text = digestkit.registry.get_writer("hugo").render(doc)  # type: ignore[attr-defined]
    if _has_text(doc) and name != "block-Raw":
        assert WORD in text


@pytest.mark.parametrize(("name", "doc"), DOCS, ids=[n for n, _ in DOCS])
def test_transforms_reach_every_node(name, doc):
    converted = digestkit.convert_script(doc, "s2twp")
    if _has_text(doc) and name not in ("block-HtmlBlock", "block-Raw"):
        assert WORD not in plain_text(converted) and "軟體" in plain_text(converted)
    assert digestkit.fix_punctuation(doc) is not None
    assert digestkit.repair_script(doc) == doc  # nothing Traditional to repair
    # walk visits every node: rebuild with a Text mapper and see the text change
    shouted = ast.walk(
        doc, lambda n: Text(text=n.text.replace("软", "軟")) if isinstance(n, Text) else n
    )
    if any(isinstance(n, Text) for n in _texts(doc)):
        assert "软" not in "".join(t.text for t in _texts(shouted))


def _texts(doc: Document) -> list[Text]:
    found: list[Text] = []
    ast.walk(doc, lambda n: found.append(n) or n if isinstance(n, Text) else n)
    return found


@pytest.mark.parametrize(("name", "doc"), DOCS, ids=[n for n, _ in DOCS])
@pytest.mark.parametrize("email", [False, True], ids=["page", "email"])
def test_html_page_holds_every_node(name, doc, email):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        page = digestkit.dumps(doc, "html", email=email)
    if _has_text(doc) and "Raw" not in name:
        assert WORD in page
    assert page.count("<body") == 1 and page.rstrip().endswith("</html>")


def test_epub_holds_every_node(tmp_path):
    blocks = (*tuple(BLOCKS.values()), Paragraph(children=tuple(INLINES.values())))
    doc = Document(meta=digestkit.ast.Meta(title="全部", lang="zh-Hans"), blocks=blocks)
    from tests.conftest import epub_texts, epubcheck

    path = digestkit.dump(doc, tmp_path / "all.epub")
    assert WORD in "".join(epub_texts(path).values())
    assert epubcheck(path) == []


@pytest.mark.parametrize(
    "node", [*INLINES.values(), *BLOCKS.values()], ids=lambda n: type(n).__name__
)
def test_every_node_pickles_to_itself_with_the_dataclass_state(node):
    """Nodes carry a fast pickle state (ast._fast_pickling): it must be the dataclass default's
    (the field values in order) and give back an equal node."""
    import dataclasses
    import pickle

    for n in (
        node,
        Document(meta=Meta(title="题", lang="zh-Hans"), blocks=(Paragraph(children=T),)),
    ):
        state = n.__getstate__()
        assert list(state) == [getattr(n, f.name) for f in dataclasses.fields(n)]
        assert pickle.loads(pickle.dumps(n, protocol=pickle.HIGHEST_PROTOCOL)) == n
