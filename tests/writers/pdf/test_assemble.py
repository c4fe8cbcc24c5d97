"""The PDF's chapter HTML: ids made unique across the book (by the chapter's tag), in tags only."""

from __future__ import annotations

from digestkit.writers.pdf.assemble import chapter_html
from digestkit.writers.pdf.constants import GOTO


def test_ids_and_links_are_prefixed_in_tags_and_text_is_left_alone():
    # the text imitates a Hugo theme's documentation: a code block showing a shortcode with id=
    body = (
        '<h2 id="music">Music</h2>\n'
        '<pre><code>{{% music id="28196554" %}}\nhref="#music"</code></pre>\n'
        '<p><a href="#music">up</a> <a href="chapter-002.xhtml#x">there</a>'
        ' <a class="k" href="https://example.org/">out</a></p>'
    )
    out = chapter_html("c3", body)
    assert '<h2 id="c3-music">' in out
    assert '{{% music id="28196554" %}}\nhref="#music"' in out  # text: unchanged
    assert f'<a href="{GOTO}c3-music">up</a>' in out
    assert f'<a href="{GOTO}n2-x">there</a>' in out  # chapter 2's x: resolved at the join
    assert '<a class="k" href="https://example.org/">out</a>' in out
