"""Rules landuse_area and landuse_transitions: areas per unit and type (from the reclassify
pass) or type pair (one pass over both years' land-use rasters on the unit grid); the yearly
rule also tables (and warns of) nodata pixels inside units."""

import geopandas as gpd
import numpy as np

from lucarbon.io import write_csv
from lucarbon.landuse import read_landuse_types
from lucarbon.logs import script_logging, warn_user
from lucarbon.unitgrid import open_unit_grid
from lucarbon.zonal import (
    area_table,
    nodata_table,
    nodata_warning,
    transition_table,
    zonal_class_areas,
)

with script_logging(snakemake.log[0]) as log:
    inp, labels = snakemake.input, snakemake.params.labels
    unit_ids = gpd.read_file(inp.units, columns=["unit_id"], ignore_geometry=True)[
        "unit_id"
    ].tolist()
    landuse = read_landuse_types(inp.types)["landuse"].tolist()
    if hasattr(inp, "areas"):
        year = int(snakemake.wildcards.year)
        areas = np.load(inp.areas)
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
        grid = open_unit_grid(inp.grid)
        areas = zonal_class_areas(inp.rasters, grid, len(landuse), labels, snakemake.threads)
        table = transition_table(areas, unit_ids, landuse, years)
    write_csv(table, snakemake.output.areas)
