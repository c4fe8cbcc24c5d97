"""OpenCC behind one adapter: which profiles exist, one converter per profile, text in batches.

Script conversion (:mod:`.script`), its repair (:mod:`.repair`) and script detection
(:mod:`.detect`) all convert through here, so each profile's converter is created once per
process and shared. OpenCC itself is imported only when a conversion is asked for: a Simplified
digest is detected without it (:mod:`._script_chars`).
"""

from __future__ import annotations

import functools

from ..errors import DigestkitError, MissingDependencyError
from ._runs import SEPARATOR as _SEP
from ._runs import BatchFn

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from opencc import OpenCC

__all__ = [
    "UnknownProfileError",
    "batch",
    "check_profile",
    "convert_text",
    "converter",
    "profiles",
    "t2s_char_map",
    "t2s_char_table",
]


class UnknownProfileError(DigestkitError, ValueError):
    """An OpenCC profile name that does not exist; the message lists the valid ones."""


def profiles() -> list[str]:
    """The profiles the installed ``opencc`` package ships (sorted)."""
    try:
        import opencc
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise MissingDependencyError("script conversion needs OpenCC: pip install opencc") from exc
    return sorted(c.removesuffix(".json") for c in opencc.CONFIGS)


@functools.cache
def _valid() -> frozenset[str]:
    return frozenset(profiles())


def check_profile(profile: str) -> str:
    name = profile.removesuffix(".json")
    if name not in _valid():
        raise UnknownProfileError(
            f"unknown OpenCC profile {profile!r}; valid profiles: {', '.join(profiles())}"
        )
    return name


@functools.cache
def converter(profile: str) -> OpenCC:
    import opencc

    return opencc.OpenCC(f"{profile}.json")


def convert_text(text: str, profile: str) -> str:
    """Convert one string with a cached converter."""
    return str(converter(check_profile(profile)).convert(text))


@functools.cache
def batch(profile: str) -> BatchFn:
    conv = converter(profile)

    def run(texts: list[str]) -> list[str]:
        if not texts:
            return []
        if not any(_SEP in t for t in texts):
            out = str(conv.convert(_SEP.join(texts))).split(_SEP)
            if len(out) == len(texts):
                return out
        return [str(conv.convert(t)) for t in texts]

    return run


def t2s_char_table() -> tuple[str, str]:
    """OpenCC ``t2s``'s one-to-one character table as two aligned strings (from, to).

    The generated table ships with the script transforms (:mod:`._script_chars`); the prose
    network reads Traditional characters through it so one vocabulary serves both scripts, and
    takes it from here rather than from the private generated module.
    """
    from . import _script_chars as t

    return t.T2S_FROM, t.T2S_TO


@functools.cache
def t2s_char_map() -> dict[int, int]:
    """:func:`t2s_char_table` as ``str.translate``'s table: its keys are the characters ``t2s``
    changes when converted alone. Built once per process for both its users — the Simplified
    fingerprints (``script.to_simplified``) and the script detector's bounds, whose "changed by
    t2s" set is the same characters (``benchmarks/script_table.py``): a second set of them cost
    ~0.6 ms of a re-run that parses one digest (issue 26)."""
    return str.maketrans(*t2s_char_table())
