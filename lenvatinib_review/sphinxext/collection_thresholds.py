"""CPython's garbage collector, run less often for the length of a build.

A build holds every page's doctree: millions of small docutils objects, most of them alive until
the end. At CPython's default threshold (a collection every 700 new objects, a full one every
hundred of those) the cyclic collector walks them over and over: about a sixth of a full build's
time, as measured with ``tools/benchmark.py``. Neither Sphinx nor docutils has a setting for
this; the thresholds are raised when the extension is set up (before Sphinx loads its pickled
environment) and put back when the build finishes, whether or not it succeeded.
"""

from __future__ import annotations

import gc

from sphinx.application import Sphinx

# A collection every 50,000 new objects, a full one every hundred of those.
BUILD_THRESHOLDS = (50_000, 10, 10)


def register(app: Sphinx) -> None:
    previous = gc.get_threshold()
    gc.set_threshold(*BUILD_THRESHOLDS)

    def restore(app: Sphinx, exception: Exception | None) -> None:
        gc.set_threshold(*previous)

    app.connect("build-finished", restore)
