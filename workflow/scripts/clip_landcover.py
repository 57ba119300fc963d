"""Rule clip_landcover: crop the land cover to the study units, nodata outside them (in cog
mode, reading only that window of the remote file); codes inside the units that the reclass
table does not map stop it before its output appears."""

import json
from pathlib import Path

import geopandas as gpd

from lucarbon.clip import clip_to_units
from lucarbon.landuse import read_landuse_types, read_reclass
from lucarbon.logs import script_logging

with script_logging(snakemake.log[0]) as log:
    inp, label = snakemake.input, snakemake.params.label
    units = gpd.read_file(inp.units)
    nodata = json.loads(Path(inp.check).read_text())["nodata"]
    reclass, types = read_reclass(inp.reclass), read_landuse_types(inp.types)
    summary = clip_to_units(
        snakemake.params.remote or inp.raster,
        units,
        snakemake.output[0],
        nodata,
        label,
        lambda counter: counter.check(reclass, types, inp.reclass, label),
    )
    log.info("clipped %s: %s", label, summary)
