"""Re-execute a notebook, and re-read its page, only when what it reads has changed.

jupyter-cache (myst-nb's ``execute_notebooks: cache``) keys an execution on a notebook's code
only, so a notebook that reads an edited CSV file would be served stale outputs. Each notebook
declares the data tables it reads in its metadata, ``"review": {"tables": [...]}``
(``tests/test_notebook_cache.py`` runs every notebook and fails on a table read but not
declared). A notebook's inputs are those tables' CSV files, the data package descriptor and the
bibliography (every load validates against both) and the files of the package modules its code
imports, followed through their own imports.

The cache stays in one folder, myst-nb's ``nb_execution_cache_path``. Beside jupyter-cache's
files it keeps :data:`INPUTS_FILE`, the fingerprint of each notebook's inputs when it last ran.
On Sphinx's ``env-get-outdated``, a notebook whose fingerprint has changed loses its cache record
(jupyter-cache's ``match_cache_file`` and ``remove_cache``) and its page is read again, so
myst-nb executes it again; the pages of the other notebooks are not read again. Pages of
chapters are read again through the dependencies their directives note (``env.note_dependency``).

The notebooks find the files themselves: a notebook runs in its own folder inside the book, and
:func:`lenvatinib_review.datapackage.load_package` reads the data package of the nearest folder
above that holds one, which is the book's; so a notebook opened without the build reads the same files.
"""

from __future__ import annotations

import ast
import functools
import json
import os
from collections.abc import Iterable
from importlib.util import resolve_name
from pathlib import Path

import nbformat
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError

from .. import datapackage
from .data_tables import data_paths

PACKAGE = "lenvatinib_review"
PACKAGES_DIR = Path(datapackage.__file__).resolve().parent.parent
METADATA_KEY = "review"
INPUTS_FILE = "review-notebook-inputs.json"


def module_files(module: str) -> list[Path]:
    """The files Python runs to import ``module`` of this package: each enclosing package's, then its own."""
    parts = module.split(".")
    files = []
    for depth in range(1, len(parts) + 1):
        path = PACKAGES_DIR.joinpath(*parts[:depth])
        if (path / "__init__.py").is_file():
            files.append(path / "__init__.py")
        elif path.with_suffix(".py").is_file():
            files.append(path.with_suffix(".py"))
    return files


@functools.cache  # keyed on the code: a module that many notebooks import is parsed once
def imported_modules(code: str, package: str | None = None) -> frozenset[str]:
    """This package's modules that ``code`` imports (a name imported from a package may be a module)."""
    found = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = resolve_name("." * node.level + (node.module or ""), package) if node.level else node.module
            found.update([base, *(f"{base}.{alias.name}" for alias in node.names)])
    return frozenset(name for name in found if name == PACKAGE or name.startswith(PACKAGE + "."))


def package_of(path: Path) -> str:
    """The package that relative imports in a module file of this package start from."""
    folder = path.relative_to(PACKAGES_DIR).parent
    return ".".join(folder.parts)


def imported_files(code: str) -> list[Path]:
    """The package's files that running ``code`` imports, directly or through other modules, sorted."""
    files: set[Path] = set()
    queue = [file for name in imported_modules(code) for file in module_files(name)]
    while queue:
        path = queue.pop()
        if path in files:
            continue
        files.add(path)
        queue += [
            file
            for name in imported_modules(path.read_text(encoding="utf-8"), package_of(path))
            for file in module_files(name)
        ]
    return sorted(files)


def notebook_code(notebook: nbformat.NotebookNode) -> str:
    # IPython's magics (%, !) are no Python; they import nothing of the package.
    lines = (line for cell in notebook.cells if cell.cell_type == "code" for line in cell.source.splitlines())
    return "\n".join(line for line in lines if not line.lstrip().startswith(("%", "!")))


