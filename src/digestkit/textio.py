"""Bytes in, text out: decoding, byte order marks and line endings, safely.

UTF-8 is assumed. Bytes that are not UTF-8 are never silently replaced: the error names the
file and the position of the first bad byte, and suggests the legacy Chinese encoding
(GB18030 or Big5) that decodes the whole file, which the caller can then pass explicitly
(``encoding="gb18030"``) or let digestkit pick (``encoding="auto"``, with a warning).

Writing goes through :func:`atomic_write`: a temporary file next to the target, renamed over it
only when complete, so a failure never leaves a partial file or clobbers an existing one.
"""

from __future__ import annotations

import functools
import os
import stat
import unicodedata
import warnings
from pathlib import Path

from .contexts import suppress
from .errors import OutputError, ParseError

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from typing import IO

__all__ = [
    "MAX_SIZE",
    "SINGLE_BYTE",
    "atomic_write",
    "check_size",
    "clear_encoding",
    "decode",
    "plausibility",
    "rank_encodings",
    "read_bytes",
    "read_path",
]

#: The largest document read unless ``max_size``/``--max-size`` says otherwise: 16 MiB.
MAX_SIZE = 16 * 1024 * 1024


def _size(n: int) -> str:
    """``16 MiB``, ``4.8 KiB``, ``900 bytes``: binary units, since the limit is in them."""
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


def check_size(size: int, path: str | None, limit: int | None) -> None:
    """Refuse a document of ``size`` bytes over ``limit`` (None: :data:`MAX_SIZE`; 0: none).

    One rule for ``convert`` and ``weekly`` alike (issue 25: the weekly job read a 17.6 MB file
    into a 643 MB process), said in the unit the limit is in.
    """
    limit = MAX_SIZE if limit is None else limit
    if limit and size > limit:
        raise ParseError(
            f"{_size(size)} is over the {_size(limit)} limit for one document "
            "(split it, or raise the limit with max_size= / --max-size)",
            path=path,
        )


#: Legacy encodings tried when bytes are not UTF-8, in the order a tie is broken.
_LEGACY = ("gb18030", "big5", "big5hkscs", "utf-16-le", "utf-16-be")
#: Single-byte codecs a page that declares no charset may be in (the set browsers guess among),
#: after ``_LEGACY`` for ties: Western, Central European, Cyrillic, Greek, Hebrew, Arabic, Thai.
SINGLE_BYTE = ("cp1252", "cp1250", "iso8859_2", "cp1251", "koi8_r", "iso8859_5", "cp866",
               "cp1253", "iso8859_7", "cp1255", "cp1256", "iso8859_6", "cp874")  # fmt: skip
_SAMPLE = 20_000  # characters scored per candidate: enough to separate codecs, bounded cost


@functools.cache
def _common_han() -> frozenset[str]:
    """The everyday Han characters of both scripts: GB2312's 6,763 and Big5's 5,401 level-1.

    Text decoded with the right codec is almost all everyday characters; Big5 bytes read as
    GB18030 (or the reverse) land on rare ones — GB18030 assigns a character to every byte pair,
    so "it decodes" says nothing, but "it decodes to common characters" does. Built from the
    codecs themselves, so no frequency table has to be shipped or tuned.
    """
    chars: set[str] = set()
    for lead in range(0xB0, 0xF8):  # GB2312 levels 1 and 2 (hanzi only)
        for trail in range(0xA1, 0xFF):
            with suppress(UnicodeDecodeError):
                chars.add(bytes((lead, trail)).decode("gb2312"))
    for lead in range(0xA4, 0xC7):  # Big5 level 1 (frequent hanzi): A440–C67E
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            if (lead, trail) > (0xC6, 0x7E):
                break
            with suppress(UnicodeDecodeError):
                chars.add(bytes((lead, trail)).decode("big5"))
    return frozenset(chars)


#: Latin-1 punctuation that real text uses; the other Latin-1 symbols (¤ ¦ ¨ ± µ ¶ …) are what
#: multi-byte text read as a single-byte codec turns into.
_LATIN1_PUNCT = frozenset("\u00a0\u00ab\u00bb\u00a1\u00bf\u00b7\u00b0\u00a9\u00ae\u00a7\u00a3")


