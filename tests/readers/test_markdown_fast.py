"""The accelerated Markdown parse path (markdown-it-pyrs) gives the reference's AST (markdown-it-py).

``fast_blocks`` may decline (``None``: the reference parses), never differ. Checked on the
CommonMark spec's examples, the seeds, the property tests' documents, generated Markdown-ish
noise, cases written after patterns seen in a real Hugo corpus, and the real Markdown committed
here (README, docs/). The real corpus outside the repository is a benchmark
(``python -m benchmarks.markdown_corpus``), so no test here depends on a machine's files.
Each test also checks the fast path is really taken where it should be, so a fast path that
silently always declined would fail here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import digestkit
from digestkit import frontmatter
from digestkit.ast import Document, Meta
from digestkit.readers.markdown import parse_blocks, reference_blocks
from digestkit.readers.markdown_fast import fast_blocks

from ..conftest import SEEDS, need_module, peer_file
from ..test_properties import blocks

need_module("markdown_it_pyrs")


def _body(text: str) -> str:
    return frontmatter.split(text).body if frontmatter.detect(text) else text


def _check(text: str) -> bool:
    """True when the fast path answered (and then it must equal the reference)."""
    fast = fast_blocks(text)
    if fast is None:
        return False
    assert fast == reference_blocks(text), text
    return True


def test_commonmark_spec_examples():
    cases = json.loads(peer_file("commonmark", "commonmark.json").read_text(encoding="utf-8"))
    assert len(cases) == 652
    answered = sum(_check(c["markdown"]) for c in cases)
    # most examples take the fast path (the rest are the rules it leaves to the reference)
    assert answered >= 450, answered


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_seeds(seed: Path):
    body = _body(seed.read_text(encoding="utf-8"))
    answered = _check(body)
    if seed.name.startswith("000"):  # the weekly benchmark's digest: must be fast
        assert answered


@given(blocks())
@settings(max_examples=int(os.environ.get("DK_EXAMPLES", "150")))
def test_property_documents(bs):
    md = digestkit.dumps(Document(meta=Meta(lang="zh-Hans"), blocks=tuple(bs)))
    _check(_body(md))


_NOISE = st.lists(st.sampled_from([
    "*", "_", "~", "`", "[", "]", "(", ")", "<", ">", "!", "#", "&", "\\", "-", "+", "=", ".",
    ":", "|", " ", "\n", "\n\n", "\t", '"', "'", "a", "1", "中文", "，", "。", "「", "」", "- ",
    "1. ", "> ", "```", "    ", "&amp;", "&#35;", "http://x.y/中", '<a href="x">', "</a>",
    "<div>", "| a | b |\n|---|---|\n", '[x]: /u "t"\n', "![i](/p.png)", "[l](/q 't')",
    "<!-- c -->", "\u3000", "\xa0", "😀", "€", "%20", "***", "___", "~~", "<http://a.b>",
    "<a@b.c>", "\\\n", "  \n", "# ", "===\n", "---\n", "  - ", "<em>", "</em>", "<s>", "</s>",
]), min_size=1, max_size=40).map("".join)  # fmt: skip


@given(_NOISE)
@settings(max_examples=int(os.environ.get("DK_EXAMPLES", "150")) * 4)
def test_markdown_noise(text):
    _check(text)


# Written after patterns seen in the real corpus (not copied from it): the edge cases where
# the two parsers differ must be declined, the ordinary ones answered.
DECLINED = [
    "**粗体:\xa0**[链接](https://example.org/)\xa0\n",  # str.strip() of a no-break space
    "\u3000\u3000段落以全角空格缩进。\n",
    "*€*价格\n",  # a symbol next to emphasis (CommonMark 0.31)
    "文字 <!-- a -- b -->\n",  # an old-style comment
    "[链接](https://example.org/%E4%B8%AD)\n",  # the author's own percent escapes
    "[a](javascript:alert(1))\n",
    "脚注[^1]\n\n[^1]: 说明\n",
    "{{< figure src=x.png >}}\n",
    "前文\n| a | b |\n|---|---|\n| 1 | 2 |\n",  # a table interrupting a paragraph
    "```\n未闭合的代码块",
    "> " * 30 + "深\n",
    "> 1. 函数总是求出同样的结果。\n2. 结果的求值不会促使副作用。\n",  # a lazy line, or a new list?
]
ANSWERED = [
    '# 标题\n\n段落，**粗体**与*斜体*，[链接](https://zh.wikipedia.org/wiki/中文 "标题")。\n',
    "- 一\n- 二\n  - 三\n\n1. 甲\n\n2. 乙\n",
    "| 列 | 值 |\n|:--|--:|\n| a | `b` |\n\n后文\n",
    "> 引用\n>\n> ```py\n> x = 1\n> ```\n\n***\n\n<div>\nraw\n</div>\n",
    "图：![说明](images/a.png)，<https://example.org> 与 <a@b.c>。\n",
    "[ref] 与 [另一个][ref]\n\n[ref]: /a/中文.md\n",
    "~~删除~~ <em>强调</em>\\\n换行  \n再换行\n",
    # an empty title (a Hugo theme's image link, read from HTML and written back): no title
    "[![图](/a.png)](/a.png \"\") 与 [链接](https://example.org/ '')\n",
]


@pytest.mark.parametrize("text", DECLINED)
def test_declines_what_only_the_reference_reads_right(text):
    assert fast_blocks(text) is None
    assert parse_blocks(text)  # and the reader still reads it


@pytest.mark.parametrize("text", ANSWERED)
def test_answers_ordinary_markdown(text):
    assert _check(text)


def test_turned_off_by_environment(monkeypatch):
    from digestkit.readers import markdown_fast

    markdown_fast._parser.cache_clear()
    monkeypatch.setenv("DIGESTKIT_MARKDOWN", "reference")
    try:
        assert fast_blocks(ANSWERED[0]) is None
    finally:
        monkeypatch.delenv("DIGESTKIT_MARKDOWN")
        markdown_fast._parser.cache_clear()
    assert fast_blocks(ANSWERED[0]) is not None


def test_committed_markdown():
    """Real Markdown committed here — the seeds, the README, docs/, the test data — read alike by
    both paths, and mostly by the fast one. (The whole real corpus, 3,939 documents outside the
    repository, is ``python -m benchmarks.markdown_corpus``; docs/benchmarks.md has its figures.)
    """
    root = Path(__file__).resolve().parent.parent.parent
    files = [*SEEDS, root / "README.md", *sorted((root / "docs").glob("*.md")),
             *sorted((root / "tests" / "data").glob("*.md"))]  # fmt: skip
    assert len(files) >= 12
    answered = [path.name for path in files if _check(_body(path.read_text(encoding="utf-8")))]
    # the seeds are everyday digests: the fast path reads every one (the docs' own Markdown,
    # with tables after paragraphs and percent-escaped links, mostly goes to the reference)
    assert {p.name for p in SEEDS} <= set(answered), answered


def test_no_test_skips_for_a_corpus_outside_the_repository():
    """Under CI=true a skipped comparison proves nothing (issue 25): whole-corpus checks are
    benchmarks, tests run on committed data."""
    import re

    tests = Path(__file__).resolve().parent.parent
    for path in tests.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"pytest\.skip\([^)]*corpus", source, re.I), path


# Shapes reduced from three real documents on which markdown-it.rs 0.6 panics (`[` and a backtick
# run that nothing closes); the panic was caught, but Rust printed it and a backtrace to stderr.
@pytest.mark.parametrize(
    "text", ["[`", "a `b`\n[`", "```\n```\nfoo [`", "[`](u)", "[``a`", "see [`x\n\nmore"]
)
def test_text_the_rust_parser_panics_on_is_declined_quietly(text, capfd):
    assert fast_blocks(text) is None
    assert parse_blocks(text) == reference_blocks(text)
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize("text", ["[`a`]", "[x] and `code`", "[`a` b](u) `c`", "`[`"])
def test_closed_code_spans_next_to_brackets_keep_the_fast_path(text):
    assert fast_blocks(text) is not None
    assert _check(text)


def test_unicode_space_is_what_isspace_says():
    """The written-out list is every ``isspace`` character from U+0080 to U+3000 (plus ASCII's
    separators), as the import-time search it replaced found."""
    from digestkit.readers import markdown_fast

    found = frozenset(c for c in map(chr, range(0x80, 0x3001)) if c.isspace())
    assert found | set("\x1c\x1d\x1e\x1f\x0b\x0c") == markdown_fast._UNICODE_SPACE
