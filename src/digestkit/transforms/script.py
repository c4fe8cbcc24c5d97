"""Simplified ⇄ Traditional Chinese on the AST with OpenCC.

:func:`convert_script` converts what a reader reads (see ``_runs`` for exactly what) with one
OpenCC converter per profile, created once per process and reused (:mod:`.converters`). All text
of a document goes to OpenCC in a single call, joined by a separator (``\\x1f``) that OpenCC
passes through and that no phrase can span, so phrase tables see whole runs and the per-call
cost is paid once. Script and language detection live in :mod:`.detect` (re-exported here).
"""

from __future__ import annotations

import functools

from .._records import replace
from ..ast import Article, Document
from ._runs import map_document_text
from .converters import (
    UnknownProfileError,
    batch,
    check_profile,
    convert_text,
    converter,
    profiles,
    t2s_char_map,
)
from .detect import detect_lang, detect_script, with_detected_lang

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec

__all__ = [
    "PROFILES",
    "TARGET_LANG",
    "UnknownProfileError",
    "convert_script",
    "convert_text",
    "converted_lang",
    "detect_lang",
    "detect_script",
    "profiles",
    "to_simplified",
    "with_detected_lang",
]

#: What ``lang`` a document has after each profile (None: leave it alone).
TARGET_LANG: dict[str, str | None] = {
    "s2t": "zh-Hant",
    "s2tw": "zh-Hant-TW",
    "s2twp": "zh-Hant-TW",
    "s2hk": "zh-Hant-HK",
    "s2hkp": "zh-Hant-HK",
    "t2s": "zh-Hans",
    "tw2s": "zh-Hans",
    "tw2sp": "zh-Hans",
    "hk2s": "zh-Hans",
    "hk2sp": "zh-Hans",
    "t2tw": "zh-Hant-TW",
    "tw2t": "zh-Hant",
    "t2hk": "zh-Hant-HK",
    "hk2t": "zh-Hant",
    "t2jp": "ja",
    "jp2t": None,
}


PROFILES = tuple(TARGET_LANG)


def to_simplified(text: str) -> str:
    """``convert_text(text, "t2s")``, from the table of OpenCC's own ``t2s`` dictionaries
    (:mod:`._script_chars`) when it proves the answer, else by OpenCC.

    The archive's duplicate fingerprints convert every new article to Simplified; loading
    OpenCC and its ``t2s`` dictionaries for that was ~0.01 s of a weekly re-run's ~0.25 s
    (issue 16). A text with no character of the normalisation dictionary and no phrase whose
    conversion differs from its characters' own (``T2S_PHRASES``: 想像, 乾燥, 覆蓋 …) converts
    exactly character by character, whatever OpenCC's segmentation; any other goes to OpenCC.
    The table is used only with the OpenCC release it was built from.
    """
    fast = _t2s_fast()
    if fast is not None:
        table, normal, firsts = fast
        if normal.isdisjoint(text):
            present = firsts.keys() & set(text)
            if not any(key in text for c in present for key in firsts[c]):
                return text.translate(table)
    return convert_text(text, "t2s")


@functools.cache
def _t2s_fast() -> tuple[dict[int, int], frozenset[str], dict[str, tuple[str, ...]]] | None:
    """(translation table, normalisation characters, phrases by first character), or None when
    the installed OpenCC is not the release :mod:`._script_chars` was built from."""
    from . import _script_chars as t

    if not _opencc_is(t.OPENCC_VERSION):
        return None
    firsts: dict[str, list[str]] = {}
    for key in t.T2S_PHRASES.split():
        firsts.setdefault(key[0], []).append(key)
    return (t2s_char_map(), frozenset(t.T2S_NORMAL),
            {c: tuple(keys) for c, keys in firsts.items()})  # fmt: skip


def _opencc_is(version: str) -> bool:
    """Whether the installed ``opencc`` is ``version``, by its ``dist-info`` folder beside the
    package (importing OpenCC to ask is what the table saves)."""
    from pathlib import Path

    spec = _find_spec("opencc")
    if spec is None or not spec.origin:
        return False
    return (Path(spec.origin).parent.parent / f"opencc-{version}.dist-info").is_dir()


def _find_spec(name: str) -> ModuleSpec | None:
    """``importlib.util.find_spec(name)`` for a top-level module, as it does it (the module's
    own spec once imported, else the first finder on ``sys.meta_path`` that knows it), without
    importing ``importlib.util`` (~0.4 ms of a re-run that parses a digest, issue 26)."""
    import sys

    module = sys.modules.get(name)
    if module is not None:
        spec: ModuleSpec | None = getattr(module, "__spec__", None)
        return spec
    for finder in sys.meta_path:
        find = getattr(finder, "find_spec", None)
        if find is not None:
            found: ModuleSpec | None = find(name, None)
            if found is not None:
                return found
    return None


def converted_lang(old: str | None, profile: str) -> str | None:
    target = TARGET_LANG.get(profile)
    if target is None:
        return old
    if old is None or old.lower().startswith(("zh", "ja")):
        return target
    return old  # an English document quoting some Chinese stays English


def convert_script(doc: Document, profile: str, *, repair: bool = False) -> Document:
    """``doc`` converted with an OpenCC profile (``s2twp``, ``t2s`` …), ``lang`` updated to match.

    ``repair=True`` first repairs one-to-one conversion damage in the document's Traditional
    text (``庫剋`` → ``庫克``, see :mod:`.repair`), so the conversion starts from right readings.
    """
    name = check_profile(profile)
    if repair:
        from .repair import repair_script

        doc = repair_script(doc)
    lang = {"lang": converted_lang(doc.meta.lang, name)}
    whole = converter(name).convert
    converted = map_document_text(doc, batch(name), lang, whole=whole)
    if Article not in set(map(type, converted.blocks)) or not any(
        a.meta.lang is not None for a in converted.articles()
    ):
        return converted
    blocks = tuple(
        replace(b, meta=replace(b.meta, lang=converted_lang(b.meta.lang, name)))
        if isinstance(b, Article) and b.meta.lang is not None
        else b
        for b in converted.blocks
    )
    return replace(converted, blocks=blocks)
