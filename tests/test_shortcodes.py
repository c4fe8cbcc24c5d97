"""digestkit.shortcodes: Hugo's tag grammar."""

from __future__ import annotations

from digestkit.shortcodes import find_close, parse_tag, tag_at


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
