"""HTML reading: which parser, and which main-content strategy keeps the article.

``python -m benchmarks.html_readers parsers CORPUS`` times lxml, selectolax (Lexbor) and html5lib
on the corpus's pages and checks each against html5lib (the WHATWG reference implementation) on
classic malformed-markup cases written here.

``python -m benchmarks.html_readers extraction CORPUS [N]`` scores main-content strategies on
pages with an ``evaldata.json`` in trafilatura's format (per page: ``with`` snippets that belong
to the article, ``without`` snippets of boilerplate): the share of ``with`` snippets kept and of
``without`` snippets dropped, for digestkit's built-in rules, trafilatura and readability-lxml.
``python -m benchmarks.html_readers newsletters FOLDER`` reads newsletter templates (HTML e-mails
built of layout tables) and reports the share of their visible characters kept.

The corpora are kept outside the repository (``/work/corpora/html-eval``, see its SOURCES.tsv);
html5lib, lxml, trafilatura and readability-lxml need to be installed for their rows.

Figures are recorded in ``docs/formats.md``; nothing here asserts on time.
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: Malformed markup whose HTML5 tree is well defined (and that lxml's HTML4 parser gets wrong).
MALFORMED = {
    "misnested b/i": "<p><b>1<i>2</b>3</i>4</p>",
    "p in p": "<p>one<p>two</p>",
    "unclosed li": "<ul><li>a<li>b</ul><p>c",
    "table foster parenting": "<table><tr><td>a</td></tr>x</table>",
    "div in p": "<p>a<div>b</div>c</p>",
    "stray </p>": "<div>a</p>b</div>",
    "heading in heading": "<h1>a<h2>b</h2></h1>",
    "a in a": "<a href=1>x<a href=2>y</a></a>",
    "formatting across a block": "<b><p>x</b>y</p>",
    "unclosed table cells": "<table><tr><td>a<td>b<tr><td>c</table>",
    "script text": "<p>a<script>if (a<b) {x='</p>'}</script>b</p>",
    "entities": "<p>&#20013;&#x6587;&nbsp;&copy&amp</p>",
    "li outside a list": "<li>x</li><li>y</li>",
    "select in p": "<p><select><option>x</select>y</p>",
}


def _canon_etree(body: Any) -> str:
    def one(e: Any) -> str:
        if not isinstance(e.tag, str):
            return ""
        tag = e.tag.split("}")[-1]
        return (
            f"<{tag}>" + (e.text or "") + "".join(one(c) + (c.tail or "") for c in e) + f"</{tag}>"
        )

    return (body.text or "") + "".join(one(c) + (c.tail or "") for c in body)


def _canon_lexbor(tree: Any) -> str:
    def one(n: Any) -> str:
        if n.tag == "-text":
            return str(n.text_content)
        if n.tag.startswith("-"):
            return ""
        return f"<{n.tag}>" + "".join(one(c) for c in n.iter(include_text=True)) + f"</{n.tag}>"

    return "".join(one(c) for c in tree.body.iter(include_text=True))


def parsers(corpus: Path, count: int = 60) -> dict[str, Any]:
    import html5lib
    import lxml.html
    from selectolax.lexbor import LexborHTMLParser

    files = sorted((corpus / "pages").glob("*.html"))
    random.Random(1).shuffle(files)
    datas = [p.read_bytes() for p in files[:count]]
    result: dict[str, Any] = {
        "pages": len(datas),
        "megabytes": round(sum(map(len, datas)) / 1e6, 1),
    }
    runs: dict[str, Callable[[bytes], Any]] = {
        "lxml": lxml.html.document_fromstring,
        "selectolax": LexborHTMLParser,
        "html5lib": lambda d: html5lib.parse(d, treebuilder="lxml"),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, fn in runs.items():
            start = time.perf_counter()
            for d in datas:
                fn(d)
            result[f"{name}_seconds"] = round(time.perf_counter() - start, 2)
        agree = {"lxml": 0, "selectolax": 0}
        for markup in MALFORMED.values():
            ref = html5lib.parse(markup, treebuilder="lxml", namespaceHTMLElements=False)
            expected = _canon_etree(ref.getroot().find("body"))
            agree["lxml"] += (
                _canon_etree(lxml.html.document_fromstring(markup).find("body")) == expected
            )
            agree["selectolax"] += _canon_lexbor(LexborHTMLParser(markup)) == expected
    result["same_tree_as_html5lib"] = {k: f"{v}/{len(MALFORMED)}" for k, v in agree.items()}
    return result


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _digestkit(strategy: str) -> Callable[[bytes], str]:
    from digestkit.ast import plain_text
    from digestkit.readers.html import decode_html, read_html

    def run(data: bytes) -> str:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            doc = read_html(decode_html(data), strategy=strategy)  # type: ignore[arg-type]
        return "\n".join(plain_text(b) for b in doc.blocks)

    return run


def _trafilatura(data: bytes) -> str:
    import trafilatura

    return trafilatura.extract(data, output_format="txt", include_tables=True) or ""


def _readability(data: bytes) -> str:
    import lxml.html
    from readability import Document

    summary = Document(data).summary(html_partial=True)
    return lxml.html.fromstring(summary).text_content() if summary else ""


def extraction(corpus: Path, count: int = 200) -> dict[str, Any]:
    import logging

    logging.disable(logging.CRITICAL)
    evaldata = json.loads((corpus / "evaldata.json").read_text(encoding="utf-8"))
    items = sorted(evaldata.items())
    random.Random(7).shuffle(items)
    pages = [(d, corpus / "pages" / d["file"]) for _, d in items]
    pages = [(d, p) for d, p in pages if p.exists()][:count]
    strategies: dict[str, Callable[[bytes], str]] = {
        "digestkit all (no removal)": _digestkit("all"),
        "digestkit page (built-in rules)": _digestkit("page"),
        "digestkit auto (rules; trafilatura for furnished pages)": _digestkit("auto"),
        "trafilatura": _trafilatura,
        "readability-lxml": _readability,
    }
    result: dict[str, Any] = {"pages": len(pages)}
    for name, fn in strategies.items():
        kept = kept_total = dropped = dropped_total = 0
        start = time.perf_counter()
        for d, p in pages:
            try:
                text = _norm(fn(p.read_bytes()))
            except Exception:  # a strategy failing on a page keeps nothing of it
                text = ""
            kept += sum(_norm(s) in text for s in d["with"])
            kept_total += len(d["with"])
            dropped += sum(_norm(s) not in text for s in d["without"])
            dropped_total += len(d["without"])
        result[name] = {
            "article_text_kept": round(kept / kept_total, 3),
            "boilerplate_dropped": round(dropped / dropped_total, 3),
            "seconds": round(time.perf_counter() - start, 1),
        }
    return result


def newsletters(corpus: Path, count: int = 1000) -> dict[str, Any]:
    """Share of each newsletter's visible characters the reader keeps, and what it made of them."""
    from selectolax.lexbor import LexborHTMLParser

    from digestkit.ast import Heading, Table, plain_text
    from digestkit.readers.html import READER

    files = sorted(corpus.glob("*.html"))[:count]
    kept = total = headings = tables = 0
    for path in files:
        data = path.read_bytes()
        tree = LexborHTMLParser(data.decode("utf-8", "replace"))
        for node in tree.css("script, style, head, title"):
            node.decompose()
        body = tree.body
        source = re.sub(r"\s+", "", body.text(deep=True)) if body is not None else ""
        doc = READER.read(data, path=str(path))
        got = re.sub(r"\s+", "", plain_text(doc))
        total += len(source)
        kept += min(len(got), len(source))
        headings += sum(isinstance(b, Heading) for b in doc.blocks)
        tables += sum(isinstance(b, Table) for b in doc.blocks)
    return {
        "newsletters": len(files),
        "characters_kept": round(kept / max(1, total), 4),
        "headings": headings,
        "data_tables": tables,
    }


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("parsers", "extraction", "newsletters"):
        print(__doc__)
        return 2
    corpus = Path(argv[1])
    fn = {"parsers": parsers, "extraction": extraction, "newsletters": newsletters}[argv[0]]
    out = fn(corpus, int(argv[2])) if len(argv) > 2 else fn(corpus)
    json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
