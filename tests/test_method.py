"""The review's method: screening log, search log, grading rule and PRISMA counts."""

from __future__ import annotations

import csv
from collections import Counter

import pytest
from pybtex.database import parse_file

from lenvatinib_review.datapackage import DEFAULT_BIBLIOGRAPHY, DEFAULT_DESCRIPTOR, load_package
from lenvatinib_review.screening import (
    PARTIAL_NOTE,
    misgraded_rows,
    prisma_flow,
    strongest_level,
    summary,
    unverified_fields,
)


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
            assert not values["verification"], f"data/records.csv, row {record.row}: an excluded record is not graded"
        else:
            assert not values["exclusion_reason"], f"data/records.csv, row {record.row}: included with a reason"
            assert values["title"], f"data/records.csv, row {record.row}: an included record needs the title seen"


def test_included_records_show_an_identifier_or_an_address(tables):
    for record in tables["records"].records:
        values = record.values
        if values["decision"] == "included" and values["study_type"] not in ("label", "other"):
            assert values["doi"] or values["pmid"] or values["pmcid"], (
                f"data/records.csv, row {record.row}: no identifier"
            )


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


def test_verification_status_follows_from_the_fields_seen(tables, bibliography):
    for record in records_by_decision(tables, "included"):
        entry = bibliography[record["id"]]
        missing = unverified_fields(entry)
        expected = "partial" if missing else "complete"
        assert record["verification"] == expected, f"{record['id']}: {expected} (not seen: {missing})"
        says_partial = entry.fields.get("note", "").startswith(PARTIAL_NOTE)
        assert says_partial == bool(missing), (
            f"{record['id']}: the bibliography note must say what was not seen: {missing}"
        )


@pytest.mark.parametrize(
    ("shown_in", "level"),
    [
        (("in-vitro",), "in-vitro"),
        (("in-vitro", "in-vivo"), "in-vivo"),
        (("in-vivo", "patient-cohort", "in-vitro"), "patient-cohort"),
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
    from bs4 import BeautifulSoup

    counts = summary(tables)
    text = BeautifulSoup((built_site / "book" / "index.html").read_text(encoding="utf-8"), "html.parser").get_text(" ")
    sentence = " ".join(text.split())
    assert f"screened {counts['screened']} records" in sentence
    assert f"included {counts['included']}" in sentence


def test_an_unknown_screening_count_stops_the_build(project_copy):
    from conftest import build_sphinx_page

    result = build_sphinx_page(project_copy, "# Page\n\nWe screened {screening}`recordz` records.\n")
    assert result.returncode != 0
    assert 'unknown screening count "recordz"' in result.stderr


def test_every_work_links_a_canonical_address(bibliography):
    canonical = ("https://pubmed.ncbi.nlm.nih.gov/", "https://pmc.ncbi.nlm.nih.gov/")
    for key, entry in bibliography.items():
        fields = entry.fields
        if entry.type == "misc" and not {"doi", "pmid", "pmcid"} & set(fields):
            assert "url" in fields, f"{key}: a label or document needs its address"
        else:
            assert "doi" in fields or fields.get("url", "").startswith(canonical), f"{key}: no DOI, PubMed or PMC link"


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
    from bs4 import BeautifulSoup

    from lenvatinib_review.screening import coverage_gaps

    soup = BeautifulSoup((built_site / "book" / "coverage.html").read_text(encoding="utf-8"), "html.parser")
    sentence = " ".join(soup.select_one("p.coverage-gaps").get_text(" ").split())
    for name in coverage_gaps(tables):
        assert name in sentence
    assert str(len(coverage_gaps(tables))) in sentence or "Every class" in sentence
