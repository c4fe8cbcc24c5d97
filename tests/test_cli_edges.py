"""Command-line edges a new user hit (issue 25, point 12): each usage mistake exits 2 with one
clear line, each bad input exits 1, and messages speak the command line's words."""

from __future__ import annotations

import pytest

import digestkit
from digestkit.errors import DigestkitError, ParseError
from digestkit.options import OptionError
from tests.conftest import FIXTURES, SEEDS
from tests.test_cli import assert_one_line_error, run

SEED = FIXTURES / "000_809134cfa5bf5e1a.txt"
BIG5 = ("標題\n這是一個繁體中文的句子，內容很長，說明編碼的問題。\n" * 3).encode("big5")


@pytest.mark.parametrize(
    ("week", "needle"),
    [
        ("2026-W99", "2026 has ISO weeks 1 to 53; there is no 2026-W99"),
        ("2027-W53", "2027 has ISO weeks 1 to 52"),
        ("banana", "a week looks like 2026-W09"),
        ("2026-09", "not '2026-09'"),
        ("2026-W0", "there is no 2026-W00"),
    ],
)
def test_a_bad_week_is_a_usage_mistake(tmp_path, week, needle):
    proc = run("weekly", FIXTURES, "-o", tmp_path / "w.epub", "--week", week)
    assert_one_line_error(proc, 2, "--week: ", needle)
    assert not (tmp_path / "w.epub").exists()


def test_a_short_week_is_said_the_iso_way(tmp_path):
    proc = run("weekly", FIXTURES, "-o", tmp_path / "w.epub", "--week", "2026-W9")
    assert proc.returncode in (0, 1), proc.stderr
    assert "2026-W09" in proc.stderr and "2026-W9 " not in proc.stderr.replace("W09", "")


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (
            ["-o", "{tmp}/x.epub", "--to", "pdf"],
            ["-o ", "x.epub is named for epub output, but --to pdf"],
        ),
        (["-o", "{tmp}/x.xyz"], ["cannot tell the output format from 'x.xyz'; pass --to FORMAT"]),
        (["--jobs", "0"], ["--jobs", "must be 1 or more, not 0"]),
        (["--jobs", "-3"], ["--jobs", "must be 1 or more, not -3"]),
        (["--encoding", "nosuch"], ["--encoding: unknown encoding 'nosuch'"]),
        (
            ["--to", "pdf"],
            ["standard output takes one document in a text format, and pdf is not text"],
        ),
    ],
)
def test_convert_usage_mistakes(tmp_path, args, needles):
    proc = run("convert", SEED, *(a.format(tmp=tmp_path) for a in args))
    assert_one_line_error(proc, 2, *needles)
    assert (
        "pass format=" not in proc.stderr and "; pass --to" not in proc.stderr.split("FORMAT")[-1]
    )
    assert not list(tmp_path.iterdir())


def test_a_name_no_writer_owns_still_takes_to(tmp_path):
    proc = run("convert", SEED, "-o", tmp_path / "notes.txt", "--to", "markdown")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8").startswith("---")


def test_several_documents_on_standard_output():
    proc = run("convert", *SEEDS[:2])
    assert_one_line_error(proc, 2, "standard output takes one document, not 2; pass -o FOLDER/")
    assert "is text)" not in proc.stderr


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["--jobs", "0"], ["--jobs must be 1 or more, not 0"]),
        (["--jobs", "-3"], ["--jobs must be 1 or more, not -3"]),
        (
            ["--no-cache", "--cache-max", "1G"],
            ["--cache-max caps the cache that --no-cache turns off"],
        ),
        (["--encoding", "nosuch"], ["--encoding: unknown encoding 'nosuch'"]),
    ],
)
def test_weekly_usage_mistakes(tmp_path, args, needles):
    proc = run("weekly", FIXTURES, "-o", tmp_path / "w.epub", *args)
    assert_one_line_error(proc, 2, *needles)
    assert not list(tmp_path.iterdir())


def test_inspect_explain_and_json_are_refused_together():
    proc = run("inspect", "--explain", "--json", SEED)
    assert_one_line_error(proc, 2, "--json", "--explain")
    assert proc.stdout == ""
    assert_one_line_error(run("inspect", "--encoding", "nosuch", SEED), 2, "unknown encoding")


def test_weekly_on_a_missing_folder_says_it_does_not_exist(tmp_path):
    proc = run("weekly", tmp_path / "nonexistent", "-o", tmp_path / "w.epub")
    assert_one_line_error(proc, 1, "nonexistent: no such folder")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert_one_line_error(run("weekly", tmp_path / "file", "-o", tmp_path / "w.epub"), 1,
                          "file: not a folder")  # fmt: skip


def test_big5_errors_name_the_api_keyword_in_python_and_the_flag_on_the_command_line(tmp_path):
    with pytest.raises(ParseError) as exc:
        digestkit.loads(BIG5)
    assert "pass encoding='big5'" in str(exc.value) and "--encoding" not in str(exc.value)
    path = tmp_path / "b.md"
    path.write_bytes(BIG5)
    proc = run("convert", path, "-o", tmp_path / "b.epub")
    assert_one_line_error(proc, 1, "not valid UTF-8", "pass --encoding big5")
    assert "encoding='" not in proc.stderr


def test_the_api_refuses_what_the_command_line_refuses(tmp_path):
    with pytest.raises(OptionError, match="jobs must be 1 or more"):
        digestkit.weekly(FIXTURES, tmp_path / "w.epub", jobs=0)
    with pytest.raises(OptionError, match="cache_max caps the cache that cache=False"):
        digestkit.weekly(FIXTURES, tmp_path / "w.epub", cache=False, cache_max="1G")
    with pytest.raises(DigestkitError, match="there is no 2026-W99"):
        digestkit.weekly(FIXTURES, tmp_path / "w.epub", week="2026-W99")
    assert not list(tmp_path.iterdir())


def test_a_yaml_error_points_where_pyyaml_points(tmp_path):
    """An unclosed quote: PyYAML's caret is on the opening quote (2:8), not the end (5:1)."""
    path = tmp_path / "bad.md"
    path.write_text('---\ntitle: "abc\ndate: 2026-01-01\ntags: [a]\n---\nbody\n', encoding="utf-8")
    assert_one_line_error(
        run("convert", path), 1, f"{path}:2:8: YAML front matter", "quoted scalar"
    )
    path.write_text("---\ntags: [a, b\n---\nbody\n", encoding="utf-8")
    assert_one_line_error(run("convert", path), 1, f"{path}:2:7: ", "flow sequence")
