"""Studies per mechanism and evidence level, as a heat map."""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.figure import Figure

# The mechanisms' names wrap at this many characters, so that the figure stays narrow enough for its
# smallest text to be drawn at 11 pixels or more in a desktop text column.
LABEL_WIDTH = 52
FONT_SIZE = 10


def draw(mechanisms: list[str], levels: list[str], counts: list[list[int]], labels: dict[str, str]) -> Figure:
    """Rows, columns and counts as ``figure_data.evidence_matrix`` gives them; ``labels`` name each mechanism
    and each evidence level."""
    grid = np.array(counts)
    names = [textwrap.fill(labels[m], LABEL_WIDTH) for m in mechanisms]
    lines = max(name.count("\n") + 1 for name in names)  # every row is as tall as the tallest name
    figure = Figure(figsize=(3.4, (0.19 * lines + 0.02) * len(names) + 1.3))
    ax = figure.subplots()
    ax.imshow(np.ma.masked_equal(grid, 0), cmap="Blues", vmin=0, vmax=grid.max() + 1, aspect="auto")
    for (row, column), value in np.ndenumerate(grid):
        if value:
            ax.text(column, row, str(value), ha="center", va="center", fontsize=FONT_SIZE)
    ax.set_xticks(range(len(levels)), [labels[level] for level in levels], rotation=30, ha="right", fontsize=FONT_SIZE)
    ax.set_yticks(range(len(mechanisms)), names, fontsize=FONT_SIZE)
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)
    ax.set_xlabel("Strongest evidence of each study", fontsize=FONT_SIZE)
    return figure
