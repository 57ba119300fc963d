"""t C or t CO₂ in the result tables: names, the 44/12 conversion, readers, figure labels."""

import re
from types import SimpleNamespace

import jinja2
import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from snakemake.utils import validate

from conftest import ORDER, PARAMS, ROOT, tiny_tables
from lucarbon.analysis.mfa import join_compensation, summarise_by_mfa
from lucarbon.figures.labels import Labels
from lucarbon.model.reporting import (
    convert,
    exponent,
    file_unit,
    read_result,
    renamed,
    write_result,
)
from lucarbon.model.run import Settings, run_budget, run_compensation

RATIO = 44 / 12  # molar mass of CO2 over that of C, written out here independently


def test_names_by_hand():
    assert renamed("net_emission_tC", "tCO2") == "net_emission_tCO2"
    assert renamed("emission_intensity_gdp_tC_per_10k_yuan", "tCO2") == (
        "emission_intensity_gdp_tCO2_per_10k_yuan"
    )
    assert renamed("emission_tCO2", "tC") == "emission_tC"
    # no carbon unit: unchanged (tCx or xtC are other words)
    for name in ("value_yuan", "compensation_rate", "ecc", "n_units_balanced", "xtC", "tCx"):
        assert renamed(name, "tCO2") == name
        assert exponent(name) == 0
    assert exponent("delta_c_tC") == 1
    assert exponent("carbon_price_per_tC") == -1


def test_one_table_converted_by_hand():
    table = pd.DataFrame(
        {
            "unit_id": ["A"],
            "net_emission_tC": [12.0],
            "emission_intensity_gdp_tC_per_10k_yuan": [0.6],
            "price_per_tC": [44.0],
            "compensation_rate": [0.25],
            "value_yuan": [7.0],
            "variable": ["absorption_tC"],
        }
    )
    out = convert(table, "tCO2")
    assert list(out.columns) == [
        "unit_id",
        "net_emission_tCO2",
        "emission_intensity_gdp_tCO2_per_10k_yuan",
        "price_per_tCO2",
        "compensation_rate",
        "value_yuan",
        "variable",
    ]
    # 12 t C = 44 t CO2; 0.6 t C per 10^4 yuan = 2.2 t CO2; 44 yuan per t C = 12 per t CO2.
    assert out.iloc[0, 1:4].tolist() == pytest.approx([44.0, 2.2, 12.0], rel=1e-15)
    assert out.iloc[0, 4:].tolist() == [0.25, 7.0, "absorption_tCO2"]


def test_value_of_a_named_quantity_follows_its_name():
    # LISA rows: the value of net emission (t C) and of the compensation rate (no unit).
    table = pd.DataFrame(
        {"variable": ["net_emission_tC", "compensation_rate"], "value": [3.0, 0.5]}
    )
    out = convert(table, "tCO2")
    assert out["variable"].tolist() == ["net_emission_tCO2", "compensation_rate"]
    assert out["value"].tolist() == pytest.approx([11.0, 0.5], rel=1e-15)
    back = convert(out, "tC")
    assert back["value"].tolist() == pytest.approx([3.0, 0.5], rel=1e-15)


columns = st.dictionaries(
    st.sampled_from(
        [
            "emission_tC",
            "absorption_forest_tC",
            "delta_c_tC",
            "emission_per_capita_tC_per_person",
            "compensation_rate",
            "ecc",
            "benchmark_share",
            "value_modified_yuan",
        ]
    ),
    st.lists(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), min_size=3, max_size=3),
    min_size=1,
)


