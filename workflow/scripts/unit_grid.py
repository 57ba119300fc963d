"""Rule unit_grid: number every pixel of one tile of the study window (the whole window
unless landcover.partition splits it) on the first year's grid by the unit holding its centre,
once per study (every year and transition of the tile reads it)."""

import geopandas as gpd
import rasterio

from lucarbon.acquire.datasets import vsicurl_env
from lucarbon.acquire.fetching import HttpSettings
from lucarbon.core.logs import script_logging
from lucarbon.raster.blocks import BLOCK, check_same_crs
from lucarbon.raster.clip import block_aligned, study_window, tile_window
from lucarbon.raster.unitgrid import grid_of, write_unit_grid

with script_logging(snakemake.log[0]) as log:
    units = gpd.read_file(snakemake.input.units)
    label = snakemake.params.label
    with (
        rasterio.Env(**vsicurl_env(HttpSettings(**snakemake.config["download"]))),
        rasterio.open(snakemake.params.remote or snakemake.input.raster) as src,
    ):
        check_same_crs(src.crs, units.crs, label)
        window = block_aligned(src, study_window(src, tuple(units.total_bounds), label))
        tile = tile_window(window, snakemake.params.tiles, snakemake.params.tile, BLOCK)
        grid = grid_of(src, units.geometry.values, tile)
    write_unit_grid(grid, snakemake.output[0])
    log.info(
        "unit grid of tile %s: %d x %d px, %d units, on the grid of %s",
        snakemake.wildcards.tile,
        grid.width,
        grid.height,
        grid.n_units,
        label,
    )
