"""Unit polygons and attributes: codes, names and MFA classes from the polygon file itself, a
unit table overriding them, and every defect of the boundary file an error that names it.

The polygons are tiny boxes made here; expected areas are worked out by hand (boxes in metres)
or with pyproj.Geod (boxes in longitude/latitude), independently of the code under test.
"""

import logging
import shutil

import geopandas as gpd
import pandas as pd
import pytest
from pyproj import Geod
from shapely.geometry import LineString, Polygon, box

from conftest import ALBERS, ROOT
from lucarbon.core.io import InputError
from lucarbon.units.boundaries import (
    area_ha,
    boundary_label,
    local_boundary_file,
    prepare_boundaries,
    read_boundary_file,
)
from lucarbon.units.table import study_table, study_units

MFA = str(ROOT / "data" / "mfa_classes.csv")
LONLAT = "EPSG:4326"
CODES = ["0411001", "0411002", "0411003"]
NAMES = ["甲县", "乙县", "丙县"]
# The same classes written as name_zh, name_en and key of data/mfa_classes.csv.
CLASSES_AS_GIVEN = ["国家重点生态功能区", "Agricultural production", "national_key_development"]
CLASS_KEYS = ["national_key_ecological", "agricultural", "national_key_development"]
ATTRIBUTES = {"name": "名称", "name_zh": "名称", "mfa_class": "主体功能区"}
GEOD = Geod(ellps="WGS84")


def lonlat_boxes(n: int = 3) -> list[Polygon]:
    """``n`` adjacent 0.01° × 0.01° boxes in a row from (113.00 E, 34.00 N)."""
    return [box(113 + i * 0.01, 34.0, 113.01 + i * 0.01, 34.01) for i in range(n)]


def polygons(geometry=None, codes=CODES, crs=LONLAT, **columns) -> gpd.GeoDataFrame:
    data = {"县代码": codes, "名称": NAMES[: len(codes)]}
    data["主体功能区"] = CLASSES_AS_GIVEN[: len(codes)]
    geometry = lonlat_boxes(len(codes)) if geometry is None else geometry
    return gpd.GeoDataFrame(data | columns, geometry=geometry, crs=crs)


def study(
    tmp_path, gdf: gpd.GeoDataFrame, name: str = "units.gpkg", encoding=None, **units
) -> dict:
    """A config (registry, boundaries, units sections) whose registry lists ``gdf`` saved as
    ``name`` (attributes in ``encoding``) next to it."""
    gdf.to_file(tmp_path / name, **({"encoding": encoding} if encoding else {}))
    registry = tmp_path / "registry.csv"
    registry.write_text(
        "dataset,version,year,url,md5,licence,citation\n"
        f"boundaries,v1,,{name},{'0' * 32},test,made in the test\n"
    )
    boundaries = {
        "source": "registry",
        "dataset": "boundaries",
        "id_column": "县代码",
        "layer": None,
        "encoding": None,
        "province": None,
        "dissolve_table": None,
        "repair": False,
        "topology_tolerance_m2": 10000,
        "topology": "error",
    }
    base = {"table": None, "attributes": ATTRIBUTES, "mfa_column": "mfa_class", "mfa_classes": MFA}
    return {"registry": str(registry), "boundaries": boundaries, "units": base | units}


def prepare(config: dict, crs: str = LONLAT) -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
    """What the prepare_units job does with the config's boundary file: the unit table and
    the checked unit polygons in ``crs``."""
    cfg, label = config["boundaries"], boundary_label(config)
    raw = read_boundary_file(local_boundary_file(config), cfg, label)
    table = study_table(raw.drop(columns="geometry"), cfg, config["units"], label)
    gdf = prepare_boundaries(
        raw,
        cfg["id_column"],
        table,
        crs,
        (label, label),
        repair=cfg["repair"],
        tolerance_m2=cfg["topology_tolerance_m2"],
    )
    return table, gdf


def unit_table(tmp_path, text: str) -> str:
    path = tmp_path / "unit_table.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


# 1. Unit attributes from the polygon file ---------------------------------------------------


def test_attributes_give_the_unit_table(tmp_path):
    config = study(tmp_path, polygons())
    table = study_units(config)
    label = f"units.gpkg (registry {config['registry']}, dataset boundaries)"
    assert table.to_dict("list") == {
        "unit_id": CODES,
        "name": NAMES,
        "name_zh": NAMES,
        "mfa_class": CLASS_KEYS,
        "source": [label] * 3,
        "confidence": ["as given in the boundary file"] * 3,
    }
    job_table, _ = prepare(config)
    pd.testing.assert_frame_equal(job_table, table)


