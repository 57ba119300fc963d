"""A small SYNTHETIC study shaped unlike the demo: geographic CRS, CNLUCC codes, Chinese tables.

Land cover on a 0.0025° longitude/latitude grid with CNLUCC (RESDC) codes and nodata 255, a
few county units whose attributes (code with leading zeros, Chinese name, MFA class in
Chinese) live in the polygon file, and statistics as yearbooks print them: one wide GBK
county table in 亿元 / 万人 / percent, fuels in 万吨 / 亿立方米 under Chinese names. Geometry is
built in pixel coordinates (column, row from the upper-left corner) and converted to degrees.
Everything is invented from seeded noise (``synthetic.demo`` helpers); nothing is real.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import shapely
from affine import Affine

from synthetic import demo as syn

# CNLUCC (RESDC) codes used by the example.
PADDY, DRY_LAND = 11, 12
FOREST, SHRUB, SPARSE_FOREST, OTHER_FOREST = 21, 22, 23, 24
GRASS_HIGH, GRASS_MEDIUM, GRASS_LOW = 31, 32, 33
RIVER, LAKE, RESERVOIR, SHOAL = 41, 42, 43, 46
URBAN, RURAL, OTHER_BUILT = 51, 52, 53
SAND, BARE_SOIL = 61, 65
NODATA = 255

# Correlation lengths (m) of the noise fields; the nominal pixel is ~250 m.
NOISE_SCALES_M = {
    "relief_coarse": 9000.0,
    "relief_fine": 2500.0,
    "natural_coarse": 3000.0,
    "natural_fine": 900.0,
    "vegetation_coarse": 3500.0,
    "vegetation_fine": 900.0,
    "rock": 600.0,
    "wet": 1200.0,
    "urban_fine": 500.0,
    "urban_coarse": 1500.0,
    "village": 400.0,
    "restore": 1500.0,
    "orchard": 800.0,
}


def grid_edge(
    start: Sequence[float],
    end: Sequence[float],
    amplitude: float,
    rng: np.random.Generator,
    n_points: int,
) -> np.ndarray:
    """A meandering boundary line (pixel coordinates) thinned to about ``n_points`` points,
    with both end points kept exactly; straight when ``amplitude`` is 0."""
    if amplitude == 0:
        return np.array([start, end], dtype=float)
    line = syn.sinuous_line(start, end, amplitude, rng, n_waves=3)
    keep = np.unique(np.linspace(0, len(line) - 1, n_points).round().astype(int))
    line = line[keep]
    line[0], line[-1] = start, end
    return line


def perturbed_grid_cells(
    bounds: Sequence[float],
    n_cols: int,
    n_rows: int,
    jitter: float,
    amplitude: float,
    rng: np.random.Generator,
    n_points: int = 12,
) -> list[list[np.ndarray]]:
    """Cells of an ``n_cols`` × ``n_rows`` grid over ``bounds`` (x0, y0, x1, y1, pixel
    coordinates) with interior vertices moved by up to ``jitter`` of a cell (outer ones only
    along the border) and interior edges meandering by ``amplitude`` pixels.

    Returns, for each cell (row-major), its four edges as point arrays in ring order; two
    neighbours share the same edge array (one reversed), so the cells tile ``bounds``.
    """
    x0, y0, x1, y1 = bounds
    xs, ys = np.linspace(x0, x1, n_cols + 1), np.linspace(y0, y1, n_rows + 1)
    vx, vy = np.meshgrid(xs, ys)
    dx, dy = (x1 - x0) / n_cols, (y1 - y0) / n_rows
    shift = rng.uniform(-jitter, jitter, (2, *vx.shape))
    vx[:, 1:-1] += shift[0][:, 1:-1] * dx
    vy[1:-1, :] += shift[1][1:-1, :] * dy
    vertex = np.stack([vx, vy], axis=-1)

    def edge(a, b, interior):
        return grid_edge(vertex[a], vertex[b], amplitude if interior else 0.0, rng, n_points)

    horizontal = {
        (j, i): edge((j, i), (j, i + 1), 0 < j < n_rows)
        for j in range(n_rows + 1)
        for i in range(n_cols)
    }
    vertical = {
        (j, i): edge((j, i), (j + 1, i), 0 < i < n_cols)
        for j in range(n_rows)
        for i in range(n_cols + 1)
    }
    return [
        [horizontal[j, i], vertical[j, i + 1], horizontal[j + 1, i][::-1], vertical[j, i][::-1]]
        for j in range(n_rows)
        for i in range(n_cols)
    ]


def cell_polygons(cells: list[list[np.ndarray]], transform: Affine, decimals: int) -> np.ndarray:
    """Polygons (in the CRS of ``transform``) from cell edges in pixel coordinates, vertices
    rounded to ``decimals`` so shared edges stay identical."""
    polygons = []
    for edges in cells:
        ring = np.vstack([e[:-1] for e in edges])
        x, y = transform * (ring[:, 0], ring[:, 1])
        polygons.append(shapely.Polygon(np.round(np.column_stack([x, y]), decimals)))
    polygons = np.asarray(polygons, dtype=object)
    if not (shapely.is_valid(polygons).all() and shapely.coverage_is_valid(polygons)):
        raise RuntimeError("synthetic units are not a valid coverage; lower jitter/amplitude")
    return polygons


def check_tiling(polygons: np.ndarray, region: shapely.Polygon, tolerance: float) -> None:
    """Fail unless ``polygons`` cover ``region`` with no hole and differ from it by less than
    ``tolerance`` (area, in the CRS units: what rounding the vertices may cost)."""
    union = shapely.union_all(polygons)
    holes = sum(len(part.interiors) for part in shapely.get_parts(union))
    difference = shapely.symmetric_difference(union, region).area
    if holes or difference > tolerance:
        raise RuntimeError(f"synthetic units do not tile the region ({holes} holes, {difference})")


def river_bank(
    shape: tuple[int, int],
    course: Sequence[Sequence[float]],
    amplitude: float,
    widths: tuple[float, float],
    rng: np.random.Generator,
) -> np.ndarray:
    """Distance (px) to the bank of a meandering river from ``course[0]`` to ``course[1]``
    (pixel coordinates, width growing from ``widths[0]`` to ``widths[1]`` px), <= 0 inside."""
    line = syn.sinuous_line(course[0], course[1], amplitude, rng)
    return syn.bank_distance(shape, [line], [widths])


def cnlucc_base(fields: Mapping[str, np.ndarray]) -> np.ndarray:
    """Land cover before water and settlements: the demo's cropland / woody / grass pattern
    (``synthetic.base_landcover``) split into CNLUCC subclasses by further noise: paddy on
    the wettest plain, sparse forest and orchards (other forest) at the forest margins,
    grassland by cover, barren spots as bare soil."""
    base = syn.base_landcover(fields)
    vegetation = fields["upland"] + 0.35 * fields["vegetation_coarse"]
    cover = np.full(base.shape, DRY_LAND, dtype=np.uint8)
    cover[(base == syn.CROPLAND) & (fields["wet"] > 0.9) & (fields["upland"] < 0.1)] = PADDY
    forest = (base == syn.FOREST) | (base == syn.SHRUB)
    cover[forest] = FOREST
    cover[forest & (vegetation < 0.85)] = SPARSE_FOREST
    cover[base == syn.SHRUB] = SHRUB
    cover[forest & (fields["orchard"] > 1.6)] = OTHER_FOREST
    grass = base == syn.GRASSLAND
    cover[grass] = GRASS_LOW
    cover[grass & (vegetation > 0.3)] = GRASS_MEDIUM
    cover[grass & (vegetation > 0.45)] = GRASS_HIGH
    cover[base == syn.BARREN] = BARE_SOIL
    return cover


def compose_year(base: np.ndarray, layers: Sequence[tuple[int, np.ndarray]]) -> np.ndarray:
    """``base`` with each (code, mask) of ``layers`` painted over it in order."""
    cover = base.copy()
    for code, mask in layers:
        cover[mask] = code
    return cover


def engel_percent(engel: pd.DataFrame) -> pd.Series:
    """One Engel coefficient per unit-year in percent: the urbanisation-weighted mean of the
    urban and rural coefficients (as a yearbook's 居民恩格尔系数 would be)."""
    u = engel["urbanization_rate"]
    return 100.0 * (u * engel["engel_urban"] + (1.0 - u) * engel["engel_rural"])
