"""Build ``src/digestkit/transforms/_script_chars.py``: what OpenCC's s2t and t2s do, per character.

:func:`digestkit.transforms.script.detect_script` compares how many Han characters OpenCC's
``s2t`` and ``t2s`` change. Loading those two converters costs ~0.1 s CPU, a fifth of a warm
weekly re-run, so the detector first bounds both counts from this table and asks OpenCC only
when the bounds do not decide. The table is exact, not statistical:

* ``TO_TRAD`` / ``TO_SIMP``: Han characters that ``s2t`` / ``t2s`` change when converted alone
  (every code point of :data:`digestkit.cjk.HAN`, one conversion call each).
* ``UNSURE_TRAD`` / ``UNSURE_SIMP``: characters whose changed-or-not may differ in context: some
  multi-character key of a dictionary in that profile's chain (phrases), under any of its values,
  changes the character where alone it is kept or keeps it where alone it is changed; plus every
  key of the normalisation dictionary (compatibility ideographs).
* ``RESIZE``: characters of any key (either profile) whose value has another length, or that
  convert alone to another length. ``detect_script`` counts changed positions only when a
  conversion keeps the length, so a sample holding one of these always goes to OpenCC.

A position whose character is in no UNSURE set is converted in context exactly as alone (no
phrase that covers it treats it differently), so ``count(TO_x - UNSURE_x)`` is a lower bound of
OpenCC's count and ``count(TO_x | UNSURE_x)`` an upper bound.

For ``t2s`` alone, what the archive's duplicate fingerprints need (``script.to_simplified``):

* ``T2S_FROM`` / ``T2S_TO``: every character ``t2s`` changes when converted alone (any
  character of any key of its dictionaries, not only :data:`digestkit.cjk.HAN`), and into what,
  position by position.
* ``T2S_PHRASES``: the multi-character keys (space-separated) whose conversion, under any of
  their values, is not their characters' own conversions put together.
* ``T2S_NORMAL``: the normalisation dictionary's keys (converted before the phrases are sought).

A text holding no ``T2S_NORMAL`` character and no ``T2S_PHRASES`` key is converted by OpenCC
exactly as character by character: whatever the segmentation, each segment is a single character
(its own conversion) or a key whose conversion equals its characters' own.

For the Taiwan test of ``detect_script`` (does ``tw2sp`` convert a text otherwise than ``tw2s``?):

* ``TW_PHRASES``: the keys (space-separated) of the dictionaries ``tw2sp`` puts before ``tw2s``'s
  in its first conversion step (``TWPhrasesRev``); the two profiles are checked to be otherwise
  the same (normalisation, segmentation, every other step), and their normalisation dictionary
  to be ``t2s``'s (``T2S_NORMAL``).
* ``TW_SEPARATORS``: punctuation and spaces that are in no key and no value of any dictionary of
  either profile. Every OpenCC step (normalisation, maximum-match segmentation, each conversion
  step's maximum-match lookup inside a segment) matches only keys, so no match spans such a
  character and it is output as itself: ``convert(a + x + b) == convert(a) + x + convert(b)``.

    python -m benchmarks.script_table          # rewrite the module
    python -m benchmarks.script_table --check  # exit 1 when it differs from a regeneration
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["OUT", "build", "han_code_points", "render"]

OUT = Path(__file__).resolve().parent.parent / "src/digestkit/transforms/_script_chars.py"
PROFILES = ("s2t", "t2s")


def han_code_points() -> list[str]:
    """Every character :data:`digestkit.cjk.HAN_RE` matches, in code point order."""
    from digestkit.cjk import HAN_RE

    ranges = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F)]
    chars = [chr(c) for lo, hi in ranges for c in range(lo, hi + 1)]
    assert all(HAN_RE.fullmatch(c) for c in chars)
    return chars


def _share() -> Path:
    import opencc

    return Path(opencc.__file__).parent / "clib/share/opencc"


def _dict_files(node: object) -> list[str]:
    """The ``.ocd2`` files a config node names, in order."""
    if isinstance(node, dict):
        if node.get("type") == "ocd2":
            return [str(node["file"])]
        return [f for v in node.values() for f in _dict_files(v)]
    if isinstance(node, list):
        return [f for v in node for f in _dict_files(v)]
    return []


def _entries(ocd2: Path) -> list[tuple[str, list[str]]]:
    """A dictionary's (key, values) pairs, read with the ``opencc_dict`` tool the wheel ships."""
    tool = _share().parent.parent / "bin/opencc_dict"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "d.txt"
        subprocess.run(
            [str(tool), "-i", str(ocd2), "-o", str(out), "-f", "ocd2", "-t", "text"],
            check=True,
            capture_output=True,
        )
        lines = out.read_text(encoding="utf-8").splitlines()
    pairs = []
    for line in lines:
        key, _, values = line.partition("\t")
        if key:
            pairs.append((key, values.split(" ")))
    return pairs


