"""Reader ``json``: digestkit's own AST as JSON (``Document.to_dict()``), for tools and fixtures."""

from __future__ import annotations

from ..ast import Document
from ..errors import ParseError

__all__ = ["READER", "JsonReader"]


class JsonReader:
    """The tagged ``{"t": "Document", ...}`` form written by the ``json`` writer."""

    name = "json"
    description = "digestkit AST as JSON (lossless)"
    extensions = (".json",)

    def sniff(self, text: str, path: str | None) -> float:
        """Sure when the text opens as a tagged Document object."""
        head = text[:200].replace(" ", "").replace("\n", "")
        return 1.0 if head.startswith('{"t":"Document"') else 0.0

    def read(self, text: str, *, path: str | None = None) -> Document:
        """Parse the JSON and rebuild the Document; malformed data is a ParseError.

        ``json`` is imported here: every Markdown file's format is sniffed by asking this
        reader too, and a weekly re-run has no other use for ``json`` (~1.4 ms, issue 26)."""
        import json

        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ParseError(
                f"JSON: {exc.msg}", path=path, line=exc.lineno, column=exc.colno
            ) from None
        try:
            return Document.from_dict(data)
        except (ValueError, TypeError, KeyError) as exc:
            raise ParseError(f"not a digestkit document: {exc}", path=path) from None


READER = JsonReader()
