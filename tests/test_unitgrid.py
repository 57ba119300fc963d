"""The unit grid, tiles bounded in pixels, threads and the one pass, against answers worked out
by hand or by a second implementation."""

import subprocess
import sys

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from hypothesis import given, settings
from hypothesis import strategies as st
from rasterio.transform import from_origin
from rasterio.windows import Window
from shapely.geometry import Polygon

from conftest import ALBERS, PIXEL, ROOT, X0, Y0, one_pass, pixel_box, write_raster
from lucarbon.raster.blocks import tiles
from lucarbon.raster.clip import block_aligned, study_window, tile_window
from lucarbon.raster.counting import count_window
from lucarbon.raster.landuse import read_landuse_types, read_reclass
from lucarbon.raster.unitgrid import (
    grid_dtype,
    grid_of,
    open_unit_grid,
    read_on_grid,
    row_runs,
    write_unit_grid,
)
from lucarbon.raster.zonal import zonal_class_areas

TYPES = read_landuse_types(ROOT / "data/landuse_types.csv")
CLCD_PATH = ROOT / "data/reclass/clcd_to_landuse.csv"
CLCD = read_reclass(CLCD_PATH)
# CLCD code → land-use code by hand (data/reclass/clcd_to_landuse.csv, data/landuse_types.csv).
CLCD_BY_HAND = np.array([0, 1, 2, 2, 3, 4, 6, 6, 5, 4])


@settings(max_examples=200, deadline=None)
@given(
    height=st.integers(1, 3000),
    width=st.integers(1, 200_000),
    block=st.sampled_from([1, 16, 256, 512]),
    budget=st.integers(1, 5_000_000),
)
def test_tiles_cover_every_pixel_once_in_whole_blocks_within_the_budget(
    height, width, block, budget
):
    windows = tiles(height, width, block, budget)
    area = 0
    for w in windows:
        assert w.col_off % block == 0 and w.row_off % block == 0  # start on block edges
        # whole blocks, except at the raster's right and bottom edges
        assert w.width % block == 0 or w.col_off + w.width == width
        assert w.height % block == 0 or w.row_off + w.height == height
        assert w.width * w.height <= max(budget, block * block)
        area += w.width * w.height
    assert area == height * width  # with the starts distinct, no pixel twice or missed
    assert len({(w.col_off, w.row_off) for w in windows}) == len(windows)


def test_tiles_are_full_width_bands_when_a_block_row_fits_else_tiles_across():
    assert [(w.col_off, w.row_off, w.width, w.height) for w in tiles(1000, 600, 256, 300_000)] == [
        (0, 0, 600, 256),
        (0, 256, 600, 256),
        (0, 512, 600, 256),
        (0, 768, 600, 232),
    ]
    wide = tiles(300, 2000, 256, 140_000)  # a block row (512 000 px) exceeds the budget
    assert [(w.col_off, w.width) for w in wide[:4]] == [
        (0, 512),
        (512, 512),
        (1024, 512),
        (1536, 464),
    ]


def test_grid_dtype_is_the_smallest_that_numbers_the_units():
    assert [grid_dtype(n) for n in (1, 255, 256, 65535, 65536)] == [
        "uint8", "uint8", "uint16", "uint16", "uint32",
    ]  # fmt: skip


def l_shaped_units():
    """Unit A: an L over columns 0-3 (rows 0-1 whole, rows 2-5 only columns 0-1); unit B:
    columns 4-5, rows 2-5. Pixels of columns 2-3 in rows 2-5 are in the study window but in
    no unit."""
    a = Polygon(
        [(X0, Y0), (X0 + 4 * PIXEL, Y0), (X0 + 4 * PIXEL, Y0 - 2 * PIXEL),
         (X0 + 2 * PIXEL, Y0 - 2 * PIXEL), (X0 + 2 * PIXEL, Y0 - 6 * PIXEL), (X0, Y0 - 6 * PIXEL)]
    )  # fmt: skip
    return gpd.GeoDataFrame(
        {"unit_id": ["A", "B"]}, geometry=[a, pixel_box(4, 2, 6, 6)], crs=ALBERS
    )


def by_hand_index() -> np.ndarray:
    index = np.zeros((6, 6), dtype=int)
    index[0:2, 0:4] = 1
    index[2:6, 0:2] = 1
    index[2:6, 4:6] = 2
    return index


