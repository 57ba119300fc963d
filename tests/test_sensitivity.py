"""Sensitivity analysis: parameter naming, ranges, OAT and Monte Carlo mechanics, structural
choices and stability shares."""

import numpy as np
import pandas as pd
import pytest
import yaml

from conftest import LANDUSE, ORDER, PARAMS, ROOT, tiny_tables
from lucarbon.config.checks import skipped_parts
from lucarbon.core.io import InputError
from lucarbon.model.run import Settings, run_all
from lucarbon.model.sensitivity import (
    INTENSITY,
    NET_PER_UNIT,
    alternatives,
    analyse,
    batch_runs,
    conclusions,
    get_parameter,
    monte_carlo,
    one_at_a_time,
    one_sided,
    read_choices,
    read_ranges,
    schema_values,
    set_parameter,
    stability_summary,
    structural_runs,
    with_value,
)

RANGES = pd.DataFrame(
    {
        "parameter": ["direct:forest", "fuel:raw_coal:carbon_tC_per_tce"],
        "low": [-0.7, 0.6],
        "high": [-0.5, 0.9],
    }
)
SHIPPED = ROOT / "data/coefficients"
SCHEMA = yaml.safe_load((ROOT / "workflow/schemas/config.schema.yaml").read_text())
# A schema of three choices (the workflow's own grows as modes are added).
TINY_SCHEMA = {
    "properties": {
        "construction": {
            "properties": {
                "mode": {"enum": ["energy", "county_table", "coefficient"]},
                "proxy": {"enum": ["construction_area", "gdp", "population"]},
            }
        },
        "compensation": {"properties": {"benchmark": {"enum": ["gdp", "area", "population"]}}},
    }
}
# The paths model_from_config reads (the rule's inputs): the shipped tables.
PATHS = {
    "coefficients": SHIPPED / "direct_area_coefficients.csv",
    "fuels": SHIPPED / "fuel_factors.csv",
    "crops": SHIPPED / "crop_parameters.csv",
    "prices": SHIPPED / "carbon_prices.csv",
    "types": ROOT / "data/landuse_types.csv",
}
SECTIONS = {
    "coefficients": {"set": "default"},
    "construction": {"mode": "energy", "proxy": "construction_area"},
    "arable": {"mode": "area_coefficient"},
    "budget": {"ecc_esc_threshold": 1.0},
    "compensation": {"benchmark": "gdp", "price": "afforestation_cost", "modification": "none"},
    # tiny_tables has GDP, population and energy but no county inventory and no Engel table
    "statistics": {"gdp": "g.csv", "population": "p.csv", "energy": "e.csv"},
}


def test_set_parameter_changes_one_value_in_a_copy():
    new = set_parameter(PARAMS, "fuel:natural_gas:standard_coal_kgce_per_unit", 1.2143)
    gas = new.fuels.set_index("fuel").loc["natural_gas", "standard_coal_kgce_per_unit"]
    assert gas == 1.2143
    assert PARAMS.fuels.set_index("fuel").loc["natural_gas", "standard_coal_kgce_per_unit"] == 1.33
    assert set_parameter(PARAMS, "price", 5.0).price_per_tC == 5.0
    assert set_parameter(PARAMS, "direct:forest", -0.5).coefficients["forest"] == -0.5
    assert PARAMS.coefficients["forest"] == -0.644
    assert get_parameter(PARAMS, "direct:forest") == -0.644
    assert get_parameter(PARAMS, "crop:wheat:harvest_index") == 0.40
    with pytest.raises(KeyError, match="unknown parameter 'crop:yam:harvest_index'"):
        set_parameter(PARAMS, "crop:yam:harvest_index", 0.3)


def test_ranges_table_with_unknown_parameter_names_row(tmp_path):
    path = tmp_path / "ranges.csv"
    RANGES.assign(name_en="n", name_zh="n", source="s", confidence="I").pipe(
        lambda t: pd.concat([t, pd.DataFrame([{"parameter": "direct:wood", "low": 0, "high": 1}])])
    ).to_csv(path, index=False)
    with pytest.raises(InputError, match=r"ranges\.csv: row 4, column 'parameter'.*direct:wood"):
        read_ranges(path, PARAMS)


def test_ranges_with_low_above_high_name_the_row(tmp_path):
    path = tmp_path / "ranges.csv"
    RANGES.assign(
        low=[-0.5, 0.6], high=[-0.7, 0.9], name_en="n", name_zh="n", source="s", confidence="I"
    ).to_csv(path, index=False)
    with pytest.raises(InputError, match=r"row 2: low -0.5 > high -0.7 for 'direct:forest'"):
        read_ranges(path, PARAMS)


