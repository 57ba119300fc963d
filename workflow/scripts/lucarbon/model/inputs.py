"""Read a study's tables and parameters from the paths a rule receives (once per job)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import pandas as pd

from lucarbon.core.io import InputError
from lucarbon.model import agriculture, allocation, budget
from lucarbon.model.compensation import price_per_tC
from lucarbon.model.run import Parameters, Settings, StudyTables, construction_available, zoning_of
from lucarbon.model.statistics import read_statistics
from lucarbon.raster.landuse import read_landuse_types
from lucarbon.units.table import read_units_table

# Tables that statistics files name things from (fuel, crop and unit aliases), by rule input.
NAME_TABLES = {
    "physical_units": budget.read_physical_units,
    "fuels": budget.read_fuels,
    "crops": budget.read_crops,
}


def name_tables(paths: Mapping) -> dict[str, tuple[pd.DataFrame, str]]:
    """The name tables among ``paths`` (rule inputs or config paths), read, with their paths."""
    return {
        key: (read(paths[key]), str(paths[key]))
        for key, read in NAME_TABLES.items()
        if paths.get(key)
    }


def load_tables(paths: Mapping, statistics: Mapping) -> StudyTables:
    """Study tables from rule inputs named areas, units, mfa_classes, types, physical_units,
    fuels, crops, and the statistics config (its files are read as configured and must cover
    the study's units and years)."""
    areas = pd.read_csv(paths["areas"], dtype={"unit_id": str})
    units = read_units_table(paths["units"], paths["mfa_classes"])
    stats = read_statistics(
        statistics,
        name_tables(paths),
        years=sorted(areas["year"].unique()),
        unit_ids=units["unit_id"].tolist(),
    )
    return StudyTables(
        areas=areas,
        units=units,
        landuse=read_landuse_types(paths["types"])["landuse"].tolist(),
        physical_units=budget.read_physical_units(paths["physical_units"]),
        unit_cities=(
            allocation.read_unit_cities(paths["unit_cities"]) if paths.get("unit_cities") else None
        ),
        deflator_base_year=statistics.get("deflator_base_year"),
        **stats,
    )


def override_rows(
    table: pd.DataFrame, key: str, overrides: Mapping[str, Mapping[str, float]], config_key: str
) -> pd.DataFrame:
    """Replace single values of a parameter table: {row key: {column: value}}, each within
    the column's valid range (budget.PARAMETER_RANGES)."""
    table = table.copy()
    for name, values in overrides.items():
        if name not in set(table[key]):
            raise InputError(f"config key {config_key}: unknown {key} {name!r}.")
        for column, value in values.items():
            if column not in table or column in (key, *budget.DESCRIPTIVE_COLUMNS):
                raise InputError(f"config key {config_key}.{name}: no numeric column {column!r}.")
            budget.check_parameter(column, float(value), f"config key {config_key}.{name}.{column}")
            table.loc[table[key] == name, column] = float(value)
    return table


def load_parameters(paths: Mapping, coefficients: Mapping, price: str) -> Parameters:
    """The chosen coefficient set with the config's overrides, fuel and crop factors, price."""
    return Parameters(
        coefficients=budget.direct_coefficients(
            paths["coefficients"],
            coefficients["set"],
            coefficients.get("overrides"),
            read_landuse_types(paths["types"])["landuse"],
        ),
        fuels=override_rows(
            budget.read_fuels(paths["fuels"]),
            "fuel",
            coefficients.get("fuel_overrides", {}),
            "coefficients.fuel_overrides",
        ),
        crops=override_rows(
            budget.read_crops(paths["crops"]),
            "crop",
            coefficients.get("crop_overrides", {}),
            "coefficients.crop_overrides",
        ),
        price_per_tC=price_per_tC(paths["prices"], price) if paths.get("prices") else float("nan"),
        secondary=(
            budget.read_secondary_factors(
                paths["electricity_heat"], budget.read_physical_units(paths["physical_units"])
            )
            if paths.get("electricity_heat")
            else None
        ),
        input_coefficients=(
            agriculture.read_input_coefficients(paths["input_coefficients"])
            if paths.get("input_coefficients")
            else None
        ),
    )


def load_settings(
    construction: Mapping | None = None,
    budget_config: Mapping | None = None,
    compensation: Mapping | None = None,
    arable: Mapping | None = None,
) -> Settings:
    """Model settings from the config sections a rule receives (defaults for the others, so a
    rule's params hold only what it depends on)."""
    construction, budget_config = construction or {}, budget_config or {}
    compensation, default = compensation or {}, Settings()
    city = construction.get("city") or {}
    factors = construction.get("electricity_heat") or {}
    zoning = compensation.get("zoning", {})
    return Settings(
        construction_mode=construction.get("mode", default.construction_mode),
        proxy=construction.get("proxy", default.proxy),
        city_proxy=city.get("proxy", default.city_proxy),
        unit_cities=city.get("unit_cities", default.unit_cities),
        energy=construction.get("energy", default.energy),
        electricity_region=factors.get("electricity_region", default.electricity_region),
        heat_region=factors.get("heat_region", default.heat_region),
        arable_mode=(arable or {}).get("mode", default.arable_mode),
        threshold=budget_config.get("ecc_esc_threshold", default.threshold),
        benchmark=compensation.get("benchmark", default.benchmark),
        modification=compensation.get("modification", default.modification),
        rebalance=compensation.get("rebalance", default.rebalance),
        zoning=zoning.get("scheme", default.zoning),
        zoning_tolerance=zoning.get("tolerance", default.zoning_tolerance),
        fair_share_band=zoning.get("fair_share_band", default.fair_share_band),
        band_sd_fraction=zoning.get("sd_fraction", default.band_sd_fraction),
    )


def budget_provenance(settings: Settings, params: Parameters, tables: StudyTables) -> dict:
    """What produced the budget table: model choices and coefficients, written beside it."""
    return {
        "construction_mode": settings.construction_mode,
        "construction_proxy": settings.proxy if settings.construction_mode == "energy" else None,
        "construction_city_level": (
            {"proxy": settings.city_proxy, "unit_cities": settings.unit_cities}
            if settings.construction_mode == "energy" and settings.city_proxy
            else None
        ),
        "construction_energy_statistic": (
            settings.energy if settings.construction_mode == "energy" else None
        ),
        "construction_emissions": (
            "computed"
            if construction_available(tables, settings)
            else "not computed: the table its mode needs is not configured (see statistics)"
        ),
        "direct_area_coefficients_tC_per_ha_yr": params.coefficients,
        "arable_emissions": (
            "agricultural inputs × coefficients"
            if settings.arable_mode == "agricultural_inputs"
            else "arable area × the set's arable coefficient"
        ),
        "arable_crop_absorption": (
            "computed from crop yields"
            if tables.crop_yield is not None
            else "zero: no crop yield table (config key statistics.crop_yield)"
        ),
        "gdp_for_intensity": (
            f"constant prices of {tables.deflator_base_year}"
            if tables.gdp_deflator is not None
            else "current prices (no deflator configured)"
        ),
        "ecc_esc_threshold": settings.threshold,
    }


def compensation_provenance(settings: Settings, price_name: str, price: float) -> dict:
    """What produced the compensation table, written beside it."""
    return {
        "benchmark": settings.benchmark,
        "carbon_price": price_name,
        "carbon_price_per_tC": price,
        "modification": settings.modification,
        "rebalance": settings.rebalance,
        "zoning": dataclasses.asdict(zoning_of(settings)),
    }