def test_unit_table_overrides_and_completes_the_attributes(tmp_path, caplog):
    table = unit_table(
        tmp_path,
        "unit_id,name,mfa_class,source,confidence\n"
        "0411002,,provincial_key_ecological,planning document 2016,V\n"
        "0411003,Bing County,,,\n",
    )
    config = study(tmp_path, polygons(), table=table)
    with caplog.at_level(logging.INFO, logger="lucarbon"):
        units = study_units(config).set_index("unit_id")
    assert units["mfa_class"].tolist() == [
        "national_key_ecological",
        "provincial_key_ecological",  # the table wins
        "national_key_development",
    ]
    assert units["name"].tolist() == ["甲县", "乙县", "Bing County"]
    assert units.loc["0411002", ["source", "confidence"]].tolist() == [
        "planning document 2016",
        "V",
    ]
    assert units.loc["0411003", "confidence"] == "as given in the boundary file"
    assert "unit 0411002: mfa_class 'agricultural'" in caplog.text
    assert "unit 0411003: name '丙县'" in caplog.text


def test_unit_table_row_without_a_polygon(tmp_path):
    table = unit_table(tmp_path, "unit_id,mfa_class\n0411009,agricultural\n")
    config = study(tmp_path, polygons(), table=table)
    with pytest.raises(InputError, match=r"unit_table\.csv .*unit\(s\) \['0411009'\] without"):
        study_units(config)


def test_name_falls_back_to_the_chinese_name_then_the_code(tmp_path):
    attributes = {"name_zh": "名称", "mfa_class": "主体功能区"}
    config = study(tmp_path, polygons(), attributes=attributes)
    assert study_units(config)["name"].tolist() == NAMES
    config = study(tmp_path, polygons(), attributes={"mfa_class": "主体功能区"})
    units = study_units(config)
    assert units["name"].tolist() == CODES
    assert units["name_zh"].isna().all()


def test_unknown_mfa_class_names_unit_value_and_classes(tmp_path):
    gdf = polygons(主体功能区=["重点开发区", "Agricultural production", "agricultural"])
    with pytest.raises(InputError) as err:
        study_units(study(tmp_path, gdf))
    message = str(err.value)
    for part in ("units.gpkg", "主体功能区", "['重点开发区']", "['0411001']"):
        assert part in message
    assert "national_key_ecological" in message  # the known classes


def test_empty_mfa_class_names_the_unit(tmp_path):
    gdf = polygons(主体功能区=["agricultural", "", None])
    with pytest.raises(InputError, match=r"units\.gpkg.*\['0411002', '0411003'\] have no MFA"):
        study_units(study(tmp_path, gdf))


def test_no_source_of_mfa_classes_is_a_config_error(tmp_path):
    config = study(tmp_path, polygons(), attributes={"name": "名称"})
    with pytest.raises(InputError, match=r"units\.attributes\.mfa_class"):
        study_units(config)


def test_attribute_column_that_is_not_in_the_file(tmp_path):
    config = study(tmp_path, polygons(), attributes={"mfa_class": "MFA"})
    with pytest.raises(InputError, match=r"units\.gpkg.*no attribute column.*'MFA'.*县代码"):
        study_units(config)


def test_dissolve_table_needs_the_unit_table(tmp_path):
    dissolve = tmp_path / "dissolve.csv"
    dissolve.write_text("source_id,unit_id\n0411001,A\n0411002,A\n0411003,B\n")
    config = study(tmp_path, polygons())
    config["boundaries"]["dissolve_table"] = str(dissolve)
    with pytest.raises(InputError, match=r"dissolve_table .*give them in a unit table"):
        study_units(config)


# 2. Codes are strings; leading zeros; duplicates ---------------------------------------------


def test_numeric_code_column_gives_codes_without_decimals(tmp_path):
    config = study(tmp_path, polygons(codes=[411001, 411002, 411003]))
    assert study_units(config)["unit_id"].tolist() == ["411001", "411002", "411003"]


def test_numeric_code_column_lost_leading_zeros(tmp_path):
    table = unit_table(
        tmp_path,
        "unit_id,name,mfa_class,source,confidence\n"
        + "".join(f"{code},{code},agricultural,test,V\n" for code in CODES),
    )
    config = study(tmp_path, polygons(codes=[411001, 411002, 411003]), table=table, attributes={})
    with pytest.raises(InputError) as err:
        study_units(config)
    message = str(err.value)
    assert "lost their leading zeros" in message and "stored as a number" in message
    assert "['411001', '411002', '411003']" in message and "0411001" in message


