"""CPython's garbage collector, run less often for the length of a build
(:mod:`lenvatinib_review.collection_thresholds`).

Without it the collector took about a sixth of a full build's time. Neither Sphinx nor docutils
has a setting for this, and a build has no single call to wrap: the thresholds are raised when
the extension is set up (before Sphinx loads its pickled environment) and put back when the
build finishes, whether or not it succeeded.
"""

from __future__ import annotations

import gc

from sphinx.application import Sphinx

from ..collection_thresholds import FEWER_COLLECTIONS


def register(app: Sphinx) -> None:
    previous = gc.get_threshold()
    gc.set_threshold(*FEWER_COLLECTIONS)

    def restore(app: Sphinx, exception: Exception | None) -> None:
        gc.set_threshold(*previous)

    app.connect("build-finished", restore)
