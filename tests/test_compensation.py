"""Compensation benchmark, ΔC, value, payment ability and zoning, by hand and as invariants."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from lucarbon.core.io import InputError
from lucarbon.model.compensation import (
    compensate,
    ecc_esc_factor,
    gdp_per_capita_ratio,
    modify,
    payment_ability,
    price_per_tC,
    priority_score,
    weighted_engel,
)
from lucarbon.model.inputs import compensation_provenance, load_settings
from lucarbon.model.run import Settings, run_compensation

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


def test_benchmark_delta_and_value_by_hand():
    # Study net emission 100 t C; GDP shares 0.1, 0.3, 0.6 -> fair shares 10, 30, 60.
    out = compensate(budget_frame([70.0, 40.0, -10.0], [10.0, 30.0, 60.0]), "gdp_10k_yuan", 2.0)
    assert out["fair_share_tC"].tolist() == pytest.approx([10.0, 30.0, 60.0])
    assert out["delta_c_tC"].tolist() == pytest.approx([60.0, 10.0, -70.0])
    assert out["value_yuan"].tolist() == pytest.approx([120.0, 20.0, -140.0])
    # Priority score |V| / GDP in yuan: 120 / (10 × 10^4).
    assert priority_score(out["value_yuan"], pd.Series([10.0, 30.0, 60.0])).iloc[0] == (
        pytest.approx(120 / 1e5)
    )


def test_modified_value_uses_pearl_curve():
    table = compensate(budget_frame([50.0, -50.0], [1.0, 1.0]), "gdp_10k_yuan", 1.0)
    out = modify(table, pd.Series([0.5, 0.25]), rebalance=False)
    # ΔC = 50 − 0 = 50 and −50 (study net 0): V = ±50, modified 25 and −12.5.
    assert out["value_modified_yuan"].tolist() == pytest.approx([25.0, -12.5])
    assert "rebalance_factor" not in out
    # En = 0.25 -> t = 1/0.25 - 3 = 1 -> R = 1 / (1 + e^-1)
    assert payment_ability(pd.Series([0.25])).iloc[0] == pytest.approx(1 / (1 + math.exp(-1)))
    assert payment_ability(pd.Series([1 / 3])).iloc[0] == pytest.approx(0.5)


def test_rebalance_scales_payments_and_receipts_to_their_mean_by_hand():
    table = compensate(budget_frame([70.0, 40.0, -10.0], [10.0, 30.0, 60.0]), "gdp_10k_yuan", 2.0)
    out = modify(table, pd.Series([0.5, 1.0, 0.25]), rebalance=True)
    # Modified 60, 20, −35: payments P = 80, receipts Q = 35, mean M = 57.5;
    # payments × 57.5/80, receipts × 57.5/35.
    assert out["rebalance_factor"].tolist() == pytest.approx([57.5 / 80, 57.5 / 80, 57.5 / 35])
    assert out["value_modified_yuan"].tolist() == pytest.approx([43.125, 14.375, -57.5])
    assert out["value_modified_yuan"].sum() == pytest.approx(0.0, abs=1e-12)


def test_gdp_per_capita_ability_is_clipped_to_one_by_hand():
    frame = pd.DataFrame(
        {
            "year": [2000, 2000],
            "gdp_10k_yuan": [10.0, 40.0],
            "population_persons": [10.0, 10.0],
        }
    )
    # Per person 1 and 4, study 50 / 20 = 2.5: ratios 0.4 and 1.6, the second clipped to 1.
    assert gdp_per_capita_ratio(frame).tolist() == pytest.approx([0.4, 1.0])


def test_ecc_esc_factor_by_hand():
    # A payer is weighted by its ECC, a receiver by its ESC, ΔC = 0 by 1.
    factor = ecc_esc_factor(
        pd.Series([5.0, -3.0, 0.0]), pd.Series([0.8, 2.0, 3.0]), pd.Series([1.5, 4.0, 9.0])
    )
    assert factor.tolist() == [0.8, 4.0, 1.0]


def test_run_compensation_ecc_esc_zones_the_value_it_reports():
    frame = budget_frame([70.0, 40.0, -10.0], [10.0, 30.0, 60.0]).assign(
        mfa_class="a", ecc=[0.5, 0.9, 2.0], esc=[0.1, 0.2, 3.0]
    )
    settings = Settings(modification="ecc_esc", zoning="sd_band", band_sd_fraction=0.5)
    out = run_compensation(frame, None, 2.0, settings)
    # V = 120, 20, −140; × ECC 0.5, 0.9 (payers) and ESC 3 (receiver): 60, 18, −420.
    assert out["value_modified_yuan"].tolist() == pytest.approx([60.0, 18.0, -420.0])
    # Zones of the modified value: population SD of (60, 18, −420) around its mean −114:
    # sqrt((174² + 132² + 306²) / 3) = 217.03, band 108.5 -> balanced, balanced, receiving
    # (the unmodified ΔC 60, 10, −70 would have made the first a payer).
    band = 0.5 * math.sqrt((174**2 + 132**2 + 306**2) / 3)
    assert 60 < band < 420
    assert out["zone"].tolist() == ["balanced", "balanced", "receiving"]
    assert out["priority_score"].tolist() == pytest.approx([60 / 1e5, 18 / 3e5, 420 / 6e5])


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


@pytest.mark.parametrize("value", [-260.9, 0.0])
def test_a_price_that_is_not_positive_is_refused_in_any_row(tmp_path, value):
    """A negative price flips the sign of every value (a zero one erases them); refused even
    in a row the config does not choose, since the sensitivity analysis runs every price."""
    table = pd.read_csv(PRICES)
    last = len(table) - 1
    table.loc[last, "value"] = value
    table.to_csv(tmp_path / "p.csv", index=False)
    chosen = table.loc[0, "price"]
    with pytest.raises(InputError, match=rf"row {last + 2}, column 'value': .* must be positive"):
        price_per_tC(tmp_path / "p.csv", chosen)


finite = st.floats(min_value=-1e7, max_value=1e7, allow_nan=False)
positive = st.floats(min_value=1e-3, max_value=1e7, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(finite, positive), min_size=2, max_size=40))
def test_delta_c_sums_to_zero_for_any_inputs(rows):
    net, gdp = zip(*rows, strict=True)
    out = compensate(budget_frame(list(net), list(gdp)), "gdp_10k_yuan", 100.0)
    scale = max(1.0, float(np.abs(net).sum()))
    assert abs(out["delta_c_tC"].sum()) <= 1e-9 * scale
    assert abs(out["value_yuan"].sum()) <= 1e-9 * scale * 100
    assert out["benchmark_share"].sum() == pytest.approx(1.0)


def test_settings_and_provenance_from_the_compensation_config():
    config = {
        "modification": "ecc_esc",
        "rebalance": True,
        "zoning": {"scheme": "fair_share_band", "fair_share_band": 0.2},
    }
    settings = load_settings(compensation=config)
    assert (settings.modification, settings.rebalance, settings.zoning) == (
        "ecc_esc",
        True,
        "fair_share_band",
    )
    assert settings.fair_share_band == 0.2 and settings.zoning_tolerance == 1e-9
    meta = compensation_provenance(settings, "afforestation_cost", 260.9)
    assert meta["zoning"] == {
        "scheme": "fair_share_band",
        "tolerance": 1e-9,
        "fair_share_band": 0.2,
        "sd_fraction": 0.5,
    }
    assert meta["rebalance"] is True
    assert load_settings().zoning == "natural_breaks"
