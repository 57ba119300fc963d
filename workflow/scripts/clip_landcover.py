"""Rule clip_landcover: crop the land cover to the study units, nodata outside them (in cog
mode, reading only that window of the remote file)."""

import geopandas as gpd

from lucarbon.clip import clip_to_units
from lucarbon.logs import script_logging

with script_logging(snakemake.log[0]) as log:
    units = gpd.read_file(snakemake.input.units)
    source = snakemake.params.remote or snakemake.input.raster
    summary = clip_to_units(source, units, snakemake.output[0])
    log.info("clipped %s: %s", source, summary)
