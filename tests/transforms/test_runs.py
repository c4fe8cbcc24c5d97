"""The run mapper's one-string shortcut must give exactly what the per-run path gives."""

from __future__ import annotations

import dataclasses

import pytest

import digestkit
from digestkit.ast import (
    Document,
    Emphasis,
    Heading,
    Meta,
    Paragraph,
    SoftBreak,
    Strong,
    Text,
    plain_text,
)
from digestkit.transforms._runs import SEPARATOR, map_document_text

from ..conftest import SEEDS


@pytest.fixture(scope="module")
def seed_docs() -> list[Document]:
    """Every seed, and every seed after s2twp (so Traditional → Simplified has work to do)."""
    with pytest.warns(UserWarning):  # seed 003's duplicate-article note
        docs = [digestkit.load(p) for p in SEEDS]
    return docs + [digestkit.convert_script(d, "s2twp") for d in docs]


def _rewrite(text: str) -> str:
    # grows one run (ab -> abc) and shrinks another (xyz -> xy): the total length can stay
    return text.replace("ab", "abc").replace("xyz", "xy").replace("q", "Q")


def _batch(texts: list[str]) -> list[str]:
    return [_rewrite(t) for t in texts]


def _doc(*paragraphs: tuple) -> Document:
    return Document(
        meta=Meta(title="q title"), blocks=tuple(Paragraph(children=p) for p in paragraphs)
    )


CASES = {
    "same length everywhere": _doc((Text(text="q"), Strong(children=(Text(text="q"),)))),
    "runs shift but total length stays": _doc(
        (Text(text="a"), Strong(children=(Text(text="b"),)), Text(text="c")),
        (Text(text="x"), Emphasis(children=(Text(text="yz"),))),
    ),
    "one run grows": _doc(
        (Text(text="a"), Text(text="b q")),
    ),
    "soft break inside": _doc((Text(text="q"), SoftBreak(), Text(text="ab"))),
    "separator in the text": _doc((Text(text=f"a{SEPARATOR}b q"),)),
    "nothing to change": _doc((Text(text="nothing"),)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_shortcut_equals_per_run_path(name: str) -> None:
    doc = CASES[name]
    slow = map_document_text(doc, _batch)
    fast = map_document_text(doc, _batch, whole=_rewrite)
    assert fast == slow
    assert fast.meta.title == "Q title"
    if name == "nothing to change":
        assert fast.blocks is doc.blocks


def test_shifted_runs_are_cut_per_run_not_by_position() -> None:
    doc = CASES["runs shift but total length stays"]
    out = map_document_text(doc, _batch, whole=_rewrite)
    # run 1 "abc" -> "abcc": its segments are converted one by one (a, b, c) as length changed
    assert out.blocks[0].children == doc.blocks[0].children
    # run 2 "xyz" -> "xy": same, segment by segment ("x", "yz")
    assert plain_text(out.blocks[1]) == "xyz"
    assert out == map_document_text(doc, _batch)  # the per-run path agrees


def test_converter_that_drops_separators_falls_back() -> None:
    doc = CASES["same length everywhere"]
    out = map_document_text(doc, _batch, whole=lambda t: _rewrite(t.replace(SEPARATOR, "")))
    assert out == map_document_text(doc, _batch)


def test_script_conversion_shortcut_matches_per_run_on_seeds(seed_docs) -> None:
    from digestkit.transforms.converters import batch as opencc_batch

    for doc in seed_docs:
        for profile in ("s2twp", "t2s", "tw2sp", "s2hk"):
            slow = map_document_text(doc, opencc_batch(profile))  # type: ignore[arg-type]
            fast = digestkit.convert_script(doc, profile)
            assert fast.blocks == slow.blocks, profile
            assert dataclasses.replace(fast.meta, lang=None) == dataclasses.replace(
                slow.meta, lang=None
            )


def test_heading_run() -> None:
    doc = Document(blocks=(Heading(level=2, children=(Text(text="q "), Text(text="ab"))),))
    out = map_document_text(doc, _batch, whole=_rewrite)
    assert plain_text(out) == "Q abc"
