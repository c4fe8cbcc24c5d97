"""The registry: built-ins via entry points, format sniffing, and a real third-party plugin."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from importlib import metadata

import pytest

import digestkit
from digestkit import UnknownFormatError, plugin_scan, registry
from tests.conftest import FIXTURES, need_module


def test_builtins_are_declared_as_entry_points():
    names = {ep.name for ep in metadata.entry_points(group="digestkit.readers")}
    assert {"markdown", "prose", "json"} <= names
    writers = {ep.name for ep in metadata.entry_points(group="digestkit.writers")}
    assert {"markdown", "json"} <= writers


def test_formats_lists_builtins():
    infos = {f.name: f for f in digestkit.formats()}
    assert infos["markdown"].can_read and infos["markdown"].can_write
    assert infos["prose"].can_read and not infos["prose"].can_write
    assert ".md" in infos["markdown"].extensions


@pytest.mark.parametrize(
    ("text", "path", "expected"),
    [
        ("---\ntitle: x\n---\n", None, "markdown"),
        ('{"t": "Document", "meta": {}, "blocks": []}', None, "json"),
        ("一行文字\n另一行\n", "a.txt", "prose"),
        ("# Title\n\nSome *text*.\n\n- a\n- b\n", "notes.txt", "markdown"),
        ("no markup here", "a.md", "markdown"),
    ],
)
def test_detect_format(text, path, expected):
    assert registry.detect_format(text, path) == expected


def test_seeds_are_sniffed_by_content():
    assert (
        registry.detect_format((FIXTURES / "000_809134cfa5bf5e1a.txt").read_text("utf-8"))
        == "markdown"
    )
    assert (
        registry.detect_format((FIXTURES / "004_cd16f372d9efd364.txt").read_text("utf-8"))
        == "prose"
    )


def test_unknown_format_is_a_clear_error():
    with pytest.raises(UnknownFormatError, match="no reader for format 'nope'"):
        digestkit.loads("x", "nope")


@pytest.fixture
def plugin_on_path(tmp_path, monkeypatch):
    """Install a tiny third-party distribution (dist-info + module) onto sys.path."""
    (tmp_path / "shout_reader.py").write_text(
        textwrap.dedent("""
        from digestkit.ast import Document, Meta, Paragraph, Text

        class ShoutReader:
            name = "shout"
            extensions = (".shout",)

            def sniff(self, text, path):
                return 0.99 if text.startswith("!!SHOUT") else 0.0

            def read(self, text, *, path=None):
                lines = text.splitlines()[1:]
                return Document(meta=Meta(title=lines[0].upper()),
                                blocks=tuple(Paragraph(children=(Text(text=l.upper()),)) for l in lines[1:]))
    """)
    )
    dist = tmp_path / "shout_reader-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: shout-reader\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[digestkit.readers]\nshout = shout_reader:ShoutReader\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    registry.refresh()
    yield tmp_path
    registry.refresh()
    sys.modules.pop("shout_reader", None)


def test_third_party_reader_end_to_end(plugin_on_path, tmp_path):
    infos = {f.name: f for f in digestkit.formats()}
    assert infos["shout"].origin == "shout-reader"
    src = tmp_path / "note.shout"
    src.write_text("!!SHOUT\nhello\nworld\n")
    doc = digestkit.load(src)  # sniffed, no format given
    assert doc.meta.title == "HELLO"
    out = tmp_path / "note.md"
    digestkit.dump(doc, out)
    assert out.read_text() == "---\ntitle: HELLO\n---\nWORLD\n"
    # and through the CLI, in-process
    from digestkit.cli import main

    assert main(["convert", str(src), "-o", str(tmp_path / "cli.md"), "--from", "shout"]) == 0
    assert (tmp_path / "cli.md").read_text() == out.read_text()


def test_builtin_bytes_readers_are_the_ones_declaring_bytes():
    """Text sniffing skips the built-in bytes readers without importing them: the static list
    must be exactly the built-ins whose ``kind`` is bytes."""
    from digestkit import registry

    builtins = [name for name, (origin, _) in registry._table(registry.READER_GROUP).items()
                if origin == "built-in"]  # fmt: skip
    declared = {n for n in builtins if registry.reader_kind(registry.get_reader(n)) == "bytes"}
    assert declared == registry.BUILTIN_BYTES_READERS


def _tables() -> dict[str, list[tuple[str, str]]]:
    return {g: [(n, origin) for n, (origin, _) in registry._table(g).items()]
            for g in (registry.READER_GROUP, registry.WRITER_GROUP)}  # fmt: skip


def test_own_entry_points_read_as_importlib_metadata_reads_them(monkeypatch):
    """Without plugins the table comes from digestkit's own entry_points.txt, read without
    importlib.metadata (start-up cost): it must be the table importlib.metadata gives, in the
    same order (sniffing ties go to the earlier name)."""
    registry.refresh()
    assert registry._own_entry_points() is not None  # no plugin installed in the test venv
    fast = _tables()
    monkeypatch.setattr(registry, "_own_entry_points", lambda: None)
    registry._table.cache_clear()
    assert _tables() == fast
    registry._table.cache_clear()
    names = [ep.name for ep in metadata.entry_points(group="digestkit.readers")]
    assert [n for n, _ in fast[registry.READER_GROUP]][: len(names)] == names


def test_the_importlib_metadata_backports_path_finder_keeps_the_fast_table(monkeypatch):
    """dask imports the ``importlib_metadata`` backport, which puts its ``MetadataPathFinder`` on
    ``sys.meta_path``; it reads the same sys.path, so the own-entry-point table still answers.
    Any other finder of distributions still hands the question to importlib.metadata."""
    backport = need_module("importlib_metadata")
    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, backport.MetadataPathFinder()])
    registry.refresh()
    assert registry._own_entry_points() is not None

    class OtherFinder:
        @staticmethod
        def find_distributions(*args, **kwargs):
            return iter(())

    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, OtherFinder()])
    registry.refresh()
    assert registry._own_entry_points() is None
    registry.refresh()


def test_a_plugin_on_the_path_is_read_through_importlib_metadata(plugin_on_path):
    assert registry._own_entry_points() is None
    assert ("shout", "shout-reader") in _tables()[registry.READER_GROUP]


def test_a_plugin_shadowed_by_an_earlier_distribution_of_its_name_is_not_seen(
    tmp_path, monkeypatch
):
    """importlib.metadata keeps the first distribution of a name on sys.path; so does the scan,
    which reads every ``entry_points.txt`` as bytes and names a distribution only when its
    file mentions digestkit."""
    first, later = tmp_path / "first", tmp_path / "later"
    for folder, text in ((first, "[console_scripts]\nshout = shout:main\n"),
                         (later, "[digestkit.readers]\nshout = shout_reader:ShoutReader\n")):  # fmt: skip
        dist = folder / "Shout.Reader-1.0.dist-info"
        dist.mkdir(parents=True)
        (dist / "entry_points.txt").write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(later))
    monkeypatch.syspath_prepend(str(first))
    registry.refresh()
    try:
        assert registry._own_entry_points() is not None  # the plugin is shadowed
        names = [ep.name for ep in metadata.entry_points(group="digestkit.readers")]
        assert "shout" not in names  # as importlib.metadata sees it
        monkeypatch.setattr(sys, "path", [p for p in sys.path if p != str(first)])
        registry.refresh()
        assert registry._own_entry_points() is None  # now it is the first of its name
    finally:
        registry.refresh()


def test_read_bytes_reads_whole_files_and_misses_quietly(tmp_path):
    big = tmp_path / "big"
    big.write_bytes(bytes(range(256)) * 1000)  # past one 64 KiB read
    assert plugin_scan.read_bytes(str(big)) == big.read_bytes()
    assert plugin_scan.read_bytes(str(tmp_path / "missing")) is None
    assert plugin_scan.read_bytes(str(tmp_path)) is None  # a folder


def test_entry_points_parser_skips_comments_and_keeps_order():
    text = "# c\n[digestkit.readers]\n; note\n b = m:B \na=m:A\n\n[other]\nx = y\n"
    assert plugin_scan.parse_entry_points(text) == {
        "digestkit.readers": [("b", "m:B"), ("a", "m:A")],
        "other": [("x", "y")],
    }


def test_import_and_registry_do_not_import_importlib_metadata():
    code = (
        "import sys, digestkit\nfrom digestkit import registry\n"
        "registry.formats(load=False)\nprint('importlib.metadata' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_sniffing_stops_at_a_certain_built_in():
    """A built-in reader sure of the text (1.0) cannot be beaten by a later built-in (they
    score at most 1.0, ties go to the earlier name), so those are not even imported: the
    weekly re-run's new Markdown digest does not import the prose reader to be sniffed."""
    code = ("import sys\nfrom digestkit import registry\n"
            "print(registry.detect_format('---\\ntitle: x\\n---\\n\\n## 标题\\n\\n- 一\\n- 二\\n', 'a.md'))\n"
            "print('digestkit.readers.prose' in sys.modules)")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["markdown", "False"]
    scores = [registry.get_reader(n).sniff("## 标题\n\n- 一\n- 二\n", "a.md")
              for n in registry._table(registry.READER_GROUP)
              if n not in registry.BUILTIN_BYTES_READERS]  # fmt: skip
    assert max(scores) <= 1.0