#: The ten or so most frequent letters of the alphabets single-byte codecs carry (55–70 % of the
#: letters of real prose; a codec that maps another script's bytes onto the alphabet hits them
#: at about chance, 25–35 %): how the right codec beats another one of the same script.
_FREQUENT = frozenset(
    "оеаинтсрвлі"  # Cyrillic (Russian, Ukrainian, Bulgarian, Serbian)
    "αοειτνσςηυ"  # Greek
    "יוהלמארבתשנ"  # Hebrew
    "اليمونهرتبع"  # Arabic
    "นารกมยองเดท\u0e31\u0e48\u0e49\u0e35\u0e34"  # Thai, with its frequent vowel and tone marks
)


@functools.cache
def _script(ch: str) -> str:
    """The script a letter is written in, by its Unicode name (hiragana and katakana: ``KANA``)."""
    word = unicodedata.name(ch, "?").split(" ", 1)[0]
    return "KANA" if word.startswith(("HIRAGANA", "KATAKANA")) else word


_ALPHABETS = frozenset(("CYRILLIC", "GREEK", "HEBREW", "ARABIC", "THAI"))
#: Scripts whose words a space separates from Latin ones (Thai and Japanese write ``iPhoneรุ่น``,
#: ``GitHubで``).
_SPACED = frozenset(("CYRILLIC", "GREEK", "HEBREW", "ARABIC"))


