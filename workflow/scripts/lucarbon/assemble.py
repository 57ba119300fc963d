"""Assemble the carbon budget table from areas, coefficients and statistics (one call per run)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import budget

PROXY_COLUMNS = {
    "construction_area": "area_ha",
    "gdp": "gdp_10k_yuan",
    "population": "population_persons",
}


@dataclass
class BudgetInputs:
    """Everything the budget needs, already read and validated."""

    areas: pd.DataFrame  # unit_id, year, landuse, area_ha
    units: pd.DataFrame  # unit_id, name, mfa_class, ...
    landuse: list[str]  # land-use types in table order
    coefficients: dict[str, float]  # t C/ha/yr by land-use type
    gdp: pd.DataFrame  # unit_id, year, gdp_10k_yuan (current prices)
    construction_mode: str = "energy"
    proxy: str = "construction_area"
    energy_tC: pd.Series | None = None  # study-area construction emissions per year
    population: pd.DataFrame | None = None
    crop_tC: pd.DataFrame | None = None  # unit_id, year, absorption_tC
    gdp_constant: pd.Series | None = None  # aligned with gdp rows


def construction_fluxes(inputs: BudgetInputs, gdp: pd.DataFrame) -> pd.DataFrame:
    """Energy emissions allocated to units by the configured proxy, as construction fluxes."""
    areas = inputs.areas
    proxies = {
        "construction_area": areas[areas["landuse"] == "construction"],
        "gdp": gdp,
        "population": inputs.population,
    }
    proxy = proxies[inputs.proxy]
    allocated = budget.allocate_by_share(inputs.energy_tC, proxy, PROXY_COLUMNS[inputs.proxy])
    return allocated.assign(landuse="construction", component="energy").rename(
        columns={"allocated_tC": "flux_tC"}
    )


def build_budget(inputs: BudgetInputs, threshold: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (budget per unit and year with indicators, emissions/absorption by component)."""
    years = sorted(inputs.areas["year"].unique())
    gdp = inputs.gdp[inputs.gdp["year"].isin(years)].copy()
    gdp_column = "gdp_10k_yuan"
    if inputs.gdp_constant is not None:
        gdp_column = "gdp_constant_10k_yuan"
        gdp[gdp_column] = inputs.gdp_constant.loc[gdp.index]
    coefficients = dict(inputs.coefficients)
    parts = []
    if inputs.construction_mode == "energy":
        coefficients.pop("construction", None)
        parts.append(construction_fluxes(inputs, gdp))
    parts.append(budget.direct_fluxes(inputs.areas, coefficients))
    if inputs.crop_tC is not None:
        crops = inputs.crop_tC[inputs.crop_tC["year"].isin(years)]
        parts.append(
            crops.assign(landuse="arable", component="crop", flux_tC=-crops["absorption_tC"])
        )
    fluxes = pd.concat([p[[*budget.FLUX_KEYS, "flux_tC"]] for p in parts], ignore_index=True)
    components = budget.flux_components(fluxes)
    wide = budget.budget_by_unit(components, inputs.landuse)
    land = inputs.areas.groupby(["unit_id", "year"], as_index=False)["area_ha"].sum()
    table = (
        inputs.units[["unit_id", "name", "mfa_class"]]
        .merge(wide, on="unit_id", how="left")
        .merge(land.rename(columns={"area_ha": "land_area_ha"}), on=["unit_id", "year"])
        .merge(gdp.drop(columns="source", errors="ignore"), on=["unit_id", "year"], how="left")
    )
    if inputs.population is not None:
        population = inputs.population[["unit_id", "year", "population_persons"]]
        table = table.merge(population, on=["unit_id", "year"], how="left")
    table = budget.add_indicators(table, threshold, gdp_column)
    return table.sort_values(["unit_id", "year"]).reset_index(drop=True), components
