"""Front matter: every kind of bad input gets a clear error with its position, or is read right."""

from __future__ import annotations

import datetime as dt
import time

import pytest

import digestkit
from digestkit import ParseError


def test_empty_file_is_an_empty_document():
    doc = digestkit.loads("", "markdown")
    assert doc.blocks == () and doc.meta.is_empty()


def test_bom_before_fence(tmp_path):
    p = tmp_path / "bom.md"
    p.write_bytes("\ufeff---\ntitle: 标题\n---\n正文\n".encode())
    doc = digestkit.load(p)
    assert doc.meta.title == "标题"


def test_crlf_line_endings(tmp_path):
    p = tmp_path / "crlf.md"
    p.write_bytes(b"---\r\ntitle: t\r\ndate: 2026-02-26\r\n---\r\n# H\r\n\r\n- a\r\n- b\r\n")
    doc = digestkit.load(p)
    assert doc.meta.date == dt.date(2026, 2, 26)
    assert doc == digestkit.loads("---\ntitle: t\ndate: 2026-02-26\n---\n# H\n\n- a\n- b\n")


def test_unclosed_fence():
    with pytest.raises(ParseError, match="never closed") as exc:
        digestkit.loads("---\ntitle: x\n\nbody\n", "markdown", path="a.md")
    assert (exc.value.path, exc.value.line, exc.value.column) == ("a.md", 1, 1)


def test_broken_yaml_names_line_and_column():
    text = "---\ntitle: ok\ntags: [a, b\ndate: 2026-01-01\n---\nbody\n"
    with pytest.raises(ParseError) as exc:
        digestkit.loads(text, "markdown", path="d.md")
    assert exc.value.path == "d.md"
    assert exc.value.line == 4  # where YAML saw the missing ']'
    assert exc.value.column is not None
    assert str(exc.value).startswith("d.md:4:")


def test_bad_indentation_points_at_its_line():
    text = "---\ntitle: ok\n  bad: indent\n---\n"
    with pytest.raises(ParseError) as exc:
        digestkit.loads(text, "markdown")
    assert exc.value.line == 3


@pytest.mark.parametrize("fm", ["- a\n- b\n", "just a string\n", "42\n"])
def test_front_matter_must_be_a_mapping(fm):
    with pytest.raises(ParseError, match="must be a mapping"):
        digestkit.loads(f"---\n{fm}---\nbody\n", "markdown")


def test_python_tags_are_refused_and_not_executed(tmp_path):
    marker = tmp_path / "pwned"
    fm = f"x: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(ParseError, match="python"):
        digestkit.loads(f"---\n{fm}---\n", "markdown")
    assert not marker.exists()


def test_alias_bomb_is_refused_quickly():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    start = time.perf_counter()
    with pytest.raises(ParseError, match="alias"):
        digestkit.loads("---\n" + "\n".join(lines) + "\n---\n", "markdown")
    assert time.perf_counter() - start < 1.0


def test_small_aliases_are_fine():
    doc = digestkit.loads("---\nbase: &b [x, y]\nother: *b\n---\n", "markdown")
    assert doc.meta.extra["other"] == ["x", "y"]


def test_duplicate_keys_are_errors():
    with pytest.raises(ParseError, match="duplicate key 'title'") as exc:
        digestkit.loads("---\ntitle: a\ntitle: b\n---\n", "markdown")
    assert exc.value.line == 3


def test_non_utf8_is_never_replaced(tmp_path):
    p = tmp_path / "big5.txt"
    p.write_bytes("---\ntitle: 臺灣新聞\n---\n正文\n".encode("big5"))
    with pytest.raises(ParseError, match="not valid UTF-8") as exc:
        digestkit.load(p)
    assert str(p) in str(exc.value) and "big5" in str(exc.value)
    assert digestkit.load(p, encoding="big5").meta.title == "臺灣新聞"


def test_gb18030_auto_detection_warns(tmp_path):
    p = tmp_path / "gb.md"
    p.write_bytes("---\ntitle: 国家新闻\n---\n正文\n".encode("gb18030"))
    with pytest.warns(UserWarning, match="gb18030"):
        doc = digestkit.load(p, encoding="auto")
    assert doc.meta.title == "国家新闻"


