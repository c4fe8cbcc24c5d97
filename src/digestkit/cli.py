"""The ``digestkit`` command line.

Every failure a user can cause prints one line on stderr and exits non-zero: 2 for a usage
mistake (unknown option or format), 1 for bad input or output (missing file, broken front
matter with ``file:line:col``, undecodable bytes). No tracebacks; all inputs are read before
anything is written, and every file is written atomically, so a failure leaves no partial output.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from . import __version__, dump, dumps, format_for_path, formats, load, registry
from ._records import fields
from .errors import DigestkitError, UnknownFormatError
from .lazyre import lazy_compile
from .options import (
    BookOptions,
    EmlOptions,
    EpubOptions,
    HtmlOptions,
    HugoOptions,
    JsonOptions,
    OptionError,
    PdfOptions,
    ReadOptions,
    TextOptions,
    WeeklyOptions,
    build,
    cli_fields,
)
from .signals import Terminated, terminate_by_exception

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec
    from types import ModuleType
    from typing import Any, NoReturn, TextIO

    from .ast import Document

__all__ = ["main"]

EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_SKIPPED = 3  # weekly --keep-going: the book was written, some inputs were skipped


class _Parser(argparse.ArgumentParser):
    """argparse's parser with the command's one-line usage errors.

    ``add_argument`` builds a help formatter only to check the new argument's metavar, and a
    formatter looks up the terminal's width, importing ``shutil`` (with ``bz2`` and ``lzma``:
    ~2 ms of a ~0.1 s weekly re-run, issue 26) — for the ~30 arguments of a command that prints
    no help. That check gets a formatter of a fixed width (the metavar's form does not depend
    on it); help, usage and errors are formatted as before, for the terminal."""

    _checking = False

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"digestkit: {message} (see digestkit --help)\n")

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        self._checking = True
        try:
            return super().add_argument(*args, **kwargs)
        finally:
            self._checking = False

    def _get_formatter(self) -> argparse.HelpFormatter:
        if self._checking:
            # every HelpFormatter takes width (typeshed's protocol names prog only)
            return self.formatter_class(prog=self.prog, width=80)  # type: ignore[call-arg]
        return super()._get_formatter()


#: the subcommands, in the order ``--help`` lists them
COMMANDS = ("convert", "inspect", "weekly", "cache", "formats")


def _command_of(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` names, as argparse will find it: its first argument that is not an
    option (the top-level options take no value); None when that is not a subcommand."""
    for arg in argv:
        if not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def _build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with ``command``, only that subcommand's arguments are added
    (the others are listed, empty): argparse parses the arguments after a subcommand with that
    subcommand's parser alone, so the result and every message are the same, and a weekly
    re-run does not spend ~8 ms adding convert's and inspect's ~60 flags (issue 26)."""

    def wanted(name: str) -> bool:
        return command is None or command == name

    p = _Parser(prog="digestkit", description=__doc__.split("\n")[0] if __doc__ else None)
    p.add_argument("--version", action="version", version=f"digestkit {__version__}")
    p.add_argument("-q", "--quiet", action="store_true", help="print no warnings")
    # prog: what argparse derives (this parser's usage without its options, no formatter needed)
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser, prog=p.prog)

    def add(name: str, help: str) -> argparse.ArgumentParser:
        # a subcommand argparse will not reach needs no -h of its own (each costs gettext look-ups)
        made: argparse.ArgumentParser = sub.add_parser(name, help=help, add_help=wanted(name))
        return made

    c = add("convert", "convert documents between formats")
    i = add("inspect", "show the document tree of a file")
    w = add("weekly", "an archive folder of daily digests → one EPUB (or PDF, HTML page, e-mail)")
    k = add("cache", "show (info) or empty (clear) the weekly job's cache")
    add("formats", "list the formats digestkit can read and write")
    if wanted("convert"):
        _convert_arguments(c)
    if wanted("inspect"):
        _inspect_arguments(i)
    if wanted("weekly"):
        _weekly_arguments(w)
    if wanted("cache"):
        k.add_argument("action", choices=("info", "clear"))
        k.add_argument("--cache-max", metavar="SIZE", help="the cap to show (default "
                       "$DIGESTKIT_CACHE_MAX, else 1G)")  # fmt: skip
    return p


def _convert_arguments(c: argparse.ArgumentParser) -> None:
    c.add_argument("inputs", nargs="+", metavar="IN", help="input files")
    c.add_argument(
        "-o",
        "--output",
        default="-",
        metavar="OUT",
        help="output file, or folder (ending in /, or several inputs); - or none: standard output",
    )
    c.add_argument("--from", dest="from_format", metavar="F", help="input format (default: sniff)")
    c.add_argument(
        "--to",
        dest="to_format",
        metavar="F",
        help="output format (default: from OUT's extension, else markdown)",
    )
    c.add_argument(
        "--jobs",
        type=_positive,
        metavar="N",
        help="work on N documents at once (default: CPU count)",
    )
    _add_flags(c, (ReadOptions, *_writer_option_types()))


def _inspect_arguments(i: argparse.ArgumentParser) -> None:
    i.add_argument("input", metavar="IN")
    shown = i.add_mutually_exclusive_group()  # one of two different outputs, never both
    shown.add_argument("--json", action="store_true", help="the AST as JSON on stdout")
    shown.add_argument(
        "--explain",
        action="store_true",
        help="prose input: every heading/paragraph/article decision and why",
    )
    i.add_argument("--from", dest="from_format", metavar="F", help="input format (default: sniff)")
    i.add_argument("--encoding", metavar="E", help="input encoding")
    # the one reading option that changes what --explain and the summary show
    _add_flags(i, (ReadOptions,), only={"prose_priority"})


def _weekly_arguments(w: argparse.ArgumentParser) -> None:
    w.add_argument("archive", metavar="ARCHIVE_DIR")
    w.add_argument(
        "-o", "--output", required=True, metavar="OUT",
        help="book.epub, book.pdf, book.html (one page) or book.eml (an e-mail)",
    )  # fmt: skip
    w.add_argument("--no-cache", action="store_true",
                   help="do not use the cache (see: digestkit cache info); not with --cache-max")  # fmt: skip
    _add_flags(w, (WeeklyOptions, ReadOptions, *_BOOK_OPTIONS))


def _positive(value: str) -> int:
    """An argparse type: a whole number of at least 1 (``--jobs 0`` would start no worker)."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {n}")
    return n


