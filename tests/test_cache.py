"""The cache stays healthy: valid file names everywhere, a cap kept by LRU pruning, a warm run
that still hits, and ``digestkit cache info|clear``."""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import digestkit
from digestkit.cache import (
    DocumentCache,
    cache_dir,
    clear,
    entry_name,
    max_bytes,
    parse_size,
    prune,
    stats,
)
from digestkit.cli import main

# What Windows refuses in a name (plus control characters), what it strips (trailing dot/space),
# the devices it reserves, and the 255-character limit of NTFS, APFS and ext4 alike.
_BAD_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)


def _valid_everywhere(name: str) -> bool:
    return (
        0 < len(name.encode("utf-8")) <= 255
        and not _BAD_CHARS.search(name)
        and not name.endswith((".", " "))
        and not _RESERVED.match(name)
    )


def _quiet(fn, *a, **k):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*a, **k)


@pytest.fixture
def archive(tmp_path):
    from benchmarks.archive import generate

    generate(tmp_path / "arch", 6)
    return tmp_path / "arch"


@pytest.fixture
def xdg(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("DIGESTKIT_CACHE_MAX", raising=False)
    return tmp_path / "xdg" / "digestkit"


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


# -- names ---------------------------------------------------------------------------------


@given(st.text(max_size=400))
def test_any_key_maps_to_a_name_valid_everywhere(key):
    parts = entry_name(key).split("/")
    assert len(parts) == 2 and all(_valid_everywhere(p) for p in parts)


def test_keys_and_entry_names_are_blake2b_of_64_hex_digits():
    """``keyhash`` is BLAKE2b-256 (hashlib's own, without OpenSSL), and an entry's name keeps the
    64 hex digits :func:`prune` recognises."""
    import hashlib

    from digestkit import keyhash

    for data in (b"", b"x", "周报".encode() * 5000):
        assert keyhash.hexdigest(data) == hashlib.blake2b(data, digest_size=32).hexdigest()
        assert keyhash.new(data).hexdigest() == keyhash.hexdigest(data)
    name = entry_name("xhtml:abc:False")
    assert name == f"{name[:2]}/{keyhash.hexdigest(b'xhtml:abc:False')}.pickle"
    assert re.fullmatch(r"[0-9a-f]{2}/[0-9a-f]{64}\.pickle", name)
    key = DocumentCache().key(b"x", "loads", None)
    assert re.fullmatch(r"[0-9a-f]{64}", key)


def test_keys_never_share_a_file():
    # the key builders' shapes: a content hash, its summary, a rendered chapter (with ':')
    h = DocumentCache().key(b"x", "loads", None)
    keys = [h, h + "-summary", f"xhtml:{h}:t2s:[]:T:None:/a:abc:False", f"xhtml:{h}:T:True"]
    assert len({entry_name(k) for k in keys}) == len(keys)
    assert len({entry_name(k).lower() for k in keys}) == len(keys)  # case-insensitive FS too


def test_every_file_a_weekly_run_writes_has_a_valid_name(archive, xdg, tmp_path):
    _quiet(digestkit.weekly, archive, tmp_path / "w.epub", jobs=1, progress=False)
    written = _files(xdg)
    kinds = {p.suffix for p in written}
    assert len(written) >= 3 * 6 and ".pickle" in kinds  # documents, summaries, chapters
    bad = [p for p in written for part in p.relative_to(xdg).parts if not _valid_everywhere(part)]
    assert bad == []


# -- location and size ---------------------------------------------------------------------


def test_xdg_cache_home_is_honoured_else_the_os_cache_folder(monkeypatch, tmp_path):
    import platformdirs

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "elsewhere"))
    assert cache_dir() == tmp_path / "elsewhere" / "digestkit"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_dir() == Path(platformdirs.user_cache_dir("digestkit", appauthor=False))
    assert cache_dir().name == "digestkit" or cache_dir().parent.name == "digestkit"


@pytest.mark.parametrize(
    ("text", "size"),
    [("1048576", 1 << 20), ("500M", 500 << 20), ("2G", 2 << 30), ("1.5 GiB", 3 << 29),
     ("64kb", 64 << 10), ("0", 0)],
)  # fmt: skip
def test_sizes(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "lots", "-1", "5X", "1e9"])
def test_bad_sizes_are_errors(text):
    with pytest.raises(digestkit.DigestkitError, match="cache size"):
        parse_size(text)


