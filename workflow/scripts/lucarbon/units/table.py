"""Study units: the normalized unit table (code, names, MFA class, source, confidence).

Unit attributes come from the polygons' own attribute columns (config key units.attributes),
from a unit table (units.table), or both: the table's values win for the units it lists.
Unit codes are strings everywhere. Every defect of the boundary file is an error that names
the file as the user gave it (the registry's URL or path), the unit code and the bad value.
"""

from __future__ import annotations

import logging
import os

import pandas as pd

from lucarbon.core.codes import (
    NUMBER_HINT,
    TEXT_HINT,
    check_agreement,
    check_leading_zeros,
    check_unique,
    dissolved_codes,
    unit_codes,
)
from lucarbon.core.io import InputError, read_table

UNIT_COLUMNS = ("unit_id", "name", "name_zh", "mfa_class", "source", "confidence")
TABLE_REQUIRED = ("unit_id", "name", "mfa_class", "source", "confidence")
MFA_COLUMNS = ("mfa_class", "order", "name_en", "name_zh", "source")
ATTRIBUTE_KEYS = ("name", "name_zh", "mfa_class")
ATTRIBUTE_CONFIDENCE = "as given in the boundary file"
log = logging.getLogger(__name__)
# GDAL's reading of a shapefile that declares no encoding (no .cpg, no code page in the .dbf).


def read_mfa_classes(path: str | os.PathLike) -> pd.DataFrame:
    """The MFA class table (mfa_class, order, name_en, name_zh, source)."""
    return read_table(path, MFA_COLUMNS, dtypes={"mfa_class": str, "name_zh": str})


def mfa_keys(
    values: pd.Series, mfa_path: str | os.PathLike, where: str, allow_missing: bool = False
) -> pd.Series:
    """MFA class keys for ``values`` (index: unit ids), each given as the class key, name_en or
    name_zh of the class table; an error naming the units whose class is unknown or missing
    (``where``: the file and column or config key the values come from)."""
    classes = read_mfa_classes(mfa_path)
    lookup = {}
    for column in ("name_zh", "name_en", "mfa_class"):  # keys win over names
        names = classes[column].astype(str).str.strip().str.casefold()
        lookup |= dict(zip(names, classes["mfa_class"], strict=True))
    known = f"known: {classes['mfa_class'].tolist()}, or their name_en or name_zh in {mfa_path}"
    text = values.astype("string").str.strip()
    keys = text.str.casefold().map(lookup)
    unknown = text.notna() & keys.isna()
    if unknown.any():
        raise InputError(
            f"{where} has value(s) {sorted(set(text[unknown]))} not defined in {mfa_path} "
            f"(unit(s) {sorted(values.index[unknown])}); {known}."
        )
    missing = text.isna()
    if missing.any() and not allow_missing:
        raise InputError(
            f"{where}: unit(s) {sorted(values.index[missing])} have no MFA class; give each a "
            f"class ({known})."
        )
    return keys.astype(object).where(keys.notna(), None)


def read_units_table(
    path: str | os.PathLike,
    mfa_path: str | os.PathLike,
    mfa_column: str = "mfa_class",
    complete: bool = True,
) -> pd.DataFrame:
    """The unit table with columns UNIT_COLUMNS (MFA class from ``mfa_column``, as class keys),
    unique ids. ``complete``: every row has every column; else (a table overriding the
    polygons' attributes) only unit_id is required."""
    required = tuple(mfa_column if c == "mfa_class" else c for c in TABLE_REQUIRED)
    text = {c: str for c in (*UNIT_COLUMNS, mfa_column)}
    table = read_table(path, required if complete else ("unit_id",), dtypes=text)
    if mfa_column != "mfa_class":
        table = table.drop(columns="mfa_class", errors="ignore")
    units = table.rename(columns={mfa_column: "mfa_class"}).reindex(columns=list(UNIT_COLUMNS))
    units["unit_id"] = units["unit_id"].str.strip()
    if units["unit_id"].isna().any():
        rows = (units.index[units["unit_id"].isna()] + 2).tolist()
        raise InputError(f"{path}: row(s) {rows} have no unit_id.")
    duplicated = units.loc[units["unit_id"].duplicated(), "unit_id"].tolist()
    if duplicated:
        raise InputError(f"{path}: column 'unit_id' has duplicate values {duplicated}.")
    units = units.set_index("unit_id", drop=False)
    where = f"{path}: column '{mfa_column}'"
    units["mfa_class"] = mfa_keys(units["mfa_class"], mfa_path, where, not complete)
    return units.sort_index().reset_index(drop=True)


