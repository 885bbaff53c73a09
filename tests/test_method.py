"""The review's method: screening log, search log, grading rule and PRISMA counts."""

from __future__ import annotations

import csv
from collections import Counter

import pytest
from pybtex.database import parse_file

from lenvatinib_review.datapackage import DEFAULT_BIBLIOGRAPHY, DEFAULT_DESCRIPTOR, load_package
from lenvatinib_review.screening import (
    canonical_link_problem,
    identity_problems,
    misgraded_rows,
    prisma_flow,
    strongest_level,
    summary,
)

from conftest import page


@pytest.fixture(scope="module")
def tables():
    return load_package()


@pytest.fixture(scope="module")
def bibliography():
    return parse_file(str(DEFAULT_BIBLIOGRAPHY)).entries


def records_by_decision(tables, decision):
    return [r.values for r in tables["records"].records if r.values["decision"] == decision]


def test_every_cited_work_is_an_included_record_and_every_included_record_is_cited(tables, bibliography):
    included = {r["id"] for r in records_by_decision(tables, "included")}
    assert set(bibliography) - included == set(), "references.bib entries missing from data/records.csv"
    assert included - set(bibliography) == set(), "included records missing from references.bib"


def test_exclusions_and_only_exclusions_give_a_reason(tables):
    for record in tables["records"].records:
        values = record.values
        if values["decision"] == "excluded":
            assert values["exclusion_reason"], f"data/records.csv, row {record.row}: excluded without a reason"
        else:
            assert not values["exclusion_reason"], f"data/records.csv, row {record.row}: included with a reason"


def test_identifiers_agree_with_the_bibliography(tables, bibliography):
    for record in tables["records"].records:
        values = record.values
        if values["decision"] != "included":
            continue
        fields = bibliography[values["id"]].fields
        for name in ("doi", "pmid", "pmcid"):
            if values[name] and name in fields:
                assert values[name].lower() == fields[name].lower(), (
                    f"{values['id']}: {name} differs from references.bib"
                )


def test_no_paper_is_logged_twice_unless_marked_duplicate(tables):
    for name in ("doi", "pmid", "pmcid"):
        seen = Counter(
            r.values[name].lower()
            for r in tables["records"].records
            if r.values[name] and r.values["exclusion_reason"] != "duplicate"
        )
        repeated = [value for value, count in seen.items() if count > 1]
        assert not repeated, f"{name} logged more than once without a duplicate mark: {repeated}"


def test_every_record_obeys_the_identity_rule(tables):
    assert identity_problems(tables) == []


def rewrite_records(project_copy, change):
    path = project_copy / "data" / "records.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return load_package(project_copy / "data" / "datapackage.json", project_copy / "references.bib")


CHANGED = "dubbelman2016metabolite"


def problems_of_changed_row(tables):
    return [problem for problem in identity_problems(tables) if f"({CHANGED})" in problem]


def changed_row(rows):
    return next(row for row in rows if row["id"] == CHANGED)


def test_an_aggregator_alone_does_not_establish_identity(project_copy):
    def only_an_aggregator(rows):
        row = changed_row(rows)
        row["checked_url"] = "https://discovery.researcher.life/article/x"

    problems = problems_of_changed_row(rewrite_records(project_copy, only_an_aggregator))
    assert len(problems) == 1
    assert "identity_basis authoritative, but no site of checked_url is authoritative" in problems[0]


def test_two_independent_secondary_records_establish_identity(project_copy):
    def two_secondary_records(rows):
        row = changed_row(rows)
        row["checked_url"] = "https://discovery.researcher.life/a ; https://ouci.dntb.gov.ua/en/works/b"
        row["identity_basis"], row["verification"] = "two-records", "identity"

    assert problems_of_changed_row(rewrite_records(project_copy, two_secondary_records)) == []


def test_a_bare_ip_mirror_counts_for_nothing(project_copy):
    def mirror_and_ip(rows):
        row = changed_row(rows)
        row["checked_url"] = "https://discovery.researcher.life/a ; http://47.251.13.51:8081/pubmed/1"
        row["identity_basis"], row["verification"] = "two-records", "identity"

    problems = problems_of_changed_row(rewrite_records(project_copy, mirror_and_ip))
    assert len(problems) == 1 and "does not hold two independent records" in problems[0]


