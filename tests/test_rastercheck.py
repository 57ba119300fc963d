"""Raster defects caught before heavy work, each named by the user's own file (its label)."""

import dataclasses
import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from rasterio.transform import from_origin
from shapely.geometry import box

from conftest import ALBERS, ROOT, X0, Y0, one_pass, pixel_box, write_raster
from lucarbon.core.io import InputError
from lucarbon.raster.checks import (
    CodeCounter,
    StudyUnits,
    check_landcover,
    check_local_landcover,
    read_study_units,
    source_label,
    unit_extents,
)
from lucarbon.raster.clip import study_window
from lucarbon.raster.landuse import read_landuse_types, read_reclass
from lucarbon.raster.unitgrid import grid_of

LABEL = "landcover/lc_2000.tif (registry data/x/registry.csv, dataset landcover, year 2000)"
FIRST = "landcover/lc_1990.tif (registry data/x/registry.csv, dataset landcover, year 1990)"
TYPES = read_landuse_types(ROOT / "data/landuse_types.csv")
CNLUCC = read_reclass(ROOT / "data/reclass/cnlucc_to_landuse.csv")
GEO_PIXEL = 0.0025
GEO_ORIGIN = (113.0, 34.02)  # upper-left corner (lon, lat) of the geographic test rasters


def units_on(col0, row0, col1, row1, crs=ALBERS):
    """One unit 'U1' covering pixel columns col0..col1 and rows row0..row1 of the 10 m grid."""
    return gpd.GeoDataFrame(
        {"unit_id": ["U1"]}, geometry=[pixel_box(col0, row0, col1, row1)], crs=crs
    )


def check(path, units, crs=ALBERS, nodata=None, first=None):
    return check_landcover(str(path), LABEL, crs, nodata, StudyUnits.of(units), first)


def test_label_is_the_registry_url_as_written():
    registry = pd.DataFrame(
        {"dataset": ["landcover"], "year": pd.array([2000], dtype="Int64"), "url": ["lc.tif"]}
    )
    label = source_label(registry, "data/x/registry.csv", "landcover", 2000)
    assert label == "lc.tif (registry data/x/registry.csv, dataset landcover, year 2000)"
    zipped = source_label(registry, "r.csv", "landcover", 2000, "*henan*.tif")
    assert zipped.endswith("year 2000, member matching '*henan*.tif')")


def test_a_good_raster_passes_and_gives_its_nodata_value(tmp_path):
    raster = write_raster(tmp_path / "raw_2000.tif", np.ones((6, 6)), nodata=255)
    found = check(raster, units_on(0, 0, 6, 6))
    assert found["nodata"] == 255 and found["dtype"] == "uint8"
    assert found["covered_percent"] == {"U1": pytest.approx(100)}


def test_truncated_raster_names_the_users_file_not_the_copy(tmp_path):
    data = np.arange(512 * 512).reshape(512, 512) % 7
    with rasterio.open(
        tmp_path / "full.tif",
        "w",
        driver="GTiff",
        width=512,
        height=512,
        count=1,
        dtype="uint8",
        crs=ALBERS,
        transform=from_origin(X0, Y0, 10, 10),
        nodata=0,
        tiled=True,
        blockxsize=256,
        blockysize=256,
        compress="DEFLATE",
    ) as dst:
        dst.write(data.astype("uint8"), 1)
    content = (tmp_path / "full.tif").read_bytes()
    (tmp_path / "raw_2000.tif").write_bytes(content[: int(len(content) * 0.9)])
    with pytest.raises(InputError, match=r"lc_2000\.tif .*year 2000\): truncated") as err:
        check(tmp_path / "raw_2000.tif", units_on(0, 0, 6, 6))
    assert "raw_2000" not in str(err.value)


def test_a_non_raster_file_is_refused(tmp_path):
    (tmp_path / "raw_2000.tif").write_text("<html><body>404 Not Found</body></html>")
    with pytest.raises(InputError, match=r"lc_2000\.tif .*: not a raster GDAL can read") as err:
        check(tmp_path / "raw_2000.tif", units_on(0, 0, 6, 6))
    assert "raw_2000" not in str(err.value)


def test_missing_crs_is_refused(tmp_path):
    raster = write_raster(tmp_path / "raw.tif", np.ones((6, 6)), crs=None)
    with pytest.raises(InputError, match=r"lc_2000\.tif .*: the raster has no CRS"):
        check(raster, units_on(0, 0, 6, 6))


