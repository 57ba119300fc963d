"""Reclassification of land-cover codes into land-use types."""

import numpy as np
import pandas as pd
import pytest
import rasterio
from rasterio.windows import Window
from shapely.geometry import box

from conftest import ROOT, one_pass, write_raster
from lucarbon.core.io import InputError
from lucarbon.raster.landuse import build_lookup, read_landuse_types, read_reclass
from lucarbon.raster.unitgrid import grid_of

TYPES = read_landuse_types(ROOT / "data/landuse_types.csv")
CLCD = read_reclass(ROOT / "data/reclass/clcd_to_landuse.csv")


def reclassify_raster(src, dst, reclass, types, reclass_path):
    """The workflow's one pass over the whole of ``src`` taken as one unit."""
    with rasterio.open(src) as raster:
        grid = grid_of(raster, [box(*raster.bounds)], Window(0, 0, raster.width, raster.height))
        nodata = int(raster.nodata)
    return one_pass(src, grid, dst, reclass, types, reclass_path, nodata, str(src))


def test_clcd_codes_map_to_the_usual_six_types(tmp_path):
    src = write_raster(tmp_path / "clcd.tif", np.array([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]))
    dst = tmp_path / "lu.tif"
    reclassify_raster(src, dst, CLCD, TYPES, "clcd.csv")
    with rasterio.open(dst) as out:
        # arable=1 forest=2 grassland=3 water=4 construction=5 unused=6 (data/landuse_types.csv)
        assert out.read(1).tolist() == [[0, 1, 2, 2, 3, 4, 6, 6, 5, 4]]
        assert out.nodata == 0


def test_unknown_code_names_code_and_file_and_leaves_nothing(tmp_path):
    src = write_raster(tmp_path / "clcd.tif", np.array([[1, 2, 11, 5, 42]]))
    dst = tmp_path / "lu.tif"
    with pytest.raises(
        InputError,
        match=r"clcd\.tif: land-cover code\(s\) 11 \(1 pixels\), 42 \(1 pixels\).*table\.csv",
    ):
        reclassify_raster(src, dst, CLCD, TYPES, "table.csv")
    assert list(tmp_path.iterdir()) == [src]


def test_code_mapped_to_nodata_is_allowed(tmp_path):
    table = pd.concat([CLCD, pd.DataFrame([{"code": 11, "landuse": "nodata"}])])
    src = write_raster(tmp_path / "clcd.tif", np.array([[1, 11]]))
    reclassify_raster(src, tmp_path / "lu.tif", table, TYPES, "t.csv")
    with rasterio.open(tmp_path / "lu.tif") as out:
        assert out.read(1).tolist() == [[1, 0]]


def test_unknown_landuse_name_in_table_is_reported_with_row():
    table = CLCD.copy()
    table.loc[3, "landuse"] = "grass"
    with pytest.raises(InputError, match=r"t\.csv: row 5, column 'landuse': 'grass'"):
        build_lookup(table, TYPES, "t.csv")


RECLASS = ROOT / "data/reclass"
PRODUCT_CODES = {
    "clcd": set(range(1, 10)),
    "cnlucc": {11, 12, 21, 22, 23, 24, 31, 32, 33, 41, 42, 43, 44, 45, 46, 51, 52, 53}
    | set(range(61, 68))
    | {99},
    "globeland30": {10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 255},
    "worldcover": {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 100},
}
# Mappings that are a judgement (the studies differ), so marked [I] in the tables.
JUDGEMENT = {
    "cnlucc": {44, 45, 46, 64, 99},
    "globeland30": {40, 50, 70, 100},
    "worldcover": {20, 60, 70, 90, 95, 100},
}


@pytest.mark.parametrize("product", sorted(PRODUCT_CODES))
def test_shipped_reclass_tables_cover_the_products_codes_with_sources(product):
    path = RECLASS / f"{product}_to_landuse.csv"
    table = read_reclass(path)
    assert set(table["code"]) == PRODUCT_CODES[product]
    lookup = build_lookup(table, TYPES, path)  # every land-use name is known
    assert (lookup[table["code"]] >= 0).all()
    assert table["source"].str.contains(r"\[[VI]\]$").all()
    marked = set(table.loc[table["source"].str.endswith("[I]"), "code"])
    assert JUDGEMENT.get(product, marked) <= marked


