"""A data edit must re-execute the notebooks that read it, although jupyter-cache keys on code only."""

import csv
import re
from types import SimpleNamespace

import nbformat
import pytest
import yaml

from lenvatinib_review.sphinxext.notebook_cache import notebook_inputs

from conftest import ROOT, build_book, rewrite, write_toc


def shown_count(project, group: str) -> int:
    html = (project / "_build" / "html" / "mechanism-overview.html").read_text(encoding="utf-8")
    match = re.search(rf"{group}\s+(\d+)\n", html)
    assert match, f"{group} is not in the rendered notebook"
    return int(match.group(1))


def without_book_extension(project) -> None:
    """The book's configuration without lenvatinib_review.sphinxext: myst-nb's cache as it comes."""
    path = project / "_config.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    del config["sphinx"]["extra_extensions"]
    del config["sphinx"]["config"]["bibtex_reference_style"]
    del config["sphinx"]["config"]["html_theme_options"]  # its PDF link is the extension's
    path.write_text(yaml.safe_dump(config), encoding="utf-8")


@pytest.mark.parametrize("keyed", [True, False], ids=["keyed-on-data", "myst-nb-alone"])
def test_editing_a_csv_re_executes_the_notebook(project_copy, keyed):
    notebook = nbformat.read(ROOT / "book" / "notebooks" / "mechanism-overview.ipynb", as_version=4)
    # Alone in this project, the notebook keeps its code and drops the text that links to the book's chapters.
    notebook.cells = [c for c in notebook.cells if not (c.cell_type == "markdown" and "{" in c.source)]
    nbformat.write(notebook, project_copy / "mechanism-overview.ipynb")
    write_toc(project_copy, "mechanism-overview")
    if not keyed:
        without_book_extension(project_copy)
    path = project_copy / "data" / "mechanisms.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        in_file = sum(row[2] == "metabolic-remodelling" for row in list(csv.reader(handle))[1:])

    first = build_book(project_copy)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert shown_count(project_copy, "metabolic-remodelling") == in_file

    def add_a_row(rows):
        extra = next(row for row in rows if row[2] == "metabolic-remodelling")[:]
        copied.append(extra[0])
        extra[0] += "-copy"
        rows.append(extra)

    def add_its_evidence(rows):  # every mechanism needs a finding to be rated
        mechanism = rows[0].index("mechanism")
        extra = next(row for row in rows if row[mechanism] == copied[0])[:]
        extra[0], extra[mechanism] = extra[0] + "-copy", copied[0] + "-copy"
        rows.append(extra)

    copied: list[str] = []
    rewrite(path, add_a_row)
    rewrite(project_copy / "data" / "evidence.csv", add_its_evidence)
    second = build_book(project_copy)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    # Without the keying, jupyter-cache serves the first execution: the figure is stale.
    assert shown_count(project_copy, "metabolic-remodelling") == in_file + (1 if keyed else 0)


def test_the_cache_key_covers_what_notebooks_read_and_nothing_else():
    app = SimpleNamespace(
        srcdir=str(ROOT),
        config=SimpleNamespace(review_datapackage="data/datapackage.json", review_bibliography="references.bib"),
    )
    inputs = {path.relative_to(ROOT).as_posix() for path in notebook_inputs(app)}
    assert inputs == {
        "data/datapackage.json",
        "references.bib",
        *(path.relative_to(ROOT).as_posix() for path in (ROOT / "data").glob("*.csv")),
        *(path.relative_to(ROOT).as_posix() for path in files_the_notebooks_import()),
    }


def files_the_notebooks_import() -> set:
    """The book's module files named in the notebooks' imports, with the files those import in turn.

    A name is a module (``lenvatinib_review/NAME.py``) or a package (every file of ``lenvatinib_review/NAME/``);
    inside a package, ``from ..NAME`` and ``from .. import NAME`` reach back to the top level.
    """
    import json

    package = ROOT / "lenvatinib_review"
    code = "".join(
        "".join(cell["source"])
        for notebook in (ROOT / "book" / "notebooks").glob("*.ipynb")
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        if cell["cell_type"] == "code"
    )
    found, queue = set(), set(re.findall(r"lenvatinib_review\.(\w+)", code))
    seen = set()
    while queue:
        name = queue.pop()
        seen.add(name)
        files = sorted((package / name).glob("*.py")) if (package / name).is_dir() else [package / f"{name}.py"]
        for path in files:
            found.add(path)
            source = path.read_text(encoding="utf-8")
            if path.parent == package:
                names = re.findall(r"^from \.(\w+) import", source, re.M)
            else:
                names = re.findall(r"^from \.\.(\w+) import", source, re.M)
                names += [
                    n for group in re.findall(r"^from \.\. import ([\w, ]+)", source, re.M) for n in group.split(", ")
                ]
            queue |= set(names) - seen
    return found
