"""Old code against new on the whole prose corpus: a speed-up of the run-on model (network,
decoder, constraints) must not change a single output (docs/prose.md, "Speed").

Every run-on case of every split (``benchmarks/prose_cases.py``: marked and bare, Traditional and as
written, titled and untitled) and every seed in ``fixtures/`` goes through two copies of digestkit:
the code at a git revision ``REF`` (extracted with ``git archive``, given the working tree's model
file so that only the code differs) and the working tree. Each copy runs in its own process and
writes, per case, the document (``Document.to_dict()``), the ``--explain`` log and the raw
segmentation of the de-marked text (the decoder's blocks, each block start's exact probability
and reason). The report counts the cases whose outputs differ; scores
are compared exactly (``repr`` of the float), so "0 differences" means bit-identical.

    python -m benchmarks.prose_equivalence REF [CORPUS] [--keep-ref-model] [--cases FILE]

``--cases FILE`` reuses a case file written by an earlier run (the corpus may change under you:
the file is kept next to the dumps as ``cases-<hash>.json``).

The reference dump is cached under ``$TMPDIR/digestkit-prose-equivalence/<commit>-<model hash>``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from benchmarks.common import FIXTURES, ROOT

__all__ = ["dump", "main"]

MODEL = Path("src/digestkit/readers/prose/seqmodel.npz")


def _cases_file(corpus: Path, out: Path) -> int:
    from benchmarks.prose_cases import cases
    from benchmarks.prose_corpus import load_corpus

    rows: list[dict[str, Any]] = []
    for d in load_corpus(corpus):
        for c in cases(d.doc, d.file):
            rows.append({"name": c.name, "source": c.source, "text": c.text,
                         "marks": [a for a, _ in c.headings] if c.marked else []})  # fmt: skip
    for seed in sorted(FIXTURES.glob("[0-9][0-9][0-9]_*.txt")):
        text = seed.read_text(encoding="utf-8")
        rows.append({"name": f"seed:{seed.name}", "source": text, "text": None, "marks": []})
        for k, line in enumerate(text.split("\n")):
            if len(line) >= 200:  # each long seed line on its own, through the run-on reader
                rows.append({"name": f"seed:{seed.name}:{k + 1}", "source": line, "text": None,
                             "marks": []})  # fmt: skip
    out.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return len(rows)


def dump(cases_path: str, out_path: str) -> None:
    """Write one JSON line per case: everything the prose reader decided (run in a subprocess)."""
    import digestkit
    from digestkit.readers.prose import explain
    from digestkit.readers.prose.decode import decode, load_params
    from digestkit.readers.prose.network import emissions
    from digestkit.readers.prose.runon import segment_runon

    rows = json.loads(Path(cases_path).read_text(encoding="utf-8"))
    print(f"dumping with {digestkit.__file__}", file=sys.stderr)
    with Path(out_path).open("w", encoding="utf-8") as out, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for row in rows:
            rec: dict[str, Any] = {"name": row["name"]}
            rec["doc"] = digestkit.loads(row["source"], "prose").to_dict()
            rec["explain"] = [str(d) for d in explain(row["source"])]
            if row["text"] is not None:
                dec = decode(row["text"], emissions(row["text"], row["marks"]), row["marks"],
                             load_params(), explain=True)  # fmt: skip
                rec["blocks"] = [(b.start, b.end, b.heading) for b in dec.blocks]
                rec["boundaries"] = [(b.pos, repr(b.prob), b.reason) for b in dec.boundaries]
            else:
                rec["runon"] = [str(d) for d in segment_runon(row["source"].strip()).decisions]
            out.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")


def _tree(ref: str, dest: Path, keep_model: bool) -> None:
    data = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "src"], check=True,
                          capture_output=True).stdout  # fmt: skip
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")
    if not keep_model:
        shutil.copyfile(ROOT / MODEL, dest / MODEL)


def _run_dump(src: Path, cases_path: Path, out: Path) -> float:
    env = dict(os.environ, PYTHONPATH=f"{src}{os.pathsep}{ROOT}")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "benchmarks.prose_equivalence", "--dump",
                    str(cases_path), str(out)], check=True, env=env, cwd=ROOT)  # fmt: skip
    return time.perf_counter() - t0


def _compare(a: Path, b: Path) -> tuple[int, int, list[str]]:
    n = bad = 0
    notes: list[str] = []
    with a.open(encoding="utf-8") as fa, b.open(encoding="utf-8") as fb:
        for la, lb in zip(fa, fb, strict=True):
            n += 1
            if la != lb:
                bad += 1
                ra, rb = json.loads(la), json.loads(lb)
                keys = [k for k in ra if ra[k] != rb.get(k)]
                if len(notes) < 10:
                    notes.append(f"{ra['name']}: differs in {', '.join(keys)}")
    return n, bad, notes


def main() -> int:
    argv = sys.argv[1:]
    given = None
    if "--cases" in argv:
        given = Path(argv.pop(argv.index("--cases") + 1))
    args = [a for a in argv if not a.startswith("--")]
    if "--dump" in argv:
        dump(args[0], args[1])
        return 0
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    from benchmarks.prose_corpus import corpus_dir

    ref = subprocess.run(["git", "-C", str(ROOT), "rev-parse", args[0]], check=True,
                         capture_output=True, text=True).stdout.strip()  # fmt: skip
    keep = "--keep-ref-model" in argv
    model_hash = hashlib.sha256((ROOT / MODEL).read_bytes()).hexdigest()[:12]
    cache = Path(tempfile.gettempdir()) / "digestkit-prose-equivalence"
    cache.mkdir(exist_ok=True)
    if given is None:
        given = cache / "cases.json"
        _cases_file(corpus_dir(args[1] if len(args) > 1 else None), given)
    case_hash = hashlib.sha256(given.read_bytes()).hexdigest()[:12]
    cases_path = cache / f"cases-{case_hash}.json"
    if given != cases_path:
        shutil.copyfile(given, cases_path)
    n_cases = len(json.loads(cases_path.read_text(encoding="utf-8")))
    ref_out = cache / f"{ref[:12]}-{'own' if keep else model_hash}-{case_hash}.jsonl"
    if not ref_out.exists():
        with tempfile.TemporaryDirectory() as tmp:
            _tree(ref, Path(tmp), keep)
            secs = _run_dump(Path(tmp) / "src", cases_path, ref_out.with_suffix(".tmp"))
        ref_out.with_suffix(".tmp").rename(ref_out)
        print(f"reference {ref[:12]}: {secs:.1f} s", file=sys.stderr)
    new_out = cache / "working-tree.jsonl"
    secs = _run_dump(ROOT / "src", cases_path, new_out)
    print(f"working tree: {secs:.1f} s", file=sys.stderr)
    n, bad, notes = _compare(ref_out, new_out)
    print(f"{n} cases ({n_cases} inputs), {bad} with a different output (reference {ref[:12]})")
    for note in notes:
        print("  " + note)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
