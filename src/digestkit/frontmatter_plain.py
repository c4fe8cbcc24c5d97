"""The plainest YAML front matter read without PyYAML: ``key: value`` lines only.

Why: ``import yaml`` costs ~20 ms of CPU (its pure-Python reader, scanner, parser, constructor,
resolver and emitter are all imported by the package, even to use libyaml), and a weekly re-run
that parses one new digest pays it for a front matter like::

    title: Meta千亿豪赌AMD（第16期）
    date: 2026-01-20
    tags: ["AI","AI 日报"]
    summary: "- 第一条\\n- 第二条"

That is a tenth of such a re-run of an EPUB or HTML page (docs/benchmarks.md, issue 26).

:func:`read_plain` answers only when the answer is certainly PyYAML's (``SafeLoader``, YAML 1.1
resolution), and declines — ``(False, None)`` — anything else, which the reference loader then
reads as before (so every error, position and leniency stays PyYAML's). What it answers:

- lines ``key: value`` at column 0 (the key a plain word that resolves to a string), blank
  lines and whole-line comments; no key twice;
- a value that is empty, ``~`` or a null word (None), a bool word (``true``, ``no``, ``on`` …,
  as YAML 1.1 reads them), an unsigned decimal integer without leading zeros, a date
  ``YYYY-MM-DD``, a plain string that no YAML resolver claims (does not start with an indicator
  or a character a resolver keys on, holds no ``": "``, ``" #"``, no trailing ``:``), a
  double-quoted string that JSON reads the same way (JSON's escapes are a subset of YAML's with
  the same meanings; surrogate escapes are declined), or a JSON array of such strings (a flow
  sequence).

Declined at once: TABs, CR, YAML's other line breaks (NEL, LS, PS), a BOM and any character
YAML does not print (it refuses those). ``tests/test_frontmatter.py`` compares every answer with
PyYAML's on the seeds, the Hugo corpus, generated front matter and random line soup.
"""

from __future__ import annotations

import datetime as _dt
import re

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["read_plain"]

#: what YAML does not print (it refuses those), and TAB, CR, NEL, LS, PS and the BOM: declined
#: (:func:`_refused`). The class holds those below U+0100 (a class of the printable ones costs
#: ~2 ms to compile; one with the others, ~0.4 ms: it fills a 64K-entry map, issue 26)
_REFUSED = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
#: … and LS, PS, the BOM and the non-characters U+FFFE, U+FFFF (lone surrogates: see _refused)
_REFUSED_OTHER = ("\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff")
_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?")
#: PyYAML's bool and null words (``yaml.resolver.Resolver``, YAML 1.1)
_BOOL = re.compile(r"yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF")
_NULL = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("yes", "true", "on"))
_INT = re.compile(r"0|[1-9][0-9]*")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
#: a plain scalar starting so is an indicator, or a resolver may claim it (numbers, dates,
#: ``.inf``, ``<<``, ``=``, ``!``/``&``/``*``): the reference decides
_NOT_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@`+.<=~0123456789 ")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
#: a JSON string whose only escapes are the one-character ones (``\\n``, ``\\"`` …, not
#: ``\\uXXXX``), and a flow sequence of only such strings (JSON's whitespace around them)
_STRING = r'"((?:[^"\\\x00-\x1f]|\\["\\/bfnrt])*)"'
_SIMPLE_STRING = re.compile(_STRING)
_SIMPLE_LIST = re.compile(
    rf"\[[ \t\n\r]*(?:{_STRING}[ \t\n\r]*(?:,[ \t\n\r]*{_STRING}[ \t\n\r]*)*)?\]"
)
_ESCAPE = re.compile(r"\\(.)")
#: what JSON's one-character escapes stand for
_ESCAPED = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def _unescape(body: str) -> str:
    """The value of a :data:`_SIMPLE_STRING`'s body, as ``json.loads`` decodes it."""
    return _ESCAPE.sub(lambda m: _ESCAPED[m.group(1)], body) if "\\" in body else body


#: PyYAML refuses a simple key longer than this
_MAX_KEY = 1024


def read_plain(text: str) -> tuple[bool, Any]:
    """``(True, data)`` when ``text`` is plain front matter (see the module), read as PyYAML's
    safe loader reads it; else ``(False, None)``."""
    if _refused(text):
        return False, None
    data: dict[str, Any] = {}
    for line in text.split("\n"):
        if not line.strip(" ") or line.startswith("#"):
            continue
        m = _KEY_LINE.fullmatch(line)
        if m is None:
            return False, None
        key, raw = m.group(1), (m.group(2) or "").rstrip(" ")
        if key in data or len(key) >= _MAX_KEY or _BOOL.fullmatch(key) or key in _NULL:
            return False, None
        ok, value = _value(raw)
        if not ok:
            return False, None
        data[key] = value
    return True, (data or None)


def _refused(text: str) -> bool:
    """Whether ``text`` holds a character the plain reader declines (see :data:`_REFUSED`)."""
    if _REFUSED.search(text):
        return True
    if text.isascii():
        return False
    if any(c in text for c in _REFUSED_OTHER):
        return True
    try:
        text.encode("utf-8")  # refuses exactly the lone surrogates (U+D800–U+DFFF)
    except UnicodeEncodeError:
        return True
    return False


def _value(raw: str) -> tuple[bool, Any]:
    if raw in _NULL:
        return True, None
    if _BOOL.fullmatch(raw):
        return True, raw.lower() in _TRUE
    if _INT.fullmatch(raw):
        return True, int(raw)
    date = _DATE.fullmatch(raw)
    if date:
        try:
            return True, _dt.date(*(int(g) for g in date.groups()))
        except ValueError:  # 2026-02-30: the reference says what it makes of it
            return False, None
    first = raw[0]
    if first in ('"', "["):
        return _json_value(raw)
    if first in _NOT_PLAIN_START or ": " in raw or " #" in raw or raw.endswith(":"):
        return False, None
    return True, raw


def _json_value(raw: str) -> tuple[bool, Any]:
    """A double-quoted string, or a flow sequence of them, as JSON reads it (declined when
    JSON refuses it or it is anything else)."""
    if _SURROGATE_ESCAPE.search(raw):
        return False, None
    # what json.loads gives, without importing json (~1.4 ms of a re-run, issue 26), for the
    # strings with no escape but the one-character ones; anything else goes to it
    m = _SIMPLE_STRING.fullmatch(raw)
    if m:
        return True, _unescape(m.group(1))
    if _SIMPLE_LIST.fullmatch(raw):
        return True, [_unescape(body) for body in _SIMPLE_STRING.findall(raw)]
    import json

    try:
        value = json.loads(raw)
    except ValueError:
        return False, None
    if isinstance(value, str):
        return True, value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return True, value
    return False, None
