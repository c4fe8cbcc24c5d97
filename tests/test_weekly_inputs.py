"""The weekly job's inputs: HTML pages, e-mails and EPUBs in the archive are read as digests,
but what digestkit wrote itself (its generator mark) and the output path never are."""

from __future__ import annotations

import shutil
import warnings
import zipfile
from pathlib import Path

import digestkit
from tests.conftest import epub_texts, epubcheck

CORPORA = Path("/work/corpora")
# real documents when the gathered corpora are here (they may not be committed, so elsewhere
# the small imitations below stand in for them)
REAL_HTML = CORPORA / "html" / "hugo-public__techweekly__weekly_2025-10-13.html"
REAL_EPUB = CORPORA / "epub" / "pandoc__tiny.epub"

# Written for these tests, imitating the corpus: a Hugo-built weekly page (doctype, a <main>
# with the post, site navigation around it) and pandoc's tiny EPUB 3 (mimetype stored first,
# container, OPF, nav, one XHTML chapter).
PAGE = """<!DOCTYPE html>
<html lang="zh-cn">
<head><meta charset="utf-8"><meta name="generator" content="Hugo 0.140.0">
<title>开源科技周报 2026-03-02 | 开源科技周报</title></head>
<body><header><nav><a href="/weekly/">周报</a></nav></header>
<main><h1>开源科技周报 2026-03-02</h1>
<time datetime="2026-03-02T00:00:00+00:00">March 2, 2026</time>
<h2>趋势观察</h2><p>本周开源社区关注模型推理框架的内存优化。</p></main>
<footer>版权所有</footer></body></html>
"""


