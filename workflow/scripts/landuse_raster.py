"""Rule landuse_raster (landcover.landuse_rasters: true): the year's land-use raster on the
study grid, 0 outside the units, for the user (no rule reads it)."""

import json
from pathlib import Path

import rasterio

from lucarbon.acquire.datasets import vsicurl_env
from lucarbon.acquire.fetching import HttpSettings
from lucarbon.core.logs import script_logging
from lucarbon.raster.clip import landcover_lookup, write_landuse_raster
from lucarbon.raster.landuse import read_landuse_types, read_reclass
from lucarbon.raster.unitgrid import open_unit_grid

with script_logging(snakemake.log[0]) as log:
    inp, params = snakemake.input, snakemake.params
    source = params.remote or inp.raster
    nodata = json.loads(Path(inp.check).read_text())["nodata"]
    env = vsicurl_env(HttpSettings(**snakemake.config["download"]))  # as in check_landcover
    with rasterio.Env(**env), rasterio.open(source) as src:
        dtype = src.dtypes[0]
    lookup = landcover_lookup(
        read_reclass(inp.reclass),
        read_landuse_types(inp.types),
        inp.reclass,
        dtype,
        nodata,
        params.label,
    )
    grid = open_unit_grid(inp.grid)
    write_landuse_raster(source, grid, snakemake.output[0], lookup, nodata, snakemake.threads, env)
    log.info("land-use raster of %s written", params.label)
