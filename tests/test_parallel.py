"""Parallel batch and the document cache: same results whatever the parallelism, cache honest."""

from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor

import pytest

import digestkit
from digestkit.archive import collect
from digestkit.cache import DocumentCache, cache_dir
from tests.conftest import SEEDS, need_module


def _quiet(fn, *a, **k):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*a, **k)


@pytest.fixture
def archive(tmp_path):
    from benchmarks.archive import generate

    generate(tmp_path / "arch", 12)
    return tmp_path / "arch"


def test_load_many_jobs_give_identical_results():
    paths = SEEDS * 3  # 15 files: enough for the process pool
    one = _quiet(digestkit.load_many, paths, jobs=1)
    two = _quiet(digestkit.load_many, paths, jobs=2)
    assert one == two and [d.meta.front_matter for d in one] == [d.meta.front_matter for d in two]
    with ThreadPoolExecutor(2) as ex:
        assert _quiet(digestkit.load_many, paths, executor=ex) == one
    tw = _quiet(digestkit.load_many, paths[:2], jobs=1, script="s2twp")
    assert tw[0].meta.lang == "zh-Hant-TW"


def test_worker_warnings_reach_the_caller():
    with pytest.warns(UserWarning, match="copy of the one on line 2"):
        digestkit.load_many([SEEDS[3]] * 8, jobs=2)


