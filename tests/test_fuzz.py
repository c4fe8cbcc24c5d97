"""A fuzz harness (hypothesis) over the front matter splitter, the prose reader and the XHTML
renderer: the only exceptions allowed to escape are digestkit's own documented error types.

The budget is fixed (``max_examples``) so CI runs it every time in bounded time.
"""

from __future__ import annotations

import contextlib
import warnings

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import digestkit
from digestkit import DigestkitError
from digestkit import frontmatter as fm
from digestkit.writers.xhtml import RenderContext, render_blocks, sanitize_html

FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ALPHABET = "-+{}[]:#\n \t\"'*&!|>%@`~=,.;()（）：，。「」中文繁體<>/\\0123456789abcXYZ\ufeff\r"
fuzz_text = st.text(alphabet=ALPHABET, max_size=200)
prefixed = st.builds(
    lambda p, t: p + t, st.sampled_from(["---\n", "+++\n", "{", "", "# ", "## "]), fuzz_text
)


@FUZZ
@given(prefixed)
def test_front_matter_splitter_and_loader(text):
    try:
        s = fm.split(text, path="f.md")
        data = fm.load(s, path="f.md")
        assert isinstance(data, dict)
    except DigestkitError:
        pass


@FUZZ
@given(prefixed)
def test_every_reader_through_loads(text):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for fmt in (None, "markdown", "hugo", "prose", "json"):
            try:
                doc = digestkit.loads(text, fmt)
            except DigestkitError:
                continue
            digestkit.dumps(doc)


@FUZZ
@given(st.text(alphabet=ALPHABET + "的了是在本文作者圖源##", max_size=400))
def test_prose_reader(text):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with contextlib.suppress(DigestkitError):
            digestkit.loads(text, "prose")


@FUZZ
@given(
    st.text(
        alphabet=ALPHABET + "<>=/\"'script onload iframe img src alt href javascript:", max_size=300
    )
)
def test_xhtml_renderer_and_sanitiser(html):
    from xml.etree import ElementTree

    from digestkit.ast import HtmlBlock

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = render_blocks((HtmlBlock(text=html),), RenderContext())
        ElementTree.fromstring(f"<div>{out}</div>")  # always well-formed
        assert "<script" not in out.lower() and "javascript:" not in out.lower()
        sanitize_html(html, RenderContext())


@FUZZ
@given(prefixed)
def test_markdown_to_xhtml(text):
    from xml.etree import ElementTree

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            doc = digestkit.loads(text, "markdown")
        except DigestkitError:
            return
        out = render_blocks(doc.blocks, RenderContext())
        ElementTree.fromstring(f"<div>{out}</div>")
