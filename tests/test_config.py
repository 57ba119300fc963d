"""Config errors fail before any job, naming the file, the key and the bad value."""

import copy
import shutil

import pandas as pd
import pytest
import yaml
from snakemake.exceptions import WorkflowError
from snakemake.utils import update_config, validate

from conftest import ROOT
from lucarbon.config.checks import ConfigError, check_config, configured_paths, skipped_parts
from lucarbon.config.layers import DEFAULTS, deep_merge, layered_config, read_yaml, validate_config
from workflow_helpers import copy_project, edit_config, snakemake

SCHEMA = str(ROOT / "workflow/schemas/config.schema.yaml")


@pytest.fixture
def config():
    """The demo config, validated (so schema defaults are filled in as in a real run)."""
    loaded = yaml.safe_load((ROOT / "config.yaml").read_text())
    validate(loaded, SCHEMA)
    return loaded


@pytest.fixture
def in_project(tmp_path, monkeypatch):
    """A copy of the project as the working directory, so its tables can be edited."""
    copy_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_default_config_passes(config, in_project):
    validate(config, SCHEMA)
    check_config(config, ["config.yaml"])


def test_misspelt_key_fails_the_schema(config):
    config["compensation"]["prise"] = config["compensation"].pop("price")
    with pytest.raises(WorkflowError, match="prise"):
        validate(config, SCHEMA)
    with pytest.raises(
        ConfigError,
        match=r"^config\.yaml: compensation\.prise: unknown key \(value 'afforestation_cost'\); "
        r"did you mean 'price'\?",
    ):
        validate_config(config, SCHEMA, ["config.yaml"])


def test_wrong_type_fails_the_schema(config):
    config["years"] = ["2000"]
    with pytest.raises(WorkflowError, match="'2000' is not of type 'integer'"):
        validate(config, SCHEMA)
    with pytest.raises(ConfigError, match=r"years\[0\]: value '2000' is invalid: must be of type"):
        validate_config(config, SCHEMA, ["config.yaml"])


def test_own_validation_fills_the_defaults_as_snakemake_does():
    for name in ("config.yaml", "config/henan.yaml", "config/example_geo_cnlucc.yaml"):
        ours = layered_config(read_yaml(ROOT / name), ROOT / DEFAULTS)
        theirs = copy.deepcopy(ours)
        validate_config(ours, SCHEMA, [name])
        validate(theirs, SCHEMA)
        assert ours == theirs, name


def test_deep_merge_merges_mappings_and_replaces_the_rest():
    base = {"a": {"b": 1, "c": [1, 2]}, "d": "x", "e": {"f": {"g": 1}}}
    override = {"a": {"c": [3]}, "d": {"now": "a mapping"}, "e": {"f": {"h": 2}}}
    assert deep_merge(base, override) == {
        "a": {"b": 1, "c": [3]},
        "d": {"now": "a mapping"},
        "e": {"f": {"g": 1, "h": 2}},
    }
    assert base["a"] == {"b": 1, "c": [1, 2]}  # the inputs are left alone


def _as_snakemake_loads(*names):
    """The config Snakemake hands the Snakefile for ``--configfile names...``: each file
    merged over the previous ones."""
    config = {}
    for name in names:
        update_config(config, read_yaml(ROOT / name))
    return config


def test_an_override_file_layers_on_the_study(tmp_path):
    override = tmp_path / "extra.yaml"
    override.write_text("figures: {language: zh}\n")
    config = _as_snakemake_loads("config.yaml")
    update_config(config, read_yaml(override))
    layered = layered_config(config, ROOT / DEFAULTS)
    validate_config(layered, SCHEMA, ["config.yaml", str(override)])
    assert layered["figures"]["language"] == "zh"
    assert layered["figures"]["note"]["en"].startswith("SYNTHETIC demo")  # kept from config.yaml
    assert layered["study"] == "demo"
    assert layered["statistics"]["gdp"] == "data/demo/stats/gdp_synthetic.csv"


def test_a_study_config_inherits_no_demo_tables(config):
    henan = layered_config(_as_snakemake_loads("config/henan.yaml"), ROOT / DEFAULTS)
    validate_config(henan, SCHEMA, ["config/henan.yaml"])
    demo_paths = {path for path in configured_paths(config).values() if "demo" in path}
    assert demo_paths  # the demo names its synthetic tables ...
    assert not demo_paths & set(configured_paths(henan).values())  # ... Henan none of them
    assert henan["units"]["mfa_classes"] == "data/mfa_classes.csv"  # from the defaults
    assert henan["statistics"]["gdp"] is None


