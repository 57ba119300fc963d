"""Generate the SYNTHETIC demo study (land cover, units, statistics, registry) deterministically.

Usage: .venv/bin/python tools/make_demo_data.py [--out data/demo] [--seed 20250301]
(``make demo-data``). Same seed, same bytes. Nothing produced here is real data.

``--extend YEAR ...`` instead adds SYNTHETIC years after the last one to the demo already in
``--out`` (the tests' way of adding a sixth or ninth year, in a copy): each new year's towns
grow by one pixel into the cropland around them, its statistics repeat the last year's
values, and the registry lists its raster with its md5. The existing files' rows are kept
byte for byte.
"""

from __future__ import annotations

import argparse
import hashlib
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

from lucarbon.core.io import atomic_path, write_csv  # noqa: E402
from lucarbon.raster.blocks import output_profile, rasterize_units  # noqa: E402
from synthetic import demo as syn  # noqa: E402

CRS = (
    "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
)
ORIGIN = (704_010.0, 3_735_000.0)  # upper-left corner (m) on the 30 m grid, ~112.8E 34.7N
PIXEL_M = 30.0
SHAPE = (2000, 2400)  # rows, columns: 60 km x 72 km
REGION_MARGIN_M = 4000.0
NODATA_CORNER = 0.12  # product edge: south-east corner triangle with fx + fy > 2 - this
YEARS = (2000, 2005, 2010, 2015, 2020)
N_UNITS = 36
SPACING_FACTOR = 0.7  # minimum seed spacing as a multiple of sqrt(region area / units)
LLOYD_ITERATIONS = 2
SNAP_M = 0.001
CITY_POSITION = (0.55, 0.25)  # city core: fractions of the region box from west and north
MFA_COUNTS = {
    "national_key_development": 4,
    "provincial_key_development": 7,
    "provincial_key_ecological": 7,
    "national_key_ecological": 3,
}  # the remaining units are agricultural
# Rivers: start and end as grid fractions (x from west, y from north), meander amplitude
# (fraction of the grid width) and width in pixels at source and mouth. The second river
# ends on the first (a tributary) at the given x fraction.
RIVERS = (
    ((0.0, 0.47), (1.0, 0.33), 0.05, (3.0, 7.0)),
    ((0.04, 0.88), 0.62, 0.04, (3.0, 5.0)),
    ((0.35, 1.0), (1.0, 0.78), 0.04, (3.0, 5.0)),
)
LAKE = (1, 0.3, (1200.0, 650.0))  # on river index 1, at this fraction of its length, radii m
SNOW_PIXELS = 150
URBAN_NOISE = 0.35
CITY_RADIUS_M, CITY_GROWTH = 2800.0, 0.75
URBAN_RAMP = {2000: 0.0, 2005: 0.2, 2010: 0.5, 2015: 0.8, 2020: 1.0}
VILLAGE_SHARE = {2000: 0.035, 2005: 0.038, 2010: 0.042, 2015: 0.046, 2020: 0.049}
RESTORED_SHARE = {2000: 0.0, 2005: 0.05, 2010: 0.12, 2015: 0.17, 2020: 0.20}
GDP_GROWTH = {2005: 0.11, 2010: 0.15, 2015: 0.09, 2020: 0.065}  # regional nominal, per year
INFLATION = {2005: 0.03, 2010: 0.035, 2015: 0.02, 2020: 0.015}
EMISSION_INTENSITY = {2000: 1.25, 2005: 1.05, 2010: 0.85, 2015: 0.68, 2020: 0.45}  # tC/1e4 yuan
LICENCE = "CC0-1.0 (synthetic)"
CITATION = "synthetic demo data, tools/make_demo_data.py"
EXTENDED = "synthetic demo extension (tools/make_demo_data.py --extend)"
EMISSION_PEAK_YEAR = 2015  # the intensities above are chosen so the emission peaks here
CODE_LABELS = ("crop", "forest", "shrub", "grass", "water", "snow", "barren", "imperv", "wetland")
STREAMS = (
    *("region", "points", "fields", "rivers", "stats", "energy", "crops", "engel"),
    *("cities", "industry", "agriculture"),  # appended: the streams before stay the same
)


