"""The prose reader's duplicate-article check: the same decisions as comparing every pair, in
time that grows with the number of articles, not with its square (issue 25, point 9)."""

from __future__ import annotations

import random
import warnings

from digestkit.readers import prose
from digestkit.readers.prose import _Article, _dedupe, _Log, _similar, _structure_score

_WORDS = "騰訊總裁表示今年人工智慧投資將持續增加公司財報顯示營收成長模型訓練資料中心晶片供應鏈"


def _brute(articles: list[_Article]) -> list[int]:
    """The check as it was: every pair in order (the reference)."""
    texts = [prose._normalised("".join(t for _, t in a.body)) for a in articles]
    dropped: set[int] = set()
    for i in range(len(articles)):
        for j in range(i + 1, len(articles)):
            if i in dropped or j in dropped:
                continue
            if _similar(texts[i], texts[j]) >= 0.85:
                keep_i = _structure_score(articles[i]) > _structure_score(articles[j])
                dropped.add(j if keep_i else i)
    return [k for k in range(len(articles)) if k not in dropped]


def _article(rng: random.Random, base: str, line: int) -> _Article:
    text = list(base)
    for _ in range(rng.choice([0, 0, 1, 3, 12])):  # a few edits: a copy, a near copy, another text
        text[rng.randrange(len(text))] = rng.choice(_WORDS)
    titled = rng.random() < 0.5
    return _Article(title_line=(line, "標題") if titled else None,
                    body=[(line + 1, "".join(text))], runon=rng.random() < 0.5)  # fmt: skip


def _kept(articles: list[_Article]) -> list[int]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kept = _dedupe(articles, None, _Log())
    ids = {id(a): k for k, a in enumerate(articles)}
    return [ids[id(a)] for a in kept]


def test_same_decisions_as_every_pair() -> None:
    rng = random.Random(7)
    for _ in range(60):
        bases = ["".join(rng.choice(_WORDS) for _ in range(rng.randint(3, 60))) for _ in range(4)]
        arts = [_article(rng, rng.choice(bases), 2 * k + 1) for k in range(rng.randint(1, 12))]
        assert _kept(arts) == _brute(arts)


def _comparisons(n: int, monkeypatch) -> int:
    """How many article pairs the check compares for ``n`` different articles (no clock: the
    count is what grows with the square when every pair is compared)."""
    rng = random.Random(n)
    arts = [_article(rng, "".join(rng.choice(_WORDS) for _ in range(80)), 2 * k + 1)
            for k in range(n)]  # fmt: skip
    return _counted(arts, monkeypatch)[1]


def _counted(arts, monkeypatch) -> tuple[list, int]:
    """The articles the check keeps, and how many pairs it compared to get there."""
    calls = 0

    def counted(a: str, b: str) -> float:
        nonlocal calls
        calls += 1
        return _similar(a, b)

    monkeypatch.setattr(prose, "_similar", counted)
    kept = _kept(arts)
    return kept, calls


def test_many_articles_scale_linearly(monkeypatch) -> None:
    # 8x the articles: comparing every pair costs 64x the comparisons; linear allows 8x (+ slack)
    small, large = _comparisons(400, monkeypatch), _comparisons(3200, monkeypatch)
    assert large <= 12 * max(small, 400)


def test_identical_articles_scale_linearly(monkeypatch) -> None:
    rng = random.Random(1)
    base = "".join(rng.choice(_WORDS) for _ in range(80))
    counts = []
    for n in (300, 2400):
        arts = [_Article(title_line=None, body=[(k + 1, base)], runon=True) for k in range(n)]
        kept, calls = _counted(arts, monkeypatch)
        assert len(kept) == 1
        counts.append(calls)
    assert counts[1] <= 12 * counts[0]
