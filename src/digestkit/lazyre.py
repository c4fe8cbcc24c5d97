"""Module-level regular expressions compiled the first time they are used: :func:`lazy_compile`.

Why: ``re.compile`` at import costs 0.05–0.3 ms a pattern, and a weekly re-run that renders one
chapter imports modules holding ~20 patterns it never uses — the cache's pruning names, the
vertical-text and date rules of the renderer, the fenceless front matter, the HTML tokens of
script conversion … (~2 ms of its ~85 ms, issue 26). A module keeps writing
``_X = lazy_compile(r"…")`` and ``_X.search(text)``; the first method asked for compiles the
pattern (``re``'s own cache makes a second compile of the same source free) and keeps the
compiled pattern's methods on the object, so later calls cost what a compiled pattern's do.

A leaf module: it imports only ``re``.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from typing import AnyStr

__all__ = ["lazy_compile"]

#: what a pattern is asked for: copied onto the stand-in once it is compiled
_ATTRS = ("search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer",
          "scanner", "pattern", "flags", "groups", "groupindex")  # fmt: skip


class _Lazy:
    """A stand-in for ``re.compile(source, flags)`` until an attribute is asked for."""

    def __init__(self, source: str | bytes, flags: int) -> None:
        self._source = source
        self._flags = flags

    def __getattr__(self, name: str) -> object:  # only for attributes not yet on the object
        if name.startswith("__"):
            raise AttributeError(name)  # copy, pickle, hasattr probes: not a pattern's
        compiled = re.compile(self._source, self._flags)
        for attr in _ATTRS:
            setattr(self, attr, getattr(compiled, attr))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy_compile({self._source!r}, {self._flags!r})"


def lazy_compile(source: AnyStr, flags: int = 0) -> re.Pattern[AnyStr]:
    """``re.compile(source, flags)``, compiled when first used (for mypy: the pattern itself)."""
    return _Lazy(source, flags)  # type: ignore[return-value]