def build_units(rng: dict, transform: Affine) -> gpd.GeoDataFrame:
    """Region blob, seeded Voronoi units numbered north to south (row bands) then west to east."""
    width, height = SHAPE[1] * PIXEL_M, SHAPE[0] * PIXEL_M
    x0, y0 = ORIGIN
    m = REGION_MARGIN_M
    region = syn.make_region_polygon(
        (x0 + m, y0 - height + m, x0 + width - m, y0 - m), rng["region"]
    )
    region = shapely.set_precision(region, SNAP_M)
    spacing = SPACING_FACTOR * np.sqrt(region.area / N_UNITS)
    points = syn.spaced_points(region, N_UNITS, spacing, rng["points"])
    points = syn.lloyd_relax(region, points, LLOYD_ITERATIONS)
    band = np.floor((y0 - points[:, 1]) / (1.3 * spacing))
    points = points[np.lexsort((points[:, 0], band))]
    cells = syn.make_units(region, points, SNAP_M)
    check_tiling(region, cells)
    numbers = [f"{i:02d}" for i in range(1, N_UNITS + 1)]
    return gpd.GeoDataFrame(
        {
            "unit_id": [f"SYN{n}" for n in numbers],
            "name": [f"Synthetic County {n}" for n in numbers],
            "name_zh": [f"合成县{n}" for n in numbers],
            "seed_x": points[:, 0],
            "seed_y": points[:, 1],
        },
        geometry=cells,
        crs=CRS,
    )


def check_tiling(region: shapely.Polygon, cells: np.ndarray) -> None:
    """Fail unless the cells are valid, non-overlapping and cover the region exactly."""
    if not (shapely.is_valid(cells).all() and shapely.coverage_is_valid(cells)):
        raise RuntimeError("synthetic units are not a valid coverage")
    gap = shapely.symmetric_difference(shapely.union_all(cells), region).area
    if gap > 1.0 or abs(shapely.area(cells).sum() - region.area) > 1.0:
        raise RuntimeError(f"synthetic units do not tile the region (difference {gap} m2)")


def build_static(fields: dict, rng: np.random.Generator, region_mask: np.ndarray) -> dict:
    """Water (rivers, lake), wetland, snow and nodata masks shared by every year."""
    fx, fy = syn.grid_fractions(SHAPE)
    scale = np.array([SHAPE[1] - 1, SHAPE[0] - 1], dtype=float)
    lines = []
    for start, end, amplitude, _ in RIVERS:
        if np.isscalar(end):  # a tributary ends on the first river
            end = lines[0][np.argmin(np.abs(lines[0][:, 0] - end * scale[0]))] / scale
        lines.append(
            syn.sinuous_line(
                np.multiply(start, scale), np.multiply(end, scale), amplitude * scale[0], rng
            )
        )
    bank = syn.bank_distance(SHAPE, lines, [r[3] for r in RIVERS])
    river, at, radii_m = LAKE
    centre = lines[river][int(at * len(lines[river]))]
    radii = np.divide(radii_m, PIXEL_M)
    lake = syn.ellipse_mask(SHAPE, centre, radii, fields["wet"], 0.15)
    near_lake = syn.ellipse_mask(SHAPE, centre, radii * 1.35, fields["wet"], 0.15)
    water = (bank <= 0) | lake
    plain = fields["upland"] < 0.3
    # Riverside marsh: a bank band whose width (px) swells and vanishes with the wet noise.
    wetland = ((bank <= 8.0 * (fields["wet"] - 0.5)) & plain) | (near_lake & (fields["wet"] > 0))
    return {
        syn.WATER: water,
        syn.WETLAND: wetland & ~water,
        syn.SNOW: syn.peak_patch(fields["elevation"], region_mask, SNOW_PIXELS),
        syn.NODATA: np.broadcast_to(fx + fy > 2.0 - NODATA_CORNER, SHAPE),
    }


