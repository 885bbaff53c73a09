"""Every mechanism rests on primary evidence, graded on the declared scale."""

from pybtex.database import parse_file

from lenvatinib_review.datapackage import DEFAULT_BIBLIOGRAPHY, load_package


def is_review(key: str, entries) -> bool:
    return "review" in entries[key].fields.get("keywords", "").lower().split(",")


def test_every_evidence_row_cites_a_primary_study():
    entries = parse_file(str(DEFAULT_BIBLIOGRAPHY)).entries
    for record in load_package()["evidence"].records:
        level = record.values["evidence_level"]
        for key in record.values["citations"]:
            assert key in entries
            if level != "review-only":
                assert not is_review(key, entries), f"evidence row {record.row} cites the review {key} as primary"


def test_every_mechanism_molecule_has_evidence():
    tables = load_package()
    evidence = tables["evidence"].records
    for mechanism in tables["mechanisms"].records:
        rows = [e for e in evidence if e.values["mechanism"] == mechanism.values["id"] and e.values["evidence_level"] != "review-only"]
        assert rows, f'mechanism "{mechanism.values["id"]}" has no primary evidence'
        covered = {molecule for row in rows for molecule in row.values["molecules"]}
        missing = set(mechanism.values["molecules"]) - covered
        assert not missing, f'mechanism "{mechanism.values["id"]}": no evidence row for {sorted(missing)}'


def test_other_drug_evidence_is_labelled_in_the_mechanism_text():
    tables = load_package()
    mechanisms = {m.values["id"]: m for m in tables["mechanisms"].records}
    for row in tables["evidence"].records:
        if row.values["drug"] == "other-drug":
            assert "sorafenib" in mechanisms[row.values["mechanism"]].values["finding"].lower() or \
                "other drug" in mechanisms[row.values["mechanism"]].values["finding"].lower()
