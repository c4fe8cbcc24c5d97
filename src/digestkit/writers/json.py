"""Writer ``json``: the AST as tagged JSON, lossless (``Document.to_dict()``)."""

from __future__ import annotations

import json
from typing import Any

from ..ast import Document

__all__ = ["WRITER", "JsonWriter"]


class JsonWriter:
    """Pretty-printed, UTF-8 (Chinese stays readable), keys in model order."""

    name = "json"
    description = "digestkit AST as JSON (lossless)"
    extensions = (".json",)
    kind = "text"

    def write(self, doc: Document, **options: Any) -> str:
        """Render ``doc`` as JSON text with a final newline."""
        indent = options.get("indent", 2)
        return json.dumps(doc.to_dict(), ensure_ascii=False, indent=indent) + "\n"


WRITER = JsonWriter()
