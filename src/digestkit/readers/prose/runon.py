"""Structure recovery inside one run-on line: a whole article body with nothing but sentences.

What is found, in this order, each decision logged for ``digestkit inspect --explain``:

1. ``## `` heading markers glued to the next sentence (``…基礎設施。## 策略性AI晶片成為政策辯論的核心當Amodei…``):
   the marker gives the heading's start; its end is the position that best opens a sentence
   (a sentence-start cue such as 當/除了/目前, an opening quote), weighed against a heading-length
   prior and against words a heading (a noun phrase) does not contain (了, 是, 將 …).
2. A trailing source in parentheses (``（大灣區評論）``) → ``ArticleMeta.source``.
3. Image captions (``…啟動“創世紀計畫”(圖源:whitehouse.gov)``): from the start of the sentence to
   the closing parenthesis → a ``Caption`` block.
4. Headings with no marker, glued at a sentence start (``“創世計畫”對中國的潛在挑戰對中國來說,…``):
   only where a strong cue opens the next sentence and the candidate reads as a noun phrase.
5. Paragraph boundaries between sentences, by dynamic programming over each section: a length
   prior (news paragraphs run ~150 characters) plus paragraph cues (值得注意的是, 第一, 這一 …)
   and continuation cues (他, 但, 然而 …) that argue against a break.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...ast import Block, Caption, Heading, Paragraph, Text
from .text import (
    CAPTION,
    CONTINUATION_CUES,
    NOT_IN_HEADING,
    PARAGRAPH_CUES,
    SENTENCE_START_CUES,
    TRAILING_SOURCE,
    Sentence,
    is_han,
    sentences,
)

__all__ = ["Decision", "RunOn", "segment_runon"]

_MARKER = re.compile(r"#{1,6} +")
_BREAK = re.compile(r"[,，;；。！？!?]")
_STOP = re.compile(r"[;；。！？!?]")
PARAGRAPH_TARGET = 150  # characters; the median paragraph of the seeds' clean copies is 131–160


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


def _cue(text: str, pos: int, cues: tuple[str, ...]) -> str | None:
    best = None
    for cue in cues:
        if text.startswith(cue, pos) and (best is None or len(cue) > len(best)):
            best = cue
    return best


def _start_score(text: str, k: int, start: int) -> tuple[float, str]:
    """How well position ``k`` opens a sentence after a heading that began at ``start``."""
    for size in (6, 5, 4, 3, 2):
        head = text[start : start + size]
        han = sum(map(is_han, head))
        latin = re.fullmatch(r"[A-Za-z]{3,}", head) is not None
        if k - start > size and text.startswith(head, k) and (han >= 2 or latin):
            return 2.6, f"the next sentence repeats the heading's opening {head!r}"
    cue = _cue(text, k, SENTENCE_START_CUES)
    if cue is not None:
        return (3.0 if len(cue) > 1 else 2.2), f"sentence-start cue {cue!r}"
    if re.match(r"對[^，,。]{1,8}來說|对[^，,。]{1,8}来说", text[k : k + 12]):
        return 3.0, "sentence-start cue '對…來說'"
    prev = text[k - 1] if k else ""
    if text[k : k + 1] in ("“", "「") and prev not in "“”「」『』":
        return 2.5, "opening quote starts the next sentence"
    if text[k : k + 1].isascii() and text[k : k + 1].isupper() and is_han(prev):
        return 1.0, "a Latin name starts the next sentence"
    return 0.0, ""


_BAD_END = ("的", "和", "與", "与", "及", "在", "對", "对", "從", "从", "向", "被", "把", "為", "为",
            "於", "于", "以", "由", ":", "：", "、", "“", "「", "(", "（")  # fmt: skip
# A heading is a noun phrase: it does not open with a conjunction or a pronoun.
_BAD_START = re.compile(r"(?:雖然|虽然|但|而|並|并|因為|因为|如果|這|这|該|该|他|她|其|也|還|还)")


def _heading_prior(heading: str) -> float:
    n = len(heading)
    score = -abs(n - 14) / 14 * 0.8
    if NOT_IN_HEADING.search(heading):
        score -= 2.0
    if heading.endswith(_BAD_END):
        score -= 2.0
    if _BAD_START.match(heading):
        score -= 2.0
    if re.search(r"[()（）]", heading):
        score -= 1.5
    return score


def _heading_end(
    text: str, start: int, limit: int, *, marked: bool
) -> tuple[int, float, str] | None:
    """Best end of a heading starting at ``start`` (exclusive), with its score and reason."""
    stop = min(limit, start + 48)
    # a marked heading may hold a comma (阿里Qwen3.5開源家族擴容，多款新模型上線), never a full stop
    m = (_STOP if marked else _BREAK).search(text, start, stop)
    if m is not None:
        stop = m.start()
    best: tuple[int, float, str] | None = None
    lo = start + (4 if marked else 6)
    for k in range(lo, stop):
        cue_score, why = _start_score(text, k, start)
        if not marked and cue_score < 2.5:
            continue
        score = cue_score + _heading_prior(text[start:k])
        if best is None or score >= best[1]:  # ties: the longer heading
            best = (k, score, why or "length prior only")
    if best is None and marked and stop > start:
        return stop, -1.0, "no sentence-start cue: heading runs to the first comma"
    return best


def _paragraph_cue(text: str, s: Sentence) -> tuple[float, str]:
    cue = _cue(text, s.start, PARAGRAPH_CUES)
    if cue is not None:
        return 1.2, f"paragraph cue {cue!r}"
    cont = _cue(text, s.start, CONTINUATION_CUES)
    if cont is not None:
        return -1.0, f"continuation cue {cont!r}"
    if re.match(r"[A-Z][A-Za-z0-9.\- ]*的", text[s.start : s.start + 24]):
        return 0.6, "a new subject (Latin name + 的)"
    return 0.0, "length balance"


def _paragraphs(text: str, sents: list[Sentence]) -> list[tuple[int, int, str]]:
    """Group sentences into paragraphs: (start, end, reason for the break before it)."""
    n = len(sents)
    if n == 0:
        return []
    cues = [_paragraph_cue(text, s) for s in sents]
    best = [0.0] + [float("inf")] * n
    back = [0] * (n + 1)
    for j in range(1, n + 1):
        for i in range(max(0, j - 12), j):
            length = sents[j - 1].end - sents[i].start
            cost = ((length - PARAGRAPH_TARGET) / PARAGRAPH_TARGET) ** 2
            if i > 0:
                cost -= cues[i][0]
            if best[i] + cost < best[j]:
                best[j], back[j] = best[i] + cost, i
    cuts = []
    j = n
    while j > 0:
        cuts.append(back[j])
        j = back[j]
    cuts.reverse()
    out = []
    for idx, i in enumerate(cuts):
        end_sent = cuts[idx + 1] if idx + 1 < len(cuts) else n
        out.append((sents[i].start, sents[end_sent - 1].end, cues[i][1] if i else "section start"))
    return out


def segment_runon(text: str, *, line: int = 1, first_is_lead: bool = True) -> RunOn:
    """Recover headings, captions, paragraphs and a trailing source from one run-on line.

    Block boundaries and headings come from the trained model (:mod:`.boundary`); captions and a
    trailing source are fixed spans found first. ``first_is_lead`` is kept for callers of the
    rule-based version and no longer changes anything: the model decides whether the text opens
    with a heading.
    """
    del first_is_lead
    from .boundary import segment

    result = RunOn()
    log = result.decisions

    def note(kind: str, pos: int, snippet: str, reason: str) -> None:
        log.append(Decision(kind, line, pos + 1, snippet[:24], reason))

    # 1. markers out, remembering where headings start
    marked: list[int] = []
    parts = []
    pos = 0
    for m in _MARKER.finditer(text):
        if m.start() > 0 and text[m.start() - 1] == "#":
            continue
        parts.append(text[pos : m.start()])
        marked.append(sum(len(p) for p in parts))
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
    sents = sentences(clean)
    captions: list[tuple[int, int]] = []
    for cm in CAPTION.finditer(clean):
        start = next((s.start for s in sents if s.start <= cm.start() < s.end), cm.start())
        start = max(start, captions[-1][1] if captions else 0)
        captions.append((start, cm.end()))
        note("caption", start, clean[start : cm.end()], f"image credit {cm.group()!r} closes it")
    # 4. the model: block boundaries and headings
    seg = segment(clean, marked)
    why = {b.pos: b for b in seg.boundaries}
    spans: list[tuple[int, int, str]] = []
    for a, b, is_head in seg.blocks:
        for ca, cb in captions:  # a caption cuts the block it falls in
            if a < cb and ca < b:
                if a < ca:
                    spans.append((a, ca, "heading" if is_head else "paragraph"))
                spans.append((ca, cb, "caption"))
                a, is_head = cb, False
        if a < b:
            spans.append((a, b, "heading" if is_head else "paragraph"))
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
        bd = why.get(a)
        if bd is not None:
            feats = ", ".join(f"{f} {w:+.1f}" for f, w in bd.features) or "no feature"
            score = "marker" if bd.kind == "marker" else f"{bd.score:+.2f}"
            reason = f"boundary {score} ({bd.kind}: {feats})"
        else:
            reason = "start of the text"
        if kind == "heading":
            hs = seg.heading_scores.get(a)
            reason += "; heading" + (f" {hs:+.2f}" if hs is not None else ": after a '## ' marker")
            result.blocks.append(Heading(level=2, children=(Text(text=chunk),)))
        else:
            result.blocks.append(Paragraph(children=(Text(text=chunk),)))
        note(kind, a, chunk, reason)
    return result
