"""CJK punctuation clean-up (opt-in): half-width ``, : ; ? ! ( )`` next to Han become full-width.

Digest text copied through converters often ends up with ASCII punctuation inside Chinese
sentences (seeds ``002_…`` and ``003_…``: ``美國加速AI部署,“創世計畫”在創什麼新秩序?``). The rule is
deliberately narrow, so it cannot damage anything else:

- a mark changes only when a neighbouring character is Han (or CJK punctuation);
- ``3,000`` and ``10:30`` (digits on both sides) stay; URLs and e-mail addresses in text stay;
  all-Latin runs stay; code, URLs of links and raw HTML are never seen (see ``_runs``);
- parentheses change as a pair when the pair touches or holds Han: ``(圖源:whitehouse.gov)`` →
  ``（圖源：whitehouse.gov）``.

Nothing is ever NFKC-normalised. Why not autocorrect-py: it leaves ``;`` and parentheses alone,
and its configuration is process-global, so a library that changed it would change it for its
caller too. Optional CJK–Latin spacing uses pangu (pure Python, stateless). Optional corner
quotes for Traditional text: “” → 「」 and ‘’ → 『』.
"""

from __future__ import annotations

import re

from ..ast import Document
from ._runs import map_document_text

__all__ = ["fix_punctuation", "fix_text"]

from ..cjk import HAN as _HAN

_CJK_PUNCT = "\u3000-\u303f\uff00-\uffef“”‘’"
_CJKISH = re.compile(rf"[{_HAN}{_CJK_PUNCT}]")
_WIDE = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
_PROTECTED = re.compile(
    r"(?:https?|ftp)://[^\s\u3000-\u303f\uff00-\uffef“”]+|www\.[^\s\u3000-\u303f\uff00-\uffef“”]+|[\w.+-]+@[\w-]+\.[\w.-]+"
)
_PAIR = re.compile(r"\(([^()\n]*)\)")
_CORNER = {"“": "「", "”": "」", "‘": "『", "’": "』"}


def _cjkish(ch: str) -> bool:
    return bool(ch) and _CJKISH.match(ch) is not None


def _fix_segment(text: str) -> str:
    chars = list(text)
    n = len(chars)
    # Parenthesis pairs first, so both halves change together.
    for m in _PAIR.finditer(text):
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < n else ""
        if _cjkish(before) or _cjkish(after) or re.search(f"[{_HAN}]", m.group(1)):
            chars[m.start()] = "（"
            chars[m.end() - 1] = "）"
    for i, ch in enumerate(chars):
        if ch not in ",:;?!()":
            continue
        prev = chars[i - 1] if i else ""
        nxt = chars[i + 1] if i + 1 < n else ""
        if ch in ",:" and prev.isdigit() and nxt.isdigit():
            continue  # 3,000 and 10:30
        if not (_cjkish(prev) or _cjkish(nxt)):
            continue
        chars[i] = _WIDE[ch]
    return "".join(chars)


def fix_text(text: str, *, spacing: bool = False, corner_quotes: bool = False) -> str:
    """Clean up one string (URLs and e-mail addresses inside it are left alone)."""
    out = []
    pos = 0
    for m in _PROTECTED.finditer(text):
        out.append(_fix_segment(text[pos : m.start()]))
        out.append(m.group())
        pos = m.end()
    out.append(_fix_segment(text[pos:]))
    result = "".join(out)
    if corner_quotes and re.search(f"[{_HAN}]", result):
        result = "".join(_CORNER.get(c, c) for c in result)
    if spacing:
        import pangu

        result = pangu.space_text(result)
    return result


def fix_punctuation(
    doc: Document, *, spacing: bool = False, corner_quotes: bool = False
) -> Document:
    """``doc`` with CJK punctuation cleaned up in all readable text (see the module docstring)."""

    def batch(texts: list[str]) -> list[str]:
        return [fix_text(t, spacing=spacing, corner_quotes=corner_quotes) for t in texts]

    return map_document_text(doc, batch)
