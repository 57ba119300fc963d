"""Aggregation of unit results by main functional area (MFA) class and for the study area."""

from __future__ import annotations

import pandas as pd

STUDY_AREA = "study_area"
SUMMED = [
    "land_area_ha",
    "emission_tC",
    "absorption_tC",
    "net_emission_tC",
    "gdp_10k_yuan",
    "gdp_constant_10k_yuan",
    "delta_c_tC",
    "value_yuan",
]


def summarise_by_mfa(units: pd.DataFrame, class_order: list[str]) -> pd.DataFrame:
    """Totals, ratio-of-sums intensities and means over units, per MFA class, year, and for
    the whole study area (``mfa_class == 'study_area'``). Names say which statistic is which.

    ``units`` has one row per unit and year with ``mfa_class`` and the budget columns.
    """
    whole = units.assign(mfa_class=STUDY_AREA)
    grouped = pd.concat([units, whole]).groupby(["mfa_class", "year"])
    summed = [c for c in SUMMED if c in units]
    out = grouped[summed].sum()
    out.insert(0, "n_units", grouped["unit_id"].nunique())
    gdp = out.get("gdp_constant_10k_yuan", out["gdp_10k_yuan"])
    out["emission_intensity_gdp_ratio_of_sums_tC_per_10k_yuan"] = out["emission_tC"] / gdp
    out["emission_intensity_area_ratio_of_sums_tC_per_ha"] = (
        out["emission_tC"] / out["land_area_ha"]
    )
    out["compensation_rate_ratio_of_sums"] = out["absorption_tC"] / out["emission_tC"]
    out["emission_intensity_gdp_mean_of_units_tC_per_10k_yuan"] = grouped[
        "emission_intensity_gdp_tC_per_10k_yuan"
    ].mean()
    out["net_emission_mean_of_units_tC"] = grouped["net_emission_tC"].mean()
    out = out.reset_index()
    rank = {name: i for i, name in enumerate([*class_order, STUDY_AREA])}
    return (
        out.assign(_rank=out["mfa_class"].map(rank))
        .sort_values(["_rank", "year"])
        .drop(columns="_rank")
        .reset_index(drop=True)
    )