def _output_lines(result):
    """Lines printed by a run, without Snakemake's profile banner."""
    lines = (result.stdout + result.stderr).splitlines()
    return [line for line in lines if line and "Using workflow specific profile" not in line]


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("layers"))


def test_a_two_line_override_runs(project_copy):
    (project_copy / "zh.yaml").write_text("figures:\n  language: zh\n")
    result = snakemake(project_copy, "--dry-run", "--configfile", "config.yaml", "zh.yaml")
    assert "figures" in result.stdout


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        (
            "figurs: {language: zh}",
            "typo.yaml: figurs: unknown key (value {'language': 'zh'}); did you mean 'figures'?",
        ),
        (
            "figures: {langage: zh}",
            "typo.yaml: figures.langage: unknown key (value 'zh'); did you mean 'language'?",
        ),
        (
            "spatial: {permutations: many}",
            "typo.yaml: spatial.permutations: value 'many' is invalid: must be of type integer.",
        ),
    ],
)
def test_a_schema_error_is_one_short_message(project_copy, override, expected):
    (project_copy / "typo.yaml").write_text(override + "\n")
    result = snakemake(
        project_copy, "--dry-run", "--configfile", "config.yaml", "typo.yaml", check=False
    )
    lines = _output_lines(result)
    assert result.returncode != 0
    assert len(lines) <= 5, lines
    assert expected in lines[0]
    assert "Traceback" not in result.stderr


def test_an_override_without_its_study_says_so(project_copy):
    (project_copy / "zh.yaml").write_text("figures: {language: zh}\n")
    result = snakemake(project_copy, "--dry-run", "--configfile", "zh.yaml", check=False)
    lines = _output_lines(result)
    assert len(lines) <= 5, lines
    assert "zh.yaml: study: required key missing" in lines[0]
    assert "--configfile config.yaml my.yaml" in lines[0]


def test_year_missing_from_a_statistics_table(config, in_project):
    path = config["statistics"]["population"]
    table = pd.read_csv(path)
    table[table["year"] != 2010].to_csv(path, index=False)
    with pytest.raises(
        ConfigError,
        match=r"config\.yaml: .*population_synthetic\.csv: no rows for year\(s\) \[2010\]",
    ):
        check_config(config, ["config.yaml"])


def test_unit_missing_from_the_unit_table(config, in_project):
    path = config["units"]["table"]
    table = pd.read_csv(path)
    dropped = table["unit_id"].iloc[3]
    table.drop(index=3).to_csv(path, index=False)
    with pytest.raises(ConfigError, match=rf"without a row in the unit table .*\['{dropped}'\]"):
        check_config(config, ["config.yaml"])


def test_unknown_mfa_class(config, in_project):
    path = config["units"]["table"]
    table = pd.read_csv(path)
    table.loc[0, "mfa_class"] = "key_development"
    table.to_csv(path, index=False)
    with pytest.raises(
        ConfigError, match=r"column 'mfa_class' has value\(s\) \['key_development'\]"
    ):
        check_config(config, ["config.yaml"])


def test_year_without_a_registry_row(config, in_project):
    config["years"] = [*config["years"], 2025]
    with pytest.raises(
        ConfigError,
        match=r"registry_synthetic\.csv: expected exactly one row for dataset 'landcover', "
        r"year 2025",
    ):
        check_config(config, ["config.yaml"])


def test_snakemake_stops_before_any_job(tmp_path):
    copy_project(tmp_path)
    edit_config(tmp_path, coefficients__set="nonexistent")
    result = snakemake(tmp_path, "--dry-run", check=False)
    assert result.returncode != 0
    assert "no set 'nonexistent'" in result.stdout + result.stderr
    assert not (tmp_path / "resources").exists()
    shutil.rmtree(tmp_path / ".snakemake", ignore_errors=True)


def _drop_raw_coal(path):
    table = pd.read_csv(path)
    table[table["fuel"] != "raw_coal"].to_csv(path, index=False)


def _negative_harvest_index(path):
    table = pd.read_csv(path)
    table.loc[table["crop"] == "wheat", "harvest_index"] = -0.4
    table.to_csv(path, index=False)


