"""The certainty of each mechanism: recomputed from the data, moved by the rule, and guarded against bad input.

The ratings of ``lenvatinib_review.certainty`` are checked against a second, plain reading of the
CSV files here; then single edits of a copy of the data (a point of the rule, a second group's
study, a concentration, a conflict) must move a mechanism's rating exactly as the rule says.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from lenvatinib_review.certainty import (
    RATINGS,
    assess,
    best_supported,
    clinical_exposure,
    field_blanks,
    read_rule,
    summary,
)
from lenvatinib_review.datapackage import DataError, bibliography_entries, load_package
from lenvatinib_review.screening import misgraded_rows

from conftest import ROOT, page, rewrite, run_sphinx_build, set_cell

TREATED = {"patient-cohort", "clinical-trial"}


def read_csv(root: Path, name: str) -> list[dict[str, str]]:
    with (root / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def split(cell: str) -> list[str]:
    return [item.strip() for item in cell.split(";") if item.strip()]


def plain_ratings(root: Path) -> dict[str, tuple[str, int]]:
    """Every mechanism's (rating, score), by the rule as the methods chapter states it, from the raw CSV files."""
    rule = {row["id"]: row for row in read_csv(root, "certainty_rule")}
    points = {key: int(row["points"]) for key, row in rule.items()}
    pharmacology = {row["id"]: row for row in read_csv(root, "pharmacology")}
    limit_um = (
        float(rule["above-exposure"]["threshold"])
        * float(pharmacology[rule["above-exposure"]["reference"]]["value"])
        / float(pharmacology["molar-mass"]["value"])
    )
    order = ["clinical-trial", "patient-cohort", "patient-tissue", "in-vivo", "in-vitro"]
    entries = bibliography_entries(root / "references.bib")
    author = {
        key: (e.persons["author"][0].last_names[0].casefold() if e.persons.get("author") else None)
        for key, e in entries.items()
    }
    studies = {row["id"]: row for row in read_csv(root, "studies")}
    randomised = {
        row["id"]
        for row in read_csv(root, "clinical_quality")
        if row["randomised"] == "yes" and row["design"] in ("randomised-phase-3", "randomised-phase-2")
    }
    conflicted = {row["mechanism"] for row in read_csv(root, "conflicts")}
    against = defaultdict(set)
    for row in read_csv(root, "conflicts"):
        against[row["mechanism"]].update(split(row["against"]))
    findings = defaultdict(list)
    for row in read_csv(root, "evidence"):
        findings[row["mechanism"]].append(row)
    result = {}
    for mechanism in read_csv(root, "mechanisms"):
        everything = findings[mechanism["id"]]
        opposed = against[mechanism["id"]]
        rows = [row for row in everything if not set(split(row["citations"])) <= opposed] or everything
        keys = [k for k in dict.fromkeys(k for row in everything for k in split(row["citations"])) if k not in opposed]
        best = min((row["evidence_level"] for row in rows), key=order.index)
        top = [row for row in rows if row["evidence_level"] == best]
        is_randomised = best == "clinical-trial" and any(
            k in randomised for row in top for k in split(row["citations"])
        )
        score = points["start-randomised-trial" if is_randomised else f"start-{best}"]
        names = {author[k] for k in keys}
        if len(keys) == 1 or (None not in names and len(names) == 1):
            score += points["single-group"]
        stated = [
            float(studies[k]["max_concentration_um"])
            for k in keys
            if k in studies and studies[k]["max_concentration_um"]
        ]
        if best not in TREATED and stated and min(stated) > limit_um:
            score += points["above-exposure"]
        if mechanism["id"] in conflicted:
            score += points["inconsistent"]
        if all(row["drug"] != "lenvatinib" for row in top):
            score += points["other-drug"]

        def lines(key):
            return {x.casefold() for x in split(studies[key]["cell_lines"])} if key in studies else set()

        if any(
            author[a] and author[b] and author[a] != author[b] and not (lines(a) and lines(a) == lines(b))
            for i, a in enumerate(keys)
            for b in keys[i + 1 :]
        ):
            score += points["independent-replication"]
        kinds = {kind for row in rows for kind in split(row["shown_in"])}
        if kinds & TREATED and kinds & {"in-vitro", "in-vivo"}:
            score += points["treated-patients"]
        if not is_randomised:
            score = min(score, points["cap-without-randomised"])
        if best not in TREATED:
            score = min(score, points["cap-without-patients"])
        rating = next((name for name in RATINGS if score >= points[name]), RATINGS[-1])
        result[mechanism["id"]] = (rating, score)
    return result


