"""Build one-defect variants of the SYNTHETIC example study (config/example_geo_cnlucc.yaml).

Each case is a small function that breaks ONE thing in a copy of the project, with what it
breaks, the user's file the workflow's message must name (as written in the config or the
registry, never an internal copy) and the further text (code, unit, column, value) it must
contain. tests/test_defects.py runs the workflow on every case. Usage:

    .venv/bin/python tools/make_defect_catalogue.py --out DIR [--case ID ...] [--list]

writes DIR/<case id>/, a project copy with the defect, ready for
``snakemake --cores 2 --configfile config/example_geo_cnlucc.yaml``.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import shapely
import yaml
from rasterio.warp import Resampling, calculate_default_transform, reproject

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))

import make_example_geo_study as example  # noqa: E402

from workflow_helpers import copy_project  # noqa: E402

CONFIG = "config/example_geo_cnlucc.yaml"
STUDY = "example_geo_cnlucc"
DATA = Path("data/examples/geo_cnlucc")
REGISTRY = "registry_SYNTHETIC.csv"
UNITS = "units_SYNTHETIC.gpkg"
COUNTY = "county_statistics_SYNTHETIC.csv"
ENERGY = "energy_SYNTHETIC.csv"
CROPS = "crop_yield_SYNTHETIC.csv"
ALBERS = "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +x_0=0 +y_0=0 +datum=WGS84 +units=m"
HOLE_PX = 6  # side of a defect block of pixels inside a unit


def raster(year: int) -> str:
    return f"landcover_SYNTHETIC_{year}.tif"


@dataclass(frozen=True)
class Case:
    """One defect: ``apply(workdir)`` breaks the study in a project copy; the workflow must
    print a message naming ``file`` (or one of a tuple of files) and containing every item
    of ``names`` (a string, or a tuple of alternatives), case-insensitively. Error cases
    exit non-zero with no result table; warning cases exit 0 building ``targets`` (result
    tables under results/<study>/tables/; the whole workflow when empty) and, with ``table``,
    list ``names[0]`` in that table."""

    id: str
    breaks: str
    file: str | tuple
    names: tuple
    apply: Callable[[Path], None]
    warning: bool = False
    table: str | None = None
    targets: tuple[str, ...] = ()


CASES: list[Case] = []


def case(file: str | tuple, *names, warning: bool = False, table=None, targets=()):
    """Register the decorated function as a case (id = its name, breaks = its docstring)."""

    def register(apply: Callable[[Path], None]) -> Callable[[Path], None]:
        doc = apply.__doc__
        CASES.append(Case(apply.__name__, doc, file, names, apply, warning, table, targets))
        return apply

    return register


# Editing a project copy --------------------------------------------------------------------


def edit_config(workdir: Path, change: Callable[[dict], None]) -> None:
    """Apply ``change`` to the example's config in place."""
    path = workdir / CONFIG
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(config)
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def update_md5(workdir: Path, name: str) -> None:
    """Record the new md5 of ``name`` in the registry, so only the defect itself is wrong."""
    path = workdir / DATA / REGISTRY
    registry = pd.read_csv(path, dtype=str, keep_default_na=False)
    digest = hashlib.md5((workdir / DATA / name).read_bytes()).hexdigest()
    registry.loc[registry["url"] == name, "md5"] = digest
    example.write_table(registry, path, "utf-8")


def edit_raster(workdir: Path, year: int, change: Callable[[np.ndarray, dict], tuple]) -> None:
    """Rewrite a year's raster with ``change(data, profile) -> (data, profile)``."""
    path = workdir / DATA / raster(year)
    with rasterio.open(path) as src:
        data, profile = src.read(1), src.profile
    data, profile = change(data, profile)
    profile.update(width=data.shape[1], height=data.shape[0])
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data, 1)
    update_md5(workdir, raster(year))


def reproject_raster(workdir: Path, year: int, crs: str, resolution: float) -> None:
    """Warp a year's raster to ``crs`` (nearest neighbour, ``resolution`` in its units)."""

    def warp(data, profile):
        transform, width, height = calculate_default_transform(
            profile["crs"],
            crs,
            profile["width"],
            profile["height"],
            *rasterio.transform.array_bounds(
                profile["height"], profile["width"], profile["transform"]
            ),
            resolution=resolution,
        )
        out = np.full((height, width), example.geo.NODATA, dtype=data.dtype)
        reproject(
            data,
            out,
            src_transform=profile["transform"],
            src_crs=profile["crs"],
            dst_transform=transform,
            dst_crs=crs,
            src_nodata=profile["nodata"],
            dst_nodata=profile["nodata"],
            resampling=Resampling.nearest,
        )
        return out, profile | {"crs": crs, "transform": transform}

    edit_raster(workdir, year, warp)


