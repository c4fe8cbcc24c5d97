"""Per-document work in parallel: load (and convert) many files in a pool or any Executor.

The parallel map itself (executors, warnings, order) is :func:`digestkit.parallel.pmap`, shared
with the weekly job; this module only says what one worker does with one path.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from concurrent.futures import Executor

from .ast import Document
from .options import ReadOptions
from .parallel import pmap

__all__ = ["load_many"]


def _load_one(format: str | None, options: ReadOptions, path: str) -> Document:
    from .api import load

    return load(path, format, options=options)


def load_many(
    paths: Sequence[str | os.PathLike[str]],
    format: str | None = None,
    *,
    jobs: int | None = None,
    executor: Executor | None = None,
    options: ReadOptions | None = None,
) -> list[Document]:
    """See :func:`digestkit.load_many`; the first file that cannot be read raises its error."""
    work = functools.partial(_load_one, format, options or ReadOptions())
    return [o.unwrap() for o in pmap(work, [str(p) for p in paths], jobs=jobs, executor=executor)]
