"""The numbers behind each figure, computed from the data tables.

Notebooks draw; these functions decide what is drawn. Keeping the data
shaping here lets the tests check a figure's content directly instead of
comparing images, and keeps every notebook short enough to read at a glance.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .datapackage import DataError, Problem, Table, bibliography_entries, display_path, load_package, read_schemas

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


ACRONYMS = {"dna": "DNA", "emt": "EMT", "hcc": "HCC"}


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
    """Rows: mechanisms (by category); columns: evidence levels in use; cells: number of studies.

    A study (a cited work) counts once per mechanism, at the strongest level of its findings for
    that mechanism, so that a paper with several findings is not counted several times.
    """
    tables = tables or load_package()
    order = category_order(tables)
    scale = evidence_order(tables)
    mechanisms = sorted(tables["mechanisms"].records, key=lambda m: (order.index(m.values["category"]), m.row))
    strongest: dict[tuple[str, str], str] = {}
    for finding in tables["evidence"].records:
        for study in finding.values["citations"]:
            key = (finding.values["mechanism"], study)
            level = finding.values["evidence_level"]
            strongest[key] = min(strongest.get(key, level), level, key=scale.index)
    counts = Counter((mechanism, level) for (mechanism, _), level in strongest.items())
    levels = [level for level in scale if any(level == lv for _, lv in counts)]
    rows = [m.values["id"] for m in mechanisms]
    return rows, levels, [[counts[(row, level)] for level in levels] for row in rows]


NOT_YET_RATED = "not yet rated"
COMPARTMENTS = ("endothelium", "immune-cells", "tumour-cell")
# Where the schematic draws a route. Extracellular routes of these process groups act through the
# endothelium or the immune and stromal cells; every other route acts on the tumour cell, around it,
# at its membrane or inside it, as its category says.
OTHER_CELLS = {"hypoxia-and-angiogenesis": "endothelium", "tumour-microenvironment": "immune-cells"}
OUTSIDE_IN = ("extracellular", "membrane-transport", "intracellular")  # the order in which the drug meets them


@dataclass(frozen=True)
class Route:
    """One process group of one category: a route of resistance, drawn in the compartment where it acts."""

    category: str
    group: str
    compartment: str  # one of COMPARTMENTS
    mechanisms: tuple[str, ...]  # mechanism ids, in table order
    families: tuple[str, ...]  # the target families (as Schematic.families names them) its mechanisms name
    certainty: tuple[tuple[str, int], ...]  # (certainty level, number of mechanisms), in the scale's order


@dataclass(frozen=True)
class Schematic:
    """Lenvatinib's target families, the routes of resistance by compartment, and the certainty scale in use."""

    families: tuple[str, ...]
    routes: tuple[Route, ...]
    levels: tuple[str, ...]  # strongest first; NOT_YET_RATED last when some mechanism has no rating


def family_names(tables: dict[str, Table]) -> dict[str, tuple[str, ...]]:
    """Each target family with the names a study may use for it: the family, and each target ('FGFR4').

    A family with one target is named by it ('PDGFRα' for the PDGFR family), the family name first.
    """
    names: dict[str, list[str]] = {}
    for target in tables["targets"].records:
        names.setdefault(target.values["family"], []).append(re.sub(r"\s*\(.*\)$", "", target.values["target"]))
    return {(targets[0] if len(targets) == 1 else family): (family, *targets) for family, targets in names.items()}


def names_any(molecules: tuple[str, ...], names: tuple[str, ...]) -> bool:
    """Whether a mechanism's molecules name one of ``names`` as a word ('c-KIT' names KIT, 'PDGFRβ' not PDGFR)."""
    return any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", molecule) for molecule in molecules for name in names)


def schematic_routes(
    tables: dict[str, Table] | None = None,
    certainty: dict[str, str] | None = None,
    levels: tuple[str, ...] = (),
    mechanisms: set[str] | None = None,
) -> Schematic:
    """The mechanism schematic's content: routes by compartment, then category, then process-group order.

    ``certainty`` maps mechanism ids to a level of ``levels`` (strongest first); a mechanism it
    leaves out is NOT_YET_RATED, as every mechanism is by default. ``mechanisms`` keeps only
    those ids (a chapter's part of the figure).
    """
    tables = tables or load_package()
    certainty = certainty or {}
    records = tables["mechanisms"].records
    ids = {m.values["id"] for m in records}
    if NOT_YET_RATED in levels or len(set(levels)) != len(levels):
        raise ValueError(f"certainty levels must be distinct and not {NOT_YET_RATED!r}: {levels}")
    unknown = sorted(set(certainty) - ids)
    if unknown:
        raise ValueError(f"certainty is given for mechanisms not in the table: {', '.join(unknown)}")
    off_scale = sorted({level for level in certainty.values() if level not in levels})
    if off_scale:
        raise ValueError(f"certainty levels {', '.join(off_scale)} are not on the scale {levels}")
    kept = [m for m in records if mechanisms is None or m.values["id"] in mechanisms]
    rated = (*levels, NOT_YET_RATED) if any(m.values["id"] not in certainty for m in kept) else levels
    families = family_names(tables)
    categories, groups = category_order(tables), enum_order(tables, "mechanisms", "process_group")
    routes = []
    for category in categories:
        for group in groups:
            members = [m.values for m in kept if (m.values["category"], m.values["process_group"]) == (category, group)]
            if not members:
                continue
            counts = Counter(certainty.get(m["id"], NOT_YET_RATED) for m in members)
            compartment = OTHER_CELLS.get(group, "tumour-cell") if category == "extracellular" else "tumour-cell"
            routes.append(
                Route(
                    category=category,
                    group=group,
                    compartment=compartment,
                    mechanisms=tuple(m["id"] for m in members),
                    families=tuple(
                        f for f, names in families.items() if any(names_any(m["molecules"], names) for m in members)
                    ),
                    certainty=tuple((level, counts[level]) for level in rated if counts[level]),
                )
            )
    routes.sort(key=lambda r: (COMPARTMENTS.index(r.compartment), OUTSIDE_IN.index(r.category)))
    return Schematic(tuple(families), tuple(routes), rated)


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


