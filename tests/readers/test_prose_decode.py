"""The run-on decoder and its constraints, against a stand-in for the network.

The decoder must be right whatever the network says, so these tests feed it emissions made up
here (random ones, and a punctuation stand-in) and check its guarantees: a heading is one span,
no block starts where a rule forbids it, a ``## `` offset is a heading start, and the search is
the exact optimum (brute force over every segmentation of tiny texts).
"""

from __future__ import annotations

import dataclasses
import itertools
import random

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digestkit.readers.prose.constraints import CLOSERS, forbidden, no_punctuation_before
from digestkit.readers.prose.decode import BH, BP, Params, brute_force, decode

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def standin(text: str, marked: list[int] = ()) -> np.ndarray:
    """Emissions from punctuation alone: a paragraph likely after 。！？, a heading at a marker."""
    n = len(text)
    x = np.full((n, 4), -6.0)
    x[:, 1], x[:, 3] = 0.0, -2.0
    for k in range(1, n):
        if text[k - 1] in "。！？":
            x[k, BP], x[k, BH] = 0.5, -1.0
        elif text[k - 1] == "，":
            x[k, BP] = -3.0
        else:
            x[k, BP], x[k, BH] = -1.0, -1.5  # a cut here is what the price must stop
    for k in marked:
        x[k, BH] = 3.0
    return (x - np.log(np.exp(x).sum(1, keepdims=True))).astype(np.float32)


def random_emissions(rng: random.Random, n: int) -> np.ndarray:
    x = np.array([[rng.gauss(0, 2) for _ in range(4)] for _ in range(n)])
    return x - np.log(np.exp(x).sum(1, keepdims=True))


_ALPHABET = "甲乙丙丁。，！A1年「」“”"


def _random_params(rng: random.Random, n: int) -> Params:
    return Params(no_punct=rng.uniform(0, 3), closer=rng.uniform(0, 3), end=rng.uniform(0, 3), bare_end=rng.uniform(0, 3), par=rng.uniform(-1, 1), head=rng.uniform(-1, 1),
                  head_head=rng.uniform(-2, 1), head_char=rng.uniform(0, 0.5), kind=rng.choice((1.0, 0.5, 0.0)),
                  unmarked=rng.uniform(0, 2), prune=-1e9, cap=rng.randint(1, 5),
                  marked_cap=n)  # fmt: skip


def _spans(blocks):
    return [(b.start, b.end, b.heading) for b in blocks]


def test_viterbi_is_exact_against_brute_force_on_tiny_random_lattices():
    rng = random.Random(24)
    checked = 0
    for _ in range(400):
        n = rng.randint(1, 8)
        text = "".join(rng.choice(_ALPHABET) for _ in range(n))
        e = random_emissions(rng, n)
        marked = [k for k in range(n) if rng.random() < 0.15]
        p = _random_params(rng, n)
        best, want = brute_force(text, e, marked, p)
        got = decode(text, e, marked, p).blocks
        assert _spans(got) == _spans(want), (text, marked, p)
        checked += best > -np.inf
    assert checked > 300  # feasible lattices: the comparison said something


def test_pruning_keeps_the_optimum_when_no_start_is_hopeless():
    """With every start above the prune threshold, pruning drops nothing: the same blocks."""
    rng = random.Random(7)
    for _ in range(100):
        n = rng.randint(2, 8)
        text = "".join(rng.choice(_ALPHABET) for _ in range(n))
        e = random_emissions(rng, n)
        p = dataclasses.replace(_random_params(rng, n), prune=-1e9)
        floor = float(min(e[:, BP].min(), e[:, BH].min())) - p.no_punct - 3
        q = dataclasses.replace(p, prune=floor)
        assert _spans(decode(text, e, [], q).blocks) == _spans(decode(text, e, [], p).blocks)


def test_a_marked_heading_longer_than_its_cap_ends_at_the_next_allowed_start():
    text = "甲" * 10 + "。乙"
    e = standin(text, [0])
    blocks = decode(text, e, [0], Params(marked_cap=2, prune=-1e9)).blocks
    assert blocks[0].start == 0 and blocks[0].heading
    assert blocks[-1].end == len(text)


_PIECES = st.sampled_from(
    ["OpenAI", "宣佈", "1100億", "3.14", "1,000", "美元", "融資", "，", "。", "！", "？", "；", "：",
     "影響：", "1)", "（二）", "第三，", "(Reuters)", "）", "」", "「", "“", "”", " ", "AI",
     "GPT-4o", "…", "策略性AI晶片成為政策辯論的核心", "我們今天要介紹一個新的開源專案", "在",
     "表示", "2024年", "30%", "騰訊總裁劉熾平在財報電話會上表示", "“創世計畫”的構想源於"]
)  # fmt: skip


