"""The stages of an investigation of a resistant model, each a column of methods."""

from __future__ import annotations

from matplotlib.figure import Figure

from ..figure_data import readable
from .style import OKABE_ITO, draw_arrow, draw_box


def draw(stages: list[tuple[str, list[str]]]) -> Figure:
    """``stages`` as ``figure_data.workflow_stages`` gives them."""
    height = max(len(methods) for _, methods in stages)
    figure = Figure(figsize=(7.2, 1.05 * height + 0.9))
    ax = figure.add_axes((0, 0, 1, 1))
    previous = None
    for column, (stage, methods) in enumerate(stages):
        ax.text(column, height + 0.05, readable(stage).capitalize(), ha="center", fontsize=10.5, weight="bold")
        boxes = [
            draw_box(ax, column, height - 0.5 - row, method, OKABE_ITO["blue"], width=20, fontsize=9)
            for row, method in enumerate(methods)
        ]
        if previous:
            draw_arrow(ax, previous, boxes[0])
        previous = boxes[0]
    ax.set_xlim(-0.55, len(stages) - 0.45)
    ax.set_ylim(-0.2, height + 0.5)
    ax.axis("off")
    return figure
