"""The book's figures: how each is drawn from the data tables, and what it shows in words.

Each figure is drawn once, by one function, for every place that shows it: the chapter that
discusses it (the ``book-figure`` directive), the notebook that shows how it is made, and the
tests. Its label (``fig-…``) is the key of :data:`BOOK_FIGURES`, the drawings, and of the
``figures`` table (``data/figures.csv``), which holds its caption, alt text and notebook:
:func:`figure_texts` joins the two, and a label in one but not the other is an error naming it.

``style`` holds the shared look; ``drawings`` takes each figure's data from the tables, shaped by
:mod:`lenvatinib_review.figure_data` (or :mod:`~lenvatinib_review.screening`,
:mod:`~lenvatinib_review.pharmacokinetics`), and each other module draws one figure from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..datapackage import DataError, Problem, Table, display_path

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FIGURES = "figures"  # the table of the figures' captions and alt text


@dataclass(frozen=True)
class BookFigure:
    """How one figure is drawn; its words are its row of the figures table (:func:`figure_texts`)."""

    # The function of :mod:`.drawings` that draws it. That module (and matplotlib, half a second) is
    # imported when a figure is first drawn, not by every build that only reads the figures' words.
    drawing: str
    fits_phone: bool = False  # drawn narrow enough to read at a phone's width; else it scrolls sideways there
    # SVG text whose parts link to the chapters (``links``): written into the page, not an image; it can be
    # cut to the mechanisms a chapter reviews (``mechanisms``), with its row's part caption.
    interactive: bool = False

    def draw(self, tables: dict[str, Table], **options) -> Figure | str:
        """The figure, drawn by its function in :mod:`.drawings`."""
        from . import drawings

        return drawings.draw(getattr(drawings, self.drawing), tables, **options)

    def svg(self, tables: dict[str, Table], **options) -> str:
        from .style import to_svg

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
                    f'"{label}" has no drawing: add its function to lenvatinib_review/figures/drawings.py and '
                    "name it in BOOK_FIGURES in lenvatinib_review/figures/__init__.py "
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


BOOK_FIGURES = {
    "fig-mechanism-schematic": BookFigure("mechanism_schematic", fits_phone=True, interactive=True),
    "fig-mechanism-counts": BookFigure("mechanism_counts"),
    "fig-evidence-map": BookFigure("evidence_map"),
    "fig-timeline": BookFigure("study_timeline"),
    "fig-workflow": BookFigure("workflow"),
    "fig-exposure": BookFigure("exposure_comparison"),
    "fig-prisma-flow": BookFigure("prisma_flow"),
    "fig-biomarker-evidence": BookFigure("biomarker_evidence"),
    "fig-trial-results": BookFigure("trial_results"),
}
