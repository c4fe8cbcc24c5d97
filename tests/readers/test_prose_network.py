"""The run-on sequence model's inputs and network (readers/prose/features.py, network.py).

The forward pass is checked against a plain loop written here from the network's definition
(on a tiny network whose weights are drawn in the test, not taken from torch); the shipped
arrays are checked for what the decoder relies on: log-probabilities, the ``## `` input, size.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from digestkit.readers.prose import features as ft
from digestkit.readers.prose import network as nw
from digestkit.readers.prose.words import word_bounds

_TEXT = "OpenAI宣佈1100億美元融資，估值約8400億美元。開發者可以在設定中開啟預覽"


def _vocab(*texts: str) -> ft.CharVocab:
    counts = ft.count_chars(texts)
    return ft.CharVocab(sorted(counts, key=lambda c: (-counts[c], c)))


def test_inputs_shapes_and_values() -> None:
    vocab = _vocab(_TEXT)
    x = ft.inputs(_TEXT, [0, 26, 999], vocab)
    n = len(_TEXT)
    assert x.chars.shape == x.classes.shape == x.pos.shape == (n,)
    assert x.flags.shape == (n, 2) and x.flags.dtype == np.float32
    cls = [ft.CLASSES[c] for c in x.classes]
    assert cls[0] == "upper" and cls[1] == "lower" and cls[6] == "han" and cls[8] == "digit"
    assert cls[_TEXT.index("，")] == "comma" and cls[_TEXT.index("。")] == "end"
    # word starts are word_bounds' cuts before each character; the marks only where given
    assert x.flags[:, 0].tolist() == list(word_bounds(_TEXT)[:n])
    assert np.flatnonzero(x.flags[:, 1]).tolist() == [0, 26]
    # every character of the text is in the vocabulary: distinct characters, distinct ids
    assert len(set(x.chars.tolist())) == len(set(_TEXT))
    assert min(x.chars) >= len(ft.CLASSES)
    assert ft.POS_TAGS[x.pos[_TEXT.index("宣")]] == "v"
    assert ft.POS_TAGS[x.pos[0]] == "eng"


def test_unknown_characters_get_their_class_id() -> None:
    vocab = _vocab("中文")
    x = ft.inputs("中龘A,𠀁", [], vocab)
    assert x.chars[0] >= len(ft.CLASSES)  # in the vocabulary
    assert x.chars[1:].tolist() == x.classes[1:].tolist()  # the class buckets
    assert [ft.CLASSES[c] for c in x.classes[1:]] == ["han", "upper", "comma", "han"]
    assert vocab.id_classes()[x.chars].tolist() == x.classes.tolist()


def test_traditional_reads_like_simplified() -> None:
    trad = "後來的發展證明這個決定是對的，開發者們紛紛轉向新的體系結構"
    simp = "后来的发展证明这个决定是对的，开发者们纷纷转向新的体系结构"
    vocab = _vocab(simp)
    a, b = ft.inputs(trad, [], vocab), ft.inputs(simp, [], vocab)
    assert trad != simp
    assert a.chars.tolist() == b.chars.tolist()
    assert a.flags.tolist() == b.flags.tolist()
    assert a.pos.tolist() == b.pos.tolist()
    assert list(word_bounds(trad)) == list(word_bounds(simp))


def _tiny(
    seed: int, channels: int = 5, dilations: tuple[int, ...] = (1, 2, 4)
) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    vocab = [ord(c) for c in "的是在了和发展开者"]
    v = len(ft.CLASSES) + len(vocab)

    def w(*shape: int) -> np.ndarray:
        return rng.standard_normal(shape).astype(np.float32)

    arrays = {"vocab": np.asarray(vocab, np.int32), "dilations": np.asarray(dilations, np.int32),
              "emb_char": w(v, channels), "emb_class": w(len(ft.CLASSES), channels),
              "emb_pos": w(len(ft.POS_TAGS), channels), "w_flags": w(2, channels),
              "b_in": w(channels), "out_w": w(channels, 4), "out_b": w(4)}  # fmt: skip
    for i in range(len(dilations)):
        arrays[f"conv{i}_w"] = w(3 * channels, channels) * 0.5
        arrays[f"conv{i}_b"] = w(channels)
    return arrays


def _reference(arrays: dict[str, np.ndarray], x: ft.Inputs) -> np.ndarray:
    """The network's definition, one character and one tap at a time (float64)."""
    a = {k: np.asarray(v, np.float64) for k, v in arrays.items()}
    n, c = len(x.chars), a["b_in"].shape[0]
    h = [a["emb_char"][x.chars[t]] + a["emb_class"][x.classes[t]] + a["emb_pos"][x.pos[t]]
         + x.flags[t] @ a["w_flags"] + a["b_in"] for t in range(n)]  # fmt: skip
    for i, d in enumerate(arrays["dilations"]):
        w, b = a[f"conv{i}_w"], a[f"conv{i}_b"]
        r = [np.maximum(v, 0) for v in h]
        new = []
        for t in range(n):
            acc = h[t] + b
            for k, s in enumerate((t - d, t, t + d)):
                if 0 <= s < n:
                    acc = acc + r[s] @ w[k * c : (k + 1) * c]
            new.append(acc)
        h = new
    z = np.array([np.maximum(v, 0) @ a["out_w"] + a["out_b"] for v in h])
    z -= z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


