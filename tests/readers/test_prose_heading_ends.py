"""The heading-end span model and how the decoder uses it.

The decoder must stay right whatever the models say, so most of these tests give it a made-up
span model (an :class:`EndModel` with hand-set weights) and made-up emissions, and check that a
sure end decides a heading the end price alone would have run on to punctuation — and that an
unsure one changes nothing. The last tests tie the shipped weights to the shipped network.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from digestkit.readers.prose import heading_ends, network
from digestkit.readers.prose.constraints import forbidden, no_punctuation_before
from digestkit.readers.prose.decode import BH, BP, IH, IP, Params, decode
from digestkit.readers.prose.heading_ends import (
    FEATURES,
    EndModel,
    SpanText,
    span_features,
    sure_ends,
)

# a heading (8 characters) glued to its paragraph; words are cut by jieba, so only the gap
# between 標題 and 今天 etc. are allowed ends
TEXT = "新的產品發布計畫今天公司宣布了新的產品發布計畫，大家都很期待。"
HEAD_END = TEXT.index("今天")


def _emissions(text: str, start: int, end: int, bare: bool = False) -> np.ndarray:
    """A heading from ``start`` to ``end`` and a paragraph after it, told clearly."""
    n = len(text)
    x = np.full((n, 4), -8.0)
    x[:, IP] = 0.0
    x[start, BH] = 2.0 if bare else 4.0
    x[start + 1 : end, IH] = 1.0
    x[end + 1 :, IH] = 0.0  # after it, heading or paragraph alike: only the end price decides
    x[end, BP] = 1.5
    return (x - np.log(np.exp(x).sum(1, keepdims=True))).astype(np.float32)


def _model(weight_on_start: float = 3.0) -> EndModel:
    """Trusts the network's start score at the end, nothing else."""
    w = [0.0] * len(FEATURES)
    w[FEATURES.index("start score at the end")] = weight_on_start
    w[FEATURES.index("the end of the text")] = -10.0  # (scored as a sure start)
    w[-1] = -2.0  # "no heading here" a little less likely than a clear heading
    return EndModel(tuple(w), tuple([0.0] * len(FEATURES)), tuple([1.0] * len(FEATURES)))


@pytest.fixture
def made_up_model(monkeypatch: pytest.MonkeyPatch) -> EndModel:
    model = _model()
    monkeypatch.setattr(heading_ends, "load", lambda kind="marked": model)
    return model


def _inputs(text: str) -> tuple[np.ndarray, np.ndarray]:
    nopunct = np.frombuffer(bytes(no_punctuation_before(text)), dtype=np.uint8)
    allowed = np.frombuffer(bytes(forbidden(text).code), dtype=np.uint8) == 0
    return nopunct, allowed


def test_candidate_ends_are_allowed_within_the_cap_and_before_the_next_start() -> None:
    text = TEXT * 3
    nopunct, allowed = _inputs(text)
    E = _emissions(text, 0, HEAD_END)
    starts = [0, len(TEXT), 2 * len(TEXT)]
    rows = span_features(SpanText(text, E, nopunct, allowed), starts, cap=20)
    assert [s for s, _, _ in rows] == starts
    for i, (s, c, f) in enumerate(rows):
        assert f.shape == (len(c), len(FEATURES))
        assert all(allowed[k] for k in c.tolist() if k < len(text))
        assert c.min() >= s + 2 and c.max() <= s + 20
        if i + 1 < len(starts):
            assert c.max() <= starts[i + 1]
    unbounded = span_features(SpanText(text, E, nopunct, allowed), starts, cap=60, bounded=False)
    assert unbounded[0][1].max() > starts[1]  # candidates only: a heading may run across them


def test_the_span_model_is_a_softmax_that_follows_its_features() -> None:
    text = TEXT
    nopunct, allowed = _inputs(text)
    ((_, c, f),) = span_features(
        SpanText(text, _emissions(text, 0, HEAD_END), nopunct, allowed), [0], 40
    )
    p = _model().probabilities(f)
    assert p.sum() == pytest.approx(1.0)
    assert int(c[int(p.argmax())]) == HEAD_END
    zero = (0.0,) * len(FEATURES)
    flat = EndModel(zero, zero, (1.0,) * len(FEATURES)).probabilities(f)
    assert flat.max() == pytest.approx(1 / len(c))


