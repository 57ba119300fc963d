"""Areas per unit and land-use type (and transitions) in one streaming pass over rasters
on the study's unit grid."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from rasterio.windows import Window

from lucarbon.raster.blocks import check_same_crs, pixel_area_ha
from lucarbon.raster.unitgrid import (
    Readers,
    UnitGrid,
    check_on_grid,
    grid_of,
    ordered_map,
    read_on_grid,
)

if TYPE_CHECKING:
    import geopandas as gpd


def zonal_class_areas(
    raster_paths: Sequence[str | os.PathLike],
    units: gpd.GeoDataFrame | UnitGrid,
    n_classes: int,
    labels: Sequence[str] | None = None,
    threads: int = 1,
    lookups: Sequence[np.ndarray] | None = None,
    fills: Sequence[int] | None = None,
    env: dict | None = None,
) -> np.ndarray:
    """Area (ha) of every combination of unit and class across one or two aligned rasters.

    With one raster the result has shape (n_units, n_classes + 1): column 0 is nodata, column
    k is class k. With two rasters (from, to) it has shape (n_units, n_classes + 1,
    n_classes + 1): a transition matrix per unit, counted in one pass over both (a path given
    twice is read once). ``lookups`` (one per raster, indexed by the raw code) turn raw codes
    into classes 0..n_classes on the fly and map codes they do not know to n_classes + 1;
    without them the codes are the classes. A pixel inside a unit whose code maps to no class
    raises ``UnmappedCodes`` naming the rasters. Pixels are assigned to units by their centre
    (as rasterstats does), from the study's unit grid or, given polygons, rasterized over the
    first raster; pixels outside every unit are never counted, blocks no unit touches never
    read. Parts of the grid beyond a raster's edge read as ``fills`` (its nodata, default 0).
    ``labels`` name the user's files in messages.
    """
    from lucarbon.raster.counting import (
        count_window,  # numba: not for the table jobs, which count nothing
    )

    if len(raster_paths) not in (1, 2):
        raise ValueError("one raster (areas) or two (a transition) at a time")
    base = n_classes + 2  # the classes, nodata (0) and "not mapped" (n_classes + 1)
    labels = list(labels or map(str, raster_paths))
    fills = list(fills or [0] * len(raster_paths))
    with Readers(env) as readers, readers.env_context():
        sources = [readers.get(p) for p in raster_paths]
        first = sources[0]
        if not isinstance(units, UnitGrid):
            units = grid_of(first, units.geometry.values, Window(0, 0, first.width, first.height))
        grid = units
        for src, label in zip(sources, labels, strict=True):
            check_same_crs(src.crs, grid.crs, label)
            check_on_grid(src, grid, label)
        given = lookups or [None] * len(sources)
        luts = [
            identity_lookup(src.dtypes[0], n_classes) if lut is None else lut
            for lut, src in zip(given, sources, strict=True)
        ]
        if len(luts) == 1:  # a single raster: its class against a constant 0
            luts.append(np.zeros_like(luts[0]))
        offsets = [grid.offset_in(src) for src in sources]
        n_keys = (grid.n_units + 1) * base * base
        # Exact integer counts times the pixel area on a projected grid; areas row by row
        # on a geographic one.
        row_area = pixel_area_ha(grid.transform, grid.crs, 0, grid.height)
        constant = bool(np.all(row_area == row_area[0]))

        read_once = len(raster_paths) == 1 or raster_paths[0] == raster_paths[1]
        reads = list(zip(raster_paths, offsets, fills, sources, strict=True))[: 2 - read_once]
        windows = grid.windows()
        size = max((int(w.height) * int(w.width) for w in windows), default=0)
        # Each thread reads into its own buffers, window after window: a fresh array per
        # window costs a page fault every 4 KB (0.1 CPU-s of a year's pass, measured).
        local = threading.local()

        def count(window: Window) -> np.ndarray:
            height, width = int(window.height), int(window.width)
            if not hasattr(local, "buffers"):
                local.buffers = [np.empty(size, dtype=src.dtypes[0]) for *_, src in reads]
            outs = [buffer[: height * width].reshape(height, width) for buffer in local.buffers]
            with readers.env_context():
                layers = [
                    read_on_grid(readers.get(path), offset, window, fill, out)
                    for (path, offset, fill, _), out in zip(reads, outs, strict=True)
                ]
            if read_once:
                layers = layers * 2
            top = int(window.row_off)
            rows = None if constant else row_area[top : top + height]
            return count_window(*layers, luts, (grid.row_ptr, grid.runs),
                                (top, int(window.col_off)), n_keys, base, rows)  # fmt: skip

        totals = sum(ordered_map(count, windows, threads), np.zeros(n_keys, dtype=int))
        if constant:
            totals = totals * row_area[0]
    matrix = totals.reshape(grid.n_units + 1, base, base)[1:]
    unmapped = [matrix[:, -1].any(), matrix[:, :, -1].any()][: len(raster_paths)]
    if any(unmapped):
        raise UnmappedCodes([p for p, bad in zip(raster_paths, unmapped, strict=True) if bad])
    matrix = matrix[:, :-1, :-1]
    return matrix if len(raster_paths) == 2 else matrix[:, :, 0]


class UnmappedCodes(ValueError):
    """Codes no lookup maps were found inside the units of ``paths``."""

    def __init__(self, paths: Sequence) -> None:
        super().__init__(f"{', '.join(map(str, paths))}: codes outside the classes in the units")
        self.paths = list(paths)


def identity_lookup(dtype: str, n_classes: int) -> np.ndarray:
    """The lookup of rasters whose codes are their classes: 0..n_classes map to themselves,
    any other code to "not mapped" (n_classes + 1)."""
    lookup = np.full(np.iinfo(dtype).max + 1, n_classes + 1, dtype="uint8")
    lookup[: n_classes + 1] = np.arange(n_classes + 1)
    return lookup


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
