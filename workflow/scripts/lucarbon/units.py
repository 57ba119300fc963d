"""Study units: the unit table (names, MFA class) and the boundary polygons in the study CRS."""

from __future__ import annotations

import os

import geopandas as gpd
import pandas as pd

from .io import InputError, read_table

UNIT_COLUMNS = ("unit_id", "name", "mfa_class", "source", "confidence")
MFA_COLUMNS = ("mfa_class", "order", "name_en", "name_zh", "source")


def read_units_table(
    path: str | os.PathLike, mfa_path: str | os.PathLike, mfa_column: str = "mfa_class"
) -> pd.DataFrame:
    """Read the unit table (MFA class from ``mfa_column``), check ids are unique and every
    MFA class is a known one."""
    table = read_table(path, ("unit_id", mfa_column), dtypes={"unit_id": str})
    if mfa_column != "mfa_class":
        table = table.drop(columns="mfa_class", errors="ignore")
    units = table.rename(columns={mfa_column: "mfa_class"})
    missing = [c for c in UNIT_COLUMNS if c not in units]
    if missing:
        raise InputError(f"{path}: missing column(s) {missing}.")
    duplicated = units.loc[units["unit_id"].duplicated(), "unit_id"].tolist()
    if duplicated:
        raise InputError(f"{path}: column 'unit_id' has duplicate values {duplicated}.")
    classes = read_table(mfa_path, MFA_COLUMNS)
    unknown = sorted(set(units["mfa_class"]) - set(classes["mfa_class"]))
    if unknown:
        raise InputError(
            f"{path}: column 'mfa_class' has value(s) {unknown} not defined in {mfa_path} "
            f"(known: {classes['mfa_class'].tolist()})."
        )
    return units.sort_values("unit_id").reset_index(drop=True)


def read_dissolve_table(path: str | os.PathLike) -> dict[str, str]:
    """Source polygon id → study unit id (e.g. every municipal district → its city's unit)."""
    table = read_table(path, ("source_id", "unit_id"), dtypes={"source_id": str, "unit_id": str})
    duplicated = table.loc[table["source_id"].duplicated(), "source_id"].tolist()
    if duplicated:
        raise InputError(f"{path}: column 'source_id' has duplicate values {duplicated}.")
    return dict(zip(table["source_id"], table["unit_id"], strict=True))


def prepare_boundaries(
    raw: gpd.GeoDataFrame,
    id_column: str,
    units: pd.DataFrame,
    crs: str,
    labels: tuple[str, str] = ("boundary file", "unit table"),
    dissolve: dict[str, str] | None = None,
) -> gpd.GeoDataFrame:
    """Map source polygons to units (``dissolve``: source id → unit id), keep one dissolved,
    repaired geometry per unit, in ``crs``.

    Every unit of the unit table must have a polygon and every polygon a unit row.
    ``labels`` name the boundary source and the unit table in error messages.
    """
    boundary_path, units_path = labels
    if id_column not in raw.columns:
        raise InputError(
            f"{boundary_path}: no column '{id_column}' (config key boundaries.id_column); "
            f"columns are {[c for c in raw.columns if c != 'geometry']}."
        )
    if raw.crs is None:
        raise InputError(f"{boundary_path}: the file has no CRS; add one (e.g. EPSG:4326).")
    raw = raw.rename(columns={id_column: "unit_id"})[["unit_id", "geometry"]]
    raw["unit_id"] = raw["unit_id"].astype(str)
    if dissolve is not None:
        unmapped = sorted(set(raw["unit_id"]) - set(dissolve))
        if unmapped:
            raise InputError(
                f"{boundary_path}: polygon id(s) {unmapped} are not in the dissolve table "
                "(config key boundaries.dissolve_table); add a row source_id,unit_id for each."
            )
        raw["unit_id"] = raw["unit_id"].map(dissolve)
    raw["geometry"] = raw.geometry.make_valid()
    gdf = raw.dissolve(by="unit_id", as_index=False).to_crs(crs)
    gdf["geometry"] = gdf.geometry.make_valid()
    missing = sorted(set(units["unit_id"]) - set(gdf["unit_id"]))
    extra = sorted(set(gdf["unit_id"]) - set(units["unit_id"]))
    if missing or extra:
        raise InputError(
            f"{boundary_path} and {units_path} disagree: units without a polygon {missing}; "
            f"polygons without a unit row {extra}. Fix the id column or the unit table."
        )
    return gdf.sort_values("unit_id").reset_index(drop=True)
