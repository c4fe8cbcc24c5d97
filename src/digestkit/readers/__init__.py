"""Built-in readers, one module per format. Each module exposes ``READER``."""