def test_shipped_ranges_are_two_sided_around_the_defaults_and_match_the_alternate_set():
    """Read the shipped tables directly: every default is the midpoint of its range (so a
    uniform draw is not biased away from it), and each area coefficient's range ends at the
    alternate set's value (forest −0.581, as in the alternate set)."""
    ranges = read_ranges(SHIPPED / "sensitivity_ranges.csv", PARAMS)
    assert one_sided(ranges) == []
    coefficients = pd.read_csv(SHIPPED / "direct_area_coefficients.csv")
    sets = coefficients.pivot(index="landuse", columns="set", values="coefficient_tC_per_ha_yr")
    fuels = pd.read_csv(SHIPPED / "fuel_factors.csv").set_index("fuel")
    crops = pd.read_csv(SHIPPED / "crop_parameters.csv").set_index("crop")
    for row in ranges.itertuples():
        kind, *rest = row.parameter.split(":")
        if kind == "direct":
            default, alternate = sets.loc[rest[0], "default"], sets.loc[rest[0], "alternate"]
            assert alternate in (row.low, row.high), row.parameter
        else:
            default = (fuels if kind == "fuel" else crops).loc[rest[0], rest[1]]
        assert (row.low + row.high) / 2 == pytest.approx(default, abs=1e-9), row.parameter
        assert (
            row.name_en and row.name_zh and row.source and row.confidence in ("V", "I", "assumed")
        )
    assert ranges.set_index("parameter").loc["direct:forest", "high"] == -0.581


def test_one_sided_lists_a_range_with_the_default_at_an_end():
    ranges = RANGES.assign(baseline=[-0.7, 0.75])
    assert one_sided(ranges) == ["direct:forest"]


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


def run(peak, intensity, net, zones, ecc=("x", "x")):
    index = pd.MultiIndex.from_tuples([("A", 2000), ("B", 2000)], names=["unit_id", "year"])
    return {
        "peak_year": peak,
        "intensity_ranking": intensity,
        "net_ranking": net,
        "zones": pd.Series(zones, index=index),
        "ecc_esc_zones": pd.Series(ecc, index=index),
    }


def test_stability_shares_by_hand():
    base = run(2015, ("a", "b", "c"), ("c", "b", "a"), ["p", "r"])
    runs = [
        run(2015, ("a", "b", "c"), ("c", "b", "a"), ["p", "r"]),
        run(2015, ("b", "a", "c"), ("c", "b", "a"), ["p", "p"]),
        run(2010, ("a", "c", "b"), ("c", "b", "a"), ["p", "r"]),
        run(2015, ("a", "b", "c"), ("c", "b", "a"), ["r", "r"]),
    ]
    table = stability_summary(base, runs, "monte_carlo", "coefficient_ranges")
    assert set(table["runs"]) == {4} and set(table["choice"]) == {"coefficient_ranges"}
    out = table.set_index("conclusion")["share_kept"]
    assert out["peak_year"] == 0.75
    assert out["intensity_ranking"] == 0.5
    assert out["intensity_rank:a"] == 0.75  # first in runs 1, 3, 4
    assert out["intensity_rank:c"] == 0.75  # third in runs 1, 2, 4
    assert out["net_rank:b"] == 1.0
    assert out["compensation_zone_all_unit_years"] == (1 + 0.5 + 1 + 0.5) / 4
    assert out["ecc_esc_zone_all_unit_years"] == 1.0


def test_stability_without_runs_says_why():
    table = stability_summary(
        run(2015, ("a",), ("a",), ["p", "r"]),
        [],
        "structural",
        "mode",
        ["county_table: needs statistics.county_emissions"],
    )
    assert table["conclusion"].tolist() == ["no_alternative_run"]
    assert table["runs"].tolist() == [0] and "county_emissions" in table["baseline"].iloc[0]


def test_alternatives_come_from_the_schema_or_a_table():
    assert schema_values(TINY_SCHEMA, "construction.mode") == [
        "energy",
        "county_table",
        "coefficient",
    ]
    assert schema_values(TINY_SCHEMA, "compensation.no_such_key") is None
    assert "natural_breaks" in schema_values(SCHEMA, "compensation.zoning.scheme")
    choices = pd.DataFrame(
        {
            "choice": ["benchmark", "price", "imaginary"],
            "config_key": ["compensation.benchmark", "compensation.price", "compensation.nope"],
            "alternatives": ["schema", "prices:price", "schema"],
        }
    )
    rows = list(alternatives(choices, TINY_SCHEMA, PATHS, SECTIONS))
    benchmark = [r["alternative"] for r in rows if r["choice"] == "benchmark"]
    assert benchmark == ["area", "population"]
    prices = pd.read_csv(PATHS["prices"])["price"].tolist()
    assert [r["alternative"] for r in rows if r["choice"] == "price"] == [
        p for p in prices if p != "afforestation_cost"
    ]
    (imaginary,) = [r for r in rows if r["choice"] == "imaginary"]
    assert "not a choice of this workflow's schema" in imaginary["skipped"]


