"""GCJ-02 ↔ WGS84: published point pairs, round trips, the size of the offset in Henan."""

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import Point, Polygon

from lucarbon.units.gcj02 import gcj02_to_wgs84, geometry_to_wgs84, wgs84_to_gcj02

# (WGS84 lon, lat) → (GCJ-02 lon, lat) published by implementations of the same formula.
PUBLISHED_FORMULA_PAIRS = [
    # wandergis/coordtransform, test/app.js ("wgs84togcj02: [...]", Beijing)
    ((116.404, 39.915), (116.41024449916938, 39.91640428150164)),
    # googollee/eviltransform, python/test.py TESTS (shanghai, shenzhen, beijing; lat/lng there)
    ((121.5272106, 31.1774276), (121.531541859215, 31.17530398364597)),
    ((113.912316, 22.543847), (113.9171764808363, 22.540796131694766)),
    ((116.377817, 39.911954), (116.38404722455657, 39.91334545536069)),
    # cuihw/collection, app/src/test/java/com/data/collection/util/PositionUtilTest.java
    # (Zhengzhou; printed result in a comment whose "longitude"/"latitude" labels are swapped)
    ((113.647881, 34.829793), (113.65396374215176, 34.8287280094783)),
]

# hujiulong/gcoord, test/fixtures/china-cities.json: two Henan cities, coordinates rounded to
# 7 decimals and apparently taken from map services; gcoord itself checks them to 1e-4°.
GCOORD_HENAN_PAIRS = [
    ((114.0164322, 33.0133556), (114.022306, 33.0115324)),  # 驻马店市 驿城区
    ((113.6192856, 34.7478004), (113.6253334, 34.7466173)),  # 郑州市 中原区
]
GEOD = Geod(ellps="WGS84")


@pytest.mark.parametrize(("wgs", "gcj"), PUBLISHED_FORMULA_PAIRS)
def test_forward_matches_published_pairs(wgs, gcj):
    assert wgs84_to_gcj02(*wgs) == pytest.approx(gcj, abs=1e-9)


@pytest.mark.parametrize(("wgs", "gcj"), PUBLISHED_FORMULA_PAIRS)
def test_inverse_recovers_published_wgs84(wgs, gcj):
    assert gcj02_to_wgs84(*gcj) == pytest.approx(wgs, abs=1e-7)


@pytest.mark.parametrize(("wgs", "gcj"), GCOORD_HENAN_PAIRS)
def test_henan_city_pairs_within_a_metre(wgs, gcj):
    assert gcj02_to_wgs84(*gcj) == pytest.approx(wgs, abs=1e-5)  # 1e-5° ≈ 1 m


def test_round_trip_on_a_grid_over_henan():
    lon, lat = np.meshgrid(np.linspace(110.3, 116.7, 41), np.linspace(31.3, 36.4, 37))
    wgs_lon, wgs_lat = gcj02_to_wgs84(lon, lat)
    fwd_lon, fwd_lat = wgs84_to_gcj02(wgs_lon, wgs_lat)
    assert np.abs(fwd_lon - lon).max() < 1e-7
    assert np.abs(fwd_lat - lat).max() < 1e-7


def test_offset_in_henan_is_a_few_hundred_metres():
    lon, lat = np.meshgrid(np.linspace(110.3, 116.7, 20), np.linspace(31.3, 36.4, 20))
    wgs_lon, wgs_lat = gcj02_to_wgs84(lon.ravel(), lat.ravel())
    _, _, dist = GEOD.inv(lon.ravel(), lat.ravel(), wgs_lon, wgs_lat)
    assert dist.min() > 300 and dist.max() < 700


def test_geometry_conversion_moves_every_vertex():
    square = Polygon([(113.0, 34.0), (113.1, 34.0), (113.1, 34.1), (113.0, 34.1)])
    converted = geometry_to_wgs84(square)
    expected = np.column_stack(gcj02_to_wgs84(*np.asarray(square.exterior.coords).T))
    assert np.allclose(shapely.get_coordinates(converted), expected, atol=0, rtol=0)


def test_geoseries_conversion_keeps_index_and_sets_wgs84():
    series = gpd.GeoSeries([Point(113.0, 34.0), Point(114.0, 33.0)], index=["a", "b"])
    converted = geometry_to_wgs84(series)
    assert converted.crs == "EPSG:4326"
    assert list(converted.index) == ["a", "b"]
    assert converted.x.tolist() == pytest.approx(gcj02_to_wgs84([113.0, 114.0], [34.0, 33.0])[0])
