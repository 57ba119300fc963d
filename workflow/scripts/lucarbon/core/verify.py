"""Checks that a file just written reads back whole, by type, before ``atomic_path`` renames it
into place (lucarbon.core.io). A full disk can leave a file short without any error reaching
Python (GDAL only logs a failed write when it flushes a GeoTIFF at close), so every output is
reopened: a GeoTIFF must have its profile's size, bands and data type, every block inside
the file and its last block readable; a GeoPackage must pass SQLite's quick_check; a NumPy
array must map and read its last value, an archive of them pass its CRC checks; JSON must
parse; PNG, PDF and SVG must end as their
format ends. Each check is cheap: it reads the file's structure and its tail, not all data.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import sys
import zipfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np


class Unreadable(Exception):
    """A file just written does not read back whole; the message says what is wrong."""


def check_file(path: Path, suffix: str) -> None:
    """Check ``path`` (a temporary name) as a file of type ``suffix`` (its final name's)."""
    if path.stat().st_size == 0:
        raise Unreadable("it is empty")
    check = CHECKS.get(suffix.lower())
    if check is not None:
        check(path)


def check_raster(path: Path, expected: Mapping | None = None) -> None:
    """A raster reopens with ``expected``'s width, height, count and dtype (when given), every
    GeoTIFF block lies inside the file and the last block of every band reads.

    It is checked with the rasterio the writer used (a process that wrote a GeoTIFF has it
    loaded): this module, imported by every rule through lucarbon.core.io, imports no raster
    library, so the table and figure environments need none. A GeoTIFF written otherwise
    gets the size check only."""
    rasterio = sys.modules.get("rasterio")
    if rasterio is None:
        return
    size = path.stat().st_size
    try:
        with rasterio.open(path) as src:
            if expected:
                wanted = {key: expected[key] for key in ("width", "height", "count")}
                found = {key: getattr(src, key) for key in wanted}
                if found != wanted:
                    raise Unreadable(f"it has {found}, written as {wanted}")
                if {str(np.dtype(t)) for t in src.dtypes} != {str(np.dtype(expected["dtype"]))}:
                    raise Unreadable(f"data type {src.dtypes}, written as {expected['dtype']}")
            for band in src.indexes:
                rows, cols = _blocks(src, band)
                for row in range(rows):
                    for col in range(cols):
                        _check_block(src, band, col, row, size)
                src.read(band, window=src.block_window(band, rows - 1, cols - 1))
    except rasterio.errors.RasterioError as err:
        raise Unreadable(str(err)) from err


def _blocks(src, band: int) -> tuple[int, int]:
    """Rows and columns of blocks of ``band``."""
    height, width = src.block_shapes[band - 1]
    return -(-src.height // height), -(-src.width // width)


def _check_block(src, band: int, col: int, row: int, size: int) -> None:
    offset = src.get_tag_item(f"BLOCK_OFFSET_{col}_{row}", "TIFF", bidx=band)
    if offset is None:  # not a TIFF: the read of the last block is the check
        return
    length = int(src.get_tag_item(f"BLOCK_SIZE_{col}_{row}", "TIFF", bidx=band) or 0)
    if int(offset) == 0 or int(offset) + length > size:
        raise Unreadable(
            f"block ({row}, {col}) of band {band} lies at bytes {offset}+{length}, the file "
            f"has {size}"
        )


def check_geopackage(path: Path) -> None:
    """A GeoPackage (an SQLite database) passes SQLite's quick_check."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
            result = db.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.Error as err:
        raise Unreadable(f"not a readable GeoPackage ({err})") from err
    if result != "ok":
        raise Unreadable(f"SQLite quick_check: {result}")


def check_npy(path: Path) -> None:
    """A NumPy array file maps at its declared shape and its last value reads."""
    try:
        array = np.load(path, mmap_mode="r")
    except (ValueError, OSError) as err:
        raise Unreadable(f"not a whole NumPy array ({err})") from err
    if array.size:
        array.reshape(-1)[-1].item()


def check_npz(path: Path) -> None:
    """A NumPy archive (a zip) whose every member passes its CRC check."""
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
    except (zipfile.BadZipFile, OSError) as err:
        raise Unreadable(f"not a whole NumPy archive ({err})") from err
    if bad is not None:
        raise Unreadable(f"member {bad} fails its CRC check")


def check_json(path: Path) -> None:
    try:
        json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        raise Unreadable(f"not whole JSON ({err})") from err


def _tail_check(marker: bytes, what: str):
    def check(path: Path) -> None:
        with open(path, "rb") as f:
            f.seek(max(path.stat().st_size - 1024, 0))
            if marker not in f.read():
                raise Unreadable(f"it does not end as {what} does ({marker!r} missing)")

    return check


def has_size(size: int):
    """A check that the file has ``size`` bytes (a copy or an extracted zip member)."""

    def check(path: Path) -> None:
        if path.stat().st_size != size:
            raise Unreadable(f"it has {path.stat().st_size} bytes, {size} were written")

    return check


def same_bytes(data: bytes):
    """A check that the file holds exactly ``data`` (its size and its last 64 KiB)."""

    def check(path: Path) -> None:
        size = path.stat().st_size
        if size != len(data):
            raise Unreadable(f"it has {size} bytes, {len(data)} were written")
        with open(path, "rb") as f:
            f.seek(max(size - (1 << 16), 0))
            if f.read() != data[-(1 << 16) :]:
                raise Unreadable("its last bytes differ from those written")

    return check


CHECKS = {
    ".tif": check_raster,
    ".tiff": check_raster,
    ".gpkg": check_geopackage,
    ".npy": check_npy,
    ".npz": check_npz,
    ".json": check_json,
    ".png": _tail_check(b"IEND", "a PNG"),
    ".pdf": _tail_check(b"%%EOF", "a PDF"),
    ".svg": _tail_check(b"</svg>", "an SVG"),
}
