"""Run the bytes readers (html, feed, epub) over corpus folders of real files and report.

``python -m benchmarks.corpus_check FOLDER...`` sniffs every file (by content, the name only
breaking ties), reads it with the reader that scores highest, and prints one JSON report: per
reader the files read, failures (with the one-line error), unexpected exceptions (bugs), the
characters of text and articles read, how plausible the text is (share of everyday Han, ASCII
and punctuation: mojibake scores low), and, for feeds, whether the entry count matches the
``<item>``/``<entry>``/JSON ``items`` count in the raw file. Corpora stay outside the repository.
"""

from __future__ import annotations

import json
import re
import sys
import time
import warnings
from pathlib import Path
from typing import Any

from digestkit.ast import Document, plain_text
from digestkit.errors import DigestkitError
from digestkit.readers import epub, feed, html
from digestkit.textio import plausibility

READERS = {"html": html.READER, "feed": feed.READER, "epub": epub.READER}


def _raw_entries(data: bytes) -> int | None:
    if data.lstrip()[:1] == b"{":
        try:
            return len(json.loads(data).get("items", []))
        except ValueError:
            return None
    return len(re.findall(rb"<(item|entry)[\s>]", data))


def _text(doc: Document) -> str:
    titles = "\n".join(a.meta.title or "" for a in doc.articles())
    return "\n".join(x for x in (doc.meta.title or "", titles, plain_text(doc)) if x)


def check(folders: list[Path]) -> dict[str, Any]:
    report: dict[str, Any] = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.name in ("SOURCES.tsv", "READY"):
                continue
            data = path.read_bytes()
            scores = {n: r.sniff(data, str(path)) for n, r in READERS.items()}
            name = max(scores, key=lambda n: scores[n])
            if scores[name] < 0.5:
                continue
            row = report.setdefault(
                name,
                {"files": 0, "read": 0, "refused": [], "bugs": [], "characters": 0,
                 "articles": 0, "implausible": [], "entry_count_mismatch": [], "seconds": 0.0},
            )  # fmt: skip
            row["files"] += 1
            start = time.perf_counter()
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    doc = READERS[name].read(data, path=str(path))
            except DigestkitError as exc:
                row["refused"].append(str(exc))
                continue
            except Exception as exc:  # a bug: report it, keep going
                row["bugs"].append(f"{path.name}: {type(exc).__name__}: {exc}")
                continue
            finally:
                row["seconds"] += time.perf_counter() - start
            row["read"] += 1
            text = _text(doc)
            row["characters"] += len(text)
            row["articles"] += sum(1 for _ in doc.articles())
            score = plausibility(text)
            if score < 0.9:
                row["implausible"].append(f"{path.name}: {score:.2f}")
            if name == "feed":
                want = _raw_entries(data)
                got = sum(1 for _ in doc.articles())
                if want is not None and want != got:
                    row["entry_count_mismatch"].append(f"{path.name}: {got} read, {want} in file")
    for row in report.values():
        row["seconds"] = round(row["seconds"], 2)
    return report


if __name__ == "__main__":
    out = check([Path(p) for p in sys.argv[1:]])
    json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
    print()
