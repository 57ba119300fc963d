"""The unit grid: every pixel of the study window numbered by the unit holding its centre
(1..n, 0 outside every unit), kept as runs (row, first column, end column, unit) of each row.
Rasterized once per study onto the first year's pixel grid and shared by every year and
transition: no raster job rasterizes polygons again, and pixels outside every unit (and blocks
no unit touches) are never read."""

from __future__ import annotations

import io
import json
import os
import threading
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import rasterio
from affine import Affine
from rasterio.windows import Window

from lucarbon.core.io import InputError, atomic_path
from lucarbon.raster.blocks import BLOCK, GDAL_ENV, TILE_PIXELS, rasterize_units, tiles

FORMAT = "lucarbon-unit-grid-1"  # kept in the grid file; a file of another format is refused


def grid_dtype(n_units: int) -> str:
    """The smallest unsigned integer type numbering ``n_units`` units (0 outside)."""
    return next(t for t in ("uint8", "uint16", "uint32") if n_units <= np.iinfo(t).max)


@dataclass
class UnitGrid:
    """The study window's pixel grid and its unit runs: those of row r are
    ``runs[row_ptr[r]:row_ptr[r + 1]]``, each (first column, end column, unit), in columns
    of the window."""

    transform: Affine
    width: int
    height: int
    crs: object
    n_units: int
    row_ptr: np.ndarray
    runs: np.ndarray

    @property
    def dtype(self) -> str:
        return grid_dtype(self.n_units)

    def windows(self, block: int = BLOCK, budget: int | None = None) -> list[Window]:
        """Windows of whole blocks covering every pixel in a unit and no block that holds
        none: per band of ``block`` rows, each stretch of touched blocks, split to at most
        ``budget`` pixels (default ``TILE_PIXELS``)."""
        budget = budget or TILE_PIXELS
        per_window = max(1, budget // (block * block))
        n_blocks = -(-self.width // block)
        out = []
        for top in range(0, self.height, block):
            band = self.runs[self.row_ptr[top] : self.row_ptr[min(top + block, self.height)]]
            marks = np.zeros(n_blocks + 1, dtype=np.int64)  # +1 where touched blocks start
            np.add.at(marks, band[:, 0] // block, 1)
            np.add.at(marks, (band[:, 1] - 1) // block + 1, -1)
            touched = np.cumsum(marks[:-1]) > 0
            edges = np.flatnonzero(np.diff(np.concatenate([[False], touched, [False]])))
            for start, stop in zip(edges[::2], edges[1::2], strict=True):
                for left in range(start, stop, per_window):
                    right = min(stop, left + per_window) * block
                    out.append(Window(left * block, top, min(right, self.width) - left * block,
                                      min(block, self.height - top)))  # fmt: skip
        return out

    def read(self, window: Window) -> np.ndarray:
        """Unit indices of ``window``, from the runs."""
        out = np.zeros((int(window.height), int(window.width)), dtype=self.dtype)
        for i in range(out.shape[0]):
            r = int(window.row_off) + i
            for c0, c1, unit in self.runs[self.row_ptr[r] : self.row_ptr[r + 1]]:
                lo, hi = max(c0 - window.col_off, 0), min(c1 - window.col_off, out.shape[1])
                if hi > lo:
                    out[i, lo:hi] = unit
        return out

    def offset_in(self, src: rasterio.DatasetReader) -> tuple[int, int]:
        """(column, row) of the grid's upper-left pixel in ``src`` (same pixel size and
        aligned edges, as check_landcover has made sure)."""
        col = (self.transform.c - src.transform.c) / src.transform.a
        row = (self.transform.f - src.transform.f) / src.transform.e
        return round(col), round(row)


def row_runs(index: np.ndarray, row0: int, col0: int) -> np.ndarray:
    """Runs (row, first column, end column, unit) of the unit pixels of ``index``, a window
    whose top-left pixel is at (``row0``, ``col0``)."""
    height, width = index.shape
    starts = np.ones((height, width), dtype=bool)
    starts[:, 1:] = index[:, 1:] != index[:, :-1]
    rows, first = np.nonzero(starts)
    next_in_row = np.append(rows[1:] == rows[:-1], False)
    end = np.where(next_in_row, np.append(first[1:], 0), width)
    unit = index[rows, first]
    keep = unit > 0
    return np.column_stack(
        [rows[keep] + row0, first[keep] + col0, end[keep] + col0, unit[keep]]
    ).astype(np.int64)


def grid_of(src: rasterio.DatasetReader, geometries, window: Window) -> UnitGrid:
    """The unit grid over ``window`` of ``src`` for the unit polygons ``geometries``
    (rasterized by pixel centre, a tile at a time)."""
    transform, height, width = src.window_transform(window), int(window.height), int(window.width)
    geometries = np.asarray(geometries, dtype=object)
    dtype = grid_dtype(len(geometries))
    parts = [
        row_runs(rasterize_units(geometries, t, transform, dtype), int(t.row_off), int(t.col_off))
        for t in tiles(height, width)
    ]
    runs = np.concatenate(parts) if parts else np.zeros((0, 4), dtype=np.int64)
    runs = runs[np.lexsort((runs[:, 1], runs[:, 0]))]
    row_ptr = np.searchsorted(runs[:, 0], np.arange(height + 1)).astype(np.int64)
    return UnitGrid(transform, width, height, src.crs, len(geometries), row_ptr, runs[:, 1:].copy())


def write_unit_grid(grid: UnitGrid, path: str | os.PathLike) -> None:
    """Save the grid (runs and georeference) in one file, byte-identical for the same grid."""
    meta = {"format": FORMAT, "transform": list(grid.transform)[:6], "width": grid.width,
            "height": grid.height, "crs": rasterio.crs.CRS.from_user_input(grid.crs).to_wkt(),
            "n_units": grid.n_units}  # fmt: skip
    members = {"meta": np.array([json.dumps(meta)]), "row_ptr": grid.row_ptr, "runs": grid.runs}
    with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w") as archive:
        for name, array in members.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
            archive.writestr(zipfile.ZipInfo(f"{name}.npy", (1980, 1, 1, 0, 0, 0)),
                             buffer.getvalue())  # fmt: skip


def open_unit_grid(path: str | os.PathLike) -> UnitGrid:
    """The grid saved by ``write_unit_grid``."""
    with np.load(path, allow_pickle=False) as saved:
        meta = json.loads(str(saved["meta"][0]))
        if meta.get("format") != FORMAT:
            raise ValueError(f"{path}: not a unit grid of format {FORMAT}; delete it to remake it")
        return UnitGrid(Affine(*meta["transform"]), meta["width"], meta["height"],
                        rasterio.crs.CRS.from_wkt(meta["crs"]), meta["n_units"],
                        saved["row_ptr"], saved["runs"])  # fmt: skip


def read_on_grid(
    src: rasterio.DatasetReader,
    offset: tuple[int, int],
    window: Window,
    fill: int,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Pixels of grid ``window`` from ``src`` whose grid starts at ``offset`` (into ``out``
    when given: an array of the window's shape and ``src``'s type); parts beyond the
    raster's edge (a later year of smaller extent) are ``fill`` (nodata)."""
    want = Window(window.col_off + offset[0], window.row_off + offset[1], window.width,
                  window.height)  # fmt: skip
    col0, row0 = max(0, want.col_off), max(0, want.row_off)
    col1 = min(src.width, want.col_off + want.width)
    row1 = min(src.height, want.row_off + want.height)
    if (col0, row0, col1, row1) == (want.col_off, want.row_off, want.col_off + want.width,
                                    want.row_off + want.height):  # fmt: skip
        return src.read(1, window=want, out=out)
    if out is None:
        out = np.empty((int(window.height), int(window.width)), dtype=src.dtypes[0])
    out[...] = fill
    if col1 > col0 and row1 > row0:
        out[
            row0 - want.row_off : row1 - want.row_off, col0 - want.col_off : col1 - want.col_off
        ] = src.read(1, window=Window(col0, row0, col1 - col0, row1 - row0))
    return out


def check_on_grid(src: rasterio.DatasetReader, grid: UnitGrid, label: str) -> None:
    """A raster read on the grid must have its pixel size and lie a whole number of pixels
    away from it."""
    col = (grid.transform.c - src.transform.c) / src.transform.a
    row = (grid.transform.f - src.transform.f) / src.transform.e
    same_size = np.allclose((src.transform.a, src.transform.e),
                            (grid.transform.a, grid.transform.e), rtol=1e-6, atol=0)  # fmt: skip
    if not same_size or max(abs(col - round(col)), abs(row - round(row))) > 1e-6:
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
