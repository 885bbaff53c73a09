"""Shared fixtures: the strictly built site, and small throw-away books for failure cases."""

from __future__ import annotations

import contextlib
import csv
import fcntl
import functools
import gc
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
STRICT = ["-W", "-n", "--keep-going"]


def build_book(source: Path, environment: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Build a book the way the README does, with ``environment`` added to this one; return the finished process."""
    return subprocess.run(
        [str(JUPYTER_BOOK), "build", str(source), *STRICT],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, **(environment or {})},
    )


# The session's build runs under this hash seed; the reproducibility test builds again under another.
SESSION_HASH_SEED = "0"
# The session's site is built for BOOK_BASE_URL, or where it is not set, for this address.
STAND_IN_BASE_URL = "https://owner.github.io/lenvatinib-resistance/"


def site_metadata():
    """The book's metadata as the session's site is built with it: for a published address, as CI
    publishes the site the tests build. That is BOOK_BASE_URL where set (CI's Pages address), or
    else a stand-in for a project site, which a host serves under a sub-path."""
    from lenvatinib_review.book_metadata import BASE_URL_VARIABLE, BookMetadata

    return BookMetadata.load(base_url=os.environ.get(BASE_URL_VARIABLE) or STAND_IN_BASE_URL)


@contextlib.contextmanager
def exclusive(lock: Path):
    """Hold an exclusive lock on the file ``lock`` (created if missing) across processes."""
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def once_per_run(tmp_path_factory: pytest.TempPathFactory, name: str, make) -> str:
    """``make()``'s text, computed by one process of the test run; the others wait for it and read it.

    pytest-xdist's workers each have their own temporary folder inside the run's; the run's is
    the place they share. Without workers, the session's own temporary folder serves.
    """
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    with exclusive(shared / f"{name}.lock"):
        result = shared / f"{name}.result"
        if not result.exists():
            result.write_text(make(), encoding="utf-8")
        return result.read_text(encoding="utf-8")


# What the session's build removes first: it builds from an empty site, as CI's fresh clone does.
# The executed notebooks (.jupyter_cache) and the drawings (.book-figures) are kept.
BUILT_FOLDERS = ("html", ".doctrees")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real book, built strictly from an empty site once a test run, for the address of
    :func:`site_metadata`."""
    from lenvatinib_review.book_metadata import BASE_URL_VARIABLE

    def build() -> str:
        for folder in BUILT_FOLDERS:
            shutil.rmtree(ROOT / "_build" / folder, ignore_errors=True)
        result = build_book(ROOT, {"PYTHONHASHSEED": SESSION_HASH_SEED, BASE_URL_VARIABLE: site_metadata().base_url})
        output = f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        return "" if result.returncode == 0 else f"strict build failed:\n{output}"

    failure = once_per_run(tmp_path_factory, "site", build)
    assert not failure, failure
    return ROOT / "_build" / "html"


# The document the run's PDF was printed from, by the built site, in the process that printed it.
PRINTED_DOCUMENTS = {}


@pytest.fixture(scope="session")
def book_pdf(tmp_path_factory: pytest.TempPathFactory, built_site: Path) -> Path:
    """The book as one PDF, printed from the built site by the function `make pdf` runs, once a test run.
    The process that prints it keeps the document it printed (:func:`print_document`)."""
    from lenvatinib_review.print_edition import PDF_FILE_NAME, PrintEditionError, print_document, write_pdf

    def print_book() -> str:
        try:
            document = print_document(built_site)
            write_pdf(built_site, document=document)
        except PrintEditionError as error:
            return f"make pdf failed: {error}"
        PRINTED_DOCUMENTS[built_site] = document
        return ""

    failure = once_per_run(tmp_path_factory, "pdf", print_book)
    assert not failure, failure
    return built_site / PDF_FILE_NAME


def printed_document(site: Path):
    """The document the PDF of ``site`` is printed from: the one printed, in the process that printed it."""
    from lenvatinib_review.print_edition import print_document

    document = PRINTED_DOCUMENTS.get(site)
    return print_document(site) if document is None else document


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    """The built site served on a loopback port, once a session."""
    from lenvatinib_review.site_check import serve

    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright, launched once a session."""
    from playwright.sync_api import sync_playwright

    from lenvatinib_review.site_check import launch_chromium

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


def workflow_steps() -> list[dict]:
    """The steps of the CI workflow's build job (``.github/workflows/book.yml``)."""
    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "book.yml").read_text(encoding="utf-8"))
    return workflow["jobs"]["build"]["steps"]


PACKAGE = "lenvatinib_review"


