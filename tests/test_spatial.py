"""Spatial statistics on hand-built lattices of unit squares with known patterns, and centres of
gravity with ellipses worked out by hand."""

import logging
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import Geod
from shapely.geometry import box

from lucarbon.analysis.gravity import gravity_centres, weighted_ellipse
from lucarbon.analysis.spatial import (
    autocorrelation,
    contiguity_weights,
    getis_ord,
    global_moran,
    hotspot_classes,
    local_moran,
)
from lucarbon.core.io import InputError

SETTINGS = {
    "permutations": 999,
    "seed": 7,
    "significance": 0.05,
    "confidence_levels": [0.9, 0.95, 0.99],
}


def lattice(n: int, island: bool = False) -> gpd.GeoDataFrame:
    """n × n unit squares, id 'r<row>c<col>' in row-major order; optionally one far square."""
    cells = [(r, c) for r in range(n) for c in range(n)]
    ids = [f"r{r}c{c}" for r, c in cells]
    geometry = [box(c, -r - 1, c + 1, -r) for r, c in cells]
    if island:
        ids.append("island")
        geometry.append(box(100, 100, 101, 101))
    return gpd.GeoDataFrame({"unit_id": ids}, geometry=geometry, crs="EPSG:3857")


def hand_moran(values: np.ndarray, neighbours: dict[int, list[int]]) -> float:
    """I = (n / S0) Σ_ij w_ij z_i z_j / Σ z_i², row-standardised w_ij = 1 / k_i, S0 = n."""
    z = values - values.mean()
    n = len(values)
    s0 = 0.0
    cross = 0.0
    for i, js in neighbours.items():
        for j in js:
            w = 1.0 / len(js)
            s0 += w
            cross += w * z[i] * z[j]
    return n / s0 * cross / (z @ z)


def lattice_neighbours(n: int, queen: bool) -> dict[int, list[int]]:
    """Neighbours of cell r * n + c by hand: the 4 (rook) or 8 (queen) adjacent cells."""
    out = {}
    for r in range(n):
        for c in range(n):
            out[r * n + c] = [
                rr * n + cc
                for rr in range(r - 1, r + 2)
                for cc in range(c - 1, c + 2)
                if 0 <= rr < n
                and 0 <= cc < n
                and (rr, cc) != (r, c)
                and (queen or rr == r or cc == c)
            ]
    return out


def pattern(n: int, rule) -> np.ndarray:
    return np.array([rule(r, c) for r in range(n) for c in range(n)], dtype=float)


def checkerboard(r, c):
    return (r + c) % 2


def stripes(r, c):
    return c % 2


def halves(r, c):
    return float(c < 2)


def test_rook_checkerboard_has_moran_minus_one():
    # Every rook neighbour has the other value: z_i z_j = -0.25 for every pair, so
    # Σ_j w_ij z_i z_j = -0.25 for every i, Σ z² = 16 × 0.25 and I = -4 / 4 = -1.
    w = contiguity_weights(lattice(4), "rook")
    result = global_moran(pattern(4, checkerboard), w, 99, 0)
    assert result["moran_I"] == pytest.approx(-1.0)
    assert result["expected_I"] == pytest.approx(-1 / 15)


def test_rook_halves_have_moran_17_24():
    # Left two columns 1, right two 0, z = ±0.5. Outer-column cells see only their own
    # value (+0.25 each); an inner-column cell has one neighbour across the divide: rows 1-2
    # (k = 4) give 0.25 × (3 − 1) / 4, rows 0 and 3 (k = 3) give 0.25 × (2 − 1) / 3.
    # Σ = 2 × (4 × 0.25 + 2 × 0.125 + 2 / 12) = 17/6, divided by Σ z² = 4: I = 17/24.
    w = contiguity_weights(lattice(4), "rook")
    assert global_moran(pattern(4, halves), w, 99, 0)["moran_I"] == pytest.approx(17 / 24)


@pytest.mark.parametrize("rule", [checkerboard, stripes, halves])
def test_queen_moran_matches_the_formula_with_hand_built_weights(rule):
    values = pattern(4, rule)
    expected = hand_moran(values, lattice_neighbours(4, queen=True))
    w = contiguity_weights(lattice(4), "queen")
    assert global_moran(values, w, 99, 0)["moran_I"] == pytest.approx(expected)


def test_queen_signs_follow_the_pattern():
    w = contiguity_weights(lattice(4), "queen")
    assert global_moran(pattern(4, stripes), w, 99, 0)["moran_I"] < -0.3
    result = global_moran(pattern(4, halves), w, 999, 0)
    assert result["moran_I"] > 0.5
    assert result["p_sim"] <= 0.01
    assert result["z"] > 2


