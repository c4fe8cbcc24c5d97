"""``lazy_compile``: a module-level pattern compiled on first use behaves as ``re.compile``'s."""

from __future__ import annotations

import copy
import pickle
import re

import pytest

from digestkit.lazyre import lazy_compile


def test_nothing_is_compiled_until_used(monkeypatch):
    calls: list[object] = []
    real = re.compile
    monkeypatch.setattr(re, "compile", lambda *a: calls.append(a) or real(*a))
    broken = lazy_compile(r"(unclosed")  # an error would show at import with re.compile
    pattern = lazy_compile(r"a(b+)", re.IGNORECASE)
    assert calls == []
    assert pattern.search("xABBy").group(1) == "BB"
    assert len(calls) == 1
    assert pattern.sub("-", "abab") == "--" and len(calls) == 1  # the methods are kept
    with pytest.raises(re.error):
        broken.search("x")


@pytest.mark.parametrize(
    ("source", "flags", "text"),
    [
        (r"(?P<d>\d+)-(\d+)", 0, "10-20 x 3-4"),
        (r"^ *(title|date):", re.MULTILINE, "x\n title: a\ndate: b"),
        (rb"\A\s*<", 0, b"  <html>"),
    ],
)
def test_every_method_answers_as_the_compiled_pattern(source, flags, text):
    lazy, real = lazy_compile(source, flags), re.compile(source, flags)
    empty = text[:0]
    assert lazy.pattern == real.pattern and lazy.flags == real.flags
    assert lazy.groups == real.groups and lazy.groupindex == real.groupindex
    for name in ("search", "match", "fullmatch", "findall", "split"):
        got, want = getattr(lazy, name)(text), getattr(real, name)(text)
        assert (got.group(0) if isinstance(got, re.Match) else got) == (
            want.group(0) if isinstance(want, re.Match) else want
        )
    assert lazy.sub(empty, text) == real.sub(empty, text)
    assert lazy.subn(empty, text) == real.subn(empty, text)
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in real.finditer(text)]


def test_dunder_probes_do_not_compile():
    pattern = lazy_compile(r"(unclosed")
    assert not hasattr(pattern, "__wrapped__")
    copy.copy(pattern)
    pickle.dumps(pattern)
    assert "lazy_compile" in repr(pattern)