def test_yaml_types_are_kept():
    doc = digestkit.loads(
        '---\ndate: 2026-02-26\nanswer: "no"\nbare: no\nversion: "1.10"\nn: 3\n---\n', "markdown"
    )
    assert doc.meta.date == dt.date(2026, 2, 26)
    assert doc.meta.extra == {"answer": "no", "bare": False, "version": "1.10", "n": 3}
    assert list(doc.meta.extra) == ["answer", "bare", "version", "n"]


def test_ill_typed_known_keys_stay_in_extra():
    doc = digestkit.loads("---\ntitle: 2024\ndraft: maybe\n---\n", "markdown")
    assert doc.meta.title is None and doc.meta.draft is None
    assert doc.meta.extra == {"title": 2024, "draft": "maybe"}
    out = digestkit.dumps(doc)
    assert "title: 2024\n" in out and "draft: maybe\n" in out


# --- the libyaml fast path reads what the reference loader reads, or declines -----------------


def _typed(value):
    """``value`` with every type spelled out (``True == 1`` must not hide a bool read as an int)."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    return (type(value).__name__, repr(value))


def _same_or_declined(text: str, reader: str = "yaml") -> bool:
    """True when ``reader`` answered — libyaml's fast path (``"yaml"``) or the plain reader
    (``"plain"``) — and then equal to the reference, types and all; a declined text gives
    ``(False, None)``."""
    import yaml

    from digestkit.frontmatter import _fast_yaml, _SafeLoader
    from digestkit.frontmatter_plain import read_plain

    ok, data = {"yaml": _fast_yaml, "plain": read_plain}[reader](text)
    if not ok:
        assert data is None
        return False
    assert _typed(data) == _typed(yaml.load(text, Loader=_SafeLoader)), text
    return True


YAML_CASES = [
    'title: 标题\ndate: 2026-02-27\ntags: [AI, "AI 日报"]\ndraft: false\nweight: 3\n',
    "date: 2026-02-27T08:00:00+08:00\nlastmod: 2026-02-27 08:00\nratio: 1.10\nv: 1e3\n",
    "a: yes\nb: no\nc: on\nd: ~\ne: null\nf: 0o17\ng: 0x1F\nh: 010\ni: .inf\nj: -.NaN\n",
    "summary: |\n  第一行\n  第二行\nfolded: >\n  a\n  b\nq: 'it''s'\nd: \"\\u4e2d\\t\"\n",
    "base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\nlist:\n  - *b\n  - [1, 2]\n",
    "empty:\nspaces:   \"  x  \"\nkey with spaces: v\n'quoted key': 2\n? complex\n: value\n",
    "",
    "# only a comment\n",
]
YAML_DECLINED = [
    "a: 1\na: 2\n",  # duplicate key: the reference says where
    "x: !!python/object/apply:os.system ['true']\n",
    'title:\t"Hugo allows a TAB here"\n',
    "a: [1, 2\n",
]


@pytest.mark.parametrize("text", YAML_CASES)
def test_fast_yaml_reads_what_the_reference_reads(text):
    assert _same_or_declined(text)


@pytest.mark.parametrize("text", YAML_DECLINED)
def test_fast_yaml_declines_errors_and_leniencies(text):
    from digestkit.frontmatter import _fast_yaml

    assert _fast_yaml(text) == (False, None)


def _seed_and_corpus_front_matters():
    """The YAML front matter (text between the fences) of the seeds and the Markdown corpus."""
    import os
    from pathlib import Path

    from digestkit import frontmatter

    from .conftest import SEEDS

    root = Path(os.environ.get("DIGESTKIT_MD_CORPUS", "/work/corpora/hugo"))
    for path in [*SEEDS, *(sorted(root.rglob("*.md")) if root.is_dir() else [])]:
        text = path.read_text(encoding="utf-8", errors="replace")
        if frontmatter.detect(text) != "yaml":
            continue
        try:
            yield frontmatter.split(text).text
        except ParseError:
            continue


def test_fast_yaml_on_seeds_and_corpus():
    answered = sum(_same_or_declined(text) for text in _seed_and_corpus_front_matters())
    assert answered >= 1  # seed 000 at least


def test_fast_yaml_on_generated_front_matter():
    from hypothesis import given, settings

    from digestkit import frontmatter
    from digestkit.ast import Document, Meta

    from .test_properties import extras

    @given(extras)
    @settings(max_examples=200, deadline=None)
    def check(extra):
        text = digestkit.dumps(Document(meta=Meta(title="t", extra=extra, lang="zh-Hans")))
        assert _same_or_declined(frontmatter.split(text).text)

    check()


# --- plain front matter without PyYAML (frontmatter_plain): PyYAML's answer, or declined ------


PLAIN_CASES = [
    "title: Meta千亿豪赌AMD，OpenAI安全承诺松动（第16期）\ndate: 2026-01-20\ncategory: AI 日报\n"
    'tags: ["AI","AI 日报"]\nsummary: "- 第一条\\n- 第二条 \\u4e2d \\/ \\"q\\""\n',
    "draft: false\npublished: yes\nhidden: Off\nweight: 3\nzero: 0\nnothing: ~\nnone:\nn2: null\n",
    '# a comment\n\nurl: https://example.com/a?b=c#frag\ntitle: C# tips, [draft] {x} it\'s "ok"\n',
    "empty: []\nkebab-key: v\n_under: 12345678901234567890\nspaced:    value with  two  spaces   \n",
    "",
    "# only a comment\n",
]
PLAIN_DECLINED = [
    "a: 1\na: 2\n",  # duplicate key: the reference says where
    "on: x\n",  # a bool key
    "null: x\n",
    "x: 010\n",  # octal in YAML 1.1
    "x: 1_000\n",
    "x: -3\n",
    "x: 1.5\n",
    "x: .inf\n",
    "x: 2026-1-5\n",
    "x: 2026-02-30\n",
    "x: 2026-01-20 10:00\n",
    'x: "\\ud83d\\ude00"\n',  # surrogate escapes: JSON pairs them, PyYAML does not
    'x: "\\x41"\n',  # a YAML escape JSON does not know
    "x: a: b\n",
    "x: a #c\n",
    "x: a:\n",
    "x: |\n  a\n",
    "x: 'q'\n",
    "x:\n  - a\n",
    "x:\n- a\n",
    "x: [1, 2]\n",
    'x: ["a", ["b"]]\n',
    'x: "a" b\n',
    "x: a\x85b\n",
    "x: a\u2028b\n",
    "x: a\x7fb\n",
    "x:\ta\n",
    "x: a\r\n",
    "x: <<\n",
    "x: =\n",
    "x: &a b\n",
    "x: *a\n",
    "x: !!str b\n",
    "x: {a: 1}\n",
    "x: %a\n",
    "x: @a\n",
    "x: `a`\n",
    "x: ? a\n",
    "x: - a\n",
    "  x: a\n",
    "x: a\n  b\n",
    "x : a\n",
    "x:a\n",
    "---\nx: a\n",
    "\ufeffx: a\n",
]


@pytest.mark.parametrize("text", PLAIN_CASES)
def test_plain_reader_reads_what_the_reference_reads(text):
    assert _same_or_declined(text, "plain")


@pytest.mark.parametrize("text", PLAIN_DECLINED)
def test_plain_reader_declines_what_it_cannot_be_sure_of(text):
    from digestkit.frontmatter_plain import read_plain

    assert read_plain(text) == (False, None)


def test_plain_reader_knows_every_first_character_a_resolver_keys_on():
    """A PyYAML release that resolved plain words starting with a new character would make a
    plain string something else: every character PyYAML's resolvers key on is declined as a
    start, or is a letter of the bool and null words the reader resolves itself."""
    import yaml

    from digestkit.frontmatter_plain import _NOT_PLAIN_START

    tags = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"}
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items():
        if first and first not in _NOT_PLAIN_START:
            assert {tag for tag, _ in resolvers} <= tags, first


def test_plain_reader_on_seeds_and_corpus():
    answered = sum(_same_or_declined(text, "plain") for text in _seed_and_corpus_front_matters())
    assert answered >= 1  # seed 000 at least


def test_plain_reader_on_random_line_soup():
    """Lines built from the characters and words that change what YAML reads; every answer
    must be PyYAML's (and enough are answered for the check to mean something)."""
    import random

    rng = random.Random(26)
    keys = ["title", "on", "null", "x", "a-b", "Yes", "_k", "日期", "x y"]
    atoms = ["a", "b", " ", ":", ": ", "#", " #", "-", "'", '"', "[", "]", "{", "}", ",", "&",
             "*", "!", "|", ">", "%", "@", "`", "?", "~", "=", "<<", ".", "0", "1", "9", "_",
             "2026-01-20", "2026-1-2", "yes", "no", "true", "null", "NULL", "inf", ".nan",
             "0x1F", "010", "1e3", "\\", "\\n", "\\u4e2d", "\\x41", "\\ud83d", "中", "\u00a0",
             "\t", "\x85", "\u2028", '"a"', '["a","b"]', "[]", '"'"a\\\"b"'"']  # fmt: skip
    answered = 0
    for _ in range(4000):
        lines = []
        for _ in range(rng.randint(1, 4)):
            kind = rng.random()
            value = "".join(rng.choice(atoms) for _ in range(rng.randint(0, 5)))
            if kind < 0.85:
                lines.append(f"{rng.choice(keys)}:{rng.choice([' ', '  ', ''])}{value}")
            elif kind < 0.95:
                lines.append(rng.choice(["", "# c", "  - a", "- a", "   "]))
            else:
                lines.append(value)
        text = "\n".join(lines) + rng.choice(["\n", ""])
        try:
            answered += _same_or_declined(text, "plain")
        except AssertionError:
            raise
        except Exception:  # the reference refuses it: the plain reader must have declined
            from digestkit.frontmatter_plain import read_plain

            assert read_plain(text) == (False, None), text
    assert answered >= 200  # 236 with this seed


