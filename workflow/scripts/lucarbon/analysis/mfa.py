"""Aggregation of unit results by main functional area (MFA) class and for the study area."""

from __future__ import annotations

import pandas as pd

from lucarbon.model.zoning import zone_names

STUDY_AREA = "study_area"
SUMMED = [
    "land_area_ha",
    "emission_tC",
    "absorption_tC",
    "net_emission_tC",
    "gdp_10k_yuan",
    "gdp_constant_10k_yuan",
    "population_persons",
    "delta_c_tC",
    "value_yuan",
    "value_modified_yuan",
]


def join_compensation(budget: pd.DataFrame, compensation: pd.DataFrame) -> pd.DataFrame:
    """Budget rows with the compensation quantities and zone of the same unit and year."""
    columns = ["delta_c_tC", "value_yuan", "value_modified_yuan", "zone"]
    keep = ["unit_id", "year", *[c for c in columns if c in compensation]]
    return budget.merge(compensation[keep], on=["unit_id", "year"], how="left")


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
    gdp = next((out[c] for c in ("gdp_constant_10k_yuan", "gdp_10k_yuan") if c in out), None)
    if gdp is not None:
        out["emission_intensity_gdp_ratio_of_sums_tC_per_10k_yuan"] = out["emission_tC"] / gdp
    out["emission_intensity_area_ratio_of_sums_tC_per_ha"] = (
        out["emission_tC"] / out["land_area_ha"]
    )
    out["compensation_rate_ratio_of_sums"] = out["absorption_tC"] / out["emission_tC"]
    if "population_persons" in out:
        out["emission_per_capita_ratio_of_sums_tC_per_person"] = (
            out["emission_tC"] / out["population_persons"]
        )
    # Class ECC/ESC: the class's share of the study's GDP (absorption) over its emission share.
    years = out.index.get_level_values("year")
    study = out.xs(STUDY_AREA, level="mfa_class").reindex(years)

    def share(column: str) -> pd.Series:
        return out[column] / study[column].to_numpy()

    if gdp is not None:
        out["ecc_ratio_of_sums"] = share(gdp.name) / share("emission_tC")
    out["esc_ratio_of_sums"] = share("absorption_tC") / share("emission_tC")
    means = {
        "emission_intensity_gdp_mean_of_units_tC_per_10k_yuan": (
            "emission_intensity_gdp_tC_per_10k_yuan"
        ),
        "emission_per_capita_mean_of_units_tC_per_person": "emission_per_capita_tC_per_person",
        "net_emission_mean_of_units_tC": "net_emission_tC",
    }
    for name, column in means.items():
        if column in units:
            out[name] = grouped[column].mean()
    if "zone" in units:
        counts = grouped["zone"].value_counts().unstack(fill_value=0)
        for zone in zone_names(units["zone"].dropna()):
            out[f"n_units_{zone}"] = counts.get(zone, 0)
    out = out.reset_index()
    rank = {name: i for i, name in enumerate([*class_order, STUDY_AREA])}
    return (
        out.assign(_rank=out["mfa_class"].map(rank))
        .sort_values(["_rank", "year"])
        .drop(columns="_rank")
        .reset_index(drop=True)
    )
