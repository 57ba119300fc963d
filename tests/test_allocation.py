"""Allocation of construction-land energy emissions, one and two levels, by hand; property:
the allocated parts sum to the balance's total at each level, year by year."""

import dataclasses

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import COAL_TC, FUELS, PARAMS, PHYSICAL, ROOT, tiny_tables
from lucarbon.core.io import InputError
from lucarbon.model import allocation, budget
from lucarbon.model.run import Settings, allocated_energy, construction_available, run_budget

SECONDARY = budget.read_secondary_factors(
    ROOT / "data/coefficients/electricity_heat_factors.csv", PHYSICAL
)


def four_units(**extra):
    """Units 410101, 410102 (city 410100) and 410201, 410202 (city 410200), one year, with
    construction land 5, 15, 30, 50 ha (and 10 ha forest each), GDP 10, 30, 20, 40 and
    industrial energy 1, 3, 0, 4; balance: 10^4 t raw coal."""
    ids = ["410101", "410102", "410201", "410202"]
    construction = [5.0, 15.0, 30.0, 50.0]
    areas = pd.DataFrame(
        [(u, 2000, "construction", a) for u, a in zip(ids, construction, strict=True)]
        + [(u, 2000, "forest", 10.0) for u in ids],
        columns=["unit_id", "year", "landuse", "area_ha"],
    )
    per_unit = {"unit_id": ids, "year": [2000] * 4}
    base = {
        "areas": areas,
        "units": pd.DataFrame({"unit_id": ids, "name": ids, "mfa_class": ["dev"] * 4}),
        "gdp": pd.DataFrame(per_unit | {"gdp_10k_yuan": [10.0, 30.0, 20.0, 40.0]}),
        "population": pd.DataFrame(per_unit | {"population_persons": [1.0, 1.0, 1.0, 1.0]}),
        "industrial_energy": pd.DataFrame(per_unit | {"industrial_energy_tce": [1.0, 3.0, 0, 4]}),
    }
    return tiny_tables(**(base | extra))


def by_unit(frame):
    return frame.set_index("unit_id")["tC"]


def test_one_level_by_gdp_by_hand():
    _, units = allocated_energy(four_units(), PARAMS, Settings(proxy="gdp"), four_units().gdp)
    # shares 10/100, 30/100, 20/100, 40/100 of the balance
    assert by_unit(units).tolist() == pytest.approx([COAL_TC * v for v in (0.1, 0.3, 0.2, 0.4)])


def test_two_levels_city_energy_intensity_times_gdp_by_hand():
    """City 410100: intensity 2 tce/10^4 yuan × GDP 40 = 80; city 410200: 0.5 × 60 = 30.
    Cities get 80/110 and 30/110 of the balance; units their city's part by GDP."""
    intensity = pd.DataFrame(
        {
            "city_id": ["410100", "410200"],
            "year": [2000, 2000],
            "energy_intensity_tce_per_10k_yuan": [2.0, 0.5],
        }
    )
    tables = four_units(city_energy_intensity=intensity)
    chosen = Settings(proxy="gdp", city_proxy="city_energy_intensity")
    cities, units = allocated_energy(tables, PARAMS, chosen, tables.gdp)
    city_a, city_b = COAL_TC * 80 / 110, COAL_TC * 30 / 110
    assert cities.set_index("city_id")["tC"].tolist() == pytest.approx([city_a, city_b])
    expected = [city_a * 10 / 40, city_a * 30 / 40, city_b * 20 / 60, city_b * 40 / 60]
    assert by_unit(units).tolist() == pytest.approx(expected)
    # the same as intensity × county GDP over the study's sum (one step)
    one_step = [2 * 10, 2 * 30, 0.5 * 20, 0.5 * 40]
    assert by_unit(units).tolist() == pytest.approx([COAL_TC * v / 110 for v in one_step])


