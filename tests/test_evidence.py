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
        rows = [
            e
            for e in evidence
            if e.values["mechanism"] == mechanism.values["id"] and e.values["evidence_level"] != "review-only"
        ]
        assert rows, f'mechanism "{mechanism.values["id"]}" has no primary evidence'
        covered = {molecule for row in rows for molecule in row.values["molecules"]}
        missing = set(mechanism.values["molecules"]) - covered
        assert not missing, f'mechanism "{mechanism.values["id"]}": no evidence row for {sorted(missing)}'


def test_other_drug_evidence_is_labelled_in_the_mechanism_text():
    tables = load_package()
    mechanisms = {m.values["id"]: m for m in tables["mechanisms"].records}
    for row in tables["evidence"].records:
        if row.values["drug"] == "other-drug":
            assert (
                "sorafenib" in mechanisms[row.values["mechanism"]].values["finding"].lower()
                or "other drug" in mechanisms[row.values["mechanism"]].values["finding"].lower()
            )


def test_every_class_the_reviews_cover_is_covered_by_the_book():
    from conftest import toc_pages

    pages = set(toc_pages())
    coverage = load_package()["coverage"]
    reviews = [f.name for f in coverage.schema.fields if set(f.enum) == {"named", "implied", "not-seen"}]
    assert len(reviews) >= 3
    for row in coverage.records:
        assert row.values["book_section"] in pages, f"row {row.row}: no such chapter {row.values['book_section']}"
    for name in reviews:
        assert any(row.values[name] == "named" for row in coverage.records), f"{name} names no class"


def test_at_least_thirty_primary_studies_are_cited():
    entries = parse_file(str(DEFAULT_BIBLIOGRAPHY)).entries
    primary = [key for key, entry in entries.items() if entry.type == "article" and not is_review(key, entries)]
    assert len(primary) >= 30, f"{len(primary)} primary studies"


def test_target_relation_follows_the_glossary_definitions():
    """on-target and target-level rows name a lenvatinib target; drug-exposure rows are efflux rows."""
    from conftest import ROOT

    tables = load_package()
    glossary = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    for term in (
        "On-target resistance",
        "Off-target resistance",
        "Drug-exposure resistance",
        "Target-level determinant",
    ):
        assert f"\n{term}\n" in glossary, f"the glossary does not define {term}"
    names = {t.values["family"] for t in tables["targets"].records}
    names |= {t.values["target"].split(" ")[0] for t in tables["targets"].records}
    for row in tables["mechanisms"].records:
        relation, molecules = row.values["target_relation"], " ".join(row.values["molecules"])
        where = f'data/mechanisms.csv, row {row.row} ("{row.values["id"]}")'
        if relation in ("on-target", "target-level"):
            assert any(name in molecules for name in names), f"{where}: {relation} but names no lenvatinib target"
        assert (relation == "drug-exposure") == (row.values["process_group"] == "drug-efflux"), where
