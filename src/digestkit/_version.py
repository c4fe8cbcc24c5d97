"""The package version, in a module of its own that imports nothing.

The cache keys, the provenance mark and the PDF layout cache name the version; they import it
from here, never from the :mod:`digestkit` facade (which imports them back).
"""

__version__ = "0.1.0"
