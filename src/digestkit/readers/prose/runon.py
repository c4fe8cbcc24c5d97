"""Structure recovery inside one run-on line: a whole article body with nothing but sentences.

What is found, in this order, each decision logged for ``digestkit inspect --explain``:

1. ``## `` heading markers (``…基礎設施。## 策略性AI晶片成為政策辯論的核心當Amodei…``) are
   taken out; their offsets are known heading starts.
2. A trailing source in parentheses (``（大灣區評論）``) → ``ArticleMeta.source``.
3. Image captions (``…啟動“創世紀計畫”(圖源:whitehouse.gov)``): from the start of the sentence to
   the closing parenthesis → a ``Caption`` block.
4. Everything else — where each block starts, where a glued heading ends, which blocks are
   headings — is decided by the character sequence model (:mod:`.network`: four tag scores per
   character) decoded under the constraints (:mod:`.decode`, :mod:`.constraints`); ``--explain``
   shows every block start with the network's probability and what decided it, and every likely
   start that was not made with the rule or price that stopped it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from ...ast import Block, Caption, Heading, Paragraph, Text
from .decode import Decoded
from .text import CAPTION, TRAILING_SOURCE, Sentence, sentences

__all__ = ["MARKER", "Decision", "RunOn", "segment_runon"]

#: A heading marker inside run-on text: ``#`` to ``######`` and spaces at the start of the line,
#: or ``##`` to ``######`` (not glued to another ``#``) anywhere else. A single ``#`` inside the
#: text is text — ``C#、F# 和 Visual Basic``, ``改以# FIXME:`` — and was consumed as a marker
#: (its ``#`` lost, a heading started inside the sentence) until the corpus's documentation showed it.
MARKER = re.compile(r"^#{1,6} +|(?<!#)#{2,6} +")


@dataclass(frozen=True, slots=True)
class Decision:
    """One structural decision, for ``--explain``: what, where (line, column), and why."""

    kind: str
    line: int
    column: int
    text: str
    reason: str

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.kind}: {self.text!r}: {self.reason}"


@dataclass
class RunOn:
    """The result of segmenting one run-on line."""

    blocks: list[Block] = field(default_factory=list)
    source: str | None = None
    decisions: list[Decision] = field(default_factory=list)


def _decode(
    text: str, marked: list[int], explain: bool, free: list[int], priority: str = "sentences"
) -> Decoded:
    """The network's emissions for ``text``, decoded with the shipped parameters of the
    operating point ``priority`` (``free``: the ends of image captions, where a block start is
    no torn sentence)."""
    from .decode import decode, load_params
    from .network import emissions

    if not text:
        return Decoded()
    params = load_params(priority)
    return decode(text, emissions(text, marked), marked, params, free=free, explain=explain)


def segment_runon(
    text: str,
    *,
    line: int = 1,
    first_is_lead: bool = True,
    explain: bool = True,
    priority: str = "sentences",
) -> RunOn:
    """Recover headings, captions, paragraphs and a trailing source from one run-on line.

    Block boundaries and headings come from the network decoded under the constraints
    (:mod:`.decode`); captions and a trailing source are fixed spans found first. ``first_is_lead`` is kept for callers of the
    rule-based version and no longer changes anything: the model decides whether the text opens
    with a heading. ``explain=False`` logs no decisions (``RunOn.decisions`` stays empty): the
    reader asks for them only for ``--explain``, and writing them is about a tenth of the reader's
    time; the blocks and the source are the same either way. ``priority``: the decoder's
    operating point (``ReadOptions.prose_priority``: ``sentences`` or ``headings``).
    """
    del first_is_lead
    result = RunOn()
    log = result.decisions

    def note(kind: str, pos: int, snippet: str, reason: str) -> None:
        if explain:
            log.append(Decision(kind, line, pos + 1, snippet[:24], reason))

    # 1. markers out, remembering where headings start
    marked: list[int] = []
    parts = []
    pos = 0
    length = 0  # of the parts so far (summing them again for each marker was quadratic)
    for m in MARKER.finditer(text):
        parts.append(text[pos : m.start()])
        length += m.start() - pos
        marked.append(length)
        pos = m.end()
        note("marker", m.start(), m.group(), "'## ' heading marker consumed")
    parts.append(text[pos:])
    joined = "".join(parts)
    clean = joined.strip()
    lead = len(joined) - len(joined.lstrip())
    marked = sorted({max(0, k - lead) for k in marked if k - lead < len(clean)})
    # 2. trailing source
    src = TRAILING_SOURCE.search(clean)
    if src and len(clean) > 80 and src.start() not in marked:
        result.source = src.group(1).strip()
        note(
            "source", src.start(), src.group(), "parenthesised name at the very end of the article"
        )
        clean = clean[: src.start()].rstrip()
        marked = [k for k in marked if k < len(clean)]
    # 3. captions: fixed spans from the start of their sentence to the credit
    sents: list[Sentence] = []
    starts: list[int] = []  # sentences are in order and do not overlap: bisect
    captions: list[tuple[int, int]] = []
    for cm in CAPTION.finditer(clean):
        if not sents:  # split into sentences only when there is a caption to place
            sents = sentences(clean)
            starts = [s.start for s in sents]
        j = bisect_right(starts, cm.start()) - 1
        start = sents[j].start if j >= 0 and cm.start() < sents[j].end else cm.start()
        start = max(start, captions[-1][1] if captions else 0)
        captions.append((start, cm.end()))
        note("caption", start, clean[start : cm.end()], f"image credit {cm.group()!r} closes it")
    # 4. the network's scores, decoded under the constraints: block boundaries and headings
    dec = _decode(clean, marked, explain, [cb for _, cb in captions], priority)
    why = {bd.pos: bd for bd in dec.boundaries}
    spans: list[tuple[int, int, str]] = []
    for blk in dec.blocks:
        a, b, is_head = blk.start, blk.end, blk.heading
        for ca, cb in captions:  # a caption cuts the block it falls in
            if a < cb and ca < b:
                if a < ca:
                    spans.append((a, ca, "heading" if is_head else "paragraph"))
                spans.append((ca, cb, "caption"))
                a, is_head = cb, False
        if a < b:
            spans.append((a, b, "heading" if is_head else "paragraph"))
    for v in dec.vetoed:
        note("no boundary", v.pos, clean[v.pos :], f"p={v.prob:.2f}; {v.reason}")
    seen_caption: set[int] = set()
    for a, b, kind in spans:
        chunk = clean[a:b].strip()
        if kind == "caption":
            if a in seen_caption:
                continue
            seen_caption.add(a)
            result.blocks.append(Caption(children=(Text(text=clean[a:b].strip()),)))
            continue
        if not chunk:
            continue
        if not explain:  # the block only: its reason is never read
            block: Block = (Heading(level=2, children=(Text(text=chunk),)) if kind == "heading"
                            else Paragraph(children=(Text(text=chunk),)))  # fmt: skip
            result.blocks.append(block)
            continue
        bd = why.get(a)
        reason = f"p={bd.prob:.2f}; {bd.reason}" if bd is not None else "after a caption"
        if kind == "heading":
            result.blocks.append(Heading(level=2, children=(Text(text=chunk),)))
        else:
            result.blocks.append(Paragraph(children=(Text(text=chunk),)))
        note(kind, a, chunk, reason)
    return result
