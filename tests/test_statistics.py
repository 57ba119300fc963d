"""Statistics tables as users have them: encodings, column mappings, declared units, wide
county-year tables, aliases, duplicates and bad values. Expected values are worked out by hand
(1 万 = 10^4, 1 亿 = 10^8, 1 % = 0.01, 12/44 t C per t CO2)."""

import logging

import pandas as pd
import pytest

from conftest import ROOT
from lucarbon.core.io import InputError, read_table
from lucarbon.model import budget
from lucarbon.model.compensation import weighted_engel
from lucarbon.model.inputs import name_tables
from lucarbon.model.statistics import (
    check_coverage,
    provided_kinds,
    read_part,
    read_statistics,
    table_spec,
)

NAMES = name_tables(
    {
        "physical_units": ROOT / "data/units/physical_units.csv",
        "fuels": ROOT / "data/coefficients/fuel_factors.csv",
        "crops": ROOT / "data/coefficients/crop_parameters.csv",
    }
)
FUELS = budget.read_fuels(ROOT / "data/coefficients/fuel_factors.csv")
PHYSICAL = budget.read_physical_units(ROOT / "data/units/physical_units.csv")
CHINESE = "县代码,年份,常住人口\n0101,2000,45.3\n0102,2000,12\n"


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return str(path)


# --- encodings and empty files -------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_encodings_are_detected(tmp_path, encoding):
    path = write(tmp_path / "t.csv", CHINESE, encoding)
    table = read_table(path, ["县代码", "常住人口"], dtypes=str)
    assert list(table.columns) == ["县代码", "年份", "常住人口"]  # no BOM left in the header
    assert table["县代码"].tolist() == ["0101", "0102"]


def test_declared_encoding_is_used_and_a_wrong_one_is_named(tmp_path):
    path = write(tmp_path / "t.csv", CHINESE, "gbk")
    assert read_table(path, ["常住人口"], encoding="gbk").shape == (2, 3)
    with pytest.raises(
        InputError, match=r"t\.csv: is not in the encoding utf-8 declared in the config"
    ):
        read_table(path, [], encoding="utf-8")


def test_undecodable_file_names_the_file_and_says_to_declare(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"a,b\n\xff\xfe\xff,1\n")
    with pytest.raises(InputError, match=r"bad\.csv: cannot be read as utf-8-sig or gb18030"):
        read_table(path, [])
    with pytest.raises(InputError, match="declare its encoding"):
        read_table(path, [])


def test_empty_file_and_header_without_rows(tmp_path):
    with pytest.raises(InputError, match=r"e\.csv: the file is empty"):
        read_table(write(tmp_path / "e.csv", ""), [])
    for text in ("unit_id,year,gdp_10k_yuan\n", "unit_id,year,gdp_10k_yuan\n,,\n"):
        with pytest.raises(InputError, match=r"h\.csv: the file has a header .* but no rows"):
            read_table(write(tmp_path / "h.csv", text), [])


# --- values: ranges, percent, numbers ------------------------------------------------------


def gdp_file(tmp_path, value):
    return write(tmp_path / "gdp.csv", f"unit_id,year,gdp_10k_yuan\nA,2000,1\nB,2000,{value}\n")


def read_kind(kind, path, **spec):
    return read_statistics({kind: {"path": path, **spec}}, NAMES, [kind])[kind]


def test_negative_value_names_file_row_column_value_and_range(tmp_path):
    path = gdp_file(tmp_path, "-5")
    with pytest.raises(
        InputError,
        match=r"gdp\.csv: row 3, column 'gdp_10k_yuan': '-5' is outside the allowed range ≥ 0",
    ):
        read_kind("gdp", path)


def test_engel_in_percent_is_named_as_such(tmp_path):
    path = write(tmp_path / "engel.csv", "unit_id,year,engel_coefficient\nA,2000,35.2\n")
    with pytest.raises(
        InputError,
        match=r"row 2, column 'engel_coefficient': '35.2' is outside the allowed range ≥ 0 and "
        r"≤ 1; it looks like a percent: divide by 100 or declare units: "
        r"\{engel_coefficient: percent\}",
    ):
        read_kind("engel", path)
    table = read_kind("engel", path, units={"engel_coefficient": "%"})
    assert table["engel_coefficient"].iloc[0] == pytest.approx(0.352)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("—", r"row 3, column 'gdp_10k_yuan': '—' is not a number"),
        ("", r"row 3, column 'gdp_10k_yuan': is empty"),
        ("12 万元", r"row 3, column 'gdp_10k_yuan': '12 万元' is not a number"),
    ],
)
def test_non_numeric_and_missing_values(tmp_path, value, message):
    with pytest.raises(InputError, match=rf"gdp\.csv: {message}"):
        read_kind("gdp", gdp_file(tmp_path, value))


def test_thousands_separators_are_accepted(tmp_path):
    table = read_kind("gdp", gdp_file(tmp_path, '"1,234,567.5"'))
    assert table["gdp_10k_yuan"].tolist() == [1.0, 1234567.5]


# --- column mapping and declared units -----------------------------------------------------


