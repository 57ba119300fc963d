"""Rule reclassify: one pass over the year's land cover on the unit grid (in cog mode only the
study window is read): the land-use raster and the area of every unit and type; codes inside
the units that the reclass table does not map stop it before its outputs appear."""

import json
from pathlib import Path

import numpy as np

from lucarbon.clip import clip_reclassify
from lucarbon.io import atomic_path
from lucarbon.landuse import read_landuse_types, read_reclass
from lucarbon.logs import script_logging
from lucarbon.unitgrid import open_unit_grid

with script_logging(snakemake.log[0]) as log:
    inp, out, label = snakemake.input, snakemake.output, snakemake.params.label
    areas = clip_reclassify(
        snakemake.params.remote or inp.raster,
        open_unit_grid(inp.grid),
        out.raster,
        read_reclass(inp.reclass),
        read_landuse_types(inp.types),
        inp.reclass,
        json.loads(Path(inp.check).read_text())["nodata"],
        label,
        snakemake.threads,
    )
    with atomic_path(out.areas) as tmp, open(tmp, "wb") as f:
        np.save(f, areas)
    log.info(
        "reclassified %s: %.1f ha in units, %.1f ha nodata", label, areas.sum(), areas[:, 0].sum()
    )
