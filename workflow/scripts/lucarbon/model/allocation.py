"""Allocation of construction-land energy emissions to units, in one level (study-area
balance → units) or two, as county studies do it (balance → prefecture cities → units).

Each level splits a total in proportion to a weight (a proxy); the allocated parts of a
level always sum to the total they split, year by year.
"""

from __future__ import annotations

import os

import pandas as pd

from lucarbon.core.io import InputError, read_table

ADCODE = "adcode"


def unit_cities(units: pd.Series, source: str, table: pd.DataFrame | None = None) -> pd.Series:
    """City id of each unit id (index unit_id): from the adcode (first 4 digits + '00') or
    from a table unit_id, city_id (``source`` is its path) that must list every unit."""
    if source == ADCODE:
        bad = [u for u in units if not (len(u) == 6 and u.isdigit())]
        if bad:
            raise InputError(
                f"config key construction.city.unit_cities: 'adcode' needs 6-digit unit codes, "
                f"but units {bad[:5]} are not; give a CSV unit_id,city_id instead."
            )
        return pd.Series([u[:4] + "00" for u in units], index=list(units), name="city_id")
    missing = sorted(set(units) - set(table["unit_id"]))
    if missing:
        raise InputError(
            f"{source}: no city for unit(s) {missing[:5]}; every unit of the unit table needs "
            "a row unit_id,city_id."
        )
    return table.set_index("unit_id")["city_id"].reindex(list(units))


def read_unit_cities(path: str | os.PathLike) -> pd.DataFrame:
    """The unit → city table: unit_id, city_id as text, one row per unit."""
    table = read_table(path, ("unit_id", "city_id"), dtypes={"unit_id": str, "city_id": str})
    table["unit_id"], table["city_id"] = table["unit_id"].str.strip(), table["city_id"].str.strip()
    repeated = table.loc[table["unit_id"].duplicated(), "unit_id"].tolist()
    if repeated:
        raise InputError(f"{path}: column 'unit_id' lists unit(s) {repeated[:5]} twice.")
    return table[["unit_id", "city_id"]]


def shares(weights: pd.DataFrame, group: str, what: str) -> pd.Series:
    """Each row's share of its group's and year's weight (columns ``group``, year, weight);
    a group whose weights sum to zero (or less) cannot be split."""
    sums = weights.groupby([group, "year"])["weight"].transform("sum")
    bad = ~(sums > 0)
    if bad.any():
        row = weights[bad].iloc[0]
        raise InputError(
            f"{what}: the weights of {group} {row[group]!r} sum to {sums[bad].iloc[0]:g} in "
            f"{row['year']}; a total cannot be split by them (check the proxy's table)."
        )
    return weights["weight"] / sums


def split(totals: pd.DataFrame, weights: pd.DataFrame, group: str, key: str, what: str):
    """Split ``totals`` (``group``, year and one or more amounts, e.g. tC) among the rows of
    ``weights`` (``key``, ``group``, year, weight) by their shares within group and year.
    Returns key, year and the amounts."""
    amounts = [c for c in totals.columns if c not in (group, "year")]
    merged = weights.merge(totals, on=[group, "year"], how="left", validate="many_to_one")
    merged[amounts] = merged[amounts].fillna(0.0).mul(shares(merged, group, what), axis=0)
    return merged[[key, "year", *amounts]]


def allocate(
    totals: pd.Series | pd.DataFrame,
    unit_weights: pd.DataFrame,
    cities: pd.Series | None = None,
    city_weights: pd.DataFrame | None = None,
    what: str = "construction.proxy",
) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    """Study-area emissions per year (``totals``, t C) allocated to units (``unit_weights``:
    unit_id, year, weight), directly or, with ``cities`` (unit_id → city_id) and
    ``city_weights`` (city_id, year, weight), first to cities and then within each city.
    Returns (city_id, year, tC per city or None; unit_id, year, tC per unit). ``totals``
    may also be a table by year of several totals (one per parameter set of the sensitivity
    analysis): each column is allocated alike, under its name instead of tC."""
    amounts = totals.to_frame("tC") if isinstance(totals, pd.Series) else totals
    study = pd.DataFrame({"study": "study", "year": amounts.index.to_numpy()}).join(
        amounts.reset_index(drop=True)
    )
    if cities is None:
        units = split(study, unit_weights.assign(study="study"), "study", "unit_id", what)
        return None, units
    per_city = split(
        study, city_weights.assign(study="study"), "study", "city_id", "construction.city.proxy"
    )
    in_cities = unit_weights.assign(city_id=unit_weights["unit_id"].map(cities))
    units = split(per_city, in_cities, "city_id", "unit_id", what)
    return per_city, units


def city_sums(unit_values: pd.DataFrame, cities: pd.Series, column: str) -> pd.DataFrame:
    """Sum of a per-unit column over each city's units: city_id, year, weight."""
    frame = unit_values.assign(city_id=unit_values["unit_id"].map(cities))
    summed = frame.groupby(["city_id", "year"], as_index=False)[column].sum()
    return summed.rename(columns={column: "weight"})


def check_cities_covered(
    table: pd.DataFrame, cities: pd.Series, years: list[int], what: str
) -> None:
    """Every city of the study's units needs a row of ``table`` (city_id, year) every year."""
    have = set(zip(table["city_id"], table["year"], strict=True))
    missing = [(c, int(y)) for y in years for c in sorted(set(cities)) if (c, y) not in have]
    if missing:
        raise InputError(
            f"{what}: no rows for (city_id, year) {missing[:5]}"
            + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
            + "; every city of the study's units (construction.city.unit_cities) needs a row "
            "in every year."
        )


def intensity_weights(
    intensity: pd.DataFrame, gdp: pd.DataFrame, cities: pd.Series
) -> pd.DataFrame:
    """City weight = energy intensity (tce/10^4 yuan) × GDP of its units (10^4 yuan): the
    city's energy use estimated as county studies do it."""
    summed = city_sums(gdp, cities, "gdp_10k_yuan")
    merged = summed.merge(intensity, on=["city_id", "year"], how="left")
    merged["weight"] = merged["weight"] * merged["energy_intensity_tce_per_10k_yuan"]
    return merged[["city_id", "year", "weight"]]
