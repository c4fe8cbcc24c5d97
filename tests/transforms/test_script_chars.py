"""The per-character OpenCC table behind detect_script's fast path: fresh, and never wrong.

The fast path (``detect._bounded_order``) may only answer when it proves OpenCC's own answer;
these tests hold it to that on the seeds and on generated text built to sit near the boundary.
"""

from __future__ import annotations

import random
import subprocess
import sys

import pytest
from benchmarks import script_table

from digestkit.cjk import HAN_RE
from digestkit.transforms import _script_chars as table
from digestkit.transforms import converters, detect, script
from tests.conftest import SEEDS


def _han(text: str) -> str:
    return "".join(HAN_RE.findall(text))[: detect._SAMPLE]


def test_table_equals_a_fresh_regeneration_with_the_installed_opencc():
    # Regenerating every code point takes ~1 s, so the whole table is checked, not a sample.
    fresh = script_table.build()
    assert fresh["OPENCC_VERSION"] == table.OPENCC_VERSION
    assert script_table.render(fresh) == script_table.OUT.read_text(encoding="utf-8")


def test_table_agrees_with_opencc_on_characters_converted_alone():
    # Independent of the generator's code: a spread of code points straight through OpenCC.
    rng = random.Random(16)
    chars = rng.sample(script_table.han_code_points(), 3000) + list("们這个個干后发髮")
    to_trad, to_simp = set(table.TO_TRAD), set(table.TO_SIMP)
    for ch in chars:
        assert (script.convert_text(ch, "s2t") != ch) == (ch in to_trad), ch
        assert (script.convert_text(ch, "t2s") != ch) == (ch in to_simp), ch


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_fast_answer_is_opencc_answer_on_seeds(path):
    han = _han(path.read_text(encoding="utf-8"))
    fast = detect._bounded_order(han)
    assert fast is not None  # whole seeds are plainly one script: OpenCC must not be needed
    assert fast == detect._opencc_order(han)


def _mixes() -> list[str]:
    """Random Han text drawn from both sides and from the phrase-sensitive characters, at every
    balance from all-Simplified to all-Traditional, so many samples land near a tie."""
    rng = random.Random(3)
    seeds = "".join(_han(p.read_text(encoding="utf-8")) for p in SEEDS)
    simp = [c for c in seeds if c in table.TO_TRAD] or list(table.TO_TRAD[:500])
    trad = [c for c in seeds if c in table.TO_SIMP] or list(table.TO_SIMP[:500])
    unsure = list(table.UNSURE_TRAD + table.UNSURE_SIMP)
    neutral = [c for c in seeds if c not in table.TO_TRAD and c not in table.TO_SIMP]
    out = []
    for i in range(400):
        share = i / 399
        n = rng.randint(5, 300)
        pool = []
        for _ in range(n):
            r = rng.random()
            if r < 0.2:
                pool.append(rng.choice(unsure))
            elif r < 0.5:
                pool.append(rng.choice(neutral))
            else:
                pool.append(rng.choice(trad if rng.random() < share else simp))
        out.append("".join(pool))
    # real phrases whose characters convert otherwise alone (干涉, 頭髮, 後面 ...)
    out += ["干涉干预干净", "头发发展", "後面後來", "乾燥乾淨", "皇后后来", "理发发现头发"]
    return out


def test_fast_answer_is_opencc_answer_on_generated_mixes():
    decided = undecided = 0
    for han in _mixes():
        fast = detect._bounded_order(han)
        if fast is None:
            undecided += 1
        else:
            decided += 1
            assert fast == detect._opencc_order(han), han
    # both paths are exercised: the table decides most, near-ties fall back
    assert decided > 200 and undecided > 10, (decided, undecided)