def test_unit_grid_written_once_numbers_pixels_by_centre(tmp_path):
    raw = write_raster(tmp_path / "raw.tif", np.ones((8, 8)))
    units = l_shaped_units()
    with rasterio.open(raw) as src:
        grid = grid_of(src, units.geometry.values, study_window(src, units.total_bounds))
    write_unit_grid(grid, tmp_path / "grid.npz")
    cached = open_unit_grid(tmp_path / "grid.npz")
    assert (cached.n_units, cached.width, cached.height, cached.dtype) == (2, 6, 6, "uint8")
    assert cached.transform == grid.transform and cached.crs == grid.crs
    np.testing.assert_array_equal(cached.read(Window(0, 0, 6, 6)), by_hand_index())
    # Runs by hand: row 0 and 1 one run of A over columns 0-3; rows 2-5 A 0-1 and B 4-5.
    assert cached.runs[cached.row_ptr[0] : cached.row_ptr[1]].tolist() == [[0, 4, 1]]
    assert cached.runs[cached.row_ptr[3] : cached.row_ptr[4]].tolist() == [[0, 2, 1], [4, 6, 2]]
    np.testing.assert_array_equal(cached.read(Window(3, 1, 3, 2)), by_hand_index()[1:3, 3:6])
    write_unit_grid(grid, tmp_path / "again.npz")  # the same grid, the same bytes
    assert (tmp_path / "again.npz").read_bytes() == (tmp_path / "grid.npz").read_bytes()


def test_the_windows_cover_every_unit_pixel_and_skip_blocks_without_units(tmp_path):
    """Units in blocks (0, 0) and (1, 2) of a 3 x 3 block grid (blocks of 4 pixels): the
    windows are exactly those two blocks."""
    raw = write_raster(tmp_path / "raw.tif", np.ones((12, 12)))
    units = gpd.GeoDataFrame(
        {"unit_id": ["A", "B"]}, geometry=[pixel_box(1, 1, 3, 3), pixel_box(9, 5, 11, 7)],
        crs=ALBERS,
    )  # fmt: skip
    with rasterio.open(raw) as src:
        grid = grid_of(src, units.geometry.values, Window(0, 0, 12, 12))
    windows = grid.windows(block=4, budget=16)
    assert [(w.col_off, w.row_off, w.width, w.height) for w in windows] == [
        (0, 0, 4, 4),
        (8, 4, 4, 4),
    ]
    covered = np.zeros((12, 12), dtype=bool)
    for w in windows:
        covered[w.row_off : w.row_off + w.height, w.col_off : w.col_off + w.width] = True
    assert covered[grid.read(Window(0, 0, 12, 12)) > 0].all()


@pytest.mark.parametrize("threads", [1, 2])
def test_one_pass_masks_outside_units_and_counts_by_hand(tmp_path, threads):
    codes = np.arange(36).reshape(6, 6) % 9 + 1  # CLCD codes 1..9
    raw = write_raster(tmp_path / "raw.tif", codes)
    units = l_shaped_units()
    with rasterio.open(raw) as src:
        grid = grid_of(src, units.geometry.values, study_window(src, units.total_bounds))
    areas = one_pass(raw, grid, tmp_path / "lu.tif", CLCD, TYPES, CLCD_PATH, 0, "raw.tif",
                            threads)  # fmt: skip
    index = by_hand_index()
    landuse = np.where(index > 0, CLCD_BY_HAND[codes], 0)
    with rasterio.open(tmp_path / "lu.tif") as out:
        np.testing.assert_array_equal(out.read(1), landuse)
        assert out.nodata == 0 and out.profile["compress"].lower() == "zstd"
    for unit in (1, 2):
        expected = np.bincount(landuse[index == unit], minlength=7) * 0.01
        np.testing.assert_allclose(areas[unit - 1], expected)


def test_a_later_year_of_smaller_extent_reads_nodata_beyond_its_edge(tmp_path):
    first = write_raster(tmp_path / "first.tif", np.ones((6, 6)))
    units = gpd.GeoDataFrame({"unit_id": ["A"]}, geometry=[pixel_box(0, 0, 6, 6)], crs=ALBERS)
    with rasterio.open(first) as src:
        grid = grid_of(src, units.geometry.values, study_window(src, units.total_bounds))
    # Same grid, one column and two rows less on the left and top (whole pixels away).
    shifted = from_origin(X0 + PIXEL, Y0 - 2 * PIXEL, PIXEL, PIXEL)
    later = write_raster(tmp_path / "later.tif", np.full((4, 5), 8), transform=shifted)
    with rasterio.open(later) as src:
        assert grid.offset_in(src) == (-1, -2)
        data = read_on_grid(src, grid.offset_in(src), Window(0, 0, 6, 6), 0)
        reused = np.full((6, 6), 99, dtype="uint8")  # a buffer still holding the last window
        into = read_on_grid(src, grid.offset_in(src), Window(0, 0, 6, 6), 0, reused)
    expected = np.zeros((6, 6), dtype=int)
    expected[2:, 1:] = 8
    np.testing.assert_array_equal(data, expected)
    assert into is reused
    np.testing.assert_array_equal(into, expected)
    areas = one_pass(later, grid, tmp_path / "lu.tif", CLCD, TYPES, CLCD_PATH, 0, "later")
    # 20 pixels of impervious (construction, code 5), 16 missing: nodata inside the unit.
    np.testing.assert_allclose(areas[0], [0.16, 0, 0, 0, 0, 0.20, 0])


