"""Block-wise raster helpers: row bands, pixel areas, rasterising units, output profiles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import rasterio
from affine import Affine
from rasterio import features
from rasterio.errors import CRSError
from rasterio.windows import Window

from lucarbon.core.conversions import M2_PER_HA
from lucarbon.core.io import InputError

if TYPE_CHECKING:
    from pyproj import CRS

# Streaming reads need only a small GDAL block cache; the default inflates memory and time.
GDAL_ENV = {"GDAL_CACHEMAX": 64}
# Pixels per tile: memory is bounded by this, whatever the raster's width and height.
TILE_PIXELS = 4 * 1024 * 1024
BLOCK = 512  # block size (pixels) of every raster the workflow writes
# Codec of the rasters the workflow writes (land use, unit grid), chosen by measurement on
# the Henan-extent raster (README, "Performance"): ZSTD level 1 writes 9x faster than
# DEFLATE level 6 with predictor 2 at 5 % more bytes; a predictor only hurts class codes.
CODEC = {"compress": "ZSTD", "zstd_level": 1}


def tiles(height: int, width: int, block: int = BLOCK, budget: int | None = None) -> list[Window]:
    """Windows of whole blocks in row-major order, each at most ``budget`` pixels (default
    ``TILE_PIXELS``; one block at least): full-width bands when a block row fits, else tiles
    across the width."""
    budget = budget or TILE_PIXELS
    if block * width <= budget:
        rows, cols = max(1, budget // (block * width)) * block, width
    else:
        rows, cols = block, max(1, budget // (block * block)) * block
    return [
        Window(left, top, min(cols, width - left), min(rows, height - top))
        for top in range(0, height, rows)
        for left in range(0, width, cols)
    ]


def pixel_area_ha(transform: Affine, crs: CRS | str, row_off: int, n_rows: int) -> np.ndarray:
    """Area in hectares of one pixel in each of ``n_rows`` rows starting at ``row_off``.

    For a projected CRS this is the constant |a·e| (only equal-area CRSs are accepted, see
    lucarbon.core.crs); for a geographic CRS it is the exact area of a pixel of each row on the
    CRS's ellipsoid, bounded by its two parallels and two meridians (``row_cell_area_m2``).
    """
    if not rasterio.crs.CRS.from_user_input(crs).is_geographic:
        return np.full(n_rows, abs(transform.a * transform.e) / M2_PER_HA)
    from pyproj import CRS  # the ellipsoid (only here: see equal_crs)

    crs = CRS.from_user_input(crs)
    if transform.b or transform.d:
        raise ValueError("rotated geographic rasters are not supported")
    ellipsoid = crs.ellipsoid
    centres = transform.f + transform.e * (np.arange(row_off, row_off + n_rows) + 0.5)
    areas = row_cell_area_m2(
        centres, abs(transform.e), abs(transform.a), ellipsoid.semi_major_metre,
        ellipsoid.inverse_flattening,
    )  # fmt: skip
    return areas / M2_PER_HA


def row_cell_area_m2(
    lat_centre: np.ndarray, height_deg: float, width_deg: float, a: float, inverse_flattening: float
) -> np.ndarray:
    """Exact area (m²) of cells ``width_deg`` × ``height_deg`` centred on latitudes
    ``lat_centre`` (degrees) on an ellipsoid (semi-major axis ``a``, 1/f).

    The area element a²(1−e²)cosφ/(1−e²sin²φ)² dφ dλ integrates, with s = sin φ, to
    a²(1−e²)Δλ [s/(2(1−e²s²)) + atanh(e s)/(2e)]. Both differences are written in terms of
    Δs = sin φ_b − sin φ_a = 2 cos φ̄ sin(Δφ/2), with Δφ the pixel height itself (not the
    difference of two rounded edge latitudes), so thin rows lose no digits.
    """
    e2 = (2 - 1 / inverse_flattening) / inverse_flattening
    e = np.sqrt(e2)
    centre, half = np.radians(lat_centre), np.radians(height_deg) / 2
    s_a, s_b = np.sin(centre - half), np.sin(centre + half)
    ds = 2 * np.cos(centre) * np.sin(half)
    d_a, d_b = 1 - e2 * s_a**2, 1 - e2 * s_b**2
    rational = ds * (1 + e2 * s_a * s_b) / (2 * d_a * d_b)
    logarithmic = np.arctanh(e * ds / (1 - e2 * s_a * s_b)) / (2 * e)
    return a**2 * (1 - e2) * np.radians(width_deg) * (rational + logarithmic)


def rasterize_units(
    geometries: Sequence, window: Window, transform: Affine, dtype: str = "int32"
) -> np.ndarray:
    """Burn unit indices 1..n (0 outside) by pixel centre into the grid of ``window``.

    Only units whose bounding box touches the window are burnt (same pixels, far less work
    for a band of a large raster). Call it outside a GDAL_CACHEMAX environment: GDAL's
    rasterizer runs several times slower with that option set.
    """
    import shapely  # only here: the per-year raster jobs rasterize nothing

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


def tiled_gtiff(width: int, height: int, dtype: str, block: int) -> dict:
    """What every single-band tiled GeoTIFF the project writes has in common."""
    return dict(driver="GTiff", width=width, height=height, count=1, dtype=dtype, tiled=True,
                blockxsize=block, blockysize=block, BIGTIFF="IF_SAFER")  # fmt: skip


def output_profile(
    profile: dict, width: int, height: int, transform: Affine, dtype: str = "uint8"
) -> dict:
    """A tiled, DEFLATE-compressed GeoTIFF profile like the CLCD product (the synthetic
    products' generators use it)."""
    return (
        dict(profile)
        | tiled_gtiff(width, height, dtype, 256)
        | dict(transform=transform, compress="DEFLATE", predictor=2)
    )


def compressed_profile(
    transform: Affine, width: int, height: int, crs, dtype: str = "uint8", threads: int = 1
) -> dict:
    """A tiled GeoTIFF profile in the workflow's codec (``CODEC``), compressed on ``threads``
    threads (GDAL NUM_THREADS)."""
    return tiled_gtiff(width, height, dtype, BLOCK) | dict(
        crs=crs, transform=transform, nodata=0, NUM_THREADS=max(1, int(threads)), **CODEC
    )


def check_same_crs(raster_crs: CRS | None, units_crs: CRS | None, label: str) -> None:
    """Fail clearly when the raster ``label`` (the user's file) and the prepared units are in
    different CRSs."""
    if raster_crs is None or not equal_crs(raster_crs, units_crs):
        raise InputError(
            f"{label}: CRS {raster_crs} differs from the study CRS {units_crs}; set "
            "'crs' in the config to the land-cover product's CRS (areas are computed in it)."
        )


def gdal_equal_crs(a, b) -> bool:
    """Whether GDAL (rasterio) finds two CRS definitions equal; False also where it cannot
    read one (pyproj then decides, and names what it cannot read)."""
    try:
        return rasterio.crs.CRS.from_user_input(a) == rasterio.crs.CRS.from_user_input(b)
    except CRSError:
        return False


def equal_crs(a, b) -> bool:
    """Whether two CRS definitions are equal: by GDAL, else by pyproj. The per-year raster
    jobs thus need not import pyproj (0.08 CPU-s a process, measured) for CRSs that GDAL
    already finds equal."""
    if gdal_equal_crs(a, b):
        return True
    from pyproj import CRS

    return CRS.from_user_input(a) == CRS.from_user_input(b)
