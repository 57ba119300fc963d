"""Areas per unit and land-use type (and transitions) in one streaming pass over rasters
on the study's unit grid."""

from __future__ import annotations

import os
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
from rasterio.windows import Window

from .io import InputError
from .raster import check_same_crs, pixel_area_ha
from .unitgrid import Readers, UnitGrid, check_on_grid, grid_dtype, grid_of, ordered_map

CHUNK_PIXELS = 1 << 18  # pixels whose intp keys are built at once (2 MB: the CPU's L2 cache)


def zonal_class_areas(
    raster_paths: Sequence[str | os.PathLike],
    units: gpd.GeoDataFrame | UnitGrid,
    n_classes: int,
    labels: Sequence[str] | None = None,
    threads: int = 1,
) -> np.ndarray:
    """Area (ha) of every combination of unit and class codes across aligned rasters.

    With one raster the result has shape (n_units, n_classes + 1): column 0 is nodata, column
    k is land-use code k. With two rasters (from, to) it has shape
    (n_units, n_classes + 1, n_classes + 1): a transition matrix per unit, counted in one
    pass over both. Pixels are assigned to units by their centre (as rasterstats does), from
    the study's unit grid or, given polygons, rasterized over the first raster; pixels
    outside every unit are dropped. ``labels`` name the user's files in messages.
    """
    base = n_classes + 1
    labels = list(labels or map(str, raster_paths))
    with Readers() as readers, readers.env_context():
        sources = [readers.get(p) for p in raster_paths]
        first = sources[0]
        if not isinstance(units, UnitGrid):
            units = grid_of(first, units.geometry.values, Window(0, 0, first.width, first.height))
        grid = units
        for src, label in zip(sources, labels, strict=True):
            check_same_crs(src.crs, grid.crs, label)
            check_on_grid(src, grid, label)
            if (src.transform, src.shape) != (grid.transform, (grid.height, grid.width)):
                raise InputError(
                    f"{label}: its grid around the study units differs from that of "
                    f"{labels[0]}; every year must share one grid (gdalwarp -r near -tap)."
                )
        size = (grid.n_units + 1) * base ** len(sources)
        pair_dtype = grid_dtype(base ** len(sources) - 1)

        def count(window: Window) -> np.ndarray:
            with readers.env_context():
                layers = [grid.read(window, readers)]
                for path in raster_paths:
                    layers.append(readers.get(path).read(1, window=window))
                    if layers[-1].max(initial=0) > n_classes:
                        raise ValueError(f"{path}: code {layers[-1].max()} > {n_classes}.")
            # The years' codes combined first in small integers (fast vector arithmetic).
            classes = layers[1].astype(pair_dtype)
            for later in layers[2:]:
                classes *= base
                classes += later
            rows = pixel_area_ha(grid.transform, grid.crs, window.row_off, window.height)
            return keyed_counts([layers[0], classes], [base ** len(sources)], rows, size)[0]

        totals = sum(ordered_map(count, grid.tiles(), threads), np.zeros(size))
    return totals.reshape((grid.n_units + 1,) + (base,) * len(sources))[1:]


def keyed_counts(
    layers: Sequence[np.ndarray],
    bases: Sequence[int],
    row_area: np.ndarray,
    size: int,
    lookup: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Sum of pixel areas per combined key (((l0·b0 + l1)·b1 + l2)…) of aligned 2-D
    ``layers`` of small integers, and ``lookup[key]`` per pixel when a lookup is given.

    Keys are built a few rows at a time in the CPU cache as intp, the index type np.bincount
    and np.take use inside (small-integer keys would be converted on every call: measured
    1.5 times slower). Counting is in integers when every row has the same pixel area.
    """
    height, width = layers[0].shape
    step = max(1, max(CHUNK_PIXELS, 4 * size) // width)
    key = np.empty(min(height, step) * width, dtype=np.intp)
    constant = bool(np.all(row_area == row_area[0]))
    counts = np.zeros(size, dtype=np.int64 if constant else np.float64)
    out = None if lookup is None else np.empty(height * width, dtype=lookup.dtype)
    for top in range(0, height, step):
        rows = slice(top, min(height, top + step))
        chunk = key[: (rows.stop - top) * width]
        np.copyto(chunk, layers[0][rows].ravel())
        for layer, base in zip(layers[1:], bases, strict=True):
            chunk *= base
            chunk += layer[rows].ravel()
        weights = None if constant else np.repeat(row_area[rows], width)
        counts += np.bincount(chunk, weights, minlength=size)
        if out is not None:
            np.take(lookup, chunk, out=out[top * width : rows.stop * width])
    areas = counts * row_area[0] if constant else counts
    return areas, None if out is None else out.reshape(height, width)


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