def test_block_aligned_grows_the_window_to_block_edges(tmp_path):
    path = tmp_path / "tiled.tif"
    profile = dict(driver="GTiff", width=100, height=80, count=1, dtype="uint8", crs=ALBERS,
                   transform=from_origin(X0, Y0, PIXEL, PIXEL), tiled=True, blockxsize=32,
                   blockysize=16)  # fmt: skip
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(np.ones((1, 80, 100), dtype="uint8"))
    with rasterio.open(path) as src:
        aligned = block_aligned(src, Window(40, 20, 30, 10))
    assert (aligned.col_off, aligned.row_off, aligned.width, aligned.height) == (32, 16, 38, 14)


@settings(max_examples=60, deadline=None)
@given(
    shape=st.tuples(st.integers(1, 40), st.integers(1, 40)),
    n_units=st.integers(1, 300),
    base=st.integers(2, 12),
    geographic=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_counts_on_runs_equal_a_dictionary_count(shape, n_units, base, geographic, seed):
    """Against a second implementation: a plain Python count of (unit, class a, class b)
    over every pixel of a random unit index, through random lookups of raw codes."""
    rng = np.random.default_rng(seed)
    index = rng.integers(0, n_units + 1, shape).astype(grid_dtype(n_units))
    index[:, : shape[1] // 3] = index[:, :1]  # long runs as well as short ones
    a, b = (rng.integers(0, 256, shape).astype("uint8") for _ in range(2))
    lut_a, lut_b = (rng.integers(0, base, 256).astype("uint8") for _ in range(2))
    rows = rng.uniform(0.5, 1.0, shape[0]) if geographic else None
    runs = row_runs(index, 0, 0)
    row_ptr = np.searchsorted(runs[:, 0], np.arange(shape[0] + 1))
    n_keys = (n_units + 1) * base * base
    got = count_window(a, b, (lut_a, lut_b), (row_ptr, runs[:, 1:].copy()), (0, 0), n_keys,
                       base, rows)  # fmt: skip
    expected = np.zeros(n_keys)
    for (i, j), u in np.ndenumerate(index):
        if u:
            key = (int(u) * base + int(lut_a[a[i, j]])) * base + int(lut_b[b[i, j]])
            expected[key] += 1 if rows is None else rows[i]
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


def test_the_counting_loop_does_not_import_scipy():
    """numba would import scipy.linalg (0.13 CPU-s of every reclassify job) for BLAS."""
    code = (
        "import sys, numpy as np; from lucarbon.raster.counting import count_window; "
        "a = np.zeros((2, 2), 'uint8'); lut = np.zeros(256, 'uint8'); "
        "count_window(a, a, (lut, lut), (np.zeros(3, 'int64'), np.zeros((0, 3), 'int64')), "
        "(0, 0), 4, 2); print('scipy.linalg' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT / "workflow/scripts")  # fmt: skip
    assert out.stdout.strip() == "False"


def test_transitions_on_two_threads_equal_one_thread(tmp_path, monkeypatch):
    monkeypatch.setattr("lucarbon.raster.blocks.TILE_PIXELS", 1000)  # two tiles of one block
    monkeypatch.setattr("lucarbon.raster.unitgrid.TILE_PIXELS", 1000)
    rng = np.random.default_rng(1)
    a = write_raster(tmp_path / "a.tif", rng.integers(0, 7, (300, 700)))
    b = write_raster(tmp_path / "b.tif", rng.integers(0, 7, (300, 700)))
    units = gpd.GeoDataFrame(
        {"unit_id": ["A", "B"]},
        geometry=[pixel_box(0, 0, 350.5, 300), pixel_box(350.5, 0, 700, 300)],
        crs=ALBERS,
    )
    assert len(tiles(300, 700)) == 2
    one = zonal_class_areas([a, b], units, 6, threads=1)
    two = zonal_class_areas([a, b], units, 6, threads=2)
    np.testing.assert_array_equal(one, two)
    assert one.sum() == pytest.approx(300 * 700 * 0.01)


@settings(max_examples=200, deadline=None)
@given(
    height=st.integers(1, 5000),
    width=st.integers(1, 5000),
    rows=st.integers(1, 6),
    columns=st.integers(1, 6),
    block=st.sampled_from([1, 16, 512]),
)
def test_tiles_of_the_study_window_cover_it_once_in_whole_blocks(height, width, rows, columns,
                                                                 block):  # fmt: skip
    window = Window(block * 3, block * 5, width, height)
    covered = 0
    seen = set()
    for i in range(rows):
        for j in range(columns):
            tile = tile_window(window, (rows, columns), (i, j), block)
            assert tile.row_off >= window.row_off and tile.col_off >= window.col_off
            assert tile.row_off + tile.height <= window.row_off + height
            assert tile.col_off + tile.width <= window.col_off + width
            if tile.width and tile.height:  # more tiles than blocks leaves some empty
                assert (tile.row_off - window.row_off) % block == 0
                assert (tile.col_off - window.col_off) % block == 0
                assert (tile.row_off, tile.col_off) not in seen
                seen.add((tile.row_off, tile.col_off))
            covered += tile.width * tile.height
    assert covered == height * width
