"""Raw HTML the XHTML writer keeps is valid where it lands (issue 25, point 7).

Markdown posts write ``![](x.jpg)`` and then ``<figcaption>…</figcaption>`` as its caption: a
``figcaption`` outside a ``figure``, which epubcheck refuses (RSC-005; seven in one weekly book).
Every context-bound element is checked the same way, as a chapter of one book that the real
epubcheck must pass with no message: displaced elements become a ``div`` or ``span`` of their
name (a figcaption one of class ``caption``), stray children of lists are wrapped, a ``dd``
gets its ``dt``, a late table caption moves first, a ``details`` without a leading ``summary``
becomes a ``div``; lone table parts, options, legends, sources and tracks are unwrapped by the
HTML parser (their text stays).
"""

from __future__ import annotations

import re
import warnings
import zipfile

import pytest

import digestkit
from digestkit.ast import Article, ArticleMeta, Document, Meta
from digestkit.writers.xhtml import RenderContext, sanitize_html
from tests.conftest import epubcheck

IMG = "https://example.org/x.jpg"
SHAPES = {
    "figcaption-after-image": f"![]({IMG})\n\n<figcaption>圖一：說明</figcaption>\n",
    "li": "<li>項目</li>\n",
    "li-in-p": "<p>文<li>項</li></p>\n",
    "td": "<td>格</td>\n",
    "th": "<th>頭</th>\n",
    "tr": "<tr><td>格</td></tr>\n",
    "thead": "<thead><tr><th>頭</th></tr></thead>\n",
    "tbody": "<tbody><tr><td>格</td></tr></tbody>\n",
    "tfoot": "<tfoot><tr><td>腳</td></tr></tfoot>\n",
    "caption": "<caption>表題</caption>\n",
    "caption-after-rows": "<table><tr><td>x</td></tr><caption>題</caption></table>\n",
    "col": "<col>\n",
    "colgroup": "<colgroup><col></colgroup>\n",
    "table-split-by-a-blank-line": "<table>\n<tr><td>一</td></tr>\n\n<tr><td>二</td></tr>\n</table>\n",
    "dt": "<dt>詞</dt>\n",
    "dd": "<dd>釋</dd>\n",
    "dt-dd": "<dt>詞</dt><dd>釋</dd>\n",
    "dl-with-p": "<dl><p>段</p></dl>\n",
    "dl-dd-first": "<dl><dd>釋</dd></dl>\n",
    "dl-dt-last": "<dl><dt>詞</dt><dd>釋</dd><dt>詞二</dt></dl>\n",
    "ul-with-p": "<ul><p>段</p><li>項</li></ul>\n",
    "ul-with-text": "<ul>文字</ul>\n",
    "source": '<source src="a.mp4">\n',
    "track": '<track src="a.vtt">\n',
    "option": "<option>選</option>\n",
    "legend": "<legend>說明</legend>\n",
    "summary": "<summary>摘要</summary>\n",
    "details-without-summary": "<details><p>內</p></details>\n",
    "details-summary-late": "<details><p>內</p><summary>摘</summary></details>\n",
    "figure-two-captions": f'<figure><figcaption>一</figcaption><img src="{IMG}"><figcaption>二</figcaption></figure>\n',
    "figure-caption-between": f'<figure><img src="{IMG}"><figcaption>中</figcaption><p>後</p></figure>\n',
    "rt": "<rt>めい</rt>\n",
    "rp": "<rp>(</rp>\n",
    "rt-in-a-paragraph": "文字 <rt>注</rt> 文字\n",
    "ruby-whole": "<ruby>明<rp>(</rp><rt>めい</rt><rp>)</rp></ruby>\n",
}


def test_every_shape_passes_epubcheck(tmp_path):
    arts = tuple(
        Article(meta=ArticleMeta(title=name),
                blocks=digestkit.loads(f"前文。\n\n{text}\n後文。\n", "markdown").blocks)
        for name, text in SHAPES.items()
    )  # fmt: skip
    doc = Document(meta=Meta(title="raw HTML", lang="zh-Hant"), blocks=arts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = digestkit.dump(doc, tmp_path / "shapes.epub")
    with zipfile.ZipFile(book) as zf:
        chapters = {n.rsplit("/", 1)[-1]: zf.read(n).decode("utf-8") for n in zf.namelist()
                    if re.search(r"chapter-\d+\.xhtml$", n)}  # fmt: skip
    assert len(chapters) == len(SHAPES)
    text = "".join(chapters.values())
    for word in ("圖一：說明", "項目", "格", "頭", "表題", "詞", "釋", "摘要", "めい", "說明"):
        assert word in text, word  # converted or unwrapped, never dropped
    title = {n: re.search(r"<h1[^>]*>(.*?)</h1>", t).group(1) for n, t in chapters.items()}
    messages = epubcheck(book)
    failing = sorted(
        {title[m.group(1)] for x in messages if (m := re.search(r"(chapter-\d+\.xhtml)", x))}
    )
    assert messages == [], (failing, messages[:5])


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<figcaption>圖</figcaption>", '<div class="caption">圖</div>'),
        ("<p>文 <rt>注</rt></p>", '<p>文 <span class="rt">注</span></p>'),
        ("<ul><p>段</p><li>項</li></ul>", "<ul><li><p>段</p></li><li>項</li></ul>"),
        ("<dl><dd>釋</dd></dl>", "<dl><dt></dt><dd>釋</dd></dl>"),
        ("<dl><dt>詞</dt></dl>", "<dl><dt>詞</dt><dd></dd></dl>"),
        ("<details><p>內</p></details>", '<div class="details"><p>內</p></div>'),
        (
            "<details><summary>摘</summary><p>內</p></details>",
            "<details><summary>摘</summary><p>內</p></details>",
        ),
        (
            "<table><tr><td>x</td></tr><caption>題</caption></table>",
            "<table><caption>題</caption><tbody><tr><td>x</td></tr></tbody></table>",
        ),
        (
            '<figure><p>圖</p><figcaption class="c">中</figcaption><p>後</p></figure>',
            '<figure><p>圖</p><div class="caption">中</div><p>後</p></figure>',
        ),
        (
            "<figure><p>圖</p><figcaption>末</figcaption></figure>",
            "<figure><p>圖</p><figcaption>末</figcaption></figure>",
        ),
        ("<ruby>明<rt>めい</rt></ruby>", "<ruby>明<rt>めい</rt></ruby>"),
    ],
)
def test_each_shape_lands_where_it_may(html, expected):
    assert sanitize_html(html, RenderContext()) == expected
