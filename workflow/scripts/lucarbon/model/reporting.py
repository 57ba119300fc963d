"""Carbon unit of the result tables (config ``reporting.carbon_unit``): t C or t CO₂.

The model computes in t C under canonical column names (``net_emission_tC``,
``emission_intensity_gdp_tC_per_10k_yuan``, …). Tables are converted once, when written
(``write_result``): every column whose name has the token ``tC`` is renamed (``tC`` →
``tCO2``) and multiplied by 44/12 (divided where t C is the denominator, ``per_tC``).
Readers find the canonical names whichever unit a file has (``read_result``): the unit is
read from the file's own column names. Ratios and values in yuan carry no carbon unit and
are left as they are.
"""

from __future__ import annotations

import os
import re

import pandas as pd

from lucarbon.core.conversions import CO2_PER_C
from lucarbon.core.io import write_csv

FACTORS = {"tC": 1.0, "tCO2": CO2_PER_C}
# columns whose values are names of quantities (spatial statistics, centres of gravity)
NAME_COLUMNS = ("variable",)
# columns holding the value of the quantity named in another column of the same row (LISA)
VALUE_COLUMNS = {"value": "variable"}
_TOKEN = re.compile(r"(?<![A-Za-z0-9])(tC|tCO2)(?![A-Za-z0-9])")


def _parts(name: str) -> list[re.Match]:
    return list(_TOKEN.finditer(name))


def carbon_unit_of(name: str) -> str | None:
    """The carbon unit in a column name (tC or tCO2), None if it has none."""
    found = _parts(name)
    return found[0].group(1) if found else None


def exponent(name: str) -> int:
    """+1 where the carbon unit is the numerator, −1 where it follows ``per_``, 0 if absent."""
    found = _parts(name)
    if not found:
        return 0
    return -1 if name[: found[0].start()].endswith("per_") else 1


def renamed(name: str, unit: str) -> str:
    """``name`` with its carbon unit written as ``unit``."""
    return _TOKEN.sub(unit, name)


def relabel(table: pd.DataFrame, unit: str) -> pd.DataFrame:
    """``table`` with its carbon unit written as ``unit`` in the column names and in the
    name-valued columns (``variable``); values untouched."""
    out = table.rename(columns=lambda c: renamed(str(c), unit))
    for column in NAME_COLUMNS:
        if column in out:
            out[column] = out[column].map(lambda v: renamed(v, unit) if isinstance(v, str) else v)
    return out


def convert(table: pd.DataFrame, unit: str) -> pd.DataFrame:
    """``table`` (in any carbon unit) with every carbon column in ``unit``, values and names."""
    out = table.copy()
    for column in table.columns:
        if (scale := factor(str(column), unit)) != 1.0:
            out[column] = table[column] * scale
    for column, names in VALUE_COLUMNS.items():
        if column in table and names in table:
            out[column] = table[column] * table[names].map(lambda name: factor(name, unit))
    return relabel(out, unit)


def factor(name: str, unit: str) -> float:
    """What a quantity called ``name`` is multiplied by to be in ``unit`` (1 if unit-free)."""
    source = carbon_unit_of(name)
    return (FACTORS[unit] / FACTORS[source]) ** exponent(name) if source else 1.0


def file_unit(path: str | os.PathLike) -> str:
    """The carbon unit of a result table, from its header (t C if it has no carbon column)."""
    header = pd.read_csv(path, nrows=0).columns
    units = {carbon_unit_of(str(c)) for c in header} - {None}
    return units.pop() if len(units) == 1 else "tC"


def read_result(path: str | os.PathLike, values: str = "tC") -> pd.DataFrame:
    """A result table under canonical (t C) column names, its carbon values in t C
    (``values='tC'``, for computing) or left in the file's unit (``values='reported'``,
    for figures, whose labels then name the reported unit)."""
    table = pd.read_csv(path, dtype={"unit_id": str})
    return relabel(table, "tC") if values == "reported" else convert(table, "tC")


def write_result(table: pd.DataFrame, path: str | os.PathLike, unit: str) -> None:
    """Write a result table (computed in t C) with its carbon columns in ``unit``."""
    write_csv(convert(table, unit), path)