def _check_encoding(name: str | None) -> None:
    """An encoding Python does not know is a usage mistake, found before any file is read."""
    if name is None or name == "auto":
        return
    import codecs

    try:
        codecs.lookup(name)
    except LookupError:
        raise _Usage(
            f"--encoding: unknown encoding {name!r} (e.g. utf-8, big5, gb18030, utf-16, or auto)"
        ) from None


#: the API's keywords in library messages, and the flags that say the same on the command line
_API_WORDS = (
    (lazy_compile(r"pass encoding='([^']+)'"), r"pass --encoding \1"),
    (lazy_compile(r"pass format=(?=$|[;,)])"), "pass --from"),
)


def _cli_words(message: str) -> str:
    """A library message as the command line says it (``encoding='big5'`` → ``--encoding big5``)."""
    for pattern, words in _API_WORDS:
        message = pattern.sub(words, message)
    return message


#: the records of the formats ``weekly`` writes (``archive.BOOK_FORMATS``), known without
#: importing their writers
_BOOK_OPTIONS: tuple[type[Any], ...] = (EpubOptions, PdfOptions, HtmlOptions, EmlOptions)


def _writer_option_types() -> list[type[Any]]:
    """The option records of every registered writer (built-in and plugins), once each.

    The built-in writers' records are known without importing the writers (the PDF writer
    pulls in pikepdf, and every command builds this parser); plugins are asked.
    """
    seen: list[type[Any]] = [TextOptions, JsonOptions, HugoOptions, *_BOOK_OPTIONS]
    for f in registry.formats(load=False):
        if f.can_write and f.origin != "built-in":
            cls = registry.options_type(registry.get_writer(f.name))
            if cls not in seen:
                seen.append(cls)
    return seen


