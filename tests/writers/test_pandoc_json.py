"""The ``pandoc-json`` writer: exact round trips, and the real pandoc reading what it writes.

The property test builds documents with every node type (the base strategies of
``tests/test_properties.py`` plus notes, shortcodes, raw blocks, tables, captions, articles and
full metadata) and requires digestkit → pandoc JSON → digestkit to give the same document,
``to_dict()`` included. The pandoc tests run the pandoc binary from pypandoc-binary.
"""

from __future__ import annotations

import datetime as dt
import html.parser
import io
import json
import re
import subprocess
import sys
import typing
from dataclasses import fields, replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import digestkit
from digestkit import ast
from digestkit.ast import (
    Article,
    ArticleMeta,
    Caption,
    CodeBlock,
    Document,
    FrontMatter,
    HardBreak,
    Heading,
    HtmlBlock,
    HtmlInline,
    Image,
    Link,
    Meta,
    MetaKey,
    Note,
    Paragraph,
    Raw,
    Ruby,
    Shortcode,
    ShortcodeInline,
    Strikethrough,
    Table,
    TableCell,
    Text,
    plain_text,
    walk,
)
from digestkit.errors import DigestkitError
from digestkit.readers.pandoc_json import READER
from digestkit.writers.pandoc_json import WRITER, to_pandoc
from tests.conftest import ROOT, SEEDS, require
from tests.test_properties import CJK, LATIN, blocks, extras, inline_runs, words

# --------------------------------------------------------------------------- pandoc


def pandoc_path() -> str:
    try:
        import pypandoc

        path = pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        path = None
    require(path is not None, "pandoc (pip install pypandoc-binary; ./run setup)")
    assert path is not None
    return str(path)


