"""The one transform pipeline: what :class:`~digestkit.options.ReadOptions` asks for, in order.

Every job (``load``, ``load_many``, ``convert``, the weekly book) converts documents through this
function, so an option can never be honoured by one path and dropped by another (the weekly job
once dropped ``--spacing``). Order: repair of conversion damage (it must see the text as the
converter left it), script conversion (punctuation rules depend on the script), punctuation.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see _records)
if TYPE_CHECKING:
    from ..ast import Document
    from ..options import ReadOptions

__all__ = ["apply", "signature"]


def apply(doc: Document, options: ReadOptions) -> Document:
    """``doc`` with every transform ``options`` asks for applied."""
    if options.repair_script:
        from .repair import repair_script

        doc = repair_script(doc)
    if options.script:
        from .script import convert_script

        doc = convert_script(doc, options.script)
    if options.punctuation or options.spacing or options.corner_quotes:
        from .punctuation import fix_punctuation

        doc = fix_punctuation(doc, spacing=options.spacing, corner_quotes=options.corner_quotes)
    return doc


def signature(options: ReadOptions) -> str:
    """A short text naming the transforms, for cache keys of transformed output."""
    return (
        f"repair={options.repair_script} script={options.script} punct={options.punctuation} spacing={options.spacing} "
        f"corner={options.corner_quotes}"
    )
