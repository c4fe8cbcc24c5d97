"""The prose reader on the three prose seeds, its parts, nothing-lost, round trip and its floors."""

from __future__ import annotations

import re
import subprocess
import sys
import warnings

import pytest

import digestkit
from digestkit.ast import (
    Article,
    BlockQuote,
    BulletList,
    Caption,
    Document,
    Heading,
    Paragraph,
    plain_text,
)
from digestkit.readers.prose.runon import segment_runon
from digestkit.readers.prose.text import sentences
from tests.conftest import FIXTURES

S002 = FIXTURES / "002_de1fd9c93946e42d.txt"
S003 = FIXTURES / "003_558d658436faa8a6.txt"
S004 = FIXTURES / "004_cd16f372d9efd364.txt"


def load(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return digestkit.load(path)


def heads(blocks):
    return [plain_text(b) for b in blocks if isinstance(b, Heading)]


def test_002_three_articles_with_typed_metadata():
    doc = load(S002)
    assert doc.meta.tags == ("AI部署",)  # the hashtag line is a tag, not a heading
    arts = list(doc.articles())
    assert [a.meta.title for a in arts] == [
        "劉津瑞:美國加速AI部署,“創世計畫”在創什麼新秩序?",
        "蘋果迷戀華麗新衣,富可敵國卻不做AI",
        "騰訊,大動作!加碼AI",
    ]
    assert [a.meta.column for a in arts] == ["戰略與安全", "矽谷觀察", None]
    assert arts[1].meta.tags == ("WWDC2025",)
    assert [a.meta.source for a in arts] == ["大灣區評論", "新浪科技", "證券時報"]
    assert arts[0].meta.author == "劉津瑞"


@pytest.mark.xfail(
    strict=True, reason="issue 24 (an aim): the sequence model misses seed 002's unmarked headings"
)
def test_002_unmarked_glued_headings():
    first = next(load(S002).articles())
    assert heads(first.blocks) == [
        "“創世計畫”:“曼哈頓計畫”的新時代升級版",
        "“創世計畫”對美國人工智慧技術發展的潛在影響",
        "“創世計畫”對中國的潛在挑戰",
    ]


# Issue 24, seed 002 read by a person: false headings cut inside names and phrases, and torn
# sentences. Each pair is the text before and after a cut the reader must not make.
_002_CUTS = [
    ("騰訊總裁", "劉熾平在財報電話會上表示"),
    ("在AI", "這方面"),
    ("新夸克", "基於阿里通義"),
    ("繼騰訊元寶從TEG(技術工程事業群)", "轉入CSIG"),
    ("蘋果高級副總裁埃迪·庫(Eddy Cue)", "去年曾經"),
    ("對華“長期科技戰”", "“供應鏈安全戰”的敘事之中"),
    ("細緻剖析", "這一計畫"),
    ("實則強化了", "美國科技巨頭"),
    ("(Francisco Jerónimo)", "這樣評論道"),
    ("PCG(平台與內容事業群)", "調整至CSIG。"),
    ("進一步提升", "騰訊在AI領域"),
]


def _002_blocks():
    out = []
    for art in load(S002).articles():
        out += [plain_text(b) for b in art.blocks]
    return out


@pytest.mark.parametrize(("before", "after"), _002_CUTS, ids=[a for a, _ in _002_CUTS])
def test_002_none_of_the_issue_24_cuts(before, after):
    blocks = _002_blocks()
    glued = [k for k, b in enumerate(blocks) if before + after in b]
    cut = [k for k, b in enumerate(blocks[1:], 1)
           if b.startswith(after) and blocks[k - 1].endswith(before)]  # fmt: skip
    assert cut == [] and len(glued) == 1, (before, after)


def test_002_captions_and_source():
    first = next(load(S002).articles())
    captions = [plain_text(b) for b in first.blocks if isinstance(b, Caption)]
    assert captions[0] == "11月24日,美國白宮發佈川普行政命令,啟動“創世紀計畫”(圖源:whitehouse.gov)"
    assert captions[1].endswith("(圖源:路透社)")
    body = "".join(plain_text(b) for b in first.blocks if isinstance(b, Paragraph))
    assert "圖源" not in body and not body.endswith("(大灣區評論)")


def test_003_duplicate_keeps_the_clean_copy_and_warns():
    # the run-on copy is line 1; the kept copy starts at its title, line 2 (its body is on line 3)
    with pytest.warns(
        UserWarning, match=r":1: this article is a copy of the one on line 2; kept the better-"
    ):
        doc = digestkit.load(S003)
    assert not list(doc.articles())
    assert doc.meta.title == "Anthropic 與 Nvidia:中國晶片政策的升級之戰"
    assert heads(doc.blocks) == [
        "策略性AI晶片成為政策辯論的核心",
        "商機流失與市場影響",
        "出口管制與地緣政治的AI競賽",
    ]
    assert sum(isinstance(b, Paragraph) for b in doc.blocks) == 10


@pytest.mark.xfail(
    strict=True,
    reason="issue 24's torn-first calibration: two of the three marked headings' ends are unsure "
    "and run on to the first punctuation ('策略性AI晶片成為政策辯論的核心當Amodei…升溫。'); the "
    "second ('商機流失與市場影響') is found since the eleventh session's clause-break grams; "
    "docs/prose.md's F1-first operating point finds all three",
)
def test_003_runon_line_alone():
    line = S003.read_text(encoding="utf-8").split("\n")[0]
    result = segment_runon(line)
    assert heads(result.blocks) == [
        "策略性AI晶片成為政策辯論的核心",
        "商機流失與市場影響",
        "出口管制與地緣政治的AI競賽",
    ]
    assert "## " not in "".join(plain_text(b) for b in result.blocks)


def test_004_plain_simplified_text():
    doc = load(S004)
    assert doc.meta.title == "Zuckerberg 曾经对 Llama 充满信心,如今却只字未提"
    assert doc.meta.extra["newsletter"].startswith("每周跟踪AI热点新闻动向")
    assert "订阅" not in plain_text(doc.blocks[0])  # the blurb is not the first paragraph
    hs = heads(doc.blocks)
    assert hs[0] == "Meta 正秘密打造 Llama 的继任者——代号 Avocado" and len(hs) == 12
    lists = [b for b in doc.blocks if isinstance(b, BulletList)]
    assert [plain_text(i) for i in lists[0].items] == [
        "许多员工原本预计这款模型会在年底前发布;",
        "但现在计划推迟至2026 年第一季度;",
        "模型仍在处理训练与性能测试,以确保正式亮相时能获得良好评价。",
    ]
    quotes = [b for b in doc.blocks if isinstance(b, BlockQuote)]
    assert plain_text(quotes[0]) == "“我们的模型训练进展符合计划,没有出现重大时间调整。”"
    assert any(plain_text(i) == "CoreWeave" for li in lists for i in li.items)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("他說:“好。”然後走了。", ["他說:“好。”", "然後走了。"]),
        ("真的嗎?是的!Yahoo! Japan 很大。", ["真的嗎?", "是的!", "Yahoo! Japan 很大。"]),
        ("等等……好吧。最後", ["等等……", "好吧。", "最後"]),
        ("「甲。」『乙！』", ["「甲。」", "『乙！』"]),
    ],
)
def test_sentences(text, expected):
    assert [text[s.start : s.end] for s in sentences(text)] == expected


