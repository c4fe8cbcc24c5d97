"""``detect_lang`` against the ``lang`` real pages declare: agree, undecided, wrong.

Every file under the given folders is read with the reader digestkit would pick (HTML, feed and
EPUB by content, ``.md``/``.markdown``/``.html`` Hugo and Markdown pages by name), without
detection; each document and article that declares a ``lang`` (``<html lang>``, ``dc:language``,
a Hugo ``x.ja.md`` name or front matter) is one case: its text goes through ``detect_lang`` and
the answer is compared by primary subtag (``pt-BR`` agrees with ``pt``; ``zh-Hans`` with ``zh``).

A wrong answer is worse than none (a page without ``lang`` falls back to the book's language, and
a wrong guess would override nothing declared but still mislabel the page), so the report keeps
the three counts apart and lists the wrong ones.

    python -m benchmarks.lang_agreement [--cases FILE] FOLDER...

``--cases FILE`` stores the extracted (declared, text) pairs as JSON (read again if it exists), so
comparing detectors does not re-read a thousand pages: ``PYTHONPATH=OLD/src python -m
benchmarks.lang_agreement --cases FILE`` scores another checkout's ``detect_lang`` on the same
cases. Corpora stay outside the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

__all__ = ["cases", "score"]

_TEXT_SUFFIXES = (".md", ".markdown")


def _primary(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].lower()


def cases(folders: list[Path]) -> list[tuple[str, str, str]]:
    """(file, declared lang, text) for every document or article that declares a lang."""
    import digestkit
    from digestkit.ast import plain_text
    from digestkit.errors import DigestkitError
    from digestkit.readers import epub, feed, html

    readers: dict[str, Any] = {"html": html.READER, "feed": feed.READER, "epub": epub.READER}
    out: list[tuple[str, str, str]] = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.name in ("SOURCES.tsv", "READY"):
                continue
            data = path.read_bytes()
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    if path.suffix in _TEXT_SUFFIXES:
                        doc = digestkit.loads(
                            data.decode("utf-8", "replace"), path=str(path), detect_lang=False
                        )
                    else:
                        scores = {n: r.sniff(data, str(path)) for n, r in readers.items()}
                        name = max(scores, key=lambda n: scores[n])
                        if scores[name] < 0.5:
                            continue
                        doc = readers[name].read(data, path=str(path))
            except DigestkitError:
                continue
            rel = str(path)
            if doc.meta.lang:
                text = "\n".join([doc.meta.title or "", plain_text(doc)])
                out.append((rel, doc.meta.lang, text))
            for art in doc.articles():
                if art.meta.lang and art.meta.lang != doc.meta.lang:
                    out.append(
                        (rel, art.meta.lang, (art.meta.title or "") + "\n" + plain_text(art))
                    )
    return out


def score(pairs: list[tuple[str, str, str]]) -> dict[str, object]:
    """Counts of agree / undecided / wrong, per declared primary subtag, and the wrong cases."""
    from digestkit.transforms.script import detect_lang

    total: Counter[str] = Counter()
    per: dict[str, Counter[str]] = {}
    wrong: list[str] = []
    for name, declared, text in pairs:
        got = detect_lang(text)
        want = _primary(declared)
        verdict = "undecided" if got is None else "agree" if _primary(got) == want else "wrong"
        total[verdict] += 1
        per.setdefault(want, Counter())[verdict] += 1
        if verdict == "wrong":
            wrong.append(f"{Path(name).name}: declared {declared}, detected {got}")
    return {
        "cases": len(pairs),
        **{k: total[k] for k in ("agree", "undecided", "wrong")},
        "by_lang": {k: dict(v) for k, v in sorted(per.items())},
        "wrong_cases": wrong,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--cases", type=Path, help="JSON file to store/reuse the extracted cases")
    args = parser.parse_args(argv)
    if args.cases is not None and args.cases.exists():
        pairs = [tuple(x) for x in json.loads(args.cases.read_text(encoding="utf-8"))]
    else:
        pairs = cases(args.folders)
        if args.cases is not None:
            args.cases.write_text(json.dumps(pairs, ensure_ascii=False), encoding="utf-8")
    json.dump(score(pairs), sys.stdout, indent=1, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
