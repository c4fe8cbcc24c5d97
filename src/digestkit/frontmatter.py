"""Front matter: detect, split, load and export YAML (``---``), TOML (``+++``) and JSON (``{``).

The contract follows python-frontmatter's handlers (detect / split / load / export), and YAML
loading and dumping go through its ``YAMLHandler`` with our own hardened loader. What we do not
take is its leniency: python-frontmatter strips the body, ignores non-mapping front matter and
returns the text unchanged on a split error. Here every problem is a :class:`ParseError` with the
file, line and column, and the body is returned exactly as it stood.

Line and column numbers are 1-based and count in the whole file, fences included.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping

from ._records import record as dataclass  # dataclasses' classes, no exec
from .errors import ParseError
from .frontmatter_plain import read_plain
from .lazyre import lazy_compile

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from typing import Any, Literal

    FrontMatterFormat = Literal["yaml", "toml", "json"]

__all__ = ["FrontMatterFormat", "Split", "detect", "dump", "load", "split", "split_fenceless"]


_FENCES: dict[str, FrontMatterFormat] = {"---": "yaml", "+++": "toml"}
_FENCE_LINE = re.compile(r"(---|\+\+\+)[ \t]*\n?")


@dataclass(frozen=True, slots=True)
class Split:
    """A file cut into front matter and body.

    ``text`` is the front matter source without its fences (for JSON, the object itself);
    ``line`` is the file line on which ``text`` starts; ``body`` is everything after the closing
    fence, untouched.
    """

    format: FrontMatterFormat | None
    text: str
    body: str
    line: int = 1
    body_line: int = 1


#: Blank lines Hugo skips before the opening fence (its page parser ignores leading white space).
_LEADING_BLANKS = re.compile(r"(?:[ \t]*\n)+(?=---[ \t]*\n|\+\+\+[ \t]*\n)")


def _lead(text: str) -> int:
    m = _LEADING_BLANKS.match(text)
    return m.end() if m else 0


def detect(text: str) -> FrontMatterFormat | None:
    """Which front matter the text opens with, judged from its first line only.

    Blank lines before a ``---``/``+++`` fence are skipped, as Hugo skips them.
    """
    text = text[_lead(text) :]
    m = _FENCE_LINE.match(text)
    if m and (m.end() == len(text) or text[m.end() - 1] == "\n"):
        return _FENCES[m.group(1)]
    if text.startswith("{"):
        return "json"
    return None


def split(text: str, *, path: str | None = None) -> Split:
    """Cut ``text`` into front matter and body; raise :class:`ParseError` on an unclosed fence."""
    fmt = detect(text)
    if fmt is None:
        return Split(None, "", text)
    lead = _lead(text)
    if lead:
        skipped = text.count("\n", 0, lead)
        try:
            s = split(text[lead:], path=path)
        except ParseError as exc:
            raise ParseError(exc.message, path=path, line=(exc.line or 1) + skipped,
                             column=exc.column) from None  # fmt: skip
        return Split(s.format, s.text, s.body, s.line + skipped, s.body_line + skipped)
    if fmt == "json":
        import json  # JSON front matter only (~1.4 ms a YAML digest's re-run need not pay)

        try:
            _, end = json.JSONDecoder().raw_decode(text)
        except json.JSONDecodeError as exc:
            raise ParseError(
                f"JSON front matter: {exc.msg}", path=path, line=exc.lineno, column=exc.colno
            ) from None
        body = text[end:]
        if body.startswith("\n"):
            body = body[1:]
        return Split("json", text[:end], body, 1, text.count("\n", 0, end) + 2)
    fence = text[:3]
    first_nl = text.find("\n")
    start = len(text) if first_nl < 0 else first_nl + 1
    closer = re.compile(rf"^{re.escape(fence)}[ \t]*$" + (r"|^\.\.\.[ \t]*$" if fmt == "yaml" else ""),
                        re.MULTILINE)  # fmt: skip
    m = closer.search(text, start)
    if m is None:
        raise ParseError(
            f"front matter opened with '{fence}' on line 1 is never closed "
            f"(add a line '{fence}' after it)",
            path=path,
            line=1,
            column=1,
        )
    fm_text = text[start : m.start()]
    body_start = m.end() + 1 if m.end() < len(text) else m.end()
    return Split(fmt, fm_text, text[body_start:], 2, text.count("\n", 0, body_start) + 1)


#: Hexo's fenceless form: key lines, list items and indented lines up to the first ``---``. The
#: line kinds start differently (letter, blank, dash, nothing), so the match cannot backtrack
#: exponentially; 200 lines at most.
_FENCELESS = lazy_compile(
    r"((?: *[A-Za-z_][\w-]*:(?:[ \t][^\n]*)?\n)(?:(?:[A-Za-z_][\w-]*:(?:[ \t][^\n]*)?"
    r"|[ \t][^\n]*|-(?:[ \t][^\n]*)?|)\n){0,200}?)-{3,}[ \t]*(?:\n|$)"
)
_FENCELESS_KEY = lazy_compile(r"^ *(title|date):", re.MULTILINE)


def split_fenceless(text: str, *, path: str | None = None) -> Split | None:
    """Hexo's front matter without an opening fence (``title: x`` / ``date: …`` / ``---``), or
    None when ``text`` does not open so.

    Hexo (hexo-front-matter) reads everything above a file's first ``---`` line as YAML when the
    file does not open with one; translation blogs write every post so. Plain Markdown can open
    the same way (a setext heading ``Note: x`` / ``---``), so only a block of nothing but
    ``key:`` lines, list items and indented lines, with a ``title`` or ``date`` key, that loads
    as a YAML mapping counts; anything else stays Markdown, read as before. Hugo never reads it:
    only the ``markdown`` reader asks.
    """
    if detect(text) is not None:
        return None
    m = _FENCELESS.match(text)
    if m is None or not _FENCELESS_KEY.search(m.group(1)):
        return None
    body_start = m.end()
    s = Split("yaml", m.group(1), text[body_start:], 1, text.count("\n", 0, body_start) + 1)
    try:
        data = _load_yaml(s, path, warn=False)
    except ParseError:
        return None
    return s if isinstance(data, dict) else None


# --------------------------------------------------------------------------- YAML

#: the PyYAML machinery's names, reached through this module as before (tests, callers)
_YAML_NAMES = frozenset(("MAX_YAML_NODES", "_FastLoader", "_SafeLoader", "_fast_yaml",
                         "_check_expansion", "_tab_separator", "_flow_depth", "_Dumper"))  # fmt: skip


def __getattr__(name: str) -> Any:
    """The PyYAML side (:mod:`digestkit.frontmatter_yaml`), imported when first asked for; and
    ``FrontMatterFormat``, made the first time it is asked for: a ``Literal`` needs ``typing``,
    which a weekly re-run does not otherwise import (~2 ms, issue 26; every annotation that
    names it is a string)."""
    if name in _YAML_NAMES:
        from . import frontmatter_yaml

        return getattr(frontmatter_yaml, name)
    if name == "FrontMatterFormat":
        from typing import Literal

        alias = Literal["yaml", "toml", "json"]
        globals()[name] = alias
        return alias
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _load_yaml(s: Split, path: str | None, warn: bool = True) -> Any:
    """Plain front matter without PyYAML (:mod:`digestkit.frontmatter_plain`: ``import yaml``
    is ~20 ms of a re-run), anything else through it."""
    ok, data = read_plain(s.text)
    if ok:
        return data
    from .frontmatter_yaml import load_yaml

    return load_yaml(s.text, s.line, path, warn)


# --------------------------------------------------------------------------- TOML


def _load_toml(s: Split, path: str | None) -> Any:
    import tomlkit
    from tomlkit.exceptions import ParseError as TomlParseError

    try:
        return tomlkit.parse(s.text).unwrap()
    except TomlParseError as exc:
        msg = str(exc).split(" at line ")[0]
        raise ParseError(
            f"TOML front matter: {msg}", path=path, line=s.line + exc.line - 1, column=exc.col
        ) from None
    except RecursionError:
        raise ParseError("TOML front matter nests too deeply", path=path, line=s.line) from None


# --------------------------------------------------------------------------- public


def load(s: Split, *, path: str | None = None, warn: bool = True) -> dict[str, Any]:
    """Parse the front matter of ``s`` into an ordered mapping; it must be a mapping (or empty).

    Where Hugo is more lenient than PyYAML (TABs as separators) the front matter still loads,
    with a warning naming ``file:line`` unless ``warn`` is false (writers re-checking text
    that was already read and warned about).
    """
    if s.format is None:
        return {}
    if s.format == "yaml":
        data = _load_yaml(s, path, warn)
    elif s.format == "toml":
        data = _load_toml(s, path)
    else:
        import json

        data = json.loads(s.text)
    if data is None:
        return {}
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        raise ParseError(
            f"{s.format.upper()} front matter must be a mapping of keys to values, not {kind}",
            path=path,
            line=s.line,
            column=1,
        )
    bad = [k for k in data if not isinstance(k, str)]
    if bad:
        raise ParseError(
            f"front matter keys must be strings, not {bad[0]!r}", path=path, line=s.line, column=1
        )
    return data


def _json_default(value: Any) -> Any:
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dump(data: Mapping[str, Any], fmt: FrontMatterFormat) -> str:
    """Render ``data`` as a complete front matter block, fences and final newline included."""
    plain = _plain(data)
    if fmt == "yaml":
        from .frontmatter_yaml import dump_yaml

        text = dump_yaml(plain) if plain else ""
        return f"---\n{text}\n---\n" if text else "---\n---\n"
    if fmt == "toml":
        import tomlkit

        return f"+++\n{tomlkit.dumps(plain)}+++\n"
    import json

    return json.dumps(plain, ensure_ascii=False, indent=2, default=_json_default) + "\n"


def _plain(value: Any) -> Any:
    """Mapping proxies and tuples as plain dicts and lists, which every serialiser understands."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
