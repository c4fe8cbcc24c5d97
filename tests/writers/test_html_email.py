"""Inlining the e-mail styles: the ``lang`` in force follows the open elements, sectioning
elements become balanced ``div``s, and nothing but attributes changes."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from digestkit.writers.book import FONTS
from digestkit.writers.html_email import inline_styles

BODY = (
    '<section class="chapter" lang="zh-Hant-TW"><h1 id="c1-t">標題</h1>'
    '<p class="byline">作者 &amp; 來源 &lt;b&gt;</p>'
    '<section class="article" lang="en"><h2>Title</h2><p>Text<br/>more</p></section>'
    "<h3>回到繁體</h3></section><h2>简体</h2><p>正文</p>"
)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.seen, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.seen.append((tag, dict(attrs)))
        if tag != "br":
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.seen.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        assert self.stack.pop() == tag  # balanced after renaming

    def handle_data(self, data):
        self.text.append(data)


def _parse(html):
    p = _Tags()
    p.feed(html)
    p.close()
    assert p.stack == []
    return p


def test_fonts_follow_the_lang_in_force():
    out = _parse(inline_styles(BODY, "zh-Hans"))
    styles = {(t, a.get("class")): a.get("style", "") for t, a in out.seen}
    sans = {k: f.stack("sans").replace('"', "'") for k, f in FONTS.items()}
    serif = {k: f.stack("serif").replace('"', "'") for k, f in FONTS.items()}
    h = [a["style"] for t, a in out.seen if t in ("h1", "h2", "h3")]
    assert h[0].startswith(f"font-family:{sans['zh-Hant']};")  # 標題, inside zh-Hant-TW
    assert h[1].startswith(f"font-family:{sans['zh-Hans']};")  # Title (en: the SC stack, as EPUB)
    assert h[2].startswith(f"font-family:{sans['zh-Hant']};")  # back in the Traditional chapter
    assert h[3].startswith(f"font-family:{sans['zh-Hans']};")  # after it: the message's lang
    assert styles[("div", "chapter")].startswith(f"font-family:{serif['zh-Hant']};")
    assert "color:#5f6368" in styles[("p", "byline")]


def test_only_attributes_change():
    out = inline_styles(BODY, "zh-Hans")
    assert _parse(out).text == _parse(BODY).text  # same text, entities and all
    assert "<section" not in out and out.count("<div") == 2 and out.count("</div>") == 2
    assert re.sub(r' style="[^"]*"', "", out).replace("div", "section") == BODY
