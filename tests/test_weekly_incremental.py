"""The weekly EPUB and HTML page after any change equal a cold build of the same archive.

Issue 26: a digest inserted before all others, one edited in the middle, one removed. The warm
build (the cache kept from the run before) must be byte for byte the cold build (``cache=False``)
of the archive as it now is, and must render only the chapters that changed (counted).
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path
from typing import Any

import pytest

import digestkit
from digestkit.writers import epub as epub_writer
from digestkit.writers import html as html_writer


def _build(arch: Path, out: Path, *, cache: bool, module: Any) -> tuple[bytes, int]:
    """The book's bytes and how many chapters its writer rendered."""
    rendered: list[int] = []
    real = module.render_chapter if module is html_writer else module._render

    def counting(*args: Any, **kwargs: Any) -> Any:
        rendered.append(1)
        return real(*args, **kwargs)

    name = "render_chapter" if module is html_writer else "_render"
    setattr(module, name, counting)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            digestkit.weekly(arch, out, progress=False, jobs=1, cache=cache)
    finally:
        setattr(module, name, real)
    return out.read_bytes(), len(rendered)


@pytest.fixture()
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[Path]]:
    """Digests 2–6 of 6 generated (four input formats); the first is kept aside. A fixed
    ``SOURCE_DATE_EPOCH``: the EPUB's timestamps then come from it, not from the dates."""
    from benchmarks.archive import generate

    files = generate(tmp_path / "all", 6)
    arch = tmp_path / "archive"
    arch.mkdir()
    for f in files[1:]:
        shutil.copy(f, arch / f.name)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return arch, files


def _insert_first(arch: Path, files: list[Path]) -> int:
    shutil.copy(files[0], arch / files[0].name)
    return 1


def _edit_middle(arch: Path, files: list[Path]) -> int:
    middle = arch / files[3].name
    middle.write_text(middle.read_text(encoding="utf-8") + "\n\n增补一段：缓存必须看见这句话。\n",
                      encoding="utf-8")  # fmt: skip
    return 1


def _remove(arch: Path, files: list[Path]) -> int:
    (arch / files[2].name).unlink()
    return 0


@pytest.mark.parametrize("change", [_insert_first, _edit_middle, _remove])
@pytest.mark.parametrize(("suffix", "module"), [(".epub", epub_writer), (".html", html_writer)])
def test_warm_book_after_a_change_is_the_cold_book(tmp_path, archive, change, suffix, module):
    arch, files = archive
    _, first = _build(arch, tmp_path / f"w1{suffix}", cache=True, module=module)
    assert first == 5
    expected = change(arch, files)
    warm, again = _build(arch, tmp_path / f"w2{suffix}", cache=True, module=module)
    assert again == expected  # only the changed digest is rendered
    cold, all_of_them = _build(arch, tmp_path / f"cold{suffix}", cache=False, module=module)
    assert all_of_them == len(list(arch.iterdir()))
    assert warm == cold
    if change is _edit_middle:
        text = warm.decode() if suffix == ".html" else _epub_text(tmp_path / f"w2{suffix}")
        assert "缓存必须看见这句话" in text


def test_the_page_is_written_from_kept_utf8_and_a_kept_text_chapter_is_rendered_again(
    tmp_path, archive
):
    """The page keeps its chapters as UTF-8, number left open, and writes them as they are (no
    decoding, no encoding of the whole page); an entry holding text (an older layout) is a miss,
    rendered again, and the page is the same."""
    import pickle

    from digestkit.cache import DocumentCache

    arch, _files = archive
    first, rendered = _build(arch, tmp_path / "w1.html", cache=True, module=html_writer)
    assert rendered == 5
    kept = {}
    for path in DocumentCache().root.glob("*/*.pickle"):
        value = pickle.loads(path.read_bytes())
        if isinstance(value, tuple) and len(value) == 4 and isinstance(value[0], bytes):
            kept[path] = value
    assert len(kept) == 5 and all(b"\x01" in page for page, *_ in kept.values())
    path, (page, title, lang, anchors) = next(iter(kept.items()))
    path.write_bytes(pickle.dumps((page.decode("utf-8"), title, lang, anchors)))
    again, rendered = _build(arch, tmp_path / "w2.html", cache=True, module=html_writer)
    assert (again, rendered) == (first, 1)


def test_the_text_views_of_the_page_are_its_utf8_decoded():
    """``build_html`` is ``build_html_utf8`` decoded, and ``Page.chapters`` (what the e-mail
    writers read) the UTF-8 chapters decoded."""
    from digestkit.writers.book import book_from_document
    from tests.conftest import SEEDS

    for seed in SEEDS[:2]:
        book = book_from_document(digestkit.load(seed))
        text = html_writer.build_html(book)
        assert text == html_writer.build_html_utf8(book).decode("utf-8")
        page = html_writer.build_page(book)
        assert page.chapters == [c.decode("utf-8") for c in page.chapters_utf8]
        assert all(c in text for c in page.chapters)


def _epub_text(path: Path) -> str:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return "".join(zf.read(n).decode() for n in zf.namelist() if n.endswith(".xhtml"))


_FRESH = """
import sys, warnings
import digestkit
warnings.simplefilter("ignore")
digestkit.weekly(sys.argv[1], sys.argv[2], progress=False, jobs=1)
names = ("digestkit.ast", "digestkit.writers.xhtml", "yaml")
print(",".join(m for m in names if m in sys.modules))
"""


