"""Links that resolve: Hugo's heading ids, and where a link written in a source file points in a book.

Neutral ground for the XHTML renderer (EPUB, PDF) and the weekly book: nothing here knows a
writer. The AST keeps every URL as its author wrote it; this module decides, at output time,

- :func:`heading_id` — the id Hugo (goldmark, ``autoHeadingIDType = "github"``) gives a heading,
  so ``[見上](#中文標題)`` written for a Hugo site finds its heading in the book too;
- :func:`resolve` — what an ``href`` becomes: a link to another document of the same book (its
  chapter file and anchor), an absolute URL on the site's ``base_url``, or nothing (the caller
  keeps the text and warns);
- :func:`encode_href` — the percent-encoded form that epubcheck accepts (spaces, non-ASCII).

Rules checked against the real ``hugo`` binary (0.111): letters and digits of every script are
kept and lower-cased, ASCII white space and ``-`` become ``-``, ``_`` stays, everything else
(punctuation, U+3000) goes; an empty id is ``heading``; repeats get ``-1``, ``-2`` ….
"""

from __future__ import annotations

import posixpath
import re
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping

from ._records import field
from ._records import record as dataclass  # dataclasses' classes, no exec

__all__ = [
    "KNOWN_SCHEMES",
    "BookLinks",
    "Target",
    "UniqueIds",
    "WrittenIds",
    "encode_href",
    "heading_id",
    "is_external",
    "resolve",
    "shortcode_target",
    "unique_heading_id",
    "xml_id",
]

_ASCII_SPACE = frozenset(" \t\n\r\f\v")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
#: Schemes a reading system knows (epubcheck warns about others, HTM-025): the rest stay text.
KNOWN_SCHEMES = frozenset({"http", "https", "mailto", "ftp", "tel", "sms", "news", "irc"})


def heading_id(text: str) -> str:
    """Hugo's automatic heading id for a heading whose plain text is ``text`` (no de-duplication)."""
    out = []
    for ch in text.strip("".join(_ASCII_SPACE)):
        if ch == "-" or ch in _ASCII_SPACE:
            out.append("-")
        elif ch == "_" or ch.isalpha() or ch.isnumeric():
            out.append(ch.lower())
    return "".join(out) or "heading"


class UniqueIds:
    """Ids in use, handing out new ones as ``x``, ``x-1``, ``x-2`` … in linear time.

    Searching from ``x-1`` on every repeat made 16,000 identical ``## 標題`` headings cost
    n²/2 set lookups (18.8 s for an EPUB, issue 25). Each base remembers the last suffix it
    reached instead: ids are only ever added, so every suffix below it is still taken, and the
    id handed out is the one a search from the start would find.
    """

    __slots__ = ("_last", "_taken")

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._taken: set[str] = set(taken)
        self._last: dict[str, int] = {}

    def __contains__(self, anchor: object) -> bool:
        return anchor in self._taken

    def __len__(self) -> int:
        return len(self._taken)

    def add(self, anchor: str) -> None:
        self._taken.add(anchor)

    def update(self, anchors: Iterable[str]) -> None:
        self._taken.update(anchors)

    def claim(self, base: str, first: int = 1) -> str:
        """``base`` if free, else ``base-first``, ``base-(first+1)`` … the first free one."""
        n = self._last.get(base, first - 1)
        anchor = base if n < first else f"{base}-{n}"
        while anchor in self._taken:
            n = max(n + 1, first)
            anchor = f"{base}-{n}"
        self._last[base] = n
        self._taken.add(anchor)
        return anchor


def unique_heading_id(text: str, taken: set[str] | UniqueIds) -> str:
    """:func:`heading_id`, de-duplicated as Hugo does (``x``, ``x-1``, ``x-2`` …); adds to ``taken``
    (a :class:`UniqueIds` in linear time; a plain set is searched from ``x-1`` every time)."""
    base = heading_id(text)
    if isinstance(taken, UniqueIds):
        return taken.claim(base)
    anchor, n = base, 0
    while anchor in taken:
        n += 1
        anchor = f"{base}-{n}"
    taken.add(anchor)
    return anchor


def xml_id(anchor: str) -> str:
    """``anchor`` made a valid XML id (EPUB content documents are XML): ``h-`` before a digit."""
    return anchor if anchor[:1].isalpha() or anchor[:1] == "_" else "h-" + anchor


def encode_href(url: str) -> str:
    """Percent-encode what a URL may not hold raw (spaces, non-ASCII, ``"<>\\^`{|}``).

    Existing ``%XX`` escapes and URL syntax characters are left alone, so encoding twice changes
    nothing; a ``%`` not followed by two hex digits becomes ``%25``; ``[``/``]`` are encoded
    (epubcheck refuses them in a path, as in ``github.com/dependabot[bot]``). The AST keeps the URL as written; only output is encoded.
    """
    url = _STRAY_PERCENT.sub("%25", url)
    return urllib.parse.quote(url, safe="!#$%&'()*+,/:;=?@~-._")


