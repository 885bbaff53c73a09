"""CPython's garbage collector, run less often for the length of a build
(:mod:`lenvatinib_review.collection_thresholds`).

Without it the collector took about a sixth of a full build's time. Neither Sphinx nor docutils
has a setting for this, and a build has no single call to wrap: the thresholds are raised when
the extension is set up (before Sphinx loads its pickled environment) and put back when the
build finishes, whether or not it succeeded. A failure while Sphinx sets up (before any build)
ends ``sphinx-build``; a program that creates Sphinx applications itself restores them then.
"""

from __future__ import annotations

from contextlib import ExitStack

from sphinx.application import Sphinx

from ..collection_thresholds import fewer_collections


def register(app: Sphinx) -> None:
    raised = ExitStack()
    raised.enter_context(fewer_collections())
    app.connect("build-finished", lambda app, exception: raised.close())