def pandoc(*args: str, data: bytes | str = b"") -> bytes:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    proc = subprocess.run([pandoc_path(), *args], input=raw, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    return proc.stdout


# --------------------------------------------------------------------------- strategies

text = st.text(alphabet=CJK + LATIN + " \n\u00a0\t*_<>&\"'", min_size=1, max_size=12)
maybe = st.one_of(st.none(), st.just(""), words)


def canonical(node):
    """Adjacent texts merged and empty ones dropped: the form every digestkit reader gives."""

    def merge(children):
        out = []
        for c in children:
            if isinstance(c, Text):
                if not c.text:
                    continue
                if out and isinstance(out[-1], Text):
                    out[-1] = Text(text=out[-1].text + c.text)
                    continue
            out.append(c)
        return tuple(out)

    def action(n):
        if isinstance(n, Image):
            return replace(n, alt=merge(n.alt))
        if hasattr(n, "children") and n.children is not None and not isinstance(n, Document):
            return replace(n, children=merge(n.children))
        return n

    return walk(node, action)


@st.composite
def more_inlines(draw, depth=0):
    """Every inline type, nested: the base runs plus what the Markdown strategies leave out."""
    out = list(draw(inline_runs(depth=1)))
    for _ in range(draw(st.integers(0 if depth else 1, 4))):
        kind = draw(st.sampled_from(["short", "note", "text", "strike", "image", "link", "hard", "html",
                                     "short", "ruby"]))  # fmt: skip
        if kind == "text":
            out.append(Text(text=draw(text)))
        elif kind == "strike":
            out.append(Strikethrough(children=(Text(text=draw(words)),)))
        elif kind == "ruby":
            out.append(Ruby(base=(Text(text=draw(words)),), annotation=draw(text)))
        elif kind == "image":
            out.append(Image(url=draw(words), alt=(Text(text=draw(words)),), title=draw(maybe)))
        elif kind == "link":
            out.append(Link(url=draw(words), children=(Text(text=draw(text)),), title=draw(maybe)))
        elif kind == "hard":
            out.append(HardBreak())
        elif kind == "html":
            tag = draw(st.sampled_from(["<br>", "<span>", "</span>", "<!-- c -->", "<u>"]))
            out.append(HtmlInline(text=tag))
        elif kind == "note" and depth == 0:
            body = (Paragraph(children=(Text(text=draw(words)),)),)
            out.append(Note(blocks=body, label=draw(st.sampled_from(["", "1", "注"]))))
        elif kind == "short" and depth == 0:
            kids = draw(st.one_of(st.none(), st.just(()), st.just((Text(text=draw(words)),))))
            out.append(
                ShortcodeInline(
                    name=draw(words),
                    params=tuple(
                        draw(st.lists(st.tuples(st.sampled_from(["", "a"]), words), max_size=2))
                    ),
                    children=kids,
                    open=draw(st.sampled_from(["", '{{< ref "x" >}}'])),
                    close=draw(st.sampled_from(["", "{{< /ref >}}"])),
                )
            )
    return tuple(draw(st.permutations(out)))


cells = st.builds(lambda k: TableCell(children=k), more_inlines(depth=1))


@st.composite
def all_blocks(draw, depth=0):
    out = list(draw(blocks(depth=1)))
    for _ in range(draw(st.integers(1 - depth, 6 - 3 * depth))):
        kind = draw(st.sampled_from(["para", "heading", "code", "html", "raw", "table",
                                     "caption", "short", "article", "loose"]))  # fmt: skip
        if kind == "para":
            out.append(Paragraph(children=draw(more_inlines())))
        elif kind == "heading":
            out.append(Heading(level=draw(st.integers(1, 6)), children=draw(more_inlines()),
                               id=draw(st.one_of(st.none(), st.just(""), words))))  # fmt: skip
        elif kind == "code":
            out.append(CodeBlock(text=draw(st.text(alphabet="ab \n\t", max_size=8)),
                                 info=draw(st.sampled_from(["", "py", "ruby x=1", " "]))))  # fmt: skip
        elif kind == "html":
            out.append(HtmlBlock(text=draw(st.sampled_from(["<div>\nx\n</div>", "<!--more-->",
                                                            "<p>a</p>\n", ""]))))  # fmt: skip
        elif kind == "raw":
            out.append(Raw(format=draw(st.sampled_from(["hugo", "html", "latex"])),
                           text=draw(st.sampled_from(["{{< x >}}", "<b>\n", "\\newpage"]))))  # fmt: skip
        elif kind == "table":
            n = draw(st.integers(0, 3))
            header = tuple(draw(st.lists(cells, min_size=n, max_size=n)))
            rows = tuple(tuple(draw(st.lists(cells, min_size=n, max_size=n)))
                         for _ in range(draw(st.integers(0, 2))))  # fmt: skip
            size = draw(st.sampled_from([n, n, 0, n + 1]))  # one per column, or not
            aligns = tuple(draw(st.lists(st.sampled_from(["", "left", "center", "right"]),
                                         min_size=size, max_size=size)))  # fmt: skip
            out.append(Table(header=header, rows=rows, aligns=aligns))
        elif kind == "caption":
            out.append(Caption(children=draw(more_inlines(depth=1))))
        elif kind == "short" and depth == 0:
            inner = draw(st.one_of(st.none(), st.just(()), all_blocks(depth=1)))
            out.append(Shortcode(name=draw(words), params=(("", draw(words)),),
                                 blocks=None if inner is None else tuple(inner),
                                 open="{{% x %}}", close="{{% /x %}}"))  # fmt: skip
        elif kind == "article" and depth == 0:
            meta = ArticleMeta(title=draw(maybe), source=draw(maybe), author=draw(maybe),
                               tags=tuple(draw(st.lists(words, max_size=2))),
                               lang=draw(st.sampled_from([None, "zh-Hant", "en"])),
                               column=draw(maybe),
                               date=draw(st.sampled_from([None, "2026-03-02",
                                                          "2026-03-02T08:00:00+08:00"])))  # fmt: skip
            out.append(Article(meta=meta, blocks=tuple(draw(all_blocks(depth=1)))))
        elif kind == "loose":
            item = ast.ListItem(blocks=(CodeBlock(text="x\n"),))
            out.append(ast.BulletList(items=(item,), tight=draw(st.booleans())))
    return tuple(out)


tz = st.sampled_from([None, dt.UTC, dt.timezone(dt.timedelta(hours=8))])
dates = st.one_of(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.builds(lambda d, z: d.replace(tzinfo=z), st.datetimes(min_value=dt.datetime(1990, 1, 1),
                                                             max_value=dt.datetime(2100, 1, 1)), tz),
)  # fmt: skip
values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), text, dates,
              st.times()),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(["a", "b/c", "~d"]), inner, max_size=2),
                            st.dictionaries(st.integers(0, 3), inner, max_size=2)),
    max_leaves=6,
)  # fmt: skip


