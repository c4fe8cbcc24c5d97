"""The Hugo reader: seed 001, JSON front matter, Hugo's keys, and bad input."""

from __future__ import annotations

import datetime as dt

import pytest

import digestkit
import digestkit.ast
from digestkit import ParseError
from digestkit.ast import BlockQuote, BulletList, HtmlBlock, Strong
from digestkit.readers.hugo import summary_divider_index
from tests.conftest import FIXTURES

SEED_001 = FIXTURES / "001_b56b55d7f0d190c3.txt"


def test_seed_001():
    doc = digestkit.load(SEED_001)  # sniffed: '+++' means Hugo
    m = doc.meta
    assert m.title == "AI 技术深度日报｜2026-02-28"
    assert m.date == dt.datetime(2026, 2, 28, 8, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert m.tags == ("AI",) and m.categories == ("AI",) and m.draft is False
    assert any(isinstance(b, BlockQuote) for b in doc.blocks)
    lists = [b for b in doc.blocks if isinstance(b, BulletList)]
    assert isinstance(lists[0].items[0].blocks[0].children[0], Strong)


def test_hugo_keys_are_typed():
    text = (
        '+++\ntitle = "t"\nslug = "my-post"\nweight = 3\naliases = ["/old/"]\n'
        'lastmod = 2026-03-01\npublishDate = 2026-02-28T09:00:00Z\ndescription = "d"\n'
        'custom = 1.5\n[params]\nauthor = "李四"\n+++\nbody\n'
    )
    m = digestkit.loads(text).meta
    assert (m.slug, m.weight, m.aliases, m.description) == ("my-post", 3, ("/old/",), "d")
    assert m.lastmod == dt.date(2026, 3, 1)
    assert m.publish_date == dt.datetime(2026, 2, 28, 9, tzinfo=dt.UTC)
    assert m.params == {"author": "李四"} and m.extra == {"custom": 1.5}


def test_json_front_matter():
    doc = digestkit.loads('{\n  "title": "标题",\n  "draft": true,\n  "tags": ["a"]\n}\n正文\n')
    assert (doc.meta.title, doc.meta.draft, doc.meta.tags) == ("标题", True, ("a",))
    assert digestkit.ast.plain_text(doc) == "正文"


def test_more_divider_survives():
    text = '+++\ntitle = "t"\n+++\nIntro.\n\n<!--more-->\n\nRest.\n'
    doc = digestkit.loads(text)
    i = summary_divider_index(doc)
    assert i == 1 and isinstance(doc.blocks[i], HtmlBlock)
    from digestkit.writers.hugo import WRITER

    assert WRITER.render(doc) == text
    assert digestkit.loads(digestkit.dumps(doc)) == doc


def test_broken_toml_reports_position():
    with pytest.raises(ParseError) as exc:
        digestkit.loads('+++\ntitle = "t"\ndate = 2026-02-30x\n+++\n', path="p.md")
    assert exc.value.path == "p.md" and exc.value.line == 3 and exc.value.column is not None


def test_unclosed_toml_fence():
    with pytest.raises(ParseError, match=r"never closed.*'\+\+\+'"):
        digestkit.loads('+++\ntitle = "t"\nbody\n', "hugo")


def test_yaml_inside_toml_fences_says_so():
    with pytest.raises(ParseError, match="looks like YAML") as exc:
        digestkit.loads("+++\ntitle: Hello\ndate: 2026-01-01\n+++\n", path="y.md")
    assert exc.value.line == 2


def test_values_hugo_rejects_are_kept_with_a_warning():
    with pytest.warns(UserWarning, match="'draft' should be true or false"):
        doc = digestkit.loads('+++\ntitle = "t"\ndraft = "yes"\n+++\n', path="w.md")
    assert doc.meta.draft is None and doc.meta.extra["draft"] == "yes"
