"""Block-wise SYNTHETIC CLCD-coded land cover on a province-sized 30 m grid.

Every pixel depends only on its absolute position on the grid (column x / pixel, row -y /
pixel): noise is value noise on integer lattices whose node values come from hashing the
node's integer coordinates; large structure (relief, dryness, river widths) lives on a coarse
"macro" lattice computed once for the whole grid; rivers and roads are sets of centre-line
pixels. So any block can be computed on its own, and the result does not depend on how the
grid is split. Memory is bounded by the block size. Nothing here is real data.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import multiprocessing
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist

import numpy as np
import rasterio
import shapely
from affine import Affine
from rasterio import features
from rasterio.windows import Window
from scipy import ndimage

from lucarbon.raster.blocks import output_profile, rasterize_units
from synthetic import demo as syn

MACRO_PX = 32  # spacing (pixels) of the coarse lattice of the macro fields
TILE = 512
SNOW_LINE_M = 2150.0
# Standard deviation of hashed uniform [-1, 1) values, and of one octave of value noise
# (smoothstep interpolation between lattice nodes shrinks it by 0.7429 on average).
WHITE_STD = 3**-0.5
VALUE_NOISE_STD = WHITE_STD * 0.7429
# Value-noise octaves (lattice spacing in pixels, gain) of every noise field.
OCTAVES = {
    "relief": ((384, 1.0), (160, 0.7), (64, 0.45), (24, 0.3), (8, 0.15)),
    "edge": ((6, 1.0), (2, 0.8), (1, 0.5)),
    "vegetation": ((96, 1.0), (24, 0.7), (6, 0.5), (2, 0.3)),
    "village": ((20, 1.0), (6, 0.5), (2, 0.35)),
    "urban": ((40, 1.0), (10, 0.6), (2, 0.4)),
    "wet": ((48, 1.0), (12, 0.6), (3, 0.4)),
    "restore": ((64, 1.0), (12, 0.5)),
    "stream": ((120, 1.0), (30, 0.1)),
    "rock": ((8, 1.0), (2, 0.5)),
}
# Land-cover rules: thresholds on the unit-variance noise fields and macro fields.
NATURAL_THRESHOLD = 0.55
VILLAGE_THRESHOLD = (1.4, 1.15)  # first and last year, on the plain (higher in the uplands)
RESTORED_SHARE = (0.0, 0.20)  # share of upland cropland turned to forest, first and last year
STREAM_HALF_WIDTH = 0.012
PARCEL_SHARES = {"orchard": 0.025, "fallow": 0.01, "pond": 0.05}  # pond share scales with wet
VALLEY_HALF_WIDTH = 0.06  # valley floors (cropland) along the zero lines of the stream noise
# Single pixels in cropland: cumulative shares of trees, grass, then houses (first year; the
# houses' share grows by half by the last year).
SPECKLE = {"trees": 0.012, "grass": 0.02, "houses": 0.008}


@dataclass(frozen=True)
class Grid:
    """A north-up grid of square pixels whose corner (x0, y0) lies on multiples of the pixel."""

    x0: float
    y0: float
    width: int
    height: int
    pixel: float = 30.0

    @property
    def transform(self) -> Affine:
        """Affine transform of the grid."""
        return Affine(self.pixel, 0.0, self.x0, 0.0, -self.pixel, self.y0)

    @property
    def origin(self) -> tuple[int, int]:
        """Absolute (row, column) of the upper-left pixel: (-y0 / pixel, x0 / pixel)."""
        return round(-self.y0 / self.pixel), round(self.x0 / self.pixel)

    @classmethod
    def covering(cls, bounds: Sequence[float], pixel: float = 30.0) -> Grid:
        """The smallest grid aligned to multiples of ``pixel`` covering ``bounds``."""
        xmin, ymin, xmax, ymax = bounds
        x0, y0 = np.floor(xmin / pixel) * pixel, np.ceil(ymax / pixel) * pixel
        width = int(np.ceil((xmax - x0) / pixel))
        height = int(np.ceil((y0 - ymin) / pixel))
        return cls(float(x0), float(y0), width, height, pixel)


@dataclass(frozen=True)
class Ridge:
    """A mountain range: its crest line (x, y m), crest height (m) and half-width (m)."""

    line: np.ndarray
    height_m: float
    halfwidth_m: float


@dataclass(frozen=True)
class River:
    """A river: control points (x, y m), width (m) at source and mouth, floodplain half-width
    (m, 0 for none) and meander amplitude as a fraction of each leg's length."""

    line: np.ndarray
    width_m: tuple[float, float]
    floodplain_m: float = 0.0
    meander: float = 0.03