# The trial figure's panels: the endpoint a hazard ratio refers to (how its hr_endpoint starts), and
# what the control arm received (read from the last arm of the design, "experimental vs control").
ENDPOINTS = ("Overall survival", "Progression-free survival")
COMPARATORS = {
    "another-treatment": "against another treatment",
    "placebo": "against placebo",
    "lenvatinib-in-both-arms": "lenvatinib in both arms",
}


@dataclass(frozen=True)
class TrialResult:
    key: str
    trial: str  # the trial's name without the analysis, e.g. "CLEAR"
    detail: str  # the population or comparison the hazard ratio refers to, if the table names one
    indication: str
    endpoint: str  # one of ENDPOINTS
    comparator: str  # a key of COMPARATORS
    hazard_ratio: float
    lower: float
    upper: float


def trial_name(trial: str) -> str:
    """'CLEAR (primary analysis)' -> 'CLEAR': the trial, whichever analysis the row reports."""
    return re.sub(r"\s*\(.*\)$", "", trial)


def control_arm(design: str) -> str | None:
    """What the last arm of a design received ('… vs sorafenib, …' -> 'sorafenib'); None without a comparison."""
    if " vs " not in design:
        return None
    return re.split(r"[,;]", design.rsplit(" vs ", 1)[1])[0].strip()


def comparator(control: str) -> str:
    if "lenvatinib" in control.lower():
        return "lenvatinib-in-both-arms"
    return "placebo" if "placebo" in control.lower() else "another-treatment"


def trial_hazard_ratios(tables: dict[str, Table] | None = None, bibliography=None) -> list[TrialResult]:
    """Each trial's hazard ratio with its interval, by endpoint and comparator, then by indication in schema order.

    A trial that reported the same endpoint more than once (an interim and a final analysis) is
    drawn once, from its latest publication.
    """
    tables = tables or load_package()
    table = tables["trials"]
    entries = bibliography_entries(bibliography)
    where = display_path(table.schema.path)
    problems, latest = [], {}
    for row in table.records:
        if row.values["hr_lower"] is None:
            continue
        endpoint = next((e for e in ENDPOINTS if row.values["hr_endpoint"].startswith(e)), None)
        control = control_arm(row.values["design"])
        if endpoint is None:
            message = (
                f"the hazard ratio's endpoint must start with {' or '.join(ENDPOINTS)} (the trial figure's panels)"
            )
            problems.append(Problem(where, message, row.row, "hr_endpoint"))
        if control is None:
            message = 'a design with a hazard ratio must name its arms as "experimental vs control"'
            problems.append(Problem(where, message, row.row, "design"))
        if endpoint is None or control is None:
            continue
        detail = re.search(r"\((.*)\)$", row.values["hr_endpoint"])
        result = TrialResult(
            key=row.values["id"],
            trial=trial_name(row.values["trial"]),
            detail=detail.group(1) if detail else "",
            indication=row.values["indication"],
            endpoint=endpoint,
            comparator=comparator(control),
            hazard_ratio=row.values["hazard_ratio"],
            lower=row.values["hr_lower"],
            upper=row.values["hr_upper"],
        )
        year = max(publication_year(entries[key]) or 0 for key in row.values["citations"])
        same = (result.trial, endpoint)
        if same in latest and latest[same][0] == year:
            message = f"reports {endpoint.lower()} of {result.trial} in the same year as row {latest[same][2]}: "
            problems.append(Problem(where, message + "which analysis is the latest?", row.row, "citations"))
        if same not in latest or year > latest[same][0]:
            latest[same] = (year, result, row.row)
    if problems:
        raise DataError(problems)
    indications = enum_order(tables, "trials", "indication")
    order = list(COMPARATORS)
    return sorted(
        (result for _, result, _ in latest.values()),
        key=lambda r: (ENDPOINTS.index(r.endpoint), order.index(r.comparator), indications.index(r.indication), r.key),
    )
