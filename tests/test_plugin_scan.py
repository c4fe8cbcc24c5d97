"""The plugin table's scan and its memo beside the cache (``plugin_scan``): the memo answers while
``sys.path``'s folders and the files that matter are unchanged, and a plugin installed,
reinstalled or written in place is seen on the next run."""

from __future__ import annotations

import marshal
import os
import sys
import time
from pathlib import Path

import pytest

from digestkit import plugin_scan, registry
from digestkit.cli import main

GROUPS = (registry.READER_GROUP, registry.WRITER_GROUP, registry.TRANSFORM_GROUP)
_PLUGIN = "[digestkit.readers]\nshout = shout_reader:ShoutReader\n"


def _settle(*paths: Path) -> None:
    """Date ``paths`` a minute back: older than the memo's two seconds of doubt."""
    old = time.time_ns() - 60 * 10**9
    for p in paths:
        os.utime(p, ns=(old, old))


@pytest.fixture
def memo(tmp_path, monkeypatch):
    """A cache folder the scan keeps its memo in, and a settled folder of our own on sys.path."""
    site = tmp_path / "site"
    (site / "other_dist-2.0.dist-info").mkdir(parents=True)
    (site / "other_dist-2.0.dist-info" / "entry_points.txt").write_text(
        "[console_scripts]\nother = other:main\n", encoding="utf-8"
    )
    _settle(site)
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(plugin_scan, "_memo_root", str(tmp_path / "cache"))
    return tmp_path / "cache" / plugin_scan.MEMO, site


def _kept(path: Path) -> dict[str, tuple]:
    fmt, version, folders = marshal.loads(path.read_bytes())
    assert (fmt, version) == (plugin_scan._FORMAT, sys.version)
    return folders


def test_the_memo_gives_the_scans_answer_and_is_read_back(memo, monkeypatch):
    path, site = memo
    monkeypatch.setattr(plugin_scan, "_memo_root", None)
    plain = plugin_scan.own_entry_points(GROUPS)
    assert plain is not None and "digestkit.readers" in plain
    assert not path.exists()  # no cache in use: nothing kept
    monkeypatch.setattr(plugin_scan, "_memo_root", str(path.parent))
    assert plugin_scan.own_entry_points(GROUPS) == plain
    folders = _kept(path)
    assert str(site) in folders
    # plant another answer for digestkit's own file: the same folders, so it is what is read
    for entry, (dev, ino, mtime, names, watched) in folders.items():
        planted = tuple(
            (i, p, size, t, {"digestkit.readers": [("planted", "x:Y")]})
            if g is not None and names[i] == "digestkit"
            else (i, p, size, t, g)
            for i, p, size, t, g in watched
        )
        folders[entry] = (dev, ino, mtime, names, planted)
    path.write_bytes(marshal.dumps((plugin_scan._FORMAT, sys.version, folders)))
    assert plugin_scan.own_entry_points(GROUPS) == {"digestkit.readers": [("planted", "x:Y")]}


def test_a_plugin_installed_or_reinstalled_is_seen_on_the_next_run(memo):
    path, site = memo
    assert plugin_scan.own_entry_points(GROUPS) is not None
    dist = site / "shout_reader-1.0.dist-info"
    dist.mkdir()  # what pip does: a new folder, so its sys.path folder changes
    (dist / "entry_points.txt").write_text(_PLUGIN, encoding="utf-8")
    assert plugin_scan.own_entry_points(GROUPS) is None
    # reinstalled without its digestkit entry point: removed and written again
    (dist / "entry_points.txt").unlink()
    dist.rmdir()
    dist.mkdir()
    (dist / "entry_points.txt").write_text("[console_scripts]\nshout = s:m\n", encoding="utf-8")
    _settle(site)  # even dated back: the folder's time is not the one kept
    assert plugin_scan.own_entry_points(GROUPS) is not None
    assert str(site) in _kept(path)


def test_an_egg_info_rewritten_in_place_is_seen(memo):
    """``setup.py egg_info`` rewrites a source tree's ``entry_points.txt`` in place: no folder
    changes, so every egg-info's file is watched."""
    _, site = memo
    egg = site / "shout_reader.egg-info"
    egg.mkdir()
    ep = egg / "entry_points.txt"
    ep.write_text("[console_scripts]\nshout = s:m\n", encoding="utf-8")
    _settle(egg, site)
    assert plugin_scan.own_entry_points(GROUPS) is not None
    before = {p: p.stat().st_mtime_ns for p in (egg, site)}
    ep.write_text(_PLUGIN, encoding="utf-8")
    for p, t in before.items():  # the folders exactly as they were
        os.utime(p, ns=(t, t))
    assert plugin_scan.own_entry_points(GROUPS) is None


def test_a_folder_changed_just_now_is_not_kept(memo):
    path, site = memo
    os.utime(site)  # now: a change in the same clock tick would not show
    assert plugin_scan.own_entry_points(GROUPS) is not None
    assert str(site) not in _kept(path)
    _settle(site)
    plugin_scan.own_entry_points(GROUPS)
    assert str(site) in _kept(path)


@pytest.mark.parametrize(
    "damage",
    [
        b"garbage",
        b"",
        marshal.dumps((plugin_scan._FORMAT, "another Python", {})),
        marshal.dumps(
            (plugin_scan._FORMAT, sys.version, {"/x": (1, 2, 3, ("a",), ((5, "p", 1, 1, None),))})
        ),
        marshal.dumps((plugin_scan._FORMAT, sys.version, {"/x": (1, 2, 3, (7,), ())})),
    ],
)
def test_a_damaged_memo_is_only_a_miss(memo, monkeypatch, damage):
    path, _ = memo
    monkeypatch.setattr(plugin_scan, "_memo_root", None)
    plain = plugin_scan.own_entry_points(GROUPS)
    monkeypatch.setattr(plugin_scan, "_memo_root", str(path.parent))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(damage)
    assert plugin_scan.own_entry_points(GROUPS) == plain
    assert _kept(path)  # written anew


def test_the_weekly_command_keeps_it_beside_the_cache_and_clear_removes_it(tmp_path, monkeypatch):
    from benchmarks.archive import generate

    archive = tmp_path / "arch"
    generate(archive, 3, only="000")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(plugin_scan, "_memo_root", None)
    kept = tmp_path / "xdg" / "digestkit" / plugin_scan.MEMO
    registry.refresh()
    try:
        assert (
            main(["-q", "weekly", str(archive), "-o", str(tmp_path / "w.html"), "--no-cache"]) == 0
        )
        assert plugin_scan._memo_root is None and not kept.exists()
        registry.refresh()
        assert main(["-q", "weekly", str(archive), "-o", str(tmp_path / "w.html")]) == 0
        assert kept.exists()
        assert main(["cache", "clear"]) == 0
        assert not kept.exists()
    finally:
        registry.refresh()
        plugin_scan.keep_memo_in(None)