def test_cap_from_argument_then_environment(monkeypatch):
    monkeypatch.setenv("DIGESTKIT_CACHE_MAX", "3M")
    assert max_bytes() == 3 << 20
    assert max_bytes("1M") == 1 << 20
    monkeypatch.setenv("DIGESTKIT_CACHE_MAX", "nonsense")
    with pytest.raises(digestkit.DigestkitError, match="DIGESTKIT_CACHE_MAX"):
        max_bytes()


# -- pruning -------------------------------------------------------------------------------


def _fill(store: DocumentCache, n: int, size: int) -> list[str]:
    """``n`` entries of about ``size`` bytes, the i-th last used at time 1_000_000 + i."""
    keys = []
    for i in range(n):
        key = f"entry:{i}"
        store.put(key, os.urandom(size))
        os.utime(store.path(key), (1_000_000 + i, 1_000_000 + i))
        keys.append(key)
    return keys


def test_pruning_keeps_the_cap_and_the_newest_entries(tmp_path):
    store = DocumentCache(tmp_path / "c")
    keys = _fill(store, 40, 1000)
    cap = 20_000
    assert stats(store.root, cap).size > cap
    removed, freed = prune(store.root, cap)
    left = stats(store.root, cap)
    assert left.size <= cap and left.entries + removed == 40 and freed > 0
    kept = [k for k in keys if k in store]
    assert kept == keys[len(keys) - len(kept) :]  # exactly the most recently used ones
    assert left.size <= 0.9 * cap  # down to the low-water mark: not pruned again next run


def test_a_hit_counts_as_use(tmp_path):
    store = DocumentCache(tmp_path / "c")
    keys = _fill(store, 10, 1000)
    assert store.get(keys[0]) is not None  # the oldest, used now
    prune(store.root, 5000)
    assert keys[0] in store and keys[1] not in store


def test_under_the_cap_nothing_goes_but_crash_leftovers(tmp_path):
    store = DocumentCache(tmp_path / "c")
    keys = _fill(store, 5, 100)
    stale = store.path(keys[0]).parent / "tmpleftover.part"
    stale.write_bytes(b"half")
    os.utime(stale, (1_000_000, 1_000_000))
    fresh = store.path(keys[0]).parent / "tmpwriting.part"  # another run writing right now
    fresh.write_bytes(b"half")
    foreign = store.root / "notes.txt"
    foreign.write_text("mine", encoding="utf-8")
    assert prune(store.root, "1M") == (1, 4)
    assert all(k in store for k in keys) and fresh.exists() and not stale.exists()
    assert foreign.exists()


def test_face_copies_count_toward_the_cap_and_go_least_recently_used(tmp_path):
    """``fonts.face_file`` copies faces (~17 MB each) into ``faces/``: once outside the cap."""
    store = DocumentCache(tmp_path / "c")
    keys = _fill(store, 5, 1000)
    faces = store.root / "faces"
    faces.mkdir()
    old, used = faces / ("a" * 32 + ".otf"), faces / ("b" * 32 + ".otf")
    for face, when in ((old, 999_000), (used, 1_000_100)):  # before / after every entry
        face.write_bytes(os.urandom(20_000))
        os.utime(face, (when, when))
    mine = faces / "notes.txt"  # not a file digestkit wrote: never touched
    mine.write_text("x", encoding="utf-8")
    assert stats(store.root).size >= 45_000
    prune(store.root, 30_000)
    assert not old.exists() and used.exists() and mine.exists()
    assert all(k in store for k in keys)  # used after the old face: kept
    assert stats(store.root).size <= 27_000


def test_a_recent_small_measure_is_not_repeated(tmp_path):
    store = DocumentCache(tmp_path / "c")
    _fill(store, 10, 1000)
    prune(store.root, "100K")  # measures ~10 KB: under half the cap
    store.put("big", os.urandom(200_000))  # over the cap now, within the hour
    assert prune(store.root, "100K") == (0, 0)  # not measured again: one small read
    assert stats(store.root).size > 100 * 1024
    assert prune(store.root, "100K", force=True)[0] > 0
    assert stats(store.root).size <= 100 * 1024