def test_permutation_p_values_are_seeded():
    w = contiguity_weights(lattice(4), "queen")
    values = pattern(4, halves) + np.arange(16) / 100
    first = local_moran(values, w, 99, 3, 0.05)
    again = local_moran(values, w, 99, 3, 0.05)
    other = local_moran(values, w, 99, 4, 0.05)
    pd.testing.assert_frame_equal(first, again)
    assert not first["p_sim"].equals(other["p_sim"])


def test_lisa_on_a_rook_checkerboard_is_high_low_and_low_high():
    w = contiguity_weights(lattice(4), "rook")
    values = pattern(4, checkerboard)
    lisa = local_moran(values, w, 999, 1, 0.05)
    expected = np.where(values == 1, "HL", "LH")
    assert lisa["quadrant"].tolist() == expected.tolist()
    assert (lisa["local_I"] < 0).all()


def test_lisa_on_halves_finds_high_high_and_low_low_clusters():
    # 6 × 6, columns 0-2 high: every cell's queen neighbourhood is mostly its own half, so
    # the left half is HH and the right half LL; inner cells of columns 1 and 4 have only
    # their own value around them, which 999 permutations find significant.
    w = contiguity_weights(lattice(6), "queen")
    values = pattern(6, lambda r, c: float(c < 3))
    lisa = local_moran(values, w, 999, 1, 0.05).set_index("unit_id")
    left = values == 1
    assert lisa["quadrant"].tolist() == np.where(left, "HH", "LL").tolist()
    for r in range(1, 5):
        assert lisa.loc[f"r{r}c1", "cluster"] == "HH"
        assert lisa.loc[f"r{r}c4", "cluster"] == "LL"
        assert lisa.loc[f"r{r}c1", "p_sim"] <= 0.05


def test_hot_spots_point_to_high_values_even_when_the_total_is_negative():
    # Left half 1, right half -3: Σ y < 0, which flips the sign of esda's G z-score.
    w = contiguity_weights(lattice(6), "queen")
    values = pattern(6, lambda r, c: 1.0 if c < 3 else -3.0)
    hot = getis_ord(values, w, 999, 1, SETTINGS["confidence_levels"]).set_index("unit_id")
    for r in range(1, 5):
        assert hot.loc[f"r{r}c1", "hotspot"].startswith("hot_")
        assert hot.loc[f"r{r}c4", "hotspot"].startswith("cold_")
        assert hot.loc[f"r{r}c1", "z"] > 0 > hot.loc[f"r{r}c4", "z"]


def test_hotspot_classes_run_from_hottest_to_coldest():
    assert hotspot_classes([0.95, 0.9, 0.99]) == [
        "hot_99",
        "hot_95",
        "hot_90",
        "not_significant",
        "cold_90",
        "cold_95",
        "cold_99",
    ]


def test_an_island_gets_no_local_statistic_and_does_not_crash(caplog):
    units = lattice(4, island=True)
    with caplog.at_level(logging.WARNING):
        w = contiguity_weights(units, "queen")
    assert "island" in caplog.text
    values = np.append(pattern(4, halves), 0.5)
    assert np.isfinite(global_moran(values, w, 99, 0)["moran_I"])
    lisa = local_moran(values, w, 99, 0, 0.05).set_index("unit_id")
    assert lisa.loc["island", "cluster"] == "no_neighbours"
    assert pd.isna(lisa.loc["island", "p_sim"]) and pd.isna(lisa.loc["island", "local_I"])
    hot = getis_ord(values, w, 99, 0, [0.95]).set_index("unit_id")
    assert hot.loc["island", "hotspot"] == "no_neighbours"


def test_autocorrelation_tables_cover_every_variable_and_year():
    units = lattice(4)
    rows = []
    for year, rule in ((2000, halves), (2005, stripes)):
        for unit_id, value in zip(units["unit_id"], pattern(4, rule), strict=True):
            rows.append({"unit_id": unit_id, "year": year, "a": value, "b": 2 * value + 1})
    budget = pd.DataFrame(rows)
    w = contiguity_weights(units, "queen")
    moran, lisa, hot = autocorrelation(budget, w, ["a", "b"], SETTINGS)
    assert list(moran.columns) == ["variable", "year", "moran_I", "expected_I", "z", "p_sim"]
    assert len(moran) == 4 and len(lisa) == len(hot) == 4 * 16
    # Moran's I does not change under y → 2y + 1.
    by = moran.set_index(["variable", "year"])["moran_I"]
    assert by[("a", 2000)] == pytest.approx(by[("b", 2000)])
    assert by[("a", 2000)] > 0 > by[("a", 2005)]


