#!/usr/bin/env python3
"""Add the structured documents of a new source to the prose corpus, in one split (default train).

The rows of SOURCES.tsv were chosen by one filter (docs/prose.md, "The corpus"); this script is
that filter written down, so that a new source joins a split the same way:

- a Markdown file under the given folder of the repository's newest commit (``--commit`` names
  another), whose path matches ``--match`` when given;
- read by the benchmark's own generator (``prose_cases.doc_blocks``): at least 2 headings, at
  least 5 blocks, at least 400 Han characters, and Han characters at least half of the letters;
- not a draft (``draft: true``) and not a near-copy of a held-out document: a file sharing more
  than 3 runs of 20 Han characters with one is left out. For ``--split train`` the held-out
  documents are the dev and test documents and the seeds (no held-out text leaks into training);
  for ``--split dev`` or ``test`` they are *every* document of the corpus, train included, and the
  seeds (a held-out document sharing text with a training document would be scored on text the
  model was trained on);
- at most ``--max`` files per source, in a stable hash order of their paths.

The split is by source: a repository already listed in another split is refused, and so is a
prefix whose folder already holds documents (nothing already gathered is overwritten). The
documents are written to ``<corpus>/docs/<prefix>/NNN.md`` and their rows (repository, path,
commit, licence, source type, script, split) appended to SOURCES.tsv — the corpus folder's copy
and, with ``--sources``, the repository's.

    python benchmarks/corpus/gather.py OWNER/NAME FOLDER PREFIX SOURCE_TYPE SCRIPT \\
        [--split train|dev|test] [--max 100] [--match REGEX] [--commit REV] [--licence TEXT] \\
        [--corpus DIR] [--mirror DIR] [--sources benchmarks/corpus/SOURCES.tsv]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]{20,}")
_LETTER = re.compile(r"[A-Za-z]")
_DRAFT = re.compile(r"^draft\s*[:=]\s*true\s*$", re.M | re.I)
FIELDS = ["file", "repo", "path", "commit", "licence", "source_type", "script", "format", "split"]


def _gitdir(mirror: Path, repo: str) -> Path:
    d = mirror / repo.replace("/", "+") / "repo"
    return d / ".git" if (d / ".git").is_dir() else d


def _git(git: Path, *args: str) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", str(git), *args], capture_output=True, check=True
    ).stdout


def _shingles(text: str) -> set[str]:
    out: set[str] = set()
    for m in _HAN_RUN.finditer(text):
        run = m.group()
        out.update(run[i : i + 20] for i in range(0, len(run) - 19, 10))
    return out


HELD_OUT = {"train": ("dev", "test"), "dev": ("train", "dev", "test"),
            "test": ("train", "dev", "test")}  # fmt: skip


def _rows(corpus: Path) -> list[dict[str, str]]:
    with (corpus / "SOURCES.tsv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def _held_out(corpus: Path, split: str = "train") -> set[str]:
    """20-character Han runs of the seeds and of every document a ``split`` row must not copy:
    the dev and test documents for train, every document (train included) for dev and test."""
    runs: set[str] = set()
    for row in _rows(corpus):
        if row["split"] in HELD_OUT[split]:
            p = corpus / "docs" / row["file"]
            if p.is_file():
                runs |= _shingles(p.read_text(encoding="utf-8", errors="replace"))
    for seed in (ROOT / "fixtures").glob("*.txt"):
        runs |= _shingles(seed.read_text(encoding="utf-8", errors="replace"))
    return runs


def _leaks(text: str, held: set[str]) -> bool:
    n = 0
    for m in _HAN_RUN.finditer(text):
        run = m.group()
        for i in range(len(run) - 19):
            if run[i : i + 20] in held:
                n += 1
                if n > 3:
                    return True
                break
    return False


def _keep(text: str) -> bool:
    from benchmarks.prose_cases import doc_blocks

    from digestkit.errors import DigestkitError

    if _DRAFT.search(text[:2000]):
        return False
    try:
        doc = doc_blocks(text)
    except DigestkitError:  # e.g. Hexo's tab-indented front matter, which YAML refuses
        return False
    heads = sum(1 for k, _ in doc.blocks if k == "heading")
    body = "".join(t for _, t in doc.blocks)
    han = len(_HAN.findall(body))
    return heads >= 2 and len(doc.blocks) >= 5 and han >= 400 and han >= len(_LETTER.findall(body))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("repo")
    ap.add_argument("folder")
    ap.add_argument("prefix")
    ap.add_argument("source_type", choices=["blog", "digest", "docs", "news"])
    ap.add_argument("script", choices=["Hans", "Hant"])
    ap.add_argument("--split", choices=["train", "dev", "test"], default="train")
    ap.add_argument("--max", type=int, default=100)
    ap.add_argument("--match", default=None, help="keep only paths this regular expression finds")
    ap.add_argument("--commit", default="HEAD", help="the revision to read (default: newest)")
    ap.add_argument("--corpus", default="/work/corpora/zh")
    ap.add_argument("--mirror", default="/work/.mirror")
    ap.add_argument("--sources", default=None, help="also append the rows to this SOURCES.tsv")
    ap.add_argument("--licence", default=None)
    a = ap.parse_args(argv)
    corpus = Path(a.corpus)
    other = sorted({r["split"] for r in _rows(corpus) if r["repo"] == a.repo} - {a.split})
    if other:
        ap.error(f"{a.repo} is already in the {'/'.join(other)} split (the split is by source)")
    if any((corpus / "docs" / a.prefix).glob("*")):
        ap.error(f"{corpus / 'docs' / a.prefix} already holds documents; choose another prefix")
    git = _gitdir(Path(a.mirror), a.repo)
    commit = _git(git, "rev-parse", f"{a.commit}^{{commit}}").decode().strip()
    names = _git(git, "ls-tree", "-r", "--name-only", commit, "--", a.folder).decode().splitlines()
    names = [n for n in names if n.endswith(".md") and (not a.match or re.search(a.match, n))]
    names.sort(key=lambda n: hashlib.sha256(n.encode()).hexdigest())
    licence = a.licence
    if licence is None:
        lic = [n for n in _git(git, "ls-tree", "--name-only", commit).decode().splitlines()
               if n.lower().startswith(("license", "licence", "copying"))]  # fmt: skip
        head = _git(git, "show", f"{commit}:{lic[0]}").decode(errors="replace")[:400] if lic else ""
        licence = next((f"{k} ({lic[0]})" for k in ("Apache-2.0", "MIT", "CC-BY-SA", "CC-BY-NC",
                        "BSD", "GPL") if k.replace("-", " ").split()[0].lower() in head.lower()),
                       f"unknown ({lic[0]})" if lic else "unknown")  # fmt: skip
    held = _held_out(corpus, a.split)
    rows = []
    near = 0
    for name in names:
        if len(rows) >= a.max:
            break
        text = _git(git, "show", f"{commit}:{name}").decode("utf-8", errors="replace")
        if not _keep(text):
            continue
        if _leaks(text, held):
            near += 1
            continue
        file = f"{a.prefix}/{len(rows) + 1:03d}.md"
        dest = corpus / "docs" / file
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8")
        rows.append({"file": file, "repo": a.repo, "path": name, "commit": commit,
                     "licence": licence, "source_type": a.source_type, "script": a.script,
                     "format": "md", "split": a.split})  # fmt: skip
    for target in {corpus / "SOURCES.tsv", *([Path(a.sources)] if a.sources else [])}:
        with target.open("a", encoding="utf-8", newline="") as f:
            csv.DictWriter(f, FIELDS, delimiter="\t", lineterminator="\n").writerows(rows)
    print(f"{a.repo}: {len(rows)} of {len(names)} files kept as {a.split} ({licence}); "
          f"{near} near-copies of {'/'.join(HELD_OUT[a.split])} documents or seeds left out")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