@SETTINGS
@given(st.lists(_PIECES, min_size=1, max_size=40).map("".join), st.data())
def test_decoder_invariants(text, data):
    n = len(text)
    marked = sorted(set(data.draw(st.lists(st.integers(0, n - 1), max_size=4))))
    p = Params(no_punct=data.draw(st.floats(0, 6)), par=data.draw(st.floats(-2, 2)),
               head=data.draw(st.floats(-2, 2)))  # fmt: skip
    dec = decode(text, standin(text, marked), marked, p, explain=True)
    blocks = dec.blocks
    # the blocks cover the text in order, each non-empty: a heading is one span (one start, one end)
    assert blocks[0].start == 0 and blocks[-1].end == n
    assert all(a.end == b.start for a, b in itertools.pairwise(blocks))
    assert all(b.start < b.end for b in blocks)
    # no block starts where a rule forbids it, unless a marker put a heading there
    rules = forbidden(text)
    for b in blocks[1:]:
        assert b.start in marked or not rules.code[b.start], (text, b, rules.rule(b.start))
    # every `## ` offset is a heading start
    starts = {b.start: b.heading for b in blocks}
    assert all(starts.get(k) is True for k in marked)
    # unmarked headings are capped
    assert all(b.end - b.start <= p.cap for b in blocks if b.heading and b.start not in marked)
    # --explain: one reason per block start
    assert [x.pos for x in dec.boundaries] == [b.start for b in blocks]


def test_rules_name_what_they_forbid():
    t = "OpenAI宣佈1100億美元融資，估值約3.14倍（據Reuters報導，2024年）他說“好。”然後走了。"
    rules = forbidden(t)
    assert rules.rule(t.index("AI")) == "latin"  # Open|AI
    assert rules.rule(t.index("億")) == "number"  # 1100|億
    assert rules.rule(t.index(".14") + 1) == "number"  # 3.|14
    assert rules.rule(t.index("14")) == "number"
    assert rules.rule(t.index("Reuters")) == "bracket"  # inside a pair closed in the sentence
    assert rules.rule(t.index("報導")) == "bracket"
    assert rules.rule(t.index("（")) in (None, "word")  # a block may start at the bracket
    assert rules.rule(t.index("好")) == "bracket"
    assert rules.rule(t.index("然後")) is None  # after the closed quotation
    assert rules.rule(t.index("，")) == "punct"  # no block starts with a comma
    assert rules.rule(t.index("估值")) is None


def test_an_unclosed_bracket_constrains_nothing_past_its_sentence():
    t = "他說（未完。下一句開始了。"
    rules = forbidden(t)
    assert rules.rule(t.index("下一句")) is None


def test_no_punctuation_before_marks_every_start_a_reader_would_see_as_a_torn_sentence():
    t = "甲乙。 丙丁：戊」己庚“好。”辛(壬)癸"
    npb = no_punctuation_before(t)
    for k in range(1, len(t)):
        prev = t[:k].rstrip()[-1]
        assert (npb[k] == 1) == (prev not in CLOSERS), (k, t[k])


def test_the_no_punctuation_price_stops_unpunctuated_cuts():
    text = "騰訊總裁劉熾平在財報電話會上表示這是一個新的開始。在AI這方面新夸克基於阿里通義的模型。"
    e = standin(text)
    cheap = decode(text, e, [], Params(no_punct=0.0, par=1.5))
    dear = decode(text, e, [], Params(no_punct=6.0, par=1.5))
    npb = no_punctuation_before(text)
    assert any(npb[b.start] == 1 for b in cheap.blocks[1:])  # the stand-in alone would tear
    assert not any(npb[b.start] == 1 for b in dear.blocks[1:])
    assert [b.start for b in dear.blocks] == [0, text.index("在AI")]


def test_a_closing_bracket_inside_a_sentence_is_told_from_a_sentence_end():
    t = "從PCG(平台與內容事業群)調整至CSIG。“好。”然後"
    npb = no_punctuation_before(t)
    assert npb[t.index("調整")] == 2  # after ) with no sentence end inside: a cut here tears
    assert npb[t.index("然後")] == 0  # after 。” : a sentence ended
    assert npb[t.index("平台")] == 1
