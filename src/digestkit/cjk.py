"""The one definition of "a Han character", and of what a line break between characters means.

Han: CJK Unified Ideographs, Extension A, the compatibility ideographs, and the supplementary
planes (Extensions B–G, where rare names and Hong Kong characters live).

Line breaks: see :func:`soft_break`.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["HAN", "HAN_RE", "is_han", "soft_break"]

#: A regex character-class body (use inside ``[...]``).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN_RE = re.compile(f"[{HAN}]")


def is_han(ch: str) -> bool:
    """True for one Han character."""
    return bool(ch) and HAN_RE.match(ch) is not None


_ZWSP = "\u200b"
# Hangul keeps its spaces between words, so a line break inside Korean is a space (CSS Text 3).
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff\uffa0-\uffdc]")


def soft_break(before: str, after: str) -> str:
    """What a line break in the source between ``before`` and ``after`` becomes: ``""`` or ``" "``.

    CSS Text 3's segment break transformation (§4.1.3), which browsers have not all
    implemented and WeasyPrint does not, so writers apply it themselves: the break is
    removed when a zero-width space stands on either side, or when the characters on both
    sides are East Asian Fullwidth, Wide or Halfwidth (Han, kana, fullwidth punctuation
    such as ``，`` and ``「``) and neither is Hangul; otherwise it is a space. ``中文⏎中文``
    reads ``中文中文``; ``word⏎word`` and ``中文⏎word`` keep their space. ``before``/``after``
    are the characters next to the break (only the last/first character counts); an empty
    side (the break starts or ends the text) gives a space.
    """
    if not before or not after:
        return " "
    b, a = before[-1], after[0]
    if b == _ZWSP or a == _ZWSP:
        return ""
    wide = ("F", "W", "H")
    if (
        unicodedata.east_asian_width(b) in wide
        and unicodedata.east_asian_width(a) in wide
        and not _HANGUL.match(b)
        and not _HANGUL.match(a)
    ):
        return ""
    return " "