def is_external(url: str) -> bool:
    """A URL with a scheme (``https:``, ``mailto:``) or protocol-relative (``//host``)."""
    return bool(_SCHEME.match(url)) or url.startswith("//")


@dataclass(frozen=True, slots=True)
class Target:
    """Where one source document landed in the book: its chapter file and its anchors.

    ``anchors`` maps an anchor as the source's links name it (Hugo's heading id) to the id
    written in the chapter; missing entries are taken as written.
    """

    chapter: str
    anchors: Mapping[str, str] = field(default_factory=dict)


class WrittenIds(Mapping[str, str]):
    """``Target.anchors`` for a chapter not rendered yet: each Hugo heading id → the id the
    XHTML renderer writes for it (:func:`xml_id`), without knowing the headings.

    Exact unless two headings' ids collide only after :func:`xml_id` (``h-1`` and ``1``), or a
    heading is named ``chapter-title``; rendering every chapter first to learn its ids would cost
    a second pass over the book.
    """

    def __getitem__(self, key: str) -> str:
        return xml_id(key)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WrittenIds)

    def __hash__(self) -> int:
        return hash(WrittenIds)


@dataclass(frozen=True, slots=True)
class BookLinks:
    """What :func:`resolve` needs: the book's documents by source path, and the site's base URL.

    ``documents`` keys are source paths relative to the archive (or Hugo ``content/``) root,
    POSIX style (``posts/2749.md``, ``posts/a/index.md``); site-root URL paths
    (``zh/docs/x``) may be added as extra keys for the same target.
    """

    documents: Mapping[str, Target] = field(default_factory=dict)
    base_url: str | None = None


def shortcode_target(url: str) -> str | None:
    """The path a ``{{< ref "x" >}}``/``{{< relref "x" >}}`` link destination names, or None."""
    from .shortcodes import parse_tag

    tag = parse_tag(url)
    if tag is None or tag.name not in ("ref", "relref"):
        return None
    named = dict(tag.params)
    positional = [v for k, v in tag.params if not k]
    return named.get("path") or (positional[0] if positional else None)


def _lookup(path: str, links: BookLinks) -> Target | None:
    path = path.strip("/")
    for candidate in (path, f"{path}.md", f"{path}/index.md", f"{path}/_index.md"):
        if candidate in links.documents:
            return links.documents[candidate]
    # Hugo's ref also finds a page by its file name alone when that is unique.
    if "/" not in path:
        hits = [
            t for k, t in links.documents.items() if posixpath.basename(k) in (path, f"{path}.md")
        ]
        if len(hits) == 1:
            return hits[0]
    return None


def resolve(
    url: str, *, source: str | None, links: BookLinks, page_url: str | None = None
) -> str | None:
    """The ``href`` to write for ``url`` found in document ``source``, or None for plain text.

    - ``ref``/``relref`` shortcodes and relative or site-root paths naming a document of the
      book → ``chapter.xhtml#anchor``;
    - other relative and site-root paths → absolute on the page's own address ``page_url``
      (a saved web page's ``<base href>``/canonical/``og:url``, as a browser resolves them),
      else on ``base_url`` (relative ones from the source's folder, which is where Hugo serves
      a page bundle's files), else None;
    - external URLs and in-page ``#fragments`` are returned encoded, unchanged otherwise.
    """
    target_path = shortcode_target(url)
    if target_path is None and url.startswith(("{{<", "{{%")):
        return None
    raw = target_path if target_path is not None else url
    if target_path is None and (is_external(raw) or raw.startswith("#")):
        scheme = raw.split(":", 1)[0].lower() if _SCHEME.match(raw) else "https"
        return encode_href(raw) if scheme in KNOWN_SCHEMES else None
    path, _, fragment = raw.partition("#")
    path = path.split("?")[0]
    here = posixpath.dirname(source or "")
    joined = path if path.startswith("/") else posixpath.normpath(posixpath.join(here, path))
    target = _lookup(joined, links) or _lookup(path, links)
    if target is not None:
        anchor = target.anchors.get(fragment, fragment) if fragment else ""
        return encode_href(target.chapter + (f"#{anchor}" if anchor else ""))
    if page_url and target_path is None:
        return encode_href(urllib.parse.urljoin(page_url, raw))
    if links.base_url and target_path is None:
        base = links.base_url if links.base_url.endswith("/") else links.base_url + "/"
        relative = raw.lstrip("/") if raw.startswith("/") else posixpath.join(here, raw)
        return encode_href(urllib.parse.urljoin(base, relative))
    return None
