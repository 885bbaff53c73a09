"""A data edit re-executes the notebooks that read the edited table, and re-reads only the pages that use it."""

import csv
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from types import SimpleNamespace

import nbformat
import pytest
import yaml
from sphinx.errors import ExtensionError

from lenvatinib_review import datapackage
from lenvatinib_review.sphinxext.notebook_cache import (
    METADATA_KEY,
    declared_tables,
    execution_fingerprint,
    imported_files,
    inputs_of_notebook,
    notebook_code,
)

from conftest import ROOT, build_book, rewrite, set_cell, workflow_steps, write_toc

NOTEBOOKS = sorted((ROOT / "book" / "notebooks").glob("*.ipynb"))
ANSI_CODES = re.compile(r"\x1b\[[0-9;]*m")


def copy_notebook(name: str, project) -> None:
    """A notebook of the book alone in ``project``: its code, without the text that links to the book's chapters."""
    notebook = nbformat.read(ROOT / "book" / "notebooks" / f"{name}.ipynb", as_version=4)
    notebook.cells = [c for c in notebook.cells if not (c.cell_type == "markdown" and "{" in c.source)]
    nbformat.write(notebook, project / f"{name}.ipynb")


def pages_read(result: subprocess.CompletedProcess) -> set[str]:
    """The documents Sphinx read, from its "reading sources... [ 50%] docname" lines."""
    return set(re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", ANSI_CODES.sub("", result.stdout)))


def shown_count(project, group: str) -> int:
    html = (project / "_build" / "html" / "mechanism-overview.html").read_text(encoding="utf-8")
    match = re.search(rf"{group}\s+(\d+)\n", html)
    assert match, f"{group} is not in the rendered notebook"
    return int(match.group(1))


def test_a_trials_edit_re_executes_the_trial_notebook_and_re_reads_only_what_uses_trials(project_copy):
    copy_notebook("trial-results", project_copy)
    copy_notebook("mechanism-overview", project_copy)
    # Tables without their citation columns: this project has no bibliography page.
    mechanisms_page = "# Mechanisms\n\n```{data-table} mechanisms\n:columns: id,process\n```\n"
    (project_copy / "index.md").write_text(mechanisms_page, encoding="utf-8")
    trials_page = "# Trials\n\n```{data-table} trials\n:columns: trial,design,hazard_ratio\n```\n"
    (project_copy / "trials.md").write_text(trials_page, encoding="utf-8")
    (project_copy / "_toc.yml").write_text(
        "format: jb-book\nroot: index\nchapters:\n- file: trials\n- file: trial-results\n- file: mechanism-overview\n",
        encoding="utf-8",
    )
    first = build_book(project_copy)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert pages_read(first) == {"index", "trials", "trial-results", "mechanism-overview"}
    shown = (project_copy / "_build" / "html" / "trial-results.html").read_text(encoding="utf-8")
    assert "0.92 (0.79-1.06)" in shown  # REFLECT's overall survival, as data/trials.csv gives it

    set_cell(project_copy, "trials", 2, "hazard_ratio", "0.93")
    second = build_book(project_copy)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert pages_read(second) == {"trials", "trial-results"}
    shown = (project_copy / "_build" / "html" / "trial-results.html").read_text(encoding="utf-8")
    assert "0.93 (0.79-1.06)" in shown and "0.92 (0.79-1.06)" not in shown


def without_book_extension(project) -> None:
    """The book's configuration without lenvatinib_review.sphinxext: myst-nb's cache as it comes."""
    path = project / "_config.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    del config["sphinx"]["extra_extensions"]
    del config["sphinx"]["config"]["bibtex_reference_style"]
    del config["sphinx"]["config"]["html_theme_options"]  # its PDF link is the extension's
    path.write_text(yaml.safe_dump(config), encoding="utf-8")


def test_myst_nb_alone_serves_a_notebook_stale_outputs_after_a_data_edit(project_copy):
    """The upstream behaviour the extension's invalidation works around: jupyter-cache keys on code only."""
    copy_notebook("mechanism-overview", project_copy)
    write_toc(project_copy, "mechanism-overview")
    without_book_extension(project_copy)
    path = project_copy / "data" / "mechanisms.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        in_file = sum(row[2] == "metabolic-remodelling" for row in list(csv.reader(handle))[1:])

    first = build_book(project_copy)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert shown_count(project_copy, "metabolic-remodelling") == in_file

    def add_a_row(rows):
        extra = next(row for row in rows if row[2] == "metabolic-remodelling")[:]
        extra[0] += "-copy"
        rows.append(extra)

    rewrite(path, add_a_row)
    second = build_book(project_copy)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert shown_count(project_copy, "metabolic-remodelling") == in_file


class RecordingTables(Mapping):
    """The loaded tables, noting which are read (iterating over them reads them all)."""

    def __init__(self, tables):
        self.tables, self.read = tables, set()

    def __getitem__(self, name):
        self.read.add(name)
        return self.tables[name]

    def __iter__(self):
        self.read.update(self.tables)
        return iter(self.tables)

    def __len__(self):
        return len(self.tables)


def tables_read(path, monkeypatch) -> set[str]:
    """Run a notebook's code in this process, in the notebook's folder; the tables it read."""
    import matplotlib
    from matplotlib import pyplot

    loaded: list[RecordingTables] = []
    load_package = datapackage.load_package

    def recording_load_package(*arguments, **options):
        loaded.append(RecordingTables(load_package(*arguments, **options)))
        return loaded[-1]

    monkeypatch.setattr(datapackage, "load_package", recording_load_package)
    monkeypatch.chdir(path.parent)
    with matplotlib.rc_context():
        exec(notebook_code(nbformat.read(path, as_version=4)), {})
    pyplot.close("all")
    assert loaded, f"{path.name} loads no tables through load_package"
    return set().union(*(tables.read for tables in loaded))


def declared(path) -> set[str]:
    return set(nbformat.read(path, as_version=4).metadata[METADATA_KEY]["tables"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_each_notebook_declares_exactly_the_tables_it_reads(path, monkeypatch):
    assert tables_read(path, monkeypatch) == declared(path)


def test_a_notebook_that_leaves_out_a_table_it_reads_is_caught(tmp_path, monkeypatch):
    notebook = nbformat.read(ROOT / "book" / "notebooks" / "trial-results.ipynb", as_version=4)
    notebook.metadata[METADATA_KEY]["tables"] = ["mechanisms"]
    nbformat.write(notebook, tmp_path / "trial-results.ipynb")
    assert tables_read(tmp_path / "trial-results.ipynb", monkeypatch) - declared(tmp_path / "trial-results.ipynb") == {
        "trials"
    }


def test_a_notebook_without_a_declaration_or_with_an_unknown_table_stops_the_build(tmp_path):
    notebook = nbformat.v4.new_notebook()
    with pytest.raises(ExtensionError, match=r'must list the data tables it reads in its metadata, as "review"'):
        declared_tables(tmp_path / "new.ipynb", notebook, ["trials"])
    notebook.metadata[METADATA_KEY] = {"tables": ["trials", "trial"]}
    with pytest.raises(ExtensionError, match=r"new.ipynb: .* names no table trial; tables: mechanisms, trials"):
        declared_tables(tmp_path / "new.ipynb", notebook, ["trials", "mechanisms"])


def test_a_notebooks_inputs_are_its_tables_the_data_package_and_the_modules_it_imports():
    tables = datapackage.load_package()
    app = SimpleNamespace(
        srcdir=str(ROOT),
        config=SimpleNamespace(review_datapackage="data/datapackage.json", review_bibliography="references.bib"),
        env=SimpleNamespace(review_tables=tables),
    )
    inputs = {path.relative_to(ROOT).as_posix() for path in inputs_of_notebook(app, NOTEBOOKS[-1])}
    assert NOTEBOOKS[-1].stem == "workflow-diagram"
    assert {"data/datapackage.json", "references.bib", "data/workflows.csv"} <= inputs
    assert not {path for path in inputs if path.endswith(".csv")} - {"data/workflows.csv"}
    assert {"lenvatinib_review/figure_data.py", "lenvatinib_review/figures/workflow.py"} <= inputs
    assert not [path for path in inputs if "sphinxext" in path]


def test_the_modules_found_in_the_notebooks_imports_are_those_python_imports_once_a_figure_is_drawn():
    code = "\n".join(notebook_code(nbformat.read(path, as_version=4)) for path in NOTEBOOKS)
    imports = "\n".join(line for line in code.splitlines() if line.startswith(("import ", "from ")))
    script = (
        f"{imports}\nimport json, sys\n"
        # The drawing code is imported when a figure is first drawn (lenvatinib_review.figures.BookFigure).
        "from lenvatinib_review.datapackage import load_package\n"
        "from lenvatinib_review.figures import BOOK_FIGURES\n"
        "BOOK_FIGURES['fig-workflow'].draw(load_package())\n"
        "print(json.dumps(sorted(m.__file__ for n, m in sys.modules.items() "
        "if n.split('.')[0] == 'lenvatinib_review' and getattr(m, '__file__', None))))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    assert sorted(str(path) for path in imported_files(imports)) == json.loads(result.stdout)


def test_ci_names_its_notebook_cache_after_the_fingerprint_of_what_the_notebooks_read(project_copy):
    """The fingerprint does not depend on where the book is; it changes with a table a notebook declares,
    and not with one that no notebook reads; the workflow's cache key is it."""
    shutil.copytree(ROOT / "book" / "notebooks", project_copy / "book" / "notebooks")
    fingerprint = execution_fingerprint(project_copy)
    assert fingerprint == execution_fingerprint(ROOT)
    schemas = datapackage.read_schemas(project_copy / datapackage.DESCRIPTOR)
    read = {name for path in NOTEBOOKS for name in declared_tables(path, nbformat.read(path, 4), schemas)}
    unread = sorted(set(schemas) - read)
    assert "trials" in read and unread, "the test needs a table that a notebook reads and one that none reads"
    rewrite(project_copy / "data" / f"{unread[0]}.csv", lambda rows: rows.append(list(rows[-1])))
    assert execution_fingerprint(project_copy) == fingerprint, f"{unread[0]}.csv is read by no notebook"
    set_cell(project_copy, "trials", 2, "design", "An edited design")
    assert execution_fingerprint(project_copy) != fingerprint
    steps = workflow_steps()
    (computed,) = [step for step in steps if "lenvatinib_review.notebook_fingerprint" in step.get("run", "")]
    (cache,) = [step for step in steps if step.get("with", {}).get("path") == "_build/.jupyter_cache"]
    assert f"steps.{computed['id']}.outputs.fingerprint" in cache["with"]["key"]
