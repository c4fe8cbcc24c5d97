"""The prose corpus: real, public, structured Chinese documents, read from outside the repository.

The documents are never committed (they belong to their authors); ``benchmarks/corpus/SOURCES.tsv``
records each one's repository, path, commit and licence, and ``benchmarks/corpus/rebuild.py``
brings them back from the mirrors. The folder is the first argument of every prose script, else
``$DIGESTKIT_CORPUS``, else ``/work/corpora/zh``; a missing folder is a clear error, not an empty
report.

SOURCES.tsv columns: file, repo, path, commit, licence, source_type, script, format, split — the
split is by source (no repository in two splits).
"""

from __future__ import annotations

import csv
import html.parser
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from benchmarks.prose_cases import Doc, Kind, doc_blocks

__all__ = ["CorpusDoc", "corpus_dir", "html_blocks", "load_corpus"]

DEFAULT = "/work/corpora/zh"


class CorpusMissing(SystemExit):
    pass


def corpus_dir(arg: str | None = None) -> Path:
    path = Path(arg or os.environ.get("DIGESTKIT_CORPUS") or DEFAULT)
    if not (path / "SOURCES.tsv").is_file():
        raise CorpusMissing(
            f"error: no prose corpus at {path} (no SOURCES.tsv): rebuild it with "
            f"`python benchmarks/corpus/rebuild.py {path}` or pass its folder as the first "
            "argument / set DIGESTKIT_CORPUS"
        )
    return path


@dataclass(frozen=True)
class CorpusDoc:
    file: str
    repo: str
    source_type: str
    script: str
    split: str
    doc: Doc


class _Html(html.parser.HTMLParser):
    BLOCK: ClassVar[frozenset[str]] = frozenset({"p", "li", "blockquote", "dd"})
    SKIP: ClassVar[frozenset[str]] = frozenset(
        {"script", "style", "pre", "table", "nav", "footer", "header", "figure", "code"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[Kind, str]] = []
        self.title: str | None = None
        self.kind: Kind | None = None
        self.buf: list[str] = []
        self.skip = 0
        self.in_title = False

    def _flush(self) -> None:
        text = " ".join("".join(self.buf).split())
        if self.kind and text:
            self.blocks.append((self.kind, text))
        self.buf = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skip += 1
        elif tag == "title":
            self.in_title = True
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._flush()
            self.kind = "heading"
        elif tag in self.BLOCK:
            self._flush()
            self.kind = "paragraph"
        elif tag == "br":
            self.buf.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "title":
            self.in_title = False
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6", *self.BLOCK):
            self._flush()
            self.kind = None

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title = (self.title or "") + data.strip()
        elif not self.skip and self.kind:
            self.buf.append(data)


def html_blocks(text: str) -> Doc:
    """Headings and paragraphs (list items included) of a clean HTML page."""
    p = _Html()
    p.feed(text)
    p.close()
    p._flush()
    blocks = list(p.blocks)
    title = p.title
    if blocks and blocks[0][0] == "heading" and (title is None or blocks[0][1] in title):
        title = blocks.pop(0)[1]
    return Doc(title or None, tuple(blocks))


def load_corpus(
    corpus: Path, splits: tuple[str, ...] = ("train", "dev", "test")
) -> list[CorpusDoc]:
    out = []
    with (corpus / "SOURCES.tsv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row.get("split") not in splits:
                continue
            path = corpus / row["file"]
            if not path.is_file():
                path = corpus / "docs" / row["file"]
            if not path.is_file():
                print(f"warning: {path} listed but missing", file=sys.stderr)
                continue
            raw = path.read_text(encoding="utf-8", errors="replace")
            fmt = (row.get("format") or "").lower()
            doc = (
                html_blocks(raw)
                if fmt == "html" or path.suffix in (".html", ".htm")
                else doc_blocks(raw)
            )
            if not doc.blocks:
                continue
            out.append(CorpusDoc(row["file"], row.get("repo", ""), row.get("source_type") or "?",
                                 row.get("script") or "?", row["split"], doc))  # fmt: skip
    return out