def test_two_levels_city_energy_by_fuel_and_industrial_energy_by_hand():
    """City energy by fuel: 410100 burns 1 × 10^4 t raw coal, 410200 1 × 10^8 m3 natural
    gas, and a city outside the study (410300) 1 × 10^4 t raw coal; units by industrial
    energy within their city (410201 has none)."""
    city_energy = pd.DataFrame(
        {
            "city_id": ["410100", "410200", "410300"],
            "year": [2000] * 3,
            "fuel": ["raw_coal", "natural_gas", "raw_coal"],
            "unit": ["10k_t", "100M_m3", "10k_t"],
            "city_amount": [1.0, 1.0, 1.0],
        }
    )
    tables = four_units(city_energy=city_energy)
    chosen = Settings(proxy="industrial_energy", city_proxy="city_energy")
    cities, units = allocated_energy(tables, PARAMS, chosen, tables.gdp)
    coal, gas = COAL_TC, 1e8 * 1.33 / 1000 * 0.4483
    shares = {"410100": coal, "410200": gas, "410300": coal}
    total = sum(shares.values())
    got = cities.set_index("city_id")["tC"]
    assert got.to_dict() == pytest.approx({c: COAL_TC * v / total for c, v in shares.items()})
    city_a, city_b = COAL_TC * coal / total, COAL_TC * gas / total
    assert by_unit(units).tolist() == pytest.approx([city_a / 4, city_a * 3 / 4, 0, city_b])
    # the study keeps its cities' part; 410300's part is outside it
    assert by_unit(units).sum() == pytest.approx(COAL_TC * (coal + gas) / total)


def test_two_levels_city_total_and_summed_proxies_by_hand():
    total = pd.DataFrame(
        {"city_id": ["410100", "410200"], "year": [2000] * 2, "energy_tce": [300.0, 100.0]}
    )
    tables = four_units(city_energy_total=total)
    _, units = allocated_energy(
        tables, PARAMS, Settings(proxy="population", city_proxy="city_energy"), tables.gdp
    )
    assert by_unit(units).tolist() == pytest.approx(
        [COAL_TC * v for v in (3 / 8,) * 2 + (1 / 8,) * 2]
    )
    # city by construction area (20 vs 80 ha), units by GDP
    cities, units = allocated_energy(
        tables, PARAMS, Settings(proxy="gdp", city_proxy="construction_area"), tables.gdp
    )
    assert cities["tC"].tolist() == pytest.approx([COAL_TC * 0.2, COAL_TC * 0.8])
    expected = [0.2 * 10 / 40, 0.2 * 30 / 40, 0.8 * 20 / 60, 0.8 * 40 / 60]
    assert by_unit(units).tolist() == pytest.approx([COAL_TC * v for v in expected])


def test_unit_cities_from_adcodes_and_from_a_table(tmp_path):
    units = pd.Series(["410100", "410122", "411523"])
    assert allocation.unit_cities(units, "adcode").tolist() == ["410100", "410100", "411500"]
    with pytest.raises(InputError, match=r"6-digit unit codes.*\['SYN01'\]"):
        allocation.unit_cities(pd.Series(["SYN01"]), "adcode")
    path = tmp_path / "cities.csv"
    path.write_text("unit_id,city_id\nSYN01,C1\nSYN02,C1\n", encoding="utf-8")
    table = allocation.read_unit_cities(path)
    assert allocation.unit_cities(pd.Series(["SYN02"]), str(path), table).tolist() == ["C1"]
    with pytest.raises(InputError, match=r"cities.csv: no city for unit\(s\) \['SYN03'\]"):
        allocation.unit_cities(pd.Series(["SYN01", "SYN03"]), str(path), table)


