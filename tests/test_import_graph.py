"""The package's import graph has no circles, and no hand-written module is over 900 lines
(issue 27: rooms a newcomer can find; see docs/architecture.md).

Every import counts, as Python's ``ast`` sees it: at module level, inside functions and under
``TYPE_CHECKING``, absolute or relative; ``from . import name`` is the module ``name`` when one
exists, else the package. A circle through the facade (a module importing ``load`` from
``digestkit`` while ``digestkit`` imports it) is what this catches first.
"""

from __future__ import annotations

import ast as pyast
from pathlib import Path

import digestkit

PACKAGE = Path(digestkit.__file__).parent
#: generated tables (``_script_chars``) start with ``_``; the linear prose model that was allowed
#: here is gone (issue 24)
LONG_ALLOWED: set[str] = set()
MAX_LINES = 900


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        out[".".join(parts)] = path
    return out


def _graph(mods: dict[str, Path]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in pyast.walk(pyast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, pyast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parts + ([base] if base else []))
                for alias in node.names:
                    target = next((c for c in (f"{base}.{alias.name}", base) if c in mods), None)
                    if target is not None and target != name:
                        graph[name].add(target)
            elif isinstance(node, pyast.Import):
                graph[name].update(a.name for a in node.names if a.name in mods and a.name != name)
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    group.append(top)
                    if top == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_no_import_circles():
    assert _circles(_graph(_modules())) == []


def test_the_checker_finds_a_circle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _circles(graph) == [["a", "b", "c"]]


def test_only_the_command_imports_the_facade():
    """Library modules take ``load``/``loads`` from ``digestkit.api`` and the version from
    ``digestkit._version``; only the command line, which sits above the facade, uses it."""
    graph = _graph(_modules())
    assert sorted(m for m, deps in graph.items() if "digestkit" in deps) == ["digestkit.cli"]


def test_no_hand_written_module_over_900_lines():
    long = {
        name: n
        for name, path in _modules().items()
        if not path.name.startswith("_")
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert set(long) <= LONG_ALLOWED, long