@pytest.mark.parametrize("suffix", [".epub", ".html"])
def test_rerun_renders_nothing_and_imports_neither_ast_nor_renderer(tmp_path, archive, suffix):
    """A re-run that finds every chapter in the cache (nothing changed; a removal) imports no
    AST module and no renderer (~20 ms of start-up), in a fresh interpreter, and writes the
    cold book; one that renders an edited digest imports both, and no PyYAML for its plain
    front matter (the checks can fail both ways)."""
    import os
    import subprocess
    import sys

    arch, files = archive
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root / "src"), str(root)])}

    def fresh(out: Path) -> list[str]:
        proc = subprocess.run([sys.executable, "-c", _FRESH, str(arch), str(out)], env=env,
                              capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
        assert proc.returncode == 0, proc.stderr[-2000:]
        return [m for m in proc.stdout.strip().split(",") if m]

    assert "digestkit.ast" in fresh(tmp_path / f"w0{suffix}")  # cold: everything parsed
    assert fresh(tmp_path / f"w1{suffix}") == []  # nothing changed
    _remove(arch, files)
    assert fresh(tmp_path / f"w2{suffix}") == []  # a removal renders nothing
    cold, _ = _build(arch, tmp_path / f"cold{suffix}", cache=False, module=epub_writer)
    assert (tmp_path / f"w2{suffix}").read_bytes() == cold
    edited = next(p for p in sorted(arch.iterdir()) if p.suffix == ".md")
    edited.write_text(edited.read_text(encoding="utf-8") + "\n\n补一句。\n", encoding="utf-8")
    assert fresh(tmp_path / f"w3{suffix}") == ["digestkit.ast", "digestkit.writers.xhtml"]


def generate_000(out: Path, count: int) -> list[Path]:
    """``count`` digests of seed 000 (YAML front matter, Markdown)."""
    from benchmarks.archive import generate

    return generate(out, count, only="000")


#: what a warm re-run of the command does not need: ``dataclasses`` (with ``inspect``, ~5.5 ms:
#: the records are built without it), ``secrets`` (with ``hmac``), the sniffing patterns, the
#: process pool, and the book-only heavyweights; ``logging`` (configured when first imported,
#: ~6 ms with ``traceback``, ``tokenize``, ``textwrap``), ``tempfile`` (~4 ms with ``random``,
#: ``weakref``), ``typing`` (~2 ms; the plugin protocols live in ``plugin_types``), ``shutil``
#: (with ``bz2``, ``lzma``: argparse's terminal width), ``threading``, ``json`` (~1.4 ms: plain
#: front matter's quoted values decoded without it) (issue 26)
_NOT_ON_A_RERUN = ("dataclasses", "inspect", "secrets", "digestkit.readers.markdown_sniff",
                   "multiprocessing", "concurrent.futures.process", "weasyprint", "yaml",
                   "logging", "traceback", "tokenize", "textwrap", "tempfile", "random",
                   "weakref", "typing", "digestkit.plugin_types", "shutil", "bz2", "lzma",
                   "threading", "base64", "mimetypes", "json", "pickle", "importlib.util",
                   "signal")  # fmt: skip
#: what the HTML page's re-run does not need on top: the EPUB's package (its cover's escape),
#: ``zlib``, ``hashlib`` with OpenSSL (the cache's keys are ``keyhash``'s BLAKE2b; the EPUB's
#: identifier is SHA-256), ``contextlib`` (``digestkit.contexts``; ``zipfile`` imports it), and
#: the cover's drawing module (the masthead's lines are ``cover_text``'s)
_NOT_ON_A_PAGE_RERUN = ("digestkit.writers.epub_package", "zlib", "hashlib", "_hashlib",
                        "contextlib", "digestkit.writers.cover")  # fmt: skip


@pytest.mark.parametrize("suffix", ["epub", "html"])
def test_a_rerun_after_an_edit_imports_none_of_the_heavy_modules(
    archive: tuple[Path, list[Path]], tmp_path: Path, suffix: str
) -> None:
    """The command, cache warm, one Markdown digest edited: what its process imports (a fresh
    interpreter each run, as a user's)."""
    import os
    import subprocess
    import sys

    arch, _files = archive
    for p in sorted(arch.iterdir()):  # YAML Markdown digests only (TOML brings tomlkit, which
        p.unlink()  # imports dataclasses; prose its own reader)
    for f in generate_000(tmp_path / "md", 3):
        shutil.copy(f, arch / f.name)
    out = tmp_path / f"w.{suffix}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    not_needed = _NOT_ON_A_RERUN + (_NOT_ON_A_PAGE_RERUN if suffix == "html" else ())
    code = (
        "import sys\n"
        "from digestkit import cli\n"
        f"sys.argv = ['digestkit', '-q', 'weekly', {str(arch)!r}, '-o', {str(out)!r}]\n"
        "status = cli.main()\n"
        f"print(status, sorted(m for m in {not_needed!r} if m in sys.modules))\n"
    )
    run = [sys.executable, "-c", code]
    subprocess.run(run, env=env, check=True, capture_output=True)  # the cache filled
    md = sorted(arch.glob("*.md"))[1]
    md.write_text(md.read_text(encoding="utf-8") + "\n\n补上一句。\n", encoding="utf-8")
    done = subprocess.run(run, env=env, check=True, capture_output=True, text=True)
    assert done.stdout.strip().splitlines()[-1] == "0 []"
