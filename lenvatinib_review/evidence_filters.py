"""What the evidence explorer filters and sorts on, computed from the data tables.

Each row of ``evidence.csv`` (a finding) is described by the values a reader can
filter it on: its mechanism, that mechanism's category and process group (from
``mechanisms.csv``) and certainty (by :mod:`lenvatinib_review.certainty`), each molecule, its
effect, its evidence level, each kind of model it was shown in, the drug studied, and the year of each cited work (from
``references.bib``; ``n.d.`` where no year was seen).

A view of the explorer is a URL query of those filter keys plus ``sort`` (a
column key) and ``order`` (``ascending`` or ``descending``), for example
``level=patient-cohort&sort=year``. :func:`check_view` reads one and raises
:class:`ViewError` naming every unknown key or value, so that a link in a chapter
is checked when the book is built. This module knows nothing of Sphinx.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from .certainty import RATINGS, assess
from .datapackage import Record, Table, value_labels
from .figure_data import first_author, publication_year

NO_YEAR = "n.d."
ORDERS = ("ascending", "descending")


@dataclass(frozen=True)
class Column:
    key: str
    title: str


# The explorer's columns, in order; each can be sorted on (``sort=<key>``).
COLUMNS = (
    Column("finding", "Finding"),
    Column("mechanism", "Mechanism (category / process group)"),
    Column("certainty", "Certainty of the mechanism"),
    Column("molecules", "Molecules"),
    Column("effect", "Effect"),
    Column("models", "Models"),
    Column("level", "Strongest evidence (all models)"),
    Column("drug", "Drug"),
    Column("year", "Year"),
    Column("citations", "Source"),
)
# The filters, in the order of their controls: (query key, label).
FILTERS = (
    ("mechanism", "Mechanism"),
    ("category", "Category"),
    ("process_group", "Process group"),
    ("certainty", "Certainty of the mechanism"),
    ("molecule", "Molecule"),
    ("effect", "Effect on lenvatinib"),
    ("level", "Strongest evidence"),
    ("shown_in", "Shown in any model"),
    ("drug", "Drug studied"),
    ("year", "Year of the source"),
)

# What a filter keeps, where its label alone could be read two ways ("level" and "shown_in" share their values).
FILTER_HINTS = {
    "level": "The strongest kind of study behind the finding.",
    "shown_in": "Every kind of model the finding was shown in, the strongest or not.",
}


class ViewError(ValueError):
    """A view (query string) with unknown keys or values; the message names each of them."""


@dataclass(frozen=True)
class Finding:
    """One evidence row as the explorer shows it: its record and its mechanism's, filter values and sort keys."""

    id: str
    record: Record
    mechanism: Record
    values: dict[str, tuple[str, ...]]
    """Filter key -> the values this finding matches."""
    sort_keys: dict[str, tuple | None]
    """Column key -> the key ascending order sorts on; None for a value that always sorts last."""


def findings(tables: dict[str, Table], entries) -> list[Finding]:
    """Every evidence row, in the file's order; ``entries`` are the bibliography's entries by key."""
    mechanisms = {m.values["id"]: m for m in tables["mechanisms"].records}
    levels = enum(tables, "evidence", "evidence_level")  # strongest first
    categories = enum(tables, "mechanisms", "category")
    groups = enum(tables, "mechanisms", "process_group")
    certainty = assess(tables, entries)
    result = []
    for record in tables["evidence"].records:
        mechanism = mechanisms[record.values["mechanism"]]
        rated = certainty[record.values["mechanism"]]
        cited = [entries[key] for key in record.values["citations"]]
        cited_years = [publication_year(entry) for entry in cited]
        dated = sorted({year for year in cited_years if year is not None})
        values = {
            "mechanism": (mechanism.values["id"],),
            "category": (mechanism.values["category"],),
            "process_group": (mechanism.values["process_group"],),
            "certainty": (rated.rating,),
            "molecule": record.values["molecules"],
            "effect": (record.values["effect"],),
            "level": (record.values["evidence_level"],),
            "shown_in": record.values["shown_in"],
            "drug": (record.values["drug"],),
            "year": (*map(str, dated), *([NO_YEAR] if None in cited_years else [])),
        }
        sort_keys = {
            "finding": caseless(record.text["finding"]),
            "mechanism": (
                categories.index(mechanism.values["category"]),
                groups.index(mechanism.values["process_group"]),
                *caseless(mechanism.values["process"]),
            ),
            # ascending: least certain first; at one rating, the lower score first
            "certainty": (-RATINGS.index(rated.rating), rated.score),
            "molecules": caseless(record.text["molecules"]),
            "effect": (record.values["effect"],),
            "models": caseless(record.text["models"]),
            # ascending: weakest first; at one level, a finding shown in fewer kinds of model first
            "level": (-levels.index(record.values["evidence_level"]), len(record.values["shown_in"])),
            "drug": (record.values["drug"],),
            "year": (dated[0],) if dated else None,
            "citations": (*caseless(first_author(cited[0])), cited_years[0] or 0, record.values["citations"]),
        }
        result.append(Finding(record.values["id"], record, mechanism, values, sort_keys))
    return result


