"""Numbered references read each target page once per build, and resolve as Sphinx's own resolver does."""

from __future__ import annotations

from io import StringIO

import pytest
from sphinx.environment import BuildEnvironment
from sphinx.testing.util import SphinxTestApp

from lenvatinib_review.sphinxext import numref_targets

REFERENCES = 5
TABLE_PAGE = """Tables
======

.. _tbl-doses:

.. table:: Doses

   ===  ====
   a    b
   ===  ====
   1    2
   ===  ====

.. _tbl-trials:

.. table:: Trials

   ===  ====
   c    d
   ===  ====
   3    4
   ===  ====
"""


def build(srcdir, with_workaround: bool, monkeypatch) -> tuple[str, list[str]]:
    """Build a two-page project; return the citing page's HTML and the pages unpickled while writing."""
    register = "numref_targets.register(app)" if with_workaround else "pass"
    (srcdir / "conf.py").write_text(
        f"from lenvatinib_review.sphinxext import numref_targets\nnumfig = True\ndef setup(app):\n    {register}\n",
        encoding="utf-8",
    )
    (srcdir / "tables.rst").write_text(TABLE_PAGE, encoding="utf-8")
    references = " ".join([":numref:`tbl-trials`", ":numref:`Doses in {number} <tbl-doses>`"] * REFERENCES)
    (srcdir / "index.rst").write_text(f"Home\n====\n\n.. toctree::\n\n   tables\n\n{references}\n", encoding="utf-8")
    unpickled = []
    get_doctree = BuildEnvironment.get_doctree

    def counted(env, docname):
        unpickled.append(docname)
        return get_doctree(env, docname)

    monkeypatch.setattr(BuildEnvironment, "get_doctree", counted)
    app = SphinxTestApp(
        "html", srcdir=srcdir, builddir=srcdir / "_build", status=StringIO(), warning=StringIO(), warningiserror=True
    )
    try:
        app.build()
    finally:
        app.cleanup()
        monkeypatch.undo()
    return (srcdir / "_build" / "html" / "index.html").read_text(encoding="utf-8"), unpickled


@pytest.fixture
def both_builds(tmp_path, monkeypatch):
    (tmp_path / "sphinx").mkdir()
    (tmp_path / "book").mkdir()
    return build(tmp_path / "sphinx", False, monkeypatch), build(tmp_path / "book", True, monkeypatch)


def test_a_page_with_numbered_references_is_read_once_for_them_and_written_as_sphinx_writes_it(both_builds):
    (sphinx_html, sphinx_reads), (book_html, book_reads) = both_builds
    assert book_html == sphinx_html
    assert sphinx_html.count('href="tables.html#tbl-trials"') == REFERENCES
    assert sphinx_html.count("Doses in 1") == REFERENCES
    # Sphinx reads the tables page to number the figures, then once per reference; the book, once for all of them.
    assert sphinx_reads.count("tables") == 1 + 2 * REFERENCES
    assert book_reads.count("tables") == 2


def test_the_copies_are_let_go_when_the_build_ends(tmp_path):
    (tmp_path / "conf.py").write_text(
        "from lenvatinib_review.sphinxext import numref_targets\nnumfig = True\n"
        "def setup(app):\n    numref_targets.register(app)\n",
        encoding="utf-8",
    )
    (tmp_path / "index.rst").write_text("Home\n====\n\n.. _tbl-a:\n\n.. table:: A\n\n   = =\n   1 2\n   = =\n\n"
                                        ":numref:`tbl-a`\n", encoding="utf-8")  # fmt: skip
    app = SphinxTestApp("html", srcdir=tmp_path, builddir=tmp_path / "_build", status=StringIO(), warning=StringIO())
    domain = app.env.get_domain("std")
    held_at_the_end = []
    app.connect("build-finished", lambda app, error: held_at_the_end.append(list(domain.target_pages)), priority=100)
    try:
        assert isinstance(domain, numref_targets.StandardDomainReadingTargetsOnce)
        app.build()
        assert held_at_the_end == [["index"]]
        assert "target_pages" not in domain.__dict__
    finally:
        app.cleanup()
