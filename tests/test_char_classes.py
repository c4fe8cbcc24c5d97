"""The character tests rewritten so that their patterns compile without a 64K-entry map (issue
26) answer as the one-class patterns did: on every code point and on random strings."""

from __future__ import annotations

import random
import re

from digestkit import frontmatter_plain
from digestkit.writers import epub_package, xml_text

_REFUSED = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_escape(text: str) -> str:
    text = _NOT_XML.sub("", text)
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def test_every_code_point_alone():
    for c in range(0x110000):
        s = chr(c)
        assert frontmatter_plain._refused(s) == bool(_REFUSED.search(s)), hex(c)
        assert xml_text.xml_chars(s) == _NOT_XML.sub("", s), hex(c)
        assert epub_package.escape(s) == _xml_escape(s), hex(c)


def test_random_strings():
    rng = random.Random(26)
    near = [*range(0x300), *range(0x2000, 0x2100), *range(0xD7F0, 0xE010), *range(0xFEF0, 0x10000)]
    pool = [chr(c) for c in [*near, 0x4E2D, 0x10000, 0x1F600]]
    for _ in range(50_000):
        s = "".join(rng.choice(pool) for _ in range(rng.randint(0, 8)))
        assert frontmatter_plain._refused(s) == bool(_REFUSED.search(s)), repr(s)
        assert xml_text.xml_chars(s) == _NOT_XML.sub("", s), repr(s)
        assert epub_package.escape(s) == _xml_escape(s), repr(s)
