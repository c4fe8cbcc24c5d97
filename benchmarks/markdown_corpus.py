"""Whole-corpus Markdown checks on real documents: stable round trips and the fast parse path.

``python -m benchmarks.markdown_corpus [FOLDER]`` reads every ``.md`` file under FOLDER (default
``$DIGESTKIT_CORPUS/docs``, else ``/work/corpora/zh/docs``: the 3,939 Markdown documents of
``benchmarks/corpus/SOURCES.tsv``, rebuilt from git mirrors by ``benchmarks/corpus/rebuild.py``;
``$DIGESTKIT_MD_CORPUS`` names another folder) and prints one JSON report:

- **stability** (issue 25, point 4): ``dumps(load(f))`` is Markdown; read back and written
  again it must be the same text. Files whose second output differs are listed with their first
  differing line; files whose text is stable but whose second read differs from the first (a
  trailing space before a line break the writer cannot keep …) are listed apart.
- **fast path** (issue 25, point 15; it was a test skipped wherever the corpus was missing):
  ``readers.markdown_fast.fast_blocks`` must answer most plain documents (no shortcodes, no
  footnotes) and never differ from the reference ``markdown-it-py`` parse where it answers.

The corpus stays outside the repository (provenance rows only); the tests check the same
properties on committed data (``tests/test_roundtrip_stability.py``,
``tests/readers/test_markdown_fast.py``). Figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import json
import os
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import digestkit
from digestkit import frontmatter
from digestkit.errors import DigestkitError
from digestkit.readers.markdown import reference_blocks
from digestkit.readers.markdown_fast import fast_blocks


def default_folder() -> Path:
    if os.environ.get("DIGESTKIT_MD_CORPUS"):
        return Path(os.environ["DIGESTKIT_MD_CORPUS"])
    return Path(os.environ.get("DIGESTKIT_CORPUS", "/work/corpora/zh")) / "docs"


def _first_difference(a: str, b: str) -> str:
    for n, (x, y) in enumerate(zip(a.splitlines(), b.splitlines(), strict=False), 1):
        if x != y:
            return f"line {n}: {x[:80]!r} → {y[:80]!r}"
    return "line counts differ"


def stability(path: Path) -> tuple[str | None, bool]:
    """(what differs between the first and the second Markdown output, or None; whether the
    first output reads back as a different document)."""
    doc = digestkit.load(path, "markdown")
    first = digestkit.dumps(doc, "markdown")
    again = digestkit.loads(first, "markdown")
    second = digestkit.dumps(again, "markdown")
    why = _first_difference(first, second) if second != first else None
    return why, again.blocks != doc.blocks


def fast_path(text: str) -> tuple[bool, bool, bool]:
    """(answered, plain, differs) for one document's body."""
    body = frontmatter.split(text).body if frontmatter.detect(text) else text
    plain = "{{" not in body and "[^" not in body  # no shortcodes, no footnotes
    fast = fast_blocks(body)
    if fast is None:
        return False, plain, False
    return True, plain, fast != reference_blocks(body)


def run(folder: Path | None = None) -> dict[str, Any]:
    folder = folder or default_folder()
    files = sorted(folder.rglob("*.md")) if folder.is_dir() else []
    report: dict[str, Any] = {"folder": str(folder), "files": len(files)}
    unstable: list[str] = []
    other: list[str] = []  # the text is stable, but the first read and the second differ
    refused = answered = plain = 0
    differs: list[str] = []
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in files:
            name = str(path.relative_to(folder))
            try:
                why, changed = stability(path)
                if why is not None:
                    unstable.append(f"{name}: {why}")
                if changed:
                    other.append(name)
                a, p, d = fast_path(path.read_text(encoding="utf-8", errors="replace"))
            except DigestkitError:
                refused += 1  # a one-line error (broken front matter …) is not a drift
                continue
            answered += a
            plain += p
            if d:
                differs.append(name)
    report["stability"] = {"unstable": len(unstable), "refused": refused, "files": unstable,
                           "document_differs": other}  # fmt: skip
    report["fast_path"] = {
        "answered": answered,
        "plain": plain,
        "answered_share_of_plain": round(answered / plain, 3) if plain else None,
        "differs": differs,
    }
    report["seconds"] = round(time.perf_counter() - start, 1)
    return report


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else None
    report = run(folder)
    json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
    print()
    if not report["files"]:
        print(f"no Markdown files under {report['folder']}", file=sys.stderr)
        return 1
    ok = not report["stability"]["unstable"] and not report["fast_path"]["differs"]
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
