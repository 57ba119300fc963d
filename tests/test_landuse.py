"""Reclassification of land-cover codes into land-use types."""

import numpy as np
import pandas as pd
import pytest
import rasterio

from conftest import ROOT, write_raster
from lucarbon.io import InputError
from lucarbon.landuse import build_lookup, read_landuse_types, reclassify_raster

TYPES = read_landuse_types(ROOT / "data/landuse_types.csv")
CLCD = pd.read_csv(ROOT / "data/reclass/clcd_to_landuse.csv")


def test_clcd_codes_map_to_the_usual_six_types(tmp_path):
    src = write_raster(tmp_path / "clcd.tif", np.array([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]))
    dst = tmp_path / "lu.tif"
    reclassify_raster(src, dst, build_lookup(CLCD, TYPES, "clcd.csv"))
    with rasterio.open(dst) as out:
        # arable=1 forest=2 grassland=3 water=4 construction=5 unused=6 (data/landuse_types.csv)
        assert out.read(1).tolist() == [[0, 1, 2, 2, 3, 4, 6, 6, 5, 4]]
        assert out.nodata == 0


def test_unknown_code_names_code_and_file_and_leaves_nothing(tmp_path):
    src = write_raster(tmp_path / "clcd.tif", np.array([[1, 2, 11, 5, 42]]))
    dst = tmp_path / "lu.tif"
    with pytest.raises(InputError, match=r"clcd\.tif.*\[11, 42\].*table\.csv"):
        reclassify_raster(src, dst, build_lookup(CLCD, TYPES, "table.csv"), "table.csv")
    assert list(tmp_path.iterdir()) == [src]


def test_code_mapped_to_nodata_is_allowed(tmp_path):
    table = pd.concat([CLCD, pd.DataFrame([{"code": 11, "landuse": "nodata"}])])
    src = write_raster(tmp_path / "clcd.tif", np.array([[1, 11]]))
    reclassify_raster(src, tmp_path / "lu.tif", build_lookup(table, TYPES, "t.csv"))
    with rasterio.open(tmp_path / "lu.tif") as out:
        assert out.read(1).tolist() == [[1, 0]]


def test_unknown_landuse_name_in_table_is_reported_with_row():
    table = CLCD.copy()
    table.loc[3, "landuse"] = "grass"
    with pytest.raises(InputError, match=r"t\.csv: row 5, column 'landuse': 'grass'"):
        build_lookup(table, TYPES, "t.csv")
