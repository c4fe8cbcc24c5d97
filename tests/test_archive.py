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
