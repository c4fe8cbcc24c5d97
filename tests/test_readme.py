"""Every Python and shell block of the README, run as written (issue 25, point 13).

Examples rot when nothing runs them: ``dump(doc, "digest.pdf", PdfOptions(paper="A4"))`` once
raised ``UnknownFormatError``. Each fenced ``python``/``sh`` block runs, in README order, in one
sandbox folder holding what the README's paths name (``fixtures/``, ``archive/``, ``digest.txt``,
``f.lua``); Python blocks share one namespace, like a reader typing them into one session.

Nothing is skipped silently. A block that cannot run here carries the README comment
``<!-- not run by tests/test_readme.py: REASON -->`` on the line above it: it is left out of the
runs (never a skip under CI) and ``test_blocks_not_run_say_why`` keeps such blocks few and explained. A ``pip install X`` line is checked, not run (it would change the shared venv):
``X`` must be installed, and ``digestkit[extra]`` must name an extra of ``pyproject.toml``.

In Python blocks a comment says what a line gives, and is checked: ``# == name`` (equal to
``name``), ``# 'text'`` (that value), ``# SomeError: …`` (raises it).
"""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

import digestkit
from tests.conftest import FIXTURES, ROOT, require

README = ROOT / "README.md"
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.M | re.S)
_NOT_RUN = re.compile(r"<!-- not run by tests/test_readme\.py: (.+?) -->\n\Z", re.S)


@dataclass(frozen=True)
class Block:
    line: int
    lang: str
    code: str
    not_run: str | None


def blocks() -> list[Block]:
    text = README.read_text(encoding="utf-8")
    out = []
    for m in _FENCE.finditer(text):
        before = text[: m.start()]
        reason = _NOT_RUN.search(before[-400:])
        out.append(Block(before.count("\n") + 1, m.group(1), m.group(2),
                         reason.group(1).strip() if reason else None))  # fmt: skip
    return out


RUNNABLE = ("python", "sh")


def test_every_block_is_python_or_shell_and_every_reason_is_said():
    found = blocks()
    assert len(found) >= 8
    for b in found:
        assert b.lang in RUNNABLE, f"README line {b.line}: a ```{b.lang} block nobody runs"
        assert b.not_run is None or len(b.not_run) > 20, b
    # the markers are the exception: most blocks run
    assert sum(b.not_run is None for b in found) > 2 * sum(b.not_run is not None for b in found)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    """The folder the README's examples run in, with the files their paths name."""
    root = tmp_path_factory.mktemp("readme")
    shutil.copytree(FIXTURES, root / "fixtures")
    shutil.copytree(FIXTURES, root / "archive")  # 000 and 001 are in 2026-W09
    shutil.copy(FIXTURES / "001_b56b55d7f0d190c3.txt", root / "digest.txt")
    (root / "f.lua").write_text("-- a pandoc Lua filter that changes nothing\nreturn {}\n",
                                encoding="utf-8")  # fmt: skip
    (root / "home").mkdir()
    return root


@pytest.fixture(scope="module")
def session():
    return {"__name__": "readme"}


def _expected_error(comment: str) -> type[BaseException] | None:
    m = re.match(r"(\w+Error):", comment)
    if not m:
        return None
    cls = getattr(digestkit, m.group(1), None) or getattr(digestkit.options, m.group(1), None)
    cls = cls or getattr(__builtins__ if isinstance(__builtins__, dict) else vars(__builtins__),
                         m.group(1), None)  # fmt: skip
    assert isinstance(cls, type) and issubclass(cls, BaseException), m.group(1)
    return cls


def run_python(block: Block, namespace: dict) -> None:
    lines = block.code.splitlines()
    for stmt in ast.parse(block.code).body:
        source = "\n".join(lines[stmt.lineno - 1 : stmt.end_lineno])
        last = lines[(stmt.end_lineno or stmt.lineno) - 1]
        comment = last.split("#", 1)[1].strip() if "#" in last else ""
        where = f"README line {block.line + stmt.lineno}: {source.strip()}"
        error = _expected_error(comment)
        if error is not None:
            with pytest.raises(error):
                exec(compile(source, where, "exec"), namespace)
            continue
        if isinstance(stmt, ast.Expr):
            value = eval(compile(ast.Expression(stmt.value), where, "eval"), namespace)
            if m := re.match(r"('[^']*'|\"[^\"]*\"|\d+)", comment):
                assert value == ast.literal_eval(m.group(1)), where
            continue
        exec(compile(source, where, "exec"), namespace)
        if (m := re.match(r"== (\w+)", comment)) and isinstance(stmt, ast.Assign):
            target = stmt.targets[0]
            assert isinstance(target, ast.Name)
            assert namespace[target.id] == namespace[m.group(1)], where


def _check_pip(line: str) -> None:
    """``pip install X``: checked, not run (it would change the shared venv)."""
    for arg in line.split()[2:]:
        name = arg.strip("\"'")
        if m := re.fullmatch(r"digestkit\[(\w+)\]", name):
            extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
            assert m.group(1) in extras["project"]["optional-dependencies"], line
        else:
            importlib.metadata.version(name)  # installed here, so the README's name is real


def run_shell(block: Block, cwd: Path) -> None:
    script = []
    for line in block.code.splitlines():
        if line.startswith("pip install "):
            _check_pip(line.split("#", 1)[0])
        else:
            script.append(line)
    bash = shutil.which("bash")
    require(bash is not None, "bash")
    home = cwd / "home"
    # the venv's digestkit and python3 first, then the user's ~/.local/bin (where the README
    # links pandoc), then the rest: what a reader who followed the README has
    path = os.pathsep.join([str(Path(sys.executable).parent), str(home / ".local" / "bin"),
                            os.environ.get("PATH", "")])  # fmt: skip
    env = {**os.environ, "HOME": str(home), "PATH": path}
    proc = subprocess.run([bash, "-euo", "pipefail", "-c", "\n".join(script)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600, check=False)  # fmt: skip
    assert proc.returncode == 0, f"README line {block.line}:\n{block.code}\n{proc.stderr}"


def test_blocks_not_run_say_why():
    """The blocks marked not run are few and each says why (they are left out of the runs below
    rather than skipped, so a CI run shows no skip: what they do is checked elsewhere)."""
    marked = [b for b in blocks() if b.not_run]
    assert len(marked) <= 3, [b.line for b in marked]
    for b in marked:
        assert len(b.not_run or "") >= 20, f"README line {b.line}: say why it is not run"


@pytest.mark.parametrize("block", [b for b in blocks() if not b.not_run],
                         ids=lambda b: f"line{b.line}-{b.lang}")  # fmt: skip
def test_readme_block(block, sandbox, session, monkeypatch):
    monkeypatch.chdir(sandbox)
    if block.lang == "python":
        run_python(block, session)
    else:
        run_shell(block, sandbox)


def test_what_the_blocks_wrote(sandbox):
    """The examples did what their comments say (they ran above, in order, in this sandbox)."""
    written = {p.name for p in sandbox.iterdir()}
    for name in ("digest.pdf", "weekly.epub", "weekly.html", "weekly.eml", "digest.docx",
                 "filtered.json", "digest.epub"):  # fmt: skip
        assert name in written, name
    assert (sandbox / "out" / "digest.md").read_text(encoding="utf-8").startswith("---\n")
    assert (sandbox / "site" / "content").is_dir()
    assert (sandbox / "home" / ".local" / "bin" / "pandoc").exists()
    assert (sandbox / "digest.pdf").read_bytes().startswith(b"%PDF")