def test_worker_errors_keep_their_position(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: [x\n---\n", encoding="utf-8")
    with pytest.raises(digestkit.ParseError) as exc:
        digestkit.load_many([*SEEDS, *SEEDS, bad], jobs=2)
    # the unclosed '[' on line 2, where PyYAML's caret points (issue 25)
    assert exc.value.path == str(bad) and (exc.value.line, exc.value.column) == (2, 8)


def test_weekly_jobs_and_cache_do_not_change_the_book(archive, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772000000")
    a = _quiet(
        digestkit.weekly, archive, tmp_path / "a.epub", jobs=1, cache=False, progress=False
    ).read_bytes()
    b = _quiet(digestkit.weekly, archive, tmp_path / "b.epub", jobs=2, progress=False).read_bytes()
    c = _quiet(
        digestkit.weekly, archive, tmp_path / "c.epub", jobs=2, progress=False
    ).read_bytes()  # warm
    assert a == b == c
    assert any((tmp_path / "xdg" / "digestkit").rglob("*.pickle"))  # XDG_CACHE_HOME moves the cache


def test_cache_hits_and_invalidation(archive, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "digestkit"
    first = _quiet(collect, archive, jobs=1)
    store = DocumentCache()
    hits_before = store.hits
    again = _quiet(collect, archive, jobs=1)
    assert [d.load() for d in again] == [d.load() for d in first]
    # an edited file is a miss and is re-read
    target = sorted(archive.glob("*.md"))[0]
    target.write_text(target.read_text(encoding="utf-8").replace("本期", "今期"), encoding="utf-8")
    edited = _quiet(collect, archive, jobs=1)
    assert digestkit.ast.plain_text(edited[0].load()) != digestkit.ast.plain_text(first[0].load())
    # a different digestkit version or option is a different key
    data = target.read_bytes()
    assert store.key(data, "loads", None) != store.key(data, "loads", "big5")
    other = DocumentCache()
    other.version = "0.0.0-other"
    assert other.key(data, "loads", None) != store.key(data, "loads", None)
    assert hits_before == 0


def test_corrupt_cache_entry_is_a_miss(archive, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    first = _quiet(collect, archive, jobs=1)
    for entry in (tmp_path / "xdg").rglob("*.pickle"):
        entry.write_bytes(b"garbage")
    assert [d.load() for d in _quiet(collect, archive, jobs=1)] == [d.load() for d in first]


def test_no_cache_flag(archive, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    from digestkit.cli import main

    assert (
        main(
            [
                "-q",
                "weekly",
                str(archive),
                "-o",
                str(tmp_path / "w.epub"),
                "--no-cache",
                "--jobs",
                "2",
            ]
        )
        == 0
    )
    assert not (tmp_path / "xdg").exists()


def test_dask_local_cluster_executor(archive, tmp_path):
    distributed = need_module("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        ex = client.get_executor()
        docs = _quiet(digestkit.load_many, SEEDS, executor=ex)
        out = _quiet(
            digestkit.weekly,
            archive,
            tmp_path / "dask.epub",
            executor=ex,
            cache=False,
            progress=False,
        )
    assert docs == _quiet(digestkit.load_many, SEEDS, jobs=1)
    assert out.exists() and out.stat().st_size > 10_000
    # the book made in the cluster reads exactly like the one made here
    from tests.conftest import epub_texts

    here = _quiet(digestkit.weekly, archive, tmp_path / "here.epub", jobs=1, cache=False,
                  progress=False)  # fmt: skip
    assert epub_texts(out) == epub_texts(here)


def test_warm_weekly_copies_cached_chapters_and_equals_cold(archive, tmp_path, monkeypatch):
    """A re-run after adding one digest renders and compresses only that digest's chapter; every
    other chapter is copied from the cache as compressed bytes, and the book is byte for byte the
    one a cold build (empty cache) writes."""
    from benchmarks.archive import generate

    from digestkit.writers import epub_package

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772000000")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "warm-cache"))
    _quiet(digestkit.weekly, archive, tmp_path / "first.epub", jobs=1, progress=False)
    extra = generate(tmp_path / "more", 13)[-1]
    (archive / extra.name).write_bytes(extra.read_bytes())
    written: list[str] = []
    original = epub_package.EpubPackage._write

    def recording(self, name, data, *, stored=False):
        written.append(name)
        return original(self, name, data, stored=stored)

    monkeypatch.setattr(epub_package.EpubPackage, "_write", recording)
    warm = _quiet(digestkit.weekly, archive, tmp_path / "warm.epub", jobs=1, progress=False)
    compressed = [n for n in written if "chapter-" in n]
    assert len(compressed) == 1, compressed  # only the new digest's chapter
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cold-cache"))
    cold = _quiet(digestkit.weekly, archive, tmp_path / "cold.epub", jobs=1, progress=False)
    assert warm.read_bytes() == cold.read_bytes()


def test_summary_index_answers_a_rerun_from_one_file(archive, tmp_path, monkeypatch):
    """The re-run finds every summary in the folder's one index entry (the per-digest summary
    entries deleted, nothing is parsed again), and a file taken out leaves the index."""
    from digestkit.archive import parse as archive_mod
    from digestkit.archive_index import SummaryIndex

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    first = _quiet(collect, archive, jobs=1)
    store = DocumentCache(cache_dir())
    index = SummaryIndex(store, archive, None)
    assert set(index.entries) == {d.key for d in first}
    for d in first:
        store.path(d.key + "-summary").unlink()

    def parse_again(*args):
        raise AssertionError(f"parsed again: {args[-1]}")

    monkeypatch.setattr(archive_mod, "_parse_one", parse_again)
    again = _quiet(collect, archive, jobs=1)
    assert [d.summary for d in again] == [d.summary for d in first]
    gone = sorted(archive.iterdir())[0]
    gone.unlink()
    _quiet(collect, archive, jobs=1)
    keys = SummaryIndex(store, archive, None).entries.keys()
    assert {d.key for d in first if d.path != gone} == set(keys)
    assert len(keys) == len(first) - 1


def test_prerendered_chapters_warn_as_the_writer_would(archive, tmp_path, monkeypatch):
    """Chapters rendered in workers ahead of the writer (prerender) give the same warnings, in
    the same order, as a build that renders every chapter in the writer."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772000000")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))

    def messages(jobs, cache, name):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            digestkit.weekly(archive, tmp_path / name, jobs=jobs, cache=cache, progress=False)
        return [str(w.message) for w in caught if "image" in str(w.message)]

    serial = messages(1, False, "serial.epub")
    parallel = messages(2, True, "parallel.epub")
    assert serial and parallel == serial
    assert (tmp_path / "serial.epub").read_bytes() == (tmp_path / "parallel.epub").read_bytes()