def test_missing_city_rows_and_zero_weights_are_errors():
    intensity = pd.DataFrame(
        {"city_id": ["410100"], "year": [2000], "energy_intensity_tce_per_10k_yuan": [1.0]}
    )
    tables = four_units(city_energy_intensity=intensity)
    chosen = Settings(proxy="gdp", city_proxy="city_energy_intensity")
    with pytest.raises(
        InputError,
        match=r"city_energy_intensity: no rows for \(city_id, year\) \[\('410200', 2000\)\]",
    ):
        allocated_energy(tables, PARAMS, chosen, tables.gdp)
    no_industry = four_units().industrial_energy.assign(industrial_energy_tce=[1.0, 1.0, 0, 0])
    tables = four_units(industrial_energy=no_industry)
    chosen = Settings(proxy="industrial_energy", city_proxy="gdp")
    with pytest.raises(InputError, match=r"city_id '410200' sum to 0 in 2000"):
        allocated_energy(tables, PARAMS, chosen, tables.gdp)


def test_construction_needs_the_tables_of_both_levels():
    chosen = Settings(proxy="gdp", city_proxy="city_energy_intensity")
    assert not construction_available(four_units(), chosen)
    intensity = pd.DataFrame(
        {"city_id": ["410100"], "year": [2000], "energy_intensity_tce_per_10k_yuan": [1.0]}
    )
    assert construction_available(four_units(city_energy_intensity=intensity), chosen)
    assert not construction_available(
        four_units(industrial_energy=None), Settings(proxy="industrial_energy")
    )


def test_budget_runs_two_levels():
    chosen = Settings(proxy="gdp", city_proxy="construction_area")
    budget_table, components = run_budget(four_units(), PARAMS, chosen)
    construction = components[components["landuse"] == "construction"]
    assert construction["emission_tC"].sum() == pytest.approx(COAL_TC)
    assert budget_table["emission_construction_tC"].sum() == pytest.approx(COAL_TC)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 3), min_size=2, max_size=12),
    st.lists(st.floats(0.0, 1e6), min_size=12, max_size=24),
    st.lists(st.floats(1.0, 1e9), min_size=2, max_size=2),
)
def test_allocated_sums_to_the_balance_at_each_level(cities_of, values, totals):
    """Any units, cities and positive weights: per year, the cities' parts sum to the
    balance and each city's units sum to the city's part."""
    ids = [f"U{i}" for i in range(len(cities_of))]
    cities = pd.Series([f"C{c}" for c in cities_of], index=ids)
    years = [2000, 2005]
    weights = pd.DataFrame(
        [
            (u, y, values[(i + 7 * j) % len(values)] + 1e-3)
            for j, y in enumerate(years)
            for i, u in enumerate(ids)
        ],
        columns=["unit_id", "year", "weight"],
    )
    city_weights = allocation.city_sums(weights, cities, "weight")
    city_weights["weight"] = city_weights["weight"] ** 0.5  # a city proxy of its own
    balance = pd.Series(totals, index=years)
    per_city, per_unit = allocation.allocate(balance, weights, cities, city_weights)
    assert per_city.groupby("year")["tC"].sum().tolist() == pytest.approx(totals)
    per_unit = per_unit.assign(city_id=per_unit["unit_id"].map(cities))
    summed = per_unit.groupby(["city_id", "year"])["tC"].sum()
    assert summed.to_numpy() == pytest.approx(
        per_city.set_index(["city_id", "year"])["tC"].reindex(summed.index).to_numpy()
    )
    assert per_unit.groupby("year")["tC"].sum().tolist() == pytest.approx(totals)
    _, one_level = allocation.allocate(balance, weights)
    assert one_level.groupby("year")["tC"].sum().tolist() == pytest.approx(totals)


