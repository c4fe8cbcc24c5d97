"""The PDF laid out in parts (in parallel) must be the book one WeasyPrint document gives.

The archive is split into several layout groups (``GROUP_CHARS`` made small) and laid out by two
worker processes; the same book laid out as one group in this process is the reference. Checked
with pdftotext (every page's text, page numbers), pypdf (outline, link destinations) and
pdffonts, on real WeasyPrint output.
"""

from __future__ import annotations

import multiprocessing
import re
import subprocess
import warnings

import pytest

import digestkit
from digestkit.writers import pdf as pdf_writer
from digestkit.writers.pdf import constants
from tests.conftest import require_tool


def _text(path, page: int) -> str:
    exe = require_tool("pdftotext")
    out = subprocess.run(
        [exe, "-f", str(page), "-l", str(page), "-layout", str(path), "-"],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return out.stdout


def _pages(path) -> int:
    exe = require_tool("pdfinfo")
    out = subprocess.run([exe, str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", out).group(1))


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """(parallel, single) PDFs of the same 8-digest archive."""
    from benchmarks.archive import generate

    root = tmp_path_factory.mktemp("pdfpar")
    archive = root / "archive"
    generate(archive, 8)
    parts: list[int] = []
    real = pdf_writer.render_all

    def counting(htmls, *args, **kwargs):
        parts.append(len(htmls) - 2)  # the front matter and the digit probe are not chapters
        return real(htmls, *args, **kwargs)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        old = constants.GROUP_CHARS
        pdf_writer.render_all = counting
        try:
            constants.GROUP_CHARS = 30_000  # several groups from a small archive
            # every news item on the contents page: the most numbers to stamp across parts
            parallel = digestkit.weekly(archive, root / "parallel.pdf", progress=False, jobs=2,
                                        cache=False, toc_depth=2)  # fmt: skip
            constants.GROUP_CHARS = 10**9
            single = digestkit.weekly(archive, root / "single.pdf", progress=False, jobs=1,
                                      cache=False, toc_depth=2)  # fmt: skip
        finally:
            constants.GROUP_CHARS = old
            pdf_writer.render_all = real
    groups = parts[0]
    assert parts[1] == 1  # the reference really is one part
    assert groups >= 3  # the parallel book really was laid out in parts
    return parallel, single


def test_same_pages_and_text_as_one_document(books):
    parallel, single = books
    n = _pages(single)
    assert _pages(parallel) == n > 20
    for page in range(1, n + 1):
        assert _text(parallel, page) == _text(single, page), f"page {page}"


def test_page_numbers_on_every_chapter_page(books):
    parallel, _ = books
    n = _pages(parallel)
    numbered = [p for p in range(1, n + 1) if re.search(rf"^\s*{p}\s*$", _text(parallel, p), re.M)]
    first = numbered[0]
    assert first > 2  # title page and contents carry none
    assert numbered == list(range(first, n + 1))


def test_contents_numbers_and_links_land_on_their_chapters(books):
    from pypdf import PdfReader

    parallel, _ = books
    reader = PdfReader(parallel)
    toc_page = _text(parallel, 2)
    entries = re.findall(r"^\s*(\S.*?\S)\s{2,}(\d+)\s*$", toc_page, re.M)
    assert len(entries) > 8
    for title, number in entries:
        want = re.sub(r"\s+", "", title)[:8]
        assert want in re.sub(r"\s+", "", _text(parallel, int(number))), (title, number)
    # every contents link is a real destination, to the page its number names
    targets = set()
    for annot in reader.pages[1].get("/Annots", []) or []:
        a = annot.get_object()
        assert "/A" not in a or not str(a["/A"].get("/URI", "")).startswith("digestkit")
        assert "/Dest" in a
        targets.add(reader.get_page_number(a["/Dest"][0].get_object()) + 1)
    assert targets == {int(number) for _, number in entries}


def test_outline_points_at_the_headings(books):
    from pypdf import PdfReader

    parallel, single = books

    def flat(path):
        reader = PdfReader(path)
        out = []

        def walk(items, depth):
            for item in items:
                if isinstance(item, list):
                    walk(item, depth + 1)
                else:
                    out.append((depth, item.title, reader.get_destination_page_number(item)))

        walk(reader.outline, 0)
        return out

    mine = flat(parallel)
    assert mine == flat(single)
    assert len(mine) > 8 and any(d == 1 for d, _, _ in mine)
    for _, title, page in mine[:12]:
        assert re.sub(r"\s+", "", title)[:6] in re.sub(r"\s+", "", _text(parallel, page + 1))


def test_time_limit_stops_the_workers(tmp_path):
    from benchmarks.archive import generate

    archive = tmp_path / "a"
    generate(archive, 12)
    old = constants.GROUP_CHARS
    constants.GROUP_CHARS = 30_000
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(digestkit.DigestkitError, match="longer than 1 s"):
                digestkit.weekly(archive, tmp_path / "w.pdf", progress=False, jobs=2, timeout=1)
    finally:
        constants.GROUP_CHARS = old
    assert not (tmp_path / "w.pdf").exists()
    assert multiprocessing.active_children() == []


def _contents_entries(path) -> list[tuple[str, str]]:
    """(title, page number) of every line of the contents, over all its pages: page 2 up to
    the first page that carries its own page number (the first chapter page)."""
    entries: list[tuple[str, str]] = []
    for page in range(2, _pages(path) + 1):
        text = _text(path, page)
        if re.search(rf"^\s*{page}\s*$", text, re.M):
            break
        entries.extend(re.findall(r"^\s*(\S.*?\S)\s{2,}(\d+)\s*$", text, re.M))
    return entries


def _outline(path) -> list[tuple[int, str]]:
    """(depth, title) of every outline entry (bookmark), in order."""
    from pypdf import PdfReader

    out: list[tuple[int, str]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, item.title))

    walk(PdfReader(path).outline, 0)
    return out


def test_contents_lists_chapters_by_default_and_every_news_item_at_depth_2(tmp_path):
    from tests.conftest import FIXTURES

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        short = digestkit.weekly(FIXTURES, tmp_path / "d1.pdf", progress=False, jobs=1,
                                 cache=False)  # fmt: skip
        full = digestkit.weekly(FIXTURES, tmp_path / "d2.pdf", progress=False, jobs=1,
                                cache=False, toc_depth=2)  # fmt: skip
    chapters = _contents_entries(short)
    everything = _contents_entries(full)
    outline = _outline(short)
    flat = lambda text: re.sub(r"\s+", "", text)  # noqa: E731 - pdftotext may wrap a title
    tops = [flat(t) for d, t in outline if d == 0]
    deeper = {flat(t) for d, t in outline if d > 0}
    # default: one line per chapter (digest), the outline's top level
    assert [flat(t) for t, _ in chapters] == tops and len(tops) == 5, chapters
    # depth 2: the same chapters in order, and between them news items from the outline
    assert [flat(t) for t, _ in everything if flat(t) in tops] == tops
    items = [flat(t) for t, _ in everything if flat(t) not in tops]
    assert len(items) > 2 * len(tops)
    # (a long title wraps: the line with the number holds its end)
    assert all(any(i in d for d in deeper) for i in items), items
    # the outline keeps every news item whatever the contents page lists
    assert _outline(full) == outline
    # each chapter's number is its first page (the pages after the front moved by the longer
    # contents in the depth-2 book, so the numbers differ between the books by that length)
    shift = _pages(full) - _pages(short)
    assert shift > 0
    numbers = {t: int(n) for t, n in everything}
    for title, number in chapters:
        assert numbers[title] == int(number) + shift, title
        want = re.sub(r"\s+", "", title)[:8]
        assert want in re.sub(r"\s+", "", _text(short, int(number))), (title, number)


def test_toc_depth_is_checked_and_reaches_the_command_line(tmp_path):
    from digestkit.cli import main
    from digestkit.options import OptionError, PdfOptions
    from tests.conftest import SEEDS

    with pytest.raises(OptionError, match="toc_depth must be 1 or 2"):
        PdfOptions(toc_depth=3)
    with pytest.raises(SystemExit) as stop:  # argparse's usage error
        main(["-q", "convert", str(SEEDS[1]), "-o", str(tmp_path / "c.pdf"), "--toc-depth", "3"])
    assert stop.value.code == 2
    assert main(["-q", "convert", str(SEEDS[1]), "-o", str(tmp_path / "c.pdf"),
                 "--toc-depth", "2"]) == 0  # fmt: skip
    assert _pages(tmp_path / "c.pdf") >= 2


def _pdf_in_worker(path: str) -> int:
    from tests.conftest import SEEDS

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        doc = digestkit.load(SEEDS[4])
    return digestkit.dump(doc, path, jobs=2).stat().st_size


def test_pdf_from_inside_a_pool_worker(tmp_path):
    # pool workers are daemonic and may not start processes: the layout then stays in-process
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(1) as pool:
        size = pool.apply(_pdf_in_worker, (str(tmp_path / "w.pdf"),))
    assert size > 10_000
    assert _pages(tmp_path / "w.pdf") >= 2
