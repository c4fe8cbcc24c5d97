"""digestkit.links: Hugo's heading ids (checked against the real hugo), resolve, encode."""

from __future__ import annotations

import subprocess

import pytest

from digestkit.links import BookLinks, Target, encode_href, heading_id, resolve, unique_heading_id
from tests.conftest import require_tool

# Headings written for this test, with the punctuation, CJK and full-width forms real posts use.
HEADINGS = [
    "中文標題",
    "Hello, World! foo_bar `code` *em*",
    "Hello, World! foo_bar `code` *em*",
    "1. Intro — “quoted” 測試 (x)",
    "Ünïcödé Café 2.0",
    "\u3000全角空格\u3000和\u3000Ｆｕｌｌ",
    "a  --  b",
    "???",
    "???",
]


@pytest.mark.tool
def test_heading_ids_match_real_hugo(tmp_path):
    import re

    import digestkit
    from digestkit.ast import Heading, plain_text

    hugo = require_tool("hugo")
    (tmp_path / "content").mkdir()
    (tmp_path / "layouts/_default").mkdir(parents=True)
    (tmp_path / "layouts/_default/single.html").write_text("{{ .Content }}", encoding="utf-8")
    (tmp_path / "hugo.toml").write_text('baseURL = "https://e.org/"\n', encoding="utf-8")
    body = "".join(f"## {h}\n" for h in HEADINGS)
    (tmp_path / "content/p.md").write_text(f"---\ntitle: p\n---\n{body}", encoding="utf-8")
    run = subprocess.run([hugo, "--quiet", "-d", "out"], cwd=tmp_path, capture_output=True,
                         text=True, timeout=300)  # fmt: skip
    assert run.returncode == 0, run.stderr
    theirs = re.findall(r'<h2 id="([^"]*)"', (tmp_path / "out/p/index.html").read_text("utf-8"))
    texts = [plain_text(b) for b in digestkit.loads(body, "markdown").blocks
             if isinstance(b, Heading)]  # fmt: skip
    taken: set[str] = set()
    assert [unique_heading_id(t, taken) for t in texts] == theirs


def test_heading_id_keeps_cjk_and_drops_punctuation():
    assert heading_id("見上：第一章（續）") == "見上第一章續"
    assert heading_id("  ") == "heading"


def test_encode_href_is_idempotent():
    once = encode_href("https://zh.wikipedia.org/wiki/中文 頁#段落")
    assert once == "https://zh.wikipedia.org/wiki/%E4%B8%AD%E6%96%87%20%E9%A0%81#%E6%AE%B5%E8%90%BD"
    assert encode_href(once) == once


def test_resolve():
    links = BookLinks(
        {"a/b.md": Target("c1.xhtml", {"x": "h-x"}), "a/c/index.md": Target("c2.xhtml")}
    )
    assert resolve("b.md#x", source="a/today.md", links=links) == "c1.xhtml#h-x"
    assert resolve("../a/c/", source="a/today.md", links=links) == "c2.xhtml"
    assert resolve('{{< ref "b" >}}', source="z/y.md", links=links) == "c1.xhtml"
    assert resolve("missing.md", source="a/today.md", links=links) is None
    assert resolve("https://x.org/a b", source=None, links=links) == "https://x.org/a%20b"
    with_base = BookLinks(links.documents, base_url="https://s.org")
    assert resolve("/zh/docs/", source="a/t.md", links=with_base) == "https://s.org/zh/docs/"


def test_resolve_on_the_pages_own_address():
    links = BookLinks(documents={"b.html": Target("chapter-002.xhtml")}, base_url="https://site/")
    page = "https://example.org/a/news.html"
    # a document of the book wins over the page's address
    assert resolve("b.html", source="a.html", links=links, page_url=page) == "chapter-002.xhtml"
    # the page's address wins over the site's: that is where the page was served from
    assert resolve("../x y.html#p", source="a.html", links=links, page_url=page) == (
        "https://example.org/x%20y.html#p"
    )
    assert resolve("/about", source="a.html", links=links, page_url=page) == (
        "https://example.org/about"
    )
    assert resolve("/about", source="a.html", links=BookLinks(), page_url=None) is None
