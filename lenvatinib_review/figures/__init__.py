"""The book's figures: what each shows (caption, alt text) and how it is drawn from the data tables.

Each figure is drawn once, by one function, for every place that shows it: the chapter that
discusses it (the ``book-figure`` directive), the notebook that shows how it is made, and the
tests. Its label (``fig-…``) is the key of :data:`BOOK_FIGURES`.

``style`` holds the shared look; each other module draws one figure from data shaped by
:mod:`lenvatinib_review.figure_data` (or :mod:`~lenvatinib_review.screening`,
:mod:`~lenvatinib_review.pharmacokinetics`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import matplotlib
from matplotlib.figure import Figure

from .. import certainty, figure_data
from ..datapackage import Table, bibliography_entries, value_labels
from ..pharmacokinetics import exposure_comparison as exposure_data
from ..screening import prisma_flow
from . import (
    biomarker_evidence,
    evidence_map,
    exposure_comparison,
    mechanism_counts,
    mechanism_schematic,
    prisma_diagram,
    study_timeline,
    trial_results,
    workflow,
)
from .style import STYLE, to_svg


@dataclass(frozen=True)
class BookFigure:
    label: str
    notebook: str  # the notebook (document name) that shows how the figure is made
    caption: str
    alt: str
    drawing: Callable[..., Figure | str]
    fits_phone: bool = False  # drawn narrow enough to read at a phone's width; else it scrolls sideways there
    # SVG text whose parts link to the chapters (``links``): written into the page, not an image; it can be
    # cut to the mechanisms a chapter reviews (``mechanisms``), with this caption after the figure's number.
    interactive: bool = False
    part_caption: str = ""

    def draw(self, tables: dict[str, Table], **options) -> Figure | str:
        """The figure in the book's style (the style applies while artists are created)."""
        with matplotlib.rc_context(STYLE):
            return self.drawing(tables, **options)

    def svg(self, tables: dict[str, Table], **options) -> str:
        drawn = self.draw(tables, **options)
        return drawn if isinstance(drawn, str) else to_svg(drawn)


def _evidence_map(tables):
    rows, levels, counts = figure_data.evidence_matrix(tables)
    labels = {**value_labels(tables), **{m.values["id"]: m.values["process"] for m in tables["mechanisms"].records}}
    return evidence_map.draw(rows, levels, counts, labels)


SCHEMATIC_ALT = (
    "Schematic. At the top, lenvatinib with flat-headed lines to the kinase families it inhibits: VEGFR, FGFR, "
    "PDGFRα, KIT and RET. From them a line runs down the middle, with arrows to each route of resistance, "
    "a box drawn in the cell where the route acts: the endothelium, the immune and stromal cells, and the "
    "tumour cell, around it, across its membrane and inside it. Each box names its process group, its number "
    "of mechanisms and the kinase families they name, and links to the chapter that reviews it. A route has "
    "one arrow per certainty rating among its mechanisms, labelled with their number when there are several: "
    "solid for high, dashed for moderate, dotted for low and dash-dotted for very low."
)


def _mechanism_schematic(tables, links=None, mechanisms=None):
    ratings = {key: found.rating for key, found in certainty.assess(tables, bibliography_entries()).items()}
    content = figure_data.schematic_routes(tables, ratings, certainty.RATINGS, mechanisms)
    title = SCHEMATIC_ALT if mechanisms is None else mechanism_schematic.part_title(content)
    return mechanism_schematic.draw(content, title, links)