def _add_flags(
    p: argparse.ArgumentParser, records: Sequence[type[Any]], only: set[str] | None = None
) -> None:
    """One flag per option field (the records are the only source of flags); ``only``: just
    the fields of those names.

    Every flag defaults to None, so "given on the command line" is exactly "not None", and a
    flag given for a format that does not read it can be refused instead of dropped.
    """
    for flag, f in cli_fields(records):
        if only is not None and f.name not in only:
            continue
        meta = f.metadata
        kwargs: dict[str, Any] = {"dest": f.name, "default": None, "help": meta.get("help")}
        if f.type in ("bool", "bool | None"):
            kwargs["action"] = "store_true"
        else:
            if meta.get("action"):
                kwargs["action"] = meta["action"]
            if "int" in str(f.type):
                kwargs["type"] = int
            if meta.get("choices"):
                kwargs["choices"] = meta["choices"]
            kwargs["metavar"] = meta.get("metavar")
        p.add_argument(flag, **kwargs)


def _given(args: argparse.Namespace, record: type[Any]) -> dict[str, Any]:
    """The fields of ``record`` given on the command line."""
    out = {}
    for _flag, f in cli_fields([record]):
        value = getattr(args, f.name, None)
        if value is not None:
            out[f.name] = tuple(value) if isinstance(value, list) else value
    return out


def _refuse_unused(args: argparse.Namespace, used: Sequence[type[Any]], fmt: str) -> None:
    """A flag given that none of the records in ``used`` reads is a usage error."""
    taken = {f.name for _, f in cli_fields(used)}
    for flag, f in cli_fields(_writer_option_types()):
        if f.name not in taken and getattr(args, f.name, None) is not None:
            raise _Usage(f"{flag} is not an option of the {fmt} format")


def _weekly(args: argparse.Namespace, out: TextIO) -> int:
    from .archive import BOOK_FORMATS, book_format, iso_week, weekly_result

    _check_profile(args.script)
    _check_encoding(args.encoding)
    if args.week:
        try:
            year, num = iso_week(args.week)
        except DigestkitError as exc:
            raise _Usage(f"--week: {exc}") from None
        args.week = f"{year}-W{num:02d}"  # 2026-W9 is read, and said, as 2026-W09
    if args.no_cache and args.cache_max is not None:
        raise _Usage("--cache-max caps the cache that --no-cache turns off; pass one of them")
    if args.jobs is not None and args.jobs < 1:
        raise _Usage(f"--jobs must be 1 or more, not {args.jobs}")
    fmt = book_format(args.output)
    if fmt not in BOOK_FORMATS:
        raise _Usage(f"weekly writes .epub, .pdf, .html or .eml, not {args.output!r}")
    from .cache import cache_dir

    # the plugin table's scan kept beside the cache; without the cache, nowhere
    registry.keep_scan_in(None if args.no_cache else str(cache_dir()))
    writer_cls = registry.options_type(registry.get_writer(fmt))
    _refuse_unused(args, [writer_cls], fmt)
    given = {**_given(args, WeeklyOptions), **_given(args, ReadOptions), **_given(args, writer_cls)}
    if args.no_cache:
        given["cache"] = False
    result = weekly_result(args.archive, args.output, format=fmt, **given)
    print(f"wrote {result.path}", file=out)
    if result.skipped:
        print(f"digestkit: {len(result.skipped)} file(s) skipped:", file=sys.stderr)
        for line in result.skipped:
            print(f"  {line}", file=sys.stderr)
        return EXIT_SKIPPED
    return 0


