"""Areas and transitions on tiny rasters whose answers are counted by hand."""

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from pyproj import CRS
from rasterio.transform import from_origin
from shapely.geometry import Polygon, box

from conftest import ALBERS, ROOT, X0, Y0, exact_row_pixel_ha, one_pass, pixel_box, write_raster
from lucarbon.core.io import InputError
from lucarbon.raster.blocks import pixel_area_ha
from lucarbon.raster.clip import study_window
from lucarbon.raster.landuse import read_landuse_types, read_reclass
from lucarbon.raster.unitgrid import grid_of
from lucarbon.raster.zonal import (
    area_table,
    nodata_table,
    nodata_warning,
    transition_table,
    zonal_class_areas,
)

# 6 x 6 land-use codes (1..6, 0 nodata). Left half = unit A, right half = unit B.
GRID = np.array(
    [
        [1, 1, 2, 5, 5, 5],
        [1, 1, 2, 5, 5, 5],
        [1, 3, 2, 4, 4, 6],
        [1, 3, 2, 4, 4, 6],
        [1, 1, 1, 0, 4, 6],
        [1, 1, 1, 4, 4, 6],
    ]
)


def test_class_areas_counted_by_hand(tmp_path, two_units):
    raster = write_raster(tmp_path / "lu.tif", GRID)
    areas = zonal_class_areas([raster], two_units, n_classes=6)
    # Unit A: code 1 x 12, code 2 x 4, code 3 x 2, nothing else; 0.01 ha per pixel.
    # Unit B: 4 x 7, 5 x 6, 6 x 4, one nodata pixel.
    expected = (
        np.array(
            [
                [0, 12, 4, 2, 0, 0, 0],
                [1, 0, 0, 0, 7, 6, 4],
            ]
        )
        * 0.01
    )
    np.testing.assert_allclose(areas, expected)


def test_pixel_centre_rule_for_a_polygon_cutting_pixels(tmp_path):
    raster = write_raster(tmp_path / "lu.tif", np.ones((6, 6)))
    # Columns 0.4..2.6 and rows 0..1.6: centres at columns 0.5, 1.5, 2.5 and rows 0.5, 1.5
    # are inside, so 3 x 2 = 6 pixels count although the polygon covers 2.2 x 1.6 pixels.
    unit = gpd.GeoDataFrame({"unit_id": ["A"]}, geometry=[pixel_box(0.4, 0, 2.6, 1.6)], crs=ALBERS)
    areas = zonal_class_areas([raster], unit, n_classes=6)
    assert areas[0, 1] == pytest.approx(0.06)
    assert areas.sum() == pytest.approx(0.06)


def test_transitions_counted_by_hand(tmp_path, two_units):
    later = GRID.copy()
    later[0, 0:2] = 5  # unit A: two arable pixels became construction
    later[2, 1] = 1  # unit A: one grassland pixel became arable
    later[0, 3] = 4  # unit B: one construction pixel became water
    a = write_raster(tmp_path / "a.tif", GRID)
    b = write_raster(tmp_path / "b.tif", later)
    matrix = zonal_class_areas([a, b], two_units, n_classes=6)
    assert matrix.shape == (2, 7, 7)
    assert matrix[0, 1, 5] == pytest.approx(0.02)
    assert matrix[0, 3, 1] == pytest.approx(0.01)
    assert matrix[0, 1, 1] == pytest.approx(0.10)
    assert matrix[1, 5, 4] == pytest.approx(0.01)
    assert matrix[1, 5, 5] == pytest.approx(0.05)
    # Margins equal each year's areas.
    single_a = zonal_class_areas([a], two_units, 6)
    single_b = zonal_class_areas([b], two_units, 6)
    np.testing.assert_allclose(matrix.sum(axis=2), single_a)
    np.testing.assert_allclose(matrix.sum(axis=1), single_b)
    long = transition_table(matrix, ["A", "B"], list("abcdef"), (2000, 2005))
    assert len(long) == 2 * 36
    assert long["area_ha"].sum() == pytest.approx(single_a[:, 1:].sum())