def test_crs_other_than_the_configs_is_refused(tmp_path):
    raster = write_raster(tmp_path / "raw.tif", np.ones((6, 6)))
    other = ALBERS.replace("+lon_0=105", "+lon_0=110")
    with pytest.raises(InputError, match=r"lc_2000\.tif .*differs from the config's crs"):
        check(raster, units_on(0, 0, 6, 6, crs=other), crs=other)


def test_the_same_crs_written_another_way_is_accepted(tmp_path):
    transform = from_origin(*GEO_ORIGIN, GEO_PIXEL, GEO_PIXEL)
    raster = write_raster(tmp_path / "raw.tif", np.ones((4, 4)), "EPSG:4326", 255, transform)
    unit = gpd.GeoDataFrame(
        {"unit_id": ["U1"]}, geometry=[box(113.0, 34.01, 113.01, 34.02)], crs="EPSG:4326"
    )
    found = check(raster, unit, crs="+proj=longlat +datum=WGS84 +no_defs")
    assert found["covered_percent"]["U1"] == pytest.approx(100)


def test_nodata_from_the_config_when_the_file_has_none(tmp_path):
    raster = write_raster(tmp_path / "raw.tif", np.ones((6, 6)), nodata=None)
    with pytest.raises(InputError, match=r"lc_2000\.tif .*declares no nodata.*landcover\.nodata"):
        check(raster, units_on(0, 0, 6, 6))
    assert check(raster, units_on(0, 0, 6, 6), nodata=255)["nodata"] == 255


def test_nodata_of_file_and_config_must_agree(tmp_path):
    raster = write_raster(tmp_path / "raw.tif", np.ones((6, 6)), nodata=255)
    assert check(raster, units_on(0, 0, 6, 6), nodata=255)["nodata"] == 255
    with pytest.raises(InputError, match=r"nodata value is 255 but landcover\.nodata .* is 0"):
        check(raster, units_on(0, 0, 6, 6), nodata=0)


@pytest.mark.parametrize(("dtype", "kind"), [("float32", "non-integer"), ("int32", "integer")])
def test_rasters_not_of_uint8_or_uint16_are_refused(tmp_path, dtype, kind):
    raster = write_raster(tmp_path / "raw.tif", np.ones((6, 6)), dtype=dtype)
    with pytest.raises(InputError, match=rf"lc_2000\.tif .*: data type {dtype} \({kind}\)"):
        check(raster, units_on(0, 0, 6, 6))


def test_partial_and_missing_coverage_state_each_units_share(tmp_path):
    raster = write_raster(tmp_path / "raw.tif", np.ones((6, 6)))
    units = gpd.GeoDataFrame(
        {"unit_id": ["inside", "half", "outside"]},
        # 'half' spans columns 4..8 of a 6-column raster: half of it is outside.
        geometry=[pixel_box(0, 0, 2, 6), pixel_box(4, 0, 8, 6), pixel_box(20, 0, 22, 6)],
        crs=ALBERS,
    )
    with pytest.raises(InputError, match=r"lc_2000\.tif .*does not cover 2 of 3") as err:
        check(raster, units)
    assert "half 50.0 %, outside 0.0 %" in str(err.value)
    assert "inside" not in str(err.value).split("inside it:")[1]


def test_a_unit_overhanging_by_less_than_half_a_pixel_is_covered(tmp_path):
    raster = write_raster(tmp_path / "raw.tif", np.ones((6, 6)))
    found = check(raster, units_on(-0.4, 0, 6.4, 6))  # 0.4 pixel beyond both side edges
    assert found["covered_percent"]["U1"] == pytest.approx(100 * 6 / 6.8)
    with pytest.raises(InputError, match=r"U1 78\.9 %"):  # 6 / 7.6: 0.8 pixel beyond each side
        check(raster, units_on(-0.8, 0, 6.8, 6))