def read_dissolve_table(path: str | os.PathLike) -> dict[str, str]:
    """Source polygon id → study unit id (e.g. every municipal district → its city's unit)."""
    table = read_table(path, ("source_id", "unit_id"), dtypes={"source_id": str, "unit_id": str})
    duplicated = table.loc[table["source_id"].duplicated(), "source_id"].tolist()
    if duplicated:
        raise InputError(f"{path}: column 'source_id' has duplicate values {duplicated}.")
    return dict(zip(table["source_id"], table["unit_id"], strict=True))


def _check_codes_match(
    features: pd.DataFrame, id_column: str, label: str, reference: set[str], other: str
) -> None:
    """Leading zeros lost on either side, between the polygons' codes and a table's."""
    codes = set(unit_codes(features, id_column, label))
    numeric = pd.api.types.is_numeric_dtype(features[id_column])
    check_leading_zeros(codes, label, reference, other, NUMBER_HINT if numeric else TEXT_HINT)
    check_leading_zeros(reference, other, codes, label)


def study_table(features: pd.DataFrame, boundaries: dict, units: dict, label: str) -> pd.DataFrame:
    """The normalized unit table (UNIT_COLUMNS) of a boundary file's features and the config's
    units section (attributes, table, MFA classes), checked against each other."""
    check_unit_sources(boundaries, units)
    id_column = boundaries["id_column"]
    codes = unit_codes(features, id_column, label)
    table = units["table"]
    if boundaries["dissolve_table"]:
        dissolve = read_dissolve_table(boundaries["dissolve_table"])
        _check_codes_match(features, id_column, label, set(dissolve), boundaries["dissolve_table"])
        result = read_units_table(table, units["mfa_classes"], units["mfa_column"])
        check_agreement(set(dissolved_codes(codes, dissolve, label)), result, label, table)
        return result
    check_unique(codes, id_column, label)
    if not units["attributes"]:
        result = read_units_table(table, units["mfa_classes"], units["mfa_column"])
        _check_codes_match(features, id_column, label, set(result["unit_id"]), table)
        check_agreement(set(codes), result, label, table)
        return result
    attributes = attribute_units(features, codes, units, label)
    if not table:
        return _finish(attributes, units["mfa_classes"], label)
    overrides = read_units_table(table, units["mfa_classes"], units["mfa_column"], False)
    _check_codes_match(features, id_column, label, set(overrides["unit_id"]), table)
    extra = sorted(set(overrides["unit_id"]) - set(codes))
    if extra:
        raise InputError(
            f"{table} (config key units.table) has unit(s) {extra} without a polygon in "
            f"{label}; fix the codes or remove the rows."
        )
    return _finish(override(attributes, overrides, table), units["mfa_classes"], label)


def check_unit_sources(boundaries: dict, units: dict) -> None:
    """The config says where unit names and MFA classes come from, in a way that works."""
    if boundaries["dissolve_table"] and (units["attributes"] or not units["table"]):
        raise InputError(
            "config key units.table: with boundaries.dissolve_table several polygons make one "
            "unit, so unit names and MFA classes cannot come from the polygons' attributes "
            "(units.attributes); give them in a unit table (units.table)."
        )
    if not units["table"] and "mfa_class" not in units["attributes"]:
        raise InputError(
            "config key units.attributes.mfa_class: every unit needs an MFA class; name the "
            "boundary file's attribute holding it (units.attributes.mfa_class) or give a unit "
            "table (units.table)."
        )


