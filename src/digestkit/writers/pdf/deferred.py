"""WeasyPrint imported without the fontTools modules a PDF of digestkit's never runs.

WeasyPrint's PDF font module imports ``fontTools.subset`` and
``fontTools.varLib.instancer`` at its top, with fontTools' OpenType table classes under them:
~0.11 s of every process that lays out a PDF (a warm re-run after one edit takes ~1 s, so a
tenth of it). WeasyPrint calls them only to subset a font when HarfBuzz's own subsetter is
missing or older than 4.1, and to pin a variable font's axes; everything else goes through
HarfBuzz. So, for the duration of ``import weasyprint`` only, those two module names are
stand-ins: one that imports the real module the first time any name in it is used, and for
the instancer a function that does so when called (WeasyPrint imports that name, and a
``from … import`` reads it at once). The stand-ins leave ``sys.modules`` when the import is
over, so any later ``import fontTools.subset`` — a plugin's, fontTools' own — loads the real
module as usual; whatever reached WeasyPrint through a stand-in then lands on that same
module. A name the stand-in does not know (a future WeasyPrint's) is the real module's, at
the price of loading it.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["DEFERRED", "fonttools_deferred"]

#: module → the names WeasyPrint takes from it with ``from … import`` (made callables that load
#: the module when called); ``fontTools.subset`` itself is imported as a module
DEFERRED: dict[str, tuple[str, ...]] = {
    "fontTools.subset": (),
    "fontTools.varLib.instancer": ("instantiateVariableFont",),
}


def _real(name: str) -> types.ModuleType:
    """The real module, imported now (its stand-in, if still registered, taken out first)."""
    if isinstance(sys.modules.get(name), _StandIn):
        del sys.modules[name]
    return importlib.import_module(name)


class _StandIn(types.ModuleType):
    """A module whose names are the real module's, which it imports on the first one asked."""

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):  # the import system's probes (``__path__`` …) load nothing
            raise AttributeError(attr)
        return getattr(_real(self.__name__), attr)


def _deferred_call(module: str, attr: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(_real(module), attr)(*args, **kwargs)

    call.__name__ = call.__qualname__ = attr
    call.__doc__ = f"{module}.{attr}, imported when first called"
    return call


@contextmanager
def fonttools_deferred() -> Iterator[None]:
    """Stand-ins for :data:`DEFERRED`'s modules while the body runs (those not yet loaded)."""
    placed: dict[str, _StandIn] = {}
    for name, attrs in DEFERRED.items():
        if name in sys.modules:
            continue
        stand_in = _StandIn(name, f"{name}, imported when first used")
        for attr in attrs:
            setattr(stand_in, attr, _deferred_call(name, attr))
        placed[name] = sys.modules[name] = stand_in
    try:
        yield
    finally:
        for name, stand_in in placed.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]
