"""The training mix of the prose reader's model (benchmarks/prose_train.py): the per-repository
cap, cases per source type, the deterministic subset, and the macro average the thresholds are
tuned on.

The documents are written here (short Chinese paragraphs and headings imitating the corpus's
digests and documentation), not taken from the corpus, which is never committed.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from benchmarks import prose_train as pt
from benchmarks.prose_cases import Doc
from benchmarks.prose_corpus import CorpusDoc

_BLOCKS = (
    ("heading", "今日摘要"),
    ("paragraph", "某公司發布了新的模型，速度比上一代快兩倍。開發者可以在設定中開啟預覽。"),
    ("heading", "開源專案"),
    ("paragraph", "一個新的代理框架讓構建應用變得簡單。它支援多種模型。"),
)


def _doc(repo: str, i: int, source_type: str = "docs") -> CorpusDoc:
    blocks = tuple((k, t.replace("模型", f"模型{i}")) for k, t in _BLOCKS)
    return CorpusDoc(f"{repo}/{i:03d}.md", repo, source_type, "Hans", "train", Doc(None, blocks))


def test_cap_per_repository_keeps_small_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pt, "REPO_CAP", 3)
    docs = [_doc("big", i) for i in range(7)] + [_doc("small", i) for i in range(2)]
    capped = pt.select_docs(docs, "capped")
    assert [d.repo for d in capped].count("big") == 3
    assert [d.repo for d in capped].count("small") == 2
    assert capped == pt.select_docs(list(docs), "capped")  # deterministic
    assert pt.select_docs(docs, "flat") == docs


def test_limit_is_a_stable_subset() -> None:
    docs = [_doc(f"r{i % 3}", i) for i in range(12)]
    sub = pt.select_docs(docs, "flat", limit=5)
    assert len(sub) == 5 and all(d in docs for d in sub)
    # the same documents whatever the order they come in, kept in corpus order
    assert {d.file for d in pt.select_docs(docs[::-1], "flat", limit=5)} == {d.file for d in sub}
    assert [docs.index(d) for d in sub] == sorted(docs.index(d) for d in sub)


def test_weighted_recipe_gives_digests_more_variants() -> None:
    digest, doc = _doc("d", 1, "digest"), _doc("m", 1, "docs")
    cases = pt.train_cases([digest, doc], "weighted")
    names = [c.name for c in cases]
    assert sum(n.startswith("d/") for n in names) == pt.TYPE_CASES["digest"]
    assert sum(n.startswith("m/") for n in names) == 1
    assert len(set(names)) == len(names)  # different variants, not the same case twice
    dig = [c for c in cases if c.name.startswith("d/")]
    assert {c.marked for c in dig} == {True, False}


def test_capped_recipe_gives_each_text_marked_and_bare() -> None:
    """Two cases per document: the hash-picked variant and the same text with the other
    marking (the marked copy teaches heading ends, the bare one heading starts)."""
    docs = [_doc("d", 1, "digest"), _doc("m", 1, "docs"), _doc("m", 2, "docs")]
    cases = pt.train_cases(docs, "capped")
    assert len(cases) == 2 * len(docs)
    for a, b in zip(cases[::2], cases[1::2], strict=True):
        assert a.name.split(":")[:2] == b.name.split(":")[:2]  # same document, same script
        assert {a.marked, b.marked} == {True, False}
        assert a.text == b.text and a.headings == b.headings
    assert cases == pt.train_cases(list(docs), "capped")  # deterministic


def test_torn_upper_bound_is_stricter_for_few_characters() -> None:
    """Calibration bounds each source type's torn sentences by an upper bound of its rate: the
    same rate seen in fewer characters must clear a higher bar."""
    from benchmarks.prose_calibrate import torn_upper

    assert torn_upper(0, 10_000) == 1.0  # nothing seen in 10k characters proves little
    assert torn_upper(20, 300_000) > torn_upper(200, 3_000_000) > 200 / 300
    assert torn_upper(9, 100_000) == round((9 + 6 + 1) / 10, 2)


def _prepared(docs: list[CorpusDoc]) -> list[Any]:
    """Calibration's cached cases of ``docs``, with a stand-in for the network's emissions."""
    from benchmarks.prose_calibrate import Prepared
    from benchmarks.prose_cases import cases

    from digestkit.readers.prose.constraints import forbidden
    from tests.readers.test_prose_decode import standin

    prepared = []
    for d in docs:
        for c in cases(d.doc, d.file):
            marks = [a for a, _ in c.headings] if c.marked else []
            prepared.append(Prepared(c, d.source_type, "Hans", marks, standin(c.text, marks),
                                     forbidden(c.text)))  # fmt: skip
    return prepared


def test_calibration_macro_is_the_mean_over_source_types() -> None:
    """The decoder's calibration objective (benchmarks/prose_calibrate.py) weighs each source
    type alike, and reports torn sentences per type (here from a stand-in for the network)."""
    from benchmarks.prose_calibrate import score

    from digestkit.readers.prose.decode import Params

    prepared = _prepared([_doc("a", 1, "digest"), _doc("b", 2, "docs"), _doc("c", 3, "docs")])
    r = score(prepared, Params())
    assert {"digest", "docs", "all", "macro"} <= set(r)
    for key in ("blocks", "headings_bare", "headings_marked", "objective"):
        assert r["macro"][key] == pytest.approx((r["digest"][key] + r["docs"][key]) / 2, abs=1e-3)
    assert r["macro"]["torn_max"] == max(
        r[t]["torn_per_10k"] + r[t]["torn_bracket_per_10k"] for t in ("digest", "docs")
    )


def test_frontier_keeps_each_bound_and_buys_no_less_with_a_looser_one() -> None:
    """``prose_calibrate --frontier`` (issue 24's two goals against each other): each row's
    configuration keeps the worst source type's torn upper bound under the row's bound, and a
    looser bound never gives a worse objective (the rows are maxima over nested sets)."""
    from benchmarks.prose_calibrate import FRONTIER_GRID, frontier, score

    from digestkit.readers.prose.decode import Params

    prepared = _prepared([_doc("a", 1, "digest"), _doc("b", 2, "docs")])
    rows = frontier(prepared, Params())
    assert rows, "the loosest bound (none) always has a configuration"
    assert rows[-1]["bound"] is None
    objectives = [r["macro_objective"] for r in rows]
    assert objectives == sorted(objectives)
    for r in rows:
        assert r["bound"] is None or r["worst_torn_upper"] <= r["bound"]
        assert set(r["params"]) == set(FRONTIER_GRID)
        again = score(prepared, dataclasses.replace(Params(), **r["params"]))
        assert again["macro"]["objective"] == r["macro_objective"]
