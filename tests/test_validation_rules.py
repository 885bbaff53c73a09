"""Every validation rule: a deliberately bad cell is reported by file, row and column.

Where the rule is standard Table Schema, Frictionless must flag the same file, row and
column as the book's loader (a differential test); the book's own extensions
(``x-citation-keys``, ``x-separator``) and the CSV structure are checked on the loader alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lenvatinib_review.datapackage import DataError, load_package

from conftest import rewrite, set_cell


def problems(project: Path) -> str:
    with pytest.raises(DataError) as raised:
        load_package(project / "data" / "datapackage.json", project / "references.bib")
    return str(raised.value)


def assert_reported(message: str, table: str, row: int, column: str | None, words: str) -> None:
    where = f"{table}.csv, row {row}" + (f', column "{column}"' if column else "")
    lines = [line for line in message.splitlines() if where in line]
    assert lines, f"no problem reported at {where}:\n{message}"
    assert words in lines[0], lines[0]


def frictionless_errors(project: Path) -> set[tuple[str, int | None, str | None]]:
    """(file, row, column) of every error Frictionless reports for the project's data package."""
    from frictionless import Package

    report = Package(str(project / "data" / "datapackage.json")).validate()
    found = set()
    for task in report.tasks:
        for error in task.errors:
            columns = getattr(error, "field_names", None) or [getattr(error, "field_name", None)]
            found |= {(Path(task.place).name, getattr(error, "row_number", None), column) for column in columns}
    return found


# (table, row, column, bad value, words of the loader's message); rows count like a spreadsheet.
CELL_CASES = {
    "missing required value": ("mechanisms", 3, "process", "", "a value is required"),
    "value outside the enum": ("mechanisms", 4, "category", "intracelular", '"intracelular" is not one of'),
    "duplicate primary key": ("strategies", 3, "id", "egfr-inhibitor", "repeats the value of row 2"),
    "not a number": ("pharmacology", 2, "value", "about 6", '"about 6" is not a number'),
    "not an integer": ("workflows", 5, "step", "2.5", "not a whole number"),
    "below the minimum": ("workflows", 2, "step", "0", "below the minimum"),
    "pattern mismatch": ("mechanisms", 2, "id", "Bad ID", "does not match the pattern"),
    "unknown foreign key": (
        "evidence",
        3,
        "mechanism",
        "no-such-mechanism",
        'is not in column "id" of table "mechanisms"',
    ),
}


@pytest.mark.parametrize("case", CELL_CASES, ids=lambda case: case.replace(" ", "-"))
def test_loader_and_frictionless_flag_the_same_cell(project_copy, case):
    table, row, column, value, words = CELL_CASES[case]
    set_cell(project_copy, table, row, column, value)
    assert_reported(problems(project_copy), table, row, column, words)
    assert (f"{table}.csv", row, column) in frictionless_errors(project_copy)


def append_line(project: Path, table: str, line: str) -> None:
    path = project / "data" / f"{table}.csv"
    path.write_text(path.read_text(encoding="utf-8") + line, encoding="utf-8")


def insert_blank_line(project: Path, table: str, row: int) -> None:
    path = project / "data" / f"{table}.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[: row - 1] + ["\n"] + lines[row - 1 :]), encoding="utf-8")


# The book's extensions and the CSV structure: (edit, table, row, column, words).
LOADER_CASES = {
    "unknown citation key": (
        lambda p: set_cell(p, "workflows", 2, "citations", "he2022egfr; nobody1999invented"),
        "workflows",
        2,
        "citations",
        '"nobody1999invented" is not in references.bib',
    ),
    "empty list item": (
        lambda p: set_cell(p, "mechanisms", 2, "molecules", "HIF-1α;; PINK1"),
        "mechanisms",
        2,
        "molecules",
        "empty item",
    ),
    "wrong number of cells": (
        lambda p: rewrite(p / "data" / "strategies.csv", lambda rows: rows[3].append("extra")),
        "strategies",
        4,
        None,
        "expected 10 cells, found 11",
    ),
    "blank row": (lambda p: insert_blank_line(p, "workflows", 4), "workflows", 4, None, "blank row"),
    "header mismatch": (
        lambda p: rewrite(p / "data" / "pharmacology.csv", lambda rows: rows[0].__setitem__(1, "name")),
        "pharmacology",
        1,
        None,
        "the schema declares",
    ),
    "unclosed quote": (
        lambda p: append_line(p, "workflows", 'late-row,5,validate,"never closed\n'),
        "workflows",
        9,
        None,
        "malformed CSV",
    ),
}


@pytest.mark.parametrize("case", LOADER_CASES, ids=lambda case: case.replace(" ", "-"))
def test_loader_rule(project_copy, case):
    edit, table, row, column, words = LOADER_CASES[case]
    edit(project_copy)
    assert_reported(problems(project_copy), table, row, column, words)


