"""Benchmark of the raster path on the Henan-extent SYNTHETIC raster (`make bench`).

From one run, each approach in a fresh process (whole processes: interpreter, imports and
work), on the same raw land-cover file of one year (2020) and the 123 Henan units:

- decode floor: read and inflate every block of the raw file, trivial reduction;
- lucarbon: what the workflow's rules run for that year, in one process: check_landcover,
  reclassify (one pass over the raw files of 2020 and 2015, counting the areas and the
  transition) and the tables (landuse_area, landuse_transitions 2015 → 2020); what they read
  of the once-per-study jobs (the unit grid; the units' ids and bounding boxes, saved by
  prepare_units beside the polygons) is made before (the unit grid's cost is printed apart);
- rasterstats zonal_stats(categorical=True), exactextract (unique, frac, count) and a
  best-practice numpy baseline (each unit rasterized once, small-integer keys, bincount).

Pixel-centre counts (lucarbon, rasterstats, numpy) must be identical; exactextract weights
pixels by coverage, its difference is printed. Then peak memory on a raster 8 times as wide
(the raw file's top rows tiled across, the units shifted onto every copy). CPU seconds are
what to compare on a busy machine (with --repeat, the run of median CPU of each approach, the
approaches interleaved); wall time needs an idle one.

    .venv/bin/python bench/raster_benchmark.py [--threads 2] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow" / "scripts"))
INPUTS = ROOT / "resources/henan_synthetic/inputs"
WORK = ROOT / "resources/henan_synthetic/bench"
YEAR, BEFORE = 2020, 2015
RECLASS = ROOT / "data/reclass/clcd_to_landuse.csv"
TYPES = ROOT / "data/landuse_types.csv"
PIXEL_HA = 0.09
WIDE = 8  # the wide raster is this many times as wide ...
WIDE_ROWS = 2048  # ... and this many rows high (memory does not depend on the height)
# The bar (issue 10): per-year path CPU <= 3 x decode floor, >= 3 x faster than rasterstats,
# peak RSS < 500 MB at both widths.
BAR = {"floor_ratio": 3.0, "rasterstats_speedup": 3.0, "rss_mb": 500.0}


def raw(year: int) -> Path:
    return INPUTS / f"landcover/henan_synthetic_{year}.tif"


def clcd_to_landuse() -> np.ndarray:
    """Land-use code of every 8-bit CLCD code (the reclass table, nodata 0)."""
    from lucarbon.raster.landuse import build_lookup, read_landuse_types, read_reclass

    lookup = build_lookup(read_reclass(RECLASS), read_landuse_types(TYPES), RECLASS, "uint8")
    lookup[0] = 0
    return lookup


def by_landuse(code_counts: np.ndarray) -> np.ndarray:
    """(units, 256 raw codes) counts → (units, 7 land-use codes) through the reclass table."""
    lookup = clcd_to_landuse()
    out = np.zeros((len(code_counts), 7))
    for code in np.flatnonzero(code_counts.sum(axis=0)):
        out[:, lookup[code]] += code_counts[:, code]
    return out


# --- the approaches, each run as `raster_benchmark.py --worker NAME RASTER UNITS OUT` ---


def work_decode(raster: str, units: str, threads: int) -> None:
    import rasterio

    total = 0
    with rasterio.Env(GDAL_CACHEMAX=64), rasterio.open(raster) as src:
        for _, window in src.block_windows(1):
            total += int(src.read(1, window=window)[0, 0])
    return None


def work_lucarbon(raster: str, units_path: str, threads: int, wide: bool = False) -> np.ndarray:
    from lucarbon.raster.checks import check_landcover, read_study_units
    from lucarbon.raster.clip import landuse_counts
    from lucarbon.raster.landuse import read_landuse_types, read_reclass
    from lucarbon.raster.unitgrid import open_unit_grid
    from lucarbon.raster.zonal import area_table, nodata_table, transition_table

    tag = "wide" if wide else "henan"
    units = read_study_units(extents_of(Path(units_path)), units_path)
    before = previous(raster, wide)
    grid = open_unit_grid(WORK / f"unit_grid_{tag}.npz")
    found = check_landcover(raster, "raw", study_crs(), None, units, (before, "before"))
    types = read_landuse_types(TYPES)
    counts = landuse_counts([before, raster], grid, read_reclass(RECLASS), types, RECLASS,
                            [found["nodata"]] * 2, ["before", "raw"], threads)  # fmt: skip
    areas = counts.sum(axis=1)
    ids, landuse = units.ids, types["landuse"].tolist()
    area_table(areas, ids, landuse, YEAR), nodata_table(areas, ids, YEAR)
    transition_table(counts, ids, landuse, (BEFORE, YEAR))
    return areas / PIXEL_HA


def work_landuse_raster(raster: str, units_path: str, threads: int) -> None:
    """The optional land-use raster of the year (rule landuse_raster, off by default)."""
    from lucarbon.raster.clip import landcover_lookup, write_landuse_raster
    from lucarbon.raster.landuse import read_landuse_types, read_reclass
    from lucarbon.raster.unitgrid import open_unit_grid

    lookup = landcover_lookup(read_reclass(RECLASS), read_landuse_types(TYPES), RECLASS,
                              "uint8", 0, "raw")  # fmt: skip
    grid = open_unit_grid(WORK / "unit_grid_henan.npz")
    write_landuse_raster(raster, grid, WORK / f"landuse_{YEAR}.tif", lookup, 0, threads)


def extents_of(units: Path) -> Path:
    """The units' ids and bounding boxes, as rule prepare_units saves them once per study."""
    return units.with_name(f"{units.stem}_extents.json")


