"""The carbon budget and compensation model as one callable: tables + parameters + settings.

The Snakemake rules and the sensitivity analysis call the same functions, so a sensitivity
draw is exactly the published model with other parameter values.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from . import budget, compensation, mfa
from .io import InputError

PROXY_COLUMNS = {
    "construction_area": "area_ha",
    "gdp": "gdp_10k_yuan",
    "population": "population_persons",
}


@dataclass
class StudyTables:
    """Observed inputs, read and validated once (None where not configured)."""

    areas: pd.DataFrame  # unit_id, year, landuse, area_ha
    units: pd.DataFrame  # unit_id, name, mfa_class
    landuse: list[str]  # land-use types in table order
    physical_units: pd.DataFrame
    gdp: pd.DataFrame | None = None  # unit_id, year, gdp_10k_yuan (current prices)
    gdp_deflator: pd.DataFrame | None = None
    deflator_base_year: int | None = None
    population: pd.DataFrame | None = None
    energy: pd.DataFrame | None = None
    crop_yield: pd.DataFrame | None = None
    county_emissions: pd.DataFrame | None = None  # unit_id, year, emission_tC
    engel: pd.DataFrame | None = None


@dataclass
class Parameters:
    """Coefficients a study chooses (and the sensitivity analysis varies)."""

    coefficients: dict[str, float]  # t C/ha/yr by land-use type
    fuels: pd.DataFrame
    crops: pd.DataFrame
    price_per_tC: float

    def replace(self, **changes) -> Parameters:
        """A copy with some fields replaced (tables are copied, never shared)."""
        copied = {
            "coefficients": dict(self.coefficients),
            "fuels": self.fuels.copy(),
            "crops": self.crops.copy(),
            "price_per_tC": self.price_per_tC,
        }
        return dataclasses.replace(self, **(copied | changes))


@dataclass(frozen=True)
class Settings:
    """Model choices from the config."""

    construction_mode: str = "energy"  # energy | county_table | coefficient
    proxy: str = "construction_area"  # construction_area | gdp | population
    threshold: float = 1.0
    benchmark: str = "gdp"  # gdp | area | population
    band_sd_fraction: float = 0.5
    modification: str = "engel"  # none | engel | gdp_per_capita


def years_of(tables: StudyTables) -> list[int]:
    return sorted(tables.areas["year"].unique())


def gdp_for_intensity(tables: StudyTables) -> tuple[pd.DataFrame | None, str | None]:
    """GDP rows of the study years, with constant-price GDP when a deflator is given."""
    if tables.gdp is None:
        return None, None
    gdp = tables.gdp[tables.gdp["year"].isin(years_of(tables))].copy()
    gdp = gdp.drop(columns="source", errors="ignore")
    if tables.gdp_deflator is None:
        return gdp, "gdp_10k_yuan"
    gdp["gdp_constant_10k_yuan"] = budget.constant_price_gdp(
        gdp, tables.gdp_deflator, tables.deflator_base_year, "gdp_deflator table"
    )
    return gdp, "gdp_constant_10k_yuan"


def construction_available(tables: StudyTables, settings: Settings) -> bool:
    """Whether the inputs of the configured construction mode are there."""
    needs = {
        "energy": tables.energy,
        "county_table": tables.county_emissions,
        "coefficient": True,
    }
    proxy = {"gdp": tables.gdp, "population": tables.population}.get(settings.proxy, True)
    if settings.construction_mode == "energy" and proxy is None:
        return False
    return needs[settings.construction_mode] is not None


def construction_fluxes(
    tables: StudyTables, params: Parameters, settings: Settings, gdp: pd.DataFrame | None
) -> pd.DataFrame:
    """Construction-land emissions per unit and year in energy or county-table mode."""
    if settings.construction_mode == "county_table":
        rows = tables.county_emissions[tables.county_emissions["year"].isin(years_of(tables))]
        flux = rows[["unit_id", "year"]].assign(flux_tC=rows["emission_tC"].to_numpy())
    else:
        totals = budget.energy_emissions(tables.energy, params.fuels, tables.physical_units)
        proxies = {
            "construction_area": tables.areas[tables.areas["landuse"] == "construction"],
            "gdp": gdp,
            "population": tables.population,
        }
        proxy = proxies[settings.proxy]
        proxy = proxy[proxy["year"].isin(years_of(tables))]
        allocated = budget.allocate_by_share(totals, proxy, PROXY_COLUMNS[settings.proxy])
        flux = allocated.rename(columns={"allocated_tC": "flux_tC"})
    return flux.assign(landuse="construction", component=settings.construction_mode)


def run_budget(
    tables: StudyTables, params: Parameters, settings: Settings
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Budget per unit and year with indicators, and emissions/absorption by component."""
    gdp, gdp_column = gdp_for_intensity(tables)
    coefficients = dict(params.coefficients)
    parts = []
    if settings.construction_mode != "coefficient":
        coefficients.pop("construction", None)
        if construction_available(tables, settings):
            parts.append(construction_fluxes(tables, params, settings, gdp))
    parts.append(budget.direct_fluxes(tables.areas, coefficients))
    if tables.crop_yield is not None:
        crops = budget.crop_absorption(tables.crop_yield, params.crops)
        crops = crops[crops["year"].isin(years_of(tables))]
        parts.append(
            crops.assign(landuse="arable", component="crop", flux_tC=-crops["absorption_tC"])
        )
    fluxes = pd.concat([p[[*budget.FLUX_KEYS, "flux_tC"]] for p in parts], ignore_index=True)
    components = budget.flux_components(fluxes)
    wide = budget.budget_by_unit(components, tables.landuse)
    land = tables.areas.groupby(["unit_id", "year"], as_index=False)["area_ha"].sum()
    table = (
        tables.units[["unit_id", "name", "mfa_class"]]
        .merge(wide, on="unit_id", how="left")
        .merge(land.rename(columns={"area_ha": "land_area_ha"}), on=["unit_id", "year"])
    )
    if gdp is not None:
        table = table.merge(gdp, on=["unit_id", "year"], how="left")
    if tables.population is not None:
        population = tables.population[["unit_id", "year", "population_persons"]]
        table = table.merge(population, on=["unit_id", "year"], how="left")
    table = budget.add_indicators(table, settings.threshold, gdp_column)
    return table.sort_values(["unit_id", "year"]).reset_index(drop=True), components


