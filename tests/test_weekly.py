"""The weekly job: fixtures and generated archives → one valid EPUB; selection, order, safety."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import warnings
import zipfile

import pytest

import digestkit
from digestkit import DigestkitError
from digestkit.ast import Heading, plain_text
from tests.conftest import FIXTURES, SEEDS, epub_texts, epubcheck, paragraphs


def _weekly(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return digestkit.weekly(*args, progress=False, **kwargs)


def test_fixtures_weekly_is_valid_and_complete(tmp_path):
    out = _weekly(FIXTURES, tmp_path / "weekly.epub")
    assert epubcheck(out) == []
    texts = epub_texts(out)
    chapters = [n for n in texts if "chapter-" in n]
    assert len(chapters) == 5  # all five seeds
    blob = re.sub(r"\s+", "", "".join(texts.values()))
    for seed in SEEDS:  # nothing lost: every paragraph of every source is in the book
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            doc = digestkit.load(seed)
        for node in paragraphs(doc.blocks):
            assert re.sub(r"\s+", "", plain_text(node)) in blob, (seed.name, plain_text(node)[:40])


def test_order_dates_and_undated(tmp_path):
    out = _weekly(FIXTURES, tmp_path / "w.epub")
    nav = zipfile.ZipFile(out).read("EPUB/nav.xhtml").decode()
    titles = re.findall(r'<a href="chapter-\d+\.xhtml">([^<]+)</a>', nav)
    assert titles[0].startswith("Meta千亿豪赌AMD") and titles[1].startswith(
        "AI 技术深度日报"
    )  # dated first
    ch1 = epub_texts(out)["EPUB/chapter-001.xhtml"]
    assert "2026-02-26" in ch1
    # news items are the second level of the table of contents
    assert "chapter-001.xhtml#" in nav and "Meta与AMD签署超1000亿美元AI芯片协议" in nav


def test_week_selection(tmp_path):
    out = _weekly(FIXTURES, tmp_path / "w09.epub", week="2026-W09")
    chapters = [n for n in epub_texts(out) if "chapter-" in n]
    assert len(chapters) == 2
    with pytest.raises(DigestkitError, match="no documents for 2026-W20"):
        _weekly(FIXTURES, tmp_path / "none.epub", week="2026-W20")
    assert not (tmp_path / "none.epub").exists()
    with pytest.raises(DigestkitError, match="2026-W09"):
        _weekly(FIXTURES, tmp_path / "bad.epub", week="W9-2026")


def test_script_conversion_and_lang(tmp_path):
    out = _weekly(FIXTURES, tmp_path / "tw.epub", script="s2twp", title="每週摘要")
    opf = zipfile.ZipFile(out).read("EPUB/content.opf").decode()
    assert "<dc:language>zh-Hant-TW</dc:language>" in opf
    text = epub_texts(out)["EPUB/chapter-001.xhtml"]
    assert "千億豪賭" in text and "千亿" not in text
    assert epubcheck(out) == []


def test_dates_from_file_names_and_duplicates(tmp_path):
    arch = tmp_path / "arch"
    arch.mkdir()
    src = (FIXTURES / "004_cd16f372d9efd364.txt").read_text(encoding="utf-8")
    (arch / "2026-03-03-news.txt").write_text(src, encoding="utf-8")
    (arch / "20260302-copy.txt").write_text(src, encoding="utf-8")  # the same digest again
    tw = digestkit.convert_script(digestkit.loads(src, "prose"), "s2t")
    (arch / "notes").mkdir()
    (arch / "notes" / "2026-03-04.md").write_text(
        digestkit.dumps(tw), encoding="utf-8"
    )  # same, in Traditional
    (arch / ".hidden.txt").write_text("secret", encoding="utf-8")
    (arch / "image.bin").write_bytes(b"\x00\x01\x02")
    with pytest.warns(UserWarning, match="repeats"):
        out = digestkit.weekly(arch, tmp_path / "d.epub", progress=False)
    texts = epub_texts(out)
    assert len([n for n in texts if "chapter-" in n]) == 1  # kept once, the earliest (2026-03-02)
    assert "2026-03-02" in texts["EPUB/chapter-001.xhtml"]
    assert "secret" not in "".join(texts.values())


def test_hugo_site_root_reads_only_content_and_bundle_assets_quietly(tmp_path):
    # The shape of real Hugo sites: config beside content/, page bundles with images, a theme.
    site = tmp_path / "site"
    post = site / "content" / "posts" / "2026-03-02-news"
    post.mkdir(parents=True)
    (post / "index.md").write_text(
        "---\ntitle: 日报\ndate: 2026-03-02\n---\n\n正文第一段。\n", encoding="utf-8"
    )
    (post / "cover.webp").write_bytes(b"RIFF\x00\x00\x00\x00WEBPVP8 ")
    (site / "config.toml").write_text('title = "站点配置"\n[params]\nx = 1\n', encoding="utf-8")
    (site / "themes" / "t" / "layouts").mkdir(parents=True)
    (site / "themes" / "t" / "layouts" / "single.html").write_text("<p>模板文字</p>", "utf-8")
    (site / "stray.bin").write_bytes(b"\x00\x01")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = digestkit.weekly(site, tmp_path / "s.epub", progress=False)
    text = "".join(epub_texts(out).values())
    assert "正文第一段" in text
    assert "站点配置" not in text and "模板文字" not in text
    assert [n for n in epub_texts(out) if "chapter-" in n] == ["EPUB/chapter-001.xhtml"]
    skipped = [str(w.message) for w in caught if "skipped" in str(w.message)]
    assert not any("cover.webp" in m for m in skipped)  # a bundle image is not news


def test_failure_leaves_no_partial_file_and_keeps_the_old_one(tmp_path, monkeypatch):
    target = tmp_path / "w.epub"
    target.write_bytes(b"old book")
    import digestkit.writers.epub as epub_mod

    real = epub_mod.write_epub

    def boom(book, fh, **k):
        fh.write(b"PK half a book")  # some bytes are already out when it fails
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(epub_mod, "write_epub", boom)
    with pytest.raises(RuntimeError):
        _weekly(FIXTURES, target)
    assert target.read_bytes() == b"old book"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.epub"]
    monkeypatch.setattr(epub_mod, "write_epub", real)  # and with the real writer it is replaced
    _weekly(FIXTURES, target)
    assert zipfile.is_zipfile(target)


def test_generated_archive_of_300_digests(tmp_path):
    from benchmarks.archive import generate

    paths = generate(tmp_path / "arch", 300)
    assert len(paths) == 300
    out = _weekly(tmp_path / "arch", tmp_path / "big.epub")
    assert epubcheck(out) == []
    chapters = [n for n in zipfile.ZipFile(out).namelist() if "chapter-" in n]
    assert len(chapters) == 300
    # ordered by date: the first chapter is the earliest digest
    assert "2026-01-05" in epub_texts(out)["EPUB/chapter-001.xhtml"]


def test_cli_weekly_prints_where_it_wrote(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "digestkit", "-q", "weekly", str(FIXTURES), "-o",
                           str(tmp_path / "w.epub")], capture_output=True, text=True, timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"wrote {tmp_path / 'w.epub'}"
    assert "\x1b[" not in proc.stdout  # no progress bar when stdout is not a terminal
    proc = subprocess.run([sys.executable, "-m", "digestkit", "weekly", str(tmp_path), "-o",
                           str(tmp_path / "e.epub")], capture_output=True, text=True, timeout=300)  # fmt: skip
    assert proc.returncode == 1 and "no documents" in proc.stderr
    assert not (tmp_path / "e.epub").exists()


def test_readme_quick_start_names_the_weekly_command():
    readme = (FIXTURES.parent / "README.md").read_text(encoding="utf-8")
    assert "./run weekly" in readme and "./run test" in readme
    assert "weekly fixtures" in (FIXTURES.parent / "run").read_text(encoding="utf-8")


def test_news_items_are_the_deepest_repeated_heading_level():
    # news_items picks the news-item level: seed 000 has its items at h3
    from digestkit.writers.book import news_items

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        doc = digestkit.load(SEEDS[0])
    items = news_items(doc, 1)
    assert items and all(isinstance(h, Heading) and h.level == 3 for h in items)
    assert len(items) >= 20 and dt.date(2026, 2, 26) == doc.meta.date


def test_an_untitled_markdown_digest_is_titled_by_its_first_h1(tmp_path):
    # Written for this test, imitating monthly digests kept as bare Markdown (no front matter),
    # each opening with "# 《HelloGitHub》第 98 期": the chapter was titled after the file name.
    arch = tmp_path / "arch"
    arch.mkdir()
    (arch / "issue98.md").write_text("# 《月刊》第 98 期\n\n本期推荐的项目。\n", encoding="utf-8")
    (arch / "issue99.md").write_text("## 只有二级标题\n\n正文。\n", encoding="utf-8")
    out = _weekly(arch, tmp_path / "m.epub", cache=False)
    nav = zipfile.ZipFile(out).read("EPUB/nav.xhtml").decode()
    assert ">《月刊》第 98 期</a>" in nav and ">issue99</a>" in nav
    text = epub_texts(out)["EPUB/chapter-001.xhtml"]
    assert text.count("第 98 期") == 2  # <title> and the chapter heading, not repeated