def ratings_of(root: Path) -> dict[str, tuple[str, int]]:
    tables = load_package(root / "data" / "datapackage.json", root / "references.bib")
    assessed = assess(tables, bibliography_entries(root / "references.bib"))
    return {key: (a.rating, a.score) for key, a in assessed.items()}


def assessments(root: Path) -> dict:
    tables = load_package(root / "data" / "datapackage.json", root / "references.bib")
    return assess(tables, bibliography_entries(root / "references.bib"))


def assessment(root: Path, mechanism: str):
    return assessments(root)[mechanism]


def test_every_mechanism_is_rated_as_a_plain_reading_of_the_rule_rates_it():
    computed = ratings_of(ROOT)
    assert computed == plain_ratings(ROOT)
    assert set(computed) == {row["id"] for row in read_csv(ROOT, "mechanisms")}


def test_a_changed_point_in_the_rule_changes_the_ratings_it_reaches(project_copy):
    before = ratings_of(project_copy)
    rows = read_csv(project_copy, "certainty_rule")
    row = next(i for i, r in enumerate(rows) if r["id"] == "single-group") + 2
    set_cell(project_copy, "certainty_rule", row, "points", "0")
    after = ratings_of(project_copy)
    assert after == plain_ratings(project_copy)
    assessed = assessments(ROOT)
    single = [key for key in before if "single-group" in {f.id for f in assessed[key].lowered_by}]
    moved = [key for key in single if after[key] != before[key]]
    assert moved, "no rating moved when the single-group factor stopped lowering"
    for key in moved:
        assert after[key][1] == before[key][1] + 1


def add_finding(project: Path, mechanism: str, key: str, level: str) -> None:
    def edit(rows):
        header = rows[0]
        row = dict.fromkeys(header, "")
        row.update(
            id=f"test-{key}", mechanism=mechanism, molecules="X", effect="resistance", finding="A test finding.",
            models="A test model", shown_in=level, evidence_level=level, drug="lenvatinib", citations=key,
            version_added=rows[1][header.index("version_added")],
        )  # fmt: skip
        rows.append([row[column] for column in header])

    rewrite(project / "data" / "evidence.csv", edit)


def single_study_mechanism(level: str = "in-vivo"):
    """A mechanism behind one study at ``level``, lowered only for its single group and raised by nothing."""
    for key, rated in assess(load_package(), bibliography_entries()).items():
        if (
            rated.strongest_level == level
            and [f.id for f in rated.lowered_by] == ["single-group"]
            and not rated.raised_by
        ):
            return key, rated
    raise AssertionError(f"no single-study {level} mechanism is left to test the rule on")


def cell_lines(key: str) -> set[str]:
    rows = {row["id"]: row for row in read_csv(ROOT, "studies")}
    return {line.casefold() for line in split(rows[key]["cell_lines"])} if key in rows else set()


def test_a_second_groups_study_lifts_the_single_group_penalty_and_counts_as_replication(project_copy):
    mechanism, before = single_study_mechanism()
    authors = {k: e.persons.get("author") for k, e in bibliography_entries().items()}
    own = authors[before.studies[0]][0].last_names[0]
    other = next(
        row["id"]
        for row in read_csv(ROOT, "records")
        if row["decision"] == "included" and row["study_type"] == "preclinical"
        and authors.get(row["id"]) and authors[row["id"]][0].last_names[0] != own
        and not (cell_lines(row["id"]) and cell_lines(row["id"]) == cell_lines(before.studies[0]))
    )  # fmt: skip
    add_finding(project_copy, mechanism, other, before.strongest_level)
    after = assessment(project_copy, mechanism)
    assert [f.id for f in after.lowered_by] == [] and [f.id for f in after.raised_by] == ["independent-replication"]
    rule = read_rule(load_package())
    uncapped = before.score - rule["single-group"].points + rule["independent-replication"].points
    assert after.score == min(uncapped, rule["cap-without-patients"].points)
    assert after.rating == rule.rating(after.score) and after.score > before.score
    assert ratings_of(project_copy) == plain_ratings(project_copy)


