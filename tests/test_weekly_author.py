"""The weekly book's author (``--author``): EPUB ``dc:creator``, PDF and HTML metadata; by
default the author the digests agree on, else digestkit (never "Unknown" in an e-reader)."""

from __future__ import annotations

import re
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest

import digestkit
from digestkit.archive import DEFAULT_AUTHOR
from tests.conftest import epubcheck, require_tool


def _archive(root: Path, authors: list[str | None]) -> Path:
    root.mkdir()
    for day, author in enumerate(authors, 2):
        line = f"author: {author}\n" if author else ""
        (root / f"2026-03-0{day}.md").write_text(
            f"---\ntitle: 第{day}日要闻\ndate: 2026-03-0{day}\n{line}---\n\n"
            f"第{day}日的新闻正文，关于芯片与能源。\n",
            "utf-8",
        )
    return root


def _weekly(archive: Path, out: Path, **options: object) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return digestkit.weekly(archive, out, progress=False, cache=False, jobs=1, **options)


def _creators(epub: Path) -> list[str]:
    opf = zipfile.ZipFile(epub).read("EPUB/content.opf").decode()
    return re.findall(r"<dc:creator[^>]*>([^<]*)</dc:creator>", opf)


@pytest.mark.parametrize(
    ("authors", "expected"),
    [
        (["王小明", "王小明", None], "王小明"),  # a digest naming nobody does not count against
        (["王小明", "李华"], DEFAULT_AUTHOR),
        ([None, None], DEFAULT_AUTHOR),
    ],
)
def test_default_author_is_the_one_the_digests_agree_on(tmp_path, authors, expected):
    out = _weekly(_archive(tmp_path / "a", authors), tmp_path / "w.epub")
    assert _creators(out) == [expected]
    assert epubcheck(out) == []


def test_author_option_reaches_epub_html_and_pdf(tmp_path):
    arch = _archive(tmp_path / "a", ["王小明", "李华"])
    epub = _weekly(arch, tmp_path / "w.epub", author="科技编辑部 & Co")
    assert _creators(epub) == ["科技编辑部 &amp; Co"]
    assert epubcheck(epub) == []
    page = _weekly(arch, tmp_path / "w.html", author="科技编辑部 & Co").read_text("utf-8")
    assert '<meta name="author" content="科技编辑部 &amp; Co">' in page
    pdf = _weekly(arch, tmp_path / "w.pdf", author="科技编辑部 & Co")
    info = subprocess.run([require_tool("pdfinfo"), str(pdf)], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    assert re.search(r"^Author:\s+科技编辑部 & Co$", info, re.M), info


def test_cli_takes_author(tmp_path):
    arch = _archive(tmp_path / "a", [None])
    out = tmp_path / "w.epub"
    proc = subprocess.run([sys.executable, "-m", "digestkit", "-q", "weekly", str(arch), "-o",
                           str(out), "--author", "周报组", "--no-cache"],
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert _creators(out) == ["周报组"]
