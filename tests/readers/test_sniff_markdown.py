"""Markdown without front matter is read as Markdown with no format hint (issue 25, point 1).

The fixtures in ``fixtures/sniff/`` are real files (provenance in ``SOURCES.tsv``) that the old
one-marked-line-in-twenty rule sent to the prose reader, and faithful synthetic copies of the
layouts whose sources carry no licence (a weekly newsletter issue as a ``.txt``, a Go daily).
The whole-corpus run is ``python -m benchmarks.sniff_markdown`` (figures in docs/formats.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import digestkit
from digestkit.ast import Heading, plain_text
from digestkit.readers.markdown_sniff import markdown_score
from digestkit.registry import detect_format

HERE = Path(__file__).parent / "fixtures" / "sniff"
FIXTURES = sorted(p for p in HERE.iterdir() if p.suffix in (".md", ".txt"))
SEEDS = Path(__file__).resolve().parents[2] / "fixtures"


def _loads(text: str, fmt: str | None = None, path: str | None = None) -> digestkit.Document:
    return digestkit.loads(text, fmt, path=path, detect_lang=False)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
@pytest.mark.parametrize("named", [False, True], ids=["no-name", "as-txt"])
def test_real_markdown_is_sniffed_as_markdown(fixture, named):
    text = fixture.read_text(encoding="utf-8")
    path = "archive/2026-01-05.txt" if named else None
    assert detect_format(text, path) == "markdown"
    assert _loads(text, path=path) == _loads(text, "markdown")


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_markdown_written_reads_back_without_a_hint(fixture):
    doc = _loads(fixture.read_text(encoding="utf-8"), "markdown")
    assert _loads(digestkit.dumps(doc, "markdown")) == doc


def test_weekly_issue_keeps_its_heading_and_links():
    doc = _loads((HERE / "weekly-issue.txt").read_text(encoding="utf-8"))
    first = doc.blocks[0]
    assert isinstance(first, Heading) and first.level == 1
    assert plain_text(first).startswith("科技周刊")  # not "# 科技周刊"
    md = digestkit.dumps(doc, "markdown")
    assert "[example/weekly](https://github.com/example/weekly)" in md and "\\[" not in md


@pytest.mark.parametrize("seed", ["002", "003", "004"])
def test_prose_seeds_stay_prose(seed):
    (path,) = SEEDS.glob(f"{seed}_*.txt")
    assert detect_format(path.read_text(encoding="utf-8"), str(path)) == "prose"


def test_seed_000_body_is_markdown_without_its_front_matter():
    (path,) = SEEDS.glob("000_*.txt")
    body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    assert detect_format(body, "000.txt") == "markdown"


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("#AI部署\n正文第一段。\n正文第二段。\n", False),  # a hashtag, not a heading
        ("第一行。\n第二行。\n第三行。\n", False),  # lines, no structure
        ("标题\n\n正文一段。\n\n正文二段。\n", True),  # every break a paragraph break
        ("标题\n正文一段。\n\n正文二段。\n", False),  # single breaks too, no structure
        ("正文一段。\n\n见 [链接](https://example.org)。\n", True),
        ("看 **这里** 和 `code`。\n", True),  # one line, inline structure
        ("- 一\n- 二\n- 三\n", True),
        ("订阅:https://example.org/ 每周更新\n正文。\n", False),  # a bare URL is not a link
        ("<div>\n<p>片段</p>\n</div>\n", True),  # an HTML fragment: CommonMark HTML blocks
        ("<p>标题</p>\n", True),
        ("正文 <b>不在行首</b>。\n第二行。\n", False),
    ],
)
def test_evidence_weighed(text, markdown):
    assert (markdown_score(text) > 0.3) is markdown


@pytest.mark.parametrize(
    "text",
    ["<script>a='\x00'</script>", "<p>a\x00b</p>", "正文\x00第一段。\n正文第二段。\n"],
    ids=["html-script", "html-p", "prose"],
)
def test_no_nul_survives_a_hintless_read(text):
    """html5lib's tree-construction inputs with NUL characters (domjs-unsafe.dat) are HTML
    fragments: read as Markdown now (CommonMark makes NUL U+FFFD), and prose does the same."""
    doc = _loads(text)
    assert "\x00" not in digestkit.dumps(doc, "markdown")
    assert "\ufffd" in digestkit.dumps(doc, "markdown") or "<script>" in text
