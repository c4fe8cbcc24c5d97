"""Sniffing without a format hint, on real Markdown and on the whole prose corpus (issue 25).

``python -m benchmarks.sniff_markdown [--zh]`` prints one JSON report:

- **markdown**: real Markdown files *without front matter* (the case a name-less ``loads(data)``
  must still read as Markdown), sampled from the git mirrors of the corpus' repositories
  (``/work/.mirror/<owner>+<name>/repo``, bare; the repositories of
  ``benchmarks/corpus/SOURCES.tsv`` only): per repository the ``.md`` files at ``HEAD``
  ordered by the SHA-1 of their path, the first *k* that decode as UTF-8, hold 200 characters
  or more and open with no front matter (``k`` = 12 for ruanyf/weekly, 8 for gocn/news, 2
  elsewhere). Reported: how many sniff as Markdown, how many read by sniffing exactly as by
  name, and how many keep ``loads(dumps(doc, "markdown")) == doc`` with no hint.
- **seeds**: the five seeds' sniffed format (000's body without its front matter too).
- **zh** (``--zh``): every file of ``/work/corpora/zh/docs`` read as bytes with no hint; the
  Markdown written from it read back with no hint must give the same document, and writing
  that again the same Markdown. ``sniff_drift`` lists the files whose Markdown reads back
  differently with no hint than named as Markdown (sniffing's fault); ``drift`` the others
  (the Markdown writer's round trip).

Nothing is timed; the figures are counts, recorded in docs/formats.md.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import digestkit
from digestkit.errors import DigestkitError
from digestkit.registry import detect_format

from .common import seeds

MIRRORS = Path("/work/.mirror")
ZH_DOCS = Path("/work/corpora/zh/docs")
_PER_REPO = {"ruanyf+weekly": 12, "gocn+news": 8}


def _git(git_dir: Path, *args: str, data: bytes | None = None) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", str(git_dir), *args], input=data, capture_output=True, check=True
    ).stdout


def _blobs(git_dir: Path, commit: str, names: list[str]) -> list[bytes]:
    """The files' bytes at ``commit``, through one ``git cat-file --batch``."""
    out = _git(
        git_dir, "cat-file", "--batch", data="".join(f"{commit}:{n}\n" for n in names).encode()
    )
    blobs, i = [], 0
    for _ in names:
        j = out.index(b"\n", i)
        size = int(out[i:j].split()[2])
        blobs.append(out[j + 1 : j + 1 + size])
        i = j + 1 + size + 1
    return blobs


def _corpus_repos() -> set[str]:
    """The prose corpus' repositories (``benchmarks/corpus/SOURCES.tsv``), as mirror names: the
    mirror folder may hold other repositories (peer test suites) that are not prose."""
    import csv

    with (Path(__file__).parent / "corpus" / "SOURCES.tsv").open(encoding="utf-8") as fh:
        return {row["repo"].replace("/", "+", 1) for row in csv.DictReader(fh, delimiter="\t")}


def markdown_sample(root: Path = MIRRORS) -> list[tuple[str, str, str, str]]:
    """(repository, path, commit, text) of the sampled Markdown files without front matter."""
    docs = []
    repos = _corpus_repos()
    for mirror in sorted(root.iterdir()):
        git_dir = mirror / "repo"
        if not git_dir.is_dir() or mirror.name not in repos:
            continue
        try:
            commit = _git(git_dir, "rev-parse", "HEAD").decode().strip()
        except subprocess.CalledProcessError:
            continue  # a mirror still being fetched
        names = _git(git_dir, "ls-tree", "-r", "HEAD", "--name-only").decode().split("\n")
        md = sorted(
            (n for n in names if n.lower().endswith(".md")),
            key=lambda n: hashlib.sha1(n.encode()).hexdigest(),
        )[:60]
        if not md:
            continue
        want, got = _PER_REPO.get(mirror.name, 2), 0
        for name, blob in zip(md, _blobs(git_dir, commit, md), strict=True):
            try:
                text = blob.decode("utf-8")
            except UnicodeDecodeError:
                continue
            body = text.lstrip("\ufeff")
            if body.startswith(("---", "+++", "{")) or len(body) < 200:
                continue
            docs.append((mirror.name.replace("+", "/", 1), name, commit, text))
            got += 1
            if got >= want:
                break
    return docs


def _quiet_loads(data: str | bytes, fmt: str | None = None, path: str | None = None) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return digestkit.loads(data, fmt, path=path)


def check_markdown(docs: list[tuple[str, str, str, str]]) -> dict[str, Any]:
    """Sniffing, reading and the hint-less round trip over ``docs``."""
    row: dict[str, Any] = {"files": len(docs), "sniffed_markdown": 0, "same_as_by_name": 0,
                           "round_trip": 0, "misread": [], "drift": []}  # fmt: skip
    for repo, path, _, text in docs:
        by_name = _quiet_loads(text, "markdown")
        if detect_format(text) == "markdown":
            row["sniffed_markdown"] += 1
        else:
            row["misread"].append(f"{repo}:{path} -> {detect_format(text)}")
        if _quiet_loads(text) == by_name:
            row["same_as_by_name"] += 1
        if _quiet_loads(digestkit.dumps(by_name, "markdown")) == by_name:
            row["round_trip"] += 1
        else:
            row["drift"].append(f"{repo}:{path}")
    return row


def check_seeds() -> dict[str, str]:
    out = {}
    for seed in seeds():
        text = seed.read_text(encoding="utf-8")
        out[seed.name] = detect_format(text)
        if text.startswith("---\n"):
            out[seed.name + " (body)"] = detect_format(text.split("\n---\n", 1)[1])
    return out


def check_zh(root: Path = ZH_DOCS) -> dict[str, Any]:
    """Every corpus file loaded with no hint; its Markdown read back (no hint) and rewritten."""
    row: dict[str, Any] = {"files": 0, "loaded": 0, "same_document": 0, "same_markdown": 0,
                           "sniffed_as_named": 0, "refused": [], "drift": [],
                           "sniff_drift": []}  # fmt: skip
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.name in ("SOURCES.tsv", "READY"):
            continue
        row["files"] += 1
        try:
            doc = _quiet_loads(path.read_bytes())
        except DigestkitError as exc:
            row["refused"].append(f"{path.relative_to(root)}: {exc}")
            continue
        row["loaded"] += 1
        md1 = digestkit.dumps(doc, "markdown")
        again = _quiet_loads(md1)
        md2 = digestkit.dumps(again, "markdown")
        named = _quiet_loads(md1, "markdown")
        row["same_document"] += again == doc
        row["same_markdown"] += md2 == md1
        row["sniffed_as_named"] += again == named
        if again != named:  # the hint-less read differs from reading the output as Markdown
            row["sniff_drift"].append(str(path.relative_to(root)))
        elif again != doc or md2 != md1:  # the writer's round trip (issue 25, point 4)
            row["drift"].append(str(path.relative_to(root)))
    return row


def main() -> int:
    report: dict[str, Any] = {"markdown": check_markdown(markdown_sample()), "seeds": check_seeds()}
    if "--zh" in sys.argv[1:]:
        report["zh"] = check_zh()
    json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
