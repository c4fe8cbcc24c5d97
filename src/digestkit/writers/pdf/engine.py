"""The one place digestkit touches WeasyPrint: lay out HTML, get PDF bytes and positions back.

Everything WeasyPrint-specific is here, behind :func:`layout`, so a new WeasyPrint release is
met in one small module, against the range ``pyproject.toml`` pins (the versions the tests ran
on). What it uses is public API only:

- ``weasyprint.HTML(string=…, url_fetcher=…, base_url=…).render()`` and
  ``Document.write_pdf()``;
- ``Page.width`` / ``height``, ``Page.anchors`` (an anchor's box, ``(x1, y1, x2, y2)`` since
  WeasyPrint 53) and ``Page.bookmarks``;
- a URL fetcher built on ``weasyprint.urls.URLFetcher`` (WeasyPrint 70 accepts no other: its
  ``fetch`` reads the fetcher's ``fail_on_errors`` and wants a ``URLFetcherResponse`` back —
  the plain callable digestkit had crashed every PDF with an image or a user font);
- the ``weasyprint`` logger, whose messages (an unknown CSS property, an image it could not
  load) are passed on at DEBUG: they are about digestkit's own HTML and CSS, not the user's
  input, and the user is already warned about what matters (a refused image) by the renderer.

No private attribute is read: where the page numbers of the contents go is computed from the
anchor box of their place and the font's metrics when the parts are joined (``join``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from ..._records import record as dataclass  # dataclasses' classes, no exec
from ...errors import DigestkitError, MissingDependencyError
from ..xhtml import Asset
from .constants import ASSET_SCHEME, PX_TO_PT
from .deferred import fonttools_deferred

__all__ = ["Laid", "engine_version", "layout", "require_engine"]

_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Laid:
    """One laid-out HTML document (positions in PDF points, origin bottom-left)."""

    pdf: bytes
    pages: int
    #: anchor name → (page index, x1, y1, x2, y2): the anchored element's box, in document order
    anchors: dict[str, tuple[int, float, float, float, float]]
    #: (level, label, page index, x, y), in document order
    bookmarks: list[tuple[int, str, int, float, float]]


def require_engine() -> str:
    """WeasyPrint's version; a clear error naming what to install when it cannot be loaded."""
    try:
        with _quiet_engine():
            engine = _import_engine()  # its first import parses the user-agent stylesheets
    except (ImportError, OSError) as exc:
        raise MissingDependencyError(
            "PDF output needs WeasyPrint and Pango: pip install weasyprint; "
            "apt-get install libpango-1.0-0 libpangoft2-1.0-0"
        ) from exc
    return str(engine.__version__)


def engine_version() -> str:
    """WeasyPrint's version without importing it, when its ``__init__.py`` says it plainly.

    The version is part of every stored layout's key, and a re-run that lays nothing out (a
    digest removed, nothing changed) needs WeasyPrint for nothing else: importing it costs
    ~0.3 s of CPU (its C declarations parsed, its stylesheets read, fontTools' subsetter),
    a third of such a re-run. The line read is WeasyPrint's own ``VERSION = __version__ =
    '70.0'``; any other shape (or WeasyPrint already imported) asks the module itself, so a
    release that writes it differently costs time, never a wrong key. Not installed: the
    error :func:`require_engine` gives.
    """
    import sys

    loaded = sys.modules.get("weasyprint")
    if loaded is None:
        from importlib.util import find_spec

        try:
            spec = find_spec("weasyprint")
        except (ImportError, ValueError):
            spec = None
        if spec is None or not spec.origin:
            return require_engine()  # raises the missing-dependency error, or imports it
        try:
            with open(spec.origin, encoding="utf-8") as fh:  # noqa: PTH123 - one small file
                head = fh.read(4096)
        except (OSError, UnicodeDecodeError):
            head = ""
        found = _VERSION_LINE.search(head)
        if found:
            return found.group(1)
    return require_engine()


