"""The numbers behind each figure, computed from the data tables.

Notebooks draw; these functions decide what is drawn. Keeping the data
shaping here lets the tests check a figure's content directly instead of
comparing images, and keeps every notebook short enough to read at a glance.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .datapackage import Table, bibliography_entries, load_package, read_schemas

# The orders in which figures list categories, evidence levels and stages are the
# orders of the enums that declare them in data/datapackage.json: (table, column).
ORDERS = {
    "CATEGORY_ORDER": ("mechanisms", "category"),
    "EVIDENCE_ORDER": ("evidence", "evidence_level"),
    "STAGE_ORDER": ("workflows", "stage"),
}


def enum_order(tables: dict[str, Table] | None, table: str, column: str) -> tuple[str, ...]:
    """The values a column allows, in the order its schema declares them."""
    schema = tables[table].schema if tables else read_schemas()[table]
    return schema.field(column).enum


def category_order(tables: dict[str, Table] | None = None) -> tuple[str, ...]:
    return enum_order(tables, *ORDERS["CATEGORY_ORDER"])


def evidence_order(tables: dict[str, Table] | None = None) -> tuple[str, ...]:
    return enum_order(tables, *ORDERS["EVIDENCE_ORDER"])


def stage_order(tables: dict[str, Table] | None = None) -> tuple[str, ...]:
    return enum_order(tables, *ORDERS["STAGE_ORDER"])


def __getattr__(name: str) -> tuple[str, ...]:
    """``CATEGORY_ORDER``, ``EVIDENCE_ORDER`` and ``STAGE_ORDER``, read from the schema when asked for."""
    if name in ORDERS:
        return enum_order(None, *ORDERS[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


ACRONYMS = {"emt": "EMT", "hcc": "HCC"}


def readable(identifier: str) -> str:
    """'membrane-transport' -> 'membrane transport'; 'stemness-and-emt' -> 'stemness and EMT'."""
    return " ".join(ACRONYMS.get(word, word) for word in identifier.split("-"))


def mechanism_counts(tables: dict[str, Table] | None = None) -> dict[tuple[str, str], int]:
    """Number of mechanisms per (category, process group), in category order."""
    tables = tables or load_package()
    counts = Counter((m.values["category"], m.values["process_group"]) for m in tables["mechanisms"].records)
    order = category_order(tables)
    return dict(sorted(counts.items(), key=lambda item: (order.index(item[0][0]), item[0][1])))


def evidence_matrix(tables: dict[str, Table] | None = None) -> tuple[list[str], list[str], list[list[int]]]:
    """Rows: mechanisms (by category); columns: evidence levels in use; cells: number of findings."""
    tables = tables or load_package()
    order = category_order(tables)
    mechanisms = sorted(tables["mechanisms"].records, key=lambda m: (order.index(m.values["category"]), m.row))
    counts = Counter((e.values["mechanism"], e.values["evidence_level"]) for e in tables["evidence"].records)
    levels = [level for level in evidence_order(tables) if any(level == lv for _, lv in counts)]
    rows = [m.values["id"] for m in mechanisms]
    return rows, levels, [[counts[(row, level)] for level in levels] for row in rows]


@dataclass(frozen=True)
class MapMechanism:
    key: str
    label: str
    relation: str  # the mechanism's target_relation
    families: tuple[str, ...]  # target families its molecules name, e.g. ("FGFR",) for the EGFR feedback loop


@dataclass(frozen=True)
class ProcessGroup:
    name: str
    mechanisms: tuple[MapMechanism, ...]


@dataclass(frozen=True)
class Layer:
    category: str
    groups: tuple[ProcessGroup, ...]


@dataclass(frozen=True)
class PathwayLayers:
    """Lenvatinib's target families, then each place where resistance acts, its process groups and mechanisms."""

    families: tuple[str, ...]
    layers: tuple[Layer, ...]

    @property
    def mechanisms(self) -> list[MapMechanism]:
        return [m for layer in self.layers for group in layer.groups for m in group.mechanisms]