@st.composite
def metas(draw):
    extra = dict(draw(extras))
    extra.update(draw(st.dictionaries(st.sampled_from(["x", "title", "params", "digestkit",
                                                       "weight"]), values, max_size=3)))  # fmt: skip
    str_or_none = st.one_of(st.none(), words)
    return Meta(
        title=draw(str_or_none), date=draw(st.one_of(st.none(), dates)),
        tags=tuple(draw(st.lists(words, max_size=3))), categories=tuple(draw(st.lists(words, max_size=2))),
        summary=draw(st.one_of(st.none(), text)), description=draw(str_or_none),
        cover_image=draw(str_or_none), source=draw(str_or_none), author=draw(str_or_none),
        draft=draw(st.one_of(st.none(), st.booleans())), lang=draw(st.sampled_from([None, "zh-Hans"])),
        slug=draw(str_or_none), weight=draw(st.one_of(st.none(), st.integers())),
        aliases=tuple(draw(st.lists(words, max_size=2))), lastmod=draw(st.one_of(st.none(), dates)),
        publish_date=draw(st.one_of(st.none(), dates)),
        params=draw(st.dictionaries(st.sampled_from(["p", "q"]), values, max_size=2)),
        extra=extra,
        keys=tuple(MetaKey(name=k, field="extra") for k in extra)
        + draw(st.sampled_from([(), (MetaKey(name="lang", field="lang", form="detected"),)])),
        front_matter=draw(st.sampled_from([None, FrontMatter(format="toml", text='title = "x"\n')])),
    )  # fmt: skip


documents = st.builds(lambda m, b: canonical(Document(meta=m, blocks=b)), metas(), all_blocks())


# --------------------------------------------------------------------------- round trips


@given(documents)
def test_round_trip_is_exact(doc):
    out = WRITER.write(doc)
    back = READER.read(out)
    assert back == doc
    assert back.to_dict() == doc.to_dict()  # key spellings and front matter text too
    assert digestkit.registry.detect_format(out) == "pandoc-json"


@settings(max_examples=25)
@given(documents)
def test_round_trip_survives_pandoc_itself(doc):
    """pandoc reads the JSON and writes it back (its own normalisation included) losslessly."""
    again = pandoc("-f", "json", "-t", "json", data=WRITER.write(doc)).decode("utf-8")
    assert READER.read(again) == doc


def test_article_date_survives_pandoc_and_shows_in_its_html():
    doc = Document(blocks=(ast.Article(
        meta=ast.ArticleMeta(title="一", date="2026-03-02T23:30:00-05:00"),
        blocks=(Paragraph(children=(Text(text="文。"),)),)),))  # fmt: skip
    data = WRITER.write(doc)
    assert READER.read(pandoc("-f", "json", "-t", "json", data=data).decode("utf-8")) == doc
    assert 'data-date="2026-03-02T23:30:00-05:00"' in pandoc("-f", "json", "-t", "html",
                                                            data=data).decode("utf-8")  # fmt: skip


