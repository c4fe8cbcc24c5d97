"""The one definition of "a Han character", and of what a line break between characters means.

Han: CJK Unified Ideographs, Extension A, the compatibility ideographs, and the supplementary
planes (Extensions B–G, where rare names and Hong Kong characters live).

Line breaks: see :func:`soft_break`.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["HAN", "HAN_RE", "han_re", "is_han", "soft_break"]

#: A regex character-class body (use inside ``[...]``).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"

# Compiling a class of the BMP's ~28,000 Han code points costs ~1.5–3 ms (``re`` fills a 64K
# map one code point at a time), at every start: the pattern is compiled on first use, and the
# one-character tests below compare code points instead (issue 26: a re-run after one edit
# imports this module and never needs the pattern).
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from typing import Any

    HAN_RE: re.Pattern[str]


@functools.cache
def han_re() -> re.Pattern[str]:
    """``[HAN]`` compiled: the pattern :data:`HAN_RE` names (compiled on first use)."""
    return re.compile(f"[{HAN}]")


def __getattr__(name: str) -> Any:
    """``HAN_RE``, compiled when it is first asked for (PEP 562)."""
    if name == "HAN_RE":
        return han_re()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def is_han(ch: str) -> bool:
    """True for one Han character (the first of ``ch``, as ``HAN_RE.match`` tests)."""
    if not ch:
        return False
    c = ch[0]
    return (
        "\u4e00" <= c <= "\u9fff"
        or "\u3400" <= c <= "\u4dbf"
        or "\uf900" <= c <= "\ufaff"
        or "\U00020000" <= c <= "\U0003134f"
    )


_ZWSP = "\u200b"


def _is_hangul(c: str) -> bool:
    """Hangul keeps its spaces between words, so a line break inside Korean is a space (CSS
    Text 3): jamo, compatibility jamo, jamo extended-A, syllables and extended-B, halfwidth."""
    return (
        "\uac00" <= c <= "\ud7ff"
        or "\u1100" <= c <= "\u11ff"
        or "\u3130" <= c <= "\u318f"
        or "\ua960" <= c <= "\ua97f"
        or "\uffa0" <= c <= "\uffdc"
    )


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
        and not _is_hangul(b)
        and not _is_hangul(a)
    ):
        return ""
    return " "
