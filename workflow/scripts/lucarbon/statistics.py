"""Statistics input tables (GDP, deflator, population, energy, crops, Engel): schema and checks.

The same specification serves the demo's synthetic tables and a real study's templates.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from .conversions import CO2_PER_C
from .io import InputError, check_numeric, read_table


@dataclass(frozen=True)
class TableSpec:
    """Columns of a statistics table; ``per_unit`` tables need a row per unit and year."""

    keys: tuple[str, ...]
    values: tuple[str, ...]
    per_unit: bool
    # A value column may be given in another unit instead: {column: (other column, factor)}.
    alternatives: dict[str, tuple[str, float]] = field(default_factory=dict)


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
    "county_emissions": TableSpec(
        ("unit_id", "year"),
        ("emission_tC",),
        per_unit=True,
        alternatives={"emission_tC": ("emission_tCO2", 1 / CO2_PER_C)},
    ),
}


def read_statistic(kind: str, path: str | os.PathLike) -> pd.DataFrame:
    """Read a statistics table of ``kind``: columns present, values numeric, keys unique."""
    spec = STATISTICS[kind]
    table = read_table(path, spec.keys, dtypes={"unit_id": str})
    for column, (other, factor) in spec.alternatives.items():
        if column not in table and other in table:
            check_numeric(table, [other], path)
            table[column] = table[other] * factor
    missing = [c for c in spec.values if c not in table]
    if missing:
        alternatives = [spec.alternatives[c][0] for c in missing if c in spec.alternatives]
        raise InputError(
            f"{path}: missing column(s) {missing}"
            + (f" (or {alternatives})" if alternatives else "")
            + f"; the file has columns {list(table.columns)}."
        )
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
