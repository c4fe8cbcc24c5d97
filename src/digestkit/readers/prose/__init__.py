"""Reader ``prose``: structure from plain and run-on Chinese prose (and any other plain text).

pandoc and calibre only re-wrap lines; this reader finds what the text means:

- ``#tag`` lines → tags; a newsletter blurb with a subscribe link → ``Meta.extra["newsletter"]``;
- articles: a short title line followed by a run-on body line, a run-on body on its own, or a
  title followed by line-structured text; several articles become ``Article`` blocks, one becomes
  the document itself;
- titles: a column after ``|`` (the shorter side) → ``ArticleMeta.column``, a ``【…】`` prefix → a tag;
- bodies: :mod:`.runon` for run-on lines (headings glued in, captions, trailing source, paragraph
  boundaries), :mod:`.lines` for line-structured text (headings, lists, quotes);
- ``本文作者…`` → ``author``; a file holding the same article twice keeps the better-structured
  copy and says so in a warning.

Every decision is logged; :func:`explain` returns the log (``digestkit inspect --explain``).
Nothing is lost: every character of the input except whitespace and consumed markers (``## ``,
``#`` of tags, ``|``, ``【】``, ``**``, the parentheses of a source) is somewhere in the AST.
"""

from __future__ import annotations

import datetime as _dt
import heapq
import re
import warnings
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from ...ast import Article, ArticleMeta, Block, Document, Meta, plain_text
from .lines import structure_lines
from .runon import MARKER, Decision, segment_runon
from .text import AUTHOR, BLURB, HASHTAGS, TRAILING_SOURCE, URL, sentences

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from ...options import ReadOptions

__all__ = ["READER", "Decision", "ProseReader", "explain"]

RUNON_MIN = 1000  # characters: a line this long is a whole article body, not a paragraph
_BRACKET_TAG = re.compile(r"^【([^】]{1,20})】\s*")


@dataclass
class _Article:
    title_line: tuple[int, str] | None
    body: list[tuple[int, str]]
    runon: bool
    meta: ArticleMeta = field(default_factory=ArticleMeta)
    blocks: list[Block] = field(default_factory=list)
    date: _dt.date | None = None


def _is_runon(line: str) -> bool:
    # a marker glued to the text before it: headings run into the body (``…設施。## 策略性…``)
    return len(line) >= RUNON_MIN or any(
        m.start() > 0 and not line[m.start() - 1].isspace() for m in MARKER.finditer(line)
    )


def _glued(line: str) -> bool:
    """A body line that holds several sentences: in a file of one or two lines it is a run-on
    body even when shorter than :data:`RUNON_MIN` (a short article glued into one line)."""
    return len(line) >= 80 and len(sentences(line, limit=2)) >= 2


def _title_like(line: str) -> bool:
    return len(line) <= 100 and not line.endswith(("。", "；", ";", "：", ":"))


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def _as_date(text: str) -> _dt.date | None:
    """A date when ``text`` is nothing but one (``2026-02-28``, ``2026年2月28日``, ``2026/2/28``)."""
    m = _DATE.fullmatch(text.strip())
    if not m:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _parse_title(line: str) -> tuple[str, str | None, tuple[str, ...], _dt.date | None]:
    """(title, column, tags, date) from a title line such as ``【WWDC2025】矽谷觀察 | 蘋果…``.

    A digest's title line ``AI 技術深度日報｜2026-02-28`` names the digest and its date: the date
    is the date, never the title (nor the name a column).
    """
    parts = [p.strip() for p in re.split(r"\s*[|｜]\s*", line) if p.strip()]
    column = None
    date = None
    dated = [k for k, p in enumerate(parts) if _as_date(p)]
    if len(parts) >= 2 and len(dated) == 1:
        date = _as_date(parts.pop(dated[0]))
        line = " | ".join(parts)
    if len(parts) == 2:
        a, b = parts
        column, title = (a, b) if len(a) < len(b) else (b, a)
    else:
        title = line.strip()
    tags: tuple[str, ...] = ()
    for which in ("column", "title"):
        value = column if which == "column" else title
        if value and (m := _BRACKET_TAG.match(value)):
            tags += (m.group(1),)
            value = value[m.end() :] or None
            if which == "column":
                column = value
            else:
                title = value or title
    return title, column, tags, date


class _Log:
    def __init__(self) -> None:
        self.decisions: list[Decision] = []

    def __call__(self, kind: str, line: int, text: str, reason: str) -> None:
        self.decisions.append(Decision(kind, line, 1, text[:24], reason))