def record_concentration(project: Path, key: str, micromolar: str) -> None:
    """Set the study's highest concentration, adding its studies.csv row if it has none."""

    def edit(rows):
        header = rows[0]
        column = header.index("max_concentration_um")
        for existing in rows[1:]:
            if existing[0] == key:
                existing[column] = micromolar
                return
        row = dict.fromkeys(header, "")
        row.update(
            id=key, source_read="abstract", max_concentration_um=micromolar, randomised="not-reported",
            blinded="not-reported", sample_size_stated="no",
        )  # fmt: skip
        rows.append([row[column] for column in header])

    rewrite(project / "data" / "studies.csv", edit)


def test_a_concentration_far_above_exposure_lowers_the_rating_and_a_clinical_one_does_not(project_copy, tmp_path):
    mechanism, before = single_study_mechanism()
    exposure = clinical_exposure(load_package(), read_rule(load_package()))
    limit = exposure.threshold * exposure.trough_ng_ml / exposure.molar_mass  # µM
    record_concentration(project_copy, before.studies[0], f"{limit * 3:.3f}")
    far = assessment(project_copy, mechanism)
    assert "above-exposure" in {f.id for f in far.lowered_by}
    assert far.score == before.score + read_rule(load_package())["above-exposure"].points
    assert ratings_of(project_copy) == plain_ratings(project_copy)
    record_concentration(project_copy, before.studies[0], f"{limit / 3:.3f}")
    near = assessment(project_copy, mechanism)
    assert "above-exposure" not in {f.id for f in near.lowered_by} and near.score == before.score


def test_a_recorded_conflict_lowers_the_rating(project_copy):
    mechanism, before = single_study_mechanism()

    def edit(rows):
        rows.append([f"test-{mechanism}", mechanism, "Two results disagree.", before.studies[0], ""])

    rewrite(project_copy / "data" / "conflicts.csv", edit)
    after = assessment(project_copy, mechanism)
    assert "inconsistent" in {f.id for f in after.lowered_by}
    assert after.score == before.score + read_rule(load_package())["inconsistent"].points


def test_a_study_against_the_mechanism_does_not_set_its_start(project_copy):
    """A null or opposite finding at the strongest level: the start falls to the next design that supports it."""
    tables = load_package()
    levels = tables["evidence"].schema.field("evidence_level").enum
    for mechanism, rated in assess(tables, bibliography_entries()).items():
        rows = [r.values for r in tables["evidence"].records if r.values["mechanism"] == mechanism]
        top = {key for r in rows if r["evidence_level"] == rated.strongest_level for key in r["citations"]}
        rest = [r for r in rows if not set(r["citations"]) <= top]
        if len(top) == 1 and rest and not rated.lowered_by and len(rated.studies) > 1:
            break
    else:
        raise AssertionError("no mechanism whose strongest finding is one study's, above other studies' findings")
    (opposed,) = top

    def edit(table):
        table.append([f"test-{mechanism}", mechanism, "A null result.", "; ".join(rated.studies), opposed])

    rewrite(project_copy / "data" / "conflicts.csv", edit)
    after = assessment(project_copy, mechanism)
    expected = min((r["evidence_level"] for r in rest), key=levels.index)
    assert after.strongest_level == expected and "inconsistent" in {f.id for f in after.lowered_by}
    assert ratings_of(project_copy) == plain_ratings(project_copy)