def study_crs() -> str:
    """The study CRS as the config gives it (the workflow passes it to check_landcover)."""
    import yaml

    return yaml.safe_load((INPUTS / "config.yaml").read_text())["crs"]


def previous(raster: str, wide: bool) -> str:
    """The previous year's raw file of the transition (the wide raster's own copy of it)."""
    return str(WORK / f"raw_x{WIDE}_{BEFORE}.tif") if wide else str(raw(BEFORE))


def work_rasterstats(raster: str, units_path: str, threads: int) -> np.ndarray:
    import geopandas as gpd
    from rasterstats import zonal_stats

    stats = zonal_stats(gpd.read_file(units_path), raster, categorical=True, nodata=0)
    counts = np.zeros((len(stats), 256))
    for i, unit in enumerate(stats):
        for code, n in unit.items():
            counts[i, int(code)] = n
    return by_landuse(counts)


def work_exactextract(raster: str, units_path: str, threads: int) -> np.ndarray:
    import geopandas as gpd
    from exactextract import exact_extract

    units = gpd.read_file(units_path)
    rows = exact_extract(raster, units, ["unique", "frac", "count"], output="pandas")
    counts = np.zeros((len(rows), 256))
    for i, row in enumerate(rows.itertuples()):
        counts[i, np.asarray(row.unique, dtype=int)] = np.asarray(row.frac) * row.count
    counts[:, 0] = 0  # nodata
    return by_landuse(counts)


