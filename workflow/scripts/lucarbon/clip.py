"""Clip a land-cover raster to the study units: crop to their extent, nodata outside them."""

from __future__ import annotations

import math
import os
from collections.abc import Callable

import geopandas as gpd
import numpy as np
import rasterio
from rasterio.errors import RasterioIOError
from rasterio.windows import Window

from .acquire import VSICURL_ENV, DownloadError
from .io import InputError, atomic_path
from .raster import GDAL_ENV, check_same_crs, output_profile, rasterize_units, row_bands
from .rastercheck import CodeCounter


def study_window(
    src: rasterio.DatasetReader, bounds: tuple[float, ...], label: str | None = None
) -> Window:
    """The smallest whole-pixel window of ``src`` covering ``bounds``, within the raster."""
    inv = ~src.transform
    cols, rows = zip(
        *(inv * (x, y) for x in (bounds[0], bounds[2]) for y in (bounds[1], bounds[3])),
        strict=True,
    )
    col0, row0 = max(0, math.floor(min(cols))), max(0, math.floor(min(rows)))
    col1, row1 = min(src.width, math.ceil(max(cols))), min(src.height, math.ceil(max(rows)))
    if col1 <= col0 or row1 <= row0:
        raise InputError(f"{label or src.name}: the study units do not overlap the raster extent.")
    return Window(col0, row0, col1 - col0, row1 - row0)


def clip_to_units(
    src_path: str | os.PathLike,
    units: gpd.GeoDataFrame,
    dst_path: str | os.PathLike,
    nodata: int,
    label: str,
    check_codes: Callable[[CodeCounter], None] | None = None,
) -> dict:
    """Write the study-area window of ``src_path`` (a local path or a /vsicurl/ URL, then only
    that window is read over HTTP) in its own data type; pixels whose centre is outside every
    unit become ``nodata`` (the product's). The codes inside the units are counted while they
    are read and ``check_codes`` may refuse them before the output appears. ``label`` names
    the user's file in messages. Returns a summary (window, pixels kept, code counts)."""
    try:
        return _clip(src_path, units, dst_path, nodata, label, check_codes)
    except RasterioIOError as err:
        if not str(src_path).startswith("/vsicurl/"):
            raise
        raise DownloadError(
            f"Could not read {label} over HTTP ({err}). If you are offline or the server "
            "refuses range requests, download the file by hand, add it to the registry as a "
            "local path (or file:// URL) with its md5 and set landcover.mode to 'file'."
        ) from err


def _clip(src_path, units, dst_path, nodata, label, check_codes) -> dict:
    with rasterio.Env(**VSICURL_ENV), rasterio.open(src_path) as src:
        check_same_crs(src.crs, units.crs, label)
        window = study_window(src, tuple(units.total_bounds), label)
        transform = src.window_transform(window)
        dtype = src.dtypes[0]
        profile = output_profile(
            src.profile, int(window.width), int(window.height), transform, dtype
        )
        profile["nodata"] = nodata
        try:
            colormap = src.colormap(1)
        except ValueError:
            colormap = None
        counter = CodeCounter(dtype, nodata)
        with atomic_path(dst_path) as tmp, rasterio.open(tmp, "w", **profile) as dst:
            if colormap:
                dst.write_colormap(1, colormap)  # before the data, as GeoTIFF requires
            for band in row_bands(dst.height, dst.width):
                inside = rasterize_units(units.geometry.values, band, transform) > 0
                read = Window(
                    window.col_off, window.row_off + band.row_off, band.width, band.height
                )
                with rasterio.Env(**GDAL_ENV):
                    data = src.read(1, window=read)
                counter.add(data, inside)
                dst.write(np.where(inside, data, nodata).astype(dtype), 1, window=band)
            if check_codes is not None:
                check_codes(counter)
    codes = counter.present()
    kept = sum(n for code, n in codes.items() if code != nodata)
    return {"window": window.flatten(), "valid_pixels": kept, "pixels_by_code": codes}
