"""Rule unit_grid: number every pixel of the study window of the first year's grid by the
unit holding its centre, once per study (every year and transition reads it)."""

import geopandas as gpd
import rasterio

from lucarbon.acquire import VSICURL_ENV
from lucarbon.clip import block_aligned, study_window
from lucarbon.logs import script_logging
from lucarbon.raster import check_same_crs
from lucarbon.unitgrid import grid_of, write_unit_grid

with script_logging(snakemake.log[0]) as log:
    units = gpd.read_file(snakemake.input.units)
    label = snakemake.params.label
    with (
        rasterio.Env(**VSICURL_ENV),
        rasterio.open(snakemake.params.remote or snakemake.input.raster) as src,
    ):
        check_same_crs(src.crs, units.crs, label)
        grid = grid_of(
            src,
            units.geometry.values,
            block_aligned(src, study_window(src, tuple(units.total_bounds), label)),
        )
    write_unit_grid(grid, snakemake.output[0], snakemake.threads)
    log.info(
        "unit grid %d x %d px, %d units, on the grid of %s",
        grid.width,
        grid.height,
        grid.n_units,
        label,
    )
