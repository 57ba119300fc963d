"""Statistics input tables (GDP, deflator, population, energy, crops, Engel, county
emissions): read, checked against workflow/schemas/statistics.schema.yaml, with clear errors.

The same schema serves the demo's synthetic tables, the templates a real study fills in and
docs/statistics.md.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .conversions import CO2_PER_C
from .io import InputError, check_numeric, read_table

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schemas" / "statistics.schema.yaml"
STATISTICS: dict[str, dict] = yaml.safe_load(SCHEMA_PATH.read_text())
# Column given in another unit instead of the schema's: (other column, factor to the schema's).
ALTERNATIVE_FACTORS = {"emission_tCO2": 1 / CO2_PER_C}


def key_columns(kind: str) -> list[str]:
    return [c for c, spec in STATISTICS[kind]["columns"].items() if spec.get("key")]


def value_columns(kind: str) -> list[str]:
    return [c for c, spec in STATISTICS[kind]["columns"].items() if not spec.get("key")]


def read_statistic(kind: str, path: str | os.PathLike) -> pd.DataFrame:
    """Read a statistics table of ``kind``: columns present, values numeric and within their
    ranges, keys unique. Errors name the file, row and column."""
    columns = STATISTICS[kind]["columns"]
    keys = key_columns(kind)
    table = read_table(path, keys, dtypes={"unit_id": str})
    for column in value_columns(kind):
        other = columns[column].get("alternative")
        if column not in table and other in table:
            check_numeric(table, [other], path)
            table[column] = table[other] * ALTERNATIVE_FACTORS[other]
    missing = [c for c in value_columns(kind) if c not in table]
    if missing:
        alternatives = [columns[c]["alternative"] for c in missing if "alternative" in columns[c]]
        raise InputError(
            f"{path}: missing column(s) {missing}"
            + (f" (or {alternatives})" if alternatives else "")
            + f"; the file has columns {list(table.columns)}."
        )
    check_numeric(table, ["year", *value_columns(kind)], path)
    table["year"] = table["year"].astype(int)
    for column in value_columns(kind):
        _check_bounds(table, column, columns[column], path)
    duplicated = table.duplicated(keys)
    if duplicated.any():
        row = int(duplicated.to_numpy().nonzero()[0][0])
        raise InputError(
            f"{path}: row {row + 2} repeats the key {table.loc[row, keys].tolist()} "
            f"(columns {keys})."
        )
    return table


def _check_bounds(table: pd.DataFrame, column: str, spec: dict, path) -> None:
    values = table[column]
    bad = np.zeros(len(values), dtype=bool)
    if "minimum" in spec:
        bad |= values < spec["minimum"]
    if "exclusiveMinimum" in spec:
        bad |= values <= spec["exclusiveMinimum"]
    if "maximum" in spec:
        bad |= values > spec["maximum"]
    if bad.any():
        row = int(bad.nonzero()[0][0])
        limits = {k: v for k, v in spec.items() if k in ("minimum", "exclusiveMinimum", "maximum")}
        raise InputError(
            f"{path}: row {row + 2}, column '{column}': {values.iloc[row]} violates {limits}."
        )


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
    if STATISTICS[kind]["per_unit"]:
        have = set(zip(table["unit_id"], table["year"], strict=True))
        wanted = [(u, y) for y in sorted(set(years)) for u in sorted(unit_ids)]
        missing = [pair for pair in wanted if pair not in have]
        if missing:
            raise InputError(
                f"{path}: missing rows for (unit_id, year) {missing[:5]}"
                + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
                + "; every unit of the unit table needs a row in every year."
            )
