"""Property tests (hypothesis): generated ASTs with CJK text survive Markdown, front matter too."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import digestkit
from digestkit.ast import (
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    Document,
    Emphasis,
    Heading,
    Link,
    ListItem,
    Meta,
    OrderedList,
    Paragraph,
    SoftBreak,
    Strong,
    Text,
    ThematicBreak,
)

CJK = "中文字体测试繁體與簡體的转换網路软件人工智慧资料，。！？：；「」“”（）"
LATIN = "abcXYZ019"
SPECIAL = "*_[]<>`#&!~|\\-+=. "
settings.register_profile(
    "ci",
    max_examples=int(__import__("os").environ.get("DK_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci")


def _clean(s: str) -> str:
    return s.strip(" ")


words = st.text(alphabet=CJK + LATIN, min_size=1, max_size=12)
plain = st.text(alphabet=CJK + LATIN + SPECIAL, min_size=1, max_size=30).map(_clean).filter(bool)


@st.composite
def inline_runs(draw, depth=0):
    """Canonical inline sequences, as a reader would produce them."""
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(
            st.sampled_from(
                ["text", "text", "em", "strong", "code", "link"] if depth < 2 else ["text"]
            )
        )
        if kind == "text":
            parts.append(Text(text=draw(plain)))
        elif kind == "em":
            parts.append(Emphasis(children=(Text(text=draw(words)),)))
        elif kind == "strong":
            parts.append(Strong(children=(Text(text=draw(words)),)))
        elif kind == "code":
            parts.append(
                Code(
                    text=draw(
                        st.text(alphabet=LATIN + CJK + "`*_ ", min_size=1, max_size=10)
                    ).strip()
                    or "x"
                )
            )
        else:
            parts.append(Link(url="https://example.org/" + draw(st.text(alphabet=LATIN, max_size=8)),
                              children=(Text(text=draw(words)),)))  # fmt: skip
        if draw(st.booleans()) and depth == 0:
            parts.append(Text(text=" "))
    # merge adjacent text, drop edge spaces, as the reader does; two code spans (or two links)
    # side by side cannot be written in any Markdown, so a reader never produces them
    merged: list = []
    for p in parts:
        if merged and type(p) is type(merged[-1]) and isinstance(p, (Code, Link)):
            merged.append(Text(text="和"))
        if isinstance(p, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(text=merged[-1].text + p.text)
        else:
            merged.append(p)
    if isinstance(merged[0], Text):
        merged[0] = Text(text=merged[0].text.lstrip(" "))
    if isinstance(merged[-1], Text):
        merged[-1] = Text(text=merged[-1].text.rstrip(" "))
    return tuple(m for m in merged if not (isinstance(m, Text) and not m.text))


@st.composite
def blocks(draw, depth=0):
    out = []
    for _ in range(draw(st.integers(1, 4))):
        kinds = ["para", "para", "heading", "code", "hr"] + (
            ["bullet", "ordered", "quote"] if depth < 2 else []
        )
        kind = draw(st.sampled_from(kinds))
        if kind == "para":
            kids = draw(inline_runs())
            if kids:
                if draw(st.booleans()) and len(kids) > 1:
                    left, right = kids[0], kids[1]
                    if isinstance(left, Text):
                        left = Text(text=left.text.rstrip(" ")) if left.text.rstrip(" ") else None
                    if isinstance(right, Text):
                        right = (
                            Text(text=right.text.lstrip(" ")) if right.text.lstrip(" ") else None
                        )
                    # a line break swallows the spaces around it, as the reader does
                    kids = tuple(k for k in (left, SoftBreak(), right, *kids[2:]) if k is not None)
                    if isinstance(kids[0], SoftBreak) or isinstance(kids[-1], SoftBreak):
                        kids = tuple(k for k in kids if not isinstance(k, SoftBreak))
                out.append(Paragraph(children=kids))
        elif kind == "heading":
            kids = draw(inline_runs())
            if kids:
                out.append(Heading(level=draw(st.integers(1, 6)), children=kids))
        elif kind == "code":
            body = draw(st.text(alphabet=LATIN + CJK + "`~ \n", max_size=40))
            out.append(
                CodeBlock(
                    text=body.rstrip("\n") + "\n" if body.strip() else "",
                    info=draw(st.sampled_from(["", "python", "yaml"])),
                )
            )
        elif kind == "hr":
            out.append(ThematicBreak())
        elif kind in ("bullet", "ordered"):
            items = tuple(
                ListItem(
                    blocks=(Paragraph(children=draw(inline_runs(depth=1)) or (Text(text="项"),)),)
                )
                for _ in range(draw(st.integers(1, 3)))
            )
            out.append(
                BulletList(items=items)
                if kind == "bullet"
                else OrderedList(items=items, start=draw(st.integers(1, 9)))
            )
        else:
            out.append(BlockQuote(blocks=tuple(draw(blocks(depth=depth + 1)))))
    # two adjacent lists of one kind would merge in any Markdown; the writer alternates markers
    return out


scalars = st.one_of(
    st.text(alphabet=CJK + LATIN + " :-#'\"\n", max_size=20),
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.sampled_from(["no", "yes", "1.10", "null", "2026-02-26", "on"]),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)),
)
extras = st.dictionaries(st.text(alphabet="abcdefxyz_", min_size=1, max_size=8).filter(lambda k: k not in {
    "title", "date", "tags", "tag", "categories", "category", "summary", "description", "cover", "source",
    "author", "draft", "lang", "language", "slug", "weight", "aliases", "lastmod", "publishdate", "params"}),
    st.one_of(scalars, st.lists(scalars, max_size=3)), max_size=4)  # fmt: skip


@given(blocks())
def test_markdown_round_trip_and_idempotence(bs):
    doc = Document(meta=Meta(lang="zh-Hans"), blocks=tuple(bs))
    md = digestkit.dumps(doc)
    back = digestkit.loads(md, "markdown", detect_lang=False)
    again = digestkit.dumps(back)
    assert (
        digestkit.dumps(digestkit.loads(again, "markdown", detect_lang=False)) == again
    )  # idempotent
    assert back.blocks == doc.blocks, md


@given(blocks())
def test_markdown_written_reads_back_the_same_without_a_hint(bs):
    """Issue 25: whatever the Markdown writer writes sniffs as Markdown (or reads the same as
    prose): ``loads(dumps(doc))`` with no format hint is the named read."""
    doc = Document(meta=Meta(lang="zh-Hans"), blocks=tuple(bs))
    md = digestkit.dumps(doc)
    named = digestkit.loads(md, "markdown", detect_lang=False)
    assert digestkit.loads(md, detect_lang=False).blocks == named.blocks, md


@given(extras, st.one_of(st.none(), words))
def test_front_matter_round_trip_is_dict_equal(extra, title):
    doc = Document(meta=Meta(title=title, extra=extra, lang="zh-Hans"))
    for fmt_text in (digestkit.dumps(doc),):
        back = digestkit.loads(fmt_text, "markdown", detect_lang=False)
        assert dict(back.meta.extra) == extra and back.meta.title == title


@given(extras)
def test_front_matter_survives_toml_and_json(extra):
    from digestkit.writers.hugo import WRITER

    doc = Document(meta=Meta(title="t", extra=extra, lang="zh-Hans"))
    back = digestkit.loads(WRITER.render(doc, front_matter="toml"), "hugo", detect_lang=False)
    assert dict(back.meta.extra) == extra
    back = digestkit.loads(WRITER.render(doc, front_matter="json"), "hugo", detect_lang=False)

    # JSON has no date type: dates come back as ISO strings (documented), everything else as is
    def as_json(v):
        if isinstance(v, dt.date):
            return v.isoformat()
        return [as_json(x) for x in v] if isinstance(v, list) else v

    assert dict(back.meta.extra) == {k: as_json(v) for k, v in extra.items()}
