"""The WeasyPrint adapter: its URL fetcher, its logging, and the stylesheet it is given."""

from __future__ import annotations

import io
import logging

import pytest

from digestkit.writers.pdf.constants import ASSET_SCHEME
from digestkit.writers.pdf.engine import layout
from digestkit.writers.pdf.style import stylesheet
from digestkit.writers.xhtml import Asset
from tests.writers.test_pdf import _png


def _images(pdf: bytes) -> list[tuple[int, int]]:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return [
            (int(obj.Width), int(obj.Height))
            for obj in doc.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
        ]


def test_fetcher_serves_assets_and_data_urls_only(tmp_path):
    local = tmp_path / "secret.png"
    local.write_bytes(_png(5, 5))
    data = "data:image/png;base64," + __import__("base64").b64encode(_png(3, 4)).decode()
    html = (
        f'<p><img src="{ASSET_SCHEME}pic"/><img src="{data}"/>'
        f'<img src="file://{local}"/><img src="{local.as_uri()}"/>'
        '<img src="http://127.0.0.1:9/x.png"/></p>'
    )
    laid = layout(html, {"pic": Asset(None, "pic", data=_png(7, 2))})
    assert sorted(_images(laid.pdf)) == [(3, 4), (7, 2)]  # never the file: or http: ones
    assert laid.pages == 1


def test_anchor_boxes_are_reported(tmp_path):
    laid = layout('<p id="a" style="font-size: 20px">x</p>', {})
    page, x1, y1, x2, y2 = laid.anchors["a"]
    assert page == 0 and x2 > x1 and y1 > y2  # PDF points, origin bottom-left: top above bottom


@pytest.mark.parametrize("part", ["front", "body"])
def test_stylesheet_holds_only_what_weasyprint_supports(part):
    seen: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    keep = Keep(logging.WARNING)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(keep)
    try:
        css = stylesheet("A5", [], part)
        layout(
            f"<html><head><style>{css}</style></head><body><h1>題</h1><p>字</p></body></html>", {}
        )
    finally:
        logger.removeHandler(keep)
    assert [r.getMessage() for r in seen] == []


def test_engine_messages_are_debug_only(caplog):
    caplog.set_level(logging.DEBUG)
    layout('<p style="line-break: strict; no-such-property: 1">x</p>', {})
    loud = [
        r for r in caplog.records if r.levelno > logging.DEBUG and r.name.startswith("weasyprint")
    ]
    assert loud == []
    debug = [r.getMessage() for r in caplog.records if r.name == "digestkit.writers.pdf.engine"]
    assert any("no-such-property" in m for m in debug), debug


_IMPORT_COUNTING = """
import subprocess, sys
spawned = []
real = subprocess.Popen.__init__
def counting(self, args, *a, **k):
    spawned.append(args)
    return real(self, args, *a, **k)
subprocess.Popen.__init__ = counting
{before}
from digestkit.writers.pdf.engine import require_engine
require_engine()
import ctypes.util, weasyprint.text.ffi as ffi
count = len(spawned)
assert ctypes.util.find_library("c") is not None  # the real search again
print(count, ffi.harfbuzz_subset is not None)
"""


@pytest.mark.skipif(not __import__("sys").platform.startswith("linux"), reason="Linux only")
def test_engine_imports_without_searching_for_libraries_by_subprocess():
    import subprocess
    import sys

    # the usual import runs ldconfig/gcc/ld ~50 times; digestkit's none, with the same
    # libraries (the optional subsetter too), and ctypes' search restored afterwards
    out = subprocess.run([sys.executable, "-c", _IMPORT_COUNTING.format(before="")],
                         capture_output=True, text=True, check=True).stdout.split()  # fmt: skip
    assert out == ["0", "True"]
    # where opening by file name fails, it is imported again the usual way, quietly
    failing = (
        "import cffi.api; real_load = cffi.api._load_backend_lib\n"
        "def load(backend, name, flags):\n"
        "    import ctypes.util\n"
        "    if ctypes.util.find_library('c') is None: raise OSError(name)\n"
        "    return real_load(backend, name, flags)\n"
        "cffi.api._load_backend_lib = load"
    )
    proc = subprocess.run([sys.executable, "-c", _IMPORT_COUNTING.format(before=failing)],
                          capture_output=True, text=True, check=True)  # fmt: skip
    count, subsetter = proc.stdout.split()
    assert int(count) > 0 and subsetter == "True"
    assert "could not import" not in proc.stdout + proc.stderr


def test_engine_version_is_read_without_importing_weasyprint():
    """The version in the layout keys is WeasyPrint's own, read from its ``__init__.py`` in a
    fresh interpreter without importing it; a line of another shape falls back to the import."""
    import subprocess
    import sys

    import weasyprint

    code = ("import sys; from digestkit.writers.pdf import engine; {}"
            "print(engine.engine_version(), 'weasyprint' in sys.modules)")  # fmt: skip
    for patch, imported in (
        ("", "False"),
        ("import re; engine._VERSION_LINE = re.compile('^never$'); ", "True"),
    ):
        out = subprocess.run([sys.executable, "-c", code.format(patch)], capture_output=True,
                             text=True, check=True, timeout=120).stdout.split()  # fmt: skip
        assert out == [weasyprint.__version__, imported]
