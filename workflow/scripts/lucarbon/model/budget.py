"""Carbon budget per unit and year: direct area coefficients, energy-based construction-land
emissions allocated to units, crop absorption on arable land, and the budget indicators."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from lucarbon.core.aliases import canonical_names
from lucarbon.core.conversions import CO2_PER_C, KG_PER_T
from lucarbon.core.io import InputError, check_numeric, parse_numbers, read_table, rows_named

FLUX_KEYS = ["unit_id", "year", "landuse", "component"]
# Secondary energy: its CO2 is counted where it is produced unless final consumption is used.
SECONDARY = ("electricity", "heat")
SECONDARY_BASE = {"electricity": "kWh", "heat": "GJ"}  # as in fuel_factors.csv
# Refinery output: counted beside crude oil, the refinery input is counted twice.
REFINED = ("gasoline", "kerosene", "diesel", "fuel_oil")
# Columns of the fuel and crop tables that describe a row and are not parameters to vary.
DESCRIPTIVE_COLUMNS = ("base_unit", "aliases", "source", "confidence")
# Valid values of the fuel and crop parameters (in their tables, overrides and sensitivity
# ranges): (low, low included, high included).
PARAMETER_RANGES = {
    "standard_coal_kgce_per_unit": (0.0, False, np.inf),
    "carbon_tC_per_tce": (0.0, False, np.inf),
    "harvest_index": (0.0, False, 1.0),
    "water_content": (0.0, True, 1.0),
    "carbon_fraction": (0.0, True, 1.0),
}
ZONES = {
    (True, True): "low_carbon_maintenance",
    (True, False): "economic_development",
    (False, True): "carbon_sink_function",
    (False, False): "high_carbon_optimisation",
}


def read_fuels(path: str | os.PathLike) -> pd.DataFrame:
    """Standard-coal and carbon factors per fuel, all positive numbers; electricity and heat
    (SECONDARY) have no carbon per tce (their CO2 comes from grid and heat factors)."""
    columns = ["standard_coal_kgce_per_unit", "carbon_tC_per_tce"]
    table = read_table(path, ["fuel", "base_unit", *columns, "source", "confidence"])
    secondary = table["fuel"].isin(SECONDARY).to_numpy()
    given = table.loc[secondary, "carbon_tC_per_tce"].astype("string").str.strip()
    if (given.notna() & (given != "")).any():
        raise InputError(
            f"{path}: column 'carbon_tC_per_tce' must be empty for {list(SECONDARY)}: their CO2 "
            "comes from the grid and heat factors (construction.electricity_heat)."
        )
    check_numeric(table, columns[:1], path)
    carbon = parse_numbers(table.loc[~secondary, columns[1]], path, columns[1])
    table[columns[1]] = carbon.reindex(table.index)  # NaN for electricity and heat
    _check_range(table, columns[:1], path, *PARAMETER_RANGES[columns[0]][:2])
    _check_range(table, columns[1:], path, *PARAMETER_RANGES[columns[1]][:2], skip=secondary)
    return table


def read_physical_units(path: str | os.PathLike) -> pd.DataFrame:
    """Physical units (e.g. 10k_t) with their factor to a base unit (kg, m3)."""
    table = read_table(path, ("unit", "base_unit", "factor_to_base", "source"))
    check_numeric(table, ["factor_to_base"], path)
    _check_range(table, ["factor_to_base"], path, low=0.0, low_inclusive=False)
    return table


def read_crops(path: str | os.PathLike) -> pd.DataFrame:
    """Crop parameters: harvest index in (0, 1], water content and carbon fraction in [0, 1)."""
    table = read_table(
        path,
        ("crop", "harvest_index", "water_content", "carbon_fraction", "source", "confidence"),
    )
    check_numeric(table, ["harvest_index", "water_content", "carbon_fraction"], path)
    for column in ("harvest_index", "water_content", "carbon_fraction"):
        low, low_inclusive, high = PARAMETER_RANGES[column]
        _check_range(table, [column], path, low, low_inclusive, high)
    return table


def _check_range(
    table: pd.DataFrame,
    columns: list[str],
    path: str | os.PathLike,
    low: float,
    low_inclusive: bool = True,
    high: float = np.inf,
    skip: np.ndarray | None = None,
) -> None:
    for column in columns:
        values = table[column]
        bad = ~((values >= low) if low_inclusive else (values > low)) | (values > high)
        if skip is not None:  # rows not checked
            bad &= ~skip
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            bracket = "[" if low_inclusive else "("
            raise InputError(
                f"{path}: row {row + 2}, column '{column}': {values.iloc[row]} is outside "
                f"{bracket}{low}, {high}]."
            )


def check_parameter(column: str, value: float, where: str) -> None:
    """A fuel or crop parameter given in the config (an override, a sensitivity bound) must
    lie in PARAMETER_RANGES; the error names ``where`` (the config key or file and row)."""
    low, low_inclusive, high = PARAMETER_RANGES.get(column, (-np.inf, True, np.inf))
    if (value < low if low_inclusive else value <= low) or value > high:
        bracket = "[" if low_inclusive else "("
        raise InputError(f"{where}: {value:g} is outside {bracket}{low:g}, {high:g}].")


def coefficient_signs(table: pd.DataFrame, path: str | os.PathLike) -> dict[str, float]:
    """The role of each land-use type in the coefficient table, as a sign: +1 a carbon source,
    −1 a sink (0 neither), the same in every set (an error naming both rows if not)."""
    signs = {}
    for landuse, rows in table.groupby("landuse", sort=False):
        nonzero = rows[rows["coefficient_tC_per_ha_yr"] != 0]
        sign = np.sign(nonzero["coefficient_tC_per_ha_yr"])
        if sign.nunique() > 1:
            a, b = nonzero.index[sign == 1][0], nonzero.index[sign == -1][0]
            raise InputError(
                f"{path}: rows {a + 2} and {b + 2}: {landuse} is a carbon source in set "
                f"{table.at[a, 'set']!r} and a sink in set {table.at[b, 'set']!r}; a type's "
                "coefficients have one sign (+ emission, − absorption) in every set."
            )
        signs[landuse] = float(sign.iloc[0]) if len(sign) else 0.0
    return signs


def direct_coefficients(
    path: str | os.PathLike,
    set_name: str,
    overrides: Mapping[str, float] | None = None,
    landuse_types: Iterable[str] | None = None,
) -> dict[str, float]:
    """Area coefficients (t C/ha/yr, + source, − sink) of one named set, with overrides for
    any of ``landuse_types`` (default: the types the table mentions); an override must keep
    the sign the type has in the table (coefficient_signs)."""
    table = read_table(path, ("set", "landuse", "coefficient_tC_per_ha_yr", "source", "confidence"))
    check_numeric(table, ["coefficient_tC_per_ha_yr"], path)
    chosen = rows_named(table, "set", set_name, path, "coefficients.set")
    coefficients = dict(zip(chosen["landuse"], chosen["coefficient_tC_per_ha_yr"], strict=True))
    known = set(table["landuse"] if landuse_types is None else landuse_types)
    unknown = sorted(set(overrides or {}) - known)
    if unknown:
        raise InputError(
            f"config key coefficients.overrides: unknown land-use type(s) {unknown}; "
            f"known: {sorted(known)}."
        )
    signs = coefficient_signs(table, path)
    for landuse, value in (overrides or {}).items():
        check_coefficient_sign(
            landuse, value, signs, path, f"config key coefficients.overrides.{landuse}"
        )
    return coefficients | dict(overrides or {})


def check_coefficient_sign(
    landuse: str, value: float, signs: Mapping[str, float], path: str | os.PathLike, where: str
) -> None:
    """A coefficient given in the config must have the sign of the type's role in the table
    (``signs``, see coefficient_signs); zero is allowed, and so is any sign for a type the
    table does not list."""
    sign = signs.get(landuse, 0.0)
    if value * sign < 0:
        role, wanted = ("carbon sink", "negative") if sign < 0 else ("carbon source", "positive")
        raise InputError(
            f"{where}: {value:g} has the wrong sign: {landuse} is a {role} in {path} (t C/ha/yr, "
            f"+ emission, − absorption); give a {wanted} value or 0."
        )


def direct_fluxes(areas: pd.DataFrame, coefficients: Mapping[str, float]) -> pd.DataFrame:
    """Flux (t C, + emission) = area × coefficient for every type that has a coefficient."""
    rows = areas[areas["landuse"].isin(list(coefficients))]
    return rows.assign(
        component="area_coefficient",
        flux_tC=rows["area_ha"] * rows["landuse"].map(coefficients),
    )[[*FLUX_KEYS, "flux_tC"]]


def energy_emissions(
    energy: pd.DataFrame,
    fuels: pd.DataFrame,
    physical_units: pd.DataFrame,
    energy_path: str | os.PathLike = "energy table",
    secondary: pd.DataFrame | None = None,
    by: tuple[str, ...] = ("year",),
    amount: str = "amount",
) -> pd.Series:
    """Construction-land emissions (t C) per ``by``: Σ_fuel amount × s × c, plus, with
    ``secondary`` (fuel, year, tC_per_base_unit), electricity and heat × their factors;
    without it electricity and heat rows are refused (total consumption counts the fuels
    burnt for them already)."""
    rows = energy_rows(energy, fuels, physical_units, energy_path, secondary, amount)
    return rows.groupby(list(by))["emission_tC"].sum()


def fuel_emission_tC(base, standard_coal_kgce, carbon_tC_per_tce):
    """t C of amounts in the fuel's base unit (kg, m³): base × kgce per unit / 1000 × t C per
    tce (numbers or arrays: the sensitivity analysis evaluates many factor sets at once)."""
    return base * standard_coal_kgce / KG_PER_T * carbon_tC_per_tce


def energy_rows(
    energy: pd.DataFrame,
    fuels: pd.DataFrame,
    physical_units: pd.DataFrame,
    energy_path: str | os.PathLike,
    secondary: pd.DataFrame | None,
    amount: str,
) -> pd.DataFrame:
    """The rows of an energy table with canonical fuel and unit names, the fuel's factors,
    the amount in the fuel's base unit (``base_amount``), whether it is electricity or heat
    (``is_secondary``) and its emission (``emission_tC``); see energy_emissions."""
    check_numeric(energy, [amount], energy_path)
    names = {
        key: canonical_names(energy[key], table, key, f"the {key} table", f"{energy_path}: "
                             f"row {{row}}, column '{key}'")
        for key, table in (("fuel", fuels), ("unit", physical_units))
    }  # fmt: skip
    merged = (
        energy.assign(**names)
        .merge(fuels, on="fuel", how="left")
        .merge(physical_units, on="unit", how="left", suffixes=("", "_of_unit"))
    )
    mismatch = merged["base_unit"] != merged["base_unit_of_unit"]
    if mismatch.any():
        row = int(mismatch.to_numpy().nonzero()[0][0])
        raise InputError(
            f"{energy_path}: row {row + 2}, column 'unit': {merged['unit'].iloc[row]!r} measures "
            f"{merged['base_unit_of_unit'].iloc[row]} but fuel {merged['fuel'].iloc[row]!r} is "
            f"measured in {merged['base_unit'].iloc[row]}."
        )
    base = merged[amount] * merged["factor_to_base"]
    merged["emission_tC"] = fuel_emission_tC(
        base, merged["standard_coal_kgce_per_unit"], merged["carbon_tC_per_tce"]
    )
    is_secondary = merged["fuel"].isin(SECONDARY)
    if is_secondary.any():
        if secondary is None:
            row = int(is_secondary.to_numpy().nonzero()[0][0])
            raise InputError(
                f"{energy_path}: row {row + 2}, column 'fuel': {merged['fuel'].iloc[row]!r} is "
                "counted only with construction.energy final_plus_electricity_heat (final "
                "consumption plus electricity and heat); the balance's total consumption "
                "(construction.energy total) already holds the fuels burnt for it: remove the "
                "row or change construction.energy."
            )
        factors = merged[["fuel", "year"]].merge(secondary, on=["fuel", "year"], how="left")
        secondary_tc = base * factors["tC_per_base_unit"].to_numpy()
        merged["emission_tC"] = merged["emission_tC"].where(~is_secondary, secondary_tc)
    return merged.assign(base_amount=base, is_secondary=is_secondary)


def secondary_factors(
    table: pd.DataFrame,
    physical_units: pd.DataFrame,
    years: Iterable[int],
    regions: Mapping[str, str],
    path: str | os.PathLike,
) -> pd.DataFrame:
    """t C per base unit (kWh, GJ) of electricity and heat for each year: the factor of the
    carrier's region (``regions``) from the nearest year listed (ties: the earlier)."""
    units = physical_units.set_index("unit")
    rows = []
    for carrier, region in regions.items():
        listed = table[(table["carrier"] == carrier) & (table["region"] == region)]
        if listed.empty:
            known = sorted(table.loc[table["carrier"] == carrier, "region"].unique())
            raise InputError(
                f"{path}: no {carrier} factor for region {region!r} (config key "
                f"construction.electricity_heat.{carrier}_region); regions listed: {known}."
            )
        for year in years:
            distance = (listed["year"] - year).abs()
            best = listed[distance == distance.min()].sort_values("year").iloc[0]
            per = units.loc[best["per"], "factor_to_base"]
            tc = best["factor_tCO2"] / per / CO2_PER_C
            rows.append((carrier, year, tc, int(best["year"])))
    return pd.DataFrame(rows, columns=["fuel", "year", "tC_per_base_unit", "factor_year"])


