"""What each figure shows, checked on its data rather than on its pixels; and how notebooks are stored."""

import re
from pathlib import Path

import nbformat
import pytest
from pybtex.database import parse_file

from lenvatinib_review.certainty import read_rule
from lenvatinib_review.datapackage import load_package
from lenvatinib_review.figure_data import (
    EVIDENCE_ORDER,
    evidence_matrix,
    mechanism_counts,
    pathway_layers,
    study_timeline,
    workflow_stages,
)
from lenvatinib_review.pharmacokinetics import APPROVED_DOSES, average_steady_state, exposure_comparison, parameter

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "book" / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def tables():
    return load_package()


def test_mechanism_counts_add_up(tables):
    assert sum(mechanism_counts(tables).values()) == len(tables["mechanisms"])


def test_evidence_matrix_counts_each_study_once_per_mechanism_at_its_strongest_level(tables):
    rows, levels, counts = evidence_matrix(tables)
    assert len(rows) == len(tables["mechanisms"])
    assert levels == [level for level in EVIDENCE_ORDER if level in levels]
    cells = dict(zip(rows, counts))
    for mechanism in rows:
        findings = [e.values for e in tables["evidence"].records if e.values["mechanism"] == mechanism]
        studies = {key for finding in findings for key in finding["citations"]}
        assert sum(cells[mechanism]) == len(studies), mechanism
        for key in studies:  # each study sits in the column of its strongest finding
            strongest = min((f["evidence_level"] for f in findings if key in f["citations"]), key=EVIDENCE_ORDER.index)
            assert cells[mechanism][levels.index(strongest)] >= 1, (mechanism, key)


def test_a_second_finding_of_one_study_does_not_add_to_the_evidence_map(tables):
    """Rows are not studies: a weaker finding of the same work leaves every count unchanged."""
    rows, _, before = evidence_matrix(tables)
    evidence = tables["evidence"]
    finding = evidence.records[0]
    weaker = dict(finding.values, id="repeat", evidence_level="in-vitro", shown_in=("in-vitro",))
    evidence.records.append(type(finding)(row=0, values=weaker, text=finding.text))
    try:
        assert evidence_matrix(tables)[2] == before
    finally:
        evidence.records.pop()


def test_pathway_layers_hold_every_mechanism_once_in_its_category_and_group(tables):
    content = pathway_layers(tables)
    rows = {m.values["id"]: m.values for m in tables["mechanisms"].records}
    assert sorted(m.key for m in content.mechanisms) == sorted(rows)
    for layer in content.layers:
        for group in layer.groups:
            for mechanism in group.mechanisms:
                assert (rows[mechanism.key]["category"], rows[mechanism.key]["process_group"]) == (
                    layer.category,
                    group.name,
                )
    assert content.families == tuple(dict.fromkeys(t.values["family"] for t in tables["targets"].records))
    egfr = next(m for m in content.mechanisms if m.key == "egfr-feedback")
    assert egfr.families == ("FGFR",)


def test_workflow_stages_keep_every_method_in_order(tables):
    stages = workflow_stages(tables)
    assert [stage for stage, _ in stages] == ["derive-model", "screen", "validate", "test-combination"]
    assert sum(len(methods) for _, methods in stages) == len(tables["workflows"])


def test_timeline_has_one_point_per_dated_primary_study(tables):
    from lenvatinib_review.datapackage import bibliography_path

    entries = parse_file(str(bibliography_path())).entries
    studies = study_timeline(tables)
    keys = {key for row in tables["evidence"].records for key in row.values["citations"]}
    undated = {key for key in keys if not entries[key].fields.get("year", "").isdigit()}
    assert {study.key for study in studies} == keys - undated
    assert [study.year for study in studies] == sorted(study.year for study in studies)


def test_steady_state_average_is_dose_over_clearance():
    assert average_steady_state(12, 6.0) == pytest.approx(12 * 1000 / (6.0 * 24))


def test_exposure_comparison_follows_the_tables(tables):
    comparison = exposure_comparison(tables)
    mass, clearance = parameter(tables, "molar-mass"), parameter(tables, "cl-f")
    for dose in APPROVED_DOSES:
        mg = parameter(tables, dose)
        assert comparison.averages[mg] == pytest.approx(mg * 1000 / (clearance * 24) / mass)
    exposure_factor = read_rule(tables)["above-exposure"]
    trough = parameter(tables, exposure_factor.reference) / mass
    assert comparison.reference_trough == pytest.approx(trough)
    assert comparison.far_above == pytest.approx(exposure_factor.threshold * trough)
    stated = sorted(
        (value, row.values["id"])
        for row in tables["studies"].records
        for value in (row.values["max_concentration_um"], row.values["selection_final_um"])
        if value is not None
    )
    assert sorted((s.micromolar, s.study) for s in comparison.studies) == stated
    assert stated, "no study states a concentration"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs_except_checked_values(path):
    notebook = nbformat.read(path, as_version=4)
    assert notebook.cells[0].cell_type == "markdown" and notebook.cells[0].source.startswith("# ")
    checked = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        assert "hide-input" in cell.metadata.get("tags", []), f"{path.name}: code cell not collapsed"
        if cell.source.startswith("# NBVAL_CHECK_OUTPUT"):
            checked += 1
            assert cell.outputs and cell.execution_count, f"{path.name}: checked cell has no stored output"
        else:
            assert not cell.outputs and cell.execution_count is None, f"{path.name}: stored output"
    assert checked, f"{path.name}: no number is checked"


def test_each_figure_has_one_notebook_that_draws_it_with_the_same_alt_text():
    from lenvatinib_review.figures import BOOK_FIGURES

    for label, figure in BOOK_FIGURES.items():
        notebook = nbformat.read(ROOT / f"{figure.notebook}.ipynb", as_version=4)
        drawing = [c for c in notebook.cells if c.cell_type == "code" and f'BOOK_FIGURES["{label}"].draw(' in c.source]
        assert len(drawing) == 1, f"{figure.notebook} does not draw {label} once"
        assert drawing[0].metadata["mystnb"]["image"]["alt"] == figure.alt
        assert len(figure.alt) > 40 and figure.caption
    assert len({figure.notebook for figure in BOOK_FIGURES.values()}) == len(NOTEBOOKS)


def test_exposure_notebook_types_no_parameter():
    """Every pharmacological number in the exposure notebook comes from the table, not from the code."""
    records = load_package()["pharmacology"].records
    values = {str(r.values["value"]) for r in records} | {r.text["value"] for r in records}
    path = next(p for p in NOTEBOOKS if p.name == "exposure.ipynb")
    code = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    for value in values:
        if len(value.replace("-", "").replace(".", "").lstrip("0")) >= 2:
            typed = re.search(rf"(?<![\d.]){re.escape(value)}(?!\d)", code)
            assert not typed, f"{path.name} types the table value {value}"


def test_biomarker_figure_lists_every_marker_in_schema_order(tables):
    from lenvatinib_review.figure_data import biomarker_evidence, enum_order

    markers = biomarker_evidence(tables)
    assert {m.key for m in markers} == {row.values["id"] for row in tables["biomarkers"].records}
    order = enum_order(tables, "biomarkers", "category")
    ranks = [(order.index(m.category), -m.patients) for m in markers]
    assert ranks == sorted(ranks)
