"""archive.py's per-digest work: the shortcuts (one plain_text walk, a stopping traversal) give
what the plain definitions give."""

from __future__ import annotations

import warnings

import pytest

import digestkit
from digestkit.archive.digest import _ABSOLUTE, _has_local_links, summarize
from digestkit.archive.parse import _parse_one
from digestkit.ast import Link, ShortcodeInline, walk
from tests.conftest import SEEDS


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_parse_one_is_loads_then_summarize(seed):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        doc = digestkit.loads(seed.read_text(encoding="utf-8"), path=str(seed))
        expected = summarize(doc, [str(w.message) for w in caught])
    path, got_doc, got, key = _parse_one(None, None, str(seed))
    assert (path, key) == (str(seed), "")
    assert got_doc == doc and got == expected
    assert doc.meta.lang  # detection ran


def _walked(doc) -> bool:
    found = []

    def look(node):
        if (isinstance(node, Link) and not _ABSOLUTE.match(node.url.strip())) or (
            isinstance(node, ShortcodeInline) and node.name in ("ref", "relref")
        ):
            found.append(node)
        return node

    walk(doc, look)
    return bool(found)


@pytest.mark.parametrize(
    "text",
    [
        "纯文本，没有链接。\n",
        "[外链](https://example.org/a)\n",
        "- 列表\n  - [相对链接](other.md)\n",
        "> 引用 ![图 [内链](a.md)](x.png)\n",
        "| a |\n|---|\n| [表格里](/site/page/) |\n",
        '见 [这里]({{< relref "post.md" >}})。\n',
        '见 {{< ref "post.md" >}}。\n',
        *[p.read_text(encoding="utf-8") for p in SEEDS],
    ],
)
def test_local_links_found_as_a_full_walk_finds_them(text):
    doc = digestkit.loads(text, "markdown" if "relref" not in text else "hugo")
    assert _has_local_links(doc) == _walked(doc)


def test_a_digest_parsed_in_this_process_is_kept_not_loaded_back(tmp_path, monkeypatch):
    """A re-run parses its few new digests here (no pool): each document is kept from the parse
    for its chapter (the cache's copy is for the next run), and is the document the cache holds;
    parsed in a pool, only the summary comes back."""
    import shutil

    from digestkit.archive.parse import collect
    from digestkit.cache import DocumentCache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    (tmp_path / "arch").mkdir()
    for seed in SEEDS[:2]:
        shutil.copy(seed, tmp_path / "arch" / seed.name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        here = collect(tmp_path / "arch", jobs=1)
        assert all(d.doc is not None and d.key for d in here)
        for d in here:
            kept = DocumentCache().get(d.key)
            assert kept == d.doc
            assert d.load() == kept
        shutil.rmtree(tmp_path / "xdg")
        pooled = collect(tmp_path / "arch", jobs=2, executor=_Serial())
        assert all(d.doc is None and d.key for d in pooled)


class _Serial:
    """An executor that runs here but stands for a pool (what a Dask executor is to pmap)."""

    def map(self, fn, items):
        import pickle

        return [pickle.loads(pickle.dumps(fn(i))) for i in items]
