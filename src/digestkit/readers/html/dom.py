"""Small questions asked of selectolax nodes by every stage of the HTML reader: an attribute
as text, the nearest ancestor of a kind, and what counts as white space (CSS's, not Unicode's:
a no-break space is text)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selectolax.lexbor import LexborNode

__all__ = ["WS", "attr", "inside", "nearest"]


def attr(node: LexborNode, name: str) -> str | None:
    value = node.attributes.get(name)
    return value if isinstance(value, str) else None


def inside(node: LexborNode, tags: set[str]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.parent
    return False


def nearest(node: LexborNode, tag: str) -> LexborNode | None:
    parent = node.parent
    while parent is not None and parent.tag != tag:
        parent = parent.parent
    return parent


WS = re.compile(r"[ \t\n\r\f]+")
