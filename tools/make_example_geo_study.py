"""Generate the SYNTHETIC geographic-CRS CNLUCC example study deterministically.

Usage: .venv/bin/python tools/make_example_geo_study.py [--out data/examples/geo_cnlucc]
[--seed 20261201]. Same seed, same bytes. Writes land cover (EPSG:4326, 0.0025° pixels, CNLUCC
codes, nodata 255) for 2000, 2010 and 2020, eight county units in a GeoPackage whose attributes
carry the code (县代码, text with leading zeros), a Chinese name and the MFA class in Chinese,
a GBK wide county-year statistics table, energy, crop and deflator tables and a registry.
config/example_geo_cnlucc.yaml runs it. Nothing produced here is real data.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import rasterio
import shapely
from affine import Affine
from rasterio.windows import Window

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow" / "scripts"))

from lucarbon.core.io import atomic_path  # noqa: E402
from lucarbon.raster.blocks import output_profile, pixel_area_ha, rasterize_units  # noqa: E402
from synthetic import demo as syn  # noqa: E402
from synthetic import geo_study as geo  # noqa: E402

CRS = "EPSG:4326"
ORIGIN = (113.0, 34.6)  # upper-left corner (lon, lat)
PIXEL_DEG = 0.0025
SHAPE = (120, 150)  # rows, columns
NOMINAL_PIXEL_M = 250.0  # for the noise correlation lengths only
BORDER_PX = 4  # nodata frame at the raster edge, outside every unit
UNIT_BOUNDS_PX = (6.37, 5.61, 143.42, 114.28)  # x0, y0, x1, y1 (columns, rows), off the grid
UNIT_GRID = (4, 2)  # columns, rows of units
JITTER, EDGE_AMPLITUDE_PX = 0.18, 2.5
DECIMALS = 7  # vertex rounding (degrees)
TILING_TOLERANCE_DEG2 = 1e-7  # what rounding the border vertices may cost (~1000 m²)
YEARS = (2000, 2010, 2020)
CODES = [f"04110{i:02d}" for i in range(1, 9)]  # synthetic codes, text with a leading zero
NAMES = [f"合成{c}县" for c in "甲乙丙丁戊己庚辛"]
MFA_COUNTS = {
    "national_key_development": 1,
    "provincial_key_development": 2,
    "provincial_key_ecological": 1,
    "national_key_ecological": 1,
}  # the remaining three are agricultural
CITY_POSITION = (0.72, 0.38)  # fractions of the grid from west and north
CITY_RADIUS_PX, CITY_GROWTH = 7.0, 0.8
TOWN_RADIUS_PX, TOWN_GROWTH = 2.5, 0.5
URBAN_NOISE = 0.3
URBAN_RAMP = {2000: 0.0, 2010: 0.5, 2020: 1.0}
RURAL_SHARE = {2000: 0.04, 2010: 0.05, 2020: 0.055}
OTHER_BUILT_SHARE = {2000: 0.01, 2010: 0.025, 2020: 0.045}  # of cropland near the city
OTHER_BUILT_REACH_PX = 30.0
RESTORED_SHARE = {2000: 0.0, 2010: 0.10, 2020: 0.18}
RIVER = ((0.0, 70.0), (150.0, 52.0))  # pixel coordinates (column, row), west to east
RIVER_AMPLITUDE_PX, RIVER_WIDTH_PX = 8.0, (1.6, 3.2)
SHOAL_PX, SAND_PX = 1.3, 2.6
RESERVOIR = ((32.0, 36.0), (6.0, 3.5))  # centre (column, row), radii (px)
LAKE = ((118.0, 92.0), (3.5, 2.5))
GDP_GROWTH = {2010: 0.15, 2020: 0.08}
INFLATION = {2010: 0.035, 2020: 0.02}
EMISSION_INTENSITY = {2000: 1.2, 2010: 0.8, 2020: 0.5}  # tC per 10^4 yuan, region-wide
# Fuel as the yearbook names it: (fuel in fuel_factors.csv, reporting unit as printed, the
# same unit in physical_units.csv) and its share of the emission in the first and last year.
FUELS = {
    "原煤": ("raw_coal", "万吨", "10k_t", (0.78, 0.62)),
    "焦炭": ("coke", "万吨", "10k_t", (0.10, 0.09)),
    "汽油": ("gasoline", "万吨", "10k_t", (0.04, 0.08)),
    "柴油": ("diesel", "万吨", "10k_t", (0.06, 0.09)),
    "天然气": ("natural_gas", "亿立方米", "100M_m3", (0.02, 0.12)),
}
CROP_NAMES = {"peanut": "peanut (oil crops)"}  # as the yearbook prints it
VERSION = "synthetic-geo-v1"
LICENCE = "CC0-1.0 (synthetic)"
CITATION = "SYNTHETIC example, tools/make_example_geo_study.py"
GPKG_DATE = "2026-01-01T00:00:00Z"  # fixed GeoPackage timestamp: byte-identical reruns
STREAMS = ("units", "fields", "rivers", "stats", "energy", "crops", "engel")


def build_units(rng: np.random.Generator, transform: Affine) -> gpd.GeoDataFrame:
    """Eight units tiling a rectangle inside the raster: a perturbed 4 × 2 grid, numbered
    row by row from the north-west."""
    cells = geo.perturbed_grid_cells(UNIT_BOUNDS_PX, *UNIT_GRID, JITTER, EDGE_AMPLITUDE_PX, rng)
    polygons = geo.cell_polygons(cells, transform, DECIMALS)
    x0, y0, x1, y1 = UNIT_BOUNDS_PX
    region = shapely.box(*(transform * (x0, y1)), *(transform * (x1, y0)))
    geo.check_tiling(polygons, region, TILING_TOLERANCE_DEG2)
    return gpd.GeoDataFrame({"县代码": CODES, "名称": NAMES}, geometry=polygons, crs=CRS)


def assign_classes(units: gpd.GeoDataFrame, unit_index: np.ndarray, fields: dict) -> None:
    """MFA class per unit (``synthetic.assign_mfa``: nearest the city developed, most upland
    ecological), stored as the class key and its Chinese name."""
    upland = (
        np.bincount(unit_index.ravel(), fields["upland"].ravel())[1:]
        / np.bincount(unit_index.ravel())[1:]
    )
    centres = pixel_centres(units)
    city = (CITY_POSITION[0] * SHAPE[1], CITY_POSITION[1] * SHAPE[0])
    units["mfa_class"] = syn.assign_mfa(centres, upland, city, MFA_COUNTS)
    names = pd.read_csv(ROOT / "data/mfa_classes.csv").set_index("mfa_class")["name_zh"]
    units["主体功能区"] = units["mfa_class"].map(names)


def pixel_centres(units: gpd.GeoDataFrame) -> np.ndarray:
    """Unit centroids in pixel coordinates (column, row)."""
    x, y = shapely.get_coordinates(shapely.centroid(units.geometry.values)).T
    return np.column_stack([(x - ORIGIN[0]) / PIXEL_DEG, (ORIGIN[1] - y) / PIXEL_DEG])


def build_years(units: gpd.GeoDataFrame, fields: dict, rng: np.random.Generator) -> dict:
    """CNLUCC land cover per year: fixed water, shoal and sand; the city, county towns,
    villages and other construction land grow; upland cropland turns to forest."""
    base = geo.cnlucc_base(fields)
    bank = geo.river_bank(SHAPE, RIVER, RIVER_AMPLITUDE_PX, RIVER_WIDTH_PX, rng)
    plain = fields["upland"] < 0.3
    water = [
        (geo.SHOAL, (bank > 0) & (bank <= SHOAL_PX) & plain),
        (geo.SAND, (bank > SHOAL_PX) & (bank <= SAND_PX) & plain & (fields["rock"] > 0.5)),
        (geo.RIVER, bank <= 0),
        (geo.RESERVOIR, syn.ellipse_mask(SHAPE, *RESERVOIR, fields["wet"], 0.1)),
        (geo.LAKE, syn.ellipse_mask(SHAPE, *LAKE, fields["wet"], 0.1)),
    ]
    fixed = np.logical_or.reduce([mask for _, mask in water])
    crop = np.isin(base, (geo.PADDY, geo.DRY_LAND)) & ~fixed
    city = np.array([CITY_POSITION[0] * SHAPE[1], CITY_POSITION[1] * SHAPE[0]])
    centres = np.vstack([pixel_centres(units), city])
    radius0 = np.array([TOWN_RADIUS_PX] * len(units) + [CITY_RADIUS_PX])
    growth = np.array([TOWN_GROWTH] * len(units) + [CITY_GROWTH])
    rows, cols = np.ogrid[: SHAPE[0], : SHAPE[1]]
    near_city = np.hypot(cols - city[0], rows - city[1]) < OTHER_BUILT_REACH_PX
    border = np.ones(SHAPE, dtype=bool)
    border[BORDER_PX:-BORDER_PX, BORDER_PX:-BORDER_PX] = False
    restore_score = fields["restore"] + 0.5 * fields["upland"]
    covers = {}
    for year in YEARS:
        towns = syn.town_mask(
            SHAPE,
            centres,
            radius0 * (1 + growth * URBAN_RAMP[year]),
            fields["urban_fine"],
            URBAN_NOISE,
        )
        layers = [
            (geo.FOREST, syn.top_share(restore_score, crop & ~plain, RESTORED_SHARE[year])),
            *water,
            (geo.RURAL, syn.top_share(fields["village"], crop & plain, RURAL_SHARE[year])),
            (
                geo.OTHER_BUILT,
                syn.top_share(fields["urban_coarse"], crop & near_city, OTHER_BUILT_SHARE[year]),
            ),
            (geo.URBAN, towns & ~fixed),
            (geo.NODATA, border),
        ]
        covers[year] = geo.compose_year(base, layers)
    return covers


def write_landcover(path: Path, cover: np.ndarray, transform: Affine) -> None:
    """Write a tiled, DEFLATE-compressed uint8 GeoTIFF declaring nodata 255."""
    profile = output_profile({"crs": CRS, "nodata": geo.NODATA}, SHAPE[1], SHAPE[0], transform)
    with atomic_path(path) as tmp, rasterio.open(tmp, "w", **profile) as dst:
        dst.write(cover, 1)


def write_units(path: Path, units: gpd.GeoDataFrame) -> None:
    """Write the unit polygons as a GeoPackage with a fixed timestamp."""
    columns = ["县代码", "名称", "主体功能区", "geometry"]
    with atomic_path(path) as tmp:
        named = tmp.with_name(tmp.name + ".gpkg")  # the GPKG driver wants the extension
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": GPKG_DATE})
        pyogrio.write_dataframe(units[columns], named, driver="GPKG", layer=path.stem)
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
        os.replace(named, tmp)


def write_table(df: pd.DataFrame, path: Path, encoding: str) -> None:
    """Write a CSV atomically in ``encoding`` (the statistics' own, e.g. GBK)."""
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False, lineterminator="\n", encoding=encoding)


