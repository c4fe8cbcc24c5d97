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
import json
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import yaml

from .errors import ParseError

__all__ = ["FrontMatterFormat", "Split", "detect", "dump", "load", "split", "split_fenceless"]

FrontMatterFormat = Literal["yaml", "toml", "json"]

_FENCES: dict[str, FrontMatterFormat] = {"---": "yaml", "+++": "toml"}
_FENCE_LINE = re.compile(r"(---|\+\+\+)[ \t]*\n?")
#: Expanded YAML nodes allowed after resolving aliases; a "billion laughs" bomb needs ~10^9.
MAX_YAML_NODES = 100_000


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
_FENCELESS = re.compile(
    r"((?: *[A-Za-z_][\w-]*:(?:[ \t][^\n]*)?\n)(?:(?:[A-Za-z_][\w-]*:(?:[ \t][^\n]*)?"
    r"|[ \t][^\n]*|-(?:[ \t][^\n]*)?|)\n){0,200}?)-{3,}[ \t]*(?:\n|$)"
)
_FENCELESS_KEY = re.compile(r"^ *(title|date):", re.MULTILINE)


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


def _refuse_duplicate_keys(loader: Any, node: yaml.MappingNode) -> None:
    """A key written twice is an error (PyYAML keeps the last silently; Hugo refuses it), at the
    second key's position: shared by the pure-Python and the libyaml loader."""
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            key = loader.construct_scalar(key_node)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)


class _SafeLoader(yaml.SafeLoader):
    """PyYAML's safe loader, plus: alias-bomb limit, duplicate-key errors, no Python tags."""

    def compose_document(self) -> yaml.Node | None:
        node: yaml.Node | None = super().compose_document()
        _check_expansion(node)
        return node

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        _refuse_duplicate_keys(self, node)
        return super().construct_mapping(node, deep=deep)


_CSafe: Any = getattr(yaml, "CSafeLoader", None)
if _CSafe is not None:

    class _FastLoader(_CSafe):  # type: ignore[misc]
        """:class:`_SafeLoader` on libyaml's C parser (~7x faster), for the valid front matter
        that is nearly all of it: same constructor, same duplicate-key and alias-bomb checks.
        Anything it refuses is read again by :class:`_SafeLoader`, whose errors, positions and
        TAB mending are the reference (``tests/test_frontmatter.py`` compares the two)."""

        def get_single_node(self) -> yaml.Node | None:
            node: yaml.Node | None = super().get_single_node()
            _check_expansion(node)
            return node

        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
            _refuse_duplicate_keys(self, node)
            mapping: dict[Any, Any] = yaml.SafeLoader.construct_mapping(self, node, deep=deep)
            return mapping


def _yaml_handler() -> Any:
    """python-frontmatter's ``YAMLHandler`` (imported when first used: the fast path reads
    nearly all front matter without it)."""
    from frontmatter.default_handlers import YAMLHandler

    return YAMLHandler()


def _fast_yaml(text: str) -> tuple[bool, Any]:
    """``(True, data)`` when libyaml reads ``text`` without complaint, else ``(False, None)``."""
    if _CSafe is None or "\t" in text:  # libyaml takes TAB separators silently: the reference
        return False, None  # mends them with a warning (Hugo's leniency), so it reads them
    try:
        return True, yaml.load(text, Loader=_FastLoader)
    except Exception:  # any refusal: the reference loader decides, and says why
        return False, None


def _check_expansion(root: yaml.Node | None) -> None:
    """Refuse documents whose aliases expand past :data:`MAX_YAML_NODES` (memoised, so linear)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)] if root is not None else []
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        kids: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            kids = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            kids = [n for pair in node.value for n in pair]
        if done or not kids:
            total = 1 + sum(sizes.get(id(k), 0) for k in kids)
            if total > MAX_YAML_NODES:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"aliases expand to more than {MAX_YAML_NODES} values (a YAML alias bomb?)",
                    node.start_mark,
                )
            sizes[id(node)] = total
            continue
        stack.append((node, True))
        stack.extend((k, False) for k in kids if id(k) not in sizes)


class _Dumper(yaml.SafeDumper):
    """Safe dumper that writes multi-line strings as literal blocks and keeps key order."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value and not value.endswith((" ", "\t")) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(tuple, lambda d, v: d.represent_list(list(v)))


#: How many separating TABs :func:`_load_yaml` will mend before giving up (each costs a re-parse).
_MAX_TAB_FIXES = 200


