"""Checks of a land-cover raster before any heavy work, each naming the user's own file.

Every land-cover file is known by its label: the url or path as written in the registry, the
registry and the dataset and year (``source_label``), never an internal copy. Cheap header
checks (readable to the last block, CRS, integer type, nodata, grid) run at parse time for
local files and again in the per-year rule ``check_landcover``, which also states how much of
every unit the raster covers. Codes the reclass table does not map are counted where the
pixels are read anyway, by the clip (``CodeCounter``).
"""

from __future__ import annotations

import json
import math
import os
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

import numpy as np
import pandas as pd
import rasterio
from rasterio.errors import RasterioIOError
from rasterio.windows import Window

from lucarbon.acquire.datasets import VSICURL_ENV, read_registry, registry_entry
from lucarbon.core.io import InputError
from lucarbon.raster.blocks import gdal_equal_crs
from lucarbon.raster.landuse import LOOKUP_DTYPES, NODATA_LABEL, UNMAPPED, build_lookup

if TYPE_CHECKING:
    import geopandas as gpd
    from pyproj import CRS

# Two CRSs are the same when they map sample points onto each other within this (CRS units).
SAME_CRS_TOLERANCE = 1e-6
# Relative tolerance on pixel sizes and on grid offsets (as a share of a pixel).
GRID_TOLERANCE = 1e-6
# Unit area outside the raster (beyond half a pixel of its edge) that counts as numerical noise.
COVERAGE_TOLERANCE = 1e-9
PRODUCTS_DOC = "docs/landcover_products.md"


def source_label(
    registry: pd.DataFrame,
    registry_path: str,
    dataset: str,
    year: int,
    member_pattern: str | None = None,
) -> str:
    """How a land-cover file is named in messages: its url or path as written in the
    registry, then where it is listed (and, in zip mode, which member is read)."""
    rows = registry[(registry["dataset"] == dataset) & (registry["year"] == int(year))]
    url = rows["url"].iloc[0] if len(rows) == 1 else f"<no single row for {dataset} {year}>"
    member = f", member matching {member_pattern!r}" if member_pattern else ""
    return f"{url} (registry {registry_path}, dataset {dataset}, year {year}{member})"


def open_checked(
    path: str | os.PathLike, label: str, env: Mapping[str, str] = VSICURL_ENV
) -> rasterio.DatasetReader:
    """Open ``path`` and read its last block (a truncated file fails there); an unreadable
    or non-raster file is an InputError naming ``label`` (GDAL's own message would name the
    internal copy)."""
    try:
        with rasterio.Env(**env):
            src = rasterio.open(path)
    except RasterioIOError as err:
        remote = (
            " (or, read over HTTP, the server did not answer within config keys "
            "download.connect_timeout_s and read_timeout_s, after download.retries retries)"
        ) * str(path).startswith("/vsicurl/")
        raise InputError(
            f"{label}: not a raster GDAL can read{remote}: a truncated download, or not a "
            "GeoTIFF (e.g. an HTML error page saved under the raster's name); download the "
            "GeoTIFF again and update its md5 in the registry."
        ) from err
    try:
        with rasterio.Env(**env):
            src.read(1, window=last_block(src))
    except RasterioIOError as err:
        src.close()
        raise InputError(
            f"{label}: truncated or corrupt: its last block cannot be read (an interrupted "
            "download?); download it again and update its md5 in the registry."
        ) from err
    return src


def last_block(src: rasterio.DatasetReader) -> Window:
    """The bottom-right block of band 1 (written last in a tiled or striped GeoTIFF)."""
    block_rows, block_cols = src.block_shapes[0]
    row = (src.height - 1) // block_rows * block_rows
    col = (src.width - 1) // block_cols * block_cols
    return Window(col, row, min(block_cols, src.width - col), min(block_rows, src.height - row))


def same_crs(a: CRS | str, b: CRS | str, bounds: tuple[float, float, float, float]) -> bool:
    """Whether two CRS definitions are the same (equal, or mapping the corners and centre of
    ``bounds``, given in ``a``, onto themselves). GDAL is asked first, pyproj only where
    GDAL finds them different (its axis-order-blind equality includes plain equality)."""
    if gdal_equal_crs(a, b):
        return True
    from pyproj import CRS, Transformer

    a, b = CRS.from_user_input(a), CRS.from_user_input(b)
    if a.equals(b, ignore_axis_order=True):
        return True
    xs = [bounds[0], bounds[2], bounds[0], bounds[2], (bounds[0] + bounds[2]) / 2]
    ys = [bounds[1], bounds[1], bounds[3], bounds[3], (bounds[1] + bounds[3]) / 2]
    x, y = Transformer.from_crs(a, b, always_xy=True).transform(xs, ys)
    return bool(np.allclose(x, xs, rtol=0, atol=SAME_CRS_TOLERANCE)) and bool(
        np.allclose(y, ys, rtol=0, atol=SAME_CRS_TOLERANCE)
    )


