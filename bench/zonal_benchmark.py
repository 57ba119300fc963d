"""Benchmark: per-unit land-use areas by lucarbon's streaming bincount versus rasterstats.

Runs each approach in a fresh process (so peak memory is its own), median of --repeat runs,
on the demo's 2020 land-use raster and units (run `make run` first), optionally tiled
--scale × --scale times to a larger raster with the units repeated. Prints wall time, peak
RSS and the ratio to rasterstats, and checks both give the same areas.

    .venv/bin/python bench/zonal_benchmark.py --scale 3 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKER = r"""
import json, resource, sys, time
sys.path.insert(0, {scripts!r})
import geopandas as gpd
import numpy as np
raster, units_path, method = sys.argv[1], sys.argv[2], sys.argv[3]
units = gpd.read_file(units_path)
start = time.perf_counter()
if method == "lucarbon":
    from lucarbon.zonal import zonal_class_areas
    counts = zonal_class_areas([raster], units, 6)[:, 1:] / 0.09
else:
    from rasterstats import zonal_stats
    stats = zonal_stats(units, raster, categorical=True, nodata=0)
    counts = np.array([[s.get(k, 0) for k in range(1, 7)] for s in stats])
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"s": elapsed, "rss_mb": peak, "total": float(np.round(counts).sum()),
                  "counts": np.round(counts).astype(int).tolist()}}))
"""


def tile_inputs(raster: Path, units: Path, scale: int, out: Path) -> tuple[Path, Path]:
    """Repeat the raster scale × scale times and shift copies of the units onto each tile."""
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    import rasterio

    with rasterio.open(raster) as src:
        data, profile = src.read(1), src.profile
    big = np.tile(data, (scale, scale))
    profile.update(width=big.shape[1], height=big.shape[0], tiled=True, blockxsize=512,
                   blockysize=512, compress="DEFLATE")  # fmt: skip
    t = profile["transform"]
    out_raster = out / f"landuse_x{scale}.tif"
    with rasterio.open(out_raster, "w", **profile) as dst:
        dst.write(big, 1)
    gdf = gpd.read_file(units)
    width, height = data.shape[1] * t.a, data.shape[0] * -t.e
    copies = []
    for i in range(scale):
        for j in range(scale):
            moved = gdf.copy()
            moved["geometry"] = moved.translate(j * width, -i * height)
            moved["unit_id"] = moved["unit_id"] + f"_{i}{j}"
            copies.append(moved)
    out_units = out / f"units_x{scale}.gpkg"
    gpd.GeoDataFrame(pd.concat(copies), crs=gdf.crs).to_file(out_units)
    return out_raster, out_units


def run(method: str, raster: Path, units: Path) -> dict:
    code = WORKER.format(scripts=str(ROOT / "workflow" / "scripts"))
    result = subprocess.run(
        [sys.executable, "-c", code, str(raster), str(units), method],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workdir", type=Path, default=ROOT, help="where the workflow ran")
    parser.add_argument("--study", default="demo")
    parser.add_argument("--year", default="2020")
    parser.add_argument("--scale", type=int, default=1, help="tile the raster scale x scale")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    raster = args.workdir / f"resources/{args.study}/landuse/landuse_{args.year}.tif"
    units = args.workdir / f"resources/{args.study}/units.gpkg"
    if not raster.is_file():
        print(f"{raster} not found: run `make run` first", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        if args.scale > 1:
            raster, units = tile_inputs(raster, units, args.scale, Path(tmp))
        results = {}
        for method in ("rasterstats", "lucarbon"):
            runs = [run(method, raster, units) for _ in range(args.repeat)]
            results[method] = {
                "s": statistics.median(r["s"] for r in runs),
                "rss_mb": statistics.median(r["rss_mb"] for r in runs),
                "counts": runs[0]["counts"],
            }
    same = results["lucarbon"]["counts"] == results["rasterstats"]["counts"]
    base = results["rasterstats"]["s"]
    print(f"raster {raster.name} (x{args.scale}), median of {args.repeat} runs")
    print(f"{'method':<12} {'wall s':>8} {'peak RSS MB':>12} {'speed-up vs rasterstats':>24}")
    for method, r in results.items():
        print(f"{method:<12} {r['s']:>8.2f} {r['rss_mb']:>12.0f} {base / r['s']:>23.1f}x")
    print(f"identical pixel counts per unit and class: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