def md5(path: Path) -> str:
    """Hex md5 of a file."""
    return hashlib.md5(path.read_bytes()).hexdigest()


def cropland_ha(covers: dict, unit_index: np.ndarray, transform: Affine) -> pd.DataFrame:
    """Paddy plus dry land (ha, true pixel-row areas) per unit and year."""
    row_ha = pixel_area_ha(transform, CRS, 0, SHAPE[0])[:, None]
    rows = []
    for year, cover in covers.items():
        weights = np.where(np.isin(cover, (geo.PADDY, geo.DRY_LAND)), row_ha, 0.0)
        area = np.bincount(unit_index.ravel(), weights.ravel(), minlength=len(CODES) + 1)[1:]
        rows += [(code, year, a) for code, a in zip(CODES, area, strict=True)]
    return pd.DataFrame(rows, columns=["unit_id", "year", "cropland_ha"])


def tc_per_unit() -> dict[str, float]:
    """tC per reporting unit of each yearbook fuel, from the project's coefficient tables."""
    factors = pd.read_csv(ROOT / "data/coefficients/fuel_factors.csv").set_index("fuel")
    units = pd.read_csv(ROOT / "data/units/physical_units.csv").set_index("unit")
    return {
        name: units.loc[unit, "factor_to_base"]
        * factors.loc[fuel, "standard_coal_kgce_per_unit"]
        / 1000.0
        * factors.loc[fuel, "carbon_tC_per_tce"]
        for name, (fuel, _, unit, _) in FUELS.items()
    }