def test_plain_front_matter_is_read_without_importing_yaml():
    """A digest with plain front matter is parsed in a fresh interpreter without PyYAML (~20 ms
    of a re-run); one with a block list imports it (the check can fail both ways)."""
    import subprocess
    import sys

    code = ("import sys, digestkit; doc = digestkit.loads(sys.stdin.read(), 'markdown'); "
            "print(doc.meta.title, 'yaml' in sys.modules)")  # fmt: skip
    plain = '---\ntitle: 第1期\ndate: 2026-01-20\ntags: ["AI"]\n---\n正文。\n'
    block = "---\ntitle: 第1期\ntags:\n  - AI\n---\n正文。\n"
    for text, imported in ((plain, "False"), (block, "True")):
        out = subprocess.run([sys.executable, "-c", code], input=text, capture_output=True,
                             text=True, check=True, timeout=120).stdout.split()  # fmt: skip
        assert out == ["第1期", imported]


def test_plain_quoted_values_read_without_json_as_json_reads_them():
    """A double-quoted value or flow sequence with only one-character escapes is decoded
    without importing ``json`` (issue 26); the answer is ``json.loads``' on random strings."""
    import json
    import random

    from digestkit import frontmatter_plain as fp

    def by_json(raw: str) -> tuple[bool, object]:
        if fp._SURROGATE_ESCAPE.search(raw):
            return False, None
        try:
            value = json.loads(raw)
        except ValueError:
            return False, None
        if isinstance(value, str) or (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            return True, value
        return False, None

    rng = random.Random(26)
    alphabet = ['"', "[", "]", ",", "\\", "\\n", '\\"', "\\\\", "\\/", "\\t", "\\u4e2d", "\\x",
                "\\b", " ", "\t", "\n", "a", "中", "1", "\x01", "{", ":", "d8"]  # fmt: skip
    for _ in range(100_000):
        body = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 10)))
        raw = rng.choice(['"', "[", '["', "", '[ "']) + body + rng.choice(['"', "]", '"]', ""])
        assert fp._json_value(raw) == by_json(raw), raw
