"""Character classes, sentence splitting and the cue words the prose reader weighs.

Sentence grammar (Chinese-aware)::

    sentence   = body terminator closers?
    terminator = "。" | "！" | "？" | "…"+ | "!" | "?"   (half-width only after or before non-ASCII)
    closers    = ( "”" | "」" | "』" | "）" | ")" | "’" )*

Cue words are the small, hand-checked lists that decide ties; each has a comment saying why.
Both scripts are listed (Traditional first) because run-on prose arrives in either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...cjk import HAN, is_han

__all__ = ["HAN", "Sentence", "is_han", "sentences"]

_TERMINATOR = re.compile(
    r"(?:[。！？]|…+|(?<=[^\x00-\x7f])[!?]|[!?](?=[^\x00-\x7f]|$))[”」』）)’]*"
)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence as a span of the text it came from (``text[start:end]``)."""

    start: int
    end: int


def sentences(
    text: str, start: int = 0, end: int | None = None, *, limit: int | None = None
) -> list[Sentence]:
    """Split ``text[start:end]`` after each terminator (with its closing quotes/brackets);
    with ``limit``, stop after that many (the first ``limit`` sentences: enough to tell whether
    a long line holds several, without splitting all of it)."""
    end = len(text) if end is None else end
    out = []
    pos = start
    for m in _TERMINATOR.finditer(text, start, end):
        if m.end() > pos:
            out.append(Sentence(pos, m.end()))
            pos = m.end()
            if limit is not None and len(out) >= limit:
                return out
    if pos < end and text[pos:end].strip():
        out.append(Sentence(pos, end))
    return out


# Words that open a new paragraph in news prose (topic shift, enumeration, summing up).
PARAGRAPH_CUES = (
    "值得注意的是", "值得一提的是", "此外", "另外", "與此同時", "与此同时", "事實上", "事实上",
    "總之", "总之", "綜上所述", "综上所述", "總的來說", "总的来说", "據悉", "据悉", "對此", "对此",
    "第一", "第二", "第三", "第四", "其一", "其二", "其三", "首先", "其次", "最後", "最后",
    "這一", "这一", "這場", "这场", "實際的", "实际的", "目前", "今年", "去年", "記者", "记者",
    "例如", "不過", "不过", "據", "据", "隨著", "随着", "面對", "面对", "如果說", "如果说",
)  # fmt: skip
# Words that continue the previous sentence's thought (pronouns, conjunctions).
CONTINUATION_CUES = (
    "他", "她", "它", "他們", "他们", "但", "而", "並", "并", "也", "還", "还", "因此", "所以",
    "這輪", "这轮", "這與", "这与", "這個", "这个", "這種", "这种", "這項", "这项", "然而", "同時",
    "同时", "其中", "甚至", "然後", "然后", "後者", "后者", "前者", "僅", "仅",
)  # fmt: skip
# Words that can start the sentence right after a glued heading.
SENTENCE_START_CUES = (
    "當", "当", "除了", "目前", "隨著", "随着", "據", "据", "根據", "根据", "如果", "雖然", "虽然",
    "今年", "去年", "近日", "日前", "面對", "面对", "在", "自", "從", "从", "為了", "为了", "由於",
    "由于", "作為", "作为", "對於", "对于", "記者", "记者", "本週", "本周", "近年", "過去", "过去",
    "這是", "这是", "這項", "这项", "該", "该", "由", "曾", "此前",
)  # fmt: skip
# Things a heading (a noun phrase) does not contain: aspect markers and common verbs of statement.
NOT_IN_HEADING = re.compile(r"[了著着過过]|[是將将被把已會会能要說说]|表示|認為|认为|指出")
TRAILING_SOURCE = re.compile(r"[(（]([^()（）\n]{2,16})[)）]\s*$")
CAPTION = re.compile(
    r"[(（](?:圖源|图源|圖片來源|图片来源|圖片|图片|圖|图|攝影|摄影|資料圖|资料图|來源|来源)"
    r"\s*[:：]?[^()（）]{1,80}[)）]"
)
AUTHOR = re.compile(r"本文作者\s*([^:：,，。\s()（）]{2,12})")
HASHTAGS = re.compile(r"^(?:#[^\s#]+\s*)+$")
BLURB = re.compile(r"订阅|訂閱|subscribe|关注我们|關注我們", re.IGNORECASE)
URL = re.compile(r"https?://\S+")
