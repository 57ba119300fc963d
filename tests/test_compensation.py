"""Compensation benchmark, ΔC, value, payment ability and zoning, by hand and as invariants."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from lucarbon.compensation import compensate, payment_ability, price_per_tC, weighted_engel
from lucarbon.io import InputError

PRICES = ROOT / "data/coefficients/carbon_prices.csv"


def budget_frame(net, gdp, year=2000):
    n = len(net)
    return pd.DataFrame(
        {
            "unit_id": [f"U{i}" for i in range(n)],
            "year": [year] * n,
            "net_emission_tC": net,
            "gdp_10k_yuan": gdp,
        }
    )


def test_benchmark_delta_value_and_zones_by_hand():
    # Study net emission 100 t C; GDP shares 0.1, 0.3, 0.6 -> fair shares 10, 30, 60.
    out = compensate(
        budget_frame([70.0, 40.0, -10.0], [10.0, 30.0, 60.0]), "gdp_10k_yuan", 2.0, 0.5
    )
    assert out["fair_share_tC"].tolist() == pytest.approx([10.0, 30.0, 60.0])
    assert out["delta_c_tC"].tolist() == pytest.approx([60.0, 10.0, -70.0])
    assert out["value_yuan"].tolist() == pytest.approx([120.0, 20.0, -140.0])
    # Population std of ΔC (60, 10, -70): mean 0, sqrt((3600+100+4900)/3) = 53.54; band 26.77.
    band = 0.5 * math.sqrt((60**2 + 10**2 + 70**2) / 3)
    assert out["band_tC"].iloc[0] == pytest.approx(band)
    assert out["zone"].tolist() == ["payment", "balanced", "receiving"]
    # Priority score |V| / GDP in yuan: 120 / (10 × 10^4).
    assert out["priority_score"].iloc[0] == pytest.approx(120 / 1e5)


def test_modified_value_uses_pearl_curve():
    frame = budget_frame([50.0, -50.0], [1.0, 1.0]).assign(payment_ability=[0.5, 0.25])
    out = compensate(frame, "gdp_10k_yuan", 1.0, 0.0)
    assert out["value_modified_yuan"].tolist() == pytest.approx([25.0, -12.5])
    # En = 0.25 -> t = 1/0.25 - 3 = 1 -> R = 1 / (1 + e^-1)
    assert payment_ability(pd.Series([0.25])).iloc[0] == pytest.approx(1 / (1 + math.exp(-1)))
    assert payment_ability(pd.Series([1 / 3])).iloc[0] == pytest.approx(0.5)


def test_weighted_engel_and_range_check():
    table = pd.DataFrame({"engel_urban": [0.3], "engel_rural": [0.5], "urbanization_rate": [0.25]})
    assert weighted_engel(table, "e.csv").iloc[0] == pytest.approx(0.25 * 0.3 + 0.75 * 0.5)
    table.loc[0, "engel_rural"] = 45.0
    with pytest.raises(InputError, match=r"e\.csv: row 2, column 'engel_rural'"):
        weighted_engel(table, "e.csv")


def test_price_conversion_and_errors(tmp_path):
    assert price_per_tC(PRICES, "afforestation_cost") == pytest.approx(260.90)
    assert price_per_tC(PRICES, "china_ets_first_trade") == pytest.approx(52.78 * 44 / 12)
    with pytest.raises(InputError, match="no price 'x'"):
        price_per_tC(PRICES, "x")
    table = pd.read_csv(PRICES)
    table.loc[0, "unit"] = "yuan"
    table.to_csv(tmp_path / "p.csv", index=False)
    with pytest.raises(InputError, match=r"row 2, column 'unit': 'yuan'"):
        price_per_tC(tmp_path / "p.csv", "afforestation_cost")


finite = st.floats(min_value=-1e7, max_value=1e7, allow_nan=False)
positive = st.floats(min_value=1e-3, max_value=1e7, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(finite, positive), min_size=2, max_size=40))
def test_delta_c_sums_to_zero_for_any_inputs(rows):
    net, gdp = zip(*rows, strict=True)
    out = compensate(budget_frame(list(net), list(gdp)), "gdp_10k_yuan", 100.0, 0.5)
    scale = max(1.0, float(np.abs(net).sum()))
    assert abs(out["delta_c_tC"].sum()) <= 1e-9 * scale
    assert abs(out["value_yuan"].sum()) <= 1e-9 * scale * 100
    assert out["benchmark_share"].sum() == pytest.approx(1.0)
