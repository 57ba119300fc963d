"""The unit-level quantities that are mapped and tested for spatial pattern, with their
display scale and unit (tables keep t C and yuan; figures show 10⁴ t C and 10⁴ yuan)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lucarbon.core.conversions import T_PER_10K_T, YUAN_PER_10K_YUAN


@dataclass(frozen=True)
class Quantity:
    """A result column shown as ``values / scale`` in the unit named by the label ``unit``."""

    column: str
    scale: float
    unit: str


QUANTITIES = {
    q.column: q
    for q in (
        Quantity("emission_tC", T_PER_10K_T, "unit_10k_tC"),
        Quantity("absorption_tC", T_PER_10K_T, "unit_10k_tC"),
        Quantity("net_emission_tC", T_PER_10K_T, "unit_10k_tC"),
        Quantity("emission_intensity_gdp_tC_per_10k_yuan", 1.0, "unit_tC_per_10k_yuan"),
        Quantity("emission_intensity_area_tC_per_ha", 1.0, "unit_tC_per_ha"),
        Quantity("value_yuan", YUAN_PER_10K_YUAN, "unit_10k_yuan"),
        Quantity("value_modified_yuan", YUAN_PER_10K_YUAN, "unit_10k_yuan"),
    )
}
# Intensity per GDP where GDP is known, else per area (a land-use-only study has no GDP).
INTENSITIES = ("emission_intensity_gdp_tC_per_10k_yuan", "emission_intensity_area_tC_per_ha")
# Centre of gravity and ellipse need non-negative weights.
GRAVITY_VARIABLES = ("emission_tC", "absorption_tC")


def intensity_column(budget: pd.DataFrame) -> str:
    """The emission intensity the budget table has: per GDP if present, else per area."""
    return next(column for column in INTENSITIES if column in budget)


def mapped_variables(budget: pd.DataFrame) -> list[str]:
    """Net emission, emission, absorption and the available emission intensity."""
    return ["net_emission_tC", "emission_tC", "absorption_tC", intensity_column(budget)]


def compensation_value_column(compensation: pd.DataFrame) -> str:
    """The modified compensation value where a payment ability was applied, else the plain one."""
    return "value_modified_yuan" if "value_modified_yuan" in compensation else "value_yuan"
