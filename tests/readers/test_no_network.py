"""No reader opens a socket: remote images, stylesheets, feed links, DTDs and JSON-LD contexts
stay URLs. Any attempt to connect fails the test (a guard on ``socket``, not a stand-in tool)."""

from __future__ import annotations

import socket

import pytest

from digestkit.readers import feed, html
from tests.readers.test_feed import _feed
from tests.readers.test_html import PAGE


@pytest.fixture
def no_network(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network used")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_html_and_feeds_are_read_offline(no_network):
    page = PAGE.replace(
        "</head>",
        '<link rel="stylesheet" href="https://cdn.example.org/a.css">'
        '<img src="https://cdn.example.org/pixel.gif"></head>',
    )
    for strategy in ("auto", "page", "extract", "all"):
        doc = html.read_html(page, path="p.html", strategy=strategy)
        assert doc.blocks
    rss = _feed("rss").replace(
        b"<rss", b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        b'"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss', 1
    )  # fmt: skip
    assert len(list(feed.READER.read(rss, path="f.rss").articles())) == 3
    assert no_network == []
