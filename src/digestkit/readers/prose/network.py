"""The run-on sequence model's network: per-character tag scores for the decoder (issue 24).

A dilated 1-D convolutional network over the per-character inputs of :mod:`.features`::

    x₀ = E_char[char] + E_class[class] + E_pos[pos] + flags · W_flags + b      (n, C)
    xᵢ = xᵢ₋₁ + conv_dᵢ(relu(xᵢ₋₁))        kernel 3, dilation dᵢ ∈ 1, 2, 4, 8, 16, 32
    scores = log_softmax(relu(x_L) · W_out + b_out)                             (n, 4)

Each layer sees ``dᵢ`` characters further on either side, so the last one sees
``sum(dᵢ)`` = 63 characters each side of the character it tags — a sentence or two, enough to
tell a heading glued before a sentence from the sentence's own first words. The arrays
(``seqmodel.npz`` beside this file, fp16) are trained by ``python -m benchmarks.prose_train``
(torch, never imported here); inference is numpy only, float32, one matrix product per layer over
an im2col view (the three taps side by side), in windows of :data:`WINDOW` characters with the
receptive field as overlap, so that a long text costs no more memory than a short one and every
window's output equals the whole text's exactly.

numpy is imported inside the functions: ``import digestkit`` must not import it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from threadpoolctl import ThreadpoolController

    from .features import CharVocab, Inputs

__all__ = ["MODEL_FILE", "TAGS", "WINDOW", "Network", "emissions", "load", "one_blas_thread"]

#: The tag of each character: Begins a Paragraph, Inside a Paragraph, Begins a Heading, Inside a
#: Heading. A block starts exactly at each B*; a heading is BH IH*, ending where the next B* starts.
TAGS: tuple[str, ...] = ("BP", "IP", "BH", "IH")
MODEL_FILE = "seqmodel.npz"
WINDOW = 8192  # characters per matrix product: large enough for BLAS, small enough for the cache


class Network:
    """The network's arrays (float32) and its forward pass.

    ``arrays`` holds ``vocab`` (the vocabulary's code points), ``dilations``, ``emb_char``
    ``(V, C)``, ``emb_class`` ``(len(CLASSES), C)``, ``emb_pos`` ``(len(POS_TAGS), C)``,
    ``w_flags`` ``(2, C)``, ``b_in`` ``(C,)``, per layer ``conv{i}_w`` ``(3C, C)`` (rows: the
    taps at ``t - d``, ``t``, ``t + d``) and ``conv{i}_b`` ``(C,)``, and ``out_w`` ``(C, 4)``,
    ``out_b`` ``(4,)``.
    """

    def __init__(self, arrays: Mapping[str, npt.NDArray[np.generic]]) -> None:
        import numpy as np

        from .features import CharVocab

        f32 = {k: np.asarray(v, dtype=np.float32) for k, v in arrays.items()}
        self.dilations: tuple[int, ...] = tuple(int(d) for d in arrays["dilations"])
        self.vocab: CharVocab = CharVocab([int(c) for c in arrays["vocab"]])
        self.emb_char = f32["emb_char"]
        self.emb_class = f32["emb_class"]
        self.emb_pos = f32["emb_pos"]
        self.w_flags = f32["w_flags"]
        self.b_in = f32["b_in"]
        self.convs = [(f32[f"conv{i}_w"], f32[f"conv{i}_b"]) for i in range(len(self.dilations))]
        self.out_w = f32["out_w"]
        self.out_b = f32["out_b"]
        self.channels = int(self.b_in.shape[0])
        if self.emb_char.shape[0] != self.vocab.size:
            raise ValueError(
                f"emb_char has {self.emb_char.shape[0]} rows for {self.vocab.size} ids"
            )
        # a character's id fixes its class (an id below len(CLASSES) is a class bucket; a
        # vocabulary character's class is its own, and t2s never changes a class): one table
        # of char + class rows saves a gather per character
        self.emb_folded = self.emb_char + self.emb_class[self.vocab.id_classes()]

    @property
    def context(self) -> int:
        """Characters each side that a character's scores depend on (the receptive field)."""
        return sum(self.dilations)

    def embed(self, x: Inputs) -> npt.NDArray[np.float32]:
        """The first layer's input, ``(n, C)``."""
        h = self.emb_folded[x.chars]
        h += self.emb_pos[x.pos]
        h += x.flags @ self.w_flags
        h += self.b_in
        return h

    def logits(self, x: Inputs) -> npt.NDArray[np.float32]:
        """Unnormalised tag scores ``(n, 4)``: the whole text's, computed window by window, with
        BLAS on one thread (:func:`one_blas_thread`)."""
        with one_blas_thread():
            return self._logits(x)

    def _logits(self, x: Inputs) -> npt.NDArray[np.float32]:
        import numpy as np

        n = len(x.chars)
        h0 = self.embed(x)
        if n <= WINDOW:
            return self._stack(h0)
        r = self.context
        out = np.empty((n, len(TAGS)), dtype=np.float32)
        for a in range(0, n, WINDOW):
            b = min(n, a + WINDOW)
            lo, hi = max(0, a - r), min(n, b + r)
            out[a:b] = self._stack(h0[lo:hi])[a - lo : b - lo]
        return out

    def _stack(self, x: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """The residual dilated convolutions and the output layer over one window. Each layer
        adds three products — the taps at ``t``, ``t - d`` and ``t + d`` times their thirds of
        the layer's weights — into shifted slices of ``x``: the same sums as one product over
        the three taps side by side, without copying them into a ``(n, 3C)`` matrix first (30 %
        less time for the whole stack; beyond the text the taps are zeros, so the slices skip
        them)."""
        import numpy as np

        n, c = x.shape
        x = x.copy()
        h = np.empty((n, c), dtype=np.float32)
        for d, (w, b) in zip(self.dilations, self.convs, strict=True):
            np.maximum(x, 0, out=h)
            x += h @ w[c : 2 * c]
            if d < n:
                x[d:] += h[:-d] @ w[:c]
                x[: n - d] += h[d:] @ w[2 * c :]
            x += b
        np.maximum(x, 0, out=x)
        out: npt.NDArray[np.float32] = x @ self.out_w + self.out_b
        return out

    def emissions(self, text: str, marked: Sequence[int]) -> npt.NDArray[np.float32]:
        """Log-probabilities of :data:`TAGS` per character of ``text``, shape ``(len(text), 4)``."""
        from .features import inputs

        return log_softmax(self.logits(inputs(text, marked, self.vocab)))


@cache
def _blas() -> ThreadpoolController:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def one_blas_thread() -> AbstractContextManager[object]:
    """BLAS limited to one thread while the network runs (restored after).

    Why: the products are small (a window of at most :data:`WINDOW` characters by 64 channels),
    and OpenBLAS's worker threads spin while they wait for a core. On a machine whose cores are
    busy — the weekly job's parsing workers, any server — its default of one thread per core made
    the whole prose reader **11× slower** (63 s against 5.7 s for 240 dev texts, load 3.4 on 2
    cores), and one thread costs nothing on an idle one (the speed benchmarks always ran with one).
    threadpoolctl (scikit-learn's) finds the BLAS numpy loaded, whichever it is, and sets its
    threads at run time — an environment variable would only work before numpy is imported, and
    the caller may have imported it. Cost: ~25 µs per text. The limit is process-wide while it
    holds (BLAS has no per-thread setting).
    """
    limiter: AbstractContextManager[object] = _blas().limit(limits=1, user_api="blas")
    return limiter


def log_softmax(z: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Row-wise log-softmax, computed stably (the row maximum subtracted first)."""
    import numpy as np

    z = z - z.max(axis=1, keepdims=True)
    out: npt.NDArray[np.float32] = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return out


@cache
def load() -> Network:
    """The shipped network (read once, on first use)."""
    import numpy as np

    with resources.files(__package__).joinpath(MODEL_FILE).open("rb") as fh:
        arrays = dict(np.load(fh, allow_pickle=False))
    return Network(arrays)


def emissions(text: str, marked: Sequence[int]) -> npt.NDArray[np.float32]:
    """float32 array of shape ``(len(text), 4)``: log-probabilities of :data:`TAGS` per character.

    ``text`` is the run-on text with ``## `` markers removed; ``marked`` are the offsets of the
    heading starts those markers gave (an input of the network, not a constraint: the decoder
    makes them sure heading starts).
    """
    return load().emissions(text, marked)
