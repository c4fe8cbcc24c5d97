#!/usr/bin/env python3
"""Rebuild the prose corpus from git mirrors of its sources, given this folder's SOURCES.tsv.

The documents belong to their authors and are never committed: each row of SOURCES.tsv names a
repository, a path and a commit, and the document is ``git show <commit>:<path>`` from a mirror of
that repository, written unchanged to ``<corpus>/docs/<file>``; SOURCES.tsv is copied beside it.
Mirrors are looked for at ``<mirror>/<owner>+<name>/repo`` (bare or with a ``.git`` inside), the
layout of the fetch tool that gathered them; any clone at that place works
(``git clone --mirror https://github.com/<owner>/<name> <mirror>/<owner>+<name>/repo``).

    python benchmarks/corpus/rebuild.py [CORPUS] [--mirror DIR]

CORPUS defaults to $DIGESTKIT_CORPUS, else /work/corpora/zh (where the prose benchmark and the
training script look). Exit status 1 when any document could not be rebuilt.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _gitdir(mirror: Path, repo: str) -> Path:
    d = mirror / repo.replace("/", "+") / "repo"
    return d / ".git" if (d / ".git").is_dir() else d


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument(
        "corpus", nargs="?", default=os.environ.get("DIGESTKIT_CORPUS", "/work/corpora/zh")
    )
    ap.add_argument("--mirror", default="/work/.mirror")
    ap.add_argument("--sources", default=str(HERE / "SOURCES.tsv"))
    a = ap.parse_args()
    out = Path(a.corpus)
    out.mkdir(parents=True, exist_ok=True)
    if Path(a.sources).resolve() != (out / "SOURCES.tsv").resolve():
        shutil.copyfile(a.sources, out / "SOURCES.tsv")
    wrote = missing = 0
    with Path(a.sources).open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            git = _gitdir(Path(a.mirror), row["repo"])
            try:
                data = subprocess.run(
                    ["git", "--git-dir", str(git), "show", f"{row['commit']}:{row['path']}"],
                    capture_output=True, check=True,
                ).stdout  # fmt: skip
            except (subprocess.CalledProcessError, FileNotFoundError):
                print(f"missing: {row['repo']} {row['commit'][:10]} {row['path']}", file=sys.stderr)
                missing += 1
                continue
            dest = out / "docs" / row["file"]
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
            wrote += 1
    print(f"wrote {wrote} documents to {out / 'docs'}; {missing} missing")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
