"""Options as data: one frozen record per writer family, one for reading, one for the weekly job.

Like pandoc's ``ReaderOptions``/``WriterOptions``, every option a format understands is a field
of a typed record, and nothing else gets through: an option the chosen format does not have is a
:class:`~digestkit.errors.DigestkitError` naming the option and the format, never a silent no-op
(``weekly --spacing`` was once accepted and dropped on the way). The command line builds its
flags from the same fields (their ``metadata`` holds the flag and help text), so a flag can only
exist if some record reads it.

Writers declare their record as ``options_type``; ``write(doc, options)`` receives an instance.
Keyword arguments to :func:`digestkit.dump`/:func:`digestkit.dumps`/:func:`digestkit.weekly`
remain a convenience and are checked against those declarations by :func:`build`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from ._records import field, fields, replace
from ._records import record as dataclass  # dataclasses' classes, no exec
from .errors import DigestkitError

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    import dataclasses
    from typing import Any, Literal, TypeVar

    FrontMatterFormat = Literal["toml", "yaml", "json"]
    OptionsT = TypeVar("OptionsT")

__all__ = [
    "BookOptions",
    "EmlOptions",
    "EpubOptions",
    "HtmlOptions",
    "HugoOptions",
    "JsonOptions",
    "OptionError",
    "PdfOptions",
    "ReadOptions",
    "TextOptions",
    "WeeklyOptions",
    "WriterOptions",
    "build",
    "cli_fields",
    "split",
]

PAPERS = ("A5", "A4", "B5", "letter")
#: the run-on prose reader's operating points (``prose_priority``; docs/prose.md): the first is
#: the default
PROSE_PRIORITIES = ("sentences", "headings")
#: Levels the PDF's printed contents may list: chapters, or chapters and their news items.
TOC_DEPTHS = (1, 2)


class OptionError(DigestkitError):
    """An option that the chosen format (or job) does not have, or a bad option value."""


def _opt(default: Any, help: str, *, flag: str | None = None, **extra: Any) -> Any:
    """A field with its command-line flag and help text (``flag=""``: no flag, API only)."""
    meta = {"help": help, "flag": flag, **extra}
    if isinstance(default, (list, dict, set)):  # pragma: no cover - never used with mutables
        raise TypeError("mutable default")
    return field(default=default, metadata=meta)


_OPTS = dict(frozen=True, slots=True, kw_only=True)


@dataclass(**_OPTS)
class ReadOptions:
    """How documents are read and transformed on the way in (every reader, every job)."""

    encoding: str | None = _opt(
        None,
        "input encoding (default utf-8; 'auto' ranks GB18030, Big5 and UTF-16 by what they decode to)",
        metavar="E",
    )
    max_size: int | None = _opt(
        None, "largest input accepted in bytes (default 16 MiB)", metavar="BYTES"
    )
    detect_lang: bool = _opt(True, "detect lang from the text when the source has none", flag="")
    script: str | None = _opt(
        None, "convert Chinese script with an OpenCC profile (s2twp, t2s, s2hk …)",
        metavar="PROFILE",
    )  # fmt: skip
    repair_script: bool = _opt(
        False, "repair one-to-one conversion damage in Traditional text (庫剋 → 庫克) first"
    )
    punctuation: bool = _opt(False, "half-width , : ; ? ! ( ) next to Chinese become full-width")
    spacing: bool = _opt(
        False, "a space between Chinese and Latin letters or digits (implies --punctuation)"
    )
    corner_quotes: bool = _opt(False, "“” → 「」 and ‘’ → 『』 (implies --punctuation)")
    prose_priority: str = _opt(
        "sentences",
        "run-on prose: 'sentences' (default: a sentence is almost never cut in two, an unsure "
        "heading runs on to the next full stop) or 'headings' (more headings and paragraph "
        "breaks found, at 4-7 sentences cut in two per 10,000 characters on blogs and "
        "documentation, far more on digests; docs/prose.md)",
        choices=PROSE_PRIORITIES,
    )  # fmt: skip

    def __post_init__(self) -> None:
        if self.max_size is not None and self.max_size < 0:
            raise OptionError(f"max_size must be 0 or more, not {self.max_size}")
        if self.prose_priority not in PROSE_PRIORITIES:
            raise OptionError(
                f"prose_priority must be {' or '.join(PROSE_PRIORITIES)}, "
                f"not {self.prose_priority!r}"
            )

    @property
    def transforms(self) -> bool:
        """Whether any transform runs after reading."""
        return bool(
            self.script
            or self.repair_script
            or self.punctuation
            or self.spacing
            or self.corner_quotes
        )


@dataclass(**_OPTS)
class WriterOptions:
    """The options every writer takes: none. Writers without options declare this record."""


@dataclass(**_OPTS)
class TextOptions(WriterOptions):
    """Text writers (Markdown): no options today; a record so plugins can extend it."""


@dataclass(**_OPTS)
class JsonOptions(TextOptions):
    """The ``json`` writer (the AST itself)."""

    indent: int | None = _opt(2, "JSON indentation (None: one line)", flag="")


@dataclass(**_OPTS)
class HugoOptions(WriterOptions):
    """The Hugo content-tree writer."""

    front_matter: FrontMatterFormat = _opt(
        "toml", "front matter format for --to hugo", choices=("toml", "yaml", "json")
    )
    section: str = _opt("posts", "Hugo content section")
    base_dir: Path | None = _opt(
        None, "folder the page came from: its relative images are copied into the bundle "
        "(default: the input's folder)", flag="",
    )  # fmt: skip

    def __post_init__(self) -> None:
        if self.front_matter not in ("toml", "yaml", "json"):
            raise OptionError(f"front_matter must be toml, yaml or json, not {self.front_matter!r}")


@dataclass(**_OPTS)
class BookOptions(WriterOptions):
    """What every book writer (EPUB, PDF) takes."""

    allow_network: bool = _opt(False, "fetch and embed remote images (never done otherwise)")
    base_dir: Path | None = _opt(
        None, "folder that local images are resolved under (default: the input's)", flag=""
    )
    base_url: str | None = _opt(
        None, "absolute base for site-root and relative links to pages not in the book",
        metavar="URL",
    )  # fmt: skip
    fonts: tuple[str, ...] = _opt(
        (), "use this font file first (repeatable; EPUB: embedded, subset to the book's characters;"
        " a collection: FILE.ttc#N or FILE.ttc#'Face Name', else the face of the book's language)",
        flag="--font", metavar="FILE", action="append",
    )  # fmt: skip

    def __post_init__(self) -> None:
        object.__setattr__(self, "fonts", tuple(str(f) for f in self.fonts))


@dataclass(**_OPTS)
class EpubOptions(BookOptions):
    """The EPUB writer."""

    vertical: bool = _opt(
        False, "EPUB: vertical writing (vertical-rl, right-to-left pages) for Traditional text"
    )
    embed_fonts: bool = _opt(
        False,
        "EPUB: embed the Noto CJK face of each chapter's script, subset to the book's characters",
    )


@dataclass(**_OPTS)
class PdfOptions(BookOptions):
    """The PDF writer (WeasyPrint)."""

    paper: str = _opt("A5", "PDF: page size", choices=PAPERS)
    jobs: int | None = _opt(None, "lay out in N processes (default: CPU count)", flag="")
    timeout: int | None = _opt(None, "seconds the layout may take (default 900)", flag="")
    toc_depth: int = _opt(
        1, "PDF: levels on the printed contents page: 1 chapters (default), 2 every news item too"
        " (the PDF outline always has every heading)", choices=TOC_DEPTHS, metavar="N",
    )  # fmt: skip

    def __post_init__(self) -> None:
        if self.paper not in PAPERS:
            raise OptionError(f"unknown paper {self.paper!r} (choose from {', '.join(PAPERS)})")
        if self.toc_depth not in TOC_DEPTHS:
            raise OptionError(f"toc_depth must be 1 or 2, not {self.toc_depth!r}")
        BookOptions.__post_init__(self)  # zero-argument super() fails in slotted dataclasses


@dataclass(**_OPTS)
class HtmlOptions(BookOptions):
    """The ``html`` writer: one self-contained page (or its e-mail-safe variant)."""

    email: bool = _opt(
        False,
        "HTML: e-mail-safe page (inline style= attributes, 600 px wide, remote images as links"
        " unless --allow-network)",
    )

    def __post_init__(self) -> None:
        BookOptions.__post_init__(self)  # slots dataclass: no zero-argument super()
        if self.email and self.fonts:
            raise OptionError(
                "fonts cannot go with --email: mail clients load no fonts from a message"
            )


@dataclass(**_OPTS)
class EmlOptions(BookOptions):
    """The ``eml`` writer: a ready multipart/alternative message (text/plain + text/html).

    The HTML part is always the e-mail-safe page; ``allow_network`` lets it load remote
    images from their sites (the reader's mail client fetches them; digestkit never does).
    """

    mail_from: str | None = _opt(None, "EML: the message's From address", metavar="ADDR")
    mail_to: str | None = _opt(None, "EML: the message's To address(es)", metavar="ADDR")

    def __post_init__(self) -> None:
        BookOptions.__post_init__(self)  # slots dataclass: no zero-argument super()
        if self.fonts:
            raise OptionError(
                "fonts is not an option of the eml format: mail clients load no fonts from a message"
            )


@dataclass(**_OPTS)
class WeeklyOptions:
    """The weekly job itself (what to put in the book); reading and writing have their own."""

    week: str | None = _opt(None, "only this ISO week, e.g. 2026-W09", metavar="YYYY-Www")
    title: str | None = _opt(None, "the book's title")
    author: str | None = _opt(
        None, "the book's author (EPUB dc:creator, PDF and HTML metadata; default: the author "
        "or site name the digests agree on, else digestkit)", metavar="NAME",
    )  # fmt: skip
    jobs: int | None = _opt(
        None, "parse (and lay out PDF) in N processes (default: CPU count)", metavar="N"
    )
    cache: bool = _opt(True, "use the parsed-document cache", flag="")
    cache_max: str | None = _opt(
        None, "largest the cache may grow, e.g. 500M or 2G; least recently used entries go first "
        "(default $DIGESTKIT_CACHE_MAX, else 1G)", metavar="SIZE",
    )  # fmt: skip
    progress: bool | None = _opt(None, "show a progress bar (default: when on a terminal)", flag="")
    keep_going: bool = _opt(
        False, "skip files that cannot be read (listed at the end, exit status 3)"
    )

    def __post_init__(self) -> None:
        if self.jobs is not None and self.jobs < 1:
            raise OptionError(f"jobs must be 1 or more, not {self.jobs}")
        if self.week is not None:  # refused before the archive is read, not after
            from .weeks import iso_week

            iso_week(self.week)
        if self.cache_max is not None and not self.cache:
            raise OptionError("cache_max caps the cache that cache=False turns off; pass one")
        if self.cache_max is not None:  # a bad size is refused before any work is done
            from .cache import parse_size

            try:
                parse_size(self.cache_max)
            except DigestkitError as exc:
                raise OptionError(f"--cache-max: {exc}") from None


def names(cls: type[Any]) -> tuple[str, ...]:
    """The option names a record declares."""
    return tuple(f.name for f in fields(cls))


def build(
    cls: type[OptionsT], given: Mapping[str, Any], *, owner: str, base: OptionsT | None = None
) -> OptionsT:
    """``cls(**given)`` (on top of ``base``), refusing any name ``cls`` does not declare.

    ``owner`` names the format or job in the error: ``option 'paper' is not an option of the
    markdown format (it takes: none)``.
    """
    known = names(cls)
    unknown = [k for k in given if k not in known]
    if unknown:
        takes = ", ".join(known) or "none"
        raise OptionError(f"option {unknown[0]!r} is not an option of {owner} (it takes: {takes})")
    try:
        if base is not None:
            return replace(base, **given)  # type: ignore[type-var]
        return cls(**given)
    except TypeError as exc:
        raise OptionError(f"{owner}: {exc}") from None


def split(given: Mapping[str, Any], *records: tuple[type[Any], str]) -> tuple[dict[str, Any], ...]:
    """Share keyword arguments out between records by the names each declares.

    A name no record declares is an :class:`OptionError` naming the owners (e.g.
    ``the weekly job, reading, the epub format``).
    """
    out: tuple[dict[str, Any], ...] = tuple({} for _ in records)
    for key, value in given.items():
        for (cls, _), bucket in zip(records, out, strict=True):
            if key in names(cls):
                bucket[key] = value
                break
        else:
            owners = ", ".join(owner for _, owner in records)
            raise OptionError(f"option {key!r} is not an option of {owners}")
    return out


def cli_fields(classes: Iterable[type[Any]]) -> Iterable[tuple[str, dataclasses.Field[Any]]]:
    """(flag, field) for every field of ``classes`` that has a command-line flag, once each."""
    seen: set[str] = set()
    for cls in classes:
        for f in fields(cls):
            flag = f.metadata.get("flag")
            if flag == "":
                continue
            flag = flag or "--" + f.name.replace("_", "-")
            if flag in seen:
                continue
            seen.add(flag)
            yield flag, f
