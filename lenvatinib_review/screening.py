"""The review's method as data: the screening log, the PRISMA flow and the grading rule.

``data/records.csv`` lists every bibliographic record considered, included or
excluded with a declared reason; ``data/searches.csv`` lists every query run.
This module derives from them the counts that the PRISMA flow diagram, the
methods chapter and the landing page show, and states the rule by which an
evidence row's level follows from the models its finding was shown in. It knows
nothing of Sphinx: the build, the notebooks and the tests all call it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from .datapackage import Table, display_path

# Reasons that stop a record at screening, against those that stop it later, at verification.
SCREENING_REASONS = ("review", "other-drug-only", "not-lenvatinib-resistance", "out-of-scope", "superseded")
DUPLICATE = "duplicate"
NOT_VERIFIABLE = "not-verifiable"
SEARCH_ROUTE = "search "


def strongest_level(shown_in: tuple[str, ...], levels: tuple[str, ...]) -> str:
    """The evidence level that follows from the models a finding was shown in.

    ``levels`` is the evidence-level scale, strongest first, as declared in the
    schema (clinical-trial > patient-cohort > patient-tissue > in-vivo > in-vitro).
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
class Round:
    """The latest screening round: the release it prepares, the date it started after, and what it changed."""

    version: str
    since: str
    new_records: int
    rescreened: int
    admitted: int
    dropped: int


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def screening_round(tables: dict[str, Table]) -> Round:
    """Count the latest round from the log: the records it added, and the earlier records it re-checked.

    The round is the newest version of ``releases.csv``; it began after the previous release's
    date. An earlier record re-screened in the round carries a later date in ``checked_on``; one
    whose decision changed names its previous decision.
    """
    versions = sorted(tables["releases"].records, key=lambda r: _version_key(r.values["version"]))
    version = versions[-1].values["version"]
    since = versions[-2].values["date"] if len(versions) > 1 else ""
    records = [r.values for r in tables["records"].records]
    earlier = [r for r in records if r["version_added"] != version]
    previous = [(r["previous_decision"] or "").split(":")[0] for r in earlier]
    return Round(
        version=version,
        since=since,
        new_records=len(records) - len(earlier),
        rescreened=sum(1 for r in earlier if r["checked_on"] > since),
        admitted=sum(1 for r, was in zip(earlier, previous) if was == "excluded" and r["decision"] == "included"),
        dropped=sum(1 for r, was in zip(earlier, previous) if was == "included" and r["decision"] == "excluded"),
    )


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
    this_round: Round

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
        this_round=screening_round(tables),
    )


def coverage_gaps(tables: dict[str, Table]) -> list[str]:
    """Mechanism classes (lower case) for which the book has no verified lenvatinib-specific study."""
    return [name for name, _ in coverage_gap_searches(tables)]


# How many of a class's logged searches the coverage page links (the latest ones).
SEARCHES_SHOWN_PER_GAP = 3


def coverage_gap_searches(tables: dict[str, Table]) -> list[tuple[str, list[str]]]:
    """Each class without a verified study (lower case), with the ids of its latest logged searches."""
    gaps = []
    for row in tables["coverage"].records:
        if row.values["book_coverage"] != "no-verified-study":
            continue
        name = row.values["mechanism_class"][0].lower() + row.values["mechanism_class"][1:]
        searches = [s.values["id"] for s in tables["searches"].records if s.values["topic"] == row.values["id"]]
        gaps.append((name, searches[-SEARCHES_SHOWN_PER_GAP:]))
    return gaps


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
        "not-verifiable": str(flow.not_verifiable),
        "round": flow.this_round.version,
        "new-records": str(flow.this_round.new_records),
        "rescreened": str(flow.this_round.rescreened),
        "admitted": str(flow.this_round.admitted),
        "dropped": str(flow.this_round.dropped),
    }


# The identity rule (methods chapter, "Verification of each record"): the fields that
# establish a record's identity, the kinds of evidence for it, and the row columns
# that hold each field, so that "not seen" and a blank cell always agree.
IDENTITY_FIELDS = ("title", "first-author", "venue", "year")
COLUMN_OF_FIELD = {
    "first-author": "first_author",
    "title": "title",
    "venue": "journal",
    "year": "year",
    "doi": "doi",
    "pmid": "pmid",
}
COUNTING_STANDINGS = ("authoritative", "secondary")
OWN_SITE_STUDY_TYPES = ("label", "other")
OWN_SITE_KINDS = ("news", "sponsor", "regulator", "publisher", "vendor")
_IP_ADDRESS = re.compile(r"\d{1,3}(\.\d{1,3}){3}")


