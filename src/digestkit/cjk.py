"""The one definition of "a Han character", shared by every module that needs to tell.

CJK Unified Ideographs, Extension A, the compatibility ideographs, and the supplementary planes
(Extensions B–G, where rare names and Hong Kong characters live).
"""

from __future__ import annotations

import re

__all__ = ["HAN", "HAN_RE", "is_han"]

#: A regex character-class body (use inside ``[...]``).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN_RE = re.compile(f"[{HAN}]")


def is_han(ch: str) -> bool:
    """True for one Han character."""
    return bool(ch) and HAN_RE.match(ch) is not None