def test_area_table_is_long_and_ordered():
    areas = np.array([[0.5, 1.0, 2.0], [0.0, 3.0, 4.0]])
    table = area_table(areas, ["U2", "U1"], ["arable", "forest"], 2010)
    assert table.columns.tolist() == ["unit_id", "year", "landuse", "area_ha"]
    assert table["unit_id"].tolist() == ["U1", "U1", "U2", "U2"]
    assert table["landuse"].tolist() == ["arable", "forest"] * 2
    assert table["area_ha"].tolist() == [3.0, 4.0, 1.0, 2.0]


def test_geographic_pixel_area_matches_spherical_formula():
    # 1° x 1° pixels: authalic-sphere area R² Δλ (sin φ1 − sin φ2) within 0.5 %.
    transform = from_origin(110.0, 40.0, 1.0, 1.0)
    areas = pixel_area_ha(transform, CRS.from_epsg(4326), 0, 3)
    r = 6_371_007.2
    lats = np.radians([40, 39, 38, 37])
    expected = r**2 * np.radians(1.0) * (np.sin(lats[:-1]) - np.sin(lats[1:])) / 1e4
    np.testing.assert_allclose(areas, expected, rtol=5e-3)


@pytest.mark.parametrize(
    ("lat_top", "pixel_deg"), [(34.6, 0.0025), (0.01, 0.00025), (-60.0, 0.01), (45.0, 1.0)]
)
def test_geographic_pixel_area_is_exact_for_thin_and_wide_rows(lat_top, pixel_deg):
    """Rows of 0.00025° to 1°, equator to 60° S, against Gauss-Legendre quadrature of the
    ellipsoid's area element to 1e-13: no cancellation for thin rows, no geodesic-edge
    bias for wide ones (pyproj.Geod's quadrilateral is 1e-6 too large at 1°)."""
    transform = from_origin(100.0, lat_top, pixel_deg, pixel_deg)
    areas = pixel_area_ha(transform, CRS.from_epsg(4326), 3, 5)
    np.testing.assert_allclose(areas, exact_row_pixel_ha(transform, 5, 3), rtol=1e-13, atol=0)


def test_projected_pixel_area_is_constant():
    areas = pixel_area_ha(from_origin(0, 0, 30, 30), CRS.from_user_input(ALBERS), 5, 4)
    np.testing.assert_allclose(areas, 0.09)


def test_misaligned_rasters_are_rejected(tmp_path, two_units):
    a = write_raster(tmp_path / "a.tif", GRID)
    half_pixel = from_origin(X0 + 15, Y0, 30, 30)
    b = write_raster(tmp_path / "b.tif", GRID, transform=half_pixel)
    with pytest.raises(InputError, match=r"b\.tif: its grid around the study units differs"):
        zonal_class_areas([a, b], two_units, 6)
    coarse = write_raster(tmp_path / "c.tif", GRID, transform=from_origin(X0, Y0, 60, 60))
    with pytest.raises(InputError, match=r"c\.tif: its grid around the study units differs"):
        zonal_class_areas([a, coarse], two_units, 6)


# A study in EPSG:4326 with 0.0025° pixels and CNLUCC codes (nodata 255), as users hold it.
GEO_PIXEL = 0.0025
LON0, LAT0 = 113.0, 34.02  # upper-left corner
GEO_TRANSFORM = from_origin(LON0, LAT0, GEO_PIXEL, GEO_PIXEL)
GEOD = CRS.from_epsg(4326).get_geod()
CNLUCC_PATH = ROOT / "data/reclass/cnlucc_to_landuse.csv"
TYPES = read_landuse_types(ROOT / "data/landuse_types.csv")
LABEL = "lc.tif (registry r.csv, dataset landcover, year 2000)"


def exact_row_area_ha(row: int) -> float:
    """Exact ellipsoidal area of one pixel of grid row ``row`` (quadrature, conftest)."""
    return float(exact_row_pixel_ha(GEO_TRANSFORM, 1, row)[0])


