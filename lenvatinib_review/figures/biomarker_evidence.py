"""Candidate biomarkers: cohort size, cancer and role."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from ..figure_data import readable
from .style import OKABE_ITO, wrap

ROLE_COLOURS = {
    "predictive": OKABE_ITO["vermillion"],
    "prognostic": OKABE_ITO["blue"],
    "on-treatment": OKABE_ITO["bluish green"],
    "unclear": "#9E9E9E",
}
SHAPES = {"hcc": "o", "thyroid": "s", "renal": "^", "endometrial": "D"}
FONT = 9
LABEL_CHARACTERS = 44


def draw(markers) -> Figure:
    """``markers`` as ``figure_data.biomarker_evidence`` gives them."""
    figure = Figure(figsize=(6.4, 0.5 * len(markers) + 1.6), layout="constrained")
    ax = figure.subplots()
    for row, marker in enumerate(markers):
        ax.scatter(
            marker.patients, row, s=60, marker=SHAPES[marker.indication], color=ROLE_COLOURS[marker.role], zorder=3
        )
    labels = [wrap(f"{m.label} ({readable(m.category)})", LABEL_CHARACTERS) for m in markers]
    ax.set_yticks(range(len(markers)), labels, fontsize=FONT)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax.set_xlabel("Patients in the cohort (log scale)")
    ax.grid(axis="x", color="#dddddd", zorder=0)
    roles = [Line2D([], [], marker="o", linestyle="", color=c, label=r) for r, c in ROLE_COLOURS.items()]
    cancers = [Line2D([], [], marker=s, linestyle="", color="#444444", label=readable(c)) for c, s in SHAPES.items()]
    figure.legend(handles=roles + cancers, frameon=False, fontsize=FONT, loc="outside lower center", ncols=4)
    return figure