def test_columns_mapped_and_units_converted(tmp_path):
    path = write(tmp_path / "pop.csv", CHINESE, "gbk")
    spec = {
        "columns": {"unit_id": "县代码", "year": "年份", "population_persons": "常住人口"},
        "units": {"population_persons": "10^4 Persons"},  # alias, any case and spacing
    }
    table = read_kind("population", path, **spec)
    assert table.to_dict("list") == {
        "unit_id": ["0101", "0102"],
        "year": [2000, 2000],
        "population_persons": [453000.0, 120000.0],  # 45.3 万人, 12 万人
    }


def test_unit_of_another_quantity_and_unknown_unit_fail(tmp_path):
    path = write(tmp_path / "pop.csv", CHINESE)
    columns = {"unit_id": "县代码", "year": "年份", "population_persons": "常住人口"}
    with pytest.raises(
        InputError,
        match=r"statistics\.population\.units\.population_persons: '亿立方米' measures m3, but "
        r"population_persons is in persons, a unit of persons",
    ):
        read_kind("population", path, columns=columns, units={"population_persons": "亿立方米"})
    with pytest.raises(InputError, match=r"unknown unit 'dozen'; known: .*'10k_persons'"):
        read_kind("population", path, columns=columns, units={"population_persons": "dozen"})


def test_mapped_column_missing_from_the_file(tmp_path):
    path = write(tmp_path / "pop.csv", CHINESE)
    with pytest.raises(
        InputError,
        match=r"pop\.csv: no column '人口' \(config key statistics\.population\.columns\."
        r"population_persons\)",
    ):
        read_kind("population", path, columns={"population_persons": "人口"})


# --- wide county-year tables ---------------------------------------------------------------


WIDE = (
    "县代码,年份,地区生产总值(亿元),常住人口(万人),恩格尔系数(%),碳排放(万吨CO2)\n"
    "0101,2000,12.5,45.3,35.2,2.2\n"
    "0102,2000,3,12,40,1.1\n"
)
WIDE_SPEC = {
    "encoding": "gbk",
    "columns": {
        "unit_id": "县代码",
        "year": "年份",
        "gdp_10k_yuan": "地区生产总值(亿元)",
        "population_persons": "常住人口(万人)",
        "engel_coefficient": "恩格尔系数(%)",
        "emission_tCO2": "碳排放(万吨CO2)",
    },
    "units": {
        "gdp_10k_yuan": "亿元",
        "population_persons": "万人",
        "engel_coefficient": "%",
        "emission_tCO2": "万吨",
    },
}


def test_one_wide_table_gives_every_kind(tmp_path):
    stats = {"tables": [{"path": write(tmp_path / "county.csv", WIDE, "gbk"), **WIDE_SPEC}]}
    tables = read_statistics(stats, NAMES)
    assert tables["gdp"]["gdp_10k_yuan"].tolist() == [125000.0, 30000.0]  # 亿元 × 10^4
    assert tables["population"]["population_persons"].tolist() == [453000.0, 120000.0]
    assert tables["engel"]["engel_coefficient"].tolist() == pytest.approx([0.352, 0.40])
    # 2.2 万吨 CO2 = 22000 t CO2 = 22000 × 12/44 t C = 6000 t C
    assert tables["county_emissions"]["emission_tC"].tolist() == pytest.approx([6000, 3000])
    assert list(tables["gdp"].columns) == ["unit_id", "year", "gdp_10k_yuan"]
    assert tables["energy"] is None and tables["gdp_deflator"] is None
    assert provided_kinds(stats) == {"gdp", "population", "engel", "county_emissions"}


def test_a_variable_from_two_tables_is_an_error_naming_both(tmp_path):
    wide = write(tmp_path / "county.csv", WIDE, "gbk")
    population = write(tmp_path / "pop.csv", "unit_id,year,population_persons\n0101,2000,1\n")
    stats = {"population": population, "tables": [{"path": wide, **WIDE_SPEC}]}
    with pytest.raises(
        InputError,
        match=r"population_persons is given by two tables: .*pop\.csv \(config key "
        r"statistics\.population\) and .*county\.csv \(config key statistics\.tables\[0\]\)",
    ):
        read_statistics(stats, NAMES)


def test_engel_coefficient_and_urban_rural_together_are_an_error(tmp_path):
    wide = write(tmp_path / "county.csv", WIDE, "gbk")
    engel = write(
        tmp_path / "engel.csv",
        "unit_id,year,engel_urban,engel_rural,urbanization_rate\n0101,2000,0.3,0.5,0.25\n",
    )
    stats = {"engel": engel, "tables": [{"path": wide, **WIDE_SPEC}]}
    with pytest.raises(InputError, match=r"engel: the tables .* give \['engel_coefficient', "):
        read_statistics(stats, NAMES)


def test_engel_file_with_both_forms_is_an_error(tmp_path):
    path = write(
        tmp_path / "engel.csv",
        "unit_id,year,engel_coefficient,engel_urban,engel_rural,urbanization_rate\n"
        "A,2000,0.4,0.3,0.5,0.25\n",
    )
    with pytest.raises(InputError, match=r"engel: the tables \[.*engel\.csv \(statistics\.engel\)"):
        read_kind("engel", path)


