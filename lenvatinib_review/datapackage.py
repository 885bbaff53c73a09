"""Load the book's CSV tables and check every cell against ``data/datapackage.json``.

The descriptor is a Frictionless Data Package: each resource names a CSV file
and carries a Table Schema (field names, types and constraints). The book's
build, its notebooks and its tests all read data through :func:`load_package`,
so a table that renders is a table that passed the same checks everywhere.

Four extensions to Table Schema are used, all ignored by other Frictionless
tools:

``x-separator``
    the cell holds a list, split on this character (for example ``;``);
``x-citation-keys``
    every list item must be a key of ``references.bib``;
``x-range-end``
    names the field that holds the upper bound of a range whose lower
    bound is this field (used only for display);
``x-labelled``
    every item of the cell is a code that the ``labels`` table names in
    words (a field with an ``enum`` is labelled without it).

Readers see labels, never codes: ``labels.csv`` gives the words for every
value a field enumerates and every item of an ``x-labelled`` field, and
:func:`shown_text` is the one place that turns a cell into what a reader sees.

The loader is strict about the descriptor: a key, type or constraint it does
not enforce (for example ``maxLength``) is an error naming the resource and the
field, never silently ignored. What it enforces: the types ``string``,
``integer``, ``number`` and ``year``; the constraints ``required``, ``unique``,
``enum``, ``pattern``, ``minimum`` and ``maximum``; ``primaryKey`` and
``foreignKeys``; and the four extensions above.

Problems are collected for the whole package and reported together, each
naming the file, the row (spreadsheet numbering: the header is row 1) and
the column, so an author can fix every mistake in one pass.

Where the files are: functions take the descriptor and the bibliography as
arguments; left out, they read the book they run in: the nearest folder, from
the working directory up, that holds ``data/datapackage.json`` (a notebook runs
in its own folder inside the book, whether the book's build executes it or a
reader opens it), falling back to the repository's own files.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
DESCRIPTOR = Path("data", "datapackage.json")
BIBLIOGRAPHY = Path("references.bib")
DEFAULT_DESCRIPTOR = REPOSITORY_ROOT / DESCRIPTOR
DEFAULT_BIBLIOGRAPHY = REPOSITORY_ROOT / BIBLIOGRAPHY


def book_root(start: Path | None = None) -> Path:
    """The nearest folder, from ``start`` (the working directory) up, holding the data package; else the repository."""
    start = Path.cwd() if start is None else Path(start)
    return next((folder for folder in (start, *start.parents) if (folder / DESCRIPTOR).is_file()), REPOSITORY_ROOT)


def descriptor_path() -> Path:
    """The data package of the book this runs in."""
    return book_root() / DESCRIPTOR


def bibliography_path() -> Path:
    """The bibliography of the book this runs in."""
    return book_root() / BIBLIOGRAPHY


# What the loader enforces, and the descriptive keys that need no enforcing; anything else in
# the descriptor is rejected.
FIELD_TYPES = ("string", "integer", "number", "year")
DESCRIPTIVE_KEYS = {"title", "description", "licenses", "sources", "contributors", "keywords", "homepage"}
PACKAGE_KEYS = DESCRIPTIVE_KEYS | {"name", "id", "version", "created", "resources", "profile", "$schema"}
RESOURCE_KEYS = DESCRIPTIVE_KEYS | {"name", "path", "profile", "format", "mediatype", "encoding", "schema"}
SCHEMA_KEYS = {"fields", "primaryKey", "foreignKeys"}
FIELD_KEYS = {
    *("name", "title", "description", "example", "type", "constraints"),
    *("x-separator", "x-citation-keys", "x-range-end", "x-labelled"),
}
CONSTRAINTS = {
    "string": {"required", "unique", "enum", "pattern"},
    "integer": {"required", "unique", "enum", "minimum", "maximum"},
    "number": {"required", "unique", "enum", "minimum", "maximum"},
    "year": {"required", "unique", "enum", "minimum", "maximum"},
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located as precisely as possible."""

    path: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.path
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f', column "{self.column}"'
        return f"{where}: {self.message}"


