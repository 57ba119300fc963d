"""Project the measured throughput of a tiled study to a national one (docs/scaling.md).

Usage: .venv/bin/python tools/scaling_projection.py results/<study>/benchmarks \\
           resources/<study>/grid [--national data/scaling/national_study.csv]

From a run with landcover.partition (each reclassify job one tile and year): fits each job's
CPU seconds as  overhead + cost per decoded pixel x decoded pixels  (decoded pixels: the
blocks under the units in the tile, once for the first year, twice for a year and its
previous one), then takes the national study of the data file (land area, units, years,
tiles) with the measured ratio of decoded to in-unit pixels, and the cross-year jobs scaled
linearly in units x years (an assumption, printed). Prints CPU hours, memory per job,
temporary disk and wall time on 16, 64 and 256 cores.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow" / "scripts"))
sys.path.insert(0, str(ROOT / "tools"))

from benchmark_summary import read_benchmarks  # noqa: E402

from lucarbon.raster.unitgrid import open_unit_grid  # noqa: E402

RASTER_RULES = {"reclassify", "check_landcover", "download_landcover", "unit_grid"}
CORES = (16, 64, 256)
RECLASSIFY = re.compile(r"reclassify_(\d+_\d+)_(\d{4})$")


def tile_pixels(grid_dir: Path) -> pd.DataFrame:
    """Per tile: pixels in units and pixels of the blocks under them (what a pass decodes)."""
    rows = []
    for path in sorted(grid_dir.glob("unit_grid_*.npz")):
        grid = open_unit_grid(path)
        inside = int((grid.runs[:, 1] - grid.runs[:, 0]).sum())
        decoded = sum(int(w.width * w.height) for w in grid.windows())
        rows.append((path.stem.removeprefix("unit_grid_"), inside, decoded, grid.n_units))
    return pd.DataFrame(rows, columns=["tile", "inside_px", "decoded_px", "n_units"])


def fit_raster_jobs(bench_dir: Path, tiles: pd.DataFrame) -> tuple[float, float, pd.DataFrame]:
    """(overhead CPU s per job, CPU s per decoded pixel, the jobs) by least squares."""
    jobs = []
    for path in sorted(bench_dir.glob("reclassify_*.tsv")):
        tile, year = RECLASSIFY.match(path.stem).groups()
        job = pd.read_csv(path, sep="\t").iloc[-1]
        jobs.append((tile, int(year), float(job["cpu_time"]), float(job["s"]),
                     float(job["max_rss"])))  # fmt: skip
    jobs = pd.DataFrame(jobs, columns=["tile", "year", "cpu_s", "s", "max_rss"])
    first = jobs["year"] == jobs["year"].min()
    jobs = jobs.merge(tiles, on="tile")
    jobs["decoded"] = jobs["decoded_px"] * np.where(first, 1, 2)
    design = np.column_stack([np.ones(len(jobs)), jobs["decoded"]])
    (overhead, per_px), *_ = np.linalg.lstsq(design, jobs["cpu_s"], rcond=None)
    return float(overhead), float(per_px), jobs


def national(path: Path) -> dict:
    """The national study's quantities (value by quantity) from the data file."""
    table = pd.read_csv(path)
    return dict(zip(table["quantity"], table["value"].astype(float), strict=True))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("benchmarks", type=Path)
    parser.add_argument("grids", type=Path)
    parser.add_argument("--national", type=Path, default=ROOT / "data/scaling/national_study.csv")
    args = parser.parse_args(argv)
    tiles = tile_pixels(args.grids)
    overhead, per_px, jobs = fit_raster_jobs(args.benchmarks, tiles)
    all_jobs = read_benchmarks(args.benchmarks)
    cross = all_jobs[~all_jobs["rule"].isin(RASTER_RULES)]
    years = jobs["year"].nunique()
    units = int(tiles["n_units"].max())
    study = national(args.national)

    ratio = tiles["decoded_px"].sum() / tiles["inside_px"].sum()
    parallelism = jobs["cpu_s"].sum() / jobs["s"].sum()  # CPU s per wall s of a job
    residual = np.abs(overhead + per_px * jobs["decoded"] - jobs["cpu_s"]).max()
    peak = jobs["max_rss"].max()
    print(f"measured: {len(tiles)} tiles x {years} years, {units} units")
    print(f"  pixels in units {tiles['inside_px'].sum():,}, decoded by a pass over one year "
          f"{tiles['decoded_px'].sum():,} (ratio {ratio:.3f})")  # fmt: skip
    print(f"  reclassify jobs: CPU s = {overhead:.2f} + {per_px * 1e9:.3f} ns x decoded "
          f"pixels (largest residual {residual:.2f} s); peak RSS {peak:.0f} MB; "
          f"CPU / wall {parallelism:.2f}")  # fmt: skip
    print(
        f"  cross-year jobs: {len(cross)}, {cross['cpu_s'].sum():.1f} CPU s, longest "
        f"{cross['s'].max():.1f} s wall, peak RSS {cross['max_rss'].max():.0f} MB"
    )

    inside = study["land_area"] * 1e6 / study["pixel"] ** 2
    n_tiles, n_years, n_units = study["tiles"], study["years"], study["county_units"]
    n_jobs = n_tiles * n_years
    raster_cpu = n_years * (n_tiles * overhead + per_px * 2 * inside * ratio)
    scale = (n_units * n_years) / (units * years)
    cross_cpu = cross["cpu_s"].sum() * scale
    longest = cross["s"].max() * scale
    print(f"\nnational: {n_units:.0f} units x {n_years:.0f} years, {n_tiles:.0f} tiles, "
          f"{inside:.3g} pixels in units per year")  # fmt: skip
    print(f"  raster path: {raster_cpu / 3600:.2f} CPU h in {n_jobs:.0f} jobs of "
          f"{raster_cpu / n_jobs:.0f} CPU s; peak RSS per job {peak:.0f} MB as measured "
          "(windows bounded in pixels)")  # fmt: skip
    print(
        f"  cross-year jobs scaled x{scale:.0f} (linear in units x years, an assumption): "
        f"{cross_cpu / 3600:.2f} CPU h, the longest about {longest / 60:.0f} min"
    )
    # A (types + nodata)^2 float64 matrix per unit, tile and year (as a count file holds).
    per_unit = np.load(next(args.grids.parent.glob("landuse/counts_*.npy"))).nbytes / units
    counts_gb = n_jobs * n_units * per_unit / 1e9
    print(f"  temporary disk: counts {counts_gb:.1f} GB; raw land cover none in cog mode "
          f"(read by window), {2 * n_years * study['file_size']:.0f} GB in file mode "
          "(cache + copy)")  # fmt: skip
    job_wall = raster_cpu / n_jobs / parallelism
    for cores in CORES:
        waves = np.ceil(n_jobs / (cores // 2))  # reclassify declares threads: 2
        print(f"  {cores:>3} cores: raster path {waves * job_wall / 3600:.2f} h wall, then "
              f"cross-year {longest / 3600:.2f}-{cross_cpu / 3600:.2f} h (longest job to "
              "all of them in a row)")  # fmt: skip


if __name__ == "__main__":
    main()
