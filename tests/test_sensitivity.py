"""Sensitivity analysis: parameter naming, OAT and Monte Carlo mechanics, stability shares."""

import pandas as pd
import pytest

from conftest import ORDER, PARAMS, tiny_tables
from lucarbon.io import InputError
from lucarbon.model import Settings
from lucarbon.sensitivity import (
    analyse,
    monte_carlo,
    one_at_a_time,
    read_ranges,
    set_parameter,
    stability_summary,
)

RANGES = pd.DataFrame(
    {
        "parameter": ["direct:forest", "fuel:raw_coal:carbon_tC_per_tce"],
        "low": [-0.7, 0.6],
        "high": [-0.5, 0.9],
    }
)


def test_set_parameter_changes_one_value_in_a_copy():
    new = set_parameter(PARAMS, "fuel:natural_gas:standard_coal_kgce_per_unit", 1.2143)
    gas = new.fuels.set_index("fuel").loc["natural_gas", "standard_coal_kgce_per_unit"]
    assert gas == 1.2143
    assert PARAMS.fuels.set_index("fuel").loc["natural_gas", "standard_coal_kgce_per_unit"] == 1.33
    assert set_parameter(PARAMS, "price", 5.0).price_per_tC == 5.0
    assert set_parameter(PARAMS, "direct:forest", -0.5).coefficients["forest"] == -0.5
    assert PARAMS.coefficients["forest"] == -0.644
    with pytest.raises(KeyError, match="unknown parameter 'crop:yam:harvest_index'"):
        set_parameter(PARAMS, "crop:yam:harvest_index", 0.3)


def test_ranges_table_with_unknown_parameter_names_row(tmp_path):
    path = tmp_path / "ranges.csv"
    RANGES.assign(source="s", confidence="I").pipe(
        lambda t: pd.concat([t, pd.DataFrame([{"parameter": "direct:wood", "low": 0, "high": 1}])])
    ).to_csv(path, index=False)
    with pytest.raises(InputError, match=r"ranges\.csv: row 4, column 'parameter'.*direct:wood"):
        read_ranges(path, PARAMS)


def test_oat_and_monte_carlo_draws():
    oat = list(one_at_a_time(RANGES, PARAMS))
    assert [(label["parameter"], label["level"]) for label, _ in oat] == [
        ("direct:forest", "low"),
        ("direct:forest", "high"),
        ("fuel:raw_coal:carbon_tC_per_tce", "low"),
        ("fuel:raw_coal:carbon_tC_per_tce", "high"),
    ]
    assert oat[1][1].coefficients["forest"] == -0.5
    first = [label for label, _ in monte_carlo(RANGES, PARAMS, 5, seed=1)]
    again = [label for label, _ in monte_carlo(RANGES, PARAMS, 5, seed=1)]
    assert first == again
    assert all(-0.7 <= d["direct:forest"] <= -0.5 for d in first)
    assert all(0.6 <= d["fuel:raw_coal:carbon_tC_per_tce"] <= 0.9 for d in first)


def test_stability_shares_by_hand():
    base = {"peak_year": 2015, "intensity_ranking": ("a", "b", "c"), "net_ranking": ("c", "b", "a")}
    mc = pd.DataFrame(
        {
            "same_peak_year": [True, True, False, True],
            "same_intensity_ranking": [True, False, False, True],
            "same_net_ranking": [True, True, True, True],
            "zone_agreement": [1.0, 0.5, 1.0, 0.5],
            "ecc_esc_zone_agreement": [1.0, 1.0, 1.0, 1.0],
        }
    )
    ranks = {
        "intensity": [("a", "b", "c"), ("b", "a", "c"), ("a", "c", "b"), ("a", "b", "c")],
        "net": [("c", "b", "a")] * 4,
    }
    out = stability_summary(base, mc, ranks).set_index("conclusion")["share_of_draws_kept"]
    assert out["peak_year"] == 0.75
    assert out["intensity_ranking"] == 0.5
    assert out["intensity_rank:a"] == 0.75  # first in draws 1, 3, 4
    assert out["intensity_rank:c"] == 0.75  # third in draws 1, 2, 4
    assert out["net_rank:b"] == 1.0
    assert out["compensation_zone_all_unit_years"] == 0.75


def test_analyse_on_tiny_tables_is_complete_and_seeded():
    args = (tiny_tables(), PARAMS, Settings(modification="none"), ORDER, RANGES)
    one = analyse(*args, draws=12, seed=3)
    two = analyse(*args, draws=12, seed=3)
    assert len(one["oat"]) == 4 and len(one["monte_carlo"]) == 12
    pd.testing.assert_frame_equal(one["monte_carlo"], two["monte_carlo"])
    assert one["zones"]["share_same_zone"].between(0, 1).all()
    assert len(one["zones"]) == 2  # two units, one year
