"""Gap and overlap report on tiny hand-made squares (metres) with areas worked out by hand."""

import geopandas as gpd
import pytest
from shapely.geometry import box

from lucarbon.topology import topology_report

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


def test_geographic_crs_is_refused():
    gdf = units({"a": (0, 0, 1, 1)}).set_crs("EPSG:4326", allow_override=True)
    with pytest.raises(ValueError, match="projected CRS"):
        topology_report(gdf, 0)
