"""End to end on the SYNTHETIC geographic-CRS CNLUCC example (config/example_geo_cnlucc.yaml):
EPSG:4326 land cover with nodata 255, attributes in the polygons, a GBK wide statistics table
in yearbook units. Expected numbers are worked out here from the user's own files: pixel
centres in the polygons (shapely), exact ellipsoidal pixel-row areas and geodesic polygon
areas (pyproj.Geod), and the formulas of docs/method.md with the unit conversions by hand."""

from __future__ import annotations

import subprocess
import sys

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely
from pyproj import Geod

from conftest import exact_row_pixel_ha
from synthetic import demo as syn
from synthetic import geo_study as geo
from workflow_helpers import ROOT, copy_project, snakemake

CONFIG = "config/example_geo_cnlucc.yaml"
STUDY = "example_geo_cnlucc"
DATA = "data/examples/geo_cnlucc"
YEARS = (2000, 2010, 2020)
GEOD = Geod(ellps="WGS84")
M2_PER_HA = 1e4
UNIT, YEAR = "0411004", 2010  # the city unit: every component of the budget is non-zero
# Yearbook names and units of the example's tables, translated by hand.
FUELS = {
    "原煤": "raw_coal",
    "焦炭": "coke",
    "汽油": "gasoline",
    "柴油": "diesel",
    "天然气": "natural_gas",
}
TO_KG_OR_M3 = {"万吨": 1e7, "亿立方米": 1e8}
CROPS = {"peanut (oil crops)": "peanut"}
YI_YUAN_IN_10K_YUAN = 1e4  # 1 亿元 = 10^8 yuan = 10^4 × 10^4 yuan
WAN_REN_IN_PERSONS = 1e4


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """One full run of the example in a copy of the project."""
    workdir = copy_project(tmp_path_factory.mktemp("geo_cnlucc"))
    snakemake(workdir, "--configfile", CONFIG)
    return workdir


@pytest.fixture(scope="module")
def units(project):
    return gpd.read_file(project / DATA / "units_SYNTHETIC.gpkg").set_index("县代码")


def table(project, name: str) -> pd.DataFrame:
    return pd.read_csv(project / f"results/{STUDY}/tables/{name}.csv", dtype={"unit_id": str})


def geodesic_pixel_ha(transform, row: int) -> float:
    """Area (ha) of one pixel of ``row`` as pyproj.Geod computes a polygon's area."""
    lon0, lon1 = transform.c, transform.c + transform.a
    top, bottom = transform.f + row * transform.e, transform.f + (row + 1) * transform.e
    area, _ = GEOD.polygon_area_perimeter([lon0, lon1, lon1, lon0], [top, top, bottom, bottom])
    return abs(area) / M2_PER_HA


def test_exact_row_areas_agree_with_geodesic_polygon_areas():
    """The quadrature against pyproj.Geod for every row. Geod joins the corners by geodesics,
    which bow poleward of the parallels bounding a pixel: its cell is larger by ~(Δλ)²
    (1e-8 relative at 0.1°, 1e-10 at 0.01°, ~7e-12 at 0.0025°), and its area of a ~6 ha
    cell also carries ~1e-11 rounding noise (a small difference of large terms). So Geod
    is the cross-check here, and the exact reference for 1e-12 is the quadrature."""
    with rasterio.open(ROOT / DATA / "landcover_SYNTHETIC_2000.tif") as src:
        transform, height = src.transform, src.height
    exact = exact_row_pixel_ha(transform, height)
    geodesic = [geodesic_pixel_ha(transform, row) for row in range(height)]
    np.testing.assert_allclose(geodesic, exact, rtol=5e-11, atol=0)


@pytest.fixture(scope="module")
def expected_areas(project, units) -> pd.DataFrame:
    """unit_id, year, landuse, area_ha: pixels whose centre lies in the polygon, by land-use
    type of the reclass table, times the exact ellipsoidal area of the pixel's row."""
    reclass = pd.read_csv(project / "data/reclass/cnlucc_to_landuse.csv")
    landuse_of = dict(zip(reclass["code"], reclass["landuse"], strict=True))
    rows = []
    for year in YEARS:
        with rasterio.open(project / DATA / f"landcover_SYNTHETIC_{year}.tif") as src:
            cover, transform = src.read(1), src.transform
        row_ha = exact_row_pixel_ha(transform, cover.shape[0])
        cols, rws = np.meshgrid(np.arange(cover.shape[1]), np.arange(cover.shape[0]))
        x, y = transform * (cols + 0.5, rws + 0.5)
        for unit_id, polygon in units.geometry.items():
            inside = shapely.contains_xy(polygon, x, y)
            for code in np.unique(cover[inside]):
                if landuse_of[int(code)] == "nodata":
                    continue
                ha = row_ha[rws[inside & (cover == code)]].sum()
                rows.append((unit_id, year, landuse_of[int(code)], ha))
    df = pd.DataFrame(rows, columns=["unit_id", "year", "landuse", "area_ha"])
    return df.groupby(["unit_id", "year", "landuse"])["area_ha"].sum()


