"""How certain each mechanism is, by a written rule kept as data, in the spirit of GRADE.

``data/certainty_rule.csv`` holds the rule: the points a mechanism starts from (by the strongest
design behind it), the factors that lower or raise them, the cap without a randomised comparison
and the lowest score of each rating. This module knows every factor by its id and reads its points
from the table, so that the table, the methods chapter and the ratings cannot drift apart; a factor
in the table that the code does not know, or one the code needs and the table lacks, is a
:class:`~lenvatinib_review.datapackage.DataError` naming the file, the row and the column.

A mechanism's evidence is its rows of ``evidence.csv``; its *studies* are the distinct works they
cite, so that two findings of one paper count once. Study-level fields come from ``studies.csv``
(preclinical studies) and ``clinical_quality.csv`` (trials and cohorts); a blank field is unknown,
never guessed. The clinical reference for concentrations comes from ``pharmacology.csv``. This
module knows nothing of Sphinx: the build, the notebooks and the tests all call it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import combinations

from .datapackage import DataError, Problem, Record, Table, display_path
from .figure_data import readable

# The evidence levels at which a finding is related to treated patients' response, and the
# experimental ones; a start factor is named after the level it starts from.
TREATED_PATIENT_LEVELS = ("clinical-trial", "patient-cohort")
EXPERIMENTAL_LEVELS = ("in-vitro", "in-vivo")
RANDOMISED_START = "start-randomised-trial"
START_FACTORS = (
    RANDOMISED_START,
    "start-clinical-trial",
    "start-patient-cohort",
    "start-patient-tissue",
    "start-in-vivo",
    "start-in-vitro",
)
LOWERING_FACTORS = ("single-group", "above-exposure", "inconsistent", "other-drug")
RAISING_FACTORS = ("independent-replication", "treated-patients")
# The most points without a randomised comparison, and without any finding in treated patients.
CAPS = ("cap-without-randomised", "cap-without-patients")
RATINGS = ("high", "moderate", "low", "very-low")
KIND_OF_FACTOR = {
    **dict.fromkeys(START_FACTORS, "start"),
    **dict.fromkeys(LOWERING_FACTORS, "lower"),
    **dict.fromkeys(RAISING_FACTORS, "raise"),
    **dict.fromkeys(CAPS, "cap"),
    **dict.fromkeys(RATINGS, "rating"),
}
EXPOSURE_FACTOR = "above-exposure"
# Rows of pharmacology.csv the exposure comparison needs besides the rule's reference trough.
MOLAR_MASS = "molar-mass"
PROTEIN_BINDING = "protein-binding"
# Kinds of included record (records.csv study_type) assessed with each risk-of-bias table.
PRECLINICAL_TYPES = ("preclinical",)
CLINICAL_TYPES = ("clinical-trial", "clinical-cohort")
# Columns of the study tables that are not study fields (counted as blanks) or judgements.
NOT_FIELDS = ("id", "notes")
STUDY_ITEMS = {"studies": ("randomised", "blinded", "sample_size_stated")}
CLINICAL_ITEMS = (
    "randomised",
    "blinding",
    "participation",
    "attrition",
    "factor_measurement",
    "outcome_measurement",
    "confounding",
    "analysis",
)


@dataclass(frozen=True)
class Factor:
    """One row of the certainty rule."""

    id: str
    kind: str
    points: int
    description: str
    threshold: float | None = None
    reference: str | None = None

    @property
    def label(self) -> str:
        return readable(self.id)


@dataclass(frozen=True)
class Rule:
    factors: dict[str, Factor]

    def __getitem__(self, factor_id: str) -> Factor:
        return self.factors[factor_id]

    def rating(self, score: int) -> str:
        """The best rating whose lowest score the score reaches; the lowest rating otherwise."""
        for name in RATINGS:
            if score >= self.factors[name].points:
                return name
        return RATINGS[-1]


def read_rule(tables: dict[str, Table]) -> Rule:
    """The rule of ``certainty_rule.csv``; DataError names every unknown, misfiled or missing factor."""
    table = tables["certainty_rule"]
    where = display_path(table.schema.path)
    problems, factors = [], {}
    for record in table.records:
        values = record.values
        expected = KIND_OF_FACTOR.get(values["id"])
        if expected is None:
            problems.append(
                Problem(
                    where,
                    f'unknown factor "{values["id"]}"; the code knows {", ".join(KIND_OF_FACTOR)}',
                    record.row,
                    "id",
                )
            )
            continue
        if values["kind"] != expected:
            problems.append(Problem(where, f'factor "{values["id"]}" is of kind {expected}', record.row, "kind"))
        factors[values["id"]] = Factor(
            values["id"],
            values["kind"],
            values["points"],
            values["description"],
            values["threshold"],
            values["reference"],
        )
    for missing in [factor for factor in KIND_OF_FACTOR if factor not in factors]:
        problems.append(Problem(where, f'the factor "{missing}" ({KIND_OF_FACTOR[missing]}) has no row'))
    exposure = factors.get(EXPOSURE_FACTOR)
    if exposure is not None and (exposure.threshold is None or exposure.reference is None):
        row = next(r.row for r in table.records if r.values["id"] == EXPOSURE_FACTOR)
        column = "threshold" if exposure.threshold is None else "reference"
        problems.append(Problem(where, f'the factor "{EXPOSURE_FACTOR}" needs a {column}', row, column))
    ratings = [factors[name].points for name in RATINGS if name in factors]
    if ratings != sorted(ratings, reverse=True):
        problems.append(Problem(where, "the ratings' lowest scores must fall from high to very-low", column="points"))
    if problems:
        raise DataError(problems)
    return Rule(factors)


@dataclass(frozen=True)
class Exposure:
    """The clinical reference a stated concentration is set against."""

    trough_ng_ml: float
    molar_mass: float
    bound_percent: tuple[float, float] | None
    """Plasma protein binding (low and high end) where pharmacology.csv has a verified row; None otherwise."""
    threshold: float

    def times_trough(self, micromolar: float) -> float:
        return micromolar * self.molar_mass / self.trough_ng_ml

    def times_unbound_trough(self, micromolar: float) -> tuple[float, float] | None:
        """Against the free part of the trough (protein binding from its high to its low end), if binding is known."""
        if self.bound_percent is None:
            return None
        low_bound, high_bound = self.bound_percent
        total = self.times_trough(micromolar)
        return total / (1 - low_bound / 100), total / (1 - high_bound / 100)

    def far_above(self, micromolar: float) -> bool:
        return self.times_trough(micromolar) > self.threshold

    def describe(self, micromolar: float) -> str:
        """'about 25× the reference trough; 1,200–2,500× its unbound part' (the second part if binding is known)."""
        total = f"about {_about(self.times_trough(micromolar))}× the reference trough"
        unbound = self.times_unbound_trough(micromolar)
        if unbound is None:
            return total
        low, high = unbound
        return f"{total}; {_about(low)}–{_about(high)}× its unbound part"


def _about(value: float) -> str:
    """Two significant figures, with thousands separated: 24.96 -> '25', 1248 -> '1,200', 0.532 -> '0.53'."""
    rounded = float(f"{value:.2g}")
    return f"{rounded:,.0f}" if rounded >= 10 else f"{rounded:g}"


def clinical_exposure(tables: dict[str, Table], rule: Rule) -> Exposure:
    """The reference trough (named by the rule), molar mass and, if recorded, protein binding (pharmacology.csv)."""
    table = tables["pharmacology"]
    rows = {record.values["id"]: record for record in table.records}
    factor = rule[EXPOSURE_FACTOR]
    missing = [key for key in (MOLAR_MASS, factor.reference) if key not in rows]
    if missing:
        raise DataError(
            [
                Problem(display_path(table.schema.path), f'no row "{key}": needed to compare concentrations')
                for key in missing
            ]
        )
    trough = rows[factor.reference]
    binding = rows[PROTEIN_BINDING].values if PROTEIN_BINDING in rows else None
    return Exposure(
        trough_ng_ml=trough.values["value"],
        molar_mass=rows[MOLAR_MASS].values["value"],
        bound_percent=(binding["value"], binding["value_upper"] or binding["value"]) if binding else None,
        threshold=factor.threshold,
    )


@dataclass(frozen=True)
class Assessment:
    """The certainty of one mechanism: where it started, what applied, the score and the rating."""

    mechanism: Record
    studies: tuple[str, ...]
    strongest_level: str
    start: Factor
    lowered_by: tuple[Factor, ...]
    raised_by: tuple[Factor, ...]
    capped_by: tuple[Factor, ...]
    score: int
    rating: str


def first_authors(entries) -> dict[str, str | None]:
    """Each bibliography key's first-author surname, or None where the authors were not seen."""
    surnames = {}
    for key, entry in entries.items():
        authors = entry.persons.get("author")
        surnames[key] = " ".join(authors[0].last_names).casefold() if authors else None
    return surnames


