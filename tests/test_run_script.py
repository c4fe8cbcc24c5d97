"""The ``run`` script's set-up: what the main job and the tests install (issue 25, point 14).

The script itself is never run here (it would install Debian packages and rebuild the venv): its
definitions — everything above the command dispatch — are sourced into bash, and its
``setup_python`` runs against a fake venv whose ``python`` only records how pip was called.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from tests.conftest import require_tool

RUN = Path(__file__).resolve().parent.parent / "run"
TEXT = RUN.read_text(encoding="utf-8")
DEFINITIONS = TEXT[: TEXT.index("cmd=${1:-help}")]


def _bash(script: str, cwd: Path) -> str:
    bash = require_tool("bash")  # skipped on a developer machine without it; fails under CI
    proc = subprocess.run(
        # $0 names a script in cwd: the definitions' `cd "$(dirname "$0")"` stays there
        [bash, "-c", DEFINITIONS + "\n" + script, str(cwd / "run")], cwd=cwd, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _branch(command: str) -> str:
    """The body of one ``case "$cmd"`` branch of the dispatch."""
    m = re.search(rf"^  {command}\)(.*?);;", TEXT[len(DEFINITIONS) :], re.M | re.S)
    assert m, command
    return m.group(1)


def test_the_main_job_installs_the_cjk_faces_and_no_dev_extra(tmp_path):
    out = _bash('profile weekly; echo "${SYSTEM_PACKAGES[*]}|$PIP_SPEC"', tmp_path)
    packages, spec = out.strip().split("|")
    # the first book's PNG cover is drawn with fontconfig's Noto CJK face
    assert {"fontconfig", "fonts-noto-cjk"} <= set(packages.split())
    assert spec == "." and "dev" not in spec
    assert "setup weekly" in _branch("weekly")
    for command in ("test", "lint", "bench", "setup"):
        assert "setup test" in _branch(command), command
    out = _bash('profile test; echo "${SYSTEM_PACKAGES[*]}|$PIP_SPEC"', tmp_path)
    assert out.strip().endswith("|.[dev]") and "epubcheck" not in out and "hugo" in out


def test_the_stamp_installs_again_only_what_is_missing(tmp_path):
    """weekly → the package; weekly again → nothing; test → the dev extra; weekly after test →
    nothing (a test install holds the main job's); a changed pyproject.toml → install again."""
    shutil.copy(RUN.parent / "pyproject.toml", tmp_path / "pyproject.toml")
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    fake = venv / "bin" / "python"
    fake.write_text(f'#!/bin/sh\necho "$*" >> {tmp_path}/pip.log\n', encoding="utf-8")
    fake.chmod(0o755)

    def installs(*profiles: str) -> list[str]:
        (tmp_path / "pip.log").write_text("", encoding="utf-8")
        steps = "; ".join(f"profile {p}; setup_python" for p in profiles)
        _bash(f"VENV={venv}; {steps}", tmp_path)
        log = (tmp_path / "pip.log").read_text(encoding="utf-8").splitlines()
        return [line.split(" -e ")[1] for line in log if " -e " in line]

    assert installs("weekly") == ["."]
    assert installs("weekly") == []
    assert installs("test") == [".[dev]"]
    assert installs("weekly", "test") == []
    with (tmp_path / "pyproject.toml").open("a", encoding="utf-8") as f:
        f.write("\n# changed\n")
    assert installs("weekly", "weekly") == ["."]
    assert installs("test", "weekly", "test") == [".[dev]"]
