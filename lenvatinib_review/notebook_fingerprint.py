"""Print the fingerprint of everything the book's executed notebooks depend on, for the book in the working
directory: CI names its cache of executed notebooks after it (``.github/workflows/book.yml``)."""

from __future__ import annotations

from pathlib import Path

from .sphinxext.notebook_cache import execution_fingerprint

if __name__ == "__main__":
    print(execution_fingerprint(Path.cwd()))