def rows_by_id(table: Table) -> dict[str, Record]:
    return {record.values["id"]: record for record in table.records}


def assess(tables: dict[str, Table], entries) -> dict[str, Assessment]:
    """The assessment of every mechanism, in the order of mechanisms.csv; ``entries``: the bibliography's.

    A mechanism without an evidence row cannot be rated: DataError names its row.
    """
    rule = read_rule(tables)
    exposure = clinical_exposure(tables, rule)
    levels = tables["evidence"].schema.field("evidence_level").enum  # strongest first
    authors = first_authors(entries)
    studies = rows_by_id(tables["studies"])
    clinical = rows_by_id(tables["clinical_quality"])
    conflicted = {record.values["mechanism"] for record in tables["conflicts"].records}
    findings: dict[str, list[Record]] = {}
    for record in tables["evidence"].records:
        findings.setdefault(record.values["mechanism"], []).append(record)
    mechanisms = tables["mechanisms"]
    unrated = [m for m in mechanisms.records if m.values["id"] not in findings]
    if unrated:
        where = display_path(mechanisms.schema.path)
        raise DataError(
            [
                Problem(where, "no row of evidence.csv names this mechanism, so it cannot be rated", m.row, "id")
                for m in unrated
            ]
        )
    assessments = {}
    for mechanism in mechanisms.records:
        rows = findings[mechanism.values["id"]]
        keys = tuple(dict.fromkeys(key for row in rows for key in row.values["citations"]))
        strongest = min((row.values["evidence_level"] for row in rows), key=levels.index)
        at_strongest = [row for row in rows if row.values["evidence_level"] == strongest]
        randomised = strongest == "clinical-trial" and any(
            key in clinical and clinical[key].values["randomised"] == "yes"
            for row in at_strongest
            for key in row.values["citations"]
        )
        start = rule[RANDOMISED_START if randomised else f"start-{strongest}"]
        shown_in = {kind for row in rows for kind in row.values["shown_in"]}
        concentrations = [
            studies[key].values["max_concentration_um"]
            for key in keys
            if key in studies and studies[key].values["max_concentration_um"] is not None
        ]
        applies = {
            "single-group": _single_group(keys, authors),
            "above-exposure": strongest not in TREATED_PATIENT_LEVELS
            and bool(concentrations)
            and all(exposure.far_above(value) for value in concentrations),
            "inconsistent": mechanism.values["id"] in conflicted,
            "other-drug": all(row.values["drug"] != "lenvatinib" for row in at_strongest),
            "independent-replication": any(_independent(a, b, authors, studies) for a, b in combinations(keys, 2)),
            "treated-patients": bool(shown_in & set(TREATED_PATIENT_LEVELS))
            and bool(shown_in & set(EXPERIMENTAL_LEVELS)),
        }
        lowered = tuple(rule[f] for f in LOWERING_FACTORS if applies[f])
        raised = tuple(rule[f] for f in RAISING_FACTORS if applies[f])
        score = start.points + sum(f.points for f in lowered + raised)
        caps = {
            "cap-without-randomised": not randomised,
            "cap-without-patients": strongest not in TREATED_PATIENT_LEVELS,
        }
        capped = tuple(rule[c] for c in CAPS if caps[c] and score > rule[c].points)
        score = min([score, *(c.points for c in capped)])
        assessments[mechanism.values["id"]] = Assessment(
            mechanism, keys, strongest, start, lowered, raised, capped, score, rule.rating(score)
        )
    return assessments


