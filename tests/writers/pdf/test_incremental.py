"""A weekly PDF re-run reuses laid-out chapter groups and is the same book as a cold build.

The warm build (cache kept from the run before, one digest added, or one changed) is compared
with a cold build (``cache=False``, other grouping) page by page: pdftotext of every page, the
outline (title, depth, page) and every link's target (page number or URI), on real WeasyPrint
output. The runs are counted too: a re-run must lay out only the chapters that changed.
"""

from __future__ import annotations

import shutil
import subprocess
import warnings
from pathlib import Path
from typing import Any

import pytest

import digestkit
from digestkit.writers import pdf as pdf_writer
from digestkit.writers.pdf import constants
from digestkit.writers.pdf.incremental import Group, Segment, plan
from digestkit.writers.pdf.render import Rendered
from tests.conftest import require_tool


def _pages_text(path: Path) -> list[str]:
    exe = require_tool("pdftotext")
    out = subprocess.run([exe, "-layout", str(path), "-"], capture_output=True, text=True,
                         check=True, timeout=120).stdout  # fmt: skip
    return out.split("\f")


def _outline_and_links(path: Path) -> tuple[list[tuple[int, str, int]], list[tuple[int, str]]]:
    from pypdf import PdfReader

    reader = PdfReader(path)
    outline: list[tuple[int, str, int]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                outline.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    links = []
    for number, page in enumerate(reader.pages):
        for annot in page.get("/Annots", []) or []:
            a = annot.get_object()
            if "/Dest" in a:
                target = f"page {reader.get_page_number(a['/Dest'][0].get_object())}"
            else:
                target = str(a["/A"].get("/URI", ""))
            links.append((number, target))
    return outline, links


def _build(archive: Path, out: Path, *, cache: bool) -> tuple[Path, int]:
    """Build the weekly PDF; returns it and how many chapters were laid out."""
    laid: list[int] = []
    real = pdf_writer.render_all

    def counting(htmls: list[str], *args: Any, **kwargs: Any) -> Any:
        laid.append(sum(h.count("<article") for h in htmls))
        return real(htmls, *args, **kwargs)

    pdf_writer.render_all = counting  # type: ignore[assignment]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            digestkit.weekly(archive, out, progress=False, jobs=2, cache=cache)
    finally:
        pdf_writer.render_all = real
    return out, sum(laid)


def _same_book(warm: Path, cold: Path) -> None:
    warm_pages, cold_pages = _pages_text(warm), _pages_text(cold)
    assert len(warm_pages) == len(cold_pages) > 10
    for n, (w, c) in enumerate(zip(warm_pages, cold_pages, strict=True), 1):
        assert w == c, f"page {n}"
    warm_outline, warm_links = _outline_and_links(warm)
    cold_outline, cold_links = _outline_and_links(cold)
    assert warm_outline == cold_outline and len(warm_outline) > 5
    assert warm_links == cold_links and any(t.startswith("page") for _, t in warm_links)


@pytest.fixture()
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[Path]]:
    """An archive of the first 4 of 5 generated digests (the 5th kept aside), and small
    layout groups (about one chapter each), so there are groups to reuse."""
    from benchmarks.archive import generate

    files = generate(tmp_path / "all", 5)
    arch = tmp_path / "archive"
    arch.mkdir()
    for f in files[:4]:
        shutil.copy(f, arch / f.name)
    monkeypatch.setattr(constants, "GROUP_CHARS", 8_000)
    return arch, files


def test_rerun_after_adding_a_digest_lays_out_only_it(tmp_path, archive):
    arch, files = archive
    _, first = _build(arch, tmp_path / "w1.pdf", cache=True)
    assert first == 4
    shutil.copy(files[4], arch / files[4].name)
    warm, again = _build(arch, tmp_path / "w2.pdf", cache=True)
    assert again == 1  # only the new digest; the other four come from the cache
    cold, laid = _build(arch, tmp_path / "cold.pdf", cache=False)
    assert laid == 5
    _same_book(warm, cold)
    _, none = _build(arch, tmp_path / "w3.pdf", cache=True)
    assert none == 0  # nothing changed: no chapter laid out, only the title page and contents


def test_rerun_after_changing_a_digest_lays_it_out_again(tmp_path, archive):
    arch, files = archive
    _build(arch, tmp_path / "w1.pdf", cache=True)
    second = arch / files[1].name
    second.write_text(second.read_text(encoding="utf-8") + "\n\n增补一段：缓存必须看见这句话。\n",
                      encoding="utf-8")  # fmt: skip
    warm, again = _build(arch, tmp_path / "w2.pdf", cache=True)
    assert again == 1
    assert any("缓存必须看见这句话" in p for p in _pages_text(warm))
    cold, _ = _build(arch, tmp_path / "cold.pdf", cache=False)
    _same_book(warm, cold)


class _Store:
    """Stored groups by their first key (a stand-in for the cache, for ``plan`` alone)."""

    def __init__(self, groups: list[Group]) -> None:
        self.groups = {g.members[0]: g for g in groups}

    def starting_at(self, keys: list[str | None], i: int) -> Group | None:
        g = self.groups.get(keys[i] or "")
        return g if g and tuple(keys[i : i + len(g.members)]) == g.members else None


def _group(members: str, chars: int) -> Group:
    return Group(tuple(members), chars, (), Rendered(b"", 1, {}, []))


def _shape(segments: list[Segment]) -> list[tuple[int, int, bool]]:
    return [(s.first, s.count, s.group is not None) for s in segments]