def test_unit_table_that_lost_leading_zeros(tmp_path):
    table = unit_table(tmp_path, "unit_id,mfa_class\n411002,agricultural\n")
    config = study(tmp_path, polygons(), table=table)
    with pytest.raises(InputError, match=r"unit_table\.csv: codes \['411002'\] lost their"):
        study_units(config)


def test_duplicate_codes_without_a_dissolve_table(tmp_path):
    gdf = polygons(codes=["0411001", "0411002", "0411002"])
    with pytest.raises(
        InputError, match=r"units\.gpkg .*: code\(s\) \['0411002'\] .*more than one"
    ):
        study_units(study(tmp_path, gdf))


# 3. Polygon defects ---------------------------------------------------------------------------


def test_zero_features(tmp_path):
    config = study(tmp_path, polygons().iloc[:0])
    with pytest.raises(InputError, match=r"units\.gpkg .*has no features"):
        study_units(config)


@pytest.mark.filterwarnings("ignore:'crs' was not provided:UserWarning")
def test_no_crs(tmp_path):
    config = study(tmp_path, polygons().set_crs(None, allow_override=True))
    with pytest.raises(InputError, match=r"units\.gpkg .*has no CRS"):
        study_units(config)


def test_empty_geometry(tmp_path):
    config = study(tmp_path, polygons([*lonlat_boxes(2), Polygon()]))
    with pytest.raises(InputError, match=r"units\.gpkg.*\['0411003'\] have an empty geometry"):
        prepare(config)


def test_non_polygon_geometry(tmp_path):
    line = LineString([(113.02, 34.0), (113.03, 34.01)])
    config = study(tmp_path, polygons([*lonlat_boxes(2), line]), name="units.geojson")
    with pytest.raises(InputError, match=r"units\.geojson.*\{'0411003': 'LINESTRING'\} are not"):
        prepare(config)


# A 100 m bow tie in metres: the ring crosses itself at (50, 50). Its two triangles have
# 2 500 m² each; the signed (shoelace) area of the ring is 2 500 − 2 500 = 0.
BOWTIE = Polygon([(0, 0), (100, 100), (100, 0), (0, 100)])
X0, Y0 = 1_000_000.0, 3_800_000.0


def metre_units(first: Polygon) -> gpd.GeoDataFrame:
    """Unit 0411001 = ``first`` shifted to (X0, Y0); 0411002, 0411003 = 100 m squares east."""
    shifted = Polygon([(X0 + x, Y0 + y) for x, y in first.exterior.coords])
    others = [box(X0 + 100 * i, Y0, X0 + 100 * (i + 1), Y0 + 100) for i in (1, 2)]
    return polygons([shifted, *others], crs=ALBERS)


def test_invalid_polygon_is_an_error_by_default(tmp_path):
    config = study(tmp_path, metre_units(BOWTIE))
    with pytest.raises(InputError) as err:
        prepare(config, ALBERS)
    message = str(err.value)
    assert "units.gpkg" in message and "unit 0411001: Self-intersection" in message
    assert "boundaries.repair" in message


def test_repair_that_changes_the_area_beyond_the_tolerance_is_an_error(tmp_path):
    config = study(tmp_path, metre_units(BOWTIE))
    config["boundaries"] |= {"repair": True, "topology_tolerance_m2": 1000}
    with pytest.raises(InputError) as err:
        prepare(config, ALBERS)
    message = str(err.value)
    assert "unit 0411001" in message and "units.gpkg" in message
    assert "0.0 m² (0.0000 ha) → 5000.0 m² (0.5000 ha)" in message


def test_repair_within_the_tolerance_is_reported(tmp_path, capsys):
    config = study(tmp_path, metre_units(BOWTIE))
    config["boundaries"] |= {"repair": True, "topology_tolerance_m2": 10000}
    _, gdf = prepare(config, ALBERS)
    assert gdf.set_index("unit_id").area["0411001"] == pytest.approx(5000.0)
    warning = capsys.readouterr().err
    assert "Warning: " in warning and "unit 0411001" in warning and "repaired" in warning
    assert "0.0 m² (0.0000 ha) → 5000.0 m² (0.5000 ha)" in warning


def test_shapefile_without_declared_encoding(tmp_path):
    config = study(tmp_path, polygons(), name="units.shp", encoding="gbk")
    (tmp_path / "units.cpg").unlink(missing_ok=True)  # a .dbf in GBK with no .cpg
    with pytest.raises(InputError, match=r"units\.shp.*reads as '甲县' in gbk: set boundar"):
        study_units(config)
    config["boundaries"]["encoding"] = "gbk"
    assert study_units(config)["name"].tolist() == NAMES