def _split_articles(lines: list[tuple[int, str]], log: _Log) -> list[_Article]:
    articles: list[_Article] = []
    i, n = 0, len(lines)
    while i < n:
        no, line = lines[i]
        if _is_runon(line):
            articles.append(_Article(None, [lines[i]], True))
            log("article", no, line, "a run-on line with no title line before it")
            i += 1
        elif i + 1 < n and _is_runon(lines[i + 1][1]) and _title_like(line):
            articles.append(_Article(lines[i], [lines[i + 1]], True))
            log("article", no, line, "title line followed by a run-on body line")
            i += 2
        else:
            title = lines[i] if _title_like(line) and i + 1 < n else None
            j = i + 1 if title else i
            body_start = j
            while j < n:
                if _is_runon(lines[j][1]):
                    break
                if j + 1 < n and _is_runon(lines[j + 1][1]) and _title_like(lines[j][1]):
                    break
                j += 1
            articles.append(_Article(title, lines[body_start:j], False))
            log(
                "article",
                no,
                line,
                "line-structured text" + (" under a title line" if title else ""),
            )
            i = max(j, i + 1)
    return articles


def _normalised(text: str) -> str:
    return re.sub(r"[\s#*,，。:：;；!！?？、()（）“”「」'\"|｜-]", "", text)


def _grams(s: str) -> set[str]:
    return {s[k : k + 4] for k in range(max(1, len(s) - 3))}


