"""Cross-checks of a validated config against its input tables, run before any job.

The JSON schema catches misspelt keys and wrong types; these checks catch what a schema
cannot: missing files, years or units absent from tables, unknown codes, classes and names.
Each failure names the file (or config key) and the bad value.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import pyogrio

from . import budget, compensation, inputs, landuse, sensitivity, statistics, units
from .acquire import read_registry, registry_entry
from .io import InputError, read_table


class ConfigError(InputError):
    """The config (or a table it names) is inconsistent; raised before any job runs."""


def configured_paths(config: dict) -> dict[str, str]:
    """Every file path in the config, keyed by its dotted config key."""
    paths = {
        "registry": config["registry"],
        "landcover.reclass_table": config["landcover"]["reclass_table"],
        "landuse_types": config["landuse_types"],
        "units.table": config["units"]["table"],
        "units.mfa_classes": config["units"]["mfa_classes"],
        "compensation.prices": config["compensation"]["prices"],
        "sensitivity.ranges": config["sensitivity"]["ranges"],
    }
    for key in ("direct_area", "fuels", "physical_units", "crops"):
        paths[f"coefficients.{key}"] = config["coefficients"][key]
    for key, value in config["statistics"].items():
        if isinstance(value, str):
            paths[f"statistics.{key}"] = value
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
    unit_table = units.read_units_table(
        config["units"]["table"], config["units"]["mfa_classes"], config["units"]["mfa_column"]
    )
    unit_ids = unit_table["unit_id"].tolist()
    _check_registry(config, years, unit_ids)
    types = landuse.read_landuse_types(config["landuse_types"])
    reclass_path = config["landcover"]["reclass_table"]
    reclass = read_table(reclass_path, ("code", "class_name", "landuse", "source"))
    landuse.build_lookup(reclass, types, reclass_path)
    tables = _check_statistics(config, years, unit_ids)
    _check_model_choices(config, tables)


def _check_registry(config: dict, years: list[int], unit_ids: list[str]) -> None:
    path = config["registry"]
    registry = read_registry(path)
    for year in years:
        registry_entry(registry, path, config["landcover"]["dataset"], year)
    boundaries = config["boundaries"]
    dissolve = None
    if boundaries["dissolve_table"]:
        dissolve = units.read_dissolve_table(boundaries["dissolve_table"])
        unknown = sorted(set(dissolve.values()) - set(unit_ids))
        if unknown:
            raise ConfigError(
                f"{boundaries['dissolve_table']}: unit_id(s) {unknown} are not in "
                f"{config['units']['table']}."
            )
    if boundaries["source"] == "cnmaps" and not boundaries["province"]:
        raise ConfigError("key boundaries.province: required with source 'cnmaps'.")
    if boundaries["source"] != "registry":
        return
    entry = registry_entry(registry, path, boundaries["dataset"])
    if urlparse(entry["url"]).scheme == "file" and not boundaries["layer"]:
        local = Path(unquote(urlparse(entry["url"]).path))
        _check_boundary_ids(local, config, unit_ids, dissolve)


def _check_boundary_ids(
    path: Path, config: dict, unit_ids: list[str], dissolve: dict[str, str] | None
) -> None:
    id_column = config["boundaries"]["id_column"]
    fields = pyogrio.read_info(path)["fields"].tolist()
    if id_column not in fields:
        raise ConfigError(
            f"key boundaries.id_column: {id_column!r} is not a column of {path} ({fields})."
        )
    ids = set(pyogrio.read_dataframe(path, columns=[id_column], read_geometry=False)[id_column])
    ids = {str(i) for i in ids}
    if dissolve is not None:
        unmapped = sorted(ids - set(dissolve))
        if unmapped:
            raise ConfigError(
                f"{path}: polygon id(s) {unmapped} are not in the dissolve table "
                f"{config['boundaries']['dissolve_table']}."
            )
        ids = {dissolve[i] for i in ids}
    missing, extra = sorted(set(unit_ids) - ids), sorted(ids - set(unit_ids))
    if missing or extra:
        raise ConfigError(
            f"{path} and {config['units']['table']} disagree: units without a polygon {missing}; "
            f"polygons without a row in the unit table (and so without an MFA class) {extra}."
        )


def _check_statistics(config: dict, years: list[int], unit_ids: list[str]) -> dict:
    tables = {}
    for kind, path in config["statistics"].items():
        if kind in statistics.STATISTICS and path:
            tables[kind] = statistics.read_statistic(kind, path)
            statistics.check_coverage(tables[kind], kind, path, years, unit_ids)
    if "gdp_deflator" in tables and "gdp" in tables:
        if config["statistics"].get("deflator_base_year") is None:
            raise ConfigError("key statistics.deflator_base_year: required with gdp_deflator.")
        budget.constant_price_gdp(
            tables["gdp"],
            tables["gdp_deflator"],
            config["statistics"]["deflator_base_year"],
            config["statistics"]["gdp_deflator"],
        )
    return tables


def skipped_parts(config: dict) -> dict[str, str]:
    """What is left out because a statistics table is not configured, and why.

    Keys that are rule names (``compensation``, ``sensitivity``) are whole outputs the
    workflow does not produce; the others are parts of outputs (columns, components).
    """
    have = {kind for kind, path in config["statistics"].items() if path}
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
    if "energy" in tables:
        budget.energy_emissions(
            tables["energy"],
            params.fuels,
            budget.read_physical_units(coef["physical_units"]),
            config["statistics"]["energy"],
        )
    if "crop_yield" in tables:
        budget.crop_absorption(
            tables["crop_yield"], params.crops, config["statistics"]["crop_yield"]
        )
    if "engel" in tables:
        compensation.weighted_engel(tables["engel"], config["statistics"]["engel"])
    sensitivity.read_ranges(config["sensitivity"]["ranges"], params)
