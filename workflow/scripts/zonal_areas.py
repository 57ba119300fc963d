"""Rules landuse_area and landuse_transitions: areas per unit and type (or type pair)."""

import geopandas as gpd

from lucarbon.io import write_csv
from lucarbon.landuse import read_landuse_types
from lucarbon.logs import script_logging
from lucarbon.zonal import area_table, transition_table, zonal_class_areas

with script_logging(snakemake.log[0]) as log:
    units = gpd.read_file(snakemake.input.units)
    landuse = read_landuse_types(snakemake.input.types)["landuse"].tolist()
    areas = zonal_class_areas(snakemake.input.rasters, units, len(landuse))
    unit_ids = units["unit_id"].tolist()
    if len(snakemake.input.rasters) == 1:
        table = area_table(areas, unit_ids, landuse, int(snakemake.wildcards.year))
        nodata_ha = areas[:, 0].sum()
        log.info("%.1f ha classified, %.1f ha nodata inside units", table.area_ha.sum(), nodata_ha)
    else:
        years = (int(snakemake.wildcards.year_from), int(snakemake.wildcards.year_to))
        table = transition_table(areas, unit_ids, landuse, years)
    write_csv(table, snakemake.output[0])