def read_secondary_factors(path: str | os.PathLike, physical_units: pd.DataFrame) -> pd.DataFrame:
    """Grid and heat factors: carrier (electricity, heat), region, year, factor_tCO2 per
    ``per`` (a unit of physical_units measuring the carrier's base unit, e.g. MWh, GJ)."""
    table = read_table(
        path, ("carrier", "region", "year", "factor_tCO2", "per", "source", "confidence")
    )
    check_numeric(table, ["year", "factor_tCO2"], path)
    _check_range(table, ["factor_tCO2"], path, low=0.0, low_inclusive=False)
    unknown = sorted(set(table["carrier"]) - set(SECONDARY))
    if unknown:
        raise InputError(f"{path}: column 'carrier': unknown {unknown}; use {list(SECONDARY)}.")
    base = physical_units.set_index("unit")["base_unit"]
    missing = sorted(set(table["per"]) - set(base.index))
    if missing:
        raise InputError(f"{path}: column 'per': unit(s) {missing} not in the physical units.")
    wrong = table["per"].map(base) != table["carrier"].map(SECONDARY_BASE)
    if wrong.any():
        row = int(wrong.to_numpy().nonzero()[0][0])
        carrier = table["carrier"].iloc[row]
        raise InputError(
            f"{path}: row {row + 2}, column 'per': {table['per'].iloc[row]!r} does not measure "
            f"{carrier} (a unit of {SECONDARY_BASE[carrier]}, e.g. MWh or GJ)."
        )
    return table