def work_numpy(raster: str, units_path: str, threads: int) -> np.ndarray:
    """Best practice without this project: each unit rasterized once (a band at a time,
    only the units touching it), uint16 keys unit × 256 + code, one bincount per band."""
    import geopandas as gpd
    import rasterio
    import shapely
    from rasterio import features
    from rasterio.windows import Window, bounds, transform

    units = gpd.read_file(units_path)
    geoms = units.geometry.values
    boxes = shapely.bounds(geoms)
    counts = np.zeros((len(units) + 1) * 256, dtype=np.int64)
    with rasterio.open(raster) as src:
        for top in range(0, src.height, 512):
            band = Window(0, top, src.width, min(512, src.height - top))
            left, bottom, right, upper = bounds(band, src.transform)
            touch = np.flatnonzero(
                (boxes[:, 0] <= right) & (boxes[:, 2] >= left)
                & (boxes[:, 1] <= upper) & (boxes[:, 3] >= bottom)
            )  # fmt: skip
            if not len(touch):
                continue
            index = features.rasterize(
                ((geoms[i], int(i) + 1) for i in touch), out_shape=(band.height, band.width),
                transform=transform(band, src.transform), dtype="uint16",
            )  # fmt: skip
            with rasterio.Env(GDAL_CACHEMAX=64):
                data = src.read(1, window=band)
            counts += np.bincount((index * 256 + data).ravel(), minlength=counts.size)
    return by_landuse(counts.reshape(-1, 256)[1:].astype(float))


WORKERS = {
    "decode": work_decode,
    "lucarbon": work_lucarbon,
    "landuse_raster": work_landuse_raster,
    "rasterstats": work_rasterstats,
    "exactextract": work_exactextract,
    "numpy": work_numpy,
}


def worker(name: str, raster: str, units: str, out: str, threads: int, wide: bool) -> None:
    """Run one approach in this (fresh) process; print its CPU seconds and peak RSS."""
    kwargs = {"wide": True} if wide and name == "lucarbon" else {}
    counts = WORKERS[name](raster, units, threads, **kwargs)
    if counts is not None:
        np.save(out, counts)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"cpu_s": usage.ru_utime + usage.ru_stime, "rss_mb": peak_rss_mb()}))


def peak_rss_mb() -> float:
    """This process's peak resident memory since its exec (VmHWM; ru_maxrss would carry the
    parent's peak over from the fork)."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.M).group(1)) / 1024


def run(name: str, raster: Path, units: Path, threads: int, wide: bool = False) -> dict:
    out = WORK / f"counts_{name}{'_wide' * wide}.npy"
    command = [sys.executable, __file__, "--worker", name, str(raster), str(units), str(out),
               "--threads", str(threads)] + ["--wide"] * wide  # fmt: skip
    out.unlink(missing_ok=True)
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if result.returncode:
        raise SystemExit(f"{name} failed:\n{result.stderr[-3000:]}")
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    counts = np.load(out) if out.is_file() else None
    print(f"  {name}{' (wide)' * wide}: {measured['cpu_s']:.2f} CPU s", file=sys.stderr)
    return measured | {"wall_s": wall, "counts": counts}


# --- inputs ---


def prepare(threads: int) -> dict:
    """Units and their extents, unit grids and the wide raster (cached under WORK)."""
    if not raw(YEAR).is_file():
        subprocess.run([sys.executable, str(ROOT / "tools/make_henan_synthetic.py")], check=True)
    WORK.mkdir(parents=True, exist_ok=True)
    units = WORK / "units.gpkg"
    if not units.is_file():
        import yaml

        sys.path.insert(0, str(ROOT / "tools"))
        from make_henan_synthetic import load_units

        config = yaml.safe_load((INPUTS / "config.yaml").read_text())
        load_units(config)[1].to_file(units, driver="GPKG", layer="units")
    wide_raster, wide_units = make_wide(units)
    grid_cost = {}
    for tag, raster, unit_file in (("henan", raw(YEAR), units), ("wide", wide_raster, wide_units)):
        grid_cost[tag] = make_grid(tag, raster, unit_file)
        save_extents(unit_file)
    return {"units": units, "wide_raster": wide_raster, "wide_units": wide_units,
            "grid_cost": grid_cost}  # fmt: skip


def make_wide(units: Path) -> tuple[Path, Path]:
    """A raster WIDE times as wide as the raw file (its first WIDE_ROWS rows of data tiled
    across) with the units clipped to the strip and shifted onto every copy."""
    import geopandas as gpd
    import pandas as pd
    import rasterio
    import shapely
    from rasterio.windows import Window

    from lucarbon.raster.blocks import compressed_profile

    raster, out_units = WORK / f"raw_x{WIDE}_{YEAR}.tif", WORK / f"units_x{WIDE}.gpkg"
    if raster.is_file() and out_units.is_file() and Path(previous(str(raster), True)).is_file():
        return raster, out_units
    gdf = gpd.read_file(units)
    for year, path in ((YEAR, raster), (BEFORE, Path(previous(str(raster), True)))):
        with rasterio.open(raw(year)) as src:
            top = src.index(*gdf.total_bounds[[0, 3]])[0] + 4096  # well inside the province
            strip = Window(0, top, src.width, WIDE_ROWS)
            data = src.read(1, window=strip)
            transform, width = src.window_transform(strip), src.width
            profile = compressed_profile(transform, width * WIDE, WIDE_ROWS, src.crs)
        profile.update(compress="DEFLATE", predictor=2, zstd_level=None)  # like the raw product
        with rasterio.open(path, "w", **{k: v for k, v in profile.items() if v is not None}) as dst:
            for copy in range(WIDE):
                dst.write(data, 1, window=Window(copy * width, 0, width, WIDE_ROWS))
    left, top_y = transform.c, transform.f
    box = shapely.box(left, top_y - WIDE_ROWS * 30, left + width * 30, top_y)
    clipped = gdf.assign(geometry=gdf.intersection(box))
    clipped = clipped[~clipped.is_empty]
    copies = [
        clipped.assign(
            geometry=clipped.translate(copy * width * 30, 0),
            unit_id=clipped["unit_id"] + f"_{copy}",
        )
        for copy in range(WIDE)
    ]
    gpd.GeoDataFrame(pd.concat(copies), crs=gdf.crs).to_file(out_units, driver="GPKG")
    return raster, out_units


def save_extents(units: Path) -> None:
    """What prepare_units saves of the units besides the polygons (``extents_of``)."""
    import geopandas as gpd

    from lucarbon.core.io import write_json
    from lucarbon.raster.checks import unit_extents

    write_json(unit_extents(gpd.read_file(units)), extents_of(units))


def make_grid(tag: str, raster: Path, units: Path) -> dict:
    """The unit grid of one study, timed in a fresh process (a once-per-study cost)."""
    grid = WORK / f"unit_grid_{tag}.npz"
    code = f"""
