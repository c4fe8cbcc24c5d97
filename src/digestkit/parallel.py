"""One ordered parallel map for every per-document job (``load_many``, the weekly job).

Workers receive plain, picklable arguments and return picklable results, so any
``concurrent.futures.Executor`` works: the default process pool, Dask's ``Client.get_executor()``,
Ray's. Warnings raised in a worker are recorded there and re-raised here in input order, and a
:class:`~digestkit.errors.DigestkitError` raised in a worker comes back as a value, so callers
choose between stopping at the first bad file and going on (``weekly --keep-going``). The result
is the same, in the same order, whatever the parallelism.
"""

from __future__ import annotations

import functools
import os
import warnings
from collections.abc import Callable, Sequence

from ._records import record as dataclass  # dataclasses' classes, no exec
from .errors import DigestkitError

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from concurrent.futures import Executor
    from typing import Generic, TypeVar

    T = TypeVar("T")
    R = TypeVar("R")
else:

    class Generic:
        """``Outcome`` is generic for mypy; at run time nothing subscripts it, so ``Generic[R]``
        is ``object`` and ``typing`` (~2 ms of a re-run's start-up, issue 26) is not imported."""

        def __class_getitem__(cls, item: object) -> type:
            return object

    R = None

__all__ = ["PARALLEL_MIN", "Outcome", "pmap", "runs_here"]

#: Below this many items a process pool costs more than it saves (measured: pool start-up and
#: imports take ~0.3 s on the 2-core CI machine, a digest parses in ~15 ms).
PARALLEL_MIN = 8


@dataclass(frozen=True, slots=True)
class Outcome(Generic[R]):
    """What one item gave: its value, or the error it raised; and the warnings it raised."""

    value: R | None
    error: DigestkitError | None
    messages: tuple[str, ...]

    def unwrap(self) -> R:
        """The value; the worker's error raised here if there was one."""
        if self.error is not None:
            raise self.error
        return self.value  # type: ignore[return-value]


def _call(fn: Callable[[T], R], item: T) -> Outcome[R]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value: R | None = fn(item)
            error: DigestkitError | None = None
        except DigestkitError as exc:
            value, error = None, exc
        except RecursionError:
            from .errors import ParseError

            value, error = None, ParseError("input nests too deeply")
    return Outcome(value, error, tuple(str(w.message) for w in caught))


def runs_here(count: int, *, jobs: int | None = None, executor: Executor | None = None) -> bool:
    """Whether :func:`pmap` calls ``fn`` on ``count`` items in this process (no executor, and one
    worker or too few items for a pool): then what ``fn`` returns is not pickled, so a caller
    may let it return more (the weekly parse keeps its one new document instead of loading it
    back from the cache: ~0.6 ms of a re-run, issue 26)."""
    workers = jobs or os.cpu_count() or 1
    return executor is None and (workers <= 1 or count < PARALLEL_MIN)


def pmap(
    fn: Callable[[T], R],
    items: Sequence[T],
    *,
    jobs: int | None = None,
    executor: Executor | None = None,
) -> list[Outcome[R]]:
    """``fn`` over ``items`` in ``executor``, else a pool of ``jobs`` processes, else here.

    ``fn`` must be a module-level function (pickled to the workers). Warnings of each item are
    re-raised in this process, in input order; errors are returned in the outcomes.
    """
    call = functools.partial(_call, fn)
    workers = jobs or os.cpu_count() or 1
    if executor is not None:
        outcomes = list(executor.map(call, items))
    elif not runs_here(len(items), jobs=jobs, executor=executor):
        from concurrent.futures import ProcessPoolExecutor  # only when a pool is worth it

        with ProcessPoolExecutor(max_workers=min(workers, len(items))) as pool:
            chunk = max(1, len(items) // (workers * 4))
            outcomes = list(pool.map(call, items, chunksize=chunk))
    else:
        outcomes = [call(item) for item in items]
    for outcome in outcomes:
        for message in outcome.messages:
            warnings.warn(message, stacklevel=3)
    return outcomes