@pytest.mark.filterwarnings("ignore:Could not decode error message:RuntimeWarning")
def test_shapefile_in_utf8_without_declared_encoding(tmp_path):
    config = study(tmp_path, polygons(), name="units.shp", encoding="utf-8")
    (tmp_path / "units.cpg").unlink(missing_ok=True)
    with pytest.raises(InputError, match=r"units\.shp.*set boundaries\.encoding: utf-8"):
        study_units(config)


def test_undecodable_attributes(tmp_path):
    config = study(tmp_path, polygons(), name="units.shp", encoding="gbk")
    config["boundaries"]["encoding"] = "utf-8"
    with pytest.raises(InputError, match=r"units\.shp.*not utf-8.*set boundaries\.encoding"):
        study_units(config)


def test_remote_boundary_file_with_attributes_is_checked_in_the_job(tmp_path):
    config = study(tmp_path, polygons())
    registry = tmp_path / "registry.csv"
    registry.write_text(registry.read_text().replace("units.gpkg", "https://example.org/u.gpkg"))
    assert study_units(config) is None
    assert boundary_label(config).startswith("https://example.org/u.gpkg (registry ")


# 4. Any CRS -----------------------------------------------------------------------------------


def geodesic_m2(polygon: Polygon) -> float:
    return abs(GEOD.geometry_area_perimeter(polygon)[0])


def test_geographic_units_and_their_area(tmp_path):
    _, gdf = prepare(study(tmp_path, polygons()), LONLAT)
    assert gdf.crs == LONLAT
    expected = sum(geodesic_m2(b) for b in lonlat_boxes()) / 1e4
    assert area_ha(gdf) == pytest.approx(expected, rel=1e-6)


def test_non_equal_area_study_crs_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"config key crs: 'EPSG:3857' .*not an equal-area"):
        prepare(study(tmp_path, polygons()), "EPSG:3857")


def test_equal_area_study_crs_keeps_areas(tmp_path):
    _, gdf = prepare(study(tmp_path, polygons()), ALBERS)
    expected = [geodesic_m2(b) for b in lonlat_boxes()]
    assert gdf.area.tolist() == pytest.approx(expected, rel=1e-6)


# 5. Parse time ----------------------------------------------------------------------------------


def test_the_demo_study_units_come_from_its_unit_table(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "data" / "demo", tmp_path / "data" / "demo")
    shutil.copy(ROOT / "data" / "mfa_classes.csv", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    config = study(tmp_path, polygons())
    config["registry"] = "data/demo/registry_synthetic.csv"
    config["boundaries"]["id_column"] = "unit_id"
    config["units"] = {
        "table": "data/demo/units_synthetic.csv",
        "attributes": {},
        "mfa_column": "mfa_class",
        "mfa_classes": "data/mfa_classes.csv",
    }
    units = study_units(config)
    expected = pd.read_csv("data/demo/units_synthetic.csv", dtype=str)
    assert units["unit_id"].tolist() == sorted(expected["unit_id"])


def test_unknown_layer(tmp_path):
    config = study(tmp_path, polygons())
    config["boundaries"]["layer"] = "counties"
    with pytest.raises(InputError, match=r"units\.gpkg .*no layer 'counties'.*\['units'\]"):
        study_units(config)


def test_not_a_vector_file(tmp_path):
    config = study(tmp_path, polygons())
    (tmp_path / "units.gpkg").write_text("<html>Not found</html>")
    with pytest.raises(InputError, match=r"units\.gpkg .*not a readable vector file"):
        study_units(config)


def test_dissolve_table_merges_features_with_names_from_the_unit_table(tmp_path):
    # Three 100 m squares in metres; the first two make unit A (20 000 m²), the third B.
    gdf = metre_units(box(0, 0, 100, 100))
    dissolve = tmp_path / "dissolve.csv"
    dissolve.write_text("source_id,unit_id\n0411001,A\n0411002,A\n0411003,B\n")
    table = unit_table(
        tmp_path,
        "unit_id,name,mfa_class,source,confidence\nA,City A,国家重点开发区,test,V\n"
        "B,County B,agricultural,test,I\n",
    )
    config = study(tmp_path, gdf, table=table, attributes={})
    config["boundaries"]["dissolve_table"] = str(dissolve)
    units = study_units(config)
    assert units["mfa_class"].tolist() == ["national_key_development", "agricultural"]
    raw = read_boundary_file(tmp_path / "units.gpkg", config["boundaries"], "units.gpkg")
    merged = prepare_boundaries(
        raw, "县代码", units, ALBERS, dissolve={"0411001": "A", "0411002": "A", "0411003": "B"}
    )
    assert merged["unit_id"].tolist() == ["A", "B"]
    assert merged.area.tolist() == pytest.approx([20_000.0, 10_000.0])