def _tab_separator(text: str, exc: yaml.MarkedYAMLError) -> int | None:
    """Index of the TAB PyYAML refused, if it separates tokens inside a line (not indentation).

    Go's yaml, which Hugo uses, allows a TAB between a key's colon and its value —
    ``title:<TAB>"x"`` — while PyYAML refuses a TAB wherever a token could start. TABs used for
    indentation or after a list dash stay errors: Go's yaml refuses those too.
    """
    mark = exc.problem_mark
    if mark is None or "'\\t'" not in (exc.problem or ""):
        return None
    index = mark.index
    if index >= len(text) or text[index] != "\t":
        return None
    line_start = text.rfind("\n", 0, index) + 1
    # After a key's colon: Go's yaml refuses a TAB after a list dash or as block indentation.
    if text[line_start:index].rstrip(" \t").endswith(":"):
        return index
    # Inside ``[ ]`` or ``{ }`` indentation means nothing, and YAML lets a TAB lead a flow
    # item's line (``categories: [`` / ``<TAB>"Go"`` / ``]``); Go's yaml reads it, PyYAML not.
    return index if _flow_depth(text, index) > 0 else None


def _flow_depth(text: str, index: int) -> int:
    """How many ``[``/``{`` are open at ``text[index]``: brackets in quoted scalars and
    comments do not count. Rough for brackets inside plain scalars (``a[1]``), which only
    decides whether a TAB PyYAML refused is mended; the reference still parses the result."""
    depth, quote, i = 0, "", 0
    while i < index:
        c = text[i]
        if quote:
            if c == quote and not (quote == '"' and text[i - 1] == "\\"):
                quote = ""
        elif c in "\"'" and (i == 0 or text[i - 1] in " \t\n[{,:"):
            quote = c
        elif c == "#" and (i == 0 or text[i - 1] in " \t\n"):
            i = text.find("\n", i)
            if i < 0:
                break
        elif c in "[{":
            depth += 1
        elif c in "]}":
            depth = max(0, depth - 1)
        i += 1
    return depth


def _load_yaml(s: Split, path: str | None, warn: bool = True) -> Any:
    ok, data = _fast_yaml(s.text)
    if ok:
        return data
    text, mended = s.text, []
    for _ in range(_MAX_TAB_FIXES):
        try:
            data = _yaml_handler().load(text, Loader=_SafeLoader)
        except yaml.MarkedYAMLError as exc:
            index = _tab_separator(text, exc)
            if index is None:
                break
            end = index
            while end < len(text) and text[end] == "\t":
                end += 1
            # Same columns, same meaning: a TAB separator is a space separator in YAML 1.2.
            text = text[:index] + " " * (end - index) + text[end:]
            mended.append(s.line + text.count("\n", 0, index))
            continue
        if mended and warn:
            where = ", ".join(str(n) for n in sorted(set(mended)))
            warnings.warn(
                f"{path or '<string>'}:{mended[0]}: YAML front matter uses TABs as separators "
                f"(line {where}); read as spaces, as Hugo does, but PyYAML and other tools refuse "
                "them",
                stacklevel=4,
            )
        return data
    return _load_yaml_strict(s, text, path)


def _load_yaml_strict(s: Split, text: str, path: str | None) -> Any:
    try:
        return _yaml_handler().load(text, Loader=_SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if (
            exc.context_mark
            and exc.context
            and ("end of stream" in problem or "<stream end>" in problem)
        ):
            # something opened is never closed (a quote, a bracket): the end of the text says
            # nothing, so point where PyYAML's caret points, at the opening
            mark = exc.context_mark
            problem = f"{problem} {exc.context} that starts here"
        if isinstance(exc, yaml.constructor.ConstructorError) and "python/" in problem:
            problem = f"{problem} (Python object tags are refused; nothing was executed)"
        line = s.line + mark.line if mark else s.line
        col = mark.column + 1 if mark else 1
        raise ParseError(
            f"YAML front matter: {problem}", path=path, line=line, column=col
        ) from None
    except yaml.YAMLError as exc:
        raise ParseError(f"YAML front matter: {exc}", path=path, line=s.line, column=1) from None
    except RecursionError:
        raise ParseError("YAML front matter nests too deeply", path=path, line=s.line) from None


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
        text = _yaml_handler().export(
            plain, Dumper=_Dumper, sort_keys=False, width=float("inf")
        ) if plain else ""  # fmt: skip
        return f"---\n{text}\n---\n" if text else "---\n---\n"
    if fmt == "toml":
        import tomlkit

        return f"+++\n{tomlkit.dumps(plain)}+++\n"
    return json.dumps(plain, ensure_ascii=False, indent=2, default=_json_default) + "\n"


def _plain(value: Any) -> Any:
    """Mapping proxies and tuples as plain dicts and lists, which every serialiser understands."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
