"""PyYAML behind the front matter: the hardened loaders, the TAB mending, the errors, the dumper.

Imported only when a front matter is not plain enough for :mod:`digestkit.frontmatter_plain`
(or is written): ``import yaml`` costs ~20 ms of CPU, a tenth of a weekly re-run that parses
one digest. :mod:`digestkit.frontmatter` is the public face; this module is its YAML room.
"""

from __future__ import annotations

import warnings
from typing import Any

import yaml

from .errors import ParseError

__all__ = ["MAX_YAML_NODES", "dump_yaml", "load_yaml"]

#: Expanded YAML nodes allowed after resolving aliases; a "billion laughs" bomb needs ~10^9.
MAX_YAML_NODES = 100_000


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


def load_yaml(source: str, line: int, path: str | None, warn: bool = True) -> Any:
    """The front matter ``source`` (starting on file line ``line``) as PyYAML's hardened safe
    loader reads it: libyaml first, the pure-Python loader (with TAB mending and a warning)
    on any refusal, and a :class:`ParseError` with ``file:line:col`` when neither reads it."""
    ok, data = _fast_yaml(source)
    if ok:
        return data
    text, mended = source, []
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
            mended.append(line + text.count("\n", 0, index))
            continue
        if mended and warn:
            where = ", ".join(str(n) for n in sorted(set(mended)))
            warnings.warn(
                f"{path or '<string>'}:{mended[0]}: YAML front matter uses TABs as separators "
                f"(line {where}); read as spaces, as Hugo does, but PyYAML and other tools refuse "
                "them",
                stacklevel=5,
            )
        return data
    return _load_yaml_strict(line, text, path)


def _load_yaml_strict(first: int, text: str, path: str | None) -> Any:
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
        at = first + mark.line if mark else first
        col = mark.column + 1 if mark else 1
        raise ParseError(f"YAML front matter: {problem}", path=path, line=at, column=col) from None
    except yaml.YAMLError as exc:
        raise ParseError(f"YAML front matter: {exc}", path=path, line=first, column=1) from None
    except RecursionError:
        raise ParseError("YAML front matter nests too deeply", path=path, line=first) from None


def dump_yaml(plain: Any) -> str:
    """``plain`` (dicts, lists, scalars) as YAML: multi-line strings as literal blocks, key
    order kept, no line folding."""
    text: str = _yaml_handler().export(plain, Dumper=_Dumper, sort_keys=False, width=float("inf"))
    return text
