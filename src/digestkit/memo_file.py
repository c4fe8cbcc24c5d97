"""A memo beside the cache written whole or not at all: :func:`keep_whole`.

The code fingerprint (``cache``) and the plugin table's scan (``plugin_scan``) each keep their
last answer in one small file. Only a later run's speed depends on it, so a write that fails
is dropped (no error, no half-written file a reader would have to reject); a reader that finds
the file missing or damaged simply works the answer out again.

A leaf module: it imports only ``os`` and ``contexts``.
"""

from __future__ import annotations

import os

from .contexts import suppress

__all__ = ["keep_whole"]


def keep_whole(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a process-unique part file and a rename (best effort)."""
    tmp = f"{path}.{os.getpid()}.part"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)  # noqa: PTH103, PTH120
        with open(tmp, "wb") as fh:  # noqa: PTH123 - a str path, one small file
            fh.write(data)
        os.replace(tmp, path)  # noqa: PTH105
    except OSError:
        with suppress(OSError):
            os.unlink(tmp)  # noqa: PTH108