def unit_block(workdir: Path, unit: str, year: int = 2000) -> tuple[slice, slice]:
    """A HOLE_PX square of pixels well inside ``unit`` (around its representative point)."""
    units = read_units(workdir).set_index("县代码")
    point = units.geometry[unit].representative_point()
    with rasterio.open(workdir / DATA / raster(year)) as src:
        row, col = src.index(point.x, point.y)
    half = HOLE_PX // 2
    return slice(row - half, row + half), slice(col - half, col + half)


def read_units(workdir: Path) -> gpd.GeoDataFrame:
    return gpd.read_file(workdir / DATA / UNITS)


def edit_units(workdir: Path, change: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame]) -> None:
    """Rewrite the unit polygons with ``change(gdf) -> gdf`` and record the new md5."""
    units = change(read_units(workdir))
    example.write_units(workdir / DATA / UNITS, units)
    update_md5(workdir, UNITS)


def set_geometry(units: gpd.GeoDataFrame, unit: str, geometry) -> gpd.GeoDataFrame:
    units.loc[units["县代码"] == unit, "geometry"] = geometry
    return units


def geometry_of(units: gpd.GeoDataFrame, unit: str):
    return units.loc[units["县代码"] == unit, "geometry"].iloc[0]


CSV_ENCODINGS = {COUNTY: "gbk", ENERGY: "utf-8-sig", CROPS: "utf-8"}


def read_csv(workdir: Path, name: str) -> pd.DataFrame:
    """A statistics table as text (codes keep their zeros, numbers their digits)."""
    return pd.read_csv(workdir / DATA / name, dtype=str, encoding=CSV_ENCODINGS[name])


def edit_csv(workdir: Path, name: str, change: Callable[[pd.DataFrame], pd.DataFrame]) -> None:
    """Rewrite a statistics table, in its own encoding, with ``change(df) -> df``."""
    df = change(read_csv(workdir, name))
    example.write_table(df, workdir / DATA / name, CSV_ENCODINGS[name])


def set_cell(df: pd.DataFrame, unit: str, year: int, column: str, value: str) -> pd.DataFrame:
    df.loc[(df["县代码"] == unit) & (df["年份"] == str(year)), column] = value
    return df


def county_table(config: dict) -> dict:
    return config["statistics"]["tables"][0]


# Land-cover rasters ------------------------------------------------------------------------


@case(raster(2010), ("truncated", "corrupt", "not a readable", "cannot be read", "damaged"))
def truncated_raster(workdir: Path) -> None:
    """The 2010 GeoTIFF is cut to half its bytes (an interrupted copy)."""
    path = workdir / DATA / raster(2010)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    update_md5(workdir, raster(2010))


@case(raster(2000), ("not a raster", "not a readable", "not a geotiff", "cannot be read"))
def text_file_named_tif(workdir: Path) -> None:
    """The 2000 'GeoTIFF' is a text file (an HTML error page saved under the .tif name)."""
    (workdir / DATA / raster(2000)).write_text("<html><body>404 Not Found</body></html>\n")
    update_md5(workdir, raster(2000))


@case(raster(2020), "70", "cnlucc_to_landuse.csv")
def unmapped_code(workdir: Path) -> None:
    """Pixels inside unit 0411006 in 2020 carry code 70, which the reclass table lacks."""
    rows, cols = unit_block(workdir, "0411006")

    def paint(data, profile):
        data[rows, cols] = 70
        return data, profile

    edit_raster(workdir, 2020, paint)


@case(raster(2010), "CRS")
def raster_without_crs(workdir: Path) -> None:
    """The 2010 raster has no CRS."""
    edit_raster(workdir, 2010, lambda data, profile: (data, profile | {"crs": None}))


@case(raster(2000), "CRS")
def raster_in_another_crs(workdir: Path) -> None:
    """The 2000 raster is in an Albers equal-area CRS, the config (and other years) EPSG:4326."""
    reproject_raster(workdir, 2000, ALBERS, 250.0)


@case(raster(2010), ("0 %", "0%", "0.0 %", "does not cover", "no overlap", "outside"))
def raster_misses_the_units(workdir: Path) -> None:
    """The 2010 raster lies 2° east of the units (a tile of the wrong area)."""

    def shift(data, profile):
        t = profile["transform"]
        return data, profile | {"transform": rasterio.Affine(t.a, 0, t.c + 2.0, 0, t.e, t.f)}

    edit_raster(workdir, 2010, shift)