@pytest.mark.xfail(
    strict=True,
    reason="issue 24's torn-first calibration: the marked heading runs on to the full stop, the "
    "unmarked one is not made",
)
def test_marked_heading_end_and_unmarked_heading():
    # written for the rules the model replaced; an xfail until the sixth session's model passed it
    r = segment_runon(
        "前文很長的一句話在這裡結束了。## 商機流失與市場影響除了政策上的擔憂,公司已經受損。"
    )
    assert heads(r.blocks) == ["商機流失與市場影響"]
    r = segment_runon(
        "第一句話是這篇文章的導語部分。“計畫”對中國的潛在挑戰對中國來說,這是三重訊號。"
    )
    assert heads(r.blocks) == ["“計畫”對中國的潛在挑戰"]
    # an ordinary sentence with a cue word inside is not a heading
    r = segment_runon("第一句話是導語。該舉措折射出美國在新一輪大國競爭中的深層戰略。")
    assert heads(r.blocks) == []


_CONSUMED = r"[#|｜【】*()（）\s]+"


def _blob(doc: Document) -> str:
    parts = [
        doc.meta.title or "",
        doc.meta.source or "",
        doc.meta.author or "",
        *doc.meta.tags,
        *(str(v) for v in doc.meta.extra.values()),
    ]
    for b in doc.blocks:
        if isinstance(b, Article):
            m = b.meta
            parts += [m.title or "", m.column or "", m.source or "", m.author or "", *m.tags]
            parts.append("".join(plain_text(x) for x in b.blocks))
        else:
            parts.append(plain_text(b) + "\x01")
    joined = "\x00".join(re.sub(_CONSUMED, "", p.replace("\n", "")) for p in parts)
    return joined.replace("\x01\x00", "").replace("\x01", "")  # top-level blocks run on


