"""The one-page model the web page and e-mail writers share: the book's parts before the
wrapper (:class:`Page`), and the rewriting of start tags in the renderer's XHTML.

:mod:`.html` builds a :class:`Page` and wraps it as a web page; :mod:`.html_email` wraps the same
page with inline styles. Both import from here, neither from the other.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .._records import field
from .._records import record as dataclass  # dataclasses' classes, no exec
from .asset import Asset

__all__ = ["TAG", "Page", "rewrite_tags"]

#: a start tag as the XHTML renderer writes it: attributes always double-quoted, values escaped
TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s=<>/\"']+(?:=\"[^\"<>]*\")?)*)\s*(/?)>")
_ATTR = re.compile(r"\s+([^\s=<>/\"']+)(?:=\"([^\"<>]*)\")?")


@dataclass
class Page:
    """The book rendered for one page: masthead, contents and chapters, before the wrapper.

    ``images`` maps each embedded image's placeholder ``src`` (the renderer's asset name) to
    the asset, so the page can use ``data:`` URIs and an e-mail ``cid:`` parts.

    The chapters are kept as UTF-8 (``chapters_utf8``), as the chapter cache holds them: the web
    page is written from them as they are, where decoding 30 kept chapters and encoding the
    whole page again cost ~1.5 ms of a re-run (issue 26); :attr:`chapters` decodes them for the
    writers that work on text (the e-mail's inline styles, its plain-text part).
    """

    title: str
    lang: str
    masthead: str
    contents: str
    chapters_utf8: list[bytes]
    images: dict[str, Asset] = field(default_factory=dict)
    #: the book's author, for ``<meta name="author">``
    author: str | None = None

    @property
    def chapters(self) -> list[str]:
        """The chapters as text."""
        return [c.decode("utf-8") for c in self.chapters_utf8]


def rewrite_tags(
    body: str, change: Callable[[str, list[tuple[str, str | None]]], list[tuple[str, str | None]]]
) -> str:
    """Rewrite the attributes of every start tag in the renderer's XHTML with ``change(tag,
    attrs)``. Text never holds a ``<`` (the renderer escapes it), so matching tags is exact."""

    def fix(m: re.Match[str]) -> str:
        tag, rest, slash = m.group(1), m.group(2), m.group(3)
        attrs = [(a.group(1), a.group(2)) for a in _ATTR.finditer(rest)]
        out = "".join(f' {k}="{v}"' if v is not None else f" {k}" for k, v in change(tag, attrs))
        return f"<{tag}{out}{'/' if slash else ''}>"

    return TAG.sub(fix, body)
