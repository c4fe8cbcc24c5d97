"""What each CSS feature of the PDF's stylesheet costs WeasyPrint, per page (issue 16, point 5).

The weekly book of an archive of seed-``000`` digests is rendered to the HTML the PDF writer lays
out; a fixed slice of its chapters (one layout group) is then laid out by WeasyPrint once per
*variant* of the stylesheet — the writer's own, and the same with one feature taken away — each
in a fresh child process, variants in alternation, so that load on the machine hits them alike.
The figure is the child's CPU time (user + system) for layout and for writing the PDF, per page
of the writer's own variant, median over the rounds.

    python -m benchmarks.pdf_features [--count 30] [--chapters 5] [--rounds 3]
    python -m benchmarks.pdf_features --sizes   # cost and memory of one group by its size

``--sizes`` lays out groups of 1, 2, 3 and 5 chapters with the writer's stylesheet, and a one-page
document in the book's three faces (Noto Serif CJK regular and bold, Noto Sans CJK bold): what
one layout process costs before its first page — each with the system faces (WeasyPrint copies
each ``.ttc`` collection it embeds whole, ~70 MiB for the three, and subsets it with HarfBuzz)
and with the faces the writer cuts first (``writers/pdf/faces``). The feature variants are laid
out as the writer does, with the cut faces.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from benchmarks.archive import generate

PY = sys.executable

#: variant name → (what it takes away, [(old, new) replacements in the stylesheet])
VARIANTS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "writer's stylesheet": ("nothing", []),
    "no justification": (
        "text-align: justify → left",
        [("text-align: justify;", "text-align: left;")],
    ),
    "no running header": (
        "the @top-center margin box with string(chapter)",
        [(" @top-center { content: string(chapter); font-size: 8pt; color: #666; }", "")],
    ),
    "CJK face first": (
        'font fallback: "Noto Serif CJK SC" (the .ttc collection) named before the Latin face',
        [
            ('"Noto Serif", "Noto Serif CJK', '"Noto Serif CJK'),
            ('"Noto Sans", "Noto Sans CJK', '"Noto Sans CJK'),
        ],
    ),
    "no footnotes": (
        "float: footnote (notes stay inline)",
        [(".footnote { float: footnote;", ".footnote {")],
    ),
    "no overflow-wrap": (
        "overflow-wrap: break-word",
        [("overflow-wrap: break-word;", "")],
    ),
    "no orphans/widows, break-after": (
        "orphans/widows 2, break-after: avoid",
        [("orphans: 2; widows: 2;", "orphans: 1; widows: 1;"), ("break-after: avoid;", "")],
    ),
    "no bookmarks": (
        "bookmark-level (the outline)",
        [
            ("bookmark-level: 1;", "bookmark-level: none;"),
            ("bookmark-level: 2;", "bookmark-level: none;"),
            ("bookmark-level: 3;", "bookmark-level: none;"),
        ],
    ),
}

_CHILD = r"""
import json, resource, sys, time
import weasyprint
from pathlib import Path
from digestkit.writers.pdf.engine import _fetcher
from digestkit.writers.xhtml import Asset
html = open(sys.argv[1], encoding="utf-8").read()
faces = {p.stem: Asset(p, p.stem) for p in Path(sys.argv[2]).glob("*.otf")} if sys.argv[2:] else {}
r0 = resource.getrusage(resource.RUSAGE_SELF)
doc = weasyprint.HTML(string=html, url_fetcher=_fetcher(faces), base_url="about:blank").render()
r1 = resource.getrusage(resource.RUSAGE_SELF)
doc.write_pdf()
r2 = resource.getrusage(resource.RUSAGE_SELF)
cpu = lambda r: r.ru_utime + r.ru_stime
print(json.dumps({"pages": len(doc.pages), "layout": cpu(r1) - cpu(r0), "write": cpu(r2) - cpu(r1),
                  "rss_mib": r2.ru_maxrss / 1024}))
