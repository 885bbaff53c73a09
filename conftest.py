"""How the suite is shared among processes (pytest-xdist, ``-n auto`` in pyproject.toml), and how often
they collect their garbage.

Here, at the root, so that it also covers the notebooks under ``book/``; the fixtures are in
``tests/conftest.py``, where the site is built and the PDF printed once a run, whichever process
asks first. The tests that share an expensive setup run in one process: a notebook's cells (one
kernel), the tests of the PDF. The processes take the work in the order :func:`scheduling_order`
gives.

pytest-xdist's own ``--dist loadgroup`` renames each grouped test through an attribute that
pytest 9 no longer reads, so its groups are lost; the groups are given here instead through
its scheduler hook, ``pytest_xdist_make_scheduler``, as a ``LoadScopeScheduling`` whose scope
is the group.
"""

from __future__ import annotations

import gc
import os

import pytest

# The processes keep large trees for the whole run (every built page parsed, the document the PDF is
# printed from), which each collection of CPython's cyclic garbage collector walks again: about 45 s of
# the processes' time in one run at CPython's default thresholds (700, 10, 10), about 23 s at these.
TEST_PROCESS_COLLECTIONS = (20_000, 10, 10)


def pytest_configure(config: pytest.Config) -> None:
    gc.set_threshold(*TEST_PROCESS_COLLECTIONS)


# What needs the built site: the tests that use one of these fixtures.
SITE_FIXTURES = {"built_site", "site_url", "book_pdf"}
# Test modules whose tests run in one process, as one unit of work, by the module's name.
MODULE_GROUPS = {"tests/test_pdf.py": "pdf"}


def work_group(nodeid: str) -> str:
    """The unit of work a test belongs to: a notebook, one of MODULE_GROUPS, or the test alone."""
    path = nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        return path
    return MODULE_GROUPS.get(path, nodeid)


# The longest unit that needs the site, a build of its own: taken first among them, so that it is not
# left to run alone at the end.
LONGEST_SITE_UNIT = "tests/test_site_quality.py::test_the_wheel_builds_the_same_site_elsewhere_under_another_hash_seed"


def scheduling_order(item: pytest.Item) -> int:
    """The PDF's tests first (their process builds the site, then prints it), then what needs no site
    (the other processes run it meanwhile), then the longest unit that needs it, then the rest."""
    if work_group(item.nodeid) == "pdf":
        return 0
    fixtures = getattr(item, "fixturenames", [])  # a notebook's cell (nbval) has none
    if SITE_FIXTURES.isdisjoint(fixtures):
        return 1
    return 2 if work_group(item.nodeid) == LONGEST_SITE_UNIT else 3


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hooks: without it (-p no:xdist) they are never called
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """One process more than there are cores (``-n auto``): a process often waits, for a build or a
    browser in another process, or for the site another process is building."""
    return (os.cpu_count() or 1) + 1


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=scheduling_order)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    from xdist.scheduler import LoadScopeScheduling

    class WorkGroupScheduling(LoadScopeScheduling):
        """Whole work groups to each process, in the order of the collection (``--no-loadscope-reorder``)."""

        def _split_scope(self, nodeid: str) -> str:
            return work_group(nodeid)

    return WorkGroupScheduling(config, log)
