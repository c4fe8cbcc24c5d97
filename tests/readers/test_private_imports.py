"""No reader imports another reader's private names (STYLE.md: shared helpers live in neutral
modules). ``pandoc_json`` took ``_fold_html`` from the Markdown reader, and the EPUB and feed
readers ``_date`` from the HTML reader; they now come from ``markers`` and ``metadata``."""

from __future__ import annotations

import ast as pyast
from pathlib import Path

import digestkit.readers

READERS = Path(digestkit.readers.__file__).parent


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
