"""Candidate biomarkers: cohort size, cancer and role."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..figure_data import readable
from .style import OKABE_ITO, wrap

ROLE_COLOURS = {
    "predictive": OKABE_ITO["vermillion"],
    "prognostic": OKABE_ITO["blue"],
    "on-treatment": OKABE_ITO["bluish green"],
    "unclear": "#9E9E9E",
}
SHAPES = {"hcc": "o", "thyroid": "s", "renal": "^", "endometrial": "D"}


def draw(markers) -> Figure:
    """``markers`` as ``figure_data.biomarker_evidence`` gives them."""
    figure = Figure(figsize=(7.2, 0.45 * len(markers) + 1.2))
    ax = figure.subplots()
    for row, marker in enumerate(markers):
        ax.scatter(
            marker.patients, row, s=60, marker=SHAPES[marker.indication], color=ROLE_COLOURS[marker.role], zorder=3
        )
    ax.set_yticks(range(len(markers)), [wrap(f"{m.label} ({readable(m.category)})", 60) for m in markers], fontsize=7.5)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("Patients in the cohort (log scale)")
    ax.grid(axis="x", color="#dddddd", zorder=0)
    roles = [Line2D([], [], marker="o", linestyle="", color=c, label=r) for r, c in ROLE_COLOURS.items()]
    cancers = [Line2D([], [], marker=s, linestyle="", color="#444444", label=readable(c)) for c, s in SHAPES.items()]
    ax.legend(handles=roles + cancers, frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return figure
