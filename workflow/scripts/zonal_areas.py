"""Rules landuse_area and landuse_transitions: areas per unit and type (or type pair); the
yearly rule also tables (and warns of) nodata pixels inside units."""

import geopandas as gpd

from lucarbon.io import write_csv
from lucarbon.landuse import read_landuse_types
from lucarbon.logs import script_logging, warn_user
from lucarbon.zonal import (
    area_table,
    nodata_table,
    nodata_warning,
    transition_table,
    zonal_class_areas,
)

with script_logging(snakemake.log[0]) as log:
    units = gpd.read_file(snakemake.input.units)
    landuse = read_landuse_types(snakemake.input.types)["landuse"].tolist()
    labels = snakemake.params.labels
    areas = zonal_class_areas(snakemake.input.rasters, units, len(landuse), labels)
    unit_ids = units["unit_id"].tolist()
    if len(snakemake.input.rasters) == 1:
        year = int(snakemake.wildcards.year)
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
        table = transition_table(areas, unit_ids, landuse, years)
    write_csv(table, snakemake.output.areas)
