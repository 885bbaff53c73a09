"""Hazard ratios of the randomised trials, as a forest plot with one panel per endpoint and comparator."""

from __future__ import annotations

from itertools import groupby

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import NullFormatter

from ..figure_data import COMPARATORS, readable
from .style import OKABE_ITO, wrap

COLOURS = {
    "hcc": OKABE_ITO["blue"],
    "thyroid": OKABE_ITO["orange"],
    "renal": OKABE_ITO["bluish green"],
    "endometrial": OKABE_ITO["reddish purple"],
}
ROW_HEIGHT = 0.4  # inches per trial
PANEL_SPACE = 0.45  # inches for a panel's title and axis
LABEL_FONT = 9
X_LABEL = "Hazard ratio, experimental vs control arm (log scale); below 1 favours the experimental arm"


def panels(results) -> list[tuple[str, list]]:
    """The results in runs of one endpoint and comparator, each with its panel title."""
    return [
        (f"{endpoint}, {COMPARATORS[comparator]}", list(rows))
        for (endpoint, comparator), rows in groupby(results, key=lambda r: (r.endpoint, r.comparator))
    ]


def row_label(result) -> str:
    return result.trial + (f"\n{wrap(f'({result.detail})', 30)}" if result.detail else "")


def draw(results) -> Figure:
    """``results`` as ``figure_data.trial_hazard_ratios`` gives them (runs of one endpoint and comparator)."""
    runs = panels(results)
    rows_per_panel = [len(rows) for _, rows in runs]
    height = ROW_HEIGHT * sum(rows_per_panel) + PANEL_SPACE * len(runs) + 1.0
    figure = Figure(figsize=(6.0, height), layout="constrained")
    grid = {"height_ratios": rows_per_panel}
    axes = figure.subplots(len(runs), 1, sharex=True, gridspec_kw=grid, squeeze=False)[:, 0]
    for ax, (title, rows) in zip(axes, runs):
        for row, r in enumerate(rows):
            ax.plot([r.lower, r.upper], [row, row], color=COLOURS[r.indication], linewidth=2)
            ax.plot(r.hazard_ratio, row, "o", color=COLOURS[r.indication], markersize=7)
            estimate = f"{r.hazard_ratio:.2f} ({r.lower:.2f}\u2013{r.upper:.2f})"
            ax.text(1.02, row, estimate, transform=ax.get_yaxis_transform(), va="center", fontsize=LABEL_FONT)
        ax.axvline(1.0, color="#444444", linewidth=0.8, linestyle="--")
        ax.set_yticks(range(len(rows)), [row_label(r) for r in rows], fontsize=LABEL_FONT)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_title(title, loc="left", fontsize=10, fontweight="bold")
        ax.tick_params(axis="y", length=0)
    ax = axes[-1]
    ax.set_xscale("log")
    ax.set_xticks([0.2, 0.5, 1.0, 1.5], ["0.2", "0.5", "1", "1.5"])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(wrap(X_LABEL, 52), fontsize=LABEL_FONT)
    handles = [Line2D([], [], marker="o", color=c, label=readable(i)) for i, c in COLOURS.items()]
    figure.legend(handles=handles, frameon=False, fontsize=LABEL_FONT, loc="outside lower center", ncols=4)
    return figure
