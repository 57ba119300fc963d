"""Gap and overlap report on tiny hand-made squares with areas worked out by hand (metres) or
by pyproj.Geod (longitude/latitude), and the errors and warnings it gives."""

import geopandas as gpd
import pytest
from pyproj import Geod
from shapely.geometry import box

from lucarbon.core.io import InputError
from lucarbon.units.topology import check_topology, topology_report

CRS = "EPSG:32650"  # any projected CRS in metres


def units(boxes: dict[str, tuple[float, float, float, float]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"unit_id": list(boxes)}, geometry=[box(*b) for b in boxes.values()], crs=CRS
    )


def ring_of_eight() -> dict[str, tuple[float, float, float, float]]:
    """A 3 × 3 block of 10 m squares without its centre: a 10 m × 10 m hole (100 m²)."""
    return {
        f"u{row}{col}": (col * 10, row * 10, col * 10 + 10, row * 10 + 10)
        for row in range(3)
        for col in range(3)
        if (row, col) != (1, 1)
    }


def test_clean_tiling_has_no_rows():
    tiles = {"a": (0, 0, 10, 10), "b": (10, 0, 20, 10), "c": (0, 10, 10, 20), "d": (10, 10, 20, 20)}
    report = topology_report(units(tiles), tolerance_m2=0)
    assert list(report.columns) == ["kind", "unit_ids", "area_m2"]
    assert report.empty


def test_gap_of_known_area_names_the_bordering_units():
    report = topology_report(units(ring_of_eight()), tolerance_m2=50)
    assert report.to_dict("records") == [
        {
            "kind": "gap",
            "unit_ids": "u00;u01;u02;u10;u12;u20;u21;u22",
            "area_m2": pytest.approx(100.0),
        }
    ]


def test_island_inside_a_gap_is_not_counted_as_gap():
    boxes = ring_of_eight() | {"island": (14, 14, 16, 16)}  # 2 m × 2 m = 4 m²
    report = topology_report(units(boxes), tolerance_m2=50)
    assert report["area_m2"].tolist() == pytest.approx([96.0])


def test_overlap_of_known_area():
    # a spans x 0–10, b spans x 8–18, both y 0–10: the overlap is 2 m × 10 m = 20 m².
    report = topology_report(units({"b": (8, 0, 18, 10), "a": (0, 0, 10, 10)}), 5)
    assert report.to_dict("records") == [
        {"kind": "overlap", "unit_ids": "a;b", "area_m2": pytest.approx(20.0)}
    ]


def test_defects_at_or_below_the_tolerance_are_not_reported():
    assert topology_report(units({"a": (0, 0, 10, 10), "b": (8, 0, 18, 10)}), 20).empty
    assert topology_report(units(ring_of_eight()), 100).empty


def test_geographic_units_are_measured_in_metres():
    # a spans 113.000-113.010 E, b 113.008-113.018 E, both 34.00-34.01 N: they overlap on
    # 113.008-113.010 E, whose geodesic area pyproj.Geod gives (straight edges in a local
    # equal-area CRS differ from geodesics by far less than 1e-4 over 0.01°).
    gdf = gpd.GeoDataFrame(
        {"unit_id": ["a", "b"]},
        geometry=[box(113.0, 34.0, 113.01, 34.01), box(113.008, 34.0, 113.018, 34.01)],
        crs="EPSG:4326",
    )
    overlap = box(113.008, 34.0, 113.01, 34.01)
    expected = abs(Geod(ellps="WGS84").geometry_area_perimeter(overlap)[0])
    report = topology_report(gdf, 0)
    assert report["kind"].tolist() == ["overlap"]
    assert report["area_m2"].iloc[0] == pytest.approx(expected, rel=1e-4)


def test_hole_of_a_single_unit_is_not_a_gap():
    # a 30 m square with a 10 m square hole bordered by that unit only: its own interior ring.
    holed = box(0, 0, 30, 30).difference(box(10, 10, 20, 20))
    gdf = gpd.GeoDataFrame({"unit_id": ["a"]}, geometry=[holed], crs=CRS)
    report = topology_report(gdf, 0)
    assert report.to_dict("records") == [
        {"kind": "hole", "unit_ids": "a", "area_m2": pytest.approx(100.0)}
    ]
    check_topology(report, "units.gpkg", 0, "error")  # not an error


def test_gaps_and_overlaps_beyond_the_tolerance_are_errors_naming_units_and_areas():
    report = topology_report(units({"b": (8, 0, 18, 10), "a": (0, 0, 10, 10)}), 5)
    with pytest.raises(InputError) as err:
        check_topology(report, "my_units.shp", 5, "error")
    message = str(err.value)
    assert message.startswith("my_units.shp: 1 gap(s) or overlap(s)")
    assert "overlap of 20.0 m² (0.0020 ha) at unit(s) a, b" in message
    assert "boundaries.topology: warn" in message


def test_topology_warn_mode_warns_the_user(capsys):
    report = topology_report(units(ring_of_eight()), 50)
    check_topology(report, "my_units.shp", 50, "warn")
    warning = capsys.readouterr().err
    assert warning.startswith("Warning: my_units.shp: 1 gap(s) or overlap(s)")
    assert "gap of 100.0 m² (0.0100 ha) at unit(s) u00, u01, u02, u10" in warning


def test_unit_inside_another_and_a_duplicate_are_overlaps():
    # shapely.coverage_invalid_edges flags only the inner unit of a unit inside another: the
    # overlap (2 m × 2 m) is still found; a duplicate overlaps by its whole area (100 m²).
    report = topology_report(units({"outer": (0, 0, 10, 10), "inner": (2, 2, 4, 4)}), 0)
    assert report.to_dict("records") == [
        {"kind": "overlap", "unit_ids": "inner;outer", "area_m2": pytest.approx(4.0)}
    ]
    report = topology_report(units({"a": (0, 0, 10, 10), "copy": (0, 0, 10, 10)}), 0)
    assert report.to_dict("records") == [
        {"kind": "overlap", "unit_ids": "a;copy", "area_m2": pytest.approx(100.0)}
    ]


def test_tiling_with_unmatched_vertices_has_no_defects():
    # One 10 × 20 m unit beside two 10 × 10 m ones: not a valid coverage for GEOS (the point
    # (10, 10) is a vertex of the right units only), yet without gaps or overlaps.
    tiles = {"left": (0, 0, 10, 20), "low": (10, 0, 20, 10), "high": (10, 10, 20, 20)}
    assert topology_report(units(tiles), 0).empty
