"""Lay out HTML with WeasyPrint — in this process or in a pool of worker processes.

WeasyPrint's layout is single-threaded and takes ~98 % of a PDF's time, so a long book is cut
into groups of whole chapters that are laid out at the same time in separate processes (issue
7). Each group comes back as PDF bytes plus what joining needs: its page count, where every
anchor landed (for links and the contents page) and its bookmarks (for the outline).

Everything here stays off the network and the file system: the URL fetcher (``engine``, the
WeasyPrint adapter) serves only ``data:`` URLs and the assets collected by the renderer. A
render has a time limit.
"""

from __future__ import annotations

import ctypes
import gc
import math
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext, suppress
from typing import Any

from ..._records import field
from ..._records import record as dataclass  # dataclasses' classes, no exec
from ...errors import DigestkitError
from ..xhtml import Asset

__all__ = ["Rendered", "render", "render_all"]

#: Characters of HTML from which a layout's memory is worth giving back in this process
#: (about half a chapter group: ~30 A5 pages).
_BIG = 25_000


@dataclass(frozen=True)
class Rendered:
    """One laid-out part: PDF bytes and where things landed (PDF points, origin bottom-left)."""

    pdf: bytes
    pages: int
    #: anchor name → (page index in this part, x, y)
    anchors: dict[str, tuple[int, float, float]]
    #: (level, label, page index in this part, x, y), in document order
    bookmarks: list[tuple[int, str, int, float, float]]
    #: for elements whose id starts with the ``marks`` prefix: id → (page index, x1, y1, x2,
    #: y2), their box (top-left, bottom-right), for stamping text in its place (``join``)
    marks: dict[str, tuple[int, float, float, float, float]] = field(default_factory=dict)


class _Expired(BaseException):
    """Raised by the watchdog. Not an ``Exception``, so WeasyPrint's own ``except Exception``
    blocks (around fonts, images, URL fetching) cannot swallow it."""


