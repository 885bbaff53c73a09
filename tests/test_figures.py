"""What each figure shows, checked on its data rather than on its pixels; and how notebooks are stored."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from pybtex.database import parse_file

from lenvatinib_review.certainty import read_rule
from lenvatinib_review.datapackage import DataError, load_package
from lenvatinib_review.figure_data import (
    EVIDENCE_ORDER,
    evidence_matrix,
    mechanism_counts,
    study_timeline,
    workflow_stages,
)
from lenvatinib_review.figures import BOOK_FIGURES, figure_texts
from lenvatinib_review.pharmacokinetics import APPROVED_DOSES, average_steady_state, exposure_comparison, parameter
from lenvatinib_review.sphinxext.book_figures import NOTEBOOK_DRAWING

from conftest import build_sphinx_page, prose_sources, set_cell

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "book" / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def tables():
    return load_package()


def test_mechanism_counts_add_up(tables):
    assert sum(mechanism_counts(tables).values()) == len(tables["mechanisms"])


def test_mechanism_count_chart_shows_every_group_as_a_bar_of_its_own(tables):
    """One bar per (category, process group), none hidden behind another, together every mechanism."""
    bars = BOOK_FIGURES["fig-mechanism-counts"].draw(tables).axes[0].containers[0]
    groups = {(m.values["category"], m.values["process_group"]) for m in tables["mechanisms"].records}
    assert len(bars) == len(groups)
    spans = sorted((bar.get_y(), bar.get_y() + bar.get_height()) for bar in bars)
    assert all(end <= start for (_, end), (start, _) in zip(spans, spans[1:])), "two bars overlap"
    assert sum(bar.get_width() for bar in bars) == len(tables["mechanisms"])


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


def test_each_figure_has_one_notebook_that_draws_it_and_leaves_its_alt_text_to_the_data(tables):
    """The notebook a figure's row names draws it once and stores no alt text (the build gives it the row's)."""
    texts = figure_texts(tables)
    for label, text in texts.items():
        notebook = nbformat.read(ROOT / f"{text.notebook}.ipynb", as_version=4)
        drawing = [c for c in notebook.cells if c.cell_type == "code" and NOTEBOOK_DRAWING.search(c.source)]
        assert [NOTEBOOK_DRAWING.search(c.source).group(1) for c in drawing] == [label], text.notebook
        assert "mystnb" not in drawing[0].metadata, f"{text.notebook} stores an alt text: it belongs in figures.csv"
        assert len(text.alt) > 40 and text.caption
    assert len({text.notebook for text in texts.values()}) == len(NOTEBOOKS)


# A figure placed in a page, and a figure (or a part of one, ``fig-…-value``) referred to.
PLACED = re.compile(r"\{book-figure\}[ \t]+(fig-[a-z0-9-]+)")
REFERRED = re.compile(r"\{numref\}`(?:[^`<]*<)?(fig-[a-z0-9-]+)>?`")


def test_each_figure_names_a_drawing_function_and_only_drawing_imports_matplotlib():
    from lenvatinib_review.figures import drawings

    unknown = [label for label, figure in BOOK_FIGURES.items() if not callable(getattr(drawings, figure.drawing, None))]
    assert not unknown, f"no function of lenvatinib_review/figures/drawings.py draws {unknown}"
    script = (
        "import sys, lenvatinib_review.sphinxext, lenvatinib_review.figures\n"
        "from lenvatinib_review.datapackage import load_package\n"
        "from lenvatinib_review.figures import BOOK_FIGURES, figure_texts\n"
        "figure_texts(load_package())\n"
        "before = 'matplotlib' in sys.modules\n"
        "BOOK_FIGURES['fig-workflow'].draw(load_package())\n"
        "print(before, 'matplotlib' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.split() == ["False", "True"]


def test_every_figure_label_in_the_chapters_has_a_row(tables):
    """Each figure a page places or refers to is a row of figures.csv (a part: its figure's), each row placed once."""
    texts = figure_texts(tables)
    placed = []
    for path, text in prose_sources().items():
        placed += PLACED.findall(text)
        for label in PLACED.findall(text) + REFERRED.findall(text):
            part_of = [row for row in texts if label.startswith(f"{row}-") and BOOK_FIGURES[row].interactive]
            assert label in texts or part_of, f"{path.relative_to(ROOT)}: {label} is no row of data/figures.csv"
    assert placed, "no page places a figure"
    for label in texts:
        assert label in placed, f"data/figures.csv: {label} is placed in no page"


def test_a_bad_figures_row_is_reported_with_its_location(project_copy, tables):
    """A label that breaks the schema's pattern, a row without a drawing, a drawing without a row, a part
    caption on a figure that has no parts: each named by file, row and column (or the drawing's label)."""
    set_cell(project_copy, "figures", 3, "label", "Figure 3")
    with pytest.raises(DataError) as raised:
        load_package(project_copy / "data" / "datapackage.json", project_copy / "references.bib")
    assert 'figures.csv, row 3, column "label": "Figure 3" does not match the pattern' in str(raised.value)

    drawn = next(record.text["label"] for record in tables["figures"].records if record.row == 3)
    set_cell(project_copy, "figures", 3, "label", "fig-not-drawn")
    set_cell(project_copy, "figures", 4, "part_caption", "A part.")
    result = build_sphinx_page(project_copy, "# Figures\n")
    assert result.returncode == 2
    assert 'figures.csv, row 3, column "label": "fig-not-drawn" has no drawing' in result.stderr, result.stderr
    assert f'the drawing "{drawn}" of lenvatinib_review/figures has no row' in result.stderr
    assert 'figures.csv, row 4, column "part_caption"' in result.stderr


def test_a_figures_caption_and_alt_text_come_from_its_row(project_copy, tables):
    """Edited in figures.csv, a figure's caption and alt text change in the built page."""
    label = next(label for label, figure in BOOK_FIGURES.items() if not figure.interactive)
    row = next(record.row for record in tables["figures"].records if record.text["label"] == label)
    set_cell(project_copy, "figures", row, "caption", "An edited caption with {numref}`" + label + "`.")
    set_cell(project_copy, "figures", row, "alt", "An edited alt text")
    notebook = project_copy / f"{figure_texts(tables)[label].notebook}.md"
    notebook.parent.mkdir(parents=True)
    notebook.write_text("---\norphan: true\n---\n# How it is made\n", encoding="utf-8")
    assert build_sphinx_page(project_copy, f"# Figures\n\n:::{{book-figure}} {label}\n:::\n").returncode == 0
    figure = BeautifulSoup((project_copy / "_build" / "html" / "index.html").read_text(encoding="utf-8"), "html.parser")
    figure = figure.select_one("figure.book-figure")
    assert figure.find("img")["alt"] == "An edited alt text"
    assert figure.select_one(".caption-text").get_text().startswith("An edited caption with Fig. 1.")


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


def test_trial_figure_draws_each_trial_once_per_endpoint_from_its_latest_analysis(tables):
    from lenvatinib_review.datapackage import bibliography_entries
    from lenvatinib_review.figure_data import ENDPOINTS, publication_year, trial_hazard_ratios, trial_name

    results = trial_hazard_ratios(tables)
    drawn = {(r.trial, r.endpoint): r.key for r in results}
    assert len(drawn) == len(results), "a trial is drawn twice for one endpoint"
    entries = bibliography_entries()
    rows = {row.values["id"]: row.values for row in tables["trials"].records}

    def year(key):
        return max(publication_year(entries[citation]) or 0 for citation in rows[key]["citations"])

    for key, row in rows.items():
        if row["hr_lower"] is None:
            continue
        endpoint = next(e for e in ENDPOINTS if row["hr_endpoint"].startswith(e))
        kept = drawn[(trial_name(row["trial"]), endpoint)]
        assert kept == key or year(kept) > year(key), f"{key} is drawn neither itself nor by a later analysis"


def test_trial_figure_has_one_panel_per_endpoint_and_comparator(tables):
    from lenvatinib_review.figure_data import trial_hazard_ratios
    from lenvatinib_review.figures import BOOK_FIGURES, trial_results

    results = trial_hazard_ratios(tables)
    panels = trial_results.panels(results)
    assert len(panels) == len({(r.endpoint, r.comparator) for r in results})
    figure = BOOK_FIGURES["fig-trial-results"].draw(tables)
    assert len(figure.axes) == len(panels)
    for ax, (title, rows) in zip(figure.axes, panels):
        assert ax.get_title(loc="left") == title
        assert [tick.get_text() for tick in ax.get_yticklabels()] == [trial_results.row_label(r) for r in rows]
        assert len({(r.endpoint, r.comparator) for r in rows}) == 1
    assert "experimental vs control arm" in figure.axes[-1].get_xlabel().replace("\n", " ")


def test_control_arm_is_the_last_arm_of_the_design():
    from lenvatinib_review.figure_data import comparator, control_arm

    both = "Double blind: lenvatinib plus pembrolizumab vs lenvatinib plus placebo"
    assert control_arm(both) == "lenvatinib plus placebo" and comparator(control_arm(both)) == "lenvatinib-in-both-arms"
    three = "Open label, 1:1:1: lenvatinib 18 mg plus everolimus 5 mg vs lenvatinib 24 mg vs everolimus 10 mg"
    assert comparator(control_arm(three)) == "another-treatment"
    crossover = "Double blind, 2:1: lenvatinib 24 mg vs placebo, with open-label lenvatinib for placebo patients"
    assert comparator(control_arm(crossover)) == "placebo"
    assert control_arm("Single arm, open label: lenvatinib") is None


def test_a_trial_endpoint_the_figure_cannot_place_names_file_row_and_column(tables):
    from dataclasses import replace

    from lenvatinib_review.datapackage import DataError, Table
    from lenvatinib_review.figure_data import trial_hazard_ratios

    trials = tables["trials"]
    index = next(i for i, r in enumerate(trials.records) if r.values["hr_lower"] is not None)
    broken = replace(
        trials.records[index], values={**trials.records[index].values, "hr_endpoint": "Time to progression"}
    )
    records = [*trials.records[:index], broken, *trials.records[index + 1 :]]
    with pytest.raises(DataError) as error:
        trial_hazard_ratios({**tables, "trials": Table(trials.schema, records)})
    assert f'data/trials.csv, row {broken.row}, column "hr_endpoint"' in str(error.value)


def test_the_build_reuses_a_drawing_whose_inputs_have_not_changed(project_copy, tables):
    """A page read again after a text edit, or in a full rebuild, shows the kept drawing; after a data edit,
    a new one."""
    label = next(label for label, figure in BOOK_FIGURES.items() if not figure.interactive)
    notebook = project_copy / f"{figure_texts(tables)[label].notebook}.md"
    notebook.parent.mkdir(parents=True)
    notebook.write_text("---\norphan: true\n---\n# How it is made\n", encoding="utf-8")
    page = f"# Figures\n\n:::{{book-figure}} {label}\n:::\n"
    assert build_sphinx_page(project_copy, page).returncode == 0
    (kept,) = (project_copy / "_build" / ".book-figures").glob("*/*.json")
    marker = '<svg width="10pt" height="10pt"><desc>the kept drawing</desc></svg>'
    kept.write_text(json.dumps({"svg": marker, "alt": "kept"}), encoding="utf-8")

    def drawn_images() -> str:
        return "".join(path.read_text(encoding="utf-8") for path in (project_copy / "_build" / "html").rglob("*.svg"))

    assert build_sphinx_page(project_copy, page + "\nAn edited sentence.\n").returncode == 0
    assert "the kept drawing" in drawn_images()
    for folder in ("doctrees", "html"):
        shutil.rmtree(project_copy / "_build" / folder)
    assert build_sphinx_page(project_copy, page).returncode == 0
    assert "the kept drawing" in drawn_images(), "a full rebuild drew the figure again"

    set_cell(project_copy, "trials", 2, "design", "An edited design")
    assert build_sphinx_page(project_copy, page).returncode == 0
    assert not kept.exists(), "the drawings of the older data were not removed"
    (redrawn,) = (project_copy / "_build" / ".book-figures").glob("*/*.json")
    assert "the kept drawing" not in redrawn.read_text(encoding="utf-8")


def test_an_image_s_size_is_its_drawing_s_own(tables):
    """The size in CSS pixels is the width and height matplotlib gives the drawing's root, in points."""
    from xml.etree import ElementTree

    from lenvatinib_review.sphinxext.book_figures import CSS_PX_PER_PT, drawing_size

    label = next(label for label, figure in BOOK_FIGURES.items() if not figure.interactive)
    svg = BOOK_FIGURES[label].svg(tables)
    root = ElementTree.fromstring(svg)
    _, _, width, height = (float(value) for value in root.attrib["viewBox"].split())
    assert drawing_size(svg) == pytest.approx((width * CSS_PX_PER_PT, height * CSS_PX_PER_PT))
