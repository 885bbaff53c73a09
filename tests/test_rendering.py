"""The table directive: cell text is escaped, and bad input stops the build with a clear message."""

import json
import re

import pytest

from conftest import build_book, build_sphinx_page, run_sphinx_build, set_cell, write_toc

TABLE_PAGE = """# Page

:::{data-table} mechanisms
:name: tbl-test
:filter: id=stoml2-mitophagy
A caption.
:::

```{bibliography}
```
"""


def set_first_row(project, column, value):
    set_cell(project, "mechanisms", 2, column, value)


def test_markup_in_a_cell_is_shown_as_text(project_copy):
    set_first_row(project_copy, "finding", "<script>alert(1)</script> <b>bold</b> & more")
    result = build_sphinx_page(project_copy, TABLE_PAGE)
    assert result.returncode == 0, result.stderr
    html = (project_copy / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt; &amp; more" in html
    assert "<script>alert" not in html and "<b>bold" not in html


def test_citation_cells_link_to_the_bibliography(project_copy):
    result = build_sphinx_page(project_copy, TABLE_PAGE)
    assert result.returncode == 0, result.stderr
    html = (project_copy / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert "Zheng <em>et al.</em>, 2021</a>)" in html


def test_invalid_data_stops_the_build_with_file_row_and_column(project_copy):
    set_first_row(project_copy, "category", "nowhere")
    result = run_sphinx_build(project_copy, TABLE_PAGE)  # the command's own output: no traceback
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert 'mechanisms.csv, row 2, column "category": "nowhere" is not one of' in output
    assert "Traceback" not in output


def test_a_rebuild_validates_the_data_again_only_when_they_or_their_checks_change(project_copy, monkeypatch):
    from lenvatinib_review.sphinxext import data_tables

    loads = []
    load_package = data_tables.load_package
    monkeypatch.setattr(data_tables, "load_package", lambda *paths: loads.append(paths) or load_package(*paths))
    for sentence, loaded in [("A first build.", 1), ("The page edited, the data not.", 0)]:
        loads.clear()
        result = build_sphinx_page(project_copy, f"{TABLE_PAGE}\n{sentence}\n")
        assert result.returncode == 0, result.stderr
        assert len(loads) == loaded, sentence
    set_first_row(project_copy, "finding", "An edited finding.")
    loads.clear()
    assert build_sphinx_page(project_copy, TABLE_PAGE).returncode == 0
    assert len(loads) == 1
    assert "An edited finding." in (project_copy / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    set_first_row(project_copy, "category", "nowhere")
    result = build_sphinx_page(project_copy, TABLE_PAGE)
    assert result.returncode != 0 and '"nowhere" is not one of' in result.stderr


def test_unknown_table_and_empty_filter_are_errors(project_copy):
    result = build_sphinx_page(project_copy, TABLE_PAGE.replace("mechanisms", "mechanism"))
    assert result.returncode != 0
    assert 'unknown data table "mechanism"' in result.stderr
    result = build_sphinx_page(project_copy, TABLE_PAGE.replace("id=stoml2-mitophagy", "id=missing"))
    assert result.returncode != 0
    assert 'filter "id=missing" matches no row' in result.stderr


def test_unknown_citation_key_in_prose_stops_the_build(project_copy):
    result = build_sphinx_page(project_copy, "# Page\n\nA claim {cite:p}`nobody1999invented`.\n")
    assert result.returncode != 0
    assert "index.md" in result.stderr and "nobody1999invented" in result.stderr


def test_failing_notebook_stops_the_book_build(project_copy):
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "boom",
                "metadata": {},
                "outputs": [],
                "source": ["1 / 0"],
            }
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "review": {"tables": []},  # it reads no data table
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (project_copy / "broken.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    write_toc(project_copy, "broken")
    result = build_book(project_copy)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "broken" in output and "ZeroDivisionError" in output


def test_unknown_figure_stops_the_build_naming_the_known_ones(project_copy):
    result = build_sphinx_page(project_copy, "# Page\n\n:::{book-figure} fig-mechanism-schematc\n:::\n")
    assert result.returncode != 0
    assert "index.md" in result.stderr and 'unknown figure "fig-mechanism-schematc"' in result.stderr
    assert "fig-mechanism-schematic" in result.stderr


@pytest.mark.parametrize(
    ("figure", "message"),
    [
        ("fig-timeline\n:filter: category=intracellular", 'figure "fig-timeline" cannot be filtered'),
        ("fig-mechanism-schematic\n:filter: category=nowhere", 'filter "category=nowhere" matches no row'),
        ("fig-mechanism-schematic\n:filter: colour=blue", 'table "mechanisms" has no column colour'),
    ],
)
def test_a_figure_part_the_data_cannot_give_stops_the_build_saying_why(project_copy, figure, message):
    result = build_sphinx_page(project_copy, f"# Page\n\n:::{{book-figure}} {figure}\n:::\n")
    assert result.returncode != 0
    assert "index.md" in result.stderr and message in result.stderr


def test_a_schematic_linking_to_a_missing_chapter_stops_the_build(project_copy):
    """Alone in a project (with its notebook's page), the schematic's routes link to chapters that are not there."""
    notebook = project_copy / "book" / "notebooks" / "mechanism-schematic.md"
    notebook.parent.mkdir(parents=True)
    notebook.write_text("---\norphan: true\n---\n# How it is made\n", encoding="utf-8")
    result = build_sphinx_page(project_copy, "# Page\n\n:::{book-figure} fig-mechanism-schematic\n:::\n")
    assert result.returncode != 0
    assert re.search(r'figure "fig-mechanism-schematic" links to "book/[a-z-]+": no such page', result.stderr)