def test_ellipse_of_a_cross_by_hand():
    # (±2, 0) and (0, ±1), equal weights: centre 0, variances 2 (x) and 0.5 (y).
    x, y = np.array([2.0, -2.0, 0.0, 0.0]), np.array([0.0, 0.0, 1.0, -1.0])
    ellipse = weighted_ellipse(x, y, np.ones(4))
    assert ellipse["x_m"] == pytest.approx(0) and ellipse["y_m"] == pytest.approx(0)
    assert ellipse["sd_major_m"] == pytest.approx(math.sqrt(2))
    assert ellipse["sd_minor_m"] == pytest.approx(math.sqrt(0.5))
    assert ellipse["rotation_deg_from_north"] == pytest.approx(90)


def test_weights_pull_the_centre_and_the_diagonal_gives_45_degrees():
    # Weight 3 at x = 0 and 1 at x = 4: centre 1, variance (3 × 1 + 1 × 9) / 4 = 3.
    ellipse = weighted_ellipse(np.array([0.0, 4.0]), np.array([5.0, 5.0]), np.array([3, 1]))
    assert ellipse["x_m"] == pytest.approx(1) and ellipse["y_m"] == pytest.approx(5)
    assert ellipse["sd_major_m"] == pytest.approx(math.sqrt(3))
    assert ellipse["sd_minor_m"] == pytest.approx(0, abs=1e-9)
    diagonal = weighted_ellipse(np.array([1.0, -1.0]), np.array([1.0, -1.0]), np.ones(2))
    assert diagonal["rotation_deg_from_north"] == pytest.approx(45)


def test_negative_weights_are_refused():
    with pytest.raises(InputError, match="non-negative"):
        weighted_ellipse(np.zeros(2), np.zeros(2), np.array([1.0, -1.0]))


def test_gravity_centre_moves_with_the_weights_between_years():
    # Two 10 m squares with centroids (5, 5) and (15, 5): all weight on the first in 2000,
    # equal in 2005 → the centre moves 5 m east.
    units = gpd.GeoDataFrame(
        {"unit_id": ["A", "B"]}, geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)], crs="EPSG:3857"
    )
    budget = pd.DataFrame(
        {"unit_id": ["A", "B", "A", "B"], "year": [2000, 2000, 2005, 2005], "e": [1, 0, 1, 1]}
    )
    table = gravity_centres(budget, units, ["e"]).set_index("year")
    assert table.loc[2000, "x_m"] == pytest.approx(5)
    assert table.loc[2005, "x_m"] == pytest.approx(10)
    assert table.loc[2005, "shift_m"] == pytest.approx(5)
    assert table.loc[2005, "sd_major_m"] == pytest.approx(5)


def test_gravity_centres_of_geographic_units_are_in_metres():
    # Two 0.1° squares 0.5° apart at 34° N (EPSG:4326). All weight on A, then on B, then
    # equal: the centre moves by the geodesic distance between their centres, and with
    # equal weights the major semi-axis is half that distance.
    units = gpd.GeoDataFrame(
        {"unit_id": ["A", "B"]},
        geometry=[box(113.0, 34.0, 113.1, 34.1), box(113.5, 34.0, 113.6, 34.1)],
        crs="EPSG:4326",
    )
    budget = pd.DataFrame(
        {
            "unit_id": ["A", "B"] * 3,
            "year": [2000, 2000, 2005, 2005, 2010, 2010],
            "e": [1, 0, 0, 1, 1, 1],
        }
    )
    table = gravity_centres(budget, units, ["e"]).set_index("year")
    distance_m = Geod(ellps="WGS84").inv(113.05, 34.05, 113.55, 34.05)[2]
    assert table.loc[2005, "shift_m"] == pytest.approx(distance_m, rel=1e-4)
    assert table.loc[2010, "sd_major_m"] == pytest.approx(distance_m / 2, rel=1e-4)
    # The centroid of a 0.1° square in an equal-area CRS is within a few metres of its
    # (lon, lat) centre: 1e-4° is about 10 m.
    assert table.loc[2000, "lon_deg"] == pytest.approx(113.05, abs=1e-4)
    assert table.loc[2000, "lat_deg"] == pytest.approx(34.05, abs=1e-4)
    assert table.loc[2005, "lon_deg"] == pytest.approx(113.55, abs=1e-4)