def test_every_node_type_is_generated():
    """The strategies cover every Block and Inline (a new node fails here until added)."""
    seen: set[type] = set()

    @settings(max_examples=120, database=None, derandomize=True)
    @given(documents)
    def collect(doc):
        walk(doc, lambda n: seen.add(type(n)) or n)

    collect()
    wanted = set(typing.get_args(ast.Block)) | set(typing.get_args(ast.Inline))
    assert wanted - seen == set()


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_seeds_round_trip(seed):
    doc = digestkit.load(seed)
    back = digestkit.loads(digestkit.dumps(doc, "pandoc-json"), "pandoc-json")
    assert back.to_dict() == doc.to_dict()


def test_writer_refuses_options():
    with pytest.raises(DigestkitError, match="'indent' is not an option of the pandoc-json format"):
        digestkit.dumps(Document(), "pandoc-json", indent=2)


def test_unknown_metadata_type_is_an_error():
    with pytest.raises(DigestkitError, match="'blob' of type bytes"):
        WRITER.write(Document(meta=Meta(extra={"blob": b"\x00"})))


def test_typed_metadata_as_pandoc_sees_it():
    """Dates are plain strings for pandoc's templates; their types ride in the digestkit map."""
    meta = Meta(title="周报", date=dt.date(2026, 2, 26), tags=("AI",), weight=3, draft=False,
                extra={"published": dt.datetime(2026, 2, 26, 8, tzinfo=dt.timezone(dt.timedelta(hours=8)))})  # fmt: skip
    data = to_pandoc(Document(meta=meta))
    assert data["pandoc-api-version"] == [1, 23, 1]
    m = data["meta"]
    assert m["title"] == {"t": "MetaString", "c": "周报"}
    assert m["date"] == {"t": "MetaString", "c": "2026-02-26"}
    assert m["tags"] == {"t": "MetaList", "c": [{"t": "MetaString", "c": "AI"}]}
    assert m["draft"] == {"t": "MetaBool", "c": False}
    types = {k: v["c"] for k, v in m["digestkit"]["c"]["types"]["c"].items()}
    assert types == {"/date": "date", "/weight": "int", "/published": "datetime"}
    back = READER.read(json.dumps(data)).meta
    assert back == meta and isinstance(back.extra["published"], dt.datetime)


# --------------------------------------------------------------------------- the real pandoc


