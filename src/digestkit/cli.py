"""The ``digestkit`` command line.

Every failure a user can cause prints one line on stderr and exits non-zero: 2 for a usage
mistake (unknown option or format), 1 for bad input or output (missing file, broken front
matter with ``file:line:col``, undecodable bytes). No tracebacks; all inputs are read before
anything is written, and every file is written atomically, so a failure leaves no partial output.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from . import __version__, dump, format_for_path, formats, load, registry
from .errors import DigestkitError, UnknownFormatError

if TYPE_CHECKING:
    from .ast import Document

__all__ = ["main"]

EXIT_INPUT = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"digestkit: {message} (see digestkit --help)\n")


def _build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="digestkit", description=__doc__.split("\n")[0] if __doc__ else None)
    p.add_argument("--version", action="version", version=f"digestkit {__version__}")
    p.add_argument("-q", "--quiet", action="store_true", help="print no warnings")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    c = sub.add_parser("convert", help="convert documents between formats")
    c.add_argument("inputs", nargs="+", metavar="IN", help="input files")
    c.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="output file, or folder (ending in /, or several inputs)",
    )
    c.add_argument("--from", dest="from_format", metavar="F", help="input format (default: sniff)")
    c.add_argument(
        "--to",
        dest="to_format",
        metavar="F",
        help="output format (default: from OUT's extension, else markdown)",
    )
    c.add_argument(
        "--encoding",
        metavar="E",
        help="input encoding (default utf-8; 'auto' tries GB18030 and Big5)",
    )
    c.add_argument(
        "--front-matter",
        choices=("toml", "yaml", "json"),
        help="front matter format for --to hugo (default toml)",
    )
    c.add_argument("--section", help="Hugo content section (default posts)")
    c.add_argument(
        "--jobs", type=int, metavar="N", help="work on N documents at once (default: CPU count)"
    )
    c.add_argument(
        "--max-size", type=int, metavar="BYTES", help="largest input accepted (default 16 MiB)"
    )
    _add_text_options(c)

    i = sub.add_parser("inspect", help="show the document tree of a file")
    i.add_argument("input", metavar="IN")
    i.add_argument("--json", action="store_true", help="the AST as JSON on stdout")
    i.add_argument(
        "--explain",
        action="store_true",
        help="prose input: every heading/paragraph/article decision and why",
    )
    i.add_argument("--from", dest="from_format", metavar="F", help="input format (default: sniff)")
    i.add_argument("--encoding", metavar="E", help="input encoding")

    w = sub.add_parser("weekly", help="an archive folder of daily digests → one EPUB (or PDF)")
    w.add_argument("archive", metavar="ARCHIVE_DIR")
    w.add_argument("-o", "--output", required=True, metavar="OUT", help="book.epub or book.pdf")
    w.add_argument("--week", metavar="YYYY-Www", help="only this ISO week, e.g. 2026-W09")
    w.add_argument("--title", help="the book's title")
    w.add_argument("--encoding", metavar="E", help="input encoding")
    w.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="parse (and lay out PDF) in N processes (default: CPU count)",
    )
    w.add_argument("--no-cache", action="store_true",
                   help="do not use the parsed-document cache ($XDG_CACHE_HOME/digestkit)")  # fmt: skip
    _add_text_options(w)
    _add_book_options(w)
    _add_book_options(c)

    sub.add_parser("formats", help="list the formats digestkit can read and write")
    return p


def _add_text_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--script",
        metavar="PROFILE",
        help="convert Chinese script with an OpenCC profile (s2twp, t2s, s2hk …)",
    )
    p.add_argument(
        "--punctuation",
        action="store_true",
        help="half-width , : ; ? ! ( ) next to Chinese become full-width",
    )
    p.add_argument(
        "--spacing",
        action="store_true",
        help="with --punctuation: a space between Chinese and Latin letters or digits",
    )
    p.add_argument("--corner-quotes", action="store_true",
                   help="with --punctuation: “” → 「」 and ‘’ → 『』")  # fmt: skip
    # issue 18.6 — kept apart so it moves into the typed options in one piece
    p.add_argument("--repair-script", action="store_true",
                   help="repair characters a one-to-one converter picked wrongly in Traditional "
                        "text (庫剋 → 庫克), before any --script conversion")  # fmt: skip


def _add_book_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--paper",
        choices=("A5", "A4", "B5", "letter"),
        default=None,
        help="PDF: page size (default A5)",
    )
    p.add_argument("--font", dest="fonts", action="append", metavar="FILE",
                   help="PDF: use this font file first (repeatable)")  # fmt: skip
    p.add_argument(
        "--allow-network",
        action="store_true",
        help="EPUB/PDF: fetch and embed remote images (never done otherwise)",
    )
    p.add_argument("--vertical", action="store_true",
                   help="EPUB: vertical writing (vertical-rl, right-to-left pages) for Traditional text")  # fmt: skip


def _weekly(args: argparse.Namespace, out: TextIO) -> None:
    from .archive import iso_week, weekly

    _check_profile(args.script)
    if args.week:
        iso_week(args.week)
    suffix = Path(args.output).suffix.lower()
    if suffix not in (".epub", ".pdf"):
        raise _Usage(f"weekly writes .epub or .pdf, not {args.output!r}")
    path = weekly(
        args.archive, args.output, week=args.week, title=args.title, script=args.script,
        punctuation=args.punctuation, allow_network=args.allow_network, vertical=args.vertical,
        encoding=args.encoding, paper=args.paper or "A5", fonts=args.fonts or (),
        jobs=args.jobs, cache=not args.no_cache,
        repair_script=args.repair_script,
    )  # fmt: skip
    print(f"wrote {path}", file=out)


def _check_profile(profile: str | None) -> None:
    if profile is None:
        return
    from .transforms.script import UnknownProfileError, _check

    try:
        _check(profile)
    except UnknownProfileError as exc:
        raise _Usage(str(exc)) from None


def _check_format(name: str | None, *, write: bool) -> None:
    if name is None:
        return
    known = [f.name for f in formats() if (f.can_write if write else f.can_read)]
    if name not in known:
        kind = "output" if write else "input"
        raise _Usage(f"unknown {kind} format {name!r} (choose from: {', '.join(known)})")


class _Usage(Exception):
    """A usage mistake discovered after argument parsing (exit 2)."""


def _unique_names(paths: Sequence[str], ext: str) -> list[str]:
    seen: dict[str, int] = {}
    names = []
    for p in paths:
        stem = Path(p).stem or "document"
        n = seen.get(stem, 0) + 1
        seen[stem] = n
        names.append(f"{stem}{ext}" if n == 1 else f"{stem}-{n}{ext}")
    return names


def _convert(args: argparse.Namespace, out: TextIO) -> None:
    _check_format(args.from_format, write=False)
    _check_format(args.to_format, write=True)
    _check_profile(args.script)
    target = args.output
    to_dir = target.endswith(("/", "\\")) or Path(target).is_dir() or len(args.inputs) > 1
    to_format = args.to_format
    if to_format is None:
        try:
            to_format = "markdown" if to_dir else format_for_path(target)
        except UnknownFormatError as exc:
            raise _Usage(f"{exc}; pass --to") from None
    writer = registry.get_writer(to_format)
    # Read everything first: a bad input must not leave half the outputs written.
    from . import load_many

    docs: list[Document] = load_many(
        args.inputs, args.from_format, jobs=args.jobs, encoding=args.encoding,
        max_size=args.max_size, script=args.script, punctuation=args.punctuation,
        spacing=args.spacing, corner_quotes=args.corner_quotes,
        repair_script=args.repair_script,
    )  # fmt: skip
    if writer.kind == "tree":
        given = {"front_matter": args.front_matter, "section": args.section}
        options = {k: v for k, v in given.items() if v is not None}
        taken: set[Path] = set()  # one batch never gives two documents the same folder
        for doc in docs:
            print(f"wrote {writer.write(doc, outdir=target, taken=taken, **options)}", file=out)
        return
    book_options: dict[str, object] = {}
    if writer.kind == "binary":
        book_options = {"allow_network": args.allow_network, "vertical": args.vertical}
        if to_format == "pdf":
            book_options = {"allow_network": args.allow_network, "paper": args.paper or "A5",
                            "fonts": args.fonts or (), "jobs": args.jobs}  # fmt: skip
    if not to_dir:
        base = {"base_dir": Path(args.inputs[0]).parent} if writer.kind == "binary" else {}
        print(f"wrote {dump(docs[0], target, to_format, **book_options, **base)}", file=out)
        return
    ext = writer.extensions[0] if writer.extensions else f".{to_format}"
    for doc, src, name in zip(docs, args.inputs, _unique_names(args.inputs, ext), strict=True):
        base = {"base_dir": Path(src).parent} if writer.kind == "binary" else {}
        print(
            f"wrote {dump(doc, Path(target) / name, to_format, **book_options, **base)}", file=out
        )


def _summary(doc: Document) -> str:
    from .ast import Article, Heading, plain_text

    lines = [f"title: {doc.meta.title or '-'}", f"date:  {doc.meta.date or '-'}",
             f"lang:  {doc.meta.lang or '-'}", f"blocks: {len(doc.blocks)}"]  # fmt: skip
    for b in doc.blocks:
        if isinstance(b, Heading):
            lines.append("  " * (b.level - 1) + "- " + plain_text(b).replace("\n", " "))
        elif isinstance(b, Article):
            lines.append(f"- article: {b.meta.title or '(untitled)'} ({len(b.blocks)} blocks)")
    return "\n".join(lines)


def _inspect(args: argparse.Namespace, out: TextIO) -> None:
    _check_format(args.from_format, write=False)
    if args.explain:
        from .readers.prose import explain
        from .textio import read_path

        text = read_path(args.input, encoding=args.encoding)
        fmt = args.from_format or registry.detect_format(text, args.input)
        if fmt != "prose":
            raise _Usage(
                f"--explain is for prose input; {args.input} reads as {fmt} (use --from prose)"
            )
        for decision in explain(text, args.input):
            out.write(f"{args.input}:{decision}\n")
        return
    doc = load(args.input, args.from_format, encoding=args.encoding)
    if args.json:
        json.dump(doc.to_dict(), out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        out.write(_summary(doc) + "\n")


def _formats(out: TextIO) -> None:
    for f in formats():
        modes = ("read" if f.can_read else "    ") + (" write" if f.can_write else "")
        print(f"{f.name:<10} {modes:<11} {' '.join(f.extensions):<24} {f.origin}", file=out)


def _setup_warnings(quiet: bool) -> None:
    def show(message: Warning | str, category: type[Warning], *_: object, **__: object) -> None:
        if not quiet:
            print(f"digestkit: warning: {message}", file=sys.stderr)

    warnings.showwarning = show
    logging.basicConfig(
        level=logging.ERROR if quiet else logging.WARNING,
        format="digestkit: %(levelname)s: %(message)s",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _build_parser().parse_args(argv)
    _setup_warnings(args.quiet)
    try:
        if args.command == "convert":
            _convert(args, sys.stdout)
        elif args.command == "weekly":
            _weekly(args, sys.stdout)
        elif args.command == "inspect":
            _inspect(args, sys.stdout)
        else:
            _formats(sys.stdout)
    except _Usage as exc:
        print(f"digestkit: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DigestkitError as exc:
        print(f"digestkit: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("digestkit: interrupted", file=sys.stderr)
        return 130
    return 0
