"""The whole model on tiny hand-made tables: construction modes, crops, compensation, MFA."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import COAL_TC, COEF, LANDUSE, ORDER, PARAMS, tiny_tables
from lucarbon.analysis import mfa
from lucarbon.model import budget
from lucarbon.model.inputs import budget_provenance
from lucarbon.model.run import Settings, run_all, run_budget


def unit(table, unit_id):
    return table.set_index("unit_id").loc[unit_id]


@pytest.mark.parametrize(
    ("proxy", "share_a"),
    [("construction_area", 10 / 40), ("gdp", 10 / 40), ("population", 100 / 400)],
)
def test_energy_mode_allocates_by_the_proxy(proxy, share_a):
    table, _ = run_budget(tiny_tables(), PARAMS, Settings(proxy=proxy))
    assert unit(table, "A")["emission_construction_tC"] == pytest.approx(COAL_TC * share_a)


def test_proxy_shares_differ_when_the_proxies_differ():
    tables = tiny_tables()
    tables.gdp["gdp_10k_yuan"] = [30.0, 10.0]
    table, _ = run_budget(tables, PARAMS, Settings(proxy="gdp"))
    assert unit(table, "A")["emission_construction_tC"] == pytest.approx(COAL_TC * 0.75)


def test_budget_for_one_unit_by_hand_with_crops():
    crop = pd.DataFrame({"unit_id": ["A"], "year": [2000], "crop": ["wheat"], "yield_t": [10.0]})
    table, components = run_budget(tiny_tables(crop_yield=crop), PARAMS, Settings())
    a = unit(table, "A")
    wheat = 0.485 * 10 * (1 - 0.12) / 0.40
    assert a["emission_construction_tC"] == pytest.approx(COAL_TC / 4)
    assert a["emission_arable_tC"] == pytest.approx(100 * 0.422)
    assert a["absorption_arable_tC"] == pytest.approx(wheat)
    assert a["absorption_forest_tC"] == pytest.approx(50 * 0.644)
    assert a["emission_tC"] == pytest.approx(COAL_TC / 4 + 42.2)
    assert a["absorption_tC"] == pytest.approx(wheat + 32.2)
    assert a["land_area_ha"] == pytest.approx(160.0)
    assert set(components["component"]) == {"energy", "area_coefficient", "crop"}


def test_county_table_mode_uses_the_table():
    county = pd.DataFrame({"unit_id": ["A", "B"], "year": [2000] * 2, "emission_tC": [7.0, 9.0]})
    table, _ = run_budget(
        tiny_tables(county_emissions=county), PARAMS, Settings(construction_mode="county_table")
    )
    assert unit(table, "B")["emission_construction_tC"] == pytest.approx(9.0)


def test_coefficient_mode_uses_the_area_coefficient():
    params = PARAMS.replace(coefficients=COEF | {"construction": 50.0})
    table, _ = run_budget(tiny_tables(), params, Settings(construction_mode="coefficient"))
    assert unit(table, "B")["emission_construction_tC"] == pytest.approx(30 * 50.0)


def test_without_crops_arable_absorption_is_zero_and_provenance_says_so():
    table, _ = run_budget(tiny_tables(), PARAMS, Settings())
    assert (table["absorption_arable_tC"] == 0).all()
    meta = budget_provenance(Settings(), PARAMS, tiny_tables())
    assert meta["arable_crop_absorption"].startswith("zero: no crop yield table")
    assert meta["construction_mode"] == "energy"
    assert meta["construction_proxy"] == "construction_area"


def test_gdp_per_capita_modification():
    results = run_all(tiny_tables(), PARAMS, Settings(modification="gdp_per_capita"), ORDER)
    comp = results["compensation"].set_index("unit_id")
    # GDP per person: A 0.1, B 0.1, study 40/400 = 0.1 -> ratio 1, modified = unmodified.
    assert comp["payment_ability"].tolist() == pytest.approx([1.0, 1.0])
    assert comp["value_modified_yuan"].tolist() == pytest.approx(comp["value_yuan"].tolist())


def test_mfa_summary_ratio_of_sums_and_means():
    results = run_all(tiny_tables(), PARAMS, Settings(modification="none"), ORDER)
    summary = results["mfa"].set_index("mfa_class")
    b = unit(results["budget"], "B")
    assert summary.loc["eco", "emission_tC"] == pytest.approx(b["emission_tC"])
    study = summary.loc["study_area"]
    assert study["n_units"] == 2
    assert study["emission_intensity_gdp_ratio_of_sums_tC_per_10k_yuan"] == pytest.approx(
        study["emission_tC"] / 40.0
    )
    # The study area's ECC and ESC are 1 by definition.
    assert study["ecc_ratio_of_sums"] == pytest.approx(1.0)
    assert study["esc_ratio_of_sums"] == pytest.approx(1.0)
    assert study.filter(like="n_units_").sum() == 2  # one zone per unit


areas_strategy = st.lists(
    st.tuples(st.sampled_from(LANDUSE), st.floats(min_value=0.0, max_value=1e5, allow_nan=False)),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(areas_strategy, min_size=2, max_size=6),
    st.floats(min_value=1.0, max_value=1e6),
    st.floats(min_value=0.1, max_value=10.0),
)
def test_invariants(unit_areas, coal_amount, k):
    """net = E − A; MFA class sums equal study totals; Σ ΔC = 0; scaling emissions by k
    scales intensities by k."""
    rows = [
        (f"U{i}", 2000, landuse, area)
        for i, pairs in enumerate(unit_areas)
        for landuse, area in [*pairs, ("construction", 1.0), ("arable", 1.0)]
    ]
    areas = pd.DataFrame(rows, columns=["unit_id", "year", "landuse", "area_ha"])
    areas = areas.groupby(["unit_id", "year", "landuse"], as_index=False)["area_ha"].sum()
    ids = sorted(areas["unit_id"].unique())
    tables = tiny_tables(
        areas=areas,
        units=pd.DataFrame(
            {"unit_id": ids, "name": ids, "mfa_class": [ORDER[i % 2] for i in range(len(ids))]}
        ),
        gdp=pd.DataFrame(
            {"unit_id": ids, "year": 2000, "gdp_10k_yuan": 1.0 + pd.Series(range(len(ids)))}
        ),
        population=None,
        energy=pd.DataFrame(
            {"year": [2000], "fuel": ["raw_coal"], "amount": [coal_amount], "unit": ["10k_t"]}
        ),
    )
    results = run_all(tables, PARAMS, Settings(modification="none"), ORDER)
    b, summary = results["budget"], results["mfa"]
    assert (b["net_emission_tC"] - (b["emission_tC"] - b["absorption_tC"])).abs().max() < 1e-6
    classes = summary[summary["mfa_class"] != "study_area"]
    study = summary[summary["mfa_class"] == "study_area"]
    for column in ("emission_tC", "absorption_tC", "net_emission_tC", "land_area_ha"):
        assert classes[column].sum() == pytest.approx(study[column].iloc[0], rel=1e-9, abs=1e-6)
    delta = results["compensation"]["delta_c_tC"]
    assert abs(delta.sum()) <= 1e-9 * max(1.0, b["net_emission_tC"].abs().sum())
    scaled = b.assign(emission_tC=b["emission_tC"] * k)
    again = budget.add_indicators(scaled)
    ratio = (
        again["emission_intensity_gdp_tC_per_10k_yuan"]
        / b["emission_intensity_gdp_tC_per_10k_yuan"]
    )
    assert ratio.to_numpy() == pytest.approx(k)
    assert (
        mfa.summarise_by_mfa(again, ORDER)["emission_intensity_gdp_ratio_of_sums_tC_per_10k_yuan"]
        / summary["emission_intensity_gdp_ratio_of_sums_tC_per_10k_yuan"]
    ).to_numpy() == pytest.approx(k)
