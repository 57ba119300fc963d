"""The carbon budget and compensation model as one callable: tables + parameters + settings.

The Snakemake rules and the sensitivity analysis call the same functions, so a sensitivity
draw is exactly the published model with other parameter values (its parameter sets run
together, lucarbon.model.sensitivity.batch_runs, to the same bits).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from lucarbon.analysis import mfa
from lucarbon.core.io import InputError
from lucarbon.model import agriculture, allocation, budget, compensation, zoning
from lucarbon.model.variables import compensation_value_column

PROXY_COLUMNS = {
    "construction_area": "area_ha",
    "gdp": "gdp_10k_yuan",
    "population": "population_persons",
    "industrial_energy": "industrial_energy_tce",
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
    city_energy: pd.DataFrame | None = None  # city_id, year, fuel, unit, city_amount
    city_energy_total: pd.DataFrame | None = None  # city_id, year, energy_tce
    city_energy_intensity: pd.DataFrame | None = None  # city_id, year, tce per 10^4 yuan
    industrial_energy: pd.DataFrame | None = None  # unit_id, year, industrial_energy_tce
    agricultural_inputs: pd.DataFrame | None = None  # unit_id, year, one column per input
    unit_cities: pd.DataFrame | None = None  # unit_id, city_id (construction.city table)


@dataclass
class Parameters:
    """Coefficients a study chooses (and the sensitivity analysis varies)."""

    coefficients: dict[str, float]  # t C/ha/yr by land-use type
    fuels: pd.DataFrame
    crops: pd.DataFrame
    price_per_tC: float
    secondary: pd.DataFrame | None = None  # grid and heat factors (read_secondary_factors)
    input_coefficients: pd.DataFrame | None = None  # agricultural inputs (tC_per_unit)

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
    proxy: str = "construction_area"  # construction_area | gdp | population | industrial_energy
    city_proxy: str | None = None  # two levels: city_energy | city_energy_intensity | a proxy
    unit_cities: str = allocation.ADCODE  # adcode | the unit → city table's path
    energy: str = "total"  # total | final_plus_electricity_heat
    electricity_region: str = "central_china"
    heat_region: str = "national"
    arable_mode: str = "area_coefficient"  # area_coefficient | agricultural_inputs
    threshold: float = 1.0
    benchmark: str = "gdp"  # gdp | area | population
    modification: str = "engel"  # none | engel | ecc_esc | gdp_per_capita
    rebalance: bool = False  # scale modified payments and receipts to balance per year
    zoning: str = "natural_breaks"  # natural_breaks | sign | fair_share_band | sd_band
    zoning_tolerance: float = 1e-9
    fair_share_band: float = 0.1
    band_sd_fraction: float = 0.5


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


def unit_proxies(tables: StudyTables, gdp: pd.DataFrame | None) -> dict:
    """Per-unit tables of the allocation proxies (None where not configured)."""
    return {
        "construction_area": tables.areas[tables.areas["landuse"] == "construction"],
        "gdp": gdp,
        "population": tables.population,
        "industrial_energy": tables.industrial_energy,
    }


def city_tables(tables: StudyTables, proxy: str) -> list:
    """The tables a city-level proxy needs (beyond the per-unit proxies)."""
    if proxy == "city_energy":
        return [tables.city_energy if tables.city_energy is not None else tables.city_energy_total]
    if proxy == "city_energy_intensity":
        return [tables.city_energy_intensity, tables.gdp]
    return []


def construction_available(tables: StudyTables, settings: Settings) -> bool:
    """Whether the inputs of the configured construction mode are there."""
    if settings.construction_mode == "county_table":
        return tables.county_emissions is not None
    if settings.construction_mode == "coefficient":
        return True
    proxies = unit_proxies(tables, tables.gdp)
    needed = [tables.energy, proxies[settings.proxy]]
    if settings.city_proxy in proxies:
        needed.append(proxies[settings.city_proxy])
    elif settings.city_proxy is not None:
        needed += city_tables(tables, settings.city_proxy)
    return all(table is not None for table in needed)


def energy_totals(
    tables: StudyTables,
    params: Parameters,
    settings: Settings,
    energy: pd.DataFrame,
    key: str = "statistics.energy",
    by: tuple[str, ...] = ("year",),
    amount: str = "amount",
) -> pd.Series:
    """Emissions (t C) of an energy table (config key ``key``) by ``by``, electricity and heat
    counted only with construction.energy final_plus_electricity_heat."""
    secondary = secondary_energy_factors(tables, params, settings)
    return budget.energy_emissions(
        energy, params.fuels, tables.physical_units, key, secondary, by, amount
    )


def secondary_energy_factors(
    tables: StudyTables, params: Parameters, settings: Settings
) -> pd.DataFrame | None:
    """t C per kWh and GJ of electricity and heat per year with construction.energy
    final_plus_electricity_heat; None with total (they are not counted)."""
    if settings.energy != "final_plus_electricity_heat":
        return None
    if params.secondary is None:
        raise InputError(
            "construction.energy 'final_plus_electricity_heat' needs the grid and heat "
            "factors (construction.electricity_heat.factors) among the rule's inputs."
        )
    regions = {"electricity": settings.electricity_region, "heat": settings.heat_region}
    return budget.secondary_factors(
        params.secondary, tables.physical_units, years_of(tables), regions,
        "construction.electricity_heat.factors",
    )  # fmt: skip


def city_weights(
    tables: StudyTables,
    params: Parameters,
    settings: Settings,
    cities: pd.Series,
    proxies: dict,
) -> pd.DataFrame:
    """Each city's weight (city_id, year, weight) of the city-level proxy."""
    years = years_of(tables)
    proxy = settings.city_proxy
    if proxy not in ("city_energy", "city_energy_intensity"):
        return allocation.city_sums(proxies[proxy], cities, PROXY_COLUMNS[proxy])
    if proxy == "city_energy_intensity":
        table, key = tables.city_energy_intensity, "statistics.city_energy_intensity"
    elif tables.city_energy is not None and tables.city_energy_total is not None:
        raise InputError(
            "construction.city.proxy 'city_energy': statistics.city_energy and "
            "statistics.city_energy_total are both given; keep one."
        )
    elif tables.city_energy is not None:
        table, key = tables.city_energy, "statistics.city_energy"
    else:
        table, key = tables.city_energy_total, "statistics.city_energy_total"
    table = table[table["year"].isin(years)]
    allocation.check_cities_covered(table, cities, years, key)
    if proxy == "city_energy_intensity":
        return allocation.intensity_weights(table, proxies["gdp"], cities)
    if key == "statistics.city_energy_total":
        return table.rename(columns={"energy_tce": "weight"})[["city_id", "year", "weight"]]
    by_city = ("city_id", "year")
    emitted = energy_totals(tables, params, settings, table, key, by_city, "city_amount")
    return emitted.rename("weight").reset_index()