def test_weekly_keeps_the_cache_under_its_cap(archive, xdg, tmp_path):
    _quiet(digestkit.weekly, archive, tmp_path / "w.epub", jobs=1, progress=False)
    full = stats(xdg).size
    cap = full // 2
    _quiet(digestkit.weekly, archive, tmp_path / "w.epub", jobs=1, progress=False,
           cache_max=str(cap))  # fmt: skip
    assert 0 < stats(xdg).size <= cap


# -- a warm run still hits -----------------------------------------------------------------


def test_a_warm_weekly_hits_every_entry_and_rewrites_none(archive, xdg, tmp_path):
    cold = _quiet(digestkit.weekly, archive, tmp_path / "a.epub", jobs=1, progress=False)
    before = {p: p.stat().st_ino for p in _files(xdg) if p.suffix == ".pickle"}
    for p in before:
        os.utime(p, (1_000_000, 1_000_000))  # long unused
    warm = _quiet(digestkit.weekly, archive, tmp_path / "b.epub", jobs=1, progress=False)
    after = {p: p.stat() for p in _files(xdg) if p.suffix == ".pickle"}
    assert after.keys() == before.keys()  # nothing new: every lookup hit
    assert all(after[p].st_ino == before[p] for p in after)  # nothing parsed or laid out again
    assert all(s.st_mtime > 1_000_000 for s in after.values())  # every entry marked as used
    from tests.conftest import epub_texts

    assert epub_texts(warm) == epub_texts(cold)


