"""Shared fixtures: the strictly built site, and small throw-away books for failure cases."""

from __future__ import annotations

import csv
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


PRINTING = pytest.StashKey[subprocess.Popen]()


def start_printing(site: Path) -> subprocess.Popen:
    """`make pdf`'s printing of the built site, started in the background."""
    command = [sys.executable, "-m", "lenvatinib_review.print_edition", str(site)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="session")
def built_site(request: pytest.FixtureRequest) -> Path:
    """The real book, built strictly (incrementally, so it is fast when nothing changed).

    When the session's tests need the PDF, printing it (about a minute) starts at once, on the
    other core, while the tests that come first run.
    """
    result = build_book(ROOT)
    assert result.returncode == 0, f"strict build failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    site = ROOT / "_build" / "html"
    if any("book_pdf" in item.fixturenames for item in request.session.items):
        printing = request.session.stash[PRINTING] = start_printing(site)
        request.addfinalizer(printing.kill)  # an interrupted session leaves no printing behind
    return site


@pytest.fixture(scope="session")
def book_pdf(request: pytest.FixtureRequest, built_site: Path) -> Path:
    """The book as one PDF, printed from the built site as `make pdf` does, once a session."""
    from lenvatinib_review.print_edition import PDF_FILE_NAME

    printing = request.session.stash.get(PRINTING, None) or start_printing(built_site)
    _, errors = printing.communicate(timeout=900)
    assert printing.returncode == 0, f"make pdf failed:\n{errors[-4000:]}"
    return built_site / PDF_FILE_NAME


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


def page(site: Path, docname: str):
    """A built page, parsed."""
    from bs4 import BeautifulSoup

    path = site / f"{docname}.html"
    assert path.is_file(), f"{docname} was not built"
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
