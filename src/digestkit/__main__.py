"""``python -m digestkit`` is the ``digestkit`` command."""

from .cli import main

raise SystemExit(main())