def double_counted_oil(energy: pd.DataFrame, where: str | os.PathLike) -> str | None:
    """A warning when some year counts crude oil beside refined products (both > 0): the
    refinery input would be counted twice. None when no year does."""
    used = energy[energy["amount"] > 0]
    years = [
        int(year)
        for year, rows in used.groupby("year")
        if "crude_oil" in set(rows["fuel"]) and set(REFINED) & set(rows["fuel"])
    ]
    if not years:
        return None
    return (
        f"{where}: crude oil (crude_oil) is counted beside refined products {list(REFINED)} in "
        f"{years}: the oil refined in the area is counted twice (as crude oil and as its "
        "products). Keep crude oil only if it is burnt as a fuel, or list only the products."
    )


def crop_absorption(
    yields: pd.DataFrame, crops: pd.DataFrame, yields_path: str | os.PathLike = "crop table"
) -> pd.DataFrame:
    """Absorption (t C) per unit and year: Σ_crop c × Y × (1 − w) / h."""
    rows = crop_rows(yields, crops, yields_path)
    return rows.groupby(["unit_id", "year"], as_index=False)["absorption_tC"].sum()


def crop_absorption_tC(carbon_fraction, yield_t, water_content, harvest_index):
    """t C absorbed by a crop output: c × Y × (1 − w) / h (numbers or arrays)."""
    return carbon_fraction * yield_t * (1 - water_content) / harvest_index


