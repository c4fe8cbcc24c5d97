"""The Hugo reader: seed 001, JSON front matter, Hugo's keys, and bad input."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import subprocess
import warnings
from pathlib import Path

import pytest

import digestkit
import digestkit.ast
from digestkit import ParseError
from digestkit.ast import BlockQuote, BulletList, HtmlBlock, Strong
from digestkit.readers.hugo import summary_divider_index
from tests.conftest import FIXTURES, require_tool

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


# Front matter Hugo reads although PyYAML alone refuses it. Written for these tests, imitating
# what the Hugo corpus showed (a blog whose every post has ``key:<TAB>value``; a page opening
# with a blank line before ``---``).
LENIENT = {
    "tab-after-key": '---\ntitle:\t"Dependency Injection\tin Web Forms"\ndate:\t2010-10-03\n'
    "author: Someone\ntags:   [.NET General, C#]\ndraft:\tfalse\n---\n\nBody.\n",
    "tabs-in-list-and-nested": "---\ntitle:\t\tTabs 中文\ndate: 2021-05-01T10:00:00+08:00\n"
    "tags:\n  - one\n  - two\ndraft:\ttrue\nparams:\n  x:\t1\n---\nBody.\n",
    "blank-line-before-fence": '\n---\ntitle: "依赖管理"\ndate: 2020-01-02\n---\nBody.\n',
    # a Go blog (fresh3 corpus, 81 of its posts): a flow list opened on the key's line, its
    # items on TAB-indented lines; Go's yaml reads TABs inside [ ] and { } as spaces
    "tab-indented-flow-list": '---\ntitle:\t"流式列表"\ndate: 2020-01-18T21:08:05+08:00\n'
    'categories: [\n\t"Go",\n\t"日报"\n]\nparams: {\n\tx: 1\n}\n---\nBody.\n',
}


def _hugo_list(hugo: str, tmp_path, files: dict[str, str]) -> dict[str, dict[str, str]]:
    site = tmp_path / "site"
    for name, text in files.items():
        (site / "content" / "posts").mkdir(parents=True, exist_ok=True)
        (site / "content" / "posts" / f"{name}.md").write_text(text, encoding="utf-8")
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    listing = subprocess.run([hugo, "list", "all"], cwd=site, capture_output=True, text=True,
                             timeout=300)  # fmt: skip
    assert listing.returncode == 0, listing.stderr
    rows = csv.DictReader(io.StringIO(listing.stdout))
    return {Path(r["path"]).stem: r for r in rows}


@pytest.mark.tool
def test_lenient_front_matter_reads_as_real_hugo_reads_it(tmp_path):
    hugo = require_tool("hugo")
    listed = _hugo_list(hugo, tmp_path, LENIENT)
    assert set(listed) == set(LENIENT)
    for name, text in LENIENT.items():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            doc = digestkit.loads(text, "hugo", path=f"{name}.md")
        row = listed[name]
        assert doc.meta.title == row["title"]
        assert row["draft"] == str(bool(doc.meta.draft)).lower()
        date = doc.meta.date
        stamp = date.isoformat() if isinstance(date, dt.datetime) else f"{date}T00:00:00Z"
        assert row["date"] == stamp
        tabbed = [str(w.message) for w in caught if "TAB" in str(w.message)]
        if "\t" in text.split("---")[1]:
            assert tabbed and tabbed[0].startswith(f"{name}.md:2:"), tabbed
        else:
            assert not tabbed


def test_lenient_front_matter_keeps_its_text_and_tags():
    doc = digestkit.loads(LENIENT["tabs-in-list-and-nested"], "hugo", path="x.md")
    assert doc.meta.tags == ("one", "two")
    assert dict(doc.meta.params) == {"x": 1}
    # unchanged front matter goes back byte for byte, TABs and all
    assert digestkit.dumps(doc, "markdown").startswith(LENIENT["tabs-in-list-and-nested"][:40])
    flow = digestkit.loads(LENIENT["tab-indented-flow-list"], "hugo", path="f.md")
    assert flow.meta.categories == ("Go", "日报") and dict(flow.meta.params) == {"x": 1}


@pytest.mark.parametrize(
    "text",
    ["---\nparams:\n\tx: 1\n---\n", "---\ntags:\n  -\tone\n---\n", "---\ntags: []\n\tx: 1\n---\n"],
)
def test_tabs_go_yaml_refuses_stay_errors(text):
    # Go's yaml (Hugo) refuses a TAB as indentation or after a list dash; so do we.
    with pytest.raises(ParseError) as err:
        digestkit.loads(text, "hugo", path="t.md")
    assert err.value.line == 3


@pytest.mark.tool
def test_toml_leading_zero_is_an_error_for_hugo_and_us(tmp_path):
    hugo = require_tool("hugo")
    text = '+++\ntitle = "x"\ndateday = 07\n+++\n'
    with pytest.raises(ParseError) as err:
        digestkit.loads(text, "hugo", path="z.md")
    assert (err.value.line, err.value.path) == (3, "z.md")
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "content" / "z.md").write_text(text, encoding="utf-8")
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    build = subprocess.run([hugo, "list", "all"], cwd=site, capture_output=True, text=True,
                           timeout=300)  # fmt: skip
    assert build.returncode != 0


# Written for these tests, imitating multilingual theme exampleSites (getting-started.ja.md,
# _index.zh-cn.md, markdown-syntax.pt-br.md next to the default-language file).
@pytest.mark.parametrize(
    ("name", "lang"),
    [
        ("getting-started.ja.md", "ja"),
        ("_index.zh-cn.md", "zh-Hans"),
        ("index.zh-tw.md", "zh-Hant-TW"),
        ("markdown-syntax.pt-br.md", "pt-BR"),
        ("post.v1.md", None),
        ("index-zh.md", None),
    ],
)
def test_language_in_the_file_name_is_the_page_lang(name, lang):
    text = '+++\ntitle = "T"\n+++\nThe the the of and to is that for with this are was it.\n'
    doc = digestkit.loads(text, "hugo", path=f"content/docs/{name}", detect_lang=False)
    assert doc.meta.lang == lang
    assert "lang" not in digestkit.dumps(doc, "markdown")


def test_front_matter_lang_wins_over_the_file_name():
    text = "---\ntitle: T\nlang: fr\n---\nTexte.\n"
    assert digestkit.loads(text, "markdown", path="a/page.ja.md").meta.lang == "fr"


# Hugo's other date and draft keys (its front matter defaults): ``pubDate`` and ``published``
# are publishDate (so .Date too, without ``date``), ``modified`` is lastmod, and Jekyll's
# ``published: false`` makes a draft. Written for this test after real Hugo gave draft=true to
# a page digestkit read as published; compared with ``hugo list all``.
ALIASES = {
    "pub-date": "---\ntitle: 发布\npubDate: 2024-01-02\n---\nBody.\n",
    "published-date": "---\ntitle: p\npublished: 2024-01-03T10:00:00+08:00\nmodified: 2024-02-03\n---\n",
    "published-false": "---\ntitle: 草稿\ndate: 2024-01-01\npublished: false\n---\nBody.\n",
    "published-true": "---\ntitle: t\ndate: 2024-01-04\npublished: true\n---\nBody.\n",
}


@pytest.mark.tool
def test_hugo_date_and_draft_aliases_read_as_hugo_reads_them(tmp_path):
    hugo = require_tool("hugo")
    listed = _hugo_list(hugo, tmp_path, ALIASES)
    for name, text in ALIASES.items():
        doc = digestkit.loads(text, "hugo", path=f"{name}.md")
        row = listed[name]
        assert row["draft"] == str(bool(doc.meta.draft)).lower(), name
        date = doc.meta.date or doc.meta.publish_date
        stamp = date.isoformat() if isinstance(date, dt.datetime) else f"{date}T00:00:00Z"
        assert (row["date"], row["publishDate"]) == (stamp, stamp), name


def test_hugo_aliases_are_written_back_as_spelled():
    doc = digestkit.loads(ALIASES["published-false"], "hugo")
    assert doc.meta.draft is True and "draft" not in digestkit.dumps(doc, "markdown")
    doc = digestkit.loads(ALIASES["published-date"], "hugo")
    assert str(doc.meta.lastmod) == "2024-02-03"
    changed = dataclasses.replace(doc, meta=dataclasses.replace(doc.meta, draft=True))
    out = digestkit.dumps(changed, "markdown")
    assert "modified: 2024-02-03" in out and "published: 2024-01-03" in out
    draft = digestkit.loads(ALIASES["published-false"], "hugo")
    retitled = dataclasses.replace(draft, meta=dataclasses.replace(draft.meta, title="新"))
    out = digestkit.dumps(retitled, "markdown")  # front matter rebuilt from the fields
    assert "published: false" in out and "draft" not in out
    assert digestkit.loads(out, "hugo").meta.draft is True


@pytest.mark.tool
def test_empty_keys_hugo_accepts_are_not_warned_about(tmp_path):
    # An archetype left half filled (a real draft of the fresh3 corpus has ``date:`` empty):
    # Hugo reads an empty value as unset, so "Hugo would reject it" would be a false alarm.
    text = "---\ntitle: a\ndate:\ntags:\ndraft:\n---\nb\n"
    hugo = require_tool("hugo")
    assert _hugo_list(hugo, tmp_path, {"empty": text})["empty"]["draft"] == "false"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        doc = digestkit.loads(text, "hugo", path="empty.md")
    assert doc.meta.date is None and doc.meta.draft is None
    assert digestkit.dumps(doc, "markdown").startswith(text[:30])  # the keys stay as written
