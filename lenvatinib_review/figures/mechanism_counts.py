"""Mechanisms per process group, coloured by where they act."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..figure_data import readable
from .style import CATEGORY_COLOURS

BAR_HEIGHT = 0.8
CATEGORY_GAP = 0.6  # between the bars of one category and the next


def bar_positions(counts: dict[tuple[str, str], int]) -> list[float]:
    """One row per (category, process group), top to bottom, with a gap where the category changes.

    Each bar has a position of its own: a process group found in two categories (bypass signalling
    inside and around the cell) gets two bars, where bars placed by their label would overlap.
    """
    positions, position, previous = [], 0.0, None
    for category, _ in counts:
        if previous is not None:
            position += 1 + (CATEGORY_GAP if category != previous else 0)
        positions.append(position)
        previous = category
    return positions


def draw(counts: dict[tuple[str, str], int]) -> Figure:
    """``counts``: mechanisms per (category, process group), as ``figure_data.mechanism_counts`` gives them."""
    positions = bar_positions(counts)
    figure = Figure(figsize=(4.2, 0.3 * (positions[-1] + 1) + 1.0))
    ax = figure.subplots()
    ax.barh(
        positions,
        list(counts.values()),
        height=BAR_HEIGHT,
        color=[CATEGORY_COLOURS[category] for category, _ in counts],
    )
    ax.set_yticks(positions, [readable(group) for _, group in counts])
    ax.tick_params(axis="y", length=0)
    ax.invert_yaxis()
    ax.set_xlabel("Mechanisms in the book")
    ax.xaxis.get_major_locator().set_params(integer=True)
    handles = [Rectangle((0, 0), 1, 1, color=colour) for colour in CATEGORY_COLOURS.values()]
    labels = [readable(name) for name in CATEGORY_COLOURS]
    ax.legend(handles, labels, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return figure