def _write_epub(path: Path, title: str, text: str) -> None:
    opf = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<package version="3.0" '
        'xmlns="http://www.idpf.org/2007/opf" unique-identifier="id">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:identifier id="id">urn:uuid:7f93e293-2638-4f9d-b8c9-608ac258f6f6</dc:identifier>'
        f"<dc:title>{title}</dc:title><dc:language>zh-CN</dc:language>"
        '<meta property="dcterms:modified">2026-03-03T00:00:00Z</meta></metadata>'
        '<manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" '
        'properties="nav"/><item id="a" href="text/a.xhtml" media-type="application/xhtml+xml"/>'
        '</manifest><spine><itemref idref="a"/></spine></package>'
    )
    nav = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" '
        'xmlns:epub="http://www.idpf.org/2007/ops"><head><title>nav</title></head><body>'
        f'<nav epub:type="toc"><ol><li><a href="text/a.xhtml">{title}</a></li></ol></nav>'
        "</body></html>"
    )
    chapter = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" '
        f'xml:lang="zh-CN"><head><title>{title}</title></head><body><h1>{title}</h1>'
        f"<p>{text}</p></body></html>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        zf.writestr("META-INF/container.xml",
                    '<?xml version="1.0"?><container version="1.0" '
                    'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
                    '<rootfile full-path="EPUB/content.opf" '
                    'media-type="application/oebps-package+xml"/></rootfiles></container>',
                    compress_type=zipfile.ZIP_DEFLATED)  # fmt: skip
        zf.writestr("EPUB/content.opf", opf, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("EPUB/nav.xhtml", nav, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("EPUB/text/a.xhtml", chapter, compress_type=zipfile.ZIP_DEFLATED)


def _archive(root: Path) -> tuple[list[str], list[str]]:
    """An archive of one Markdown digest, our own HTML page and EPUB, and the corpus' real ones
    when present; the texts each must bring into the book."""
    root.mkdir()
    (root / "2026-03-04.md").write_text(
        "---\ntitle: 周三日报\ndate: 2026-03-04\n---\n\n今天的要闻是芯片出口管制。\n", "utf-8"
    )
    (root / "2026-03-02-weekly.html").write_text(PAGE, "utf-8")
    _write_epub(root / "2026-03-03-book.epub", "周二电子书", "电子书里的新闻正文。")
    # a UTF-16 page without a byte order mark or a declared charset (as the corpus'
    # legacy__utf16le_plane1.html): no readable markup to sniff, its name says HTML
    legacy = "<!DOCTYPE html><html><head><title>周四旧页面</title></head><body><main>"
    legacy += "<p>十六位编码的页面正文。</p></main></body></html>"
    (root / "2026-03-05-legacy.html").write_bytes(legacy.encode("utf-16-le"))
    expected = [
        "芯片出口管制",
        "模型推理框架的内存优化",
        "电子书里的新闻正文",
        "十六位编码的页面正文",
    ]
    absent = ["版权所有", "周报</a>"]  # the page's footer and navigation are not news
    if REAL_HTML.is_file() and REAL_EPUB.is_file():
        shutil.copy(REAL_HTML, root / REAL_HTML.name)
        shutil.copy(REAL_EPUB, root / REAL_EPUB.name)
        expected += ["MCP Inspector", "趋势观察"]
    return expected, absent


def _weekly(archive: Path, out: Path) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        digestkit.weekly(archive, out, progress=False, cache=False, jobs=1)
    return [str(w.message) for w in caught]


def test_html_pages_and_epubs_are_read_but_digestkits_own_books_are_not(tmp_path):
    arch = tmp_path / "arch"
    expected, absent = _archive(arch)
    # last week's books, written into the archive itself (the output path is never read)
    for name in ("weekly.epub", "weekly.html", "weekly.eml"):
        messages = _weekly(arch, arch / name)
        assert not [m for m in messages if "written by digestkit" in m and name in m]
    first = epub_texts(arch / "weekly.epub")
    # a second run writes elsewhere: the three books in the archive are skipped, one line each
    messages = _weekly(arch, tmp_path / "again.epub")
    notices = sorted(m for m in messages if "written by digestkit" in m)
    assert notices == [f"{arch / n}: skipped (written by digestkit)"
                       for n in ("weekly.eml", "weekly.epub", "weekly.html")]  # fmt: skip
    assert not [m for m in messages if "binary" in m]
    again = epub_texts(tmp_path / "again.epub")
    assert epubcheck(tmp_path / "again.epub") == []
    chapters = [n for n in again if "chapter-" in n]
    assert len(chapters) == len(list(arch.glob("2026*"))) + (REAL_HTML.is_file() * 2)
    assert sorted(chapters) == sorted(n for n in first if "chapter-" in n)  # nothing read back
    text = "".join(again.values())
    for words in expected:
        assert words in text, words
    for words in absent:
        assert words not in text, words
    # the page is a page, not Markdown: its title is its <title>, not "<!DOCTYPE html>"
    nav = again["EPUB/nav.xhtml"]
    assert "开源科技周报 2026-03-02" in nav and "DOCTYPE" not in nav


def test_a_markdown_digest_quoting_the_mark_is_still_read(tmp_path):
    arch = tmp_path / "arch"
    arch.mkdir()
    (arch / "2026-03-02.md").write_text(
        "---\ntitle: 工具介绍\ndate: 2026-03-02\n---\n\n页面里写着：\n\n"
        '```html\n<meta name="generator" content="digestkit 0.1.0">\n```\n',
        "utf-8",
    )
    messages = _weekly(arch, tmp_path / "w.epub")
    assert not [m for m in messages if "skipped" in m]
    assert "工具介绍" in epub_texts(tmp_path / "w.epub")["EPUB/nav.xhtml"]


def test_what_is_excluded_is_what_resolves_to_the_book_or_under_an_excluded_folder(tmp_path):
    """``candidates`` resolves only the files that may be excluded (existing files by device and
    inode, missing ones never); the files left are those the plain rule leaves — every file
    resolved and compared — for a book inside the archive, symlinks to it (also before it
    exists), a hard link to it, and an excluded folder."""
    import os

    from digestkit.archive.discover import archive_files, candidates

    arch = tmp_path / "arch"
    (arch / "sub").mkdir(parents=True)
    for name in ("a.md", "sub/b.md"):
        (arch / name).write_text("# x\n\ntext\n", encoding="utf-8")
    book = arch / "w.html"
    book.write_text("<p>not ours</p>\n", encoding="utf-8")
    (arch / "link.md").symlink_to(book)
    (arch / "later.md").symlink_to(arch / "later.html")  # dangling: the book not yet written
    os.link(book, arch / "hard.md")
    (arch / "dirlink").symlink_to(arch / "sub", target_is_directory=True)

    def plain(exclude):
        excluded = [x.resolve() for x in exclude]
        return sorted(
            str(f)
            for f in archive_files(arch)
            if not any(f.resolve().is_relative_to(x) for x in excluded)
        )

    for exclude in ([book], [arch / "later.html"], [arch / "sub"], [book, arch / "sub"], []):
        got = sorted(p for p, _ in candidates(arch, exclude, whole=False))
        assert got == plain(exclude), exclude
    assert str(arch / "hard.md") in [p for p, _ in candidates(arch, [book], whole=False)]