def build_years(units: gpd.GeoDataFrame, fields: dict, static: dict, transform: Affine) -> dict:
    """Land cover per year: towns grow around unit seeds and the city core, villages spread
    over plain cropland and upland cropland turns to forest, all as nested masks."""
    base = syn.base_landcover(fields)
    crop = base == syn.CROPLAND
    seeds = np.column_stack(
        [
            (units["seed_x"] - transform.c) / transform.a,
            (units["seed_y"] - transform.f) / transform.e,
        ]
    )
    city = int(units.index[units["city"]][0])
    centres = np.vstack([seeds, seeds[city]])
    profiles = [syn.MFA_PROFILES[m] for m in units["mfa_class"]]
    radius0 = np.array([p["town_m"] for p in profiles] + [CITY_RADIUS_M]) / PIXEL_M
    growth = np.array([p["town_growth"] for p in profiles] + [CITY_GROWTH])
    urban_noise = 0.8 * fields["urban_fine"] + 0.6 * fields["urban_coarse"]  # unit variance
    restore_score = fields["restore"] + 0.5 * fields["upland"]
    covers = {}
    for year in YEARS:
        towns = syn.town_mask(
            SHAPE, centres, radius0 * (1 + growth * URBAN_RAMP[year]), urban_noise, URBAN_NOISE
        )
        villages = syn.top_share(
            fields["village"], crop & (fields["upland"] < 0.3), VILLAGE_SHARE[year]
        )
        restored = syn.top_share(
            restore_score, crop & (fields["upland"] > 0.25), RESTORED_SHARE[year]
        )
        covers[year] = syn.make_landcover(base, restored, towns | villages, static)
    return covers


def write_landcover(path: Path, cover: np.ndarray, transform: Affine) -> None:
    """Write a CLCD-like tiled, DEFLATE-compressed uint8 GeoTIFF with a colour table."""
    profile = output_profile({"crs": CRS, "nodata": 0}, SHAPE[1], SHAPE[0], transform)
    with atomic_path(path) as tmp, rasterio.open(tmp, "w", **profile) as dst:
        dst.write(cover, 1)
        dst.write_colormap(1, syn.CLCD_COLORMAP)


def write_geojson(path: Path, gdf: gpd.GeoDataFrame) -> None:
    """Write polygons as RFC 7946 GeoJSON (WGS84 lon/lat, 7 decimals)."""
    with atomic_path(path) as tmp:
        pyogrio.write_dataframe(
            gdf, tmp, driver="GeoJSON", layer=path.stem, RFC7946="YES", COORDINATE_PRECISION=7
        )


def fuel_factors() -> dict[str, float]:
    """tC per reporting unit of each fuel, from the project's coefficient tables."""
    factors = pd.read_csv(ROOT / "data/coefficients/fuel_factors.csv").set_index("fuel")
    units = pd.read_csv(ROOT / "data/units/physical_units.csv").set_index("unit")
    result = {}
    for fuel, unit in syn.FUEL_UNITS.items():
        row = factors.loc[fuel]
        if units.loc[unit, "base_unit"] != row["base_unit"]:
            raise ValueError(f"{fuel}: unit {unit} is not in {row['base_unit']}")
        kgce = units.loc[unit, "factor_to_base"] * row["standard_coal_kgce_per_unit"]
        result[fuel] = kgce / 1000.0 * row["carbon_tC_per_tce"]
    return result


def md5(path: Path) -> str:
    """Hex md5 of a file."""
    return hashlib.md5(path.read_bytes()).hexdigest()


def build_stats(units: gpd.GeoDataFrame, counts: dict, rng: dict) -> dict[str, pd.DataFrame]:
    """All statistics tables, keyed by file stem, rows sorted by their key columns."""
    population = syn.population_table(units, YEARS, rng["stats"])
    factors = fuel_factors()
    cropland = syn.cropland_table(
        [counts[year] for year in YEARS], units["unit_id"], YEARS, PIXEL_M**2 / 1e4
    )
    economy = {
        "gdp_growth": GDP_GROWTH,
        "inflation": INFLATION,
        "emission_intensity": EMISSION_INTENSITY,
    }
    tables = syn.statistics_tables(units, population, cropland, economy, factors, rng)
    peak = syn.fuel_emission(tables["energy"], factors).idxmax()
    if peak != EMISSION_PEAK_YEAR:
        raise RuntimeError(f"construction emission peaks in {peak}, not {EMISSION_PEAK_YEAR}")
    return tables


