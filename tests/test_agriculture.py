"""Arable emissions by agricultural inputs and the Henan crops, worked out by hand."""

import dataclasses

import pandas as pd
import pytest

from conftest import COEF, CROPS, PARAMS, ROOT, tiny_tables
from lucarbon.core.aliases import canonical_names
from lucarbon.core.io import InputError
from lucarbon.model import agriculture, budget
from lucarbon.model.inputs import name_tables
from lucarbon.model.run import Settings, run_budget
from lucarbon.model.statistics import read_statistics

TABLE = ROOT / "data/coefficients/agricultural_input_coefficients.csv"
INPUTS = agriculture.read_input_coefficients(TABLE)


def inputs_table(**values):
    """One row for unit A in 2000 (zero for inputs not given)."""
    row = {"unit_id": "A", "year": 2000} | dict.fromkeys(agriculture.INPUT_STATISTICS, 0.0)
    return pd.DataFrame([row | values])


def test_coefficients_are_converted_to_tC_per_statistic_unit():
    per = INPUTS.set_index("input")["tC_per_unit"]
    assert per["fertiliser"] == pytest.approx(0.8956)  # kg C/kg = t C/t
    assert per["pesticide"] == pytest.approx(4.9341)
    assert per["film"] == pytest.approx(5.18)
    assert per["diesel"] == pytest.approx(0.5927)
    assert per["tillage"] == pytest.approx(312.6 / 100 / 1000)  # kg C/km² → t C/ha
    assert per["irrigation"] == pytest.approx(20.476 / 1000)  # kg C/ha → t C/ha


def test_input_emissions_by_hand():
    """1000 t fertiliser, 20 t pesticide, 50 t film, 300 t diesel, 10 000 ha sown and
    4000 ha irrigated."""
    table = inputs_table(
        fertiliser_t=1000.0,
        pesticide_t=20.0,
        film_t=50.0,
        diesel_t=300.0,
        sown_area_ha=10_000.0,
        irrigated_area_ha=4000.0,
    )
    expected = {
        "fertiliser": 1000 * 0.8956,
        "pesticide": 20 * 4.9341,
        "film": 50 * 5.18,
        "diesel": 300 * 0.5927,
        "tillage": 100 * 312.6 / 1000,  # 10 000 ha = 100 km², kg → t
        "irrigation": 4000 * 20.476 / 1000,
    }
    got = agriculture.input_emissions(table, INPUTS).set_index("input")["emission_tC"]
    assert got.to_dict() == pytest.approx(expected)
    total = agriculture.arable_input_fluxes(table, INPUTS)
    assert total["flux_tC"].item() == pytest.approx(sum(expected.values()))
    assert total[["landuse", "component"]].iloc[0].tolist() == ["arable", "agricultural_inputs"]


def test_budget_replaces_the_arable_coefficient_by_the_inputs():
    """Unit A: 100 ha arable; inputs 10 t fertiliser. Unit B: 20 ha arable, no inputs."""
    rows = pd.concat(
        [inputs_table(fertiliser_t=10.0), inputs_table().assign(unit_id="B")], ignore_index=True
    )
    tables = tiny_tables(agricultural_inputs=rows)
    params = dataclasses.replace(PARAMS, input_coefficients=INPUTS)
    by_inputs, _ = run_budget(tables, params, Settings(arable_mode="agricultural_inputs"))
    by_area, _ = run_budget(tables, params, Settings())
    arable = by_inputs.set_index("unit_id")["emission_arable_tC"]
    assert arable.tolist() == pytest.approx([10 * 0.8956, 0.0])
    area = by_area.set_index("unit_id")["emission_arable_tC"]
    assert area.tolist() == pytest.approx([100 * COEF["arable"], 20 * COEF["arable"]])


def test_input_table_errors_name_the_row(tmp_path):
    bad = tmp_path / "inputs.csv"
    text = TABLE.read_text(encoding="utf-8").replace(
        "tillage,sown_area_ha,312.6,km2", "tillage,sown_area_ha,312.6,kg"
    )
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(
        InputError, match=r"inputs.csv: row 6: .*per 'kg' cannot be applied to sown_area_ha"
    ):
        agriculture.read_input_coefficients(bad)
    lines = TABLE.read_text(encoding="utf-8").splitlines()
    bad.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"missing \['irrigated_area_ha'\]"):
        agriculture.read_input_coefficients(bad)


@pytest.mark.parametrize(
    ("alias", "crop", "h", "w", "c"),
    [
        ("芝麻", "sesame", 0.30, 0.10, 0.450),
        ("烟叶", "tobacco", 0.55, 0.085, 0.450),
        ("瓜果类", "melons", 0.70, 0.90, 0.450),
        ("杂粮", "other_cereals", 0.40, 0.12, 0.450),
        ("糖料", "sugarcane", 0.50, 0.50, 0.450),
        ("甜菜", "sugar_beet", 0.70, 0.75, 0.407),
    ],
)
def test_henan_crops_by_alias(alias, crop, h, w, c):
    """100 t of each crop: absorption c × Y × (1 − w) / h."""
    names = canonical_names(pd.Series([alias]), CROPS, "crop", "crops.csv", "crop table")
    assert names.tolist() == [crop]
    yields = pd.DataFrame({"unit_id": ["A"], "year": [2000], "crop": [crop], "yield_t": [100.0]})
    out = budget.crop_absorption(yields, CROPS)
    assert out["absorption_tC"].item() == pytest.approx(c * 100 * (1 - w) / h)


def test_new_statistics_kinds_convert_declared_units(tmp_path):
    """Agricultural inputs in 万吨 and 千公顷, industrial energy in 万吨标准煤."""
    path = tmp_path / "农业投入.csv"
    path.write_text(
        "县代码,年份,化肥,农药,农膜,柴油,播种面积,有效灌溉面积,工业能耗\n"
        "410122,2000,1.5,0.02,0.03,0.1,80.5,50,12.5\n",
        encoding="gbk",
    )
    columns = {
        "unit_id": "县代码", "year": "年份", "fertiliser_t": "化肥", "pesticide_t": "农药",
        "film_t": "农膜", "diesel_t": "柴油", "sown_area_ha": "播种面积",
        "irrigated_area_ha": "有效灌溉面积", "industrial_energy_tce": "工业能耗",
    }  # fmt: skip
    units = {c: "万吨" for c in ("fertiliser_t", "pesticide_t", "film_t", "diesel_t")}
    units |= {"sown_area_ha": "千公顷", "irrigated_area_ha": "千公顷"}
    units["industrial_energy_tce"] = "万吨标准煤"
    stats = {"tables": [{"path": str(path), "columns": columns, "units": units}]}
    names = name_tables({"physical_units": ROOT / "data/units/physical_units.csv"})
    read = read_statistics(stats, names, ["agricultural_inputs", "industrial_energy"])
    row = read["agricultural_inputs"].iloc[0]
    assert row["fertiliser_t"] == pytest.approx(15_000.0)
    assert row["pesticide_t"] == pytest.approx(200.0)
    assert row["sown_area_ha"] == pytest.approx(80_500.0)
    assert row["irrigated_area_ha"] == pytest.approx(50_000.0)
    assert read["industrial_energy"]["industrial_energy_tce"].item() == pytest.approx(125_000.0)
