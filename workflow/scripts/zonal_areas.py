"""Rules landuse_area and landuse_transitions: tables of the counts of the reclassify pass
(a year's transition matrix from the previous year, per unit, summed over the tiles of the
study window): the year's areas per unit and
type (the matrix summed over the previous year's types; the yearly rule also tables, and
warns of, nodata pixels inside units), or the transitions themselves."""

import numpy as np

from lucarbon.core.io import write_csv
from lucarbon.core.logs import script_logging, warn_user
from lucarbon.raster.checks import read_unit_extents
from lucarbon.raster.landuse import read_landuse_types
from lucarbon.raster.zonal import area_table, nodata_table, nodata_warning, transition_table

with script_logging(snakemake.log[0]) as log:
    inp, labels = snakemake.input, snakemake.params.labels
    unit_ids = read_unit_extents(inp.extents)["unit_id"]
    landuse = read_landuse_types(inp.types)["landuse"].tolist()
    counts = sum(np.load(path) for path in inp.counts)  # the tiles of the study window
    if hasattr(snakemake.wildcards, "year"):
        year = int(snakemake.wildcards.year)
        areas = counts.sum(axis=1)
        table = area_table(areas, unit_ids, landuse, year)
        holes = nodata_table(areas, unit_ids, year)
        log.info(
            "%.1f ha classified, %.1f ha nodata inside units",
            table.area_ha.sum(),
            holes.nodata_ha.sum(),
        )
        if message := nodata_warning(holes, labels[0]):
            warn_user(log, message)
        write_csv(holes, snakemake.output.nodata)
    else:
        years = (int(snakemake.wildcards.year_from), int(snakemake.wildcards.year_to))
        table = transition_table(counts, unit_ids, landuse, years)
    write_csv(table, snakemake.output.areas)
