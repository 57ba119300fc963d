"""Horizontal carbon compensation: fair-share benchmark, ΔC, value, payment ability, zoning."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from lucarbon.core.conversions import CO2_PER_C, YUAN_PER_10K_YUAN
from lucarbon.core.io import InputError, check_numeric, read_table, rows_named

# A price per t CO2 × 44/12 is a price per t C.
PRICE_UNITS = {"per_tC": 1.0, "per_tCO2": CO2_PER_C}
BENCHMARK_COLUMNS = {
    "gdp": "gdp_10k_yuan",
    "area": "land_area_ha",
    "population": "population_persons",
}


def price_per_tC(path: str | os.PathLike, name: str) -> float:
    """The named carbon price from the price table, converted to currency per t C."""
    table = read_table(path, ("price", "value", "unit", "currency", "source", "confidence"))
    check_numeric(table, ["value"], path)
    not_positive = table["value"] <= 0
    if not_positive.any():  # a price ≤ 0 would flip or zero every value; the sensitivity
        row = int(not_positive.to_numpy().nonzero()[0][0])  # analysis runs every row
        raise InputError(
            f"{path}: row {row + 2}, column 'value': price {table.loc[row, 'price']!r} is "
            f"{table.loc[row, 'value']:g}; a carbon price must be positive (currency per t C "
            "or per t CO2): fix the value or remove the row."
        )
    rows = rows_named(table, "price", name, path, "compensation.price")
    row = rows.iloc[0]
    if row["unit"] not in PRICE_UNITS:
        raise InputError(
            f"{path}: row {rows.index[0] + 2}, column 'unit': {row['unit']!r} is not one of "
            f"{sorted(PRICE_UNITS)}."
        )
    return float(row["value"]) * PRICE_UNITS[row["unit"]]


def payment_ability(engel: pd.Series) -> pd.Series:
    """Pearl-curve ability-to-pay coefficient R = 1 / (1 + e^−t), t = 1/En − 3."""
    return 1.0 / (1.0 + np.exp(-(1.0 / engel - 3.0)))


def gdp_per_capita_ratio(budget: pd.DataFrame) -> pd.Series:
    """Payment ability from income: the unit's GDP per person over the study area's, per
    year, clipped to [0, 1] (an ability to pay is a share of the value, as the Pearl R is;
    a unit richer than the average pays the full value, not more)."""
    per_capita = budget["gdp_10k_yuan"] / budget["population_persons"]
    by_year = budget.groupby("year")
    study = by_year["gdp_10k_yuan"].transform("sum") / by_year["population_persons"].transform(
        "sum"
    )
    return (per_capita / study).clip(0.0, 1.0)


def ecc_esc_factor(delta_c: pd.Series, ecc: pd.Series, esc: pd.Series) -> pd.Series:
    """ECC/ESC modification: a payer's value × its ECC (economic contribution per unit of
    emission, its ability to pay), a receiver's × its ESC (ecological support per unit of
    emission, what its sinks are worth); 1 where ΔC = 0."""
    return pd.Series(np.where(delta_c > 0, ecc, np.where(delta_c < 0, esc, 1.0)), delta_c.index)


def weighted_engel(table: pd.DataFrame, path: str | os.PathLike) -> pd.Series:
    """The unit's Engel coefficient: ``engel_coefficient`` as given, else the urban and rural
    coefficients weighted by urbanisation, u × En_urban + (1 − u) × En_rural. Giving both
    is an error (which one is meant cannot be guessed)."""
    weighted = ["engel_urban", "engel_rural", "urbanization_rate"]
    given = [c for c in weighted if c in table]
    if "engel_coefficient" in table and given:
        raise InputError(f"{path}: both engel_coefficient and {given} are given; keep one of them.")
    columns = ["engel_coefficient"] if "engel_coefficient" in table else weighted
    check_numeric(table, columns, path)
    for column in columns:
        bad = ~table[column].between(0, 1)
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            raise InputError(f"{path}: row {row + 2}, column '{column}': must be within 0..1.")
    if "engel_coefficient" in table:
        return table["engel_coefficient"]
    u = table["urbanization_rate"]
    return u * table["engel_urban"] + (1 - u) * table["engel_rural"]


def compensate(budget: pd.DataFrame, weight_column: str, price: float) -> pd.DataFrame:
    """Per unit and year: benchmark share, fair share of the study's net emission, ΔC
    (zero-sum per year) and its value.

    ``budget`` needs unit_id, year, net_emission_tC and ``weight_column``.
    """
    out = budget[["unit_id", "year", "net_emission_tC"]].copy()
    by_year = budget.groupby("year")
    out["benchmark_share"] = budget[weight_column] / by_year[weight_column].transform("sum")
    out["fair_share_tC"] = by_year["net_emission_tC"].transform("sum") * out["benchmark_share"]
    out["delta_c_tC"] = out["net_emission_tC"] - out["fair_share_tC"]
    out["value_yuan"] = out["delta_c_tC"] * price
    return out


def modify(table: pd.DataFrame, factor: pd.Series, rebalance: bool) -> pd.DataFrame:
    """The modified value V × factor; with ``rebalance`` each year's payments and receipts
    are scaled to their mean, M = (P + Q) / 2 with P the sum of modified payments and Q of
    modified receipts (payments × M/P, receipts × M/Q), so that they balance again."""
    out = table.assign(payment_ability=factor.to_numpy())
    modified = out["value_yuan"] * out["payment_ability"]
    if rebalance:
        year = out["year"]
        paid = modified.clip(lower=0).groupby(year).transform("sum")
        received = (-modified.clip(upper=0)).groupby(year).transform("sum")
        mean = (paid + received) / 2
        scale = np.where(modified > 0, mean / paid, np.where(modified < 0, mean / received, 1.0))
        out["rebalance_factor"] = scale
        modified = modified * scale
    out["value_modified_yuan"] = modified
    return out


def priority_score(value: pd.Series, gdp_10k_yuan: pd.Series) -> pd.Series:
    """Compensation priority |V| / GDP, both in yuan."""
    return value.abs() / (gdp_10k_yuan * YUAN_PER_10K_YUAN)