@case(raster(2020), "%", ("cover", "outside"))
def raster_covers_part_of_the_units(workdir: Path) -> None:
    """The 2020 raster is shifted east by half its width: it covers only part of the units."""

    def shift(data, profile):
        t = profile["transform"]
        east = t.a * profile["width"] / 2
        return data, profile | {"transform": rasterio.Affine(t.a, 0, t.c + east, 0, t.e, t.f)}

    edit_raster(workdir, 2020, shift)


@case(raster(2020), "nodata")
def nodata_unset(workdir: Path) -> None:
    """The 2020 raster declares no nodata value and the config sets none either."""
    edit_raster(workdir, 2020, lambda data, profile: (data, profile | {"nodata": None}))


@case(tuple(raster(year) for year in example.YEARS), "255", "landcover.nodata")
def nodata_disagrees_with_config(workdir: Path) -> None:
    """The config says landcover.nodata 0 while the rasters declare 255."""
    edit_config(workdir, lambda c: c["landcover"].update(nodata=0))


@case(raster(2010), ("pixel size", "resolution", "0.00125", "grid"))
def year_with_another_pixel_size(workdir: Path) -> None:
    """The 2010 raster has 0.00125° pixels (same extent), the other years 0.0025°."""

    def refine(data, profile):
        t = profile["transform"]
        fine = np.repeat(np.repeat(data, 2, axis=0), 2, axis=1)
        return fine, profile | {"transform": rasterio.Affine(t.a / 2, 0, t.c, 0, t.e / 2, t.f)}

    edit_raster(workdir, 2010, refine)


@case(raster(2020), ("grid", "align", "origin", "offset"))
def year_on_a_shifted_grid(workdir: Path) -> None:
    """The 2020 raster's grid is shifted by half a pixel against 2000 and 2010."""

    def shift(data, profile):
        t = profile["transform"]
        return data, profile | {"transform": rasterio.Affine(t.a, 0, t.c + t.a / 2, 0, t.e, t.f)}

    edit_raster(workdir, 2020, shift)


@case(
    raster(2010),
    "0411006",
    "ha",
    warning=True,
    table="nodata_inside_units.csv",
    targets=("nodata_inside_units.csv", "landuse_area.csv"),
)
def nodata_hole_inside_a_unit(workdir: Path) -> None:
    """A block of nodata (255) inside unit 0411006 in 2010 (a cloud gap): a warning."""
    rows, cols = unit_block(workdir, "0411006")

    def hole(data, profile):
        data[rows, cols] = example.geo.NODATA
        return data, profile

    edit_raster(workdir, 2010, hole)


@case(CONFIG, "crs", "32650", ("equal-area", "equal area"))
def projected_crs_not_equal_area(workdir: Path) -> None:
    """Rasters warped to UTM 50N (EPSG:32650, not equal-area) and the config crs set to it."""
    for year in example.YEARS:
        reproject_raster(workdir, year, "EPSG:32650", 250.0)
    edit_config(workdir, lambda c: c.update(crs="EPSG:32650"))


# Unit polygons and attributes --------------------------------------------------------------


@case(UNITS, "0411002", ("self-intersect", "invalid", "not valid"))
def self_intersecting_polygon(workdir: Path) -> None:
    """Unit 0411002's ring is a bow-tie: the middle half of its vertices in reverse order."""

    def bow_tie(units):
        ring = shapely.get_coordinates(geometry_of(units, "0411002").exterior)[:-1]
        n = len(ring)
        i, j = n // 4, 3 * n // 4
        twisted = np.vstack([ring[:i], ring[i:j][::-1], ring[j:]])
        polygon = shapely.Polygon(twisted)
        if polygon.is_valid:
            raise RuntimeError("the bow-tie is valid")
        return set_geometry(units, "0411002", polygon)

    edit_units(workdir, bow_tie)


@case(UNITS, "0411003", "overlap")
def overlapping_polygons(workdir: Path) -> None:
    """Unit 0411003 is buffered by 0.003° (~300 m) over its neighbours."""
    edit_units(
        workdir,
        lambda u: set_geometry(u, "0411003", geometry_of(u, "0411003").buffer(0.003)),
    )


@case(UNITS, "gap", "0411003")
def gap_between_polygons(workdir: Path) -> None:
    """A pocket of ~200 m radius is cut from the four units meeting at an interior vertex
    (0411002, 0411003, 0411006, 0411007), as when digitised boundaries fail to meet."""
    corner = ["0411002", "0411003", "0411006", "0411007"]

    def cut(units):
        shared = shapely.intersection_all([geometry_of(units, u).boundary for u in corner])
        pocket = shapely.get_parts(shared)[0].buffer(0.002)
        for unit in corner:
            units = set_geometry(units, unit, geometry_of(units, unit).difference(pocket))
        return units

    edit_units(workdir, cut)


