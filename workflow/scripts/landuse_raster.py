"""Rule landuse_raster (landcover.landuse_rasters: true): the year's land-use raster on the
study grid, 0 outside the units, for the user (no rule reads it)."""

import json
from pathlib import Path

import rasterio

from lucarbon.acquire.datasets import VSICURL_ENV
from lucarbon.core.logs import script_logging
from lucarbon.raster.clip import landcover_lookup, write_landuse_raster
from lucarbon.raster.landuse import read_landuse_types, read_reclass
from lucarbon.raster.unitgrid import open_unit_grid

with script_logging(snakemake.log[0]) as log:
    inp, params = snakemake.input, snakemake.params
    source = params.remote or inp.raster
    nodata = json.loads(Path(inp.check).read_text())["nodata"]
    with rasterio.Env(**VSICURL_ENV), rasterio.open(source) as src:
        dtype = src.dtypes[0]
    lookup = landcover_lookup(
        read_reclass(inp.reclass),
        read_landuse_types(inp.types),
        inp.reclass,
        dtype,
        nodata,
        params.label,
    )
    write_landuse_raster(
        source, open_unit_grid(inp.grid), snakemake.output[0], lookup, nodata, snakemake.threads
    )
    log.info("land-use raster of %s written", params.label)