def _cache(args: argparse.Namespace, out: TextIO) -> None:
    from .cache import cache_dir, clear, format_size, parse_size, stats

    if args.cache_max is not None:
        try:
            parse_size(args.cache_max)
        except DigestkitError as exc:
            raise _Usage(f"--cache-max: {exc}") from None
    if args.action == "clear":
        removed, freed = clear()
        print(
            f"removed {removed} cache entries ({format_size(freed)}) from {cache_dir()}", file=out
        )
        return
    info = stats(cap=args.cache_max)
    print(f"location: {info.root}", file=out)
    print(f"entries:  {info.entries}", file=out)
    print(f"size:     {format_size(info.size)}", file=out)
    print(f"cap:      {format_size(info.cap)}", file=out)


def _check_profile(profile: str | None) -> None:
    if profile is None:
        return
    from .transforms.converters import UnknownProfileError, check_profile

    try:
        check_profile(profile)
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


def _refuse_contradiction(target: str, to_format: str, extensions: Sequence[str]) -> None:
    """``-o x.epub --to pdf`` would write a PDF named ``x.epub``: a name another writer owns and
    ``--to`` disagree, so neither is guessed right. A name no writer owns (``notes.txt``) is fine.
    """
    suffix = Path(target).suffix.lower()
    if not suffix or suffix in extensions:
        return
    try:
        named = format_for_path(target)
    except UnknownFormatError:
        return
    if named != to_format:
        ext = extensions[0] if extensions else f".{to_format}"
        raise _Usage(f"-o {target} is named for {named} output, but --to {to_format} was given; "
                     f"drop --to, or name the output *{ext}")  # fmt: skip


