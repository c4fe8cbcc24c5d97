"""The corpus tools' split rules: ``benchmarks/corpus/gather.py`` adds a source to one split and
keeps held-out text out of training *and* training text out of dev/test; the prose benchmark
scores a saved method only on the cases it covers (``--saved``) and counts cases without scoring
(``--count``).

Everything is built here — a small git repository as the mirror, a two-row corpus — since the
real corpus is never committed.
"""

from __future__ import annotations

import csv
import random
import subprocess
from pathlib import Path

import pytest
from benchmarks.corpus import gather
from benchmarks.prose_segmentation import count_cases, markdown_table, predict_naive, run_corpus

from tests.conftest import require_tool


@pytest.fixture(autouse=True)
def _git() -> None:
    """The gatherer reads repositories with git: missing, it skips here and fails under CI."""
    require_tool("git")


_RNG = random.Random(13)


def _sentence() -> str:
    # 30-40 distinct-looking Han characters: a run long enough for the 20-character shingles
    return (
        "".join(chr(_RNG.randrange(0x4E00, 0x9FA5)) for _ in range(_RNG.randrange(30, 41))) + "。"
    )


def _para(n: int = 3) -> str:
    return "".join(_sentence() for _ in range(n))


def _doc(title: str, paras: list[str]) -> str:
    body = [f"# {title}", "", "## 第一則", "", paras[0], "", "## 第二則", ""]
    for p in paras[1:]:
        body += [p, ""]
    return "\n".join(body)


TRAIN_PARAS = [_para() for _ in range(5)]
TRAIN_DOC = _doc("訓練週報", TRAIN_PARAS)
# shares five whole sentences (one paragraph and a half) with the training document
COPY_DOC = _doc("抄來的週報", [TRAIN_PARAS[1], TRAIN_PARAS[2][:80], _para(), _para(), _para()])
NEW_DOC = _doc("新的週報", [_para() for _ in range(5)])


def _corpus(tmp: Path, rows: list[tuple[str, str, str]]) -> Path:
    """A corpus folder whose SOURCES.tsv lists (file, repo, split) rows, each file TRAIN_DOC."""
    corpus = tmp / "corpus"
    (corpus / "docs").mkdir(parents=True)
    with (corpus / "SOURCES.tsv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, gather.FIELDS, delimiter="\t", lineterminator="\n")
        w.writeheader()
        for file, repo, split in rows:
            (corpus / "docs" / file).parent.mkdir(parents=True, exist_ok=True)
            (corpus / "docs" / file).write_text(TRAIN_DOC, encoding="utf-8")
            w.writerow({"file": file, "repo": repo, "path": "x.md", "commit": "0" * 40,
                        "licence": "MIT", "source_type": "digest", "script": "Hant",
                        "format": "md", "split": split})  # fmt: skip
    return corpus


def _mirror(tmp: Path, repo: str, files: dict[str, str]) -> Path:
    mirror = tmp / "mirror"
    work = mirror / repo.replace("/", "+") / "repo"
    work.mkdir(parents=True)
    for name, text in files.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(text, encoding="utf-8")
    (work / "LICENSE").write_text("MIT License\n", encoding="utf-8")
    git = ["git", "-C", str(work), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "docs"], check=True)
    return mirror


def _gather(corpus: Path, mirror: Path, *args: str) -> list[dict[str, str]]:
    before = len(gather._rows(corpus))
    assert gather.main([*args, "--corpus", str(corpus), "--mirror", str(mirror)]) == 0
    return gather._rows(corpus)[before:]


def test_the_fixture_documents_pass_the_structure_filter():
    assert gather._keep(TRAIN_DOC) and gather._keep(COPY_DOC) and gather._keep(NEW_DOC)
    held = gather._shingles(TRAIN_DOC)
    assert gather._leaks(COPY_DOC, held) and not gather._leaks(NEW_DOC, held)


@pytest.mark.parametrize("split", ["test", "dev"])
def test_a_held_out_document_that_near_copies_a_training_document_is_refused(tmp_path, split):
    corpus = _corpus(tmp_path, [("old/001.md", "a/train-source", "train")])
    mirror = _mirror(tmp_path, "b/digests", {"posts/copy.md": COPY_DOC, "posts/new.md": NEW_DOC})
    rows = _gather(corpus, mirror, "b/digests", "posts", "bdig", "digest", "Hant", "--split", split)
    assert [(r["path"], r["split"], r["file"]) for r in rows] == [
        ("posts/new.md", split, "bdig/001.md")
    ]
    assert rows[0]["licence"].startswith("MIT") and len(rows[0]["commit"]) == 40
    assert (corpus / "docs" / "bdig" / "001.md").read_text(encoding="utf-8") == NEW_DOC
    assert not (corpus / "docs" / "bdig" / "002.md").exists()