#: WeasyPrint's version line (``weasyprint/__init__.py``, releases 53 to 70 at least)
_VERSION_LINE = re.compile(r"^VERSION = __version__ = '([0-9][0-9A-Za-z.+-]*)'$", re.MULTILINE)


def _import_engine() -> Any:
    """``import weasyprint`` without its library search by subprocess, on Linux.

    WeasyPrint opens each C library (GObject, Pango, HarfBuzz, fontconfig …) by trying several
    names, the platform's file name (``libpango-1.0.so.0``) last; for every name before it,
    cffi asks ``ctypes.util.find_library``, which on Linux runs ``ldconfig``, ``gcc`` and ``ld``
    as subprocesses — 22 searches, ~0.2 s of CPU, each run (a tenth of a warm weekly PDF
    re-run). With the search answering "not found", the loader opens the file names directly.
    Where that fails (a system whose libraries only the search finds), the import is undone
    and done again the usual way; WeasyPrint's message for the failed attempt is swallowed.
    The search is replaced only for the import's duration (no thread of digestkit's is
    looking for a library then).
    """
    import sys

    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        import weasyprint

        return weasyprint
    import ctypes.util
    import io
    from contextlib import redirect_stdout

    real = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        with redirect_stdout(io.StringIO()), fonttools_deferred():
            import weasyprint
        return weasyprint
    except OSError:
        for name in [m for m in sys.modules if m.split(".")[0] == "weasyprint"]:
            del sys.modules[name]
    finally:
        ctypes.util.find_library = real
    with fonttools_deferred():
        import weasyprint  # the usual way

    return weasyprint


def _fetcher(assets: Mapping[str, Asset]) -> Any:
    """A WeasyPrint URL fetcher that serves ``data:`` URLs and the collected assets only.

    Remote images were already fetched by the renderer when the user allowed it (and turned into
    links when not), so WeasyPrint itself never touches the network or the file system.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Fetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint is untyped
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith(ASSET_SCHEME):
                asset = assets.get(url.removeprefix(ASSET_SCHEME))
                if asset is not None:
                    return URLFetcherResponse(url, asset.read())
            raise ValueError(f"digestkit does not fetch {url!r}")

    # http/https/file/ftp are never opened: allow only data: in the base class too
    return Fetcher(allowed_protocols=("data",), allow_redirects=False, timeout=1)


class _ToDebug(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        _LOG.debug("weasyprint: %s", record.getMessage())


@contextmanager
def _quiet_engine() -> Iterator[None]:
    """WeasyPrint's log records go to digestkit's logger at DEBUG, not to the user's console."""
    logger = logging.getLogger("weasyprint")
    handler = _ToDebug(logging.DEBUG)
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def layout(html: str, assets: Mapping[str, Asset]) -> Laid:
    """Lay out ``html`` (with ``assets`` as its only resources) and write it as PDF."""
    with _quiet_engine():
        weasyprint = _import_engine()
        doc = weasyprint.HTML(
            string=html, url_fetcher=_fetcher(assets), base_url="about:blank"
        ).render()
        pdf = doc.write_pdf()
    if pdf is None:  # pragma: no cover - write_pdf returns bytes when no target is given
        raise DigestkitError("WeasyPrint produced no PDF")
    anchors: dict[str, tuple[int, float, float, float, float]] = {}
    bookmarks: list[tuple[int, str, int, float, float]] = []
    for i, page in enumerate(doc.pages):
        height = page.height * PX_TO_PT
        for name, box in page.anchors.items():
            x1, y1, *rest = box
            x2, y2 = rest[:2] if len(rest) >= 2 else (x1, y1)
            anchors.setdefault(
                name,
                (i, x1 * PX_TO_PT, height - y1 * PX_TO_PT, x2 * PX_TO_PT, height - y2 * PX_TO_PT),
            )
        for level, label, (x, y), _state in page.bookmarks:
            bookmarks.append((level, label, i, x * PX_TO_PT, height - y * PX_TO_PT))
    return Laid(bytes(pdf), len(doc.pages), anchors, bookmarks)