def _single_group(keys: tuple[str, ...], authors: dict[str, str | None]) -> bool:
    """One study, or several whose first authors are all known and the same."""
    names = {authors[key] for key in keys}
    return len(keys) == 1 or (None not in names and len(names) == 1)


def _independent(a: str, b: str, authors: dict[str, str | None], studies: dict[str, Record]) -> bool:
    """Two studies replicate each other independently: different known first authors, not the same cell lines."""
    if authors[a] is None or authors[b] is None or authors[a] == authors[b]:
        return False
    lines = [studies[key].values["cell_lines"] if key in studies else None for key in (a, b)]
    if lines[0] and lines[1]:
        return {line.casefold() for line in lines[0]} != {line.casefold() for line in lines[1]}
    return True


def rating_label(rating: str) -> str:
    return readable(rating)


def best_supported(assessments: dict[str, Assessment], at_least: str = "moderate", top: int = 5) -> list[Assessment]:
    """Mechanisms rated ``at_least`` or better, best first; the ``top`` best if fewer reach it."""
    ranked = sorted(
        assessments.values(), key=lambda a: (RATINGS.index(a.rating), -a.score, -len(a.studies), a.mechanism.row)
    )
    good = [a for a in ranked if RATINGS.index(a.rating) <= RATINGS.index(at_least)]
    return good if len(good) >= top else ranked[:top]


def study_kinds(tables: dict[str, Table]) -> dict[str, str]:
    """Included record id -> its study_type."""
    return {
        record.values["id"]: record.values["study_type"]
        for record in tables["records"].records
        if record.values["decision"] == "included"
    }


