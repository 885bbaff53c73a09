"""Every data file passes its schema, and every row of every file is loaded."""

import csv
import json

from lenvatinib_review.datapackage import DEFAULT_DESCRIPTOR, load_package, read_schemas


def test_every_table_is_valid():
    tables = load_package()
    declared = {resource["name"] for resource in json.loads(DEFAULT_DESCRIPTOR.read_text())["resources"]}
    assert set(tables) == declared
    for table in tables.values():
        with table.schema.path.open(encoding="utf-8", newline="") as handle:
            data_rows = list(csv.reader(handle))[1:]
        assert len(table) == len(data_rows), f"{table.schema.name}: rows were dropped"


def test_required_tables_and_columns_are_declared():
    schemas = read_schemas()
    assert {"mechanisms", "pharmacology", "strategies", "workflows"} <= set(schemas)
    assert {"id", "category", "process", "molecules", "cancer_types", "citations"} <= set(
        schemas["mechanisms"].field_names
    )
    assert {"parameter", "value", "unit", "citations"} <= set(schemas["pharmacology"].field_names)
    # The screening and search logs and the sites they name describe the search itself, and the
    # releases the book; the labels are the book's words for codes and the figures' captions describe figures; every
    # other table cites its sources. A release is known by its version, a site by its host, a label by its code, a
    # figure by its label.
    keys = {"releases": "version", "source_hosts": "host", "labels": "code", "figures": "label"}
    for schema in schemas.values():
        assert schema.primary_key == keys.get(schema.name, "id")
        if schema.name in ("studies", "clinical_quality"):
            continue  # one row per study, keyed by the study's references.bib key (checked below)
        # The certainty rule is the book's own method, not a finding: it cites nothing.
        excluded = ("records", "searches", "releases", "source_hosts", "certainty_rule", "labels", "figures")
        if schema.name not in excluded:
            assert any(field.citation_keys for field in schema.fields), f"{schema.name} has no citation column"


def test_study_tables_are_keyed_by_included_studies():
    tables = load_package()
    study_type = {
        r.values["id"]: r.values["study_type"] for r in tables["records"].records if r.values["decision"] == "included"
    }
    expected = {"studies": ("preclinical",), "clinical_quality": ("clinical-trial", "clinical-cohort")}
    for name, kinds in expected.items():
        for row in tables[name].records:
            key = row.values["id"]
            assert study_type.get(key) in kinds, (
                f"data/{name}.csv, row {row.row}: {key} is not an included {' or '.join(kinds)} study"
            )


def test_hazard_ratio_bounds_bracket_the_estimate_and_match_the_interval_text():
    for row in load_package()["trials"].records:
        lower, upper, ratio = row.values["hr_lower"], row.values["hr_upper"], row.values["hazard_ratio"]
        where = f"data/trials.csv, row {row.row}"
        assert (lower is None) == (upper is None), f"{where}: give both bounds or neither"
        if lower is not None:
            assert ratio is not None and lower <= ratio <= upper, f"{where}: {lower}–{upper} does not bracket {ratio}"
            for bound in (row.text["hr_lower"], row.text["hr_upper"]):
                assert bound in row.values["interval"], f"{where}: {bound} is not in the interval text"


def test_every_hazard_ratio_names_its_endpoint():
    for row in load_package()["trials"].records:
        has_ratio = row.values["hazard_ratio"] is not None
        assert has_ratio == bool(row.values["hr_endpoint"]), (
            f"data/trials.csv, row {row.row}: hazard ratio and endpoint"
        )


def test_leap_012_is_recorded_as_failing_overall_survival_and_closed():
    trials = {row.values["id"]: row.values for row in load_package()["trials"].records}
    leap = trials.get("leap-012")
    if leap is None:  # the row was dropped for want of a verified trial report; the strategies table keeps it
        strategies = {row.values["id"]: row.values for row in load_package()["strategies"].records}
        leap = next(row for row in strategies.values() if "LEAP-012" in row["strategy"] + row["result"])
        assert "not" in leap["result"] and "closed" in leap["result"], leap["result"]
        return
    assert leap["outcome"] != "met" and "closed" in leap["result"]


def test_every_trial_row_cites_an_included_record():
    tables = load_package()
    included = {r.values["id"] for r in tables["records"].records if r.values["decision"] == "included"}
    for row in tables["trials"].records:
        assert row.values["citations"], f"data/trials.csv, row {row.row}: no citation"
        assert set(row.values["citations"]) <= included, f"data/trials.csv, row {row.row}: cites an excluded record"
