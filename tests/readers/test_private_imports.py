"""No reader imports another reader's private names (STYLE.md: shared helpers live in neutral
modules). ``pandoc_json`` took ``_fold_html`` from the Markdown reader, and the EPUB and feed
readers ``_date`` from the HTML reader; they now come from ``markers`` and ``metadata``.

The same rule holds across the whole package (issue 27): no module takes another module's private
names (``_check`` of the script transform, ``_children_of`` of the AST, ``_codec`` of the HTML
reader). A package's own private modules (``from . import _script_chars``) are its business, and
module paths (``from .._version import __version__``) are not names of another module."""

from __future__ import annotations

import ast as pyast
from pathlib import Path

import digestkit
import digestkit.readers

READERS = Path(digestkit.readers.__file__).parent
PACKAGE = Path(digestkit.__file__).parent


def _private_imports() -> list[str]:
    found = []
    for path in sorted(READERS.rglob("*.py")):
        for node in pyast.walk(pyast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, pyast.ImportFrom) and node.level):
                continue
            module = node.module or ""
            # a package's own private modules (prose/_x.py from prose/) are its business
            inside = node.level == 1 and path.parent != READERS
            if not inside and any(part.startswith("_") for part in module.split(".")):
                found.append(f"{path.name}: {module}")
            found += [f"{path.name}: {module}.{a.name}" for a in node.names
                      if a.name.startswith("_") and not a.name.endswith("__")]  # fmt: skip
    return found


def test_no_reader_imports_another_modules_private_names():
    assert _private_imports() == []


def test_the_shared_helpers_are_public_in_neutral_modules():
    from digestkit import markers, metadata

    assert {"fold_html", "merge_text"} <= set(markers.__all__)
    assert "parse_web_date" in metadata.__all__


def _private_names_anywhere() -> list[str]:
    """Private names (functions, classes, constants) imported from another module anywhere in
    the package; a package's own private modules imported by name (``from . import _x``) and
    the version leaf are not names of another module."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "prose" in path.relative_to(PACKAGE).parts:
            continue  # readers/prose/ is being rebuilt apart (issue 26); its own test covers it
        for node in pyast.walk(pyast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, pyast.ImportFrom) and node.level):
                continue
            module = node.module or ""
            own_modules = node.level == 1 and not module  # from . import _x: a sibling module
            for a in node.names:
                if a.name.startswith("_") and not a.name.endswith("__") and not own_modules:
                    found.append(f"{path.relative_to(PACKAGE)}: {module}.{a.name}")
    return found


def test_no_module_imports_another_modules_private_names():
    assert _private_names_anywhere() == []
