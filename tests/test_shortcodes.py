"""digestkit.shortcodes: Hugo's tag grammar; comments, tags in code and ``param`` through the
readers and book writers (the real hugo is the oracle)."""

from __future__ import annotations

import html
import re
import subprocess
import warnings
import zipfile

import pytest

import digestkit
from digestkit.ast import Code, CodeBlock, Emphasis, Shortcode, ShortcodeInline, walk
from digestkit.shortcodes import COMMENT_NAME, find_close, parse_tag, tag_at, uncomment
from tests.conftest import require_tool


def test_tags():
    t = parse_tag('{{< figure src="/a b.png" title="x \\"q\\"" class=wide >}}')
    assert t is not None and t.name == "figure" and not t.closing and not t.markdown
    assert t.params == (("src", "/a b.png"), ("title", 'x "q"'), ("class", "wide"))
    t = parse_tag("{{% notice tip `raw >}} text` %}}")
    assert t is not None and t.markdown and t.params == (("", "tip"), ("", "raw >}} text"))
    t = parse_tag("{{< / highlight >}}")
    assert t is not None and t.closing and t.name == "highlight"
    t = parse_tag("{{< katex />}}")
    assert t is not None and t.self_closing
    assert parse_tag("{{</* comment */>}}") is None  # a shortcode comment shows a tag
    assert tag_at("{{< x", 0) is None


def test_find_close_nests():
    src = "{{< a >}} {{< a >}}i{{< /a >}} o{{< /a >}}"
    start = tag_at(src, 0)
    assert start is not None
    found = find_close(src, start.end, "a")
    assert found is not None and src[found[0] :] == "{{< /a >}}"


# -- comments, code, {{< param >}} (cases written here, imitating Hugo documentation pages) ------


_COMMENTS = (
    "Show {{</* figure src=x.png */>}} and {{%/* note */%}}hi{{%/* /note */%}}.\n"
    "\n"
    'Tight {{</*figure src="y.png"*/>}} here, and {{</* a */>}}{{</* b */>}}.\n'
    "\n"
    '{{</* admonition tip "Title" */>}}\n'
    "text\n"
    "{{</* /admonition */>}}\n"
)


def _nodes(doc):
    found = []
    walk(doc, lambda n: found.append(n) or n)
    return found


def _write(doc, fmt, where):
    if fmt == "markdown":
        return digestkit.dumps(doc, fmt)
    return digestkit.dump(doc, where, format=fmt).read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["markdown", "hugo"])
def test_comments_round_trip_byte_for_byte(fmt, tmp_path):
    doc = digestkit.loads(_COMMENTS, "markdown")
    comments = [n for n in _nodes(doc) if isinstance(n, ShortcodeInline)]
    assert [c.name for c in comments] == [COMMENT_NAME] * 8
    assert not any(isinstance(n, (Emphasis, Shortcode)) for n in _nodes(doc))  # ``*`` no emphasis
    out = _write(doc, fmt, tmp_path / "a")
    assert _COMMENTS in out
    assert _write(digestkit.loads(out, fmt), fmt, tmp_path / "b") == out


def test_tags_in_code_stay_code(tmp_path):
    src = (
        "Inline `{{< youtube abc >}}` and `{{%/* note */%}}`.\n\n"
        "```go-html-template\n{{< highlight go >}}\nx\n{{< /highlight >}}\n```\n\n"
        "    {{< indented >}}\n"
    )
    doc = digestkit.loads(src, "markdown")
    assert not any(isinstance(n, (Shortcode, ShortcodeInline)) for n in _nodes(doc))
    codes = [n.text for n in _nodes(doc) if isinstance(n, (Code, CodeBlock))]
    assert codes == ["{{< youtube abc >}}", "{{%/* note */%}}",
                     "{{< highlight go >}}\nx\n{{< /highlight >}}\n", "{{< indented >}}\n"]  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "unknown shortcode" warning: nothing was rendered
        book = digestkit.dump(doc, tmp_path / "a.epub")
    with zipfile.ZipFile(book) as zf:
        body = zf.read("EPUB/chapter-001.xhtml").decode("utf-8")
    assert "<code>{{&lt; youtube abc &gt;}}</code>" in body
    assert "<code>{{% note %}}</code>" in body  # a comment prints as the tag, as Hugo's does
    assert "{{&lt; highlight go &gt;}}\nx\n{{&lt; /highlight &gt;}}" in body
    assert "{{&lt; indented &gt;}}" in body


