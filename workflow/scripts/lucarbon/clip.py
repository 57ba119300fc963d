"""One pass over a year's land cover on the study's unit grid: read only the study window
(only its blocks over HTTP in cog mode), reclassify through the lookup in memory, count the
area of every (unit, land-use type) and write the land-use raster (0 outside the units) once.
"""

from __future__ import annotations

import math
import os

import numpy as np
import pandas as pd
import rasterio
from rasterio.errors import RasterioIOError
from rasterio.windows import Window

from .acquire import VSICURL_ENV, DownloadError
from .io import InputError, atomic_path
from .landuse import UNMAPPED, build_lookup
from .raster import check_same_crs, compressed_profile, pixel_area_ha
from .rastercheck import CodeCounter
from .unitgrid import Readers, UnitGrid, check_on_grid, ordered_map, read_on_grid
from .zonal import keyed_counts


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


def block_aligned(src: rasterio.DatasetReader, window: Window) -> Window:
    """``window`` grown left and up to the edges of ``src``'s blocks, so that reading the
    study window of this year (and of every year of the same extent) decodes no block twice."""
    rows, cols = src.block_shapes[0]
    col0, row0 = window.col_off // cols * cols, window.row_off // rows * rows
    return Window(col0, row0, window.col_off + window.width - col0,
                  window.row_off + window.height - row0)  # fmt: skip


def code_index(dtype: str, codes: pd.Series, nodata: int) -> tuple[np.ndarray | None, np.ndarray]:
    """Small keys for the codes of a ``dtype`` raster: (raw code → index, or None for 8-bit
    rasters whose codes are their own index; the code of each index, −1 for 'any other')."""
    if np.iinfo(dtype).max < 256:
        return None, np.arange(256)
    known = np.unique(np.append(codes.to_numpy(dtype="int64"), nodata))
    index = np.full(np.iinfo(dtype).max + 1, len(known), dtype=dtype)
    index[known] = np.arange(len(known))
    return index, np.append(known, -1)


def clip_reclassify(
    src_path: str | os.PathLike,
    grid: UnitGrid,
    dst_path: str | os.PathLike,
    reclass: pd.DataFrame,
    types: pd.DataFrame,
    reclass_path: str | os.PathLike,
    nodata: int,
    label: str,
    threads: int = 1,
) -> np.ndarray:
    """Write the land-use raster of ``src_path`` (a local path or a /vsicurl/ URL) on the
    ``grid`` and return the area (ha) of every unit and land-use code, shape
    (n_units, n_types + 1), column 0 nodata. Codes inside the units that the reclass table
    does not map stop it (naming ``label``, the user's file, the codes and their pixel
    counts) before the output appears."""
    try:
        return _clip_reclassify(
            src_path, grid, dst_path, reclass, types, reclass_path, nodata, label, threads
        )
    except RasterioIOError as err:
        if not str(src_path).startswith("/vsicurl/"):
            raise
        raise DownloadError(
            f"Could not read {label} over HTTP ({err}). If you are offline or the server "
            "refuses range requests, download the file by hand, add it to the registry as a "
            "local path (or file:// URL) with its md5 and set landcover.mode to 'file'."
        ) from err


def _clip_reclassify(src_path, grid, dst_path, reclass, types, reclass_path, nodata, label,
                     threads) -> np.ndarray:  # fmt: skip
    with Readers(VSICURL_ENV) as readers, readers.env_context():
        src = readers.get(src_path)
        check_same_crs(src.crs, grid.crs, label)
        check_on_grid(src, grid, label)
        offset, dtype = grid.offset_in(src), src.dtypes[0]
        lookup = build_lookup(reclass, types, reclass_path, dtype)
        lookup[nodata] = 0
        index, codes = code_index(dtype, reclass["code"], nodata)
        landuse_of = np.where(codes >= 0, lookup[np.maximum(codes, 0)], UNMAPPED)
        size = (grid.n_units + 1) * len(codes)
        to_landuse = np.zeros((grid.n_units + 1, len(codes)), dtype="uint8")
        to_landuse[1:] = np.maximum(landuse_of, 0)
        to_landuse = to_landuse.ravel()

        def count(window: Window):
            with readers.env_context():
                units = grid.read(window, readers)
                raw = read_on_grid(readers.get(src_path), offset, window, nodata)
            layers = [units, raw if index is None else index[raw]]
            rows = pixel_area_ha(grid.transform, grid.crs, window.row_off, window.height)
            areas, landuse = keyed_counts(layers, [len(codes)], rows, size, to_landuse)
            return window, landuse, areas

        totals = np.zeros(size)
        profile = compressed_profile(
            grid.transform, grid.width, grid.height, grid.crs, "uint8", threads
        )
        with atomic_path(dst_path) as tmp, rasterio.open(tmp, "w", **profile) as dst:
            for window, landuse, areas in ordered_map(count, grid.tiles(), threads):
                dst.write(landuse, 1, window=window)
                totals += areas
            table = totals.reshape(grid.n_units + 1, len(codes))[1:]
            counter = CodeCounter(dtype, nodata)
            if table[:, landuse_of == UNMAPPED].any():
                count_codes(counter, src, grid, offset, nodata, readers)
            counter.check(reclass, types, reclass_path, label)
    by_type = np.zeros((len(codes), len(types) + 1))
    mapped = landuse_of >= 0
    by_type[np.flatnonzero(mapped), landuse_of[mapped]] = 1
    return table @ by_type


def count_codes(counter: CodeCounter, src, grid: UnitGrid, offset, nodata, readers) -> None:
    """Pixel counts of every code inside the units (a second pass, only when some code is
    not mapped, so that the message can list each with its pixel count)."""
    for window in grid.tiles():
        inside = grid.read(window, readers) > 0
        counter.add(read_on_grid(src, offset, window, nodata), inside)