class DataError(ValueError):
    """Raised with every problem found, one per line of the message."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass(frozen=True)
class Field:
    """A column of a table, as declared in the Table Schema."""

    name: str
    title: str
    type: str
    description: str = ""
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] = ()
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    separator: str | None = None
    citation_keys: bool = False
    range_end: str | None = None
    coded: bool = False
    """Declared with x-labelled: each item is a code of the labels table."""

    @property
    def labelled(self) -> bool:
        """Whether readers see this field's values as labels (an enumerated or x-labelled field)."""
        return bool(self.enum) or self.coded

    @classmethod
    def from_descriptor(cls, descriptor: dict[str, Any]) -> Field:
        """A field from its descriptor; ValueError names whatever the loader would not enforce."""
        name = descriptor.get("name")
        if not isinstance(name, str) or not name:
            raise ValueError("a field has no name")
        where = f'field "{name}"'
        unknown = sorted(set(descriptor) - FIELD_KEYS)
        if unknown:
            raise ValueError(
                f"{where}: unsupported key {', '.join(map(repr, unknown))} (supported: {', '.join(sorted(FIELD_KEYS))})"
            )
        field_type = descriptor.get("type", "string")
        if field_type not in FIELD_TYPES:
            raise ValueError(f'{where}: unsupported type "{field_type}" (supported: {", ".join(FIELD_TYPES)})')
        constraints = descriptor.get("constraints", {})
        if not isinstance(constraints, dict):
            raise ValueError(f"{where}: constraints must be an object")
        unsupported = sorted(set(constraints) - CONSTRAINTS[field_type])
        if unsupported:
            raise ValueError(
                f"{where}: unsupported constraint {', '.join(map(repr, unsupported))} for type {field_type} "
                f"(supported: {', '.join(sorted(CONSTRAINTS[field_type]))})"
            )
        expected = {
            "required": bool,
            "unique": bool,
            "enum": list,
            "pattern": str,
            "minimum": (int, float),
            "maximum": (int, float),
        }
        for key, value in constraints.items():
            if not isinstance(value, expected[key]) or (key in ("minimum", "maximum") and isinstance(value, bool)):
                raise ValueError(f"{where}: constraint {key!r} has the invalid value {value!r}")
        if "pattern" in constraints:
            try:
                re.compile(constraints["pattern"])
            except re.error as error:
                raise ValueError(f"{where}: invalid pattern {constraints['pattern']!r} ({error})") from None
        separator = descriptor.get("x-separator")
        if separator is not None and (not isinstance(separator, str) or not separator or field_type != "string"):
            raise ValueError(f"{where}: x-separator must be a non-empty string on a field of type string")
        if descriptor.get("x-citation-keys") and separator is None:
            raise ValueError(f"{where}: x-citation-keys needs x-separator")
        for flag in ("x-citation-keys", "x-labelled"):
            if not isinstance(descriptor.get(flag, False), bool):
                raise ValueError(f"{where}: {flag} must be true or false")
        instance = cls(
            name=name,
            title=descriptor.get("title", name),
            type=field_type,
            description=descriptor.get("description", ""),
            required=constraints.get("required", False),
            unique=constraints.get("unique", False),
            enum=tuple(constraints.get("enum", ())),
            pattern=constraints.get("pattern"),
            minimum=constraints.get("minimum"),
            maximum=constraints.get("maximum"),
            separator=separator,
            citation_keys=descriptor.get("x-citation-keys", False),
            range_end=descriptor.get("x-range-end"),
            coded=descriptor.get("x-labelled", False),
        )
        for item in instance.enum:
            try:
                instance._parse_value(str(item))
            except ValueError as error:
                raise ValueError(f"{where}: enum value {item!r} is not a valid {field_type} ({error})") from None
        return instance

    def parse(self, text: str) -> Any:
        """Return the typed value of a non-empty cell, or raise ValueError saying why not."""
        if self.pattern is not None and not re.fullmatch(self.pattern, text):
            raise ValueError(f'"{text}" does not match the pattern {self.pattern}')
        value = self._parse_value(text)
        if self.enum and value not in [self._parse_value(str(item)) for item in self.enum]:
            raise ValueError(f'"{text}" is not one of: {", ".join(map(str, self.enum))}')
        if self.separator is not None:
            items = [item.strip() for item in text.split(self.separator)]
            if any(not item for item in items):
                raise ValueError(f'"{text}" has an empty item between "{self.separator}" separators')
            return tuple(items)
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"{text} is below the minimum {self.minimum}")
        if self.maximum is not None and value > self.maximum:
            raise ValueError(f"{text} is above the maximum {self.maximum}")
        return value

    def _parse_value(self, text: str) -> str | int | float:
        return text if self.type == "string" else self._parse_number(text)

    def _parse_number(self, text: str) -> int | float:
        if self.type == "year":
            if not re.fullmatch(r"\d{4}", text):
                raise ValueError(f'"{text}" is not a year (four digits)')
            return int(text)
        if self.type == "integer":
            if not re.fullmatch(r"-?\d+", text):
                raise ValueError(f'"{text}" is not a whole number ({self.type} expected)')
            return int(text)
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f'"{text}" is not a number') from None
        if not math.isfinite(value):
            raise ValueError(f'"{text}" is not a finite number')
        return value