def allocated_energy(
    tables: StudyTables,
    params: Parameters,
    settings: Settings,
    gdp: pd.DataFrame | None,
    totals: pd.Series | pd.DataFrame | None = None,
) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    """The study-area energy emissions allocated to cities (two levels, else None) and to
    units: (city_id, year, tC), (unit_id, year, tC). ``totals`` (by year; default: of the
    energy table) may hold several columns, allocated alike (allocation.allocate)."""
    years = years_of(tables)
    if totals is None:
        totals = energy_totals(tables, params, settings, tables.energy)
    totals = totals[totals.index.isin(years)]
    proxies = {
        name: None if table is None else table[table["year"].isin(years)]
        for name, table in unit_proxies(tables, gdp).items()
    }
    weights = proxies[settings.proxy].rename(columns={PROXY_COLUMNS[settings.proxy]: "weight"})
    weights = weights[["unit_id", "year", "weight"]]
    if settings.city_proxy is None:
        return allocation.allocate(totals, weights)
    units = tables.units["unit_id"]
    cities = allocation.unit_cities(units, settings.unit_cities, tables.unit_cities)
    by_city = city_weights(tables, params, settings, cities, proxies)
    return allocation.allocate(totals, weights, cities, by_city)


def construction_fluxes(
    tables: StudyTables, params: Parameters, settings: Settings, gdp: pd.DataFrame | None
) -> pd.DataFrame:
    """Construction-land emissions per unit and year in energy or county-table mode."""
    if settings.construction_mode == "county_table":
        rows = tables.county_emissions[tables.county_emissions["year"].isin(years_of(tables))]
        flux = rows[["unit_id", "year"]].assign(flux_tC=rows["emission_tC"].to_numpy())
    else:
        _, allocated = allocated_energy(tables, params, settings, gdp)
        flux = allocated.rename(columns={"tC": "flux_tC"})
    return flux.assign(landuse="construction", component=settings.construction_mode)


