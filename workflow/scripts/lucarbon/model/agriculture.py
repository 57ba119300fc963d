"""Arable-land emissions by the agricultural-input method (李波 et al. 2011 and the papers
after it): E = Σ_i input_i × coefficient_i over fertiliser, pesticide, film, diesel, tillage
(sown area) and irrigation (effective irrigated area).

Coefficients are given as the literature gives them (kg C per kg, per km², per ha) and
converted explicitly to t C per unit of the statistic (t or ha).
"""

from __future__ import annotations

import os

import pandas as pd

from lucarbon.core.conversions import KG_PER_T
from lucarbon.core.io import InputError, check_numeric, read_table
from lucarbon.model.statistics import STATISTICS, value_columns

INPUT_STATISTICS = value_columns("agricultural_inputs")
# How many of a coefficient's reference quantity (``per``) one statistic unit holds.
PER_STATISTIC_UNIT = {("kg", "t"): KG_PER_T, ("ha", "ha"): 1.0, ("km2", "ha"): 0.01}


def statistic_unit(statistic: str) -> str:
    """The canonical unit of an agricultural-input statistic (t or ha), from the schema."""
    return STATISTICS["agricultural_inputs"]["columns"][statistic]["unit"]


def read_input_coefficients(path: str | os.PathLike) -> pd.DataFrame:
    """The coefficient table with tC_per_unit: t C per t (or ha) of each statistic; every
    statistic of statistics.agricultural_inputs needs exactly one row."""
    table = read_table(
        path, ("input", "statistic", "coefficient_kgC", "per", "source", "confidence")
    )
    check_numeric(table, ["coefficient_kgC"], path)
    rows = []
    for i, row in table.iterrows():
        if row["statistic"] not in INPUT_STATISTICS:
            raise InputError(
                f"{path}: row {i + 2}, column 'statistic': unknown {row['statistic']!r}; "
                f"known: {INPUT_STATISTICS}."
            )
        pair = (row["per"], statistic_unit(row["statistic"]))
        if pair not in PER_STATISTIC_UNIT or row["coefficient_kgC"] < 0:
            raise InputError(
                f"{path}: row {i + 2}: a coefficient ≥ 0 in kg C per {row['per']!r} cannot be "
                f"applied to {row['statistic']} (in {pair[1]}); per must be one of "
                f"{sorted(p for p, u in PER_STATISTIC_UNIT if u == pair[1])}."
            )
        rows.append(row["coefficient_kgC"] * PER_STATISTIC_UNIT[pair] / KG_PER_T)
    missing = sorted(set(INPUT_STATISTICS) - set(table["statistic"]))
    repeated = table.loc[table["statistic"].duplicated(), "statistic"].tolist()
    if missing or repeated:
        raise InputError(
            f"{path}: column 'statistic' must list each of {INPUT_STATISTICS} once; "
            f"missing {missing}, repeated {repeated}."
        )
    return table.assign(tC_per_unit=rows)


def input_emissions(inputs: pd.DataFrame, coefficients: pd.DataFrame) -> pd.DataFrame:
    """Emission (t C) per unit, year and input: statistic × t C per unit of it. Returns
    unit_id, year, input, emission_tC."""
    long = inputs.melt(
        id_vars=["unit_id", "year"], value_vars=INPUT_STATISTICS, var_name="statistic"
    )
    merged = long.merge(coefficients[["input", "statistic", "tC_per_unit"]], on="statistic")
    merged["emission_tC"] = merged["value"] * merged["tC_per_unit"]
    return merged[["unit_id", "year", "input", "emission_tC"]]


def arable_input_fluxes(inputs: pd.DataFrame, coefficients: pd.DataFrame) -> pd.DataFrame:
    """Arable emission (t C, + source) per unit and year: the sum over the inputs."""
    per_input = input_emissions(inputs, coefficients)
    total = per_input.groupby(["unit_id", "year"], as_index=False)["emission_tC"].sum()
    return total.assign(landuse="arable", component="agricultural_inputs").rename(
        columns={"emission_tC": "flux_tC"}
    )
