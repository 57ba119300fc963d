"""Cross-checks of a validated config against its input tables, run before any job.

The JSON schema catches misspelt keys and wrong types; these checks catch what a schema
cannot: missing files, years or units absent from tables, unknown codes, classes and names.
Each failure names the file (or config key) and the bad value.
"""

from __future__ import annotations

from pathlib import Path

from . import budget, inputs, landuse, rastercheck, sensitivity, statistics, units
from .acquire import read_registry, registry_entry
from .io import InputError


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
    }
    optional = {
        "units.table": config["units"]["table"],
        "boundaries.dissolve_table": config["boundaries"]["dissolve_table"],
    }
    paths |= {key: value for key, value in optional.items() if value}
    for key in ("direct_area", "fuels", "physical_units", "crops"):
        paths[f"coefficients.{key}"] = config["coefficients"][key]
    for _, spec in statistics.configured_tables(config["statistics"]):
        paths[spec.key] = spec.path
    return paths


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
    _check_model_choices(config, tables)


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
    needed = {"energy": ["energy"], "county_table": ["county_emissions"], "coefficient": []}[mode]
    if mode == "energy" and config["construction"]["proxy"] in ("gdp", "population"):
        needed.append(config["construction"]["proxy"])
    missing = [kind for kind in needed if kind not in have]
    if missing:
        skipped["construction-land emissions"] = (
            f"construction.mode {mode!r} needs statistics.{', statistics.'.join(missing)}: "
            "the budget has no construction-land emissions"
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


def _check_model_choices(config: dict, tables: dict) -> None:
    coef, comp = config["coefficients"], config["compensation"]
    paths = {
        "coefficients": coef["direct_area"],
        "fuels": coef["fuels"],
        "crops": coef["crops"],
        "prices": comp["prices"],
        "types": config["landuse_types"],
    }
    params = inputs.load_parameters(paths, coef, comp["price"])
    mode = config["construction"]["mode"]
    if mode == "coefficient" and "construction" not in params.coefficients:
        raise ConfigError(
            f"key construction.mode: 'coefficient' needs a 'construction' row in set "
            f"{coef['set']!r} of {coef['direct_area']} (or in coefficients.overrides)."
        )
    stats = config["statistics"]
    if "energy" in tables:
        budget.energy_emissions(
            tables["energy"],
            params.fuels,
            budget.read_physical_units(coef["physical_units"]),
            statistics.table_spec(stats["energy"], "statistics.energy").path,
        )
    if "crop_yield" in tables:
        path = statistics.table_spec(stats["crop_yield"], "statistics.crop_yield").path
        budget.crop_absorption(tables["crop_yield"], params.crops, path)
    sensitivity.read_ranges(config["sensitivity"]["ranges"], params)