@dataclass(frozen=True)
class ItemSummary:
    """How the recorded studies were judged on one risk-of-bias item."""

    table: str
    column: str
    title: str
    judgements: tuple[tuple[str, int], ...]  # (judgement, studies) in the schema's order, zero counts left out
    not_recorded: int


@dataclass(frozen=True)
class BiasSummary:
    """Risk of bias of a set of studies: who is recorded, the judgements, and how much is blank."""

    preclinical: tuple[str, ...]
    clinical: tuple[str, ...]
    recorded: dict[str, tuple[Record, ...]]  # table -> the rows of these studies
    items: tuple[ItemSummary, ...]
    blank_fields: int
    abstract_only: int


def risk_of_bias(tables: dict[str, Table], keys: list[str] | tuple[str, ...]) -> BiasSummary:
    """The SYRCLE items of the preclinical studies and the QUIPS domains, design and blinding of the clinical ones."""
    kinds = study_kinds(tables)
    groups = {
        "studies": tuple(k for k in keys if kinds.get(k) in PRECLINICAL_TYPES),
        "clinical_quality": tuple(k for k in keys if kinds.get(k) in CLINICAL_TYPES),
    }
    items_of = {"studies": STUDY_ITEMS["studies"], "clinical_quality": CLINICAL_ITEMS}
    recorded, items, blanks, abstract_only = {}, [], 0, 0
    for name, members in groups.items():
        table = tables[name]
        rows = rows_by_id(table)
        found = tuple(rows[k] for k in members if k in rows)
        recorded[name] = found
        for column in items_of[name]:
            spec = table.schema.field(column)
            counts = Counter(row.values[column] for row in found)
            items.append(
                ItemSummary(
                    name,
                    column,
                    spec.title,
                    tuple((value, counts[value]) for value in spec.enum if counts[value]),
                    len(members) - len(found),
                )
            )
        fields = [f for f in table.schema.field_names if f not in NOT_FIELDS]
        blanks += sum(1 for row in found for column in fields if not row.text[column])
        abstract_only += sum(1 for row in found if row.values["source_read"] == "abstract")
    return BiasSummary(groups["studies"], groups["clinical_quality"], recorded, tuple(items), blanks, abstract_only)


@dataclass(frozen=True)
class FieldBlanks:
    table: str
    column: str
    title: str
    filled: int
    blank: int


def field_blanks(tables: dict[str, Table]) -> list[FieldBlanks]:
    """For every study field of the two study tables: how many rows state it, how many leave it blank."""
    result = []
    for name in ("studies", "clinical_quality"):
        table = tables[name]
        for column in table.schema.fields:
            if column.name in NOT_FIELDS:
                continue
            filled = sum(1 for row in table.records if row.text[column.name])
            result.append(FieldBlanks(name, column.name, column.title, filled, len(table) - filled))
    return result


def summary(tables: dict[str, Table], assessments: dict[str, Assessment]) -> dict[str, str]:
    """Named counts for prose: the ``certainty`` role of the book renders these."""
    rule = read_rule(tables)
    exposure = clinical_exposure(tables, rule)
    ratings = Counter(a.rating for a in assessments.values())
    kinds = study_kinds(tables)
    cited = {key for a in assessments.values() for key in a.studies}
    stated = [
        row.values["max_concentration_um"]
        for row in tables["studies"].records
        if row.values["max_concentration_um"] is not None
    ]
    above = sum(1 for value in stated if exposure.far_above(value))
    blanks = field_blanks(tables)
    rows = list(tables["studies"].records) + list(tables["clinical_quality"].records)
    counts = {
        "mechanisms": len(assessments),
        **{rating: ratings[rating] for rating in RATINGS},
        "preclinical-studies": sum(1 for key in cited if kinds.get(key) in PRECLINICAL_TYPES),
        "clinical-studies": sum(1 for key in cited if kinds.get(key) in CLINICAL_TYPES),
        "preclinical-recorded": len(tables["studies"]),
        "clinical-recorded": len(tables["clinical_quality"]),
        "blank-fields": sum(item.blank for item in blanks),
        "fields": sum(item.blank + item.filled for item in blanks),
        "abstract-only": sum(1 for row in rows if row.values["source_read"] == "abstract"),
        "with-concentration": len(stated),
        "above-exposure": above,
    }
    texts = {name: str(value) for name, value in counts.items()}
    texts["threshold"] = f"{rule[EXPOSURE_FACTOR].threshold:g}"
    texts["reference-trough"] = f"{exposure.trough_ng_ml:g} ng/mL"
    texts["reference-trough-um"] = f"{exposure.trough_ng_ml / exposure.molar_mass:.2g} µM"
    texts["far-above-um"] = f"{exposure.threshold * exposure.trough_ng_ml / exposure.molar_mass:.2g} µM"
    return texts