def test_the_exposure_comparison_follows_the_pharmacology_table(project_copy):
    tables = load_package()
    rows = {row["id"]: row for row in read_csv(ROOT, "pharmacology")}
    reference = next(row for row in read_csv(ROOT, "certainty_rule") if row["id"] == "above-exposure")
    trough, mass = float(rows[reference["reference"]]["value"]), float(rows["molar-mass"]["value"])
    exposure = clinical_exposure(tables, read_rule(tables))
    for micromolar in (0.1, 1.0, 7.5, 20.0):
        times = micromolar * mass / trough
        assert exposure.times_trough(micromolar) == pytest.approx(times)
        assert exposure.far_above(micromolar) == (times > float(reference["threshold"]))
        assert ("unbound" in exposure.describe(micromolar)) == ("protein-binding" in rows)

    def add_binding(table):
        if "protein-binding" not in [row[0] for row in table]:
            header = table[0]
            row = dict.fromkeys(header, "")
            row.update(
                id="protein-binding", parameter="Plasma protein binding", value="98", value_upper="99", unit="%",
                population="test", meaning="test", citations=table[1][header.index("citations")],
            )  # fmt: skip
            table.append([row[column] for column in header])

    rewrite(project_copy / "data" / "pharmacology.csv", add_binding)
    copy = load_package(project_copy / "data" / "datapackage.json", project_copy / "references.bib")
    binding = {row["id"]: row for row in read_csv(project_copy, "pharmacology")}["protein-binding"]
    bound = clinical_exposure(copy, read_rule(copy))
    low, high = bound.times_unbound_trough(7.5)
    assert low == pytest.approx(7.5 * mass / trough / (1 - float(binding["value"]) / 100))
    assert high == pytest.approx(7.5 * mass / trough / (1 - float(binding["value_upper"]) / 100))
    assert "unbound part" in bound.describe(7.5)


def test_blank_fields_are_counted_from_the_study_tables():
    counted = {(item.table, item.column): (item.filled, item.blank) for item in field_blanks(load_package())}
    for name in ("studies", "clinical_quality"):
        rows = read_csv(ROOT, name)
        for column in rows[0]:
            if column in ("id", "notes"):
                continue
            blank = sum(1 for row in rows if not row[column].strip())
            assert counted[(name, column)] == (len(rows) - blank, blank), f"{name}.{column}"


def test_the_misgraded_rows_of_the_reviewers_are_fixed():
    """Human tissue without outcome has its own level; FZD10 counts as patient evidence — or the study is out.

    Both studies the reviewers named were later excluded as not verifiable; then no evidence row may cite them.
    """
    evidence = {row["id"]: row for row in read_csv(ROOT, "evidence")}
    decisions = {row["id"]: row["decision"] for row in read_csv(ROOT, "records")}
    for row_id, level, key in (
        ("yamada2023-gzmk", "patient-tissue", "yamada2023gzmk"),
        ("wang2023-fzd10", "patient-cohort", "wang2023fzd10"),
    ):
        if row_id in evidence:
            assert evidence[row_id]["evidence_level"] == level
        else:
            assert decisions[key] == "excluded"
            assert not any(key in row["citations"].split("; ") for row in evidence.values())
    scale = load_package()["evidence"].schema.field("evidence_level").enum
    assert scale.index("patient-cohort") < scale.index("patient-tissue") < scale.index("in-vivo")
    assert misgraded_rows(load_package()) == []


@pytest.mark.parametrize(
    ("table", "column", "value", "message"),
    [
        ("studies", "resistant_model", "guesswork", '"guesswork" is not one of'),
        ("studies", "randomised", "", "a value is required"),
        ("clinical_quality", "attrition", "fine", '"fine" is not one of'),
        ("clinical_quality", "design", "", "a value is required"),
        ("certainty_rule", "kind", "boost", '"boost" is not one of'),
        ("certainty_rule", "points", "", "a value is required"),
        (
            "conflicts",
            "mechanism",
            "no-such-mechanism",
            '"no-such-mechanism" is not in column "id" of table "mechanisms"',
        ),
    ],
)
def test_an_unknown_value_or_a_missing_field_is_named_by_file_row_and_column(
    project_copy, table, column, value, message
):
    set_cell(project_copy, table, 2, column, value)
    with pytest.raises(DataError) as error:
        load_package(project_copy / "data" / "datapackage.json", project_copy / "references.bib")
    assert f'data/{table}.csv, row 2, column "{column}": {message}' in str(error.value)


def test_a_factor_the_code_does_not_know_stops_the_build_with_file_row_and_column(project_copy):
    set_cell(project_copy, "certainty_rule", 3, "id", "lucky-guess")
    result = run_sphinx_build(project_copy, "# Page\n\n:::{certainty-table}\n:best:\n:name: tbl-x\nA caption.\n:::\n")
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert 'certainty_rule.csv, row 3, column "id": unknown factor "lucky-guess"' in output
    missing = read_csv(ROOT, "certainty_rule")[1]["id"]
    assert f'the factor "{missing}" (start) has no row' in output


