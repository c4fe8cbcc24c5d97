"""The CommonMark 0.31.2 spec examples, run as-is through a digestkit round trip.

For every example: ``dumps(loads(md, "markdown"))`` rendered by markdown-it-py gives the same
HTML as ``md`` itself (after mdformat's whitespace normalisation), and ``dumps`` is idempotent.
"""

from __future__ import annotations

import json
import re

import pytest
from markdown_it import MarkdownIt

import digestkit
from tests.conftest import PEER_TESTS, peer_file

# Each exception is a deliberate design decision, not a writer bug.
XFAIL = {
    96: "a file opening with a '---' line is YAML front matter; 'Foo' is not a mapping (error)",
}

_SPEC = PEER_TESTS / "commonmark" / "commonmark.json"
EXAMPLES = json.loads(_SPEC.read_text(encoding="utf-8")) if _SPEC.exists() else []


def _html(md: str) -> str:
    """markdown-it HTML, whitespace-normalised as mdformat's ``is_md_equal`` does."""
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(md)
    html = re.sub(r"\s+", " ", html)
    html = html.replace("<p> ", "<p>").replace(" </p>", "</p>")
    html = re.sub(r"(</[a-zA-Z][-a-zA-Z0-9]*>) ", r"\g<1>", html)
    html = re.sub(r" (<[a-zA-Z][-a-zA-Z0-9]*>)", r"\g<1>", html)
    return html.replace("<p></p>", "").strip()


def test_suite_is_complete():
    peer_file("commonmark", "commonmark.json")
    assert len(EXAMPLES) == 652


@pytest.mark.parametrize(
    "example",
    [
        pytest.param(
            e,
            id=f"example-{e['example']}",
            marks=pytest.mark.xfail(reason=XFAIL[e["example"]], strict=True),
        )
        if e["example"] in XFAIL
        else pytest.param(e, id=f"example-{e['example']}")
        for e in EXAMPLES
    ],
)
def test_round_trip(example):
    md = example["markdown"]
    out = digestkit.dumps(digestkit.loads(md, "markdown"))
    assert _html(out) == _html(md), out
    assert digestkit.dumps(digestkit.loads(out, "markdown")) == out


def test_xfails_are_few():
    assert len(XFAIL) <= 5
