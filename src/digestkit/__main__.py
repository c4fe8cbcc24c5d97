"""``python -m digestkit`` is the ``digestkit`` command."""

from .cli import run

raise SystemExit(run())
