"""Real damage in the run-on training text (benchmarks/prose_damage.py, issue 24 point 3): the
generator keeps each image caption and the author where they stood, and the damage kinds turn a
document into what copied run-on prose looks like — without touching the evaluation's cases.

The documents are written here, not taken from the corpus (which is never committed).
"""

from __future__ import annotations

import pytest
from benchmarks import prose_train as pt
from benchmarks.prose_cases import cases, doc_blocks, make_case
from benchmarks.prose_corpus import CorpusDoc
from benchmarks.prose_damage import KINDS, damage, pick

_MD = """---
title: 週報
author: 王小明
---

# 週報

![](cover.png)

第一段，介紹本週（上）的新聞：模型更快了？是的！

![美國白宮發布行政命令](a.png)

## 開源專案

![在这里插入图片描述](b.png)

一個新的框架；它支援多種模型。文字旁邊的圖 ![不是圖說](c.png) 不算。
"""


def test_doc_blocks_keeps_captions_and_author_aside() -> None:
    doc = doc_blocks(_MD)
    assert doc.title == "週報"
    assert doc.author == "王小明"
    kinds = [k for k, _ in doc.blocks]
    assert kinds == ["paragraph", "heading", "paragraph"]
    # the caption stood before the heading (block 1); an editor's placeholder and an image
    # inside a sentence are no captions, and a picture with no alt text gives none
    assert doc.captions == ((1, "美國白宮發布行政命令"),)


def test_the_evaluation_cases_ignore_captions_and_author() -> None:
    doc = doc_blocks(_MD)
    case = make_case(doc, "x", script="Hans")
    assert case is not None
    assert "美國白宮" not in case.text and "王小明" not in case.text


def test_every_kind_of_damage() -> None:
    doc = doc_blocks(_MD)
    hurt, kinds = damage(doc, "x.md", every=True)
    assert kinds == KINDS
    texts = [t for _, t in hurt.blocks]
    # the byline first, the caption as a paragraph of its own before the heading
    assert texts[0].endswith("王小明") and texts[0] != "王小明"
    assert hurt.blocks[2] == ("paragraph", "美國白宮發布行政命令")
    assert hurt.blocks[3][0] == "heading"
    # half-width clause punctuation, 。 and 、 kept
    assert texts[1] == "第一段,介紹本週(上)的新聞:模型更快了?是的!"
    assert "一個新的框架;它支援多種模型。" in texts[4]
    case = make_case(hurt, "x", script="Hans")
    assert case is not None
    assert case.text.startswith(texts[0] + texts[1])  # glued, as copied pages have it
    assert len(case.bounds) == 5


def test_damage_is_stable_and_shared_out() -> None:
    doc = doc_blocks(_MD)
    names = [f"repo/{i:03d}.md" for i in range(400)]
    picks = [pick(doc, n) for n in names]
    assert picks == [pick(doc, n) for n in names]  # a hash of the name, not a random draw
    share = {k: sum(k in p for p in picks) / len(picks) for k in KINDS}
    assert 0.18 < share["halfwidth"] < 0.32
    assert 0.4 < share["captions"] < 0.6 and 0.4 < share["byline"] < 0.6
    bare = doc_blocks("第一段。\n\n第二段。\n")  # no caption, no author: only half-width
    assert {k for n in names for k in pick(bare, n)} == {"halfwidth"}


@pytest.mark.parametrize("mode", ["replace", "extra"])
def test_training_cases_carry_the_damage(mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """ "replace": both markings of the text damaged; "extra": the two clean cases and a third,
    damaged, with the other marking than the first; "none" (the default): the clean cases."""
    doc = doc_blocks(_MD)
    name = next(f"r/{i}.md" for i in range(100) if pick(doc, f"r/{i}.md") == KINDS)
    docs = [CorpusDoc(name, "r", "news", "Hant", "train", doc)]
    clean = pt.train_cases(docs)
    assert len(clean) == 2 and all("王小明" not in c.text for c in clean)
    monkeypatch.setattr(pt, "DAMAGE", mode)
    out = pt.train_cases(docs)
    hurt = [c for c in out if "王小明" in c.text]
    assert len(out) == (2 if mode == "replace" else 3)
    assert len(hurt) == (2 if mode == "replace" else 1)
    assert {c.marked for c in out[-2:]} == {True, False}
    for c in hurt:
        assert "," in c.text and "，" not in c.text
    if mode == "extra":
        assert out[1:] == clean and out[0].marked != clean[0].marked
    evaluation = [c for c in cases(doc, name) if c.name == clean[0].name]
    assert evaluation and evaluation[0].text == clean[0].text  # the evaluation stays clean
