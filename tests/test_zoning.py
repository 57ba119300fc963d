"""Compensation zoning schemes by hand, and the figures colouring what they draw."""

import math

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lucarbon.figures.labels import Labels
from lucarbon.figures.style import CATEGORY_COLOURS
from lucarbon.figures.zoning import compensation_standard
from lucarbon.model.zoning import BASIC_ZONES, GRADED_ZONES, Zoning, zone, zone_names

matplotlib.use("Agg")


def frame(values, year=2000, delta=None, fair=None):
    n = len(values)
    return pd.DataFrame(
        {
            "unit_id": [f"U{i}" for i in range(n)],
            "year": year if np.isscalar(year) else list(year),
            "value_yuan": values,
            "delta_c_tC": values if delta is None else delta,
            "fair_share_tC": [1.0] * n if fair is None else fair,
        }
    )


def test_sign_balanced_only_within_the_tolerance():
    # tolerance 1e-9 × max |V| 5 = 5e-9: 1e-12 and 0 are balanced, 1e-6 is a payment.
    table = frame([5.0, 1e-12, -3.0, 0.0, 1e-6])
    assert zone(table, "value_yuan", Zoning("sign")).tolist() == [
        "payment",
        "balanced",
        "receiving",
        "balanced",
        "payment",
    ]


def test_fair_share_band_by_hand():
    # |ΔC| against 0.1 × |T| = 1 for each unit: 2 pays, 0.5 balanced, −1.5 receives; the band
    # is the unit's own: ΔC 2 against T 40 (band 4) is balanced.
    table = frame([9.0, 9.0, 9.0, 9.0], delta=[2.0, 0.5, -1.5, 2.0], fair=[10, 10, -10, 40])
    zones = zone(table, "value_yuan", Zoning("fair_share_band", fair_share_band=0.1))
    assert zones.tolist() == ["payment", "balanced", "receiving", "balanced"]


def test_sd_band_by_hand():
    # Population SD of (60, 10, −70) = sqrt((3600 + 100 + 4900) / 3) = 53.54; band 26.77.
    assert 10 < 0.5 * math.sqrt(8600 / 3) < 60
    table = frame([60.0, 10.0, -70.0])
    zones = zone(table, "value_yuan", Zoning("sd_band", sd_fraction=0.5))
    assert zones.tolist() == ["payment", "balanced", "receiving"]


def test_natural_breaks_by_hand():
    # Payers 1, 4, 6, 10: the two-class splits have within-class sums of squares
    # {1}{4,6,10} 18.67, {1,4}{6,10} 4.5 + 8 = 12.5, {1,4,6}{10} 12.67 -> 6 and 10 strong.
    # Receivers −1, −50: one in each class. Zero is balanced.
    table = frame([1.0, 4.0, 6.0, 10.0, -1.0, -50.0, 0.0])
    assert zone(table, "value_yuan", Zoning()).tolist() == [
        "weak_payment",
        "weak_payment",
        "strong_payment",
        "strong_payment",
        "weak_receiving",
        "strong_receiving",
        "balanced",
    ]


def test_natural_breaks_per_year_and_a_lone_or_equal_side_is_strong():
    # 2000: one receiver (strong); 2001: two equal payers (one class, strong).
    table = frame([3.0, 1.0, -4.0, 2.0, 2.0, -4.0], year=[2000] * 3 + [2001] * 3)
    assert zone(table, "value_yuan", Zoning()).tolist() == [
        "strong_payment",
        "weak_payment",
        "strong_receiving",
        "strong_payment",
        "strong_payment",
        "strong_receiving",
    ]


def test_zone_names_follow_the_scheme():
    assert zone_names(["payment", "balanced"]) == BASIC_ZONES
    assert zone_names(["weak_payment", "balanced"]) == GRADED_ZONES
    with pytest.raises(ValueError, match="unknown zoning scheme"):
        zone(frame([1.0]), "value_yuan", Zoning("quantiles"))


values = st.lists(
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), min_size=1, max_size=40
)


@settings(max_examples=100, deadline=None)
@given(values)
def test_graded_zones_keep_the_sign_and_rank(v):
    """Every payer is a payment zone, every receiver a receiving one; a strong payer's value
    is above every weak payer's (natural breaks are intervals)."""
    table = frame(v)
    zones = pd.Series(zone(table, "value_yuan", Zoning()))
    tol = 1e-9 * max(abs(x) for x in v)
    value = pd.Series(v)
    assert (zones[value > tol].str.endswith("payment")).all()
    assert (zones[value < -tol].str.endswith("receiving")).all()
    assert (zones[value.abs() <= tol] == "balanced").all()
    strong, weak = value[zones == "strong_payment"], value[zones == "weak_payment"]
    if len(strong) and len(weak):
        assert strong.min() > weak.max()


def test_compensation_standard_colours_each_bar_by_the_zone_of_its_own_value():
    table = frame([5.0, -2.0, 1.0, -8.0]).assign(
        value_modified_yuan=[4.0, -2.5, 0.5, -1.0],
        zone=["strong_payment", "strong_receiving", "weak_payment", "weak_receiving"],
    )
    fig = compensation_standard(table, "value_modified_yuan", Labels("en"))
    bars = fig.axes[0].patches
    ordered = table.sort_values("value_modified_yuan")
    assert [b.get_width() for b in bars] == pytest.approx(
        (ordered["value_modified_yuan"] / 1e4).tolist()
    )
    expected = [matplotlib.colors.to_rgba(CATEGORY_COLOURS[z]) for z in ordered["zone"]]
    assert [b.get_facecolor() for b in bars] == expected
