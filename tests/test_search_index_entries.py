"""An incremental build keeps the glossary's terms in the search index: its searchindex.js is that of a
clean build of the same sources.

(An edit that removes a page's last use of a word still leaves that word in an incremental build's
index with no page, where a clean build has no such word: Sphinx 7.4 keeps emptied entries. It
finds nothing, so the edit here only adds words.)"""

from __future__ import annotations

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

GLOSSARY = """Glossary
========

.. glossary::

   Cmax
      The highest concentration.

   AUC
      The area under the curve.
"""


def build(srcdir: Path, with_workaround: bool) -> dict:
    """Build the project; return its search index's data."""
    register = "search_index_entries.register(app)" if with_workaround else "pass"
    (srcdir / "conf.py").write_text(
        f"from lenvatinib_review.sphinxext import search_index_entries\ndef setup(app):\n    {register}\n",
        encoding="utf-8",
    )
    app = SphinxTestApp("html", srcdir=srcdir, builddir=srcdir / "_build", status=StringIO(), warning=StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    index = (srcdir / "_build" / "html" / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(index.removeprefix("Search.setIndex(").removesuffix(")"))


def write_chapter(srcdir: Path, sentence: str) -> None:
    (srcdir / "chapter.rst").write_text(f"Chapter\n=======\n\n{sentence}\n", encoding="utf-8")


@pytest.mark.parametrize("with_workaround", [False, True])
def test_an_incremental_build_keeps_the_glossary_in_the_search_index_with_the_workaround_alone(
    tmp_path, with_workaround
):
    (tmp_path / "glossary.rst").write_text(GLOSSARY, encoding="utf-8")
    (tmp_path / "index.rst").write_text("Home\n====\n\n.. toctree::\n\n   glossary\n   chapter\n", encoding="utf-8")
    write_chapter(tmp_path, "A first sentence.")
    first = build(tmp_path, with_workaround)
    assert sorted(first["indexentries"]) == ["auc", "cmax"]
    write_chapter(
        tmp_path, "A first sentence, edited."
    )  # the chapter and its parent are written again, not the glossary
    incremental = build(tmp_path, with_workaround)
    shutil.rmtree(tmp_path / "_build")
    clean = build(tmp_path, with_workaround)
    assert sorted(clean["indexentries"]) == ["auc", "cmax"]
    # Sphinx 7.4 alone loses the glossary's entries, and only them.
    assert incremental["indexentries"] == (clean["indexentries"] if with_workaround else {})
    assert {**incremental, "indexentries": None} == {**clean, "indexentries": None}


def test_an_index_sphinx_cannot_read_back_is_written_without_the_pages_it_does_not_list(tmp_path):
    (tmp_path / "glossary.rst").write_text(GLOSSARY, encoding="utf-8")
    (tmp_path / "index.rst").write_text("Home\n====\n\n.. toctree::\n\n   glossary\n   chapter\n", encoding="utf-8")
    write_chapter(tmp_path, "A first sentence.")
    build(tmp_path, with_workaround=True)
    (tmp_path / "_build" / "html" / "searchindex.js").unlink()
    write_chapter(tmp_path, "A first sentence, edited.")
    index = build(tmp_path, with_workaround=True)  # Sphinx warns that the index will be incomplete
    assert "glossary" not in index["docnames"] and index["indexentries"] == {}
    assert {"chapter", "index"} <= set(index["docnames"])