def test_a_factor_the_code_needs_but_the_rule_lacks_is_an_error(project_copy):
    dropped = read_csv(ROOT, "certainty_rule")[-1]["id"]
    rewrite(project_copy / "data" / "certainty_rule.csv", lambda rows: rows.pop())
    tables = load_package(project_copy / "data" / "datapackage.json", project_copy / "references.bib")
    with pytest.raises(DataError, match=f'certainty_rule.csv: the factor "{dropped}" .* has no row'):
        read_rule(tables)


def test_every_mechanism_chapter_ends_with_its_ratings_and_the_landing_page_lists_the_best(built_site):
    """Text from the data is typeset with curly apostrophes (Sphinx's smart quotes), so they are compared plain."""
    tables = load_package()
    assessed = assess(tables, bibliography_entries())
    shown = []
    for docname in ("book/intracellular", "book/extracellular", "book/membrane-transport"):
        soup = page(built_site, docname)
        headings = [h.get_text(" ", strip=True).rstrip("#").strip() for h in soup.select("section > h2")]
        assert headings[-1] == "How certain is each mechanism", docname
        for row in soup.select("table.certainty-table tbody tr"):
            cells = [
                td.get_text(" ", strip=True).replace("\N{RIGHT SINGLE QUOTATION MARK}", "'")
                for td in row.find_all("td")
            ]
            shown.append((cells[0], cells[1].split(" score ")[0]))
    expected = [(a.mechanism.values["process"], a.rating.replace("-", " ")) for a in assessed.values()]
    assert sorted(shown) == sorted(expected), "the three part chapters together rate every mechanism once"
    landing = [
        row.find("td").get_text(" ", strip=True).replace("\N{RIGHT SINGLE QUOTATION MARK}", "'")
        for row in page(built_site, "book/index").select("table.certainty-table tbody tr")
    ]
    assert landing == [a.mechanism.values["process"] for a in best_supported(assessed)]


def test_a_chapter_with_ratings_is_read_again_when_any_table_behind_them_changes(built_site):
    """The pages depend on every file the ratings read (Sphinx's record of each page's dependencies)."""
    import pickle

    with (built_site.parent / ".doctrees" / "environment.pickle").open("rb") as handle:
        env = pickle.load(handle)
    names = ("evidence", "studies", "clinical_quality", "certainty_rule", "conflicts", "pharmacology", "records")
    for docname in ("book/cell-death", "book/index", "book/methods", "book/evidence-explorer"):
        depends = {Path(env.srcdir, path).resolve() for path in env.dependencies[docname]}
        for name in names:
            assert (ROOT / "data" / f"{name}.csv").resolve() in depends, f"{docname} does not depend on {name}.csv"
        assert (ROOT / "references.bib").resolve() in depends, docname


def test_the_counts_in_prose_are_those_of_the_tables():
    tables = load_package()
    assessed = assess(tables, bibliography_entries())
    counts = summary(tables, assessed)
    kinds = {row["id"]: row["study_type"] for row in read_csv(ROOT, "records") if row["decision"] == "included"}
    cited = {key for row in read_csv(ROOT, "evidence") for key in split(row["citations"])}
    for kind, table, types in (
        ("preclinical", "studies", {"preclinical"}),
        ("clinical", "clinical_quality", {"clinical-trial", "clinical-cohort"}),
    ):
        behind = {key for key in cited if kinds.get(key) in types}
        recorded = behind & {row["id"] for row in read_csv(ROOT, table)}
        assert (counts[f"{kind}-studies"], counts[f"{kind}-recorded"]) == (str(len(behind)), str(len(recorded)))
    stated = [float(r["max_concentration_um"]) for r in read_csv(ROOT, "studies") if r["max_concentration_um"]]
    exposure = clinical_exposure(tables, read_rule(tables))
    assert counts["with-concentration"] == str(len(stated))
    assert counts["above-exposure"] == str(sum(exposure.far_above(value) for value in stated))
    assert sum(int(counts[rating]) for rating in RATINGS) == int(counts["mechanisms"]) == len(assessed)