def test_a_sure_end_decides_a_marked_heading_the_end_price_runs_on(made_up_model: EndModel) -> None:
    E = _emissions(TEXT, 0, HEAD_END)
    strict = Params(end=30.0, no_punct=30.0)  # no end without punctuation, unless sure
    before = decode(TEXT, E, [0], strict)
    assert before.blocks[0].heading and before.blocks[0].end > HEAD_END  # ran on
    after = decode(TEXT, E, [0], dataclasses.replace(strict, end_sure=0.9), explain=True)
    assert (after.blocks[0].start, after.blocks[0].end, after.blocks[0].heading) == (
        0,
        HEAD_END,
        True,
    )
    assert after.sure_ends[0][0] == HEAD_END and after.sure_ends[0][1] >= 0.9
    why = next(b.reason for b in after.boundaries if b.pos == HEAD_END)
    assert "span model" in why
    # an unsure model (threshold above what it gives) changes nothing
    p = after.sure_ends[0][1]
    unsure = decode(TEXT, E, [0], dataclasses.replace(strict, end_sure=min(1.0, p + 1e-3)))
    assert [(b.start, b.end) for b in unsure.blocks] == [(b.start, b.end) for b in before.blocks]


def test_an_unmarked_heading_is_made_only_with_a_sure_end(made_up_model: EndModel) -> None:
    text = "大家都很期待。" + TEXT
    s = len("大家都很期待。")
    E = _emissions(text, s, s + HEAD_END, bare=True)
    E[0, BP] = 0.0
    strict = Params(bare_end=30.0, no_punct=30.0, head=2.0)
    before = decode(text, E, [], strict)
    assert not any(b.heading and b.end == s + HEAD_END for b in before.blocks)
    after = decode(text, E, [], dataclasses.replace(strict, bare_sure=0.5, bare_start=0.1))
    assert (s, s + HEAD_END, True) in [(b.start, b.end, b.heading) for b in after.blocks]
    # a start the network gives less than bare_start is no candidate
    E2 = E.copy()
    E2[s, BH] = -9.0
    assert not sure_ends(
        SpanText(text, E2, *_inputs(text)), starts=[], cap=64, threshold=0.5, kind="bare"
    )
    none = decode(text, E2, [], dataclasses.replace(strict, bare_sure=0.5, bare_start=0.1))
    assert not any(b.heading and b.end == s + HEAD_END for b in none.blocks)
    assert E[s, BP] < E[s, BH]


def test_the_shipped_weights_fit_the_feature_list_and_the_shipped_network() -> None:
    raw = json.loads(
        resources.files("digestkit.readers.prose").joinpath("heading_ends.json").read_text()
    )
    assert raw["features"] == list(FEATURES)
    for kind in ("marked", "bare"):
        model = heading_ends.load(kind)
        assert model is not None and len(model.weights) == len(FEATURES)
        assert len(model.mean) == len(model.scale) == len(FEATURES)
    # fitted on this network's scores: a retrained network needs `prose_heading_ends --write`
    path = Path(network.__file__).with_name(network.MODEL_FILE)
    assert raw["model"] == hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def test_a_start_with_no_allowed_end_within_its_cap_is_left_to_the_decoder(
    made_up_model: EndModel,
) -> None:
    text = TEXT * 2
    nopunct, _ = _inputs(text)
    nowhere = np.zeros(len(text), dtype=bool)
    with np.errstate(all="raise"):  # no all-impossible row reaches the softmax
        assert (
            sure_ends(SpanText(text, _emissions(text, 0, HEAD_END), nopunct, nowhere), [0], 5, 0.0)
            == {}
        )
        got = sure_ends(
            SpanText(text, _emissions(text, 0, HEAD_END), nopunct, nowhere), [0, 3], 80, 0.0
        )
    assert list(got) == [3] and got[3][0] == len(text)  # only the text's end was within reach