def check_study(covers: dict, counts: dict) -> None:
    """Fail unless the land cover obeys the demo's promises inside the region."""
    region = counts[YEARS[0]][1:].sum(axis=0)
    if region[syn.NODATA]:
        raise RuntimeError("nodata inside the study region")
    previous = previous_year = None
    for year in YEARS:
        inside = counts[year][1:].sum(axis=0)
        if not inside[1:].all():
            raise RuntimeError(f"{year}: some land-cover code is missing in the region")
        if previous is not None:
            if not (
                inside[syn.CROPLAND] < previous[syn.CROPLAND]
                and inside[syn.IMPERVIOUS] > previous[syn.IMPERVIOUS]
            ):
                raise RuntimeError(f"{year}: cropland must shrink and impervious grow")
            if np.any((covers[previous_year] == syn.IMPERVIOUS) & (covers[year] != syn.IMPERVIOUS)):
                raise RuntimeError(f"{year}: impervious pixels reverted")
        previous, previous_year = inside, year


def print_summary(units: gpd.GeoDataFrame, counts: dict, tables: dict) -> None:
    """Class pixel counts in the region, units per MFA class, GDP and emission per year."""
    print("year " + " ".join(f"{n:>8}" for n in CODE_LABELS))
    for year in YEARS:
        print(f"{year} " + " ".join(f"{v:8d}" for v in counts[year][1:].sum(axis=0)[1:]))
    print(units["mfa_class"].value_counts().reindex(syn.MFA_CLASSES).to_string())
    gdp = tables["gdp"].groupby("year")["gdp_10k_yuan"].sum()
    emission = syn.fuel_emission(tables["energy"], fuel_factors())
    print("year  GDP_1e4yuan  emission_tC  tC_per_1e4yuan")
    for year in YEARS:
        print(f"{year} {gdp[year]:12.0f} {emission[year]:12.0f} {emission[year] / gdp[year]:8.3f}")
    print(f"emission peak year: {int(emission.idxmax())}")


def grown_towns(cover: np.ndarray) -> np.ndarray:
    """The land cover one step later: cropland next to impervious land (4-neighbours) becomes
    impervious, nothing else changes (so cropland shrinks and impervious never reverts)."""
    urban = cover == syn.IMPERVIOUS
    near = np.zeros_like(urban)
    near[1:] |= urban[:-1]
    near[:-1] |= urban[1:]
    near[:, 1:] |= urban[:, :-1]
    near[:, :-1] |= urban[:, 1:]
    return np.where(near & (cover == syn.CROPLAND), syn.IMPERVIOUS, cover).astype(cover.dtype)


def extend_years(out: Path, years: list[int]) -> None:
    """Add SYNTHETIC ``years`` (each after the last year of the demo in ``out``): land cover by
    ``grown_towns`` from the year before, statistics rows copied from the last year, registry
    rows with the new rasters' md5. Existing rows and files are left as they are."""
    registry_path = out / "registry_synthetic.csv"
    registry = pd.read_csv(registry_path, dtype=str, keep_default_na=False)
    landcover = registry[registry["dataset"] == "landcover"]
    last = int(landcover["year"].astype(int).max())
    if sorted(years) != years or years[0] <= last:
        raise SystemExit(f"--extend: years must increase and come after {last}, got {years}")
    template = landcover[landcover["year"] == str(last)].iloc[0]
    with rasterio.open(out / template["url"]) as src:
        profile, colormap, cover = src.profile, src.colormap(1), src.read(1)
    new_rows = []
    for year in years:
        cover = grown_towns(cover)
        name = f"landcover/landcover_synthetic_{year}.tif"
        with atomic_path(out / name) as tmp, rasterio.open(tmp, "w", **profile) as dst:
            dst.write(cover, 1)
            dst.write_colormap(1, colormap)
        new_rows.append(
            template.to_dict()
            | {"year": str(year), "url": name, "md5": md5(out / name), "citation": EXTENDED}
        )
    registry = pd.concat([registry, pd.DataFrame(new_rows)], ignore_index=True)
    order = registry["dataset"].map({"landcover": 0}).fillna(1)
    write_csv(
        registry.assign(_o=order).sort_values(["_o", "year"]).drop(columns="_o"), registry_path
    )
    note = f"{EXTENDED}: the values of {last}"
    for path in sorted((out / "stats").glob("*_synthetic.csv")):
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        rows = table[table["year"] == str(last)]
        added = [rows.assign(year=str(year), source=note) for year in years]
        keys = syn.STATISTICS_SORT_KEYS.get(
            path.stem.removesuffix("_synthetic"), ["unit_id", "year"]
        )
        write_csv(pd.concat([table, *added]).sort_values(keys, kind="stable"), path)


