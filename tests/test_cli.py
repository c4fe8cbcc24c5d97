"""The command line, run as a real subprocess: outputs, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import digestkit
import digestkit.ast
from tests.conftest import FIXTURES, SEEDS


def run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "digestkit", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def assert_one_line_error(proc, code, *needles):
    assert proc.returncode == code, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("digestkit: ")
    assert "Traceback" not in proc.stderr
    for n in needles:
        assert n in lines[0]


def test_formats_command():
    proc = run("formats")
    assert proc.returncode == 0
    assert "markdown" in proc.stdout and "prose" in proc.stdout


def test_convert_single_file(tmp_path):
    out = tmp_path / "d.md"
    proc = run("convert", FIXTURES / "000_809134cfa5bf5e1a.txt", "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert digestkit.load(out) == digestkit.load(FIXTURES / "000_809134cfa5bf5e1a.txt")


def test_convert_many_into_a_folder(tmp_path):
    proc = run("convert", *SEEDS, "-o", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted(p.stem + ".md" for p in SEEDS)


def test_inspect_json_is_the_ast():
    proc = run("inspect", FIXTURES / "000_809134cfa5bf5e1a.txt", "--json")
    assert proc.returncode == 0
    data = json.loads(proc.stdout)
    assert digestkit.ast.Document.from_dict(data) == digestkit.load(
        FIXTURES / "000_809134cfa5bf5e1a.txt"
    )


def test_missing_file(tmp_path):
    proc = run("convert", tmp_path / "nope.md", "-o", tmp_path / "o.md")
    assert_one_line_error(proc, 1, "nope.md", "no such file")
    assert not (tmp_path / "o.md").exists()


def test_unknown_format_is_usage_error(tmp_path):
    proc = run("convert", SEEDS[0], "-o", tmp_path / "o.md", "--to", "docx")
    assert_one_line_error(proc, 2, "docx", "markdown")
    proc = run("convert", SEEDS[0], "-o", tmp_path / "o.xyz")
    assert_one_line_error(proc, 2, "--to")


def test_bad_option_is_usage_error():
    proc = run("convert")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_broken_yaml_reports_file_line_column(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: ok\ntags: [a\n---\nbody\n", encoding="utf-8")
    proc = run("convert", bad, "-o", tmp_path / "o.md")
    # the '[' never closed, where PyYAML's caret points (issue 25), not the end of the text (4:1)
    assert_one_line_error(proc, 1, f"{bad}:3:7:")
    assert not (tmp_path / "o.md").exists()


def test_undecodable_bytes(tmp_path):
    bad = tmp_path / "gb.txt"
    bad.write_bytes("国家新闻\n".encode("gb18030"))
    proc = run("inspect", bad)
    assert_one_line_error(proc, 1, str(bad), "not valid UTF-8", "gb18030")


def test_bad_second_input_writes_nothing(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: x\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = run("convert", SEEDS[0], bad, "-o", out)
    assert_one_line_error(proc, 1, "never closed")
    assert not out.exists() or not any(out.iterdir())


def test_existing_output_is_not_clobbered_on_failure(tmp_path):
    target = tmp_path / "o.md"
    target.write_text("precious", encoding="utf-8")
    bad = tmp_path / "bad.md"
    bad.write_text("---\n- a\n---\n", encoding="utf-8")
    proc = run("convert", bad, "-o", target)
    assert proc.returncode == 1
    assert target.read_text(encoding="utf-8") == "precious"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version(flag):
    assert run(flag).returncode == 0


def test_the_command_leaves_its_objects_to_exit():
    """``digestkit`` (``cli.run``) freezes the collector's objects before and after the work
    (issue 26: the collections of a short run walked every module's objects, and the one at
    exit every object the run made); ``main`` leaves the collector alone."""
    import subprocess
    import sys

    code = (
        "import gc, sys\n"
        "from digestkit import cli\n"
        "sys.argv = ['digestkit', 'formats']\n"
        "before = gc.get_freeze_count()\n"
        "status = cli.main()\n"
        "after_main = gc.get_freeze_count()\n"
        "young = gc.get_threshold()[0]\n"
        "status = cli.run()\n"
        "print(status, before, after_main, gc.get_freeze_count() > 0, young,"
        " gc.get_threshold()[0])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # and the command (not ``main``) collects its youngest objects less often (a PDF re-run's
    # WeasyPrint allocations had the collector walk them ~250 times; a warm EPUB or HTML re-run
    # makes ~11,000 objects it keeps)
    assert done.stdout.strip().splitlines()[-1] == "0 0 0 True 700 25000"


@pytest.mark.parametrize(("quiet", "shown"), [(False, "w1\ne1\n"), (True, "e1\n")])
def test_logging_is_configured_when_first_imported(quiet, shown):
    """The command configures the root logger (level, ``digestkit: LEVEL: …``) without importing
    ``logging``: whatever imports it later — WeasyPrint, fontTools, a plugin — finds it set up
    before its first record, as when ``basicConfig`` ran at start-up (issue 26)."""
    code = (
        "import sys\n"
        "from digestkit import cli\n"
        f"cli._setup_warnings({quiet})\n"
        f"cli._setup_warnings(not {quiet})  # the first configuration wins, as basicConfig's\n"
        "assert 'logging' not in sys.modules\n"
        "import logging\n"
        "assert logging.__spec__.loader is logging.__loader__\n"
        "assert type(logging.__loader__).__name__ == 'SourceFileLoader'\n"
        "logging.getLogger('plugin').info('i1')\n"
        "logging.getLogger('plugin').warning('w1')\n"
        "logging.getLogger('plugin').error('e1')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    expected = "".join(
        f"digestkit: {'WARNING' if m == 'w1' else 'ERROR'}: {m}\n" for m in shown.split()
    )
    assert proc.stderr == expected