def _similar(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    ga, gb = _grams(a), _grams(b)
    return len(ga & gb) / len(ga | gb)


def _structure_score(art: _Article) -> tuple[int, int, int]:
    return (int(art.title_line is not None), int(not art.runon), len(art.blocks))


def _first_line(art: _Article) -> int:
    """The line an article starts on: its title line when it has one (the body comes after)."""
    return art.title_line[0] if art.title_line else art.body[0][0]


_SAME = 0.85  # Jaccard similarity of 4-gram sets above which two articles are one article twice


def _pairs_to_check(
    i: int, index: dict[str, list[int]], prefixes: list[list[str]]
) -> Iterator[int]:
    """The later articles that may be a copy of article ``i``, in ascending order, each once.

    Prefix filtering (the set-similarity-join rule): with every gram set ordered the same way
    (rarest grams first), two sets whose Jaccard similarity is at least ``_SAME`` share one of the
    first ``n - floor(_SAME * n) + 1`` grams of each. Only articles sharing such a gram with
    ``i`` are looked at, so a file of many different articles is read in linear time instead of
    comparing every pair; the decisions are exactly those of comparing every pair in order.
    """
    streams = []
    for g in prefixes[i]:
        lst = index[g]
        streams.append(lst[bisect_right(lst, i) :])
    last = -1
    for j in heapq.merge(*streams):
        if j != last:
            last = j
            yield j


def _dedupe(articles: list[_Article], path: str | None, log: _Log) -> list[_Article]:
    if len(articles) < 2:  # nothing to compare (a tenth of the reader's time on one article)
        return articles
    texts = [_normalised("".join(t for _, t in a.body)) for a in articles]
    grams = [_grams(t) if t else set[str]() for t in texts]
    freq = Counter(g for gs in grams for g in gs)
    prefixes = []
    index: dict[str, list[int]] = {}
    for k, gs in enumerate(grams):
        ordered = sorted(gs, key=lambda g: (freq[g], g))
        prefix = ordered[: len(ordered) - int(_SAME * len(ordered)) + 1] if ordered else []
        prefixes.append(prefix)
        for g in prefix:
            index.setdefault(g, []).append(k)
    dropped: set[int] = set()
    for i in range(len(articles)):
        if i in dropped:
            continue
        for j in _pairs_to_check(i, index, prefixes):
            if i in dropped:
                break
            if j in dropped:
                continue
            if _similar(texts[i], texts[j]) >= _SAME:
                keep, drop = (
                    (i, j)
                    if _structure_score(articles[i]) > _structure_score(articles[j])
                    else (j, i)
                )
                dropped.add(drop)
                where, kept = _first_line(articles[drop]), _first_line(articles[keep])
                log("duplicate", where, articles[drop].body[0][1],
                    f"same text as the article on line {kept}; kept that better-structured copy")  # fmt: skip
                warnings.warn(
                    f"{path or '<string>'}:{where}: this article is a copy of the one on line "
                    f"{kept}; kept the better-structured copy",
                    stacklevel=4,
                )
    return [a for k, a in enumerate(articles) if k not in dropped]


def _build(art: _Article, log: _Log, explain: bool = True, priority: str = "sentences") -> None:
    title = column = None
    tags: tuple[str, ...] = ()
    if art.title_line:
        title, column, tags, art.date = _parse_title(art.title_line[1])
        log("title", art.title_line[0], art.title_line[1],
            "short line before the body" + (f"; column {column!r}" if column else "")
            + (f"; date {art.date.isoformat()}" if art.date else ""))  # fmt: skip
    source = None
    if art.runon:
        no, line = art.body[0]
        result = segment_runon(line, line=no, explain=explain, priority=priority)
        log.decisions.extend(result.decisions)
        art.blocks = result.blocks
        source = result.source
    else:
        body = list(art.body)
        if body and (m := TRAILING_SOURCE.fullmatch(body[-1][1])):
            source = m.group(1)
            log("source", body[-1][0], body[-1][1], "a last line that is a name in parentheses")
            body.pop()
        art.blocks = structure_lines(body, log)
    text = "\n".join(plain_text(b) for b in art.blocks)
    author = m.group(1) if (m := AUTHOR.search(text)) else None
    if author:
        log(
            "author",
            art.body[0][0],
            author,
            "named in a '本文作者' line (the line stays in the text)",
        )
    art.meta = ArticleMeta(title=title, source=source, author=author, tags=tags, column=column)


def _parse(
    text: str, path: str | None, explain: bool = True, priority: str = "sentences"
) -> tuple[Document, list[Decision]]:
    """The document and, with ``explain``, every decision (without, the run-on bodies' decisions
    are not written: the document is the same, and reading never shows them). ``priority``: the
    run-on decoder's operating point (``ReadOptions.prose_priority``)."""
    log = _Log()
    if (
        "\x00" in text
    ):  # a NUL is never text: U+FFFD, as CommonMark (and so the markdown reader) has it
        text = text.replace("\x00", "\ufffd")
    lines = [(k + 1, raw.strip()) for k, raw in enumerate(text.split("\n")) if raw.strip()]
    tags: list[str] = []
    extra: dict[str, str] = {}
    while lines and HASHTAGS.match(lines[0][1]):
        tags += [t for t in lines[0][1].replace("#", " ").split() if t]
        log("tags", lines[0][0], lines[0][1], "a line of #hashtags (tags, not a heading)")
        lines.pop(0)
    if lines and BLURB.search(lines[0][1]) and URL.search(lines[0][1]) and len(lines) > 1:
        extra["newsletter"] = lines[0][1]
        log(
            "newsletter",
            lines[0][0],
            lines[0][1],
            "subscribe blurb with a link: front matter, not body",
        )
        lines.pop(0)
    if len(lines) == 1 and _glued(lines[0][1]):
        articles = [_Article(None, [lines[0]], True)]
        log("article", lines[0][0], lines[0][1], "a single line of several sentences: run-on")
    elif len(lines) == 2 and _title_like(lines[0][1]) and _glued(lines[1][1]):
        articles = [_Article(lines[0], [lines[1]], True)]
        log("article", lines[0][0], lines[0][1], "a title line and one line of several sentences")
    else:
        articles = _split_articles(lines, log)
    articles = _dedupe(articles, path, log)
    for art in articles:
        _build(art, log, explain, priority)
    if len(articles) == 1:
        a = articles[0]
        blocks: tuple[Block, ...] = tuple(a.blocks)
        if a.meta.column:
            extra["column"] = a.meta.column
        meta = Meta(title=a.meta.title, date=a.date, tags=(*tags, *a.meta.tags),
                    source=a.meta.source, author=a.meta.author, extra=extra)  # fmt: skip
    else:
        blocks = tuple(Article(meta=a.meta, blocks=tuple(a.blocks)) for a in articles)
        # ArticleMeta has no date: the document takes the date when its articles agree on one
        dates = {a.date for a in articles if a.date}
        meta = Meta(tags=tuple(tags), extra=extra, date=dates.pop() if len(dates) == 1 else None)
    return Document(meta=meta, blocks=blocks), log.decisions


def explain(text: str, path: str | None = None, priority: str = "sentences") -> list[Decision]:
    """Every structural decision the prose reader makes on ``text``, in order, with reasons
    (``priority``: the operating point, as ``ReadOptions.prose_priority``)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _parse(text, path, priority=priority)[1]


class ProseReader:
    """Plain or run-on prose: articles, headings, captions, lists and quotes recovered."""

    name = "prose"
    description = "plain or run-on prose (Chinese-aware structure recovery)"
    extensions = (".txt", ".text")

    def sniff(self, text: str, path: str | None) -> float:
        """Always a candidate, never a confident one: prose is what is left."""
        return 0.3 if path and path.lower().endswith(self.extensions) else 0.2

    #: ``read`` takes the reading options (:func:`digestkit.loads` passes them to a reader that
    #: says so): ``prose_priority`` picks the run-on decoder's operating point
    takes_options = True

    def read(
        self, text: str, *, path: str | None = None, options: ReadOptions | None = None
    ) -> Document:
        """Recover the structure of ``text``."""
        priority = options.prose_priority if options is not None else "sentences"
        return _parse(text, path, explain=False, priority=priority)[0]


READER = ProseReader()
