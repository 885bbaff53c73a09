"""What each release of the book added, from the data alone.

``data/releases.csv`` lists the released versions with their dates and a one-line
summary; every evidence row and every record of the screening log names, in its
``version_added`` column, the release that added it (the loader checks that the
version is one of ``releases.csv``). This module groups the rows by release,
newest first, for the What's-new page and the Atom feed, and reads the release
headings of ``CHANGELOG.md`` so that the tests can check that the changelog,
``releases.csv`` and ``CITATION.cff`` agree. It knows nothing of Sphinx.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from .datapackage import DataError, Problem, Record, Table, display_path
from .screening import DUPLICATE

# "## 0.2.0 (2026-11-28)": a released version in CHANGELOG.md ("## Unreleased" is not one).
CHANGELOG_RELEASE = re.compile(r"^## (\d+\.\d+\.\d+) \((\d{4}-\d{2}-\d{2})\)\s*$", re.MULTILINE)


IN_PREPARATION = "in preparation"


def counted(number: int, noun: str) -> str:
    """ "1 record", "2 records"."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def version_key(version: str) -> tuple[int, ...]:
    """A version number as numbers, so that 0.10.0 sorts after 0.9.0."""
    return tuple(int(part) for part in version.split("."))


@dataclass(frozen=True)
class EvidenceAdded:
    """An evidence row as the What's-new page lists it."""

    process: str
    label: str
    citations: tuple[str, ...]


@dataclass(frozen=True)
class ScreeningAdded:
    """The records a release added to the screening log, counted as the PRISMA flow counts them."""

    records: int
    duplicates: int
    included: dict[str, tuple[str, ...]]
    """Included record ids (references.bib keys) by study type, in the schema's order."""
    excluded: dict[str, int]
    """Excluded records (duplicates aside) by reason, in the schema's order."""

    @property
    def screened(self) -> int:
        return self.records - self.duplicates

    @property
    def included_total(self) -> int:
        return sum(len(keys) for keys in self.included.values())

    @property
    def excluded_total(self) -> int:
        return sum(self.excluded.values())

    def sentence(self) -> str:
        """The counts in words, for the page and the feed."""
        if not self.records:
            return "No records were added to the screening log."
        reasons = ", ".join(f"{reason} {count}" for reason, count in self.excluded.items())
        duplicates = f" ({self.duplicates} of them {'a duplicate' if self.duplicates == 1 else 'duplicates'})"
        excluded = f" and {self.excluded_total} excluded ({reasons})" if self.excluded else " and none excluded"
        return (
            f"{counted(self.records, 'record')} added to the screening log{duplicates * bool(self.duplicates)}; "
            f"of the {self.screened} screened, {self.included_total} included{excluded}."
        )


@dataclass(frozen=True)
class Release:
    version: str
    date: date | None
    """None while the release is in preparation (its row in releases.csv has no date yet)."""
    literature_cutoff: date | None
    """The date of the release's last logged search; None where the release logged none."""
    summary: str
    evidence: tuple[EvidenceAdded, ...]
    screening: ScreeningAdded

    @property
    def anchor(self) -> str:
        """The id of the release's section on the What's-new page."""
        return "release-" + self.version.replace(".", "-")

    @property
    def released(self) -> bool:
        return self.date is not None

    @property
    def title(self) -> str:
        return f"Version {self.version} ({self.date.isoformat() if self.released else IN_PREPARATION})"

    @property
    def cutoff_sentence(self) -> str:
        """The literature cut-off in words, for the page and the feed."""
        if self.literature_cutoff is None:
            return "Literature cut-off: not recorded (this release logged no searches)."
        return f"Literature cut-off: {self.literature_cutoff.isoformat()} (the date of its last logged search)."

    @property
    def timestamp(self) -> str:
        """The release date as an RFC 3339 date-time (midnight UTC), as Atom requires."""
        return f"{self.date.isoformat()}T00:00:00Z"


def evidence_label(record: Record) -> str:
    """A short label for an evidence row: its molecules and their effect on the response."""
    return f"{', '.join(record.values['molecules'])} ({record.values['effect']})"