def crop_rows(
    yields: pd.DataFrame, crops: pd.DataFrame, yields_path: str | os.PathLike
) -> pd.DataFrame:
    """The crop yield rows with their crop's parameters and absorption (``absorption_tC``)."""
    check_numeric(yields, ["yield_t"], yields_path)
    merged = yields.merge(crops, on="crop", how="left")
    unknown = merged["harvest_index"].isna()
    if unknown.any():
        row = int(unknown.to_numpy().nonzero()[0][0])
        raise InputError(
            f"{yields_path}: row {row + 2}, column 'crop': unknown crop "
            f"{merged['crop'].iloc[row]!r}; known: {sorted(crops['crop'])}."
        )
    merged["absorption_tC"] = crop_absorption_tC(
        merged["carbon_fraction"],
        merged["yield_t"],
        merged["water_content"],
        merged["harvest_index"],
    )
    return merged


def flux_components(fluxes: pd.DataFrame) -> pd.DataFrame:
    """Emission and absorption (both ≥ 0, t C) from signed fluxes, one row per component."""
    out = fluxes[FLUX_KEYS].copy()
    # "+ 0.0" turns the -0.0 of clipped zeros into 0.0 so tables never print "-0".
    out["emission_tC"] = fluxes["flux_tC"].clip(lower=0) + 0.0
    out["absorption_tC"] = (-fluxes["flux_tC"]).clip(lower=0) + 0.0
    return out.sort_values(FLUX_KEYS).reset_index(drop=True)