def crs_name(crs) -> str:
    """A short name of ``crs`` for messages: its EPSG code and name, its name, or (unnamed
    custom CRSs) its PROJ string."""
    from pyproj import CRS

    crs = CRS.from_user_input(crs)
    if epsg := crs.to_epsg():
        return f"EPSG:{epsg} ({crs.name})"
    if crs.name and crs.name != "unknown":
        return repr(crs.name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "you will likely lose important projection information"
        return repr(crs.to_proj4())


def check_header(src: rasterio.DatasetReader, label: str, crs: str, nodata: int | None) -> int:
    """Check CRS, type and nodata of an open raster against the config; return the product's
    nodata value (the file's tag, else the config's ``landcover.nodata``)."""
    if src.crs is None:
        raise InputError(
            f"{label}: the raster has no CRS. Assign the product's CRS (e.g. gdal_edit.py "
            f"-a_srs EPSG:4326 file.tif; {PRODUCTS_DOC} lists each product's CRS) and update "
            "its md5 in the registry."
        )
    if not same_crs(src.crs, crs, tuple(src.bounds)):
        raise InputError(
            f"{label}: CRS {crs_name(src.crs)} differs from the config's crs {crs!r}. Set "
            "'crs' in the config to the land-cover product's CRS (areas are computed in it), "
            "or reproject the raster (gdalwarp -r near) to the config's crs."
        )
    dtype = src.dtypes[0]
    if dtype not in LOOKUP_DTYPES:
        kind = "integer" if np.issubdtype(np.dtype(dtype), np.integer) else "non-integer"
        raise InputError(
            f"{label}: data type {dtype} ({kind}); a land-cover raster holds class codes as "
            f"unsigned 8- or 16-bit integers ({', '.join(LOOKUP_DTYPES)}). Convert it "
            "(gdal_translate -ot Byte or -ot UInt16) if its values are whole class codes."
        )
    return product_nodata(src.nodata, nodata, label, dtype)


def product_nodata(file_nodata: float | None, config_nodata: int | None, label: str, dtype) -> int:
    """The product's nodata value: the file's tag or the config's, which must agree."""
    if file_nodata is None and config_nodata is None:
        raise InputError(
            f"{label}: the raster declares no nodata value; set landcover.nodata in the "
            f"config to the product's nodata value ({PRODUCTS_DOC} gives it for each product)."
        )
    if file_nodata is not None and config_nodata is not None and file_nodata != config_nodata:
        raise InputError(
            f"{label}: the raster's nodata value is {file_nodata:g} but landcover.nodata in "
            f"the config is {config_nodata}; remove landcover.nodata or make it {file_nodata:g}."
        )
    value = config_nodata if file_nodata is None else file_nodata
    limits = np.iinfo(dtype)
    if not (math.isfinite(value) and value == int(value) and limits.min <= value <= limits.max):
        raise InputError(
            f"{label}: nodata value {value:g} is not a code a {dtype} raster can hold "
            f"({limits.min}..{limits.max}); set it to the product's nodata code."
        )
    return int(value)


def check_same_grid(
    src: rasterio.DatasetReader, label: str, first: rasterio.DatasetReader, first_label: str
) -> None:
    """Every year must share the first year's pixel size and grid (pixel edges aligned)."""
    size, first_size = (src.transform.a, src.transform.e), (first.transform.a, first.transform.e)
    if not np.allclose(size, first_size, rtol=GRID_TOLERANCE, atol=0):
        raise InputError(
            f"{label}: pixel size {abs(size[0]):.9g} x {abs(size[1]):.9g} differs from "
            f"{abs(first_size[0]):.9g} x {abs(first_size[1]):.9g} of the first year's file "
            f"{first_label}; resample every year to one grid (gdalwarp -r near -tr ... -tap)."
        )
    if src.transform.b or src.transform.d:
        raise InputError(f"{label}: rotated rasters are not supported; warp it north-up.")
    offset = np.array(
        [
            (src.transform.c - first.transform.c) / first.transform.a,
            (src.transform.f - first.transform.f) / first.transform.e,
        ]
    )
    shift = np.abs(offset - np.round(offset))
    if (shift > GRID_TOLERANCE).any():
        raise InputError(
            f"{label}: its pixel grid is shifted by ({shift[0]:.3g}, {shift[1]:.3g}) of a "
            f"pixel from the first year's file {first_label}; every year must share one grid "
            "(warp it with gdalwarp -r near -tap to the first year's grid)."
        )


@dataclass
class StudyUnits:
    """The study units as a year's check needs them: ids and bounding boxes (study CRS, rows
    minx, miny, maxx, maxy) in the polygons' order, which prepare_units saves once per study
    (``unit_extents``), and the polygons, loaded only when some unit's box leaves a raster's
    extent. So a year's check reads no polygon and imports no geopandas, shapely or pyproj
    (0.13 CPU-s a process, measured) while every unit lies inside the raster."""

    ids: list[str]
    boxes: np.ndarray
    polygons: Callable[[], gpd.GeoDataFrame]

    def __post_init__(self) -> None:
        self.boxes = np.asarray(self.boxes, dtype=float).reshape(-1, 4)

    @classmethod
    def of(cls, units: gpd.GeoDataFrame) -> StudyUnits:
        """From the unit polygons themselves."""
        extents = unit_extents(units)
        return cls(extents["unit_id"], extents["bounds"], lambda: units)


def unit_extents(units: gpd.GeoDataFrame) -> dict:
    """Ids and bounding boxes of the unit polygons in their order, as JSON (exact floats)."""
    import shapely

    return {
        "unit_id": units["unit_id"].astype(str).tolist(),
        "bounds": shapely.bounds(units.geometry.values).tolist(),
    }


def read_unit_extents(path: str | os.PathLike) -> dict:
    """The ``unit_extents`` that prepare_units saved as JSON."""
    return json.loads(Path(path).read_text())


def read_study_units(extents: str | os.PathLike, polygons: str | os.PathLike) -> StudyUnits:
    """The units of the saved ``extents``; the polygons read from ``polygons`` on demand."""
    saved = read_unit_extents(extents)

    def read_polygons() -> gpd.GeoDataFrame:
        import geopandas as gpd

        units = gpd.read_file(polygons)
        if units["unit_id"].astype(str).tolist() != saved["unit_id"]:
            raise ValueError(f"{polygons} and {extents} list other units; rerun prepare_units")
        return units

    return StudyUnits(saved["unit_id"], saved["bounds"], read_polygons)


def unit_coverage(
    units: StudyUnits, bounds: tuple[float, ...], pixel: tuple[float, float]
) -> pd.DataFrame:
    """Per unit, the share (%) of its area inside the raster extent ``bounds``, and whether
    any of it lies farther than half a pixel outside (such a unit lacks pixels). A unit whose
    bounding box lies inside the extent is wholly covered: only the others are intersected
    (the polygon work was most of the check's time on a provincial study)."""
    covered = np.full(len(units.ids), 100.0)
    missing = np.zeros(len(units.ids), dtype=bool)
    partial = ~within(units.boxes, bounds)
    if partial.any():
        import geopandas as gpd
        import shapely

        from lucarbon.core.crs import metric_crs

        half_x, half_y = abs(pixel[0]) / 2, abs(pixel[1]) / 2
        tolerant = shapely.box(bounds[0] - half_x, bounds[1] - half_y, bounds[2] + half_x,
                               bounds[3] + half_y)  # fmt: skip
        polygons = units.polygons()
        parts = polygons.geometry.values[partial]
        whole, inside, beyond = (
            gpd.GeoSeries(shapes, crs=polygons.crs).to_crs(metric_crs(polygons)).area.to_numpy()
            for shapes in (
                parts,
                shapely.intersection(parts, shapely.box(*bounds)),
                shapely.difference(parts, tolerant),
            )
        )
        covered[partial] = 100 * inside / whole
        missing[partial] = beyond > COVERAGE_TOLERANCE * whole
    return pd.DataFrame({"unit_id": units.ids, "covered_percent": covered, "missing": missing})


def within(boxes: np.ndarray, bounds: tuple[float, ...]) -> np.ndarray:
    """Which of the boxes (rows minx, miny, maxx, maxy) lie inside ``bounds``."""
    return (
        (boxes[:, 0] >= bounds[0])
        & (boxes[:, 1] >= bounds[1])
        & (boxes[:, 2] <= bounds[2])
        & (boxes[:, 3] <= bounds[3])
    )


def check_coverage(src: rasterio.DatasetReader, label: str, units: StudyUnits) -> dict:
    """Fail when a unit lies partly or wholly outside the raster, stating each such unit's
    coverage; return the coverage of every unit (%)."""
    coverage = unit_coverage(units, tuple(src.bounds), src.res)
    short = coverage[coverage["missing"]]
    if len(short):
        listed = ", ".join(
            f"{row.unit_id} {row.covered_percent:.1f} %" for row in short.head(20).itertuples()
        )
        more = f" and {len(short) - 20} more" if len(short) > 20 else ""
        raise InputError(
            f"{label}: the raster (extent {_bounds_text(src.bounds)}) does not cover "
            f"{len(short)} of {len(units.ids)} study unit(s); share of each unit's area inside "
            f"it: {listed}{more}. Use a raster covering every unit (mosaic the tiles, e.g. "
            "gdalbuildvrt + gdal_translate) or check the config's crs and the boundaries."
        )
    return dict(zip(units.ids, coverage["covered_percent"].tolist(), strict=True))


def _bounds_text(bounds: Iterable[float]) -> str:
    return "(" + ", ".join(f"{v:.10g}" for v in bounds) + ")"


def check_landcover(
    path: str,
    label: str,
    crs: str,
    nodata: int | None,
    units: StudyUnits,
    first: tuple[str, str] | None = None,
    env: Mapping[str, str] = VSICURL_ENV,
) -> dict:
    """All checks of one year's raster that need no pixel beyond its last block: readable,
    CRS, type, nodata, grid against the ``first`` year's (path, label), unit coverage.
    Returns what later rules need (the product's nodata value) and what was found. ``env``:
    GDAL's settings for remote reads (vsicurl_env of the config's download settings)."""
    with open_checked(path, label, env) as src:
        product = check_header(src, label, crs, nodata)
        if first is not None:
            with open_checked(*first, env) as first_src:
                check_same_grid(src, label, first_src, first[1])
        coverage = check_coverage(src, label, units)
        return {
            "label": label,
            "nodata": product,
            "dtype": src.dtypes[0],
            "pixel_size": [abs(src.transform.a), abs(src.transform.e)],
            "bounds": list(src.bounds),
            "covered_percent": coverage,
        }


def check_local_landcover(config: dict) -> None:
    """Parse-time header checks of the local land-cover files of a file-mode study (a
    file:// or relative registry url): readable, CRS (and that it gives true areas over the
    first raster's extent), type, nodata, one grid."""
    cover = config["landcover"]
    if cover.get("mode", "file") != "file":
        return
    registry = read_registry(config["registry"])
    first = None
    for year in config["years"]:
        url = registry_entry(registry, config["registry"], cover["dataset"], year)["url"]
        if urlparse(url).scheme != "file" or not Path(unquote(urlparse(url).path)).is_file():
            continue
        path = unquote(urlparse(url).path)
        label = source_label(registry, config["registry"], cover["dataset"], year)
        with open_checked(path, label) as src:
            check_header(src, label, config["crs"], cover.get("nodata"))
            if first is None:
                from lucarbon.core.crs import check_area_crs  # pyproj: not for the per-year checks

                check_area_crs(config["crs"], tuple(src.bounds))
            else:
                with open_checked(*first) as first_src:
                    check_same_grid(src, label, first_src, first[1])
        first = first or (path, label)


class CodeCounter:
    """Pixel counts of every land-cover code inside the study units, gathered band by band
    while the clip reads them; ``check`` fails on codes the reclass table does not map."""

    def __init__(self, dtype: str, nodata: int) -> None:
        self.counts = np.zeros(np.iinfo(dtype).max + 1, dtype="int64")
        self.dtype, self.nodata = dtype, nodata

    def add(self, codes: np.ndarray, inside: np.ndarray) -> None:
        self.counts += np.bincount(codes[inside].ravel(), minlength=len(self.counts))

    def present(self) -> dict[int, int]:
        """Pixel count of each code present inside the units (nodata included)."""
        return {int(c): int(self.counts[c]) for c in np.flatnonzero(self.counts)}

    def check(
        self, reclass: pd.DataFrame, types: pd.DataFrame, reclass_path: str, label: str
    ) -> None:
        """Fail naming the codes (with pixel counts), ``label`` and the reclass table when a
        code inside the units is not mapped, or when the nodata code is mapped to a type."""
        lookup = build_lookup(reclass, types, reclass_path, self.dtype)
        mapped_nodata = reclass[(reclass["code"] == self.nodata)]
        if len(mapped_nodata) and (mapped_nodata["landuse"] != NODATA_LABEL).any():
            raise InputError(
                f"{reclass_path}: code {self.nodata} is the nodata value of {label} but the "
                f"table maps it to {mapped_nodata['landuse'].iloc[0]!r}; map it to 'nodata' "
                "or drop the row."
            )
        lookup[self.nodata] = 0
        unmapped = [c for c in np.flatnonzero(self.counts) if lookup[c] == UNMAPPED]
        if unmapped:
            listed = ", ".join(f"{c} ({self.counts[c]} pixels)" for c in unmapped)
            raise InputError(
                f"{label}: land-cover code(s) {listed} inside the study units are not in the "
                f"reclass table {reclass_path}; add a row for each (map it to a land-use type, "
                f"or to 'nodata'). {PRODUCTS_DOC} has the tables of common products."
            )
