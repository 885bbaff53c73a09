"""Mechanisms per process group, coloured by where they act."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..figure_data import readable
from .style import CATEGORY_COLOURS


def draw(counts: dict[tuple[str, str], int]) -> Figure:
    """``counts``: mechanisms per (category, process group), as ``figure_data.mechanism_counts`` gives them."""
    figure = Figure(figsize=(6.4, 3.6))
    ax = figure.subplots()
    ax.barh(
        [readable(group) for _, group in counts],
        list(counts.values()),
        color=[CATEGORY_COLOURS[category] for category, _ in counts],
    )
    ax.invert_yaxis()
    ax.set_xlabel("Mechanisms in the book")
    ax.xaxis.get_major_locator().set_params(integer=True)
    handles = [Rectangle((0, 0), 1, 1, color=colour) for colour in CATEGORY_COLOURS.values()]
    ax.legend(handles, [readable(name) for name in CATEGORY_COLOURS], frameon=False, loc="lower right")
    return figure