def geo_box(col0, row0, col1, row1):
    """Polygon covering pixel columns col0..col1 and rows row0..row1 of the geographic grid."""
    return box(
        LON0 + col0 * GEO_PIXEL,
        LAT0 - row1 * GEO_PIXEL,
        LON0 + col1 * GEO_PIXEL,
        LAT0 - row0 * GEO_PIXEL,
    )


# 8 x 8 CNLUCC codes. Unit A = columns 0-3 (all rows), unit B = columns 4-7 of rows 0-5.
CNLUCC_GRID = np.array(
    [
        [11, 11, 12, 21, 51, 51, 52, 41],
        [11, 12, 12, 21, 51, 53, 52, 42],
        [11, 255, 22, 23, 31, 32, 33, 43],
        [12, 12, 24, 24, 31, 99, 64, 44],
        [11, 11, 11, 21, 61, 62, 63, 45],
        [12, 12, 21, 21, 65, 66, 67, 46],
        [11, 11, 11, 11, 13, 13, 13, 13],  # 13 is no CNLUCC code, but outside every unit
        [12, 12, 12, 12, 13, 13, 13, 13],
    ]
)
SIX = {"arable": 1, "forest": 2, "grassland": 3, "water": 4, "construction": 5, "unused": 6}
# CNLUCC first-level classes (Liu et al. 2014) → six types; 99 sea and 255 → nodata (0).
FIRST_LEVEL = {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6}