@pytest.mark.workflow
def test_areas_equal_pixel_centre_counts_times_exact_row_areas(project, expected_areas):
    areas = table(project, "landuse_area").set_index(["unit_id", "year", "landuse"])["area_ha"]
    areas = areas[areas > 0]
    assert sorted(areas.index) == sorted(expected_areas.index)
    np.testing.assert_allclose(areas.loc[expected_areas.index], expected_areas, rtol=1e-12, atol=0)


@pytest.mark.workflow
def test_unit_totals_match_geodesic_polygon_areas(project, units):
    areas = table(project, "landuse_area")
    half_pixel_m = GEOD.inv(113.0, 34.45, 113.0, 34.45 + 0.0025)[2] / 2  # the longer side
    for unit_id, polygon in units.geometry.items():
        area_m2, perimeter_m = GEOD.geometry_area_perimeter(polygon)
        for year in YEARS:
            mine = areas[(areas["unit_id"] == unit_id) & (areas["year"] == year)]
            total = mine["area_ha"].sum()
            assert abs(total - abs(area_m2) / M2_PER_HA) <= perimeter_m * half_pixel_m / M2_PER_HA


@pytest.mark.workflow
def test_budget_of_one_unit_year_by_hand(project, expected_areas):
    """Direct fluxes = area × coefficient; construction = the region's fuel carbon shared by
    construction area; crop absorption = c × Y × (1 − w) / h; GDP 亿元 → 10^4 yuan at 2000
    prices; population 万人 → persons."""
    data, coef = project / DATA, project / "data/coefficients"
    a = expected_areas.xs(YEAR, level="year").unstack(fill_value=0.0)
    direct = pd.read_csv(coef / "direct_area_coefficients.csv")
    delta = direct[direct["set"] == "default"].set_index("landuse")["coefficient_tC_per_ha_yr"]
    fuels = pd.read_csv(coef / "fuel_factors.csv").set_index("fuel")
    energy = pd.read_csv(data / "energy_SYNTHETIC.csv", encoding="utf-8-sig")
    fuel_tc = sum(
        r.消费量
        * TO_KG_OR_M3[r.单位]
        * fuels.loc[FUELS[r.能源品种], "standard_coal_kgce_per_unit"]
        / 1000
        * fuels.loc[FUELS[r.能源品种], "carbon_tC_per_tce"]
        for r in energy[energy["年份"] == YEAR].itertuples()
    )
    construction = fuel_tc * a.loc[UNIT, "construction"] / a["construction"].sum()
    emission = a.loc[UNIT, "arable"] * delta["arable"] + construction
    crops = pd.read_csv(coef / "crop_parameters.csv").set_index("crop")
    yields = pd.read_csv(data / "crop_yield_SYNTHETIC.csv", dtype={"县代码": str})
    mine = yields[(yields["县代码"] == UNIT) & (yields["年份"] == YEAR)]
    crop = 0.0
    for name, tonnes in zip(mine["作物"], mine["产量(吨)"], strict=True):
        p = crops.loc[CROPS.get(name, name)]
        crop += p["carbon_fraction"] * tonnes * (1 - p["water_content"]) / p["harvest_index"]
    sinks = ("forest", "grassland", "water", "unused")
    absorption = -sum(a.loc[UNIT].get(k, 0.0) * delta[k] for k in sinks) + crop
    county = pd.read_csv(data / "county_statistics_SYNTHETIC.csv", encoding="gbk", dtype=str)
    stats = county[(county["县代码"] == UNIT) & (county["年份"] == str(YEAR))].iloc[0]
    deflator = pd.read_csv(data / "gdp_deflator_SYNTHETIC.csv").set_index("年份").iloc[:, 0]
    gdp = float(stats["地区生产总值(亿元)"]) * YI_YUAN_IN_10K_YUAN
    gdp_2000 = gdp * deflator[2000] / deflator[YEAR]
    persons = float(stats["年末常住人口(万人)"]) * WAN_REN_IN_PERSONS

    budget = table(project, "carbon_budget").set_index(["unit_id", "year"]).loc[(UNIT, YEAR)]
    assert budget["emission_construction_tC"] == pytest.approx(construction, rel=1e-12)
    assert budget["emission_tC"] == pytest.approx(emission, rel=1e-12)
    assert budget["absorption_tC"] == pytest.approx(absorption, rel=1e-12)
    assert budget["net_emission_tC"] == pytest.approx(emission - absorption, rel=1e-12)
    assert budget["emission_intensity_gdp_tC_per_10k_yuan"] == pytest.approx(
        emission / gdp_2000, rel=1e-12
    )
    assert budget["emission_per_capita_tC_per_person"] == pytest.approx(
        emission / persons, rel=1e-12
    )