def _unknown_crop(path):
    table = pd.read_csv(path)
    table.loc[5, "crop"] = "yam"
    table.to_csv(path, index=False)


def _price_without_unit(path):
    table = pd.read_csv(path)
    table.loc[0, "unit"] = None
    table.to_csv(path, index=False)


@pytest.mark.parametrize(
    ("path", "spoil", "message"),
    [
        (
            "data/coefficients/fuel_factors.csv",
            _drop_raw_coal,
            r"energy_synthetic\.csv: row \d+, column 'fuel': unknown fuel 'raw_coal'",
        ),
        (
            "data/coefficients/crop_parameters.csv",
            _negative_harvest_index,
            r"crop_parameters\.csv: row 3, column 'harvest_index': -0\.4 is outside",
        ),
        (
            "data/demo/stats/crop_yield_synthetic.csv",
            _unknown_crop,
            r"crop_yield_synthetic\.csv: row 7, column 'crop': unknown crop 'yam'",
        ),
        (
            "data/coefficients/carbon_prices.csv",
            _price_without_unit,
            r"carbon_prices\.csv: row 2, column 'unit': nan is not one of",
        ),
    ],
)
def test_bad_parameter_tables_fail_naming_file_row_column(config, in_project, path, spoil, message):
    spoil(path)
    with pytest.raises(ConfigError, match=message):
        check_config(config, ["config.yaml"])


def test_absent_tables_skip_what_needs_them(config):
    config["construction"]["mode"] = "county_table"
    skipped = skipped_parts(config)
    assert "county_emissions" in skipped["construction-land emissions"]
    assert "compensation" not in skipped
    for kind in ("gdp", "energy", "population", "engel", "crop_yield", "county_emissions"):
        config["statistics"][kind] = None
    skipped = skipped_parts(config)
    assert set(skipped) == {
        "construction-land emissions",
        "GDP indicators",
        "arable crop absorption",
        "compensation",
        "sensitivity",
    }


# Canonical column → a yearbook extract's column name (the demo's wide table).
WIDE_COLUMNS = {
    "unit_id": "县代码",
    "year": "年份",
    "gdp_10k_yuan": "生产总值",
    "population_persons": "常住人口",
    "engel_urban": "城镇恩格尔",
    "engel_rural": "农村恩格尔",
    "urbanization_rate": "城镇化率",
}


def _wide_demo_table(path):
    """The demo's GDP, population and Engel tables as one GBK county-year table with Chinese
    headers, GDP in 亿元 and population in 万人 (as a yearbook extract would hold them)."""
    stats = ROOT / "data/demo/stats"
    tables = [
        pd.read_csv(stats / f"{name}_synthetic.csv", dtype={"unit_id": str}).drop(columns="source")
        for name in ("gdp", "population", "engel")
    ]
    wide = tables[0].merge(tables[1]).merge(tables[2])
    wide["gdp_10k_yuan"] /= 1e4
    wide["population_persons"] /= 1e4
    wide = wide[list(WIDE_COLUMNS)].rename(columns=WIDE_COLUMNS)
    path.write_bytes(wide.to_csv(index=False).encode("gbk"))
    return {
        "path": str(path),
        "columns": WIDE_COLUMNS,
        "units": {"gdp_10k_yuan": "亿元", "population_persons": "万人"},
    }


def test_one_wide_table_replaces_three_files(config, in_project):
    skipped = skipped_parts(config)
    for kind in ("gdp", "population", "engel"):
        config["statistics"][kind] = None
    config["statistics"]["tables"] = [_wide_demo_table(in_project / "county.csv")]
    check_config(config, ["config.yaml"])
    assert skipped_parts(config) == skipped
    assert configured_paths(config)["statistics.tables[0]"] == str(in_project / "county.csv")


def test_a_table_giving_a_variable_twice_fails_naming_both_files(config, in_project):
    config["statistics"]["tables"] = [_wide_demo_table(in_project / "county.csv")]
    with pytest.raises(
        ConfigError,
        match=r"gdp_10k_yuan is given by two tables: data/demo/stats/gdp_synthetic\.csv "
        r"\(config key statistics\.gdp\) and .*county\.csv \(config key statistics\.tables\[0\]\)",
    ):
        check_config(config, ["config.yaml"])


