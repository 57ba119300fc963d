"""Land use from the raw land cover on the study's unit grid: the study window, the lookup
from land-cover codes to land-use types, the areas of a year or a transition in one pass over
the raw rasters, and (on request) the land-use raster itself."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping

import numpy as np
import pandas as pd
import rasterio
from rasterio.errors import RasterioIOError
from rasterio.windows import Window

from lucarbon.acquire.datasets import VSICURL_ENV, DownloadError
from lucarbon.core.io import InputError, verified_raster
from lucarbon.raster.blocks import compressed_profile, tiles
from lucarbon.raster.checks import CodeCounter
from lucarbon.raster.landuse import UNMAPPED, build_lookup
from lucarbon.raster.unitgrid import Readers, UnitGrid, read_on_grid
from lucarbon.raster.zonal import UnmappedCodes, zonal_class_areas


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


def tile_window(
    window: Window, tiles: tuple[int, int], tile: tuple[int, int], block: int
) -> Window:
    """Tile (row ``tile[0]``, column ``tile[1]``) of ``window`` split into ``tiles`` (rows,
    columns) of nearly equal size in whole ``block``s (the last ones take the rest): every
    pixel of the window in exactly one tile."""

    def edges(size: int, n: int, k: int) -> tuple[int, int]:
        blocks = -(-int(size) // block)
        return tuple(min(int(size), round(i * blocks / n) * block) for i in (k, k + 1))

    r0, r1 = edges(window.height, tiles[0], tile[0])
    c0, c1 = edges(window.width, tiles[1], tile[1])
    return Window(window.col_off + c0, window.row_off + r0, c1 - c0, r1 - r0)


def landcover_lookup(
    reclass: pd.DataFrame, types: pd.DataFrame, reclass_path, dtype: str, nodata: int, label: str
) -> np.ndarray:
    """Land-use code (0 nodata, 1..n) of every value of a ``dtype`` land-cover raster, n + 1
    for codes the reclass table does not map; fails first when the table maps the product's
    nodata value (of ``label``, the user's file) to a type."""
    CodeCounter(dtype, nodata).check(reclass, types, reclass_path, label)
    lookup = build_lookup(reclass, types, reclass_path, dtype)
    lookup[nodata] = 0
    return np.where(lookup == UNMAPPED, len(types) + 1, lookup).astype("uint8")


def landuse_counts(
    src_paths: list[str | os.PathLike],
    grid: UnitGrid,
    reclass: pd.DataFrame,
    types: pd.DataFrame,
    reclass_path: str | os.PathLike,
    nodata: list[int],
    labels: list[str],
    threads: int = 1,
    env: Mapping[str, str] = VSICURL_ENV,
) -> np.ndarray:
    """Areas (ha) of one year's land use per unit and type, shape (n_units, n_types + 1) with
    column 0 nodata, or with two years (from, to) the transition matrices, shape
    (n_units, n_types + 1, n_types + 1): one pass over the raw land cover (local paths or
    /vsicurl/ URLs; in cog mode only the blocks under the units travel), reclassified on the
    fly. Codes inside the units that the reclass table does not map stop it, naming the
    user's file (``labels``), the codes and their pixel counts. ``env``: GDAL's settings
    for remote reads (vsicurl_env of the config's download settings)."""
    try:
        with rasterio.Env(**env):
            dtypes = []
            for path in src_paths:
                with rasterio.open(path) as src:
                    dtypes.append(src.dtypes[0])
        lookups = [
            landcover_lookup(reclass, types, reclass_path, dtype, value, label)
            for dtype, value, label in zip(dtypes, nodata, labels, strict=True)
        ]
        try:
            return zonal_class_areas(src_paths, grid, len(types), labels, threads, lookups,
                                     nodata, env)  # fmt: skip
        except UnmappedCodes as err:
            for path in err.paths:
                i = src_paths.index(path)
                counter = count_codes(path, grid, dtypes[i], nodata[i], env)
                counter.check(reclass, types, reclass_path, labels[i])
            raise
    except RasterioIOError as err:
        remote = next((p for p in map(str, src_paths) if p.startswith("/vsicurl/")), None)
        if remote is None:
            raise
        raise DownloadError(
            f"Could not read {labels[list(map(str, src_paths)).index(remote)]} over HTTP "
            f"({err}). If you are offline or the server refuses range requests, download the "
            "file by hand, add it to the registry as a local path (or file:// URL) with its md5 "
            "and set landcover.mode to 'file' (config keys download.connect_timeout_s, "
            "read_timeout_s and retries govern these reads)."
        ) from err


def count_codes(
    path, grid: UnitGrid, dtype: str, nodata: int, env: Mapping[str, str] = VSICURL_ENV
) -> CodeCounter:
    """Pixel counts of every code inside the units (a second pass, only when some code is
    not mapped, so that the message can list each with its pixel count)."""
    counter = CodeCounter(dtype, nodata)
    with Readers(env) as readers, readers.env_context():
        src = readers.get(path)
        offset = grid.offset_in(src)
        for window in grid.windows():
            counter.add(read_on_grid(src, offset, window, nodata), grid.read(window) > 0)
    return counter


def write_landuse_raster(
    src_path: str | os.PathLike,
    grid: UnitGrid,
    dst_path: str | os.PathLike,
    lookup: np.ndarray,
    nodata: int,
    threads: int = 1,
    env: Mapping[str, str] = VSICURL_ENV,
) -> None:
    """The land-use raster of one year on the study grid (0 outside the units and for
    nodata), in the workflow's codec, compressed on ``threads`` threads; ``env`` as for
    landuse_counts."""
    profile = compressed_profile(grid.transform, grid.width, grid.height, grid.crs, "uint8",
                                 threads)  # fmt: skip
    with (
        Readers(env) as readers,
        readers.env_context(),
        verified_raster(dst_path, profile) as tmp,
        rasterio.open(tmp, "w", **profile) as dst,
    ):
        src = readers.get(src_path)
        offset = grid.offset_in(src)
        for window in tiles(grid.height, grid.width):
            landuse = lookup[read_on_grid(src, offset, window, nodata)]
            landuse[grid.read(window) == 0] = 0
            dst.write(landuse, 1, window=window)