def run_compensation(
    budget_table: pd.DataFrame,
    engel: pd.DataFrame | None,
    price_per_tC: float,
    settings: Settings,
) -> pd.DataFrame:
    """Compensation per unit and year (unmodified and, if configured, modified)."""
    frame = budget_table
    if settings.modification == "engel":
        if engel is None:
            raise InputError("compensation.modification 'engel' needs statistics.engel.")
        engel = engel[["unit_id", "year"]].assign(
            payment_ability=compensation.payment_ability(
                compensation.weighted_engel(engel, "engel table")
            ).to_numpy()
        )
        frame = frame.merge(engel, on=["unit_id", "year"], how="left")
    elif settings.modification == "gdp_per_capita":
        frame = frame.assign(payment_ability=compensation.gdp_per_capita_ratio(frame))
    table = compensation.compensate(
        frame,
        compensation.BENCHMARK_COLUMNS[settings.benchmark],
        price_per_tC,
        settings.band_sd_fraction,
    )
    return table.merge(frame[["unit_id", "year", "mfa_class"]], on=["unit_id", "year"])


def run_all(
    tables: StudyTables, params: Parameters, settings: Settings, class_order: list[str]
) -> dict[str, pd.DataFrame]:
    """Budget, compensation and MFA summary in one call (used by the sensitivity analysis)."""
    budget_table, _ = run_budget(tables, params, settings)
    comp = run_compensation(budget_table, tables.engel, params.price_per_tC, settings)
    summary = mfa.summarise_by_mfa(mfa.join_compensation(budget_table, comp), class_order)
    return {"budget": budget_table, "compensation": comp, "mfa": summary}
