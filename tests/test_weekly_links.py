"""The weekly book's links: between its documents, to their site (``--base-url``, Hugo's
``baseURL``), and in the chapter cache. The archive is written here, imitating Hugo posts."""

from __future__ import annotations

import re
import urllib.parse
import warnings
import zipfile
from pathlib import Path

import pytest

import digestkit
from digestkit.archive import hugo_base_url
from digestkit.writers.pdf.assemble import chapter_html
from tests.conftest import epubcheck

A = """---
title: 第一篇
date: 2026-03-02
---

先看[下一篇](b.md)，或者[它的第二節](b.md#第二節)，或者[用 relref]({{< relref "b.md" >}})。
"""
B = """---
title: 第二篇
date: 2026-03-03
---

## 第一節

正文。

## 第二節

更多正文。
"""
C = """---
title: 第三篇
date: 2026-03-04
---

文檔在[網站上](/zh/docs/x/)，附件在[這裡](files/y.pdf)。
"""


def _archive(root: Path) -> Path:
    posts = root / "posts"
    posts.mkdir(parents=True)
    for name, text in (("a.md", A), ("b.md", B), ("c.md", C)):
        (posts / name).write_text(text, encoding="utf-8")
    return root


def _build(archive: Path, out: Path, **options: object) -> tuple[dict[str, str], list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        digestkit.weekly(archive, out, progress=False, **options)
    with zipfile.ZipFile(out) as zf:
        chapters = {n: zf.read(n).decode() for n in zf.namelist() if "chapter-" in n}
    return chapters, [str(w.message) for w in caught]


def _hrefs(xhtml: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)"', xhtml)


def test_links_between_documents_lead_to_their_chapters(tmp_path):
    archive = _archive(tmp_path / "content")
    out = tmp_path / "w.epub"
    chapters, _ = _build(archive, out, base_url="https://example.org/")
    a = chapters["EPUB/chapter-001.xhtml"]
    hrefs = _hrefs(a)
    assert hrefs[0] == "chapter-002.xhtml"  # [x](b.md)
    # [x](b.md#第二節): the heading's id in that chapter, percent-encoded on output
    assert hrefs[1] == "chapter-002.xhtml#" + urllib.parse.quote("第二節")
    assert 'id="第二節"' in chapters["EPUB/chapter-002.xhtml"]
    assert hrefs[2] == "chapter-002.xhtml"  # {{< relref "b.md" >}}
    assert epubcheck(out) == []


def test_site_links_absolute_with_base_url(tmp_path):
    archive = _archive(tmp_path / "content")
    out = tmp_path / "w.epub"
    chapters, messages = _build(archive, out, base_url="https://example.org/")
    c = chapters["EPUB/chapter-003.xhtml"]
    assert _hrefs(c) == [
        "https://example.org/zh/docs/x/",
        "https://example.org/posts/files/y.pdf",  # relative: from the page's folder
    ]
    assert not [m for m in messages if "to nothing in the book" in m]
    assert epubcheck(out) == []


def test_site_links_plain_text_without_base_url(tmp_path):
    archive = _archive(tmp_path / "content")
    out = tmp_path / "w.epub"
    chapters, messages = _build(archive, out)
    c = chapters["EPUB/chapter-003.xhtml"]
    assert _hrefs(c) == []
    assert "網站上" in c and "這裡" in c  # the text stays
    # one warning for the page: how many links, and the first of them
    warned = [m for m in messages if "to nothing in the book" in m]
    assert [m for m in warned if "posts/c.md" in m] == [
        "posts/c.md: 2 links lead to nothing in the book (first: '/zh/docs/x/'); "
        "text kept (give a base URL to link to the site)"
    ], messages
    # links inside the book still work without a base URL
    assert _hrefs(chapters["EPUB/chapter-001.xhtml"])[0] == "chapter-002.xhtml"
    assert epubcheck(out) == []


def test_cached_chapters_follow_the_base_url(tmp_path):
    """The chapter cache is keyed on where links lead: the same archive built with, then
    without, then with another base URL never reuses a chapter with stale links."""
    archive = _archive(tmp_path / "content")
    first, _ = _build(archive, tmp_path / "1.epub", base_url="https://example.org/")
    second, _ = _build(archive, tmp_path / "2.epub")
    third, _ = _build(archive, tmp_path / "3.epub", base_url="https://other.example/")
    assert _hrefs(first["EPUB/chapter-003.xhtml"])[0] == "https://example.org/zh/docs/x/"
    assert _hrefs(second["EPUB/chapter-003.xhtml"]) == []
    assert _hrefs(third["EPUB/chapter-003.xhtml"])[0] == "https://other.example/zh/docs/x/"


def test_hugo_config_in_a_parent_gives_the_base_url(tmp_path):
    site = tmp_path / "site"
    archive = _archive(site / "content")
    (site / "hugo.toml").write_text(
        'baseURL = "https://blog.example.net/"\ntitle = "x"\n', encoding="utf-8"
    )
    assert hugo_base_url(archive) == "https://blog.example.net/"
    out = tmp_path / "w.epub"
    chapters, messages = _build(archive, out)
    assert _hrefs(chapters["EPUB/chapter-003.xhtml"])[0] == "https://blog.example.net/zh/docs/x/"
    assert _hrefs(chapters["EPUB/chapter-001.xhtml"])[0] == "chapter-002.xhtml"
    assert not [m for m in messages if "to nothing in the book" in m]
    assert epubcheck(out) == []
    # an explicit --base-url wins over the site's
    chapters, _ = _build(archive, tmp_path / "x.epub", base_url="https://example.org/")
    assert _hrefs(chapters["EPUB/chapter-003.xhtml"])[0] == "https://example.org/zh/docs/x/"


def test_hugo_yaml_config_under_config_default(tmp_path):
    site = tmp_path / "site"
    (site / "config" / "_default").mkdir(parents=True)
    (site / "config" / "_default" / "hugo.yaml").write_text(
        "baseURL: https://yaml.example.com/blog/\n", encoding="utf-8"
    )
    archive = site / "content" / "posts"
    archive.mkdir(parents=True)
    assert hugo_base_url(archive) == "https://yaml.example.com/blog/"


def test_broken_hugo_config_is_warned_about_and_ignored(tmp_path):
    site = tmp_path / "site"
    archive = _archive(site / "content")
    (site / "hugo.toml").write_text('baseURL = "https://x.example/\n', encoding="utf-8")
    with pytest.warns(UserWarning, match=r"hugo\.toml: not read"):
        assert hugo_base_url(archive) is None
    chapters, messages = _build(archive, tmp_path / "w.epub")  # the book is still made
    assert _hrefs(chapters["EPUB/chapter-003.xhtml"]) == []
    assert any("hugo.toml: not read" in m for m in messages)


def test_no_hugo_config_nearby(tmp_path):
    archive = tmp_path / "a" / "b"
    archive.mkdir(parents=True)
    assert hugo_base_url(archive, levels=1) is None


def test_page_bundles_answer_to_their_folder(tmp_path):
    root = tmp_path / "content"
    (root / "post" / "bundle").mkdir(parents=True)
    (root / "post" / "bundle" / "index.md").write_text(B, encoding="utf-8")
    (root / "post" / "a.md").write_text(
        A.replace("(b.md)", "(/post/bundle/)").replace('"b.md"', '"bundle"'), encoding="utf-8"
    )
    chapters, _ = _build(root, tmp_path / "w.epub")
    hrefs = _hrefs(chapters["EPUB/chapter-001.xhtml"])
    assert hrefs[0] == "chapter-002.xhtml"  # the site-root URL of the bundle
    assert hrefs[-1] == "chapter-002.xhtml"  # relref by the bundle's name


def test_pdf_links_to_other_chapters_become_its_anchors():
    body = (
        '<h1 id="chapter-title">x</h1><a href="chapter-002.xhtml#%E7%AC%AC">y</a>'
        '<a href="chapter-012.xhtml">z</a><a href="#here">w</a>'
    )
    out = chapter_html("k0123", body)
    assert 'href="digestkit-goto:n2-%E7%AC%AC"' in out  # chapter 2's anchor, found at the join
    assert 'href="digestkit-goto:n12-chapter-title"' in out
    assert 'href="digestkit-goto:k0123-here"' in out


def test_base_url_flag(tmp_path):
    from digestkit.cli import main

    archive = _archive(tmp_path / "content")
    out = tmp_path / "w.epub"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        main(["weekly", str(archive), "-o", str(out), "--base-url", "https://example.org/"])
    with zipfile.ZipFile(out) as zf:
        c = zf.read("EPUB/chapter-003.xhtml").decode()
    assert "https://example.org/zh/docs/x/" in _hrefs(c)


def test_pdf_links_between_chapters_are_destinations(tmp_path):
    """In the PDF, a link to another chapter is a destination on that chapter's page (its
    heading's place for ``b.md#第二節``); site links stay URIs on the base URL."""
    import pikepdf

    archive = _archive(tmp_path / "content")
    out = tmp_path / "w.pdf"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        digestkit.weekly(archive, out, progress=False, jobs=1, base_url="https://example.org/")
    pdf = pikepdf.open(out)
    title_pages = {}  # the page each chapter opens on, from the bookmarks
    with pdf.open_outline() as outline:
        for item in outline.root:
            title_pages[str(item.title)] = item.destination[0].objgen
    links = []  # (page index, destination page objgen, y) or (page index, URI)
    for i, page in enumerate(pdf.pages):
        for annot in page.get("/Annots", []):
            if "/Dest" in annot:
                links.append((i, annot.Dest[0].objgen, float(annot.Dest[3])))
            elif "/A" in annot and "/URI" in annot.A:
                links.append((i, str(annot.A.URI)))
    first = next(i for i, p in enumerate(pdf.pages) if p.objgen == title_pages["第一篇"])
    from_first = [link for link in links if link[0] == first]
    assert [link[1] for link in from_first] == [title_pages["第二篇"]] * 3
    assert from_first[1][2] < from_first[0][2]  # #第二節: below the chapter's title
    assert any(link[1:] == ("https://example.org/zh/docs/x/",) for link in links)


def test_only_digests_with_local_links_depend_on_the_link_map():
    # the rendered-chapter cache key holds the link map only for these, so adding a digest to
    # the book does not re-render every cached chapter of an archive of absolute links
    from digestkit.archive.digest import summarize

    absolute = digestkit.loads("[a](https://example.org/x) and [b](#here)\n", "markdown")
    relative = digestkit.loads("[a](b.md)\n", "markdown")
    site_root = digestkit.loads("[a](/zh/docs/x/)\n", "markdown")
    relref = digestkit.loads('[a]({{< relref "b.md" >}})\n', "markdown")
    assert summarize(absolute).local_links is False
    assert all(summarize(d).local_links for d in (relative, site_root, relref))


# Saved web pages, imitating the archive of saved pages (Wikipedia, LWN, a club's site): their
# relative links were written for the address the page was served from.
SAVED = """<!doctype html><html lang="en"><head><title>{title}</title>{head}</head>
<body><main><article><h1>{title}</h1>
<p>{title} is one saved page of the archive, with its own words.</p>
<p>See <a href="/about">about</a>, <a href="../docs/x.html?q=1#part">docs</a>,
<a href="other.html">the other saved page</a> and <a href="page2.html">page two</a>.</p>
</article></main></body></html>
"""


def _saved(root: Path, name: str, title: str, head: str) -> None:
    (root / name).write_text(SAVED.format(title=title, head=head), encoding="utf-8")


def _saved_archive(root: Path) -> Path:
    root.mkdir()
    _saved(root, "news.html", "News", '<link rel="canonical" href="https://example.org/a/news.html">'
           '<meta property="og:url" content="https://share.example.net/n">')  # fmt: skip
    _saved(root, "other.html", "Other", "")
    return root


def test_saved_pages_links_resolve_on_their_own_address(tmp_path):
    archive = _saved_archive(tmp_path / "saved")
    out = tmp_path / "w.epub"
    chapters, messages = _build(archive, out, cache=False)
    (news,) = [c for c in chapters.values() if "<h1" in c and ">News<" in c]
    hrefs = _hrefs(news)
    assert hrefs[:2] == [
        "https://example.org/about",  # canonical before og:url
        "https://example.org/docs/x.html?q=1#part",
    ]
    # the other saved page is a chapter of the book: the link stays inside it
    assert hrefs[2].startswith("chapter-") and hrefs[2].endswith(".xhtml")
    assert hrefs[3] == "https://example.org/a/page2.html"
    assert not [m for m in messages if "news.html" in m and "to nothing" in m], messages
    assert epubcheck(out) == []


def test_a_page_without_an_address_warns_once_with_a_count(tmp_path):
    archive = _saved_archive(tmp_path / "saved")
    out = tmp_path / "w.epub"
    chapters, messages = _build(archive, out, cache=False)
    (other,) = [c for c in chapters.values() if "<h1" in c and ">Other<" in c]
    assert len(_hrefs(other)) == 1  # only other.html (itself, a chapter) stays a link
    assert "about" in other and "page two" in other  # the text stays
    warned = [m for m in messages if "other.html" in m and "to nothing" in m]
    assert len(set(warned)) == 1, messages
    assert warned[0].startswith("other.html: 3 links lead to nothing in the book (first: '/about')")
    assert epubcheck(out) == []
