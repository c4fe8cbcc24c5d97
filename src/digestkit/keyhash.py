"""The hash of the cache's keys and the archive's duplicate fingerprints: BLAKE2b, 256 bits.

Why not SHA-256 from :mod:`hashlib`, as before: ``import hashlib`` loads and initialises OpenSSL
whatever hash is then asked for (~2.6 ms of every run's start-up, about 3 % of a 30-digest HTML
re-run: issue 26), while BLAKE2 is compiled into CPython itself (``_blake2``, the very object
``hashlib.blake2b`` is; ``hashlib`` is the fallback where that module is missing, as on other
Pythons). Per byte it is ~1.9× slower than OpenSSL's SHA-256 on a CPU with SHA instructions
(~0.94 against ~1.77 GB/s here: +0.3 ms for 30 digests' bytes, +1 ms for 100), faster without
them. Nothing a user reads depends on these hashes — they name cache entries and tell duplicate
articles apart — so changing them only orphans old entries, as any new digestkit version does
(the code's fingerprint is in every key). Hashes that end up in a book (the EPUB's identifier, a
Hugo bundle's name) stay SHA-256 and stay in their writers.

A leaf module: it imports nothing of digestkit.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover - a Python without the built-in module
    from hashlib import blake2b as _blake2b

__all__ = ["DIGEST_SIZE", "hexdigest", "new"]

#: bytes of a digest: 64 hex digits, the length the cache's entry names have always had
DIGEST_SIZE = 32


def new(data: bytes = b"") -> _blake2b:
    """A hash object (``update``, ``copy``, ``hexdigest``) started with ``data``."""
    return _blake2b(data, digest_size=DIGEST_SIZE)


def hexdigest(data: bytes) -> str:
    """The 64 hex digits of ``data``'s hash."""
    return _blake2b(data, digest_size=DIGEST_SIZE).hexdigest()