@pytest.mark.workflow
def test_engel_coefficient_in_percent_drives_the_payment_ability(project):
    """R = 1 / (1 + e^−(1/En − 3)) with En the table's percent / 100 (method.md section 6)."""
    county = pd.read_csv(
        project / DATA / "county_statistics_SYNTHETIC.csv", encoding="gbk", dtype={"县代码": str}
    )
    engel = county.set_index(["县代码", "年份"])["恩格尔系数(%)"] / 100
    comp = table(project, "compensation").set_index(["unit_id", "year"])
    ratio = comp["value_modified_yuan"] / comp["value_yuan"]
    expected = 1 / (1 + np.exp(-(1 / engel.loc[ratio.index].to_numpy() - 3)))
    np.testing.assert_allclose(ratio.to_numpy(), expected, rtol=1e-12)


@pytest.mark.workflow
def test_every_unit_year_has_a_budget_and_units_keep_their_codes(project, units):
    budget = table(project, "carbon_budget")
    assert sorted(set(budget["unit_id"])) == sorted(units.index)
    assert all(code.startswith("0") for code in budget["unit_id"])
    assert len(budget) == len(units) * len(YEARS)


def test_perturbed_grid_cells_tile_their_bounds():
    """Neighbours share their edge arrays, so the cells are a valid coverage of the box."""
    rng = np.random.default_rng(1)
    cells = geo.perturbed_grid_cells((0.0, 0.0, 30.0, 20.0), 3, 2, 0.2, 1.5, rng)
    polygons = np.array([shapely.Polygon(np.vstack([e[:-1] for e in c])) for c in cells])
    assert shapely.is_valid(polygons).all() and shapely.coverage_is_valid(polygons)
    assert shapely.area(polygons).sum() == pytest.approx(600.0, rel=1e-12)
    geo.check_tiling(polygons, shapely.box(0, 0, 30, 20), 1e-9)


def test_check_tiling_refuses_a_gap():
    left, right = shapely.box(0, 0, 1, 1), shapely.box(1.1, 0, 2, 1)
    with pytest.raises(RuntimeError, match="do not tile"):
        geo.check_tiling(np.array([left, right]), shapely.box(0, 0, 2, 1), 1e-9)


def test_compose_year_paints_layers_in_order():
    base = np.full((2, 2), geo.DRY_LAND, dtype=np.uint8)
    first = np.array([[True, True], [False, False]])
    second = np.array([[True, False], [False, False]])
    cover = geo.compose_year(base, [(geo.RURAL, first), (geo.URBAN, second)])
    assert cover.tolist() == [[geo.URBAN, geo.RURAL], [geo.DRY_LAND, geo.DRY_LAND]]


def test_engel_percent_weights_urban_and_rural_by_urbanisation():
    table = pd.DataFrame({"engel_urban": [0.3], "engel_rural": [0.5], "urbanization_rate": [0.25]})
    assert geo.engel_percent(table).iloc[0] == pytest.approx(100 * (0.25 * 0.3 + 0.75 * 0.5))


def test_energy_table_reproduces_the_emission():
    emission = {2000: 1e6, 2020: 3e6}
    shares = {"原煤": (0.9, 0.5), "天然气": (0.1, 0.5)}
    tc = {"原煤": 5000.0, "天然气": 40000.0}
    units = {"原煤": "万吨", "天然气": "亿立方米"}
    table = syn.energy_table(emission, tc, np.random.default_rng(0), shares, units)
    assert table.loc[table["fuel"] == "天然气", "unit"].eq("亿立方米").all()
    carbon = (table["amount"] * table["fuel"].map(tc)).groupby(table["year"]).sum()
    assert carbon.to_dict() == pytest.approx(emission, rel=1e-4)  # amounts have 2 decimals


def test_generator_reproduces_the_committed_example_byte_for_byte(tmp_path):
    """tools/make_example_geo_study.py with its default seed rewrites every committed file of
    data/examples/geo_cnlucc/ (except the hand-written README) with the same bytes."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools/make_example_geo_study.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    committed = sorted(p.name for p in (ROOT / DATA).iterdir() if p.name != "README.md")
    assert sorted(p.name for p in tmp_path.iterdir()) == committed, result.stdout
    for name in committed:
        assert (tmp_path / name).read_bytes() == (ROOT / DATA / name).read_bytes(), name