def test_with_value_sets_a_dotted_key_in_a_copy():
    new = with_value(SECTIONS, "construction.proxy", "gdp")
    assert new["construction"]["proxy"] == "gdp"
    city = with_value(SECTIONS | {"construction": {"city": None}}, "construction.city.proxy", "g")
    assert city["construction"] == {"city": {"proxy": "g"}}
    assert SECTIONS["construction"]["proxy"] == "construction_area"


def test_structural_runs_skip_what_the_study_cannot_run(tmp_path):
    choices = pd.DataFrame(
        {
            "choice": ["construction_mode", "allocation_proxy", "price"],
            "config_key": ["construction.mode", "construction.proxy", "compensation.price"],
            "alternatives": ["schema", "schema", "prices:price"],
        }
    )
    rows = list(
        structural_runs(tiny_tables(), choices, TINY_SCHEMA, PATHS, SECTIONS, skipped_parts, ORDER)
    )
    by = {(label["config_key"], label["alternative"]): (label, run) for label, run in rows}
    county, run = by[("construction.mode", "county_table")]
    assert run is None and "county_emissions" in county["skipped"]
    coefficient, run = by[("construction.mode", "coefficient")]
    assert run is None and "construction' area coefficient" in coefficient["skipped"]
    gdp, run = by[("construction.proxy", "gdp")]
    assert gdp["skipped"] == "" and run["peak_year"] == 2000
    # zones do not depend on the price: every price keeps every zone
    base = analyse(
        tiny_tables(),
        PARAMS,
        Settings(modification="none"),
        ORDER,
        RANGES,
        10,
        1,
        lambda: iter(rows),
    )
    stability = base["stability"]
    assert set(stability["choice"]) == {
        "coefficient_ranges",
        "construction_mode",
        "allocation_proxy",
        "price",
    }
    price = stability[(stability["choice"] == "price")].set_index("conclusion")
    assert (price.loc["compensation_zone_all_unit_years", "share_kept"]) == 1.0
    mode = stability[stability["choice"] == "construction_mode"]
    assert mode["conclusion"].tolist() == ["no_alternative_run"]
    assert len(base["choices"]) == len(rows)


def test_analyse_on_tiny_tables_is_complete_and_seeded():
    args = (tiny_tables(), PARAMS, Settings(modification="none"), ORDER, RANGES)
    one = analyse(*args, draws=12, seed=3)
    two = analyse(*args, draws=12, seed=3)
    assert len(one["oat"]) == 4 and len(one["monte_carlo"]) == 12
    pd.testing.assert_frame_equal(one["monte_carlo"], two["monte_carlo"])
    assert one["zones"]["share_same_zone"].between(0, 1).all()
    assert len(one["zones"]) == 2  # two units, one year


def test_shipped_choices_name_config_keys_of_the_schema_or_a_table():
    choices = read_choices(ROOT / "data/analysis/structural_choices.csv")
    assert {
        "construction_mode",
        "allocation_proxy",
        "coefficient_set",
        "zoning_scheme",
        "modification",
        "price",
        "benchmark",
    } <= set(choices["choice"])
    assert choices["name_en"].notna().all() and choices["name_zh"].notna().all()


def test_conclusions_compare_zones_by_side():
    """A graded zone (strong_payment) is compared by its side (payment) with other schemes."""
    summary = pd.DataFrame(
        {
            "mfa_class": ["dev", "eco", "study_area"],
            "year": [2000] * 3,
            INTENSITY: [2.0, 1.0, 1.5],
            NET_PER_UNIT: [5.0, -1.0, 2.0],
            "emission_tC": [10.0, 2.0, 12.0],
            "net_emission_tC": [5.0, -1.0, 4.0],
        }
    )
    keys = {"unit_id": ["A", "B"], "year": [2000, 2000]}
    compensation = pd.DataFrame(
        keys | {"zone": ["strong_payment", "weak_receiving"], "value_yuan": [3.0, -3.0]}
    )
    budget_table = pd.DataFrame(keys | {"ecc_esc_zone": ["x", "y"]})
    out = conclusions({"mfa": summary, "compensation": compensation, "budget": budget_table})
    assert out["zones"].tolist() == ["payment", "receiving"]
    assert out["intensity_ranking"] == ("dev", "eco") and out["net_ranking"] == ("dev", "eco")
    assert out["total_value_yuan"] == 3.0 and out["peak_year"] == 2000