@dataclass(frozen=True)
class Town:
    """A settlement: centre (x, y m), radius (m) in the first year and its relative growth by
    the last year (0.5: a radius 1.5 times larger)."""

    x: float
    y: float
    radius_m: float
    growth: float


@dataclass(frozen=True)
class Lake:
    """A lake or reservoir: an irregular ellipse, centre (x, y m) and radii (m)."""

    x: float
    y: float
    rx_m: float
    ry_m: float


@dataclass(frozen=True)
class Road:
    """A road (x, y m control points), 1 pixel wide, impervious from ``year`` on."""

    line: np.ndarray
    year: int


@dataclass(frozen=True)
class Landscape:
    """Everything a block needs: grid, years, seed, extent polygon (m), macro lattice fields,
    river and road centre pixels (absolute row, column), towns and lakes (absolute pixels)."""

    grid: Grid
    years: tuple[int, ...]
    seed: int
    extent: shapely.Geometry
    macro_origin: tuple[int, int]
    macro: Mapping[str, np.ndarray]
    river_pixels: np.ndarray
    road_pixels: Mapping[int, np.ndarray]
    towns: np.ndarray  # (n, 4): row, column, radius px first year, growth
    lakes: np.ndarray  # (n, 4): row, column, radius px along rows, along columns
    max_reach: int = 0  # pixels: how far river features reach from their centre lines


# ---------------------------------------------------------------------------- hashing, noise


def salt(seed: int, name: str, index: int = 0) -> np.uint32:
    """A 32-bit salt for the noise ``name`` (octave ``index``) of ``seed``, stable across runs."""
    value = zlib.crc32(f"{seed}:{name}:{index}".encode())
    return np.uint32(value)


def indices(span: range) -> np.ndarray:
    """The integers of ``span`` as an int64 array."""
    return np.arange(span.start, span.stop, dtype=np.int64)


def hash2(rows: np.ndarray, cols: np.ndarray, key: np.uint32) -> np.ndarray:
    """32-bit hash (murmur3 finaliser) of integer coordinates, broadcast over both arrays."""
    r = (np.asarray(rows, dtype=np.int64) & 0xFFFFFFFF).astype(np.uint32)
    c = (np.asarray(cols, dtype=np.int64) & 0xFFFFFFFF).astype(np.uint32)
    h = (r * np.uint32(0x9E3779B1)) ^ (c * np.uint32(0x85EBCA77)) ^ key
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h


def hash_uniform(rows: np.ndarray, cols: np.ndarray, key: np.uint32) -> np.ndarray:
    """Uniform values in [0, 1) (float32, 24 bits) hashed from integer coordinates."""
    return (hash2(rows, cols, key) >> np.uint32(8)).astype(np.float32) * np.float32(2.0**-24)


def axis_cells(start: int, n: int, spacing: int) -> tuple[np.ndarray, np.ndarray]:
    """Lattice cell (absolute) and smoothstep weight of ``n`` pixel centres from ``start``."""
    position = (np.arange(start, start + n, dtype=np.float64) + 0.5) / spacing
    cell = np.floor(position).astype(np.int64)
    t = position - cell
    return cell, (t * t * (3.0 - 2.0 * t)).astype(np.float32)