@pytest.fixture(scope="session")
def installed_wheel(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The book's package as `pip install .` gets it: (the wheel, a folder it is installed into, for PYTHONPATH).

    Built offline with the pinned setuptools, from a copy of ``pyproject.toml`` and the package,
    since setuptools writes build folders into the tree it builds.
    """
    work = tmp_path_factory.mktemp("wheel")
    sources = work / "sources"
    sources.mkdir()
    shutil.copy(ROOT / "pyproject.toml", sources)
    shutil.copytree(ROOT / PACKAGE, sources / PACKAGE, ignore=shutil.ignore_patterns("__pycache__"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    built = subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "--wheel-dir", str(work), str(sources)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    (wheel,) = work.glob("*.whl")
    target = work / "installed"
    installed = subprocess.run(
        [*pip, "install", "--no-deps", "--no-index", "--target", str(target), str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    return wheel, target


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the book's configuration (templates included), data and bibliography, without pages or a toc."""
    for name in ("_config.yml", "references.bib", "CITATION.cff"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "_templates", tmp_path / "_templates")
    return tmp_path


def toc_pages(root: Path = ROOT) -> list[str]:
    """The document names of every page in the table of contents, the root page first."""
    from lenvatinib_review.book_toc import toc_pages as pages

    return pages(root)


def figure_label(figure_id: str) -> str:
    """The figure of the registry that a page's figure ``figure_id`` shows: itself, or a part of it
    (``fig-…-value``)."""
    from lenvatinib_review.figures import BOOK_FIGURES

    return next(key for key in BOOK_FIGURES if figure_id == key or figure_id.startswith(f"{key}-"))


def page(site: Path, docname: str):
    """A built page, parsed (see :func:`parsed`)."""
    path = site / f"{docname}.html"
    assert path.is_file(), f"{docname} was not built"
    return parsed(path)


def parsed(path: Path):
    """An HTML file, parsed once for each version of the file: a shared tree, which a test reads and
    never changes (it copies a part before editing it)."""
    return _parse(path, path.stat().st_mtime_ns)


@functools.cache
def _parse(path: Path, modified_ns: int):
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


LOG_TABLES = ("records.csv", "searches.csv")


def prose_sources(root: Path = ROOT, data: bool = False) -> dict[Path, str]:
    """The book's prose: pages (book/**/*.md), notebooks' markdown cells, and with ``data`` the CSV cells."""
    import json

    sources = {path: path.read_text(encoding="utf-8") for path in sorted((root / "book").rglob("*.md"))}
    for notebook in sorted((root / "book").rglob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        sources[notebook] = "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")
    if data:
        # The screening and search logs quote the titles of the works and the queries run for them,
        # which may repeat the source note's reference list word for word; they are not prose.
        for table in sorted(set((root / "data").glob("*.csv")) - {root / "data" / name for name in LOG_TABLES}):
            with table.open(encoding="utf-8", newline="") as handle:
                sources[table] = "\n".join("\n".join(row) for row in csv.reader(handle))
    return sources


def rewrite(path: Path, edit) -> None:
    """Apply ``edit`` to the rows (header first) of a CSV file and save it."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    edit(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def set_cell(project: Path, table: str, row: int, column: str, value: str) -> None:
    """Set one cell of ``data/TABLE.csv``; ``row`` counts like a spreadsheet, the header being row 1."""

    def edit(rows):
        rows[row - 1][rows[0].index(column)] = value

    rewrite(project / "data" / f"{table}.csv", edit)


def write_toc(project: Path, root: str) -> None:
    (project / "_toc.yml").write_text(f"format: jb-book\nroot: {root}\n", encoding="utf-8")


SPHINX_CONF = """
extensions = ["myst_parser", "sphinxcontrib.bibtex", "lenvatinib_review.sphinxext"]
myst_enable_extensions = ["colon_fence"]
bibtex_bibfiles = ["references.bib"]
bibtex_reference_style = "author_year_round"
bibtex_default_style = "author_year_reference_list"
exclude_patterns = ["_build"]
html_theme = "sphinx_book_theme"
numfig = True  # as the book (_config.yml)
"""


def write_sphinx_page(project: Path, page: str) -> None:
    """A one-page Sphinx project: the book's extensions, its theme, ``page`` as index.md."""
    (project / "conf.py").write_text(SPHINX_CONF, encoding="utf-8")
    (project / "index.md").write_text(page, encoding="utf-8")


def build_sphinx_page(project: Path, page: str, builder: str = "html") -> subprocess.CompletedProcess:
    """Build a one-page project strictly (-W -n) in this process, with Sphinx's test application.

    Returns what ``sphinx-build`` would: a return code, and the warnings or the error as
    ``stderr``; the page is written to ``_build/BUILDER/`` (``index.html`` for HTML).
    """
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    write_sphinx_page(project, page)
    status, warnings = StringIO(), StringIO()
    returncode = 0
    thresholds = gc.get_threshold()  # the extension raises them; a set-up that fails never restores them
    try:
        app = SphinxTestApp(
            builder, srcdir=project, builddir=project / "_build", status=status, warning=warnings,
            warningiserror=True, confoverrides={"nitpicky": True},
        )  # fmt: skip
        try:
            app.build()
        finally:
            app.cleanup()
    except Exception as error:  # what sphinx-build reports and exits 2 on
        returncode = 2
        warnings.write(f"\n{type(error).__name__}: {error}\n")
    finally:
        gc.set_threshold(*thresholds)
    return subprocess.CompletedProcess(["sphinx-build"], returncode, status.getvalue(), warnings.getvalue())


def run_sphinx_build(project: Path, page: str) -> subprocess.CompletedProcess:
    """The same one-page build through the ``sphinx-build`` command, as an author would see it."""
    write_sphinx_page(project, page)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-W",
            "-n",
            "-q",
            str(project),
            str(project / "_build" / "html"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