def run_budget(
    tables: StudyTables, params: Parameters, settings: Settings
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Budget per unit and year with indicators, and emissions/absorption by component."""
    gdp, gdp_column = gdp_for_intensity(tables)
    parts = budget_parts(tables, params, settings, gdp)
    fluxes = pd.concat(parts.values(), ignore_index=True)
    components = budget.flux_components(fluxes)
    wide = budget.budget_by_unit(components, tables.landuse)
    table = budget_table(wide, tables, land_areas(tables), gdp, gdp_column, settings)
    return table, components


def direct_coefficients(params: Parameters, settings: Settings) -> dict[str, float]:
    """The area coefficients applied: without construction (arable) where construction
    (arable) land has a method of its own."""
    coefficients = dict(params.coefficients)
    if settings.construction_mode != "coefficient":
        coefficients.pop("construction", None)
    if settings.arable_mode == "agricultural_inputs":
        coefficients.pop("arable", None)
    return coefficients


def budget_parts(
    tables: StudyTables, params: Parameters, settings: Settings, gdp: pd.DataFrame | None
) -> dict[str, pd.DataFrame]:
    """The signed fluxes (FLUX_KEYS, flux_tC) of each part of the budget, in this order:
    construction (energy or county table), arable inputs, area coefficients, crops."""
    parts = {}
    if settings.construction_mode != "coefficient" and construction_available(tables, settings):
        parts["construction"] = construction_fluxes(tables, params, settings, gdp)
    if settings.arable_mode == "agricultural_inputs" and tables.agricultural_inputs is not None:
        inputs = tables.agricultural_inputs
        inputs = inputs[inputs["year"].isin(years_of(tables))]
        parts["arable_inputs"] = agriculture.arable_input_fluxes(inputs, params.input_coefficients)
    parts["area_coefficient"] = budget.direct_fluxes(
        tables.areas, direct_coefficients(params, settings)
    )
    if tables.crop_yield is not None:
        crops = budget.crop_absorption(tables.crop_yield, params.crops)
        crops = crops[crops["year"].isin(years_of(tables))]
        parts["crop"] = crops.assign(
            landuse="arable", component="crop", flux_tC=-crops["absorption_tC"]
        )
    return {name: part[[*budget.FLUX_KEYS, "flux_tC"]] for name, part in parts.items()}


def land_areas(tables: StudyTables) -> pd.DataFrame:
    """Land area per unit and year (unit_id, year, land_area_ha)."""
    land = tables.areas.groupby(["unit_id", "year"], as_index=False)["area_ha"].sum()
    return land.rename(columns={"area_ha": "land_area_ha"})


def budget_table(
    wide: pd.DataFrame,
    tables: StudyTables,
    land: pd.DataFrame,
    gdp: pd.DataFrame | None,
    gdp_column: str | None,
    settings: Settings,
) -> pd.DataFrame:
    """The budget per unit and year from its fluxes by land-use type (budget_by_unit), with
    names, MFA class, land area, GDP, population and the indicators, sorted."""
    table = (
        tables.units[["unit_id", "name", "mfa_class"]]
        .merge(wide, on="unit_id", how="left")
        .merge(land, on=["unit_id", "year"])
    )
    if gdp is not None:
        table = table.merge(gdp, on=["unit_id", "year"], how="left")
    if tables.population is not None:
        population = tables.population[["unit_id", "year", "population_persons"]]
        table = table.merge(population, on=["unit_id", "year"], how="left")
    table = budget.add_indicators(table, settings.threshold, gdp_column)
    return table.sort_values(["unit_id", "year"]).reset_index(drop=True)


def modification_factor(
    frame: pd.DataFrame, table: pd.DataFrame, engel: pd.DataFrame | None, settings: Settings
) -> pd.Series | None:
    """The factor of the configured modification per row of ``table`` (None: unmodified)."""
    if settings.modification == "engel":
        if engel is None:
            raise InputError("compensation.modification 'engel' needs statistics.engel.")
        ability = engel[["unit_id", "year"]].assign(
            factor=compensation.payment_ability(
                compensation.weighted_engel(engel, "engel table")
            ).to_numpy()
        )
        keys = table[["unit_id", "year"]]
        return keys.merge(ability, on=["unit_id", "year"], how="left")["factor"]
    if settings.modification == "gdp_per_capita":
        return compensation.gdp_per_capita_ratio(frame)
    if settings.modification == "ecc_esc":
        return compensation.ecc_esc_factor(table["delta_c_tC"], frame["ecc"], frame["esc"])
    return None


def run_compensation(
    budget_table: pd.DataFrame,
    engel: pd.DataFrame | None,
    price_per_tC: float,
    settings: Settings,
) -> pd.DataFrame:
    """Compensation per unit and year: ΔC and value, the modified value if configured, the
    priority score and the zone (of the value the figures draw)."""
    frame = budget_table.reset_index(drop=True)
    weight = compensation.BENCHMARK_COLUMNS[settings.benchmark]
    table = compensation.compensate(frame, weight, price_per_tC)
    factor = modification_factor(frame, table, engel, settings)
    if factor is not None:
        table = compensation.modify(table, factor, settings.rebalance)
    value = compensation_value_column(table)
    table["priority_score"] = compensation.priority_score(table[value], frame["gdp_10k_yuan"])
    table["zone"] = zoning.zone(table, value, zoning_of(settings))
    return table.assign(mfa_class=frame["mfa_class"].to_numpy())


def zoning_of(settings: Settings) -> zoning.Zoning:
    """The zoning scheme and parameters of ``settings``."""
    return zoning.Zoning(
        settings.zoning,
        settings.zoning_tolerance,
        settings.fair_share_band,
        settings.band_sd_fraction,
    )


def run_all(
    tables: StudyTables, params: Parameters, settings: Settings, class_order: list[str]
) -> dict[str, pd.DataFrame]:
    """Budget, compensation and MFA summary in one call (used by the sensitivity analysis)."""
    budget_table, _ = run_budget(tables, params, settings)
    comp = run_compensation(budget_table, tables.engel, params.price_per_tC, settings)
    summary = mfa.summarise_by_mfa(mfa.join_compensation(budget_table, comp), class_order)
    return {"budget": budget_table, "compensation": comp, "mfa": summary}
