"""The weekly job: an archive folder of daily digests → one book (EPUB, or PDF).

(The module is `archive`, not `weekly`, so that `digestkit.weekly` stays the function.)

Files are judged by content, not extension (archives are full of ``.txt`` Markdown): every
regular, non-hidden file under the folder that decodes as text is read with the format its
content shows. A file that cannot be read stops the run with its ``file:line:col`` — a weekly
book silently missing a day is worse than no book.

Each digest's date comes from its front matter, else from a ``YYYY-MM-DD``/``YYYYMMDD`` in its
file name, else it is *Undated* (kept, after the dated ones; left out when a week is chosen).
``week="2026-W09"`` keeps the digests of that ISO week. Digests are ordered by date, one chapter
each, their news items the second level of the table of contents. The same article appearing
twice (same text once both are in one script) is kept once, with a warning. An empty selection is
an error and writes nothing; the book is written atomically, so a failure half way leaves no
partial file and never clobbers an existing one.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .ast import Article, Document, plain_text
from .cache import DocumentCache
from .errors import DigestkitError, ParseError
from .writers.epub import Book, Chapter

__all__ = ["collect", "iso_week", "make_book", "weekly"]

_NAME_DATE = re.compile(r"(20\d{2}|19\d{2})-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])")
_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Digest:
    """One readable document of the archive: where it came from, its date, and its summary.

    The document itself is ``doc`` when it is held in memory, else it waits in the cache under
    ``key`` and :meth:`load` fetches it — so a book of thousands of digests holds one at a time.
    ``drop`` lists articles left out as duplicates.
    """

    path: Path
    doc: Document | None
    date: _dt.date | None
    summary: Summary
    key: str = ""
    drop: frozenset[int] = frozenset()

    @property
    def prints(self) -> tuple[str, ...]:
        return self.summary.prints

    def load(self) -> Document:
        """The document, without the articles left out as duplicates."""
        doc = self.doc
        if doc is None:
            from .cache import DocumentCache

            cached = DocumentCache().get(self.key) if self.key else None
            doc = cached if isinstance(cached, Document) else None
        if doc is None:  # the cache entry went away: read the file again
            from . import load

            doc = load(self.path)
        if self.drop:
            arts = [b for b in doc.blocks if isinstance(b, Article)]
            gone = {id(arts[i]) for i in self.drop if i < len(arts)}
            doc = doc.replace(blocks=tuple(b for b in doc.blocks if id(b) not in gone))
        return doc


def iso_week(spec: str) -> tuple[int, int]:
    """``"2026-W09"`` → ``(2026, 9)``; anything else is a clear error."""
    m = _WEEK.match(spec.strip())
    if not m or not 1 <= int(m.group(2)) <= 53:
        raise DigestkitError(f"week must look like 2026-W09, not {spec!r}")
    return int(m.group(1)), int(m.group(2))


def _date_from_name(path: Path) -> _dt.date | None:
    m = _NAME_DATE.search(path.name)
    if m:
        try:
            return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return None


def _files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if (
            any(part.startswith(".") for part in rel.parts)
            or not path.is_file()
            or path.is_symlink()
        ):
            continue
        yield path


@dataclass(frozen=True)
class Summary:
    """What the weekly book needs to know about a digest without holding its document."""

    prints: tuple[str, ...]
    messages: tuple[str, ...]
    title: str | None
    article_titles: tuple[str | None, ...]
    lang: str | None
    chars: int
    articles: int
    date: _dt.date | None


def summarize(doc: Document, messages: Iterable[str] = ()) -> Summary:
    """The summary of a parsed digest (computed where it was parsed)."""
    from .writers.epub import count_articles

    d = doc.meta.date
    day = d.date() if isinstance(d, _dt.datetime) else d
    arts = list(doc.articles())
    return Summary(
        prints=fingerprints(doc),
        messages=tuple(messages),
        title=doc.meta.title,
        article_titles=tuple(a.meta.title for a in arts),
        lang=doc.meta.lang,
        chars=len(plain_text(doc)),
        articles=count_articles(doc),
        date=day,
    )


_Result = tuple[str, Document | None, Summary | None, str]


def _parse_one(path: str, encoding: str | None, cache_root: str | None) -> _Result:
    """Parse one file (in a worker). With a cache, the document stays there and only the summary
    travels back; without one, the document travels back too."""
    from . import loads
    from .cache import DocumentCache
    from .textio import decode

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = Path(path).read_bytes()
        if len(data) > MAX_FILE_BYTES or b"\x00" in data[:8192]:
            return (
                path,
                None,
                Summary(
                    (),
                    (f"{path}: skipped (binary or larger than 50 MB)",),
                    None,
                    (),
                    None,
                    0,
                    0,
                    None,
                ),
                "",
            )
        try:
            text = decode(data, path=path, encoding=encoding)
        except ParseError as exc:
            return path, None, Summary((), (f"{exc} — skipped",), None, (), None, 0, 0, None), ""
        if not text.strip():
            return path, None, None, ""
        doc = loads(text, path=path)
        summary = summarize(doc, [str(w.message) for w in caught])
    if cache_root:
        cache = DocumentCache(Path(cache_root))
        key = cache.key(data, "loads", encoding)
        cache.put(key, doc)
        cache.put(key + "-summary", summary)
        return path, None, summary, key
    return path, doc, summary, ""


def fingerprints(doc: Document) -> tuple[str, ...]:
    """De-duplication fingerprints: one per article, or one for the whole document."""
    arts = list(doc.articles())
    return (
        tuple(_fingerprint(plain_text(a)) for a in arts)
        if arts
        else (_fingerprint(plain_text(doc)),)
    )


def _cached(path: str, encoding: str | None, cache: DocumentCache | None) -> _Result | None:
    if cache is None:
        return None
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    key = cache.key(data, "loads", encoding)
    summary = cache.get(key + "-summary")
    if (
        not isinstance(summary, Summary)
        or not cache.root.joinpath(key[:2], f"{key}.pickle").exists()
    ):
        return None
    return path, None, summary, key


def collect(
    root: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    jobs: int | None = None,
    executor: Executor | None = None,
    cache: bool = True,
) -> list[Digest]:
    """Every readable document under ``root`` (binary and non-text files skipped with a warning).

    Files are parsed in parallel: in ``executor`` when given (any ``concurrent.futures.Executor``,
    e.g. a Dask ``Client.get_executor()``), else in a process pool of ``jobs`` workers (default:
    the CPU count; ``jobs=1`` parses in this process). With ``cache`` (default), parsed documents
    are kept by content hash in the XDG cache folder (``$XDG_CACHE_HOME/digestkit``), looked up
    here first, so an unchanged file is never parsed twice. The result is the same whatever the
    parallelism or the cache.
    """
    from .cache import DocumentCache, cache_dir

    base = Path(root)
    if not base.is_dir():
        raise ParseError("not a folder", path=str(base))
    store = DocumentCache(cache_dir()) if cache else None
    cache_root = str(store.root) if store else None
    results: dict[str, _Result] = {}
    misses: list[str] = []
    for p in (str(x) for x in _files(base)):
        hit = _cached(p, encoding, store)
        if hit is None:
            misses.append(p)
        else:
            results[p] = hit
    workers = jobs or os.cpu_count() or 1
    enc, roots = [encoding] * len(misses), [cache_root] * len(misses)
    if executor is not None:
        parsed = list(executor.map(_parse_one, misses, enc, roots))
    elif workers > 1 and len(misses) >= 8:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=min(workers, len(misses))) as pool:
            chunk = max(1, len(misses) // (workers * 4))
            parsed = list(pool.map(_parse_one, misses, enc, roots, chunksize=chunk))
    else:
        parsed = [_parse_one(p, encoding, cache_root) for p in misses]
    results.update((r[0], r) for r in parsed)
    found = []
    for path, doc, summary, key in (results[p] for p in sorted(results)):
        if summary is None:
            continue
        for message in summary.messages:
            warnings.warn(message, stacklevel=2)
        if doc is not None or key:
            date = summary.date or _date_from_name(Path(path))
            found.append(Digest(Path(path), doc, date, summary, key))
    return found


def _fingerprint(text: str) -> str:
    from .transforms.script import convert_text

    flat = re.sub(r"\s+", "", text)
    return hashlib.sha256(convert_text(flat, "t2s").encode()).hexdigest() if flat else ""


def _dedupe(digests: list[Digest]) -> list[Digest]:
    """Leave out articles (or whole digests) whose text appeared earlier; warn for each."""
    seen: dict[str, str] = {}
    out = []
    for d in digests:
        titles = d.summary.article_titles
        if titles and len(d.prints) == len(titles):
            drop = set()
            for i, (title, fp) in enumerate(zip(titles, d.prints, strict=True)):
                if fp and fp in seen:
                    warnings.warn(f"{d.path}: article {title!r} repeats one in {seen[fp]}; left out",
                                  stacklevel=3)  # fmt: skip
                    drop.add(i)
                    continue
                seen.setdefault(fp, str(d.path))
            if len(drop) < len(titles):
                out.append(replace(d, drop=frozenset(drop)))
        else:
            fp = d.prints[0] if d.prints else ""
            if fp and fp in seen:
                warnings.warn(f"{d.path}: repeats {seen[fp]}; left out", stacklevel=3)
                continue
            seen.setdefault(fp, str(d.path))
            out.append(d)
    return out


def _title_for(d: Digest) -> str:
    if d.summary.title:
        return d.summary.title
    arts = [t for i, t in enumerate(d.summary.article_titles) if t and i not in d.drop]
    if arts:
        return arts[0] if len(arts) == 1 else f"{arts[0]} 等 {len(arts)} 篇"
    return d.path.stem


def _book_lang(langs: Iterable[tuple[str | None, int]]) -> str:
    counts: dict[str, int] = {}
    for lang, chars in langs:
        if lang and lang.startswith("zh-"):
            counts[lang] = counts.get(lang, 0) + chars
    return max(counts, key=lambda k: counts[k]) if counts else "zh-Hans"


def _loader(
    d: Digest, script: str | None, punctuation: bool, repair: bool = False
) -> Callable[[], Document]:
    def load() -> Document:
        from . import convert_script, fix_punctuation, repair_script

        doc = d.load()
        if script:
            doc = convert_script(doc, script, repair=repair)
        elif repair:
            doc = repair_script(doc)
        if punctuation:
            doc = fix_punctuation(doc)
        return doc

    return load


def make_book(
    digests: list[Digest],
    *,
    week: str | None = None,
    title: str | None = None,
    script: str | None = None,
    punctuation: bool = False,
    root: Path | None = None,
    repair_script: bool = False,
) -> Book:
    """Select, de-duplicate and order digests into a :class:`Book` whose chapters load lazily
    (converted on the way, one at a time)."""

    selected = digests
    if week:
        year, num = iso_week(week)
        undated = [d for d in digests if d.date is None]
        if undated:
            warnings.warn(f"{len(undated)} undated document(s) left out of {week}", stacklevel=2)
        selected = [d for d in digests if d.date and d.date.isocalendar()[:2] == (year, num)]
    if not selected:
        where = f" for {week}" if week else ""
        raise DigestkitError(f"no documents{where} under {root or 'the archive'}; nothing written")
    from .transforms.script import _check, _new_lang, convert_text

    if script:
        script = _check(script)
    selected = _dedupe(sorted(selected, key=_order))
    chapters = []
    for d in selected:
        lang = d.summary.lang if d.summary.lang != "zh" else None
        heading = _title_for(d)
        if script:
            lang = _new_lang(lang, script)
            heading = convert_text(heading, script)
        # everything the rendered chapter depends on: content, conversion, dropped articles,
        # and the chapter's own title and date (two copies of one file can differ in date)
        render_key = (
            f"{d.key}:{script}:{punctuation}:{sorted(d.drop)}:{heading}:{d.date}:{d.path.parent}"
            + (":repair" if repair_script else "")
            if d.key
            else None
        )
        chapters.append(Chapter(None, d.path.parent, d.date, heading, loader=_loader(d, script, punctuation, repair_script),
                                lang=lang, articles=d.summary.articles - len(d.drop),
                                render_key=render_key))  # fmt: skip
    dates = [d.date for d in selected if d.date]
    lang = _book_lang((c.lang, d.summary.chars) for c, d in zip(chapters, selected, strict=True))
    span = f"{min(dates).isoformat()} – {max(dates).isoformat()}" if dates else None
    if title is None:
        label = "每週摘要" if lang.startswith("zh-Hant") else "每周摘要"
        title = f"{label} {week}" if week else label
    return Book(title=title, lang=lang, chapters=chapters, subtitle=span)


def _order(d: Digest) -> tuple[int, _dt.date, str]:
    return (d.date is None, d.date or _dt.date.min, str(d.path))


def _progress(enabled: bool) -> AbstractContextManager[Any]:
    if not enabled:
        return nullcontext()
    from rich.progress import Progress

    return Progress(transient=True)


def weekly(
    archive: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    week: str | None = None,
    title: str | None = None,
    script: str | None = None,
    punctuation: bool = False,
    allow_network: bool = False,
    vertical: bool = False,
    format: str | None = None,
    progress: bool | None = None,
    encoding: str | None = None,
    jobs: int | None = None,
    executor: Executor | None = None,
    cache: bool = True,
    paper: str = "A5",
    fonts: tuple[str, ...] | list[str] = (),
    timeout: int | None = None,
    repair_script: bool = False,
) -> Path:
    """Build the weekly book from ``archive`` into ``output`` (EPUB, or PDF by extension).

    ``jobs`` also sets how many processes lay out a PDF; ``timeout`` limits the PDF layout
    (seconds, default 900).
    """
    from .textio import atomic_write

    out = Path(output)
    fmt = format or ("pdf" if out.suffix.lower() == ".pdf" else "epub")
    show = sys.stdout.isatty() if progress is None else progress
    with _progress(show) as bar:
        task = bar.add_task("reading digests", total=None) if bar else None
        digests = collect(archive, encoding=encoding, jobs=jobs, executor=executor, cache=cache)
        if bar:
            bar.update(task, description=f"laying out {len(digests)} digests")
        book = make_book(digests, week=week, title=title, script=script,
                         punctuation=punctuation, root=Path(archive),
                         repair_script=repair_script)  # fmt: skip
        if bar:
            bar.update(task, description=f"writing {out.name}")
        with atomic_write(out) as fh:
            if fmt == "pdf":
                from .writers.pdf import DEFAULT_TIMEOUT, build_pdf

                fh.write(
                    build_pdf(
                        book,
                        allow_network=allow_network,
                        paper=paper,
                        fonts=fonts,
                        jobs=jobs,
                        timeout=timeout or DEFAULT_TIMEOUT,
                    )
                )
            else:
                from .writers.epub import write_epub

                write_epub(book, fh, allow_network=allow_network, vertical=vertical)
    return out
