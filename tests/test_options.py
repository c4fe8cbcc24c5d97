"""Typed options: every option belongs to a record, and one a format does not have is an error.

These cover the bugs the typed options were made for (issue 12): flags accepted and dropped
(``weekly --spacing``), a non-book ``weekly`` format silently written as EPUB, writer options
ignored by text writers, and the CLI's flags drifting from what the writers read.
"""

from __future__ import annotations

import shutil
from dataclasses import fields

import pytest

import digestkit
from digestkit import registry
from digestkit.archive import weekly_result
from digestkit.cli import _build_parser, main
from digestkit.options import (
    EmlOptions,
    EpubOptions,
    HtmlOptions,
    OptionError,
    PdfOptions,
    ReadOptions,
    WeeklyOptions,
    cli_fields,
)
from tests.conftest import SEEDS, epub_texts


@pytest.fixture
def archive(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, folder / seed.name)
    return folder


def _book_text(path) -> str:
    return "".join(epub_texts(path).values())


def test_weekly_spacing_and_corner_quotes_reach_the_book(archive, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    plain = tmp_path / "plain.epub"
    tuned = tmp_path / "tuned.epub"
    assert main(["-q", "weekly", str(archive), "-o", str(plain), "--no-cache"]) == 0
    assert main(["-q", "weekly", str(archive), "-o", str(tuned), "--no-cache",
                 "--punctuation", "--spacing", "--corner-quotes"]) == 0  # fmt: skip
    before, after = _book_text(plain), _book_text(tuned)
    assert before != after
    assert after.count("「") > before.count("「")  # corner quotes arrived
    assert after.count("“") < before.count("“")
    # spacing: somewhere a Han character and a Latin letter got a space between them
    import re

    glued = len(re.findall(r"[\u4e00-\u9fff][A-Za-z]", before))
    assert len(re.findall(r"[\u4e00-\u9fff][A-Za-z]", after)) < glued


def test_weekly_refuses_a_format_that_is_not_a_book(archive, tmp_path):
    with pytest.raises(OptionError, match="weekly writes a book"):
        digestkit.weekly(archive, tmp_path / "site", format="hugo")
    assert not (tmp_path / "site").exists()


def test_weekly_refuses_an_option_nobody_reads(archive, tmp_path):
    with pytest.raises(OptionError, match="'paper' is not an option of"):
        digestkit.weekly(archive, tmp_path / "w.epub", paper="A4")
    with pytest.raises(OptionError, match="'colour'"):
        digestkit.weekly(archive, tmp_path / "w.epub", colour="red")
    assert not (tmp_path / "w.epub").exists()


def test_text_writer_refuses_book_options():
    doc = digestkit.load(SEEDS[0])
    with pytest.raises(OptionError, match="'paper' is not an option of the markdown format"):
        digestkit.dumps(doc, "markdown", paper="A4")
    with pytest.raises(OptionError, match="takes TextOptions, not PdfOptions"):
        digestkit.dumps(doc, "markdown", PdfOptions(paper="A4"))


def test_records_and_keywords_give_the_same_output(tmp_path):
    doc = digestkit.load(SEEDS[1])
    a = digestkit.dumps(doc, "json", indent=None)
    b = digestkit.dumps(
        doc, "json", registry.options_type(registry.get_writer("json"))(indent=None)
    )
    assert a == b and "\n" not in a.rstrip("\n")


def test_bad_values_are_errors():
    with pytest.raises(OptionError, match="unknown paper 'A9'"):
        PdfOptions(paper="A9")
    with pytest.raises(OptionError, match="max_size"):
        ReadOptions(max_size=-1)


def test_cli_refuses_a_flag_the_format_does_not_read(tmp_path, capsys):
    out = tmp_path / "x.md"
    assert main(["convert", str(SEEDS[0]), "-o", str(out), "--paper", "A4"]) == 2
    assert "--paper is not an option of the markdown format" in capsys.readouterr().err
    assert not out.exists()
    assert main(["weekly", str(SEEDS[0].parent), "-o", str(tmp_path / "w.epub"),
                 "--paper", "A4"]) == 2  # fmt: skip
    assert "--paper is not an option of the epub format" in capsys.readouterr().err


def _flags(sub: str) -> set[str]:
    parser = _build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    subparser = action.choices[sub]  # type: ignore[index]
    return {s for a in subparser._actions for s in a.option_strings if s.startswith("--")}


@pytest.mark.parametrize(
    ("sub", "records", "own"),
    [
        ("convert", [ReadOptions, *[registry.options_type(registry.get_writer(f.name))
                                    for f in digestkit.formats() if f.can_write]],
         {"--help", "--output", "--from", "--to", "--jobs"}),
        ("weekly", [WeeklyOptions, ReadOptions, EpubOptions, PdfOptions, HtmlOptions, EmlOptions],
         {"--help", "--output", "--no-cache"}),
    ],
)  # fmt: skip
def test_cli_flags_are_exactly_the_records_fields(sub, records, own):
    declared = {flag for flag, _ in cli_fields(records)}
    assert _flags(sub) == declared | own


def test_every_record_field_has_help():
    for cls in (ReadOptions, WeeklyOptions, EpubOptions, PdfOptions, HtmlOptions, EmlOptions):
        for f in fields(cls):
            assert f.metadata.get("help"), f"{cls.__name__}.{f.name}"


def test_keep_going_skips_the_bad_file_and_says_so(archive, tmp_path, capsys):
    bad = archive / "broken.md"
    bad.write_text('+++\ntitle = "x"\ndateday = 07\n+++\n正文。\n', encoding="utf-8")
    target = tmp_path / "w.epub"
    # without --keep-going: one line naming the file, no book
    assert main(["weekly", str(archive), "-o", str(target), "--no-cache"]) == 1
    assert "broken.md:" in capsys.readouterr().err
    assert not target.exists()
    # with it: the book, the skipped file listed, exit status 3
    assert main(["-q", "weekly", str(archive), "-o", str(target), "--no-cache",
                 "--keep-going"]) == 3  # fmt: skip
    err = capsys.readouterr().err
    assert "1 file(s) skipped" in err and "broken.md:3" in err
    assert target.exists()
    result = weekly_result(archive, tmp_path / "w2.epub", cache=False, keep_going=True,
                           progress=False)  # fmt: skip
    assert [s.split(":")[0].endswith("broken.md") for s in result.skipped] == [True]
    assert _book_text(result.path) == _book_text(target)


def test_an_options_record_may_stand_in_the_format_place(tmp_path):
    """``dump(doc, "digest.pdf", PdfOptions(paper="A4"))``, as the README writes it (issue 25)."""
    from digestkit.options import TextOptions

    doc = digestkit.loads("# 標題\n\n正文。\n", "markdown")
    out = digestkit.dump(doc, tmp_path / "d.epub", EpubOptions(vertical=True))
    assert out.read_bytes().startswith(b"PK")
    assert digestkit.dumps(doc, TextOptions()) == digestkit.dumps(doc, "markdown")
    assert digestkit.dump(doc, tmp_path / "d.md", format="markdown").exists()  # format= still works
    with pytest.raises(OptionError, match="two option records"):
        digestkit.dump(doc, tmp_path / "x.epub", EpubOptions(), EpubOptions())
    with pytest.raises(OptionError, match="takes EpubOptions, not TextOptions"):
        digestkit.dump(doc, tmp_path / "y.epub", TextOptions())
    with pytest.raises(digestkit.UnknownFormatError, match="a format is a name"):
        digestkit.dump(doc, tmp_path / "z.epub", 42)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.epub", "d.md"]
