"""Primary studies by year, one row per category, labelled with the first author."""

from __future__ import annotations

from collections import defaultdict

from matplotlib.figure import Figure

from ..figure_data import readable
from .style import CATEGORY_COLOURS


def draw(studies, categories: tuple[str, ...]) -> Figure:
    """``studies`` as ``figure_data.study_timeline`` gives them; ``categories`` in row order."""
    stacks: dict[tuple[int, int], int] = defaultdict(int)
    figure = Figure(figsize=(6.4, 3.8))
    ax = figure.subplots()
    for study in studies:
        row = categories.index(study.category)
        offset = stacks[(study.year, row)]
        stacks[(study.year, row)] += 1
        y = -row - 0.22 * offset
        ax.plot(study.year, y, "o", color=CATEGORY_COLOURS[study.category], markersize=7)
        ax.text(study.year + 0.12, y, study.first_author, va="center", fontsize=7.5)
    ax.set_yticks([-row for row in range(len(categories))], [readable(c) for c in categories])
    years = [study.year for study in studies]
    ax.set_xticks(range(min(years), max(years) + 1))
    ax.set_xlim(min(years) - 0.5, max(years) + 1.0)
    ax.set_ylim(-len(categories) + 0.3, 0.5)
    ax.set_xlabel("Year of publication")
    return figure
