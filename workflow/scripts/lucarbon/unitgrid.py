"""The unit-index grid: every pixel of the study window numbered by the unit holding its
centre (1..n, 0 outside every unit). Rasterized once per study onto the first year's pixel
grid and shared by every year and transition, so no raster job rasterizes polygons again."""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import rasterio
from affine import Affine
from rasterio.windows import Window

from .io import InputError, atomic_path
from .raster import GDAL_ENV, compressed_profile, rasterize_units, tiles

UNITS_TAG = "LUCARBON_UNITS"  # number of units, kept in the grid file's metadata


def grid_dtype(n_units: int) -> str:
    """The smallest unsigned integer type numbering ``n_units`` units (0 outside)."""
    return next(t for t in ("uint8", "uint16", "uint32") if n_units <= np.iinfo(t).max)


@dataclass
class UnitGrid:
    """The study window's pixel grid and its unit index, read from the cached GeoTIFF
    (``path``) or, for small in-memory uses, rasterized from ``geometries`` tile by tile."""

    transform: Affine
    width: int
    height: int
    crs: object
    n_units: int
    path: str | os.PathLike | None = None
    geometries: np.ndarray | None = None

    @property
    def dtype(self) -> str:
        return grid_dtype(self.n_units)

    def tiles(self) -> list[Window]:
        return tiles(self.height, self.width)

    def read(self, window: Window, readers: Readers) -> np.ndarray:
        """Unit indices of ``window`` (this thread's handle on the grid file)."""
        if self.path is None:
            return rasterize_units(self.geometries, window, self.transform, self.dtype)
        return readers.get(self.path).read(1, window=window)

    def offset_in(self, src: rasterio.DatasetReader) -> tuple[int, int]:
        """(column, row) of the grid's upper-left pixel in ``src`` (same pixel size and
        aligned edges, as check_landcover has made sure)."""
        col = (self.transform.c - src.transform.c) / src.transform.a
        row = (self.transform.f - src.transform.f) / src.transform.e
        return round(col), round(row)


def grid_of(src: rasterio.DatasetReader, geometries, window: Window) -> UnitGrid:
    """The unit grid over ``window`` of ``src`` for the unit polygons ``geometries``."""
    return UnitGrid(
        src.window_transform(window),
        int(window.width),
        int(window.height),
        src.crs,
        len(geometries),
        geometries=np.asarray(geometries, dtype=object),
    )


def write_unit_grid(grid: UnitGrid, path: str | os.PathLike, threads: int = 1) -> None:
    """Rasterize the units once into ``path`` (smallest integer type, tiled, compressed)."""
    profile = compressed_profile(
        grid.transform, grid.width, grid.height, grid.crs, grid.dtype, threads
    )
    profile["nodata"] = None
    with atomic_path(path) as tmp, rasterio.open(tmp, "w", **profile) as dst:
        dst.update_tags(**{UNITS_TAG: grid.n_units})
        for window in grid.tiles():
            dst.write(rasterize_units(grid.geometries, window, grid.transform, grid.dtype), 1,
                      window=window)  # fmt: skip


def open_unit_grid(path: str | os.PathLike) -> UnitGrid:
    """The cached unit grid written by ``write_unit_grid``."""
    with rasterio.open(path) as src:
        return UnitGrid(
            src.transform, src.width, src.height, src.crs, int(src.tags()[UNITS_TAG]), path
        )


def read_on_grid(
    src: rasterio.DatasetReader, offset: tuple[int, int], window: Window, fill: int
) -> np.ndarray:
    """Pixels of grid ``window`` from ``src`` whose grid starts at ``offset``; parts beyond
    the raster's edge (a later year of smaller extent) are ``fill`` (nodata)."""
    want = Window(window.col_off + offset[0], window.row_off + offset[1], window.width,
                  window.height)  # fmt: skip
    col0, row0 = max(0, want.col_off), max(0, want.row_off)
    col1 = min(src.width, want.col_off + want.width)
    row1 = min(src.height, want.row_off + want.height)
    if (col0, row0, col1, row1) == (want.col_off, want.row_off, want.col_off + want.width,
                                    want.row_off + want.height):  # fmt: skip
        return src.read(1, window=want)
    out = np.full((int(window.height), int(window.width)), fill, dtype=src.dtypes[0])
    if col1 > col0 and row1 > row0:
        out[
            row0 - want.row_off : row1 - want.row_off, col0 - want.col_off : col1 - want.col_off
        ] = src.read(1, window=Window(col0, row0, col1 - col0, row1 - row0))
    return out


def check_on_grid(src: rasterio.DatasetReader, grid: UnitGrid, label: str) -> None:
    """A raster read on the grid must have its pixel size (whole-pixel offsets)."""
    if not np.allclose((src.transform.a, src.transform.e), (grid.transform.a, grid.transform.e),
                       rtol=1e-6, atol=0):  # fmt: skip
        raise InputError(
            f"{label}: its grid around the study units differs from the study's unit grid; "
            "every year must share one grid (gdalwarp -r near -tap)."
        )


class Readers:
    """One open dataset per path and thread (GDAL handles are not shared between threads),
    every one opened inside ``env`` and closed at the end."""

    def __init__(self, env: dict | None = None) -> None:
        self.env = dict(GDAL_ENV) | (env or {})
        self.local = threading.local()
        self.opened: list[rasterio.DatasetReader] = []
        self.lock = threading.Lock()

    def get(self, path) -> rasterio.DatasetReader:
        handles = self.local.__dict__.setdefault("handles", {})
        if path not in handles:
            with rasterio.Env(**self.env):
                handles[path] = rasterio.open(path)
            with self.lock:
                self.opened.append(handles[path])
        return handles[path]

    def env_context(self) -> rasterio.Env:
        """The GDAL options of every read (set per thread)."""
        return rasterio.Env(**self.env)

    def __enter__(self) -> Readers:
        return self

    def __exit__(self, *exc) -> None:
        for src in self.opened:
            src.close()


def ordered_map(fn: Callable, items: Iterable, threads: int) -> Iterator:
    """``map(fn, items)`` on ``threads`` threads, in order, with at most two tiles per
    thread in flight (numpy and GDAL release the GIL; memory stays bounded)."""
    if threads <= 1:
        yield from map(fn, items)
        return
    with ThreadPoolExecutor(threads) as pool:
        pending: deque = deque()
        for item in items:
            pending.append(pool.submit(fn, item))
            if len(pending) >= 2 * threads:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
