"""Names as yearbooks write them: a table's canonical names (fuel, crop, unit) and their
aliases (column ``aliases``, ``|``-separated), matched case- and whitespace-insensitively, so
"10^4 t", "10^4t" and "万吨" are all the unit 10k_t."""

from __future__ import annotations

import os
import re

import pandas as pd

from lucarbon.core.io import InputError


def normalise(name: str) -> str:
    """The matching form of a name: case-folded, all whitespace removed."""
    return re.sub(r"\s+", "", str(name)).casefold()


def alias_map(table: pd.DataFrame, name_column: str, path: str | os.PathLike) -> dict[str, str]:
    """Matching form of every name and alias → canonical name; an alias that names two
    different entries is an error naming the table."""
    lookup: dict[str, str] = {}
    aliases = table["aliases"] if "aliases" in table else pd.Series("", index=table.index)
    for name, more in zip(table[name_column], aliases.fillna(""), strict=True):
        for alias in [name, *str(more).split("|")]:
            key = normalise(alias)
            if key and lookup.setdefault(key, name) != name:
                raise InputError(
                    f"{path}: alias {alias!r} names both {lookup[key]!r} and {name!r}; "
                    "keep it for one of them."
                )
    return lookup


def canonical_names(
    values: pd.Series,
    table: pd.DataFrame,
    name_column: str,
    table_path: str | os.PathLike,
    where: str,
) -> pd.Series:
    """``values`` replaced by their canonical names. An unknown name fails naming ``where``
    (file, column), the row, the value and the known names. Rows are file lines: index + 2."""
    lookup = alias_map(table, name_column, table_path)
    names = values.map(lambda value: lookup.get(normalise(value)) if pd.notna(value) else None)
    unknown = names.isna()
    if unknown.any():
        position = int(unknown.to_numpy().nonzero()[0][0])
        raise InputError(
            f"{where.format(row=values.index[position] + 2)}: unknown {name_column} "
            f"{values.iloc[position]!r}; known: {sorted(table[name_column])} and their "
            f"aliases in {table_path}; fix the name or add it as an alias there."
        )
    return names


def canonical_name(
    value: str, table: pd.DataFrame, name_column: str, table_path: str | os.PathLike, where: str
) -> str:
    """One name (e.g. a unit declared in the config, ``where`` its key) made canonical."""
    return canonical_names(pd.Series([value]), table, name_column, table_path, where).iloc[0]