def test_train_rows_are_checked_against_dev_and_test_only_as_before(tmp_path):
    # a training document may share text with another training document (same source, reposts)
    corpus = _corpus(tmp_path, [("old/001.md", "a/train-source", "train")])
    mirror = _mirror(tmp_path, "b/digests", {"posts/copy.md": COPY_DOC, "posts/new.md": NEW_DOC})
    rows = _gather(corpus, mirror, "b/digests", "posts", "bdig", "digest", "Hant")
    assert sorted(r["path"] for r in rows) == ["posts/copy.md", "posts/new.md"]
    assert {r["split"] for r in rows} == {"train"}
    # ... but never with a held-out one
    corpus2 = _corpus(tmp_path / "2", [("old/001.md", "a/test-source", "test")])
    rows = _gather(corpus2, mirror, "b/digests", "posts", "bdig", "digest", "Hant")
    assert [r["path"] for r in rows] == ["posts/new.md"]


def test_the_split_is_by_source_and_nothing_gathered_is_overwritten(tmp_path):
    corpus = _corpus(tmp_path, [("old/001.md", "b/digests", "train")])
    mirror = _mirror(tmp_path, "b/digests", {"posts/new.md": NEW_DOC})
    with pytest.raises(SystemExit):
        gather.main(["b/digests", "posts", "bdig", "digest", "Hant", "--split", "test",
                     "--corpus", str(corpus), "--mirror", str(mirror)])  # fmt: skip
    with pytest.raises(SystemExit):  # the prefix folder "old" already holds a document
        gather.main(["b/digests", "posts", "old", "digest", "Hant",
                     "--corpus", str(corpus), "--mirror", str(mirror)])  # fmt: skip
    assert (corpus / "docs" / "old" / "001.md").read_text(encoding="utf-8") == TRAIN_DOC
    assert len(gather._rows(corpus)) == 1


def test_match_and_commit_choose_the_files(tmp_path):
    corpus = _corpus(tmp_path, [("old/001.md", "a/train-source", "train")])
    mirror = _mirror(tmp_path, "b/digests", {"daily/new.md": NEW_DOC, "about/new.md": NEW_DOC})
    rows = _gather(corpus, mirror, "b/digests", ".", "bdig", "digest", "Hant", "--split", "dev",
                   "--match", "^daily/", "--commit", "HEAD")  # fmt: skip
    assert [r["path"] for r in rows] == ["daily/new.md"]


def test_a_saved_method_is_scored_on_the_cases_it_covers_and_says_so(tmp_path):
    corpus = tmp_path / "corpus"
    for i, text in enumerate((TRAIN_DOC, NEW_DOC)):
        (corpus / "docs" / "d").mkdir(parents=True, exist_ok=True)
        (corpus / "docs" / "d" / f"{i}.md").write_text(text, encoding="utf-8")
    with (corpus / "SOURCES.tsv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, gather.FIELDS, delimiter="\t", lineterminator="\n")
        w.writeheader()
        for i in range(2):
            w.writerow({"file": f"d/{i}.md", "repo": f"r/{i}", "path": "x.md", "commit": "0",
                        "licence": "MIT", "source_type": "digest", "script": "Hant",
                        "format": "md", "split": "test"})  # fmt: skip
    save: dict = {}
    full = run_corpus(corpus, "test", {"naive": predict_naive}, save=save, kept=False)
    n = full["all"]["cases"]
    old = {k: v for k, v in save["naive"].items() if k.startswith("d/0.md:")}
    assert 0 < len(old) < n
    rep = run_corpus(corpus, "test", {"naive": predict_naive}, {"old": old}, kept=False)
    assert rep["all"]["cases"] == n and rep["all"]["old"]["cases"] == len(old)
    assert "cases" not in rep["all"]["naive"]
    table = markdown_table(rep, ["naive", "old"])
    assert f"| {len(old)} of {n} | old |" in table
    # covering every case, the saved method's figures are the method's own and carry no count
    rep = run_corpus(corpus, "test", {"naive": predict_naive}, {"old": save["naive"]}, kept=False)
    assert rep["all"]["old"] == rep["all"]["naive"]
    counts = count_cases(corpus, "test", {"old": old})
    assert counts["all"] == {"documents": 2, "cases": n, "old cases": len(old)}