def test_a_not_verifiable_exclusion_needs_an_unestablished_identity(project_copy):
    def exclude_a_verified_record(rows):
        row = changed_row(rows)
        row["decision"], row["exclusion_reason"] = "excluded", "not-verifiable"

    problems = problems_of_changed_row(rewrite_records(project_copy, exclude_a_verified_record))
    assert any("excluded as not-verifiable although its identity is established" in p for p in problems)


def test_a_blank_field_must_be_listed_as_not_seen(project_copy):
    def blank_year(rows):
        row = changed_row(rows)
        row["year"] = ""

    problems = problems_of_changed_row(rewrite_records(project_copy, blank_year))
    assert len(problems) == 1 and 'year is blank, so not_seen must list "year"' in problems[0]


def not_seen_also(row, *fields):
    row["not_seen"] = "; ".join(filter(None, [row["not_seen"], *fields]))


def test_identity_needs_the_year_seen(project_copy):
    def year_not_seen(rows):
        row = changed_row(rows)
        row["year"], row["verification"] = "", "identity"
        not_seen_also(row, "year")

    problems = problems_of_changed_row(rewrite_records(project_copy, year_not_seen))
    assert len(problems) == 1 and "verification identity needs year seen" in problems[0]


def test_an_identifier_and_abstract_on_an_authoritative_record_are_full_without_the_header(project_copy):
    """A PubMed Central page stored without its header still identifies the paper by its PMCID."""

    def header_not_seen(rows):
        row = changed_row(rows)
        row["first_author"] = row["title"] = row["journal"] = row["year"] = ""
        row["checked_url"] = "https://pmc.ncbi.nlm.nih.gov/articles/PMC9277415"
        not_seen_also(row, "first-author", "title", "venue", "year")

    assert problems_of_changed_row(rewrite_records(project_copy, header_not_seen)) == []


def test_full_needs_the_identifier_on_an_authoritative_record(project_copy):
    def identifier_on_a_mirror_only(rows):
        row = changed_row(rows)
        row["checked_url"] = "https://suppr.wilddata.cn/a ; https://ouci.dntb.gov.ua/b"
        row["identity_basis"] = "two-records"

    problems = problems_of_changed_row(rewrite_records(project_copy, identifier_on_a_mirror_only))
    assert len(problems) == 1 and "needs the identifier seen on an authoritative record" in problems[0]


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://pubmed.ncbi.nlm.nih.gov/33730237/", ""),
        ("http://47.251.13.51:8081/pubmed/33730237", "kind bare-ip (never)"),
        ("https://www.scribd.com/document/1", "kind document-upload (never)"),
        ("https://proxy.weglot.com/x", "kind proxy (never)"),
        ("https://discovery.researcher.life/a", "kind aggregator (secondary)"),
        ("https://unknown.example.org/a", "not classified"),
    ],
)
def test_only_canonical_sites_are_bibliography_links(tables, url, problem):
    hosts = {row.values["host"]: row.values for row in tables["source_hosts"].records}
    found = canonical_link_problem(url, hosts, {"identity_basis": "authoritative"})
    assert (found == "") if not problem else (problem in found)


@pytest.mark.parametrize(
    ("shown_in", "level"),
    [
        (("in-vitro",), "in-vitro"),
        (("in-vitro", "in-vivo"), "in-vivo"),
        (("in-vivo", "patient-cohort", "in-vitro"), "patient-cohort"),
        (("in-vivo", "patient-tissue"), "patient-tissue"),
        (("patient-tissue", "patient-cohort"), "patient-cohort"),
        (("in-vitro", "clinical-trial"), "clinical-trial"),
    ],
)
def test_the_grading_rule_takes_the_strongest_model(tables, shown_in, level):
    scale = tables["evidence"].schema.field("evidence_level").enum
    assert strongest_level(shown_in, scale) == level


def test_every_evidence_row_obeys_the_grading_rule(tables):
    assert misgraded_rows(tables) == []


def test_a_misgraded_row_is_reported_with_file_and_row(project_copy):
    path = project_copy / "data" / "evidence.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    rows[0]["shown_in"], rows[0]["evidence_level"] = "in-vitro", "in-vivo"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    problems = misgraded_rows(load_package(project_copy / "data" / "datapackage.json", project_copy / "references.bib"))
    assert len(problems) == 1
    expected = '"in-vivo", but the finding was shown in in-vitro, so it must be "in-vitro"'
    assert problems[0].endswith(f'evidence.csv, row 2, column "evidence_level": {expected}')