@contextmanager
def _time_limit(seconds: int, limit: int = 0) -> Iterator[None]:
    """Stop a render that runs longer than ``seconds``.

    A watchdog thread trips the main thread's SIGALRM handler with ``_thread.interrupt_main``
    (which works even where the signal itself is blocked, e.g. by a Dask cluster) and keeps
    tripping it every 0.25 s until the render stops: an interrupt that lands inside some
    library's bare ``except:`` is swallowed, the next one is not.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    import _thread

    done = threading.Event()

    def expire(*_: object) -> None:
        if not done.is_set():
            raise _Expired

    def watchdog() -> None:
        if done.wait(seconds):
            return
        while not done.is_set():
            _thread.interrupt_main(signal.SIGALRM)
            done.wait(0.25)

    old = signal.signal(signal.SIGALRM, expire)
    thread = threading.Thread(target=watchdog, name="digestkit-pdf-watchdog", daemon=True)
    thread.start()
    try:
        yield
    except _Expired:
        raise DigestkitError(
            f"PDF rendering took longer than {limit or seconds} s; stopped (nothing written)"
        ) from None
    finally:
        done.set()
        thread.join()
        signal.signal(signal.SIGALRM, old)


def render(
    html: str,
    assets: dict[str, Asset],
    deadline: float | None = None,
    limit: int = 0,
    marks: str | None = None,
    trim: bool = True,
) -> Rendered:
    """Lay out ``html`` and write it as PDF (in a worker process, or in this one).

    ``deadline`` (``time.time()``, shared by all processes) stops a render that is still running
    then; None when the caller keeps its own time limit. ``limit`` is the user's limit in
    seconds, for the error message. ``trim``: give the last layout's memory back first.
    """
    from .engine import layout

    guard: Any = nullcontext()
    if deadline is not None:
        left = deadline - time.time()
        if left <= 0:
            raise DigestkitError(
                f"PDF rendering took longer than {limit} s; stopped (nothing written)"
            )
        guard = _time_limit(math.ceil(left), limit)
    if trim:
        _give_back_memory()  # the last layout's, if this process did one
    try:
        with guard:
            laid = layout(html, assets)
    except DigestkitError:
        raise
    except Exception:
        # the watchdog's interrupt can land inside WeasyPrint and come out as some other error
        # (one that may not even pickle back from a worker): past the deadline, it is the limit
        if deadline is not None and time.time() >= deadline:
            raise DigestkitError(
                f"PDF rendering took longer than {limit} s; stopped (nothing written)"
            ) from None
        raise
    anchors = {name: (i, x, y) for name, (i, x, y, _x2, _y2) in laid.anchors.items()}
    found = (
        {name: box for name, box in laid.anchors.items() if name.startswith(marks)} if marks else {}
    )
    return Rendered(laid.pdf, laid.pages, anchors, laid.bookmarks, found)


def _give_back_memory() -> None:
    """Hand a finished layout's memory back to the system before the next group.

    A layout's boxes are freed, but glibc keeps the freed heap, so a worker's size would be its
    largest group's plus fragmentation from every group before; ``malloc_trim`` returns it.
    Done before a layout rather than after: the same peak, and no collection (0.1–0.2 s of
    CPU on a big heap) after a process's last layout, whose memory goes with the process.
    """
    gc.collect()
    if sys.platform.startswith("linux"):
        with suppress(OSError, AttributeError):  # not glibc (e.g. musl): nothing to trim
            ctypes.CDLL("libc.so.6").malloc_trim(0)


def render_all(
    htmls: Sequence[str],
    assets: dict[str, Asset],
    *,
    jobs: int,
    deadline: float,
    limit: int,
    marks: Sequence[str | None] = (),
) -> list[Rendered]:
    """Lay out each HTML document, ``jobs`` at a time, results in order, by ``deadline``.

    ``marks[i]`` is the id prefix whose text positions document ``i`` reports (see ``render``).

    Workers are forked where the platform can (as ``batch`` does for parsing): spawned workers
    would re-import the caller's ``__main__``, which breaks scripts without a main guard. The
    pool is made before any watchdog thread exists; each worker enforces the deadline itself,
    this process checks it while waiting, and on any error the workers are terminated at once.
    """
    wanted = [marks[i] if i < len(marks) else None for i in range(len(htmls))]
    # a daemonic process (a multiprocessing.Pool worker) may not start processes of its own;
    # one that never imported multiprocessing is no such worker (a re-run laying out here
    # imports none of it: ~4 ms)
    loaded = sys.modules.get("multiprocessing")
    daemonic = loaded is not None and loaded.current_process().daemon
    if jobs <= 1 or len(htmls) <= 1 or daemonic:
        # In this process, memory is given back only after a big layout (a collection costs
        # ~0.1 s of CPU on WeasyPrint's heap: a small re-run's front part and new chapter
        # would pay three times what they free).
        big = [len(h) >= _BIG for h in htmls]
        done = [render(h, assets, deadline, limit, m, trim=i > 0 and big[i - 1])
                for i, (h, m) in enumerate(zip(htmls, wanted, strict=True))]  # fmt: skip
        if len(htmls) > 1 and any(big):  # a big layout's garbage would stay through the join
            _give_back_memory()
        return done
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    pool = ctx.Pool(processes=min(jobs, len(htmls)))
    try:
        pending = [
            pool.apply_async(render, (h, assets, deadline, limit, m))
            for h, m in zip(htmls, wanted, strict=True)
        ]
        results = [_wait(p, deadline, limit) for p in pending]
        pool.close()
        pool.join()
        return results
    finally:
        pool.terminate()


def _wait(result: Any, deadline: float, limit: int) -> Rendered:
    # the workers stop themselves at the deadline; this is the backstop if one cannot
    import multiprocessing.pool

    while True:
        try:
            return result.get(0.25)  # type: ignore[no-any-return]
        except multiprocessing.pool.MaybeEncodingError:  # type: ignore[attr-defined]
            if time.time() >= deadline:
                raise DigestkitError(
                    f"PDF rendering took longer than {limit} s; stopped (nothing written)"
                ) from None
            raise
        except multiprocessing.TimeoutError:
            if time.time() > deadline + 5:
                raise DigestkitError(
                    f"PDF rendering took longer than {limit} s; stopped (nothing written)"
                ) from None