import json, resource, sys
sys.path.insert(0, {str(ROOT / "workflow/scripts")!r})
import geopandas as gpd, rasterio
from lucarbon.raster.clip import block_aligned, study_window
from lucarbon.raster.unitgrid import grid_of, write_unit_grid
units = gpd.read_file({str(units)!r})
with rasterio.open({str(raster)!r}) as src:
    window = block_aligned(src, study_window(src, tuple(units.total_bounds)))
    grid = grid_of(src, units.geometry.values, window)
write_unit_grid(grid, {str(grid)!r})
u = resource.getrusage(resource.RUSAGE_SELF)
hwm = int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0]) / 1024
print(json.dumps({{"cpu_s": u.ru_utime + u.ru_stime, "rss_mb": hwm}}))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- report ---


def report(results: dict, wide: dict, grid_cost: dict, threads: int, repeat: int = 1) -> bool:
    """Print the table, the count checks and the bar; whether the counts agree."""
    floor, stats = results["decode"], results["rasterstats"]
    print(f"Henan-extent SYNTHETIC raster, year {YEAR}, {threads} thread(s) where used;")
    runs = "one run each" if repeat == 1 else f"median by CPU of {repeat} interleaved runs each"
    print(f"whole processes (interpreter, imports and work), {runs}\n")
    print(f"{'approach':<14}{'wall s':>8}{'CPU s':>8}{'peak RSS MB':>13}"
          f"{'CPU / decode':>14}{'rasterstats CPU / CPU':>23}")  # fmt: skip
    for name, r in results.items():
        ratios = f"{r['cpu_s'] / floor['cpu_s']:>14.2f}{stats['cpu_s'] / r['cpu_s']:>23.2f}"
        print(f"{name:<14}{r['wall_s']:>8.2f}{r['cpu_s']:>8.2f}{r['rss_mb']:>13.0f}{ratios}")
    for tag, cost in grid_cost.items():
        print(f"unit grid ({tag}, once per study): {cost['cpu_s']:.2f} CPU s, "
              f"{cost['rss_mb']:.0f} MB")  # fmt: skip
    print("lucarbon reads, besides the raw files, the once-per-study unit grid and the units'"
          " ids and bounding boxes (prepare_units)")  # fmt: skip
    ours = results["lucarbon"]["counts"]
    same = {
        n: np.array_equal(np.round(ours), results[n]["counts"]) for n in ("rasterstats", "numpy")
    }
    exact = results["exactextract"]["counts"][:, 1:]
    diff = abs(exact.sum() - ours[:, 1:].sum()) / ours[:, 1:].sum()
    print(f"\nidentical pixel-centre counts per unit and type: lucarbon = rasterstats "
          f"{same['rasterstats']}, lucarbon = numpy {same['numpy']}")  # fmt: skip
    print(f"exactextract (coverage-weighted) total differs by {100 * diff:.4f} %, largest "
          f"unit-type cell by {np.abs(exact - ours[:, 1:]).max():.1f} pixels")  # fmt: skip
    print(f"\nwide raster ({WIDE} x the width, {WIDE_ROWS} rows):")
    for name, r in wide.items():
        print(f"  {name:<12} CPU {r['cpu_s']:6.2f} s  peak RSS {r['rss_mb']:5.0f} MB")
    ratio = results["lucarbon"]["cpu_s"] / floor["cpu_s"]
    speedup = stats["cpu_s"] / results["lucarbon"]["cpu_s"]
    rss = max(results["lucarbon"]["rss_mb"], wide["lucarbon"]["rss_mb"])
    checks = {
        f"per-year CPU <= {BAR['floor_ratio']:g} x decode floor ({ratio:.2f})": ratio
        <= BAR["floor_ratio"],
        f">= {BAR['rasterstats_speedup']:g} x faster than rasterstats ({speedup:.2f})": speedup
        >= BAR["rasterstats_speedup"],
        "identical counts": all(same.values()),
        f"peak RSS < {BAR['rss_mb']:g} MB at both widths ({rss:.0f})": rss < BAR["rss_mb"],
    }
    print()
    for text, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    return all(same.values())  # different counts are an error; the timings are reported


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--worker", nargs=4, metavar=("NAME", "RASTER", "UNITS", "OUT"))
    parser.add_argument("--wide", action="store_true")
    parser.add_argument(
        "--repeat", type=int, default=1, help="interleaved runs of each; the median CPU is shown"
    )
    args = parser.parse_args(argv)
    if args.worker:
        worker(*args.worker, args.threads, args.wide)
        return 0
    inputs = prepare(args.threads)
    runs = {name: [] for name in [*WORKERS, "decode (wide)", "lucarbon (wide)"]}
    for _ in range(args.repeat):  # round robin: a change of load touches every approach
        for name in WORKERS:
            runs[name].append(run(name, raw(YEAR), inputs["units"], args.threads))
        for name in ("decode", "lucarbon"):
            runs[f"{name} (wide)"].append(
                run(name, inputs["wide_raster"], inputs["wide_units"], args.threads, wide=True)
            )
    median = {name: sorted(r, key=lambda m: m["cpu_s"])[len(r) // 2] for name, r in runs.items()}
    results = {name: median[name] for name in WORKERS}
    wide = {name: median[f"{name} (wide)"] for name in ("decode", "lucarbon")}
    return 0 if report(results, wide, inputs["grid_cost"], args.threads, args.repeat) else 1


if __name__ == "__main__":
    sys.exit(main())
