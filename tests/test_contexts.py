"""``digestkit.contexts`` behaves as ``contextlib``'s ``suppress`` and ``nullcontext`` do."""

from __future__ import annotations

import contextlib

import pytest

from digestkit.contexts import nullcontext, suppress


@pytest.mark.parametrize("make", [suppress, contextlib.suppress])
def test_suppress_swallows_the_listed_kinds_and_their_subclasses_only(make):
    ran = []
    with make(OSError):
        raise FileNotFoundError("gone")  # a subclass
    with make(KeyError, ValueError):
        raise ValueError("x")
    with make(OSError):
        ran.append("no exception")
    with pytest.raises(TypeError), make(OSError):
        raise TypeError("not listed")
    with pytest.raises(KeyboardInterrupt), make(Exception):
        raise KeyboardInterrupt  # a BaseException is not an Exception
    with make():
        ran.append("nothing listed")
    with pytest.raises(ValueError), make():
        raise ValueError("nothing listed: nothing swallowed")
    assert ran == ["no exception", "nothing listed"]


@pytest.mark.parametrize("make", [nullcontext, contextlib.nullcontext])
def test_nullcontext_does_nothing_and_lets_exceptions_through(make):
    with make() as got:
        assert got is None
    with pytest.raises(ValueError), make():
        raise ValueError("through")
