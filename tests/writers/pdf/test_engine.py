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
