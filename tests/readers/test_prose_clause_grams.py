"""The clause-break gram table: how it is counted, stored, looked up, and that the shipped one
says what real Chinese text says (a clause often ends after 準則 and 了, seldom after 的; it often
begins with 我們, seldom with 的)."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from benchmarks import prose_clause_grams as builder

from digestkit.readers.prose import clause_grams
from digestkit.readers.prose.clause_grams import Table, fingerprint, gram_hash, log_odds
from digestkit.readers.prose.features import codepoints


def _cps(text: str) -> np.ndarray:
    return codepoints(text).astype(np.uint64)


def _at(text: str, gap: int) -> tuple[float, float]:
    left, right = log_odds(_cps(text), np.array([gap], dtype=np.int64))
    return float(left[0]), float(right[0])


def test_counting_marks_the_gaps_punctuation_leaves_and_ignores_spaces() -> None:
    left, left_b, right, right_b = builder.count(["甲乙，丙 丁。戊"])
    # stripped: 甲乙丙丁戊, breaks before 丙 (after the comma) and before 戊 (after the stop)
    assert left["乙"] == left_b["乙"] == 1
    assert left["丙"] == 1 and left_b["丙"] == 0  # the space is no break
    assert right["丙丁"] == right_b["丙丁"] == 1
    assert right["丁戊"] == 1 and right_b["丁戊"] == 0
    assert left["甲乙丙"] == 1 and left_b["甲乙丙"] == 0  # no break after it (the space)
    assert left["乙丙丁"] == left_b["乙丙丁"] == 1
    assert "戊" not in left  # the last gap (the block's end) is not counted
    assert sum(left.values()) == 1 + 2 + 3 + 3  # gaps 1..4, each with the grams that fit


def test_a_longer_gram_is_kept_only_where_it_says_more_than_the_shorter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(builder, "MIN_COUNT", 2)
    seen = Counter({"乙": 100, "甲乙": 50, "丙乙": 50})
    breaks = Counter({"乙": 50, "甲乙": 25, "丙乙": 49})
    kept = builder.table(seen, breaks, 0.1, is_left=True)
    assert "乙" in kept and "丙乙" in kept
    assert "甲乙" not in kept  # its log-odds is its backoff's (both about 1 in 2)


def test_a_stored_table_gives_each_gram_its_value_backing_off_to_the_prior(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kept = {"的": (-4.0, 900), "報告": (2.5, 60), "年度報告": (0.0, 1), "我們": (1.5, 70)}
    left_keys, left_vals = builder.stored({g: v for g, v in kept.items() if g != "我們"})
    right_keys, right_vals = builder.stored({"我們": kept["我們"]})
    table = Table(left_keys, left_vals.astype(np.float32), right_keys,
                  right_vals.astype(np.float32), -3.0)  # fmt: skip
    monkeypatch.setattr(clause_grams, "load", lambda: table)
    text = "年度報告我們的"
    assert _at(text, 4) == (2.5, 1.5)  # after 報告 (2 characters; the 3-gram 度報告 unknown)
    assert _at(text, 7)[0] == -4.0  # after 的
    assert _at(text, 0) == (-3.0, -3.0)  # nothing before; 年度報 / 年度 / 年 unknown: the prior
    assert _at(text, 7)[1] == -3.0  # the end of the text


def test_the_hash_is_fixed_and_sees_every_character_and_the_length() -> None:
    cps = _cps("準則各種準則")
    starts = np.array([0, 4], dtype=np.int64)
    a = gram_hash(cps, starts, 2)
    assert a[0] == a[1]  # the same gram at two places
    assert int(fingerprint(a)[0]) == 3740296241  # not Python's salted hash: the same every run
    assert gram_hash(cps, starts[:1], 1)[0] != gram_hash(cps, starts[:1], 2)[0]
    assert gram_hash(_cps("準側"), starts[:1], 2)[0] != a[0]


def test_the_shipped_table_says_what_real_text_says() -> None:
    table = clause_grams.load()
    assert table is not None
    assert len(table.left_keys) > 100_000 and np.all(np.diff(table.left_keys.astype(np.int64)) > 0)
    prior = table.prior
    assert _at("語音語調準則各種讀者", 6)[0] > prior + 1  # a clause ends after 準則
    assert _at("語音語調準則各種讀者", 4)[0] < _at("語音語調準則各種讀者", 6)[0]
    assert _at("我們的", 3)[0] < prior  # seldom after 的
    assert _at("報告我們", 2)[1] > prior + 1  # 我們 begins clauses
    assert _at("報告的", 2)[1] < prior  # 的 does not
    path = Path(clause_grams.__file__).with_name(clause_grams.FILE)
    assert path.stat().st_size < 2_500_000  # with the network, the models stay under 5 MB


def test_the_span_model_was_fitted_with_the_shipped_table() -> None:
    raw = json.loads(
        resources.files("digestkit.readers.prose").joinpath("heading_ends.json").read_text()
    )
    path = Path(clause_grams.__file__).with_name(clause_grams.FILE)
    assert raw["grams"] == hashlib.sha256(path.read_bytes()).hexdigest()[:16]