class _Text(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def assert_keeps_text(doc: Document, rendered: str, what: str) -> None:
    """Every line of digestkit's plain text appears, in order, in pandoc's rendering."""
    haystack, pos = _squash(rendered), 0
    for line in plain_text(doc).splitlines():
        needle = _squash(line)
        if not needle:
            continue
        found = haystack.find(needle, pos)
        assert found >= 0, f"{what}: lost or reordered text {line[:60]!r}"
        pos = found + len(needle)


@pytest.mark.tool
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_pandoc_html_and_docx_keep_all_text(seed, tmp_path):
    doc = digestkit.load(seed)
    data = digestkit.dumps(doc, "pandoc-json")
    parser = _Text()
    parser.feed(pandoc("-f", "json", "-t", "html", data=data).decode("utf-8"))
    assert_keeps_text(doc, "".join(parser.parts), "HTML")
    docx = tmp_path / "x.docx"
    pandoc("-f", "json", "-o", str(docx), data=data)
    plain = pandoc("-f", "docx", "-t", "plain", "--wrap=none", str(docx)).decode("utf-8")
    assert_keeps_text(doc, plain, "docx")
    for article in doc.articles():  # the article titles are visible too
        assert article.meta.title is None or _squash(article.meta.title) in _squash(plain)


@pytest.mark.tool
def test_panflute_filter_runs_on_digestkit_output():
    import panflute as pf

    doc = digestkit.load(SEEDS[2])  # prose: articles, captions, Traditional Chinese
    assert any(True for _ in doc.articles())

    def to_simplified_term(elem, _doc):
        if isinstance(elem, pf.Str) and "AI" in elem.text:
            return pf.Str(elem.text.replace("AI", "人工智慧"))
        return None

    pdoc = pf.load(io.StringIO(digestkit.dumps(doc, "pandoc-json")))
    pdoc = pf.run_filter(to_simplified_term, doc=pdoc)
    pdoc.metadata["filtered"] = True
    buf = io.StringIO()
    pf.dump(pdoc, buf)
    back = READER.read(buf.getvalue())
    assert back.meta.extra["filtered"] is True
    assert "AI" not in plain_text(back) and "人工智慧" in plain_text(back)
    # structure pandoc has no name for survives the filter
    assert [a.meta for a in back.articles()] == [a.meta for a in doc.articles()]
    assert replace(back.meta, extra={}) == replace(doc.meta, extra={})


LUA = """
function Strong(el) return pandoc.Emph(el.content) end
function Meta(m) m.checked = true; return m end
"""


@pytest.mark.tool
def test_lua_filter_through_pandoc(tmp_path):
    doc = digestkit.load(SEEDS[1])  # Hugo seed: TOML front matter with a date-time
    assert any(isinstance(n, ast.Strong) for n in _nodes(doc))
    lua = tmp_path / "f.lua"
    lua.write_text(LUA, encoding="utf-8")
    out = pandoc("-f", "json", "-t", "json", "--lua-filter", str(lua),
                 data=digestkit.dumps(doc, "pandoc-json"))  # fmt: skip
    back = READER.read(out.decode("utf-8"))
    assert not any(isinstance(n, ast.Strong) for n in _nodes(back))
    assert plain_text(back) == plain_text(doc)
    assert back.meta.extra["checked"] is True
    assert back.meta.date == doc.meta.date and isinstance(back.meta.date, dt.datetime)


def _nodes(doc):
    seen = []
    walk(doc, lambda n: seen.append(n) or n)
    return seen


# --------------------------------------------------------------------------- the command line


@pytest.mark.tool
def test_cli_pipes_into_pandoc_docx(tmp_path):
    seed = SEEDS[3]
    conv = subprocess.run(
        [sys.executable, "-m", "digestkit", "-q", "convert", str(seed), "--to", "pandoc-json"],
        capture_output=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert conv.returncode == 0, conv.stderr
    docx = tmp_path / "x.docx"
    pandoc("-f", "json", "-o", str(docx), data=conv.stdout)
    plain = pandoc("-f", "docx", "-t", "plain", "--wrap=none", str(docx)).decode("utf-8")
    assert_keeps_text(digestkit.load(seed), plain, "docx via the CLI")


def test_meta_fields_are_all_written():
    """Each typed Meta field has a pandoc key (a new field fails here until it is mapped)."""
    names = {f.name for f in fields(Meta)} - {"keys", "front_matter", "extra"}
    meta = Meta(title="t", date=dt.date(2026, 1, 1), tags=("a",), categories=("b",), summary="s",
                description="d", cover_image="c.png", source="src", author="au", draft=True,
                lang="zh-Hans", slug="sl", weight=1, aliases=("/x",), lastmod=dt.date(2026, 1, 2),
                publish_date=dt.date(2026, 1, 3), params={"p": 1})  # fmt: skip
    assert names <= set(to_pandoc(Document(meta=meta))["meta"])


def test_cli_standard_output_refuses_binary_and_several_inputs():
    for args in (["--to", "epub"], [str(SEEDS[1]), "--to", "pandoc-json"]):
        proc = subprocess.run(
            [sys.executable, "-m", "digestkit", "convert", str(SEEDS[0]), *args],
            capture_output=True, cwd=ROOT, timeout=120,
        )  # fmt: skip
        assert proc.returncode == 2 and proc.stdout == b""
        assert b"standard output takes one document" in proc.stderr