@dataclass(frozen=True)
class TableSchema:
    """A resource of the data package: its file and its fields."""

    name: str
    path: Path
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: str | None
    foreign_keys: tuple[tuple[str, str, str], ...] = ()
    """(column, referenced table, referenced column) triples."""

    def field(self, name: str) -> Field:
        for candidate in self.fields:
            if candidate.name == name:
                return candidate
        raise KeyError(f'table "{self.name}" has no column "{name}"')

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.fields)


@dataclass(frozen=True)
class Record:
    """One data row: typed values, the cell text as written, and where it came from."""

    row: int
    values: dict[str, Any]
    text: dict[str, str]


@dataclass
class Table:
    schema: TableSchema
    records: list[Record] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.records)

    def citation_keys(self) -> set[str]:
        keys: set[str] = set()
        for column in self.schema.fields:
            if column.citation_keys:
                for record in self.records:
                    keys.update(record.values[column.name] or ())
        return keys


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPOSITORY_ROOT))
    except ValueError:
        return str(path)


def _single_field(value: Any, what: str) -> str:
    """A field name given as a string or a one-item list (composite keys are not supported)."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if not isinstance(value, str):
        raise ValueError(f"{what} must name one field (composite keys are not supported), not {value!r}")
    return value


def _schema(descriptor: Path, resource: dict[str, Any]) -> TableSchema:
    """One resource's table schema; ValueError says what the loader would not enforce."""
    unknown = sorted(set(resource) - RESOURCE_KEYS)
    if unknown:
        raise ValueError(
            f"unsupported key {', '.join(map(repr, unknown))} (supported: {', '.join(sorted(RESOURCE_KEYS))})"
        )
    if resource.get("format", "csv") != "csv" or str(resource.get("encoding", "utf-8")).lower() != "utf-8":
        raise ValueError("only CSV files in UTF-8 are supported (format, encoding)")
    if not isinstance(resource.get("path"), str):
        raise ValueError("path must name one file")
    schema = resource.get("schema")
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        raise ValueError("no schema with a list of fields")
    unknown = sorted(set(schema) - SCHEMA_KEYS)
    if unknown:
        raise ValueError(
            f"schema: unsupported key {', '.join(map(repr, unknown))} (supported: {', '.join(sorted(SCHEMA_KEYS))})"
        )
    fields = tuple(Field.from_descriptor(item) for item in schema["fields"])
    names = [column.name for column in fields]
    primary_key = _single_field(schema["primaryKey"], "primaryKey") if "primaryKey" in schema else None
    foreign_keys = []
    for key in schema.get("foreignKeys", []):
        if set(key) - {"fields", "reference"} or set(key.get("reference", {})) - {"resource", "fields"}:
            raise ValueError(f"foreignKeys: only fields and reference (resource, fields) are supported: {key!r}")
        foreign_keys.append(
            (
                _single_field(key.get("fields"), "a foreign key"),
                key["reference"].get("resource") or resource["name"],  # "" refers to the table itself
                _single_field(key["reference"].get("fields"), "a foreign key reference"),
            )
        )
    for column in [primary_key] * bool(primary_key) + [local for local, _, _ in foreign_keys]:
        if column not in names:
            raise ValueError(f'key field "{column}" is not a field of the table')
    for column in fields:
        if column.range_end is not None and column.range_end not in names:
            raise ValueError(f'field "{column.name}": x-range-end names no field of the table')
    return TableSchema(
        name=resource["name"],
        path=descriptor.parent / resource["path"],
        title=resource.get("title", resource["name"]),
        description=resource.get("description", ""),
        fields=fields,
        primary_key=primary_key,
        foreign_keys=tuple(foreign_keys),
    )


