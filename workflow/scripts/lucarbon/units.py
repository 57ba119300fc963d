"""Study units: the unit table (names, MFA class) and the boundary polygons in the study CRS."""

from __future__ import annotations

import os

import geopandas as gpd
import pandas as pd

from .io import InputError, read_table

UNIT_COLUMNS = ("unit_id", "name", "mfa_class", "source", "confidence")
MFA_COLUMNS = ("mfa_class", "order", "name_en", "name_zh", "source")


def read_units_table(path: str | os.PathLike, mfa_path: str | os.PathLike) -> pd.DataFrame:
    """Read the unit table and check ids are unique and every MFA class is a known one."""
    units = read_table(path, UNIT_COLUMNS, dtypes={"unit_id": str})
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


def prepare_boundaries(
    boundary_path: str | os.PathLike,
    id_column: str,
    units: pd.DataFrame,
    crs: str,
    units_path: str | os.PathLike = "unit table",
) -> gpd.GeoDataFrame:
    """Read unit polygons, keep one (dissolved) geometry per unit id, repair and reproject.

    Every unit of the unit table must have a polygon and every polygon a unit row.
    """
    raw = gpd.read_file(boundary_path)
    if id_column not in raw.columns:
        raise InputError(
            f"{boundary_path}: no column '{id_column}' (config key boundaries.id_column); "
            f"columns are {[c for c in raw.columns if c != 'geometry']}."
        )
    if raw.crs is None:
        raise InputError(f"{boundary_path}: the file has no CRS; add one (e.g. EPSG:4326).")
    raw = raw.rename(columns={id_column: "unit_id"})[["unit_id", "geometry"]]
    raw["unit_id"] = raw["unit_id"].astype(str)
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