def test_saved_extents_read_the_polygons_only_for_a_unit_leaving_the_raster(tmp_path):
    units = gpd.GeoDataFrame(
        {"unit_id": ["in", "edge"]}, geometry=[pixel_box(0, 0, 2, 6), pixel_box(4, 0, 8, 6)],
        crs=ALBERS,
    )  # fmt: skip
    units.to_file(tmp_path / "units.gpkg")
    (tmp_path / "extents.json").write_text(json.dumps(unit_extents(units)))
    study = read_study_units(tmp_path / "extents.json", tmp_path / "units.gpkg")
    wide = write_raster(tmp_path / "wide.tif", np.ones((6, 8)))
    unread = dataclasses.replace(study, polygons=lambda: pytest.fail("polygons read"))
    found = check_landcover(str(wide), LABEL, ALBERS, None, unread)
    assert found["covered_percent"] == {"in": 100.0, "edge": 100.0}
    narrow = write_raster(tmp_path / "narrow.tif", np.ones((6, 6)))
    with pytest.raises(InputError, match=r"does not cover 1 of 2 .*: edge 50\.0 %\."):
        check_landcover(str(narrow), LABEL, ALBERS, None, study)


def test_pixel_size_must_match_the_first_year(tmp_path):
    first = write_raster(tmp_path / "first.tif", np.ones((6, 6)))
    coarse = tmp_path / "coarse.tif"
    write_raster(coarse, np.ones((3, 3)), transform=from_origin(X0, Y0, 20, 20))
    with pytest.raises(InputError, match=r"pixel size 20 x 20 differs from 10 x 10 .*lc_1990"):
        check(coarse, units_on(0, 0, 6, 6), first=(str(first), FIRST))


def test_grid_must_be_aligned_with_the_first_year(tmp_path):
    first = write_raster(tmp_path / "first.tif", np.ones((6, 6)))
    shifted = tmp_path / "shifted.tif"
    write_raster(shifted, np.ones((8, 8)), transform=from_origin(X0 - 15, Y0 + 10, 10, 10))
    with pytest.raises(InputError, match=r"shifted by \(0\.5, 0\) of a pixel .*lc_1990"):
        check(shifted, units_on(0, 0, 6, 6), first=(str(first), FIRST))
    # A larger extent on the same grid (whole pixels away) is fine.
    larger = tmp_path / "larger.tif"
    write_raster(larger, np.ones((8, 8)), transform=from_origin(X0 - 20, Y0 + 10, 10, 10))
    check(larger, units_on(0, 0, 6, 6), first=(str(first), FIRST))


def test_unmapped_codes_are_listed_with_pixel_counts_and_the_table():
    counter = CodeCounter("uint8", 255)
    codes = np.array([[11, 13, 13, 255], [21, 99, 70, 70]])
    inside = np.array([[True, True, True, True], [True, True, True, False]])
    counter.add(codes, inside)
    assert counter.present() == {11: 1, 13: 2, 21: 1, 70: 1, 99: 1, 255: 1}
    with pytest.raises(
        InputError,
        match=r"lc_2000\.tif .*: land-cover code\(s\) 13 \(2 pixels\), 70 \(1 pixels\)"
        r" inside the study units are not in the reclass table cnlucc\.csv",
    ):
        counter.check(CNLUCC, TYPES, "cnlucc.csv", LABEL)


def test_codes_mapped_to_nodata_and_the_nodata_value_are_fine():
    counter = CodeCounter("uint8", 255)
    counter.add(np.array([[11, 99, 255]]), np.ones((1, 3), dtype=bool))  # 99 sea → nodata
    counter.check(CNLUCC, TYPES, "cnlucc.csv", LABEL)


def test_a_table_mapping_the_nodata_value_to_a_type_is_refused():
    counter = CodeCounter("uint8", 11)
    counter.add(np.array([[11, 12]]), np.ones((1, 2), dtype=bool))
    with pytest.raises(InputError, match=r"cnlucc\.csv: code 11 is the nodata value of .*arable"):
        counter.check(CNLUCC, TYPES, "cnlucc.csv", LABEL)


def clip(raster, units, dst, reclass, nodata, reclass_path="cnlucc.csv"):
    """The workflow's one pass (unit grid of the study window, clip + reclassify)."""
    with rasterio.open(raster) as src:
        grid = grid_of(src, units.geometry.values, study_window(src, units.total_bounds))
    return one_pass(raster, grid, dst, reclass, TYPES, reclass_path, nodata, LABEL)