def read_schemas(descriptor: Path | None = None) -> dict[str, TableSchema]:
    """Read the data package descriptor; a malformed or unsupported descriptor raises DataError."""
    descriptor = Path(descriptor) if descriptor is not None else descriptor_path()
    where = display_path(descriptor)
    try:
        package = json.loads(descriptor.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise DataError([Problem(where, f"cannot read the data package descriptor: {error}")]) from None
    problems = []
    unknown = sorted(set(package) - PACKAGE_KEYS)
    if unknown:
        problems.append(
            Problem(
                where, f"unsupported key {', '.join(map(repr, unknown))} (supported: {', '.join(sorted(PACKAGE_KEYS))})"
            )
        )
    schemas = {}
    for resource in package.get("resources", []):
        name = resource.get("name", "?")
        try:
            schemas[name] = _schema(descriptor, resource)
        except (KeyError, TypeError, ValueError) as error:
            problems.append(Problem(where, f'resource "{name}": {error}'))
    for schema in schemas.values():
        for _, table, referenced in schema.foreign_keys:
            if table not in schemas or referenced not in schemas[table].field_names:
                problems.append(
                    Problem(
                        where,
                        f'resource "{schema.name}": foreign key names no field "{referenced}" of a table "{table}"',
                    )
                )
    if problems:
        raise DataError(problems)
    return schemas


def bibliography_entries(bibliography: Path | None = None):
    """The entries of a BibTeX file by key, read with the parser Sphinx uses (once for each version of
    the file: a build asks for them about twenty times). Callers read them and never change them."""
    bibliography = Path(bibliography) if bibliography is not None else bibliography_path()
    try:
        status = bibliography.stat()
    except OSError as error:
        raise DataError([Problem(display_path(bibliography), f"cannot read the bibliography: {error}")]) from None
    return _parsed_bibliography(bibliography.resolve(), status.st_mtime_ns, status.st_size)


@functools.lru_cache(maxsize=4)
def _parsed_bibliography(bibliography: Path, modified_ns: int, size: int):
    from pybtex.database import parse_file
    from pybtex.scanner import PybtexError

    try:
        return parse_file(str(bibliography), bib_format="bibtex").entries
    except (OSError, PybtexError) as error:
        raise DataError([Problem(display_path(bibliography), f"cannot read the bibliography: {error}")]) from None


def bibliography_keys(bibliography: Path | None = None) -> set[str]:
    """The entry keys of a BibTeX file."""
    return set(bibliography_entries(bibliography).keys())


def read_table(schema: TableSchema, known_keys: set[str]) -> tuple[Table, list[Problem]]:
    """Read one CSV file, returning the valid records and every problem found."""
    where = display_path(schema.path)
    table = Table(schema)
    try:
        with schema.path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            header = next(reader, None)
            if header is None:
                return table, [Problem(where, "the file is empty (a header row is required)")]
            if tuple(header) != schema.field_names:
                return table, [
                    Problem(
                        where,
                        f"header is {', '.join(header)}; the schema declares {', '.join(schema.field_names)}",
                        row=1,
                    )
                ]
            problems: list[Problem] = []
            # Each unique column's values, with the rows of the records that hold them.
            unique_rows = {
                column.name: {} for column in schema.fields if column.unique or column.name == schema.primary_key
            }
            row = reader.line_num + 1
            for cells in reader:
                problems.extend(_read_record(schema, known_keys, table, unique_rows, cells, row, where))
                row = reader.line_num + 1
    except OSError as error:
        return table, [Problem(where, f"cannot read the file: {error}")]
    except UnicodeDecodeError as error:
        return table, [Problem(where, f"the file is not valid UTF-8 ({error.reason} at byte {error.start})")]
    except csv.Error as error:
        return table, [Problem(where, f"malformed CSV: {error}", row=reader.line_num)]
    if not table.records and not problems:
        problems.append(Problem(where, "the table has no data rows"))
    return table, problems


def _read_record(
    schema: TableSchema,
    known_keys: set[str],
    table: Table,
    unique_rows: dict[str, dict[str, list[int]]],
    cells: list[str],
    row: int,
    where: str,
) -> list[Problem]:
    if not cells:
        return [Problem(where, "blank row (delete it or fill it in)", row=row)]
    if len(cells) != len(schema.fields):
        return [Problem(where, f"expected {len(schema.fields)} cells, found {len(cells)}", row=row)]
    problems = []
    values: dict[str, Any] = {}
    text: dict[str, str] = {}
    for column, raw in zip(schema.fields, cells):
        cell = raw.strip()
        text[column.name] = cell
        values[column.name] = None
        if not cell:
            if column.required or column.name == schema.primary_key:
                problems.append(Problem(where, "a value is required", row, column.name))
            continue
        try:
            values[column.name] = column.parse(cell)
        except ValueError as error:
            problems.append(Problem(where, str(error), row, column.name))
            continue
        if column.citation_keys:
            for key in values[column.name]:
                if key not in known_keys:
                    problems.append(Problem(where, f'citation key "{key}" is not in references.bib', row, column.name))
        for earlier in unique_rows.get(column.name, {}).get(cell, ()):
            repeated = f'"{cell}" repeats the value of row {earlier} (must be unique)'
            problems.append(Problem(where, repeated, row, column.name))
    if not problems:
        table.records.append(Record(row=row, values=values, text=text))
        for name, rows in unique_rows.items():
            rows.setdefault(text[name], []).append(row)
    return problems


def load_package(descriptor: Path | None = None, bibliography: Path | None = None) -> dict[str, Table]:
    """Read and validate every table; raise DataError listing all problems if any.

    Left out, the paths are read from the environment at call time (see the module docstring).
    """
    schemas = read_schemas(descriptor)
    known_keys = bibliography_keys(bibliography)
    tables, problems = {}, []
    for name, schema in schemas.items():
        tables[name], found = read_table(schema, known_keys)
        problems.extend(found)
    problems.extend(_check_foreign_keys(tables))
    problems.extend(_check_labels(tables, display_path(Path(descriptor) if descriptor else descriptor_path())))
    if problems:
        raise DataError(problems)
    return tables


def _check_foreign_keys(tables: dict[str, Table]) -> list[Problem]:
    problems = []
    for table in tables.values():
        for column, resource, referenced in table.schema.foreign_keys:
            if resource not in tables:
                problems.append(
                    Problem(display_path(table.schema.path), f'foreign key names unknown table "{resource}"')
                )
                continue
            known = {record.text[referenced] for record in tables[resource].records}
            for record in table.records:
                if record.text[column] and record.text[column] not in known:
                    problems.append(
                        Problem(
                            display_path(table.schema.path),
                            f'"{record.text[column]}" is not in column "{referenced}" of table "{resource}"',
                            record.row,
                            column,
                        )
                    )
    return problems


LABELS = "labels"


def value_labels(tables: dict[str, Table]) -> dict[str, str]:
    """Code -> the words readers see for it, from the labels table."""
    return {record.text["code"]: record.text["label"] for record in tables[LABELS].records}


def shown_text(column: Field, value: Any, labels: dict[str, str]) -> str:
    """A cell's typed value as a reader sees it: codes as their labels, list items joined by "; "."""
    if value is None:
        return ""
    items = value if column.separator is not None else (value,)
    if column.labelled:
        items = [labels[str(item)] for item in items]
    return "; ".join(str(item) for item in items)


def _check_labels(tables: dict[str, Table], descriptor: str) -> list[Problem]:
    """Every code a reader could see has a label: each enumerated value, each item of an x-labelled field."""
    labelled = [(table, column) for table in tables.values() for column in table.schema.fields if column.labelled]
    if not labelled:
        return []
    if LABELS not in tables:
        return [Problem(descriptor, f'no "{LABELS}" table gives the words for coded values')]
    labels = value_labels(tables)
    where = display_path(tables[LABELS].schema.path)
    problems = []
    for table, column in labelled:
        for code in column.enum:
            if str(code) not in labels:
                problems.append(
                    Problem(
                        where,
                        f'no row for "{code}", a value column "{column.name}" of table "{table.schema.name}" allows',
                    )
                )
        if column.coded:
            for record in table.records:
                for item in record.values[column.name] or ():
                    if item not in labels:
                        problems.append(
                            Problem(
                                display_path(table.schema.path),
                                f'"{item}" has no label in {where}',
                                record.row,
                                column.name,
                            )
                        )
    return problems


def fingerprint(paths: list[Path]) -> str:
    """A hash of files' names and contents, in the order given, used to tell when notebooks must run again.

    Where the files are does not count, so a copy of the book (or the package installed from
    its wheel) finds the notebook outputs that the same files gave.
    """
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def package_inputs(descriptor: Path, bibliography: Path) -> str | None:
    """A fingerprint of everything :func:`load_package` reads (the descriptor, the bibliography, every
    table) and of the code that checks them (this module, which imports nothing else of the book's
    package), with where the descriptor is; None when a file cannot be read (load_package says which)."""
    try:
        tables = [schema.path for schema in read_schemas(descriptor).values()]
        return f"{Path(descriptor).resolve()} {fingerprint([descriptor, bibliography, *tables, Path(__file__)])}"
    except (DataError, OSError):
        return None
