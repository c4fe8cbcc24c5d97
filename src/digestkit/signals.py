"""SIGTERM and SIGHUP raised as an exception in the command line, as SIGINT already is.

Why: every output is written through :func:`digestkit.textio.atomic_write`, which removes its
``.<name>.part`` file when anything — ``KeyboardInterrupt`` included — leaves the ``with``
block. SIGINT arrives as ``KeyboardInterrupt`` and so cleaned up; SIGTERM (``kill``, systemd,
a CI runner's timeout) and SIGHUP (the terminal closing) killed the process outright and left
the half-written ``.part`` file in the output folder (issue 25, point 11). Raised as
:class:`Terminated` — a ``BaseException``, so no ``except Exception`` swallows it — they unwind
the stack like SIGINT, and the command exits with ``128 + signal number`` as a shell reports it.
"""

from __future__ import annotations

from collections.abc import Callable
from types import FrameType

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    import signal as _handlers
    from typing import Any
else:
    try:  # the C module ``signal`` wraps: the same functions and numbers, without signal.py's
        # three IntEnum classes built at import (~0.5 ms of every command, issue 26); a
        # handler gets the signal's number either way
        import _signal as _handlers
    except ImportError:  # pragma: no cover - a Python without it
        import signal as _handlers

__all__ = ["Terminated", "terminate_by_exception"]


class Terminated(BaseException):
    """The process was asked to stop by ``signum`` (SIGTERM, SIGHUP)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        """``SIGTERM``, ``SIGHUP``."""
        import signal

        return signal.Signals(self.signum).name


def _raise(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signum)


def terminate_by_exception() -> Callable[[], None]:
    """From now on SIGTERM and SIGHUP raise :class:`Terminated` in the main thread; returns the
    function that puts the previous handlers back.

    Outside the main thread (where Python cannot set handlers) or where a signal does not exist
    (no SIGHUP on Windows) nothing changes. The thread is told by ``signal.signal`` itself,
    which refuses with ``ValueError`` outside the main thread, not by asking ``threading``
    (~1 ms to import on every command, issue 26).
    """
    old: dict[int, Any] = {}
    for name in ("SIGTERM", "SIGHUP"):
        num = getattr(_handlers, name, None)
        if num is None:
            continue
        try:
            old[num] = _handlers.signal(num, _raise)
        except ValueError:  # not the main thread: Python refuses, as documented, and sets none
            break

    def restore() -> None:
        for num, handler in old.items():
            _handlers.signal(num, handler)

    return restore
