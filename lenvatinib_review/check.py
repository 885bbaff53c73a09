"""`make check`: the book's data, citations and method rules, checked in seconds without a build.

Run ``python -m lenvatinib_review.check [BOOK]`` (``BOOK`` is the folder of ``_config.yml``,
by default the current one). It prints every problem, one a line, naming the file and the row
and column (or line) it is in, and exits with status 1 if there is any:

- the data package: every table against ``data/datapackage.json`` (types, constraints,
  foreign keys, citation keys), as the build checks it, and every row of ``data/figures.csv``
  against the drawings of :mod:`lenvatinib_review.figures`;
- citations: every key cited in a page or a notebook is in ``references.bib``; every entry of
  ``references.bib`` is cited and is an included record of the screening log, and every
  included record is an entry;
- the method rules of :mod:`lenvatinib_review.screening`: every evidence row graded by the
  strongest kind of model its finding was shown in.

The build and the tests check the same things; this finds them before a build.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from .datapackage import DataError, Problem, bibliography_keys, load_package
from .screening import identity_problems, misgraded_rows

CITE_ROLE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")
DESCRIPTOR = Path("data", "datapackage.json")
BIBLIOGRAPHY = Path("references.bib")
SCREENING_LOG = "data/records.csv"


def cited_in_pages(book: Path) -> dict[str, list[str]]:
    """Key -> where each citation of it is: "book/page.md, line N" (a notebook's line counts its markdown cells)."""
    cited: dict[str, list[str]] = {}
    for path in sorted((book / "book").rglob("*.md")) + sorted((book / "book").rglob("*.ipynb")):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".ipynb":
            cells = json.loads(text)["cells"]
            text = "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")
        for number, line in enumerate(text.splitlines(), start=1):
            for match in CITE_ROLE.finditer(line):
                for key in match.group(1).split(","):
                    cited.setdefault(key.strip(), []).append(f"{path.relative_to(book).as_posix()}, line {number}")
    return cited


def citation_problems(book: Path, tables) -> list[str]:
    known = bibliography_keys(book / BIBLIOGRAPHY)
    in_pages = cited_in_pages(book)
    problems = [
        f'{where}: cited key "{key}" is not in references.bib'
        for key, places in sorted(in_pages.items())
        if key not in known
        for where in places
    ]
    in_data = set().union(*(table.citation_keys() for table in tables.values()))
    records = {record.values["id"]: record for record in tables["records"].records}
    for key in sorted(known):
        if key not in in_pages and key not in in_data:
            problems.append(f'references.bib, entry "{key}": never cited (cite it, or remove the entry)')
        record = records.get(key)
        if record is None:
            problems.append(f'references.bib, entry "{key}": no record of {SCREENING_LOG} has this id')
        elif record.values["decision"] != "included":
            problems.append(
                f'{SCREENING_LOG}, row {record.row}, column "decision": "{key}" is in references.bib, '
                f'so it must be "included", not "{record.values["decision"]}"'
            )
    for key, record in sorted(records.items()):
        if record.values["decision"] == "included" and key not in known:
            problems.append(
                f'{SCREENING_LOG}, row {record.row}, column "id": included, but "{key}" is not in references.bib'
            )
    return problems


def problems_in(book: Path) -> list[str]:
    """Every problem of the book in ``book``, data first; the citation and method rules need valid data."""
    try:
        tables = load_package(book / DESCRIPTOR, book / BIBLIOGRAPHY)
    except DataError as error:
        return [str(problem) for problem in error.problems]
    except ValueError as error:  # the schema itself: the message names the resource and field
        return [str(Problem(DESCRIPTOR.as_posix(), str(error)))]
    rules = identity_problems(tables) + misgraded_rows(tables)
    return figure_problems(tables) + citation_problems(book, tables) + rules


def figure_problems(tables) -> list[str]:
    """Rows of the figures table without a drawing, and drawings without a row."""
    from .figures import figure_texts  # imports matplotlib: only once the data are valid

    try:
        figure_texts(tables)
    except DataError as error:
        return [str(problem) for problem in error.problems]
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("book", nargs="?", type=Path, default=Path("."), help="the folder of _config.yml")
    book = parser.parse_args(argv).book.resolve()
    # The loader names files relative to the package's repository; a copy elsewhere is named from its own folder.
    problems = [problem.replace(f"{book}/", "") for problem in problems_in(book)]
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) > 1 else ''} found", file=sys.stderr)
        return 1
    print("data, citations and method rules: no problems")
    return 0


if __name__ == "__main__":
    sys.exit(main())