@case(UNITS, "0411007", ("duplicate", "twice", "more than one"))
def duplicate_unit_codes(workdir: Path) -> None:
    """Two polygons carry the code 0411007 (the last unit's code mistyped)."""

    def duplicate(units):
        units.loc[units["县代码"] == "0411008", "县代码"] = "0411007"
        return units

    edit_units(workdir, duplicate)


@case(UNITS, "0411005", ("主体功能区", "mfa"))
def missing_mfa_class(workdir: Path) -> None:
    """Unit 0411005 has no MFA class (主体功能区 left empty)."""

    def blank(units):
        units.loc[units["县代码"] == "0411005", "主体功能区"] = None
        return units

    edit_units(workdir, blank)


@case(UNITS, "0411006", "生态保护区")
def unknown_mfa_class(workdir: Path) -> None:
    """Unit 0411006's MFA class is 生态保护区, not a class of data/mfa_classes.csv."""

    def unknown(units):
        units.loc[units["县代码"] == "0411006", "主体功能区"] = "生态保护区"
        return units

    edit_units(workdir, unknown)


@case(UNITS, "CRS")
def polygons_without_crs(workdir: Path) -> None:
    """The unit polygons have no CRS."""
    with warnings.catch_warnings():  # pyogrio warns that the file will have no CRS: intended
        warnings.simplefilter("ignore", UserWarning)
        edit_units(workdir, lambda units: units.set_crs(None, allow_override=True))


@case(UNITS, ("no features", "zero features", "0 features", "no polygons", "empty", "no units"))
def polygon_file_with_zero_features(workdir: Path) -> None:
    """The unit layer exists but holds no features."""
    edit_units(workdir, lambda units: units.iloc[:0])


@case(UNITS, "code", "boundaries.id_column")
def id_column_not_in_polygons(workdir: Path) -> None:
    """boundaries.id_column names 'code', which the polygons do not have (they use 县代码)."""
    edit_config(workdir, lambda c: c["boundaries"].update(id_column="code"))


# Statistics tables -------------------------------------------------------------------------


@case(COUNTY, "2020")
def statistics_missing_a_year(workdir: Path) -> None:
    """The county table has no rows for 2020."""
    edit_csv(workdir, COUNTY, lambda df: df[df["年份"] != "2020"])


@case(COUNTY, "0411003")
def statistics_missing_a_unit(workdir: Path) -> None:
    """The county table has no rows for unit 0411003."""
    edit_csv(workdir, COUNTY, lambda df: df[df["县代码"] != "0411003"])


@case(COUNTY, ("地区生产总值(亿元)", "gdp_10k_yuan"), "-14.91")
def negative_gdp(workdir: Path) -> None:
    """GDP of 0411002 in 2010 is -14.91 (亿元), a sign typed by mistake."""
    edit_csv(
        workdir, COUNTY, lambda df: set_cell(df, "0411002", 2010, "地区生产总值(亿元)", "-14.91")
    )


@case(COUNTY, ("年末常住人口(万人)", "population_persons"), "—")
def non_numeric_value(workdir: Path) -> None:
    """Population of 0411004 in 2000 is '—' (the yearbook's 'no data' dash)."""
    edit_csv(workdir, COUNTY, lambda df: set_cell(df, "0411004", 2000, "年末常住人口(万人)", "—"))


@case(COUNTY, ("恩格尔系数(%)", "engel_coefficient"), "percent")
def engel_in_percent_undeclared(workdir: Path) -> None:
    """The Engel coefficients are in percent but the config no longer declares it."""
    edit_config(workdir, lambda c: county_table(c)["units"].pop("engel_coefficient"))


@case(COUNTY, "0411001", "2010", ("conflict", "differ", "duplicate"))
def conflicting_duplicate_rows(workdir: Path) -> None:
    """Unit 0411001 has two 2010 rows with different GDP."""

    def conflict(df):
        row = df[(df["县代码"] == "0411001") & (df["年份"] == "2010")].copy()
        row["地区生产总值(亿元)"] = "9.99"
        return pd.concat([df, row], ignore_index=True)

    edit_csv(workdir, COUNTY, conflict)


@case(
    COUNTY,
    "0411001",
    ("duplicate", "twice", "repeated"),
    warning=True,
    targets=("carbon_budget.csv", "compensation.csv"),
)
def exact_duplicate_rows(workdir: Path) -> None:
    """Unit 0411001's 2010 row appears twice, identical (a copy-paste): a warning."""

    def repeat(df):
        row = df[(df["县代码"] == "0411001") & (df["年份"] == "2010")]
        return pd.concat([df, row], ignore_index=True)

    edit_csv(workdir, COUNTY, repeat)


