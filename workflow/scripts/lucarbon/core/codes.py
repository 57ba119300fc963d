"""Unit codes as text: every feature's code, and the checks that codes agree between the
boundary file, the unit and dissolve tables and the statistics (leading zeros lost by a
spreadsheet are named as such)."""

from __future__ import annotations

import pandas as pd

from lucarbon.core.io import InputError

TEXT_HINT = "store the codes as text with their zeros (in Excel: format the column as Text)."
NUMBER_HINT = (
    "the code column is stored as a number: store it as text (e.g. a text field in QGIS, or "
    "ogr2ogr -mapFieldType Integer=String) with the zeros."
)


def unit_codes(features: pd.DataFrame, id_column: str, label: str) -> pd.Series:
    """The code of every feature as a string (integers of a numeric column without '.0');
    an error for a missing id column or features without a code."""
    if id_column not in features.columns:
        raise InputError(
            f"{label}: no column '{id_column}' (config key boundaries.id_column); "
            f"columns are {[c for c in features.columns if c != 'geometry']}."
        )
    values = features[id_column]
    if values.isna().any():
        rows = (values.index[values.isna()] + 1).tolist()
        raise InputError(
            f"{label}: feature(s) {rows} have no code in column '{id_column}' "
            "(config key boundaries.id_column)."
        )
    if pd.api.types.is_numeric_dtype(values):
        return values.map(lambda v: str(int(v)) if float(v).is_integer() else str(v))
    return values.astype(str).str.strip()


def restored_zeros(codes: set[str], reference: set[str]) -> dict[str, str]:
    """Codes absent from ``reference`` that match one of its codes once the leading zeros are
    put back (a code column read as a number): code → the reference's code."""
    stripped = {ref.lstrip("0"): ref for ref in reference if ref.startswith("0")}
    return {code: stripped[code] for code in sorted(codes - reference) if code in stripped}


def check_leading_zeros(
    codes: set[str], label: str, reference: set[str], other: str, hint: str = TEXT_HINT
) -> None:
    """An error when codes of ``label`` match codes of ``other`` only with their leading
    zeros put back (the usual damage of a code column read as a number)."""
    lost = restored_zeros(codes, reference)
    if lost:
        raise InputError(
            f"{label}: codes {list(lost)} lost their leading zeros ({other} has "
            f"{list(lost.values())}); {hint}"
        )


def check_unique(codes: pd.Series, id_column: str, label: str) -> None:
    """Without a dissolve table every feature is a unit: an error naming repeated codes."""
    duplicated = sorted(set(codes[codes.duplicated()]))
    if duplicated:
        raise InputError(
            f"{label}: code(s) {duplicated} in column '{id_column}' belong to more than one "
            "feature; give each unit one feature (or merge them on purpose with "
            "boundaries.dissolve_table)."
        )


def dissolved_codes(codes: pd.Series, dissolve: dict[str, str], label: str) -> pd.Series:
    """The study unit of every polygon code through the dissolve table; an error naming the
    codes it does not list."""
    unmapped = sorted(set(codes) - set(dissolve))
    if unmapped:
        raise InputError(
            f"{label}: polygon id(s) {unmapped} are not in the dissolve table "
            "(config key boundaries.dissolve_table); add a row source_id,unit_id for each."
        )
    return codes.map(dissolve)


def check_agreement(codes: set[str], table: pd.DataFrame, label: str, table_path: str) -> None:
    missing, extra = sorted(set(table["unit_id"]) - codes), sorted(codes - set(table["unit_id"]))
    if missing or extra:
        raise InputError(
            f"{label} and {table_path} disagree: units without a polygon {missing}; "
            f"polygons without a row in the unit table (and so without an MFA class) {extra}. "
            "Fix the id column or the unit table."
        )