"""


def _html(count: int, chapters: int, start: int, work: Path) -> tuple[str, str, str]:
    """(head, chapters' HTML, contents HTML) of the weekly book of ``count`` digests."""
    from digestkit.archive import collect, make_book
    from digestkit.writers.pdf.assemble import front_html, parts

    generate(work / "arch", count, only="000")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = make_book(collect(work / "arch", cache=False, jobs=1), root=work / "arch")
    laid = parts(book, "A5", [], False)
    return (
        laid.head_body,
        "".join(laid.chapters[start : start + chapters]),
        front_html(book, laid.head_front, laid.toc),
    )


def _run(path: Path, faces: Path | None = None) -> dict[str, Any]:
    args = [PY, "-c", _CHILD, str(path), *([str(faces)] if faces else [])]
    out = subprocess.run(args, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _cut(documents: list[str], folder: Path) -> str:
    """The writer's subsets of the CJK faces for ``documents`` (``writers/pdf/faces``), written
    to ``folder``; their ``@font-face`` rules."""
    from digestkit.writers.pdf.faces import cut_faces

    folder.mkdir(parents=True, exist_ok=True)
    rules, _assets = cut_faces(documents, "zh-Hans", folder)
    return rules


def run(count: int = 30, chapters: int = 5, rounds: int = 3) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="dk-pdff-") as tmp:
        work = Path(tmp)
        from digestkit.writers.pdf.faces import with_faces

        head, body, front = _html(count, chapters, 0, work)
        faces = work / "faces"
        rules = _cut([head + body, front], faces)  # as the writer lays it out
        head, front = with_faces(head, rules), with_faces(front, rules)
        files: dict[str, Path] = {}
        for name, (_what, swaps) in VARIANTS.items():
            h = head
            for old, new in swaps:
                if old not in h:
                    raise SystemExit(f"variant {name!r}: {old!r} not in the stylesheet")
                h = h.replace(old, new)
            files[name] = work / f"{len(files)}.html"
            files[name].write_text(h + body + "</body></html>", encoding="utf-8")
        files["contents page (front part)"] = work / "front.html"
        files["contents page (front part)"].write_text(front, encoding="utf-8")
        samples: dict[str, list[dict[str, Any]]] = {name: [] for name in files}
        start = time.perf_counter()
        load: list[float] = []
        for _ in range(rounds):
            for name, path in files.items():
                load.append(float(Path("/proc/loadavg").read_text().split()[0]))
                samples[name].append(_run(path, faces))
        base_pages = samples["writer's stylesheet"][0]["pages"]
        rows = {}
        for name, got in samples.items():
            layout = statistics.median(s["layout"] for s in got)
            write = statistics.median(s["write"] for s in got)
            pages = got[0]["pages"]
            rows[name] = {
                "takes away": VARIANTS[name][0] if name in VARIANTS else "(the front part)",
                "pages": pages,
                "layout_s": round(layout, 2),
                "write_pdf_s": round(write, 2),
                "ms_per_page": round(1000 * (layout + write) / pages, 1),
                "max_rss_mib": round(max(s["rss_mib"] for s in got)),
            }
        ref = rows["writer's stylesheet"]
        for name, row in rows.items():
            if name in VARIANTS:
                total = row["layout_s"] + row["write_pdf_s"]
                row["saves_vs_writer_%"] = round(
                    100 * (1 - total / (ref["layout_s"] + ref["write_pdf_s"])), 1
                )
        return {
            "digests": count,
            "chapters_laid_out": chapters,
            "pages_writer_variant": base_pages,
            "rounds": rounds,
            "load_average_1min_min_median_max": [min(load), statistics.median(load), max(load)],
            "wall_s": round(time.perf_counter() - start, 1),
            "child_cpu_note": "CPU seconds of the child (user+sys), median of rounds",
            "rows": rows,
            "self_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        }


_FLOOR = (
    '<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"/><style>'
    'html { font-family: "Noto Serif CJK SC"; } h1 { font-family: "Noto Sans CJK SC"; }'
    "</style></head><body><h1>标题</h1><p>正文<strong>粗体</strong></p></body></html>"
)


def sizes(count: int = 30, rounds: int = 1) -> dict[str, Any]:
    """CPU and peak memory of one layout process by group size (see the module's docstring),
    with the system faces (as before ``faces``) and with the writer's cut faces."""
    from digestkit.writers.pdf.faces import subset_family, with_faces

    with tempfile.TemporaryDirectory(prefix="dk-pdfs-") as tmp:
        work = Path(tmp)
        docs = {"one page, three faces": _FLOOR}
        for k in (1, 2, 3, 5):
            head, body, _front = _html(count, k, 0, work / f"a{k}")
            docs[f"{k} chapter(s)"] = head + body + "</body></html>"
        files: dict[str, tuple[Path, Path | None]] = {}
        for name, doc in docs.items():
            plain = work / f"{len(files)}.html"
            plain.write_text(doc, encoding="utf-8")
            files[f"{name}, system faces"] = (plain, None)
            folder = work / f"faces{len(files)}"
            rules = _cut([doc], folder)
            if name.startswith("one page"):  # its own stylesheet names the system families
                for family in ("Noto Serif CJK SC", "Noto Sans CJK SC"):
                    doc = doc.replace(f'"{family}"', f'"{subset_family(family)}", "{family}"')
            cut = work / f"{len(files)}c.html"
            cut.write_text(with_faces(doc, rules), encoding="utf-8")
            files[f"{name}, cut faces"] = (cut, folder)
        got: dict[str, list[dict[str, Any]]] = {name: [] for name in files}
        for _ in range(rounds):
            for name, (path, faces) in files.items():
                got[name].append(_run(path, faces))
        rows = {}
        for name, samples in got.items():
            cpu = statistics.median(s["layout"] + s["write"] for s in samples)
            rows[name] = {"pages": samples[0]["pages"], "cpu_s": round(cpu, 2),
                          "layout_s": round(statistics.median(s["layout"] for s in samples), 2),
                          "write_pdf_s": round(statistics.median(s["write"] for s in samples), 2),
                          "ms_per_page": round(1000 * cpu / samples[0]["pages"]),
                          "max_rss_mib": round(max(s["rss_mib"] for s in samples))}  # fmt: skip
        return {"rounds": rounds, "rows": rows}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--count", type=int, default=30)
    ap.add_argument("--chapters", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--sizes", action="store_true", help="group size → CPU and memory instead")
    args = ap.parse_args(argv)
    if args.sizes:
        json.dump(sizes(args.count, args.rounds), sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0
    json.dump(run(args.count, args.chapters, args.rounds), sys.stdout, indent=2, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