@settings(max_examples=100, deadline=None)
@given(data=columns)
def test_switch_multiplies_carbon_columns_by_44_over_12_and_keeps_ratios(data, tmp_path_factory):
    table = pd.DataFrame(data)
    path = tmp_path_factory.mktemp("r") / "t.csv"
    write_result(table, path, "tCO2")
    written = pd.read_csv(path)
    for column in table:
        if column.endswith("tC") or "_tC_" in column:
            new = renamed(column, "tCO2")
            np.testing.assert_allclose(written[new], table[column] * RATIO, rtol=1e-12)
        else:
            assert written[column].tolist() == table[column].tolist()
    assert file_unit(path) == ("tCO2" if any("tC" in c for c in table) else "tC")
    back = read_result(path)
    assert list(back.columns) == list(table.columns)
    np.testing.assert_allclose(back.to_numpy(float), table.to_numpy(float), rtol=1e-12)
    reported = read_result(path, values="reported")
    assert list(reported.columns) == list(table.columns)
    np.testing.assert_array_equal(reported.to_numpy(float), written.to_numpy(float))


def model_tables(tmp_path, unit):
    """The budget → compensation → MFA summary chain as the rules run it: each result
    written in ``unit`` and read back by the next rule."""
    budget, _ = run_budget(tiny_tables(), PARAMS, Settings())
    write_result(budget, tmp_path / "budget.csv", unit)
    budget = read_result(tmp_path / "budget.csv")
    settings = Settings(modification="gdp_per_capita", rebalance=True)
    write_result(run_compensation(budget, None, 100.0, settings), tmp_path / "comp.csv", unit)
    joined = join_compensation(budget, read_result(tmp_path / "comp.csv"))
    write_result(summarise_by_mfa(joined, ORDER), tmp_path / "mfa.csv", unit)
    return {name: pd.read_csv(tmp_path / f"{name}.csv") for name in ("budget", "comp", "mfa")}


def close(actual: pd.Series, expected: pd.Series) -> None:
    """Equal to 1e-12 of the column's largest magnitude (sums that are 0 by construction, like
    the study area's ΔC, are round-off of that size)."""
    scale = float(np.nanmax(np.abs(expected))) if expected.notna().any() else 0.0
    np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=1e-12 * scale)


def test_model_chain_in_tco2_is_the_tc_chain_times_44_over_12(tmp_path):
    (tmp_path / "c").mkdir(), (tmp_path / "co2").mkdir()
    carbon, dioxide = model_tables(tmp_path / "c", "tC"), model_tables(tmp_path / "co2", "tCO2")
    converted = 0
    for name, table in carbon.items():
        other = dioxide[name]
        assert not [c for c in other if c.endswith("_tC") or "_tC_" in c], name
        for column in table:
            if column.endswith("_tC") or "_tC_" in column:
                new = column.replace("_tC", "_tCO2")
                close(other[new], table[column] * RATIO)
                converted += 1
            elif pd.api.types.is_numeric_dtype(table[column]):
                close(other[column], table[column])
            else:
                assert other[column].tolist() == table[column].tolist(), column
    assert converted > 20


def test_figure_labels_name_the_reported_unit():
    assert Labels("en", carbon_unit="tCO2")("unit_10k_tC") == "10⁴ t CO₂"
    assert Labels("zh", carbon_unit="tCO2")("unit_tC_per_ha") == "t CO₂/hm²"
    assert Labels("en")("unit_tC_per_10k_yuan") == "t C per 10⁴ yuan"
    assert "t CO₂" in Labels("en", carbon_unit="tCO2")("carbon_axis")


@pytest.mark.parametrize("unit", ["tC", "tCO2"])
def test_every_caption_names_the_reported_unit(unit):
    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    config["reporting"] = {"carbon_unit": unit}
    validate(config, str(ROOT / "workflow/schemas/config.schema.yaml"))  # fills the defaults
    other = re.compile(r"\bt C\b|_tC\b" if unit == "tCO2" else r"CO₂|_tCO2\b")
    for path in sorted((ROOT / "workflow/report").rglob("*.rst")):
        text = jinja2.Template(path.read_text()).render(snakemake=SimpleNamespace(config=config))
        if path.name == "compensation.meta.json.rst":  # names the key carbon_price_per_tC
            continue
        assert not other.search(text), (path.name, text)
