"""Hazard ratios of the randomised trials, as a forest plot."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import NullFormatter

from ..figure_data import readable
from .style import OKABE_ITO, wrap

COLOURS = {
    "hcc": OKABE_ITO["blue"],
    "thyroid": OKABE_ITO["orange"],
    "renal": OKABE_ITO["bluish green"],
    "endometrial": OKABE_ITO["reddish purple"],
}


def draw(results) -> Figure:
    """``results`` as ``figure_data.trial_hazard_ratios`` gives them."""
    figure = Figure(figsize=(7.2, 0.5 * len(results) + 1.2))
    ax = figure.subplots()
    for row, r in enumerate(results):
        ax.plot([r.lower, r.upper], [row, row], color=COLOURS[r.indication], linewidth=2)
        ax.plot(r.hazard_ratio, row, "o", color=COLOURS[r.indication], markersize=7)
    ax.axvline(1.0, color="#444444", linewidth=0.8, linestyle="--")
    ax.set_yticks(range(len(results)), [wrap(r.label, 45) for r in results], fontsize=8)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xticks([0.2, 0.5, 1.0, 1.5], ["0.2", "0.5", "1", "1.5"])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("Hazard ratio (log scale; below 1 favours the lenvatinib arm)")
    handles = [
        Line2D([], [], marker="o", color=c, label=readable(i).upper() if i == "hcc" else i) for i, c in COLOURS.items()
    ]
    ax.legend(handles=handles, frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return figure
