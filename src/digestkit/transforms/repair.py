"""Repair the damage a one-character-to-one-character converter leaves in Traditional Chinese.

Converters such as hanziconv (and zhconv used character by character) turn each Simplified
character into one fixed Traditional character. Where a Simplified character stands for several
Traditional ones (克 → 克/剋, 后 → 後/后, 发 → 發/髮, 干 → 幹/乾/干, 钟 → 鐘/鍾, 于 → 於/于 …)
they pick wrongly whenever the context asks for the other reading: Tim Cook becomes ``庫剋``,
hair becomes ``頭發``, clean becomes ``幹淨``.

How a document is judged, using only OpenCC (its dictionaries and its conversions):

1. **Candidates.** The readings of a Simplified character are OpenCC's ``STCharacters`` entry
   for it plus every character ``t2s`` maps to it (read once, see :func:`_tables`). A
   character is a candidate when its Simplified form has at least two readings that are not
   mere orthographic variants of each other. Variants are what OpenCC's regional tables map
   onto one another (爲/為 by Taiwan's, 臺/台 by Hong Kong's, 裏/裡 …); they are never changed.
2. **Context.** Each clause is converted to Simplified (``tw2s``/``hk2s``/``t2s`` by region)
   and back with OpenCC's phrase dictionaries for every region (``s2t``, ``s2tw``, ``s2twp``,
   ``s2hk``). A candidate that any of these gives back at its position (or a variant of it)
   is right: that is how 計畫 (Taiwan's phrase) and 計劃 (OpenCC's standard) both survive.
3. **Findings.** Otherwise the text's own region names the replacement (``s2tw`` for
   ``zh-Hant-TW`` …) when OpenCC chose a non-default reading there because a phrase says so
   (``头发`` → ``頭髮``), or when the written character is a non-default reading no phrase
   ending at it supports (``庫剋``: 剋 lives only in phrases like 剋星, 相剋).
4. **The document decides.** A one-to-one converter cannot see phrases, so it gets
   phrase-dependent readings right only by chance; people mostly get them right, and where
   they differ from OpenCC it is usually their region's usage (發布, 周年, 控制杆). So every
   finding is replaced only in a document that reads as converted character by character
   (:func:`_converted_by_character`); in any other, only findings the document contradicts
   itself (it writes 庫克 elsewhere, so this 庫剋 is a slip).

Only Traditional text is repaired: a document (or article) whose ``lang`` is Simplified is left
alone, and so is any run that reads as Simplified (``后来`` is correct Simplified, not damage).
Every replacement is one character for one, so emphasis and links keep their places. Figures on
real text: docs/chinese.md (``benchmarks/repair.py``).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from .._records import field
from .._records import record as dataclass  # dataclasses' classes, no exec
from ..ast import Article, Document, plain_text
from ..cjk import HAN_RE
from ._runs import BatchFn, map_document_text

__all__ = ["RepairTables", "repair_script", "repair_text", "repair_texts"]

# Han code points OpenCC's character tables cover: the BMP blocks and Extension B, where the
# Traditional characters of OpenCC's tables live (Extensions C+ hold only Simplified forms;
# compatibility ideographs are normalised away by OpenCC before any table is read).
_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0x2A6DF))
_SEP = "\n"
_WINDOW = 4  # how far back a supporting phrase may start
_LINE = re.compile(r"[^\n]+")
_CLAUSE = re.compile(r"[^\s，。、；：？！「」『』（）《》〈〉,.;:?!()\"'“”‘’—…]+")


def _convert(profile: str, text: str) -> str:
    from .converters import converter

    return str(converter(profile).convert(text))


def _per_char(profile: str, chars: list[str]) -> list[str]:
    """Each character converted alone (one OpenCC call; newlines keep phrases apart)."""
    out = _convert(profile, _SEP.join(chars)).split(_SEP)
    if len(out) != len(chars):  # pragma: no cover - OpenCC keeps newlines
        out = [_convert(profile, c) for c in chars]
    return out


@dataclass(frozen=True, slots=True)
class RepairTables:
    """What OpenCC knows about one-to-many characters, derived once per process.

    ``readings``: Simplified character → its Traditional readings (default first).
    ``variant``: Traditional character → a canonical member of its orthographic-variant class.
    ``family``: Traditional character → its Simplified form, for candidates only.
    ``hidden``: a candidate ``t2s`` leaves as it is (瞭) → the Simplified character it reads.
    """

    readings: dict[str, tuple[str, ...]]
    variant: dict[str, str]
    family: dict[str, str]
    hidden: dict[str, str]

    def same(self, a: str, b: str) -> bool:
        """True when ``a`` and ``b`` are one character or orthographic variants of one."""
        return a == b or self.variant.get(a, a) == self.variant.get(b, b)


def _traditional_repertoire(char: str) -> bool:
    try:
        char.encode("cp950")
    except UnicodeEncodeError:
        return False
    return True


def _st_characters() -> dict[str, list[str]]:
    """OpenCC's own one-to-many table (``STCharacters``), read with the package's ``opencc_dict``.

    Some readings are invisible to conversions: ``t2s`` leaves 瞭 alone (瞭望 is Simplified
    too), yet one-to-one converters write 瞭 for every 了. The ``opencc`` wheel ships the
    dictionary compiler that turns its binary ``.ocd2`` back into text; builds without it
    (a system OpenCC) fall back to what the conversions reveal.
    """
    import subprocess
    import tempfile

    import opencc

    root = Path(opencc.__file__).parent / "clib"
    tool, data = root / "bin" / "opencc_dict", root / "share" / "opencc" / "STCharacters.ocd2"
    if not (tool.is_file() and data.is_file()):
        return {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "st.txt"
        try:
            subprocess.run(
                [str(tool), "-i", str(data), "-o", str(out), "-f", "ocd2", "-t", "text"],
                check=True, capture_output=True, timeout=30,
            )  # fmt: skip
            lines = out.read_text(encoding="utf-8").splitlines()
        except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
            return {}
    table: dict[str, list[str]] = {}
    for line in lines:
        key, _, values = line.partition("\t")
        readings = values.split()
        if len(key) == 1 and len(readings) > 1:
            table[key] = readings
    return table


@functools.cache
def _tables() -> RepairTables:
    chars = [chr(c) for lo, hi in _RANGES for c in range(lo, hi + 1)]
    simp = _per_char("t2s", chars)
    groups: dict[str, list[str]] = {}
    for c, s in zip(chars, simp, strict=True):
        if len(s) == 1 and s != c:
            groups.setdefault(s, [s] if s == c else []).append(c)
    # A Simplified character that is also a Traditional one (后, 干, 于, 克) reads as itself too.
    # OpenCC's conversions cannot say which are (s2t gives only the default), but Big5 (cp950)
    # can: it holds the Traditional repertoire, and 发, 钟, 为 are not in it.
    keys = list(groups)
    default = dict(zip(keys, _per_char("s2t", keys), strict=True))
    for s in keys:
        if _traditional_repertoire(s):
            groups[s].append(s)
    for s, listed in _st_characters().items():
        members = groups.setdefault(s, [])
        members += [c for c in listed if c not in members and _traditional_repertoire(c)]
        if s not in default:
            default[s] = _per_char("s2t", [s])[0]
    # orthographic variants: characters OpenCC's regional tables map onto one another
    members_all = sorted({c for m in groups.values() for c in m})
    canon: dict[str, str] = {}
    parent = {c: c for c in members_all}

    def find(c: str) -> str:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for profile in ("t2tw", "t2hk", "tw2t", "hk2t"):
        for c, v in zip(members_all, _per_char(profile, members_all), strict=True):
            if v != c and v in parent:
                parent[find(c)] = find(v)
    canon = {c: find(c) for c in members_all}
    readings: dict[str, tuple[str, ...]] = {}
    family: dict[str, str] = {}
    for s, members in groups.items():
        d = default[s]
        ordered = tuple(dict.fromkeys([d, *sorted(members)]))
        readings[s] = ordered
        if len({canon.get(m, m) for m in ordered}) > 1:
            for m in ordered:
                family[m] = s
    hidden = {c: s for c, s in _HIDDEN.items() if family.get(c) == s}
    return RepairTables(readings=readings, variant=canon, family=family, hidden=hidden)


# Readings ``t2s`` leaves as they are, so nothing says which Simplified character they came from.
# OpenCC lists 31 (瞭 for 了, 像 for 象, 座 for 坐, 待 for 呆, 覆 for 复 …); all but 瞭 are
# everyday characters in their own right, and treating them as candidates changed 12 of 8,808
# clean characters of seeds 002/003 (更像是 → 更象是). 瞭 is the one one-to-one converters write
# for every 了 (hanziconv), and it lives only in a few phrases OpenCC knows (瞭望, 明瞭, 瞭解).
_HIDDEN = {"瞭": "了"}
# A document reads as converted character by character when it agrees with fewer than
# _AGREEMENT of OpenCC's phrase-dependent readings, or fewer than _UNUSUAL of the non-default
# readings it writes are ones OpenCC's phrases give, counted over at least _MIN_EVIDENCE
# places. Chosen on the zh corpus's train split, checked on dev and test (docs/chinese.md).
_AGREEMENT = 0.25
_UNUSUAL = 0.35
_MIN_EVIDENCE = 4
_TARGET = {"tw": "s2tw", "hk": "s2hk", "t": "s2t"}
_SOURCE = {"tw": "tw2s", "hk": "hk2s", "t": "t2s"}


def _region(lang: str | None) -> str:
    tag = (lang or "").lower()
    if tag.endswith(("-tw", "-hant-tw")):
        return "tw"
    if tag.endswith(("-hk", "-mo", "-hant-hk", "-hant-mo")):
        return "hk"
    return "t"


def _supported(t: RepairTables, simp: str, i: int, char: str) -> bool:
    """Whether a phrase that ends at ``i`` makes OpenCC give ``char`` there.

    OpenCC segments greedily from the left, so a phrase ending at a character can lose it to
    a longer match starting there (发布 in 发布就: 發佈 is a phrase, yet the run converts
    as 發布). Phrases *starting* at the character are not asked: 克期 (剋期) would then excuse
    the 剋 of 庫剋期待, and the whole run's conversion has already seen them.
    """
    for start in range(max(0, i - _WINDOW), i):
        out = _convert("s2t", simp[start : i + 1])
        if len(out) == i + 1 - start and t.same(out[-1], char):
            return True
    return False


@dataclass(frozen=True, slots=True)
class _Finding:
    """A character OpenCC's phrases disagree with: where, what is written, what they want."""

    run: int
    pos: int
    written: str
    wanted: str
    by_phrase: bool  # OpenCC chose a non-default reading here because a phrase says so