@pytest.mark.parametrize("seed", [0, 1])
def test_forward_pass_equals_the_definition(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    arrays = _tiny(seed)
    net = nw.Network(arrays)
    text = "开发者在发展的是了和 OpenAI，新的发展"
    x = ft.inputs(text, [3], net.vocab)
    want = _reference(arrays, x)
    got = nw.log_softmax(net.logits(x))
    assert got.dtype == np.float32 and got.shape == (len(text), 4)
    assert np.abs(got - want).max() < 1e-4
    # window by window (overlapping by the receptive field) gives the same scores
    monkeypatch.setattr(nw, "WINDOW", 4)
    assert np.abs(nw.log_softmax(net.logits(x)) - want).max() < 1e-4
    # a wrong receptive field would show: too little overlap changes the scores
    monkeypatch.setattr(nw.Network, "context", property(lambda self: 1))
    assert np.abs(nw.log_softmax(net.logits(x)) - want).max() > 1e-3


def test_shipped_model_is_small_and_loads() -> None:
    path = Path(nw.__file__).with_name(nw.MODEL_FILE)
    # every shipped model file (network, clause-break grams, span weights, decoder prices)
    shipped = [path, *(path.parent / f for f in ("clause_grams.npz", "heading_ends.json",
                                                 "decode_params.json",
                                                 "decode_params_headings.json"))]  # fmt: skip
    assert all(p.is_file() for p in shipped)
    assert sum(p.stat().st_size for p in shipped) <= 5_000_000
    net = nw.load()
    assert net.context >= 60  # characters seen on each side
    assert net.emb_char.shape == (net.vocab.size, net.channels)


def test_emissions_are_log_probabilities() -> None:
    e = nw.emissions(_TEXT, [])
    assert e.shape == (len(_TEXT), len(nw.TAGS)) and e.dtype == np.float32
    assert np.abs(np.logaddexp.reduce(e.astype(np.float64), axis=1)).max() < 1e-4
    assert (e <= 0).all()
    assert nw.emissions("", []).shape == (0, 4)


def test_marker_raises_a_heading_start() -> None:
    # a heading glued between two sentences, as a run-on digest writes it
    text = ("上週我們介紹了模型的訓練方法與資料來源，並比較了三種常見的做法。"
            "實驗結果"
            "我們在三個公開資料集上評估了模型的表現，結果顯示新方法的準確率明顯高於舊方法。")  # fmt: skip
    k = text.index("實驗結果")
    bare, marked = nw.emissions(text, []), nw.emissions(text, [k])
    bp, bh = nw.TAGS.index("BP"), nw.TAGS.index("BH")
    assert marked[k, bh] > np.log(0.99)
    assert marked[k, bh] > bare[k, bh] + 0.2  # the marker is what makes it sure
    # the heading ends before the sentence's first word: a paragraph starts at 我們
    assert marked[k + 1 : k + 12, bp].argmax() == 3
    others = [j for j in range(len(text)) if j != k]
    assert (marked[others, bh] < np.log(0.5)).all()  # one marker, one heading start


def test_import_digestkit_imports_no_numpy() -> None:
    code = "import sys, digestkit, digestkit.readers.prose.network; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    "text", [_TEXT, "後來的發展證明，UserInputAudioUserInputAudio 用於3.14億", "", "a"]
)
def test_word_bounds_from_the_tagged_words_are_the_same(text: str) -> None:
    # features.inputs segments once (rjieba.tag) and hands the words to word_bounds
    import rjieba

    from digestkit.readers.prose.words import simplified

    words = [w for w, _ in rjieba.tag(simplified(text), False)]
    assert word_bounds(text, words) == word_bounds(text)
    x = ft.inputs(text, [], _vocab(text or "a"))
    assert x.flags[:, 0].tolist() == list(word_bounds(text)[: len(text)])


def test_case_tags_follow_the_blocks() -> None:
    from benchmarks.prose_cases import Doc, make_case
    from benchmarks.prose_seq_data import case_marks, case_tags

    doc = Doc(None, (("paragraph", "第一段。"), ("heading", "標題"), ("paragraph", "正文，結束。")))
    for marked in (True, False):
        case = make_case(doc, "t", script="Hans", marked=marked)
        assert case is not None
        tags = "".join(nw.TAGS[t][0] + nw.TAGS[t][1] for t in case_tags(case))
        assert tags == "BP" + "IP" * 3 + "BH" + "IH" + "BP" + "IP" * 5
        assert case_marks(case) == ([4] if marked else [])


def _blas_threads() -> int:
    from threadpoolctl import threadpool_info

    return max(i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas")


def test_network_runs_blas_on_one_thread_and_restores_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """OpenBLAS's thread per core made the reader 11x slower on a busy machine (spinning workers):
    the forward pass holds BLAS to one thread, and gives the caller's setting back after."""
    from threadpoolctl import threadpool_limits

    net = nw.load()
    seen: list[int] = []
    stack = net._stack

    def spy(x: np.ndarray) -> np.ndarray:
        seen.append(_blas_threads())
        return stack(x)

    monkeypatch.setattr(net, "_stack", spy)
    with threadpool_limits(limits=2, user_api="blas"):
        assert _blas_threads() == 2
        nw.emissions("今天天氣很好。我們去公園散步吧", [])
        after = _blas_threads()
    assert seen == [1]
    assert after == 2