@case(COUNTY, ("utf-8", "encoding"))
def gbk_table_declared_utf8(workdir: Path) -> None:
    """The GBK county table is declared as utf-8 in the config."""
    edit_config(workdir, lambda c: county_table(c).update(encoding="utf-8"))


@case(COUNTY, "leading zero")
def codes_lost_leading_zeros(workdir: Path) -> None:
    """The county table's codes lost their leading zeros (411001, as Excel writes numbers)."""

    def strip(df):
        return df.assign(县代码=df["县代码"].str.lstrip("0"))

    edit_csv(workdir, COUNTY, strip)


@case(COUNTY, "常住人口")
def mapped_column_not_in_table(workdir: Path) -> None:
    """The config maps population_persons to '常住人口'; the header is 年末常住人口(万人)."""
    edit_config(workdir, lambda c: county_table(c)["columns"].update(population_persons="常住人口"))


@case(COUNTY, "population_SYNTHETIC.csv", "population_persons")
def variable_in_two_tables(workdir: Path) -> None:
    """Population is given by the county table and by a second table."""
    county = read_csv(workdir, COUNTY)[["县代码", "年份", "年末常住人口(万人)"]]
    example.write_table(county, workdir / DATA / "population_SYNTHETIC.csv", "utf-8")
    population = {
        "path": str(DATA / "population_SYNTHETIC.csv"),
        "columns": {
            "unit_id": "县代码",
            "year": "年份",
            "population_persons": "年末常住人口(万人)",
        },
        "units": {"population_persons": "10k_persons"},
    }
    edit_config(workdir, lambda c: c["statistics"].update(population=population))


@case(ENERGY, "褐煤")
def unknown_fuel(workdir: Path) -> None:
    """The energy table lists 褐煤 (lignite), which data/coefficients/fuel_factors.csv lacks."""
    edit_csv(workdir, ENERGY, lambda df: df.replace({"能源品种": {"焦炭": "褐煤"}}))


@case(ENERGY, "亿方")
def unknown_energy_unit(workdir: Path) -> None:
    """Natural gas is in '亿方' (colloquial), which data/units/physical_units.csv lacks."""
    edit_csv(workdir, ENERGY, lambda df: df.replace({"单位": {"亿立方米": "亿方"}}))


@case(CROPS, "高粱")
def unknown_crop(workdir: Path) -> None:
    """The crop table lists 高粱 (sorghum), which data/coefficients/crop_parameters.csv lacks."""
    edit_csv(workdir, CROPS, lambda df: df.replace({"作物": {"maize": "高粱"}}))


@case("carbon_prices_mine.csv", "afforestation_cost", "-260.9", "must be positive")
def negative_carbon_price(workdir: Path) -> None:
    """The study's own price table gives the afforestation cost as -260.9 (a sign typed by
    mistake: every compensation value would flip)."""
    prices = pd.read_csv(workdir / "data/coefficients/carbon_prices.csv", dtype=str)
    prices.loc[prices["price"] == "afforestation_cost", "value"] = "-260.9"
    prices.to_csv(workdir / DATA / "carbon_prices_mine.csv", index=False)
    edit_config(
        workdir,
        lambda c: c.setdefault("compensation", {}).update(
            prices=f"{DATA}/carbon_prices_mine.csv", price="afforestation_cost"
        ),
    )


@case(CROPS, "empty")
def empty_crop_file(workdir: Path) -> None:
    """The crop table is an empty file (0 bytes)."""
    (workdir / DATA / CROPS).write_bytes(b"")


def build(out: Path, ids: list[str] | None = None) -> list[Path]:
    """Write a project copy with each case's defect under ``out``/<case id>/."""
    made = []
    for item in CASES:
        if ids and item.id not in ids:
            continue
        workdir = copy_project(out / item.id)
        item.apply(workdir)
        made.append(workdir)
    return made


def main(argv: list[str] | None = None) -> None:
    """List the cases, or build them under ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--case", action="append", help="build only this case (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    args = parser.parse_args(argv)
    if args.list or args.out is None:
        for item in CASES:
            kind = "warning" if item.warning else "error"
            files = item.file if isinstance(item.file, str) else "|".join(item.file)
            print(f"{item.id:36} {kind:7} {files:34} {item.breaks}")
        return
    for workdir in build(args.out, args.case):
        print(workdir)


if __name__ == "__main__":
    main()
