"""Simulated plasma lenvatinib: repeated doses and interactions (top), one dose against the observed peak (bottom)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..pharmacokinetics import HOURS_PER_DAY, Scenarios, parameter
from .style import OKABE_ITO

DAYS_DRAWN = 7


def draw(scenarios: Scenarios, tables) -> Figure:
    """``scenarios`` as ``pharmacokinetics.book_scenarios`` gives them; observed values from the pharmacology table."""
    model, doses = scenarios.model, scenarios.doses
    hours = np.arange(0.0, DAYS_DRAWN * HOURS_PER_DAY + 0.05, 0.1)
    colours = [OKABE_ITO["sky blue"], OKABE_ITO["blue"], OKABE_ITO["vermillion"]]
    figure = Figure(figsize=(6.4, 6.6))
    top, bottom = figure.subplots(2, 1, gridspec_kw={"height_ratios": [3, 2]})
    days = hours / HOURS_PER_DAY
    for dose, colour in zip(doses, colours):
        top.plot(days, model.concentration(dose, hours), color=colour, lw=1.2, label=f"{dose:g} mg once daily")
    for (name, interaction), style in zip(scenarios.interactions.items(), ["--", ":"]):
        top.plot(days, interaction.concentration(doses[1], hours), color=colours[1], lw=1.2, ls=style, label=name)
    top.axhline(
        parameter(tables, "trough-dose-reduction"),
        color=OKABE_ITO["reddish purple"],
        lw=1,
        ls="-.",
        label="observed trough linked to early dose reduction",
    )
    top.set_xlabel("Day of once-daily dosing")
    top.set_ylabel("Lenvatinib (ng/mL)")
    top.set_xlim(0, DAYS_DRAWN)
    top.legend(frameon=False, fontsize=8, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.18))

    single_dose = parameter(tables, "dose-single-dose-study")
    first_day = np.arange(0.0, HOURS_PER_DAY + 0.05, 0.05)
    bottom.plot(
        first_day,
        model.concentration(single_dose, first_day, interval_h=np.inf),
        color=OKABE_ITO["black"],
        lw=1.2,
        label=f"model, single {single_dose:g} mg dose",
    )
    bottom.plot(
        [parameter(tables, "tmax-single-dose")],
        [parameter(tables, "cmax-single-dose")],
        "o",
        color=OKABE_ITO["orange"],
        label=f"observed peak, single {single_dose:g} mg dose",
    )
    bottom.set_xlabel(f"Hours after a single {single_dose:g} mg dose")
    bottom.set_ylabel("Lenvatinib (ng/mL)")
    bottom.legend(frameon=False, fontsize=8)
    figure.tight_layout()
    return figure