def many_years(seed: int = 7):
    """Six units in two cities (adcodes), three years, every land-use type, two fuels, two
    crops, Engel coefficients, industrial energy, city energy intensities and a county
    inventory: random (seeded) but plausible values."""
    rng = np.random.default_rng(seed)
    ids = ["410101", "410102", "410103", "410201", "410202", "410203"]
    years = [2000, 2005, 2010]
    keys = pd.DataFrame([(u, y) for u in ids for y in years], columns=["unit_id", "year"])
    areas = pd.DataFrame(
        [(u, y, t, float(rng.uniform(5, 200))) for u, y in keys.itertuples(index=False)
         for t in LANDUSE],
        columns=["unit_id", "year", "landuse", "area_ha"],
    )  # fmt: skip

    def column(name, low, high):
        return keys.assign(**{name: rng.uniform(low, high, len(keys))})

    energy = pd.DataFrame(
        [(y, f, float(rng.uniform(1, 5)), "10k_t") for y in years for f in ("raw_coal", "coke")],
        columns=["year", "fuel", "amount", "unit"],
    )
    crop = pd.DataFrame(
        [(u, y, c, float(rng.uniform(100, 900))) for u, y in keys.itertuples(index=False)
         for c in ("wheat", "maize")],
        columns=["unit_id", "year", "crop", "yield_t"],
    )  # fmt: skip
    engel = column("engel_coefficient", 0.25, 0.45)
    cities = pd.DataFrame(
        [(c, y, float(rng.uniform(0.5, 2))) for c in ("410100", "410200") for y in years],
        columns=["city_id", "year", "energy_intensity_tce_per_10k_yuan"],
    )
    return tiny_tables(
        areas=areas,
        units=pd.DataFrame({"unit_id": ids, "name": ids, "mfa_class": ["dev", "eco"] * 3}),
        gdp=column("gdp_10k_yuan", 10, 100),
        population=column("population_persons", 1e3, 1e4),
        energy=energy,
        crop_yield=crop,
        engel=engel,
        industrial_energy=column("industrial_energy_tce", 1, 10),
        city_energy_intensity=cities,
        county_emissions=column("emission_tC", 1e3, 5e3),
    )


SHIPPED_RANGES = read_ranges(SHIPPED / "sensitivity_ranges.csv", PARAMS)
VARIANTS = {
    "default": {},
    "gdp proxy, sign zones, area benchmark": {
        "proxy": "gdp", "zoning": "sign", "benchmark": "area", "modification": "none"
    },
    "two levels, rebalanced ecc_esc": {
        "proxy": "gdp", "city_proxy": "city_energy_intensity", "modification": "ecc_esc",
        "rebalance": True, "zoning": "sd_band",
    },
    "county table, gdp per capita, fair-share band": {
        "construction_mode": "county_table", "modification": "gdp_per_capita",
        "zoning": "fair_share_band", "benchmark": "population", "threshold": 0.8,
    },
}  # fmt: skip


@pytest.mark.parametrize("variant", VARIANTS)
def test_batch_runs_equal_one_run_per_set_to_the_last_bit(variant):
    """The baseline, one-at-a-time and Monte Carlo sets are run together (batch_runs); every
    set's conclusions equal those of its own model run exactly."""
    tables, settings = many_years(), Settings(**VARIANTS[variant])
    sets = [PARAMS, *(p for _, p in one_at_a_time(SHIPPED_RANGES, PARAMS))]
    sets += [p for _, p in monte_carlo(SHIPPED_RANGES, PARAMS, 5, 11)]
    batch = batch_runs(tables, sets, settings, ORDER)
    for params, together in zip(sets, batch, strict=True):
        alone = conclusions(run_all(tables, params, settings, ORDER))
        assert together.keys() == alone.keys()
        for key, value in alone.items():
            if isinstance(value, pd.Series):
                pd.testing.assert_series_equal(together[key], value, check_exact=True)
            else:
                assert together[key] == value, key
    totals = {run["total_net_emission_tC"] for run in batch}
    assert len(totals) > len(sets) // 2  # the sets do differ