def interpolate(
    values: np.ndarray, origin: tuple[int, int], rows: range, cols: range, spacing: int
) -> np.ndarray:
    """Smoothstep interpolation of lattice ``values`` (node [i, j] at absolute pixel
    ((origin[0] + i) * spacing, (origin[1] + j) * spacing)) at the pixels ``rows`` x ``cols``."""
    cy, wy = axis_cells(rows.start, len(rows), spacing)
    cx, wx = axis_cells(cols.start, len(cols), spacing)
    iy, ix = cy - origin[0], cx - origin[1]
    x0, x1 = int(ix[0]), int(ix[-1]) + 2
    top, bottom = values[iy, x0:x1], values[iy + 1, x0:x1]
    band = top + (bottom - top) * wy[:, None]
    left, right = band[:, ix - x0], band[:, ix - x0 + 1]
    return left + (right - left) * wx


def value_noise(rows: range, cols: range, spacing: int, key: np.uint32) -> np.ndarray:
    """One octave of value noise (unit variance, float32) at the pixels ``rows`` x ``cols``."""
    if spacing == 1:
        white = hash_uniform(indices(rows)[:, None], indices(cols), key)
        return (white * 2.0 - 1.0) / np.float32(WHITE_STD)
    ky = np.arange((rows.start + 0.5) // spacing, (rows.stop - 0.5) // spacing + 2, dtype=np.int64)
    kx = np.arange((cols.start + 0.5) // spacing, (cols.stop - 0.5) // spacing + 2, dtype=np.int64)
    nodes = hash_uniform(ky[:, None], kx[None, :], key) * 2.0 - 1.0
    field_ = interpolate(nodes, (int(ky[0]), int(kx[0])), rows, cols, spacing)
    return field_ / np.float32(VALUE_NOISE_STD)


def fbm(rows: range, cols: range, name: str, seed: int) -> np.ndarray:
    """Sum of the octaves ``OCTAVES[name]``, scaled to unit variance."""
    octaves = OCTAVES[name]
    total = np.zeros((len(rows), len(cols)), dtype=np.float32)
    for index, (spacing, gain) in enumerate(octaves):
        total += np.float32(gain) * value_noise(rows, cols, spacing, salt(seed, name, index))
    return total / np.float32(np.sqrt(sum(g * g for _, g in octaves)))


# ----------------------------------------------------------------------- building a landscape


def macro_nodes(grid: Grid) -> tuple[tuple[int, int], np.ndarray, np.ndarray]:
    """Absolute origin of the macro lattice covering ``grid`` and the x, y (m) of its nodes."""
    row0, col0 = grid.origin
    ky = np.arange((row0 + 0.5) // MACRO_PX, (row0 + grid.height - 0.5) // MACRO_PX + 2)
    kx = np.arange((col0 + 0.5) // MACRO_PX, (col0 + grid.width - 0.5) // MACRO_PX + 2)
    step = MACRO_PX * grid.pixel
    x, y = np.meshgrid(kx * step, -ky * step)
    return (int(ky[0]), int(kx[0])), x, y


def ramp(x: np.ndarray, y: np.ndarray, start: Sequence[float], end: Sequence[float]) -> np.ndarray:
    """0 at ``start``, 1 at ``end`` (x, y m), linear along the line between them, clipped."""
    direction = np.subtract(end, start)
    t = ((x - start[0]) * direction[0] + (y - start[1]) * direction[1]) / (direction @ direction)
    return np.clip(t, 0.0, 1.0)


def relief_fields(
    x: np.ndarray, y: np.ndarray, ridges: Sequence[Ridge], lowland: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Elevation (m: ``lowland`` plus the highest ridge contribution, a Gaussian of the
    distance to its crest) and ruggedness (0 plain .. 1 above 900 m of ridge relief)."""
    points = shapely.points(x.ravel(), y.ravel())
    relief = np.zeros(x.size)
    for ridge in ridges:
        distance = shapely.distance(points, shapely.linestrings(ridge.line))
        relief = np.maximum(relief, ridge.height_m * np.exp(-((distance / ridge.halfwidth_m) ** 2)))
    relief = relief.reshape(x.shape)
    return lowland + relief, np.clip(relief / 900.0, 0.0, 1.0)


def meander_pixels(line: np.ndarray, grid: Grid, amount: float, rng: np.random.Generator):
    """Densely sampled meandering polyline through the control points ``line`` (x, y m), as
    absolute (row, column) float pixel coordinates."""
    pixels = np.column_stack([line[:, 0] / grid.pixel, -line[:, 1] / grid.pixel])
    legs = []
    for start, end in itertools.pairwise(pixels):
        amplitude = amount * float(np.hypot(*(end - start)))
        legs.append(syn.sinuous_line(start, end, amplitude, rng, n_waves=12))
    xy = np.vstack(legs)
    return np.column_stack([xy[:, 1], xy[:, 0]])


def centre_pixels(points: np.ndarray) -> np.ndarray:
    """Unique integer (row, column) pixels holding the points (absolute float pixels)."""
    return np.unique(np.floor(points).astype(np.int64), axis=0)


def river_fields(
    x: np.ndarray, lines: Sequence[np.ndarray], rivers: Sequence[River], grid: Grid, origin
) -> tuple[np.ndarray, np.ndarray]:
    """Macro fields of the rivers: half-width (px) of the nearest river and floodplain
    strength (1 inside a floodplain, 0 outside, a one-node ramp between)."""
    halfwidth = np.zeros(x.shape)
    floodplain = np.zeros(x.shape)
    nearest = np.full(x.shape, np.inf)
    for river, line in zip(rivers, lines, strict=True):
        nodes = np.rint(line / MACRO_PX).astype(np.int64) - origin
        keep = np.all((nodes >= 0) & (nodes < x.shape), axis=1)
        if not keep.any():
            continue
        canvas = np.ones(x.shape, dtype=bool)
        canvas[nodes[keep, 0], nodes[keep, 1]] = False
        distance, (ir, ic) = ndimage.distance_transform_edt(canvas, return_indices=True)
        along = np.zeros(x.shape)
        along[nodes[keep, 0], nodes[keep, 1]] = np.linspace(0.0, 1.0, len(line))[keep]
        width = river.width_m[0] + (river.width_m[1] - river.width_m[0]) * along[ir, ic]
        closer = distance < nearest
        halfwidth[closer] = (width / 2.0 / grid.pixel)[closer]
        nearest = np.minimum(nearest, distance)
        if river.floodplain_m:
            reach = river.floodplain_m / grid.pixel / MACRO_PX
            floodplain = np.maximum(floodplain, np.clip(reach - distance + 0.5, 0.0, 1.0))
    return halfwidth, floodplain


def build_landscape(
    grid: Grid,
    extent: shapely.Geometry,
    years: Sequence[int],
    seed: int,
    ridges: Sequence[Ridge],
    rivers: Sequence[River],
    towns: Sequence[Town],
    lakes: Sequence[Lake],
    roads: Sequence[Road],
    dry_ramp: tuple[Sequence[float], Sequence[float]],
    wet_ramp: tuple[Sequence[float], Sequence[float]],
) -> Landscape:
    """Precompute the macro lattice, the centre pixels of rivers and roads (meanders drawn
    from ``seed``), and towns and lakes in absolute pixels."""
    rng = np.random.default_rng(seed)
    origin, x, y = macro_nodes(grid)
    dry, wet = ramp(x, y, *dry_ramp), ramp(x, y, *wet_ramp)
    elevation, rugged = relief_fields(x, y, ridges, 40.0 + 110.0 * dry)
    river_lines = [meander_pixels(r.line, grid, r.meander, rng) for r in rivers]
    halfwidth, floodplain = river_fields(x, river_lines, rivers, grid, origin)
    road_pixels = {
        year: centre_pixels(
            np.vstack([meander_pixels(r.line, grid, 0.01, rng) for r in roads if r.year == year])
        )
        for year in sorted({r.year for r in roads})
    }
    macro = {
        "elevation": elevation,
        "rugged": rugged,
        "dry": dry,
        "wet": wet,
        "halfwidth": halfwidth,
        "floodplain": floodplain,
    }
    to_px = grid.pixel
    return Landscape(
        grid=grid,
        years=tuple(years),
        seed=seed,
        extent=extent,
        macro_origin=origin,
        macro={k: v.astype(np.float32) for k, v in macro.items()},
        river_pixels=centre_pixels(np.vstack(river_lines)) if rivers else np.empty((0, 2), int),
        road_pixels=road_pixels,
        towns=np.array(
            [(-t.y / to_px, t.x / to_px, t.radius_m / to_px, t.growth) for t in towns]
        ).reshape(-1, 4),
        lakes=np.array(
            [(-k.y / to_px, k.x / to_px, k.ry_m / to_px, k.rx_m / to_px) for k in lakes]
        ).reshape(-1, 4),
        max_reach=int(np.ceil(3.0 * halfwidth.max(initial=0.0))) + 16,
    )


# ------------------------------------------------------------------------------- one block


@dataclass
class Block:
    """Absolute rows and columns of a block and the noise and macro fields on it."""

    land: Landscape
    rows: range
    cols: range
    cache: dict = field(default_factory=dict)

    def noise(self, name: str) -> np.ndarray:
        """The unit-variance noise field ``name`` on the block (computed once)."""
        if name not in self.cache:
            self.cache[name] = fbm(self.rows, self.cols, name, self.land.seed)
        return self.cache[name]

    def speckle(self) -> np.ndarray:
        """Uniform [0, 1) white noise per pixel (computed once)."""
        if "speckle" not in self.cache:
            key = salt(self.land.seed, "speckle")
            self.cache["speckle"] = hash_uniform(
                indices(self.rows)[:, None], indices(self.cols), key
            )
        return self.cache["speckle"]

    def macro(self, name: str) -> np.ndarray:
        """The macro field ``name`` interpolated on the block."""
        return interpolate(
            self.land.macro[name], self.land.macro_origin, self.rows, self.cols, MACRO_PX
        )

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns) of the block."""
        return len(self.rows), len(self.cols)


def block_of(land: Landscape, window: Window) -> Block:
    """The block of ``land`` covering ``window`` (pixel offsets on the grid)."""
    row0, col0 = land.grid.origin
    top, left = row0 + int(window.row_off), col0 + int(window.col_off)
    return Block(land, range(top, top + int(window.height)), range(left, left + int(window.width)))


def valid_mask(land: Landscape, window: Window) -> np.ndarray:
    """Pixels whose centre lies inside the landscape's extent polygon."""
    return rasterize_units([land.extent], window, land.grid.transform, dtype="uint8") > 0


def line_distance(block: Block, pixels: np.ndarray, margin: int) -> np.ndarray:
    """Exact distance (px) to the nearest of ``pixels`` (absolute row, column) where it is at
    most ``margin``, else ``margin + 1``: the same whatever the block."""
    h, w = block.shape
    far = np.float32(margin + 1)
    local = pixels - (block.rows.start - margin, block.cols.start - margin)
    inside = np.all((local >= 0) & (local < (h + 2 * margin, w + 2 * margin)), axis=1)
    if not inside.any():
        return np.full((h, w), far)
    canvas = np.ones((h + 2 * margin, w + 2 * margin), dtype=bool)
    canvas[local[inside, 0], local[inside, 1]] = False
    distance = ndimage.distance_transform_edt(canvas)[margin : margin + h, margin : margin + w]
    return np.minimum(distance.astype(np.float32), far)


def burn(block: Block, pixels: np.ndarray) -> np.ndarray:
    """Boolean mask of the block's pixels listed in ``pixels`` (absolute row, column)."""
    mask = np.zeros(block.shape, dtype=bool)
    local = pixels - (block.rows.start, block.cols.start)
    inside = np.all((local >= 0) & (local < block.shape), axis=1)
    mask[local[inside, 0], local[inside, 1]] = True
    return mask


def ellipse_score(block: Block, items: np.ndarray, scale: float) -> np.ndarray:
    """Min over items (row, column, radius rows, radius columns) of the normalised elliptic
    distance of each pixel centre, capped at ``scale`` (items farther are skipped)."""
    score = np.full(block.shape, np.float32(scale))
    r = indices(block.rows) + 0.5
    c = indices(block.cols) + 0.5
    for row, col, radius_r, radius_c in items:
        if (
            row + scale * radius_r < r[0]
            or row - scale * radius_r > r[-1]
            or col + scale * radius_c < c[0]
            or col - scale * radius_c > c[-1]
        ):
            continue
        d2 = ((r[:, None] - row) / radius_r) ** 2 + ((c[None, :] - col) / radius_c) ** 2
        np.minimum(score, np.sqrt(d2).astype(np.float32), out=score)
    return score


def parcels(block: Block) -> np.ndarray:
    """Field parcels: uniform [0, 1) per parcel of a rotated grid of strips (5-15 px wide,
    10-30 px long); angle and strip size change per 256 px domain cell."""
    r = indices(block.rows)
    c = indices(block.cols)
    domain_r, domain_c = r // 256, c // 256
    key = salt(block.land.seed, "parcels")
    u = hash_uniform(domain_r[:, None], domain_c[None, :], key)
    angle = (u - 0.5) * 0.7
    width = 5.0 + 10.0 * hash_uniform(domain_r[:, None], domain_c[None, :], key ^ np.uint32(1))
    length = 10.0 + 20.0 * hash_uniform(domain_r[:, None], domain_c[None, :], key ^ np.uint32(2))
    cos, sin = np.cos(angle), np.sin(angle)
    across = np.floor((c[None, :] * cos + r[:, None] * sin) / width)
    along = np.floor((r[:, None] * cos - c[None, :] * sin) / length)
    return hash_uniform(across.astype(np.int64), along.astype(np.int64), key ^ np.uint32(3))


def base_cover(block: Block, elevation: np.ndarray, rugged: np.ndarray) -> np.ndarray:
    """Cover before water and settlements: cropland on the plain and on valley floors, forest,
    shrub or grassland (by moisture and relief) on the slopes, barren rock, snow on the
    highest peaks, field parcels of orchards (forest), fallow (grassland) and, where wet, fish
    ponds (water), and single pixels of trees or grass scattered in the fields."""
    relief, edge, rock = block.noise("relief"), block.noise("edge"), block.noise("rock")
    dry, wet = block.macro("dry"), block.macro("wet")
    valley = np.abs(block.noise("stream")) < VALLEY_HALF_WIDTH * (1.0 + 0.3 * edge)
    natural = 1.2 * rugged + 0.22 * relief + 0.06 * edge - 0.25 * dry * rugged > NATURAL_THRESHOLD
    natural &= ~valley
    vegetation = 0.7 * (1.0 - dry) + 0.8 * rugged + 0.3 * block.noise("vegetation") + 0.1 * relief
    cover = np.full(block.shape, syn.GRASSLAND, dtype=np.uint8)
    cover[vegetation > 0.7] = syn.SHRUB
    cover[vegetation > 0.85] = syn.FOREST
    cover[natural & (rugged > 0.5) & (rock > 2.4)] = syn.BARREN
    cover[(elevation > SNOW_LINE_M) & (rock > 0.8)] = syn.SNOW
    crop = ~natural
    cover[crop] = syn.CROPLAND
    parcel, speckle = parcels(block), block.speckle()
    shares = PARCEL_SHARES
    orchard = (parcel < shares["orchard"]) | (speckle < SPECKLE["trees"])
    fallow = (parcel >= shares["orchard"]) & (parcel < shares["orchard"] + shares["fallow"])
    fallow |= (speckle >= SPECKLE["trees"]) & (speckle < SPECKLE["grass"])
    cover[crop & orchard] = syn.FOREST
    cover[crop & fallow] = syn.GRASSLAND
    cover[crop & (parcel > 1.0 - shares["pond"] * wet)] = syn.WATER
    return cover


def water_layers(block: Block, cover: np.ndarray) -> dict[int, np.ndarray]:
    """Static water and wetland: rivers (centre-line distance within the local half-width),
    floodplains (side channels, sand bars as barren, marsh), streams (zero lines of a noise
    field, also the axes of the valleys), lakes with marshy margins, and the ponds already in
    ``cover``. Sets the floodplains' sand bars to barren in ``cover`` (in place)."""
    land = block.land
    halfwidth = block.macro("halfwidth")
    distance = line_distance(block, land.river_pixels, land.max_reach)
    wet = block.noise("wet")
    floodplain = block.macro("floodplain") > 0.5
    water = (distance <= halfwidth) | (cover == syn.WATER)
    water |= np.abs(block.noise("stream")) < STREAM_HALF_WIDTH
    water |= floodplain & (np.abs(wet) < 0.05)
    bar = floodplain & (distance <= 3.0 * halfwidth) & (wet > 0.9)
    cover[bar & ~water] = syn.BARREN
    marsh = (distance <= halfwidth + 4.0 * wet) | (floodplain & (wet < -1.2))
    lake = ellipse_score(block, land.lakes, 2.0) + 0.12 * wet
    water |= lake < 1.0
    marsh |= lake < 1.12
    plain = block.macro("rugged") < 0.3
    return {syn.WATER: water, syn.WETLAND: marsh & plain & ~water}


def town_mask(block: Block, growth_fraction: float) -> np.ndarray:
    """Towns: pixels where the max over towns of 1 - distance / radius (radius grown by
    ``growth_fraction`` of each town's growth; capped below at -1, so towns farther than two
    radii are skipped) plus a little noise is positive. Larger radii give supersets."""
    score = np.full(block.shape, np.float32(-1.0))
    r = indices(block.rows) + 0.5
    c = indices(block.cols) + 0.5
    for row, col, radius0, growth in block.land.towns:
        radius = radius0 * (1.0 + growth * growth_fraction)
        reach = 2.0 * radius
        if row + reach < r[0] or row - reach > r[-1] or col + reach < c[0] or col - reach > c[-1]:
            continue
        local = 1.0 - np.hypot(r[:, None] - row, c[None, :] - col) / radius
        np.maximum(score, local.astype(np.float32), out=score)
    return (score > -1.0) & (score + 0.3 * block.noise("urban") > 0)


def settlements(block: Block, base: np.ndarray, year: int, fraction: float) -> np.ndarray:
    """Impervious land of ``year`` (``fraction`` of the way from the first to the last year):
    towns and cities, villages and single houses on cropland (fewer in the uplands), and
    the roads built by then. Every part only grows with ``fraction``, so it never reverts."""
    rugged = block.macro("rugged")
    lo, hi = VILLAGE_THRESHOLD
    cropland = base == syn.CROPLAND
    villages = block.noise("village") > lo + (hi - lo) * fraction + 2.5 * rugged
    houses = block.speckle() - SPECKLE["grass"]
    villages |= (houses >= 0) & (houses < SPECKLE["houses"] * (1.0 + 0.5 * fraction))
    impervious = cropland & villages
    for built, pixels in block.land.road_pixels.items():
        if built <= year:
            impervious |= burn(block, pixels)
    return impervious | town_mask(block, fraction)


def render_block(land: Landscape, window: Window) -> np.ndarray:
    """Land cover of every year on ``window``: uint8 array (n_years, height, width)."""
    out = np.zeros((len(land.years), int(window.height), int(window.width)), dtype=np.uint8)
    valid = valid_mask(land, window)
    if not valid.any():
        return out
    block = block_of(land, window)
    rugged = block.macro("rugged")
    elevation = block.macro("elevation") + (15.0 + 300.0 * rugged) * block.noise("relief")
    base = base_cover(block, elevation, rugged)
    static = water_layers(block, base)
    static[syn.SNOW] = base == syn.SNOW
    static[syn.NODATA] = ~valid
    upland_crop = (base == syn.CROPLAND) & (rugged > 0.2)
    for index, fraction in enumerate(syn._year_fraction(land.years)):
        impervious = settlements(block, base, land.years[index], fraction)
        share = RESTORED_SHARE[0] + (RESTORED_SHARE[1] - RESTORED_SHARE[0]) * fraction
        restored = upland_crop & (block.noise("restore") > _upper_quantile(share))
        out[index] = syn.make_landcover(base, restored, impervious, static)
    return out


def _upper_quantile(share: float) -> float:
    """Threshold of a standard normal field exceeded by ``share`` of the pixels."""
    return np.inf if share <= 0 else NormalDist().inv_cdf(1.0 - share)


# --------------------------------------------------------------------------- whole rasters


def block_windows(grid: Grid, block: int = TILE) -> Iterator[Window]:
    """Windows of ``block`` x ``block`` pixels (tile-aligned), row by row."""
    for top in range(0, grid.height, block):
        for left in range(0, grid.width, block):
            yield Window(left, top, min(block, grid.width - left), min(block, grid.height - top))


_WORKER: dict = {}


def _init_worker(land: Landscape, zones: Sequence) -> None:
    zones = np.asarray(zones, dtype=object)
    _WORKER.update(land=land, zones=zones, tree=shapely.STRtree(zones))


def zone_index(window: Window) -> np.ndarray:
    """Zone number 1..n (0 outside every zone) of each pixel centre of ``window``; only the
    zones whose box meets the window are rasterised (same result, much faster)."""
    land, zones = _WORKER["land"], _WORKER["zones"]
    transform = rasterio.windows.transform(window, land.grid.transform)
    box = shapely.box(*rasterio.windows.bounds(window, land.grid.transform))
    hits = np.sort(_WORKER["tree"].query(box))
    shape = (int(window.height), int(window.width))
    if not len(hits):
        return np.zeros(shape, dtype="int32")
    burns = zip(zones[hits], (hits + 1).tolist(), strict=True)
    return features.rasterize(burns, out_shape=shape, transform=transform, dtype="int32")


def _render_and_count(window: Window) -> tuple[Window, np.ndarray, np.ndarray]:
    """Render one block and count pixels per zone and code for each year."""
    land, n_zones = _WORKER["land"], len(_WORKER["zones"])
    covers = render_block(land, window)
    counts = np.zeros((len(land.years), n_zones + 1, syn.N_CODES), dtype=np.int64)
    if covers.any():
        index = zone_index(window)
        for k, cover in enumerate(covers):
            counts[k] = syn.class_counts_by_unit(cover, index, n_zones)
    return window, covers, counts


@contextlib.contextmanager
def _rendered(land: Landscape, zones: Sequence, workers: int) -> Iterator:
    """A function mapping windows to ``_render_and_count`` results, in order, computed by
    ``workers`` processes (at most 4 blocks per worker waiting, so memory stays bounded)."""
    if workers <= 1:
        _init_worker(land, zones)
        try:
            yield lambda windows: map(_render_and_count, windows)
        finally:
            _WORKER.clear()
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, _init_worker, (land, zones)) as pool:
        yield lambda windows: _bounded_imap(pool, windows, 4 * workers)


def _bounded_imap(pool, windows: Sequence[Window], in_flight: int) -> Iterator:
    """Results of ``_render_and_count`` over ``windows`` in order, ``in_flight`` at most pending."""
    pending = collections.deque()
    for window in windows:
        pending.append(pool.apply_async(_render_and_count, (window,)))
        if len(pending) >= in_flight:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


def write_rasters(
    land: Landscape,
    paths: Sequence,
    crs: str,
    zones: Sequence = (),
    workers: int = 1,
    block: int = TILE,
) -> np.ndarray:
    """Render every block (``workers`` processes) and write one CLCD-like GeoTIFF per year
    (uint8, ``TILE``-pixel tiles, DEFLATE, colour table, nodata 0) to ``paths`` (temporary
    paths: the caller renames them). Returns pixel counts (years, zones + 1, codes): row 0 of
    a year is outside every zone of ``zones`` (polygons in the grid CRS)."""
    grid = land.grid
    profile = output_profile({"crs": crs, "nodata": 0}, grid.width, grid.height, grid.transform)
    profile.update(blockxsize=TILE, blockysize=TILE)
    counts = np.zeros((len(land.years), len(zones) + 1, syn.N_CODES), dtype=np.int64)
    windows = list(block_windows(grid, block))
    # Workers start before GDAL_CACHEMAX is set: with it set, rasterising is ~4 times slower.
    with _rendered(land, zones, workers) as results, rasterio.Env(GDAL_CACHEMAX=256):
        datasets = [rasterio.open(p, "w", **profile) for p in paths]
        try:
            for window, covers, block_counts in results(windows):
                for dst, cover in zip(datasets, covers, strict=True):
                    dst.write(cover, 1, window=window)
                counts += block_counts
            for dst in datasets:
                dst.write_colormap(1, syn.CLCD_COLORMAP)
        finally:
            for dst in datasets:
                dst.close()
    return counts