def test_rules_read_a_wide_table_as_an_input(tmp_path):
    """The rules that load statistics list the wide table among their inputs, so a change to
    it reruns them; the dry run parses the new config."""
    copy_project(tmp_path)
    table = _wide_demo_table(tmp_path / "data/county.csv") | {"path": "data/county.csv"}
    edit_config(
        tmp_path,
        statistics__gdp=None,
        statistics__population=None,
        statistics__engel=None,
        statistics__tables=[table],
    )
    lines = snakemake(tmp_path, "--dry-run").stdout.splitlines()
    inputs = {
        line.removeprefix("rule ").rstrip(":"): lines[i + 1]
        for i, line in enumerate(lines)
        if line.startswith("rule ")
    }
    for rule in ("carbon_budget", "compensation", "sensitivity"):
        assert "data/county.csv" in inputs[rule].split("input: ")[1].split(", ")
    shutil.rmtree(tmp_path / ".snakemake", ignore_errors=True)


def test_two_level_allocation_needs_its_tables(config):
    config["statistics"]["city_energy_intensity"] = None
    skipped = skipped_parts(config)["construction-land emissions"]
    assert "statistics.city_energy_intensity" in skipped
    config["construction"]["city"] = {"proxy": "city_energy"}
    assert (
        "statistics.city_energy or statistics.city_energy_total"
        in (skipped_parts(config)["construction-land emissions"])
    )
    config["construction"]["city"] = None
    config["construction"]["proxy"] = "industrial_energy"
    assert "construction-land emissions" not in skipped_parts(config)
    config["arable"]["mode"] = "agricultural_inputs"
    config["statistics"]["agricultural_inputs"] = None
    assert "statistics.agricultural_inputs" in skipped_parts(config)["arable input emissions"]


def test_bad_construction_choices_fail_naming_the_key(config):
    config["construction"]["city"]["proxy"] = "city_gdp"
    with pytest.raises(WorkflowError, match="city_gdp"):
        validate(config, SCHEMA)
    config["construction"]["city"] = {"proxy": "gdp", "units": "adcode"}
    with pytest.raises(WorkflowError, match="units"):
        validate(config, SCHEMA)


def test_a_city_without_rows_fails_before_any_job(config, in_project):
    path = config["statistics"]["city_energy_intensity"]
    table = pd.read_csv(path)
    table[table["city_id"] != "SYNC2"].to_csv(path, index=False)
    with pytest.raises(
        ConfigError,
        match=r"city_energy_intensity_synthetic\.csv: no rows for \(city_id, year\) "
        r"\[\('SYNC2', 2000\)",
    ):
        check_config(config, ["config.yaml"])
    config["construction"]["city"]["unit_cities"] = "adcode"
    with pytest.raises(ConfigError, match=r"'adcode' needs 6-digit unit codes"):
        check_config(config, ["config.yaml"])


def test_a_unit_without_a_city_fails_naming_the_table(config, in_project):
    path = config["construction"]["city"]["unit_cities"]
    table = pd.read_csv(path)
    table[table["unit_id"] != "SYN07"].to_csv(path, index=False)
    with pytest.raises(
        ConfigError, match=r"unit_cities_synthetic\.csv: no city for unit\(s\) \['SYN07'\]"
    ):
        check_config(config, ["config.yaml"])


def test_electricity_rows_need_final_consumption(config, in_project):
    path = config["statistics"]["energy"]
    table = pd.read_csv(path)
    extra = table[table["fuel"] == "raw_coal"].assign(fuel="电力", unit="亿千瓦时", amount=10.0)
    pd.concat([table, extra]).to_csv(path, index=False)
    with pytest.raises(
        ConfigError,
        match=r"energy_synthetic\.csv: row \d+, column 'fuel': 'electricity' is counted only",
    ):
        check_config(config, ["config.yaml"])
    config["construction"]["energy"] = "final_plus_electricity_heat"
    check_config(config, ["config.yaml"])
    config["construction"]["electricity_heat"]["electricity_region"] = "atlantis"
    with pytest.raises(ConfigError, match=r"no electricity factor for region 'atlantis'"):
        check_config(config, ["config.yaml"])


def test_crude_oil_beside_refined_products_warns_at_parse_time(config, in_project, capsys):
    path = config["statistics"]["energy"]
    table = pd.read_csv(path)
    crude = table[table["fuel"] == "diesel"].assign(fuel="原油")
    pd.concat([table, crude]).to_csv(path, index=False)
    check_config(config, ["config.yaml"])
    assert "crude oil (crude_oil) is counted beside refined products" in capsys.readouterr().err