def pathway_layers(tables: dict[str, Table] | None = None) -> PathwayLayers:
    """The pathway map's content: layers in category order, groups in process-group order, rows in table order.

    A mechanism names a target family when the family appears in its molecules (for example
    FGFR in the EGFR feedback loop): resistance that arises from the inhibition itself.
    """
    tables = tables or load_package()
    families = tuple(dict.fromkeys(t.values["family"] for t in tables["targets"].records))
    groups_in_order = enum_order(tables, "mechanisms", "process_group")
    layers = []
    for category in category_order(tables):
        rows = [m for m in tables["mechanisms"].records if m.values["category"] == category]
        groups = []
        for group in groups_in_order:
            members = tuple(
                MapMechanism(
                    key=m.values["id"],
                    label=m.values["process"],
                    relation=m.values["target_relation"],
                    families=tuple(f for f in families if f in m.values["molecules"]),
                )
                for m in rows
                if m.values["process_group"] == group
            )
            if members:
                groups.append(ProcessGroup(group, members))
        if groups:
            layers.append(Layer(category, tuple(groups)))
    return PathwayLayers(families, tuple(layers))


def workflow_stages(tables: dict[str, Table] | None = None) -> list[tuple[str, list[str]]]:
    """The stages of an investigation in order, each with its methods in step order."""
    tables = tables or load_package()
    records = sorted(tables["workflows"].records, key=lambda r: (r.values["step"], r.row))
    return [
        (stage, [r.values["method"] for r in records if r.values["stage"] == stage])
        for stage in stage_order(tables)
        if any(r.values["stage"] == stage for r in records)
    ]


AUTHORS_NOT_SEEN = "[authors not seen]"


def first_author(entry) -> str:
    """The first author's surname, or a marker for a record whose authors were not seen."""
    authors = entry.persons.get("author")
    return authors[0].last_names[0] if authors else AUTHORS_NOT_SEEN


def publication_year(entry) -> int | None:
    """The year of a bibliography entry, or None for a record whose year was not seen ("n.d.")."""
    year = entry.fields.get("year", "")
    return int(year) if year.isdigit() else None


@dataclass(frozen=True)
class Study:
    key: str
    first_author: str
    year: int
    category: str
    evidence_level: str


def study_timeline(tables: dict[str, Table] | None = None, bibliography=None) -> list[Study]:
    """One entry per primary study in the evidence table, dated by its bibliography year."""
    tables = tables or load_package()
    entries = bibliography_entries(bibliography)
    categories = {m.values["id"]: m.values["category"] for m in tables["mechanisms"].records}
    studies: dict[str, Study] = {}
    for row in tables["evidence"].records:
        if row.values["evidence_level"] == "review-only":
            continue
        for key in row.values["citations"]:
            entry = entries[key]
            year = publication_year(entry)
            if year is None:
                continue  # a record whose year was not seen cannot be placed in time
            studies.setdefault(
                key,
                Study(
                    key=key,
                    first_author=first_author(entry),
                    year=year,
                    category=categories[row.values["mechanism"]],
                    evidence_level=row.values["evidence_level"],
                ),
            )
    order = category_order(tables)
    return sorted(studies.values(), key=lambda s: (s.year, order.index(s.category), s.key))


@dataclass(frozen=True)
class Marker:
    key: str
    label: str
    category: str
    indication: str
    patients: int
    role: str


def biomarker_evidence(tables: dict[str, Table] | None = None) -> list[Marker]:
    """Candidate biomarkers with cohort size and role, in the schema's category order, largest cohort first."""
    tables = tables or load_package()
    categories = enum_order(tables, "biomarkers", "category")
    markers = [
        Marker(
            key=row.values["id"],
            label=row.values["marker"],
            category=row.values["category"],
            indication=row.values["indication"],
            patients=row.values["patients"],
            role=row.values["role"],
        )
        for row in tables["biomarkers"].records
    ]
    return sorted(markers, key=lambda m: (categories.index(m.category), -m.patients, m.key))


@dataclass(frozen=True)
class TrialResult:
    key: str
    label: str
    indication: str
    hazard_ratio: float
    lower: float
    upper: float


def trial_hazard_ratios(tables: dict[str, Table] | None = None) -> list[TrialResult]:
    """Trials with a hazard ratio and its interval, grouped by indication in schema order."""
    tables = tables or load_package()
    indications = enum_order(tables, "trials", "indication")
    results = [
        TrialResult(
            key=row.values["id"],
            label=f"{row.values['trial']}: {row.values['hr_endpoint']}",
            indication=row.values["indication"],
            hazard_ratio=row.values["hazard_ratio"],
            lower=row.values["hr_lower"],
            upper=row.values["hr_upper"],
        )
        for row in tables["trials"].records
        if row.values["hr_lower"] is not None
    ]
    return sorted(results, key=lambda r: (indications.index(r.indication), r.key))
