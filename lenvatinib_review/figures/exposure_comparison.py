"""The lenvatinib concentrations of the laboratory studies against the concentrations patients reach."""

from __future__ import annotations

from matplotlib.figure import Figure

from ..pharmacokinetics import ExposureComparison
from .style import OKABE_ITO

MARKERS = {"highest": "o", "selection": "s"}
LABELS = {"highest": "highest concentration used", "selection": "concentration at the end of selection"}


def draw(comparison: ExposureComparison) -> Figure:
    """One row per study with a stated concentration, on a log scale, against clinical exposure."""
    # By highest concentration, ties by key: a set's order follows the hash seed.
    studies = sorted({s.study for s in comparison.studies}, key=lambda key: (max(
        s.micromolar for s in comparison.studies if s.study == key), key))  # fmt: skip
    figure = Figure(figsize=(6.4, 1.6 + 0.32 * len(studies)))
    ax = figure.subplots()
    rows = {study: index for index, study in enumerate(studies)}
    for kind, marker in MARKERS.items():
        points = [s for s in comparison.studies if s.kind == kind]
        ax.scatter(
            [s.micromolar for s in points],
            [rows[s.study] for s in points],
            marker=marker,
            s=36,
            color=OKABE_ITO["blue"] if kind == "highest" else OKABE_ITO["orange"],
            label=LABELS[kind],
            zorder=3,
        )
    colours = [OKABE_ITO["sky blue"], OKABE_ITO["bluish green"], OKABE_ITO["vermillion"]]
    for (dose, average), colour in zip(comparison.averages.items(), colours):
        ax.axvline(average, color=colour, lw=1.2, label=f"average at steady state, {dose:g} mg a day")
    ax.axvline(
        comparison.reference_trough, color=OKABE_ITO["reddish purple"], lw=1.2, ls="-.",
        label="trough linked to early dose reduction",
    )  # fmt: skip
    ax.axvline(comparison.far_above, color=OKABE_ITO["black"], lw=1, ls=":", label="ten times that trough")
    ax.set_xscale("log")
    ax.set_yticks(range(len(studies)), studies)
    ax.set_ylim(-0.6, len(studies) - 0.4)
    ax.set_xlabel("Lenvatinib (µM, log scale)")
    ax.legend(frameon=False, fontsize=9, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.35))
    figure.tight_layout()
    return figure
