"""Writer ``json``: the AST as tagged JSON, lossless (``Document.to_dict()``)."""

from __future__ import annotations

import json

from ..ast import Document
from ..options import JsonOptions

__all__ = ["WRITER", "JsonWriter"]


class JsonWriter:
    """Pretty-printed, UTF-8 (Chinese stays readable), keys in model order."""

    name = "json"
    description = "digestkit AST as JSON (lossless)"
    extensions = (".json",)
    kind = "text"
    options_type = JsonOptions

    def write(self, doc: Document, options: JsonOptions | None = None) -> str:
        """Render ``doc`` as JSON text with a final newline."""
        indent = (options or JsonOptions()).indent
        return json.dumps(doc.to_dict(), ensure_ascii=False, indent=indent) + "\n"


WRITER = JsonWriter()
