"""Carbon budget formulas with values worked out by hand from method.md."""

import pandas as pd
import pytest

from conftest import ROOT
from lucarbon.core.io import InputError
from lucarbon.model import budget

COEF = ROOT / "data/coefficients/direct_area_coefficients.csv"
FUELS = budget.read_fuels(ROOT / "data/coefficients/fuel_factors.csv")
UNITS = budget.read_physical_units(ROOT / "data/units/physical_units.csv")
CROPS = budget.read_crops(ROOT / "data/coefficients/crop_parameters.csv")


def areas_table(rows):
    return pd.DataFrame(rows, columns=["unit_id", "year", "landuse", "area_ha"])


def test_direct_fluxes_use_the_default_set():
    coefficients = budget.direct_coefficients(COEF, "default")
    areas = areas_table([("U1", 2000, "arable", 100.0), ("U1", 2000, "forest", 50.0)])
    fluxes = budget.direct_fluxes(areas, coefficients).set_index("landuse")["flux_tC"]
    assert fluxes["arable"] == pytest.approx(100 * 0.422)
    assert fluxes["forest"] == pytest.approx(-50 * 0.644)


def test_overrides_replace_single_coefficients_and_unknown_set_fails():
    coefficients = budget.direct_coefficients(COEF, "alternate", {"forest": -0.6})
    assert coefficients["forest"] == -0.6
    assert coefficients["arable"] == 0.497
    with pytest.raises(InputError, match="no set 'nope'"):
        budget.direct_coefficients(COEF, "nope")
    with pytest.raises(InputError, match=r"unknown land-use type\(s\) \['wood'\]"):
        budget.direct_coefficients(COEF, "default", {"wood": 1.0})


def test_energy_emissions_by_hand():
    energy = pd.DataFrame(
        {
            "year": [2000, 2000, 2005],
            "fuel": ["raw_coal", "natural_gas", "diesel"],
            "amount": [1.0, 1.0, 2.0],
            "unit": ["10k_t", "100M_m3", "t"],
        }
    )
    totals = budget.energy_emissions(energy, FUELS, UNITS, "energy.csv")
    coal = 1e7 * 0.7143 / 1000 * 0.7559  # 10^4 t = 1e7 kg; kgce -> tce; t C per tce
    gas = 1e8 * 1.33 / 1000 * 0.4483  # 10^8 m3
    diesel = 2 * 1000 * 1.4571 / 1000 * 0.5921
    assert totals[2000] == pytest.approx(coal + gas)
    assert totals[2005] == pytest.approx(diesel)


def test_energy_table_errors_name_row_and_column():
    bad_fuel = pd.DataFrame({"year": [2000], "fuel": ["coal"], "amount": [1.0], "unit": ["t"]})
    with pytest.raises(InputError, match=r"e\.csv: row 2, column 'fuel': unknown fuel 'coal'"):
        budget.energy_emissions(bad_fuel, FUELS, UNITS, "e.csv")
    bad_unit = pd.DataFrame(
        {
            "year": [2000, 2000],
            "fuel": ["diesel", "natural_gas"],
            "amount": [1, 1],
            "unit": ["t", "t"],
        }
    )
    with pytest.raises(InputError, match=r"row 3, column 'unit': 't' measures kg"):
        budget.energy_emissions(bad_unit, FUELS, UNITS, "e.csv")


def test_crop_absorption_by_hand():
    yields = pd.DataFrame(
        {
            "unit_id": ["A", "A"],
            "year": [2000, 2000],
            "crop": ["wheat", "tubers"],
            "yield_t": [1000, 500],
        }
    )
    out = budget.crop_absorption(yields, CROPS)
    wheat = 0.485 * 1000 * (1 - 0.12) / 0.40
    tubers = 0.423 * 500 * (1 - 0.70) / 0.70
    assert out["absorption_tC"].iloc[0] == pytest.approx(wheat + tubers)


def test_unknown_crop_and_bad_harvest_index(tmp_path):
    yields = pd.DataFrame({"unit_id": ["A"], "year": [2000], "crop": ["yam"], "yield_t": [1.0]})
    with pytest.raises(InputError, match=r"y\.csv: row 2, column 'crop': unknown crop 'yam'"):
        budget.crop_absorption(yields, CROPS, "y.csv")
    table = CROPS.copy()
    table.loc[1, "harvest_index"] = -0.4
    table.to_csv(tmp_path / "crops.csv", index=False)
    with pytest.raises(InputError, match=r"row 3, column 'harvest_index': -0.4 is outside \(0"):
        budget.read_crops(tmp_path / "crops.csv")


def test_indicators_and_zoning_by_hand():
    table = pd.DataFrame(
        {
            "unit_id": ["A", "B"],
            "year": [2000, 2000],
            "emission_tC": [100.0, 300.0],
            "absorption_tC": [50.0, 30.0],
            "land_area_ha": [1000.0, 600.0],
            "gdp_10k_yuan": [200.0, 200.0],
            "population_persons": [1000.0, 3000.0],
        }
    )
    out = budget.add_indicators(table, threshold=1.0).set_index("unit_id")
    # ECC_A = (200/400)/(100/400) = 2; ESC_A = (50/80)/(100/400) = 2.5
    assert out.loc["A", "ecc"] == pytest.approx(2.0)
    assert out.loc["A", "esc"] == pytest.approx(2.5)
    # ECC_B = 0.5/0.75; ESC_B = (30/80)/0.75 = 0.5
    assert out.loc["B", "ecc"] == pytest.approx(2 / 3)
    assert out.loc["B", "esc"] == pytest.approx(0.5)
    assert out.loc["A", "ecc_esc_zone"] == "low_carbon_maintenance"
    assert out.loc["B", "ecc_esc_zone"] == "high_carbon_optimisation"
    assert out.loc["A", "emission_intensity_gdp_tC_per_10k_yuan"] == pytest.approx(0.5)
    assert out.loc["B", "emission_intensity_area_tC_per_ha"] == pytest.approx(0.5)
    assert out.loc["B", "emission_per_capita_tC_per_person"] == pytest.approx(0.1)
    assert out.loc["A", "compensation_rate"] == pytest.approx(0.5)
    # A threshold of 2.2 moves A (ECC 2 < 2.2, ESC 2.5) into the carbon-sink zone.
    shifted = budget.add_indicators(table, threshold=2.2).set_index("unit_id")
    assert shifted.loc["A", "ecc_esc_zone"] == "carbon_sink_function"


def test_constant_price_gdp_rebases_to_the_base_year():
    gdp = pd.DataFrame(
        {"unit_id": ["A", "A"], "year": [2000, 2010], "gdp_10k_yuan": [100.0, 300.0]}
    )
    deflator = pd.DataFrame({"year": [2000, 2010], "gdp_deflator_index": [100.0, 150.0]})
    out = budget.constant_price_gdp(gdp, deflator, 2000, "d.csv")
    assert out.tolist() == pytest.approx([100.0, 200.0])
    with pytest.raises(InputError, match=r"year\(s\) \[2020\]"):
        budget.constant_price_gdp(gdp, deflator, 2020, "d.csv")