def test_cnlucc_codes_map_by_their_first_level_class(tmp_path):
    # CNLUCC (Liu et al. 2014): the tens digit is the first-level class, 1 cropland ...
    # 6 unused land, which are the six types in order; 99 (sea) and 255 (nodata) → 0.
    table = read_reclass(RECLASS / "cnlucc_to_landuse.csv")
    codes = np.array([[11, 12, 21, 24, 33, 43, 44, 53, 64, 67, 99, 255]])
    src = write_raster(tmp_path / "cnlucc.tif", codes, nodata=255)
    reclassify_raster(src, tmp_path / "lu.tif", table, TYPES, "cnlucc.csv")
    with rasterio.open(tmp_path / "lu.tif") as out:
        assert out.read(1).tolist() == [[1, 1, 2, 2, 3, 4, 4, 5, 6, 6, 0, 0]]


def test_nodata_255_is_not_an_unmapped_sentinel(tmp_path):
    # GlobeLand30: nodata 255. And a product whose nodata is 0 may use 255 as a real code.
    table = read_reclass(RECLASS / "globeland30_to_landuse.csv")
    src = write_raster(tmp_path / "gl30.tif", np.array([[10, 20, 255, 100]]), nodata=255)
    reclassify_raster(src, tmp_path / "lu.tif", table, TYPES, "globeland30.csv")
    with rasterio.open(tmp_path / "lu.tif") as out:
        assert out.read(1).tolist() == [[1, 2, 0, 6]]
    custom = pd.DataFrame(
        {"code": [1, 255], "class_name": ["a", "b"], "landuse": ["arable", "forest"]}
    )
    src = write_raster(tmp_path / "own.tif", np.array([[255, 0, 1]]), nodata=0)
    reclassify_raster(src, tmp_path / "lu2.tif", custom, TYPES, "own.csv")
    with rasterio.open(tmp_path / "lu2.tif") as out:
        assert out.read(1).tolist() == [[2, 0, 1]]


def test_a_16_bit_product_is_reclassified(tmp_path):
    table = pd.DataFrame(
        {"code": [300, 1000], "class_name": ["a", "b"], "landuse": ["arable", "water"]}
    )
    src = write_raster(
        tmp_path / "u16.tif", np.array([[300, 1000, 65535]]), nodata=65535, dtype="uint16"
    )
    reclassify_raster(src, tmp_path / "lu.tif", table, TYPES, "u16.csv")
    with rasterio.open(tmp_path / "lu.tif") as out:
        assert out.dtypes[0] == "uint8" and out.nodata == 0
        assert out.read(1).tolist() == [[1, 4, 0]]
    with pytest.raises(InputError, match=r"u16\.tif: land-cover code\(s\) 7 \(1 pixels\) inside"):
        src = write_raster(tmp_path / "u16.tif", np.array([[7, 300]]), nodata=65535, dtype="uint16")
        reclassify_raster(src, tmp_path / "lu.tif", table, TYPES, "u16.csv")


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        ("1\n2.5\n", r"row 3, column 'code': '2\.5' is not a whole number in 0\.\.65535"),
        ("1\nforest\n", r"row 3, column 'code': 'forest' is not a whole number"),
        ("70000\n", r"row 2, column 'code': '70000' is not a whole number"),
        ("1\n1\n", r"code\(s\) \[1\] appear twice"),
    ],
)
def test_bad_reclass_codes_are_named_with_their_row(tmp_path, codes, message):
    rows = "".join(f"{code},x,arable,s\n" for code in codes.split())
    path = tmp_path / "t.csv"
    path.write_text("code,class_name,landuse,source\n" + rows)
    with pytest.raises(InputError, match=rf"t\.csv: {message}"):
        read_reclass(path)
