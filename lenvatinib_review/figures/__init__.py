"""The book's figures: how each is drawn from the data tables, and what it shows in words.

Each figure is drawn once, by one function, for every place that shows it: the chapter that
discusses it (the ``book-figure`` directive), the notebook that shows how it is made, and the
tests. Its label (``fig-…``) is the key of :data:`BOOK_FIGURES`, the drawings, and of the
``figures`` table (``data/figures.csv``), which holds its caption, alt text and notebook:
:func:`figure_texts` joins the two, and a label in one but not the other is an error naming it.

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
from ..datapackage import DataError, Problem, Table, bibliography_entries, display_path, value_labels
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

FIGURES = "figures"  # the table of the figures' captions and alt text


@dataclass(frozen=True)
class BookFigure:
    """How one figure is drawn; its words are its row of the figures table (:func:`figure_texts`)."""

    drawing: Callable[..., Figure | str]
    fits_phone: bool = False  # drawn narrow enough to read at a phone's width; else it scrolls sideways there
    # SVG text whose parts link to the chapters (``links``): written into the page, not an image; it can be
    # cut to the mechanisms a chapter reviews (``mechanisms``), with its row's part caption.
    interactive: bool = False

    def draw(self, tables: dict[str, Table], **options) -> Figure | str:
        """The figure in the book's style (the style applies while artists are created)."""
        with matplotlib.rc_context(STYLE):
            return self.drawing(tables, **options)

    def svg(self, tables: dict[str, Table], **options) -> str:
        drawn = self.draw(tables, **options)
        return drawn if isinstance(drawn, str) else to_svg(drawn)


@dataclass(frozen=True)
class FigureText:
    """A figure's row of the figures table."""

    label: str
    notebook: str  # the notebook (document name) that shows how the figure is made
    caption: str
    alt: str
    part_caption: str  # the caption of a part of an interactive figure; empty for the others


def figure_texts(tables: dict[str, Table]) -> dict[str, FigureText]:
    """Each figure's words by label; DataError names every row without a drawing and every drawing without a row."""
    table = tables[FIGURES]
    where = display_path(table.schema.path)
    texts, problems = {}, []
    for record in table.records:
        label = record.text["label"]
        drawn = BOOK_FIGURES.get(label)
        if drawn is None:
            problems.append(
                Problem(
                    where,
                    f'"{label}" has no drawing: add it to BOOK_FIGURES in lenvatinib_review/figures/__init__.py '
                    f"(known: {', '.join(sorted(BOOK_FIGURES))})",
                    record.row,
                    "label",
                )
            )
        elif drawn.interactive != bool(record.text["part_caption"]):
            problems.append(
                Problem(
                    where,
                    f'"{label}" can be shown in part, so it needs the caption of a part'
                    if drawn.interactive
                    else f'"{label}" cannot be shown in part (only interactive figures can): leave this empty',
                    record.row,
                    "part_caption",
                )
            )
        texts[label] = FigureText(**record.text)
    problems.extend(
        Problem(where, f'the drawing "{label}" of lenvatinib_review/figures has no row: add its caption and alt text')
        for label in BOOK_FIGURES
        if label not in texts
    )
    if problems:
        raise DataError(problems)
    return texts


def _evidence_map(tables):
    rows, levels, counts = figure_data.evidence_matrix(tables)
    labels = {**value_labels(tables), **{m.values["id"]: m.values["process"] for m in tables["mechanisms"].records}}
    return evidence_map.draw(rows, levels, counts, labels)


def _mechanism_schematic(tables, links=None, mechanisms=None):
    ratings = {key: found.rating for key, found in certainty.assess(tables, bibliography_entries()).items()}
    content = figure_data.schematic_routes(tables, ratings, certainty.RATINGS, mechanisms)
    whole = mechanisms is None  # the whole schematic's title is its alt text; a part's names the routes it keeps
    title = figure_texts(tables)["fig-mechanism-schematic"].alt if whole else mechanism_schematic.part_title(content)
    return mechanism_schematic.draw(content, title, links)


BOOK_FIGURES = {
    "fig-mechanism-schematic": BookFigure(_mechanism_schematic, fits_phone=True, interactive=True),
    "fig-mechanism-counts": BookFigure(lambda tables: mechanism_counts.draw(figure_data.mechanism_counts(tables))),
    "fig-evidence-map": BookFigure(_evidence_map),
    "fig-timeline": BookFigure(
        lambda tables: study_timeline.draw(figure_data.study_timeline(tables), figure_data.category_order(tables))
    ),
    "fig-workflow": BookFigure(lambda tables: workflow.draw(figure_data.workflow_stages(tables))),
    "fig-exposure": BookFigure(lambda tables: exposure_comparison.draw(exposure_data(tables))),
    "fig-prisma-flow": BookFigure(lambda tables: prisma_diagram.draw(prisma_flow(tables))),
    "fig-biomarker-evidence": BookFigure(
        lambda tables: biomarker_evidence.draw(figure_data.biomarker_evidence(tables))
    ),
    "fig-trial-results": BookFigure(lambda tables: trial_results.draw(figure_data.trial_hazard_ratios(tables))),
}
