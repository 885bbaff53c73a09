"""The review's method as data: the screening log, the PRISMA flow and the grading rule.

``data/records.csv`` lists every bibliographic record considered, included or
excluded with a declared reason; ``data/searches.csv`` lists every query run.
This module derives from them the counts that the PRISMA flow diagram, the
methods chapter and the landing page show, and states the rule by which an
evidence row's level follows from the models its finding was shown in. It knows
nothing of Sphinx: the build, the notebooks and the tests all call it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .datapackage import Table, display_path

# Reasons that stop a record at screening, against those that stop it later, at verification.
SCREENING_REASONS = ("review", "other-drug-only", "not-lenvatinib-resistance", "out-of-scope", "superseded")
DUPLICATE = "duplicate"
NOT_VERIFIABLE = "not-verifiable"
SEARCH_ROUTE = "search "
# How a bibliography note of a partially verified entry begins.
PARTIAL_NOTE = "Partially verified"


def strongest_level(shown_in: tuple[str, ...], levels: tuple[str, ...]) -> str:
    """The evidence level that follows from the models a finding was shown in.

    ``levels`` is the evidence-level scale, strongest first, as declared in the
    schema (clinical-trial > patient-cohort > in-vivo > in-vitro).
    """
    unknown = set(shown_in) - set(levels)
    if unknown:
        raise ValueError(f"unknown model kinds: {', '.join(sorted(unknown))}")
    return min(shown_in, key=levels.index)


def evidence_levels(tables: dict[str, Table]) -> tuple[str, ...]:
    """The evidence-level scale, strongest first, from the schema of ``evidence.csv``."""
    return tables["evidence"].schema.field("evidence_level").enum


def misgraded_rows(tables: dict[str, Table]) -> list[str]:
    """Evidence rows whose level is not the strongest of the models they were shown in."""
    levels = evidence_levels(tables)
    wrong = []
    where = display_path(tables["evidence"].schema.path)
    for record in tables["evidence"].records:
        expected = strongest_level(record.values["shown_in"], levels)
        if record.values["evidence_level"] != expected:
            wrong.append(
                f'{where}, row {record.row}, column "evidence_level": "{record.values["evidence_level"]}", '
                f'but the finding was shown in {"; ".join(record.values["shown_in"])}, so it must be "{expected}"'
            )
    return wrong


@dataclass(frozen=True)
class Flow:
    """The PRISMA 2020 flow of records, from identification to inclusion."""

    identified_by_search: int
    identified_other: int
    duplicates: int
    screened: int
    excluded_at_screening: dict[str, int]
    not_verifiable: int
    included: dict[str, int]

    @property
    def identified(self) -> int:
        return self.identified_by_search + self.identified_other

    @property
    def included_total(self) -> int:
        return sum(self.included.values())

    @property
    def excluded_total(self) -> int:
        return self.duplicates + sum(self.excluded_at_screening.values()) + self.not_verifiable


def prisma_flow(tables: dict[str, Table]) -> Flow:
    """Count the screening log's records at each stage of the PRISMA 2020 flow."""
    records = [r.values for r in tables["records"].records]
    reasons = Counter(r["exclusion_reason"] for r in records if r["decision"] == "excluded")
    study_types = tables["records"].schema.field("study_type").enum
    included = Counter(r["study_type"] for r in records if r["decision"] == "included")
    by_search = sum(1 for r in records if r["found_by"].startswith(SEARCH_ROUTE))
    return Flow(
        identified_by_search=by_search,
        identified_other=len(records) - by_search,
        duplicates=reasons[DUPLICATE],
        screened=len(records) - reasons[DUPLICATE],
        excluded_at_screening={reason: reasons[reason] for reason in SCREENING_REASONS},
        not_verifiable=reasons[NOT_VERIFIABLE],
        included={kind: included[kind] for kind in study_types if included[kind]},
    )


def coverage_gaps(tables: dict[str, Table]) -> list[str]:
    """Mechanism classes (lower case) for which the book has no verified lenvatinib-specific study."""
    return [
        row.values["mechanism_class"][0].lower() + row.values["mechanism_class"][1:]
        for row in tables["coverage"].records
        if row.values["book_coverage"] == "no-verified-study"
    ]


def last_search_date(tables: dict[str, Table]) -> str:
    """The date of the most recent query or record check (ISO dates sort as text)."""
    dates = [r.values["searched_on"] for r in tables["searches"].records]
    dates += [r.values["checked_on"] for r in tables["records"].records]
    return max(dates)


def summary(tables: dict[str, Table]) -> dict[str, str]:
    """Named counts for prose: the ``screening`` role of the book renders these."""
    flow = prisma_flow(tables)
    primary = sum(n for kind, n in flow.included.items() if kind not in ("review", "label", "other"))
    return {
        "records": str(flow.identified),
        "screened": str(flow.screened),
        "included": str(flow.included_total),
        "excluded": str(flow.excluded_total),
        "primary": str(primary),
        "searches": str(len(tables["searches"].records)),
        "last-search": last_search_date(tables),
    }


def unverified_fields(entry) -> list[str]:
    """The bibliographic fields of a ``references.bib`` entry that were not seen on a record.

    A year not seen is written "n.d." (no date), as citation styles expect one.
    An entry is completely verified when its authors, title, venue, year, a locator
    (volume or pages) and an identifier (DOI or PMID) were seen; a label or other
    document without an identifier needs its author, title, year and address. Anything
    missing makes the record partially verified, which its bibliography note must say.
    An article whose journal or authors were not seen is entered as ``@misc`` with its
    identifier, and is judged as an article.
    """
    fields = entry.fields
    missing = [] if entry.persons.get("author") else ["authors"]
    seen = {name for name in fields if name != "year"} | ({"year"} if fields.get("year", "").isdigit() else set())
    if entry.type == "misc" and not {"doi", "pmid", "pmcid"} & set(fields):
        return missing + [name for name in ("title", "year", "url") if name not in seen]
    missing += [name for name in ("title", "journal", "year") if name not in seen]
    if "volume" not in fields and "pages" not in fields:
        missing.append("volume and pages")
    if entry.type != "misc" and "doi" not in fields and "pmid" not in fields:
        missing.append("DOI or PMID")
    return missing
