"""Each figure's drawing function: the data it needs from the tables, and the module that draws it.

:data:`~lenvatinib_review.figures.BOOK_FIGURES` names these functions; this module imports matplotlib.
"""

from __future__ import annotations

from collections.abc import Callable

import matplotlib
from matplotlib.figure import Figure

from .. import certainty, figure_data
from ..datapackage import Table, bibliography_entries, value_labels
from ..pharmacokinetics import exposure_comparison as exposure_data
from ..screening import prisma_flow as prisma_flow_data
from . import (
    biomarker_evidence as biomarker_evidence_figure,
    evidence_map as evidence_map_figure,
    exposure_comparison as exposure_comparison_figure,
    figure_texts,
    mechanism_counts as mechanism_counts_figure,
    mechanism_schematic as mechanism_schematic_figure,
    prisma_diagram,
    study_timeline as study_timeline_figure,
    trial_results as trial_results_figure,
    workflow as workflow_figure,
)
from .style import STYLE


def draw(drawing: Callable[..., Figure | str], tables: dict[str, Table], **options) -> Figure | str:
    """The figure in the book's style (the style applies while artists are created)."""
    with matplotlib.rc_context(STYLE):
        return drawing(tables, **options)


def mechanism_schematic(tables, links=None, mechanisms=None):
    ratings = {key: found.rating for key, found in certainty.assess(tables, bibliography_entries()).items()}
    content = figure_data.schematic_routes(tables, ratings, certainty.RATINGS, mechanisms)
    whole = mechanisms is None  # the whole schematic's title is its alt text; a part's names the routes it keeps
    title = (
        figure_texts(tables)["fig-mechanism-schematic"].alt if whole else mechanism_schematic_figure.part_title(content)
    )
    return mechanism_schematic_figure.draw(content, title, links)


def mechanism_counts(tables):
    return mechanism_counts_figure.draw(figure_data.mechanism_counts(tables))


def evidence_map(tables):
    rows, levels, counts = figure_data.evidence_matrix(tables)
    labels = {**value_labels(tables), **{m.values["id"]: m.values["process"] for m in tables["mechanisms"].records}}
    return evidence_map_figure.draw(rows, levels, counts, labels)


def study_timeline(tables):
    return study_timeline_figure.draw(figure_data.study_timeline(tables), figure_data.category_order(tables))


def workflow(tables):
    return workflow_figure.draw(figure_data.workflow_stages(tables))


def exposure_comparison(tables):
    return exposure_comparison_figure.draw(exposure_data(tables))


def prisma_flow(tables):
    return prisma_diagram.draw(prisma_flow_data(tables))


def biomarker_evidence(tables):
    return biomarker_evidence_figure.draw(figure_data.biomarker_evidence(tables))


def trial_results(tables):
    return trial_results_figure.draw(figure_data.trial_hazard_ratios(tables))