def _convert(args: argparse.Namespace, out: TextIO) -> None:
    _check_format(args.from_format, write=False)
    _check_format(args.to_format, write=True)
    _check_profile(args.script)
    _check_encoding(args.encoding)
    target = args.output
    to_stdout = target == "-"
    to_dir = not to_stdout and (
        target.endswith(("/", "\\")) or Path(target).is_dir() or len(args.inputs) > 1
    )
    to_format = args.to_format
    if to_format is None:
        if to_dir or to_stdout:
            to_format = "markdown"
        else:
            try:
                to_format = format_for_path(target)
            except UnknownFormatError:
                raise _Usage(f"cannot tell the output format from {Path(target).name!r}; "
                             "pass --to FORMAT") from None  # fmt: skip
    writer = registry.get_writer(to_format)
    if not to_dir and not to_stdout:
        _refuse_contradiction(target, to_format, writer.extensions)
    if to_stdout and len(args.inputs) > 1:
        raise _Usage(f"standard output takes one document, not {len(args.inputs)}; "
                     "pass -o FOLDER/")  # fmt: skip
    if to_stdout and writer.kind != "text":
        raise _Usage(f"standard output takes one document in a text format, and {to_format} "
                     "is not text; pass -o FILE")  # fmt: skip
    writer_cls = registry.options_type(writer)
    _refuse_unused(args, [writer_cls], to_format)
    wgiven = _given(args, writer_cls)
    # Read everything first: a bad input must not leave half the outputs written.
    from . import load_many

    read = build(ReadOptions, _given(args, ReadOptions), owner="reading")
    docs: list[Document] = load_many(args.inputs, args.from_format, jobs=args.jobs, options=read)
    if to_stdout:  # e.g. `--to pandoc-json | pandoc -f json -o x.docx`: the document only
        data = dumps(docs[0], to_format, build(writer_cls, wgiven, owner=f"the {to_format} format"))
        binary = getattr(out, "buffer", None)
        if binary is None:
            out.write(data)
        else:  # UTF-8 whatever the locale says: pandoc and most tools read only UTF-8
            out.flush()
            binary.write(data.encode("utf-8"))
            binary.flush()
        return
    if writer.kind == "tree":
        taken: set[Path] = set()  # one batch never gives two documents the same folder
        for src, doc in zip(args.inputs, docs, strict=True):
            # a page bundle's own images travel with it (resolved under the input's folder)
            names = {f.name for f in fields(writer_cls)}
            extra = {"base_dir": Path(src).parent} if "base_dir" in names else {}
            opts = build(writer_cls, {**wgiven, **extra}, owner=f"the {to_format} format")
            print(f"wrote {writer.write(doc, opts, outdir=target, taken=taken)}", file=out)
        return

    def options_for(src: str) -> Any:
        extra: dict[str, Any] = {}
        if issubclass(writer_cls, BookOptions):
            extra["base_dir"] = Path(src).parent
            if issubclass(writer_cls, PdfOptions) and args.jobs is not None:
                extra["jobs"] = args.jobs
        return build(writer_cls, {**wgiven, **extra}, owner=f"the {to_format} format")

    if not to_dir:
        written = dump(docs[0], target, to_format, options_for(args.inputs[0]))
        print(f"wrote {written}", file=out)
        return
    ext = writer.extensions[0] if writer.extensions else f".{to_format}"
    for doc, src, name in zip(docs, args.inputs, _unique_names(args.inputs, ext), strict=True):
        written = dump(doc, Path(target) / name, to_format, options_for(src))
        print(f"wrote {written}", file=out)


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
    _check_encoding(args.encoding)
    if args.explain:
        from .readers.prose import explain
        from .textio import read_path

        text = read_path(args.input, encoding=args.encoding)
        fmt = args.from_format or registry.detect_format(text, args.input)
        if fmt != "prose":
            raise _Usage(
                f"--explain is for prose input; {args.input} reads as {fmt} (use --from prose)"
            )
        for decision in explain(text, args.input, args.prose_priority or "sentences"):
            out.write(f"{args.input}:{decision}\n")
        return
    doc = load(args.input, args.from_format, **_given(args, ReadOptions))
    if args.json:
        import json

        json.dump(doc.to_dict(), out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        out.write(_summary(doc) + "\n")


def _formats(out: TextIO) -> None:
    rows = formats()
    width = max([24, *(len(" ".join(f.extensions)) for f in rows)])
    for f in rows:
        modes = ("read" if f.can_read else "    ") + (" write" if f.can_write else "")
        print(f"{f.name:<12} {modes:<11} {' '.join(f.extensions):<{width}} {f.origin}", file=out)


def _setup_warnings(quiet: bool) -> None:
    def show(message: Warning | str, category: type[Warning], *_: object, **__: object) -> None:
        if not quiet:
            print(f"digestkit: warning: {message}", file=sys.stderr)

    warnings.showwarning = show
    _configure_logging("ERROR" if quiet else "WARNING")


_LOG_FORMAT = "digestkit: %(levelname)s: %(message)s"


def _configure_logging(level: str) -> None:
    """``logging.basicConfig`` with the command's level and format — now if ``logging`` is
    imported, else the moment anything imports it.

    Why not now in every case: nothing a weekly re-run does logs, and ``import logging`` (with
    ``traceback``, ``linecache``, ``tokenize``, ``textwrap``, ``threading``, ``string``) is
    ~6 ms of its ~0.1 s (issue 26). Whatever imports it later — the PDF writer, WeasyPrint,
    fontTools, a plugin — finds the root logger configured before its first record, as
    before. The first configuration wins, as ``basicConfig`` on a configured root does
    nothing: a second call while one waits changes nothing either."""
    if "logging" in sys.modules:
        import logging

        logging.basicConfig(level=level, format=_LOG_FORMAT)
    elif not any(isinstance(f, _ConfigureLogging) for f in sys.meta_path):
        sys.meta_path.insert(0, _ConfigureLogging(level))


class _ConfigureLogging:
    """A finder on ``sys.meta_path`` that finds nothing itself: when ``logging`` is imported it
    leaves the path, lets the other finders find the module, and configures the root logger
    as soon as the module has run (:func:`_configure_logging`)."""

    def __init__(self, level: str) -> None:
        self.level = level

    def find_spec(
        self, name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name != "logging":
            return None
        sys.meta_path.remove(self)
        import importlib.util

        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            # a loader by its methods (importlib.abc.Loader, a base class only, is not imported)
            spec.loader = _ThenConfigure(spec.loader, self.level)  # type: ignore[assignment]
        return spec


class _ThenConfigure:
    """``logging``'s own loader, then ``basicConfig``; the module keeps its own loader."""

    def __init__(self, loader: Any, level: str) -> None:
        self.loader = loader
        self.level = level

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        made: ModuleType | None = self.loader.create_module(spec)
        return made

    def exec_module(self, module: ModuleType) -> None:
        module.__loader__ = self.loader
        if module.__spec__ is not None:
            module.__spec__.loader = self.loader
        self.loader.exec_module(module)
        module.basicConfig(level=self.level, format=_LOG_FORMAT)


#: The collector's first threshold in the ``digestkit`` command (:func:`run`).
YOUNG_COLLECTION = 25_000


def run() -> int:
    """The ``digestkit`` command (the console script and ``python -m digestkit``): :func:`main`
    on ``sys.argv``, the garbage collector told to leave alone what the process will keep.

    ``gc.freeze()`` before the work moves the modules' objects, which live until exit, out of
    the collector's reach, so the run's full collections do not walk them again; after it, the
    interpreter's collection at exit has nothing left to walk (the process frees its memory
    anyway). Together ~15 ms of a ~0.13 s warm re-run's CPU (issue 26); every output, message
    and exit status is :func:`main`'s. Not in :func:`main` itself, which a program may call
    many times and whose garbage must stay collectable.

    The youngest generation is collected every :data:`YOUNG_COLLECTION` net allocations
    instead of Python's 700: a PDF run imports WeasyPrint and lays out pages, millions of
    objects that live until the layout ends, and at 700 the collector walked them ~250 times
    in a re-run that lays out one chapter (~45–65 ms of its ~1.05 s of CPU, timed with
    ``gc.callbacks``); at 10,000, ~13 times (~17–30 ms); at 25,000, 6 times (~25 ms). And a
    warm EPUB or HTML re-run that renders one digest makes ~11,000 objects, nearly all alive
    until exit (the modules it imports, the chapter): at 10,000 the one collection that walked
    them was ~2–3 ms of its ~0.09 s; at 25,000 there is none. Cyclic garbage waits a little
    longer for its collection, which frees the same objects."""
    import gc

    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION, *gc.get_threshold()[1:])
    status = main()
    gc.freeze()
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    args = _build_parser(_command_of(argv)).parse_args(argv)
    _setup_warnings(args.quiet)
    status = 0
    restore = terminate_by_exception()  # SIGTERM/SIGHUP unwind like SIGINT: no .part is left
    try:
        if args.command == "convert":
            _convert(args, sys.stdout)
        elif args.command == "weekly":
            status = _weekly(args, sys.stdout)
        elif args.command == "inspect":
            _inspect(args, sys.stdout)
        elif args.command == "cache":
            _cache(args, sys.stdout)
        else:
            _formats(sys.stdout)
    except (_Usage, OptionError) as exc:
        print(f"digestkit: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DigestkitError as exc:
        print(f"digestkit: {_cli_words(str(exc))}", file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("digestkit: interrupted", file=sys.stderr)
        return 130
    except Terminated as exc:
        print(f"digestkit: stopped by {exc.name}", file=sys.stderr)
        return 128 + exc.signum
    finally:
        restore()
    return status