@pytest.mark.parametrize("path", [S002, S003, S004], ids=["002", "003", "004"])
def test_nothing_is_lost(path):
    blob = _blob(load(path))
    text = path.read_text(encoding="utf-8")
    missing = []
    for line in text.split("\n"):
        for piece in re.split(r"[#|｜【】*()（）]+|(?<=[。！？?!])", line):
            piece = re.sub(r"\s+", "", piece)
            if piece and piece not in blob:
                missing.append(piece)
    assert missing == []


@pytest.mark.parametrize("path", [S002, S003, S004], ids=["002", "003", "004"])
def test_round_trip_through_markdown(path):
    doc = load(path)
    md = digestkit.dumps(doc)
    assert digestkit.loads(md) == doc
    assert digestkit.dumps(digestkit.loads(md)) == md


def test_explain_cli():
    proc = subprocess.run([sys.executable, "-m", "digestkit", "inspect", str(S002), "--explain"],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "caption:" in out and "source: '(大灣區評論)'" in out and "tags:" in out
    # every block start with the network's probability and what decided it
    chosen = [x for x in out.splitlines() if ": paragraph: " in x or ": heading: " in x]
    assert chosen and all(re.search(r": p=[01]\.\d\d; ", x) or "after a caption" in x
                          for x in chosen)  # fmt: skip
    assert any("start of the text" in x for x in chosen)
    assert any(re.search(r"p=[01]\.\d\d; after '[。！？]'", x) for x in chosen)
    # and the likely starts that were not made, with the rule or price that stopped them
    vetoed = [x for x in out.splitlines() if ": no boundary: " in x]
    assert all(re.search(r"p=[01]\.\d\d; (forbidden: \w+|inside a heading|no punctuation|after|a better)", x)
               for x in vetoed)  # fmt: skip


# The figures reached on the seeds (docs/prose.md), held as floors so they cannot silently regress.
# Nothing is chosen on the seeds (the network is trained on train, the decoder calibrated on dev).
# Issue 24's sequence model and torn-first decoder: a floor is raised where the new reader measures
# better than the linear model's floor; where it measures worse the linear model's floor stays,
# as a strict xfail that names both figures (LOWER) — the day it passes, the marker must go.
FLOORS = {
    # pk: the linear model's 0.50 -> 0.353 (eighth session) -> 0.416 (ninth: the network trained
    # on both markings of each text; better on every test source type but news' blocks, worse
    # on this one seed — still better than the linear model's floor the issue measures against)
    "003-runon": {"headings": 0.66, "paragraphs": 0.34, "pk": 0.42},
    "gold-marked": {"headings": 0.63, "paragraphs": 0.59, "pk": 0.14},
    "gold-unmarked": {"headings": 0.07, "paragraphs": 0.44, "pk": 0.21},
}
_TORN_FIRST = "issue 24's torn-first decoding: an unsure heading end runs on to punctuation"
LOWER: dict[tuple[str, str], str] = {
    ("003-runon", "headings"): f"{_TORN_FIRST} (0.67 -> 0.33)",
    ("003-runon", "paragraphs"): f"{_TORN_FIRST} (0.34 -> 0.25)",
    ("gold-marked", "headings"): f"{_TORN_FIRST} (0.63 -> 0.54)",
    ("gold-marked", "paragraphs"): f"{_TORN_FIRST} (0.59 -> 0.47)",
    ("gold-marked", "pk"): f"{_TORN_FIRST} (0.136 -> 0.210)",
    ("gold-unmarked", "headings"): f"{_TORN_FIRST} (0.07 -> 0.00)",
    ("gold-unmarked", "pk"): f"{_TORN_FIRST} (0.203 -> 0.292)",
}


@pytest.fixture(scope="module")
def seed_figures():
    from benchmarks.prose_segmentation import run

    return run()


def _floor_param(name, figure):
    key = (name, figure)
    marks = [pytest.mark.xfail(strict=True, reason=LOWER[key])] if key in LOWER else []
    return pytest.param(name, figure, marks=marks, id=f"{name}-{figure}")


@pytest.mark.parametrize(
    ("name", "figure"),
    [_floor_param(n, f) for n in FLOORS for f in ("headings", "paragraphs", "pk")],
)
def test_segmentation_floors(seed_figures, name, figure):
    got = seed_figures[name]
    floor = FLOORS[name][figure]
    if figure == "pk":
        assert got["pk"] <= floor, (name, got)
    else:
        assert got[figure]["f1"] >= floor, (name, got)
