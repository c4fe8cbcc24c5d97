"""The boundary model's fast paths against the straightforward definitions they replace.

Issue 13 asks for ≥ 1 MB/s; the speed-ups must not change one decision. Each shortcut in
``readers/prose/boundary.py`` is checked here against its plain definition on generated text
(hypothesis, text built from the pieces run-on digests are made of) and on the seeds:

- ``word_bounds``: ASCII-run slices and one-character patterns instead of zero-width regexes;
- ``_label_matches``: labels found back from each colon instead of ``_LABEL.finditer``;
- ``_labels_ahead``: where ``_LABEL_AHEAD`` matches, found back from each colon;
- ``_common``: cue and list-marker patterns tried only where their first character stands,
  ``echo`` by ``str.find``;
- ``candidates(model=…)``: the pruned groups equal "describe every candidate, rank each group by
  its cheap score with a stable sort, keep the best ``keep``" (the training path, no model);
- ``_close_headings``: equal to rebuilding the boundary dict once per ``## `` heading;
- ``_glue``: letter pairs taken a run at a time, equal to a regex match at every one.

The whole corpus (every split, marked and bare) and the seeds are compared old code against new by
``python -m benchmarks.prose_equivalence REF`` (docs/prose.md, "Speed").
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digestkit.readers.prose import boundary as bm

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


@SETTINGS
@given(_TEXT)
def test_han_as_h_equals_a_substitution_per_character(text):
    sh = bm.shown(text)
    assert bm._han_as_h(sh) == bm._HAN_SUB.sub("H", sh)
    assert bm.classes(text) == bm._HAN_SUB.sub("H", text.translate(bm._CLS_TABLE))


def test_word_bounds_equal_the_regex_definition_on_the_seeds():
    """Whole digests: long words, runs of Latin, every word length the masks are made for."""
    lines = [line for p in sorted(FIXTURES.glob("[0-9][0-9][0-9]_*.txt"))
             for line in p.read_text(encoding="utf-8").split("\n") if line]  # fmt: skip
    assert lines
    for line in lines:
        assert bm.word_bounds(line) == _word_bounds_reference(line)


@SETTINGS
@given(_TEXT)
def test_label_matches_equal_finditer(text):
    assert bm._label_matches(text) == [(m.start(), m.group(1)) for m in bm._LABEL.finditer(text)]


def _common_reference(text, sh, cl, wb, k, labels, next_stop):
    """The cue, list-marker and echo features as first written (every pattern at every k)."""
    f = []
    two = text[k : k + 2]
    if len(two) == 2 and two in text[max(0, k - 40) : k]:
        f.append("echo")
    if labels and (m := bm._LABEL.match(text, k)) and m.group(1) in labels:
        f.append("label")
    if bm._LIST_MARK.match(text, k):
        f.append("listmark")
    if m := bm._SCUE.match(text, k):
        f.append("scue=" + m.group())
    if m := bm._PCUE.match(text, k):
        f.append("pcue=" + m.group())
    if bm._CCUE.match(text, k):
        f.append("ccue")
    return f


@SETTINGS
@given(_TEXT)
def test_common_features_equal_every_pattern_everywhere(text):
    wb = bm.word_bounds(text)
    sh, cl = bm.shown(text), bm.classes(text)
    labels = bm._labels(text)
    for k in range(1, len(text)):
        got = bm._common(text, sh, cl, wb, k, labels, len(text))
        assert got[9:] == _common_reference(text, sh, cl, wb, k, labels, len(text)), k


@SETTINGS
@given(_TEXT)
def test_labels_ahead_equal_matching_everywhere(text):
    want = {k: m.end() for k in range(len(text) + 1) if (m := bm._LABEL_AHEAD.match(text, k))}
    assert bm._labels_ahead(text) == want


def _pruned_reference(text, marks, model, keep):
    """Every candidate described (the training path), then each window/label group ranked by
    its cheap score with a stable sort and cut to its ``keep`` best (a ``## `` heading's group:
    its ``HEAD_KEEP`` best), in text order; each kept candidate scored as
    model.score(kind, common) + model.partial(kind, extra)."""
    cl = bm.classes(text)
    # the training path, with the model's bigram statistics as training computes them
    full = bm.candidates(
        text, marks, wb=bm.word_bounds(text), cl=cl, stats=bm.TextStats(text, model)
    )
    sh = bm.shown(text)
    rows = list(zip(full.positions, full.kinds, full.origins, full.commons, full.extras,
                    strict=True))  # fmt: skip
    groups: dict[tuple[str, int], list[int]] = {}
    for i, (_, kind, origin, _, _) in enumerate(rows):
        if kind in ("window", "label", "head"):
            groups.setdefault((kind, origin), []).append(i)
    drop = set()
    for (kind, _), idx in groups.items():
        limit = bm.HEAD_KEEP if kind == "head" else keep
        if len(idx) <= limit:
            continue
        w = model._table(kind)

        def cheap(i, kind=kind, w=w):
            k, extra = rows[i][0], rows[i][4]
            return (model.partial(kind, extra) + w.get("l1r1=" + sh[k - 1 : k + 1], 0.0)
                    + w.get("r1=" + sh[k : k + 1], 0.0) + w.get("cls=" + cl[k - 1 : k + 1], 0.0))  # fmt: skip

        best = set(sorted(idx, key=lambda i: -cheap(i))[:limit])
        drop |= set(idx) - best
    return [(p, kd, o, c + e, model.score(kd, c) + model.partial(kd, e))
            for i, (p, kd, o, c, e) in enumerate(rows) if i not in drop]  # fmt: skip


def _check_pruning(text, marks):
    """The model path (scored from the split weights, features written on demand) against the
    reference: the same candidates, in the same order, the same features, bit-identical scores.
    The same with the split scorer switched off (the described path a new feature falls to)."""
    model = bm.load_model()
    assert model._splits() is not None  # the shipped model takes the fast path
    want = _pruned_reference(text, marks, model, bm.PRUNE_KEEP)
    got = bm.candidates(text, marks, wb=bm.word_bounds(text), model=model)
    assert got.scores is not None
    assert list(zip(got.positions, got.kinds, got.origins, got.features, got.scores,
                    strict=True)) == want  # fmt: skip
    described = bm.Model(model.boundary, model.heading, model.thresholds, model.stats)
    described._split = {k: _Unknown() for k in ("strong", "window", "label", "head", "glue")}
    assert described._splits() is None
    got = bm.candidates(text, marks, wb=bm.word_bounds(text), model=described)
    assert got.scores is not None
    assert list(zip(got.positions, got.kinds, got.origins, got.features, got.scores,
                    strict=True)) == want  # fmt: skip
    return len(want)


class _Unknown:
    known = False  # as if the table held a feature _Split does not know


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT, st.lists(st.integers(0, 400), max_size=6))
def test_pruned_candidates_equal_ranking_every_candidate(text, marks):
    _check_pruning(text, [m for m in marks if m < len(text)])


def test_pruned_candidates_on_the_seeds():
    total = 0
    for path in sorted(FIXTURES.glob("[0-9][0-9][0-9]_*.txt")):
        for line in path.read_text(encoding="utf-8").split("\n"):
            if len(line) >= 200:
                text = line.replace("## ", "")
                marks = [m.start() - 3 * k for k, m in enumerate(re.finditer("## ", line))]
                total += _check_pruning(text, marks)
    assert total > 500  # the seeds' long lines were all compared


def test_a_feature_split_does_not_know_falls_back_to_describing():
    model = bm.load_model()
    table = dict(model.boundary)
    table["new-feature=x"] = 1.0
    assert bm.Model(table, model.heading, model.thresholds)._splits() is None
    assert model._splits() is not None
    assert model.stats  # the shipped model's bigram statistics and glue: on the fast path too


@SETTINGS
@given(
    st.dictionaries(st.integers(0, 300), st.integers(), max_size=40),
    st.lists(st.tuples(st.integers(0, 300), st.integers(1, 70), st.integers()), max_size=15),
)
def test_close_headings_equals_rebuilding_the_dict(kept, heads):
    heads = [(a, a + d, v) for a, d, v in heads]
    want = kept
    for start, end, v in heads:
        want = {p: b for p, b in want.items() if not start < p < end}
        want[end] = v
    assert bm._close_headings(kept, heads) == want


_PUNCT_TEXT = st.text(
    alphabet=st.sampled_from(
        list(
            '。！？；;…!?：:.）)】」』”》（(第一二三四五六七八九十①⑳、，,0123456789１٣aZ 漢字\n/"’'
        )
    ),
    max_size=120,
)


@SETTINGS
@given(_PUNCT_TEXT | _TEXT)
def test_finditer_from_first_characters_equals_finditer(text):
    for pattern, first in ((bm._STRONG, bm._STRONG_FIRST), (bm._LIST_MARK, bm._LIST_MARK_FIRST)):
        want = [m.span() for m in pattern.finditer(text)]
        assert [m.span() for m in bm._finditer(pattern, first, text)] == want


# The bigram statistics (issue 13, round 2). Cases written here, imitating a documentation page
# whose heading is glued to the paragraph before and after it with no punctuation between.
_HEAD, _PARA = "安裝步驟", "首先下載程式並依照說明執行"


def _stats_items(n=30):
    text = (_HEAD + _PARA) * 3
    size = len(_HEAD) + len(_PARA)
    bounds = [j * size + d for j in range(3) for d in (0, len(_HEAD))]
    heads = [(j * size, j * size + len(_HEAD)) for j in range(3)]
    return [(text, bounds, heads)] * n


def test_learn_stats_tells_heading_bigrams_from_paragraph_bigrams():
    stats = bm.learn_stats(_stats_items())
    assert stats["st"]["首先"] > 2 and stats["st"]["安裝"] > 2  # blocks start there
    assert stats["en"]["步驟"] > 2 and stats["en"]["執行"] > 2  # blocks end there
    assert stats["hr"]["安裝"] > 0 > stats["hr"]["程式"]  # heading-like, paragraph-like
    assert "下載" not in stats["st"] or stats["st"]["下載"] < 0  # mid-paragraph: no start


def test_glue_candidates_where_the_statistics_say_a_block_ends():
    model = bm.Model({}, {}, None, bm.learn_stats(_stats_items()))
    filler = "我們今天要介紹一個新的開源專案它能把文件轉成電子書還能排版" * 2  # > WINDOW characters
    text = filler + "依照說明執行" + _HEAD + _PARA + "。"
    cut = text.index(_HEAD)
    got = bm.candidates(text, wb=bm.word_bounds(text), stats=bm.TextStats(text, model))
    glue = {p for p, k in zip(got.positions, got.kinds, strict=True) if k == "glue"}
    assert cut in glue  # …執行|安裝步驟…: no punctuation, yet a candidate
    assert all(bm.word_bounds(text)[p] for p in glue)  # never inside a word
    assert not any(text[p - 1] in "，。" for p in glue)  # punctuation makes strong ones


@SETTINGS
@given(_TEXT, st.sets(st.integers(0, 400), max_size=20))
def test_glue_candidates_equal_a_match_at_every_letter_pair(text, taken):
    # statistics that put some bigrams of the text over GLUE_MIN and others under it
    sh, cl, wb = bm.shown(text), bm.classes(text), bm.word_bounds(text)
    bigrams = {sh[k : k + 2] for k in range(len(sh) - 1)}
    stats = {"st": {b: float(ord(b[0]) % 5) for b in bigrams},
             "en": {b: float(ord(b[-1]) % 3) - 1 for b in bigrams}, "hr": {}}  # fmt: skip
    ts = bm.TextStats(text, bm.Model({}, {}, None, stats), sh)
    want = [
        k
        for m in re.finditer(r"(?<=[HLD])(?=[HL])", cl)
        if wb[k := m.start()] and k not in taken
        and stats["en"].get(sh[k - 2 : k], 0.0) + stats["st"].get(sh[k : k + 2], 0.0) >= bm.GLUE_MIN
    ]  # fmt: skip
    got = bm._glue(cl, sh, wb, taken, [], [len(text)], len(text), ts)
    assert [k for k, _, _ in got] == want


def test_a_doubled_latin_name_is_two_words_and_nothing_else_is_cut():
    wb = bm.word_bounds("UserInputAudioUserInputAudio 用於 OpenAI")
    assert wb[14] == 1 and not any(wb[1:14]) and not any(wb[15:28])
    assert not any(bm.word_bounds("OpenAIGPT4o")[1:11])


def test_head_len_prices_a_marked_headings_length_unless_the_document_writes_long_ones():
    model = bm.load_model()
    text = "阿里Qwen3.5開源家族擴容多款新模型上線阿里在除夕釋出旗艦模型。第二節內容很長的一段說明文字。"
    marks = [0, text.index("第二節")]

    def first_heading(**th: float) -> tuple[int, int]:
        m = bm.Model(model.boundary, model.heading, {**model.thresholds, **th}, model.stats)
        return next((a, b) for a, b, h in bm.segment(text, marks, m).blocks if h)

    plain = first_heading(head_len=0.0)
    # a huge price per character: the shortest candidate end (a heading is more than 1 character)
    short = first_heading(head_len=1000.0, head_long=float("inf"))
    assert short[1] < plain[1] and short[1] - short[0] <= 3
    # a document whose headings are long at the median keeps the plain ranking
    assert first_heading(head_len=1000.0, head_long=1.0) == plain


def test_segment_without_explain_the_same_boundaries_without_features():
    for path in sorted(FIXTURES.glob("[0-9][0-9][0-9]_*.txt")):
        for line in path.read_text(encoding="utf-8").split("\n"):
            if len(line) >= 200:
                full, quiet = bm.segment(line), bm.segment(line, explain=False)
                assert quiet.blocks == full.blocks and quiet.heading_scores == full.heading_scores
                assert [(b.pos, b.score, b.kind) for b in quiet.boundaries] == [
                    (b.pos, b.score, b.kind) for b in full.boundaries
                ]
                assert all(not b.features for b in quiet.boundaries)
                assert any(b.features for b in full.boundaries)
