"""Word boundaries (:mod:`digestkit.readers.prose.words`, moved from the removed linear model)
against the straightforward definition they replace: the decoder's ``word`` rule and the
network's input both read them."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digestkit.readers.prose import words as bm

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of run-on digests (imitating the corpus, written here): numbers with units and decimals,
# Latin words, labels with colons, list markers, cue words, brackets, every sentence end.
_PIECES = st.sampled_from(
    ["OpenAI", "宣佈", "1100億", "3.14", "1,000", "8400", "%", "美元", "融資", "，", "。", "！", "？",
     "；", "：", ":", "影響：", "建議：", "是什麼：", "為什麼重要：", "1)", "2.", "（二）", "第三，",
     "四、", "①", "值得注意的是", "此外", "當", "除了", "他", "但", "據", "(Reuters)", "）", "」",
     "「", "“", "”", " ", "AI", "GPT-4o", "v2.0", "https://x.y", "…", "!", "?", "a:b", "第一",
     "策略性AI晶片成為政策辯論的核心", "我們今天要介紹一個新的開源專案", "這是", "在", "表示",
     "１２", "٣", "x", "Z9", "千", "倍", "萬"]
)  # fmt: skip
_TEXT = st.lists(_PIECES, min_size=1, max_size=80).map("".join)


def _word_bounds_reference(text: str) -> bytearray:
    """``word_bounds`` as first written: one zero-width regex match per position."""
    import rjieba

    n = len(text)
    out = bytearray(n + 1)
    out[0] = out[n] = 1
    simp: str = bm._t2s().convert(text)  # type: ignore[attr-defined]
    if len(simp) != n:
        simp = text
    pos = 0
    for w in rjieba.cut(simp, False):
        pos += len(w)
        if pos <= n:
            out[pos] = 1
    pattern = r"(?<=[0-9A-Za-z])(?=[0-9A-Za-z])|(?<=\d)(?=[.,]\d)|(?<=\d[.,])(?=\d)"
    for m in re.finditer(pattern, text):
        out[m.start()] = 0
    for m in re.finditer(r"(?<=\d)[億亿萬万千百%％倍]", text):
        out[m.start()] = 0
    # a Latin name written twice ("UserInputAudioUserInputAudio"): a cut at its first repeat
    for m in re.finditer(r"[A-Za-z][A-Za-z0-9_]{5,}", text):
        run = m.group()
        for k in range(3, len(run) // 2 + 1):
            if run[:k] == run[k : 2 * k]:
                out[m.start() + k] = 1
                break
    return out


@SETTINGS
@given(_TEXT)
def test_word_bounds_equal_the_regex_definition(text):
    assert bm.word_bounds(text) == _word_bounds_reference(text)


def test_word_bounds_equal_the_regex_definition_on_the_seeds():
    """Whole digests: long words, runs of Latin, every word length the masks are made for."""
    lines = [line for p in sorted(FIXTURES.glob("[0-9][0-9][0-9]_*.txt"))
             for line in p.read_text(encoding="utf-8").split("\n") if line]  # fmt: skip
    assert lines
    for line in lines:
        assert bm.word_bounds(line) == _word_bounds_reference(line)


def test_a_doubled_latin_name_is_two_words_and_nothing_else_is_cut():
    wb = bm.word_bounds("UserInputAudioUserInputAudio 用於 OpenAI")
    assert wb[14] == 1 and not any(wb[1:14]) and not any(wb[15:28])
    assert not any(bm.word_bounds("OpenAIGPT4o")[1:11])
