"""What a reader or writer plugin provides, as protocols (:mod:`digestkit.registry` names them).

Here, not in the registry itself, because protocols and ``Literal`` need ``typing``: the
registry is imported by every command, and a weekly re-run otherwise imports no ``typing``
(~2 ms of its start-up, issue 26). ``digestkit.registry.Reader`` and the others still work: the
registry imports this module the first time one of them is asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

if TYPE_CHECKING:
    from .ast import Document

__all__ = ["Reader", "ReaderKind", "Writer", "WriterKind"]

WriterKind = Literal["text", "binary", "tree"]
ReaderKind = Literal["text", "bytes"]


@runtime_checkable
class Reader(Protocol):
    """What a reader plugin provides.

    ``kind`` (default ``"text"`` when a plugin does not say) tells :func:`digestkit.load` what
    ``sniff`` and ``read`` receive: decoded text (BOM removed, ``\\n`` line endings) for a text
    reader, the file's bytes for a bytes reader.
    """

    name: str
    extensions: tuple[str, ...]

    def sniff(self, data: Any, path: str | None) -> float:
        """How sure (0.0–1.0) this reader is that it should read ``data``."""
        ...

    def read(self, data: Any, *, path: str | None = None) -> Document:
        """Parse ``data`` into a Document."""
        ...


@runtime_checkable
class Writer(Protocol):
    """What a writer plugin provides.

    ``kind`` tells callers what ``write`` returns: ``"text"`` a ``str``, ``"binary"`` ``bytes``,
    ``"tree"`` writes a folder itself (``write(doc, outdir=..., **options)``).
    """

    name: str
    extensions: tuple[str, ...]
    kind: WriterKind

    def write(self, doc: Document, options: Any, /, **target: Any) -> Any:
        """Render ``doc`` with ``options``, an instance of the writer's ``options_type``.

        Tree writers also get ``outdir=`` (and ``taken=``, the folders a batch already used).
        """
        ...
