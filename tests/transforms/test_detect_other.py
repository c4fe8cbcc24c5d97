"""``detect._other_letters`` answers as a search of the ``_OTHER`` class does, testing a
process's first samples by their characters (compiling the class costs ~1.4 ms)."""

from __future__ import annotations

import random
import re

from digestkit.transforms import detect


def _search(text: str) -> bool:
    return re.compile(detect._OTHER).search(text) is not None


def test_every_code_point_alone_and_among_han_and_ascii():
    for cp in range(0x110000):
        if 0xD800 <= cp < 0xE000:
            continue
        ch = chr(cp)
        want = _search(ch)
        assert detect._other_letters_by_characters(ch) == want, hex(cp)
        assert detect._other_letters_by_characters(f"中文{ch}abc，。") == want, hex(cp)


def test_random_mixed_text():
    rng = random.Random(26)
    pool = (
        [chr(c) for c in range(0x20, 0x7F)]
        + list("中文日本語，。「」、《》—…")
        + list("かなカナー한국어가힣ㄱᄀΑλφԱաאבกไႠЖжӿ")
        + [chr(c) for c in range(0x3000, 0x3040)]
    )
    for _ in range(20_000):
        text = "".join(rng.choice(pool) for _ in range(rng.randrange(0, 40)))
        assert detect._other_letters_by_characters(text) == _search(text), text


def test_the_ranges_are_read_from_the_classes():
    starts, ends = detect._other_ranges()
    assert starts == sorted(starts) and all(a <= b for a, b in zip(starts, ends, strict=True))
    assert all(b + 1 < a for b, a in zip(ends, starts[1:], strict=False))  # merged


def test_the_first_samples_are_tested_by_characters_then_the_class_is_compiled(monkeypatch):
    calls: list[str] = []
    by_chars = detect._other_letters_by_characters
    monkeypatch.setattr(detect, "_tested", [0])
    monkeypatch.setattr(
        detect, "_other_letters_by_characters", lambda s: calls.append(s) or by_chars(s)
    )
    detect._pattern.cache_clear()
    texts = ["中文abc，", "한국어", "中文", "ロシア Россия"] * 3
    got = [detect._other_letters(t) for t in texts]
    assert got == [_search(t) for t in texts]
    assert calls == texts[: detect._BY_CHARACTERS]
    assert detect._pattern.cache_info().currsize == 1  # compiled once, for the rest