def build_stats(units: gpd.GeoDataFrame, cropland: pd.DataFrame, rng: dict) -> dict:
    """The statistics tables as a yearbook user has them, keyed by file name."""
    keyed = pd.DataFrame({"unit_id": units["县代码"], "mfa_class": units["mfa_class"]})
    population = syn.population_table(keyed, YEARS, rng["stats"])
    gdp = syn.gdp_table(population, keyed, GDP_GROWTH, rng["stats"])
    engel = syn.engel_table(keyed, YEARS, rng["engel"])
    wide = population.merge(gdp, on=["unit_id", "year"]).merge(engel, on=["unit_id", "year"])
    county = pd.DataFrame(
        {
            "县代码": wide["unit_id"],
            "年份": wide["year"],
            "地区生产总值(亿元)": (wide["gdp_10k_yuan"] / 1e4).round(2),
            "年末常住人口(万人)": (wide["population_persons"] / 1e4).round(2),
            "恩格尔系数(%)": geo.engel_percent(wide).round(1),
        }
    ).sort_values(["县代码", "年份"])
    total_gdp = gdp.groupby("year")["gdp_10k_yuan"].sum()
    emission = {year: EMISSION_INTENSITY[year] * total_gdp[year] for year in YEARS}
    shares = {name: spec[3] for name, spec in FUELS.items()}
    units = {name: spec[1] for name, spec in FUELS.items()}
    energy = syn.energy_table(emission, tc_per_unit(), rng["energy"], shares, units)
    crops = syn.crop_yield_table(cropland, rng["crops"]).replace({"crop": CROP_NAMES})
    deflator = syn.deflator_table(INFLATION, YEARS[0])
    return {
        "county_statistics_SYNTHETIC.csv": (county, "gbk"),
        "energy_SYNTHETIC.csv": (
            pd.DataFrame(
                {
                    "年份": energy["year"],
                    "能源品种": energy["fuel"],
                    "消费量": energy["amount"],
                    "单位": energy["unit"],
                }
            ),
            "utf-8-sig",
        ),
        "crop_yield_SYNTHETIC.csv": (
            crops.rename(
                columns={"unit_id": "县代码", "year": "年份", "crop": "作物", "yield_t": "产量(吨)"}
            ),
            "utf-8",
        ),
        "gdp_deflator_SYNTHETIC.csv": (
            deflator.rename(
                columns={"year": "年份", "gdp_deflator_index": "GDP平减指数(2000=100)"}
            ),
            "utf-8",
        ),
    }


