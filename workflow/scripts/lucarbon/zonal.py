"""Areas per unit and land-use type (and transitions) in one streaming pass over rasters."""

from __future__ import annotations

import os
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio

from .io import InputError
from .raster import GDAL_ENV, check_same_crs, pixel_area_ha, rasterize_units, row_bands


def zonal_class_areas(
    raster_paths: Sequence[str | os.PathLike],
    units: gpd.GeoDataFrame,
    n_classes: int,
    labels: Sequence[str] | None = None,
) -> np.ndarray:
    """Area (ha) of every combination of unit and class codes across aligned rasters.

    With one raster the result has shape (n_units, n_classes + 1): column 0 is nodata, column
    k is land-use code k. With two rasters (from, to) it has shape
    (n_units, n_classes + 1, n_classes + 1): a transition matrix per unit. Pixels are assigned
    to units by their centre (as rasterstats does); pixels outside every unit are dropped.
    ``labels`` name the user's files behind the rasters in messages.
    """
    base = n_classes + 1
    n_units = len(units)
    labels = list(labels or map(str, raster_paths))
    sources = [rasterio.open(p) for p in raster_paths]
    try:
        first = sources[0]
        for src, label in zip(sources, labels, strict=True):
            check_same_crs(src.crs, units.crs, label)
            if (src.transform, src.shape) != (first.transform, first.shape):
                raise InputError(
                    f"{label}: its grid around the study units differs from that of "
                    f"{labels[0]}; every year must share one grid (gdalwarp -r near -tap)."
                )
        totals = np.zeros((n_units + 1) * base ** len(sources))
        for band in row_bands(first.height, first.width):
            key = rasterize_units(units.geometry.values, band, first.transform).astype("int64")
            for src in sources:
                with rasterio.Env(**GDAL_ENV):
                    data = src.read(1, window=band)
                if data.max(initial=0) > n_classes:
                    raise ValueError(f"{src.name}: code {data.max()} > {n_classes}.")
                key = key * base + data
            row_area = pixel_area_ha(first.transform, first.crs, band.row_off, band.height)
            totals += weighted_counts(key, row_area, totals.size)
    finally:
        for src in sources:
            src.close()
    return totals.reshape((n_units + 1,) + (base,) * len(sources))[1:]


def weighted_counts(key: np.ndarray, row_area: np.ndarray, size: int) -> np.ndarray:
    """Sum of pixel areas per key; integer counting when every row has the same pixel area."""
    if np.all(row_area == row_area[0]):
        return np.bincount(key.ravel(), minlength=size) * row_area[0]
    weights = np.broadcast_to(row_area[:, None], key.shape)
    return np.bincount(key.ravel(), weights.ravel(), minlength=size)


def area_table(
    areas: np.ndarray, unit_ids: Sequence[str], landuse: Sequence[str], year: int
) -> pd.DataFrame:
    """Long table (unit_id, year, landuse, area_ha) from a (units, nodata + classes) array."""
    frame = pd.DataFrame(areas[:, 1:], index=pd.Index(unit_ids, name="unit_id"), columns=landuse)
    long = frame.reset_index().melt(id_vars="unit_id", var_name="landuse", value_name="area_ha")
    long.insert(1, "year", int(year))
    return sort_by_landuse(long, landuse, ["unit_id", "year"])


def nodata_table(areas: np.ndarray, unit_ids: Sequence[str], year: int) -> pd.DataFrame:
    """Per unit, the nodata area inside it (column 0 of a (units, nodata + classes) array),
    its area counted in pixels (nodata included) and the nodata share of that area."""
    unit_area = areas.sum(axis=1)
    return pd.DataFrame(
        {
            "unit_id": list(unit_ids),
            "year": int(year),
            "nodata_ha": areas[:, 0],
            "unit_area_ha": unit_area,
            "nodata_share": np.divide(
                areas[:, 0], unit_area, out=np.zeros_like(unit_area), where=unit_area > 0
            ),
        }
    )


def nodata_warning(table: pd.DataFrame, label: str) -> str | None:
    """A message naming every unit with nodata pixels inside it and their hectares (None
    when there are none)."""
    holes = table[table["nodata_ha"] > 0].sort_values("nodata_ha", ascending=False)
    if holes.empty:
        return None
    listed = ", ".join(
        f"{row.unit_id} {row.nodata_ha:.2f} ha ({100 * row.nodata_share:.2f} %)"
        for row in holes.itertuples()
    )
    return (
        f"{label}: nodata pixels (or codes the reclass table maps to 'nodata') inside "
        f"{len(holes)} unit(s), {holes['nodata_ha'].sum():.2f} ha in all, left out of every "
        f"area and budget: {listed}. Fill the holes in the land cover (or map their codes to a "
        "land-use type); they are listed in tables/nodata_inside_units.csv."
    )


def transition_table(
    areas: np.ndarray, unit_ids: Sequence[str], landuse: Sequence[str], years: tuple[int, int]
) -> pd.DataFrame:
    """Long table (unit_id, year_from, year_to, landuse_from, landuse_to, area_ha)."""
    index = pd.MultiIndex.from_product(
        [unit_ids, landuse, landuse], names=["unit_id", "landuse_from", "landuse_to"]
    )
    long = pd.DataFrame({"area_ha": areas[:, 1:, 1:].ravel()}, index=index).reset_index()
    long.insert(1, "year_from", int(years[0]))
    long.insert(2, "year_to", int(years[1]))
    return long


def sort_by_landuse(df: pd.DataFrame, landuse: Sequence[str], keys: list[str]) -> pd.DataFrame:
    """Sort rows by ``keys`` then by land-use type in its table order (not alphabetically)."""
    rank = {name: i for i, name in enumerate(landuse)}
    ordered = df.assign(_rank=df["landuse"].map(rank)).sort_values([*keys, "_rank"])
    return ordered.drop(columns="_rank").reset_index(drop=True)