def caseless(text: str) -> tuple[str, str]:
    """A sort key that ignores case, then orders texts that differ only in case ("ZEB1" before "Zeb1").

    Without the second part such texts would compare equal and keep the order they came in,
    which for a set's values depends on the hash seed.
    """
    return (text.casefold(), text)


def enum(tables: dict[str, Table], table: str, column: str) -> tuple[str, ...]:
    return tables[table].schema.field(column).enum


def sort_ranks(rows: list[Finding]) -> dict[str, list[int | None]]:
    """Finding id -> its rank in ascending order on each column (equal keys share a rank; None sorts last)."""
    ranks: dict[str, list[int | None]] = {row.id: [] for row in rows}
    for column in COLUMNS:
        keys = sorted({row.sort_keys[column.key] for row in rows if row.sort_keys[column.key] is not None})
        for row in rows:
            key = row.sort_keys[column.key]
            ranks[row.id].append(None if key is None else keys.index(key))
    return ranks


def filter_options(tables: dict[str, Table], rows: list[Finding]) -> dict[str, list[tuple[str, str]]]:
    """Filter key -> the (value, label) pairs some finding has, in the order a reader scans them.

    Values a schema enumerates keep the schema's order and show their labels, ratings the rule's (high
    first); mechanisms are listed by their process name, molecules alphabetically, years in order with
    ``n.d.`` last.
    """
    used = {key: {value for row in rows for value in row.values[key]} for key, _ in FILTERS}
    processes = {m.values["id"]: m.values["process"] for m in tables["mechanisms"].records}
    schema_orders = {
        "category": enum(tables, "mechanisms", "category"),
        "process_group": enum(tables, "mechanisms", "process_group"),
        "effect": enum(tables, "evidence", "effect"),
        "level": enum(tables, "evidence", "evidence_level"),
        "shown_in": enum(tables, "evidence", "evidence_level"),  # the kinds of model are the levels' words
        "drug": enum(tables, "evidence", "drug"),
    }
    labels = value_labels(tables)
    options = {}
    for key, _ in FILTERS:
        if key in schema_orders:
            options[key] = [(value, labels[value]) for value in sorted(used[key], key=schema_orders[key].index)]
        elif key == "certainty":
            options[key] = [(value, labels[value]) for value in RATINGS if value in used[key]]
        elif key == "mechanism":
            options[key] = sorted(
                ((value, processes[value]) for value in used[key]), key=lambda option: (*caseless(option[1]), option[0])
            )
        elif key == "year":
            options[key] = [(value, value) for value in sorted(used[key], key=lambda v: (v == NO_YEAR, v))]
        else:
            options[key] = [(value, value) for value in sorted(used[key], key=caseless)]
    return options


def check_view(query: str, rows: list[Finding], options: dict[str, list[tuple[str, str]]]) -> str:
    """The view in a canonical key order; ViewError names every unknown key or value.

    A view whose filters together match no finding is an error too: a link to an empty table
    is a mistake in the link or a change in the data.
    """
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise ViewError(f'"{query}" is not a query of key=value pairs joined by "&"') from None
    problems = []
    view: dict[str, str] = {}
    filter_keys = [key for key, _ in FILTERS]
    column_keys = [column.key for column in COLUMNS]
    for key, value in pairs:
        if key in view:
            problems.append(f'"{key}" is given twice')
        elif key in options:
            known = [v for v, _ in options[key]]
            if value not in known:
                problems.append(f'no finding has {key}="{value}"; its values: {", ".join(known)}')
        elif key == "sort":
            if value not in column_keys:
                problems.append(f'cannot sort on "{value}"; columns: {", ".join(column_keys)}')
        elif key == "order":
            if value not in ORDERS:
                problems.append(f'order must be {" or ".join(ORDERS)}, not "{value}"')
        else:
            problems.append(f'unknown key "{key}"; keys: {", ".join([*filter_keys, "sort", "order"])}')
        view.setdefault(key, value)
    if "order" in view and "sort" not in view:
        problems.append('"order" needs a "sort" column')
    if not problems and not matching(rows, view):
        problems.append("these filters together match no finding")
    if problems:
        raise ViewError("; ".join(problems))
    return urlencode([(key, view[key]) for key in [*filter_keys, "sort", "order"] if key in view])


def matching(rows: list[Finding], view: dict[str, str]) -> list[Finding]:
    """The findings that have every filter value of a view."""
    wanted = [(key, value) for key, value in view.items() if key in dict(FILTERS)]
    return [row for row in rows if all(value in row.values[key] for key, value in wanted)]
