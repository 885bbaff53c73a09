"""Primary studies by year (rows) and by where the mechanism acts (columns), named by first author."""

from __future__ import annotations

from itertools import groupby

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..figure_data import AUTHORS_NOT_SEEN, readable
from .style import CATEGORY_COLOURS, tint, wrap

FONT = 9
LINE = 0.19  # inches per line of names
YEAR_WIDTH = 0.5  # inches
COLUMN_WIDTH = 1.95  # inches per category
CHARACTERS_PER_LINE = 26


def cell_text(studies) -> str:
    """First authors in order; studies whose authors were not seen are counted, not named."""
    names = [s.first_author for s in studies if s.first_author != AUTHORS_NOT_SEEN]
    unseen = len(studies) - len(names)
    parts = names + ([f"{unseen} more (authors not seen)"] if unseen else [])
    return wrap(", ".join(parts), CHARACTERS_PER_LINE)


def draw(studies, categories: tuple[str, ...]) -> Figure:
    """``studies`` as ``figure_data.study_timeline`` gives them (by year); ``categories`` in column order."""
    years = [(year, list(group)) for year, group in groupby(studies, key=lambda s: s.year)]
    cells = {
        (year, category): cell_text([s for s in group if s.category == category])
        for year, group in years
        for category in categories
    }
    lines = [max(cells[(year, c)].count("\n") + 1 for c in categories) for year, _ in years]
    height = LINE * (sum(lines) + len(years) * 0.6 + 1.5)
    width = YEAR_WIDTH + COLUMN_WIDTH * len(categories)
    figure = Figure(figsize=(width, height))
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.axis("off")
    for column, category in enumerate(categories):
        x = YEAR_WIDTH + column * COLUMN_WIDTH
        ax.add_patch(Rectangle((x + 0.04, 0), COLUMN_WIDTH - 0.08, height, facecolor=tint(CATEGORY_COLOURS[category])))
        ax.text(x + 0.1, LINE * 0.6, readable(category), fontsize=FONT + 1, fontweight="bold", va="center")
    y = LINE * 1.5
    for (year, _), count in zip(years, lines):
        ax.plot([0, width], [y, y], color="#bbbbbb", linewidth=0.6)
        ax.text(0.05, y + LINE * 0.3, str(year), fontsize=FONT, fontweight="bold", va="top")
        for column, category in enumerate(categories):
            text = cells[(year, category)]
            if text:
                x = YEAR_WIDTH + column * COLUMN_WIDTH + 0.1
                ax.text(x, y + LINE * 0.3, text, fontsize=FONT, va="top", linespacing=1.35)
        y += LINE * (count + 0.6)
    return figure