def test_clip_refuses_unmapped_codes_inside_units_and_writes_nothing(tmp_path):
    data = np.full((6, 6), 11)
    data[0, 0], data[5, 5] = 13, 14  # 13 inside the unit, 14 outside it
    raster = write_raster(tmp_path / "raw.tif", data, nodata=255)
    units = units_on(0, 0, 3, 6)
    with pytest.raises(InputError, match=r"code\(s\) 13 \(1 pixels\) inside") as err:
        clip(raster, units, tmp_path / "landuse.tif", CNLUCC, 255)
    assert "14" not in str(err.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw.tif"]
    data[0, 0] = 12
    write_raster(raster, data, nodata=255)
    areas = clip(raster, units, tmp_path / "landuse.tif", CNLUCC, 255)
    # 11 and 12 (paddy and dry land) are arable, code 1: 18 pixels of 0.01 ha.
    np.testing.assert_allclose(areas, [[0, 0.18, 0, 0, 0, 0, 0]])
    with rasterio.open(tmp_path / "landuse.tif") as out:
        assert out.read(1).tolist() == [[1, 1, 1]] * 6  # the study window: the unit's columns


def test_clip_reads_a_16_bit_product_and_its_nodata(tmp_path):
    data = np.full((6, 6), 300)
    data[0, 0] = 65535  # nodata inside the unit
    data[:, 4:] = 7  # outside the unit: an unmapped code that does not matter
    raster = write_raster(tmp_path / "raw.tif", data, nodata=65535, dtype="uint16")
    table = pd.DataFrame({"code": [300], "class_name": ["a"], "landuse": ["water"]})
    areas = clip(raster, units_on(0, 0, 3, 6), tmp_path / "landuse.tif", table, 65535, "u16.csv")
    np.testing.assert_allclose(areas, [[0.01, 0, 0, 0, 0.17, 0, 0]])  # water is code 4
    with rasterio.open(tmp_path / "landuse.tif") as out:
        assert out.dtypes[0] == "uint8" and out.nodata == 0
        assert out.read(1).tolist() == [[0, 4, 4]] + [[4, 4, 4]] * 5


def parse_time_study(tmp_path, nodata=None, crs="EPSG:4326"):
    """A registry with two local geographic rasters (the second given by the test)."""
    transform = from_origin(*GEO_ORIGIN, GEO_PIXEL, GEO_PIXEL)
    write_raster(tmp_path / "lc_1990.tif", np.ones((4, 4)), "EPSG:4326", 255, transform)
    (tmp_path / "registry.csv").write_text(
        "dataset,version,year,url,md5,licence,citation\n"
        "landcover,v1,1990,lc_1990.tif,0,x,x\n"
        "landcover,v1,2000,lc_2000.tif,0,x,x\n"
    )
    return {
        "registry": str(tmp_path / "registry.csv"),
        "years": [1990, 2000],
        "crs": crs,
        "landcover": {"dataset": "landcover", "mode": "file", "nodata": nodata},
    }


def test_parse_time_checks_read_headers_of_local_files(tmp_path):
    config = parse_time_study(tmp_path)
    shifted = from_origin(GEO_ORIGIN[0] + GEO_PIXEL / 2, GEO_ORIGIN[1], GEO_PIXEL, GEO_PIXEL)
    write_raster(tmp_path / "lc_2000.tif", np.ones((4, 4)), "EPSG:4326", 255, shifted)
    with pytest.raises(
        InputError,
        match=r"lc_2000\.tif \(registry .*registry\.csv, dataset "
        r"landcover, year 2000\): its pixel grid is shifted by \(0\.5, 0\)",
    ):
        check_local_landcover(config)
    aligned = from_origin(*GEO_ORIGIN, GEO_PIXEL, GEO_PIXEL)
    write_raster(tmp_path / "lc_2000.tif", np.ones((4, 4)), "EPSG:4326", None, aligned)
    with pytest.raises(InputError, match=r"lc_2000\.tif .*declares no nodata"):
        check_local_landcover(config)
    check_local_landcover(parse_time_study(tmp_path, nodata=255))
    with pytest.raises(InputError, match=r"lc_1990\.tif .*differs from the config's crs"):
        check_local_landcover(parse_time_study(tmp_path, nodata=255, crs=ALBERS))


def test_parse_time_refuses_a_projection_that_is_not_equal_area(tmp_path):
    # UTM zone 49N (transverse Mercator, scale 0.9996 on the central meridian): pixel areas
    # would be off by about 0.08 % or more, so the config's crs is refused before any job.
    config = parse_time_study(tmp_path, crs="EPSG:32649")
    utm = from_origin(500_000, 3_800_000, 30, 30)
    for year in (1990, 2000):
        write_raster(tmp_path / f"lc_{year}.tif", np.ones((4, 4)), "EPSG:32649", 0, utm)
    with pytest.raises(InputError, match=r"config key crs: 'EPSG:32649' .*not an equal-area"):
        check_local_landcover(config)
