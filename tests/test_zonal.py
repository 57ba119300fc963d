"""Areas and transitions on tiny rasters whose answers are counted by hand."""

import geopandas as gpd
import numpy as np
import pytest
from pyproj import CRS
from rasterio.transform import from_origin

from conftest import ALBERS, pixel_box, write_raster
from lucarbon.raster import pixel_area_ha
from lucarbon.zonal import area_table, transition_table, zonal_class_areas

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


def test_projected_pixel_area_is_constant():
    areas = pixel_area_ha(from_origin(0, 0, 30, 30), CRS.from_user_input(ALBERS), 5, 4)
    np.testing.assert_allclose(areas, 0.09)


def test_misaligned_rasters_are_rejected(tmp_path, two_units):
    a = write_raster(tmp_path / "a.tif", GRID)
    b = write_raster(tmp_path / "b.tif", GRID[:5])
    with pytest.raises(ValueError, match="grid differs"):
        zonal_class_areas([a, b], two_units, 6)
