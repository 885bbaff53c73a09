"""Studies per mechanism and evidence level, as a heat map."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..figure_data import readable


def draw(mechanisms: list[str], levels: list[str], counts: list[list[int]], labels: dict[str, str]) -> Figure:
    """Rows, columns and counts as ``figure_data.evidence_matrix`` gives them; ``labels`` name each mechanism."""
    grid = np.array(counts)
    figure = Figure(figsize=(6.4, 0.34 * len(mechanisms) + 1.2))
    ax = figure.subplots()
    ax.imshow(np.ma.masked_equal(grid, 0), cmap="Blues", vmin=0, vmax=grid.max() + 1, aspect="auto")
    for (row, column), value in np.ndenumerate(grid):
        if value:
            ax.text(column, row, str(value), ha="center", va="center", fontsize=9)
    ax.set_xticks(range(len(levels)), [readable(level) for level in levels], rotation=30, ha="right")
    ax.set_yticks(range(len(mechanisms)), [labels[m] for m in mechanisms], fontsize=8.5)
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)
    ax.set_xlabel("Strongest evidence of each study")
    return figure