def _screening_added(tables: dict[str, Table], records: list[Record]) -> ScreeningAdded:
    schema = tables["records"].schema
    included_ids = [(r.values["study_type"], r.values["id"]) for r in records if r.values["decision"] == "included"]
    included = {
        kind: tuple(key for study_type, key in included_ids if study_type == kind)
        for kind in schema.field("study_type").enum
    }
    reasons = Counter(r.values["exclusion_reason"] for r in records if r.values["decision"] == "excluded")
    return ScreeningAdded(
        records=len(records),
        duplicates=reasons[DUPLICATE],
        included={kind: keys for kind, keys in included.items() if keys},
        excluded={
            reason: reasons[reason]
            for reason in schema.field("exclusion_reason").enum
            if reason != DUPLICATE and reasons[reason]
        },
    )


def _release_dates(table: Table) -> dict[str, date | None]:
    """Each version's date, None for the newest if it is in preparation (no date yet).

    A date that does not exist, a version older than an earlier date, or an older version without
    a date is a problem.
    """
    where = display_path(table.schema.path)
    dates, problems = {}, []
    newest = max((record.values["version"] for record in table.records), key=version_key)
    for record in table.records:
        if not record.values["date"]:
            dates[record.values["version"]] = None
            if record.values["version"] != newest:
                problems.append(
                    Problem(where, "only the newest version can be in preparation (no date)", record.row, "date")
                )
            continue
        try:
            dates[record.values["version"]] = date.fromisoformat(record.values["date"])
        except ValueError:
            problems.append(Problem(where, f'"{record.values["date"]}" is not a date', record.row, "date"))
    dated = [r for r in table.records if dates.get(r.values["version"])]
    newest_first = sorted(dated, key=lambda r: version_key(r.values["version"]), reverse=True)
    for newer, older in zip(newest_first, newest_first[1:]):
        if dates[newer.values["version"]] < dates[older.values["version"]]:
            problems.append(
                Problem(
                    where,
                    f"version {newer.values['version']} is dated before version {older.values['version']}",
                    newer.row,
                    "date",
                )
            )
    if problems:
        raise DataError(problems)
    return dates


def _literature_cutoffs(tables: dict[str, Table], dates: dict[str, date | None]) -> dict[str, date | None]:
    """Each version's literature cut-off, checked: not after its release date, and for the newest
    version the date of the last search in searches.csv."""
    table = tables["releases"]
    where = display_path(table.schema.path)
    cutoffs, problems = {}, []
    for record in table.records:
        version, text = record.values["version"], record.values["literature_cutoff"]
        try:
            cutoffs[version] = date.fromisoformat(text) if text else None
        except ValueError:
            problems.append(Problem(where, f'"{text}" is not a date', record.row, "literature_cutoff"))
            continue
        released = dates.get(version)
        if cutoffs[version] and released and cutoffs[version] > released:
            problems.append(
                Problem(
                    where,
                    f"the literature cut-off {text} falls after the release date",
                    record.row,
                    "literature_cutoff",
                )
            )
    searched = [r.values["searched_on"] for r in tables["searches"].records if r.values["searched_on"]]
    newest = max(table.records, key=lambda record: version_key(record.values["version"]))
    last_search = max(searched) if searched else ""
    if not problems and last_search and newest.values["literature_cutoff"] != last_search:
        problems.append(
            Problem(
                where,
                f"the newest version's literature cut-off must be the date of the last logged search, {last_search}",
                newest.row,
                "literature_cutoff",
            )
        )
    if problems:
        raise DataError(problems)
    return cutoffs


def releases(tables: dict[str, Table]) -> list[Release]:
    """Every release, newest first, with the evidence rows and records it added (in file order)."""
    dates = _release_dates(tables["releases"])
    cutoffs = _literature_cutoffs(tables, dates)
    process = {record.values["id"]: record.values["process"] for record in tables["mechanisms"].records}
    found = []
    for record in tables["releases"].records:
        version = record.values["version"]
        evidence = [r for r in tables["evidence"].records if r.values["version_added"] == version]
        logged = [r for r in tables["records"].records if r.values["version_added"] == version]
        found.append(
            Release(
                version=version,
                date=dates[version],
                literature_cutoff=cutoffs[version],
                summary=record.values["summary"],
                evidence=tuple(
                    EvidenceAdded(process[r.values["mechanism"]], evidence_label(r), r.values["citations"])
                    for r in evidence
                ),
                screening=_screening_added(tables, logged),
            )
        )
    return sorted(found, key=lambda release: version_key(release.version), reverse=True)


def changelog_releases(text: str) -> list[tuple[str, str]]:
    """(version, date) of each released section of CHANGELOG.md, in the order written."""
    return CHANGELOG_RELEASE.findall(text)
