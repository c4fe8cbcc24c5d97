"""Per-document work in parallel: load (and convert) many files in a pool or any Executor.

Workers receive only paths and options and return finished ``Document`` objects (picklable), so
any ``concurrent.futures.Executor`` works: the default process pool, Dask's
``Client.get_executor()``, Ray's. Warnings raised in a worker are re-raised in the caller, and
results keep the input order, so ``jobs=N`` gives exactly what ``jobs=1`` gives.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any

from .ast import Document

__all__ = ["load_many"]

PARALLEL_MIN = 8  # below this many files a pool costs more than it saves


def _load_one(path: str, format: str | None, options: dict[str, Any]) -> tuple[Document, list[str]]:
    from . import convert_script, fix_punctuation, load

    opts = dict(options)
    script = opts.pop("script", None)
    punctuation = opts.pop("punctuation", False)
    spacing = opts.pop("spacing", False)
    corner_quotes = opts.pop("corner_quotes", False)
    repair = opts.pop("repair_script", False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        doc = load(path, format, **opts)
        if script:
            doc = convert_script(doc, script, repair=repair)
        elif repair:
            from . import repair_script

            doc = repair_script(doc)
        if punctuation or spacing or corner_quotes:
            doc = fix_punctuation(doc, spacing=spacing, corner_quotes=corner_quotes)
    return doc, [str(w.message) for w in caught]


def load_many(
    paths: Sequence[str | os.PathLike[str]],
    format: str | None = None,
    *,
    jobs: int | None = None,
    executor: Executor | None = None,
    **options: Any,
) -> list[Document]:
    """See :func:`digestkit.load_many`."""
    names = [str(p) for p in paths]
    fmts, opts = [format] * len(names), [options] * len(names)
    workers = jobs or os.cpu_count() or 1
    if executor is not None:
        results = list(executor.map(_load_one, names, fmts, opts))
    elif workers > 1 and len(names) >= PARALLEL_MIN:
        with ProcessPoolExecutor(max_workers=min(workers, len(names))) as pool:
            results = list(pool.map(_load_one, names, fmts, opts))
    else:
        results = [_load_one(n, format, options) for n in names]
    docs = []
    for doc, messages in results:
        for message in messages:
            warnings.warn(message, stacklevel=3)
        docs.append(doc)
    return docs
