"""``digestkit.cjk``: what a Han character is, and CSS Text 3's segment-break rule."""

from __future__ import annotations

import pytest

from digestkit.cjk import is_han, soft_break


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ("中", "文", ""),  # Han–Han (Wide)
        ("の", "カ", ""),  # kana
        ("，", "中", ""),  # fullwidth punctuation (Fullwidth)
        ("」", "「", ""),  # corner brackets (Wide)
        ("ｶ", "ﾅ", ""),  # halfwidth katakana (Halfwidth)
        ("中", "\u200b", ""),  # a zero-width space on either side removes the break
        ("\u200b", "a", ""),
        ("a", "b", " "),  # Latin–Latin
        ("中", "a", " "),  # CJK–Latin keeps the space
        ("1", "中", " "),
        ("中", "“", " "),  # curly quotes are East Asian Ambiguous: a space, as CSS says
        ("한", "국", " "),  # Hangul is Wide but spaces its words
        ("中", "한", " "),
        ("", "中", " "),  # a break at an edge
        ("中", "", " "),
        ("一二三", "四五", ""),  # only the characters next to the break count
    ],
)
def test_soft_break(before, after, expected):
    assert soft_break(before, after) == expected


def test_is_han():
    assert is_han("中") and is_han("\U00020000") and not is_han("カ") and not is_han("a")


def test_code_point_tests_are_the_patterns():
    """``is_han`` and the Hangul test compare code points instead of compiling classes at import
    (issue 26); over every code point they answer as the classes did."""
    import re

    from digestkit import cjk

    han = re.compile(f"[{cjk.HAN}]")
    hangul = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff\uffa0-\uffdc]")
    for cp in range(0x110000):
        ch = chr(cp)
        assert cjk.is_han(ch + "a") == (han.match(ch) is not None), hex(cp)
        assert cjk._is_hangul(ch) == (hangul.match(ch) is not None), hex(cp)
    assert cjk.is_han("") is False
    assert cjk.HAN_RE is cjk.han_re() and cjk.HAN_RE.pattern == f"[{cjk.HAN}]"
