"""Statistics input tables (GDP, deflator, population, energy, crops, Engel): schema and checks.

The same specification serves the demo's synthetic tables and a real study's templates.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from .io import InputError, check_numeric, read_table


@dataclass(frozen=True)
class TableSpec:
    """Columns of a statistics table; ``per_unit`` tables need a row per unit and year."""

    keys: tuple[str, ...]
    values: tuple[str, ...]
    per_unit: bool


STATISTICS = {
    "gdp": TableSpec(("unit_id", "year"), ("gdp_10k_yuan",), per_unit=True),
    "gdp_deflator": TableSpec(("year",), ("gdp_deflator_index",), per_unit=False),
    "population": TableSpec(("unit_id", "year"), ("population_persons",), per_unit=True),
    "energy": TableSpec(("year", "fuel", "unit"), ("amount",), per_unit=False),
    "crop_yield": TableSpec(("unit_id", "year", "crop"), ("yield_t",), per_unit=False),
    "engel": TableSpec(
        ("unit_id", "year"),
        ("engel_urban", "engel_rural", "urbanization_rate"),
        per_unit=True,
    ),
}


def read_statistic(kind: str, path: str | os.PathLike) -> pd.DataFrame:
    """Read a statistics table of ``kind``: columns present, values numeric, keys unique."""
    spec = STATISTICS[kind]
    table = read_table(path, spec.keys + spec.values, dtypes={"unit_id": str})
    check_numeric(table, ["year", *spec.values], path)
    table["year"] = table["year"].astype(int)
    duplicated = table.duplicated(list(spec.keys))
    if duplicated.any():
        row = int(duplicated.to_numpy().nonzero()[0][0])
        raise InputError(
            f"{path}: row {row + 2} repeats the key {table.loc[row, list(spec.keys)].tolist()} "
            f"(columns {list(spec.keys)})."
        )
    return table


def check_coverage(
    table: pd.DataFrame,
    kind: str,
    path: str | os.PathLike,
    years: Iterable[int],
    unit_ids: Iterable[str],
) -> None:
    """Every study year (and, for per-unit tables, every unit in every year) must have a row."""
    missing_years = sorted(set(years) - set(table["year"]))
    if missing_years:
        raise InputError(
            f"{path}: no rows for year(s) {missing_years} (config key 'years'); add them or "
            "remove the years from the config."
        )
    if STATISTICS[kind].per_unit:
        have = set(zip(table["unit_id"], table["year"], strict=True))
        missing = [
            (u, y) for y in sorted(set(years)) for u in sorted(unit_ids) if (u, y) not in have
        ]
        if missing:
            raise InputError(
                f"{path}: missing rows for (unit_id, year) {missing[:5]}"
                + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
                + "; every unit of the unit table needs a row in every year."
            )