@pytest.mark.parametrize(
    "han",
    [
        "干後",  # 干 may stay 干 in a phrase (干涉): 0..1 against exactly 1
        "后這",  # 后 may stay 后 (皇后): 0..1 against 1
        "面",  # 面 may become 麵 in a phrase: 0..1 against 0
    ],
)
def test_near_ties_fall_back_to_opencc(han):
    assert detect._bounded_order(han) is None


def test_exact_tie_is_proved_and_matches_opencc():
    # 们 and 這 are phrase-proof: one change each way, a tie the table may call itself.
    assert detect._bounded_order("们這") == 0 == detect._opencc_order("们這")
    assert script.detect_script("们這") == "zh"


def test_simplified_detection_does_not_import_opencc():
    code = (
        "import sys\n"
        "from digestkit.transforms.script import detect_script\n"
        "print(detect_script('我们发布了新的软件版本，网络服务更加稳定。'))\n"
        "print('opencc' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["zh-Hans", "False"]


def _opencc_t2s(text: str) -> str:
    return str(converters.converter("t2s").convert(text))


def test_to_simplified_is_opencc_t2s_on_seeds_mixes_and_planted_phrases():
    """The fingerprints' t2s by table (``script.to_simplified``) must be OpenCC's own output:
    on the seeds (whole and cut anywhere), the generated mixes, and texts with each kind of
    trap planted — a phrase converted otherwise than its characters, a normalised character."""
    rng = random.Random(16)
    phrases = table.T2S_PHRASES.split()
    texts = [p.read_text(encoding="utf-8") for p in SEEDS] + _mixes()
    for base in list(texts):
        i = rng.randrange(len(base) + 1)
        texts.append(base[:i] + rng.choice(phrases) + base[i:])
        texts.append(base[:i] + rng.choice(table.T2S_NORMAL) + base[i:])
        texts.append(base[i : i + rng.randint(1, 50)])
    texts += phrases
    answered = 0
    for text in texts:
        assert script.to_simplified(text) == _opencc_t2s(text), text[:40]
        fast = script._t2s_fast()
        assert fast is not None  # the installed OpenCC is the table's release
        _, normal, firsts = fast
        answered += normal.isdisjoint(text) and not any(
            k in text for c in firsts.keys() & set(text) for k in firsts[c])  # fmt: skip
    assert 0 < answered < len(texts)  # both paths taken


def test_to_simplified_answers_a_simplified_digest_without_opencc(monkeypatch):
    def boom(text: str, profile: str) -> str:
        raise AssertionError("OpenCC asked")

    text = SEEDS[0].read_text(encoding="utf-8")
    want = _opencc_t2s(text)
    monkeypatch.setattr(script, "convert_text", boom)
    assert script.to_simplified(text) == want
    with pytest.raises(AssertionError, match="OpenCC asked"):
        script.to_simplified("想像")  # a phrase t2s converts otherwise (想象): OpenCC decides


def test_to_simplified_uses_the_table_only_with_its_opencc_release(monkeypatch):
    script._t2s_fast.cache_clear()
    monkeypatch.setattr(table, "OPENCC_VERSION", "0.0.0")
    try:
        assert script._t2s_fast() is None
        assert script.to_simplified("後來") == _opencc_t2s("後來")
    finally:
        script._t2s_fast.cache_clear()


def test_what_t2s_changes_is_one_set_for_the_detector_and_the_fingerprints():
    """The detector's "changed by t2s" test reads the fingerprints' translation table: the same
    characters, built once (``converters.t2s_char_map``)."""
    assert set(map(chr, converters.t2s_char_map())) == set(table.TO_SIMP)
    assert detect._table()[1] is converters.t2s_char_map()


@pytest.mark.parametrize("name", ["opencc", "json", "digestkit", "no_such_module_xyz"])
def test_find_spec_answers_as_importlib_util(name):
    from importlib.util import find_spec

    want, got = find_spec(name), script._find_spec(name)
    assert (got is None) == (want is None)
    if want is not None and got is not None:
        assert (got.name, got.origin) == (want.name, want.origin)