def test_electricity_and_heat_only_with_final_consumption_by_hand():
    """Final consumption: 10^4 t raw coal + 1 × 10^8 kWh + 1 × 10^4 GJ in 2023, central
    China grid 0.5271 t CO2/MWh and heat 0.11 t CO2/GJ (the nearest listed years)."""
    energy = pd.DataFrame(
        {
            "year": [2023, 2023, 2023],
            "fuel": ["raw_coal", "electricity", "heat"],
            "amount": [1.0, 1.0, 1.0],
            "unit": ["10k_t", "100M_kWh", "10k_GJ"],
        }
    )
    with pytest.raises(InputError, match=r"row 3, column 'fuel': 'electricity' is counted only"):
        budget.energy_emissions(energy, FUELS, PHYSICAL, "e.csv")
    regions = {"electricity": "central_china", "heat": "national"}
    factors = budget.secondary_factors(SECONDARY, PHYSICAL, [2023], regions, "f.csv")
    totals = budget.energy_emissions(energy, FUELS, PHYSICAL, "e.csv", factors)
    electricity = 1e8 / 1000 * 0.5271 * 12 / 44  # kWh → MWh, t CO2 → t C
    heat = 1e4 * 0.11 * 12 / 44
    assert totals[2023] == pytest.approx(COAL_TC + electricity + heat)
    # 2000 takes the nearest listed year of the region: 2011 (0.5955)
    early = budget.secondary_factors(SECONDARY, PHYSICAL, [2000], regions, "f.csv")
    assert early.set_index("fuel").loc["electricity", "factor_year"] == 2011
    with pytest.raises(InputError, match=r"f.csv: no electricity factor for region 'mars'"):
        budget.secondary_factors(SECONDARY, PHYSICAL, [2000], {"electricity": "mars"}, "f.csv")


def test_model_counts_electricity_with_final_consumption():
    energy = pd.DataFrame(
        {"year": [2000, 2000], "fuel": ["raw_coal", "electricity"], "amount": [1.0, 2.0],
         "unit": ["10k_t", "100M_kWh"]}
    )  # fmt: skip
    tables = tiny_tables(energy=energy)
    params = dataclasses.replace(PARAMS, secondary=SECONDARY)
    chosen = Settings(energy="final_plus_electricity_heat")
    _, units = allocated_energy(tables, params, chosen, tables.gdp)
    electricity = 2e8 / 1000 * 0.5955 * 12 / 44  # central China 2011, nearest to 2000
    assert units["tC"].sum() == pytest.approx(COAL_TC + electricity)


def test_crude_oil_beside_refined_products_is_named():
    energy = pd.DataFrame(
        {"year": [2000, 2000, 2005], "fuel": ["crude_oil", "diesel", "crude_oil"],
         "amount": [1.0, 1.0, 1.0], "unit": ["10k_t"] * 3}
    )  # fmt: skip
    message = budget.double_counted_oil(energy, "energy.csv")
    assert message.startswith("energy.csv: crude oil (crude_oil) is counted beside")
    assert "[2000]" in message
    assert budget.double_counted_oil(energy[energy["fuel"] != "diesel"], "e") is None


def test_fuel_table_electricity_and_heat_have_no_carbon_per_tce():
    rows = FUELS.set_index("fuel")
    assert rows.loc["electricity", "standard_coal_kgce_per_unit"] == 0.1229
    assert pd.isna(rows.loc["heat", "carbon_tC_per_tce"])
    assert rows["carbon_tC_per_tce"].drop(["electricity", "heat"]).gt(0).all()


def test_factor_table_units_must_measure_the_carrier(tmp_path):
    path = tmp_path / "factors.csv"
    text = (ROOT / "data/coefficients/electricity_heat_factors.csv").read_text(encoding="utf-8")
    path.write_text(text.replace(",0.11,GJ,", ",0.11,MWh,"), encoding="utf-8")
    with pytest.raises(
        InputError, match=r"factors.csv: row \d+, column 'per': 'MWh' does not measure heat"
    ):
        budget.read_secondary_factors(path, PHYSICAL)


def test_henan_units_fall_into_its_prefecture_cities_by_adcode():
    """Henan's 17 prefecture cities 4101..4117 and the province-administered 济源 (419001)."""
    units = pd.read_csv(ROOT / "data/henan/units_henan.csv", dtype={"unit_id": str})
    cities = allocation.unit_cities(units["unit_id"], "adcode")
    expected = {f"41{i:02d}00" for i in range(1, 18)} | {"419000"}
    assert set(cities) == expected
    assert cities["410122"] == "410100" and cities["411500"] == "411500"