def test_every_class_without_a_study_has_a_logged_search(tables):
    searched = {r.values["topic"] for r in tables["searches"].records}
    for row in tables["coverage"].records:
        if row.values["book_coverage"] == "no-verified-study":
            assert row.values["id"] in searched, f'coverage class "{row.values["id"]}": no study and no logged search'


def test_prisma_counts_match_a_direct_count_of_the_log(tables):
    with DEFAULT_DESCRIPTOR.with_name("records.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    flow = prisma_flow(tables)
    reasons = Counter(row["exclusion_reason"] for row in rows if row["decision"] == "excluded")
    assert flow.identified == len(rows)
    assert flow.identified_by_search == sum(row["found_by"].startswith("search ") for row in rows)
    assert flow.duplicates == reasons["duplicate"]
    assert flow.screened == len(rows) - reasons["duplicate"]
    assert flow.not_verifiable == reasons["not-verifiable"]
    assert sum(flow.excluded_at_screening.values()) + flow.duplicates + flow.not_verifiable == sum(reasons.values())
    assert flow.included == dict(Counter(row["study_type"] for row in rows if row["decision"] == "included"))
    assert flow.included_total + flow.excluded_total == len(rows)


def test_the_landing_page_states_the_counts_of_the_log(built_site, tables):
    counts = summary(tables)
    text = page(built_site, "book/index").get_text(" ")
    sentence = " ".join(text.split())
    assert f"screened {counts['screened']} records" in sentence
    assert f"included {counts['included']}" in sentence


def test_an_unknown_screening_count_stops_the_build(project_copy):
    from conftest import build_sphinx_page

    result = build_sphinx_page(project_copy, "# Page\n\nWe screened {screening}`recordz` records.\n")
    assert result.returncode != 0
    assert 'unknown screening count "recordz"' in result.stderr


def test_an_unknown_search_stops_the_build_naming_page_and_line(project_copy):
    from conftest import build_sphinx_page

    result = build_sphinx_page(project_copy, "# Page\n\nNo study of X was found ({search}`r3-nowhere-1`).\n")
    assert result.returncode != 0
    assert 'unknown search "r3-nowhere-1": no row of data/searches.csv has this id' in result.stderr
    assert "index.md:3:" in result.stderr


def test_the_round_counts_match_a_direct_count_of_the_log(tables):
    latest = prisma_flow(tables).this_round
    rows = [r.values for r in tables["records"].records]
    versions = sorted(tables["releases"].records, key=lambda r: [int(n) for n in r.values["version"].split(".")])
    assert (latest.version, latest.since) == (versions[-1].values["version"], versions[-2].values["date"])
    earlier = [row for row in rows if row["version_added"] != latest.version]
    assert latest.new_records == len(rows) - len(earlier)
    assert latest.rescreened == sum(row["checked_on"] > latest.since for row in earlier)
    changed = Counter((row["previous_decision"] or "").split(":")[0] + ">" + row["decision"] for row in earlier)
    assert (latest.admitted, latest.dropped) == (changed["excluded>included"], changed["included>excluded"])


def test_coverage_claims_agree_with_the_evidence_behind_them(tables, bibliography):
    study_types = {r.values["id"]: r.values["study_type"] for r in tables["records"].records}
    for row in tables["coverage"].records:
        primary = [key for key in row.values["citations"] if study_types[key] not in ("review", "label", "other")]
        if row.values["book_coverage"] == "primary-evidence":
            assert primary, f'data/coverage.csv, row {row.row}: "primary-evidence" but only reviews are cited'
        else:
            message = f"cites primary studies {primary} but says no verified study"
            assert not primary, f"data/coverage.csv, row {row.row}: {message}"


def test_the_coverage_page_names_exactly_the_classes_without_a_study(built_site, tables):
    from lenvatinib_review.screening import coverage_gaps

    soup = page(built_site, "book/coverage")
    sentence = " ".join(soup.select_one("p.coverage-gaps").get_text(" ").split())
    for name in coverage_gaps(tables):
        assert name in sentence
    assert str(len(coverage_gaps(tables))) in sentence or "Every class" in sentence


def test_the_landing_page_and_methods_state_a_literature_cut_off_not_in_the_future(built_site, tables):
    import datetime

    cut_off = summary(tables)["last-search"]
    assert datetime.date.fromisoformat(cut_off) <= datetime.date.today()
    for docname in ("book/index", "book/methods"):
        text = " ".join(page(built_site, docname).get_text(" ").split())
        assert "cut-off" in text and cut_off in text, f"{docname}: no literature cut-off {cut_off}"
