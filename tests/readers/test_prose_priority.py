"""``ReadOptions.prose_priority``: the run-on prose reader's two operating points (docs/prose.md).

``sentences`` (the default) is issue 24's torn-first calibration; ``headings`` the F1-first one,
which until now a user could only reach by copying a JSON file over the installed package's. The
option must reach the decoder from every way in (``load``/``loads``, ``load_many``, ``convert``,
``inspect``, the weekly job), keep the weekly cache apart, and refuse a value it does not know.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import warnings
from importlib import resources
from pathlib import Path

import pytest

import digestkit
from digestkit.ast import Heading, plain_text
from digestkit.options import PROSE_PRIORITIES, OptionError, ReadOptions
from digestkit.readers.prose import network
from digestkit.readers.prose.decode import PARAMS_FILES, load_params
from tests.conftest import FIXTURES

S003 = FIXTURES / "003_558d658436faa8a6.txt"
#: seed 003's three `## ` headings, as its clean copy writes them
HEADINGS_003 = [
    "策略性AI晶片成為政策辯論的核心",
    "商機流失與市場影響",
    "出口管制與地緣政治的AI競賽",
]


def _runon_003() -> str:
    return S003.read_text(encoding="utf-8").split("\n")[0]


def _heads(doc: digestkit.Document) -> list[str]:
    return [plain_text(b) for b in doc.blocks if isinstance(b, Heading)]


def _load(text: str, **kw: str) -> digestkit.Document:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return digestkit.loads(text, "prose", **kw)


def test_both_points_ship_and_were_chosen_for_the_shipped_network() -> None:
    """Each parameter file names the network it was calibrated with: a retrained network needs
    ``prose_calibrate --write`` and ``--f1-first --write`` both."""
    path = Path(network.__file__).with_name(network.MODEL_FILE)
    shipped = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    assert tuple(PARAMS_FILES) == PROSE_PRIORITIES  # every value the option takes has its file
    for name in PARAMS_FILES.values():
        raw = json.loads(resources.files("digestkit.readers.prose").joinpath(name).read_text())
        assert raw["model"] == shipped, name
    assert load_params("sentences") != load_params("headings")
    assert load_params() == load_params("sentences")  # the default is the torn-first point


def test_headings_point_finds_seed_003s_marked_headings() -> None:
    """Seed 003's run-on copy read alone: the torn-first default runs two unsure heading ends on
    to the first full stop (its strict xfail in test_prose.py); the headings point ends all three
    where the clean copy does, and nothing of the text is lost either way."""
    line = _runon_003()
    default = _load(line)
    headings = _load(line, prose_priority="headings")
    assert _heads(headings) == HEADINGS_003
    assert _heads(default) != HEADINGS_003
    assert sum(h in HEADINGS_003 for h in _heads(default)) == 1
    assert _load(line, prose_priority="sentences") == default
    strip = "".join(line.replace("## ", "").split())
    for doc in (default, headings):
        assert "".join("".join(plain_text(b) for b in doc.blocks).split()) == strip


def test_load_many_and_options_record_reach_the_reader(tmp_path: Path) -> None:
    f = tmp_path / "runon.txt"
    f.write_text(_runon_003(), encoding="utf-8")
    opts = ReadOptions(prose_priority="headings")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (many,) = digestkit.load_many([f], "prose", jobs=1, options=opts)
        one = digestkit.load(f, "prose", options=opts)
    assert _heads(many) == _heads(one) == HEADINGS_003


def test_an_unknown_priority_is_refused() -> None:
    with pytest.raises(OptionError, match="prose_priority must be sentences or headings"):
        ReadOptions(prose_priority="paragraphs")
    with pytest.raises(OptionError, match="prose_priority"):
        digestkit.loads("一句話。", "prose", prose_priority="Headings")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "digestkit", *args],
                          capture_output=True, text=True, timeout=180)  # fmt: skip


def test_cli_convert_and_inspect_take_the_flag(tmp_path: Path) -> None:
    f = tmp_path / "runon.txt"
    f.write_text(_runon_003(), encoding="utf-8")
    md = _cli("convert", str(f), "--from", "prose", "--to", "markdown", "-o", "-",
              "--prose-priority", "headings")  # fmt: skip
    assert md.returncode == 0, md.stderr
    assert [x[3:] for x in md.stdout.splitlines() if x.startswith("## ")] == HEADINGS_003
    shown = _cli("inspect", str(f), "--from", "prose", "--explain", "--prose-priority", "headings")
    assert shown.returncode == 0, shown.stderr
    made = [x.split(": heading: ")[1] for x in shown.stdout.splitlines() if ": heading: " in x]
    assert len(made) == 3 and all(
        h.startswith(repr(t)[:8]) for h, t in zip(made, HEADINGS_003, strict=True)
    )
    default = _cli("inspect", str(f), "--from", "prose", "--explain")
    assert default.returncode == 0, default.stderr
    assert default.stdout != shown.stdout
    bad = _cli("convert", str(f), "--to", "markdown", "-o", "-", "--prose-priority", "both")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) <= 2 and not bad.stdout


def test_weekly_cache_keeps_the_two_points_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The weekly job parses a run-on digest once per operating point: the default's cache key is
    the one written before the option existed, the other point's its own — a book built with
    ``headings`` after one built with the default is not the default's blocks from the cache."""
    from digestkit.archive.parse import _CACHE_TAG, _tag, collect

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    arch = tmp_path / "arch"
    arch.mkdir()
    (arch / "2026-02-27.txt").write_text(_runon_003() + "\n", encoding="utf-8")
    assert _tag("sentences") == _CACHE_TAG and _tag("headings") != _CACHE_TAG
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (first,) = collect(arch, jobs=1)
        (other,) = collect(arch, jobs=1, prose_priority="headings")
        (again,) = collect(arch, jobs=1)  # from the cache
    assert first.key != other.key and again.key == first.key and again.doc is None
    assert again.load() == first.load()
    assert _heads(first.load()) != HEADINGS_003 and _heads(other.load()) == HEADINGS_003


def test_weekly_book_takes_the_priority(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``digestkit.weekly(..., prose_priority="headings")`` reaches the parse of a run-on digest
    (the weekly job builds its own reading options): its chapter carries the three headings, a
    default book does not, and both are valid EPUBs."""
    import re
    import zipfile

    from tests.conftest import epubcheck

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    arch = tmp_path / "arch"
    arch.mkdir()
    (arch / "2026-02-27.txt").write_text(_runon_003() + "\n", encoding="utf-8")

    def chapter_headings(book: Path) -> list[str]:
        xhtml = zipfile.ZipFile(book).read("EPUB/chapter-001.xhtml").decode()
        return [
            re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h[2-6][^>]*>(.*?)</h[2-6]>", xhtml)
        ]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        default = digestkit.weekly(arch, tmp_path / "default.epub", progress=False)
        headings = digestkit.weekly(
            arch, tmp_path / "headings.epub", progress=False, prose_priority="headings"
        )
    assert [h for h in chapter_headings(headings) if h in HEADINGS_003] == HEADINGS_003
    assert [h for h in chapter_headings(default) if h in HEADINGS_003] != HEADINGS_003
    assert epubcheck(headings) == []