def _ascii_letter(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isascii() and text[i].isalpha()


def _same_script(text: str, i: int, ch: str) -> bool:
    return 0 <= i < len(text) and not text[i].isascii() and _script(text[i]) == _script(ch)


def plausibility(text: str) -> float:
    """How much ``text`` looks like real writing (0–1): real letters of one script, no junk.

    Counting 1: printable ASCII, everyday Han, CJK and general punctuation, full-width forms,
    Latin-1 punctuation; Latin letters beyond ASCII in words at most half made of them
    (``für``, ``příliš``; a word like ``Ïðàâèòåëüñòâî`` is Cyrillic read as windows-1252 and
    counts -1); letters, digits and punctuation of a script that makes ≥ 40 % of the text's
    non-ASCII letters (an Arabic, Thai, Devanagari, Cyrillic or Japanese page: kana are 58–81 %
    of Japanese letters), except an uppercase letter inside a word (KOI8-R read as windows-1251
    or the reverse), a letter alone between non-letters (``Ј825``), and a Cyrillic, Greek,
    Hebrew or Arabic letter touching a Latin one (Czech read as windows-1251: -1). A Cyrillic,
    Greek, Hebrew, Arabic or Thai letter counts by how near its text's share of the alphabet's
    frequent letters (:data:`_FREQUENT`) comes to real prose's, so a codec mapping Hebrew bytes
    onto Greek letters loses to the right one.

    Counting -1: control characters, unassigned and private-use code points (UTF-16 read with
    the wrong byte order, NULs of UTF-16 read as a byte codec).

    Anything else — rare Han, the Hangul and scattered scripts that 2-byte codec text turns into
    when read as UTF-16, other Latin-1 symbols (``¤ ¦ ±``: Big5 read as windows-1252), short
    words — is no evidence either way. (Measured: ``benchmarks/encodings.py``, docs/formats.md.)
    """
    common = _common_han()
    sample = text[:_SAMPLE]
    scripts: dict[str, int] = {}
    letters = 0
    for ch in sample:
        if (
            ch.isalpha()
            and ord(ch) > 0x24F
            and not 0x1E00 <= ord(ch) <= 0x1EFF
            and ch not in common
        ):
            script = _script(ch)
            scripts[script] = scripts.get(script, 0) + 1
        if ord(ch) > 0x7F and (ch.isalpha() or unicodedata.category(ch)[0] == "M"):
            letters += 1
    own = {k for k, n in scripts.items() if n >= 0.4 * letters and k not in ("CJK", "HANGUL")}
    # The right codec's letters are mostly the frequent ones (55–70 %): a letter of an alphabet
    # counts by how near its text comes to that (another script's bytes: 25–45 %).
    weight = dict.fromkeys(own, 1.0)
    for script in own & _ALPHABETS:
        mine = [c for c in sample if c.isalpha() and _script(c) == script]
        weight[script] = min(1.0, sum(c.lower() in _FREQUENT for c in mine) / (0.55 * len(mine)))
    good: float = 0
    bad = 0
    word_start = 0
    foreign = 0  # non-ASCII Latin letters in the current word
    for i, ch in enumerate(sample):
        o = ord(ch)
        if o < 0x80:
            if 0x20 <= o < 0x7F or ch in "\n\r\t":
                good += 1
            else:
                bad += 1
            if not ch.isalpha():
                word_start, foreign = i + 1, 0
            continue
        if ch in common or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or 0x2000 <= o <= 0x206F:
            good += 1
            word_start, foreign = i + 1, 0
        elif (o <= 0x24F or 0x1E00 <= o <= 0x1EFF) and ch.isalpha():  # Latin, with ṣ ṇ ạ ế
            foreign += 1
            end = i + 1
            while end < len(sample) and sample[end].isalpha() and end - i < 40:
                end += 1
            length = end - word_start
            if length > 2:
                rest = sum(1 for c in sample[i + 1 : end] if ord(c) > 0x7F)
                good, bad = (good + 1, bad) if 2 * (foreign + rest) <= length else (good, bad + 1)
        elif o <= 0x24F:
            good += ch in _LATIN1_PUNCT
            bad += o < 0xA0  # C1 controls
            word_start, foreign = i + 1, 0
        elif unicodedata.category(ch) in ("Cn", "Co", "Cs"):
            bad += 1
            word_start, foreign = i + 1, 0
        elif (ch.isalpha() or unicodedata.category(ch)[0] == "M") and _script(ch) in own:
            if _script(ch) in _SPACED and (
                _ascii_letter(sample, i - 1) or _ascii_letter(sample, i + 1)
            ):  # one word, two scripts: Central European letters read as Cyrillic
                bad += 1
            elif not (ch.isupper() and i > word_start and sample[i - 1].isalpha()) and (
                _script(ch) not in _ALPHABETS
                or _same_script(sample, i - 1, ch)
                or _same_script(sample, i + 1, ch)
            ):  # a lone letter (``Ј825``: ``£825`` read as windows-1251) is no evidence
                good += weight[_script(ch)]
        elif not ch.isalpha():
            good += _script(ch) in own  # the script's own digits and punctuation (१ ।)
            word_start, foreign = i + 1, 0
    return (good - bad) / len(sample) if sample else 0.0


def rank_encodings(data: bytes, *, also: tuple[str, ...] = ()) -> list[tuple[str, float]]:
    """Legacy encodings that decode ``data`` strictly, best first, with their plausibility.

    ``also`` adds candidates after the Chinese ones (the HTML reader adds :data:`SINGLE_BYTE`).

    A byte order mark settles UTF-16 or UTF-32 at once (UTF-32's before UTF-16's, which its
    little-endian mark begins with). Otherwise every candidate that decodes without
    error is scored by :func:`plausibility` on what it decoded to; ties keep ``_LEGACY``
    order. (Measured on real files: ``benchmarks/encodings.py``; docs/formats.md.)
    """
    for bom, enc in _BOMS:  # UTF-32 LE's mark (FF FE 00 00) begins with UTF-16 LE's: it first
        if data.startswith(bom):
            try:
                data[len(bom) :].decode(enc)
            except UnicodeDecodeError:
                continue
            return [(enc, 1.0)]
    found: list[tuple[str, float]] = []
    seen: set[str] = set()
    for enc in (*_LEGACY, *also):
        if enc.startswith("utf-16") and len(data) % 2:
            continue
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if text in seen:  # big5hkscs agrees with big5 on plain Big5 text: report big5
            continue
        seen.add(text)
        found.append((enc, plausibility(text)))
    found.sort(key=lambda c: -c[1])
    return found


_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
#: What "the bytes say so clearly" means for :func:`clear_encoding`: the right codec scores about
#: 1 and a wrong one about 0 (docs/formats.md), so a best candidate this plausible and this far
#: ahead of the next is no guess.
CLEAR_SCORE, CLEAR_MARGIN = 0.8, 0.3


def clear_encoding(data: bytes) -> str | None:
    """The legacy encoding ``data`` is in when the bytes say so clearly, else None.

    Clearly: a byte order mark, or a best candidate of :func:`rank_encodings` scoring at least
    :data:`CLEAR_SCORE` with the next one at least :data:`CLEAR_MARGIN` below it. The weekly job
    reads such a file (a Big5 ``.md`` among UTF-8 ones) with a warning, and stops at any other.
    """
    ranked = rank_encodings(data)
    if not ranked or ranked[0][1] < CLEAR_SCORE:
        return None
    if len(ranked) > 1 and ranked[1][1] > ranked[0][1] - CLEAR_MARGIN:
        return None
    return ranked[0][0]


def _legacy_candidates(data: bytes) -> list[str]:
    """Plausible legacy encodings (score above zero), best first."""
    return [enc for enc, score in rank_encodings(data) if score > 0]


def decode(data: bytes, *, path: str | None = None, encoding: str | None = None) -> str:
    """Decode ``data`` to text with ``\\n`` line endings and no byte order mark."""
    if encoding in (None, "auto", "utf-8", "utf8"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            candidates = _legacy_candidates(data)
            if encoding == "auto" and candidates:
                warnings.warn(
                    f"{path or '<bytes>'}: not UTF-8, decoded as {candidates[0]}",
                    stacklevel=2,
                )
                text = data.decode(candidates[0])
                if text.startswith("\ufeff"):
                    text = text[1:]
            else:
                line = data.count(b"\n", 0, exc.start) + 1
                col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
                hint = (
                    f"; it decodes as {' and '.join(candidates)}: pass encoding={candidates[0]!r}"
                    if candidates
                    else ""
                )
                raise ParseError(
                    f"not valid UTF-8 (byte 0x{data[exc.start]:02x}){hint}",
                    path=path,
                    line=line,
                    column=col,
                ) from None
    else:
        try:
            text = data.decode(encoding).removeprefix("\ufeff")
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(f"cannot decode as {encoding}: {exc}", path=path) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """A file's bytes; a missing or unreadable file is a :class:`ParseError` naming it."""
    p = Path(path)
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise ParseError("no such file", path=str(p)) from None
    except IsADirectoryError:
        raise ParseError("is a folder, not a file", path=str(p)) from None
    except OSError as exc:
        raise ParseError(f"cannot read: {exc.strerror}", path=str(p)) from None


def read_path(path: str | os.PathLike[str], *, encoding: str | None = None) -> str:
    """Read and decode a file; a missing or unreadable file is a :class:`ParseError`."""
    return decode(read_bytes(path), path=str(path), encoding=encoding)


def _create_beside(target: Path) -> tuple[int, Path]:
    """Create a new, empty temporary file beside ``target``, with the mode the file should get.

    Not ``tempfile.mkstemp``: it creates files with mode 0600 whatever the umask, so every book
    and page came out readable by its owner only. ``os.open(..., 0o666)`` lets the kernel apply
    the umask, as any program writing a file does; a file being replaced keeps its own mode.
    """
    try:
        keep: int | None = stat.S_IMODE(target.stat().st_mode)
    except OSError:
        keep = None
    for _ in range(100):
        # os.urandom is what secrets.token_hex draws from; importing secrets (with hmac and
        # base64) cost ~0.5 ms of every run
        tmp = target.with_name(f".{target.name}.{os.urandom(6).hex()}.part")
        try:
            fd = os.open(
                tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666
            )
        except FileExistsError:
            continue
        if keep is not None:
            with suppress(OSError):  # e.g. a file system without modes
                os.fchmod(fd, keep)
        return fd, tmp
    raise FileExistsError(f"no free temporary name beside {target}")


class atomic_write:
    """Open a temporary file beside ``path``; rename it over ``path`` only on success.

    The file gets the mode any new file gets (``0o666`` less the umask) or, when it replaces
    one, that file's mode. Its bytes are flushed to disk (``fsync``) before the rename, so a
    crash leaves the old file or the new one, never an empty one. A class rather than a
    ``contextlib.contextmanager`` generator: :mod:`contextlib` is otherwise not imported by a
    re-run of the HTML page (~0.5 ms, issue 26); the same steps, in the same order.
    """

    __slots__ = ("_fh", "_mode", "_target", "_tmp")

    def __init__(self, path: str | os.PathLike[str], mode: str = "wb") -> None:
        self._target = Path(path)
        self._mode = mode

    def __enter__(self) -> IO[bytes]:
        target = self._target
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, self._tmp = _create_beside(target)
        except OSError as exc:
            raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None
        try:
            self._fh: IO[bytes] = os.fdopen(fd, self._mode)
        except BaseException:
            self._discard()
            raise
        return self._fh

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        try:
            try:
                if kind is None:
                    self._fh.flush()
                    os.fsync(self._fh.fileno())
            finally:
                self._fh.close()
            if kind is None:
                self._tmp.replace(self._target)
        except BaseException:
            self._discard()
            raise
        if kind is not None:  # the block failed: its exception goes on, the file goes
            self._discard()
            return
        _sync_dir(self._target.parent)

    def _discard(self) -> None:
        with suppress(OSError):
            self._tmp.unlink()


def _sync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX: fsync the folder); best effort elsewhere."""
    try:
        dfd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with suppress(OSError):
            os.fsync(dfd)
    finally:
        os.close(dfd)