def declared_tables(path: Path, notebook: nbformat.NotebookNode, known: Iterable[str]) -> list[str]:
    """The tables a notebook declares that it reads; ExtensionError names a missing or unknown declaration."""
    declared = notebook.metadata.get(METADATA_KEY, {}).get("tables")
    if not isinstance(declared, list):
        raise ExtensionError(
            f'{path}: the notebook must list the data tables it reads in its metadata, as "{METADATA_KEY}": '
            '{"tables": [...]}'
        )
    unknown = sorted(set(declared) - set(known))
    if unknown:
        raise ExtensionError(
            f'{path}: metadata "{METADATA_KEY}" names no table {", ".join(unknown)}; tables: {", ".join(sorted(known))}'
        )
    return sorted(declared)


def inputs_of_notebook(app: Sphinx, path: Path) -> list[Path]:
    """Every file whose content the notebook's outputs can depend on, besides the notebook, in a fixed order."""
    schemas = {name: table.schema for name, table in app.env.review_tables.items()}
    return notebook_input_files(path, *data_paths(app), schemas)


def notebook_input_files(
    path: Path, descriptor: Path, bibliography: Path, schemas: dict[str, datapackage.TableSchema]
) -> list[Path]:
    notebook = nbformat.read(path, as_version=4)
    return [
        descriptor,
        bibliography,
        *(schemas[name].path for name in declared_tables(path, notebook, schemas)),
        *imported_files(notebook_code(notebook)),
    ]


def execution_fingerprint(root: Path) -> str:
    """A fingerprint of everything the book's executed notebooks depend on: each notebook and the inputs
    :func:`inputs_of_notebook` finds for it. CI names its cache of executed notebooks after it
    (``.github/workflows/book.yml``); ``python -m lenvatinib_review.notebook_fingerprint`` prints it."""
    descriptor, bibliography = root / datapackage.DESCRIPTOR, root / datapackage.BIBLIOGRAPHY
    schemas = datapackage.read_schemas(descriptor)
    notebooks = sorted(path for path in (root / "book").rglob("*.ipynb") if ".ipynb_checkpoints" not in path.parts)
    files = [
        file
        for notebook in notebooks
        for file in (notebook, *notebook_input_files(notebook, descriptor, bibliography, schemas))
    ]
    return datapackage.fingerprint(files)


def notebook_inputs(app: Sphinx) -> list[Path]:
    """Every file a figure is drawn from, whether in a notebook or a chapter: all data and the drawing code."""
    descriptor, bibliography = data_paths(app)
    return [
        descriptor,
        bibliography,
        *sorted(descriptor.parent.glob("*.csv")),
        *imported_files(f"import {PACKAGE}.figures"),
    ]


def execution_cache(app: Sphinx) -> Path | None:
    """myst-nb's cache folder, when it executes notebooks through the cache; else None."""
    if getattr(app.config, "nb_execution_mode", None) != "cache":
        return None
    # As myst-nb resolves it at builder-inited: unset, the folder beside the output folder.
    return Path(app.config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")


def notebooks_with_changed_inputs(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Discard the cache records of notebooks whose inputs changed since they ran; their pages, to be read again."""
    cache_path = execution_cache(app)
    if cache_path is None:
        return []
    notebooks = {docname: Path(env.doc2path(docname)) for docname in sorted(env.found_docs)}
    current = {
        docname: datapackage.fingerprint(inputs_of_notebook(app, path))
        for docname, path in notebooks.items()
        if path.suffix == ".ipynb"
    }
    stored_file = cache_path / INPUTS_FILE
    stored = json.loads(stored_file.read_text(encoding="utf-8")) if stored_file.is_file() else {}
    outdated = [docname for docname, inputs in current.items() if stored.get(docname) != inputs]
    if not outdated:
        return []
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_path))
    for docname in outdated:
        try:
            record = cache.match_cache_file(str(notebooks[docname]))
        except KeyError:  # never executed with this code
            continue
        cache.remove_cache(record.pk)
    partial = stored_file.with_suffix(f".{os.getpid()}.part")  # another build sharing the cache never clashes
    partial.write_text(json.dumps({**stored, **current}, indent=1, sort_keys=True), encoding="utf-8")
    partial.replace(stored_file)
    return [docname for docname in outdated if docname not in added]  # an added page is read anyway


def register(app: Sphinx) -> None:
    app.connect("env-get-outdated", notebooks_with_changed_inputs)