def print_summary(units: gpd.GeoDataFrame, covers: dict, unit_index: np.ndarray) -> None:
    """Units with their classes, and pixel counts per code inside the units per year."""
    print(units[["县代码", "名称", "主体功能区"]].to_string(index=False))
    inside = unit_index > 0
    codes = sorted(set(np.unique(np.concatenate([c[inside] for c in covers.values()]))))
    print("year " + " ".join(f"{c:>5}" for c in codes))
    for year, cover in covers.items():
        counts = [int(np.sum(cover[inside] == c)) for c in codes]
        print(f"{year} " + " ".join(f"{n:5d}" for n in counts))


def main(argv: list[str] | None = None) -> None:
    """Generate every file of the example under ``--out`` and print a summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "examples" / "geo_cnlucc")
    parser.add_argument("--seed", type=int, default=20261201)
    args = parser.parse_args(argv)
    out = args.out
    rng = dict(zip(STREAMS, np.random.default_rng(args.seed).spawn(len(STREAMS)), strict=True))
    transform = Affine(PIXEL_DEG, 0.0, ORIGIN[0], 0.0, -PIXEL_DEG, ORIGIN[1])

    units = build_units(rng["units"], transform)
    unit_index = rasterize_units(units.geometry.values, Window(0, 0, SHAPE[1], SHAPE[0]), transform)
    fields = syn.make_fields(SHAPE, NOMINAL_PIXEL_M, rng["fields"], geo.NOISE_SCALES_M)
    assign_classes(units, unit_index, fields)
    covers = build_years(units, fields, rng["rivers"])
    if np.any([(c[unit_index > 0] == geo.NODATA).any() for c in covers.values()]):
        raise RuntimeError("nodata inside a unit")

    registry = []
    for year, cover in covers.items():
        name = f"landcover_SYNTHETIC_{year}.tif"
        write_landcover(out / name, cover, transform)
        registry.append(("landcover", year, name, md5(out / name)))
    write_units(out / "units_SYNTHETIC.gpkg", units)
    registry.append(("boundaries", None, "units_SYNTHETIC.gpkg", md5(out / "units_SYNTHETIC.gpkg")))
    tables = build_stats(units, cropland_ha(covers, unit_index, transform), rng)
    for name, (df, encoding) in tables.items():
        write_table(df, out / name, encoding)
    reg = pd.DataFrame(registry, columns=["dataset", "year", "url", "md5"])
    reg.insert(1, "version", VERSION)
    reg["year"] = reg["year"].astype("Int64")
    write_table(
        reg.assign(licence=LICENCE, citation=CITATION), out / "registry_SYNTHETIC.csv", "utf-8"
    )
    print_summary(units, covers, unit_index)


if __name__ == "__main__":
    main()
