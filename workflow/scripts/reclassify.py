"""Rule reclassify: one pass over the year's raw land cover and the previous year's on the
unit grid (only the blocks under the units; in cog mode only those travel): the transition
matrix of every unit from the previous year's land-use types to this year's (for the first
year, the diagonal of its areas). Codes inside the units that the reclass table does not map
stop it before its output appears."""

import json
from pathlib import Path

import numpy as np

from lucarbon.acquire.datasets import vsicurl_env
from lucarbon.acquire.fetching import HttpSettings
from lucarbon.core.io import atomic_path
from lucarbon.core.logs import script_logging
from lucarbon.raster.clip import landuse_counts
from lucarbon.raster.landuse import read_landuse_types, read_reclass
from lucarbon.raster.unitgrid import open_unit_grid

with script_logging(snakemake.log[0]) as log:
    inp, params = snakemake.input, snakemake.params
    local = [inp.previous or None, inp.raster or None]
    sources = [remote or path for remote, path in zip(params.remote, local, strict=True)]
    nodata = [json.loads(Path(c).read_text())["nodata"] for c in (inp.previous_check, inp.check)]
    counts = landuse_counts(
        sources,
        open_unit_grid(inp.grid),
        read_reclass(inp.reclass),
        read_landuse_types(inp.types),
        inp.reclass,
        nodata,
        params.labels,
        snakemake.threads,
        vsicurl_env(HttpSettings(**snakemake.config["download"])),  # as in check_landcover
    )
    with atomic_path(snakemake.output[0]) as tmp, open(tmp, "wb") as f:
        np.save(f, counts)
    log.info(
        "%s from %s: %.1f ha in units, %.1f ha nodata",
        params.labels[1],
        params.labels[0],
        counts.sum(),
        counts.sum(axis=1)[:, 0].sum(),
    )
