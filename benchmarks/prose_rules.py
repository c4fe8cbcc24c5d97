"""Today's (issue-13-era) hand-tuned rules, kept only as a baseline for benchmarks/prose_segmentation.py.

Structure recovery inside one run-on line: a whole article body with nothing but sentences.

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

from digestkit.ast import Block, Caption, Heading, Paragraph, Text
from digestkit.readers.prose.text import (
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
    """Recover headings, captions, paragraphs and a trailing source from one run-on line."""
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
    clean = "".join(parts).strip()
    # 2. trailing source
    src = TRAILING_SOURCE.search(clean)
    if src and len(clean) > 80:
        result.source = src.group(1).strip()
        note(
            "source", src.start(), src.group(), "parenthesised name at the very end of the article"
        )
        clean = clean[: src.start()].rstrip()
    # 3. captions split the text into segments
    sents = sentences(clean)
    captions: list[tuple[int, int]] = []
    for cm in CAPTION.finditer(clean):
        start = next((s.start for s in sents if s.start <= cm.start() < s.end), cm.start())
        start = max(start, captions[-1][1] if captions else 0)
        captions.append((start, cm.end()))
        note("caption", start, clean[start : cm.end()], f"image credit {cm.group()!r} closes it")
    # 4. headings: marked ones, then unmarked ones at sentence starts
    headings: list[tuple[int, int]] = []
    bounds = sorted({0, len(clean), *marked, *(b for c in captions for b in c)})
    for start in marked:
        limit = min((b for b in bounds if b > start), default=len(clean))
        found = _heading_end(clean, start, limit, marked=True)
        if found:
            end, score, why = found
            headings.append((start, end))
            note(
                "heading",
                start,
                clean[start:end],
                f"after a '## ' marker; ends before: {why} ({score:.1f})",
            )
    starts = sorted({s.start for s in sentences(clean)} | {c[1] for c in captions})
    for s in starts:
        covered = any(a <= s < b for a, b in captions) or any(a <= s < b for a, b in headings)
        if (first_is_lead and s == 0) or covered:
            continue
        limit = min((b for b in bounds if b > s), default=len(clean))
        found = _heading_end(clean, s, limit, marked=False)
        if found and found[1] >= 2.0:
            end, score, why = found
            headings.append((s, end))
            note(
                "heading",
                s,
                clean[s:end],
                f"glued at a sentence start; ends before: {why} ({score:.1f})",
            )
    # 5. assemble: captions and headings are fixed spans; the rest is paragraphs
    fixed = sorted(
        [(a, b, "caption") for a, b in captions] + [(a, b, "heading") for a, b in headings]
    )
    pos = 0
    for a, b, kind in [*fixed, (len(clean), len(clean), "end")]:
        if a > pos and clean[pos:a].strip():
            for p_start, p_end, why in _paragraphs(clean, sentences(clean, pos, a)):
                chunk = clean[p_start:p_end].strip()
                if chunk:
                    result.blocks.append(Paragraph(children=(Text(text=chunk),)))
                    if p_start != pos:
                        note("paragraph", p_start, chunk, f"break: {why}")
        if kind == "caption":
            result.blocks.append(Caption(children=(Text(text=clean[a:b].strip()),)))
        elif kind == "heading":
            result.blocks.append(Heading(level=2, children=(Text(text=clean[a:b].strip()),)))
        pos = max(pos, b)
    return result
