"""Rule reclassify: map land-cover codes to land-use type codes through the reclass table."""

from lucarbon.landuse import read_landuse_types, read_reclass, reclassify_raster
from lucarbon.logs import script_logging

with script_logging(snakemake.log[0]) as log:
    types = read_landuse_types(snakemake.input.types)
    reclass = read_reclass(snakemake.input.reclass)
    reclassify_raster(
        snakemake.input.raster,
        snakemake.output[0],
        reclass,
        types,
        snakemake.input.reclass,
        snakemake.params.label,
    )
    log.info("reclassified %s", snakemake.params.label)