def by_hand(grid: np.ndarray, cols: slice, rows: slice) -> np.ndarray:
    """Areas (ha) by land-use code 0..6 of the pixels in ``rows`` x ``cols``: the first digit
    of a CNLUCC code is its type; 99 and 255 are nodata."""
    areas = np.zeros(7)
    for row in range(rows.start, rows.stop):
        for code in grid[row, cols]:
            landuse = 0 if code in (99, 255) else FIRST_LEVEL[code // 10]
            areas[landuse] += exact_row_area_ha(row)
    return areas


def geo_pipeline(tmp_path, grid, name, units):
    """The workflow's one pass (unit grid, clip + reclassify) over a CNLUCC raster in
    EPSG:4326; returns the land-use raster and the areas the pass counted."""
    raw = write_raster(tmp_path / f"raw_{name}.tif", grid, "EPSG:4326", 255, GEO_TRANSFORM)
    landuse = tmp_path / f"landuse_{name}.tif"
    with rasterio.open(raw) as src:
        unit_grid = grid_of(src, units.geometry.values, study_window(src, units.total_bounds))
    reclass = read_reclass(CNLUCC_PATH)
    areas = one_pass(raw, unit_grid, landuse, reclass, TYPES, CNLUCC_PATH, 255, LABEL)
    return landuse, areas


@pytest.fixture
def geo_units():
    return gpd.GeoDataFrame(
        {"unit_id": ["A", "B"]}, geometry=[geo_box(0, 0, 4, 8), geo_box(4, 0, 8, 6)], crs=4326
    )


def test_geographic_cnlucc_areas_equal_an_exact_per_row_count(tmp_path, geo_units):
    landuse, counted = geo_pipeline(tmp_path, CNLUCC_GRID, "2000", geo_units)
    areas = zonal_class_areas([landuse], geo_units, n_classes=6)
    expected = np.array(
        [
            by_hand(CNLUCC_GRID, slice(0, 4), range(0, 8)),
            by_hand(CNLUCC_GRID, slice(4, 8), range(0, 6)),
        ]
    )
    np.testing.assert_allclose(areas, expected, rtol=1e-12, atol=0)
    np.testing.assert_allclose(counted, expected, rtol=1e-12, atol=0)  # in the one pass
    assert expected[0, 0] == exact_row_area_ha(2)  # the 255 hole in A
    assert expected[1, 0] == exact_row_area_ha(3)  # 99 (sea) in B


def test_geographic_transitions_equal_an_exact_per_row_count(tmp_path, geo_units):
    later = CNLUCC_GRID.copy()
    later[0, 0:2] = 51  # A, row 0: two paddy-field pixels became urban land
    later[4, 4] = 42  # B, row 4: sand became a lake
    first, _ = geo_pipeline(tmp_path, CNLUCC_GRID, "2000", geo_units)
    second, _ = geo_pipeline(tmp_path, later, "2010", geo_units)
    matrix = zonal_class_areas([first, second], geo_units, n_classes=6)
    arable, water, construction, unused = (
        SIX[k] for k in ("arable", "water", "construction", "unused")
    )
    assert matrix[0, arable, construction] == pytest.approx(2 * exact_row_area_ha(0), rel=1e-12)
    assert matrix[1, unused, water] == pytest.approx(exact_row_area_ha(4), rel=1e-12)
    np.testing.assert_allclose(
        matrix.sum(axis=2), zonal_class_areas([first], geo_units, 6), rtol=1e-12
    )


def test_geographic_unit_areas_match_geodesic_polygon_areas(tmp_path):
    # Units with oblique edges on a 200 x 200 grid: pixel-centre areas equal the polygons'
    # geodesic areas within the pixel-edge tolerance (half a pixel along the perimeter).
    landuse = write_raster(tmp_path / "lu.tif", np.ones((200, 200)), "EPSG:4326", 0, GEO_TRANSFORM)

    def point(col, row):
        return (LON0 + col * GEO_PIXEL, LAT0 - row * GEO_PIXEL)

    polygons = [
        Polygon([point(0, 200), point(140, 20.3), point(40.7, 6.1)]),
        Polygon([point(142.2, 22.1), point(198.5, 197.9), point(3.3, 199.6), point(90, 120)]),
    ]
    units = gpd.GeoDataFrame({"unit_id": ["T1", "T2"]}, geometry=polygons, crs=4326)
    areas = zonal_class_areas([landuse], units, n_classes=6).sum(axis=1)
    pixel_m = GEOD.inv(LON0, LAT0, LON0, LAT0 - GEO_PIXEL)[2]  # north-south edge, longest
    for polygon, area_ha in zip(polygons, areas, strict=True):
        # Edges are straight in longitude/latitude (as the rasteriser draws them), so the
        # polygon is densified before its geodesic area is taken.
        dense = shapely.segmentize(polygon, GEO_PIXEL / 10)
        geodesic_m2, perimeter_m = GEOD.geometry_area_perimeter(dense)
        tolerance_ha = perimeter_m * pixel_m / 2 / 1e4
        assert abs(area_ha - abs(geodesic_m2) / 1e4) <= tolerance_ha
        assert area_ha > 20 * tolerance_ha  # the tolerance is a small share of the area


def test_nodata_inside_units_is_tabled_and_named(tmp_path, geo_units):
    _, areas = geo_pipeline(tmp_path, CNLUCC_GRID, "2000", geo_units)
    table = nodata_table(areas, ["A", "B"], 2000)
    assert table.columns.tolist() == [
        "unit_id",
        "year",
        "nodata_ha",
        "unit_area_ha",
        "nodata_share",
    ]
    unit_a = sum(4 * exact_row_area_ha(r) for r in range(8))
    assert table["nodata_ha"].tolist() == pytest.approx(
        [exact_row_area_ha(2), exact_row_area_ha(3)], rel=1e-12
    )
    assert table.loc[0, "unit_area_ha"] == pytest.approx(unit_a, rel=1e-12)
    assert table.loc[0, "nodata_share"] == pytest.approx(exact_row_area_ha(2) / unit_a)
    message = nodata_warning(table, LABEL)
    hole = f"{exact_row_area_ha(2):.2f} ha"
    assert message.startswith(f"{LABEL}: nodata pixels") and f"A {hole}" in message
    assert "2 unit(s)" in message and "nodata_inside_units.csv" in message
    assert nodata_warning(table.assign(nodata_ha=0.0), LABEL) is None
