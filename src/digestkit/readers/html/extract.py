"""Main-content extraction with trafilatura (``digestkit[web]``), for furnished pages without
``<main>`` or articles.

Decides trafilatura's settings (its short-result "baseline" fallback off) and whether what it
kept is enough (a tenth of the text, or 1,000 characters); otherwise the built-in rules apply.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from .dom import WS

if TYPE_CHECKING:
    from selectolax.lexbor import LexborNode

__all__ = ["enough", "extract_main", "has_trafilatura"]


@functools.cache
def _trafilatura_config() -> Any:
    """trafilatura's settings, with its "baseline" fallback for short results switched off.

    Below 250 characters trafilatura replaces its result by all the page's text run together
    in one paragraph (headings, lists and images gone); :func:`enough` decides instead, and
    falls back to the built-in rules, which keep the structure.
    """
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    return config


def extract_main(text: str, path: str | None) -> str | None:
    """trafilatura's main-content HTML, or None when it is not installed or finds nothing."""
    try:
        import trafilatura
    except ImportError:
        return None
    import logging

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    try:
        out = trafilatura.extract(
            text, output_format="html", include_links=True, include_images=True,
            include_tables=True, include_formatting=True, include_comments=False,
            with_metadata=False, config=_trafilatura_config(),
        )  # fmt: skip
    except Exception:  # trafilatura fails on some odd pages; the built-in rules still apply
        return None
    return out if isinstance(out, str) and out.strip() else None


def enough(extracted: str, root: LexborNode) -> bool:
    """False when trafilatura kept a sliver of a long page (it sometimes keeps one caption):
    under a tenth of the content's text and under 1,000 characters. The built-in rules then
    apply.
    """
    from selectolax.lexbor import LexborHTMLParser

    total = len(WS.sub("", root.text(deep=True)))
    kept_body = LexborHTMLParser(extracted).body
    kept = len(WS.sub("", kept_body.text(deep=True))) if kept_body is not None else 0
    return kept >= 1000 or kept * 10 >= total


def has_trafilatura() -> bool:
    import importlib.util

    return importlib.util.find_spec("trafilatura") is not None