BOOK_FIGURES = {
    figure.label: figure
    for figure in (
        BookFigure(
            "fig-mechanism-schematic",
            "book/notebooks/mechanism-schematic",
            "Where resistance to lenvatinib acts. Lenvatinib inhibits the kinase families below it "
            "(flat-headed lines); each arrow leads to a route of resistance (a process group of the book) in "
            "the cell where it acts: the endothelium, immune and stromal cells, or the tumour cell, around "
            "it, across its membrane or inside it. Grey tags in a box name the kinase families that the "
            "route's mechanisms name. Each arrow's line style is a certainty rating of the methods chapter, "
            "one arrow per rating among the route's mechanisms, with their number when there are several. "
            "Each box links to the chapter that reviews the route.",
            SCHEMATIC_ALT,
            _mechanism_schematic,
            fits_phone=True,
            interactive=True,
            part_caption="The routes of resistance that this chapter reviews, in the cells where they act, below "
            "lenvatinib and the kinase families it inhibits (flat-headed lines): the part of "
            "{numref}`fig-mechanism-schematic` on this chapter. Grey tags name the kinase families that the "
            "route's mechanisms name; each arrow's line style is a certainty rating of the methods chapter, one "
            "arrow per rating among the route's mechanisms. A box on another chapter's route links to it.",
        ),
        BookFigure(
            "fig-mechanism-counts",
            "book/notebooks/mechanism-overview",
            "Mechanisms of lenvatinib resistance in the book, by process group, coloured by where they act.",
            "Horizontal bar chart of the number of resistance mechanisms in each process group, coloured by "
            "category: intracellular, membrane and transport, extracellular.",
            lambda tables: mechanism_counts.draw(figure_data.mechanism_counts(tables)),
        ),
        BookFigure(
            "fig-evidence-map",
            "book/notebooks/evidence-map",
            "Number of studies for each resistance mechanism at each level of evidence, from clinical "
            "trials down to cell culture; a study counts once, at the strongest level of its findings for "
            "the mechanism, and empty cells have no study.",
            "Heat map with one row per resistance mechanism and one column per evidence level, from clinical "
            "trial to in vitro; filled cells give the number of studies.",
            _evidence_map,
        ),
        BookFigure(
            "fig-timeline",
            "book/notebooks/study-timeline",
            "Primary studies of lenvatinib resistance in this book by year of publication and by where the "
            "mechanism acts.",
            "Grid with one row per year of publication, from the earliest to the latest, and one column each "
            "for intracellular, membrane transport and extracellular mechanisms; each cell names the first "
            "authors of that year's studies, and counts those whose authors were not seen.",
            lambda tables: study_timeline.draw(figure_data.study_timeline(tables), figure_data.category_order(tables)),
        ),
        BookFigure(
            "fig-workflow",
            "book/notebooks/workflow-diagram",
            "A typical investigation of lenvatinib resistance, from deriving a resistant model to testing a "
            "combination; each box is a method used by a published study.",
            "Flow diagram with four columns joined by arrows: derive model, screen, validate and test "
            "combination, each listing the methods used at that stage.",
            lambda tables: workflow.draw(figure_data.workflow_stages(tables)),
        ),
        BookFigure(
            "fig-exposure",
            "book/notebooks/exposure",
            "Lenvatinib concentrations used by the laboratory studies that state them, against the average "
            "steady-state concentration at the approved doses (from the population clearance) and the trough "
            "above which patients with thyroid cancer more often needed an early dose reduction.",
            "Dot plot on a logarithmic axis: one row per study with a stated concentration, dots for the "
            "highest concentration used and squares for the concentration at the end of resistance "
            "selection; vertical lines mark the average steady-state concentrations at 8, 12 and 24 mg a "
            "day, the trough linked to early dose reduction and ten times that trough.",
            lambda tables: exposure_comparison.draw(exposure_data(tables)),
        ),
        BookFigure(
            "fig-prisma-flow",
            "book/notebooks/prisma-flow",
            "Flow of records through the review, from identification to inclusion (PRISMA 2020), drawn "
            "from the screening log.",
            "Flow diagram: records identified, duplicates removed, records screened with exclusions by "
            "reason, records assessed for verification with those not verifiable, and records included by "
            "study type.",
            lambda tables: prisma_diagram.draw(prisma_flow(tables)),
        ),
        BookFigure(
            "fig-biomarker-evidence",
            "book/notebooks/biomarker-evidence",
            "Candidate biomarkers of response to lenvatinib: cohort size, cancer and whether each was shown "
            "to be predictive, only prognostic or an on-treatment change, from the biomarkers table.",
            "Dot plot of candidate biomarkers of lenvatinib response against the number of patients studied "
            "on a log scale, coloured by predictive, prognostic, on-treatment or unclear role and shaped by "
            "cancer type.",
            lambda tables: biomarker_evidence.draw(figure_data.biomarker_evidence(tables)),
        ),
        BookFigure(
            "fig-trial-results",
            "book/notebooks/trial-results",
            "Hazard ratios of the randomised trials of the trials table (of lenvatinib, or of a drug after it), "
            "with the confidence intervals they reported: one panel per endpoint and comparator, so that overall and "
            "progression-free survival, placebo and active controls, and trials with lenvatinib in both arms are "
            "not set side by side. Each trial appears once per endpoint, from its latest analysis (for "
            "KEYNOTE-775, the final overall survival analysis).",
            "Forest plot in panels by endpoint and comparator: overall survival against another treatment, "
            "overall survival with lenvatinib in both arms, progression-free survival against another treatment "
            "and progression-free survival against placebo. Each row is one trial in liver, thyroid, renal or "
            "endometrial cancer, with its hazard ratio and confidence interval as a dot and line and as numbers, "
            "and a dashed line at a hazard ratio of 1.",
            lambda tables: trial_results.draw(figure_data.trial_hazard_ratios(tables)),
        ),
    )
}
