"""A weekly PDF re-run reuses laid-out chapter groups and is the same book as a cold build.

The warm build (cache kept from the run before; one digest added at the end or at the start,
one changed in the middle, or one removed) is compared
with a cold build (``cache=False``, other grouping) page by page: pdftotext of every page, the
outline (title, depth, page) and every link's target (page number or URI), on real WeasyPrint
output. The runs are counted too: a re-run must lay out only the chapters that changed.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import warnings
from pathlib import Path
from typing import Any

import pytest

import digestkit
from digestkit.writers import pdf as pdf_writer
from digestkit.writers.pdf import constants, incremental
from digestkit.writers.pdf.incremental import Group, Located, cut, plan
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
    """An archive of digests 2–5 of 6 generated (the 1st and 6th kept aside: one dated before
    all others, one after), and groups cut by size alone (no chapter's hash ends a group, so
    the grouping does not change with the code's hash): chapters of 11,132, 3,460, 11,687 and
    4,741 characters make groups of three and one."""
    from benchmarks.archive import generate

    files = generate(tmp_path / "all", 6)
    arch = tmp_path / "archive"
    arch.mkdir()
    for f in files[1:5]:
        shutil.copy(f, arch / f.name)
    monkeypatch.setattr(constants, "GROUP_CHARS", 30_000)
    monkeypatch.setattr(incremental, "CUT_ONE_IN", 10**12)
    return arch, files


def test_rerun_after_adding_a_digest_lays_out_only_it(tmp_path, archive):
    arch, files = archive
    _, first = _build(arch, tmp_path / "w1.pdf", cache=True)
    assert first == 4
    shutil.copy(files[5], arch / files[5].name)
    warm, again = _build(arch, tmp_path / "w2.pdf", cache=True)
    assert again == 1  # only the new digest; the other four come from the cache
    cold, laid = _build(arch, tmp_path / "cold.pdf", cache=False)
    assert laid == 5
    _same_book(warm, cold)
    _, none = _build(arch, tmp_path / "w3.pdf", cache=True)
    assert none == 0  # nothing changed: no chapter laid out, only the title page and contents


def test_rerun_after_inserting_a_digest_at_the_start_lays_out_only_it(tmp_path, archive):
    """A digest dated before all others moves every chapter one place on: their layouts do
    not carry their numbers, so each is found again."""
    arch, files = archive
    _build(arch, tmp_path / "w1.pdf", cache=True)
    shutil.copy(files[0], arch / files[0].name)
    warm, again = _build(arch, tmp_path / "w2.pdf", cache=True)
    assert again == 1
    cold, _ = _build(arch, tmp_path / "cold.pdf", cache=False)
    _same_book(warm, cold)


def test_rerun_after_changing_a_digest_lays_it_out_again(tmp_path, archive):
    arch, files = archive
    _build(arch, tmp_path / "w1.pdf", cache=True)
    second = arch / files[2].name
    second.write_text(second.read_text(encoding="utf-8") + "\n\n增补一段：缓存必须看见这句话。\n",
                      encoding="utf-8")  # fmt: skip
    warm, again = _build(arch, tmp_path / "w2.pdf", cache=True)
    assert again == 1
    assert any("缓存必须看见这句话" in p for p in _pages_text(warm))
    cold, _ = _build(arch, tmp_path / "cold.pdf", cache=False)
    _same_book(warm, cold)


def test_rerun_after_removing_a_digest_lays_out_nothing(tmp_path, archive):
    """The second digest goes from the middle of a stored group of three: the first and third
    keep their pages, taken out of that group at the join."""
    arch, files = archive
    _build(arch, tmp_path / "w1.pdf", cache=True)
    (arch / files[2].name).unlink()
    warm, again = _build(arch, tmp_path / "w2.pdf", cache=True)
    assert again == 0
    assert not any("第3期" in p for p in _pages_text(warm))
    cold, _ = _build(arch, tmp_path / "cold.pdf", cache=False)
    _same_book(warm, cold)


def _located(spec: str) -> list[Located | None]:
    """Chapters as stored: ``"AAB."`` — two in group A (members 0, 1), one in B, one new."""
    sizes: dict[str, int] = {}
    for c in spec:
        if c != ".":
            sizes[c] = sizes.get(c, 0) + 1
    groups = {name: _group(n) for name, n in sizes.items()}
    seen: dict[str, int] = {}
    out: list[Located | None] = []
    for c in spec:
        if c == ".":
            out.append(None)
            continue
        out.append(Located(c, seen.get(c, 0), groups[c]))
        seen[c] = seen.get(c, 0) + 1
    return out


def _group(n: int) -> Group:
    return Group(tuple(str(k) for k in range(n)), (1,) * n, (), tuple(range(n)),
                 Rendered(b"", n, {}, []))  # fmt: skip


def test_cut_is_content_defined():
    """Boundaries after an even hash once a group holds ``low``, before ``high`` at most: an
    insertion, an edit or a removal moves the groups around it only."""
    even, odd = "0" * 63 + "2", "0" * 63 + "1"
    keys = [odd, even, odd, odd, even, odd, even, odd, odd, odd, odd]
    sizes = [10] * len(keys)
    groups = cut(keys, sizes, 20, 40)
    assert groups == [(0, 2), (2, 5), (5, 7), (7, 11)]
    # an inserted chapter at the start: the first group grows, the others stay (shifted)
    inserted = cut([odd, *keys], [10, *sizes], 20, 40)
    assert inserted[1:] == [(a + 1, b + 1) for a, b in groups[1:]]
    # a removed chapter in the middle: only its group changes
    removed = cut(keys[:3] + keys[4:], sizes[1:], 20, 40)
    assert removed == [(0, 2), (2, 4), (4, 6), (6, 10)]
    # the bounds: no group over ``high``; a small chapter run is not cut before ``low``
    assert cut([even] * 5, [30] * 5, 20, 40) == [(k, k + 1) for k in range(5)]
    assert cut([even] * 4, [5] * 4, 20, 40) == [(0, 4)]
    assert cut([odd] * 6, [15] * 6, 20, 40) == [(0, 2), (2, 4), (4, 6)]


def test_plan_reuses_whole_groups_and_lays_out_only_new_chapters():
    chars = [10] * 8
    # every group found whole: nothing to lay out
    assert plan([(0, 2), (2, 4)], _located("AABB"), chars[:4], 100, 0) == []
    # a new chapter at the start of a group: laid out alone; the rest keep their pages
    assert plan([(0, 3), (3, 5)], _located(".AABB"), chars[:5], 100, 3) == [[0]]
    # new chapters in two changed groups: one layout for both
    assert plan([(0, 3), (3, 6)], _located(".AA.BB"), chars[:6], 100, 3) == [[0, 3]]
    # a removed chapter (A's second): its group's others keep their pages, nothing is laid out
    a = _group(3)
    assert plan([(0, 2)], [Located("A", 0, a), Located("A", 2, a)], chars[:2], 100, 3) == []
    # (even with no layout to spare: the book still draws on one)
    assert plan([(0, 2)], [Located("A", 0, a), Located("A", 2, a)], chars[:2], 100, 0) == []
    # nothing stored (a cold build): each group laid out as it is
    assert plan([(0, 2), (2, 3)], [None] * 3, chars[:3], 100, 3) == [[0, 1], [2]]


def test_plan_lays_changed_groups_out_whole_past_the_bound():
    """The book may draw on ``most`` layouts more than it has groups; past that, the changed
    group whose laying out saves most is laid out whole."""
    chars = [10] * 6
    located = _located("ABC.DD")  # three one-chapter layouts and a new chapter in group 0
    groups = [(0, 4), (4, 6)]
    # A, B, C, the new chapter's layout and D: 5 layouts for 2 groups
    assert plan(groups, located, chars, 100, 3) == [[3]]
    assert plan(groups, located, chars, 100, 2) == [[0, 1, 2, 3]]
    assert plan(groups, located, chars, 100, 0) == [[0, 1, 2, 3]]
    # the new chapters are cut at ``high``
    assert plan([(0, 4)], _located("...."), [30] * 4, 60, 9) == [[0, 1, 2, 3]]
    assert plan([(0, 2), (2, 4)], _located("..A."), [30] * 4, 60, 9) == [[0, 1], [3]]


def test_plan_keeps_the_bound_on_a_big_book_where_every_group_changed():
    """2,000 chapters in groups of four, each group holding a new chapter and chapters from
    three different stored layouts: the plan's book draws on at most ``most`` layouts beyond
    its groups, and lays out no more groups whole than it must."""
    groups = [(k, k + 4) for k in range(0, 2000, 4)]
    stored = [_group(3) for _ in range(1500)]
    located: list[Located | None] = []
    for k in range(500):
        located.append(None)
        located.extend(Located(f"L{3 * k + j}", 0, stored[3 * k + j]) for j in range(3))
    chars = [10] * 2000
    for most in (0, 3, 100, 2000):
        layouts = plan(groups, located, chars, 10_000, most)
        laid = {i for run in layouts for i in run}
        names = {at.name for i, at in enumerate(located) if at is not None and i not in laid}
        assert len(names) + len(layouts) <= len(groups) + most
        # 1,500 stored layouts + 1 for the new chapters. Each group laid out whole takes three
        # stored layouts and adds one (two out, for three chapters laid out again); each
        # stored layout absorbed takes one out for one chapter. Fewer chapters are laid out
        # again than the fewest whole groups would take (the plan before the absorbing fold)
        whole_groups = min(500, max(0, math.ceil((1501 - len(groups) - most) / 2)))
        again = len(laid) - 500  # beyond the 500 new chapters
        assert again <= 3 * whole_groups
        assert again < 3 * whole_groups or whole_groups == 0
    assert plan(groups, located, chars, 10_000, 2000) == [[i * 4 for i in range(500)]]


def test_plan_lays_a_lone_earlier_chapter_out_again_rather_than_a_whole_group():
    """The benchmark's fold: an earlier re-run laid chapter 3 out alone (layout P); now
    chapter 6 is edited, and the book would draw on A, P, B and the new layout — one over the
    bound. Laying chapter 3 out again beside chapter 6 takes P out for one chapter; the plan
    before laid the whole first group out (four chapters) and chapter 6 apart."""
    chars = [10] * 8
    a, p, b = _group(4), _group(1), _group(4)
    located: list[Located | None] = [Located("A", i, a) for i in range(3)]
    located += [Located("P", 0, p), Located("B", 0, b), Located("B", 1, b), None,
                Located("B", 3, b)]  # fmt: skip
    groups = [(0, 4), (4, 8)]
    assert plan(groups, located, chars, 100, 2) == [[6]]  # within the bound: 4 ≤ 2 + 2
    assert plan(groups, located, chars, 100, 1) == [[3, 6]]
    # with slack, once it must it goes on below the bound by the cheapest steps: A's three
    # chapters join them too, and the book draws on B and one new layout
    assert plan(groups, located, chars, 100, 1, 1) == [[0, 1, 2, 3, 6]]
    assert plan(groups, located, chars, 100, 2, 1) == [[6]]  # within the bound: no slack taken
    # nothing new beside it: absorbing P would add a layout as it takes one out, so the first
    # group is laid out whole (B, found whole, is never absorbed)
    located[6] = Located("B", 2, b)
    assert plan(groups, located, chars, 100, 0) == [[0, 1, 2, 3]]


def test_daily_reruns_stay_within_the_bound_and_equal_a_cold_build(tmp_path, monkeypatch):
    """Appending one digest a day with ``SMALL_GROUPS`` = 1: each re-run lays out the new
    chapter, and more when the book would draw on more than one layout beyond its groups;
    the parts the book is joined from never exceed that bound; the book is then the cold
    build page by page, and no bigger than it by more than its extra layouts' fonts."""
    from benchmarks.archive import generate

    files = generate(tmp_path / "all", 7, only="000")  # ~11,000 characters a chapter
    arch = tmp_path / "archive"
    arch.mkdir()
    for f in files[:4]:
        shutil.copy(f, arch / f.name)
    monkeypatch.setattr(constants, "GROUP_CHARS", 36_000)
    monkeypatch.setattr(constants, "SMALL_GROUPS", 1)
    cuts: list[list[tuple[int, int]]] = []
    joined: list[int] = []
    real_cut, real_join = incremental.cut, pdf_writer.join

    def cutting(*args: Any, **kwargs: Any) -> Any:
        cuts.append(real_cut(*args, **kwargs))
        return cuts[-1]

    def joining(front: Any, pieces: Any, **kwargs: Any) -> Any:
        joined.append(len({id(p.part) for p in pieces}))
        return real_join(front, pieces, **kwargs)

    monkeypatch.setattr(pdf_writer, "cut", cutting)
    monkeypatch.setattr(pdf_writer, "join", joining)
    _, first = _build(arch, tmp_path / "w0.pdf", cache=True)
    assert first == 4
    laid = []
    for n in (4, 5, 6):
        shutil.copy(files[n], arch / files[n].name)
        warm, count = _build(arch, tmp_path / f"w{n}.pdf", cache=True)
        laid.append(count)
        assert joined[-1] <= len(cuts[-1]) + 1
    # the first re-run lays out its chapter alone; one that would pass the bound lays out
    # more (with ``FOLD_SLACK`` ≥ 1 and ``SMALL_GROUPS`` = 1: back to a cold build's layouts)
    assert laid[0] == 1 and all(c >= 1 for c in laid) and joined[-1] <= len(cuts[-1]) + 1
    drawn_on = joined[-1]
    cold, _ = _build(arch, tmp_path / "cold.pdf", cache=False)
    _same_book(warm, cold)
    # each layout drawn on carries its font subsets: the size goes with their number
    assert warm.stat().st_size <= 1.1 * cold.stat().st_size * drawn_on / joined[-1]


def test_chapter_keys_follow_everything_the_layout_reads():
    from digestkit.writers.book import Book, Chapter
    from digestkit.writers.pdf.assemble import heads
    from digestkit.writers.pdf.incremental import chapter_keys, chapter_tags

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
    # the same chapter at another place is the same layout (its ids carry no number)
    swapped = Book(title="书", lang="zh-Hans", chapters=[b, a])
    assert chapter_keys(swapped, head, allow_network=False, fonts=[])[1] == keys[0]
    # but two identical chapters get two keys (their ids must differ), and so two tags
    twice = chapter_keys(Book(title="书", lang="zh-Hans", chapters=[a, a]), head,
                         allow_network=False, fonts=[])  # fmt: skip
    assert twice[0] == keys[0] and twice[1] != twice[0]
    assert len(set(chapter_tags(twice))) == 2
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


_SUBPROCESS_BUILD = """
import sys, warnings
import digestkit
warnings.simplefilter("ignore")
digestkit.weekly(sys.argv[1], sys.argv[2], progress=False, jobs=1)
heavy = sorted(m for m in ("weasyprint", "fontTools", "PIL", "cffi", "multiprocessing")
               if m in sys.modules)
print(",".join(heavy))
"""


def _build_fresh(arch: Path, out: Path, cache: Path) -> list[str]:
    """Build in a fresh interpreter (nothing imported before) with ``cache`` as the XDG cache;
    returns the heavy modules it imported."""
    import os
    import sys

    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    root = Path(__file__).resolve().parents[3]
    env["PYTHONPATH"] = os.pathsep.join([str(root / "src"), str(root), env.get("PYTHONPATH", "")])
    proc = subprocess.run([sys.executable, "-c", _SUBPROCESS_BUILD, str(arch), str(out)],
                          capture_output=True, text=True, env=env, timeout=600, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    return [m for m in proc.stdout.strip().split(",") if m]


def test_rerun_that_lays_nothing_out_imports_no_weasyprint(tmp_path):
    """A re-run that finds every page in stored layouts (nothing changed, or the archive back
    as a build before saw it) does not import WeasyPrint (~0.3 s of CPU), and the book is
    still the cold one. A re-run that lays anything out (a removal: the contents change) does
    import it — the check can fail both ways — and, laying out in this process, not the
    process pool's ``multiprocessing``."""
    from benchmarks.archive import generate

    files = generate(tmp_path / "all", 4)
    arch = tmp_path / "archive"
    arch.mkdir()
    for f in files:
        shutil.copy(f, arch / f.name)
    cache = tmp_path / "xdg"
    assert "weasyprint" in _build_fresh(arch, tmp_path / "w1.pdf", cache)  # cold: lays out
    assert _build_fresh(arch, tmp_path / "w2.pdf", cache) == []  # nothing changed
    cold, _ = _build(arch, tmp_path / "cold.pdf", cache=False)
    _same_book(tmp_path / "w2.pdf", cold)
    (arch / files[1].name).unlink()
    laid = _build_fresh(arch, tmp_path / "w3.pdf", cache)
    assert "weasyprint" in laid  # the contents change
    assert "multiprocessing" not in laid  # laid out here: no pool, not even its import
    shutil.copy(files[1], arch / files[1].name)
    assert _build_fresh(arch, tmp_path / "w4.pdf", cache) == []  # back: every layout stored
    _same_book(tmp_path / "w4.pdf", cold)
