"""``contextlib.suppress`` and ``contextlib.nullcontext``, for the modules every command imports.

Why not :mod:`contextlib` itself: nothing else a weekly re-run of the HTML page imports loads it,
and its import (its abstract base classes and a dozen context-manager classes) is ~0.5 ms of
that ~80 ms run (issue 26). These two are what the command's own modules use; they behave as
``contextlib``'s do on Python 3.11 (``suppress`` swallows the listed exceptions and their
subclasses, nothing else; ``nullcontext`` gives its ``enter_result``). Modules off that path
(the PDF writer, the readers of HTML and e-mail) keep using :mod:`contextlib`.

A leaf module: it imports nothing.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from types import TracebackType

__all__ = ["nullcontext", "suppress"]


class suppress:
    """``with suppress(OSError): …`` — the listed exceptions end the block quietly."""

    __slots__ = ("_kinds",)

    def __init__(self, *kinds: type[BaseException]) -> None:
        self._kinds = kinds

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        return kind is not None and issubclass(kind, self._kinds)


class nullcontext:
    """A context manager that does nothing (``with`` needs one where there is none)."""

    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