@dataclass
class _Evidence:
    """How a whole text agrees with OpenCC where OpenCC's choice depends on a phrase."""

    phrase_positions: int = 0  # where OpenCC's reading is a phrase's, not the default
    phrase_agreed: int = 0
    unusual_positions: int = 0  # where a non-default reading is written (剋, 髮, 瞭)
    unusual_agreed: int = 0
    findings: list[_Finding] = field(default_factory=list)


def _scan_clause(
    text: str, offset: int, run: int, region: str, t: RepairTables, ev: _Evidence
) -> None:
    if not any(c in t.family for c in text):
        return
    simp = _convert(_SOURCE[region], text)
    if len(simp) != len(text):
        return
    # 瞭 stays 瞭 in t2s (瞭望 is Simplified too), but a one-to-one converter wrote it for 了:
    # such characters go back to the Simplified character whose reading they are, and OpenCC's
    # phrases (了望 → 瞭望, 明了 → 明瞭) then say where they belong.
    if any(c in t.hidden for c in text):
        simp = "".join(
            t.hidden.get(c, c) if c == sc else sc for c, sc in zip(text, simp, strict=True)
        )
    refs = [_convert(p, simp) for p in ("s2t", "s2tw", "s2hk", "s2twp")]
    refs = [r for r in refs if len(r) == len(text)]
    target = _convert(_TARGET[region], simp)
    if len(target) != len(text):
        return
    for i, c in enumerate(text):
        s = t.family.get(c)
        if s is None or simp[i] != s:
            continue
        new = target[i]
        by_phrase = not t.same(new, t.readings[s][0])
        accepted = any(t.same(c, r[i]) for r in refs)
        if by_phrase:
            ev.phrase_positions += 1
            ev.phrase_agreed += accepted
        if not t.same(c, t.readings[s][0]):
            ev.unusual_positions += 1
            ev.unusual_agreed += accepted
        if accepted or new not in t.readings[s]:
            continue
        if by_phrase or not _supported(t, simp, i, c):
            ev.findings.append(_Finding(run, offset + i, c, new, by_phrase))


