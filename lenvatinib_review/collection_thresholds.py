"""CPython's garbage collector, run less often while the book is built or printed.

A build holds every page's doctree and the printing every box of the PDF's layout: millions of
small objects, most of them alive until the end. At CPython's default thresholds (a collection
every 700 new objects, a full one every hundred of those) the cyclic collector walks them over
and over; with these it still runs, less often (``tools/benchmark.py`` measures the builds).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# A collection every 50,000 new objects, a full one every hundred of those.
FEWER_COLLECTIONS = (50_000, 10, 10)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the body with FEWER_COLLECTIONS, then put back the thresholds it found."""
    previous = gc.get_threshold()
    gc.set_threshold(*FEWER_COLLECTIONS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