def test_a_value_repeated_on_three_rows_names_each_earlier_row(project_copy):
    value = "egfr-inhibitor"  # row 2's id
    set_cell(project_copy, "strategies", 3, "id", "another-id")
    set_cell(project_copy, "strategies", 4, "id", value)
    set_cell(project_copy, "strategies", 5, "id", value)
    lines = [line for line in problems(project_copy).splitlines() if "repeats the value" in line]
    assert len(lines) == 2, lines
    assert_reported("\n".join(lines), "strategies", 4, "id", f'"{value}" repeats the value of row 2')
    assert_reported("\n".join(lines), "strategies", 5, "id", f'"{value}" repeats the value of row 2')


def test_every_problem_is_reported_at_once(project_copy):
    set_cell(project_copy, "mechanisms", 2, "category", "nowhere")
    set_cell(project_copy, "pharmacology", 3, "value", "n/a")
    message = problems(project_copy)
    assert_reported(message, "mechanisms", 2, "category", "is not one of")
    assert_reported(message, "pharmacology", 3, "value", "is not a number")


def edit_descriptor(project: Path, edit) -> None:
    path = project / "data" / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    edit({resource["name"]: resource for resource in package["resources"]})
    path.write_text(json.dumps(package, indent=2), encoding="utf-8")


def field_of(resources, table: str, column: str) -> dict:
    return next(f for f in resources[table]["schema"]["fields"] if f["name"] == column)


# Descriptor keys the loader does not enforce: (edit, words naming resource, field and key).
UNSUPPORTED = {
    "maxLength constraint": (
        lambda r: field_of(r, "mechanisms", "id")["constraints"].update(maxLength=3),
        'resource "mechanisms": field "id": unsupported constraint \'maxLength\'',
    ),
    "stray field key": (
        lambda r: field_of(r, "coverage", "book_section").update(pattern=None),
        'resource "coverage": field "book_section": unsupported key \'pattern\'',
    ),
    "unknown type": (
        lambda r: field_of(r, "workflows", "step").update(type="date"),
        'resource "workflows": field "step": unsupported type "date"',
    ),
    "pattern on a number": (
        lambda r: field_of(r, "workflows", "step")["constraints"].update(pattern="[0-9]+"),
        'resource "workflows": field "step": unsupported constraint \'pattern\' for type integer',
    ),
    "missing values": (
        lambda r: r["targets"]["schema"].update(missingValues=["", "NA"]),
        "resource \"targets\": schema: unsupported key 'missingValues'",
    ),
    "composite primary key": (
        lambda r: r["targets"]["schema"].update(primaryKey=["id", "family"]),
        'resource "targets": primaryKey must name one field',
    ),
}


@pytest.mark.parametrize("case", UNSUPPORTED, ids=lambda case: case.replace(" ", "-"))
def test_unsupported_schema_keys_are_rejected(project_copy, case):
    edit, words = UNSUPPORTED[case]
    edit_descriptor(project_copy, edit)
    assert words in problems(project_copy)


def test_frictionless_also_enforces_the_constraint_the_loader_rejects(project_copy):
    """maxLength is real Table Schema: ignoring it would let the two validators disagree."""
    edit_descriptor(project_copy, lambda r: field_of(r, "mechanisms", "id")["constraints"].update(maxLength=3))
    assert any(file == "mechanisms.csv" and column == "id" for file, _, column in frictionless_errors(project_copy))


def test_a_code_without_a_label_is_reported_where_it_is_allowed_and_where_it_is_used(project_copy):
    """An enumerated value missing from labels.csv names the column that allows it; an item of an
    x-labelled column without a label names its file, row and column."""
    rewrite(project_copy / "data" / "labels.csv", lambda rows: rows.remove(["hcc", "Hepatocellular carcinoma"]))
    edit_descriptor(project_copy, lambda r: field_of(r, "evidence", "shown_in")["constraints"].pop("pattern"))
    set_cell(project_copy, "evidence", 2, "shown_in", "in-vitro; organoid")
    message = problems(project_copy)
    assert 'labels.csv: no row for "hcc", a value column "indication" of table "trials" allows' in message
    assert "labels.csv" in message.split('"organoid" has no label in')[1].splitlines()[0]
    assert_reported(message, "evidence", 2, "shown_in", '"organoid" has no label in')


def test_labels_are_what_readers_see_and_the_files_keep_their_codes(project_copy):
    from lenvatinib_review.datapackage import shown_text, value_labels

    tables = load_package(project_copy / "data" / "datapackage.json", project_copy / "references.bib")
    labels = value_labels(tables)
    record = next(r for r in tables["evidence"].records if len(r.values["shown_in"]) > 1)
    column = tables["evidence"].schema.field("shown_in")
    assert shown_text(column, record.values["shown_in"], labels) == "; ".join(
        labels[kind] for kind in record.values["shown_in"]
    )
    assert all(kind in column.pattern for kind in record.values["shown_in"])  # the file keeps the codes
    trials = tables["trials"]
    indication = trials.schema.field("indication")
    assert {shown_text(indication, r.values["indication"], labels) for r in trials.records} <= {
        labels[code] for code in indication.enum
    }
