"""Block-wise raster helpers: row bands, pixel areas, rasterising units, output profiles."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

import numpy as np
import rasterio
import shapely
from affine import Affine
from pyproj import CRS
from rasterio import features
from rasterio.windows import Window

from .conversions import M2_PER_HA

# Streaming reads need only a small GDAL block cache; the default inflates memory and time.
GDAL_ENV = {"GDAL_CACHEMAX": 64}
BAND_PIXELS = 8_000_000


def row_bands(height: int, width: int, block_rows: int = 256) -> Iterator[Window]:
    """Yield full-width windows of whole blocks, about ``BAND_PIXELS`` pixels each."""
    rows = max(block_rows, (BAND_PIXELS // max(width, 1)) // block_rows * block_rows)
    for top in range(0, height, rows):
        yield Window(0, top, width, min(rows, height - top))


def pixel_area_ha(transform: Affine, crs: CRS | str, row_off: int, n_rows: int) -> np.ndarray:
    """Area in hectares of one pixel in each of ``n_rows`` rows starting at ``row_off``.

    For a projected CRS this is the constant |a·e| (callers should use an equal-area CRS);
    for a geographic CRS it is the true ellipsoidal area of a pixel in each row.
    """
    crs = CRS.from_user_input(crs)
    if not crs.is_geographic:
        return np.full(n_rows, abs(transform.a * transform.e) / M2_PER_HA)
    if transform.b or transform.d:
        raise ValueError("rotated geographic rasters are not supported")
    geod = crs.get_geod()
    lon0, lon1 = transform.c, transform.c + transform.a
    edges = transform.f + transform.e * np.arange(row_off, row_off + n_rows + 1)
    areas = [
        abs(geod.polygon_area_perimeter([lon0, lon1, lon1, lon0], [top, top, bottom, bottom])[0])
        for top, bottom in itertools.pairwise(edges)
    ]
    return np.asarray(areas) / M2_PER_HA


def rasterize_units(
    geometries: Sequence, window: Window, transform: Affine, dtype: str = "int32"
) -> np.ndarray:
    """Burn unit indices 1..n (0 outside) by pixel centre into the grid of ``window``.

    Only units whose bounding box touches the window are burnt (same pixels, far less work
    for a band of a large raster). Call it outside a GDAL_CACHEMAX environment: GDAL's
    rasterizer runs several times slower with that option set.
    """
    shape = (int(window.height), int(window.width))
    geometries = np.asarray(geometries, dtype=object)
    if not len(geometries):
        return np.zeros(shape, dtype=dtype)
    left, bottom, right, top = rasterio.windows.bounds(window, transform)
    xmin, ymin, xmax, ymax = shapely.bounds(geometries).T
    touching = np.flatnonzero((xmin <= right) & (xmax >= left) & (ymin <= top) & (ymax >= bottom))
    if not len(touching):
        return np.zeros(shape, dtype=dtype)
    shapes = ((geometries[i], int(i) + 1) for i in touching)
    return features.rasterize(
        shapes,
        out_shape=shape,
        transform=rasterio.windows.transform(window, transform),
        fill=0,
        all_touched=False,
        dtype=dtype,
    )


def output_profile(profile: dict, width: int, height: int, transform: Affine) -> dict:
    """A tiled, DEFLATE-compressed uint8 GeoTIFF profile like the CLCD product."""
    out = dict(profile)
    out.update(
        driver="GTiff",
        width=width,
        height=height,
        transform=transform,
        count=1,
        dtype="uint8",
        tiled=True,
        blockxsize=256,
        blockysize=256,
        compress="DEFLATE",
        predictor=2,
        BIGTIFF="IF_SAFER",
    )
    return out


def check_same_crs(raster_crs: CRS | None, units_crs: CRS | None, raster_path: str) -> None:
    """Fail clearly when the raster and the prepared units are in different CRSs."""
    if raster_crs is None or CRS.from_user_input(raster_crs) != CRS.from_user_input(units_crs):
        raise ValueError(
            f"{raster_path}: CRS {raster_crs} differs from the study CRS {units_crs}; set "
            "'crs' in the config to the land-cover product's CRS (areas are computed in it)."
        )
