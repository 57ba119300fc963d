"""Cross-checks of a validated config against its input tables, run before any job.

The JSON schema catches misspelt keys and wrong types; these checks catch what a schema
cannot: missing files, years or units absent from tables, unknown codes, classes and names.
Each failure names the file (or config key) and the bad value.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from lucarbon.acquire.datasets import read_registry, registry_entry
from lucarbon.core.io import InputError
from lucarbon.core.logs import warn_user
from lucarbon.model import allocation, budget, inputs, sensitivity, statistics
from lucarbon.raster import checks as rastercheck
from lucarbon.raster import landuse
from lucarbon.units import table as units

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())  # warnings reach the user through warn_user (stderr)
# Statistics kind of each per-unit allocation proxy (construction_area comes from land cover).
PROXY_KINDS = {"gdp": "gdp", "population": "population", "industrial_energy": "industrial_energy"}
# Statistics kinds of the city-level proxies of their own (the others sum per-unit proxies).
CITY_KINDS = {
    "city_energy": ("city_energy", "city_energy_total"),
    "city_energy_intensity": ("city_energy_intensity",),
}


class ConfigError(InputError):
    """The config (or a table it names) is inconsistent; raised before any job runs."""


def configured_paths(config: dict) -> dict[str, str]:
    """Every file path in the config, keyed by its dotted config key."""
    paths = {
        "registry": config["registry"],
        "landcover.reclass_table": config["landcover"]["reclass_table"],
        "landuse_types": config["landuse_types"],
        "units.mfa_classes": config["units"]["mfa_classes"],
        "compensation.prices": config["compensation"]["prices"],
        "sensitivity.ranges": config["sensitivity"]["ranges"],
        "sensitivity.choices": config["sensitivity"]["choices"],
        "analysis.strategy_labels": config["analysis"]["strategy_labels"],
    }
    optional = {
        "units.table": config["units"]["table"],
        "boundaries.dissolve_table": config["boundaries"]["dissolve_table"],
    }
    paths |= {key: value for key, value in optional.items() if value}
    for key in ("direct_area", "fuels", "physical_units", "crops"):
        paths[f"coefficients.{key}"] = config["coefficients"][key]
    construction, city = config["construction"], unit_cities_source(config)
    paths["construction.electricity_heat.factors"] = construction["electricity_heat"]["factors"]
    paths["arable.input_coefficients"] = config["arable"]["input_coefficients"]
    if city not in (None, allocation.ADCODE):
        paths["construction.city.unit_cities"] = city
    for _, spec in statistics.configured_tables(config["statistics"]):
        paths[spec.key] = spec.path
    return paths


def unit_cities_source(config: dict) -> str | None:
    """construction.city.unit_cities (adcode when absent), None without a city level."""
    city = config["construction"].get("city")
    return city.get("unit_cities", allocation.ADCODE) if city else None


def check_config(config: dict, config_files: list[str]) -> None:
    """Run every cross-check; raise ConfigError naming the config file(s) on the first failure."""
    try:
        _check(config)
    except InputError as err:
        raise ConfigError(f"config {', '.join(map(str, config_files))}: {err}") from err


def _check(config: dict) -> None:
    for key, path in configured_paths(config).items():
        if not Path(path).is_file():
            raise ConfigError(f"key {key}: file {path!r} not found.")
    years = config["years"]
    if years != sorted(years):
        raise ConfigError(f"key years: {years} must be in ascending order.")
    _check_registry(config, years)
    # None when the unit codes are only known in the job (attributes of a remote file).
    unit_table = units.study_units(config)
    unit_ids = None if unit_table is None else unit_table["unit_id"].tolist()
    types = landuse.read_landuse_types(config["landuse_types"])
    reclass_path = config["landcover"]["reclass_table"]
    landuse.build_lookup(landuse.read_reclass(reclass_path), types, reclass_path, "uint16")
    rastercheck.check_local_landcover(config)
    tables = _check_statistics(config, years, unit_ids)
    _check_model_choices(config, tables, unit_ids)


def _check_registry(config: dict, years: list[int]) -> None:
    path = config["registry"]
    registry = read_registry(path)
    for year in years:
        registry_entry(registry, path, config["landcover"]["dataset"], year)
    boundaries = config["boundaries"]
    if boundaries["source"] == "cnmaps" and not boundaries["province"]:
        raise ConfigError("key boundaries.province: required with source 'cnmaps'.")
    if boundaries["source"] == "registry":
        registry_entry(registry, path, boundaries["dataset"])


def _check_statistics(config: dict, years: list[int], unit_ids: list[str] | None) -> dict:
    """Every statistics file read and checked (coverage of years, and of units when they are
    known), and the canonical tables built from them."""
    coef = config["coefficients"]
    names = inputs.name_tables(
        {"physical_units": coef["physical_units"], "fuels": coef["fuels"], "crops": coef["crops"]}
    )
    read = statistics.read_statistics(config["statistics"], names, years=years, unit_ids=unit_ids)
    tables = {kind: table for kind, table in read.items() if table is not None}
    if "gdp_deflator" in tables and "gdp" in tables:
        if config["statistics"].get("deflator_base_year") is None:
            raise ConfigError("key statistics.deflator_base_year: required with gdp_deflator.")
        budget.constant_price_gdp(
            tables["gdp"],
            tables["gdp_deflator"],
            config["statistics"]["deflator_base_year"],
            statistics.table_spec(config["statistics"]["gdp_deflator"], "").path,
        )
    return tables


def skipped_parts(config: dict) -> dict[str, str]:
    """What is left out because a statistics table is not configured, and why.

    Keys that are rule names (``compensation``, ``sensitivity``) are whole outputs the
    workflow does not produce; the others are parts of outputs (columns, components).
    """
    have = statistics.provided_kinds(config["statistics"])
    comp, mode = config["compensation"], config["construction"]["mode"]
    skipped = {}
    missing = [
        " or ".join(f"statistics.{kind}" for kind in group)
        for group in construction_kinds(config["construction"])
        if not set(group) & have
    ]
    if missing:
        skipped["construction-land emissions"] = (
            f"construction.mode {mode!r} (with its proxies) needs {', '.join(missing)}: the "
            "budget has no construction-land emissions"
        )
    if config["arable"]["mode"] == "agricultural_inputs" and "agricultural_inputs" not in have:
        skipped["arable input emissions"] = (
            "arable.mode 'agricultural_inputs' needs statistics.agricultural_inputs: arable "
            "emissions are zero"
        )
    if "gdp" not in have:
        skipped["GDP indicators"] = (
            "no statistics.gdp: intensity per GDP, ECC and the ECC/ESC zone are left out"
        )
    if "crop_yield" not in have:
        skipped["arable crop absorption"] = "no statistics.crop_yield: arable absorption is zero"
    weights = {"gdp", "population"} & {comp["benchmark"]} | {"gdp"}
    if comp["modification"] == "gdp_per_capita":
        weights |= {"gdp", "population"}
    if weights - have:
        tables = ", ".join(f"statistics.{kind}" for kind in sorted(weights - have))
        skipped["compensation"] = f"compensation needs {tables}"
        skipped["sensitivity"] = "the sensitivity analysis needs the compensation inputs"
    elif comp["modification"] == "engel" and "engel" not in have:
        skipped["payment-ability modification"] = (
            "no statistics.engel: only the unmodified compensation value is given"
        )
    return skipped


def construction_kinds(construction: dict) -> list[tuple[str, ...]]:
    """Statistics kinds the construction mode and its proxies need: one of each group."""
    mode, city = construction["mode"], construction.get("city")
    if mode != "energy":
        return [("county_emissions",)] if mode == "county_table" else []
    proxies = [construction["proxy"]] + ([city["proxy"]] if city else [])
    needed = [("energy",)] + [(PROXY_KINDS[p],) for p in proxies if p in PROXY_KINDS]
    if city and city["proxy"] in CITY_KINDS:
        needed.append(CITY_KINDS[city["proxy"]])
    if city and city["proxy"] == "city_energy_intensity":
        needed.append(("gdp",))
    return needed


def _check_model_choices(config: dict, tables: dict, unit_ids: list[str] | None) -> None:
    coef, comp = config["coefficients"], config["compensation"]
    paths = {
        "coefficients": coef["direct_area"],
        "fuels": coef["fuels"],
        "crops": coef["crops"],
        "prices": comp["prices"],
        "types": config["landuse_types"],
        "physical_units": coef["physical_units"],
        "electricity_heat": config["construction"]["electricity_heat"]["factors"],
        "input_coefficients": config["arable"]["input_coefficients"],
    }
    params = inputs.load_parameters(paths, coef, comp["price"])
    mode = config["construction"]["mode"]
    if mode == "coefficient" and "construction" not in params.coefficients:
        raise ConfigError(
            f"key construction.mode: 'coefficient' needs a 'construction' row in set "
            f"{coef['set']!r} of {coef['direct_area']} (or in coefficients.overrides)."
        )
    if mode == "energy":
        _check_energy(config, tables, params, unit_ids)
    stats = config["statistics"]
    if "crop_yield" in tables:
        path = statistics.table_spec(stats["crop_yield"], "statistics.crop_yield").path
        budget.crop_absorption(tables["crop_yield"], params.crops, path)
    ranges_path = config["sensitivity"]["ranges"]
    check_range_domains(sensitivity.read_ranges(ranges_path, params), ranges_path)


def check_range_domains(ranges: pd.DataFrame, path: str) -> None:
    """Every sensitivity bound is a value its parameter may take: an area coefficient keeps
    the sign of its baseline (a sink stays a sink), a price stays positive, a fuel or crop
    parameter stays in its valid range (budget.PARAMETER_RANGES)."""
    for row, item in ranges.iterrows():
        kind, *rest = item["parameter"].split(":")
        for bound in ("low", "high"):
            where = f"{path}: row {row + 2}, column '{bound}' ({item['parameter']})"
            value = item[bound]
            if kind == "direct" and value * item["baseline"] < 0:
                raise ConfigError(
                    f"{where}: {value:g} has the sign opposite to the coefficient "
                    f"{item['baseline']:g}; a range must not turn a carbon sink into a source "
                    "or back."
                )
            if kind == "price" and value <= 0:
                raise ConfigError(f"{where}: {value:g}; a carbon price must be positive.")
            if kind in ("fuel", "crop"):
                budget.check_parameter(rest[1], value, where)


def _path(config: dict, kind: str) -> str:
    return statistics.table_spec(config["statistics"][kind], f"statistics.{kind}").path


def _check_energy(config: dict, tables: dict, params, unit_ids: list[str] | None) -> None:
    """Energy tables convertible (electricity and heat only with final consumption), crude
    oil beside refined products warned about, every unit in a city covered by the city
    tables."""
    construction, years = config["construction"], config["years"]
    physical = budget.read_physical_units(config["coefficients"]["physical_units"])
    secondary = None
    if construction["energy"] == "final_plus_electricity_heat":
        factors = construction["electricity_heat"]
        regions = {"electricity": factors["electricity_region"], "heat": factors["heat_region"]}
        secondary = budget.secondary_factors(
            params.secondary, physical, years, regions, factors["factors"]
        )
    if "energy" in tables:
        path = _path(config, "energy")
        budget.energy_emissions(tables["energy"], params.fuels, physical, path, secondary)
        if oil := budget.double_counted_oil(tables["energy"], path):
            warn_user(log, oil)
    if "city_energy" in tables:
        budget.energy_emissions(
            tables["city_energy"], params.fuels, physical, _path(config, "city_energy"),
            secondary, ("city_id", "year"), "city_amount",
        )  # fmt: skip
    city, source = construction.get("city"), unit_cities_source(config)
    if not city or unit_ids is None:
        return
    table = None if source == allocation.ADCODE else allocation.read_unit_cities(source)
    cities = allocation.unit_cities(pd.Series(unit_ids), source, table)
    if city["proxy"] == "city_energy" and {"city_energy", "city_energy_total"} <= set(tables):
        raise ConfigError(
            "key construction.city.proxy: 'city_energy' takes statistics.city_energy or "
            "statistics.city_energy_total; both are given, keep one."
        )
    for kind in CITY_KINDS.get(city["proxy"], ()):
        if kind in tables:
            allocation.check_cities_covered(tables[kind], cities, years, _path(config, kind))