def site_of(url: str) -> str | None:
    """The host of an address, lower case and without a trailing dot; None for a text that is no address."""
    host = urlsplit(url.strip()).hostname
    return host.rstrip(".") if host else None


def site_standing(host: str, hosts: dict[str, dict]) -> tuple[str, str] | None:
    """(kind, standing) of a site from ``source_hosts.csv``; a bare IP address is never a source."""
    if _IP_ADDRESS.fullmatch(host):
        return "bare-ip", "never"
    if host in hosts:
        return hosts[host]["kind"], hosts[host]["standing"]
    return None


def _registrable(host: str) -> str:
    """The site a host belongs to, for telling independent records apart (pmc and pubmed are both NCBI)."""
    return ".".join(host.split(".")[-2:])


def identity_problems(tables: dict[str, Table]) -> list[str]:
    """Every record that breaks the identity rule, with file, row and what is wrong."""
    hosts = {row.values["host"]: row.values for row in tables["source_hosts"].records}
    where = display_path(tables["records"].schema.path)
    problems = []
    for record in tables["records"].records:
        values = record.values
        at = f"{where}, row {record.row} ({values['id']})"
        not_seen = set(values["not_seen"] or ())
        for name, column in COLUMN_OF_FIELD.items():
            blank = values[column] in ("", None)
            if blank and name not in not_seen:
                problems.append(f'{at}: {column} is blank, so not_seen must list "{name}"')
            if not blank and name in not_seen:
                problems.append(f'{at}: not_seen lists "{name}" but {column} holds a value')
        sites = []
        for address in values["checked_url"].split(" ; "):
            host = site_of(address)
            if host is None:
                continue
            standing = site_standing(host, hosts)
            if standing is None:
                problems.append(f"{at}: the site {host} of checked_url is not classified in data/source_hosts.csv")
                continue
            sites.append((host, *standing))
        verification, basis = values["verification"], values["identity_basis"]
        if verification == "none":
            if basis:
                problems.append(f"{at}: identity_basis must be blank when verification is none")
            if values["decision"] == "included":
                problems.append(
                    f"{at}: an included record needs an established identity (verification full or identity)"
                )
            continue
        if values["exclusion_reason"] == NOT_VERIFIABLE:
            problems.append(f"{at}: excluded as not-verifiable although its identity is established ({verification})")
        if verification == "identity":
            unseen_identity = [name for name in IDENTITY_FIELDS if name in not_seen]
            if unseen_identity:
                problems.append(f"{at}: verification identity needs {', '.join(unseen_identity)} seen")
        else:
            if not (values["doi"] or values["pmid"] or values["pmcid"]):
                problems.append(f"{at}: verification full needs a DOI, PMID or PMCID seen")
            if "abstract" in not_seen:
                problems.append(f"{at}: verification full needs the abstract or full text read")
            if basis != "authoritative":
                problems.append(f"{at}: verification full needs the identifier seen on an authoritative record")
        problems.extend(f"{at}: {problem}" for problem in _basis_problems(basis, sites, values["study_type"]))
    return problems


def _basis_problems(basis: str, sites: list[tuple[str, str, str]], study_type: str) -> list[str]:
    counting = [(host, kind) for host, kind, standing in sites if standing in COUNTING_STANDINGS]
    if basis == "authoritative":
        if not any(standing == "authoritative" for _, _, standing in sites):
            return [
                "identity_basis authoritative, but no site of checked_url is authoritative in data/source_hosts.csv"
            ]
    elif basis == "two-records":
        if len({_registrable(host) for host, _ in counting}) < 2:
            return ["identity_basis two-records, but checked_url does not hold two independent records"]
    elif basis == "own-site":
        if study_type not in OWN_SITE_STUDY_TYPES:
            return [f"identity_basis own-site is for labels and news items, not a {study_type} record"]
        if not any(kind in OWN_SITE_KINDS for _, kind in counting):
            return [
                "identity_basis own-site, but no site of checked_url is a news, sponsor, regulator or publisher site"
            ]
    else:
        return ["identity established, so identity_basis must say how (authoritative, two-records or own-site)"]
    return []


def canonical_link_problem(url: str, hosts: dict[str, dict], record: dict) -> str:
    """Why a bibliography url is not a canonical link ("" if it is one).

    The bibliography links the DOI; without one, PubMed, PMC, the publisher or the
    regulator. A news item or label read on its issuer's own site links that site.
    """
    host = site_of(url)
    standing = site_standing(host, hosts) if host else None
    if standing is None:
        return "the site is not classified in data/source_hosts.csv"
    kind, level = standing
    if level == "authoritative":
        return ""
    if record["identity_basis"] == "own-site" and kind in OWN_SITE_KINDS:
        return ""
    return f"a site of kind {kind} ({level}) is provenance for the screening log, never the bibliography's link"