def attribute_units(
    features: pd.DataFrame, codes: pd.Series, units: dict, label: str
) -> pd.DataFrame:
    """Unit rows (UNIT_COLUMNS) from the boundary file's attribute columns named in
    units.attributes; source: the boundary file, confidence: as given in it."""
    mapping = units["attributes"]
    absent = {key: column for key, column in mapping.items() if column not in features.columns}
    if absent:
        raise InputError(
            f"{label}: no attribute column(s) {absent} (config key units.attributes); "
            f"columns are {[c for c in features.columns if c != 'geometry']}."
        )
    result = pd.DataFrame({"unit_id": codes.to_numpy()}, index=codes.to_numpy())
    for key in ATTRIBUTE_KEYS:
        if key in mapping:
            text = features[mapping[key]].astype("string").str.strip().replace("", pd.NA)
        else:
            text = pd.Series(pd.NA, index=features.index, dtype="string")
        result[key] = text.astype(object).where(text.notna(), None).to_numpy()
    result["source"], result["confidence"] = label, ATTRIBUTE_CONFIDENCE
    if "mfa_class" in mapping:
        where = f"{label}: attribute '{mapping['mfa_class']}' (units.attributes.mfa_class)"
        result["mfa_class"] = mfa_keys(result["mfa_class"], units["mfa_classes"], where, True)
    return result[list(UNIT_COLUMNS)]


def override(attributes: pd.DataFrame, table: pd.DataFrame, table_path: str) -> pd.DataFrame:
    """The attribute rows with the unit table's non-empty values in their place (the table
    wins, its source and confidence too); each changed value is logged."""
    attributes = attributes.set_index("unit_id", drop=False)
    table = table.set_index("unit_id", drop=False)
    for key in ATTRIBUTE_KEYS:
        old, new = attributes.loc[table.index, key], table[key]
        for unit in table.index[new.notna() & (old.isna() | (old != new))]:
            log.info(
                "unit %s: %s %r from the boundary file replaced by %r from %s",
                unit, key, old[unit], new[unit], table_path,
            )  # fmt: skip
    return table.combine_first(attributes).reset_index(drop=True)[list(UNIT_COLUMNS)]


def _finish(units: pd.DataFrame, mfa_path: str, label: str) -> pd.DataFrame:
    """Every unit has an MFA class; a missing name is the Chinese name, else the code."""
    missing = units.loc[units["mfa_class"].isna(), "unit_id"].tolist()
    if missing:
        raise InputError(
            f"{label}: unit(s) {sorted(missing)} have no MFA class (empty attribute "
            "units.attributes.mfa_class, and no value in units.table); give each a class "
            f"from {mfa_path}."
        )
    units["name"] = units["name"].fillna(units["name_zh"]).fillna(units["unit_id"])
    return units.sort_values("unit_id").reset_index(drop=True)


def study_units(config: dict) -> pd.DataFrame | None:
    """The normalized unit table at parse time: from a local boundary file's attributes and
    the unit table, or from a complete unit table alone; None when only the job can tell
    (attributes of a remote boundary file)."""
    # here, not at the top: the rules that read only the unit table need no geopandas
    from lucarbon.units.boundaries import boundary_label, local_boundary_file, read_boundary_file

    boundaries, units = config["boundaries"], config["units"]
    check_unit_sources(boundaries, units)
    path = local_boundary_file(config)
    if path is not None:
        label = boundary_label(config)
        features = read_boundary_file(path, boundaries, label, geometry=False)
        return study_table(features, boundaries, units, label)
    if units["attributes"]:
        return None
    table = read_units_table(units["table"], units["mfa_classes"], units["mfa_column"])
    if boundaries["dissolve_table"]:
        dissolve = read_dissolve_table(boundaries["dissolve_table"])
        unknown = sorted(set(dissolve.values()) - set(table["unit_id"]))
        if unknown:
            raise InputError(
                f"{boundaries['dissolve_table']}: unit_id(s) {unknown} are not in {units['table']}."
            )
    return table