def test_uncomment_is_what_hugo_prints():
    assert uncomment("a {{</* x y=1 */>}} b {{%/* /z */%}}") == "a {{< x y=1 >}} b {{% /z %}}"
    assert uncomment("{{</* unclosed >}}") == "{{</* unclosed >}}"
    assert uncomment("{{</* a */%}}") == "{{</* a */%}}"  # delimiters must match


_PAGE = """---
title: Params page
author: Ann
color: red
nested:
  deep: 42
tags: [a, b]
---

Show {{</* figure src=x.png */>}} and {{%/* note */%}}hi{{%/* /note */%}}.

Code `{{</* x */>}}` here.

```text
{{</* gist user 123 */>}}
```

By {{< param "author" >}}, {{< param "Color" >}}, {{< param "nested.deep" >}}, {{< param "tags" >}}, {{< param "sitecolor" >}}.
"""


def _text_lines(markup: str) -> list[str]:
    text = html.unescape(re.sub(r"<[^>]+>", "", markup))
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_book_prints_comments_and_params_as_hugo_does(tmp_path):
    """The real hugo builds the page; the weekly EPUB's chapter must read the same."""
    hugo = require_tool("hugo")
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\ntitle = "t"\n[params]\nSiteColor = "green"\n',
        encoding="utf-8",
    )
    for name in ("single.html", "list.html"):
        (site / "layouts" / "_default" / name).write_text("{{ .Content }}", encoding="utf-8")
    (site / "content" / "posts" / "p.md").write_text(_PAGE, encoding="utf-8")
    subprocess.run([hugo, "--quiet", "-d", str(tmp_path / "public")], cwd=site, check=True,
                    capture_output=True, timeout=120)  # fmt: skip
    expected = _text_lines((tmp_path / "public" / "posts" / "p" / "index.html").read_text("utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # every param found: no warning
        book = digestkit.weekly(site / "content", tmp_path / "w.epub", cache=False, progress=False)
    with zipfile.ZipFile(book) as zf:
        body = zf.read("EPUB/chapter-001.xhtml").decode("utf-8").split("<body>", 1)[1]
    got = [line for line in _text_lines(body) if line != "Params page"]
    assert got == expected
    assert "By Ann, red, 42, [a b], green." in got


def test_a_missing_param_warns_and_prints_nothing(tmp_path):
    doc = digestkit.loads('---\ntitle: t\n---\n\nx{{< param "nope" >}}y\n', "markdown")
    with pytest.warns(UserWarning, match="param 'nope': no such page or site parameter"):
        book = digestkit.dump(doc, tmp_path / "a.epub")
    with zipfile.ZipFile(book) as zf:
        assert "<p>xy</p>" in zf.read("EPUB/chapter-001.xhtml").decode("utf-8")


def test_shortcodes_inside_raw_html_never_reach_the_text(tmp_path):
    """Imitates a theme's landing page: shortcodes in a raw HTML block, one in an attribute."""
    src = (
        "---\ntitle: Cover\ngithub_repo: https://example.org/repo\n---\n\n"
        '<div class="cta">\n'
        '  <a {{% _param btn-lg primary %}} href="https://example.org/docs/">\n    Learn more\n  </a>\n'
        '  <a href="{{% param github_repo %}}">\n'
        '    Get the code {{% _param FA brands github "" %}} {{</* x */>}}\n  </a>\n</div>\n'
    )
    doc = digestkit.loads(src, "markdown")
    with pytest.warns(UserWarning, match="'_param' is not known"):
        book = digestkit.dump(doc, tmp_path / "a.epub")
    with zipfile.ZipFile(book) as zf:
        body = zf.read("EPUB/chapter-001.xhtml").decode("utf-8").split("<body>", 1)[1]
    assert '<a href="https://example.org/repo">' in body
    assert "Learn more" in body and "Get the code" in body
    assert [line for line in _text_lines(body) if "{{" in line] == ["Get the code  {{< x >}}"]
