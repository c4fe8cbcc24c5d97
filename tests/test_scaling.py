"""Every stage scales linearly with the number of headings, repeated or distinct (issue 25, point 9).

16,000 identical ``## 標題`` sections took 18.8 s to become an EPUB (8,000: 4.9 s): each repeat
searched ``標題-1``, ``標題-2`` … from the start for a free id. Timing on a shared machine proves
little, so this counts work instead: the Python lines digestkit executes (a ``sys.settrace``
counter limited to digestkit's own files — deterministic, and a loop shows up even when it calls
nothing). Eight times the headings must cost at most ~1.5 × eight times the lines; the old id
search cost 44×. The times for 1k…64k headings are ``python -m benchmarks.scaling``
(docs/benchmarks.md).
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

import digestkit

SRC = str(Path(digestkit.__file__).resolve().parent)
SMALL, LARGE = 250, 2000
SLACK = 1.5


def executed_lines(fn: Callable[[], object]) -> int:
    """Lines of digestkit's own code that ``fn()`` executes."""
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def calls(frame, event, arg):
        return local if frame.f_code.co_filename.startswith(SRC) else None

    old = sys.gettrace()
    sys.settrace(calls)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn()
    finally:
        sys.settrace(old)
    return count


def source(n: int, repeated: bool) -> str:
    return "".join(f"## 標題{'' if repeated else i}\n\n段落{i}。\n\n" for i in range(n))


def _weekly(tmp_path: Path, n: int, repeated: bool) -> Callable[[], object]:
    archive = tmp_path / f"archive-{n}-{repeated}"
    archive.mkdir()
    (archive / "2026-02-23.md").write_text(
        "---\ntitle: 週報\ndate: 2026-02-23\n---\n" + source(n, repeated), encoding="utf-8"
    )
    return lambda: digestkit.weekly(archive, archive / "w.epub", cache=False, jobs=1)


STAGES: dict[str, Callable[[str, Path], Callable[[], object]]] = {
    "read-markdown": lambda text, out: lambda: digestkit.loads(text, "markdown"),
    "markdown": lambda text, out: lambda: digestkit.dumps(digestkit.loads(text, "markdown")),
    "epub": lambda text, out: lambda: digestkit.dump(digestkit.loads(text, "markdown"), out / "b.epub"),
    "html": lambda text, out: lambda: digestkit.dump(digestkit.loads(text, "markdown"), out / "b.html"),
    "json": lambda text, out: lambda: digestkit.dumps(digestkit.loads(text, "markdown"), "json"),
    "hugo": lambda text, out: lambda: digestkit.dump(digestkit.loads(text, "markdown"), out / "site", "hugo"),
}  # fmt: skip


@pytest.mark.parametrize("repeated", [True, False], ids=["repeated", "distinct"])
@pytest.mark.parametrize("stage", STAGES)
def test_stage_is_linear_in_headings(stage, repeated, tmp_path):
    small = executed_lines(STAGES[stage](source(SMALL, repeated), tmp_path))
    large = executed_lines(STAGES[stage](source(LARGE, repeated), tmp_path))
    assert large <= SLACK * (LARGE / SMALL) * small, (stage, small, large)


@pytest.mark.parametrize("repeated", [True, False], ids=["repeated", "distinct"])
def test_weekly_book_is_linear_in_headings(repeated, tmp_path):
    small = executed_lines(_weekly(tmp_path, SMALL, repeated))
    large = executed_lines(_weekly(tmp_path, LARGE, repeated))
    # the book's fixed costs (cover, fonts, the OPF) make the small run dearer per heading
    assert large <= SLACK * (LARGE / SMALL) * small, (small, large)


def test_unique_ids_are_the_ones_a_search_from_the_start_finds():
    """The remembered suffix hands out exactly what the old search from ``x-1`` did, also when
    a heading is itself named like a suffixed id (``x-2``) or ids are added from outside."""
    from digestkit.links import UniqueIds, unique_heading_id

    texts = ["x", "x", "x-2", "x", "y", "x", "x-1", "x", "y", "x"]
    plain: set[str] = set()
    fast = UniqueIds()
    assert [unique_heading_id(t, fast) for t in texts] == [
        unique_heading_id(t, plain) for t in texts
    ]
    ids = UniqueIds(["a", "a-2"])
    ids.add("a-4")
    assert [ids.claim("a", first=2) for _ in range(4)] == ["a-3", "a-5", "a-6", "a-7"]
    assert "a-6" in ids and len(ids) == 7
