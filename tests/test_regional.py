"""Regional differences (Theil decomposition), kernel densities and strategy zoning: worked
by hand from the formulas, a property test of total = between + within, and scipy's kernel
density as a second implementation."""

from math import log

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import gaussian_kde

from conftest import ROOT
from lucarbon.analysis.regional import (
    gaussian_density,
    indicator,
    kernel_densities,
    read_strategy_labels,
    silverman_bandwidth,
    strategy_zoning,
    theil_decomposition,
    theil_t,
)
from lucarbon.core.io import InputError

KEY = "analysis.theil"


def budget(x, w, classes, years=None):
    n = len(x)
    return pd.DataFrame(
        {
            "unit_id": [f"u{i % 100}" for i in range(n)],
            "year": years or [2000] * n,
            "mfa_class": classes,
            "emission_tC": x,
            "net_emission_tC": np.asarray(x, float) - 2.5,
            "gdp_10k_yuan": w,
            "land_area_ha": [100.0] * n,
        }
    )


def test_theil_decomposition_by_hand():
    """Class A: x = 1, 3, w = 2, 2; class B: x = 2, 4, w = 1, 3 (X = 10, W = 8)."""
    frame = indicator(
        budget([1, 3, 2, 4], [2, 2, 1, 3], ["A", "A", "B", "B"]), "emission", "gdp", KEY
    )
    assert frame.attrs["variable"] == "emission_tC_per_10k_yuan"
    out = theil_decomposition(frame, KEY).set_index(["part", "mfa_class"])
    total = (
        1 / 10 * log((1 / 10) / (2 / 8))
        + 3 / 10 * log((3 / 10) / (2 / 8))
        + 2 / 10 * log((2 / 10) / (1 / 8))
        + 4 / 10 * log((4 / 10) / (3 / 8))
    )
    between = 4 / 10 * log((4 / 10) / (4 / 8)) + 6 / 10 * log((6 / 10) / (4 / 8))
    theil_a = 1 / 4 * log((1 / 4) / (2 / 4)) + 3 / 4 * log((3 / 4) / (2 / 4))
    theil_b = 2 / 6 * log((2 / 6) / (1 / 4)) + 4 / 6 * log((4 / 6) / (3 / 4))
    assert out.loc[("total", ""), "theil_index"] == pytest.approx(total, rel=1e-12)
    assert out.loc[("between", ""), "theil_index"] == pytest.approx(between, rel=1e-12)
    assert out.loc[("class", "A"), "theil_index"] == pytest.approx(theil_a, rel=1e-12)
    assert out.loc[("class", "B"), "contribution"] == pytest.approx(0.6 * theil_b, rel=1e-12)
    within = 0.4 * theil_a + 0.6 * theil_b
    assert out.loc[("within", ""), "theil_index"] == pytest.approx(within, rel=1e-12)
    assert total == pytest.approx(between + within, rel=1e-12)  # the decomposition, by hand
    assert out.loc[("between", ""), "share_of_total"] == pytest.approx(between / total)


def test_equal_intensities_have_no_inequality():
    assert theil_t(np.array([2.0, 4.0, 6.0]), np.array([1.0, 2.0, 3.0])) == pytest.approx(0)


def test_a_class_without_emission_has_no_index_and_no_weight():
    out = theil_decomposition(
        indicator(budget([0, 0, 2, 4], [1, 1, 1, 3], ["A", "A", "B", "B"]), "emission", "gdp", KEY),
        KEY,
    ).set_index(["part", "mfa_class"])
    assert np.isnan(out.loc[("class", "A"), "theil_index"])
    assert out.loc[("class", "A"), "contribution"] == 0
    within = out.loc[("within", ""), "theil_index"]
    total, between = out.loc[("total", ""), "theil_index"], out.loc[("between", ""), "theil_index"]
    assert total == pytest.approx(between + within)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(0, 1e6),  # x ≥ 0 (zeros allowed: 0 ln 0 = 0)
            st.floats(1e-3, 1e6),  # w > 0
            st.sampled_from(["a", "b", "c"]),
        ),
        min_size=2,
        max_size=40,
    ).filter(lambda rows: sum(r[0] for r in rows) > 0)
)
def test_total_is_between_plus_within(rows):
    x, w, classes = map(list, zip(*rows, strict=True))
    out = theil_decomposition(indicator(budget(x, w, classes), "emission", "gdp", KEY), KEY)
    rows = out[out["part"] != "class"].set_index("part")["contribution"]
    assert rows.notna().all()
    assert rows["total"] == pytest.approx(rows["between"] + rows["within"], abs=1e-9)
    by_class = out.loc[out["part"] == "class", "contribution"]
    assert by_class.notna().all() and rows["within"] == pytest.approx(by_class.sum(), abs=1e-9)
    assert rows["total"] >= -1e-12 and rows["between"] >= -1e-12


def test_negative_values_are_refused_naming_the_config_key():
    frame = indicator(budget([1, 3], [2, 2], ["A", "B"]), "net_emission", "gdp", KEY)
    with pytest.raises(InputError, match=r"analysis\.theil\.numerator.*unit u0 has -1.5 in 2000"):
        theil_decomposition(frame, KEY)


def test_missing_or_zero_denominator_is_refused():
    with pytest.raises(InputError, match=r"denominator: 'population' needs population_persons"):
        indicator(budget([1, 3], [2, 2], ["A", "B"]), "emission", "population", KEY)
    with pytest.raises(InputError, match=r"gdp_10k_yuan is 0.0 for unit u1"):
        indicator(budget([1, 3], [2, 0], ["A", "B"]), "emission", "gdp", KEY)


