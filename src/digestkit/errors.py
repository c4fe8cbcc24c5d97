"""The exceptions digestkit raises on purpose.

Everything a user can cause (bad input, an unknown format, a missing optional tool) is a
:class:`DigestkitError`, so callers and the CLI can catch one type and print one line. Anything
else escaping the library is a bug.
"""

from __future__ import annotations

__all__ = [
    "DigestkitError",
    "MissingDependencyError",
    "OutputError",
    "ParseError",
    "UnknownFormatError",
    "UnsafePathError",
]


class DigestkitError(Exception):
    """Base class of every error digestkit raises deliberately."""


class ParseError(DigestkitError, ValueError):
    """Input that cannot be read, with the position of the problem.

    ``line`` and ``column`` are 1-based and count in the original file (front matter
    fences and a byte order mark included), so editors can jump straight to them.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path or "<string>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"

    def __reduce__(self) -> tuple[object, ...]:
        # keep path/line/column when the error crosses a process pool
        return (_parse_error, (self.message, self.path, self.line, self.column))

    def with_path(self, path: str) -> ParseError:
        """The same error, naming ``path`` (readers often only learn the path late)."""
        return ParseError(self.message, path=path, line=self.line, column=self.column)


def _parse_error(
    message: str, path: str | None, line: int | None, column: int | None
) -> ParseError:
    return ParseError(message, path=path, line=line, column=column)


class UnknownFormatError(DigestkitError, LookupError):
    """A format name nobody registered, or input whose format cannot be told."""


class MissingDependencyError(DigestkitError, ImportError):
    """An optional library or external program is missing; the message says how to install it."""


class UnsafePathError(DigestkitError, ValueError):
    """A path that would leave the output (or input) folder."""


class OutputError(DigestkitError, OSError):
    """The output could not be written; nothing partial was left behind."""