def budget_by_unit(components: pd.DataFrame, landuse: list[str]) -> pd.DataFrame:
    """Wide budget per unit and year: emission/absorption per land-use type and totals."""
    sums = components.groupby(["unit_id", "year", "landuse"])[["emission_tC", "absorption_tC"]]
    columns = pd.MultiIndex.from_product([["emission_tC", "absorption_tC"], landuse])
    wide = sums.sum().unstack("landuse").reindex(columns=columns).fillna(0.0)
    wide.columns = [f"{flux.removesuffix('_tC')}_{kind}_tC" for flux, kind in wide.columns]
    return add_budget_totals(wide, landuse).reset_index()


def add_budget_totals(wide: pd.DataFrame, landuse: list[str]) -> pd.DataFrame:
    """``wide`` (emission_<type>_tC and absorption_<type>_tC for every land-use type) with
    the totals emission_tC and absorption_tC and net_emission_tC."""
    for flux in ("emission", "absorption"):
        wide[f"{flux}_tC"] = wide[[f"{flux}_{kind}_tC" for kind in landuse]].sum(axis=1)
    wide["net_emission_tC"] = wide["emission_tC"] - wide["absorption_tC"]
    return wide


def constant_price_gdp(
    gdp: pd.DataFrame, deflator: pd.DataFrame, base_year: int, path: str | os.PathLike
) -> pd.Series:
    """GDP at constant prices of ``base_year``: current × index(base year) / index(year)."""
    index = deflator.set_index("year")["gdp_deflator_index"]
    missing = sorted(set(gdp["year"]) - set(index.index) | ({base_year} - set(index.index)))
    if missing:
        raise InputError(f"{path}: no 'gdp_deflator_index' for year(s) {missing}.")
    return gdp["gdp_10k_yuan"] * index[base_year] / gdp["year"].map(index)


def add_indicators(
    budget: pd.DataFrame, threshold: float = 1.0, gdp_column: str = "gdp_10k_yuan"
) -> pd.DataFrame:
    """Compensation rate, intensities, ECC, ESC and the four-way ECC/ESC zone.

    Expects columns emission_tC, absorption_tC, land_area_ha and optionally ``gdp_column`` (the
    GDP for intensities: constant prices when a deflator was given) and population_persons;
    what needs a missing column is left out. ECC/ESC compare each unit with the study-area
    total of its year.
    """
    out = budget.copy()
    emission, absorption = out["emission_tC"], out["absorption_tC"]
    by_year = out.groupby("year")
    emission_share = emission / by_year["emission_tC"].transform("sum")
    out["compensation_rate"] = absorption / emission.replace(0, np.nan)
    out["emission_intensity_area_tC_per_ha"] = emission / out["land_area_ha"]
    if "population_persons" in out:
        out["emission_per_capita_tC_per_person"] = emission / out["population_persons"]
    out["esc"] = (absorption / by_year["absorption_tC"].transform("sum")) / emission_share
    if gdp_column not in out:
        return out
    gdp = out[gdp_column]
    out["emission_intensity_gdp_tC_per_10k_yuan"] = emission / gdp
    out["ecc"] = (gdp / by_year[gdp_column].transform("sum")) / emission_share
    out["ecc_esc_zone"] = [
        ZONES[(ecc >= threshold, esc >= threshold)]
        for ecc, esc in zip(out["ecc"], out["esc"], strict=True)
    ]
    return out