def test_silverman_bandwidth_by_hand():
    values = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    sd = (sum((v - 3) ** 2 for v in values) / 4) ** 0.5  # 1.581
    iqr = 4.0 - 2.0  # numpy's linear quartiles of 1..5
    assert silverman_bandwidth(values) == pytest.approx(0.9 * min(sd, iqr / 1.34) * 5**-0.2)
    # IQR 0 (three equal values of five): the standard deviation alone
    tied = np.array([1.0, 1.0, 1.0, 1.0, 6.0])
    sd_tied = (4 * 1.0**2 + 4.0**2) / 4  # variance: mean 2, deviations −1 ×4 and +4
    assert silverman_bandwidth(tied) == pytest.approx(0.9 * sd_tied**0.5 * 5**-0.2)


def test_density_agrees_with_scipy_and_integrates_to_one():
    values = np.array([0.3, 0.9, 1.1, 1.7, 2.4, 2.5, 3.8])
    h = silverman_bandwidth(values)
    grid = np.linspace(-5, 9, 2001)
    ours = gaussian_density(values, grid, h)
    theirs = gaussian_kde(values, bw_method=h / values.std(ddof=1))(grid)
    np.testing.assert_allclose(ours, theirs, rtol=1e-10)
    assert np.trapezoid(ours, grid) == pytest.approx(1, abs=1e-6)


def test_kernel_densities_share_one_grid_and_skip_years_without_spread():
    frame = budget(
        [1, 2, 4, 3, 3, 3, 5, 6, 9],
        [1.0] * 9,
        ["A"] * 9,
        years=[2000] * 3 + [2005] * 3 + [2010] * 3,
    )
    table, skipped = kernel_densities(indicator(frame, "emission", "none", KEY), 50)
    assert skipped == [2005]  # 3, 3, 3: no bandwidth
    assert sorted(table["year"].unique()) == [2000, 2010]
    grids = table.groupby("year")["value_tC"].apply(list)
    assert grids[2000] == grids[2010] and len(grids[2000]) == 50
    widest = max(table["bandwidth_tC"])
    assert min(grids[2000]) == pytest.approx(1 - 3 * widest)
    assert max(grids[2000]) == pytest.approx(9 + 3 * widest)
    assert set(table["variable"]) == {"emission_tC"} and "density_per_tC" in table


LABELS = pd.DataFrame(
    [
        ("receiving|strong_receiving", "*", "eco", "sink", "Sink", "碳汇功能区"),
        ("receiving|strong_receiving", "*", "*", "keep", "Keep", "低碳保持区"),
        ("balanced", "*", "*", "optimise", "Optimise", "低碳优化区"),
        ("payment", "economic_development", "*", "develop", "Develop", "经济发展区"),
    ],
    columns=["compensation_zone", "ecc_esc_zone", "mfa_class", "strategy", "name_en", "name_zh"],
)


def test_strategy_is_the_first_matching_row():
    units = ["a", "b", "c", "d"]
    budget_table = pd.DataFrame(
        {
            "unit_id": units,
            "year": 2000,
            "mfa_class": ["eco", "dev", "dev", "dev"],
            "ecc_esc_zone": [
                "carbon_sink_function",
                "carbon_sink_function",
                "x",
                "economic_development",
            ],
        }
    )
    comp = pd.DataFrame(
        {
            "unit_id": units,
            "year": 2000,
            "zone": ["strong_receiving", "receiving", "balanced", "payment"],
        }
    )
    out = strategy_zoning(budget_table, comp, LABELS, "labels.csv").set_index("unit_id")
    assert out["strategy"].tolist() == ["sink", "keep", "optimise", "develop"]
    assert out.loc["a", "strategy_name_zh"] == "碳汇功能区"
    comp.loc[3, "zone"] = "weak_payment"
    with pytest.raises(
        InputError,
        match=r"labels\.csv: no row matches compensation_zone "
        r"'weak_payment', ecc_esc_zone 'economic_development', mfa_class 'dev'",
    ):
        strategy_zoning(budget_table, comp, LABELS, "labels.csv")


def test_shipped_labels_cover_every_zone_combination():
    """Every compensation zone of every scheme × every ECC/ESC zone × every MFA class."""
    labels = read_strategy_labels(ROOT / "data/analysis/strategy_labels.csv")
    assert set(labels["confidence"]) <= {"V", "I"} and labels["source"].str.len().min() > 20
    zones = [
        "payment",
        "balanced",
        "receiving",
        "strong_payment",
        "weak_payment",
        "weak_receiving",
        "strong_receiving",
    ]
    ecc = [
        "low_carbon_maintenance",
        "economic_development",
        "carbon_sink_function",
        "high_carbon_optimisation",
    ]
    classes = pd.read_csv(ROOT / "data/mfa_classes.csv")["mfa_class"].tolist()
    grid = pd.MultiIndex.from_product([zones, ecc, classes]).to_frame(index=False)
    grid.columns = ["zone", "ecc_esc_zone", "mfa_class"]
    grid["unit_id"], grid["year"] = [str(i) for i in range(len(grid))], 2000
    out = strategy_zoning(grid, grid, labels, "strategy_labels.csv")
    assert len(out) == len(grid) and out["strategy_name_zh"].notna().all()
