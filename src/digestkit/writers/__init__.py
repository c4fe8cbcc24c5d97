"""Built-in writers, one module per format. Each module exposes ``WRITER``."""