def test_weighted_engel_uses_a_single_coefficient_as_given():
    single = pd.DataFrame({"engel_coefficient": [0.352]})
    assert weighted_engel(single, "e.csv").tolist() == [0.352]
    both = single.assign(engel_urban=0.3, engel_rural=0.5, urbanization_rate=0.25)
    with pytest.raises(InputError, match=r"e\.csv: both engel_coefficient and \['engel_urban'"):
        weighted_engel(both, "e.csv")


# --- names: fuel, unit and crop aliases ----------------------------------------------------


def test_energy_with_yearbook_names_and_units(tmp_path):
    path = write(
        tmp_path / "energy.csv",
        "年份,能源品种,单位,消费量\n"
        "2000,原煤,万吨,2\n2000,天然气,10^8 m3,1.5\n2000,Diesel,10^4T,1\n",
        "gbk",
    )
    spec = {"columns": {"year": "年份", "fuel": "能源品种", "unit": "单位", "amount": "消费量"}}
    energy = read_kind("energy", path, **spec)
    assert energy["fuel"].tolist() == ["raw_coal", "natural_gas", "diesel"]
    assert energy["unit"].tolist() == ["10k_t", "100M_m3", "10k_t"]
    total = budget.energy_emissions(energy, FUELS, PHYSICAL, path)[2000]
    coal = 2e7 * 0.7143 / 1000 * 0.7559  # 2 × 10^4 t = 2e7 kg; kgce → tce; t C per tce
    gas = 1.5e8 * 1.33 / 1000 * 0.4483  # 1.5 × 10^8 m3
    diesel = 1e7 * 1.4571 / 1000 * 0.5921
    assert total == pytest.approx(coal + gas + diesel, rel=1e-12)


def test_unknown_fuel_names_file_row_value_and_known_names(tmp_path):
    path = write(
        tmp_path / "energy.csv", "year,fuel,unit,amount\n2000,原煤,万吨,1\n2000,洗精煤,万吨,1\n"
    )
    with pytest.raises(
        InputError,
        match=r"energy\.csv: row 3, column 'fuel': unknown fuel '洗精煤'; known: \['coke', ",
    ):
        read_kind("energy", path)


def test_crop_aliases(tmp_path):
    path = write(
        tmp_path / "crops.csv",
        "unit_id,year,crop,yield_t\n"
        "A,2000,peanut (oil crops),10\nA,2000,小麦,20\nA,2000,Soybean,5\n",
    )
    table = read_kind("crop_yield", path, units={"yield_t": "万吨"})
    assert table["crop"].tolist() == ["peanut", "wheat", "pulses"]
    assert table["yield_t"].tolist() == [1e5, 2e5, 5e4]


# --- duplicates and unit codes -------------------------------------------------------------


def test_exact_duplicate_rows_warn_and_one_is_kept(tmp_path, caplog, capsys):
    path = write(
        tmp_path / "gdp.csv", "unit_id,year,gdp_10k_yuan\nA,2000,1\nB,2000,2\nA,2000,1.0\n"
    )
    with caplog.at_level(logging.WARNING, logger="lucarbon"):
        table = read_kind("gdp", path)
    assert table["unit_id"].tolist() == ["A", "B"]
    warning = "exact duplicate rows, one of each kept: row 4 repeats row 2 (unit_id A, year 2000)"
    assert f"gdp.csv: {warning}" in caplog.text
    assert f"Warning: {path}: {warning}" in capsys.readouterr().err


def test_conflicting_duplicate_rows_name_both_rows(tmp_path):
    path = write(tmp_path / "gdp.csv", "unit_id,year,gdp_10k_yuan\nA,2000,1\nB,2000,2\nA,2000,3\n")
    with pytest.raises(
        InputError,
        match=r"gdp\.csv: rows 2 and 4 both give unit_id A, year 2000 but with different values "
        r"\(gdp_10k_yuan 1 vs 3\)",
    ):
        read_kind("gdp", path)


def test_codes_that_lost_their_leading_zeros(tmp_path):
    path = write(tmp_path / "pop.csv", "unit_id,year,population_persons\n101,2000,5\n102,2000,6\n")
    part = read_part("population", table_spec(path, "statistics.population"), NAMES)
    with pytest.raises(
        InputError,
        match=r"pop\.csv: column 'unit_id': code\(s\) 101 \(unit 0101\), 102 \(unit 0102\) match "
        r"the study's units only with leading zeros restored.*Format the column as text in Excel",
    ):
        check_coverage(part, [2000], ["0101", "0102"])


def test_missing_unit_year_rows_are_named(tmp_path):
    path = write(tmp_path / "pop.csv", "unit_id,year,population_persons\n0101,2000,5\n")
    with pytest.raises(
        InputError, match=r"pop\.csv: missing rows for \(unit_id, year\) \[\('0102'"
    ):
        read_statistics({"population": path}, NAMES, years=[2000], unit_ids=["0101", "0102"])