def _converted_by_character(ev: _Evidence) -> bool:
    """Whether the text as a whole reads like a one-to-one converter's output.

    Such a converter cannot see phrases, so where OpenCC's reading depends on a phrase (頭髮,
    乾淨, 皇后) it is right only by chance; people writing Traditional Chinese mostly are.
    Clean texts of the corpus agree on at least half of such places, converted ones rarely
    (docs/chinese.md has the figures); a text with too few such places proves nothing.
    """
    if ev.phrase_positions >= _MIN_EVIDENCE and ev.phrase_agreed < _AGREEMENT * ev.phrase_positions:
        return True
    return (
        ev.unusual_positions >= _MIN_EVIDENCE
        and ev.unusual_agreed < _UNUSUAL * ev.unusual_positions
    )


def _self_contradicted(f: _Finding, texts: list[str], whole: str) -> bool:
    """Whether the text spells this word OpenCC's way elsewhere (庫剋 here, 庫克 there).

    Three characters must match, the replacement and two neighbours on one side or one on
    each (``，庫剋`` here, ``，庫克`` there): a bare pair matches across words too often
    (編者註 against 使用者注意).
    """
    text = texts[f.run]
    p = f.pos
    for window in (
        text[max(p - 2, 0) : p] + f.wanted,
        text[p - 1 : p] + f.wanted + text[p + 1 : p + 2],
        f.wanted + text[p + 1 : p + 3],
    ):
        if len(window) == 3 and len(HAN_RE.findall(window)) >= 2 and window in whole:
            return True
    return False


