"""The garbage collector runs less often during a build or the printing, and as before once it is over."""

from __future__ import annotations

import gc
from io import StringIO

import pytest
from sphinx.testing.util import SphinxTestApp

from lenvatinib_review.collection_thresholds import FEWER_COLLECTIONS, fewer_collections

from conftest import write_sphinx_page

CPYTHON_DEFAULTS = (700, 10, 10)


@pytest.mark.parametrize(
    ("page", "fails"), [("# A page\n\nA paragraph.\n", False), ("# A page\n\n{cite:p}`no-such-key`\n", True)]
)
def test_the_thresholds_are_raised_for_a_build_and_restored_after_it_even_a_failed_one(project_copy, page, fails):
    before = gc.get_threshold()
    gc.set_threshold(*CPYTHON_DEFAULTS)  # whatever an earlier test left
    write_sphinx_page(project_copy, page)
    app = SphinxTestApp(
        "html", srcdir=project_copy, builddir=project_copy / "_build", status=StringIO(), warning=StringIO(),
        warningiserror=True,
    )  # fmt: skip
    try:
        assert gc.get_threshold() == FEWER_COLLECTIONS
        failed = False
        try:
            app.build()
        except Exception:  # the unknown key: a warning, an error under -W
            failed = True
        assert failed == fails
        assert gc.get_threshold() == CPYTHON_DEFAULTS
    finally:
        app.cleanup()
        gc.set_threshold(*before)


def test_fewer_collections_puts_the_thresholds_back_after_a_failure_too():
    before = gc.get_threshold()
    gc.set_threshold(*CPYTHON_DEFAULTS)
    try:
        with pytest.raises(RuntimeError), fewer_collections():
            assert gc.get_threshold() == FEWER_COLLECTIONS
            raise RuntimeError("a failed printing")
        assert gc.get_threshold() == CPYTHON_DEFAULTS
    finally:
        gc.set_threshold(*before)
