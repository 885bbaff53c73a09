"""A one-compartment model of once-daily oral lenvatinib, parameterised from the pharmacology table.

The published population model has three compartments (Gupta et al. 2016), but
only its clearance is publicly verifiable, so the book uses the simplest model
that the verified numbers support: apparent clearance CL/F, apparent volume
V/F and an absorption rate ka derived from the observed time to peak. The
model is a teaching aid for how dose, clearance and interactions shape
exposure; it is not a substitute for the population model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from .datapackage import Table, load_package

HOURS_PER_DAY = 24.0


@dataclass(frozen=True)
class OneCompartmentModel:
    clearance: float  # L/h (apparent, CL/F)
    volume: float  # L (apparent, V/F)
    absorption_rate: float  # 1/h

    @property
    def elimination_rate(self) -> float:
        return self.clearance / self.volume

    @property
    def half_life(self) -> float:
        return math.log(2) / self.elimination_rate

    def concentration(self, dose_mg: float, times_h: np.ndarray, interval_h: float = HOURS_PER_DAY) -> np.ndarray:
        """Plasma concentration (ng/mL) after doses at 0, interval, 2*interval, ... (superposition).

        ``interval_h=math.inf`` gives a single dose.
        """
        ka, k = self.absorption_rate, self.elimination_rate
        scale = dose_mg * 1000.0 / self.volume * ka / (ka - k)  # mg/L -> ng/mL
        total = np.zeros_like(times_h, dtype=float)
        starts = [0.0] if math.isinf(interval_h) else np.arange(0.0, times_h.max() + interval_h, interval_h)
        for start in starts:
            after = np.clip(times_h - start, 0.0, None)
            total += np.where(times_h >= start, scale * (np.exp(-k * after) - np.exp(-ka * after)), 0.0)
        return total

    def with_exposure_change(self, auc_change_percent: float) -> OneCompartmentModel:
        """The model after an interaction that changes AUC by the given percentage (through clearance)."""
        return replace(self, clearance=self.clearance / (1.0 + auc_change_percent / 100.0))


def accumulation_ratio(half_life_h: float, interval_h: float = HOURS_PER_DAY) -> float:
    """Steady-state over first-dose exposure for a drug eliminated with this half-life."""
    return 1.0 / (1.0 - math.exp(-math.log(2) * interval_h / half_life_h))


def absorption_rate_from_tmax(tmax_h: float, elimination_rate: float) -> float:
    """Solve tmax = ln(ka/k)/(ka - k) for ka > k by bisection (the one-compartment peak time)."""

    def peak_time(ka: float) -> float:
        return math.log(ka / elimination_rate) / (ka - elimination_rate)

    low, high = elimination_rate * 1.0001, 100.0
    if not peak_time(high) < tmax_h < peak_time(low):
        raise ValueError(f"no absorption rate gives a peak at {tmax_h} h")
    for _ in range(200):
        middle = (low + high) / 2
        low, high = (middle, high) if peak_time(middle) > tmax_h else (low, middle)
    return (low + high) / 2


def parameter(tables: dict[str, Table], identifier: str) -> float:
    """The value of one row of the pharmacology table, by id."""
    for record in tables["pharmacology"].records:
        if record.values["id"] == identifier:
            return record.values["value"]
    raise KeyError(f'no row "{identifier}" in the pharmacology table')


def book_model(tables: dict[str, Table] | None = None) -> OneCompartmentModel:
    """Population CL/F, single-dose V/F, and ka from the single-dose tmax."""
    tables = tables or load_package()
    clearance = parameter(tables, "cl-f")
    volume = parameter(tables, "v-f-single-dose")
    ka = absorption_rate_from_tmax(parameter(tables, "tmax-single-dose"), clearance / volume)
    return OneCompartmentModel(clearance, volume, ka)


@dataclass(frozen=True)
class Scenarios:
    """What the book simulates: three approved doses, and the higher HCC dose with an inhibitor or an inducer."""

    model: OneCompartmentModel
    doses: tuple[float, ...]
    interactions: dict[str, OneCompartmentModel]  # label -> the model after the interaction, at doses[1]


def book_scenarios(tables: dict[str, Table]) -> Scenarios:
    model = book_model(tables)
    doses = tuple(parameter(tables, key) for key in ("dose-hcc-light", "dose-hcc-heavy", "dose-dtc"))
    label = f"{doses[1]:g} mg"
    interactions = {
        f"{label} + ketoconazole": model.with_exposure_change(parameter(tables, "ddi-ketoconazole")),
        f"{label} + rifampicin (repeated)": model.with_exposure_change(parameter(tables, "ddi-rifampicin-repeated")),
    }
    return Scenarios(model, doses, interactions)