def _is_simplified(text: str) -> bool:
    """A run that reads as Simplified (``s2t`` changes more of it than ``t2s``)."""
    to_trad = sum(a != b for a, b in zip(text, _convert("s2t", text), strict=False))
    to_simp = sum(a != b for a, b in zip(text, _convert("t2s", text), strict=False))
    return to_trad > to_simp


def repair_texts(texts: list[str], lang: str | None = "zh-Hant") -> list[str]:
    """The texts of one document, repaired together; each keeps its length.

    One document is judged as a whole: when it reads like a one-to-one converter's output
    (:func:`_converted_by_character`), every character OpenCC's phrases disagree with is
    replaced; otherwise only those the document itself contradicts (it writes 庫克 elsewhere,
    so this 庫剋 is a slip). ``lang`` names the region whose phrases decide (``zh-Hant-TW`` →
    Taiwan, ``zh-Hant-HK`` → Hong Kong, else OpenCC's standard).
    """
    t = _tables()
    region = _region(lang)
    ev = _Evidence()
    for n, text in enumerate(texts):
        # line by line: a Simplified line quoted in Traditional text is not damage (根据法团与)
        for line in _LINE.finditer(text):
            if not HAN_RE.search(line.group(0)) or _is_simplified(line.group(0)):
                continue
            for m in _CLAUSE.finditer(line.group(0)):
                _scan_clause(m.group(0), line.start() + m.start(), n, region, t, ev)
    if not ev.findings:
        return texts
    whole = "\n".join(texts)
    everything = _converted_by_character(ev)
    out = [list(x) for x in texts]
    for f in ev.findings:
        if everything or _self_contradicted(f, texts, whole):
            out[f.run][f.pos] = f.wanted
    return ["".join(x) for x in out]


def repair_text(text: str, lang: str | None = "zh-Hant") -> str:
    """``text`` (a whole document's text) repaired; see :func:`repair_texts`."""
    return repair_texts([text], lang)[0]


def _is_traditional(lang: str | None) -> bool:
    tag = (lang or "").lower()
    return tag.startswith(("zh-hant", "zh-tw", "zh-hk", "zh-mo"))


def _batch(lang: str) -> BatchFn:
    def run(texts: list[str]) -> list[str]:
        return repair_texts(texts, lang)

    return run


def repair_script(doc: Document) -> Document:
    """``doc`` with character-level conversion damage repaired in its Traditional text.

    The document's ``lang`` (detected when unset) says whether and by which region's phrases
    to repair; an article with its own ``lang`` follows that instead. Simplified text is
    returned unchanged. Only characters change, never the tree's shape.
    """
    lang = doc.meta.lang
    if lang is None:
        from .detect import detect_script

        lang = detect_script(plain_text(doc))
    own = [isinstance(b, Article) and b.meta.lang is not None for b in doc.blocks]
    # the document's meta and every block without a language of its own follow ``lang``
    rest = Document(
        meta=doc.meta, blocks=tuple(b for b, o in zip(doc.blocks, own, strict=True) if not o)
    )
    if _is_traditional(lang):
        rest = map_document_text(rest, _batch(lang or "zh-Hant"))
    others = iter(rest.blocks)
    blocks = []
    for b, o in zip(doc.blocks, own, strict=True):
        if not o:
            blocks.append(next(others))
            continue
        assert isinstance(b, Article)
        if _is_traditional(b.meta.lang):
            (b,) = map_document_text(Document(blocks=(b,)), _batch(b.meta.lang or "")).blocks
        blocks.append(b)
    new = Document(meta=rest.meta, blocks=tuple(blocks))
    return doc if new == doc else new