def main(argv: list[str] | None = None) -> None:
    """Generate every demo file under ``--out`` and print a summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "demo")
    parser.add_argument("--seed", type=int, default=20250301)
    parser.add_argument("--extend", type=int, nargs="+", metavar="YEAR", default=[])
    args = parser.parse_args(argv)
    if args.extend:
        extend_years(args.out, args.extend)
        return
    out, source = args.out, f"synthetic demo (tools/make_demo_data.py, seed {args.seed})"
    rng = dict(zip(STREAMS, np.random.default_rng(args.seed).spawn(len(STREAMS)), strict=True))
    transform = Affine(PIXEL_M, 0.0, ORIGIN[0], 0.0, -PIXEL_M, ORIGIN[1])

    units = build_units(rng, transform)
    unit_index = rasterize_units(units.geometry.values, Window(0, 0, SHAPE[1], SHAPE[0]), transform)
    fields = syn.make_fields(SHAPE, PIXEL_M, rng["fields"])
    upland = (
        np.bincount(unit_index.ravel(), fields["upland"].ravel())[1:]
        / np.bincount(unit_index.ravel())[1:]
    )
    (xmin, ymin, xmax, ymax) = units.total_bounds
    city_xy = (xmin + CITY_POSITION[0] * (xmax - xmin), ymax - CITY_POSITION[1] * (ymax - ymin))
    seeds = units[["seed_x", "seed_y"]].to_numpy()
    units["mfa_class"] = syn.assign_mfa(seeds, upland, city_xy, MFA_COUNTS)
    units["city"] = np.arange(N_UNITS) == np.argmin(np.hypot(*(seeds - city_xy).T))
    units["city_id"] = syn.city_ids(seeds)

    static = build_static(fields, rng["rivers"], unit_index > 0)
    covers = build_years(units, fields, static, transform)
    del fields
    counts = {y: syn.class_counts_by_unit(c, unit_index, N_UNITS) for y, c in covers.items()}
    check_study(covers, counts)

    registry = []
    for year, cover in covers.items():
        name = f"landcover/landcover_synthetic_{year}.tif"
        write_landcover(out / name, cover, transform)
        registry.append(("landcover", "synthetic-v1", year, name, md5(out / name)))
    write_geojson(
        out / "units_synthetic.geojson",
        units[["unit_id", "name", "name_zh", "geometry"]].to_crs("EPSG:4326"),
    )
    registry.append(
        (
            "boundaries",
            "synthetic-v1",
            None,
            "units_synthetic.geojson",
            md5(out / "units_synthetic.geojson"),
        )
    )
    table = units[["unit_id", "name", "name_zh", "mfa_class"]].assign(
        source=source, confidence="synthetic"
    )
    write_csv(table, out / "units_synthetic.csv")
    cities = units[["unit_id", "city_id"]].assign(source=source)
    write_csv(cities, out / "unit_cities_synthetic.csv")

    tables = build_stats(units, counts, rng)
    for name, df in tables.items():
        write_csv(df.assign(source=source), out / "stats" / f"{name}_synthetic.csv")
    reg = pd.DataFrame(registry, columns=["dataset", "version", "year", "url", "md5"])
    reg["year"] = reg["year"].astype("Int64")
    write_csv(reg.assign(licence=LICENCE, citation=CITATION), out / "registry_synthetic.csv")
    print_summary(units, counts, tables)


if __name__ == "__main__":
    main()
