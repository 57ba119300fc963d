"""Block-wise synthetic land cover (synthetic.henan_extent) on a small made-up extent."""

import hashlib
import itertools

import numpy as np
import pytest
import shapely
from rasterio.windows import Window

from synthetic import demo as syn
from synthetic import henan_extent as sl

ALBERS = "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +x_0=0 +y_0=0 +datum=WGS84 +units=m"
YEARS = (2000, 2005, 2010, 2015, 2020)
GRID = sl.Grid(x0=800_010.0, y0=3_800_040.0, width=1024, height=1024)
X0, Y0 = GRID.x0, GRID.y0
SIZE = 1024 * 30.0


def xy(*fractions: float) -> np.ndarray:
    """Points given as fractions of the grid from its west and north edges, in metres."""
    f = np.asarray(fractions, dtype=float).reshape(-1, 2)
    return np.column_stack([X0 + f[:, 0] * SIZE, Y0 - f[:, 1] * SIZE])


def landscape(seed: int = 7) -> sl.Landscape:
    """A 30 km square with a high ridge in the west, a river with a floodplain, a lake, a
    town, a road, and nodata in a corner outside the extent polygon."""
    extent = shapely.Polygon(xy(0, 0, 1, 0, 1, 0.8, 0.8, 1, 0, 1))
    return sl.build_landscape(
        grid=GRID,
        extent=extent,
        years=YEARS,
        seed=seed,
        ridges=[sl.Ridge(xy(0.1, 0.0, 0.15, 1.0), 2050.0, 5000.0)],
        rivers=[sl.River(xy(0.3, 0.0, 0.6, 0.5, 1.0, 0.6), (150.0, 300.0), 1500.0)],
        towns=[sl.Town(*xy(0.7, 0.25)[0], 1500.0, 0.8)],
        lakes=[sl.Lake(*xy(0.5, 0.85)[0], 1500.0, 900.0)],
        roads=[sl.Road(xy(0.3, 0.9, 0.7, 0.25), 2010)],
        dry_ramp=tuple(xy(0.5, 0.5, 0.0, 0.5)),
        wet_ramp=tuple(xy(0.5, 0.5, 0.5, 1.0)),
    )


@pytest.fixture(scope="module")
def whole():
    """Every year on the whole grid, computed as one block."""
    return sl.render_block(landscape(), Window(0, 0, GRID.width, GRID.height))


def test_same_seed_same_values_other_seed_differs(whole):
    window = Window(0, 0, 512, 512)
    assert np.array_equal(sl.render_block(landscape(), window), whole[:, :512, :512])
    assert not np.array_equal(sl.render_block(landscape(seed=8), window), whole[:, :512, :512])


def test_blocks_computed_independently_equal_the_whole(whole):
    land = landscape()
    tiled = np.zeros_like(whole)
    for window in sl.block_windows(GRID, 512):
        rows, cols = window.toslices()
        tiled[:, rows, cols] = sl.render_block(land, window)
    assert np.array_equal(tiled, whole)
    odd = Window(301, 117, 333, 290)  # not aligned to anything
    rows, cols = odd.toslices()
    assert np.array_equal(sl.render_block(land, odd), whole[:, rows, cols])


def test_written_rasters_are_byte_identical_and_counted(tmp_path):
    land = landscape()
    west, east = (
        shapely.box(X0 + a * SIZE, Y0 - SIZE, X0 + b * SIZE, Y0) for a, b in ((0, 0.5), (0.5, 1))
    )
    digests = []
    for run, workers in (("a", 1), ("b", 1), ("c", 2)):
        paths = [tmp_path / f"{run}_{year}.tif" for year in YEARS]
        counts = sl.write_rasters(land, paths, ALBERS, zones=[west, east], workers=workers)
        digests.append([hashlib.md5(p.read_bytes()).hexdigest() for p in paths])
    assert digests[0] == digests[1] == digests[2]
    assert counts.shape == (len(YEARS), 3, syn.N_CODES)
    assert (counts.sum(axis=(1, 2)) == GRID.width * GRID.height).all()
    assert (counts[:, 0, 1:].sum(axis=1) == 0).all()  # every valid pixel is in a zone


def test_every_clcd_code_present(whole):
    for cover in whole:
        assert set(np.unique(cover)) == set(range(syn.N_CODES))


def test_impervious_never_reverts_and_cropland_shrinks(whole):
    for before, after in itertools.pairwise(whole):
        assert not np.any((before == syn.IMPERVIOUS) & (after != syn.IMPERVIOUS))
        assert (after == syn.IMPERVIOUS).sum() > (before == syn.IMPERVIOUS).sum()
        assert (after == syn.CROPLAND).sum() < (before == syn.CROPLAND).sum()
