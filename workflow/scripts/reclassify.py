"""Rule reclassify: map land-cover codes to land-use type codes through the reclass table."""

from lucarbon.io import read_table
from lucarbon.landuse import build_lookup, read_landuse_types, reclassify_raster
from lucarbon.logs import script_logging

with script_logging(snakemake.log[0]) as log:
    types = read_landuse_types(snakemake.input.types)
    reclass = read_table(snakemake.input.reclass, ("code", "class_name", "landuse", "source"))
    lookup = build_lookup(reclass, types, snakemake.input.reclass)
    reclassify_raster(snakemake.input.raster, snakemake.output[0], lookup, snakemake.input.reclass)
    log.info("reclassified %s", snakemake.input.raster)
