"""Legacy-encoding detection on real files: ranked candidates vs the old first-that-decodes rule.

``python -m benchmarks.encodings CORPUS`` reads ``CORPUS/SOURCES.tsv`` (a column naming the file —
``file``, ``local`` or ``path`` — and one holding its true encoding — ``encoding``) and reports,
per true encoding, how often each rule decodes the file to exactly what the true codec gives.
The HTML reader's rule cuts every ``charset=``/``encoding=`` declaration out first, so it measures
the fallback for pages that declare nothing (any script: /work/corpora/encodings-other holds
chardet's Cyrillic, Greek, Hebrew, Arabic, Thai and Central European files).
charset-normalizer restricted to the same codecs is a third row when it is installed. The corpus
stays outside the repository (``/work/corpora/encodings``).
"""

from __future__ import annotations

import codecs
import csv
import json
import re
import sys
import time
import warnings
from collections import defaultdict
from pathlib import Path
from typing import Any

from digestkit.textio import _LEGACY, rank_encodings


def _first_that_decodes(data: bytes) -> str | None:
    for enc in ("gb18030", "big5"):  # the rule digestkit used before ranking
        try:
            data.decode(enc)
        except UnicodeDecodeError:
            continue
        return enc
    return None


def _ranked(data: bytes) -> str | None:
    ranked = rank_encodings(data)
    return ranked[0][0] if ranked and ranked[0][1] > 0 else None


def _charset_normalizer(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_16"]).best()
    return best.encoding if best is not None else None


_DECLARED = re.compile(rb"""(charset|encoding)\s*=\s*["']?[A-Za-z0-9._:-]+""", re.IGNORECASE)


def _html_undeclared(data: bytes) -> str | None:
    """The codec the HTML reader picks when the page declares none (declarations cut out)."""
    from digestkit.errors import ParseError
    from digestkit.readers.html import decode_html

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            decode_html(_DECLARED.sub(b"", data))
        except ParseError:
            return None
    for w in caught:
        if "decoded as " in str(w.message):
            return str(w.message).rsplit("decoded as ", 1)[1].strip()
    return "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8"


def _decoded(data: bytes, enc: str | None) -> str | None:
    if enc is None:
        return None
    try:
        return data.decode(enc).removeprefix("\ufeff")
    except (UnicodeDecodeError, LookupError):
        return None


def _column(row: dict[str, str], *names: str) -> str | None:
    for name in names:
        for key, value in row.items():
            if key and key.strip().lower() == name and value:
                return value.strip()
    return None


def run(corpus: Path) -> dict[str, Any]:
    rules = {
        "first that decodes (old)": _first_that_decodes,
        "ranked (digestkit)": _ranked,
        "HTML reader, charset cut out": _html_undeclared,
    }
    try:
        import charset_normalizer  # noqa: F401

        rules["charset-normalizer (CJK codecs)"] = _charset_normalizer
    except ImportError:
        pass
    with (corpus / "SOURCES.tsv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    right: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    total: dict[str, int] = defaultdict(int)
    seconds: dict[str, float] = defaultdict(float)
    for row in rows:
        name = _column(row, "file", "local", "local_path", "path", "name")
        true = _column(row, "encoding", "true_encoding", "charset")
        if not name or not true:
            continue
        path = corpus / name
        if not path.is_file():
            continue
        data = path.read_bytes()
        try:  # labels like "UTF-16BE with BOM" or "EUC-TW (no Python codec)": the first word
            codec = codecs.lookup(true.split()[0]).name
        except LookupError:
            continue
        want = _decoded(data, "utf-16" if codec.startswith("utf-16") and data[:2] in
                        (b"\xff\xfe", b"\xfe\xff") else codec)  # fmt: skip
        if want is None:
            continue
        total[codec] += 1
        for label, rule in rules.items():
            start = time.perf_counter()
            got = _decoded(data, rule(data))
            seconds[label] += time.perf_counter() - start
            right[label][codec] += got == want
    return {
        "files": dict(total),
        "candidates": list(_LEGACY),
        **{
            label: {
                "right": {c: f"{right[label][c]}/{n}" for c, n in total.items()},
                "share": round(sum(right[label].values()) / max(1, sum(total.values())), 3),
                "seconds": round(seconds[label], 2),
            }
            for label in rules
        },
    }


if __name__ == "__main__":
    json.dump(run(Path(sys.argv[1])), sys.stdout, indent=2, ensure_ascii=False)
    print()
