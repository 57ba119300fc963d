"""Statistics input tables (GDP, deflator, population, energy, crops, Engel, county
emissions) as users have them: one file per kind or wide county-year tables, in UTF-8 or
GBK, with the file's own column names and units declared in the config. Every file is read,
checked against workflow/schemas/statistics.schema.yaml and converted to one canonical table
per kind (the columns of the schema), so the model never sees a user's layout.

The same schema serves the demo's synthetic tables, the templates a real study fills in and
docs/statistics.md.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from lucarbon.core.aliases import canonical_name, canonical_names
from lucarbon.core.codes import restored_zeros
from lucarbon.core.conversions import CO2_PER_C
from lucarbon.core.io import InputError, parse_numbers, read_table
from lucarbon.core.logs import warn_user

SCHEMA_PATH = Path(__file__).resolve().parents[3] / "schemas" / "statistics.schema.yaml"
STATISTICS: dict[str, dict] = yaml.safe_load(SCHEMA_PATH.read_text())
# Column given in another unit instead of the schema's: (other column, factor to the schema's).
ALTERNATIVE_FACTORS = {"emission_tCO2": 1 / CO2_PER_C}
# Kinds whose variables a wide county-year table (statistics.tables) may provide.
WIDE_KINDS = [kind for kind, spec in STATISTICS.items() if spec.get("wide")]
WIDE_KEYS = ["unit_id", "year"]
NameTables = Mapping[str, tuple[pd.DataFrame, str]]  # name table key → (table, its path)
log = logging.getLogger(__name__)
# Warnings reach the user through warn_user (stderr) and, in a job, the rule log; without a
# handler of its own, Python would print them a second time at parse time (its last resort).
log.addHandler(logging.NullHandler())


def key_columns(kind: str) -> list[str]:
    return [c for c, spec in STATISTICS[kind]["columns"].items() if spec.get("key")]


def value_columns(kind: str) -> list[str]:
    return [c for c, spec in STATISTICS[kind]["columns"].items() if not spec.get("key")]


def variable_groups(kind: str) -> list[list[str]]:
    """Sets of value columns of which a kind needs exactly one (default: all its columns)."""
    return list(STATISTICS[kind].get("one_of", {"all": value_columns(kind)}).values())


def kind_of(variable: str) -> str:
    return next(kind for kind in STATISTICS if variable in value_columns(kind))


def column_spec(variable: str) -> dict:
    return STATISTICS[kind_of(variable)]["columns"][variable]


WIDE_VARIABLES = [v for kind in WIDE_KINDS for v in value_columns(kind)]


@dataclass(frozen=True)
class TableSpec:
    """One configured statistics file: its path as written in the config, the config key,
    and how to read it (encoding; canonical column → the file's column; declared units)."""

    path: str
    key: str
    encoding: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    units: Mapping[str, str] = field(default_factory=dict)

    def column(self, canonical: str) -> str:
        """The file's name of a canonical column."""
        return self.columns.get(canonical, canonical)

    def where(self, canonical: str) -> str:
        """Message prefix for a cell of a canonical column; ``{row}`` is the file line."""
        return f"{self.path}: row {{row}}, column '{self.column(canonical)}'"


def table_spec(value: str | Mapping | None, key: str) -> TableSpec | None:
    """A config entry (a path, or {path, encoding, columns, units}) as a TableSpec."""
    if not value:
        return None
    if isinstance(value, str):
        return TableSpec(value, key)
    return TableSpec(
        value["path"],
        key,
        value.get("encoding"),
        dict(value.get("columns") or {}),
        dict(value.get("units") or {}),
    )


def configured_tables(
    stats: Mapping, kinds: Iterable[str] | None = None
) -> list[tuple[str | None, TableSpec]]:
    """(kind, spec) of each configured file of ``kinds`` (default all), then (None, spec) of
    every wide table (statistics.tables), which may provide any per-unit-year variable."""
    chosen = STATISTICS if kinds is None else kinds
    specs = [(kind, table_spec(stats.get(kind), f"statistics.{kind}")) for kind in chosen]
    wide = [
        (None, table_spec(entry, f"statistics.tables[{i}]"))
        for i, entry in enumerate(stats.get("tables") or [])
    ]
    return [(kind, spec) for kind, spec in specs if spec] + wide


def configured_files(stats: Mapping, kinds: Iterable[str] | None = None) -> list[str]:
    """The files a rule reading ``kinds`` depends on (so a changed file reruns it)."""
    return [spec.path for _, spec in configured_tables(stats, kinds)]


def config_subset(stats: Mapping, kinds: Iterable[str]) -> dict:
    """The part of the statistics config a rule reading ``kinds`` depends on (its params)."""
    kinds = list(kinds)
    subset = {kind: stats.get(kind) for kind in kinds} | {"tables": stats.get("tables") or []}
    if "gdp_deflator" in kinds:
        subset["deflator_base_year"] = stats.get("deflator_base_year")
    return subset


@dataclass(eq=False)  # compared (and hashed) by identity
class Part:
    """What one file contributes: canonical keys and variables (index = file line − 2)."""

    spec: TableSpec
    kind: str | None  # None: a wide county-year table
    table: pd.DataFrame
    variables: list[str]

    @property
    def per_unit(self) -> bool:
        return self.kind is None or STATISTICS[self.kind]["per_unit"]


def _allowed_columns(kind: str | None) -> tuple[list[str], list[str]]:
    """Canonical key and value columns (with alternatives) of a file of ``kind`` (None: a
    wide table): what its config may map (columns) or declare units for (value columns)."""
    if kind is None:
        keys, values = WIDE_KEYS, WIDE_VARIABLES
    else:
        keys, values = key_columns(kind), value_columns(kind)
    alternatives = [
        column_spec(v)["alternative"] for v in values if "alternative" in column_spec(v)
    ]
    return keys, values + alternatives


def renamed_table(spec: TableSpec, kind: str | None) -> pd.DataFrame:
    """The file as text cells, its columns renamed to the canonical names by spec.columns."""
    keys, values = _allowed_columns(kind)
    allowed = keys + values
    unknown = sorted(set(spec.columns) - set(allowed))
    if unknown:
        raise InputError(
            f"config key {spec.key}.columns: unknown column(s) {unknown}; the canonical "
            f"columns are {allowed}."
        )
    raw = read_table(spec.path, [], dtypes=str, encoding=spec.encoding)
    for canonical, column in spec.columns.items():
        if column not in raw:
            raise InputError(
                f"{spec.path}: no column {column!r} (config key {spec.key}.columns."
                f"{canonical}); the file has columns {list(raw.columns)}."
            )
        if canonical in raw and canonical != column:
            raise InputError(
                f"{spec.path}: both column {canonical!r} and column {column!r} (config key "
                f"{spec.key}.columns.{canonical}) would be {canonical!r}; keep one."
            )
    return raw.rename(columns={column: c for c, column in spec.columns.items()})


def _present_variables(table: pd.DataFrame, candidates: list[str]) -> list[str]:
    """Candidates the table has (directly or as their alternative column)."""
    return [v for v in candidates if v in table or column_spec(v).get("alternative") in table]


def read_part(kind: str | None, spec: TableSpec, names: NameTables) -> Part:
    """Read one configured file: keys present and non-empty, names canonical, values numeric,
    in canonical units and within range, exact duplicate rows dropped (with a warning) and
    conflicting ones refused. Errors name the file, row, column and value."""
    table = renamed_table(spec, kind)
    keys = WIDE_KEYS if kind is None else key_columns(kind)
    missing = [k for k in keys if k not in table]
    if missing:
        raise InputError(
            f"{spec.path}: missing key column(s) {[spec.column(k) for k in missing]}; the file "
            f"has columns {list(table.columns)}; name the file's columns in config key "
            f"{spec.key}.columns."
        )
    variables = _variables(table, kind, spec)
    _check_declared_units(spec, kind)
    out = pd.DataFrame(index=table.index)
    for key in keys:
        names_key = STATISTICS[kind]["columns"][key].get("names") if kind else None
        out[key] = _key_values(table[key], key, spec, names.get(names_key))
    for variable in variables:
        out[variable] = _values(table, variable, spec, names)
    out = _without_duplicates(out, keys, variables, spec, table)
    return Part(spec, kind, out, variables)


def _variables(table: pd.DataFrame, kind: str | None, spec: TableSpec) -> list[str]:
    """The value columns a file provides. A kind's own file needs a complete group of its
    kind's columns (and gives every column of the kind it has); a wide table any of the wide
    variables."""
    if kind is None:
        variables = _present_variables(table, WIDE_VARIABLES)
        if not variables:
            raise InputError(
                f"{spec.path} (config key {spec.key}): none of the variables {WIDE_VARIABLES} "
                f"is among its columns {list(table.columns)}; map them in {spec.key}.columns."
            )
        return variables
    present = _present_variables(table, value_columns(kind))
    if any(set(group) <= set(present) for group in variable_groups(kind)):
        return present  # more than one group given is refused when combining (see combine)
    columns = STATISTICS[kind]["columns"]
    wanted = " or ".join(
        str(
            [
                c + (f" (or {columns[c]['alternative']})" if "alternative" in columns[c] else "")
                for c in group
                if c not in present
            ]
        )
        for group in variable_groups(kind)
    )
    raise InputError(
        f"{spec.path}: missing column(s) {wanted}; the file has columns {list(table.columns)}"
        f"; name the file's columns in config key {spec.key}.columns."
    )


def _check_declared_units(spec: TableSpec, kind: str | None) -> None:
    _, values = _allowed_columns(kind)
    unknown = sorted(set(spec.units) - set(values))
    if unknown:
        raise InputError(
            f"config key {spec.key}.units: unknown column(s) {unknown}; units can be declared "
            f"for {values}."
        )


def _key_values(
    values: pd.Series, key: str, spec: TableSpec, names: tuple[pd.DataFrame, str] | None
) -> pd.Series:
    """A key column: text stripped (codes keep their leading zeros), years whole numbers,
    names (fuel, unit, crop) replaced by their canonical names in ``names`` (table, path)."""
    if key == "year":
        years = parse_numbers(values, spec.path, spec.column(key))
        fraction = years % 1 != 0
        if fraction.any():
            row = years.index[fraction.to_numpy().nonzero()[0][0]] + 2
            raise InputError(
                f"{spec.where(key).format(row=row)}: {values[row - 2]!r} is not a whole year."
            )
        return years.astype(int)
    text = values.astype("string").str.strip()
    empty = text.isna() | (text == "")
    if empty.any():
        row = text.index[empty.to_numpy().nonzero()[0][0]] + 2
        raise InputError(f"{spec.where(key).format(row=row)}: is empty; give a value.")
    if names is None:
        return text.astype(object)
    table, path = names  # its canonical names are in the column named like the key
    return canonical_names(text, table, key, path, spec.where(key))


def _values(table: pd.DataFrame, variable: str, spec: TableSpec, names: NameTables) -> pd.Series:
    """A value column as numbers in its canonical unit, within its schema range."""
    column = variable if variable in table else column_spec(variable)["alternative"]
    numbers = parse_numbers(table[column], spec.path, spec.column(column))
    factor = _unit_factor(spec, column, column_spec(variable).get("unit"), names)
    converted = numbers * factor * ALTERNATIVE_FACTORS.get(column, 1.0)
    _check_bounds(converted, table[column], variable, column, spec)
    return converted


def _unit_factor(spec: TableSpec, column: str, unit: str | None, names: NameTables) -> float:
    """Factor from the unit declared for ``column`` (config units) to its canonical unit."""
    declared = spec.units.get(column)
    if declared is None:
        return 1.0
    where = f"config key {spec.key}.units.{column}"
    if unit is None:
        raise InputError(f"{where}: {column} has no unit to convert; remove the declaration.")
    table, path = names["physical_units"]
    name = canonical_name(declared, table, "unit", path, where)
    units = table.set_index("unit")
    base, canonical_base = units.loc[name, "base_unit"], units.loc[unit, "base_unit"]
    if base != canonical_base:
        raise InputError(
            f"{where}: {declared!r} measures {base}, but {column} is in {unit}, a unit of "
            f"{canonical_base}; declare a unit of {canonical_base} (see {path})."
        )
    return float(units.loc[name, "factor_to_base"] / units.loc[unit, "factor_to_base"])


def _check_bounds(
    values: pd.Series, text: pd.Series, variable: str, column: str, spec: TableSpec
) -> None:
    """Values outside the schema range fail naming row, column, value and the range; a
    fraction above 1 is named as a likely percent."""
    limits = column_spec(variable)
    bad = pd.Series(False, index=values.index)
    if "minimum" in limits:
        bad |= values < limits["minimum"]
    if "exclusiveMinimum" in limits:
        bad |= values <= limits["exclusiveMinimum"]
    if "maximum" in limits:
        bad |= values > limits["maximum"]
    if not bad.any():
        return
    position = int(bad.to_numpy().nonzero()[0][0])
    value, row = values.iloc[position], values.index[position] + 2
    shown = f"{text.iloc[position].strip()!r}"
    if column in spec.units:
        shown += f" ({spec.units[column]}, = {value:g} {limits['unit']})"
    hint = ""
    if limits.get("unit") == "fraction" and 1 < value <= 100 and column not in spec.units:
        hint = (
            f"; it looks like a percent: divide by 100 or declare units: "
            f"{{{column}: percent}} (config key {spec.key}.units)"
        )
    raise InputError(
        f"{spec.where(column).format(row=row)}: {shown} is outside the allowed range "
        f"{_range_text(limits)}{hint}."
    )


def _range_text(limits: dict) -> str:
    low = (
        f"≥ {limits['minimum']}"
        if "minimum" in limits
        else f"> {limits['exclusiveMinimum']}"
        if "exclusiveMinimum" in limits
        else ""
    )
    high = f"≤ {limits['maximum']}" if "maximum" in limits else ""
    return " and ".join(part for part in (low, high) if part)


def _without_duplicates(
    table: pd.DataFrame,
    keys: list[str],
    variables: list[str],
    spec: TableSpec,
    text: pd.DataFrame,
) -> pd.DataFrame:
    """Drop exact repeats of a row (a warning naming them); rows with the same key but
    different values are an error naming both rows and their values as the file (``text``,
    canonical column names) has them."""
    columns = [*keys, *variables]
    exact = table.duplicated(columns)
    if exact.any():
        rows = pd.Series(table.index, index=table.index)
        first = rows.groupby([table[c] for c in columns], sort=False).transform("first")
        repeats = [
            f"row {i + 2} repeats row {first[i] + 2} ({_key_text(table.loc[i], keys, spec)})"
            for i in table.index[exact]
        ]
        more = f" and {len(repeats) - 10} more" if len(repeats) > 10 else ""
        warn_user(
            log,
            f"{spec.path}: exact duplicate rows, one of each kept: {'; '.join(repeats[:10])}"
            f"{more}. Remove the repeats to silence this warning.",
        )
        table = table[~exact]
    clash = table.duplicated(keys, keep=False)
    if clash.any():
        rows = table[clash]
        first = rows.iloc[0][keys]
        same = rows[(rows[keys] == first).all(axis=1)]
        a, b = same.index[:2]
        key = _key_text(first, keys, spec)
        differ = [v if v in text else column_spec(v)["alternative"] for v in variables]
        values = "; ".join(
            f"{spec.column(c)} {text.loc[a, c].strip()} vs {text.loc[b, c].strip()}"
            for v, c in zip(variables, differ, strict=True)
            if same.loc[a, v] != same.loc[b, v]
        )
        raise InputError(
            f"{spec.path}: rows {a + 2} and {b + 2} both give {key} but with different values "
            f"({values}); keep the right one."
        )
    return table


def _key_text(row: pd.Series, keys: list[str], spec: TableSpec) -> str:
    """A row's key as the file names it, e.g. '县代码 0411001, 年份 2010'."""
    return ", ".join(f"{spec.column(k)} {row[k]}" for k in keys)


def read_parts(stats: Mapping, names: NameTables, kinds: Iterable[str] | None = None) -> list[Part]:
    """Every configured file of ``kinds`` (default all) and every wide table, read."""
    return [read_part(kind, spec, names) for kind, spec in configured_tables(stats, kinds)]


def providers(parts: list[Part]) -> dict[str, Part]:
    """The part giving each variable; a variable given by two files is an error naming both."""
    given: dict[str, Part] = {}
    for part in parts:
        for variable in part.variables:
            if variable in given:
                first = given[variable].spec
                raise InputError(
                    f"{variable} is given by two tables: {first.path} (config key {first.key}) "
                    f"and {part.spec.path} (config key {part.spec.key}); keep it in one (drop "
                    "the column or its mapping from the other)."
                )
            given[variable] = part
    return given


def combine(kind: str, given: Mapping[str, Part]) -> pd.DataFrame | None:
    """The canonical table of ``kind`` (keys and value columns) from the parts giving its
    variables; None when none does. It needs exactly one complete group of variables."""
    present = [v for v in value_columns(kind) if v in given]
    if not present:
        return None
    complete = [g for g in variable_groups(kind) if set(g) <= set(present)]
    files = sorted({f"{given[v].spec.path} ({given[v].spec.key})" for v in present})
    if len(complete) != 1 or set(present) != set(complete[0]):
        groups = " or ".join(str(g) for g in variable_groups(kind))
        raise InputError(
            f"{kind}: the tables {files} give {present}; give exactly one of {groups}."
        )
    keys = key_columns(kind)
    frame = None
    for part in dict.fromkeys(given[v] for v in present):
        columns = [*keys, *[v for v in present if given[v] is part]]
        piece = part.table[columns]
        frame = piece if frame is None else frame.merge(piece, on=keys, how="inner")
    return frame.reset_index(drop=True)


def read_statistics(
    stats: Mapping,
    names: NameTables,
    kinds: Iterable[str] | None = None,
    years: Iterable[int] | None = None,
    unit_ids: Iterable[str] | None = None,
) -> dict[str, pd.DataFrame | None]:
    """One canonical table per kind (None when not configured) from the statistics config:
    files per kind and wide tables, each variable from exactly one file. With ``years``,
    each file must cover them (and, with ``unit_ids``, every unit; see check_coverage)."""
    parts = read_parts(stats, names, kinds)
    for part in parts if years is not None else []:
        check_coverage(part, years, unit_ids)
    given = providers(parts)
    return {kind: combine(kind, given) for kind in (STATISTICS if kinds is None else kinds)}


def provided_kinds(stats: Mapping) -> set[str]:
    """Kinds the config provides: its own file, or a wide table with any of its variables
    (read from the file's header)."""
    have = set()
    for kind, spec in configured_tables(stats):
        if kind is not None:
            have.add(kind)
            continue
        present = _present_variables(renamed_table(spec, None), WIDE_VARIABLES)
        have |= {kind_of(v) for v in present}
    return have


def check_coverage(part: Part, years: Iterable[int], unit_ids: Iterable[str] | None) -> None:
    """Every study year (and, for per-unit tables, every unit in every year) must have a row;
    codes that match the study's units only with leading zeros restored are named as such.
    Units are checked only when known (``unit_ids`` None: only the years)."""
    table, path = part.table, part.spec.path
    years = list(years)
    if unit_ids is not None and "unit_id" in table:
        check_unit_codes(table["unit_id"], part.spec, unit_ids)
    missing_years = sorted(set(years) - set(table["year"]))
    if missing_years:
        raise InputError(
            f"{path}: no rows for year(s) {missing_years} (config key 'years'); add them or "
            "remove the years from the config."
        )
    if part.per_unit and unit_ids is not None:
        have = set(zip(table["unit_id"], table["year"], strict=True))
        wanted = [(u, y) for y in sorted(set(years)) for u in sorted(unit_ids)]
        missing = [pair for pair in wanted if pair not in have]
        if missing:
            raise InputError(
                f"{path}: missing rows for (unit_id, year) {missing[:5]}"
                + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
                + "; every unit of the unit table needs a row in every year."
            )


def check_unit_codes(codes: pd.Series, spec: TableSpec, unit_ids: Iterable[str]) -> None:
    """Fail when codes of the table match study units only after zero-padding: the codes lost
    their leading zeros (a spreadsheet read them as numbers)."""
    lost = restored_zeros(set(codes), set(unit_ids))
    if lost:
        shown = [f"{code} (unit {unit})" for code, unit in list(lost.items())[:5]]
        raise InputError(
            f"{spec.path}: column '{spec.column('unit_id')}': code(s) {', '.join(shown)} "
            f"match the study's units only with leading zeros restored: the codes lost their "
            "leading zeros (a spreadsheet read them as numbers). Format the column as text in "
            "Excel (or write the codes with their zeros) and save the file again."
        )