@pytest.mark.parametrize("suffix", ["epub", "html"])
def test_a_run_without_the_cache_writes_nothing_in_its_folder(archive, xdg, tmp_path, suffix):
    """``--no-cache`` (``cache=False``): not an entry, not the code fingerprint's memo, in a
    fresh interpreter (where no earlier key has chosen the memo's folder)."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    code = (
        "import digestkit, sys\n"
        "digestkit.weekly(sys.argv[1], sys.argv[2], cache=False, jobs=2, progress=False)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root / "src"), str(root)])}
    out = tmp_path / f"w.{suffix}"
    subprocess.run([sys.executable, "-W", "ignore", "-c", code, str(archive), str(out)],
                   env=env, check=True, capture_output=True, timeout=300)  # fmt: skip
    assert out.exists()
    assert not xdg.exists()


# -- the command line ----------------------------------------------------------------------


def test_cli_cache_info_and_clear(archive, xdg, tmp_path, capsys):
    assert main(["-q", "weekly", str(archive), "-o", str(tmp_path / "w.epub")]) == 0
    foreign = xdg / "keep-me.txt"
    foreign.write_text("not ours", encoding="utf-8")
    capsys.readouterr()
    assert main(["cache", "info", "--cache-max", "2G"]) == 0
    info = dict(line.split(":", 1) for line in capsys.readouterr().out.splitlines())
    pickles = [p for p in _files(xdg) if p.suffix == ".pickle"]
    assert Path(info["location"].strip()) == xdg
    assert int(info["entries"]) == len(pickles) > 0
    assert info["cap"].strip() == "2.0 GiB"
    assert info["size"].strip().endswith(("KiB", "MiB"))
    assert main(["cache", "clear"]) == 0
    assert f"removed {len(pickles)} cache entries" in capsys.readouterr().out
    assert not any(p.suffix == ".pickle" for p in _files(xdg)) and foreign.exists()
    assert main(["cache", "info"]) == 0
    assert "entries:  0" in capsys.readouterr().out
    assert clear() == (0, 0)


def test_cli_refuses_a_bad_cap(archive, xdg, tmp_path, capsys):
    assert main(["cache", "info", "--cache-max", "huge"]) == 2
    assert main(["weekly", str(archive), "-o", str(tmp_path / "w.epub"),
                 "--cache-max", "huge"]) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert err.count("--cache-max") == 2 and not (tmp_path / "w.epub").exists()


# --- the code fingerprint: an edited reader or renderer never meets its old output ----------

_PACKAGE = Path(digestkit.__file__).parent


def _copy_package(dest: Path) -> Path:
    import shutil

    shutil.copytree(_PACKAGE, dest / "digestkit", ignore=shutil.ignore_patterns("__pycache__"))
    return dest / "digestkit"


def test_code_fingerprint_follows_the_code_not_its_file_times(tmp_path):
    from digestkit.cache import code_fingerprint

    copy = _copy_package(tmp_path)
    assert code_fingerprint(copy) == code_fingerprint()  # same code, other place, new times
    renderer = copy / "writers" / "xhtml.py"
    os.utime(renderer, (1, 1))
    assert code_fingerprint.__wrapped__(copy) == code_fingerprint()  # touched, not changed
    renderer.write_text(renderer.read_text("utf-8") + "\n# edited\n", "utf-8")
    assert code_fingerprint.__wrapped__(copy) != code_fingerprint()


def test_code_fingerprint_is_kept_while_no_file_changes(tmp_path, monkeypatch):
    """The answer is kept beside the cache with every file's name, size and time, read back
    while they are the same, and the code hashed again when any of them changes."""
    from digestkit import cache
    from digestkit.cache import code_fingerprint

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    copy = _copy_package(tmp_path)
    monkeypatch.setattr(cache, "_memo_root", None)
    real = code_fingerprint.__wrapped__(copy)  # no cache in use (--no-cache): nothing written
    assert not (tmp_path / "xdg").exists()
    DocumentCache()  # made, not used (the EPUB writer makes one under --no-cache): nothing
    assert code_fingerprint.__wrapped__(copy) == real
    assert not (tmp_path / "xdg").exists()
    cache._keep_fingerprint_in(str(DocumentCache().root))  # what its first key does
    assert code_fingerprint.__wrapped__(copy) == real
    memo = Path(cache._fingerprint_memo() or "")
    assert memo.parent == tmp_path / "xdg" / "digestkit"
    stamp, kept = memo.read_text("utf-8").split()
    assert kept == real
    memo.write_text(f"{stamp} planted\n", "utf-8")  # the same files: the kept answer is used
    assert code_fingerprint.__wrapped__(copy) == "planted"
    renderer = copy / "writers" / "xhtml.py"
    os.utime(renderer, ns=(1, renderer.stat().st_mtime_ns + 1))  # touched: hashed again
    assert code_fingerprint.__wrapped__(copy) == real
    assert memo.read_text("utf-8").split()[1] == real
    text = renderer.read_text("utf-8")
    renderer.write_text(text.replace("article", "artikel"), "utf-8")  # the same size, edited
    assert code_fingerprint.__wrapped__(copy) != real
    memo.write_text("garbage", "utf-8")  # a broken memo is only a miss
    assert code_fingerprint.__wrapped__(copy) != real
    cache.clear()
    assert not memo.exists()


def test_other_code_is_a_miss(tmp_path):
    from digestkit.cache import code_fingerprint

    copy = _copy_package(tmp_path)
    ours = DocumentCache(tmp_path / "cache")
    ours.put(ours.key(b"digest", "opts"), "parsed by this code")
    assert (
        DocumentCache(tmp_path / "cache").get(ours.key(b"digest", "opts")) == "parsed by this code"
    )
    renderer = copy / "writers" / "xhtml.py"
    renderer.write_text(renderer.read_text("utf-8").replace("article", "artikel"), "utf-8")
    edited = DocumentCache(tmp_path / "cache")
    edited.code = code_fingerprint.__wrapped__(copy)  # what a process running the copy computes
    assert edited.get(edited.key(b"digest", "opts")) is None


def test_an_edited_renderer_shows_on_the_next_weekly_run(tmp_path):
    """The developer's case, end to end: run the weekly job from a copy of the package, edit
    the copy's renderer, run again with the same cache — the book shows the edit."""
    import subprocess
    import sys
    import zipfile

    from tests.conftest import SEEDS

    copy = _copy_package(tmp_path / "src")
    arch = tmp_path / "arch"
    arch.mkdir()
    (arch / SEEDS[4].name).write_bytes(SEEDS[4].read_bytes())
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src"), "XDG_CACHE_HOME": str(tmp_path / "c")}

    def run() -> str:
        out = tmp_path / "w.epub"
        proc = subprocess.run([sys.executable, "-m", "digestkit", "-q", "weekly", str(arch), "-o",
                               str(out), "--jobs", "1"], env=env, capture_output=True, text=True,
                              timeout=300)  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        with zipfile.ZipFile(out) as zf:
            return zf.read("EPUB/chapter-001.xhtml").decode()

    assert "<blockquote>" in run()
    renderer = copy / "writers" / "xhtml.py"
    text = renderer.read_text("utf-8")
    assert text.count('f"<blockquote>') == 1
    renderer.write_text(text.replace('f"<blockquote>', 'f"<blockquote class=\\"edited\\">'),
                        "utf-8")  # fmt: skip
    assert '<blockquote class="edited">' in run()