def test_plan_reuses_whole_groups_and_relays_small_ones_with_what_follows():
    store: Any = _Store([_group("ab", 100), _group("cd", 100), _group("e", 10)])
    # most=0: appended f, the big groups reused, the small e laid out again with f
    assert _shape(plan(list("abcdef"), store, 50)) == [
        (0, 2, True), (2, 2, True), (4, 2, False)]  # fmt: skip
    # c changed: its group cannot be reused (members differ), d is laid out with it; the
    # small group after them stays
    segs = plan(["a", "b", "X", "d", "e"], store, 50)
    assert [(s.first, s.count, s.group is not None) for s in segs] == [
        (0, 2, True), (2, 2, False), (4, 1, True)]  # fmt: skip
    # no keys (not cacheable): everything is one run to lay out
    assert plan([None, None, None], None, 50) == [Segment(0, 3)]


def test_plan_lays_out_a_new_chapter_alone_until_most_small_groups_stand_before_it():
    store: Any = _Store([_group("ab", 100), _group("c", 10), _group("d", 10), _group("e", 10)])
    # two small groups before the new chapter, three allowed: f alone
    assert _shape(plan(list("abcdf"), store, 50, most=3)) == [
        (0, 2, True), (2, 1, True), (3, 1, True), (4, 1, False)]  # fmt: skip
    # three small groups stand before it: all three laid out again with it, the big one kept
    assert _shape(plan(list("abcdef"), store, 50, most=3)) == [(0, 2, True), (2, 4, False)]
    # a big group between breaks the row: only the small groups right before count
    store = _Store([_group("a", 10), _group("bc", 100), _group("d", 10)])
    assert _shape(plan(list("abcde"), store, 50, most=2)) == [
        (0, 1, True), (1, 2, True), (3, 1, True), (4, 1, False)]  # fmt: skip
    assert _shape(plan(list("abcde"), store, 50, most=1)) == [
        (0, 1, True), (1, 2, True), (3, 2, False)]  # fmt: skip
    # nothing new: every stored group reused, however small
    assert _shape(plan(list("abcd"), store, 50, most=1)) == [
        (0, 1, True), (1, 2, True), (3, 1, True)]  # fmt: skip


def test_daily_reruns_lay_out_one_chapter_and_merge_small_groups_within_the_bound(
    tmp_path, monkeypatch
):
    """Appending one digest a day with ``SMALL_GROUPS`` = 2: the re-runs lay out 1, 1, then 3
    chapters (the two one-chapter groups again, with the new one); the book is then the cold
    build page by page, and no bigger than it by more than a few per cent (the same number of
    groups, so the same number of font subsets)."""
    from benchmarks.archive import generate

    files = generate(tmp_path / "all", 7, only="000")  # ~11,000 characters a chapter
    arch = tmp_path / "archive"
    arch.mkdir()
    for f in files[:4]:
        shutil.copy(f, arch / f.name)
    monkeypatch.setattr(constants, "GROUP_CHARS", 36_000)  # 1 chapter small, 2 not, 3 one group
    monkeypatch.setattr(constants, "SMALL_GROUPS", 2)
    _, first = _build(arch, tmp_path / "w0.pdf", cache=True)
    assert first == 4
    laid = []
    for n in (4, 5, 6):
        shutil.copy(files[n], arch / files[n].name)
        warm, count = _build(arch, tmp_path / f"w{n}.pdf", cache=True)
        laid.append(count)
    assert laid == [1, 1, 3]
    cold, _ = _build(arch, tmp_path / "cold.pdf", cache=False)
    _same_book(warm, cold)
    assert warm.stat().st_size <= 1.1 * cold.stat().st_size


def test_chapter_keys_follow_everything_the_layout_reads():
    from digestkit.writers.book import Book, Chapter
    from digestkit.writers.pdf.assemble import heads
    from digestkit.writers.pdf.incremental import chapter_keys

    a = Chapter(title="甲", lang="zh-Hans", render_key="k-a")
    b = Chapter(title="乙", lang="zh-Hans", render_key="k-b")
    book = Book(title="书", lang="zh-Hans", chapters=[a, b, Chapter(title="丙")])
    _, head = heads(book, "A5", [])
    keys = chapter_keys(book, head, allow_network=False, fonts=[])
    assert keys[2] is None  # no render_key: never cached
    assert keys[0] and keys[1] and keys[0] != keys[1]
    assert keys == chapter_keys(book, head, allow_network=False, fonts=[])  # stable
    # another paper (the stylesheet in the head), the network policy, the book's language
    _, a4 = heads(book, "A4", [])
    assert chapter_keys(book, a4, allow_network=False, fonts=[])[0] != keys[0]
    assert chapter_keys(book, head, allow_network=True, fonts=[])[0] != keys[0]
    hant = Book(title="書", lang="zh-Hant", chapters=[a, b])
    assert chapter_keys(hant, head, allow_network=False, fonts=[])[0] != keys[0]
    # the same chapter at another place (its ids carry the number) is another layout
    swapped = Book(title="书", lang="zh-Hans", chapters=[b, a])
    assert chapter_keys(swapped, head, allow_network=False, fonts=[])[1] != keys[0]
    # the book's title and dates are not in the groups' head: a new digest leaves keys alone
    longer = Book(
        title="另一书名", lang="zh-Hans", chapters=[a, b, Chapter(title="丁", render_key="k-d")]
    )
    _, head2 = heads(longer, "A5", [])
    assert chapter_keys(longer, head2, allow_network=False, fonts=[])[:2] == keys[:2]


def test_the_probe_key_follows_the_code(monkeypatch):
    """A probe laid out by other code (an edited writer) must not be reused."""
    from digestkit import cache
    from digestkit.writers.pdf.incremental import probe_key

    html = "<html><body><p>探针</p></body></html>"
    key = probe_key(html)
    assert probe_key(html) == key
    monkeypatch.setattr(cache, "code_fingerprint", lambda root=None: "edited code")
    assert probe_key(html) != key
