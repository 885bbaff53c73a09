"""Clinical exposure to lenvatinib, and the concentrations the laboratory studies used.

The book holds no verified volume of distribution, so it draws no concentration–time
curve. What the verified numbers do support is the average concentration at steady
state, dose / (CL/F × 24 h), from the population clearance (Gupta et al. 2016), and
the trough linked to early dose reduction in thyroid cancer. This module sets the
highest concentration each preclinical study states (``studies.csv``) against them,
in the same units as the certainty rule's exposure factor
(:func:`lenvatinib_review.certainty.clinical_exposure`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .certainty import clinical_exposure, read_rule
from .datapackage import Table

HOURS_PER_DAY = 24.0
# Rows of pharmacology.csv: the approved once-daily doses drawn, lowest first.
APPROVED_DOSES = ("dose-hcc-light", "dose-hcc-heavy", "dose-dtc")
CLEARANCE = "cl-f"


def parameter(tables: dict[str, Table], identifier: str) -> float:
    """The value of one row of the pharmacology table, by id."""
    for record in tables["pharmacology"].records:
        if record.values["id"] == identifier:
            return record.values["value"]
    raise KeyError(f'no row "{identifier}" in the pharmacology table')


def average_steady_state(dose_mg: float, clearance_l_per_h: float) -> float:
    """Average plasma concentration at steady state (ng/mL) of a once-daily dose: dose / (CL/F × 24 h)."""
    return dose_mg * 1000.0 / (clearance_l_per_h * HOURS_PER_DAY)


@dataclass(frozen=True)
class StudyConcentration:
    study: str
    micromolar: float
    kind: str  # "highest" (max_concentration_um) or "selection" (selection_final_um)


@dataclass(frozen=True)
class ExposureComparison:
    """Clinical reference concentrations (µM) and the concentrations the studies state (µM)."""

    averages: dict[float, float]  # approved dose (mg) -> average steady-state concentration (µM)
    reference_trough: float  # µM
    far_above: float  # µM: the certainty rule's threshold times the reference trough
    studies: tuple[StudyConcentration, ...]


def exposure_comparison(tables: dict[str, Table]) -> ExposureComparison:
    exposure = clinical_exposure(tables, read_rule(tables))
    clearance = parameter(tables, CLEARANCE)
    to_micromolar = 1.0 / exposure.molar_mass  # ng/mL -> µM
    studies = []
    for record in tables["studies"].records:
        for column, kind in (("max_concentration_um", "highest"), ("selection_final_um", "selection")):
            value = record.values[column]
            if value is not None:
                studies.append(StudyConcentration(record.values["id"], value, kind))
    return ExposureComparison(
        averages={
            parameter(tables, dose): average_steady_state(parameter(tables, dose), clearance) * to_micromolar
            for dose in APPROVED_DOSES
        },
        reference_trough=exposure.trough_ng_ml * to_micromolar,
        far_above=exposure.threshold * exposure.trough_ng_ml * to_micromolar,
        studies=tuple(sorted(studies, key=lambda s: (s.micromolar, s.study, s.kind))),
    )
