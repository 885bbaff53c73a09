"""One test per validation rule: a deliberately bad cell must be reported by file, row and column."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from lenvatinib_review.datapackage import DataError, load_package


def rewrite(path: Path, edit) -> None:
    """Apply ``edit`` to the rows (header first) of a CSV file and save it."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    edit(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def set_cell(project: Path, table: str, row: int, column: str, value: str) -> None:
    """Set one cell; ``row`` counts like a spreadsheet, the header being row 1."""

    def edit(rows):
        rows[row - 1][rows[0].index(column)] = value

    rewrite(project / "data" / f"{table}.csv", edit)


def problems(project: Path) -> str:
    with pytest.raises(DataError) as raised:
        load_package(project / "data" / "datapackage.json", project / "references.bib")
    return str(raised.value)


def assert_reported(message: str, table: str, row: int, column: str | None, words: str) -> None:
    where = f"{table}.csv, row {row}" + (f', column "{column}"' if column else "")
    lines = [line for line in message.splitlines() if where in line]
    assert lines, f"no problem reported at {where}:\n{message}"
    assert words in lines[0], lines[0]


def test_missing_required_value(project_copy):
    set_cell(project_copy, "mechanisms", 3, "process", "")
    assert_reported(problems(project_copy), "mechanisms", 3, "process", "a value is required")


def test_unknown_category(project_copy):
    set_cell(project_copy, "mechanisms", 4, "category", "intracelular")
    assert_reported(problems(project_copy), "mechanisms", 4, "category", '"intracelular" is not one of')


def test_duplicate_id(project_copy):
    set_cell(project_copy, "strategies", 3, "id", "egfr-inhibitor")
    assert_reported(problems(project_copy), "strategies", 3, "id", "repeats the value of row 2")


def test_unknown_citation_key(project_copy):
    set_cell(project_copy, "workflows", 2, "citations", "he2022egfr; nobody1999invented")
    assert_reported(problems(project_copy), "workflows", 2, "citations", '"nobody1999invented" is not in references.bib')


def test_non_numeric_number(project_copy):
    set_cell(project_copy, "pharmacology", 2, "value", "about 6")
    assert_reported(problems(project_copy), "pharmacology", 2, "value", '"about 6" is not a number')


def test_non_integer_integer(project_copy):
    set_cell(project_copy, "workflows", 5, "step", "2.5")
    assert_reported(problems(project_copy), "workflows", 5, "step", "not a whole number")


def test_value_below_minimum(project_copy):
    set_cell(project_copy, "workflows", 2, "step", "0")
    assert_reported(problems(project_copy), "workflows", 2, "step", "below the minimum")


def test_malformed_identifier(project_copy):
    set_cell(project_copy, "mechanisms", 2, "id", "Bad ID")
    assert_reported(problems(project_copy), "mechanisms", 2, "id", "does not match the pattern")


def test_empty_list_item(project_copy):
    set_cell(project_copy, "mechanisms", 2, "molecules", "HIF-1α;; PINK1")
    assert_reported(problems(project_copy), "mechanisms", 2, "molecules", "empty item")


def test_wrong_number_of_cells(project_copy):
    rewrite(project_copy / "data" / "strategies.csv", lambda rows: rows[3].append("extra"))
    assert_reported(problems(project_copy), "strategies", 4, None, "expected 7 cells, found 8")


def test_blank_row(project_copy):
    path = project_copy / "data" / "workflows.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:3] + ["\n"] + lines[3:]), encoding="utf-8")
    assert_reported(problems(project_copy), "workflows", 4, None, "blank row")


def test_unclosed_quote(project_copy):
    path = project_copy / "data" / "workflows.csv"
    path.write_text(path.read_text(encoding="utf-8") + 'late-row,5,validate,"never closed\n', encoding="utf-8")
    assert "malformed CSV" in problems(project_copy)


def test_header_mismatch(project_copy):
    rewrite(project_copy / "data" / "pharmacology.csv", lambda rows: rows[0].__setitem__(1, "name"))
    assert_reported(problems(project_copy), "pharmacology", 1, None, "the schema declares")


def test_every_problem_is_reported_at_once(project_copy):
    set_cell(project_copy, "mechanisms", 2, "category", "nowhere")
    set_cell(project_copy, "pharmacology", 3, "value", "n/a")
    message = problems(project_copy)
    assert_reported(message, "mechanisms", 2, "category", "is not one of")
    assert_reported(message, "pharmacology", 3, "value", "is not a number")


def test_unknown_foreign_key(project_copy):
    set_cell(project_copy, "evidence", 3, "mechanism", "no-such-mechanism")
    assert_reported(problems(project_copy), "evidence", 3, "mechanism", 'is not in column "id" of table "mechanisms"')