def build() -> dict[str, str]:
    """The table's strings (each sorted by code point) and the OpenCC version."""
    import opencc

    chars = han_code_points()
    share = _share()
    changed: dict[str, set[str]] = {}
    unsure: dict[str, set[str]] = {}
    resize: set[str] = set()
    for profile in PROFILES:
        conv = opencc.OpenCC(f"{profile}.json")
        alone = {c: str(conv.convert(c)) for c in chars}
        moved = {c for c, out in alone.items() if out != c}
        resize |= {c for c, out in alone.items() if len(out) != 1}
        config = json.loads((share / f"{profile}.json").read_text(encoding="utf-8"))
        doubt: set[str] = set()
        for name in _dict_files(config.get("normalization", [])):
            doubt |= {k for k, _ in _entries(share / name) if len(k) == 1}
        for name in _dict_files(config["conversion_chain"]):
            for key, values in _entries(share / name):
                if len(key) == 1:
                    continue  # converted alone exactly as in context
                for value in values:
                    if len(value) != len(key):
                        resize |= set(key)
                        continue
                    doubt |= {
                        k for k, v in zip(key, value, strict=True) if (k != v) != (k in moved)
                    }
        changed[profile] = moved
        unsure[profile] = doubt
    t2s = _t2s(opencc.OpenCC("t2s.json"), share)
    tw = _tw(share)
    return {
        "OPENCC_VERSION": str(opencc.__version__),
        "TO_TRAD": "".join(sorted(changed["s2t"])),
        "TO_SIMP": "".join(sorted(changed["t2s"])),
        "UNSURE_TRAD": "".join(sorted(unsure["s2t"])),
        "UNSURE_SIMP": "".join(sorted(unsure["t2s"])),
        "RESIZE": "".join(sorted(resize)),
        **t2s,
        **tw,
    }


def _t2s(conv: Any, share: Path) -> dict[str, str]:
    """The ``T2S_*`` strings (see the module's docstring)."""
    config = json.loads((share / "t2s.json").read_text(encoding="utf-8"))
    normal = {k for name in _dict_files(config.get("normalization", []))
              for k, _ in _entries(share / name)}  # fmt: skip
    entries = [
        e for name in _dict_files(config["conversion_chain"]) for e in _entries(share / name)
    ]
    chars = sorted({c for key, _ in entries for c in key} | set(han_code_points()))
    alone = {c: str(conv.convert(c)) for c in chars}
    moved = sorted(c for c, out in alone.items() if out != c)
    if any(len(alone[c]) != 1 for c in moved):
        raise SystemExit("t2s converts a character alone to another length: extend the table")
    phrases = sorted({key for key, values in entries if len(key) > 1
                      and any(v != "".join(alone[c] for c in key) for v in values)})  # fmt: skip
    if any(" " in key for key in phrases):
        raise SystemExit("a t2s phrase holds a space: choose another separator")
    return {
        "T2S_FROM": "".join(moved),
        "T2S_TO": "".join(alone[c] for c in moved),
        "T2S_PHRASES": " ".join(phrases),
        "T2S_NORMAL": "".join(sorted(normal)),
    }


#: Separators tried for ``TW_SEPARATORS`` (kept when no dictionary of tw2s/tw2sp holds them; no
#: quotation marks, which :func:`render` cannot write).
_SEPARATOR_CANDIDATES = "\t\n !(),.:;?·—…“”、。《》「」『』（）！，：；？-"


def _tw(share: Path) -> dict[str, str]:
    """The ``TW_*`` strings (see the module's docstring)."""
    plain = json.loads((share / "tw2s.json").read_text(encoding="utf-8"))
    phrased = json.loads((share / "tw2sp.json").read_text(encoding="utf-8"))
    t2s = json.loads((share / "t2s.json").read_text(encoding="utf-8"))
    first_plain = plain["conversion_chain"][0]["dict"]
    first_phrased = phrased["conversion_chain"][0]["dict"]
    extra = first_phrased["dicts"][: len(first_phrased["dicts"]) - len(first_plain["dicts"])]
    same = (
        plain["normalization"] == phrased["normalization"] == t2s["normalization"]
        and plain["segmentation"] == phrased["segmentation"]
        and plain["conversion_chain"][1:] == phrased["conversion_chain"][1:]
        and len(plain["conversion_chain"]) == len(phrased["conversion_chain"])
        and first_phrased["dicts"] == extra + first_plain["dicts"]
        and {k: v for k, v in first_phrased.items() if k != "dicts"}
        == {k: v for k, v in first_plain.items() if k != "dicts"}
    )
    if not same:
        raise SystemExit("tw2sp is no longer tw2s with dictionaries put first: extend the table")
    keys = sorted({k for name in _dict_files(extra) for k, _ in _entries(share / name)})
    if any(" " in k for k in keys):
        raise SystemExit("a tw2sp phrase holds a space: choose another separator")
    used: set[str] = set()
    for name in {*_dict_files(plain), *_dict_files(phrased)}:
        for key, values in _entries(share / name):
            used.update(key, *values)
    return {
        "TW_PHRASES": " ".join(keys),
        "TW_SEPARATORS": "".join(sorted(set(_SEPARATOR_CANDIDATES) - used)),
    }


def render(table: dict[str, str]) -> str:
    """The module's source text (deterministic: same OpenCC, same bytes)."""
    head = (
        '"""Generated by ``python -m benchmarks.script_table`` — do not edit (see that module)."""\n'
        "\n"
        "from __future__ import annotations\n"
        "\n"
        f"__all__ = {sorted(table)!r}\n".replace("'", '"')
        + "\n"
    )
    body = "".join(f"{name} = {value!r}\n".replace("'", '"') for name, value in table.items())
    return head + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    text = render(build())
    if args.check:
        same = OUT.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{OUT} differs from a regeneration")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(text.encode())} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
