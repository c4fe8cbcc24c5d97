"""A fuzz harness (hypothesis) over the front matter splitter, the prose reader and the XHTML
renderer: the only exceptions allowed to escape are digestkit's own documented error types.

The budget is fixed (``max_examples``) so CI runs it every time in bounded time.
"""

from __future__ import annotations

import contextlib
import warnings

import pytest
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


# --- the prose reader on bad input (issue 13): a document, nothing lost, no foreign exception ---

_WS_AND_MARKERS = str.maketrans("", "", " \t\r\n#")


def _prose_blob(doc) -> str:
    from digestkit.ast import Article, plain_text

    m = doc.meta
    parts = [m.title or "", m.source or "", m.author or "", *m.tags, *map(str, m.extra.values())]
    for b in doc.blocks:
        if isinstance(b, Article):
            a = b.meta
            parts += [a.title or "", a.column or "", a.source or "", a.author or "", *a.tags]
        parts.append(plain_text(b))
    return "".join(parts)


def _assert_nothing_lost(text: str) -> None:
    from collections import Counter

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            doc = digestkit.loads(text, "prose")
        except DigestkitError:
            return
    consumed = set(
        "|｜【】()（）\ufeff"
    )  # markers the reader consumes; a BOM is encoding, not text
    # a NUL is read as U+FFFD, as CommonMark reads it (issue 25): replaced, not lost
    want = Counter(
        "\ufffd" if c == "\x00" else c
        for c in text
        if not c.isspace() and c != "#" and c not in consumed
    )
    got = Counter(c for c in _prose_blob(doc) if not c.isspace())
    assert not (want - got), want - got


_RUNON = st.lists(
    st.sampled_from(["這是一句話。", "## ", "第一，", "1)", "（二）", "影響：", "建議：", "OpenAI",
                     "1100億美元", "，", "Hello world. ", "😀", "★", "¥", "—", "\u3000", "是什麼：",
                     "核心特性", "「引語」", "(Reuters)", "#標籤", "|", "2026-02-28"]),
    max_size=80,
).map("".join)  # fmt: skip


@FUZZ
@given(_RUNON, st.booleans())
def test_prose_runon_keeps_every_character(body, titled):
    _assert_nothing_lost(("標題 | 欄目\n" if titled else "") + body)


@FUZZ
@given(st.text(max_size=300))
def test_prose_any_unicode_keeps_every_character(text):
    _assert_nothing_lost(text)


def _big_line() -> str:
    return ("沒有任何標點符號的一段很長的文字" * 40_000)[: 10 * 1024 * 1024 // 3]


@pytest.mark.parametrize(
    "text",
    [
        "沒有任何標點符號的文字只是一直寫下去而且沒有停下來的意思" * 20,
        "## ## ## ## ##",
        "## \n## \n##",
        "English only prose. It has sentences! Does it work? Yes, it does.\nAnother line here.",
        "混合 scripts 和 English words，還有 日本語のテキスト。한국어 문장도 있습니다。",
        "😀😀😀 ★★★ ♥♥ ¥100 — ™ © ® ☃ 🎉🎉。" * 30,
        "\u200b\u200d\ufeff零寬字符\u00a0不換行空格。" * 10,
    ],
    ids=[
        "no-punctuation",
        "only-markers",
        "marker-lines",
        "english",
        "mixed",
        "emoji",
        "invisible",
    ],
)
def test_prose_bad_input(text):
    _assert_nothing_lost(text)


def test_prose_one_10mb_line():
    line = _big_line()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        doc = digestkit.loads(line, "prose")
    assert len(_prose_blob(doc).translate(_WS_AND_MARKERS)) == len(line)
